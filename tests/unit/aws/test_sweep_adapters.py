"""The sweep's AWS adapters turn botocore answers into the domain's terms (botocore Stubber)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tag_enforcer.aws.sagemaker_catalog import SageMakerCatalogApi
from tag_enforcer.aws.tagging_api import ResourceGroupsTagging
from tag_enforcer.core.errors import (
    AccessDeniedError,
    ResourceGoneError,
    StaleCursorError,
    TransientAwsError,
)

ARN = "arn:aws:sagemaker:us-east-1:111122223333:model/churn"


def _client(service: str) -> Any:
    return boto3.client(
        service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


@pytest.fixture
def sagemaker() -> Iterator[tuple[Any, Stubber]]:
    client = _client("sagemaker")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def tagging() -> Iterator[tuple[Any, Stubber]]:
    client = _client("resourcegroupstaggingapi")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        ("AccessDeniedException", "not authorized to perform ListModels", AccessDeniedError),
        ("ValidationException", "Invalid pagination token", StaleCursorError),
        ("ThrottlingException", "Rate exceeded", TransientAwsError),
    ],
)
def test_list_errors_become_domain_errors(
    sagemaker: tuple[Any, Stubber], code: str, message: str, expected: type[Exception]
) -> None:
    client, stubber = sagemaker
    stubber.add_client_error("list_models", service_error_code=code, service_message=message)
    with pytest.raises(expected):
        SageMakerCatalogApi(client).list_page("ListModels", "Models", {}, "t", 100)


def test_a_describe_of_a_deleted_resource_is_resource_gone(
    sagemaker: tuple[Any, Stubber],
) -> None:
    client, stubber = sagemaker
    stubber.add_client_error(
        "describe_model",
        service_error_code="ValidationException",
        service_message=f"Could not find model '{ARN}'.",
    )
    with pytest.raises(ResourceGoneError):
        SageMakerCatalogApi(client).describe("DescribeModel", {"ModelName": "churn"})


def test_search_asks_for_100_records_and_passes_the_token(sagemaker: tuple[Any, Stubber]) -> None:
    client, stubber = sagemaker
    stubber.add_response(
        "search",
        {"Results": [{"TrainingJob": {"TrainingJobArn": ARN}}], "NextToken": "n2"},
        {"Resource": "TrainingJob", "MaxResults": 100, "NextToken": "n1"},
    )
    records, token = SageMakerCatalogApi(client).search("TrainingJob", "n1", 100)
    assert (len(records), token) == (1, "n2")


def test_tags_by_arn_sends_only_the_arn_list(tagging: tuple[Any, Stubber]) -> None:
    client, stubber = tagging
    stubber.add_response(
        "get_resources",
        {"ResourceTagMappingList": [{"ResourceARN": ARN, "Tags": [{"Key": "k", "Value": "v"}]}]},
        {"ResourceARNList": [ARN, ARN + "-2"]},
    )
    assert ResourceGroupsTagging(client).tags_by_arn([ARN, ARN + "-2"]) == {ARN: {"k": "v"}}


def test_tag_resources_reports_each_failed_arn(tagging: tuple[Any, Stubber]) -> None:
    client, stubber = tagging
    failure = {"StatusCode": 500, "ErrorCode": "InternalServiceException", "ErrorMessage": "later"}
    stubber.add_response(
        "tag_resources",
        {"FailedResourcesMap": {ARN: failure}},
        {"ResourceARNList": [ARN], "Tags": {"sagemaker:domain-arn": "d"}},
    )
    failures = ResourceGroupsTagging(client).tag_resources([ARN], {"sagemaker:domain-arn": "d"})
    assert failures[ARN].retryable
    assert failures[ARN].message == "later"
