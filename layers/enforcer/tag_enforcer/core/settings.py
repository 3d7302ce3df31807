"""Every environment variable, tag key and mode the enforcer reads, named once."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

ENV_MODE = "ENFORCEMENT_MODE"
ENV_ALERT_TOPIC_ARN = "ALERT_TOPIC_ARN"
ENV_EXCLUDED_TYPES = "EXCLUDED_RESOURCE_TYPES"
ENV_DIRECTORY_TTL_SECONDS = "DIRECTORY_TTL_SECONDS"
ENV_ALERT_DEDUP_TABLE = "ALERT_DEDUP_TABLE_NAME"
ENV_ALERT_WINDOW_SECONDS = "ALERT_WINDOW_SECONDS"
ENV_ADMIN_RULES_PATH = "ADMIN_RULES_PATH"
ENV_OWN_ROLE_ARNS = "OWN_ROLE_ARNS"
ENV_DIRECTORY_TABLE = "DIRECTORY_TABLE_NAME"
ENV_AUDIT_MISSING_TAG_ALERTS = "AUDIT_MISSING_TAG_ALERTS"
# Organization mode (README "Deploy to an AWS Organization"); empty in a single account.
ENV_ORGANIZATION_ID = "ORGANIZATION_ID"
ENV_MEMBER_ROLE_NAME = "MEMBER_ROLE_NAME"
ENV_DEPLOYMENT_ACCOUNT_ID = "DEPLOYMENT_ACCOUNT_ID"
ENV_ORGANIZATION_READ_ROLE_ARN = "ORGANIZATION_READ_ROLE_ARN"
# Set by Lambda itself (Lambda Developer Guide, "Defined runtime environment variables").
ENV_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME"

# An organization id is "o-" and 10 to 32 lower-case letters or digits; a role name is 1-64
# characters of [\w+=,.@-] (Organizations API reference, Organization.Id; IAM API
# reference, CreateRole.RoleName). A role session name is 2-64 characters of the same set
# (STS API reference, AssumeRole.RoleSessionName).
_ORGANIZATION_ID = re.compile(r"^o-[a-z0-9]{10,32}$")
_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
_SESSION_NAME_CHARACTERS = re.compile(r"[^\w+=,.@-]")
MAX_SESSION_NAME_LENGTH = 64


class EnforcementMode(StrEnum):
    """`audit` only reports; `tag` also adds missing tags."""

    AUDIT = "audit"
    TAG = "tag"


class MissingTagAlerts(StrEnum):
    """How audit mode reports resources it would have tagged (template AuditMissingTagAlerts).

    `digest`: counted in the sweep's one digest (and its report), no alert each;
    `single`: one low-severity `missing-tags` alert per resource, as well.
    """

    DIGEST = "digest"
    SINGLE = "single"


@dataclass(frozen=True)
class OrganizationSettings:
    """One deployment for an AWS Organization: the member role it assumes in other accounts.

    Events and sweeps in `deployment_account` use the functions' own role; in any other
    account, the member role the member template creates there.
    """

    organization_id: str
    member_role_name: str
    deployment_account: str
    # Organizations is read through this role (in the management or a delegated
    # administrator account), or with the functions' own role when it is None.
    read_role_arn: str | None = None
    # Who the member account's CloudTrail shows acting: the function's name.
    session_name: str = "tag-enforcer"

    def member_role_arn(self, partition: str, account: str) -> str:
        return f"arn:{partition}:iam::{account}:role/{self.member_role_name}"

    def is_member(self, account: str) -> bool:
        """True for an account whose calls go through the member role."""
        return account != self.deployment_account

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> OrganizationSettings | None:
        """None in a single-account deployment (MEMBER_ROLE_NAME empty)."""
        role_name = env.get(ENV_MEMBER_ROLE_NAME, "").strip()
        if not role_name:
            return None
        organization_id = env.get(ENV_ORGANIZATION_ID, "").strip()
        account = env.get(ENV_DEPLOYMENT_ACCOUNT_ID, "").strip()
        if not _ORGANIZATION_ID.match(organization_id):
            raise ValueError(
                f"{ENV_ORGANIZATION_ID}={organization_id!r} is not an organization id "
                "(o- and 10 to 32 letters or digits, see `aws organizations describe-organization`)"
            )
        if not _ROLE_NAME.match(role_name):
            raise ValueError(f"{ENV_MEMBER_ROLE_NAME}={role_name!r} is not an IAM role name")
        if not (account.isascii() and account.isdigit() and len(account) == 12):
            raise ValueError(
                f"{ENV_DEPLOYMENT_ACCOUNT_ID}={account!r} is not a 12-digit account id"
            )
        return cls(
            organization_id=organization_id,
            member_role_name=role_name,
            deployment_account=account,
            read_role_arn=env.get(ENV_ORGANIZATION_READ_ROLE_ARN, "").strip() or None,
            session_name=session_name(env.get(ENV_FUNCTION_NAME, "") or "tag-enforcer"),
        )


def session_name(text: str) -> str:
    """A valid AssumeRole session name made of `text` (2 to 64 allowed characters)."""
    cleaned = _SESSION_NAME_CHARACTERS.sub("-", text)[:MAX_SESSION_NAME_LENGTH]
    return cleaned if len(cleaned) >= 2 else "tag-enforcer"


@dataclass(frozen=True)
class EnforcerSettings:
    """Typed view of the function's configuration; explicit arguments beat the environment."""

    mode: EnforcementMode = EnforcementMode.AUDIT
    alert_topic_arn: str | None = None
    excluded_types: frozenset[str] = field(default_factory=frozenset)
    directory_ttl_seconds: int = 300
    alert_dedup_table: str | None = None
    alert_window_seconds: int = 86_400
    admin_rules_path: str | None = None
    # The enforcer's own roles: their tag writes are not tag-integrity events.
    own_role_arns: frozenset[str] = field(default_factory=frozenset)
    # The shared directory snapshot (one partition per account and region); without it
    # each container reads the directory from SageMaker itself.
    directory_table: str | None = None
    audit_missing_tag_alerts: MissingTagAlerts = MissingTagAlerts.DIGEST
    # Organization mode; None in a single-account deployment.
    organization: OrganizationSettings | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> EnforcerSettings:
        env = os.environ if environ is None else environ
        raw_mode = env.get(ENV_MODE, EnforcementMode.AUDIT.value).strip().lower()
        try:
            mode = EnforcementMode(raw_mode)
        except ValueError as error:
            raise ValueError(
                f"{ENV_MODE}={raw_mode!r} is not a mode; use 'audit' or 'tag'"
            ) from error
        raw_grouping = env.get(ENV_AUDIT_MISSING_TAG_ALERTS, MissingTagAlerts.DIGEST.value)
        try:
            grouping = MissingTagAlerts(raw_grouping.strip().lower())
        except ValueError as error:
            raise ValueError(
                f"{ENV_AUDIT_MISSING_TAG_ALERTS}={raw_grouping!r} must be 'digest' or 'single'"
            ) from error
        excluded = frozenset(
            name.strip() for name in env.get(ENV_EXCLUDED_TYPES, "").split(",") if name.strip()
        )
        return cls(
            mode=mode,
            alert_topic_arn=env.get(ENV_ALERT_TOPIC_ARN) or None,
            excluded_types=excluded,
            directory_ttl_seconds=_whole_seconds(env, ENV_DIRECTORY_TTL_SECONDS, 300),
            alert_dedup_table=env.get(ENV_ALERT_DEDUP_TABLE) or None,
            alert_window_seconds=_whole_seconds(env, ENV_ALERT_WINDOW_SECONDS, 86_400),
            admin_rules_path=env.get(ENV_ADMIN_RULES_PATH) or None,
            directory_table=env.get(ENV_DIRECTORY_TABLE) or None,
            audit_missing_tag_alerts=grouping,
            own_role_arns=frozenset(
                arn.strip() for arn in env.get(ENV_OWN_ROLE_ARNS, "").split(",") if arn.strip()
            ),
            organization=OrganizationSettings.from_environment(env),
        )


def _whole_seconds(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, str(default)).strip()
    # isdecimal() alone accepts non-ASCII digits that int() may still refuse.
    if not (text.isascii() and text.isdecimal()):
        raise ValueError(f"{name}={text!r} must be whole seconds")
    return int(text)
