"""`make scan`'s inputs: the translated template, and the sweep state machine's definition.

    python -m tag_enforcer_dev.scan_inputs .aws-sam/scan

writes `translated.json` (template.yaml as SAM expands it, for checkov and cfn-lint,
which read the generated roles and the schedule only there), and `sweep.asl.json` and
`organization-sweep.asl.json` (the two state machines' definitions as Step Functions
receives them, every DefinitionSubstitution replaced by what CloudFormation would make
of it in a sample account, for asl-validator).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from tag_enforcer_dev.template_policies import render
from tag_enforcer_dev.translated_template import translated_template

STATE_MACHINE = "SweepStateMachine"
# Each state machine and the file its definition is written to.
STATE_MACHINES = {
    STATE_MACHINE: "sweep.asl.json",
    "OrganizationSweepStateMachine": "organization-sweep.asl.json",
}
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")


class UnresolvedDefinitionError(ValueError):
    """A ${...} is left in the definition: a substitution without a value, or a typo."""


def state_machine_definition(
    template: dict[str, Any], state_machine: str = STATE_MACHINE
) -> dict[str, Any]:
    """The state machine's definition with its substitutions applied."""
    properties = template["Resources"][state_machine]["Properties"]
    # SAM writes the definition as lines joined by Fn::Join, with no intrinsic inside.
    separator, lines = properties["DefinitionString"]["Fn::Join"]
    text: str = separator.join(lines)
    for name, value in properties.get("DefinitionSubstitutions", {}).items():
        (rendered,) = render(value, template)
        text = text.replace(f"${{{name}}}", rendered)
    left = sorted(set(_PLACEHOLDER.findall(text)))
    if left:
        raise UnresolvedDefinitionError(
            f"{state_machine}'s definition still holds {', '.join(left)}: add each to its "
            "DefinitionSubstitutions, or fix the name"
        )
    definition: dict[str, Any] = json.loads(text)
    return definition


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tag_enforcer_dev.scan_inputs OUTPUT_DIRECTORY", file=sys.stderr)
        return 2
    output = Path(argv[0])
    output.mkdir(parents=True, exist_ok=True)
    template = translated_template()
    (output / "translated.json").write_text(json.dumps(template, indent=1) + "\n")
    for state_machine, file_name in STATE_MACHINES.items():
        try:
            definition = state_machine_definition(template, state_machine)
        except UnresolvedDefinitionError as error:
            print(f"scan inputs: {error}", file=sys.stderr)
            return 1
        (output / file_name).write_text(json.dumps(definition, indent=1) + "\n")
    written = ", ".join(["translated.json", *STATE_MACHINES.values()])
    print(f"scan inputs written to {output}/ ({written})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
