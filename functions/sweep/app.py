"""Sweep function: one step of the sweep state machine per invocation: plan, a slice, finish.

Thin by design: validate the step's input, hand it to SweepService, return what the
state machine needs next. A slice stops with a safety margin before the Lambda
timeout and reports `done: false`; the state machine invokes it again.

In organization mode (OrganizationSweepStateMachine) the steps name an account and a
region, and the run's own steps plan and finish the whole Organization:
plan-organization, then per account plan, sweep-type, finish (or account-failed), then
finish-organization.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any, Literal

from aws_lambda_powertools import Logger, Metrics, Tracer, single_metric
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from tag_enforcer.core.errors import RoleUnavailableError
from tag_enforcer.core.resources import AccountScope
from tag_enforcer.sweep.organization import (
    OrganizationResult,
    Scope,
    lambda_error_message,
)
from tag_enforcer.sweep.service import SupersededError, SweepResult, SweepService
from tag_enforcer.sweep.settings import SweepSettings
from tag_enforcer.wiring.sweep import (
    OrganizationSweepServices,
    deployed_sweep_service,
    scope_from_arn,
    scope_from_sts,
)

logger = Logger()
tracer = Tracer()
metrics = Metrics()
settings = SweepSettings.from_environment()
_services: dict[AccountScope, SweepService] = {}
_organizations: dict[AccountScope, OrganizationSweepServices] = {}


class SweepStep(BaseModel):
    """The state machine's input to each invocation."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    action: Literal[
        "plan",
        "sweep-type",
        "finish",
        "plan-organization",
        "account-failed",
        "finish-organization",
    ]
    owner: str = Field(min_length=1)  # the Step Functions execution name
    run_id: str | None = Field(None, alias="runId")
    type_name: str | None = Field(None, alias="type")
    # Organization mode: the account and region of the step, and the organization run.
    account: str | None = Field(None, pattern=r"^\d{12}$")
    region: str | None = Field(None, min_length=1)
    organization_run_id: str | None = Field(None, alias="organizationRunId")
    # account-failed: what the state machine's Catch handed over.
    error: str | None = None
    cause: str | None = None


def _home(context: LambdaContext) -> AccountScope:
    region = os.environ["AWS_REGION"]
    scope = scope_from_arn(getattr(context, "invoked_function_arn", ""), region)
    return scope if scope is not None else scope_from_sts(region)


def _service(context: LambdaContext) -> SweepService:
    scope = _home(context)
    if scope not in _services:
        _services[scope] = deployed_sweep_service(settings, scope)
    return _services[scope]


def _organization(context: LambdaContext) -> OrganizationSweepServices:
    if settings.organization is None:
        raise ValueError(
            "an organization step reached a single-account deployment: set OrganizationId"
        )
    home = _home(context)
    if home not in _organizations:
        _organizations[home] = OrganizationSweepServices(settings, home)
    return _organizations[home]


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


def _record_swept(result: SweepResult) -> None:
    """Once per run (or per account of an organization run): every dimension is a bounded
    set, never an ARN or an account."""
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


def _finish(service: SweepService, step: SweepStep) -> dict[str, Any]:
    if not step.run_id:
        raise ValueError("a finish step needs runId")
    try:
        result = service.finish(step.run_id, step.owner)
    except SupersededError as error:
        logger.warning("sweep finish skipped", extra={"run_id": step.run_id, "reason": str(error)})
        return {"runId": step.run_id, "superseded": True, "digestSent": False}
    if result.digest_sent:
        # Once per run, with the digest.
        _record_swept(result)
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


# ---------------------------------------------------------------------- organization


def _scope(step: SweepStep) -> tuple[str, Scope]:
    if not (step.organization_run_id and step.account and step.region):
        raise ValueError(f"a {step.action} step needs organizationRunId, account and region")
    return step.organization_run_id, Scope(step.account, step.region)


def _plan_organization(step: SweepStep, context: LambdaContext) -> dict[str, Any]:
    assert settings.organization is not None
    plan = _organization(context).organization().plan(step.owner)
    if plan.skipped:
        logger.warning("organization sweep skipped", extra={"reason": plan.skipped})
    logger.info(
        "organization sweep planned",
        extra={
            "run_id": plan.run_id,
            "resumed": plan.resumed,
            "accounts": len({s.account for s in plan.scopes}),
            "scopes": len(plan.scopes),
        },
    )
    return {
        "runId": plan.run_id,
        "owner": plan.owner,
        "skip": plan.skipped is not None,
        "reason": plan.skipped or "",
        "resumed": plan.resumed,
        "maxScopes": settings.organization.max_scopes,
        "scopes": [s.to_dict() for s in plan.scopes],
    }


def _plan_scope(step: SweepStep, context: LambdaContext) -> dict[str, Any]:
    run_id, scope = _scope(step)
    services = _organization(context)
    planned = services.organization().plan_scope(
        run_id,
        step.owner,
        scope,
        services.scope(scope.account, scope.region),
        check_access=services.check_access(scope.account),
    )
    # Every later step of the account reads its account, region and run from the plan.
    where = {"account": scope.account, "region": scope.region, "organizationRunId": run_id}
    if planned.plan is None:
        logger.warning("account not swept", extra={**where, "reason": planned.skipped})
        return {**where, "owner": step.owner, "skip": True, "reason": planned.skipped or ""}
    plan = planned.plan
    return {
        **where,
        "runId": plan.run_id,
        "owner": plan.owner,
        "skip": False,
        "resumed": plan.resumed,
        "maxConcurrency": settings.max_concurrency,
        "waves": [
            {"types": [{"runId": plan.run_id, "owner": plan.owner, "type": t, **where} for t in w]}
            for w in plan.waves
        ],
    }


def _sweep_scope_type(step: SweepStep, context: LambdaContext) -> dict[str, Any]:
    run_id, scope = _scope(step)
    services = _organization(context)
    if not services.organization().touch(run_id, step.owner):
        return {"runId": step.run_id, "type": step.type_name, "done": True, "superseded": True}
    try:
        return _sweep_type(services.scope(scope.account, scope.region), step, context)
    except RoleUnavailableError as error:
        # The type's checkpoint keeps the error; the account's section lists it incomplete.
        logger.warning("type not swept", extra={"account": scope.account, "reason": str(error)})
        return {"runId": step.run_id, "type": step.type_name, "done": True, "error": str(error)}


def _finish_scope(step: SweepStep, context: LambdaContext) -> dict[str, Any]:
    run_id, scope = _scope(step)
    if not step.run_id:
        raise ValueError("a finish step needs runId")
    services = _organization(context)
    result = services.organization().finish_scope(
        run_id, step.owner, scope, services.scope(scope.account, scope.region)
    )
    if result is None or result.superseded:
        return {"runId": step.run_id, "superseded": True}
    if not result.already_finished:
        _record_swept(result)
    logger.info(
        "account swept",
        extra={
            "account": scope.account,
            "region": scope.region,
            "report": result.report,
            "counts": result.summary.to_dict(),
        },
    )
    return {"runId": step.run_id, "report": result.report}


def _account_failed(step: SweepStep, context: LambdaContext) -> dict[str, Any]:
    run_id, scope = _scope(step)
    reason = lambda_error_message(step.error or "Error", step.cause or "")
    _organization(context).organization().record_failure(run_id, step.owner, scope, reason)
    logger.warning(
        "account failed", extra={"account": scope.account, "region": scope.region, "reason": reason}
    )
    return {"account": scope.account, "region": scope.region, "recorded": True}


def _finish_organization(step: SweepStep, context: LambdaContext) -> dict[str, Any]:
    if not step.run_id:
        raise ValueError("a finish-organization step needs runId")
    try:
        result: OrganizationResult = (
            _organization(context).organization().finish(step.run_id, step.owner)
        )
    except SupersededError as error:
        logger.warning("organization finish skipped", extra={"reason": str(error)})
        return {"runId": step.run_id, "superseded": True, "digestSent": False}
    if result.digest_sent:
        incomplete = sum(len(o.counts.get("incompleteTypes", {})) for o in result.outcomes)
        metrics.add_metric(name="SweepIncompleteTypes", unit=MetricUnit.Count, value=incomplete)
        metrics.add_metric(
            name="SweepFailedAccounts", unit=MetricUnit.Count, value=len(result.failed_accounts)
        )
    logger.info(
        "organization sweep finished",
        extra={
            "run_id": step.run_id,
            "report": result.report,
            "digest_sent": result.digest_sent,
            "failed_accounts": [f"{o.account}/{o.region}" for o in result.failed_accounts],
        },
    )
    return {
        "runId": step.run_id,
        "report": result.report,
        "digestSent": result.digest_sent,
        "superseded": result.superseded,
        "accounts": len({o.account for o in result.outcomes}),
        "failedAccounts": [o.section() for o in result.failed_accounts],
    }


def _organization_step(step: SweepStep, context: LambdaContext) -> dict[str, Any]:
    if step.action == "plan-organization":
        return _plan_organization(step, context)
    if step.action == "finish-organization":
        return _finish_organization(step, context)
    if step.action == "account-failed":
        return _account_failed(step, context)
    if step.action == "plan":
        return _plan_scope(step, context)
    if step.action == "sweep-type":
        return _sweep_scope_type(step, context)
    return _finish_scope(step, context)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    step = SweepStep.model_validate(event)
    if step.organization_run_id is not None or step.action.endswith(("organization", "failed")):
        return _organization_step(step, context)
    service = _service(context)
    if step.action == "plan":
        return _plan(service, step)
    if step.action == "sweep-type":
        return _sweep_type(service, step, context)
    return _finish(service, step)
