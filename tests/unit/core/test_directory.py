"""The domain directory answers who can act as a role, and stays fresh without reloading often."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from tag_enforcer.core.arns import role_key
from tag_enforcer.core.directory import (
    CachedDirectory,
    DirectoryChange,
    DirectoryKind,
    DomainDirectory,
    UserProfileEntry,
    directory_from_dict,
    directory_to_dict,
)
from tests.support.studio import Studio

ACCOUNT = "111122223333"


# --- DomainDirectory queries --------------------------------------------------------------


def test_domains_are_found_by_id_and_by_arn(studio: Studio) -> None:
    # GIVEN the two-domain world
    directory = studio.directory

    # WHEN domains are looked up
    # THEN both indexes find them, and unknown keys find nothing
    assert directory.domain("d-finance00001") is studio.finance
    assert directory.domain_by_arn(studio.sustainability.domain_arn) is studio.sustainability
    assert directory.domain("d-nope") is None
    assert directory.domain_by_arn("arn:aws:sagemaker:us-east-1:1:domain/d-nope") is None


def test_profiles_and_spaces_are_found_within_their_domain(studio: Studio) -> None:
    # GIVEN the two-domain world
    directory = studio.directory

    # WHEN profiles and spaces are looked up
    # THEN a name counts only inside its own domain
    assert directory.user_profile("d-finance00001", "alice") is studio.profile("alice")
    assert directory.user_profile("d-sustain00002", "alice") is None
    assert directory.user_profile_by_arn(studio.profile("dan").arn) is studio.profile("dan")
    assert directory.user_profile_by_arn("arn:aws:sagemaker:x") is None
    assert directory.space("d-finance00001", "team-space") is studio.finance_space
    assert directory.space("d-sustain00002", "team-space") is None
    assert directory.space_by_arn(studio.sustainability_space.arn) is studio.sustainability_space


def test_profiles_acting_as_a_role_include_those_on_the_domain_default(studio: Studio) -> None:
    # GIVEN finance's default role, which bob and carol inherit
    role = role_key(studio.role("FinanceDefault"))
    assert role is not None

    # WHEN the profiles acting as it are listed
    names = [p.name for p in studio.directory.user_profiles_acting_as(role)]

    # THEN exactly those two
    assert names == ["bob", "carol"]


def test_domains_using_a_role_span_profiles_and_defaults(studio: Studio) -> None:
    # GIVEN roles of one profile, of two domains, and of nobody
    def domains(role_name: str) -> list[str]:
        key = role_key(studio.role(role_name))
        assert key is not None
        return [d.domain_id for d in studio.directory.domains_using_role(key)]

    # WHEN the domains using each are listed
    # THEN each answer is right, in directory order
    assert domains("AliceRole") == ["d-finance00001"]
    assert domains("CrossTeamRole") == ["d-finance00001", "d-sustain00002"]
    assert domains("SustainDefault") == ["d-sustain00002"]
    assert domains("CiRole") == []


def test_an_empty_directory_knows_nothing() -> None:
    # GIVEN a directory of an account without domains
    directory = DomainDirectory()

    # WHEN anything is asked
    # THEN nothing is found
    assert directory.domain("d-x") is None
    assert directory.domains_using_role((ACCOUNT, "R")) == []


# --- CachedDirectory ----------------------------------------------------------------------


class _Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class _Loader:
    """A DirectoryReader that counts full reads; each is a new directory stamped with its time."""

    def __init__(self) -> None:
        self.loads: list[float] = []
        self.entries: dict[tuple[str, str | None], Any] = {}
        self.entry_reads: list[DirectoryChange] = []

    def read_all(self, now: float) -> DomainDirectory:
        self.loads.append(now)
        return DomainDirectory(loaded_at=now)

    def read_entry(self, change: DirectoryChange, directory: DomainDirectory) -> Any:
        self.entry_reads.append(change)
        return self.entries.get((change.domain_id, change.name))


@pytest.fixture
def clock() -> _Clock:
    return _Clock()


@pytest.fixture
def loader() -> _Loader:
    return _Loader()


def test_the_directory_is_loaded_once_then_served_from_memory(
    clock: _Clock, loader: _Loader
) -> None:
    # GIVEN a five-minute cache
    cache = CachedDirectory(loader, ttl_seconds=300, clock=clock)

    # WHEN it is read three times within the TTL
    first = cache.get()
    clock.now += 299
    second = cache.get()

    # THEN it was loaded once
    assert loader.loads == [1000.0]
    assert second is first


def test_the_directory_is_reloaded_when_the_ttl_expires(clock: _Clock, loader: _Loader) -> None:
    # GIVEN a loaded five-minute cache
    cache = CachedDirectory(loader, ttl_seconds=300, clock=clock)
    first = cache.get()

    # WHEN exactly the TTL has passed
    clock.now += 300
    second = cache.get()

    # THEN it is reloaded
    assert loader.loads == [1000.0, 1300.0]
    assert second is not first
    assert second.loaded_at == 1300.0


def test_invalidate_makes_the_next_read_reload(clock: _Clock, loader: _Loader) -> None:
    # GIVEN a fresh cache
    cache = CachedDirectory(loader, ttl_seconds=300, clock=clock)
    cache.get()

    # WHEN a directory event invalidates it, and it is read again a second later
    cache.invalidate()
    clock.now += 1
    cache.get()

    # THEN it reloaded at once, and invalidating itself loaded nothing
    assert loader.loads == [1000.0, 1001.0]


def test_invalidate_alone_makes_no_call(clock: _Clock, loader: _Loader) -> None:
    # GIVEN a cache
    cache = CachedDirectory(loader, ttl_seconds=300, clock=clock)

    # WHEN it is invalidated without being read
    cache.invalidate()

    # THEN nothing is loaded
    assert loader.loads == []


def test_refresh_after_a_miss_is_skipped_while_the_copy_is_young(
    clock: _Clock, loader: _Loader
) -> None:
    # GIVEN a copy loaded 29 seconds ago, and a 30-second minimum interval
    cache = CachedDirectory(loader, ttl_seconds=300, clock=clock, min_refresh_interval_seconds=30)
    cache.get()
    clock.now += 29

    # WHEN a look-up missed
    refreshed = cache.refresh_after_miss()

    # THEN nothing is reloaded, and the caller is told so
    assert refreshed is None
    assert loader.loads == [1000.0]


def test_refresh_after_a_miss_reloads_an_older_copy(clock: _Clock, loader: _Loader) -> None:
    # GIVEN a copy loaded 30 seconds ago
    cache = CachedDirectory(loader, ttl_seconds=300, clock=clock, min_refresh_interval_seconds=30)
    cache.get()
    clock.now += 30

    # WHEN a look-up missed
    refreshed = cache.refresh_after_miss()

    # THEN it is reloaded, and later reads use the new copy until it ages
    assert refreshed is not None
    assert refreshed.loaded_at == 1030.0
    assert cache.get() is refreshed
    assert cache.refresh_after_miss() is None
    assert loader.loads == [1000.0, 1030.0]


def test_refresh_after_a_miss_loads_when_nothing_is_cached(clock: _Clock, loader: _Loader) -> None:
    # GIVEN an invalidated cache
    cache = CachedDirectory(loader, ttl_seconds=300, clock=clock)
    cache.invalidate()

    # WHEN a look-up missed
    refreshed = cache.refresh_after_miss()

    # THEN it is loaded
    assert refreshed is not None
    assert loader.loads == [1000.0]


def test_a_stream_of_misses_reloads_at_most_once_per_interval(
    clock: _Clock, loader: _Loader
) -> None:
    # GIVEN a cache read once
    cache = CachedDirectory(loader, ttl_seconds=300, clock=clock, min_refresh_interval_seconds=30)
    cache.get()

    # WHEN 100 unattributable events arrive, one a second
    for _ in range(100):
        clock.now += 1
        cache.refresh_after_miss()

    # THEN it reloaded once every 30 seconds, not 100 times
    assert len(loader.loads) == 1 + 3


# --- the shared snapshot, directory events and tombstones ---------------------------------


class _Store:
    """DirectorySnapshotStore in memory, counting its calls."""

    def __init__(self, snapshot: DomainDirectory | None = None) -> None:
        self.snapshot = snapshot
        self.loads = 0
        self.saves = 0
        self.entries_saved: list[Any] = []

    def load(self) -> DomainDirectory | None:
        self.loads += 1
        return self.snapshot

    def save(self, directory: DomainDirectory) -> None:
        self.saves += 1
        self.snapshot = directory

    def save_entry(self, entry: Any) -> None:
        self.entries_saved.append(entry)
        assert self.snapshot is not None
        self.snapshot = self.snapshot.with_entry(entry)


def test_a_fresh_snapshot_is_read_from_the_store_without_a_sagemaker_read(
    clock: _Clock, loader: _Loader, studio: Studio
) -> None:
    # GIVEN a snapshot another container wrote a minute ago
    store = _Store(replace(studio.directory, loaded_at=clock.now - 60))
    cache = CachedDirectory(loader, ttl_seconds=300, clock=clock, store=store)

    # WHEN the directory is read
    directory = cache.get()

    # THEN it is the store's, read in one call, and SageMaker was not read
    assert directory.domain("d-finance00001") == studio.finance
    assert (store.loads, loader.loads) == (1, [])


def test_a_missing_or_old_snapshot_is_read_from_sagemaker_and_shared(
    clock: _Clock, loader: _Loader
) -> None:
    # GIVEN no snapshot yet
    store = _Store()
    cache = CachedDirectory(loader, ttl_seconds=300, clock=clock, store=store)

    # WHEN the directory is read
    cache.get()

    # THEN SageMaker was read once and the result written for every other container
    assert loader.loads == [1000.0]
    assert store.saves == 1


def test_a_directory_event_rewrites_one_entry_with_one_describe(
    clock: _Clock, loader: _Loader, studio: Studio
) -> None:
    # GIVEN a fresh snapshot, and a profile SageMaker now answers for
    store = _Store(replace(studio.directory, loaded_at=clock.now))
    cache = CachedDirectory(loader, ttl_seconds=300, clock=clock, store=store)
    new = UserProfileEntry(
        "d-finance00001", "nora", studio.arn("user-profile", "d-finance00001", "nora"), None
    )
    loader.entries[("d-finance00001", "nora")] = new

    # WHEN its CreateUserProfile event is applied
    directory = cache.apply(
        DirectoryChange(DirectoryKind.USER_PROFILE, "Create", "d-finance00001", "nora", 1000.0)
    )

    # THEN one entry was read and saved, and no full read happened
    assert directory.user_profile("d-finance00001", "nora") == new
    assert store.entries_saved == [new]
    assert len(loader.entry_reads) == 1
    assert loader.loads == []


def test_a_delete_event_leaves_a_tombstone_at_the_events_time(
    clock: _Clock, loader: _Loader, studio: Studio
) -> None:
    # GIVEN alice exists in the snapshot
    store = _Store(replace(studio.directory, loaded_at=clock.now))
    cache = CachedDirectory(loader, ttl_seconds=300, clock=clock, store=store)

    # WHEN her DeleteUserProfile event (at 900) is applied
    directory = cache.apply(
        DirectoryChange(DirectoryKind.USER_PROFILE, "Delete", "d-finance00001", "alice", 900.0)
    )

    # THEN she is kept as deleted at 900: a candidate for events before, none after
    alice = directory.user_profile("d-finance00001", "alice")
    assert alice is not None
    assert alice.deleted_at == 900.0
    assert alice.existed_at(899.0)
    assert not alice.existed_at(901.0)
    assert not alice.existed_at(None)
    assert loader.entry_reads == []  # a delete needs no Describe


def test_a_full_read_keeps_tombstones_of_what_disappeared_and_forgets_old_ones(
    studio: Studio,
) -> None:
    # GIVEN yesterday's snapshot with alice, and an old tombstone of a profile deleted
    # long before the queue's retention
    old = UserProfileEntry(
        "d-finance00001", "olga", studio.arn("user-profile", "d-finance00001", "olga"), None,
        deleted_at=0.0,
    )  # fmt: skip
    previous = studio.directory.with_entry(old)
    fresh = DomainDirectory(
        studio.directory.domains,
        tuple(p for p in studio.directory.user_profiles if p.name != "alice"),
        studio.directory.spaces,
        loaded_at=1_000_000.0,
    )

    # WHEN today's full read no longer has alice
    merged = previous.superseded_by(fresh, now=1_000_000.0)

    # THEN alice is a tombstone as of now, and the old tombstone is gone
    alice = merged.user_profile("d-finance00001", "alice")
    assert alice is not None
    assert alice.deleted_at == 1_000_000.0
    assert merged.user_profile("d-finance00001", "olga") is None


def test_a_snapshot_survives_a_round_trip_as_json(studio: Studio) -> None:
    tombstone = replace(studio.profile("bob"), created_at=10.0, deleted_at=20.0)
    directory = studio.directory.with_entry(tombstone)
    again = directory_from_dict(json.loads(json.dumps(directory_to_dict(directory))))
    assert again.entries() == directory.entries()
    assert again.loaded_at == directory.loaded_at


def test_role_uses_count_only_what_existed_at_the_time(studio: Studio) -> None:
    # GIVEN alice's own role, and alice created at 100 and deleted at 200
    role = role_key(studio.role("AliceRole"))
    assert role is not None
    directory = studio.directory.with_entry(
        replace(studio.profile("alice"), created_at=100.0, deleted_at=200.0)
    )

    # WHEN the role's uses are asked at three times
    # THEN only while alice existed does the role name her
    assert directory.role_uses(role, at=50.0) == []
    assert [u.profile.name for u in directory.role_uses(role, at=150.0) if u.profile] == ["alice"]
    assert directory.role_uses(role, at=250.0) == []


def test_a_miss_reads_sagemaker_only_when_the_shared_snapshot_is_old(
    clock: _Clock, loader: _Loader, studio: Studio
) -> None:
    # GIVEN a snapshot written 10 minutes ago, read by this container just now
    store = _Store(replace(studio.directory, loaded_at=clock.now - 600))
    cache = CachedDirectory(
        loader, ttl_seconds=300, clock=clock, store=store, full_read_on_miss_after_seconds=900
    )
    cache.get()

    # WHEN misses keep coming for four more minutes (a CI role no domain knows)
    for _ in range(8):
        clock.now += 30
        cache.refresh_after_miss()

    # THEN the snapshot was re-read, but SageMaker not at all: it is not 15 minutes old
    assert loader.loads == []
    assert store.loads > 1

    # WHEN a miss comes once the snapshot is older than 15 minutes
    clock.now += 120
    cache.refresh_after_miss()

    # THEN SageMaker is read once, and the snapshot is shared again
    assert len(loader.loads) == 1
    assert store.saves == 1
