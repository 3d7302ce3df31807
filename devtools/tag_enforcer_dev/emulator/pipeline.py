"""Drive events through the deployed stack: EventBridge rules, SQS, then the real handler.

moto's PutEvents routes each event by the deployed rules' own patterns to their
SQS target (its TestEventPattern is a stub). Lambda Invoke would need Docker, so
the handler runs in this process with the deployed function's environment.
"""

from __future__ import annotations

import importlib.util
import io
import json
import logging
import sys
import uuid
from collections.abc import Iterable
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from tag_enforcer.aws import clients as aws_clients
from tag_enforcer_dev.emulator.account import EmulatedAccount, environment_variables
from tag_enforcer_dev.emulator.deploy import DeployedStack
from tag_enforcer_dev.template_file import PROJECT_ROOT

# PutEvents takes at most 10 entries a call; ReceiveMessage returns at most 10 messages
# (EventBridge and SQS API references).
PUT_EVENTS_BATCH = 10
SQS_BATCH = 10
_POWERTOOLS_SERVICE = "sagemaker-tag-enforcer"


@dataclass
class LambdaContextStub:
    """The attributes Powertools reads from a Lambda context object."""

    function_name: str = "enforce"
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    invoked_function_arn: str = ""
    function_version: str = "$LATEST"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


class OneServiceForEveryEvent:
    """Stands in for the handler's EnforcementServices: one service for every event."""

    def __init__(self, service: Any) -> None:
        self.service = service

    def register_lambda_context(self, context: Any) -> None:
        """Nothing to expire: the service under test has no idempotency store."""

    def for_event(self, partition: str, region: str, account: str) -> Any:
        return self.service


class DiscardedLog(io.TextIOBase):
    """A log stream that keeps nothing (the formatter still runs on every record)."""

    def write(self, text: str) -> int:
        return len(text)


class _DecisionLogCollector(logging.Handler):
    """Keeps the handler's structured "decision" log lines, as CloudWatch Logs would."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.records: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage() in ("decision", "malformed record dropped"):
            self.records.append({"message": record.getMessage(), **record.__dict__})


class _LineSink(io.TextIOBase):
    """A stdout stand-in that keeps each written line, as CloudWatch Logs keeps them."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines

    def write(self, text: str) -> int:
        self._lines.extend(line for line in text.splitlines() if line.strip())
        return len(text)


@dataclass
class DeployedFunction:
    """A function of the deployed stack, loaded from its source with the deployed environment."""

    logical_id: str
    source_dir: str
    environment: dict[str, str]
    name: str
    # The context's invoked_function_arn, as Lambda sets it (empty: not known here).
    arn: str = ""
    module: ModuleType | None = None

    log_lines: list[str] = field(default_factory=list)

    def load(self) -> ModuleType:
        # Clients cached for an earlier emulated account would point at a dead port.
        aws_clients.client.cache_clear()
        path = PROJECT_ROOT / self.source_dir / "app.py"
        module_name = f"deployed_{self.logical_id}_{uuid.uuid4().hex[:8]}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        with environment_variables(self.environment):
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        # Lambda sends stdout to CloudWatch Logs; here it is kept in log_lines.
        module.logger.registered_handler.setStream(_LineSink(self.log_lines))
        self.module = module
        return module

    def invoke(self, event: dict[str, Any]) -> Any:
        module = self.module or self.load()
        with environment_variables(self.environment), redirect_stdout(_LineSink(self.log_lines)):
            return module.lambda_handler(
                event, LambdaContextStub(function_name=self.name, invoked_function_arn=self.arn)
            )


def in_process_environment(
    stack: DeployedStack, account: EmulatedAccount, logical_id: str
) -> dict[str, str]:
    return {
        **stack.function_environment(account, logical_id),
        **account.environment,
        # No X-Ray daemon here.
        "POWERTOOLS_TRACE_DISABLED": "true",
        "AWS_LAMBDA_FUNCTION_NAME": stack.physical_ids[logical_id],
    }


class EnforcePipeline:
    """EventBridge -> enforce queue -> enforce function, as deployed."""

    def __init__(
        self,
        account: EmulatedAccount,
        stack: DeployedStack,
        log_level: str = "WARNING",
        extra_environment: dict[str, str] | None = None,
    ) -> None:
        self._account = account
        self._events = account.client("events")
        self._sqs = account.client("sqs")
        self.queue_url = stack.outputs["EnforceQueueUrl"]
        self.dead_letter_queue_url = stack.outputs["EnforceDeadLetterQueueUrl"]
        self._queue_arn = self._sqs.get_queue_attributes(
            QueueUrl=self.queue_url, AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
        # Organization mode: the execution role's credentials, as Lambda hands them over.
        environment = {
            **in_process_environment(stack, account, "EnforceFunction"),
            **(extra_environment or {}),
        }
        self.function = DeployedFunction(
            "EnforceFunction",
            "functions/enforce",
            environment,
            stack.physical_ids["EnforceFunction"],
        )
        self.failed_message_ids: set[str] = set()
        self._failed_receipts: dict[str, str] = {}  # message id -> receipt handle
        self._disable_lambda_pollers(account, stack)
        self._collector = _DecisionLogCollector()
        logging.getLogger(_POWERTOOLS_SERVICE).addHandler(self._collector)

    @staticmethod
    def _disable_lambda_pollers(account: EmulatedAccount, stack: DeployedStack) -> None:
        """This class is the queue's poller: moto's own would try to invoke through Docker."""
        lambda_client = account.client("lambda")
        mappings = lambda_client.list_event_source_mappings(
            FunctionName=stack.physical_ids["EnforceFunction"]
        )["EventSourceMappings"]
        for mapping in mappings:
            lambda_client.update_event_source_mapping(UUID=mapping["UUID"], Enabled=False)

    def publish(
        self, events: Iterable[dict[str, Any]], on_bus_of: EmulatedAccount | None = None
    ) -> int:
        """Put CloudTrail-shaped events on the default bus (of `on_bus_of`, a member account
        of an emulated Organization, else this account's); returns how many were accepted."""
        events_client = self._events if on_bus_of is None else on_bus_of.client("events")
        entries = [
            {
                "Source": event["source"],
                "DetailType": event["detail-type"],
                "Detail": json.dumps(event["detail"]),
                "Resources": event.get("resources", []),
            }
            for event in events
        ]
        accepted = 0
        for start in range(0, len(entries), PUT_EVENTS_BATCH):
            response = events_client.put_events(Entries=entries[start : start + PUT_EVENTS_BATCH])
            accepted += (
                len(entries[start : start + PUT_EVENTS_BATCH]) - response["FailedEntryCount"]
            )
        return accepted

    def _restore_envelope(self, body: str) -> str:
        """moto 5.2.5's SQS target rebuilds the event without its `account` member.

        EventBridge always sends it (EventBridge User Guide, "Amazon EventBridge
        events"), so the emulator puts it back rather than the product tolerating
        an envelope AWS never sends.
        """
        try:
            event = json.loads(body)
        except json.JSONDecodeError:
            return body
        if isinstance(event, dict) and "account" not in event and "detail" in event:
            event["account"] = self._account.account_id
            return json.dumps(event)
        return body

    def _sqs_event(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "Records": [
                {
                    "messageId": message["MessageId"],
                    "receiptHandle": message["ReceiptHandle"],
                    "body": self._restore_envelope(message["Body"]),
                    "attributes": message.get("Attributes", {}),
                    "messageAttributes": {},
                    "md5OfBody": message["MD5OfBody"],
                    "eventSource": "aws:sqs",
                    "eventSourceARN": self._queue_arn,
                    "awsRegion": self._account.region,
                }
                for message in messages
            ]
        }

    def drain(self, max_batches: int = 10_000) -> list[dict[str, Any]]:
        """Deliver queued messages to the handler in SQS-shaped batches until the queue is empty.

        Returns the decision log lines the handler wrote. Failed records stay on
        the queue, as with Lambda's partial batch responses, and are not retried here.
        """
        start = len(self._collector.records)
        for _ in range(max_batches):
            messages = self._sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=SQS_BATCH,
                AttributeNames=["All"],
                VisibilityTimeout=300,
            ).get("Messages", [])
            if not messages:
                break
            try:
                response = self.function.invoke(self._sqs_event(messages))
            except Exception:
                # Powertools raises when every record failed; Lambda then retries them all.
                response = {
                    "batchItemFailures": [{"itemIdentifier": m["MessageId"]} for m in messages]
                }
            failed = {item["itemIdentifier"] for item in response.get("batchItemFailures", [])}
            self.failed_message_ids.update(failed)
            self._failed_receipts.update(
                {m["MessageId"]: m["ReceiptHandle"] for m in messages if m["MessageId"] in failed}
            )
            succeeded = [m for m in messages if m["MessageId"] not in failed]
            if succeeded:
                self._sqs.delete_message_batch(
                    QueueUrl=self.queue_url,
                    Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                        for i, m in enumerate(succeeded)
                    ],
                )
        return self._collector.records[start:]

    def redeliver_failed(self) -> int:
        """End the visibility timeout of the records the handler failed, as SQS does when it lapses.

        Returns how many records were made visible again. The queue's redrive policy
        (maxReceiveCount) then moves a record that keeps failing to the dead-letter queue.
        """
        pending = list(self._failed_receipts.values())
        self._failed_receipts.clear()
        for start in range(0, len(pending), SQS_BATCH):
            self._sqs.change_message_visibility_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": handle, "VisibilityTimeout": 0}
                    for i, handle in enumerate(pending[start : start + SQS_BATCH])
                ],
            )
        return len(pending)

    def drain_with_redelivery(self, max_rounds: int = 10) -> list[dict[str, Any]]:
        """`drain`, then redeliver what failed and drain again, until no record fails."""
        logged = self.drain()
        for _ in range(max_rounds):
            if not self.redeliver_failed():
                break
            logged += self.drain()
        return logged

    def close(self) -> None:
        logging.getLogger(_POWERTOOLS_SERVICE).removeHandler(self._collector)
