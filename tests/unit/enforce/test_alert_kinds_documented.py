"""Every finding kind a subscriber can receive is in the README's and the operations page's
`kind` attribute row, so a filter policy written from the docs misses none."""

from __future__ import annotations

import re

import pytest

from tag_enforcer.enforce.alerts import FindingKind
from tests.support.project import PROJECT_ROOT

KINDS = {value for name, value in vars(FindingKind).items() if name.isupper()}


def _documented_kinds(page: str) -> set[str]:
    row = re.search(r"^\| `kind` \|.*$", page, re.M)
    assert row is not None, "no `kind` row in the attribute table"
    return set(re.findall(r"`([a-z-]+)`", row[0].split("|", 2)[2]))


@pytest.mark.parametrize("page", ["README.md", "docs/operations.md"])
def test_the_kind_row_lists_every_finding_kind(page: str) -> None:
    assert _documented_kinds((PROJECT_ROOT / page).read_text()) >= KINDS


def test_the_check_sees_a_kind_left_out() -> None:
    page = "| `kind` | String | `mismatch`, `ambiguous` |\n"
    assert KINDS - _documented_kinds(page) >= {"unattributable", "enforcement-error"}
