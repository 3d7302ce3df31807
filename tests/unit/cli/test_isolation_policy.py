"""The isolation policy binds the domain tag's value, which the published key-only example does not.

Requests are modelled the way SageMaker authorizes them: a create with tags is
the Create action plus `sagemaker:AddTags` with `sagemaker:TaggingAction` set to
the create operation (see `tag_enforcer_cli.isolation_policy`). Decisions come
from `tag_enforcer_dev.policy_evaluator`.
"""

from __future__ import annotations

import doctest
import json
import re
from typing import Any

import botocore.session
import pytest

from tag_enforcer.core.registry.resource_types import RESOURCE_TYPES, by_name
from tag_enforcer.core.registry.schema import ResourceType
from tag_enforcer.core.tags import DOMAIN_TAG, ENFORCED_TAG_KEYS, SPACE_TAG, USER_PROFILE_TAG
from tag_enforcer_cli import isolation_policy
from tag_enforcer_cli.isolation_policy import (
    MANAGED_POLICY_SIZE_LIMIT,
    IsolationPolicyInputError,
    build_isolation_policy,
    existing_resource_actions,
    isolation_policy_statements,
    managed_policy_size,
    pack_into_managed_policies,
    user_profile_arn,
)
from tag_enforcer_dev.policy_evaluator import AuthorizationRequest, Decision, evaluate

PREFIX = "arn:aws:sagemaker:eu-west-1:111122223333"
DOMAIN_A = f"{PREFIX}:domain/d-finance00001"
DOMAIN_B = f"{PREFIX}:domain/d-research0002"
ALICE = f"{PREFIX}:user-profile/d-finance00001/alice"
BOB = f"{PREFIX}:user-profile/d-finance00001/bob"
CAROL_IN_B = f"{PREFIX}:user-profile/d-research0002/carol"

# What an attached AmazonSageMakerFullAccess-like policy grants: everything.
FULL_ACCESS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"}],
}

# Types whose actions IAM does not know yet have no statement (registry iam_actions_published).
CREATE_TYPES = [t for t in RESOURCE_TYPES if t.name != "Domain" and t.iam_actions_published]


def resource_arn(resource_type: ResourceType, domain_id: str = "d-finance00001") -> str:
    """An ARN of the type; Studio resources live under their domain id."""
    if resource_type.name == "App":
        return f"{PREFIX}:app/{domain_id}/alice/JupyterLab/default"
    if resource_type.studio_scope is not None and resource_type.name != "Domain":
        return f"{PREFIX}:{resource_type.arn_segment}/{domain_id}/thing"
    return f"{PREFIX}:{resource_type.arn_segment}/thing"


def create_decision(
    policies: Any, resource_type: ResourceType, tags: dict[str, str], arn: str | None = None
) -> Decision:
    """The decision on a create with `tags`: the Create action, then the tags on create."""
    arn = arn or resource_arn(resource_type)
    context: dict[str, Any] = {f"aws:RequestTag/{key}": value for key, value in tags.items()}
    if tags:
        context["aws:TagKeys"] = list(tags)
    action = f"sagemaker:{resource_type.create_operation}"
    create = evaluate(policies, AuthorizationRequest(action, arn, context))
    if create is not Decision.ALLOWED or not tags:
        return create
    tagging_context = {**context, "sagemaker:TaggingAction": resource_type.create_operation}
    return evaluate(policies, AuthorizationRequest("sagemaker:AddTags", arn, tagging_context))


def existing_decision(
    policies: Any, action: str, resource_tags: dict[str, str], arn: str | None = None
) -> Decision:
    arn = arn or f"{PREFIX}:training-job/thing"
    context = {f"aws:ResourceTag/{key}": value for key, value in resource_tags.items()}
    return evaluate(policies, AuthorizationRequest(action, arn, context))


def add_tags_decision(
    policies: Any, new_tags: dict[str, str], resource_tags: dict[str, str]
) -> Decision:
    """A plain AddTags call on an existing training job."""
    context: dict[str, Any] = {
        **{f"aws:ResourceTag/{key}": value for key, value in resource_tags.items()},
        **{f"aws:RequestTag/{key}": value for key, value in new_tags.items()},
        "aws:TagKeys": list(new_tags),
    }
    arn = f"{PREFIX}:training-job/thing"
    return evaluate(policies, AuthorizationRequest("sagemaker:AddTags", arn, context))


def as_list(value: Any) -> list[Any]:
    return [value] if isinstance(value, str) else list(value)


def all_actions(documents: list[dict[str, Any]]) -> list[str]:
    return [a for d in documents for s in d["Statement"] for a in as_list(s["Action"])]


def grants(statements: list[dict[str, Any]]) -> set[tuple[str, ...]]:
    """Each statement flattened to (effect, action, tagging action, resource, other conditions)."""
    flat: set[tuple[str, ...]] = set()
    for statement in statements:
        condition = json.loads(json.dumps(statement.get("Condition", {})))
        tagging = condition.get("StringEquals", {}).pop("sagemaker:TaggingAction", [""])
        for action in as_list(statement["Action"]):
            for tagging_action in as_list(tagging):
                flat.add(
                    (
                        statement["Effect"],
                        action,
                        tagging_action,
                        json.dumps(statement["Resource"]),
                        json.dumps(condition, sort_keys=True),
                    )
                )
    return flat


# --- The document itself ------------------------------------------------------------


@pytest.mark.parametrize("profile", [None, ALICE])
def test_policy_is_a_well_formed_iam_document(profile: str | None) -> None:
    # GIVEN the policy for domain A, with and without a profile
    # WHEN it is built
    documents = build_isolation_policy(DOMAIN_A, profile)
    # THEN each document has the 2012-10-17 version, and Sids are alphanumeric and unique
    assert documents
    assert all(document["Version"] == "2012-10-17" for document in documents)
    statements = [s for document in documents for s in document["Statement"]]
    sids = [statement["Sid"] for statement in statements]
    assert len(sids) == len(set(sids))
    assert all(re.fullmatch(r"[A-Za-z0-9]+", sid) for sid in sids)
    assert {statement["Effect"] for statement in statements} == {"Allow", "Deny"}
    assert json.loads(json.dumps(documents)) == documents


@pytest.mark.parametrize("profile", [None, ALICE])
def test_no_statement_grants_all_of_sagemaker(profile: str | None) -> None:
    # GIVEN the policy
    documents = build_isolation_policy(DOMAIN_A, profile)
    # WHEN its actions are listed
    actions = all_actions(documents)
    # THEN none is sagemaker:* or *
    assert "sagemaker:*" not in actions
    assert "*" not in actions


def test_every_named_action_exists_in_botocore() -> None:
    # GIVEN botocore's SageMaker operations
    operations = set(botocore.session.get_session().get_service_model("sagemaker").operation_names)
    # WHEN the policy's non-wildcard actions are checked
    named = [a for a in all_actions(build_isolation_policy(DOMAIN_A)) if "*" not in a]
    # THEN each is a real SageMaker operation
    assert {a.removeprefix("sagemaker:") for a in named} <= operations


def test_every_registry_create_except_domain_is_allowed_somewhere() -> None:
    # GIVEN the registry's create operations IAM knows, less CreateDomain
    expected = {
        f"sagemaker:{op}"
        for t in RESOURCE_TYPES
        if t.iam_actions_published
        for op in t.create_operations
    } - {"sagemaker:CreateDomain"}
    # WHEN the Allow statements' actions are collected from every document
    allowed = {
        action
        for document in build_isolation_policy(DOMAIN_A)
        for statement in document["Statement"]
        if statement["Effect"] == "Allow"
        for action in as_list(statement["Action"])
        if action.startswith("sagemaker:Create")
    }
    # THEN exactly those creates are allowed
    assert allowed == expected


def test_existing_resource_actions_come_from_botocore() -> None:
    # GIVEN the training job and model types
    # WHEN their existing-resource actions are derived
    training = existing_resource_actions(by_name("TrainingJob"))
    model = existing_resource_actions(by_name("Model"))
    # THEN only operations botocore has appear (there is no UpdateModel or StopModel)
    assert "sagemaker:StopTrainingJob" in training
    assert "sagemaker:UpdateTrainingJob" in training
    assert model == ["sagemaker:DescribeModel", "sagemaker:DeleteModel"]


@pytest.mark.parametrize(
    ("partition", "region"),
    [("aws", "eu-west-1"), ("aws-us-gov", "us-gov-west-1"), ("aws-iso-b", "us-isob-east-1")],
)
@pytest.mark.parametrize("domain_id", ["d-abcdefghijkl", "d-" + "a" * 61])
@pytest.mark.parametrize("with_profile", [False, True])
def test_every_document_fits_the_managed_policy_size_limit(
    partition: str, region: str, domain_id: str, with_profile: bool
) -> None:
    # GIVEN long partitions, regions and domain ids, and a 63-character profile name
    domain = f"arn:{partition}:sagemaker:{region}:111122223333:domain/{domain_id}"
    profile = user_profile_arn(domain, "p" * 63) if with_profile else None
    # WHEN the policy is built
    documents = build_isolation_policy(domain, profile)
    # THEN IAM accepts each document as a managed policy, and a role can hold them all
    # (IAM and AWS STS quotas: 10 managed policies per role by default)
    assert all(managed_policy_size(d) <= MANAGED_POLICY_SIZE_LIMIT for d in documents)
    assert len(documents) <= 4


@pytest.mark.parametrize("profile", [None, ALICE])
def test_packing_keeps_every_grant_and_deny(profile: str | None) -> None:
    # GIVEN the policy's statements before packing
    statements = isolation_policy_statements(DOMAIN_A, profile)
    # WHEN they are packed into managed policy documents
    documents = build_isolation_policy(DOMAIN_A, profile)
    # THEN the documents hold exactly the same grants and denies
    packed = [s for document in documents for s in document["Statement"]]
    assert grants(packed) == grants(statements)


def test_a_statement_too_big_for_one_document_is_cut_along_its_actions() -> None:
    # GIVEN one statement naming far more actions than one document holds
    actions = [f"sagemaker:DescribeSomethingNumber{n:04d}" for n in range(400)]
    statement = {"Sid": "Big", "Effect": "Allow", "Action": actions, "Resource": "*"}
    # WHEN it is packed
    documents = pack_into_managed_policies([statement])
    # THEN it spans several documents that each fit and together name every action once
    assert len(documents) > 1
    assert all(managed_policy_size(d) <= MANAGED_POLICY_SIZE_LIMIT for d in documents)
    assert all_actions(documents) == actions
    assert [s["Sid"] for d in documents for s in d["Statement"]][:2] == ["Big1", "Big2"]


def test_partition_region_and_account_come_from_the_domain_arn() -> None:
    # GIVEN a GovCloud domain
    domain = "arn:aws-us-gov:sagemaker:us-gov-west-1:444455556666:domain/d-gov000000001"
    # WHEN its policy is built
    text = json.dumps(build_isolation_policy(domain))
    # THEN every ARN is in that partition, region and account
    arns = re.findall(r"arn:[^\"]*", text)
    assert arns
    assert all(a.startswith("arn:aws-us-gov:sagemaker:us-gov-west-1:444455556666:") for a in arns)


@pytest.mark.parametrize(
    ("domain", "profile"),
    [
        ("d-finance00001", None),
        ("arn:aws:sagemaker:eu-west-1:111122223333:user-profile/d-finance00001/alice", None),
        ("arn:aws:sagemaker:eu-west-1:111122223333:domain/not-a-domain-id", None),
        ("arn:aws:iam::111122223333:role/domain/d-finance00001", None),
        (DOMAIN_A, CAROL_IN_B),
        (DOMAIN_A, f"{PREFIX}:user-profile/d-finance00001/alice/extra"),
    ],
)
def test_inputs_that_name_no_domain_or_profile_are_refused(
    domain: str, profile: str | None
) -> None:
    # GIVEN text that is not a domain ARN, or a profile of another domain
    # WHEN the policy is built
    # THEN the input is refused with a message naming it
    with pytest.raises(IsolationPolicyInputError, match=re.escape(repr(profile or domain))):
        build_isolation_policy(domain, profile)


def test_profile_arn_lowercases_the_name_like_sagemaker() -> None:
    # GIVEN a profile name with capitals
    # WHEN its ARN is built
    arn = user_profile_arn(DOMAIN_A, "Alice-Smith")
    # THEN the name is lower-cased, as in SageMaker's ARNs
    assert arn == f"{PREFIX}:user-profile/d-finance00001/alice-smith"


def test_docstring_example_runs() -> None:
    # GIVEN the module's docstring example
    # WHEN doctest runs it
    result = doctest.testmod(isolation_policy)
    # THEN it passes
    assert result.failed == 0
    assert result.attempted > 0


# --- Creates --------------------------------------------------------------------------


@pytest.mark.parametrize("resource_type", CREATE_TYPES, ids=lambda t: t.name)
def test_create_tagged_with_own_domain_is_allowed(resource_type: ResourceType) -> None:
    # GIVEN domain A's policy
    policy = build_isolation_policy(DOMAIN_A)
    # WHEN a resource is created tagged with domain A
    decision = create_decision(policy, resource_type, {DOMAIN_TAG: DOMAIN_A})
    # THEN it is allowed
    assert decision is Decision.ALLOWED


@pytest.mark.parametrize("resource_type", CREATE_TYPES, ids=lambda t: t.name)
def test_create_tagged_with_another_domain_is_denied(resource_type: ResourceType) -> None:
    # GIVEN domain A's policy
    policy = build_isolation_policy(DOMAIN_A)
    # WHEN a user of A creates a resource tagged with domain B
    decision = create_decision(policy, resource_type, {DOMAIN_TAG: DOMAIN_B})
    # THEN it is denied outright, not merely left unallowed
    assert decision is Decision.EXPLICIT_DENY


@pytest.mark.parametrize("resource_type", CREATE_TYPES, ids=lambda t: t.name)
def test_create_without_domain_tag_is_denied(resource_type: ResourceType) -> None:
    # GIVEN domain A's policy
    policy = build_isolation_policy(DOMAIN_A)
    # WHEN a resource is created with no tags, or with an unrelated tag only
    untagged = create_decision(policy, resource_type, {})
    other_tag = create_decision(policy, resource_type, {"team": "churn"})
    # THEN neither is allowed
    assert untagged is Decision.IMPLICIT_DENY
    assert other_tag is Decision.IMPLICIT_DENY


def test_published_key_only_example_allows_the_spoofed_create() -> None:
    # GIVEN the commonly published condition that only checks the key is present
    key_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CreateRequiresDomainTagKey",
                "Effect": "Allow",
                "Action": ["sagemaker:CreateTrainingJob", "sagemaker:AddTags"],
                "Resource": "*",
                "Condition": {"Null": {f"aws:RequestTag/{DOMAIN_TAG}": "false"}},
            }
        ],
    }
    training_job = by_name("TrainingJob")
    # WHEN a user of domain A creates a training job tagged with domain B
    spoofed_under_key_only = create_decision(key_only, training_job, {DOMAIN_TAG: DOMAIN_B})
    spoofed_under_ours = create_decision(
        build_isolation_policy(DOMAIN_A), training_job, {DOMAIN_TAG: DOMAIN_B}
    )
    # THEN the key-only policy lets it through and ours does not
    assert spoofed_under_key_only is Decision.ALLOWED
    assert spoofed_under_ours is Decision.EXPLICIT_DENY


def test_spoofed_create_is_denied_even_beside_full_access() -> None:
    # GIVEN domain A's policy and a full-access policy on the same role
    policies = [*build_isolation_policy(DOMAIN_A), FULL_ACCESS]
    # WHEN a training job is created tagged with domain B
    decision = create_decision(policies, by_name("TrainingJob"), {DOMAIN_TAG: DOMAIN_B})
    # THEN the Deny still holds
    assert decision is Decision.EXPLICIT_DENY


@pytest.mark.parametrize("name", ["Space", "App", "UserProfile"])
def test_studio_resource_in_another_domain_cannot_be_tagged_into_this_one(name: str) -> None:
    # GIVEN domain A's policy
    policy = build_isolation_policy(DOMAIN_A)
    resource_type = by_name(name)
    # WHEN a Studio resource is created under domain B's id but tagged with domain A
    decision = create_decision(
        policy, resource_type, {DOMAIN_TAG: DOMAIN_A}, resource_arn(resource_type, "d-research0002")
    )
    # THEN it is not allowed
    assert decision is Decision.IMPLICIT_DENY


def test_creating_a_domain_is_not_allowed() -> None:
    # GIVEN domain A's policy
    policy = build_isolation_policy(DOMAIN_A)
    # WHEN a new domain is created tagged with domain A's ARN
    decision = create_decision(
        policy, by_name("Domain"), {DOMAIN_TAG: DOMAIN_A}, f"{PREFIX}:domain/d-new000000001"
    )
    # THEN it is not allowed: a domain's own tag is its own ARN
    assert decision is Decision.IMPLICIT_DENY


# --- Existing resources ------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        "sagemaker:DescribeTrainingJob",
        "sagemaker:StopTrainingJob",
        "sagemaker:DeleteTrainingJob",
        "sagemaker:ListTags",
    ],
)
def test_own_domain_resource_can_be_used(action: str) -> None:
    # GIVEN domain A's policy
    policy = build_isolation_policy(DOMAIN_A)
    # WHEN a user acts on a training job tagged with domain A
    decision = existing_decision(policy, action, {DOMAIN_TAG: DOMAIN_A})
    # THEN it is allowed
    assert decision is Decision.ALLOWED


@pytest.mark.parametrize("resource_tags", [{DOMAIN_TAG: DOMAIN_B}, {}], ids=["domain-b", "legacy"])
def test_other_domain_or_untagged_resource_cannot_be_described(
    resource_tags: dict[str, str],
) -> None:
    # GIVEN domain A's policy
    policy = build_isolation_policy(DOMAIN_A)
    # WHEN a user describes a training job of domain B, or an untagged one
    decision = existing_decision(policy, "sagemaker:DescribeTrainingJob", resource_tags)
    # THEN it is not allowed
    assert decision is Decision.IMPLICIT_DENY


def test_the_domain_itself_is_described_but_not_deleted() -> None:
    # GIVEN domain A's policy and domain A tagged with its own ARN
    policy = build_isolation_policy(DOMAIN_A)
    tags = {DOMAIN_TAG: DOMAIN_A}
    # WHEN a user describes and deletes the domain
    described = existing_decision(policy, "sagemaker:DescribeDomain", tags, DOMAIN_A)
    deleted = existing_decision(policy, "sagemaker:DeleteDomain", tags, DOMAIN_A)
    # THEN only the describe is allowed
    assert described is Decision.ALLOWED
    assert deleted is Decision.IMPLICIT_DENY


# --- Tag changes --------------------------------------------------------------------------


@pytest.mark.parametrize("tag_key", ENFORCED_TAG_KEYS)
def test_enforced_tags_cannot_be_deleted_even_beside_full_access(tag_key: str) -> None:
    # GIVEN domain A's policy beside a full-access policy
    policies = [*build_isolation_policy(DOMAIN_A), FULL_ACCESS]
    # WHEN a user deletes an enforced tag key (with another key) from an own resource
    request = AuthorizationRequest(
        "sagemaker:DeleteTags",
        f"{PREFIX}:training-job/thing",
        {f"aws:ResourceTag/{DOMAIN_TAG}": DOMAIN_A, "aws:TagKeys": ["team", tag_key]},
    )
    # THEN it is denied
    assert evaluate(policies, request) is Decision.EXPLICIT_DENY


def test_other_tags_can_still_be_deleted_where_another_policy_allows() -> None:
    # GIVEN domain A's policy beside a full-access policy
    policies = [*build_isolation_policy(DOMAIN_A), FULL_ACCESS]
    # WHEN a user deletes an unrelated tag
    request = AuthorizationRequest(
        "sagemaker:DeleteTags", f"{PREFIX}:training-job/thing", {"aws:TagKeys": ["team"]}
    )
    # THEN the deny does not reach it
    assert evaluate(policies, request) is Decision.ALLOWED


def test_domain_tag_cannot_be_changed_to_another_domain() -> None:
    # GIVEN domain A's policy, alone and beside full access
    policy = build_isolation_policy(DOMAIN_A)
    # WHEN a user re-tags an own training job with domain B
    alone = add_tags_decision(policy, {DOMAIN_TAG: DOMAIN_B}, {DOMAIN_TAG: DOMAIN_A})
    beside = add_tags_decision(
        [*policy, FULL_ACCESS], {DOMAIN_TAG: DOMAIN_B}, {DOMAIN_TAG: DOMAIN_A}
    )
    # THEN it is denied
    assert alone is Decision.EXPLICIT_DENY
    assert beside is Decision.EXPLICIT_DENY


def test_unrelated_tags_can_be_added_to_own_resources() -> None:
    # GIVEN domain A's policy
    policy = build_isolation_policy(DOMAIN_A)
    # WHEN a user adds an unrelated tag to an own training job
    decision = add_tags_decision(policy, {"team": "churn"}, {DOMAIN_TAG: DOMAIN_A})
    # THEN it is allowed: the deny statements' Null checks keep them off this request
    assert decision is Decision.ALLOWED


def test_deny_statements_need_their_null_check() -> None:
    # GIVEN domain A's policy with the Null checks removed from the Deny statements
    policy = build_isolation_policy(DOMAIN_A)
    for document in policy:
        for statement in document["Statement"]:
            if statement["Effect"] == "Deny":
                statement["Condition"].pop("Null", None)
    # WHEN a user adds an unrelated tag to an own training job
    decision = add_tags_decision(policy, {"team": "churn"}, {DOMAIN_TAG: DOMAIN_A})
    # THEN it would be denied, which is why the checks are there
    assert decision is Decision.EXPLICIT_DENY


def test_untagged_resource_cannot_be_claimed_into_the_domain() -> None:
    # GIVEN domain A's policy
    policy = build_isolation_policy(DOMAIN_A)
    # WHEN a user tags a legacy, untagged training job with domain A
    decision = add_tags_decision(policy, {DOMAIN_TAG: DOMAIN_A}, {})
    # THEN it is not allowed: only the enforcer backfills tags
    assert decision is Decision.IMPLICIT_DENY


@pytest.mark.parametrize(
    ("tag_key", "value", "expected"),
    [
        (USER_PROFILE_TAG, BOB, Decision.ALLOWED),
        (USER_PROFILE_TAG, CAROL_IN_B, Decision.EXPLICIT_DENY),
        (SPACE_TAG, f"{PREFIX}:space/d-finance00001/shared", Decision.ALLOWED),
        (SPACE_TAG, f"{PREFIX}:space/d-research0002/shared", Decision.EXPLICIT_DENY),
    ],
)
def test_profile_and_space_tags_must_stay_in_the_domain(
    tag_key: str, value: str, expected: Decision
) -> None:
    # GIVEN domain A's policy without a profile
    policy = build_isolation_policy(DOMAIN_A)
    # WHEN a user sets a profile or space tag on an own training job
    decision = add_tags_decision(policy, {tag_key: value}, {DOMAIN_TAG: DOMAIN_A})
    # THEN only profiles and spaces of domain A are accepted
    assert decision is expected


# --- Profile-scoped policy ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["TrainingJob", "Space", "Pipeline"])
def test_profile_scoped_create_needs_the_profile_tag(name: str) -> None:
    # GIVEN alice's policy in domain A
    policy = build_isolation_policy(DOMAIN_A, ALICE)
    resource_type = by_name(name)
    # WHEN alice creates with both tags, with the domain tag only, and as bob
    own = create_decision(policy, resource_type, {DOMAIN_TAG: DOMAIN_A, USER_PROFILE_TAG: ALICE})
    domain_only = create_decision(policy, resource_type, {DOMAIN_TAG: DOMAIN_A})
    as_bob = create_decision(policy, resource_type, {DOMAIN_TAG: DOMAIN_A, USER_PROFILE_TAG: BOB})
    # THEN only her own profile tag is accepted
    assert own is Decision.ALLOWED
    assert domain_only is Decision.IMPLICIT_DENY
    assert as_bob is Decision.EXPLICIT_DENY


def test_profile_scoped_create_into_another_domain_is_denied() -> None:
    # GIVEN alice's policy in domain A
    policy = build_isolation_policy(DOMAIN_A, ALICE)
    # WHEN she creates a training job tagged with domain B and her own profile
    decision = create_decision(
        policy, by_name("TrainingJob"), {DOMAIN_TAG: DOMAIN_B, USER_PROFILE_TAG: ALICE}
    )
    # THEN it is denied
    assert decision is Decision.EXPLICIT_DENY


def test_profile_tag_cannot_be_changed_to_another_profile() -> None:
    # GIVEN alice's policy in domain A
    policy = build_isolation_policy(DOMAIN_A, ALICE)
    resource_tags = {DOMAIN_TAG: DOMAIN_A, USER_PROFILE_TAG: ALICE}
    # WHEN she re-tags an own training job as bob's, or as her own
    to_bob = add_tags_decision(policy, {USER_PROFILE_TAG: BOB}, resource_tags)
    to_alice = add_tags_decision(policy, {USER_PROFILE_TAG: ALICE}, resource_tags)
    # THEN only her own profile is accepted
    assert to_bob is Decision.EXPLICIT_DENY
    assert to_alice is Decision.ALLOWED


def test_a_statement_that_cannot_be_cut_small_enough_is_refused() -> None:
    # GIVEN a statement whose one resource alone exceeds the limit
    statement = {
        "Sid": "Huge",
        "Effect": "Allow",
        "Action": ["sagemaker:DescribeModel", "sagemaker:DeleteModel"],
        "Resource": "arn:aws:sagemaker:eu-west-1:111122223333:model/" + "m" * 7000,
    }
    # WHEN it is packed
    # THEN packing refuses rather than emit a document IAM would reject
    with pytest.raises(ValueError, match="Huge"):
        pack_into_managed_policies([statement])
