"""`make bench`: 10,000 events through the deployed enforce path, with throughput and memory.

    python -m tag_enforcer_dev.bench_enforce [--events 10000] [--chunk 200]

The template is deployed into an emulated account, 10,000 real resources are made in the
usual mix (emulator/bulk_events.py: compliant, to tag, lineage, flagged), and their
CloudTrail events go through the deployed rules, queue and handler in-process. API calls
are counted where the emulated account receives them (emulator/request_counter.py).

The figures are the handler's on one consumer, on a laptop, against moto: they show the
shape (calls per event, memory that does not grow), not AWS latency.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tag_enforcer_dev.emulator.account import running_account
from tag_enforcer_dev.emulator.bulk_events import (
    ResourceFactory,
    Stopwatch,
    TagReader,
    deliver,
    queue_depths,
    set_up_team,
)
from tag_enforcer_dev.emulator.deploy import deploy
from tag_enforcer_dev.emulator.inbox import subscribe_compliance_inbox
from tag_enforcer_dev.emulator.pipeline import EnforcePipeline
from tag_enforcer_dev.emulator.request_counter import count_requests
from tag_enforcer_dev.template_file import load_template

MIB = 1024 * 1024


def resident_bytes() -> int:
    """Current resident set size (Linux /proc/self/statm), else the peak from getrusage."""
    statm = Path("/proc/self/statm")
    if statm.exists():
        return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return peak_resident_bytes()


def peak_resident_bytes() -> int:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS (getrusage(2)).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


@dataclass(frozen=True)
class ConcurrencyCap:
    maximum_concurrency: int
    batch_size: int

    @classmethod
    def from_template(cls) -> ConcurrencyCap:
        template = load_template()
        source = next(
            resource["Properties"]
            for resource in template["Resources"].values()
            if resource["Type"] == "AWS::Lambda::EventSourceMapping"
            and resource["Properties"].get("FunctionName") == {"Ref": "EnforceFunction"}
        )
        return cls(
            int(template["Parameters"]["EnforceMaximumConcurrency"]["Default"]),
            int(source["BatchSize"]),
        )


class HandlerClock:
    """Wall-clock time spent inside the enforce handler, apart from the emulated bus and queue."""

    def __init__(self, pipeline: EnforcePipeline) -> None:
        self.seconds = 0.0
        invoke: Callable[[dict[str, Any]], Any] = pipeline.function.invoke

        def timed(event: dict[str, Any]) -> Any:
            started = time.perf_counter()
            try:
                return invoke(event)
            finally:
                self.seconds += time.perf_counter() - started

        pipeline.function.invoke = timed  # type: ignore[method-assign]


def run(events: int, chunk: int) -> int:
    cap = ConcurrencyCap.from_template()
    print(f"Deploying template.yaml into an emulated account; making {events:,} resources ...")
    with running_account() as account:
        stack = deploy(account, parameters={"EnforcementMode": "tag"})
        subscribe_compliance_inbox(account, stack)
        with Stopwatch() as making:
            planned = ResourceFactory(set_up_team(account), "bench").create_mix(events)
        pipeline = EnforcePipeline(account, stack)
        pipeline.close()  # the decision collector would hold every event's log record
        handler_clock = HandlerClock(pipeline)
        counter = count_requests(account)
        gc.collect()
        resident_before = resident_bytes()

        with Stopwatch() as processing:
            deliver(pipeline, [p.event for p in planned], chunk, keep_logs=False)

        gc.collect()
        resident_after = resident_bytes()
        calls = counter.by_operation(["sagemaker"])
        wrong = TagReader(account).mismatches(planned)
        depths = queue_depths(account, pipeline)

    sagemaker_calls = sum(calls.values())
    enforce_calls = calls.get("ListTags", 0) + calls.get("AddTags", 0)
    print()
    print(f"events                      {events:,} (made in {making.seconds:.1f} s)")
    print(
        f"end to end                  {events / processing.seconds:,.0f} events/s "
        f"({processing.seconds:.1f} s: EventBridge, SQS and the handler, one consumer)"
    )
    print(
        f"inside the handler          {events / handler_clock.seconds:,.0f} events/s "
        f"({handler_clock.seconds:.1f} s, its SageMaker, SNS and DynamoDB calls included)"
    )
    print(
        f"SageMaker calls             {sagemaker_calls:,} = {sagemaker_calls / events:.2f} per "
        f"event (ListTags/AddTags {enforce_calls / events:.2f}, directory reads "
        f"{(sagemaker_calls - enforce_calls) / events:.3f}): {calls}"
    )
    print(
        f"memory                      resident {resident_before / MIB:,.0f} MiB before, "
        f"{resident_after / MIB:,.0f} MiB after (+{(resident_after - resident_before) / MIB:,.0f}"
        f" MiB, the in-process moto server holds every resource and message); "
        f"peak {peak_resident_bytes() / MIB:,.0f} MiB"
    )
    print(f"left on the queues          {depths}; resources with wrong tags: {len(wrong)}")
    print()
    print(
        f"Concurrency cap: EnforceMaximumConcurrency={cap.maximum_concurrency} (template "
        f"default), batches of {cap.batch_size}. Why: every event costs 1-3 SageMaker calls "
        "(ListTags, AddTags, a parent's ListTags) and SageMaker throttles API calls per "
        "account and region, shared with every user and pipeline in the account. A consumer "
        "handles its batch one record at a time, so the cap bounds the enforcer to "
        f"{cap.maximum_concurrency} SageMaker calls in flight, whatever the burst: a burst "
        "waits in the queue instead of throttling people's own calls. At one consumer's "
        f"rate above, {cap.maximum_concurrency} consumers are far beyond the tens of creates "
        "a minute an account sees (docs/architecture.md, Scale)."
    )
    return 0 if not wrong and depths == {"queue": 0, "dlq": 0} else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=200, help="events published per drain")
    args = parser.parse_args(argv)
    return run(args.events, args.chunk)


if __name__ == "__main__":
    sys.exit(main())
