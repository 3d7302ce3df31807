"""Entry point of the `tag-enforcer` operator CLI."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each module registers one subcommand and sets `func` on its parser; func(args) -> exit code.
COMMAND_MODULES: tuple[str, ...] = (
    "tag_enforcer_cli.commands.demo",
    "tag_enforcer_cli.commands.isolation_policy",
    "tag_enforcer_cli.commands.cost_tags",
    "tag_enforcer_cli.commands.sweep",
    "tag_enforcer_cli.commands.explain",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tag-enforcer",
        description="Find, tag and report SageMaker resources by domain, user profile and space.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    exit_code: int = args.func(args)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
