"""The sweep on the emulated account: a few hundred resources, real boto3 clients, counted calls."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tag_enforcer.core.resources import AccountScope
from tag_enforcer.core.settings import EnforcementMode
from tag_enforcer.core.tags import ENFORCED_TAG_KEYS
from tag_enforcer.sweep.report import SweepAction
from tag_enforcer.sweep.service import SweepResult
from tag_enforcer.sweep.settings import SweepOptions
from tag_enforcer.wiring.sweep import build_sweep_service
from tag_enforcer_cli.local_stores import InMemoryCheckpointStore, InMemoryRunStore
from tag_enforcer_dev.emulator.account import EmulatedAccount, running_account
from tag_enforcer_dev.emulator.request_counter import RequestCounter, count_requests
from tag_enforcer_dev.scenario import BlogScenario, _model, _training_job, set_up_domains

pytestmark = pytest.mark.integration

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
SWEPT_SERVICES = ("sagemaker", "tagging")
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/features:1"


@dataclass
class Seeded:
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


def _seed(account: EmulatedAccount) -> tuple[BlogScenario, dict[str, Any]]:
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


@pytest.fixture(scope="module")
def seeded() -> Iterator[Seeded]:
    with running_account() as account:
        scenario, facts = _seed(account)
        yield Seeded(account, scenario, count_requests(account), **facts)


def sweep(seeded: Seeded, mode: EnforcementMode = EnforcementMode.TAG) -> SweepResult:
    account = seeded.account
    service = build_sweep_service(
        SweepOptions(mode=mode, type_names=TYPES, lag_window_seconds=0),
        AccountScope("aws", account.region, account.account_id),
        checkpoints=InMemoryCheckpointStore(),
        runs=InMemoryRunStore(),
        client_factory=account.client,
    )
    return service.run("integration-test")


def test_backfill_then_steady_state(seeded: Seeded) -> None:
    # GIVEN 270 legacy jobs and models, about 20% tagged correctly, 6 models with no evidence
    total = len(seeded.expected) + len(seeded.unattributable)
    untagged_listed = sum(
        1
        for arn in [*seeded.expected, *seeded.unattributable]
        if arn not in seeded.pre_tagged and ":training-job/" not in arn
    )
    seeded.counter.reset()

    # WHEN a tag-mode sweep runs
    backfill = sweep(seeded)
    backfill_calls = seeded.counter.by_operation(SWEPT_SERVICES)

    # THEN every attributable resource carries exactly the tags its role implies
    wrong = {
        arn: seeded.tags(arn) for arn, want in seeded.expected.items() if seeded.tags(arn) != want
    }
    assert not wrong
    # AND the resources nothing ties to a domain are untouched and reported as flagged
    assert all(seeded.tags(arn) == {} for arn in seeded.unattributable)
    flagged = {r.resource_arn for r in backfill.summary.findings}
    assert seeded.unattributable <= flagged
    # AND the report has a row for every resource swept (the domains and profiles too)
    studio_resources = 2 + 4  # two domains, four profiles
    assert backfill.summary.total == total + studio_resources
    assert backfill.summary.by_action[SweepAction.TAGGED.value] == (
        len(seeded.expected) - len(seeded.pre_tagged) + studio_resources
    )
    # AND Describe was called only for the untagged List resources, nothing else per resource
    describes = sum(n for op, n in backfill_calls.items() if op.startswith("Describe"))
    # DescribeDomain, DescribeUserProfile and DescribeSpace for the directory
    directory_reads = 2 + 4 + len(seeded.account.client("sagemaker").list_spaces()["Spaces"])
    assert describes == untagged_listed + directory_reads
    assert "ListTags" not in backfill_calls
    assert "AddTags" not in backfill_calls
    assert sum(backfill_calls.values()) / total < 0.7

    # WHEN the sweep runs again over the now-compliant account
    seeded.counter.reset()
    steady = sweep(seeded)
    steady_calls = seeded.counter.by_operation(SWEPT_SERVICES)

    # THEN it read one page per type (two for 120 jobs) and one GetResources per List
    # page, plus the directory; only the resources no evidence covers are described again
    assert steady.summary.by_action[SweepAction.TAGGED.value] == 0
    reads = {op: n for op, n in steady_calls.items() if not op.startswith("Describe")}
    assert reads == {
        "ListDomains": 2,  # the directory, then the Domain type
        "ListUserProfiles": 2,
        "ListSpaces": 1,
        "Search": 2 + 1 + 1,  # training jobs, experiments, trials
        "ListProcessingJobs": 1,
        "ListModels": 1,
        "ListEndpointConfigs": 1,
        "GetResources": 4,  # domains, profiles, processing jobs, models
    }
    describes = sum(n for op, n in steady_calls.items() if op.startswith("Describe"))
    assert describes == directory_reads + len(seeded.unattributable)
