"""The compliance report of the demo's world, and headless Chromium's view of it.

    python -m tag_enforcer_dev.report_screenshot docs/images/compliance-report.png

seeds the emulated account as `tag-enforcer emulator --seed` does, runs two dry-run
sweeps through the CLI (the second with --verify-tagged, compared with the first),
and takes the README's screenshot with the same Chromium command the browser test
runs (`chromium_command`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tag_enforcer_cli import cli
from tag_enforcer_dev.emulator.account import running_account
from tag_enforcer_dev.emulator_session import seed_sample_world

WINDOW = (1400, 1000)


def chromium_binary() -> str | None:
    """Debian's `chromium` (make test installs it), or another name for the same browser."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_command(
    binary: str, page: Path, user_data_dir: Path, *, screenshot: Path | None = None
) -> list[str]:
    """Headless, sandbox off (root in a container), nothing fetched in the background.

    With `screenshot` the page is captured at WINDOW; without, the DOM is printed
    (--dump-dom) after the page has loaded.
    """
    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={user_data_dir}",
    ]
    if screenshot is not None:
        command += [f"--screenshot={screenshot}", f"--window-size={WINDOW[0]},{WINDOW[1]}"]
    else:
        command += ["--dump-dom"]
    return [*command, page.resolve().as_uri()]


def demo_world_report(folder: Path) -> Path:
    """The HTML report of the seeded world, compared with a first sweep; its path."""
    first, second = folder / "first.json", folder / "report.html"
    with running_account() as account:
        seed_sample_world(account)
        # The seeded resources are seconds old: no lag window, or none would be judged.
        base = ["sweep", "--dry-run", "--quiet", "--lag-window", "0"]
        if cli.main([*base, "--report", str(first)]) != 0:
            raise RuntimeError("the first sweep of the demo world failed")
        verify = [*base, "--verify-tagged", "--previous", str(first), "--report", str(second)]
        if cli.main(verify) != 0:
            raise RuntimeError("the verifying sweep of the demo world failed")
    return second


def screenshot(page: Path, png: Path) -> None:
    binary = chromium_binary()
    if binary is None:
        raise SystemExit("chromium is not installed (make test installs Debian's chromium)")
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        subprocess.run(
            chromium_command(binary, page, Path(profile), screenshot=png.resolve()),
            check=True,
            capture_output=True,
            timeout=120,
        )


def main(argv: list[str]) -> int:
    target = Path(argv[0] if argv else "docs/images/compliance-report.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="compliance-report-") as folder:
        screenshot(demo_world_report(Path(folder)), target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
