"""Every change the emulated account makes to moto 5.2.5, installed through one door.

`install_all()` is idempotent and is called from one place, `EmulatedAccount.start()`
(and from `in_process_moto()` for tests that run moto in-process with `mock_aws`).
Each module fills one gap, listed with its cause in docs/emulator.md, "Known gaps":

* `sagemaker_studio` - user profiles, spaces, apps, UpdateDomain; AddTags overwrites;
  ValidationException for unknown ARNs; Studio ARNs in the Resource Groups Tagging API.
* `event_patterns` - rule patterns reach fields inside arrays of objects.
* `search_pagination` - Search pages of at most MaxResults records, with NextToken.
* `sweep_listing` - the List calls the sweep needs that moto lacks, paginated.
* `stepfunctions_lambda` - the ASL executor's Lambda tasks run on in-process handlers,
  and its retry waits take no time.
* `sts_assume_role` - AssumeRole refuses a missing role and a trust policy that does not
  allow the caller (the organization emulation).
* `event_buses` - Ref of a bus is its name; a rule targeting another account's bus
  delivers the event itself, and only when that bus's policy admits the sender.
"""

from __future__ import annotations

from tag_enforcer_dev.emulator.moto_patches import (
    event_buses,
    event_patterns,
    sagemaker_studio,
    search_pagination,
    stepfunctions_lambda,
    sts_assume_role,
    sweep_listing,
)


def install_all() -> None:
    """Install every patch; safe to call more than once."""
    sagemaker_studio.install()
    event_patterns.install()
    search_pagination.install()
    sweep_listing.install()
    stepfunctions_lambda.install()
    sts_assume_role.install()
    event_buses.install()
