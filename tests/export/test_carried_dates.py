"""Carried columns of dates come to the award workbook as dates, from a CSV file (``2009-03-15``,
``15.03.2009``) as from a spreadsheet's date cells, where the whole column is dates in one
format; any other column is kept as typed."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import tilskudd
from tilskudd.export.xlsx import carried_columns, typed_date

_COLUMNS = {"id": "id", "søker": "applicant", "beløp": "requested"}


def _award_cells(source: Path, out: Path) -> dict[str, list[tuple[Any, str]]]:
    """Each carried column of the awards sheet by its header, as (value, number format) in the
    application's file order."""
    checked = tilskudd.read_applications(source, columns=_COLUMNS)
    result = tilskudd.run_round(checked, 600_000, tilskudd.Policy(rule="proportional"))
    tilskudd.write(result, out)
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    by_row = sorted(rows[1:], key=lambda r: r[header.index("Row")].value)
    return {
        str(h): [(r[i].value, r[i].number_format) for r in by_row]
        for i, h in enumerate(header)
        if h not in ("Row",)
    }


def test_a_csv_column_of_dates_is_written_as_dates(tmp_path: Path) -> None:
    source = tmp_path / "søknader.csv"
    source.write_text(
        "id;søker;beløp;Start;Frist;Blandet;Merknad;Umulig;Kort\n"
        "A1;Lag 1;100000;2009-03-15;15.03.2009;2009-03-15;2009-03-15;30.02.2009;15.03.09\n"
        "A2;Lag 2;200000;;1.4.2010;15.03.2009;ok;01.03.2009;16.03.09\n"
        "A3;Lag 3;300000;2010-12-31;31.12.2010;;;02.03.2009;17.03.09\n",
        encoding="utf-8",
    )
    columns = _award_cells(source, tmp_path / "tildeling.xlsx")
    assert columns["Start"] == [
        (datetime(2009, 3, 15), "yyyy-mm-dd"),
        (None, "General"),
        (datetime(2010, 12, 31), "yyyy-mm-dd"),
    ]
    assert [value for value, _ in columns["Frist"]] == [
        datetime(2009, 3, 15),
        datetime(2010, 4, 1),
        datetime(2010, 12, 31),
    ]
    assert {form for _, form in columns["Frist"]} == {"yyyy-mm-dd"}
    # Two formats in one column, other text, a day that never was, a year of two digits:
    # kept as typed.
    assert [value for value, _ in columns["Blandet"]] == ["2009-03-15", "15.03.2009", None]
    assert [value for value, _ in columns["Merknad"]] == ["2009-03-15", "ok", None]
    assert [value for value, _ in columns["Umulig"]] == ["30.02.2009", "01.03.2009", "02.03.2009"]
    assert [value for value, _ in columns["Kort"]] == ["15.03.09", "16.03.09", "17.03.09"]


def test_dates_come_the_same_from_a_csv_file_and_a_spreadsheet(tmp_path: Path) -> None:
    header = ["id", "søker", "beløp", "Start", "Levert"]
    rows: list[list[Any]] = [
        ["A1", "Lag 1", 100000, date(2009, 3, 15), datetime(2009, 3, 1, 12, 30)],
        ["A2", "Lag 2", 200000, date(2010, 1, 4), datetime(2009, 3, 2, 8, 5, 9)],
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet["D2"].number_format = sheet["D3"].number_format = "dd.mm.yyyy"
    xlsx_file = tmp_path / "søknader.xlsx"
    book.save(xlsx_file)
    csv_file = tmp_path / "søknader.csv"
    csv_file.write_text(
        "id;søker;beløp;Start;Levert\n"
        "A1;Lag 1;100000;15.03.2009;2009-03-01 12:30:00\n"
        "A2;Lag 2;200000;04.01.2010;2009-03-02 08:05:09\n",
        encoding="utf-8",
    )
    expected = {
        "Start": [(datetime(2009, 3, 15), "yyyy-mm-dd"), (datetime(2010, 1, 4), "yyyy-mm-dd")],
        "Levert": [
            (datetime(2009, 3, 1, 12, 30), "yyyy-mm-dd hh:mm:ss"),
            (datetime(2009, 3, 2, 8, 5, 9), "yyyy-mm-dd hh:mm:ss"),
        ],
    }
    for source in (xlsx_file, csv_file):
        columns = _award_cells(source, tmp_path / f"fra_{source.suffix[1:]}.xlsx")
        assert {name: columns[name] for name in expected} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2009-03-15", ("iso", date(2009, 3, 15))),
        ("2009-03-15 12:30:00", ("iso", datetime(2009, 3, 15, 12, 30))),
        ("2009-03-15 12:30:00.250000", ("iso", datetime(2009, 3, 15, 12, 30, 0, 250000))),
        ("15.03.2009", ("nb", date(2009, 3, 15))),
        ("5.3.2009", ("nb", date(2009, 3, 5))),
        ("01.03.1900", ("nb", date(1900, 3, 1))),
        ("31.12.9999", ("nb", date(9999, 12, 31))),
    ],
)
def test_a_typed_date_reads_with_its_format(text: str, expected: tuple[str, date]) -> None:
    got = typed_date(text)
    assert got == expected
    assert got is not None
    assert type(got[1]) is type(expected[1])


@pytest.mark.parametrize(
    "text",
    [
        "30.02.2009",  # never was
        "2009-02-29",
        "2009-03-15 25:00:00",
        "28.02.1900",  # Excel's 1900 date system counts a 29 February that never was
        "1899-12-31",
        "15.03.09",  # which century?
        "2009-3-15",
        "20090315",
        "2009-03-15T12:30:00",  # not as a spreadsheet's date cell is carried
        "15/03/2009",
        " 15.03.2009",
        "15.03.2009 12:30",
        "2009",
        "",
    ],
)
def test_other_text_is_not_a_typed_date(text: str) -> None:
    assert typed_date(text) is None


def test_date_columns_need_every_cell_a_date_in_one_format() -> None:
    rows = [
        {"a": "2009-03-15", "b": "15.03.2009", "c": "2009-03-15", "d": "2009-03-15", "e": "1"},
        {"a": None, "b": "16.03.2009", "c": "16.03.2009", "d": 5, "e": "2009-03-15"},
        {"a": "2009-03-16 08:00:00", "b": "15.03.2009", "c": None, "d": None, "e": None},
    ]
    carried = carried_columns(rows, ("a", "b", "c", "d", "e", "Dato"))
    assert carried.dates == {
        "a": {"2009-03-15": date(2009, 3, 15), "2009-03-16 08:00:00": datetime(2009, 3, 16, 8)},
        "b": {"15.03.2009": date(2009, 3, 15), "16.03.2009": date(2009, 3, 16)},
    }
    # Neither numbers (a date is not one, nor a number a date) nor codes.
    assert carried.numbers == {}
    assert carried.codes == frozenset()


def test_a_column_named_a_code_keeps_its_dates_as_typed() -> None:
    carried = carried_columns([{"Referanse": "2009-03-15"}], ("Referanse",))
    assert carried.dates == {}
    assert carried.codes == {"Referanse"}
