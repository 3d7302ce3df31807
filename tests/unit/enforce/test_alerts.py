"""Alerts say what was found, why it matters and what to do, and can be filtered by domain."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from tag_enforcer.aws.sns import SnsAlertPublisher
from tag_enforcer.core.decisions import AttributionDecision, Evidence, FlagReason, Outcome, Severity
from tag_enforcer.core.errors import TransientAwsError
from tag_enforcer.core.tags import DOMAIN_TAG, USER_PROFILE_TAG
from tag_enforcer.enforce.alerts import MAX_SUBJECT_LENGTH, Finding, FindingKind

TOPIC = "arn:aws:sns:us-east-1:111122223333:sagemaker-tag-alerts"
PREFIX = "arn:aws:sagemaker:us-east-1:111122223333"
FINANCE = f"{PREFIX}:domain/d-finance00001"
SUSTAIN = f"{PREFIX}:domain/d-sustain00002"
ALICE = f"{PREFIX}:user-profile/d-finance00001/alice"
JOB = f"{PREFIX}:training-job/churn-xgb"
EVIDENCE = (Evidence("caller-role", {"sessionIssuer": "arn:aws:iam::1:role/A"}, "alice only"),)


def _context(**overrides: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "resource_arn": JOB,
        "resource_type": "TrainingJob",
        "event_name": "CreateTrainingJob",
        "event_time": "2026-11-29T10:15:02Z",
        "event_id": "54149ad1",
        "caller": "arn:aws:iam::111122223333:role/AliceRole",
        "mode": "tag",
        "account": "111122223333",
        "region": "us-east-1",
    }
    context.update(overrides)
    return context


def _mismatch() -> AttributionDecision:
    return AttributionDecision(
        Outcome.FLAG,
        expected_tags={DOMAIN_TAG: FINANCE, USER_PROFILE_TAG: ALICE},
        conflicting_tags={DOMAIN_TAG: (SUSTAIN, FINANCE)},
        reason=FlagReason.MISMATCH,
        evidence=EVIDENCE,
    )


def _missing_tags() -> AttributionDecision:
    expected = {DOMAIN_TAG: FINANCE, USER_PROFILE_TAG: ALICE}
    return AttributionDecision(Outcome.TAG, expected, {USER_PROFILE_TAG: ALICE}, evidence=EVIDENCE)


@pytest.mark.parametrize(
    ("decision", "kind", "severity"),
    [
        (_mismatch(), FindingKind.MISMATCH, Severity.HIGH),
        (
            AttributionDecision(Outcome.FLAG, reason=FlagReason.UNATTRIBUTABLE, evidence=EVIDENCE),
            FindingKind.UNATTRIBUTABLE,
            Severity.MEDIUM,
        ),
        (
            AttributionDecision(Outcome.FLAG, reason=FlagReason.AMBIGUOUS, evidence=EVIDENCE),
            FindingKind.AMBIGUOUS,
            Severity.MEDIUM,
        ),
        (_missing_tags(), FindingKind.MISSING_TAGS, Severity.LOW),
    ],
    ids=["mismatch", "unattributable", "ambiguous", "missing-tags"],
)
def test_each_decision_becomes_a_finding_of_its_kind_and_severity(
    decision: AttributionDecision, kind: str, severity: Severity
) -> None:
    # GIVEN a decision that someone must hear about
    # WHEN it becomes a finding
    finding = Finding.from_decision(decision, **_context())

    # THEN kind and severity follow the reason, and the evidence is kept
    assert finding.kind == kind
    assert finding.severity is severity
    assert finding.evidence == EVIDENCE
    assert finding.dedup_key == f"{JOB}#{kind}"


def test_a_mismatch_finding_records_what_was_found_and_what_is_proposed() -> None:
    # GIVEN a resource tagged sustainability that evidence puts in finance
    # WHEN it becomes a finding
    finding = Finding.from_decision(_mismatch(), **_context())

    # THEN both sides are kept
    assert finding.found_tags == {DOMAIN_TAG: SUSTAIN}
    assert finding.proposed_domain_arn == FINANCE
    assert finding.proposed_tags == {DOMAIN_TAG: FINANCE, USER_PROFILE_TAG: ALICE}


def test_a_missing_tags_finding_proposes_only_the_missing_tags() -> None:
    # GIVEN audit mode found only the profile tag missing
    # WHEN it becomes a finding
    finding = Finding.from_decision(_missing_tags(), **_context(mode="audit"))

    # THEN only that tag is proposed
    assert finding.proposed_tags == {USER_PROFILE_TAG: ALICE}
    assert finding.found_tags == {}


@pytest.mark.parametrize(
    "resource_arn",
    [
        JOB,
        f"{PREFIX}:training-job/" + "x" * 300,
        f"{PREFIX}:training-job/データ-科学-ジョブ-" + "名" * 80,
        f"{PREFIX}:training-job/line\nbreak",
    ],
    ids=["short", "very-long", "unicode", "line-break"],
)
def test_the_subject_is_short_ascii_on_one_line(resource_arn: str) -> None:
    # GIVEN a finding about a resource with an ordinary, long or non-ASCII name
    finding = Finding.from_decision(_mismatch(), **_context(resource_arn=resource_arn))

    # WHEN its subject is made
    subject = finding.subject()

    # THEN SNS accepts it: under 100 ASCII characters, no line break
    assert len(subject) <= MAX_SUBJECT_LENGTH < 100
    assert subject.isascii()
    assert "\n" not in subject
    assert subject.startswith("[HIGH] SageMaker mismatch: TrainingJob ")


def test_the_body_explains_itself() -> None:
    # GIVEN a mismatch finding
    finding = Finding.from_decision(_mismatch(), **_context())

    # WHEN its body is made and serialised as it would be sent
    body = json.loads(json.dumps(finding.body()))

    # THEN a reader needs nothing else to act on it
    assert body["kind"] == "mismatch"
    assert body["severity"] == "high"
    assert "wrong team" in body["summary"]
    assert "never overwrites" in body["recommendedAction"]
    assert body["resourceArn"] == JOB
    assert body["resourceType"] == "TrainingJob"
    assert body["eventName"] == "CreateTrainingJob"
    assert body["eventTime"] == "2026-11-29T10:15:02Z"
    assert body["eventId"] == "54149ad1"
    assert body["caller"] == "arn:aws:iam::111122223333:role/AliceRole"
    assert body["evidence"] == [
        {
            "rule": "caller-role",
            "fields": {"sessionIssuer": "arn:aws:iam::1:role/A"},
            "conclusion": "alice only",
        }
    ]
    assert body["proposedDomainArn"] == FINANCE
    assert body["foundTags"] == {DOMAIN_TAG: SUSTAIN}
    assert body["account"] == "111122223333"
    assert body["region"] == "us-east-1"
    assert body["mode"] == "tag"


@pytest.mark.parametrize(
    "kind_reason",
    [FlagReason.UNATTRIBUTABLE, FlagReason.AMBIGUOUS, None],
)
def test_every_kind_has_a_summary_and_a_recommended_action(
    kind_reason: FlagReason | None,
) -> None:
    # GIVEN a finding of each other kind
    decision = (
        _missing_tags()
        if kind_reason is None
        else AttributionDecision(Outcome.FLAG, reason=kind_reason, evidence=EVIDENCE)
    )

    # WHEN its body is made
    body = Finding.from_decision(decision, **_context()).body()

    # THEN it says what it means and what to do
    assert body["summary"]
    assert body["recommendedAction"]
    assert body["proposedDomainArn"] == (FINANCE if kind_reason is None else None)


def test_message_attributes_let_subscribers_filter_on_kind_severity_and_domain() -> None:
    # GIVEN a mismatch between finance (proposed) and sustainability (found)
    finding = Finding.from_decision(_mismatch(), **_context())

    # WHEN its message attributes are made
    attributes = finding.message_attributes()

    # THEN kind and severity are strings, and domain is an array naming both domains
    assert attributes["kind"] == {"DataType": "String", "StringValue": "mismatch"}
    assert attributes["severity"] == {"DataType": "String", "StringValue": "high"}
    assert attributes["domain"]["DataType"] == "String.Array"
    assert json.loads(attributes["domain"]["StringValue"]) == [FINANCE, SUSTAIN]
    assert attributes["resourceType"]["StringValue"] == "TrainingJob"


def test_the_domain_attribute_is_none_when_no_domain_is_involved() -> None:
    # GIVEN an unattributable finding
    decision = AttributionDecision(Outcome.FLAG, reason=FlagReason.UNATTRIBUTABLE, evidence=())
    finding = Finding.from_decision(decision, **_context())

    # WHEN its domain attribute is made
    # THEN it is ["none"], since SNS attribute values cannot be empty
    assert json.loads(finding.message_attributes()["domain"]["StringValue"]) == ["none"]


def test_the_domain_attribute_lists_a_domain_once_when_found_and_proposed_agree() -> None:
    # GIVEN a finding whose found and proposed domain are the same (a profile conflict)
    decision = AttributionDecision(
        Outcome.FLAG,
        expected_tags={DOMAIN_TAG: FINANCE},
        conflicting_tags={DOMAIN_TAG: (FINANCE, FINANCE)},
        reason=FlagReason.MISMATCH,
    )

    # WHEN its domains are read
    # THEN finance appears once
    assert Finding.from_decision(decision, **_context()).domains == [FINANCE]


def test_a_tag_naming_an_unknown_domain_still_puts_that_domain_in_the_attribute() -> None:
    # GIVEN no evidence and a tag naming a deleted domain
    gone = f"{PREFIX}:domain/d-deleted0009"
    decision = AttributionDecision(
        Outcome.FLAG, conflicting_tags={DOMAIN_TAG: (gone, "")}, reason=FlagReason.MISMATCH
    )

    # WHEN its domains are read
    # THEN the named domain is listed
    assert Finding.from_decision(decision, **_context()).domains == [gone]


# --- SnsAlertPublisher --------------------------------------------------------------------


@pytest.fixture
def sns(aws_credentials: None) -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("sns", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_publish_sends_subject_json_body_and_attributes_to_the_topic(
    sns: tuple[Any, Stubber],
) -> None:
    # GIVEN a mismatch finding and a topic
    client, stubber = sns
    finding = Finding.from_decision(_mismatch(), **_context())
    stubber.add_response(
        "publish",
        {"MessageId": "m-1"},
        {
            "TopicArn": TOPIC,
            "Subject": finding.subject(),
            "Message": ANY,
            "MessageAttributes": finding.message_attributes(),
        },
    )
    sent: list[dict[str, Any]] = []
    client.meta.events.register(
        "provide-client-params.sns.Publish", lambda params, **_: sent.append(params)
    )

    # WHEN it is published
    SnsAlertPublisher(client, TOPIC).publish(finding)

    # THEN one message went out, whose body is the finding's JSON
    assert len(sent) == 1
    assert json.loads(sent[0]["Message"]) == json.loads(json.dumps(finding.body()))


@pytest.mark.parametrize("code", ["Throttling", "AuthorizationError", "KMSDisabled"])
def test_a_failed_publish_is_transient_so_the_record_is_retried(
    sns: tuple[Any, Stubber], code: str
) -> None:
    # GIVEN SNS refuses the message
    client, stubber = sns
    stubber.add_client_error("publish", service_error_code=code)
    finding = Finding.from_decision(_mismatch(), **_context())

    # WHEN it is published
    # THEN the failure is transient, naming kind and resource: a finding is never dropped
    with pytest.raises(TransientAwsError, match=f"publishing mismatch for {JOB}"):
        SnsAlertPublisher(client, TOPIC).publish(finding)
