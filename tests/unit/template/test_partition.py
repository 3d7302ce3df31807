"""No ARN in the template names the `aws` partition: it deploys to aws-cn and aws-us-gov too."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from tag_enforcer_dev.template_file import load_template
from tag_enforcer_dev.translated_template import translated_template

_LITERAL_PARTITION = re.compile(r"arn:aws[a-z-]*:")


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _task_states(states: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, state in states.items():
        if state["Type"] == "Task":
            yield name, state
        if "ItemProcessor" in state:
            yield from _task_states(state["ItemProcessor"]["States"])


def test_no_arn_of_the_template_hard_codes_a_partition() -> None:
    # GIVEN every string of template.yaml (comments are not strings)
    literal = [
        (path, text)
        for path, text in _strings(load_template()["Resources"])
        if _LITERAL_PARTITION.search(text)
    ]

    # THEN none names a partition; ${AWS::Partition} does
    assert literal == []


def test_the_check_sees_a_hard_coded_partition() -> None:
    found = [p for p, t in _strings({"R": {"A": "arn:aws:states:::lambda:invoke"}}) if t]
    assert found == [".R.A"]
    assert _LITERAL_PARTITION.search("arn:aws-us-gov:states:::lambda:invoke")
    assert not _LITERAL_PARTITION.search("arn:${AWS::Partition}:states:::lambda:invoke")


def test_every_sweep_task_invokes_lambda_through_the_partition_of_the_stack() -> None:
    # GIVEN the state machine SAM makes
    machine = translated_template()["Resources"]["SweepStateMachine"]["Properties"]
    # SAM writes the definition as lines joined by Fn::Join, with no intrinsic inside.
    separator, lines = machine["DefinitionString"]["Fn::Join"]
    definition = json.loads(separator.join(lines))

    # THEN each task's resource is a substitution built with ${AWS::Partition}
    substitutions = machine["DefinitionSubstitutions"]
    tasks = dict(_task_states(definition["States"]))
    assert set(tasks) == {"PlanRun", "SweepSlice", "FinishRun"}
    for name, task in tasks.items():
        placeholder = re.fullmatch(r"\$\{(\w+)\}", task["Resource"])
        assert placeholder is not None, f"{name}: {task['Resource']}"
        assert substitutions[placeholder[1]] == {
            "Fn::Sub": "arn:${AWS::Partition}:states:::lambda:invoke"
        }
