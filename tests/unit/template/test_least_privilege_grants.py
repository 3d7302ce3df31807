"""The grants SAM would have left broad are scoped, and AddTags adds only the enforced keys."""

from __future__ import annotations

from typing import Any

import pytest

from tag_enforcer.core.tags import ENFORCED_TAG_KEYS
from tag_enforcer_dev.policy_evaluator import AuthorizationRequest, Decision, evaluate
from tag_enforcer_dev.template_policies import render, rendered_resources
from tag_enforcer_dev.translated_template import translated_template
from tests.support.tag_key_grants import ENFORCED_KEYS_ONLY, add_tags_request

TEMPLATE = translated_template()


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _role_statements(role: str) -> list[dict[str, Any]]:
    properties = TEMPLATE["Resources"][role]["Properties"]
    return [
        statement
        for policy in properties.get("Policies", [])
        for statement in _as_list(policy["PolicyDocument"]["Statement"])
    ]


def _rendered_policy(role: str) -> dict[str, Any]:
    """The role's inline statements with their ARNs as CloudFormation would render them."""
    statements = []
    for statement in _role_statements(role):
        rendered = {k: v for k, v in statement.items() if k not in ("Resource", "Condition")}
        rendered["Resource"] = rendered_resources(statement, TEMPLATE)
        if "Condition" in statement:
            rendered["Condition"] = {
                operator: {key: render(value, TEMPLATE) for key, value in block.items()}
                for operator, block in statement["Condition"].items()
            }
        statements.append(rendered)
    return {"Version": "2012-10-17", "Statement": statements}


@pytest.mark.parametrize("role", ["EnforceFunctionRole", "SweepFunctionRole"])
def test_every_add_tags_grant_holds_the_request_to_the_enforced_keys(role: str) -> None:
    grants = [
        s
        for s in _role_statements(role)
        if s["Effect"] == "Allow" and "sagemaker:AddTags" in _as_list(s["Action"])
    ]
    assert grants
    for grant in grants:
        assert _as_list(grant["Action"]) == ["sagemaker:AddTags"], grant["Sid"]
        condition = grant["Condition"]
        assert condition["ForAllValues:StringEquals"]["aws:TagKeys"] == list(ENFORCED_TAG_KEYS)
        assert condition["Null"] == {"aws:TagKeys": "false"}


@pytest.mark.parametrize("role", ["EnforceFunctionRole", "SweepFunctionRole"])
@ENFORCED_KEYS_ONLY
def test_the_roles_may_add_enforced_tags_and_nothing_else(
    role: str, tag_keys: list[str] | None, decision: Decision
) -> None:
    assert evaluate(_rendered_policy(role), add_tags_request(tag_keys)) is decision


def test_no_role_gets_the_managed_sqs_poller_policy_that_reads_every_queue() -> None:
    for logical_id, resource in TEMPLATE["Resources"].items():
        if resource["Type"] == "AWS::IAM::Role":
            arns = [str(a) for a in resource["Properties"].get("ManagedPolicyArns", [])]
            assert not any("AWSLambdaSQSQueueExecutionRole" in a for a in arns), logical_id


def test_the_enforce_function_polls_its_own_queue_only() -> None:
    # GIVEN the event source mapping and the role's SQS statements
    (mapping,) = [
        r["Properties"]
        for r in TEMPLATE["Resources"].values()
        if r["Type"] == "AWS::Lambda::EventSourceMapping"
    ]
    sqs = [
        s
        for s in _role_statements("EnforceFunctionRole")
        if any(a.startswith("sqs:") for a in _as_list(s["Action"]))
    ]

    # THEN the role may receive, delete and read attributes on that queue, nothing more
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": ["EnforceQueue", "Arn"]}
    assert mapping["FunctionName"] == {"Ref": "EnforceFunction"}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    (statement,) = sqs
    assert sorted(_as_list(statement["Action"])) == [
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
    ]
    assert statement["Resource"] == {"Fn::GetAtt": ["EnforceQueue", "Arn"]}


def test_the_state_machine_may_invoke_the_sweep_function_and_no_other() -> None:
    statements = _role_statements("SweepStateMachineRole")
    assert statements == [
        {
            "Sid": "InvokeTheSweepFunction",
            "Effect": "Allow",
            "Action": "lambda:InvokeFunction",
            "Resource": {"Fn::GetAtt": ["SweepFunction", "Arn"]},
        }
    ]
    # The ARN SAM's LambdaInvokePolicy would grant, function:<name>*, also matches
    # a function named <name>-admin; this one does not.
    policy = _rendered_policy("SweepStateMachineRole")
    sweep = rendered_resources({"Resource": {"Fn::GetAtt": ["SweepFunction", "Arn"]}}, TEMPLATE)
    other = AuthorizationRequest("lambda:InvokeFunction", sweep[0] + "-admin")
    assert evaluate(policy, AuthorizationRequest("lambda:InvokeFunction", sweep[0])) is (
        Decision.ALLOWED
    )
    assert evaluate(policy, other) is Decision.IMPLICIT_DENY
