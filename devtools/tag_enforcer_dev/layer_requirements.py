"""The Lambda layer's requirements: the runtime's dependencies at exactly the locked versions.

The Lambda python3.13 runtime bundles its own boto3, often releases behind the one the
tests run against; the sweep calls SageMaker operations only a few botocore releases
old. So the layer ships boto3 and botocore too, and every package the runtime needs is
pinned to requirements/dev.lock: `make sync` writes layers/enforcer/requirements.txt
from here, a unit test fails when it drifts, and `make sam-build` checks the built
layer's installed versions against the lock.

    python -m tag_enforcer_dev.layer_requirements --check-built .aws-sam/build/EnforcerLayer
"""

from __future__ import annotations

import argparse
import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOCK = PROJECT_ROOT / "requirements" / "dev.lock"
LAYER_REQUIREMENTS = PROJECT_ROOT / "layers" / "enforcer" / "requirements.txt"
# What the runtime package imports (pyproject.toml [project] dependencies, minus the CLI's
# rich): the layer's roots, with the extras it uses.
LAYER_ROOTS = ("boto3", "botocore", "aws-lambda-powertools[tracer]", "pydantic")
HEADER = (
    "# Shipped in the Lambda layer, each at the version in requirements/dev.lock, boto3 and\n"
    "# botocore included (the runtime's bundled copy lags). Written by `make sync`\n"
    "# (tag_enforcer_dev.layer_requirements); do not edit by hand.\n"
)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions(lock: Path = LOCK) -> dict[str, str]:
    pins: dict[str, str] = {}
    for raw in lock.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[_normal(name)] = version.strip()
    return pins


def runtime_closure(roots: tuple[str, ...] = LAYER_ROOTS) -> dict[str, set[str]]:
    """Every distribution the roots need (name -> extras asked for), from installed metadata."""
    wanted: dict[str, set[str]] = {}
    pending = [Requirement(root) for root in roots]
    while pending:
        requirement = pending.pop()
        name = _normal(requirement.name)
        extras = set(requirement.extras)
        if name in wanted and extras <= wanted[name]:
            continue
        wanted.setdefault(name, set()).update(extras)
        for text in metadata.requires(requirement.name) or []:
            child = Requirement(text)
            environment = {"extra": ""}
            if child.marker is not None and not any(
                child.marker.evaluate({**environment, "extra": extra})
                for extra in (wanted[name] or {""})
            ):
                continue
            pending.append(child)
    return wanted


def render(lock: Path = LOCK) -> str:
    pins = locked_versions(lock)
    lines = []
    for name, extras in sorted(runtime_closure().items()):
        if name not in pins:
            raise SystemExit(f"{name} is a layer dependency but not in {lock.name}")
        suffix = f"[{','.join(sorted(extras))}]" if extras else ""
        lines.append(f"{name}{suffix}=={pins[name]}\n")
    return HEADER + "".join(lines)


def check_built(build_dir: Path, lock: Path = LOCK) -> list[str]:
    """Differences between the versions installed in a built layer and the lock."""
    site = build_dir / "python"
    pins = locked_versions(lock)
    found = {
        _normal(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions(path=[str(site)])
    }
    problems = []
    for name in runtime_closure():
        if name not in found:
            problems.append(f"{name} is missing from the built layer")
        elif found[name] != pins[name]:
            problems.append(f"{name} {found[name]} in the layer, {pins[name]} in the lock")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check-built", type=Path, metavar="LAYER_BUILD_DIR")
    arguments = parser.parse_args(argv)
    if arguments.check_built is not None:
        problems = check_built(arguments.check_built)
        for problem in problems:
            print(f"layer: {problem}", file=sys.stderr)
        if not problems:
            print(f"layer: every package at its locked version ({arguments.check_built})")
        return 1 if problems else 0
    text = render()
    changed = LAYER_REQUIREMENTS.read_text() != text
    if changed:
        LAYER_REQUIREMENTS.write_text(text)
    print(f"{LAYER_REQUIREMENTS.name}: {'updated' if changed else 'already in sync'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
