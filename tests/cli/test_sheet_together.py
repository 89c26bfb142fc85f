"""A ``--sheet`` the workbook does not have is said with the command's other problems when they
stop the run before the file is read (a mistyped or missing --budget, a wrong setting), not on
the next run; a run that reads the file opens it once, and the reader says it there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tilskudd.cli import app
from tilskudd.i18n import get

from .refusals import refused_lines as said
from .refusals import runner

pytestmark = pytest.mark.usefixtures("in_empty_folder")

DIFI = str(Path(__file__).resolve().parents[2] / "examples" / "difi_2009_runde1.xlsx")


def no_sheet(lang: str, sheet: str = "Nope") -> str:
    t = get(lang)
    sheets = ["Søknader", "Veiledning"]
    return t("read.error.sheet_not_found", file=DIFI, sheet=sheet, sheets=sheets)


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(
    "command", [["allocate", DIFI], ["explain", DIFI, "2009-101"]], ids=["allocate", "explain"]
)
def test_a_missing_budget_a_wrong_setting_and_the_sheet_are_said_together(
    command: list[str], lang: str
) -> None:
    lines = said(*command, "--sheet", "Nope", "--reserve", "x", "--lang", lang)
    t = get(lang)
    assert "--reserve" in lines[0]
    assert t("output.error.budget_required") in lines
    assert lines[-1] == no_sheet(lang)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_explain_says_the_sheet_with_a_wrong_setting(lang: str) -> None:
    # explain stops on a wrong setting before it reads the file: the sheet was not said.
    lines = said(
        "explain",
        DIFI,
        "2009-101",
        "-b",
        "20M",
        "--sheet",
        "Nope",
        "--reserve",
        "x",
        "--lang",
        lang,
    )
    assert "--reserve" in lines[0]
    assert lines[1:] == [no_sheet(lang)]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_check_says_the_sheet_with_a_mistyped_budget(lang: str) -> None:
    lines = said("check", DIFI, "--budget", "xx", "--sheet", "Nope", "--lang", lang)
    assert lines[0].split(": ", 1)[1].startswith("--budget: ")
    assert lines[1:] == [no_sheet(lang)]


def test_a_sheet_number_beyond_the_last_is_said_with_the_rest() -> None:
    lines = said("check", DIFI, "--budget", "xx", "--sheet", "3")
    t = get("en")
    sheets = ["Søknader", "Veiledning"]
    assert lines[1:] == [t("read.error.sheet_index", file=DIFI, index=3, count=2, sheets=sheets)]


def test_a_wrong_sheet_alone_is_still_said_by_the_reader_with_exit_1() -> None:
    result = runner.invoke(app, ["check", DIFI, "--sheet", "Nope"])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"error: {no_sheet('en')}\n"


def test_a_run_that_reads_the_file_does_not_list_its_sheets_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tilskudd.reading.sheetlist as sheetlist

    def refuse(path: Path) -> None:
        raise AssertionError(f"{path} opened twice")

    monkeypatch.setattr(sheetlist, "sheet_names", refuse)
    result = runner.invoke(app, ["check", DIFI, "--sheet", "søknader", "--register", "2009"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["allocate", DIFI, "--sheet", "1", "-b", "20M", "--register", "2009", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
