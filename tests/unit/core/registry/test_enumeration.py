"""What the sweep reads, checked against botocore's SageMaker model for every registry type."""

from __future__ import annotations

import pytest
from botocore.model import Shape, StructureShape
from botocore.session import get_session

from tag_enforcer.core import registry
from tag_enforcer.core.registry.schema import ListEnumeration, ResourceType, SearchEnumeration
from tag_enforcer.sweep.enumeration import (
    LIST_PAGE_SIZE,
    SEARCH_PAGE_SIZE,
    evidence_describe,
)

MODEL = get_session().get_service_model("sagemaker")
# Paths the sweep cannot read from what it is given, and why that is acceptable.
UNREADABLE: dict[tuple[str, str], str] = {
    ("TrainingSession", "RoleArn"): "no Describe step (it takes the name alone); tags from lineage",
    (
        "InferenceExperiment",
        "EndpointName",
    ): "DescribeInferenceExperiment nests it in EndpointMetadata",
    ("ClusterExtension", "ClusterArn"): "listed within its cluster; the cursor holds the cluster",
}


def resolve(shape: Shape, path: str) -> Shape | None:
    current: Shape = shape
    for step in path.split("."):
        name = step.removesuffix("[]")
        if not isinstance(current, StructureShape) or name not in current.members:
            return None
        current = current.members[name]
        if step.endswith("[]"):
            current = current.member
    return current


TYPES = list(registry.RESOURCE_TYPES)


@pytest.mark.parametrize("resource_type", TYPES, ids=[t.name for t in TYPES])
def test_page_sizes_are_allowed(resource_type: ResourceType) -> None:
    enumeration = resource_type.enumeration
    operation = (
        "Search" if isinstance(enumeration, SearchEnumeration) else enumeration.operation  # type: ignore[union-attr]
    )
    limit = MODEL.operation_model(operation).input_shape.members["MaxResults"].metadata["max"]
    size = SEARCH_PAGE_SIZE if operation == "Search" else LIST_PAGE_SIZE
    assert size <= limit


@pytest.mark.parametrize("resource_type", TYPES, ids=[t.name for t in TYPES])
def test_evidence_paths_resolve_in_what_the_sweep_reads(resource_type: ResourceType) -> None:
    if resource_type.studio_scope is not None:
        pytest.skip("Studio resources are attributed from their own names, not their role")
    # GIVEN what the sweep holds for a resource of this type: the Search record, or the
    # List summary plus, when it describes, the Describe output
    enumeration = resource_type.enumeration
    shapes: list[Shape] = []
    if isinstance(enumeration, SearchEnumeration):
        shapes.append(MODEL.shape_for("SearchRecord").members[enumeration.record_key])
    else:
        assert isinstance(enumeration, ListEnumeration)
        listing = MODEL.operation_model(enumeration.operation).output_shape
        shapes.append(listing.members[enumeration.result_key].member)
        describe = evidence_describe(resource_type)
        if describe is not None:
            shapes.append(MODEL.operation_model(describe.operation).output_shape)

    # WHEN the role and parent paths are resolved in them
    paths = [*resource_type.role_fields, *(link.request_field for link in resource_type.parents)]
    unreadable = [
        path
        for path in paths
        if not any(resolve(shape, path) for shape in shapes)
        and (resource_type.name, path) not in UNREADABLE
    ]

    # THEN each path is there, or is a documented exception
    assert not unreadable, f"{resource_type.name}: the sweep cannot read {unreadable}"
