"""The digest groups what audit mode would tag, so the enforce path need not alert each one."""

from __future__ import annotations

import json

from tag_enforcer.sweep.checkpoint import SweepRun
from tag_enforcer.sweep.report import (
    DIGEST_FINDINGS_LISTED,
    ReportRow,
    SweepAction,
    SweepSummary,
    build_digest,
)

PREFIX = "arn:aws:sagemaker:us-east-1:111122223333"
FINANCE = f"{PREFIX}:domain/d-finance00001"


def test_the_digest_counts_and_samples_the_resources_to_tag() -> None:
    # GIVEN an audit sweep that found 40 models it would tag in finance
    summary = SweepSummary()
    for index in range(40):
        summary.add(
            ReportRow(
                f"{PREFIX}:model/m-{index}",
                "Model",
                "tag",
                SweepAction.WOULD_TAG,
                domain_arn=FINANCE,
            )
        )
    run = SweepRun(
        run_id="r",
        started_at="2026-12-01T00:00:00Z",
        mode="audit",
        dry_run=False,
        waves=[["Model"]],
        owner="o",
        heartbeat_at=0.0,
    )

    # WHEN its digest is built
    digest = build_digest(run, summary, {"html": "s3://b/reports/r/report.html"}, "1", "us-east-1")

    # THEN it says how many, where (by domain and type), and lists a bounded sample
    to_tag = digest.body["toTag"]
    assert to_tag["count"] == 40
    assert len(to_tag["sample"]) == DIGEST_FINDINGS_LISTED
    assert digest.body["counts"]["byDomain"][FINANCE] == {"would-tag": 40}
    assert "40 to tag" in digest.subject
    assert len(json.dumps(digest.body).encode()) < 256 * 1024
