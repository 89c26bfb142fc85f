"""Workbooks through python-calamine: values as they are, sheets chosen, formulas without values."""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from tilskudd.errors import InputFileError
from tilskudd.issues import describe_issue
from tilskudd.models import Severity
from tilskudd.reading import read_table
from tilskudd.reading import xlsx as xlsx_module
from tilskudd.reading.table import FormulaWithoutValue, RawTable
from tilskudd.reading.xlsx import formulas_without_value, ods_error_cells
from tilskudd.validation import validate

from .conftest import HEADER, ROWS, OdsXml, build_ods, damage_first_sheet, ods_cell, ods_error

MakeXlsx = Callable[..., Path]


def test_cells_come_through_raw(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx(
        [
            ["Søker", "Søkt beløp", "Innsendt", "Godkjent", "Merknad"],
            ["Moss kommune", 3_300_000, datetime(2009, 3, 1, 12, 0), True, None],
            ["Rygge kommune", "kr 3.300.000,-", date(2009, 3, 2), False, "sen"],
        ]
    )
    table = read_table(path)
    (_, first), (_, second) = table.rows
    # Whole numbers arrive as float, exactly: validation converts them.
    assert first[1] == 3_300_000.0
    assert isinstance(first[1], float)
    assert first[2] == datetime(2009, 3, 1, 12, 0)
    assert first[3] is True
    assert first[4] is None  # empty cell
    assert second[1] == "kr 3.300.000,-"
    assert second[3] is False
    assert table.extra == {"Innsendt": 2, "Godkjent": 3, "Merknad": 4}
    assert table.sheet == "Søknader"
    assert table.file == str(path)


def test_header_below_title_rows_and_data_off_the_left_edge(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws["B1"] = "Tilskudd til IKT i kommunene"
    ws["B2"] = "Runde 1, 2009"
    for column, text in zip("CDE", ["Søker", "Prosjekt", "Omsøkt beløp"], strict=True):
        ws[f"{column}6"] = text
    ws["C7"], ws["D7"], ws["E7"] = "Moss kommune", "Arkiv", 100_000
    path = tmp_path / "runde.xlsx"
    book.save(path)

    table = read_table(path, display_name="runde.xlsx")
    assert table.header_row == 6
    # Column indices are the sheet's own: C is 2, whatever the used range.
    assert table.fields == {"applicant": 2, "project": 3, "requested": 4}
    assert [(n, list(cells[2:])) for n, cells in table.rows] == [
        (7, ["Moss kommune", "Arkiv", 100_000.0])
    ]
    assert table.file == "runde.xlsx"


def test_a_units_row_under_the_header_is_not_an_application(make_xlsx: MakeXlsx) -> None:
    # "kr", "kr", "%" under the header was a rejected application R2 in the award list.
    path = make_xlsx([HEADER, [None, None, None, "kr", "kr", "poeng"], *ROWS])
    result = validate(read_table(path, display_name="r.xlsx"))
    assert [(a.id, a.requested, a.total_cost, a.score) for a in result.applications] == [
        ("S-1", 100_000, 500_000, 5),
        ("S-2", 250_000, 1_250_000, 4),
    ]
    assert not result.rejected
    assert not result.issues
    assert result.header_row == 2


def test_merged_cells_keep_their_value_top_left(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["Søker", "Prosjekt", "Søkt beløp"])
    ws.append(["Moss og Rygge", None, 100])
    ws.merge_cells("A2:B2")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    assert list(read_table(path).rows) == [(2, ["Moss og Rygge", None, 100.0])]


def test_a_header_merged_over_two_rows_is_read_whole(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["Søknadsnr", "Søker", "Org.nr.", "Beløp", None, "Poeng"])
    ws.append([None, None, None, "Omsøkt", "Totalkostnad", None])
    for cells in ("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2"):
        ws.merge_cells(cells)
    ws.append(["S-1", "Moss kommune", "974760673", 100_000, 500_000, 5])
    path = tmp_path / "to_rader.xlsx"
    book.save(path)

    result = validate(read_table(path))
    assert not result.issues
    (app,) = result.applications
    assert (app.id, app.applicant, app.orgnr, app.requested, app.total_cost, app.score) == (
        "S-1",
        "Moss kommune",
        "974760673",
        100_000,
        500_000,
        5,
    )


def test_a_merged_two_row_header_again_is_skipped_without_merge_warnings(
    tmp_path: Path,
) -> None:
    # A bilingual template: the English two-row header, merged as the Norwegian one, under it.
    # Its rows were skipped as a header again, but each merge in them was still warned of as
    # a merged cell over data rows.
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["Søknadsnr", "Søker", "Beløp", None, "Poeng"])
    ws.append([None, None, "Omsøkt", "Totalkostnad", None])
    ws.append(["Application ID", "Applicant", "Amount", None, "Score"])
    ws.append([None, None, "Requested", "Total cost", None])
    for top in (1, 3):
        for cells in ("A{0}:A{1}", "B{0}:B{1}", "C{0}:D{0}", "E{0}:E{1}"):
            ws.merge_cells(cells.format(top, top + 1))
    ws.append(["S-1", "Moss kommune", 100_000, 500_000, 5])
    path = tmp_path / "tospraklig.xlsx"
    book.save(path)

    table = read_table(path)
    assert [n for n, _ in table.rows] == [5]
    assert [issue.code for issue in table.issues] == ["read.header_repeated_skipped"]


def test_default_sheet_is_the_first_visible_one_with_a_header(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx(
        sheets={
            "Skjult": [HEADER, ROWS[0]],
            "Veiledning": [["Slik fyller du ut skjemaet"], ["Søker: navnet på kommunen"]],
            "Oversikt": [["Søker", "Prosjekt"], ["Moss", "Arkiv"]],
            "Søknader": [HEADER, *ROWS],
        },
        hidden=["Skjult"],
    )
    table = read_table(path)
    assert table.sheet == "Søknader"
    assert len(table.rows) == 2


def test_an_instructions_sheet_listing_the_amount_column_is_passed_over(
    make_xlsx: MakeXlsx,
) -> None:
    # The row "Søkt beløp | i hele kroner" is a header with the amount requested: the
    # instructions were read as the applications, and the sheet of applications never was.
    path = make_xlsx(
        sheets={
            "Veiledning": [
                ["Kolonne", "Forklaring"],
                ["Søknadsnr", "unikt nummer for søknaden"],
                ["Søkt beløp", "i hele kroner"],
                ["Poeng", "1 til 6"],
            ],
            "Søknader": [HEADER, *ROWS],
        }
    )
    table = read_table(path)
    assert table.sheet == "Søknader"
    assert len(table.rows) == 2


def test_a_sheet_whose_header_has_the_amount_alone_is_read_when_no_other_has_more(
    make_xlsx: MakeXlsx,
) -> None:
    path = make_xlsx(
        sheets={
            "Oversikt": [["Søker", "Prosjekt"], ["Moss", "Arkiv"]],
            "Beløp": [["Søkt beløp"], [100_000], [200_000]],
        }
    )
    table = read_table(path)
    assert table.sheet == "Beløp"
    assert table.fields == {"requested": 0}


@pytest.mark.parametrize("sheet", ["Andre", 2, "2", "andre"])
def test_sheet_by_name_or_number(make_xlsx: MakeXlsx, sheet: str | int) -> None:
    path = make_xlsx(sheets={"Første": [HEADER, ROWS[0]], "Andre": [HEADER, *ROWS]})
    assert read_table(path, sheet=sheet).sheet == "Andre"


def test_a_hidden_sheet_is_read_when_named(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx(sheets={"Søknader": [HEADER, *ROWS], "Gamle": [HEADER]}, hidden=["Gamle"])
    table = read_table(path, sheet="Gamle")
    assert table.sheet == "Gamle"
    assert len(table.rows) == 0


def _book_with_hidden_rows(path: Path, rows: int, hidden: set[int]) -> Path:
    """A title row, a header in row 2, ``rows`` applications from row 3; ``hidden`` (1-based,
    anywhere, also above the header and below the data) hidden as a filter or a hand would."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Søknader")
    sheet.write_row(0, 0, ["Tilskudd til IKT-prosjekter 2009"])
    sheet.write_row(1, 0, HEADER)
    for i in range(rows):
        sheet.write_row(i + 2, 0, [f"S-{i + 1}", f"Søker {i + 1}", "Prosjekt", 100_000, 500_000, 4])
    for number in sorted(hidden):
        sheet.set_row(number - 1, None, None, {"hidden": True})
    sheet.autofilter(1, 0, rows + 1, len(HEADER) - 1)
    book.close()
    return path


def test_applications_in_hidden_rows_are_read_with_a_warning_naming_the_rows(
    tmp_path: Path,
) -> None:
    # An officer filters the sheet to one county and saves it: the rows filtered out are still
    # applications in the round, and tilskudd says so rather than surprising anyone.
    path = _book_with_hidden_rows(tmp_path / "filtrert.xlsx", 10, {1, 4, 6, 7, 8, 20})
    table = read_table(path)
    assert len(table.rows) == 10  # hidden or not, every application is read
    (issue,) = [i for i in table.issues if i.code.startswith("read.hidden")]
    assert issue.code == "read.hidden_rows"
    assert issue.severity == Severity.WARNING
    assert dict(issue.params) == {"count": 4, "rows": ["4", "6–8"], "more": 0}
    assert issue.location is not None
    assert (issue.location.sheet, issue.location.row) == ("Søknader", 4)
    assert "(4): 4 and 6–8" in describe_issue(issue)
    assert "skjult i arket" in describe_issue(issue, "nb")


def test_many_hidden_rows_are_counted_beyond_the_first_ten_runs(tmp_path: Path) -> None:
    hidden = set(range(3, 63, 2))  # rows 3, 5, ..., 61: 30 runs of one row
    path = _book_with_hidden_rows(tmp_path / "filtrert.xlsx", 60, hidden)
    (issue,) = [i for i in read_table(path).issues if i.code.startswith("read.hidden")]
    assert issue.code == "read.hidden_rows_more"
    assert issue.params["count"] == 30
    assert issue.params["rows"] == [str(n) for n in range(3, 23, 2)]
    assert issue.params["more"] == 20
    assert "; 20 more not listed" in describe_issue(issue)


def test_hidden_rows_in_an_ods_sheet_are_read_with_the_same_warning(tmp_path: Path) -> None:
    # LibreOffice writes a row filtered out as visibility="filter", one hidden by hand as
    # "collapse", and repeats identical rows; the padding to the sheet's end counts for nothing.
    def row(visibility: str, cells: list[object], repeated: int = 1) -> OdsXml:
        times = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
        body = "".join(map(ods_cell, cells))
        return OdsXml(
            f'<table:table-row table:visibility="{visibility}"{times}>{body}</table:table-row>'
        )

    path = build_ods(
        tmp_path / "filtrert.ods",
        {
            "Søknader": [
                HEADER,
                ROWS[0],
                row("filter", ROWS[1]),
                ["S-3", "Råde kommune", "Arkiv", 1000, 5000, 3],
                row("collapse", ["S-4", "Våler kommune", "Arkiv", 1000, 5000, 3]),
                row("collapse", [""], repeated=1_048_000),
            ]
        },
    )
    table = read_table(path)
    assert len(table.rows) == 4
    (issue,) = [i for i in table.issues if i.code.startswith("read.hidden")]
    assert dict(issue.params) == {"count": 2, "rows": ["3", "5"], "more": 0}


def test_a_workbook_without_hidden_rows_says_nothing_of_them(make_xlsx: MakeXlsx) -> None:
    table = read_table(make_xlsx([HEADER, *ROWS]))
    assert not [i for i in table.issues if i.code.startswith("read.hidden")]


def test_hidden_rows_are_found_across_the_scans_pieces(tmp_path: Path) -> None:
    # 15 000 rows make two 1 MiB pieces of sheet XML and more: a row tag cut between two
    # pieces is still read whole.
    hidden = set(range(3, 15_003, 7)) | {15_002}
    path = _book_with_hidden_rows(tmp_path / "stor.xlsx", 15_000, hidden)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 1 << 20
    found: set[int] = set()
    assert formulas_without_value(path, "Søknader", found) == {}
    assert found == hidden


def test_unknown_sheet_name_lists_the_sheets(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx(sheets={"Søknader": [HEADER], "Notater": [["x"]]}, name="r.xlsx")
    with pytest.raises(InputFileError) as caught:
        read_table(path, sheet="Soknad", display_name="r.xlsx")
    assert str(caught.value) == (
        "r.xlsx has no sheet named Soknad. Its sheets are: Søknader and Notater."
    )


def test_sheet_number_out_of_range(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx(sheets={"Søknader": [HEADER]}, name="r.xlsx")
    with pytest.raises(InputFileError) as caught:
        read_table(path, sheet=3, display_name="r.xlsx")
    # Begins with the file, as "has no sheet named" does: after "error:" no sentence's capital.
    assert str(caught.value).startswith("r.xlsx has no sheet number 3. Its sheets are: ")


def test_formula_without_value_becomes_a_marker_at_its_cell(make_xlsx: MakeXlsx) -> None:
    # openpyxl writes formulas without a cached value, as any program that never calculates.
    path = make_xlsx(
        [
            ["Søker", "Søkt beløp", "Totalkostnad"],
            ["Moss", 100_000, "=B2*5"],
            ["Rygge", "=40000+10000", 250_000],
        ]
    )
    rows = list(read_table(path).rows)
    cost = rows[0][1][2]
    assert isinstance(cost, FormulaWithoutValue)
    assert cost.formula == "B2*5"
    requested = rows[1][1][1]
    assert isinstance(requested, FormulaWithoutValue)
    assert requested.formula == "40000+10000"
    assert rows[1][1][2] == 250_000.0


def _replace_parts(path: Path, **changes: Callable[[bytes], bytes]) -> None:
    """Rewrite parts of an xlsx: ``workbook=f`` applies ``f`` to xl/workbook.xml, and so on."""
    names = {"workbook": "xl/workbook.xml", "sheet1": "xl/worksheets/sheet1.xml"}
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    for key, change in changes.items():
        parts[names[key]] = change(parts[names[key]])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _saved_by_excel(path: Path) -> Path:
    """As Excel saves a workbook it has calculated: no request to recalculate on opening.

    xlsxwriter and openpyxl both write ``<calcPr ... fullCalcOnLoad="1"/>``.
    """
    _replace_parts(path, workbook=lambda xml: xml.replace(b' fullCalcOnLoad="1"', b""))
    assert b"fullCalcOnLoad" not in zipfile.ZipFile(path).read("xl/workbook.xml")
    return path


def _xlsxwriter_book(path: Path, formulas: Sequence[tuple[int, str, object]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Søknader")
    ws.write_row(0, 0, ["Søker", "Søkt beløp", "Totalkostnad", "Merknad"])
    ws.write_row(1, 0, ["Moss", 100_000])
    for column, formula, value in formulas:
        ws.write_formula(1, column, formula, None, value)
    book.close()
    return path


def test_formula_with_a_cached_value_gives_the_value(tmp_path: Path) -> None:
    path = _xlsxwriter_book(
        tmp_path / "excel.xlsx", [(2, "=B2*5", 500_000), (3, '=IF(B2>0,"ok","")', "ok")]
    )
    (_, cells), *_ = read_table(_saved_by_excel(path)).rows
    assert cells[2] == 500_000.0
    assert cells[3] == "ok"


def test_a_workbook_that_asks_to_be_recalculated_has_no_formula_values(tmp_path: Path) -> None:
    # xlsxwriter cannot calculate: without a value given it stores 0 for every formula and
    # asks the spreadsheet to recalculate on opening (fullCalcOnLoad="1"). The 0 is no result.
    path = _xlsxwriter_book(tmp_path / "skript.xlsx", [(2, "=B2*5", None)])
    path_with_value = _xlsxwriter_book(tmp_path / "verdi.xlsx", [(2, "=B2*5", 500_000)])
    assert b"<v>0</v>" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    for book in (path, path_with_value):
        # A saved value there, but a placeholder: (formula, None), not "no saved value".
        assert formulas_without_value(book, "Søknader") == {(1, 2): ("B2*5", None)}
        (_, cells), *_ = read_table(book).rows
        assert isinstance(cells[2], FormulaWithoutValue)
        assert (cells[2].formula, cells[2].error, cells[2].recalc) == ("B2*5", None, True)


@pytest.mark.parametrize("score", ["=4+1", None])
def test_scores_from_a_recalculate_on_open_workbook_are_errors_naming_the_formula(
    tmp_path: Path, score: str | None
) -> None:
    path = tmp_path / "poeng.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Søknader")
    ws.write_row(0, 0, ["Søknadsnr", "Søker", "Omsøkt beløp", "Poeng"])
    ws.write_row(1, 0, ["A", "Moss", 100_000])
    ws.write_row(2, 0, ["B", "Rygge", 200_000, 3])
    if score:
        ws.write_formula(1, 3, score)
    else:
        ws.write(1, 3, 5)
    book.close()
    result = validate(read_table(path))
    if score is None:  # no formula: the flag changes nothing
        assert result.ok
        assert [a.score for a in result.applications] == [5, 3]
        return
    (issue,) = result.issues
    assert issue.code == "validate.formula_recalc"
    assert issue.location is not None
    assert (issue.location.column, issue.location.row, issue.params) == (
        "D",
        2,
        {"formula": "=4+1"},
    )
    said = describe_issue(issue)
    assert "asks to be recalculated when it is opened" in said
    assert "open and save the file in Excel or LibreOffice" in said
    assert "beregnet på nytt når den åpnes" in describe_issue(issue, "nb")
    assert [a.id for a in result.applications] == ["B"]


def test_a_formula_beyond_the_used_range_widens_the_grid(make_xlsx: MakeXlsx) -> None:
    # calamine leaves valueless cells out of the sheet's range; the marker must still show.
    path = make_xlsx([["Søker", "Søkt beløp"], ["Moss", 100, "=B2*0.2"]])
    table = read_table(path)
    (_, cells), *_ = table.rows
    assert isinstance(cells[2], FormulaWithoutValue)
    assert table.extra == {"C": 2}


def _sheet_xml(cells: str) -> bytes:
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    ).encode()


def _patch_sheet(path: Path, xml: bytes) -> None:
    """Replace the first worksheet's XML in an xlsx written by openpyxl."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["xl/worksheets/sheet1.xml"] = xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_formula_scan_reads_the_forms_excel_and_others_write(make_xlsx: MakeXlsx) -> None:
    path = _saved_by_excel(make_xlsx([["x"]]))
    _patch_sheet(
        path,
        _sheet_xml(
            '<row r="1"><c r="A1" t="s"><v>0</v></c>'
            '<c r="B1"><f>1+1</f><v>2</v></c>'  # calculated: not reported
            '<c r="C1" t="str"><f>IF(A1="","",A1)</f><v></v></c>'  # calculated to ""
            '<c r="D1"><f>1+1</f><v /></c>'  # openpyxl: empty value
            '<c r="E1"><f>A1&amp;"x"</f></c>'  # no value element at all
            "</row>"
            '<row r="2"><c r="A2"><f t="shared" ref="A2:A3" si="0">B2*2</f></c></row>'
            '<row r="3"><c r="A3"><f t="shared" si="0"/></c></row>'
            '<row r="4"><c r="AB4" s="1"><f>SUM(A1:A3)</f></c></row>'
            "<dataValidations><dataValidation><formula1>1</formula1></dataValidation>"
            "</dataValidations>"
        ),
    )
    assert formulas_without_value(path, "Søknader") == {
        (0, 3): "1+1",
        (0, 4): 'A1&"x"',
        (1, 0): "B2*2",
        (2, 0): "B2*2",  # the shared formula's master text
        (3, 27): "SUM(A1:A3)",
    }


def test_error_cells_are_found_with_their_formula_and_error(make_xlsx: MakeXlsx) -> None:
    """calamine reads #N/A, #DIV/0! and #REF! as empty cells; the scan names them."""
    path = _saved_by_excel(make_xlsx([["x"]]))
    _patch_sheet(
        path,
        _sheet_xml(
            '<row r="1"><c r="A1" t="s"><v>0</v></c>'
            '<c r="B1" t="e"><f>VLOOKUP(A1,Kost!A:B,2,FALSE)</f><v>#N/A</v></c>'
            '<c r="C1" s="2" t="e"><f>B1/0</f><v>#DIV/0!</v></c>'
            '<c r="D1" t="e"><v>#REF!</v></c>'  # an error pasted as a value
            '<c r="E1" t="n"><v>5</v></c>'
            "</row>"
        ),
    )
    assert formulas_without_value(path, "Søknader") == {
        (0, 1): ("VLOOKUP(A1,Kost!A:B,2,FALSE)", "#N/A"),
        (0, 2): ("B1/0", "#DIV/0!"),
        (0, 3): ("", "#REF!"),
    }


def test_an_error_cell_read_is_a_marker_not_an_empty_cell(tmp_path: Path) -> None:
    path = _xlsxwriter_book(tmp_path / "excel.xlsx", [(2, "=VLOOKUP(A2,Kost!A:B,2,FALSE)", "#N/A")])
    (_, cells), *_ = read_table(_saved_by_excel(path)).rows
    cost = cells[2]
    assert isinstance(cost, FormulaWithoutValue)
    assert (cost.formula, cost.error) == ("VLOOKUP(A2,Kost!A:B,2,FALSE)", "#N/A")


def test_formula_scan_is_the_same_whatever_the_chunk_size(
    make_xlsx: MakeXlsx, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows: list[list[object]] = [["Søker", "Søkt beløp", "Egenandel"]]
    rows += [[f"Kommune {i}", 1000 + i, f"=B{i + 2}*0.2"] for i in range(300)]
    path = make_xlsx(rows)
    whole = formulas_without_value(path, "Søknader")
    assert len(whole) == 300
    for chunk in (7, 64, 1000):
        # Cells cut at every possible place between two reads must still be found.
        monkeypatch.setattr(xlsx_module, "_CHUNK", chunk)
        assert formulas_without_value(path, "Søknader") == whole


def test_formula_scan_of_a_file_without_formulas_finds_nothing(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx([HEADER, *ROWS])
    assert formulas_without_value(path, "Søknader") == {}
    assert formulas_without_value(path, "Ingen slik") == {}


def test_xlsm_is_read_like_xlsx(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx([HEADER, *ROWS], name="makro.xlsm")
    assert len(read_table(path).rows) == 2


def test_ods(make_ods: Callable[..., Path]) -> None:
    path = make_ods(
        {
            "Info": [["Om runden"]],
            "Søknader": [["IKT-runden"], [], HEADER, *ROWS],
        }
    )
    table = read_table(path)
    assert table.sheet == "Søknader"
    assert table.header_row == 3
    assert [n for n, _ in table.rows] == [4, 5]
    assert table.rows[0][1][table.fields["requested"]] == 100_000.0
    assert table.rows[1][1][table.fields["applicant"]] == "Rygge kommune"


def test_ods_error_cells_are_found_where_the_spreadsheet_shows_them(
    make_ods: Callable[..., Path],
) -> None:
    """Repeated rows and cells and covered (merged) cells count as the cells they stand for."""
    lookup = "of:=VLOOKUP([.A3];[$Kost.A1:.B9];2;0)"
    path = make_ods(
        {
            "Info": [[ods_error("#REF!", "of:=[.A1]")]],  # another sheet's errors are its own
            "Søknader": [
                OdsXml(
                    '<table:table-row table:number-rows-repeated="2">'
                    '<table:table-cell table:number-columns-repeated="3"/></table:table-row>'
                ),
                ["S-1", 100_000, ods_error("#N/A", lookup)],
                OdsXml(
                    '<table:table-row><table:covered-table-cell table:number-columns-repeated="2"/>'
                    + ods_error("#DIV/0!", "of:=[.B4]/0", value='office:value-type="float" '
                                'office:value="0"')
                    + "</table:table-row>"
                ),
                OdsXml(
                    '<table:table-row table:number-rows-repeated="2"><table:table-cell/>'
                    + ods_error("Err:502", repeat=2)
                    + "</table:table-row>"
                ),
                OdsXml('<table:table-row table:number-rows-repeated="3"><table:table-cell/>'
                       "</table:table-row>"),
                ["S-9", ods_error("#NAME?", "of:=TILSKUDD()")],
            ],
        }
    )  # fmt: skip
    assert ods_error_cells(path, "Søknader") == {
        (2, 2): ("=VLOOKUP(A3;$Kost.A1:B9;2;0)", "#N/A"),
        (3, 2): ("=B4/0", "#DIV/0!"),
        (4, 1): ("", "Err:502"),
        (4, 2): ("", "Err:502"),
        (5, 1): ("", "Err:502"),
        (5, 2): ("", "Err:502"),
        (9, 1): ("=TILSKUDD()", "#NAME?"),
    }
    assert ods_error_cells(path, "Info") == {(0, 0): ("=A1", "#REF!")}
    assert ods_error_cells(path, "Ingen slik") == {}


_OD_CELL = st.tuples(st.sampled_from(["value", "empty", "covered", "error"]), st.integers(1, 3))


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(st.integers(1, 3), st.lists(_OD_CELL, max_size=5)), max_size=8),
    before=st.booleans(),
)
def test_ods_error_cells_as_text_and_as_xml_agree_with_the_layout(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[int, list[tuple[str, int]]]],
    before: bool,
) -> None:
    """Random sheets of repeated rows and cells: the text search, the XML parser and the layout
    itself say the same errors are in the same places."""
    expected: dict[tuple[int, int], tuple[str, str]] = {}
    xml_rows = []
    r = 0
    for repeat, cells in rows:
        c = 0
        parts = []
        for kind, width in cells:
            wide = f' table:number-columns-repeated="{width}"' if width > 1 else ""
            if kind == "error":
                error = f"#E{r}.{c}"
                parts.append(ods_error(error, f"of:=[.A{r + 1}]", repeat=width))
                for rr in range(r, r + repeat):
                    for k in range(width):
                        expected[(rr, c + k)] = (f"=A{r + 1}", error)
            elif kind == "covered":
                parts.append(f"<table:covered-table-cell{wide}/>")
            elif kind == "empty":
                parts.append(f"<table:table-cell{wide}/>")
            else:
                parts.append(
                    f'<table:table-cell{wide} office:value-type="float" office:value="1">'
                    "<text:p>1</text:p></table:table-cell>"
                )
            c += width
        many = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
        xml_rows.append(OdsXml(f"<table:table-row{many}>{''.join(parts)}</table:table-row>"))
        r += repeat
    sheets = {"Søknader": xml_rows}
    if before:  # a sheet before it, with errors of its own
        sheets = {"Oppslag": [[ods_error("#N/A")]] * 2, **sheets}
    folder = tmp_path_factory.mktemp("ods")
    path = build_ods(folder / "søknader.ods", sheets)
    with zipfile.ZipFile(path) as archive:
        data = archive.read("content.xml")
    assert xlsx_module._od_errors_in_text(data, "Søknader") == expected
    assert xlsx_module._od_errors_parsed(data, "Søknader") == expected
    assert ods_error_cells(path, "Søknader") == expected


def test_ods_written_another_way_is_parsed(make_ods: Callable[..., Path]) -> None:
    """Another namespace prefix than the usual "table:": the text search steps aside."""
    path = make_ods({"Søknader": [HEADER, [*ROWS[0][:4], ods_error("#N/A", "of:=[.X1]"), 5]]})
    with zipfile.ZipFile(path) as archive:
        usual = archive.read("content.xml")
    other = usual
    for usual_prefix, other_prefix in (
        (b"<table:", b"<tb:"),
        (b"</table:", b"</tb:"),
        (b" table:", b" tb:"),
        (b"xmlns:table=", b"xmlns:tb="),
    ):
        other = other.replace(usual_prefix, other_prefix)  # fmt: skip
    assert xlsx_module._od_errors_in_text(other, "Søknader") is None
    assert xlsx_module._od_errors_parsed(other, "Søknader") == {(1, 4): ("=X1", "#N/A")}
    assert xlsx_module._od_errors_in_text(usual, "Søknader") == {(1, 4): ("=X1", "#N/A")}


def test_an_ods_error_cell_with_a_comment_shows_the_error_not_the_comment(
    make_ods: Callable[..., Path],
) -> None:
    """A comment (office:annotation: author, date, text) on an error cell is not its error."""
    comment = (
        "<office:annotation><dc:creator>Kari Nordmann</dc:creator>"
        "<dc:date>2024-03-01T10:00:00</dc:date><text:p>Sjekk oppslaget</text:p>"
        "</office:annotation>"
    )
    cell = OdsXml(
        '<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0"'
        f' calcext:value-type="error">{comment}<text:p>#DIV/0!</text:p></table:table-cell>'
    )
    path = make_ods({"Søknader": [HEADER, [*ROWS[0][:4], cell, 5]]})
    with zipfile.ZipFile(path) as archive:
        data = archive.read("content.xml").replace(
            b"<office:document-content",
            b'<office:document-content xmlns:dc="http://purl.org/dc/elements/1.1/"',
            1,
        )
    expected = {(1, 4): ("=1/0", "#DIV/0!")}
    assert xlsx_module._od_errors_in_text(data, "Søknader") == expected
    assert xlsx_module._od_errors_parsed(data, "Søknader") == expected


def test_ods_errors_in_a_wide_row_are_found_in_linear_time() -> None:
    """Many error cells in one row: each is counted on from the one before, not from the
    row's start (4000 cells took 32 s)."""
    cell = ods_error("#DIV/0!", "of:=1/0")
    data = (
        '<office:document-content xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">'
        f'<table:table table:name="S"><table:table-row>{cell * 4000}</table:table-row>'
        "</table:table></office:document-content>"
    ).encode()
    found = xlsx_module._od_errors_in_text(data, "S")
    assert found == {(0, c): ("=1/0", "#DIV/0!") for c in range(4000)}


def test_a_gt_sign_inside_an_ods_attribute_makes_the_text_search_step_aside() -> None:
    """A ">" written as it is inside a quoted value (allowed in XML) ends no tag: the text search
    would count the cells after it wrongly, so it leaves the file to the parser."""
    before = (
        '<table:table-cell table:formula="of:=IF([.$A$1]>0;1;0)"'
        ' table:number-columns-repeated="2" office:value-type="float" office:value="1"/>'
    )
    data = (
        '<office:document-content xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0">'
        f'<table:table table:name="S"><table:table-row>{before}{ods_error("#N/A")}'
        "</table:table-row></table:table></office:document-content>"
    ).encode()
    assert xlsx_module._od_errors_in_text(data, "S") is None
    assert xlsx_module._od_errors_parsed(data, "S") == {(0, 2): ("", "#N/A")}


def test_ods_without_error_cells_is_not_parsed_again(
    make_ods: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_ods({"Søknader": [HEADER, *ROWS]})

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("content.xml parsed although it has no error cell")

    monkeypatch.setattr(xlsx_module.ET, "iterparse", refuse)
    assert ods_error_cells(path, "Søknader") == {}


def test_ods_error_mark_is_found_across_reads(
    make_ods: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_ods({"Søknader": [HEADER, [*ROWS[0][:4], ods_error("#N/A", "of:=[.X1]"), 5]]})
    for chunk in (3, 7, 64):
        # The mark cut at every possible place between two reads is still found.
        monkeypatch.setattr(xlsx_module, "_CHUNK", chunk)
        assert ods_error_cells(path, "Søknader") == {(1, 4): ("=X1", "#N/A")}


def test_an_ods_error_in_the_total_cost_is_an_error_not_an_empty_cost(
    make_ods: Callable[..., Path],
) -> None:
    """LibreOffice's failed lookup read as empty would leave the share-of-cost cap unapplied;
    a writer's 0 beside the error would make the cap 0."""
    path = make_ods(
        {
            "Søknader": [
                HEADER,
                [*ROWS[0][:4], ods_error("#N/A", "of:=VLOOKUP([.A2];[$Kost.A1:.B9];2;0)"), 5],
                [*ROWS[1][:4], ods_error("#DIV/0!", "of:=1/0", value='office:value-type="float" '
                                         'office:value="0"'), 4],
            ]
        }
    )  # fmt: skip
    table = read_table(path)
    cells = [cells[table.fields["total_cost"]] for _, cells in table.rows]
    assert all(isinstance(c, FormulaWithoutValue) for c in cells)
    checked = validate(table)
    assert checked.applications == ()
    found = sorted((i.location.cell, i.code, i.params["error"]) for i in checked.issues
                   if i.code.startswith("validate.cell_error"))  # fmt: skip
    assert found == [
        ("Søknader!E2", "validate.cell_error_formula", "#N/A"),
        ("Søknader!E3", "validate.cell_error_formula", "#DIV/0!"),
    ]
    assert "=VLOOKUP(A2;$Kost.A1:B9;2;0)" in describe_issue(
        next(i for i in checked.issues if i.location.cell == "Søknader!E2")
    )


def test_an_ods_formula_without_a_saved_value_is_named_at_its_cell(tmp_path: Path) -> None:
    # A program wrote the formulas and no spreadsheet calculated them: no value type and no
    # value, which calamine reads as empty (a total cost left out, the share-of-cost cap not
    # applied). A formula LibreOffice has calculated has its value type and value.
    bare = '<table:table-cell table:formula="of:=[.C{row}]*4"/>'
    path = build_ods(
        tmp_path / "søknader.ods",
        {
            "Søknader": [
                ["Søknadsnr", "Søker", "Omsøkt beløp", "Totalkostnad", "Poeng"],
                ["S-1", "Moss", 100_000, OdsXml(bare.format(row=2)), 4.5],
                ["S-2", "Rygge", 200_000, 800_000, 4],
                [
                    "S-3",
                    "Råde",
                    200_000,
                    OdsXml(bare.format(row=4)),
                    OdsXml(
                        '<table:table-cell table:formula="of:=4+1" office:value-type="float"'
                        ' office:value="5"><text:p>5</text:p></table:table-cell>'
                    ),
                ],
            ]
        },
    )
    assert ods_error_cells(path, "Søknader") == {(1, 3): "=C2*4", (3, 3): "=C4*4"}
    result = validate(read_table(path))
    assert [(i.code, i.location.cell if i.location else None) for i in result.issues] == [
        ("validate.formula_without_value", "Søknader!D2"),
        ("validate.formula_without_value", "Søknader!D4"),
    ]
    assert [a.id for a in result.applications] == ["S-2"]
    assert "Søknader!D2 (Totalkostnad): the formula =C2*4 has no saved value" in describe_issue(
        result.issues[0]
    )
    assert "formelen =C2*4 har ingen lagret verdi" in describe_issue(result.issues[0], "nb")


def test_an_ods_formula_tag_cut_where_the_scan_reads_in_pieces_is_still_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_module, "_CHUNK", 700)
    long = "+".join(["1"] * 200)  # a tag longer than a piece
    rows: list[Any] = [["Søknadsnr", "Søker", "Omsøkt beløp", "Totalkostnad"]]
    rows += [[f"S-{n}", "Moss", 100_000, 400_000] for n in range(1, 30)]
    rows.append(
        ["S-30", "Moss", 100_000, OdsXml(f'<table:table-cell table:formula="of:={long}"/>')]
    )
    path = build_ods(tmp_path / "søknader.ods", {"Søknader": rows})
    assert ods_error_cells(path, "Søknader") == {(30, 3): f"={long}"}


def _ods_with_total_cost(path: Path, cell: str, *, namespaces: str = "") -> Path:
    """A round of two whose first total cost is ``cell`` (its XML as written), the table
    namespace also bound to the prefixes in ``namespaces`` (``xmlns:tf="…"``)."""
    rows: list[Any] = [
        ["Søknadsnr", "Søker", "Omsøkt beløp", "Totalkostnad"],
        ["S-1", "Moss", 100_000, OdsXml(cell)],
        ["S-2", "Rygge", 200_000, 800_000],
    ]
    build_ods(path, {"Søknader": rows})
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    content = parts["content.xml"].decode()
    content = content.replace(' office:version="1.2"', f' {namespaces} office:version="1.2"', 1)
    parts["content.xml"] = content.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED if name != "mimetype" else 0)
    return path


_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


@pytest.mark.parametrize(
    ("cell", "namespaces"),
    [
        # XML allows single quotes, in which a formula's text needs no escaping.
        ("""<table:table-cell table:formula='of:=IF([.C2]>0;[.C2]*4;"")'/>""", ""),
        ('<table:table-cell table:formula = "of:=IF([.C2]&gt;0;[.C2]*4;&quot;&quot;)"/>', ""),
        # A program writing XML with a library names the namespace as it likes: ns1 here.
        (
            '<table:table-cell ns1:formula="of:=IF([.C2]&gt;0;[.C2]*4;&quot;&quot;)"/>',
            f'xmlns:ns1="{_TABLE_NS}"',
        ),
        (
            f"<table:table-cell xmlns:tf='{_TABLE_NS}'"
            " tf:formula='of:=IF([.C2]>0;[.C2]*4;\"\")'></table:table-cell>",
            "",
        ),
    ],
    ids=["single quotes", "spaces around =", "another prefix", "a prefix bound on the cell"],
)
def test_an_ods_formula_without_a_saved_value_is_found_however_xml_writes_it(
    tmp_path: Path, cell: str, namespaces: str
) -> None:
    # Only table:formula="…" was looked for, so these formulas read as an empty total cost,
    # and S-1 was funded with the share-of-cost cap left unapplied.
    path = _ods_with_total_cost(tmp_path / "søknader.ods", cell, namespaces=namespaces)
    result = validate(read_table(path))
    assert [(i.code, i.location.cell if i.location else None) for i in result.issues] == [
        ("validate.formula_without_value", "Søknader!D2")
    ]
    assert [a.id for a in result.applications] == ["S-2"]
    assert 'the formula =IF(C2>0;C2*4;"") has no saved value' in describe_issue(result.issues[0])


def test_an_ods_formula_longer_than_the_overlap_of_two_reads_is_still_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pieces overlapped by 4 096 bytes: a longer formula cut between two reads was in
    # neither whole. A formula in Excel may have 8 192 characters.
    long = "+".join(["[.C2]"] * 1_500)  # 8 999 characters
    path = _ods_with_total_cost(
        tmp_path / "søknader.ods", f'<table:table-cell table:formula="of:={long}"/>'
    )
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml")
    at = content.index(b"table:formula=")
    for chunk in (at + 10, at + 5_000):  # the tag cut near its start, and in the middle
        monkeypatch.setattr(xlsx_module, "_CHUNK", chunk)
        assert list(ods_error_cells(path, "Søknader")) == [(1, 3)]


def test_a_shapes_formula_in_an_ods_is_not_a_formula_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An arrow drawn on the sheet has draw:formula equations with no value type: not a cell,
    # so content.xml is not parsed for it.
    shape = (
        "<table:table-cell><draw:custom-shape><draw:enhanced-geometry>"
        '<draw:equation draw:name="f0" draw:formula="$0 *10"/>'
        "</draw:enhanced-geometry></draw:custom-shape></table:table-cell>"
    )
    path = _ods_with_total_cost(
        tmp_path / "søknader.ods",
        shape,
        namespaces='xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
    )

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("content.xml parsed although it has no formula cell")

    monkeypatch.setattr(xlsx_module.ET, "iterparse", refuse)
    assert ods_error_cells(path, "Søknader") == {}


@pytest.mark.parametrize(
    ("name", "extension"),
    [("søknader.csv", "csv"), ("søknader.ods", "ods"), ("søknader.xls", "xls")],
)
def test_a_workbook_with_the_wrong_extension_is_read_with_a_warning(
    make_xlsx: MakeXlsx, name: str, extension: str
) -> None:
    path = make_xlsx([HEADER, *ROWS], name=name)
    table = read_table(path)
    assert len(table.rows) == 2
    (issue,) = table.issues
    assert issue.code == "read.format_mismatch"
    assert issue.params["extension"] == extension
    assert issue.params["actual"] == "an Excel workbook (.xlsx)"


def test_an_ods_named_xlsx_and_a_workbook_without_extension(
    make_ods: Callable[..., Path], make_xlsx: MakeXlsx
) -> None:
    ods = make_ods({"Søknader": [HEADER, *ROWS]}, name="regneark.xlsx")
    assert len(read_table(ods).rows) == 2
    bare = make_xlsx([HEADER, *ROWS], name="søknader")
    table = read_table(bare)
    assert len(table.rows) == 2
    assert table.issues == []  # no extension, nothing to disagree with


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_failure_inside_the_formula_scan_is_not_swallowed(
    make_xlsx: MakeXlsx,
    make_ods: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    def broken(path: Path, sheet: str, *_: object) -> dict[tuple[int, int], str]:
        raise RuntimeError("scan bug")

    monkeypatch.setitem(xlsx_module._SCANNERS, kind, broken)
    path = make_xlsx([HEADER, *ROWS]) if kind == "xlsx" else make_ods({"Søknader": [HEADER, *ROWS]})
    with pytest.raises(RuntimeError, match="scan bug"):
        read_table(path)


def test_calamines_empty_text_becomes_none_in_place() -> None:
    rows: list[list[object]] = [["a", "", 1.0, "", "0"], ["", ""], [], [" ", 0.0]]
    grid = xlsx_module._grid(rows)
    assert grid is rows
    assert grid == [["a", None, 1.0, None, "0"], [None, None], [], [" ", 0.0]]


def _merged(tmp_path: Path, merges: list[str], rows: int = 4) -> Path:
    """A sheet "Søknader" with ``rows`` applications below its header, ``merges`` merged."""
    path = tmp_path / "flettet.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    sheet.append(["Søknadsnr", "Søker", "Kommune", "Omsøkt beløp"])
    for i in range(1, rows + 1):
        sheet.append([f"M-{i}", f"Søker {i}", f"Kommune {i}", 100_000 * i])
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def _merge_issues(path: Path, lang: str = "en") -> list[str]:
    table = read_table(path, display_name="flettet.xlsx", lang=lang)
    return [describe_issue(i, lang) for i in table.issues if "merged" in i.code]


def test_a_merged_cell_over_data_rows_is_a_warning_naming_it(tmp_path: Path) -> None:
    """Excel shows the merged value beside each row; only the first row holds it. A block over
    columns the round does not read (beside the table, no header) is not read on every row:
    said as before."""
    path = _merged(tmp_path, ["E2:F3", "A1:A1"])  # A1:A1, one cell: nothing to say
    table = read_table(path)
    (issue,) = table.issues
    assert issue.code == "read.merged_cells"
    assert dict(issue.params) == {"range": "E2:F3", "cell": "E2", "empty": ["F2", "E3:F3"]}
    assert issue.location is not None
    assert issue.location.cell == "Søknader!E2"
    assert _merge_issues(path) == [
        "flettet.xlsx, Søknader!E2: E2:F3 is a merged cell: only E2 holds its value, and "
        "tilskudd reads F2 and E3:F3 as empty, though Excel shows the value there too. Unmerge "
        "the cells and fill in the value in each row"
    ]
    # Said before as "row(s) 3 read it as empty" and "rad 3 leses som tom(me)".
    assert _merge_issues(path, "nb") == [
        "flettet.xlsx, Søknader!E2: E2:F3 er en sammenslått celle: bare E2 har verdien, og "
        "tilskudd leser F2 og E3:F3 uten verdi, selv om Excel viser verdien der også. Del opp "
        "cellene og fyll inn verdien i hver rad"
    ]


@pytest.mark.parametrize(
    ("merge", "empty"),
    [
        ("E2:F5", "F2 and E3:F5"),
        # Over two columns the cell beside the value is empty too: said as "row 2 holds its
        # value" before, which F2 does not.
        ("E2:F3", "F2 and E3:F3"),
        ("E3:F4", "F3 and E4:F4"),
    ],
)
def test_a_merged_range_names_every_cell_that_reads_empty(
    tmp_path: Path, merge: str, empty: str
) -> None:
    (text,) = _merge_issues(_merged(tmp_path, [merge]))
    top_left = merge.split(":")[0]
    assert text.startswith(
        f"flettet.xlsx, Søknader!{top_left}: {merge} is a merged cell: only {top_left} holds "
        f"its value, and tilskudd reads {empty} as empty"
    )


def _kommuner(tmp_path: Path, merges: list[str]) -> Path:
    """Five applications, three of them from Bodø, merged down C2:C4 as an officer would."""
    path = tmp_path / "flettet.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    sheet.append(["Søknadsnr", "Søker", "Kommune", "Omsøkt beløp", "Saksbehandler"])
    sheet.append(["S-1", "Lag A", "Bodø", 100_000, "Kari"])
    sheet.append(["S-2", "Lag B", None, 200_000, None])
    sheet.append(["S-3", "Lag C", None, 300_000, None])
    sheet.append(["S-4", "Lag D", "Tromsø", 50_000, "Ola"])
    sheet.append(["S-5", "Lag E", "Alta", 70_000, None])
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def test_a_value_merged_down_a_column_of_text_is_read_on_every_row(tmp_path: Path) -> None:
    """C2:C4 merged over three applications of Bodø: Excel shows Bodø on all three, but C3 and
    C4 read as empty, so two applications had no municipality and no county."""
    path = _kommuner(tmp_path, ["C2:C4", "E5:E6"])
    table = read_table(path, display_name="flettet.xlsx")
    assert [cells[2] for _, cells in table.rows] == ["Bodø", "Bodø", "Bodø", "Tromsø", "Alta"]
    assert [cells[4] for _, cells in table.rows] == ["Kari", None, None, "Ola", "Ola"]
    (issue,) = table.issues
    assert issue.code == "read.merged_down_filled"
    assert issue.severity == Severity.WARNING
    assert issue.location is not None
    assert issue.location.cell == "Søknader!C2"
    assert _merge_issues(path) == [
        "flettet.xlsx, Søknader!C2: C2:C4 and E5:E6 are merged cells down over rows of "
        "applications: tilskudd reads the value on every row of the merge, as Excel shows it, "
        "though the file holds it in the top cell only. If a row is to have a value of its own, "
        "unmerge the cells and fill in each row"
    ]
    assert _merge_issues(path, "nb") == [
        "flettet.xlsx, Søknader!C2: C2:C4 og E5:E6 er sammenslåtte celler nedover søknadsrader: "
        "tilskudd leser verdien på hver rad i sammenslåingen, slik Excel viser den, selv om "
        "filen har den bare i den øverste cellen. Skal en rad ha en egen verdi, del opp cellene "
        "og fyll inn hver rad"
    ]
    result = validate(table)
    assert not result.rejected
    bodø = [a for a in result.applications if a.id in {"S-1", "S-2", "S-3"}]
    assert [(a.municipalities, a.counties) for a in bodø] == [(("1804",), ("18",))] * 3
    assert [a.extra["Saksbehandler"] for a in result.applications] == [
        "Kari",
        None,
        None,
        "Ola",
        "Ola",
    ]


def _kommune_fylke(tmp_path: Path) -> Path:
    """Four applications, the first three from Bodø in Nordland: Kommune and Fylke merged as
    one block, C2:D4, the value typed once in C2."""
    path = tmp_path / "blokk.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    sheet.append(["Søknadsnr", "Søker", "Kommune", "Fylke", "Omsøkt beløp"])
    sheet.append(["S-1", "Lag A", "Bodø", None, 100_000])
    sheet.append(["S-2", "Lag B", None, None, 200_000])
    sheet.append(["S-3", "Lag C", None, None, 300_000])
    sheet.append(["S-4", "Lag D", "Tromsø", "Troms", 50_000])
    sheet.merge_cells("C2:D4")
    book.save(path)
    return path


def _check_kommune_fylke(table: RawTable, first_row: int) -> None:
    """The block's value read as each row's municipality, as on its top row, and said once."""
    rows = [cells[2:4] for _, cells in table.rows]
    assert rows[:3] == [["Bodø", None]] * 3
    (issue,) = [i for i in table.issues if "merged" in i.code]
    assert issue.code == "read.merged_down_across"
    assert issue.severity == Severity.WARNING
    end = first_row + 2
    assert dict(issue.params) == {"count": 1, "ranges": [f"C{first_row}:D{end}"], "more": 0}
    assert issue.location is not None
    assert issue.location.cell == f"Søknader!C{first_row}"
    assert describe_issue(issue).endswith(
        f"C{first_row}:D{end} is a merged cell across columns and down over rows of "
        "applications: tilskudd reads the value on every row of the merge, in its first column, "
        "as Excel shows it beside each row, though the file holds it in the top-left cell only; "
        "the other columns of the merge read as empty on every row. If a row is to have a value "
        "of its own, or the value belongs in another column, unmerge the cells and fill in each "
        "row"
    )
    assert describe_issue(issue, "nb").endswith(
        f"C{first_row}:D{end} er en sammenslått celle over flere kolonner og nedover "
        "søknadsrader: tilskudd leser verdien på hver rad i sammenslåingen, i den første "
        "kolonnen, slik Excel viser den ved hver rad, selv om filen har den bare i cellen øverst "
        "til venstre; de andre kolonnene i sammenslåingen leses uten verdi på hver rad. Skal en "
        "rad ha en egen verdi, eller hører verdien til en annen kolonne, del opp cellene og fyll "
        "inn hver rad"
    )
    result = validate(table)
    assert not result.rejected
    bodø = [a for a in result.applications if a.id in {"S-1", "S-2", "S-3"}]
    # Said before as "C2:D4 is a merged cell: only C2 holds its value": S-2 and S-3 had no
    # municipality and no county, and a quota per county would have missed them.
    assert [(a.municipalities, a.counties) for a in bodø] == [(("1804",), ("18",))] * 3


def test_a_value_merged_down_two_columns_of_text_is_read_on_every_row(tmp_path: Path) -> None:
    table = read_table(_kommune_fylke(tmp_path), display_name="blokk.xlsx")
    _check_kommune_fylke(table, 2)


def test_an_ods_value_merged_down_two_columns_is_read_on_every_row_as_in_xlsx(
    make_ods: Callable[..., Path],
) -> None:
    block = OdsXml(
        '<table:table-cell table:number-rows-spanned="3" table:number-columns-spanned="2" '
        'office:value-type="string"><text:p>Bodø</text:p></table:table-cell>'
        "<table:covered-table-cell/>"
    )
    covered = OdsXml('<table:covered-table-cell table:number-columns-repeated="2"/>')
    path = make_ods(
        {
            "Søknader": [
                ["Søknadsnr", "Søker", "Kommune", "Fylke", "Omsøkt beløp"],
                ["S-1", "Lag A", block, 100_000],
                ["S-2", "Lag B", covered, 200_000],
                ["S-3", "Lag C", covered, 300_000],
                ["S-4", "Lag D", "Tromsø", "Troms", 50_000],
            ]
        }
    )
    _check_kommune_fylke(read_table(path), 2)


@pytest.mark.parametrize(
    ("merge", "field", "rows", "en", "nb"),
    [
        ("D2:D4", "requested", [2, 3, 4], "amount requested", "omsøkt beløp"),
        ("A3:A4", "id", [3, 4], "id", "søknadsnummer"),
        ("C3:D4", "requested", [3, 4], "amount requested", "omsøkt beløp"),
    ],
)
def test_a_value_merged_down_an_amount_or_an_id_is_an_error_on_each_application(
    tmp_path: Path, merge: str, field: str, rows: list[int], en: str, nb: str
) -> None:
    """An amount merged over three rows is one amount, not three (nor three times one): each
    application under it is rejected, with an error naming the range."""
    path = _kommuner(tmp_path, [merge])
    result = validate(read_table(path, display_name="flettet.xlsx"))
    rejected = {r.row: r for r in result.rejected}
    assert sorted(rejected) == rows
    errors = [i for i in result.issues if i.code == "read.merged_down_shared"]
    assert [i.location.row for i in errors if i.location] == rows
    assert {i.field for i in errors} == {field}
    assert describe_issue(errors[0]).endswith(
        f"{merge} is one merged cell over {len(rows)} applications: Excel shows one {en} "
        "beside them all, but each application has a value of its own, so the applications "
        "under it are rejected. Unmerge the cells and fill in each application's value"
    )
    assert describe_issue(errors[0], "nb").endswith(
        f"{merge} er én sammenslått celle over {len(rows)} søknader: Excel viser samme {nb} "
        "ved siden av alle, men hver søknad har sin egen verdi, så søknadene under den avvises. "
        "Del opp cellene og fyll inn verdien for hver søknad"
    )
    assert not [i for i in result.issues if i.code.startswith("read.merged_cells")]
    # Said once, by the merge: not again as an amount missing or an id made from the row.
    assert [i.code for r in result.rejected for i in r.issues] == ["read.merged_down_shared"] * len(
        rows
    )


def test_a_merge_down_over_rows_otherwise_empty_is_no_application(tmp_path: Path) -> None:
    """The last application's amount and municipality merged down over two empty rows below
    it: no error, no value read into rows that are not applications."""
    path = _kommuner(tmp_path, ["D6:D8", "C6:C8"])
    table = read_table(path)
    assert [number for number, _ in table.rows] == [2, 3, 4, 5, 6]
    assert [i.code for i in table.issues] == []
    assert not validate(table).rejected


def test_an_ods_cell_merged_down_is_read_on_every_row_as_in_xlsx(
    make_ods: Callable[..., Path],
) -> None:
    """calamine gives no merged ranges for an .ods: C3 and C4 under the merged Kommune read
    as empty, without even the warning an .xlsx had, and the amount merged over two rows passed
    as the first application's."""

    def spanned(value: object, rows: int, columns: int = 1) -> OdsXml:
        kind = f'"float" office:value="{value}"' if isinstance(value, int) else '"string"'
        return OdsXml(
            f'<table:table-cell table:number-rows-spanned="{rows}" '
            f'table:number-columns-spanned="{columns}" office:value-type={kind}>'
            f"<text:p>{value}</text:p></table:table-cell>"
        )

    covered = OdsXml("<table:covered-table-cell/>")
    path = make_ods(
        {
            "Søknader": [
                ["Søknadsnr", "Søker", "Kommune", "Omsøkt beløp"],
                OdsXml('<table:table-row table:number-rows-repeated="2"/>'),
                ["S-1", "Lag A", spanned("Bodø", 3), 100_000],
                ["S-2", "Lag B", covered, 200_000],
                ["S-3", spanned("Lag C", 1, 2), covered, spanned(300_000, 2)],
                ["S-4", "Lag D", "Tromsø", covered],
            ]
        }
    )
    table = read_table(path)
    assert [number for number, _ in table.rows] == [4, 5, 6, 7]
    assert [cells[2] for _, cells in table.rows] == ["Bodø", "Bodø", "Bodø", "Tromsø"]
    codes = [i.code for i in table.issues]
    assert codes == [
        "read.merged_down_filled",
        "read.blank_rows_skipped",
    ]
    (filled,) = [i for i in table.issues if i.code == "read.merged_down_filled"]
    assert filled.params["ranges"] == ["C4:C6"]
    result = validate(table)
    assert [r.row for r in result.rejected] == [6, 7]
    assert {i.params["range"] for r in result.rejected for i in r.issues} == {"D6:D7"}


def test_several_merged_ranges_are_one_warning_listing_them(tmp_path: Path) -> None:
    # One warning each before, the same advice repeated for every range.
    path = _merged(tmp_path, ["E6:F7", "E2:F3", "E4:F5"], rows=6)
    (issue,) = read_table(path).issues
    assert issue.code == "read.merged_cells_many"
    assert issue.location is not None
    assert (issue.location.sheet, issue.location.row) == ("Søknader", 2)
    assert _merge_issues(path) == [
        "flettet.xlsx, Søknader, row 2: merged cells span rows of applications (3): E2:F3, "
        "E4:F5 and E6:F7. Only the top-left cell of each holds its value, and tilskudd reads the "
        "others as empty, though Excel shows the value there too. Unmerge the cells and fill in "
        "the value in each row"
    ]
    assert _merge_issues(path, "nb") == [
        "flettet.xlsx, Søknader, rad 2: sammenslåtte celler går over søknadsrader (3): E2:F3, "
        "E4:F5 og E6:F7. Bare cellen øverst til venstre i hver har verdien, og tilskudd leser de "
        "andre uten verdi, selv om Excel viser verdien der også. Del opp cellene og fyll inn "
        "verdien i hver rad"
    ]


def test_many_merged_ranges_name_the_first_ten_and_count_the_rest(tmp_path: Path) -> None:
    merges = [f"E{r}:F{r + 1}" for r in range(2, 50, 2)]  # 24 ranges
    (issue,) = read_table(_merged(tmp_path, merges, rows=50)).issues
    assert issue.code == "read.merged_cells_many_more"
    assert dict(issue.params) == {"count": 24, "ranges": merges[:10], "more": 14}
    text = describe_issue(issue, "nb")
    assert "(24): E2:F3, E4:F5, " in text
    assert "E18:F19 og E20:F21; 14 til er ikke listet opp. Bare cellen" in text


def test_many_ranges_merged_down_text_name_the_first_ten_and_count_the_rest(
    tmp_path: Path,
) -> None:
    merges = [f"C{r}:C{r + 1}" for r in range(2, 50, 2)]  # 24 ranges
    table = read_table(_merged(tmp_path, merges, rows=50))
    (issue,) = table.issues
    assert issue.code == "read.merged_down_filled_more"
    assert dict(issue.params) == {"count": 24, "ranges": merges[:10], "more": 14}
    assert [cells[2] for _, cells in table.rows][:4] == ["Kommune 1"] * 2 + ["Kommune 3"] * 2
    assert describe_issue(issue, "nb").endswith(
        "C2:C3, C4:C5, C6:C7, C8:C9, C10:C11, C12:C13, C14:C15, C16:C17, C18:C19 og C20:C21; 14 "
        "til er ikke listet opp: sammenslåtte celler nedover søknadsrader (24). tilskudd leser "
        "hver verdi på hver rad i sin sammenslåing, slik Excel viser den, selv om filen har den "
        "bare i den øverste cellen. Skal en rad ha en egen verdi, del opp cellene og fyll inn "
        "hver rad"
    )


def test_a_header_cell_merged_down_over_applications_says_so(tmp_path: Path) -> None:
    # Said before as "only row 1 holds its value": the header, not an application's value.
    path = _merged(tmp_path, ["C1:C3"])
    assert _merge_issues(path) == [
        "flettet.xlsx, Søknader!C1: C1:C3 is a header cell merged down over rows of "
        "applications: tilskudd reads C2:C3 as empty, though Excel shows the header there. "
        "Unmerge the cells and fill in each application's value"
    ]
    assert _merge_issues(path, "nb") == [
        "flettet.xlsx, Søknader!C1: C1:C3 er en overskriftscelle som er slått sammen nedover "
        "søknadsrader: tilskudd leser C2:C3 uten verdi, selv om Excel viser overskriften der. "
        "Del opp cellene og fyll inn verdien for hver søknad"
    ]


def test_a_recalculated_workbooks_extra_column_is_a_warning_saying_why(tmp_path: Path) -> None:
    path = _xlsxwriter_book(tmp_path / "skript.xlsx", [(3, '=IF(B2>0,"ok","")', "ok")])
    result = validate(read_table(path))
    (issue,) = [i for i in result.issues if i.code != "validate.id_column_missing"]
    assert issue.code == "validate.formula_recalc_extra"
    assert issue.severity == Severity.WARNING
    assert "is carried through empty" in describe_issue(issue)
    assert result.applications[0].extra == {"Merknad": None}


@pytest.mark.parametrize(
    "written",
    [
        "calcext:value-type='error'",
        'calcext:value-type = "error"',
    ],
)
def test_an_ods_error_mark_written_another_way_is_still_found(
    make_ods: Callable[..., Path], written: str
) -> None:
    """XML allows single quotes and spaces around '='; LibreOffice does not write them, so the
    fast paths step aside for the parser rather than miss the error."""
    cell = OdsXml(
        f'<table:table-cell table:formula="of:=1/0" {written}><text:p>#DIV/0!</text:p>'
        "</table:table-cell>"
    )
    path = make_ods({"Søknader": [HEADER, [*ROWS[0][:4], cell, 5]]})
    with zipfile.ZipFile(path) as archive:
        data = archive.read("content.xml")
    assert xlsx_module._od_errors_in_text(data, "Søknader") is None
    assert ods_error_cells(path, "Søknader") == {(1, 4): ("=1/0", "#DIV/0!")}


# --- work beside the parse (read_table's meanwhile) --------------------------------------------


def _parse_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "tilskudd-parse"]


class _WaitingBook:
    """A calamine workbook whose sheets are parsed only once the work beside has been done
    (or 10 s have passed): a parse that waited for nothing was not beside that work."""

    def __init__(self, book: Any, beside: threading.Event, parses: list[tuple[str, bool]]):
        self._book, self._beside, self._parses = book, beside, parses

    def __getattr__(self, name: str) -> Any:
        return getattr(self._book, name)

    def get_sheet_by_name(self, name: str) -> Any:
        done_beside = self._beside.wait(timeout=10)
        self._parses.append((threading.current_thread().name, done_beside))
        return self._book.get_sheet_by_name(name)


def test_meanwhile_runs_once_on_the_reading_thread_while_the_sheet_is_parsed(
    make_xlsx: MakeXlsx, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An instructions sheet first: two sheets are parsed, the work beside is done once.
    path = make_xlsx(
        [["Fyll ut arket Søknader"]], sheet="Veiledning", sheets={"Søknader": [HEADER, *ROWS]}
    )
    plain = read_table(path)
    beside = threading.Event()
    parses: list[tuple[str, bool]] = []
    real = xlsx_module.CalamineWorkbook

    class Workbook:
        @staticmethod
        def from_path(name: str) -> _WaitingBook:
            return _WaitingBook(real.from_path(name), beside, parses)

    monkeypatch.setattr(xlsx_module, "CalamineWorkbook", Workbook)
    calls: list[threading.Thread] = []

    def meanwhile() -> None:
        calls.append(threading.current_thread())
        beside.set()

    table = read_table(path, meanwhile=meanwhile)
    assert calls == [threading.main_thread()]
    # The first sheet on a thread of its own, waiting for the work beside; the second as ever.
    assert parses == [("tilskudd-parse", True), (threading.main_thread().name, True)]
    assert _parse_threads() == []
    assert (table.sheet, table.rows, table.issues) == (plain.sheet, plain.rows, plain.issues)


def test_meanwhile_is_not_called_for_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "søknader.csv"
    path.write_text("Søknadsnr;Omsøkt beløp\nS-1;100000\n", encoding="utf-8")
    calls: list[int] = []
    table = read_table(path, meanwhile=lambda: calls.append(1))
    assert calls == []
    assert len(table.rows) == 1


def test_a_damaged_sheet_is_said_the_same_with_work_beside_the_parse(
    make_xlsx: MakeXlsx,
) -> None:
    path = make_xlsx([HEADER, *ROWS])
    damage_first_sheet(path)
    messages = []
    for meanwhile in (None, lambda: None):
        with pytest.raises(InputFileError) as caught:
            read_table(path, display_name="søknader.xlsx", meanwhile=meanwhile)
        messages.append(str(caught.value))
    assert messages[0].startswith("søknader.xlsx is damaged or incomplete")
    assert messages[1] == messages[0]
    assert _parse_threads() == []


def test_an_error_of_the_work_beside_the_parse_is_raised_as_it_is(make_xlsx: MakeXlsx) -> None:
    """Not worded as a damaged file: it is not the file's fault."""
    path = make_xlsx([HEADER, *ROWS])

    def fail() -> None:
        raise LookupError("no such module")

    with pytest.raises(LookupError, match="no such module"):
        read_table(path, meanwhile=fail)
    assert _parse_threads() == []


def test_applications_in_a_later_sheet_are_said_to_be_left_out(make_xlsx: MakeXlsx) -> None:
    """One sheet per category ("Kultur", "Idrett"): only the first was read, and check said
    "no problems found" with the sports applications left out of the round."""
    path = make_xlsx(
        sheets={
            "Kultur": [HEADER, *ROWS],
            "Idrett": [HEADER, ROWS[0]],
            "Notater": [["Merknader til søknadene"], ["Moss mangler vedlegg"]],
        }
    )
    table = read_table(path)
    assert table.sheet == "Kultur"
    (issue,) = [i for i in table.issues if i.code == "read.other_sheets_with_applications"]
    assert issue.params == {"sheet": "Kultur", "sheets": ["Idrett"]}
    assert issue.severity is Severity.WARNING
    norsk = describe_issue(issue, "nb")
    assert "arbeidsboken har søknader i andre ark også (Idrett), og bare arket Kultur ble" in norsk
    english = describe_issue(issue, "en")
    assert "the workbook has applications in other sheets too (Idrett), and only sheet" in english


@pytest.mark.parametrize(
    ("sheets", "hidden", "sheet"),
    [
        ({"Søknader": [HEADER, *ROWS], "Mal": [HEADER]}, [], None),  # a header, no amounts
        ({"Søknader": [HEADER, *ROWS], "Fjorår": [HEADER, *ROWS]}, ["Fjorår"], None),
        ({"Søknader": [HEADER, *ROWS], "Runde 2": [HEADER, *ROWS]}, [], "Søknader"),
    ],
)
def test_no_word_of_other_sheets_when_none_is_left_out_unseen(
    make_xlsx: MakeXlsx, sheets: dict[str, list[list[Any]]], hidden: list[str], sheet: str | None
) -> None:
    path = make_xlsx(sheets=sheets, hidden=hidden)
    table = read_table(path, sheet=sheet)
    assert "read.other_sheets_with_applications" not in [i.code for i in table.issues]


@pytest.mark.parametrize("written", ["C3:B2", "C2:B3", "B3:C2"])
def test_a_merged_range_written_the_other_way_round_reads_as_its_corners(
    tmp_path: Path, written: str
) -> None:
    # A merge over applications written with its bottom-right corner first (as a program may;
    # Excel reads the area between the corners) came from calamine as written: over columns
    # C to B it was a block of no columns, and reading it ended in an IndexError.
    def workbook(merge: str) -> Path:
        path = tmp_path / f"{merge.replace(':', '-')}.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in (HEADER, *ROWS):
            sheet.append(list(row))
        sheet.merge_cells("B2:C3")
        book.save(path)
        with zipfile.ZipFile(path) as archive:
            parts = {info.filename: archive.read(info) for info in archive.infolist()}
        parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
            b'ref="B2:C3"', f'ref="{merge}"'.encode()
        )
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return path

    expected = validate(read_table(workbook("B2:C3")), register="2024")
    got = validate(read_table(workbook(written)), register="2024")
    assert [issue.code for issue in got.issues] == [issue.code for issue in expected.issues]
    assert "read.merged_down_across" in [issue.code for issue in got.issues]
    assert [a.applicant for a in got.applications] == ["Moss kommune", "Moss kommune"]
