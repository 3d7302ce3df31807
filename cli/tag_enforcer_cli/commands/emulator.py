"""`tag-enforcer emulator`: an emulated AWS account on 127.0.0.1 for trying the CLI.

Serves the extended moto server (the one `make demo` and the tests use) until Ctrl-C,
and prints the environment that points boto3 at it. With --seed it holds the demo's
world: two domains with their profiles, resources made inside and outside Studio,
tagged and untagged. Like `demo`, it needs the development tools (the `dev` extra),
imported only when it runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

COMMAND = "emulator"
EXIT_REFUSED = 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        COMMAND,
        help="serve an emulated AWS account on 127.0.0.1 until Ctrl-C (no AWS account needed)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--seed", action="store_true", help="create the demo's domains, profiles and resources"
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from tag_enforcer_dev.emulator_session import serve  # noqa: PLC0415 - dev tools optional
    except ModuleNotFoundError as error:
        print(
            f"tag-enforcer {COMMAND}: the emulator needs the development tools ({error.name} "
            "is missing); install them with: pip install 'sagemaker-domain-tag-enforcer[dev]'",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    try:
        return serve(seed=args.seed, port=args.port, out=sys.stdout)
    except OSError as error:
        print(f"tag-enforcer {COMMAND}: cannot serve on port {args.port}: {error}", file=sys.stderr)
        return EXIT_REFUSED
