"""The same events in any delivery order end with the same tags and the same alerts.

CloudTrail promises no order: a child's event can come before its parent is tagged, and
a job made with a new profile's role before that profile's CreateUserProfile event. The
queue is modelled as SQS does it for the enforce function: a deferred record comes back
later with its receive count raised, and from its third delivery on it is decided as
it stands (functions/enforce/app.py, DEFERRING_DELIVERIES).
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tag_enforcer.core.cloudtrail import CloudTrailRecord
from tag_enforcer.core.directory import (
    CachedDirectory,
    DirectoryChange,
    DomainDirectory,
    UserProfileEntry,
)
from tag_enforcer.core.errors import DeferredRecordError
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings
from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer.enforce.service import EnforcementService
from tests.support.ports import FakeAlerts, FakeTags
from tests.support.studio import Studio

DEFERRING_DELIVERIES = 2  # as functions/enforce/app.py
EVENT_TIME = 1_795_601_702.0  # 2026-11-29T10:15:02Z, the studio fixture's eventTime


class _Reader:
    """SageMaker as it is now: the world, nora included."""

    def __init__(self, world: DomainDirectory) -> None:
        self.world = world

    def read_all(self, now: float) -> DomainDirectory:
        return replace(self.world, loaded_at=now)

    def read_entry(self, change: DirectoryChange, directory: DomainDirectory) -> Any:
        if change.name is None:
            return self.world.domain(change.domain_id)
        return self.world.user_profile(change.domain_id, change.name)


class _Store:
    """The shared snapshot, taken before nora's profile existed."""

    def __init__(self, snapshot: DomainDirectory) -> None:
        self.snapshot = snapshot

    def load(self) -> DomainDirectory:
        return self.snapshot

    def save(self, directory: DomainDirectory) -> None:
        self.snapshot = directory

    def save_entry(self, entry: Any) -> None:
        self.snapshot = self.snapshot.with_entry(entry)


def _events(studio: Studio) -> list[CloudTrailRecord]:
    """An experiment (alice), its trial and a job in it (CI), a new profile nora and her
    job, and a job of dan's (sustainability) in alice's trial (a mismatch)."""
    ci = studio.assumed_role_identity(studio.role("CiRole"))
    alice = studio.assumed_role_identity(studio.role("AliceRole"))
    nora_role = "arn:aws:iam::111122223333:role/NoraRole"
    return [
        studio.record(
            "CreateExperiment",
            {"experimentName": "churn"},
            {"experimentArn": studio.arn("experiment", "churn")},
            alice,
            eventID="e-experiment",
        ),
        studio.record(
            "CreateTrial",
            {"trialName": "churn-t1", "experimentName": "churn"},
            {"trialArn": studio.arn("experiment-trial", "churn-t1")},
            ci,
            eventID="e-trial",
        ),
        studio.record(
            "CreateTrainingJob",
            {"trainingJobName": "fit", "experimentConfig": {"trialName": "churn-t1"}},
            {"trainingJobArn": studio.arn("training-job", "fit")},
            ci,
            eventID="e-job",
        ),
        studio.record(
            "CreateTrainingJob",
            {"trainingJobName": "dans", "experimentConfig": {"trialName": "churn-t1"}},
            {"trainingJobArn": studio.arn("training-job", "dans")},
            studio.assumed_role_identity(studio.role("DanRole")),
            eventID="e-dans-job",
        ),
        studio.record(
            "CreateUserProfile",
            {
                "domainId": studio.finance.domain_id,
                "userProfileName": "nora",
                "userSettings": {"executionRole": nora_role},
            },
            {"userProfileArn": studio.arn("user-profile", studio.finance.domain_id, "nora")},
            eventID="e-nora",
        ),
        studio.record(
            "CreateTrainingJob",
            {"trainingJobName": "noras"},
            {"trainingJobArn": studio.arn("training-job", "noras")},
            studio.assumed_role_identity(nora_role),
            eventID="e-noras-job",
        ),
    ]


def _deliver(studio: Studio, order: list[int]) -> tuple[FakeTags, FakeAlerts]:
    """Run the events through one service in `order`, with SQS-like redelivery."""
    nora = UserProfileEntry(
        studio.finance.domain_id,
        "nora",
        studio.arn("user-profile", studio.finance.domain_id, "nora"),
        ("111122223333", "NoraRole"),
        created_at=EVENT_TIME - 60,
    )
    world = studio.directory.with_entry(nora)
    directory = CachedDirectory(
        _Reader(world),
        ttl_seconds=300,
        store=_Store(replace(studio.directory, loaded_at=EVENT_TIME)),
        clock=lambda: EVENT_TIME,
    )
    tags, alerts = FakeTags(), FakeAlerts()
    service = EnforcementService(
        EnforcerSettings(mode=EnforcementMode.TAG), directory, tags, alerts
    )
    events = _events(studio)
    queue = deque((events[i], 1) for i in order)
    while queue:
        record, receives = queue.popleft()
        try:
            service.enforce(record, may_defer=receives <= DEFERRING_DELIVERIES)
        except DeferredRecordError:
            queue.append((record, receives + 1))
    return tags, alerts


def _outcome(tags: FakeTags, alerts: FakeAlerts) -> tuple[Any, ...]:
    return (
        tuple(sorted((arn, tuple(sorted(t.items()))) for arn, t in tags.tags.items() if t)),
        tuple(sorted((f.kind, f.resource_arn) for f in alerts.published)),
    )


def test_in_creation_order_the_events_end_as_a_person_would_expect(studio: Studio) -> None:
    # GIVEN the events in the order they happened
    tags, alerts = _deliver(studio, list(range(6)))

    # THEN the trial and the CI job inherit alice's experiment, nora's job is hers,
    # and dan's job in alice's trial is a mismatch, not tagged
    finance = studio.finance.domain_arn
    assert tags.tags[studio.arn("experiment-trial", "churn-t1")][DOMAIN_TAG] == finance
    assert tags.tags[studio.arn("training-job", "fit")][DOMAIN_TAG] == finance
    assert tags.tags[studio.arn("training-job", "noras")][DOMAIN_TAG] == finance
    assert DOMAIN_TAG not in tags.tags.get(studio.arn("training-job", "dans"), {})
    assert [(f.kind, f.resource_arn) for f in alerts.published] == [
        ("mismatch", studio.arn("training-job", "dans"))
    ]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(order=st.permutations(list(range(6))))
def test_any_delivery_order_ends_with_the_same_tags_and_alerts(
    studio: Studio, order: list[int]
) -> None:
    # GIVEN the outcome of delivery in creation order
    expected = _outcome(*_deliver(studio, list(range(6))))

    # WHEN the same events are delivered in another order
    # THEN the tags and the alerts are the same
    assert _outcome(*_deliver(studio, order)) == expected


@pytest.mark.parametrize("order", [[5, 4, 3, 2, 1, 0], [2, 1, 0, 5, 4, 3]])
def test_children_first_end_as_parents_first(studio: Studio, order: list[int]) -> None:
    assert _outcome(*_deliver(studio, order)) == _outcome(*_deliver(studio, list(range(6))))
