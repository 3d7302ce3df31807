"""One CloudTrail create event, read once into what attribution needs: the create's evidence.

The enforce path reads a record here and nowhere else: the resource's type and ARN,
the caller, the Studio fields, the roles and parents the request names, and its tags.
What AWS adds (current tags, parents' tags, the creator record) is gathered by the
enforce service; the decision is tag_enforcer.core.attribution's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tag_enforcer.core import registry
from tag_enforcer.core.cloudtrail import CloudTrailRecord, resource_arn
from tag_enforcer.core.decisions import CallerEvidence, StudioReference
from tag_enforcer.core.directory import DirectoryChange, DirectoryKind
from tag_enforcer.core.errors import MalformedRecordError
from tag_enforcer.core.evidence import parent_references, resource_roles
from tag_enforcer.core.registry.paths import first_text
from tag_enforcer.core.registry.schema import ResourceType
from tag_enforcer.core.resources import AccountScope


@dataclass(frozen=True)
class CreateEvent:
    """Everything one create event says about the resource it made."""

    event_id: str
    event_name: str
    event_time: str
    at: float  # eventTime, seconds since the epoch
    scope: AccountScope
    resource_type: ResourceType
    resource_arn: str
    caller: CallerEvidence
    studio: StudioReference | None
    resource_role_arns: tuple[str, ...]
    parents_named: tuple[tuple[str, str], ...]  # (parent type, parent ARN)
    requested_tags: Mapping[str, str]
    # Made by an AWS service on somebody's behalf (a tuning job's training jobs).
    service_made: bool


def caller_evidence(record: CloudTrailRecord) -> CallerEvidence:
    identity = record.user_identity
    return CallerEvidence(
        principal_type=identity.type,
        principal_arn=identity.arn,
        session_issuer_arn=identity.session_issuer_arn,
        source_identity=identity.source_identity,
        invoked_by=identity.invoked_by,
        user_name=identity.user_name,
    )


def record_scope(record: CloudTrailRecord) -> AccountScope:
    """The partition, region and account of the event: never the deployment's own."""
    return AccountScope(record.partition, record.aws_region, record.account)


def _studio_reference(
    record: CloudTrailRecord, resource_type: ResourceType
) -> StudioReference | None:
    scope = resource_type.studio_scope
    if scope is None:
        return None
    request = record.request_parameters or {}

    def read(path: str | None) -> str | None:
        return first_text(request, path) if path else None

    return StudioReference(
        domain_id=read(scope.domain_id_field),
        user_profile_name=read(scope.user_profile_field),
        space_name=read(scope.space_field),
    )


def is_service_made(record: CloudTrailRecord) -> bool:
    """Created by an AWS service on somebody's behalf, not by a person or their code."""
    identity = record.user_identity
    return identity.type == "AWSService" or (identity.invoked_by or "").endswith(".amazonaws.com")


def read_create_event(record: CloudTrailRecord) -> CreateEvent | None:
    """The create event's evidence; None when the event creates no registered type.

    Raises MalformedRecordError when the record names no resource ARN and lacks the
    request fields to rebuild it.
    """
    resource_type = registry.for_create_event(record.event_name)
    if resource_type is None:
        return None
    arn = resource_arn(record, resource_type)
    if arn is None:
        raise MalformedRecordError(
            f"{record.event_name} event {record.event_id} names no resource ARN in its "
            "response and lacks the request fields to rebuild it"
        )
    scope = record_scope(record)
    request = record.request_parameters or {}
    return CreateEvent(
        event_id=record.event_id,
        event_name=record.event_name,
        event_time=record.event_time,
        at=record.event_instant,
        scope=scope,
        resource_type=resource_type,
        resource_arn=arn,
        caller=caller_evidence(record),
        studio=_studio_reference(record, resource_type),
        resource_role_arns=resource_roles(resource_type, request),
        parents_named=tuple(parent_references(resource_type, request, scope)),
        requested_tags=record.requested_tags(),
        service_made=is_service_made(record),
    )


def directory_change(record: CloudTrailRecord) -> DirectoryChange | None:
    """What a Create/Update/Delete Domain|UserProfile|Space event changed, or None."""
    if record.event_name not in registry.DIRECTORY_EVENT_NAMES:
        return None
    for verb in ("Create", "Update", "Delete"):
        if record.event_name.startswith(verb):
            kind = DirectoryKind(record.event_name.removeprefix(verb))
            break
    else:  # pragma: no cover - DIRECTORY_EVENT_NAMES holds only these verbs
        return None
    request = record.request_parameters or {}
    domain_id = first_text(request, "DomainId")
    if domain_id is None and kind is DirectoryKind.DOMAIN:
        # CreateDomain: only the response knows the id (domain/<id> in DomainArn).
        domain_arn = first_text(record.response_elements or {}, "DomainArn") or ""
        domain_id = domain_arn.rsplit("/", 1)[-1] if "/" in domain_arn else None
    name = None
    if kind is DirectoryKind.USER_PROFILE:
        name = first_text(request, "UserProfileName")
    elif kind is DirectoryKind.SPACE:
        name = first_text(request, "SpaceName")
    if not domain_id or (kind is not DirectoryKind.DOMAIN and not name):
        raise MalformedRecordError(
            f"{record.event_name} event {record.event_id} names no domain, profile or space"
        )
    return DirectoryChange(kind, verb, domain_id, name, record.event_instant)
