"""Ids typed as numbers: a whole number is its digits in every format (``1.0`` is ``1``); a
number with decimals, or one of more digits than a spreadsheet keeps, is no id but an error on
its cell. A CSV file's ids are text, read as typed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlwt  # type: ignore[import-untyped]

import tilskudd
from tilskudd.issues import describe_issue

_HEADER = ["Søknadsnr", "Søker", "Omsøkt beløp"]
_IDS: list[Any] = [1.0, 1.5, 12345678901234567890, 1234567890123456, 999999999999999, 2]


def _rows() -> list[list[Any]]:
    return [_HEADER, *([value, f"Lag {i}", 100_000] for i, value in enumerate(_IDS))]


def _xls(path: Path) -> Path:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Søknader")
    for r, row in enumerate(_rows()):
        for c, value in enumerate(row):
            sheet.write(r, c, float(value) if c == 0 and r > 0 else value)
    book.save(str(path))
    return path


@pytest.fixture(params=["xlsx", "ods", "xls"])
def number_ids(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    make_xlsx: Callable[..., Path],
    make_ods: Callable[..., Path],
) -> Path:
    """The ids of :data:`_IDS` as number cells, in each spreadsheet format."""
    if request.param == "xlsx":
        return make_xlsx(_rows())
    if request.param == "ods":
        return make_ods({"Søknader": _rows()})
    return _xls(tmp_path / "søknader.xls")


def test_whole_numbers_are_ids_and_other_numbers_are_errors_on_their_cell(
    number_ids: Path,
) -> None:
    checked = tilskudd.read_applications(number_ids)
    assert [app.id for app in checked.applications] == ["1", "999999999999999", "2"]
    problems = [
        (issue.location.cell if issue.location else None, issue.code, issue.params.get("digits"))
        for issue in checked.issues
        if issue.field == "id"
    ]
    assert problems == [
        ("Søknader!A3", "validate.id_not_whole", None),
        ("Søknader!A4", "validate.id_too_long", 20),
        ("Søknader!A5", "validate.id_too_long", 16),
    ]
    assert all(issue.severity.value == "error" for issue in checked.issues if issue.field == "id")
    # Rejected under ids made from their rows, never under the number as read.
    assert [bad.id for bad in checked.rejected] == ["R3", "R4", "R5"]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_messages_say_what_is_wrong_in_both_languages(
    lang: str, make_xlsx: Callable[..., Path]
) -> None:
    checked = tilskudd.read_applications(make_xlsx(_rows()))
    texts = [describe_issue(i, lang) for i in checked.issues if i.field == "id"]
    decimals, digits = {
        "nb": ("«1,5» er et tall med desimaler", "er et tall med 20 sifre"),
        "en": ("'1.5' is a number with decimals", "is a number of 20 digits"),
    }[lang]
    assert "Søknader!A3" in texts[0]
    assert decimals in texts[0]
    assert "Søknader!A4" in texts[1]
    assert digits in texts[1]


def test_a_csv_file_keeps_its_ids_as_typed(make_csv: Callable[..., Path]) -> None:
    path = make_csv([_HEADER, ["1.0", "Lag 1", 1], ["1.5", "Lag 2", 1], [str(_IDS[2]), "Lag 3", 1]])
    checked = tilskudd.read_applications(path)
    assert [app.id for app in checked.applications] == ["1.0", "1.5", "12345678901234567890"]


@pytest.mark.parametrize(
    ("delimiter", "written", "ids"),
    [
        # A number column formatted as Number (two decimals) with Norwegian settings.
        (";", ["1,00", "2,00", "1\u00a0234,00"], ["1", "2", "1234"]),
        (",", ["1.0", "2.0", "17.0"], ["1", "2", "17"]),
        # Grouped thousands alone, as Number without decimals writes them.
        (";", ["1\u00a0234", "12\u00a0345", "7"], ["1234", "12345", "7"]),
    ],
)
def test_a_csv_column_of_whole_numbers_written_with_decimals_reads_as_the_numbers(
    make_csv: Callable[..., Path], delimiter: str, written: list[str], ids: list[str]
) -> None:
    """As the workbook it was saved from reads (a number cell 1 is the id 1): a later round run
    from the CSV file finds the same applications."""
    rows = [_HEADER, *([w, f"Lag {i}", 100_000] for i, w in enumerate(written))]
    checked = tilskudd.read_applications(make_csv(rows, delimiter=delimiter))
    assert [app.id for app in checked.applications] == ids
    assert checked.issues == ()


@pytest.mark.parametrize(
    "written",
    [
        ["1,00", "1,50"],  # one is no whole number: text ids, as typed
        ["1.000", "2.000"],  # a thousand, or one? read as typed
        ["1.0", "1.1", "1.2"],  # numbered sections
        ["1,00", "S-2"],
        ["001,00", "002,00"],  # no number Excel writes
        ["1", "2"],  # nothing written with decimals: the digits, as typed
    ],
)
def test_a_csv_column_of_other_ids_keeps_them_as_typed(
    make_csv: Callable[..., Path], written: list[str]
) -> None:
    rows = [_HEADER, *([w, f"Lag {i}", 100_000] for i, w in enumerate(written))]
    checked = tilskudd.read_applications(make_csv(rows, delimiter=";"))
    assert [app.id for app in checked.applications] == written


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            "'1,23457E+11' is how Excel writes a number of 12 digits or more in a CSV file: the"
            " id's digits are lost, and other ids may read the same. In the workbook, format the"
            " id column as a number without decimals (or as text, and type the ids again), and"
            " save the CSV file again",
        ),
        (
            "nb",
            "«1,23457E+11» er slik Excel skriver et tall med 12 sifre eller flere i en CSV-fil:"
            " sifrene i søknadsnummeret er borte, og andre søknadsnumre kan bli lest likt."
            " Formater kolonnen for søknadsnummer i arbeidsboken som tall uten desimaler (eller"
            " som tekst, og skriv numrene inn på nytt), og lagre CSV-filen på nytt",
        ),
    ],
)
def test_an_id_excel_wrote_in_scientific_notation_is_an_error_on_its_cell(
    make_csv: Callable[..., Path], lang: str, said: str
) -> None:
    """Excel's General format shows a number of 12 digits or more so, and its CSV file keeps
    what it shows: 123456789012 and 123456789013 both read as one id, which matched nothing in
    the workbook's round (123456789012), and the two were a repeated id."""
    rows = [
        _HEADER,
        ["1,23457E+11", "Lag 1", 100_000],
        ["1,23457E+11", "Lag 2", 100_000],
        ["1.2E+14", "Lag 3", 100_000],
        ["123456789014", "Lag 4", 100_000],
    ]
    checked = tilskudd.read_applications(make_csv(rows, delimiter=";"))
    assert [app.id for app in checked.applications] == ["123456789014"]
    problems = [(i.location.cell if i.location else None, i.code) for i in checked.issues]
    assert problems == [
        ("A2", "validate.id_scientific"),
        ("A3", "validate.id_scientific"),
        ("A4", "validate.id_scientific"),
    ]
    assert said in describe_issue(checked.issues[0], lang)
    assert [bad.id for bad in checked.rejected] == ["R2", "R3", "R4"]
