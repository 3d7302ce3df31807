"""Run a deployed Step Functions definition here, its Lambda tasks on the in-process handlers.

Why this exists: moto stores state machines but cannot run their Lambda tasks (Lambda
Invoke needs Docker, DESIGN.md "Known gaps"). This interprets the part of the Amazon
States Language the sweep's definition uses, so the end-to-end tests run the
definition as deployed, not a hand-written imitation of it:

* states: Task (`arn:aws:states:::lambda:invoke`), Choice (`BooleanEquals`), Map
  (`ItemsPath`, `ItemSelector`, `ItemProcessor`, `MaxConcurrency[Path]`), Pass, Succeed, Fail;
* paths: `$`, `$.a.b`, and the context object's `$$.Execution.Name` and `$$.Map.Item.*`;
* fields: `Parameters`, `ResultSelector`, `ResultPath` (including null), `OutputPath`,
  `Catch` (a raised error goes to the first matching catcher). `Retry` is not replayed:
  the tests want to see a failure, not wait through backoff.

Map iterations run one after another; `max_concurrency_seen` records what each Map
allowed, for the tests to check.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
# Stop a definition that loops forever (a slice that never reports done) in a test.
MAX_TRANSITIONS = 100_000


class StateMachineFailedError(RuntimeError):
    """The execution ended in a Fail state or an error no Catch handled."""


def _walk(document: Any, steps: list[str]) -> Any:
    current = document
    for step in steps:
        if not isinstance(current, dict) or step not in current:
            raise StateMachineFailedError(f"path step {step!r} not found in {str(current)[:200]}")
        current = current[step]
    return current


def read_path(path: str, data: Any, context: dict[str, Any]) -> Any:
    if path.startswith("$$"):
        return _walk(context, [s for s in path[2:].split(".") if s])
    if not path.startswith("$"):
        raise StateMachineFailedError(f"unsupported path {path!r}")
    return _walk(data, [s for s in path[1:].split(".") if s])


def apply_template(template: Any, data: Any, context: dict[str, Any]) -> Any:
    """Parameters/ItemSelector/ResultSelector: keys ending in `.$` take a path's value."""
    if isinstance(template, dict):
        built = {}
        for key, value in template.items():
            if key.endswith(".$"):
                built[key[:-2]] = read_path(value, data, context)
            else:
                built[key] = apply_template(value, data, context)
        return built
    if isinstance(template, list):
        return [apply_template(item, data, context) for item in template]
    return template


def _merge_result(state: dict[str, Any], state_input: Any, result: Any) -> Any:
    if "ResultPath" in state and state["ResultPath"] is None:
        return state_input
    result_path = state.get("ResultPath", "$")
    if result_path == "$":
        return result
    merged = copy.deepcopy(state_input)
    steps = result_path[2:].split(".")
    target = merged
    for step in steps[:-1]:
        target = target.setdefault(step, {})
    target[steps[-1]] = result
    return merged


def _output(state: dict[str, Any], state_input: Any, result: Any, context: dict[str, Any]) -> Any:
    if "ResultSelector" in state:
        result = apply_template(state["ResultSelector"], result, context)
    merged = _merge_result(state, state_input, result)
    return read_path(state.get("OutputPath", "$"), merged, context)


@dataclass
class StateMachineRun:
    """One execution of `definition`; `invoke(function_name, payload)` runs a Lambda task."""

    definition: dict[str, Any]
    invoke: Callable[[str, Any], Any]
    execution_name: str
    transitions: int = 0
    max_concurrency_seen: list[int] = field(default_factory=list)
    task_inputs: list[Any] = field(default_factory=list)

    def run(self, execution_input: Any) -> Any:
        context = {"Execution": {"Name": self.execution_name, "Input": execution_input}}
        return self._run_states(self.definition, execution_input, context)

    def _run_states(self, machine: dict[str, Any], data: Any, context: dict[str, Any]) -> Any:
        name = machine["StartAt"]
        while True:
            self.transitions += 1
            if self.transitions > MAX_TRANSITIONS:
                raise StateMachineFailedError(f"more than {MAX_TRANSITIONS} transitions")
            state = machine["States"][name]
            kind = state["Type"]
            if kind == "Succeed":
                return data
            if kind == "Fail":
                raise StateMachineFailedError(f"{state.get('Error')}: {state.get('Cause')}")
            if kind == "Choice":
                name = self._choose(state, data, context)
                continue
            try:
                if kind == "Pass":
                    result = state.get("Result", data)
                elif kind == "Task":
                    result = self._task(state, data, context)
                elif kind == "Map":
                    result = self._map(state, data, context)
                else:
                    raise StateMachineFailedError(f"state type {kind} is not emulated")
            except StateMachineFailedError:
                raise
            except Exception as error:
                catcher = next(
                    (
                        c
                        for c in state.get("Catch", [])
                        if "States.ALL" in c["ErrorEquals"]
                        or type(error).__name__ in c["ErrorEquals"]
                    ),
                    None,
                )
                if catcher is None:
                    raise
                caught = {"Error": type(error).__name__, "Cause": str(error)}
                data = _merge_result(catcher, data, caught)
                name = catcher["Next"]
                continue
            data = _output(state, data, result, context)
            if state.get("End"):
                return data
            name = state["Next"]

    def _choose(self, state: dict[str, Any], data: Any, context: dict[str, Any]) -> str:
        for rule in state["Choices"]:
            if "BooleanEquals" not in rule:
                raise StateMachineFailedError(f"choice rule {rule} is not emulated")
            value = read_path(rule["Variable"], data, context)
            if value is rule["BooleanEquals"]:
                return str(rule["Next"])
        if "Default" not in state:
            raise StateMachineFailedError("no choice matched and there is no Default")
        return str(state["Default"])

    def _task(self, state: dict[str, Any], data: Any, context: dict[str, Any]) -> Any:
        if state["Resource"] != LAMBDA_INVOKE:
            raise StateMachineFailedError(f"task resource {state['Resource']} is not emulated")
        parameters = apply_template(state.get("Parameters", {}), data, context)
        self.task_inputs.append(parameters["Payload"])
        payload = self.invoke(parameters["FunctionName"], parameters["Payload"])
        # The lambda:invoke integration's result (Step Functions Developer Guide, "Invoke Lambda").
        return {"Payload": payload, "StatusCode": 200}

    def _map(self, state: dict[str, Any], data: Any, context: dict[str, Any]) -> list[Any]:
        if "MaxConcurrencyPath" in state:
            limit = read_path(state["MaxConcurrencyPath"], data, context)
        else:
            limit = state.get("MaxConcurrency", 0)
        if not isinstance(limit, int) or limit < 0:
            raise StateMachineFailedError(f"MaxConcurrency {limit!r} is not a whole number")
        self.max_concurrency_seen.append(limit)
        items = read_path(state.get("ItemsPath", "$"), data, context)
        processor = state.get("ItemProcessor") or state["Iterator"]
        results = []
        for index, item in enumerate(items):
            item_context = {**context, "Map": {"Item": {"Index": index, "Value": item}}}
            item_input = (
                apply_template(state["ItemSelector"], data, item_context)
                if "ItemSelector" in state
                else item
            )
            results.append(self._run_states(processor, item_input, item_context))
        return results
