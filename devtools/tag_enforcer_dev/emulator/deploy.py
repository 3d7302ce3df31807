"""Deploy template.yaml into the emulated account the way `sam deploy` would.

Package code to S3, translate with the real SAM translator (samtranslator), then
create the stack with moto's CloudFormation. Only what moto cannot emulate is
adjusted, here and nowhere else, and each adjustment says why.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform

from tag_enforcer_dev.emulator.account import EmulatedAccount
from tag_enforcer_dev.template_file import PROJECT_ROOT, TEMPLATE_PATH, load_template

ARTIFACT_BUCKET = "tag-enforcer-sam-artifacts"
_SKIPPED_FILES = ("__pycache__", ".pyc")


@dataclass(frozen=True)
class DeployedStack:
    stack_name: str
    outputs: dict[str, str]
    physical_ids: dict[str, str]  # logical id -> physical id
    translated_template: dict[str, Any]

    def function_environment(self, account: EmulatedAccount, logical_id: str) -> dict[str, str]:
        """The deployed function's environment, as Lambda would hand it to the handler."""
        lambda_client = account.client("lambda")
        configuration = lambda_client.get_function_configuration(
            FunctionName=self.physical_ids[logical_id]
        )
        variables: dict[str, str] = configuration.get("Environment", {}).get("Variables", {})
        # Lambda hands every variable over as a string; moto keeps resolved numbers as numbers.
        return {key: str(value) for key, value in variables.items()}


@dataclass(frozen=True)
class Deployment:
    """A stack deployed into an emulated account."""

    account: EmulatedAccount
    stack: DeployedStack


def _zip_directory(directory: Path, prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file() and not any(part in str(path) for part in _SKIPPED_FILES):
                archive.write(path, prefix + str(path.relative_to(directory)))
    return buffer.getvalue()


def _package(template: dict[str, Any], account: EmulatedAccount) -> dict[str, Any]:
    """Zip each code folder to S3 and point the template at it, as `sam package` does."""
    s3 = account.client("s3")
    s3.create_bucket(Bucket=ARTIFACT_BUCKET)
    for logical_id, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::Serverless::Function":
            key, prefix = f"{logical_id}.zip", ""
            source = PROJECT_ROOT / properties["CodeUri"]
            uri_property = "CodeUri"
        elif resource["Type"] == "AWS::Serverless::LayerVersion":
            # A python layer's packages sit under python/ (Lambda Developer Guide, "Layer paths").
            key, prefix = f"{logical_id}.zip", "python/"
            source = PROJECT_ROOT / properties["ContentUri"]
            uri_property = "ContentUri"
        else:
            continue
        s3.put_object(Bucket=ARTIFACT_BUCKET, Key=key, Body=_zip_directory(source, prefix))
        properties[uri_property] = f"s3://{ARTIFACT_BUCKET}/{key}"
    return template


def _adapt_for_moto(translated: dict[str, Any]) -> dict[str, Any]:
    """Drop what moto 5.2.5's CloudFormation cannot create; the real template keeps it."""
    for resource in translated["Resources"].values():
        if resource["Type"] == "AWS::Lambda::Function":
            # moto rejects LoggingConfig's LogGroup reference and has no X-Ray.
            resource["Properties"].pop("LoggingConfig", None)
            resource["Properties"].pop("TracingConfig", None)
    return translated


def translate(
    template: dict[str, Any], account: EmulatedAccount, parameters: dict[str, str]
) -> dict[str, Any]:
    loader = ManagedPolicyLoader(account.client("iam"))
    translated: dict[str, Any] = transform(template, parameters, loader)
    return translated


def deploy(
    account: EmulatedAccount,
    stack_name: str = "sagemaker-tag-enforcer",
    parameters: dict[str, str] | None = None,
    template_path: Path = TEMPLATE_PATH,
    timeout_seconds: float = 120,
) -> DeployedStack:
    # The emulated account's "legacy" resources are seconds old when a scenario sweeps
    # them; in a real account the default 15-minute lag window holds.
    parameters = {"SweepLagWindowSeconds": "0", **(parameters or {})}
    translated = translate(_package(load_template(template_path), account), account, parameters)
    return create_stack(
        account.client("cloudformation"),
        stack_name,
        json.dumps(_adapt_for_moto(json.loads(json.dumps(translated)))),
        parameters=parameters,
        capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        translated=translated,
        timeout_seconds=timeout_seconds,
    )


def create_stack(
    cloudformation: Any,
    stack_name: str,
    template_body: str,
    *,
    parameters: dict[str, str],
    capabilities: list[str],
    translated: dict[str, Any],
    timeout_seconds: float = 120,
) -> DeployedStack:
    """Create the stack with moto's CloudFormation and wait until it is complete."""
    cloudformation.create_stack(
        StackName=stack_name,
        TemplateBody=template_body,
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        Capabilities=capabilities,
    )
    deadline = time.monotonic() + timeout_seconds
    while True:
        stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
        status = stack["StackStatus"]
        if status == "CREATE_COMPLETE":
            break
        if status.endswith("FAILED") or "ROLLBACK" in status or time.monotonic() > deadline:
            events = cloudformation.describe_stack_events(StackName=stack_name)["StackEvents"]
            reasons = [
                f"{e['LogicalResourceId']}: {e.get('ResourceStatusReason')}"
                for e in events
                if e.get("ResourceStatusReason")
            ]
            raise RuntimeError(f"stack {stack_name} ended {status}: {reasons[:5]}")
        time.sleep(0.2)
    resources = cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
    return DeployedStack(
        stack_name=stack_name,
        outputs={o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
        physical_ids={
            r["LogicalResourceId"]: r["PhysicalResourceId"]
            for r in resources
            if "LogicalResourceId" in r and "PhysicalResourceId" in r
        },
        translated_template=translated,
    )
