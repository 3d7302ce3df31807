"""A sweep interrupted and resumed with --checkpoint reports the whole run, not its last part."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tag_enforcer_cli import cli
from tag_enforcer_cli.commands import sweep as sweep_command
from tests.support.studio import Studio
from tests.support.sweep import SCOPE, SweepWorld, new_world

JOBS = 250  # Search pages of 100: three pages, so an interruption can fall between them


def _world(studio: Studio, monkeypatch: pytest.MonkeyPatch) -> SweepWorld:
    world = new_world(studio)
    for index in range(JOBS):
        world.account.add(
            "TrainingJob", f"legacy-{index:03d}", details={"RoleArn": studio.role("AliceRole")}
        )
    monkeypatch.setattr(sweep_command, "scope_from_sts", lambda region: SCOPE)
    world.serve_the_cli(monkeypatch)
    return world


@pytest.fixture(autouse=True)
def _region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "us-east-1")


def _interrupt_on_search_call(world: SweepWorld, call: int) -> None:
    def before(operation: str) -> None:
        if operation == "Search" and world.account.calls["Search"] == call:
            raise KeyboardInterrupt

    world.account.before_call = before


def test_a_resumed_sweep_reports_every_row_of_the_run(
    studio: Studio,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # GIVEN the row count of an uninterrupted sweep of 250 jobs
    argv = ["sweep", "--dry-run", "--types", "TrainingJob"]
    _world(studio, monkeypatch)
    whole = tmp_path / "whole.json"
    assert cli.main([*argv, "--report", str(whole)]) == 0
    expected = len(json.loads(whole.read_text())["rows"])
    assert expected == JOBS

    # AND a sweep of the same account interrupted (Ctrl-C) while reading its third page
    world = _world(studio, monkeypatch)
    _interrupt_on_search_call(world, 3)
    state, report = tmp_path / "sweep.state", tmp_path / "resumed.json"
    capsys.readouterr()
    assert cli.main([*argv, "--checkpoint", str(state), "--report", str(report)]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err
    assert f"--checkpoint {state}" in err
    assert "Traceback" not in err
    assert not report.exists()

    # WHEN it runs again with the same checkpoint, in a new process (a new service)
    world.account.before_call = None
    calls_before = world.account.calls["Search"]
    assert cli.main([*argv, "--checkpoint", str(state), "--report", str(report)]) == 0

    # THEN it read only the page left, and its report covers the whole run
    assert world.account.calls["Search"] - calls_before == 1
    rows = json.loads(report.read_text())["rows"]
    assert len(rows) == expected
    assert len({r["resourceArn"] for r in rows}) == JOBS
    # AND the pages live beside the checkpoint
    assert any((tmp_path / "sweep.state.d").rglob("00000000.json"))
