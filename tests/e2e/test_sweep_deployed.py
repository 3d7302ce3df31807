"""The sweep as deployed: the template's state machine, function, table, bucket and topic."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest

from tag_enforcer.core.tags import DOMAIN_TAG, USER_PROFILE_TAG
from tag_enforcer_dev.emulator.account import running_account
from tag_enforcer_dev.emulator.deploy import Deployment, deploy
from tag_enforcer_dev.emulator.sweep_pipeline import DeployedSweep
from tests.support.legacy_account import LEGACY_JOBS, LegacyAccount, legacy_account

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def tag_mode() -> Iterator[LegacyAccount]:
    with running_account() as account:
        yield legacy_account(
            Deployment(account, deploy(account, parameters={"EnforcementMode": "tag"}))
        )


def test_the_schedule_starts_the_state_machine_daily(tag_mode: LegacyAccount) -> None:
    # GIVEN the template as the SAM translator expanded it for this deployment
    resources = tag_mode.stack.translated_template["Resources"]

    # WHEN its EventBridge Scheduler schedule is found (moto's CloudFormation skips the type)
    schedules = [
        r["Properties"] for r in resources.values() if r["Type"] == "AWS::Scheduler::Schedule"
    ]

    # THEN it runs on the SweepSchedule parameter (rate(1 day) unless overridden) and
    # starts the sweep state machine
    assert len(schedules) == 1
    assert schedules[0]["ScheduleExpression"] == {"Ref": "SweepSchedule"}
    assert tag_mode.stack.translated_template["Parameters"]["SweepSchedule"]["Default"] == (
        "rate(1 day)"
    )
    assert schedules[0]["Target"]["Arn"] == {"Ref": "SweepStateMachine"}


def test_the_sweep_tags_legacy_resources_and_reports_once(tag_mode: LegacyAccount) -> None:
    # GIVEN 130 untagged jobs of bob's role, a model no domain owns, and a spoofed job
    sweep = DeployedSweep(tag_mode.account, tag_mode.stack)

    # WHEN the scheduled execution runs through the deployed definition and function
    execution = sweep.start()

    # THEN every job carries finance's domain and bob's profile
    bob = {
        DOMAIN_TAG: tag_mode.scenario.finance.domain_arn,
        USER_PROFILE_TAG: tag_mode.scenario.finance.profiles["bob"],
    }
    assert all(tag_mode.tags(arn) == bob for arn in tag_mode.jobs)
    # AND the model and the spoofed job are left as they were
    assert tag_mode.tags(tag_mode.orphan_model) == {}
    assert tag_mode.tags(tag_mode.spoofed_job) == {DOMAIN_TAG: tag_mode.scenario.finance.domain_arn}
    # AND every registry type was swept, waves one at a time, types 3 at a time
    assert execution.output["digestSent"] is True
    assert execution.output["incompleteTypes"] == {}
    # (SweepMaxConcurrency=3: never more than three slices in flight at once)
    assert 1 <= execution.peak_concurrent_invocations <= 3

    # AND the JSON and CSV reports are in the report bucket, one row per resource
    bucket = tag_mode.stack.outputs["SweepReportBucketName"]
    assert execution.output["report"]["json"].startswith(f"s3://{bucket}/reports/")
    rows = json.loads(tag_mode.report(execution.output["report"]["json"]))["rows"]
    by_arn = {row["resourceArn"]: row for row in rows}
    assert len(by_arn) == len(rows)
    assert {by_arn[arn]["action"] for arn in tag_mode.jobs} == {"tagged"}
    assert by_arn[tag_mode.orphan_model]["reason"] == "unattributable"
    assert by_arn[tag_mode.spoofed_job]["reason"] == "mismatch"
    table = list(
        csv.DictReader(io.StringIO(tag_mode.report(execution.output["report"]["csv"]).decode()))
    )
    assert len(table) == len(rows)

    # AND the topic got exactly one digest, which names the report and counts by domain
    digests = tag_mode.digests()
    assert len(digests) == 1
    body = json.loads(digests[0]["Message"])
    assert body["report"] == execution.output["report"]
    assert body["counts"]["byType"]["TrainingJob"] == {"tagged": LEGACY_JOBS, "flagged": 1}
    assert digests[0]["MessageAttributes"]["severity"]["Value"] == "high"

    # AND metrics went out per type and outcome, never with an ARN as a dimension
    metric_lines = [r for r in sweep.log_records() if "_aws" in r]
    swept = [r for r in metric_lines if "SweptResources" in r]
    assert {(r["ResourceType"], r["Outcome"]) for r in swept} >= {("TrainingJob", "tag")}
    for line in metric_lines:
        for dimensions in line["_aws"]["CloudWatchMetrics"][0]["Dimensions"]:
            assert not any(str(line[d]).startswith("arn:") for d in dimensions)


def test_the_next_days_sweep_finds_everything_compliant(tag_mode: LegacyAccount) -> None:
    # GIVEN the account the first sweep left behind
    sweep = DeployedSweep(tag_mode.account, tag_mode.stack)

    # WHEN the next scheduled execution runs
    execution = sweep.start()

    # THEN it is a new run that tagged nothing, and sent its own single digest
    digests = tag_mode.digests()
    assert len(digests) == 1
    counts = json.loads(digests[0]["Message"])["counts"]
    assert "tagged" not in counts["byAction"]
    assert counts["byType"]["TrainingJob"] == {"none": LEGACY_JOBS, "flagged": 1}
    assert execution.output["digestSent"] is True
