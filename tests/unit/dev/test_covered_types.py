"""docs/resource-types.md's table is generated from the registry and must not go stale."""

from __future__ import annotations

import re
from types import ModuleType

import pytest

from tag_enforcer.core import registry
from tag_enforcer_dev import covered_types
from tests.support.project import PROJECT_ROOT


def load_renderer() -> ModuleType:
    return covered_types


def test_the_checked_in_table_matches_the_registry() -> None:
    # GIVEN the page as checked in
    renderer = load_renderer()
    page = (PROJECT_ROOT / "docs" / "resource-types.md").read_text()

    # WHEN the table is rendered from the registry
    rendered = renderer.render_page(page)

    # THEN nothing changes; run `make sync` if it does
    assert rendered == page


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
    # GIVEN a page with text around the markers
    renderer = load_renderer()
    text = (
        "# Title\n\nbefore\n<!-- covered-types:start -->\nold table\n"
        "<!-- covered-types:end -->\nafter\n"
    )

    # WHEN it is rendered
    rendered = renderer.render_page(text)

    # THEN the text outside the markers is unchanged and the old table is gone
    assert rendered.startswith("# Title\n\nbefore\n<!-- covered-types:start -->\n")
    assert rendered.endswith("<!-- covered-types:end -->\nafter\n")
    assert "old table" not in rendered


def test_missing_markers_are_an_error() -> None:
    # GIVEN a page without the markers
    # WHEN it is rendered
    # THEN the error says which markers to add
    with pytest.raises(ValueError, match="covered-types:start"):
        load_renderer().render_page("# Title\n")


def test_the_readme_counts_the_event_names_and_types_the_registry_has() -> None:
    # GIVEN the README's opening list, which says how many create events are caught
    readme = (PROJECT_ROOT / "README.md").read_text()
    claimed = re.search(r"\((\d+) event names of (\d+)\s+\[resource types\]", readme)
    assert claimed is not None, "README.md no longer says how many create events it catches"

    # THEN the numbers are the registry's
    assert (int(claimed[1]), int(claimed[2])) == (
        len(registry.create_event_names()),
        len(registry.RESOURCE_TYPES),
    )
