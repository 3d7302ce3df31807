"""`explain` and `report` follow the CLI's conventions: JSON on stdout, quiet, exit 3 on a flag."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tag_enforcer.core import registry
from tag_enforcer.core.decisions import AttributionDecision, Evidence, FlagReason, Outcome
from tag_enforcer.core.resources import SweptResource
from tag_enforcer.enforce.inspection import Inspection
from tag_enforcer.sweep.report import ReportRow, SweepAction
from tag_enforcer_cli import cli
from tag_enforcer_cli.commands import explain as explain_command

MODEL = "arn:aws:sagemaker:us-east-1:111122223333:model/orphan"


@pytest.fixture
def orphan(monkeypatch: pytest.MonkeyPatch) -> None:
    decision = AttributionDecision(
        Outcome.FLAG,
        reason=FlagReason.UNATTRIBUTABLE,
        evidence=(Evidence("no-evidence", {"RoleArn": "r"}, "nothing names a domain"),),
    )
    inspection = Inspection(SweptResource(registry.by_name("Model"), MODEL, {}, {}), {}, decision)

    def explain(arn: str) -> Any:
        return inspection

    monkeypatch.setattr(explain_command, "explain_resource", explain)


def test_explain_prints_the_decision_as_json(
    orphan: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["explain", MODEL, "--output", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["outcome"], document["reason"]) == ("flag", "unattributable")
    assert document["evidence"][0]["conclusion"] == "nothing names a domain"


def test_explain_quiet_prints_nothing_and_fails_on_the_finding_when_asked(
    orphan: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["explain", MODEL, "--quiet", "--fail-on-findings"]) == 3
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")


def _json_report(path: Path, flagged: bool) -> Path:
    action = SweepAction.FLAGGED if flagged else SweepAction.WOULD_TAG
    row = ReportRow(MODEL, "Model", "flag" if flagged else "tag", action)
    path.write_text(
        json.dumps(
            {
                "runId": "r1",
                "startedAt": "2026-12-01T00:00:00Z",
                "mode": "audit",
                "dryRun": False,
                "rows": [row.to_dict()],
                "summary": {},
            }
        )
    )
    return path


def test_report_writes_the_html_and_prints_its_summary_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _json_report(tmp_path / "now.json", flagged=True)
    previous = _json_report(tmp_path / "before.json", flagged=False)
    html = tmp_path / "out.html"
    argv = ["report", "--from", str(source), "--previous", str(previous), "--html", str(html)]
    assert cli.main([*argv, "--output", "json", "--fail-on-findings"]) == 3
    document = json.loads(capsys.readouterr().out)
    assert document["findings"] == 1
    assert document["change"] == {"previousRunId": "r1", "newFindings": 1, "resolvedFindings": 0}
    assert html.read_text().startswith("<!doctype html>")


def test_report_refuses_what_is_not_a_sweep_report_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "x.json"
    source.write_text('{"hello": 1}')
    assert cli.main(["report", "--from", str(source), "--html", str(tmp_path / "o.html")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "not a sweep's JSON report" in err
    assert not (tmp_path / "o.html").exists()


def test_report_checks_its_output_before_reading_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing_source = str(tmp_path / "nowhere.json")
    code = cli.main(["report", "--from", missing_source, "--html", str(tmp_path / "no/o.html")])
    assert code == 2
    assert "--html" in capsys.readouterr().err
