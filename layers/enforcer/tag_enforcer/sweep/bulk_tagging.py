"""Tag many resources in few calls: one TagResources per 20 ARNs that need the same tags.

TagResources gives every ARN of a call the same tags and overwrites a key that is
already there (Resource Groups Tagging API reference, TagResources), so callers pass
only the keys each resource lacks, and resources are grouped by that exact set.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

# TagResources takes 1-20 ARNs and 1-50 tags a call (Resource Groups Tagging API reference).
MAX_ARNS_PER_TAG_CALL = 20
MAX_TAGS_PER_TAG_CALL = 50
# FailedResourcesMap: "InternalServiceException ... it's safe to retry the request"
# (Resource Groups Tagging API reference, FailureInfo); throttling is retryable anywhere.
_RETRYABLE_CODES = frozenset(
    {"InternalServiceException", "ThrottlingException", "Throttling", "TooManyRequestsException"}
)
_GONE_MESSAGES = ("does not exist", "not found", "could not find")


@dataclass(frozen=True)
class TagFailure:
    """One entry of TagResources' FailedResourcesMap."""

    error_code: str
    status_code: int
    message: str

    @property
    def retryable(self) -> bool:
        return self.error_code in _RETRYABLE_CODES or self.status_code >= 500

    @property
    def resource_gone(self) -> bool:
        text = self.message.lower()
        return self.error_code in ("ResourceNotFoundException", "ResourceNotFound") or (
            not self.retryable and any(m in text for m in _GONE_MESSAGES)
        )


class BulkTagPort(Protocol):
    def tag_resources(
        self, arns: Sequence[str], tags: Mapping[str, str]
    ) -> dict[str, TagFailure]: ...


class TagResult(StrEnum):
    TAGGED = "tagged"
    GONE = "resource-gone"
    FAILED = "failed"


@dataclass(frozen=True)
class TagBatch:
    tags: tuple[tuple[str, str], ...]
    arns: tuple[str, ...]


@dataclass(frozen=True)
class TagOutcome:
    result: TagResult
    detail: str = ""


def plan_batches(wanted: Mapping[str, Mapping[str, str]]) -> list[TagBatch]:
    """Calls of at most 20 ARNs, each call's ARNs needing exactly the same tags."""
    groups: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for arn, tags in wanted.items():
        if not tags:
            continue
        if len(tags) > MAX_TAGS_PER_TAG_CALL:
            raise ValueError(f"{arn}: {len(tags)} tags exceed {MAX_TAGS_PER_TAG_CALL} per call")
        groups.setdefault(tuple(sorted(tags.items())), []).append(arn)
    return [
        TagBatch(tag_set, tuple(arns[start : start + MAX_ARNS_PER_TAG_CALL]))
        for tag_set, arns in groups.items()
        for start in range(0, len(arns), MAX_ARNS_PER_TAG_CALL)
    ]


def apply_batches(
    port: BulkTagPort,
    batches: Sequence[TagBatch],
    *,
    max_attempts: int = 4,
    base_delay_seconds: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, TagOutcome]:
    """Run each batch; retry only the ARNs whose failure is retryable, with backoff."""
    outcomes: dict[str, TagOutcome] = {}
    for batch in batches:
        pending = list(batch.arns)
        tags = dict(batch.tags)
        for attempt in range(1, max_attempts + 1):
            failures = port.tag_resources(pending, tags)
            retry: list[str] = []
            for arn in pending:
                failure = failures.get(arn)
                if failure is None:
                    outcomes[arn] = TagOutcome(TagResult.TAGGED)
                elif failure.resource_gone:
                    outcomes[arn] = TagOutcome(TagResult.GONE, failure.message)
                elif failure.retryable and attempt < max_attempts:
                    retry.append(arn)
                else:
                    outcomes[arn] = TagOutcome(
                        TagResult.FAILED, f"{failure.error_code}: {failure.message}"
                    )
            if not retry:
                break
            sleep(base_delay_seconds * 2 ** (attempt - 1))
            pending = retry
    return outcomes
