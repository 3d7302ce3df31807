"""A domain directory as plain JSON, so a sweep run reads it once, not once per invocation.

Reading the directory costs 1 + D + P SageMaker calls (D domains, P profiles); a run
that spans dozens of Lambda invocations stores it with the run instead.
"""

from __future__ import annotations

from typing import Any

from tag_enforcer.core.directory import DomainDirectory, DomainEntry, SpaceEntry, UserProfileEntry


def _role(role: tuple[str, str] | None) -> list[str] | None:
    return list(role) if role else None


def _role_key(value: Any) -> tuple[str, str] | None:
    return (str(value[0]), str(value[1])) if value else None


def directory_to_dict(directory: DomainDirectory) -> dict[str, Any]:
    return {
        "loadedAt": directory.loaded_at,
        "domains": [
            {
                "domainId": d.domain_id,
                "domainArn": d.domain_arn,
                "name": d.name,
                "defaultRole": _role(d.default_role),
                "defaultSpaceRole": _role(d.default_space_role),
                "sourceIdentityIsProfileName": d.source_identity_is_profile_name,
            }
            for d in directory.domains
        ],
        "userProfiles": [
            {
                "domainId": p.domain_id,
                "name": p.name,
                "arn": p.arn,
                "executionRole": _role(p.execution_role),
            }
            for p in directory.user_profiles
        ],
        "spaces": [
            {"domainId": s.domain_id, "name": s.name, "arn": s.arn} for s in directory.spaces
        ],
    }


def directory_from_dict(data: dict[str, Any]) -> DomainDirectory:
    return DomainDirectory(
        domains=tuple(
            DomainEntry(
                domain_id=d["domainId"],
                domain_arn=d["domainArn"],
                name=d["name"],
                default_role=_role_key(d.get("defaultRole")),
                default_space_role=_role_key(d.get("defaultSpaceRole")),
                source_identity_is_profile_name=bool(d["sourceIdentityIsProfileName"]),
            )
            for d in data.get("domains", [])
        ),
        user_profiles=tuple(
            UserProfileEntry(p["domainId"], p["name"], p["arn"], _role_key(p.get("executionRole")))
            for p in data.get("userProfiles", [])
        ),
        spaces=tuple(
            SpaceEntry(s["domainId"], s["name"], s["arn"]) for s in data.get("spaces", [])
        ),
        loaded_at=float(data.get("loadedAt", 0.0)),
    )
