"""Manual overrides end to end: `tilskudd allocate` on a file with decision columns."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tilskudd.cli import app

runner = CliRunner()

HEADER = (
    "ID;Applicant;Project;Requested;Total cost;Score;Decision;Decision amount;Decision reason\n"
)
ROWS = """\
A1;Moss kommune;Portal;300000;2000000;9;;;
A2;Bodø kommune;Arkiv;200000;1000000;8;avslå;;Dobbeltsøknad, jf. A1
A3;Alta kommune;Kart;250000;2000000;7;;;
A4;Hol kommune;Fjellnett;80000;400000;1;innvilg;80000;Styret prioriterer fjellkommuner
"""


def write(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "søknader.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_overrides_in_terminal_and_workbook(tmp_path: Path) -> None:
    source = write(tmp_path, ROWS)
    out = tmp_path / "tildeling.xlsx"
    result = runner.invoke(
        app, ["allocate", str(source), "--budget", "630000", "--lang", "nb", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "innvilget †" in flat
    assert "Styret prioriterer fjellkommuner" in flat
    assert "Dobbeltsøknad, jf. A1" in flat
    assert "Søknader avgjort ved manuell overstyring før regelen: 2 (" in flat
    sheet = openpyxl.load_workbook(out)["Tildelinger"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    awarded = {row[1]: row[header.index("Tildelt")] for row in rows[1:]}
    # 630 000 - 80 000 (A4, the officer's) = 550 000 for A1 and A3 in full.
    assert awarded == {"A1": 300_000, "A3": 250_000, "A4": 80_000}
    officer = {
        row[1]: row[header.index("Overstyrt: saksbehandlers begrunnelse")] for row in rows[1:]
    }
    assert officer == {"A1": None, "A3": None, "A4": "Styret prioriterer fjellkommuner"}


def test_overrides_breaking_the_budget_stop_with_exit_1(tmp_path: Path) -> None:
    source = write(tmp_path, ROWS)
    result = runner.invoke(app, ["allocate", str(source), "--budget", "50000"])
    assert result.exit_code == 1
    assert "more than the budget of NOK\xa050,000: A4 (row 5): NOK\xa080,000" in result.stderr


@pytest.mark.parametrize(
    ("row", "cell"),
    [
        ("A5;Ski kommune;Bad;90000;400000;5;innvilg;90000;\n", "I6"),  # no reason
        ("A5;Ski kommune;Bad;90000;400000;5;innvilg;;Viktig\n", "H6"),  # fund without amount
    ],
)
def test_incomplete_override_is_an_error_on_its_cell(tmp_path: Path, row: str, cell: str) -> None:
    source = write(tmp_path, ROWS + row)
    result = runner.invoke(app, ["check", str(source)])
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if cell in x)
    assert "decision" in line.lower() or "vedtak" in line.lower()
