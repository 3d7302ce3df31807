"""The domain directory: which domains, user profiles and spaces exist, since when, and their roles.

It answers the questions attribution asks ("which owners does role R name at time T",
"which profiles are named N") for one account and region. It remembers when each
domain, profile and space was created, and keeps tombstones of deleted ones, so that
a decision about an event looks at the directory as it stood at the event's time:
a profile created after the event, or one deleted before it, is never a candidate,
and a deleted profile is never replaced by the profile that holds its role now.

Entries come from SageMaker's List/Describe calls (`tag_enforcer.aws.sagemaker_directory`),
are kept as one snapshot per account and region (`DirectorySnapshotStore`), and are
changed entry by entry by directory events (`DirectoryChange`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Protocol

from tag_enforcer.core.arns import role_key

RoleKey = tuple[str, str]  # (account, role name): see arns.role_key
Instant = float  # seconds since the epoch, UTC

# CloudTrail's eventTime has whole seconds while CreationTime has fractions; a resource
# made in the same second as its owner must still see it.
CLOCK_GRACE_SECONDS = 1.0
# Tombstones outlive the enforce queue's retention (4 days), so a record delivered late
# still finds the owner it was created by (template.yaml, EnforceQueue).
TOMBSTONE_RETENTION_SECONDS = 5 * 24 * 3600
# A miss reads all of SageMaker (1 + domains + profiles calls) only when the shared
# snapshot is older than this: at 20 domains and 2,000 profiles, a full read every few
# seconds would throttle the account's SageMaker API.
FULL_READ_ON_MISS_AFTER_SECONDS = 15 * 60


def _existed(created_at: Instant | None, deleted_at: Instant | None, at: Instant | None) -> bool:
    """Whether something created at `created_at` and deleted at `deleted_at` existed `at`.

    An unknown creation time means "before anything we judge"; `at` None means now.
    """
    if at is None:
        return deleted_at is None
    if created_at is not None and created_at > at + CLOCK_GRACE_SECONDS:
        return False
    return deleted_at is None or deleted_at > at


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
    created_at: Instant | None = None
    deleted_at: Instant | None = None

    def existed_at(self, at: Instant | None) -> bool:
        return _existed(self.created_at, self.deleted_at, at)


@dataclass(frozen=True)
class UserProfileEntry:
    domain_id: str
    name: str
    arn: str
    # The profile's effective role: its own UserSettings.ExecutionRole, else the domain's.
    execution_role: RoleKey | None
    created_at: Instant | None = None
    deleted_at: Instant | None = None

    def existed_at(self, at: Instant | None) -> bool:
        return _existed(self.created_at, self.deleted_at, at)


@dataclass(frozen=True)
class SpaceEntry:
    """A space. Spaces have no execution role of their own (botocore DescribeSpace): a
    shared space runs as the domain's default space role, a private one as its owner's."""

    domain_id: str
    name: str
    arn: str
    created_at: Instant | None = None
    deleted_at: Instant | None = None
    owner_profile_name: str | None = None  # OwnershipSettings.OwnerUserProfileName

    def existed_at(self, at: Instant | None) -> bool:
        return _existed(self.created_at, self.deleted_at, at)


@dataclass(frozen=True)
class RoleUse:
    """One place a role is configured: a domain's default (or default space) role, or a
    profile's own role. Profiles that merely inherit the domain default are not uses."""

    domain: DomainEntry
    profile: UserProfileEntry | None = None


def _lower(text: str) -> str:
    return text.lower()


@dataclass(frozen=True)
class DomainDirectory:
    domains: tuple[DomainEntry, ...] = ()
    user_profiles: tuple[UserProfileEntry, ...] = ()
    spaces: tuple[SpaceEntry, ...] = ()
    loaded_at: float = 0.0
    _domains_by_id: dict[str, DomainEntry] = field(init=False, repr=False, compare=False)
    _domains_by_arn: dict[str, DomainEntry] = field(init=False, repr=False, compare=False)
    _profiles_by_key: dict[tuple[str, str], UserProfileEntry] = field(
        init=False, repr=False, compare=False
    )
    _profiles_by_arn: dict[str, UserProfileEntry] = field(init=False, repr=False, compare=False)
    _profiles_by_name: dict[str, list[UserProfileEntry]] = field(
        init=False, repr=False, compare=False
    )
    _spaces_by_key: dict[tuple[str, str], SpaceEntry] = field(init=False, repr=False, compare=False)
    _spaces_by_arn: dict[str, SpaceEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name: dict[str, list[UserProfileEntry]] = {}
        for profile in self.user_profiles:
            by_name.setdefault(profile.name, []).append(profile)
        indexes = {
            "_domains_by_id": {d.domain_id: d for d in self.domains},
            "_domains_by_arn": {_lower(d.domain_arn): d for d in self.domains},
            "_profiles_by_key": {(p.domain_id, p.name): p for p in self.user_profiles},
            "_profiles_by_arn": {_lower(p.arn): p for p in self.user_profiles},
            "_profiles_by_name": by_name,
            "_spaces_by_key": {(s.domain_id, s.name): s for s in self.spaces},
            "_spaces_by_arn": {_lower(s.arn): s for s in self.spaces},
        }
        for name, index in indexes.items():
            object.__setattr__(self, name, index)

    def entries(self) -> list[DomainEntry | UserProfileEntry | SpaceEntry]:
        return [*self.domains, *self.user_profiles, *self.spaces]

    # --- look-ups, tombstones included: ask `existed_at` -----------------------------

    def domain(self, domain_id: str) -> DomainEntry | None:
        return self._domains_by_id.get(domain_id)

    def domain_by_arn(self, domain_arn: str) -> DomainEntry | None:
        return self._domains_by_arn.get(_lower(domain_arn))

    def user_profile(self, domain_id: str, name: str) -> UserProfileEntry | None:
        return self._profiles_by_key.get((domain_id, name))

    def user_profile_by_arn(self, arn: str) -> UserProfileEntry | None:
        return self._profiles_by_arn.get(_lower(arn))

    def user_profiles_named(self, name: str) -> list[UserProfileEntry]:
        """Profiles of every domain with this name; names are unique only within a domain."""
        return list(self._profiles_by_name.get(name, []))

    def space(self, domain_id: str, name: str) -> SpaceEntry | None:
        return self._spaces_by_key.get((domain_id, name))

    def space_by_arn(self, arn: str) -> SpaceEntry | None:
        return self._spaces_by_arn.get(_lower(arn))

    # --- roles ------------------------------------------------------------------------

    def own_role(self, profile: UserProfileEntry) -> RoleKey | None:
        """The profile's explicitly set role: its role when that is not the domain default."""
        domain = self.domain(profile.domain_id)
        if profile.execution_role is None or (
            domain is not None and profile.execution_role == domain.default_role
        ):
            return None
        return profile.execution_role

    def role_uses(self, role: RoleKey, at: Instant | None = None) -> list[RoleUse]:
        """Where `role` is configured, among what existed `at` (None: now)."""
        uses = [
            RoleUse(d)
            for d in self.domains
            if d.existed_at(at) and role in (d.default_role, d.default_space_role)
        ]
        for profile in self.user_profiles:
            domain = self.domain(profile.domain_id)
            if (
                domain is not None
                and profile.existed_at(at)
                and domain.existed_at(at)
                and self.own_role(profile) == role
            ):
                uses.append(RoleUse(domain, profile))
        return uses

    def can_act_as(self, profile: UserProfileEntry, role: RoleKey) -> bool:
        """Whether a Studio session of `profile` can run as `role`: its own (or inherited)
        role, or, in a space of its domain, the domain's default space role."""
        domain = self.domain(profile.domain_id)
        return role == profile.execution_role or (
            domain is not None and role == domain.default_space_role
        )

    def knows_role(self, role: RoleKey) -> bool:
        return bool(self.role_uses(role)) or any(
            p.execution_role == role for p in self.user_profiles
        )

    # --- legacy helpers, kept for the callers that only need "now" -------------------

    def user_profiles_acting_as(self, role: RoleKey) -> list[UserProfileEntry]:
        """Profiles (alive now) whose effective execution role is `role`."""
        return [p for p in self.user_profiles if p.deleted_at is None and p.execution_role == role]

    def domains_using_role(self, role: RoleKey) -> list[DomainEntry]:
        """Domains (alive now) in which `role` is the default, a space default or a profile's."""
        ids = {u.domain.domain_id for u in self.role_uses(role)}
        ids.update(p.domain_id for p in self.user_profiles_acting_as(role))
        return [d for d in self.domains if d.domain_id in ids and d.deleted_at is None]

    # --- change -----------------------------------------------------------------------

    def with_entry(self, entry: DomainEntry | UserProfileEntry | SpaceEntry) -> DomainDirectory:
        """This directory with one entry added or replaced (a tombstone is an entry too)."""
        if isinstance(entry, DomainEntry):
            domains = (*(d for d in self.domains if d.domain_id != entry.domain_id), entry)
            return replace(self, domains=domains)
        if isinstance(entry, UserProfileEntry):
            profiles = (
                *(
                    p
                    for p in self.user_profiles
                    if (p.domain_id, p.name) != (entry.domain_id, entry.name)
                ),
                entry,
            )
            return replace(self, user_profiles=profiles)
        spaces = (
            *(s for s in self.spaces if (s.domain_id, s.name) != (entry.domain_id, entry.name)),
            entry,
        )
        return replace(self, spaces=spaces)

    def superseded_by(self, fresh: DomainDirectory, now: Instant) -> DomainDirectory:
        """`fresh` (a full reload) with tombstones for what this one had and `fresh` lacks.

        The deletion time is unknown: the entry existed at our last load and is gone at
        `now`. It is taken as `now`, so the entry still blocks substitutes for events of
        that window; its ARN is never written, since it no longer exists.
        """
        keep_after = now - TOMBSTONE_RETENTION_SECONDS
        domains = {d.domain_id: d for d in fresh.domains}
        profiles = {(p.domain_id, p.name): p for p in fresh.user_profiles}
        spaces = {(s.domain_id, s.name): s for s in fresh.spaces}
        for d in self.domains:
            if d.domain_id not in domains:
                domains[d.domain_id] = d if d.deleted_at is not None else replace(d, deleted_at=now)
        for p in self.user_profiles:
            if (p.domain_id, p.name) not in profiles:
                profiles[(p.domain_id, p.name)] = (
                    p if p.deleted_at is not None else replace(p, deleted_at=now)
                )
        for s in self.spaces:
            if (s.domain_id, s.name) not in spaces:
                spaces[(s.domain_id, s.name)] = (
                    s if s.deleted_at is not None else replace(s, deleted_at=now)
                )

        def recent(entries: Iterable[Any]) -> tuple[Any, ...]:
            return tuple(e for e in entries if e.deleted_at is None or e.deleted_at > keep_after)

        return DomainDirectory(
            recent(domains.values()),
            recent(profiles.values()),
            recent(spaces.values()),
            loaded_at=fresh.loaded_at,
        )


# --------------------------------------------------------------------------------------
# Directory events: one entry changes
# --------------------------------------------------------------------------------------


class DirectoryKind(StrEnum):
    DOMAIN = "Domain"
    USER_PROFILE = "UserProfile"
    SPACE = "Space"


@dataclass(frozen=True)
class DirectoryChange:
    """What a Create/Update/Delete Domain|UserProfile|Space event changed, and when."""

    kind: DirectoryKind
    verb: str  # "Create", "Update" or "Delete"
    domain_id: str
    name: str | None  # the profile or space name; None for a domain
    at: Instant


class DirectoryReader(Protocol):
    """SageMaker's view: the whole directory, or one entry as it is now (None: gone)."""

    def read_all(self, now: Instant) -> DomainDirectory: ...

    def read_entry(
        self, change: DirectoryChange, directory: DomainDirectory
    ) -> DomainEntry | UserProfileEntry | SpaceEntry | None: ...


class DirectorySnapshotStore(Protocol):
    """The shared snapshot of one account and region (one DynamoDB partition)."""

    def load(self) -> DomainDirectory | None: ...

    def save(self, directory: DomainDirectory) -> None: ...

    def save_entry(self, entry: DomainEntry | UserProfileEntry | SpaceEntry) -> None: ...


def _tombstone(
    change: DirectoryChange, directory: DomainDirectory
) -> DomainEntry | UserProfileEntry | SpaceEntry | None:
    """The entry `change` deletes, marked deleted at the event's time."""
    if change.kind is DirectoryKind.DOMAIN:
        found: DomainEntry | UserProfileEntry | SpaceEntry | None = directory.domain(
            change.domain_id
        )
    elif change.kind is DirectoryKind.USER_PROFILE:
        found = directory.user_profile(change.domain_id, change.name or "")
    else:
        found = directory.space(change.domain_id, change.name or "")
    if found is None or found.deleted_at is not None:
        return found
    return replace(found, deleted_at=change.at)


class CachedDirectory:
    """The directory of one account and region, as attribution reads it on the event path.

    Reads come from the shared snapshot (`store`: at most two calls), kept in memory for
    `ttl_seconds`. A full SageMaker read (1 + domains + profiles calls) happens only
    when the snapshot is missing or older than `full_read_after_seconds`, and then it is
    written back for every other container. Directory events change one entry: one
    Describe, one write.
    """

    def __init__(
        self,
        reader: DirectoryReader,
        ttl_seconds: float,
        *,
        store: DirectorySnapshotStore | None = None,
        clock: Callable[[], float] = time.time,
        min_refresh_interval_seconds: float = 30.0,
        full_read_after_seconds: float = 24 * 3600,
        full_read_on_miss_after_seconds: float = FULL_READ_ON_MISS_AFTER_SECONDS,
    ) -> None:
        self._reader = reader
        self._store = store
        self._ttl = ttl_seconds
        self._clock = clock
        self._min_refresh_interval = min_refresh_interval_seconds
        self._full_read_after = full_read_after_seconds
        self._full_read_on_miss_after = full_read_on_miss_after_seconds
        self._current: DomainDirectory | None = None
        self._fetched_at = 0.0

    def _full_read(self, previous: DomainDirectory | None) -> DomainDirectory:
        now = self._clock()
        fresh = self._reader.read_all(now)
        directory = previous.superseded_by(fresh, now) if previous is not None else fresh
        if self._store is not None:
            self._store.save(directory)
        return directory

    def _fetch(self) -> DomainDirectory:
        now = self._clock()
        stored = self._store.load() if self._store is not None else None
        if stored is None or now - stored.loaded_at >= self._full_read_after:
            stored = self._full_read(stored)
        self._current, self._fetched_at = stored, now
        return stored

    def get(self) -> DomainDirectory:
        if self._current is None or self._clock() - self._fetched_at >= self._ttl:
            return self._fetch()
        return self._current

    def invalidate(self) -> None:
        self._current = None

    def apply(self, change: DirectoryChange) -> DomainDirectory:
        """Bring one entry up to date after its directory event."""
        directory = self.get()
        if change.verb == "Delete":
            entry = _tombstone(change, directory)
        else:
            entry = self._reader.read_entry(change, directory)
            if entry is None:  # deleted since: the event is older than the state
                entry = _tombstone(change, directory)
        if entry is None:
            return directory
        directory = directory.with_entry(entry)
        if self._store is not None:
            self._store.save_entry(entry)
        self._current = directory
        return directory

    def refresh_after_miss(self) -> DomainDirectory | None:
        """Read again when a look-up found nothing, unless that would change nothing.

        A profile created seconds ago, whose directory event is still on its way, is the
        usual cause of a miss; a caller no domain knows (a CI role) is the usual cause of
        a stream of them. So: the shared snapshot is re-read at most every
        `min_refresh_interval_seconds`, and SageMaker itself only when the snapshot is
        older than `full_read_on_miss_after_seconds` (a directory event that never came).
        """
        now = self._clock()
        recently_fetched = (
            self._current is not None and now - self._fetched_at < self._min_refresh_interval
        )
        directory: DomainDirectory
        if self._store is None:
            if recently_fetched:
                return None
            directory = self._full_read(self._current)
        else:
            stored = self._current if recently_fetched else self._store.load()
            if stored is None or now - stored.loaded_at >= self._full_read_on_miss_after:
                directory = self._full_read(stored if stored is not None else self._current)
            elif recently_fetched:
                return None
            else:
                directory = stored
        self._current, self._fetched_at = directory, now
        return directory


# --------------------------------------------------------------------------------------
# Snapshot as plain JSON-able data
# --------------------------------------------------------------------------------------


def _role(role: RoleKey | None) -> list[str] | None:
    return list(role) if role else None


def _role_key(value: Any) -> RoleKey | None:
    return (str(value[0]), str(value[1])) if value else None


def _time(value: Any) -> Instant | None:
    return float(value) if value is not None else None


def entry_to_dict(entry: DomainEntry | UserProfileEntry | SpaceEntry) -> dict[str, Any]:
    if isinstance(entry, DomainEntry):
        return {
            "kind": DirectoryKind.DOMAIN.value,
            "domainId": entry.domain_id,
            "domainArn": entry.domain_arn,
            "name": entry.name,
            "defaultRole": _role(entry.default_role),
            "defaultSpaceRole": _role(entry.default_space_role),
            "sourceIdentityIsProfileName": entry.source_identity_is_profile_name,
            "createdAt": entry.created_at,
            "deletedAt": entry.deleted_at,
        }
    if isinstance(entry, UserProfileEntry):
        return {
            "kind": DirectoryKind.USER_PROFILE.value,
            "domainId": entry.domain_id,
            "name": entry.name,
            "arn": entry.arn,
            "executionRole": _role(entry.execution_role),
            "createdAt": entry.created_at,
            "deletedAt": entry.deleted_at,
        }
    return {
        "kind": DirectoryKind.SPACE.value,
        "domainId": entry.domain_id,
        "name": entry.name,
        "arn": entry.arn,
        "createdAt": entry.created_at,
        "deletedAt": entry.deleted_at,
        "ownerProfileName": entry.owner_profile_name,
    }


def entry_from_dict(data: Mapping[str, Any]) -> DomainEntry | UserProfileEntry | SpaceEntry:
    kind = data.get("kind")
    if kind == DirectoryKind.DOMAIN.value:
        return DomainEntry(
            domain_id=data["domainId"],
            domain_arn=data["domainArn"],
            name=data.get("name", ""),
            default_role=_role_key(data.get("defaultRole")),
            default_space_role=_role_key(data.get("defaultSpaceRole")),
            source_identity_is_profile_name=bool(data.get("sourceIdentityIsProfileName")),
            created_at=_time(data.get("createdAt")),
            deleted_at=_time(data.get("deletedAt")),
        )
    if kind == DirectoryKind.USER_PROFILE.value:
        return UserProfileEntry(
            data["domainId"],
            data["name"],
            data["arn"],
            _role_key(data.get("executionRole")),
            created_at=_time(data.get("createdAt")),
            deleted_at=_time(data.get("deletedAt")),
        )
    if kind == DirectoryKind.SPACE.value:
        return SpaceEntry(
            data["domainId"],
            data["name"],
            data["arn"],
            created_at=_time(data.get("createdAt")),
            deleted_at=_time(data.get("deletedAt")),
            owner_profile_name=data.get("ownerProfileName"),
        )
    raise ValueError(f"unknown directory entry kind {kind!r}")


def directory_to_dict(directory: DomainDirectory) -> dict[str, Any]:
    return {
        "loadedAt": directory.loaded_at,
        "entries": [entry_to_dict(e) for e in directory.entries()],
    }


def directory_from_entries(
    entries: Iterable[DomainEntry | UserProfileEntry | SpaceEntry], loaded_at: float
) -> DomainDirectory:
    items = list(entries)
    return DomainDirectory(
        tuple(e for e in items if isinstance(e, DomainEntry)),
        tuple(e for e in items if isinstance(e, UserProfileEntry)),
        tuple(e for e in items if isinstance(e, SpaceEntry)),
        loaded_at=loaded_at,
    )


def directory_from_dict(data: Mapping[str, Any]) -> DomainDirectory:
    return directory_from_entries(
        (entry_from_dict(e) for e in data.get("entries", [])),
        float(data.get("loadedAt", 0.0)),
    )


def role_key_of(role_arn: str | None) -> RoleKey | None:
    return role_key(role_arn) if role_arn else None
