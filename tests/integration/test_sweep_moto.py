"""The sweep on the emulated account: a few hundred resources, real boto3 clients, counted calls."""

from __future__ import annotations

import pytest

from tag_enforcer.core.resources import AccountScope
from tag_enforcer.core.settings import EnforcementMode
from tag_enforcer.sweep.report import SweepAction
from tag_enforcer.sweep.service import SweepResult
from tag_enforcer.sweep.settings import SweepOptions
from tag_enforcer.wiring.sweep import build_sweep_service
from tag_enforcer_cli.local_stores import InMemoryCheckpointStore, InMemoryRunStore
from tests.support.seeded_account import TYPES, Seeded

pytestmark = pytest.mark.integration

SWEPT_SERVICES = ("sagemaker", "tagging")


def sweep(seeded: Seeded, mode: EnforcementMode = EnforcementMode.TAG) -> SweepResult:
    account = seeded.account
    service = build_sweep_service(
        SweepOptions(mode=mode, type_names=TYPES, lag_window_seconds=0),
        AccountScope("aws", account.region, account.account_id),
        checkpoints=InMemoryCheckpointStore(),
        runs=InMemoryRunStore(),
        client_factory=account.client,
    )
    return service.run("integration-test")


def test_backfill_then_steady_state(seeded: Seeded) -> None:
    # GIVEN 270 legacy jobs and models, about 20% tagged correctly, 6 models with no evidence
    total = len(seeded.expected) + len(seeded.unattributable)
    untagged_listed = sum(
        1
        for arn in [*seeded.expected, *seeded.unattributable]
        if arn not in seeded.pre_tagged and ":training-job/" not in arn
    )
    seeded.counter.reset()

    # WHEN a tag-mode sweep runs
    backfill = sweep(seeded)
    backfill_calls = seeded.counter.by_operation(SWEPT_SERVICES)

    # THEN every attributable resource carries exactly the tags its role implies
    wrong = {
        arn: seeded.tags(arn) for arn, want in seeded.expected.items() if seeded.tags(arn) != want
    }
    assert not wrong
    # AND the resources nothing ties to a domain are untouched and reported as flagged
    assert all(seeded.tags(arn) == {} for arn in seeded.unattributable)
    flagged = {r.resource_arn for r in backfill.summary.findings}
    assert seeded.unattributable <= flagged
    # AND the report has a row for every resource swept (the domains and profiles too)
    studio_resources = 2 + 4  # two domains, four profiles
    assert backfill.summary.total == total + studio_resources
    assert backfill.summary.by_action[SweepAction.TAGGED.value] == (
        len(seeded.expected) - len(seeded.pre_tagged) + studio_resources
    )
    # AND Describe was called only for the untagged List resources, nothing else per resource
    describes = sum(n for op, n in backfill_calls.items() if op.startswith("Describe"))
    # DescribeDomain, DescribeUserProfile and DescribeSpace for the directory
    directory_reads = 2 + 4 + len(seeded.account.client("sagemaker").list_spaces()["Spaces"])
    assert describes == untagged_listed + directory_reads
    assert "ListTags" not in backfill_calls
    assert "AddTags" not in backfill_calls
    assert sum(backfill_calls.values()) / total < 0.7

    # WHEN the sweep runs again over the now-compliant account
    seeded.counter.reset()
    steady = sweep(seeded)
    steady_calls = seeded.counter.by_operation(SWEPT_SERVICES)

    # THEN it read one page per type (two for 120 jobs) and one GetResources per List
    # page, plus the directory; only the resources no evidence covers are described again
    assert steady.summary.by_action[SweepAction.TAGGED.value] == 0
    reads = {op: n for op, n in steady_calls.items() if not op.startswith("Describe")}
    assert reads == {
        "ListDomains": 2,  # the directory, then the Domain type
        "ListUserProfiles": 2,
        "ListSpaces": 1,
        "Search": 2 + 1 + 1,  # training jobs, experiments, trials
        "ListProcessingJobs": 1,
        "ListModels": 1,
        "ListEndpointConfigs": 1,
        "GetResources": 4,  # domains, profiles, processing jobs, models
    }
    describes = sum(n for op, n in steady_calls.items() if op.startswith("Describe"))
    assert describes == directory_reads + len(seeded.unattributable)
