"""The enforce path: one CloudTrail record in, one decision and at most one action out.

Ports are fakes (tests/support/ports.py): FakeTags counts every AWS call it stands for.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tag_enforcer.core.decisions import FlagReason, Outcome, Severity
from tag_enforcer.core.directory import DomainDirectory, UserProfileEntry
from tag_enforcer.core.errors import MalformedRecordError, ResourceGoneError, TransientAwsError
from tag_enforcer.core.events import caller_evidence, read_create_event
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings, MissingTagAlerts
from tag_enforcer.core.tags import DOMAIN_TAG, SPACE_TAG, USER_PROFILE_TAG
from tag_enforcer.enforce.alerts import FindingKind
from tag_enforcer.enforce.service import Action, EnforcementService, describe_caller, screen
from tests.support.ports import FakeAlerts, FakeDirectory, FakeTags
from tests.support.studio import Studio

TAG_MODE = EnforcerSettings(mode=EnforcementMode.TAG)
AUDIT_MODE = EnforcerSettings(
    mode=EnforcementMode.AUDIT, audit_missing_tag_alerts=MissingTagAlerts.SINGLE
)


def _service(
    directory: Any, tags: Any, alerts: Any, settings: EnforcerSettings = TAG_MODE
) -> EnforcementService:
    return EnforcementService(settings, directory, tags, alerts)


@pytest.fixture
def service(
    fake_directory: FakeDirectory, fake_tags: FakeTags, fake_alerts: FakeAlerts
) -> EnforcementService:
    return _service(fake_directory, fake_tags, fake_alerts)


def _job_arn(studio: Studio, name: str = "churn-xgb-2026-11-29") -> str:
    return studio.arn("training-job", name)


def _tags_on_job(
    studio: Studio,
    job_tags: dict[str, str],
    others: dict[str, dict[str, str]] | None = None,
) -> FakeTags:
    """A FakeTags in which the default training job already carries `job_tags`."""
    return FakeTags({_job_arn(studio): job_tags, **(others or {})})


# --- screening ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        ({"errorCode": "ResourceLimitExceeded"}, "the call failed (ResourceLimitExceeded)"),
        ({"readOnly": True}, "read-only call"),
        ({"eventSource": "s3.amazonaws.com"}, "not SageMaker"),
    ],
    ids=["failed-call", "read-only", "other-service"],
)
def test_records_that_are_not_ours_are_ignored_without_any_call(
    studio: Studio,
    service: EnforcementService,
    fake_tags: FakeTags,
    fake_directory: FakeDirectory,
    case: tuple[dict[str, Any], str],
) -> None:
    overrides, note = case

    # GIVEN a CreateTrainingJob record that failed, is read-only or is not SageMaker's
    record = studio.record(
        "CreateTrainingJob",
        {"trainingJobName": "x"},
        {"trainingJobArn": _job_arn(studio, "x")},
        **overrides,
    )

    # WHEN it is enforced
    result = service.enforce(record)

    # THEN it is ignored with a reason, and nothing is called
    assert (result.outcome, result.action) == (Outcome.IGNORE, Action.NONE)
    assert note in result.note
    assert screen(record) == result.note
    assert fake_tags.calls == []
    assert fake_directory.gets == 0


@pytest.mark.parametrize(
    ("event_name", "names"),
    [
        ("UpdateDomain", {}),
        ("DeleteUserProfile", {"userProfileName": "bob"}),
        ("UpdateSpace", {"spaceName": "team-space"}),
        ("DeleteDomain", {}),
    ],
)
def test_directory_events_bring_their_entry_up_to_date(  # noqa: PLR0917 - fixtures
    studio: Studio,
    service: EnforcementService,
    fake_directory: FakeDirectory,
    fake_tags: FakeTags,
    event_name: str,
    names: dict[str, str],
) -> None:
    # GIVEN an Update/Delete of a domain, profile or space (not a create of a resource)
    record = studio.record(event_name, {"domainId": studio.finance.domain_id, **names})

    # WHEN it is enforced
    result = service.enforce(record)

    # THEN that one entry is brought up to date, at the event's time, and nothing else
    assert result.action is Action.DIRECTORY_UPDATED
    assert result.outcome is Outcome.IGNORE
    [change] = fake_directory.changes
    assert change.verb == event_name[:6]
    assert change.domain_id == studio.finance.domain_id
    assert change.name == (next(iter(names.values())) if names else None)
    assert change.at == record.event_instant
    assert fake_tags.calls == []


def test_a_directory_event_naming_no_domain_is_malformed(
    studio: Studio, service: EnforcementService
) -> None:
    with pytest.raises(MalformedRecordError):
        service.enforce(studio.record("DeleteUserProfile", {"domainId": "d-finance00001"}))


def test_a_create_user_profile_updates_the_directory_and_is_still_enforced(
    studio: Studio, service: EnforcementService, fake_directory: FakeDirectory, fake_tags: FakeTags
) -> None:
    # GIVEN CreateUserProfile in finance (a directory event that also creates a resource)
    arn = studio.arn("user-profile", studio.finance.domain_id, "new-hire")
    record = studio.record(
        "CreateUserProfile",
        {"domainId": studio.finance.domain_id, "userProfileName": "new-hire"},
        {"userProfileArn": arn},
    )

    # WHEN it is enforced
    result = service.enforce(record)

    # THEN the directory learns the profile and the new profile is tagged
    assert [c.name for c in fake_directory.changes] == ["new-hire"]
    assert result.action is Action.TAGGED
    assert result.tags_added == {DOMAIN_TAG: studio.finance.domain_arn, USER_PROFILE_TAG: arn}


@pytest.mark.parametrize("event_name", ["CreatePresignedDomainUrl", "CreateWidget"])
def test_creates_of_untaggable_things_are_ignored(
    studio: Studio, service: EnforcementService, fake_tags: FakeTags, event_name: str
) -> None:
    # GIVEN a Create* call that creates no taggable resource
    # WHEN it is enforced
    result = service.enforce(studio.record(event_name, {"domainId": "d-x"}))

    # THEN it is ignored, with no call
    assert (result.outcome, result.action) == (Outcome.IGNORE, Action.NONE)
    assert result.note == "not a create of a taggable resource"
    assert fake_tags.calls == []


def test_excluded_resource_types_are_ignored(
    studio: Studio, fake_directory: FakeDirectory, fake_tags: FakeTags, fake_alerts: FakeAlerts
) -> None:
    # GIVEN training jobs are excluded by configuration
    settings = replace(TAG_MODE, excluded_types=frozenset({"TrainingJob"}))
    service = _service(fake_directory, fake_tags, fake_alerts, settings)

    # WHEN a CreateTrainingJob is enforced
    result = service.enforce(studio.training_job_record(caller_role=studio.role("AliceRole")))

    # THEN it is ignored, naming the type, with no call
    assert result.outcome is Outcome.IGNORE
    assert result.resource_type == "TrainingJob"
    assert "excluded" in result.note
    assert fake_tags.calls == []


def test_a_record_with_no_arn_anywhere_is_malformed(
    studio: Studio, service: EnforcementService, fake_tags: FakeTags
) -> None:
    # GIVEN CreateTrainingJob with no response and no job name
    record = studio.record("CreateTrainingJob", {"roleArn": studio.role("AliceRole")}, None)

    # WHEN it is enforced
    # THEN it is malformed (never retried), naming the event
    with pytest.raises(MalformedRecordError, match="CreateTrainingJob event evt-CreateTrainingJob"):
        service.enforce(record)
    assert fake_tags.calls == []


# --- the typical event --------------------------------------------------------------------


def test_tag_mode_adds_the_missing_tags_in_at_most_two_calls(
    studio: Studio, service: EnforcementService, fake_tags: FakeTags, fake_alerts: FakeAlerts
) -> None:
    # GIVEN alice's role creates an untagged training job with no parents
    record = studio.training_job_record(caller_role=studio.role("AliceRole"))

    # WHEN it is enforced
    result = service.enforce(record)

    # THEN it is tagged with finance and alice, in ListTags + AddTags only
    expected = {
        DOMAIN_TAG: studio.finance.domain_arn,
        USER_PROFILE_TAG: studio.profile("alice").arn,
    }
    assert (result.outcome, result.action) == (Outcome.TAG, Action.TAGGED)
    assert result.resource_arn == _job_arn(studio)
    assert result.tags_added == expected
    assert fake_tags.added == [(_job_arn(studio), expected)]
    assert fake_tags.operations() == ["ListTags", "AddTags"]
    assert fake_alerts.published == []


def test_tag_mode_adds_only_keys_the_resource_lacks(
    studio: Studio, fake_directory: FakeDirectory, fake_alerts: FakeAlerts
) -> None:
    # GIVEN the job already has finance's domain tag and a cost tag
    tags = _tags_on_job(studio, {DOMAIN_TAG: studio.finance.domain_arn, "team": "risk"})
    service = _service(fake_directory, tags, fake_alerts)

    # WHEN alice's job is enforced
    result = service.enforce(studio.training_job_record(caller_role=studio.role("AliceRole")))

    # THEN only the profile tag is added; nothing present is sent again
    assert tags.added == [(_job_arn(studio), {USER_PROFILE_TAG: studio.profile("alice").arn})]
    assert result.action is Action.TAGGED


def test_a_compliant_resource_costs_one_call_and_no_alert(
    studio: Studio, fake_directory: FakeDirectory, fake_alerts: FakeAlerts
) -> None:
    # GIVEN the job already carries finance and alice
    tags = _tags_on_job(
        studio,
        {DOMAIN_TAG: studio.finance.domain_arn, USER_PROFILE_TAG: studio.profile("alice").arn},
    )
    service = _service(fake_directory, tags, fake_alerts)

    # WHEN it is enforced
    result = service.enforce(studio.training_job_record(caller_role=studio.role("AliceRole")))

    # THEN nothing is done
    assert (result.outcome, result.action) == (Outcome.COMPLIANT, Action.NONE)
    assert tags.operations() == ["ListTags"]
    assert fake_alerts.published == []


def test_tags_requested_in_the_create_call_count_as_present(
    studio: Studio, service: EnforcementService, fake_tags: FakeTags, fake_alerts: FakeAlerts
) -> None:
    # GIVEN alice's create call requested the right tags (ListTags lags behind)
    requested = [
        {"key": DOMAIN_TAG, "value": studio.finance.domain_arn},
        {"key": USER_PROFILE_TAG, "value": studio.profile("alice").arn},
    ]
    record = studio.training_job_record(caller_role=studio.role("AliceRole"), tags=requested)

    # WHEN it is enforced
    result = service.enforce(record)

    # THEN it is compliant and nothing is added
    assert result.outcome is Outcome.COMPLIANT
    assert fake_tags.added == []


def test_audit_mode_never_tags_and_alerts_missing_tags(
    studio: Studio, fake_directory: FakeDirectory, fake_tags: FakeTags, fake_alerts: FakeAlerts
) -> None:
    # GIVEN the enforcer runs in audit mode
    service = _service(fake_directory, fake_tags, fake_alerts, AUDIT_MODE)

    # WHEN alice's untagged job is enforced
    result = service.enforce(studio.training_job_record(caller_role=studio.role("AliceRole")))

    # THEN no tag is added, and one low "missing-tags" alert proposes them
    assert "AddTags" not in fake_tags.operations()
    assert result.outcome is Outcome.TAG
    assert result.action is Action.ALERTED
    [finding] = fake_alerts.published
    assert finding.kind == FindingKind.MISSING_TAGS
    assert finding.severity is Severity.LOW
    assert finding.mode == "audit"
    assert finding.proposed_tags == {
        DOMAIN_TAG: studio.finance.domain_arn,
        USER_PROFILE_TAG: studio.profile("alice").arn,
    }


def test_a_flag_is_published_exactly_once_and_nothing_is_tagged(
    studio: Studio, service: EnforcementService, fake_tags: FakeTags, fake_alerts: FakeAlerts
) -> None:
    # GIVEN dan (sustainability) creates a job requesting finance's domain tag
    record = studio.training_job_record(
        caller_role=studio.role("DanRole"),
        tags=[{"key": DOMAIN_TAG, "value": studio.finance.domain_arn}],
    )

    # WHEN it is enforced
    result = service.enforce(record)

    # THEN one HIGH mismatch alert, carrying the event's context, and no AddTags
    assert (result.outcome, result.action) == (Outcome.FLAG, Action.ALERTED)
    assert "AddTags" not in fake_tags.operations()
    [finding] = fake_alerts.published
    assert finding.kind == FindingKind.MISMATCH
    assert finding.severity is Severity.HIGH
    assert finding.resource_arn == _job_arn(studio)
    assert finding.resource_type == "TrainingJob"
    assert finding.event_name == "CreateTrainingJob"
    assert finding.event_id == record.event_id
    assert finding.caller == studio.role("DanRole")
    assert (finding.account, finding.region, finding.mode) == (studio.account, studio.region, "tag")
    assert finding.domains == [studio.sustainability.domain_arn, studio.finance.domain_arn]


def test_a_flag_without_an_alert_topic_is_still_decided(
    studio: Studio, fake_directory: FakeDirectory, fake_tags: FakeTags
) -> None:
    # GIVEN no alert topic is configured
    service = _service(fake_directory, fake_tags, None)

    # WHEN an ambiguous job is enforced
    result = service.enforce(studio.training_job_record(caller_role=studio.role("CrossTeamRole")))

    # THEN it is flagged, and the action says nobody was told
    assert result.outcome is Outcome.FLAG
    assert result.action is Action.NONE
    assert result.decision is not None
    assert result.decision.reason is FlagReason.AMBIGUOUS


def test_a_failed_publish_fails_the_record(
    studio: Studio, service: EnforcementService, fake_alerts: FakeAlerts
) -> None:
    # GIVEN SNS is failing
    fake_alerts.failure = TransientAwsError("SNS is down")

    # WHEN a flagged record is enforced
    # THEN the error propagates, so the record is retried rather than the finding lost
    with pytest.raises(TransientAwsError):
        service.enforce(studio.training_job_record(caller_role=studio.role("CrossTeamRole")))


# --- resources that vanish ----------------------------------------------------------------


def test_a_resource_deleted_before_it_is_read_is_gone_without_an_alert(
    studio: Studio, service: EnforcementService, fake_tags: FakeTags, fake_alerts: FakeAlerts
) -> None:
    # GIVEN the job was deleted before ListTags
    fake_tags.gone.add(_job_arn(studio))

    # WHEN it is enforced
    result = service.enforce(studio.training_job_record(caller_role=studio.role("CiRole")))

    # THEN it is an info event: no tag, no alert
    assert result.action is Action.RESOURCE_GONE
    assert result.outcome is Outcome.IGNORE
    assert fake_tags.operations() == ["ListTags"]
    assert fake_alerts.published == []


def test_a_resource_deleted_before_it_is_tagged_is_gone_without_an_alert(
    studio: Studio, service: EnforcementService, fake_tags: FakeTags, fake_alerts: FakeAlerts
) -> None:
    # GIVEN the job vanishes between ListTags and AddTags
    fake_tags.gone_before_tagging.add(_job_arn(studio))

    # WHEN alice's job is enforced
    result = service.enforce(studio.training_job_record(caller_role=studio.role("AliceRole")))

    # THEN it is reported gone, with the decision kept, and nobody is alerted
    assert result.action is Action.RESOURCE_GONE
    assert result.outcome is Outcome.TAG
    assert result.decision is not None
    assert fake_alerts.published == []


def test_transient_tagging_errors_propagate(
    studio: Studio, service: EnforcementService, fake_tags: FakeTags
) -> None:
    # GIVEN SageMaker throttles ListTags past botocore's retries
    fake_tags.failures[_job_arn(studio)] = TransientAwsError("Throttling")

    # WHEN the record is enforced
    # THEN the error propagates, so SQS retries the record
    with pytest.raises(TransientAwsError):
        service.enforce(studio.training_job_record(caller_role=studio.role("AliceRole")))


# --- directory refresh after a miss -------------------------------------------------------


def test_an_unattributable_record_refreshes_the_directory_once_and_retries(
    studio: Studio, fake_tags: FakeTags, fake_alerts: FakeAlerts
) -> None:
    # GIVEN a profile "ivy" created seconds ago, known only to a refreshed directory
    ivy_role = "arn:aws:iam::111122223333:role/IvyRole"
    ivy = UserProfileEntry(
        studio.finance.domain_id,
        "ivy",
        studio.arn("user-profile", studio.finance.domain_id, "ivy"),
        ("111122223333", "IvyRole"),
    )
    refreshed = DomainDirectory(
        studio.directory.domains,
        (*studio.directory.user_profiles, ivy),
        studio.directory.spaces,
    )
    directory = FakeDirectory(studio.directory, refreshed)
    service = _service(directory, fake_tags, fake_alerts)

    # WHEN ivy's first training job is enforced
    result = service.enforce(studio.training_job_record(caller_role=ivy_role))

    # THEN one refresh found her, and the job is tagged rather than flagged
    assert directory.refreshes == 1
    assert result.action is Action.TAGGED
    assert result.tags_added == {DOMAIN_TAG: studio.finance.domain_arn, USER_PROFILE_TAG: ivy.arn}
    assert fake_alerts.published == []


def test_an_unattributable_record_is_flagged_when_the_refresh_is_skipped(
    studio: Studio,
    service: EnforcementService,
    fake_directory: FakeDirectory,
    fake_alerts: FakeAlerts,
) -> None:
    # GIVEN the directory was refreshed moments ago (refresh_after_miss returns None)
    # WHEN a CI role's job is enforced
    result = service.enforce(studio.training_job_record(caller_role=studio.role("CiRole")))

    # THEN one refresh was asked for, and the job is flagged unattributable
    assert fake_directory.refreshes == 1
    assert result.outcome is Outcome.FLAG
    [finding] = fake_alerts.published
    assert finding.kind == FindingKind.UNATTRIBUTABLE


def test_an_attributable_record_never_refreshes_the_directory(
    studio: Studio, service: EnforcementService, fake_directory: FakeDirectory
) -> None:
    # GIVEN alice's job, attributable from the cached directory
    # WHEN it is enforced
    service.enforce(studio.training_job_record(caller_role=studio.role("AliceRole")))

    # THEN the directory is read once, never reloaded
    assert (fake_directory.gets, fake_directory.refreshes) == (1, 0)


def test_a_mismatch_does_not_refresh_the_directory(
    studio: Studio, service: EnforcementService, fake_directory: FakeDirectory
) -> None:
    # GIVEN a spoofed tag: a refresh cannot change who the caller is
    record = studio.training_job_record(
        caller_role=studio.role("DanRole"),
        tags=[{"key": DOMAIN_TAG, "value": studio.finance.domain_arn}],
    )

    # WHEN it is enforced
    service.enforce(record)

    # THEN no refresh
    assert fake_directory.refreshes == 0


# --- lineage parents ----------------------------------------------------------------------


def test_a_child_inherits_from_its_tagged_parent_read_by_name(
    studio: Studio, fake_directory: FakeDirectory, fake_alerts: FakeAlerts
) -> None:
    # GIVEN a CI role creates an endpoint from a config tagged finance/alice
    config_arn = studio.arn("endpoint-config", "churn-config")
    parent_tags = {
        DOMAIN_TAG: studio.finance.domain_arn,
        USER_PROFILE_TAG: studio.profile("alice").arn,
        "team": "risk",
    }
    tags = _tags_on_job(studio, {}, others={config_arn: parent_tags})
    endpoint_arn = studio.arn("endpoint", "churn")
    record = studio.record(
        "CreateEndpoint",
        {"endpointName": "churn", "endpointConfigName": "Churn-Config"},
        {"endpointArn": endpoint_arn},
    )
    service = _service(fake_directory, tags, fake_alerts)

    # WHEN it is enforced
    result = service.enforce(record)

    # THEN the parent is read by its rebuilt ARN and its enforced tags are inherited
    assert tags.calls == [
        ("ListTags", endpoint_arn),
        ("ListTags", config_arn),
        ("AddTags", endpoint_arn),
    ]
    assert result.tags_added == {
        DOMAIN_TAG: studio.finance.domain_arn,
        USER_PROFILE_TAG: studio.profile("alice").arn,
    }


def test_a_parent_that_is_gone_is_treated_as_untagged(
    studio: Studio, fake_directory: FakeDirectory, fake_alerts: FakeAlerts
) -> None:
    # GIVEN the endpoint's config was deleted already, and the caller is alice
    tags = _tags_on_job(studio, {})
    tags.gone.add(studio.arn("endpoint-config", "churn-config"))
    identity = studio.assumed_role_identity(studio.role("AliceRole"))
    record = studio.record(
        "CreateEndpoint",
        {"endpointName": "churn", "endpointConfigName": "churn-config"},
        {"endpointArn": studio.arn("endpoint", "churn")},
        identity,
    )

    # WHEN it is enforced
    result = _service(fake_directory, tags, fake_alerts).enforce(record)

    # THEN the caller's evidence decides
    assert result.action is Action.TAGGED


# --- helpers that read the record ---------------------------------------------------------


def test_record_readers_extract_caller_roles_parents_and_studio_fields(studio: Studio) -> None:
    # GIVEN a CreateApp in a space, and a CreateTransformJob naming a model and a trial ARN
    app = studio.record(
        "CreateApp",
        {
            "domainId": "d-finance00001",
            "spaceName": "team-space",
            "appType": "JupyterLab",
            "appName": "default",
        },
        identity=studio.assumed_role_identity(studio.role("AliceRole"), source_identity="alice"),
    )
    trial_arn = studio.arn("experiment-trial", "t1")
    transform = studio.record(
        "CreateTransformJob",
        {
            "transformJobName": "score",
            "modelName": "Churn-Model",
            "experimentConfig": {"trialName": trial_arn},
        },
    )
    job = studio.record(
        "CreateHyperParameterTuningJob",
        {
            "hyperParameterTuningJobName": "hpo",
            "trainingJobDefinitions": [
                {"roleArn": studio.role("DanRole")},
                {"roleArn": studio.role("DanRole")},
                {"roleArn": studio.role("AliceRole")},
            ],
        },
    )

    # WHEN they are read into create events
    app_event = read_create_event(app)
    transform_event = read_create_event(transform)
    job_event = read_create_event(job)

    # THEN each reader sees what the registry points it at
    assert app_event is not None
    assert transform_event is not None
    assert job_event is not None
    assert app_event.studio is not None
    assert app_event.studio.space_name == "team-space"
    assert transform_event.studio is None
    assert app_event.caller.source_identity == "alice"
    assert app_event.caller.session_issuer_arn == studio.role("AliceRole")
    assert describe_caller(app) == studio.role("AliceRole")
    assert list(transform_event.parents_named) == [
        ("Model", studio.arn("model", "churn-model")),
        ("Trial", trial_arn),
    ]
    assert job_event.resource_role_arns == (studio.role("DanRole"), studio.role("AliceRole"))


def test_describe_caller_falls_back_to_the_service_that_invoked(studio: Studio) -> None:
    # GIVEN a job SageMaker made itself for a pipeline step
    record = studio.record(
        "CreateTrainingJob",
        {"trainingJobName": "step"},
        identity={"type": "AWSService", "invokedBy": "sagemaker.amazonaws.com"},
    )

    # WHEN the caller is described
    # THEN it is the invoking service
    assert describe_caller(record) == "sagemaker.amazonaws.com"
    assert caller_evidence(record).invoked_by == "sagemaker.amazonaws.com"


# --- the 50-tag limit ---------------------------------------------------------------------


def test_tagging_never_pushes_a_resource_past_fifty_tags(
    studio: Studio, fake_directory: FakeDirectory, fake_alerts: FakeAlerts
) -> None:
    # GIVEN alice's job already carries 49 cost tags
    tags = _tags_on_job(studio, {f"cost-{i}": "x" for i in range(49)})
    service = _service(fake_directory, tags, fake_alerts)

    # WHEN it is enforced and two tags are missing
    service.enforce(studio.training_job_record(caller_role=studio.role("AliceRole")))

    # THEN no AddTags would pass 50 tags on the resource
    assert all(len(t) <= 50 for t in tags.tags.values())


# --- the fakes keep the ports' contract ---------------------------------------------------


def test_the_gone_fake_raises_like_the_adapter(studio: Studio, fake_tags: FakeTags) -> None:
    # GIVEN the fake marks an ARN gone (a guard that the fakes keep the port's contract)
    fake_tags.gone.add("arn:x")

    # WHEN it is read
    # THEN it raises the domain error the real adapter raises
    with pytest.raises(ResourceGoneError):
        fake_tags.list_tags("arn:x")


def test_space_tags_come_from_the_request_structure(
    studio: Studio, service: EnforcementService, fake_tags: FakeTags
) -> None:
    # GIVEN CreateApp in finance's team space
    arn = studio.arn("app", studio.finance.domain_id, "team-space", "jupyterlab", "default")
    record = studio.record(
        "CreateApp",
        {
            "domainId": studio.finance.domain_id,
            "spaceName": "team-space",
            "appType": "JupyterLab",
            "appName": "default",
        },
        {"appArn": arn},
    )

    # WHEN it is enforced
    result = service.enforce(record)

    # THEN it is tagged with the domain and the space
    assert result.tags_added == {
        DOMAIN_TAG: studio.finance.domain_arn,
        SPACE_TAG: studio.finance_space.arn,
    }
