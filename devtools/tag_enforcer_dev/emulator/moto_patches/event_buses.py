"""Event buses as EventBridge runs them across accounts, where moto 5.2.5 differs.

Three gaps, one module:

- `Ref` of an `AWS::Events::EventBus` is the bus's name (CloudFormation template
  reference, AWS::Events::EventBus, "Return values"); moto's CloudFormation hands the
  bus object itself to whatever refers to it, and a rule with `EventBusName: !Ref Bus`
  fails to deploy. Patched: the bus's physical id is its name.
- A rule whose target is another bus (another account's, here the central bus) makes
  moto build a new event from the source, detail-type and detail only, and put it as
  the *target* account's own: the envelope's account, region, time and resources are
  lost. EventBridge delivers the event itself to the other bus (EventBridge User Guide,
  "Sending and receiving events between AWS accounts"). Patched: the event goes to
  the target bus's rules as it was, with its own account and region.
- moto ignores the target bus's resource policy. EventBridge refuses an event from
  another account unless the receiving bus's policy allows that account (same guide).
  Patched: a cross-account delivery needs an Allow statement for events:PutEvents
  whose Principal is "*" or names the account, and whose conditions (only
  aws:PrincipalOrgID StringEquals is emulated; any other key refuses) hold for it.
  moto's CloudFormation does not create `AWS::Events::EventBusPolicy`, so
  `emulator.organization` puts the template's policy on the bus after deploying it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from moto.events.models import EventBus, Rule, events_backends
from moto.utilities.arns import parse_arn

from tag_enforcer_dev.emulator.moto_patches.sts_assume_role import organization_of

_original_send_to_targets = Rule.send_to_targets
# Events dropped by a bus policy, for tests: (sender account, target bus ARN).
REFUSED: list[tuple[str, str]] = []


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _is_bus(target: dict[str, Any]) -> bool:
    arn = parse_arn(target["Arn"])
    return bool(arn.service == "events" and arn.resource_type == "event-bus")


def bus_admits(bus: EventBus, sender: str) -> bool:
    """Whether the bus's policy lets `sender` put events on it (its own account always)."""
    if sender == bus.account_id:
        return True
    policy = json.loads(bus.policy) if bus.policy else {"Statement": []}
    for statement in _as_list(policy.get("Statement", [])):
        if statement.get("Effect") != "Allow":
            continue
        if "events:PutEvents" not in _as_list(statement.get("Action", [])):
            continue
        principal = statement.get("Principal")
        named = _as_list(principal.get("AWS", [])) if isinstance(principal, dict) else []
        if not (principal == "*" or sender in named or f"arn:aws:iam::{sender}:root" in named):
            continue
        holds = True
        for operator, block in (statement.get("Condition") or {}).items():
            for key, expected in block.items():
                if (
                    operator != "StringEquals"
                    or key.lower() != "aws:principalorgid"
                    or organization_of(sender) not in _as_list(expected)
                ):
                    holds = False
        if holds:
            return True
    return False


def _send_to_targets(self: Rule, original_event: Any, transform_input: bool = True) -> None:
    buses = [t for t in self.targets if _is_bus(t)]
    if not buses:
        _original_send_to_targets(self, original_event, transform_input)
        return
    others = [t for t in self.targets if not _is_bus(t)]
    if others:
        self.targets = others
        try:
            _original_send_to_targets(self, original_event, transform_input)
        finally:
            self.targets = [*others, *buses]
    if not self.event_pattern.matches_event(original_event):
        return
    for target in buses:
        arn = parse_arn(target["Arn"])
        bus = events_backends[arn.account][arn.region].describe_event_bus(arn.resource_id)
        sender = str(original_event.get("account") or self.account_id)
        if not bus_admits(bus, sender):
            REFUSED.append((sender, target["Arn"]))
            continue
        for rule in list(bus.rules.values()):
            rule.send_to_targets(copy.deepcopy(original_event), transform_input)


def install() -> None:
    """Idempotent: bus names for Ref, and cross-account bus targets as EventBridge runs them."""
    EventBus.physical_resource_id = property(lambda bus: bus.name)  # type: ignore[attr-defined]
    Rule.send_to_targets = _send_to_targets  # type: ignore[method-assign]
