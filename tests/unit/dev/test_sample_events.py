"""The checked-in sample create events: one per registered create call, parseable, and both
ARN paths (response, and request when the response is missing) agree on the ARN."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tag_enforcer.core import registry
from tag_enforcer.core.arns import Arn
from tag_enforcer.core.cloudtrail import CloudTrailApiCallEvent, rebuild_arn, resource_arn
from tag_enforcer.core.registry.schema import ResourceType
from tag_enforcer_dev import sample_events
from tests.support.project import PROJECT_ROOT

SAMPLES_DIR = PROJECT_ROOT / "events" / "create"
CREATE_OPERATIONS = registry.create_event_names()

# Samples whose ARN needs a part only SageMaker knows, so the request cannot rebuild it.
ARN_NEEDS_SERVICE_PART: dict[str, str] = {
    "CreateModelPackage": "a versioned package's ARN ends in the version SageMaker assigns",
}


def load_sample(create_operation: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((SAMPLES_DIR / f"{create_operation}.json").read_text())
    return document


def parse(document: dict[str, Any]) -> CloudTrailApiCallEvent:
    return CloudTrailApiCallEvent.model_validate(document)


def resource_type_of(create_operation: str) -> ResourceType:
    resource_type = registry.for_create_event(create_operation)
    assert resource_type is not None
    return resource_type


def without_response(document: dict[str, Any]) -> dict[str, Any]:
    """The same event as CloudTrail logs it when it leaves responseElements out."""
    stripped = copy.deepcopy(document)
    stripped["detail"]["responseElements"] = None
    return stripped


def load_generator() -> ModuleType:
    return sample_events


REBUILDABLE = [op for op in CREATE_OPERATIONS if resource_type_of(op).arn_name_fields]


def test_every_create_operation_has_a_sample_and_every_sample_an_operation() -> None:
    # GIVEN the registry's create operations and the sample files
    samples = {path.stem for path in SAMPLES_DIR.glob("*.json")}

    # WHEN the two sets are compared
    missing, unknown = set(CREATE_OPERATIONS) - samples, samples - set(CREATE_OPERATIONS)

    # THEN they are the same; run `python -m tag_enforcer_dev.sample_events` to fix either side
    assert not missing, f"no sample for {sorted(missing)}"
    assert not unknown, f"samples for unregistered operations: {sorted(unknown)}"


@pytest.mark.parametrize("create_operation", CREATE_OPERATIONS)
def test_sample_parses_as_an_untagged_management_event(create_operation: str) -> None:
    # GIVEN a sample event
    document = load_sample(create_operation)

    # WHEN it is parsed as EventBridge delivers it
    event = parse(document)

    # THEN it is a successful, tag-free SageMaker write call with the file's name
    record = event.detail
    assert event.source == "aws.sagemaker"
    assert event.detail_type == "AWS API Call via CloudTrail"
    assert record.event_name == create_operation
    assert record.event_source == "sagemaker.amazonaws.com"
    assert record.error_code is None
    assert record.read_only is False
    assert record.requested_tags() == {}
    assert record.user_identity.session_issuer_arn is not None


@pytest.mark.parametrize("create_operation", CREATE_OPERATIONS)
def test_resource_arn_is_a_sagemaker_arn_of_the_registered_segment(create_operation: str) -> None:
    # GIVEN a sample and its registry entry
    record = parse(load_sample(create_operation)).detail
    resource_type = resource_type_of(create_operation)

    # WHEN the new resource's ARN is extracted
    arn = resource_arn(record, resource_type)

    # THEN it is a SageMaker ARN in the event's account and region, of the entry's segment
    assert arn is not None
    parsed = Arn.parse(arn)
    assert (parsed.service, parsed.region, parsed.account) == (
        "sagemaker",
        record.aws_region,
        record.account,
    )
    assert parsed.resource_segment == resource_type.arn_segment
    assert registry.for_arn_segment(parsed.resource_segment) is resource_type


@pytest.mark.parametrize("create_operation", REBUILDABLE)
def test_request_rebuilds_the_response_arn(create_operation: str) -> None:
    # GIVEN a sample, and the same event with its response left out
    document = load_sample(create_operation)
    resource_type = resource_type_of(create_operation)
    from_response = resource_arn(parse(document).detail, resource_type)

    # WHEN the ARN is rebuilt from the request alone
    rebuilt = rebuild_arn(parse(without_response(document)).detail, resource_type)

    # THEN both paths give the same ARN, except where the ARN needs a service-made part
    if create_operation in ARN_NEEDS_SERVICE_PART:
        assert rebuilt != from_response
    else:
        assert rebuilt is not None
        assert rebuilt == from_response


def test_service_part_exceptions_are_registered_rebuildable_operations() -> None:
    # GIVEN the documented exceptions
    # WHEN they are compared with the rebuildable operations
    # THEN each still names one, so the list cannot go stale
    assert set(ARN_NEEDS_SERVICE_PART) <= set(REBUILDABLE)


@pytest.mark.parametrize(
    ("partition", "region"), [("aws-cn", "cn-north-1"), ("aws-us-gov", "us-gov-west-1")]
)
@pytest.mark.parametrize(
    "create_operation", [op for op in REBUILDABLE if op not in ARN_NEEDS_SERVICE_PART]
)
def test_rebuilt_arn_follows_the_event_partition(
    create_operation: str, partition: str, region: str
) -> None:
    # GIVEN a sample moved to another partition, with its response left out
    document = without_response(load_sample(create_operation))
    detail = document["detail"]
    detail["awsRegion"] = document["region"] = region
    identity = detail["userIdentity"]
    identity["arn"] = identity["arn"].replace("arn:aws:", f"arn:{partition}:")
    issuer = identity["sessionContext"]["sessionIssuer"]
    issuer["arn"] = issuer["arn"].replace("arn:aws:", f"arn:{partition}:")

    # WHEN the ARN is rebuilt from the request
    rebuilt = rebuild_arn(parse(document).detail, resource_type_of(create_operation))

    # THEN it is in that partition and region
    assert rebuilt is not None
    parsed = Arn.parse(rebuilt)
    assert (parsed.partition, parsed.region) == (partition, region)


def test_generator_reproduces_the_checked_in_samples(tmp_path: Path) -> None:
    # GIVEN the sample generator
    generator = load_generator()

    # WHEN it writes into an empty directory
    generator.write_samples(tmp_path)

    # THEN it writes exactly the checked-in files, byte for byte
    written = {path.name: path.read_text() for path in tmp_path.glob("*.json")}
    checked_in = {path.name: path.read_text() for path in SAMPLES_DIR.glob("*.json")}
    assert written.keys() == checked_in.keys()
    stale = sorted(name for name in written if written[name] != checked_in[name])
    assert not stale, f"re-run `python -m tag_enforcer_dev.sample_events`; stale: {stale}"
