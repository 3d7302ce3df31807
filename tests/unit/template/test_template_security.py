"""Least privilege and encryption, checked on the template as the SAM translator expands it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from samtranslator.translator.transform import transform

from tag_enforcer_dev.template_file import load_template

# SageMaker actions that create, change or destroy resources; the enforcer needs none.
_FORBIDDEN_SAGEMAKER_VERBS = ("Create", "Update", "Delete", "Stop", "Start", "Put")


class _NoManagedPolicies:
    """The translator asks IAM for managed policy names only when a template uses them by name."""

    def load(self) -> dict[str, str]:
        return {}


@pytest.fixture(scope="module")
def translated() -> dict[str, Any]:
    template = load_template()
    for resource in template["Resources"].values():
        # The translator wants packaged code locations, as `sam package` leaves them.
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if key in properties:
                properties[key] = "s3://bucket/key.zip"
    # The translator reads the region for AWS::Region-style pseudo parameters.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        result: dict[str, Any] = transform(template, {}, _NoManagedPolicies())
    return result


def _resources(
    template: dict[str, Any], resource_type: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] == resource_type:
            yield logical_id, resource.get("Properties", {})


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _role_statements(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for logical_id, properties in _resources(template, "AWS::IAM::Role"):
        for policy in properties.get("Policies", []):
            for statement in _as_list(policy["PolicyDocument"]["Statement"]):
                yield logical_id, statement


def test_no_role_allows_a_wildcard_action(translated: dict[str, Any]) -> None:
    statements = list(_role_statements(translated))
    assert statements, "expected inline role policies"
    for role, statement in statements:
        for action in _as_list(statement.get("Action", [])):
            assert "*" not in action, f"{role} allows wildcard action {action}"


def test_no_role_can_create_change_or_delete_sagemaker_resources(
    translated: dict[str, Any],
) -> None:
    for role, statement in _role_statements(translated):
        if statement.get("Effect") != "Allow":
            continue
        for action in _as_list(statement.get("Action", [])):
            service, _, name = action.partition(":")
            if service == "sagemaker":
                assert not name.startswith(_FORBIDDEN_SAGEMAKER_VERBS), f"{role} allows {action}"


def test_managed_policies_are_only_the_lambda_basics(translated: dict[str, Any]) -> None:
    allowed = (
        "AWSLambdaBasicExecutionRole",
        "AWSXrayWriteOnlyAccess",
        "AWSLambdaSQSQueueExecutionRole",
    )
    for role, properties in _resources(translated, "AWS::IAM::Role"):
        for arn in properties.get("ManagedPolicyArns", []):
            text = arn["Fn::Sub"] if isinstance(arn, dict) else arn
            assert text.endswith(allowed), f"{role} has unexpected managed policy {text}"


def test_wildcard_resources_are_only_for_actions_without_resource_level_permissions(
    translated: dict[str, Any],
) -> None:
    # List, Search and tag:* calls cannot be scoped: the Service Authorization Reference
    # lists no resource type for them.
    for role, statement in _role_statements(translated):
        if statement.get("Resource") == "*":
            for action in _as_list(statement["Action"]):
                service, _, name = action.partition(":")
                assert (
                    name.startswith("List")
                    or action == "sagemaker:Search"
                    or service
                    in (
                        "tag",
                        "xray",
                    )
                ), f"{role} grants {action} on every resource"


def test_topics_and_queues_are_encrypted(translated: dict[str, Any]) -> None:
    topics = list(_resources(translated, "AWS::SNS::Topic"))
    queues = list(_resources(translated, "AWS::SQS::Queue"))
    assert topics
    assert queues
    for name, properties in topics:
        assert properties.get("KmsMasterKeyId"), f"topic {name} is not encrypted"
    for name, properties in queues:
        assert properties.get("SqsManagedSseEnabled") or properties.get("KmsMasterKeyId"), (
            f"queue {name} is not encrypted"
        )


def test_enforce_queue_has_a_dead_letter_queue_watched_by_an_alarm(
    translated: dict[str, Any],
) -> None:
    queue = translated["Resources"]["EnforceQueue"]["Properties"]
    dead_letter = queue["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
    alarmed_queues = [
        dimension["Value"]["Fn::GetAtt"][0]
        for _, alarm in _resources(translated, "AWS::CloudWatch::Alarm")
        for dimension in alarm.get("Dimensions", [])
        if dimension["Name"] == "QueueName"
    ]
    assert dead_letter in alarmed_queues


def test_enforce_function_reports_partial_batch_failures(translated: dict[str, Any]) -> None:
    mappings = [p for _, p in _resources(translated, "AWS::Lambda::EventSourceMapping")]
    assert mappings
    for mapping in mappings:
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert "MaximumConcurrency" in mapping["ScalingConfig"]


def test_functions_run_python_313_and_log_with_retention(translated: dict[str, Any]) -> None:
    for name, function in _resources(translated, "AWS::Lambda::Function"):
        assert function["Runtime"] == "python3.13", name
        log_group = function["LoggingConfig"]["LogGroup"]["Ref"]
        assert "RetentionInDays" in translated["Resources"][log_group]["Properties"], name
