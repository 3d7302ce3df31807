"""Every environment variable, tag key and mode the enforcer reads, named once."""

from __future__ import annotations

import os
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
        )


def _whole_seconds(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, str(default)).strip()
    # isdecimal() alone accepts non-ASCII digits that int() may still refuse.
    if not (text.isascii() and text.isdecimal()):
        raise ValueError(f"{name}={text!r} must be whole seconds")
    return int(text)
