"""CSV export: read back with the csv module; BOM and semicolons for Excel; no formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilskudd.errors import UsageError
from tilskudd.export import format_for, write
from tilskudd.export.csv import FORMULA_STARTS, neutralise
from tilskudd.models import RoundResult


def _read(path: Path, *, delimiter: str, encoding: str) -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_excel_dialect_is_semicolons_utf8_with_bom(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "tildeling.csv"
    assert write(small_round(), path, lang="nb") == "csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    rows = _read(path, delimiter=";", encoding="utf-8-sig")
    assert [r["Søknadsnr."] for r in rows] == [f"S-00{i}" for i in range(1, 8)]
    first = rows[0]
    assert first["Søker"] == "Halden kommune"
    assert first["Tildelt"] == "3300000"
    assert first["Status"] == "innvilget"
    assert first["Rangering"] == "1="
    assert first["Poeng"] == "9,5"  # decimal comma for Norwegian Excel
    assert first["Kommuner"] == "Halden (0101), Moss (0104), Sarpsborg (0105)"
    assert first["Saksbehandler"] == "Kari Nordmann"


def test_plain_dialect_is_commas_without_bom(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "out.csv"
    write(small_round(), path, lang="en", csv_dialect="plain")
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = _read(path, delimiter=",", encoding="utf-8")
    by_id = {r["ID"]: r for r in rows}
    assert by_id["S-001"]["Score"] == "9.5"
    assert by_id["S-005"]["Merknad"] == "12.5"
    assert by_id["S-006"]["Merknad"] == "42"
    assert by_id["S-003"]["Status"] == "partly funded"
    assert by_id["S-003"]["Awarded"] == "1000000"
    assert by_id["S-003"]["Requested"] == "1500000"


def test_every_application_once_and_awards_sum_to_awarded(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    result = small_round()
    path = tmp_path / "out.csv"
    write(result, path, csv_dialect="plain")
    rows = _read(path, delimiter=",", encoding="utf-8")
    assert len(rows) == len(result.allocation.decisions)
    assert sum(int(r["Awarded"]) for r in rows) == result.allocation.awarded
    statuses = {r["ID"]: r["Status"] for r in rows}
    assert statuses == {
        "S-001": "funded",
        "S-002": "funded",
        "S-003": "partly funded",
        "S-004": "funded",
        "S-005": "reserve",
        "S-006": "not funded",
        "S-007": "rejected",
    }
    rejected = next(r for r in rows if r["ID"] == "S-007")
    assert rejected["Problem"].startswith("Søknader!C9")
    assert rejected["Row"] == "9"


def test_formula_starters_get_an_apostrophe(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "out.csv"
    write(small_round(), path)
    rows = _read(path, delimiter=";", encoding="utf-8-sig")
    by_id = {r["ID"]: r for r in rows}
    assert by_id["S-001"]["Merknad"] == '\'=HYPERLINK("http://x")'
    assert by_id["S-003"]["Project"].startswith("'+47 ")
    assert by_id["S-003"]["Merknad"] == "'@SUM(A1:A2)"
    assert by_id["S-004"]["Project"] == "'-Minus: Åpne data | felles API"
    assert by_id["S-004"]["Merknad"] == "'\tTab først"
    assert by_id["S-007"]["Applicant"] == "'=cmd|' /C calc'!A0"
    # Nothing a spreadsheet would run is left in any cell.
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_STARTS), value


@given(st.text())
def test_neutralise_never_leaves_a_formula_start(text: str) -> None:
    out = neutralise(text)
    assert not out.startswith(FORMULA_STARTS)
    assert out in (text, "'" + text)


def test_unknown_dialect_is_a_usage_error(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    with pytest.raises(UsageError, match="excel or plain") as caught:
        write(small_round(), tmp_path / "x.csv", csv_dialect="tsv")
    assert caught.value.text("nb") == "ukjent CSV-variant «tsv»; velg excel eller plain"
    assert not (tmp_path / "x.csv").exists()


def test_text_with_separators_and_newlines_round_trips(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    result = small_round()
    apps = list(result.applications)
    apps[1] = apps[1].model_copy(update={"project": 'Linje 1\nLinje 2; "sitat", komma'})
    path = tmp_path / "out.csv"
    write(result.model_copy(update={"applications": tuple(apps)}), path)
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[2][4] == 'Linje 1\nLinje 2; "sitat", komma'


def test_an_output_name_without_an_extension_is_named_and_the_formats_are_alternatives() -> None:
    """`-o .` names "." (its name is empty), and the extensions are one or another."""
    with pytest.raises(UsageError) as caught:
        format_for(Path("."))
    assert str(caught.value).startswith("cannot tell the output format of '.' from its extension")
    assert ", .pdf or .xlsx, or --format" in str(caught.value)
    assert ", .pdf eller .xlsx, eller --format" in caught.value.text("nb")


def test_a_format_that_contradicts_the_extension_is_refused() -> None:
    """-o tildeling.xlsx --format csv wrote CSV text into a file named .xlsx, which Excel then
    refuses to open (and tilskudd, reading it back, warns about). --format is for a name whose
    extension does not say the format; one that says another is refused, before the run."""
    with pytest.raises(UsageError) as caught:
        format_for(Path("tildeling.xlsx"), "csv")
    assert str(caught.value) == (
        "tildeling.xlsx ends in .xlsx, the extension of xlsx files, but --format says csv; "
        "give -o a name that ends in .csv, or leave out --format"
    )
    assert caught.value.text("nb") == (
        "tildeling.xlsx slutter på .xlsx, som er filtypen for xlsx-filer, men --format sier csv; "
        "gi -o et navn som slutter på .csv, eller utelat --format"
    )
    with pytest.raises(UsageError, match="leave out --format"):
        format_for(Path("liste.HTM"), "md")
    # The same format, a name that says none, and 360Giving's own two extensions are fine.
    assert format_for(Path("tildeling.XLSX"), "xlsx") == "xlsx"
    assert format_for(Path("liste.htm"), "html") == "html"
    assert format_for(Path("tildeling"), "csv") == "csv"
    assert format_for(Path("tilskudd.ledger.sqlite"), "csv") == "csv"
    assert format_for(Path("grants.xlsx"), "360giving") == "360giving"
    assert format_for(Path("grants.csv"), "360giving") == "360giving"


def test_columns_come_in_the_award_workbooks_order(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """An officer opens the CSV beside the workbook: the amount applied for came after the
    total cost in the CSV only, so the two columns read each other's figures."""
    path = tmp_path / "tildeling.csv"
    write(small_round(), path, lang="nb")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle, delimiter=";"))
    assert header.index("Omsøkt") + 1 == header.index("Totalkostnad")
    assert header.index("Totalkostnad") + 1 == header.index("Poeng")
    rows = _read(path, delimiter=";", encoding="utf-8-sig")
    by_id = {r["Søknadsnr."]: r for r in rows}
    assert by_id["S-003"]["Omsøkt"] == "1500000"


def test_numbers_a_csv_file_carried_as_text_get_norwegian_excels_decimal_comma(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """The Research Council's file gives man-years as 2.99 and grants as 6978124.0: the CSV
    for Norwegian Excel wrote them as typed, and Excel read 2.99 as a date (February 1999).
    A column whose every cell is a number is written as the numbers, with a decimal comma, as
    the award workbook writes it as numbers; codes and text stay as typed, and the plain
    dialect, for scripts, keeps what was typed."""
    result = small_round()
    typed = {
        "Årsverk": ["2.99", "0.0", "10.48", None, "1,5", "0.16"],
        "Tildelt før": ["6978124.0", "27336753.52", "0", "0", "0", "0"],
        "Kode": ["0150", "2.99", "0301", "1", "1", "1"],  # led by 0: codes
        "Merknad": ["2.99", "se notat", "1", "1", "1", "1"],  # text in it: as typed
    }
    assert len(result.applications) == 6
    apps = tuple(
        app.model_copy(update={"extra": {name: cells[i] for name, cells in typed.items()}})
        for i, app in enumerate(result.applications)
    )
    result = result.model_copy(update={"applications": apps, "extra_columns": tuple(typed)})
    ids = [app.id for app in apps]
    path = tmp_path / "tildeling.csv"
    write(result, path, lang="nb")
    by_id = {r["Søknadsnr."]: r for r in _read(path, delimiter=";", encoding="utf-8-sig")}
    got = {name: [by_id[i][name] for i in ids] for name in typed}
    assert got["Årsverk"] == ["2,99", "0", "10,48", "", "1,5", "0,16"]
    assert got["Tildelt før"] == ["6978124", "27336753,52", "0", "0", "0", "0"]
    assert got["Kode"] == typed["Kode"]
    assert got["Merknad"] == typed["Merknad"]
    plain = tmp_path / "plain.csv"
    write(result, plain, lang="en", csv_dialect="plain")
    by_id = {r["ID"]: r for r in _read(plain, delimiter=",", encoding="utf-8")}
    assert [by_id[i]["Årsverk"] for i in ids] == [x or "" for x in typed["Årsverk"]]
