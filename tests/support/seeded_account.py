"""An emulated account holding 270 legacy resources, and what a sweep should make of them.

Training and processing jobs and models, made before the enforcer existed, by three
roles of the blog scenario's domains; about 20% already tagged correctly, and one
model in ten by a CI role no domain uses (nothing to attribute it to).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tag_enforcer.core.tags import ENFORCED_TAG_KEYS
from tag_enforcer_dev.emulator.account import EmulatedAccount, running_account
from tag_enforcer_dev.emulator.request_counter import RequestCounter, count_requests
from tag_enforcer_dev.scenario import BlogScenario, _model, _training_job, set_up_domains

# The types the seeded account's sweeps cover.
TYPES = (
    "Domain",
    "UserProfile",
    "TrainingJob",
    "ProcessingJob",
    "Model",
    "EndpointConfig",
    "Experiment",
    "Trial",
)
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/features:1"


@dataclass
class Seeded:
    """The seeded account, its call counter, and the tags each resource should end with."""

    account: EmulatedAccount
    scenario: BlogScenario
    counter: RequestCounter
    expected: dict[str, dict[str, str]] = field(default_factory=dict)  # ARN -> enforced tags
    unattributable: set[str] = field(default_factory=set)
    pre_tagged: set[str] = field(default_factory=set)
    _sagemaker: Any = None

    def tags(self, arn: str) -> dict[str, str]:
        if self._sagemaker is None:
            self._sagemaker = self.account.client("sagemaker")
        found = self._sagemaker.list_tags(ResourceArn=arn)["Tags"]
        return {t["Key"]: t["Value"] for t in found if t["Key"] in ENFORCED_TAG_KEYS}


def seed(account: EmulatedAccount) -> tuple[BlogScenario, dict[str, Any]]:
    scenario = set_up_domains(account)
    sagemaker = account.client("sagemaker")
    rng = random.Random(7)
    roles = [
        "FinanceStudioExecutionRole",
        "FinanceQuantAnalystRole",
        "SustainabilityStudioExecutionRole",
    ]
    expected: dict[str, dict[str, str]] = {}
    unattributable: set[str] = set()
    pre_tagged: set[str] = set()

    def create(kind: str, name: str, role: str, request: dict[str, Any]) -> None:
        owner = scenario.tags_for_role(role)
        tagged = bool(owner) and rng.random() < 0.2
        if tagged:
            request["Tags"] = [{"Key": k, "Value": v} for k, v in owner.items()]
        response = getattr(sagemaker, f"create_{kind}")(**request)
        arn = next(v for k, v in response.items() if k.endswith("Arn"))
        if owner:
            expected[arn] = owner
        else:
            unattributable.add(arn)
        if tagged:
            pre_tagged.add(arn)

    for index in range(120):
        role = roles[index % 3]
        create(
            "training_job",
            f"legacy-train-{index}",
            role,
            _training_job(f"legacy-train-{index}", scenario.roles[role]),
        )
    for index in range(90):
        role = roles[index % 3]
        create(
            "processing_job",
            f"legacy-proc-{index}",
            role,
            {
                "ProcessingJobName": f"legacy-proc-{index}",
                "ProcessingResources": {
                    "ClusterConfig": {
                        "InstanceCount": 1,
                        "InstanceType": "ml.m5.xlarge",
                        "VolumeSizeInGB": 30,
                    }
                },
                "AppSpecification": {"ImageUri": IMAGE},
                "RoleArn": scenario.roles[role],
            },
        )
    for index in range(60):
        # One model in ten runs as a CI role no domain uses: nothing to attribute it to.
        role = "CiModelDeployRole" if index % 10 == 0 else roles[index % 3]
        create(
            "model",
            f"legacy-model-{index}",
            role,
            _model(f"legacy-model-{index}", scenario.roles[role]),
        )
    return scenario, {
        "expected": expected,
        "unattributable": unattributable,
        "pre_tagged": pre_tagged,
    }


@contextmanager
def seeded_account() -> Iterator[Seeded]:
    """A fresh emulated account, seeded, with its API calls counted."""
    with running_account() as account:
        scenario, facts = seed(account)
        yield Seeded(account, scenario, count_requests(account), **facts)
