"""The blog scenario (tag_enforcer_dev.scenario) played through a deployed stack."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tag_enforcer.core.tags import ENFORCED_TAG_KEYS
from tag_enforcer_dev.emulator.deploy import Deployment
from tag_enforcer_dev.emulator.inbox import read_inbox, subscribe_compliance_inbox
from tag_enforcer_dev.emulator.pipeline import EnforcePipeline
from tag_enforcer_dev.scenario import BlogScenario, ScenarioStep, play_blog_scenario, set_up_domains


@dataclass
class PlayedScenario:
    """The blog scenario played through a deployed stack: its steps, decisions and alerts."""

    deployment: Deployment
    scenario: BlogScenario
    steps: list[ScenarioStep]
    decisions: dict[str, dict[str, Any]]
    alerts: list[dict[str, Any]]
    pipeline: EnforcePipeline

    def step(self, event_name: str, who: str) -> ScenarioStep:
        return next(s for s in self.steps if s.event_name == event_name and s.who.startswith(who))

    def decision(self, step: ScenarioStep) -> dict[str, Any]:
        return self.decisions[step.event_id]

    def tags(self, arn: str | None) -> dict[str, str]:
        sagemaker = self.deployment.account.client("sagemaker")
        tags = sagemaker.list_tags(ResourceArn=arn)["Tags"]
        return {t["Key"]: t["Value"] for t in tags if t["Key"] in ENFORCED_TAG_KEYS}


def play(deployment: Deployment) -> PlayedScenario:
    """Set up the two domains, make every resource of the scenario, deliver its events."""
    inbox = subscribe_compliance_inbox(deployment.account, deployment.stack)
    scenario = set_up_domains(deployment.account)
    steps = play_blog_scenario(scenario)
    pipeline = EnforcePipeline(deployment.account, deployment.stack)
    pipeline.publish(step.event for step in steps)
    # Records that wait for a parent's tag come back, as SQS redelivers them.
    logged = pipeline.drain_with_redelivery()
    decisions = {r["event_id"]: r for r in logged if r["message"] == "decision"}
    alerts = read_inbox(deployment.account, inbox)
    return PlayedScenario(deployment, scenario, steps, decisions, alerts, pipeline)
