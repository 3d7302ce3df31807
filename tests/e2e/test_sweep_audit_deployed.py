"""The deployed sweep in audit mode reports what it would tag and changes nothing."""

from __future__ import annotations

import json

import pytest

from tag_enforcer_dev.emulator.deploy import Deployment
from tag_enforcer_dev.emulator.sweep_pipeline import DeployedSweep
from tests.support.legacy_account import LEGACY_JOBS, legacy_account

pytestmark = pytest.mark.e2e


def test_audit_mode_sweeps_without_changing_anything(
    audit_mode_deployment: Deployment,
) -> None:
    # GIVEN legacy resources in an account where the enforcer runs in audit mode
    legacy = legacy_account(audit_mode_deployment)

    # WHEN the scheduled sweep runs
    execution = DeployedSweep(legacy.account, legacy.stack).start()

    # THEN no tag was added, and the digest says what tag mode would have added
    assert all(legacy.tags(arn) == {} for arn in legacy.jobs)
    counts = json.loads(legacy.digests()[0]["Message"])["counts"]
    assert counts["byType"]["TrainingJob"] == {"would-tag": LEGACY_JOBS, "flagged": 1}
    assert execution.output["digestSent"] is True
