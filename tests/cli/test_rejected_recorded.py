"""What a rejected row keeps, end to end: a programme made with ``tilskudd init``, a round
committed with rows rejected for one cell, and the ledger's export and history read back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from tilskudd.cli import app

HEADER = (
    "Søknadsnr",
    "Søker",
    "Organisasjonsnummer",
    "Prosjekttittel",
    "Deltakende kommuner",
    "Fylke",
    "Omsøkt beløp",
    "Totalkostnad",
    "Poeng",
    "Kategori",
)
ROWS = [
    # Valid: funded.
    ("S-1", "Moss kommune", 974760673, "Digital post", "Moss", "Østfold", 100_000, 500_000, 5,
     "Arkiv"),
    # Its amount is no amount: every other cell is right.
    ("S-2", "Tromsø kommune", 946915971, "Mobil omsorg", "Tromsø", "Troms", "mange penger",
     600_000, 4, "Helse"),
    # A misspelt municipality, and a county cell right on its own.
    ("S-3", "Bærum kommune", 914692687, "Min side", "Bearum", "Akershus", 50_000, 300_000, 3,
     "Arkiv"),
    # A misspelt municipality among right ones, no county cell: the counties would come from
    # the municipalities, and the list of them is not certain.
    ("S-4", "Bodø kommune", 970635831, "Sikker sone", "Bodø, Bearum", None, 50_000, 300_000, 3,
     "Arkiv"),
]  # fmt: skip


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def committed(in_empty_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tilskudd init``'s programme (2024 numbering) with round 1 of :data:`ROWS` committed."""
    made = run("init", "ordning", "--name", "Test", "--frame", "10M", "--lang", "en")
    assert made.exit_code == 0, made.output
    folder = in_empty_folder / "ordning"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    book.save(folder / "round1.xlsx")
    monkeypatch.chdir(folder)
    result = run("allocate", "round1.xlsx", "--round", "1", "--commit")
    assert result.exit_code == 0, result.output
    return folder


def _places(record: dict[str, str]) -> tuple[str, str, str]:
    return record["Municipalities"], record["Counties"], record["Category"]


def test_the_ledger_records_a_rejected_rows_valid_places_and_category(committed: Path) -> None:
    assert run("ledger", "export", "awards.csv").exit_code == 0
    with (committed / "awards.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["ID"]: r for r in csv.DictReader(handle, delimiter=";")}
    assert rows["S-1"]["Status"] == "funded"
    assert _places(rows["S-1"]) == ("Moss (3103)", "Østfold (31)", "Arkiv")
    # Rejected for its amount alone: its places and category as the sheet gave them.
    assert rows["S-2"]["Status"] == "rejected"
    assert _places(rows["S-2"]) == ("Tromsø (5501)", "Troms (55)", "Helse")
    # Rejected for a misspelt municipality: the county its own cell gave is kept; where the
    # counties would have come from the municipalities, none is.
    assert _places(rows["S-3"]) == ("", "Akershus (32)", "Arkiv")
    assert _places(rows["S-4"]) == ("", "", "Arkiv")

    assert run("ledger", "export", "awards.xlsx").exit_code == 0
    sheet = openpyxl.load_workbook(committed / "awards.xlsx").worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = values[0]
    by_id = {r[header.index("ID")]: dict(zip(header, r, strict=True)) for r in values[1:]}
    assert (
        by_id["S-2"]["Municipalities"],
        by_id["S-2"]["Counties"],
        by_id["S-2"]["Category"],
    ) == ("Tromsø (5501)", "Troms (55)", "Helse")

    history = json.loads(run("history", "946915971", "--format", "json").stdout)
    assert [
        (h["application_id"], h["status"], h["municipalities"], h["counties"], h["category"])
        for h in history
    ] == [("S-2", "rejected", ["5501"], ["55"], "Helse")]
    # Its total cost and score, valid cells, as the award workbook lists them.
    assert history[0]["figures"] == {"total_cost": 600_000, "score": "4"}
    # Still the same decisions when the round is re-run from its file.
    verified = run("verify")
    assert verified.exit_code == 0, verified.output
    assert "gives the same 4 decisions" in verified.stdout


def test_a_row_a_stray_quotation_mark_shifted_is_recorded_without_a_guess(
    in_empty_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which cell holds what is uncertain in such a row: the ledger records no place, category
    or figure of it (its applicant and project, as before)."""
    assert run("init", "ordning", "--frame", "10M", "--lang", "en").exit_code == 0
    folder = in_empty_folder / "ordning"
    (folder / "round1.csv").write_text(
        "ID,Søker,Prosjekt,Kommune,Kategori,Søkt beløp,Totalkostnad,Poeng\n"
        "S-1,Lag A,Gyldig,Moss,Kultur,100000,400000,5\n"
        'S-2,Lag B,"Album "Navn" og konsert, 12. mai",Moss,Musikk,3500,20000,4\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(folder)
    result = run("allocate", "round1.csv", "--round", "1", "--commit")
    assert result.exit_code == 0, result.output
    (recorded,) = [
        h
        for h in json.loads(run("history", "S-2", "--format", "json").stdout)
        if h["status"] == "rejected"
    ]
    assert recorded["applicant"] == "Lag B"
    assert (recorded["municipalities"], recorded["counties"], recorded["category"]) == ([], [], "")
    assert recorded["figures"] == {"total_cost": None, "score": None}


def test_the_ledger_keeps_what_was_typed_in_a_rejected_rows_bad_cell(committed: Path) -> None:
    """S-2's amount was "mange penger": the ledger keeps no amount of it, and kept nothing of
    what the applicant wrote, so history and the export could not show it. The text is kept,
    as text, and shown where the rejection is."""
    (recorded,) = json.loads(run("history", "S-2", "--format", "json").stdout)
    assert recorded["typed"] == {"requested": "mange penger"}
    assert recorded["requested"] is None
    said = run("history", "S-2", "--lang", "nb").stdout
    assert "Avvist for feil i søknadsfilen; slik det ble skrevet: Omsøkt: «mange penger»" in said
    en = run("history", "S-2", "--lang", "en").stdout
    assert 'Rejected for errors in the input; as typed: Requested: "mange penger"' in en
    # A valid row has nothing typed to show.
    (valid,) = json.loads(run("history", "S-1", "--format", "json").stdout)
    assert valid["typed"] is None
    assert "as typed" not in run("history", "S-1", "--lang", "en").stdout

    assert run("ledger", "export", "awards.csv").exit_code == 0
    with (committed / "awards.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["ID"]: r for r in csv.DictReader(handle, delimiter=";")}
    assert rows["S-2"]["As typed (cells with errors)"] == 'Requested: "mange penger"'
    assert rows["S-1"]["As typed (cells with errors)"] == ""
    assert run("ledger", "export", "awards.xlsx").exit_code == 0
    sheet = openpyxl.load_workbook(committed / "awards.xlsx").worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = values[0]
    by_id = {r[header.index("ID")]: dict(zip(header, r, strict=True)) for r in values[1:]}
    assert by_id["S-2"]["As typed (cells with errors)"] == 'Requested: "mange penger"'
    # The chain still holds, and the round re-run from its file gives the same decisions.
    verified = run("verify")
    assert verified.exit_code == 0, verified.output
    assert "gives the same 4 decisions" in verified.stdout


def test_what_was_typed_stays_text_in_the_export(
    in_empty_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A formula typed in an amount's cell of a CSV is rejected; the ledger's export shows it
    as text, which Excel does not run."""
    assert run("init", "ordning", "--frame", "10M", "--lang", "en").exit_code == 0
    folder = in_empty_folder / "ordning"
    (folder / "round1.csv").write_text(
        "ID;Søker;Prosjekt;Kommune;Søkt beløp;Totalkostnad;Poeng\n"
        "S-1;Lag A;Gyldig;Moss;100000;400000;5\n"
        "S-2;Lag B;Formel;Moss;=1+1;20000;4\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(folder)
    assert run("allocate", "round1.csv", "--round", "1", "--commit").exit_code == 0
    (recorded,) = json.loads(run("history", "S-2", "--format", "json").stdout)
    assert recorded["typed"] == {"requested": "=1+1"}
    assert run("ledger", "export", "awards.xlsx").exit_code == 0
    sheet = openpyxl.load_workbook(folder / "awards.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    column = header.index("As typed (cells with errors)") + 1
    cell = next(
        sheet.cell(row=r, column=column)
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(row=r, column=header.index("ID") + 1).value == "S-2"
    )
    assert cell.value == 'Requested: "=1+1"'
    assert cell.data_type == "s"
    assert run("ledger", "export", "awards.csv").exit_code == 0
    text = (folder / "awards.csv").read_text(encoding="utf-8-sig")
    assert 'Requested: ""=1+1""' in text  # quoted by csv, the text as it is (starts with R)
