"""The per-domain IAM isolation policy, bound to the domain tag's value and not only its key.

The commonly published example (SageMaker Developer Guide, "Isolate domain
resources") allows creates with no tag condition, and variants of it check only
that the key is present (`"Null": {"aws:RequestTag/sagemaker:domain-arn":
"false"}`). A user of domain A can then create a resource tagged with domain B:
the cost lands on B and B's users gain access to it. This policy allows a create
only when the tag *equals* the domain's own ARN, and denies changing or removing
the enforced tags afterwards.

Design: the policy is one list of statements, packed into as few managed policy
documents as IAM's size limit allows (two or three for a registry of 65 types),
all to be attached to the same role. Several identity policies on one
principal are evaluated together: a Deny in any wins, then an Allow in any (IAM
User Guide, "Policy evaluation logic"), so the split changes no decision. A
single document would need wildcards such as `sagemaker:Delete*`, which also
match DeleteDomain and DeleteTags; every action is therefore named, derived from
the registry and botocore, and no statement uses `sagemaker:*`.

    >>> documents = build_isolation_policy(
    ...     "arn:aws:sagemaker:eu-west-1:111122223333:domain/d-finance00001"
    ... )
    >>> create = documents[0]["Statement"][0]
    >>> create["Sid"], create["Condition"]["StringEquals"]["aws:RequestTag/sagemaker:domain-arn"]
    ('CreateOnlyIntoThisDomain', 'arn:aws:sagemaker:eu-west-1:111122223333:domain/d-finance00001')
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import botocore.session

from tag_enforcer.core.arns import Arn, InvalidArnError, sagemaker_arn
from tag_enforcer.core.registry.resource_types import RESOURCE_TYPES
from tag_enforcer.core.registry.schema import ResourceType
from tag_enforcer.core.tags import DOMAIN_TAG, ENFORCED_TAG_KEYS, SPACE_TAG, USER_PROFILE_TAG

PolicyDocument = dict[str, Any]
PolicyStatement = dict[str, Any]

# The only version that supports every element used here (IAM User Guide,
# "IAM JSON policy elements: Version").
POLICY_VERSION = "2012-10-17"
# IAM User Guide, "IAM and AWS STS quotas": a managed policy holds at most 6,144
# characters, white space not counted.
MANAGED_POLICY_SIZE_LIMIT = 6144

# Operations on an existing resource are named verb + registry type name
# (DescribeTrainingJob, StopNotebookInstance, ...); only those botocore knows are used.
EXISTING_RESOURCE_VERBS = ("Describe", "Update", "Delete", "Stop")
# SageMaker's tagging actions on an existing resource; removal is DeleteTags, denied below.
EXISTING_RESOURCE_TAG_ACTIONS = ("sagemaker:AddTags", "sagemaker:ListTags")
# A documented limit. IAM offers no aws:ResourceTag for these actions on these
# resource types (Service Authorization Reference, SageMaker AI: AddTags and ListTags
# list no condition key for mlflow-tracking-server, and the resource type lists none),
# so UseOnlyThisDomainsResources can never match there and the policy denies by
# default: a principal confined by it cannot list or add tags on an existing MLflow
# tracking server, in any domain. Tags given when the server is created still work
# (TagOnCreateOnlyIntoThisDomain uses request keys, which AddTags offers), the
# server's Describe/Update/Delete/Stop are scoped as usual, and the enforcer's own
# role is not confined by this policy. No other condition could scope them: a tracking
# server's ARN names no domain. tests/unit/template/test_iam_reference_data.py derives
# this table from the pinned IAM data and fails when it changes.
RESOURCE_TAG_NOT_OFFERED: dict[str, tuple[str, ...]] = {
    "mlflow-tracking-server": ("sagemaker:AddTags", "sagemaker:ListTags"),
}

# Shape patterns from botocore's SageMaker model (shapes DomainId, UserProfileName).
_DOMAIN_ID = re.compile(r"d-(-*[a-z0-9]){1,61}")
_USER_PROFILE_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")


class IsolationPolicyInputError(ValueError):
    """A domain or user profile reference that does not name a SageMaker domain or profile."""


def is_domain_id(text: str) -> bool:
    return _DOMAIN_ID.fullmatch(text) is not None


def parse_domain_arn(domain_arn: str) -> Arn:
    """The domain ARN, checked: `arn:<partition>:sagemaker:<region>:<account>:domain/<id>`."""
    try:
        arn = Arn.parse(domain_arn)
    except InvalidArnError:
        raise IsolationPolicyInputError(
            f"{domain_arn!r} is not an ARN; pass a domain ARN "
            "(arn:aws:sagemaker:<region>:<account>:domain/d-...) or a domain id (d-...)"
        ) from None
    path = arn.resource_path
    if (
        arn.service != "sagemaker"
        or arn.resource_segment != "domain"
        or len(path) != 1
        or not is_domain_id(path[0])
        or not arn.region
        or not arn.account
    ):
        raise IsolationPolicyInputError(
            f"{domain_arn!r} is not a SageMaker domain ARN; expected "
            "arn:<partition>:sagemaker:<region>:<account>:domain/d-..."
        )
    return arn


def user_profile_arn(domain_arn: str, profile_name: str) -> str:
    """The ARN of user profile `profile_name` in the domain.

    SageMaker lower-cases the profile name inside the ARN (SageMaker API
    reference, CreateUserProfile `UserProfileArn`; the registry relies on the same).
    """
    if _USER_PROFILE_NAME.fullmatch(profile_name) is None:
        raise IsolationPolicyInputError(
            f"{profile_name!r} is not a user profile name; use 1-63 letters, digits and "
            "hyphens, starting with a letter or digit"
        )
    domain = parse_domain_arn(domain_arn)
    return sagemaker_arn(
        domain.partition,
        domain.region,
        domain.account,
        "user-profile",
        _domain_id(domain),
        profile_name.lower(),
    )


def build_isolation_policy(
    domain_arn: str, user_profile_arn: str | None = None
) -> list[PolicyDocument]:
    """The managed policy documents that together confine a principal to domain `domain_arn`.

    Attach every document to the role; see `isolation_policy_statements` for what
    they allow and deny.
    """
    return pack_into_managed_policies(isolation_policy_statements(domain_arn, user_profile_arn))


def isolation_policy_statements(
    domain_arn: str, user_profile_arn: str | None = None
) -> list[PolicyStatement]:
    """The statements that confine a principal to domain `domain_arn`, before packing.

    - Creates of the registry's types are allowed only when
      `aws:RequestTag/sagemaker:domain-arn` equals the domain ARN and, given
      `user_profile_arn`, `aws:RequestTag/sagemaker:user-profile-arn` equals it.
    - Describe/Update/Delete/Stop, AddTags and ListTags on existing resources are
      allowed only where `aws:ResourceTag/sagemaker:domain-arn` equals the domain ARN.
    - Deny statements forbid deleting the enforced tags and setting them to another
      domain, profile or space. Only a Deny holds against other policies on the same
      role (AmazonSageMakerFullAccess, say); the Allow statements restrict nothing
      when another policy already allows more.

    Creating domains is left out: a domain's own `sagemaker:domain-arn` tag is its
    own ARN (registry `own_arn_tag`), so a new domain tagged with this domain's ARN
    would carry a wrong tag by construction. For the same reason the domain is only
    described through this policy, never updated or deleted.
    """
    domain = parse_domain_arn(domain_arn)
    domain_arn = str(domain)
    request_tags = {f"aws:RequestTag/{DOMAIN_TAG}": domain_arn}
    if user_profile_arn is not None:
        _check_profile_of(domain, user_profile_arn)
        request_tags[f"aws:RequestTag/{USER_PROFILE_TAG}"] = user_profile_arn

    # Types whose actions IAM does not know yet are left out: no statement can allow
    # or scope them (registry `iam_actions_published`).
    governed_types = [t for t in RESOURCE_TYPES if t.iam_actions_published]
    create_types = [t for t in governed_types if not _is_the_domain_itself(t)]
    studio_types = [t for t in create_types if t.studio_scope is not None]
    account_wide = sagemaker_arn(domain.partition, domain.region, domain.account, "*")

    statements: list[PolicyStatement] = [
        {
            # Each of these Create actions authorizes against its own resource type
            # only (Service Authorization Reference, "Actions, resources, and
            # condition keys for Amazon SageMaker"), so per-type ARNs would grant no
            # less than the account-wide one; the tag value does the scoping.
            "Sid": "CreateOnlyIntoThisDomain",
            "Effect": "Allow",
            "Action": _create_actions(t for t in create_types if t.studio_scope is None),
            "Resource": account_wide,
            "Condition": {"StringEquals": request_tags},
        },
        # Studio resources carry the domain id in their ARN (user-profile/<domain
        # id>/<name>, space/..., app/...), so a space or app cannot be created in
        # another domain and tagged into this one. One statement per type: each
        # Create authorizes against its own type's ARN only (same reference).
        *(
            {
                "Sid": f"Create{t.name}OnlyInThisDomain",
                "Effect": "Allow",
                "Action": _create_actions([t]),
                "Resource": _studio_arn_pattern(domain, t.arn_segment),
                "Condition": {"StringEquals": request_tags},
            }
            for t in studio_types
        ),
        {
            # Tags passed to a Create call are authorized as sagemaker:AddTags with
            # sagemaker:TaggingAction set to the create operation's name (Service
            # Authorization Reference, SageMaker: AddTags condition keys; SageMaker
            # Developer Guide, "Provide permissions for tagging SageMaker AI
            # resources", whose examples match it against names such as
            # "CreateTrainingPlan"). A plain AddTags call carries no TaggingAction,
            # so this statement cannot claim an untagged or foreign resource.
            "Sid": "TagOnCreateOnlyIntoThisDomain",
            "Effect": "Allow",
            "Action": "sagemaker:AddTags",
            "Resource": account_wide,
            "Condition": {
                "StringEquals": {
                    **request_tags,
                    "sagemaker:TaggingAction": [
                        operation for t in create_types for operation in t.create_operations
                    ],
                },
            },
        },
        {
            # The resource tag scopes existing resources, as in the published
            # example; an account-wide ARN keeps the document under the size limit.
            "Sid": "UseOnlyThisDomainsResources",
            "Effect": "Allow",
            "Action": [
                *sorted(a for t in governed_types for a in existing_resource_actions(t)),
                *EXISTING_RESOURCE_TAG_ACTIONS,
            ],
            "Resource": account_wide,
            "Condition": {"StringEquals": {f"aws:ResourceTag/{DOMAIN_TAG}": domain_arn}},
        },
        {
            "Sid": "DenyRemovingEnforcedTags",
            "Effect": "Deny",
            "Action": "sagemaker:DeleteTags",
            "Resource": "*",
            "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": list(ENFORCED_TAG_KEYS)}},
        },
        _deny_tag_value("DenyDomainTagOfAnotherDomain", DOMAIN_TAG, "StringNotEquals", domain_arn),
        (
            _deny_tag_value(
                "DenyUserProfileTagOfAnotherDomain",
                USER_PROFILE_TAG,
                "StringNotLike",
                _studio_arn_pattern(domain, "user-profile"),
            )
            if user_profile_arn is None
            else _deny_tag_value(
                "DenyUserProfileTagOfAnotherProfile",
                USER_PROFILE_TAG,
                "StringNotEquals",
                user_profile_arn,
            )
        ),
        _deny_tag_value(
            "DenySpaceTagOfAnotherDomain",
            SPACE_TAG,
            "StringNotLike",
            _studio_arn_pattern(domain, "space"),
        ),
    ]
    return statements


def pack_into_managed_policies(statements: list[PolicyStatement]) -> list[PolicyDocument]:
    """The statements in as few documents under the managed policy size limit as first-fit gives.

    A statement too big for one document is cut along its action list, or along
    its TaggingAction values; both are ORed, so the pieces allow exactly what the
    whole did.
    """
    packed: list[list[PolicyStatement]] = []
    for statement in statements:
        for piece in _pieces_that_fit(statement):
            home = next((doc for doc in packed if _fits([*doc, piece])), None)
            if home is None:
                packed.append([piece])
            else:
                home.append(piece)
    return [_document(doc) for doc in packed]


def _document(statements: list[PolicyStatement]) -> PolicyDocument:
    return {"Version": POLICY_VERSION, "Statement": statements}


def _fits(statements: list[PolicyStatement]) -> bool:
    return managed_policy_size(_document(statements)) <= MANAGED_POLICY_SIZE_LIMIT


# Lists a statement may be cut along without changing what it allows: its
# actions, and the values of a positive condition (IAM ORs them).
_SPLITTABLE_LISTS = (("Action",), ("Condition", "StringEquals", "sagemaker:TaggingAction"))


def _pieces_that_fit(statement: PolicyStatement) -> list[PolicyStatement]:
    if _fits([statement]):
        return [statement]
    path = next(
        (p for p in _SPLITTABLE_LISTS if isinstance(_get(statement, p), list)),
        None,
    )
    if path is None:
        raise ValueError(f"statement {statement['Sid']} alone exceeds the managed policy limit")
    pieces: list[list[str]] = [[]]
    for value in _get(statement, path):
        if pieces[-1] and not _fits([_with(statement, path, [*pieces[-1], value], "")]):
            pieces.append([])
        pieces[-1].append(value)
    cut = [
        _with(statement, path, values, f"{statement['Sid']}{number}")
        for number, values in enumerate(pieces, start=1)
    ]
    if not all(_fits([piece]) for piece in cut):
        raise ValueError(f"statement {statement['Sid']} cannot be cut to fit a managed policy")
    return cut


def _get(statement: PolicyStatement, path: tuple[str, ...]) -> Any:
    value: Any = statement
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _with(
    statement: PolicyStatement, path: tuple[str, ...], values: list[str], sid: str
) -> PolicyStatement:
    copy: PolicyStatement = json.loads(json.dumps(statement))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = values
    copy["Sid"] = sid or statement["Sid"]
    return copy


def managed_policy_size(document: PolicyDocument) -> int:
    """Characters IAM counts against the managed policy limit (white space excluded)."""
    return sum(1 for char in json.dumps(document, separators=(",", ":")) if not char.isspace())


def existing_resource_actions(resource_type: ResourceType) -> list[str]:
    """`sagemaker:<Verb><Type>` for the verbs botocore's SageMaker model actually has."""
    verbs = ("Describe",) if _is_the_domain_itself(resource_type) else EXISTING_RESOURCE_VERBS
    operations = _sagemaker_operation_names()
    return [
        f"sagemaker:{verb}{resource_type.name}"
        for verb in verbs
        if f"{verb}{resource_type.name}" in operations
    ]


@cache
def _sagemaker_operation_names() -> frozenset[str]:
    # The installed model rather than a hand-kept list: IAM accepts an action name
    # that does not exist without complaint, and it then grants nothing.
    model = botocore.session.get_session().get_service_model("sagemaker")
    return frozenset(model.operation_names)


def _create_actions(resource_types: Iterable[ResourceType]) -> list[str]:
    return sorted(f"sagemaker:{op}" for t in resource_types for op in t.create_operations)


def _is_the_domain_itself(resource_type: ResourceType) -> bool:
    scope = resource_type.studio_scope
    return scope is not None and scope.own_arn_tag == DOMAIN_TAG


def _domain_id(domain: Arn) -> str:
    return domain.resource_path[0]


def _studio_arn_pattern(domain: Arn, segment: str) -> str:
    """Every resource of `segment` inside this domain: `<segment>/<domain id>/*`."""
    return sagemaker_arn(
        domain.partition, domain.region, domain.account, segment, _domain_id(domain), "*"
    )


def _check_profile_of(domain: Arn, profile_arn: str) -> None:
    prefix = _studio_arn_pattern(domain, "user-profile").removesuffix("*")
    name = profile_arn.removeprefix(prefix)
    if not profile_arn.startswith(prefix) or _USER_PROFILE_NAME.fullmatch(name) is None:
        raise IsolationPolicyInputError(
            f"{profile_arn!r} is not a user profile of domain {domain}; expected "
            f"{prefix}<profile name>"
        )


def _deny_tag_value(sid: str, tag_key: str, operator: str, allowed: str) -> PolicyStatement:
    """Deny AddTags and every Create that set `tag_key` to a value `operator` rejects.

    Covering Create as well as AddTags means a create allowed by another policy
    still cannot carry a wrong tag. The Null check is needed because a negated
    operator is true when the key is absent (IAM User Guide, "IAM JSON policy
    elements: Condition operators"): without it, every AddTags that does not
    mention the key would be denied.
    """
    request_tag = f"aws:RequestTag/{tag_key}"
    return {
        "Sid": sid,
        "Effect": "Deny",
        "Action": ["sagemaker:AddTags", "sagemaker:Create*"],
        "Resource": "*",
        "Condition": {"Null": {request_tag: "false"}, operator: {request_tag: allowed}},
    }
