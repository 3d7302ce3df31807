"""Fakes for the sweep's ports: one in-memory SageMaker account that answers Search, List*,
Describe*, GetResources and TagResources the way the APIs do, and counts every call."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from tag_enforcer.core import registry
from tag_enforcer.core.admin_rules import NO_RULES, AdminRules
from tag_enforcer.core.errors import ResourceGoneError, StaleCursorError
from tag_enforcer.core.registry.schema import ListEnumeration, SearchEnumeration
from tag_enforcer.core.resources import AccountScope
from tag_enforcer.core.settings import EnforcementMode
from tag_enforcer.sweep.bulk_tagging import MAX_ARNS_PER_TAG_CALL, TagFailure
from tag_enforcer.sweep.enumeration import summary_arn
from tag_enforcer.sweep.report import SweepDigest
from tag_enforcer.sweep.service import SweepService
from tag_enforcer.sweep.settings import SweepOptions
from tag_enforcer_cli.commands import sweep as sweep_command
from tag_enforcer_cli.local_stores import InMemoryCheckpointStore, InMemoryRunStore
from tests.support.studio import ACCOUNT, PARTITION, REGION, Studio, sm_arn

# The Studio world's account: where every fake resource lives.
SCOPE = AccountScope(PARTITION, REGION, ACCOUNT)


@dataclass
class FakeResource:
    type_name: str
    arn: str
    summary: dict[str, Any]  # what a List page or Search record shows
    details: dict[str, Any]  # what Describe adds (role, parents)
    tags: dict[str, str] = field(default_factory=dict)
    ever_tagged: bool = False


class FakeSageMaker:
    """SageMakerCatalog, TagLookup and BulkTagPort over one dict of resources."""

    def __init__(self) -> None:
        self.resources: dict[str, FakeResource] = {}
        self.calls: Counter[str] = Counter()
        self.tag_calls: list[tuple[tuple[str, ...], dict[str, str]]] = []
        self.tag_failures: dict[str, list[TagFailure]] = {}  # popped one per TagResources call
        self.faults: dict[str, list[Exception]] = {}  # popped one per call of that operation
        self.before_call: Callable[[str], None] | None = None
        self.gone_on_describe: set[str] = set()

    # ------------------------------------------------------------------ seeding

    def add(
        self,
        type_name: str,
        name: str,
        *,
        tags: Mapping[str, str] | None = None,
        details: Mapping[str, Any] | None = None,
        summary: Mapping[str, Any] | None = None,
    ) -> str:
        resource_type = registry.by_name(type_name)
        enumeration = resource_type.enumeration
        arn = sm_arn(
            resource_type.arn_segment, name.lower() if resource_type.arn_lowercases_name else name
        )
        shown: dict[str, Any] = {}
        if isinstance(enumeration, SearchEnumeration):
            shown[enumeration.arn_field] = arn
        elif isinstance(enumeration, ListEnumeration):
            describe = resource_type.describe
            for key in describe.key_sources if describe else ():
                shown[key] = arn if key.endswith("Arn") else name
            if enumeration.arn_field:
                shown[enumeration.arn_field] = arn
        shown.update(summary or {})
        if isinstance(enumeration, ListEnumeration) and enumeration.arn_field is None:
            built = summary_arn(resource_type, shown, SCOPE)
            assert built is not None, f"{type_name} summary lacks its name fields"
            arn = built
        self.resources[arn] = FakeResource(
            type_name, arn, shown, dict(details or {}), dict(tags or {}), bool(tags)
        )
        return arn

    def tags_of(self, arn: str) -> dict[str, str]:
        return dict(self.resources[arn].tags)

    # ------------------------------------------------------------------ plumbing

    def _call(self, operation: str) -> None:
        self.calls[operation] += 1
        if self.before_call is not None:
            self.before_call(operation)
        faults = self.faults.get(operation)
        if faults:
            raise faults.pop(0)

    @staticmethod
    def _page(items: list[Any], token: str | None, size: int) -> tuple[list[Any], str | None]:
        if token is not None and not token.startswith("page-"):
            raise StaleCursorError(f"token {token} expired")
        start = int(token.removeprefix("page-")) if token else 0
        end = start + size
        return items[start:end], (f"page-{end}" if end < len(items) else None)

    # ------------------------------------------------------------------ SageMakerCatalog

    def search(
        self, resource: str, next_token: str | None, max_results: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        self._call("Search")
        assert max_results <= 100
        matching = []
        for item in self.resources.values():
            enumeration = registry.by_name(item.type_name).enumeration
            if (
                isinstance(enumeration, SearchEnumeration)
                and enumeration.search_resource == resource
            ):
                record = {
                    **item.summary,
                    **item.details,
                    "Tags": [{"Key": k, "Value": v} for k, v in item.tags.items()],
                }
                matching.append({enumeration.record_key: record})
        return self._page(matching, next_token, max_results)

    def list_page(
        self,
        operation: str,
        result_key: str,
        parameters: Mapping[str, Any],
        next_token: str | None,
        max_results: int,
    ) -> tuple[list[dict[str, Any]], str | None]:
        self._call(operation)
        assert max_results <= 100
        summaries = [
            dict(item.summary)
            for item in self.resources.values()
            if isinstance(e := registry.by_name(item.type_name).enumeration, ListEnumeration)
            and e.operation == operation
            and all(item.summary.get(k) == v for k, v in parameters.items())
        ]
        return self._page(summaries, next_token, max_results)

    def list_tags(self, resource_arn: str) -> dict[str, str]:
        self._call("ListTags")
        item = self.resources.get(resource_arn)
        if item is None:
            raise ResourceGoneError(f"{resource_arn} no longer exists (ListTags)")
        return dict(item.tags)

    def describe(self, operation: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
        self._call(operation)
        for item in self.resources.values():
            resource_type = registry.by_name(item.type_name)
            declared = resource_type.describe
            if not isinstance(resource_type.enumeration, ListEnumeration) or declared is None:
                continue
            if declared.operation != operation:
                continue
            keys = dict(zip(declared.key, declared.key_sources, strict=True))
            if all(item.summary.get(keys[p]) == v for p, v in parameters.items()):
                if item.arn in self.gone_on_describe:
                    raise ResourceGoneError(f"{item.arn} no longer exists ({operation})")
                return {**item.summary, **item.details}
        raise ResourceGoneError(f"{parameters} not found ({operation})")

    # ------------------------------------------------------------------ TagLookup

    def tags_by_arn(self, arns: Sequence[str]) -> dict[str, dict[str, str]]:
        self._call("GetResources")
        assert 1 <= len(arns) <= 100, len(arns)
        return {
            arn: dict(self.resources[arn].tags)
            for arn in arns
            if arn in self.resources and self.resources[arn].ever_tagged
        }

    # ------------------------------------------------------------------ BulkTagPort

    def tag_resources(self, arns: Sequence[str], tags: Mapping[str, str]) -> dict[str, TagFailure]:
        self._call("TagResources")
        assert 1 <= len(arns) <= MAX_ARNS_PER_TAG_CALL, len(arns)
        self.tag_calls.append((tuple(arns), dict(tags)))
        failures: dict[str, TagFailure] = {}
        for arn in arns:
            queued = self.tag_failures.get(arn)
            if queued:
                failures[arn] = queued.pop(0)
                continue
            # TagResources overwrites a key that is already there, like AWS does.
            self.resources[arn].tags.update(tags)
            self.resources[arn].ever_tagged = True
        return failures

    def tagged_arns(self) -> list[str]:
        return [arn for arns, _ in self.tag_calls for arn in arns]


class FakeDigest:
    """DigestPublisher that keeps each digest; queued `failures` are raised first, one a call."""

    def __init__(self) -> None:
        self.published: list[SweepDigest] = []
        self.failures: list[Exception] = []

    def publish(self, digest: SweepDigest) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.published.append(digest)


class FakeClock:
    """The sweep's clock: time moves only when a test advances it."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class SweepWorld:
    """A service and every fake it talks to."""

    account: FakeSageMaker
    studio: Studio
    checkpoints: InMemoryCheckpointStore
    runs: InMemoryRunStore
    digest: FakeDigest
    clock: FakeClock
    sleeps: list[float]

    def serve_the_cli(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """`tag-enforcer sweep` builds its service on this world, with the stores it made."""

        def build(options: Any, scope: Any, *, checkpoints: Any, runs: Any) -> Any:
            self.checkpoints, self.runs = checkpoints, runs
            return self.service(
                mode=options.mode, dry_run=options.dry_run, types=options.type_names
            )

        monkeypatch.setattr(sweep_command, "build_sweep_service", build)

    def service(
        self,
        *,
        mode: EnforcementMode = EnforcementMode.TAG,
        dry_run: bool = False,
        types: tuple[str, ...] = (),
        verify_tagged: bool = False,
        margin: float = 60.0,
        rules: AdminRules = NO_RULES,
    ) -> SweepService:
        return SweepService(
            options=SweepOptions(
                mode=mode, dry_run=dry_run, type_names=types, verify_tagged=verify_tagged
            ),
            scope=SCOPE,
            catalog=self.account,
            tag_lookup=self.account,
            tagger=self.account,
            checkpoints=self.checkpoints,
            runs=self.runs,
            load_directory=lambda: self.studio.directory,
            digest=self.digest,
            clock=self.clock,
            sleep=self.sleeps.append,
            safety_margin_seconds=margin,
            rules=rules,
        )


def new_world(studio: Studio) -> SweepWorld:
    """An empty account, empty stores and a stopped clock around the studio's directory."""
    return SweepWorld(
        FakeSageMaker(),
        studio,
        InMemoryCheckpointStore(),
        InMemoryRunStore(),
        FakeDigest(),
        FakeClock(),
        [],
    )
