"""template.yaml's sweep: least privilege from the registry, encryption, schedule, limits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tag_enforcer.sweep.settings import DEFAULT_SAFETY_MARGIN_SECONDS
from tag_enforcer_dev.sweep_permissions import sweep_iam_actions
from tag_enforcer_dev.template_file import load_template

# Lambda's maximum timeout (Lambda Developer Guide, "Configure function timeout").
LAMBDA_MAX_TIMEOUT_SECONDS = 900


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def resource(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    properties: dict[str, Any] = template["Resources"][logical_id]["Properties"]
    return properties


def sweep_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    policies = resource(template, "SweepFunction")["Policies"]
    return [s for p in policies if isinstance(p, dict) for s in p.get("Statement", [])]


def actions(statement: dict[str, Any]) -> list[str]:
    found = statement["Action"]
    return found if isinstance(found, list) else [found]


def all_states(machine: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, state in machine["States"].items():
        yield name, state
        if "ItemProcessor" in state:
            yield from all_states(state["ItemProcessor"])


def test_the_sweep_policy_grants_exactly_the_actions_the_registry_implies(
    template: dict[str, Any],
) -> None:
    # GIVEN the SageMaker and Tagging API actions in the sweep function's policy
    granted = {
        action
        for statement in sweep_statements(template)
        if statement["Effect"] == "Allow"
        for action in actions(statement)
        if action.startswith(("sagemaker:", "tag:"))
    }

    # WHEN they are compared with what the sweep can call, derived from the registry
    needed = sweep_iam_actions()

    # THEN nothing is missing and nothing is extra
    assert not needed - granted, f"add to SweepFunction's policy: {sorted(needed - granted)}"
    assert not granted - needed, f"remove from SweepFunction's policy: {sorted(granted - needed)}"


def test_the_sweep_policy_has_no_wildcard_and_no_write_to_sagemaker_resources(
    template: dict[str, Any],
) -> None:
    for statement in sweep_statements(template):
        for action in actions(statement):
            assert "*" not in action, action
            service, _, name = action.partition(":")
            if service == "sagemaker":
                assert not name.startswith(("Create", "Update", "Delete", "Stop", "Start")), action


def test_only_calls_without_resource_level_permissions_get_every_resource(
    template: dict[str, Any],
) -> None:
    for statement in sweep_statements(template):
        if statement.get("Resource") == "*":
            for action in actions(statement):
                service, _, name = action.partition(":")
                assert service == "tag" or name.startswith("List") or name == "Search", action


def test_the_schedule_is_a_daily_parameter_that_starts_the_state_machine(
    template: dict[str, Any],
) -> None:
    assert template["Parameters"]["SweepSchedule"]["Default"] == "rate(1 day)"
    events = resource(template, "SweepStateMachine")["Events"]
    schedules = [e["Properties"] for e in events.values() if e["Type"] == "ScheduleV2"]
    assert len(schedules) == 1
    assert schedules[0]["ScheduleExpression"] == {"Ref": "SweepSchedule"}


def test_the_state_machine_bounds_concurrency_and_sweeps_waves_in_order(
    template: dict[str, Any],
) -> None:
    definition = resource(template, "SweepStateMachine")["Definition"]
    maps = {name: state for name, state in all_states(definition) if state["Type"] == "Map"}
    # Waves one after another (parents first), types of a wave SweepMaxConcurrency at a time.
    assert maps["SweepWaves"]["MaxConcurrency"] == 1
    assert maps["SweepTypesOfTheWave"]["MaxConcurrencyPath"] == "$.maxConcurrency"
    assert maps["SweepWaves"]["ItemSelector"]["maxConcurrency.$"] == "$.maxConcurrency"
    environment = resource(template, "SweepFunction")["Environment"]["Variables"]
    assert environment["SWEEP_MAX_CONCURRENCY"] == {"Ref": "SweepMaxConcurrency"}
    assert template["Parameters"]["SweepMaxConcurrency"]["MaxValue"] <= 10


def test_a_slice_fits_in_one_lambda_invocation(template: dict[str, Any]) -> None:
    function = resource(template, "SweepFunction")
    margin = float(function["Environment"]["Variables"]["SWEEP_SAFETY_MARGIN_SECONDS"])
    assert function["Timeout"] <= LAMBDA_MAX_TIMEOUT_SECONDS
    assert margin == DEFAULT_SAFETY_MARGIN_SECONDS
    assert margin < function["Timeout"] / 2


def test_the_report_bucket_is_encrypted_versioned_private_and_tls_only(
    template: dict[str, Any],
) -> None:
    bucket = resource(template, "SweepReportBucket")
    encryption = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms")
    assert bucket["VersioningConfiguration"]["Status"] == "Enabled"
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    policy = resource(template, "SweepReportBucketPolicy")["PolicyDocument"]["Statement"]
    assert {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }.items() <= policy[0].items()


def test_checkpoints_are_encrypted_and_failures_raise_alarms(template: dict[str, Any]) -> None:
    assert resource(template, "SweepCheckpointTable")["SSESpecification"]["SSEEnabled"] is True
    alarmed = {
        resource(template, name)["MetricName"]
        for name, r in template["Resources"].items()
        if r["Type"] == "AWS::CloudWatch::Alarm" and name.startswith("Sweep")
    }
    assert {"ExecutionsFailed", "ExecutionsTimedOut", "SweepIncompleteTypes"} <= alarmed
    log_group = resource(template, "SweepFunction")["LoggingConfig"]["LogGroup"]["Ref"]
    assert "RetentionInDays" in resource(template, log_group)
