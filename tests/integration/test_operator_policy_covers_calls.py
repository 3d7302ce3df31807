"""`tag-enforcer operator-policy` allows every call the CLI makes, and the read-only one no write.

The CLI's sweep, explain and report run against the emulated account with the request
counter in front of it; every (service, operation) that reached the account must be an
action of the printed policy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tag_enforcer_cli import cli
from tag_enforcer_cli.operator_policy import WRITE_ACTIONS, operator_policy, policy_actions
from tag_enforcer_dev.emulator.account import EmulatedAccount, running_account
from tag_enforcer_dev.emulator.request_counter import RequestCounter, count_requests
from tag_enforcer_dev.emulator_session import seed_sample_world

pytestmark = pytest.mark.integration

# SigV4 signing names (the counter's service) -> IAM service prefixes (Service Authorization
# Reference): the Resource Groups Tagging API signs as "tagging" and is authorised as "tag".
IAM_PREFIX = {"sagemaker": "sagemaker", "tagging": "tag", "s3": "s3", "sts": "sts"}
# GetCallerIdentity needs no permission (STS API reference), so no policy grants it.
NEEDS_NO_PERMISSION = {"sts:GetCallerIdentity"}
BUCKET = "sweep-reports"


@pytest.fixture(scope="module")
def account() -> Iterator[tuple[EmulatedAccount, RequestCounter]]:
    with running_account() as emulated:
        seed_sample_world(emulated)
        yield emulated, count_requests(emulated)


def _operation(service: str, operation: str) -> str:
    # S3 is a REST API: the counter names its calls by method and path. A GET of
    # /bucket/key is GetObject (S3 API reference).
    method, _, path = operation.partition(" ")
    if service == "s3" and method == "GET" and path.strip("/").count("/") >= 1:
        return "GetObject"
    return operation


def _called(counter: RequestCounter) -> set[str]:
    return {
        f"{IAM_PREFIX.get(service, service)}:{_operation(service, op)}"
        for service, op in counter.counts
    }


def test_the_read_only_policy_allows_every_call_of_a_dry_run_explain_and_report(
    account: tuple[EmulatedAccount, RequestCounter],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    emulated, counter = account
    s3 = emulated.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    counter.reset()

    # WHEN an operator runs a dry-run sweep, explains what it found and reports from S3
    report = tmp_path / "report.json"
    assert (
        cli.main(
            [
                *("sweep", "--dry-run", "--verify-tagged", "--quiet", "--lag-window", "0"),
                *("--report", str(report)),
            ]
        )
        == 0
    )
    rows = json.loads(report.read_text())["rows"]
    one_per_type = {row["resourceType"]: row["resourceArn"] for row in rows}
    assert len(one_per_type) >= 8
    for arn in one_per_type.values():
        assert cli.main(["explain", arn, "--quiet"]) == 0
    calls_so_far = _called(counter)
    s3.put_object(Bucket=BUCKET, Key="reports/2026-12-01/run/report.json", Body=report.read_bytes())
    counter.reset()
    html = tmp_path / "report.html"
    source = f"s3://{BUCKET}/reports/2026-12-01/run/report.json"
    assert cli.main(["report", "--from", source, "--html", str(html), "--quiet"]) == 0
    called = calls_so_far | _called(counter)
    capsys.readouterr()

    # THEN the read-only policy allows each of those calls, and no write was made
    allowed = policy_actions(operator_policy("audit", report_bucket=BUCKET))
    assert "sagemaker:Search" in called  # the counter saw the sweep
    assert "s3:GetObject" in called
    assert sorted(called - allowed - NEEDS_NO_PERMISSION) == []
    assert not called & WRITE_ACTIONS


def test_the_tag_mode_policy_allows_the_writes_of_sweep_mode_tag(
    account: tuple[EmulatedAccount, RequestCounter], capsys: pytest.CaptureFixture[str]
) -> None:
    _, counter = account
    counter.reset()
    assert cli.main(["sweep", "--mode", "tag", "--quiet", "--lag-window", "0"]) == 0
    called = _called(counter)
    assert "tag:TagResources" in called
    allowed = policy_actions(operator_policy("tag"))
    assert sorted(called - allowed - NEEDS_NO_PERMISSION) == []


def test_the_read_only_policy_holds_no_write_action_and_fits_a_managed_policy() -> None:
    document = operator_policy("audit", account="111122223333", region="us-east-1")
    actions = policy_actions(document)
    assert not actions & WRITE_ACTIONS
    reads = ("List", "Describe", "Search", "Get")
    assert all(a.split(":", 1)[1].startswith(reads) for a in actions), sorted(actions)
    assert "*" not in "".join(actions)
    # A customer managed policy is at most 6,144 characters without whitespace (IAM quotas).
    for mode in ("audit", "tag"):
        compact = json.dumps(operator_policy(mode), separators=(",", ":"))
        assert len(compact) <= 6144, (mode, len(compact))
    assert policy_actions(operator_policy("tag")) >= WRITE_ACTIONS


def test_the_command_prints_the_policy(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["operator-policy", "--mode", "tag", "--account", "111122223333"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == operator_policy("tag", account="111122223333")
