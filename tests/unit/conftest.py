"""Unit tests run with the network blocked, in the two-domain Studio world, on fakes.

The world and the fakes live in tests/support (`studio`, `ports`); these fixtures only
build them.
"""

from __future__ import annotations

import pytest

from tests.support.ports import FakeAlerts, FakeDirectory, FakeTags
from tests.support.studio import Studio, build_studio


@pytest.fixture(autouse=True)
def _no_network(socket_disabled: None) -> None:
    """pytest-socket: any socket a unit test opens raises, so nothing can reach AWS."""


@pytest.fixture
def studio() -> Studio:
    return build_studio()


@pytest.fixture
def fake_tags() -> FakeTags:
    return FakeTags()


@pytest.fixture
def fake_alerts() -> FakeAlerts:
    return FakeAlerts()


@pytest.fixture
def fake_directory(studio: Studio) -> FakeDirectory:
    return FakeDirectory(studio.directory)
