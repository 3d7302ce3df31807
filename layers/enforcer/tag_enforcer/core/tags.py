"""The enforced tag keys, and tags within SageMaker's limits: only missing keys, no overwrite.

Enforced keys are matched ignoring case. IAM compares condition key names without
regard to case (IAM User Guide, "Condition element": `aws:ResourceTag/TagKey1` matches
a tag key `tagkey1`), while SageMaker keeps tag keys case-sensitive, so a resource can
carry `SageMaker:Domain-Arn` beside `sagemaker:domain-arn`. Any case variant of an
enforced key is that key: its value is compared with the evidence, and a second
variant is never written next to it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

# Tag keys SageMaker itself writes on resources created from inside Studio
# (SageMaker Developer Guide, "Domain resource isolation").
DOMAIN_TAG = "sagemaker:domain-arn"
USER_PROFILE_TAG = "sagemaker:user-profile-arn"
SPACE_TAG = "sagemaker:space-arn"
ENFORCED_TAG_KEYS = (DOMAIN_TAG, USER_PROFILE_TAG, SPACE_TAG)
_BY_LOWER = {key.lower(): key for key in ENFORCED_TAG_KEYS}
# Amazon SageMaker Unified Studio (Amazon DataZone) tags the resources it provisions
# with keys that begin "AmazonDataZone" (Unified Studio Administrator Guide, "Project
# resource tags"). They belong to DataZone: reported as evidence, never modified.
DATAZONE_TAG_PREFIX = "AmazonDataZone"

# Tag limits (SageMaker API reference, Tag and AddTags): key 1-128 characters,
# value 0-256, at most 50 tags per resource and per call, characters from
# [\p{L}\p{Z}\p{N}_.:/=+\-@]. Keys starting with "aws:" are reserved.
MAX_TAGS_PER_RESOURCE = 50
MAX_KEY_LENGTH = 128
MAX_VALUE_LENGTH = 256
_ALLOWED_PUNCTUATION = frozenset("_.:/=+-@")


def enforced_key(key: str) -> str | None:
    """The enforced key `key` is a case variant of, or None."""
    return _BY_LOWER.get(key.lower())


def enforced_tag_values(tags: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Canonical enforced key -> {key as written: value}, for every variant present."""
    found: dict[str, dict[str, str]] = {}
    for key, value in tags.items():
        canonical = enforced_key(key)
        if canonical is not None:
            found.setdefault(canonical, {})[key] = value
    return found


def enforced_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """Canonical enforced key -> value. Where case variants disagree, the exact key's value
    wins, else the first; `conflicting_variants` says whether they disagree."""
    result: dict[str, str] = {}
    for canonical, variants in enforced_tag_values(tags).items():
        result[canonical] = variants.get(canonical, next(iter(variants.values())))
    return result


def conflicting_variants(tags: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Enforced keys whose case variants carry different values (two values for IAM)."""
    return {
        canonical: variants
        for canonical, variants in enforced_tag_values(tags).items()
        if len({v.lower() for v in variants.values()}) > 1
    }


def datazone_tags(tags: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in tags.items() if k.lower().startswith(DATAZONE_TAG_PREFIX.lower())}


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
    """Only the keys the resource lacks, in any case; a key present is never rewritten."""
    present = {key.lower() for key in existing}
    missing = {k: v for k, v in wanted.items() if k.lower() not in present}
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
