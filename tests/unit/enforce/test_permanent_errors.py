"""A permanent AWS error on one record is one finding and a finished record, never a retry."""

from __future__ import annotations

from typing import Any

import pytest

from tag_enforcer.core.errors import AccessDeniedError, TransientAwsError
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings
from tag_enforcer.enforce.alerts import FindingKind
from tag_enforcer.enforce.service import Action, EnforcementService
from tests.support.studio import Studio


def test_access_denied_on_addtags_is_a_finding_not_a_retry(
    studio: Studio, fake_tags: Any, fake_alerts: Any, fake_directory: Any
) -> None:
    # GIVEN alice's job, and AddTags refused by IAM
    record = studio.training_job_record(caller_role=studio.role("AliceRole"))
    arn = studio.arn("training-job", "churn-xgb-2026-11-29")

    def refuse(resource_arn: str, tags: Any) -> None:
        raise AccessDeniedError(f"AddTags on {resource_arn} was denied")

    fake_tags.add_tags = refuse
    service = EnforcementService(
        EnforcerSettings(mode=EnforcementMode.TAG), fake_directory, fake_tags, fake_alerts
    )

    # WHEN it is enforced
    result = service.enforce(record)

    # THEN the record is finished (no exception for the queue to retry), and one
    # enforcement-error finding names the resource and the refusal
    assert result.action is Action.FAILED
    [finding] = fake_alerts.published
    assert finding.kind == FindingKind.ENFORCEMENT_ERROR
    assert finding.resource_arn == arn
    assert "denied" in finding.body()["problem"]


def test_transient_errors_still_go_back_to_the_queue(
    studio: Studio, fake_tags: Any, fake_alerts: Any, fake_directory: Any
) -> None:
    record = studio.training_job_record(caller_role=studio.role("AliceRole"))
    fake_tags.failures[studio.arn("training-job", "churn-xgb-2026-11-29")] = TransientAwsError(
        "throttled"
    )
    service = EnforcementService(
        EnforcerSettings(mode=EnforcementMode.TAG), fake_directory, fake_tags, fake_alerts
    )
    with pytest.raises(TransientAwsError):
        service.enforce(record)
    assert fake_alerts.published == []
