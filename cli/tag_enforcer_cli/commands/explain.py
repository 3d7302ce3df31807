"""`tag-enforcer explain ARN`: why a resource belongs to a domain, or why the enforcer cannot tell.

Reads the resource (Describe, else its type's pages), its tags and its parents' tags
(ListTags) and the domain directory, then applies the sweep's rules and prints the
decision with every piece of evidence it rests on. It changes nothing. A resource of
another account is read through that account's member role (`--member-role`); with
`--account` or `--organization`, the ARN's account must be one of those.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console
from rich.table import Table

from tag_enforcer.aws.clients import client
from tag_enforcer.core.decisions import AttributionDecision, Outcome, evidence_to_dict
from tag_enforcer.core.errors import AccessDeniedError, ResourceGoneError, TransientAwsError
from tag_enforcer.core.resources import SweptResource
from tag_enforcer.core.tags import enforced_tags
from tag_enforcer.enforce.inspection import Inspection, InspectionError, parse_resource_arn
from tag_enforcer.wiring.accounts import OperatorAccounts
from tag_enforcer.wiring.inspection import build_resource_inspector
from tag_enforcer.wiring.sweep import scope_from_sts
from tag_enforcer_cli.accounts import (
    add_account_options,
    chosen_accounts,
    operator_accounts,
    spans_accounts,
)
from tag_enforcer_cli.aws_errors import explain as explain_error
from tag_enforcer_cli.conventions import (
    EXIT_CODES_HELP,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_REFUSED,
    add_output_options,
    print_json,
)

COMMAND = "explain"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        COMMAND,
        help="print why a resource belongs where it does (decision and evidence)",
        description=__doc__,
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("arn", help="the SageMaker resource ARN")
    add_output_options(parser)
    add_account_options(parser, "explain resources")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    client.cache_clear()
    try:
        accounts = _accounts(args)
        inspection = (
            explain_resource(args.arn) if accounts is None else explain_resource(args.arn, accounts)
        )
    except InspectionError as error:
        print(f"tag-enforcer {COMMAND}: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except (BotoCoreError, ClientError, AccessDeniedError, TransientAwsError) as error:
        message = explain_error(error) or f"{type(error).__name__}: {error}"
        print(f"tag-enforcer {COMMAND}: {message}", file=sys.stderr)
        return EXIT_REFUSED
    decision = inspection.decision
    if args.output == "json" and not args.quiet:
        print_json(explanation_document(inspection.resource, decision, inspection.parents))
    elif not args.quiet:
        Console().print(explanation_table(inspection.resource, decision, inspection.parents))
    if args.fail_on_findings and decision.outcome is Outcome.FLAG:
        return EXIT_FINDINGS
    return EXIT_OK


def _accounts(args: argparse.Namespace) -> tuple[OperatorAccounts, list[str] | None] | None:
    """The member role to enter other accounts with, and the accounts allowed (None: any)."""
    if not spans_accounts(args):
        return None
    arn, _ = parse_resource_arn(args.arn)
    accounts = operator_accounts(args, scope_from_sts(arn.region))
    allowed = chosen_accounts(args, accounts) if args.account or args.organization else None
    return accounts, allowed


def explain_resource(
    arn_text: str, accounts: tuple[OperatorAccounts, list[str] | None] | None = None
) -> Inspection:
    """The resource, its decision and its parents, read as the sweep would read them."""
    arn, _ = parse_resource_arn(arn_text)
    if accounts is None:
        inspector = build_resource_inspector(arn)
    else:
        operator, allowed = accounts
        if allowed is not None and arn.account not in allowed:
            raise InspectionError(
                f"{arn_text} is in account {arn.account}, which is not among the accounts "
                f"asked for ({', '.join(allowed[:5])}{'...' if len(allowed) > 5 else ''})"
            )
        operator.check(arn.account)
        inspector = build_resource_inspector(arn, operator.client_factory(arn.account))
    try:
        return inspector.inspect(arn_text)
    except ResourceGoneError as error:
        raise InspectionError(f"{arn_text} no longer exists") from error


def explanation_document(
    resource: SweptResource,
    decision: AttributionDecision,
    parents: dict[str, dict[str, str]],
) -> dict[str, object]:
    """The explanation as data: what `--output json` prints."""
    return {
        "command": COMMAND,
        "resourceArn": resource.arn,
        "resourceType": resource.resource_type.name,
        "enforcedTags": enforced_tags(resource.tags),
        "outcome": decision.outcome.value,
        "verified": decision.verified,
        "reason": decision.reason.value if decision.reason else None,
        "supportedTags": dict(decision.expected_tags),
        "missingTags": dict(decision.missing_tags),
        "contradictedTags": {
            key: {"found": found, "evidence": wanted}
            for key, (found, wanted) in sorted(decision.conflicting_tags.items())
        },
        "evidence": [evidence_to_dict(e) for e in decision.evidence],
        "parents": {arn: enforced_tags(tags) for arn, tags in parents.items()},
        "whatTheSweepDoes": _what_the_sweep_does(decision),
    }


def _tag_text(tags: dict[str, str]) -> str:
    return "\n".join(f"{k} = {v}" for k, v in sorted(tags.items())) or "-"


def _what_the_sweep_does(decision: AttributionDecision) -> str:
    if decision.outcome is Outcome.COMPLIANT:
        return "nothing: the resource is compliant"
    if decision.outcome is Outcome.TAG:
        return "tag mode adds the missing tags above; audit mode and dry runs report them"
    if decision.outcome is Outcome.FLAG:
        return "reports it in the sweep's digest and report; existing values are never changed"
    return "nothing"


def explanation_table(
    resource: SweptResource,
    decision: AttributionDecision,
    parents: dict[str, dict[str, str]],
) -> Table:
    table = Table(title=f"Why {resource.arn}", show_header=False, show_lines=True, expand=True)
    table.add_column("", style="bold", no_wrap=True)
    table.add_column("", overflow="fold")
    table.add_row("type", resource.resource_type.name)
    table.add_row("enforced tags now", _tag_text(enforced_tags(resource.tags)))
    verdict = decision.outcome.value + (f" ({decision.reason.value})" if decision.reason else "")
    table.add_row("decision", verdict)
    if decision.expected_tags:
        table.add_row("tags the evidence supports", _tag_text(dict(decision.expected_tags)))
    if decision.missing_tags:
        table.add_row("missing", _tag_text(dict(decision.missing_tags)))
    if decision.conflicting_tags:
        table.add_row(
            "contradicted",
            "\n".join(
                f"{k}: found {found}, evidence says {wanted or '(nothing that exists)'}"
                for k, (found, wanted) in sorted(decision.conflicting_tags.items())
            ),
        )
    for index, evidence in enumerate(decision.evidence, start=1):
        fields = ", ".join(f"{k}={v}" for k, v in evidence.fields.items())
        table.add_row(f"evidence {index}: {evidence.rule}", f"{fields}\n→ {evidence.conclusion}")
    for parent_arn, parent_tags in parents.items():
        table.add_row("parent", f"{parent_arn}\n{_tag_text(enforced_tags(parent_tags))}")
    table.add_row("what the sweep does", _what_the_sweep_does(decision))
    return table
