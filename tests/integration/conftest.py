"""Fixtures that seed an in-process emulated account (tests/support/seeded_account.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.seeded_account import Seeded, seeded_account


@pytest.fixture(scope="module")
def seeded() -> Iterator[Seeded]:
    """270 legacy resources in a fresh account, one account per test module."""
    with seeded_account() as account:
        yield account
