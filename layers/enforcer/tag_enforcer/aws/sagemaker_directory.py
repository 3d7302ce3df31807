"""Reads the domain directory (domains, user profiles, spaces, their roles) from SageMaker.

A full read costs 3 + D + P + S calls (ListDomains, one DescribeDomain per domain,
ListUserProfiles, one DescribeUserProfile per profile, ListSpaces, one DescribeSpace
per space), so it is done
rarely and shared (`tag_enforcer.aws.dynamodb.DynamoDbDirectoryStore`); a directory
event costs one Describe of the entry it names.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Protocol

from botocore.exceptions import ClientError

from tag_enforcer.aws.errors import translate_client_error
from tag_enforcer.core.arns import sagemaker_arn
from tag_enforcer.core.directory import (
    DirectoryChange,
    DirectoryKind,
    DomainDirectory,
    DomainEntry,
    Instant,
    SpaceEntry,
    UserProfileEntry,
    role_key_of,
)
from tag_enforcer.core.errors import ResourceGoneError


class SageMakerDirectoryApi(Protocol):
    """The slice of the boto3 SageMaker client the directory reads."""

    def get_paginator(self, operation_name: str) -> Any: ...
    def describe_domain(self, **kwargs: Any) -> dict[str, Any]: ...
    def describe_user_profile(self, **kwargs: Any) -> dict[str, Any]: ...
    def describe_space(self, **kwargs: Any) -> dict[str, Any]: ...


# ListDomains, ListUserProfiles and ListSpaces take MaxResults up to 100 (botocore
# SageMaker model); without it a page holds what the service picks (10 on moto).
LIST_PAGE_SIZE = 100


def _pages(client: SageMakerDirectoryApi, operation: str, key: str) -> Iterator[dict[str, Any]]:
    pages = client.get_paginator(operation).paginate(PaginationConfig={"PageSize": LIST_PAGE_SIZE})
    for page in pages:
        yield from page.get(key, [])


def _instant(value: Any) -> Instant | None:
    """botocore parses timestamps into datetimes; JSON-shaped fakes may hand numbers."""
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, int | float):
        return float(value)
    return None


def domain_entry(described: Mapping[str, Any]) -> DomainEntry:
    """A DescribeDomain answer as a directory entry."""
    settings = described.get("DomainSettings") or {}
    return DomainEntry(
        domain_id=described["DomainId"],
        domain_arn=described["DomainArn"],
        name=described.get("DomainName", ""),
        default_role=role_key_of((described.get("DefaultUserSettings") or {}).get("ExecutionRole")),
        default_space_role=role_key_of(
            (described.get("DefaultSpaceSettings") or {}).get("ExecutionRole")
        ),
        source_identity_is_profile_name=(
            settings.get("ExecutionRoleIdentityConfig") == "USER_PROFILE_NAME"
        ),
        created_at=_instant(described.get("CreationTime")),
    )


class SageMakerDirectoryReader:
    """DirectoryReader over a boto3 SageMaker client, for one account and region."""

    def __init__(
        self, client: SageMakerDirectoryApi, partition: str, region: str, account: str
    ) -> None:
        self._client = client
        self._partition = partition
        self._region = region
        self._account = account

    def _profile_entry(
        self, described: Mapping[str, Any], domain: DomainEntry | None
    ) -> UserProfileEntry:
        domain_id, name = described["DomainId"], described["UserProfileName"]
        own_role = role_key_of((described.get("UserSettings") or {}).get("ExecutionRole"))
        return UserProfileEntry(
            domain_id=domain_id,
            name=name,
            # The ARN as SageMaker spells it; rebuilt (lower-cased, as SageMaker does)
            # only when an answer lacks it.
            arn=described.get("UserProfileArn")
            or sagemaker_arn(
                self._partition,
                self._region,
                self._account,
                "user-profile",
                domain_id,
                name.lower(),
            ),
            execution_role=own_role or (domain.default_role if domain else None),
            created_at=_instant(described.get("CreationTime")),
        )

    def _space_entry(self, summary: Mapping[str, Any]) -> SpaceEntry:
        domain_id, name = summary["DomainId"], summary["SpaceName"]
        ownership = summary.get("OwnershipSettings") or summary.get("OwnershipSettingsSummary")
        return SpaceEntry(
            domain_id=domain_id,
            name=name,
            arn=summary.get("SpaceArn")
            or sagemaker_arn(
                self._partition, self._region, self._account, "space", domain_id, name.lower()
            ),
            created_at=_instant(summary.get("CreationTime")),
            owner_profile_name=(ownership or {}).get("OwnerUserProfileName"),
        )

    def read_all(self, now: Instant) -> DomainDirectory:
        """Every domain, profile and space in the region (3 + D + P + S calls)."""
        client = self._client
        domains = {
            entry.domain_id: entry
            for entry in (
                domain_entry(client.describe_domain(DomainId=summary["DomainId"]))
                for summary in _pages(client, "list_domains", "Domains")
            )
        }
        profiles = []
        for summary in _pages(client, "list_user_profiles", "UserProfiles"):
            domain = domains.get(summary["DomainId"])
            if domain is None:
                continue  # a domain deleted between the two list calls
            described = client.describe_user_profile(
                DomainId=summary["DomainId"], UserProfileName=summary["UserProfileName"]
            )
            profiles.append(self._profile_entry(described, domain))
        # DescribeSpace spells the space's ARN as SageMaker does; ListSpaces has none.
        spaces = [
            self._space_entry(
                client.describe_space(DomainId=s["DomainId"], SpaceName=s["SpaceName"])
            )
            for s in _pages(client, "list_spaces", "Spaces")
            if s["DomainId"] in domains
        ]
        return DomainDirectory(tuple(domains.values()), tuple(profiles), tuple(spaces), now)

    def read_entry(
        self, change: DirectoryChange, directory: DomainDirectory
    ) -> DomainEntry | UserProfileEntry | SpaceEntry | None:
        """The entry a directory event names, as it is now; None when it is gone."""
        try:
            if change.kind is DirectoryKind.DOMAIN:
                return domain_entry(self._client.describe_domain(DomainId=change.domain_id))
            if change.kind is DirectoryKind.USER_PROFILE:
                described = self._client.describe_user_profile(
                    DomainId=change.domain_id, UserProfileName=change.name
                )
                return self._profile_entry(described, directory.domain(change.domain_id))
            return self._space_entry(
                self._client.describe_space(DomainId=change.domain_id, SpaceName=change.name)
            )
        except ClientError as error:
            translated = translate_client_error(error, f"Describe{change.kind.value}")
            if isinstance(translated, ResourceGoneError):
                return None
            raise translated from error


def read_directory(
    client: SageMakerDirectoryApi, partition: str, region: str, account: str, now: float
) -> DomainDirectory:
    """Read every domain, profile and space in one region (1 + D + P describe calls)."""
    return SageMakerDirectoryReader(client, partition, region, account).read_all(now)
