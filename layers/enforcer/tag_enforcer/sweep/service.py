"""The sweep: every resource of every selected type, attributed like a create event, tagged.

    plan(owner)                  start a run, resume an unfinished one, or step aside
                                 while another owner's run is alive
    sweep_type(run, type, ...)   pages of one type until it is done or time runs short;
                                 a checkpoint after every page
    finish(run, owner)           the JSON, CSV and HTML report, the one digest, the counts
    run(owner)                   all three in one process (the operator CLI)

Per page: read it (Search, or List + GetResources), Describe only the untagged
resources whose role or parents the page lacks, look up unknown parents' tags in one
GetResources call, attribute with the enforce path's pure rules, write the page's
report rows, then tag with TagResources in batches. Nothing changes in audit mode or
a dry run. A page is written before it is tagged, so a run interrupted in between
still reports what it did (see `sweep_report.merge_page`).
"""

from __future__ import annotations

import math
import time
import uuid
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from tag_enforcer.core import registry
from tag_enforcer.core.admin_rules import NO_RULES, AdminRules
from tag_enforcer.core.attribution import attribute
from tag_enforcer.core.decisions import AttributionDecision, CreatorRecord, Evidence, Outcome
from tag_enforcer.core.directory import DomainDirectory, directory_from_dict, directory_to_dict
from tag_enforcer.core.errors import OperationUnavailableError, ResourceGoneError, StaleCursorError
from tag_enforcer.core.evidence import (
    attribution_request,
    created_at,
    creator_record,
    lineage_references,
    pipeline_execution_arn,
)
from tag_enforcer.core.resources import AccountScope, SweptResource
from tag_enforcer.core.settings import EnforcementMode
from tag_enforcer.core.tags import InvalidTagError, enforced_tags, tags_to_add
from tag_enforcer.sweep.bulk_tagging import BulkTagPort, TagResult, apply_batches, plan_batches
from tag_enforcer.sweep.checkpoint import CheckpointStore, RunStatus, SweepRun, TypeProgress
from tag_enforcer.sweep.compliance import ComplianceCollector, CoverageSnapshot, build_report
from tag_enforcer.sweep.enumeration import (
    ResourcePage,
    SageMakerCatalog,
    TagLookup,
    describe_call,
    lacks_domain_tag,
    lookup_tags,
    read_page,
    sweep_waves,
)
from tag_enforcer.sweep.report import (
    DigestPort,
    ReportRow,
    RunStore,
    SweepAction,
    SweepSummary,
    build_digest,
)
from tag_enforcer.sweep.report_html import render_html
from tag_enforcer.sweep.settings import (
    DEFAULT_SAFETY_MARGIN_SECONDS,
    RUN_LEASE_SECONDS,
    SweepOptions,
)

# A cursor the service stops accepting is retried from the first page this many times.
MAX_RESTARTS_PER_TYPE = 3
# Parents' enforced tags kept in memory, newest last; a miss costs a share of one
# GetResources call, so the bound only trades memory for a few calls.
PARENT_CACHE_SIZE = 200_000
_PARENT_TYPES = frozenset(link.parent_type for t in registry.RESOURCE_TYPES for link in t.lineage)


class RunInProgressError(RuntimeError):
    """Another owner's run is alive; a second sweep would only duplicate its work."""


class SupersededError(RuntimeError):
    """The run is no longer the current one: a newer execution took it over or replaced it."""


@dataclass(frozen=True)
class SweepPlan:
    run_id: str
    owner: str
    waves: list[list[str]]
    resumed: bool = False
    skipped: str | None = None  # why this owner steps aside, when it does


@dataclass(frozen=True)
class PageReport:
    """What one page did; handed to progress callbacks."""

    type_name: str
    page: int
    resources: int
    actions: Counter[str]
    type_done: bool


@dataclass(frozen=True)
class SliceResult:
    run_id: str
    type_name: str
    done: bool
    pages: int = 0
    resources: int = 0
    superseded: bool = False


@dataclass(frozen=True)
class SweepResult:
    run: SweepRun
    summary: SweepSummary
    report: dict[str, str]
    digest_sent: bool
    superseded: bool = False  # another owner finishes this run; this one did nothing
    # The run had been finished before: `summary` holds no counts, `report` is the old one.
    already_finished: bool = False


@dataclass
class _ParentCache:
    """Enforced tags by lower-cased ARN, for parents seen or looked up during this process."""

    size: int = PARENT_CACHE_SIZE
    entries: OrderedDict[str, dict[str, str]] = field(default_factory=OrderedDict)

    def get(self, arn: str) -> dict[str, str] | None:
        return self.entries.get(arn.lower())

    def put(self, arn: str, tags: Mapping[str, str]) -> None:
        key = arn.lower()
        self.entries[key] = enforced_tags(tags)
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)

    def __contains__(self, arn: str) -> bool:
        return arn.lower() in self.entries

    def view(self) -> Mapping[str, dict[str, str]]:
        return self.entries


def _studio_arns(directory: DomainDirectory) -> dict[str, str]:
    """Profiles' and spaces' ARNs as SageMaker spells them, by their lower-cased form."""
    arns = [p.arn for p in directory.user_profiles] + [s.arn for s in directory.spaces]
    return {arn.lower(): arn for arn in arns}


def _utc_now_iso(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SweepService:
    """Sweeps one account and region. Adapters are passed in, never built here."""

    def __init__(
        self,
        *,
        options: SweepOptions,
        scope: AccountScope,
        catalog: SageMakerCatalog,
        tag_lookup: TagLookup,
        tagger: BulkTagPort,
        checkpoints: CheckpointStore,
        runs: RunStore,
        load_directory: Callable[[], DomainDirectory],
        digest: DigestPort | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        safety_margin_seconds: float = DEFAULT_SAFETY_MARGIN_SECONDS,
        parent_cache_size: int = PARENT_CACHE_SIZE,
        rules: AdminRules = NO_RULES,
    ) -> None:
        self._rules = rules
        self._options = options
        self._scope = scope
        self._catalog = catalog
        self._tag_lookup = tag_lookup
        self._tagger = tagger
        self._checkpoints = checkpoints
        self._runs = runs
        self._load_directory = load_directory
        self._digest = digest
        self._clock = clock
        self._sleep = sleep
        self._margin = safety_margin_seconds
        self._parents = _ParentCache(parent_cache_size)
        self._directories: dict[str, DomainDirectory] = {}
        # Listed resources trusted on their domain tag, without a Describe.
        self._undescribed: set[str] = set()
        # Pipeline execution ARN -> who started it (None: nobody SageMaker recorded).
        self._executions: dict[str, CreatorRecord | None] = {}

    # ------------------------------------------------------------------ plan

    def plan(self, owner: str) -> SweepPlan:
        """Start a run, or resume the unfinished one: an interrupted run is never started over."""
        now = self._clock()
        current = self._checkpoints.current_run()
        if current is not None and current.status is RunStatus.RUNNING:
            if current.leased_to_another(owner, now, RUN_LEASE_SECONDS):
                return SweepPlan(
                    current.run_id,
                    owner,
                    [],
                    skipped=(
                        f"run {current.run_id} of {current.owner} is still in progress "
                        f"(last heartbeat {int(now - current.heartbeat_at)} s ago)"
                    ),
                )
            current.owner, current.heartbeat_at = owner, now
            self._checkpoints.save_run(current)
            return SweepPlan(current.run_id, owner, current.waves, resumed=True)
        run_id = f"{datetime.fromtimestamp(now, UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
        return self._start_run(run_id, owner, now, _utc_now_iso(now))

    def plan_run(self, owner: str, run_id: str, started_at: str | None = None) -> SweepPlan:
        """Start the run `run_id`, or resume it: one account's part of an organization run.

        The organization run's lease decides who sweeps (`sweep.organization`), so this
        one takes the run over whoever held it. A finished run has nothing left to sweep;
        an unfinished run of an earlier organization run is abandoned for this one.
        """
        now = self._clock()
        current = self._checkpoints.current_run()
        if current is not None and current.run_id == run_id:
            if current.status is RunStatus.FINISHED:
                return SweepPlan(run_id, owner, [], resumed=True)
            current.owner, current.heartbeat_at = owner, now
            self._checkpoints.save_run(current)
            return SweepPlan(run_id, owner, current.waves, resumed=True)
        return self._start_run(run_id, owner, now, started_at or _utc_now_iso(now))

    def _start_run(self, run_id: str, owner: str, now: float, started_at: str) -> SweepPlan:
        """A new run: its waves, the directory it judges by, and its checkpoint."""
        waves = [[t.name for t in wave] for wave in sweep_waves(self._options.sweepable_types())]
        self._runs.save_directory(run_id, directory_to_dict(self._load_directory()))
        self._checkpoints.save_run(
            SweepRun(
                run_id=run_id,
                started_at=started_at,
                mode=self._options.mode.value,
                dry_run=self._options.dry_run,
                waves=waves,
                owner=owner,
                heartbeat_at=now,
            )
        )
        return SweepPlan(run_id, owner, waves)

    # ------------------------------------------------------------------ one type

    def sweep_type(
        self,
        run_id: str,
        type_name: str,
        owner: str,
        time_left: Callable[[], float] = lambda: math.inf,
        on_page: Callable[[PageReport], None] | None = None,
    ) -> SliceResult:
        """Pages of one type until it is done or less than the safety margin is left.

        Always one page at least, so every invocation makes progress.
        """
        try:
            run = self._run(run_id)
        except SupersededError:
            return SliceResult(run_id, type_name, done=True, superseded=True)
        if run.owner != owner:
            return SliceResult(run_id, type_name, done=True, superseded=True)
        progress = self._checkpoints.progress(run_id, type_name)
        resource_type = registry.by_name(type_name)
        directory = self._directory(run_id)
        pages = resources = 0
        while not progress.done:
            if pages and time_left() < self._margin:
                break
            if not self._checkpoints.heartbeat(run_id, owner, self._clock()):
                return SliceResult(run_id, type_name, done=True, superseded=True)
            try:
                page = read_page(
                    resource_type,
                    progress.cursor,
                    self._catalog,
                    self._tag_lookup,
                    self._scope,
                    known_arns=_studio_arns(directory),
                )
                # The first page of an invocation may be one an interrupted attempt wrote.
                actions = self._process_page(
                    run,
                    type_name=type_name,
                    page=page,
                    page_index=progress.next_page,
                    directory=directory,
                    merge=not pages,
                )
            except StaleCursorError:
                if progress.restarts >= MAX_RESTARTS_PER_TYPE:
                    self._give_up(run_id, progress, "the service kept rejecting saved cursors")
                    raise
                progress = replace(progress, cursor=None, restarts=progress.restarts + 1)
                self._checkpoints.save_progress(run_id, progress)
                continue
            except OperationUnavailableError as error:
                # Not offered in this region (or by the loaded SDK): once per run, no retry,
                # and not an incomplete type (tag_enforcer.sweep.report.SweepSummary).
                progress = replace(
                    progress, done=True, unavailable=f"unavailable in {self._scope.region}: {error}"
                )
                self._checkpoints.save_progress(run_id, progress)
                break
            except Exception as error:
                self._give_up(run_id, progress, f"{type(error).__name__}: {error}")
                raise
            progress = replace(
                progress,
                cursor=page.next_cursor,
                next_page=progress.next_page + 1,
                done=page.next_cursor is None,
                error=None,
            )
            self._checkpoints.save_progress(run_id, progress)
            pages += 1
            resources += len(page.resources)
            if on_page is not None:
                report = PageReport(
                    type_name, progress.next_page - 1, len(page.resources), actions, progress.done
                )
                on_page(report)
        return SliceResult(run_id, type_name, progress.done, pages, resources)

    def _give_up(self, run_id: str, progress: TypeProgress, reason: str) -> None:
        self._checkpoints.save_progress(run_id, replace(progress, error=reason[:500]))

    def _run(self, run_id: str) -> SweepRun:
        run = self._checkpoints.current_run()
        if run is None or run.run_id != run_id:
            raise SupersededError(f"sweep run {run_id} is not the current run")
        return run

    def _directory(self, run_id: str) -> DomainDirectory:
        if run_id not in self._directories:
            snapshot = self._runs.load_directory(run_id)
            if snapshot is None:
                directory = self._load_directory()
                self._runs.save_directory(run_id, directory_to_dict(directory))
            else:
                directory = directory_from_dict(snapshot)
            self._directories = {run_id: directory}
        return self._directories[run_id]

    # ------------------------------------------------------------------ one page

    def _with_evidence(self, page: ResourcePage) -> tuple[list[SweptResource], list[ReportRow]]:
        """Describe the resources whose summary lacks their evidence; drop the gone.

        Resources that already carry a domain tag are not described (unless
        `verify_tagged`): their rows say the tag was trusted without its evidence.
        """
        kept: list[SweptResource] = []
        gone: list[ReportRow] = []
        for resource in page.resources:
            call = describe_call(resource)
            if call is not None and not (lacks_domain_tag(resource) or self._options.verify_tagged):
                self._undescribed.add(resource.arn)
                call = None
            if call is None:
                kept.append(resource)
                continue
            try:
                described = self._catalog.describe(*call)
            except ResourceGoneError:
                gone.append(
                    ReportRow(
                        resource.arn,
                        resource.resource_type.name,
                        Outcome.IGNORE.value,
                        SweepAction.RESOURCE_GONE,
                        note="deleted before it could be described",
                    )
                )
                continue
            kept.append(replace(resource, document={**resource.document, **described}))
        return kept, gone

    def _learn_parents(self, resources: list[SweptResource]) -> None:
        """One GetResources call per 100 parents of untagged resources that are not known yet.

        Resources that already carry a domain tag only use parents already known, so a
        steady-state sweep makes no parent look-ups.
        """
        unknown = {
            parent_arn
            for resource in resources
            if lacks_domain_tag(resource)
            for _, parent_arn in lineage_references(
                resource.resource_type, resource.document, resource.tags, self._scope
            )
            if parent_arn not in self._parents
        }
        if unknown:
            for arn, tags in lookup_tags(unknown, self._tag_lookup).items():
                self._parents.put(arn, tags)

    def _pipeline_creators(self, resource: SweptResource) -> tuple[CreatorRecord, ...]:
        """Who started the pipeline run that made an untagged resource: one Describe per run."""
        execution = pipeline_execution_arn(resource.tags)
        if execution is None or not lacks_domain_tag(resource):
            return ()
        if execution not in self._executions:
            try:
                described = self._catalog.describe(
                    "DescribePipelineExecution", {"PipelineExecutionArn": execution}
                )
            except ResourceGoneError:
                described = {}
            self._executions[execution] = creator_record(
                described, "CreatedBy", "DescribePipelineExecution"
            )
            while len(self._executions) > PARENT_CACHE_SIZE:
                self._executions.pop(next(iter(self._executions)))
        found = self._executions[execution]
        return () if found is None else (found,)

    def _decide(
        self, resource: SweptResource, directory: DomainDirectory, changes_tags: bool
    ) -> tuple[AttributionDecision, SweepAction, dict[str, str], str]:
        request = attribution_request(
            resource, self._parents.view(), self._scope, self._pipeline_creators(resource)
        )
        decision = attribute(request, directory, self._rules)
        if not decision.verified and resource.arn in self._undescribed:
            decision = replace(
                decision,
                evidence=(
                    *decision.evidence,
                    Evidence(
                        "sweep-read",
                        {"read": f"the {resource.resource_type.name} listing and its tags"},
                        "the resource carries a domain tag, so it was not described: its tag "
                        "is trusted, not verified (tag-enforcer sweep --verify-tagged reads it)",
                    ),
                ),
            )
        if decision.outcome is Outcome.TAG:
            if not changes_tags:
                return decision, SweepAction.WOULD_TAG, {}, ""
            try:
                # Only keys the resource lacks; a value already there is never rewritten.
                missing = tags_to_add(decision.missing_tags, resource.tags)
            except InvalidTagError as error:
                return decision, SweepAction.FAILED, {}, str(error)
            return decision, SweepAction.TAGGED, missing, ""
        if decision.outcome is Outcome.FLAG:
            return decision, SweepAction.FLAGGED, {}, ""
        return decision, SweepAction.NONE, {}, ""

    def _process_page(
        self,
        run: SweepRun,
        *,
        type_name: str,
        page: ResourcePage,
        page_index: int,
        directory: DomainDirectory,
        merge: bool,
    ) -> Counter[str]:
        changes_tags = run.mode == EnforcementMode.TAG.value and not run.dry_run
        resources, rows = self._with_evidence(page)
        resources, young = self._old_enough(resources)
        rows.extend(young)
        self._learn_parents(resources)
        wanted: dict[str, dict[str, str]] = {}
        row_index: dict[str, int] = {}
        decided: dict[str, tuple[SweptResource, AttributionDecision]] = {}
        for resource in resources:
            decision, action, missing, note = self._decide(resource, directory, changes_tags)
            if missing:
                wanted[resource.arn] = missing
            row_index[resource.arn] = len(rows)
            decided[resource.arn] = (resource, decision)
            rows.append(self._row(resource, decision, action, note))
        if wanted:
            # GetResources is eventually consistent and TagResources overwrites: what this
            # page read may be seconds old. Read the tags again, and write only keys that
            # are still absent; a resource whose tags changed is judged again.
            for arn, fresh in self._reread(list(wanted), resources).items():
                resource, _ = decided[arn]
                if enforced_tags(fresh) == enforced_tags(resource.tags):
                    continue
                resource = replace(resource, tags=fresh)
                decision, action, missing, note = self._decide(resource, directory, changes_tags)
                decided[arn] = (resource, decision)
                rows[row_index[arn]] = self._row(resource, decision, action, note)
                if missing:
                    wanted[arn] = missing
                else:
                    wanted.pop(arn)
        for resource, decision in decided.values():
            if resource.resource_type.name in _PARENT_TYPES:
                # Children swept later in this run see the tags this page leaves behind
                # (or would leave, in audit mode and dry runs: the report is a preview).
                self._parents.put(resource.arn, {**resource.tags, **decision.missing_tags})
        self._runs.put_page(run.run_id, type_name, page_index, rows, merge)
        if wanted:
            outcomes = apply_batches(self._tagger, plan_batches(wanted), sleep=self._sleep)
            changed = False
            for arn, outcome in outcomes.items():
                if outcome.result is TagResult.TAGGED:
                    continue
                changed = True
                action = (
                    SweepAction.RESOURCE_GONE
                    if outcome.result is TagResult.GONE
                    else SweepAction.FAILED
                )
                rows[row_index[arn]] = rows[row_index[arn]].with_action(action, outcome.detail)
                self._parents.put(arn, {})
            if changed:
                self._runs.put_page(run.run_id, type_name, page_index, rows, merge=True)
        return Counter(row.action.value for row in rows)

    @staticmethod
    def _row(
        resource: SweptResource, decision: AttributionDecision, action: SweepAction, note: str
    ) -> ReportRow:
        return ReportRow.from_decision(
            resource.arn,
            resource.resource_type.name,
            decision,
            action=action,
            current_tags=enforced_tags(resource.tags),
            note=note,
        )

    def _old_enough(
        self, resources: list[SweptResource]
    ) -> tuple[list[SweptResource], list[ReportRow]]:
        """Resources younger than the lag window are left to the event path and the next
        sweep: their create event may still be on its way, and the tags read may lag."""
        cutoff = self._clock() - self._options.lag_window_seconds
        kept, young = [], []
        for resource in resources:
            made = created_at(resource.document)
            if made is not None and made > cutoff:
                young.append(
                    ReportRow(
                        resource.arn,
                        resource.resource_type.name,
                        Outcome.IGNORE.value,
                        SweepAction.TOO_YOUNG,
                        note="younger than the lag window: left to its create event",
                    )
                )
            else:
                kept.append(resource)
        return kept, young

    def _reread(self, arns: list[str], resources: list[SweptResource]) -> dict[str, dict[str, str]]:
        """Every ARN's tags as they are now: one GetResources per 100 ARNs, or ListTags for
        types the Tagging API does not see."""
        by_arn = {r.arn: r for r in resources}
        direct = [a for a in arns if by_arn[a].resource_type.tags_via_tagging_api]
        fresh = lookup_tags(direct, self._tag_lookup) if direct else {}
        found = {arn: fresh.get(arn.lower(), {}) for arn in direct}
        for arn in arns:
            if arn not in found:
                found[arn] = self._catalog.list_tags(arn)
        return found

    # ------------------------------------------------------------------ finish

    def finish(self, run_id: str, owner: str) -> SweepResult:
        """Write the report, send the run's one digest, close the run. Safe to repeat.

        An owner whose run was taken over steps aside: the new owner finishes it.
        """
        run = self._run(run_id)
        summary = SweepSummary(unavailable_types=self._options.unavailable_types())
        for name in run.type_names:
            progress = self._checkpoints.progress(run_id, name)
            if not progress.done:
                summary.incomplete_types[name] = progress.error or "not finished"
            elif progress.unavailable:
                summary.unavailable_types[name] = progress.unavailable
        if run.status is RunStatus.FINISHED:
            return SweepResult(
                run, summary, dict(run.report), digest_sent=False, already_finished=True
            )
        if run.owner != owner:
            return SweepResult(run, summary, {}, digest_sent=False, superseded=True)
        run.finished_at = _utc_now_iso(self._clock())
        previous = self._runs.previous_coverage(run_id)
        compliance = ComplianceCollector()
        rows = compliance.collect(summary.counted(self._runs.rows(run_id, run.type_names)))
        report = self._runs.publish_report(run, rows, summary.to_dict)
        page = build_report(
            compliance,
            run_id=run.run_id,
            started_at=run.started_at,
            finished_at=run.finished_at,
            mode=run.mode,
            dry_run=run.dry_run,
            incomplete_types=summary.incomplete_types,
            unavailable_types=summary.unavailable_types,
            previous=CoverageSnapshot.from_dict(previous) if previous else None,
            account=self._scope.account,
            region=self._scope.region,
        )
        report = {
            **report,
            "html": self._runs.publish_document(run, "report.html", render_html(page), "text/html"),
        }
        self._runs.save_coverage(run, page.current.to_dict())
        digest_sent = False
        if self._digest is not None and self._checkpoints.claim_digest(run_id):
            try:
                self._digest.publish(
                    build_digest(run, summary, report, self._scope.account, self._scope.region)
                )
            except Exception:
                self._checkpoints.release_digest(run_id)
                raise
            digest_sent = True
        run.digest_claimed = run.digest_claimed or digest_sent
        run.status, run.report = RunStatus.FINISHED, report
        self._checkpoints.save_run(run)
        return SweepResult(run, summary, report, digest_sent)

    # ------------------------------------------------------------------ all in one process

    def run(
        self,
        owner: str,
        on_page: Callable[[PageReport], None] | None = None,
        on_type_error: Callable[[str, Exception], bool] | None = None,
    ) -> SweepResult:
        """Plan, sweep every type and finish, in this process; resumes an unfinished run.

        `on_type_error(type, error)` decides whether a failing type is reported as
        incomplete (True) or stops the sweep (False, the default).
        """
        plan = self.plan(owner)
        if plan.skipped:
            raise RunInProgressError(plan.skipped)
        for wave in plan.waves:
            for type_name in wave:
                try:
                    while not self.sweep_type(plan.run_id, type_name, owner, on_page=on_page).done:
                        pass
                except Exception as error:
                    if on_type_error is None or not on_type_error(type_name, error):
                        raise
        return self.finish(plan.run_id, owner)
