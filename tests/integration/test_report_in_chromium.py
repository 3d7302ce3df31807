"""The compliance report as a browser shows it: headless Chromium renders the page, and its
DOM holds the heat-map cells, the bars and the findings; the screenshot has the window's size."""

from __future__ import annotations

import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tag_enforcer_dev.report_screenshot import (
    WINDOW,
    chromium_binary,
    chromium_command,
    demo_world_report,
)

pytestmark = pytest.mark.integration

BINARY = chromium_binary()
needs_chromium = pytest.mark.skipif(
    BINARY is None,
    reason="chromium is not installed and could not be (make test runs apt-get install chromium "
    "as root); the HTML itself is checked by tests/unit/sweep/test_compliance_report.py",
)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_world_report(tmp_path_factory.mktemp("report"))


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.heat_cells: list[str] = []
        self.bars: list[tuple[str, str]] = []
        self.findings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "td" and "data-category" in found:
            self.heat_cells.append(str(found["data-category"]))
        if tag == "rect" and found.get("class") == "bar":
            self.bars.append((str(found["data-domain"]), str(found["data-category"])))
        if tag == "article" and found.get("class") == "finding":
            self.findings.append(str(found["data-reason"]))


@needs_chromium
def test_chromium_renders_the_heat_map_the_bars_and_the_findings(
    page: Path, tmp_path: Path
) -> None:
    # WHEN Chromium loads the page and prints its DOM
    assert BINARY is not None
    done = subprocess.run(
        chromium_command(BINARY, page, tmp_path / "profile"),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    # THEN the rendered document holds every part of the report
    dom = _Dom()
    dom.feed(done.stdout)
    assert {"tagged", "trusted-unverified", "to-tag", "flagged", "unavailable"} <= set(
        dom.heat_cells
    )
    assert ("d-finance-lob", "to-tag") in dom.bars
    assert any(domain == "no domain" for domain, _ in dom.bars)
    assert "mismatch" in dom.findings  # the spoofed endpoint config, caught by --verify-tagged
    assert "unattributable" in dom.findings
    assert "Change since the previous report" in done.stdout


@needs_chromium
def test_the_screenshot_has_the_windows_size(page: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    assert BINARY is not None
    subprocess.run(
        chromium_command(BINARY, page, tmp_path / "profile", screenshot=png),
        capture_output=True,
        timeout=120,
        check=True,
    )
    data = png.read_bytes()
    # PNG signature, then the IHDR chunk: width and height (PNG specification, 11.2.2).
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == WINDOW
    assert len(data) > 50_000  # a page with tables and bars, not a blank window
