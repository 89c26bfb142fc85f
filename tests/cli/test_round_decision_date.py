"""A round's decision date is recorded in the ledger when the round is committed (schema 8):
tilskudd.toml edited afterwards changes neither the round's documents nor its 360Giving award
dates, and allocate --round N and verify say that the file's date is not the recorded one. A
round committed before schema 8 reads the date from tilskudd.toml as before, and says so."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ledgertools import commit_with_schema
from tilskudd import ledger as lg
from tilskudd.cli import app
from tilskudd.programme import load_programme

NBSP = "\u00a0"
PROGRAMME = """\
[programme]
name = "Testordning"
frame = "200 000"
lang = "en"
register = "2009"

[[round]]
number = 1
budget = "100 000"
decision = 2009-06-12
"""
ROWS = [
    "Søknadsnr;Søker;Organisasjonsnummer;Prosjekttittel;Deltakende kommuner;Omsøkt beløp;Poeng",
    "A-1;Moss kommune;974760673;Felles saksbehandling;0104, 0105;60000;5",
    "A-2;Oslo kommune;958935420;Digital post;0301;40000;4",
]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def plain(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A programme folder with round 1's applications; the current folder."""
    (tmp_path / "tilskudd.toml").write_text(PROGRAMME, encoding="utf-8")
    (tmp_path / "r1.csv").write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    return tmp_path


def redate(folder: Path, line: str) -> None:
    """tilskudd.toml with round 1's decision line changed to ``line`` ('' removes it)."""
    path = folder / "tilskudd.toml"
    text = path.read_text(encoding="utf-8").replace("decision = 2009-06-12\n", line)
    path.write_text(text, encoding="utf-8")


def documents(folder: Path) -> tuple[Result, str, str]:
    """allocate --round 1 of the committed round, writing its JSON and 360Giving files: (the
    run, the JSON's decision_date, the first grant's Award Date)."""
    made = run("allocate", "r1.csv", "--round", "1", "-o", "round.json")
    assert made.exit_code == 0, made.output
    giving = run(
        "allocate", "r1.csv", "--round", "1", "-o", "grants.csv", "--format", "360giving",
        "--funder", "Difi",
    )  # fmt: skip
    assert giving.exit_code == 0, giving.output
    data = json.loads((folder / "round.json").read_text(encoding="utf-8"))
    with open(folder / "grants.csv", encoding="utf-8", newline="") as handle:
        award_date = next(csv.DictReader(handle))["Award Date"]
    return made, data["decision_date"], award_date


@pytest.mark.parametrize(
    ("line", "given"),
    [("decision = 2009-06-20\n", "the decision date 2009-06-20"), ("", "no decision date")],
)
def test_a_committed_rounds_decision_date_is_the_recorded_one_whatever_the_toml_says_later(
    folder: Path, line: str, given: str
) -> None:
    committed = run("allocate", "r1.csv", "--round", "1", "--commit")
    assert committed.exit_code == 0, committed.output
    redate(folder, line)
    made, decision_date, award_date = documents(folder)
    assert (decision_date, award_date) == ("2009-06-12", "2009-06-12")
    warning = (
        f"warning: Round 1: tilskudd.toml gives {given}, but the ledger recorded the decision "
        "date 2009-06-12 when the round was committed; the round's documents and 360Giving "
        "award dates keep the recorded one (a committed round is final), and tilskudd.toml's "
        "is not read for it."
    )
    assert warning in plain(made.stdout)
    checked = run("verify")
    assert checked.exit_code == 0, checked.output  # a warning: the ledger stands
    assert warning in plain(checked.stdout)
    nb = run("verify", "--lang", "nb")
    assert "advarsel: Runde 1: tilskudd.toml gir " in plain(nb.stdout)
    assert "men registeret førte vedtaksdatoen 2009-06-12 da runden ble ført" in plain(nb.stdout)


def test_the_same_date_in_the_toml_says_nothing(folder: Path) -> None:
    committed = run("allocate", "r1.csv", "--round", "1", "--commit")
    assert committed.exit_code == 0, committed.output
    made, decision_date, _ = documents(folder)
    assert decision_date == "2009-06-12"
    assert "decision date" not in made.stdout
    assert "decision date" not in run("verify").stdout


def test_a_round_committed_before_schema_8_reads_the_date_from_the_toml_and_says_so(
    folder: Path,
) -> None:
    """A schema-7 ledger (written by the code's own path at that schema) opens and verifies;
    its round's date is read from tilskudd.toml as it is now, with a note, and a round
    committed after the upgrade records its own."""
    programme = load_programme(folder / "tilskudd.toml")
    ledger_path = folder / "tilskudd.ledger.sqlite"
    commit_with_schema(ledger_path, programme, 1, folder / "r1.csv", 7)
    with lg.Ledger.open(ledger_path, write=False) as ledger:
        assert ledger.version == 7
        assert [c.decision_date for c in ledger.commits()] == [None]
    redate(folder, "decision = 2009-06-20\n")
    verified = run("verify")
    assert verified.exit_code == 0, verified.output
    assert "decision date" not in verified.stdout
    made, decision_date, award_date = documents(folder)
    assert (decision_date, award_date) == ("2009-06-20", "2009-06-20")
    assert (
        "Round 1 was committed before the ledger recorded a round's decision date: its date, "
        "2009-06-20, is read from tilskudd.toml as it is now."
    ) in plain(made.stdout)
    nb = run("allocate", "r1.csv", "--round", "1", "--lang", "nb")
    assert "Runde 1 ble ført før registeret førte rundens vedtaksdato" in plain(nb.stdout)
    # Upgraded by the next command that writes; the old round still has no recorded date.
    amended = run("amend", "A-2", "--amount", "30000", "--reason", "Cost cut")
    assert amended.exit_code == 0, amended.output
    with lg.Ledger.open(ledger_path, write=False) as ledger:
        assert ledger.version == lg.SCHEMA_VERSION == 10
        assert ledger.verify_chain().ok
        assert [c.decision_date for c in ledger.commits()] == [None]
