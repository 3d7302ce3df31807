"""`tag-enforcer operator-policy`: the IAM policy a person needs to run this CLI.

`--mode audit` (the default): read-only, for `sweep --dry-run` (or `--mode audit`),
`explain` and `report`. `--mode tag`: adds `tag:TagResources` and `sagemaker:AddTags`
for `sweep --mode tag`. Prints one policy document as JSON; attach it to the role or
user an operator signs in as. No AWS call is made.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from tag_enforcer_cli.operator_policy import operator_policy

COMMAND = "operator-policy"
EXIT_OK = 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        COMMAND,
        help="print the least-privilege IAM policy for running sweep, explain and report",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--mode",
        choices=("audit", "tag"),
        default="audit",
        help="audit: read-only (the default); tag: also what sweep --mode tag writes",
    )
    parser.add_argument("--account", default="*", help="scope resources to this account id")
    parser.add_argument("--region", default="*", help="scope resources to this region")
    parser.add_argument(
        "--partition", default="aws", help="ARN partition (aws, aws-cn, aws-us-gov)"
    )
    parser.add_argument(
        "--report-bucket",
        metavar="BUCKET",
        help="also allow reading the deployed sweep's reports (report --from s3://BUCKET/...)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    document = operator_policy(
        args.mode,
        partition=args.partition,
        region=args.region,
        account=args.account,
        report_bucket=args.report_bucket,
    )
    sys.stdout.write(json.dumps(document, indent=2) + "\n")
    return EXIT_OK
