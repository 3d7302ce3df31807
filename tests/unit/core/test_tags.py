"""Tags are checked against SageMaker's limits, and only the keys a resource lacks are added."""

from __future__ import annotations

import pytest

from tag_enforcer.core.tags import (
    MAX_KEY_LENGTH,
    MAX_TAGS_PER_RESOURCE,
    MAX_VALUE_LENGTH,
    InvalidTagError,
    tags_to_add,
    validate_tag,
)

# --- validate_tag -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("k", ""),
        ("k" * MAX_KEY_LENGTH, "v" * MAX_VALUE_LENGTH),
        ("sagemaker:domain-arn", "arn:aws:sagemaker:us-east-1:111122223333:domain/d-abc"),
        ("cost center", "a_b.c:d/e=f+g-h@i"),
        ("équipe", "データ科学"),  # unicode letters are \p{L}
        ("Ключ١٢٣", "значение"),  # and unicode digits are \p{N}
        ("AWSome", "x"),  # only the "aws:" prefix is reserved
    ],
)
def test_tags_within_the_limits_are_valid(key: str, value: str) -> None:
    # GIVEN a tag SageMaker accepts
    # WHEN it is validated
    # THEN nothing is raised
    validate_tag(key, value)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("", "v", "1-128 characters"),
        ("k" * (MAX_KEY_LENGTH + 1), "v", "1-128 characters"),
        ("k", "v" * (MAX_VALUE_LENGTH + 1), "longer than 256"),
        ("aws:createdBy", "v", "reserved 'aws:' prefix"),
        ("AWS:CreatedBy", "v", "reserved 'aws:' prefix"),
        ("team!", "v", "character SageMaker does not allow"),
        ("team", "a;b", "character SageMaker does not allow"),
        ("team", "line\nbreak", "character SageMaker does not allow"),
        ("emoji🙂", "v", "character SageMaker does not allow"),
    ],
)
def test_tags_outside_the_limits_are_rejected_before_any_call(
    key: str, value: str, message: str
) -> None:
    # GIVEN a tag SageMaker would refuse
    # WHEN it is validated
    # THEN InvalidTagError says which rule it breaks
    with pytest.raises(InvalidTagError, match=message):
        validate_tag(key, value)


# --- tags_to_add --------------------------------------------------------------------------


def test_only_keys_the_resource_lacks_are_added() -> None:
    # GIVEN a resource that already has a (different) domain tag
    wanted = {"sagemaker:domain-arn": "new", "sagemaker:user-profile-arn": "p"}
    existing = {"sagemaker:domain-arn": "old", "team": "x"}

    # WHEN the tags to add are computed
    missing = tags_to_add(wanted, existing)

    # THEN the present key is not rewritten
    assert missing == {"sagemaker:user-profile-arn": "p"}


def test_nothing_is_added_when_everything_is_present() -> None:
    # GIVEN all wanted keys present
    # WHEN the tags to add are computed
    # THEN there are none
    assert tags_to_add({"a": "1"}, {"a": "2"}) == {}


def test_adding_past_fifty_tags_is_refused() -> None:
    # GIVEN a resource with 49 tags and two to add
    existing = {f"k{i}": "v" for i in range(MAX_TAGS_PER_RESOURCE - 1)}

    # WHEN the tags to add are computed
    # THEN the per-resource limit is named
    with pytest.raises(InvalidTagError, match="limit of 50 tags per resource"):
        tags_to_add({"a": "1", "b": "2"}, existing)


def test_adding_up_to_exactly_fifty_tags_is_allowed() -> None:
    # GIVEN a resource with 48 tags and two to add
    existing = {f"k{i}": "v" for i in range(MAX_TAGS_PER_RESOURCE - 2)}

    # WHEN the tags to add are computed
    # THEN both are added
    assert tags_to_add({"a": "1", "b": "2"}, existing) == {"a": "1", "b": "2"}


def test_an_invalid_missing_tag_is_refused() -> None:
    # GIVEN a wanted tag with a reserved key
    # WHEN the tags to add are computed
    # THEN it is refused
    with pytest.raises(InvalidTagError):
        tags_to_add({"aws:x": "1"}, {})
