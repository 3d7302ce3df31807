"""One team's domain in a deployed stack, with a compliance inbox: the reliability tests' world."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tag_enforcer_dev.emulator.bulk_events import TagReader, Team, alert_bodies, set_up_team
from tag_enforcer_dev.emulator.deploy import Deployment
from tag_enforcer_dev.emulator.inbox import read_inbox, subscribe_compliance_inbox


@dataclass
class TeamWorld:
    """A deployed stack, the team set up in its account, and the inbox its alerts reach."""

    deployment: Deployment
    team: Team
    inbox_url: str

    @property
    def account(self) -> Any:
        return self.deployment.account

    @property
    def tags(self) -> TagReader:
        """A reader with a client of its own, untouched by any earlier fault or retry."""
        return TagReader(self.account)

    def alerts(self) -> list[dict[str, Any]]:
        """The findings the compliance inbox received since the last call."""
        return alert_bodies(read_inbox(self.account, self.inbox_url))


def team_world(deployment: Deployment) -> TeamWorld:
    inbox = subscribe_compliance_inbox(deployment.account, deployment.stack)
    return TeamWorld(deployment, set_up_team(deployment.account), inbox)
