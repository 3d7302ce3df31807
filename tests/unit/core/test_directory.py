"""The domain directory answers who can act as a role, and stays fresh without reloading often."""

from __future__ import annotations

import pytest

from tag_enforcer.core.arns import role_key
from tag_enforcer.core.directory import CachedDirectory, DomainDirectory
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
    """Counts loads; each load is a new directory stamped with the load time."""

    def __init__(self) -> None:
        self.loads: list[float] = []

    def __call__(self, now: float) -> DomainDirectory:
        self.loads.append(now)
        return DomainDirectory(loaded_at=now)


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
