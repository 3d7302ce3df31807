"""The deployed sweep's run store: every finish writes the HTML report beside the JSON and CSV,
merged from every page in S3, and compares it with the last report in the bucket."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tag_enforcer.aws.s3 import S3RunStore
from tag_enforcer.core.resources import AccountScope
from tag_enforcer.core.settings import EnforcementMode
from tag_enforcer.sweep.checkpoint import SweepRun
from tag_enforcer.sweep.settings import SweepOptions
from tag_enforcer.wiring.sweep import build_sweep_service
from tag_enforcer_cli.local_stores import InMemoryCheckpointStore
from tag_enforcer_dev.emulator.account import EmulatedAccount, running_account
from tag_enforcer_dev.scenario import _model, set_up_domains

pytestmark = pytest.mark.integration

BUCKET = "sweep-report-bucket"


@pytest.fixture(scope="module")
def account() -> Iterator[EmulatedAccount]:
    with running_account() as emulated:
        scenario = set_up_domains(emulated)
        sagemaker = emulated.client("sagemaker")
        for index in range(3):
            role = scenario.roles["CiModelDeployRole" if index == 0 else "FinanceQuantAnalystRole"]
            sagemaker.create_model(**_model(f"legacy-{index}", role))
        emulated.client("s3").create_bucket(Bucket=BUCKET)
        yield emulated


def _sweep(account: EmulatedAccount, checkpoints: InMemoryCheckpointStore) -> dict[str, str]:
    service = build_sweep_service(
        # The models are seconds old: no lag window, or the sweep would leave them to the events.
        SweepOptions(mode=EnforcementMode.AUDIT, type_names=("Model",), lag_window_seconds=0),
        AccountScope("aws", account.region, account.account_id),
        checkpoints=checkpoints,
        runs=S3RunStore(account.client("s3"), BUCKET),
        client_factory=account.client,
    )
    return service.run("integration").report


def _read(account: EmulatedAccount, location: str) -> tuple[str, str]:
    bucket, key = location.removeprefix("s3://").split("/", 1)
    found = account.client("s3").get_object(Bucket=bucket, Key=key)
    return found["Body"].read().decode(), found["ContentType"]


def test_each_run_writes_the_html_report_and_compares_it_with_the_last_one(
    account: EmulatedAccount,
) -> None:
    # GIVEN one finished sweep
    checkpoints = InMemoryCheckpointStore()
    first = _sweep(account, checkpoints)
    page, content_type = _read(account, first["html"])
    assert content_type == "text/html"
    assert first["html"].rsplit("/", 1)[0] == first["json"].rsplit("/", 1)[0]
    assert '<td class="cell" data-category="to-tag" data-count="2"' in page
    assert "No previous report was given" in page

    # WHEN the next sweep finishes
    second = _sweep(account, checkpoints)

    # THEN its page shows the change since the first run's report
    page, _ = _read(account, second["html"])
    first_run = first["json"].rsplit("/", 2)[-2]
    assert f"Previous run {first_run}" in page


def test_a_retried_finish_compares_with_the_report_before_it_not_with_itself(
    account: EmulatedAccount,
) -> None:
    s3 = account.client("s3")
    s3.create_bucket(Bucket="pointer-bucket")
    store = S3RunStore(s3, "pointer-bucket")
    runs = [
        SweepRun(
            run_id=f"run-{n}",
            started_at="2026-12-01T00:00:00Z",
            mode="audit",
            dry_run=False,
            waves=[],
            owner="o",
            heartbeat_at=0.0,
        )
        for n in (1, 2)
    ]
    assert store.previous_coverage("run-1") is None
    store.save_coverage(runs[0], {"runId": "run-1"})
    assert store.previous_coverage("run-2") == {"runId": "run-1"}
    store.save_coverage(runs[1], {"runId": "run-2"})
    # run-2's finish retried: the newest snapshot is its own, so the one before it counts
    assert store.previous_coverage("run-2") == {"runId": "run-1"}
    store.save_coverage(runs[1], {"runId": "run-2"})
    assert store.previous_coverage("run-2") == {"runId": "run-1"}
    assert store.previous_coverage("run-3") == {"runId": "run-2"}
