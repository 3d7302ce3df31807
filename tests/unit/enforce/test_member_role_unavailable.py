"""An event from a member account whose role cannot be assumed: one finding per account and
hour, the record finished (never retried into the dead-letter queue), the account named."""

from __future__ import annotations

import time
from typing import Any

from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyItemAlreadyExistsError,
    IdempotencyItemNotFoundError,
)
from aws_lambda_powertools.utilities.idempotency.persistence.base import BasePersistenceLayer
from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord

from tag_enforcer.core.cloudtrail import CloudTrailApiCallEvent, CloudTrailRecord
from tag_enforcer.core.decisions import Outcome, Severity
from tag_enforcer.core.errors import RoleUnavailableError
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings
from tag_enforcer.enforce.alerts import (
    ACCOUNT_WINDOW_SECONDS,
    DeduplicatedAlertPublisher,
    Finding,
    FindingKind,
)
from tag_enforcer.enforce.service import Action, EnforcementService
from tests.support.ports import FakeDirectory
from tests.support.studio import Studio

MEMBER = "222233334444"
OTHER_MEMBER = "555566667777"


def _role(account: str) -> str:
    return f"arn:aws:iam::{account}:role/SageMakerTagEnforcerMember"


class MemoryPersistence(BasePersistenceLayer):
    """Powertools' idempotency records in a dict, as the DynamoDB table keeps them."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # Powertools leaves it untyped
        self.records: dict[str, DataRecord] = {}

    def _get_record(self, idempotency_key: str) -> DataRecord:
        if idempotency_key not in self.records:
            raise IdempotencyItemNotFoundError
        return self.records[idempotency_key]

    def _put_record(self, data_record: DataRecord) -> None:
        existing = self.records.get(data_record.idempotency_key)
        if existing is not None and not existing.is_expired:
            raise IdempotencyItemAlreadyExistsError(old_data_record=existing)
        self.records[data_record.idempotency_key] = data_record

    def _update_record(self, data_record: DataRecord) -> None:
        self.records[data_record.idempotency_key] = data_record

    def _delete_record(self, data_record: DataRecord) -> None:
        self.records.pop(data_record.idempotency_key, None)


class RefusingTags:
    """TagPort of a member account whose role cannot be assumed: every call is refused."""

    def __init__(self, account: str) -> None:
        self.account = account
        self.calls = 0

    def list_tags(self, resource_arn: str) -> dict[str, str]:
        self.calls += 1
        raise RoleUnavailableError(_role(self.account), "AccessDenied: not authorized")

    def add_tags(self, resource_arn: str, tags: Any) -> None:
        raise AssertionError("nothing is tagged through a role that cannot be assumed")


class Published:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def publish(self, finding: Finding) -> None:
        self.findings.append(finding)


def _member_record(studio: Studio, account: str, job: str = "churn-xgb") -> CloudTrailRecord:
    """A CreateTrainingJob in `account`, as its trail records it and the central bus receives it."""
    event = studio.event(
        "CreateTrainingJob",
        {"trainingJobName": job},
        {"trainingJobArn": f"arn:aws:sagemaker:us-east-1:{account}:training-job/{job}"},
        recipientAccountId=account,
    )
    event["account"] = account
    return CloudTrailApiCallEvent.model_validate(event).detail


def test_the_record_is_finished_with_one_finding_that_names_the_account(
    studio: Studio, fake_directory: FakeDirectory
) -> None:
    # GIVEN a create event from a member account whose role cannot be assumed
    published = Published()
    service = EnforcementService(
        EnforcerSettings(mode=EnforcementMode.TAG),
        fake_directory,
        RefusingTags(MEMBER),
        published,
        account_names={MEMBER: "ml-research-prod"}.get,
    )

    # WHEN it is enforced
    result = service.enforce(_member_record(studio, MEMBER))

    # THEN the record is done (no exception for the queue to retry into the DLQ)
    assert result.outcome is Outcome.FLAG
    assert result.action is Action.ALERTED
    # AND one high-severity finding names the role, the account and its name, and what to do
    [finding] = published.findings
    assert finding.kind == FindingKind.MEMBER_ROLE_UNAVAILABLE
    assert finding.severity is Severity.HIGH
    assert finding.resource_arn == _role(MEMBER)
    body = finding.body()
    assert body["account"] == MEMBER
    assert body["accountName"] == "ml-research-prod"
    assert "member template" in body["recommendedAction"]
    assert "AccessDenied" in body["problem"]


def test_a_flood_of_events_from_the_account_gives_one_finding_per_account_and_hour(
    studio: Studio, fake_directory: FakeDirectory
) -> None:
    # GIVEN the deployed deduplication (a 24-hour window for resources)
    published = Published()
    persistence = MemoryPersistence()
    alerts = DeduplicatedAlertPublisher(published, persistence, window_seconds=86_400)
    services = {
        account: EnforcementService(
            EnforcerSettings(mode=EnforcementMode.TAG),
            fake_directory,
            RefusingTags(account),
            alerts,
        )
        for account in (MEMBER, OTHER_MEMBER)
    }

    # WHEN fifty events come from the account, and one from another broken account
    for number in range(50):
        services[MEMBER].enforce(_member_record(studio, MEMBER, f"job-{number}"))
    services[OTHER_MEMBER].enforce(_member_record(studio, OTHER_MEMBER))

    # THEN each account was reported once
    assert [f.account for f in published.findings] == [MEMBER, OTHER_MEMBER]
    # AND the account's record lasts an hour, not the resource window: the next hour
    # hears again if the role is still missing
    assert alerts.account_config.expires_after_seconds == ACCOUNT_WINDOW_SECONDS == 3600
    assert alerts.config.expires_after_seconds == 86_400
    expiries = [r.expiry_timestamp or 0 for r in persistence.records.values()]
    assert len(expiries) == 2
    assert all(3500 < expiry - time.time() <= 3601 for expiry in expiries)


def test_the_finding_is_deduplicated_per_account_not_per_resource() -> None:
    finding = Finding(
        kind=FindingKind.MEMBER_ROLE_UNAVAILABLE,
        severity=Severity.HIGH,
        resource_arn=_role(MEMBER),
        resource_type="MemberRole",
        event_name="CreateTrainingJob",
        event_time="2026-12-01T09:00:00Z",
        event_id="e1",
        caller="c",
        evidence=(),
        proposed_tags={},
        found_tags={},
        mode="tag",
        account=MEMBER,
        region="us-east-1",
    )
    assert finding.dedup_key == f"account#{MEMBER}#member-role-unavailable"
