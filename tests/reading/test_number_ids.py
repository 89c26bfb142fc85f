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
