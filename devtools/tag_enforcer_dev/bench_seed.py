"""Seed the emulated account for `make bench`: N resources of several types, ~20% tagged.

Resources are created through moto's backend in this process, so seeding costs no API
call and is not counted. Each resource's rightful tags are recorded with it: the
domain and profile its role implies, or its lineage parent's, or none at all.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from moto.sagemaker.models import SageMakerModelBackend, sagemaker_backends

from tag_enforcer_dev.emulator.account import EmulatedAccount
from tag_enforcer_dev.scenario import BlogScenario, set_up_domains

# Share of each type in the account; large accounts are mostly jobs (docs/architecture.md, "Scale").
MIX: dict[str, float] = {
    "TrainingJob": 0.40,
    "ProcessingJob": 0.15,
    "Model": 0.12,
    "EndpointConfig": 0.06,
    "Endpoint": 0.06,
    "TransformJob": 0.06,
    "Experiment": 0.03,
    "Trial": 0.12,
}
PRE_TAGGED_SHARE = 0.20
# One model in fifty comes from a CI role no domain uses: it stays unattributable.
ORPHAN_MODEL_SHARE = 0.02
_TRANSFORM_INPUT: Any = {
    "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://bench-artifacts/in/"}}
}
_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


@dataclass
class SeededAccount:
    scenario: BlogScenario
    rightful: dict[str, dict[str, str]] = field(default_factory=dict)  # ARN -> tags, {} if none
    by_type: dict[str, int] = field(default_factory=dict)
    pre_tagged: int = 0

    @property
    def total(self) -> int:
        return len(self.rightful)

    @property
    def attributable(self) -> list[str]:
        return [arn for arn, tags in self.rightful.items() if tags]


class _Seeder:
    def __init__(self, account: EmulatedAccount, scenario: BlogScenario, rng: random.Random):
        self.backend: SageMakerModelBackend = sagemaker_backends[account.account_id][account.region]
        self.scenario = scenario
        self.rng = rng
        self.owners = {role: scenario.tags_for_role(role) for role in scenario.roles}
        self.domain_roles = [r for r, tags in self.owners.items() if tags]
        self.seeded = SeededAccount(scenario)
        self.models: list[tuple[str, dict[str, str]]] = []
        self.configs: list[tuple[str, dict[str, str]]] = []
        self.experiments: list[tuple[str, dict[str, str]]] = []

    def _tags(self, rightful: dict[str, str]) -> list[dict[str, str]]:
        if rightful and self.rng.random() < PRE_TAGGED_SHARE:
            self.seeded.pre_tagged += 1
            return [{"Key": k, "Value": v} for k, v in rightful.items()]
        return []

    def _record(self, type_name: str, arn: str, rightful: dict[str, str]) -> None:
        self.seeded.rightful[arn] = rightful
        self.seeded.by_type[type_name] = self.seeded.by_type.get(type_name, 0) + 1

    def role(self) -> tuple[str, dict[str, str]]:
        name = self.rng.choice(self.domain_roles)
        return self.scenario.roles[name], self.owners[name]

    def training_job(self, index: int) -> None:
        role, owner = self.role()
        job = self.backend.create_training_job(
            training_job_name=f"bench-train-{index}",
            hyper_parameters={},
            algorithm_specification={"TrainingImage": _IMAGE, "TrainingInputMode": "File"},
            role_arn=role,
            input_data_config=[],
            output_data_config={"S3OutputPath": "s3://bench-artifacts/models/"},
            resource_config={
                "InstanceType": "ml.m5.xlarge",
                "InstanceCount": 1,
                "VolumeSizeInGB": 30,
            },
            vpc_config={},
            stopping_condition={"MaxRuntimeInSeconds": 3600},
            tags=self._tags(owner),
            enable_network_isolation=False,
            enable_inter_container_traffic_encryption=False,
            enable_managed_spot_training=False,
            checkpoint_config={},
            debug_hook_config={},
            debug_rule_configurations=[],
            tensor_board_output_config={},
            experiment_config={},
        )
        self._record("TrainingJob", job.arn, owner)

    def processing_job(self, index: int) -> None:
        role, owner = self.role()
        job = self.backend.create_processing_job(
            app_specification={"ImageUri": _IMAGE},
            experiment_config={},
            network_config={},
            processing_inputs=[],
            processing_job_name=f"bench-process-{index}",
            processing_output_config={},
            role_arn=role,
            tags=self._tags(owner),
            stopping_condition={},
        )
        self._record("ProcessingJob", job.arn, owner)

    def model(self, index: int) -> None:
        owner: dict[str, str]
        if self.rng.random() < ORPHAN_MODEL_SHARE:
            role, owner = self.scenario.roles["CiModelDeployRole"], {}
        else:
            role, owner = self.role()
        name = f"bench-model-{index}"
        model = self.backend.create_model(
            model_name=name,
            execution_role_arn=role,
            primary_container={"Image": _IMAGE, "ModelDataUrl": "s3://bench-artifacts/m.tar.gz"},
            vpc_config=None,
            containers=None,
            tags=self._tags(owner),
        )
        self._record("Model", model.arn, owner)
        self.models.append((name, owner))

    def endpoint_config(self, index: int) -> None:
        model, owner = self.rng.choice(self.models)
        name = f"bench-config-{index}"
        config = self.backend.create_endpoint_config(
            endpoint_config_name=name,
            production_variants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": model,
                    "InitialInstanceCount": 1,
                    "InstanceType": "ml.m5.large",
                }
            ],
            data_capture_config={},
            async_inference_config={},
            tags=self._tags(owner),
            kms_key_id="",
        )
        arn = config.arn[0] if isinstance(config.arn, tuple) else config.arn
        self._record("EndpointConfig", arn, owner)
        self.configs.append((name, owner))

    def endpoint(self, index: int) -> None:
        config, owner = self.rng.choice(self.configs)
        endpoint = self.backend.create_endpoint(
            endpoint_name=f"bench-endpoint-{index}",
            endpoint_config_name=config,
            tags=self._tags(owner),
        )
        self._record("Endpoint", endpoint.arn, owner)

    def transform_job(self, index: int) -> None:
        model, owner = self.rng.choice(self.models)
        job = self.backend.create_transform_job(
            transform_job_name=f"bench-transform-{index}",
            model_name=model,
            max_concurrent_transforms=1,
            model_client_config={},
            max_payload_in_mb=6,
            batch_strategy="MultiRecord",
            environment={},
            # moto's annotation is narrower than the TransformInput shape it stores.
            transform_input=_TRANSFORM_INPUT,
            transform_output={"S3OutputPath": "s3://bench-artifacts/out/"},
            data_capture_config={},
            transform_resources={"InstanceType": "ml.m5.large", "InstanceCount": 1},
            data_processing={},
            tags=self._tags(owner),  # type: ignore[arg-type]
            experiment_config={},
        )
        self._record("TransformJob", job.arn, owner)

    def experiment(self, index: int) -> None:
        # Experiments made in Studio: tagged by SageMaker itself, the lineage source of trials.
        _, owner = self.role()
        name = f"bench-experiment-{index}"
        self.backend.create_experiment(name)
        experiment = self.backend.experiments[name]
        experiment.tags = [{"Key": k, "Value": v} for k, v in owner.items()]
        self.seeded.pre_tagged += 1
        self._record("Experiment", experiment.arn, owner)
        self.experiments.append((name, owner))

    def trial(self, index: int) -> None:
        experiment, owner = self.rng.choice(self.experiments)
        name = f"bench-trial-{index}"
        self.backend.create_trial(name, experiment)
        trial = self.backend.trials[name]
        trial.tags = self._tags(owner)
        self._record("Trial", trial.arn, owner)


def seed(account: EmulatedAccount, resources: int, seed_value: int = 20261129) -> SeededAccount:
    """The account's two domains, then `resources` resources in MIX proportions."""
    scenario = set_up_domains(account)
    seeder = _Seeder(account, scenario, random.Random(seed_value))
    makers: dict[str, Callable[[int], None]] = {
        "Model": seeder.model,
        "Experiment": seeder.experiment,
        "TrainingJob": seeder.training_job,
        "ProcessingJob": seeder.processing_job,
        "EndpointConfig": seeder.endpoint_config,
        "Endpoint": seeder.endpoint,
        "TransformJob": seeder.transform_job,
        "Trial": seeder.trial,
    }
    counts = {name: max(1, round(resources * share)) for name, share in MIX.items()}
    counts["TrainingJob"] += resources - sum(counts.values())
    for type_name, make in makers.items():
        for index in range(counts[type_name]):
            make(index)
    return seeder.seeded


def current_tags(account: EmulatedAccount, arn: str) -> dict[str, Any]:
    """Tags read from the backend, uncounted: for the bench's verdict, not the sweep's."""
    backend = sagemaker_backends[account.account_id][account.region]
    resource = backend._get_resource_from_arn(arn)
    return {t["Key"]: t["Value"] for t in (getattr(resource, "tags", None) or [])}
