"""Each queue has its own policy, naming only that queue, granting only the rules that use it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tag_enforcer_dev.translated_template import translated_template


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return translated_template()


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _logical_id(reference: Any) -> str:
    """The resource a Ref or GetAtt names."""
    if "Ref" in reference:
        return str(reference["Ref"])
    return str(reference["Fn::GetAtt"][0])


def _queues(template: dict[str, Any]) -> list[str]:
    return [k for k, r in template["Resources"].items() if r["Type"] == "AWS::SQS::Queue"]


def _policies_by_queue(template: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::SQS::QueuePolicy":
            properties = resource["Properties"]
            for queue in properties["Queues"]:
                found.setdefault(_logical_id(queue), []).append(properties["PolicyDocument"])
    return found


def _rules_sending_to(template: dict[str, Any], queue: str) -> set[str]:
    """Rules with a target on `queue`, or whose target dead-letters into `queue`."""
    rules = set()
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Events::Rule":
            continue
        for target in resource["Properties"].get("Targets", []):
            arns = [target["Arn"], target.get("DeadLetterConfig", {}).get("Arn")]
            if any(arn is not None and _logical_id(arn) == queue for arn in arns):
                rules.add(logical_id)
    return rules


def test_every_queue_has_exactly_one_policy_of_its_own(template: dict[str, Any]) -> None:
    # GIVEN the queue policies of the template
    policies = _policies_by_queue(template)

    # THEN each queue is the only queue of exactly one policy
    for queue in _queues(template):
        assert len(policies.get(queue, [])) == 1, f"{queue} needs exactly one queue policy"
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::SQS::QueuePolicy":
            assert len(resource["Properties"]["Queues"]) == 1, "one queue per policy"


@pytest.mark.parametrize("queue", ["EnforceQueue", "EnforceDeadLetterQueue"])
def test_every_statement_names_only_the_queue_of_its_policy(
    template: dict[str, Any], queue: str
) -> None:
    (document,) = _policies_by_queue(template)[queue]
    for statement in _as_list(document["Statement"]):
        resources = _as_list(statement["Resource"])
        assert [_logical_id(r) for r in resources] == [queue], (statement["Sid"], resources)


@pytest.mark.parametrize("queue", ["EnforceQueue", "EnforceDeadLetterQueue"])
def test_eventbridge_may_send_only_from_the_rules_that_use_the_queue(
    template: dict[str, Any], queue: str
) -> None:
    # GIVEN the queue's grants to EventBridge
    (document,) = _policies_by_queue(template)[queue]
    grants = [
        s
        for s in _as_list(document["Statement"])
        if s["Effect"] == "Allow" and s.get("Principal") == {"Service": "events.amazonaws.com"}
    ]

    # THEN one grant allows SendMessage only, only from exactly those rules' ARNs
    assert len(grants) == 1
    (grant,) = grants
    assert _as_list(grant["Action"]) == ["sqs:SendMessage"]
    sources = grant["Condition"]["ArnEquals"]["aws:SourceArn"]
    assert {_logical_id(s) for s in sources} == _rules_sending_to(template, queue)
    assert _rules_sending_to(template, queue), f"no rule delivers to {queue}"


@pytest.mark.parametrize("queue", ["EnforceQueue", "EnforceDeadLetterQueue"])
def test_the_queue_refuses_every_request_without_tls(template: dict[str, Any], queue: str) -> None:
    (document,) = _policies_by_queue(template)[queue]
    denials = [
        s
        for s in _as_list(document["Statement"])
        if s["Effect"] == "Deny"
        and s["Principal"] == "*"
        and _as_list(s["Action"]) == ["sqs:*"]
        and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
    ]
    assert len(denials) == 1, json.dumps(document)
