"""Report rows, their JSON and CSV renderings, and the one digest per run."""

from __future__ import annotations

import csv
import io
import json

from tag_enforcer.sweep.checkpoint import SweepRun
from tag_enforcer.sweep.report import (
    CSV_COLUMNS,
    ReportRow,
    SweepAction,
    SweepSummary,
    build_digest,
    merge_page,
    unique_rows,
    write_csv_report,
    write_json_report,
)

REGION = "us-east-1"
FINANCE = "arn:aws:sagemaker:us-east-1:111122223333:domain/d-finance00001"


def row(name: str, action: SweepAction, reason: str = "", kind: str = "TrainingJob") -> ReportRow:
    return ReportRow(
        resource_arn=f"arn:aws:sagemaker:us-east-1:111122223333:training-job/{name}",
        resource_type=kind,
        outcome="flag" if reason else "tag",
        action=action,
        reason=reason,
        domain_arn=FINANCE,
        tags={"sagemaker:domain-arn": FINANCE},
        evidence=({"rule": "resource-role", "fields": {"RoleArn": "r"}, "conclusion": "c"},),
    )


def run() -> SweepRun:
    return SweepRun("r-1", "2026-11-29T10:00:00Z", "tag", False, [["TrainingJob"]], "me", 0.0)


def test_a_page_swept_again_keeps_what_the_first_attempt_did() -> None:
    # GIVEN a page whose first attempt tagged a, and whose second attempt reads a as compliant
    first = [row("a", SweepAction.TAGGED), row("b", SweepAction.FLAGGED, "mismatch")]
    second = [row("a", SweepAction.NONE), row("b", SweepAction.FLAGGED, "mismatch")]

    # WHEN the second attempt writes the page
    merged = {r.resource_arn.rsplit("/", 1)[1]: r.action for r in merge_page(first, second)}

    # THEN a still reads as tagged by this run
    assert merged == {"a": SweepAction.TAGGED, "b": SweepAction.FLAGGED}


def test_rows_of_a_restarted_type_appear_once() -> None:
    first = [row("a", SweepAction.TAGGED), row("b", SweepAction.NONE)]
    pages = [first, [row("a", SweepAction.NONE)]]
    assert [r.action for r in unique_rows(pages)] == [SweepAction.TAGGED, SweepAction.NONE]


def test_json_and_csv_reports_hold_every_row_and_the_counts() -> None:
    # GIVEN three rows
    rows = [
        row("a", SweepAction.TAGGED),
        row("b", SweepAction.FLAGGED, "mismatch"),
        row("c", SweepAction.NONE),
    ]
    summary = SweepSummary()
    json_out, csv_out = io.StringIO(), io.StringIO()

    # WHEN both reports are written (the JSON one counting as it streams)
    write_json_report(run(), summary.counted(rows), summary.to_dict, json_out)
    write_csv_report(rows, csv_out)

    # THEN the JSON parses, holds the rows and the counts; the CSV has a header and 3 rows
    document = json.loads(json_out.getvalue())
    assert [r["action"] for r in document["rows"]] == ["tagged", "flagged", "none"]
    assert document["summary"]["byAction"] == {"tagged": 1, "flagged": 1, "none": 1}
    assert document["runId"] == "r-1"
    table = list(csv.reader(io.StringIO(csv_out.getvalue())))
    assert table[0] == list(CSV_COLUMNS)
    assert len(table) == 4
    assert table[1][6] == f"sagemaker:domain-arn={FINANCE}"
    assert table[1][7] == "resource-role: c"


def test_the_digest_counts_by_domain_type_and_outcome_and_names_the_report() -> None:
    # GIVEN a summary with a tagged resource and a mismatch
    summary = SweepSummary()
    for r in (row("a", SweepAction.TAGGED), row("b", SweepAction.FLAGGED, "mismatch")):
        summary.add(r)

    # WHEN the digest is built
    digest = build_digest(
        run(), summary, {"json": "s3://b/r.json", "csv": "s3://b/r.csv"}, "111122223333", REGION
    )

    # THEN it is short, filterable, and carries the counts, findings and report location
    assert len(digest.subject) < 100
    assert digest.subject.isascii()
    assert "1 tagged" in digest.subject
    assert digest.attributes["kind"]["StringValue"] == "sweep-digest"
    assert digest.attributes["severity"]["StringValue"] == "high"
    assert json.loads(digest.attributes["domain"]["StringValue"]) == [FINANCE]
    assert digest.body["report"]["csv"] == "s3://b/r.csv"
    assert digest.body["counts"]["byType"] == {"TrainingJob": {"tagged": 1, "flagged": 1}}
    assert digest.body["counts"]["byDomain"] == {FINANCE: {"tagged": 1, "flagged": 1}}
    assert digest.body["findings"][0]["reason"] == "mismatch"
