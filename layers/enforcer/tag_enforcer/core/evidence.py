"""Resource-side evidence: the resource's own roles, lineage, Studio scope and creator record.

The sweep and an inspection have no CloudTrail record, so the caller is unknown; what
the resource says about itself (Search record, List summary, Describe output) takes
its place. The registry's request paths are read from those documents: SageMaker
echoes create request members in its Describe and Search outputs under the same names
(tests/unit/core/registry/test_enumeration.py checks every path against botocore's
model). The create event reads the same paths from its request (tag_enforcer.core.events).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tag_enforcer.core import registry
from tag_enforcer.core.arns import Arn, InvalidArnError, sagemaker_arn
from tag_enforcer.core.decisions import (
    AttributionInput,
    CreatorRecord,
    ParentEvidence,
    StudioReference,
)
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


# Jobs a SageMaker pipeline runs carry the execution that ran them (the SageMaker
# Python SDK reads this tag in sagemaker/lineage/context.py); the pipeline itself is
# the part of the execution ARN before "/execution/".
PIPELINE_EXECUTION_TAG = "sagemaker:pipeline-execution-arn"


def pipeline_execution_arn(tags: Mapping[str, str]) -> str | None:
    value = next((v for k, v in tags.items() if k.lower() == PIPELINE_EXECUTION_TAG), None)
    if not value:
        return None
    try:
        arn = Arn.parse(value)
    except InvalidArnError:
        return None
    path = arn.resource_path
    if arn.service != "sagemaker" or arn.resource_segment != "pipeline" or len(path) != 3:
        return None
    return value if path[1] == "execution" else None


def pipeline_of_execution(execution_arn: str) -> str:
    return execution_arn.split("/execution/", 1)[0]


def lineage_references(
    resource_type: ResourceType,
    document: Mapping[str, Any],
    tags: Mapping[str, str],
    scope: AccountScope,
) -> list[tuple[str, str]]:
    """The parents a document names, plus the pipeline whose execution ran the resource."""
    found = parent_references(resource_type, document, scope)
    execution = pipeline_execution_arn(tags)
    if execution is not None:
        found.append(("Pipeline", pipeline_of_execution(execution)))
    return list(dict.fromkeys(found))


def creator_record(
    document: Mapping[str, Any] | None, member: str | None, source: str
) -> CreatorRecord | None:
    """A UserContext member (CreatedBy) of a Describe answer or a Search record, if set."""
    if not document or not member:
        return None
    value = document.get(member)
    if not isinstance(value, Mapping):
        return None

    def text(name: str) -> str | None:
        found = value.get(name)
        return found if isinstance(found, str) and found else None

    record = CreatorRecord(
        source=f"{source} {member}",
        domain_id=text("DomainId"),
        user_profile_arn=text("UserProfileArn"),
        user_profile_name=text("UserProfileName"),
    )
    return record if record.domain_id or record.user_profile_arn else None


def created_at(document: Mapping[str, Any]) -> float | None:
    """CreationTime of a summary, record or description, as seconds since the epoch."""
    value = document.get("CreationTime")
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).timestamp()
        except ValueError:
            return None
    return None


def attribution_request(
    resource: SweptResource,
    parent_tags: Mapping[str, Mapping[str, str]],
    scope: AccountScope,
    creators: tuple[CreatorRecord, ...] = (),
) -> AttributionInput:
    """What attribution needs, from the resource's side; `parent_tags` is keyed by lower ARN.

    `creators` adds creator records read elsewhere (a pipeline execution's CreatedBy).
    """
    parents = tuple(
        ParentEvidence(parent_type, parent_arn, enforced_tags(parent_tags[parent_arn.lower()]))
        for parent_type, parent_arn in lineage_references(
            resource.resource_type, resource.document, resource.tags, scope
        )
        if parent_arn.lower() in parent_tags
    )
    own = creator_record(
        resource.document, resource.resource_type.creator_field, resource.resource_type.name
    )
    return AttributionInput(
        resource_type=resource.resource_type,
        resource_arn=resource.arn,
        studio=studio_reference(resource),
        resource_role_arns=resource_roles(resource.resource_type, resource.document),
        parents=parents,
        creators=(*(() if own is None else (own,)), *creators),
        current_tags=dict(resource.tags),
        at=created_at(resource.document),
    )
