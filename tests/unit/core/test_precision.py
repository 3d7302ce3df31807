"""The precision suite: attribution never writes a tag the evidence does not all support.

A wrong tag moves cost and access to another team, so every way the enforcer used to
write one is a row here (README, "How it decides"). The world:

  finance (source identity on), default FinanceDefault (also its default space role)
    alice   own role AliceRole
    bob     inherits FinanceDefault
    gina    own role CrossTeamRole (also hank's, in sustainability)
    ivy     own role IvyRole, created AFTER the event
    judy    own role JudyRole, deleted BEFORE the event
    kate    own role KateRole, deleted after the event; liam took KateRole over later
    space   team-space
  sustainability (no source identity), default SustainDefault
    dan     own role DanRole
    erin    inherits SustainDefault
    hank    own role CrossTeamRole
  research (source identity on), default ResearchDefault
    alice   own role ResearchAliceRole  (a second "alice": names are unique per domain)
    roy     own role SharedRole (also sustainability's default space role)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tag_enforcer.core import registry
from tag_enforcer.core.admin_rules import NO_RULES
from tag_enforcer.core.arns import role_key, sagemaker_arn
from tag_enforcer.core.attribution import attribute, decide
from tag_enforcer.core.decisions import (
    AttributionDecision,
    AttributionInput,
    CallerEvidence,
    CreatorRecord,
    FlagReason,
    Outcome,
    ParentEvidence,
    StudioReference,
)
from tag_enforcer.core.directory import DomainDirectory, DomainEntry, SpaceEntry, UserProfileEntry
from tag_enforcer.core.sources import every_answer
from tag_enforcer.core.tags import DOMAIN_TAG, SPACE_TAG, USER_PROFILE_TAG, tags_to_add

ACCOUNT = "111122223333"
REGION = "us-east-1"
EVENT_AT = 1_800_000_000.0  # the create event's time
BEFORE, AFTER = EVENT_AT - 3600, EVENT_AT + 600


def role(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def arn(segment: str, *parts: str) -> str:
    return sagemaker_arn("aws", REGION, ACCOUNT, segment, *parts)


def key(name: str) -> tuple[str, str]:
    found = role_key(role(name))
    assert found is not None
    return found


FINANCE = DomainEntry(
    "d-finance00001", arn("domain", "d-finance00001"), "finance",
    key("FinanceDefault"), key("FinanceDefault"), True, created_at=BEFORE - 86400,
)  # fmt: skip
SUSTAIN = DomainEntry(
    "d-sustain00002", arn("domain", "d-sustain00002"), "sustainability",
    key("SustainDefault"), key("SharedRole"), False, created_at=BEFORE - 86400,
)  # fmt: skip
RESEARCH = DomainEntry(
    "d-research0003", arn("domain", "d-research0003"), "research",
    key("ResearchDefault"), None, True, created_at=BEFORE - 86400,
)  # fmt: skip


def profile(
    domain: DomainEntry, name: str, role_name: str, **times: float | None
) -> UserProfileEntry:
    return UserProfileEntry(
        domain.domain_id,
        name,
        arn("user-profile", domain.domain_id, name),
        key(role_name),
        created_at=times.get("created_at", BEFORE - 3600),
        deleted_at=times.get("deleted_at"),
    )


PROFILES = {
    "alice": profile(FINANCE, "alice", "AliceRole"),
    "bob": profile(FINANCE, "bob", "FinanceDefault"),
    "gina": profile(FINANCE, "gina", "CrossTeamRole"),
    "ivy": profile(FINANCE, "ivy", "IvyRole", created_at=AFTER),
    "judy": profile(FINANCE, "judy", "JudyRole", deleted_at=BEFORE),
    "kate": profile(FINANCE, "kate", "KateRole", deleted_at=EVENT_AT + 30),
    "liam": profile(FINANCE, "liam", "KateRole", created_at=EVENT_AT + 60),
    "dan": profile(SUSTAIN, "dan", "DanRole"),
    "erin": profile(SUSTAIN, "erin", "SustainDefault"),
    "hank": profile(SUSTAIN, "hank", "CrossTeamRole"),
    "research-alice": replace(
        profile(RESEARCH, "alice", "ResearchAliceRole"),
        arn=arn("user-profile", RESEARCH.domain_id, "alice"),
    ),
    "roy": profile(RESEARCH, "roy", "SharedRole"),
}
TEAM_SPACE = SpaceEntry(
    FINANCE.domain_id, "team-space", arn("space", FINANCE.domain_id, "team-space"),
    created_at=BEFORE,
)  # fmt: skip
DIRECTORY = DomainDirectory(
    (FINANCE, SUSTAIN, RESEARCH), tuple(PROFILES.values()), (TEAM_SPACE,), loaded_at=AFTER
)


def p(name: str) -> str:
    return PROFILES[name].arn


TRAINING_JOB = registry.by_name("TrainingJob")
JOB_ARN = arn("training-job", "churn-xgb")


@dataclass(frozen=True)
class Case:
    """One way a wrong tag could be written, and what must happen instead."""

    caller_role: str | None = None
    source_identity: str | None = None
    resource_roles: tuple[str, ...] = ()
    parents: tuple[dict[str, str], ...] = ()
    creators: tuple[CreatorRecord, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)
    type_name: str = "TrainingJob"
    studio: StudioReference | None = None
    resource_arn: str = JOB_ARN

    def request(self) -> AttributionInput:
        caller = CallerEvidence(
            principal_type="AssumedRole",
            session_issuer_arn=role(self.caller_role) if self.caller_role else None,
            source_identity=self.source_identity,
        )
        return AttributionInput(
            resource_type=registry.by_name(self.type_name),
            resource_arn=self.resource_arn,
            caller=caller,
            studio=self.studio,
            resource_role_arns=tuple(role(r) for r in self.resource_roles),
            parents=tuple(
                ParentEvidence("Experiment", arn("experiment", f"parent-{i}"), tags)
                for i, tags in enumerate(self.parents)
            ),
            creators=self.creators,
            current_tags=dict(self.tags),
            at=EVENT_AT,
        )


def decision_of(case: Case) -> AttributionDecision:
    return attribute(case.request(), DIRECTORY, NO_RULES)


def finance(**member: str) -> dict[str, str]:
    return {DOMAIN_TAG: FINANCE.domain_arn, **member}


def sustain(**member: str) -> dict[str, str]:
    return {DOMAIN_TAG: SUSTAIN.domain_arn, **member}


def research() -> dict[str, str]:
    return {DOMAIN_TAG: RESEARCH.domain_arn}


# (name, case, outcome, reason, tags the evidence supports)
TABLE: list[tuple[str, Case, Outcome, FlagReason | None, dict[str, str]]] = [
    # --- default-role inheritance ---------------------------------------------------
    (
        "a domain default role names the domain, not the profile that inherits it",
        Case(caller_role="FinanceDefault"),
        Outcome.TAG, None, finance(),
    ),
    (
        "a default role names no profile even when only one profile inherits it",
        Case(caller_role="SustainDefault"),
        Outcome.TAG, None, sustain(),
    ),
    (
        "a profile's own role, used nowhere else, names the profile",
        Case(caller_role="AliceRole"),
        Outcome.TAG, None, finance(**{USER_PROFILE_TAG: p("alice")}),
    ),
    # --- shared spaces --------------------------------------------------------------
    (
        "a shared-space job runs as the default space role: the domain, no profile",
        Case(caller_role="FinanceDefault", resource_roles=("FinanceDefault",)),
        Outcome.TAG, None, finance(),
    ),
    (
        "in a shared space the source identity names the person who made it",
        Case(caller_role="FinanceDefault", source_identity="alice"),
        Outcome.TAG, None, finance(**{USER_PROFILE_TAG: p("alice")}),
    ),
    (
        "a default space role of one domain and a profile's role of another name both",
        Case(caller_role="SharedRole"),
        Outcome.FLAG, FlagReason.AMBIGUOUS, {},
    ),
    # --- source identity against the role -------------------------------------------
    (
        "a source identity that contradicts the session's role is a flag, not its profile",
        Case(caller_role="SustainDefault", source_identity="alice"),
        Outcome.FLAG, FlagReason.AMBIGUOUS, {},
    ),
    (
        "a source identity set on a CI role no profile can act as is a flag",
        Case(caller_role="CiRole", source_identity="bob"),
        Outcome.FLAG, FlagReason.AMBIGUOUS, {},
    ),
    (
        "a name two domains share is settled by the role its profile can act as",
        Case(caller_role="ResearchAliceRole", source_identity="alice"),
        Outcome.TAG, None, {DOMAIN_TAG: RESEARCH.domain_arn, USER_PROFILE_TAG: p("research-alice")},
    ),
    (
        "a source identity in a domain that does not set it says nothing",
        Case(caller_role="DanRole", source_identity="erin"),
        Outcome.TAG, None, sustain(**{USER_PROFILE_TAG: p("dan")}),
    ),
    # --- lineage against an ambiguous caller ----------------------------------------
    (
        "a role of two domains and a parent of one of them: that one",
        Case(caller_role="CrossTeamRole", parents=(finance(),)),
        Outcome.TAG, None, finance(),
    ),
    (
        "a parent never wins over a caller whose role is shared by two other domains",
        Case(caller_role="SharedRole", parents=(finance(),)),
        Outcome.FLAG, FlagReason.MISMATCH, {},
    ),
    (
        "a parent in another domain than the caller's is a mismatch",
        Case(caller_role="AliceRole", parents=(sustain(),)),
        Outcome.FLAG, FlagReason.MISMATCH, finance(),
    ),
    (
        "two parents in two domains, nothing else: ambiguous",
        Case(parents=(finance(), sustain())),
        Outcome.FLAG, FlagReason.AMBIGUOUS, {},
    ),
    (
        "a parent of another profile of the caller's domain: the domain, no profile",
        Case(caller_role="AliceRole", parents=(finance(**{USER_PROFILE_TAG: p("bob")}),)),
        Outcome.TAG, None, finance(),
    ),
    (
        "a caller's own role and a job role of another domain: ambiguous",
        Case(caller_role="AliceRole", resource_roles=("SustainDefault",)),
        Outcome.FLAG, FlagReason.AMBIGUOUS, {},
    ),
    # --- time: profiles created after, or deleted before, the event ------------------
    (
        "a profile created after the event is never its owner",
        Case(caller_role="IvyRole"),
        Outcome.FLAG, FlagReason.UNATTRIBUTABLE, {},
    ),
    (
        "a profile deleted before the event is never its owner",
        Case(caller_role="JudyRole"),
        Outcome.FLAG, FlagReason.UNATTRIBUTABLE, {},
    ),
    (
        "a deleted profile is never replaced by the profile holding its role now",
        Case(caller_role="KateRole"),
        Outcome.TAG, None, finance(),
    ),
    # --- SageMaker's creator record ---------------------------------------------------
    (
        "the creator record names the Studio user when the caller is a CI role",
        Case(
            type_name="Experiment",
            resource_arn=arn("experiment", "churn"),
            caller_role="CiRole",
            creators=(CreatorRecord("DescribeExperiment CreatedBy", FINANCE.domain_id, p("bob")),),
        ),
        Outcome.TAG, None, finance(**{USER_PROFILE_TAG: p("bob")}),
    ),
    (
        "a creator record that contradicts the caller's role is a flag",
        Case(
            type_name="Experiment",
            resource_arn=arn("experiment", "churn"),
            caller_role="DanRole",
            creators=(CreatorRecord("DescribeExperiment CreatedBy", FINANCE.domain_id, p("bob")),),
        ),
        Outcome.FLAG, FlagReason.AMBIGUOUS, {},
    ),
    (
        "a creator record naming a domain nobody knows (moto's fake one) decides nothing",
        Case(
            type_name="Pipeline",
            resource_arn=arn("pipeline", "churn"),
            caller_role="AliceRole",
            creators=(
                CreatorRecord(
                    "DescribePipeline CreatedBy", "fake-domain-id", None, "fake-user-profile-name"
                ),
            ),
        ),
        Outcome.TAG, None, finance(**{USER_PROFILE_TAG: p("alice")}),
    ),
    # --- tags are claims ------------------------------------------------------------
    (
        "a spoofed domain tag is a mismatch and stays as it is",
        Case(caller_role="AliceRole", tags=sustain()),
        Outcome.FLAG, FlagReason.MISMATCH, finance(**{USER_PROFILE_TAG: p("alice")}),
    ),
    (
        "a tag in another case naming another domain is a mismatch",
        Case(caller_role="AliceRole", tags={"SageMaker:Domain-Arn": SUSTAIN.domain_arn}),
        Outcome.FLAG, FlagReason.MISMATCH, finance(**{USER_PROFILE_TAG: p("alice")}),
    ),
    (
        "two case variants with two values are a mismatch whatever the evidence",
        Case(
            caller_role="AliceRole",
            tags={DOMAIN_TAG: FINANCE.domain_arn, "SAGEMAKER:DOMAIN-ARN": SUSTAIN.domain_arn},
        ),
        Outcome.FLAG, FlagReason.MISMATCH, {},
    ),
    (
        "a request tag that the evidence allows but cannot settle is left alone, unverified",
        Case(caller_role="CrossTeamRole", tags=finance()),
        Outcome.COMPLIANT, None, finance(),
    ),
    (
        "a profile tag of another domain beside the right domain tag is a mismatch",
        Case(caller_role="FinanceDefault", tags=finance(**{USER_PROFILE_TAG: p("dan")})),
        Outcome.FLAG, FlagReason.MISMATCH, finance(),
    ),
    # --- Studio resources are placed by their own fields -----------------------------
    (
        "a profile belongs to the domain it is created in, whoever creates it",
        Case(
            type_name="UserProfile",
            resource_arn=arn("user-profile", FINANCE.domain_id, "nora"),
            caller_role="SustainDefault",
            studio=StudioReference(domain_id=FINANCE.domain_id),
        ),
        Outcome.TAG, None,
        finance(**{USER_PROFILE_TAG: arn("user-profile", FINANCE.domain_id, "nora")}),
    ),
    (
        "an app in a space belongs to the space",
        Case(
            type_name="App",
            resource_arn=arn("app", FINANCE.domain_id, "team-space", "jupyterlab", "default"),
            studio=StudioReference(domain_id=FINANCE.domain_id, space_name="team-space"),
        ),
        Outcome.TAG, None, finance(**{SPACE_TAG: TEAM_SPACE.arn}),
    ),
    # --- nothing speaks ---------------------------------------------------------------
    (
        "a caller no domain knows, and nothing else: unattributable",
        Case(caller_role="CiRole"),
        Outcome.FLAG, FlagReason.UNATTRIBUTABLE, {},
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "outcome", "reason", "expected"),
    [pytest.param(c, o, r, e, id=name) for name, c, o, r, e in TABLE],
)
def test_precision(
    case: Case, outcome: Outcome, reason: FlagReason | None, expected: dict[str, str]
) -> None:
    # WHEN the resource is attributed
    decision = decision_of(case)

    # THEN the outcome and the tags the evidence supports are exactly these
    assert (decision.outcome, decision.reason) == (outcome, reason), decision.evidence
    if outcome is not Outcome.FLAG or reason is FlagReason.MISMATCH:
        assert dict(decision.expected_tags) == expected
    # AND a flag never proposes a tag to write
    if outcome is Outcome.FLAG:
        assert not decision.missing_tags
    # AND only keys the resource lacks, in any case, are ever proposed
    assert not set(decision.missing_tags) & {k.lower() for k in case.tags} - set()
    assert tags_to_add(decision.missing_tags, case.tags) == dict(decision.missing_tags)


def test_a_case_variant_that_agrees_is_never_written_again() -> None:
    # GIVEN a resource tagged with its right domain under another case of the key
    case = Case(caller_role="FinanceDefault", tags={"SageMaker:Domain-Arn": FINANCE.domain_arn})

    # WHEN it is attributed
    decision = decision_of(case)

    # THEN it is compliant and no second variant is proposed
    assert decision.outcome is Outcome.COMPLIANT
    assert decision.missing_tags == {}


def test_every_source_that_spoke_is_in_the_evidence_with_its_candidates() -> None:
    # GIVEN a job whose caller role names two domains and whose parent names one
    decision = decision_of(Case(caller_role="CrossTeamRole", parents=(finance(),)))

    # THEN both answers are in the evidence, each with the owners it allows
    by_rule = {e.rule: e for e in decision.evidence}
    assert set(by_rule["caller-role"].candidates) == {FINANCE.domain_arn, SUSTAIN.domain_arn}
    assert by_rule["lineage"].candidates == (FINANCE.domain_arn,)
    assert all("0 profiles" not in e.conclusion for e in decision.evidence)


def test_unified_studio_tags_are_evidence_and_never_proposed() -> None:
    tags = {"AmazonDataZoneProject": "prj-123", "AmazonDataZoneDomain": "dzd-456"}
    decision = decision_of(Case(caller_role="AliceRole", tags=tags))

    assert any(e.rule == "datazone-tags" and e.fields == tags for e in decision.evidence)
    assert not set(decision.missing_tags) & set(tags)
    assert not set(decision.expected_tags) & set(tags)


# --- the order of sources cannot matter --------------------------------------------------

ORDER_CASES = [c for _, c, _, _, _ in TABLE]


def _fingerprint(decision: AttributionDecision) -> tuple[Any, ...]:
    return (
        decision.outcome,
        decision.reason,
        tuple(sorted(decision.expected_tags.items())),
        tuple(sorted(decision.missing_tags.items())),
        tuple(sorted(decision.conflicting_tags.items())),
    )


@pytest.mark.parametrize("case", ORDER_CASES, ids=[name for name, *_ in TABLE])
def test_every_order_of_the_sources_gives_the_same_decision(case: Case) -> None:
    # GIVEN every source's answer for the case
    request = case.request()
    answers = every_answer(request, DIRECTORY, NO_RULES)

    # WHEN they are intersected in every order
    results = {
        _fingerprint(decide(request, list(order), DIRECTORY))
        for order in itertools.islice(itertools.permutations(answers), 120)
    }

    # THEN there is one result
    assert len(results) == 1


ROLE_NAMES = [
    "FinanceDefault", "SustainDefault", "AliceRole", "CrossTeamRole", "SharedRole",
    "DanRole", "KateRole", "IvyRole", "CiRole", "ResearchAliceRole",
]  # fmt: skip
TAG_SETS = [{}, finance(), sustain(), research(), finance(**{USER_PROFILE_TAG: p("bob")})]


@settings(max_examples=300, deadline=None)
@given(
    caller=st.sampled_from([None, *ROLE_NAMES]),
    identity=st.sampled_from([None, "alice", "bob", "erin"]),
    roles=st.lists(st.sampled_from(ROLE_NAMES), max_size=2),
    parents=st.lists(st.sampled_from(TAG_SETS[1:]), max_size=2),
    tags=st.sampled_from(TAG_SETS),
)
def test_property_a_tag_is_proposed_only_when_every_speaking_source_allows_it(
    caller: str | None,
    identity: str | None,
    roles: list[str],
    parents: list[dict[str, str]],
    tags: dict[str, str],
) -> None:
    # GIVEN any mix of evidence
    case = Case(
        caller_role=caller,
        source_identity=identity,
        resource_roles=tuple(roles),
        parents=tuple(parents),
        tags=tags,
    )
    request = case.request()
    answers = [a for a in every_answer(request, DIRECTORY, NO_RULES) if a.speaks]

    # WHEN it is attributed
    decision = decide(request, answers, DIRECTORY)

    # THEN any domain it would write is allowed by every source that spoke
    domain = decision.missing_tags.get(DOMAIN_TAG)
    if domain is not None:
        assert all(domain in a.domains for a in answers)
    # AND any profile it would write is named by every source that names one in that domain
    member = decision.missing_tags.get(USER_PROFILE_TAG)
    if member is not None:
        naming = [
            {o.profile_arn for o in a.owners or () if o.profile_arn}
            for a in answers
            if any(o.profile_arn for o in a.owners or ())
        ]
        assert naming
        assert all(n == {member} for n in naming)
    # AND a tag already there is never proposed again
    assert not {k.lower() for k in decision.missing_tags} & {k.lower() for k in tags}
    # AND it never proposes a profile that did not exist at the event's time
    if member is not None:
        entry = DIRECTORY.user_profile_by_arn(member)
        assert entry is not None
        assert entry.existed_at(EVENT_AT)
        assert entry.deleted_at is None
