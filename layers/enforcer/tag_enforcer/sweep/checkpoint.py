"""Where a sweep stands, saved after every page so an interrupted run resumes where it stopped.

A run is one pass over the selected types. Each type keeps its own cursor (the
NextToken of the page to read next) and page counter; the run keeps who owns it
(the Step Functions execution, or the CLI process), a heartbeat, and whether its
one digest has been claimed. DynamoDB holds it in the deployed stack
(`sweep_aws.DynamoDbCheckpointStore`); memory or a JSON file holds it for the CLI.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
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
    unavailable: str | None = None  # why the type's API is not offered here, when it is not

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
    # An organization run (tag_enforcer.sweep.organization): the accounts and regions it
    # covers, each {"account": ..., "region": ...}; its waves are empty. Empty otherwise.
    scopes: list[dict[str, str]] = field(default_factory=list)

    @property
    def type_names(self) -> list[str]:
        return [name for wave in self.waves for name in wave]

    def leased_to_another(self, owner: str, now: float, lease_seconds: float) -> bool:
        """Running under another owner whose last heartbeat is within the lease."""
        return (
            self.status is RunStatus.RUNNING
            and self.owner != owner
            and now - self.heartbeat_at < lease_seconds
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        if not self.scopes:
            # One account's run is stored as it always was.
            del data["scopes"]
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
