"""The registry against botocore's SageMaker model: every taggable Create* is covered, every
operation and member it names exists, and every path resolves in the shape it walks."""

from __future__ import annotations

import re
from functools import cache

import pytest
from botocore.model import OperationModel, ServiceModel, Shape, StructureShape
from botocore.session import get_session

from tag_enforcer.core import registry
from tag_enforcer.core.registry.schema import ListEnumeration, ResourceType, SearchEnumeration

# Create* operations that take no Tags, each with why it is not a resource type of its own
# (botocore SageMaker model, pinned in requirements/dev.lock).
CREATE_OPERATIONS_WITHOUT_TAGS: dict[str, str] = {
    "CreateEdgeDeploymentStage": "adds a stage to an edge deployment plan; the plan holds the tags",
    "CreateHubContentPresignedUrls": "returns download URLs for hub content; creates nothing",
    "CreateImageVersion": "adds a version under an image; the image holds the tags",
    "CreateModelCardExportJob": "exports a model card to a PDF in S3; a short-lived child",
    "CreatePartnerAppPresignedUrl": "returns a sign-in URL for a partner app; creates nothing",
    # Fires on every Studio sign-in (it creates nothing).
    "CreatePresignedDomainUrl": "returns a Studio sign-in URL; creates nothing",
    "CreatePresignedMlflowAppUrl": "returns a sign-in URL for an MLflow app; creates nothing",
    "CreatePresignedMlflowTrackingServerUrl": "returns an MLflow UI URL; creates nothing",
    "CreatePresignedNotebookInstanceUrl": "returns a Jupyter sign-in URL; creates nothing",
}


@cache
def sagemaker_model() -> ServiceModel:
    return get_session().get_service_model("sagemaker")


def operation(name: str) -> OperationModel:
    return sagemaker_model().operation_model(name)


def create_operations() -> list[str]:
    return [name for name in sagemaker_model().operation_names if name.startswith("Create")]


def taggable_create_operations() -> set[str]:
    return {name for name in create_operations() if "Tags" in operation(name).input_shape.members}


def registered_create_operations() -> dict[str, ResourceType]:
    return {
        create: resource_type
        for resource_type in registry.RESOURCE_TYPES
        for create in resource_type.create_operations
    }


def resolve(shape: Shape, path: str) -> Shape | None:
    """The shape at a registry path (`A.B[].C`), or None when a step does not exist."""
    current: Shape = shape
    for step in path.split("."):
        name = step.removesuffix("[]")
        if not isinstance(current, StructureShape) or name not in current.members:
            return None
        current = current.members[name]
        if step.endswith("[]"):
            if current.type_name != "list":
                return None
            current = current.member
    return current


def ids(resource_types: list[ResourceType]) -> list[str]:
    return [resource_type.name for resource_type in resource_types]


ALL_TYPES = list(registry.RESOURCE_TYPES)
LISTED_TYPES = [t for t in ALL_TYPES if isinstance(t.enumeration, ListEnumeration)]
SEARCHED_TYPES = [t for t in ALL_TYPES if isinstance(t.enumeration, SearchEnumeration)]


def test_every_taggable_create_operation_is_registered() -> None:
    # GIVEN botocore's taggable Create* operations
    taggable = taggable_create_operations()

    # WHEN they are compared with the registry
    missing = sorted(taggable - set(registered_create_operations()))

    # THEN none is missing, and a failure names the operation to add
    assert not missing, f"add a ResourceType to registry.RESOURCE_TYPES for: {', '.join(missing)}"


def test_every_registered_create_operation_exists_and_takes_tags() -> None:
    # GIVEN the registry's create operations
    registered = set(registered_create_operations())

    # WHEN they are compared with botocore
    unknown = sorted(registered - set(create_operations()))
    untaggable = sorted((registered & set(create_operations())) - taggable_create_operations())

    # THEN each is a real operation that takes Tags
    assert not unknown, f"botocore's SageMaker model has no operation named: {unknown}"
    assert not untaggable, f"these operations take no Tags and cannot be enforced: {untaggable}"


def test_create_operations_without_tags_are_the_documented_exceptions() -> None:
    # GIVEN every Create* operation botocore knows
    # WHEN those that take no Tags are collected
    without_tags = set(create_operations()) - taggable_create_operations()

    # THEN they are exactly the documented exceptions, so a new one gets a reason
    assert without_tags == set(CREATE_OPERATIONS_WITHOUT_TAGS)


def test_names_and_create_events_and_arn_segments_are_unique() -> None:
    # GIVEN the registry
    names = [t.name for t in ALL_TYPES]
    segments = [t.arn_segment for t in ALL_TYPES]

    # WHEN the create-event index is built
    events = registry.create_event_names()

    # THEN no name, segment or event appears twice
    assert len(set(names)) == len(names)
    assert len(set(segments)) == len(segments), sorted(s for s in segments if segments.count(s) > 1)
    assert len(set(events)) == len(events)


@pytest.mark.parametrize("resource_type", ALL_TYPES, ids=ids(ALL_TYPES))
def test_arn_response_field_is_an_output_member(resource_type: ResourceType) -> None:
    for create in resource_type.create_operations:
        # GIVEN the create operation's output shape
        output = operation(create).output_shape

        # WHEN the registry's ARN field is looked up in it
        field = resource_type.arn_response_field

        # THEN an output with members holds that field; an empty output has none
        if output is None or not output.members:
            assert field is None, f"{create} returns no body, so arn_response_field must be None"
        else:
            assert field in output.members, f"{create} output has no member {field!r}"


@pytest.mark.parametrize("resource_type", ALL_TYPES, ids=ids(ALL_TYPES))
def test_arn_segment_matches_the_botocore_arn_pattern(resource_type: ResourceType) -> None:
    # GIVEN the output ARN shape of the create operation, where botocore gives a pattern
    output = operation(resource_type.create_operation).output_shape
    if resource_type.arn_response_field is None or output is None:
        pytest.skip("no ARN in the response")
    pattern = output.members[resource_type.arn_response_field].metadata.get("pattern", "")

    # WHEN the resource segment is read from it (e.g. ":training-job/" or ":partner-app\/")
    segments = re.findall(r":([a-z][a-z-]*)\\?/", pattern)
    if not segments:
        pytest.skip(f"botocore gives no ARN pattern ({pattern!r}); IAM reference only")

    # THEN it is the registry's segment
    assert segments[-1] == resource_type.arn_segment


@pytest.mark.parametrize("resource_type", ALL_TYPES, ids=ids(ALL_TYPES))
def test_request_paths_resolve_in_the_input_shape(resource_type: ResourceType) -> None:
    for create in resource_type.create_operations:
        # GIVEN the create operation's input shape
        request = operation(create).input_shape

        # WHEN every request path of the entry is walked
        paths = [
            *(option for spec in resource_type.arn_name_fields for option in spec.split("|")),
            *resource_type.role_fields,
            *(link.request_field for link in resource_type.parents),
        ]
        scope = resource_type.studio_scope
        if scope is not None:
            paths += [
                p for p in (scope.domain_id_field, scope.user_profile_field, scope.space_field) if p
            ]
        unresolved = [path for path in paths if resolve(request, path) is None]

        # THEN each ends at a member of the request
        assert not unresolved, f"{create} input has no member at {unresolved}"


@pytest.mark.parametrize("resource_type", ALL_TYPES, ids=ids(ALL_TYPES))
def test_request_paths_lead_to_text(resource_type: ResourceType) -> None:
    # GIVEN the paths whose values become ARN parts, roles or parent names
    request = operation(resource_type.create_operation).input_shape
    paths = [
        *(option for spec in resource_type.arn_name_fields for option in spec.split("|")),
        *resource_type.role_fields,
        *(link.request_field for link in resource_type.parents),
    ]

    # WHEN their shapes are resolved
    kinds = {path: shape.type_name for path in paths if (shape := resolve(request, path))}

    # THEN each is a string, which is what the CloudTrail readers take
    assert all(kind == "string" for kind in kinds.values()), kinds


@pytest.mark.parametrize("resource_type", ALL_TYPES, ids=ids(ALL_TYPES))
def test_parents_name_registered_types(resource_type: ResourceType) -> None:
    # GIVEN the entry's lineage links, and the List scope parent if any
    links = list(resource_type.parents)
    if isinstance(resource_type.enumeration, ListEnumeration) and resource_type.enumeration.within:
        links.append(resource_type.enumeration.within)

    # WHEN each parent type is looked up
    unknown = [link.parent_type for link in links if link.parent_type not in ids(ALL_TYPES)]

    # THEN it is a registry entry
    assert not unknown


def test_every_type_can_be_enumerated() -> None:
    # GIVEN the registry
    # WHEN types without an enumeration are collected
    without = [t.name for t in ALL_TYPES if t.enumeration is None]

    # THEN there are none: every covered type has a List or Search call today
    assert without == []


@pytest.mark.parametrize("resource_type", LISTED_TYPES, ids=ids(LISTED_TYPES))
def test_list_enumeration_matches_botocore(resource_type: ResourceType) -> None:
    enumeration = resource_type.enumeration
    assert isinstance(enumeration, ListEnumeration)

    # GIVEN the List operation
    assert enumeration.operation in sagemaker_model().operation_names
    listing = operation(enumeration.operation)

    # WHEN its result list and summary shape are read
    results = listing.output_shape.members.get(enumeration.result_key)

    # THEN the result key is a list of summaries that hold the ARN field
    assert results is not None, enumeration.result_key
    assert results.type_name == "list", enumeration.result_key
    summary = results.member
    if enumeration.arn_field is not None:
        assert enumeration.arn_field in summary.members
    # AND the List call needs nothing the sweep cannot give it
    scope_fields = {enumeration.within.request_field} if enumeration.within else set()
    assert set(listing.input_shape.required_members) <= scope_fields
    if enumeration.within:
        assert enumeration.within.request_field in listing.input_shape.members


@pytest.mark.parametrize("resource_type", LISTED_TYPES, ids=ids(LISTED_TYPES))
def test_describe_takes_the_key_fields(resource_type: ResourceType) -> None:
    enumeration = resource_type.enumeration
    assert isinstance(enumeration, ListEnumeration)
    declared = resource_type.describe
    if declared is None or not enumeration.describe_from_summary:
        pytest.skip("no Describe step")

    # GIVEN the summary shape and the Describe operation
    summary = operation(enumeration.operation).output_shape.members[enumeration.result_key].member
    assert declared.operation in sagemaker_model().operation_names
    describe = operation(declared.operation).input_shape

    # WHEN the key fields are matched to Describe's parameters
    parameters = declared.key
    scope_fields = {enumeration.within.request_field} if enumeration.within else set()

    # THEN each key comes from the summary and is a Describe parameter, and nothing
    # Describe requires is left out
    assert len(parameters) == len(declared.key_sources)
    assert set(declared.key_sources) <= set(summary.members)
    assert set(parameters) <= set(describe.members)
    assert set(describe.required_members) <= set(parameters) | scope_fields


@pytest.mark.parametrize("resource_type", SEARCHED_TYPES, ids=ids(SEARCHED_TYPES))
def test_search_enumeration_matches_botocore(resource_type: ResourceType) -> None:
    enumeration = resource_type.enumeration
    assert isinstance(enumeration, SearchEnumeration)

    # GIVEN Search's resource enum and its record shape
    search_input = operation("Search").input_shape
    resources = search_input.members["Resource"].enum
    record = sagemaker_model().shape_for("SearchRecord")

    # WHEN the entry's resource, record member and ARN field are looked up
    entity = record.members.get(enumeration.record_key)

    # THEN all three exist
    assert enumeration.search_resource in resources
    assert entity is not None, f"SearchRecord has no member {enumeration.record_key!r}"
    assert enumeration.arn_field in entity.members
