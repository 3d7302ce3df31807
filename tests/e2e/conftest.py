"""Fixtures that deploy template.yaml into a fresh emulated account."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tag_enforcer_dev.emulator.account import running_account
from tag_enforcer_dev.emulator.deploy import Deployment, deploy


@pytest.fixture(scope="module")
def tag_mode_deployment() -> Iterator[Deployment]:
    with running_account() as account:
        yield Deployment(account, deploy(account, parameters={"EnforcementMode": "tag"}))


@pytest.fixture(scope="module")
def audit_mode_deployment() -> Iterator[Deployment]:
    with running_account() as account:
        yield Deployment(account, deploy(account, parameters={"EnforcementMode": "audit"}))
