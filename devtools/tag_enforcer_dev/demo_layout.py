"""The demo's tables, fitted to the terminal: a table from 120 columns, one block per row below.

The width is the console's (which honours COLUMNS). Long words, ARNs above all, are
shortened in the middle with an ellipsis to fit their column, so nothing is ever broken
inside a word and no line is wider than the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

# Below this many columns the tables stack: one decision per block.
TABLE_MIN_WIDTH = 120
ELLIPSIS = "…"


@dataclass(frozen=True)
class Cell:
    text: str
    style: str = ""


def shorten_middle(word: str, limit: int) -> str:
    """`word` if it fits in `limit` characters, else its start and end around an ellipsis.

    >>> shorten_middle("arn:aws:sagemaker:us-east-1:123456789012:model/scorer", 24)
    'arn:aws:sage…odel/scorer'
    >>> shorten_middle("short", 24)
    'short'
    """
    if len(word) <= limit:
        return word
    if limit <= 1:
        return ELLIPSIS[:limit]
    head = limit // 2
    tail = limit - 1 - head
    return word[:head] + ELLIPSIS + (word[-tail:] if tail else "")


def fit_words(text: str, limit: int) -> str:
    """Every word of every line shortened to `limit`; the spaces between them kept."""
    return "\n".join(
        " ".join(shorten_middle(word, limit) for word in line.split(" "))
        for line in text.split("\n")
    )


def _cell(value: Cell | str) -> Cell:
    return value if isinstance(value, Cell) else Cell(value)


def fitted(
    title: str,
    headings: Sequence[str],
    rows: Sequence[Sequence[Cell | str]],
    width: int,
) -> RenderableType:
    """A table when `width` allows it, else the rows stacked as blocks of "heading  value"."""
    if width >= TABLE_MIN_WIDTH:
        return _table(title, headings, rows, width)
    return _stacked(title, headings, rows, width)


def _table(
    title: str, headings: Sequence[str], rows: Sequence[Sequence[Cell | str]], width: int
) -> Table:
    # Each column gets at least `budget` characters (borders and padding take 3 a column),
    # and no word is longer than that, so rich only ever wraps between words.
    budget = max(8, (width - 1) // len(headings) - 3)
    table = Table(title=title, show_lines=True, expand=True, title_justify="left")
    for heading in headings:
        table.add_column(heading, overflow="fold", min_width=budget)
    for row in rows:
        cells = [_cell(v) for v in row]
        table.add_row(*(Text(fit_words(c.text, budget), style=c.style) for c in cells))
    return table


def _stacked(
    title: str, headings: Sequence[str], rows: Sequence[Sequence[Cell | str]], width: int
) -> Group:
    label_width = max(len(h) for h in headings[1:]) if len(headings) > 1 else 0
    value_width = max(8, width - label_width - 2)
    parts: list[RenderableType] = [Text(fit_words(title, width), style="bold")]
    for row in rows:
        cells = [_cell(v) for v in row]
        first = cells[0]
        header = fit_words(f"{headings[0]}: {first.text}".replace("\n", " · "), width - 6)
        parts.append(Rule(Text(header, style="bold"), align="left"))
        block = Table.grid(padding=(0, 1))
        block.add_column(no_wrap=True, width=label_width, style="dim")
        block.add_column(overflow="fold", width=value_width)
        for heading, cell in zip(headings[1:], cells[1:], strict=True):
            block.add_row(heading, Text(fit_words(cell.text, value_width), style=cell.style))
        parts.append(block)
    return Group(*parts)


def key_values(title: str, values: dict[str, object], width: int) -> Group:
    """One document (an alert body) as "key  value" lines, values fitted like the tables."""
    label_width = min(max((len(k) for k in values), default=0), width // 3)
    value_width = max(8, width - label_width - 1)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, width=label_width, style="bold")
    grid.add_column(overflow="fold", width=value_width)
    for key, value in values.items():
        text = value if isinstance(value, str) else _compact(value)
        grid.add_row(shorten_middle(key, label_width), fit_words(text, value_width))
    return Group(Rule(Text(fit_words(title, width - 6)), align="left"), grid)


def _compact(value: object) -> str:
    import json  # noqa: PLC0415 - only for the rare non-text value

    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_compact(v)}" for k, v in value.items()) or "-"
    if isinstance(value, list):
        return "\n".join(_compact(v) for v in value) or "-"
    return json.dumps(value)
