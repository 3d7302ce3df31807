"""Read template.yaml (CloudFormation short-form tags included); keep its registry lists in sync."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from tag_enforcer.core import registry
from tag_enforcer.core.tags import ENFORCED_TAG_KEYS
from tag_enforcer.enforce.inspection import inspection_describe_operations
from tag_enforcer_dev.create_rules import create_event_name_chunks
from tag_enforcer_dev.sweep_permissions import sweep_describe_actions, sweep_list_actions

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = PROJECT_ROOT / "template.yaml"

# Generated lists in template.yaml, each between "# <marker>:start" and "# <marker>:end":
# registry:* from the registry itself, sweep:* from what the sweep calls
# (tag_enforcer_dev.sweep_permissions). `make sync` writes them all.


def directory_only_event_names() -> list[str]:
    """Directory events the create rule does not already deliver."""
    return sorted(set(registry.DIRECTORY_EVENT_NAMES) - set(registry.create_event_names()))


def inspect_describe_actions() -> list[str]:
    """IAM actions of the Describe calls tag-integrity checks make."""
    return sorted(f"sagemaker:{op}" for op in inspection_describe_operations())


# The create event names are generated too, split over the create rules by
# tag_enforcer_dev.create_rules (EventBridge's pattern size limit).
GENERATED_LISTS: dict[str, Callable[[], list[str]]] = {
    "registry:directory-event-names": directory_only_event_names,
    "registry:inspect-describe-actions": inspect_describe_actions,
    "registry:association-event-names": lambda: list(registry.ASSOCIATION_EVENT_NAMES),
    "registry:enforced-tag-keys": lambda: list(ENFORCED_TAG_KEYS),
    "sweep:list-actions": sweep_list_actions,
    "sweep:describe-actions": sweep_describe_actions,
}


class _CloudFormationLoader(yaml.SafeLoader):
    """Turns `!Ref X` into {"Ref": "X"}, `!Condition C` into {"Condition": "C"} and `!Sub s`
    into {"Fn::Sub": s}, like CloudFormation."""


def _construct_intrinsic(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Any:
    # `!Condition C` (a condition inside Fn::And, Fn::Or, Fn::Not) is {"Condition": "C"}
    # (CloudFormation template reference, "Condition functions"), not Fn::Condition.
    name = tag_suffix if tag_suffix in ("Ref", "Condition") else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if tag_suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CloudFormationLoader.add_multi_constructor("!", _construct_intrinsic)


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    document: dict[str, Any] = yaml.load(path.read_text(), Loader=_CloudFormationLoader)
    return document


def render_generated_lists(
    text: str, lists: Mapping[str, Callable[[], list[str]]] = GENERATED_LISTS
) -> str:
    """The template text with every generated list rewritten from its source."""
    template = yaml.load(text, Loader=_CloudFormationLoader)
    chunks = create_event_name_chunks(text, template, registry.create_event_names())
    every: dict[str, Callable[[], list[str]]] = {
        **{marker: partial(list, names) for marker, names in chunks.items()},
        **lists,
    }
    for marker, values in every.items():
        pattern = re.compile(
            rf"(?P<indent>[ ]*)(?P<start># {re.escape(marker)}:start[^\n]*\n)(?P<body>.*?)"
            rf"(?P=indent)(?P<end># {re.escape(marker)}:end)",
            re.DOTALL,
        )
        # A list may appear more than once (the enforced keys in both roles).
        text, count = pattern.subn(partial(_block, values()), text)
        if count == 0:
            raise ValueError(f"template.yaml has no '# {marker}:start' ... ':end' block")
    return text


def _block(values: list[str], match: re.Match[str]) -> str:
    indent = match["indent"]
    body = "".join(f"{indent}- {value}\n" for value in values)
    return f"{indent}{match['start']}{body}{indent}{match['end']}"


def sync_template(path: Path = TEMPLATE_PATH) -> bool:
    """Rewrite the generated lists in place; True when the file changed."""
    before = path.read_text()
    after = render_generated_lists(before)
    if after != before:
        path.write_text(after)
    return after != before
