"""The sweep's IAM actions; the derivation moved to `tag_enforcer.sweep.permissions`.

Kept so the template generator and its test read one name; the CLI's
`operator-policy` uses the runtime module directly.
"""

from __future__ import annotations

from tag_enforcer.sweep.permissions import (
    DIRECTORY_OPERATIONS,
    LINEAGE_OPERATIONS,
    TAGGING_OPERATIONS,
    sweep_iam_actions,
    sweep_sagemaker_operations,
)

__all__ = [
    "DIRECTORY_OPERATIONS",
    "LINEAGE_OPERATIONS",
    "TAGGING_OPERATIONS",
    "sweep_iam_actions",
    "sweep_sagemaker_operations",
]
