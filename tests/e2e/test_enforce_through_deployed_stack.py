"""The blog scenario through the deployed rules, queue and handler: every decision path."""

from __future__ import annotations

import json

import pytest

from tag_enforcer.core.tags import DOMAIN_TAG, SPACE_TAG, USER_PROFILE_TAG
from tag_enforcer_dev.emulator.inbox import read_inbox
from tests.support.blog_scenario import PlayedScenario

pytestmark = pytest.mark.e2e


def test_studio_resource_with_correct_tags_is_compliant_and_untouched(
    played: PlayedScenario,
) -> None:
    step = played.step("CreateTrainingJob", "alice")
    decision = played.decision(step)
    assert (decision["outcome"], decision["action"]) == ("compliant", "none")
    assert decision["evidence"][0]["rule"] == "source-identity"
    assert played.tags(step.resource_arn) == {
        DOMAIN_TAG: played.scenario.finance.domain_arn,
        USER_PROFILE_TAG: played.scenario.finance.profiles["alice"],
    }


def test_sdk_resource_of_a_profile_role_gets_domain_and_profile_tags(
    played: PlayedScenario,
) -> None:
    step = played.step("CreateProcessingJob", "bob")
    assert played.decision(step)["action"] == "tagged"
    assert played.tags(step.resource_arn) == {
        DOMAIN_TAG: played.scenario.finance.domain_arn,
        USER_PROFILE_TAG: played.scenario.finance.profiles["bob"],
    }


def test_role_shared_by_profiles_gets_the_domain_tag_only(played: PlayedScenario) -> None:
    step = played.step("CreateModel", "carol")
    assert played.decision(step)["action"] == "tagged"
    assert played.tags(step.resource_arn) == {DOMAIN_TAG: played.scenario.sustainability.domain_arn}


def test_spoofed_domain_tag_is_flagged_high_and_never_overwritten(played: PlayedScenario) -> None:
    step = played.step("CreateEndpointConfig", "dave")
    decision = played.decision(step)
    assert (decision["outcome"], decision["action"]) == ("flag", "alerted")
    # The spoofed value stays: correcting it is a human decision.
    assert played.tags(step.resource_arn) == {DOMAIN_TAG: played.scenario.finance.domain_arn}
    alert = next(a for a in played.alerts if step.resource_arn in a["Message"])
    body = json.loads(alert["Message"])
    assert body["kind"] == "mismatch"
    assert body["severity"] == "high"
    assert body["proposedDomainArn"] == played.scenario.sustainability.domain_arn
    assert body["foundTags"] == {DOMAIN_TAG: played.scenario.finance.domain_arn}
    domains = json.loads(alert["MessageAttributes"]["domain"]["Value"])
    assert set(domains) == {
        played.scenario.finance.domain_arn,
        played.scenario.sustainability.domain_arn,
    }


def test_unknown_iam_user_resource_is_flagged_unattributable(played: PlayedScenario) -> None:
    step = played.step("CreateModel", "ci-bot")
    assert played.decision(step)["outcome"] == "flag"
    assert played.tags(step.resource_arn) == {}
    kinds = {
        json.loads(a["Message"])["resourceArn"]: a["MessageAttributes"]["kind"]["Value"]
        for a in played.alerts
    }
    assert kinds[step.resource_arn] == "unattributable"


def test_exactly_one_alert_per_finding(played: PlayedScenario) -> None:
    flagged = [d for d in played.decisions.values() if d["outcome"] == "flag"]
    assert len(played.alerts) == len(flagged) == 2


def test_structural_events_tag_profiles_and_space_apps(played: PlayedScenario) -> None:
    profile = played.step("CreateUserProfile", "platform-admin")
    assert played.tags(profile.resource_arn) == {
        DOMAIN_TAG: played.scenario.finance.domain_arn,
        USER_PROFILE_TAG: profile.resource_arn,
    }
    app = played.step("CreateApp", "platform-admin")
    assert played.tags(app.resource_arn) == {
        DOMAIN_TAG: played.scenario.finance.domain_arn,
        SPACE_TAG: played.scenario.finance.spaces["quarterly-forecast"],
    }


def test_trial_inherits_from_its_tagged_experiment(played: PlayedScenario) -> None:
    trial = played.step("CreateTrial", "ci-bot")
    decision = played.decision(trial)
    assert decision["action"] == "tagged"
    assert [e["rule"] for e in decision["evidence"]] == ["lineage"]
    assert played.tags(trial.resource_arn)[DOMAIN_TAG] == played.scenario.finance.domain_arn


def test_failed_call_never_reaches_the_handler(played: PlayedScenario) -> None:
    failed = next(s for s in played.steps if s.event["detail"].get("errorCode"))
    assert failed.event_id not in played.decisions


def test_directory_event_brings_its_entry_up_to_date(played: PlayedScenario) -> None:
    step = played.step("UpdateUserProfile", "platform-admin")
    decision = played.decision(step)
    assert (decision["outcome"], decision["action"]) == ("ignore", "directory-updated")


def test_every_delivered_record_left_the_queue(played: PlayedScenario) -> None:
    sqs = played.deployment.account.client("sqs")
    attributes = sqs.get_queue_attributes(
        QueueUrl=played.pipeline.queue_url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "0"


def test_redelivered_events_change_nothing_and_alert_nothing_new(played: PlayedScenario) -> None:
    # GIVEN every resource's enforced tags after the first delivery
    before = {s.resource_arn: played.tags(s.resource_arn) for s in played.steps if s.resource_arn}
    inbox = played.deployment.account.client("sqs").get_queue_url(QueueName="compliance-inbox")

    # WHEN EventBridge delivers the whole scenario twice more (at-least-once delivery)
    for _ in range(2):
        played.pipeline.publish(step.event for step in played.steps)
        played.pipeline.drain()

    # THEN no tag changed and the deduplicated topic sent no second alert
    after = {arn: played.tags(arn) for arn in before}
    assert after == before
    assert read_inbox(played.deployment.account, inbox["QueueUrl"]) == []
