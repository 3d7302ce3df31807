"""Adapters the sweep runs on in AWS: SageMaker reads, the Tagging API, DynamoDB, S3 and SNS.

Each turns botocore errors into the domain's: ResourceGoneError, StaleCursorError,
AccessDeniedError, TransientAwsError. Credential and endpoint errors pass through
untouched, for the operator CLI to explain.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import botocore
from botocore import xform_name
from botocore.exceptions import ClientError

from tag_enforcer.aws.errors import translate_client_error
from tag_enforcer.aws.sagemaker_tags import SageMakerTags
from tag_enforcer.core.errors import OperationUnavailableError


class SageMakerCatalogApi:
    """SageMakerCatalog over a boto3 SageMaker client."""

    def __init__(self, sagemaker_client: Any) -> None:
        self._client = sagemaker_client

    def _call(self, operation: str, **parameters: Any) -> dict[str, Any]:
        method = getattr(self._client, xform_name(operation), None)
        if method is None:
            # Newer than the loaded botocore: the layer ships the pinned version
            # (requirements/dev.lock), which has every registry operation.
            raise OperationUnavailableError(
                f"{operation} is not in the loaded botocore {botocore.__version__}; "
                "deploy the layer built from the lock file"
            )
        try:
            response: dict[str, Any] = method(**parameters)
        except ClientError as error:
            raise translate_client_error(error, operation) from error
        return response

    def search(
        self, resource: str, next_token: str | None, max_results: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        parameters: dict[str, Any] = {"Resource": resource, "MaxResults": max_results}
        if next_token:
            parameters["NextToken"] = next_token
        page = self._call("Search", **parameters)
        return list(page.get("Results", [])), page.get("NextToken") or None

    def list_page(
        self,
        operation: str,
        result_key: str,
        parameters: Mapping[str, Any],
        next_token: str | None,
        max_results: int,
    ) -> tuple[list[dict[str, Any]], str | None]:
        request: dict[str, Any] = {**parameters, "MaxResults": max_results}
        if next_token:
            request["NextToken"] = next_token
        page = self._call(operation, **request)
        return list(page.get(result_key, [])), page.get("NextToken") or None

    def list_tags(self, resource_arn: str) -> dict[str, str]:
        return SageMakerTags(self._client).list_tags(resource_arn)

    def describe(self, operation: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
        described = self._call(operation, **parameters)
        described.pop("ResponseMetadata", None)
        return described
