"""The CLI's own stores: checkpoints in memory or in one JSON file, report pages in memory,
and the accounts' sections of an organization sweep in memory.

The deployed sweep keeps the same state in DynamoDB and S3 (`tag_enforcer.aws`).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tag_enforcer.sweep.checkpoint import SweepRun, TypeProgress
from tag_enforcer.sweep.organization import Scope, ScopeOutcome
from tag_enforcer.sweep.report import (
    ReportRow,
    merge_page,
    unique_rows,
    write_csv_report,
    write_json_report,
)


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


class InMemoryRunStore:
    """A RunStore for one process; `publish_report` renders into `reports`."""

    def __init__(self) -> None:
        self.pages: dict[tuple[str, str, int], list[ReportRow]] = {}
        self.directories: dict[str, dict[str, Any]] = {}
        self.reports: dict[str, dict[str, str]] = {}  # run id -> format -> text

    def put_page(
        self, run_id: str, type_name: str, page: int, rows: Sequence[ReportRow], merge: bool
    ) -> None:
        key = (run_id, type_name, page)
        old = self.pages.get(key, []) if merge else []
        self.pages[key] = merge_page(old, rows)

    def rows(self, run_id: str, type_names: Sequence[str]) -> Iterator[ReportRow]:
        order = {name: index for index, name in enumerate(type_names)}
        keys = sorted(
            (k for k in self.pages if k[0] == run_id and k[1] in order),
            key=lambda k: (order[k[1]], k[2]),
        )
        return unique_rows(self.pages[k] for k in keys)

    def save_directory(self, run_id: str, snapshot: dict[str, Any]) -> None:
        self.directories[run_id] = snapshot

    def load_directory(self, run_id: str) -> dict[str, Any] | None:
        return self.directories.get(run_id)

    def publish_report(
        self, run: SweepRun, rows: Iterable[ReportRow], summary: Callable[[], dict[str, Any]]
    ) -> dict[str, str]:
        kept = list(rows)
        json_text, csv_text = _StringSink(), _StringSink()
        write_json_report(run, kept, summary, json_text)
        write_csv_report(kept, csv_text)
        self.reports[run.run_id] = {"json": json_text.text(), "csv": csv_text.text()}
        return {
            "json": f"memory://{run.run_id}/report.json",
            "csv": f"memory://{run.run_id}/report.csv",
        }


class InMemoryScopeOutcomes:
    """ScopeOutcomeStore for one process."""

    def __init__(self) -> None:
        self.saved: dict[tuple[str, Scope], dict[str, Any]] = {}

    def save_outcome(self, run_id: str, outcome: ScopeOutcome) -> None:
        self.saved[(run_id, outcome.scope)] = outcome.to_dict()

    def outcome(self, run_id: str, scope: Scope) -> ScopeOutcome | None:
        saved = self.saved.get((run_id, scope))
        return None if saved is None else ScopeOutcome.from_dict(saved)

    def outcomes(self, run_id: str) -> list[ScopeOutcome]:
        return [ScopeOutcome.from_dict(v) for (run, _), v in self.saved.items() if run == run_id]


class InMemoryOrganizationReports:
    """OrganizationReportStore for one process; the documents are kept in `reports`."""

    def __init__(self) -> None:
        self.reports: dict[str, dict[str, Any]] = {}

    def publish_organization_report(self, run: SweepRun, document: dict[str, Any]) -> str:
        self.reports[run.run_id] = json.loads(json.dumps(document))
        return f"memory://{run.run_id}/organization.json"


class _StringSink:
    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, text: str) -> int:
        self._parts.append(text)
        return len(text)

    def text(self) -> str:
        return "".join(self._parts)
