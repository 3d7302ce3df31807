"""The demo's last act: legacy resources the event path never saw, found and fixed by the sweep."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console, RenderableType

from tag_enforcer.core.arns import Arn, InvalidArnError
from tag_enforcer.core.tags import ENFORCED_TAG_KEYS
from tag_enforcer.sweep.report import ReportRow, SweepSummary
from tag_enforcer_cli.commands.sweep import summary_table
from tag_enforcer_dev.demo_layout import TABLE_MIN_WIDTH, Cell, fitted
from tag_enforcer_dev.emulator.account import EmulatedAccount
from tag_enforcer_dev.emulator.deploy import DeployedStack
from tag_enforcer_dev.emulator.sweep_pipeline import DeployedSweep
from tag_enforcer_dev.scenario import BlogScenario, _model, _training_job


def _short(arn: str) -> str:
    try:
        return Arn.parse(arn).resource
    except InvalidArnError:
        return arn


def create_legacy_resources(scenario: BlogScenario) -> dict[str, str]:
    """Resources made before the enforcer was deployed: no CloudTrail event will come for them."""
    sagemaker = scenario.account.client("sagemaker")
    roles = scenario.roles
    made = {
        "bob's 2023 training job (his role, no tags)": sagemaker.create_training_job(
            **_training_job("legacy-churn-2023", roles["FinanceQuantAnalystRole"])
        )["TrainingJobArn"],
        "a model from an old CI pipeline (no domain's role)": sagemaker.create_model(
            **_model("legacy-scorer", roles["CiModelDeployRole"])
        )["ModelArn"],
        "sustainability's model (shared default role)": sagemaker.create_model(
            **_model("legacy-emissions", roles["SustainabilityStudioExecutionRole"])
        )["ModelArn"],
    }
    made["an endpoint config serving that model (lineage)"] = sagemaker.create_endpoint_config(
        EndpointConfigName="legacy-emissions-cfg",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "legacy-emissions",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )["EndpointConfigArn"]
    return made


def _tags(account: EmulatedAccount, arn: str) -> dict[str, str]:
    found = account.client("sagemaker").list_tags(ResourceArn=arn)["Tags"]
    return {t["Key"]: t["Value"] for t in found if t["Key"] in ENFORCED_TAG_KEYS}


def _report(account: EmulatedAccount, location: str) -> dict[str, Any]:
    bucket, key = location.removeprefix("s3://").split("/", 1)
    document: dict[str, Any] = json.loads(
        account.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    )
    return document


def legacy_rows(
    legacy: dict[str, str],
    rows: dict[str, dict[str, Any]],
    tags_after: dict[str, dict[str, str]],
) -> list[list[Cell | str]]:
    found: list[list[Cell | str]] = []
    for what, arn in legacy.items():
        row = rows.get(arn, {})
        reason = f" ({row['reason']})" if row.get("reason") else ""
        tags = tags_after.get(arn, {})
        found.append(
            [
                what,
                _short(arn),
                f"{row.get('outcome', '?')}{reason} -> {row.get('action', '?')}",
                "\n".join(f"{e['rule']}: {e['conclusion']}" for e in row.get("evidence", [])),
                "\n".join(f"{k.split(':')[1]}={_short(v)}" for k, v in sorted(tags.items())) or "-",
            ]
        )
    return found


def legacy_view(rows: list[list[Cell | str]], width: int) -> RenderableType:
    return fitted(
        "What the sweep did with the legacy resources",
        ("what", "resource", "decision", "evidence", "tags after"),
        rows,
        width,
    )


def summary_view(summary: SweepSummary, title: str, width: int) -> RenderableType:
    """The CLI's summary table from 120 columns; below, the counts that are not zero."""
    if width >= TABLE_MIN_WIDTH:
        return summary_table(summary, title)
    rows: list[list[Cell | str]] = [
        [type_name, ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))]
        for type_name, counts in sorted(summary.by_type.items())
    ]
    rows.append(["all types", ", ".join(f"{n} {a}" for a, n in sorted(summary.by_action.items()))])
    return fitted(title, ("resource type", "resources"), rows, width)


def run_sweep_step(
    console: Console,
    account: EmulatedAccount,
    stack: DeployedStack,
    scenario: BlogScenario,
    read_digests: Any,
) -> None:
    """Create legacy resources, run the deployed sweep once, show its summary and digest."""
    console.rule("[bold]The daily sweep: resources made before the enforcer existed")
    legacy = create_legacy_resources(scenario)
    console.print(
        f"{len(legacy)} legacy resources created directly (no events); running the deployed "
        "sweep state machine as its daily schedule would"
    )
    execution = DeployedSweep(account, stack).start()
    report = _report(account, execution.output["report"]["json"])
    summary = SweepSummary()
    for row in report["rows"]:
        summary.add(ReportRow.from_dict(row))
    width = console.width
    title = f"Sweep of every registry type ({report['mode']} mode)"
    console.print(summary_view(summary, title, width))
    tags_after = {arn: _tags(account, arn) for arn in legacy.values()}
    by_arn = {r["resourceArn"]: r for r in report["rows"]}
    console.print(legacy_view(legacy_rows(legacy, by_arn, tags_after), width))
    digests = [
        d for d in read_digests() if d["MessageAttributes"]["kind"]["Value"] == "sweep-digest"
    ]
    console.print(
        f"report: {execution.output['report']['json']} and .csv; "
        f"{len(digests)} digest on the alert topic: {digests[0]['Subject'] if digests else '-'}"
    )
