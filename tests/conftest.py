"""Shared by every test depth: the sample-event loader and fake AWS credentials."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

EVENTS_DIR = Path(__file__).resolve().parents[1] / "events"


def load_event(name: str) -> dict[str, Any]:
    """`load_event("create/CreateTrainingJob")`: a sample event from `events/`, as a dict."""
    return json.loads((EVENTS_DIR / name).with_suffix(".json").read_text(encoding="utf-8"))


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


@pytest.fixture
def sample_event() -> Any:
    """`load_event` as a fixture: conftest modules are not importable from test modules."""
    return load_event
