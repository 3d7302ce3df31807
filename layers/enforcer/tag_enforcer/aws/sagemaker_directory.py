"""Reads the domain directory (domains, user profiles, spaces, their roles) from SageMaker."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from tag_enforcer.core.arns import role_key, sagemaker_arn
from tag_enforcer.core.directory import (
    DomainDirectory,
    DomainEntry,
    RoleKey,
    SpaceEntry,
    UserProfileEntry,
)


class SageMakerDirectoryApi(Protocol):
    """The slice of the boto3 SageMaker client the directory reads."""

    def get_paginator(self, operation_name: str) -> Any: ...
    def describe_domain(self, **kwargs: Any) -> dict[str, Any]: ...
    def describe_user_profile(self, **kwargs: Any) -> dict[str, Any]: ...


def _pages(client: SageMakerDirectoryApi, operation: str, key: str) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator(operation).paginate():
        yield from page.get(key, [])


def _role(role_arn: str | None) -> RoleKey | None:
    return role_key(role_arn) if role_arn else None


def read_directory(
    client: SageMakerDirectoryApi, partition: str, region: str, account: str, now: float
) -> DomainDirectory:
    """Read every domain, profile and space in one region (1 + D + P describe calls)."""
    domains: list[DomainEntry] = []
    for summary in _pages(client, "list_domains", "Domains"):
        described = client.describe_domain(DomainId=summary["DomainId"])
        settings = described.get("DomainSettings") or {}
        domains.append(
            DomainEntry(
                domain_id=described["DomainId"],
                domain_arn=described["DomainArn"],
                name=described.get("DomainName", ""),
                default_role=_role(
                    (described.get("DefaultUserSettings") or {}).get("ExecutionRole")
                ),
                default_space_role=_role(
                    (described.get("DefaultSpaceSettings") or {}).get("ExecutionRole")
                ),
                source_identity_is_profile_name=(
                    settings.get("ExecutionRoleIdentityConfig") == "USER_PROFILE_NAME"
                ),
            )
        )
    defaults = {d.domain_id: d.default_role for d in domains}

    profiles: list[UserProfileEntry] = []
    for summary in _pages(client, "list_user_profiles", "UserProfiles"):
        domain_id, name = summary["DomainId"], summary["UserProfileName"]
        if domain_id not in defaults:
            continue  # a domain deleted between the two list calls
        described = client.describe_user_profile(DomainId=domain_id, UserProfileName=name)
        own_role = _role((described.get("UserSettings") or {}).get("ExecutionRole"))
        profiles.append(
            UserProfileEntry(
                domain_id=domain_id,
                name=name,
                arn=described.get("UserProfileArn")
                or sagemaker_arn(
                    partition, region, account, "user-profile", domain_id, name.lower()
                ),
                execution_role=own_role or defaults[domain_id],
            )
        )

    spaces = [
        SpaceEntry(
            domain_id=s["DomainId"],
            name=s["SpaceName"],
            arn=sagemaker_arn(
                partition, region, account, "space", s["DomainId"], s["SpaceName"].lower()
            ),
        )
        for s in _pages(client, "list_spaces", "Spaces")
        if s["DomainId"] in defaults
    ]
    return DomainDirectory(tuple(domains), tuple(profiles), tuple(spaces), loaded_at=now)
