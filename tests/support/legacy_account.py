"""Legacy resources for the deployed-sweep tests: made before the enforcer existed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tag_enforcer.core.tags import DOMAIN_TAG, ENFORCED_TAG_KEYS
from tag_enforcer_dev.emulator.account import EmulatedAccount
from tag_enforcer_dev.emulator.deploy import DeployedStack, Deployment
from tag_enforcer_dev.emulator.inbox import read_inbox, subscribe_compliance_inbox
from tag_enforcer_dev.scenario import BlogScenario, _model, _training_job, set_up_domains

LEGACY_JOBS = 130  # two Search pages


@dataclass
class LegacyAccount:
    """Resources made before the enforcer existed, and what the sweep should make of them."""

    deployment: Deployment
    scenario: BlogScenario
    inbox: str
    jobs: list[str] = field(default_factory=list)
    orphan_model: str = ""
    spoofed_job: str = ""

    @property
    def account(self) -> EmulatedAccount:
        return self.deployment.account

    @property
    def stack(self) -> DeployedStack:
        return self.deployment.stack

    def tags(self, arn: str) -> dict[str, str]:
        found = self.account.client("sagemaker").list_tags(ResourceArn=arn)["Tags"]
        return {t["Key"]: t["Value"] for t in found if t["Key"] in ENFORCED_TAG_KEYS}

    def digests(self) -> list[dict[str, Any]]:
        return [
            m
            for m in read_inbox(self.account, self.inbox)
            if m["MessageAttributes"]["kind"]["Value"] == "sweep-digest"
        ]

    def report(self, location: str) -> bytes:
        bucket, key = location.removeprefix("s3://").split("/", 1)
        body: bytes = self.account.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
        return body


def legacy_account(deployment: Deployment) -> LegacyAccount:
    inbox = subscribe_compliance_inbox(deployment.account, deployment.stack)
    scenario = set_up_domains(deployment.account)
    sagemaker = deployment.account.client("sagemaker")
    legacy = LegacyAccount(deployment, scenario, inbox)
    for index in range(LEGACY_JOBS):
        request = _training_job(f"legacy-{index}", scenario.roles["FinanceQuantAnalystRole"])
        legacy.jobs.append(sagemaker.create_training_job(**request)["TrainingJobArn"])
    legacy.orphan_model = sagemaker.create_model(
        **_model("legacy-orphan", scenario.roles["CiModelDeployRole"])
    )["ModelArn"]
    spoof = _training_job("spoofed", scenario.roles["SustainabilityStudioExecutionRole"])
    spoof["Tags"] = [{"Key": DOMAIN_TAG, "Value": scenario.finance.domain_arn}]
    legacy.spoofed_job = sagemaker.create_training_job(**spoof)["TrainingJobArn"]
    return legacy
