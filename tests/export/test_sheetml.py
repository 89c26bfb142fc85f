"""The streaming .xlsx writer, read back with openpyxl and python-calamine, and taken apart."""

from __future__ import annotations

import io
import math
import re
import tracemalloc
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.datetime import to_excel
from python_calamine import CalamineWorkbook

from tilskudd.export import _sheetml, _zipstream
from tilskudd.export._sheetml import (
    DATE_FORMAT,
    FORMULA_STARTS,
    MAX_CELL_CHARS,
    TIME_FORMAT,
    CellValue,
    Formula,
    Style,
    Workbook,
    calendar_date,
    column_letter,
    safe_text,
    utc_time,
)

from .schema import assert_schema_order

CREATED = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# One row with every kind of value, empty cells in the middle, and text that needs care.
MIXED: list[CellValue] = [
    1,
    "Bærum kommune",
    None,
    2**53,  # the largest whole number a double holds exactly
    -(10**20),  # beyond a double: exact in the file, as openpyxl reads it
    Decimal("12.5"),
    Decimal("-0.001"),
    0.25,
    True,
    False,
    "",
    "Guovdageainnu suohkan – Kárášjohka, Unjárga, Deatnu (ŋ, đ, ŧ, č, š, ž)",
    "a < b & c > d, \"quoted\" and 'single'",
    "line one\nline two",
    "  indented and trailing  ",
    "tab\tinside",
    "cr\rinside",
]


def _write(path: Path | io.BytesIO, rows: Sequence[Sequence[CellValue]], **sheet: Any) -> None:
    styles = sheet.pop("styles", ())
    with Workbook(path, created=CREATED) as book:
        out = book.add_sheet("Ark", **sheet)
        for row in rows:
            out.append(row, styles)


def _openpyxl_rows(path: Path, sheet: str = "Ark") -> list[list[Any]]:
    ws = load_workbook(path)[sheet]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _calamine_rows(path: Path, sheet: str = "Ark") -> list[list[Any]]:
    rows: list[list[Any]] = (
        CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    )
    return rows


def _expected(value: CellValue) -> Any:
    """What openpyxl reads back for ``value``: exact ints, floats for decimals, None for ""."""
    if isinstance(value, Decimal):  # openpyxl: a float when the text has a point or exponent
        return float(value) if re.search("[.Ee]", str(value)) else int(value)
    if isinstance(value, str):
        return safe_text(value) or None
    return value


def _calamine_expected(value: CellValue) -> Any:
    """What calamine reads: every number a float, "" for an empty cell."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal):
        return float(value)
    return value


def _padded(rows: list[list[Any]], width: int, fill: Any) -> list[list[Any]]:
    return [r + [fill] * (width - len(r)) for r in rows]


# --- values ------------------------------------------------------------------------------------


def test_values_and_types_read_back_exactly_by_openpyxl(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    _write(path, [MIXED, MIXED])
    for row in _openpyxl_rows(path):
        assert row == [_expected(v) for v in MIXED]
        assert [type(v) for v in row[:5]] == [int, str, type(None), int, int]
        assert type(row[8]) is bool


def test_values_and_types_read_back_exactly_by_calamine(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    _write(path, [MIXED])
    (row,) = _calamine_rows(path)
    assert row == [_calamine_expected(v) for v in MIXED]
    assert row[3] == 2**53
    assert row[8] is True
    assert row[14] == "  indented and trailing  "  # kept: xml:space="preserve"


def test_whitespace_at_either_end_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    # Nothing else in these rows needs care, so they take the fast path.
    row: list[CellValue] = [" lead", "trail ", "\nnewline first", "last newline\n", 7]
    _write(path, [row, ["plain", "  both  "]])
    assert _calamine_rows(path) == [[*row[:4], 7.0], ["plain", "  both  ", "", "", ""]]
    assert _openpyxl_rows(path)[0] == row


def test_empty_rows_and_cells_keep_their_places(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    _write(path, [["a", None, "c"], [], [None, None, None], [None, 2]])
    assert _padded(_openpyxl_rows(path), 3, None) == [
        ["a", None, "c"],
        [None, None, None],
        [None, None, None],
        [None, 2, None],
    ]
    assert _padded(_calamine_rows(path), 3, "") == [
        ["a", "", "c"],
        ["", "", ""],
        ["", "", ""],
        ["", 2.0, ""],
    ]


def test_control_characters_surrogates_and_noncharacters_are_replaced(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    hostile = [
        "Bell\x07 kommune",
        "nul\x00l",
        "lone \ud800 surrogate",
        "non\ufffe\uffffchar",
        "\x1b[31m",
        "Linje én\x0blinje to",  # Excel for Mac's line break in a CSV cell
    ]
    _write(path, [hostile, [f"row {i}" for i in range(3)]])
    expected = [
        "Bell\ufffd kommune",
        "nul\ufffdl",
        "lone \ufffd surrogate",
        "non\ufffd\ufffdchar",
        "\ufffd[31m",
        "Linje én\nlinje to",
    ]
    assert _openpyxl_rows(path)[0] == expected
    assert _calamine_rows(path)[0] == expected


def test_control_character_in_a_later_block_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    rows: list[list[CellValue]] = [[i, f"text {i}"] for i in range(3 * _sheetml.BLOCK_ROWS)]
    rows[2 * _sheetml.BLOCK_ROWS + 5][1] = "ctrl\x02here"
    _write(path, rows)
    read = _openpyxl_rows(path)
    assert read[2 * _sheetml.BLOCK_ROWS + 5] == [2 * _sheetml.BLOCK_ROWS + 5, "ctrl\ufffdhere"]
    assert read[-1] == [3 * _sheetml.BLOCK_ROWS - 1, f"text {3 * _sheetml.BLOCK_ROWS - 1}"]


def test_text_is_cut_at_excels_limit(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    _write(path, [["x" * 40_000, "y" * MAX_CELL_CHARS]])
    cut, whole = _openpyxl_rows(path)[0]
    assert len(cut) == MAX_CELL_CHARS
    assert cut.endswith("…")
    assert whole == "y" * MAX_CELL_CHARS
    assert _calamine_rows(path)[0] == [cut, whole]


def test_excels_limit_counts_utf16_units(tmp_path: Path) -> None:
    """Excel counts a character outside the BMP (an emoji) as two (LEN("😀") is 2)."""
    path = tmp_path / "t.xlsx"
    _write(path, [["😀" * 20_000, "é" * 20_000], ["a😀" * 10_922 + "b"]])
    rows = _openpyxl_rows(path)
    (emoji, accents), exact = rows[0], rows[1][0]
    assert len(emoji.encode("utf-16-le")) // 2 == MAX_CELL_CHARS
    assert emoji == "😀" * 16_383 + "…"
    assert accents == "é" * 20_000
    assert exact == "a😀" * 10_922 + "b"  # 32 767 units: Excel's limit, not over it
    assert _calamine_rows(path)[0][0] == emoji


def test_text_that_looks_like_excels_escape_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    _write(path, [["a_x0041_b", "_x000D_"]])
    # Excel and calamine decode _xHHHH_, so the underscore is escaped as Excel itself does.
    assert _calamine_rows(path)[0] == ["a_x0041_b", "_x000D_"]
    # openpyxl does not decode it: it shows the escape as written.
    assert _openpyxl_rows(path)[0] == ["a_x005F_x0041_b", "_x005F_x000D_"]


def test_numbers_excel_cannot_hold_are_refused(tmp_path: Path) -> None:
    for bad in (math.inf, -math.inf, math.nan, Decimal("NaN"), Decimal("-Infinity")):
        with pytest.raises(ValueError, match="infinity or NaN"):
            _write(tmp_path / "t.xlsx", [["ok", bad]])


def test_other_types_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="cannot hold time"):
        _write(tmp_path / "t.xlsx", [[CREATED.time()]])


def test_subclasses_of_str_and_int_are_written_as_their_values(tmp_path: Path) -> None:
    from enum import IntEnum, StrEnum

    class Colour(StrEnum):
        RED = "=red"

    class Level(IntEnum):
        HIGH = 3

    path = tmp_path / "t.xlsx"
    _write(path, [[Colour.RED, Level.HIGH]])
    ws = load_workbook(path)["Ark"]
    assert (ws["A1"].value, ws["A1"].data_type, ws["A1"].quotePrefix) == ("=red", "s", True)
    assert ws["B1"].value == 3


# --- formulas and formula-safety ---------------------------------------------------------------


def test_text_is_never_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    hostile = ["=cmd|' /C calc'!A0", "+47 22", "-1+2", "@SUM(A1)", "\tTab", "\rCR"]
    _write(path, [hostile], styles=(Style.HEADER, Style.TITLE, Style.AMOUNT))
    ws = load_workbook(path)["Ark"]
    cells = ws[1]
    assert [c.value for c in cells] == hostile
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    # The quote-prefixed twin keeps the rest of the style: a hostile header is still bold.
    assert cells[0].font.b
    assert cells[0].fill.fgColor.rgb == "FFDDE4EE"
    assert cells[1].font.sz == 14
    assert cells[2].number_format == "#,##0"
    with zipfile.ZipFile(path) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_only_an_explicit_formula_writes_one(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    _write(path, [[4, 3, 1], ["Check", Formula("=A1-B1-C1", 0), "=A1-B1-C1"]])
    ws = load_workbook(path)["Ark"]
    assert (ws["B2"].value, ws["B2"].data_type) == ("=A1-B1-C1", "f")
    assert (ws["C2"].value, ws["C2"].data_type, ws["C2"].quotePrefix) == ("=A1-B1-C1", "s", True)
    assert load_workbook(path, data_only=True)["Ark"]["B2"].value == 0  # the cached result
    assert _calamine_rows(path)[1] == ["Check", 0.0, "=A1-B1-C1"]
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert re.findall(r"<f>.*?</f>", sheet) == ["<f>A1-B1-C1</f>"]


# --- styles, widths, panes, filters, printing --------------------------------------------------


def test_styles_read_back(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    formats = {
        Style.AMOUNT: "#,##0",
        Style.PERCENT: "0.0%",
        Style.RATIO: "0.00",
        Style.PERCENT_WHOLE: "0%",
        Style.PERCENT_2: "0.00%",
        Style.WRAP: "General",
    }
    with Workbook(path, created=CREATED) as book:
        sheet = book.add_sheet("Ark")
        sheet.append(["Header", "Title", "Bold", "Plain"], (Style.HEADER, Style.TITLE, Style.BOLD))
        sheet.append([Decimal("0.205")] * len(formats), tuple(formats))
    ws = load_workbook(path)["Ark"]
    header, title, bold, plain = ws[1][:4]
    assert header.font.b
    assert (header.fill.fill_type, header.fill.fgColor.rgb) == ("solid", "FFDDE4EE")
    assert (header.alignment.wrap_text, header.alignment.vertical) == (True, "top")
    assert (title.font.b, title.font.sz) == (True, 14)
    assert (bold.font.b, bold.fill.fill_type) == (True, None)
    assert (plain.font.b, plain.number_format) == (False, "General")
    wrapped = ws.cell(row=2, column=list(formats).index(Style.WRAP) + 1)
    assert (wrapped.alignment.wrap_text, wrapped.alignment.vertical) == (True, "top")
    assert [c.number_format for c in ws[2]] == list(formats.values())


def test_widths_frozen_header_filter_print_titles_and_landscape(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    with Workbook(path, created=CREATED) as book:
        sheet = book.add_sheet(
            "Ikke innvilget", widths=[10, 36.5], freeze_rows=1, print_title_rows=1, landscape=True
        )
        sheet.append(["A", "B", "C"], (Style.HEADER,) * 3)
        for i in range(700):  # more than a block
            sheet.append([i, f"row {i}"] if i % 2 else [i, f"row {i}", "wide"])
        sheet.autofilter()
        plain = book.add_sheet("Sammendrag")
        plain.append(["no frame"])
    book_read = load_workbook(path)
    ws = book_read["Ikke innvilget"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:C701"
    assert ws.column_dimensions["A"].width == 10
    assert ws.column_dimensions["B"].width == 36.5
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape"
    other = book_read["Sammendrag"]
    assert other.freeze_panes is None
    assert other.auto_filter.ref is None
    assert other.page_setup.orientation is None
    with zipfile.ZipFile(path) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    names = {
        (n.get("name"), n.get("localSheetId"), n.get("hidden")): n.text
        for n in workbook.iter(f"{MAIN}definedName")
    }
    assert names == {
        ("_xlnm._FilterDatabase", "0", "1"): "'Ikke innvilget'!$A$1:$C$701",
        ("_xlnm.Print_Titles", "0", None): "'Ikke innvilget'!$1:$1",
    }


def test_sheet_xml_elements_in_schema_order(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    with Workbook(path, created=CREATED, footer=_sheetml.footer("Runde", "&P")) as book:
        sheet = book.add_sheet(
            "Ark", widths=[12], freeze_rows=1, print_title_rows=1, landscape=True
        )
        sheet.append(["a"])
        sheet.append([1])
        sheet.autofilter()
    with zipfile.ZipFile(path) as archive:
        tags = assert_schema_order(archive.read("xl/worksheets/sheet1.xml"))
    assert tags == [
        "sheetPr",
        "sheetViews",
        "sheetFormatPr",
        "cols",
        "sheetData",
        "autoFilter",
        "pageMargins",
        "pageSetup",
        "headerFooter",
    ]
    with zipfile.ZipFile(io.BytesIO(_filtered_book())) as archive:
        tags = assert_schema_order(archive.read("xl/worksheets/sheet1.xml"))
    assert "headerFooter" not in tags  # no footer given, none written


def test_every_sheet_prints_on_a4_one_page_wide_with_the_footer(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    text = _sheetml.footer("Kultur & idrett – vår 2026", "Side &P av &N")
    with Workbook(path, created=CREATED, footer=text) as book:
        wide = book.add_sheet("Tildelinger", freeze_rows=1, print_title_rows=1, landscape=True)
        wide.append([f"kolonne {i}" for i in range(30)], (Style.HEADER,) * 30)
        wide.append(list(range(30)))
        book.add_sheet("Sammendrag").append(["Budsjett", 100])
    book_read = load_workbook(path)
    for ws in book_read.worksheets:
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.page_setup.paperSize == 9  # A4
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.oddFooter.left.text == "Kultur && idrett – vår 2026"
        assert ws.oddFooter.right.text == "Side &P av &N"
    assert book_read["Tildelinger"].print_title_rows == "$1:$1"
    assert book_read["Tildelinger"].page_setup.orientation == "landscape"
    assert book_read["Sammendrag"].page_setup.orientation is None  # portrait


def test_footer_codes() -> None:
    assert _sheetml.footer(None, "Side &P av &N") == "&RSide &P av &N"
    assert _sheetml.footer("", "&P") == "&R&P"
    assert _sheetml.footer(" \n ", "&P") == "&R&P"
    assert _sheetml.footer_parts("Runde & co", "&P") == ("Runde && co", "&P")
    assert _sheetml.footer("A & B\nC", "&P") == "&LA && B C&R&P"
    long = _sheetml.footer("&" * 300, "Page &P of &N")
    assert len(long) <= _sheetml.FOOTER_MAX
    assert long.startswith("&L&&")
    assert long.endswith("…&RPage &P of &N")
    left = long[len("&L") : long.rindex("…&R")]
    assert left == "&&" * (len(left) // 2)  # cut between two characters, never inside "&&"
    assert len(_sheetml.footer("x" * 300, "&P")) == _sheetml.FOOTER_MAX


def _filtered_book() -> bytes:
    out = io.BytesIO()
    with Workbook(out, created=CREATED) as book:
        sheet = book.add_sheet("Ark", freeze_rows=1)
        sheet.append(["h1", "h2"], (Style.HEADER, Style.HEADER))
        sheet.append([1, 2])
        sheet.autofilter()
    return out.getvalue()


# --- the package -------------------------------------------------------------------------------


def _package(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def test_every_part_is_well_formed_xml_with_a_content_type_and_a_relationship(
    tmp_path: Path,
) -> None:
    path = tmp_path / "t.xlsx"
    with Workbook(path, created=CREATED, title="IKT-tilskudd – Runde 1 & 2") as book:
        for name in ("Tildelinger", "Ikke innvilget", "Sammendrag & <noter>"):
            book.add_sheet(name, freeze_rows=1).append([name, 1])
    parts = _package(path)
    trees = {name: ElementTree.fromstring(data) for name, data in parts.items()}
    types = trees["[Content_Types].xml"]
    overrides = {o.get("PartName") for o in types if o.tag.endswith("Override")}
    assert overrides == {f"/{name}" for name in parts if not name.endswith((".rels", "Types].xml"))}
    targets = {r.get("Target") for r in trees["_rels/.rels"]}
    assert targets == {"xl/workbook.xml", "docProps/core.xml", "docProps/app.xml"}
    book_targets = {f"xl/{r.get('Target')}" for r in trees["xl/_rels/workbook.xml.rels"]}
    assert book_targets == {
        name
        for name in parts
        if name.startswith("xl/") and name.count("/") >= 1 and not name.startswith("xl/_rels")
    } - {"xl/workbook.xml"}
    sheets = [s.get("name") for s in trees["xl/workbook.xml"].iter(f"{MAIN}sheet")]
    assert sheets == ["Tildelinger", "Ikke innvilget", "Sammendrag & <noter>"]
    assert load_workbook(path).sheetnames == sheets
    assert CalamineWorkbook.from_path(str(path)).sheet_names == sheets
    core = parts["docProps/core.xml"].decode()
    assert "<dc:creator>tilskudd</dc:creator>" in core
    assert "<dc:title>IKT-tilskudd – Runde 1 &amp; 2</dc:title>" in core
    assert "2026-11-28T10:30:00Z" in core
    assert "<Application>tilskudd</Application>" in parts["docProps/app.xml"].decode()
    book = load_workbook(path)
    assert book.properties.creator == "tilskudd"
    assert book.properties.created == datetime(2026, 11, 28, 10, 30)


def test_a_title_with_control_characters_is_repaired(tmp_path: Path) -> None:
    """The title (a programme's and a round's name) goes into docProps/core.xml as it is."""
    path = tmp_path / "t.xlsx"
    with Workbook(path, created=CREATED, title="IKT\x01 <&> ordning \ud800") as book:
        book.add_sheet("Ark").append(["x"])
    core = ElementTree.fromstring(_package(path)["docProps/core.xml"])
    assert [e.text for e in core if e.tag.endswith("title")] == ["IKT\ufffd <&> ordning \ufffd"]
    assert load_workbook(path).properties.title == "IKT\ufffd <&> ordning \ufffd"


def test_same_workbook_same_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _write(a, [MIXED] * 3)
    _write(b, [MIXED] * 3)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 28, 10, 30, 0)}


def test_rows_are_streamed_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Blocks of 64 KiB for the writer thread instead of 2 MiB, so that a few thousand rows
    # show whether memory grows with the rows.
    monkeypatch.setattr(_zipstream, "CHUNK_BYTES", 1 << 16)

    def peak(rows: int) -> int:
        row: list[CellValue] = [1, "Bærum kommune", Decimal("2.5"), 1_000_000, 0.2, None, "x" * 50]
        tracemalloc.start()
        try:
            with Workbook(tmp_path / f"{rows}.xlsx", created=CREATED) as book:
                sheet = book.add_sheet("Ark")
                for _ in range(rows):
                    sheet.append(row)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(2_000), peak(40_000)
    assert large < 2 * small  # twenty times the rows, not twenty times the memory


# --- misuse ------------------------------------------------------------------------------------


def test_sheet_names_excel_refuses(tmp_path: Path) -> None:
    with Workbook(tmp_path / "t.xlsx", created=CREATED) as book:
        book.add_sheet("Ark")
        for bad in ("", "x" * 32, "a/b", "a[1]", "'quoted'", "ARK"):
            with pytest.raises(ValueError, match="sheet name"):
                book.add_sheet(bad)


def test_a_finished_sheet_takes_no_rows(tmp_path: Path) -> None:
    with Workbook(tmp_path / "t.xlsx", created=CREATED) as book:
        first = book.add_sheet("One")
        book.add_sheet("Two")
        with pytest.raises(ValueError, match="finished"):
            first.append([1])


def test_excels_row_and_column_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_sheetml, "MAX_ROWS", 2)
    with pytest.raises(ValueError, match="at most 2 rows"):
        _write(tmp_path / "r.xlsx", [[1], [2], [3]])
    with pytest.raises(ValueError, match="16,384 columns"):
        _write(tmp_path / "c.xlsx", [[1] * 16_385])


def test_an_error_inside_leaves_a_closed_file(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    books = []

    def fail_halfway() -> None:
        with Workbook(path, created=CREATED) as book:
            books.append(book)
            sheet = book.add_sheet("Ark")
            for i in range(2_000):
                sheet.append([i, "text"])
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_halfway()
    assert books[0]._zip._file.closed  # the file is closed, for the caller to remove
    assert not books[0]._zip._thread.is_alive()  # and the writer thread has stopped


def test_a_write_error_reaches_the_caller(tmp_path: Path) -> None:
    class Full(io.BytesIO):
        def write(self, data: Any) -> int:
            if self.tell() > 20_000:
                raise OSError("disk full")
            return super().write(data)

    rows: list[list[CellValue]] = [[i, f"row {i} with some text to fill it"] for i in range(50_000)]
    with pytest.raises(OSError, match="disk full"):
        _write(Full(), rows)


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702, 16_383)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"
    ]  # fmt: skip


@given(
    moment=st.datetimes(
        min_value=datetime(1900, 3, 1),
        max_value=datetime(9999, 12, 31),
        timezones=st.none() | st.just(UTC),
    ).map(lambda d: d.replace(microsecond=0))
)
def test_a_date_time_is_the_serial_openpyxl_writes_and_reads_back_in_utc(
    moment: datetime,
) -> None:
    """The award workbook's times are date-time cells like the ledger export's (openpyxl):
    the same number for the same time, shown with the same format, and read back to the
    second; an aware time is written in UTC."""
    buffer = io.BytesIO()
    with Workbook(buffer, created=CREATED) as book:
        book.add_sheet("Ark").append([moment, moment.isoformat()])
    buffer.seek(0)
    sheet = load_workbook(buffer).active
    assert sheet is not None
    naive = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
    cell = sheet["A1"]
    assert (cell.value, cell.number_format) == (naive, TIME_FORMAT)
    assert sheet["B1"].value == moment.isoformat()  # text stays text
    xml = _package(buffer)["xl/worksheets/sheet1.xml"].decode()
    serial = re.search(r'<c r="A1" s="\d+"><v>([^<]+)</v>', xml)
    assert serial is not None
    assert float(serial.group(1)) == to_excel(naive)
    assert utc_time(moment.isoformat()) == naive


@given(day=st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)))
def test_a_date_is_a_day_openpyxl_reads_back_with_a_date_format(day: date) -> None:
    """The date a change was decided is a date cell (the day's serial number, shown
    yyyy-mm-dd), so Excel sorts and filters it as a date; its ISO text reads as that date."""
    buffer = io.BytesIO()
    with Workbook(buffer, created=CREATED) as book:
        book.add_sheet("Ark").append([calendar_date(day.isoformat()), day.isoformat()])
    buffer.seek(0)
    sheet = load_workbook(buffer).active
    assert sheet is not None
    cell = sheet["A1"]
    assert (cell.value, cell.number_format, cell.is_date) == (
        datetime.combine(day, time()),
        DATE_FORMAT,
        True,
    )
    assert sheet["B1"].value == day.isoformat()  # text stays text
    xml = _package(buffer)["xl/worksheets/sheet1.xml"].decode()
    serial = re.search(r'<c r="A1" s="\d+"><v>([^<]+)</v>', xml)
    assert serial is not None
    assert float(serial.group(1)) == to_excel(datetime.combine(day, time()))
    assert calendar_date(None) is None
    assert calendar_date("not a date") == "not a date"


# --- properties --------------------------------------------------------------------------------

# Text without Excel's own _xHHHH_ escape (openpyxl does not decode it; tested above).
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30).filter(
    lambda s: not re.search("_x[0-9A-Fa-f]{4}_", s)
)
_hostile = st.builds(lambda start, rest: start + rest, st.sampled_from(FORMULA_STARTS), _text)
_values: st.SearchStrategy[CellValue] = st.one_of(
    st.none(),
    _text,
    _hostile,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12
    ),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
)
_rows = st.lists(st.lists(_values, max_size=12), min_size=1, max_size=8)
# The date-time and date styles make a number a date: their round trips are tested on their own
# above.
_styles = st.lists(
    st.sampled_from([s for s in Style if s not in (Style.DATETIME, Style.DATE)]), max_size=12
).map(tuple)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_rows, styles=_styles)
def test_random_rows_round_trip_through_openpyxl(
    tmp_path: Path, rows: list[list[CellValue]], styles: tuple[Style, ...]
) -> None:
    path = tmp_path / "p.xlsx"
    _write(path, rows, styles=styles)
    width = max((len(r) for r in rows), default=0)
    read = _padded(_openpyxl_rows(path), width, None) if width else []
    expected = [[_expected(v) for v in r] + [None] * (width - len(r)) for r in rows]
    expected += [[None] * width] * (len(read) - len(expected))  # openpyxl stops at the last row
    read += [[None] * width] * (len(expected) - len(read))
    for got_row, want_row in zip(read, expected, strict=True):
        for got, want in zip(got_row, want_row, strict=True):
            if isinstance(want, float):
                assert got == pytest.approx(want, rel=1e-15, abs=0) or got == want
            else:
                assert got == want
                assert type(got) is type(want)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.lists(st.one_of(_hostile, _text), min_size=1, max_size=6), min_size=1, max_size=6
    )
)
def test_hostile_text_is_never_a_formula(tmp_path: Path, rows: list[list[str]]) -> None:
    path = tmp_path / "h.xlsx"
    with Workbook(path, created=CREATED) as book:
        sheet = book.add_sheet("Ark")
        for row in rows:
            sheet.append(row)
        sheet.append(["check", Formula("=1+1", 2)])
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert re.findall("<f>.*?</f>", xml) == ["<f>1+1</f>"]
    ws = load_workbook(path)["Ark"]
    for cells in ws.iter_rows(max_row=len(rows)):
        for cell in cells:
            if cell.value is not None:
                assert cell.data_type == "s"
                assert cell.quotePrefix == cell.value.startswith(FORMULA_STARTS)


# Text from the characters that need care, so that the fast path's checks meet them often.
_tricky = st.text(st.sampled_from(list(" \n\t\r=+-@&<>\"'_x0A;æ\x01\x1f\ufffe")), max_size=8)


# Dates and date-times too (a carried column of them), in any style: the serial is the same
# whichever path writes it.
_days = st.one_of(st.dates(), st.datetimes(), st.datetimes(timezones=st.just(UTC)))


@settings(max_examples=400, deadline=None)
@given(
    row=st.lists(st.one_of(_values, _tricky, _days), max_size=15),
    styles=st.lists(st.sampled_from(list(Style)), max_size=12).map(tuple),
)
def test_fast_rows_are_written_as_the_careful_path_writes_them(
    row: list[CellValue], styles: tuple[Style, ...]
) -> None:
    types = tuple(map(type, row))
    fast = _sheetml._compile_row(types, styles)
    try:
        careful = _sheetml._careful_row(7, row, styles)
    except ValueError:
        careful = None
    written = fast("7", row) if fast is not None else None
    if written is not None:
        # What the fast path lets through is exactly what the careful path writes, once the
        # block's control characters are replaced.
        assert _sheetml._encode(written) == _sheetml._encode(careful or "")


def test_a_row_of_dates_takes_the_fast_path() -> None:
    """A carried column of dates (:func:`tilskudd.export.xlsx.carried_columns`) is written row
    by row as the other cells are, not cell by cell."""
    row: list[CellValue] = ["S-1", date(2009, 3, 15), datetime(2009, 3, 15, 12, 30), 5]
    fast = _sheetml._compile_row(tuple(map(type, row)), ())
    assert fast is not None
    written = fast("7", row)
    assert written == _sheetml._careful_row(7, row, ())
    assert '<c r="B7" s="11"><v>39887.0</v></c>' in (written or "")
