"""Columns carried through from a CSV file come to the award workbook as numbers where the
whole column is numbers, so that SUM works on them in Excel; codes stay text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import tilskudd
from tilskudd.export.xlsx import carried_columns, number_columns
from tilskudd.money import plain_number


def _award_columns(path: Path) -> dict[str, list[Any]]:
    """Each column of the awards sheet by its header, in the application's file order."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    by_row = sorted(rows[1:], key=lambda r: r[rows[0].index("Row")])
    return {str(h): [r[i] for r in by_row] for i, h in enumerate(rows[0])}


def test_a_csv_column_of_numbers_is_written_as_numbers(tmp_path: Path) -> None:
    source = tmp_path / "søknader.csv"
    source.write_text(
        "id;søker;beløp;tildelt;andel;postnr;kode;merknad;lapper\n"
        "A1;Lag 1;100000;6978124.0;1,5;0150;0301;ok;7\n"
        "A2;Lag 2;200000;6 978 124;0,25;5003;4601;;n/a\n"
        "A3;Lag 3;300000;;2;7010;5001;12;8\n",
        encoding="utf-8",
    )
    checked = tilskudd.read_applications(
        source, columns={"id": "id", "søker": "applicant", "beløp": "requested"}
    )
    result = tilskudd.run_round(checked, 600_000, tilskudd.Policy(rule="proportional"))
    out = tmp_path / "tildeling.xlsx"
    tilskudd.write(result, out)
    columns = _award_columns(out)
    assert columns["tildelt"] == [6978124, 6978124, None]
    assert columns["andel"] == [1.5, 0.25, 2]
    # Leading zeros are codes (a postcode, a municipality number): the column stays text.
    assert columns["postnr"] == ["0150", "5003", "7010"]
    assert columns["kode"] == ["0301", "4601", "5001"]
    # A column with text in it is kept as typed, its numbers too.
    assert columns["merknad"] == ["ok", None, "12"]
    assert columns["lapper"] == ["7", "n/a", "8"]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("6978124", 6978124),
        ("6978124.0", 6978124),
        ("6 978 124", 6978124),
        ("6\u00a0978\u00a0124", 6978124),
        ("1,5", Decimal("1.5")),
        ("0,25", Decimal("0.25")),
        ("0.0", 0),
        ("0", 0),
        ("-12", -12),
        ("−3,5", Decimal("-3.5")),
        # The edges: 11 whole digits are a number (12 are an identifier, below), and so are
        # 15 significant digits (more, and the spreadsheet would change the number).
        ("12345678901", 12345678901),
        ("12345678901,2345", Decimal("12345678901.2345")),
        ("1,23456789012345", Decimal("1.23456789012345")),
        ("0,123456789012345", Decimal("0.123456789012345")),  # the leading 0 is not counted
        # Three decimals after 0 cannot group thousands: the amount reader reads them.
        ("0,125", Decimal("0.125")),
        ("-0,125", Decimal("-0.125")),
    ],
)
def test_a_plain_number_reads_as_the_reader_reads_it(text: str, number: int | Decimal) -> None:
    got = plain_number(text)
    assert got == number
    assert type(got) is type(number)


@pytest.mark.parametrize(
    "text",
    [
        "0150",  # a postcode
        "00",  # a code
        "1,500",  # 1.5 or 1 500: the reader asks; a carried column keeps it as typed
        "1.500",
        "1253978370933",  # an identifier: Excel shows 12 digits or more as 1,25398E+12
        "125397837093",  # 12 digits: the least that is an identifier
        "12345678901,23456",  # 16 significant digits
        "1,234567890123456",
        "962 986 633 1",  # not grouped in threes
        "1e5",
        "+5",
        "12 %",
        "kr 300",
        "",
        " ",
        "3.",
    ],
)
def test_other_text_is_not_a_plain_number(text: str) -> None:
    assert plain_number(text) is None


def test_number_columns_need_every_cell_a_number() -> None:
    rows = [
        {"a": "1", "b": "1", "c": 5, "d": None, "e": True},
        {"a": "2,5", "b": "x", "c": "6", "d": None, "e": "1"},
        {"a": None, "b": "2", "c": Decimal("0.5"), "d": None},
    ]
    numbers = number_columns(rows, ("a", "b", "c", "d", "e"))
    assert numbers == {"a": {"1": 1, "2,5": Decimal("2.5")}, "c": {"6": 6}}


def _award_sheet_columns(source: Path, out: Path) -> dict[str, list[Any]]:
    checked = tilskudd.read_applications(
        source, columns={"id": "id", "søker": "applicant", "beløp": "requested"}
    )
    result = tilskudd.run_round(checked, 300_000, tilskudd.Policy(rule="proportional"))
    tilskudd.write(result, out)
    return _award_columns(out)


_CODES_HEADER = [
    "id",
    "søker",
    "beløp",
    "Kontonummer",
    "Saksnr.",
    "Telefon",
    "Kontakt",
    "Egenandel",
    "Samlet budsjett",
    "Antall",
]
_CODES_ROWS = [
    ["A1", "Lag 1", 100000, 15032212345, 2009001234, 22334455, 4791234567, 250000, 16500000, 12],
    ["A2", "Lag 2", 200000, 15032212346, 2009001235, 99887766, 4791234568, 300000, 17500000, 7],
]


def test_codes_stay_text_from_a_csv_file_and_a_spreadsheet_alike(tmp_path: Path) -> None:
    """Account, case and phone numbers are not quantities: text in the workbook, the same
    from a CSV file (all text) as from a spreadsheet holding them as numbers; amounts and
    counts are numbers either way."""
    csv_file = tmp_path / "søknader.csv"
    csv_file.write_text(
        "\n".join(";".join(map(str, row)) for row in [_CODES_HEADER, *_CODES_ROWS]) + "\n",
        encoding="utf-8",
    )
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [_CODES_HEADER, *_CODES_ROWS]:
        sheet.append(row)
    xlsx_file = tmp_path / "søknader.xlsx"
    book.save(xlsx_file)
    from_csv = _award_sheet_columns(csv_file, tmp_path / "fra_csv.xlsx")
    from_xlsx = _award_sheet_columns(xlsx_file, tmp_path / "fra_xlsx.xlsx")
    expected = {
        "Kontonummer": ["15032212345", "15032212346"],
        "Saksnr.": ["2009001234", "2009001235"],
        "Telefon": ["22334455", "99887766"],  # 8 digits: named a phone number by its header
        "Kontakt": ["4791234567", "4791234568"],  # 10 digits typed alone: a code
        "Egenandel": [250000, 300000],
        "Samlet budsjett": [16500000, 17500000],
        "Antall": [12, 7],
    }
    for columns in (from_csv, from_xlsx):
        assert {name: columns[name] for name in expected} == expected


@pytest.mark.parametrize(
    "header",
    [
        "Kontonummer",
        "Bankkonto",
        "Org. nr.",
        "Orgnr partner",
        "Saksnummer",
        "Arkivsaksnr.",
        "Telefon",
        "Tlf.",
        "Mobilnummer",
        "Postnummer",
        "Kommunekode",
        "ID",
        "Søker-ID",
        "Prosjektnummer",
        "Account number",
        "Phone",
        "Reference",
        "Charity Number",
    ],
)
def test_a_header_naming_an_identifier_keeps_its_column_text(header: str) -> None:
    rows = [{header: "15"}, {header: 16}]
    carried = carried_columns(rows, (header,))
    assert carried.codes == {header}
    assert carried.numbers == {}


@pytest.mark.parametrize(
    "header",
    [
        "Nr.",  # a running number, to sort by
        "Løpenummer",
        "Antall deltakere",
        "Number of beneficiaries",
        "Egenandel",
        "Kontor",
        "Arbeidstid",
        "Periode",
        "Idrett",
    ],
)
def test_other_headers_leave_a_column_of_numbers_numbers(header: str) -> None:
    carried = carried_columns([{header: "15"}, {header: 16}], (header,))
    assert carried.codes == frozenset()
    assert carried.numbers == {header: {"15": 15}}


def test_a_column_of_nine_to_eleven_digits_is_codes_unless_named_an_amount() -> None:
    rows = [
        {
            "a": "974760673",
            "b": 15032212345,
            "c": "2009001234",
            "d": "16500000",
            "e": "974 760 673",
            "Totalkostnad": "150000000",
            "f": "974760673",
        },
        {
            "a": None,
            "b": "15032212346",
            "c": "2009001234",
            "d": "250000000",
            "e": "123456789",
            "Totalkostnad": "250000000",
            "f": "12345678",
        },
    ]
    carried = carried_columns(rows, ("a", "b", "c", "d", "e", "Totalkostnad", "f"))
    assert carried.codes == {"a", "b", "c"}
    assert set(carried.numbers) == {"d", "e", "Totalkostnad", "f"}
