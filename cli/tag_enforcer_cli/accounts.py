"""The options that take a command beyond the operator's own account: `--account ID`
(repeatable) or `--organization`, with `--member-role NAME`.

Other accounts are entered through the member role, assumed exactly as the deployed
functions assume it (`tag_enforcer.wiring.accounts`). The operator's own account needs
no role.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from tag_enforcer.core.resources import AccountScope
from tag_enforcer.wiring.accounts import OperatorAccounts

# template.yaml's MemberRoleName default, which member-template.yaml shares.
DEFAULT_MEMBER_ROLE = "SageMakerTagEnforcerMember"
# An IAM role name: 1-64 characters of [\w+=,.@-] (IAM API reference, CreateRole).
_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")


def account_id(text: str) -> str:
    """argparse type: a 12-digit account id."""
    value = text.strip()
    if not (value.isascii() and value.isdigit() and len(value) == 12):
        raise argparse.ArgumentTypeError(f"{text!r} is not a 12-digit AWS account id")
    return value


def role_name(text: str) -> str:
    if not _ROLE_NAME.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not an IAM role name")
    return text


def add_account_choice(parser: Any, account_help: str, organization_help: str) -> None:
    """`--account ID` (repeatable) or `--organization`, one or the other."""
    accounts = parser.add_mutually_exclusive_group()
    accounts.add_argument(
        "--account",
        metavar="ID",
        action="append",
        type=account_id,
        default=None,
        help=account_help,
    )
    accounts.add_argument("--organization", action="store_true", help=organization_help)


def add_account_options(parser: Any, what: str) -> None:
    add_account_choice(
        parser,
        f"{what} in this account (repeatable); others than yours through --member-role",
        f"{what} in every active account of the Organization (needs the management "
        "account or a delegated administrator, for ListAccounts)",
    )
    parser.add_argument(
        "--member-role",
        metavar="NAME",
        type=role_name,
        default=None,
        help=f"the role member-template.yaml made in each account (default {DEFAULT_MEMBER_ROLE}); "
        "its OperatorRoleArns must name your role",
    )


def spans_accounts(args: argparse.Namespace) -> bool:
    return bool(args.account or args.organization or args.member_role)


def operator_accounts(args: argparse.Namespace, home: AccountScope) -> OperatorAccounts:
    return OperatorAccounts(home, args.member_role or DEFAULT_MEMBER_ROLE)


def chosen_accounts(args: argparse.Namespace, accounts: OperatorAccounts) -> list[str]:
    """The accounts the command covers: the --account list in order (each once), every
    active account of the Organization, or the operator's own."""
    if args.organization:
        return [a.account_id for a in accounts.organization_accounts()]
    if args.account:
        return list(dict.fromkeys(args.account))
    return [accounts.home.account]
