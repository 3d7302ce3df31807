"""`make bench`: the organization case, 3 member accounts x 2 regions, calls counted.

    python -m tag_enforcer_dev.bench_organization [--events 50] [--legacy 30]

The central stack (template.yaml, organization mode, SweepRegions of both regions) and
member-template.yaml in every member and region are deployed on an emulated
Organization. Each account x region makes `--events` resources in the usual mix
(emulator/bulk_events.py) whose events go member bus -> central bus -> enforce queue ->
the central function, through the member roles. API calls are counted where the
emulated accounts receive them (emulator/request_counter.py):

- the enforce path with warm credentials: one event per account x region first (the
  cold start: AssumeRole, directory read), then the counted events;
- the organization sweep over every account x region, with `--legacy` untagged
  resources more in each (made with no event), as calls per resource swept.

Exit status 1 when a target is missed: at most 2 SageMaker calls per event on the warm
enforce path (DESIGN.md, "Scale"), at most one AssumeRole per member account while its
credentials last (an hour), and every resource tagged as expected.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

from tag_enforcer_dev.emulator.account import running_account
from tag_enforcer_dev.emulator.bulk_events import (
    PlannedResource,
    ResourceFactory,
    TagReader,
    queue_depths,
    set_up_team,
)
from tag_enforcer_dev.emulator.organization import (
    MEMBER_ROLE_NAME,
    AccountView,
    EmulatedOrganization,
    OrganizationPipeline,
    organization_sweep,
)
from tag_enforcer_dev.emulator.request_counter import count_requests

MEMBERS = ("ml-research", "ml-platform", "ml-sandbox")
REGIONS = ("us-east-1", "eu-west-1")
MAX_SAGEMAKER_CALLS_PER_EVENT = 2.0
MAX_ASSUME_ROLE_PER_ACCOUNT = 1
MEMBER_ROLE_SUFFIX = f":role/{MEMBER_ROLE_NAME}"
Scope = tuple[str, str]  # (member name, region)


def _deliver(
    pipeline: OrganizationPipeline,
    batches: dict[Scope, list[PlannedResource]],
    views: dict[Scope, AccountView],
) -> None:
    for scope, planned in batches.items():
        for start in range(0, len(planned), 100):
            pipeline.publish(
                [p.event for p in planned[start : start + 100]], on_bus_of=views[scope]
            )
            pipeline.drain_with_redelivery()
            pipeline.function.log_lines.clear()


def _assumed_per_role(pipeline: OrganizationPipeline) -> dict[str, int]:
    """AssumeRole calls the enforce function made, per role ARN (`AssumedRoles.assumed`)."""
    module = pipeline.function.module
    roles = getattr(getattr(module, "services", None), "_assumed_roles", None)
    return dict(getattr(roles, "assumed", {}) or {})


def run(events: int, legacy: int) -> int:
    print(
        f"Deploying the central stack and member-template.yaml into {len(MEMBERS)} member "
        f"accounts x {len(REGIONS)} regions of an emulated Organization ..."
    )
    with running_account(REGIONS[0]) as central:
        organization = EmulatedOrganization.create(central, MEMBERS)
        stack = organization.deploy_central(
            {"EnforcementMode": "tag", "SweepRegions": ",".join(REGIONS)}
        )
        organization.deploy_members(stack, regions=REGIONS)
        views = {
            (m.name, region): AccountView(
                region=region, account_id=m.account_id, endpoint_url=central.endpoint_url
            )
            for m in organization.members
            for region in REGIONS
        }
        factories = {
            scope: ResourceFactory(set_up_team(view, f"team-{scope[1]}"), f"bench-{scope[1]}")
            for scope, view in views.items()
        }
        warm_up = {scope: f.create_mix(1) for scope, f in factories.items()}
        measured = {scope: f.create_mix(events) for scope, f in factories.items()}
        pipeline = OrganizationPipeline(organization, stack)
        pipeline.close()  # the decision collector would hold every event's log record
        counter = count_requests(central)

        _deliver(pipeline, warm_up, views)
        cold = counter.by_operation(["sagemaker", "sts"])
        counter.reset()
        _deliver(pipeline, measured, views)
        warm = counter.by_operation(["sagemaker", "sts"])
        assumed = _assumed_per_role(pipeline)
        depths = queue_depths(central, pipeline)

        wrong = {
            scope: TagReader(views[scope]).mismatches(planned)
            for scope, planned in measured.items()
        }
        wrong = {scope: found for scope, found in wrong.items() if found}
        for factory in factories.values():
            factory.create_mix(legacy)
        sweep = organization_sweep(organization, stack)
        counter.reset()
        execution = sweep.start()
        sweep_calls = counter.by_operation(["sagemaker", "tagging", "sts"])
        bucket, key = execution.output["report"].removeprefix("s3://").split("/", 1)
        report: dict[str, Any] = json.loads(
            central.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
        )

    return _print_results(
        Measured(events, cold, warm, assumed, depths, wrong, report, sweep_calls, len(views))
    )


@dataclass(frozen=True)
class Measured:
    events: int  # per account x region
    cold: dict[str, int]
    warm: dict[str, int]
    assumed: dict[str, int]  # role ARN -> AssumeRole calls of the enforce function
    depths: dict[str, int]
    wrong: dict[Scope, dict[str, dict[str, str]]]
    report: dict[str, Any]
    sweep_calls: dict[str, int]
    scopes: int


def _print_results(m: Measured) -> int:
    counted = m.events * m.scopes
    warm_sagemaker = sum(n for op, n in m.warm.items() if op != "AssumeRole")
    per_event = warm_sagemaker / counted
    member_roles = {a: n for a, n in m.assumed.items() if a.endswith(MEMBER_ROLE_SUFFIX)}
    swept = int(m.report["counts"]["total"])
    sweep_total = sum(m.sweep_calls.values())
    by_status = Counter(s["status"] for s in m.report["sections"])
    cold_sagemaker = sum(m.cold.values()) - m.cold.get("AssumeRole", 0)
    print()
    print(f"accounts x regions          {len(MEMBERS)} x {len(REGIONS)} = {m.scopes}")
    print(
        f"cold start                  one event per account x region: "
        f"{m.cold.get('AssumeRole', 0)} AssumeRole, SageMaker {cold_sagemaker} calls "
        f"(directory reads included): {m.cold}"
    )
    print(
        f"enforce, warm credentials   {counted:,} events: SageMaker {warm_sagemaker:,} = "
        f"{per_event:.2f} per event, AssumeRole {m.warm.get('AssumeRole', 0)}: {m.warm}"
    )
    print(
        f"AssumeRole per member role  {sorted(member_roles.values())} (at most "
        f"{MAX_ASSUME_ROLE_PER_ACCOUNT} per account while its credentials last: 1 h; the "
        f"Organizations read role {len(m.assumed) - len(member_roles)}, for account names)"
    )
    print(
        f"organization sweep          {swept:,} resources in {len(m.report['sections'])} "
        f"sections ({dict(by_status)}): {sweep_total:,} calls = "
        f"{sweep_total / max(swept, 1):.3f} per resource, {sweep_total / m.scopes:,.0f} per "
        "account x region (one List or Search page per type at least, whatever it holds)"
    )
    print(f"sweep calls by operation    {m.sweep_calls}")
    print(f"left on the queues          {m.depths}; resources with wrong tags: {len(m.wrong)}")
    missed = []
    if per_event > MAX_SAGEMAKER_CALLS_PER_EVENT:
        missed.append(
            f"{per_event:.2f} SageMaker calls per event > {MAX_SAGEMAKER_CALLS_PER_EVENT}"
        )
    if max(member_roles.values(), default=0) > MAX_ASSUME_ROLE_PER_ACCOUNT or len(
        member_roles
    ) != len(MEMBERS):
        missed.append(f"AssumeRole per member account: {member_roles}")
    if m.wrong or m.depths != {"queue": 0, "dlq": 0} or by_status.get("finished", 0) != m.scopes:
        missed.append("resources left wrong, records left queued, or sections not finished")
    for line in missed:
        print(f"target missed: {line}")
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50, help="events per account x region")
    parser.add_argument(
        "--legacy", type=int, default=30, help="untagged resources per account x region"
    )
    args = parser.parse_args(argv)
    return run(args.events, args.legacy)


if __name__ == "__main__":
    sys.exit(main())
