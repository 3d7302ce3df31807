"""TagResources batching: at most 20 ARNs a call, one tag set per call, per-ARN retries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from tag_enforcer.sweep.bulk_tagging import (
    MAX_ARNS_PER_TAG_CALL,
    TagFailure,
    TagResult,
    apply_batches,
    plan_batches,
)

FINANCE = {"sagemaker:domain-arn": "arn:aws:sagemaker:us-east-1:111122223333:domain/d-finance"}
SUSTAIN = {"sagemaker:domain-arn": "arn:aws:sagemaker:us-east-1:111122223333:domain/d-sustain"}


def arn(index: int) -> str:
    return f"arn:aws:sagemaker:us-east-1:111122223333:training-job/job-{index}"


class ScriptedTagger:
    """Answers each call with the next scripted FailedResourcesMap entries for its ARNs."""

    def __init__(self, script: Mapping[str, list[TagFailure | None]] | None = None) -> None:
        self.script = {k: list(v) for k, v in (script or {}).items()}
        self.calls: list[tuple[list[str], dict[str, str]]] = []

    def tag_resources(self, arns: Sequence[str], tags: Mapping[str, str]) -> dict[str, TagFailure]:
        self.calls.append((list(arns), dict(tags)))
        failures = {}
        for name in arns:
            queued = self.script.get(name)
            failure = queued.pop(0) if queued else None
            if failure is not None:
                failures[name] = failure
        return failures


def test_batches_hold_at_most_twenty_arns_with_identical_tags() -> None:
    # GIVEN 47 resources needing finance's tags and 3 needing sustainability's
    wanted = {arn(i): dict(SUSTAIN if i % 17 == 0 else FINANCE) for i in range(50)}

    # WHEN the calls are planned
    batches = plan_batches(wanted)

    # THEN no call exceeds 20 ARNs, every ARN appears once, with exactly its tags
    assert all(1 <= len(b.arns) <= MAX_ARNS_PER_TAG_CALL for b in batches)
    assert sorted(a for b in batches for a in b.arns) == sorted(wanted)
    assert all(dict(b.tags) == wanted[a] for b in batches for a in b.arns)
    assert sorted(len(b.arns) for b in batches) == [3, 7, 20, 20]


def test_resources_needing_nothing_make_no_call() -> None:
    assert plan_batches({arn(1): {}}) == []


def test_only_retryable_failures_are_retried_with_backoff() -> None:
    # GIVEN one ARN that fails twice with InternalServiceException, one rejected outright
    tagger = ScriptedTagger(
        {
            arn(1): [
                TagFailure("InternalServiceException", 500, "timeout"),
                TagFailure("ThrottlingException", 400, "slow down"),
                None,
            ],
            arn(2): [TagFailure("InvalidParameterException", 400, "bad tag")],
        }
    )
    sleeps: list[float] = []

    # WHEN one batch of three is applied
    outcomes = apply_batches(
        tagger, plan_batches({arn(i): FINANCE for i in (1, 2, 3)}), sleep=sleeps.append
    )

    # THEN the retries carried only the failing retryable ARN, after growing pauses
    assert [call[0] for call in tagger.calls] == [[arn(1), arn(2), arn(3)], [arn(1)], [arn(1)]]
    assert sleeps == [0.5, 1.0]
    assert outcomes[arn(1)].result is TagResult.TAGGED
    assert outcomes[arn(2)].result is TagResult.FAILED
    assert "bad tag" in outcomes[arn(2)].detail
    assert outcomes[arn(3)].result is TagResult.TAGGED


def test_retries_stop_after_the_last_attempt() -> None:
    tagger = ScriptedTagger({arn(1): [TagFailure("InternalServiceException", 500, "down")] * 9})
    outcomes = apply_batches(
        tagger, plan_batches({arn(1): FINANCE}), max_attempts=3, sleep=lambda _: None
    )
    assert len(tagger.calls) == 3
    assert outcomes[arn(1)].result is TagResult.FAILED


@pytest.mark.parametrize(
    ("failure", "result"),
    [
        (TagFailure("InvalidParameterException", 400, "Resource does not exist"), TagResult.GONE),
        (TagFailure("ResourceNotFoundException", 404, "gone"), TagResult.GONE),
        (TagFailure("AccessDeniedException", 403, "not allowed"), TagResult.FAILED),
    ],
)
def test_failure_kinds(failure: TagFailure, result: TagResult) -> None:
    tagger = ScriptedTagger({arn(1): [failure]})
    outcomes = apply_batches(tagger, plan_batches({arn(1): FINANCE}), sleep=lambda _: None)
    assert outcomes[arn(1)].result is result
    assert len(tagger.calls) == 1
