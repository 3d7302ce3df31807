"""The operator CLI installs and runs on its runtime dependencies alone, without the dev tools.

A fresh venv of this interpreter gets the project with only the dependencies
pyproject.toml declares (no `dev` extra), at the versions requirements/dev.lock pins.
There moto cannot be imported, `sweep --help` and `explain --help` work, and `demo`
refuses in one line that names what is missing. It needs PyPI or pip's cache; without
either it is skipped, saying so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.project import PROJECT_ROOT

pytestmark = pytest.mark.integration

LOCK = PROJECT_ROOT / "requirements" / "dev.lock"
# What `pip install .` reads: the build configuration and the three package roots.
SOURCES = ("pyproject.toml", "README.md", "layers", "cli", "devtools")
TIMEOUT_SECONDS = 600


def _environment() -> dict[str, str]:
    """This process's environment, without whatever points Python at another venv."""
    hidden = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PIP_REQUIRE_VIRTUALENV")
    return {name: value for name, value in os.environ.items() if name not in hidden}


def _run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def _pins(freeze_output: str) -> dict[str, str]:
    """Distribution name (normalized as in PEP 503) -> version, from `pip freeze` output."""
    pins: dict[str, str] = {}
    for line in freeze_output.splitlines():
        name, separator, version = line.partition("==")
        if separator and not line.startswith("#"):
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version.strip()
    return pins


@pytest.fixture(scope="module")
def cli_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding the project and its runtime dependencies only; returns its bin/."""
    # A copy, so that building the wheel leaves no build/ or egg-info in the work tree.
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        origin = PROJECT_ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, source / name)
    venv = tmp_path_factory.mktemp("cli-venv")
    created = _run(sys.executable, "-m", "venv", venv)
    assert created.returncode == 0, created.stderr
    installed = _run(
        venv / "bin" / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",  # botocore's thousands of modules; the commands below import few
        "--constraint",
        LOCK,
        source,
    )
    if installed.returncode != 0:
        output = installed.stdout + installed.stderr
        # Every index lists pip itself: when this fails too, no index is reachable.
        probe = _run(venv / "bin" / "python", "-m", "pip", "index", "versions", "pip")
        if probe.returncode != 0:
            reason = " ".join((probe.stdout + probe.stderr).strip().splitlines()[-1:])
            pytest.skip(f"no package index reachable and pip's cache lacks a wheel: {reason}")
        pytest.fail(f"pip could not install the CLI:\n{output}")
    return venv / "bin"


def test_the_cli_venv_holds_the_runtime_dependencies_at_their_locked_versions(
    cli_venv: Path,
) -> None:
    # GIVEN the venv the CLI was installed into
    # WHEN its distributions are listed
    frozen = _run(cli_venv / "python", "-m", "pip", "freeze", "--exclude-editable")
    assert frozen.returncode == 0, frozen.stderr
    installed = {
        name: version
        for name, version in _pins(frozen.stdout).items()
        if name != "sagemaker-domain-tag-enforcer"
    }

    # THEN each is pinned in the lock at that version, and none of the dev extra is there
    pins = _pins(LOCK.read_text(encoding="utf-8"))
    assert {n: v for n, v in installed.items() if pins.get(n) != v} == {}
    assert {"boto3", "aws-lambda-powertools", "pydantic", "rich"} <= installed.keys()
    assert not {"moto", "aws-sam-translator", "pyyaml", "requests"} & installed.keys()


def test_moto_cannot_be_imported_there(cli_venv: Path) -> None:
    result = _run(cli_venv / "python", "-c", "import moto")
    assert result.returncode != 0
    assert "ModuleNotFoundError: No module named 'moto'" in result.stderr


@pytest.mark.parametrize("command", ["sweep", "explain"])
def test_the_operator_commands_print_their_usage(cli_venv: Path, command: str) -> None:
    # GIVEN the CLI without the dev tools
    # WHEN a command's help is asked for
    result = _run(cli_venv / "tag-enforcer", command, "--help")

    # THEN it exits 0 with its usage
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: tag-enforcer {command}")
    assert result.stderr == ""


def test_the_demo_refuses_in_one_line_naming_the_missing_dev_tools(cli_venv: Path) -> None:
    # GIVEN the CLI without the dev tools
    # WHEN the demo is started
    result = _run(cli_venv / "tag-enforcer", "demo")

    # THEN it exits 2 with one line that names the missing module and how to get it
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    named = re.fullmatch(
        r"tag-enforcer demo: the demo needs the development tools \((\S+) is missing\); "
        r"install them with: pip install 'sagemaker-domain-tag-enforcer\[dev\]'",
        lines[0],
    )
    assert named is not None, lines[0]
    # AND the module it names really is missing there
    probe = _run(cli_venv / "python", "-c", f"import {named.group(1)}")
    assert probe.returncode != 0
