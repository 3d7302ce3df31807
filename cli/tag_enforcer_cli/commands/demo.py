"""`tag-enforcer demo`: the enforcer end to end on an emulated account (no AWS account needed).

The demo runs on the dev tools (`tag_enforcer_dev`: moto, the SAM translator), which
are not installed with the CLI alone; they are imported only when the demo runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

COMMAND = "demo"
EXIT_REFUSED = 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        COMMAND,
        help="run the enforcer end to end on an emulated account (no AWS account needed)",
        description=__doc__,
    )
    parser.add_argument(
        "--mode", choices=("tag", "audit"), default="tag", help="EnforcementMode to deploy with"
    )
    parser.add_argument(
        "--organization",
        action="store_true",
        help="the organization part instead: a central account and two member accounts",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        # The dev tools are optional: imported only when the demo runs.
        from tag_enforcer_dev.demo import run_demo  # noqa: PLC0415
        from tag_enforcer_dev.demo_organization import run_organization_demo  # noqa: PLC0415
    except ModuleNotFoundError as error:
        print(
            f"tag-enforcer {COMMAND}: the demo needs the development tools ({error.name} is "
            "missing); install them with: pip install 'sagemaker-domain-tag-enforcer[dev]'",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    if args.organization:
        return run_organization_demo(args.mode)
    return run_demo(args.mode)
