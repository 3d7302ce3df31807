"""The domain directory answers who can act as a role, and stays fresh without reloading often."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tag_enforcer.aws.sagemaker_directory import read_directory
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


# --- read_directory against a fake SageMaker client ---------------------------------------


class _Paginator:
    def __init__(self, pages: list[dict[str, Any]]) -> None:
        self._pages = pages

    def paginate(self) -> Iterator[dict[str, Any]]:
        return iter(self._pages)


class _FakeSageMaker:
    """Just the List/Describe calls read_directory makes, with two domains."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        role = f"arn:aws:iam::{ACCOUNT}:role"
        self.domains = {
            "d-finance00001": {
                "DomainId": "d-finance00001",
                "DomainArn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:domain/d-finance00001",
                "DomainName": "finance",
                "DefaultUserSettings": {"ExecutionRole": f"{role}/service-role/FinanceDefault"},
                "DefaultSpaceSettings": {"ExecutionRole": f"{role}/FinanceSpaces"},
                "DomainSettings": {"ExecutionRoleIdentityConfig": "USER_PROFILE_NAME"},
            },
            "d-sustain00002": {
                "DomainId": "d-sustain00002",
                "DomainArn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:domain/d-sustain00002",
                "DomainName": "sustainability",
                "DefaultUserSettings": {"ExecutionRole": f"{role}/SustainDefault"},
                "DomainSettings": {"ExecutionRoleIdentityConfig": "DISABLED"},
            },
        }
        self.profiles: dict[tuple[str, str], dict[str, Any]] = {
            ("d-finance00001", "alice"): {"UserSettings": {"ExecutionRole": f"{role}/AliceRole"}},
            ("d-finance00001", "bob"): {"UserSettings": {}},
            ("d-sustain00002", "dan"): {},
        }
        self.without_arn = {("d-sustain00002", "dan")}

    def get_paginator(self, operation_name: str) -> _Paginator:
        self.calls.append(operation_name)
        if operation_name == "list_domains":
            # Two pages, to prove every page is read.
            return _Paginator(
                [
                    {"Domains": [{"DomainId": "d-finance00001"}]},
                    {"Domains": [{"DomainId": "d-sustain00002"}]},
                ]
            )
        if operation_name == "list_user_profiles":
            summaries = [{"DomainId": d, "UserProfileName": n} for d, n in self.profiles]
            # A profile of a domain deleted between the two list calls.
            summaries.append({"DomainId": "d-deleted00009", "UserProfileName": "ghost"})
            return _Paginator([{"UserProfiles": summaries[:2]}, {"UserProfiles": summaries[2:]}])
        if operation_name == "list_spaces":
            return _Paginator(
                [
                    {
                        "Spaces": [
                            {"DomainId": "d-finance00001", "SpaceName": "Team-Space"},
                            {"DomainId": "d-deleted00009", "SpaceName": "orphan"},
                        ]
                    }
                ]
            )
        raise AssertionError(f"unexpected paginator {operation_name}")

    def describe_domain(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append("describe_domain")
        return self.domains[kwargs["DomainId"]]

    def describe_user_profile(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append("describe_user_profile")
        key = (kwargs["DomainId"], kwargs["UserProfileName"])
        described = {"DomainId": key[0], "UserProfileName": key[1], **self.profiles[key]}
        if key not in self.without_arn:
            described["UserProfileArn"] = (
                f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:user-profile/{key[0]}/{key[1]}"
            )
        return described


def test_read_directory_reads_domains_profiles_spaces_and_effective_roles() -> None:
    # GIVEN an account with two domains, three profiles and a space
    client = _FakeSageMaker()

    # WHEN the directory is read
    directory = read_directory(client, "aws", "us-east-1", ACCOUNT, now=42.0)

    # THEN domains carry their default roles and source-identity setting
    finance, sustainability = directory.domains
    assert finance.default_role == (ACCOUNT, "FinanceDefault")
    assert finance.default_space_role == (ACCOUNT, "FinanceSpaces")
    assert finance.source_identity_is_profile_name is True
    assert sustainability.default_space_role is None
    assert sustainability.source_identity_is_profile_name is False
    # AND profiles carry their own role, else the domain default
    roles = {p.name: p.execution_role for p in directory.user_profiles}
    assert roles == {
        "alice": (ACCOUNT, "AliceRole"),
        "bob": (ACCOUNT, "FinanceDefault"),
        "dan": (ACCOUNT, "SustainDefault"),
    }
    # AND spaces get the ARN SageMaker gives them (lower-cased name)
    assert [s.arn for s in directory.spaces] == [
        f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:space/d-finance00001/team-space"
    ]
    assert directory.space("d-finance00001", "Team-Space") is not None
    assert directory.loaded_at == 42.0


def test_read_directory_skips_profiles_and_spaces_of_vanished_domains() -> None:
    # GIVEN a profile and a space whose domain was deleted between list calls
    client = _FakeSageMaker()

    # WHEN the directory is read
    directory = read_directory(client, "aws", "us-east-1", ACCOUNT, now=0.0)

    # THEN they are left out, and not described
    assert "ghost" not in {p.name for p in directory.user_profiles}
    assert "orphan" not in {s.name for s in directory.spaces}
    assert client.calls.count("describe_user_profile") == 3


def test_read_directory_makes_one_describe_per_domain_and_profile() -> None:
    # GIVEN two domains and three live profiles
    client = _FakeSageMaker()

    # WHEN the directory is read
    read_directory(client, "aws", "us-east-1", ACCOUNT, now=0.0)

    # THEN 3 list calls + 2 domain describes + 3 profile describes
    assert client.calls.count("describe_domain") == 2
    assert client.calls.count("describe_user_profile") == 3
    assert sorted(c for c in client.calls if c.startswith("list_")) == [
        "list_domains",
        "list_spaces",
        "list_user_profiles",
    ]


def test_read_directory_builds_a_profile_arn_when_describe_omits_it() -> None:
    # GIVEN DescribeUserProfile for dan carries no UserProfileArn
    client = _FakeSageMaker()

    # WHEN the directory is read in GovCloud
    directory = read_directory(client, "aws-us-gov", "us-gov-west-1", ACCOUNT, now=0.0)

    # THEN the documented format is filled in, in the given partition and region
    dan = directory.user_profile("d-sustain00002", "dan")
    assert dan is not None
    assert (
        dan.arn
        == f"arn:aws-us-gov:sagemaker:us-gov-west-1:{ACCOUNT}:user-profile/d-sustain00002/dan"
    )


def test_a_built_profile_arn_lower_cases_the_name_like_a_space_arn() -> None:
    # GIVEN a mixed-case profile whose DescribeUserProfile carries no UserProfileArn
    client = _FakeSageMaker()
    client.profiles = {("d-sustain00002", "Dan"): {}}
    client.without_arn = {("d-sustain00002", "Dan")}

    # WHEN the directory is read
    directory = read_directory(client, "aws", "us-east-1", ACCOUNT, now=0.0)

    # THEN its ARN has the lower-cased name, as SageMaker writes it
    assert directory.user_profiles[0].arn.endswith("user-profile/d-sustain00002/dan")
