"""A small IAM policy evaluator, so tests can prove what a generated policy allows and denies.

It follows the identity-policy logic of the IAM User Guide ("Policy evaluation
logic"): an explicit Deny in any statement wins, then any Allow, and otherwise
the request is implicitly denied.

Limits, stated plainly; anything outside them raises `UnsupportedPolicyElementError`
rather than being guessed at:

- Identity-based policies only: no resource policies, permission boundaries,
  session policies, SCPs/RCPs, or cross-account rules.
- Statement elements: `Sid`, `Effect`, `Action`, `Resource`, `Condition`. No
  `NotAction`, `NotResource`, `Principal` or `NotPrincipal`.
- `Version` must be "2012-10-17". Policy variables (`${...}`) are rejected.
- Condition operators: StringEquals, StringNotEquals, StringLike, StringNotLike,
  Null, and the ForAnyValue:/ForAllValues: forms of StringEquals and StringLike.
  No `...IfExists`, no case-insensitive, ARN, numeric, date, Boolean or IP operators.
- A single-valued operator given a multivalued context key (a list) raises; IAM's
  own behaviour there is a documented trap, and the generated policies avoid it.
- The request context is whatever the caller supplies. The evaluator does not know
  which keys AWS actually puts in a request for an action (for instance, that
  SageMaker authorizes tags on create as `sagemaker:AddTags` with
  `sagemaker:TaggingAction`); tests model that themselves.

    >>> policy = {"Version": "2012-10-17", "Statement": [
    ...     {"Effect": "Allow", "Action": "sagemaker:Describe*", "Resource": "*"}]}
    >>> evaluate(policy, AuthorizationRequest("sagemaker:DescribeModel", "arn:aws:sagemaker:::m"))
    <Decision.ALLOWED: 'allowed'>
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

SUPPORTED_VERSION = "2012-10-17"
_STATEMENT_ELEMENTS = frozenset({"Sid", "Effect", "Action", "Resource", "Condition"})

ContextValue = str | Sequence[str]


class UnsupportedPolicyElementError(ValueError):
    """A policy uses something this evaluator does not model; it refuses to guess."""


class Decision(StrEnum):
    ALLOWED = "allowed"
    EXPLICIT_DENY = "explicit deny"
    IMPLICIT_DENY = "implicit deny"


@dataclass(frozen=True)
class AuthorizationRequest:
    """One authorization: an action on a resource, with its request context keys.

    Context keys are matched case-insensitively, as IAM does for condition key
    names (IAM User Guide, "IAM JSON policy elements: Condition"); values are not.
    A multivalued key such as `aws:TagKeys` is given as a list.
    """

    action: str
    resource: str
    context: Mapping[str, ContextValue] = field(default_factory=dict)

    def value_of(self, key: str) -> ContextValue | None:
        wanted = key.lower()
        for name, value in self.context.items():
            if name.lower() == wanted:
                return value
        return None


def evaluate(
    policies: Mapping[str, Any] | Iterable[Mapping[str, Any]], request: AuthorizationRequest
) -> Decision:
    """The decision of one or more identity policies on `request`."""
    documents = [policies] if isinstance(policies, Mapping) else list(policies)
    allowed = False
    for document in documents:
        for statement in _statements(document):
            if not _applies(statement, request):
                continue
            if statement["Effect"] == "Deny":
                return Decision.EXPLICIT_DENY
            allowed = True
    return Decision.ALLOWED if allowed else Decision.IMPLICIT_DENY


def _statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if document.get("Version") != SUPPORTED_VERSION:
        raise UnsupportedPolicyElementError(
            f"policy Version {document.get('Version')!r}; only {SUPPORTED_VERSION} is modelled"
        )
    raw = document.get("Statement")
    statements = [raw] if isinstance(raw, Mapping) else list(raw or [])
    for statement in statements:
        unknown = set(statement) - _STATEMENT_ELEMENTS
        if unknown:
            raise UnsupportedPolicyElementError(
                f"statement elements {sorted(unknown)} are not modelled"
            )
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise UnsupportedPolicyElementError(f"Effect {statement.get('Effect')!r}")
        if "Action" not in statement or "Resource" not in statement:
            raise UnsupportedPolicyElementError("a statement needs both Action and Resource")
        if "${" in repr(statement):
            raise UnsupportedPolicyElementError("policy variables (${...}) are not modelled")
    return statements


def _applies(statement: Mapping[str, Any], request: AuthorizationRequest) -> bool:
    return (
        any(_wildcard_match(a, request.action, True) for a in _as_list(statement["Action"]))
        and any(
            _wildcard_match(r, request.resource, False) for r in _as_list(statement["Resource"])
        )
        and _conditions_hold(statement.get("Condition", {}), request)
    )


def _conditions_hold(
    condition: Mapping[str, Mapping[str, Any]], request: AuthorizationRequest
) -> bool:
    # Operators, and keys within an operator, are ANDed; values of one key are
    # ORed (IAM User Guide, "Creating a condition with multiple keys or values").
    for operator, keys in condition.items():
        test = _operator(operator)
        for key, policy_values in keys.items():
            if not test([str(v) for v in _as_list(policy_values)], request.value_of(key)):
                return False
    return True


ConditionTest = Callable[[list[str], ContextValue | None], bool]


def _operator(name: str) -> ConditionTest:
    qualifier, _, base = name.rpartition(":")
    if base.endswith("IfExists"):
        raise UnsupportedPolicyElementError(
            f"condition operator {name}: ...IfExists is not modelled"
        )
    matchers: dict[str, Callable[[str, str], bool]] = {
        "StringEquals": lambda pattern, value: pattern == value,
        "StringLike": lambda pattern, value: _wildcard_match(pattern, value, False),
    }
    negated = {"StringNotEquals": "StringEquals", "StringNotLike": "StringLike"}
    if name == "Null":
        return _null_test
    if not qualifier and base in matchers:
        return _single_valued(matchers[base], negate=False)
    if not qualifier and base in negated:
        return _single_valued(matchers[negated[base]], negate=True)
    if qualifier in ("ForAnyValue", "ForAllValues") and base in matchers:
        return _set_test(matchers[base], every=qualifier == "ForAllValues")
    raise UnsupportedPolicyElementError(f"condition operator {name} is not modelled")


def _single_valued(matches: Callable[[str, str], bool], *, negate: bool) -> ConditionTest:
    def test(policy_values: list[str], context: ContextValue | None) -> bool:
        if context is not None and not isinstance(context, str):
            raise UnsupportedPolicyElementError(
                "a single-valued operator on a multivalued context key; "
                "use ForAnyValue or ForAllValues"
            )
        # A missing key matches nothing: false, and true for a negated operator
        # (IAM User Guide, "IAM JSON policy elements: Condition operators").
        matched = context is not None and any(matches(p, context) for p in policy_values)
        return not matched if negate else matched

    return test


def _set_test(matches: Callable[[str, str], bool], *, every: bool) -> ConditionTest:
    def test(policy_values: list[str], context: ContextValue | None) -> bool:
        values = [context] if isinstance(context, str) else list(context or [])
        hits = [any(matches(p, value) for p in policy_values) for value in values]
        # ForAllValues is true for a missing or empty key; ForAnyValue is false
        # (IAM User Guide, "Single-valued vs. multivalued context keys").
        return all(hits) if every else any(hits)

    return test


def _null_test(policy_values: list[str], context: ContextValue | None) -> bool:
    absent = context is None or (not isinstance(context, str) and len(context) == 0)
    expectations = {value.lower() for value in policy_values}
    if not expectations <= {"true", "false"}:
        raise UnsupportedPolicyElementError(f"Null takes true or false, not {policy_values}")
    return any((expected == "true") == absent for expected in expectations)


def _wildcard_match(pattern: str, value: str, ignore_case: bool) -> bool:
    # `*` spans any run of characters, `?` exactly one (IAM User Guide, "IAM JSON
    # policy elements: Action" and "Resource"); action names are case-insensitive.
    return _compiled(pattern, ignore_case).fullmatch(value) is not None


@cache
def _compiled(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    body = "".join(
        ".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern
    )
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile(body, flags)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]
