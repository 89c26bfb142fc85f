"""The shape every reader produces: a table of raw cells with the header found and mapped.

Readers (one module per format) only turn a file into rows of raw cell values; finding the header
row and mapping its columns to tilskudd's fields is shared (:mod:`tilskudd.reading.columns`), and
turning cells into :class:`~tilskudd.models.Application` is :mod:`tilskudd.validation`'s job.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Final, NamedTuple, overload

from tilskudd.models import Issue

UNREAD_FORMULA: Final = "\x00"
"""The formula of an error cell in an .xls or .xlsb whose cached result is the error: a formula
failed there, but its text, kept in Excel's token form, is not decoded. (No formula in an .xlsx
or .ods holds this character, which XML cannot carry.)"""


class FormulaWithoutValue:
    """Stands for a cell without a usable value: a formula with no cached value (the file was
    never opened in Excel), or a cell whose value is an error such as ``#N/A`` (``error``; the
    formula that gave it, :data:`UNREAD_FORMULA` for one whose text is not read, or ``""`` for
    an error typed or pasted as a value), or (``recalc``) a
    formula in a workbook that asks to be recalculated when opened, whose saved value is a
    placeholder (xlsxwriter and openpyxl store 0)."""

    __slots__ = ("error", "formula", "recalc")

    def __init__(self, formula: str, error: str | None = None, *, recalc: bool = False) -> None:
        self.formula = formula
        self.error = error
        self.recalc = recalc

    def __repr__(self) -> str:
        if self.recalc:
            return f"FormulaWithoutValue({self.formula!r}, recalc=True)"
        if self.error is None:
            return f"FormulaWithoutValue({self.formula!r})"
        return f"FormulaWithoutValue({self.formula!r}, error={self.error!r})"


RawCell = (
    str
    | int
    | float
    | Decimal
    | bool
    | date
    | datetime
    | time
    | timedelta
    | FormulaWithoutValue
    | None
)


def is_empty(cell: RawCell) -> bool:
    """No value in the cell: nothing, or text of spaces only."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def column_letter(index: int) -> str:
    """0-based column index -> spreadsheet letters (0 -> 'A', 27 -> 'AB')."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class DataRows(Sequence[tuple[int, Sequence[RawCell]]]):
    """(row number, cells) pairs kept as two parallel lists, made into pairs as they are read.

    100k long-lived tuples in a heap of a million cells cost a full garbage collection pass
    (about 0.1 s); pairs made on the fly die young and cost nothing.
    """

    __slots__ = ("_cells", "_numbers")

    def __init__(self, numbers: Sequence[int], cells: Sequence[Sequence[RawCell]]) -> None:
        if len(numbers) != len(cells):
            raise ValueError("row numbers and rows differ in length")
        self._numbers = numbers
        self._cells = cells

    @property
    def numbers(self) -> Sequence[int]:
        """The 1-based row numbers, in order."""
        return self._numbers

    @property
    def cells(self) -> Sequence[Sequence[RawCell]]:
        """The rows' cells, in the same order as :attr:`numbers`."""
        return self._cells

    def __len__(self) -> int:
        return len(self._numbers)

    def __iter__(self) -> Iterator[tuple[int, Sequence[RawCell]]]:
        return zip(self._numbers, self._cells, strict=True)

    @overload
    def __getitem__(self, index: int) -> tuple[int, Sequence[RawCell]]: ...

    @overload
    def __getitem__(self, index: slice) -> DataRows: ...

    def __getitem__(self, index: int | slice) -> tuple[int, Sequence[RawCell]] | DataRows:
        if isinstance(index, slice):
            return DataRows(self._numbers[index], self._cells[index])
        return self._numbers[index], self._cells[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DataRows({list(self)!r})"


class CurrencyLine(NamedTuple):
    """A line above the header that gives the amounts' currency (``currency;EUR``)."""

    row: int
    """1-based row number."""
    key: str
    """Its first cell as written (``currency``, ``Valuta``)."""
    value: str
    """The currency as written (``EUR``, ``kr``)."""
    text: str
    """The line as the file has it, to quote: ``currency;EUR`` in a text file, with its own
    delimiter; a cell's ``Currency: GBP``; ``Valuta: SEK`` for two cells of a workbook."""


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
    """Problems found while reading the file: warnings (skipped totals rows, blank rows, a
    guessed encoding)."""
    row_errors: dict[int, Issue] = field(default_factory=dict)
    """1-based row -> the error that row could not be read cell for cell with (a CSV row with
    more fields than the header): :func:`~tilskudd.validation.validate` puts it on the row,
    rejecting it."""
    percent_cells: dict[int, set[int]] = field(default_factory=dict)
    """0-based column -> the (1-based) rows of its number cells formatted as a percentage, where
    the reader can tell (every workbook format; not CSV): such a cell shows 85 % and holds 0.85."""
    currency_line: CurrencyLine | None = None
    """The line above the header that gives the amounts' currency, if one does."""
    delimiter: str | None = None
    """The delimiter of a delimited text file (``;`` ``,`` or tab); None for a workbook. In a
    semicolon-separated file the decimal mark is the comma, so a dot groups thousands."""
