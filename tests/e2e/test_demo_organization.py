"""`tag-enforcer demo --organization` shows a finding in each member and one organization digest."""

from __future__ import annotations

import pytest

from tag_enforcer_cli import cli

pytestmark = pytest.mark.e2e


def test_the_organization_demo_shows_a_finding_in_each_member_and_one_digest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["demo", "--organization"]) == 0
    out = capsys.readouterr().out
    findings = out[out.index("Findings on the central alert topic") :]
    findings = findings[: findings.index("The organization sweep")]
    for member in ("ml-research", "ml-platform"):
        assert member in findings
    assert findings.count("unattributable") == 2
    assert out.count("One organization digest") == 1
    assert "2 accounts" in out
    assert "1 digest on the alert topic" in out
