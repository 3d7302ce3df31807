"""The visual compliance report: coverage by domain and type, findings with their fix, change,
in one self-contained HTML page where every value is escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tag_enforcer.core.decisions import FlagReason
from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer.sweep.compliance import (
    ComplianceCollector,
    Coverage,
    CoverageSnapshot,
    build_report,
    coverage_of,
    report_from_document,
)
from tag_enforcer.sweep.report import TRUSTED_UNVERIFIED, ReportRow, SweepAction
from tag_enforcer.sweep.report_html import render_html

PREFIX = "arn:aws:sagemaker:us-east-1:111122223333"
FINANCE = f"{PREFIX}:domain/d-finance00001"
SUSTAIN = f"{PREFIX}:domain/d-sustain00002"


def _row(
    name: str, outcome: str, action: SweepAction, domain: str = "", **extra: object
) -> ReportRow:
    return ReportRow(f"{PREFIX}:model/{name}", "Model", outcome, action, domain_arn=domain, **extra)  # type: ignore[arg-type]


ROWS = [
    _row("tagged", "tag", SweepAction.TAGGED, FINANCE),
    _row("ok", "compliant", SweepAction.NONE, FINANCE),
    _row("trusted", TRUSTED_UNVERIFIED, SweepAction.NONE, SUSTAIN),
    _row("todo", "tag", SweepAction.WOULD_TAG, SUSTAIN),
    _row("gone", "ignore", SweepAction.RESOURCE_GONE),
    _row(
        "spoof",
        "flag",
        SweepAction.FLAGGED,
        FINANCE,
        reason=FlagReason.MISMATCH.value,
        found_tags={DOMAIN_TAG: SUSTAIN},
        supported_tags={DOMAIN_TAG: FINANCE},
        evidence=(
            {
                "rule": "resource-role",
                "fields": {"RoleArn": "arn:aws:iam::111122223333:role/FinanceDefault"},
                "conclusion": "the role names domain d-finance00001",
                "candidates": [FINANCE],
            },
        ),
    ),
    _row("orphan", "flag", SweepAction.FLAGGED, reason=FlagReason.UNATTRIBUTABLE.value),
]


def _report(rows: list[ReportRow], previous: CoverageSnapshot | None = None) -> str:
    collector = ComplianceCollector()
    for row in rows:
        collector.add(row)
    report = build_report(
        collector,
        run_id="run-2",
        started_at="2026-12-01T00:00:00Z",
        finished_at="2026-12-01T00:05:00Z",
        mode="audit",
        dry_run=True,
        incomplete_types={"Cluster": "TransientAwsError: ListClusters failed"},
        unavailable_types={"DeviceFleet": "SageMaker Edge Manager was discontinued"},
        previous=previous,
    )
    return render_html(report)


def test_every_row_falls_in_one_category_or_is_not_judged() -> None:
    assert [coverage_of(r) for r in ROWS] == [
        Coverage.TAGGED,
        Coverage.TAGGED,
        Coverage.TRUSTED,
        Coverage.TO_TAG,
        None,
        Coverage.FLAGGED,
        Coverage.FLAGGED,
    ]


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str | None]] = []
        self.tags: set[str] = set()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        found = dict(attrs)
        if tag in ("td", "rect") and "data-category" in found:
            self.cells.append({"tag": tag, **found})
        for name in ("src", "srcset", "data"):
            if found.get(name):
                self.sources.append(str(found[name]))
        if tag == "link":
            self.sources.append(str(found.get("href")))


def test_the_heat_map_and_the_bars_count_each_domain_and_category() -> None:
    parser = _Cells()
    parser.feed(_report(ROWS))
    heat = {(c["data-category"], c["data-count"]) for c in parser.cells if c["tag"] == "td"}
    assert ("tagged", "2") in heat
    assert ("flagged", "1") in heat
    assert ("unavailable", "1") in heat  # the unavailable and incomplete types
    bars = {
        (c["data-domain"], c["data-category"]): c["data-count"]
        for c in parser.cells
        if c["tag"] == "rect"
    }
    assert bars == {
        ("d-finance00001", "tagged"): "2",
        ("d-finance00001", "flagged"): "1",
        ("d-sustain00002", "trusted-unverified"): "1",
        ("d-sustain00002", "to-tag"): "1",
        ("no domain", "flagged"): "1",
    }


def test_a_finding_shows_its_evidence_and_the_exact_fix() -> None:
    page = _report(ROWS)
    assert page.count('class="finding"') == 2
    assert "the role names domain d-finance00001" in page
    assert f"candidates: {FINANCE}" in page
    assert (
        f"aws sagemaker add-tags --region us-east-1 --resource-arn {PREFIX}:model/spoof "
        f"--tags Key=sagemaker:domain-arn,Value={FINANCE}"
    ) in page
    assert "domain/&lt;DOMAIN-ID&gt;" in page  # the unattributable one's placeholder


def test_the_page_fetches_nothing_and_runs_no_script() -> None:
    page = _report(ROWS)
    parser = _Cells()
    parser.feed(page)
    assert parser.sources == []
    assert "script" not in parser.tags
    assert not re.search(r"url\(|@import|@font-face", page)


def test_every_value_is_escaped() -> None:
    hostile = _row(
        '<script>alert(1)</script>"',
        "flag",
        SweepAction.FLAGGED,
        '"><img src=x onerror=alert(1)>',
        reason="mismatch",
        evidence=({"rule": "<b>", "fields": {"<k>": "<v>"}, "conclusion": "<i>"},),
    )
    page = _report([hostile])
    parser = _Cells()
    parser.feed(page)
    assert not {"img", "script", "b", "i"} & parser.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_change_since_the_previous_report_lists_new_and_resolved_findings() -> None:
    # GIVEN a previous report in which "old-finding" was flagged and "spoof" was not
    earlier = ComplianceCollector()
    earlier.add(_row("old-finding", "flag", SweepAction.FLAGGED, reason="unattributable"))
    earlier.add(_row("spoof", "tag", SweepAction.WOULD_TAG, FINANCE))
    previous = CoverageSnapshot.from_dict(earlier.snapshot("run-1", "2026-11-30").to_dict())

    # WHEN this run's report is compared with it
    page = _report(ROWS, previous)

    # THEN the new findings and the resolved one are listed, and counts are compared
    section = page[page.index('id="change"') : page.index('id="findings"')]
    assert "run-1" in section
    assert f"{PREFIX}:model/spoof" in section
    assert f"{PREFIX}:model/orphan" in section
    resolved = section[section.index("resolved-findings") :]
    assert f"{PREFIX}:model/old-finding" in resolved


def test_a_json_report_becomes_the_same_compliance_report() -> None:
    document = {
        "runId": "r",
        "startedAt": "2026-12-01T00:00:00Z",
        "mode": "audit",
        "dryRun": False,
        "rows": [row.to_dict() for row in ROWS],
        "summary": {"unavailableTypes": {"DeviceFleet": "gone"}, "incompleteTypes": {}},
    }
    report = report_from_document(document)
    assert report.finding_count == 2
    assert report.totals[Coverage.TAGGED.value] == 2
    assert report.account == "111122223333"
    assert report.unavailable_types == {"DeviceFleet": "gone"}
