"""Fakes of the enforcement service's ports: TagPort, AlertPort, DirectoryPort, Inspector.

Each keeps what it was asked, so a test can read the API budget of a decision
("one ListTags and at most one AddTags per event") as well as its outcome.
"""

from __future__ import annotations

from collections.abc import Mapping

from tag_enforcer.core import registry
from tag_enforcer.core.attribution import AttributionDecision
from tag_enforcer.core.directory import DomainDirectory
from tag_enforcer.core.errors import ResourceGoneError
from tag_enforcer.core.resources import SweptResource
from tag_enforcer.enforce.alerts import Finding
from tag_enforcer.enforce.inspection import Inspection


class FakeTags:
    """TagPort over a dict of ARN -> tags. AddTags overwrites a key, as SageMaker does."""

    def __init__(self, tags: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.tags: dict[str, dict[str, str]] = {k: dict(v) for k, v in (tags or {}).items()}
        self.gone: set[str] = set()  # ListTags and AddTags answer "does not exist"
        self.gone_before_tagging: set[str] = set()  # only AddTags does
        self.failures: dict[str, Exception] = {}  # raised by any call on that ARN
        self.calls: list[tuple[str, str]] = []  # (operation, arn)
        self.added: list[tuple[str, dict[str, str]]] = []

    def list_tags(self, resource_arn: str) -> dict[str, str]:
        self.calls.append(("ListTags", resource_arn))
        if resource_arn in self.failures:
            raise self.failures[resource_arn]
        if resource_arn in self.gone:
            raise ResourceGoneError(f"{resource_arn} no longer exists (ListTags)")
        return dict(self.tags.get(resource_arn, {}))

    def add_tags(self, resource_arn: str, tags: Mapping[str, str]) -> None:
        self.calls.append(("AddTags", resource_arn))
        if resource_arn in self.failures:
            raise self.failures[resource_arn]
        if resource_arn in self.gone or resource_arn in self.gone_before_tagging:
            raise ResourceGoneError(f"{resource_arn} no longer exists (AddTags)")
        self.added.append((resource_arn, dict(tags)))
        self.tags.setdefault(resource_arn, {}).update(tags)

    def operations(self) -> list[str]:
        return [operation for operation, _ in self.calls]


class FakeAlerts:
    """AlertPort that keeps what it was asked to publish."""

    def __init__(self) -> None:
        self.published: list[Finding] = []
        self.failure: Exception | None = None

    def publish(self, finding: Finding) -> None:
        if self.failure is not None:
            raise self.failure
        self.published.append(finding)


class FakeDirectory:
    """DirectoryPort: serves `current`; a refresh after a miss swaps in `after_refresh`."""

    def __init__(
        self, current: DomainDirectory, after_refresh: DomainDirectory | None = None
    ) -> None:
        self.current = current
        self.after_refresh = after_refresh
        self.gets = 0
        self.invalidations = 0
        self.refreshes = 0

    def get(self) -> DomainDirectory:
        self.gets += 1
        return self.current

    def invalidate(self) -> None:
        self.invalidations += 1

    def refresh_after_miss(self) -> DomainDirectory | None:
        self.refreshes += 1
        if self.after_refresh is None:
            return None
        self.current = self.after_refresh
        return self.current


class FakeInspector:
    """Inspector: every resource is of `type_name`, carries `tags`, and gets `decision`.

    An exception as the decision is raised instead, as inspection does for a resource
    that is gone or not enforced.
    """

    def __init__(
        self,
        decision: AttributionDecision | Exception,
        tags: Mapping[str, str] | None = None,
        *,
        type_name: str = "Model",
    ) -> None:
        self.decision = decision
        self.tags = dict(tags or {})
        self.type_name = type_name
        self.inspected: list[str] = []

    def inspect(self, resource_arn: str) -> Inspection:
        self.inspected.append(resource_arn)
        if isinstance(self.decision, Exception):
            raise self.decision
        resource = SweptResource(registry.by_name(self.type_name), resource_arn, {}, self.tags)
        return Inspection(resource, {}, self.decision)
