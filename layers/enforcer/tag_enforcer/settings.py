"""Every environment variable, tag key and mode the enforcer reads, named once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum

# Tag keys SageMaker itself writes on resources created from inside Studio
# (SageMaker Developer Guide, "Domain resource isolation").
DOMAIN_TAG = "sagemaker:domain-arn"
USER_PROFILE_TAG = "sagemaker:user-profile-arn"
SPACE_TAG = "sagemaker:space-arn"
ENFORCED_TAG_KEYS = (DOMAIN_TAG, USER_PROFILE_TAG, SPACE_TAG)

ENV_MODE = "ENFORCEMENT_MODE"
ENV_ALERT_TOPIC_ARN = "ALERT_TOPIC_ARN"
ENV_EXCLUDED_TYPES = "EXCLUDED_RESOURCE_TYPES"
ENV_DIRECTORY_TTL_SECONDS = "DIRECTORY_TTL_SECONDS"


class EnforcementMode(StrEnum):
    """`audit` only reports; `tag` also adds missing tags."""

    AUDIT = "audit"
    TAG = "tag"


@dataclass(frozen=True)
class EnforcerSettings:
    """Typed view of the function's configuration; explicit arguments beat the environment."""

    mode: EnforcementMode = EnforcementMode.AUDIT
    alert_topic_arn: str | None = None
    excluded_types: frozenset[str] = field(default_factory=frozenset)
    directory_ttl_seconds: int = 300

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> EnforcerSettings:
        env = os.environ if environ is None else environ
        raw_mode = env.get(ENV_MODE, EnforcementMode.AUDIT.value).strip().lower()
        try:
            mode = EnforcementMode(raw_mode)
        except ValueError as error:
            raise ValueError(
                f"{ENV_MODE}={raw_mode!r} is not a mode; use 'audit' or 'tag'"
            ) from error
        excluded = frozenset(
            name.strip() for name in env.get(ENV_EXCLUDED_TYPES, "").split(",") if name.strip()
        )
        ttl_text = env.get(ENV_DIRECTORY_TTL_SECONDS, "300")
        if not ttl_text.isdigit():
            raise ValueError(f"{ENV_DIRECTORY_TTL_SECONDS}={ttl_text!r} must be whole seconds")
        return cls(
            mode=mode,
            alert_topic_arn=env.get(ENV_ALERT_TOPIC_ARN) or None,
            excluded_types=excluded,
            directory_ttl_seconds=int(ttl_text),
        )
