"""The CLI's own stores: checkpoints in memory or in one JSON file; report pages in memory
or in a folder of JSON files, so a resumed sweep reports what the interrupted one did;
the accounts' sections of an organization sweep in memory.

The deployed sweep keeps the same state in DynamoDB and S3 (`tag_enforcer.aws`).
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tag_enforcer.sweep.checkpoint import SweepRun, TypeProgress
from tag_enforcer.sweep.organization import Scope, ScopeOutcome
from tag_enforcer.sweep.report import (
    CSV_COLUMNS,
    ReportRow,
    merge_page,
    unique_rows,
    write_csv_report,
    write_json_report,
)


@contextmanager
def _replacing(path: Path) -> Iterator[Any]:
    """A text stream whose content replaces `path` in one step when the block ends.

    Written to a temporary file in the same folder and renamed over the target
    (os.replace is atomic on POSIX), so a crash leaves the old file or the new one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_json(path: Path, data: Any) -> None:
    with _replacing(path) as stream:
        json.dump(data, stream, indent=1, sort_keys=True)


def _read_json(path: Path) -> Any | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


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
        _write_json(self.path, self.to_dict())

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

    def __init__(self, previous: dict[str, Any] | None = None) -> None:
        self.pages: dict[tuple[str, str, int], list[ReportRow]] = {}
        self.directories: dict[str, dict[str, Any]] = {}
        self.reports: dict[str, dict[str, str]] = {}  # run id -> format or name -> text
        # (run id, snapshot), oldest first; `previous` stands for a report made elsewhere.
        self.coverage: list[tuple[str, dict[str, Any]]] = [("", previous)] if previous else []

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

    def publish_document(self, run: SweepRun, name: str, text: str, content_type: str) -> str:
        self.reports.setdefault(run.run_id, {})[name] = text
        return f"memory://{run.run_id}/{name}"

    def previous_coverage(self, run_id: str) -> dict[str, Any] | None:
        earlier = [snapshot for owner, snapshot in self.coverage if owner != run_id]
        return earlier[-1] if earlier else None

    def save_coverage(self, run: SweepRun, snapshot: dict[str, Any]) -> None:
        self.coverage = [(o, s) for o, s in self.coverage if o != run.run_id]
        self.coverage.append((run.run_id, snapshot))


class JsonFileRunStore:
    """The CLI's RunStore in one folder, so pages outlive the process that swept them.

        <folder>/runs/<run>/pages/<type>/<page>.json   report rows, page by page
        <folder>/runs/<run>/directory.json             the run's directory snapshot
        <folder>/reports/<run>/report.{json,csv,html}  the merged reports
        <folder>/latest-coverage.json                  what the next report compares with

    Every file is replaced atomically, like the JSON checkpoint beside it.
    """

    def __init__(self, folder: Path, previous: dict[str, Any] | None = None) -> None:
        self.folder = folder
        self._previous = previous

    def _run_folder(self, run_id: str) -> Path:
        return self.folder / "runs" / run_id

    def _page_path(self, run_id: str, type_name: str, page: int) -> Path:
        return self._run_folder(run_id) / "pages" / type_name / f"{page:08d}.json"

    def report_path(self, run_id: str, name: str) -> Path:
        return self.folder / "reports" / run_id / name

    def put_page(
        self, run_id: str, type_name: str, page: int, rows: Sequence[ReportRow], merge: bool
    ) -> None:
        path = self._page_path(run_id, type_name, page)
        saved = _read_json(path) if merge else None
        old = [ReportRow.from_dict(r) for r in saved or []]
        _write_json(path, [row.to_dict() for row in merge_page(old, rows)])

    def rows(self, run_id: str, type_names: Sequence[str]) -> Iterator[ReportRow]:
        def pages() -> Iterator[list[ReportRow]]:
            for type_name in type_names:
                folder = self._run_folder(run_id) / "pages" / type_name
                for path in sorted(folder.glob("*.json")):
                    yield [ReportRow.from_dict(r) for r in _read_json(path) or []]

        return unique_rows(pages())

    def save_directory(self, run_id: str, snapshot: dict[str, Any]) -> None:
        _write_json(self._run_folder(run_id) / "directory.json", snapshot)

    def load_directory(self, run_id: str) -> dict[str, Any] | None:
        loaded = _read_json(self._run_folder(run_id) / "directory.json")
        return loaded if isinstance(loaded, dict) else None

    def publish_report(
        self, run: SweepRun, rows: Iterable[ReportRow], summary: Callable[[], dict[str, Any]]
    ) -> dict[str, str]:
        """Both reports in one pass over the rows, streamed to their files."""
        json_path = self.report_path(run.run_id, "report.json")
        csv_path = self.report_path(run.run_id, "report.csv")
        with _replacing(json_path) as json_stream, _replacing(csv_path) as csv_stream:
            writer = csv.writer(csv_stream, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)

            def both() -> Iterator[ReportRow]:
                for row in rows:
                    writer.writerow(row.csv_values())
                    yield row

            write_json_report(run, both(), summary, json_stream)
        return {"json": str(json_path), "csv": str(csv_path)}

    def publish_document(self, run: SweepRun, name: str, text: str, content_type: str) -> str:
        path = self.report_path(run.run_id, name)
        with _replacing(path) as stream:
            stream.write(text)
        return str(path)

    def _pointer(self) -> Path:
        return self.folder / "latest-coverage.json"

    def previous_coverage(self, run_id: str) -> dict[str, Any] | None:
        if self._previous is not None:
            return self._previous
        pointer = _read_json(self._pointer())
        if not isinstance(pointer, dict):
            return None
        if pointer.get("runId") == run_id:
            pointer = pointer.get("previous")
        if not isinstance(pointer, dict) or not isinstance(pointer.get("path"), str):
            return None
        loaded = _read_json(Path(pointer["path"]))
        return loaded if isinstance(loaded, dict) else None

    def save_coverage(self, run: SweepRun, snapshot: dict[str, Any]) -> None:
        path = self.report_path(run.run_id, "coverage.json")
        _write_json(path, snapshot)
        pointer = _read_json(self._pointer())
        previous = None
        if isinstance(pointer, dict):
            previous = (
                pointer.get("previous")
                if pointer.get("runId") == run.run_id
                else {"runId": pointer.get("runId"), "path": pointer.get("path")}
            )
        _write_json(self._pointer(), {"runId": run.run_id, "path": str(path), "previous": previous})


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
