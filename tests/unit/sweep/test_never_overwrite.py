"""The sweep never overwrites: a stale GetResources answer, or a resource tagged seconds ago."""

from __future__ import annotations

from typing import Any

from tag_enforcer.core.tags import DOMAIN_TAG, USER_PROFILE_TAG
from tag_enforcer.sweep.report import SweepAction
from tests.support.studio import Studio
from tests.support.sweep import new_world


def test_a_stale_tag_read_never_becomes_an_overwrite(studio: Studio) -> None:
    # GIVEN a processing job of dan's role that the page read untagged, while the event
    # path tagged it with sustainability and dan a moment later (GetResources lagging)
    world = new_world(studio)
    arn = world.account.add("ProcessingJob", "pj", details={"RoleArn": studio.role("DanRole")})
    written = {
        DOMAIN_TAG: studio.sustainability.domain_arn,
        "SageMaker:User-Profile-Arn": studio.profile("dan").arn,  # another case of the key
    }
    real_lookup = world.account.tags_by_arn
    lookups = {"n": 0}

    def lagging(arns: Any) -> Any:
        lookups["n"] += 1
        answer = real_lookup(arns)
        if lookups["n"] == 1:
            # The page's read: the answer predates the event path's AddTags.
            world.account.resources[arn].tags.update(written)
            world.account.resources[arn].ever_tagged = True
        return answer

    world.account.tags_by_arn = lagging  # type: ignore[method-assign]

    # WHEN the sweep runs in tag mode
    result = world.service(types=("ProcessingJob",)).run("cli")

    # THEN the tags were read again before writing, nothing was written, and no second
    # case variant of the profile key was added
    assert lookups["n"] == 2
    assert world.account.tag_calls == []
    assert world.account.tags_of(arn) == written
    assert USER_PROFILE_TAG not in world.account.tags_of(arn)
    assert result.summary.by_action[SweepAction.TAGGED.value] == 0


def test_resources_younger_than_the_lag_window_are_left_to_their_event(studio: Studio) -> None:
    # GIVEN a job created a minute ago and one created a day ago, both untagged
    world = new_world(studio)
    now = world.clock()
    young = world.account.add(
        "ProcessingJob",
        "young",
        details={"RoleArn": studio.role("DanRole")},
        summary={"CreationTime": now - 60},
    )
    old = world.account.add(
        "ProcessingJob",
        "old",
        details={"RoleArn": studio.role("DanRole")},
        summary={"CreationTime": now - 86400},
    )

    # WHEN a sweep with the default 15-minute lag window runs
    result = world.service(types=("ProcessingJob",)).run("cli")

    # THEN the old one is tagged and the young one is left alone, reported as such
    assert world.account.tags_of(old)[DOMAIN_TAG] == studio.sustainability.domain_arn
    assert world.account.tags_of(young) == {}
    assert result.summary.by_action[SweepAction.TOO_YOUNG.value] == 1
