"""What a stack deletion or replacement keeps, and that two stacks fit in one account and region."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tag_enforcer_dev.template_file import PROJECT_ROOT, load_template
from tag_enforcer_dev.translated_template import translated_template

# Stores that hold data someone may need after the stack is gone: kept, and removed by
# the operator (docs/uninstall.md). RetainExceptOnCreate still cleans up a first
# create that rolls back (CloudFormation User Guide, "DeletionPolicy attribute").
KEPT_TYPES = ("AWS::KMS::Key", "AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Logs::LogGroup")
# Events in transit only: deleted with the stack.
DELETED_TYPES = ("AWS::SQS::Queue",)
# EventBridge Scheduler API reference, CreateSchedule: Name is 1-64 characters.
SCHEDULE_NAME_MAX = 64
# A stack id ends in a UUID (CloudFormation API reference, Stack: StackId).
SAMPLE_STACK_ID = (
    "arn:aws:cloudformation:us-east-1:111122223333:stack/"
    + "s" * 128
    + "/1c2fa620-982a-11e3-aff7-50e2416294e0"
)


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def _of_types(template: dict[str, Any], types: tuple[str, ...]) -> list[str]:
    return [k for k, r in template["Resources"].items() if r["Type"] in types]


def test_every_store_is_kept_when_the_stack_is_deleted_or_it_is_replaced(
    template: dict[str, Any],
) -> None:
    stores = _of_types(template, KEPT_TYPES)
    assert len(stores) == 7, stores
    for logical_id in stores:
        resource = template["Resources"][logical_id]
        assert resource.get("DeletionPolicy") == "RetainExceptOnCreate", logical_id
        assert resource.get("UpdateReplacePolicy") == "Retain", logical_id


def test_queues_are_deleted_with_the_stack_explicitly(template: dict[str, Any]) -> None:
    queues = _of_types(template, DELETED_TYPES)
    assert queues
    for logical_id in queues:
        resource = template["Resources"][logical_id]
        assert resource.get("DeletionPolicy") == "Delete", logical_id
        assert resource.get("UpdateReplacePolicy") == "Delete", logical_id


def test_the_docs_say_how_to_remove_everything_a_deletion_keeps(
    template: dict[str, Any],
) -> None:
    # GIVEN the uninstall page the README's Uninstall section points at
    readme = (PROJECT_ROOT / "README.md").read_text()
    match = re.search(r"^## Uninstall\n(?P<body>.*?)(?=^## )", readme, re.M | re.S)
    assert match is not None, "README.md needs an '## Uninstall' section"
    assert "docs/uninstall.md" in match["body"]
    body = (PROJECT_ROOT / "docs" / "uninstall.md").read_text()

    # THEN it names every kept resource, and the command that removes each kind
    for logical_id in _of_types(template, KEPT_TYPES):
        assert logical_id in body, f"Uninstall does not say what happens to {logical_id}"
    for command in (
        "aws cloudformation delete-stack",
        "aws s3api delete-objects",
        "aws s3api delete-bucket",
        "aws dynamodb delete-table",
        "aws logs delete-log-group",
        "aws kms schedule-key-deletion",
    ):
        assert command in body, command


def _schedule_name(stack_id: str) -> str:
    """The schedule's Name as CloudFormation resolves its Fn::Join of the stack id."""
    schedule = translated_template()["Resources"]["SweepStateMachineScheduled"]["Properties"]
    separator, (prefix, select) = schedule["Name"]["Fn::Join"]
    index, split = select["Fn::Select"]
    delimiter, reference = split["Fn::Split"]
    assert reference == {"Ref": "AWS::StackId"}
    name: str = separator.join([prefix, stack_id.split(delimiter)[index]])
    return name


def test_the_schedule_name_is_unique_per_stack_and_fits_the_scheduler_limit() -> None:
    # GIVEN the longest stack name CloudFormation allows (128 characters)
    name = _schedule_name(SAMPLE_STACK_ID)

    # THEN the name is the stack's own (its UUID), valid, and within 64 characters
    assert name == "tag-enforcer-sweep-1c2fa620-982a-11e3-aff7-50e2416294e0"
    assert len(name) <= SCHEDULE_NAME_MAX
    assert re.fullmatch(r"[0-9a-zA-Z-_.]+", name)
    other = SAMPLE_STACK_ID.replace("1c2fa620", "2d3fb731")
    assert _schedule_name(other) != name
