"""Resource-side evidence for the sweep: the resource's own role, its lineage and its Studio scope.

The sweep has no CloudTrail record, so the caller is unknown; what the resource says
about itself (Search record, List summary, Describe output) takes its place. The
registry's request paths are read from those documents: SageMaker echoes create
request members in its Describe and Search outputs under the same names
(tests/unit/core/registry/test_enumeration.py checks every path against botocore's model).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tag_enforcer.core import registry
from tag_enforcer.core.arns import Arn, InvalidArnError, sagemaker_arn
from tag_enforcer.core.attribution import AttributionInput, ParentEvidence, StudioReference
from tag_enforcer.core.registry.paths import field_values, first_text
from tag_enforcer.core.registry.schema import ResourceType
from tag_enforcer.core.resources import AccountScope, SweptResource
from tag_enforcer.core.tags import enforced_tags


def resource_roles(resource_type: ResourceType, document: Mapping[str, Any]) -> tuple[str, ...]:
    roles = [
        value
        for path in resource_type.role_fields
        for value in field_values(document, path)
        if isinstance(value, str) and value
    ]
    return tuple(dict.fromkeys(roles))


def parent_references(
    resource_type: ResourceType, document: Mapping[str, Any], scope: AccountScope
) -> list[tuple[str, str]]:
    """(parent type, parent ARN) for each lineage parent the document names by name or ARN."""
    found: list[tuple[str, str]] = []
    for link in resource_type.lineage:
        parent_type = registry.by_name(link.parent_type)
        for value in field_values(document, link.request_field):
            if not isinstance(value, str) or not value:
                continue
            if value.startswith("arn:"):
                found.append((parent_type.name, value))
            elif len(parent_type.arn_name_fields) == 1:
                name = value.lower() if parent_type.arn_lowercases_name else value
                arn = sagemaker_arn(
                    scope.partition, scope.region, scope.account, parent_type.arn_segment, name
                )
                found.append((parent_type.name, arn))
    return list(dict.fromkeys(found))


def studio_reference(resource: SweptResource) -> StudioReference | None:
    """Domain, profile and space from the resource's own fields, else from its ARN."""
    scope = resource.resource_type.studio_scope
    if scope is None:
        return None

    def read(path: str | None) -> str | None:
        return first_text(resource.document, path) if path else None

    domain_id = read(scope.domain_id_field)
    if domain_id is None and scope.domain_id_field:
        # user-profile/<domain id>/<name>, space/<domain id>/<name>, app/<domain id>/...
        try:
            path = Arn.parse(resource.arn).resource_path
        except InvalidArnError:
            path = []
        domain_id = path[0] if path else None
    return StudioReference(
        domain_id=domain_id,
        user_profile_name=read(scope.user_profile_field),
        space_name=read(scope.space_field),
    )


def attribution_request(
    resource: SweptResource,
    parent_tags: Mapping[str, Mapping[str, str]],
    scope: AccountScope,
) -> AttributionInput:
    """What attribution needs, from the resource's side; `parent_tags` is keyed by lower ARN."""
    parents = tuple(
        ParentEvidence(parent_type, parent_arn, enforced_tags(parent_tags[parent_arn.lower()]))
        for parent_type, parent_arn in parent_references(
            resource.resource_type, resource.document, scope
        )
        if parent_arn.lower() in parent_tags
    )
    return AttributionInput(
        resource_type=resource.resource_type,
        resource_arn=resource.arn,
        studio=studio_reference(resource),
        resource_role_arns=resource_roles(resource.resource_type, resource.document),
        parents=parents,
        current_tags=enforced_tags(resource.tags),
    )
