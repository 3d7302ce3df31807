"""Tag integrity: an enforced tag removed or changed after creation is caught by the deployed rule.

The caller of AddTags/DeleteTags is not the creator, so the handler judges the resource
from its own side (Describe: its role, its parents) and re-applies a removed tag only in
tag mode and only when that evidence is unambiguous. It never overwrites a value.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tag_enforcer.core.tags import DOMAIN_TAG, USER_PROFILE_TAG
from tag_enforcer_dev.emulator.cloudtrail_events import Caller, api_call_event
from tag_enforcer_dev.emulator.inbox import read_inbox
from tests.support.blog_scenario import PlayedScenario

pytestmark = pytest.mark.e2e


def _tag_call(
    played: PlayedScenario, caller: Caller, operation: str, request: dict[str, Any]
) -> dict[str, Any]:
    """Make the tag call on the emulated account and deliver its CloudTrail event."""
    account = played.deployment.account
    getattr(
        account.client("sagemaker"), "delete_tags" if operation == "DeleteTags" else "add_tags"
    )(**request)
    event = api_call_event(
        operation, request, {}, caller=caller, account=account.account_id, region=account.region
    )
    played.pipeline.publish([event])
    logged = played.pipeline.drain()
    return next(
        r
        for r in logged
        if r["message"] == "decision" and r["event_id"] == event["detail"]["eventID"]
    )


def _inbox(played: PlayedScenario) -> list[dict[str, Any]]:
    sqs = played.deployment.account.client("sqs")
    return read_inbox(
        played.deployment.account, sqs.get_queue_url(QueueName="compliance-inbox")["QueueUrl"]
    )


def test_removed_domain_tag_is_put_back_and_reported(played: PlayedScenario) -> None:
    # GIVEN bob's processing job, tagged by the enforcer with finance and bob
    job = played.step("CreateProcessingJob", "bob").resource_arn
    assert job is not None
    admin = Caller.iam_user(
        f"arn:aws:iam::{played.deployment.account.account_id}:user/cleanup-script"
    )

    # WHEN a script deletes its enforced tags
    decision = _tag_call(
        played, admin, "DeleteTags", {"ResourceArn": job, "TagKeys": [DOMAIN_TAG, USER_PROFILE_TAG]}
    )

    # THEN the job's own role (bob's) puts both back; a high-severity alert names the remover
    assert (decision["outcome"], decision["action"]) == ("flag", "restored"), decision["note"]
    assert played.tags(job) == {
        DOMAIN_TAG: played.scenario.finance.domain_arn,
        USER_PROFILE_TAG: played.scenario.finance.profiles["bob"],
    }
    alerts = [json.loads(a["Message"]) for a in _inbox(played)]
    removed = [a for a in alerts if a["resourceArn"] == job]
    assert [(a["kind"], a["severity"]) for a in removed] == [("tag-removed", "high")]
    assert removed[0]["caller"].endswith("user/cleanup-script")
    assert removed[0]["problem"] == f"DeleteTags touched {DOMAIN_TAG}, {USER_PROFILE_TAG}"


def test_removed_tag_without_resource_evidence_is_reported_not_guessed(
    played: PlayedScenario,
) -> None:
    # GIVEN the CI trial, tagged only through its experiment... which is what a Describe shows too;
    # the unattributable CI model has no tag to remove, so take the user profile erin instead,
    # whose structural evidence is its own ARN: remove its profile tag
    model = played.step("CreateModel", "ci-bot").resource_arn
    assert model is not None
    sagemaker = played.deployment.account.client("sagemaker")
    # A human tagged the model by hand; then somebody removes that tag again.
    sagemaker.add_tags(
        ResourceArn=model, Tags=[{"Key": DOMAIN_TAG, "Value": played.scenario.finance.domain_arn}]
    )
    admin = Caller.iam_user(
        f"arn:aws:iam::{played.deployment.account.account_id}:user/cleanup-script"
    )

    # WHEN the tag is deleted
    decision = _tag_call(
        played, admin, "DeleteTags", {"ResourceArn": model, "TagKeys": [DOMAIN_TAG]}
    )

    # THEN nothing is re-applied (the model's role names no domain) but the removal is reported
    assert (decision["outcome"], decision["action"]) == ("flag", "alerted")
    assert played.tags(model) == {}
    kinds = [
        json.loads(a["Message"])["kind"]
        for a in _inbox(played)
        if json.loads(a["Message"])["resourceArn"] == model
    ]
    assert kinds == ["tag-removed"]


def test_domain_tag_changed_to_another_domain_is_a_mismatch_and_left_alone(
    played: PlayedScenario,
) -> None:
    # GIVEN carol's model, tagged with sustainability
    model = played.step("CreateModel", "carol").resource_arn
    assert model is not None
    dave = Caller.assumed_role(
        played.scenario.roles["SustainabilityStudioExecutionRole"], "dave-cli"
    )

    # WHEN somebody rewrites its domain tag to finance
    finance = played.scenario.finance.domain_arn
    decision = _tag_call(
        played,
        dave,
        "AddTags",
        {"ResourceArn": model, "Tags": [{"Key": DOMAIN_TAG, "Value": finance}]},
    )

    # THEN it is a high-severity mismatch, and the value stays as written
    assert (decision["outcome"], decision["action"]) == ("flag", "alerted")
    assert played.tags(model) == {DOMAIN_TAG: finance}
    alerts = [json.loads(a["Message"]) for a in _inbox(played)]
    assert [(a["kind"], a["severity"]) for a in alerts if a["resourceArn"] == model] == [
        ("mismatch", "high")
    ]


def test_tag_calls_that_touch_no_enforced_key_never_reach_the_handler(
    played: PlayedScenario,
) -> None:
    model = played.step("CreateModel", "carol").resource_arn
    account = played.deployment.account
    request = {"ResourceArn": model, "Tags": [{"Key": "cost-center", "Value": "1234"}]}
    event = api_call_event(
        "AddTags",
        request,
        {},
        caller=Caller.iam_user(f"arn:aws:iam::{account.account_id}:user/x"),
        account=account.account_id,
        region=account.region,
    )
    played.pipeline.publish([event])
    assert [
        r for r in played.pipeline.drain() if r.get("event_id") == event["detail"]["eventID"]
    ] == []


def test_the_enforcers_own_tag_writes_are_not_integrity_events(played: PlayedScenario) -> None:
    # GIVEN the enforce function's own role (as deployed) adding a missing tag
    environment = played.deployment.stack.function_environment(
        played.deployment.account, "EnforceFunction"
    )
    own_role = environment["OWN_ROLE_ARNS"].split(",")[0]
    model = played.step("CreateModel", "carol").resource_arn
    caller = Caller.assumed_role(own_role, "enforce")

    # WHEN its AddTags event comes back through the rule
    decision = _tag_call(
        played,
        caller,
        "AddTags",
        {
            "ResourceArn": model,
            "Tags": [
                {"Key": USER_PROFILE_TAG, "Value": played.scenario.sustainability.profiles["carol"]}
            ],
        },
    )

    # THEN the handler recognises itself and does nothing
    assert (decision["outcome"], decision["action"]) == ("ignore", "none")
    assert decision["note"] == "the enforcer's own tagging"
