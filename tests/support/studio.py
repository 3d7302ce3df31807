"""The two-domain Studio world most unit tests run in, and CloudTrail events about it.

finance (d-finance00001), ExecutionRoleIdentityConfig=USER_PROFILE_NAME, default FinanceDefault
  alice  own role AliceRole
  bob    domain default (shared with carol)
  carol  domain default (shared with bob)
  gina   own role CrossTeamRole (also used in sustainability)
  space  team-space
sustainability (d-sustain00002), no source identity, default SustainDefault
  dan    own role DanRole
  erin   domain default (shared with frank)
  frank  domain default (shared with erin)
  hank   own role CrossTeamRole
  space  field-notes
CiRole  a CI/CD role that no domain uses: the "created outside Studio" caller
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tag_enforcer.core.arns import role_key, sagemaker_arn
from tag_enforcer.core.cloudtrail import CloudTrailApiCallEvent, CloudTrailRecord
from tag_enforcer.core.directory import DomainDirectory, DomainEntry, SpaceEntry, UserProfileEntry

ACCOUNT = "111122223333"
REGION = "us-east-1"
PARTITION = "aws"


def role_arn(name: str, path: str = "/") -> str:
    return f"arn:{PARTITION}:iam::{ACCOUNT}:role{path}{name}"


def sm_arn(segment: str, *parts: str) -> str:
    return sagemaker_arn(PARTITION, REGION, ACCOUNT, segment, *parts)


@dataclass(frozen=True)
class Studio:
    """The two-domain world as named entries, plus builders for CloudTrail events about it."""

    directory: DomainDirectory
    finance: DomainEntry
    sustainability: DomainEntry
    profiles: Mapping[str, UserProfileEntry]
    finance_space: SpaceEntry
    sustainability_space: SpaceEntry
    roles: Mapping[str, str] = field(default_factory=dict)
    account: str = ACCOUNT
    region: str = REGION

    def profile(self, name: str) -> UserProfileEntry:
        return self.profiles[name]

    def role(self, name: str) -> str:
        return self.roles[name]

    def arn(self, segment: str, *parts: str) -> str:
        return sm_arn(segment, *parts)

    @staticmethod
    def assumed_role_identity(
        issuer_role_arn: str, session: str = "maria.garcia", source_identity: str | None = None
    ) -> dict[str, Any]:
        """`userIdentity` of a caller that assumed `issuer_role_arn`, as CloudTrail writes it."""
        role_name = issuer_role_arn.rsplit("/", 1)[-1]
        account = issuer_role_arn.split(":")[4]
        session_context: dict[str, Any] = {
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROAEXAMPLEROLEID0001",
                "arn": issuer_role_arn,
                "accountId": account,
                "userName": role_name,
            },
            "attributes": {"creationDate": "2026-11-29T09:58:41Z", "mfaAuthenticated": "false"},
        }
        if source_identity is not None:
            session_context["sourceIdentity"] = source_identity
        return {
            "type": "AssumedRole",
            "principalId": f"AROAEXAMPLEROLEID0001:{session}",
            "arn": f"arn:aws:sts::{account}:assumed-role/{role_name}/{session}",
            "accountId": account,
            "accessKeyId": "ASIAEXAMPLEKEY000001",
            "sessionContext": session_context,
        }

    def event(
        self,
        event_name: str,
        request: dict[str, Any] | None = None,
        response: dict[str, Any] | None = None,
        identity: dict[str, Any] | None = None,
        **detail_overrides: Any,
    ) -> dict[str, Any]:
        """An EventBridge "AWS API Call via CloudTrail" event, shaped like the real thing."""
        detail: dict[str, Any] = {
            "eventVersion": "1.09",
            "userIdentity": identity or self.assumed_role_identity(self.role("CiRole")),
            "eventTime": "2026-11-29T10:15:02Z",
            "eventSource": "sagemaker.amazonaws.com",
            "eventName": event_name,
            "awsRegion": self.region,
            "sourceIPAddress": "198.51.100.23",
            "userAgent": "Boto3/1.44.5",
            "requestParameters": copy.deepcopy(request) if request is not None else {},
            "responseElements": copy.deepcopy(response),
            "requestID": "929eabf1-9707-5edd-b120-e7a5c5657a34",
            "eventID": f"evt-{event_name}",
            "readOnly": False,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": self.account,
            "eventCategory": "Management",
        }
        detail.update(detail_overrides)
        return {
            "version": "0",
            "id": "9fa55c36-588c-5ee2-808d-f937fa6d203b",
            "detail-type": "AWS API Call via CloudTrail",
            "source": "aws.sagemaker",
            "account": self.account,
            "time": "2026-11-29T10:15:02Z",
            "region": self.region,
            "resources": [],
            "detail": detail,
        }

    def record(self, *args: Any, **kwargs: Any) -> CloudTrailRecord:
        return CloudTrailApiCallEvent.model_validate(self.event(*args, **kwargs)).detail

    def training_job_record(
        self,
        name: str = "churn-xgb-2026-11-29",
        *,
        caller_role: str | None = None,
        role: str | None = None,
        tags: list[dict[str, str]] | None = None,
        source_identity: str | None = None,
        **request_extra: Any,
    ) -> CloudTrailRecord:
        """CreateTrainingJob with the ARN in the response, as SageMaker answers it."""
        request: dict[str, Any] = {"trainingJobName": name, **request_extra}
        if role is not None:
            request["roleArn"] = role
        if tags is not None:
            request["tags"] = tags
        identity = self.assumed_role_identity(
            caller_role or self.role("CiRole"), source_identity=source_identity
        )
        return self.record(
            "CreateTrainingJob",
            request,
            {"trainingJobArn": self.arn("training-job", name.lower())},
            identity,
        )


def build_studio() -> Studio:
    roles = {
        "FinanceDefault": role_arn("FinanceDefault", "/service-role/"),
        "AliceRole": role_arn("AliceRole"),
        "SustainDefault": role_arn("SustainDefault", "/service-role/"),
        "DanRole": role_arn("DanRole"),
        "CrossTeamRole": role_arn("CrossTeamRole"),
        # A CI/CD role that no domain uses: the "created outside Studio" caller.
        "CiRole": role_arn("CiRole", "/ci/"),
    }

    def key(name: str) -> tuple[str, str]:
        found = role_key(roles[name])
        assert found is not None
        return found

    finance = DomainEntry(
        "d-finance00001",
        sm_arn("domain", "d-finance00001"),
        "finance",
        default_role=key("FinanceDefault"),
        default_space_role=key("FinanceDefault"),
        source_identity_is_profile_name=True,
    )
    sustainability = DomainEntry(
        "d-sustain00002",
        sm_arn("domain", "d-sustain00002"),
        "sustainability",
        default_role=key("SustainDefault"),
        default_space_role=None,
        source_identity_is_profile_name=False,
    )

    def profile(domain: DomainEntry, name: str, role: str) -> UserProfileEntry:
        return UserProfileEntry(
            domain.domain_id, name, sm_arn("user-profile", domain.domain_id, name), key(role)
        )

    profiles = {
        "alice": profile(finance, "alice", "AliceRole"),
        "bob": profile(finance, "bob", "FinanceDefault"),
        "carol": profile(finance, "carol", "FinanceDefault"),
        "gina": profile(finance, "gina", "CrossTeamRole"),
        "dan": profile(sustainability, "dan", "DanRole"),
        "erin": profile(sustainability, "erin", "SustainDefault"),
        "frank": profile(sustainability, "frank", "SustainDefault"),
        "hank": profile(sustainability, "hank", "CrossTeamRole"),
    }
    finance_space = SpaceEntry(
        finance.domain_id, "team-space", sm_arn("space", finance.domain_id, "team-space")
    )
    sustainability_space = SpaceEntry(
        sustainability.domain_id,
        "field-notes",
        sm_arn("space", sustainability.domain_id, "field-notes"),
    )
    directory = DomainDirectory(
        (finance, sustainability),
        tuple(profiles.values()),
        (finance_space, sustainability_space),
        loaded_at=0.0,
    )
    return Studio(
        directory, finance, sustainability, profiles, finance_space, sustainability_space, roles
    )
