"""Error cells and hidden rows in binary workbooks (.xlsb): found in the sheet's BIFF12 records
beside calamine's read. The files are built byte by byte (:mod:`.xlsb_files`)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from tilskudd.issues import describe_issue
from tilskudd.reading import read_table, xlsb
from tilskudd.reading.table import UNREAD_FORMULA, FormulaWithoutValue
from tilskudd.reading.xlsb import xlsb_scan
from tilskudd.validation import validate

from .xlsb_files import ERROR_CODES, Cell, Error, FormulaError, FormulaNumber, xlsb_bytes

HEADER: list[Cell] = ["Søknadsnr", "Søker", "Omsøkt beløp", "Totalkostnad", "Poeng"]
ROWS: list[list[Cell]] = [
    ["S-1", "Moss kommune", 100_000, 500_000, 5],
    ["S-2", "Rygge kommune", 200_000, 1_000_000, 4],
    ["S-3", "Råde kommune", 300_000, 900_000, 3],
]


def _write(tmp_path: Path, data: bytes, name: str = "søknader.xlsb") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _with(changes: dict[tuple[int, int], Cell]) -> list[list[Cell]]:
    """HEADER and ROWS with the cells at (0-based row, column) replaced."""
    rows: list[list[Cell]] = [list(HEADER), *(list(r) for r in ROWS)]
    for (r, c), value in changes.items():
        rows[r][c] = value
    return rows


def _calamine(path: Path, sheet: str = "Søknader") -> list[list[Any]]:
    book = CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    finally:
        book.close()


@pytest.mark.parametrize("inline_strings", [False, True])
def test_the_built_files_read_in_calamine_as_excels_do(
    tmp_path: Path, inline_strings: bool
) -> None:
    """What the scan is for: calamine reads both kinds of error cell as empty, and a hidden row
    like any other."""
    rows = _with({(1, 3): Error("#N/A"), (2, 3): FormulaError("#DIV/0!")})
    rows[3][2] = FormulaNumber(300_000.0)
    data = xlsb_bytes({"Søknader": rows}, hidden={"Søknader": {3}}, inline_strings=inline_strings)
    path = _write(tmp_path, data)
    found: set[int] = set()
    assert xlsb_scan(path, "Søknader", found) == {
        (1, 3): ("", "#N/A"),
        (2, 3): (UNREAD_FORMULA, "#DIV/0!"),
    }
    assert found == {3}
    assert _calamine(path) == [
        HEADER,
        ["S-1", "Moss kommune", 100_000.0, "", 5.0],
        ["S-2", "Rygge kommune", 200_000.0, "", 4.0],
        ["S-3", "Råde kommune", 300_000.0, 900_000.0, 3.0],
    ]


def test_an_error_typed_in_and_a_failed_formula_are_found(tmp_path: Path) -> None:
    rows = _with({(1, 3): Error("#N/A"), (2, 4): FormulaError("#DIV/0!")})
    path = _write(tmp_path, xlsb_bytes({"Kost": [["oppslag", Error("#REF!")]], "Søknader": rows}))
    assert xlsb_scan(path, "Søknader") == {
        (1, 3): ("", "#N/A"),
        (2, 4): (UNREAD_FORMULA, "#DIV/0!"),
    }
    assert xlsb_scan(path, "Kost") == {(0, 1): ("", "#REF!")}
    assert xlsb_scan(path, "Ingen slik") == {}
    table = read_table(path, sheet="Søknader")
    (_, first), (_, second), _ = table.rows
    assert isinstance(first[3], FormulaWithoutValue)
    assert first[3].error == "#N/A"
    assert isinstance(second[4], FormulaWithoutValue)
    assert second[4].error == "#DIV/0!"


@pytest.mark.parametrize("error", list(ERROR_CODES))
def test_every_error_is_named_as_excel_shows_it(tmp_path: Path, error: str) -> None:
    path = _write(tmp_path, xlsb_bytes({"Søknader": _with({(2, 3): FormulaError(error)})}))
    assert xlsb_scan(path, "Søknader") == {(2, 3): (UNREAD_FORMULA, error)}


@pytest.mark.parametrize(("lang", "shown"), [("en", "#N/A"), ("nb", "#N/A")])
def test_an_error_in_the_total_cost_is_an_error_not_an_unknown_cost(
    tmp_path: Path, lang: str, shown: str
) -> None:
    """Read as empty, the share-of-cost cap would not be applied to S-1."""
    path = _write(tmp_path, xlsb_bytes({"Søknader": _with({(1, 3): Error("#N/A")})}))
    table = read_table(path, display_name="søknader.xlsb", lang=lang)
    assert table.issues == []  # no warning that errors cannot be seen: they are
    checked = validate(table)
    (issue,) = [i for i in checked.issues if i.code.startswith("validate.cell_error")]
    assert issue.location is not None
    assert issue.location.cell == "Søknader!D2"
    assert shown in describe_issue(issue, lang)
    assert [a.id for a in checked.applications] == ["S-2", "S-3"]


def test_hidden_rows_are_found_and_warned_of(tmp_path: Path) -> None:
    data = xlsb_bytes({"Søknader": _with({})}, hidden={"Søknader": {3, 4}})
    path = _write(tmp_path, data)
    found: set[int] = set()
    assert xlsb_scan(path, "Søknader", found) == {}
    assert found == {3, 4}
    (issue,) = read_table(path, display_name="søknader.xlsb").issues
    assert issue.code == "read.hidden_rows"
    assert dict(issue.params) == {"count": 2, "rows": ["3–4"], "more": 0}
    assert issue.location is not None
    assert (issue.location.sheet, issue.location.row) == ("Søknader", 3)
    assert "(2): 3–4" in describe_issue(issue)


@pytest.mark.parametrize("inline_strings", [False, True])
def test_far_cells_long_records_and_a_part_of_any_name(
    tmp_path: Path, inline_strings: bool
) -> None:
    """Rows and columns past 127 and records whose size takes two and three bytes (a long
    text) are walked right; the sheet's part is found through the workbook's relationships."""
    rows: list[list[Cell]] = [list(HEADER), *(list(r) for r in ROWS)]
    rows[1][1] = "Moss " * 40  # 400 bytes: a two-byte size
    rows[2][1] = "Rygge " * 2000  # 24 000 bytes: a three-byte size
    rows += [[None] * 5 for _ in range(300)]
    rows[250] = ["S-250", "Våler", 1000, None, None, *([None] * 30), Error("#VALUE!")]
    data = xlsb_bytes(
        {"Søknader": rows},
        hidden={"Søknader": {200}},
        parts={"Søknader": "xl/worksheets/data/søknader.bin"},
        inline_strings=inline_strings,
    )
    path = _write(tmp_path, data)
    with zipfile.ZipFile(path) as archive:
        assert "xl/worksheets/sheet1.bin" not in archive.namelist()
    found: set[int] = set()
    assert xlsb_scan(path, "Søknader", found) == {(250, 35): ("", "#VALUE!")}
    assert found == {200}
    table = read_table(path)
    assert table.rows[-1][0] == 251
    cell = table.rows[-1][1][35]
    assert isinstance(cell, FormulaWithoutValue)
    assert cell.error == "#VALUE!"


def test_asked_for_errors_alone_a_sheet_without_one_is_not_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hidden rows are only known by walking; error cells alone are searched for first."""
    rows = _with({(3, 2): FormulaNumber(300_000.0)})
    path = _write(tmp_path, xlsb_bytes({"Søknader": rows, "Kost": [[Error("#N/A")]]}))
    walks: list[bool] = []
    walk = xlsb._walk

    def spy(
        data: bytes, hidden: set[int] | None, merges: list[xlsb.Merge] | None, percent: Any
    ) -> object:
        walks.append(hidden is not None)
        return walk(data, hidden, merges, percent)

    monkeypatch.setattr(xlsb, "_walk", spy)
    assert xlsb_scan(path, "Søknader") == {}
    assert walks == []
    assert xlsb_scan(path, "Kost") == {(0, 0): ("", "#N/A")}
    assert walks == [False]
    assert xlsb_scan(path, "Søknader", set()) == {}
    assert walks == [False, True]


def test_a_chance_match_in_other_data_is_walked_and_found_to_be_nothing(tmp_path: Path) -> None:
    # A text whose UTF-16 bytes look like a BrtCellError record: 03 09, column 1, style, #N/A.
    lookalike = "\u0903\u0001\u0000\u0000\u0000\u002a"
    data = xlsb_bytes({"Søknader": _with({(1, 1): lookalike})}, inline_strings=True)
    path = _write(tmp_path, data)
    with zipfile.ZipFile(path) as archive:
        part = archive.read("xl/worksheets/sheet1.bin")
    assert xlsb._ERROR.search(part) is not None
    assert xlsb_scan(path, "Søknader") == {}


def test_a_damaged_sheet_part_gives_nothing_to_the_scan(tmp_path: Path) -> None:
    good = xlsb_bytes({"Søknader": _with({(1, 3): Error("#N/A")})})
    with zipfile.ZipFile(_write(tmp_path, good)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    # Cut off in the middle of the error cell's record.
    sheet = members["xl/worksheets/sheet1.bin"]
    members["xl/worksheets/sheet1.bin"] = sheet[: sheet.find(b"\x03\x09") + 6]
    path = tmp_path / "skadet.xlsb"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert xlsb_scan(path, "Søknader", set()) == {}


def test_an_xlsb_written_by_another_program_is_read_without_a_warning() -> None:
    """soknader.xlsb (pyxlsbwriter, see files/README.md) has neither errors nor hidden rows."""
    path = Path(__file__).parent / "files" / "soknader.xlsb"
    found: set[int] = set()
    assert xlsb_scan(path, "Søknader", found) == {}
    assert found == set()
    table = read_table(path)
    assert table.issues == []
    assert [cells[:3] for _, cells in table.rows] == [
        ["S-1", "Moss kommune", 100000.0],
        ["S-2", "Rygge kommune", 200000.0],
    ]


def test_merged_cells_are_found_and_warned_of_as_in_xlsx(tmp_path: Path) -> None:
    """calamine gives no merged ranges for an .xlsb: a merged cell over applications went
    without the warning an .xlsx gets."""
    rows = _with({(2, 1): None})  # B3 under the merged B2:B3
    data = xlsb_bytes({"Søknader": rows}, merges={"Søknader": ["B2:B3", "A1:A1"]})
    path = _write(tmp_path, data)
    book = CalamineWorkbook.from_path(str(path))
    try:
        assert not book.get_sheet_by_name("Søknader").merged_cell_ranges
    finally:
        book.close()
    merges: list[xlsb.Merge] = []
    assert xlsb_scan(path, "Søknader", set(), merges) == {}
    assert merges == [((1, 1), (2, 1)), ((0, 0), (0, 0))]
    (issue,) = read_table(path, display_name="søknader.xlsb").issues
    assert describe_issue(issue).startswith(
        "søknader.xlsb, Søknader!B2: B2:B3 is a merged cell down over rows of applications: "
        "tilskudd reads the value on every row of the merge"
    )


_CELLS = st.one_of(
    st.none(),
    st.text(max_size=70),  # a long text makes a record size of two bytes
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False),
    st.booleans(),
    st.sampled_from(list(ERROR_CODES)).map(Error),
    st.sampled_from(list(ERROR_CODES)).map(FormulaError),
    st.floats(allow_nan=False).map(FormulaNumber),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_CELLS, max_size=6), max_size=25),
    hidden=st.sets(st.integers(1, 30), max_size=6),
    inline_strings=st.booleans(),
)
def test_the_scan_finds_exactly_the_error_cells_and_hidden_rows_written(
    tmp_path: Path, rows: list[list[Cell]], hidden: set[int], inline_strings: bool
) -> None:
    """Whatever the cells around them (text whose bytes look like records, numbers, formulas),
    every error cell and hidden row is found, and nothing else."""
    data = xlsb_bytes(
        {"Søknader": rows}, hidden={"Søknader": hidden}, inline_strings=inline_strings
    )
    path = _write(tmp_path, data)
    expected = {
        (r, c): (UNREAD_FORMULA if isinstance(cell, FormulaError) else "", cell.error)
        for r, cells in enumerate(rows)
        for c, cell in enumerate(cells)
        if isinstance(cell, Error | FormulaError)
    }
    found: set[int] = set()
    assert xlsb_scan(path, "Søknader", found) == expected
    assert found == hidden
    assert xlsb_scan(path, "Søknader") == expected  # the search first, then the walk
