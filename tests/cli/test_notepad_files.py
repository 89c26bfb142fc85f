"""Policy, column-map and programme files saved by Windows Notepad (UTF-8 with a BOM, UTF-16,
Windows-1252) are read as the UTF-8 file with the same text is."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOTEPAD = ["utf-8-sig", "utf-16", "cp1252"]

POLICY = """\
# Tildelingsregler: høyst én søknad fra Trøndelag
[policy]
rule = "ranked"

[[policy.quotas]]
by = "county"
value = "Trøndelag"
max_count = 1
"""

COLUMNS = """\
# Kolonnekart for søknadene
[columns]
"Søknadsnr" = "id"
"Søker" = "project"
"Prosjekttittel" = "applicant"
"""

PROGRAMME = """\
[programme]
name = "Tilskudd til bærekraft i Trøndelag"
frame = "200 000"
lang = "nb"

[[round]]
number = 1
budget = "100 000"
"""


@pytest.fixture(autouse=True)
def _here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def save(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize("encoding", NOTEPAD)
def test_a_policy_file_saved_by_notepad(tmp_path: Path, encoding: str) -> None:
    round_ = ["allocate", str(EXAMPLES / "small.xlsx"), "--budget", "5M", "--dry-run"]
    utf8 = run(*round_, "--policy", str(save(tmp_path / "utf8.toml", POLICY, "utf-8")))
    assert utf8[0] == 0, utf8[2]
    assert "Trøndelag" in utf8[1]
    saved = save(tmp_path / "policy.toml", POLICY, encoding)
    assert run(*round_, "--policy", str(saved)) == utf8


@pytest.mark.parametrize("encoding", NOTEPAD)
def test_a_column_map_saved_by_notepad(tmp_path: Path, encoding: str) -> None:
    round_ = ["allocate", str(EXAMPLES / "small.xlsx"), "--budget", "5M", "--dry-run"]
    utf8 = run(*round_, "--columns", str(save(tmp_path / "utf8.toml", COLUMNS, "utf-8")))
    assert utf8[0] == 0, utf8[2]
    assert utf8 != run(*round_)  # the map was applied: applicant and project swapped
    saved = save(tmp_path / "columns.toml", COLUMNS, encoding)
    assert run(*round_, "--columns", str(saved)) == utf8


@pytest.mark.parametrize("encoding", NOTEPAD)
def test_a_programme_file_saved_by_notepad(tmp_path: Path, encoding: str) -> None:
    save(tmp_path / "tilskudd.toml", PROGRAMME, encoding)
    code, out, err = run("status")
    assert code == 0, err
    assert out.startswith("Tilskudd til bærekraft i Trøndelag: ramme 200\u00a0000\u00a0kr.")


def test_a_workbook_given_for_a_policy_is_refused_naming_it(tmp_path: Path) -> None:
    code, out, err = run(
        "allocate",
        str(EXAMPLES / "small.xlsx"),
        "--budget",
        "5M",
        "--policy",
        str(EXAMPLES / "small.xlsx"),
        "--dry-run",
    )
    assert code == 2
    assert out == ""
    assert err == (
        f"error: {EXAMPLES / 'small.xlsx'}: not a text file; a policy file is TOML text, "
        "as Notepad saves it\n"
    )


@pytest.mark.parametrize("encoding", NOTEPAD)
def test_a_mistyped_option_is_said_in_the_language_of_a_notepad_policy(
    tmp_path: Path, encoding: str
) -> None:
    policy = save(tmp_path / "policy.toml", 'lang = "nb"\n' + POLICY, encoding)
    code, out, err = run(
        "allocate", str(EXAMPLES / "small.xlsx"), "--policy", str(policy), "--budjet", "5M"
    )
    assert code == 2
    assert out == ""
    assert err.startswith("feil: ukjent valg: --budjet; mente du --budget")
