"""Where the project's files are, wherever a test module sits in the tests tree."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EVENTS_DIR = PROJECT_ROOT / "events"
FUNCTIONS_DIR = PROJECT_ROOT / "functions"
