"""The enforce handler reports only retryable records as batch failures, and drops poison ones."""

from __future__ import annotations

import json
from typing import Any

# The X-Ray SDK creates (and never uses here) a UDP socket for its emitter when first
# imported, which the handler's Tracer does even with tracing disabled. Importing it at
# collection, before pytest-socket blocks sockets for the test, keeps the block strict.
import aws_xray_sdk.core  # noqa: F401
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from tag_enforcer.core.errors import TransientAwsError
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings
from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer.enforce.service import EnforcementService
from tests.support.events import load_event
from tests.support.handlers import (
    EnforceHandler,
    LambdaContextStub,
    RecordingServices,
    load_enforce_handler,
    sqs_record,
)
from tests.support.ports import FakeAlerts, FakeDirectory, FakeTags
from tests.support.studio import Studio

HANDLER_ENV = {
    "ENFORCEMENT_MODE": "tag",
    "ALERT_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:t",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "Test",
    "POWERTOOLS_SERVICE_NAME": "enforce",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture
def handler(monkeypatch: pytest.MonkeyPatch, aws_credentials: None) -> EnforceHandler:
    """functions/enforce/app.py, imported fresh under a unique name with the function's env."""
    return load_enforce_handler(monkeypatch, HANDLER_ENV)


@pytest.fixture
def wired(
    handler: EnforceHandler,
    fake_directory: FakeDirectory,
    fake_tags: FakeTags,
    fake_alerts: FakeAlerts,
) -> RecordingServices:
    service = EnforcementService(
        EnforcerSettings(mode=EnforcementMode.TAG), fake_directory, fake_tags, fake_alerts
    )
    stub = RecordingServices(service)
    handler.services = stub
    return stub


def _batch(*records: tuple[str, str], receive_count: int = 1) -> dict[str, Any]:
    return {
        "Records": [sqs_record(body, message_id, receive_count) for message_id, body in records]
    }


def _emf_metrics(output: str) -> dict[str, list[float]]:
    """Metric values (always as a list) from the EMF blobs the handler printed."""
    values: dict[str, list[float]] = {}
    for line in output.splitlines():
        try:
            blob = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(blob, dict) and "_aws" in blob:
            for directive in blob["_aws"]["CloudWatchMetrics"]:
                for metric in directive["Metrics"]:
                    value = blob[metric["Name"]]
                    values.setdefault(metric["Name"], []).extend(
                        value if isinstance(value, list) else [value]
                    )
    return values


def test_only_the_transient_failure_is_reported_for_retry(
    handler: EnforceHandler,
    wired: RecordingServices,
    studio: Studio,
    fake_tags: FakeTags,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # GIVEN a batch of four: bad JSON, a record pydantic rejects, a good record,
    # and a record whose ListTags keeps throttling
    good = studio.event(
        "CreateTrainingJob",
        {"trainingJobName": "good-job"},
        {"trainingJobArn": studio.arn("training-job", "good-job")},
        studio.assumed_role_identity(studio.role("AliceRole")),
    )
    invalid = studio.event("CreateTrainingJob", {"trainingJobName": "x"})
    del invalid["detail"]["eventID"]
    throttled_arn = studio.arn("training-job", "throttled-job")
    throttled = studio.event(
        "CreateTrainingJob",
        {"trainingJobName": "throttled-job"},
        {"trainingJobArn": throttled_arn},
        studio.assumed_role_identity(studio.role("AliceRole")),
    )
    fake_tags.failures[throttled_arn] = TransientAwsError("ListTags throttled")
    event = _batch(
        ("m-malformed-json", "{not json"),
        ("m-invalid", json.dumps(invalid)),
        ("m-good", json.dumps(good)),
        ("m-transient", json.dumps(throttled)),
    )

    # WHEN the handler runs
    context = LambdaContextStub()
    response = handler.lambda_handler(event, context)

    # THEN only the transient record goes back to the queue
    assert response == {"batchItemFailures": [{"itemIdentifier": "m-transient"}]}
    # AND the good record was tagged
    assert [arn for arn, _ in fake_tags.added] == [studio.arn("training-job", "good-job")]
    assert fake_tags.added[0][1][DOMAIN_TAG] == studio.finance.domain_arn
    # AND the service was chosen from each parsed event's partition, region and account
    assert set(wired.asked_for) == {("aws", studio.region, studio.account)}
    # AND the invocation's context was handed on (alert deduplication expires with it)
    assert wired.contexts == [context]
    # AND the two poison records were counted, not retried
    metrics = _emf_metrics(capsys.readouterr().out)
    assert metrics["MalformedRecords"] == [1.0, 1.0]
    assert metrics["RecordsReceived"] == [4.0]


def test_a_record_without_an_arn_is_dropped_as_malformed(
    handler: EnforceHandler,
    wired: RecordingServices,
    studio: Studio,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # GIVEN a CreateTrainingJob with neither response nor name, beside a good record
    no_arn = studio.event("CreateTrainingJob", {"roleArn": studio.role("AliceRole")})
    good = studio.event(
        "CreateTrainingJob",
        {"trainingJobName": "ok"},
        {"trainingJobArn": studio.arn("training-job", "ok")},
        studio.assumed_role_identity(studio.role("AliceRole")),
    )

    # WHEN the handler runs
    response = handler.lambda_handler(
        _batch(("m-no-arn", json.dumps(no_arn)), ("m-ok", json.dumps(good))), LambdaContextStub()
    )

    # THEN nothing is retried, and the record is counted as malformed
    assert response == {"batchItemFailures": []}
    assert _emf_metrics(capsys.readouterr().out)["MalformedRecords"] == [1.0]


@pytest.mark.parametrize("body", ["[]", "42", '"text"', "null", "{}"])
def test_json_that_is_not_an_event_is_dropped(
    handler: EnforceHandler, wired: RecordingServices, studio: Studio, body: str
) -> None:
    # GIVEN a body that parses as JSON but is no EventBridge event, beside a good record
    good = studio.event(
        "CreateTrainingJob",
        {"trainingJobName": "ok"},
        {"trainingJobArn": studio.arn("training-job", "ok")},
        studio.assumed_role_identity(studio.role("AliceRole")),
    )

    # WHEN the handler runs
    response = handler.lambda_handler(
        _batch(("m-odd", body), ("m-ok", json.dumps(good))), LambdaContextStub()
    )

    # THEN it is dropped, not retried
    assert response == {"batchItemFailures": []}


def test_a_flagged_record_whose_alert_cannot_be_sent_is_retried(
    handler: EnforceHandler, wired: RecordingServices, studio: Studio, fake_alerts: FakeAlerts
) -> None:
    # GIVEN SNS is failing, and a record that must be alerted (an ambiguous role)
    fake_alerts.failure = TransientAwsError("SNS throttled")
    ambiguous = studio.event(
        "CreateTrainingJob",
        {"trainingJobName": "shared"},
        {"trainingJobArn": studio.arn("training-job", "shared")},
        studio.assumed_role_identity(studio.role("CrossTeamRole")),
    )
    good = studio.event(
        "CreateTrainingJob",
        {"trainingJobName": "ok"},
        {"trainingJobArn": studio.arn("training-job", "ok")},
        studio.assumed_role_identity(studio.role("AliceRole")),
    )

    # WHEN the handler runs
    response = handler.lambda_handler(
        _batch(("m-alert", json.dumps(ambiguous)), ("m-ok", json.dumps(good))),
        LambdaContextStub(),
    )

    # THEN the finding is not lost: that record is retried
    assert response == {"batchItemFailures": [{"itemIdentifier": "m-alert"}]}


def test_a_shared_sample_event_is_enforced_end_to_end(
    handler: EnforceHandler, wired: RecordingServices, fake_tags: FakeTags, fake_alerts: FakeAlerts
) -> None:
    # GIVEN the shared sample CreateTrainingJob (made outside Studio)
    event = load_event("create/CreateTrainingJob")

    # WHEN the handler runs on it alone, on a delivery where it may no longer wait
    batch = _batch(("m-sample", json.dumps(event)), receive_count=3)
    response = handler.lambda_handler(batch, LambdaContextStub())

    # THEN it succeeds with exactly one action: a tag or an alert about that event
    assert response == {"batchItemFailures": []}
    assert len(fake_tags.added) + len(fake_alerts.published) == 1
    assert all(f.event_id == event["detail"]["eventID"] for f in fake_alerts.published)


def test_the_module_reads_its_settings_from_the_environment(handler: EnforceHandler) -> None:
    # GIVEN the handler module imported with ENFORCEMENT_MODE=tag and a topic
    # WHEN its real services object is inspected (before any stub replaces it)
    settings = handler.services._settings

    # THEN the environment was read at import, without any AWS call
    assert settings.mode is EnforcementMode.TAG
    assert settings.alert_topic_arn == "arn:aws:sns:us-east-1:123456789012:t"


def test_an_unattributable_record_waiting_for_its_parent_is_deferred_then_decided(
    handler: EnforceHandler, wired: RecordingServices, fake_tags: FakeTags, fake_alerts: FakeAlerts
) -> None:
    # GIVEN the sample CreateTrainingJob, whose named trial exists but is not tagged yet
    body = json.dumps(load_event("create/CreateTrainingJob"))

    # WHEN it is delivered for the first and second time, alone in its batch
    # THEN the batch fails each time (Powertools raises when every record failed, and
    # Lambda returns the whole batch to the queue), without a tag or an alert
    for receive_count in (1, 2):
        with pytest.raises(BatchProcessingError, match="not tagged yet"):
            handler.lambda_handler(
                _batch(("m-1", body), receive_count=receive_count), LambdaContextStub()
            )
    assert fake_tags.added == []
    assert fake_alerts.published == []

    # AND on the third delivery it is decided as it stands
    third = handler.lambda_handler(_batch(("m-1", body), receive_count=3), LambdaContextStub())
    assert third == {"batchItemFailures": []}
    assert len(fake_tags.added) + len(fake_alerts.published) == 1
