"""An -o whose folder is a file (``-o runde1.xlsx/tildeling.xlsx``) is refused before the run,
with the command's other problems; it was said only by the writer, after the award table had
been printed, as an operating system's error (exit 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.i18n import get

DIFI = str(Path(__file__).resolve().parents[2] / "examples" / "difi_2009_runde1.xlsx")

runner = CliRunner()


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    (tmp_path / "notat.txt").write_text("a file, not a folder", encoding="utf-8")


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("target", ["notat.txt/tildeling.xlsx", "notat.txt/ny/tildeling.xlsx"])
def test_an_output_under_a_file_is_refused_before_anything_is_printed(
    lang: str, target: str
) -> None:
    result = runner.invoke(
        app, ["allocate", DIFI, "-b", "20M", "--register", "2009", "-o", target, "--lang", lang]
    )
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    message = get(lang)("output.error.under_file", path=target, file="notat.txt")
    assert result.stderr == f"{get(lang)('cli.error_label')}: {message}\n"


def test_it_is_said_with_a_mistyped_budget() -> None:
    result = runner.invoke(app, ["allocate", DIFI, "-b", "xx", "-o", "notat.txt/t.xlsx"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: --budget: 'xx' is not an amount")
    assert lines[1:] == [
        get("en")("output.error.under_file", path="notat.txt/t.xlsx", file="notat.txt")
    ]


def test_ledger_export_says_it_with_the_missing_ledger(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ledger", "export", "notat.txt/l.xlsx", "--ledger", "nei.sqlite"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "error: " + get("en")(
        "output.error.under_file", path="notat.txt/l.xlsx", file="notat.txt"
    )
    assert "nei.sqlite" in lines[1]


def test_a_folder_still_to_be_made_is_no_problem(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["allocate", DIFI, "-b", "20M", "--register", "2009", "-o", "ny/mappe/t.csv"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ny" / "mappe" / "t.csv").is_file()
