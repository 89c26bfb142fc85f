"""Every problem of a command line's options in one run, with the exit code they call for,
through the real entry point: an unreadable ``--budget`` with the output options and the
policy, a missing ``--columns`` map with a missing input, and the same gathering in ``check``,
``explain`` and ``ledger export`` (see tests/cli/test_problems_together.py for allocate's
output options)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tilskudd.i18n import get

from .entrypoint import EXAMPLES, run_main

SMALL = str(EXAMPLES / "small.xlsx")

BUDGET_ABC = {
    "en": "--budget: 'abc' is not an amount; expected whole kroner, such as 3 300 000, "
    "kr 3.300.000,- or 3,3 mill.",
    "nb": "--budget: «abc» er ikke et beløp; forventet hele kroner, for eksempel 3 300 000, "
    "kr 3.300.000,- eller 3,3 mill.",
}
"""What an unreadable --budget has always been answered with (kept word for word)."""


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    monkeypatch.delenv("TILSKUDD_DEBUG", raising=False)


def run(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int | str | None, str, list[str]]:
    """``tilskudd *args``: the exit code, stdout, and stderr's lines."""
    code, out, err = run_main(monkeypatch, "utf-8", *args)
    text = err.decode("utf-8")
    assert "Traceback" not in text
    return code, out.decode("utf-8"), text.splitlines()


# --- 1. an unreadable --budget, with the other problems of the run ----------------------------


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_an_unreadable_budget_is_said_with_the_output_options(
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    t = get(lang)
    code, out, lines = run(
        monkeypatch,
        "allocate",
        SMALL,
        "--budget",
        "abc",
        "-o",
        "x.foo",
        "--format",
        "nope",
        "--lang",
        lang,
    )
    assert code == 2
    assert out == ""
    assert lines[0] == f"{t('cli.error_label')}: {BUDGET_ABC[lang]}"
    assert any(("«nope»" if lang == "nb" else "'nope'") in line for line in lines[1:]), lines


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_an_unreadable_budget_is_said_with_wrong_settings_and_a_missing_input(
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    t = get(lang)
    code, _, lines = run(
        monkeypatch,
        "allocate",
        "mangler.xlsx",
        "--budget",
        "abc",
        "--max-award",
        "xyz",
        "--lang",
        lang,
    )
    assert code == 2
    assert "--max-award" in lines[0]
    assert ("«xyz»" if lang == "nb" else "'xyz'") in lines[0]
    assert BUDGET_ABC[lang] in lines
    assert t("read.error.not_found", file="mangler.xlsx") in lines


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_reserve_and_seed_not_whole_numbers_are_said_with_the_rest(
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    # Refused by typer's parser before anything else was looked at, alone, with the usage line.
    t = get(lang)
    code, out, lines = run(
        monkeypatch, "allocate", "mangler.xlsx", "-b", "1M", "--reserve", "abc", "--seed", "x",
        "--lang", lang,
    )  # fmt: skip
    assert code == 2
    assert out == ""
    assert len(lines) == 3
    assert lines[0].startswith(f"{t('cli.error_label')}: ")
    assert "--reserve" in lines[0]
    # The values typed, quoted the way of the language.
    assert t("words.quoted", text="abc") in lines[0]
    assert "--seed" in lines[1]
    assert t("words.quoted", text="x") in lines[1]
    assert lines[2] == t("read.error.not_found", file="mangler.xlsx")


def test_an_unreadable_budget_alone_is_said_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, lines = run(monkeypatch, "allocate", SMALL, "--budget", "abc")
    assert code == 2
    assert out == ""
    assert lines == [f"error: {BUDGET_ABC['en']}"]


def test_a_missing_budget_is_said_with_a_missing_input(monkeypatch: pytest.MonkeyPatch) -> None:
    t = get("en")
    code, _, lines = run(monkeypatch, "allocate", "mangler.xlsx")
    assert code == 2
    assert lines == [
        f"error: {t('output.error.budget_required')}",
        t("read.error.not_found", file="mangler.xlsx"),
    ]


def test_debug_still_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from tilskudd.errors import UsageError

    with pytest.raises(UsageError):
        run_main(monkeypatch, "utf-8", "allocate", SMALL, "--budget", "abc", "--debug")


# --- 2. a missing --columns map, with a missing input ----------------------------------------


@pytest.mark.parametrize("command", [["allocate", "--budget", "1000"], ["check"]])
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_missing_column_map_is_said_with_a_missing_input(
    monkeypatch: pytest.MonkeyPatch, lang: str, command: list[str]
) -> None:
    t = get(lang)
    name, *options = command
    code, _, lines = run(
        monkeypatch, name, "mangler.xlsx", *options, "--columns", "kart.toml", "--lang", lang
    )
    assert code == 2  # the map is a usage problem, the input an input one: usage
    assert lines == [
        f"{t('cli.error_label')}: {t('read.error.not_found', file='mangler.xlsx')}",
        t("read.error.map_not_found", file="kart.toml"),
    ]


# --- 3. the exit code of problems said together ---------------------------------------------


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_input_problems_together_exit_with_the_input_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str
) -> None:
    # A programme file that cannot be read and a missing input: both invalid input (1), as
    # each alone; before, said together they were a usage error (2).
    (tmp_path / "tilskudd.toml").write_text("[programme\n", encoding="utf-8")
    code, _, lines = run(monkeypatch, "check", "mangler.xlsx", "--lang", lang)
    assert code == 1
    assert len(lines) == 2
    assert "tilskudd.toml" in lines[0]
    assert lines[1] == get(lang)("read.error.not_found", file="mangler.xlsx")
    code, _, lines = run(monkeypatch, "check", "mangler.xlsx", "--budget", "abc", "--lang", lang)
    assert code == 2  # with a usage problem among them: usage
    assert lines[2] == BUDGET_ABC[lang]


def test_problems_gathered_raise_the_code_they_share_else_usage() -> None:
    from tilskudd.cli.common import Problems
    from tilskudd.errors import ExitCode, InputFileError, TilskuddError, UsageError

    def raised(*errors: TilskuddError) -> TilskuddError:
        problems = Problems()
        for error in errors:
            with problems.gather():
                raise error
        with pytest.raises(TilskuddError) as caught:
            problems.raise_any()
        return caught.value

    missing = InputFileError(key="read.error.not_found", file="a.xlsx")
    assert raised(missing) is missing  # one problem: as it was
    both = raised(missing, InputFileError(key="read.error.not_found", file="b.xlsx"))
    assert both.exit_code == ExitCode.INVALID_INPUT
    assert both.text("nb").splitlines() == [
        get("nb")("read.error.not_found", file="a.xlsx"),
        get("nb")("read.error.not_found", file="b.xlsx"),
    ]
    mixed = raised(missing, UsageError(key="output.error.budget_required"))
    assert mixed.exit_code == ExitCode.USAGE


# --- 4. check, explain and ledger export ------------------------------------------------------


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_check_says_a_missing_input_map_and_budget_together(
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    t = get(lang)
    code, out, lines = run(
        monkeypatch,
        "check",
        "mangler.xlsx",
        "--columns",
        "kart.toml",
        "--budget",
        "abc",
        "--lang",
        lang,
    )
    assert code == 2
    assert out == ""
    assert lines == [
        f"{t('cli.error_label')}: {t('read.error.not_found', file='mangler.xlsx')}",
        t("read.error.map_not_found", file="kart.toml"),
        BUDGET_ABC[lang],
    ]


def test_check_with_a_bad_budget_alone_is_said_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, lines = run(monkeypatch, "check", SMALL, "--budget", "abc")
    assert code == 2
    assert out == ""
    assert lines == [f"error: {BUDGET_ABC['en']}"]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_explain_says_every_problem_of_its_options_together(
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    t = get(lang)
    code, out, lines = run(
        monkeypatch,
        "explain",
        "mangler.xlsx",
        "A-1",
        "--budget",
        "abc",
        "--max-award",
        "xyz",
        "--columns",
        "kart.toml",
        "--lang",
        lang,
    )
    assert code == 2
    assert out == ""
    assert "--max-award" in lines[0]
    assert ("«xyz»" if lang == "nb" else "'xyz'") in lines[0]
    assert lines[1:] == [
        BUDGET_ABC[lang],
        t("read.error.not_found", file="mangler.xlsx"),
        t("read.error.map_not_found", file="kart.toml"),
    ]


def test_explain_says_a_wrong_setting_alone_before_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, lines = run(monkeypatch, "explain", SMALL, "S-01", "-b", "5M", "--rule", "nope")
    assert code == 2
    assert out == ""
    assert len(lines) == 1
    assert "--rule" in lines[0]
    assert "'nope'" in lines[0]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_ledger_export_says_the_output_and_the_ledger_together(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str
) -> None:
    t = get(lang)
    (tmp_path / "ut.xlsx").write_bytes(b"there")
    code, _, lines = run(monkeypatch, "ledger", "export", "ut.xlsx", "--lang", lang)
    assert code == 2
    assert lines[0].startswith(f"{t('cli.error_label')}: ")
    assert "tilskudd.toml" in lines[0]
    assert lines[1:] == [t("output.error.exists", path="ut.xlsx")]
    ledger = tmp_path / "mangler.sqlite"
    code, _, lines = run(
        monkeypatch, "ledger", "export", "ut.txt", "--ledger", str(ledger), "--lang", lang
    )
    assert code == 2
    assert lines == [
        f"{t('cli.error_label')}: {t('ledger.error.export_format', name='ut.txt')}",
        t("ledger.error.no_ledger", path=str(ledger)),
    ]


def test_ledger_export_without_a_ledger_alone_is_said_as_before(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ledger = tmp_path / "mangler.sqlite"
    code, _, lines = run(monkeypatch, "ledger", "export", "ut.xlsx", "--ledger", str(ledger))
    assert code == 1
    assert lines == [f"error: {get('en')('ledger.error.no_ledger', path=str(ledger))}"]
    assert not (tmp_path / "ut.xlsx").exists()


# --- 5. the reading's messages begin as the others do -----------------------------------------


@pytest.mark.parametrize(
    ("lang", "start"), [("nb", "feil: kolonnekartet kart.toml "), ("en", "error: the column map ")]
)
def test_a_column_map_message_begins_in_lower_case(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str, start: str
) -> None:
    code, _, lines = run(monkeypatch, "check", SMALL, "--columns", "kart.toml", "--lang", lang)
    assert code == 2
    assert lines[0].startswith(start)
    (tmp_path / "kart.toml").write_text("[columns\n", encoding="utf-8")
    code, _, lines = run(monkeypatch, "check", SMALL, "--columns", "kart.toml", "--lang", lang)
    assert code == 2
    assert lines[0].startswith(start)


@pytest.mark.parametrize(
    ("lang", "start"),
    [("nb", "feil: ingen synlige ark i r.xlsx "), ("en", "error: no visible sheet in r.xlsx ")],
)
def test_no_header_in_any_sheet_begins_in_lower_case(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str, start: str
) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Ark1"
    first["A2"], first["B2"] = "Navn", "Beløp"
    book.create_sheet("Ark2")["A1"] = "x"
    book.save(tmp_path / "r.xlsx")
    code, _, lines = run(monkeypatch, "check", "r.xlsx", "--lang", lang)
    assert code == 1
    assert lines[0].startswith(start), lines[0]
