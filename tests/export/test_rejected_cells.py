"""A rejected application keeps, in every list, the cells that were valid as read; a cell with
an error is shown as it was typed, beside its problem. A published list of the rejected must
not lose what the applicant gave (the category of Uster's rows with fractions of a franc, the
municipality of the Research Council's application for 0 kr)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from tilskudd.export import write
from tilskudd.models import Policy, RoundResult
from tilskudd.pipeline import read_applications, run_round
from tilskudd.wording import column_header

HEADER = "ID;Søker;Prosjekt;Kommunenr;Fylke;Kategori;Søkt beløp;Totalkostnad;Poeng;Saksbehandler"
ROWS = [
    "S-1;Lag A;Gyldig;0301;;Kultur;100000;200000;5;Kari",
    # Only the amount is wrong: everything else was read and must be shown.
    "S-2;Lag B;For mange desimaler;1124;;Idrett;833,333;400000;4;Ola",
    # The municipality is wrong: it is shown as typed; the amount and category as read.
    "S-3;Lag C;Ukjent kommune;9999;;Friluft;50000;;3,5;Per",
]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> RoundResult:
    path = tmp_path_factory.mktemp("rejected") / "søknader.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    checked = read_applications(path)
    assert [r.id for r in checked.rejected] == ["S-2", "S-3"]
    return run_round(checked, 500_000, Policy(rule="ranked"))


def test_a_rejected_row_keeps_its_valid_cells(result: RoundResult) -> None:
    bad = result.rejected_by_id()
    assert (bad["S-2"].category, bad["S-2"].municipalities, bad["S-2"].counties) == (
        "Idrett",
        ("1124",),
        ("11",),
    )
    assert (bad["S-2"].total_cost, bad["S-2"].score, bad["S-2"].requested) == (400_000, 4, None)
    assert bad["S-2"].typed == {"requested": "833,333"}
    assert (bad["S-3"].category, bad["S-3"].requested, bad["S-3"].municipalities) == (
        "Friluft",
        50_000,
        (),
    )
    assert bad["S-3"].typed == {"municipalities": "9999"}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_not_funded_sheet_shows_a_rejected_rows_cells(
    result: RoundResult, tmp_path: Path, lang: str
) -> None:
    out = tmp_path / "tildeling.xlsx"
    write(result, out, lang=lang)
    sheet = openpyxl.load_workbook(out).worksheets[1]
    rows = list(sheet.iter_rows(values_only=True))
    by_id = {row[1]: row for row in rows[1:]}
    # ID, applicant, project, municipalities, counties, category, requested, total cost, score
    # (no org. no.: the sheet has none, and a column empty in every row is left out)
    assert by_id["S-2"][2:10] == (
        "Lag B",
        "For mange desimaler",
        "Sola (1124)",
        "Rogaland (11)",
        "Idrett",
        "833,333",
        400_000,
        4,
    )
    assert by_id["S-3"][3:8] == ("Ukjent kommune", "9999", None, "Friluft", 50_000)
    assert by_id["S-2"][-1] == "Ola"


def test_the_csv_shows_a_rejected_rows_cells(result: RoundResult, tmp_path: Path) -> None:
    out = tmp_path / "tildeling.csv"
    write(result, out, lang="en", csv_dialect="plain")
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {row["ID"]: row for row in csv.DictReader(handle)}
    assert (rows["S-2"]["Category"], rows["S-2"]["Municipalities"]) == ("Idrett", "Sola (1124)")
    assert (rows["S-2"]["Requested"], rows["S-2"]["Total cost"]) == ("833,333", "400000")
    assert rows["S-2"]["Score"] == "4"
    assert (rows["S-3"]["Municipalities"], rows["S-3"]["Requested"]) == ("9999", "50000")


def test_the_json_gives_a_rejected_rows_valid_cells(result: RoundResult, tmp_path: Path) -> None:
    out = tmp_path / "tildeling.json"
    write(result, out, lang="en")
    data = json.loads(out.read_text(encoding="utf-8"))
    apps = {a["id"]: a for a in data["applications"]}
    assert apps["S-2"]["category"] == "Idrett"
    assert apps["S-2"]["municipalities"] == [{"number": "1124", "name": "Sola"}]
    assert (apps["S-2"]["total_cost"], apps["S-2"]["score"]) == (400_000, "4")
    # A bad cell is null here; its issue gives it as it was typed.
    assert apps["S-2"]["requested"] is None
    assert [(i["field"], i["value"]) for i in data["issues"] if i["application_id"] == "S-2"] == [
        ("requested", "833,333")
    ]
    assert (apps["S-3"]["category"], apps["S-3"]["requested"]) == ("Friluft", 50_000)


def test_a_row_whose_cells_a_stray_quotation_mark_shifted_carries_no_guess(
    tmp_path: Path,
) -> None:
    """A quotation mark out of place moves the cells after it: the category column of Uster's
    row 476 holds a date from its title. What cell holds what is uncertain, so nothing is
    carried that was not before (applicant and project)."""
    path = tmp_path / "søknader.csv"
    path.write_text(
        "ID,Søker,Prosjekt,Kategori,Søkt beløp,Poeng\n"
        "S-1,Lag A,Gyldig,Kultur,100000,5\n"
        'S-2,Lag B,"Album "Navn" og konsert, 12. mai",Musikk,3500,4\n',
        encoding="utf-8",
    )
    checked = read_applications(path)
    (bad,) = checked.rejected
    assert any(i.code.startswith("read.csv_quote_") for i in bad.issues)
    assert (bad.applicant, bad.category, bad.score, bad.municipalities) == ("Lag B", None, None, ())


PLACES = [
    "S-1;Lag A;Gyldig;0301;;Kultur;100000;200000;5;Kari",
    # The municipality is wrong, the county cell right on its own: the county is kept.
    "S-4;Lag D;Ukjent kommune i kjent fylke;9999;Vestland;Kultur;60000;300000;3;Kari",
    # One municipality of two is wrong and no county is given: the counties would come from
    # the municipalities, which are not all known, so none is kept.
    "S-5;Lag E;En ukjent blant kjente;0301, 9999;;Kultur;60000;300000;3;Kari",
    # The county cell is wrong: it is shown as typed, the municipality's county is not put in
    # its place.
    "S-6;Lag F;Ukjent fylke;1124;Vestlandet;Kultur;60000;300000;3;Kari",
]


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> RoundResult:
    path = tmp_path_factory.mktemp("places") / "søknader.csv"
    path.write_text("\n".join([HEADER, *PLACES]) + "\n", encoding="utf-8")
    checked = read_applications(path)
    assert [r.id for r in checked.rejected] == ["S-4", "S-5", "S-6"]
    return run_round(checked, 500_000, Policy(rule="ranked"))


def test_a_bad_municipality_keeps_a_county_valid_on_its_own(places: RoundResult) -> None:
    bad = places.rejected_by_id()
    assert (bad["S-4"].municipalities, bad["S-4"].counties) == ((), ("46",))
    assert bad["S-4"].typed == {"municipalities": "9999"}
    assert (bad["S-5"].municipalities, bad["S-5"].counties) == ((), ())
    assert (bad["S-6"].municipalities, bad["S-6"].counties) == (("1124",), ())
    assert bad["S-6"].typed == {"county": "Vestlandet"}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_lists_show_the_county_a_bad_municipality_kept(
    places: RoundResult, tmp_path: Path, lang: str
) -> None:
    out = tmp_path / "tildeling.xlsx"
    write(places, out, lang=lang)
    rows = list(openpyxl.load_workbook(out).worksheets[1].iter_rows(values_only=True))
    # municipalities and counties: as read where valid, as typed where not (found by their
    # headers: a column empty for every application is left out of the sheet)
    at = rows[0].index(column_header("municipalities", lang))
    by_id = {row[1]: row[at : at + 2] for row in rows[1:]}
    assert by_id["S-4"] == ("9999", "Vestland (46)")
    assert by_id["S-5"] == ("0301, 9999", None)
    assert by_id["S-6"] == ("Sola (1124)", "Vestlandet")
    out = tmp_path / "tildeling.json"
    write(places, out, lang=lang)
    apps = {a["id"]: a for a in json.loads(out.read_text(encoding="utf-8"))["applications"]}
    assert (apps["S-4"]["municipalities"], apps["S-4"]["counties"]) == (
        [],
        [{"number": "46", "name": "Vestland"}],
    )
    assert apps["S-5"]["counties"] == []


KEPT = {
    "en": "Kept from the county cell: Vestland (46), but not the municipalities' counties, as "
    "their cell has an error",
    "nb": "Beholdt fra fylkescellen: Vestland (46), men ikke kommunenes fylker, siden "
    "kommunecellen har feil",
}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_lists_say_what_a_bad_municipality_kept(
    places: RoundResult, tmp_path: Path, lang: str
) -> None:
    out = tmp_path / "tildeling.xlsx"
    write(places, out, lang=lang)
    rows = list(openpyxl.load_workbook(out).worksheets[1].iter_rows(values_only=True))
    reason = {
        row[1]: row[rows[0].index("Begrunnelse" if lang == "nb" else "Reason")] for row in rows[1:]
    }
    assert str(reason["S-4"]).endswith(f" {KEPT[lang]}.")
    assert str(reason["S-4"]).startswith("D3: ")
    # Nothing kept, nothing said.
    assert "fylkescellen" not in str(reason["S-5"]) + str(reason["S-6"])
    assert "county cell" not in str(reason["S-5"]) + str(reason["S-6"])
    out = tmp_path / "tildeling.csv"
    write(places, out, lang=lang)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    column = lines[0].index("Problem")
    problems = {row[1]: row[column] for row in lines[1:]}
    assert problems["S-4"].endswith(f"; {KEPT[lang]}")
    assert KEPT[lang] not in problems["S-5"] + problems["S-6"]
