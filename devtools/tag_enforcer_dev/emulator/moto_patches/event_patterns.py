"""moto 5.2.5's EventBridge patterns cannot reach fields inside arrays of objects; EventBridge can.

A CloudTrail AddTags record carries `requestParameters.tags` as a list of
{key, value} objects, and the tag-change rule matches `tags.key`. EventBridge
matches such a pattern when any object in the array matches (EventBridge User
Guide, "Arrays in Amazon EventBridge event patterns"); moto's flattening stops at
lists. `install()` makes moto flatten arrays of objects into per-field value lists.
"""

from __future__ import annotations

from typing import Any

from moto.events.models import EventPattern


def _flatten(node: Any, prefix: str = "", result: dict[str, Any] | None = None) -> dict[str, Any]:
    result = {} if result is None else result
    if not isinstance(node, dict):
        return result
    for key, value in node.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and value:
            _flatten(value, path, result)
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            # Each object's fields become one list per path, as EventBridge matches any element.
            for item in value:
                for field_path, field_value in _flatten(item, path).items():
                    values = field_value if isinstance(field_value, list) else [field_value]
                    result.setdefault(field_path, []).extend(values)
        else:
            result[path] = value
    return result


def install() -> None:
    """Idempotent: patch moto's EventPattern flattening for arrays of objects."""
    EventPattern._flatten_dict = staticmethod(_flatten)  # type: ignore[method-assign]
