"""The IAM actions the sweep calls, derived from the registry the same way the calls are.

template.yaml lists them by name (no wildcards) between the `# sweep:list-actions` and
`# sweep:describe-actions` markers, which `make sync` writes from this module;
tests/unit/test_sweep_template.py checks that the policy and this derivation agree,
both ways.
"""

from __future__ import annotations

from collections.abc import Iterable

from tag_enforcer.core import registry
from tag_enforcer.core.registry.schema import ListEnumeration, ResourceType, SearchEnumeration
from tag_enforcer.sweep.enumeration import evidence_describe

# read_directory: ListDomains + DescribeDomain, ListUserProfiles + DescribeUserProfile,
# ListSpaces (tag_enforcer.directory).
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


def sweep_sagemaker_operations(
    resource_types: Iterable[ResourceType] = registry.RESOURCE_TYPES,
) -> set[str]:
    """SageMaker operations a sweep over `resource_types` can call."""
    operations = set(DIRECTORY_OPERATIONS) | set(TAGGING_OPERATIONS) | set(LINEAGE_OPERATIONS)
    for resource_type in resource_types:
        if resource_type.retired or not resource_type.iam_actions_published:
            continue  # reported as unavailable, never called (tag_enforcer.sweep.service)
        enumeration = resource_type.enumeration
        if isinstance(enumeration, SearchEnumeration):
            operations.add("Search")
        elif isinstance(enumeration, ListEnumeration):
            operations.add(enumeration.operation)
            if enumeration.within is not None:
                parent = registry.by_name(enumeration.within.parent_type).enumeration
                if isinstance(parent, ListEnumeration):
                    operations.add(parent.operation)
            describe = evidence_describe(resource_type)
            if describe is not None:
                operations.add(describe.operation)
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
