"""Faults on the emulated account: throttling, vanishing resources, SNS failing, a stale directory.

Events go through the deployed rules, queue and handler (EnforcePipeline). Faults come
from emulator/faults.py in front of the moto server, so the product sees the errors
botocore would parse from AWS and retries them the way it is configured to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tag_enforcer.core.directory import FULL_READ_ON_MISS_AFTER_SECONDS
from tag_enforcer_dev.emulator.bulk_events import (
    ContainerClock,
    Kind,
    ResourceFactory,
    container_clock,
    deliver,
    queue_depths,
    redrive_dead_letters,
)
from tag_enforcer_dev.emulator.faults import (
    SNS_KEY_DISABLED,
    Fault,
    throttling,
    without_retry_sleeps,
)
from tag_enforcer_dev.emulator.pipeline import EnforcePipeline
from tests.support.team_world import TeamWorld

pytestmark = pytest.mark.e2e

THROTTLED_SHARE = 0.3
# The queue's redrive policy (template.yaml EnforceQueue, maxReceiveCount).
MAX_RECEIVE_COUNT = 5


def _decisions(logged: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["event_id"]: r for r in logged if r["message"] == "decision"}


# ---------------------------------------------------------------------------------------
# Throttling
# ---------------------------------------------------------------------------------------


def test_thousand_events_with_30_percent_throttling_lose_nothing(
    world: TeamWorld, pipeline: EnforcePipeline
) -> None:
    """1,000 events, 30% of SageMaker AddTags/ListTags and SNS Publish calls throttled:
    900 attributable resources tagged, 100 flagged with one alert each, 0 lost, 0 duplicates."""
    # GIVEN 1,000 new resources in the usual mix (100 compliant, 800 to tag, 100 to flag)
    planned = ResourceFactory(world.team, "thr").create_mix(1000)
    faults = [
        *throttling("sagemaker", "AddTags", "ListTags", share=THROTTLED_SHARE),
        *throttling("sns", "Publish", share=THROTTLED_SHARE),
    ]
    world.account.faults.reset_counts()

    # WHEN their events pass the deployed stack while SageMaker and SNS throttle 30%
    with (
        without_retry_sleeps() as retries,
        world.account.faults.injecting(faults, seed=6) as injector,
    ):
        logged = deliver(pipeline, [p.event for p in planned])

    # THEN the faults really happened, at about the share asked for
    for operation in (("sagemaker", "AddTags"), ("sagemaker", "ListTags"), ("sns", "Publish")):
        share = injector.injected[operation] / injector.matched[operation]
        assert 0.25 < share < 0.35, (operation, share)
    assert retries.retries >= injector.total_injected()
    # AND every event got exactly one decision: none lost, none decided twice
    decisions = _decisions(logged)
    assert sorted(decisions) == sorted(p.event_id for p in planned)
    assert queue_depths(world.account, pipeline) == {"queue": 0, "dlq": 0}
    # AND every attributable resource carries exactly the tags the evidence supports
    assert world.tags.mismatches(planned) == {}
    assert sum(p.attributable for p in planned) == 900
    # AND each flagged resource got one alert, and nothing else did
    alerts = world.alerts()
    per_finding = Counter((a["resourceArn"], a["kind"]) for a in alerts)
    flagged = {p.arn for p in planned if not p.attributable}
    assert len(flagged) == 100
    assert set(per_finding) == {(arn, "unattributable") for arn in flagged}
    assert set(per_finding.values()) == {1}


def test_throttling_that_outlasts_the_retries_returns_records_to_the_queue(
    world: TeamWorld, pipeline: EnforcePipeline
) -> None:
    """100 events while every AddTags is throttled (all 10 attempts): 80 records fail back
    to the queue, none is dropped; once throttling ends, redelivery tags all 90
    attributable resources, the 10 flagged ones get one alert each, and the DLQ stays empty."""
    # GIVEN 100 new resources in the usual mix
    planned = ResourceFactory(world.team, "outlast").create_mix(100)

    # WHEN they are delivered once while SageMaker throttles every AddTags
    with (
        without_retry_sleeps(),
        world.account.faults.injecting(throttling("sagemaker", "AddTags", share=1.0)),
    ):
        pipeline.publish(p.event for p in planned)
        first = _decisions(pipeline.drain())

    # THEN the records that needed a tag went back to the queue, undecided
    to_tag = [p for p in planned if p.attributable and p.kind is not Kind.STUDIO_EXPERIMENT]
    assert len(to_tag) == 80
    assert not {p.event_id for p in to_tag} & set(first)
    assert len(pipeline.failed_message_ids) == 80
    assert queue_depths(world.account, pipeline) == {"queue": 80, "dlq": 0}

    # WHEN throttling has ended and SQS redelivers them
    second = _decisions(pipeline.drain_with_redelivery())

    # THEN each was decided once and tagged, and nothing is left anywhere
    assert sorted([*first, *second]) == sorted(p.event_id for p in planned)
    assert world.tags.mismatches(planned) == {}
    assert queue_depths(world.account, pipeline) == {"queue": 0, "dlq": 0}
    assert Counter(a["resourceArn"] for a in world.alerts()) == Counter(
        {p.arn: 1 for p in planned if not p.attributable}
    )


# ---------------------------------------------------------------------------------------
# A resource deleted between the event and the tagging
# ---------------------------------------------------------------------------------------


def _delete_model(world: TeamWorld, name: str) -> Callable[[], None]:
    def delete() -> None:
        world.account.client("sagemaker").delete_model(ModelName=name)

    return delete


def test_resource_deleted_before_it_is_read_is_gone_not_retried_not_alerted(
    world: TeamWorld, pipeline: EnforcePipeline
) -> None:
    """1 model deleted after its event, before the handler reads it: resource-gone,
    0 alerts, 0 retries, 0 records left."""
    # GIVEN a model whose creator deleted it again at once
    planned = ResourceFactory(world.team, "gone-early").model(Kind.PROFILE_ROLE_MODEL)
    _delete_model(world, planned.name)()

    # WHEN its event is delivered
    pipeline.publish([planned.event])
    decision = _decisions(pipeline.drain())[planned.event_id]

    # THEN it is an info outcome: nothing to tag, nothing to tell, nothing to retry
    assert (decision["action"], decision["note"]) == (
        "resource-gone",
        "deleted before it could be read",
    )
    assert pipeline.failed_message_ids == set()
    assert queue_depths(world.account, pipeline) == {"queue": 0, "dlq": 0}
    assert world.alerts() == []


def test_resource_deleted_between_read_and_tag_is_gone_not_retried_not_alerted(
    world: TeamWorld, pipeline: EnforcePipeline
) -> None:
    """1 model deleted after ListTags, before AddTags: resource-gone, 0 alerts, 0 retries."""
    # GIVEN a model that will be deleted just before the enforcer's AddTags reaches SageMaker
    planned = ResourceFactory(world.team, "gone-late").model(Kind.PROFILE_ROLE_MODEL)
    world.account.faults.run_before_next("sagemaker", "AddTags", _delete_model(world, planned.name))

    # WHEN its event is delivered
    pipeline.publish([planned.event])
    decision = _decisions(pipeline.drain())[planned.event_id]

    # THEN SageMaker's "does not exist" ends it quietly
    assert (decision["action"], decision["note"]) == (
        "resource-gone",
        "deleted before it could be tagged",
    )
    assert pipeline.failed_message_ids == set()
    assert queue_depths(world.account, pipeline) == {"queue": 0, "dlq": 0}
    assert world.alerts() == []


# ---------------------------------------------------------------------------------------
# SNS failing
# ---------------------------------------------------------------------------------------

SNS_DOWN = [Fault("sns", "Publish", 1.0, SNS_KEY_DISABLED)]


def test_alert_refused_by_sns_is_retried_and_sent_exactly_once(
    world: TeamWorld, pipeline: EnforcePipeline
) -> None:
    """1 finding while SNS refuses every Publish (KMS key disabled): the record fails back to
    the queue (batchItemFailures), 0 alerts; after recovery 1 alert; a 3rd delivery, 0 more."""
    # GIVEN a model nobody can be attributed, so its event must produce an alert
    planned = ResourceFactory(world.team, "sns-down").model(Kind.UNATTRIBUTABLE_MODEL)

    # WHEN its event is delivered while SNS refuses to publish
    with world.account.faults.injecting(SNS_DOWN) as injector:
        pipeline.publish([planned.event])
        logged = _decisions(pipeline.drain())

    # THEN the record is reported as a batch item failure and stays on the queue
    assert injector.injected[("sns", "Publish")] >= 1
    assert planned.event_id not in logged
    assert len(pipeline.failed_message_ids) == 1
    assert queue_depths(world.account, pipeline) == {"queue": 1, "dlq": 0}
    assert world.alerts() == []

    # WHEN SNS works again and SQS redelivers the record
    assert pipeline.redeliver_failed() == 1
    logged = _decisions(pipeline.drain())

    # THEN exactly one alert went out for it and the queue is empty
    assert logged[planned.event_id]["action"] == "alerted"
    alerts = world.alerts()
    assert [(a["resourceArn"], a["kind"]) for a in alerts] == [(planned.arn, "unattributable")]
    assert queue_depths(world.account, pipeline) == {"queue": 0, "dlq": 0}

    # WHEN EventBridge delivers the same event once more (at least once)
    pipeline.publish([planned.event])
    pipeline.drain()

    # THEN the deduplicated publisher stays quiet
    assert world.alerts() == []


def test_alert_that_fails_on_every_receive_is_dead_lettered_not_dropped(
    world: TeamWorld, pipeline: EnforcePipeline
) -> None:
    """1 finding while SNS stays down for 5 receives: the record lands in the DLQ intact;
    redriven after recovery, it sends exactly 1 alert and leaves both queues empty."""
    # GIVEN a model nobody can be attributed
    planned = ResourceFactory(world.team, "sns-dlq").model(Kind.UNATTRIBUTABLE_MODEL)

    # WHEN SNS refuses every Publish through all the receives the redrive policy allows
    with world.account.faults.injecting(SNS_DOWN):
        pipeline.publish([planned.event])
        pipeline.drain_with_redelivery(max_rounds=MAX_RECEIVE_COUNT + 2)

    # THEN the record is in the dead-letter queue, not lost, and nobody was alerted
    assert queue_depths(world.account, pipeline) == {"queue": 0, "dlq": 1}
    assert world.alerts() == []

    # WHEN SNS recovers and an operator redrives the dead-letter queue
    assert redrive_dead_letters(world.account, pipeline) == 1
    logged = _decisions(pipeline.drain())

    # THEN the finding is published once, from the very event that was dead-lettered
    assert logged[planned.event_id]["action"] == "alerted"
    assert [a["resourceArn"] for a in world.alerts()] == [planned.arn]
    assert queue_depths(world.account, pipeline) == {"queue": 0, "dlq": 0}


# ---------------------------------------------------------------------------------------
# A directory cache older than the newest user profile
# ---------------------------------------------------------------------------------------


@pytest.fixture
def clock() -> Iterator[ContainerClock]:
    with container_clock() as frozen:
        yield frozen


def _warm_up(world: TeamWorld, pipeline: EnforcePipeline, prefix: str) -> None:
    """One event, so the function loads its directory before the new profile exists."""
    warm = ResourceFactory(world.team, prefix).model(Kind.PROFILE_ROLE_MODEL)
    deliver(pipeline, [warm.event])
    assert world.tags(warm.arn) == warm.expected_tags


def test_new_profile_is_attributed_once_its_directory_event_passes(
    world: TeamWorld, clock: ContainerClock, pipeline: EnforcePipeline
) -> None:
    """1 profile created after the cache loaded, clock frozen: its CreateUserProfile event
    drops the cache, so the next event by its role is tagged with it (0 alerts)."""
    # GIVEN a warm function whose directory predates the new profile
    _warm_up(world, pipeline, "dir-event-warm")
    factory = ResourceFactory(world.team, "dir-event")
    profile, role = factory.user_profile("nora")
    model = factory.model_by_role(role, profile.expected_tags)

    # WHEN the profile's own event and then a model by its role are delivered
    deliver(pipeline, [profile.event, model.event])

    # THEN the model is attributed to the new profile, and nobody is alerted
    assert world.tags.mismatches([profile, model]) == {}
    assert world.alerts() == []


def test_new_profile_whose_event_was_lost_is_attributed_once_the_snapshot_is_old(
    world: TeamWorld, clock: ContainerClock, pipeline: EnforcePipeline
) -> None:
    """1 profile created after the snapshot was read, and its directory event lost: 10 s
    later its model is flagged (the snapshot is fresh; a miss reads SageMaker only when the
    shared snapshot is older than 15 minutes); 15 minutes later, tagged."""
    # GIVEN a warm function whose directory predates the new profile
    _warm_up(world, pipeline, "ttl-warm")
    factory = ResourceFactory(world.team, "ttl")
    profile, role = factory.user_profile("olga")
    too_soon = factory.model_by_role(role, {})
    later = factory.model_by_role(role, profile.expected_tags)

    # WHEN a model by the new profile's role arrives 10 s after the directory loaded
    clock.advance(10)
    deliver(pipeline, [too_soon.event])

    # THEN the stale directory cannot place it: flagged, not tagged
    assert world.tags(too_soon.arn) == {}
    assert [a["resourceArn"] for a in world.alerts()] == [too_soon.arn]

    # WHEN another arrives once the shared snapshot is older than a miss tolerates
    clock.advance(FULL_READ_ON_MISS_AFTER_SECONDS + 1)
    deliver(pipeline, [later.event])

    # THEN the directory read again from SageMaker attributes it to the new profile
    assert world.tags.mismatches([later]) == {}
    assert world.alerts() == []


def test_fault_answers_are_errors_botocore_retries_as_throttling(world: TeamWorld) -> None:
    """The injected SageMaker and SNS errors reach a client as ThrottlingException (400) and
    Throttled (429), and botocore retried each as often as configured (2 retries) first."""
    # GIVEN every ListTags and every Publish throttled
    faults = [
        *throttling("sagemaker", "ListTags", share=1.0),
        *throttling("sns", "Publish", share=1.0),
    ]
    sagemaker, sns = world.account.client("sagemaker"), world.account.client("sns")
    topic = world.deployment.stack.outputs["AlertTopicArn"]
    calls: dict[str, Callable[[], Any]] = {
        "sagemaker": lambda: sagemaker.list_tags(ResourceArn=world.team.domain_arn),
        "sns": lambda: sns.publish(TopicArn=topic, Message="x"),
    }

    # WHEN each is called once by a client that retries
    errors = {}
    with without_retry_sleeps(), world.account.faults.injecting(faults):
        for name, call in calls.items():
            with pytest.raises(ClientError) as raised:
                call()
            response = raised.value.response
            errors[name] = (
                response["Error"]["Code"],
                response["ResponseMetadata"]["HTTPStatusCode"],
                response["ResponseMetadata"]["RetryAttempts"],
            )

    # THEN each error is the service's own throttling answer, and botocore retried it
    assert errors == {"sagemaker": ("ThrottlingException", 400, 2), "sns": ("Throttled", 429, 2)}
