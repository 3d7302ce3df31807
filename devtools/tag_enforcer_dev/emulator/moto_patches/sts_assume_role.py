"""moto 5.2.5's sts:AssumeRole hands out credentials for any role ARN; STS checks the role.

moto's AssumeRole "does not need the role to exist" (its own docstring): any ARN, in any
account, works, whatever the role's trust policy says. STS answers AccessDenied when
the role is missing or its trust policy does not allow the caller (STS API reference,
AssumeRole; IAM User Guide, "Policy evaluation logic", cross-account requests). The
organization emulation depends on that refusal: a member without its member role, or
whose trust names other roles, must refuse the central functions.

`install()` makes AssumeRole over HTTP check, before moto's own handler runs:

- the role exists in the account its ARN names;
- a statement of its trust policy allows `sts:AssumeRole` to the caller: a Principal
  "AWS" naming the caller's account root, its ARN or "*", and every condition holding
  for the caller, with the operators and keys the project's templates use:
  StringEquals, StringLike, ArnEquals and ArnLike on aws:PrincipalArn, aws:PrincipalOrgID
  and aws:PrincipalAccount. Any other operator or key denies, so a template using one
  fails loudly here instead of passing by accident.

The caller is read from the request's access key the way moto itself reads it: an
assumed-role session is its role's ARN (aws:PrincipalArn of a role session is the
role, IAM User Guide, "AWS global condition context keys"), anything else the account's
root. Explicit Deny statements, session policies, SCPs and identity policies are not
evaluated (moto does not enforce IAM). The emulator assumes execution roles for its
in-process Lambda handlers through moto's backend directly, as the Lambda service
would, so this check sits on the HTTP path only.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

from moto.iam.models import get_account_id_from, iam_backends
from moto.organizations.models import organizations_backends
from moto.sts.exceptions import STSClientError
from moto.sts.models import sts_backends
from moto.sts.responses import TokenResponse

_original_assume_role = TokenResponse.assume_role
_KEYS = {"aws:principalarn", "aws:principalorgid", "aws:principalaccount"}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def organization_of(account: str) -> str | None:
    """The organization id moto's Organizations backend holds for the account."""
    member = organizations_backends.master_accounts.get(account)
    management, partition = member if member is not None else (account, "aws")
    organization = organizations_backends[management][partition].org
    return organization.id if organization is not None else None


def caller_of(access_key: str) -> tuple[str, str]:
    """(account, principal ARN) of the request's credentials, as STS would see them."""
    account = get_account_id_from(access_key)
    for backend in sts_backends[account].values():
        session = backend.get_assumed_role_from_access_key(access_key)
        if session is not None:
            return account, session.role_arn
    return account, f"arn:aws:iam::{account}:root"


def _principal_matches(principal: Any, account: str, principal_arn: str) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    for value in _as_list(principal.get("AWS", [])):
        if value in ("*", account, f"arn:aws:iam::{account}:root", principal_arn):
            return True
    return False


def _condition_holds(condition: dict[str, Any], context: dict[str, str]) -> bool:
    for operator, block in condition.items():
        for key, expected in block.items():
            if key.lower() not in _KEYS or operator not in (
                "StringEquals",
                "StringLike",
                "ArnEquals",
                "ArnLike",
            ):
                return False  # not emulated: deny rather than guess
            actual = context.get(key.lower())
            if actual is None:
                return False
            patterns = [str(v) for v in _as_list(expected)]
            if operator in ("StringEquals", "ArnEquals"):
                matched = actual in patterns
            else:
                matched = any(fnmatch.fnmatchcase(actual, p) for p in patterns)
            if not matched:
                return False
    return True


def trust_allows(trust: dict[str, Any], account: str, principal_arn: str) -> bool:
    context = {"aws:principalarn": principal_arn, "aws:principalaccount": account}
    organization = organization_of(account)
    if organization is not None:
        context["aws:principalorgid"] = organization
    for statement in _as_list(trust.get("Statement", [])):
        if statement.get("Effect") != "Allow":
            continue
        if "sts:AssumeRole" not in _as_list(statement.get("Action", [])):
            continue
        if not _principal_matches(statement.get("Principal"), account, principal_arn):
            continue
        if _condition_holds(statement.get("Condition", {}), context):
            return True
    return False


def _assume_role(self: TokenResponse) -> Any:
    role_arn = self._get_param("RoleArn") or ""
    account, principal_arn = caller_of(self.get_access_key())
    refusal = STSClientError(
        "AccessDenied",
        f"User: {principal_arn} is not authorized to perform: sts:AssumeRole on resource: "
        f"{role_arn}",
    )
    parts = role_arn.split(":")
    if len(parts) < 6 or not parts[5].startswith("role/"):
        raise refusal
    try:
        role = iam_backends[parts[4]]["global"].get_role_by_arn(role_arn)
    except Exception as error:  # moto's IAMNotFoundException: no such role there
        raise refusal from error
    trust = role.assume_role_policy_document
    document = json.loads(trust) if isinstance(trust, str) else trust
    if not trust_allows(document, account, principal_arn):
        raise refusal
    return _original_assume_role(self)


def install() -> None:
    """Idempotent: AssumeRole over HTTP honours the role's existence and trust policy."""
    TokenResponse.assume_role = _assume_role  # type: ignore[method-assign]
