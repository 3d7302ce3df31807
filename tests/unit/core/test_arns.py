"""ARNs are parsed and rebuilt without assuming the `aws` partition."""

from __future__ import annotations

import pytest

from tag_enforcer.core.arns import Arn, InvalidArnError, role_key, role_name_from_arn, sagemaker_arn


@pytest.mark.parametrize(
    "text",
    [
        "arn:aws:sagemaker:us-east-1:111122223333:training-job/churn-xgb",
        "arn:aws-cn:sagemaker:cn-north-1:111122223333:user-profile/d-abc123/alice",
        "arn:aws-us-gov:sagemaker:us-gov-west-1:111122223333:space/d-abc123/team-space",
        "arn:aws:iam::111122223333:role/service-role/FinanceDataScientistRole",
    ],
)
def test_parse_then_str_gives_back_the_same_arn(text: str) -> None:
    # GIVEN an ARN in any partition
    # WHEN it is parsed and printed again
    arn = Arn.parse(text)

    # THEN nothing is lost or reordered
    assert str(arn) == text


def test_parse_splits_the_arn_into_its_parts() -> None:
    # GIVEN a user profile ARN in China
    text = "arn:aws-cn:sagemaker:cn-north-1:111122223333:user-profile/d-abc123/alice"

    # WHEN it is parsed
    arn = Arn.parse(text)

    # THEN each part lands in its field, and the resource splits into segment and path
    assert (arn.partition, arn.service, arn.region, arn.account) == (
        "aws-cn",
        "sagemaker",
        "cn-north-1",
        "111122223333",
    )
    assert arn.resource_segment == "user-profile"
    assert arn.resource_path == ["d-abc123", "alice"]


def test_iam_arns_have_no_region() -> None:
    # GIVEN a GovCloud IAM role ARN (IAM is global, its region is empty)
    # WHEN it is parsed
    arn = Arn.parse("arn:aws-us-gov:iam::111122223333:role/ops/Deployer")

    # THEN the region is empty and the partition is kept
    assert arn.region == ""
    assert arn.partition == "aws-us-gov"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not-an-arn",
        "arn:gcp:sagemaker:us-east-1:111122223333:training-job/x",  # unknown partition
        "arn:aws:sagemaker:us-east-1:12345:training-job/x",  # account is not 12 digits
        "arn:aws:sagemaker:us-east-1:111122223333:",  # no resource
    ],
)
def test_parse_rejects_text_that_is_not_an_arn(text: str) -> None:
    # GIVEN text that is not an ARN of the expected shape
    # WHEN it is parsed
    # THEN InvalidArnError (a ValueError) names the text
    with pytest.raises(InvalidArnError, match="is not an ARN"):
        Arn.parse(text)


@pytest.mark.parametrize(
    ("partition", "region"),
    [("aws", "eu-west-1"), ("aws-cn", "cn-northwest-1"), ("aws-us-gov", "us-gov-east-1")],
)
def test_sagemaker_arn_builds_the_documented_format_in_each_partition(
    partition: str, region: str
) -> None:
    # GIVEN the parts of an app ARN
    # WHEN the ARN is built
    built = sagemaker_arn(
        partition, region, "111122223333", "app", "d-abc", "alice", "jupyterlab", "default"
    )

    # THEN it is arn:<partition>:sagemaker:<region>:<account>:app/<d>/<profile>/<type>/<name>
    assert built == (
        f"arn:{partition}:sagemaker:{region}:111122223333:app/d-abc/alice/jupyterlab/default"
    )
    assert Arn.parse(built).resource_segment == "app"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("arn:aws:iam::111122223333:role/Plain", "Plain"),
        ("arn:aws:iam::111122223333:role/service-role/WithPath", "WithPath"),
        ("arn:aws-cn:iam::111122223333:role/a/b/c/DeepPath", "DeepPath"),
        ("arn:aws:sts::111122223333:assumed-role/Session-Role/maria.garcia", "Session-Role"),
        ("arn:aws-us-gov:sts::111122223333:assumed-role/GovRole/botocore-session-1", "GovRole"),
    ],
)
def test_role_name_from_arn_reads_roles_with_paths_and_sessions(text: str, expected: str) -> None:
    # GIVEN a role ARN (any path) or an assumed-role session ARN
    # WHEN the role name is read
    # THEN it is the bare role name, which is unique in the account whatever the path
    assert role_name_from_arn(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "garbage",
        "arn:aws:iam::111122223333:user/alice",  # a user, not a role
        "arn:aws:iam::111122223333:role/",  # no name
        "arn:aws:sts::111122223333:federated-user/alice",
        "arn:aws:sagemaker:us-east-1:111122223333:training-job/role",
    ],
)
def test_role_name_from_arn_is_none_for_anything_else(text: str) -> None:
    # GIVEN text that is not a role or assumed-role ARN
    # WHEN the role name is read
    # THEN there is none, and nothing raises
    assert role_name_from_arn(text) is None
    assert role_key(text) is None


def test_role_key_matches_a_role_and_its_sessions() -> None:
    # GIVEN the same role as written in a profile, and as the issuer of a session
    role = "arn:aws:iam::111122223333:role/service-role/FinanceDataScientistRole"
    session = "arn:aws:sts::111122223333:assumed-role/FinanceDataScientistRole/maria.garcia"

    # WHEN their keys are taken
    # THEN both are (account, role name)
    assert role_key(role) == ("111122223333", "FinanceDataScientistRole")
    assert role_key(role) == role_key(session)


def test_role_key_tells_the_same_role_name_in_two_accounts_apart() -> None:
    # GIVEN roles with one name in two accounts
    # WHEN their keys are taken
    # THEN they differ
    assert role_key("arn:aws:iam::111122223333:role/Shared") != role_key(
        "arn:aws:iam::444455556666:role/Shared"
    )
