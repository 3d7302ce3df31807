"""An Organization's accounts as the enforcer sees them: ids, names, and where a sweep runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OrganizationAccount:
    account_id: str
    name: str | None = None


class AccountSource(Protocol):
    def active_accounts(self, parent_id: str | None = None) -> list[OrganizationAccount]:
        """Active accounts of the Organization, or under one OU and the OUs below it."""
        ...


# The account's name, or None when Organizations cannot tell: names are best effort.
AccountNames = Callable[[str], str | None]


def no_names(account_id: str) -> str | None:
    """AccountNames of a single-account deployment: ids only."""
    return None
