"""What a compliance reader needs from a sweep: coverage by domain and type, findings, change.

Built in the same single pass over the report rows as the JSON and CSV reports, so
memory stays bounded: the coverage counts, at most `MAX_FINDINGS_SHOWN` findings in
full, and the flagged ARNs (at most `MAX_FLAGGED_REMEMBERED`) that the next report
compares with. `CoverageSnapshot` is that small record, kept between runs.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tag_enforcer.core.arns import Arn, InvalidArnError
from tag_enforcer.core.decisions import FlagReason, Outcome
from tag_enforcer.sweep.report import TRUSTED_UNVERIFIED, ReportRow, SweepAction

MAX_FINDINGS_SHOWN = 500
MAX_FLAGGED_REMEMBERED = 20_000
SNAPSHOT_KIND = "coverage-snapshot"
NO_DOMAIN = ""


class Coverage(StrEnum):
    """Where a resource stands after the run."""

    TAGGED = "tagged"  # carries the tags its evidence supports (or got them this run)
    TRUSTED = "trusted-unverified"  # carries a domain tag that was not checked
    TO_TAG = "to-tag"  # lacks tags the evidence supports (audit, dry run, failed write)
    FLAGGED = "flagged"  # needs a person: mismatch, unattributable, ambiguous
    UNAVAILABLE = "unavailable"  # its type could not be swept in this region or run


COVERAGE_LABELS: Mapping[Coverage, str] = {
    Coverage.TAGGED: "tagged",
    Coverage.TRUSTED: "trusted, unverified",
    Coverage.TO_TAG: "to tag",
    Coverage.FLAGGED: "flagged",
    Coverage.UNAVAILABLE: "unavailable",
}
# The categories a resource row can fall in (unavailable belongs to a type, not a row).
ROW_COVERAGE = (Coverage.TAGGED, Coverage.TRUSTED, Coverage.TO_TAG, Coverage.FLAGGED)


def coverage_of(row: ReportRow) -> Coverage | None:
    """The row's category, or None for a resource not judged (gone, ignored, too young)."""
    if row.action is SweepAction.FLAGGED:
        return Coverage.FLAGGED
    if row.action is SweepAction.TAGGED:
        return Coverage.TAGGED
    if row.outcome == Outcome.TAG.value and row.action in (
        SweepAction.WOULD_TAG,
        SweepAction.FAILED,
    ):
        return Coverage.TO_TAG
    if row.outcome == TRUSTED_UNVERIFIED:
        return Coverage.TRUSTED
    if row.outcome == Outcome.COMPLIANT.value:
        return Coverage.TAGGED
    return None


def domain_label(domain_arn: str) -> str:
    """`d-abc123` for a domain ARN; "no domain" when the evidence names none."""
    if not domain_arn:
        return "no domain"
    try:
        return Arn.parse(domain_arn).resource.rsplit("/", 1)[-1]
    except InvalidArnError:
        return domain_arn


@dataclass(frozen=True)
class CoverageSnapshot:
    """One report's counts by (domain ARN, type, category), and its flagged ARNs."""

    run_id: str
    started_at: str
    cells: Mapping[tuple[str, str], Mapping[str, int]]
    flagged: frozenset[str] = frozenset()
    flagged_complete: bool = True  # False when more were flagged than remembered

    def totals(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counts in self.cells.values():
            total.update(counts)
        return total

    def by_domain(self) -> dict[str, Counter[str]]:
        found: dict[str, Counter[str]] = {}
        for (domain, _), counts in self.cells.items():
            found.setdefault(domain, Counter()).update(counts)
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": SNAPSHOT_KIND,
            "runId": self.run_id,
            "startedAt": self.started_at,
            "cells": [
                {"domainArn": domain, "resourceType": type_name, "counts": dict(counts)}
                for (domain, type_name), counts in sorted(self.cells.items())
            ],
            "flagged": sorted(self.flagged),
            "flaggedComplete": self.flagged_complete,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CoverageSnapshot:
        return cls(
            run_id=str(data.get("runId", "")),
            started_at=str(data.get("startedAt", "")),
            cells={
                (str(c["domainArn"]), str(c["resourceType"])): {
                    str(k): int(v) for k, v in c["counts"].items()
                }
                for c in data.get("cells", [])
            },
            flagged=frozenset(str(a) for a in data.get("flagged", [])),
            flagged_complete=bool(data.get("flaggedComplete", True)),
        )


@dataclass
class ComplianceCollector:
    """Counts rows as they stream past; keeps the first findings (mismatches first) in full."""

    max_findings: int = MAX_FINDINGS_SHOWN
    max_flagged: int = MAX_FLAGGED_REMEMBERED
    cells: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    findings: list[ReportRow] = field(default_factory=list)
    finding_count: int = 0
    not_judged: Counter[str] = field(default_factory=Counter)
    flagged: set[str] = field(default_factory=set)
    flagged_complete: bool = True
    account: str = ""
    region: str = ""

    def add(self, row: ReportRow) -> ReportRow:
        if not self.account:
            try:
                arn = Arn.parse(row.resource_arn)
                self.account, self.region = arn.account, arn.region
            except InvalidArnError:
                pass
        category = coverage_of(row)
        if category is None:
            self.not_judged[row.action.value] += 1
            return row
        key = (row.domain_arn or NO_DOMAIN, row.resource_type)
        self.cells.setdefault(key, Counter())[category.value] += 1
        if category is Coverage.FLAGGED:
            self.finding_count += 1
            if len(self.flagged) < self.max_flagged:
                self.flagged.add(row.resource_arn)
            else:
                self.flagged_complete = False
            self._keep(row)
        return row

    def _keep(self, row: ReportRow) -> None:
        mismatch = row.reason == FlagReason.MISMATCH.value
        if len(self.findings) < self.max_findings:
            self.findings.append(row)
        elif mismatch:
            # A wrong tag moves cost and access to another team: it displaces another kind.
            for index in range(len(self.findings) - 1, -1, -1):
                if self.findings[index].reason != FlagReason.MISMATCH.value:
                    self.findings[index] = row
                    break

    def collect(self, rows: Iterable[ReportRow]) -> Iterator[ReportRow]:
        """Pass rows through while counting them."""
        for row in rows:
            yield self.add(row)

    def snapshot(self, run_id: str, started_at: str) -> CoverageSnapshot:
        return CoverageSnapshot(
            run_id,
            started_at,
            {key: dict(counts) for key, counts in self.cells.items()},
            frozenset(self.flagged),
            self.flagged_complete,
        )


@dataclass(frozen=True)
class ComplianceReport:
    """Everything the visual report shows."""

    run_id: str
    started_at: str
    finished_at: str
    mode: str
    dry_run: bool
    account: str
    region: str
    current: CoverageSnapshot
    findings: tuple[ReportRow, ...]
    finding_count: int
    incomplete_types: Mapping[str, str] = field(default_factory=dict)
    unavailable_types: Mapping[str, str] = field(default_factory=dict)
    not_judged: Mapping[str, int] = field(default_factory=dict)
    previous: CoverageSnapshot | None = None

    @property
    def totals(self) -> Counter[str]:
        return self.current.totals()

    @property
    def judged(self) -> int:
        return sum(self.totals.values())

    def change(self) -> ReportChange | None:
        return None if self.previous is None else ReportChange.between(self.previous, self.current)


def coverage_share(counts: Mapping[str, int]) -> float | None:
    """Tagged and trusted resources as a share of those judged, or None when none were."""
    judged = sum(counts.get(c.value, 0) for c in ROW_COVERAGE)
    if not judged:
        return None
    covered = counts.get(Coverage.TAGGED.value, 0) + counts.get(Coverage.TRUSTED.value, 0)
    return covered / judged


@dataclass(frozen=True)
class ReportChange:
    """This report against the previous one."""

    previous_run_id: str
    previous_started_at: str
    before: Counter[str]
    after: Counter[str]
    domains: Mapping[str, tuple[float | None, float | None]]  # coverage share before, after
    new_findings: tuple[str, ...]
    resolved_findings: tuple[str, ...]
    exact: bool  # False when either side remembered only part of its flagged ARNs

    @classmethod
    def between(cls, before: CoverageSnapshot, after: CoverageSnapshot) -> ReportChange:
        old, new = before.by_domain(), after.by_domain()
        domains = {
            domain: (
                coverage_share(old.get(domain, Counter())),
                coverage_share(new.get(domain, Counter())),
            )
            for domain in sorted(set(old) | set(new))
        }
        return cls(
            previous_run_id=before.run_id,
            previous_started_at=before.started_at,
            before=before.totals(),
            after=after.totals(),
            domains=domains,
            new_findings=tuple(sorted(after.flagged - before.flagged)),
            resolved_findings=tuple(sorted(before.flagged - after.flagged)),
            exact=before.flagged_complete and after.flagged_complete,
        )


def build_report(
    collector: ComplianceCollector,
    *,
    run_id: str,
    started_at: str,
    finished_at: str,
    mode: str,
    dry_run: bool,
    incomplete_types: Mapping[str, str],
    unavailable_types: Mapping[str, str],
    previous: CoverageSnapshot | None = None,
    account: str = "",
    region: str = "",
) -> ComplianceReport:
    findings = sorted(
        collector.findings,
        key=lambda r: (r.reason != FlagReason.MISMATCH.value, r.resource_type, r.resource_arn),
    )
    return ComplianceReport(
        run_id=run_id,
        started_at=started_at,
        finished_at=finished_at,
        mode=mode,
        dry_run=dry_run,
        account=account or collector.account,
        region=region or collector.region,
        current=collector.snapshot(run_id, started_at),
        findings=tuple(findings),
        finding_count=collector.finding_count,
        incomplete_types=dict(incomplete_types),
        unavailable_types=dict(unavailable_types),
        not_judged=dict(collector.not_judged),
        previous=previous,
    )


class ReportDocumentError(ValueError):
    """A file that is neither a sweep's JSON report nor a coverage snapshot."""


def report_from_document(
    document: Mapping[str, Any], previous: CoverageSnapshot | None = None
) -> ComplianceReport:
    """The compliance report of a sweep's JSON report (`write_json_report`)."""
    if not isinstance(document, Mapping) or not isinstance(document.get("rows"), list):
        raise ReportDocumentError("it has no 'rows': not a sweep's JSON report")
    collector = ComplianceCollector()
    try:
        for row in document["rows"]:
            collector.add(ReportRow.from_dict(row))
    except (KeyError, TypeError, ValueError) as error:
        raise ReportDocumentError(f"a row is not a sweep report row ({error})") from error
    summary = document.get("summary") or {}
    return build_report(
        collector,
        run_id=str(document.get("runId", "")),
        started_at=str(document.get("startedAt", "")),
        finished_at=str(document.get("finishedAt") or ""),
        mode=str(document.get("mode", "")),
        dry_run=bool(document.get("dryRun", False)),
        incomplete_types=summary.get("incompleteTypes") or {},
        unavailable_types=summary.get("unavailableTypes") or {},
        previous=previous,
    )


def snapshot_from_document(document: Mapping[str, Any]) -> CoverageSnapshot:
    """A previous report's snapshot: from its JSON report, or from a saved snapshot."""
    if isinstance(document, Mapping) and document.get("kind") == SNAPSHOT_KIND:
        return CoverageSnapshot.from_dict(document)
    report = report_from_document(document)
    return report.current


def load_document(text: str | bytes, where: str) -> Mapping[str, Any]:
    try:
        document = json.loads(text)
    except ValueError as error:
        raise ReportDocumentError(f"{where} is not JSON ({error})") from error
    if not isinstance(document, Mapping):
        raise ReportDocumentError(f"{where} is not a JSON object")
    return document
