"""A sheet named as a cell is (``A1``) is named as Excel's formulas name it, ``'A1'!F3``, in
``check``'s heading and in the cell of each problem; bare, ``A1!F3`` read as two cells."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tilskudd.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

runner = CliRunner()


@pytest.mark.parametrize(("lang", "sheet_word"), [("nb", "ark"), ("en", "sheet")])
def test_check_quotes_a_sheet_named_as_a_cell(
    in_empty_folder: Path, lang: str, sheet_word: str
) -> None:
    path = in_empty_folder / "a1.xlsx"
    shutil.copy(EXAMPLES / "small.xlsx", path)
    workbook = openpyxl.load_workbook(path)
    workbook.active.title = "A1"
    workbook.active["F3"] = "mye"
    workbook.save(path)
    result = runner.invoke(app, ["check", str(path), "--lang", lang])
    assert result.exit_code == 1, result.output
    assert f"{sheet_word} 'A1'" in result.stdout
    assert "'A1'!F3" in result.stdout
    assert " A1!F3" not in result.stdout
