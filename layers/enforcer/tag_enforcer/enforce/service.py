"""The enforce path: one CloudTrail create event in, one decision and at most one action out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol

from tag_enforcer.core import registry
from tag_enforcer.core.admin_rules import NO_RULES, AdminRules
from tag_enforcer.core.arns import role_key, sagemaker_arn
from tag_enforcer.core.attribution import (
    AttributionDecision,
    AttributionInput,
    CallerEvidence,
    FlagReason,
    Outcome,
    ParentEvidence,
    StudioReference,
    attribute,
)
from tag_enforcer.core.cloudtrail import (
    SAGEMAKER_EVENT_SOURCE,
    CloudTrailRecord,
    resource_arn,
    tags_from_request,
)
from tag_enforcer.core.directory import DomainDirectory
from tag_enforcer.core.errors import DeferredRecordError, MalformedRecordError, ResourceGoneError
from tag_enforcer.core.evidence import parent_references
from tag_enforcer.core.evidence import resource_roles as roles_in_document
from tag_enforcer.core.registry.paths import field_values, first_text
from tag_enforcer.core.registry.schema import ResourceType
from tag_enforcer.core.resources import AccountScope
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings
from tag_enforcer.core.tags import DOMAIN_TAG, ENFORCED_TAG_KEYS, InvalidTagError, tags_to_add
from tag_enforcer.enforce.alerts import Finding, FindingKind
from tag_enforcer.enforce.inspection import Inspection, InspectionError


class Action(StrEnum):
    NONE = "none"
    TAGGED = "tagged"
    ALERTED = "alerted"
    RESOURCE_GONE = "resource-gone"
    RESTORED = "restored"
    CANNOT_TAG = "cannot-tag"
    DIRECTORY_INVALIDATED = "directory-invalidated"


class TagPort(Protocol):
    def list_tags(self, resource_arn: str) -> dict[str, str]: ...
    def add_tags(self, resource_arn: str, tags: Mapping[str, str]) -> None: ...


class AlertPort(Protocol):
    def publish(self, finding: Finding) -> None: ...


class InspectorPort(Protocol):
    def inspect(self, resource_arn: str) -> Inspection: ...


class DirectoryPort(Protocol):
    def get(self) -> DomainDirectory: ...
    def invalidate(self) -> None: ...
    def refresh_after_miss(self) -> DomainDirectory | None: ...


@dataclass(frozen=True)
class EnforcementResult:
    event_id: str
    event_name: str
    outcome: Outcome
    action: Action
    resource_type: str | None = None
    resource_arn: str | None = None
    decision: AttributionDecision | None = None
    note: str = ""
    tags_added: Mapping[str, str] | None = None


def screen(record: CloudTrailRecord) -> str | None:
    """Why a record is not ours to act on, or None when it is."""
    if record.event_source != SAGEMAKER_EVENT_SOURCE:
        return f"event source {record.event_source} is not SageMaker"
    if record.error_code:
        return f"the call failed ({record.error_code}); nothing was created"
    if record.read_only:
        return "read-only call"
    return None


def caller_evidence(record: CloudTrailRecord) -> CallerEvidence:
    identity = record.user_identity
    return CallerEvidence(
        principal_type=identity.type,
        principal_arn=identity.arn,
        session_issuer_arn=identity.session_issuer_arn,
        source_identity=identity.source_identity,
        invoked_by=identity.invoked_by,
    )


def studio_reference(
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


def resource_roles(record: CloudTrailRecord, resource_type: ResourceType) -> tuple[str, ...]:
    """The roles the create request gives the resource (registry `role_fields`)."""
    return roles_in_document(resource_type, record.request_parameters or {})


def parent_arns(record: CloudTrailRecord, resource_type: ResourceType) -> list[tuple[str, str]]:
    """(parent type, parent ARN) for each lineage parent the request names by name or ARN."""
    scope = AccountScope(record.partition, record.aws_region, record.account)
    return parent_references(resource_type, record.request_parameters or {}, scope)


def is_service_made(record: CloudTrailRecord) -> bool:
    """Created by an AWS service on somebody's behalf, not by a person or their code."""
    identity = record.user_identity
    return identity.type == "AWSService" or (identity.invoked_by or "").endswith(".amazonaws.com")


def evidence_still_to_come(request: AttributionInput, directory: DomainDirectory) -> str:
    """Why an unattributable resource may be attributable on a later look, or "".

    CloudTrail delivers events in no guaranteed order: a child can arrive before its
    parent is tagged, and a resource made with a new profile's role before the
    CreateUserProfile event that refreshes the directory.
    """
    if any(not parent.tags.get(DOMAIN_TAG) for parent in request.parents):
        return "a named parent exists but is not tagged yet"
    caller_role = role_key(request.caller.session_issuer_arn or "")
    if caller_role is not None and not directory.domains_using_role(caller_role):
        return "the caller's role may belong to a profile the directory does not know yet"
    return ""


def describe_caller(record: CloudTrailRecord) -> str:
    identity = record.user_identity
    return (
        identity.session_issuer_arn
        or identity.arn
        or identity.invoked_by
        or identity.type
        or "unknown"
    )


class EnforcementService:
    """Decides and acts for one region's create events. Adapters are passed in, never built here."""

    def __init__(
        self,
        settings: EnforcerSettings,
        directory: DirectoryPort,
        tags: TagPort,
        alerts: AlertPort | None,
        *,
        rules: AdminRules = NO_RULES,
        inspector: InspectorPort | None = None,
    ) -> None:
        self._inspector = inspector
        self._own_roles = {key for arn in settings.own_role_arns if (key := role_key(arn))}
        self._rules = rules
        self._settings = settings
        self._directory = directory
        self._tags = tags
        self._alerts = alerts

    def enforce(self, record: CloudTrailRecord, *, may_defer: bool = False) -> EnforcementResult:
        """Decide and act; with `may_defer`, an unattributable resource whose evidence may
        still arrive raises DeferredRecordError so the queue delivers it again later."""
        base = EnforcementResult(
            record.event_id, record.event_name, outcome=Outcome.IGNORE, action=Action.NONE
        )
        skip = screen(record)
        if skip is not None:
            return replace(base, outcome=Outcome.IGNORE, action=Action.NONE, note=skip)

        if record.event_name in registry.TAG_CHANGE_EVENT_NAMES:
            return self._check_tag_change(record, base)
        if record.event_name in registry.ASSOCIATION_EVENT_NAMES:
            return self._inherit_on_association(record, base)
        invalidated = record.event_name in registry.DIRECTORY_EVENT_NAMES
        if invalidated:
            self._directory.invalidate()
        resource_type = registry.for_create_event(record.event_name)
        if resource_type is None:
            return replace(
                base,
                outcome=Outcome.IGNORE,
                action=Action.DIRECTORY_INVALIDATED if invalidated else Action.NONE,
                note=(
                    "directory event: cached domain directory dropped"
                    if invalidated
                    else "not a create of a taggable resource"
                ),
            )
        if resource_type.name in self._settings.excluded_types:
            return replace(
                base,
                outcome=Outcome.IGNORE,
                action=Action.NONE,
                resource_type=resource_type.name,
                note="resource type excluded by configuration",
            )
        arn = resource_arn(record, resource_type)
        if arn is None:
            raise MalformedRecordError(
                f"{record.event_name} event {record.event_id} names no resource ARN in its "
                "response and lacks the request fields to rebuild it"
            )
        base = replace(base, resource_type=resource_type.name, resource_arn=arn)

        try:
            current = record.requested_tags() | self._tags.list_tags(arn)
        except ResourceGoneError:
            return replace(
                base,
                outcome=Outcome.IGNORE,
                action=Action.RESOURCE_GONE,
                note="deleted before it could be read",
            )
        request = AttributionInput(
            resource_type=resource_type,
            resource_arn=arn,
            caller=caller_evidence(record),
            studio=studio_reference(record, resource_type),
            resource_role_arns=resource_roles(record, resource_type),
            parents=self._parents(record, resource_type),
            current_tags={k: v for k, v in current.items() if k in ENFORCED_TAG_KEYS},
        )
        directory = self._directory.get()
        decision = attribute(request, directory, self._rules)
        if decision.reason in (FlagReason.UNATTRIBUTABLE, FlagReason.AMBIGUOUS):
            # The directory may predate a profile or domain created moments ago.
            refreshed = self._directory.refresh_after_miss()
            if refreshed is not None:
                directory = refreshed
                decision = attribute(request, directory, self._rules)
        if decision.reason is FlagReason.UNATTRIBUTABLE and is_service_made(record):
            decision = self._from_launching_parent(resource_type, arn) or decision
        if decision.reason is FlagReason.UNATTRIBUTABLE and may_defer:
            awaited = evidence_still_to_come(request, directory)
            if awaited:
                raise DeferredRecordError(f"{arn}: {awaited}; will look again on redelivery")
        return self._act(record, decision, base, current)

    def _from_launching_parent(
        self, resource_type: ResourceType, arn: str
    ) -> AttributionDecision | None:
        """The decision from the resource's own Describe, which names the job that launched it.

        SageMaker itself creates training jobs for a tuning job, AutoML job or labeling job;
        the create request names no parent, the new job's Describe output does.
        """
        if not resource_type.launched_by or self._inspector is None:
            return None
        try:
            decision = self._inspector.inspect(arn).decision
        except (InspectionError, ResourceGoneError):
            return None
        return None if decision.reason is FlagReason.UNATTRIBUTABLE else decision

    def _parents(
        self, record: CloudTrailRecord, resource_type: ResourceType
    ) -> tuple[ParentEvidence, ...]:
        evidence = []
        for parent_type, parent_arn in parent_arns(record, resource_type):
            try:
                tags = self._tags.list_tags(parent_arn)
            except ResourceGoneError:
                continue  # a deleted parent is no evidence either way
            evidence.append(
                ParentEvidence(
                    parent_type,
                    parent_arn,
                    {k: v for k, v in tags.items() if k in ENFORCED_TAG_KEYS},
                )
            )
        return tuple(evidence)

    def _inherit_on_association(
        self, record: CloudTrailRecord, base: EnforcementResult
    ) -> EnforcementResult:
        """A trial component joins a trial: it inherits the trial's tags if it has none.

        The caller of AssociateTrialComponent need not be the component's creator, so the
        trial's tags are the only evidence used; a component tagged with another domain
        than its trial is a mismatch.
        """
        request = record.request_parameters or {}
        component_name = first_text(request, "TrialComponentName")
        trial_name = first_text(request, "TrialName")
        if not component_name or not trial_name:
            raise MalformedRecordError(
                f"{record.event_name} event {record.event_id} names no trial component or trial"
            )
        component_type = registry.by_name("TrialComponent")
        trial_type = registry.by_name("Trial")
        where = (record.partition, record.aws_region, record.account)
        component_arn = sagemaker_arn(*where, component_type.arn_segment, component_name.lower())
        trial_arn = sagemaker_arn(*where, trial_type.arn_segment, trial_name.lower())
        base = replace(base, resource_type=component_type.name, resource_arn=component_arn)
        try:
            current = self._tags.list_tags(component_arn)
            trial_tags = self._tags.list_tags(trial_arn)
        except ResourceGoneError:
            return replace(base, action=Action.RESOURCE_GONE, note="deleted before it was read")
        if not trial_tags.get(DOMAIN_TAG):
            return replace(base, note="the trial carries no domain tag to inherit")
        request_input = AttributionInput(
            resource_type=component_type,
            resource_arn=component_arn,
            parents=(
                ParentEvidence(
                    trial_type.name,
                    trial_arn,
                    {k: v for k, v in trial_tags.items() if k in ENFORCED_TAG_KEYS},
                ),
            ),
            current_tags={k: v for k, v in current.items() if k in ENFORCED_TAG_KEYS},
        )
        decision = attribute(request_input, self._directory.get(), self._rules)
        return self._act(record, decision, base, current)

    def _check_tag_change(
        self, record: CloudTrailRecord, base: EnforcementResult
    ) -> EnforcementResult:
        """Tag integrity: an enforced tag added or removed after creation, by somebody else.

        The caller of AddTags/DeleteTags is not the resource's creator, so the resource
        is judged from its own side (role, lineage, Studio scope), as the sweep does.
        """
        request = record.request_parameters or {}
        arn = first_text(request, "ResourceArn")
        if record.event_name == "DeleteTags":
            keys = [k for k in field_values(request, "TagKeys[]") if isinstance(k, str)]
        else:
            keys = list(tags_from_request(request))
        touched = sorted(set(keys) & set(ENFORCED_TAG_KEYS))
        issuer = role_key(record.user_identity.session_issuer_arn or "")
        if not arn or not touched:
            return replace(base, note="no enforced tag key touched")
        base = replace(base, resource_arn=arn)
        if issuer is not None and issuer in self._own_roles:
            return replace(base, note="the enforcer's own tagging")
        if self._inspector is None:
            return replace(base, note="tag integrity checks are not configured")
        try:
            inspection = self._inspector.inspect(arn)
        except ResourceGoneError:
            return replace(base, action=Action.RESOURCE_GONE, note="deleted before it was checked")
        except InspectionError as error:
            return replace(base, note=str(error))
        decision = inspection.decision
        base = replace(base, resource_type=inspection.resource.resource_type.name)
        problem = f"{record.event_name} touched {', '.join(touched)}"
        if record.event_name == "DeleteTags":
            action = Action.ALERTED
            if decision.outcome is Outcome.TAG and self._settings.mode is EnforcementMode.TAG:
                # The resource's own evidence is unambiguous: put back what it supports.
                self._tags.add_tags(
                    arn, tags_to_add(decision.missing_tags, inspection.resource.tags)
                )
                action = Action.RESTORED
            self._alert(record, decision, base, FindingKind.TAG_REMOVED, problem)
            return replace(
                base,
                outcome=Outcome.FLAG,
                action=action,
                decision=decision,
                note=problem,
                tags_added=decision.missing_tags if action is Action.RESTORED else None,
            )
        return self._act(record, decision, base, inspection.resource.tags)

    def _alert(
        self,
        record: CloudTrailRecord,
        decision: AttributionDecision,
        base: EnforcementResult,
        kind: str | None = None,
        problem: str = "",
    ) -> None:
        if self._alerts is None:
            return
        self._alerts.publish(
            Finding.from_decision(
                decision,
                kind=kind,
                resource_arn=base.resource_arn or "",
                resource_type=base.resource_type or "",
                event_name=record.event_name,
                event_time=record.event_time,
                event_id=record.event_id,
                caller=describe_caller(record),
                mode=self._settings.mode.value,
                account=record.account,
                region=record.aws_region,
                extra={"problem": problem} if problem else {},
            )
        )

    def _act(
        self,
        record: CloudTrailRecord,
        decision: AttributionDecision,
        base: EnforcementResult,
        current_tags: Mapping[str, str],
    ) -> EnforcementResult:
        arn = base.resource_arn or ""
        if decision.outcome is Outcome.COMPLIANT:
            return replace(base, outcome=decision.outcome, action=Action.NONE, decision=decision)
        if decision.outcome is Outcome.TAG and self._settings.mode is EnforcementMode.TAG:
            try:
                to_add = tags_to_add(decision.missing_tags, current_tags)
            except InvalidTagError as error:
                self._alert(record, decision, base, FindingKind.CANNOT_TAG, str(error))
                return replace(
                    base,
                    outcome=decision.outcome,
                    action=Action.CANNOT_TAG,
                    decision=decision,
                    note=str(error),
                )
            try:
                self._tags.add_tags(arn, to_add)
            except ResourceGoneError:
                return replace(
                    base,
                    outcome=decision.outcome,
                    action=Action.RESOURCE_GONE,
                    decision=decision,
                    note="deleted before it could be tagged",
                )
            return replace(
                base,
                outcome=decision.outcome,
                action=Action.TAGGED,
                decision=decision,
                tags_added=decision.missing_tags,
            )
        # A flag, or a missing tag in audit mode: somebody has to hear about it.
        self._alert(record, decision, base)
        return replace(
            base,
            outcome=decision.outcome,
            action=Action.ALERTED if self._alerts else Action.NONE,
            decision=decision,
        )
