"""Attribution by consensus: which domain, profile or space a resource belongs to. Pure code.

Every evidence source (tag_enforcer.core.sources) answers with the owners it allows,
or stays silent. The decision is the intersection of the answers that speak:

- exactly one domain left: that domain;
- a profile or space only when every source that names one names the same one;
- nothing left: `flag(mismatch)` when a lineage parent claims an owner the other
  evidence excludes, else `flag(ambiguous)`;
- nothing speaks: `flag(unattributable)`.

Tags on the request or the resource are claims: they are compared with the result,
never counted as evidence. A claim the evidence excludes is a mismatch and is left as
it is; only missing keys are proposed. The result does not depend on the order of the
sources, and every decision carries every source's answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import reduce

from tag_enforcer.core.admin_rules import NO_RULES, AdminRules
from tag_enforcer.core.arns import Arn, InvalidArnError
from tag_enforcer.core.decisions import (
    AttributionDecision,
    AttributionInput,
    Evidence,
    FlagReason,
    Outcome,
    Owner,
    SourceAnswer,
)
from tag_enforcer.core.directory import DomainDirectory
from tag_enforcer.core.sources import every_answer
from tag_enforcer.core.tags import (
    DOMAIN_TAG,
    SPACE_TAG,
    USER_PROFILE_TAG,
    conflicting_variants,
    datazone_tags,
    enforced_tags,
)

MEMBER_TAGS = (USER_PROFILE_TAG, SPACE_TAG)


def _is_arn(text: str) -> bool:
    try:
        Arn.parse(text)
    except InvalidArnError:
        return False
    return True


def _same(a: str, b: str) -> bool:
    """ARNs compare without case: SageMaker lower-cases names in them, tags may not."""
    return a.lower() == b.lower()


def _member_domain(key: str, value: str, directory: DomainDirectory) -> str | None:
    """The domain ARN of the profile or space a tag names, if the directory knows it."""
    entry = (
        directory.user_profile_by_arn(value)
        if key == USER_PROFILE_TAG
        else directory.space_by_arn(value)
    )
    domain = directory.domain(entry.domain_id) if entry is not None else None
    return domain.domain_arn if domain is not None else None


def _flag(
    reason: FlagReason,
    evidence: Sequence[Evidence],
    *,
    conflicting: Mapping[str, tuple[str, str]] | None = None,
    expected: Mapping[str, str] | None = None,
) -> AttributionDecision:
    return AttributionDecision(
        Outcome.FLAG,
        expected_tags=dict(expected or {}),
        conflicting_tags=dict(conflicting or {}),
        reason=reason,
        evidence=tuple(evidence),
    )


def _claims_alone(
    present: Mapping[str, str], directory: DomainDirectory, evidence: list[Evidence]
) -> AttributionDecision:
    """No evidence speaks: tags that name an owner that exists are left alone, unverified."""
    unknown = {
        k: v
        for k, v in present.items()
        if not _is_arn(v)
        or (
            directory.domain_by_arn(v) is None
            if k == DOMAIN_TAG
            else _member_domain(k, v, directory) is None
        )
    }
    if unknown:
        return _flag(
            FlagReason.MISMATCH,
            [
                *evidence,
                Evidence(
                    "existing-tags",
                    unknown,
                    "the tag names no domain, profile or space that exists",
                ),
            ],
            conflicting={k: (v, "") for k, v in unknown.items()},
        )
    domain_arn = present.get(DOMAIN_TAG)
    if domain_arn is None:
        return AttributionDecision(
            Outcome.FLAG, reason=FlagReason.UNATTRIBUTABLE, evidence=tuple(evidence)
        )
    strays = {
        k: v
        for k, v in present.items()
        if k in MEMBER_TAGS and not _same(_member_domain(k, v, directory) or "", domain_arn)
    }
    if strays:
        return _flag(
            FlagReason.MISMATCH,
            [
                *evidence,
                Evidence(
                    "existing-tags",
                    dict(present),
                    "the profile or space tag belongs to another domain than the domain tag",
                ),
            ],
            conflicting={k: (v, "") for k, v in strays.items()},
        )
    return AttributionDecision(
        Outcome.COMPLIANT,
        expected_tags=dict(present),
        evidence=(
            *evidence,
            Evidence(
                "existing-tags",
                dict(present),
                "tagged with an existing owner; no evidence could verify or contradict it",
            ),
        ),
        verified=False,
    )


def _common_domains(answers: Sequence[SourceAnswer]) -> frozenset[str]:
    return reduce(lambda acc, a: acc & a.domains, answers[1:], answers[0].domains)


def _empty_reason(answers: Sequence[SourceAnswer]) -> FlagReason:
    """Mismatch when a parent's claim is excluded by the rest of the evidence, else ambiguous."""
    evidence_only = [a for a in answers if not a.claim]
    if not evidence_only:
        return FlagReason.AMBIGUOUS  # parents that disagree among themselves
    rest = _common_domains(evidence_only)
    if rest and any(not (a.domains & rest) for a in answers if a.claim):
        return FlagReason.MISMATCH
    return FlagReason.AMBIGUOUS


def _member(answers: Sequence[SourceAnswer], domain_arn: str) -> tuple[Owner | None, str]:
    """The one profile or space every source that names one names, and why (or why not)."""
    named: list[set[str]] = []
    by_arn: dict[str, Owner] = {}
    for answer in answers:
        members = {
            o.member_arn.lower(): o
            for o in answer.owners or ()
            if o.domain_arn == domain_arn and o.member_arn
        }
        if members:
            named.append(set(members))
            by_arn.update(members)
    if not named:
        return None, ""
    agreed = set.intersection(*named)
    if len(agreed) == 1 and all(len(n) == 1 for n in named):
        return by_arn[agreed.pop()], ""
    return None, "the sources that name a profile or space do not name the same one"


def _exists_now(owner: Owner, directory: DomainDirectory, own_arn: str) -> tuple[bool, bool]:
    """(domain exists now, member exists now); the resource's own ARN exists by definition."""
    domain_ok = _same(owner.domain_arn, own_arn) or (
        (d := directory.domain_by_arn(owner.domain_arn)) is not None and d.deleted_at is None
    )
    member = owner.member_arn
    if member is None or _same(member, own_arn):
        return domain_ok, True
    entry = (
        directory.user_profile_by_arn(member)
        if owner.profile_arn
        else directory.space_by_arn(member)
    )
    return domain_ok, entry is not None and entry.deleted_at is None


def _compare_claims(
    expected: dict[str, str],
    present: Mapping[str, str],
    directory: DomainDirectory,
) -> dict[str, tuple[str, str]]:
    """Tags the evidence contradicts: found value -> the value the evidence supports."""
    conflicting: dict[str, tuple[str, str]] = {}
    domain_arn = expected[DOMAIN_TAG]
    if DOMAIN_TAG in present and not _same(present[DOMAIN_TAG], domain_arn):
        conflicting[DOMAIN_TAG] = (present[DOMAIN_TAG], domain_arn)
    for key in MEMBER_TAGS:
        if key not in present:
            continue
        if key in expected:
            if not _same(present[key], expected[key]):
                conflicting[key] = (present[key], expected[key])
        elif not _same(_member_domain(key, present[key], directory) or "", domain_arn):
            # A profile or space the evidence did not name must still sit in the domain.
            conflicting[key] = (present[key], "")
    return conflicting


def decide(
    request: AttributionInput, answers: Sequence[SourceAnswer], directory: DomainDirectory
) -> AttributionDecision:
    """The intersection of the answers, compared with the resource's tags."""
    evidence = [a.evidence for a in answers]
    present = enforced_tags(request.current_tags)
    datazone = datazone_tags(request.current_tags)
    if datazone:
        evidence.append(
            Evidence(
                "datazone-tags",
                datazone,
                "Amazon SageMaker Unified Studio (DataZone) tags; the enforcer never changes them",
            )
        )
    variants = conflicting_variants(request.current_tags)
    if variants:
        evidence.append(
            Evidence(
                "existing-tags",
                {k: v for found in variants.values() for k, v in found.items()},
                "case variants of an enforced key carry different values (IAM sees both)",
            )
        )
        return _flag(
            FlagReason.MISMATCH,
            evidence,
            conflicting={
                canonical: (" | ".join(f"{k}={v}" for k, v in found.items()), "")
                for canonical, found in variants.items()
            },
        )
    speaking = [a for a in answers if a.speaks]
    if not speaking:
        if DOMAIN_TAG not in present and not answers:
            evidence.append(_no_evidence(request))
        return _claims_alone(present, directory, evidence)
    common = _common_domains(speaking)
    if not common:
        reason = _empty_reason(speaking)
        rest = _common_domains([a for a in speaking if not a.claim] or speaking)
        # A parent's tag excluded by evidence that settles one domain: that domain is
        # what the alert proposes, for the administrator to confirm.
        proposed = (
            {DOMAIN_TAG: next(iter(rest))}
            if reason is FlagReason.MISMATCH and len(rest) == 1
            else {}
        )
        return _flag(reason, evidence, expected=proposed)
    if len(common) > 1:
        claimed = present.get(DOMAIN_TAG)
        if claimed and any(_same(claimed, d) for d in common):
            # Allowed by the evidence, not settled by it: left alone, unverified.
            return _claims_alone(present, directory, evidence)
        names = ", ".join(sorted(common))
        evidence.append(Evidence("consensus", {"domains": names}, "more than one domain remains"))
        return _flag(FlagReason.AMBIGUOUS, evidence)
    domain_arn = next(iter(common))
    member, why_no_member = _member(speaking, domain_arn)
    if why_no_member:
        evidence.append(Evidence("consensus", {"domain": domain_arn}, why_no_member))
    owner = member or Owner(domain_arn)
    own = request.resource_arn
    domain_alive, member_alive = _exists_now(owner, directory, own)
    if not domain_alive:
        evidence.append(
            Evidence("consensus", {"domain": domain_arn}, "the domain no longer exists")
        )
        return _flag(FlagReason.UNATTRIBUTABLE, evidence)
    expected = {DOMAIN_TAG: domain_arn}
    if owner.profile_arn and member_alive:
        expected[USER_PROFILE_TAG] = owner.profile_arn
    elif owner.space_arn and member_alive:
        expected[SPACE_TAG] = owner.space_arn
    elif owner.member_arn:
        evidence.append(
            Evidence(
                "consensus", {"member": owner.member_arn}, "that profile or space no longer exists"
            )
        )
    conflicting = _compare_claims(expected, present, directory)
    if conflicting:
        found = {k: f for k, (f, _) in conflicting.items()}
        evidence.append(Evidence("existing-tags", found, "tags contradict the evidence"))
        return _flag(FlagReason.MISMATCH, evidence, conflicting=conflicting, expected=expected)
    # A resource has one member slot: a profile or a space tag already there fills it.
    has_member = any(key in present for key in MEMBER_TAGS)
    missing = {
        k: v
        for k, v in expected.items()
        if k not in present and not (k in MEMBER_TAGS and has_member)
    }
    if missing:
        return AttributionDecision(Outcome.TAG, expected, missing, evidence=tuple(evidence))
    return AttributionDecision(Outcome.COMPLIANT, expected, evidence=tuple(evidence))


def attribute(
    request: AttributionInput, directory: DomainDirectory, rules: AdminRules = NO_RULES
) -> AttributionDecision:
    """Decide what a resource's enforced tags should be, and whether they already are."""
    return decide(request, every_answer(request, directory, rules), directory)


def _no_evidence(request: AttributionInput) -> Evidence:
    caller = request.caller
    fields = {
        "principalType": (caller.principal_type if caller else None) or "(absent)",
        "principal": (caller.principal_arn if caller else None) or "(absent)",
    }
    if request.resource_role_arns:
        fields["RoleArn"] = ", ".join(request.resource_role_arns)
    return Evidence(
        "no-evidence",
        fields,
        "neither the caller, the resource's role, its creator record nor a parent names a domain",
    )
