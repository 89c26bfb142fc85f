"""A file's and a sheet's name with a bidi control in it is shown as its code everywhere.

The names are the officer's own (a file saved from a mail, a sheet renamed by a colleague), but
a right-to-left override in one reorders what follows it in every viewer, as in applicants' text
(tests/cli/test_hostile_text.py): the terminal, check's and allocate's JSON (read by other
programs), the workbook's basis sheet, the footers of the published lists, the ledger's export
and the messages show ``<U+202E>``. The sheet is still found by its name as it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.pipeline import read_applications

from .test_hostile_text import _RAW, EXAMPLES, OUTPUTS, _text

runner = CliRunner()

SHEET = "Søknader\u202e"
FILE = "søknader\u202e.xlsx"


def _named(folder: Path) -> Path:
    """small.xlsx with a bidi control in its sheet's name and its file's, and S-03's amount
    not one, so that a problem names the sheet."""
    book = openpyxl.load_workbook(EXAMPLES / "small.xlsx")
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.cell(row=4, column=6, value="abc").data_type = "s"
    path = folder / FILE
    book.save(path)
    return path


def test_checks_json_names_the_file_and_the_sheet_as_it_shows_them(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(_named(tmp_path)), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert _RAW.search(result.stdout) is None, repr(_RAW.findall(result.stdout))
    data = json.loads(result.stdout)
    assert data["file"] == str(tmp_path / "søknader<U+202E>.xlsx")
    assert data["sheet"] == "Søknader<U+202E>"
    (issue,) = (i for i in data["issues"] if i["code"] == "validate.amount_invalid")
    assert issue["sheet"] == "Søknader<U+202E>"
    assert issue["file"] == str(tmp_path / "søknader<U+202E>.xlsx")
    assert issue["cell"] == "'Søknader<U+202E>'!F4"


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_checks_report_names_them_as_codes(tmp_path: Path, lang: str) -> None:
    result = runner.invoke(app, ["check", str(_named(tmp_path)), "--lang", lang])
    assert result.exit_code == 1, result.output
    assert _RAW.search(result.output) is None, repr(_RAW.findall(result.output))
    first = result.stdout.splitlines()[0]
    assert "søknader<U+202E>.xlsx" in first
    assert "'Søknader<U+202E>'" in first


@pytest.mark.parametrize(("name", "options"), [("terminal", ()), *OUTPUTS])
def test_no_output_holds_a_bidi_control_from_the_names(
    tmp_path: Path, name: str, options: tuple[str, ...]
) -> None:
    out = tmp_path / name
    written = () if name == "terminal" else ("-o", str(out))
    args = ["allocate", str(_named(tmp_path)), "--budget", "10000000", *written, *options]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert _RAW.search(result.output) is None, repr(_RAW.findall(result.output))
    if name == "terminal":
        return
    text = _text(out)
    assert _RAW.search(text) is None, repr(_RAW.findall(text))
    if name in ("awards.html", "awards.pdf", "awards.xlsx"):
        assert "søknader<U+202E>.xlsx" in text  # the footer's, the basis sheet's input file
    if name == "awards.json":
        source = json.loads(text)["source"]
        assert source["file"] == str(tmp_path / "søknader<U+202E>.xlsx")
        assert source["sheet"] == "Søknader<U+202E>"


@pytest.mark.parametrize("typed", [SHEET, "Søknader<U+202E>", "søknader<u+202e>"])
def test_the_sheet_is_found_by_its_name_or_as_tilskudd_shows_it(tmp_path: Path, typed: str) -> None:
    path = _named(tmp_path)
    result = runner.invoke(app, ["check", str(path), "--sheet", typed, "--format", "json"])
    assert result.exit_code == 1, result.output  # S-03's amount: the sheet was read
    assert json.loads(result.stdout)["sheet"] == "Søknader<U+202E>"
    # Read, it is the sheet's own name, kept so that the round can be read again.
    assert read_applications(path, sheet=typed).sheet == SHEET


def test_a_sheet_not_found_is_said_with_the_codes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(_named(tmp_path)), "--sheet", "Ark2\u202e"])
    assert result.exit_code == 1, result.output
    assert _RAW.search(result.output) is None, repr(_RAW.findall(result.output))
    assert "søknader<U+202E>.xlsx has no sheet named 'Ark2<U+202E>'" in result.output
    assert "Its sheets are: 'Søknader<U+202E>'." in result.output


def test_a_missing_file_is_said_with_the_codes(in_empty_folder: Path) -> None:
    result = runner.invoke(app, ["allocate", "mangler\u202e\x1b[31m.xlsx", "--budget", "1000"])
    assert result.exit_code != 0
    assert _RAW.search(result.output) is None, repr(_RAW.findall(result.output))
    assert "mangler<U+202E><U+001B>[31m.xlsx" in result.output


def test_the_ledger_shows_the_codes_and_reads_the_sheet_again(in_empty_folder: Path) -> None:
    assert runner.invoke(app, ["init", "--lang", "en"]).exit_code == 0
    path = _named(in_empty_folder)
    result = runner.invoke(app, ["allocate", str(path), "--round", "1", "--commit"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["verify"])
    assert result.exit_code == 0, result.output
    assert _RAW.search(result.output) is None, repr(_RAW.findall(result.output))
    # The sheet is read again by its name as recorded, and the file is named with the code.
    assert "søknader<U+202E>.xlsx gives the same 10 decisions" in result.output
    result = runner.invoke(app, ["ledger", "export", "ledger.xlsx"])
    assert result.exit_code == 0, result.output
    assert _RAW.search(result.output) is None, repr(_RAW.findall(result.output))
    text = _text(in_empty_folder / "ledger.xlsx")
    assert _RAW.search(text) is None, repr(_RAW.findall(text))
    assert "søknader<U+202E>.xlsx" in text
