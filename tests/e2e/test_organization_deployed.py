"""Organization mode through both deployed templates, on an emulated AWS Organization.

The central account runs template.yaml with OrganizationId set; every member runs
member-template.yaml, deployed by its own CloudFormation as a StackSet instance would be.
A member's event goes from its default bus through the member's rules to the central
bus, the central rules and the enforce queue; the enforce function tags the resource in
the member account through the member role. One member's role trusts other roles (a
StackSet deployed with the wrong parameters): its events give one finding, and the
organization sweep records it failed and sweeps the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tag_enforcer.core.tags import DOMAIN_TAG, ENFORCED_TAG_KEYS, USER_PROFILE_TAG
from tag_enforcer_dev.emulator.account import EmulatedAccount, running_account
from tag_enforcer_dev.emulator.deploy import DeployedStack
from tag_enforcer_dev.emulator.inbox import read_inbox, subscribe_compliance_inbox
from tag_enforcer_dev.emulator.moto_patches import event_buses
from tag_enforcer_dev.emulator.organization import (
    AccountView,
    EmulatedOrganization,
    MemberAccount,
    OrganizationPipeline,
    organization_sweep,
)
from tag_enforcer_dev.emulator.sweep_pipeline import SweepExecution
from tag_enforcer_dev.scenario import BlogScenario, ScenarioStep, _training_job, set_up_domains

pytestmark = pytest.mark.e2e

HEALTHY = ("ml-research", "ml-platform")
MISCONFIGURED = "ml-sandbox"


@dataclass
class OrganizationWorld:
    central: EmulatedAccount
    organization: EmulatedOrganization
    stack: DeployedStack
    inbox: str
    scenarios: dict[str, BlogScenario] = field(default_factory=dict)

    def member(self, name: str) -> MemberAccount:
        return self.organization.member(name)

    def enforced_tags(self, view: EmulatedAccount, arn: str | None) -> dict[str, str]:
        tags = view.client("sagemaker").list_tags(ResourceArn=arn)["Tags"]
        return {t["Key"]: t["Value"] for t in tags if t["Key"] in ENFORCED_TAG_KEYS}

    def sdk_training_job(self, name: str, job: str) -> ScenarioStep:
        """bob's role from a laptop in the member: no Studio tags, his role's evidence."""
        scenario = self.scenarios[name]
        bob = scenario.sdk_user("bob-laptop", scenario.roles["FinanceQuantAnalystRole"])
        return bob.create(
            "CreateTrainingJob",
            _training_job(job, scenario.roles["FinanceQuantAnalystRole"]),
            "outside Studio (SDK)",
        )


@pytest.fixture(scope="module")
def world() -> Iterator[OrganizationWorld]:
    with running_account() as central:
        organization = EmulatedOrganization.create(central, (*HEALTHY, MISCONFIGURED))
        stack = organization.deploy_central({"EnforcementMode": "tag"})
        inbox = subscribe_compliance_inbox(central, stack)
        made = OrganizationWorld(central, organization, stack, inbox)
        for member in organization.members:
            if member.name == MISCONFIGURED:
                # Its role trusts two roles of another deployment, not this one's.
                elsewhere = f"arn:aws:iam::{central.account_id}:role/another-enforcer"
                member.stacks[central.region] = organization.deploy_member(
                    member.view,
                    stack,
                    CentralEnforceRoleArn=f"{elsewhere}-enforce",
                    CentralSweepRoleArn=f"{elsewhere}-sweep",
                )
            else:
                member.stacks[central.region] = organization.deploy_member(member.view, stack)
            made.scenarios[member.name] = set_up_domains(member.view)
        organization.deploy_member(
            organization.view(central.region), stack, CreateOrganizationReadRole="true"
        )
        yield made


@pytest.fixture(scope="module")
def enforced(world: OrganizationWorld) -> dict[str, Any]:
    """One SDK training job in each member, and three in the misconfigured one."""
    pipeline = OrganizationPipeline(world.organization, world.stack)
    steps = {name: world.sdk_training_job(name, f"churn-{name}") for name in HEALTHY}
    refused = [world.sdk_training_job(MISCONFIGURED, f"sandbox-{i}") for i in range(3)]
    try:
        for name, step in steps.items():
            assert pipeline.publish([step.event], on_bus_of=world.member(name).view) == 1
        assert pipeline.publish(
            [s.event for s in refused], on_bus_of=world.member(MISCONFIGURED).view
        )
        logged = pipeline.drain()
        redelivered = pipeline.redeliver_failed()
        queue = world.central.client("sqs").get_queue_attributes(
            QueueUrl=pipeline.queue_url, AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]["ApproximateNumberOfMessages"]
    finally:
        pipeline.close()
    return {
        "steps": steps,
        "refused": refused,
        "logged": logged,
        "redelivered": redelivered,
        "queue": int(queue),
        "alerts": messages(read_inbox(world.central, world.inbox)),
    }


def test_an_event_in_each_member_is_tagged_in_that_member_account(
    world: OrganizationWorld, enforced: dict[str, Any]
) -> None:
    for name, step in enforced["steps"].items():
        member = world.member(name)
        scenario = world.scenarios[name]
        assert f":{member.account_id}:" in str(step.resource_arn)
        assert world.enforced_tags(member.view, step.resource_arn) == {
            DOMAIN_TAG: scenario.finance.domain_arn,
            USER_PROFILE_TAG: scenario.finance.profiles["bob"],
        }
        # The member's own domain, never the central account's or another member's.
        assert f":{member.account_id}:domain/" in scenario.finance.domain_arn
    actions = {
        r["resource_arn"]: r["action"] for r in enforced["logged"] if r["message"] == "decision"
    }
    assert [actions[s.resource_arn] for s in enforced["steps"].values()] == ["tagged", "tagged"]


def test_the_central_account_has_none_of_the_members_resources(
    world: OrganizationWorld, enforced: dict[str, Any]
) -> None:
    jobs = world.central.client("sagemaker").list_training_jobs()["TrainingJobSummaries"]
    assert jobs == []


def test_a_member_whose_role_refuses_gives_one_finding_and_no_retries(
    world: OrganizationWorld, enforced: dict[str, Any]
) -> None:
    member = world.member(MISCONFIGURED)
    findings = [a for a in enforced["alerts"] if a.get("kind") == "member-role-unavailable"]
    assert len(findings) == 1, findings
    [finding] = findings
    assert finding["account"] == member.account_id
    assert finding.get("accountName") == MISCONFIGURED
    assert finding["severity"] == "high"
    # Acknowledged, not retried into the dead-letter queue; its resources stay untagged.
    assert enforced["redelivered"] == 0
    assert enforced["queue"] == 0
    # Each of its three records is finished (alerted), the finding sent for the first.
    alerted = [
        r for r in enforced["logged"] if r["message"] == "decision" and r["action"] == "alerted"
    ]
    assert len(alerted) == len(enforced["refused"])
    for step in enforced["refused"]:
        assert world.enforced_tags(member.view, step.resource_arn) == {}


def test_an_account_outside_the_organization_cannot_put_events_on_the_central_bus(
    world: OrganizationWorld,
) -> None:
    # GIVEN an account with the member stack that is not in the Organization
    outsider = AccountView(
        region=world.central.region,
        account_id="999988887777",
        endpoint_url=world.central.endpoint_url,
    )
    world.organization.deploy_member(outsider, world.stack)
    scenario = set_up_domains(outsider)
    bob = scenario.sdk_user("bob-laptop", scenario.roles["FinanceQuantAnalystRole"])
    step = bob.create(
        "CreateTrainingJob",
        _training_job("outsider-job", scenario.roles["FinanceQuantAnalystRole"]),
        "sdk",
    )
    refused_before = len(event_buses.REFUSED)
    pipeline = OrganizationPipeline(world.organization, world.stack)
    try:
        # WHEN its rule forwards the event
        pipeline.publish([step.event], on_bus_of=outsider)
        logged = pipeline.drain()
    finally:
        pipeline.close()
    # THEN the central bus's policy refuses it: nothing reaches the queue
    assert event_buses.REFUSED[refused_before:] == [
        ("999988887777", world.stack.outputs["CentralEventBusArn"])
    ]
    assert [r for r in logged if r["message"] == "decision"] == []


@pytest.fixture(scope="module")
def swept(world: OrganizationWorld, enforced: dict[str, Any]) -> SweepExecution:
    return organization_sweep(world.organization, world.stack).start()


def test_the_organization_sweep_covers_every_member_and_one_failing_member_stops_none(
    world: OrganizationWorld, swept: SweepExecution
) -> None:
    output = swept.output
    assert output["accounts"] == 3
    [failed] = output["failedAccounts"]
    assert failed["account"] == world.member(MISCONFIGURED).account_id
    assert "AccessDenied" in failed["error"]
    report = read_report(world, output["report"])
    sections = {s["account"]: s for s in report["sections"]}
    for name in HEALTHY:
        section = sections[world.member(name).account_id]
        assert section["status"] == "finished"
        assert section["accountName"] == name
        assert section["counts"]["total"] > 0
    assert sections[world.member(MISCONFIGURED).account_id]["status"] == "failed"


def test_the_organization_sweep_tags_in_each_member_what_no_event_told(
    world: OrganizationWorld, swept: SweepExecution
) -> None:
    # The space made by set_up_domains had no create event: the sweep found it.
    for name in HEALTHY:
        member, scenario = world.member(name), world.scenarios[name]
        space = scenario.finance.spaces["quarterly-forecast"]
        assert (
            world.enforced_tags(member.view, space).get(DOMAIN_TAG) == scenario.finance.domain_arn
        )


def test_the_organization_sweep_sends_one_digest_with_a_section_per_account(
    world: OrganizationWorld, swept: SweepExecution
) -> None:
    digests = [
        a
        for a in messages(read_inbox(world.central, world.inbox))
        if a.get("kind") == "sweep-digest"
    ]
    assert len(digests) == 1
    [digest] = digests
    assert digest["scope"] == "organization"
    assert digest["failedAccounts"] == 1
    assert {s["account"] for s in digest["sections"]} == {
        m.account_id for m in world.organization.members
    }
    # Failed accounts first, named.
    assert digest["sections"][0]["accountName"] == MISCONFIGURED


def messages(notifications: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The alert bodies of SNS notifications delivered to the inbox queue."""
    return [json.loads(n["Message"]) for n in notifications]


def read_report(world: OrganizationWorld, location: str) -> dict[str, Any]:
    bucket, key = location.removeprefix("s3://").split("/", 1)
    body = world.central.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    report: dict[str, Any] = json.loads(body)
    return report
