"""Binary Excel workbooks (.xlsb) built byte by byte, as no Python library writes them.

An .xlsb is a zip of parts like an .xlsx, but its workbook and sheets are streams of BIFF12
records ([MS-XLSB] 2.1.4): a record type as a varint of 1-2 bytes, its size as a varint of 1-4
bytes, then its data. :func:`xlsb_bytes` writes the least calamine reads: a workbook part
listing the sheets (BrtBundleSh), and for each sheet its dimensions (BrtWsDim) and cells, each
row opened by a BrtRowHdr (whose fDyZero bit hides it). Cells: text (BrtCellIsst, an index into
the shared strings part, as Excel saves text; BrtCellSt, the text itself, with
``inline_strings``), numbers
(BrtCellReal), truth values (BrtCellBool), :class:`Error` (an error typed or pasted as a value,
BrtCellError), :class:`FormulaError` (a formula whose cached result is an error, BrtFmlaError),
:class:`FormulaNumber` (a formula with a number as its cached result, BrtFmlaNum),
:class:`FormulaText` (with text, BrtFmlaString) and :class:`FormulaBool` (with a truth value,
BrtFmlaBool).
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "ERROR_CODES",
    "Cell",
    "Error",
    "FormulaBool",
    "FormulaError",
    "FormulaNumber",
    "FormulaText",
    "Styled",
    "record",
    "xlsb_bytes",
]

ERROR_CODES = {
    "#NULL!": 0x00,
    "#DIV/0!": 0x07,
    "#VALUE!": 0x0F,
    "#REF!": 0x17,
    "#NAME?": 0x1D,
    "#NUM!": 0x24,
    "#N/A": 0x2A,
    "#GETTING_DATA": 0x2B,
}


@dataclass(frozen=True)
class Error:
    """A cell holding an error as its value (typed or pasted): BrtCellError."""

    error: str


@dataclass(frozen=True)
class FormulaError:
    """A formula whose last result is an error: BrtFmlaError."""

    error: str


@dataclass(frozen=True)
class FormulaNumber:
    """A formula whose last result is a number: BrtFmlaNum."""

    value: float


@dataclass(frozen=True)
class FormulaText:
    """A formula whose last result is text (``""`` too): BrtFmlaString."""

    text: str


@dataclass(frozen=True)
class FormulaBool:
    """A formula whose last result is a truth value: BrtFmlaBool."""

    value: bool


@dataclass(frozen=True)
class Styled:
    """A number (BrtCellReal; a whole number as Excel packs it, BrtCellRk) or a formula's
    number (BrtFmlaNum) with a cell style: an index into the cell formats ``xlsb_bytes`` writes
    (``cell_formats``)."""

    value: int | float | FormulaNumber
    style: int


Cell = (
    str
    | int
    | float
    | bool
    | Error
    | FormulaError
    | FormulaNumber
    | FormulaText
    | FormulaBool
    | Styled
    | None
)

# =1/0 as Excel stores it: PtgInt 1, PtgInt 0, PtgDiv; then no extra data (cb = 0).
_FORMULA = struct.pack("<I", 7) + b"\x1e\x01\x00" + b"\x1e\x00\x00" + b"\x06" + struct.pack("<I", 0)


def _varint(value: int, most: int) -> bytes:
    out = bytearray()
    for _ in range(most):
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)
    raise ValueError("too large for a record header")


def record(kind: int, data: bytes = b"") -> bytes:
    """One BIFF12 record: type (1-2 byte varint), size (1-4 byte varint), data."""
    return _varint(kind, 2) + _varint(len(data), 4) + data


def _wide(text: str) -> bytes:
    """An XLWideString: a 4-byte count of UTF-16 code units, then the text in UTF-16 LE."""
    encoded = text.encode("utf-16-le")
    return struct.pack("<I", len(encoded) // 2) + encoded


def _cell(column: int, value: Cell, strings: dict[str, int] | None) -> bytes:
    style = 0
    if isinstance(value, Styled):
        value, style = value.value, value.style
        if type(value) is int:  # an RkNumber: the integer shifted left 2, fInt set
            head = struct.pack("<I", column) + style.to_bytes(3, "little") + b"\x00"
            return record(0x02, head + struct.pack("<i", value << 2 | 0x02))  # BrtCellRk
    head = struct.pack("<I", column) + style.to_bytes(3, "little") + b"\x00"  # style, no flags
    if isinstance(value, bool):
        return record(0x04, head + bytes([value]))  # BrtCellBool
    if isinstance(value, int | float):
        return record(0x05, head + struct.pack("<d", value))  # BrtCellReal
    if isinstance(value, str):
        if strings is None:
            return record(0x06, head + _wide(value))  # BrtCellSt
        index = strings.setdefault(value, len(strings))
        return record(0x07, head + struct.pack("<I", index))  # BrtCellIsst
    if isinstance(value, Error):
        return record(0x03, head + bytes([ERROR_CODES[value.error]]))  # BrtCellError
    if isinstance(value, FormulaError):
        code = bytes([ERROR_CODES[value.error]])
        return record(0x0B, head + code + b"\x00\x00" + _FORMULA)  # BrtFmlaError
    if isinstance(value, FormulaNumber):
        data = head + struct.pack("<d", value.value) + b"\x00\x00" + _FORMULA
        return record(0x09, data)  # BrtFmlaNum
    if isinstance(value, FormulaText):
        return record(0x08, head + _wide(value.text) + b"\x00\x00" + _FORMULA)  # BrtFmlaString
    if isinstance(value, FormulaBool):
        return record(0x0A, head + bytes([value.value]) + b"\x00\x00" + _FORMULA)  # BrtFmlaBool
    raise TypeError(value)


def _row_header(row: int, width: int, *, hidden: bool) -> bytes:
    """BrtRowHdr: rw, ixfe, miyRw, flags (fDyZero 0x10 in the second flag byte), one colspan."""
    flags = b"\x00" + bytes([0x10 if hidden else 0]) + b"\x00"
    colspan = struct.pack("<III", 1, 0, max(width - 1, 0))
    return record(0x00, struct.pack("<IIH", row, 0, 300) + flags + colspan)


def _rfx(cells: str) -> bytes:
    """ "C2:D5" as an RfX: first row, last row, first column, last column, 0-based."""
    first, _, last = cells.partition(":")
    (c1, r1), (c2, r2) = (_split(first), _split(last or first))
    return struct.pack("<IIII", r1, r2, c1, c2)


def _split(ref: str) -> tuple[int, int]:
    letters = ref.rstrip("0123456789")
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch) - 64
    return column - 1, int(ref[len(letters) :]) - 1


def sheet_bin(
    rows: Sequence[Sequence[Cell]],
    hidden: frozenset[int] = frozenset(),
    strings: dict[str, int] | None = None,
    merges: Sequence[str] = (),
) -> bytes:
    """A worksheet part; ``hidden`` rows are numbered from 1 (a hidden row may be empty); text
    goes into ``strings`` (text -> index in the shared strings), or in the cells without it."""
    width = max((len(r) for r in rows), default=1) or 1
    height = max(len(rows), max(hidden, default=0))
    out = [
        record(0x81),  # BrtBeginSheet
        record(0x94, struct.pack("<IIII", 0, max(height - 1, 0), 0, width - 1)),  # BrtWsDim
        record(0x91),  # BrtBeginSheetData
    ]
    for index in range(height):
        cells = rows[index] if index < len(rows) else []
        is_hidden = index + 1 in hidden
        if not any(c is not None for c in cells) and not is_hidden:
            continue
        out.append(_row_header(index, width, hidden=is_hidden))
        out.extend(
            _cell(col, value, strings) for col, value in enumerate(cells) if value is not None
        )
    out.append(record(0x92))  # BrtEndSheetData
    if merges:  # BrtBeginMergeCells (count), a BrtMergeCell each, BrtEndMergeCells
        out.append(record(0xB1, struct.pack("<I", len(merges))))
        out.extend(record(0xB0, _rfx(cells)) for cells in merges)
        out.append(record(0xB2))
    out.append(record(0x82))  # BrtEndSheet
    return b"".join(out)


def _workbook_bin(names: Sequence[str], states: Mapping[str, int]) -> bytes:
    sheets = [
        record(
            0x9C,
            struct.pack("<II", states.get(name, 0), i + 1) + _wide(f"rId{i + 1}") + _wide(name),
        )
        for i, name in enumerate(names)
    ]
    return b"".join(
        [record(0x83), record(0x8F), *sheets, record(0x90), record(0x84)]
    )  # BrtBeginBook, BrtBeginBundleShs, ..., BrtEndBundleShs, BrtEndBook


_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="bin" '
    'ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
)
_SHEET_CT = "application/vnd.ms-excel.worksheet"
_SST_CT = "application/vnd.ms-excel.sharedStrings"
_STYLES_CT = "application/vnd.ms-excel.styles"


def styles_bin(cell_formats: Sequence[int], number_formats: Mapping[int, str]) -> bytes:
    """A styles part: the number formats (BrtFmt: its id, its code), and the cell formats
    (BrtXF, each naming a number format by id; a cell's style is an index into them), with the
    one font, fill, border and cell style calamine expects."""
    fmts = [record(0x2C, struct.pack("<H", i) + _wide(code)) for i, code in number_formats.items()]
    xf = struct.pack("<HHHHHBBHH", 0, 0, 0, 0, 0, 0, 0, 0, 0)  # ixfeParent 0, iFmt 0, ...
    xfs = [
        record(0x2F, struct.pack("<HH", 0, number_format) + xf[4:])
        for number_format in cell_formats
    ]
    return b"".join(
        [
            record(0x296),  # BrtBeginStyleSheet
            record(0x267, struct.pack("<I", len(fmts))),  # BrtBeginFmts
            *fmts,
            record(0x268),  # BrtEndFmts
            record(0x272, struct.pack("<I", 1)),  # BrtBeginCellStyleXFs
            record(0x2F, struct.pack("<H", 0xFFFF) + xf[2:]),
            record(0x273),  # BrtEndCellStyleXFs
            record(0x269, struct.pack("<I", len(xfs))),  # BrtBeginCellXFs
            *xfs,
            record(0x26A),  # BrtEndCellXFs
            record(0x297),  # BrtEndStyleSheet
        ]
    )


def _shared_strings(strings: dict[str, int]) -> bytes:
    """The shared strings part: BrtBeginSst (counts), a BrtSSTItem per text (no rich text),
    BrtEndSst."""
    items = [record(0x13, b"\x00" + _wide(text)) for text in strings]  # in index order
    counts = struct.pack("<II", len(items), len(items))
    return b"".join([record(0x9F, counts), *items, record(0xA0)])


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'


def xlsb_bytes(
    sheets: Mapping[str, Sequence[Sequence[Cell]]],
    *,
    hidden: Mapping[str, set[int]] | None = None,
    states: Mapping[str, int] | None = None,
    parts: Mapping[str, str] | None = None,
    inline_strings: bool = False,
    merges: Mapping[str, Sequence[str]] | None = None,
    cell_formats: Sequence[int] = (),
    number_formats: Mapping[int, str] | None = None,
) -> bytes:
    """An .xlsb with ``sheets`` (name -> rows, row 0 being row 1 and column 0 column A).

    ``hidden``: rows hidden in each sheet, from 1; ``states``: a sheet's hsState (1 hidden);
    ``parts``: the zip member of a sheet other than ``xl/worksheets/sheetN.bin``;
    ``inline_strings``: text in the cells (BrtCellSt), not in a shared strings part;
    ``merges``: each sheet's merged ranges ("C2:C3"); ``cell_formats``: the number format id
    of each cell style (:class:`Styled` cells name them by index), in a styles part with the
    custom ``number_formats`` (id -> code).
    """
    strings: dict[str, int] | None = None if inline_strings else {}
    parts_bin = {
        name: sheet_bin(
            rows, frozenset((hidden or {}).get(name, ())), strings, (merges or {}).get(name, ())
        )
        for name, rows in sheets.items()
    }
    names = list(sheets)
    members = {
        name: (parts or {}).get(name, f"xl/worksheets/sheet{i + 1}.bin")
        for i, name in enumerate(names)
    }
    overrides = "".join(
        f'<Override PartName="/{member}" ContentType="{_SHEET_CT}"/>' for member in members.values()
    )
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{_REL}/worksheet" '
        f'Target="{members[name].removeprefix("xl/")}"/>'
        for i, name in enumerate(names)
    )
    if strings is not None:
        overrides += f'<Override PartName="/xl/sharedStrings.bin" ContentType="{_SST_CT}"/>'
        rels += f'<Relationship Id="rIdS" Type="{_REL}/sharedStrings" Target="sharedStrings.bin"/>'
    if cell_formats:
        overrides += f'<Override PartName="/xl/styles.bin" ContentType="{_STYLES_CT}"/>'
        rels += f'<Relationship Id="rIdT" Type="{_REL}/styles" Target="styles.bin"/>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CT.format(overrides=overrides))
        archive.writestr(
            "_rels/.rels",
            _RELS.format(
                rels=f'<Relationship Id="rId1" Type="{_REL}/officeDocument" '
                'Target="xl/workbook.bin"/>'
            ),
        )
        archive.writestr("xl/workbook.bin", _workbook_bin(names, states or {}))
        archive.writestr("xl/_rels/workbook.bin.rels", _RELS.format(rels=rels))
        for name in names:
            archive.writestr(members[name], parts_bin[name])
        if strings is not None:
            archive.writestr("xl/sharedStrings.bin", _shared_strings(strings))
        if cell_formats:
            archive.writestr("xl/styles.bin", styles_bin(cell_formats, number_formats or {}))
    return buffer.getvalue()
