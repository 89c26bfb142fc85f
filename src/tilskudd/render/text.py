"""Text laid out for a terminal column: wrapped at ordinary spaces only.

Amounts are formatted with non-breaking spaces (``3 300 000 kr``); rich would break a line at
those as at any other space. Text is therefore wrapped here, with :mod:`textwrap` (which breaks
only at ASCII whitespace and hyphens), to the width its column was given, and handed to rich as
lines that already fit.
"""

from __future__ import annotations

import textwrap

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tilskudd.render.plain import plain_for

__all__ = ["grid", "lead_widths", "say", "wrap", "wrap_lines"]


class _Wrapper(textwrap.TextWrapper):
    """textwrap's wrapper, but a word longer than the line starts a line of its own before it is
    cut (textwrap fills the rest of the line with its first letters: ``hele det tilsk`` /
    ``uddsberettigede``), so that it is cut as little as the width allows."""

    def _handle_long_word(
        self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int
    ) -> None:
        if cur_line:
            return  # the line ends here; the word is cut at the start of the next
        super()._handle_long_word(reversed_chunks, cur_line, cur_len, width)


def wrap(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` characters, never split inside an amount that
    fits in ``width``."""
    wrapper = _Wrapper(width=max(width, 1))
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(wrapper.wrap(paragraph) or [""])
    return "\n".join(lines)


def say(console: Console, text: str, *, style: str = "") -> None:
    """Print a line of prose on ``console``, wrapped here at ordinary spaces: rich would break
    it at the non-breaking space inside a number ("3 351 søknader lest: 3" at the end of a
    line, "242 gyldige" at the start of the next)."""
    console.print(Text(wrap(plain_for(console)(text), console.width), style=style))


def wrap_lines(text: str, width: int) -> str:
    """:func:`wrap` for text whose lines are indented (``  requested 60 000 kr · ...``): each
    line wrapped on its own, its continuation lines indented as it is."""
    lines: list[str] = []
    for line in text.splitlines() or [""]:
        indent = line[: len(line) - len(line.lstrip(" "))]
        wrapper = _Wrapper(width=max(width, len(indent) + 1), subsequent_indent=indent)
        lines.extend(wrapper.wrap(line) or [""])
    return "\n".join(lines)


def lead_widths(rows: list[list[Text]], caps: list[int | None]) -> list[int]:
    """Widths for all but the last column: each as wide as its widest cell, at most its cap."""
    widths = []
    for index, cap in enumerate(caps):
        widest = max((cell_len(r[index].plain) for r in rows), default=0)
        widths.append(min(widest, cap) if cap else widest)
    return widths


def grid(rows: list[list[Text]], width: int, *, lead: list[int], min_last: int = 20) -> Table:
    """A borderless table, columns two spaces apart: the first ones ``lead`` wide, the last
    taking the room left of ``width`` (at least ``min_last``); cells too wide are wrapped."""
    last = max(width - sum(lead) - 2 * len(lead), min_last)
    widths = [*lead, last]
    table = Table.grid(padding=(0, 2))
    for column_width in widths:
        table.add_column(width=column_width, overflow="fold")
    for row in rows:
        cells = []
        for cell, column_width in zip(row, widths, strict=True):
            laid = cell
            if cell_len(cell.plain) > column_width:
                laid = Text(wrap(cell.plain, column_width), style=cell.style)
            cells.append(laid)
        table.add_row(*cells)
    return table
