"""Run the deployed sweep: its state machine's definition on moto's own ASL executor.

The definition is read back from the emulated account's Step Functions, its
DefinitionSubstitutions applied (moto's CloudFormation stores them unapplied), and it
is run by moto's Amazon States Language executor, switched on through moto's config
endpoint. Each Lambda task calls the sweep handler in this process with the deployed
function's environment (`moto_patches.stepfunctions_lambda`), as the enforce pipeline does.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests

from tag_enforcer.core.arns import Arn
from tag_enforcer_dev.emulator.account import EmulatedAccount
from tag_enforcer_dev.emulator.deploy import DeployedStack
from tag_enforcer_dev.emulator.moto_patches import stepfunctions_lambda
from tag_enforcer_dev.emulator.pipeline import DeployedFunction, in_process_environment

SWEEP_FUNCTION = "SweepFunction"
SWEEP_STATE_MACHINE = "SweepStateMachine"
# An execution that outlives this in a test is stuck, not slow.
EXECUTION_TIMEOUT_SECONDS = 600.0


def _sub_pseudo_parameters(text: str, pseudo: dict[str, str]) -> str:
    """`Fn::Sub` over pseudo parameters; a reference to anything else is not emulated."""

    def value(match: re.Match[str]) -> str:
        if match[1] not in pseudo:
            raise ValueError(f"Fn::Sub {text!r}: ${{{match[1]}}} is not emulated")
        return pseudo[match[1]]

    return re.sub(r"\$\{([^}!]+)\}", value, text)


def _for_moto_parser(node: Any) -> Any:
    """The definition as moto's ASL parser reads it: its grammar takes a decimal number
    for `ToleratedFailurePercentage` and rejects an integer such as 100, which Step
    Functions accepts (docs/emulator.md, "Known gaps"). The value is unchanged."""
    if isinstance(node, dict):
        return {
            key: float(value)
            if key == "ToleratedFailurePercentage" and isinstance(value, int)
            else _for_moto_parser(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_for_moto_parser(item) for item in node]
    return node


class ExecutionEndedError(RuntimeError):
    """The execution ended in another status than SUCCEEDED (FAILED, ABORTED, TIMED_OUT)."""


@dataclass
class SweepExecution:
    name: str
    status: str
    output: Any
    # The most task invocations that were in flight at once: Map's concurrency as it ran.
    peak_concurrent_invocations: int
    invocations: int


@dataclass
class _Bridge:
    """The in-process Lambda behind the state machine's tasks, counting what it is asked."""

    function: DeployedFunction
    stop_after: int | None = None
    invocations: int = 0
    in_flight: int = 0
    peak: int = 0
    on_stop: Any = None
    # Set once the caller has seen the execution end; a stopped task waits for it, so
    # nothing it raises can change the status StopExecution gave.
    released: threading.Event = field(default_factory=threading.Event)
    _count_lock: threading.Lock = field(default_factory=threading.Lock)
    # The handler sets process environment variables and redirects stdout while it runs,
    # and Map runs its iterations on threads: one invocation at a time.
    _run_lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, event: dict[str, Any], function: str) -> Any:
        with self._count_lock:
            self.invocations += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            stop = self.stop_after is not None and self.invocations > self.stop_after
        try:
            if stop:
                # An operator (or Step Functions) stops the execution mid-run.
                self.on_stop()
                self.released.wait(timeout=EXECUTION_TIMEOUT_SECONDS)
                raise RuntimeError("the execution was stopped")
            with self._run_lock:
                return self.function.invoke(event)
        finally:
            with self._count_lock:
                self.in_flight -= 1


@dataclass
class DeployedSweep:
    """The stack's sweep state machine, runnable on moto's executor in this process.

    `state_machine` is the logical id of the machine the stack's SweepStateMachineArn
    output names (OrganizationSweepStateMachine in organization mode); `extra_environment`
    gives the function its execution role's credentials in an emulated Organization.
    """

    account: EmulatedAccount
    stack: DeployedStack
    state_machine: str = SWEEP_STATE_MACHINE
    extra_environment: dict[str, str] = field(default_factory=dict)
    function: DeployedFunction = field(init=False)
    definition: dict[str, Any] = field(init=False)
    function_arn: str = field(init=False)
    state_machine_arn: str = field(init=False)

    def __post_init__(self) -> None:
        environment = {
            **in_process_environment(self.stack, self.account, SWEEP_FUNCTION),
            **self.extra_environment,
        }
        self.function = DeployedFunction(
            SWEEP_FUNCTION,
            "functions/sweep",
            environment,
            self.stack.physical_ids[SWEEP_FUNCTION],
        )
        self.function_arn = self.account.client("lambda").get_function_configuration(
            FunctionName=self.function.name
        )["FunctionArn"]
        # Lambda hands every invocation its function's ARN (the context's invoked_function_arn).
        self.function.arn = self.function_arn
        stepfunctions = self.account.client("stepfunctions")
        # CloudFormation created the machine in moto's stored-only backend: read it there,
        # then create it again where the executor runs it (docs/emulator.md, "Known gaps").
        self._executor(on=False)
        described = stepfunctions.describe_state_machine(
            stateMachineArn=self.stack.outputs["SweepStateMachineArn"]
        )
        text = described["definition"]
        for placeholder, value in self._substitutions().items():
            text = text.replace(placeholder, value)
        self.definition = json.loads(text)
        text = json.dumps(_for_moto_parser(self.definition))
        self._executor(on=True)
        self.state_machine_arn = stepfunctions.create_state_machine(
            # State machine names hold 80 characters (Step Functions API reference).
            name=f"{described['name'][:60]}-executed-{uuid.uuid4().hex[:6]}",
            definition=text,
            roleArn=described["roleArn"],
            type=described.get("type", "STANDARD"),
        )["stateMachineArn"]

    def _executor(self, *, on: bool) -> None:
        response = requests.post(
            f"{self.account.endpoint_url}/moto-api/config",
            json={"stepfunctions": {"execute_state_machine": on}},
            timeout=10,
        )
        response.raise_for_status()

    def _substitutions(self) -> dict[str, str]:
        """DefinitionSubstitutions, resolved: moto's CloudFormation stores them unapplied.

        Two shapes are known: the sweep function's ARN, and a `Fn::Sub` over pseudo
        parameters only (the partition of `arn:${AWS::Partition}:states:::lambda:invoke`).
        Anything else raises, so a new substitution cannot reach the executor unresolved.
        """
        properties = self.stack.translated_template["Resources"][self.state_machine]["Properties"]
        function = Arn.parse(self.function_arn)
        pseudo = {
            "AWS::Partition": function.partition,
            "AWS::Region": function.region,
            "AWS::AccountId": function.account,
        }
        resolved = {}
        for name, value in properties.get("DefinitionSubstitutions", {}).items():
            if value == {"Fn::GetAtt": [SWEEP_FUNCTION, "Arn"]}:
                resolved["${" + name + "}"] = self.function_arn
            elif isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
                resolved["${" + name + "}"] = _sub_pseudo_parameters(value["Fn::Sub"], pseudo)
            else:
                raise ValueError(f"substitution {name} = {value} is not emulated")
        return resolved

    def start(
        self, execution_name: str | None = None, *, stop_after_invocations: int | None = None
    ) -> SweepExecution:
        """One execution, as the daily schedule would start it, run to its end.

        `stop_after_invocations` stops the execution (StopExecution) when the state
        machine asks for one more Lambda task than that. Raises ExecutionEndedError
        unless the execution SUCCEEDED.
        """
        name = execution_name or f"emulated-{uuid.uuid4().hex[:12]}"
        stepfunctions = self.account.client("stepfunctions")
        self._executor(on=True)
        execution: dict[str, str] = {}
        bridge = _Bridge(
            self.function,
            stop_after=stop_after_invocations,
            on_stop=lambda: stepfunctions.stop_execution(executionArn=execution["arn"]),
        )
        stepfunctions_lambda.HANDLERS[self.function_arn] = bridge
        try:
            execution["arn"] = stepfunctions.start_execution(
                stateMachineArn=self.state_machine_arn, name=name, input="{}"
            )["executionArn"]
            described = self._wait(stepfunctions, execution["arn"])
        finally:
            bridge.released.set()
            stepfunctions_lambda.HANDLERS.pop(self.function_arn, None)
        status = described["status"]
        if status != "SUCCEEDED":
            raise ExecutionEndedError(
                f"execution {name} ended {status}: {described.get('error')} "
                f"{str(described.get('cause'))[:500]}"
            )
        return SweepExecution(
            name,
            status,
            json.loads(described.get("output") or "null"),
            bridge.peak,
            bridge.invocations,
        )

    @staticmethod
    def _wait(stepfunctions: Any, execution_arn: str) -> dict[str, Any]:
        deadline = time.monotonic() + EXECUTION_TIMEOUT_SECONDS
        while True:
            described: dict[str, Any] = stepfunctions.describe_execution(executionArn=execution_arn)
            if described["status"] != "RUNNING":
                return described
            if time.monotonic() > deadline:
                raise ExecutionEndedError(f"{execution_arn} still running after the timeout")
            time.sleep(0.02)

    def log_records(self) -> list[dict[str, Any]]:
        """The function's JSON log and metric lines, as CloudWatch Logs would keep them."""
        records = []
        for line in self.function.log_lines:
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return records
