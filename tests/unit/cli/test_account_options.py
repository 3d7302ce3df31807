"""--account, --organization and --member-role: parsed and checked before any AWS call."""

from __future__ import annotations

import pytest

from tag_enforcer.core.resources import AccountScope
from tag_enforcer_cli import cli
from tag_enforcer_cli.accounts import DEFAULT_MEMBER_ROLE, chosen_accounts, operator_accounts


@pytest.mark.parametrize(
    "command", [["sweep"], ["explain", "arn:aws:sagemaker:us-east-1:111122223333:model/m"]]
)
def test_account_and_organization_exclude_each_other(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main([*command, "--account", "111122223333", "--organization"])
    assert stopped.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["12345", "1111222233334", "abcdabcdabcd"])
def test_an_account_is_twelve_digits(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["sweep", "--account", bad])
    assert "12-digit" in capsys.readouterr().err


def test_a_member_role_is_an_iam_role_name(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["sweep", "--member-role", "no spaces/allowed"])
    assert "not an IAM role name" in capsys.readouterr().err


@pytest.mark.usefixtures("aws_credentials")
def test_accounts_repeat_in_order_once_each_and_enter_others_through_the_member_role() -> None:
    args = cli.build_parser().parse_args(
        [
            "sweep",
            "--account",
            "222233334444",
            "--account",
            "111122223333",
            "--account",
            "222233334444",
        ]
    )

    class NoSts:
        def __getattr__(self, name: str) -> object:
            raise AssertionError("no call is made while choosing accounts")

    accounts = operator_accounts(args, AccountScope("aws-cn", "cn-north-1", "111122223333"))
    accounts.roles._sts = NoSts()
    assert chosen_accounts(args, accounts) == ["222233334444", "111122223333"]
    assert accounts.member_role_arn("222233334444") == (
        f"arn:aws-cn:iam::222233334444:role/{DEFAULT_MEMBER_ROLE}"
    )
    # The operator's own account needs no role: check makes no call.
    accounts.check("111122223333")
