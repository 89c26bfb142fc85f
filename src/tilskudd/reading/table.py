"""The shape every reader produces: a table of raw cells with the header found and mapped.

Readers (one module per format) only turn a file into rows of raw cell values; finding the header
row and mapping its columns to tilskudd's fields is shared (:mod:`tilskudd.reading.columns`), and
turning cells into :class:`~tilskudd.models.Application` is :mod:`tilskudd.validation`'s job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from tilskudd.models import Issue


class FormulaWithoutValue:
    """Stands for a formula cell that has no cached value (the file was never opened in Excel)."""

    __slots__ = ("formula",)

    def __init__(self, formula: str) -> None:
        self.formula = formula

    def __repr__(self) -> str:
        return f"FormulaWithoutValue({self.formula!r})"


RawCell = (
    str | int | float | Decimal | bool | date | datetime | time | timedelta | FormulaWithoutValue | None
)


def column_letter(index: int) -> str:
    """0-based column index -> spreadsheet letters (0 -> 'A', 27 -> 'AB')."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class RawTable:
    """One sheet's applications as raw cells, with the header row found and its columns mapped."""

    file: str
    """The file's name as the user gave it (used in messages)."""
    sheet: str | None
    """Sheet name; None for CSV."""
    header_row: int
    """1-based row number of the header row."""
    headers: list[str]
    """Header text of every column, as in the file ('' for an empty header cell)."""
    fields: dict[str, int]
    """tilskudd field name -> 0-based column index."""
    extra: dict[str, int]
    """Header text -> 0-based column index, for columns tilskudd does not know (carried through)."""
    rows: Sequence[tuple[int, Sequence[RawCell]]]
    """(1-based row number, cells) for every data row below the header, blank rows removed."""
    issues: list[Issue] = field(default_factory=list)
    """Problems found while reading (skipped totals rows, blank rows, formulas without values)."""
