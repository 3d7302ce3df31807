"""The sweep under throttling: 30% of Search, GetResources, TagResources and List calls refused.

Figure proved: 270 legacy resources (about 20% already tagged, 6 with no evidence),
30% of the sweep's enumeration and tagging calls throttled: every attributable
resource ends tagged with its domain, every unattributable one is flagged, none lost.
"""

from __future__ import annotations

import pytest

from tag_enforcer.aws import clients as aws_clients
from tag_enforcer.core.resources import AccountScope
from tag_enforcer.core.settings import EnforcementMode
from tag_enforcer.sweep.service import SweepResult
from tag_enforcer.sweep.settings import SweepOptions
from tag_enforcer.wiring.sweep import build_sweep_service
from tag_enforcer_cli.local_stores import InMemoryCheckpointStore, InMemoryRunStore
from tag_enforcer_dev.emulator.faults import throttling, without_retry_sleeps
from tests.support.seeded_account import TYPES, Seeded

pytestmark = pytest.mark.integration

THROTTLED_SHARE = 0.3
THROTTLED = (("sagemaker", "Search"), ("tagging", "GetResources"), ("tagging", "TagResources"))


def sweep_with_product_clients(seeded: Seeded) -> SweepResult:
    """The sweep with the clients the function builds: botocore adaptive retries, 10 attempts."""
    aws_clients.client.cache_clear()  # the environment points boto3 at the emulated account
    account = seeded.account
    service = build_sweep_service(
        SweepOptions(mode=EnforcementMode.TAG, type_names=TYPES, lag_window_seconds=0),
        AccountScope("aws", account.region, account.account_id),
        checkpoints=InMemoryCheckpointStore(),
        runs=InMemoryRunStore(),
        client_factory=aws_clients.client,
    )
    return service.run("throttled-sweep")


def test_sweep_with_30_percent_throttling_tags_everything_and_loses_nothing(
    seeded: Seeded,
) -> None:
    # GIVEN the sweep's enumeration and tagging calls are throttled 30% of the time
    faults = [
        *throttling("sagemaker", "Search", "ListModels", "ListProcessingJobs", share=0.3),
        *throttling("tagging", "GetResources", "TagResources", share=THROTTLED_SHARE),
    ]
    total = len(seeded.expected) + len(seeded.unattributable)

    # WHEN a tag-mode sweep runs through them (botocore's retries, without their sleeps)
    with (
        without_retry_sleeps() as retries,
        # Seed 3 throttles each operation at least once, even the four Search pages.
        seeded.account.faults.injecting(faults, seed=3) as injector,
    ):
        result = sweep_with_product_clients(seeded)

    # THEN the faults really happened on every throttled operation (a handful of Search
    # pages, dozens of GetResources and TagResources calls), and botocore retried them all
    for operation in THROTTLED:
        assert injector.injected[operation] >= 1, (operation, injector.matched[operation])
    share = injector.total_injected() / injector.total_matched()
    assert 0.15 < share < 0.45, share
    assert retries.retries >= injector.total_injected()
    # AND every attributable resource carries exactly the tags its evidence supports
    wrong = {
        arn: tags for arn, want in seeded.expected.items() if (tags := seeded.tags(arn)) != want
    }
    assert wrong == {}
    # AND every resource was swept once: none skipped, the unattributable ones flagged
    assert result.summary.total == total + 2 + 4  # plus two domains and four profiles
    flagged = {finding.resource_arn for finding in result.summary.findings}
    assert seeded.unattributable <= flagged
    assert all(seeded.tags(arn) == {} for arn in seeded.unattributable)
