"""Findings and their SNS alerts: short subject, self-explaining body, filterable attributes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.persistence.base import BasePersistenceLayer

from tag_enforcer.core.arns import Arn, InvalidArnError
from tag_enforcer.core.console_links import (
    NO_CONSOLE_PAGE,
    cloudtrail_event_url,
    sagemaker_console_url,
)
from tag_enforcer.core.decisions import (
    AttributionDecision,
    CallerEvidence,
    Evidence,
    FlagReason,
    Severity,
    evidence_to_dict,
)
from tag_enforcer.core.fix_commands import fix_commands
from tag_enforcer.core.tags import DOMAIN_TAG

# SNS Publish: Subject must be under 100 characters (SNS API reference, Publish).
MAX_SUBJECT_LENGTH = 99
# SNS messages are at most 256 KB (SNS API reference, Publish). No legitimate value
# comes near this bound (ARNs up to 2,048 characters, tag values 256), so a longer one
# is cut: a hostile request cannot make an alert SNS refuses.
MAX_VALUE_CHARACTERS = 2048
# Kinds whose fix is a tag an administrator sets by hand once they decide.
_TAG_FIX_KINDS = frozenset({"mismatch", "unattributable", "ambiguous"})


class FindingKind:
    MISMATCH = "mismatch"
    UNATTRIBUTABLE = "unattributable"
    AMBIGUOUS = "ambiguous"
    MISSING_TAGS = "missing-tags"  # audit mode: a resource the tag mode would have tagged
    CANNOT_TAG = "cannot-tag"  # tag mode: the tags are due but SageMaker would refuse them
    TAG_REMOVED = "tag-removed"  # somebody deleted an enforced tag after creation
    ENFORCEMENT_ERROR = "enforcement-error"  # AWS refused a call no retry would fix
    # Organization mode: the member role of an account cannot be assumed, so nothing in
    # that account is judged. One per account and hour (ACCOUNT_WINDOW_SECONDS).
    MEMBER_ROLE_UNAVAILABLE = "member-role-unavailable"


# Kinds about a whole account rather than one resource: deduplicated per account.
ACCOUNT_FINDING_KINDS = frozenset({FindingKind.MEMBER_ROLE_UNAVAILABLE})
# An account-wide finding is repeated at most once an hour while its cause lasts.
ACCOUNT_WINDOW_SECONDS = 3600


_EXPLANATIONS: dict[str, tuple[str, str]] = {
    FindingKind.MISMATCH: (
        "The resource carries a domain, user profile or space tag that contradicts "
        "who created it. Its cost is charged to the wrong team and the tagged domain's "
        "users can reach it.",
        "Check with the creator, then correct the tag. The enforcer never overwrites "
        "an existing value.",
    ),
    FindingKind.UNATTRIBUTABLE: (
        "No evidence ties the resource to a SageMaker domain: the caller is not a "
        "domain's execution role, and neither its own role nor a parent names one.",
        "Tag it by hand, or add an admin rule that maps the caller's role to a domain.",
    ),
    FindingKind.AMBIGUOUS: (
        "The evidence points at more than one domain (a role shared by domains, or a "
        "caller and a role from different domains), so the enforcer will not choose.",
        "Give each domain its own execution role, or tag the resource by hand.",
    ),
    FindingKind.TAG_REMOVED: (
        "Somebody removed a domain, user profile or space tag from the resource after it "
        "was created. Without it the resource drops out of its domain's cost allocation "
        "and isolation policies.",
        "Find out why it was removed (the caller is in the alert). In tag mode the enforcer "
        "puts the tag back when the resource's own evidence is unambiguous; otherwise tag "
        "it by hand.",
    ),
    FindingKind.CANNOT_TAG: (
        "The evidence supports tags the resource lacks, but adding them would break a "
        "SageMaker tag limit (50 tags per resource, key and value length or characters).",
        "Remove tags the resource no longer needs, then let the next sweep add the missing ones.",
    ),
    FindingKind.ENFORCEMENT_ERROR: (
        "AWS refused a call the enforcer needs to judge or tag this resource, in a way no "
        "retry fixes (access denied, or a request the service rejects). The resource is "
        "neither tagged nor checked until the cause is fixed.",
        "Read the error in the evidence: grant the missing permission to the enforcer's "
        "role, or exclude the resource type; the next sweep checks the resource again.",
    ),
    FindingKind.MEMBER_ROLE_UNAVAILABLE: (
        "The enforcer could not assume its member role in this account, so no event from "
        "the account is judged and nothing there is tagged until it can. The role is "
        "missing (the account has no member stack yet) or its trust policy does not name "
        "this deployment's enforce and sweep roles.",
        "Deploy the member template in the account (the StackSet's auto-deployment does this "
        "for accounts in its OUs), or correct its CentralEnforceRoleArn and CentralSweepRoleArn "
        "parameters. Events of the meantime are found again by the next sweep.",
    ),
    FindingKind.MISSING_TAGS: (
        "The resource lacks tags that the evidence supports. The enforcer runs in "
        "audit mode, so it did not add them.",
        "Switch EnforcementMode to 'tag' to let the enforcer add them, or add them by hand.",
    ),
}


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: Severity
    resource_arn: str
    resource_type: str
    event_name: str
    event_time: str
    event_id: str
    caller: str
    evidence: tuple[Evidence, ...]
    proposed_tags: dict[str, str]
    found_tags: dict[str, str]
    mode: str
    account: str
    region: str
    proposed_domain_arn: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Who made the call, as CloudTrail recorded it (None when only `caller` is known).
    identity: CallerEvidence | None = None
    partition: str = "aws"
    # Organization mode: the account's name, when Organizations can tell it.
    account_name: str | None = None

    @classmethod
    def from_decision(
        cls, decision: AttributionDecision, kind: str | None = None, **context: Any
    ) -> Finding:
        kind = (
            kind
            or {
                FlagReason.MISMATCH: FindingKind.MISMATCH,
                FlagReason.UNATTRIBUTABLE: FindingKind.UNATTRIBUTABLE,
                FlagReason.AMBIGUOUS: FindingKind.AMBIGUOUS,
                None: FindingKind.MISSING_TAGS,
            }[decision.reason]
        )
        severity = decision.severity
        if kind in (FindingKind.TAG_REMOVED, FindingKind.MEMBER_ROLE_UNAVAILABLE):
            severity = Severity.HIGH
        elif decision.reason is None:
            severity = (
                Severity.MEDIUM
                if kind in (FindingKind.CANNOT_TAG, FindingKind.ENFORCEMENT_ERROR)
                else Severity.LOW
            )
        return cls(
            kind=kind,
            severity=severity,
            evidence=decision.evidence,
            proposed_tags=dict(decision.missing_tags or decision.expected_tags),
            found_tags={k: found for k, (found, _) in decision.conflicting_tags.items()},
            proposed_domain_arn=decision.proposed_domain_arn,
            **context,
        )

    @property
    def domains(self) -> list[str]:
        """Domains the finding concerns; ["none"] since SNS attribute values cannot be empty."""
        found = self.found_tags.get(DOMAIN_TAG)
        involved = [d for d in (self.proposed_domain_arn, found) if d]
        return list(dict.fromkeys(involved)) or ["none"]

    @property
    def dedup_key(self) -> str:
        if self.kind in ACCOUNT_FINDING_KINDS:
            return f"account#{self.account}#{self.kind}"
        return f"{self.resource_arn}#{self.kind}"

    def subject(self) -> str:
        label = resource_label(self.resource_type, self.resource_arn, self.evidence)
        text = f"[{self.severity.upper()}] SageMaker {self.kind}: {self.resource_type} {label}"
        # SNS subjects are ASCII without line breaks.
        ascii_text = text.encode("ascii", "replace").decode().replace("\n", " ")
        return ascii_text[:MAX_SUBJECT_LENGTH]

    @property
    def actor(self) -> str:
        """Who made the call, in words a subscriber can act on."""
        if self.identity is None:
            return self.caller
        return describe_actor(self.identity, self.evidence)

    def links(self) -> dict[str, str | None]:
        console = sagemaker_console_url(self.resource_type, self.resource_arn)
        return {
            "cloudTrailEvent": cloudtrail_event_url(self.partition, self.region, self.event_id),
            "sageMakerConsole": console,
            **({} if console else {"sageMakerConsoleNote": NO_CONSOLE_PAGE}),
        }

    def fix(self) -> list[str]:
        """The commands an administrator runs once they decide (mismatch, unattributable,
        ambiguous); none for kinds the enforcer fixes itself or that need no tag."""
        if self.kind not in _TAG_FIX_KINDS:
            return []
        return fix_commands(self.resource_arn, self.proposed_tags, self.found_tags)

    def body(self) -> dict[str, Any]:
        what, todo = _EXPLANATIONS[self.kind]
        body: dict[str, Any] = {
            "kind": self.kind,
            "severity": self.severity.value,
            "summary": what,
            "recommendedAction": todo,
            "resourceArn": self.resource_arn,
            "resourceType": self.resource_type,
            "resource": resource_label(self.resource_type, self.resource_arn, self.evidence),
            "eventName": self.event_name,
            "eventTime": self.event_time,
            "eventId": self.event_id,
            "caller": self.caller,
            "actor": self.actor,
            "links": self.links(),
            "evidence": [evidence_to_dict(e) for e in self.evidence],
            "proposedDomainArn": self.proposed_domain_arn,
            "proposedTags": self.proposed_tags,
            "foundTags": self.found_tags,
            "mode": self.mode,
            "account": self.account,
            **({"accountName": self.account_name} if self.account_name else {}),
            "region": self.region,
            **self.extra,
        }
        commands = self.fix()
        if commands:
            body["fixCommands"] = commands
        bounded: dict[str, Any] = _bounded(body)
        return bounded

    def message_attributes(self) -> dict[str, dict[str, str]]:
        return {
            "kind": {"DataType": "String", "StringValue": self.kind},
            "severity": {"DataType": "String", "StringValue": self.severity.value},
            # Every domain involved: a spoofed tag concerns the rightful domain and the
            # one named in the tag. A String.Array matches a filter policy on any element
            # (SNS Developer Guide, "Subscription filter policies").
            "domain": {"DataType": "String.Array", "StringValue": json.dumps(self.domains)},
            "resourceType": {"DataType": "String", "StringValue": self.resource_type},
        }


def _bounded(value: Any) -> Any:
    """The same structure with every string cut to MAX_VALUE_CHARACTERS."""
    if isinstance(value, str):
        if len(value) <= MAX_VALUE_CHARACTERS:
            return value
        cut = len(value) - MAX_VALUE_CHARACTERS
        return f"{value[:MAX_VALUE_CHARACTERS]}... ({cut} more characters cut)"
    if isinstance(value, dict):
        return {_bounded(k): _bounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_bounded(v) for v in value]
    return value


def _studio_owner_kind(evidence: tuple[Evidence, ...]) -> str:
    """Whether the structural evidence names a profile or a space (an app ARN does not say)."""
    for entry in evidence:
        if "UserProfileName" in entry.fields:
            return "profile"
        if "SpaceName" in entry.fields:
            return "space"
    return "profile or space"


def resource_label(resource_type: str, resource_arn: str, evidence: tuple[Evidence, ...]) -> str:
    """The resource as a person names it: an app with its type, owner and domain.

    App ARNs are app/<domain>/<profile or space>/<app type>/<app name>; profile and
    space ARNs are user-profile|space/<domain>/<name> (SageMaker API reference).
    """
    try:
        path = Arn.parse(resource_arn).resource_path
    except InvalidArnError:
        return resource_arn.rsplit("/", 1)[-1]
    if resource_type == "App" and len(path) == 4:
        domain, owner, app_type, name = path
        return f"{name} ({app_type}, {_studio_owner_kind(evidence)} {owner}, {domain})"
    if resource_type in ("UserProfile", "Space") and len(path) == 2:
        return f"{path[1]} (domain {path[0]})"
    return path[-1] if path else resource_arn


def _session_name(principal_arn: str | None) -> str | None:
    # arn:aws:sts::<account>:assumed-role/<role>/<session> (IAM User Guide, "IAM identifiers")
    try:
        arn = Arn.parse(principal_arn or "")
    except InvalidArnError:
        return None
    kind, _, rest = arn.resource.partition("/")
    if arn.service == "sts" and kind == "assumed-role" and "/" in rest:
        return rest.split("/", 1)[1]
    return None


def _shared_role_note(evidence: tuple[Evidence, ...]) -> str:
    """What the caller-role evidence says when the role is not one profile's own."""
    for entry in evidence:
        if entry.rule != "caller-role":
            continue
        # One candidate "domain / member" is a profile's own role; anything else is shared.
        if len(entry.candidates) == 1 and " / " in entry.candidates[0]:
            return ""
        return f"; the role is shared, so it does not name one person: {entry.conclusion}"
    return ""


def describe_actor(identity: CallerEvidence, evidence: tuple[Evidence, ...] = ()) -> str:
    """The caller as CloudTrail names it: session, source identity, IAM user or service.

    CloudTrail User Guide, "CloudTrail userIdentity element": an assumed role's `arn` is
    the session (role and session name), `sourceIdentity` what the caller set (Studio sets
    the profile name), `userName` an IAM user's name, `invokedBy` the service acting.
    """
    parts: list[str] = []
    kind = identity.principal_type or ""
    session = _session_name(identity.principal_arn)
    if kind == "AssumedRole" or session:
        role = (identity.session_issuer_arn or "").rsplit("/", 1)[-1] or "an unknown role"
        parts.append(
            f"{identity.principal_arn or 'an assumed role'} (role {role}"
            + (f", session {session})" if session else ")")
        )
    elif kind == "IAMUser":
        name = identity.user_name or (identity.principal_arn or "").rsplit("/", 1)[-1]
        parts.append(f"IAM user {name} ({identity.principal_arn or 'no ARN recorded'})")
    elif kind == "Root":
        parts.append(f"the account's root user ({identity.principal_arn or 'no ARN recorded'})")
    elif kind == "AWSService":
        parts.append(f"the AWS service {identity.invoked_by or 'that made the call'}")
    else:
        parts.append(identity.principal_arn or identity.user_name or kind or "an unknown caller")
    if identity.source_identity:
        parts.append(f"source identity {identity.source_identity}")
    if identity.invoked_by and kind != "AWSService":
        parts.append(f"through {identity.invoked_by}")
    return ", ".join(parts) + _shared_role_note(evidence)


class AlertSink(Protocol):
    def publish(self, finding: Finding) -> None: ...


class DeduplicatedAlertPublisher:
    """Publishes each (resource, kind) once per window: redeliveries and re-sweeps stay quiet.

    Built on the Powertools idempotency utility: the first publish of a key writes a
    record to DynamoDB that expires after the window; a publish that raises removes
    it again, so a failed alert is retried, never lost.
    """

    def __init__(
        self,
        inner: AlertSink,
        persistence: BasePersistenceLayer,
        window_seconds: int,
        account_window_seconds: int = ACCOUNT_WINDOW_SECONDS,
    ) -> None:
        self._inner = inner
        self._pending: Finding | None = None
        self.config = IdempotencyConfig(
            event_key_jmespath="dedup_key",
            expires_after_seconds=window_seconds,
            raise_on_no_idempotency_key=True,
        )
        # Account-wide findings (ACCOUNT_FINDING_KINDS) have their own, hourly, window.
        self.account_config = IdempotencyConfig(
            event_key_jmespath="dedup_key",
            expires_after_seconds=account_window_seconds,
            raise_on_no_idempotency_key=True,
        )
        self._publish_once = idempotent_function(
            data_keyword_argument="alert", persistence_store=persistence, config=self.config
        )(self._send)
        self._publish_once_an_hour = idempotent_function(
            data_keyword_argument="alert",
            persistence_store=persistence,
            config=self.account_config,
        )(self._send_account_finding)

    def register_lambda_context(self, context: Any) -> None:
        """Idempotency records expire with the invocation if it times out mid-publish."""
        self.config.register_lambda_context(context)
        self.account_config.register_lambda_context(context)

    def _send(self, alert: dict[str, str]) -> dict[str, str]:
        assert self._pending is not None
        self._inner.publish(self._pending)
        return {"published": alert["dedup_key"]}

    def _send_account_finding(self, alert: dict[str, str]) -> dict[str, str]:
        return self._send(alert)

    def publish(self, finding: Finding) -> None:
        self._pending = finding
        publish = (
            self._publish_once_an_hour
            if finding.kind in ACCOUNT_FINDING_KINDS
            else self._publish_once
        )
        try:
            publish(alert={"dedup_key": finding.dedup_key})
        finally:
            self._pending = None
