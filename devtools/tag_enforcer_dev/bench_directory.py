"""`make bench`: what the domain directory costs at enterprise scale, calls counted by the account.

    python -m tag_enforcer_dev.bench_directory [--domains 20] [--profiles 2000]

An emulated account with D domains and P profiles. Three figures, each with the
SageMaker and DynamoDB calls the account received and the wall time:

- a full read from SageMaker (what a container paid on every refresh before the
  shared snapshot, and what the sweep pays once a day to refresh it);
- a cold start of an enforce container with the shared snapshot (one Query);
- a directory event (UpdateUserProfile): one Describe and one PutItem.

Exit status 1 when a cold start costs more than two calls.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from tag_enforcer.aws.directory_store import DynamoDbDirectoryStore
from tag_enforcer.aws.sagemaker_directory import SageMakerDirectoryReader
from tag_enforcer.core.directory import CachedDirectory, DirectoryChange, DirectoryKind
from tag_enforcer_dev.emulator.account import EmulatedAccount, running_account
from tag_enforcer_dev.emulator.request_counter import RequestCounter, count_requests

TABLE = "bench-directory"
# Issue "Works in a real account", 7: the enforce function reads the snapshot in at most 2 calls.
COLD_START_MAX_CALLS = 2


@dataclass(frozen=True)
class Cost:
    what: str
    seconds: float
    calls: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.calls.values())


def _seed(account: EmulatedAccount, domains: int, profiles: int) -> None:
    sagemaker, iam = account.client("sagemaker"), account.client("iam")
    default_role = iam.create_role(RoleName="BenchDefault", AssumeRolePolicyDocument="{}")["Role"][
        "Arn"
    ]
    for index in range(domains):
        sagemaker.create_domain(
            DomainName=f"team-{index:02d}",
            AuthMode="IAM",
            DefaultUserSettings={"ExecutionRole": default_role},
            SubnetIds=["subnet-0a1b2c3d"],
            VpcId="vpc-0a1b2c3d",
        )
    ids = [d["DomainId"] for d in sagemaker.list_domains()["Domains"]]
    for index in range(profiles):
        sagemaker.create_user_profile(
            DomainId=ids[index % len(ids)], UserProfileName=f"user-{index:05d}"
        )
    account.client("dynamodb").create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
    )


def _measure(counter: RequestCounter, what: str, work: Callable[[], object]) -> Cost:
    counter.reset()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    return Cost(what, seconds, counter.by_operation(("sagemaker", "dynamodb")))


def run_bench(domains: int, profiles: int) -> list[Cost]:
    with running_account() as account:
        _seed(account, domains, profiles)
        counter = count_requests(account)
        scope = ("aws", account.account_id, account.region)
        reader = SageMakerDirectoryReader(
            account.client("sagemaker"), "aws", account.region, account.account_id
        )

        def store() -> DynamoDbDirectoryStore:
            return DynamoDbDirectoryStore(
                account.client("dynamodb"),
                TABLE,
                partition=scope[0],
                account=scope[1],
                region=scope[2],
            )

        def full_read() -> object:
            directory = reader.read_all(time.time())
            store().save(directory)
            return directory

        costs = [
            _measure(counter, "full read from SageMaker (and the snapshot written)", full_read)
        ]

        def cold_start() -> object:
            return CachedDirectory(reader, 300, store=store()).get()

        costs.append(_measure(counter, "enforce cold start, shared snapshot", cold_start))
        warm = CachedDirectory(reader, 300, store=store())
        profile = "user-00007"
        domain_id = next(p.domain_id for p in warm.get().user_profiles if p.name == profile)
        change = DirectoryChange(
            DirectoryKind.USER_PROFILE, "Update", domain_id, profile, time.time()
        )
        costs.append(
            _measure(counter, "directory event (UpdateUserProfile)", lambda: warm.apply(change))
        )
        return costs


def _table(costs: Sequence[Cost], domains: int, profiles: int) -> Table:
    table = Table(title=f"Domain directory: {domains} domains, {profiles:,} profiles")
    for column in ("what", "calls", "of which", "wall s"):
        table.add_column(column, justify="left" if column in ("what", "of which") else "right")
    for cost in costs:
        top = ", ".join(
            f"{op} {n}" for op, n in sorted(cost.calls.items(), key=lambda x: -x[1])[:4]
        )
        table.add_row(cost.what, f"{cost.total:,}", top, f"{cost.seconds:.2f}")
    return table


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tag_enforcer_dev.bench_directory", description=__doc__
    )
    parser.add_argument("--domains", type=int, default=20)
    parser.add_argument("--profiles", type=int, default=2000)
    args = parser.parse_args(argv)
    costs = run_bench(args.domains, args.profiles)
    console = Console(width=max(Console().width, 110))
    console.print(_table(costs, args.domains, args.profiles))
    cold = costs[1]
    met = cold.total <= COLD_START_MAX_CALLS
    console.print(
        f"{'[green]met' if met else '[red]MISSED'}[/] an enforce cold start reads the directory "
        f"in {cold.total} call(s) (at most {COLD_START_MAX_CALLS}); a full read costs "
        f"{costs[0].total:,}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
