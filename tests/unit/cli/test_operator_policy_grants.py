"""The operator policy holds up against IAM's own data, and in tag mode lets an operator
add the enforced keys only, as the sweep function's role does."""

from __future__ import annotations

import pytest

from tag_enforcer_cli.operator_policy import operator_policy
from tag_enforcer_dev.iam_reference import IamReference
from tag_enforcer_dev.policy_evaluator import Decision, evaluate
from tests.support.tag_key_grants import ENFORCED_KEYS_ONLY, add_tags_request


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


@ENFORCED_KEYS_ONLY
def test_tag_mode_may_add_the_enforced_keys_and_nothing_else(
    tag_keys: list[str] | None, decision: Decision
) -> None:
    assert evaluate(operator_policy("tag"), add_tags_request(tag_keys)) is decision


def test_the_read_only_policy_cannot_add_tags_at_all() -> None:
    request = add_tags_request(["sagemaker:domain-arn"])
    assert evaluate(operator_policy("audit"), request) is Decision.IMPLICIT_DENY
