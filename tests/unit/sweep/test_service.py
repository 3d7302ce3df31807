"""The sweep service on a fake account: who gets which tags, in how few calls, what changes."""

from __future__ import annotations

import json

import pytest

from tag_enforcer.core.admin_rules import AdminRules
from tag_enforcer.core.settings import EnforcementMode
from tag_enforcer.core.tags import DOMAIN_TAG, USER_PROFILE_TAG
from tag_enforcer.sweep.bulk_tagging import TagFailure
from tag_enforcer.sweep.report import SweepAction
from tests.support.studio import Studio
from tests.support.sweep import FakeSageMaker, SweepWorld, new_world


def training_job(account: FakeSageMaker, name: str, role: str, **kwargs: object) -> str:
    return account.add("TrainingJob", name, details={"RoleArn": role}, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def world(studio: Studio) -> SweepWorld:
    return new_world(studio)


def finance_alice(studio: Studio) -> dict[str, str]:
    return {DOMAIN_TAG: studio.finance.domain_arn, USER_PROFILE_TAG: studio.profile("alice").arn}


def test_backfill_tags_each_attributable_resource_with_its_domain(
    world: SweepWorld, studio: Studio
) -> None:
    # GIVEN legacy resources: some with a role one profile or domain uses, one without evidence
    account = world.account
    alice_job = training_job(account, "alice-job", studio.role("AliceRole"))
    finance_job = training_job(account, "finance-job", studio.role("FinanceDefault"))
    dan_processing = account.add(
        "ProcessingJob", "dan-features", details={"RoleArn": studio.role("DanRole")}
    )
    ci_model = account.add("Model", "ci-model", details={"ExecutionRoleArn": studio.role("CiRole")})
    profile = account.add(
        "UserProfile",
        "alice",
        summary={"DomainId": studio.finance.domain_id, "UserProfileName": "alice"},
    )

    # WHEN a tag-mode sweep runs over those types
    result = world.service(types=("TrainingJob", "ProcessingJob", "Model", "UserProfile")).run(
        "cli"
    )

    # THEN each attributable resource carries its domain (and its profile when unique)
    assert account.tags_of(alice_job) == finance_alice(studio)
    assert account.tags_of(finance_job) == {DOMAIN_TAG: studio.finance.domain_arn}
    assert account.tags_of(dan_processing) == {
        DOMAIN_TAG: studio.sustainability.domain_arn,
        USER_PROFILE_TAG: studio.profile("dan").arn,
    }
    assert account.tags_of(profile) == finance_alice(studio)
    # AND the resource nothing ties to a domain is flagged, not tagged
    assert account.tags_of(ci_model) == {}
    report = json.loads(world.runs.reports[result.run.run_id]["json"])
    rows = {row["resourceArn"]: row for row in report["rows"]}
    assert rows[ci_model]["action"] == "flagged"
    assert rows[ci_model]["reason"] == "unattributable"
    assert rows[alice_job]["action"] == "tagged"
    assert rows[alice_job]["evidence"][0]["rule"] == "resource-role"


def test_an_existing_value_is_never_overwritten(world: SweepWorld, studio: Studio) -> None:
    # GIVEN a job of dan's role that carries finance's domain tag (the spoof)
    spoofed = training_job(
        world.account,
        "spoofed",
        studio.role("DanRole"),
        tags={DOMAIN_TAG: studio.finance.domain_arn},
    )

    # WHEN the sweep runs in tag mode
    result = world.service(types=("TrainingJob",)).run("cli")

    # THEN the tag is left as it is, no call tried to tag the resource, and it is a mismatch
    assert world.account.tags_of(spoofed) == {DOMAIN_TAG: studio.finance.domain_arn}
    assert spoofed not in world.account.tagged_arns()
    assert result.summary.findings[0].resource_arn == spoofed
    assert result.summary.findings[0].reason == "mismatch"


def test_only_missing_keys_are_sent_for_a_partly_tagged_resource(
    world: SweepWorld, studio: Studio
) -> None:
    # GIVEN a job of alice's role that carries the right domain but no profile tag
    job = training_job(
        world.account,
        "partly",
        studio.role("AliceRole"),
        tags={DOMAIN_TAG: studio.finance.domain_arn, "team": "quant"},
    )

    # WHEN the sweep runs
    world.service(types=("TrainingJob",)).run("cli")

    # THEN only the profile key was sent, and every other tag is untouched
    assert world.account.tag_calls == [((job,), {USER_PROFILE_TAG: studio.profile("alice").arn})]
    assert world.account.tags_of(job) == {**finance_alice(studio), "team": "quant"}


def test_tag_calls_hold_at_most_twenty_arns_that_need_the_same_tags(
    world: SweepWorld, studio: Studio
) -> None:
    # GIVEN 45 untagged jobs of alice's role and 5 of the finance default role, interleaved
    for index in range(50):
        role = "FinanceDefault" if index % 10 == 0 else "AliceRole"
        training_job(world.account, f"job-{index:02d}", studio.role(role))

    # WHEN the sweep tags them
    world.service(types=("TrainingJob",)).run("cli")

    # THEN 3 calls carry alice's tags and 1 carries finance's: never more than 20 ARNs,
    # and every ARN of a call needs exactly that call's tags
    calls = world.account.tag_calls
    assert sorted(len(arns) for arns, _ in calls) == [5, 5, 20, 20]
    for arns, tags in calls:
        assert all(world.account.tags_of(arn) == tags for arn in arns)
    assert sorted(world.account.tagged_arns()) == sorted(world.account.resources)


@pytest.mark.parametrize(
    ("mode", "dry_run"), [(EnforcementMode.AUDIT, False), (EnforcementMode.TAG, True)]
)
def test_audit_mode_and_dry_runs_change_nothing(
    world: SweepWorld, studio: Studio, mode: EnforcementMode, dry_run: bool
) -> None:
    # GIVEN an untagged job and an untagged processing job, both attributable
    job = training_job(world.account, "alice-job", studio.role("AliceRole"))
    processing = world.account.add(
        "ProcessingJob", "alice-features", details={"RoleArn": studio.role("AliceRole")}
    )

    # WHEN an audit-mode sweep, or a tag-mode dry run, runs
    result = world.service(mode=mode, dry_run=dry_run, types=("TrainingJob", "ProcessingJob")).run(
        "cli"
    )

    # THEN nothing was tagged, and the report says what the tag mode would do
    assert world.account.calls["TagResources"] == 0
    assert world.account.tags_of(job) == {}
    assert world.account.tags_of(processing) == {}
    assert result.summary.by_action[SweepAction.WOULD_TAG.value] == 2
    assert "to tag" in world.digest.published[0].subject


def test_list_types_describe_only_the_untagged_resources(world: SweepWorld, studio: Studio) -> None:
    # GIVEN 10 processing jobs of dan's role, 4 of them already tagged correctly
    dan_tags = {
        DOMAIN_TAG: studio.sustainability.domain_arn,
        USER_PROFILE_TAG: studio.profile("dan").arn,
    }
    for index in range(10):
        world.account.add(
            "ProcessingJob",
            f"pj-{index}",
            details={"RoleArn": studio.role("DanRole")},
            tags=dan_tags if index < 4 else None,
        )

    # WHEN the sweep runs
    world.service(types=("ProcessingJob",)).run("cli")

    # THEN one List page and one GetResources call found the 6 untagged, only they were
    # described, their tags were read once more just before the write (GetResources is
    # eventually consistent), and one TagResources call tagged them
    assert world.account.calls == {
        "ListProcessingJobs": 1,
        "GetResources": 2,
        "DescribeProcessingJob": 6,
        "TagResources": 1,
    }
    assert all(r.tags == dan_tags for r in world.account.resources.values())


def test_a_steady_state_sweep_only_reads_pages(world: SweepWorld, studio: Studio) -> None:
    # GIVEN 250 jobs and 150 processing jobs that a first sweep has tagged
    for index in range(250):
        training_job(world.account, f"job-{index}", studio.role("AliceRole"))
    for index in range(150):
        world.account.add(
            "ProcessingJob", f"pj-{index}", details={"RoleArn": studio.role("DanRole")}
        )
    world.service(types=("TrainingJob", "ProcessingJob")).run("first")
    world.account.calls.clear()

    # WHEN the daily sweep runs again
    result = world.service(types=("TrainingJob", "ProcessingJob")).run("second")

    # THEN it read 3 Search pages, 2 List pages and 2 GetResources answers, and nothing else
    assert world.account.calls == {"Search": 3, "ListProcessingJobs": 2, "GetResources": 2}
    assert sum(world.account.calls.values()) / 400 <= 0.05
    assert result.summary.by_action == {"none": 400}


def test_a_parent_tagged_earlier_in_the_run_gives_its_domain_to_its_children(
    world: SweepWorld, studio: Studio
) -> None:
    # GIVEN a model of alice's role, an endpoint config serving it and an endpoint on that
    # config, all untagged; neither child has a role of its own
    model = world.account.add(
        "Model", "churn", details={"ExecutionRoleArn": studio.role("AliceRole")}
    )
    config = world.account.add(
        "EndpointConfig",
        "churn-config",
        details={"ProductionVariants": [{"VariantName": "all", "ModelName": "churn"}]},
    )
    endpoint = world.account.add(
        "Endpoint", "churn-endpoint", details={"EndpointConfigName": "churn-config"}
    )

    # WHEN one sweep runs over the three types (listed children first on purpose)
    world.service(types=("Endpoint", "EndpointConfig", "Model")).run("cli")

    # THEN parents were swept first, and each child inherited the model's tags
    for arn in (model, config, endpoint):
        assert world.account.tags_of(arn) == finance_alice(studio)


def test_lineage_from_a_tagged_parent_needs_one_lookup_for_the_page(
    world: SweepWorld, studio: Studio
) -> None:
    # GIVEN an experiment tagged with finance (not swept in this run) and 3 untagged trials of it
    world.account.add("Experiment", "churn", tags={DOMAIN_TAG: studio.finance.domain_arn})
    trials = [
        world.account.add("Trial", f"churn-{i}", details={"ExperimentName": "churn"})
        for i in range(3)
    ]

    # WHEN only trials are swept
    world.service(types=("Trial",)).run("cli")

    # THEN one GetResources call learnt the experiment's tags, one re-read the trials' own
    # just before the write, and the trials inherited the experiment's
    assert world.account.calls["GetResources"] == 2
    for trial in trials:
        assert world.account.tags_of(trial) == {DOMAIN_TAG: studio.finance.domain_arn}


def test_failed_tagging_is_retried_for_retryable_failures_only(
    world: SweepWorld, studio: Studio
) -> None:
    # GIVEN three jobs: one whose first tagging fails transiently, one the service rejects,
    # and one deleted before it could be tagged
    flaky = training_job(world.account, "flaky", studio.role("AliceRole"))
    rejected = training_job(world.account, "rejected", studio.role("AliceRole"))
    deleted = training_job(world.account, "deleted", studio.role("AliceRole"))
    world.account.tag_failures = {
        flaky: [TagFailure("InternalServiceException", 500, "try again")],
        rejected: [TagFailure("InvalidParameterException", 400, "tag policy forbids it")],
        deleted: [TagFailure("InvalidParameterException", 400, "Resource does not exist")],
    }

    # WHEN the sweep runs
    result = world.service(types=("TrainingJob",)).run("cli")

    # THEN only the transient failure was retried (once, after a backoff) and then tagged
    assert world.account.tagged_arns().count(flaky) == 2
    assert world.account.tagged_arns().count(rejected) == 1
    assert world.account.tags_of(flaky) == finance_alice(studio)
    assert world.sleeps == [0.5]
    # AND the report says what became of each
    rows = {r.resource_arn: r for r in world.runs.rows(result.run.run_id, ["TrainingJob"])}
    assert rows[flaky].action is SweepAction.TAGGED
    assert rows[rejected].action is SweepAction.FAILED
    assert "tag policy" in rows[rejected].note
    assert rows[deleted].action is SweepAction.RESOURCE_GONE


def test_a_resource_deleted_before_its_describe_is_reported_gone(
    world: SweepWorld, studio: Studio
) -> None:
    # GIVEN a processing job that disappears between the List page and its Describe
    processing = world.account.add(
        "ProcessingJob", "short-lived", details={"RoleArn": studio.role("DanRole")}
    )
    world.account.gone_on_describe.add(processing)

    # WHEN the sweep runs
    result = world.service(types=("ProcessingJob",)).run("cli")

    # THEN it is reported gone and nothing tried to tag it
    row = next(iter(world.runs.rows(result.run.run_id, ["ProcessingJob"])))
    assert (row.resource_arn, row.action) == (processing, SweepAction.RESOURCE_GONE)
    assert world.account.calls["TagResources"] == 0


def test_verify_tagged_describes_tagged_list_resources_to_catch_a_spoof(
    world: SweepWorld, studio: Studio
) -> None:
    # GIVEN a processing job of dan's role that carries finance's domain tag
    spoofed = world.account.add(
        "ProcessingJob",
        "spoofed",
        details={"RoleArn": studio.role("DanRole")},
        tags={DOMAIN_TAG: studio.finance.domain_arn},
    )

    # WHEN a default sweep runs, then one that verifies tagged resources
    default = world.service(types=("ProcessingJob",)).run("first")
    verified = world.service(types=("ProcessingJob",), verify_tagged=True).run("second")

    # THEN the default sweep trusts an existing domain tag, the verifying one flags it
    assert default.summary.by_action == {"none": 1}
    assert verified.summary.findings[0].resource_arn == spoofed
    assert verified.summary.findings[0].reason == "mismatch"


def test_admin_rules_attribute_what_no_evidence_ties_to_a_domain(
    world: SweepWorld, studio: Studio
) -> None:
    # GIVEN a legacy model made with the CI role, and an admin rule for that role
    ci_model = world.account.add(
        "Model", "ci-model", details={"ExecutionRoleArn": studio.role("CiRole")}
    )
    rules = AdminRules.model_validate(
        {
            "version": 1,
            "rules": [
                {
                    "name": "ci-is-finance",
                    "roleArnPattern": studio.role("CiRole"),
                    "domainId": studio.finance.domain_id,
                }
            ],
        }
    )

    # WHEN the sweep runs with the same rules the enforce path uses
    world.service(types=("Model",), rules=rules).run("cli")

    # THEN the rule names the domain
    assert world.account.tags_of(ci_model) == {DOMAIN_TAG: studio.finance.domain_arn}
