"""The SageMaker tag adapter pages ListTags, adds only missing keys, and names what went wrong.

SageMaker is botocore's Stubber, whose answers are checked against the service model.
"""

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

ARN = "arn:aws:sagemaker:us-east-1:111122223333:training-job/churn-xgb"


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
