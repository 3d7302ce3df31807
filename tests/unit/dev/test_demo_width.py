"""The demo fits the terminal: no line wider than it, a table from 120 columns, stacked blocks
below, and ARNs shortened in the middle rather than broken."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from rich.console import Console, RenderableType

from tag_enforcer.sweep.report import ReportRow, SweepAction, SweepSummary
from tag_enforcer_cli.isolation_policy import build_isolation_policy
from tag_enforcer_dev.demo import alert_view, decision_rows, decision_view, isolation_policy_view
from tag_enforcer_dev.demo_layout import ELLIPSIS, TABLE_MIN_WIDTH, key_values, shorten_middle
from tag_enforcer_dev.demo_sweep import legacy_rows, legacy_view, summary_view
from tag_enforcer_dev.scenario import ScenarioStep

PREFIX = "arn:aws:sagemaker:us-east-1:123456789012"
FINANCE = f"{PREFIX}:domain/d-finance-lob"
PROFILE = f"{PREFIX}:user-profile/d-finance-lob/alice"
JOB = f"{PREFIX}:training-job/churn-xgb-with-a-rather-long-name-2026-11-29"
ROLE = "arn:aws:iam::123456789012:role/service-role/FinanceStudioExecutionRole"
ARNS = (FINANCE, PROFILE, JOB, ROLE)


def _step(event_id: str, name: str, arn: str | None, error: str | None = None) -> ScenarioStep:
    detail: dict[str, Any] = {"eventID": event_id, "eventName": name}
    if error:
        detail["errorCode"] = error
    return ScenarioStep("alice (d-finance-lob)", "inside Studio", {"detail": detail}, arn)


STEPS = [
    _step("e1", "CreateTrainingJob", JOB),
    _step("e2", "CreateTrainingJob", None, "AccessDenied"),
]
DECISIONS = {
    "e1": {
        "outcome": "tag",
        "action": "tagged",
        "evidence": [
            {"rule": "caller-role", "conclusion": f"the role {ROLE} names domain {FINANCE}"},
            {"rule": "source-identity", "conclusion": f"source identity names {PROFILE}"},
        ],
    }
}
TAGS = {JOB: {"sagemaker:domain-arn": FINANCE, "sagemaker:user-profile-arn": PROFILE}}
ALERT: dict[str, Any] = {
    "Subject": "[HIGH] SageMaker mismatch: EndpointConfig emissions-forecast-cfg",
    "MessageAttributes": {
        "severity": {"Value": "high"},
        "kind": {"Value": "mismatch"},
        "domain": {"Value": json.dumps([FINANCE])},
    },
    "Message": json.dumps({"resourceArn": JOB, "actor": f"{ROLE} (role X)", "links": {"a": JOB}}),
}


def _summary() -> SweepSummary:
    summary = SweepSummary()
    summary.add(ReportRow(JOB, "TrainingJob", "tag", SweepAction.TAGGED, domain_arn=FINANCE))
    return summary


def _views(width: int) -> list[RenderableType]:
    legacy = {"bob's 2023 training job (his role, no tags)": JOB}
    rows = {JOB: {"outcome": "tag", "action": "tagged", "evidence": DECISIONS["e1"]["evidence"]}}
    return [
        decision_view(decision_rows(STEPS, DECISIONS, TAGS), width),
        alert_view([ALERT], width),
        key_values("One alert body", json.loads(ALERT["Message"]), width),
        isolation_policy_view(FINANCE, width),
        summary_view(_summary(), "Sweep of every registry type (tag mode)", width),
        legacy_view(legacy_rows(legacy, rows, TAGS), width),
    ]


def _render(width: int) -> str:
    console = Console(record=True, width=width, force_terminal=False, color_system=None)
    for view in _views(width):
        console.print(view)
    return console.export_text()


@pytest.mark.parametrize("width", [80, 120])
def test_no_line_is_wider_than_the_terminal(width: int) -> None:
    lines = _render(width).splitlines()
    assert lines
    too_wide = [line for line in lines if len(line) > width]
    assert too_wide == []


@pytest.mark.parametrize("width", [80, 120, 200])
def test_arns_are_whole_or_shortened_in_the_middle_never_broken(width: int) -> None:
    # Every ARN-looking word printed is a whole ARN or the start and end of one around "…";
    # a word broken across lines would be a start without its end.
    text = _render(width)
    policy = json.dumps(build_isolation_policy(FINANCE))
    known = {*ARNS, *re.findall(r'arn:[^"]+', policy)}
    for found in re.findall(r'arn:[^\s│┃|,)"]+', text):
        word = found.rstrip(".")
        if word in known:
            continue
        assert ELLIPSIS in word, word
        head, _, tail = word.partition(ELLIPSIS)
        assert any(a.startswith(head) and a.endswith(tail) for a in known), word


def test_below_120_columns_each_decision_is_its_own_block() -> None:
    narrow = _render(80)
    assert "who / how: alice (d-finance-lob)" in narrow
    assert "┃" not in narrow  # no table grid
    assert "│ evidence" not in narrow
    wide = _render(TABLE_MIN_WIDTH)
    assert "who / how" in wide.splitlines()[1] or "who / how" in wide


def test_the_demo_takes_the_terminals_width_including_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # rich reads COLUMNS when the output is not a terminal (rich.console.Console.width)
    monkeypatch.setenv("COLUMNS", "93")
    assert Console().width == 93


def test_shortening_keeps_both_ends() -> None:
    shortened = shorten_middle(JOB, 30)
    assert len(shortened) == 30
    assert shortened.startswith("arn:aws:sagemak")
    assert shortened.endswith("11-29")
