"""CloudTrail "AWS API Call via CloudTrail" events for calls made against the emulated account.

moto does not emit CloudTrail events (its LookupEvents is not implemented), so the
emulator writes them the way CloudTrail does: camelCase request and response
members, the caller in userIdentity (CloudTrail User Guide, "CloudTrail record contents").
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tag_enforcer.core.arns import Arn


def camel_case(document: Any) -> Any:
    """botocore's PascalCase members as CloudTrail writes them: first letter lower-cased."""
    if isinstance(document, dict):
        return {
            (key[:1].lower() + key[1:] if isinstance(key, str) else key): camel_case(value)
            for key, value in document.items()
        }
    if isinstance(document, list):
        return [camel_case(item) for item in document]
    if isinstance(document, datetime):
        return document.strftime("%b %d, %Y, %I:%M:%S %p")  # CloudTrail's display form
    return document


@dataclass(frozen=True)
class Caller:
    """Who made a call: an assumed role session (a Studio user, a pipeline) or an IAM user."""

    principal_type: str  # "AssumedRole" | "IAMUser" | "AWSService"
    arn: str
    role_arn: str | None = None
    source_identity: str | None = None
    invoked_by: str | None = None
    user_agent: str = "Boto3/1.44.5 md/Botocore#1.44.5 ua/2.1 os/linux lang/python#3.13"

    @classmethod
    def assumed_role(
        cls,
        role_arn: str,
        session_name: str,
        source_identity: str | None = None,
        user_agent: str = "",
    ) -> Caller:
        role = Arn.parse(role_arn)
        role_name = role.resource.rsplit("/", 1)[-1]
        session_arn = str(
            Arn(role.partition, "sts", "", role.account, f"assumed-role/{role_name}/{session_name}")
        )
        return cls(
            "AssumedRole",
            session_arn,
            role_arn,
            source_identity,
            None,
            user_agent or cls.user_agent,
        )

    @classmethod
    def iam_user(cls, user_arn: str) -> Caller:
        return cls("IAMUser", user_arn)

    def user_identity(self, account: str) -> dict[str, Any]:
        identity: dict[str, Any] = {
            "type": self.principal_type,
            "principalId": "AROAEXAMPLE:" + self.arn.rsplit("/", 1)[-1],
            "arn": self.arn,
            "accountId": account,
            "accessKeyId": "ASIAEXAMPLE",
        }
        if self.principal_type == "AssumedRole" and self.role_arn:
            role_name = self.role_arn.rsplit("/", 1)[-1]
            context: dict[str, Any] = {
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": "AROAEXAMPLE",
                    "arn": self.role_arn,
                    "accountId": account,
                    "userName": role_name,
                },
                "attributes": {"creationDate": "2026-11-29T09:00:00Z", "mfaAuthenticated": "false"},
            }
            if self.source_identity:
                context["sourceIdentity"] = self.source_identity
            identity["sessionContext"] = context
        if self.invoked_by:
            identity["invokedBy"] = self.invoked_by
        return identity


def api_call_event(
    event_name: str,
    request: dict[str, Any],
    response: dict[str, Any] | None,
    *,
    caller: Caller,
    account: str,
    region: str,
    error_code: str | None = None,
    event_time: datetime | None = None,
    read_only: bool = False,
) -> dict[str, Any]:
    """The EventBridge event CloudTrail would put on the default bus for this call."""
    when = (event_time or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    # Deterministic ids keep repeated demo runs and test fixtures comparable.
    seed = hashlib.sha256(f"{event_name}{request}{when}{caller.arn}".encode()).hexdigest()
    detail: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": caller.user_identity(account),
        "eventTime": when,
        "eventSource": "sagemaker.amazonaws.com",
        "eventName": event_name,
        "awsRegion": region,
        "sourceIPAddress": "203.0.113.10",
        "userAgent": caller.user_agent,
        "requestParameters": camel_case(request),
        "responseElements": camel_case(response) if response is not None else None,
        "requestID": str(uuid.UUID(seed[:32])),
        "eventID": str(uuid.UUID(seed[32:64])),
        "readOnly": read_only,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": account,
        "eventCategory": "Management",
    }
    if error_code:
        detail["errorCode"] = error_code
        detail["errorMessage"] = f"{error_code} (emulated)"
        detail["responseElements"] = None
    return {
        "version": "0",
        "id": str(uuid.UUID(seed[:32])),
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.sagemaker",
        "account": account,
        "time": when,
        "region": region,
        "resources": [],
        "detail": detail,
    }
