"""Every sample in events/create goes through the deployed rule and the enforce handler.

The samples are replayed into the emulated account (their account id swapped for
the emulator's). Where moto can create the resource from the sample's own request,
the test proves the handler tagged that ARN; where it cannot, it proves the
handler extracted the right ARN and decided to tag it with the right domain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tag_enforcer.aws.sagemaker_directory import read_directory
from tag_enforcer.core import registry
from tag_enforcer.core.cloudtrail import CloudTrailApiCallEvent, resource_arn
from tag_enforcer.core.decisions import Outcome
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings
from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer.enforce.service import EnforcementResult, EnforcementService
from tag_enforcer_dev.emulator.deploy import Deployment
from tag_enforcer_dev.emulator.pipeline import EnforcePipeline
from tag_enforcer_dev.scenario import boto3_method
from tests.support.ports import FakeDirectory, FakeTags

pytestmark = pytest.mark.e2e

SAMPLES = Path(__file__).resolve().parents[2] / "events" / "create"
SAMPLE_ACCOUNT = "111122223333"
SAMPLE_DOMAIN_ID = "d-8f3kq2lxw9ab"
SAMPLE_ROLE = "FinanceDataScientistRole"
# Studio resources first, so the profile and space exist when later samples name them;
# the domain last, since a second domain with the same role would make the role ambiguous.
FIRST = ("CreateUserProfile", "CreateSpace", "CreateApp")
LAST = ("CreateDomain",)


def pascal_case(document: Any) -> Any:
    """CloudTrail's camelCase request back into the members botocore expects."""
    if isinstance(document, dict):
        return {k[:1].upper() + k[1:]: pascal_case(v) for k, v in document.items()}
    if isinstance(document, list):
        return [pascal_case(item) for item in document]
    return document


def replay_order() -> list[str]:
    names = sorted(path.stem for path in SAMPLES.glob("*.json"))
    middle = [n for n in names if n not in FIRST + LAST]
    return [*FIRST, *middle, *LAST]


@dataclass
class Replay:
    event: dict[str, Any]
    arn: str
    created_by_moto: bool
    decision: dict[str, Any] | None = None
    offline: EnforcementResult | None = None


def _prepare_account(deployment: Deployment) -> str:
    iam = deployment.account.client("iam")
    role_arn: str = iam.create_role(
        RoleName=SAMPLE_ROLE, Path="/service-role/", AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    deployment.account.client("sagemaker").create_domain(
        DomainName=SAMPLE_DOMAIN_ID.removeprefix("d-"),  # moto names its domains d-<name>
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": role_arn},
        SubnetIds=["subnet-0a1b2c3d"],
        VpcId="vpc-0a1b2c3d",
    )
    return role_arn


def _decide_without_moto(deployment: Deployment, event: dict[str, Any]) -> EnforcementResult:
    """The handler's service on an in-memory tag store, for a resource moto cannot hold."""
    account = deployment.account
    sagemaker = account.client("sagemaker")
    directory = read_directory(sagemaker, "aws", account.region, account.account_id, 0.0)
    service = EnforcementService(
        EnforcerSettings(mode=EnforcementMode.TAG), FakeDirectory(directory), FakeTags(), None
    )
    return service.enforce(CloudTrailApiCallEvent.model_validate(event).detail)


@pytest.fixture(scope="module")
def replays(tag_mode_deployment: Deployment) -> dict[str, Replay]:
    account = tag_mode_deployment.account
    _prepare_account(tag_mode_deployment)
    sagemaker = account.client("sagemaker")
    pipeline = EnforcePipeline(account, tag_mode_deployment.stack)
    results: dict[str, Replay] = {}
    for operation in replay_order():
        sample = (SAMPLES / f"{operation}.json").read_text()
        event = json.loads(sample.replace(SAMPLE_ACCOUNT, account.account_id))
        # Replayed as it happens: the call is made on the emulated account just now, after
        # the domain it names was created there (only owners that existed count).
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        event["time"] = event["detail"]["eventTime"] = now
        record = CloudTrailApiCallEvent.model_validate(event).detail
        resource_type = registry.for_create_event(operation)
        assert resource_type is not None
        arn = resource_arn(record, resource_type)
        assert arn is not None, f"{operation}: no ARN"
        try:
            getattr(sagemaker, boto3_method(operation))(**pascal_case(record.request_parameters))
            # moto creates some types (feature groups, lifecycle configs) it cannot tag.
            sagemaker.list_tags(ResourceArn=arn)
            created = True
        except (ClientError, NotImplementedError, AttributeError, TypeError):
            created = False
        pipeline.publish([event])
        # A record whose named parent is not tagged yet comes back, as SQS redelivers it.
        logged = pipeline.drain_with_redelivery()
        decision = next((r for r in logged if r["message"] == "decision"), None)
        offline = None if created else _decide_without_moto(tag_mode_deployment, event)
        results[operation] = Replay(event, arn, created, decision, offline)
    pipeline.close()
    return results


@pytest.mark.parametrize("operation", replay_order())
def test_sample_reaches_the_handler_through_the_deployed_rule(
    replays: dict[str, Replay], operation: str
) -> None:
    replay = replays[operation]
    assert replay.decision is not None, f"{operation} did not reach the handler"
    assert replay.decision["resource_arn"] == replay.arn


@pytest.mark.parametrize("operation", replay_order())
def test_sample_resource_is_tagged_or_correctly_decided(
    replays: dict[str, Replay], operation: str, tag_mode_deployment: Deployment
) -> None:
    replay = replays[operation]
    account = tag_mode_deployment.account
    sagemaker = account.client("sagemaker")
    domain_arn = next(
        d["DomainArn"]
        for d in sagemaker.list_domains()["Domains"]
        if d["DomainId"] == SAMPLE_DOMAIN_ID
    )
    expected_domain = replay.arn if operation == "CreateDomain" else domain_arn
    if replay.created_by_moto:
        # THEN the handler tagged the ARN it took from the event, on the emulated account
        assert replay.decision is not None
        assert replay.decision["action"] == "tagged", replay.decision
        tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=replay.arn)["Tags"]}
        assert tags[DOMAIN_TAG] == expected_domain
        return
    # moto cannot hold this resource: the same service decided on an in-memory tag store
    result = replay.offline
    assert result is not None
    assert result.resource_arn == replay.arn
    assert result.outcome is Outcome.TAG, result
    assert result.tags_added is not None
    assert result.tags_added[DOMAIN_TAG] == expected_domain


def test_a_good_share_of_samples_is_tagged_on_the_emulated_account(
    replays: dict[str, Replay],
) -> None:
    # Guards against the replay silently falling back to the offline path for everything.
    created = sorted(op for op, replay in replays.items() if replay.created_by_moto)
    assert len(created) >= 15, created
