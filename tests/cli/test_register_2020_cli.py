"""--register 2020: a sheet of a round held in 2020-2023 (Viken, Vestfold og Telemark, Troms og
Finnmark) checked, allocated and committed in its own numbering, and told which numbering it
follows when checked against another."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from tilskudd.cli import app
from tilskudd.ledger import Ledger

HEADER = "Søknadsnr;Søker;Organisasjonsnummer;Prosjekttittel;Kommune;Fylke;Omsøkt beløp;Poeng"
ROWS = [
    # The numbers and names of 2020-2023, as a sheet of those years writes them.
    "V-1;Halden kommune;959159092;Digital byggesak;3001;Viken;60000;5",
    "V-2;Bærum kommune;935478715;Min side;3024 Bærum;30;50000;4",
    "V-3;Tønsberg kommune;921383681;Sak og arkiv;3803;Vestfold og Telemark;40000;3",
    "V-4;Tromsø kommune;940101808;Velferdsteknologi;5401, 5402;54;30000;2",
    "V-5;Ålesund kommune;920415288;Innbyggerdialog;1507;Møre og Romsdal;20000;1",
]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "runde_2021.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def test_a_sheet_of_2021_is_valid_in_the_2020_numbering(sheet: Path) -> None:
    result = run("check", sheet, "--register", "2020", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["register_mismatch"] is None
    assert report["issues"] == []


def test_checked_against_2024_it_is_told_to_use_2020(sheet: Path) -> None:
    result = run("check", sheet, "--format", "json")
    assert result.exit_code == 1
    mismatch = json.loads(result.stdout)["register_mismatch"]
    # Every municipality cell and the three county cells that name a county of 2020-2023.
    assert mismatch == {
        "register": "2024",
        "other_register": "2020",
        "errors": 9,
        "invalid_for_that_only": 5,
        "invalid": 5,
    }
    for lang, advice in (
        ("nb", "Bruk --register 2020 hvis arket følger 2020-inndelingen."),
        ("en", "Use --register 2020 if the sheet follows the 2020 numbering."),
    ):
        said = " ".join(run("check", sheet, "--lang", lang).stdout.split())
        assert advice in said, said


def test_a_cell_says_the_number_of_today(sheet: Path) -> None:
    result = run("check", sheet, "--format", "json", "--lang", "en")
    messages = [i["message"] for i in json.loads(result.stdout)["issues"]]
    assert (
        "3001 Halden is in the 2020 numbering; in the 2024 numbering it is 3101 Halden. "
        "Use --register 2020 if the sheet uses the 2020 numbering"
    ) in messages


def test_the_numbering_named_is_the_one_with_most_of_the_places(tmp_path: Path) -> None:
    # Checked against 2009: the first cell, 3401 Kongsvinger, is in 2020's numbering and in
    # 2024's (its cell names the current one); 3001, 3024 and 5401 are in 2020's only.
    rows = [
        "K-1;Kongsvinger kommune;944117784;Sak;3401;10000;4",
        *(f"K-{n};Kommune {n};959159092;Sak;{m};10000;3" for n, m in ((2, 3001), (3, 3024))),
        "K-4;Tromsø kommune;940101808;Sak;5401;10000;2",
    ]
    header = "Søknadsnr;Søker;Organisasjonsnummer;Prosjekttittel;Kommune;Omsøkt beløp;Poeng"
    path = tmp_path / "runde.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = run("check", path, "--register", "2009", "--format", "json", "--lang", "en")
    report = json.loads(result.stdout)
    assert report["issues"][0]["params"]["other_register"] == "2024"
    assert report["register_mismatch"] == {
        "register": "2009",
        "other_register": "2020",
        "errors": 4,
        "invalid_for_that_only": 4,
        "invalid": 4,
    }
    # Against 2024 the cell of Kongsvinger is valid, and the three others say 2020.
    report = json.loads(run("check", path, "--format", "json").stdout)
    assert report["register_mismatch"]["other_register"] == "2020"
    assert report["register_mismatch"]["errors"] == 3


def test_allocate_and_commit_in_a_programme_of_the_2020_numbering(
    sheet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    created = run("init", "ordning", "--frame", "400 000", "--register", "2020", "--name", "O")
    assert created.exit_code == 0, created.output
    programme = (tmp_path / "ordning" / "tilskudd.toml").read_text(encoding="utf-8")
    assert 'register = "2020"' in programme
    # The template's drop-downs offer the municipalities and counties of 2020-2023.
    book = openpyxl.load_workbook(tmp_path / "ordning" / "søknadsmal.xlsx", read_only=True)
    places = list(book.worksheets[3].iter_rows(values_only=True))
    municipalities = {str(r[1]) for r in places[1:] if r[1]}
    counties = {str(r[5]) for r in places[1:] if r[5]}
    assert len(municipalities) == 356
    assert {"3001", "3024", "5401"} <= municipalities
    assert "3101" not in municipalities
    assert any("Viken" in c for c in counties), counties
    monkeypatch.chdir(tmp_path / "ordning")
    result = run("allocate", sheet, "--round", "1", "--commit", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Committed round 1 to the ledger" in result.stdout
    with Ledger.open(tmp_path / "ordning" / "tilskudd.ledger.sqlite", write=False) as ledger:
        (commit,) = ledger.commits()
    assert commit.reading is not None
    assert commit.reading["register"] == "2020"
    # Re-run from the recorded file and register, it gives the same awards.
    verified = run("verify", "--lang", "en")
    assert verified.exit_code == 0, verified.output
    assert "gives the same 5 decisions" in " ".join(verified.stdout.split()), verified.stdout
    status = run("status", "--lang", "en")
    assert "in 6 municipalities" in " ".join(status.stdout.split()), status.stdout


def test_explain_and_compare_take_the_2020_numbering(sheet: Path) -> None:
    explained = run("explain", sheet, "V-2", "--register", "2020", "-b", "100 000", "--lang", "en")
    assert explained.exit_code == 0, explained.output
    said = " ".join(explained.stdout.split())
    assert "The application scored 4 points and its rank was 2 of 5." in said
    rejected = run("explain", sheet, "V-2", "-b", "100 000", "--lang", "en")
    assert "3024 Bærum is in the 2020 numbering" in " ".join(rejected.stdout.split())
    rules = ("--compare", "ranked,proportional", "-b", "100 000", "--lang", "en")
    compared = run("allocate", sheet, "--register", "2020", *rules)
    assert compared.exit_code == 0, compared.output
    # All five allocated: the proportional rule funds every one of them in part.
    assert "Partly funded                                 0              5" in compared.stdout
    refused = run("allocate", sheet, *rules)
    assert "Use --register 2020" in " ".join(refused.output.split())


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Municipality numbering to check against: 2024, 2020 (for 2020–2023) or 2009."),
        ("nb", "Kommuneinndelingen søknadene kontrolleres mot: 2024, 2020 (for 2020–2023) eller"),
    ],
)
@pytest.mark.parametrize("command", ["check", "allocate", "explain"])
def test_the_help_says_what_each_numbering_is_for(command: str, lang: str, said: str) -> None:
    result = run(command, "--help", "--lang", lang)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.replace("│", " ").split())
    assert "<2009|2020|2024>" in text
    assert said in text


@pytest.mark.parametrize(
    ("register", "name", "county"),
    [
        ("2020", "Akershus", "32 Akershus"),
        ("2024", "Hedmark", "04 Hedmark"),
        ("2020", "Viken", "30 Viken"),
    ],
)
def test_a_county_of_any_numbering_in_the_municipality_column_is_said_to_be_a_county(
    tmp_path: Path, register: str, name: str, county: str
) -> None:
    # Not "did you mean Asker?" (or Hamar, or Vik): a county, of this numbering or another.
    header = "Søknadsnr;Søker;Organisasjonsnummer;Prosjekttittel;Kommune;Omsøkt beløp;Poeng"
    path = tmp_path / "fylke.csv"
    path.write_text(f"{header}\nF-1;Fylket;959159092;Sak;{name};60000;5\n", encoding="utf-8")
    result = run("check", path, "--register", register, "--format", "json")
    (issue,) = json.loads(result.stdout)["issues"]
    assert (issue["code"], issue["params"]["county"]) == ("validate.municipality_is_county", county)
