"""template.yaml's event rules must list exactly the registry's event names, explicitly."""

from __future__ import annotations

from typing import Any

from tag_enforcer.core import registry
from tag_enforcer_dev.template_file import TEMPLATE_PATH, load_template, render_generated_lists


def _event_pattern(rule: str) -> dict[str, Any]:
    pattern: dict[str, Any] = load_template()["Resources"][rule]["Properties"]["EventPattern"]
    return pattern


def test_create_rule_lists_exactly_the_registry_create_events() -> None:
    # GIVEN the deployed create rule's pattern
    names = _event_pattern("CreateEventsRule")["detail"]["eventName"]

    # THEN it names every registry create event, and nothing else
    assert sorted(names) == registry.create_event_names()


def test_create_rule_names_events_explicitly_and_skips_failed_calls() -> None:
    pattern = _event_pattern("CreateEventsRule")

    # A prefix matcher would also match CreatePresignedDomainUrl on every Studio login.
    assert all(isinstance(name, str) for name in pattern["detail"]["eventName"])
    assert "CreatePresignedDomainUrl" not in pattern["detail"]["eventName"]
    assert pattern["detail"]["errorCode"] == [{"exists": False}]
    assert pattern["source"] == ["aws.sagemaker"]
    assert pattern["detail-type"] == ["AWS API Call via CloudTrail"]
    assert pattern["detail"]["eventSource"] == ["sagemaker.amazonaws.com"]


def test_directory_rule_adds_the_directory_events_the_create_rule_lacks() -> None:
    create_names = set(_event_pattern("CreateEventsRule")["detail"]["eventName"])
    directory_names = set(_event_pattern("DirectoryEventsRule")["detail"]["eventName"])

    assert create_names | directory_names >= set(registry.DIRECTORY_EVENT_NAMES)
    assert not create_names & directory_names, "an event in both rules would be delivered twice"


def test_template_file_is_in_sync_with_the_registry() -> None:
    # GIVEN the template text as checked in
    text = TEMPLATE_PATH.read_text()

    # WHEN the generated lists are rendered again from the registry
    # THEN nothing changes (run `make sync` after editing the registry)
    assert render_generated_lists(text) == text
