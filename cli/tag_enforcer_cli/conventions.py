"""What every `tag-enforcer` command shares: exit codes, --output and --quiet, output paths.

Exit codes (also in `tag-enforcer --help` and docs/cli.md):

    0    done
    1    done, but some resource types could not be swept (incomplete)
    2    could not run: bad input, credentials, permissions, endpoint, unwritable output
    3    done, and something was flagged (only with --fail-on-findings)
    130  interrupted (Ctrl-C)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_INCOMPLETE = 1
EXIT_REFUSED = 2
EXIT_FINDINGS = 3
# 128 + SIGINT, as shells report a process that Ctrl-C stopped (POSIX, "Exit Status").
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = """\
exit codes:
  0    done
  1    done, but some resource types could not be swept (sweep: incomplete types)
  2    could not run: bad input, credentials, permissions, endpoint, unwritable output
  3    done, and something was flagged (only with --fail-on-findings)
  130  interrupted (Ctrl-C)
"""


def add_output_options(parser: argparse.ArgumentParser, *, findings: bool = True) -> None:
    """--output, --quiet and (for commands that judge resources) --fail-on-findings."""
    parser.add_argument(
        "--output",
        choices=("text", "json"),
        default="text",
        help="text tables (the default), or the summary as one JSON document on stdout",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="print nothing but errors; the exit code tells"
    )
    if findings:
        parser.add_argument(
            "--fail-on-findings",
            action="store_true",
            help=f"exit {EXIT_FINDINGS} when anything is flagged (for CI and scheduled jobs)",
        )


def fail(command: str, message: str, code: int = EXIT_REFUSED) -> int:
    """One line on stderr that names the command; the exit code."""
    print(f"tag-enforcer {command}: {message}", file=sys.stderr)
    return code


def print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, indent=2, sort_keys=True, default=str) + "\n")


def unwritable(path: Path) -> str | None:
    """Why `path` cannot be written, or None when it can; checked before any work is done.

    Nothing is created: the folder must exist, and an existing file must be writable.
    """
    if path.is_dir():
        return f"{path} is a folder; give a file name"
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"folder {folder} does not exist; create it first"
    if path.exists():
        if not os.access(path, os.W_OK):
            return f"{path} is not writable"
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot create files in {folder}"
    return None
