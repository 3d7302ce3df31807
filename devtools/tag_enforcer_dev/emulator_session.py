"""`tag-enforcer emulator`: the emulated account as a server for other terminals.

Starts the extended moto server on 127.0.0.1 (`EmulatedAccount`), optionally seeds the
demo's world (two domains, their profiles and a space, resources made inside and
outside Studio, a spoofed tag, legacy resources), prints what to export in another
terminal, and serves until Ctrl-C (or SIGTERM). Nothing talks to AWS.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import TextIO

from tag_enforcer.core.tags import DOMAIN_TAG
from tag_enforcer_dev.demo_sweep import create_legacy_resources
from tag_enforcer_dev.emulator.account import EmulatedAccount, pointed_at
from tag_enforcer_dev.scenario import play_blog_scenario, set_up_domains


def seed_sample_world(account: EmulatedAccount) -> str:
    """The demo's world in the account; a one-line description of it."""
    scenario = set_up_domains(account)
    steps = play_blog_scenario(scenario)
    legacy = create_legacy_resources(scenario)
    sagemaker = account.client("sagemaker")
    made = [s.resource_arn for s in steps if s.resource_arn] + list(legacy.values())
    tagged = sum(
        1
        for arn in made
        if any(t["Key"] == DOMAIN_TAG for t in sagemaker.list_tags(ResourceArn=arn)["Tags"])
    )
    domains = (scenario.finance, scenario.sustainability)
    profiles = sum(len(d.profiles) for d in domains)
    return (
        f"seeded: 2 domains ({', '.join(d.domain_id for d in domains)}), {profiles} user "
        f"profiles, {len(made)} resources ({tagged} with a domain tag, {len(made) - tagged} "
        "without)"
    )


def environment_lines(account: EmulatedAccount) -> list[str]:
    return [f"export {key}={value}" for key, value in sorted(account.environment.items())]


def serve(
    *,
    seed: bool,
    port: int,
    out: TextIO,
    wait: Callable[[threading.Event], None] | None = None,
) -> int:
    """Run the emulated account until interrupted; 0 after a clean stop."""
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    account = EmulatedAccount(port=port).start()
    try:
        print(
            f"Emulated AWS account {account.account_id} ({account.region}) on "
            f"{account.endpoint_url}: moto with this project's extensions; no AWS account "
            "is used.",
            file=out,
        )
        if seed:
            with pointed_at(account):
                print(seed_sample_world(account), file=out)
        print("In another terminal, point the CLI at it:", file=out)
        for line in environment_lines(account):
            print(f"  {line}", file=out)
        print("  .venv/bin/tag-enforcer sweep --dry-run --report report.html", file=out)
        print("Ctrl-C stops the emulator (its resources are forgotten).", file=out, flush=True)
        (wait or _wait_until_set)(stop)
    finally:
        account.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("emulator stopped", file=out, flush=True)
    return 0


def _wait_until_set(stop: threading.Event) -> None:
    # A timeout lets the main thread run the signal handler promptly on every platform.
    while not stop.wait(0.5):
        pass
