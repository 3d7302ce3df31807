"""An interrupted sweep execution is resumed by the next one, through the deployed stack."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tag_enforcer_dev.emulator.account import running_account
from tag_enforcer_dev.emulator.deploy import Deployment, deploy
from tag_enforcer_dev.emulator.sweep_pipeline import DeployedSweep, ExecutionEndedError
from tests.support.legacy_account import LEGACY_JOBS, legacy_account

pytestmark = pytest.mark.e2e


def test_an_interrupted_execution_is_resumed_by_the_next_one() -> None:
    with running_account() as account:
        legacy = legacy_account(
            Deployment(account, deploy(account, parameters={"EnforcementMode": "tag"}))
        )
        sweep = DeployedSweep(account, legacy.stack)

        # GIVEN an execution stopped (StopExecution) after its plan and four type slices;
        # AWS ends it ABORTED, moto's executor FAILED (docs/emulator.md, "Known gaps")
        with pytest.raises(ExecutionEndedError, match=r"ended (ABORTED|FAILED)"):
            sweep.start("execution-1", stop_after_invocations=5)

        # WHEN the next execution starts at once, and another after the lease expired
        skipped = sweep.start("execution-2")
        table = legacy.stack.outputs["SweepCheckpointTableName"]
        account.client("dynamodb").update_item(
            TableName=table,
            Key={"pk": {"S": "sweep"}, "sk": {"S": "current"}},
            UpdateExpression="SET heartbeat_at = :long_ago",
            ExpressionAttributeValues={":long_ago": {"N": "0"}},
        )
        resumed = sweep.start("execution-3")

        # THEN the second stepped aside and the third finished the first one's run
        plan_of = {p["owner"]: p for p in _plans(sweep)}
        assert skipped.output["skip"] is True
        assert resumed.output["runId"] == plan_of["execution-1"]["runId"]
        assert plan_of["execution-3"]["resumed"] is True
        # AND every job was tagged, and the run sent one digest, counting each job once
        assert all(legacy.tags(arn) for arn in legacy.jobs)
        digests = legacy.digests()
        assert len(digests) == 1
        counts = json.loads(digests[0]["Message"])["counts"]
        assert counts["byType"]["TrainingJob"] == {"tagged": LEGACY_JOBS, "flagged": 1}


def _plans(sweep: DeployedSweep) -> list[dict[str, Any]]:
    return [
        {"owner": r["owner"], "runId": r["run_id"], "resumed": r["resumed"]}
        for r in sweep.log_records()
        if r.get("message") == "sweep planned"
    ]
