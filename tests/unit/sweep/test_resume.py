"""An interrupted sweep resumes where it stopped: nothing skipped or tagged twice, one digest."""

from __future__ import annotations

from collections import Counter

import pytest

from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer.sweep.checkpoint import TypeProgress
from tag_enforcer.sweep.report import SweepAction
from tag_enforcer.sweep.service import RunInProgressError
from tag_enforcer.sweep.settings import RUN_LEASE_SECONDS
from tag_enforcer_cli.local_stores import InMemoryCheckpointStore
from tests.support.studio import Studio
from tests.support.sweep import SweepWorld, new_world

JOBS = 250  # three Search pages of at most 100
PROCESSING_JOBS = 120  # two List pages


class CrashError(RuntimeError):
    """The Lambda runtime going away mid-run."""


@pytest.fixture
def world(studio: Studio) -> SweepWorld:
    world = new_world(studio)
    for index in range(JOBS):
        world.account.add(
            "TrainingJob", f"job-{index:03d}", details={"RoleArn": studio.role("AliceRole")}
        )
    for index in range(PROCESSING_JOBS):
        world.account.add(
            "ProcessingJob", f"pj-{index:03d}", details={"RoleArn": studio.role("DanRole")}
        )
    return world


TYPES = ("TrainingJob", "ProcessingJob")


def assert_swept_exactly_once(world: SweepWorld, run_id: str) -> None:
    # Every resource is tagged, by exactly one TagResources entry...
    tagged = Counter(world.account.tagged_arns())
    assert set(tagged) == set(world.account.resources)
    assert max(tagged.values()) == 1, tagged.most_common(3)
    assert all(r.tags.get(DOMAIN_TAG) for r in world.account.resources.values())
    # ...reported once, as tagged by this run...
    rows = list(world.runs.rows(run_id, list(TYPES)))
    assert sorted(r.resource_arn for r in rows) == sorted(world.account.resources)
    assert {r.action for r in rows} == {SweepAction.TAGGED}
    # ...and the run sent one digest that counts them all.
    assert len(world.digest.published) == 1
    assert world.digest.published[0].body["counts"]["byAction"] == {
        "tagged": JOBS + PROCESSING_JOBS
    }


def test_a_slice_stops_when_time_runs_short_and_the_next_one_continues(
    world: SweepWorld,
) -> None:
    # GIVEN a function with 30 s left after each page, and a 60 s margin
    service = world.service(types=TYPES, margin=60)
    plan = service.plan("execution-1")

    # WHEN slices run until each type reports done, as the state machine loops them
    slices = []
    for wave in plan.waves:
        for type_name in wave:
            while True:
                result = service.sweep_type(
                    plan.run_id, type_name, "execution-1", time_left=lambda: 30.0
                )
                slices.append((type_name, result.pages))
                if result.done:
                    break
    service.finish(plan.run_id, "execution-1")

    # THEN each invocation read one page, and the run covered everything exactly once
    assert slices == [("TrainingJob", 1)] * 3 + [("ProcessingJob", 1)] * 2
    assert_swept_exactly_once(world, plan.run_id)


def test_a_crash_after_some_pages_resumes_on_the_next_execution(world: SweepWorld) -> None:
    # GIVEN a sweep whose process dies while reading the third Search page
    def crash_on_third_search(operation: str) -> None:
        if operation == "Search" and world.account.calls["Search"] == 3:
            world.account.before_call = None
            raise CrashError("runtime gone")

    world.account.before_call = crash_on_third_search
    with pytest.raises(CrashError):
        world.service(types=TYPES).run("execution-1")
    tagged_before = len(world.account.tagged_arns())
    assert 0 < tagged_before < JOBS + PROCESSING_JOBS

    # WHEN the next execution starts while the dead one's lease still runs, then after it
    restarted = world.service(types=TYPES)
    with pytest.raises(RunInProgressError):
        restarted.run("execution-2")
    world.clock.advance(RUN_LEASE_SECONDS + 1)
    result = restarted.run("execution-2")

    # THEN it resumed the same run from the failed page, not from the start
    assert result.run.run_id == world.checkpoints.current_run().run_id  # type: ignore[union-attr]
    assert world.account.calls["Search"] == 3 + 1  # two pages, the failed read, its retry
    assert_swept_exactly_once(world, result.run.run_id)


class FlakyCheckpoints(InMemoryCheckpointStore):
    """Dies saving the progress of one page: after that page was tagged, before it counted."""

    def __init__(self, fail_on_page: int, type_name: str) -> None:
        super().__init__()
        self._fail_on_page = fail_on_page
        self._type_name = type_name

    def save_progress(self, run_id: str, progress: TypeProgress) -> None:
        if (progress.type_name, progress.next_page) == (self._type_name, self._fail_on_page + 1):
            self._fail_on_page = -1
            raise CrashError("runtime gone before the checkpoint")
        super().save_progress(run_id, progress)


def test_a_crash_between_tagging_and_the_checkpoint_tags_nothing_twice(
    studio: Studio, world: SweepWorld
) -> None:
    # GIVEN a checkpoint store that dies right after the second job page was tagged
    world.checkpoints = FlakyCheckpoints(fail_on_page=1, type_name="TrainingJob")
    with pytest.raises(CrashError):
        world.service(types=TYPES).run("execution-1")

    # WHEN the run is resumed once the lease has expired
    world.clock.advance(RUN_LEASE_SECONDS + 1)
    result = world.service(types=TYPES).run("execution-2")

    # THEN the re-read page found its resources tagged and left them alone, and the report
    # still says this run tagged them
    assert_swept_exactly_once(world, result.run.run_id)


def test_a_stale_cursor_starts_the_type_over_without_duplicating_rows(world: SweepWorld) -> None:
    # GIVEN a run interrupted after the first job page, whose saved token then expires
    service = world.service(types=("TrainingJob",))
    plan = service.plan("execution-1")
    service.sweep_type(plan.run_id, "TrainingJob", "execution-1", time_left=lambda: 0.0)
    progress = world.checkpoints.progress(plan.run_id, "TrainingJob")
    progress.cursor = "token-from-yesterday"
    world.checkpoints.save_progress(plan.run_id, progress)

    # WHEN the type is swept again
    while not service.sweep_type(plan.run_id, "TrainingJob", "execution-1").done:
        pass
    result = service.finish(plan.run_id, "execution-1")

    # THEN it started over from the first page, and every job appears once in the report
    assert world.checkpoints.progress(plan.run_id, "TrainingJob").restarts == 1
    rows = list(world.runs.rows(plan.run_id, ["TrainingJob"]))
    assert len(rows) == JOBS
    assert {r.action for r in rows} == {SweepAction.TAGGED}
    assert max(Counter(world.account.tagged_arns()).values()) == 1
    assert result.summary.total == JOBS


def test_finishing_twice_sends_one_digest(world: SweepWorld) -> None:
    # GIVEN a swept run
    service = world.service(types=TYPES)
    plan = service.plan("execution-1")
    for type_name in plan.waves[0]:
        while not service.sweep_type(plan.run_id, type_name, "execution-1").done:
            pass

    # WHEN finish is retried (a Step Functions retry after a lost response)
    first = service.finish(plan.run_id, "execution-1")
    second = service.finish(plan.run_id, "execution-1")

    # THEN one digest went out and both calls name the same report
    assert (first.digest_sent, second.digest_sent) == (True, False)
    assert len(world.digest.published) == 1
    assert second.report == first.report


def test_a_digest_that_failed_to_send_is_sent_by_the_retry(world: SweepWorld) -> None:
    # GIVEN a run whose first digest publish fails
    world.digest.failures.append(RuntimeError("SNS unavailable"))
    service = world.service(types=("ProcessingJob",))
    plan = service.plan("execution-1")
    while not service.sweep_type(plan.run_id, "ProcessingJob", "execution-1").done:
        pass
    with pytest.raises(RuntimeError, match="SNS"):
        service.finish(plan.run_id, "execution-1")

    # WHEN finish is retried
    service.finish(plan.run_id, "execution-1")

    # THEN exactly one digest was published
    assert len(world.digest.published) == 1


def test_an_owner_whose_run_was_taken_over_stops(world: SweepWorld) -> None:
    # GIVEN a run taken over by a newer execution after its lease expired
    old = world.service(types=TYPES)
    plan = old.plan("execution-1")
    world.clock.advance(RUN_LEASE_SECONDS + 1)
    new_plan = world.service(types=TYPES).plan("execution-2")
    assert (new_plan.run_id, new_plan.resumed) == (plan.run_id, True)

    # WHEN the old execution wakes up and sweeps
    result = old.sweep_type(plan.run_id, "TrainingJob", "execution-1")

    # THEN it stops without reading or tagging anything, and leaves the finish to the new owner
    assert result.superseded
    assert world.account.calls == {}
    finished = old.finish(plan.run_id, "execution-1")
    assert finished.superseded
    assert world.digest.published == []
