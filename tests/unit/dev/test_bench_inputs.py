"""make bench reads its limits from the template: a template change must not break it."""

from __future__ import annotations

from tag_enforcer_dev.bench_enforce import ConcurrencyCap
from tag_enforcer_dev.template_file import load_template


def test_the_enforce_bench_reads_the_deployed_batch_size_and_concurrency_cap() -> None:
    cap = ConcurrencyCap.from_template()
    parameters = load_template()["Parameters"]
    assert cap.maximum_concurrency == int(parameters["EnforceMaximumConcurrency"]["Default"])
    assert cap.batch_size == 10, "the bench replays batches of the deployed size"
