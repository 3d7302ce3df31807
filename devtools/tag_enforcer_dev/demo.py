"""The demo: deploy into an emulated account, replay the blog scenario, show what happened.

`tag-enforcer demo` imports this module only when it runs, so the CLI starts without
the dev tools (moto, samtranslator) installed.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console, RenderableType

from tag_enforcer.core.arns import Arn, InvalidArnError
from tag_enforcer.core.tags import ENFORCED_TAG_KEYS
from tag_enforcer_cli.isolation_policy import build_isolation_policy
from tag_enforcer_dev import demo_sweep
from tag_enforcer_dev.demo_layout import Cell, fitted, key_values
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


OUTCOME_STYLES = {"compliant": "green", "tag": "cyan", "flag": "red", "ignore": "dim"}
DECISION_HEADINGS = ("who / how", "event", "resource", "decision", "evidence", "tags after")


def decision_rows(
    steps: list[ScenarioStep],
    decisions: dict[str, dict[str, Any]],
    tags_after: dict[str, dict[str, str]],
) -> list[list[Cell]]:
    """One row per scenario step: who, the event, the resource, the decision and its evidence."""
    rows = []
    for step in steps:
        logged = decisions.get(step.event_id)
        if logged is None:
            decision = Cell("not delivered: the rule pattern filtered it out", "dim")
            evidence = "errorCode present" if step.event["detail"].get("errorCode") else "-"
        else:
            outcome, action = logged["outcome"], logged["action"]
            decision = Cell(f"{outcome} -> {action}", OUTCOME_STYLES.get(outcome, ""))
            evidence = "\n".join(f"{e['rule']}: {e['conclusion']}" for e in logged["evidence"]) or (
                logged.get("note") or "-"
            )
        tags = tags_after.get(step.resource_arn or "", {})
        tag_text = "\n".join(f"{k.split(':')[1]}={short(v)}" for k, v in sorted(tags.items()))
        rows.append(
            [
                Cell(f"{step.who}\n{step.how}"),
                Cell(step.event_name),
                Cell(short(step.resource_arn)),
                decision,
                Cell(evidence),
                Cell(tag_text or "-"),
            ]
        )
    return rows


def decision_view(rows: list[list[Cell]], width: int) -> RenderableType:
    return fitted("What the enforcer decided", DECISION_HEADINGS, rows, width)


def alert_view(alerts: list[dict[str, Any]], width: int) -> RenderableType:
    rows: list[list[Cell | str]] = []
    for alert in alerts:
        attributes = alert.get("MessageAttributes", {})
        rows.append(
            [
                alert.get("Subject", ""),
                attributes.get("severity", {}).get("Value", "?"),
                attributes.get("kind", {}).get("Value", "?"),
                ", ".join(
                    short(d) for d in json.loads(attributes.get("domain", {}).get("Value", "[]"))
                ),
            ]
        )
    return fitted(
        "Alerts the compliance inbox received (SNS -> SQS)",
        ("subject", "severity", "kind", "domain attribute"),
        rows,
        width,
    )


def isolation_policy_view(domain_arn: str, width: int) -> RenderableType:
    """What `tag-enforcer isolation-policy --domain` gives a domain, statement by statement."""
    documents = build_isolation_policy(domain_arn)
    rows: list[list[Cell | str]] = []
    for document in documents:
        for statement in document["Statement"]:
            actions = statement["Action"]
            rows.append(
                [
                    statement["Sid"],
                    statement["Effect"],
                    actions if isinstance(actions, str) else f"{len(actions)} actions",
                    json.dumps(statement.get("Condition", {}), sort_keys=True),
                ]
            )
    domain_id = short(domain_arn).split("/")[-1]
    return fitted(
        f"Isolation policy for {short(domain_arn)}: {len(documents)} managed policy documents "
        f"(tag-enforcer isolation-policy --domain {domain_id})",
        ("statement", "effect", "actions", "condition"),
        rows,
        width,
    )


def run_demo(mode: str) -> int:
    # The terminal's width (rich honours COLUMNS); narrow terminals get stacked blocks.
    console = Console()
    width = console.width
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
        tags_after = {
            s.resource_arn: enforced_tags(account, s.resource_arn) for s in steps if s.resource_arn
        }
        console.print(decision_view(decision_rows(steps, decisions, tags_after), width))
        alerts = read_inbox(account, inbox)
        console.print(alert_view(alerts, width))
        if alerts:
            body = json.loads(alerts[0]["Message"])
            console.print(key_values("One alert body, as a subscriber reads it", body, width))
        console.print(isolation_policy_view(scenario.finance.domain_arn, width))
        # The daily sweep finds what no event announced.
        demo_sweep.run_sweep_step(
            console, account, stack, scenario, lambda: read_inbox(account, inbox)
        )
    return 0
