"""`tag-enforcer report`: turn a sweep's JSON report into the visual compliance report.

    tag-enforcer report --from report.json --html compliance.html
    tag-enforcer report --from s3://BUCKET/reports/DATE/RUN/report.json --html out.html \\
        --previous s3://BUCKET/reports/DATE/RUN/report.json
    tag-enforcer report --from org.json --account 222233334444 --html member.html
    tag-enforcer report --from s3://BUCKET/reports/DATE/RUN/organization.json \\
        --organization --html organization.html

The HTML file is self-contained (inline CSS and SVG, nothing fetched): coverage by
domain and resource type, every finding with its evidence and the fix, and the change
since --previous. An s3:// source is read with the standard credential chain
(s3:GetObject on the key). Nothing in the account changes.

With --account ID (repeatable) or --organization the source is a report across accounts:
`sweep --account/--organization --report FILE.json`, or the deployed organization
sweep's organization.json, whose sections point at each account's report. The HTML
covers the accounts asked for (every swept one with --organization), their domains side
by side; accounts that could not be swept are named on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console
from rich.table import Table

from tag_enforcer.aws.clients import client
from tag_enforcer.sweep.compliance import (
    ROW_COVERAGE,
    ComplianceReport,
    CoverageSnapshot,
    ReportDocumentError,
    coverage_share,
    domain_label,
    load_document,
    report_from_document,
    snapshot_from_document,
)
from tag_enforcer.sweep.report_html import render_html
from tag_enforcer_cli.accounts import add_account_choice
from tag_enforcer_cli.aws_errors import explain
from tag_enforcer_cli.conventions import (
    EXIT_CODES_HELP,
    EXIT_FINDINGS,
    EXIT_OK,
    add_output_options,
    fail,
    print_json,
    unwritable,
)

COMMAND = "report"
_DEFAULT_REGION = "us-east-1"  # S3 redirects a GetObject to the bucket's own region


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        COMMAND,
        help="write the visual (HTML) compliance report of a sweep's JSON report",
        description=__doc__,
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="REPORT",
        help="a sweep's JSON report: a file, or s3://bucket/key",
    )
    parser.add_argument(
        "--html", required=True, type=Path, metavar="FILE", help="where to write the HTML report"
    )
    parser.add_argument(
        "--previous",
        metavar="REPORT",
        help="an earlier JSON report (file or s3://): the HTML shows the change since it",
    )
    parser.add_argument("--region", help="region of the S3 client (default: AWS_REGION)")
    add_account_choice(
        parser,
        "from a report across accounts, this account's section (repeatable)",
        "from a report across accounts, every account that was swept",
    )
    add_output_options(parser)
    parser.set_defaults(func=run)


def read_source(location: str, region: str | None) -> str | bytes:
    """The text of a local file or an S3 object."""
    if location.startswith("s3://"):
        bucket, _, key = location.removeprefix("s3://").partition("/")
        if not bucket or not key:
            raise ReportDocumentError(f"{location} is not s3://bucket/key")
        s3 = client("s3", region or os.environ.get("AWS_REGION") or _DEFAULT_REGION)
        body: bytes = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        return body
    try:
        return Path(location).read_text(encoding="utf-8")
    except OSError as error:
        raise ReportDocumentError(f"cannot read {location}: {error.strerror}") from error


def run(args: argparse.Namespace) -> int:
    problem = unwritable(args.html)
    if problem:
        return fail(COMMAND, f"--html {args.html}: {problem}")
    client.cache_clear()
    try:
        previous: CoverageSnapshot | None = None
        if args.previous:
            previous = snapshot_from_document(
                load_document(read_source(args.previous, args.region), args.previous)
            )
        document = load_document(read_source(args.source, args.region), args.source)
        if args.account or args.organization:
            document = _accounts_document(document, args.account, args.region, args.source)
        report = report_from_document(document, previous)
    except ReportDocumentError as error:
        return fail(COMMAND, str(error))
    except (BotoCoreError, ClientError) as error:
        return fail(COMMAND, explain(error) or f"{type(error).__name__}: {error}")
    args.html.write_text(render_html(report), encoding="utf-8")
    if args.output == "json" and not args.quiet:
        print_json(report_document(report, args.html))
    elif not args.quiet:
        Console().print(domain_table(report))
        Console(stderr=True).print(f"report written to {args.html}")
    if args.fail_on_findings and report.finding_count:
        return EXIT_FINDINGS
    return EXIT_OK


def _accounts_document(
    document: Mapping[str, Any], wanted: list[str] | None, region: str | None, where: str
) -> dict[str, Any]:
    """One sweep document of the accounts asked for (None: every swept one), their rows
    side by side; an account's types are named with it where they differ by account."""
    sections = document.get("sections", document.get("accounts"))
    if not isinstance(sections, list) or not all(isinstance(s, Mapping) for s in sections):
        raise ReportDocumentError(
            f"{where} is not a report across accounts (no 'accounts' or 'sections'); "
            "drop --account/--organization for a single account's report"
        )
    present = sorted({str(s.get("account")) for s in sections})
    missing = sorted(set(wanted or ()) - set(present))
    if missing:
        raise ReportDocumentError(
            f"{where} has no section for {', '.join(missing)}; it covers {', '.join(present)}"
        )
    rows: list[Any] = []
    incomplete: dict[str, str] = {}
    unavailable: dict[str, str] = {}
    first: Mapping[str, Any] | None = None
    for section in sections:
        account = str(section.get("account"))
        if wanted is not None and account not in wanted:
            continue
        where_section = f"{where}, account {account}"
        if section.get("status") != "finished":
            error = section.get("error") or section.get("status")
            print(
                f"tag-enforcer {COMMAND}: account {account} was not swept: {error}", file=sys.stderr
            )
            continue
        report = section.get("report")
        if isinstance(report, str):
            report = load_document(read_source(report, region), report)
        if not isinstance(report, Mapping) or not isinstance(report.get("rows"), list):
            raise ReportDocumentError(f"{where_section}: its report has no 'rows'")
        first = first or report
        rows.extend(report["rows"])
        summary = report.get("summary") or {}
        for name, reason in (summary.get("incompleteTypes") or {}).items():
            incomplete[f"{name} ({account})"] = reason
        unavailable.update(summary.get("unavailableTypes") or {})
    if first is None:
        raise ReportDocumentError(f"{where}: none of the accounts asked for was swept")
    return {
        "runId": str(document.get("runId") or first.get("runId", "")),
        "startedAt": document.get("startedAt") or first.get("startedAt", ""),
        "finishedAt": document.get("finishedAt") or first.get("finishedAt", ""),
        "mode": document.get("mode") or first.get("mode", ""),
        "dryRun": document.get("dryRun", first.get("dryRun", False)),
        "rows": rows,
        "summary": {"incompleteTypes": incomplete, "unavailableTypes": unavailable},
    }


def report_document(report: ComplianceReport, html: Path) -> dict[str, Any]:
    """The summary `--output json` prints."""
    change = report.change()
    return {
        "command": COMMAND,
        "runId": report.run_id,
        "account": report.account,
        "region": report.region,
        "mode": report.mode,
        "dryRun": report.dry_run,
        "html": str(html),
        "totals": {c.value: report.totals.get(c.value, 0) for c in ROW_COVERAGE},
        "byDomain": {
            domain or "none": {c.value: counts.get(c.value, 0) for c in ROW_COVERAGE}
            for domain, counts in sorted(report.current.by_domain().items())
        },
        "findings": report.finding_count,
        "incompleteTypes": dict(report.incomplete_types),
        "unavailableTypes": dict(report.unavailable_types),
        "change": None
        if change is None
        else {
            "previousRunId": change.previous_run_id,
            "newFindings": len(change.new_findings),
            "resolvedFindings": len(change.resolved_findings),
        },
    }


def domain_table(report: ComplianceReport) -> Table:
    table = Table(title=f"Coverage of run {report.run_id} ({report.judged} resources judged)")
    table.add_column("domain", no_wrap=True)
    for category in ROW_COVERAGE:
        table.add_column(category.value, justify="right")
    table.add_column("covered", justify="right")
    for domain, counts in sorted(report.current.by_domain().items()):
        share = coverage_share(counts)
        table.add_row(
            domain_label(domain),
            *(str(counts.get(c.value, 0)) for c in ROW_COVERAGE),
            "-" if share is None else f"{share * 100:.0f}%",
        )
    return table
