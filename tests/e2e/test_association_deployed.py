"""A trial component inherits its trial's tags when it is associated, after its creation."""

from __future__ import annotations

import pytest

from tag_enforcer.core.tags import DOMAIN_TAG, USER_PROFILE_TAG
from tag_enforcer_dev.emulator.cloudtrail_events import Caller, api_call_event
from tests.support.blog_scenario import PlayedScenario

pytestmark = pytest.mark.e2e


def test_trial_component_takes_its_trials_tags_on_association(played: PlayedScenario) -> None:
    # GIVEN a trial component made by a CI user no domain knows (untagged, flagged once)
    account = played.deployment.account
    sagemaker = account.client("sagemaker")
    component = sagemaker.create_trial_component(TrialComponentName="nightly-metrics")[
        "TrialComponentArn"
    ]
    trial = played.step("CreateTrial", "ci-bot")
    assert played.tags(trial.resource_arn)[DOMAIN_TAG] == played.scenario.finance.domain_arn

    # WHEN it is associated with the trial that inherited finance's tags
    request = {"TrialComponentName": "nightly-metrics", "TrialName": "churn-study-nightly"}
    sagemaker.associate_trial_component(**request)
    ci_bot = Caller.iam_user(f"arn:aws:iam::{account.account_id}:user/ci-bot")
    event = api_call_event(
        "AssociateTrialComponent",
        request,
        {"trialComponentArn": component, "trialArn": trial.resource_arn},
        caller=ci_bot,
        account=account.account_id,
        region=account.region,
    )
    played.pipeline.publish([event])
    logged = played.pipeline.drain()

    # THEN the deployed rule delivered it and the component now carries the trial's tags
    decision = next(r for r in logged if r.get("event_id") == event["detail"]["eventID"])
    assert (decision["outcome"], decision["action"]) == ("tag", "tagged")
    assert [e["rule"] for e in decision["evidence"]] == ["lineage"]
    assert played.tags(component) == {
        DOMAIN_TAG: played.scenario.finance.domain_arn,
        USER_PROFILE_TAG: played.scenario.finance.profiles["alice"],
    }
