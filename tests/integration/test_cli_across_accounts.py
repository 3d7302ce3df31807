"""`tag-enforcer sweep` and `explain` across accounts, on an emulated Organization.

The operator runs as a role of the central account that each member stack names in
OperatorRoleArns; other accounts are entered through the member role, with the same
adapter as the functions. One member's stack does not name the operator: its sweep
fails, alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from moto.sts.models import sts_backends

from tag_enforcer.core.tags import DOMAIN_TAG, ENFORCED_TAG_KEYS
from tag_enforcer_cli import cli
from tag_enforcer_dev.emulator.account import (
    EmulatedAccount,
    environment_variables,
    running_account,
)
from tag_enforcer_dev.emulator.organization import EmulatedOrganization
from tag_enforcer_dev.scenario import BlogScenario, _training_job, set_up_domains

OPERATOR_ROLE = "PlatformOperator"
NAMED = ("ml-research", "ml-platform")
UNNAMED = "ml-sandbox"


@dataclass
class World:
    central: EmulatedAccount
    organization: EmulatedOrganization
    operator: dict[str, str]
    jobs: dict[str, str] = field(default_factory=dict)  # member name -> untagged job ARN
    scenarios: dict[str, BlogScenario] = field(default_factory=dict)

    def account(self, name: str) -> str:
        return self.organization.member(name).account_id

    def tags(self, name: str, arn: str) -> dict[str, str]:
        listed = self.organization.member(name).view.client("sagemaker").list_tags(ResourceArn=arn)
        return {t["Key"]: t["Value"] for t in listed["Tags"] if t["Key"] in ENFORCED_TAG_KEYS}


def _operator_credentials(central: EmulatedAccount) -> tuple[str, dict[str, str]]:
    """A role of the central account and a session of it, as an operator's SSO gives one."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{central.account_id}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role_arn = central.client("iam").create_role(
        RoleName=OPERATOR_ROLE, AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]
    session = sts_backends[central.account_id]["aws"].assume_role(
        region_name=central.region,
        role_session_name="alice",
        role_arn=role_arn,
        policy="",
        duration=3600,
        external_id="",
    )
    return role_arn, {
        "AWS_ACCESS_KEY_ID": session.access_key_id,
        "AWS_SECRET_ACCESS_KEY": session.secret_access_key,
        "AWS_SESSION_TOKEN": session.session_token,
    }


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with running_account() as central:
        organization = EmulatedOrganization.create(central, (*NAMED, UNNAMED))
        stack = organization.deploy_central()
        operator_arn, operator = _operator_credentials(central)
        made = World(central, organization, operator)
        for member in organization.members:
            overrides = {"OperatorRoleArns": operator_arn} if member.name != UNNAMED else {}
            organization.deploy_member(member.view, stack, **overrides)
            scenario = made.scenarios[member.name] = set_up_domains(member.view)
            # Made by bob's role from a laptop, and no event ever told the enforcer.
            made.jobs[member.name] = member.view.client("sagemaker").create_training_job(
                **_training_job(f"laptop-{member.name}", scenario.roles["FinanceQuantAnalystRole"])
            )["TrainingJobArn"]
        yield made


def _as_operator(world: World, argv: list[str]) -> int:
    with environment_variables(world.operator):
        return cli.main(argv)


def test_sweep_of_listed_accounts_tags_each_through_its_member_role(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN two members whose stacks name the operator, and one whose stack does not
    accounts = [world.account(n) for n in (*NAMED, UNNAMED)]
    report = tmp_path / "accounts.json"
    # WHEN the operator sweeps the three in tag mode
    argv = ["sweep", "--mode", "tag", "--types", "TrainingJob", "--lag-window", "0"]
    argv += ["--report", str(report)]
    for account in accounts:
        argv += ["--account", account]
    exit_code = _as_operator(world, [*argv, "--member-role", "SageMakerTagEnforcerMember"])
    # THEN the two are swept and tagged, the third fails alone, and the exit code says so
    assert exit_code == 1
    for name in NAMED:
        scenario = world.scenarios[name]
        assert world.tags(name, world.jobs[name])[DOMAIN_TAG] == scenario.finance.domain_arn
    assert world.tags(UNNAMED, world.jobs[UNNAMED]) == {}
    sections = {s["account"]: s for s in json.loads(report.read_text())["accounts"]}
    assert [sections[a]["status"] for a in accounts] == ["finished", "finished", "failed"]
    assert "AccessDenied" in sections[world.account(UNNAMED)]["error"]
    assert f"account {world.account(UNNAMED)}" in capsys.readouterr().err


def test_sweep_of_the_organization_covers_every_active_account(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "organization.json"
    exit_code = _as_operator(
        world,
        ["sweep", "--organization", "--types", "TrainingJob", "--dry-run", "--report", str(report)],
    )
    assert exit_code == 1  # the member that does not name the operator
    sections = json.loads(report.read_text())["accounts"]
    # The management (central) account too, with the operator's own credentials.
    assert {s["account"] for s in sections} == {
        world.central.account_id,
        *(m.account_id for m in world.organization.members),
    }
    names = {s["account"]: s["accountName"] for s in sections}
    assert names[world.account("ml-research")] == "ml-research"
    assert "ml-platform" in capsys.readouterr().out


def test_explain_reads_a_member_resource_through_its_member_role(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    arn = world.jobs["ml-platform"]
    exit_code = _as_operator(world, ["explain", arn, "--member-role", "SageMakerTagEnforcerMember"])
    assert exit_code == 0
    out = capsys.readouterr().out
    assert "decision" in out
    assert world.scenarios["ml-platform"].finance.domain_id in out


def test_explain_refuses_an_arn_outside_the_accounts_asked_for(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    arn = world.jobs["ml-platform"]
    exit_code = _as_operator(world, ["explain", arn, "--account", world.account("ml-research")])
    assert exit_code == 2
    assert "not among the accounts asked for" in capsys.readouterr().err


def test_explain_in_a_member_that_does_not_trust_the_operator_says_what_to_do(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code = _as_operator(
        world, ["explain", world.jobs[UNNAMED], "--member-role", "SageMakerTagEnforcerMember"]
    )
    assert exit_code == 2
    err = capsys.readouterr().err
    assert "cannot assume" in err
    assert "deploy the member template" in err


def test_a_sweep_across_accounts_prints_json_and_its_report_makes_one_html_page(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a dry-run sweep of the two members that name the operator, as JSON
    report, page = tmp_path / "accounts.json", tmp_path / "accounts.html"
    argv = ["sweep", "--dry-run", "--types", "TrainingJob", "--lag-window", "0"]
    argv += ["--output", "json", "--report", str(report)]
    for name in NAMED:
        argv += ["--account", world.account(name)]
    assert _as_operator(world, argv) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [a["status"] for a in printed["accounts"]] == ["finished", "finished"]
    assert all(a["summary"]["total"] >= 1 for a in printed["accounts"])

    # WHEN the report across accounts is turned into the visual report
    argv = ["report", "--from", str(report), "--organization", "--html", str(page)]
    assert _as_operator(world, [*argv, "--output", "json"]) == 0

    # THEN the page covers both members' domains and every job the sweeps judged
    summary = json.loads(capsys.readouterr().out)
    domains = {world.scenarios[name].finance.domain_arn for name in NAMED}
    assert domains <= set(summary["byDomain"])
    judged = sum(a["summary"]["total"] for a in printed["accounts"])
    assert sum(summary["totals"].values()) == judged


def test_the_visual_report_of_several_accounts_is_refused_before_anything_runs(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "accounts.html"
    argv = ["sweep", "--account", world.account(NAMED[0]), "--report", str(page)]
    assert _as_operator(world, argv) == 2
    assert "the visual report covers one account" in capsys.readouterr().err
    assert not page.exists()
