"""Organization mode is switched on by the member role's name, and refuses a malformed setting."""

from __future__ import annotations

import pytest

from tag_enforcer.core.settings import (
    ENV_DEPLOYMENT_ACCOUNT_ID,
    ENV_FUNCTION_NAME,
    ENV_MEMBER_ROLE_NAME,
    ENV_ORGANIZATION_ID,
    ENV_ORGANIZATION_READ_ROLE_ARN,
    EnforcerSettings,
    OrganizationSettings,
    session_name,
)

ORGANIZATION = {
    ENV_ORGANIZATION_ID: "o-a1b2c3d4e5",
    ENV_MEMBER_ROLE_NAME: "SageMakerTagEnforcerMember",
    ENV_DEPLOYMENT_ACCOUNT_ID: "111122223333",
}


def test_a_single_account_deployment_has_no_organization() -> None:
    # The template passes the parameters through even when empty (their defaults).
    env = {ENV_ORGANIZATION_ID: "", ENV_MEMBER_ROLE_NAME: "", ENV_DEPLOYMENT_ACCOUNT_ID: ""}
    assert EnforcerSettings.from_environment(env).organization is None
    assert EnforcerSettings.from_environment({}).organization is None


def test_organization_mode_reads_every_variable() -> None:
    env = {
        **ORGANIZATION,
        ENV_ORGANIZATION_READ_ROLE_ARN: "arn:aws:iam::999988887777:role/OrgReader",
        ENV_FUNCTION_NAME: "sagemaker-tag-enforcer-EnforceFunction-AbCdEf123456",
    }
    organization = EnforcerSettings.from_environment(env).organization
    assert organization == OrganizationSettings(
        organization_id="o-a1b2c3d4e5",
        member_role_name="SageMakerTagEnforcerMember",
        deployment_account="111122223333",
        read_role_arn="arn:aws:iam::999988887777:role/OrgReader",
        session_name="sagemaker-tag-enforcer-EnforceFunction-AbCdEf123456",
    )
    assert organization.member_role_arn("aws-cn", "222233334444") == (
        "arn:aws-cn:iam::222233334444:role/SageMakerTagEnforcerMember"
    )
    assert organization.is_member("222233334444")
    assert not organization.is_member("111122223333")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (ENV_ORGANIZATION_ID, "r-abcd"),
        (ENV_ORGANIZATION_ID, ""),
        (ENV_MEMBER_ROLE_NAME, "role/with/slashes"),
        (ENV_DEPLOYMENT_ACCOUNT_ID, "1111"),
    ],
)
def test_a_malformed_setting_stops_the_function_at_start(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        OrganizationSettings.from_environment({**ORGANIZATION, name: value})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sagemaker-tag-enforcer-SweepFunction-1A2B", "sagemaker-tag-enforcer-SweepFunction-1A2B"),
        ("x" * 80, "x" * 64),
        ("tag enforcer/cli", "tag-enforcer-cli"),
        ("", "tag-enforcer"),
    ],
)
def test_the_session_name_is_always_one_sts_accepts(text: str, expected: str) -> None:
    # STS: 2-64 characters of [\w+=,.@-] (STS API reference, AssumeRole RoleSessionName).
    assert session_name(text) == expected
