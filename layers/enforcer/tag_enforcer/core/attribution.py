"""Attribution: which domain, user profile or space a resource belongs to. Pure code, no I/O.

Rules, strongest first (see DESIGN.md, "Attribution"):
  1. structural  - the request names its domain (CreateUserProfile, CreateSpace, CreateApp...)
  2. lineage     - a tagged parent named in the request (experiment -> trial, ...)
  3. source identity + session issuer role name exactly one profile
  4. execution role - the caller's role, else the resource's own role, names one
                      profile or one domain
  5. admin rules - a validated role-pattern or name-prefix rule names one domain
  6. otherwise   - flag(unattributable)
Tags already present are compared with the result: a contradiction is flag(mismatch)
and nothing is overwritten. Every decision carries the evidence it used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from tag_enforcer.core.admin_rules import NO_RULES, AdminRules
from tag_enforcer.core.arns import Arn, InvalidArnError, role_key
from tag_enforcer.core.directory import DomainDirectory, DomainEntry, UserProfileEntry
from tag_enforcer.core.registry.schema import ResourceType
from tag_enforcer.core.tags import DOMAIN_TAG, ENFORCED_TAG_KEYS, SPACE_TAG, USER_PROFILE_TAG


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


@dataclass(frozen=True)
class Evidence:
    """One fact a decision rests on: the rule, the fields it read, and what it concluded."""

    rule: str
    fields: Mapping[str, str]
    conclusion: str


@dataclass(frozen=True)
class CallerEvidence:
    principal_type: str | None = None
    principal_arn: str | None = None
    session_issuer_arn: str | None = None
    source_identity: str | None = None
    invoked_by: str | None = None


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
class AttributionInput:
    resource_type: ResourceType
    resource_arn: str
    caller: CallerEvidence = field(default_factory=CallerEvidence)
    studio: StudioReference | None = None
    resource_role_arns: tuple[str, ...] = ()
    parents: tuple[ParentEvidence, ...] = ()
    current_tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AttributionDecision:
    outcome: Outcome
    expected_tags: Mapping[str, str] = field(default_factory=dict)
    missing_tags: Mapping[str, str] = field(default_factory=dict)
    # key -> (value found, value the evidence supports)
    conflicting_tags: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    reason: FlagReason | None = None
    evidence: tuple[Evidence, ...] = ()

    @property
    def severity(self) -> Severity:
        if self.reason is None:
            return Severity.INFO
        return FLAG_SEVERITY[self.reason]

    @property
    def proposed_domain_arn(self) -> str | None:
        return self.expected_tags.get(DOMAIN_TAG)


@dataclass(frozen=True)
class _Attribution:
    """What the rules concluded before looking at existing tags."""

    tags: dict[str, str]
    evidence: list[Evidence]
    reason: FlagReason | None = None  # set when no unique owner was found


def _profile_tags(domain: DomainEntry, profile: UserProfileEntry | None) -> dict[str, str]:
    tags = {DOMAIN_TAG: domain.domain_arn}
    if profile is not None:
        tags[USER_PROFILE_TAG] = profile.arn
    return tags


def _structural(request: AttributionInput, directory: DomainDirectory) -> _Attribution | None:
    scope = request.resource_type.studio_scope
    if scope is None:
        return None
    evidence: list[Evidence] = []
    tags: dict[str, str] = {}
    studio = request.studio or StudioReference()
    if scope.own_arn_tag is not None:
        tags[scope.own_arn_tag] = request.resource_arn
    if scope.own_arn_tag == DOMAIN_TAG:
        evidence.append(
            Evidence(
                "structural", {"resourceArn": request.resource_arn}, "a domain belongs to itself"
            )
        )
        return _Attribution(tags, evidence)
    domain = directory.domain(studio.domain_id) if studio.domain_id else None
    if domain is None:
        evidence.append(
            Evidence(
                "structural",
                {"DomainId": studio.domain_id or "(absent)"},
                "the request names no domain the directory knows",
            )
        )
        return _Attribution({}, evidence, FlagReason.UNATTRIBUTABLE)
    tags[DOMAIN_TAG] = domain.domain_arn
    fields = {"DomainId": domain.domain_id}
    if studio.user_profile_name:
        profile = directory.user_profile(domain.domain_id, studio.user_profile_name)
        fields["UserProfileName"] = studio.user_profile_name
        if profile is None:
            evidence.append(
                Evidence(
                    "structural",
                    fields,
                    "the request names a user profile the directory does not know",
                )
            )
            return _Attribution({}, evidence, FlagReason.UNATTRIBUTABLE)
        tags[USER_PROFILE_TAG] = profile.arn
    if studio.space_name:
        space = directory.space(domain.domain_id, studio.space_name)
        fields["SpaceName"] = studio.space_name
        if space is None:
            evidence.append(
                Evidence(
                    "structural", fields, "the request names a space the directory does not know"
                )
            )
            return _Attribution({}, evidence, FlagReason.UNATTRIBUTABLE)
        tags[SPACE_TAG] = space.arn
    evidence.append(Evidence("structural", fields, f"the request names domain {domain.domain_id}"))
    return _Attribution(tags, evidence)


def _parent_tags_hold(parent: ParentEvidence, directory: DomainDirectory) -> bool:
    """A parent's tags are evidence only if they name an existing domain and its own owners."""
    domain_arn = parent.tags[DOMAIN_TAG]
    return directory.domain_by_arn(domain_arn) is not None and not _owner_tags_outside(
        domain_arn, parent.tags, directory
    )


def _lineage(request: AttributionInput, directory: DomainDirectory) -> _Attribution | None:
    """Tags of the tagged parents; None when no parent carries a domain tag."""
    tagged = [p for p in request.parents if p.tags.get(DOMAIN_TAG)]
    if not tagged:
        return None
    broken = [p for p in tagged if not _parent_tags_hold(p, directory)]
    if broken:
        # A hand-set tag naming a deleted domain, or another domain's profile, is not
        # something to copy: the child would inherit the error.
        return _Attribution(
            {},
            [
                Evidence(
                    "lineage",
                    {"parentType": p.parent_type, "parentArn": p.parent_arn, **p.tags},
                    f"parent {p.parent_type}'s tags name no owner in their domain",
                )
                for p in broken
            ],
            FlagReason.UNATTRIBUTABLE,
        )
    evidence = [
        Evidence(
            "lineage",
            {
                "parentType": p.parent_type,
                "parentArn": p.parent_arn,
                DOMAIN_TAG: p.tags[DOMAIN_TAG],
            },
            f"parent {p.parent_type} is tagged with its domain",
        )
        for p in tagged
    ]
    domains = {p.tags[DOMAIN_TAG] for p in tagged}
    if len(domains) > 1:
        return _Attribution({}, evidence, FlagReason.AMBIGUOUS)
    tags = {DOMAIN_TAG: domains.pop()}
    for key in (USER_PROFILE_TAG, SPACE_TAG):
        values = {p.tags[key] for p in tagged if p.tags.get(key)}
        if len(values) == 1:
            tags[key] = values.pop()
    return _Attribution(tags, evidence)


def _source_identity(request: AttributionInput, directory: DomainDirectory) -> _Attribution | None:
    caller = request.caller
    if not caller.source_identity or not caller.session_issuer_arn:
        return None
    issuer = role_key(caller.session_issuer_arn)
    if issuer is None:
        return None
    matches = [
        (domain, profile)
        for domain in directory.domains
        if domain.source_identity_is_profile_name
        and (profile := directory.user_profile(domain.domain_id, caller.source_identity))
        is not None
        and profile.execution_role == issuer
    ]
    if len(matches) != 1:
        return None  # the weaker role rule still gets its say
    domain, profile = matches[0]
    fields = {"sourceIdentity": caller.source_identity, "sessionIssuer": caller.session_issuer_arn}
    return _Attribution(
        _profile_tags(domain, profile),
        [
            Evidence(
                "source-identity",
                fields,
                f"source identity is profile {profile.name} of domain {domain.domain_id}",
            )
        ],
    )


def _execution_role(
    rule: str, field_name: str, role_arn: str, directory: DomainDirectory
) -> _Attribution | None:
    key = role_key(role_arn)
    if key is None:
        return None
    fields = {field_name: role_arn}
    domains = directory.domains_using_role(key)
    if not domains:
        return None
    if len(domains) > 1:
        names = ", ".join(sorted(d.domain_id for d in domains))
        return _Attribution(
            {}, [Evidence(rule, fields, f"role is used by domains {names}")], FlagReason.AMBIGUOUS
        )
    domain = domains[0]
    profiles = [
        p for p in directory.user_profiles_acting_as(key) if p.domain_id == domain.domain_id
    ]
    profile = profiles[0] if len(profiles) == 1 else None
    if profile is not None:
        conclusion = f"role belongs to profile {profile.name} of domain {domain.domain_id} only"
    else:
        conclusion = (
            f"role belongs to domain {domain.domain_id} only ({len(profiles)} profiles use it)"
        )
    return _Attribution(_profile_tags(domain, profile), [Evidence(rule, fields, conclusion)])


def _caller_and_resource_roles(
    request: AttributionInput, directory: DomainDirectory
) -> _Attribution | None:
    by_caller = (
        _execution_role(
            "caller-role", "sessionIssuer", request.caller.session_issuer_arn, directory
        )
        if request.caller.session_issuer_arn
        else None
    )
    by_resource = [
        found
        for role_arn in request.resource_role_arns
        if (found := _execution_role("resource-role", "RoleArn", role_arn, directory)) is not None
    ]
    candidates = [c for c in (by_caller, *by_resource) if c is not None]
    if not candidates:
        return None
    evidence = [e for c in candidates for e in c.evidence]
    if any(c.reason is not None for c in candidates):
        return _Attribution({}, evidence, FlagReason.AMBIGUOUS)
    domains = {c.tags[DOMAIN_TAG] for c in candidates}
    if len(domains) > 1:
        # The caller acts for one domain and passes another domain's role: not ours to pick.
        return _Attribution({}, evidence, FlagReason.AMBIGUOUS)
    strongest = candidates[0]
    return _Attribution(strongest.tags, evidence)


def _admin_rules(
    request: AttributionInput, directory: DomainDirectory, rules: AdminRules
) -> _Attribution | None:
    roles = [r for r in (request.caller.session_issuer_arn, *request.resource_role_arns) if r]
    resource_name = request.resource_arn.rsplit("/", 1)[-1]
    matches = rules.matches(roles, resource_name)
    if not matches:
        return None
    evidence = [
        Evidence(
            "admin-rule",
            {"rule": m.rule.name, "matched": m.matched, "domainId": m.rule.domain_id},
            f"admin rule {m.rule.name} maps it to domain {m.rule.domain_id}",
        )
        for m in matches
    ]
    domain_ids = {m.rule.domain_id for m in matches}
    if len(domain_ids) > 1:
        return _Attribution({}, evidence, FlagReason.AMBIGUOUS)
    domain = directory.domain(domain_ids.pop())
    if domain is None:
        evidence.append(
            Evidence(
                "admin-rule",
                {"domainId": matches[0].rule.domain_id},
                "the rule names a domain that does not exist",
            )
        )
        return _Attribution({}, evidence, FlagReason.UNATTRIBUTABLE)
    return _Attribution({DOMAIN_TAG: domain.domain_arn}, evidence)


def _attribute_owner(
    request: AttributionInput, directory: DomainDirectory, rules: AdminRules
) -> _Attribution:
    structural = _structural(request, directory)
    if structural is not None:
        return structural
    by_identity = _source_identity(request, directory)
    by_role = by_identity or _caller_and_resource_roles(request, directory)
    by_lineage = _lineage(request, directory)
    if by_role is not None and by_role.reason is None and by_lineage is not None:
        parent_domains = {p.tags[DOMAIN_TAG] for p in request.parents if p.tags.get(DOMAIN_TAG)}
        if parent_domains - {by_role.tags[DOMAIN_TAG]}:
            # A parent in one domain, a caller in another: the parent's tag is contradicted,
            # even when another parent agrees with the caller.
            return _Attribution(
                by_role.tags, by_role.evidence + by_lineage.evidence, FlagReason.MISMATCH
            )
        return _Attribution(by_role.tags, by_role.evidence + by_lineage.evidence)
    if by_role is not None and by_role.reason is None:
        return by_role
    if by_lineage is not None:
        return _Attribution(
            by_lineage.tags,
            (by_role.evidence if by_role else []) + by_lineage.evidence,
            by_lineage.reason,
        )
    if by_role is not None:
        return by_role
    by_rule = _admin_rules(request, directory, rules)
    if by_rule is not None:
        return by_rule
    fields = {
        "principalType": request.caller.principal_type or "(absent)",
        "principal": request.caller.principal_arn or "(absent)",
    }
    if request.resource_role_arns:
        fields["RoleArn"] = ", ".join(request.resource_role_arns)
    return _Attribution(
        {},
        [
            Evidence(
                "no-evidence",
                fields,
                "neither the caller, the resource's role nor a parent names a domain",
            )
        ],
        FlagReason.UNATTRIBUTABLE,
    )


def _existing_tag_refers_to_known_owner(key: str, value: str, directory: DomainDirectory) -> bool:
    if key == DOMAIN_TAG:
        return directory.domain_by_arn(value) is not None
    if key == USER_PROFILE_TAG:
        return directory.user_profile_by_arn(value) is not None
    return directory.space_by_arn(value) is not None


def _owner_tags_outside(
    domain_arn: str | None, tags: Mapping[str, str], directory: DomainDirectory
) -> dict[str, str]:
    """Profile and space tags whose profile or space is not in `domain_arn`."""
    outside = {}
    for key in (USER_PROFILE_TAG, SPACE_TAG):
        if key not in tags:
            continue
        entry = (
            directory.user_profile_by_arn(tags[key])
            if key == USER_PROFILE_TAG
            else directory.space_by_arn(tags[key])
        )
        domain = directory.domain(entry.domain_id) if entry else None
        if domain is None or domain.domain_arn != domain_arn:
            outside[key] = tags[key]
    return outside


def _is_arn(text: str) -> bool:
    try:
        Arn.parse(text)
    except InvalidArnError:
        return False
    return True


def _mismatch(
    evidence: tuple[Evidence, ...],
    conflicting: Mapping[str, tuple[str, str]],
    finding: Evidence,
    expected: Mapping[str, str] | None = None,
) -> AttributionDecision:
    """flag(mismatch): existing tags are wrong; they are reported, never overwritten."""
    return AttributionDecision(
        Outcome.FLAG,
        expected_tags=dict(expected or {}),
        conflicting_tags=conflicting,
        reason=FlagReason.MISMATCH,
        evidence=(*evidence, finding),
    )


def attribute(
    request: AttributionInput, directory: DomainDirectory, rules: AdminRules = NO_RULES
) -> AttributionDecision:
    """Decide what a resource's enforced tags should be, and whether they already are."""
    owner = _attribute_owner(request, directory, rules)
    present = {k: v for k, v in request.current_tags.items() if k in ENFORCED_TAG_KEYS}
    evidence = tuple(owner.evidence)

    if owner.reason is not None and owner.reason is not FlagReason.MISMATCH:
        # No unique owner. Tags that name a real owner are left alone; tags naming
        # nothing that exists are as wrong as a contradicting one.
        unknown = {
            k: v
            for k, v in present.items()
            if not (_is_arn(v) and _existing_tag_refers_to_known_owner(k, v, directory))
        }
        if unknown:
            return _mismatch(
                evidence,
                {k: (v, "") for k, v in unknown.items()},
                Evidence(
                    "existing-tags",
                    unknown,
                    "the tag names no domain, profile or space that exists",
                ),
            )
        strays = _owner_tags_outside(present.get(DOMAIN_TAG), present, directory)
        if present.get(DOMAIN_TAG) and strays:
            return _mismatch(
                evidence,
                {k: (v, "") for k, v in strays.items()},
                Evidence(
                    "existing-tags",
                    present,
                    "the profile or space tag belongs to another domain than the domain tag",
                ),
            )
        if present.get(DOMAIN_TAG):
            return AttributionDecision(
                Outcome.COMPLIANT,
                expected_tags=present,
                evidence=(
                    *evidence,
                    Evidence(
                        "existing-tags",
                        present,
                        "tagged with an existing domain; no evidence contradicts it",
                    ),
                ),
            )
        return AttributionDecision(Outcome.FLAG, reason=owner.reason, evidence=evidence)

    expected = owner.tags
    conflicting = {
        k: (present[k], v) for k, v in expected.items() if k in present and present[k] != v
    }
    # A profile or space tag the evidence did not produce must still sit in the expected domain.
    unproduced = {k: v for k, v in present.items() if k not in expected}
    for key, owner_arn in _owner_tags_outside(
        expected.get(DOMAIN_TAG), unproduced, directory
    ).items():
        conflicting[key] = (owner_arn, "")
    if conflicting or owner.reason is FlagReason.MISMATCH:
        found = {k: found for k, (found, _) in conflicting.items()}
        return _mismatch(
            evidence,
            conflicting,
            Evidence("existing-tags", found or dict(present), "tags contradict the evidence"),
            expected,
        )
    missing = {k: v for k, v in expected.items() if k not in present}
    if missing:
        return AttributionDecision(Outcome.TAG, expected, missing, evidence=evidence)
    return AttributionDecision(Outcome.COMPLIANT, expected, evidence=evidence)
