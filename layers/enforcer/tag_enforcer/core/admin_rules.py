"""Admin attribution rules: a small, versioned, validated document mapping callers to a domain.

They are the last rule before `flag(unattributable)`: a CI role that deploys
for one team, or a naming convention a team keeps. They never override stronger
evidence. The document ships with the function (`attribution_rules.json` beside
this module, or the file named by ADMIN_RULES_PATH); an invalid document stops
the function at start with a message naming the rule and the problem.

    >>> rules = AdminRules.model_validate({"version": 1, "rules": [
    ...     {"name": "finance-ci", "roleArnPattern": "arn:aws:iam::*:role/finance-ci-*",
    ...      "domainId": "d-finance01"}]})
    >>> ci_role = "arn:aws:iam::111122223333:role/finance-ci-deploy"
    >>> [match.rule.name for match in rules.matches([ci_role], "")]
    ['finance-ci']
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tag_enforcer.core.arns import role_name_from_arn

# Domain ids look like d-xxxxxxxxxxxx (SageMaker API reference, DomainId pattern).
_DOMAIN_ID = re.compile(r"^d-(-*[a-z0-9]){1,61}$")
PACKAGED_RULES = "attribution_rules.json"


class AdminRulesError(ValueError):
    """The rules document is invalid; the message names the rule and the problem."""


class AdminRule(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str = ""
    domain_id: str = Field(alias="domainId")
    role_arn_pattern: str | None = Field(None, alias="roleArnPattern")
    resource_name_prefix: str | None = Field(None, alias="resourceNamePrefix", min_length=1)

    @field_validator("domain_id")
    @classmethod
    def _domain_id_shape(cls, value: str) -> str:
        if not _DOMAIN_ID.match(value):
            raise ValueError(f"domainId {value!r} is not a SageMaker domain id like d-abc123def456")
        return value

    @field_validator("role_arn_pattern")
    @classmethod
    def _role_pattern_shape(cls, value: str | None) -> str | None:
        if value is not None and (
            not value.startswith("arn:") or ":iam::" not in value or ":role/" not in value
        ):
            raise ValueError(
                f"roleArnPattern {value!r} must be an IAM role ARN pattern, "
                "e.g. arn:aws:iam::123456789012:role/finance-ci-*"
            )
        return value

    @model_validator(mode="after")
    def _exactly_one_matcher(self) -> AdminRule:
        given = [m for m in (self.role_arn_pattern, self.resource_name_prefix) if m is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of roleArnPattern or resourceNamePrefix")
        return self

    def matched_value(self, role_arns: Iterable[str], resource_name: str) -> str | None:
        if self.role_arn_pattern is not None:
            for role_arn in role_arns:
                # Session ARNs and role ARNs with paths both name the role; compare role ARNs.
                if fnmatch.fnmatchcase(role_arn, self.role_arn_pattern):
                    return role_arn
            return None
        prefix = self.resource_name_prefix or ""
        return resource_name if resource_name.lower().startswith(prefix.lower()) else None


@dataclass(frozen=True)
class RuleMatch:
    rule: AdminRule
    matched: str


class AdminRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    rules: tuple[AdminRule, ...] = ()

    @model_validator(mode="after")
    def _unique_names(self) -> AdminRules:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.name in seen:
                raise ValueError(f"rule name {rule.name!r} is used twice")
            seen.add(rule.name)
        return self

    def matches(self, role_arns: Iterable[str], resource_name: str) -> list[RuleMatch]:
        roles = [arn for arn in role_arns if role_name_from_arn(arn)]
        found = []
        for rule in self.rules:
            matched = rule.matched_value(roles, resource_name)
            if matched is not None:
                found.append(RuleMatch(rule, matched))
        return found


NO_RULES = AdminRules(version=1)


def _explain(error: ValidationError, document: object) -> str:
    problems = []
    for issue in error.errors():
        location = list(issue["loc"])
        where = "the document"
        if len(location) >= 2 and location[0] == "rules" and isinstance(location[1], int):
            index = location[1]
            raw = document.get("rules", []) if isinstance(document, dict) else []
            name = (
                raw[index].get("name", "?")
                if index < len(raw) and isinstance(raw[index], dict)
                else "?"
            )
            where = f"rule #{index + 1} ({name!r})"
            location = location[2:]
        field = ".".join(str(part) for part in location if not str(part).startswith("function-"))
        problems.append(f"{where}{': ' + field if field else ''}: {issue['msg']}")
    return "; ".join(problems)


def parse_admin_rules(text: str, source: str = PACKAGED_RULES) -> AdminRules:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise AdminRulesError(f"{source} is not valid JSON: {error}") from error
    try:
        return AdminRules.model_validate(document)
    except ValidationError as error:
        raise AdminRulesError(f"{source} is invalid: {_explain(error, document)}") from error


def load_admin_rules(path: str | None = None) -> AdminRules:
    """The rules at `path`, else the document packaged beside this module."""
    if path:
        return parse_admin_rules(Path(path).read_text(encoding="utf-8"), path)
    packaged = resources.files("tag_enforcer").joinpath(PACKAGED_RULES)
    if not packaged.is_file():
        return NO_RULES
    return parse_admin_rules(packaged.read_text(encoding="utf-8"))
