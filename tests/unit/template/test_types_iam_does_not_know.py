"""Types whose actions IAM does not know: never called, reported as unavailable, not as errors.

(Where the IAM data says which types these are: test_iam_reference_data.py.)
"""

from __future__ import annotations

from typing import Any

import pytest

from tag_enforcer.core.directory import DomainDirectory
from tag_enforcer.core.resources import AccountScope
from tag_enforcer.enforce.inspection import InspectionError, ResourceInspector
from tag_enforcer.sweep.service import SweepService
from tag_enforcer.sweep.settings import IAM_UNPUBLISHED_REASON, SweepOptions
from tag_enforcer_cli.local_stores import InMemoryCheckpointStore, InMemoryRunStore

SCOPE = AccountScope("aws", "us-east-1", "111122223333")
EXTENSION = "arn:aws:sagemaker:us-east-1:111122223333:extension/gpu-operator/c-0abc123def45/e-1"


class _NoCalls:
    """Every adapter port: any call the test did not expect fails it."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"unexpected call: {name}")


def _service(options: SweepOptions) -> SweepService:
    return SweepService(
        options=options,
        scope=SCOPE,
        catalog=_NoCalls(),
        tag_lookup=_NoCalls(),
        tagger=_NoCalls(),
        checkpoints=InMemoryCheckpointStore(),
        runs=InMemoryRunStore(),
        load_directory=DomainDirectory,
    )


def test_a_sweep_plans_no_type_iam_does_not_know_and_reports_it_unavailable() -> None:
    # GIVEN a sweep asked for clusters, their extensions and inference routers
    options = SweepOptions(type_names=("Cluster", "ClusterExtension", "InferenceRouter"))
    service = _service(options)

    # WHEN it plans, and finishes without sweeping anything
    plan = service.plan("execution-1")
    result = service.finish(plan.run_id, "execution-1")

    # THEN only clusters were planned; the other two are unavailable, not incomplete
    assert [name for wave in plan.waves for name in wave] == ["Cluster"]
    assert result.summary.unavailable_types == {
        "ClusterExtension": IAM_UNPUBLISHED_REASON,
        "InferenceRouter": IAM_UNPUBLISHED_REASON,
    }
    assert set(result.summary.incomplete_types) == {"Cluster"}
    assert result.summary.to_dict()["unavailableTypes"] == result.summary.unavailable_types


def test_excluded_types_are_neither_swept_nor_reported_unavailable() -> None:
    # GIVEN every type a default sweep reports unavailable (IAM-unpublished and retired)
    unavailable = SweepOptions().unavailable_types()
    assert {"ClusterExtension", "InferenceRouter"} <= unavailable.keys()

    # WHEN a sweep excludes them all, THEN none is reported and the rest is swept
    options = SweepOptions(excluded_types=frozenset(unavailable))
    assert options.unavailable_types() == {}
    assert {t.name for t in options.sweepable_types()} == {t.name for t in options.selected_types()}


def test_a_tag_change_on_such_a_resource_cannot_be_inspected_and_says_why() -> None:
    inspector = ResourceInspector(_NoCalls(), _NoCalls(), DomainDirectory)
    with pytest.raises(InspectionError, match="IAM publishes no Describe or List action"):
        inspector.inspect(EXTENSION)
