"""The evidence sources: each reads one kind of fact and answers with the owners it allows.

No source knows about another, and none decides: tag_enforcer.core.attribution
intersects their answers, so their order cannot matter. A source returns None when it
has nothing to say, and an answer without owners when it read something that names
no owner the directory knew at the resource's time (a note for the evidence).

Role semantics (SageMaker Developer Guide, "Domain user profiles" and "Spaces"):
- a domain's default execution role and its default space role name that domain and
  never a profile, however many profiles inherit them today;
- a profile's own role names that profile, unless the role is also a domain default,
  a default space role or another profile's own role;
- a role configured in several domains names all of them;
- a space has no role of its own (DescribeSpace has none): a shared space runs as the
  default space role, a private space as its owner's role.
"""

from __future__ import annotations

from tag_enforcer.core.admin_rules import AdminRules
from tag_enforcer.core.arns import role_key
from tag_enforcer.core.decisions import (
    AttributionInput,
    Evidence,
    Owner,
    ParentEvidence,
    SourceAnswer,
)
from tag_enforcer.core.directory import DomainDirectory, DomainEntry, RoleKey, UserProfileEntry
from tag_enforcer.core.tags import DOMAIN_TAG, SPACE_TAG, USER_PROFILE_TAG, enforced_tags


def _candidates(owners: frozenset[Owner]) -> tuple[str, ...]:
    return tuple(sorted(o.describe() for o in owners))


def _answer(
    rule: str,
    fields: dict[str, str],
    conclusion: str,
    owners: frozenset[Owner] | None,
    *,
    claim: bool = False,
    own: bool = False,
) -> SourceAnswer:
    evidence = Evidence(rule, fields, conclusion, _candidates(owners) if owners else ())
    return SourceAnswer(evidence, owners, claim=claim, own=own)


def _profile_owner(domain: DomainEntry, profile: UserProfileEntry) -> Owner:
    return Owner(domain.domain_arn, profile_arn=profile.arn)


# --- structural request fields ------------------------------------------------------------


def structural(request: AttributionInput, directory: DomainDirectory) -> SourceAnswer | None:
    """A Studio resource's own fields name its domain and its profile or space."""
    scope = request.resource_type.studio_scope
    if scope is None:
        return None
    if scope.own_arn_tag == DOMAIN_TAG:
        return _answer(
            "structural",
            {"resourceArn": request.resource_arn},
            "a domain belongs to itself",
            frozenset({Owner(request.resource_arn)}),
            own=True,
        )
    studio = request.studio
    domain_id = studio.domain_id if studio else None
    domain = directory.domain(domain_id) if domain_id else None
    fields = {"DomainId": domain_id or "(absent)"}
    if domain is None or not domain.existed_at(request.at):
        return _answer(
            "structural", fields, "the request names no domain the directory knows", None
        )
    if scope.own_arn_tag == USER_PROFILE_TAG:
        owner = Owner(domain.domain_arn, profile_arn=request.resource_arn)
        return _answer(
            "structural",
            fields,
            f"a user profile belongs to itself, in domain {domain.domain_id}",
            frozenset({owner}),
            own=True,
        )
    if scope.own_arn_tag == SPACE_TAG:
        owner = Owner(domain.domain_arn, space_arn=request.resource_arn)
        return _answer(
            "structural",
            fields,
            f"a space belongs to itself, in domain {domain.domain_id}",
            frozenset({owner}),
            own=True,
        )
    if studio and studio.user_profile_name:
        fields["UserProfileName"] = studio.user_profile_name
        profile = directory.user_profile(domain.domain_id, studio.user_profile_name)
        if profile is None or not profile.existed_at(request.at):
            return _answer(
                "structural",
                fields,
                "the request names a user profile the directory does not know",
                None,
            )
        return _answer(
            "structural",
            fields,
            f"the request names profile {profile.name} of domain {domain.domain_id}",
            frozenset({_profile_owner(domain, profile)}),
        )
    if studio and studio.space_name:
        fields["SpaceName"] = studio.space_name
        space = directory.space(domain.domain_id, studio.space_name)
        if space is None or not space.existed_at(request.at):
            return _answer(
                "structural", fields, "the request names a space the directory does not know", None
            )
        return _answer(
            "structural",
            fields,
            f"the request names space {space.name} of domain {domain.domain_id}",
            frozenset({Owner(domain.domain_arn, space_arn=space.arn)}),
        )
    return _answer(
        "structural",
        fields,
        f"the request names domain {domain.domain_id}",
        frozenset({Owner(domain.domain_arn)}),
    )


# --- SageMaker's creator record ------------------------------------------------------------


def creator_records(request: AttributionInput, directory: DomainDirectory) -> list[SourceAnswer]:
    """CreatedBy (shape UserContext): SageMaker's own note of the Studio user who made it."""
    answers = []
    for record in request.creators:
        if not (record.domain_id or record.user_profile_arn):
            continue  # made outside Studio: SageMaker leaves the record empty
        fields = {
            k: v
            for k, v in (
                ("source", record.source),
                ("DomainId", record.domain_id),
                ("UserProfileArn", record.user_profile_arn),
                ("UserProfileName", record.user_profile_name),
            )
            if v
        }
        profile = (
            directory.user_profile_by_arn(record.user_profile_arn)
            if record.user_profile_arn
            else None
        )
        domain_id = record.domain_id or (profile.domain_id if profile else None)
        domain = directory.domain(domain_id) if domain_id else None
        if domain is None or not domain.existed_at(request.at):
            answers.append(
                _answer(
                    "creator-record",
                    fields,
                    "the creator record names a domain the directory did not know then",
                    None,
                )
            )
            continue
        if profile is None and record.user_profile_name:
            profile = directory.user_profile(domain.domain_id, record.user_profile_name)
        if (
            profile is not None
            and profile.domain_id == domain.domain_id
            and profile.existed_at(request.at)
        ):
            answers.append(
                _answer(
                    "creator-record",
                    fields,
                    f"SageMaker recorded profile {profile.name} of domain {domain.domain_id} "
                    "as the creator",
                    frozenset({_profile_owner(domain, profile)}),
                )
            )
        else:
            answers.append(
                _answer(
                    "creator-record",
                    fields,
                    f"SageMaker recorded domain {domain.domain_id} as the creator's",
                    frozenset({Owner(domain.domain_arn)}),
                )
            )
    return answers


# --- source identity ---------------------------------------------------------------------


def source_identity(request: AttributionInput, directory: DomainDirectory) -> SourceAnswer | None:
    """With ExecutionRoleIdentityConfig=USER_PROFILE_NAME Studio sets the STS source identity
    to the profile name (SageMaker Developer Guide, "Monitor user resource access").

    Names are unique only within a domain, so it names every such profile of a domain
    that sets source identity; only those that can act as the session's role remain.
    """
    caller = request.caller
    if caller is None or not caller.source_identity:
        return None
    name = caller.source_identity
    fields = {"sourceIdentity": name}
    named = [
        (domain, profile)
        for profile in directory.user_profiles_named(name)
        if profile.existed_at(request.at)
        and (domain := directory.domain(profile.domain_id)) is not None
        and domain.existed_at(request.at)
        and domain.source_identity_is_profile_name
    ]
    if not named:
        return _answer(
            "source-identity",
            fields,
            "no domain that sets source identity had a profile of this name",
            None,
        )
    role = role_key(caller.session_issuer_arn or "")
    if caller.session_issuer_arn:
        fields["sessionIssuer"] = caller.session_issuer_arn
    acting = [(d, p) for d, p in named if role is not None and directory.can_act_as(p, role)]
    profiles = ", ".join(sorted(f"{p.name} ({d.domain_id})" for d, p in named))
    if not acting:
        # The profile it names cannot be the session's role: the two do not meet.
        return _answer(
            "source-identity",
            fields,
            f"source identity names {profiles}, which cannot act as the session's role",
            frozenset(),
        )
    return _answer(
        "source-identity",
        fields,
        f"source identity names {profiles}; "
        + ", ".join(f"{p.name} of {d.domain_id}" for d, p in acting)
        + " can act as the session's role",
        frozenset(_profile_owner(d, p) for d, p in acting),
    )


# --- roles -------------------------------------------------------------------------------


def _role_answer(
    rule: str, field_name: str, role_arn: str, directory: DomainDirectory, request: AttributionInput
) -> SourceAnswer | None:
    role: RoleKey | None = role_key(role_arn)
    if role is None:
        return None
    fields = {field_name: role_arn}
    uses = directory.role_uses(role, request.at)
    if not uses:
        return None  # not a role any domain or profile used then: nothing to say
    if len(uses) == 1 and uses[0].profile is not None:
        use = uses[0]
        assert use.profile is not None
        return _answer(
            rule,
            fields,
            f"the role is profile {use.profile.name}'s own role in domain {use.domain.domain_id}, "
            "and used nowhere else",
            frozenset({_profile_owner(use.domain, use.profile)}),
        )
    domains = {u.domain.domain_arn: u.domain for u in uses}
    ids = ", ".join(sorted(d.domain_id for d in domains.values()))
    how = "; ".join(
        sorted(
            f"profile {u.profile.name}'s own role in {u.domain.domain_id}"
            if u.profile
            else f"a default role of {u.domain.domain_id}"
            for u in uses
        )
    )
    return _answer(
        rule,
        fields,
        f"the role names domain{'s' if len(domains) > 1 else ''} {ids} and no profile ({how})",
        frozenset(Owner(arn) for arn in domains),
    )


def caller_role(request: AttributionInput, directory: DomainDirectory) -> SourceAnswer | None:
    caller = request.caller
    if caller is None or not caller.session_issuer_arn:
        return None
    return _role_answer(
        "caller-role", "sessionIssuer", caller.session_issuer_arn, directory, request
    )


def resource_roles(request: AttributionInput, directory: DomainDirectory) -> list[SourceAnswer]:
    return [
        answer
        for role_arn in request.resource_role_arns
        if (answer := _role_answer("resource-role", "RoleArn", role_arn, directory, request))
        is not None
    ]


# --- lineage parents ---------------------------------------------------------------------


def _parent_answer(
    parent: ParentEvidence, directory: DomainDirectory, request: AttributionInput
) -> SourceAnswer | None:
    tags = enforced_tags(parent.tags)
    domain_arn = tags.get(DOMAIN_TAG)
    if not domain_arn:
        return None  # untagged: the enforce path may wait for its tag (deferral)
    fields = {"parentType": parent.parent_type, "parentArn": parent.parent_arn, **tags}
    domain = directory.domain_by_arn(domain_arn)
    if domain is None or not domain.existed_at(request.at):
        return _answer(
            "lineage",
            fields,
            f"parent {parent.parent_type}'s domain tag names no domain that existed then",
            None,
        )
    member: Owner | None = None
    for key in (USER_PROFILE_TAG, SPACE_TAG):
        if key not in tags:
            continue
        entry = (
            directory.user_profile_by_arn(tags[key])
            if key == USER_PROFILE_TAG
            else directory.space_by_arn(tags[key])
        )
        if entry is None or entry.domain_id != domain.domain_id:
            # A hand-set tag naming another domain's profile is not something to copy.
            return _answer(
                "lineage",
                fields,
                f"parent {parent.parent_type}'s tags name no owner in their domain",
                None,
            )
        if entry.existed_at(request.at):
            member = (
                Owner(domain.domain_arn, profile_arn=entry.arn)
                if key == USER_PROFILE_TAG
                else Owner(domain.domain_arn, space_arn=entry.arn)
            )
    owner = member or Owner(domain.domain_arn)
    return _answer(
        "lineage",
        fields,
        f"parent {parent.parent_type} is tagged with domain {domain.domain_id}"
        + (f" and {member.member_arn}" if member else ""),
        frozenset({owner}),
        claim=True,
    )


def lineage(request: AttributionInput, directory: DomainDirectory) -> list[SourceAnswer]:
    return [
        answer
        for parent in request.parents
        if (answer := _parent_answer(parent, directory, request)) is not None
    ]


# --- admin rules -------------------------------------------------------------------------


def admin_rules(
    request: AttributionInput, directory: DomainDirectory, rules: AdminRules
) -> list[SourceAnswer]:
    """The administrator's configured mappings: a role pattern or a name prefix -> a domain."""
    caller_role_arn = request.caller.session_issuer_arn if request.caller else None
    roles = [r for r in (caller_role_arn, *request.resource_role_arns) if r]
    resource_name = request.resource_arn.rsplit("/", 1)[-1]
    answers = []
    for match in rules.matches(roles, resource_name):
        fields = {
            "rule": match.rule.name,
            "matched": match.matched,
            "domainId": match.rule.domain_id,
        }
        domain = directory.domain(match.rule.domain_id)
        if domain is None or not domain.existed_at(request.at):
            answers.append(
                _answer("admin-rule", fields, "the rule names a domain that does not exist", None)
            )
            continue
        answers.append(
            _answer(
                "admin-rule",
                fields,
                f"admin rule {match.rule.name} maps it to domain {domain.domain_id}",
                frozenset({Owner(domain.domain_arn)}),
            )
        )
    return answers


def every_answer(
    request: AttributionInput, directory: DomainDirectory, rules: AdminRules
) -> list[SourceAnswer]:
    """Every source's answer. A Studio resource is placed by its own fields alone: who
    created a profile or an app says nothing about which domain it lives in."""
    placed = structural(request, directory)
    if placed is not None:
        return [placed]
    answers: list[SourceAnswer | None] = [
        *creator_records(request, directory),
        source_identity(request, directory),
        caller_role(request, directory),
        *resource_roles(request, directory),
        *lineage(request, directory),
        *admin_rules(request, directory, rules),
    ]
    return [a for a in answers if a is not None]
