"""The Organization's accounts and their names, read from AWS Organizations.

Only the management account or a delegated administrator may call these (Organizations
API reference, ListAccounts, ListAccountsForParent and DescribeAccount), so the client
comes from the functions' own role when the central account is one of them, or from
the delegated-administrator read role (template parameter OrganizationReadRoleArn).

List calls can return an empty page with a NextToken; only a missing NextToken ends
the listing (same reference, the note on every List operation).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from tag_enforcer.aws.errors import translate_client_error
from tag_enforcer.core.errors import PermanentAwsError, TransientAwsError
from tag_enforcer.core.organization import OrganizationAccount

# ListAccounts and ListAccountsForParent take MaxResults 1-20 (Organizations API reference).
PAGE_SIZE = 20
# Account names change rarely; a name is asked for again after a day, a failure after an hour.
NAME_TTL_SECONDS = 24 * 3600
NAME_FAILURE_TTL_SECONDS = 3600


class OrganizationAccounts:
    """AccountSource and AccountNames over a boto3 Organizations client."""

    def __init__(self, organizations_client: Any, clock: Callable[[], float] = time.time) -> None:
        self._client = organizations_client
        self._clock = clock
        self._names: dict[str, tuple[float, str | None]] = {}

    def _pages(self, operation: str, **request: Any) -> Iterator[dict[str, Any]]:
        call = getattr(self._client, operation)
        request = {**request, "MaxResults": PAGE_SIZE}
        try:
            while True:
                page: dict[str, Any] = call(**request)
                yield page
                if not page.get("NextToken"):
                    return
                request["NextToken"] = page["NextToken"]
        except ClientError as error:
            raise translate_client_error(error, f"Organizations {operation}") from error
        except BotoCoreError as error:
            raise TransientAwsError(f"Organizations {operation} failed: {error}") from error

    def active_accounts(self, parent_id: str | None = None) -> list[OrganizationAccount]:
        """Every active account, or those under one OU (its child OUs included), by id."""
        if parent_id is None:
            listed = [a for page in self._pages("list_accounts") for a in page.get("Accounts", [])]
        else:
            listed = []
            parents = [parent_id]
            while parents:
                parent = parents.pop(0)
                for page in self._pages("list_accounts_for_parent", ParentId=parent):
                    listed.extend(page.get("Accounts", []))
                # StackSets deploys to an OU and every OU below it; the sweep covers the same.
                for page in self._pages("list_organizational_units_for_parent", ParentId=parent):
                    parents.extend(ou["Id"] for ou in page.get("OrganizationalUnits", []))
        accounts = {}
        for account in listed:
            # State replaces the deprecated Status (Organizations API reference, Account).
            state = account.get("State") or account.get("Status")
            if state == "ACTIVE":
                accounts[account["Id"]] = OrganizationAccount(account["Id"], account.get("Name"))
                self._names[account["Id"]] = (self._clock(), account.get("Name"))
        return sorted(accounts.values(), key=lambda a: a.account_id)

    def account_name(self, account_id: str) -> str | None:
        """The account's name, or None when Organizations cannot tell (best effort, cached)."""
        now = self._clock()
        cached = self._names.get(account_id)
        if cached is not None:
            at, name = cached
            if now - at < (NAME_TTL_SECONDS if name else NAME_FAILURE_TTL_SECONDS):
                return name
        try:
            described = self._client.describe_account(AccountId=account_id)
            name = described.get("Account", {}).get("Name") or None
        except (ClientError, BotoCoreError, PermanentAwsError, TransientAwsError):
            # A name is a courtesy in an alert: without it the alert still names the id.
            name = None
        self._names[account_id] = (now, name)
        return name
