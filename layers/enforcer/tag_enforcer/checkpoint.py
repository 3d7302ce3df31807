"""Where a sweep stands, saved after every page so an interrupted run resumes where it stopped.

A run is one pass over the selected types. Each type keeps its own cursor (the
NextToken of the page to read next) and page counter; the run keeps who owns it
(the Step Functions execution, or the CLI process), a heartbeat, and whether its
one digest has been claimed. DynamoDB holds it in the deployed stack
(`sweep_aws.DynamoDbCheckpointStore`); memory or a JSON file holds it for the CLI.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol


class RunStatus(StrEnum):
    RUNNING = "running"
    FINISHED = "finished"


@dataclass
class TypeProgress:
    type_name: str
    cursor: str | None = None  # NextToken of the next page; None before the first page
    next_page: int = 0  # report pages are numbered per type, never reused within a run
    done: bool = False
    restarts: int = 0  # times the type was enumerated again after a stale cursor
    error: str | None = None  # why the type stopped short, when it did

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TypeProgress:
        return cls(**data)


@dataclass
class SweepRun:
    run_id: str
    started_at: str  # ISO 8601, UTC
    mode: str
    dry_run: bool
    waves: list[list[str]]  # type names, parents before children
    owner: str
    heartbeat_at: float
    status: RunStatus = RunStatus.RUNNING
    digest_claimed: bool = False
    finished_at: str | None = None
    report: dict[str, str] = field(default_factory=dict)  # format -> location

    @property
    def type_names(self) -> list[str]:
        return [name for wave in self.waves for name in wave]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SweepRun:
        values = dict(data)
        values["status"] = RunStatus(values.get("status", RunStatus.RUNNING))
        return cls(**values)


class CheckpointStore(Protocol):
    def current_run(self) -> SweepRun | None:
        """The latest run, finished or not."""
        ...

    def save_run(self, run: SweepRun) -> None: ...

    def heartbeat(self, run_id: str, owner: str, now: float) -> bool:
        """Record that `owner` is alive; False when another owner took the run over."""
        ...

    def progress(self, run_id: str, type_name: str) -> TypeProgress: ...

    def save_progress(self, run_id: str, progress: TypeProgress) -> None: ...

    def claim_digest(self, run_id: str) -> bool:
        """True exactly once per run: the caller may send the digest."""
        ...

    def release_digest(self, run_id: str) -> None:
        """Give the claim back after a failed send, so a retry may send it."""
        ...


class InMemoryCheckpointStore:
    """A CheckpointStore for one process: the CLI and the tests."""

    def __init__(self) -> None:
        self.runs: dict[str, SweepRun] = {}
        self.latest: str | None = None
        self.progress_by_type: dict[tuple[str, str], TypeProgress] = {}

    def current_run(self) -> SweepRun | None:
        if self.latest is None:
            return None
        return SweepRun.from_dict(self.runs[self.latest].to_dict())

    def save_run(self, run: SweepRun) -> None:
        self.runs[run.run_id] = SweepRun.from_dict(run.to_dict())
        self.latest = run.run_id

    def heartbeat(self, run_id: str, owner: str, now: float) -> bool:
        run = self.runs.get(run_id)
        if run is None or run.owner != owner:
            return False
        run.heartbeat_at = now
        return True

    def progress(self, run_id: str, type_name: str) -> TypeProgress:
        saved = self.progress_by_type.get((run_id, type_name))
        return TypeProgress.from_dict(saved.to_dict()) if saved else TypeProgress(type_name)

    def save_progress(self, run_id: str, progress: TypeProgress) -> None:
        self.progress_by_type[(run_id, progress.type_name)] = TypeProgress.from_dict(
            progress.to_dict()
        )

    def claim_digest(self, run_id: str) -> bool:
        run = self.runs[run_id]
        if run.digest_claimed:
            return False
        run.digest_claimed = True
        return True

    def release_digest(self, run_id: str) -> None:
        self.runs[run_id].digest_claimed = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "latest": self.latest,
            "runs": {run_id: run.to_dict() for run_id, run in self.runs.items()},
            "progress": [
                {"runId": run_id, **progress.to_dict()}
                for (run_id, _), progress in self.progress_by_type.items()
            ],
        }

    def load_dict(self, data: dict[str, Any]) -> None:
        self.latest = data.get("latest")
        self.runs = {k: SweepRun.from_dict(v) for k, v in data.get("runs", {}).items()}
        self.progress_by_type = {}
        for item in data.get("progress", []):
            values = dict(item)
            run_id = values.pop("runId")
            self.progress_by_type[(run_id, values["type_name"])] = TypeProgress.from_dict(values)


class JsonFileCheckpointStore(InMemoryCheckpointStore):
    """The CLI's checkpoint: the whole state in one JSON file, replaced atomically on each save."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        if path.exists():
            self.load_dict(json.loads(path.read_text()))

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        with os.fdopen(handle, "w") as stream:
            json.dump(self.to_dict(), stream, indent=1, sort_keys=True)
        os.replace(temporary, self.path)

    def save_run(self, run: SweepRun) -> None:
        super().save_run(run)
        self._write()

    def heartbeat(self, run_id: str, owner: str, now: float) -> bool:
        alive = super().heartbeat(run_id, owner, now)
        if alive:
            self._write()
        return alive

    def save_progress(self, run_id: str, progress: TypeProgress) -> None:
        super().save_progress(run_id, progress)
        self._write()

    def claim_digest(self, run_id: str) -> bool:
        claimed = super().claim_digest(run_id)
        self._write()
        return claimed

    def release_digest(self, run_id: str) -> None:
        super().release_digest(run_id)
        self._write()
