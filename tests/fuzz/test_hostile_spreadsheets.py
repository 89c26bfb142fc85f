"""Hostile .ods, .xls and .xlsb files, generated: words, never a traceback, every problem placed.

The same standard as test_hostile_input.py, for the formats read through python-calamine that it
does not write: an OpenDocument spreadsheet (.ods, with tilskudd's own look at its repeated rows
and cells before calamine opens it), an Excel 97-2003 workbook (.xls, BIFF8, written by xlwt) and
a binary Excel workbook (.xlsb, written record by record by tests/reading/xlsb_files.py). Each
sheet holds cells of every type a program writes (numbers huge, negative and fractional; dates,
times, truth values, errors, empty and very long text) under a header tilskudd knows, and is
then damaged: bytes of an .ods's content.xml changed, inserted or cut off, an .xls's workbook
stream or the whole file cut short, an .xlsb's sheet or the file cut short or a byte changed.

What must hold, whatever the input:

- the library raises only tilskudd's own errors, naming the file;
- every problem found in a cell is pinned to the file, the sheet and the cell (or row);
- the command exits 0 or 1, never 3 (a bug) and never with a traceback;
- an allocation that ran holds ``budget == awarded + unallocated``.
"""

from __future__ import annotations

import io
import math
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import xlwt  # type: ignore[import-untyped]
from hypothesis import event, given
from hypothesis import strategies as st
from tests.reading.xlsb_files import Error, FormulaError, FormulaNumber, xlsb_bytes

from tilskudd.errors import TilskuddError
from tilskudd.models import Policy
from tilskudd.pipeline import read_applications, run_round

from .test_hostile_input import (
    TEXTS,
    assert_said_plainly,
    fuzz,
    run_cli,
    some_header,
    table_rows,
)

ERRORS = ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"]

# A cell of any type these formats hold, the kinds a program writes and the extremes of each.
VALUES = st.one_of(
    st.none(),
    TEXTS,
    st.text(max_size=20),
    st.sampled_from(["", "x" * 40_000, "9" * 400, "-" * 3]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, -0.0, 1e308, -1e308, 5e-324, 2**53 + 1, 10**15, 385000.00000000006]),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.times(),
    st.sampled_from(ERRORS).map(lambda e: ("error", e)),
)


@st.composite
def sheet_cells(draw: st.DrawFn) -> list[list[Any]]:
    """A header and rows under it: plausible cells, with cells of any type among them."""
    header = some_header(draw)
    rows = draw(table_rows(header, draw(st.integers(min_value=0, max_value=6))))
    for row in rows:
        for index in range(len(row)):
            if draw(st.integers(0, 3)) == 0:
                row[index] = draw(VALUES)
    return [list(header), *rows]


def _text(value: Any) -> str:
    """``value`` as text an XML document can hold (no control characters but tab and line end)."""
    text = str(value)
    return "".join(c for c in text if c in "\t\n" or (c >= " " and not 0xD800 <= ord(c) < 0xE000))


def _flipped(data: bytes, changes: list[tuple[int, int]]) -> bytes:
    """``data`` with the byte at each offset (taken modulo its length) changed to another."""
    out = bytearray(data)
    for at, byte in changes:
        if out:
            out[at % len(out)] = byte
    return bytes(out)


DAMAGE = st.sampled_from(["none", "none", "flip", "insert", "truncate", "truncate file"])
CHANGES = st.lists(st.tuples(st.integers(0, 2**20), st.integers(0, 255)), min_size=1, max_size=8)


def read_placed(path: Path, display_name: str, budget: int = 1_000_000) -> None:
    """Read ``path`` and allocate ``budget``: tilskudd's errors only, each naming the file, every
    problem in a cell placed in the file, its sheet and cell; and the budget holds."""
    try:
        checked = read_applications(path, display_name=display_name)
    except TilskuddError as refused:
        refusal = str(refused)
        event(f"refused: {refusal.replace(display_name, 'F')[:50]}")
        assert display_name in refusal, "a refusal names the file"
        assert "Traceback" not in refusal
        return
    for issue in checked.issues:
        assert issue.location is not None, issue
        assert issue.location.file == display_name, issue
        if issue.field is not None:
            assert issue.location.sheet, issue
            assert issue.location.row, issue
    event(f"read: {len(checked.applications)} valid, {len(checked.rejected)} rejected")
    allocation = run_round(checked, budget, Policy(rule="proportional")).allocation
    assert allocation.budget == allocation.awarded + allocation.unallocated == budget
    decided = [d.application_id for d in allocation.decisions]
    assert len(decided) == len(checked.applications) + len(checked.rejected)


# --- .ods -----------------------------------------------------------------------------------

_ODS_NS = (
    ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/"'
    ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def ods_cell(value: Any, repeat: int) -> str:
    """One ``<table:table-cell>`` as LibreOffice writes a cell holding ``value``."""
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if value is None:
        return f"<table:table-cell{repeated}/>"
    if isinstance(value, tuple):
        error = escape(value[1])
        return (
            f'<table:table-cell{repeated} table:formula="of:=1/0" office:value-type="string"'
            f' office:string-value="" calcext:value-type="error"><text:p>{error}</text:p>'
            "</table:table-cell>"
        )
    if isinstance(value, bool):
        kind = f'office:value-type="boolean" office:boolean-value="{str(value).lower()}"'
    elif isinstance(value, int | float):
        kind = f'office:value-type="float" office:value="{value!r}"'
    elif isinstance(value, datetime | date):
        kind = f'office:value-type="date" office:date-value="{value.isoformat()}"'
    elif isinstance(value, time):
        duration = f"PT{value.hour}H{value.minute}M{value.second}S"
        kind = f'office:value-type="time" office:time-value="{duration}"'
    else:
        kind = 'office:value-type="string"'
    return (
        f"<table:table-cell{repeated} {kind}><text:p>{escape(_text(value))}</text:p>"
        "</table:table-cell>"
    )


@st.composite
def ods_content(draw: st.DrawFn) -> str:
    """content.xml of a spreadsheet of one or two sheets, rows and cells repeated now and then."""
    repeats = st.one_of(
        st.just(1), st.just(1), st.just(1), st.sampled_from([2, 3, 1024, 1_048_576])
    )
    tables = []
    for number in range(draw(st.integers(1, 2))):
        rows = []
        for cells in draw(sheet_cells()):
            xml = "".join(ods_cell(value, draw(repeats)) for value in cells)
            rows_repeated = draw(repeats)
            attr = f' table:number-rows-repeated="{rows_repeated}"' if rows_repeated > 1 else ""
            rows.append(f"<table:table-row{attr}>{xml}</table:table-row>")
        name = escape(draw(st.sampled_from(["Søknader", "Ark1", "a&b", "x" * 31])), {'"': "&quot;"})
        tables.append(f'<table:table table:name="{name}{number}">{"".join(rows)}</table:table>')
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content{_ODS_NS}'
        ' office:version="1.2"><office:body><office:spreadsheet>'
        f"{''.join(tables)}</office:spreadsheet></office:body></office:document-content>"
    )


@st.composite
def ods_bytes(draw: st.DrawFn) -> bytes:
    """An .ods, now and then damaged in its content.xml or cut short."""
    content = draw(ods_content()).encode("utf-8")
    damage = draw(DAMAGE)
    event(f"ods: {damage}")
    if damage == "flip":
        content = _flipped(content, draw(CHANGES))
    elif damage == "insert":
        at = draw(st.integers(0, len(content)))
        content = content[:at] + draw(st.binary(min_size=1, max_size=12)) + content[at:]
    elif damage == "truncate":
        content = content[: draw(st.integers(0, len(content)))]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, zipfile.ZIP_DEFLATED)
    data = out.getvalue()
    if damage == "truncate file":
        data = data[: draw(st.integers(0, len(data)))]
    return data


@fuzz(20)
@given(data=ods_bytes())
def test_any_ods_reads_to_applications_or_an_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "søknader.ods"
    path.write_bytes(data)
    read_placed(path, "søknader.ods")


@fuzz(10)
@given(data=ods_bytes(), command=st.sampled_from(["check", "allocate"]))
def test_any_ods_is_checked_and_allocated_without_a_traceback(
    quiet_cli: Path, data: bytes, command: str
) -> None:
    (quiet_cli / "søknader.ods").write_bytes(data)
    extra = ["--budget", "1M", "--dry-run"] if command == "allocate" else []
    code, said = run_cli(command, "søknader.ods", *extra)
    assert_said_plainly(code, said)
    if code:
        assert "søknader.ods" in said, said


# --- .xls -----------------------------------------------------------------------------------

_DATE = xlwt.easyxf(num_format_str="DD.MM.YYYY")
_DATETIME = xlwt.easyxf(num_format_str="DD.MM.YYYY HH:MM")
_TIME = xlwt.easyxf(num_format_str="HH:MM:SS")
_XLS_ERRORS = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17}
_XLS_ERRORS |= {"#NAME?": 0x1D, "#NUM!": 0x24, "#N/A": 0x2A}


def _xls_write(sheet: Any, row: int, column: int, value: Any) -> None:
    """``value`` written in a cell as Excel 97-2003 stores it (text at most 32 767 characters)."""
    if value is None:
        return
    if isinstance(value, tuple):
        sheet.row(row).set_cell_error(column, _XLS_ERRORS[value[1]])
    elif isinstance(value, bool):
        sheet.row(row).set_cell_boolean(column, value)
    elif isinstance(value, int | float):
        number = float(value)
        sheet.write(row, column, number if math.isfinite(number) else str(value))
    elif isinstance(value, datetime):
        sheet.write(row, column, value, _DATETIME)
    elif isinstance(value, date):
        sheet.write(row, column, value, _DATE)
    elif isinstance(value, time):
        sheet.write(row, column, value, _TIME)
    else:
        sheet.write(row, column, _text(value)[:32_767])


@st.composite
def xls_bytes(draw: st.DrawFn) -> bytes:
    """An .xls of one or two sheets, now and then cut short or with bytes changed."""
    book = xlwt.Workbook()
    for number in range(draw(st.integers(1, 2))):
        sheet = book.add_sheet(f"{draw(st.sampled_from(['Søknader', 'Ark1', 'Kost']))}{number}")
        for row, cells in enumerate(draw(sheet_cells()), start=draw(st.integers(0, 2))):
            for column, value in enumerate(cells):
                _xls_write(sheet, row, column, value)
            if draw(st.integers(0, 6)) == 0:
                sheet.row(row).hidden = True
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    damage = draw(DAMAGE)
    event(f"xls: {damage}")
    # The workbook stream starts after the compound file's header sector (512 bytes).
    if damage == "flip":
        data = _flipped(data, [(512 + at, byte) for at, byte in draw(CHANGES)])
    elif damage == "insert":
        at = draw(st.integers(512, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=12)) + data[at:]
    elif damage in ("truncate", "truncate file"):
        data = data[: draw(st.integers(0, len(data)))]
    return data


@fuzz(30)
@given(data=xls_bytes())
def test_any_xls_reads_to_applications_or_an_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "søknader.xls"
    path.write_bytes(data)
    read_placed(path, "søknader.xls")


@fuzz(10)
@given(data=xls_bytes(), command=st.sampled_from(["check", "allocate"]))
def test_any_xls_is_checked_and_allocated_without_a_traceback(
    quiet_cli: Path, data: bytes, command: str
) -> None:
    (quiet_cli / "søknader.xls").write_bytes(data)
    extra = ["--budget", "1M", "--dry-run"] if command == "allocate" else []
    code, said = run_cli(command, "søknader.xls", *extra)
    assert_said_plainly(code, said)
    if code:
        assert "søknader.xls" in said, said


# --- .xlsb ----------------------------------------------------------------------------------


def _xlsb_cell(value: Any, draw: st.DrawFn) -> Any:
    """``value`` as an .xlsb cell: dates and times as Excel's serial numbers, errors typed in or
    as a formula's result."""
    if isinstance(value, tuple):
        return draw(st.sampled_from([Error, FormulaError]))(value[1])
    if isinstance(value, datetime):
        return (value - datetime(1899, 12, 30)).total_seconds() / 86_400
    if isinstance(value, date):
        return (value - date(1899, 12, 30)).days
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86_400
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, float) and draw(st.integers(0, 5)) == 0:
        return FormulaNumber(value)
    if isinstance(value, str):
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return value


@st.composite
def xlsb_file(draw: st.DrawFn) -> bytes:
    """An .xlsb of one or two sheets, now and then a sheet's stream or the file cut short."""
    sheets = {}
    for number in range(draw(st.integers(1, 2))):
        rows = [[_xlsb_cell(v, draw) for v in cells] for cells in draw(sheet_cells())]
        sheets[f"{draw(st.sampled_from(['Søknader', 'Ark1']))}{number}"] = rows
    data = xlsb_bytes(sheets, inline_strings=draw(st.booleans()))
    damage = draw(DAMAGE)
    event(f"xlsb: {damage}")
    if damage in ("flip", "insert", "truncate"):
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        target_name = draw(st.sampled_from([n for n in source.namelist() if n.endswith(".bin")]))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in source.namelist():
                part = source.read(name)
                if name == target_name:
                    if damage == "flip":
                        part = _flipped(part, draw(CHANGES))
                    elif damage == "insert":
                        at = draw(st.integers(0, len(part)))
                        part = part[:at] + draw(st.binary(min_size=1, max_size=12)) + part[at:]
                    else:
                        part = part[: draw(st.integers(0, len(part)))]
                target.writestr(name, part)
        data = out.getvalue()
    elif damage == "truncate file":
        data = data[: draw(st.integers(0, len(data)))]
    return data


@fuzz(30)
@given(data=xlsb_file())
def test_any_xlsb_reads_to_applications_or_an_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "søknader.xlsb"
    path.write_bytes(data)
    read_placed(path, "søknader.xlsb")


@fuzz(10)
@given(data=xlsb_file(), command=st.sampled_from(["check", "allocate"]))
def test_any_xlsb_is_checked_and_allocated_without_a_traceback(
    quiet_cli: Path, data: bytes, command: str
) -> None:
    (quiet_cli / "søknader.xlsb").write_bytes(data)
    extra = ["--budget", "1M", "--dry-run"] if command == "allocate" else []
    code, said = run_cli(command, "søknader.xlsb", *extra)
    assert_said_plainly(code, said)
    if code:
        assert "søknader.xlsb" in said, said
