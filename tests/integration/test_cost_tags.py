"""Cost allocation status and activation of the enforced tag keys, through the Cost Explorer API.

moto 5.2.5 does not implement ListCostAllocationTags or UpdateCostAllocationTagsStatus
(its `ce` backend has cost categories, resource tags and GetCostAndUsage only), so
these tests use botocore's Stubber on a real boto3 client. Stubber checks every
request and response against botocore's `ce` service model, so the shapes here are
the API's own.
"""

from __future__ import annotations

import doctest
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tag_enforcer.core.tags import DOMAIN_TAG, ENFORCED_TAG_KEYS, SPACE_TAG, USER_PROFILE_TAG
from tag_enforcer_cli import cli, cost_tags
from tag_enforcer_cli.commands import cost_tags as command
from tag_enforcer_cli.cost_tags import (
    CostAllocationTagsError,
    CostAllocationTagState,
    NotManagementAccountError,
    activate_cost_allocation_tags,
    cost_allocation_tag_status,
)

pytestmark = pytest.mark.integration

LIST_REQUEST = {"TagKeys": list(ENFORCED_TAG_KEYS)}
# Cost Explorer's answer to a member account (hashicorp/terraform-provider-aws#37636).
LINKED_ACCOUNT_MESSAGE = (
    "Failed to list Cost Allocation Tags: Linked account doesn't have access to cost "
    "allocation tags."
)


def tag(key: str, status: str, last_used: str | None = "2026-11-01T00:00:00Z") -> dict[str, Any]:
    entry: dict[str, Any] = {"TagKey": key, "Type": "UserDefined", "Status": status}
    if last_used:
        entry["LastUsedDate"] = last_used
    return entry


@pytest.fixture
def ce_client() -> Any:
    return boto3.client(
        "ce",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def stub(ce_client: Any) -> Iterator[Stubber]:
    with Stubber(ce_client) as stubber:
        yield stubber
        # Every queued response was consumed: no call was skipped.
        stubber.assert_no_pending_responses()


@pytest.fixture
def cli_on_stub(ce_client: Any, stub: Stubber, monkeypatch: pytest.MonkeyPatch) -> Stubber:
    monkeypatch.setattr(command, "_cost_explorer_client", lambda: ce_client)
    # Other subcommands' modules are not this test's concern.
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("tag_enforcer_cli.commands.cost_tags",))
    # A wide console keeps each table row on one line for the assertions.
    monkeypatch.setenv("COLUMNS", "200")
    return stub


def test_status_reports_each_key_and_unseen_ones(ce_client: Any, stub: Stubber) -> None:
    # GIVEN Cost Explorer knows the domain key (active) and the profile key (inactive)
    stub.add_response(
        "list_cost_allocation_tags",
        {"CostAllocationTags": [tag(USER_PROFILE_TAG, "Inactive"), tag(DOMAIN_TAG, "Active")]},
        LIST_REQUEST,
    )
    # WHEN the status of the enforced keys is asked for
    statuses = cost_allocation_tag_status(ce_client)
    # THEN each key is reported in order, the space key as not yet seen
    assert [(s.tag_key, s.state) for s in statuses] == [
        (DOMAIN_TAG, CostAllocationTagState.ACTIVE),
        (USER_PROFILE_TAG, CostAllocationTagState.INACTIVE),
        (SPACE_TAG, CostAllocationTagState.NOT_YET_SEEN),
    ]
    assert statuses[0].tag_type == "UserDefined"
    assert statuses[0].last_used == "2026-11-01T00:00:00Z"


def test_status_follows_next_token(ce_client: Any, stub: Stubber) -> None:
    # GIVEN Cost Explorer answers in two pages
    stub.add_response(
        "list_cost_allocation_tags",
        {"CostAllocationTags": [tag(DOMAIN_TAG, "Active")], "NextToken": "page-2"},
        LIST_REQUEST,
    )
    stub.add_response(
        "list_cost_allocation_tags",
        {"CostAllocationTags": [tag(SPACE_TAG, "Inactive")]},
        {**LIST_REQUEST, "NextToken": "page-2"},
    )
    # WHEN the status is asked for
    states = [s.state for s in cost_allocation_tag_status(ce_client)]
    # THEN both pages count
    assert states == [
        CostAllocationTagState.ACTIVE,
        CostAllocationTagState.NOT_YET_SEEN,
        CostAllocationTagState.INACTIVE,
    ]


def test_activation_touches_only_inactive_keys(ce_client: Any, stub: Stubber) -> None:
    # GIVEN one active, one inactive and one unseen key
    stub.add_response(
        "list_cost_allocation_tags",
        {"CostAllocationTags": [tag(DOMAIN_TAG, "Active"), tag(USER_PROFILE_TAG, "Inactive")]},
        LIST_REQUEST,
    )
    stub.add_response(
        "update_cost_allocation_tags_status",
        {"Errors": []},
        {"CostAllocationTagsStatus": [{"TagKey": USER_PROFILE_TAG, "Status": "Active"}]},
    )
    # WHEN the keys are activated
    activation = activate_cost_allocation_tags(ce_client)
    # THEN only the inactive key was sent, and the others are reported as they are
    assert activation.activated == (USER_PROFILE_TAG,)
    assert activation.already_active == (DOMAIN_TAG,)
    assert activation.not_yet_seen == (SPACE_TAG,)
    assert activation.failed == {}


def test_activation_with_nothing_inactive_makes_no_update(ce_client: Any, stub: Stubber) -> None:
    # GIVEN every key known is already active
    stub.add_response(
        "list_cost_allocation_tags",
        {"CostAllocationTags": [tag(DOMAIN_TAG, "Active"), tag(USER_PROFILE_TAG, "Active")]},
        LIST_REQUEST,
    )
    # WHEN the keys are activated
    activation = activate_cost_allocation_tags(ce_client)
    # THEN no update call is made (the Stubber would reject an unqueued call)
    assert activation.activated == ()
    assert activation.not_yet_seen == (SPACE_TAG,)


def test_per_key_errors_are_reported(ce_client: Any, stub: Stubber) -> None:
    # GIVEN Cost Explorer refuses one key of the batch
    stub.add_response(
        "list_cost_allocation_tags",
        {"CostAllocationTags": [tag(DOMAIN_TAG, "Inactive"), tag(SPACE_TAG, "Inactive")]},
        LIST_REQUEST,
    )
    stub.add_response(
        "update_cost_allocation_tags_status",
        {"Errors": [{"TagKey": SPACE_TAG, "Code": "TagKeysNotFound", "Message": "not found"}]},
        {
            "CostAllocationTagsStatus": [
                {"TagKey": DOMAIN_TAG, "Status": "Active"},
                {"TagKey": SPACE_TAG, "Status": "Active"},
            ]
        },
    )
    # WHEN the keys are activated
    activation = activate_cost_allocation_tags(ce_client)
    # THEN the refused key is named with Cost Explorer's reason
    assert activation.activated == (DOMAIN_TAG,)
    assert activation.failed == {SPACE_TAG: "TagKeysNotFound: not found"}


def test_member_account_gets_a_payer_account_message(ce_client: Any, stub: Stubber) -> None:
    # GIVEN the caller is a member (linked) account
    stub.add_client_error(
        "list_cost_allocation_tags",
        service_error_code="AccessDeniedException",
        service_message=LINKED_ACCOUNT_MESSAGE,
        http_status_code=400,
    )
    # WHEN the status is asked for
    # THEN the error says to use the management (payer) account
    with pytest.raises(NotManagementAccountError, match=r"management \(payer\) account"):
        cost_allocation_tag_status(ce_client)


def test_throttling_says_to_retry(ce_client: Any, stub: Stubber) -> None:
    # GIVEN Cost Explorer throttles the call
    stub.add_client_error(
        "list_cost_allocation_tags",
        service_error_code="LimitExceededException",
        service_message="Rate exceeded",
        http_status_code=400,
    )
    # WHEN the status is asked for
    # THEN the error says to try again later
    with pytest.raises(CostAllocationTagsError, match="run it again"):
        cost_allocation_tag_status(ce_client)


def test_cli_prints_a_table_and_the_payer_account_note(
    cli_on_stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN Cost Explorer knows only the domain key
    cli_on_stub.add_response(
        "list_cost_allocation_tags",
        {"CostAllocationTags": [tag(DOMAIN_TAG, "Inactive")]},
        LIST_REQUEST,
    )
    # WHEN `tag-enforcer cost-tags` runs
    exit_code = cli.main(["cost-tags"])
    # THEN every key is listed with its status, and where to run the command
    out = capsys.readouterr().out
    assert exit_code == 0
    assert all(key in out for key in ENFORCED_TAG_KEYS)
    assert "run with --activate" in out
    assert "not yet seen" in out
    assert "management (payer) account" in out


def test_cli_activate_shows_activating_keys(
    cli_on_stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN the domain key is inactive
    cli_on_stub.add_response(
        "list_cost_allocation_tags",
        {"CostAllocationTags": [tag(DOMAIN_TAG, "Inactive")]},
        LIST_REQUEST,
    )
    cli_on_stub.add_response(
        "update_cost_allocation_tags_status",
        {"Errors": []},
        {"CostAllocationTagsStatus": [{"TagKey": DOMAIN_TAG, "Status": "Active"}]},
    )
    # WHEN `tag-enforcer cost-tags --activate` runs
    exit_code = cli.main(["cost-tags", "--activate"])
    # THEN the key is shown as activating
    out = capsys.readouterr().out
    assert exit_code == 0
    assert "Activating" in out


def test_cli_in_a_member_account_exits_2(
    cli_on_stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN the caller is a member account
    cli_on_stub.add_client_error(
        "list_cost_allocation_tags",
        service_error_code="AccessDeniedException",
        service_message=LINKED_ACCOUNT_MESSAGE,
        http_status_code=400,
    )
    # WHEN `tag-enforcer cost-tags` runs
    exit_code = cli.main(["cost-tags"])
    # THEN it exits 2 and stderr says where to run it
    err = capsys.readouterr().err
    assert exit_code == 2
    assert "management (payer) account" in err


def test_cli_activate_with_a_refused_key_exits_1(
    cli_on_stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN Cost Explorer refuses to activate the domain key
    cli_on_stub.add_response(
        "list_cost_allocation_tags",
        {"CostAllocationTags": [tag(DOMAIN_TAG, "Inactive")]},
        LIST_REQUEST,
    )
    cli_on_stub.add_response(
        "update_cost_allocation_tags_status",
        {"Errors": [{"TagKey": DOMAIN_TAG, "Code": "Invalid", "Message": "cannot activate"}]},
        {"CostAllocationTagsStatus": [{"TagKey": DOMAIN_TAG, "Status": "Active"}]},
    )
    # WHEN `tag-enforcer cost-tags --activate` runs
    exit_code = cli.main(["cost-tags", "--activate"])
    # THEN it exits 1 and stderr names the key and the reason
    err = capsys.readouterr().err
    assert exit_code == 1
    assert f"could not activate {DOMAIN_TAG}: Invalid: cannot activate" in err


def test_docstring_example_runs() -> None:
    # GIVEN the cost_tags module's docstring example
    # WHEN doctest runs it
    result = doctest.testmod(cost_tags)
    # THEN it passes
    assert result.failed == 0
    assert result.attempted > 0
