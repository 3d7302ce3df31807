"""EnforcementMode=audit: the same scenario changes no tag and reports what tag mode would fix."""

from __future__ import annotations

import pytest

from tag_enforcer_dev.emulator.deploy import Deployment
from tests.support.blog_scenario import play

pytestmark = pytest.mark.e2e


def test_audit_mode_tags_nothing_and_reports_missing_tags(
    audit_mode_deployment: Deployment,
) -> None:
    # GIVEN the same scenario against a stack deployed with EnforcementMode=audit
    played = play(audit_mode_deployment)
    played.pipeline.close()

    # THEN resources made outside Studio keep no enforced tags
    bob = played.step("CreateProcessingJob", "bob")
    assert played.tags(bob.resource_arn) == {}
    # AND they are left to the sweep's digest (AuditMissingTagAlerts=digest, the default):
    # no missing-tags alert each, while the two flags are alerted
    kinds = sorted(a["MessageAttributes"]["kind"]["Value"] for a in played.alerts)
    assert kinds.count("missing-tags") == 0
    assert {"mismatch", "unattributable"} <= set(kinds)
