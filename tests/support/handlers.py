"""The Lambda handlers (functions/*/app.py) imported by path, and the SQS batches they receive.

A handler module reads its environment when imported, so each test imports it afresh
under a unique name; `pytest.MonkeyPatch` takes the environment and the `sys.modules`
entry back afterwards. The Lambda context and the services stand-in come from the
emulator, which runs the same handlers (`tag_enforcer_dev.emulator.pipeline`).
"""

from __future__ import annotations

import importlib.util
import logging
import sys
import uuid
from collections.abc import Mapping
from types import ModuleType
from typing import Any, Literal, Protocol, cast

import pytest
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse

from tag_enforcer.enforce.service import EnforcementService
from tag_enforcer_dev.emulator.pipeline import (
    DiscardedLog,
    LambdaContextStub,
    OneServiceForEveryEvent,
)
from tests.support.project import FUNCTIONS_DIR

__all__ = [
    "EnforceHandler",
    "LambdaContextStub",
    "RecordingServices",
    "discard_logs",
    "like_lambda",
    "load_enforce_handler",
    "load_handler",
    "sqs_record",
]

# A developer's profile or endpoint must never reach a handler under test.
_UNSET = ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SAGEMAKER")


def load_handler(
    function: Literal["enforce", "sweep"],
    patch: pytest.MonkeyPatch,
    environment: Mapping[str, str],
) -> ModuleType:
    """functions/<function>/app.py, imported fresh under a unique name with `environment`."""
    for name in _UNSET:
        patch.delenv(name, raising=False)
    for name, value in environment.items():
        patch.setenv(name, value)
    path = FUNCTIONS_DIR / function / "app.py"
    module_name = f"{function}_app_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs: pydantic and dataclasses look their module up there.
    patch.setitem(sys.modules, module_name, module)
    spec.loader.exec_module(module)
    return module


class EnforceHandler(Protocol):
    """What tests use of functions/enforce/app.py (imported by path, so mypy cannot see it)."""

    services: Any  # EnforcementServices, or a stand-in with its two methods
    logger: Logger

    def lambda_handler(self, event: dict[str, Any], context: Any) -> PartialItemFailureResponse: ...


def load_enforce_handler(
    patch: pytest.MonkeyPatch, environment: Mapping[str, str]
) -> EnforceHandler:
    """`load_handler("enforce", ...)`, typed as the module tests drive."""
    return cast(EnforceHandler, load_handler("enforce", patch, environment))


def like_lambda(module: EnforceHandler) -> None:
    """Leave the function's logger writing to stdout only, as in Lambda.

    pytest attaches its capture handlers to non-propagating loggers at the start of each
    test phase (_pytest/logging.py, catching_logs), and they keep every record.
    """
    service_logger = module.logger._logger
    service_logger.propagate = False
    for attached in list(service_logger.handlers):
        if type(attached).__name__ == "LogCaptureHandler":
            service_logger.removeHandler(attached)


def discard_logs(module: EnforceHandler) -> None:
    """Send the function's log lines nowhere; the formatter still runs on every record."""
    stream_handler = module.logger.registered_handler
    assert isinstance(stream_handler, logging.StreamHandler)
    stream_handler.setStream(DiscardedLog())


class RecordingServices(OneServiceForEveryEvent):
    """The emulator's services stand-in, also keeping what the handler asked of it."""

    def __init__(self, service: EnforcementService) -> None:
        super().__init__(service)
        self.asked_for: list[tuple[str, str, str]] = []
        self.contexts: list[Any] = []

    def register_lambda_context(self, context: Any) -> None:
        self.contexts.append(context)

    def for_event(self, partition: str, region: str, account: str) -> EnforcementService:
        self.asked_for.append((partition, region, account))
        service: EnforcementService = self.service
        return service


def sqs_record(
    body: str,
    message_id: str,
    receive_count: int = 1,
    queue_arn: str = "arn:aws:sqs:us-east-1:111122223333:enforce-queue",
) -> dict[str, Any]:
    """One record of the SQS event Lambda hands the enforce function (Lambda Developer Guide,
    "Using Lambda with Amazon SQS")."""
    return {
        "messageId": message_id,
        "receiptHandle": f"handle-{message_id}",
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": str(receive_count),
            "SentTimestamp": "1764411302000",
            "SenderId": "AIDAEXAMPLE",
            "ApproximateFirstReceiveTimestamp": "1764411302001",
        },
        "messageAttributes": {},
        "md5OfBody": "0" * 32,
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": queue_arn.split(":")[3],
    }
