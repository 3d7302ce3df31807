"""member-template.yaml: plain CloudFormation generated from template.yaml, forwarding the very
rule patterns of the central stack, and a member role with exactly the member-side grants."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from cfnlint.api import ManualArgs, lint_file

from tag_enforcer.core.tags import ENFORCED_TAG_KEYS
from tag_enforcer_dev.iam_reference import IamReference
from tag_enforcer_dev.member_template import (
    MEMBER_SERVICES,
    MEMBER_TEMPLATE_PATH,
    ORGANIZATION_READ_ACTIONS,
    build_member_template,
    central_rules,
    render,
)
from tag_enforcer_dev.policy_evaluator import AuthorizationRequest, Decision, evaluate
from tag_enforcer_dev.template_file import load_template
from tag_enforcer_dev.template_policies import policy_documents, rendered_resources
from tag_enforcer_dev.template_policies import render as render_value
from tag_enforcer_dev.translated_template import translated_template

MEMBER = build_member_template()
CENTRAL = load_template()
TRANSLATED_CENTRAL = translated_template()
RESOURCES = MEMBER["Resources"]
REFERENCE = IamReference()
JOB = "arn:aws:sagemaker:eu-west-1:111122223333:training-job/churn-xgb"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(role: str) -> list[dict[str, Any]]:
    return [
        statement
        for policy in RESOURCES[role]["Properties"]["Policies"]
        for statement in _as_list(policy["PolicyDocument"]["Statement"])
    ]


def _actions(statements: list[dict[str, Any]]) -> set[str]:
    return {action for s in statements for action in _as_list(s["Action"])}


def _walk(value: Any) -> list[Any]:
    found = [value]
    if isinstance(value, dict):
        for item in value.values():
            found += _walk(item)
    elif isinstance(value, list):
        for item in value:
            found += _walk(item)
    return found


def test_the_checked_in_member_template_is_the_generated_one() -> None:
    # `make member-template` (and `make sync`) writes it from template.yaml and the registry.
    assert MEMBER_TEMPLATE_PATH.read_text() == render(), "run `make member-template`"


def test_the_file_reads_back_as_the_template_it_was_made_from() -> None:
    assert yaml.safe_load(MEMBER_TEMPLATE_PATH.read_text()) == MEMBER


def test_it_is_plain_cloudformation_that_stacksets_can_deploy() -> None:
    # No transform, no macro, no SAM type: service-managed StackSets run neither.
    assert "Transform" not in MEMBER
    assert not any(isinstance(node, dict) and "Fn::Transform" in node for node in _walk(MEMBER))
    assert all(r["Type"].startswith("AWS::") for r in RESOURCES.values())
    assert not any(r["Type"].startswith("AWS::Serverless::") for r in RESOURCES.values())


def test_cfn_lint_reports_no_error_warning_or_informational_note() -> None:
    matches = lint_file(
        MEMBER_TEMPLATE_PATH, config=ManualArgs(regions=["us-east-1"], include_checks=["I"])
    )
    assert [f"{m.rule.id} line {m.linenumber}: {m.message}" for m in matches] == []


@pytest.mark.parametrize("rule", sorted(central_rules(CENTRAL)))
def test_each_central_rule_is_forwarded_from_the_default_bus_with_the_same_pattern(
    rule: str,
) -> None:
    properties = RESOURCES[rule]["Properties"]
    assert "EventBusName" not in properties, "the member's rules watch its default bus"
    assert properties["EventPattern"] == CENTRAL["Resources"][rule]["Properties"]["EventPattern"]
    [target] = properties["Targets"]
    assert target["Arn"] == {"Ref": "CentralEventBusArn"}
    assert target["RoleArn"] == {"Fn::GetAtt": ["EventForwarderRole", "Arn"]}


def test_every_rule_of_the_member_template_is_one_of_the_central_rules() -> None:
    rules = {k for k, r in RESOURCES.items() if r["Type"] == "AWS::Events::Rule"}
    assert rules == set(central_rules(CENTRAL))


def test_the_forwarder_may_only_put_events_on_the_central_bus() -> None:
    [statement] = _statements("EventForwarderRole")
    assert statement["Action"] == "events:PutEvents"
    assert statement["Resource"] == {"Ref": "CentralEventBusArn"}
    [trust] = RESOURCES["EventForwarderRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "events.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


@pytest.mark.parametrize("role", ["MemberRole", "OrganizationReadRole"])
def test_the_roles_trust_only_the_central_functions_roles_inside_the_organization(
    role: str,
) -> None:
    [trust] = RESOURCES[role]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == "sts:AssumeRole"
    condition = trust["Condition"]
    assert condition["StringEquals"] == {"aws:PrincipalOrgID": {"Ref": "OrganizationId"}}
    principals = condition["ArnEquals"]["aws:PrincipalArn"]["Fn::If"]
    assert principals[0] == "HasOperators"
    assert principals[2] == [{"Ref": "CentralEnforceRoleArn"}, {"Ref": "CentralSweepRoleArn"}]
    # The principal is the central account (from the enforce role's ARN), never "*".
    principal = trust["Principal"]["AWS"]["Fn::Sub"]
    assert principal[0] == "arn:${AWS::Partition}:iam::${Central}:root"


def test_the_member_role_grants_exactly_what_the_central_functions_call_in_an_account() -> None:
    # GIVEN what the central enforce and sweep roles may do to SageMaker and the Tagging API
    central = {
        action
        for role in ("EnforceFunctionRole", "SweepFunctionRole")
        for policy in TRANSLATED_CENTRAL["Resources"][role]["Properties"]["Policies"]
        for statement in _as_list(policy["PolicyDocument"]["Statement"])
        for action in _as_list(statement["Action"])
        if action.startswith(MEMBER_SERVICES)
    }

    # THEN the member role allows those actions and no other
    assert _actions(_statements("MemberRole")) == central
    assert all(a.startswith(MEMBER_SERVICES) for a in _actions(_statements("MemberRole")))


def test_the_member_role_serves_every_region_of_its_own_account_only() -> None:
    for statement in _statements("MemberRole"):
        for resource in rendered_resources(statement, MEMBER):
            if resource == "*":
                continue
            assert resource.startswith("arn:aws:sagemaker:*:111122223333:"), resource


def test_the_member_role_adds_the_enforced_tags_and_nothing_else() -> None:
    rendered = []
    for statement in _statements("MemberRole"):
        copy = {k: v for k, v in statement.items() if k not in ("Resource", "Condition")}
        copy["Resource"] = rendered_resources(statement, MEMBER)
        if "Condition" in statement:
            copy["Condition"] = {
                operator: {key: render_value(value, MEMBER) for key, value in block.items()}
                for operator, block in statement["Condition"].items()
            }
        rendered.append(copy)
    policy = {"Version": "2012-10-17", "Statement": rendered}

    def add_tags(keys: list[str] | None) -> Decision:
        context: dict[str, Any] = {} if keys is None else {"aws:TagKeys": keys}
        return evaluate(policy, AuthorizationRequest("sagemaker:AddTags", JOB, context))

    assert add_tags(list(ENFORCED_TAG_KEYS)) is Decision.ALLOWED
    assert add_tags(["sagemaker:domain-arn", "cost-center"]) is Decision.IMPLICIT_DENY
    assert add_tags(None) is Decision.IMPLICIT_DENY


def test_the_roles_are_made_in_one_region_and_the_rules_in_every_region() -> None:
    # IAM names are global to an account: one regional stack instance creates them.
    assert RESOURCES["MemberRole"]["Condition"] == "CreatesTheRoles"
    assert RESOURCES["OrganizationReadRole"]["Condition"] == "CreatesTheReadRole"
    # The forwarder role has no fixed name, so each regional stack makes its own.
    assert "RoleName" not in RESOURCES["EventForwarderRole"]["Properties"]
    assert all("Condition" not in r for r in RESOURCES.values() if r["Type"] == "AWS::Events::Rule")


def test_the_read_role_may_only_list_and_name_the_organizations_accounts() -> None:
    statements = _statements("OrganizationReadRole")
    assert _actions(statements) == set(ORGANIZATION_READ_ACTIONS)
    wildcard = [s for s in statements if s["Resource"] == "*"]
    assert [s["Action"] for s in wildcard] == ["organizations:ListAccounts"]


@pytest.mark.parametrize("document", list(policy_documents(MEMBER)), ids=lambda d: d.where)
def test_every_policy_of_the_member_template_agrees_with_the_iam_reference(document: Any) -> None:
    problems = []
    for statement in document.statements:
        scoped = document.kind == "identity"
        problems += REFERENCE.statement_problems(
            statement,
            arns=rendered_resources(statement, MEMBER) if scoped else None,
            check_resources=scoped,
        )
    assert problems == [], json.dumps(document.statements)[:2000]
