"""The demo's last act: legacy resources the event path never saw, found and fixed by the sweep."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from tag_enforcer.core.arns import Arn, InvalidArnError
from tag_enforcer.core.tags import ENFORCED_TAG_KEYS
from tag_enforcer.sweep.report import ReportRow, SweepSummary
from tag_enforcer_cli.commands.sweep import summary_table
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


def legacy_table(
    account: EmulatedAccount, legacy: dict[str, str], rows: dict[str, dict[str, Any]]
) -> Table:
    table = Table(title="What the sweep did with the legacy resources", show_lines=True)
    for column in ("what", "resource", "decision", "evidence", "tags after"):
        table.add_column(column, overflow="fold")
    for what, arn in legacy.items():
        row = rows.get(arn, {})
        reason = f" ({row['reason']})" if row.get("reason") else ""
        tags = _tags(account, arn)
        table.add_row(
            what,
            _short(arn),
            f"{row.get('outcome', '?')}{reason} -> {row.get('action', '?')}",
            "\n".join(f"{e['rule']}: {e['conclusion']}" for e in row.get("evidence", [])),
            "\n".join(f"{k.split(':')[1]}={_short(v)}" for k, v in sorted(tags.items())) or "-",
        )
    return table


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
    console.print(summary_table(summary, f"Sweep of every registry type ({report['mode']} mode)"))
    console.print(legacy_table(account, legacy, {r["resourceArn"]: r for r in report["rows"]}))
    digests = [
        d for d in read_digests() if d["MessageAttributes"]["kind"]["Value"] == "sweep-digest"
    ]
    console.print(
        f"report: {execution.output['report']['json']} and .csv; "
        f"{len(digests)} digest on the alert topic: {digests[0]['Subject'] if digests else '-'}"
    )
