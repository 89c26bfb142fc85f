"""The command line at its edges: what an officer types by mistake, and how the run ends.

Each test is a defect found by trying the CLI: run through CliRunner (or a real process where
the operating system is part of it, as a closed pipe), checking what is said and what is left
on disk.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SMALL = EXAMPLES / "small.xlsx"

runner = CliRunner()


def invoke(*args: object) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


# --- -o naming a folder ----------------------------------------------------------------------


@pytest.mark.parametrize("extra", [[], ["--format", "xlsx"], ["--dry-run"]])
def test_an_output_name_ending_in_a_slash_is_a_folder_not_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    # `-o out/` lost its slash to Path("out/"): without --format it was refused as a file
    # whose format could not be told, and with --format a file named "out" was written.
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("allocate", SMALL, "-b", "5M", "-o", "out/", *extra)
    assert code == 2
    assert out == ""
    assert err == (
        "error: out/ names a folder (it ends with /); give a file name, such as out/awards.xlsx\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_folder_name_is_refused_in_the_language_with_a_name_in_the_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ut").mkdir()
    code, _, err = invoke(
        "allocate", SMALL, "-b", "5M", "-o", "ut/", "--format", "csv", "--lang", "nb"
    )
    assert code == 2
    assert err == (
        "feil: ut/ er navnet på en mappe (det slutter med /); oppgi et filnavn, "
        "for eksempel ut/tildeling.csv\n"
    )
    assert list((tmp_path / "ut").iterdir()) == []


def test_ledger_export_to_a_folder_name_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("ledger", "export", "out/", "--ledger", tmp_path / "none.sqlite")
    assert code == 2
    assert err.startswith("error: out/ names a folder (it ends with /); give a file name")
    assert list(tmp_path.iterdir()) == []


# --- every option checked before the run -----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "t.csv", "--csv-dialect", "foo"], "unknown CSV dialect 'foo'; choose excel"),
        (["--csv-dialect", "semicolon"], "unknown CSV dialect 'semicolon'"),
        (
            ["-o", "g.pdf", "--format", "360giving", "--funder", "Difi"],
            "360Giving is written as .xlsx or .csv; 'g.pdf' has neither extension",
        ),
        (["-o", "g.xlsx", "--format", "360giving"], "360Giving needs the funder's name"),
        (["-o", "t.xlsx", "--format", "exel", "--dry-run"], "unknown output format 'exel'"),
        (["-o", "t.xlsx", "--rule", "lottery", "--csv-dialect", "x"], "unknown CSV dialect 'x'"),
    ],
)
def test_an_option_the_export_would_refuse_is_refused_before_anything_is_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    # These were refused only after the award table (and a drawn lottery seed) had been
    # printed, so that a typo looked like a finished run with a complaint under it.
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("allocate", SMALL, "-b", "5M", *args)
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {message}")
    assert list(tmp_path.iterdir()) == []


def test_a_dry_run_rehearses_an_output_that_exists_without_complaint(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"keep")
    code, out, err = invoke("allocate", SMALL, "-b", "5M", "-o", target, "--dry-run")
    assert code == 0, err
    assert "Dry run: nothing was written." in out
    assert target.read_bytes() == b"keep"
