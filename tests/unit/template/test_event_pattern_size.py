"""Every rule's pattern fits EventBridge's size limit; the create events split over rules."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tag_enforcer.core import registry
from tag_enforcer_dev.create_rules import (
    EVENT_PATTERN_SIZE_LIMIT,
    CreateRulesFullError,
    create_event_name_chunks,
    create_rule_markers,
    event_pattern_size,
)
from tag_enforcer_dev.template_file import TEMPLATE_PATH, load_template

TEMPLATE = load_template()
RULES = {k: r for k, r in TEMPLATE["Resources"].items() if r["Type"] == "AWS::Events::Rule"}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_pattern_fits_the_default_event_pattern_limit(rule: str) -> None:
    size = event_pattern_size(RULES[rule]["Properties"]["EventPattern"])
    print(f"{rule}: {size} of {EVENT_PATTERN_SIZE_LIMIT} characters")
    assert size <= EVENT_PATTERN_SIZE_LIMIT


def test_the_create_rules_together_name_every_create_event_once() -> None:
    # GIVEN the rules holding a create event name marker
    rules = [rule for _, rule in create_rule_markers(TEMPLATE_PATH.read_text())]
    names = [
        n
        for rule in rules
        for n in RULES[rule]["Properties"]["EventPattern"]["detail"]["eventName"]
    ]

    # THEN together they name every registry create event, each once
    assert sorted(names) == registry.create_event_names()
    assert len(names) == len(set(names))
    headroom = EVENT_PATTERN_SIZE_LIMIT - event_pattern_size(
        RULES[rules[-1]]["Properties"]["EventPattern"]
    )
    print(f"{rules[-1]} can take {headroom} more characters of event names")


_TWO_RULES = """\
Resources:
  CreateEventsRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.sagemaker]
        detail:
          eventName:
            # registry:create-event-names:start
            - CreateModel
            # registry:create-event-names:end
  CreateEventsRule2:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.sagemaker]
        detail:
          eventName:
            # registry:create-event-names-2:start
            - CreateModel
            # registry:create-event-names-2:end
"""


def _template(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def test_names_that_outgrow_one_rule_fill_the_next() -> None:
    # GIVEN two create rules and a limit that lets each hold about half the names
    names = registry.create_event_names()
    limit = 1000

    # WHEN the names are split
    chunks = create_event_name_chunks(_TWO_RULES, _template(_TWO_RULES), names, limit)

    # THEN the first is as full as the limit allows, the second has the rest, in order
    first, second = chunks["registry:create-event-names"], chunks["registry:create-event-names-2"]
    assert first + second == names
    pattern = {"source": ["aws.sagemaker"], "detail": {"eventName": first}}
    assert event_pattern_size(pattern) <= limit
    grown = {"source": ["aws.sagemaker"], "detail": {"eventName": [*first, second[0]]}}
    assert event_pattern_size(grown) > limit


def test_names_that_outgrow_every_rule_stop_the_sync_and_say_how_to_add_one() -> None:
    with pytest.raises(
        CreateRulesFullError, match="Add a rule: copy CreateEventsRule2 as CreateEventsRule3"
    ):
        create_event_name_chunks(
            _TWO_RULES, _template(_TWO_RULES), registry.create_event_names(), 500
        )


def test_a_rule_left_without_names_must_go() -> None:
    with pytest.raises(CreateRulesFullError, match="CreateEventsRule2 would match no event name"):
        create_event_name_chunks(_TWO_RULES, _template(_TWO_RULES), ["CreateModel"])
