"""`make scan`'s inputs and configuration: what the scanners read, and every skip explained."""

from __future__ import annotations

import copy
import json
import re

import pytest

from tag_enforcer_dev.scan_inputs import UnresolvedDefinitionError, state_machine_definition
from tag_enforcer_dev.template_file import PROJECT_ROOT
from tag_enforcer_dev.translated_template import translated_template

TEMPLATE = translated_template()


def test_the_definition_for_asl_validator_has_every_substitution_applied() -> None:
    definition = json.dumps(state_machine_definition(TEMPLATE))
    assert "${" not in definition
    assert '"Resource": "arn:aws:states:::lambda:invoke"' in definition
    assert "arn:aws:lambda:us-east-1:111122223333:function:SweepFunction" in definition


def test_a_placeholder_without_a_substitution_stops_the_scan() -> None:
    # GIVEN a definition naming a substitution the template does not define
    broken = copy.deepcopy(TEMPLATE)
    properties = broken["Resources"]["SweepStateMachine"]["Properties"]
    separator, lines = properties["DefinitionString"]["Fn::Join"]
    properties["DefinitionString"]["Fn::Join"] = [
        separator,
        [line.replace("${SweepFunctionArn}", "${SweepFunctionArm}") for line in lines],
    ]

    # THEN the scan inputs refuse it, naming the placeholder
    with pytest.raises(UnresolvedDefinitionError, match=re.escape("${SweepFunctionArm}")):
        state_machine_definition(broken)


def _skips(text: str, list_key: str) -> list[tuple[str, list[str]]]:
    """(check id, the comment lines just above it) for each entry of a YAML list."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{list_key}:")
    found = []
    for index in range(start + 1, len(lines)):
        line = lines[index].strip()
        if line and not line.startswith(("-", "#")):
            break
        if line.startswith("- "):
            above = []
            back = index - 1
            while back > start and lines[back].strip().startswith("#"):
                above.append(lines[back].strip())
                back -= 1
            found.append((line[2:].split("#")[0].strip(), above))
    return found


@pytest.mark.parametrize(
    ("config", "list_key"), [(".checkov.yaml", "skip-check"), (".cfnlintrc.yaml", "ignore_checks")]
)
def test_every_skipped_check_says_why_just_above_it(config: str, list_key: str) -> None:
    skips = _skips((PROJECT_ROOT / config).read_text(), list_key)
    assert skips, f"{config} has no {list_key}"
    for check, reason in skips:
        assert re.fullmatch(r"CKV_AWS_\d+|[EWI]\d{4}", check), check
        assert len(" ".join(reason)) > 40, f"{config}: {check} needs its reason above it"


def test_the_skip_reader_sees_a_skip_without_a_reason() -> None:
    text = "skip-check:\n  # why\n  - CKV_AWS_1\n  - CKV_AWS_2\nother: 1\n"
    assert _skips(text, "skip-check") == [("CKV_AWS_1", ["# why"]), ("CKV_AWS_2", [])]


def test_cfn_lint_runs_every_rule_including_informational_and_experimental() -> None:
    text = (PROJECT_ROOT / ".cfnlintrc.yaml").read_text()
    assert re.search(r"^include_checks:\n  - I$", text, re.M)
    assert re.search(r"^include_experimental: true$", text, re.M)


def test_checkov_stays_offline() -> None:
    text = (PROJECT_ROOT / ".checkov.yaml").read_text()
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert re.search(r"^skip-download: true", text, re.M)
    assert "export CKV_SKIP_PACKAGE_UPDATE_CHECK := true" in makefile
