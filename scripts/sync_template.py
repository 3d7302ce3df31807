"""Rewrite template.yaml's generated event-name lists from the registry (`make sync`)."""

from tag_enforcer_ops.template_file import TEMPLATE_PATH, sync_template

if __name__ == "__main__":
    changed = sync_template()
    print(f"{TEMPLATE_PATH.name}: {'updated' if changed else 'already in sync'}")
