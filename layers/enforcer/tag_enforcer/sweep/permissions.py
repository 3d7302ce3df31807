"""The IAM actions the sweep and an inspection call, derived from the registry as the calls are.

template.yaml lists the sweep function's by name (no wildcards), and
`tag-enforcer operator-policy` prints a person's; tests check both against the code:
tests/unit/test_sweep_template.py against the template, and the operator policy test
against the calls the CLI makes on the emulated account.
"""

from __future__ import annotations

from collections.abc import Iterable

from tag_enforcer.core import registry
from tag_enforcer.core.registry.schema import ListEnumeration, ResourceType, SearchEnumeration
from tag_enforcer.sweep.enumeration import evidence_describe

# read_directory: ListDomains + DescribeDomain, ListUserProfiles + DescribeUserProfile,
# ListSpaces + DescribeSpace (tag_enforcer.aws.sagemaker_directory).
DIRECTORY_OPERATIONS = (
    "ListDomains",
    "DescribeDomain",
    "ListUserProfiles",
    "DescribeUserProfile",
    "ListSpaces",
    "DescribeSpace",
)
# A job a pipeline ran: who started the run (tag_enforcer.sweep.service._pipeline_creators).
LINEAGE_OPERATIONS = ("DescribePipelineExecution",)
# TagResources also needs the owning service's own tagging action (Resource Groups
# Tagging API reference, TagResources, "Minimum permissions").
TAGGING_OPERATIONS = ("AddTags",)
# An inspection reads the resource's own tags (tag_enforcer.aws.sagemaker_tags).
INSPECTION_OPERATIONS = ("ListTags",)


def _listing_operations(resource_type: ResourceType) -> set[str]:
    enumeration = resource_type.enumeration
    if isinstance(enumeration, SearchEnumeration):
        return {"Search"}
    found: set[str] = set()
    if isinstance(enumeration, ListEnumeration):
        found.add(enumeration.operation)
        if enumeration.within is not None:
            parent = registry.by_name(enumeration.within.parent_type).enumeration
            if isinstance(parent, ListEnumeration):
                found.add(parent.operation)
    return found


def sweep_read_operations(
    resource_types: Iterable[ResourceType] = registry.RESOURCE_TYPES,
) -> set[str]:
    """SageMaker operations a sweep over `resource_types` reads with (audit and dry runs)."""
    operations = set(DIRECTORY_OPERATIONS) | set(LINEAGE_OPERATIONS)
    for resource_type in resource_types:
        if resource_type.retired or not resource_type.iam_actions_published:
            continue  # reported as unavailable, never called (tag_enforcer.sweep.service)
        operations |= _listing_operations(resource_type)
        describe = evidence_describe(resource_type)
        if describe is not None:
            operations.add(describe.operation)
    return operations


def sweep_sagemaker_operations(
    resource_types: Iterable[ResourceType] = registry.RESOURCE_TYPES,
) -> set[str]:
    """SageMaker operations a sweep over `resource_types` can call, tagging included."""
    return sweep_read_operations(resource_types) | set(TAGGING_OPERATIONS)


def inspection_sagemaker_operations(
    resource_types: Iterable[ResourceType] = registry.RESOURCE_TYPES,
) -> set[str]:
    """What `tag-enforcer explain` reads: the resource's Describe (else its type's pages),
    its tags and its parents' tags, the directory, and who started its pipeline run."""
    operations = set(DIRECTORY_OPERATIONS) | set(LINEAGE_OPERATIONS) | set(INSPECTION_OPERATIONS)
    for resource_type in resource_types:
        if resource_type.retired or not resource_type.iam_actions_published:
            continue  # an inspection says why it cannot describe them
        if resource_type.describe is not None:
            operations.add(resource_type.describe.operation)
        operations |= _listing_operations(resource_type)
    return operations


def sweep_iam_actions() -> set[str]:
    """Every IAM action the sweep function needs on SageMaker and the Tagging API."""
    return {f"sagemaker:{op}" for op in sweep_sagemaker_operations()} | {
        "tag:GetResources",
        "tag:TagResources",
    }


def sweep_list_actions() -> list[str]:
    """The List actions, granted on "*": List calls take no resource ARN."""
    return sorted(f"sagemaker:{op}" for op in sweep_sagemaker_operations() if op.startswith("List"))


def sweep_describe_actions() -> list[str]:
    """The Describe actions, granted on this account's SageMaker ARNs."""
    return sorted(
        f"sagemaker:{op}" for op in sweep_sagemaker_operations() if op.startswith("Describe")
    )
