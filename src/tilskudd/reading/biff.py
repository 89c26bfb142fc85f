"""Error cells in legacy Excel workbooks (.xls), which calamine reads as empty.

A cell showing ``#N/A`` (a failed lookup), ``#DIV/0!`` or ``#REF!`` is read by python-calamine
as an empty cell, so a failed lookup in the total cost would leave the share-of-cost cap
unapplied. :func:`xls_error_cells` finds such cells the way :mod:`tilskudd.reading.xlsx` finds
them in .xlsx and .ods, beside calamine's own read.

An .xls (Excel 97-2003, BIFF8) is a Compound File Binary (an OLE container) holding a
``Workbook`` stream of records. Two records hold an error: BOOLERR (a value typed or pasted as
an error) and FORMULA (a formula whose cached result is an error). The formula's text is kept
in Excel's token form, which this module does not decode: the cell is named with its error only.
Older BIFF versions (Excel 95 and before) and encrypted workbooks are not scanned.

The same walk finds the number cells (NUMBER, RK, MULRK, and FORMULA with a number as its result)
whose cell format (XF) shows a percentage, which calamine gives as plain numbers (85 % as 0.85):
the cell formats are read from the workbook's globals (XF and FORMAT records), and the sheet is
walked for them only when one of them shows a percentage.

A workbook without an error cell costs one read of the file and two searches of the stream;
the records are walked only when a search finds a candidate.
"""

from __future__ import annotations

import codecs
import re
import struct
import sys
from array import array
from collections.abc import Iterator
from pathlib import Path

from tilskudd.reading.table import UNREAD_FORMULA

__all__ = [
    "Percent",
    "runs_in_circles",
    "shows_percent",
    "size_out_of_bounds",
    "xls_error_cells",
    "xls_stream",
]

_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_STREAM = 2  # a directory entry's type for a stream

# Excel's error codes (BIFF8 BErr).
ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}

_BOF, _EOF, _BOUNDSHEET, _FILEPASS = 0x0809, 0x000A, 0x0085, 0x002F
_CODEPAGE, _UTF16 = 0x0042, 1200
# A sheet's DIMENSIONS: its first row, the row after its last (32 bits each), its first column,
# the column after its last (16 bits each). BIFF8 holds at most 65 536 rows and 256 columns.
_DIMENSIONS, _MAX_ROWS, _MAX_COLUMNS = 0x0200, 65_536, 256
_BOOLERR, _FORMULA = 0x0205, 0x0006
# Number cells, whose cell format (XF, by index) may show them as a percentage, and in the
# workbook's globals the number formats (FORMAT) and the cell formats (XF) in index order.
_NUMBER, _RK, _MULRK = 0x0203, 0x027E, 0x00BD
_FORMAT, _XF = 0x041E, 0x00E0
# Candidates, searched in C before any record is walked: a BOOLERR record (type 0x0205,
# length 8), and a FORMULA record whose cached value is an error (type 2, then 0xFFFF).
_BOOLERR_MARK = b"\x05\x02\x08\x00"
# Any byte may stand for a dot (DOTALL): a record 266 bytes long has 0x0A, a newline, in its length.
_FORMULA_ERROR = re.compile(
    rb"\x06\x00.{8}\x02.[\x00\x07\x0f\x17\x1d\x24\x2a\x2b]...\xff\xff", re.DOTALL
)

# A FORMULA record whose cached value is empty text (type 3, then 0xFFFF): what xlwt and other
# programs that do not calculate write for every formula, and Excel for one that gives "".
_FORMULA_EMPTY = re.compile(rb"\x06\x00.{8}\x03.{5}\xff\xff", re.DOTALL)

# A ROW record (type 0x0208, length 16) whose options have fDyZero (0x20): a hidden row, by
# hand or by a filter.
_ROW = 0x0208
_ROW_HIDDEN = re.compile(
    rb"\x08\x02\x10\x00.{12}[" + re.escape(bytes(b for b in range(256) if b & 0x20)) + rb"]",
    re.DOTALL,
)

Cells = dict[tuple[int, int], tuple[str, str]]
Percent = dict[int, set[int]]
"""Cells formatted as a percentage: 0-based column -> the rows, from 1 as the sheet numbers them."""

# Excel's built-in percentage formats (0% and 0.00%), the same in every file format.
PERCENT_FORMATS = frozenset({9, 10})
# Literal text in a number format ("x" and \x) shows as it is, not as a percentage.
_FORMAT_LITERAL = re.compile(r'"[^"]*"|\\.')


def shows_percent(code: str) -> bool:
    """Whether a number format code (``0.0 %``, ``#,##0%;-0%``) shows a number as a
    percentage: a ``%`` outside its literal text (``0" %-poeng"`` and ``0\\%`` do not)."""
    return "%" in _FORMAT_LITERAL.sub("", code)


class _DamagedError(Exception):
    """The container or its records are not as the format says: calamine reports it."""


class _CycleError(_DamagedError):
    """A chain of sectors that runs in a circle. calamine (0.37) follows such a chain until the
    process runs out of memory and aborts, so it is refused before calamine opens the file."""


def _uint32s(raw: bytes) -> array[int]:
    values = array("I")
    values.frombytes(raw[: len(raw) // 4 * 4])
    if sys.byteorder == "big":  # pragma: no cover - the file is little-endian
        values.byteswap()
    return values


def xls_stream(data: bytes, names: tuple[str, ...] = ("Workbook",)) -> bytes | None:
    """The first of the streams ``names`` in the compound file ``data``; None if it has none
    of them or is no compound file. Raises :class:`_DamagedError` for a broken container."""
    if data[:8] != _SIGNATURE or len(data) < 512:
        return None
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise _DamagedError("sector sizes")
    size = 1 << shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_mini_fat, _n_mini_fat, first_difat, n_difat = struct.unpack_from(
        "<IIIII", data, 0x38
    )

    def sector(number: int) -> bytes:
        start = (number + 1) * size
        if number >= _END_OF_CHAIN or start >= len(data):
            raise _DamagedError(f"sector {number}")
        return data[start : start + size]

    fat_sectors = list(_uint32s(data[0x4C:0x200]))
    difat = first_difat
    # The whole DIFAT chain is followed (at most one step per sector of the file), whatever
    # the header says its length is: calamine follows it too, and one that comes round again
    # would never end there.
    seen: set[int] = set()
    while difat not in (_END_OF_CHAIN, _FREE) and len(seen) <= n_difat:
        if difat in seen:
            raise _CycleError("DIFAT")
        seen.add(difat)
        listed = _uint32s(sector(difat))
        if len(fat_sectors) < n_fat:
            fat_sectors.extend(listed[:-1])
        difat = listed[-1]
    fat = array("I")
    for number in fat_sectors[:n_fat]:
        fat.extend(_uint32s(sector(number)))

    def chain(start: int, table: array[int]) -> Iterator[int]:
        number, steps = start, 0
        while number not in (_END_OF_CHAIN, _FREE):
            if steps > len(table):  # longer than the table: it comes round again
                raise _CycleError("chain")
            if number >= len(table):
                raise _DamagedError("chain")
            yield number
            number = table[number]
            steps += 1

    def read(start: int) -> bytes:
        return b"".join(sector(n) for n in chain(start, fat))

    directory = read(first_dir)
    entries: list[tuple[str, int, int, int]] = []
    for at in range(0, len(directory) - 127, 128):
        entry = directory[at : at + 128]
        length = min(struct.unpack_from("<H", entry, 64)[0], 64)
        name = entry[: max(length - 2, 0)].decode("utf-16-le", "replace")
        kind = entry[66]
        start, low, high = struct.unpack_from("<III", entry, 116)
        entries.append((name, kind, start, low if shift == 9 else low | high << 32))
    if not entries:
        raise _DamagedError("no directory")
    wanted = [n.casefold() for n in names]
    found = next(
        (e for n in wanted for e in entries[1:] if e[1] == _STREAM and e[0].casefold() == n),
        None,
    )
    if found is None:
        return None
    _name, _kind, start, length = found
    if length >= cutoff:
        return read(start)[:length]
    # A small stream lies in the mini stream (the root entry's), in 64-byte mini sectors.
    _root, _root_kind, root_start, root_length = entries[0]
    mini_stream = read(root_start)[:root_length]
    mini_fat = (
        _uint32s(read(first_mini_fat))
        if first_mini_fat not in (_END_OF_CHAIN, _FREE)
        else array("I")
    )
    return b"".join(mini_stream[n * 64 : n * 64 + 64] for n in chain(start, mini_fat))[:length]


def _records(stream: bytes, start: int) -> Iterator[tuple[int, int, int]]:
    """(type, offset of the data, length) of each record from ``start`` to the end."""
    pos, end = start, len(stream)
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        yield kind, pos + 4, length
        pos += 4 + length


def _sheet_offsets(stream: bytes) -> dict[str, int] | None:
    """Each sheet's name and where its records begin; None for a workbook not scanned (not
    BIFF8, or encrypted).

    A workbook whose CODEPAGE is not UTF-16 (Excel writes 1200; some other programs 1252) has
    its names also under the name calamine gives them: the name's bytes in that code page."""
    offsets: dict[str, int] = {}
    codec: str | None = None
    for index, (kind, at, length) in enumerate(_records(stream, 0)):
        if index == 0:
            if kind != _BOF or length < 4 or struct.unpack_from("<H", stream, at)[0] != 0x0600:
                return None
            continue
        if kind == _FILEPASS:
            return None
        if kind == _CODEPAGE and length >= 2:
            page = struct.unpack_from("<H", stream, at)[0]
            codec = None if page == _UTF16 else _codec(page)
        elif kind == _BOUNDSHEET and length >= 8:
            position = struct.unpack_from("<I", stream, at)[0]
            chars, flags = stream[at + 6], stream[at + 7]
            raw = stream[at + 8 : at + length][: chars * 2 if flags & 1 else chars]
            if codec is not None:
                offsets.setdefault(raw.decode(codec, "replace"), position)
            name = raw.decode("utf-16-le") if flags & 1 else raw.decode("latin-1")
            offsets[name] = position
        elif kind == _EOF:
            break
    return offsets


def _percent_xfs(stream: bytes) -> frozenset[int]:
    """The cell formats (XF indices, as a cell names its own) of the workbook globals whose
    number format shows a percentage: a cell typed ``85 %`` holds 0.85, which calamine gives
    as it is. Empty for a workbook not scanned (see :func:`_sheet_offsets`)."""
    formats = set(PERCENT_FORMATS)
    xfs: list[int] = []
    index = 0
    for number, (kind, at, length) in enumerate(_records(stream, 0)):
        if number == 0:
            if kind != _BOF or length < 4 or struct.unpack_from("<H", stream, at)[0] != 0x0600:
                return frozenset()
            continue
        if kind == _FILEPASS:
            return frozenset()
        if kind == _EOF:
            break
        if kind == _FORMAT and length >= 5:
            ifmt, chars, flags = struct.unpack_from("<HHB", stream, at)
            raw = stream[at + 5 : at + length][: chars * 2 if flags & 1 else chars]
            code = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
            if shows_percent(code):
                formats.add(ifmt)
        elif kind == _XF and length >= 4:
            if struct.unpack_from("<H", stream, at + 2)[0] in formats:
                xfs.append(index)
            index += 1
    return frozenset(xfs)


def _add_percent(
    stream: bytes, kind: int, at: int, length: int, xfs: frozenset[int], percent: Percent
) -> None:
    """Add the record's number cells whose cell format is one of ``xfs`` to ``percent``."""
    if kind == _MULRK:
        # Runs of numbers in one row, as Excel writes them: first column, (XF, RK) each, last.
        row, first = struct.unpack_from("<HH", stream, at)
        for i in range((length - 6) // 6):
            if struct.unpack_from("<H", stream, at + 4 + 6 * i)[0] in xfs:
                percent.setdefault(first + i, set()).add(row + 1)
        return
    row, col, xf = struct.unpack_from("<HHH", stream, at)
    if xf in xfs and (kind != _FORMULA or stream[at + 12 : at + 14] != b"\xff\xff"):
        percent.setdefault(col, set()).add(row + 1)  # a formula whose result is a number


def _codec(page: int) -> str | None:
    """Python's codec for a Windows code page, or None when it has none."""
    try:
        return codecs.lookup(f"cp{page}").name
    except LookupError:
        return None


def runs_in_circles(path: Path) -> bool:
    """Whether the .xls at ``path`` has a chain of sectors that runs in a circle (see
    :class:`_CycleError`). Any other damage is left to calamine, which reports it."""
    try:
        xls_stream(path.read_bytes())
    except _CycleError:
        return True
    except (_DamagedError, struct.error, IndexError, ValueError, UnicodeDecodeError, OSError):
        return False
    return False


def size_out_of_bounds(path: Path) -> bool:
    """Whether a sheet of the .xls at ``path`` gives a size no .xls can have in its DIMENSIONS
    record: a first row after its last, or more than 65 536 rows or 256 columns. calamine
    (0.37) sets aside room for that many cells when it opens the file, and with a first row
    after the last the count wraps round to hundreds of gigabytes: the process is ended where
    it stands. Any other damage is left to calamine, which reports it."""
    try:
        stream = xls_stream(path.read_bytes())
        offsets = _sheet_offsets(stream) if stream is not None else None
        if stream is None or offsets is None:
            return False
        for start in set(offsets.values()):
            for index, (kind, at, length) in enumerate(_records(stream, start)):
                if (index == 0 and kind != _BOF) or kind == _EOF:
                    break
                if kind == _DIMENSIONS and length >= 12:
                    first_row, end_row, first_col, end_col = struct.unpack_from("<IIHH", stream, at)
                    if not (
                        first_row <= end_row <= _MAX_ROWS and first_col <= end_col <= _MAX_COLUMNS
                    ):
                        return True
                    break
    except (_DamagedError, struct.error, IndexError, ValueError, UnicodeDecodeError, OSError):
        return False
    return False


def xls_error_cells(
    path: Path,
    sheet: str,
    hidden: set[int] | None = None,
    percent: Percent | None = None,
    empty: set[tuple[int, int]] | None = None,
) -> Cells:
    """Each cell of ``sheet`` in an .xls whose value is an error: its (0-based row, column) ->
    (formula, the error as Excel shows it): the formula ``""`` for an error typed or pasted as a
    value, :data:`~tilskudd.reading.table.UNREAD_FORMULA` for a formula's result (its text is
    not decoded: see the module).

    With ``hidden``, the rows hidden in the sheet (by hand or by a filter) are added to it,
    numbered from 1; with ``percent``, the number cells formatted as a percentage (looked for
    only when the workbook has such a cell format); with ``empty``, the cells (0-based row,
    column) holding a formula whose saved value is empty text, which calamine reads as empty:
    a program that writes .xls without calculating (xlwt) saves every formula so, where Excel
    shows its value once it has calculated; Excel saves so a formula that gives ""
    (``=IF(A2="";"";A2*5)``). One walk of the sheet's records finds them all."""
    try:
        stream = xls_stream(path.read_bytes())
        if stream is None:
            return {}
        errors = stream.find(_BOOLERR_MARK) >= 0 or _FORMULA_ERROR.search(stream) is not None
        rows = hidden is not None and _ROW_HIDDEN.search(stream) is not None
        xfs = _percent_xfs(stream) if percent is not None else frozenset()
        blanks = empty is not None and _FORMULA_EMPTY.search(stream) is not None
        if not errors and not rows and not xfs and not blanks:
            return {}
        offsets = _sheet_offsets(stream)
        if offsets is None or sheet not in offsets:
            return {}
        found: Cells = {}
        hidden_here: set[int] = set()
        percent_here: Percent = {}
        empty_here: set[tuple[int, int]] = set()
        numbers = (_NUMBER, _RK, _MULRK, _FORMULA) if xfs else ()
        for index, (kind, at, length) in enumerate(_records(stream, offsets[sheet])):
            if index == 0 and kind != _BOF:
                return {}
            if kind == _EOF:
                break
            if kind == _ROW and length >= 16 and stream[at + 12] & 0x20:
                hidden_here.add(struct.unpack_from("<H", stream, at)[0] + 1)
            elif kind == _BOOLERR and length >= 8 and stream[at + 7] == 1:
                row, col = struct.unpack_from("<HH", stream, at)
                found[(row, col)] = ("", ERRORS.get(stream[at + 6], "#VALUE!"))
            elif (
                kind == _FORMULA
                and length >= 14
                and stream[at + 6] == 2
                and stream[at + 12 : at + 14] == b"\xff\xff"
            ):
                row, col = struct.unpack_from("<HH", stream, at)
                found[(row, col)] = (UNREAD_FORMULA, ERRORS.get(stream[at + 8], "#VALUE!"))
            elif (
                blanks
                and kind == _FORMULA
                and length >= 14
                and stream[at + 6] == 3
                and stream[at + 12 : at + 14] == b"\xff\xff"
            ):
                empty_here.add(struct.unpack_from("<HH", stream, at))
            elif kind in numbers and length >= 10:
                _add_percent(stream, kind, at, length, xfs, percent_here)
        if hidden is not None:
            hidden |= hidden_here
        if percent is not None:
            percent.update(percent_here)
        if empty is not None:
            empty |= empty_here
        return found
    except (_DamagedError, struct.error, IndexError, ValueError, UnicodeDecodeError):
        return {}  # a damaged file: calamine, reading the same bytes, reports it properly
