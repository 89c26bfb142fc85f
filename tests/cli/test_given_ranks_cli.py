"""Given ranks end to end: an officer's ranks 1, 3, 4, 7 (no. 2 withdrawn) are the ranks shown.

The table, the reasons in both languages, the exported workbook and the JSON show the numbers the
officer wrote, not 1, 2, 3, 4.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tilskudd.cli import app

runner = CliRunner()

# Rows out of order on purpose: the order of the rows must not matter.
RANKS = {"S-07": 7, "S-03": 3, "S-01": 1, "S-04": 4}


@pytest.fixture
def ranked_workbook(tmp_path: Path) -> Path:
    """Four applications of 100 000 kr each, ranked by hand 1, 3, 4 and 7."""
    path = tmp_path / "rangert.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Søknader"
    sheet.append(["Søknadsnr", "Søker", "Omsøkt beløp", "Rangering"])
    for application_id, rank in RANKS.items():
        sheet.append([application_id, f"Søker {application_id}", 100_000, rank])
    workbook.save(path)
    return path


def allocate(path: Path, *args: str) -> str:
    # 250 000 kr: S-01 and S-03 are funded, the line falls at S-04 (no. 4), S-07 is below it.
    result = runner.invoke(
        app,
        ["allocate", str(path), "--budget", "250000", "--at-line", "stop", "--reserve", "1", *args],
    )
    assert result.exit_code == 0, result.stderr
    return " ".join(result.stdout.replace("\u00a0", " ").split())


def test_table_and_reasons_show_the_given_ranks_in_english(ranked_workbook: Path) -> None:
    out = allocate(ranked_workbook, "--lang", "en")
    for application_id, rank in RANKS.items():
        assert f" {rank} {application_id} " in f" {out}"
    assert "Funded with the full eligible amount, NOK 100,000, at rank 3." in out
    assert "Not enough budget left at rank 4: NOK 50,000 was left" in out
    assert "Below the funding line, which fell at rank 4." in out
    assert "at rank 2" not in out


def test_table_and_reasons_show_the_given_ranks_in_norwegian(ranked_workbook: Path) -> None:
    out = allocate(ranked_workbook, "--lang", "nb")
    for application_id, rank in RANKS.items():
        assert f" {rank} {application_id} " in f" {out}"
    assert "Innvilget med hele det tilskuddsberettigede beløpet, 100 000 kr, på plass 3." in out
    assert "Rammen strakk ikke til ved plass 4: det var 50 000 kr igjen" in out
    assert "Under finansieringsgrensen, som gikk ved plass 4." in out
    assert "plass 2" not in out


def test_workbook_export_shows_the_given_ranks(ranked_workbook: Path, tmp_path: Path) -> None:
    target = tmp_path / "tildeling.xlsx"
    allocate(ranked_workbook, "--lang", "nb", "-o", str(target))
    workbook = openpyxl.load_workbook(target)
    awards, rest = workbook.worksheets[:2]

    def rows(sheet: object) -> list[tuple[object, object, object]]:
        values = list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
        header = list(values[0])
        at = [header.index(name) for name in ("Rangering", "Søknadsnr.", "Begrunnelse")]
        return [tuple(row[i] for i in at) for row in values[1:] if row[at[1]] is not None]

    funded = rows(awards)
    assert [(rank, i) for rank, i, _ in funded] == [(1, "S-01"), (3, "S-03")]
    assert str(funded[1][2]).replace("\u00a0", " ").endswith("på plass 3.")
    assert [(rank, i) for rank, i, _ in rows(rest)] == [(4, "S-04"), (7, "S-07")]
    assert "plass\u00a04" in str(rows(rest)[1][2])


def test_json_export_shows_the_given_ranks(ranked_workbook: Path, tmp_path: Path) -> None:
    target = tmp_path / "tildeling.json"
    allocate(ranked_workbook, "-o", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    shown = [(a["id"], a["rank"], a["given_rank"], a["status"]) for a in data["applications"]]
    assert shown == [
        ("S-01", 1, 1, "funded"),
        ("S-03", 3, 3, "funded"),
        ("S-04", 4, 4, "reserve"),
        ("S-07", 7, 7, "not_funded"),
    ]
    reasons = {a["id"]: a["reasons"] for a in data["applications"]}
    assert reasons["S-03"][0]["params"]["rank"] == 3
    assert reasons["S-07"][0]["params"] == {"line_rank": 4}
    assert data["budget"] == data["awarded"] + data["unallocated"] == 250_000


def test_the_ledger_records_the_given_ranks(
    ranked_workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tilskudd.toml").write_text(
        '[programme]\nname = "Rangert"\nframe = "500 000"\nlang = "en"\n\n'
        '[[round]]\nnumber = 1\nbudget = "250 000"\n\n[policy]\nat_line = "stop"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    result = runner.invoke(app, ["allocate", ranked_workbook.name, "--round", "1", "--commit"])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(tmp_path / "tilskudd.ledger.sqlite")
    try:
        rows = conn.execute(
            "SELECT application_id, rank, amount, reasons FROM awards ORDER BY application_id"
        ).fetchall()
    finally:
        conn.close()
    recorded = {i: (rank, amount) for i, rank, amount, _ in rows}
    assert recorded["S-01"] == (1, 100_000)
    assert recorded["S-03"] == (3, 100_000)
    for i, rank, _, reasons in rows:
        assert rank == RANKS[i]
        for reason in json.loads(reasons):
            assert reason["params"].get("rank", RANKS[i]) == RANKS[i]


def test_a_rank_too_large_to_record_is_rejected_by_its_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1e30 typed as a rank reached the ledger and failed there as "an unexpected problem"
    # (SQLite's integers stop at 2**63); now the cell is an error and the rest is committed.
    path = tmp_path / "stor.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Søknader"
    sheet.append(["Søknadsnr", "Søker", "Omsøkt beløp", "Rangering"])
    sheet.append(["S-1", "Søker 1", 100_000, 1])
    sheet.append(["S-2", "Søker 2", 100_000, 1e30])
    sheet.append(["S-3", "Søker 3", 100_000, 1e9])
    workbook.save(path)
    (tmp_path / "tilskudd.toml").write_text(
        '[programme]\nname = "Stor"\nframe = "500 000"\nlang = "en"\n\n'
        '[[round]]\nnumber = 1\nbudget = "250 000"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    result = runner.invoke(app, ["allocate", path.name, "--round", "1", "--commit"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Søknader!D3" in out
    assert "is larger than tilskudd takes for a rank" in out
    assert "unexpected problem" not in out
    conn = sqlite3.connect(tmp_path / "tilskudd.ledger.sqlite")
    try:
        rows = conn.execute("SELECT application_id, rank, status FROM awards").fetchall()
    finally:
        conn.close()
    recorded = {i: (rank, status) for i, rank, status in rows}
    assert recorded["S-1"] == (1, "funded")
    assert recorded["S-3"] == (1_000_000_000, "funded")
    assert recorded.get("S-2", (None, "rejected")) == (None, "rejected")
