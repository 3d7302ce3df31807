"""Where a sweep or an inspection runs, and a resource as read from AWS (its document and tags)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tag_enforcer.core.registry.schema import ResourceType


@dataclass(frozen=True)
class AccountScope:
    """Where the sweep runs: ARNs the List summaries lack are built from it."""

    partition: str
    region: str
    account: str


@dataclass(frozen=True)
class SweptResource:
    """A resource as the sweep sees it: its record (Search) or summary (List), and all its tags."""

    resource_type: ResourceType
    arn: str
    document: Mapping[str, Any]
    tags: Mapping[str, str]
