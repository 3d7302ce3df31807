"""The enforce path: one CloudTrail event in, one decision and at most one action out.

    record -> core.events.read_create_event  (the create's evidence, read once)
           -> ListTags of the resource and of each parent it names   (what AWS adds)
           -> core.attribution.attribute                               (the decision)
           -> a Describe for SageMaker's creator record, only when the decision is a flag
           -> AddTags of the missing keys, or one alert

Directory events change one directory entry; tag changes on an enforced key and
trial component associations re-judge the resource from its own side.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol

from tag_enforcer.core import registry
from tag_enforcer.core.admin_rules import NO_RULES, AdminRules
from tag_enforcer.core.arns import role_key, sagemaker_arn
from tag_enforcer.core.attribution import attribute
from tag_enforcer.core.cloudtrail import SAGEMAKER_EVENT_SOURCE, CloudTrailRecord, tags_from_request
from tag_enforcer.core.decisions import (
    AttributionDecision,
    AttributionInput,
    CreatorRecord,
    Evidence,
    FlagReason,
    Outcome,
    ParentEvidence,
)
from tag_enforcer.core.directory import DirectoryChange, DomainDirectory
from tag_enforcer.core.errors import (
    DeferredRecordError,
    MalformedRecordError,
    PermanentAwsError,
    ResourceGoneError,
    RoleUnavailableError,
)
from tag_enforcer.core.events import (
    CreateEvent,
    caller_evidence,
    directory_change,
    read_create_event,
    record_scope,
)
from tag_enforcer.core.evidence import (
    creator_record,
    parent_references,
    pipeline_execution_arn,
    pipeline_of_execution,
)
from tag_enforcer.core.organization import AccountNames, no_names
from tag_enforcer.core.registry.paths import field_values, first_text
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings, MissingTagAlerts
from tag_enforcer.core.tags import DOMAIN_TAG, InvalidTagError, enforced_key, tags_to_add
from tag_enforcer.enforce.alerts import Finding, FindingKind
from tag_enforcer.enforce.inspection import Inspection, InspectionError

# DescribePipelineExecution's CreatedBy names who started a pipeline run (botocore
# SageMaker model, DescribePipelineExecutionResponse.CreatedBy: UserContext).
PIPELINE_EXECUTION_CREATOR = "CreatedBy"


class Action(StrEnum):
    NONE = "none"
    TAGGED = "tagged"
    ALERTED = "alerted"
    RESOURCE_GONE = "resource-gone"
    RESTORED = "restored"
    CANNOT_TAG = "cannot-tag"
    DIRECTORY_UPDATED = "directory-updated"
    # AWS refused a call in a way no retry fixes: reported as a finding, not retried.
    FAILED = "failed"


class TagPort(Protocol):
    def list_tags(self, resource_arn: str) -> dict[str, str]: ...
    def add_tags(self, resource_arn: str, tags: Mapping[str, str]) -> None: ...


class AlertPort(Protocol):
    def publish(self, finding: Finding) -> None: ...


class InspectorPort(Protocol):
    def inspect(self, resource_arn: str) -> Inspection: ...
    def describe(self, resource_arn: str) -> dict[str, Any]: ...
    def describe_pipeline_execution(self, execution_arn: str) -> dict[str, Any]: ...


class DirectoryPort(Protocol):
    def get(self) -> DomainDirectory: ...
    def apply(self, change: DirectoryChange) -> DomainDirectory: ...
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


def describe_caller(record: CloudTrailRecord) -> str:
    identity = record.user_identity
    return (
        identity.session_issuer_arn
        or identity.arn
        or identity.invoked_by
        or identity.type
        or "unknown"
    )


def _unsettled(decision: AttributionDecision) -> bool:
    """The evidence names no one domain: more evidence may still settle it."""
    return decision.reason in (FlagReason.UNATTRIBUTABLE, FlagReason.AMBIGUOUS)


def evidence_still_to_come(
    request: AttributionInput, decision: AttributionDecision, directory: DomainDirectory
) -> str:
    """Why the decision may change on a later look, or "" (then it is final now).

    CloudTrail delivers events in no guaranteed order: a child can arrive before its
    parent is tagged, and a resource made with a new profile's role before the
    CreateUserProfile event. Deciding before a named parent is tagged would let the
    delivery order choose the result, so any untagged parent defers the record.
    """
    if decision.outcome is Outcome.COMPLIANT:
        return ""  # nothing would be written or sent either way
    if any(not enforced_tags_domain(parent.tags) for parent in request.parents):
        return "a named parent exists but is not tagged yet"
    caller_role = role_key((request.caller.session_issuer_arn if request.caller else None) or "")
    if (
        decision.reason is FlagReason.UNATTRIBUTABLE
        and caller_role is not None
        and not directory.knows_role(caller_role)
    ):
        return "the caller's role may belong to a profile the directory does not know yet"
    return ""


def enforced_tags_domain(tags: Mapping[str, str]) -> str | None:
    return next((v for k, v in tags.items() if enforced_key(k) == DOMAIN_TAG and v), None)


class EnforcementService:
    """Decides and acts for one account and region. Adapters are passed in, never built here."""

    def __init__(
        self,
        settings: EnforcerSettings,
        directory: DirectoryPort,
        tags: TagPort,
        alerts: AlertPort | None,
        *,
        rules: AdminRules = NO_RULES,
        inspector: InspectorPort | None = None,
        account_names: AccountNames = no_names,
    ) -> None:
        self._account_names = account_names
        self._inspector = inspector
        self._own_roles = {key for arn in settings.own_role_arns if (key := role_key(arn))}
        self._rules = rules
        self._settings = settings
        self._directory = directory
        self._tags = tags
        self._alerts = alerts

    def enforce(self, record: CloudTrailRecord, *, may_defer: bool = False) -> EnforcementResult:
        """Decide and act; with `may_defer`, a record whose evidence may still arrive raises
        DeferredRecordError so the queue delivers it again later.

        A permanent AWS error (access denied, a request the service rejects) becomes one
        `enforcement-error` finding and a finished record: retrying it would only fill
        the dead-letter queue. A member role that cannot be assumed becomes one
        `member-role-unavailable` finding per account and hour, however many records
        come. Transient errors propagate, and the queue retries them.
        """
        base = EnforcementResult(record.event_id, record.event_name, Outcome.IGNORE, Action.NONE)
        try:
            return self._enforce(record, may_defer=may_defer)
        except RoleUnavailableError as error:
            return self._member_role_unavailable(record, base, error)
        except PermanentAwsError as error:
            return self._permanent_failure(record, base, error)

    def _member_role_unavailable(
        self, record: CloudTrailRecord, base: EnforcementResult, error: RoleUnavailableError
    ) -> EnforcementResult:
        """Nothing in the account can be read or tagged: say so once for the whole account."""
        base = replace(
            base,
            resource_type="MemberRole",
            resource_arn=error.role_arn,
            action=Action.ALERTED if self._alerts else Action.FAILED,
            note=str(error),
        )
        decision = AttributionDecision(
            Outcome.FLAG,
            evidence=(
                Evidence(
                    "member-role",
                    {"role": error.role_arn, "account": error.account},
                    f"the member role cannot be assumed: {error.reason}"[:1000],
                ),
            ),
        )
        self._alert(record, decision, base, FindingKind.MEMBER_ROLE_UNAVAILABLE, str(error))
        return replace(base, outcome=Outcome.FLAG, decision=decision)

    def _permanent_failure(
        self, record: CloudTrailRecord, base: EnforcementResult, error: PermanentAwsError
    ) -> EnforcementResult:
        event = None
        with contextlib.suppress(MalformedRecordError):
            event = read_create_event(record)
        arn = (
            event.resource_arn
            if event
            else first_text(record.request_parameters or {}, "ResourceArn")
        )
        base = replace(
            base,
            resource_type=event.resource_type.name if event else None,
            resource_arn=arn,
            action=Action.FAILED,
            note=str(error),
        )
        decision = AttributionDecision(
            Outcome.FLAG,
            evidence=(Evidence("aws-error", {"error": type(error).__name__}, str(error)[:1000]),),
        )
        self._alert(record, decision, base, FindingKind.ENFORCEMENT_ERROR, str(error)[:1000])
        return replace(base, outcome=Outcome.FLAG, decision=decision)

    def _enforce(self, record: CloudTrailRecord, *, may_defer: bool) -> EnforcementResult:
        base = EnforcementResult(
            record.event_id, record.event_name, outcome=Outcome.IGNORE, action=Action.NONE
        )
        skip = screen(record)
        if skip is not None:
            return replace(base, note=skip)
        if record.event_name in registry.TAG_CHANGE_EVENT_NAMES:
            return self._check_tag_change(record, base)
        if record.event_name in registry.ASSOCIATION_EVENT_NAMES:
            return self._inherit_on_association(record, base)
        change = directory_change(record)
        if change is not None:
            self._directory.apply(change)
            base = replace(base, action=Action.DIRECTORY_UPDATED)
        event = read_create_event(record)
        if event is None:
            return replace(
                base,
                note="directory event: the directory entry was brought up to date"
                if change is not None
                else "not a create of a taggable resource",
            )
        base = replace(base, resource_type=event.resource_type.name)
        if event.resource_type.name in self._settings.excluded_types:
            return replace(base, action=Action.NONE, note="resource type excluded by configuration")
        base = replace(base, resource_arn=event.resource_arn)
        try:
            current = {**event.requested_tags, **self._tags.list_tags(event.resource_arn)}
        except ResourceGoneError:
            return replace(
                base, action=Action.RESOURCE_GONE, note="deleted before it could be read"
            )
        request = self._request(event, current)
        decision, directory = self._decide(request)
        if decision.outcome is Outcome.FLAG:
            richer = self._with_resource_side_evidence(event, request, current)
            if richer is not None:
                request = richer
                decision = attribute(request, directory, self._rules)
        if may_defer:
            awaited = evidence_still_to_come(request, decision, directory)
            if awaited:
                raise DeferredRecordError(
                    f"{event.resource_arn}: {awaited}; will look again on redelivery"
                )
        return self._act(record, decision, base, current)

    # --- gathering evidence ---------------------------------------------------------

    def _request(self, event: CreateEvent, current: Mapping[str, str]) -> AttributionInput:
        named = list(event.parents_named)
        execution = pipeline_execution_arn(current)
        if execution is not None:
            named.append(("Pipeline", pipeline_of_execution(execution)))
        return AttributionInput(
            resource_type=event.resource_type,
            resource_arn=event.resource_arn,
            caller=event.caller,
            studio=event.studio,
            resource_role_arns=event.resource_role_arns,
            parents=self._parents(dict.fromkeys(named)),
            current_tags=dict(current),
            at=event.at,
        )

    def _decide(self, request: AttributionInput) -> tuple[AttributionDecision, DomainDirectory]:
        directory = self._directory.get()
        decision = attribute(request, directory, self._rules)
        if _unsettled(decision):
            # The directory may predate a profile or domain created moments ago.
            refreshed = self._directory.refresh_after_miss()
            if refreshed is not None:
                directory = refreshed
                decision = attribute(request, directory, self._rules)
        return decision, directory

    def _with_resource_side_evidence(
        self, event: CreateEvent, request: AttributionInput, current: Mapping[str, str]
    ) -> AttributionInput | None:
        """The request with what only a Describe holds, for a decision that is a flag:
        SageMaker's creator record, the job that launched a service-made resource, and
        who started the pipeline run that made it. None when there is nothing to read."""
        resource_type = event.resource_type
        launched = event.service_made and bool(resource_type.launched_by)
        execution = pipeline_execution_arn(current)
        if self._inspector is None or resource_type.studio_scope is not None:
            return None
        if not (resource_type.creator_field or launched or execution):
            return None
        creators: list[CreatorRecord] = []
        parents = list(request.parents)
        if resource_type.creator_field or launched:
            try:
                document = self._inspector.describe(event.resource_arn)
            except (InspectionError, ResourceGoneError):
                document = {}
            own = creator_record(
                document, resource_type.creator_field, f"Describe{resource_type.name}"
            )
            if own is not None:
                creators.append(own)
            if launched:
                known = {p.parent_arn for p in parents}
                launchers = [
                    ref
                    for ref in parent_references(resource_type, document, event.scope)
                    if ref[1] not in known
                ]
                parents.extend(self._parents(dict.fromkeys(launchers)))
        if execution is not None:
            try:
                described = self._inspector.describe_pipeline_execution(execution)
            except (InspectionError, ResourceGoneError):
                described = {}
            started_by = creator_record(
                described, PIPELINE_EXECUTION_CREATOR, "DescribePipelineExecution"
            )
            if started_by is not None:
                creators.append(started_by)
        if not creators and len(parents) == len(request.parents):
            return None
        return replace(request, creators=tuple(creators), parents=tuple(parents))

    def _parents(self, named: Mapping[tuple[str, str], None]) -> tuple[ParentEvidence, ...]:
        evidence = []
        for parent_type, parent_arn in named:
            try:
                tags = self._tags.list_tags(parent_arn)
            except ResourceGoneError:
                continue  # a deleted parent is no evidence either way
            evidence.append(ParentEvidence(parent_type, parent_arn, tags))
        return tuple(evidence)

    # --- events that re-judge an existing resource ----------------------------------

    def _inherit_on_association(
        self, record: CloudTrailRecord, base: EnforcementResult
    ) -> EnforcementResult:
        """A trial component joins a trial: the trial becomes one more lineage parent.

        The caller of AssociateTrialComponent need not be the component's creator, so the
        component is judged from its own side (its creator record, its tags) with the
        trial's tags beside them: it gets the trial's domain, and a profile only when the
        sources that name one agree.
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
        scope = record_scope(record)
        where = (scope.partition, scope.region, scope.account)
        component_arn = sagemaker_arn(*where, component_type.arn_segment, component_name.lower())
        trial_arn = sagemaker_arn(*where, trial_type.arn_segment, trial_name.lower())
        base = replace(base, resource_type=component_type.name, resource_arn=component_arn)
        try:
            current = self._tags.list_tags(component_arn)
            trial_tags = self._tags.list_tags(trial_arn)
        except ResourceGoneError:
            return replace(base, action=Action.RESOURCE_GONE, note="deleted before it was read")
        if not enforced_tags_domain(trial_tags):
            return replace(base, note="the trial carries no domain tag to inherit")
        creators: tuple[CreatorRecord, ...] = ()
        if self._inspector is not None:
            try:
                document = self._inspector.describe(component_arn)
            except (InspectionError, ResourceGoneError):
                document = {}
            own = creator_record(
                document, component_type.creator_field, f"Describe{component_type.name}"
            )
            creators = () if own is None else (own,)
        request_input = AttributionInput(
            resource_type=component_type,
            resource_arn=component_arn,
            parents=(ParentEvidence(trial_type.name, trial_arn, trial_tags),),
            creators=creators,
            current_tags=current,
        )
        decision = attribute(request_input, self._directory.get(), self._rules)
        return self._act(record, decision, base, current)

    def _check_tag_change(
        self, record: CloudTrailRecord, base: EnforcementResult
    ) -> EnforcementResult:
        """Tag integrity: an enforced tag added or removed after creation, by somebody else.

        The caller of AddTags/DeleteTags is not the resource's creator, so the resource
        is judged from its own side (role, lineage, creator record), as the sweep does.
        """
        request = record.request_parameters or {}
        arn = first_text(request, "ResourceArn")
        if record.event_name == "DeleteTags":
            keys = [k for k in field_values(request, "TagKeys[]") if isinstance(k, str)]
        else:
            keys = list(tags_from_request(request))
        touched = sorted({canonical for k in keys if (canonical := enforced_key(k))})
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

    # --- acting -----------------------------------------------------------------------

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
        scope = record_scope(record)
        account_name = self._account_names(scope.account) if scope.account else None
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
                identity=caller_evidence(record),
                partition=scope.partition,
                mode=self._settings.mode.value,
                account=scope.account,
                region=scope.region,
                extra={"problem": problem} if problem else {},
                account_name=account_name,
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
                tags_added=to_add,
            )
        if (
            decision.outcome is Outcome.TAG
            and self._settings.audit_missing_tag_alerts is MissingTagAlerts.DIGEST
        ):
            # Audit mode, grouped: the sweep's digest counts every resource it would tag.
            return replace(
                base,
                outcome=decision.outcome,
                action=Action.NONE,
                decision=decision,
                note="missing tags reported in the sweep's digest (AuditMissingTagAlerts=digest)",
            )
        # A flag, or a missing tag in audit mode: somebody has to hear about it.
        self._alert(record, decision, base)
        return replace(
            base,
            outcome=decision.outcome,
            action=Action.ALERTED if self._alerts else Action.NONE,
            decision=decision,
        )
