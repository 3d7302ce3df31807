"""README.md's covered-types table is generated from the registry and must not go stale."""

from __future__ import annotations

from types import ModuleType

import pytest

from tag_enforcer.core import registry
from tag_enforcer_dev import covered_types
from tests.support.project import PROJECT_ROOT


def load_renderer() -> ModuleType:
    return covered_types


def test_readme_table_matches_the_registry() -> None:
    # GIVEN the README as checked in
    renderer = load_renderer()
    readme = (PROJECT_ROOT / "README.md").read_text()

    # WHEN the table is rendered from the registry
    rendered = renderer.render_readme(readme)

    # THEN nothing changes; run `make sync` if it does
    assert rendered == readme


def test_table_has_one_row_per_resource_type() -> None:
    # GIVEN the rendered table
    table = load_renderer().render_table()

    # WHEN its data rows are counted
    rows = [line for line in table.splitlines() if line.startswith("| ") and "`" in line]

    # THEN every registry entry has exactly one row
    assert len(rows) == len(registry.RESOURCE_TYPES)
    for resource_type in registry.RESOURCE_TYPES:
        assert sum(row.startswith(f"| {resource_type.name} |") for row in rows) == 1


def test_rendering_touches_only_the_marked_block() -> None:
    # GIVEN a README with text around the markers
    renderer = load_renderer()
    text = (
        "# Title\n\nbefore\n<!-- covered-types:start -->\nold table\n"
        "<!-- covered-types:end -->\nafter\n"
    )

    # WHEN it is rendered
    rendered = renderer.render_readme(text)

    # THEN the text outside the markers is unchanged and the old table is gone
    assert rendered.startswith("# Title\n\nbefore\n<!-- covered-types:start -->\n")
    assert rendered.endswith("<!-- covered-types:end -->\nafter\n")
    assert "old table" not in rendered


def test_missing_markers_are_an_error() -> None:
    # GIVEN a README without the markers
    # WHEN it is rendered
    # THEN the error says which markers to add
    with pytest.raises(ValueError, match="covered-types:start"):
        load_renderer().render_readme("# Title\n")
