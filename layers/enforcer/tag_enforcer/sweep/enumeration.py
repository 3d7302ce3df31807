"""One page of one resource type in the fewest calls: Search where it can, else List + GetResources.

Search returns tags and details 100 records a page. A List page carries no tags, so
its ARNs go to the Resource Groups Tagging API's GetResources in one call: the
resources it does not return have never been tagged (Resource Groups Tagging API
reference, GetResources), and the others come back with all their tags.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tag_enforcer.core import registry
from tag_enforcer.core.arns import sagemaker_arn
from tag_enforcer.core.errors import ResourceNotListedError
from tag_enforcer.core.registry.paths import first_text
from tag_enforcer.core.registry.schema import (
    Describe,
    ListEnumeration,
    ResourceType,
    SearchEnumeration,
)
from tag_enforcer.core.resources import AccountScope, SweptResource
from tag_enforcer.core.tags import DOMAIN_TAG, enforced_tags

# Search takes MaxResults 1-100 (SageMaker API reference, Search).
SEARCH_PAGE_SIZE = 100
# Every List call in the registry takes MaxResults up to 100 (botocore SageMaker model;
# tests/unit/core/registry/test_enumeration.py checks each one).
LIST_PAGE_SIZE = 100
# GetResources takes 1-100 ARNs in ResourceARNList (Resource Groups Tagging API reference).
TAG_LOOKUP_BATCH = 100
# Statuses SageMaker keeps listing after a delete (botocore enums of AppStatus,
# MlflowAppStatus, PartnerAppStatus, SchedulerResourceStatus): nothing left to tag.
_DELETED_STATUSES = frozenset({"Deleted"})


@dataclass(frozen=True)
class ResourcePage:
    resources: tuple[SweptResource, ...]
    next_cursor: str | None  # None: the type is done


class SageMakerCatalog(Protocol):
    """The SageMaker reads the sweep makes (Search, List*, Describe*)."""

    def search(
        self, resource: str, next_token: str | None, max_results: int
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def list_page(
        self,
        operation: str,
        result_key: str,
        parameters: Mapping[str, Any],
        next_token: str | None,
        max_results: int,
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def describe(self, operation: str, parameters: Mapping[str, Any]) -> dict[str, Any]: ...

    def list_tags(self, resource_arn: str) -> dict[str, str]: ...


class TagLookup(Protocol):
    """Tags by ARN from the Resource Groups Tagging API; never-tagged ARNs are absent."""

    def tags_by_arn(self, arns: Sequence[str]) -> dict[str, dict[str, str]]: ...


def tags_from_record(record: Mapping[str, Any]) -> dict[str, str]:
    """Search records carry `Tags` as a list of Key/Value pairs (botocore SearchRecord)."""
    tags = record.get("Tags") or []
    return {t["Key"]: t.get("Value", "") for t in tags if isinstance(t, Mapping) and "Key" in t}


def lookup_tags(arns: Iterable[str], tags: TagLookup) -> dict[str, dict[str, str]]:
    """Tags of every ARN, keyed by lower-cased ARN; `{}` for the never-tagged ones."""
    wanted = list(dict.fromkeys(arns))
    found: dict[str, dict[str, str]] = {arn.lower(): {} for arn in wanted}
    for start in range(0, len(wanted), TAG_LOOKUP_BATCH):
        for arn, resource_tags in tags.tags_by_arn(
            wanted[start : start + TAG_LOOKUP_BATCH]
        ).items():
            found[arn.lower()] = dict(resource_tags)
    return found


def summary_arn(
    resource_type: ResourceType,
    summary: Mapping[str, Any],
    scope: AccountScope,
    known_arns: Mapping[str, str] | None = None,
) -> str | None:
    """The ARN of a List summary: its ARN member, else built from its name fields.

    A built ARN lower-cases names as SageMaker does; where SageMaker's own answer is known
    (`known_arns`, lower-cased ARN -> ARN: the profiles' and spaces' Describe output in
    the directory), that spelling wins, since the Tagging API matches ARNs exactly.
    """
    enumeration = resource_type.enumeration
    if isinstance(enumeration, ListEnumeration) and enumeration.arn_field:
        value = summary.get(enumeration.arn_field)
        return value if isinstance(value, str) and value else None
    parts: list[str] = []
    for spec in resource_type.arn_name_fields:
        value = next(
            (text for option in spec.split("|") if (text := first_text(summary, option))), None
        )
        if value is None:
            return None
        parts.append(value.lower() if resource_type.arn_lowercases_name else value)
    if not parts:
        return None
    built = sagemaker_arn(
        scope.partition, scope.region, scope.account, resource_type.arn_segment, *parts
    )
    return (known_arns or {}).get(built.lower(), built)


def _is_deleted(summary: Mapping[str, Any]) -> bool:
    return summary.get("Status") in _DELETED_STATUSES


def _search_page(
    resource_type: ResourceType,
    enumeration: SearchEnumeration,
    cursor: str | None,
    catalog: SageMakerCatalog,
) -> ResourcePage:
    results, next_token = catalog.search(enumeration.search_resource, cursor, SEARCH_PAGE_SIZE)
    resources = []
    for result in results:
        record = result.get(enumeration.record_key) or {}
        arn = record.get(enumeration.arn_field)
        if isinstance(arn, str) and arn:
            resources.append(SweptResource(resource_type, arn, record, tags_from_record(record)))
    return ResourcePage(tuple(resources), next_token)


def _with_tags(
    resource_type: ResourceType,
    summaries: list[dict[str, Any]],
    tags: TagLookup,
    scope: AccountScope,
    known_arns: Mapping[str, str] | None = None,
) -> tuple[SweptResource, ...]:
    located = [
        (arn, summary)
        for summary in summaries
        if not _is_deleted(summary)
        and (arn := summary_arn(resource_type, summary, scope, known_arns))
    ]
    known = lookup_tags((arn for arn, _ in located), tags) if located else {}
    return tuple(
        SweptResource(resource_type, arn, summary, known.get(arn.lower(), {}))
        for arn, summary in located
    )


def _list_page(
    resource_type: ResourceType,
    *,
    enumeration: ListEnumeration,
    cursor: str | None,
    catalog: SageMakerCatalog,
    tags: TagLookup,
    scope: AccountScope,
    known_arns: Mapping[str, str] | None = None,
) -> ResourcePage:
    if enumeration.within is not None:
        return _list_page_within(
            resource_type,
            enumeration=enumeration,
            cursor=cursor,
            catalog=catalog,
            tags=tags,
            scope=scope,
        )
    summaries, next_token = catalog.list_page(
        enumeration.operation, enumeration.result_key, {}, cursor, LIST_PAGE_SIZE
    )
    return ResourcePage(_with_tags(resource_type, summaries, tags, scope, known_arns), next_token)


def _list_page_within(
    resource_type: ResourceType,
    *,
    enumeration: ListEnumeration,
    cursor: str | None,
    catalog: SageMakerCatalog,
    tags: TagLookup,
    scope: AccountScope,
) -> ResourcePage:
    """A List call scoped to one parent (ListClusterExtensions needs a ClusterArn).

    The cursor is JSON: the parent ARNs still to visit from the current parent page,
    the parent List's NextToken, and the child List's NextToken within the first parent.
    """
    assert enumeration.within is not None
    link = enumeration.within
    parent_type = registry.by_name(link.parent_type)
    parent_enumeration = parent_type.enumeration
    if not isinstance(parent_enumeration, ListEnumeration):
        raise ValueError(f"{resource_type.name} is listed within {parent_type.name}, not a List")
    state: dict[str, Any] = (
        json.loads(cursor)
        if cursor
        else {"parents": [], "parentToken": None, "parentsDone": False, "token": None}
    )
    while not state["parents"]:
        if state["parentsDone"]:
            return ResourcePage((), None)
        summaries, parent_token = catalog.list_page(
            parent_enumeration.operation,
            parent_enumeration.result_key,
            {},
            state["parentToken"],
            LIST_PAGE_SIZE,
        )
        state["parents"] = [
            arn for s in summaries if (arn := summary_arn(parent_type, s, scope)) is not None
        ]
        state["parentToken"] = parent_token
        state["parentsDone"] = parent_token is None
    summaries, child_token = catalog.list_page(
        enumeration.operation,
        enumeration.result_key,
        {link.request_field: state["parents"][0]},
        state["token"],
        LIST_PAGE_SIZE,
    )
    if child_token:
        state["token"] = child_token
    else:
        state["parents"].pop(0)
        state["token"] = None
    finished = not state["parents"] and state["parentsDone"]
    next_cursor = None if finished else json.dumps(state, sort_keys=True)
    return ResourcePage(_with_tags(resource_type, summaries, tags, scope), next_cursor)


def read_page(
    resource_type: ResourceType,
    cursor: str | None,
    catalog: SageMakerCatalog,
    tags: TagLookup,
    scope: AccountScope,
    *,
    known_arns: Mapping[str, str] | None = None,
) -> ResourcePage:
    """The page at `cursor` (None: the first page) with every resource's current tags."""
    enumeration = resource_type.enumeration
    if isinstance(enumeration, SearchEnumeration):
        return _search_page(resource_type, enumeration, cursor, catalog)
    if isinstance(enumeration, ListEnumeration):
        return _list_page(
            resource_type,
            enumeration=enumeration,
            cursor=cursor,
            catalog=catalog,
            tags=tags,
            scope=scope,
            known_arns=known_arns,
        )
    raise ValueError(f"{resource_type.name} has no enumeration in the registry")


def sweep_waves(types: Iterable[ResourceType]) -> list[list[ResourceType]]:
    """Types grouped so every lineage parent is swept in an earlier wave than its children.

    A child reads its parent's tags; sweeping parents first means a parent tagged
    by this run already counts as evidence for its children.
    """
    selected = {t.name: t for t in types}
    depth: dict[str, int] = {}

    def depth_of(name: str, visiting: frozenset[str]) -> int:
        if name in depth:
            return depth[name]
        resource_type = selected[name]
        parents = {
            link.parent_type
            for link in resource_type.lineage
            if link.parent_type in selected and link.parent_type != name
        }
        enumeration = resource_type.enumeration
        within = enumeration.within if isinstance(enumeration, ListEnumeration) else None
        if within is not None and within.parent_type in selected:
            parents.add(within.parent_type)
        # A cycle through other types (none today) would fall back to the same wave.
        level = max(
            (depth_of(p, visiting | {name}) + 1 for p in parents if p not in visiting), default=0
        )
        depth[name] = level
        return level

    for name in selected:
        depth_of(name, frozenset())
    waves: list[list[ResourceType]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for name, resource_type in selected.items():
        waves[depth[name]].append(resource_type)
    return [wave for wave in waves if wave]


def lacks_domain_tag(resource: SweptResource) -> bool:
    """No domain tag, in any case of its key (tag_enforcer.core.tags)."""
    return not enforced_tags(resource.tags).get(DOMAIN_TAG)


def evidence_describe(resource_type: ResourceType) -> Describe | None:
    """The Describe call that adds the role and parents a List summary lacks, if any.

    Search records already hold them; Studio types are attributed from their own names
    (structural rule); types with no role, parent or creator record have nothing to add.
    """
    enumeration = resource_type.enumeration
    describe = resource_type.describe
    if not isinstance(enumeration, ListEnumeration) or describe is None:
        return None
    if not enumeration.describe_from_summary or resource_type.studio_scope is not None:
        return None
    if not (resource_type.role_fields or resource_type.lineage or resource_type.creator_field):
        return None
    return describe


def describe_call(resource: SweptResource) -> tuple[str, dict[str, Any]] | None:
    """The Describe call (operation and parameters) for this resource's evidence, if needed."""
    describe = evidence_describe(resource.resource_type)
    if describe is None:
        return None
    parameters: dict[str, Any] = {}
    for source, parameter in zip(describe.key_sources, describe.key, strict=True):
        value = resource.document.get(source)
        if value is None and source.endswith("Arn"):
            value = resource.arn
        if value is None:
            return None
        parameters[parameter] = value
    return describe.operation, parameters


# Looking for one resource in its type's pages stops after this many pages; past it,
# an operator's own Describe serves better.
MAX_PAGES_SEARCHED = 50


def page_finder(
    catalog: SageMakerCatalog, tags: TagLookup, max_pages: int = MAX_PAGES_SEARCHED
) -> Callable[[ResourceType, str, AccountScope], Mapping[str, Any]]:
    """A finder of one resource's summary or record in its type's pages (for inspections)."""

    def find(resource_type: ResourceType, arn: str, scope: AccountScope) -> Mapping[str, Any]:
        cursor: str | None = None
        for _ in range(max_pages):
            page = read_page(resource_type, cursor, catalog, tags, scope)
            for resource in page.resources:
                if resource.arn.lower() == arn.lower():
                    return dict(resource.document)
            cursor = page.next_cursor
            if cursor is None:
                break
        raise ResourceNotListedError(
            f"{arn} was not found among the {resource_type.name} resources listed"
        )

    return find
