"""Organization mode in template.yaml: off by default, and when on, each grant scoped to the
Organization, the central bus open to its members only, one account never stopping the sweep."""

from __future__ import annotations

from typing import Any

import pytest

from tag_enforcer_dev.member_template import central_rules
from tag_enforcer_dev.scan_inputs import state_machine_definition
from tag_enforcer_dev.template_file import load_template
from tag_enforcer_dev.template_policies import render
from tag_enforcer_dev.translated_template import translated_template

TEMPLATE = load_template()
TRANSLATED = translated_template()
ORGANIZATION_CONDITIONS = {"IsOrganization", "ReadsTheOrganization"}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _policy(logical_id: str) -> list[dict[str, Any]]:
    document = TRANSLATED["Resources"][logical_id]["Properties"]["PolicyDocument"]
    return _as_list(document["Statement"])


def _states(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for name, state in definition["States"].items():
        found[name] = state
        for key in ("ItemProcessor", "Iterator"):
            if key in state:
                found.update(_states(state[key]))
    return found


def test_the_default_is_one_account_with_organization_mode_off() -> None:
    parameters = TEMPLATE["Parameters"]
    assert parameters["OrganizationId"]["Default"] == ""
    assert TEMPLATE["Conditions"]["IsOrganization"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "OrganizationId"}, ""]}]
    }
    # The single-account state machine is the one deployed by default.
    assert TRANSLATED["Resources"]["SweepStateMachine"]["Condition"] == "IsSingleAccount"


def test_every_organization_resource_exists_in_organization_mode_only() -> None:
    organization = [
        logical_id
        for logical_id in TRANSLATED["Resources"]
        if logical_id.startswith(("Organization", "Central"))
    ]
    assert organization
    for logical_id in organization:
        assert TRANSLATED["Resources"][logical_id].get("Condition") in ORGANIZATION_CONDITIONS, (
            logical_id
        )


@pytest.mark.parametrize("rule", sorted(central_rules(TEMPLATE)))
def test_the_rules_watch_the_central_bus_in_organization_mode_and_the_default_bus_otherwise(
    rule: str,
) -> None:
    assert TEMPLATE["Resources"][rule]["Properties"]["EventBusName"] == {
        "Fn::If": ["IsOrganization", {"Ref": "CentralEventBus"}, {"Ref": "AWS::NoValue"}]
    }


def test_the_central_bus_accepts_events_from_the_organization_only() -> None:
    statement = TRANSLATED["Resources"]["CentralEventBusPolicy"]["Properties"]["Statement"]
    assert statement["Action"] == "events:PutEvents"
    assert statement["Principal"] == "*"
    assert statement["Resource"] == {"Fn::GetAtt": ["CentralEventBus", "Arn"]}
    assert statement["Condition"] == {
        "StringEquals": {"aws:PrincipalOrgID": {"Ref": "OrganizationId"}}
    }


def test_the_functions_may_assume_the_member_role_only_in_the_organizations_accounts() -> None:
    properties = TRANSLATED["Resources"]["OrganizationMemberRolesPolicy"]["Properties"]
    assert properties["Roles"] == [{"Ref": "EnforceFunctionRole"}, {"Ref": "SweepFunctionRole"}]
    [statement] = _policy("OrganizationMemberRolesPolicy")
    assert statement["Action"] == "sts:AssumeRole"
    assert render(statement["Resource"], TRANSLATED) == [
        "arn:aws:iam::*:role/SageMakerTagEnforcerMember"
    ]
    assert statement["Condition"] == {
        "StringEquals": {"aws:ResourceOrgID": {"Ref": "OrganizationId"}}
    }


def test_the_read_role_is_granted_only_when_one_is_named() -> None:
    assert TRANSLATED["Resources"]["OrganizationReadRolePolicy"]["Condition"] == (
        "ReadsTheOrganization"
    )
    [statement] = _policy("OrganizationReadRolePolicy")
    assert (statement["Action"], statement["Resource"]) == (
        "sts:AssumeRole",
        {"Ref": "OrganizationReadRoleArn"},
    )
    # No Organizations action is granted to the central roles themselves.
    for resource in TRANSLATED["Resources"].values():
        if resource["Type"] in ("AWS::IAM::Role", "AWS::IAM::Policy"):
            assert "organizations:" not in str(resource), resource


def test_the_distributed_map_may_start_and_watch_its_own_child_executions_only() -> None:
    statements = {s["Sid"]: s for s in _policy("OrganizationSweepChildExecutionsPolicy")}
    assert statements["StartChildExecutions"]["Resource"] == {
        "Ref": "OrganizationSweepStateMachine"
    }
    watch = statements["WatchAndStopChildExecutions"]
    assert _as_list(watch["Action"]) == ["states:DescribeExecution", "states:StopExecution"]
    assert render(watch["Resource"], TRANSLATED) == [
        "arn:aws:states:us-east-1:111122223333:execution:OrganizationSweepStateMachine-Name/*"
    ]


def test_the_organization_sweep_maps_accounts_in_child_executions_that_never_stop_the_others() -> (
    None
):
    definition = state_machine_definition(TRANSLATED, "OrganizationSweepStateMachine")
    states = _states(definition)
    accounts = states["SweepAccounts"]
    assert accounts["ItemProcessor"]["ProcessorConfig"] == {
        "Mode": "DISTRIBUTED",
        "ExecutionType": "STANDARD",
    }
    assert accounts["MaxConcurrencyPath"] == "$.maxScopes"
    assert accounts["ToleratedFailurePercentage"] == 100
    # Planning or finishing an account that fails is recorded as that account's failure.
    for state in ("PlanAccount", "FinishAccount"):
        [catch] = states[state]["Catch"]
        assert (catch["ErrorEquals"], catch["Next"]) == (["States.ALL"], "RecordAccountFailure")
    [catch] = states["RecordAccountFailure"]["Catch"]
    assert catch["Next"] == "AccountDone"
    # Within an account: waves one at a time, SweepMaxConcurrency types at once.
    assert states["SweepWavesOfTheAccount"]["MaxConcurrency"] == 1
    assert states["SweepTypesOfTheWave"]["MaxConcurrencyPath"] == "$.maxConcurrency"
    # Every step names its account and region.
    for state in ("PlanAccount", "SweepSlice", "FinishAccount", "RecordAccountFailure"):
        payload = states[state]["Parameters"]["Payload"]
        assert {"account.$", "region.$", "organizationRunId.$"} <= set(payload), state


def test_the_alarms_watch_whichever_sweep_state_machine_is_deployed() -> None:
    for alarm in ("SweepFailedAlarm", "SweepTimedOutAlarm"):
        [dimension] = TEMPLATE["Resources"][alarm]["Properties"]["Dimensions"]
        assert dimension["Value"] == {
            "Fn::If": [
                "IsOrganization",
                {"Ref": "OrganizationSweepStateMachine"},
                {"Ref": "SweepStateMachine"},
            ]
        }


def test_the_organization_sweep_runs_on_the_same_schedule_through_an_eventbridge_rule() -> None:
    # GIVEN the events of the organization state machine, and the translated template
    events = TEMPLATE["Resources"]["OrganizationSweepStateMachine"]["Properties"]["Events"]
    [scheduled] = events.values()
    resources = TRANSLATED["Resources"]
    # THEN it starts on SweepSchedule, by a rule that exists in organization mode only
    assert scheduled["Type"] == "Schedule"
    assert scheduled["Properties"]["Schedule"] == {"Ref": "SweepSchedule"}
    rules = [
        r
        for r in resources.values()
        if r["Type"] == "AWS::Events::Rule" and "ScheduleExpression" in r["Properties"]
    ]
    assert [r.get("Condition") for r in rules] == ["IsOrganization"]
    assert rules[0]["Properties"]["Targets"][0]["Arn"] == {"Ref": "OrganizationSweepStateMachine"}
    # AND a single-account deployment keeps its one Scheduler schedule
    schedules = [r for r in resources.values() if r["Type"] == "AWS::Scheduler::Schedule"]
    assert [s.get("Condition") for s in schedules] == ["IsSingleAccount"]
