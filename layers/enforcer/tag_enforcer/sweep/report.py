"""The sweep's report rows, their counts, the one digest per run, and JSON and CSV renderings."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, TextIO

from tag_enforcer.core.decisions import AttributionDecision, FlagReason, Outcome, evidence_to_dict
from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer.sweep.checkpoint import SweepRun

# SNS Publish: Subject under 100 ASCII characters; messages up to 256 KB (SNS API reference).
MAX_SUBJECT_LENGTH = 99
DIGEST_FINDINGS_LISTED = 25
CSV_COLUMNS = (
    "resource_arn",
    "resource_type",
    "outcome",
    "reason",
    "action",
    "domain_arn",
    "tags",
    "evidence",
    "note",
)


# The outcome of a resource whose domain tag was trusted without evidence to verify it.
TRUSTED_UNVERIFIED = "trusted-unverified"


class SweepAction(StrEnum):
    NONE = "none"
    TAGGED = "tagged"
    WOULD_TAG = "would-tag"  # audit mode or dry run: the tag mode would have added these
    FLAGGED = "flagged"
    RESOURCE_GONE = "resource-gone"
    # Younger than the lag window: left to its create event and the next sweep.
    TOO_YOUNG = "too-young"
    FAILED = "failed"


@dataclass(frozen=True)
class ReportRow:
    resource_arn: str
    resource_type: str
    outcome: str
    action: SweepAction
    reason: str = ""
    domain_arn: str = ""  # the domain the evidence names, else the one the tag names
    tags: Mapping[str, str] = field(default_factory=dict)  # added, or proposed when not added
    found_tags: Mapping[str, str] = field(default_factory=dict)  # contradicted values
    evidence: tuple[Mapping[str, Any], ...] = ()
    note: str = ""
    # Every enforced tag the evidence supports (a mismatch's fix), beside the missing ones.
    supported_tags: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_decision(
        cls,
        resource_arn: str,
        resource_type: str,
        decision: AttributionDecision,
        *,
        action: SweepAction,
        current_tags: Mapping[str, str],
        note: str = "",
    ) -> ReportRow:
        outcome = decision.outcome.value
        if decision.outcome is Outcome.COMPLIANT and not decision.verified:
            # Nothing but the tags was read: compliant as far as anyone can tell.
            outcome = TRUSTED_UNVERIFIED
        return cls(
            resource_arn=resource_arn,
            resource_type=resource_type,
            outcome=outcome,
            action=action,
            reason=decision.reason.value if decision.reason else "",
            domain_arn=decision.proposed_domain_arn or current_tags.get(DOMAIN_TAG, ""),
            tags=dict(decision.missing_tags),
            found_tags={k: found for k, (found, _) in decision.conflicting_tags.items()},
            evidence=tuple(evidence_to_dict(e) for e in decision.evidence),
            note=note,
            supported_tags=dict(decision.expected_tags),
        )

    def with_action(self, action: SweepAction, note: str) -> ReportRow:
        return ReportRow(
            self.resource_arn,
            self.resource_type,
            self.outcome,
            action,
            self.reason,
            self.domain_arn,
            self.tags,
            self.found_tags,
            self.evidence,
            note,
            self.supported_tags,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "resourceArn": self.resource_arn,
            "resourceType": self.resource_type,
            "outcome": self.outcome,
            "reason": self.reason,
            "action": self.action.value,
            "domainArn": self.domain_arn,
            "tags": dict(self.tags),
            "foundTags": dict(self.found_tags),
            "evidence": [dict(e) for e in self.evidence],
            "note": self.note,
            "supportedTags": dict(self.supported_tags),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReportRow:
        return cls(
            resource_arn=data["resourceArn"],
            resource_type=data["resourceType"],
            outcome=data["outcome"],
            action=SweepAction(data["action"]),
            reason=data.get("reason", ""),
            domain_arn=data.get("domainArn", ""),
            tags=dict(data.get("tags", {})),
            found_tags=dict(data.get("foundTags", {})),
            evidence=tuple(data.get("evidence", ())),
            note=data.get("note", ""),
            supported_tags=dict(data.get("supportedTags", {})),
        )

    def csv_values(self) -> list[str]:
        return [
            self.resource_arn,
            self.resource_type,
            self.outcome,
            self.reason,
            self.action.value,
            self.domain_arn,
            ";".join(f"{k}={v}" for k, v in sorted(self.tags.items())),
            " | ".join(f"{e['rule']}: {e['conclusion']}" for e in self.evidence),
            self.note,
        ]


def preferred(old: ReportRow, new: ReportRow) -> ReportRow:
    """The row to keep when a page is swept twice (after an interruption).

    A resource tagged by the interrupted attempt reads as compliant the second time;
    the first row is the one that says what this run did.
    """
    if new.action is SweepAction.NONE and old.action is SweepAction.TAGGED:
        return old
    return new


def merge_page(old: Sequence[ReportRow], new: Sequence[ReportRow]) -> list[ReportRow]:
    """A page written again: new rows win, except over what the earlier attempt did."""
    earlier = {row.resource_arn: row for row in old}
    merged = [
        preferred(earlier.pop(row.resource_arn), row) if row.resource_arn in earlier else row
        for row in new
    ]
    # Resources the second read no longer returned (deleted, or moved to another page)
    # keep their row: the first attempt did see them.
    return merged + list(earlier.values())


def unique_rows(pages: Iterable[Sequence[ReportRow]]) -> Iterator[ReportRow]:
    """Rows of pages given type by type, one per resource (a restarted type repeats some)."""
    current_type: str | None = None
    seen: dict[str, ReportRow] = {}
    for page in pages:
        for row in page:
            if row.resource_type != current_type:
                yield from seen.values()
                seen, current_type = {}, row.resource_type
            kept = seen.get(row.resource_arn)
            seen[row.resource_arn] = preferred(kept, row) if kept else row
    yield from seen.values()


class RunStore(Protocol):
    """Where a run keeps its report pages, its directory snapshot and its final report."""

    def put_page(
        self, run_id: str, type_name: str, page: int, rows: Sequence[ReportRow], merge: bool
    ) -> None: ...

    def rows(self, run_id: str, type_names: Sequence[str]) -> Iterator[ReportRow]: ...

    def save_directory(self, run_id: str, snapshot: dict[str, Any]) -> None: ...

    def load_directory(self, run_id: str) -> dict[str, Any] | None: ...

    def publish_report(
        self, run: SweepRun, rows: Iterable[ReportRow], summary: Callable[[], dict[str, Any]]
    ) -> dict[str, str]:
        """Write the JSON and CSV reports; return their locations by format."""
        ...

    def publish_document(self, run: SweepRun, name: str, text: str, content_type: str) -> str:
        """Write one more document of the run's report (the HTML page); return its location."""
        ...

    def previous_coverage(self, run_id: str) -> dict[str, Any] | None:
        """The coverage snapshot of the last report published before run `run_id`, if any."""
        ...

    def save_coverage(self, run: SweepRun, snapshot: dict[str, Any]) -> None:
        """Keep this run's coverage snapshot for the next report to compare with."""
        ...


class TextSink(Protocol):
    def write(self, text: str, /) -> int: ...


def write_csv_report(rows: Iterable[ReportRow], stream: TextSink | TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(row.csv_values())


def write_json_report(
    run: SweepRun,
    rows: Iterable[ReportRow],
    summary: Callable[[], dict[str, Any]],
    stream: TextSink | TextIO,
) -> None:
    """One JSON document, rows streamed one by one; the summary last, once they are counted."""
    header = {
        "runId": run.run_id,
        "startedAt": run.started_at,
        "finishedAt": run.finished_at,
        "mode": run.mode,
        "dryRun": run.dry_run,
    }
    stream.write(json.dumps(header)[:-1] + ', "rows": [')
    for index, row in enumerate(rows):
        stream.write(("," if index else "") + "\n" + json.dumps(row.to_dict(), sort_keys=True))
    stream.write('\n], "summary": ' + json.dumps(summary(), sort_keys=True) + "}\n")


@dataclass
class SweepSummary:
    """Counts by outcome, action, type and domain, and the findings worth reading first."""

    total: int = 0
    by_action: Counter[str] = field(default_factory=Counter)
    by_outcome: Counter[str] = field(default_factory=Counter)
    by_type: dict[str, Counter[str]] = field(default_factory=dict)
    by_domain: dict[str, Counter[str]] = field(default_factory=dict)
    # (type, outcome, action): the metric dimensions, all bounded sets
    by_type_outcome_action: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    findings: list[ReportRow] = field(default_factory=list)
    # Resources audit mode (or a dry run) would tag: the digest groups them, so the enforce
    # path need not send one alert each (AuditMissingTagAlerts=digest).
    to_tag_sample: list[str] = field(default_factory=list)
    incomplete_types: dict[str, str] = field(default_factory=dict)
    # Types whose API is retired, not offered in the region, or not yet allowed by IAM:
    # reported once a run, and not counted as incomplete (they would fire the alarm
    # every day for nothing).
    unavailable_types: dict[str, str] = field(default_factory=dict)

    def add(self, row: ReportRow) -> ReportRow:
        self.total += 1
        self.by_action[row.action.value] += 1
        self.by_outcome[row.outcome] += 1
        self.by_type.setdefault(row.resource_type, Counter())[row.action.value] += 1
        self.by_domain.setdefault(row.domain_arn or "none", Counter())[row.action.value] += 1
        self.by_type_outcome_action[(row.resource_type, row.outcome, row.action.value)] += 1
        if row.action is SweepAction.WOULD_TAG and len(self.to_tag_sample) < DIGEST_FINDINGS_LISTED:
            self.to_tag_sample.append(row.resource_arn)
        if row.action is SweepAction.FLAGGED:
            self.findings.append(row)
            # Mismatches first: a wrong tag moves cost and access to another team.
            self.findings.sort(key=lambda r: r.reason != FlagReason.MISMATCH.value)
            del self.findings[DIGEST_FINDINGS_LISTED:]
        return row

    def counted(self, rows: Iterable[ReportRow]) -> Iterator[ReportRow]:
        """Pass rows through while counting them."""
        for row in rows:
            yield self.add(row)

    @property
    def tagged(self) -> int:
        return self.by_action[SweepAction.TAGGED.value]

    @property
    def flagged(self) -> int:
        return self.by_action[SweepAction.FLAGGED.value]

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "byAction": dict(self.by_action),
            "byOutcome": dict(self.by_outcome),
            "byType": {k: dict(v) for k, v in sorted(self.by_type.items())},
            "byDomain": {k: dict(v) for k, v in sorted(self.by_domain.items())},
            "incompleteTypes": dict(self.incomplete_types),
            "unavailableTypes": dict(self.unavailable_types),
        }


class DigestPort(Protocol):
    def publish(self, digest: SweepDigest) -> None: ...


@dataclass(frozen=True)
class SweepDigest:
    subject: str
    body: dict[str, Any]
    attributes: dict[str, dict[str, str]]


def build_digest(
    run: SweepRun,
    summary: SweepSummary,
    report: Mapping[str, str],
    account: str,
    region: str,
) -> SweepDigest:
    """One message for the whole run: counts, the worst findings, and where the report is."""
    has_mismatch = any(r.reason == FlagReason.MISMATCH.value for r in summary.findings)
    severity = "high" if has_mismatch else "medium" if summary.flagged else "info"
    what = "dry run" if run.dry_run else f"{run.mode} mode"
    text = (
        f"[SWEEP] SageMaker tags ({what}): {summary.tagged} tagged, "
        f"{summary.by_action[SweepAction.WOULD_TAG.value]} to tag, {summary.flagged} flagged, "
        f"{summary.by_action[SweepAction.NONE.value]} compliant"
    )
    subject = text.encode("ascii", "replace").decode()[:MAX_SUBJECT_LENGTH]
    domains = sorted(d for d in summary.by_domain if d != "none") or ["none"]
    body = {
        "kind": "sweep-digest",
        "severity": severity,
        "runId": run.run_id,
        "startedAt": run.started_at,
        "finishedAt": run.finished_at,
        "mode": run.mode,
        "dryRun": run.dry_run,
        "account": account,
        "region": region,
        "report": dict(report),
        "counts": summary.to_dict(),
        "findings": [row.to_dict() for row in summary.findings],
        "findingsListed": f"at most {DIGEST_FINDINGS_LISTED} flagged resources; the report has all",
        "toTag": {
            "count": summary.by_action[SweepAction.WOULD_TAG.value],
            "sample": list(summary.to_tag_sample),
            "listed": f"at most {DIGEST_FINDINGS_LISTED} resources that tag mode would tag "
            "(counts by domain and type are under counts); the report has all",
        },
    }
    attributes = {
        "kind": {"DataType": "String", "StringValue": "sweep-digest"},
        "severity": {"DataType": "String", "StringValue": severity},
        # A String.Array matches a filter policy on any element (SNS Developer Guide,
        # "Subscription filter policies"), so each domain's team sees the digest.
        "domain": {"DataType": "String.Array", "StringValue": json.dumps(domains)},
    }
    return SweepDigest(subject, body, attributes)
