"""What attribution takes in and gives out: owners, evidence, the input bundle and the decision.

An owner is a domain, and optionally one user profile or one space inside it. Each
evidence source answers with the set of owners it allows (`SourceAnswer`), or stays
silent; the decision is the intersection (tag_enforcer.core.attribution). Every
decision carries the evidence it rests on, each source with its candidate set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from tag_enforcer.core.directory import Instant
from tag_enforcer.core.registry.schema import ResourceType
from tag_enforcer.core.tags import DOMAIN_TAG


class Outcome(StrEnum):
    COMPLIANT = "compliant"
    TAG = "tag"
    FLAG = "flag"
    IGNORE = "ignore"


class FlagReason(StrEnum):
    UNATTRIBUTABLE = "unattributable"
    AMBIGUOUS = "ambiguous"
    MISMATCH = "mismatch"


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


FLAG_SEVERITY: Mapping[FlagReason, Severity] = {
    FlagReason.UNATTRIBUTABLE: Severity.MEDIUM,
    FlagReason.AMBIGUOUS: Severity.MEDIUM,
    # A wrong domain tag moves cost and access to another team.
    FlagReason.MISMATCH: Severity.HIGH,
}


@dataclass(frozen=True, order=True)
class Owner:
    """A domain, and at most one profile or space of it; neither when the source names none."""

    domain_arn: str
    profile_arn: str | None = None
    space_arn: str | None = None

    @property
    def member_arn(self) -> str | None:
        return self.profile_arn or self.space_arn

    def describe(self) -> str:
        member = self.member_arn
        return f"{self.domain_arn} / {member}" if member else self.domain_arn


@dataclass(frozen=True)
class Evidence:
    """One fact a decision rests on: the source, the fields it read, what it concluded, and
    the owners it allows (empty when it names none that existed, or when it only informs)."""

    rule: str
    fields: Mapping[str, str]
    conclusion: str
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceAnswer:
    """What one evidence source says: the owners it allows, or None (it names none usable).

    `claim` marks a lineage parent: a claim by the parent's tags, which the rest of the
    evidence may exclude (then the decision is a mismatch, not ambiguity).
    """

    evidence: Evidence
    owners: frozenset[Owner] | None
    claim: bool = False
    # The resource's own ARN as its owner (a new profile is its own profile): exists by
    # definition, though the directory may not know it yet.
    own: bool = False

    @property
    def speaks(self) -> bool:
        return self.owners is not None

    @property
    def domains(self) -> frozenset[str]:
        return frozenset(o.domain_arn for o in self.owners or ())


@dataclass(frozen=True)
class CallerEvidence:
    principal_type: str | None = None
    principal_arn: str | None = None
    session_issuer_arn: str | None = None
    source_identity: str | None = None
    invoked_by: str | None = None
    user_name: str | None = None


@dataclass(frozen=True)
class ParentEvidence:
    """A lineage parent and the enforced tags it carries (empty when untagged or gone)."""

    parent_type: str
    parent_arn: str
    tags: Mapping[str, str]


@dataclass(frozen=True)
class StudioReference:
    """Domain, profile and space named by a Studio request's own fields."""

    domain_id: str | None = None
    user_profile_name: str | None = None
    space_name: str | None = None


@dataclass(frozen=True)
class CreatorRecord:
    """SageMaker's own record of who created a resource (botocore shape UserContext)."""

    source: str  # where it was read, e.g. "DescribeExperiment CreatedBy"
    domain_id: str | None = None
    user_profile_arn: str | None = None
    user_profile_name: str | None = None


@dataclass(frozen=True)
class AttributionInput:
    resource_type: ResourceType
    resource_arn: str
    caller: CallerEvidence | None = None  # None in the sweep: the creator is unknown
    studio: StudioReference | None = None
    resource_role_arns: tuple[str, ...] = ()
    parents: tuple[ParentEvidence, ...] = ()
    creators: tuple[CreatorRecord, ...] = ()
    # Every tag of the resource (request tags included); enforced ones are claims.
    current_tags: Mapping[str, str] = field(default_factory=dict)
    # When the resource was made: the event's time, or its CreationTime in the sweep;
    # only owners that existed then are candidates. None: now.
    at: Instant | None = None


@dataclass(frozen=True)
class AttributionDecision:
    outcome: Outcome
    expected_tags: Mapping[str, str] = field(default_factory=dict)
    missing_tags: Mapping[str, str] = field(default_factory=dict)
    # key -> (value found, value the evidence supports)
    conflicting_tags: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    reason: FlagReason | None = None
    evidence: tuple[Evidence, ...] = ()
    # False when no evidence source spoke and the outcome rests on the tags alone.
    verified: bool = True

    @property
    def severity(self) -> Severity:
        if self.reason is None:
            return Severity.INFO
        return FLAG_SEVERITY[self.reason]

    @property
    def proposed_domain_arn(self) -> str | None:
        return self.expected_tags.get(DOMAIN_TAG)


def evidence_to_dict(evidence: Evidence) -> dict[str, object]:
    """One piece of evidence as alerts, reports and logs show it."""
    shown: dict[str, object] = {
        "rule": evidence.rule,
        "fields": dict(evidence.fields),
        "conclusion": evidence.conclusion,
    }
    if evidence.candidates:
        shown["candidates"] = list(evidence.candidates)
    return shown
