"""At-least-once delivery: duplicates and parents' events arriving late change no end state.

EventBridge and SQS deliver each event at least once and in no guaranteed order. The
same chain of resources is made several times over, each copy delivered differently
(once in order, three times, children before parents, both), through the deployed
rules, queue and handler; every copy must end like the in-order one, with at most one
alert per (resource, reason).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tag_enforcer.core.tags import DOMAIN_TAG, USER_PROFILE_TAG
from tag_enforcer_dev.emulator.bulk_events import (
    Kind,
    PlannedResource,
    ResourceFactory,
    container_clock,
    deliver,
    queue_depths,
)
from tag_enforcer_dev.emulator.pipeline import EnforcePipeline
from tests.support.team_world import TeamWorld

pytestmark = pytest.mark.e2e

# The chain, parents first: every member made by bob's own role outside Studio, except
# the model of a user no domain knows and the model that claims a domain that is not.
CHAIN = ("model", "endpoint-config", "endpoint", "experiment", "trial", "unknown", "spoofed")


@dataclass(frozen=True)
class EndState:
    tags: dict[str, dict[str, str]]  # chain member -> its enforced tags
    alerts: dict[str, Counter[str]]  # chain member -> alerts per kind


def make_chain(world: TeamWorld, prefix: str) -> dict[str, PlannedResource]:
    factory = ResourceFactory(world.team, prefix)
    bob = {DOMAIN_TAG: world.team.domain_arn, USER_PROFILE_TAG: world.team.profiles["bob"]}
    ghost_domain = world.team.domain_arn.rsplit("/", 1)[0] + "/d-ghost0000000"
    model = factory.model(Kind.PROFILE_ROLE_MODEL)
    config = factory.custom(
        "CreateEndpointConfig",
        {
            "EndpointConfigName": f"{prefix}-config",
            "ProductionVariants": [
                {
                    "VariantName": "AllTraffic",
                    "ModelName": model.name,
                    "InitialInstanceCount": 1,
                    "InstanceType": "ml.m5.large",
                }
            ],
        },
        factory.bob_laptop,
        bob,
    )
    endpoint = factory.custom(
        "CreateEndpoint",
        {"EndpointName": f"{prefix}-endpoint", "EndpointConfigName": config.name},
        factory.bob_laptop,
        bob,
    )
    experiment = factory.custom(
        "CreateExperiment", {"ExperimentName": f"{prefix}-experiment"}, factory.bob_laptop, bob
    )
    trial = factory.custom(
        "CreateTrial",
        {"TrialName": f"{prefix}-trial", "ExperimentName": experiment.name},
        factory.bob_laptop,
        bob,
    )
    unknown = factory.model(Kind.UNATTRIBUTABLE_MODEL)
    spoofed = factory.custom(
        "CreateModel",
        {
            "ModelName": f"{prefix}-spoofed",
            "ExecutionRoleArn": world.team.roles["BobRole"],
            "PrimaryContainer": {"Image": "i"},
            "Tags": [{"Key": DOMAIN_TAG, "Value": ghost_domain}],
        },
        factory.bob_laptop,
        {DOMAIN_TAG: ghost_domain},  # never overwritten, only flagged
    )
    members = (model, config, endpoint, experiment, trial, unknown, spoofed)
    return dict(zip(CHAIN, members, strict=True))


def end_state(world: TeamWorld, chain: dict[str, PlannedResource]) -> EndState:
    by_arn = {resource.arn: member for member, resource in chain.items()}
    alerts: dict[str, Counter[str]] = {member: Counter() for member in chain}
    for alert in world.alerts():
        alerts[by_arn[alert["resourceArn"]]][alert["kind"]] += 1
    return EndState({m: world.tags(r.arn) for m, r in chain.items()}, alerts)


@pytest.fixture(scope="module")
def in_order(world: TeamWorld) -> EndState:
    """The reference: each event delivered once, parents before children."""
    world.alerts()
    pipeline = EnforcePipeline(world.account, world.deployment.stack)
    chain = make_chain(world, "in-order")
    deliver(pipeline, [chain[m].event for m in CHAIN])
    pipeline.close()
    return end_state(world, chain)


def test_in_order_single_delivery_gives_the_expected_tags_and_one_alert_per_finding(
    in_order: EndState,
) -> None:
    """7 events once, in order: 5 tagged with domain and profile, the spoofed tag kept,
    2 alerts (1 unattributable, 1 mismatch)."""
    assert in_order.tags["endpoint"] == in_order.tags["model"]
    assert set(in_order.tags["model"]) == {DOMAIN_TAG, USER_PROFILE_TAG}
    for member in ("endpoint-config", "endpoint", "experiment", "trial"):
        assert in_order.tags[member] == in_order.tags["model"], member
    assert in_order.tags["unknown"] == {}
    assert in_order.tags["spoofed"][DOMAIN_TAG].endswith("/d-ghost0000000")
    assert {m: dict(c) for m, c in in_order.alerts.items() if c} == {
        "unknown": {"unattributable": 1},
        "spoofed": {"mismatch": 1},
    }


def _thrice(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Three copies of the whole stream, so duplicates share batches and cross them."""
    return events * 3


def _each_thrice(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each event three times in a row: the copies land in the same batch."""
    return [event for event in events for _ in range(3)]


ORDERINGS: dict[str, Callable[[list[dict[str, Any]]], list[dict[str, Any]]]] = {
    "three-times": _thrice,
    "each-three-times-in-a-row": _each_thrice,
    "children-first": lambda events: events[::-1],
    "children-first-three-times": lambda events: _thrice(events[::-1]),
}


@pytest.mark.parametrize("ordering", sorted(ORDERINGS))
def test_duplicated_or_reordered_delivery_ends_as_in_order_delivery(
    world: TeamWorld, pipeline: EnforcePipeline, in_order: EndState, ordering: str
) -> None:
    """7 events delivered three times and/or children before parents (trial before its
    experiment, endpoint before its config): same 7 end states, at most 1 alert each."""
    # GIVEN a fresh copy of the chain
    chain = make_chain(world, f"ord-{ordering}")

    # WHEN its events are delivered duplicated or out of order
    deliver(pipeline, ORDERINGS[ordering]([chain[m].event for m in CHAIN]))

    # THEN every member ends exactly as in the in-order, once-only delivery
    state = end_state(world, chain)
    assert state.tags == in_order.tags
    assert state.alerts == in_order.alerts
    # AND no record was left behind or dead-lettered
    assert queue_depths(world.account, pipeline) == {"queue": 0, "dlq": 0}


def test_lineage_only_child_before_its_parent_ends_as_in_order(
    world: TeamWorld, pipeline: EnforcePipeline
) -> None:
    """1 experiment by bob's role, 1 trial of it by an IAM user: trial's event first must
    still end with the experiment's domain and profile tags, and 0 alerts."""
    # GIVEN an experiment made by bob's role (untagged until the enforcer sees its event)
    factory = ResourceFactory(world.team, "lineage-late")
    bob = {DOMAIN_TAG: world.team.domain_arn, USER_PROFILE_TAG: world.team.profiles["bob"]}
    experiment = factory.custom(
        "CreateExperiment", {"ExperimentName": "lineage-late-exp"}, factory.bob_laptop, bob
    )
    # AND a trial of it made by a CI user, whose only evidence is that experiment
    trial = factory.lineage_trial(experiment)

    # WHEN the trial's event is handled before the experiment's
    deliver(pipeline, [trial.event, experiment.event])

    # THEN both end as in order: the trial carries the experiment's tags, nobody alerted
    assert world.tags.mismatches([experiment, trial]) == {}
    assert world.alerts() == []


def test_resource_of_a_new_profile_before_the_profile_event_ends_as_in_order(
    world: TeamWorld, pipeline: EnforcePipeline
) -> None:
    """1 profile created after the directory loaded, 1 model by its role delivered before the
    profile's event (container clock frozen): the model must end tagged, with 0 alerts."""
    factory = ResourceFactory(world.team, "profile-late")
    with container_clock():
        # GIVEN a warm function whose directory predates a new profile
        warm = factory.model(Kind.PROFILE_ROLE_MODEL)
        deliver(pipeline, [warm.event])
        profile, role = factory.user_profile("pia")
        model = factory.model_by_role(role, profile.expected_tags)

        # WHEN the model's event is handled before the profile's
        deliver(pipeline, [model.event, profile.event])

    # THEN both end as in order, and nobody is alerted
    assert world.tags.mismatches([warm, profile, model]) == {}
    assert world.alerts() == []
