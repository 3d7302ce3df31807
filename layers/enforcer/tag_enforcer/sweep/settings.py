"""What a sweep run is asked to do, and the sweep function's environment, named once."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from tag_enforcer.core import registry
from tag_enforcer.core.registry.schema import ResourceType
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings, OrganizationSettings

ENV_CHECKPOINT_TABLE = "SWEEP_CHECKPOINT_TABLE"
ENV_REPORT_BUCKET = "SWEEP_REPORT_BUCKET"
ENV_MAX_CONCURRENCY = "SWEEP_MAX_CONCURRENCY"
ENV_SAFETY_MARGIN_SECONDS = "SWEEP_SAFETY_MARGIN_SECONDS"
ENV_DRY_RUN = "SWEEP_DRY_RUN"
ENV_LAG_WINDOW_SECONDS = "SWEEP_LAG_WINDOW_SECONDS"
DEFAULT_LAG_WINDOW_SECONDS = 15 * 60
# Organization mode (template parameters SweepAccountIds, SweepOrganizationalUnitId,
# SweepRegions, OrganizationSweepMaxConcurrency).
ENV_ACCOUNT_IDS = "SWEEP_ACCOUNT_IDS"
ENV_ORGANIZATIONAL_UNIT_ID = "SWEEP_ORGANIZATIONAL_UNIT_ID"
ENV_REGIONS = "SWEEP_REGIONS"
ENV_ORGANIZATION_MAX_CONCURRENCY = "ORGANIZATION_SWEEP_MAX_CONCURRENCY"

# Lambda stops a function after at most 900 seconds (Lambda Developer Guide, "Configure
# function timeout"). A slice stops taking new pages when less than this is left: one
# page is at most ~100 Describe calls and 5-10 TagResources calls, retried adaptively.
DEFAULT_SAFETY_MARGIN_SECONDS = 120.0
# A run whose last heartbeat is older than this is taken over by the next execution:
# longer than one Lambda invocation can live, so a live slice is never overtaken.
RUN_LEASE_SECONDS = 20 * 60
# Why a type with `iam_actions_published=False` is reported, not swept.
IAM_UNPUBLISHED_REASON = (
    "not swept: IAM publishes no List or Describe action for this type yet (Service "
    "Authorization Reference), so no policy can allow the calls; swept once it does"
)


class UnknownResourceTypeError(ValueError):
    """A type name on the command line or in the environment that the registry lacks."""


def closest_type_names(name: str, limit: int = 3) -> list[str]:
    """Registry names that look like `name` (a typo, a plural, another case), best first."""
    by_lower = {t.name.lower(): t.name for t in registry.RESOURCE_TYPES}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=limit, cutoff=0.6)
    return [by_lower[match] for match in close]


def resolve_types(names: tuple[str, ...]) -> tuple[ResourceType, ...]:
    """Registry entries for `names` (in any case), or every registered type when it is empty."""
    if not names:
        return registry.RESOURCE_TYPES
    known = {t.name.lower(): t for t in registry.RESOURCE_TYPES}
    unknown = [name for name in names if name.lower() not in known]
    if unknown:
        hints = []
        for name in unknown:
            close = closest_type_names(name)
            hints.append(f"{name}: did you mean {' or '.join(close)}?" if close else name)
        raise UnknownResourceTypeError(
            f"unknown resource type(s) {', '.join(unknown)} ({'; '.join(hints)}); registry "
            f"names are {', '.join(sorted(t.name for t in registry.RESOURCE_TYPES))}"
        )
    return tuple(dict.fromkeys(known[name.lower()] for name in names))


@dataclass(frozen=True)
class SweepOptions:
    """The mode and scope of one sweep. `audit` and dry runs change nothing."""

    mode: EnforcementMode = EnforcementMode.AUDIT
    dry_run: bool = False
    type_names: tuple[str, ...] = ()  # empty: every registered type
    excluded_types: frozenset[str] = field(default_factory=frozenset)
    # Describe List-enumerated resources that already carry a domain tag too, so a
    # spoofed tag is caught without its CloudTrail event. Costs one call per resource.
    verify_tagged: bool = False
    # Resources younger than this are left to the event path and the next sweep: the
    # Tagging API is eventually consistent, and their create event may be on its way.
    lag_window_seconds: float = DEFAULT_LAG_WINDOW_SECONDS

    @property
    def changes_tags(self) -> bool:
        return self.mode is EnforcementMode.TAG and not self.dry_run

    def selected_types(self) -> tuple[ResourceType, ...]:
        return tuple(t for t in resolve_types(self.type_names) if t.name not in self.excluded_types)

    def sweepable_types(self) -> tuple[ResourceType, ...]:
        """The selected types the sweep can call: not retired, and allowed by IAM."""
        return tuple(t for t in self.selected_types() if t.name not in self.unavailable_types())

    def unavailable_types(self) -> dict[str, str]:
        """Selected types the sweep does not call, with the reason the report gives."""
        reasons = {}
        for t in self.selected_types():
            if t.retired:
                reasons[t.name] = t.retired
            elif not t.iam_actions_published:
                reasons[t.name] = IAM_UNPUBLISHED_REASON
        return reasons


def _flag(environ: Mapping[str, str], name: str) -> bool:
    text = environ.get(name, "false").strip().lower()
    if text not in ("true", "false"):
        raise ValueError(f"{name}={text!r} must be 'true' or 'false'")
    return text == "true"


def _names(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))


@dataclass(frozen=True)
class OrganizationSweepSettings:
    """Which accounts and regions an organization sweep covers."""

    organization: OrganizationSettings
    # Explicit accounts; empty: the Organization's active accounts, through the read role.
    account_ids: tuple[str, ...] = ()
    # Only the accounts under this OU (or root) and the OUs below it.
    organizational_unit_id: str | None = None
    # Empty: the deployment's own region.
    regions: tuple[str, ...] = ()
    # Accounts x regions swept at once (the Distributed Map's MaxConcurrency).
    max_scopes: int = 10

    @classmethod
    def from_environment(
        cls, env: Mapping[str, str], organization: OrganizationSettings
    ) -> OrganizationSweepSettings:
        accounts = _names(env.get(ENV_ACCOUNT_IDS, ""))
        malformed = [a for a in accounts if not (a.isascii() and a.isdigit() and len(a) == 12)]
        if malformed:
            raise ValueError(f"{ENV_ACCOUNT_IDS}: {', '.join(malformed)} are not 12-digit ids")
        concurrency = env.get(ENV_ORGANIZATION_MAX_CONCURRENCY, "10").strip()
        if not concurrency.isdigit():
            raise ValueError(f"{ENV_ORGANIZATION_MAX_CONCURRENCY} must be a whole number")
        return cls(
            organization=organization,
            account_ids=accounts,
            organizational_unit_id=env.get(ENV_ORGANIZATIONAL_UNIT_ID, "").strip() or None,
            regions=_names(env.get(ENV_REGIONS, "")),
            max_scopes=max(1, int(concurrency)),
        )


@dataclass(frozen=True)
class SweepSettings:
    """Typed view of the sweep function's configuration; explicit arguments beat the environment."""

    options: SweepOptions
    alert_topic_arn: str | None
    checkpoint_table: str
    report_bucket: str
    max_concurrency: int = 3
    directory_table: str | None = None
    safety_margin_seconds: float = DEFAULT_SAFETY_MARGIN_SECONDS
    # Organization mode; None in a single-account deployment.
    organization: OrganizationSweepSettings | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> SweepSettings:
        env = os.environ if environ is None else environ
        enforcer = EnforcerSettings.from_environment(dict(env))
        missing = [n for n in (ENV_CHECKPOINT_TABLE, ENV_REPORT_BUCKET) if not env.get(n)]
        if missing:
            raise ValueError(f"the sweep function needs {', '.join(missing)} in its environment")
        concurrency = env.get(ENV_MAX_CONCURRENCY, "3")
        margin = env.get(ENV_SAFETY_MARGIN_SECONDS, str(int(DEFAULT_SAFETY_MARGIN_SECONDS)))
        lag = env.get(ENV_LAG_WINDOW_SECONDS, str(DEFAULT_LAG_WINDOW_SECONDS))
        if not (concurrency.isdigit() and margin.isdigit() and lag.isdigit()):
            raise ValueError(
                f"{ENV_MAX_CONCURRENCY}, {ENV_SAFETY_MARGIN_SECONDS} and "
                f"{ENV_LAG_WINDOW_SECONDS} must be whole numbers"
            )
        options = SweepOptions(
            mode=enforcer.mode,
            dry_run=_flag(env, ENV_DRY_RUN),
            lag_window_seconds=float(lag),
            excluded_types=enforcer.excluded_types,
        )
        return cls(
            options=options,
            alert_topic_arn=enforcer.alert_topic_arn,
            checkpoint_table=env[ENV_CHECKPOINT_TABLE],
            report_bucket=env[ENV_REPORT_BUCKET],
            max_concurrency=max(1, int(concurrency)),
            directory_table=enforcer.directory_table,
            safety_margin_seconds=float(margin),
            organization=OrganizationSweepSettings.from_environment(env, enforcer.organization)
            if enforcer.organization is not None
            else None,
        )
