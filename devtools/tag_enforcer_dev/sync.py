"""`make sync`: rewrite what is generated from the registry (template lists, the member
template, the types table)."""

from __future__ import annotations

from tag_enforcer_dev import covered_types, layer_requirements, member_template
from tag_enforcer_dev.template_file import TEMPLATE_PATH, sync_template


def main() -> int:
    changed = sync_template()
    print(f"{TEMPLATE_PATH.name}: {'updated' if changed else 'already in sync'}")
    # After template.yaml: the member template copies its rules and its member-side grants.
    member_template.main([])
    layer_requirements.main([])
    return covered_types.main([])


if __name__ == "__main__":
    raise SystemExit(main())
