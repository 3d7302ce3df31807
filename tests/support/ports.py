"""Fakes of the enforcement service's ports: TagPort, AlertPort, DirectoryPort, Inspector.

Each keeps what it was asked, so a test can read the API budget of a decision
("one ListTags and at most one AddTags per event") as well as its outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tag_enforcer.core import registry
from tag_enforcer.core.decisions import AttributionDecision
from tag_enforcer.core.directory import DirectoryChange, DomainDirectory
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
        self.changes: list[DirectoryChange] = []

    def get(self) -> DomainDirectory:
        self.gets += 1
        return self.current

    def invalidate(self) -> None:
        self.invalidations += 1

    def apply(self, change: DirectoryChange) -> DomainDirectory:
        self.changes.append(change)
        return self.current

    def refresh_after_miss(self) -> DomainDirectory | None:
        self.refreshes += 1
        if self.after_refresh is None:
            return None
        self.current = self.after_refresh
        return self.current


class FakeInspector:
    """InspectorPort: every inspected resource is of `type_name`, carries `tags`, and gets
    `decision`; `describe` answers from `outputs` (ARN -> Describe output) and
    `describe_pipeline_execution` from `pipeline_executions`.

    An exception as the decision is raised instead, as inspection does for a resource
    that is gone or not enforced; with no decision, an inspection fails the test.
    """

    def __init__(
        self,
        decision: AttributionDecision | Exception | None = None,
        tags: Mapping[str, str] | None = None,
        *,
        type_name: str = "Model",
        outputs: Mapping[str, Mapping[str, Any]] | None = None,
        pipeline_executions: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.decision = decision
        self.tags = dict(tags or {})
        self.type_name = type_name
        self.outputs = {arn: dict(output) for arn, output in (outputs or {}).items()}
        self.pipeline_executions = {
            arn: dict(output) for arn, output in (pipeline_executions or {}).items()
        }
        self.inspected: list[str] = []
        self.described: list[str] = []
        self.executions_described: list[str] = []

    def inspect(self, resource_arn: str) -> Inspection:
        self.inspected.append(resource_arn)
        if self.decision is None:
            raise AssertionError(f"{resource_arn} was not meant to be inspected")
        if isinstance(self.decision, Exception):
            raise self.decision
        resource = SweptResource(registry.by_name(self.type_name), resource_arn, {}, self.tags)
        return Inspection(resource, {}, self.decision)

    def describe(self, resource_arn: str) -> dict[str, Any]:
        self.described.append(resource_arn)
        if resource_arn not in self.outputs:
            raise AssertionError(f"{resource_arn} was not meant to be described")
        return dict(self.outputs[resource_arn])

    def describe_pipeline_execution(self, execution_arn: str) -> dict[str, Any]:
        self.executions_described.append(execution_arn)
        if execution_arn not in self.pipeline_executions:
            raise AssertionError(f"{execution_arn} was not meant to be described")
        return dict(self.pipeline_executions[execution_arn])
