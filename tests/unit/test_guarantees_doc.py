"""docs/guarantees.md's table names the tests that prove each property; they must exist."""

from __future__ import annotations

import ast
import re

from tests.support.project import PROJECT_ROOT

# `tests/e2e/test_faults.py::test_name`, `tests/unit/core/test_attribution.py`, or
# `::test_name` for another test of the file named just before it.
REFERENCE = re.compile(r"`((?:tests/[\w/]+\.py)?)(?:::(\w+))?`")


def _guarantee_rows(page: str) -> list[str]:
    return [line for line in page.splitlines() if line.startswith("| ") and "`tests/" in line]


def _missing(row: str) -> list[str]:
    """The references of one table row that name no test file, or no test in that file."""
    missing: list[str] = []
    path = ""
    for file_part, test_name in REFERENCE.findall(row):
        if not file_part and not test_name:
            continue  # some other code span in the row, e.g. `Resource: "*"`
        path = file_part or path
        source = PROJECT_ROOT / path
        if not path or not source.is_file():
            missing.append(path or f"::{test_name} (no file before it)")
            continue
        if test_name:
            tree = ast.parse(source.read_text(encoding="utf-8"))
            defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
            if test_name not in defined:
                missing.append(f"{path}::{test_name}")
    return missing


def test_every_guarantee_names_tests_that_exist() -> None:
    rows = _guarantee_rows((PROJECT_ROOT / "docs" / "guarantees.md").read_text(encoding="utf-8"))
    assert len(rows) >= 15, "the Guarantees table was not found"
    missing = {row.split(" | ")[0].lstrip("| "): _missing(row) for row in rows}
    assert {prop: refs for prop, refs in missing.items() if refs} == {}


def test_the_check_catches_a_moved_file_and_a_renamed_test() -> None:
    row = (
        "| a property | `tests/unit/test_attribution.py`, "
        "`tests/unit/functions/test_enforce_handler.py::test_that_was_renamed` |"
    )
    assert _missing(row) == [
        "tests/unit/test_attribution.py",
        "tests/unit/functions/test_enforce_handler.py::test_that_was_renamed",
    ]
