"""The shared sample events in `events/`, one realistic CloudTrail event per create call."""

from __future__ import annotations

import json
from typing import Any

from tests.support.project import EVENTS_DIR


def load_event(name: str) -> dict[str, Any]:
    """`load_event("create/CreateTrainingJob")`: a sample event from `events/`, as a dict."""
    event: dict[str, Any] = json.loads(
        (EVENTS_DIR / name).with_suffix(".json").read_text(encoding="utf-8")
    )
    return event
