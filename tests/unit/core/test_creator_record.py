"""SageMaker's creator record: every type whose Describe or Search output has one declares it."""

from __future__ import annotations

import botocore.session
import pytest

from tag_enforcer.core import registry
from tag_enforcer.core.evidence import creator_record
from tag_enforcer.core.registry.schema import ResourceType, SearchEnumeration

MODEL = botocore.session.get_session().get_service_model("sagemaker")
# The shape SageMaker writes its creator record in (botocore SageMaker model).
USER_CONTEXT = "UserContext"


def _creator_members(resource_type: ResourceType) -> set[str]:
    """Members named CreatedBy of shape UserContext in the type's Describe or Search output."""
    shapes = []
    if resource_type.describe is not None:
        shapes.append(MODEL.operation_model(resource_type.describe.operation).output_shape)
    if isinstance(resource_type.enumeration, SearchEnumeration):
        shapes.append(MODEL.shape_for("SearchRecord").members[resource_type.enumeration.record_key])
    return {
        name
        for shape in shapes
        for name, member in shape.members.items()
        if name == "CreatedBy" and member.name == USER_CONTEXT
    }


@pytest.mark.parametrize("resource_type", registry.RESOURCE_TYPES, ids=lambda t: t.name)
def test_the_registry_declares_the_creator_record_botocore_has(resource_type: ResourceType) -> None:
    # GIVEN what botocore says the type's Describe and Search outputs hold
    found = _creator_members(resource_type)

    # THEN the registry names exactly that member, or none when there is none
    assert ({resource_type.creator_field} if resource_type.creator_field else set()) == found


def test_types_with_a_creator_record_include_those_the_issue_lists() -> None:
    declared = {t.name for t in registry.RESOURCE_TYPES if t.creator_field}
    assert {
        "Experiment",
        "Trial",
        "TrialComponent",
        "Pipeline",
        "ModelPackage",
        "ModelPackageGroup",
        "Project",
        "ModelCard",
        "Action",
        "Artifact",
        "Context",
        "MlflowTrackingServer",
        "Hub",
    } <= declared


def test_an_empty_creator_record_is_no_record() -> None:
    # SageMaker leaves CreatedBy empty for resources made outside Studio.
    assert creator_record({"CreatedBy": {}}, "CreatedBy", "Search Experiment") is None
    assert creator_record({}, "CreatedBy", "Search Experiment") is None
    found = creator_record(
        {"CreatedBy": {"DomainId": "d-1", "UserProfileName": "bob"}}, "CreatedBy", "x"
    )
    assert found is not None
    assert (found.domain_id, found.user_profile_name, found.source) == ("d-1", "bob", "x CreatedBy")


def test_the_pipeline_execution_record_is_in_botocore() -> None:
    # The enforce path and the sweep read DescribePipelineExecution's CreatedBy.
    output = MODEL.operation_model("DescribePipelineExecution").output_shape
    assert output.members["CreatedBy"].name == USER_CONTEXT
