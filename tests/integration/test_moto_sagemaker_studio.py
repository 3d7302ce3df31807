"""The moto extension for SageMaker Studio behaves like the SageMaker API (botocore's model)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError
from botocore.model import ListShape, MapShape, Shape, StructureShape
from moto.server import ThreadedMotoServer

from tag_enforcer_dev.emulator.account import in_process_moto
from tag_enforcer_dev.emulator.moto_patches import install_all

pytestmark = pytest.mark.integration

REGION = "us-east-1"
ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/studio-execution"
OTHER_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/studio-other"


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def sagemaker(aws_env: None) -> Iterator[Any]:
    with in_process_moto():
        yield boto3.client("sagemaker", region_name=REGION)


def _create_domain(client: Any, name: str = "studio", **extra: Any) -> str:
    client.create_domain(
        DomainName=name,
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE_ARN},
        SubnetIds=["subnet-0123456789abcdef0"],
        VpcId="vpc-0123456789abcdef0",
        **extra,
    )
    domain_id: str = next(
        d["DomainId"] for d in client.list_domains()["Domains"] if d["DomainName"] == name
    )
    return domain_id


@pytest.fixture
def domain_id(sagemaker: Any) -> str:
    return _create_domain(sagemaker)


def _error_code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def _arn(resource: str) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:{resource}"


# --------------------------------------------------------------------------------------------
# install_all()
# --------------------------------------------------------------------------------------------


def test_install_is_idempotent(sagemaker: Any, domain_id: str) -> None:
    # GIVEN install_all() already ran in the fixture
    # WHEN it runs again
    install_all()
    sagemaker.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    sagemaker.add_tags(
        ResourceArn=_arn(f"domain/{domain_id}"), Tags=[{"Key": "team", "Value": "a"}]
    )

    # THEN the patches still work once, without wrapping themselves
    assert len(sagemaker.list_user_profiles()["UserProfiles"]) == 1
    assert sagemaker.list_tags(ResourceArn=_arn(f"domain/{domain_id}"))["Tags"] == [
        {"Key": "team", "Value": "a"}
    ]


# --------------------------------------------------------------------------------------------
# User profiles
# --------------------------------------------------------------------------------------------


def test_user_profile_lifecycle(sagemaker: Any, domain_id: str) -> None:
    # GIVEN a domain
    # WHEN a user profile is created
    created = sagemaker.create_user_profile(
        DomainId=domain_id,
        UserProfileName="Alice",
        UserSettings={"ExecutionRole": ROLE_ARN, "SecurityGroups": ["sg-1"]},
        Tags=[{"Key": "owner", "Value": "alice"}],
    )

    # THEN the response carries only the ARN, with the name lower-cased
    arn = _arn(f"user-profile/{domain_id}/alice")
    created.pop("ResponseMetadata")
    assert created == {"UserProfileArn": arn}
    described = sagemaker.describe_user_profile(DomainId=domain_id, UserProfileName="Alice")
    assert described["UserProfileArn"] == arn
    assert described["UserProfileName"] == "Alice"
    assert described["DomainId"] == domain_id
    assert described["Status"] == "InService"
    assert described["UserSettings"] == {"ExecutionRole": ROLE_ARN, "SecurityGroups": ["sg-1"]}
    assert described["HomeEfsFileSystemUid"].isdigit()
    listed = sagemaker.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"]
    assert [(p["DomainId"], p["UserProfileName"], p["Status"]) for p in listed] == [
        (domain_id, "Alice", "InService")
    ]

    # WHEN it is updated, THEN the named settings change and the others stay
    updated = sagemaker.update_user_profile(
        DomainId=domain_id,
        UserProfileName="Alice",
        UserSettings={"ExecutionRole": OTHER_ROLE_ARN},
    )
    assert updated["UserProfileArn"] == arn
    settings = sagemaker.describe_user_profile(DomainId=domain_id, UserProfileName="Alice")[
        "UserSettings"
    ]
    assert settings == {"ExecutionRole": OTHER_ROLE_ARN, "SecurityGroups": ["sg-1"]}

    # WHEN it is deleted, THEN it is gone
    sagemaker.delete_user_profile(DomainId=domain_id, UserProfileName="Alice")
    with pytest.raises(ClientError) as error:
        sagemaker.describe_user_profile(DomainId=domain_id, UserProfileName="Alice")
    assert _error_code(error) == "ResourceNotFound"
    assert sagemaker.list_user_profiles()["UserProfiles"] == []


def test_list_user_profiles_filters_and_sorts(sagemaker: Any, domain_id: str) -> None:
    # GIVEN profiles in two domains
    other_domain = _create_domain(sagemaker, "other")
    for name in ("data-alice", "data-bob", "ops-carol"):
        sagemaker.create_user_profile(DomainId=domain_id, UserProfileName=name)
    sagemaker.create_user_profile(DomainId=other_domain, UserProfileName="data-dave")

    # WHEN listing with filters and a descending sort
    listed = sagemaker.list_user_profiles(
        DomainIdEquals=domain_id, UserProfileNameContains="data", SortOrder="Descending"
    )["UserProfiles"]

    # THEN only the matching profiles come back, newest first
    assert [p["UserProfileName"] for p in listed] == ["data-bob", "data-alice"]
    assert len(sagemaker.list_user_profiles()["UserProfiles"]) == 4


def test_list_user_profiles_paginates(sagemaker: Any, domain_id: str) -> None:
    # GIVEN seven profiles
    names = [f"user-{index}" for index in range(7)]
    for name in names:
        sagemaker.create_user_profile(DomainId=domain_id, UserProfileName=name)

    # WHEN listing three at a time
    first = sagemaker.list_user_profiles(MaxResults=3)
    second = sagemaker.list_user_profiles(MaxResults=3, NextToken=first["NextToken"])
    third = sagemaker.list_user_profiles(MaxResults=3, NextToken=second["NextToken"])

    # THEN the pages are disjoint, in creation order, and the last has no NextToken
    pages = [first, second, third]
    assert [len(page["UserProfiles"]) for page in pages] == [3, 3, 1]
    assert "NextToken" not in third
    assert [p["UserProfileName"] for page in pages for p in page["UserProfiles"]] == names
    # AND botocore's paginator walks the same pages
    paginator = sagemaker.get_paginator("list_user_profiles")
    walked = [
        p["UserProfileName"]
        for page in paginator.paginate(PaginationConfig={"PageSize": 2})
        for p in page["UserProfiles"]
    ]
    assert walked == names


# --------------------------------------------------------------------------------------------
# Spaces
# --------------------------------------------------------------------------------------------


def test_space_lifecycle(sagemaker: Any, domain_id: str) -> None:
    # GIVEN a domain with an owner profile
    sagemaker.create_user_profile(DomainId=domain_id, UserProfileName="alice")

    # WHEN a private space is created
    created = sagemaker.create_space(
        DomainId=domain_id,
        SpaceName="alice-lab",
        SpaceDisplayName="Alice's lab",
        OwnershipSettings={"OwnerUserProfileName": "alice"},
        SpaceSharingSettings={"SharingType": "Private"},
        SpaceSettings={
            "AppType": "JupyterLab",
            "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 5}},
        },
        Tags=[{"Key": "owner", "Value": "alice"}],
    )

    # THEN it is described, listed with its summaries, and tagged
    arn = _arn(f"space/{domain_id}/alice-lab")
    created.pop("ResponseMetadata")
    assert created == {"SpaceArn": arn}
    described = sagemaker.describe_space(DomainId=domain_id, SpaceName="alice-lab")
    assert described["SpaceArn"] == arn
    assert described["OwnershipSettings"] == {"OwnerUserProfileName": "alice"}
    assert described["SpaceSharingSettings"] == {"SharingType": "Private"}
    assert described["SpaceSettings"]["AppType"] == "JupyterLab"
    assert described["SpaceDisplayName"] == "Alice's lab"
    (summary,) = sagemaker.list_spaces(DomainIdEquals=domain_id, SpaceNameContains="lab")["Spaces"]
    assert summary["SpaceName"] == "alice-lab"
    assert summary["SpaceSettingsSummary"] == {
        "AppType": "JupyterLab",
        "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 5}},
    }
    assert summary["SpaceSharingSettingsSummary"] == {"SharingType": "Private"}
    assert summary["OwnershipSettingsSummary"] == {"OwnerUserProfileName": "alice"}
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "owner", "Value": "alice"}]

    # WHEN it is updated, THEN the new settings are merged in
    assert (
        sagemaker.update_space(
            DomainId=domain_id,
            SpaceName="alice-lab",
            SpaceSettings={"RemoteAccess": "ENABLED"},
            SpaceDisplayName="Lab",
        )["SpaceArn"]
        == arn
    )
    described = sagemaker.describe_space(DomainId=domain_id, SpaceName="alice-lab")
    assert described["SpaceSettings"]["AppType"] == "JupyterLab"
    assert described["SpaceSettings"]["RemoteAccess"] == "ENABLED"
    assert described["SpaceDisplayName"] == "Lab"

    # WHEN the owner is deleted first, THEN AWS refuses while the space exists
    with pytest.raises(ClientError) as error:
        sagemaker.delete_user_profile(DomainId=domain_id, UserProfileName="alice")
    assert _error_code(error) == "ResourceInUse"

    # WHEN the space is deleted, THEN it is gone
    sagemaker.delete_space(DomainId=domain_id, SpaceName="alice-lab")
    with pytest.raises(ClientError) as error:
        sagemaker.describe_space(DomainId=domain_id, SpaceName="alice-lab")
    assert _error_code(error) == "ResourceNotFound"
    assert sagemaker.list_spaces()["Spaces"] == []


def test_list_spaces_paginates(sagemaker: Any, domain_id: str) -> None:
    # GIVEN five shared spaces
    for index in range(5):
        sagemaker.create_space(DomainId=domain_id, SpaceName=f"shared-{index}")

    # WHEN walking them two per page
    pages = list(
        sagemaker.get_paginator("list_spaces").paginate(
            DomainIdEquals=domain_id, PaginationConfig={"PageSize": 2}
        )
    )

    # THEN every space comes back exactly once over three pages
    assert [len(page["Spaces"]) for page in pages] == [2, 2, 1]
    assert [s["SpaceName"] for page in pages for s in page["Spaces"]] == [
        f"shared-{index}" for index in range(5)
    ]


# --------------------------------------------------------------------------------------------
# Apps
# --------------------------------------------------------------------------------------------


def test_app_lifecycle(sagemaker: Any, domain_id: str) -> None:
    # GIVEN a profile and a space
    sagemaker.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    sagemaker.create_space(DomainId=domain_id, SpaceName="team")

    # WHEN an app is created in each
    profile_app = sagemaker.create_app(
        DomainId=domain_id,
        UserProfileName="alice",
        AppType="JupyterServer",
        AppName="default",
        Tags=[{"Key": "owner", "Value": "alice"}],
    )
    space_app = sagemaker.create_app(
        DomainId=domain_id,
        SpaceName="team",
        AppType="JupyterLab",
        AppName="default",
        ResourceSpec={"InstanceType": "ml.t3.medium"},
    )

    # THEN their ARNs follow SageMaker's app ARN layout
    profile_arn = _arn(f"app/{domain_id}/alice/jupyterserver/default")
    space_arn = _arn(f"app/{domain_id}/team/jupyterlab/default")
    profile_app.pop("ResponseMetadata")
    assert profile_app == {"AppArn": profile_arn}
    assert space_app["AppArn"] == space_arn
    described = sagemaker.describe_app(
        DomainId=domain_id, SpaceName="team", AppType="JupyterLab", AppName="default"
    )
    assert described["AppArn"] == space_arn
    assert described["SpaceName"] == "team"
    assert "UserProfileName" not in described
    assert described["ResourceSpec"] == {"InstanceType": "ml.t3.medium"}
    assert described["Status"] == "InService"
    assert sagemaker.list_tags(ResourceArn=profile_arn)["Tags"] == [
        {"Key": "owner", "Value": "alice"}
    ]

    # AND ListApps filters by owner
    by_profile = sagemaker.list_apps(DomainIdEquals=domain_id, UserProfileNameEquals="alice")
    by_space = sagemaker.list_apps(DomainIdEquals=domain_id, SpaceNameEquals="team")
    assert [a["AppType"] for a in by_profile["Apps"]] == ["JupyterServer"]
    assert [a["AppType"] for a in by_space["Apps"]] == ["JupyterLab"]

    # WHEN the space is deleted while its app runs, THEN AWS refuses
    with pytest.raises(ClientError) as error:
        sagemaker.delete_space(DomainId=domain_id, SpaceName="team")
    assert _error_code(error) == "ResourceInUse"

    # WHEN the app is deleted, THEN it stays visible as Deleted and the space can go
    sagemaker.delete_app(
        DomainId=domain_id, SpaceName="team", AppType="JupyterLab", AppName="default"
    )
    deleted = sagemaker.describe_app(
        DomainId=domain_id, SpaceName="team", AppType="JupyterLab", AppName="default"
    )
    assert deleted["Status"] == "Deleted"
    sagemaker.delete_space(DomainId=domain_id, SpaceName="team")
    assert [a["SpaceName"] for a in sagemaker.list_apps()["Apps"] if "SpaceName" in a] == []


def test_deleted_app_name_can_be_reused(sagemaker: Any, domain_id: str) -> None:
    # GIVEN a deleted app
    sagemaker.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    identity = {
        "DomainId": domain_id,
        "UserProfileName": "alice",
        "AppType": "KernelGateway",
        "AppName": "datascience-1-0-ml-t3-medium",
    }
    sagemaker.create_app(**identity)
    sagemaker.delete_app(**identity)

    # WHEN it is created again
    sagemaker.create_app(**identity)

    # THEN the new app is in service
    assert sagemaker.describe_app(**identity)["Status"] == "InService"


def test_list_apps_paginates(sagemaker: Any, domain_id: str) -> None:
    # GIVEN four apps of one profile
    sagemaker.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    for index in range(4):
        sagemaker.create_app(
            DomainId=domain_id,
            UserProfileName="alice",
            AppType="KernelGateway",
            AppName=f"kernel-{index}",
        )

    # WHEN listing three per page
    first = sagemaker.list_apps(MaxResults=3)
    second = sagemaker.list_apps(MaxResults=3, NextToken=first["NextToken"])

    # THEN the second page holds the rest
    assert [a["AppName"] for a in first["Apps"] + second["Apps"]] == [
        f"kernel-{index}" for index in range(4)
    ]
    assert "NextToken" not in second


# --------------------------------------------------------------------------------------------
# Validation errors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("create_user_profile", {"DomainId": "d-missing", "UserProfileName": "alice"}),
        ("create_space", {"DomainId": "d-missing", "SpaceName": "team"}),
        (
            "create_app",
            {
                "DomainId": "d-missing",
                "UserProfileName": "alice",
                "AppType": "JupyterServer",
                "AppName": "default",
            },
        ),
        ("update_domain", {"DomainId": "d-missing"}),
        ("describe_domain", {"DomainId": "d-missing"}),
    ],
)
def test_unknown_domain_is_resource_not_found(
    sagemaker: Any, operation: str, kwargs: dict[str, Any]
) -> None:
    # GIVEN no domain d-missing
    # WHEN a call names it
    with pytest.raises(ClientError) as error:
        getattr(sagemaker, operation)(**kwargs)

    # THEN SageMaker answers ResourceNotFound
    assert _error_code(error) == "ResourceNotFound"


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("describe_user_profile", {"UserProfileName": "nobody"}),
        ("update_user_profile", {"UserProfileName": "nobody"}),
        ("delete_user_profile", {"UserProfileName": "nobody"}),
        ("describe_space", {"SpaceName": "nowhere"}),
        ("update_space", {"SpaceName": "nowhere"}),
        ("delete_space", {"SpaceName": "nowhere"}),
        (
            "describe_app",
            {"UserProfileName": "nobody", "AppType": "JupyterServer", "AppName": "default"},
        ),
        (
            "delete_app",
            {"UserProfileName": "nobody", "AppType": "JupyterServer", "AppName": "default"},
        ),
        (
            "create_app",
            {"UserProfileName": "nobody", "AppType": "JupyterServer", "AppName": "default"},
        ),
        ("create_app", {"SpaceName": "nowhere", "AppType": "JupyterLab", "AppName": "default"}),
        (
            "create_space",
            {
                "SpaceName": "private",
                "OwnershipSettings": {"OwnerUserProfileName": "nobody"},
                "SpaceSharingSettings": {"SharingType": "Private"},
            },
        ),
    ],
)
def test_unknown_studio_resource_is_resource_not_found(
    sagemaker: Any, domain_id: str, operation: str, kwargs: dict[str, Any]
) -> None:
    # GIVEN an empty domain
    # WHEN a call names a profile, space or app that does not exist
    with pytest.raises(ClientError) as error:
        getattr(sagemaker, operation)(DomainId=domain_id, **kwargs)

    # THEN SageMaker answers ResourceNotFound
    assert _error_code(error) == "ResourceNotFound"


def test_duplicate_names_are_resource_in_use(sagemaker: Any, domain_id: str) -> None:
    # GIVEN a profile, a space and an app
    sagemaker.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    sagemaker.create_space(DomainId=domain_id, SpaceName="team")
    app = {
        "DomainId": domain_id,
        "SpaceName": "team",
        "AppType": "JupyterLab",
        "AppName": "default",
    }
    sagemaker.create_app(**app)

    # WHEN each is created again, THEN SageMaker answers ResourceInUse
    creates: tuple[Callable[[], object], ...] = (
        lambda: sagemaker.create_user_profile(DomainId=domain_id, UserProfileName="alice"),
        lambda: sagemaker.create_space(DomainId=domain_id, SpaceName="team"),
        lambda: sagemaker.create_app(**app),
    )
    for create in creates:
        with pytest.raises(ClientError) as error:
            create()
        assert _error_code(error) == "ResourceInUse"


def test_app_needs_exactly_one_owner(sagemaker: Any, domain_id: str) -> None:
    # GIVEN a profile and a space
    sagemaker.create_user_profile(DomainId=domain_id, UserProfileName="alice")
    sagemaker.create_space(DomainId=domain_id, SpaceName="team")

    # WHEN an app names both, THEN the request is invalid
    with pytest.raises(ClientError) as error:
        sagemaker.create_app(
            DomainId=domain_id,
            UserProfileName="alice",
            SpaceName="team",
            AppType="JupyterLab",
            AppName="default",
        )
    assert _error_code(error) == "ValidationException"


def test_domain_with_profiles_cannot_be_deleted(sagemaker: Any, domain_id: str) -> None:
    # GIVEN a domain with a profile
    sagemaker.create_user_profile(DomainId=domain_id, UserProfileName="alice")

    # WHEN the domain is deleted, THEN SageMaker refuses
    with pytest.raises(ClientError) as error:
        sagemaker.delete_domain(DomainId=domain_id)
    assert _error_code(error) == "ResourceInUse"

    # WHEN the profile goes first, THEN the domain can be deleted
    sagemaker.delete_user_profile(DomainId=domain_id, UserProfileName="alice")
    sagemaker.delete_domain(DomainId=domain_id)
    assert sagemaker.list_domains()["Domains"] == []


# --------------------------------------------------------------------------------------------
# Tagging
# --------------------------------------------------------------------------------------------


def test_add_tags_overwrites_an_existing_key(sagemaker: Any) -> None:
    # GIVEN an experiment tagged stage=dev (a moto-native resource type)
    arn = sagemaker.create_experiment(
        ExperimentName="exp", Tags=[{"Key": "stage", "Value": "dev"}]
    )["ExperimentArn"]

    # WHEN the same key is added with a new value, together with a new key
    sagemaker.add_tags(
        ResourceArn=arn,
        Tags=[{"Key": "stage", "Value": "prod"}, {"Key": "team", "Value": "ml"}],
    )

    # THEN the value is replaced, not duplicated
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [
        {"Key": "stage", "Value": "prod"},
        {"Key": "team", "Value": "ml"},
    ]


def test_create_experiment_keeps_its_tags(sagemaker: Any) -> None:
    # GIVEN / WHEN an experiment is created with tags
    arn = sagemaker.create_experiment(
        ExperimentName="with-tags", Tags=[{"Key": "owner", "Value": "alice"}]
    )["ExperimentArn"]

    # THEN ListTags returns them
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "owner", "Value": "alice"}]


def test_domain_created_without_tags_can_be_tagged(sagemaker: Any, domain_id: str) -> None:
    # GIVEN a domain created without Tags
    arn = sagemaker.describe_domain(DomainId=domain_id)["DomainArn"]
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == []

    # WHEN a tag is added
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "cost-center", "Value": "42"}])

    # THEN it is listed
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "cost-center", "Value": "42"}]


@pytest.mark.parametrize(
    "arn",
    [
        _arn("model/does-not-exist"),
        _arn("user-profile/d-missing/nobody"),
        _arn("space/d-missing/nowhere"),
        _arn("app/d-missing/nobody/jupyterserver/default"),
        _arn("experiment/a/b/c"),
        _arn("no-slash-at-all"),
        _arn("unknown-type/name"),
        "arn:aws:sagemaker:us-east-1:210987654321:domain/d-studio",
        "not-an-arn",
    ],
)
@pytest.mark.parametrize("operation", ["add_tags", "list_tags", "delete_tags"])
def test_tagging_an_unknown_arn_is_a_validation_exception(
    sagemaker: Any, domain_id: str, arn: str, operation: str
) -> None:
    # GIVEN a domain d-studio in this account only
    arguments_of: dict[str, dict[str, Any]] = {
        "add_tags": {"Tags": [{"Key": "k", "Value": "v"}]},
        "list_tags": {},
        "delete_tags": {"TagKeys": ["k"]},
    }
    arguments = arguments_of[operation]

    # WHEN a tagging call names an ARN nothing answers to
    with pytest.raises(ClientError) as error:
        getattr(sagemaker, operation)(ResourceArn=arn, **arguments)

    # THEN SageMaker answers ValidationException
    assert _error_code(error) == "ValidationException"


def test_tagging_studio_arns(sagemaker: Any, domain_id: str) -> None:
    # GIVEN a profile, a space and an app
    profile = sagemaker.create_user_profile(DomainId=domain_id, UserProfileName="Alice")[
        "UserProfileArn"
    ]
    space = sagemaker.create_space(DomainId=domain_id, SpaceName="team")["SpaceArn"]
    app = sagemaker.create_app(
        DomainId=domain_id, SpaceName="team", AppType="CodeEditor", AppName="default"
    )["AppArn"]

    for arn in (profile, space, app):
        # WHEN tags are added, overwritten and deleted
        sagemaker.add_tags(
            ResourceArn=arn,
            Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}],
        )
        sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "a", "Value": "3"}])
        sagemaker.delete_tags(ResourceArn=arn, TagKeys=["b"])

        # THEN ListTags shows the result
        assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "a", "Value": "3"}]


def test_tagging_api_sees_studio_resources(sagemaker: Any, domain_id: str) -> None:
    # GIVEN a tagged profile, space and app, and an untagged profile
    tags = [{"Key": "sagemaker:domain-arn", "Value": _arn(f"domain/{domain_id}")}]
    profile = sagemaker.create_user_profile(DomainId=domain_id, UserProfileName="alice", Tags=tags)[
        "UserProfileArn"
    ]
    sagemaker.create_user_profile(DomainId=domain_id, UserProfileName="untagged")
    space = sagemaker.create_space(DomainId=domain_id, SpaceName="team", Tags=tags)["SpaceArn"]
    app = sagemaker.create_app(
        DomainId=domain_id, SpaceName="team", AppType="JupyterLab", AppName="default", Tags=tags
    )["AppArn"]
    tagging = boto3.client("resourcegroupstaggingapi", region_name=REGION)

    def arns(*type_filters: str) -> set[str]:
        pages = tagging.get_paginator("get_resources").paginate(
            ResourceTypeFilters=list(type_filters)
        )
        return {m["ResourceARN"] for page in pages for m in page["ResourceTagMappingList"]}

    # WHEN / THEN filtering by type returns each, and "sagemaker" returns all three
    assert arns("sagemaker:user-profile") == {profile}
    assert arns("sagemaker:space") == {space}
    assert arns("sagemaker:app") == {app}
    assert {profile, space, app} <= arns("sagemaker")

    # WHEN TagResources tags a profile ARN, THEN SageMaker's ListTags sees it
    result = tagging.tag_resources(ResourceARNList=[profile], Tags={"team": "ml"})
    assert result["FailedResourcesMap"] == {}
    assert {"Key": "team", "Value": "ml"} in sagemaker.list_tags(ResourceArn=profile)["Tags"]


def test_tagging_api_types_trials_by_arn_segment_and_lists_model_cards(sagemaker: Any) -> None:
    # GIVEN a tagged trial and a tagged model card
    sagemaker.create_experiment(ExperimentName="exp")
    trial = sagemaker.create_trial(TrialName="trial", ExperimentName="exp")["TrialArn"]
    sagemaker.add_tags(ResourceArn=trial, Tags=[{"Key": "k", "Value": "v"}])
    card = sagemaker.create_model_card(
        ModelCardName="card",
        Content="{}",
        ModelCardStatus="Draft",
        Tags=[{"Key": "k", "Value": "v"}],
    )["ModelCardArn"]
    tagging = boto3.client("resourcegroupstaggingapi", region_name=REGION)

    # WHEN GetResources filters by the ARN's resource segment
    def arns(type_filter: str) -> list[str]:
        mappings = tagging.get_resources(ResourceTypeFilters=[type_filter])
        return [m["ResourceARN"] for m in mappings["ResourceTagMappingList"]]

    # THEN each is found under its own type (and the listing does not crash on cards)
    assert arns("sagemaker:experiment-trial") == [trial]
    assert arns("sagemaker:model-card") == [card]


# --------------------------------------------------------------------------------------------
# Domains
# --------------------------------------------------------------------------------------------


def test_create_domain_keeps_domain_and_space_settings(sagemaker: Any) -> None:
    # GIVEN / WHEN a domain is created with DomainSettings and DefaultSpaceSettings
    domain_id = _create_domain(
        sagemaker,
        "configured",
        DomainSettings={"ExecutionRoleIdentityConfig": "USER_PROFILE_NAME"},
        DefaultSpaceSettings={"ExecutionRole": OTHER_ROLE_ARN},
        TagPropagation="ENABLED",
    )

    # THEN DescribeDomain returns them
    described = sagemaker.describe_domain(DomainId=domain_id)
    assert described["DomainSettings"] == {"ExecutionRoleIdentityConfig": "USER_PROFILE_NAME"}
    assert described["DefaultSpaceSettings"] == {"ExecutionRole": OTHER_ROLE_ARN}
    assert described["TagPropagation"] == "ENABLED"


def test_update_domain(sagemaker: Any, domain_id: str) -> None:
    # GIVEN a domain with an execution role and no domain settings
    # WHEN it is updated
    response = sagemaker.update_domain(
        DomainId=domain_id,
        DefaultUserSettings={"SecurityGroups": ["sg-1"]},
        DomainSettingsForUpdate={
            "ExecutionRoleIdentityConfig": "USER_PROFILE_NAME",
            "RStudioServerProDomainSettingsForUpdate": {"DomainExecutionRoleArn": ROLE_ARN},
        },
        DefaultSpaceSettings={"ExecutionRole": OTHER_ROLE_ARN},
        TagPropagation="ENABLED",
        AppNetworkAccessType="VpcOnly",
    )

    # THEN only the DomainArn comes back, and DescribeDomain shows the merged settings
    response.pop("ResponseMetadata")
    assert response == {"DomainArn": _arn(f"domain/{domain_id}")}
    described = sagemaker.describe_domain(DomainId=domain_id)
    assert described["DefaultUserSettings"] == {
        "ExecutionRole": ROLE_ARN,
        "SecurityGroups": ["sg-1"],
    }
    assert described["DomainSettings"] == {
        "ExecutionRoleIdentityConfig": "USER_PROFILE_NAME",
        "RStudioServerProDomainSettings": {"DomainExecutionRoleArn": ROLE_ARN},
    }
    assert described["DefaultSpaceSettings"] == {"ExecutionRole": OTHER_ROLE_ARN}
    assert described["TagPropagation"] == "ENABLED"
    assert described["AppNetworkAccessType"] == "VpcOnly"


# --------------------------------------------------------------------------------------------
# Raw response shapes
# --------------------------------------------------------------------------------------------

_SERVICE_MODEL = botocore.session.get_session().get_service_model("sagemaker")


def _shape_problems(value: Any, shape: Shape, path: str) -> list[str]:
    """Keys the model does not define, and required members that are missing."""
    problems: list[str] = []
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {value!r}"]
        problems += [
            f"{path}.{name}: required member missing"
            for name in shape.required_members
            if name not in value
        ]
        for key, member_value in value.items():
            if key not in shape.members:
                problems.append(f"{path}.{key}: not a member of {shape.name}")
            else:
                problems += _shape_problems(member_value, shape.members[key], f"{path}.{key}")
    elif isinstance(shape, ListShape):
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {value!r}"]
        for index, item in enumerate(value):
            problems += _shape_problems(item, shape.member, f"{path}[{index}]")
    elif isinstance(shape, MapShape):
        if not isinstance(value, dict):
            return [f"{path}: expected a map, got {value!r}"]
        for key, item in value.items():
            problems += _shape_problems(item, shape.value, f"{path}[{key}]")
    return problems


def test_raw_responses_match_botocore_output_shapes(sagemaker: Any) -> None:
    # GIVEN a recorder of every raw SageMaker response body
    raw: dict[str, list[bytes]] = {}

    def record(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        raw.setdefault(operation_model.name, []).append(response_dict["body"])

    sagemaker.meta.events.register("before-parse.sagemaker.*", record)

    # WHEN every implemented operation is called with its settings populated
    domain_id = _create_domain(
        sagemaker,
        "shapes",
        DomainSettings={"ExecutionRoleIdentityConfig": "USER_PROFILE_NAME"},
        DefaultSpaceSettings={"ExecutionRole": ROLE_ARN},
        TagPropagation="ENABLED",
    )
    tags = [{"Key": "k", "Value": "v"}]
    profile_arn = sagemaker.create_user_profile(
        DomainId=domain_id,
        UserProfileName="alice",
        UserSettings={"ExecutionRole": ROLE_ARN},
        Tags=tags,
    )["UserProfileArn"]
    sagemaker.describe_user_profile(DomainId=domain_id, UserProfileName="alice")
    sagemaker.update_user_profile(
        DomainId=domain_id, UserProfileName="alice", UserSettings={"SecurityGroups": ["sg-1"]}
    )
    sagemaker.create_user_profile(DomainId=domain_id, UserProfileName="bob")
    sagemaker.list_user_profiles(MaxResults=1)
    sagemaker.create_space(
        DomainId=domain_id,
        SpaceName="private",
        OwnershipSettings={"OwnerUserProfileName": "alice"},
        SpaceSharingSettings={"SharingType": "Private"},
        SpaceSettings={"AppType": "JupyterLab", "RemoteAccess": "DISABLED"},
        SpaceDisplayName="Private",
        Tags=tags,
    )
    sagemaker.create_space(DomainId=domain_id, SpaceName="shared")
    sagemaker.describe_space(DomainId=domain_id, SpaceName="private")
    sagemaker.update_space(
        DomainId=domain_id, SpaceName="private", SpaceSettings={"AppType": "CodeEditor"}
    )
    sagemaker.list_spaces(MaxResults=1)
    app = {"DomainId": domain_id, "SpaceName": "private", "AppType": "CodeEditor"}
    sagemaker.create_app(**app, AppName="default", ResourceSpec={"InstanceType": "ml.t3.medium"})
    sagemaker.create_app(
        DomainId=domain_id, UserProfileName="bob", AppType="JupyterServer", AppName="default"
    )
    sagemaker.describe_app(**app, AppName="default")
    sagemaker.list_apps(MaxResults=1)
    sagemaker.delete_app(**app, AppName="default")
    sagemaker.describe_app(**app, AppName="default")
    sagemaker.update_domain(
        DomainId=domain_id,
        DefaultUserSettings={"ExecutionRole": OTHER_ROLE_ARN},
        DomainSettingsForUpdate={"ExecutionRoleIdentityConfig": "DISABLED"},
        DefaultSpaceSettings={"ExecutionRole": OTHER_ROLE_ARN},
    )
    sagemaker.describe_domain(DomainId=domain_id)
    sagemaker.add_tags(ResourceArn=profile_arn, Tags=[{"Key": "k", "Value": "w"}])
    sagemaker.list_tags(ResourceArn=profile_arn)
    sagemaker.delete_tags(ResourceArn=profile_arn, TagKeys=["k"])
    sagemaker.create_experiment(ExperimentName="exp", Tags=tags)
    sagemaker.delete_space(DomainId=domain_id, SpaceName="private")
    sagemaker.delete_space(DomainId=domain_id, SpaceName="shared")
    sagemaker.delete_user_profile(DomainId=domain_id, UserProfileName="alice")

    # THEN every operation was seen, and each raw body fits the operation's output shape
    expected = {
        f"{verb}{noun}"
        for noun in ("UserProfile", "Space")
        for verb in ("Create", "Describe", "Update", "Delete")
    } | {
        "ListUserProfiles",
        "ListSpaces",
        "CreateApp",
        "DescribeApp",
        "ListApps",
        "DeleteApp",
        "UpdateDomain",
        "DescribeDomain",
        "AddTags",
        "ListTags",
        "DeleteTags",
        "CreateExperiment",
    }
    assert expected <= raw.keys()
    problems: list[str] = []
    for operation in sorted(expected):
        output_shape = _SERVICE_MODEL.operation_model(operation).output_shape
        for body in raw[operation]:
            parsed = json.loads(body) if body.strip() else {}
            if output_shape is None:
                if parsed:
                    problems.append(f"{operation}: expected an empty body, got {parsed}")
                continue
            problems += _shape_problems(parsed, output_shape, operation)
    assert problems == []
    # AND the list calls really returned a NextToken to check
    assert any(b'"NextToken"' in body for body in raw["ListUserProfiles"])


# --------------------------------------------------------------------------------------------
# Under a moto server
# --------------------------------------------------------------------------------------------


def test_install_works_under_threaded_moto_server(aws_env: None) -> None:
    # GIVEN the patches installed, then a moto server in this process
    install_all()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        client = boto3.client("sagemaker", region_name=REGION, endpoint_url=endpoint)
        domain_id = _create_domain(client, "served")

        # WHEN Studio calls go over HTTP
        arn = client.create_user_profile(
            DomainId=domain_id,
            UserProfileName="alice",
            Tags=[{"Key": "k", "Value": "v"}],
        )["UserProfileArn"]
        client.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "w"}])

        # THEN they are served by the patched backend
        assert client.describe_user_profile(DomainId=domain_id, UserProfileName="alice")[
            "UserProfileArn"
        ] == _arn(f"user-profile/{domain_id}/alice")
        assert client.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "w"}]
        with pytest.raises(ClientError) as error:
            client.list_tags(ResourceArn=_arn("user-profile/d-missing/nobody"))
        assert _error_code(error) == "ValidationException"
    finally:
        # The server shares this process's backends; leave nothing behind for other tests.
        reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
        urllib.request.urlopen(reset).close()
        server.stop()
