"""README's Configuration table names every template parameter with its default."""

from __future__ import annotations

import re

from tag_enforcer_dev.template_file import PROJECT_ROOT, load_template


def _configuration_rows() -> dict[str, str]:
    readme = (PROJECT_ROOT / "README.md").read_text()
    match = re.search(r"^## Configuration\n(?P<body>.*?)(?=^## )", readme, re.M | re.S)
    assert match is not None, "README.md needs a '## Configuration' section"
    rows = re.findall(r"^\| `(?P<name>\w+)` \| (?P<default>[^|]*) \|", match["body"], re.M)
    return {name: default.strip() for name, default in rows}


def _shown(default: object) -> str:
    if default in ("", None):
        return "empty"
    return str(default)


def test_every_parameter_is_documented_with_its_default() -> None:
    parameters = load_template()["Parameters"]
    rows = _configuration_rows()

    missing = sorted(set(parameters) - set(rows))
    assert not missing, f"README Configuration does not document {missing}"
    unknown = sorted(set(rows) - set(parameters))
    assert not unknown, f"README Configuration documents parameters the template lacks: {unknown}"
    for name, parameter in parameters.items():
        assert rows[name].strip("`") == _shown(parameter.get("Default")), (
            f"{name}: README says {rows[name]}, the template's default is "
            f"{parameter.get('Default')!r}"
        )
