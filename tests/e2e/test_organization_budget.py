"""The organization case of `make bench` as an API budget: 3 members x 2 regions.

At most 2 SageMaker calls per event with warm credentials, one AssumeRole per member
account while its credentials last, every resource tagged as expected, every account x
region swept. Calls are counted where the emulated accounts receive them; nothing is timed.
"""

from __future__ import annotations

import pytest

from tag_enforcer_dev import bench_organization
from tag_enforcer_dev.emulator.bulk_events import BLOCK

pytestmark = pytest.mark.e2e


def test_the_organization_enforce_path_and_sweep_stay_within_their_call_budgets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # One block of the usual mix (emulator/bulk_events.BLOCK) in each account x region.
    exit_code = bench_organization.run(events=len(BLOCK), legacy=2)
    out = capsys.readouterr().out
    assert "target missed" not in out
    assert "AssumeRole per member role  [1, 1, 1]" in out
    assert exit_code == 0
