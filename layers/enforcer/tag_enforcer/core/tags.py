"""The enforced tag keys, and tags within SageMaker's limits: only missing keys, no overwrite."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

# Tag keys SageMaker itself writes on resources created from inside Studio
# (SageMaker Developer Guide, "Domain resource isolation").
DOMAIN_TAG = "sagemaker:domain-arn"


USER_PROFILE_TAG = "sagemaker:user-profile-arn"


SPACE_TAG = "sagemaker:space-arn"


ENFORCED_TAG_KEYS = (DOMAIN_TAG, USER_PROFILE_TAG, SPACE_TAG)


def enforced_tags(tags: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in tags.items() if k in ENFORCED_TAG_KEYS}


# Tag limits (SageMaker API reference, Tag and AddTags): key 1-128 characters,
# value 0-256, at most 50 tags per resource and per call, characters from
# [\p{L}\p{Z}\p{N}_.:/=+\-@]. Keys starting with "aws:" are reserved.
MAX_TAGS_PER_RESOURCE = 50


MAX_KEY_LENGTH = 128


MAX_VALUE_LENGTH = 256


_ALLOWED_PUNCTUATION = frozenset("_.:/=+-@")


class InvalidTagError(ValueError):
    """A tag the service would reject; raised before any call is made."""


def _allowed_character(character: str) -> bool:
    category = unicodedata.category(character)
    return category[0] in ("L", "N", "Z") or character in _ALLOWED_PUNCTUATION


def validate_tag(key: str, value: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise InvalidTagError(f"tag key {key[:40]!r} must be 1-{MAX_KEY_LENGTH} characters")
    if key.lower().startswith("aws:"):
        raise InvalidTagError(f"tag key {key!r} uses the reserved 'aws:' prefix")
    if len(value) > MAX_VALUE_LENGTH:
        raise InvalidTagError(f"value of tag {key!r} is longer than {MAX_VALUE_LENGTH} characters")
    for text in (key, value):
        if not all(_allowed_character(c) for c in text):
            raise InvalidTagError(f"tag {key!r} has a character SageMaker does not allow")


def tags_to_add(wanted: Mapping[str, str], existing: Mapping[str, str]) -> dict[str, str]:
    """Only the keys the resource lacks; a key already present is never rewritten."""
    missing = {k: v for k, v in wanted.items() if k not in existing}
    for key, value in missing.items():
        validate_tag(key, value)
    # Tags with the reserved aws: prefix do not count against the limit
    # (Tagging AWS Resources user guide, "Tag naming limits and requirements").
    counted = sum(1 for key in existing if not key.lower().startswith("aws:"))
    if counted + len(missing) > MAX_TAGS_PER_RESOURCE:
        raise InvalidTagError(
            f"adding {len(missing)} tags to a resource with {counted} would pass "
            f"SageMaker's limit of {MAX_TAGS_PER_RESOURCE} tags per resource"
        )
    return missing
