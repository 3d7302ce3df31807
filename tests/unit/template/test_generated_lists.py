"""`make sync` writes every generated list of template.yaml, the sweep's IAM actions included."""

from __future__ import annotations

import pytest

from tag_enforcer_dev.sweep_permissions import (
    sweep_describe_actions,
    sweep_iam_actions,
    sweep_list_actions,
)
from tag_enforcer_dev.template_file import GENERATED_LISTS, TEMPLATE_PATH, render_generated_lists


def test_the_sweep_actions_are_generated_lists() -> None:
    assert GENERATED_LISTS["sweep:list-actions"] is sweep_list_actions
    assert GENERATED_LISTS["sweep:describe-actions"] is sweep_describe_actions


def test_the_two_sweep_lists_and_the_fixed_statements_make_up_every_sweep_action() -> None:
    # Search, AddTags and the Tagging API calls have statements of their own.
    fixed = {"sagemaker:Search", "sagemaker:AddTags", "tag:GetResources", "tag:TagResources"}
    generated = set(sweep_list_actions()) | set(sweep_describe_actions())
    assert generated | fixed == sweep_iam_actions()
    assert not generated & fixed


@pytest.mark.parametrize("marker", ["sweep:list-actions", "sweep:describe-actions"])
def test_a_sweep_list_edited_by_hand_is_a_drift_the_sync_check_sees(marker: str) -> None:
    # GIVEN the template with one action of the list dropped and a stray one added
    text = TEMPLATE_PATH.read_text()
    first = GENERATED_LISTS[marker]()[0]
    start = text.index(f"# {marker}:start")
    line = f"- {first}\n"
    at = text.index(line, start)
    drifted = text[:at] + line.replace(first, "sagemaker:ListEverything") + text[at + len(line) :]

    # WHEN the lists are rendered again (the check test_template_registry.py makes)
    rendered = render_generated_lists(drifted)

    # THEN the rendering differs from the edited text, and is the checked-in template again
    assert rendered != drifted
    assert rendered == text


def test_a_missing_marker_stops_the_sync() -> None:
    text = TEMPLATE_PATH.read_text().replace("# sweep:list-actions:end", "# end")
    with pytest.raises(ValueError, match="sweep:list-actions"):
        render_generated_lists(text)
