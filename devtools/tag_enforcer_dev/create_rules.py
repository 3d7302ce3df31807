"""The create events, split over as many EventBridge rules as the pattern size limit needs.

An event pattern holds at most 2,048 characters by default (EventBridge User Guide,
"Amazon EventBridge quotas", Event pattern size; adjustable up to 4,096). The create
rule names every create event explicitly, so each Create* botocore adds makes it
longer. `make sync` fills the template's create rules in order, each between
`# registry:create-event-names[-N]:start` and `:end` markers, as full as the limit lets
it; when the names outgrow the rules there are, it stops and says how to add one.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from typing import Any

EVENT_PATTERN_SIZE_LIMIT = 2048
MARKER = "registry:create-event-names"
_MARKER_START = re.compile(rf"# (?P<marker>{MARKER}(?:-(?P<number>\d+))?):start")
_RESOURCE = re.compile(r"^  (?P<id>[A-Za-z0-9]+):\s*$", re.M)


class CreateRulesFullError(ValueError):
    """The create event names no longer fit in the template's create rules."""


def event_pattern_size(pattern: Any) -> int:
    """Characters of the pattern as JSON, with the spaces json.dumps puts after , and :.

    How CloudFormation serializes the pattern is not documented; counting the spaced
    form over-counts the compact one, so a pattern that fits here fits there.
    """
    return len(json.dumps(pattern))


def create_rule_markers(text: str) -> list[tuple[str, str]]:
    """(marker, logical id of the rule holding it), in marker order: -2 after the first."""
    found = []
    for match in _MARKER_START.finditer(text):
        owners = list(_RESOURCE.finditer(text, 0, match.start()))
        if not owners:
            raise ValueError(f"'# {match['marker']}:start' is outside any resource")
        found.append((int(match["number"] or 1), match["marker"], owners[-1]["id"]))
    numbers = [number for number, _, _ in sorted(found)]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"create event name markers must be numbered 1, 2, 3...: {numbers}")
    return [(marker, rule) for _, marker, rule in sorted(found)]


def _with_names(rule: dict[str, Any], names: Sequence[str]) -> Any:
    pattern = copy.deepcopy(rule["Properties"]["EventPattern"])
    pattern["detail"]["eventName"] = list(names)
    return pattern


def create_event_name_chunks(
    text: str,
    template: dict[str, Any],
    names: Sequence[str],
    limit: int = EVENT_PATTERN_SIZE_LIMIT,
) -> dict[str, list[str]]:
    """The names each create rule's marker gets: in order, each rule as full as fits."""
    markers = create_rule_markers(text)
    remaining = list(names)
    chunks: dict[str, list[str]] = {}
    for marker, rule_id in markers:
        rule = template["Resources"][rule_id]
        chunk: list[str] = []
        while remaining and event_pattern_size(_with_names(rule, [*chunk, remaining[0]])) <= limit:
            chunk.append(remaining.pop(0))
        if not chunk:
            # EventBridge rejects an empty list of values in a pattern.
            raise CreateRulesFullError(
                f"{rule_id} would match no event name: remove it and its marker '# {marker}'"
                if not remaining
                else f"{rule_id}'s pattern cannot hold even {remaining[0]} within {limit}"
            )
        chunks[marker] = chunk
    if remaining:
        last_marker, last_rule = markers[-1]
        number = len(markers) + 1
        raise CreateRulesFullError(
            f"{len(remaining)} create event names ({', '.join(remaining[:3])}...) do not fit in "
            f"{', '.join(rule for _, rule in markers)} within EventBridge's {limit}-character "
            f"event pattern limit. Add a rule: copy {last_rule} as CreateEventsRule{number}, "
            f"its marker as '# {MARKER}-{number}:start' ... ':end' (after '# {last_marker}'), "
            "add its ARN to the aws:SourceArn lists of EnforceQueuePolicy and "
            "EnforceDeadLetterQueuePolicy, then run `make sync` again."
        )
    return chunks
