"""Read a registry path (`ProductionVariants[].ModelName`) from a request or a description.

The registry names members as botocore does (PascalCase); CloudTrail writes them in
camelCase (CloudTrail User Guide, "CloudTrail record contents"), so look-ups ignore case."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def get_ignoring_case(mapping: Mapping[str, Any], key: str) -> Any:
    if key in mapping:
        return mapping[key]
    lowered = key.lower()
    for candidate, value in mapping.items():
        if isinstance(candidate, str) and candidate.lower() == lowered:
            return value
    return None


def field_values(document: Any, path: str) -> list[Any]:
    """Values at a registry path such as `ProductionVariants[].ModelName`, ignoring case."""
    current: list[Any] = [document]
    for step in path.split("."):
        is_list = step.endswith("[]")
        name = step.removesuffix("[]")
        following: list[Any] = []
        for node in current:
            if not isinstance(node, Mapping):
                continue
            value = get_ignoring_case(node, name)
            if value is None:
                continue
            if is_list:
                if isinstance(value, list):
                    following.extend(item for item in value if item is not None)
            else:
                following.append(value)
        current = following
    return current


def first_text(document: Any, path: str) -> str | None:
    for value in field_values(document, path):
        if isinstance(value, str) and value:
            return value
    return None
