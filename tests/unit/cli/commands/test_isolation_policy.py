"""`tag-enforcer isolation-policy` prints the policy as JSON and explains bad input on stderr.

DescribeDomain is answered by botocore's Stubber (responses checked against the
SageMaker model), so no test here reaches the network.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import NoCredentialsError, NoRegionError
from botocore.stub import Stubber

from tag_enforcer_cli import cli
from tag_enforcer_cli.commands import isolation_policy as command
from tag_enforcer_cli.isolation_policy import build_isolation_policy, user_profile_arn

DOMAIN_ARN = "arn:aws:sagemaker:eu-west-1:111122223333:domain/d-finance00001"
MODULE = "tag_enforcer_cli.commands.isolation_policy"
SHIPPED_COMMAND_MODULES = cli.COMMAND_MODULES


@pytest.fixture(autouse=True)
def only_this_subcommand(monkeypatch: pytest.MonkeyPatch) -> None:
    # Other subcommands' modules are not this test's concern.
    monkeypatch.setattr(cli, "COMMAND_MODULES", (MODULE,))


@pytest.fixture
def stubbed_sagemaker(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    client = boto3.client(
        "sagemaker",
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    regions: list[str | None] = []

    def factory(region: str | None) -> Any:
        regions.append(region)
        return client

    monkeypatch.setattr(command, "_sagemaker_client", factory)
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()
    assert regions == ["eu-west-1"]


class FailingClientFactory:
    """Stands in for boto3 when the credential chain or region config is empty."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def __call__(self, region: str | None) -> Any:
        raise self.error


def test_subcommand_is_registered_with_the_cli() -> None:
    # GIVEN the CLI's module list as shipped, read before any test patched it
    # WHEN it is searched
    # THEN this subcommand is in it
    assert MODULE in SHIPPED_COMMAND_MODULES


def test_domain_arn_prints_the_policy_without_aws_calls(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN no way to reach AWS
    monkeypatch.setattr(command, "_sagemaker_client", FailingClientFactory(AssertionError()))
    # WHEN the policy is asked for by domain ARN
    exit_code = cli.main(["isolation-policy", "--domain", DOMAIN_ARN])
    # THEN the JSON policy documents are printed and nothing goes to stderr
    out, err = capsys.readouterr()
    assert exit_code == 0
    assert json.loads(out) == build_isolation_policy(DOMAIN_ARN)
    assert err == ""


def test_profile_scopes_the_printed_policy(capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a domain ARN and a user profile name
    # WHEN the policy is asked for with --profile
    exit_code = cli.main(["isolation-policy", "--domain", DOMAIN_ARN, "--profile", "Alice"])
    # THEN creates must carry alice's profile ARN
    policy = json.loads(capsys.readouterr().out)
    alice = user_profile_arn(DOMAIN_ARN, "Alice")
    assert exit_code == 0
    assert policy == build_isolation_policy(DOMAIN_ARN, alice)
    condition = policy[0]["Statement"][0]["Condition"]["StringEquals"]
    assert condition["aws:RequestTag/sagemaker:user-profile-arn"] == alice


def test_domain_id_is_resolved_with_describe_domain(
    capsys: pytest.CaptureFixture[str], stubbed_sagemaker: Stubber
) -> None:
    # GIVEN SageMaker knows domain d-finance00001
    stubbed_sagemaker.add_response(
        "describe_domain",
        {"DomainArn": DOMAIN_ARN, "DomainId": "d-finance00001"},
        {"DomainId": "d-finance00001"},
    )
    # WHEN the policy is asked for by domain id
    exit_code = cli.main(
        ["isolation-policy", "--domain", "d-finance00001", "--region", "eu-west-1"]
    )
    # THEN the policy names the resolved ARN
    assert exit_code == 0
    assert json.loads(capsys.readouterr().out) == build_isolation_policy(DOMAIN_ARN)


def test_unknown_domain_id_exits_2_with_advice(
    capsys: pytest.CaptureFixture[str], stubbed_sagemaker: Stubber
) -> None:
    # GIVEN SageMaker does not know the domain
    stubbed_sagemaker.add_client_error(
        "describe_domain",
        service_error_code="ResourceNotFound",
        service_message="Domain d-missing000001 not found",
        http_status_code=400,
    )
    # WHEN the policy is asked for by that id
    exit_code = cli.main(
        ["isolation-policy", "--domain", "d-missing000001", "--region", "eu-west-1"]
    )
    # THEN stderr names the domain and what to check, and stdout stays empty
    out, err = capsys.readouterr()
    assert exit_code == 2
    assert out == ""
    assert "d-missing000001" in err
    assert "--region" in err


@pytest.mark.parametrize(
    ("error", "advice"),
    [
        (NoCredentialsError(), "pass the domain ARN instead"),
        (NoRegionError(), "--region"),
    ],
)
def test_missing_credentials_or_region_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    advice: str,
) -> None:
    # GIVEN boto3 finds no credentials, or no region
    monkeypatch.setattr(command, "_sagemaker_client", FailingClientFactory(error))
    # WHEN the policy is asked for by domain id
    exit_code = cli.main(["isolation-policy", "--domain", "d-finance00001"])
    # THEN stderr says what is missing and what to do
    err = capsys.readouterr().err
    assert exit_code == 2
    assert "d-finance00001" in err
    assert advice in err


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--domain", "finance"], "'finance'"),
        (["--domain", "arn:aws:sagemaker:eu-west-1:111122223333:model/m"], "model/m"),
        (["--domain", DOMAIN_ARN, "--profile", "not a name"], "'not a name'"),
        (["--domain", DOMAIN_ARN, "--region", "us-east-1"], "us-east-1"),
    ],
)
def test_bad_input_exits_2_naming_it(
    capsys: pytest.CaptureFixture[str], arguments: list[str], named: str
) -> None:
    # GIVEN input that names no domain or profile, or contradicts itself
    # WHEN the policy is asked for
    exit_code = cli.main(["isolation-policy", *arguments])
    # THEN stderr names the bad part and nothing is printed to stdout
    out, err = capsys.readouterr()
    assert exit_code == 2
    assert out == ""
    assert named in err
    assert err.startswith("tag-enforcer isolation-policy: ")
