"""Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) through python-calamine, the fastest reliable reader.

Measured on 100k rows x 11 columns (docs/benchmarks.md): python-calamine about 1.2-1.5 s, openpyxl
read-only 15-25 s. Cells come as calamine gives them: text, float (whole numbers too: validation
converts them exactly), bool, date/datetime/time/timedelta; empty cells become None. A formula
cell gives its cached value.

A formula cell *without* a cached value (a file written by a program and never opened in a
spreadsheet) looks empty to calamine, and so does a cell whose value is an error (``#N/A`` from a
failed lookup, ``#DIV/0!``, ``#REF!``). :func:`formulas_without_value` finds both kinds by
scanning the sheet's XML in the zip, streamed, in a thread that runs while calamine (which
releases the GIL) parses the sheet; the cell becomes a :class:`FormulaWithoutValue` (with the
error, for the second kind) so validation can name it instead of taking it for an empty cell.
:func:`ods_error_cells` does the same for the error cells of an OpenDocument spreadsheet, and
:func:`tilskudd.reading.biff.xls_error_cells` for those of a legacy .xls and
:func:`tilskudd.reading.xlsb.xlsb_scan` for those of a binary workbook (.xlsb).
A workbook that asks to be recalculated when opened (``fullCalcOnLoad="1"``: xlsxwriter writes
that, with 0 as every formula's cached value) has no result in any formula cell, so there the
scan reports every formula, cached value or not.
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import re
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import IO, Any, Final, NamedTuple, TypeVar

from python_calamine import (
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from tilskudd.controls import visible
from tilskudd.errors import InputFileError
from tilskudd.i18n import Translator
from tilskudd.models import Issue, Location, Severity
from tilskudd.reading.biff import runs_in_circles, size_out_of_bounds, xls_error_cells
from tilskudd.reading.columns import HEADER_SCAN_ROWS, REQUIRED, HeaderMatch, find_header
from tilskudd.reading.merges import as_corners, read_merges_down
from tilskudd.reading.sheet import (
    Grid,
    build_table,
    describe_first_row,
    header_problem,
    row_spans,
    span_text,
    where,
)
from tilskudd.reading.sniff import Sniffed
from tilskudd.reading.table import FormulaWithoutValue, RawTable, column_letter, is_empty
from tilskudd.reading.xlsb import far_corner as xlsb_far_corner
from tilskudd.reading.xlsb import rel_target, xlsb_scan

__all__ = ["formulas_without_value", "ods_error_cells", "read_workbook", "sheet_member"]

_CHUNK = 1 << 20
# A formula element (not <font>, <formula1>) NOT followed by a <v> holding something.
_FORMULA = re.compile(rb"<f\b([^>]*?)(?:/>|>([^<]*)</f>)(?!\s*<v(?:\s[^>]*)?>[^<])")
# Any formula element, cached value or not: for a workbook that asks to be recalculated.
_ANY_FORMULA = re.compile(rb"<f\b([^>]*?)(?:/>|>([^<]*)</f>)")
_CELL_OPEN = re.compile(rb"<c\s([^>]*)>")
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_TYPE = re.compile(rb'\bt="([^"]*)"')
_SHARED_INDEX = re.compile(rb'\bsi="([0-9]+)"')
_EMPTY_V = re.compile(rb"\s*<v")
# A cell whose value is an error (t="e"), with its formula if it has one.
_ERROR_CELL = re.compile(rb'<c\s([^>]*\bt="e"[^>]*)>(.*?)</c>', re.DOTALL)
_ERROR_VALUE = re.compile(rb"<v(?:\s[^>]*)?>([^<]*)</v>")
_FORMULA_TEXT = re.compile(rb"<f\b[^>]*>([^<]*)</f>")
# A row hidden by hand or by a filter: <row r="4" ... hidden="1">.
_HIDDEN_MARK = b'hidden="'
_ROW_OPEN = re.compile(rb"<row\s([^>]*)>")
_ROW_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_ROW_NUMBER = re.compile(rb'\br="([0-9]+)"')
# Excel's built-in percentage formats: 0% and 0.00%.
_PERCENT_FORMATS = frozenset({"9", "10"})
# Literal text in a number format ("x" and \x) shows as it is, not as a percentage.
_FORMAT_LITERAL = re.compile(r'"[^"]*"|\\.')
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

MAX_CELLS: Final = 20_000_000
"""The most cells a sheet may span, from A1 to its farthest cell with something in it (a million
rows by 20 columns). calamine holds every cell of that area, about 24 bytes each, and Python a
list slot more: one value typed by mistake in XFD1048576 of an .xlsx asked for 512 GB, and the
process was ended where it stood. A real round is far below (100 000 applications by 11
columns: 1.1 million cells)."""
_HEAD = 1 << 16
_DIMENSION = re.compile(rb'<dimension\s[^>]*?\bref="(?:[^":]*:)?([A-Z]{1,3})([0-9]{1,7})"', re.I)
# A reference that may lie outside the area a <dimension> within bounds promised: a column
# after S (the 19th) or a row of 7 digits or more. A sheet without one spans at most 19 columns
# by 999 999 rows, within MAX_CELLS, whatever its <dimension> says; a reference found (or a
# chance match in some other attribute ending in r, such as header="0.3": it needs 7 digits)
# sends the sheet to the count of its cells, as does a reference in small letters (xfd1048576,
# which calamine reads too) whatever it says. Every cell's reference begins r=", as does the
# literal prefix the search looks for. Case matters: a sheet's xmlns:r="http://..." is no
# reference, and read without case it sent every sheet to the count.
_BEYOND = re.compile(rb'r="(?:[T-Z]|[A-Z]{2,3}|[A-Z]{0,3}[0-9]{7}|[a-z]{1,3}[0-9])')
_BEYOND_TAIL = 16  # bytes kept from one piece to the next: r=" and 3 letters, 7 digits, and more
# A row's start, and a cell's: a cell with something in it (not <c r="X9" s="1"/> nor
# <c ...></c>, which calamine leaves out) is counted. A cell's reference may be left out (it is
# optional): calamine then places it in its row's number, after the cell before it, so rows
# are followed too. A reference beyond the sheet's limits (a row of 8 digits, a column of 4
# letters, or in small letters: xfd1048576) is counted as it says, as calamine sizes the sheet
# by it all the same.
_FILLED_CELL = re.compile(rb'<c\s[^>]*?\br="([A-Z]+)([0-9]+)"[^>]*(?<!/)>(?!\s*</c>)', re.I)
_NO_REF_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?:>|\s(?![^>]*\br=\")[^>]*>)")
_ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^>]*)>")
_CELL_EMPTY = re.compile(rb"\s*</")
_ROW_REF = re.compile(rb'\br="([0-9]+)"')
_CELL_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"', re.I)

Percent = dict[int, set[int]]
"""Cells formatted as a percentage: 0-based column -> the rows, from 1 as the sheet numbers them."""
Cells = dict[tuple[int, int], str | tuple[str, str | None]]
"""(0-based row, column) -> the formula of a cell without a value, (formula, error) for a cell
whose value is an error, or (formula, None) for a formula whose saved value is a placeholder (a
workbook that asks to be recalculated when opened)."""


def _column_index(letters: bytes) -> int:
    index = 0
    for byte in letters.upper():
        index = index * 26 + byte - 64
    return index - 1


def sheet_member(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding worksheet ``sheet`` of an xlsx (via workbook.xml and its rels)."""
    return _sheet_member(archive, ET.fromstring(archive.read("xl/workbook.xml")), sheet)


def far_corner(path: Path, sheet: str) -> tuple[int, int] | None:
    """(rows, columns) from A1 to the farthest cell with something in it of ``sheet`` of an
    .xlsx, when that area is more than :data:`MAX_CELLS`; None when it is not, or the file is
    too damaged to tell (calamine, reading it next, says so).

    The sheet's ``<dimension>`` (the used area, which Excel and the writers people use store
    at the top of the sheet) is within bounds in a real sheet; then the sheet is searched for a
    cell reference that could lie beyond what it promised (:data:`_BEYOND`: a column after S, a
    row of 7 digits), since a program may write a ``<dimension>`` that says less than its cells
    reach, and calamine sizes the sheet by its cells. A real sheet of fewer than 20 columns has
    none, and costs that one search. A sheet without a ``<dimension>``, with a larger one (cells
    that are only formatted count in it, and calamine leaves them out), or with such a
    reference, is read through for its cells.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = ET.fromstring(archive.read("xl/workbook.xml"))
            member = _sheet_member(archive, workbook, sheet)
            if member is None or member not in archive.NameToInfo:
                return None
            with archive.open(member) as handle:
                buf = handle.read(_HEAD)
                dimension = _DIMENSION.search(buf)
                if (
                    dimension is not None
                    and int(dimension.group(2)) * (_column_index(dimension.group(1)) + 1)
                    <= MAX_CELLS
                    and not _reaches_beyond(handle, buf)
                ):
                    return None
            with archive.open(member) as handle:
                buf = handle.read(_HEAD)
                rows = columns = 0
                row = column = 0  # where the last row and cell were, from 1
                while True:
                    chunk = handle.read(_CHUNK)
                    cut = buf.rfind(b"<c") if chunk else len(buf)
                    if cut < 0:
                        cut = buf.rfind(b"<")
                    if cut < 0:
                        cut = len(buf)
                    if _NO_REF_CELL.search(buf, 0, cut) is None:  # as Excel writes: fast
                        for cell in _FILLED_CELL.finditer(buf, 0, cut):
                            row = int(cell.group(2))
                            column = _column_index(cell.group(1)) + 1
                            rows, columns = max(rows, row), max(columns, column)
                        last = buf.rfind(b"<row", 0, cut)
                        number = _ROW_REF.search(buf, last, cut) if last >= 0 else None
                        row = max(row, int(number.group(1))) if number else row
                    else:
                        row, column, far_row, far_column = _walk_cells(buf, cut, row, column)
                        rows, columns = max(rows, far_row), max(columns, far_column)
                    if not chunk:
                        break
                    buf = buf[cut:] + chunk
    except (OSError, zipfile.BadZipFile, zlib.error, ET.ParseError, KeyError, EOFError):
        return None
    return (rows, columns) if rows * columns > MAX_CELLS else None


def _walk_cells(buf: bytes, end: int, row: int, column: int) -> tuple[int, int, int, int]:
    """Where the last row and cell of ``buf[:end]`` are, and the farthest row and column of a
    cell with something in it, when some cell has no reference: placed as calamine places it,
    in its row's number (the last row's and one more, when the row has none either), after the
    cell before it. A cell's own reference moves the column only: a cell without one after
    ``<c r="A2">`` in ``<row r="99999999">`` is in row 99999999, not 2 (taken as row 2, a
    sheet of 800 million cells passed, and calamine asked for 25 GB and ended the process).
    ``row`` and ``column``: where the last row and cell before ``buf`` were."""
    rows = columns = 0
    for tag in _ROW_OR_CELL.finditer(buf, 0, end):
        attributes = tag.group(2)
        if tag.group(1) == b"row":
            number = _ROW_REF.search(attributes)
            row, column = (int(number.group(1)) if number else row + 1), 0
            continue
        ref = _CELL_REF.search(attributes)
        if ref is not None:
            at, column = int(ref.group(2)), _column_index(ref.group(1)) + 1
        else:
            at, column = row, column + 1
        if not attributes.endswith(b"/") and not _CELL_EMPTY.match(buf, tag.end()):
            rows, columns = max(rows, at), max(columns, column)
    return row, column, rows, columns


def _reaches_beyond(handle: IO[bytes], buf: bytes) -> bool:
    """A reference in the sheet read from ``handle`` (``buf`` read already) that may lie
    outside 19 columns by 999 999 rows (:data:`_BEYOND`); streamed in 1 MiB pieces."""
    while True:
        if _BEYOND.search(buf) is not None:
            return True
        chunk = handle.read(_CHUNK)
        if not chunk:
            return False
        buf = buf[-_BEYOND_TAIL:] + chunk


EXCEL_ROWS: Final = 1_048_576
EXCEL_COLUMNS: Final = 16_384
"""The last row and column (XFD) of a sheet in Excel, and in LibreOffice since 7.4."""


def beyond_spreadsheets(rows: int, columns: int) -> bool:
    """Whether a sheet's far cell lies beyond the last row or column a spreadsheet has: a file
    written by another program, whose far cell no spreadsheet shows (Ctrl+End stops short)."""
    return rows > EXCEL_ROWS or columns > EXCEL_COLUMNS


def too_far(where_: str, rows: int, columns: int, t: Translator) -> InputFileError:
    """The error for a sheet whose cells span more than :data:`MAX_CELLS` (see
    :func:`far_corner`), naming the cell Ctrl+End goes to, or, where no spreadsheet has that
    cell (:func:`beyond_spreadsheets`), saying so and what to do instead."""
    cell = f"{column_letter(columns - 1)}{rows}"
    if beyond_spreadsheets(rows, columns):
        return InputFileError(
            t(
                "read.error.too_far_beyond",
                where=where_,
                cell=cell,
                rows=EXCEL_ROWS,
                column=column_letter(EXCEL_COLUMNS - 1),
            )
        )
    return InputFileError(
        t("read.error.too_far", where=where_, cell=cell, cells=rows * columns, max=MAX_CELLS)
    )


def _recalculated_on_load(workbook: ET.Element) -> bool:
    """True when workbook.xml tells the spreadsheet to recalculate every formula on opening.

    Programs that cannot calculate say so (xlsxwriter: ``<calcPr fullCalcOnLoad="1"/>``) and
    store 0 as every formula's value: a placeholder, not a result.
    """
    calc = workbook.find(f"{_MAIN_NS}calcPr")
    return calc is not None and calc.get("fullCalcOnLoad", "").strip().lower() in ("1", "true")


def _sheet_member(archive: zipfile.ZipFile, workbook: ET.Element, sheet: str) -> str | None:
    rel_id = None
    for node in workbook.iter(f"{_MAIN_NS}sheet"):
        if node.get("name") == sheet:
            rel_id = node.get(_REL_NS)
            break
    if rel_id is None:
        return None
    return rel_target(archive, "xl/_rels/workbook.xml.rels", rel_id)


def _scan(
    buf: bytes, end: int, found: Cells, shared: dict[bytes, str], *, every: bool = False
) -> None:
    # every: each formula, with a cached value or not (the workbook's values are placeholders).
    for match in (_ANY_FORMULA if every else _FORMULA).finditer(buf, 0, end):
        start = buf.rfind(b"<c ", 0, match.start())
        cell = _CELL_OPEN.match(buf, start) if start >= 0 else None
        if cell is None:
            continue
        attrs = cell.group(1)
        ref = _REF.search(attrs)
        if ref is None:
            # Cells without an r attribute are legal but rare; their position is not worth
            # counting rows for here. calamine still reads them (as empty).
            continue
        kind = _TYPE.search(attrs)
        has_v = _EMPTY_V.match(buf, match.end()) is not None
        if has_v and kind is not None and kind.group(1) == b"str" and not every:
            continue  # a formula whose cached result is the empty string
        f_attrs, text = match.group(1), match.group(2)
        index = _SHARED_INDEX.search(f_attrs)
        if text:
            formula = html.unescape(text.decode("utf-8", "replace"))
            if index is not None:
                shared[index.group(1)] = formula
        else:
            formula = shared.get(index.group(1), "") if index is not None else ""
        # With a saved value in a workbook recalculated on opening, the value is a placeholder.
        place = (int(ref.group(2)) - 1, _column_index(ref.group(1)))
        found[place] = (formula, None) if every and has_v else formula
    if buf.find(b't="e"', 0, end) < 0:
        return
    for cell in _ERROR_CELL.finditer(buf, 0, end):
        ref = _REF.search(cell.group(1))
        if ref is None:
            continue
        body = cell.group(2)
        value = _ERROR_VALUE.search(body)
        error = html.unescape(value.group(1).decode("utf-8", "replace")) if value else "#VALUE!"
        written = _FORMULA_TEXT.search(body)
        if written is not None and every:
            continue  # the error is a placeholder too: the formula was reported above
        formula = html.unescape(written.group(1).decode("utf-8", "replace")) if written else ""
        found[(int(ref.group(2)) - 1, _column_index(ref.group(1)))] = (formula, error)


def percent_styles(archive: zipfile.ZipFile) -> frozenset[bytes]:
    """The style indices (a cell's ``s="…"``) of a workbook whose number format shows a
    percentage: a cell typed ``85 %`` holds 0.85, which calamine gives as it is."""
    try:
        styles = ET.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return frozenset()
    percent = set(_PERCENT_FORMATS)
    formats = styles.find(f"{_MAIN_NS}numFmts")
    for number_format in formats if formats is not None else ():
        code = _FORMAT_LITERAL.sub("", number_format.get("formatCode", ""))
        if "%" in code:
            percent.add(number_format.get("numFmtId", ""))
    xfs = styles.find(f"{_MAIN_NS}cellXfs")
    return frozenset(
        str(index).encode()
        for index, xf in enumerate(xfs if xfs is not None else ())
        if xf.get("numFmtId", "0") in percent
    )


def _percent_cells(buf: bytes, end: int, pattern: re.Pattern[bytes], found: Percent) -> None:
    """Adds the number cells in ``buf`` whose style ``pattern`` (made by :func:`_styled_cells`)
    finds, those formatted as a percentage, to ``found``."""
    columns: dict[bytes, int] = {}
    for style in pattern.finditer(buf, 0, end):
        at = buf.rfind(b"<c", 0, style.start())
        cell = _CELL_OPEN.match(buf, at) if at >= 0 else None
        if cell is None or cell.end() <= style.start():
            continue  # the style of a row or a column, not of a cell
        attrs = cell.group(1)
        kind = _TYPE.search(attrs) if b't="' in attrs else None
        if kind is not None and kind.group(1) != b"n":
            continue  # text, a truth value, an error: no percentage to read wrong
        ref = _REF.search(attrs)
        if ref is None:
            continue
        letters = ref.group(1)
        column = columns.get(letters)
        if column is None:
            column = columns[letters] = _column_index(letters)
        found.setdefault(column, set()).add(int(ref.group(2)))


def _styled_cells(styles: frozenset[bytes]) -> re.Pattern[bytes]:
    """The style attribute of the cells with one of ``styles``: led by a literal (' s="', as
    every writer separates attributes by a space), which the regex engine looks for on its own,
    so that a sheet of a million cells with a few in percent costs about one search of its text
    (a pattern led by any space was tried at every byte: 0.3 s more on 100 000 rows)."""
    return re.compile(rb' s="(?:' + b"|".join(sorted(styles)) + rb')"')


def _hidden_rows(buf: bytes, end: int, hidden: set[int]) -> None:
    for row in _ROW_OPEN.finditer(buf, 0, end):
        attrs = row.group(1)
        if _ROW_HIDDEN.search(attrs) is not None and (number := _ROW_NUMBER.search(attrs)):
            hidden.add(int(number.group(1)))


def formulas_without_value(
    path: Path,
    sheet: str,
    hidden: set[int] | None = None,
    percent: Percent | None = None,
) -> Cells:
    """Each cell in ``sheet`` that has no usable value: a formula without a cached value (its
    formula text), or a cell whose value is an error (its formula and the error).

    With ``hidden``, the rows hidden in the sheet (by hand, or by a filter left on) are added to
    it, numbered from 1: calamine reads them like any other, although the officer does not see
    them. With ``percent``, the number cells formatted as a percentage are added to it.

    A workbook that asks to be recalculated when opened (``fullCalcOnLoad``, as xlsxwriter
    writes) has no value to trust in any formula cell: then every formula is reported, with a
    cached value or not.

    Streams the sheet XML in 1 MiB pieces; pieces without ``<f`` or ``t="e"`` cost two
    substring searches.
    """
    found: Cells = {}
    shared: dict[bytes, str] = {}
    with zipfile.ZipFile(path) as archive:
        workbook = ET.fromstring(archive.read("xl/workbook.xml"))
        every = _recalculated_on_load(workbook)
        member = _sheet_member(archive, workbook, sheet)
        if member is None or member not in archive.NameToInfo:
            return found
        styles = percent_styles(archive) if percent is not None else frozenset()
        # Most workbooks have no percentage format: then no cell is looked at for one.
        styled = _styled_cells(styles) if styles else None
        with archive.open(member) as handle:
            tail = b""
            while chunk := handle.read(_CHUNK):
                buf = tail + chunk
                # Everything before the last cell opening is whole cells: scan that, carry the
                # rest. Without a cell opening, keep two bytes: "<c" may be cut in two.
                cut = buf.rfind(b"<c ")
                if cut < 0:
                    # No cell: keep the last tag, which may be cut in two ("<c", "<row r=").
                    last = buf.rfind(b"<")
                    tail = buf[last:] if last >= 0 else b""
                    continue
                if buf.find(b"<f", 0, cut) >= 0 or buf.find(b't="e"', 0, cut) >= 0:
                    _scan(buf, cut, found, shared, every=every)
                if hidden is not None and buf.find(_HIDDEN_MARK, 0, cut) >= 0:
                    _hidden_rows(buf, cut, hidden)
                if styled is not None and percent is not None:
                    _percent_cells(buf, cut, styled, percent)
                tail = buf[cut:]
            if b"<f" in tail or b't="e"' in tail:
                _scan(tail, len(tail), found, shared, every=every)
            if hidden is not None and _HIDDEN_MARK in tail:
                _hidden_rows(tail, len(tail), hidden)
            if styled is not None and percent is not None:
                _percent_cells(tail, len(tail), styled, percent)
    return found


# OpenDocument (LibreOffice): a cell whose formula failed has calcext:value-type="error" and
# the error as its text; calamine reads it as empty (or as the 0 some writers store beside it).
_OD_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OD_TABLE_TAG = f"{_OD_TABLE}table"
_OD_ROW = f"{_OD_TABLE}table-row"
_OD_CELLS = (f"{_OD_TABLE}table-cell", f"{_OD_TABLE}covered-table-cell")
_OD_NAME = f"{_OD_TABLE}name"
_OD_ROWS_REPEATED = f"{_OD_TABLE}number-rows-repeated"
_OD_COLUMNS_REPEATED = f"{_OD_TABLE}number-columns-repeated"
_OD_FORMULA = f"{_OD_TABLE}formula"
_OD_ANNOTATION_TAG = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}annotation"
_OD_ERROR_MARK = b'value-type="error"'
# The mark however XML allows it to be written (single quotes, spaces around "="): LibreOffice
# writes the form above, which the fast paths look for; any other sends the file to the parser.
_OD_ANY_ERROR_MARK = re.compile(rb"""value-type\s*=\s*(?:"error"|'error')""")
_OD_MAX_ROWS = 1 << 20  # a sheet's rows in LibreOffice and Excel: repeats beyond are padding
# OpenFormula's references as LibreOffice shows them: [.A2] -> A2, [.X1:.Y9] -> X1:Y9.
_OD_REFERENCE = re.compile(r"\[\.?([^\]]*?)(?::\.?([^\]]*))?\]")


def _od_formula(written: str) -> str:
    """An OpenFormula (``of:=SUM([.B2:.B9])``) as the spreadsheet shows it (``=SUM(B2:B9)``)."""
    text = written.split(":", 1)[1] if re.match(r"^[a-z]+:=", written) else written
    return _OD_REFERENCE.sub(
        lambda m: m.group(1) if m.group(2) is None else f"{m.group(1)}:{m.group(2)}", text
    )


def _od_is_error(cell: ET.Element) -> bool:
    # Any namespace's value-type (calcext: in LibreOffice's files); office:value-type is never
    # "error" in the standard, so the local name is enough.
    return any(k.endswith("}value-type") and v == "error" for k, v in cell.attrib.items())


def _od_has_errors(buf: bytes) -> bool:
    return _OD_ERROR_MARK in buf or (b"error" in buf and _OD_ANY_ERROR_MARK.search(buf) is not None)


def _od_has_hidden(buf: bytes) -> bool:
    return b"visibility" in buf and _OD_HIDDEN_MARK.search(buf) is not None


def _od_has_percent(buf: bytes) -> bool:
    return b"percentage" in buf and _OD_PERCENT_MARK.search(buf) is not None


class _OdBareFormulas:
    """Whether a piece of content.xml has a formula cell without a value type, read in order:
    the prefixes bound to the table namespace in the pieces before are remembered."""

    def __init__(self) -> None:
        self.prefixes = {b"table"}

    def __call__(self, buf: bytes) -> bool:
        if _OD_TABLE_NS in buf:
            self.prefixes.update(_OD_TABLE_PREFIX.findall(buf))
        if _OD_FORMULA_MARK not in buf:
            return False
        for found in _OD_BARE_FORMULA.finditer(buf):
            at = found.start()
            for prefix in self.prefixes:
                # An attribute of this name, not draw:formula (a shape's) or a longer name.
                before = at - len(prefix)
                if buf.endswith(prefix, 0, at) and buf[before - 1 : before].isspace():
                    return True
        return False


def _od_mentions(archive: zipfile.ZipFile, *marks: Callable[[bytes], bool]) -> list[bool]:
    """Whether each of ``marks`` finds something in content.xml: one streamed read, in 1 MiB
    pieces that overlap by more than any spelling of a mark, so that the XML is only read
    whole, and parsed, for a workbook that has what is looked for."""
    keep = 4096  # more than any spelling of a mark
    found = [False] * len(marks)
    with archive.open("content.xml") as handle:
        tail = b""
        while not all(found) and (chunk := handle.read(_CHUNK)):
            buf = tail + chunk
            for i, mark in enumerate(marks):
                found[i] = found[i] or mark(buf)
            # From the start of a tag cut here (a "<" is never inside a value), so that a
            # formula cell's tag longer than `keep` is read whole with the next piece; up to
            # 1 MiB (a formula in Excel has at most 8 192 characters).
            last = buf.rfind(b"<")
            start = len(buf) - keep
            if 0 <= last < start and buf.find(b">", last) < 0:
                start = max(last, len(buf) - (1 << 20))
            tail = buf[max(start, 0) :]
    return found


_OD_VISIBILITY = f"{_OD_TABLE}visibility"
_OD_HIDDEN_MARK = re.compile(rb"""visibility\s*=\s*["'](?:collapse|filter)["']""")
_OD_HIDDEN_RUN = 10_000  # a longer run of hidden repeated rows is the sheet's empty padding
_OD_VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
_OD_STRING_VALUE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}string-value"
_OD_PERCENT_MARK = re.compile(rb"""value-type\s*=\s*(?:"percentage"|'percentage')""")
# A formula cell with no value type has no saved result: a program wrote the formula and no
# spreadsheet has calculated it since (LibreOffice writes a value type on every formula cell it
# saves, after the formula). calamine reads it as empty. Searched from the formula to the end of
# its tag, closed, so that a tag cut off at the end of a piece read is not taken for one; a tag
# with its value type before the formula is a candidate too, and the parse decides. The search
# starts at the literal ":formula" (one that started at a "\b" before the prefix took 2.97 s
# against 1.14 s: docs/benchmarks.md), and takes the attribute as XML allows it to be written:
# between single quotes (which a formula's "text" then needs no escape in), with spaces around
# "=", and with any prefix bound to the table namespace (``_OdBareFormulas``): a program that
# writes XML with a library may name it ns1. calamine reads the cells of a sheet only with the
# prefix "table:", but an attribute's prefix is not the element's.
_OD_FORMULA_MARK = b":formula"
_OD_BARE_FORMULA = re.compile(rb""":formula\s*=\s*(?:"[^"]*"|'[^']*')(?![^>]*value-type)[^>]*>""")
_OD_TABLE_NS = b"urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OD_TABLE_PREFIX = re.compile(
    rb"""xmlns:([\w.-]+)\s*=\s*["']urn:oasis:names:tc:opendocument:xmlns:table:1\.0["']"""
)


def _od_sheet_events(data: bytes, sheet: str) -> Iterator[tuple[str, ET.Element]]:
    """The start and end events of the elements of the table named ``sheet`` in content.xml
    (``data``), those of tables nested in its cells (rare) left out. Each row is cleared after
    its end event, so that memory stays flat."""
    inside = False  # in the table named `sheet`
    nested = 0  # depth of tables inside its cells, which are not its own
    for event, node in ET.iterparse(io.BytesIO(data), events=("start", "end")):
        tag = node.tag
        if tag == _OD_TABLE_TAG:
            if event == "start":
                if inside:
                    nested += 1
                elif node.get(_OD_NAME) == sheet:
                    inside = True
            elif inside:
                if not nested:
                    return
                nested -= 1
            continue
        own = inside and not nested
        if own:
            yield event, node
        if event == "end" and tag == _OD_ROW and (own or not inside):
            node.clear()


def _od_hidden_rows(data: bytes, sheet: str, hidden: set[int]) -> None:
    """Add to ``hidden`` the rows of ``sheet`` (from 1) that are collapsed or filtered out."""
    row = 0
    for event, node in _od_sheet_events(data, sheet):
        if event == "end" and node.tag == _OD_ROW:
            repeat = int(node.get(_OD_ROWS_REPEATED, "1") or 1)
            if node.get(_OD_VISIBILITY) in ("collapse", "filter") and repeat <= _OD_HIDDEN_RUN:
                hidden.update(range(row + 1, row + repeat + 1))
            row += repeat


_Picked = TypeVar("_Picked")


def _od_percent_cells(data: bytes, sheet: str, percent: Percent) -> None:
    """Add to ``percent`` the cells of ``sheet`` whose value is a percentage
    (``office:value-type="percentage"``: shown 85 %, held 0.85)."""

    def pick(node: Any) -> bool | None:
        return True if node.get(_OD_VALUE_TYPE) == "percentage" else None

    for row, repeat, cells in _od_picked_rows(data, sheet, pick):
        if repeat <= _OD_HIDDEN_RUN:  # a longer run is padding, not rows
            for column, _ in cells:
                percent.setdefault(column, set()).update(range(row + 1, row + repeat + 1))


_OD_ROWS_SPANNED = f"{_OD_TABLE}number-rows-spanned"
_OD_COLUMNS_SPANNED = f"{_OD_TABLE}number-columns-spanned"
# A cell merged down over two rows or more (one row: merged across only, said of nothing).
_OD_MERGE_MARK = re.compile(rb"""rows-spanned\s*=\s*["']\s*0*(?:[2-9]|[1-9]\d)""")


def _od_has_merges(buf: bytes) -> bool:
    return b"rows-spanned" in buf and _OD_MERGE_MARK.search(buf) is not None


def _od_span(text: str | None) -> int:
    """A cell's number-rows- or number-columns-spanned, 1 when missing or not a number."""
    try:
        return max(int(text or 1), 1)
    except ValueError:
        return 1


def _od_merges(data: bytes, sheet: str, merges: list[Any]) -> None:
    """Add to ``merges`` the cells of ``sheet`` merged down over two rows or more, as calamine
    gives merged ranges for an .xlsx (0-based (top, left), (bottom, right)), which it does not
    for an OpenDocument sheet."""

    def pick(node: Any) -> tuple[int, int] | None:
        rows = _od_span(node.get(_OD_ROWS_SPANNED))
        return (rows, _od_span(node.get(_OD_COLUMNS_SPANNED))) if rows > 1 else None

    for row, _, cells in _od_picked_rows(data, sheet, pick):
        for column, (rows, columns) in cells:
            merges.append(((row, column), (row + rows - 1, column + columns - 1)))


def _od_picked_rows(
    data: bytes, sheet: str, pick: Callable[[Any], _Picked | None]
) -> Iterator[tuple[int, int, list[tuple[int, _Picked]]]]:
    """The rows of ``sheet`` with cells ``pick`` gives a value for (not None): each as its
    first row (from 0), how many rows it stands for (``number-rows-repeated``), and the
    cells' columns (from 0; a repeated cell once per column) with their values."""
    row = col = 0
    in_row: list[tuple[int, _Picked]] = []
    for event, node in _od_sheet_events(data, sheet):
        tag = node.tag
        if event == "start":
            if tag == _OD_ROW:
                col = 0
                in_row = []
        elif tag in _OD_CELLS:
            repeat = int(node.get(_OD_COLUMNS_REPEATED, "1") or 1)
            value = pick(node)
            if value is not None:
                in_row.extend((col + k, value) for k in range(repeat))
            col += repeat
        elif tag == _OD_ROW:
            repeat = int(node.get(_OD_ROWS_REPEATED, "1") or 1)
            if in_row:
                yield row, repeat, in_row
            row += repeat


def ods_scan(
    path: Path,
    sheet: str,
    hidden: set[int] | None = None,
    percent: Percent | None = None,
    merges: list[Any] | None = None,
) -> Cells:
    """Each cell of ``sheet`` in an OpenDocument spreadsheet whose value is an error: its
    (0-based row, column) -> (formula as shown, error as shown, such as ``#N/A`` or
    ``Err:502``). Positions count repeated rows and cells as the spreadsheet shows them, as
    calamine does. With ``hidden``, the rows of ``sheet`` collapsed or filtered out are added to
    it (from 1); with ``percent``, the cells whose value is a percentage; with ``merges``, the
    cells merged down over rows (see :func:`_od_merges`).

    A formula cell without a saved value (no value type: written by a program, never
    calculated) is given as its formula alone, as in an .xlsx.

    A file without an error cell or a hidden row costs one streamed substring search. Error
    cells are searched as text where the file is written as every spreadsheet program writes it
    (:func:`_od_errors_in_text`: 0.05 s at 100 000 rows), else parsed as XML (2 s); hidden rows
    are found by parsing.
    """
    with zipfile.ZipFile(path) as archive:
        if "content.xml" not in archive.NameToInfo:
            return {}
        marks = [_od_has_errors]
        if hidden is not None:
            marks.append(_od_has_hidden)
        if percent is not None:
            marks.append(_od_has_percent)
        if merges is not None:
            marks.append(_od_has_merges)
        has_bare_formulas = _OdBareFormulas()
        marks.append(has_bare_formulas)
        seen = dict(zip(marks, _od_mentions(archive, *marks), strict=True))
        errors = seen[_od_has_errors]
        hides = seen.get(_od_has_hidden, False)
        percentages = seen.get(_od_has_percent, False)
        merged = seen.get(_od_has_merges, False)
        bare = seen[has_bare_formulas]
        if not (errors or hides or percentages or merged or bare):
            return {}
        data = archive.read("content.xml")
    if hidden is not None and hides:
        _od_hidden_rows(data, sheet, hidden)
    if merges is not None and merged:
        _od_merges(data, sheet, merges)
    if percent is not None and percentages:
        _od_percent_cells(data, sheet, percent)
    found: Cells = {}
    if errors:
        in_text = _od_errors_in_text(data, sheet)
        found = in_text if in_text is not None else _od_errors_parsed(data, sheet)
    if bare:
        for cell, formula in _od_bare_formulas(data, sheet).items():
            found.setdefault(cell, formula)
    return found


def _od_bare_formulas(data: bytes, sheet: str) -> Cells:
    """The formula cells of ``sheet`` without a value type (no saved result): each cell's
    (0-based row, column) -> its formula as the spreadsheet shows it."""

    def pick(node: Any) -> str | None:
        formula = node.get(_OD_FORMULA)
        if formula is None or any(k.endswith("}value-type") for k in node.attrib):
            return None
        return _od_formula(formula)

    found: Cells = {}
    for row, repeat, cells in _od_picked_rows(data, sheet, pick):
        _od_cells_of_row(found, row, repeat, cells)
    return found


def ods_error_cells(path: Path, sheet: str) -> Cells:
    """:func:`ods_scan` for the error cells alone."""
    return ods_scan(path, sheet)


MAX_REPEATED_ROWS: Final = 100_000
"""The most times an .ods may repeat a row with a value in it (``number-rows-repeated``): more
copies of one row than a real round has applications. A value or formula filled down to the
last row is written once and repeated a million times: a 1 KiB file that calamine and the checks
after it expand to a million applications, gigabytes of memory."""
# Not the empty cell that ends a row to column AMJ (LibreOffice's padding): searched past in C.
_OD_LONG_REPEAT = re.compile(
    rb"""number-(rows|columns)-repeated\s*=\s*["']\s*([0-9]{3,})(?![^>]*/>\s*</table:table-row>)"""
)
_OD_VALUE_MARKS = re.compile(rb"value-type|:formula|<text:|<office:")
_OD_TABLE_END = b"</table:table>"
_OD_ROW_END = b"</table:table-row>"
_OD_REPEATS_SEEN = 10_000  # repeats (of 100 or more) besides the padding, before a closer look


class OdsTooFar(NamedTuple):
    """What makes a sheet of an .ods too large to read (see :func:`ods_far_corner`)."""

    sheet: str
    rows: int
    """From row 1 to the farthest row with a value, repeats counted."""
    columns: int
    """From column A to the farthest column with a value."""
    repeated_from: int = 0
    """The row (from 1) repeated more than :data:`MAX_REPEATED_ROWS` times, or 0."""


def ods_far_corner(path: Path) -> OdsTooFar | None:
    """The first sheet of an OpenDocument spreadsheet that spans more than :data:`MAX_CELLS`
    from A1 to its farthest cell with a value, or repeats a row with a value more than
    :data:`MAX_REPEATED_ROWS` times; None when none does, or the file is too damaged to tell
    (calamine, reading it next, says so). calamine reads every sheet of an .ods when it opens
    it, so every sheet is looked at, before.

    An .ods stores a run of equal rows or cells once, with how many times it repeats. A file
    costs one streamed search of content.xml for repeats of 100 or more: those of the empty
    rows and cells LibreOffice pads a sheet with to its end (styled, when a whole column is
    formatted) are left alone; any other, of more than 10 000 in all, has the rows parsed and
    counted.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            if "content.xml" not in archive.NameToInfo:
                return None
            if not _od_long_repeats(archive):
                return None
            with archive.open("content.xml") as handle:
                return _od_far(handle)
    except (OSError, zipfile.BadZipFile, zlib.error, ET.ParseError, KeyError, EOFError):
        return None


def _od_long_repeats(archive: zipfile.ZipFile) -> bool:
    """Whether content.xml repeats rows or cells, not counting the padding, more than
    ``_OD_REPEATS_SEEN`` times in all: streamed in 1 MiB pieces, each looked at up to the last
    tag that starts 64 KiB before its end (the rest is looked at with the next)."""
    keep = 1 << 16
    seen = 0
    with archive.open("content.xml") as handle:
        buf = b""
        while True:
            chunk = handle.read(_CHUNK)
            buf += chunk
            end = max(buf.rfind(b"<", 0, len(buf) - keep), 0) if chunk else len(buf)
            for found in _OD_LONG_REPEAT.finditer(buf):
                if found.start() >= end:
                    break
                if not _od_padding(buf, found):
                    seen += int(found.group(2))
                    if seen > _OD_REPEATS_SEEN:
                        return True
            if not chunk:
                return False
            buf = buf[end:]


def _od_padding(buf: bytes, found: re.Match[bytes]) -> bool:
    """Whether the repeat ``found`` is a column's definition, or empty rows or cells with
    nothing after them but empty ones to the end of their table or row: padding, not data."""
    tag = buf.rfind(b"<", 0, found.start())
    name = buf[tag + 1 : found.start()].split(None, 1)[0] if tag >= 0 else b""
    if name.endswith((b"table-column", b"table-columns")):
        return True
    closes = _OD_ROW_END if found.group(1) == b"columns" else _OD_TABLE_END
    if not name.endswith((b"table-row", b"table-cell")):
        return False
    until = buf.find(closes, found.end())
    if until < 0:
        return False  # not within reach: looked at closer
    return _OD_VALUE_MARKS.search(buf, found.end(), until) is None


def _od_far(content: IO[bytes]) -> OdsTooFar | None:
    """:func:`ods_far_corner` by parsing content.xml, streamed (each row cleared once read)."""
    name = ""
    depth = 0  # of tables: those nested in a cell count in the sheet that holds them
    row = rows = columns = 0
    col = width = 0  # in the row: columns so far, and to its last cell with a value
    for event, node in ET.iterparse(content, events=("start", "end")):
        tag = node.tag
        if tag == _OD_TABLE_TAG:
            depth += 1 if event == "start" else -1
            if event == "start" and depth == 1:
                name = node.get(_OD_NAME) or ""
                row = rows = columns = 0
            elif event == "end" and depth == 0:
                if rows * columns > MAX_CELLS:
                    return OdsTooFar(name, rows, columns)
                node.clear()
            continue
        if depth != 1:
            continue
        if event == "start":
            if tag == _OD_ROW:
                col = width = 0
        elif tag in _OD_CELLS:
            repeat = int(node.get(_OD_COLUMNS_REPEATED, "1") or 1)
            col += repeat
            if _od_filled(node):
                width = col
        elif tag == _OD_ROW:
            repeat = int(node.get(_OD_ROWS_REPEATED, "1") or 1)
            if width:
                if repeat > MAX_REPEATED_ROWS:
                    return OdsTooFar(name, row + repeat, width, row + 1)
                rows = row + repeat
                columns = max(columns, width)
            row += repeat
            node.clear()
    return None


def _od_filled(cell: Any) -> bool:
    """Whether a cell has a formula, a value other than text, or text that is not empty (a
    comment alone is none: calamine leaves it out, and an empty text reads as an empty cell)."""
    kind = cell.get(_OD_VALUE_TYPE)
    if cell.get(_OD_FORMULA) is not None or kind not in (None, "string"):
        return True
    if cell.get(_OD_STRING_VALUE):
        return True
    return any(
        child.tag != _OD_ANNOTATION_TAG and "".join(child.itertext()).strip() for child in cell
    )


def _od_cells_of_row(found: Cells, row: int, rows: int, cells: list[tuple[int, Any]]) -> None:
    for r in range(row, min(row + rows, _OD_MAX_ROWS)):
        for c, cell in cells:
            found[(r, c)] = cell


def _od_errors_parsed(data: bytes, sheet: str) -> Cells:
    """:func:`ods_scan`'s error cells by parsing content.xml (``data``): any way the XML is
    written."""

    def pick(node: Any) -> tuple[str, str] | None:
        if not _od_is_error(node):
            return None
        shown = (t for child in node if child.tag != _OD_ANNOTATION_TAG for t in child.itertext())
        return _od_formula(node.get(_OD_FORMULA, "")), "".join(shown).strip() or "#VALUE!"

    found: Cells = {}
    for row, repeat, cells in _od_picked_rows(data, sheet, pick):
        _od_cells_of_row(found, row, repeat, cells)
    return found


# The same as text, for content.xml written the usual way (the table namespace as "table:").
_OD_USUAL = b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
_OD_TABLE_OPEN = re.compile(rb"<table:table[\s>]([^>]*)>")
_OD_NAME_ATTR = re.compile(rb'\btable:name="([^"]*)"')
_OD_ROW_OPEN = re.compile(rb"<table:table-row[\s/>]")
_OD_ROWS_REPEATED_OPEN = re.compile(
    rb'<table:table-row\s[^>]*?\btable:number-rows-repeated="(\d+)"'
)
# A cell's opening tag, its attributes (and the "/" of an empty cell's) as group 1: greedy, which
# is 9 times faster than a lazy match before an optional "/".
_OD_CELL_OPEN = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*)>")
_OD_COLUMNS_ATTR = re.compile(rb'\btable:number-columns-repeated="(\d+)"')
_OD_ROWS_ATTR = re.compile(rb'\btable:number-rows-repeated="(\d+)"')
_OD_FORMULA_ATTR = re.compile(rb'\btable:formula="([^"]*)"')
_OD_TAG = re.compile(rb"<[^>]*>")
# A comment on a cell (its author, date and text): not part of what the cell shows.
_OD_ANNOTATION = re.compile(rb"<([\w.-]+:)annotation\b[^>]*?(?:/>|>.*?</\1annotation>)", re.DOTALL)


def _od_text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", "replace"))


def _od_errors_in_text(data: bytes, sheet: str) -> Cells | None:
    """:func:`ods_error_cells` without parsing: from each error mark back to the cell, its row
    and the table, counting only the rows between one error and the next. ``None`` when the
    XML is not written the usual way (another prefix, a table inside a cell, a mark outside a
    cell's tag): then it is parsed instead."""
    root = data.find(b"<office:document-content")
    if root < 0 or data.find(_OD_USUAL, root, data.find(b">", root)) < 0:
        return None
    start = end = -1
    for table in _OD_TABLE_OPEN.finditer(data):
        name = _OD_NAME_ATTR.search(table.group(1))
        if name is not None and _od_text(name.group(1)) == sheet:
            start = table.end()
            end = data.find(b"</table:table>", start)
            break
    if start < 0:
        return {}
    if end < 0 or _OD_TABLE_OPEN.search(data, start, end) is not None:
        return None
    if len(_OD_ANY_ERROR_MARK.findall(data, start, end)) != data.count(_OD_ERROR_MARK, start, end):
        return None  # a mark written another way than LibreOffice writes it
    found: Cells = {}
    row, rows, row_at = -1, 1, start  # the row last opened: its index, repeat and position
    counted = start  # rows opened before here are counted in `row`
    col_row_at, col_at, col = -1, start, 0  # cells of the row at col_row_at before col_at: col
    mark = data.find(_OD_ERROR_MARK, start, end)
    while mark >= 0:
        cell_at = data.rfind(b"<table:table-cell", counted, mark)
        if cell_at < 0 or data.find(b">", cell_at, mark) >= 0:
            return None
        opened = [m.start() for m in _OD_ROW_OPEN.finditer(data, counted, cell_at)]
        if opened:
            # Every row opened before the last one here counts as many rows as it repeats.
            # (The row last opened before these counted its repeat already: `rows`.)
            after = row_at + 1 if row >= 0 else start
            repeats = _OD_ROWS_REPEATED_OPEN.finditer(data, after, opened[-1])
            row += rows + len(opened) - 1 + sum(int(m.group(1)) - 1 for m in repeats)
            row_at = opened[-1]
            repeated = _OD_ROWS_ATTR.search(data, row_at, data.find(b">", row_at))
            rows = int(repeated.group(1)) if repeated else 1
        if row < 0:
            return None
        counted = cell_at
        if row_at != col_row_at:  # a new row: count its cells from its start
            col_row_at, col_at, col = row_at, row_at, 0
        # Cells before this one in its row, counted on from the previous error in the row (so
        # that a row of many error cells is not counted again from its start for each).
        for before in _OD_CELL_OPEN.finditer(data, col_at, cell_at):
            attributes = before.group(1)
            if attributes.count(b'"') % 2:
                return None  # a ">" inside a quoted value: this tag's end is not where it seems
            repeated = _OD_COLUMNS_ATTR.search(attributes)
            col += int(repeated.group(1)) if repeated else 1
        col_at = cell_at
        cell = _OD_CELL_OPEN.match(data, cell_at)
        if cell is None:
            return None
        written = _OD_FORMULA_ATTR.search(cell.group(1))
        formula = _od_formula(_od_text(written.group(1))) if written else ""
        error = ""
        if not cell.group(1).endswith(b"/"):
            close = data.find(b"</table:table-cell>", cell.end(), end)
            shown = _OD_ANNOTATION.sub(b"", data[cell.end() : close])  # a comment is not shown
            error = _od_text(_OD_TAG.sub(b"", shown)).strip()
        repeated = _OD_COLUMNS_ATTR.search(cell.group(1))
        width = int(repeated.group(1)) if repeated else 1
        value = (formula, error or "#VALUE!")
        _od_cells_of_row(found, row, rows, [(col + k, value) for k in range(width)])
        mark = data.find(_OD_ERROR_MARK, mark + 1, end)
    return found


Scanner = Callable[[Path, str, set[int], list[Any], Percent, set[tuple[int, int]]], Cells]
"""A format's scan: (path, sheet, hidden rows, merges, percent cells, cells holding a formula
saved with empty text: .xls only) -> the cells calamine reads as empty that are not."""
"""Reads a sheet for the cells calamine reads as empty; adds the hidden rows it finds to the set,
where calamine does not give them (.xlsb) the merged ranges to the list, and the number cells
formatted as a percentage to the last argument."""


class _Scan(threading.Thread):
    """A scan of the sheet's XML (:func:`formulas_without_value`, :func:`ods_error_cells`) in
    the background while calamine parses the same sheet."""

    def __init__(self, path: Path, sheet: str, scanner: Scanner) -> None:
        super().__init__(name="tilskudd-formula-scan", daemon=True)
        self.path = path
        self.sheet = sheet
        self.scanner = scanner
        self.cells: Cells = {}
        self.hidden: set[int] = set()
        self.merges: list[Any] = []
        self.percent: Percent = {}
        self.empty: set[tuple[int, int]] = set()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.cells = self.scanner(
                self.path, self.sheet, self.hidden, self.merges, self.percent, self.empty
            )
        except (OSError, zipfile.BadZipFile, zlib.error, ET.ParseError, KeyError, EOFError):
            # The file is damaged: calamine, reading the same bytes, reports it properly.
            self.cells = {}
            self.hidden = set()
            self.merges = []
            self.percent = {}
            self.empty = set()
        except Exception as exc:  # a bug here: hand it to the reading thread, not stderr
            self.error = exc


# The formats scanned for cells calamine reads as empty, and for hidden rows (the .xls records
# by reading.biff, the .xlsb records by reading.xlsb).
_SCANNERS: dict[str, Scanner] = {
    "xlsx": lambda path, sheet, hidden, _merges, percent, _empty: formulas_without_value(
        path, sheet, hidden, percent
    ),
    "ods": lambda path, sheet, hidden, merges, percent, _empty: ods_scan(
        path, sheet, hidden, percent, merges
    ),
    "xls": lambda path, sheet, hidden, _merges, percent, empty: dict(
        xls_error_cells(path, sheet, hidden, percent, empty)
    ),
    "xlsb": lambda path, sheet, hidden, merges, percent, _empty: dict(
        xlsb_scan(path, sheet, hidden, merges, percent)
    ),
}


@contextmanager
def _calamine_errors(file: str, sniffed: Sniffed, t: Translator) -> Iterator[None]:
    """Turn calamine's failures on a damaged file into one clear InputFileError."""
    try:
        yield
    except PasswordError:
        raise InputFileError(t("read.error.password", file=file)) from None
    except InputFileError:
        raise
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:  # calamine (Rust) panics are BaseExceptions, not Exceptions
        kind = t(f"read.error.format.{sniffed.named or sniffed.format}")
        reason = str(exc).strip() or type(exc).__name__
        raise InputFileError(
            t("read.error.corrupt", file=file, format=kind, reason=reason)
        ) from None


# "thread '<unnamed>' (7242) panicked at …", the panic's words, a backtrace if asked for, and a
# line "note: run with `RUST_BACKTRACE=1` …" (or "note: Some details are omitted …") to end it.
_PANIC = re.compile(rb"\n?thread '[^\n]*?panicked at .*?\nnote: [^\n]*\n?", re.DOTALL)


class _HeldStderr:
    """File descriptor 2 sent to a temporary file while any thread is inside
    :func:`rust_panics_unsaid`: the first to enter sends it there, the last to leave restores it.
    The descriptor belongs to the process, so threads reading at once (a service reading two
    files) must share one hold; each its own would leave stderr in a deleted temporary file
    when they leave in another order than they came."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.inside = 0
        self.saved = -1
        self.held: IO[bytes] | None = None

    def enter(self) -> bool:
        """Hold stderr (or count one more inside); False where there is no descriptor 2."""
        with self.lock:
            if self.inside == 0:
                try:
                    sys.stderr.flush()
                    saved = os.dup(2)
                except (OSError, ValueError, AttributeError):  # no descriptor 2: as it is
                    return False
                self.held = tempfile.TemporaryFile()  # noqa: SIM115  # closed by leave()
                self.saved = saved
                os.dup2(self.held.fileno(), 2)
            self.inside += 1
            return True

    def leave(self) -> None:
        """The last one out restores stderr and writes out what was not a panic."""
        with self.lock:
            self.inside -= 1
            if self.inside:
                return
            held, self.held = self.held, None
            assert held is not None
            with contextlib.suppress(OSError, ValueError, AttributeError):
                sys.stderr.flush()
            os.dup2(self.saved, 2)
            os.close(self.saved)
            with held:
                held.seek(0)
                kept = _PANIC.sub(b"", held.read())
            if kept:
                os.write(2, kept)


_STDERR = _HeldStderr()


@contextmanager
def rust_panics_unsaid() -> Iterator[None]:
    """Keep Rust's panic messages off stderr while calamine reads a file.

    calamine panics on some damaged files; the panic becomes a Python exception, which
    :func:`_calamine_errors` says as a damaged file with the panic's words, but Rust prints it
    first on stderr (``thread '<unnamed>' panicked at /root/.cargo/registry/…``, a whole
    backtrace with RUST_BACKTRACE set), above tilskudd's message. Standard error (file
    descriptor 2) goes to a temporary file meanwhile, one for every thread inside at once
    (:class:`_HeldStderr`); what else was written there is written out afterwards.
    """
    if not _STDERR.enter():
        yield
        return
    try:
        yield
    finally:
        _STDERR.leave()


def _grid(rows: list[list[Any]]) -> Grid:
    """calamine's rows with '' (its empty cell) replaced by None, in place."""
    for cells in rows:
        # list.count and list.index are C-speed: far cheaper than a comprehension over every
        # cell, and counting first spares the exception that ends an index search (100k rows:
        # 0.05 -> 0.035 s).
        empty = cells.count("")
        if empty:
            j = 0
            for _ in range(empty):
                j = cells.index("", j)
                cells[j] = None
    return rows


def _place_formulas(grid: Grid, cells: Cells) -> dict[int, int]:
    """Put a FormulaWithoutValue in each cell of ``cells``; returns row -> how many it got."""
    if not cells:
        return {}
    width = max(len(grid[0]) if grid else 0, max(c for _, c in cells) + 1)
    height = max(len(grid), max(r for r, _ in cells) + 1)
    # calamine leaves valueless cells out of the sheet's range: widen it to hold them.
    for row in grid:
        if len(row) < width:
            row.extend([None] * (width - len(row)))
    while len(grid) < height:
        grid.append([None] * width)
    per_row: dict[int, int] = {}
    for (r, c), formula in cells.items():
        if isinstance(formula, tuple):
            written, error = formula
            grid[r][c] = FormulaWithoutValue(written, error, recalc=error is None)
        else:
            grid[r][c] = FormulaWithoutValue(formula)
        per_row[r] = per_row.get(r, 0) + 1
    return per_row


def _resolve_sheet(names: list[str], sheet: str | int, file: str, t: Translator) -> str:
    if isinstance(sheet, str):
        if sheet in names:
            return sheet
        # Or as tilskudd names it: a bidi control or control character in the name shown as
        # its code ('Søknader<U+202E>', tilskudd.controls), as the messages give it to copy.
        wanted = sheet.strip().casefold()
        folded = [
            n for n in names if wanted in (n.strip().casefold(), visible(n).strip().casefold())
        ]
        if len(folded) == 1:
            return folded[0]
        if sheet.strip().isdigit():
            sheet = int(sheet.strip())
        else:
            raise InputFileError(
                t(
                    "read.error.sheet_not_found",
                    file=file,
                    sheet=sheet,
                    sheets=names,
                )
            )
    if not 1 <= sheet <= len(names):
        raise InputFileError(
            t(
                "read.error.sheet_index",
                file=file,
                index=sheet,
                count=len(names),
                sheets=names,
            )
        )
    return names[sheet - 1]


@rust_panics_unsaid()  # entered anew on each call: stderr held while calamine reads
def read_workbook(
    path: Path,
    sniffed: Sniffed,
    *,
    file: str,
    sheet: str | int | None,
    column_map: Mapping[str, str] | None,
    t: Translator,
    issues: list[Issue],
    meanwhile: Callable[[], object] | None = None,
    currency: str = "NOK",
) -> RawTable:
    """Read one sheet of a workbook into a :class:`RawTable`.

    With ``sheet`` None, the first visible worksheet whose header row names the amount applied
    for is read (or, failing that, the first with any recognisable header, to say what is
    missing). ``sheet`` is a name or a 1-based number. ``meanwhile`` is called once, on this
    thread, while calamine parses the first sheet read on another (see :func:`_parse_beside`).
    ``currency``: the round's, which an amount's header may name (:func:`find_header`).
    """
    if sniffed.format == "xls":
        # calamine would follow the chain until memory runs out, or set aside room for more
        # cells than there is memory, and the process would abort.
        reason = (
            "sector_cycle"
            if runs_in_circles(path)
            else "sheet_size"
            if size_out_of_bounds(path)
            else None
        )
        if reason is not None:
            kind = t(f"read.error.format.{sniffed.named or sniffed.format}")
            raise InputFileError(
                t("read.error.corrupt", file=file, format=kind, reason=t(f"read.error.{reason}"))
            )
    if sniffed.format == "ods":
        # calamine reads every sheet when it opens an .ods, repeats and all.
        far = ods_far_corner(path)
        if far is not None:
            raise _ods_too_far(far, file, t)
    with _calamine_errors(file, sniffed, t):
        if sniffed.named == sniffed.format:
            book = CalamineWorkbook.from_path(str(path))
        else:
            # calamine picks its reader by the file's extension; from a file object it looks
            # at the content, which is what a misnamed file needs.
            with path.open("rb") as handle:
                book = CalamineWorkbook.from_filelike(handle)
    try:
        with _calamine_errors(file, sniffed, t):
            metadata = book.sheets_metadata
        names = [m.name for m in metadata]
        if not names:
            raise InputFileError(t("read.error.no_sheets", file=file))
        if sheet is not None:
            candidates = [_resolve_sheet(names, sheet, file, t)]
        else:
            worksheets = [m for m in metadata if m.typ == SheetTypeEnum.WorkSheet] or metadata
            visible = [m.name for m in worksheets if m.visible == SheetVisibleEnum.Visible]
            candidates = visible or [m.name for m in worksheets]

        scanner = _SCANNERS.get(sniffed.format)
        # The first sheet whose header has the requested amount and another field; else the
        # first whose header has the amount alone (an instructions sheet that lists the columns
        # one to a row has a row "Søkt beløp | i hele kroner"); else the first with a header.
        chosen: tuple[str, Grid, HeaderMatch, _SheetExtras] | None = None
        amount_alone: tuple[str, Grid, HeaderMatch, _SheetExtras] | None = None
        first_grid: tuple[str, Grid] | None = None
        for name in candidates:
            grid, extras = _read_sheet(book, path, name, scanner, file, sniffed, t, meanwhile)
            meanwhile = None
            match = find_header(grid, column_map, currency=currency)
            if first_grid is None:
                first_grid = (name, grid)
            if match is None:
                if sheet is not None:
                    raise header_problem(grid, file, name, t)
                continue
            if sheet is not None or (match.has_required and match.score >= 2):
                chosen = (name, grid, match, extras)
                amount_alone = None
                break
            if match.has_required:
                if amount_alone is None:
                    amount_alone = (name, grid, match, extras)
            elif chosen is None:
                chosen = (name, grid, match, extras)
        chosen = amount_alone or chosen
        if chosen is not None:
            name, grid, match, extras = chosen
            at = len(issues)
            table = build_table(
                grid,
                match,
                file=file,
                sheet=name,
                t=t,
                issues=issues,
                formula_rows=extras.formula_rows,
            )
            if extras.merges:
                # Said before what build_table found, as the rows come; only merges over rows
                # read as applications (a two-row header again is skipped, merges and all).
                # A value merged down a column of text is read on every row under it.
                rest, filled = read_merges_down(extras.merges, table, match.mapped_by, match.extra)
                kept = {number for number, _ in table.rows}
                said = _merge_warnings(rest, match.index + 1, file, name, kept)
                issues[at:at] = [*filled, *said]
            if extras.hidden:
                numbers = [number for number, _ in table.rows]
                issues.extend(_hidden_warning(numbers, extras.hidden, file, name))
            if extras.empty_formulas:
                issues.extend(_empty_formula_warning(extras.empty_formulas, table, file, name))
            if sheet is None and amount_alone is None:
                later = candidates[candidates.index(name) + 1 :]
                also, unseen = _sheets_with_applications(
                    book, path, later, column_map, file, sniffed, t, currency
                )
                for other, (height, width) in unseen:
                    cell = f"{column_letter(width - 1)}{height}"
                    beyond = beyond_spreadsheets(height, width)
                    issues.append(
                        Issue(
                            severity=Severity.WARNING,
                            code=f"read.other_sheet_{'beyond' if beyond else 'too_far'}",
                            params={"sheet": other, "cell": cell}
                            | (
                                {"rows": EXCEL_ROWS, "column": column_letter(EXCEL_COLUMNS - 1)}
                                if beyond
                                else {}
                            ),
                            location=Location(file=file, sheet=other),
                        )
                    )
                if also:
                    issues.append(
                        Issue(
                            severity=Severity.WARNING,
                            code="read.other_sheets_with_applications",
                            params={"sheet": name, "sheets": also},
                            location=Location(file=file, sheet=name),
                        )
                    )
            table.percent_cells = extras.percent
            return table
        raise _no_header_anywhere(file, candidates, first_grid, t)
    finally:
        book.close()


def _ods_too_far(far: OdsTooFar, file: str, t: Translator) -> InputFileError:
    if not far.repeated_from or beyond_spreadsheets(far.rows, far.columns):
        return too_far(where(t, file, far.sheet), far.rows, far.columns, t)
    return InputFileError(
        t(
            "read.error.repeated_far",
            where=where(t, file, far.sheet),
            row=far.repeated_from,
            last=far.rows,
            count=far.rows - far.repeated_from + 1,
            cell=f"{column_letter(far.columns - 1)}{far.rows}",
            max=MAX_REPEATED_ROWS,
        )
    )


def _sheets_with_applications(
    book: CalamineWorkbook,
    path: Path,
    names: Sequence[str],
    column_map: Mapping[str, str] | None,
    file: str,
    sniffed: Sniffed,
    t: Translator,
    currency: str = "NOK",
) -> tuple[list[str], list[tuple[str, tuple[int, int]]]]:
    """Those of the visible sheets ``names`` whose header names the amount requested and
    another field, with an amount under it: applications kept one sheet per category
    ("Kultur", "Idrett") that reading the first sheet alone would leave out without a word.
    Also the sheets not looked at, with the far cell that kept them out (its row and column,
    from 1): calamine parses a whole sheet to give its first rows, and one whose cells reach
    too far would end the process (:func:`far_corner`)."""
    found: list[str] = []
    unseen: list[tuple[str, tuple[int, int]]] = []
    for name in names:
        corner = _far_corner_of(path, name, sniffed)
        if corner is not None:
            unseen.append((name, corner))
            continue
        with _calamine_errors(file, sniffed, t):
            rows = book.get_sheet_by_name(name).to_python(
                skip_empty_area=False, nrows=HEADER_SCAN_ROWS + 50
            )
        grid = _grid(rows)
        match = find_header(grid, column_map, currency=currency)
        if match is None or not match.has_required or match.score < 2:
            continue
        column = match.fields.get(REQUIRED)
        below = grid[match.index + 1 :]
        if column is not None and any(not is_empty(cells[column]) for cells in below):
            found.append(name)
    return found, unseen


def _no_header_anywhere(
    file: str, sheets: list[str], first: tuple[str, Grid] | None, t: Translator
) -> InputFileError:
    if first is None or len(sheets) == 1:
        name, grid = first if first is not None else (sheets[0], [])
        return header_problem(grid, file, name, t)
    name, grid = first
    shown = describe_first_row(grid, t)
    detail = (
        t("read.error.first_row", where=where(t, file, name), row=shown[0], cells=shown[1])
        if shown
        else t("read.error.sheet_empty", where=where(t, file, name))
    )
    return InputFileError(t("read.error.no_header_any", file=file, sheets=sheets, detail=detail))


class _SheetExtras(NamedTuple):
    """What a sheet holds beside calamine's values."""

    formula_rows: dict[int, int]
    """0-based row -> how many cells in it have no usable value (see _place_formulas)."""
    merges: list[Any]
    """Merged cells, as calamine gives them."""
    hidden: set[int]
    """Rows hidden in the sheet, from 1."""
    percent: Percent
    """Number cells formatted as a percentage."""
    empty_formulas: frozenset[tuple[int, int]] = frozenset()
    """(0-based row, column) of the cells of an .xls holding a formula saved with empty text."""


def _read_sheet(
    book: CalamineWorkbook,
    path: Path,
    name: str,
    scanner: Scanner | None,
    file: str,
    sniffed: Sniffed,
    t: Translator,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[Grid, _SheetExtras]:

    # The extent first, alone: measured on a quiet machine this takes 0.1 s off reading 100 000
    # rows against checking it on the parse's thread before calamine starts (docs/benchmarks.md).
    corner = _far_corner_of(path, name, sniffed)
    if corner is not None:
        raise too_far(where(t, file, name), *corner, t)
    scan = _Scan(path, name, scanner) if scanner is not None else None
    if scan is not None:
        scan.start()
    try:
        parsed = _parse_beside(book, name, meanwhile)
        with _calamine_errors(file, sniffed, t):
            # skip_empty_area=False: row 0 is the sheet's row 1 and column 0 is A, so positions
            # are the spreadsheet's own.
            sheet = parsed()
            rows = sheet.to_python(skip_empty_area=False)
            merges = list(getattr(sheet, "merged_cell_ranges", None) or ())
    finally:
        if scan is not None:
            scan.join()
    if scan is not None and scan.error is not None:
        raise scan.error
    grid = _grid(rows)
    if scan is None:
        return grid, _SheetExtras({}, as_corners(merges), set(), {})
    merges = as_corners(merges or scan.merges)  # calamine gives none for an .xlsb or an .ods
    if scan.cells:
        # The cells without a value widen the grid to hold them (_place_formulas): a formula
        # far out, in a sheet whose <dimension> said less, would ask for the same memory.
        height = max(len(grid), max(r for r, _ in scan.cells) + 1)
        width = max(len(grid[0]) if grid else 0, max(c for _, c in scan.cells) + 1)
        if height * width > MAX_CELLS:
            raise too_far(where(t, file, name), height, width, t)
    formula_rows = _place_formulas(grid, scan.cells)
    return grid, _SheetExtras(
        formula_rows, merges, scan.hidden, scan.percent, frozenset(scan.empty)
    )


def _far_corner_of(path: Path, name: str, sniffed: Sniffed) -> tuple[int, int] | None:
    """(rows, columns) of sheet ``name`` when its cells span more than :data:`MAX_CELLS`, as
    :func:`far_corner` finds it in an .xlsx and an .xlsb (an .ods is looked at before the
    workbook is opened); None when they do not. calamine must not parse such a sheet."""
    if sniffed.format == "xlsx":
        return far_corner(path, name)
    if sniffed.format == "xlsb":
        return xlsb_far_corner(path, name, MAX_CELLS)
    return None


def _parse_beside(
    book: CalamineWorkbook,
    name: str,
    meanwhile: Callable[[], object] | None,
) -> Callable[[], CalamineSheet]:
    """Sheet ``name`` of ``book`` parsed, with ``meanwhile()`` run on this thread during the parse.

    calamine lets go of the GIL while it parses a sheet (0.8 s for 100 000 rows), so with
    ``meanwhile`` the parse runs on a thread of its own and this thread does the caller's work
    beside it (the command imports what it needs next). Returns a function that gives the sheet,
    or raises what calamine raised: called inside :func:`_calamine_errors`, which words it as
    it would without the thread. An error of ``meanwhile`` is raised as it is, after the parse.
    """
    if meanwhile is None:
        return partial(book.get_sheet_by_name, name)
    done: list[CalamineSheet] = []
    failed: list[BaseException] = []

    def parse() -> None:
        try:
            done.append(book.get_sheet_by_name(name))
        except BaseException as exc:  # a Rust panic too: handed to the reading thread
            failed.append(exc)

    thread = threading.Thread(target=parse, name="tilskudd-parse", daemon=True)
    thread.start()
    try:
        meanwhile()
    finally:
        thread.join()

    def parsed() -> CalamineSheet:
        if failed:
            raise failed[0]
        return done[0]

    return parsed


_HIDDEN_SHOWN = 10  # ranges of hidden rows named in the warning; the rest are counted


def _hidden_warning(numbers: list[int], hidden: set[int], file: str, sheet: str) -> list[Issue]:
    """A warning naming the applications in rows hidden in the sheet (by hand or by a filter
    left on when it was saved): the officer does not see them, but they are in the round."""
    rows = [number for number in numbers if number in hidden]
    if not rows:
        return []
    spans = row_spans(rows)
    shown = spans[:_HIDDEN_SHOWN]
    more = len(rows) - sum(end - start + 1 for start, end in shown)
    return [
        Issue(
            severity=Severity.WARNING,
            code="read.hidden_rows_more" if more else "read.hidden_rows",
            params={"count": len(rows), "rows": list(map(span_text, shown)), "more": more},
            location=Location(file=file, sheet=sheet, row=rows[0]),
        )
    ]


_EMPTY_FORMULAS_SHOWN = 10  # cells named in the warning about formulas saved without a value


def _empty_formula_warning(
    found: frozenset[tuple[int, int]],
    table: RawTable,
    file: str,
    sheet: str,
) -> list[Issue]:
    """A warning naming the cells of an .xls, in the applications' rows and the columns read or
    carried through, whose formula has empty text as its saved value (``found``, 0-based, from
    :func:`~tilskudd.reading.biff.xls_error_cells`): they read as empty, where Excel may
    show a number once it has calculated them. An .xlsx formula without a saved value is an
    error on its cell; an .xls keeps none such, and a formula saved by a program that did not
    calculate it cannot be told from one that gives "" in Excel, so this is a warning."""
    kept = {number for number, _ in table.rows}
    read = {*table.fields.values(), *table.extra.values()}
    cells = sorted((row + 1, col) for row, col in found if row + 1 in kept and col in read)
    if not cells:
        return []
    shown = [f"{column_letter(col)}{row}" for row, col in cells[:_EMPTY_FORMULAS_SHOWN]]
    more = len(cells) - len(shown)
    return [
        Issue(
            severity=Severity.WARNING,
            code="read.formula_empty_text_more" if more else "read.formula_empty_text",
            params={"count": len(cells), "cells": shown, "more": more},
            location=Location(
                file=file, sheet=sheet, row=cells[0][0], column=column_letter(cells[0][1])
            ),
        )
    ]


_MERGES_SHOWN = 10  # merged ranges named in the warning about many; the rest are counted


def _cells(left: int, top: int, right: int, bottom: int) -> str:
    """0-based columns and 1-based rows as a reference: ``C3``, or ``C3:D5`` for a range."""
    first = f"{column_letter(left)}{top}"
    last = f"{column_letter(right)}{bottom}"
    return first if first == last else f"{first}:{last}"


def _merge_warnings(
    merges: list[tuple[tuple[int, int], tuple[int, int]]],
    header_row: int,
    file: str,
    sheet: str,
    kept: Container[int],
) -> list[Issue]:
    """A warning about the merged cells that span rows of applications: only a merged range's
    top-left cell holds the value; the others read empty, although the officer sees the value
    beside each of them. One merged range is named with the cells that read empty; several
    are listed in one warning, pointing at the first.

    ``merges`` as calamine gives them (0-based corners); ``header_row`` is 1-based; ``kept`` holds
    the (1-based) rows read as applications: a merge over none of them is not warned of.
    """
    found: list[tuple[int, int, int, int]] = []  # left, top, right, bottom: columns 0-based
    for (top0, left), (bottom0, right) in sorted(merges):
        top, bottom = top0 + 1, bottom0 + 1
        if bottom == top or bottom <= header_row:
            continue  # one row (the value shows where it is), or all in and above the header
        if not any(row in kept for row in range(max(top, header_row + 1), bottom + 1)):
            continue  # skipped rows only: a header again, a note below the totals
        found.append((left, top, right, bottom))
    if not found:
        return []
    left, top, right, bottom = found[0]
    if len(found) == 1:
        if top <= header_row:
            # A header cell merged down over applications: their cells read empty.
            code = "read.merged_header_cells"
            empty = [_cells(left, header_row + 1, right, bottom)]
        else:
            code = "read.merged_cells"
            empty = [_cells(left, top + 1, right, bottom)]
            if right > left:
                empty.insert(0, _cells(left + 1, top, right, top))
        return [
            Issue(
                severity=Severity.WARNING,
                code=code,
                params={
                    "range": _cells(left, top, right, bottom),
                    "cell": _cells(left, top, left, top),
                    "empty": empty,
                },
                location=Location(file=file, sheet=sheet, row=top, column=column_letter(left)),
            )
        ]
    shown = [_cells(*merge) for merge in found[:_MERGES_SHOWN]]
    more = len(found) - len(shown)
    return [
        Issue(
            severity=Severity.WARNING,
            code="read.merged_cells_many_more" if more else "read.merged_cells_many",
            params={"count": len(found), "ranges": shown, "more": more},
            location=Location(file=file, sheet=sheet, row=top),
        )
    ]
