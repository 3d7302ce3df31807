"""Sweep function: one step of the sweep state machine per invocation: plan, a slice, finish.

Thin by design: validate the step's input, hand it to SweepService, return what the
state machine needs next. A slice stops with a safety margin before the Lambda
timeout and reports `done: false`; the state machine invokes it again.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any, Literal

from aws_lambda_powertools import Logger, Metrics, Tracer, single_metric
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from tag_enforcer.core.resources import AccountScope
from tag_enforcer.sweep.service import SupersededError, SweepService
from tag_enforcer.sweep.settings import SweepSettings
from tag_enforcer.wiring.sweep import deployed_sweep_service, scope_from_arn, scope_from_sts

logger = Logger()
tracer = Tracer()
metrics = Metrics()
settings = SweepSettings.from_environment()
_services: dict[AccountScope, SweepService] = {}


class SweepStep(BaseModel):
    """The state machine's input to each invocation."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    action: Literal["plan", "sweep-type", "finish"]
    owner: str = Field(min_length=1)  # the Step Functions execution name
    run_id: str | None = Field(None, alias="runId")
    type_name: str | None = Field(None, alias="type")


def _service(context: LambdaContext) -> SweepService:
    region = os.environ["AWS_REGION"]
    scope = scope_from_arn(getattr(context, "invoked_function_arn", ""), region)
    if scope is None:
        scope = scope_from_sts(region)
    if scope not in _services:
        _services[scope] = deployed_sweep_service(settings, scope)
    return _services[scope]


def _plan(service: SweepService, step: SweepStep) -> dict[str, Any]:
    plan = service.plan(step.owner)
    if plan.skipped:
        logger.warning("sweep skipped", extra={"reason": plan.skipped})
    name = (
        "SweepRunsSkipped"
        if plan.skipped
        else "SweepRunsResumed"
        if plan.resumed
        else "SweepRunsStarted"
    )
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
    logger.info(
        "sweep planned",
        extra={
            "owner": plan.owner,
            "run_id": plan.run_id,
            "resumed": plan.resumed,
            "skipped": plan.skipped or "",
        },
    )
    return {
        "runId": plan.run_id,
        "owner": plan.owner,
        "skip": plan.skipped is not None,
        "reason": plan.skipped or "",
        "resumed": plan.resumed,
        "maxConcurrency": settings.max_concurrency,
        # Parents before children: the state machine maps over waves one at a time.
        "waves": [
            {"types": [{"runId": plan.run_id, "owner": plan.owner, "type": t} for t in wave]}
            for wave in plan.waves
        ],
    }


def _sweep_type(service: SweepService, step: SweepStep, context: LambdaContext) -> dict[str, Any]:
    if not step.run_id or not step.type_name:
        raise ValueError("a sweep-type step needs runId and type")
    result = service.sweep_type(
        step.run_id,
        step.type_name,
        step.owner,
        time_left=lambda: context.get_remaining_time_in_millis() / 1000,
    )
    metrics.add_metric(name="SweepPages", unit=MetricUnit.Count, value=result.pages)
    logger.info(
        "type slice",
        extra={
            "run_id": step.run_id,
            "resource_type": step.type_name,
            "pages": result.pages,
            "resources": result.resources,
            "done": result.done,
            "superseded": result.superseded,
        },
    )
    return {
        "runId": step.run_id,
        "owner": step.owner,
        "type": step.type_name,
        "done": result.done,
        "pages": result.pages,
        "resources": result.resources,
    }


def _finish(service: SweepService, step: SweepStep) -> dict[str, Any]:
    if not step.run_id:
        raise ValueError("a finish step needs runId")
    try:
        result = service.finish(step.run_id, step.owner)
    except SupersededError as error:
        logger.warning("sweep finish skipped", extra={"run_id": step.run_id, "reason": str(error)})
        return {"runId": step.run_id, "superseded": True, "digestSent": False}
    if result.digest_sent:
        # Once per run, with the digest: every dimension is a bounded set, never an ARN.
        by_outcome: Counter[tuple[str, str]] = Counter()
        by_action: Counter[tuple[str, str]] = Counter()
        for (type_name, outcome, action), count in result.summary.by_type_outcome_action.items():
            by_outcome[(type_name, outcome)] += count
            by_action[(type_name, action)] += count
        for dimension, counts in (("Outcome", by_outcome), ("Action", by_action)):
            name = "SweptResources" if dimension == "Outcome" else "SweepActions"
            for (type_name, value), count in counts.items():
                with single_metric(name=name, unit=MetricUnit.Count, value=count) as metric:
                    metric.add_dimension(name="ResourceType", value=type_name)
                    metric.add_dimension(name=dimension, value=value)
        metrics.add_metric(
            name="SweepIncompleteTypes",
            unit=MetricUnit.Count,
            value=len(result.summary.incomplete_types),
        )
    logger.info(
        "sweep finished",
        extra={
            "run_id": step.run_id,
            "report": result.report,
            "counts": result.summary.to_dict(),
            "digest_sent": result.digest_sent,
        },
    )
    return {
        "runId": step.run_id,
        "report": result.report,
        "digestSent": result.digest_sent,
        "superseded": result.superseded,
        "incompleteTypes": result.summary.incomplete_types,
        "unavailableTypes": result.summary.unavailable_types,
    }


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    step = SweepStep.model_validate(event)
    service = _service(context)
    if step.action == "plan":
        return _plan(service, step)
    if step.action == "sweep-type":
        return _sweep_type(service, step, context)
    return _finish(service, step)
