"""Number cells formatted as a percentage: found in the sheet's styles, and a score column that
mixes them with plain numbers said at the cells of the smaller group."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwt

from tilskudd.issues import describe_issue
from tilskudd.reading import read_table
from tilskudd.reading.xlsb import xlsb_scan
from tilskudd.validation import validate

from .conftest import OdsXml, build_ods
from .xlsb_files import Cell, Error, FormulaNumber, Styled, xlsb_bytes

HEADER = ["Søknadsnr", "Søker", "Omsøkt beløp", "Poeng"]


def _book(tmp_path: Path, scores: Sequence[tuple[Any, str | None]]) -> Path:
    """A workbook whose score column (D) holds ``scores``, each with its number format."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    sheet.append(HEADER)
    for index, (score, number_format) in enumerate(scores, start=1):
        sheet.append([f"S-{index}", f"Søker {index}", 100_000, score])
        if number_format is not None:
            sheet.cell(row=index + 1, column=4).number_format = number_format
    path = tmp_path / "søknader.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("number_format", ["0%", "0.00%", "0.0 %", '0.0" "%', "#,##0%;-0%"])
def test_a_number_cell_formatted_as_a_percentage_is_found(
    tmp_path: Path, number_format: str
) -> None:
    table = read_table(_book(tmp_path, [(0.85, number_format), (4.5, None), ("85 %", "0%")]))
    # D2 only: D3 is a plain number, D4 is text (whatever its format shows).
    assert table.percent_cells == {3: {2}}


@pytest.mark.parametrize("number_format", ["0.00", '0" %-poeng"', "0\\%", "General"])
def test_a_percent_sign_as_literal_text_is_not_a_percentage(
    tmp_path: Path, number_format: str
) -> None:
    table = read_table(_book(tmp_path, [(0.85, number_format), (4.5, None)]))
    assert table.percent_cells == {}


def test_percent_cells_among_plain_scores_are_each_an_error(tmp_path: Path) -> None:
    path = _book(tmp_path, [(0.85, "0%"), (4.5, None), (85, None), (0.9, "0%"), (5, None)])
    result = validate(read_table(path))
    assert [(i.code, i.location.cell if i.location else None) for i in result.issues] == [
        ("validate.score_scale_percent", "Søknader!D2"),
        ("validate.score_scale_percent", "Søknader!D5"),
    ]
    assert {r.id for r in result.rejected} == {"S-1", "S-4"}
    assert [a.id for a in result.applications] == ["S-2", "S-3", "S-5"]
    first = result.issues[0]
    assert first.params == {"others": 3, "share": Decimal("0.85"), "value": Decimal("0.85")}
    en = describe_issue(first, "en")
    assert "'0.85' is formatted as a percentage (shown as 85%)" in en
    assert "3 other scores in this column are plain numbers" in en
    nb = describe_issue(first, "nb")
    assert "«0,85» er formatert som prosent (vises som 85\u00a0%)" in nb
    assert "3 andre poengsummer i denne kolonnen er vanlige tall" in nb


def test_a_plain_score_among_percent_cells_is_the_error(tmp_path: Path) -> None:
    path = _book(tmp_path, [(0.85, "0%"), (0.7, "0%"), (4.5, None)])
    result = validate(read_table(path))
    (issue,) = result.issues
    assert issue.code == "validate.score_scale_plain"
    assert issue.location is not None
    assert issue.location.cell == "Søknader!D4"
    assert issue.params["others"] == 2
    assert [r.id for r in result.rejected] == ["S-3"]
    assert "'4.5' is a plain number, while 2 other scores" in describe_issue(issue, "en")
    assert "«4,5» er et vanlig tall, mens 2 andre poengsummer" in describe_issue(issue, "nb")


def test_as_many_on_each_scale_names_the_percentages(tmp_path: Path) -> None:
    result = validate(read_table(_book(tmp_path, [(4.5, None), (0.85, "0%")])))
    assert [(i.code, i.params["others"]) for i in result.issues] == [
        ("validate.score_scale_percent", 1)
    ]
    assert "while 1 other score in this column is a plain number" in describe_issue(
        result.issues[0], "en"
    )


@pytest.mark.parametrize(
    "scores",
    [
        [(0.85, "0%"), (0.7, "0.0%"), (None, None)],  # all on one scale: ranked rightly
        [(4.5, None), (85, None), ("4,5", "0%")],  # text is read as typed, not as its format
    ],
)
def test_one_scale_in_the_column_is_no_problem(
    tmp_path: Path, scores: Sequence[tuple[Any, str | None]]
) -> None:
    result = validate(read_table(_book(tmp_path, scores)))
    assert not [i for i in result.issues if i.code.startswith("validate.score_scale")]


def test_a_percent_formatted_amount_is_no_score_problem(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["S-1", "A", 100_000, 4.5])
    sheet.append(["S-2", "B", 200_000, 4])
    sheet["C2"].number_format = "0%"
    path = tmp_path / "søknader.xlsx"
    book.save(path)
    table = read_table(path)
    assert table.percent_cells == {2: {2}}
    assert validate(table).ok


def _percent_ods(value: float, repeat: int = 1) -> OdsXml:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return OdsXml(
        f'<table:table-cell office:value-type="percentage" office:value="{value}"{repeated}>'
        f"<text:p>{value * 100:g} %</text:p></table:table-cell>"
    )


def test_an_opendocument_percentage_among_plain_scores_is_the_error(tmp_path: Path) -> None:
    path = build_ods(
        tmp_path / "søknader.ods",
        {
            "Søknader": [
                HEADER,
                ["S-1", "A", 100_000, _percent_ods(0.85)],
                ["S-2", "B", 100_000, 4.5],
                # A repeated row and repeated cells count as the spreadsheet shows them.
                OdsXml(
                    '<table:table-row table:number-rows-repeated="2">'
                    '<table:table-cell office:value-type="string"><text:p>S-x</text:p>'
                    "</table:table-cell></table:table-row>"
                ),
                ["S-5", "E", 100_000, 5],
                ["S-6", "F", 100_000, 85],
                ["S-7", "G", 100_000, _percent_ods(0.5, repeat=2)],
            ]
        },
    )
    table = read_table(path)
    assert table.percent_cells == {3: {2, 8}, 4: {8}}
    issues = [i for i in validate(table).issues if i.code.startswith("validate.score_scale")]
    assert [(i.code, i.location.cell if i.location else None) for i in issues] == [
        ("validate.score_scale_percent", "Søknader!D2"),
        ("validate.score_scale_percent", "Søknader!D8"),
    ]


def test_a_percent_cell_whose_reference_is_not_its_first_attribute_is_found(
    tmp_path: Path,
) -> None:
    # Every writer seen puts r="D2" first; the XML does not require it.
    path = _book(tmp_path, [(0.85, "0%"), (4.5, None), (0.7, "0%")])
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = members[sheet].decode()
    assert '<c r="D2" s="1"' in xml
    members[sheet] = xml.replace('<c r="D2" s="1"', '<c s="1" r="D2"').encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert read_table(path).percent_cells == {3: {2, 4}}


def _scale_errors(path: Path) -> list[tuple[str, str | None]]:
    issues = validate(read_table(path)).issues
    return [
        (i.code, i.location.cell if i.location else None)
        for i in issues
        if i.code.startswith("validate.score_scale")
    ]


def test_an_xls_percent_cell_among_plain_scores_is_the_error(tmp_path: Path) -> None:
    # xlwt writes a run of numbers in a row as one MULRK record, a lone whole number as RK and
    # a number RK cannot hold as NUMBER, as Excel does; each is found by its cell format.
    book = xlwt.Workbook()
    sheet = book.add_sheet("Søknader")
    for column, text in enumerate(HEADER):
        sheet.write(0, column, text)
    percent = xlwt.easyxf(num_format_str="0%")  # built-in format 9
    custom = xlwt.easyxf(num_format_str="0.0 %")  # a FORMAT record of the workbook's own
    literal = xlwt.easyxf(num_format_str='0" %-poeng"')  # the % is text: a plain number
    scores = [(0.85, percent), (4.5, None), (0.123456789, custom), (5, literal), (85, None)]
    for row, (score, style) in enumerate(scores, start=1):
        sheet.write(row, 0, f"S-{row}")
        sheet.write(row, 1, "Søker")
        sheet.write(row, 2, 100_000)
        sheet.write(row, 3, score, *([style] if style else []))
    sheet.write(6, 0, "S-6")
    sheet.write(6, 1, "Søker")
    sheet.write(6, 3, 1, percent)  # a whole number alone in its row: an RK record
    path = tmp_path / "søknader.xls"
    book.save(str(path))
    table = read_table(path)
    assert table.percent_cells == {3: {2, 4, 7}}
    assert _scale_errors(path) == [
        ("validate.score_scale_percent", "Søknader!D2"),
        ("validate.score_scale_percent", "Søknader!D4"),
        ("validate.score_scale_percent", "Søknader!D7"),
    ]


def test_an_xls_without_a_percent_format_is_not_walked_for_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tilskudd.reading import biff

    book = xlwt.Workbook()
    sheet = book.add_sheet("Søknader")
    for row, cells in enumerate([HEADER, ["S-1", "A", 100_000, 4.5]]):
        for column, value in enumerate(cells):
            sheet.write(row, column, value)
    path = tmp_path / "søknader.xls"
    book.save(str(path))
    walked: list[int] = []
    records = biff._records

    def counted(stream: bytes, start: int) -> Iterator[tuple[int, int, int]]:
        walked.append(start)
        return records(stream, start)

    monkeypatch.setattr(biff, "_records", counted)
    percent: dict[int, set[int]] = {}
    assert biff.xls_error_cells(path, "Søknader", set(), percent) == {}
    assert percent == {}
    assert walked == [0]  # the globals, for the cell formats: not the sheet


def test_an_xlsb_percent_cell_among_plain_scores_is_the_error(tmp_path: Path) -> None:
    # Cell styles 1 (built-in 0%), 2 (a custom 0.0 %) and 3 (a % as literal text); a real
    # number, a formula's number and a whole number packed as Excel packs it (BrtCellRk).
    path = tmp_path / "søknader.xlsb"
    rows: list[list[Cell]] = [
        HEADER,
        ["S-1", "A", 100_000, Styled(0.85, 1)],
        ["S-2", "B", 100_000, 4.5],
        ["S-3", "C", 100_000, Styled(FormulaNumber(0.7), 2)],
        ["S-4", "D", 100_000, Styled(5.0, 3)],
        ["S-5", "E", 100_000, 85],
        ["S-6", "F", 100_000, Styled(1, 1)],
        ["S-7", "G", Styled(100_000, 1), 4],  # a percent amount: no score problem
    ]
    path.write_bytes(
        xlsb_bytes(
            {"Søknader": rows},
            cell_formats=[0, 9, 164, 165],
            number_formats={164: "0.0 %", 165: '0" %-poeng"'},
        )
    )
    table = read_table(path)
    assert [cells[3] for _, cells in table.rows] == [0.85, 4.5, 0.7, 5.0, 85.0, 1, 4.0]
    assert table.percent_cells == {3: {2, 4, 7}, 2: {8}}
    assert _scale_errors(path) == [
        ("validate.score_scale_percent", "Søknader!D2"),
        ("validate.score_scale_percent", "Søknader!D4"),
        ("validate.score_scale_percent", "Søknader!D7"),
    ]


def test_an_xlsb_percent_cell_is_found_between_hidden_rows_and_error_cells(
    tmp_path: Path,
) -> None:
    # The walk that finds hidden rows and error cells finds the percent cells on the way.
    path = tmp_path / "søknader.xlsb"
    rows: list[list[Cell]] = [
        HEADER,
        ["S-1", "A", 100_000, Styled(0.85, 1)],
        ["S-2", "B", 100_000, Error("#N/A")],
        ["S-3", "C", 100_000, 4.5],
    ]
    path.write_bytes(xlsb_bytes({"Søknader": rows}, hidden={"Søknader": {3}}, cell_formats=[0, 9]))
    hidden: set[int] = set()
    percent: dict[int, set[int]] = {}
    assert xlsb_scan(path, "Søknader", hidden, None, percent) == {(2, 3): ("", "#N/A")}
    assert (hidden, percent) == ({3}, {3: {2}})
    assert xlsb_scan(path, "Søknader") == {(2, 3): ("", "#N/A")}  # the search alone
