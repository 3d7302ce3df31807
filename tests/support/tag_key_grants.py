"""The AddTags requests every grant of the enforced keys must allow or refuse: the roles'
(template) and the operator policy's (CLI) are held to the same cases."""

from __future__ import annotations

from typing import Any

import pytest

from tag_enforcer.core.tags import ENFORCED_TAG_KEYS
from tag_enforcer_dev.policy_evaluator import AuthorizationRequest, Decision

TRAINING_JOB = "arn:aws:sagemaker:us-east-1:111122223333:training-job/churn-xgb"

# (the request's aws:TagKeys, or None for a request without it; what IAM decides)
ENFORCED_KEYS_ONLY = pytest.mark.parametrize(
    ("tag_keys", "decision"),
    [
        (["sagemaker:domain-arn"], Decision.ALLOWED),
        (list(ENFORCED_TAG_KEYS), Decision.ALLOWED),
        (["sagemaker:domain-arn", "cost-center"], Decision.IMPLICIT_DENY),
        (["cost-center"], Decision.IMPLICIT_DENY),
        # ForAllValues alone would allow these: no key is vacuously "all enforced".
        ([], Decision.IMPLICIT_DENY),
        (None, Decision.IMPLICIT_DENY),
    ],
    ids=["one-key", "all-keys", "one-other-key-too", "other-key", "empty", "no-keys"],
)


def add_tags_request(tag_keys: list[str] | None) -> AuthorizationRequest:
    context: dict[str, Any] = {} if tag_keys is None else {"aws:TagKeys": tag_keys}
    return AuthorizationRequest("sagemaker:AddTags", TRAINING_JOB, context)
