"""Shared by every test depth: fake AWS credentials, and how Hypothesis draws its examples."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

# `make test` (and a plain pytest run) draws the same examples on every run, so a red
# build is never bad luck and a failure replays as it was; `make fuzz` loads "fuzz"
# (--hypothesis-profile=fuzz) and draws new ones each time. Hypothesis's own "ci"
# profile is the model for "repeatable" (hypothesis/_settings.py).
settings.register_profile(
    "repeatable",
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("fuzz", deadline=None, print_blob=True)
settings.load_profile("repeatable")


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials that can sign nothing real, and no profile that could point at an account."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SAGEMAKER"):
        monkeypatch.delenv(name, raising=False)
