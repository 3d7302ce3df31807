"""An organization run: every account x region swept as its own run, one failing account
recorded and never stopping the others, one report and one digest with a section each."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tag_enforcer.core.errors import RoleUnavailableError
from tag_enforcer.core.organization import OrganizationAccount
from tag_enforcer.core.settings import EnforcementMode
from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer.sweep.checkpoint import SweepRun
from tag_enforcer.sweep.organization import (
    FAILED,
    FINISHED,
    MISSING,
    NoAccountsError,
    OrganizationSweep,
    Scope,
    ScopeOutcome,
    build_organization_digest,
    lambda_error_message,
    scope_run_id,
)
from tag_enforcer.sweep.report import SweepAction
from tag_enforcer.sweep.settings import RUN_LEASE_SECONDS, SweepOptions
from tag_enforcer_cli.local_stores import (
    InMemoryCheckpointStore,
    InMemoryOrganizationReports,
    InMemoryScopeOutcomes,
)
from tests.support.studio import Studio
from tests.support.sweep import FakeClock, FakeDigest, new_world

HEALTHY = "222233334444"
BROKEN = "555566667777"
REGIONS = ("us-east-1", "eu-west-1")


class Accounts:
    """AccountSource: the Organization's active accounts, recording the OU asked for."""

    def __init__(self, *accounts: OrganizationAccount) -> None:
        self.accounts = list(accounts)
        self.asked: list[str | None] = []

    def active_accounts(self, parent_id: str | None = None) -> list[OrganizationAccount]:
        self.asked.append(parent_id)
        return list(self.accounts)


class Organization:
    """The run's service, its stores and fakes, in one place."""

    def __init__(self, **kwargs: Any) -> None:
        self.checkpoints = InMemoryCheckpointStore()
        self.outcomes = InMemoryScopeOutcomes()
        self.reports = InMemoryOrganizationReports()
        self.digest = FakeDigest()
        self.clock = FakeClock()
        options = {
            "regions": REGIONS,
            "account_ids": (HEALTHY, BROKEN),
            **kwargs,
        }
        self.service = OrganizationSweep(
            options=SweepOptions(mode=EnforcementMode.TAG, type_names=("TrainingJob",)),
            checkpoints=self.checkpoints,
            outcomes=self.outcomes,
            reports=self.reports,
            digest=self.digest,
            clock=self.clock,
            **options,
        )


def refused() -> None:
    raise RoleUnavailableError(
        f"arn:aws:iam::{BROKEN}:role/SageMakerTagEnforcerMember", "AccessDenied: no such role"
    )


def test_a_run_covers_every_account_in_every_region() -> None:
    organization = Organization()
    plan = organization.service.plan("execution-1")
    assert plan.skipped is None
    # Regions outer: the items a Map runs at once are mostly different accounts.
    assert plan.scopes == [
        Scope(HEALTHY, "us-east-1"),
        Scope(BROKEN, "us-east-1"),
        Scope(HEALTHY, "eu-west-1"),
        Scope(BROKEN, "eu-west-1"),
    ]
    assert scope_run_id(plan.run_id, plan.scopes[0]) == f"{plan.run_id}/{HEALTHY}/us-east-1"


def test_accounts_come_from_the_organization_under_the_ou_when_none_are_listed() -> None:
    source = Accounts(OrganizationAccount(HEALTHY, "ml-research"), OrganizationAccount(BROKEN))
    organization = Organization(
        account_ids=(), account_source=source, organizational_unit_id="ou-ab12-cdef3456"
    )
    plan = organization.service.plan("execution-1")
    assert {s.account for s in plan.scopes} == {HEALTHY, BROKEN}
    assert source.asked == ["ou-ab12-cdef3456"]


def test_without_accounts_or_a_read_role_the_run_says_what_to_set() -> None:
    with pytest.raises(NoAccountsError, match="SweepAccountIds, or OrganizationReadRoleArn"):
        Organization(account_ids=()).service.plan("execution-1")


def test_a_second_execution_steps_aside_while_the_run_is_alive_and_takes_over_after() -> None:
    organization = Organization()
    first = organization.service.plan("execution-1")
    second = organization.service.plan("execution-2")
    assert second.skipped
    assert "still in progress" in second.skipped
    organization.clock.advance(RUN_LEASE_SECONDS + 1)
    third = organization.service.plan("execution-3")
    assert (third.run_id, third.resumed, third.scopes) == (first.run_id, True, first.scopes)


def test_one_account_without_its_member_role_is_recorded_and_the_others_are_swept(
    studio: Studio,
) -> None:
    # GIVEN an organization of a healthy account (one untagged job) and a broken one
    organization = Organization(regions=("us-east-1",))
    healthy = new_world(studio)
    job = healthy.account.add(
        "TrainingJob", "alice-job", details={"RoleArn": studio.role("AliceRole")}
    )
    broken = new_world(studio)
    plan = organization.service.plan("execution-1")

    # WHEN each account is planned, swept and finished as the Distributed Map does it
    for scope in plan.scopes:
        world = healthy if scope.account == HEALTHY else broken
        service = world.service(types=("TrainingJob",))
        planned = organization.service.plan_scope(
            plan.run_id,
            "execution-1",
            scope,
            service,
            check_access=refused if scope.account == BROKEN else lambda: None,
        )
        if planned.plan is None:
            continue
        for wave in planned.plan.waves:
            for type_name in wave:
                while not service.sweep_type(planned.plan.run_id, type_name, "execution-1").done:
                    pass
        organization.service.finish_scope(plan.run_id, "execution-1", scope, service)
    result = organization.service.finish(plan.run_id, "execution-1")

    # THEN the healthy account was tagged, and the broken one was never called
    assert healthy.account.tags_of(job)[DOMAIN_TAG] == studio.finance.domain_arn
    assert sum(broken.account.calls.values()) == 0
    # AND one digest tells both: the failure first, with its reason, then the counts
    [digest] = organization.digest.published
    body = digest.body
    assert body["scope"] == "organization"
    assert body["failedAccounts"] == 1
    assert [s["account"] for s in body["sections"]] == [BROKEN, HEALTHY]
    assert "AccessDenied" in body["sections"][0]["error"]
    assert body["sections"][1]["byAction"] == {SweepAction.TAGGED.value: 1}
    assert body["counts"]["byAction"] == {SweepAction.TAGGED.value: 1}
    assert body["severity"] == "high"
    assert "2 accounts" in digest.subject
    assert "1 accounts failed" in digest.subject
    # AND the report holds both sections, and names the account's own report
    report = organization.reports.reports[plan.run_id]
    assert [s["status"] for s in report["sections"]] == [FINISHED, FAILED]
    assert report["sections"][0]["report"]["json"].endswith(
        f"{plan.run_id}/{HEALTHY}/us-east-1/report.json"
    )
    assert result.failed_accounts[0].account == BROKEN


def test_finishing_twice_sends_one_digest_and_an_unfinished_account_is_reported_missing() -> None:
    organization = Organization(regions=("us-east-1",), account_ids=(HEALTHY,))
    plan = organization.service.plan("execution-1")
    first = organization.service.finish(plan.run_id, "execution-1")
    again = organization.service.finish(plan.run_id, "execution-1")
    assert (first.digest_sent, again.digest_sent) == (True, False)
    assert len(organization.digest.published) == 1
    [outcome] = first.outcomes
    assert outcome.status == MISSING
    assert "stopped before it finished" in outcome.error


def test_a_finished_account_is_not_swept_again_when_the_run_resumes(studio: Studio) -> None:
    organization = Organization(regions=("us-east-1",), account_ids=(HEALTHY,))
    world = new_world(studio)
    world.account.add("TrainingJob", "alice-job", details={"RoleArn": studio.role("AliceRole")})
    plan = organization.service.plan("execution-1")
    [scope] = plan.scopes
    service = world.service(types=("TrainingJob",))
    planned = organization.service.plan_scope(plan.run_id, "execution-1", scope, service)
    assert planned.plan is not None
    for wave in planned.plan.waves:
        for type_name in wave:
            service.sweep_type(planned.plan.run_id, type_name, "execution-1")
    organization.service.finish_scope(plan.run_id, "execution-1", scope, service)
    recorded = organization.outcomes.outcome(plan.run_id, scope)

    # WHEN a later execution resumes the organization run (the first one stopped)
    organization.clock.advance(RUN_LEASE_SECONDS + 1)
    organization.service.plan("execution-2")
    again = organization.service.plan_scope(plan.run_id, "execution-2", scope, service)
    organization.service.finish_scope(plan.run_id, "execution-2", scope, service)

    # THEN the finished account has nothing left to sweep, and its section is kept
    assert again.plan is not None
    assert again.plan.waves == []
    assert organization.outcomes.outcome(plan.run_id, scope) == recorded


def test_the_digest_stays_within_snss_limit_and_lists_failed_accounts_first() -> None:
    # GIVEN an organization of 2,000 accounts, the last of which failed
    outcomes = [
        ScopeOutcome(
            f"{n:012d}",
            "us-east-1",
            FINISHED,
            counts={"total": 3, "byAction": {"none": 3}, "incompleteTypes": {}},
            report={"json": f"s3://bucket/reports/2026-12-01/r/{n:012d}/us-east-1/report.json"},
        )
        for n in range(1999)
    ] + [ScopeOutcome("999999999999", "us-east-1", FAILED, error="AccessDenied")]

    # WHEN its digest is built
    swept = SweepRun("r", "2026-12-01T00:00:00Z", "tag", False, [], "o", 0.0)
    digest = build_organization_digest(swept, outcomes, "s3://bucket/organization.json")

    # THEN it fits in one SNS message (256 KB), names the failure first, and says how many
    # sections the report has that the message does not
    assert len(json.dumps(digest.body).encode()) < 256 * 1024
    assert digest.body["sections"][0]["account"] == "999999999999"
    assert digest.body["sectionsListed"].endswith("of 2000; the report has all")
    assert digest.body["counts"]["total"] == 3 * 1999


def test_the_error_a_catch_hands_over_reads_as_the_functions_own_message() -> None:
    cause = json.dumps({"errorType": "TransientAwsError", "errorMessage": "Search throttled"})
    assert lambda_error_message("States.TaskFailed", cause) == "TransientAwsError: Search throttled"
    assert lambda_error_message("States.Timeout", "") == "States.Timeout: "
