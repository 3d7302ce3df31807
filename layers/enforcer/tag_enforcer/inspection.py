"""One resource, judged from its own side: Describe (or its type's pages), its tags, its parents.

The sweep judges resources page by page; this module judges a single ARN with the
same rules. `tag-enforcer explain` prints what it finds, and the enforce path uses
it when somebody adds or removes an enforced tag after creation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tag_enforcer import registry
from tag_enforcer.admin_rules import NO_RULES, AdminRules
from tag_enforcer.arns import Arn, InvalidArnError
from tag_enforcer.attribution import AttributionDecision, attribute
from tag_enforcer.directory import DomainDirectory
from tag_enforcer.enumeration import AccountScope, SweptResource, read_page
from tag_enforcer.errors import ResourceGoneError
from tag_enforcer.registry import ListEnumeration, ResourceType
from tag_enforcer.sweep_aws import ResourceGroupsTagging, SageMakerCatalogApi
from tag_enforcer.sweep_evidence import attribution_request, parent_references
from tag_enforcer.tagging import SageMakerTags

# Without a Describe call for the type, the resource is looked for in its type's pages;
# past this many pages a Describe of the operator's own serves better.
MAX_PAGES_SEARCHED = 50


class InspectionError(RuntimeError):
    """The ARN cannot be judged: not SageMaker, not a registered type, or not found."""


@dataclass(frozen=True)
class Inspection:
    resource: SweptResource
    parents: dict[str, dict[str, str]]  # parent ARN (lower-cased) -> its tags
    decision: AttributionDecision


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


def describe_request(
    resource_type: ResourceType, arn: Arn, service_model: Any
) -> tuple[str, dict[str, str]] | None:
    """A Describe call whose key members the ARN itself supplies, if there is one."""
    names = dict(
        zip(
            (spec.split("|")[0] for spec in resource_type.arn_name_fields),
            arn.resource_path,
            strict=False,
        )
    )
    enumeration = resource_type.enumeration
    if isinstance(enumeration, ListEnumeration) and enumeration.describe_operation:
        operation = enumeration.describe_operation
    else:
        operation = f"Describe{resource_type.name}"
    if operation not in service_model.operation_names:
        return None
    request: dict[str, str] = {}
    for member in service_model.operation_model(operation).input_shape.required_members:
        if member.endswith("Arn"):
            request[member] = str(arn)
        elif member in names:
            request[member] = names[member]
        elif (
            isinstance(enumeration, ListEnumeration)
            and member in enumeration.describe_parameters
            and (
                key := enumeration.describe_key_fields[
                    enumeration.describe_parameters.index(member)
                ]
            )
            in names
        ):
            request[member] = names[key]
        else:
            return None
    return operation, request


def inspection_describe_operations(service_model: Any) -> set[str]:
    """The Describe operations `describe_request` can call, one per registry type at most."""
    operations = set()
    for resource_type in registry.RESOURCE_TYPES:
        enumeration = resource_type.enumeration
        if isinstance(enumeration, ListEnumeration) and enumeration.describe_operation:
            operations.add(enumeration.describe_operation)
        elif f"Describe{resource_type.name}" in service_model.operation_names:
            operations.add(f"Describe{resource_type.name}")
    return operations


class ResourceInspector:
    """Judges single resources of one account and region with real AWS clients."""

    def __init__(
        self,
        sagemaker_client: Any,
        tagging_client: Any,
        directory: Callable[[], DomainDirectory],
        rules: AdminRules = NO_RULES,
        max_pages_searched: int = MAX_PAGES_SEARCHED,
    ) -> None:
        self._sagemaker = sagemaker_client
        self._catalog = SageMakerCatalogApi(sagemaker_client)
        self._tagging = ResourceGroupsTagging(tagging_client)
        self._tags = SageMakerTags(sagemaker_client)
        self._directory = directory
        self._rules = rules
        self._max_pages = max_pages_searched

    def _find_in_pages(
        self, resource_type: ResourceType, arn: str, scope: AccountScope
    ) -> dict[str, Any]:
        cursor: str | None = None
        for _ in range(self._max_pages):
            page = read_page(resource_type, cursor, self._catalog, self._tagging, scope)
            for resource in page.resources:
                if resource.arn.lower() == arn.lower():
                    return dict(resource.document)
            cursor = page.next_cursor
            if cursor is None:
                break
        raise InspectionError(
            f"{arn} was not found among the {resource_type.name} resources listed"
        )

    def _document(
        self, resource_type: ResourceType, arn: Arn, scope: AccountScope
    ) -> dict[str, Any]:
        request = describe_request(resource_type, arn, self._sagemaker.meta.service_model)
        if request is None:
            return self._find_in_pages(resource_type, str(arn), scope)
        operation, parameters = request
        try:
            return self._catalog.describe(operation, parameters)
        except ResourceGoneError:
            # Names inside ARNs are lower-cased; the resource may exist under another case.
            return self._find_in_pages(resource_type, str(arn), scope)

    def inspect(self, arn_text: str) -> Inspection:
        """Raises InspectionError, or ResourceGoneError when the resource no longer exists."""
        arn, resource_type = parse_resource_arn(arn_text)
        scope = AccountScope(arn.partition, arn.region, arn.account)
        document = self._document(resource_type, arn, scope)
        tags = self._tags.list_tags(arn_text)
        parents: dict[str, dict[str, str]] = {}
        for _, parent_arn in parent_references(resource_type, document, scope):
            try:
                parents[parent_arn.lower()] = self._tags.list_tags(parent_arn)
            except ResourceGoneError:
                parents[parent_arn.lower()] = {}
        resource = SweptResource(resource_type, arn_text, document, tags)
        request = attribution_request(resource, parents, scope)
        return Inspection(resource, parents, attribute(request, self._directory(), self._rules))
