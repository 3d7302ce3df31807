"""The runtime package's floor plan, held by its imports (docs/architecture.md, "Rooms").

- `core` imports nothing above it;
- `enforce` and `sweep` import `core` and never each other, nor `aws` or `wiring`;
- only `aws` imports boto3 or botocore;
- only `wiring` (and the function handlers above it) builds adapters from `aws`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "layers" / "enforcer" / "tag_enforcer"
ROOMS = ("core", "enforce", "sweep", "aws", "wiring")
# What each room may import from the package, besides itself.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "enforce": {"core"},
    "sweep": {"core"},
    "aws": {"core", "enforce", "sweep"},  # adapters implement the services' ports
    "wiring": {"core", "enforce", "sweep", "aws"},
}
AWS_SDK = ("boto3", "botocore")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
            # `from tag_enforcer import core` names a room too
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _room(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else "(top)"


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_lives_in_a_room() -> None:
    strays = [str(p.relative_to(PACKAGE)) for p in MODULES if _room(p) not in ROOMS]
    assert strays == ["__init__.py"], f"modules outside the rooms {ROOMS}: {strays}"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_the_rooms_below_it(module: Path) -> None:
    room = _room(module)
    if room == "(top)":
        return
    reached = {
        name.split(".")[1]
        for name in _imports(module)
        if name.startswith("tag_enforcer.") and name.split(".")[1] in ROOMS
    }
    forbidden = reached - ALLOWED[room] - {room}
    assert not forbidden, f"{room}/{module.name} imports {sorted(forbidden)}"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_aws_room_imports_the_aws_sdk(module: Path) -> None:
    if _room(module) == "aws":
        return
    sdk = sorted({n for n in _imports(module) if n.split(".")[0] in AWS_SDK})
    assert not sdk, f"{module.relative_to(PACKAGE)} imports {sdk}; only tag_enforcer.aws may"


def test_the_rule_catches_a_forbidden_import(tmp_path: Path) -> None:
    # The check above must be able to fail: an enforce module that imports the sweep.
    offender = tmp_path / "offender.py"
    offender.write_text("from tag_enforcer.sweep.service import SweepService\nimport boto3\n")
    names = _imports(offender)
    assert "tag_enforcer.sweep.service" in names
    assert "boto3" in names
