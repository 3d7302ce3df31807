"""`explain` and the sweep give the same decision for the same account state.

Both judge a resource from its own side with the same rules; the sweep reads Search
records and List pages (here with --verify-tagged, so it describes what it lists),
explain reads Describe. One seeded world, both ways, every resource compared.
"""

from __future__ import annotations

import pytest

from tag_enforcer.core.arns import Arn
from tag_enforcer.core.resources import AccountScope
from tag_enforcer.core.settings import EnforcementMode
from tag_enforcer.sweep.settings import SweepOptions
from tag_enforcer.wiring.inspection import build_resource_inspector
from tag_enforcer.wiring.sweep import build_sweep_service
from tag_enforcer_cli.local_stores import InMemoryCheckpointStore, InMemoryRunStore
from tests.support.seeded_account import TYPES, Seeded

pytestmark = pytest.mark.integration


def test_explain_and_a_verifying_dry_run_sweep_decide_every_resource_alike(
    seeded: Seeded,
) -> None:
    # GIVEN a dry-run sweep that also describes tagged resources
    account = seeded.account
    runs = InMemoryRunStore()
    service = build_sweep_service(
        SweepOptions(
            mode=EnforcementMode.TAG,
            dry_run=True,
            type_names=TYPES,
            verify_tagged=True,
            # The seeded resources are seconds old; the lag window is tested on its own.
            lag_window_seconds=0,
        ),
        AccountScope("aws", account.region, account.account_id),
        checkpoints=InMemoryCheckpointStore(),
        runs=runs,
        client_factory=account.client,
    )
    result = service.run("agreement")
    rows = list(runs.rows(result.run.run_id, list(TYPES)))
    assert len(rows) > 200

    # WHEN every swept resource is explained (one inspector: one account and region)
    inspector = build_resource_inspector(Arn.parse(rows[0].resource_arn), account.client)
    disagreements = []
    for row in rows:
        decision = inspector.inspect(row.resource_arn).decision
        explained = (
            decision.outcome.value if decision.verified else "trusted-unverified",
            decision.reason.value if decision.reason else "",
            dict(decision.missing_tags),
        )
        swept = (row.outcome, row.reason, dict(row.tags))
        if explained != swept:
            disagreements.append((row.resource_arn, swept, explained))

    # THEN there is not one resource on which they differ
    assert disagreements == []
