"""The CLI's shared conventions: --version, --output json, --quiet, --fail-on-findings, exit
codes, output paths checked before anything runs, case-insensitive --types, Ctrl-C."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tag_enforcer.core.errors import TransientAwsError
from tag_enforcer_cli import cli
from tag_enforcer_cli.commands import sweep as sweep_command
from tag_enforcer_cli.conventions import EXIT_CODES_HELP
from tests.support.studio import Studio
from tests.support.sweep import SCOPE, SweepWorld, new_world


@pytest.fixture(autouse=True)
def _region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "us-east-1")


@pytest.fixture
def world(studio: Studio, monkeypatch: pytest.MonkeyPatch) -> SweepWorld:
    world = new_world(studio)
    world.account.add("TrainingJob", "legacy", details={"RoleArn": studio.role("AliceRole")})
    world.account.add("Model", "orphan", details={"ExecutionRoleArn": studio.role("CiRole")})
    world.sts_calls = 0  # type: ignore[attr-defined]

    def scope(region: str) -> Any:
        world.sts_calls += 1  # type: ignore[attr-defined]
        return SCOPE

    monkeypatch.setattr(sweep_command, "scope_from_sts", scope)
    world.serve_the_cli(monkeypatch)
    return world


def test_version_comes_from_the_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as stopped:
        cli.main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == (
        f"tag-enforcer {version('sagemaker-domain-tag-enforcer')}"
    )


def test_help_documents_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for code in ("0 ", "1 ", "2 ", "3 ", "130"):
        assert f"\n  {code}" in out
    assert EXIT_CODES_HELP.splitlines()[0] in out


def test_sweep_output_json_is_the_summary_and_only_json_on_stdout(
    world: SweepWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["sweep", "--types", "TrainingJob,Model", "--output", "json"])
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    assert document["summary"]["total"] == 2
    assert document["summary"]["byAction"] == {"would-tag": 1, "flagged": 1}
    assert document["exitCode"] == 0


def test_quiet_prints_nothing_at_all_on_success(
    world: SweepWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["sweep", "--types", "TrainingJob,Model", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")


def test_fail_on_findings_exits_3_when_anything_is_flagged(
    world: SweepWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["sweep", "--types", "Model", "--quiet", "--fail-on-findings"]) == 3
    assert cli.main(["sweep", "--types", "TrainingJob", "--quiet", "--fail-on-findings"]) == 0


def test_types_are_case_insensitive(world: SweepWorld, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sweep", "--types", "trainingjob,MODEL", "--output", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["total"] == 2


def test_an_unknown_type_suggests_the_closest_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sweep", "--types", "TrainingJobz,Modle"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "TrainingJobz: did you mean TrainingJob" in err
    assert "Modle: did you mean Model" in err


@pytest.mark.parametrize(
    "report",
    ["missing-folder/out.html", "out.txt", "."],
    ids=["folder-missing", "bad-suffix", "a-folder"],
)
def test_an_unusable_report_path_refuses_before_anything_runs(
    world: SweepWorld, tmp_path: Path, capsys: pytest.CaptureFixture[str], report: str
) -> None:
    code = cli.main(["sweep", "--report", str(tmp_path / report)])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("tag-enforcer sweep: --report ")
    # Nothing ran: not even the caller identity was asked for.
    assert world.sts_calls == 0  # type: ignore[attr-defined]
    assert sum(world.account.calls.values()) == 0


def test_a_read_only_report_file_refuses_before_anything_runs(
    world: SweepWorld, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked.csv"
    locked.write_text("")
    locked.chmod(0o444)
    if os.access(locked, os.W_OK):
        pytest.skip("running as root, who may write a read-only file: nothing to refuse")
    assert cli.main(["sweep", "--report", str(locked)]) == 2
    assert "not writable" in capsys.readouterr().err


def test_ctrl_c_stops_cleanly_with_how_to_resume(
    world: SweepWorld, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt(operation: str) -> None:
        raise KeyboardInterrupt

    world.account.before_call = interrupt
    assert cli.main(["sweep", "--types", "Model"]) == 130
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("tag-enforcer")]
    assert lines == [
        "tag-enforcer sweep: interrupted; nothing was kept; run it with --checkpoint FILE "
        "to make a sweep resumable"
    ]
    assert "Traceback" not in err


def test_incomplete_types_get_their_own_table_and_exit_1(
    world: SweepWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    world.account.faults["ListModels"] = [TransientAwsError("ListModels failed with 500")]
    assert cli.main(["sweep", "--types", "TrainingJob,Model"]) == 1
    out = capsys.readouterr().out
    summary, _, types = out.partition("Types not swept")
    assert types, out
    assert "ListModels failed with 500" in types
    # The error never lands in the summary's numeric columns.
    assert "ListModels" not in summary
    assert "incomplete" in types


def test_report_and_explain_take_the_same_output_options() -> None:
    parser = cli.build_parser()
    for command in (["report", "--from", "r.json", "--html", "o.html"], ["explain", "arn"]):
        args = parser.parse_args([*command, "--output", "json", "--quiet", "--fail-on-findings"])
        assert (args.output, args.quiet, args.fail_on_findings) == ("json", True, True)


def test_the_summary_fits_80_columns_and_never_cuts_a_count() -> None:
    from rich.console import Console

    from tag_enforcer.sweep.report import ReportRow, SweepAction, SweepSummary

    summary = SweepSummary()
    for type_name in ("InferenceRecommendationsJob", "TrainingJob"):
        arn = f"arn:aws:sagemaker:us-east-1:111122223333:x/{type_name}"
        summary.add(ReportRow(arn, type_name, "tag", SweepAction.WOULD_TAG))
    console = Console(record=True, width=80, color_system=None)
    console.print(sweep_command.summary_table(summary, "Sweep"))
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    for heading in ("resources", "compliant", "tagged", "to tag", "flagged"):
        assert heading in text
    # Actions that did not happen take no room.
    assert "gone" not in text
    assert "failed" not in text
