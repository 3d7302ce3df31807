"""Run the deployed sweep: its state machine's definition, its function's code and environment.

The definition is read back from the emulated account's Step Functions, interpreted in
this process (`state_machine.StateMachineRun`), and each Lambda task calls the sweep
handler in-process with the deployed function's environment, as the enforce pipeline does.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from tag_enforcer_dev.emulator.account import EmulatedAccount
from tag_enforcer_dev.emulator.deploy import DeployedStack
from tag_enforcer_dev.emulator.pipeline import DeployedFunction, in_process_environment
from tag_enforcer_dev.emulator.state_machine import StateMachineRun

SWEEP_FUNCTION = "SweepFunction"
SWEEP_STATE_MACHINE = "SweepStateMachine"


@dataclass
class SweepExecution:
    name: str
    output: Any
    run: StateMachineRun


@dataclass
class DeployedSweep:
    """The stack's sweep state machine, runnable in this process."""

    account: EmulatedAccount
    stack: DeployedStack
    function: DeployedFunction = field(init=False)
    definition: dict[str, Any] = field(init=False)
    function_arn: str = field(init=False)

    def __post_init__(self) -> None:
        environment = in_process_environment(self.stack, self.account, SWEEP_FUNCTION)
        self.function = DeployedFunction(
            SWEEP_FUNCTION,
            "functions/sweep",
            environment,
            self.stack.physical_ids[SWEEP_FUNCTION],
        )
        stepfunctions = self.account.client("stepfunctions")
        described = stepfunctions.describe_state_machine(
            stateMachineArn=self.stack.outputs["SweepStateMachineArn"]
        )
        self.definition = json.loads(described["definition"])
        self.function_arn = self.account.client("lambda").get_function_configuration(
            FunctionName=self.function.name
        )["FunctionArn"]

    def _substitutions(self) -> dict[str, str]:
        """DefinitionSubstitutions, resolved: moto's CloudFormation stores them unapplied."""
        properties = self.stack.translated_template["Resources"][SWEEP_STATE_MACHINE]["Properties"]
        resolved = {}
        for name, value in properties.get("DefinitionSubstitutions", {}).items():
            if value != {"Fn::GetAtt": [SWEEP_FUNCTION, "Arn"]}:
                raise ValueError(f"substitution {name} = {value} is not emulated")
            resolved["${" + name + "}"] = self.function_arn
        return resolved

    def _invoke(self, function_name: str, payload: Any) -> Any:
        target = self._substitutions().get(function_name, function_name)
        if target not in (self.function_arn, self.function.name):
            raise ValueError(f"the sweep state machine invoked an unknown function {target}")
        return self.function.invoke(payload)

    def start(self, execution_name: str | None = None) -> SweepExecution:
        """One execution, as the daily schedule would start it, run to its end."""
        name = execution_name or f"emulated-{uuid.uuid4().hex[:12]}"
        run = StateMachineRun(self.definition, self._invoke, name)
        return SweepExecution(name, run.run({}), run)

    def log_records(self) -> list[dict[str, Any]]:
        """The function's JSON log and metric lines, as CloudWatch Logs would keep them."""
        records = []
        for line in self.function.log_lines:
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return records
