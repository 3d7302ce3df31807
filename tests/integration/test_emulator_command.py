"""`tag-enforcer emulator --seed`: serves the demo world on 127.0.0.1 until Ctrl-C, then stops;
the README's walkthrough, run as written against it, ends with a swept account and an
HTML report."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

from tests.support.project import PROJECT_ROOT

pytestmark = pytest.mark.integration

STARTUP_SECONDS = 60


def _readme_walkthrough() -> list[list[str]]:
    """The README's first CLI block: the commands run against the emulator, as arguments."""
    readme = (PROJECT_ROOT / "README.md").read_text()
    section = readme.split("## The operator CLI\n", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block is not None, "the README's CLI section has no walkthrough"
    commands = []
    for line in block[1].splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] == [".venv/bin/tag-enforcer"] and words[1] != "emulator":
            commands.append(words[1:])
    return commands


def test_the_emulator_serves_the_seeded_world_and_stops_cleanly_on_ctrl_c(
    tmp_path: Path,
) -> None:
    # GIVEN the emulator started as an operator would, in its own process
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "tag_enforcer_cli.cli", "emulator", "--seed"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        # WHEN it prints what to export
        exported: dict[str, str] = {}
        deadline = time.monotonic() + STARTUP_SECONDS
        assert process.stdout is not None
        while "AWS_SESSION_TOKEN" not in exported and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if line.strip().startswith("export "):
                key, _, value = line.strip().removeprefix("export ").partition("=")
                exported[key] = value
        endpoint = exported["AWS_ENDPOINT_URL"]
        assert endpoint.startswith("http://127.0.0.1:")

        # THEN a client pointed at it sees the demo's two domains
        sagemaker = boto3.client(
            "sagemaker",
            endpoint_url=endpoint,
            region_name=exported["AWS_REGION"],
            aws_access_key_id=exported["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=exported["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=exported["AWS_SESSION_TOKEN"],
        )
        names = sorted(d["DomainName"] for d in sagemaker.list_domains()["Domains"])
        assert names == ["finance-lob", "sustainability-research"]
        assert sagemaker.list_models()["Models"]

        # AND the README's walkthrough, run as written, sweeps it and writes the HTML report
        walkthrough = _readme_walkthrough()
        assert [words[0] for words in walkthrough] == ["sweep", "report"]
        for words in walkthrough:
            done = subprocess.run(
                [sys.executable, "-m", "tag_enforcer_cli.cli", *words],
                cwd=tmp_path,
                env={**environment, **exported},
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert done.returncode == 0, (words, done.stderr)
        page = (tmp_path / "compliance.html").read_text()
        counts = re.findall(r'<td class="cell" data-category="([a-z-]+)" data-count="(\d+)"', page)
        judged = {category for category, count in counts if int(count) > 0}
        assert {"to-tag", "flagged"} <= judged, counts

        # AND Ctrl-C stops it cleanly
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "emulator stopped" in out
    assert "Traceback" not in err
