"""The operator policy holds up against IAM's own data, and in tag mode lets an operator
add the enforced keys only, as the sweep function's role does."""

from __future__ import annotations

import pytest

from tag_enforcer.core.tags import ENFORCED_TAG_KEYS
from tag_enforcer_cli.operator_policy import operator_policy
from tag_enforcer_dev.iam_reference import IamReference
from tag_enforcer_dev.policy_evaluator import AuthorizationRequest, Decision, evaluate

TRAINING_JOB = "arn:aws:sagemaker:us-east-1:111122223333:training-job/churn-xgb"


@pytest.mark.parametrize("mode", ["audit", "tag"])
def test_every_statement_agrees_with_the_iam_reference(mode: str) -> None:
    reference = IamReference()
    document = operator_policy(mode, account="111122223333", region="us-east-1")
    problems = [
        f"{statement['Sid']}: {problem}"
        for statement in document["Statement"]
        for problem in reference.statement_problems(statement)
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("tag_keys", "decision"),
    [
        (["sagemaker:domain-arn"], Decision.ALLOWED),
        (list(ENFORCED_TAG_KEYS), Decision.ALLOWED),
        (["sagemaker:domain-arn", "cost-center"], Decision.IMPLICIT_DENY),
        (["cost-center"], Decision.IMPLICIT_DENY),
        ([], Decision.IMPLICIT_DENY),
        (None, Decision.IMPLICIT_DENY),
    ],
    ids=["one-key", "all-keys", "one-other-key-too", "other-key", "empty", "no-keys"],
)
def test_tag_mode_may_add_the_enforced_keys_and_nothing_else(
    tag_keys: list[str] | None, decision: Decision
) -> None:
    context = {} if tag_keys is None else {"aws:TagKeys": tag_keys}
    request = AuthorizationRequest("sagemaker:AddTags", TRAINING_JOB, context)
    assert evaluate(operator_policy("tag"), request) is decision


def test_the_read_only_policy_cannot_add_tags_at_all() -> None:
    request = AuthorizationRequest(
        "sagemaker:AddTags", TRAINING_JOB, {"aws:TagKeys": ["sagemaker:domain-arn"]}
    )
    assert evaluate(operator_policy("audit"), request) is Decision.IMPLICIT_DENY
