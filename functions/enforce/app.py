"""Enforce function: SQS batches of CloudTrail create events in, tags and alerts out.

Thin by design: parse each record, hand it to EnforcementService, report partial
batch failures so only the failed records are retried (and dead-lettered).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer, single_metric
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from tag_enforcer.core.cloudtrail import CloudTrailApiCallEvent
from tag_enforcer.core.decisions import Outcome, evidence_to_dict
from tag_enforcer.core.errors import DeferredRecordError, MalformedRecordError
from tag_enforcer.core.settings import EnforcerSettings
from tag_enforcer.enforce.service import EnforcementResult
from tag_enforcer.wiring.enforce import EnforcementServices

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS)
services = EnforcementServices(EnforcerSettings.from_environment())


def record_metrics(result: EnforcementResult, event_time: str) -> None:
    # Dimensions stay bounded (type x outcome x action); an ARN never becomes a dimension.
    with single_metric(name="Decisions", unit=MetricUnit.Count, value=1) as metric:
        metric.add_dimension(name="ResourceType", value=result.resource_type or "none")
        metric.add_dimension(name="Outcome", value=result.outcome.value)
        metric.add_dimension(name="Action", value=result.action.value)
    if result.outcome is Outcome.FLAG:
        metrics.add_metric(name="Findings", unit=MetricUnit.Count, value=1)
    lag = seconds_since(event_time)
    if lag is not None:
        metrics.add_metric(name="EnforceLagSeconds", unit=MetricUnit.Seconds, value=lag)


def seconds_since(event_time: str) -> float | None:
    """CloudTrail's eventTime to now: how long the create waited for its decision."""
    try:
        started = datetime.fromisoformat(event_time.replace("Z", "+00:00"))
    except ValueError:
        return None
    return max(0.0, (datetime.now(UTC) - started).total_seconds())


# Deliveries during which an unattributable record may still wait for its parent's or
# profile's event; the queue's redrive policy (5 receives) is never reached this way.
DEFERRING_DELIVERIES = 2


def may_defer(record: SQSRecord) -> bool:
    receives = record.attributes.approximate_receive_count
    return int(receives) <= DEFERRING_DELIVERIES if receives and receives.isdigit() else False


def record_handler(record: SQSRecord) -> dict[str, Any]:
    try:
        event = CloudTrailApiCallEvent.model_validate(json.loads(record.body))
        record_detail = event.detail
        service = services.for_event(
            record_detail.partition, record_detail.aws_region, record_detail.account
        )
        result = service.enforce(record_detail, may_defer=may_defer(record))
    except DeferredRecordError as deferred:
        # Not a failure: the record comes back after the queue's visibility timeout.
        logger.info(
            "decision deferred", extra={"message_id": record.message_id, "reason": str(deferred)}
        )
        metrics.add_metric(name="DeferredRecords", unit=MetricUnit.Count, value=1)
        raise
    except (json.JSONDecodeError, RecursionError, ValidationError, MalformedRecordError) as error:
        # RecursionError: json.loads on a body nested deeper than the interpreter allows.
        # A poison record never improves on retry: count it, say why, let the batch go on.
        logger.warning(
            "malformed record dropped",
            extra={"message_id": record.message_id, "reason": str(error)[:2000]},
        )
        metrics.add_metric(name="MalformedRecords", unit=MetricUnit.Count, value=1)
        return {"outcome": "malformed"}
    record_metrics(result, event.detail.event_time)
    logger.info(
        "decision",
        extra={
            "event_id": result.event_id,
            "event_name": result.event_name,
            "resource_arn": result.resource_arn,
            "outcome": result.outcome.value,
            "action": result.action.value,
            "note": result.note,
            "evidence": [
                evidence_to_dict(e) for e in (result.decision.evidence if result.decision else ())
            ],
        },
    )
    return {"outcome": result.outcome.value, "action": result.action.value}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    services.register_lambda_context(context)
    metrics.add_metric(
        name="RecordsReceived", unit=MetricUnit.Count, value=len(event.get("Records", []))
    )
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
