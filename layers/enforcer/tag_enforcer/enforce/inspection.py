"""One resource, judged from its own side: its Describe output, its tags, its parents' tags.

The sweep judges resources page by page; this module judges a single ARN with the
same rules. The enforce path uses it when somebody adds or removes an enforced tag
after creation, and `tag-enforcer explain` prints what it finds. Its adapters are
handed in: a Describe reader, a tag reader and, for types without a Describe call
(or whose ARN lacks the Describe key), an optional finder that looks through the
type's pages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from tag_enforcer.core import registry
from tag_enforcer.core.admin_rules import NO_RULES, AdminRules
from tag_enforcer.core.arns import Arn, InvalidArnError
from tag_enforcer.core.attribution import attribute
from tag_enforcer.core.decisions import AttributionDecision, CreatorRecord
from tag_enforcer.core.directory import DomainDirectory
from tag_enforcer.core.errors import ResourceGoneError, ResourceNotListedError
from tag_enforcer.core.evidence import (
    attribution_request,
    creator_record,
    lineage_references,
    pipeline_execution_arn,
)
from tag_enforcer.core.registry.schema import ResourceType
from tag_enforcer.core.resources import AccountScope, SweptResource


class InspectionError(RuntimeError):
    """The ARN cannot be judged: not SageMaker, not a registered type, or not found."""


@dataclass(frozen=True)
class Inspection:
    resource: SweptResource
    parents: dict[str, dict[str, str]]  # parent ARN (lower-cased) -> its tags
    decision: AttributionDecision


class DescribeReader(Protocol):
    def describe(self, operation: str, parameters: Mapping[str, Any]) -> dict[str, Any]: ...


class TagReader(Protocol):
    def list_tags(self, resource_arn: str) -> dict[str, str]: ...


# (type, ARN, scope) -> the resource's List summary or Search record; raises
# InspectionError when the pages do not hold it.
PageFinder = Callable[[ResourceType, str, AccountScope], Mapping[str, Any]]


def parse_resource_arn(arn_text: str) -> tuple[Arn, ResourceType]:
    try:
        arn = Arn.parse(arn_text)
    except InvalidArnError as error:
        raise InspectionError(f"{arn_text!r} is not an ARN") from error
    if arn.service != "sagemaker":
        raise InspectionError(f"{arn_text} is not a SageMaker ARN")
    resource_type = registry.for_arn_segment(arn.resource_segment)
    if resource_type is None:
        raise InspectionError(
            f"{arn.resource_segment!r} resources are not enforced by the tag enforcer "
            "(no registry entry)"
        )
    return arn, resource_type


def describe_request(resource_type: ResourceType, arn: Arn) -> tuple[str, dict[str, str]] | None:
    """The registry's Describe call for this ARN, when the ARN itself supplies its key."""
    describe = resource_type.describe
    if describe is None:
        return None
    names = dict(
        zip(
            (spec.split("|")[0] for spec in resource_type.arn_name_fields),
            arn.resource_path,
            strict=False,
        )
    )
    request: dict[str, str] = {}
    for member, source in zip(describe.key, describe.key_sources, strict=True):
        if member.endswith("Arn"):
            request[member] = str(arn)
        elif member in names:
            request[member] = names[member]
        elif source in names:
            request[member] = names[source]
        else:
            return None
    return describe.operation, request


def inspection_describe_operations() -> set[str]:
    """Every Describe operation an inspection can call, one per registry type at most."""
    return {
        t.describe.operation
        for t in registry.RESOURCE_TYPES
        if t.describe is not None and not t.retired and t.iam_actions_published
    }


class ResourceInspector:
    """Judges single resources of one account and region with the adapters it is given."""

    def __init__(
        self,
        catalog: DescribeReader,
        tags: TagReader,
        directory: Callable[[], DomainDirectory],
        rules: AdminRules = NO_RULES,
        find_in_pages: PageFinder | None = None,
    ) -> None:
        self._catalog = catalog
        self._tags = tags
        self._directory = directory
        self._rules = rules
        self._find_in_pages = find_in_pages

    def _from_pages(
        self, resource_type: ResourceType, arn: Arn, scope: AccountScope
    ) -> dict[str, Any]:
        if self._find_in_pages is None:
            raise InspectionError(
                f"{arn} cannot be described from its ARN alone, and this inspector "
                "does not look through listings"
            )
        try:
            return dict(self._find_in_pages(resource_type, str(arn), scope))
        except ResourceNotListedError as error:
            raise InspectionError(str(error)) from error

    def _document(
        self, resource_type: ResourceType, arn: Arn, scope: AccountScope
    ) -> dict[str, Any]:
        request = describe_request(resource_type, arn)
        if request is None:
            return self._from_pages(resource_type, arn, scope)
        operation, parameters = request
        try:
            return self._catalog.describe(operation, parameters)
        except ResourceGoneError:
            if self._find_in_pages is None:
                raise
            # Names inside ARNs are lower-cased; the resource may exist under another case.
            return self._from_pages(resource_type, arn, scope)

    def describe(self, arn_text: str) -> dict[str, Any]:
        """The resource's Describe answer (or its summary from the listings)."""
        arn, resource_type = parse_resource_arn(arn_text)
        return self._document(
            resource_type, arn, AccountScope(arn.partition, arn.region, arn.account)
        )

    def describe_pipeline_execution(self, execution_arn: str) -> dict[str, Any]:
        return self._catalog.describe(
            "DescribePipelineExecution", {"PipelineExecutionArn": execution_arn}
        )

    def inspect(self, arn_text: str) -> Inspection:
        """Raises InspectionError, or ResourceGoneError when the resource no longer exists."""
        arn, resource_type = parse_resource_arn(arn_text)
        if not resource_type.iam_actions_published:
            raise InspectionError(
                f"{arn_text} cannot be inspected: IAM publishes no Describe or List action "
                f"for {resource_type.name} resources yet, so no policy can allow the calls"
            )
        scope = AccountScope(arn.partition, arn.region, arn.account)
        document = self._document(resource_type, arn, scope)
        tags = self._tags.list_tags(arn_text)
        parents: dict[str, dict[str, str]] = {}
        for _, parent_arn in lineage_references(resource_type, document, tags, scope):
            try:
                parents[parent_arn.lower()] = self._tags.list_tags(parent_arn)
            except ResourceGoneError:
                parents[parent_arn.lower()] = {}
        creators: tuple[CreatorRecord, ...] = ()
        execution = pipeline_execution_arn(tags)
        if execution is not None:
            try:
                described = self.describe_pipeline_execution(execution)
            except ResourceGoneError:
                described = {}
            started_by = creator_record(described, "CreatedBy", "DescribePipelineExecution")
            creators = () if started_by is None else (started_by,)
        resource = SweptResource(resource_type, arn_text, document, tags)
        request = attribution_request(resource, parents, scope, creators)
        return Inspection(resource, parents, attribute(request, self._directory(), self._rules))
