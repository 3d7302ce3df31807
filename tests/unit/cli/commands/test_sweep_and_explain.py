"""`tag-enforcer sweep` and `explain`: exit codes, one-line errors, the report file."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

from tag_enforcer.core.errors import AccessDeniedError
from tag_enforcer_cli import cli
from tag_enforcer_cli.commands import explain as explain_command
from tag_enforcer_cli.commands import sweep as sweep_command
from tests.support.studio import Studio
from tests.support.sweep import SCOPE, SweepWorld, new_world


@pytest.fixture(autouse=True)
def only_these_subcommands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        cli,
        "COMMAND_MODULES",
        ("tag_enforcer_cli.commands.sweep", "tag_enforcer_cli.commands.explain"),
    )
    monkeypatch.setenv("AWS_REGION", "us-east-1")


@pytest.fixture
def world(studio: Studio, monkeypatch: pytest.MonkeyPatch) -> SweepWorld:
    world = new_world(studio)
    world.account.add("TrainingJob", "legacy", details={"RoleArn": studio.role("AliceRole")})
    world.account.add("Model", "orphan", details={"ExecutionRoleArn": studio.role("CiRole")})
    monkeypatch.setattr(sweep_command, "scope_from_sts", lambda region: SCOPE)
    world.serve_the_cli(monkeypatch)
    return world


def test_a_completed_sweep_exits_0_with_findings_and_writes_the_csv_report(
    world: SweepWorld, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN an account with one attributable job and one orphan model
    report = tmp_path / "sweep.csv"

    # WHEN the operator sweeps in tag mode with a report
    code = cli.main(
        ["sweep", "--mode", "tag", "--types", "TrainingJob,Model", "--report", str(report)]
    )

    # THEN it exits 0 despite the finding, shows the summary, and writes every row
    assert code == 0
    out = capsys.readouterr().out
    assert "TrainingJob" in out
    assert "all types" in out
    rows = list(csv.DictReader(report.open()))
    assert {r["action"] for r in rows} == {"tagged", "flagged"}


def test_the_json_report_and_a_dry_run(world: SweepWorld, tmp_path: Path) -> None:
    report = tmp_path / "sweep.json"
    code = cli.main(
        ["sweep", "--mode", "tag", "--dry-run", "--types", "TrainingJob", "--report", str(report)]
    )
    assert code == 0
    assert [r["action"] for r in json.loads(report.read_text())["rows"]] == ["would-tag"]
    assert world.account.calls["TagResources"] == 0


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (NoCredentialsError(), "no usable AWS credentials"),
        (EndpointConnectionError(endpoint_url="http://127.0.0.1:9"), "could not reach"),
        (
            ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "GetCallerIdentity"),
            "GetCallerIdentity was denied",
        ),
        (
            ClientError({"Error": {"Code": "ExpiredToken", "Message": "old"}}, "GetCallerIdentity"),
            "credentials were rejected",
        ),
    ],
)
def test_credential_permission_and_endpoint_errors_exit_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: Exception,
    words: str,
) -> None:
    # GIVEN a caller identity look-up that fails
    def fail(region: str) -> Any:
        raise error

    monkeypatch.setattr(sweep_command, "scope_from_sts", fail)

    # WHEN the operator sweeps
    code = cli.main(["sweep"])

    # THEN the command refuses with one line that says what to do
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("tag-enforcer sweep: ")
    assert words in err


def test_a_permission_denied_mid_sweep_stops_it(
    world: SweepWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    world.account.faults["ListModels"] = [AccessDeniedError("ListModels was denied (AccessDenied)")]
    code = cli.main(["sweep", "--types", "TrainingJob,Model"])
    assert code == 2
    assert "ListModels was denied" in capsys.readouterr().err


def test_a_type_that_keeps_failing_is_reported_incomplete(
    world: SweepWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    from tag_enforcer.core.errors import TransientAwsError

    world.account.faults["ListModels"] = [TransientAwsError("ListModels failed with 500")]
    code = cli.main(["sweep", "--types", "TrainingJob,Model"])
    assert code == 1
    assert (
        "Model not swept: TransientAwsError: ListModels failed with 500" in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["sweep", "--report", "out.txt"], "must end in .csv or .json"),
        (["sweep", "--types", "TrainingJobs"], "unknown resource type(s) TrainingJobs"),
        (["explain", "not-an-arn"], "is not an ARN"),
        (["explain", "arn:aws:s3:::bucket"], "not a SageMaker ARN"),
        (["explain", "arn:aws:sagemaker:us-east-1:111122223333:device/fleet/x"], "not enforced"),
    ],
)
def test_bad_input_exits_2(argv: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2
    assert words in capsys.readouterr().err


def test_explain_refuses_cleanly_without_credentials(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(arn: str) -> Any:
        raise NoCredentialsError()

    monkeypatch.setattr(explain_command, "explain_resource", fail)
    assert cli.main(["explain", "arn:aws:sagemaker:us-east-1:111122223333:model/m"]) == 2
    assert "no usable AWS credentials" in capsys.readouterr().err
