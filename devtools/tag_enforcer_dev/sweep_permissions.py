"""The IAM actions the sweep calls, derived from the registry the same way the calls are.

template.yaml lists them by name (no wildcards); tests/unit/template/test_sweep_template.py
checks that the list and this derivation agree, both ways.
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
)
# TagResources also needs the owning service's own tagging action (Resource Groups
# Tagging API reference, TagResources, "Minimum permissions").
TAGGING_OPERATIONS = ("AddTags",)


def sweep_sagemaker_operations(
    resource_types: Iterable[ResourceType] = registry.RESOURCE_TYPES,
) -> set[str]:
    """SageMaker operations a sweep over `resource_types` can call."""
    operations = set(DIRECTORY_OPERATIONS) | set(TAGGING_OPERATIONS)
    for resource_type in resource_types:
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
