"""--register 2020: a sheet of a round held in 2020-2023 (Viken, Vestfold og Telemark, Troms og
Finnmark) checked, allocated and committed in its own numbering, and told which numbering it
follows when checked against another."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_a_cell_says_the_number_of_today(sheet: Path) -> None:
    result = run("check", sheet, "--format", "json", "--lang", "en")
    messages = [i["message"] for i in json.loads(result.stdout)["issues"]]
    assert (
        "3001 Halden is in the 2020 numbering; in the 2024 numbering it is 3101 Halden. "
        "Use --register 2020 if the sheet uses the 2020 numbering"
    ) in messages


def test_allocate_and_commit_in_a_programme_of_the_2020_numbering(
    sheet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    created = run("init", "ordning", "--frame", "400 000", "--register", "2020", "--name", "O")
    assert created.exit_code == 0, created.output
    programme = (tmp_path / "ordning" / "tilskudd.toml").read_text(encoding="utf-8")
    assert 'register = "2020"' in programme
    monkeypatch.chdir(tmp_path / "ordning")
    result = run("allocate", sheet, "--round", "1", "--commit", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Committed round 1 to the ledger" in result.stdout
    with Ledger.open(tmp_path / "ordning" / "tilskudd.ledger.sqlite", write=False) as ledger:
        (commit,) = ledger.commits()
    assert commit.reading is not None
    assert commit.reading["register"] == "2020"


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
