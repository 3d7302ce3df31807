"""The domain directory: which domains, user profiles and spaces exist, and which roles they use.

Built from SageMaker List/Describe calls, cached in memory with a TTL and
invalidated by directory events (Create/Update/Delete Domain, UserProfile, Space).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

RoleKey = tuple[str, str]  # (account, role name): see arns.role_key


@dataclass(frozen=True)
class DomainEntry:
    domain_id: str
    domain_arn: str
    name: str
    default_role: RoleKey | None
    default_space_role: RoleKey | None
    # ExecutionRoleIdentityConfig=USER_PROFILE_NAME makes Studio set the STS
    # source identity to the profile name (SageMaker API reference, DomainSettings).
    source_identity_is_profile_name: bool


@dataclass(frozen=True)
class UserProfileEntry:
    domain_id: str
    name: str
    arn: str
    execution_role: RoleKey | None  # the profile's own role, else the domain default


@dataclass(frozen=True)
class SpaceEntry:
    domain_id: str
    name: str
    arn: str


@dataclass(frozen=True)
class DomainDirectory:
    domains: tuple[DomainEntry, ...] = ()
    user_profiles: tuple[UserProfileEntry, ...] = ()
    spaces: tuple[SpaceEntry, ...] = ()
    loaded_at: float = 0.0
    _domains_by_id: dict[str, DomainEntry] = field(init=False, repr=False, compare=False)
    _domains_by_arn: dict[str, DomainEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_domains_by_id", {d.domain_id: d for d in self.domains})
        object.__setattr__(self, "_domains_by_arn", {d.domain_arn: d for d in self.domains})

    def domain(self, domain_id: str) -> DomainEntry | None:
        return self._domains_by_id.get(domain_id)

    def domain_by_arn(self, domain_arn: str) -> DomainEntry | None:
        return self._domains_by_arn.get(domain_arn)

    def user_profile(self, domain_id: str, name: str) -> UserProfileEntry | None:
        return next(
            (p for p in self.user_profiles if p.domain_id == domain_id and p.name == name), None
        )

    def user_profile_by_arn(self, arn: str) -> UserProfileEntry | None:
        return next((p for p in self.user_profiles if p.arn == arn), None)

    def space(self, domain_id: str, name: str) -> SpaceEntry | None:
        return next((s for s in self.spaces if s.domain_id == domain_id and s.name == name), None)

    def space_by_arn(self, arn: str) -> SpaceEntry | None:
        return next((s for s in self.spaces if s.arn == arn), None)

    def user_profiles_acting_as(self, role: RoleKey) -> list[UserProfileEntry]:
        """Profiles whose effective execution role is `role`."""
        return [p for p in self.user_profiles if p.execution_role == role]

    def domains_using_role(self, role: RoleKey) -> list[DomainEntry]:
        """Domains in which `role` is the default, a space default or any profile's role."""
        ids = {p.domain_id for p in self.user_profiles_acting_as(role)}
        ids.update(
            d.domain_id for d in self.domains if role in (d.default_role, d.default_space_role)
        )
        return [d for d in self.domains if d.domain_id in ids]


class CachedDirectory:
    """A DomainDirectory kept for `ttl_seconds`, reloaded on expiry, invalidation or a miss."""

    def __init__(
        self,
        load: Callable[[float], DomainDirectory],
        ttl_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        min_refresh_interval_seconds: float = 30.0,
    ) -> None:
        self._load = load
        self._ttl = ttl_seconds
        self._clock = clock
        self._min_refresh_interval = min_refresh_interval_seconds
        self._current: DomainDirectory | None = None

    def get(self) -> DomainDirectory:
        now = self._clock()
        if self._current is None or now - self._current.loaded_at >= self._ttl:
            self._current = self._load(now)
        return self._current

    def invalidate(self) -> None:
        self._current = None

    def refresh_after_miss(self) -> DomainDirectory | None:
        """Reload once when a look-up found nothing, unless the copy is already fresh.

        A profile created seconds ago is the usual cause of a miss; the interval
        stops a stream of unattributable events from reloading on every record.
        """
        now = self._clock()
        if self._current is not None and now - self._current.loaded_at < self._min_refresh_interval:
            return None
        self._current = self._load(now)
        return self._current
