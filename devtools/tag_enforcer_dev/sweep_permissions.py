"""The sweep's IAM actions; the derivation lives in `tag_enforcer.sweep.permissions`.

template.yaml lists them by name (no wildcards) between the `# sweep:list-actions` and
`# sweep:describe-actions` markers, which `make sync` writes through this module;
tests/unit/template/test_sweep_template.py checks that the policy and the derivation
agree, both ways. The CLI's `operator-policy` uses the runtime module directly.
"""

from __future__ import annotations

from tag_enforcer.sweep.permissions import (
    DIRECTORY_OPERATIONS,
    LINEAGE_OPERATIONS,
    TAGGING_OPERATIONS,
    sweep_describe_actions,
    sweep_iam_actions,
    sweep_list_actions,
    sweep_sagemaker_operations,
)

__all__ = [
    "DIRECTORY_OPERATIONS",
    "LINEAGE_OPERATIONS",
    "TAGGING_OPERATIONS",
    "sweep_describe_actions",
    "sweep_iam_actions",
    "sweep_list_actions",
    "sweep_sagemaker_operations",
]
