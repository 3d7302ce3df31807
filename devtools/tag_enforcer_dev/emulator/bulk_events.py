"""Many cheap resources on the emulated account, each with the CloudTrail event that made it.

Why this exists: the fault, at-least-once, memory and load runs need thousands of real
resources the enforcer can read and tag, in a known mix of decisions, without the cost
of training jobs. Every block of ten events is:

    1 experiment created inside Studio (already tagged: compliant)
    2 trials of it created by an IAM user (lineage: inherit the experiment's tags)
    4 models created by bob's own role outside Studio (domain and profile tags)
    2 models created by the domain's shared default role (domain tag only)
    1 model created by an IAM user no domain knows (flagged unattributable: one alert)
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tag_enforcer.core.directory import CachedDirectory, DirectoryReader
from tag_enforcer.core.tags import DOMAIN_TAG, ENFORCED_TAG_KEYS, USER_PROFILE_TAG
from tag_enforcer.wiring import enforce as wiring
from tag_enforcer_dev.emulator.account import EmulatedAccount
from tag_enforcer_dev.emulator.cloudtrail_events import Caller, api_call_event
from tag_enforcer_dev.emulator.pipeline import EnforcePipeline
from tag_enforcer_dev.scenario import boto3_method

STUDIO_USER_AGENT = "AWS-SageMaker-Studio/2.0 Boto3/1.44.5 (JupyterLab)"
_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
_TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
    '"Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
)
# moto's SQS computes queue attributes over every message for each message it hands
# out, so a receive costs O(queue depth). Delivering a few hundred events at a time
# measures the handler, not moto, and matches a poller that keeps up with the bus.
DEFAULT_CHUNK = 200


class Kind(StrEnum):
    STUDIO_EXPERIMENT = "studio-experiment"
    LINEAGE_TRIAL = "lineage-trial"
    PROFILE_ROLE_MODEL = "profile-role-model"
    SHARED_ROLE_MODEL = "shared-role-model"
    UNATTRIBUTABLE_MODEL = "unattributable-model"
    OTHER = "other"  # made with ResourceFactory.custom


BLOCK: tuple[Kind, ...] = (
    Kind.STUDIO_EXPERIMENT,
    Kind.LINEAGE_TRIAL,
    Kind.LINEAGE_TRIAL,
    Kind.PROFILE_ROLE_MODEL,
    Kind.PROFILE_ROLE_MODEL,
    Kind.PROFILE_ROLE_MODEL,
    Kind.PROFILE_ROLE_MODEL,
    Kind.SHARED_ROLE_MODEL,
    Kind.SHARED_ROLE_MODEL,
    Kind.UNATTRIBUTABLE_MODEL,
)


@dataclass(frozen=True)
class Team:
    """One domain: alice and carol share the default role, bob has his own; a CI user."""

    account: EmulatedAccount
    domain_id: str
    domain_arn: str
    profiles: dict[str, str]  # name -> ARN
    roles: dict[str, str]  # SharedRole, BobRole, CiRole -> ARN
    ci_user_arn: str


@dataclass(frozen=True)
class PlannedResource:
    """A resource that exists, the event that made it, and the tags it must end with."""

    kind: Kind
    name: str
    arn: str
    event: dict[str, Any]
    expected_tags: dict[str, str]  # empty: it must be flagged, not tagged

    @property
    def event_id(self) -> str:
        event_id: str = self.event["detail"]["eventID"]
        return event_id

    @property
    def attributable(self) -> bool:
        return bool(self.expected_tags)


def set_up_team(account: EmulatedAccount, name: str = "load-team") -> Team:
    iam, sagemaker = account.client("iam"), account.client("sagemaker")
    roles = {
        role: iam.create_role(
            RoleName=f"{name}-{role}", Path="/service-role/", AssumeRolePolicyDocument=_TRUST
        )["Role"]["Arn"]
        for role in ("SharedRole", "BobRole", "CiRole")
    }
    created = sagemaker.create_domain(
        DomainName=name,
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": roles["SharedRole"]},
        DomainSettings={"ExecutionRoleIdentityConfig": "USER_PROFILE_NAME"},
        SubnetIds=["subnet-0a1b2c3d"],
        VpcId="vpc-0a1b2c3d",
        Tags=[{"Key": "team", "Value": name}],
    )
    domain_arn: str = created["DomainArn"]
    domain_id = domain_arn.rsplit("/", 1)[-1]
    own_roles = {"alice": None, "carol": None, "bob": roles["BobRole"]}
    profiles = {
        profile: sagemaker.create_user_profile(
            DomainId=domain_id,
            UserProfileName=profile,
            UserSettings={"ExecutionRole": role} if role else {},
        )["UserProfileArn"]
        for profile, role in own_roles.items()
    }
    ci_user = f"arn:aws:iam::{account.account_id}:user/{name}-ci-bot"
    return Team(account, domain_id, domain_arn, profiles, roles, ci_user)


class ResourceFactory:
    """Creates resources on the emulated account and writes the event each would produce."""

    def __init__(self, team: Team, prefix: str) -> None:
        self.team = team
        self.prefix = prefix
        self._sagemaker = team.account.client("sagemaker")
        self._experiment: PlannedResource | None = None
        self._serial = 0
        self.alice_in_studio = Caller.assumed_role(
            team.roles["SharedRole"],
            "SageMaker-alice",
            source_identity="alice",
            user_agent=STUDIO_USER_AGENT,
        )
        self.bob_laptop = Caller.assumed_role(team.roles["BobRole"], "bob-laptop")
        self.shared_role_cli = Caller.assumed_role(team.roles["SharedRole"], "carol-cli")
        self.ci_bot = Caller.iam_user(team.ci_user_arn)

    def _name(self, kind: Kind) -> str:
        self._serial += 1
        return f"{self.prefix}-{kind.value}-{self._serial:06d}"

    def _event(
        self, operation: str, request: dict[str, Any], response: dict[str, Any], caller: Caller
    ) -> dict[str, Any]:
        return api_call_event(
            operation,
            request,
            response,
            caller=caller,
            account=self.team.account.account_id,
            region=self.team.account.region,
        )

    def _call(self, operation: str, method: Callable[..., Any], request: dict[str, Any]) -> Any:
        response = dict(method(**request))
        response.pop("ResponseMetadata", None)
        return response

    def model(self, kind: Kind, name: str | None = None) -> PlannedResource:
        name = name or self._name(kind)
        caller, role, expected = {
            Kind.PROFILE_ROLE_MODEL: (
                self.bob_laptop,
                self.team.roles["BobRole"],
                {DOMAIN_TAG: self.team.domain_arn, USER_PROFILE_TAG: self.team.profiles["bob"]},
            ),
            Kind.SHARED_ROLE_MODEL: (
                self.shared_role_cli,
                self.team.roles["SharedRole"],
                {DOMAIN_TAG: self.team.domain_arn},
            ),
            Kind.UNATTRIBUTABLE_MODEL: (self.ci_bot, self.team.roles["CiRole"], {}),
        }[kind]
        request = {
            "ModelName": name,
            "ExecutionRoleArn": role,
            "PrimaryContainer": {"Image": _IMAGE},
        }
        response = self._call("CreateModel", self._sagemaker.create_model, request)
        event = self._event("CreateModel", request, response, caller)
        return PlannedResource(kind, name, response["ModelArn"], event, expected)

    def studio_experiment(self, name: str | None = None) -> PlannedResource:
        name = name or self._name(Kind.STUDIO_EXPERIMENT)
        tags = {DOMAIN_TAG: self.team.domain_arn, USER_PROFILE_TAG: self.team.profiles["alice"]}
        request = {
            "ExperimentName": name,
            "Tags": [{"Key": k, "Value": v} for k, v in tags.items()],
        }
        response = self._call("CreateExperiment", self._sagemaker.create_experiment, request)
        event = self._event("CreateExperiment", request, response, self.alice_in_studio)
        planned = PlannedResource(
            Kind.STUDIO_EXPERIMENT, name, response["ExperimentArn"], event, tags
        )
        self._experiment = planned
        return planned

    def lineage_trial(
        self, experiment: PlannedResource | None = None, name: str | None = None
    ) -> PlannedResource:
        parent = experiment or self._experiment or self.studio_experiment()
        name = name or self._name(Kind.LINEAGE_TRIAL)
        request = {"TrialName": name, "ExperimentName": parent.name}
        response = self._call("CreateTrial", self._sagemaker.create_trial, request)
        event = self._event("CreateTrial", request, response, self.ci_bot)
        return PlannedResource(
            Kind.LINEAGE_TRIAL, name, response["TrialArn"], event, dict(parent.expected_tags)
        )

    def user_profile(self, name: str) -> tuple[PlannedResource, str]:
        """A profile with a new role of its own, made by a platform admin: (profile, role)."""
        iam = self.team.account.client("iam")
        role: str = iam.create_role(
            RoleName=f"{self.prefix}-{name}-role", AssumeRolePolicyDocument=_TRUST
        )["Role"]["Arn"]
        request = {
            "DomainId": self.team.domain_id,
            "UserProfileName": name,
            "UserSettings": {"ExecutionRole": role},
        }
        response = self._call("CreateUserProfile", self._sagemaker.create_user_profile, request)
        admin = Caller.iam_user(f"arn:aws:iam::{self.team.account.account_id}:user/platform-admin")
        arn = response["UserProfileArn"]
        expected = {DOMAIN_TAG: self.team.domain_arn, USER_PROFILE_TAG: arn}
        event = self._event("CreateUserProfile", request, response, admin)
        return PlannedResource(Kind.PROFILE_ROLE_MODEL, name, arn, event, expected), role

    def model_by_role(self, role: str, expected_tags: dict[str, str]) -> PlannedResource:
        """A model created outside Studio by `role`, for itself."""
        name = self._name(Kind.PROFILE_ROLE_MODEL)
        request = {
            "ModelName": name,
            "ExecutionRoleArn": role,
            "PrimaryContainer": {"Image": _IMAGE},
        }
        response = self._call("CreateModel", self._sagemaker.create_model, request)
        caller = Caller.assumed_role(role, f"{name}-laptop")
        event = self._event("CreateModel", request, response, caller)
        return PlannedResource(
            Kind.PROFILE_ROLE_MODEL, name, response["ModelArn"], event, expected_tags
        )

    def custom(
        self,
        operation: str,
        request: dict[str, Any],
        caller: Caller,
        expected_tags: dict[str, str],
    ) -> PlannedResource:
        """Any create call: `custom("CreateEndpoint", {...}, factory.bob_laptop, {...})`."""
        method = getattr(self._sagemaker, boto3_method(operation))
        response = self._call(operation, method, request)
        arn = next(v for k, v in response.items() if k.endswith("Arn"))
        name = str(next(v for k, v in request.items() if k.endswith("Name")))
        event = self._event(operation, request, response, caller)
        return PlannedResource(Kind.OTHER, name, arn, event, expected_tags)

    def create(self, kind: Kind) -> PlannedResource:
        if kind is Kind.STUDIO_EXPERIMENT:
            return self.studio_experiment()
        if kind is Kind.LINEAGE_TRIAL:
            return self.lineage_trial()
        return self.model(kind)

    def create_mix(self, count: int, block: Sequence[Kind] = BLOCK) -> list[PlannedResource]:
        """`count` resources, cycling through `block`, in creation order."""
        return [self.create(block[i % len(block)]) for i in range(count)]


def deliver(
    pipeline: EnforcePipeline,
    events: Sequence[dict[str, Any]],
    chunk: int = DEFAULT_CHUNK,
    *,
    redeliver: bool = True,
    keep_logs: bool = True,
) -> list[dict[str, Any]]:
    """Publish `events` through the deployed rules `chunk` at a time, draining after each.

    With `redeliver`, records the handler failed are made visible again and retried
    until none fails (or the redrive policy dead-letters them), as SQS would.
    Without `keep_logs` the function's captured stdout is dropped after each chunk, so
    a long run holds no more than a chunk's log lines.
    """
    logged: list[dict[str, Any]] = []
    for start in range(0, len(events), chunk):
        pipeline.publish(events[start : start + chunk])
        logged += pipeline.drain_with_redelivery() if redeliver else pipeline.drain()
        if not keep_logs:
            pipeline.function.log_lines.clear()
    return logged


class TagReader:
    """Reads a resource's enforced tags with one client (building a client costs ~50 ms)."""

    def __init__(self, account: EmulatedAccount) -> None:
        self._sagemaker = account.client("sagemaker")

    def __call__(self, arn: str) -> dict[str, str]:
        tags = self._sagemaker.list_tags(ResourceArn=arn, MaxResults=100)["Tags"]
        return {t["Key"]: t["Value"] for t in tags if t["Key"] in ENFORCED_TAG_KEYS}

    def mismatches(self, planned: Sequence[PlannedResource]) -> dict[str, dict[str, str]]:
        """Name -> enforced tags, for every resource whose tags are not the expected ones."""
        found = {p.name: self(p.arn) for p in planned}
        return {p.name: found[p.name] for p in planned if found[p.name] != p.expected_tags}


def queue_depths(account: EmulatedAccount, pipeline: EnforcePipeline) -> dict[str, int]:
    """Messages left (visible or in flight) on the enforce queue and its dead-letter queue."""
    sqs = account.client("sqs")
    depths = {}
    for name, url in (("queue", pipeline.queue_url), ("dlq", pipeline.dead_letter_queue_url)):
        attributes = sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        depths[name] = int(attributes["ApproximateNumberOfMessages"]) + int(
            attributes["ApproximateNumberOfMessagesNotVisible"]
        )
    return depths


def alert_bodies(alerts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The JSON finding inside each SNS notification the compliance inbox received."""
    return [json.loads(alert["Message"]) for alert in alerts]


class Stopwatch:
    """Wall-clock seconds of a block, for printed figures only (never asserted)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __enter__(self) -> Stopwatch:
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._started


def redrive_dead_letters(account: EmulatedAccount, pipeline: EnforcePipeline) -> int:
    """Move every dead-lettered record back to the enforce queue, as an operator's redrive
    (SQS StartMessageMoveTask, which moto 5.2.5 lacks) would; returns how many moved."""
    sqs = account.client("sqs")
    moved = 0
    while messages := sqs.receive_message(
        QueueUrl=pipeline.dead_letter_queue_url, MaxNumberOfMessages=10
    ).get("Messages", []):
        for message in messages:
            sqs.send_message(QueueUrl=pipeline.queue_url, MessageBody=message["Body"])
            sqs.delete_message(
                QueueUrl=pipeline.dead_letter_queue_url, ReceiptHandle=message["ReceiptHandle"]
            )
            moved += 1
    return moved


class ContainerClock:
    """The enforce function's clock, frozen at the wall-clock time it starts and moved by hand.

    It starts at the real time because the shared directory snapshot carries the time it
    was read, and other containers (and the sweep) write it with the real clock.
    """

    def __init__(self, start: float | None = None) -> None:
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@contextmanager
def container_clock() -> Iterator[ContainerClock]:
    """Domain directories the enforce function builds inside the block read a hand-moved clock.

    Why: the directory's TTL (DirectoryTtlSeconds) and its 30 s reload-on-miss interval
    are wall-clock durations a test should neither wait for nor race against.
    """
    clock = ContainerClock()

    class ClockedDirectory(CachedDirectory):
        def __init__(self, reader: DirectoryReader, ttl_seconds: float, **options: Any) -> None:
            super().__init__(reader, ttl_seconds, **{**options, "clock": clock})

    original = getattr(wiring, "CachedDirectory")  # noqa: B009
    # wiring builds each region's directory through this module-level name.
    setattr(wiring, "CachedDirectory", ClockedDirectory)  # noqa: B010
    try:
        yield clock
    finally:
        setattr(wiring, "CachedDirectory", original)  # noqa: B010
