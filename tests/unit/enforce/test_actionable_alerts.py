"""An alert a subscriber can act on: who did it, where to look, what to run, which resource."""

from __future__ import annotations

import json
from typing import Any

from tag_enforcer.core.decisions import (
    AttributionDecision,
    CallerEvidence,
    Evidence,
    FlagReason,
    Outcome,
)
from tag_enforcer.core.settings import EnforcementMode, EnforcerSettings, MissingTagAlerts
from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer.enforce.alerts import Finding, FindingKind, describe_actor
from tag_enforcer.enforce.service import Action, EnforcementService
from tests.support.studio import Studio

PREFIX = "arn:aws:sagemaker:us-east-1:111122223333"
FINANCE = f"{PREFIX}:domain/d-finance00001"
SUSTAIN = f"{PREFIX}:domain/d-sustain00002"
SESSION = "arn:aws:sts::111122223333:assumed-role/AliceRole/maria.garcia"
ROLE = "arn:aws:iam::111122223333:role/AliceRole"


def _finding(decision: AttributionDecision, **overrides: Any) -> Finding:
    context: dict[str, Any] = {
        "resource_arn": f"{PREFIX}:training-job/churn-xgb",
        "resource_type": "TrainingJob",
        "event_name": "CreateTrainingJob",
        "event_time": "2026-11-29T10:15:02Z",
        "event_id": "54149ad1-2f0e",
        "caller": ROLE,
        "mode": "audit",
        "account": "111122223333",
        "region": "us-east-1",
        "identity": CallerEvidence(
            principal_type="AssumedRole",
            principal_arn=SESSION,
            session_issuer_arn=ROLE,
            source_identity="alice",
        ),
    }
    context.update(overrides)
    return Finding.from_decision(decision, **context)


MISMATCH = AttributionDecision(
    Outcome.FLAG,
    expected_tags={DOMAIN_TAG: FINANCE},
    conflicting_tags={DOMAIN_TAG: (SUSTAIN, FINANCE)},
    reason=FlagReason.MISMATCH,
    evidence=(
        Evidence(
            "caller-role",
            {"sessionIssuer": ROLE},
            "the role is profile alice's own role in domain d-finance00001, and used nowhere else",
            (f"{FINANCE} / {PREFIX}:user-profile/d-finance00001/alice",),
        ),
    ),
)
UNATTRIBUTABLE = AttributionDecision(
    Outcome.FLAG, reason=FlagReason.UNATTRIBUTABLE, evidence=(Evidence("no-evidence", {}, "none"),)
)


def test_the_actor_names_the_session_and_the_source_identity() -> None:
    body = _finding(MISMATCH).body()
    assert (
        body["actor"] == f"{SESSION} (role AliceRole, session maria.garcia), source identity alice"
    )
    # A profile's own role names one person: no warning that it is shared.
    assert "shared" not in body["actor"]


def test_the_actor_says_when_the_role_is_shared_using_the_caller_role_conclusion() -> None:
    conclusion = "the role names domain d-finance00001 and no profile (a default role of it)"
    evidence = (Evidence("caller-role", {"sessionIssuer": ROLE}, conclusion, (FINANCE,)),)
    actor = describe_actor(
        CallerEvidence(
            principal_type="AssumedRole", principal_arn=SESSION, session_issuer_arn=ROLE
        ),
        evidence,
    )
    assert actor.endswith(f"the role is shared, so it does not name one person: {conclusion}")


def test_an_iam_user_and_a_service_are_named_as_such() -> None:
    user = CallerEvidence(
        principal_type="IAMUser",
        principal_arn="arn:aws:iam::111122223333:user/ci-bot",
        user_name="ci-bot",
    )
    assert describe_actor(user) == "IAM user ci-bot (arn:aws:iam::111122223333:user/ci-bot)"
    service = CallerEvidence(principal_type="AWSService", invoked_by="sagemaker.amazonaws.com")
    assert describe_actor(service) == "the AWS service sagemaker.amazonaws.com"


def test_the_body_links_the_cloudtrail_event_and_the_console_page() -> None:
    links = _finding(MISMATCH).body()["links"]
    assert links["cloudTrailEvent"] == (
        "https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1"
        "#/events/54149ad1-2f0e"
    )
    assert links["sageMakerConsole"].endswith("#/jobs/churn-xgb")


def test_a_type_without_a_console_page_says_why_there_is_no_link() -> None:
    links = _finding(
        UNATTRIBUTABLE, resource_type="Trial", resource_arn=f"{PREFIX}:experiment-trial/t"
    ).body()["links"]
    assert links["sageMakerConsole"] is None
    assert "Studio" in links["sageMakerConsoleNote"]


def test_mismatch_and_unattributable_carry_the_exact_add_tags_command() -> None:
    [mismatch_fix] = _finding(MISMATCH).body()["fixCommands"]
    assert mismatch_fix == (
        "aws sagemaker add-tags --region us-east-1 --resource-arn "
        f"{PREFIX}:training-job/churn-xgb --tags Key=sagemaker:domain-arn,Value={FINANCE}"
    )
    [orphan_fix] = _finding(UNATTRIBUTABLE).body()["fixCommands"]
    assert f"Value={PREFIX}:domain/<DOMAIN-ID>" in orphan_fix


def test_kinds_the_enforcer_fixes_itself_carry_no_command() -> None:
    missing = AttributionDecision(Outcome.TAG, {DOMAIN_TAG: FINANCE}, {DOMAIN_TAG: FINANCE})
    assert "fixCommands" not in _finding(missing).body()


def test_an_apps_subject_names_its_type_owner_and_domain() -> None:
    structural = Evidence("structural", {"DomainId": "d-finance00001", "SpaceName": "q4"}, "x")
    finding = _finding(
        AttributionDecision(
            Outcome.TAG, {DOMAIN_TAG: FINANCE}, {DOMAIN_TAG: FINANCE}, evidence=(structural,)
        ),
        resource_type="App",
        resource_arn=f"{PREFIX}:app/d-finance00001/q4/jupyterlab/default",
    )
    assert finding.subject() == (
        "[LOW] SageMaker missing-tags: App default (jupyterlab, space q4, d-finance00001)"
    )


def test_a_hostile_value_cannot_make_an_alert_sns_refuses() -> None:
    huge = "a" * 400_000
    decision = AttributionDecision(
        Outcome.FLAG,
        expected_tags={DOMAIN_TAG: FINANCE},
        conflicting_tags={DOMAIN_TAG: (huge, FINANCE)},
        reason=FlagReason.MISMATCH,
        evidence=(Evidence("existing-tags", {DOMAIN_TAG: huge}, "tags contradict the evidence"),),
    )
    message = json.dumps(_finding(decision).body(), indent=2, sort_keys=True)
    assert len(message.encode()) <= 256 * 1024


class _Tags:
    def list_tags(self, resource_arn: str) -> dict[str, str]:
        return {}

    def add_tags(self, resource_arn: str, tags: Any) -> None:
        raise AssertionError("audit mode never tags")


class _Alerts:
    def __init__(self) -> None:
        self.published: list[Finding] = []

    def publish(self, finding: Finding) -> None:
        self.published.append(finding)


def _audit_service(studio: Studio, fake_directory: Any, grouping: MissingTagAlerts) -> Any:
    alerts = _Alerts()
    settings = EnforcerSettings(mode=EnforcementMode.AUDIT, audit_missing_tag_alerts=grouping)
    return EnforcementService(settings, fake_directory, _Tags(), alerts), alerts


def test_audit_mode_groups_missing_tags_into_the_digest_by_default(
    studio: Studio, fake_directory: Any
) -> None:
    # GIVEN audit mode with the default grouping, and alice's untagged job
    service, alerts = _audit_service(studio, fake_directory, MissingTagAlerts.DIGEST)
    assert EnforcerSettings.from_environment({}).audit_missing_tag_alerts is MissingTagAlerts.DIGEST

    # WHEN it is enforced
    result = service.enforce(studio.training_job_record(caller_role=studio.role("AliceRole")))

    # THEN no alert goes out: the sweep's digest counts it
    assert (result.outcome, result.action) == (Outcome.TAG, Action.NONE)
    assert "digest" in result.note
    assert alerts.published == []


def test_audit_mode_alerts_each_missing_tag_when_asked_for_single_alerts(
    studio: Studio, fake_directory: Any
) -> None:
    settings = EnforcerSettings.from_environment({"AUDIT_MISSING_TAG_ALERTS": "single"})
    assert settings.audit_missing_tag_alerts is MissingTagAlerts.SINGLE
    service, alerts = _audit_service(studio, fake_directory, MissingTagAlerts.SINGLE)
    service.enforce(studio.training_job_record(caller_role=studio.role("AliceRole")))
    assert [f.kind for f in alerts.published] == [FindingKind.MISSING_TAGS]


def test_flags_are_still_alerted_one_by_one_in_digest_mode(
    studio: Studio, fake_directory: Any
) -> None:
    service, alerts = _audit_service(studio, fake_directory, MissingTagAlerts.DIGEST)
    service.enforce(studio.training_job_record(caller_role=studio.role("CiRole")))
    assert [f.kind for f in alerts.published] == [FindingKind.UNATTRIBUTABLE]
    body = alerts.published[0].body()
    assert "IAM" in body["actor"] or "assumed-role/CiRole" in body["actor"]


def test_no_evidence_ever_counts_zero_profiles(studio: Studio, fake_directory: Any) -> None:
    # Evidence that counted a role's users read "(0 profiles use it)" for a default role
    # no profile inherits; a conclusion names what the role is, never a count of nobody.
    service, alerts = _audit_service(studio, fake_directory, MissingTagAlerts.SINGLE)
    for role in ("FinanceDefault", "SustainDefault", "CrossTeamRole", "AliceRole", "CiRole"):
        service.enforce(studio.training_job_record(f"job-{role}", caller_role=studio.role(role)))
    conclusions = [e.conclusion for f in alerts.published for e in f.evidence]
    assert conclusions
    assert not [c for c in conclusions if "0 profiles" in c]
