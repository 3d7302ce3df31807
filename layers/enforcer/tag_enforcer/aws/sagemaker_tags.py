"""Reading and adding tags on SageMaker resources, within the service limits, never overwriting."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from tag_enforcer.core.errors import ResourceGoneError, TransientAwsError

# ListTags MaxResults minimum is 50 (SageMaker API reference, ListTags).
LIST_TAGS_PAGE_SIZE = 50


def _is_gone(error: ClientError) -> bool:
    code = error.response.get("Error", {}).get("Code", "")
    message = error.response.get("Error", {}).get("Message", "").lower()
    if code in ("ResourceNotFound", "ResourceNotFoundException"):
        return True
    # AddTags/ListTags on a deleted resource answer ValidationException (SageMaker API reference).
    return code == "ValidationException" and (
        "does not exist" in message or "not found" in message or "could not find" in message
    )


class SageMakerTags:
    """Adapter over SageMaker ListTags and AddTags."""

    def __init__(self, sagemaker_client: Any) -> None:
        self._client = sagemaker_client

    def list_tags(self, resource_arn: str) -> dict[str, str]:
        tags: dict[str, str] = {}
        request: dict[str, Any] = {"ResourceArn": resource_arn, "MaxResults": LIST_TAGS_PAGE_SIZE}
        try:
            while True:
                page = self._client.list_tags(**request)
                tags.update({t["Key"]: t.get("Value", "") for t in page.get("Tags", [])})
                if not page.get("NextToken"):
                    return tags
                request["NextToken"] = page["NextToken"]
        except ClientError as error:
            raise self.translate_client_error(error, resource_arn, "ListTags") from error
        except BotoCoreError as error:
            raise TransientAwsError(f"ListTags on {resource_arn} failed: {error}") from error

    def add_tags(self, resource_arn: str, tags: Mapping[str, str]) -> None:
        if not tags:
            return
        try:
            self._client.add_tags(
                ResourceArn=resource_arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()]
            )
        except ClientError as error:
            raise self.translate_client_error(error, resource_arn, "AddTags") from error
        except BotoCoreError as error:
            raise TransientAwsError(f"AddTags on {resource_arn} failed: {error}") from error

    @staticmethod
    def translate_client_error(error: ClientError, resource_arn: str, operation: str) -> Exception:
        if _is_gone(error):
            return ResourceGoneError(f"{resource_arn} no longer exists ({operation})")
        code = error.response.get("Error", {}).get("Code", "Unknown")
        # Throttling has already been retried by botocore's adaptive mode; anything
        # left (throttling, access denied, service errors) goes back to the queue and,
        # if it keeps failing, to the dead-letter queue where an alarm watches it.
        return TransientAwsError(f"{operation} on {resource_arn} failed with {code}: {error}")
