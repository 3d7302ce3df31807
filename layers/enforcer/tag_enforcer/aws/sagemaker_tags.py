"""Reading and adding tags on SageMaker resources, within the service limits, never overwriting."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from tag_enforcer.aws.errors import translate_client_error
from tag_enforcer.core.errors import ResourceGoneError, TransientAwsError

# ListTags MaxResults minimum is 50 (SageMaker API reference, ListTags).
LIST_TAGS_PAGE_SIZE = 50


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
            raise self._translate(error, resource_arn, "ListTags") from error
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
            raise self._translate(error, resource_arn, "AddTags") from error
        except BotoCoreError as error:
            raise TransientAwsError(f"AddTags on {resource_arn} failed: {error}") from error

    @staticmethod
    def _translate(error: ClientError, resource_arn: str, operation: str) -> Exception:
        translated = translate_client_error(error, f"{operation} on {resource_arn}")
        if isinstance(translated, ResourceGoneError):
            return ResourceGoneError(f"{resource_arn} no longer exists ({operation})")
        # Throttling and server errors left after botocore's adaptive retries go back to
        # the queue; a refusal (access denied, a bad request) is permanent: a finding.
        return translated
