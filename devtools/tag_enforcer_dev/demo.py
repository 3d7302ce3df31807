"""The demo: deploy into an emulated account, replay the blog scenario, show what happened.

`tag-enforcer demo` imports this module only when it runs, so the CLI starts without
the dev tools (moto, samtranslator) installed.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from tag_enforcer.core.arns import Arn, InvalidArnError
from tag_enforcer.core.tags import ENFORCED_TAG_KEYS
from tag_enforcer_cli.isolation_policy import build_isolation_policy
from tag_enforcer_dev import demo_sweep
from tag_enforcer_dev.emulator.account import EmulatedAccount, running_account
from tag_enforcer_dev.emulator.deploy import deploy
from tag_enforcer_dev.emulator.inbox import read_inbox, subscribe_compliance_inbox
from tag_enforcer_dev.emulator.pipeline import EnforcePipeline
from tag_enforcer_dev.scenario import ScenarioStep, play_blog_scenario, set_up_domains


def short(arn: str | None) -> str:
    """`training-job/churn-xgb` for a full ARN: the part a reader recognises."""
    if not arn:
        return "-"
    try:
        return Arn.parse(arn).resource
    except InvalidArnError:
        return arn


def enforced_tags(account: EmulatedAccount, arn: str | None) -> dict[str, str]:
    if not arn:
        return {}
    tags = account.client("sagemaker").list_tags(ResourceArn=arn)["Tags"]
    return {t["Key"]: t["Value"] for t in tags if t["Key"] in ENFORCED_TAG_KEYS}


def decision_table(
    account: EmulatedAccount, steps: list[ScenarioStep], decisions: dict[str, dict[str, Any]]
) -> Table:
    table = Table(title="What the enforcer decided", show_lines=True, expand=True)
    for column in ("who / how", "event", "resource", "decision", "evidence", "tags after"):
        table.add_column(column, overflow="fold")
    for step in steps:
        logged = decisions.get(step.event_id)
        if logged is None:
            decision = "[dim]not delivered: the rule pattern filtered it out[/dim]"
            evidence = "errorCode present" if step.event["detail"].get("errorCode") else "-"
        else:
            outcome, action = logged["outcome"], logged["action"]
            style = {"compliant": "green", "tag": "cyan", "flag": "red", "ignore": "dim"}[outcome]
            decision = f"[{style}]{outcome}[/{style}] -> {action}"
            evidence = "\n".join(f"{e['rule']}: {e['conclusion']}" for e in logged["evidence"]) or (
                logged.get("note") or "-"
            )
        tags = enforced_tags(account, step.resource_arn)
        tag_text = "\n".join(f"{k.split(':')[1]}={short(v)}" for k, v in sorted(tags.items()))
        table.add_row(
            f"{step.who}\n[dim]{step.how}[/dim]",
            step.event_name,
            short(step.resource_arn),
            decision,
            evidence,
            tag_text or "-",
        )
    return table


def alert_table(alerts: list[dict[str, Any]]) -> Table:
    table = Table(title="Alerts the compliance inbox received (SNS -> SQS)", expand=True)
    for column in ("severity", "kind", "subject", "domain attribute"):
        table.add_column(column, overflow="fold")
    for alert in alerts:
        attributes = alert.get("MessageAttributes", {})
        table.add_row(
            attributes.get("severity", {}).get("Value", "?"),
            attributes.get("kind", {}).get("Value", "?"),
            alert.get("Subject", ""),
            ", ".join(
                short(d) for d in json.loads(attributes.get("domain", {}).get("Value", "[]"))
            ),
        )
    return table


def isolation_policy_table(domain_arn: str) -> Table:
    """What `tag-enforcer isolation-policy --domain` gives a domain, statement by statement."""
    documents = build_isolation_policy(domain_arn)
    table = Table(
        title=f"Isolation policy for {short(domain_arn)}: {len(documents)} managed policy "
        f"documents (tag-enforcer isolation-policy --domain {short(domain_arn).split('/')[-1]})",
        expand=True,
    )
    for column in ("statement", "effect", "actions", "condition"):
        table.add_column(column, overflow="fold")
    for document in documents:
        for statement in document["Statement"]:
            actions = statement["Action"]
            action_text = actions if isinstance(actions, str) else f"{len(actions)} actions"
            table.add_row(
                statement["Sid"],
                statement["Effect"],
                action_text,
                json.dumps(statement.get("Condition", {}), sort_keys=True),
            )
    return table


def run_demo(mode: str) -> int:
    # The decision table needs room; a pipe or CI log reports 80 columns.
    console = Console(width=max(Console().width, 160))
    with running_account() as account:
        console.rule("[bold]SageMaker domain tag enforcer - demo on an emulated account")
        console.print(
            f"moto server on {account.endpoint_url}; deploying template.yaml "
            f"(SAM translator -> CloudFormation), EnforcementMode={mode}"
        )
        stack = deploy(account, parameters={"EnforcementMode": mode})
        console.print(f"stack {stack.stack_name}: {len(stack.physical_ids)} resources created")
        inbox = subscribe_compliance_inbox(account, stack)

        scenario = set_up_domains(account)
        console.print(
            f"domains: {scenario.finance.domain_id} "
            f"(profiles {', '.join(scenario.finance.profiles)}), "
            f"{scenario.sustainability.domain_id} (profiles "
            f"{', '.join(scenario.sustainability.profiles)})"
        )
        steps = play_blog_scenario(scenario)
        pipeline = EnforcePipeline(account, stack)
        accepted = pipeline.publish(step.event for step in steps)
        logged = pipeline.drain_with_redelivery()
        decisions = {r["event_id"]: r for r in logged if r["message"] == "decision"}
        malformed = [r for r in logged if r["message"] != "decision"]
        pipeline.close()
        console.print(
            f"{len(steps)} CloudTrail events put on the bus, {accepted} accepted; "
            f"{len(decisions)} reached the enforce function through the deployed rules, "
            f"{len(malformed)} malformed"
        )
        console.print(decision_table(account, steps, decisions))
        alerts = read_inbox(account, inbox)
        console.print(alert_table(alerts))
        if alerts:
            console.rule("One alert body, as a subscriber reads it")
            console.print_json(alerts[0]["Message"])
        console.print(isolation_policy_table(scenario.finance.domain_arn))
        # The daily sweep finds what no event announced.
        demo_sweep.run_sweep_step(
            console, account, stack, scenario, lambda: read_inbox(account, inbox)
        )
    return 0
