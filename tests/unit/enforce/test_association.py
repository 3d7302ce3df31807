"""AssociateTrialComponent: the trial's tags are the component's lineage evidence."""

from __future__ import annotations

from typing import Any

import pytest

from tag_enforcer.core.cloudtrail import CloudTrailRecord
from tag_enforcer.core.decisions import FlagReason, Outcome
from tag_enforcer.core.directory import DomainDirectory, DomainEntry
from tag_enforcer.core.errors import MalformedRecordError
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings
from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer.enforce.service import Action, EnforcementService
from tests.support.ports import FakeAlerts, FakeDirectory, FakeTags

ACCOUNT = "111122223333"
PREFIX = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}"
FINANCE = DomainEntry("d-finance01", f"{PREFIX}:domain/d-finance01", "finance", None, None, False)
RESEARCH = DomainEntry("d-research1", f"{PREFIX}:domain/d-research1", "research", None, None, False)
COMPONENT = f"{PREFIX}:experiment-trial-component/metrics"
TRIAL = f"{PREFIX}:experiment-trial/nightly"


def association(request: dict[str, Any]) -> CloudTrailRecord:
    return CloudTrailRecord.model_validate(
        {
            "eventID": "e-1",
            "eventName": "AssociateTrialComponent",
            "eventSource": "sagemaker.amazonaws.com",
            "eventTime": "2026-11-29T10:00:00Z",
            "awsRegion": "us-east-1",
            "recipientAccountId": ACCOUNT,
            "userIdentity": {"type": "IAMUser", "arn": f"arn:aws:iam::{ACCOUNT}:user/ci"},
            "requestParameters": request,
        }
    )


REQUEST = {"trialComponentName": "metrics", "trialName": "nightly"}


def service(tags: FakeTags, alerts: FakeAlerts) -> EnforcementService:
    directory = FakeDirectory(DomainDirectory((FINANCE, RESEARCH)))
    return EnforcementService(EnforcerSettings(mode=EnforcementMode.TAG), directory, tags, alerts)


def test_untagged_component_inherits_the_trials_domain() -> None:
    tags = FakeTags({TRIAL: {DOMAIN_TAG: FINANCE.domain_arn}})
    result = service(tags, FakeAlerts()).enforce(association(REQUEST))
    assert result.action is Action.TAGGED
    assert tags.added == [(COMPONENT, {DOMAIN_TAG: FINANCE.domain_arn})]


def test_component_of_another_domain_is_a_mismatch_and_left_alone() -> None:
    tags = FakeTags(
        {TRIAL: {DOMAIN_TAG: FINANCE.domain_arn}, COMPONENT: {DOMAIN_TAG: RESEARCH.domain_arn}}
    )
    alerts = FakeAlerts()
    result = service(tags, alerts).enforce(association(REQUEST))
    assert result.outcome is Outcome.FLAG
    assert result.decision is not None
    assert result.decision.reason is FlagReason.MISMATCH
    assert tags.added == []
    assert [f.kind for f in alerts.published] == ["mismatch"]


def test_untagged_trial_gives_nothing_to_inherit() -> None:
    tags = FakeTags()
    result = service(tags, FakeAlerts()).enforce(association(REQUEST))
    assert result.outcome is Outcome.IGNORE
    assert tags.added == []


def test_association_without_names_is_malformed() -> None:
    with pytest.raises(MalformedRecordError, match="names no trial component or trial"):
        service(FakeTags(), FakeAlerts()).enforce(association({"trialName": "nightly"}))
