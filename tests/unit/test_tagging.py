"""The tagger adds only missing keys, within SageMaker's limits, and names what went wrong."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from tag_enforcer.aws.sagemaker_tags import LIST_TAGS_PAGE_SIZE, SageMakerTags
from tag_enforcer.core.errors import (
    AccessDeniedError,
    PermanentAwsError,
    ResourceGoneError,
    TransientAwsError,
)
from tag_enforcer.core.tags import (
    MAX_KEY_LENGTH,
    MAX_TAGS_PER_RESOURCE,
    MAX_VALUE_LENGTH,
    InvalidTagError,
    tags_to_add,
    validate_tag,
)

ARN = "arn:aws:sagemaker:us-east-1:111122223333:training-job/churn-xgb"


# --- validate_tag -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("k", ""),
        ("k" * MAX_KEY_LENGTH, "v" * MAX_VALUE_LENGTH),
        ("sagemaker:domain-arn", "arn:aws:sagemaker:us-east-1:111122223333:domain/d-abc"),
        ("cost center", "a_b.c:d/e=f+g-h@i"),
        ("équipe", "データ科学"),  # unicode letters are \p{L}
        ("Ключ١٢٣", "значение"),  # and unicode digits are \p{N}
        ("AWSome", "x"),  # only the "aws:" prefix is reserved
    ],
)
def test_tags_within_the_limits_are_valid(key: str, value: str) -> None:
    # GIVEN a tag SageMaker accepts
    # WHEN it is validated
    # THEN nothing is raised
    validate_tag(key, value)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("", "v", "1-128 characters"),
        ("k" * (MAX_KEY_LENGTH + 1), "v", "1-128 characters"),
        ("k", "v" * (MAX_VALUE_LENGTH + 1), "longer than 256"),
        ("aws:createdBy", "v", "reserved 'aws:' prefix"),
        ("AWS:CreatedBy", "v", "reserved 'aws:' prefix"),
        ("team!", "v", "character SageMaker does not allow"),
        ("team", "a;b", "character SageMaker does not allow"),
        ("team", "line\nbreak", "character SageMaker does not allow"),
        ("emoji🙂", "v", "character SageMaker does not allow"),
    ],
)
def test_tags_outside_the_limits_are_rejected_before_any_call(
    key: str, value: str, message: str
) -> None:
    # GIVEN a tag SageMaker would refuse
    # WHEN it is validated
    # THEN InvalidTagError says which rule it breaks
    with pytest.raises(InvalidTagError, match=message):
        validate_tag(key, value)


# --- tags_to_add --------------------------------------------------------------------------


def test_only_keys_the_resource_lacks_are_added() -> None:
    # GIVEN a resource that already has a (different) domain tag
    wanted = {"sagemaker:domain-arn": "new", "sagemaker:user-profile-arn": "p"}
    existing = {"sagemaker:domain-arn": "old", "team": "x"}

    # WHEN the tags to add are computed
    missing = tags_to_add(wanted, existing)

    # THEN the present key is not rewritten
    assert missing == {"sagemaker:user-profile-arn": "p"}


def test_nothing_is_added_when_everything_is_present() -> None:
    # GIVEN all wanted keys present
    # WHEN the tags to add are computed
    # THEN there are none
    assert tags_to_add({"a": "1"}, {"a": "2"}) == {}


def test_adding_past_fifty_tags_is_refused() -> None:
    # GIVEN a resource with 49 tags and two to add
    existing = {f"k{i}": "v" for i in range(MAX_TAGS_PER_RESOURCE - 1)}

    # WHEN the tags to add are computed
    # THEN the per-resource limit is named
    with pytest.raises(InvalidTagError, match="limit of 50 tags per resource"):
        tags_to_add({"a": "1", "b": "2"}, existing)


def test_adding_up_to_exactly_fifty_tags_is_allowed() -> None:
    # GIVEN a resource with 48 tags and two to add
    existing = {f"k{i}": "v" for i in range(MAX_TAGS_PER_RESOURCE - 2)}

    # WHEN the tags to add are computed
    # THEN both are added
    assert tags_to_add({"a": "1", "b": "2"}, existing) == {"a": "1", "b": "2"}


def test_an_invalid_missing_tag_is_refused() -> None:
    # GIVEN a wanted tag with a reserved key
    # WHEN the tags to add are computed
    # THEN it is refused
    with pytest.raises(InvalidTagError):
        tags_to_add({"aws:x": "1"}, {})


# --- SageMakerTags against botocore's Stubber ---------------------------------------------


@pytest.fixture
def sagemaker(aws_credentials: None) -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("sagemaker", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_list_tags_follows_next_token_and_merges_pages(sagemaker: tuple[Any, Stubber]) -> None:
    # GIVEN ListTags answers in two pages
    client, stubber = sagemaker
    stubber.add_response(
        "list_tags",
        {"Tags": [{"Key": "a", "Value": "1"}], "NextToken": "page-2"},
        {"ResourceArn": ARN, "MaxResults": LIST_TAGS_PAGE_SIZE},
    )
    stubber.add_response(
        "list_tags",
        {"Tags": [{"Key": "b", "Value": "2"}, {"Key": "c", "Value": ""}]},
        {"ResourceArn": ARN, "MaxResults": LIST_TAGS_PAGE_SIZE, "NextToken": "page-2"},
    )

    # WHEN the tags are listed
    tags = SageMakerTags(client).list_tags(ARN)

    # THEN both pages are read, with the page size the API allows
    assert tags == {"a": "1", "b": "2", "c": ""}


def test_list_tags_of_an_untagged_resource_is_empty(sagemaker: tuple[Any, Stubber]) -> None:
    # GIVEN a resource with no tags
    client, stubber = sagemaker
    stubber.add_response("list_tags", {"Tags": []})

    # WHEN the tags are listed
    # THEN one call, an empty mapping
    assert SageMakerTags(client).list_tags(ARN) == {}


def test_add_tags_sends_key_value_pairs(sagemaker: tuple[Any, Stubber]) -> None:
    # GIVEN AddTags expects exactly the two tags, as Key/Value pairs
    client, stubber = sagemaker
    stubber.add_response(
        "add_tags",
        {"Tags": []},
        {
            "ResourceArn": ARN,
            "Tags": [
                {"Key": "sagemaker:domain-arn", "Value": "d"},
                {"Key": "sagemaker:user-profile-arn", "Value": "p"},
            ],
        },
    )

    # WHEN they are added
    # THEN the request has that shape (the Stubber checks it)
    SageMakerTags(client).add_tags(
        ARN, {"sagemaker:domain-arn": "d", "sagemaker:user-profile-arn": "p"}
    )


def test_add_tags_with_nothing_to_add_makes_no_call(sagemaker: tuple[Any, Stubber]) -> None:
    # GIVEN no queued response (any call would fail the Stubber)
    client, _ = sagemaker

    # WHEN nothing is added
    # THEN no call is made
    SageMakerTags(client).add_tags(ARN, {})


@pytest.mark.parametrize(
    ("operation", "code", "message"),
    [
        ("list_tags", "ValidationException", f"Resource {ARN} does not exist."),
        ("add_tags", "ValidationException", f"Resource {ARN} does not exist."),
        ("list_tags", "ValidationException", "Could not find training job churn-xgb"),
        ("list_tags", "ResourceNotFound", "Training job not found"),
        ("add_tags", "ResourceNotFoundException", "gone"),
    ],
)
def test_a_deleted_resource_is_reported_as_gone(
    sagemaker: tuple[Any, Stubber], operation: str, code: str, message: str
) -> None:
    # GIVEN SageMaker says the resource no longer exists
    client, stubber = sagemaker
    stubber.add_client_error(operation, service_error_code=code, service_message=message)
    tags = SageMakerTags(client)

    # WHEN it is read or tagged
    # THEN ResourceGoneError names the ARN and the call
    call = (
        tags.list_tags if operation == "list_tags" else lambda arn: tags.add_tags(arn, {"k": "v"})
    )
    with pytest.raises(ResourceGoneError, match="training-job/churn-xgb no longer exists"):
        call(ARN)


@pytest.mark.parametrize(
    ("code", "message", "status"),
    [("ThrottlingException", "Rate exceeded", 400), ("InternalFailure", "oops", 500)],
)
def test_throttling_and_server_errors_are_transient_and_name_the_code(
    sagemaker: tuple[Any, Stubber], code: str, message: str, status: int
) -> None:
    # GIVEN AddTags fails with something a retry may fix
    client, stubber = sagemaker
    stubber.add_client_error(
        "add_tags", service_error_code=code, service_message=message, http_status_code=status
    )

    # WHEN tags are added
    # THEN TransientAwsError names the call, the ARN and the code, and keeps the cause
    with pytest.raises(TransientAwsError, match=rf"AddTags on {ARN} failed with {code}") as err:
        SageMakerTags(client).add_tags(ARN, {"k": "v"})
    assert err.value.__cause__ is not None


@pytest.mark.parametrize(
    ("code", "message", "error"),
    [
        ("AccessDeniedException", "not authorized to perform sagemaker:AddTags", AccessDeniedError),
        # A validation error that is not about a missing resource is neither gone nor
        # worth a retry: the same request gets the same answer.
        ("ValidationException", "Tag keys must be unique", PermanentAwsError),
    ],
)
def test_refusals_are_permanent_and_name_the_code(
    sagemaker: tuple[Any, Stubber], code: str, message: str, error: type[Exception]
) -> None:
    # GIVEN AddTags is refused
    client, stubber = sagemaker
    stubber.add_client_error(
        "add_tags", service_error_code=code, service_message=message, http_status_code=400
    )

    # WHEN tags are added
    # THEN the permanent error names the call and the code, and is no TransientAwsError
    with pytest.raises(error, match=code) as raised:
        SageMakerTags(client).add_tags(ARN, {"k": "v"})
    assert isinstance(raised.value, PermanentAwsError)
    assert not isinstance(raised.value, TransientAwsError)


def test_throttled_list_tags_is_transient(sagemaker: tuple[Any, Stubber]) -> None:
    # GIVEN ListTags is throttled
    client, stubber = sagemaker
    stubber.add_client_error("list_tags", service_error_code="ThrottlingException")

    # WHEN tags are listed
    # THEN it is transient, so the record is retried
    with pytest.raises(TransientAwsError, match="ListTags"):
        SageMakerTags(client).list_tags(ARN)


class _UnreachableSageMaker:
    """A client whose every call fails before reaching the service."""

    def list_tags(self, **_: Any) -> dict[str, Any]:
        raise EndpointConnectionError(endpoint_url="https://api.sagemaker.us-east-1.amazonaws.com")

    add_tags = list_tags


def test_connection_errors_are_transient() -> None:
    # GIVEN the endpoint cannot be reached
    tags = SageMakerTags(_UnreachableSageMaker())

    # WHEN tags are listed or added
    # THEN both are transient
    with pytest.raises(TransientAwsError, match="ListTags"):
        tags.list_tags(ARN)
    with pytest.raises(TransientAwsError, match="AddTags"):
        tags.add_tags(ARN, {"k": "v"})
