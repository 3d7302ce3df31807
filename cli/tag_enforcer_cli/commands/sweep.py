"""`tag-enforcer sweep`: run the deployed sweep's code locally, with a progress bar and a summary.

It reads the account the standard boto3 credential chain points to (AWS_PROFILE,
environment, SSO) and honours AWS_ENDPOINT_URL, as boto3 itself does.

With --checkpoint FILE the progress is kept in FILE and the report pages in the folder
FILE.d beside it: a sweep interrupted (Ctrl-C, a closed laptop) and run again with the
same FILE resumes from its last page, and its report covers the whole run.

With --account ID (repeatable) or --organization it sweeps each account in turn,
entering the others through their member role (--member-role); one account failing
stops none of the others.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from tag_enforcer.aws.clients import client
from tag_enforcer.core.errors import AccessDeniedError, RoleUnavailableError, TransientAwsError
from tag_enforcer.core.resources import AccountScope
from tag_enforcer.core.settings import EnforcementMode
from tag_enforcer.sweep.checkpoint import CheckpointStore
from tag_enforcer.sweep.compliance import ReportDocumentError, load_document, snapshot_from_document
from tag_enforcer.sweep.report import SweepAction, SweepSummary
from tag_enforcer.sweep.service import PageReport, RunInProgressError, SweepResult
from tag_enforcer.sweep.settings import SweepOptions, UnknownResourceTypeError
from tag_enforcer.wiring.sweep import build_sweep_service, scope_from_sts
from tag_enforcer_cli.accounts import (
    add_account_options,
    chosen_accounts,
    operator_accounts,
    spans_accounts,
)
from tag_enforcer_cli.aws_errors import explain
from tag_enforcer_cli.conventions import (
    EXIT_CODES_HELP,
    EXIT_FINDINGS,
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REFUSED,
    add_output_options,
    print_json,
    unwritable,
)
from tag_enforcer_cli.local_stores import (
    InMemoryCheckpointStore,
    JsonFileCheckpointStore,
    JsonFileRunStore,
)

COMMAND = "sweep"
CLI_OWNER = "cli"  # one local operator: a rerun with the same --checkpoint resumes
REPORT_FORMATS = {"csv": "report.csv", "json": "report.json", "html": "report.html"}
_COLUMNS = (
    ("compliant", SweepAction.NONE),
    ("tagged", SweepAction.TAGGED),
    ("to tag", SweepAction.WOULD_TAG),
    ("flagged", SweepAction.FLAGGED),
    ("gone", SweepAction.RESOURCE_GONE),
    ("too young", SweepAction.TOO_YOUNG),
    ("failed", SweepAction.FAILED),
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        COMMAND,
        help="find untagged and mistagged SageMaker resources, and tag them in tag mode",
        description=__doc__,
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--mode",
        choices=[m.value for m in EnforcementMode],
        default=EnforcementMode.AUDIT.value,
        help="audit only reports (the default); tag also adds missing tags, never overwriting",
    )
    parser.add_argument("--dry-run", action="store_true", help="change nothing, whatever the mode")
    parser.add_argument(
        "--types",
        metavar="T1,T2",
        default="",
        help="registry type names, any case (default: every type)",
    )
    parser.add_argument(
        "--report",
        metavar="FILE",
        type=Path,
        action="append",
        default=[],
        help="write the report to FILE.csv, FILE.json or FILE.html (the visual report); "
        "repeat for several",
    )
    parser.add_argument(
        "--previous",
        metavar="FILE",
        type=Path,
        help="an earlier sweep's JSON report: the HTML report shows the change since it "
        "(with --checkpoint, the last sweep with the same FILE is used by default)",
    )
    parser.add_argument("--region", help="region to sweep (default: AWS_REGION or the config)")
    parser.add_argument(
        "--checkpoint",
        metavar="FILE",
        type=Path,
        help="keep progress in FILE and report pages in FILE.d; running again with it "
        "resumes an interrupted sweep",
    )
    parser.add_argument(
        "--lag-window",
        metavar="MINUTES",
        type=int,
        default=15,
        help="leave resources younger than this to their create event (default 15)",
    )
    parser.add_argument(
        "--verify-tagged",
        action="store_true",
        help="also describe listed resources that carry a domain tag, to catch spoofed tags",
    )
    add_output_options(parser)
    add_account_options(parser, "sweep")
    parser.set_defaults(func=run)


def _fail(message: str, code: int = EXIT_REFUSED) -> int:
    print(f"tag-enforcer {COMMAND}: {message}", file=sys.stderr)
    return code


def pages_folder(checkpoint: Path) -> Path:
    """Where the report pages of a checkpointed sweep live: FILE.d beside FILE."""
    return checkpoint.with_name(checkpoint.name + ".d")


def _check_outputs(args: argparse.Namespace) -> str | None:
    """Every output path checked before anything runs: one problem, or None."""
    for path in args.report:
        report_format = path.suffix.lower().lstrip(".")
        if report_format not in REPORT_FORMATS:
            return (
                f"--report {path}: the file name must end in .csv or .json (the data) "
                "or .html (the visual report)"
            )
        if report_format == "html" and spans_accounts(args):
            return (
                f"--report {path}: the visual report covers one account; across accounts "
                "write .json or .csv, or sweep one account for its HTML report"
            )
        problem = unwritable(path)
        if problem:
            return f"--report {path}: {problem}"
    if args.checkpoint is not None:
        problem = unwritable(args.checkpoint)
        if problem:
            return f"--checkpoint {args.checkpoint}: {problem}"
        folder = pages_folder(args.checkpoint)
        if folder.exists() and not folder.is_dir():
            return f"--checkpoint {args.checkpoint}: {folder} is in the way of its pages folder"
    return None


def _previous_snapshot(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ReportDocumentError(f"cannot read {path}: {error.strerror}") from error
    return snapshot_from_document(load_document(text, str(path))).to_dict()


@contextmanager
def _run_store(args: argparse.Namespace, previous: dict[str, Any] | None) -> Iterator[Any]:
    """Pages beside the checkpoint, or in a temporary folder for a sweep that cannot resume."""
    if args.checkpoint is not None:
        yield JsonFileRunStore(pages_folder(args.checkpoint), previous=previous)
        return
    with tempfile.TemporaryDirectory(prefix="tag-enforcer-sweep-") as folder:
        yield JsonFileRunStore(Path(folder), previous=previous)


def _interrupted(args: argparse.Namespace) -> int:
    if args.checkpoint is not None:
        hint = (
            f"progress is kept in {args.checkpoint}; run the same command again "
            f"(with --checkpoint {args.checkpoint}) to resume from the last page"
        )
    else:
        hint = "nothing was kept; run it with --checkpoint FILE to make a sweep resumable"
    return _fail(f"interrupted; {hint}", EXIT_INTERRUPTED)


def run(args: argparse.Namespace) -> int:
    problem = _check_outputs(args)
    if problem:
        return _fail(problem)
    options = SweepOptions(
        mode=EnforcementMode(args.mode),
        dry_run=args.dry_run,
        type_names=tuple(n.strip() for n in args.types.split(",") if n.strip()),
        verify_tagged=args.verify_tagged,
        lag_window_seconds=max(0, args.lag_window) * 60.0,
    )
    try:
        types = options.sweepable_types()
        previous = _previous_snapshot(args.previous)
    except (UnknownResourceTypeError, ReportDocumentError) as error:
        return _fail(str(error))
    try:
        with _run_store(args, previous) as runs:
            return _sweep(args, options, len(types), runs)
    except KeyboardInterrupt:
        return _interrupted(args)


def _sweep(args: argparse.Namespace, options: SweepOptions, type_count: int, runs: Any) -> int:
    console = Console(stderr=True, quiet=args.quiet)
    checkpoints: CheckpointStore = (
        JsonFileCheckpointStore(args.checkpoint) if args.checkpoint else InMemoryCheckpointStore()
    )
    # Clients are cached per process; a fresh command reads the environment afresh.
    client.cache_clear()
    try:
        region = args.region or os.environ.get("AWS_REGION") or boto3.session.Session().region_name
        if not region:
            return _fail("no AWS region; pass --region or set AWS_REGION")
        scope = scope_from_sts(region)
        if spans_accounts(args):
            return _sweep_accounts(args, options, type_count, home=scope, console=console)
        service = build_sweep_service(options, scope, checkpoints=checkpoints, runs=runs)
        result = _sweep_with_progress(service, type_count, console)
    except RunInProgressError as error:
        return _fail(f"{error}; wait for it, or use another --checkpoint file")
    except (BotoCoreError, ClientError, AccessDeniedError, TransientAwsError) as error:
        return _fail(explain(error) or f"{type(error).__name__}: {error}")
    written = {}
    for path in args.report:
        source = Path(result.report[path.suffix.lower().lstrip(".")])
        shutil.copyfile(source, path)
        written[str(path)] = str(path)
    summary = result.summary
    code = exit_code(summary, args.fail_on_findings)
    what = "dry run" if options.dry_run else f"{options.mode.value} mode"
    if args.output == "json" and not args.quiet:
        print_json(
            {
                "command": COMMAND,
                "account": scope.account,
                "region": region,
                "mode": options.mode.value,
                "dryRun": options.dry_run,
                "runId": result.run.run_id,
                "summary": summary.to_dict(),
                "reports": sorted(written),
                "exitCode": code,
            }
        )
    elif not args.quiet:
        out = Console()
        out.print(summary_table(summary, f"Sweep of {scope.account} {region} ({what})"))
        if summary.incomplete_types or summary.unavailable_types:
            out.print(types_table(summary))
        for path in written:
            console.print(f"report written to {path}")
    for type_name, reason in summary.incomplete_types.items():
        print(f"tag-enforcer {COMMAND}: {type_name} not swept: {reason}", file=sys.stderr)
    return code


def exit_code(summary: SweepSummary, fail_on_findings: bool) -> int:
    """1 for incomplete types (the sweep did not see everything), else 3 for findings when
    asked, else 0."""
    if summary.incomplete_types:
        return EXIT_INCOMPLETE
    if fail_on_findings and summary.flagged:
        return EXIT_FINDINGS
    return EXIT_OK


def _account_checkpoint(path: Path, account: str) -> Path:
    """One checkpoint file per account beside FILE: FILE.<account>.json."""
    return path.with_name(f"{path.stem}.{account}{path.suffix or '.json'}")


def _sweep_accounts(
    args: argparse.Namespace,
    options: SweepOptions,
    type_count: int,
    *,
    home: AccountScope,
    console: Console,
) -> int:
    """Each account in turn, through its member role; a failing account is recorded."""
    accounts = operator_accounts(args, home)
    chosen = chosen_accounts(args, accounts)
    names = {a: accounts.account_name(a) for a in chosen} if args.organization else {}
    what = "dry run" if options.dry_run else f"{options.mode.value} mode"
    text_output = args.output != "json" and not args.quiet
    results: dict[str, SweepResult] = {}
    failed: dict[str, str] = {}
    # Report pages beside each account's checkpoint (FILE.<account>.json.d), so a resumed
    # account's report covers its whole run; without --checkpoint, in a scratch folder.
    with tempfile.TemporaryDirectory(prefix="tag-enforcer-sweep-") as scratch:
        for account in chosen:
            if args.checkpoint:
                account_checkpoint = _account_checkpoint(args.checkpoint, account)
                checkpoints: CheckpointStore = JsonFileCheckpointStore(account_checkpoint)
                pages = pages_folder(account_checkpoint)
            else:
                checkpoints, pages = InMemoryCheckpointStore(), Path(scratch) / account
            try:
                accounts.check(account)
                service = build_sweep_service(
                    options,
                    accounts.scope(account, home.region),
                    checkpoints=checkpoints,
                    runs=JsonFileRunStore(pages),
                    client_factory=accounts.client_factory(account),
                )
                results[account] = _sweep_with_progress(service, type_count, console)
            except RoleUnavailableError as error:
                failed[account] = str(error)
            except RunInProgressError as error:
                failed[account] = f"{error}; wait for it, or use another --checkpoint file"
            except (BotoCoreError, ClientError, AccessDeniedError, TransientAwsError) as error:
                failed[account] = explain(error) or f"{type(error).__name__}: {error}"
            if account in failed:
                message = f"account {account}: {failed[account]}"
                print(f"tag-enforcer {COMMAND}: {message}", file=sys.stderr)
                continue
            if text_output:
                label = f"{account} ({names[account]})" if names.get(account) else account
                title = f"Sweep of {label} {home.region} ({what})"
                Console().print(summary_table(results[account].summary, title))
        for path in args.report:
            path.write_text(
                _accounts_report(
                    chosen,
                    names=names,
                    results=results,
                    failed=failed,
                    report_format=path.suffix.lower().lstrip("."),
                )
            )
            console.print(f"report written to {path}")
    incomplete = any(r.summary.incomplete_types for r in results.values())
    flagged = any(r.summary.flagged for r in results.values())
    code = (
        EXIT_INCOMPLETE
        if failed or incomplete
        else EXIT_FINDINGS
        if args.fail_on_findings and flagged
        else EXIT_OK
    )
    if args.output == "json" and not args.quiet:
        print_json(
            {
                "command": COMMAND,
                "region": home.region,
                "mode": options.mode.value,
                "dryRun": options.dry_run,
                "accounts": [
                    {"account": account, "accountName": names.get(account)}
                    | (
                        {"status": "failed", "error": failed[account]}
                        if account in failed
                        else {
                            "status": "finished",
                            "runId": results[account].run.run_id,
                            "summary": results[account].summary.to_dict(),
                        }
                    )
                    for account in chosen
                ],
                "reports": sorted(str(path) for path in args.report),
                "exitCode": code,
            }
        )
    elif text_output:
        Console().print(accounts_table(chosen, names, results, failed, f"Accounts ({what})"))
    return code


def accounts_table(
    chosen: list[str],
    names: dict[str, str | None],
    results: dict[str, SweepResult],
    failed: dict[str, str],
    title: str,
) -> Table:
    """One line per account: what the sweep did there, or why it could not sweep it."""
    table = Table(title=title)
    table.add_column("account", no_wrap=True)
    table.add_column("name")
    table.add_column("resources", justify="right")
    for heading, _ in _COLUMNS:
        table.add_column(heading, justify="right")
    for account in chosen:
        if account in failed:
            table.add_row(account, names.get(account) or "", "[red]failed", failed[account][:60])
            continue
        summary = results[account].summary
        table.add_row(
            account,
            names.get(account) or "",
            str(summary.total),
            *(str(summary.by_action.get(action.value, 0)) for _, action in _COLUMNS),
        )
    return table


def _accounts_report(
    chosen: list[str],
    *,
    names: dict[str, str | None],
    results: dict[str, SweepResult],
    failed: dict[str, str],
    report_format: str,
) -> str:
    """One report for every account: JSON with a section each, or the CSVs one after another
    (the header once; each row's ARN names its account)."""
    if report_format == "json":
        sections = []
        for account in chosen:
            section: dict[str, Any] = {"account": account, "accountName": names.get(account)}
            if account in failed:
                section.update(status="failed", error=failed[account])
            else:
                report = Path(results[account].report["json"]).read_text(encoding="utf-8")
                section.update(status="finished", report=json.loads(report))
            sections.append(section)
        return json.dumps({"accounts": sections}, indent=2)
    lines: list[str] = []
    for account in chosen:
        if account in failed:
            continue
        text = Path(results[account].report["csv"]).read_text(encoding="utf-8").splitlines()
        lines.extend(text if not lines else text[1:])
    return "\n".join(lines) + ("\n" if lines else "")


def _sweep_with_progress(service: Any, type_count: int, console: Console) -> SweepResult:
    """Two lines: resources swept so far (the total is not known ahead), then the types."""
    swept: Counter[str] = Counter()
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description:<9}"),
        BarColumn(bar_width=30),
        TextColumn("{task.fields[count]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        resources = progress.add_task("resources", total=None, count="0 swept")
        types = progress.add_task("types", total=type_count, count=f"0/{type_count}")
        done_types = 0

        def show_types(current: str) -> None:
            progress.update(
                types, completed=done_types, count=f"{done_types}/{type_count} · {current}"
            )

        def on_page(page: PageReport) -> None:
            nonlocal done_types
            swept[page.type_name] += page.resources
            total = sum(swept.values())
            progress.update(resources, completed=total, count=f"{total:,} swept")
            if page.type_done:
                done_types += 1
            show_types(page.type_name)

        def on_type_error(type_name: str, error: Exception) -> bool:
            nonlocal done_types
            # Permission errors stop the sweep: every later type would fail the same way.
            if isinstance(error, AccessDeniedError | BotoCoreError):
                return False
            progress.console.print(f"[red]{type_name}[/red] not swept: {error}")
            done_types += 1
            show_types(type_name)
            return True

        result: SweepResult = service.run(CLI_OWNER, on_page=on_page, on_type_error=on_type_error)
        total = sum(swept.values())
        progress.update(resources, total=max(total, 1), completed=max(total, 1))
        progress.update(resources, count=f"{total:,} swept")
        done_types = type_count
        show_types("done")
    return result


# Shown even when zero: what a reader looks for first. The rest only when they happened.
_ALWAYS_SHOWN = frozenset(
    {SweepAction.NONE, SweepAction.TAGGED, SweepAction.WOULD_TAG, SweepAction.FLAGGED}
)


def summary_table(summary: SweepSummary, title: str) -> Table:
    """Resources per type and what the sweep did with them; types with none are left out,
    and so are the columns of rarer actions (gone, failed) none of them had."""
    totals = summary.by_action  # every row counted by action, over all types
    columns = [
        (heading, action)
        for heading, action in _COLUMNS
        if action in _ALWAYS_SHOWN or totals.get(action.value, 0)
    ]
    table = Table(title=title)
    # A narrow terminal shortens long type names (with an ellipsis), never the counts.
    table.add_column("resource type", overflow="ellipsis")
    table.add_column("resources", justify="right", min_width=len("resources"))
    for heading, _ in columns:
        table.add_column(heading, justify="right", min_width=len(heading))
    for type_name, counts in sorted(summary.by_type.items()):
        table.add_row(
            type_name,
            str(sum(counts.values())),
            *(str(counts.get(action.value, 0) or "") for _, action in columns),
        )
    table.add_section()
    table.add_row(
        "[bold]all types",
        f"[bold]{summary.total}",
        *(f"[bold]{totals.get(action.value, 0)}" for _, action in columns),
    )
    return table


def types_table(summary: SweepSummary) -> Table:
    """Types the sweep could not finish (incomplete) or that the region lacks (unavailable)."""
    table = Table(title="Types not swept")
    table.add_column("resource type", no_wrap=True)
    table.add_column("state", no_wrap=True)
    table.add_column("why", overflow="fold")
    for type_name, reason in sorted(summary.incomplete_types.items()):
        table.add_row(f"[red]{type_name}", "[red]incomplete", reason)
    for type_name, reason in sorted(summary.unavailable_types.items()):
        table.add_row(type_name, "unavailable", reason)
    return table
