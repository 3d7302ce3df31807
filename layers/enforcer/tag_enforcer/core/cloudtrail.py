"""Pydantic models of the "AWS API Call via CloudTrail" EventBridge event, and what we read from it.

CloudTrail writes `requestParameters` and `responseElements` in camelCase,
while the registry names members as botocore does (PascalCase), so every
look-up here is case-insensitive (CloudTrail User Guide, "CloudTrail record contents").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import BaseModel, ConfigDict, Field, field_validator

from tag_enforcer.core.arns import Arn, InvalidArnError, sagemaker_arn
from tag_enforcer.core.registry.paths import first_text, get_ignoring_case
from tag_enforcer.core.registry.schema import ResourceType

SAGEMAKER_EVENT_SOURCE = "sagemaker.amazonaws.com"
CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail"
# A region code such as us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1
# (CloudTrail User Guide, "awsRegion: The AWS region that the request was made to, such
# as us-east-2"). A display name ("US East (N. Virginia)") is no region of a record.
_REGION_CODE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
# An AWS account id is 12 digits (CloudTrail User Guide, "recipientAccountId"; AWS Account
# Management Reference, "View AWS account identifiers"). The account picks the role the
# enforcer acts through in organization mode, so anything else is refused, not used.
_ACCOUNT_ID = re.compile(r"^\d{12}$")


class _CloudTrailModel(BaseModel):
    # CloudTrail adds fields over time; unknown ones must not break parsing.
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class SessionIssuer(_CloudTrailModel):
    type: str | None = None
    arn: str | None = None
    account_id: str | None = Field(None, alias="accountId")
    user_name: str | None = Field(None, alias="userName")


class SessionContext(_CloudTrailModel):
    session_issuer: SessionIssuer | None = Field(None, alias="sessionIssuer")
    # Set by sts:AssumeRole SourceIdentity; Studio sets it to the user profile name
    # when the domain has ExecutionRoleIdentityConfig=USER_PROFILE_NAME.
    source_identity: str | None = Field(None, alias="sourceIdentity")


class UserIdentity(_CloudTrailModel):
    type: str | None = None  # AssumedRole, IAMUser, Root, AWSService, ...
    arn: str | None = None
    user_name: str | None = Field(None, alias="userName")  # an IAM user's name
    account_id: str | None = Field(None, alias="accountId")
    principal_id: str | None = Field(None, alias="principalId")
    session_context: SessionContext | None = Field(None, alias="sessionContext")
    invoked_by: str | None = Field(None, alias="invokedBy")

    @property
    def session_issuer_arn(self) -> str | None:
        if self.session_context and self.session_context.session_issuer:
            return self.session_context.session_issuer.arn
        return None

    @property
    def source_identity(self) -> str | None:
        return self.session_context.source_identity if self.session_context else None


class CloudTrailRecord(_CloudTrailModel):
    event_id: str = Field(alias="eventID", min_length=1)
    event_name: str = Field(alias="eventName", min_length=1)
    event_source: str = Field(alias="eventSource", min_length=1)
    event_time: str = Field(alias="eventTime")
    aws_region: str = Field(alias="awsRegion", min_length=1)
    recipient_account_id: str | None = Field(None, alias="recipientAccountId")
    user_identity: UserIdentity = Field(alias="userIdentity")
    request_parameters: dict[str, Any] | None = Field(None, alias="requestParameters")
    response_elements: dict[str, Any] | None = Field(None, alias="responseElements")
    error_code: str | None = Field(None, alias="errorCode")
    read_only: bool | None = Field(None, alias="readOnly")

    @field_validator("event_time")
    @classmethod
    def _utc_instant(cls, value: str) -> str:
        # "eventTime: The date and time the request was completed, in coordinated
        # universal time (UTC)" (CloudTrail User Guide): a time without a zone is no
        # instant, and would shift every existence check by the reader's zone.
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"eventTime {value!r} is not an ISO 8601 time") from error
        if parsed.tzinfo is None:
            raise ValueError(f"eventTime {value!r} has no time zone")
        return value

    @field_validator("recipient_account_id")
    @classmethod
    def _account_id(cls, value: str | None) -> str | None:
        if value is not None and not _ACCOUNT_ID.match(value):
            raise ValueError(f"recipientAccountId {value!r} is not a 12-digit account id")
        return value

    @field_validator("aws_region")
    @classmethod
    def _region_code(cls, value: str) -> str:
        if not _REGION_CODE.match(value):
            raise ValueError(f"awsRegion {value!r} is not a region code such as us-east-1")
        return value

    @property
    def event_instant(self) -> float:
        """eventTime as seconds since the epoch."""
        return datetime.fromisoformat(self.event_time).timestamp()

    @property
    def account(self) -> str:
        """The account the resource lives in: the recipient, not the caller's account."""
        if self.recipient_account_id:
            return self.recipient_account_id
        caller_account = self.user_identity.account_id or ""
        return caller_account if _ACCOUNT_ID.match(caller_account) else ""

    @property
    def partition(self) -> str:
        return partition_of(self.aws_region, self.user_identity.arn)

    def requested_tags(self) -> dict[str, str]:
        return tags_from_request(self.request_parameters or {})


class CloudTrailApiCallEvent(EventBridgeModel):
    """The EventBridge envelope around one CloudTrail management event."""

    detail: CloudTrailRecord


def partition_of(region: str, principal_arn: str | None = None) -> str:
    """The ARN partition of an event: from the caller's ARN, else from the region name."""
    if principal_arn:
        try:
            return Arn.parse(principal_arn).partition
        except InvalidArnError:
            pass
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _iter_tag_pairs(raw_tags: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(raw_tags, list):
        return
    for item in raw_tags:
        if not isinstance(item, Mapping):
            continue
        key = get_ignoring_case(item, "Key")
        value = get_ignoring_case(item, "Value")
        if isinstance(key, str):
            yield key, value if isinstance(value, str) else ""


def tags_from_request(request_parameters: Mapping[str, Any]) -> dict[str, str]:
    """Tags of a create request; CloudTrail writes them as `key`/`value` or `Key`/`Value`."""
    return dict(_iter_tag_pairs(get_ignoring_case(request_parameters, "Tags")))


def resource_arn(record: CloudTrailRecord, resource_type: ResourceType) -> str | None:
    """The new resource's ARN: from the response when present, else rebuilt from the request.

    The response is preferred because SageMaker lower-cases names inside some
    ARNs and only the response shows exactly what it did.
    """
    if resource_type.arn_response_field and record.response_elements:
        from_response = first_text(record.response_elements, resource_type.arn_response_field)
        if from_response and _is_arn_of(from_response, resource_type):
            return from_response
    return rebuild_arn(record, resource_type)


def rebuild_arn(record: CloudTrailRecord, resource_type: ResourceType) -> str | None:
    """The documented ARN format filled from request fields, or None when a part is missing."""
    if not resource_type.arn_name_fields or not record.account:
        return None
    request = record.request_parameters or {}
    parts: list[str] = []
    for spec in resource_type.arn_name_fields:
        value = next(
            (text for option in spec.split("|") if (text := first_text(request, option))), None
        )
        if value is None:
            return None
        parts.append(value.lower() if resource_type.arn_lowercases_name else value)
    return sagemaker_arn(
        record.partition, record.aws_region, record.account, resource_type.arn_segment, *parts
    )


def _is_arn_of(text: str, resource_type: ResourceType) -> bool:
    """A SageMaker ARN of this type, in a region and an account: anything else is not it."""
    try:
        arn = Arn.parse(text)
    except InvalidArnError:
        return False
    return (
        arn.service == "sagemaker"
        and bool(arn.region)
        and bool(arn.account)
        and arn.resource_segment == resource_type.arn_segment
        and bool(arn.resource_path)
    )
