"""`tag-enforcer report --account/--organization`: the HTML report of a sweep across accounts,
from the CLI's own report across accounts or the deployed organization sweep's, whose
sections point at each account's report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tag_enforcer.sweep.report import ReportRow, SweepAction
from tag_enforcer_cli import cli

FINANCE, RESEARCH = "222233334444", "333344445555"


def _domain(account: str) -> str:
    return f"arn:aws:sagemaker:us-east-1:{account}:domain/d-{account}a"


def _account_report(account: str, models: int) -> dict[str, Any]:
    rows = [
        ReportRow(
            f"arn:aws:sagemaker:us-east-1:{account}:model/m-{index}",
            "Model",
            "tag",
            SweepAction.WOULD_TAG,
            domain_arn=_domain(account),
        ).to_dict()
        for index in range(models)
    ]
    return {
        "runId": f"run-{account}",
        "startedAt": "2026-12-01T00:00:00Z",
        "mode": "audit",
        "dryRun": True,
        "rows": rows,
        "summary": {},
    }


def _cli_document(path: Path) -> Path:
    """What `sweep --account A --account B --account C --report FILE.json` writes."""
    sections = [
        {"account": FINANCE, "accountName": "finance", "status": "finished",
         "report": _account_report(FINANCE, 2)},
        {"account": RESEARCH, "accountName": None, "status": "finished",
         "report": _account_report(RESEARCH, 3)},
        {"account": "444455556666", "accountName": None, "status": "failed",
         "error": "the member role cannot be assumed"},
    ]  # fmt: skip
    path.write_text(json.dumps({"accounts": sections}))
    return path


def _html_domains(html: Path) -> set[str]:
    text = html.read_text()
    return {account for account in (FINANCE, RESEARCH) if _domain(account) in text}


def _summary(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    return dict(json.loads(capsys.readouterr().out))


def test_one_accounts_section_is_its_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, html = _cli_document(tmp_path / "org.json"), tmp_path / "finance.html"
    argv = ["report", "--from", str(source), "--account", FINANCE, "--html", str(html)]
    assert cli.main([*argv, "--output", "json"]) == 0
    summary = _summary(capsys)
    assert summary["totals"]["to-tag"] == 2
    assert _html_domains(html) == {FINANCE}


def test_the_organization_is_every_swept_account_and_names_the_failed_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, html = _cli_document(tmp_path / "org.json"), tmp_path / "org.html"
    argv = ["report", "--from", str(source), "--organization", "--html", str(html)]
    assert cli.main([*argv, "--output", "json"]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["totals"]["to-tag"] == 5
    assert set(summary["byDomain"]) == {_domain(FINANCE), _domain(RESEARCH)}
    assert "account 444455556666 was not swept: the member role cannot be assumed" in captured.err
    assert _html_domains(html) == {FINANCE, RESEARCH}


def test_the_deployed_organization_report_is_followed_to_each_accounts_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN organization.json, whose sections name where each account's report is
    sections = []
    for account, models in ((FINANCE, 1), (RESEARCH, 4)):
        report = tmp_path / f"{account}.json"
        report.write_text(json.dumps(_account_report(account, models)))
        sections.append({"account": account, "status": "finished", "report": str(report)})
    source = tmp_path / "organization.json"
    source.write_text(json.dumps({"runId": "org-run", "mode": "audit", "sections": sections}))

    # WHEN one account is asked for
    html = tmp_path / "research.html"
    argv = ["report", "--from", str(source), "--account", RESEARCH, "--html", str(html)]
    assert cli.main([*argv, "--output", "json"]) == 0

    # THEN its report was read, under the organization's run
    summary = _summary(capsys)
    assert (summary["runId"], summary["totals"]["to-tag"]) == ("org-run", 4)


@pytest.mark.parametrize(
    ("extra", "document", "message"),
    [
        (["--account", "555566667777"], "cli", "has no section for 555566667777"),
        (["--organization"], "single", "not a report across accounts"),
    ],
    ids=["unknown-account", "single-account-report"],
)
def test_a_wrong_source_or_account_is_one_line_and_no_html(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    document: str,
    message: str,
) -> None:
    source = tmp_path / "source.json"
    if document == "cli":
        _cli_document(source)
    else:
        source.write_text(json.dumps(_account_report(FINANCE, 1)))
    html = tmp_path / "out.html"
    assert cli.main(["report", "--from", str(source), *extra, "--html", str(html)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert not html.exists()
