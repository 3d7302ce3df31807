"""`make bench`: the sweep against the naive approach on a seeded emulated account, calls counted.

    python -m tag_enforcer_dev.bench [--resources 10000]

Each approach runs twice on the same seeded account: a backfill pass (about 20%
already tagged) and a steady-state re-sweep. API calls are counted where the emulated
account receives them (emulator.request_counter), not by the client. Exit status 1
when a target of issue 4 is missed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from tag_enforcer.core.resources import AccountScope
from tag_enforcer.core.settings import EnforcementMode
from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer.sweep.settings import SweepOptions
from tag_enforcer.wiring.sweep import build_sweep_service
from tag_enforcer_cli.local_stores import InMemoryCheckpointStore, InMemoryRunStore
from tag_enforcer_dev.bench_seed import MIX, SeededAccount, current_tags, seed
from tag_enforcer_dev.emulator.account import EmulatedAccount, running_account
from tag_enforcer_dev.emulator.request_counter import RequestCounter, count_requests
from tag_enforcer_dev.naive_sweep import naive_sweep

TYPES = list(MIX)
# Issue 4, "Cheap enumeration": calls per resource, and how many times fewer than naive.
BACKFILL_MAX_CALLS_PER_RESOURCE = 0.7
BACKFILL_MIN_SAVING = 3.0
STEADY_MAX_CALLS_PER_RESOURCE = 0.05
STEADY_MIN_SAVING = 20.0


@dataclass(frozen=True)
class PassResult:
    approach: str
    kind: str
    seconds: float
    calls: int
    resources: int
    correct_share: float
    by_operation: dict[str, int]

    @property
    def per_resource(self) -> float:
        return self.calls / self.resources


def _correct_share(account: EmulatedAccount, seeded: SeededAccount) -> float:
    attributable = seeded.attributable
    correct = sum(
        1
        for arn in attributable
        if current_tags(account, arn).get(DOMAIN_TAG) == seeded.rightful[arn][DOMAIN_TAG]
    )
    return correct / len(attributable)


def _measure(
    approach: str,
    kind: str,
    *,
    account: EmulatedAccount,
    counter: RequestCounter,
    seeded: SeededAccount,
    work: Callable[[], object],
) -> PassResult:
    counter.reset()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    calls = counter.total()
    by_operation = counter.by_operation()
    return PassResult(
        approach,
        kind,
        seconds,
        calls,
        seeded.total,
        _correct_share(account, seeded),
        by_operation,
    )


def _scope(account: EmulatedAccount) -> AccountScope:
    return AccountScope("aws", account.region, account.account_id)


def _sweep(account: EmulatedAccount) -> Callable[[], object]:
    def work() -> object:
        service = build_sweep_service(
            SweepOptions(mode=EnforcementMode.TAG, type_names=tuple(TYPES), lag_window_seconds=0),
            _scope(account),
            checkpoints=InMemoryCheckpointStore(),
            runs=InMemoryRunStore(),
            client_factory=account.client,
        )
        return service.run("bench")

    return work


def _naive(account: EmulatedAccount) -> Callable[[], object]:
    def work() -> object:
        return naive_sweep(account.client("sagemaker"), _scope(account), TYPES)

    return work


def run_bench(resources: int, console: Console) -> list[PassResult]:
    results: list[PassResult] = []
    with running_account() as account:
        counter = count_requests(account)
        for approach, make_work in (("sweep", _sweep), ("naive", _naive)):
            account.reset()
            started = time.perf_counter()
            seeded = seed(account, resources)
            console.print(
                f"{approach}: seeded {seeded.total} resources "
                f"({', '.join(f'{n} {t}' for t, n in seeded.by_type.items())}); "
                f"{seeded.pre_tagged} tagged correctly, "
                f"{seeded.total - len(seeded.attributable)} with no evidence "
                f"({time.perf_counter() - started:.1f} s, uncounted)"
            )
            for kind in ("backfill", "steady state"):
                result = _measure(
                    approach,
                    kind,
                    account=account,
                    counter=counter,
                    seeded=seeded,
                    work=make_work(account),
                )
                console.print(
                    f"  {kind}: {result.calls} calls in {result.seconds:.1f} s: "
                    + ", ".join(f"{op} {n}" for op, n in sorted(result.by_operation.items()))
                )
                results.append(result)
    return results


def verdicts(results: Sequence[PassResult]) -> list[tuple[str, bool]]:
    by = {(r.approach, r.kind): r for r in results}
    backfill, steady = by[("sweep", "backfill")], by[("sweep", "steady state")]
    naive_backfill, naive_steady = by[("naive", "backfill")], by[("naive", "steady state")]
    return [
        (
            f"backfill <= {BACKFILL_MAX_CALLS_PER_RESOURCE} calls/resource "
            f"({backfill.per_resource:.3f})",
            backfill.per_resource <= BACKFILL_MAX_CALLS_PER_RESOURCE,
        ),
        (
            f"backfill >= {BACKFILL_MIN_SAVING:.0f}x fewer calls than naive "
            f"({naive_backfill.calls / backfill.calls:.1f}x)",
            naive_backfill.calls >= BACKFILL_MIN_SAVING * backfill.calls,
        ),
        (
            f"steady state <= {STEADY_MAX_CALLS_PER_RESOURCE} calls/resource "
            f"({steady.per_resource:.4f})",
            steady.per_resource <= STEADY_MAX_CALLS_PER_RESOURCE,
        ),
        (
            f"steady state >= {STEADY_MIN_SAVING:.0f}x fewer calls than naive "
            f"({naive_steady.calls / steady.calls:.1f}x)",
            naive_steady.calls >= STEADY_MIN_SAVING * steady.calls,
        ),
        (
            f"every attributable resource tagged with its domain ({backfill.correct_share:.2%})",
            backfill.correct_share == 1.0,
        ),
    ]


def results_table(results: Sequence[PassResult]) -> Table:
    table = Table(title="Sweep vs naive, API calls counted by the emulated account")
    for column in ("approach", "pass", "wall s", "API calls", "calls/resource", "correct domain"):
        table.add_column(column, justify="left" if column in ("approach", "pass") else "right")
    for r in results:
        table.add_row(
            r.approach,
            r.kind,
            f"{r.seconds:.1f}",
            str(r.calls),
            f"{r.per_resource:.4f}",
            f"{r.correct_share:.2%}",
        )
    return table


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tag_enforcer_dev.bench", description=__doc__)
    parser.add_argument("--resources", type=int, default=10_000, help="resources to seed")
    args = parser.parse_args(argv)
    if args.resources < len(MIX):
        parser.error(f"--resources must be at least {len(MIX)}")
    # The results table needs ~100 columns; a pipe or CI log reports 80.
    console = Console(width=max(Console().width, 110))
    results = run_bench(args.resources, console)
    console.print(results_table(results))
    checks = verdicts(results)
    for text, passed in checks:
        console.print(f"{'[green]met' if passed else '[red]MISSED'}[/] {text}")
    return 0 if all(passed for _, passed in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
