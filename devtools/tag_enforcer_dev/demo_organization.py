"""The demo's organization part: one central enforcer for an emulated AWS Organization.

`tag-enforcer demo --organization` (and the second half of `make demo`): the central
account runs template.yaml in organization mode, two member accounts run
member-template.yaml, each with its own domains. Events made in each member reach the
central queue through the member's rules and the central bus; the enforcer tags and
flags in the member through its member role; one organization sweep ends in one digest.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from tag_enforcer_dev.demo import enforced_tags, short
from tag_enforcer_dev.emulator.account import running_account
from tag_enforcer_dev.emulator.inbox import read_inbox, subscribe_compliance_inbox
from tag_enforcer_dev.emulator.organization import (
    EmulatedOrganization,
    MemberAccount,
    OrganizationPipeline,
    organization_sweep,
)
from tag_enforcer_dev.scenario import ScenarioStep, _model, _training_job, set_up_domains


def _member_steps(member: MemberAccount) -> list[ScenarioStep]:
    """In the member: bob's SDK training job (his role says whose), and a CI bot's model
    (a role of no domain): one to tag, one to flag."""
    scenario = set_up_domains(member.view)
    bob = scenario.sdk_user("bob-laptop", scenario.roles["FinanceQuantAnalystRole"])
    ci_bot = scenario.iam_user("ci-bot")
    return [
        bob.create(
            "CreateTrainingJob",
            _training_job(f"churn-{member.name}", scenario.roles["FinanceQuantAnalystRole"]),
            "outside Studio (SDK)",
        ),
        ci_bot.create(
            "CreateModel",
            _model(f"scorer-{member.name}", scenario.roles["CiModelDeployRole"]),
            "unknown IAM user",
        ),
    ]


def decisions_table(
    steps: dict[str, list[ScenarioStep]],
    members: dict[str, MemberAccount],
    decisions: dict[str, dict[str, Any]],
) -> Table:
    table = Table(title="What the central enforcer decided, account by account", show_lines=True)
    for column in ("account", "who / how", "event", "resource", "decision", "tags after"):
        table.add_column(column, overflow="fold")
    for name, member_steps in steps.items():
        member = members[name]
        for step in member_steps:
            logged = decisions.get(step.event_id, {})
            tags = enforced_tags(member.view, step.resource_arn)
            table.add_row(
                f"{member.account_id}\n[dim]{name}[/dim]",
                f"{step.who}\n[dim]{step.how}[/dim]",
                step.event_name,
                short(step.resource_arn),
                f"{logged.get('outcome', '?')} -> {logged.get('action', '?')}",
                "\n".join(f"{k.split(':')[1]}={short(v)}" for k, v in sorted(tags.items())) or "-",
            )
    return table


def findings_table(alerts: list[dict[str, Any]]) -> Table:
    table = Table(title="Findings on the central alert topic", show_lines=True)
    for column in ("account", "severity", "kind", "resource"):
        table.add_column(column, overflow="fold")
    for alert in alerts:
        body = json.loads(alert["Message"])
        if body.get("kind") == "sweep-digest":
            continue
        table.add_row(
            f"{body.get('account')}\n[dim]{body.get('accountName') or ''}[/dim]",
            body.get("severity", "?"),
            body.get("kind", "?"),
            short(body.get("resourceArn")),
        )
    return table


def sections_table(digest: dict[str, Any]) -> Table:
    table = Table(title=f"One organization digest: {digest['subject']}")
    for column in ("account", "name", "region", "status", "resources", "tagged", "flagged"):
        table.add_column(column)
    for section in digest["body"]["sections"]:
        by_action = section.get("byAction", {})
        table.add_row(
            section["account"],
            section.get("accountName") or "",
            section["region"],
            section["status"],
            str(section.get("total", 0)),
            str(by_action.get("tagged", 0)),
            str(by_action.get("flagged", 0)),
        )
    return table


def run_organization_demo(mode: str = "tag") -> int:
    console = Console(width=max(Console().width, 160))
    with running_account() as central:
        console.rule("[bold]Organization mode: one central enforcer, two member accounts")
        organization = EmulatedOrganization.create(central)
        stack = organization.deploy_central({"EnforcementMode": mode})
        organization.deploy_members(stack)
        members = {m.name: m for m in organization.members}
        console.print(
            f"Organization {organization.organization_id}: central account "
            f"{central.account_id} runs template.yaml with OrganizationId set; "
            + ", ".join(f"{m.name} ({m.account_id})" for m in members.values())
            + " run member-template.yaml, as a StackSet instance would"
        )
        inbox = subscribe_compliance_inbox(central, stack)
        steps = {name: _member_steps(member) for name, member in members.items()}
        pipeline = OrganizationPipeline(organization, stack)
        for name, member_steps in steps.items():
            pipeline.publish((s.event for s in member_steps), on_bus_of=members[name].view)
        logged = pipeline.drain_with_redelivery()
        pipeline.close()
        decisions = {r["event_id"]: r for r in logged if r["message"] == "decision"}
        console.print(
            f"{sum(len(s) for s in steps.values())} events put on the members' default buses; "
            f"{len(decisions)} reached the central enforce queue through the central bus"
        )
        console.print(decisions_table(steps, members, decisions))
        console.print(findings_table(read_inbox(central, inbox)))
        console.rule("[bold]The organization sweep: every account x region, one digest")
        execution = organization_sweep(organization, stack).start()
        digests = [
            {"subject": a["Subject"], "body": json.loads(a["Message"])}
            for a in read_inbox(central, inbox)
            if a["MessageAttributes"]["kind"]["Value"] == "sweep-digest"
        ]
        if digests:
            console.print(sections_table(digests[0]))
        console.print(
            f"report: {execution.output['report']}; {len(digests)} digest on the alert topic"
        )
    return 0
