"""`tag-enforcer cost-tags`: show, or activate, the enforced tag keys for cost allocation."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, NoCredentialsError
from rich.console import Console
from rich.table import Table

from tag_enforcer.core.tags import USER_PROFILE_TAG
from tag_enforcer_cli.cost_tags import (
    CostAllocationActivation,
    CostAllocationTagsError,
    CostAllocationTagState,
    CostAllocationTagStatus,
    activate_cost_allocation_tags,
    cost_allocation_tag_status,
)

COMMAND = "cost-tags"
EXIT_OK = 0
EXIT_SOME_KEYS_FAILED = 1
EXIT_REFUSED = 2

# Cost Explorer has one endpoint per partition: botocore's endpoint rules send
# every region of the aws partition to ce.us-east-1.amazonaws.com (checked with
# boto3 1.44.5), so a missing region only needs some default.
_DEFAULT_REGION = "us-east-1"
PAYER_ACCOUNT_NOTE = (
    "Cost allocation tags are managed from the management (payer) account of an "
    "AWS Organization, or from a standalone account: run this command there."
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        COMMAND,
        help="show or activate the enforced tag keys as cost allocation tags",
        description=(
            "Show the cost allocation status of sagemaker:domain-arn, "
            "sagemaker:user-profile-arn and sagemaker:space-arn. " + PAYER_ACCOUNT_NOTE
        ),
    )
    parser.add_argument(
        "--activate", action="store_true", help="activate the keys that are inactive"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    console = Console()
    activation: CostAllocationActivation | None = None
    try:
        ce_client = _cost_explorer_client()
        if args.activate:
            activation = activate_cost_allocation_tags(ce_client)
            statuses = list(activation.statuses)
        else:
            statuses = cost_allocation_tag_status(ce_client)
    except NoCredentialsError:
        print(
            f"tag-enforcer {COMMAND}: no AWS credentials found; configure credentials for the "
            "management (payer) account (AWS_PROFILE, environment variables or SSO)",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    except (CostAllocationTagsError, BotoCoreError) as error:
        print(f"tag-enforcer {COMMAND}: {error}", file=sys.stderr)
        return EXIT_REFUSED
    console.print(_status_table(statuses, activation))
    console.print(PAYER_ACCOUNT_NOTE)
    if activation is None:
        return EXIT_OK
    for tag_key, reason in activation.failed.items():
        print(f"tag-enforcer {COMMAND}: could not activate {tag_key}: {reason}", file=sys.stderr)
    return EXIT_SOME_KEYS_FAILED if activation.failed else EXIT_OK


def _status_table(
    statuses: list[CostAllocationTagStatus], activation: CostAllocationActivation | None
) -> Table:
    table = Table(title="Cost allocation tags")
    # The key is what the reader acts on, so it never wraps or gets cut.
    table.add_column("Tag key", no_wrap=True, min_width=len(USER_PROFILE_TAG))
    for column in ("Status", "Last used"):
        table.add_column(column, no_wrap=True)
    table.add_column("What next")
    for status in statuses:
        shown, advice = status.state.value, _advice(status.state)
        if activation and status.tag_key in activation.activated:
            # Billing User Guide, "Activating user-defined cost allocation tags":
            # activation can take up to 24 hours.
            shown, advice = "Activating", "requested; takes up to 24 hours"
        elif activation and status.tag_key in activation.failed:
            advice = f"activation failed: {activation.failed[status.tag_key]}"
        last_used = status.last_used[:10] if status.last_used else "-"  # the date part
        table.add_row(status.tag_key, shown, last_used, advice)
    return table


def _advice(state: CostAllocationTagState) -> str:
    if state is CostAllocationTagState.ACTIVE:
        return "none"
    if state is CostAllocationTagState.INACTIVE:
        return "run with --activate"
    # Cost Explorer lists a key only once billing data has carried it.
    return "appears once a billed resource carries it"


def _cost_explorer_client() -> Any:
    session = boto3.session.Session()
    return session.client("ce", region_name=session.region_name or _DEFAULT_REGION)
