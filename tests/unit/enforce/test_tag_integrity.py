"""Tag integrity on the enforce path: AddTags/DeleteTags on an enforced key after creation."""

from __future__ import annotations

from typing import Any

import pytest

from tag_enforcer.core.cloudtrail import CloudTrailRecord
from tag_enforcer.core.decisions import AttributionDecision, FlagReason, Outcome
from tag_enforcer.core.directory import DomainDirectory
from tag_enforcer.core.errors import ResourceGoneError
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings
from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer.enforce.inspection import InspectionError
from tag_enforcer.enforce.service import Action, EnforcementService
from tests.support.ports import FakeAlerts, FakeDirectory, FakeInspector, FakeTags

ACCOUNT = "111122223333"
MODEL = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model/churn"
FINANCE = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:domain/d-finance01"
ENFORCER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/stack-EnforceFunctionRole-ABC"


def tag_event(
    operation: str, request: dict[str, Any], issuer: str | None = None
) -> CloudTrailRecord:
    identity: dict[str, Any] = {"type": "IAMUser", "arn": f"arn:aws:iam::{ACCOUNT}:user/someone"}
    if issuer:
        identity = {
            "type": "AssumedRole",
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/x/y",
            "sessionContext": {"sessionIssuer": {"arn": issuer}},
        }
    return CloudTrailRecord.model_validate(
        {
            "eventID": "e-1",
            "eventName": operation,
            "eventSource": "sagemaker.amazonaws.com",
            "eventTime": "2026-11-29T10:00:00Z",
            "awsRegion": "us-east-1",
            "recipientAccountId": ACCOUNT,
            "userIdentity": identity,
            "requestParameters": request,
        }
    )


def service(
    inspector: FakeInspector, tags: FakeTags, alerts: FakeAlerts, mode: EnforcementMode
) -> EnforcementService:
    settings = EnforcerSettings(mode=mode, own_role_arns=frozenset({ENFORCER_ROLE}))
    directory = FakeDirectory(DomainDirectory())
    return EnforcementService(settings, directory, tags, alerts, inspector=inspector)


UNAMBIGUOUS = AttributionDecision(Outcome.TAG, {DOMAIN_TAG: FINANCE}, {DOMAIN_TAG: FINANCE})


@pytest.mark.parametrize(
    ("mode", "action", "writes"),
    [
        (EnforcementMode.TAG, Action.RESTORED, [(MODEL, {DOMAIN_TAG: FINANCE})]),
        (EnforcementMode.AUDIT, Action.ALERTED, []),
    ],
)
def test_removed_domain_tag_is_reported_and_restored_only_in_tag_mode(
    mode: EnforcementMode, action: Action, writes: list[tuple[str, dict[str, str]]]
) -> None:
    # GIVEN a model whose own evidence names finance, and whose domain tag was just deleted
    tags, alerts = FakeTags(), FakeAlerts()
    enforcer = service(FakeInspector(UNAMBIGUOUS, {}), tags, alerts, mode)

    # WHEN the DeleteTags event arrives
    result = enforcer.enforce(
        tag_event("DeleteTags", {"resourceArn": MODEL, "tagKeys": [DOMAIN_TAG]})
    )

    # THEN it is reported as high severity, and put back only in tag mode
    assert (result.outcome, result.action) == (Outcome.FLAG, action)
    assert [(f.kind, f.severity.value) for f in alerts.published] == [("tag-removed", "high")]
    assert tags.added == writes


def test_removed_tag_without_unambiguous_evidence_is_reported_and_not_guessed() -> None:
    tags, alerts = FakeTags(), FakeAlerts()
    unattributable = AttributionDecision(Outcome.FLAG, reason=FlagReason.UNATTRIBUTABLE)
    enforcer = service(FakeInspector(unattributable, {}), tags, alerts, EnforcementMode.TAG)
    result = enforcer.enforce(
        tag_event("DeleteTags", {"resourceArn": MODEL, "tagKeys": [DOMAIN_TAG]})
    )
    assert result.action is Action.ALERTED
    assert tags.added == []
    assert [f.kind for f in alerts.published] == ["tag-removed"]


def test_changed_domain_tag_is_a_mismatch_and_never_overwritten() -> None:
    other = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:domain/d-other01"
    mismatch = AttributionDecision(
        Outcome.FLAG,
        {DOMAIN_TAG: FINANCE},
        conflicting_tags={DOMAIN_TAG: (other, FINANCE)},
        reason=FlagReason.MISMATCH,
    )
    tags, alerts = FakeTags({MODEL: {DOMAIN_TAG: other}}), FakeAlerts()
    enforcer = service(
        FakeInspector(mismatch, {DOMAIN_TAG: other}), tags, alerts, EnforcementMode.TAG
    )
    result = enforcer.enforce(
        tag_event("AddTags", {"resourceArn": MODEL, "tags": [{"key": DOMAIN_TAG, "value": other}]})
    )
    assert (result.outcome, result.action) == (Outcome.FLAG, Action.ALERTED)
    assert [(f.kind, f.severity.value) for f in alerts.published] == [("mismatch", "high")]
    assert tags.added == []


@pytest.mark.parametrize(
    "record",
    [
        tag_event("DeleteTags", {"resourceArn": MODEL, "tagKeys": ["cost-center"]}),
        tag_event("AddTags", {"resourceArn": MODEL, "tags": [{"Key": "team", "Value": "x"}]}),
        tag_event(
            "DeleteTags", {"resourceArn": MODEL, "tagKeys": [DOMAIN_TAG]}, issuer=ENFORCER_ROLE
        ),
    ],
)
def test_changes_to_other_keys_and_the_enforcers_own_writes_are_ignored(
    record: CloudTrailRecord,
) -> None:
    inspector, alerts = FakeInspector(UNAMBIGUOUS, {}), FakeAlerts()
    result = service(inspector, FakeTags(), alerts, EnforcementMode.TAG).enforce(record)
    assert result.outcome is Outcome.IGNORE
    assert inspector.inspected == []
    assert alerts.published == []


@pytest.mark.parametrize("error", [ResourceGoneError("gone"), InspectionError("not enforced")])
def test_a_resource_gone_or_not_enforced_is_ignored_without_alert(error: Exception) -> None:
    alerts = FakeAlerts()
    enforcer = service(FakeInspector(error, {}), FakeTags(), alerts, EnforcementMode.TAG)
    result = enforcer.enforce(
        tag_event("DeleteTags", {"resourceArn": MODEL, "tagKeys": [DOMAIN_TAG]})
    )
    assert result.outcome is Outcome.IGNORE
    assert alerts.published == []
