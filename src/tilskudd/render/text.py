"""Text laid out for a terminal column: wrapped at ordinary spaces only.

Amounts are formatted with non-breaking spaces (``3 300 000 kr``); rich would break a line at
those as at any other space. Text is therefore wrapped here, with :mod:`textwrap` (which breaks
only at ASCII whitespace and hyphens), to the width its column was given, and handed to rich as
lines that already fit.

Two things textwrap would split are kept whole as well: a token with a hyphen that is not an
ordinary hyphenated word (an id ``360G-cabinetoffice-GA-060679`` or ``KUL-ARK``, a file name, an
option ``--per-applicant-max``), and an amount written with ordinary spaces (``0 kr``,
``1 000 kr``, ``NOK 0``: the catalogues' words, the same in the files written, where the space is
wanted) or the old Norwegian way (``kr 3.300.000,-``, ``kr. 500,-``), as a note typed into a
sheet may have it.
"""

from __future__ import annotations

import re
import textwrap

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tilskudd.render.plain import plain_for

__all__ = ["grid", "lead_widths", "runs", "say", "wrap", "wrap_lines"]


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")
"""A hyphenated word of letters only (``Nord-Trøndelag``, ``tilskudds-ordning``): textwrap may
break it after a hyphen, unless it is in capitals only (:func:`_is_word`)."""

_EDGE = "\"'«»“”‘’()[]{}<>.,;:!?"
"""Marks a word may stand between or before (``«Nord-Trøndelag»,``) and still be a word."""

_NUMBER = r"(?:\d{1,3}(?:(?: \d{3})+|(?:\.\d{3})+)|\d+)(?:,\d+|,-)?"
"""A number as an amount writes it: digits, or groups of three after spaces or dots
(``3 300 000``, ``3.300.000``), then øre or ``,-`` for none."""

_AMOUNT = re.compile(
    # The lookahead first: most places in a text start none of the three, and are passed over
    # at one test rather than three (a third of the time of the search without it).
    r"(?=[\dA-ZKk])(?:"
    r"(?<![\w.,])" + _NUMBER + r" (?:kroner|krone|kr|[A-Z]{3})(?!\w)"
    r"|(?<![\w-])[A-Z]{3} \d+(?:[.,]\d+)*(?![\w])"
    r"|(?<![\w.-])[Kk]r\.? " + _NUMBER + r"(?![\w])"
    r")"
)
"""An amount with ordinary spaces in it: ``0 kr``, ``1 000 kr``, ``0 EUR``, ``NOK 0``, and one
written the old way, the krone sign first and ``,-`` for no øre: ``kr 3.300.000,-``,
``kr. 500,-``, ``kr 1 200 000,-`` (``3.300.000,- kr`` too)."""

_BREAKS = re.compile(r"[ \t\n\r\f\v]+")
"""Where textwrap may break a line: ASCII whitespace (str.split would break at a no-break space
as well)."""

_HOLD = "\ue000"
"""Stands in for an amount's ordinary space while the text is wrapped (a character of the
private use area: one column, no whitespace to textwrap)."""


def _is_word(token: str) -> bool:
    """Whether ``token`` (its marks around it stripped) is an ordinary hyphenated word.

    What is an id here: a token with a digit or an underscore in it (``S-01``, ``2009-035``,
    ``360G-cabinetoffice-GA-060679``, ``SP-G16-A07-03``), or one of letters whose letters are
    all capitals (``ABC-DEF``, ``KUL-ARK``), as codes are written (the README's ids and
    org-id.guide's list codes, ``GB-CHC``; a currency code is one only in capitals, ``ALL``
    and not ``all``). A word has a small letter in it: Norwegian writes a word after a hyphen
    in small letters (``IKT-fornying``, ``e-post``) or with a capital first (``Sør-Trøndelag``).
    """
    word = token.strip(_EDGE)
    return _WORD.fullmatch(word) is not None and not word.isupper()


def _hold_amounts(text: str) -> str:
    if _HOLD in text:
        return text
    return _AMOUNT.sub(lambda m: m.group().replace(" ", _HOLD), text)


def runs(text: str) -> list[str]:
    """The runs of ``text`` :func:`wrap` keeps on one line when they fit: its words (a
    hyphenated word counted whole), and an amount with ordinary spaces (``0 kr``) as one."""
    return [run.replace(_HOLD, " ") for run in _BREAKS.split(_hold_amounts(text)) if run]


class _Wrapper(textwrap.TextWrapper):
    """textwrap's wrapper, but a word longer than the line starts a line of its own before it is
    cut (textwrap fills the rest of the line with its first letters: ``hele det tilsk`` /
    ``uddsberettigede``), so that it is cut as little as the width allows; and a token that is
    not a hyphenated word is not broken at its hyphens (``360G-cabinetoffice-`` /
    ``GA-060679``)."""

    def _split(self, text: str) -> list[str]:
        split = super()._split(text)
        if "-" not in text:
            return split  # nothing to hold together (most text: a fifth of the time)
        chunks: list[str] = []
        word: list[str] = []
        for chunk in [*split, " "]:
            if not chunk.isspace():
                word.append(chunk)
                continue
            if len(word) > 1 and not _is_word("".join(word)):
                word = ["".join(word)]
            chunks.extend(word)
            chunks.append(chunk)
            word = []
        return chunks[:-1]

    def _handle_long_word(
        self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int
    ) -> None:
        if cur_line:
            return  # the line ends here; the word is cut at the start of the next
        super()._handle_long_word(reversed_chunks, cur_line, cur_len, width)


def wrap(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` characters, never split inside an amount or an id
    that fits in ``width``."""
    wrapper = _Wrapper(width=max(width, 1))
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(wrapper.wrap(_hold_amounts(paragraph)) or [""])
    return "\n".join(lines).replace(_HOLD, " ")


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
        lines.extend(wrapper.wrap(_hold_amounts(line)) or [""])
    return "\n".join(lines).replace(_HOLD, " ")


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
