"""A workbook's sheet names, listed without reading its sheets, for ``--sheet`` to be checked
with a command's other problems: the same names, and the same refusal, as the reader's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import xlwt  # type: ignore[import-untyped]

from tilskudd.errors import InputFileError
from tilskudd.reading import read_table
from tilskudd.reading.sheetlist import check_sheet, sheet_names

from .conftest import HEADER, ROWS
from .xlsb_files import xlsb_bytes


def _xls(path: Path) -> Path:
    book = xlwt.Workbook()
    book.add_sheet("Kost").write(0, 0, "oppslag")
    sheet = book.add_sheet("Søknader")
    for r, row in enumerate([HEADER, *ROWS]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))
    return path


@pytest.fixture(params=["xlsx", "xlsm", "xlsb", "xls", "ods", "xlsx named .xls"])
def workbook(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    make_xlsx: Callable[..., Path],
    make_ods: Callable[..., Path],
) -> Path:
    """A workbook with the sheets "Kost" and "Søknader", in each format tilskudd reads."""
    kind: str = request.param
    sheets = {"Kost": [["oppslag"]], "Søknader": [HEADER, *ROWS]}
    if kind in ("xlsx", "xlsm"):
        return make_xlsx(name=f"søknader.{kind}", sheets=sheets)
    if kind == "xlsx named .xls":
        return make_xlsx(name="søknader.xls", sheets=sheets)
    if kind == "ods":
        return make_ods(sheets)
    if kind == "xls":
        return _xls(tmp_path / "søknader.xls")
    path = tmp_path / "søknader.xlsb"
    path.write_bytes(xlsb_bytes(sheets))
    return path


def test_the_names_are_the_sheets_in_order(workbook: Path) -> None:
    assert sheet_names(workbook) == ["Kost", "Søknader"]


@pytest.mark.parametrize("sheet", ["Nope", 3, "0"])
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_sheet_not_there_is_refused_as_the_reader_refuses_it(
    workbook: Path, sheet: str | int, lang: str
) -> None:
    with pytest.raises(InputFileError) as read:
        read_table(workbook, sheet=sheet, display_name="s", lang=lang)
    with pytest.raises(InputFileError) as checked:
        check_sheet(workbook, sheet, display_name="s", lang=lang)
    assert str(checked.value) == str(read.value)


@pytest.mark.parametrize("sheet", ["Søknader", "søknader ", 2])
def test_a_sheet_that_is_there_passes(workbook: Path, sheet: str | int) -> None:
    check_sheet(workbook, sheet, display_name="s", lang="en")


def test_nothing_is_said_of_what_has_no_sheets_or_cannot_be_listed(
    tmp_path: Path, make_csv: Callable[..., Path]
) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip at all")
    for path in (make_csv([HEADER, *ROWS]), tmp_path / "mangler.xlsx", broken):
        assert sheet_names(path) is None
        check_sheet(path, "Nope", display_name=str(path), lang="en")
