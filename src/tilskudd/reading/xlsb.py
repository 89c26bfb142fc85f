"""Error cells and hidden rows in binary Excel workbooks (.xlsb), which calamine does not report.

python-calamine reads a cell whose value is an error (``#N/A`` from a failed lookup,
``#DIV/0!``, ``#REF!``) in an .xlsb as an empty cell, and does not say which rows are hidden
(by hand, or by a filter left on) nor which cells are merged. :func:`xlsb_scan` finds all three
in the sheet's records, the way
:mod:`tilskudd.reading.xlsx` finds them in .xlsx and .ods and :mod:`tilskudd.reading.biff` in
.xls, beside calamine's own read.

An .xlsb is a zip like an .xlsx; its workbook (``xl/workbook.bin``) and sheets
(``xl/worksheets/sheetN.bin``) are streams of BIFF12 records ([MS-XLSB] 2.1.4): a record type
(a varint of 1-2 bytes), the size of its data (a varint of 1-4 bytes), the data. A sheet's cells
follow the BrtRowHdr (type 0) of their row, whose ``fDyZero`` bit (0x10 in its 12th byte) hides
the row. An error is a BrtCellError (type 3: a value typed or pasted as an error) or a
BrtFmlaError (type 11: a formula whose cached result is an error); each begins with its column
and has the error's BErr code after the cell's 8 bytes. The formula is kept in Excel's token
form, which this module does not decode: the cell is named with its error only, as in an .xls.
After the cells, a BrtMergeCell (type 176) records each merged range. A number cell
(BrtCellRk, BrtCellReal, BrtFmlaNum) has its style in the 3 bytes after its column: an index
into the cell formats of the styles part (BrtXF), whose number format (built in, or a BrtFmt)
may show it as a percentage (85 % held as 0.85, which calamine gives as it is). Only when the
styles part has such a format does the walk look at number cells, and then only at those of
such a style: the others are still skipped in the runs below.

Hidden rows can only be known by walking the records, as there is nothing to search for that a
row header's other bytes could not also hold; the walk skips runs of plain cells (numbers,
shared text) in one regular-expression match each, so Python sees about one record per row:
0.1-0.2 s for a 100 000-row, 11-column sheet (docs/benchmarks.md), beside calamine's own read
in another thread. Asked for error cells alone, the scan searches the part for a candidate
error record first, and walks only when one is found (which may be a chance match in other
data, such as the header of row 2 308: the walk decides).
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from tilskudd.reading.biff import ERRORS, PERCENT_FORMATS, Percent, shows_percent
from tilskudd.reading.table import UNREAD_FORMULA

__all__ = ["far_corner", "rel_target", "xlsb_scan"]

Cells = dict[tuple[int, int], tuple[str, str]]
Merge = tuple[tuple[int, int], tuple[int, int]]
"""A merged range as calamine gives one for other formats: 0-based (top, left), (bottom, right)."""

_ROW_HDR, _CELL_ERROR, _FMLA_ERROR = 0x00, 0x03, 0x0B
_END_SHEET_DATA, _END_SHEET, _MERGE_CELL = 0x92, 0x82, 0xB0
_BUNDLE_SH, _END_BUNDLE_SHS = 0x9C, 0x90
_WS_DIM, _BEGIN_SHEET_DATA = 0x94, 0x91
# Cells with a value (BrtCellRk to BrtFmlaError), which calamine holds; not BrtCellBlank (0x01),
# a cell that is only formatted.
_VALUE_CELLS = range(0x02, 0x0C)
_LAST_ROW = 1_048_575  # 0-based: Excel's last row; calamine leaves out the cells of one after
_HIDDEN = 0x10  # fDyZero, in byte 11 of BrtRowHdr
# Number cells (BrtCellRk, BrtCellReal, BrtFmlaNum), whose style may show them as a percentage;
# in the styles part, a number format (BrtFmt) and the cell formats (BrtXF between
# BrtBeginCellXFs and BrtEndCellXFs; a cell's style is an index into them).
_CELL_RK, _CELL_REAL, _FMLA_NUM = 0x02, 0x05, 0x09
_FMT, _XF, _BEGIN_CELL_XFS, _END_CELL_XFS = 0x2C, 0x2F, 0x269, 0x26A
_STYLES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_PKG_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# Candidates, searched in C before the records are walked for error cells alone, as tight as
# the format allows: a column is below 16 384 (its upper two bytes are 0) and reserved bits are
# 0. A cell (8 bytes) is its column, a style (3 bytes) and a flag byte.
_CELL = rb".[\x00-\x3f]\x00\x00...[\x00\x01]"
_CODES = rb"[" + re.escape(bytes(ERRORS)) + rb"]"
# BrtCellError (size 9) or BrtFmlaError (size 19 or more: one byte or two), then the cell, then
# the error's code.
_ERROR = re.compile(
    rb"(?:\x03\x09|\x0b(?:[\x13-\x7f]|[\x80-\xff][\x00-\x7f]))" + _CELL + _CODES, re.DOTALL
)
# Records that never matter here and whose size their type fixes (BrtCellIsst, BrtCellReal,
# BrtCellRk, BrtCellBlank, BrtCellBool: most of a sheet Excel saved, whose text is in shared
# strings, most frequent first): a run of them is skipped in one match, in C, rather than record
# by record in Python. Possessive: a run is never given back.
_SKIP_CELLS = re.compile(
    rb"(?:\x07\x0c.{12}|\x05\x10.{16}|\x02\x0c.{12}|\x01\x08.{8}|\x04\x09.{9})*+", re.DOTALL
)


def _skip_cells(styles: frozenset[int]) -> re.Pattern[bytes]:
    """:data:`_SKIP_CELLS`, but a number cell with one of ``styles`` (3 bytes after its
    column) is not skipped: the walk looks at it."""
    if not styles:
        return _SKIP_CELLS
    styled = b"|".join(re.escape(style.to_bytes(3, "little")) for style in sorted(styles))
    other = rb"(?!(?:" + styled + rb"))"
    return re.compile(
        rb"(?:\x07\x0c.{12}|\x05\x10.{4}" + other + rb".{12}|\x02\x0c.{4}" + other + rb".{8}"
        rb"|\x01\x08.{8}|\x04\x09.{9})*+",
        re.DOTALL,
    )


class _DamagedError(Exception):
    """The records are not as the format says: calamine, reading the same bytes, reports it."""


def _header(data: bytes, pos: int) -> tuple[int, int, int]:
    """(type, size, offset of the data) of the record at ``pos``."""
    kind = data[pos]
    pos += 1
    if kind & 0x80:
        kind = (kind & 0x7F) | (data[pos] & 0x7F) << 7
        pos += 1
    size = shift = 0
    for _ in range(4):
        byte = data[pos]
        pos += 1
        size |= (byte & 0x7F) << shift
        if byte < 0x80:
            break
        shift += 7
    return kind, size, pos


def _wide(data: bytes, at: int) -> tuple[str | None, int]:
    """An XLNullableWideString at ``at`` (None for the null one) and the offset after it."""
    count = struct.unpack_from("<I", data, at)[0]
    if count == 0xFFFFFFFF:
        return None, at + 4
    end = at + 4 + 2 * count
    if end > len(data):
        raise _DamagedError("string")
    return data[at + 4 : end].decode("utf-16-le", "replace"), end


def _sheet_member(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member of the worksheet named ``sheet``: its BrtBundleSh in the workbook part
    names a relationship, whose target is the part."""
    data = archive.read("xl/workbook.bin")
    rel_id = None
    pos = 0
    while pos < len(data):
        kind, size, at = _header(data, pos)
        if kind == _BUNDLE_SH and size >= 16:
            record = data[at : at + size]
            named_rel, after = _wide(record, 8)
            name, _ = _wide(record, after)
            if name == sheet:
                rel_id = named_rel
                break
        elif kind == _END_BUNDLE_SHS:
            break
        pos = at + size
    if rel_id is None:
        return None
    return rel_target(archive, "xl/_rels/workbook.bin.rels", rel_id)


def rel_target(archive: zipfile.ZipFile, rels: str, rel_id: str) -> str | None:
    """The part a workbook's relationship ``rel_id`` (in the part ``rels``) points to, as a
    member of ``archive``; None when there is no such relationship."""
    for rel in ET.fromstring(archive.read(rels)).iter(f"{_PKG_NS}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return str(PurePosixPath("xl") / target)
    return None


def _percent_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """The cell styles (indices into the cell formats) of a workbook whose number format shows
    a percentage: a cell typed ``85 %`` holds 0.85, which calamine gives as it is."""
    member = "xl/styles.bin"
    for rel in ET.fromstring(archive.read("xl/_rels/workbook.bin.rels")).iter(
        f"{_PKG_NS}Relationship"
    ):
        if rel.get("Type") == _STYLES_TYPE:
            member = rel_target(archive, "xl/_rels/workbook.bin.rels", rel.get("Id", "")) or member
            break
    if member not in archive.NameToInfo:
        return frozenset()
    data = archive.read(member)
    formats = set(PERCENT_FORMATS)
    styles: list[int] = []
    index = -1  # -1 outside the cell formats
    pos = 0
    while pos < len(data):
        kind, size, at = _header(data, pos)
        if kind == _FMT and size >= 6:
            code, _ = _wide(data, at + 2)
            if code is not None and shows_percent(code):
                formats.add(struct.unpack_from("<H", data, at)[0])
        elif kind == _BEGIN_CELL_XFS:
            index = 0
        elif kind == _XF and index >= 0 and size >= 4:
            if struct.unpack_from("<H", data, at + 2)[0] in formats:
                styles.append(index)
            index += 1
        elif kind == _END_CELL_XFS:
            break
        pos = at + size
    return frozenset(styles)


def _walk(
    data: bytes,
    hidden: set[int] | None,
    merges: list[Merge] | None = None,
    percent: tuple[frozenset[int], Percent] | None = None,
) -> Cells:
    """The error cells of a sheet part's records; the hidden rows (from 1) added to ``hidden``,
    the merged ranges (BrtMergeCell, after the cells) to ``merges``, and with ``percent``
    (styles, found) the number cells with one of those styles to found."""
    found: Cells = {}
    pos, end = 0, len(data)
    row = 0
    styles, percent_cells = percent if percent is not None else (frozenset(), None)
    skip = _skip_cells(styles).match
    while pos < end:
        pos = skip(data, pos).end()  # type: ignore[union-attr]  # * matches even nothing
        if pos >= end:
            break
        kind = data[pos]
        size = data[pos + 1]
        if kind < 0x80 and size < 0x80:
            at = pos + 2
        else:
            kind, size, at = _header(data, pos)
        if kind == _ROW_HDR:
            if size >= 12:
                row = struct.unpack_from("<I", data, at)[0]
                if hidden is not None and data[at + 11] & _HIDDEN:
                    hidden.add(row + 1)
        elif kind in (_CELL_ERROR, _FMLA_ERROR) and size >= 9:
            column = struct.unpack_from("<I", data, at)[0]
            formula = UNREAD_FORMULA if kind == _FMLA_ERROR else ""
            found[(row, column)] = (formula, ERRORS.get(data[at + 8], "#VALUE!"))
        elif (
            percent_cells is not None
            and kind in (_CELL_RK, _CELL_REAL, _FMLA_NUM)
            and size >= 12
            and (data[at + 4] | data[at + 5] << 8 | data[at + 6] << 16) in styles
        ):
            column = struct.unpack_from("<I", data, at)[0]
            percent_cells.setdefault(column, set()).add(row + 1)
        elif kind == _END_SHEET_DATA:
            if merges is None:
                return found
            _merges(data, at + size, merges)
            return found
        pos = at + size
    if pos > end:
        raise _DamagedError("record")
    return found


def _merges(data: bytes, pos: int, merges: list[Merge]) -> None:
    """Add the merged ranges recorded from ``pos`` (after the cells) to the end of the sheet."""
    while pos < len(data):
        kind, size, at = _header(data, pos)
        if kind == _MERGE_CELL and size >= 16:
            top, bottom, left, right = struct.unpack_from("<IIII", data, at)
            merges.append(((top, left), (bottom, right)))
        elif kind == _END_SHEET:
            return
        pos = at + size


def _up_to(most: int) -> bytes:
    """A pattern for a 4-byte little-endian number up to ``most``: by its highest byte below
    ``most``'s, or equal and the rest up to theirs."""
    want = most.to_bytes(4, "little")
    alternatives = [
        b"." * i + b"[\\x00-" + re.escape(bytes([want[i] - 1])) + b"]" + re.escape(want[i + 1 :])
        for i in range(3, 0, -1)
        if want[i]
    ]
    alternatives.append(b"[\\x00-" + re.escape(want[:1]) + b"]" + re.escape(want[1:]))
    return b"(?:" + b"|".join(alternatives) + b")"


def _near_cells(bottom: int, right: int) -> re.Pattern[bytes]:
    """:data:`_SKIP_CELLS` for the cells of a column up to ``right`` (0-based; up to IV when
    it is beyond), and the row headers (BrtRowHdr: 17 bytes and 8 for each of up to 13 column
    spans, as Excel writes them) of a row up to ``bottom``: a run of them is skipped in one
    match, and a cell further right or a row further down stops it."""
    column = (b"[\\x00-" + re.escape(bytes([right])) + b"]" if right < 0xFF else b".") + (
        b"\\x00\\x00\\x00"
    )
    row = _up_to(bottom)
    headers = b"|".join(
        b"\\x00" + re.escape(bytes([17 + 8 * spans])) + row + b".{%d}" % (13 + 8 * spans)
        for spans in range(14)
    )
    return re.compile(
        b"(?:\\x07\\x0c"
        + column
        + b".{8}|\\x05\\x10"
        + column
        + b".{12}|\\x02\\x0c"
        + column
        + b".{8}|\\x01\\x08.{8}|\\x04\\x09"
        + column
        + b".{5}|"
        + headers
        + b")*+",
        re.DOTALL,
    )


def _reaches_beyond(data: bytes, pos: int, bottom: int, right: int) -> bool:
    """A cell with a value in the records from ``pos`` below row ``bottom`` or right of column
    ``right`` (0-based: the BrtWsDim's), or in neither when there is none. A sheet within them
    is skipped in one match, in C (:func:`_near_cells`); Python sees the records it stops at.
    """
    skip = _near_cells(bottom, right).match
    end = len(data)
    row = 0
    while pos < end:
        if row <= bottom:
            pos = skip(data, pos).end()  # type: ignore[union-attr]  # * matches even nothing
            if pos >= end:
                break
        kind = data[pos]
        size = data[pos + 1]
        if kind < 0x80 and size < 0x80:
            at = pos + 2
        else:
            kind, size, at = _header(data, pos)
        if kind == _ROW_HDR and size >= 4:
            row = struct.unpack_from("<I", data, at)[0]
        elif kind in _VALUE_CELLS and size >= 8:
            if row <= _LAST_ROW and (row > bottom or struct.unpack_from("<I", data, at)[0] > right):
                return True
        elif kind == _END_SHEET_DATA:
            return False
        pos = at + size
    return False


def far_corner(path: Path, sheet: str, most: int) -> tuple[int, int] | None:
    """(rows, columns) from A1 to the farthest cell with a value of ``sheet`` of an .xlsb, when
    that area is more than ``most`` cells; None when it is not, or the file is too damaged to
    tell (calamine, reading it next, says so).

    As for an .xlsx (:func:`tilskudd.reading.xlsx.far_corner`): the sheet's BrtWsDim (its used
    area) is within bounds in a real sheet, but a program may write one that says less than its
    cells reach, and calamine sizes the sheet by its cells. So the records are walked for a
    cell outside it (:func:`_reaches_beyond`), and only a sheet with one, without a BrtWsDim
    or with a larger one, is walked cell by cell for its farthest. A row after Excel's last
    (1 048 576) does not count: calamine leaves its cells out.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet)
            if member is None or member not in archive.NameToInfo:
                return None
            data = archive.read(member)
        # BrtWsDim comes in the first records, before the cells (BrtBeginSheetData).
        pos = 0
        while pos < len(data):
            kind, size, at = _header(data, pos)
            if kind == _WS_DIM and size >= 16:
                _top, bottom, _left, right = struct.unpack_from("<IIII", data, at)
                if (bottom + 1) * (right + 1) <= most and not _reaches_beyond(
                    data, at + size, bottom, right
                ):
                    return None
                break
            if kind == _BEGIN_SHEET_DATA:
                break
            pos = at + size
        end = len(data)
        rows = columns = row = 0
        pos = 0
        while pos < end:
            kind, size, at = _header(data, pos)
            if kind == _ROW_HDR and size >= 4:
                row = struct.unpack_from("<I", data, at)[0]
            elif kind in _VALUE_CELLS and size >= 8 and row <= _LAST_ROW:
                rows = max(rows, row + 1)
                columns = max(columns, struct.unpack_from("<I", data, at)[0] + 1)
            elif kind == _END_SHEET_DATA:
                break
            pos = at + size
    except (_DamagedError, struct.error, IndexError, UnicodeDecodeError, KeyError):
        return None
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, ET.ParseError):
        return None
    return (rows, columns) if rows * columns > most else None


def xlsb_scan(
    path: Path,
    sheet: str,
    hidden: set[int] | None = None,
    merges: list[Merge] | None = None,
    percent: Percent | None = None,
) -> Cells:
    """Each cell of ``sheet`` in an .xlsb whose value is an error: its (0-based row, column) ->
    (formula, the error as Excel shows it): the formula ``""`` for an error typed or pasted as a
    value, :data:`~tilskudd.reading.table.UNREAD_FORMULA` for a formula's result (its text is
    not decoded: see the module).

    With ``hidden``, the rows hidden in the sheet (by hand or by a filter) are added to it,
    numbered from 1; with ``merges``, the sheet's merged ranges (which calamine does not give
    for an .xlsb); with ``percent``, the number cells formatted as a percentage (only looked
    for when the styles part has such a format). A damaged file gives nothing: calamine
    reports it.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet)
            if member is None or member not in archive.NameToInfo:
                return {}
            styles = _percent_styles(archive) if percent is not None else frozenset()
            data = archive.read(member)
        if hidden is None and merges is None and not styles and _ERROR.search(data) is None:
            return {}
        found_rows: set[int] = set()
        found_merges: list[Merge] = []
        found_percent: Percent = {}
        found = _walk(
            data,
            found_rows if hidden is not None else None,
            found_merges if merges is not None else None,
            (styles, found_percent) if styles else None,
        )
        if hidden is not None:
            hidden |= found_rows
        if merges is not None:
            merges.extend(found_merges)
        if percent is not None:
            percent.update(found_percent)
        return found
    except (_DamagedError, struct.error, IndexError, UnicodeDecodeError, ET.ParseError, KeyError):
        return {}
