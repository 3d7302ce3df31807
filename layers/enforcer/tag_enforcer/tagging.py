"""Reading and adding tags on SageMaker resources, within the service limits, never overwriting."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from tag_enforcer.errors import ResourceGoneError, TransientAwsError

# Tag limits (SageMaker API reference, Tag and AddTags): key 1-128 characters,
# value 0-256, at most 50 tags per resource and per call, characters from
# [\p{L}\p{Z}\p{N}_.:/=+\-@]. Keys starting with "aws:" are reserved.
MAX_TAGS_PER_RESOURCE = 50
MAX_KEY_LENGTH = 128
MAX_VALUE_LENGTH = 256
_ALLOWED_PUNCTUATION = frozenset("_.:/=+-@")
# ListTags MaxResults minimum is 50 (SageMaker API reference, ListTags).
LIST_TAGS_PAGE_SIZE = 50


class InvalidTagError(ValueError):
    """A tag the service would reject; raised before any call is made."""


def _allowed_character(character: str) -> bool:
    category = unicodedata.category(character)
    return category[0] in ("L", "N", "Z") or character in _ALLOWED_PUNCTUATION


def validate_tag(key: str, value: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise InvalidTagError(f"tag key {key[:40]!r} must be 1-{MAX_KEY_LENGTH} characters")
    if key.lower().startswith("aws:"):
        raise InvalidTagError(f"tag key {key!r} uses the reserved 'aws:' prefix")
    if len(value) > MAX_VALUE_LENGTH:
        raise InvalidTagError(f"value of tag {key!r} is longer than {MAX_VALUE_LENGTH} characters")
    for text in (key, value):
        if not all(_allowed_character(c) for c in text):
            raise InvalidTagError(f"tag {key!r} has a character SageMaker does not allow")


def tags_to_add(wanted: Mapping[str, str], existing: Mapping[str, str]) -> dict[str, str]:
    """Only the keys the resource lacks; a key already present is never rewritten."""
    missing = {k: v for k, v in wanted.items() if k not in existing}
    for key, value in missing.items():
        validate_tag(key, value)
    # Tags with the reserved aws: prefix do not count against the limit
    # (Tagging AWS Resources user guide, "Tag naming limits and requirements").
    counted = sum(1 for key in existing if not key.lower().startswith("aws:"))
    if counted + len(missing) > MAX_TAGS_PER_RESOURCE:
        raise InvalidTagError(
            f"adding {len(missing)} tags to a resource with {counted} would pass "
            f"SageMaker's limit of {MAX_TAGS_PER_RESOURCE} tags per resource"
        )
    return missing


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
        if _is_gone(error):
            return ResourceGoneError(f"{resource_arn} no longer exists ({operation})")
        code = error.response.get("Error", {}).get("Code", "Unknown")
        # Throttling has already been retried by botocore's adaptive mode; anything
        # left (throttling, access denied, service errors) goes back to the queue and,
        # if it keeps failing, to the dead-letter queue where an alarm watches it.
        return TransientAwsError(f"{operation} on {resource_arn} failed with {code}: {error}")
