"""Fixtures that deploy template.yaml into a fresh emulated account, and play scenarios on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tag_enforcer_dev.emulator.account import running_account
from tag_enforcer_dev.emulator.deploy import Deployment, deploy
from tag_enforcer_dev.emulator.pipeline import EnforcePipeline
from tests.support.blog_scenario import PlayedScenario, play
from tests.support.team_world import TeamWorld, team_world


@pytest.fixture(scope="module")
def tag_mode_deployment() -> Iterator[Deployment]:
    with running_account() as account:
        yield Deployment(account, deploy(account, parameters={"EnforcementMode": "tag"}))


@pytest.fixture(scope="module")
def audit_mode_deployment() -> Iterator[Deployment]:
    with running_account() as account:
        yield Deployment(account, deploy(account, parameters={"EnforcementMode": "audit"}))


@pytest.fixture(scope="module")
def played(tag_mode_deployment: Deployment) -> Iterator[PlayedScenario]:
    """The blog scenario played once per module on its tag-mode stack."""
    result = play(tag_mode_deployment)
    yield result
    result.pipeline.close()


@pytest.fixture(scope="module")
def world(tag_mode_deployment: Deployment) -> TeamWorld:
    """One team in the module's tag-mode stack, with a compliance inbox."""
    return team_world(tag_mode_deployment)


@pytest.fixture
def pipeline(world: TeamWorld) -> Iterator[EnforcePipeline]:
    """A fresh enforce function (a cold container) on the deployed queue."""
    world.alerts()  # start from an empty inbox
    pipeline = EnforcePipeline(world.account, world.deployment.stack)
    yield pipeline
    pipeline.close()
