"""Rewrite docs/resource-types.md's table from the registry (`make sync`).

Only the text between `<!-- covered-types:start -->` and `<!-- covered-types:end -->`
changes. `--check` exits non-zero when the page is stale instead of writing it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tag_enforcer.core import registry
from tag_enforcer.core.registry.schema import ListEnumeration, ResourceType, SearchEnumeration

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TYPES_PAGE = PROJECT_ROOT / "docs" / "resource-types.md"
START_MARKER = "<!-- covered-types:start -->"
END_MARKER = "<!-- covered-types:end -->"


def _enumeration(resource_type: ResourceType) -> str:
    enumeration = resource_type.enumeration
    if isinstance(enumeration, SearchEnumeration):
        return f"Search `{enumeration.search_resource}`"
    if isinstance(enumeration, ListEnumeration):
        text = f"`{enumeration.operation}`"
        if enumeration.within is not None:
            text += f" per {enumeration.within.parent_type}"
        if not resource_type.iam_actions_published:
            text += (
                " (not swept: IAM has no such action yet,"
                " see [IAM](iam.md#types-iam-does-not-know-yet))"
            )
        return text
    return "none"


def _parents(resource_type: ResourceType) -> str:
    links = [(link.parent_type, link.request_field) for link in resource_type.lineage]
    scope = resource_type.studio_scope
    if scope is not None:
        links += [
            (parent, field)
            for parent, field in (
                ("Domain", scope.domain_id_field),
                ("UserProfile", scope.user_profile_field),
                ("Space", scope.space_field),
            )
            if field
        ]
    fields_by_parent: dict[str, list[str]] = {}
    for parent, field in links:
        fields_by_parent.setdefault(parent, []).append(f"`{field}`")
    return (
        ", ".join(f"{parent} ({', '.join(fields)})" for parent, fields in fields_by_parent.items())
        or "-"
    )


def render_table() -> str:
    types = registry.RESOURCE_TYPES
    lines = [
        f"{len(types)} resource types, {len(registry.create_event_names())} create events. "
        "Generated from `tag_enforcer.core.registry` by `make sync`.",
        "",
        "| Type | Create event | ARN segment | Enumeration | Lineage parents (field naming them) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for resource_type in types:
        events = ", ".join(f"`{name}`" for name in resource_type.create_operations)
        lines.append(
            f"| {resource_type.name} | {events} | `{resource_type.arn_segment}` "
            f"| {_enumeration(resource_type)} | {_parents(resource_type)} |"
        )
    return "\n".join(lines)


def render_page(text: str) -> str:
    """The page's text with the covered-types block rewritten from the registry."""
    start, end = text.find(START_MARKER), text.find(END_MARKER)
    if start < 0 or end < start:
        raise ValueError(f"{TYPES_PAGE.name} needs {START_MARKER} followed by {END_MARKER}")
    head = text[: start + len(START_MARKER)]
    return f"{head}\n{render_table()}\n{text[end:]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail instead of writing")
    arguments = parser.parse_args(argv)
    before = TYPES_PAGE.read_text()
    after = render_page(before)
    if arguments.check:
        if after != before:
            print("docs/resource-types.md is stale: run make sync")
            return 1
        return 0
    if after != before:
        TYPES_PAGE.write_text(after)
    print(f"docs/resource-types.md: {'updated' if after != before else 'already in sync'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
