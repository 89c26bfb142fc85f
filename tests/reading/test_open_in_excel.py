"""An applications file open in Excel or LibreOffice (its lock file beside it) is read as last
saved: a warning says so, since the changes on the officer's screen are not in it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.reading import read_table

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("lock", ["~$Søknader 2026.xlsx", ".~lock.Søknader 2026.xlsx#"])
def test_a_workbook_open_elsewhere_is_read_with_a_warning(tmp_path: Path, lock: str) -> None:
    workbook = tmp_path / "Søknader 2026.xlsx"
    shutil.copy(EXAMPLES / "small.xlsx", workbook)
    assert "read.open_elsewhere" not in [i.code for i in read_table(workbook).issues]
    (tmp_path / lock).write_bytes(b"\x0bOla Nordmann" + bytes(150))
    issues = [i for i in read_table(workbook).issues if i.code == "read.open_elsewhere"]
    assert [(i.is_error, i.params) for i in issues] == [(False, {"lock": lock})]
    assert len(read_table(workbook).rows) == 10  # read all the same


def test_the_lock_file_of_another_workbook_is_no_matter(tmp_path: Path) -> None:
    workbook = tmp_path / "søknader.csv"
    shutil.copy(EXAMPLES / "small.csv", workbook)
    (tmp_path / "~$søknader.xlsx").write_bytes(bytes(165))
    assert "read.open_elsewhere" not in [i.code for i in read_table(workbook).issues]


def test_check_says_it_and_strict_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    shutil.copy(EXAMPLES / "small.xlsx", tmp_path / "søknader.xlsx")
    (tmp_path / "~$søknader.xlsx").write_bytes(bytes(165))
    result = CliRunner().invoke(app, ["check", "søknader.xlsx", "--lang", "nb"])
    assert result.exit_code == 0
    assert (
        "filen er åpen i Excel eller LibreOffice (~$søknader.xlsx ligger ved siden av): det som "
        "ble lest, er den sist lagrede versjonen, uten endringer som ikke er lagret; lagre den og "
        "kjør på nytt hvis du har endret den"
    ) in " ".join(result.stdout.split())
    strict = CliRunner().invoke(app, ["check", "søknader.xlsx", "--strict"])
    assert strict.exit_code == 1
