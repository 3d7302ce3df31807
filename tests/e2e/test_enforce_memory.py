"""Bounded memory: a warm enforce function keeps nothing per event it has handled.

Two views. On the deployed stack, the whole process (handler and the in-process moto
server, which keeps every resource and message) grows within a generous bound. On
fakes that keep nothing themselves, tracemalloc sees only the handler, so the bound
per event is tight enough to catch a leak of a log line or an event body.
"""

from __future__ import annotations

import gc
import json
import os
import tracemalloc
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tag_enforcer.core.directory import DomainDirectory, DomainEntry, UserProfileEntry
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings
from tag_enforcer.enforce.alerts import Finding
from tag_enforcer.enforce.service import EnforcementService
from tag_enforcer_dev.emulator.bulk_events import (
    ResourceFactory,
    TagReader,
    deliver,
    queue_depths,
    set_up_team,
)
from tag_enforcer_dev.emulator.deploy import Deployment
from tag_enforcer_dev.emulator.inbox import subscribe_compliance_inbox
from tag_enforcer_dev.emulator.pipeline import (
    EnforcePipeline,
    OneServiceForEveryEvent,
)
from tests.support.handlers import (
    EnforceHandler,
    LambdaContextStub,
    discard_logs,
    like_lambda,
    load_enforce_handler,
    sqs_record,
)
from tests.support.ports import FakeDirectory

MIB = 1024 * 1024


def _resident_bytes() -> int:
    """The process's current resident set (Linux /proc; proc(5), statm)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.e2e
@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs Linux /proc")
def test_deployed_stack_memory_stays_bounded_over_a_thousand_events(
    tag_mode_deployment: Deployment,
) -> None:
    """1,200 events (200 to warm up, 1,000 measured) through the deployed stack: resident
    memory of handler and emulator together grows by less than 64 MiB, queues empty."""
    # GIVEN 1,200 resources, and a warm function that keeps no decision log of its own
    account = tag_mode_deployment.account
    subscribe_compliance_inbox(account, tag_mode_deployment.stack)
    planned = ResourceFactory(set_up_team(account), "mem").create_mix(1200)
    pipeline = EnforcePipeline(account, tag_mode_deployment.stack)
    pipeline.close()  # the test's decision collector would grow with every event
    deliver(pipeline, [p.event for p in planned[:200]], keep_logs=False)
    assert pipeline.function.module is not None
    like_lambda(pipeline.function.module)
    gc.collect()
    before = _resident_bytes()

    # WHEN 1,000 more events pass
    deliver(pipeline, [p.event for p in planned[200:]], keep_logs=False)
    gc.collect()
    grown = _resident_bytes() - before

    # THEN the process grew within bounds, and every resource got its tags
    assert grown < 64 * MIB, f"grew {grown / MIB:.1f} MiB over 1,000 events"
    assert TagReader(account).mismatches(planned) == {}
    assert queue_depths(account, pipeline) == {"queue": 0, "dlq": 0}


# ---------------------------------------------------------------------------------------
# The handler alone, on fakes that keep nothing
# ---------------------------------------------------------------------------------------

ACCOUNT, REGION = "111122223333", "us-east-1"
DOMAIN_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:domain/d-memory00001"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/MemoryRole"
QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:enforce"
HANDLER_ENV = {
    "ENFORCEMENT_MODE": "tag",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_SERVICE_NAME": "enforce-memory",
    "POWERTOOLS_METRICS_NAMESPACE": "Memory",
    "AWS_DEFAULT_REGION": REGION,
}


# Fakes of their own: tests/support/ports.py's keep every call, which here would be the
# very growth this test measures.
class _ForgetfulTags:
    """TagPort that answers "untagged" and forgets what it was asked to add."""

    def list_tags(self, resource_arn: str) -> dict[str, str]:
        return {}

    def add_tags(self, resource_arn: str, tags: Mapping[str, str]) -> None:
        """Accepted and forgotten."""


class _ForgetfulAlerts:
    def __init__(self) -> None:
        self.count = 0

    def publish(self, finding: Finding) -> None:
        self.count += 1


@pytest.fixture
def handler() -> Iterator[EnforceHandler]:
    with pytest.MonkeyPatch.context() as patch:
        module = load_enforce_handler(patch, HANDLER_ENV)
        discard_logs(module)
        directory = DomainDirectory(
            (DomainEntry("d-memory00001", DOMAIN_ARN, "memory", None, None, False),),
            (
                UserProfileEntry(
                    "d-memory00001",
                    "mia",
                    f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:user-profile/d-memory00001/mia",
                    (ACCOUNT, "MemoryRole"),
                ),
            ),
        )
        module.services = OneServiceForEveryEvent(
            EnforcementService(
                EnforcerSettings(mode=EnforcementMode.TAG),
                FakeDirectory(directory),
                _ForgetfulTags(),
                _ForgetfulAlerts(),
            )
        )
        yield module


def _batch(start: int) -> dict[str, Any]:
    """Ten CreateModel events: nine by the profile's role (tagged), one by nobody (flagged)."""
    records = []
    for serial in range(start, start + 10):
        identity: dict[str, Any] = {
            "type": "AssumedRole",
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/MemoryRole/s{serial}",
            "accountId": ACCOUNT,
            "sessionContext": {"sessionIssuer": {"type": "Role", "arn": ROLE_ARN}},
        }
        if serial % 10 == 9:
            identity = {"type": "IAMUser", "arn": f"arn:aws:iam::{ACCOUNT}:user/ci"}
        detail = {
            "eventID": f"evt-{serial}",
            "eventName": "CreateModel",
            "eventSource": "sagemaker.amazonaws.com",
            "eventTime": "2026-11-29T10:15:02Z",
            "awsRegion": REGION,
            "recipientAccountId": ACCOUNT,
            "userIdentity": identity,
            "requestParameters": {"modelName": f"m-{serial}", "executionRoleArn": ROLE_ARN},
            "responseElements": {
                "modelArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model/m-{serial}"
            },
        }
        event = {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": "AWS API Call via CloudTrail",
            "source": "aws.sagemaker",
            "account": ACCOUNT,
            "time": "2026-11-29T10:15:02Z",
            "region": REGION,
            "resources": [],
            "detail": detail,
        }
        records.append(sqs_record(json.dumps(event), f"m-{serial}", queue_arn=QUEUE_ARN))
    return {"Records": records}


def test_warm_handler_retains_under_100_bytes_per_event(
    handler: EnforceHandler, capsys: pytest.CaptureFixture[str]
) -> None:
    """2,200 events (200 to warm up, 2,000 traced) through the real handler on fakes that
    keep nothing: under 200 KB retained, i.e. under 100 bytes per event."""
    # GIVEN a warm handler: modules imported, models built, first metrics flushed
    like_lambda(handler)
    for start in range(0, 200, 10):
        handler.lambda_handler(_batch(start), LambdaContextStub())
    capsys.readouterr()
    gc.collect()

    # WHEN 2,000 more events pass while tracemalloc counts what stays allocated
    tracemalloc.start()
    try:
        for start in range(200, 2_200, 10):
            response = handler.lambda_handler(_batch(start), LambdaContextStub())
            assert response == {"batchItemFailures": []}
            capsys.readouterr()  # stdout is CloudWatch's to keep, not the function's
        gc.collect()
        retained, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # THEN the handler kept next to nothing per event
    assert retained < 200_000, f"{retained} bytes retained after 2,000 events"
