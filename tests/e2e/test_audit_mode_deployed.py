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
    # AND each of them is reported as missing-tags, besides the two flags
    kinds = sorted(a["MessageAttributes"]["kind"]["Value"] for a in played.alerts)
    tagged_in_tag_mode = 6  # processing job, model, profile, trial, app... see the tag-mode test
    assert kinds.count("missing-tags") == tagged_in_tag_mode - 1
    assert {"mismatch", "unattributable"} <= set(kinds)
