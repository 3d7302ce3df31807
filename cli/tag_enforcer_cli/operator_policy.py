"""The least-privilege IAM policy for a person who runs the CLI's sweep, explain and report.

Derived from the registry the same way the calls are (`tag_enforcer.sweep.permissions`),
so a type added to the registry is in the policy with nothing written twice.
STS GetCallerIdentity, which the sweep calls first, needs no permission (STS API
reference, GetCallerIdentity: "No permissions are required to perform this operation").
"""

from __future__ import annotations

from typing import Any

from tag_enforcer.core.tags import ENFORCED_TAG_KEYS
from tag_enforcer.sweep.permissions import (
    TAGGING_OPERATIONS,
    inspection_sagemaker_operations,
    sweep_read_operations,
)

# List and Search calls take no resource ARN (SageMaker Developer Guide, "API permissions
# reference"); neither do GetResources and TagResources (Resource Groups Tagging API
# reference, "Minimum permissions").
_UNSCOPED_PREFIXES = ("List", "Search")
# ...except ListTags, which names the resource whose tags it lists, so it is scoped to the
# SageMaker ARNs like Describe (Service Authorization Reference, SageMaker AI: ListTags
# takes every taggable resource type). tests/unit/cli/test_operator_policy_grants.py
# holds every statement to IAM's data.
_TAKES_A_RESOURCE = frozenset({"ListTags"})
WRITE_ACTIONS = frozenset({"sagemaker:AddTags", "tag:TagResources"})


def _takes_no_resource(operation: str) -> bool:
    return operation.startswith(_UNSCOPED_PREFIXES) and operation not in _TAKES_A_RESOURCE


def read_only_sagemaker_operations() -> set[str]:
    """What `sweep --dry-run` (or audit mode), `explain` and `report` read."""
    return sweep_read_operations() | inspection_sagemaker_operations()


def operator_policy(
    mode: str = "audit",
    *,
    partition: str = "aws",
    region: str = "*",
    account: str = "*",
    report_bucket: str | None = None,
) -> dict[str, Any]:
    """One IAM policy document: read-only for `audit`, plus the tag writes for `tag`."""
    operations = read_only_sagemaker_operations()
    unscoped = sorted(f"sagemaker:{op}" for op in operations if _takes_no_resource(op))
    scoped = sorted(f"sagemaker:{op}" for op in operations if not _takes_no_resource(op))
    resources = f"arn:{partition}:sagemaker:{region}:{account}:*"
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ListAndSearchSageMaker",
            "Effect": "Allow",
            "Action": unscoped,
            "Resource": "*",
        },
        {
            "Sid": "DescribeSageMakerResourcesAndTags",
            "Effect": "Allow",
            "Action": scoped,
            "Resource": resources,
        },
        {
            "Sid": "ReadTagsInBulk",
            "Effect": "Allow",
            "Action": ["tag:GetResources"],
            "Resource": "*",
        },
    ]
    if report_bucket:
        statements.append(
            {
                "Sid": "ReadSweepReports",
                "Effect": "Allow",
                "Action": ["s3:GetObject"],
                "Resource": f"arn:{partition}:s3:::{report_bucket}/reports/*",
            }
        )
    if mode == "tag":
        statements.append(
            {
                "Sid": "TagResourcesInBulk",
                "Effect": "Allow",
                "Action": ["tag:TagResources"],
                "Resource": "*",
            }
        )
        statements.append(
            {
                # TagResources also needs the service's own tagging action (same reference).
                # TagResources offers no condition key, so the keys are held here, as on
                # the sweep function's role: only the enforced keys, and at least one
                # (ForAllValues holds for a request without keys; IAM User Guide, "Set
                # operators for multivalued context keys").
                "Sid": "TagResourcesNeedsSageMakerAddTags",
                "Effect": "Allow",
                "Action": sorted(f"sagemaker:{op}" for op in TAGGING_OPERATIONS),
                "Resource": resources,
                "Condition": {
                    "ForAllValues:StringEquals": {"aws:TagKeys": list(ENFORCED_TAG_KEYS)},
                    "Null": {"aws:TagKeys": "false"},
                },
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def policy_actions(document: dict[str, Any]) -> set[str]:
    """Every action a policy document allows."""
    found: set[str] = set()
    for statement in document["Statement"]:
        actions = statement["Action"]
        found.update([actions] if isinstance(actions, str) else actions)
    return found
