"""read_directory and SageMakerTags against an in-process moto account with Studio APIs added."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from tag_enforcer.aws.sagemaker_directory import read_directory
from tag_enforcer.aws.sagemaker_tags import SageMakerTags
from tag_enforcer.core.errors import ResourceGoneError
from tag_enforcer_dev.emulator.account import in_process_moto

pytestmark = pytest.mark.integration

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
FINANCE_DEFAULT = f"arn:aws:iam::{ACCOUNT}:role/service-role/FinanceDefault"
FINANCE_SPACES = f"arn:aws:iam::{ACCOUNT}:role/FinanceSpaces"
ALICE_ROLE = f"arn:aws:iam::{ACCOUNT}:role/AliceRole"
SUSTAIN_DEFAULT = f"arn:aws:iam::{ACCOUNT}:role/SustainDefault"
NETWORK = {"SubnetIds": ["subnet-0123456789abcdef0"], "VpcId": "vpc-0123456789abcdef0"}


@pytest.fixture
def sagemaker(aws_credentials: None) -> Iterator[Any]:
    with in_process_moto():
        yield boto3.client("sagemaker", region_name=REGION)


def _create_domain(client: Any, name: str, default_role: str, **extra: Any) -> str:
    client.create_domain(
        DomainName=name,
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": default_role},
        **NETWORK,
        **extra,
    )
    domain_id: str = next(
        d["DomainId"] for d in client.list_domains()["Domains"] if d["DomainName"] == name
    )
    return domain_id


@pytest.fixture
def two_domains(sagemaker: Any) -> dict[str, str]:
    """finance (source identity on, alice with her own role, bob and carol on the default,
    a space) and sustainability (source identity off, dan on the default)."""
    finance = _create_domain(
        sagemaker,
        "finance",
        FINANCE_DEFAULT,
        DomainSettings={"ExecutionRoleIdentityConfig": "USER_PROFILE_NAME"},
        DefaultSpaceSettings={"ExecutionRole": FINANCE_SPACES},
    )
    sustainability = _create_domain(sagemaker, "sustainability", SUSTAIN_DEFAULT)
    sagemaker.create_user_profile(
        DomainId=finance, UserProfileName="alice", UserSettings={"ExecutionRole": ALICE_ROLE}
    )
    for name in ("bob", "carol"):
        sagemaker.create_user_profile(DomainId=finance, UserProfileName=name)
    sagemaker.create_user_profile(DomainId=sustainability, UserProfileName="dan")
    sagemaker.create_space(DomainId=finance, SpaceName="team-space")
    return {"finance": finance, "sustainability": sustainability}


def _arn(resource: str) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:{resource}"


def _create_training_job(client: Any, name: str, tags: list[dict[str, str]] | None = None) -> str:
    return str(
        client.create_training_job(
            TrainingJobName=name,
            AlgorithmSpecification={
                "TrainingImage": "683313688378.dkr.ecr.us-east-1.amazonaws.com/xgboost:1",
                "TrainingInputMode": "File",
            },
            RoleArn=ALICE_ROLE,
            OutputDataConfig={"S3OutputPath": "s3://finance-ml/out/"},
            ResourceConfig={
                "InstanceType": "ml.m5.large",
                "InstanceCount": 1,
                "VolumeSizeInGB": 10,
            },
            StoppingCondition={"MaxRuntimeInSeconds": 3600},
            Tags=tags or [],
        )["TrainingJobArn"]
    )


# --- read_directory -----------------------------------------------------------------------


def test_read_directory_returns_every_domain_with_its_settings(
    sagemaker: Any, two_domains: dict[str, str]
) -> None:
    # GIVEN two domains, one with source identity set to the profile name
    # WHEN the directory is read
    directory = read_directory(sagemaker, "aws", REGION, ACCOUNT, now=7.0)

    # THEN both domains are there with their ARNs, default roles and setting
    finance = directory.domain(two_domains["finance"])
    sustainability = directory.domain(two_domains["sustainability"])
    assert finance is not None
    assert sustainability is not None
    assert finance.domain_arn == _arn(f"domain/{two_domains['finance']}")
    assert finance.name == "finance"
    assert finance.default_role == (ACCOUNT, "FinanceDefault")
    assert finance.default_space_role == (ACCOUNT, "FinanceSpaces")
    assert finance.source_identity_is_profile_name is True
    assert sustainability.default_role == (ACCOUNT, "SustainDefault")
    assert sustainability.default_space_role is None
    assert sustainability.source_identity_is_profile_name is False
    assert directory.loaded_at == 7.0


def test_read_directory_gives_profiles_their_own_role_else_the_domain_default(
    sagemaker: Any, two_domains: dict[str, str]
) -> None:
    # GIVEN alice has her own role; bob, carol and dan inherit their domain's default
    # WHEN the directory is read
    directory = read_directory(sagemaker, "aws", REGION, ACCOUNT, now=0.0)

    # THEN each profile's effective role and ARN is right
    profiles = {(p.domain_id, p.name): p for p in directory.user_profiles}
    finance, sustainability = two_domains["finance"], two_domains["sustainability"]
    assert {key: p.execution_role for key, p in profiles.items()} == {
        (finance, "alice"): (ACCOUNT, "AliceRole"),
        (finance, "bob"): (ACCOUNT, "FinanceDefault"),
        (finance, "carol"): (ACCOUNT, "FinanceDefault"),
        (sustainability, "dan"): (ACCOUNT, "SustainDefault"),
    }
    assert profiles[(finance, "alice")].arn == _arn(f"user-profile/{finance}/alice")
    # AND the directory answers the role questions attribution asks
    assert [p.name for p in directory.user_profiles_acting_as((ACCOUNT, "FinanceDefault"))] == [
        "bob",
        "carol",
    ]
    assert [d.domain_id for d in directory.domains_using_role((ACCOUNT, "AliceRole"))] == [finance]


def test_read_directory_reads_spaces_with_the_arn_sagemaker_gives_them(
    sagemaker: Any, two_domains: dict[str, str]
) -> None:
    # GIVEN a space in finance
    # WHEN the directory is read
    directory = read_directory(sagemaker, "aws", REGION, ACCOUNT, now=0.0)

    # THEN the space is there, and its built ARN is the one SageMaker reports
    finance = two_domains["finance"]
    space = directory.space(finance, "team-space")
    assert space is not None
    assert (
        space.arn == sagemaker.describe_space(DomainId=finance, SpaceName="team-space")["SpaceArn"]
    )


def test_read_directory_pages_through_many_profiles(sagemaker: Any) -> None:
    # GIVEN more profiles than one ListUserProfiles page holds (the emulator pages by 10)
    domain = _create_domain(sagemaker, "big", SUSTAIN_DEFAULT)
    for i in range(23):
        sagemaker.create_user_profile(DomainId=domain, UserProfileName=f"user-{i:02d}")

    # WHEN the directory is read
    directory = read_directory(sagemaker, "aws", REGION, ACCOUNT, now=0.0)

    # THEN every profile is there
    assert len(directory.user_profiles) == 23


def test_read_directory_of_an_account_without_domains_is_empty(sagemaker: Any) -> None:
    # GIVEN no domain
    # WHEN the directory is read
    directory = read_directory(sagemaker, "aws", REGION, ACCOUNT, now=0.0)

    # THEN it is empty, not an error
    assert (directory.domains, directory.user_profiles, directory.spaces) == ((), (), ())


# --- SageMakerTags ------------------------------------------------------------------------


def test_tags_are_added_to_a_training_job_without_touching_others(sagemaker: Any) -> None:
    # GIVEN a training job with a cost tag
    arn = _create_training_job(sagemaker, "churn-xgb", [{"Key": "team", "Value": "risk"}])
    tags = SageMakerTags(sagemaker)

    # WHEN the enforced tags are added
    tags.add_tags(arn, {"sagemaker:domain-arn": _arn("domain/d-abc")})

    # THEN both the old and the new tag are listed
    assert tags.list_tags(arn) == {"team": "risk", "sagemaker:domain-arn": _arn("domain/d-abc")}


def test_tags_are_added_to_a_user_profile(sagemaker: Any, two_domains: dict[str, str]) -> None:
    # GIVEN alice's user profile
    finance = two_domains["finance"]
    arn = sagemaker.describe_user_profile(DomainId=finance, UserProfileName="alice")[
        "UserProfileArn"
    ]
    tags = SageMakerTags(sagemaker)

    # WHEN its domain and profile tags are added
    wanted = {"sagemaker:domain-arn": _arn(f"domain/{finance}"), "sagemaker:user-profile-arn": arn}
    tags.add_tags(arn, wanted)

    # THEN they are listed
    assert tags.list_tags(arn) == wanted


def test_list_tags_reads_past_one_page(sagemaker: Any) -> None:
    # GIVEN a job with more tags than one ListTags page (50)
    arn = _create_training_job(sagemaker, "many-tags")
    tags = SageMakerTags(sagemaker)
    for start in range(0, 60, 20):
        tags.add_tags(arn, {f"k{i:02d}": str(i) for i in range(start, start + 20)})

    # WHEN its tags are listed
    listed = tags.list_tags(arn)

    # THEN all of them are read
    assert len(listed) == 60
    assert listed["k59"] == "59"


def test_list_tags_of_an_unknown_arn_is_gone(sagemaker: Any) -> None:
    # GIVEN an ARN of a training job that never existed
    # WHEN its tags are listed
    # THEN the resource is reported gone
    with pytest.raises(ResourceGoneError, match="no-such-job"):
        SageMakerTags(sagemaker).list_tags(_arn("training-job/no-such-job"))


def test_list_and_add_tags_of_a_deleted_user_profile_are_gone(
    sagemaker: Any, two_domains: dict[str, str]
) -> None:
    # GIVEN carol's profile, deleted after the create event was sent
    finance = two_domains["finance"]
    arn = sagemaker.describe_user_profile(DomainId=finance, UserProfileName="carol")[
        "UserProfileArn"
    ]
    sagemaker.delete_user_profile(DomainId=finance, UserProfileName="carol")
    tags = SageMakerTags(sagemaker)

    # WHEN it is read or tagged
    # THEN both report it gone
    with pytest.raises(ResourceGoneError):
        tags.list_tags(arn)
    with pytest.raises(ResourceGoneError):
        tags.add_tags(arn, {"sagemaker:domain-arn": _arn(f"domain/{finance}")})
