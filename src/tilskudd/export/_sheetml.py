"""A small streaming SpreadsheetML (.xlsx) writer: string building and a zip, nothing else.

Why it exists: the award workbook for 100 000 applications took 25-31 s with openpyxl's
write-only mode and 13 s with xlsxwriter; almost all of it is per-cell object work in the
libraries. This writer turns a row into its XML in one step and streams it into the zip entry,
so the cost is that of building the text and deflating it (``benchmarks/bench_export.py``).

What it writes (every part modelled on what xlsxwriter emits, since Excel opens those cleanly):

- ``[Content_Types].xml``, ``_rels/.rels``, ``docProps/core.xml`` and ``docProps/app.xml``
  (the tool as creator and application), ``xl/workbook.xml`` with the defined names
  (``_xlnm.Print_Titles``, and the hidden ``_xlnm._FilterDatabase`` Excel writes beside an
  autofilter), ``xl/_rels/workbook.xml.rels``, a fixed ``xl/styles.xml`` (:class:`Style`) and
  one ``xl/worksheets/sheetN.xml`` per sheet. No theme part: the fonts name Calibri outright.
- A sheet's elements in the order of the CT_Worksheet schema (ECMA-376 Part 1, 18.3.1.99):
  ``sheetPr`` (fit to the page's width), ``sheetViews`` (frozen header rows),
  ``sheetFormatPr``, ``cols`` (widths), ``sheetData`` (streamed), ``autoFilter`` (its range is
  known only at the end, and the schema puts it after the data anyway), ``pageMargins``,
  ``pageSetup`` (A4, every column on one page's width, as many pages down as it takes) and
  ``headerFooter`` (the workbook's footer, :func:`footer`). There is no ``dimension`` element
  (optional; it would have to come before the rows): openpyxl's write-only mode leaves it out
  too.

Cells: text as inline strings (``t="inlineStr"``), whole numbers, :class:`~decimal.Decimal`,
float (display ratios), bool, date-times (Excel's serial number in UTC with
:data:`TIME_FORMAT`, see :func:`utc_time`), dates (the serial number of the day, with
:data:`DATE_FORMAT`, see :func:`calendar_date`), empty (``None`` and ``""`` write no cell) and
:class:`Formula`.
Every cell and row carries its reference (``r="C12"``) as Excel writes it; some readers need it.
Text is never a formula: only a :class:`Formula` value writes an ``<f>`` element, and text that
starts with one of :data:`FORMULA_STARTS` gets the quote prefix (``quotePrefix="1"``), so
Excel keeps it text even when someone edits the cell. Text is made XML-safe as
:func:`safe_text` says, escaped, and Excel's own ``_xHHHH_`` escape is applied to text that
looks like one (``_x0041_`` is written ``_x005F_x0041_``; Excel and calamine show the original,
openpyxl shows the escape as written).

Measured choices (100 000 award rows, 19 columns, about 110 MB of sheet XML;
``benchmarks/bench_export.py``):

- Inline strings, not a shared-string table: the table would hold every distinct text in memory
  until the end (memory growing with the round), and it made the file no smaller after
  deflate (15.1 against 15.0 MB) while costing a dictionary lookup per text cell.
- Rows are turned into XML by a function made once per pattern of cell types and styles (see
  :func:`_compile_row`): one f-string per row, 0.49 s for 100 000 rows against 0.69 s for a
  loop over the cells with the same checks. The text of the row is checked in one pass for
  anything that needs care (``&``, ``<``, ``>``, ``_x``, a formula start, whitespace at an
  end, tab or carriage return, an overlong text, a non-finite number); such a row goes
  through the careful per-cell path instead. Control characters are caught in the encoded
  bytes of each block of :data:`BLOCK_ROWS` rows, so memory stays flat whatever the number
  of rows.
- Deflate level 1 (:data:`COMPRESS_LEVEL`): the whole award workbook in 2.1 s and 14.1 MB,
  against 2.5 s and 12.5 MB at level 3 and 3.2 s and 10.8 MB at level 6.
- Deflating, CRCs and file writes on a second thread, in blocks of 2 MiB, with the zip written
  by :mod:`tilskudd.export._zipstream`: the whole award workbook for 100 000 applications in
  1.6-1.7 s instead of 1.8-2.0 s through zipfile (back to back, a second core free).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import IntEnum
from pathlib import Path
from typing import IO, Any, Final

from tilskudd.export._zipstream import ZipStream
from tilskudd.reading.table import column_letter

__all__ = [
    "BLOCK_ROWS",
    "COMPRESS_LEVEL",
    "DATE_FORMAT",
    "FOOTER_MAX",
    "FORMULA_STARTS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "TIED_RANK_FORMAT",
    "TIME_FORMAT",
    "CellValue",
    "Formula",
    "Sheet",
    "Style",
    "Workbook",
    "calendar_date",
    "column_letter",
    "footer",
    "footer_parts",
    "safe_text",
    "utc_time",
]

MAX_ROWS: Final = 1_048_576
"""Excel's row limit per sheet."""
MAX_COLUMNS: Final = 16_384
"""Excel's column limit per sheet (XFD)."""
MAX_CELL_CHARS: Final = 32_767
"""Excel's limit on the characters in one cell, counted as UTF-16 code units."""
COMPRESS_LEVEL: Final = 1
"""zlib level for every part: level 1 deflates sheet XML about 7:1 in a third of level 6's time."""
BLOCK_ROWS: Final = 512
"""Rows turned into text, encoded and written to the zip at a time."""

TIME_FORMAT: Final = "yyyy-mm-dd hh:mm:ss"
"""How a date-time cell shows (:attr:`Style.DATETIME`), in every workbook the tool writes."""

DATE_FORMAT: Final = "yyyy-mm-dd"
"""How a date cell shows (:attr:`Style.DATE`): a day, written as the date-times are."""

TIED_RANK_FORMAT: Final = '0"="'
"""How a tied rank shows (:attr:`Style.TIED_RANK`): the number and the tie mark after it."""

FOOTER_MAX: Final = 255
"""Excel's limit on the characters of a header or footer, its codes included."""

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""OWASP's list of first characters that make a spreadsheet read text as a formula."""

# XML 1.0 cannot carry these (C0 controls other than tab, newline and carriage return, lone
# surrogates, U+FFFE and U+FFFF). They are replaced, not dropped, so a reader can see something
# was there.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Text that Excel would read as its own escape of a character: its underscore is escaped.
_LOOKS_ESCAPED = re.compile("_(x[0-9A-Fa-f]{4}_)")
# Bytes to delete to keep only those that need repair in encoded XML: the C0 controls other
# than tab and newline (the markup has neither of the others).
_NOT_CONTROL = bytes(range(0x20, 0x100)) + b"\t\n"
_XML_SPACE = (" ", "\t", "\n", "\r")
_PAGE_MARGINS = (  # Excel's "Normal" margins, as xlsxwriter writes them
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
)
# Every sheet prints on A4 (paper size 9), all its columns on one page's width and as many pages
# down as it takes (fitToHeight 0); fitToPage in sheetPr turns the fitting on.
_FIT_TO_PAGE = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
_PAGE_SETUP = '<pageSetup paperSize="9" fitToWidth="1" fitToHeight="0"{orientation}/>'
_DateTime = tuple[int, int, int, int, int, int]
_MAX_PATTERNS = 200  # row functions compiled per workbook (the award workbook makes about 30)

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006"
_CT = "application/vnd.openxmlformats-"
_CT_SHEET = "officedocument.spreadsheetml.worksheet+xml"
_PART_TYPES = {
    "docProps/app.xml": f"{_CT}officedocument.extended-properties+xml",
    "docProps/core.xml": f"{_CT}package.core-properties+xml",
    "xl/styles.xml": f"{_CT}officedocument.spreadsheetml.styles+xml",
    "xl/workbook.xml": f"{_CT}officedocument.spreadsheetml.sheet.main+xml",
}


def _repaired(text: str) -> str:
    """``text`` with XML-illegal characters replaced by U+FFFD; a vertical tab, the line break
    inside a cell of a CSV that Excel for Mac wrote, becomes the line break a cell holds."""
    return _ILLEGAL.sub("\ufffd", text.replace("\x0b", "\n"))


def safe_text(value: str) -> str:
    """Text a cell can hold: XML-illegal characters repaired (:func:`_repaired`), cut at
    Excel's limit (:data:`MAX_CELL_CHARS` UTF-16 code units: an emoji counts as two)."""
    if _ILLEGAL.search(value):
        value = _repaired(value)
    if len(value) > MAX_CELL_CHARS // 2:  # shorter text is within the limit, however written
        units = value.encode("utf-16-le")
        if len(units) > 2 * MAX_CELL_CHARS:
            # "ignore" drops half a surrogate pair left at the cut.
            value = units[: 2 * (MAX_CELL_CHARS - 1)].decode("utf-16-le", "ignore") + "…"
    return value


class Style(IntEnum):
    """The fixed cell styles of every workbook this writer makes (``xl/styles.xml``).

    Each has a twin with Excel's quote prefix at ``style + len(Style)``, which the writer gives
    by itself to text that starts with one of :data:`FORMULA_STARTS`.
    """

    DEFAULT = 0
    HEADER = 1
    """Bold on a light blue-grey fill (DDE4EE), wrapping, aligned to the top."""
    TITLE = 2
    """Bold, 14 point."""
    BOLD = 3
    AMOUNT = 4
    """``#,##0``: whole kroner with the reader's own digit grouping (built-in format 3)."""
    PERCENT = 5
    """``0.0%``."""
    RATIO = 6
    """``0.00`` (built-in format 2)."""
    PERCENT_WHOLE = 7
    """``0%`` (built-in format 9)."""
    PERCENT_2 = 8
    """``0.00%`` (built-in format 10)."""
    RATIO_3 = 9
    """``0.000`` (a Gini coefficient, in the comparison workbook)."""
    DATETIME = 10
    """:data:`TIME_FORMAT`: a recorded time in UTC; a date-time cell gets it by default."""
    DATE = 11
    """:data:`DATE_FORMAT`: a day (the date a change was decided); a date cell gets it by
    default."""
    TIED_RANK = 12
    """:data:`TIED_RANK_FORMAT`: a rank shared by a tie, shown ``8=`` as the CSV and terminal
    show it, while the cell stays the number 8 for sorting and filtering."""
    WRAP = 13
    """Wrapping, aligned to the top: prose that must be read whole on screen and on paper (a
    summary sentence, a reason, an explanation), however wide its column."""


_QUOTED = len(Style)

# Per style: number format id, font id, fill id, alignment (xlsxwriter's attribute layout).
_XF: dict[Style, tuple[int, int, int, str]] = {
    Style.DEFAULT: (0, 0, 0, ""),
    Style.HEADER: (0, 1, 2, '<alignment vertical="top" wrapText="1"/>'),
    Style.TITLE: (0, 2, 0, ""),
    Style.BOLD: (0, 1, 0, ""),
    Style.AMOUNT: (3, 0, 0, ""),
    Style.PERCENT: (164, 0, 0, ""),
    Style.RATIO: (2, 0, 0, ""),
    Style.PERCENT_WHOLE: (9, 0, 0, ""),
    Style.PERCENT_2: (10, 0, 0, ""),
    Style.RATIO_3: (165, 0, 0, ""),
    Style.DATETIME: (166, 0, 0, ""),
    Style.DATE: (167, 0, 0, ""),
    Style.TIED_RANK: (168, 0, 0, ""),
    Style.WRAP: (0, 0, 0, '<alignment vertical="top" wrapText="1"/>'),
}


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula cell: the only way this writer makes one (text never becomes a formula).

    ``text`` with or without the leading ``=``; ``value`` is the result readers that do not
    calculate show (Excel recalculates on opening).
    """

    text: str
    value: int | float | None = None


CellValue = str | int | float | Decimal | bool | datetime | date | Formula | None
"""What a cell can hold."""

_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 in the 1900 date system, as openpyxl counts


def utc_time(value: Any) -> Any:
    """A recorded time (ISO 8601 text or a datetime) as an Excel date-time in UTC, which keeps
    no time zone; anything that does not read as a time stays as it was."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def calendar_date(value: Any) -> Any:
    """A recorded date (ISO 8601 text, ``2009-10-12``) as a date an Excel cell holds as a day
    (:data:`DATE_FORMAT`), to sort and filter by; anything that does not read as one stays as
    it was (``None`` is an empty cell)."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def footer_parts(left: str | None, right: str) -> tuple[str | None, str]:
    """The left and right parts of :func:`footer`: ``left`` as Excel's codes for plain text
    (``&`` doubled, line breaks made spaces, cut with ``…`` so that the whole footer keeps
    within :data:`FOOTER_MAX`), or None without one; ``right`` as given."""
    text = " ".join(safe_text(left or "").split())
    if not text:
        return None, right
    room = FOOTER_MAX - len(f"&L&R{right}")
    kept = text.replace("&", "&&")
    if len(kept) > room:
        kept = ""
        for char in text:
            piece = "&&" if char == "&" else char
            if len(kept) + len(piece) + 1 > room:
                break
            kept += piece
        kept += "…"
    return kept, right


def footer(left: str | None, right: str) -> str:
    """A printed page's footer in Excel's codes: ``left`` as plain text on the left
    (:func:`footer_parts`), ``right`` on the right as given, with Excel's codes in it
    (``Side &P av &N``: the page and the pages)."""
    text, code = footer_parts(left, right)
    return f"&R{code}" if text is None else f"&L{text}&R{code}"


def _serial(value: datetime) -> str:
    """A date-time as Excel's serial number (days since :data:`_EPOCH`, the time a fraction),
    computed as openpyxl computes it, so both write the same number for the same time."""
    moment = utc_time(value)
    days = (moment - _EPOCH).days
    if 0 < days <= 60:  # Excel's 29 February 1900, which never was
        days -= 1
    micro = ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 10**6
    return repr(days + (micro + moment.microsecond) / (86_400 * 10**6))


_EPOCH_ORDINAL = _EPOCH.toordinal()


def _day_serial(value: date) -> str:
    """A day as Excel's serial number: :func:`_serial` of its midnight, without making one."""
    days = value.toordinal() - _EPOCH_ORDINAL
    if 0 < days <= 60:  # Excel's 29 February 1900, which never was
        days -= 1
    return repr(float(days))


# --- cells, the careful way -------------------------------------------------------------------


def _escape(text: str) -> str:
    """Character data for ``<t>``: markup characters, Excel's escape and carriage returns."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "_x" in text:
        text = _LOOKS_ESCAPED.sub(r"_x005F_\1", text)
    if "\r" in text:
        # An XML parser turns a raw CR into a newline; a character reference survives.
        text = text.replace("\r", "&#13;")
    return text


def _text_cell(ref: str, value: str, style: int) -> str:
    value = safe_text(value)
    if not value:
        return ""
    if value.startswith(FORMULA_STARTS):
        style = style % _QUOTED + _QUOTED
    s = f' s="{style}"' if style else ""
    edges = value.startswith(_XML_SPACE) or value.endswith(_XML_SPACE)
    space = ' xml:space="preserve"' if edges else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'


def _number_text(value: float | Decimal) -> str:
    if isinstance(value, Decimal):
        if value.is_finite():
            return str(value)
    elif math.isfinite(value):
        return repr(float(value))
    raise ValueError(f"a cell cannot hold {value!r}: Excel has no infinity or NaN")


def _cell(ref: str, value: Any, style: int) -> str:
    """One cell's XML, whatever its value; empty for ``None`` and ``""``."""
    s = f' s="{style}"' if style else ""
    if value is None:
        return ""
    if isinstance(value, str):
        return _text_cell(ref, str.__str__(value), style)
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"{s}><v>{int(value)}</v></c>'
    if isinstance(value, float | Decimal):
        return f'<c r="{ref}"{s}><v>{_number_text(value)}</v></c>'
    if isinstance(value, datetime):
        s = f' s="{int(style or Style.DATETIME)}"'
        return f'<c r="{ref}"{s}><v>{_serial(value)}</v></c>'
    if isinstance(value, date):
        s = f' s="{int(style or Style.DATE)}"'
        return f'<c r="{ref}"{s}><v>{_day_serial(value)}</v></c>'
    if isinstance(value, Formula):
        formula = _escape(value.text.removeprefix("="))
        cached = "" if value.value is None else f"<v>{_number_text(value.value)}</v>"
        return f'<c r="{ref}"{s}><f>{formula}</f>{cached}</c>'
    raise TypeError(f"a cell cannot hold {type(value).__name__}: {value!r}")


def _careful_row(number: int, values: Sequence[Any], styles: Sequence[int]) -> str:
    row = str(number)
    cells = "".join(
        _cell(f"{column_letter(i)}{row}", v, int(styles[i]) if i < len(styles) else 0)
        for i, v in enumerate(values)
    )
    return f'<row r="{row}">{cells}</row>' if cells else ""


# --- rows, the fast way -----------------------------------------------------------------------

_RowFunction = Callable[[str, Sequence[Any]], "str | None"]

# The checks a row's text must pass to be written as it is. Every text value appears in ``b``
# between newlines, so the start or end of a value is next to a newline. One-character tests
# run at memchr speed; a two-character ``in`` costs about 2 ns a character, so the starts are
# found by one regular expression and the underscore guards the test for Excel's escape.
_TEXT_CHECKS = (
    "'&' in b or '<' in b or '>' in b or '\\t' in b or '\\r' in b"  # escapes and their own rules
    " or '\\x0b' in b"  # Excel for Mac's line break: made one, and whitespace at an end kept
    " or ('_' in b and '_x' in b)"  # Excel's _xHHHH_ escape
    " or ' \\n' in b or _starts(b) is not None"  # formula starts, whitespace at an end, empty text
    " or len(b) > _MAX"
)
_STARTS = re.compile("\n[-=+@ \n]")


def _compile_row(types: tuple[type, ...], styles: tuple[int, ...]) -> _RowFunction | None:
    """A function writing rows whose cells have these types and styles, or None to go careful.

    The function returns a row's XML, or None when some value needs the careful path (see the
    module docstring). It is made from fixed markup, column letters and style numbers only;
    values reach it as arguments, never as source.
    """
    cells: list[str] = []
    texts: list[str] = []
    checks: list[str] = []
    for i, kind in enumerate(types):
        style = int(styles[i]) if i < len(styles) else 0
        ref = f'r="{column_letter(i)}{{n}}"' + (f' s="{style}"' if style else "")
        if kind is type(None):
            continue
        if kind is str:
            texts.append(f"{{v{i}}}")
            cells.append(f'<c {ref} t="inlineStr"><is><t>{{v{i}}}</t></is></c>')
        elif kind is bool:
            cells.append(f'<c {ref} t="b"><v>{{v{i}:d}}</v></c>')
        elif kind is int:
            cells.append(f"<c {ref}><v>{{v{i}}}</v></c>")
        elif kind is float:
            checks.append(f"not _isfinite(v{i})")
            cells.append(f"<c {ref}><v>{{v{i}!r}}</v></c>")
        elif kind is Decimal:
            checks.append(f"not v{i}.is_finite()")
            cells.append(f"<c {ref}><v>{{v{i}!s}}</v></c>")  # str(): half of format()'s time
        elif kind is datetime or kind is date:
            # A carried column of dates: the careful path's cell, a function call instead of
            # its chain of isinstance tests.
            day = kind is date
            dated = f' s="{style or int(Style.DATE if day else Style.DATETIME)}"'
            serial = "_day_serial" if day else "_serial"
            cells.append(f'<c r="{column_letter(i)}{{n}}"{dated}><v>{{{serial}(v{i})}}</v></c>')
        else:
            return None  # Formula, subclasses and anything unknown: the careful path
    if not cells:
        return None
    if texts:
        checks.insert(0, _TEXT_CHECKS)
    names = "".join(f"v{i}, " for i in range(len(types)))
    lines = [f"def row(n, values):\n    {names}= values\n"]
    if texts:
        lines.append(f"    b = f{chr(10).join(['', *texts, ''])!r}\n")
    if checks:
        lines.append(f"    if {' or '.join(checks)}:\n        return None\n")
    lines.append(f"    return f'<row r=\"{{n}}\">{''.join(cells)}</row>'\n")
    source = "".join(lines)
    namespace: dict[str, Any] = {
        "__builtins__": {"len": len},
        "_isfinite": math.isfinite,
        "_MAX": MAX_CELL_CHARS // 2,  # a longer text may be over Excel's limit in UTF-16
        "_starts": _STARTS.search,
        "_serial": _serial,
        "_day_serial": _day_serial,
    }
    exec(compile(source, "<sheetml row>", "exec"), namespace)  # fixed markup and names only
    function: _RowFunction = namespace["row"]
    return function


def _encode(text: str) -> bytes:
    """UTF-8 for a block of rows; XML-illegal characters the fast path let through replaced."""
    # The markup has none of these characters, so replacing them in the whole block is safe.
    # (U+FFFE and U+FFFF are looked for in the text: instant there, 0.07 s per 100 MB in bytes.)
    if "\ufffe" in text or "\uffff" in text:
        text = _repaired(text)
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate
        return _repaired(text).encode()
    if data.translate(None, _NOT_CONTROL):
        data = _repaired(text).encode()
    return data


# --- sheets and the workbook ------------------------------------------------------------------


def _attr(text: str) -> str:
    """Text for an attribute or a part's element (the title): escaped and XML-safe."""
    if _ILLEGAL.search(text):
        text = _repaired(text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _quoted_sheet(name: str) -> str:
    """A sheet name in a reference, always quoted (as openpyxl does): ``'Ikke innvilget'``."""
    return "'" + name.replace("'", "''") + "'"


def _check_sheet_name(name: str, taken: Sequence[str]) -> None:
    if not name or len(name) > 31:
        raise ValueError(f"sheet name {name!r}: Excel needs 1 to 31 characters")
    if any(c in name for c in "[]:*?/\\") or name.startswith("'") or name.endswith("'"):
        raise ValueError(f"sheet name {name!r}: Excel does not allow []:*?/\\ or ' at an end")
    if name.casefold() in (t.casefold() for t in taken):
        raise ValueError(f"sheet name {name!r} is used twice")


class Sheet:
    """One worksheet being written: append rows in order; made by :meth:`Workbook.add_sheet`."""

    def __init__(
        self,
        book: Workbook,
        name: str,
        index: int,
        *,
        freeze_rows: int,
        print_title_rows: int,
        landscape: bool,
    ) -> None:
        self.name = name
        self.index = index
        self.rows = 0
        """The number of the last row appended (empty rows count)."""
        self.width = 0
        """The most values in any row appended."""
        self.freeze_rows = freeze_rows
        self.print_title_rows = print_title_rows
        self.landscape = landscape
        self.filter_row: int | None = None
        self._book = book
        self._buffer: list[str] = []
        self._closed = False

    def append(self, values: Sequence[CellValue], styles: Sequence[int] = ()) -> int:
        """Append one row; ``styles`` gives the :class:`Style` of each cell. Returns its number.

        ``None`` and ``""`` leave a cell empty. Text is never a formula (see :class:`Formula`).
        """
        if self._closed:
            raise ValueError(f"sheet {self.name!r} is finished: a later sheet was added")
        number = self.rows + 1
        if number > MAX_ROWS:
            raise ValueError(f"sheet {self.name!r}: Excel holds at most {MAX_ROWS:,} rows")
        if len(values) > self.width:
            if len(values) > MAX_COLUMNS:
                raise ValueError(
                    f"sheet {self.name!r}: Excel holds at most {MAX_COLUMNS:,} columns"
                )
            self.width = len(values)
        if type(styles) is not tuple:
            styles = tuple(styles)
        templates = self._book._templates
        key = (tuple(map(type, values)), styles)
        try:
            function = templates[key]
        except KeyError:
            # Columns of mixed types could make a new pattern on every row: past the cap, new
            # patterns take the careful path rather than a compile each and memory without end.
            function = None
            if len(templates) < _MAX_PATTERNS:
                function = templates[key] = _compile_row(*key)
        xml = function(str(number), values) if function is not None else None
        if xml is None:
            xml = _careful_row(number, values, styles)
        self._buffer.append(xml)
        self.rows = number
        if len(self._buffer) >= BLOCK_ROWS:
            self._flush()
        return number

    def autofilter(self, header_row: int = 1) -> None:
        """Filter buttons on ``header_row`` over all the rows appended (the range is set last)."""
        self.filter_row = header_row

    @property
    def filter_ref(self) -> str | None:
        """The autofilter's range as it stands (``A1:S54``), or None without one."""
        if self.filter_row is None:
            return None
        last = column_letter(max(self.width, 1) - 1)
        return f"A{self.filter_row}:{last}{max(self.rows, self.filter_row)}"

    def _flush(self) -> None:
        if self._buffer:
            self._book._zip.write(_encode("".join(self._buffer)))
            self._buffer.clear()

    def _finish(self, tail: str) -> None:
        self._buffer.append(tail)
        self._flush()
        self._closed = True


class Workbook:
    """A streaming .xlsx file: add sheets in order and append rows; nothing is kept in memory.

    Use as a context manager (or call :meth:`close`): on an error inside the block the file is
    closed unfinished, for the caller to discard (:func:`tilskudd.export.atomic.atomic_path`
    does). Once a sheet is added, the one before it is finished. ``compress_level`` is zlib's
    (default :data:`COMPRESS_LEVEL`).
    """

    def __init__(
        self,
        target: str | Path | IO[bytes],
        *,
        created: datetime | None = None,
        creator: str = "tilskudd",
        title: str | None = None,
        footer: str | None = None,
        compress_level: int | None = None,
    ) -> None:
        when = (created or datetime.now(UTC)).astimezone(UTC)
        self._created = when
        self._creator = creator
        self._title = title
        self._footer = footer
        # The zip entries carry the workbook's own time, so the same workbook gives the same bytes.
        date_time = (
            max(when.year, 1980),
            when.month,
            when.day,
            when.hour,
            when.minute,
            when.second,
        )
        level = COMPRESS_LEVEL if compress_level is None else compress_level
        self._zip = ZipStream(target, date_time, level)
        self._sheets: list[Sheet] = []
        self._templates: dict[tuple[tuple[type, ...], tuple[int, ...]], _RowFunction | None] = {}
        self._current: Sheet | None = None
        self._done = False

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()

    def add_sheet(
        self,
        name: str,
        *,
        widths: Sequence[float] = (),
        freeze_rows: int = 0,
        print_title_rows: int = 0,
        landscape: bool = False,
    ) -> Sheet:
        """Start a sheet: column widths (in Excel's width units), frozen and printed header rows."""
        _check_sheet_name(name, [s.name for s in self._sheets])
        self._finish_current()
        sheet = Sheet(
            self,
            name,
            len(self._sheets),
            freeze_rows=freeze_rows,
            print_title_rows=print_title_rows,
            landscape=landscape,
        )
        self._sheets.append(sheet)
        self._zip.open(f"xl/worksheets/sheet{sheet.index + 1}.xml")
        self._zip.write(self._sheet_head(sheet, widths).encode())
        self._current = sheet
        return sheet

    def _sheet_head(self, sheet: Sheet, widths: Sequence[float]) -> str:
        selected = ' tabSelected="1"' if sheet.index == 0 else ""
        if sheet.freeze_rows:
            top = f"A{sheet.freeze_rows + 1}"
            view = (
                f'<sheetView{selected} workbookViewId="0">'
                f'<pane ySplit="{sheet.freeze_rows}" topLeftCell="{top}" activePane="bottomLeft"'
                ' state="frozen"/><selection pane="bottomLeft"/></sheetView>'
            )
        else:
            view = f'<sheetView{selected} workbookViewId="0"/>'
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{float(w):g}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        return (
            f'{_XML_HEAD}<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">{_FIT_TO_PAGE}'
            f'<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f"{f'<cols>{cols}</cols>' if cols else ''}<sheetData>"
        )

    def _finish_current(self) -> None:
        sheet, self._current = self._current, None
        if sheet is None:
            return
        ref = sheet.filter_ref
        tail = "</sheetData>"
        if ref is not None:
            tail += f'<autoFilter ref="{ref}"/>'
        orientation = ' orientation="landscape"' if sheet.landscape else ""
        tail += _PAGE_MARGINS + _PAGE_SETUP.format(orientation=orientation)
        if self._footer:
            tail += f"<headerFooter><oddFooter>{_escape(self._footer)}</oddFooter></headerFooter>"
        sheet._finish(tail + "</worksheet>")
        self._zip.close_entry()

    def close(self) -> None:
        """Finish the last sheet, write the workbook's other parts and close the file."""
        if self._done:
            return
        if not self._sheets:
            raise ValueError("a workbook needs at least one sheet")
        try:
            self._finish_current()
            for name, text in self._parts():
                self._zip.part(name, text.encode())
            self._done = True
            self._zip.finish()
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Close the file unfinished (after an error): the caller throws it away."""
        self._done = True
        self._zip.abort()

    # -- the parts around the sheets -----------------------------------------------------------

    def _parts(self) -> list[tuple[str, str]]:
        sheets = self._sheets
        parts = [(f"/{name}", kind) for name, kind in _PART_TYPES.items()]
        parts += [(f"/xl/worksheets/sheet{s.index + 1}.xml", _CT + _CT_SHEET) for s in sheets]
        content_types = (
            f'{_XML_HEAD}<Types xmlns="{_NS_PKG}/content-types">'
            f'<Default Extension="rels" ContentType="{_CT}package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in parts)
            + "</Types>"
        )
        root_rels = _relationships(
            [
                (f"{_NS_REL}/officeDocument", "xl/workbook.xml"),
                (f"{_NS_PKG}/relationships/metadata/core-properties", "docProps/core.xml"),
                (f"{_NS_REL}/extended-properties", "docProps/app.xml"),
            ]
        )
        book_rels = _relationships(
            [(f"{_NS_REL}/worksheet", f"worksheets/sheet{s.index + 1}.xml") for s in sheets]
            + [(f"{_NS_REL}/styles", "styles.xml")]
        )
        return [
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", root_rels),
            ("docProps/app.xml", self._app()),
            ("docProps/core.xml", self._core()),
            ("xl/workbook.xml", self._workbook()),
            ("xl/_rels/workbook.xml.rels", book_rels),
            ("xl/styles.xml", _styles()),
        ]

    def _workbook(self) -> str:
        names = []
        for sheet in self._sheets:  # Excel's order: by name, then by sheet
            ref = sheet.filter_ref
            quoted = _attr(_quoted_sheet(sheet.name))
            if ref is not None:
                first, last = ref.split(":")
                absolute = re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", f"{first}:{last}")
                names.append(
                    f'<definedName name="_xlnm._FilterDatabase" localSheetId="{sheet.index}"'
                    f' hidden="1">{quoted}!{absolute}</definedName>'
                )
        for sheet in self._sheets:
            if sheet.print_title_rows:
                rows = f"${sheet.print_title_rows}:${sheet.print_title_rows}"
                names.append(
                    f'<definedName name="_xlnm.Print_Titles" localSheetId="{sheet.index}">'
                    f"{_attr(_quoted_sheet(sheet.name))}!{rows}</definedName>"
                )
        sheets = "".join(
            f'<sheet name="{_attr(s.name)}" sheetId="{s.index + 1}" r:id="rId{s.index + 1}"/>'
            for s in self._sheets
        )
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        return (
            f'{_XML_HEAD}<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
            '<fileVersion appName="xl" lastEdited="4" lowestEdited="4" rupBuild="4505"/>'
            "<workbookPr/>"
            '<bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095"'
            ' windowHeight="9660"/></bookViews>'
            f"<sheets>{sheets}</sheets>{defined}"
            # Excel recalculates the formulas on opening (their cached values may be absent).
            '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
        )

    def _app(self) -> str:
        titles = "".join(f"<vt:lpstr>{_attr(s.name)}</vt:lpstr>" for s in self._sheets)
        count = len(self._sheets)
        return (
            f'{_XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/docPropsVTypes"><Application>{_attr(self._creator)}</Application>'
            "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
            '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>'
            f"Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>{count}</vt:i4></vt:variant>"
            f'</vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{count}"'
            f' baseType="lpstr">{titles}</vt:vector></TitlesOfParts>'
            "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
            "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
        )

    def _core(self) -> str:
        when = self._created.strftime("%Y-%m-%dT%H:%M:%SZ")
        creator = _attr(self._creator)
        title = f"<dc:title>{_attr(self._title)}</dc:title>" if self._title else ""
        return (
            f"{_XML_HEAD}<cp:coreProperties"
            ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:dcmitype="http://purl.org/dc/dcmitype/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"{title}<dc:creator>{creator}</dc:creator><cp:lastModifiedBy>{creator}"
            f'</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">{when}'
            f'</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{when}'
            "</dcterms:modified></cp:coreProperties>"
        )


def _relationships(targets: Sequence[tuple[str, str]]) -> str:
    """A relationships part: ``rId1``, ``rId2``, ... to each (type, target) in order."""
    links = "".join(
        f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(targets, start=1)
    )
    return f'{_XML_HEAD}<Relationships xmlns="{_NS_PKG}/relationships">{links}</Relationships>'


def _styles() -> str:
    """``xl/styles.xml`` for :class:`Style` and the quote-prefixed twins."""
    font = '<sz val="{size}"/><name val="Calibri"/><family val="2"/>'
    fonts = (
        f"<font>{font.format(size=11)}</font>",
        f"<font><b/>{font.format(size=11)}</font>",
        f"<font><b/>{font.format(size=14)}</font>",
    )
    fills = (
        '<fill><patternFill patternType="none"/></fill>',
        '<fill><patternFill patternType="gray125"/></fill>',
        '<fill><patternFill patternType="solid"><fgColor rgb="FFDDE4EE"/><bgColor indexed="64"/>'
        "</patternFill></fill>",
    )
    xfs = []
    for quoted in (False, True):
        for style in Style:
            number, font_id, fill, alignment = _XF[style]
            applied = (
                (' applyNumberFormat="1"' if number else "")
                + (' applyFont="1"' if font_id else "")
                + (' applyFill="1"' if fill else "")
                + (' applyAlignment="1"' if alignment else "")
                + (' quotePrefix="1"' if quoted else "")
            )
            body = f">{alignment}</xf>" if alignment else "/>"
            xfs.append(
                f'<xf numFmtId="{number}" fontId="{font_id}" fillId="{fill}" borderId="0"'
                f' xfId="0"{applied}{body}'
            )
    return (
        f'{_XML_HEAD}<styleSheet xmlns="{_NS_MAIN}">'
        '<numFmts count="5"><numFmt numFmtId="164" formatCode="0.0%"/>'
        '<numFmt numFmtId="165" formatCode="0.000"/>'
        f'<numFmt numFmtId="166" formatCode="{TIME_FORMAT}"/>'
        f'<numFmt numFmtId="167" formatCode="{DATE_FORMAT}"/>'
        f'<numFmt numFmtId="168" formatCode="{_attr(TIED_RANK_FORMAT)}"/></numFmts>'
        f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
        f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9"'
        ' defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
    )  # fmt: skip
