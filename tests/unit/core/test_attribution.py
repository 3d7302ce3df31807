"""Attribution decides who owns a resource from evidence alone, and never overwrites a tag.

The world is the `studio` fixture (tests/support/studio.py): finance (source identity on)
and sustainability (off), with own, shared and cross-domain roles.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tag_enforcer.core import registry
from tag_enforcer.core.arns import role_key, sagemaker_arn
from tag_enforcer.core.attribution import attribute
from tag_enforcer.core.decisions import (
    AttributionDecision,
    AttributionInput,
    CallerEvidence,
    FlagReason,
    Outcome,
    ParentEvidence,
    Severity,
    StudioReference,
)
from tag_enforcer.core.directory import DomainDirectory, DomainEntry, SpaceEntry, UserProfileEntry
from tag_enforcer.core.tags import DOMAIN_TAG, ENFORCED_TAG_KEYS, SPACE_TAG, USER_PROFILE_TAG
from tests.support.studio import Studio

KNOWN_RULES = {
    "structural",
    "lineage",
    "source-identity",
    "caller-role",
    "resource-role",
    "admin-rule",
    "no-evidence",
    "existing-tags",
    "creator-record",
    "consensus",
    "datazone-tags",
}


def _caller(studio: Studio, role: str | None, source_identity: str | None = None) -> CallerEvidence:
    if role is None:
        return CallerEvidence(principal_type="IAMUser", principal_arn="arn:aws:iam::1:user/x")
    issuer = studio.role(role)
    name = issuer.rsplit("/", 1)[-1]
    return CallerEvidence(
        principal_type="AssumedRole",
        principal_arn=f"arn:aws:sts::{studio.account}:assumed-role/{name}/session",
        session_issuer_arn=issuer,
        source_identity=source_identity,
    )


def _training_job(
    studio: Studio,
    *,
    caller_role: str | None = "CiRole",
    source_identity: str | None = None,
    resource_roles: tuple[str, ...] = (),
    parents: tuple[ParentEvidence, ...] = (),
    tags: Mapping[str, str] | None = None,
) -> AttributionInput:
    return AttributionInput(
        resource_type=registry.by_name("TrainingJob"),
        resource_arn=studio.arn("training-job", "churn-xgb"),
        caller=_caller(studio, caller_role, source_identity),
        resource_role_arns=tuple(studio.role(r) for r in resource_roles),
        parents=parents,
        current_tags=dict(tags or {}),
    )


def _studio_resource(
    studio: Studio,
    type_name: str,
    arn: str,
    reference: StudioReference,
    caller_role: str = "CiRole",
) -> AttributionInput:
    return AttributionInput(
        resource_type=registry.by_name(type_name),
        resource_arn=arn,
        caller=_caller(studio, caller_role),
        studio=reference,
    )


def _tagged_parent(studio: Studio, name: str, **tags: str) -> ParentEvidence:
    return ParentEvidence("Experiment", studio.arn("experiment", name), tags)


def _rules(decision: AttributionDecision) -> list[str]:
    return [e.rule for e in decision.evidence]


def _domain_tags(domain: DomainEntry, profile: UserProfileEntry | None = None) -> dict[str, str]:
    tags = {DOMAIN_TAG: domain.domain_arn}
    if profile is not None:
        tags[USER_PROFILE_TAG] = profile.arn
    return tags


# --- 1. structural ------------------------------------------------------------------------


def test_a_user_profile_belongs_to_the_domain_its_request_names(studio: Studio) -> None:
    # GIVEN CreateUserProfile in finance, by a CI role no domain uses
    arn = studio.arn("user-profile", studio.finance.domain_id, "new-hire")
    request = _studio_resource(
        studio, "UserProfile", arn, StudioReference(domain_id=studio.finance.domain_id)
    )

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN it takes finance's domain tag and its own ARN as profile tag
    assert decision.outcome is Outcome.TAG
    assert decision.missing_tags == {DOMAIN_TAG: studio.finance.domain_arn, USER_PROFILE_TAG: arn}
    assert _rules(decision) == ["structural"]


def test_a_space_belongs_to_its_domain_and_to_itself(studio: Studio) -> None:
    # GIVEN CreateSpace in sustainability
    arn = studio.arn("space", studio.sustainability.domain_id, "new-space")
    request = _studio_resource(
        studio, "Space", arn, StudioReference(domain_id=studio.sustainability.domain_id)
    )

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN it takes the domain tag and its own ARN as space tag
    assert decision.missing_tags == {DOMAIN_TAG: studio.sustainability.domain_arn, SPACE_TAG: arn}


def test_an_app_in_a_space_takes_the_domain_and_the_space(studio: Studio) -> None:
    # GIVEN CreateApp naming finance's team space
    arn = studio.arn("app", studio.finance.domain_id, "team-space", "jupyterlab", "default")
    reference = StudioReference(domain_id=studio.finance.domain_id, space_name="team-space")

    # WHEN it is attributed
    decision = attribute(_studio_resource(studio, "App", arn, reference), studio.directory)

    # THEN it is tagged with the domain and the space, not a profile
    assert decision.outcome is Outcome.TAG
    assert decision.missing_tags == {
        DOMAIN_TAG: studio.finance.domain_arn,
        SPACE_TAG: studio.finance_space.arn,
    }


def test_an_app_for_a_profile_takes_the_domain_and_the_profile(studio: Studio) -> None:
    # GIVEN CreateApp naming dan's profile in sustainability, by a finance caller
    arn = studio.arn("app", studio.sustainability.domain_id, "dan", "jupyterlab", "default")
    reference = StudioReference(domain_id=studio.sustainability.domain_id, user_profile_name="dan")

    # WHEN it is attributed
    decision = attribute(
        _studio_resource(studio, "App", arn, reference, caller_role="AliceRole"), studio.directory
    )

    # THEN the request's structure wins over the caller's role
    assert decision.missing_tags == _domain_tags(studio.sustainability, studio.profile("dan"))
    assert _rules(decision) == ["structural"]


@pytest.mark.parametrize(
    "reference",
    [
        StudioReference(domain_id="d-doesnotexist"),
        StudioReference(domain_id=None),
        StudioReference(domain_id="d-finance00001", user_profile_name="nobody"),
        StudioReference(domain_id="d-finance00001", space_name="no-such-space"),
        # A profile name from the other domain is not a profile of this one.
        StudioReference(domain_id="d-finance00001", user_profile_name="dan"),
    ],
    ids=["unknown-domain", "no-domain", "unknown-profile", "unknown-space", "foreign-profile"],
)
def test_a_studio_request_naming_nothing_known_is_unattributable(
    studio: Studio, reference: StudioReference
) -> None:
    # GIVEN CreateApp naming a domain, profile or space the directory lacks
    arn = studio.arn("app", "d-x", "p", "jupyterlab", "default")

    # WHEN it is attributed
    decision = attribute(_studio_resource(studio, "App", arn, reference), studio.directory)

    # THEN it is flagged unattributable, with the structural evidence
    assert decision.outcome is Outcome.FLAG
    assert decision.reason is FlagReason.UNATTRIBUTABLE
    assert decision.missing_tags == {}
    assert _rules(decision) == ["structural"]


def test_a_studio_request_naming_nothing_known_ignores_a_caller_role(studio: Studio) -> None:
    # GIVEN CreateApp in an unknown domain, by alice, whose role is unique
    reference = StudioReference(domain_id="d-doesnotexist", user_profile_name="alice")
    arn = studio.arn("app", "d-doesnotexist", "alice", "jupyterlab", "default")
    request = _studio_resource(studio, "App", arn, reference, caller_role="AliceRole")

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the request's own statement is not overruled by weaker evidence
    assert decision.reason is FlagReason.UNATTRIBUTABLE


def test_a_domain_belongs_to_itself(studio: Studio) -> None:
    # GIVEN CreateDomain for a brand-new domain the directory does not know yet
    arn = studio.arn("domain", "d-brandnew0003")
    request = AttributionInput(
        resource_type=registry.by_name("Domain"),
        resource_arn=arn,
        caller=_caller(studio, "CiRole"),
        studio=StudioReference(),
    )

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN its own ARN is its domain tag
    assert decision.outcome is Outcome.TAG
    assert decision.missing_tags == {DOMAIN_TAG: arn}
    assert decision.evidence[0].rule == "structural"


# --- 2. source identity -------------------------------------------------------------------


def test_source_identity_and_issuer_role_name_exactly_one_profile(studio: Studio) -> None:
    # GIVEN bob acts through finance's shared default role, with source identity "bob"
    request = _training_job(studio, caller_role="FinanceDefault", source_identity="bob")

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the shared role (finance, no profile) meets the source identity (bob) in bob
    assert decision.outcome is Outcome.TAG
    assert decision.missing_tags == _domain_tags(studio.finance, studio.profile("bob"))
    assert _rules(decision) == ["source-identity", "caller-role"]
    assert decision.evidence[0].fields["sourceIdentity"] == "bob"


def test_without_source_identity_a_shared_role_names_only_the_domain(studio: Studio) -> None:
    # GIVEN the same shared role, without a source identity
    request = _training_job(studio, caller_role="FinanceDefault")

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN only the domain is known
    assert decision.missing_tags == _domain_tags(studio.finance)
    assert _rules(decision) == ["caller-role"]


def test_source_identity_is_not_trusted_where_the_domain_does_not_set_it(studio: Studio) -> None:
    # GIVEN sustainability does not set ExecutionRoleIdentityConfig, yet the session
    # carries source identity "erin" through the role erin shares with frank
    request = _training_job(studio, caller_role="SustainDefault", source_identity="erin")

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN erin is not named; the role gives the domain only
    assert decision.missing_tags == _domain_tags(studio.sustainability)
    assert USER_PROFILE_TAG not in decision.expected_tags
    assert all(not e.candidates for e in decision.evidence if e.rule == "source-identity")


def test_a_source_identity_the_session_role_contradicts_is_a_flag(studio: Studio) -> None:
    # GIVEN source identity "bob" but the session was issued by alice's own role, which
    # bob cannot act as
    request = _training_job(studio, caller_role="AliceRole", source_identity="bob")

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the two do not meet: neither bob nor alice is written
    assert (decision.outcome, decision.reason) == (Outcome.FLAG, FlagReason.AMBIGUOUS)
    assert decision.missing_tags == {}
    assert _rules(decision) == ["source-identity", "caller-role"]


def test_source_identity_naming_no_profile_falls_back_to_the_role(studio: Studio) -> None:
    # GIVEN a source identity that is nobody's profile name
    request = _training_job(studio, caller_role="FinanceDefault", source_identity="mallory")

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the role still names finance
    assert decision.missing_tags == _domain_tags(studio.finance)


# --- 3. execution role --------------------------------------------------------------------


def test_a_caller_role_of_exactly_one_profile_names_domain_and_profile(studio: Studio) -> None:
    # GIVEN alice's own role, used by no one else
    # WHEN her training job is attributed
    decision = attribute(_training_job(studio, caller_role="AliceRole"), studio.directory)

    # THEN finance and alice
    assert decision.outcome is Outcome.TAG
    assert decision.missing_tags == _domain_tags(studio.finance, studio.profile("alice"))
    assert decision.severity is Severity.INFO
    assert decision.proposed_domain_arn == studio.finance.domain_arn


def test_a_caller_session_arn_with_a_path_is_matched_by_role_name(studio: Studio) -> None:
    # GIVEN the caller evidence carries the role with its path (service-role/)
    request = _training_job(studio, caller_role="SustainDefault")

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the role is still recognised
    assert decision.missing_tags == _domain_tags(studio.sustainability)


def test_a_role_shared_by_two_profiles_of_one_domain_names_the_domain_only(
    studio: Studio,
) -> None:
    # GIVEN sustainability's default role, used by erin and frank
    # WHEN a job made with it is attributed
    decision = attribute(_training_job(studio, caller_role="SustainDefault"), studio.directory)

    # THEN sustainability, and no profile, however many inherit the role
    assert decision.missing_tags == _domain_tags(studio.sustainability)
    assert "no profile" in decision.evidence[0].conclusion


def test_a_role_used_by_two_domains_is_ambiguous(studio: Studio) -> None:
    # GIVEN CrossTeamRole, the role of gina (finance) and hank (sustainability)
    # WHEN a job made with it is attributed
    decision = attribute(_training_job(studio, caller_role="CrossTeamRole"), studio.directory)

    # THEN the enforcer will not choose
    assert decision.outcome is Outcome.FLAG
    assert decision.reason is FlagReason.AMBIGUOUS
    assert decision.severity is Severity.MEDIUM
    assert decision.missing_tags == {}
    assert studio.finance.domain_id in decision.evidence[0].conclusion
    assert studio.sustainability.domain_id in decision.evidence[0].conclusion


def test_a_domain_default_space_role_alone_names_its_domain(studio: Studio) -> None:
    # GIVEN a directory where a role is only a domain's default space role
    space_role = "arn:aws:iam::111122223333:role/SpaceOnly"
    finance = DomainEntry(
        "d-finance00001",
        studio.finance.domain_arn,
        "finance",
        default_role=None,
        default_space_role=role_key(space_role),
        source_identity_is_profile_name=False,
    )
    directory = DomainDirectory((finance,))
    request = AttributionInput(
        resource_type=registry.by_name("TrainingJob"),
        resource_arn=studio.arn("training-job", "x"),
        caller=CallerEvidence(session_issuer_arn=space_role),
    )

    # WHEN it is attributed
    decision = attribute(request, directory)

    # THEN the domain is named without a profile
    assert decision.missing_tags == {DOMAIN_TAG: studio.finance.domain_arn}


def test_the_resource_role_is_used_when_the_caller_is_unknown(studio: Studio) -> None:
    # GIVEN a CI role creates a job that runs as dan's role
    request = _training_job(studio, caller_role="CiRole", resource_roles=("DanRole",))

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the job's own role names sustainability and dan
    assert decision.missing_tags == _domain_tags(studio.sustainability, studio.profile("dan"))
    assert _rules(decision) == ["resource-role"]


def test_the_resource_role_is_used_when_there_is_no_session_at_all(studio: Studio) -> None:
    # GIVEN an IAM user (no session issuer) passes alice's role
    request = _training_job(studio, caller_role=None, resource_roles=("AliceRole",))

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN alice's role decides
    assert decision.missing_tags == _domain_tags(studio.finance, studio.profile("alice"))


def test_caller_and_resource_role_in_one_domain_agree(studio: Studio) -> None:
    # GIVEN bob's shared role calls and passes alice's role, both in finance
    request = _training_job(studio, caller_role="FinanceDefault", resource_roles=("AliceRole",))

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN finance, with both facts recorded, the caller's conclusion first
    assert decision.expected_tags[DOMAIN_TAG] == studio.finance.domain_arn
    assert _rules(decision) == ["caller-role", "resource-role"]


def test_caller_role_and_resource_role_in_different_domains_are_ambiguous(studio: Studio) -> None:
    # GIVEN alice (finance) creates a job that runs as dan's role (sustainability)
    request = _training_job(studio, caller_role="AliceRole", resource_roles=("DanRole",))

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the enforcer will not pick a side
    assert decision.outcome is Outcome.FLAG
    assert decision.reason is FlagReason.AMBIGUOUS
    assert _rules(decision) == ["caller-role", "resource-role"]


def test_a_resource_role_shared_by_domains_is_narrowed_by_the_callers_role(studio: Studio) -> None:
    # GIVEN alice's unique role calls, passing the cross-domain role (finance and
    # sustainability)
    request = _training_job(studio, caller_role="AliceRole", resource_roles=("CrossTeamRole",))

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the two meet in finance, and alice is the only profile either names
    assert decision.outcome is Outcome.TAG
    assert decision.missing_tags == _domain_tags(studio.finance, studio.profile("alice"))


# --- lineage ------------------------------------------------------------------------------


def test_a_child_inherits_from_a_tagged_parent_when_nothing_else_is_known(studio: Studio) -> None:
    # GIVEN a CI role creates a job in an experiment tagged finance/alice
    parent = _tagged_parent(
        studio,
        "churn",
        **{DOMAIN_TAG: studio.finance.domain_arn, USER_PROFILE_TAG: studio.profile("alice").arn},
    )
    request = _training_job(studio, caller_role="CiRole", parents=(parent,))

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN it takes the parent's domain and profile
    assert decision.outcome is Outcome.TAG
    assert decision.missing_tags == _domain_tags(studio.finance, studio.profile("alice"))
    assert _rules(decision) == ["lineage"]
    assert decision.evidence[0].fields["parentArn"] == parent.parent_arn


def test_an_untagged_parent_is_no_evidence(studio: Studio) -> None:
    # GIVEN a parent without a domain tag
    parent = _tagged_parent(studio, "legacy", **{USER_PROFILE_TAG: studio.profile("dan").arn})
    request = _training_job(studio, caller_role="CiRole", parents=(parent,))

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN nothing is known
    assert decision.reason is FlagReason.UNATTRIBUTABLE
    assert _rules(decision) == ["no-evidence"]


def test_lineage_agreeing_with_the_caller_adds_evidence(studio: Studio) -> None:
    # GIVEN alice creates a job in her own finance experiment
    parent = _tagged_parent(studio, "churn", **{DOMAIN_TAG: studio.finance.domain_arn})
    request = _training_job(studio, caller_role="AliceRole", parents=(parent,))

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the caller's answer stands, backed by both rules
    assert decision.outcome is Outcome.TAG
    assert decision.missing_tags == _domain_tags(studio.finance, studio.profile("alice"))
    assert _rules(decision) == ["caller-role", "lineage"]


def test_lineage_contradicting_the_caller_is_a_mismatch(studio: Studio) -> None:
    # GIVEN dan (sustainability) creates a job in an experiment tagged finance
    parent = _tagged_parent(studio, "churn", **{DOMAIN_TAG: studio.finance.domain_arn})
    request = _training_job(studio, caller_role="DanRole", parents=(parent,))

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN it is flagged, not tagged, and the caller's domain is what is proposed
    assert decision.outcome is Outcome.FLAG
    assert decision.reason is FlagReason.MISMATCH
    assert decision.severity is Severity.HIGH
    assert decision.missing_tags == {}
    assert decision.proposed_domain_arn == studio.sustainability.domain_arn
    assert {"caller-role", "lineage"} <= set(_rules(decision))


def test_two_parents_in_different_domains_are_ambiguous(studio: Studio) -> None:
    # GIVEN a CI role names a finance parent and a sustainability parent
    parents = (
        _tagged_parent(studio, "a", **{DOMAIN_TAG: studio.finance.domain_arn}),
        _tagged_parent(studio, "b", **{DOMAIN_TAG: studio.sustainability.domain_arn}),
    )
    request = _training_job(studio, caller_role="CiRole", parents=parents)

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN it is ambiguous, with both parents as evidence
    assert decision.outcome is Outcome.FLAG
    assert decision.reason is FlagReason.AMBIGUOUS
    assert _rules(decision) == ["lineage", "lineage"]


def test_a_parent_contradicting_the_caller_is_a_mismatch_even_beside_an_agreeing_one(
    studio: Studio,
) -> None:
    # GIVEN dan (sustainability) names a sustainability parent and a finance parent
    parents = (
        _tagged_parent(studio, "mine", **{DOMAIN_TAG: studio.sustainability.domain_arn}),
        _tagged_parent(studio, "theirs", **{DOMAIN_TAG: studio.finance.domain_arn}),
    )
    request = _training_job(studio, caller_role="DanRole", parents=parents)

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the finance parent is contradicted just as when it is the only parent
    assert decision.reason is FlagReason.MISMATCH


def test_two_parents_of_one_domain_but_different_profiles_give_the_domain_only(
    studio: Studio,
) -> None:
    # GIVEN two finance parents owned by alice and bob
    parents = (
        _tagged_parent(
            studio,
            "a",
            **{
                DOMAIN_TAG: studio.finance.domain_arn,
                USER_PROFILE_TAG: studio.profile("alice").arn,
            },
        ),
        _tagged_parent(
            studio,
            "b",
            **{DOMAIN_TAG: studio.finance.domain_arn, USER_PROFILE_TAG: studio.profile("bob").arn},
        ),
    )

    # WHEN a CI role's child is attributed
    decision = attribute(_training_job(studio, parents=parents), studio.directory)

    # THEN finance, without picking a profile
    assert decision.missing_tags == _domain_tags(studio.finance)


def test_a_tagged_parent_resolves_an_ambiguous_role(studio: Studio) -> None:
    # GIVEN the cross-domain role creates a job inside a finance experiment
    parent = _tagged_parent(studio, "churn", **{DOMAIN_TAG: studio.finance.domain_arn})
    request = _training_job(studio, caller_role="CrossTeamRole", parents=(parent,))

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the parent decides, and the role's ambiguity stays in the evidence
    assert decision.outcome is Outcome.TAG
    assert decision.missing_tags == _domain_tags(studio.finance)
    assert _rules(decision) == ["caller-role", "lineage"]


# --- nothing at all -----------------------------------------------------------------------


def test_no_evidence_at_all_is_unattributable(studio: Studio) -> None:
    # GIVEN a CI role no domain uses, passing a role no domain uses
    request = _training_job(studio, caller_role="CiRole", resource_roles=("CiRole",))

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN it is flagged, and the evidence says what was looked at
    assert decision.outcome is Outcome.FLAG
    assert decision.reason is FlagReason.UNATTRIBUTABLE
    assert _rules(decision) == ["no-evidence"]
    assert decision.evidence[0].fields["RoleArn"] == studio.role("CiRole")
    assert decision.evidence[0].fields["principalType"] == "AssumedRole"


def test_an_unparsable_role_is_no_evidence(studio: Studio) -> None:
    # GIVEN CloudTrail hid the role, and the caller has no session
    request = AttributionInput(
        resource_type=registry.by_name("TrainingJob"),
        resource_arn=studio.arn("training-job", "x"),
        caller=CallerEvidence(session_issuer_arn="HIDDEN_DUE_TO_SECURITY_REASONS"),
        resource_role_arns=("not-an-arn",),
    )

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN nothing raises and it is unattributable
    assert decision.reason is FlagReason.UNATTRIBUTABLE


# --- existing tags ------------------------------------------------------------------------


def test_existing_correct_tags_are_compliant(studio: Studio) -> None:
    # GIVEN alice's job already carries finance and alice
    tags = _domain_tags(studio.finance, studio.profile("alice"))
    request = _training_job(studio, caller_role="AliceRole", tags=tags)

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN there is nothing to do
    assert decision.outcome is Outcome.COMPLIANT
    assert decision.missing_tags == {}
    assert decision.reason is None
    assert decision.evidence


def test_unrelated_tags_do_not_matter(studio: Studio) -> None:
    # GIVEN alice's job has correct enforced tags and cost tags of its own
    tags = {**_domain_tags(studio.finance, studio.profile("alice")), "team": "x", "aws:x": "y"}

    # WHEN it is attributed
    decision = attribute(
        _training_job(studio, caller_role="AliceRole", tags=tags), studio.directory
    )

    # THEN it is compliant
    assert decision.outcome is Outcome.COMPLIANT


def test_a_wrong_domain_tag_is_a_high_mismatch_and_is_never_overwritten(studio: Studio) -> None:
    # GIVEN alice (finance) tagged her job with sustainability's domain
    tags = {DOMAIN_TAG: studio.sustainability.domain_arn}
    request = _training_job(studio, caller_role="AliceRole", tags=tags)

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN it is a HIGH mismatch recording both values, and the key is not to be added
    assert decision.outcome is Outcome.FLAG
    assert decision.reason is FlagReason.MISMATCH
    assert decision.severity is Severity.HIGH
    assert decision.conflicting_tags == {
        DOMAIN_TAG: (studio.sustainability.domain_arn, studio.finance.domain_arn)
    }
    assert DOMAIN_TAG not in decision.missing_tags
    assert decision.missing_tags == {}
    assert decision.expected_tags[DOMAIN_TAG] == studio.finance.domain_arn
    assert _rules(decision)[-1] == "existing-tags"


def test_a_requested_domain_tag_of_another_domain_is_a_mismatch(studio: Studio) -> None:
    # GIVEN dan's unique role creates a resource requesting finance's domain tag
    tags = {DOMAIN_TAG: studio.finance.domain_arn}
    request = _training_job(studio, caller_role="DanRole", tags=tags)

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the spoof is flagged
    assert decision.reason is FlagReason.MISMATCH
    assert decision.conflicting_tags[DOMAIN_TAG][0] == studio.finance.domain_arn


def test_a_profile_tag_of_another_domains_profile_is_a_mismatch(studio: Studio) -> None:
    # GIVEN finance's shared role (domain only) and a tag naming dan of sustainability
    tags = {USER_PROFILE_TAG: studio.profile("dan").arn}
    request = _training_job(studio, caller_role="FinanceDefault", tags=tags)

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the profile tag is a conflict, and nothing is to be added
    assert decision.reason is FlagReason.MISMATCH
    assert decision.conflicting_tags == {USER_PROFILE_TAG: (studio.profile("dan").arn, "")}
    assert decision.missing_tags == {}


def test_a_profile_tag_differing_from_the_evidenced_profile_is_a_mismatch(studio: Studio) -> None:
    # GIVEN alice's unique role, but the job claims bob
    tags = {DOMAIN_TAG: studio.finance.domain_arn, USER_PROFILE_TAG: studio.profile("bob").arn}
    request = _training_job(studio, caller_role="AliceRole", tags=tags)

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the profile conflict is recorded with both values
    assert decision.conflicting_tags == {
        USER_PROFILE_TAG: (studio.profile("bob").arn, studio.profile("alice").arn)
    }


def test_a_profile_tag_of_the_same_domain_is_accepted_when_evidence_names_the_domain_only(
    studio: Studio,
) -> None:
    # GIVEN finance's shared role, and the job already names bob (a finance profile)
    tags = {USER_PROFILE_TAG: studio.profile("bob").arn}
    request = _training_job(studio, caller_role="FinanceDefault", tags=tags)

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN only the domain tag is missing; bob is kept
    assert decision.outcome is Outcome.TAG
    assert decision.missing_tags == {DOMAIN_TAG: studio.finance.domain_arn}


def test_a_space_tag_of_another_domain_is_a_mismatch(studio: Studio) -> None:
    # GIVEN alice's job claims sustainability's space
    tags = {SPACE_TAG: studio.sustainability_space.arn}
    request = _training_job(studio, caller_role="AliceRole", tags=tags)

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN it is a mismatch on the space tag
    assert decision.reason is FlagReason.MISMATCH
    assert SPACE_TAG in decision.conflicting_tags


def test_a_space_tag_of_the_same_domain_is_kept(studio: Studio) -> None:
    # GIVEN alice's job already names finance's team space
    tags = {SPACE_TAG: studio.finance_space.arn}
    request = _training_job(studio, caller_role="AliceRole", tags=tags)

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the space is kept and the domain is added; the space fills the resource's one
    # member slot, so no profile tag is added beside it (SageMaker writes one or the other)
    assert decision.outcome is Outcome.TAG
    assert decision.missing_tags == _domain_tags(studio.finance)


def test_only_missing_keys_are_proposed_never_existing_ones(studio: Studio) -> None:
    # GIVEN alice's job already has the right domain tag but no profile tag
    tags = {DOMAIN_TAG: studio.finance.domain_arn}
    request = _training_job(studio, caller_role="AliceRole", tags=tags)

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN only the profile tag is missing
    assert decision.outcome is Outcome.TAG
    assert decision.missing_tags == {USER_PROFILE_TAG: studio.profile("alice").arn}
    assert decision.expected_tags == _domain_tags(studio.finance, studio.profile("alice"))


def test_without_evidence_a_tag_naming_an_existing_domain_is_left_alone(studio: Studio) -> None:
    # GIVEN a CI-made job that someone tagged with finance
    tags = {DOMAIN_TAG: studio.finance.domain_arn}
    request = _training_job(studio, caller_role="CiRole", tags=tags)

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN nothing contradicts the tag, so it is compliant but unverified, with that as
    # evidence
    assert decision.outcome is Outcome.COMPLIANT
    assert decision.verified is False
    assert decision.expected_tags == tags
    assert _rules(decision) == ["existing-tags"]


def test_when_ambiguous_a_tag_naming_an_existing_domain_is_left_alone(studio: Studio) -> None:
    # GIVEN the cross-domain role made a job tagged with sustainability
    tags = {DOMAIN_TAG: studio.sustainability.domain_arn}
    request = _training_job(studio, caller_role="CrossTeamRole", tags=tags)

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN the tag names one of the candidates; it is accepted
    assert decision.outcome is Outcome.COMPLIANT


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:sagemaker:us-east-1:111122223333:domain/d-deleted0009",
        "finance",
        "",
    ],
    ids=["deleted-domain", "not-an-arn", "empty"],
)
def test_without_evidence_a_tag_naming_no_existing_domain_is_a_mismatch(
    studio: Studio, value: str
) -> None:
    # GIVEN a CI-made job tagged with a domain that does not exist
    request = _training_job(studio, caller_role="CiRole", tags={DOMAIN_TAG: value})

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN it is a mismatch, with nothing proposed in its place
    assert decision.outcome is Outcome.FLAG
    assert decision.reason is FlagReason.MISMATCH
    assert decision.conflicting_tags == {DOMAIN_TAG: (value, "")}
    assert decision.proposed_domain_arn is None
    assert _rules(decision)[-1] == "existing-tags"


def test_without_evidence_a_profile_tag_naming_no_profile_is_a_mismatch(studio: Studio) -> None:
    # GIVEN a CI-made job tagged with finance and a profile that does not exist
    tags = {
        DOMAIN_TAG: studio.finance.domain_arn,
        USER_PROFILE_TAG: studio.arn("user-profile", studio.finance.domain_id, "ghost"),
    }

    # WHEN it is attributed
    decision = attribute(_training_job(studio, tags=tags), studio.directory)

    # THEN only the ghost is in conflict
    assert decision.reason is FlagReason.MISMATCH
    assert set(decision.conflicting_tags) == {USER_PROFILE_TAG}


def test_without_evidence_tags_that_contradict_each_other_are_a_mismatch(studio: Studio) -> None:
    # GIVEN a CI-made job tagged with finance's domain and sustainability's dan
    tags = {DOMAIN_TAG: studio.finance.domain_arn, USER_PROFILE_TAG: studio.profile("dan").arn}

    # WHEN it is attributed
    decision = attribute(_training_job(studio, tags=tags), studio.directory)

    # THEN the profile tag contradicts the domain tag
    assert decision.reason is FlagReason.MISMATCH


def test_without_evidence_and_without_tags_nothing_is_proposed(studio: Studio) -> None:
    # GIVEN a CI-made job with a profile tag but no domain tag
    tags = {USER_PROFILE_TAG: studio.profile("alice").arn}

    # WHEN it is attributed
    decision = attribute(_training_job(studio, tags=tags), studio.directory)

    # THEN it stays unattributable; nothing is guessed
    assert decision.reason is FlagReason.UNATTRIBUTABLE
    assert decision.missing_tags == {}


def test_a_structural_resource_requesting_a_wrong_domain_tag_is_a_mismatch(studio: Studio) -> None:
    # GIVEN CreateUserProfile in finance that requests sustainability's domain tag
    arn = studio.arn("user-profile", studio.finance.domain_id, "spoof")
    request = AttributionInput(
        resource_type=registry.by_name("UserProfile"),
        resource_arn=arn,
        studio=StudioReference(domain_id=studio.finance.domain_id),
        current_tags={DOMAIN_TAG: studio.sustainability.domain_arn},
    )

    # WHEN it is attributed
    decision = attribute(request, studio.directory)

    # THEN it is flagged, not tagged
    assert decision.reason is FlagReason.MISMATCH
    assert decision.conflicting_tags[DOMAIN_TAG] == (
        studio.sustainability.domain_arn,
        studio.finance.domain_arn,
    )


# --- every decision explains itself -------------------------------------------------------


def _scenarios(studio: Studio) -> list[AttributionInput]:
    finance, sustainability = studio.finance.domain_arn, studio.sustainability.domain_arn
    return [
        _training_job(studio, caller_role="AliceRole"),
        _training_job(studio, caller_role="FinanceDefault", source_identity="bob"),
        _training_job(studio, caller_role="SustainDefault"),
        _training_job(studio, caller_role="CrossTeamRole"),
        _training_job(studio, caller_role="CiRole"),
        _training_job(studio, caller_role="CiRole", resource_roles=("DanRole",)),
        _training_job(studio, caller_role="AliceRole", resource_roles=("DanRole",)),
        _training_job(studio, caller_role="AliceRole", tags={DOMAIN_TAG: finance}),
        _training_job(studio, caller_role="AliceRole", tags={DOMAIN_TAG: sustainability}),
        _training_job(studio, caller_role="CiRole", tags={DOMAIN_TAG: finance}),
        _training_job(studio, caller_role="CiRole", tags={DOMAIN_TAG: "bogus"}),
        _training_job(
            studio, parents=(_tagged_parent(studio, "p", **{DOMAIN_TAG: sustainability}),)
        ),
        _studio_resource(
            studio,
            "App",
            studio.arn("app", "d-x", "y", "jupyterlab", "default"),
            StudioReference(domain_id="d-missing"),
        ),
    ]


def test_every_decision_carries_named_evidence(studio: Studio) -> None:
    # GIVEN one input of each kind
    for request in _scenarios(studio):
        # WHEN it is attributed
        decision = attribute(request, studio.directory)

        # THEN it carries evidence, each piece naming a known rule and a conclusion
        assert decision.evidence, request
        for evidence in decision.evidence:
            assert evidence.rule in KNOWN_RULES
            assert evidence.conclusion
            assert evidence.fields


def test_attribution_is_deterministic(studio: Studio) -> None:
    # GIVEN the same inputs twice
    # WHEN they are attributed
    # THEN the decisions are equal
    for request in _scenarios(studio):
        assert attribute(request, studio.directory) == attribute(request, studio.directory)


# --- property: never overwrite, never flag with a rewrite ---------------------------------

_ACCOUNT = "111122223333"
_ROLE_NAMES = ("R0", "R1", "R2", "R3")
_PROFILE_NAMES = ("p0", "p1", "p2")
_SPACE_NAMES = ("s0", "s1")
_DOMAIN_IDS = ("d-aaaaaaaaaaa0", "d-aaaaaaaaaaa1", "d-aaaaaaaaaaa2")


def _role(name: str) -> str:
    return f"arn:aws:iam::{_ACCOUNT}:role/{name}"


def _arn(segment: str, *parts: str) -> str:
    return sagemaker_arn("aws", "us-east-1", _ACCOUNT, segment, *parts)


_role_names = st.sampled_from(_ROLE_NAMES)


@st.composite
def _directories(draw: st.DrawFn) -> DomainDirectory:
    domain_ids = draw(st.lists(st.sampled_from(_DOMAIN_IDS), min_size=1, max_size=3, unique=True))
    domains, profiles, spaces = [], [], []
    for domain_id in domain_ids:
        default = draw(st.none() | _role_names)
        domains.append(
            DomainEntry(
                domain_id,
                _arn("domain", domain_id),
                domain_id,
                default_role=role_key(_role(default)) if default else None,
                default_space_role=role_key(_role(r))
                if (r := draw(st.none() | _role_names))
                else None,
                source_identity_is_profile_name=draw(st.booleans()),
            )
        )
        for name in draw(st.lists(st.sampled_from(_PROFILE_NAMES), max_size=3, unique=True)):
            own = draw(st.none() | _role_names) or default
            profiles.append(
                UserProfileEntry(
                    domain_id,
                    name,
                    _arn("user-profile", domain_id, name),
                    role_key(_role(own)) if own else None,
                )
            )
        for name in draw(st.lists(st.sampled_from(_SPACE_NAMES), max_size=2, unique=True)):
            spaces.append(SpaceEntry(domain_id, name, _arn("space", domain_id, name)))
    return DomainDirectory(tuple(domains), tuple(profiles), tuple(spaces))


def _tag_values() -> st.SearchStrategy[str]:
    """Values for enforced tags: real and unreal owners of every kind, and junk."""
    owners = [_arn("domain", d) for d in _DOMAIN_IDS]
    owners += [_arn("user-profile", d, p) for d in _DOMAIN_IDS for p in _PROFILE_NAMES]
    owners += [_arn("space", d, s) for d in _DOMAIN_IDS for s in _SPACE_NAMES]
    return st.sampled_from([*owners, "", "junk", _arn("domain", "d-gone")])


_enforced_tags = st.dictionaries(st.sampled_from(ENFORCED_TAG_KEYS), _tag_values(), max_size=3)


@st.composite
def _inputs(draw: st.DrawFn) -> AttributionInput:
    type_name = draw(st.sampled_from(["TrainingJob", "Endpoint", "App", "Space", "UserProfile"]))
    resource_type = registry.by_name(type_name)
    studio = None
    if resource_type.studio_scope is not None:
        studio = StudioReference(
            domain_id=draw(st.none() | st.sampled_from([*_DOMAIN_IDS, "d-unknown"])),
            user_profile_name=draw(st.none() | st.sampled_from(_PROFILE_NAMES))
            if type_name == "App"
            else None,
            space_name=draw(st.none() | st.sampled_from(_SPACE_NAMES))
            if type_name == "App"
            else None,
        )
    caller_role = draw(st.none() | _role_names)
    parents = tuple(
        ParentEvidence("Experiment", _arn("experiment", f"e{i}"), tags)
        for i, tags in enumerate(draw(st.lists(_enforced_tags, max_size=2)))
    )
    return AttributionInput(
        resource_type=resource_type,
        resource_arn=_arn(resource_type.arn_segment, "thing"),
        caller=CallerEvidence(
            session_issuer_arn=_role(caller_role) if caller_role else None,
            source_identity=draw(st.none() | st.sampled_from(_PROFILE_NAMES)),
        ),
        studio=studio,
        resource_role_arns=tuple(
            _role(r) for r in draw(st.lists(_role_names, max_size=2, unique=True))
        ),
        parents=parents,
        current_tags=draw(
            st.dictionaries(
                st.sampled_from([*ENFORCED_TAG_KEYS, "team", "aws:cloudformation:stack-name"]),
                _tag_values(),
                max_size=4,
            )
        ),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(directory=_directories(), request=_inputs())
def test_property_existing_tags_are_never_rewritten(
    directory: DomainDirectory, request: AttributionInput
) -> None:
    # GIVEN any directory and any create request
    # WHEN it is attributed
    decision = attribute(request, directory)

    # THEN no tag already present is proposed again
    assert not set(decision.missing_tags) & set(request.current_tags)
    # AND a flag never proposes a value that differs from what is there
    if decision.outcome is Outcome.FLAG:
        assert decision.reason is not None
        assert all(request.current_tags.get(k) == v for k, v in decision.missing_tags.items())
    else:
        assert decision.reason is None
    # AND what is proposed is part of what is expected, and only enforced keys
    assert set(decision.missing_tags) <= set(ENFORCED_TAG_KEYS)
    assert all(decision.expected_tags.get(k) == v for k, v in decision.missing_tags.items())
    # AND a tag decision has something to add, a compliant one has nothing
    if decision.outcome is Outcome.TAG:
        assert decision.missing_tags
    if decision.outcome is Outcome.COMPLIANT:
        assert not decision.missing_tags
    # AND every decision says why
    assert decision.evidence
    assert all(e.rule in KNOWN_RULES for e in decision.evidence)
