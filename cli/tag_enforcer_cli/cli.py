"""Entry point of the `tag-enforcer` operator CLI."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from importlib import metadata

from tag_enforcer_cli.conventions import EXIT_CODES_HELP, EXIT_INTERRUPTED

# Each module registers one subcommand and sets `func` on its parser; func(args) -> exit code.
COMMAND_MODULES: tuple[str, ...] = (
    "tag_enforcer_cli.commands.demo",
    "tag_enforcer_cli.commands.emulator",
    "tag_enforcer_cli.commands.isolation_policy",
    "tag_enforcer_cli.commands.cost_tags",
    "tag_enforcer_cli.commands.sweep",
    "tag_enforcer_cli.commands.explain",
    "tag_enforcer_cli.commands.report",
    "tag_enforcer_cli.commands.operator_policy",
)
DISTRIBUTION = "sagemaker-domain-tag-enforcer"


def version() -> str:
    """The installed distribution's version (pyproject.toml), as pip recorded it."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed; run make .venv)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tag-enforcer",
        description="Find, tag and report SageMaker resources by domain, user profile and space.",
        epilog=EXIT_CODES_HELP + "\nDocumentation: docs/cli.md",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tag-enforcer {version()}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        exit_code: int = args.func(args)
    except KeyboardInterrupt:
        # Commands that can resume say how themselves; the rest stop with one line.
        print(f"tag-enforcer {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
