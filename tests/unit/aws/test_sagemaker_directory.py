"""read_directory builds the domain directory from SageMaker's List and Describe answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tag_enforcer.aws.sagemaker_directory import read_directory

ACCOUNT = "111122223333"


class _Paginator:
    def __init__(self, pages: list[dict[str, Any]]) -> None:
        self._pages = pages

    def paginate(self, **_: Any) -> Iterator[dict[str, Any]]:
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
        self.space_arn_names: dict[str, str] = {}

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

    def describe_space(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append("describe_space")
        domain_id, name = kwargs["DomainId"], kwargs["SpaceName"]
        arn_name = self.space_arn_names.get(name, name.lower())
        return {
            "DomainId": domain_id,
            "SpaceName": name,
            "SpaceArn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:space/{domain_id}/{arn_name}",
        }

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


def test_a_space_keeps_the_arn_sagemaker_spells_for_it() -> None:
    # GIVEN a space whose ARN SageMaker spells with capitals
    client = _FakeSageMaker()
    client.space_arn_names = {"Team-Space": "Team-Space"}

    # WHEN the directory is read
    directory = read_directory(client, "aws", "us-east-1", ACCOUNT, now=0.0)

    # THEN the directory holds that exact ARN, not a lower-cased rebuild
    assert directory.spaces[0].arn.endswith("space/d-finance00001/Team-Space")


def test_read_directory_makes_one_describe_per_domain_and_profile() -> None:
    # GIVEN two domains and three live profiles
    client = _FakeSageMaker()

    # WHEN the directory is read
    read_directory(client, "aws", "us-east-1", ACCOUNT, now=0.0)

    # THEN 3 list calls + 2 domain describes + 3 profile describes + 1 space describe
    assert client.calls.count("describe_domain") == 2
    assert client.calls.count("describe_user_profile") == 3
    assert client.calls.count("describe_space") == 1
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
