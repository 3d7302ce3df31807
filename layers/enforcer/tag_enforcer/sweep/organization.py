"""The sweep of an Organization: one run over accounts x regions, one report, one digest.

    plan(owner)                       the run's accounts x regions (or the unfinished run's)
    plan_scope(run, scope, service)   one account and region: its own run of SweepService,
                                      resumed where it stopped; a member role that cannot
                                      be assumed is recorded for that account, not raised
    finish_scope / record_failure     that account's section: counts, findings, report
    finish(run, owner)                the organization's report (a section per account and
                                      region) and its one digest

Each account and region is swept by the single-account SweepService, with its own
checkpoints (`sweep#<account>#<region>`), directory snapshot and report; the state
machine's Distributed Map runs them side by side. The organization run keeps the lease
(`organization`); every step of an account renews it, so a second execution steps aside
while any account is still being swept.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from tag_enforcer.core.decisions import FlagReason
from tag_enforcer.core.errors import RoleUnavailableError
from tag_enforcer.core.organization import AccountNames, AccountSource, no_names
from tag_enforcer.sweep.checkpoint import CheckpointStore, RunStatus, SweepRun
from tag_enforcer.sweep.report import (
    DIGEST_FINDINGS_LISTED,
    MAX_SUBJECT_LENGTH,
    DigestPort,
    SweepAction,
    SweepDigest,
)
from tag_enforcer.sweep.service import SupersededError, SweepPlan, SweepResult, SweepService
from tag_enforcer.sweep.settings import RUN_LEASE_SECONDS, SweepOptions

# SNS messages hold at most 256 KB (SNS API reference, Publish); the digest lists account
# sections until this many bytes, failed accounts first, and the report holds them all.
DIGEST_BUDGET_BYTES = 200_000
# Outcome statuses of an account and region.
FINISHED = "finished"
FAILED = "failed"
MISSING = "missing"


class NoAccountsError(ValueError):
    """The organization sweep was given no account to sweep."""


@dataclass(frozen=True)
class Scope:
    """One account and region of an organization run."""

    account: str
    region: str

    def to_dict(self) -> dict[str, str]:
        return {"account": self.account, "region": self.region}


def scope_run_id(run_id: str, scope: Scope) -> str:
    """The account's own run inside the organization run: its reports sit under the run's."""
    return f"{run_id}/{scope.account}/{scope.region}"


@dataclass
class ScopeOutcome:
    """What one account and region of the run came to: its section of the report."""

    account: str
    region: str
    status: str  # FINISHED, FAILED or MISSING
    account_name: str | None = None
    counts: dict[str, Any] = field(default_factory=dict)  # SweepSummary.to_dict()
    findings: list[dict[str, Any]] = field(default_factory=list)  # the worst, as report rows
    report: dict[str, str] = field(default_factory=dict)  # format -> location
    error: str = ""

    @property
    def scope(self) -> Scope:
        return Scope(self.account, self.region)

    def to_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "accountName": self.account_name,
            "region": self.region,
            "status": self.status,
            "counts": self.counts,
            "findings": self.findings,
            "report": self.report,
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScopeOutcome:
        return cls(
            account=data["account"],
            region=data["region"],
            status=data["status"],
            account_name=data.get("accountName"),
            counts=dict(data.get("counts") or {}),
            findings=list(data.get("findings") or []),
            report=dict(data.get("report") or {}),
            error=data.get("error") or "",
        )

    def section(self) -> dict[str, Any]:
        """The account's section of the digest: its counts by action, not its rows."""
        by_action = self.counts.get("byAction", {})
        return {
            "account": self.account,
            "accountName": self.account_name,
            "region": self.region,
            "status": self.status,
            "total": self.counts.get("total", 0),
            "byAction": by_action,
            "incompleteTypes": self.counts.get("incompleteTypes", {}),
            "report": self.report,
            **({"error": self.error} if self.error else {}),
        }


class ScopeOutcomeStore(Protocol):
    """Where the accounts' sections of an organization run are kept until it finishes."""

    def save_outcome(self, run_id: str, outcome: ScopeOutcome) -> None: ...

    def outcome(self, run_id: str, scope: Scope) -> ScopeOutcome | None: ...

    def outcomes(self, run_id: str) -> list[ScopeOutcome]: ...


class OrganizationReportStore(Protocol):
    def publish_organization_report(self, run: SweepRun, document: dict[str, Any]) -> str:
        """Write the organization's report; return where it is."""
        ...


@dataclass(frozen=True)
class OrganizationPlan:
    run_id: str
    owner: str
    scopes: list[Scope]
    started_at: str = ""
    resumed: bool = False
    skipped: str | None = None


@dataclass(frozen=True)
class ScopePlan:
    """One account's plan; `skipped` when there is nothing to sweep there (and why)."""

    scope: Scope
    plan: SweepPlan | None
    skipped: str | None = None


@dataclass(frozen=True)
class OrganizationResult:
    run: SweepRun
    outcomes: list[ScopeOutcome]
    report: str
    digest_sent: bool
    superseded: bool = False

    @property
    def failed_accounts(self) -> list[ScopeOutcome]:
        return [o for o in self.outcomes if o.status != FINISHED]


def _utc_iso(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def lambda_error_message(error: str, cause: str) -> str:
    """The error a Catch hands over (`Error`, and `Cause`: Lambda's JSON error payload)."""
    try:
        payload = json.loads(cause)
    except (json.JSONDecodeError, TypeError):
        return f"{error}: {cause}"[:1000]
    if isinstance(payload, dict) and payload.get("errorMessage"):
        return f"{payload.get('errorType') or error}: {payload['errorMessage']}"[:1000]
    return f"{error}: {cause}"[:1000]


class OrganizationSweep:
    """Plans, records and finishes organization runs. Adapters are passed in."""

    def __init__(
        self,
        *,
        options: SweepOptions,
        checkpoints: CheckpointStore,
        outcomes: ScopeOutcomeStore,
        reports: OrganizationReportStore,
        regions: Sequence[str],
        account_ids: Sequence[str] = (),
        account_source: AccountSource | None = None,
        organizational_unit_id: str | None = None,
        account_names: AccountNames = no_names,
        digest: DigestPort | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._options = options
        self._checkpoints = checkpoints
        self._outcomes = outcomes
        self._reports = reports
        self._regions = tuple(regions)
        self._account_ids = tuple(account_ids)
        self._source = account_source
        self._unit = organizational_unit_id
        self._names = account_names
        self._digest = digest
        self._clock = clock
        self._known_names: dict[str, str | None] = {}

    # ------------------------------------------------------------------ plan

    def _accounts(self) -> list[str]:
        if self._account_ids:
            return list(self._account_ids)
        if self._source is None:
            raise NoAccountsError(
                "no account to sweep: set SweepAccountIds, or OrganizationReadRoleArn so the "
                "sweep can list the Organization's accounts"
            )
        accounts = self._source.active_accounts(self._unit)
        for account in accounts:
            self._known_names[account.account_id] = account.name
        if not accounts:
            where = f"under {self._unit}" if self._unit else "in the Organization"
            raise NoAccountsError(f"no active account {where} to sweep")
        return [a.account_id for a in accounts]

    def plan(self, owner: str) -> OrganizationPlan:
        """Start a run over every account x region, or resume the unfinished one."""
        now = self._clock()
        current = self._checkpoints.current_run()
        if current is not None and current.status is RunStatus.RUNNING:
            scopes = [Scope(s["account"], s["region"]) for s in current.scopes]
            if current.leased_to_another(owner, now, RUN_LEASE_SECONDS):
                return OrganizationPlan(
                    current.run_id,
                    owner,
                    [],
                    skipped=(
                        f"organization run {current.run_id} of {current.owner} is still in "
                        f"progress (last heartbeat {int(now - current.heartbeat_at)} s ago)"
                    ),
                )
            current.owner, current.heartbeat_at = owner, now
            self._checkpoints.save_run(current)
            return OrganizationPlan(current.run_id, owner, scopes, current.started_at, True)
        # Regions outer: the Map's items in flight at once are mostly different accounts.
        accounts = self._accounts()
        scopes = [Scope(a, r) for r in self._regions for a in accounts]
        run_id = f"{datetime.fromtimestamp(now, UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
        started_at = _utc_iso(now)
        self._checkpoints.save_run(
            SweepRun(
                run_id=run_id,
                started_at=started_at,
                mode=self._options.mode.value,
                dry_run=self._options.dry_run,
                waves=[],
                owner=owner,
                heartbeat_at=now,
                scopes=[s.to_dict() for s in scopes],
            )
        )
        return OrganizationPlan(run_id, owner, scopes, started_at)

    def _current(self, run_id: str, owner: str) -> SweepRun:
        run = self._checkpoints.current_run()
        if run is None or run.run_id != run_id:
            raise SupersededError(f"organization run {run_id} is not the current run")
        if run.owner != owner:
            raise SupersededError(f"organization run {run_id} was taken over by {run.owner}")
        return run

    def touch(self, run_id: str, owner: str) -> bool:
        """Renew the run's lease; False when another execution took it over."""
        return self._checkpoints.heartbeat(run_id, owner, self._clock())

    # ------------------------------------------------------------------ one account

    def plan_scope(
        self,
        run_id: str,
        owner: str,
        scope: Scope,
        service: SweepService,
        check_access: Callable[[], None] = lambda: None,
    ) -> ScopePlan:
        """The account's own run, started or resumed. A member role that cannot be assumed
        becomes the account's failed section, not an error: the other accounts go on."""
        try:
            run = self._current(run_id, owner)
        except SupersededError as error:
            return ScopePlan(scope, None, skipped=str(error))
        self.touch(run_id, owner)
        try:
            check_access()
            plan = service.plan_run(owner, scope_run_id(run_id, scope), started_at=run.started_at)
        except RoleUnavailableError as error:
            self.record_failure(run_id, owner, scope, str(error))
            return ScopePlan(scope, None, skipped=str(error))
        return ScopePlan(scope, plan)

    def finish_scope(
        self, run_id: str, owner: str, scope: Scope, service: SweepService
    ) -> SweepResult | None:
        """The account's report and its section; None when the run moved on without it."""
        try:
            self._current(run_id, owner)
        except SupersededError:
            return None
        self.touch(run_id, owner)
        result = service.finish(scope_run_id(run_id, scope), owner)
        if result.superseded:
            return result
        if result.already_finished and self._outcomes.outcome(run_id, scope) is not None:
            return result  # its section was written when it finished
        summary = result.summary
        self._outcomes.save_outcome(
            run_id,
            ScopeOutcome(
                account=scope.account,
                region=scope.region,
                status=FINISHED,
                account_name=self._name(scope.account),
                counts=summary.to_dict(),
                findings=[
                    {**row.to_dict(), "account": scope.account, "region": scope.region}
                    for row in summary.findings
                ],
                report=dict(result.report),
            ),
        )
        return result

    def record_failure(self, run_id: str, owner: str, scope: Scope, error: str) -> None:
        """The account stopped short (member role, throttling, a bug): its section says why."""
        self.touch(run_id, owner)
        self._outcomes.save_outcome(
            run_id,
            ScopeOutcome(
                account=scope.account,
                region=scope.region,
                status=FAILED,
                account_name=self._name(scope.account),
                error=error[:1000],
            ),
        )

    def _name(self, account: str) -> str | None:
        if account not in self._known_names:
            self._known_names[account] = self._names(account)
        return self._known_names[account]

    # ------------------------------------------------------------------ finish

    def finish(self, run_id: str, owner: str) -> OrganizationResult:
        """The organization's report and its one digest. Safe to repeat."""
        run = self._checkpoints.current_run()
        if run is None or run.run_id != run_id:
            raise SupersededError(f"organization run {run_id} is not the current run")
        recorded = {o.scope: o for o in self._outcomes.outcomes(run_id)}
        outcomes = []
        for item in run.scopes:
            scope = Scope(item["account"], item["region"])
            outcomes.append(
                recorded.get(scope)
                or ScopeOutcome(
                    scope.account,
                    scope.region,
                    MISSING,
                    account_name=self._name(scope.account),
                    error="no result was recorded: the account's child execution stopped "
                    "before it finished (read it in the Map Run of this execution)",
                )
            )
        if run.status is RunStatus.FINISHED:
            return OrganizationResult(run, outcomes, run.report.get("json", ""), False)
        if run.owner != owner:
            return OrganizationResult(run, outcomes, "", False, superseded=True)
        run.finished_at = _utc_iso(self._clock())
        location = self._reports.publish_organization_report(
            run, organization_report(run, outcomes)
        )
        digest_sent = False
        if self._digest is not None and self._checkpoints.claim_digest(run_id):
            try:
                self._digest.publish(build_organization_digest(run, outcomes, location))
            except Exception:
                self._checkpoints.release_digest(run_id)
                raise
            digest_sent = True
        run.digest_claimed = run.digest_claimed or digest_sent
        run.status, run.report = RunStatus.FINISHED, {"json": location}
        self._checkpoints.save_run(run)
        return OrganizationResult(run, outcomes, location, digest_sent)


# ---------------------------------------------------------------------- report and digest


def _totals(outcomes: Iterable[ScopeOutcome]) -> dict[str, Any]:
    """Counts of every account added up: total, by action, outcome, type and domain."""
    total = 0
    by: dict[str, Counter[str]] = {key: Counter() for key in ("byAction", "byOutcome")}
    nested: dict[str, dict[str, Counter[str]]] = {"byType": {}, "byDomain": {}}
    for outcome in outcomes:
        total += int(outcome.counts.get("total", 0))
        for key, counter in by.items():
            counter.update(outcome.counts.get(key, {}))
        for key, table in nested.items():
            for name, counts in outcome.counts.get(key, {}).items():
                table.setdefault(name, Counter()).update(counts)
    return {
        "total": total,
        **{key: dict(counter) for key, counter in by.items()},
        **{key: {k: dict(v) for k, v in sorted(t.items())} for key, t in nested.items()},
    }


def organization_report(run: SweepRun, outcomes: Sequence[ScopeOutcome]) -> dict[str, Any]:
    """The run's report: the totals, then one section per account and region, in full."""
    return {
        "runId": run.run_id,
        "startedAt": run.started_at,
        "finishedAt": run.finished_at,
        "mode": run.mode,
        "dryRun": run.dry_run,
        "accounts": len({o.account for o in outcomes}),
        "counts": _totals(o for o in outcomes if o.status == FINISHED),
        "failedAccounts": [o.section() for o in outcomes if o.status != FINISHED],
        "sections": [o.to_dict() for o in outcomes],
    }


def build_organization_digest(
    run: SweepRun, outcomes: Sequence[ScopeOutcome], report: str
) -> SweepDigest:
    """One message for the whole Organization: totals, a section per account, the worst
    findings across accounts, and where the full report is."""
    totals = _totals(o for o in outcomes if o.status == FINISHED)
    by_action = Counter(totals["byAction"])
    findings = [f for o in outcomes for f in o.findings]
    # Mismatches first: a wrong tag moves cost and access to another team.
    findings.sort(key=lambda f: f.get("reason") != FlagReason.MISMATCH.value)
    failed = [o for o in outcomes if o.status != FINISHED]
    has_mismatch = any(f.get("reason") == FlagReason.MISMATCH.value for f in findings)
    flagged = by_action[SweepAction.FLAGGED.value]
    severity = "high" if has_mismatch or failed else "medium" if flagged else "info"
    what = "dry run" if run.dry_run else f"{run.mode} mode"
    accounts = len({o.account for o in outcomes})
    text = (
        f"[SWEEP] SageMaker tags, {accounts} accounts ({what}): "
        f"{by_action[SweepAction.TAGGED.value]} tagged, "
        f"{by_action[SweepAction.WOULD_TAG.value]} to tag, {flagged} flagged"
        + (f", {len({o.account for o in failed})} accounts failed" if failed else "")
    )
    subject = text.encode("ascii", "replace").decode()[:MAX_SUBJECT_LENGTH]
    body: dict[str, Any] = {
        "kind": "sweep-digest",
        "scope": "organization",
        "severity": severity,
        "runId": run.run_id,
        "startedAt": run.started_at,
        "finishedAt": run.finished_at,
        "mode": run.mode,
        "dryRun": run.dry_run,
        "accounts": accounts,
        "report": report,
        "counts": totals,
        "failedAccounts": len(failed),
        "findings": findings[:DIGEST_FINDINGS_LISTED],
        "findingsListed": f"at most {DIGEST_FINDINGS_LISTED} flagged resources; the report has all",
        "sections": [],
    }
    # Failed accounts first, then the rest, while the message stays within SNS's limit.
    ordered = failed + [o for o in outcomes if o.status == FINISHED]
    size = len(json.dumps(body))
    for outcome in ordered:
        section = outcome.section()
        size += len(json.dumps(section)) + 2
        if size > DIGEST_BUDGET_BYTES:
            break
        body["sections"].append(section)
    body["sectionsListed"] = f"{len(body['sections'])} of {len(ordered)}; the report has all"
    domains = sorted(d for d in totals["byDomain"] if d != "none") or ["none"]
    attributes = {
        "kind": {"DataType": "String", "StringValue": "sweep-digest"},
        "severity": {"DataType": "String", "StringValue": severity},
        "domain": {"DataType": "String.Array", "StringValue": json.dumps(domains)},
    }
    return SweepDigest(subject, body, attributes)
