"""The test-only IAM evaluator follows IAM's rules for what it models and refuses the rest."""

from __future__ import annotations

import doctest
from typing import Any

import pytest

from tag_enforcer_dev import policy_evaluator
from tag_enforcer_dev.policy_evaluator import (
    AuthorizationRequest,
    Decision,
    UnsupportedPolicyElementError,
    evaluate,
)

RESOURCE = "arn:aws:sagemaker:eu-west-1:111122223333:training-job/churn"


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(condition: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Action": "sagemaker:AddTags", "Resource": "*", **fields}
    if condition is not None:
        statement["Condition"] = condition
    return statement


def request(context: dict[str, Any] | None = None, **fields: str) -> AuthorizationRequest:
    return AuthorizationRequest(
        fields.get("action", "sagemaker:AddTags"), fields.get("resource", RESOURCE), context or {}
    )


def test_no_statement_means_implicit_deny() -> None:
    # GIVEN a policy with no statements
    # WHEN any request is evaluated
    decision = evaluate(policy(), request())
    # THEN it is denied by default
    assert decision is Decision.IMPLICIT_DENY


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("sagemaker:Describe*", "sagemaker:DescribeTrainingJob", Decision.ALLOWED),
        ("sagemaker:describe*", "sagemaker:DescribeTrainingJob", Decision.ALLOWED),
        ("sagemaker:Describe?rainingJob", "sagemaker:DescribeTrainingJob", Decision.ALLOWED),
        ("sagemaker:Describe*", "sagemaker:DeleteTrainingJob", Decision.IMPLICIT_DENY),
        ("sagemaker:AddTags", "sagemaker:AddTagsX", Decision.IMPLICIT_DENY),
    ],
)
def test_actions_match_with_wildcards_and_without_case(
    pattern: str, action: str, expected: Decision
) -> None:
    # GIVEN a statement allowing an action pattern
    document = policy(allow(Action=pattern))
    # WHEN an action is requested
    decision = evaluate(document, request(action=action))
    # THEN IAM's wildcard and case rules decide
    assert decision is expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("arn:aws:sagemaker:eu-west-1:111122223333:training-job/*", Decision.ALLOWED),
        ("arn:aws:sagemaker:eu-west-1:111122223333:*", Decision.ALLOWED),
        ("arn:aws:sagemaker:eu-west-1:111122223333:model/*", Decision.IMPLICIT_DENY),
        ("arn:aws:sagemaker:us-east-1:111122223333:training-job/*", Decision.IMPLICIT_DENY),
        ("arn:aws:sagemaker:eu-west-1:111122223333:training-job/churn?", Decision.IMPLICIT_DENY),
    ],
)
def test_resources_match_arn_patterns(pattern: str, expected: Decision) -> None:
    # GIVEN a statement scoped to a resource pattern
    document = policy(allow(Resource=[pattern]))
    # WHEN the training job is the resource
    decision = evaluate(document, request())
    # THEN only a matching pattern allows it
    assert decision is expected


def test_explicit_deny_in_any_policy_beats_allow() -> None:
    # GIVEN one policy that allows everything and another that denies AddTags
    full_access = policy(allow(Action="sagemaker:*"))
    deny = policy({"Effect": "Deny", "Action": "sagemaker:AddTags", "Resource": "*"})
    # WHEN AddTags is evaluated against both
    decision = evaluate([full_access, deny], request())
    # THEN the deny wins
    assert decision is Decision.EXPLICIT_DENY


@pytest.mark.parametrize(
    ("operator", "policy_value", "context", "expected"),
    [
        ("StringEquals", "a", {"k": "a"}, True),
        ("StringEquals", "a", {"k": "A"}, False),
        ("StringEquals", ["x", "a"], {"k": "a"}, True),
        ("StringEquals", "a", {}, False),
        ("StringNotEquals", "a", {"k": "b"}, True),
        ("StringNotEquals", "a", {"k": "a"}, False),
        # A negated operator is true when the key is missing.
        ("StringNotEquals", "a", {}, True),
        ("StringLike", "arn:*:space/d-1/*", {"k": "arn:aws:space/d-1/s"}, True),
        ("StringLike", "arn:*:space/d-1/*", {"k": "arn:aws:space/d-2/s"}, False),
        ("StringNotLike", "arn:*:space/d-1/*", {"k": "arn:aws:space/d-2/s"}, True),
        ("StringNotLike", "arn:*:space/d-1/*", {}, True),
        ("Null", "true", {}, True),
        ("Null", "false", {}, False),
        ("Null", "false", {"k": "a"}, True),
        ("Null", False, {"k": "a"}, True),
        ("Null", "true", {"k": []}, True),
        ("ForAnyValue:StringEquals", ["a", "b"], {"k": ["z", "b"]}, True),
        ("ForAnyValue:StringEquals", ["a", "b"], {"k": ["z"]}, False),
        ("ForAnyValue:StringEquals", ["a"], {}, False),
        ("ForAnyValue:StringLike", ["sagemaker:*"], {"k": ["team", "sagemaker:x"]}, True),
        ("ForAllValues:StringEquals", ["a", "b"], {"k": ["a", "b"]}, True),
        ("ForAllValues:StringEquals", ["a", "b"], {"k": ["a", "z"]}, False),
        # ForAllValues is true for a missing key: the classic trap.
        ("ForAllValues:StringEquals", ["a"], {}, True),
    ],
)
def test_condition_operators_follow_iam(
    operator: str, policy_value: Any, context: dict[str, Any], expected: bool
) -> None:
    # GIVEN a statement with one condition on key "k"
    document = policy(allow({operator: {"k": policy_value}}))
    # WHEN the request carries the given context
    decision = evaluate(document, request(context))
    # THEN the statement applies exactly when IAM's operator holds
    assert (decision is Decision.ALLOWED) is expected


def test_keys_and_operators_are_anded() -> None:
    # GIVEN a condition with two operators and two keys
    document = policy(allow({"StringEquals": {"a": "1", "b": "2"}, "Null": {"c": "true"}}))
    # WHEN one of the three parts fails
    partial = evaluate(document, request({"a": "1", "b": "2", "c": "x"}))
    full = evaluate(document, request({"a": "1", "b": "2"}))
    # THEN the statement applies only when all hold
    assert partial is Decision.IMPLICIT_DENY
    assert full is Decision.ALLOWED


def test_condition_key_names_ignore_case() -> None:
    # GIVEN a condition on aws:RequestTag/... written in another case than the request
    document = policy(allow({"StringEquals": {"AWS:RequestTag/Team": "ml"}}))
    # WHEN the request context spells the key differently
    decision = evaluate(document, request({"aws:requesttag/team": "ml"}))
    # THEN the key still matches
    assert decision is Decision.ALLOWED


@pytest.mark.parametrize(
    "document",
    [
        {"Version": "2008-10-17", "Statement": []},
        policy({"Effect": "Allow", "NotAction": "sagemaker:AddTags", "Resource": "*"}),
        policy({"Effect": "Allow", "Action": "sagemaker:AddTags", "NotResource": "*"}),
        policy(allow(Principal="*")),
        policy(allow(Resource="arn:aws:sagemaker:*:*:user-profile/${sagemaker:DomainId}/*")),
        policy(allow({"ArnLike": {"k": "arn:*"}})),
        policy(allow({"StringEqualsIfExists": {"k": "a"}})),
        policy(allow({"StringEqualsIgnoreCase": {"k": "a"}})),
        policy(allow({"Null": {"k": "maybe"}})),
        policy({"Effect": "Maybe", "Action": "sagemaker:AddTags", "Resource": "*"}),
    ],
)
def test_unmodelled_policy_elements_are_refused(document: dict[str, Any]) -> None:
    # GIVEN a policy using something the evaluator does not model
    # WHEN it is evaluated
    # THEN it refuses instead of guessing
    with pytest.raises(UnsupportedPolicyElementError):
        evaluate(document, request({"k": "a"}))


def test_single_valued_operator_on_multivalued_key_is_refused() -> None:
    # GIVEN StringEquals on aws:TagKeys, which is multivalued
    document = policy(allow({"StringEquals": {"aws:TagKeys": "team"}}))
    # WHEN the request gives a list for that key
    # THEN the evaluator refuses
    with pytest.raises(UnsupportedPolicyElementError):
        evaluate(document, request({"aws:TagKeys": ["team"]}))


def test_docstring_example_runs() -> None:
    # GIVEN the module's docstring example
    # WHEN doctest runs it
    result = doctest.testmod(policy_evaluator)
    # THEN it passes
    assert result.failed == 0
    assert result.attempted > 0
