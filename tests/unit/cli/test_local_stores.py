"""Checkpoint stores: a JSON file survives the process, and a digest is claimed once."""

from __future__ import annotations

from pathlib import Path

from tag_enforcer.sweep.checkpoint import RunStatus, SweepRun, TypeProgress
from tag_enforcer_cli.local_stores import JsonFileCheckpointStore


def test_a_json_file_checkpoint_survives_the_process(tmp_path: Path) -> None:
    # GIVEN a run and one type's progress saved to a file
    path = tmp_path / "sweep-checkpoint.json"
    store = JsonFileCheckpointStore(path)
    store.save_run(SweepRun("r-1", "2026-11-29T10:00:00Z", "tag", True, [["Model"]], "cli", 5.0))
    store.save_progress("r-1", TypeProgress("Model", cursor="page-100", next_page=1))

    # WHEN another process opens the same file
    reopened = JsonFileCheckpointStore(path)

    # THEN it sees the same run and cursor
    run = reopened.current_run()
    assert run is not None
    assert (run.run_id, run.status, run.dry_run) == ("r-1", RunStatus.RUNNING, True)
    assert reopened.progress("r-1", "Model").cursor == "page-100"
    assert reopened.progress("r-1", "Trial") == TypeProgress("Trial")


def test_a_digest_is_claimed_once_until_released(tmp_path: Path) -> None:
    store = JsonFileCheckpointStore(tmp_path / "c.json")
    store.save_run(SweepRun("r-1", "t", "tag", False, [], "cli", 0.0))
    assert store.claim_digest("r-1") is True
    assert JsonFileCheckpointStore(tmp_path / "c.json").claim_digest("r-1") is False
    store.release_digest("r-1")
    assert store.claim_digest("r-1") is True


def test_a_heartbeat_from_another_owner_is_refused(tmp_path: Path) -> None:
    store = JsonFileCheckpointStore(tmp_path / "c.json")
    store.save_run(SweepRun("r-1", "t", "tag", False, [], "execution-2", 0.0))
    assert store.heartbeat("r-1", "execution-1", 10.0) is False
    assert store.heartbeat("r-1", "execution-2", 10.0) is True
