"""Resource Groups Tagging API: tags of many ARNs in one GetResources, TagResources in bulk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from tag_enforcer.aws.errors import translate_client_error
from tag_enforcer.sweep.bulk_tagging import TagFailure


class ResourceGroupsTagging:
    """TagLookup and BulkTagPort over a boto3 Resource Groups Tagging API client."""

    def __init__(self, tagging_client: Any) -> None:
        self._client = tagging_client

    def tags_by_arn(self, arns: Sequence[str]) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        # ResourceARNList excludes the pagination parameters (API reference, GetResources);
        # a token, if one ever comes back, is followed on its own.
        request: dict[str, Any] = {"ResourceARNList": list(arns)}
        try:
            while True:
                page = self._client.get_resources(**request)
                for mapping in page.get("ResourceTagMappingList", []):
                    found[mapping["ResourceARN"]] = {
                        t["Key"]: t.get("Value", "") for t in mapping.get("Tags", [])
                    }
                token = page.get("PaginationToken")
                if not token:
                    return found
                request = {"PaginationToken": token}
        except ClientError as error:
            raise translate_client_error(error, "GetResources") from error

    def tag_resources(self, arns: Sequence[str], tags: Mapping[str, str]) -> dict[str, TagFailure]:
        try:
            response = self._client.tag_resources(ResourceARNList=list(arns), Tags=dict(tags))
        except ClientError as error:
            raise translate_client_error(error, "TagResources") from error
        return {
            arn: TagFailure(
                error_code=str(info.get("ErrorCode", "Unknown")),
                status_code=int(info.get("StatusCode", 0)),
                message=str(info.get("ErrorMessage", "")),
            )
            for arn, info in (response.get("FailedResourcesMap") or {}).items()
        }
