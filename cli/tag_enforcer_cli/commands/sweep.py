"""`tag-enforcer sweep`: run the deployed sweep's code locally, with a progress bar and a summary.

It reads the account the standard boto3 credential chain points to (AWS_PROFILE,
environment, SSO) and honours AWS_ENDPOINT_URL, as boto3 itself does. With `--account ID`
(repeatable) or `--organization` it sweeps each account in turn, entering the others
through their member role (`--member-role`), and one account failing stops none of the
others.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tag_enforcer.aws.clients import client
from tag_enforcer.core.errors import AccessDeniedError, RoleUnavailableError, TransientAwsError
from tag_enforcer.core.resources import AccountScope
from tag_enforcer.core.settings import EnforcementMode
from tag_enforcer.sweep.checkpoint import CheckpointStore
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
from tag_enforcer_cli.local_stores import (
    InMemoryCheckpointStore,
    InMemoryRunStore,
    JsonFileCheckpointStore,
)

COMMAND = "sweep"
EXIT_OK = 0
EXIT_INCOMPLETE = 1
EXIT_REFUSED = 2
CLI_OWNER = "cli"  # one local operator: a rerun with the same --checkpoint resumes
_COLUMNS = (
    ("compliant", SweepAction.NONE),
    ("tagged", SweepAction.TAGGED),
    ("to tag", SweepAction.WOULD_TAG),
    ("flagged", SweepAction.FLAGGED),
    ("gone", SweepAction.RESOURCE_GONE),
    ("failed", SweepAction.FAILED),
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        COMMAND,
        help="find untagged and mistagged SageMaker resources, and tag them in tag mode",
        description=__doc__,
    )
    parser.add_argument(
        "--mode",
        choices=[m.value for m in EnforcementMode],
        default=EnforcementMode.AUDIT.value,
        help="audit only reports (the default); tag also adds missing tags, never overwriting",
    )
    parser.add_argument("--dry-run", action="store_true", help="change nothing, whatever the mode")
    parser.add_argument(
        "--types", metavar="T1,T2", default="", help="registry type names (default: every type)"
    )
    parser.add_argument(
        "--report", metavar="FILE", type=Path, help="write the report to FILE.csv or FILE.json"
    )
    parser.add_argument("--region", help="region to sweep (default: AWS_REGION or the config)")
    parser.add_argument(
        "--checkpoint",
        metavar="FILE",
        type=Path,
        help="keep progress in FILE; running again with it resumes an interrupted sweep",
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
    add_account_options(parser, "sweep")
    parser.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"tag-enforcer {COMMAND}: {message}", file=sys.stderr)
    return EXIT_REFUSED


def run(args: argparse.Namespace) -> int:
    report_format = None
    if args.report is not None:
        report_format = args.report.suffix.lower().lstrip(".")
        if report_format not in ("csv", "json"):
            return _fail(f"--report {args.report}: the file name must end in .csv or .json")
    options = SweepOptions(
        mode=EnforcementMode(args.mode),
        dry_run=args.dry_run,
        type_names=tuple(n.strip() for n in args.types.split(",") if n.strip()),
        verify_tagged=args.verify_tagged,
        lag_window_seconds=max(0, args.lag_window) * 60.0,
    )
    try:
        types = options.sweepable_types()
    except UnknownResourceTypeError as error:
        return _fail(str(error))
    console = Console(stderr=True)
    checkpoints: CheckpointStore = (
        JsonFileCheckpointStore(args.checkpoint) if args.checkpoint else InMemoryCheckpointStore()
    )
    runs = InMemoryRunStore()
    # Clients are cached per process; a fresh command reads the environment afresh.
    client.cache_clear()
    try:
        region = args.region or os.environ.get("AWS_REGION") or boto3.session.Session().region_name
        if not region:
            return _fail("no AWS region; pass --region or set AWS_REGION")
        scope = scope_from_sts(region)
        if spans_accounts(args):
            return _sweep_accounts(
                args, options, len(types), home=scope, console=console, report_format=report_format
            )
        service = build_sweep_service(options, scope, checkpoints=checkpoints, runs=runs)
        result = _sweep_with_progress(service, len(types), console)
    except RunInProgressError as error:
        return _fail(f"{error}; wait for it, or use another --checkpoint file")
    except (BotoCoreError, ClientError, AccessDeniedError, TransientAwsError) as error:
        return _fail(explain(error) or f"{type(error).__name__}: {error}")
    what = "dry run" if options.dry_run else f"{options.mode.value} mode"
    Console().print(summary_table(result.summary, f"Sweep of {scope.account} {region} ({what})"))
    if args.report is not None:
        args.report.write_text(runs.reports[result.run.run_id][report_format or "csv"])
        console.print(f"report written to {args.report}")
    if result.summary.incomplete_types:
        for type_name, reason in result.summary.incomplete_types.items():
            print(f"tag-enforcer {COMMAND}: {type_name} not swept: {reason}", file=sys.stderr)
        return EXIT_INCOMPLETE
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
    report_format: str | None,
) -> int:
    """Each account in turn, through its member role; a failing account is recorded."""
    accounts = operator_accounts(args, home)
    chosen = chosen_accounts(args, accounts)
    names = {a: accounts.account_name(a) for a in chosen} if args.organization else {}
    what = "dry run" if options.dry_run else f"{options.mode.value} mode"
    results: dict[str, SweepResult] = {}
    stores: dict[str, InMemoryRunStore] = {}
    failed: dict[str, str] = {}
    for account in chosen:
        checkpoints: CheckpointStore = (
            JsonFileCheckpointStore(_account_checkpoint(args.checkpoint, account))
            if args.checkpoint
            else InMemoryCheckpointStore()
        )
        stores[account] = InMemoryRunStore()
        try:
            accounts.check(account)
            service = build_sweep_service(
                options,
                accounts.scope(account, home.region),
                checkpoints=checkpoints,
                runs=stores[account],
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
            print(f"tag-enforcer {COMMAND}: account {account}: {failed[account]}", file=sys.stderr)
            continue
        label = f"{account} ({names[account]})" if names.get(account) else account
        Console().print(
            summary_table(results[account].summary, f"Sweep of {label} {home.region} ({what})")
        )
    Console().print(accounts_table(chosen, names, results, failed, f"Accounts ({what})"))
    if args.report is not None:
        args.report.write_text(
            _accounts_report(
                chosen,
                names=names,
                results=results,
                stores=stores,
                failed=failed,
                report_format=report_format or "csv",
            )
        )
        console.print(f"report written to {args.report}")
    incomplete = any(r.summary.incomplete_types for r in results.values())
    return EXIT_INCOMPLETE if failed or incomplete else EXIT_OK


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
        totals: Counter[str] = Counter()
        for counts in summary.by_type.values():
            totals.update(counts)
        table.add_row(
            account,
            names.get(account) or "",
            str(summary.total),
            *(str(totals.get(action.value, 0)) for _, action in _COLUMNS),
        )
    return table


def _accounts_report(
    chosen: list[str],
    *,
    names: dict[str, str | None],
    results: dict[str, SweepResult],
    stores: dict[str, InMemoryRunStore],
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
                run_id = results[account].run.run_id
                section.update(
                    status="finished", report=json.loads(stores[account].reports[run_id]["json"])
                )
            sections.append(section)
        return json.dumps({"accounts": sections}, indent=2)
    lines: list[str] = []
    for account in chosen:
        if account in failed:
            continue
        text = stores[account].reports[results[account].run.run_id]["csv"].splitlines()
        lines.extend(text if not lines else text[1:])
    return "\n".join(lines) + ("\n" if lines else "")


def _sweep_with_progress(service: Any, type_count: int, console: Console) -> SweepResult:
    swept: Counter[str] = Counter()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("types · {task.fields[resources]} resources"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("sweeping", total=type_count, resources=0)

        def on_page(page: PageReport) -> None:
            swept[page.type_name] += page.resources
            progress.update(
                task,
                description=f"sweeping {page.type_name}",
                resources=sum(swept.values()),
                advance=1 if page.type_done else 0,
            )

        def on_type_error(type_name: str, error: Exception) -> bool:
            # Permission errors stop the sweep: every later type would fail the same way.
            if isinstance(error, AccessDeniedError | BotoCoreError):
                return False
            progress.console.print(f"[red]{type_name}[/red] not swept: {error}")
            progress.update(task, advance=1)
            return True

        result: SweepResult = service.run(CLI_OWNER, on_page=on_page, on_type_error=on_type_error)
        progress.update(task, description="swept", completed=type_count)
    return result


def summary_table(summary: SweepSummary, title: str) -> Table:
    """Resources per type and what the sweep did with them; types with none are left out."""
    table = Table(title=title)
    table.add_column("resource type", no_wrap=True)
    table.add_column("resources", justify="right")
    for heading, _ in _COLUMNS:
        table.add_column(heading, justify="right")
    totals: Counter[str] = Counter()
    for type_name, counts in sorted(summary.by_type.items()):
        totals.update(counts)
        table.add_row(
            type_name,
            str(sum(counts.values())),
            *(str(counts.get(action.value, 0) or "") for _, action in _COLUMNS),
        )
    table.add_section()
    table.add_row(
        "[bold]all types",
        f"[bold]{summary.total}",
        *(f"[bold]{totals.get(action.value, 0)}" for _, action in _COLUMNS),
    )
    for type_name, reason in summary.incomplete_types.items():
        table.add_row(f"[red]{type_name}", "[red]incomplete", reason[:60])
    for type_name in summary.unavailable_types:
        table.add_row(f"[yellow]{type_name}", "[yellow]unavailable", "IAM has no actions yet")
    return table
