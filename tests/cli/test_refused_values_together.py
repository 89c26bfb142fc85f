"""A value typer checks itself as it reads the command line (a choice: ``--register``,
``--format``; a range: ``--limit``; a whole number: ``--round``) is said with the command's other
problems in one run, in its language, with the usage line and the hint under them; and so are
``--commit`` without ``--round`` (or with ``--dry-run``) and a ``--lang`` that names no language.
Before, each was said alone, one run at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer._click import Command as ClickCommand
from typer.core import TyperGroup as ClickGroup
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.i18n import get

from .entrypoint import EXAMPLES

runner = CliRunner()
ROUND = str(EXAMPLES / "difi_2009_runde1.xlsx")


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no programme here or above
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    monkeypatch.delenv("TILSKUDD_DEBUG", raising=False)


def run(*args: str) -> tuple[int, str, list[str]]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr.splitlines()


def usage_lines(lang: str, command: str, arguments: str) -> list[str]:
    t = get(lang)
    options = t("cli.usage.options")
    return [
        f"  {t('cli.usage.label')}: tilskudd {command} {options}{arguments}",
        f"  {t('cli.hint_label')}: {t('cli.usage.help', command=f'tilskudd {command} -h')}",
    ]


def not_a_choice(lang: str, option: str, expected: list[str], given: str) -> str:
    return get(lang)("cli.usage.not_a_choice", option=option, expected=expected, given=given)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_allocate_says_a_wrong_register_with_a_wrong_setting(lang: str) -> None:
    # The brief's case: only --register was said, and --reserve x on the next run.
    code, out, lines = run(
        "allocate", ROUND, "--budget", "20M", "--register", "2010", "--reserve", "x", "--lang", lang
    )
    assert code == 2
    assert out == ""  # nothing read or printed
    assert lines[0].startswith(f"{get(lang)('cli.error_label')}: ")
    assert "--reserve" in lines[0]
    assert "x" in lines[0]  # (its quotes are the policy's)
    assert lines[1] == not_a_choice(lang, "--register", ["2009", "2020", "2024"], "2010")
    assert lines[2:] == usage_lines(lang, "allocate", " " + get(lang)("cli.usage.argument.file"))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_check_says_a_wrong_format_and_limit_with_the_missing_input_and_budget(lang: str) -> None:
    t = get(lang)
    code, out, lines = run(
        "check", "mangler.xlsx", "--format", "nope", "--limit", "-1", "--budget", "abc",
        "--lang", lang,
    )  # fmt: skip
    assert code == 2
    assert out == ""
    label = t("cli.error_label")
    assert lines[0] == f"{label}: {not_a_choice(lang, '--format', ['table', 'json'], 'nope')}"
    assert lines[1] == t("cli.usage.below_minimum", option="--limit", minimum=0, given="-1")
    assert lines[2] == t("read.error.not_found", file="mangler.xlsx")
    assert "--budget" in lines[3]
    assert ("«abc»" if lang == "nb" else "'abc'") in lines[3]
    assert lines[4:] == usage_lines(lang, "check", " " + t("cli.usage.argument.file"))


def test_a_refused_value_alone_is_said_as_before() -> None:
    code, out, lines = run("check", ROUND, "--limit", "-1")
    assert code == 2
    assert out == ""
    assert lines == [
        "error: --limit: expected at least 0 (given: '-1')",
        "  usage: tilskudd check [OPTIONS] FILE",
        "  hint: 'tilskudd check -h' shows the help",
    ]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_wrong_lang_is_said_first_with_the_rest_in_the_fallback_language(lang: str) -> None:
    # --lang xx was said alone; the rest is said in the language the command would have had
    # without it (TILSKUDD_LANG here).
    result = runner.invoke(
        app,
        ["check", "mangler.xlsx", "--lang", "xx", "--format", "nope"],
        env={"TILSKUDD_LANG": lang},
    )
    assert result.exit_code == 2
    t = get(lang)
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"{t('cli.error_label')}: {t('output.error.unknown_language_option', given='xx')}"
    )
    assert lines[1:3] == [
        not_a_choice(lang, "--format", ["table", "json"], "nope"),
        t("read.error.not_found", file="mangler.xlsx"),
    ]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_commit_without_round_is_said_with_the_other_options(lang: str) -> None:
    # --commit without --round was said alone, before the budget and the input file.
    t = get(lang)
    code, out, lines = run(
        "allocate", "mangler.xlsx", "--commit", "--budget", "abc", "--lang", lang
    )
    assert code == 2
    assert out == ""
    assert lines[0] == f"{t('cli.error_label')}: {t('ledger.error.commit_needs_round')}"
    assert "--budget" in lines[1]
    assert lines[2] == t("read.error.not_found", file="mangler.xlsx")
    assert len(lines) == 3


def test_a_round_not_a_number_is_not_said_to_be_missing() -> None:
    # --round x is said as what it is, not as "--commit needs --round"; --dry-run with --commit
    # is said with it.
    t = get("en")
    code, _, lines = run(
        "allocate", "mangler.xlsx", "-b", "1", "--commit", "--dry-run", "--round", "x"
    )
    assert code == 2
    assert lines[:3] == [
        f"error: {t('cli.usage.not_whole_number', option='--round', given='x')}",
        t("ledger.error.dry_run_commit"),
        t("read.error.not_found", file="mangler.xlsx"),
    ]
    assert t("ledger.error.commit_needs_round") not in lines


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_explain_says_a_wrong_register_format_and_round_together(lang: str) -> None:
    t = get(lang)
    code, out, lines = run(
        "explain", "mangler.xlsx", "A-1", "-b", "1M", "--register", "1999", "--format", "x",
        "--round", "2.5", "--lang", lang,
    )  # fmt: skip
    assert code == 2
    assert out == ""
    said = [line.removeprefix(f"{t('cli.error_label')}: ") for line in lines]
    assert not_a_choice(lang, "--register", ["2009", "2020", "2024"], "1999") in said
    assert not_a_choice(lang, "--format", ["table", "json"], "x") in said
    assert t("cli.usage.not_whole_number", option="--round", given="2.5") in said
    assert t("read.error.not_found", file="mangler.xlsx") in said


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(
    ("args", "refused"),
    [
        (["status", "--format", "x"], ("--format", "x")),
        (["history", "978805000", "--format", "x"], ("--format", "x")),
        (["verify", "--round", "x"], ("--round", "x")),
        (["withdraw", "A-1", "--reason", "r", "--round", "x"], ("--round", "x")),
    ],
)
def test_the_ledger_commands_say_a_refused_value_with_the_missing_programme(
    args: list[str], refused: tuple[str, str], lang: str
) -> None:
    t = get(lang)
    code, _, lines = run(*args, "--lang", lang)
    assert code == 2
    option, given = refused
    assert lines[0].startswith(f"{t('cli.error_label')}: {option}: ")
    assert (f"«{given}»" if lang == "nb" else f"'{given}'") in lines[0]
    assert lines[1] == t("ledger.cli.no_programme", folder=str(Path.cwd()))
    assert lines[2].startswith(f"  {t('cli.usage.label')}: tilskudd {args[0]} ")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_amend_says_its_round_programme_and_amount_together(lang: str) -> None:
    t = get(lang)
    code, _, lines = run(
        "amend", "A-1", "--amount", "x", "--reason", "r", "--round", "y", "--lang", lang
    )
    assert code == 2
    assert lines[0] == (
        f"{t('cli.error_label')}: {t('cli.usage.not_whole_number', option='--round', given='y')}"
    )
    assert lines[1] == t("ledger.cli.no_programme", folder=str(Path.cwd()))
    assert lines[2].startswith("--amount: ")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_init_says_its_frame_and_register_together(tmp_path: Path, lang: str) -> None:
    t = get(lang)
    code, _, lines = run("init", "ny", "--frame", "abc", "--register", "2010", "--lang", lang)
    assert code == 2
    assert "--frame" in lines[0]
    assert lines[1] == t("programme.error.unknown_register", given="2010")
    assert not (tmp_path / "ny").exists()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_missing_file_name_is_said_with_the_refused_values(lang: str) -> None:
    t = get(lang)
    code, _, lines = run("allocate", "--register", "2010", "--limit", "-2", "--lang", lang)
    assert code == 2
    assert lines[:3] == [
        f"{t('cli.error_label')}: "
        + t("cli.usage.missing_argument", name=t("cli.usage.argument.file")),
        not_a_choice(lang, "--register", ["2009", "2020", "2024"], "2010"),
        t("cli.usage.below_minimum", option="--limit", minimum=0, given="-2"),
    ]


def _typed_options() -> list[tuple[str, str, str]]:
    """(command, option, a value typer refuses) for every option of every command whose value
    typer checks itself: a choice, or a whole number."""
    found = []

    def walk(group: ClickGroup, path: list[str]) -> None:
        for name, command in group.commands.items():
            if isinstance(command, ClickGroup):
                walk(command, [*path, name])
                continue
            assert isinstance(command, ClickCommand)
            for param in command.params:
                descriptor = getattr(param, "type_descriptor", None)
                opts = getattr(param, "opts", [])
                if not opts or not opts[0].startswith("--") or descriptor is None:
                    continue
                if descriptor.is_choice:
                    found.append((" ".join([*path, name]), opts[0], "nope"))
                elif descriptor.annotation is int:
                    found.append((" ".join([*path, name]), opts[0], "x"))

    walk(typer.main.get_group(app), [])
    return found


TYPED = _typed_options()


def test_the_typed_options_are_found() -> None:
    options = {(command, option) for command, option, _ in TYPED}
    assert {("allocate", "--register"), ("check", "--format"), ("check", "--limit")} <= options
    assert {("allocate", "--round"), ("status", "--format"), ("verify", "--round")} <= options


BASE = {
    "allocate": ["allocate", "mangler.xlsx", "-b", "1"],
    "check": ["check", "mangler.xlsx"],
    "explain": ["explain", "mangler.xlsx", "A-1", "-b", "1"],
    "status": ["status"],
    "history": ["history", "1"],
    "amend": ["amend", "A-1", "--amount", "1", "--reason", "r"],
    "withdraw": ["withdraw", "A-1", "--reason", "r"],
    "verify": ["verify"],
}
"""Each command with a typed option, as typed with another problem: an input that is not
there, or no programme here."""


@pytest.mark.parametrize(("command", "option", "value"), TYPED)
def test_every_typed_option_is_said_with_another_problem(
    command: str, option: str, value: str
) -> None:
    # Each command says the refused value with what else is wrong, in one run, exit 2,
    # before it does anything.
    code, out, lines = run(*BASE[command], option, value)
    assert code == 2
    assert out == ""
    assert lines[0].startswith(f"error: {option}: ")
    assert f"'{value}'" in lines[0]
    assert len([line for line in lines if not line.startswith("  ")]) >= 2, lines
    assert lines[-2].startswith(f"  usage: tilskudd {command} ")


def test_a_command_that_does_not_say_a_refused_value_is_stopped_by_the_guard() -> None:
    # The guard's net: a command that runs without gathering its problems still ends with the
    # value refused, not with its default taken without a word.
    from tilskudd.cli.app import App
    from tilskudd.cli.common import guard

    little = App()

    @little.command()
    def count(n: int = 1) -> None:
        with guard():
            typer.echo(f"n={n}")

    @little.command()
    def other() -> None:  # a group, as tilskudd's
        pass

    result = runner.invoke(little, ["count", "--n", "x"])
    assert result.exit_code == 2
    assert "--n: expected a whole number (given: 'x')" in result.stderr


def test_a_refused_value_is_said_in_the_programmes_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In a programme folder the command's language is the programme's (nb by default), as a
    # usage error's was: the refused value too, with the other problems.
    assert run("init", ".", "--frame", "1M")[0] == 0
    code, _, lines = run("status", "--format", "x")
    assert code == 2
    assert lines == [
        "feil: --format: forventet table eller json (oppgitt: «x»)",
        *usage_lines("nb", "status", ""),
    ]
    code, _, lines = run("check", "mangler.xlsx", "--register", "2010")
    assert code == 2
    assert lines[:2] == [
        "feil: --register: forventet 2009, 2020 eller 2024 (oppgitt: «2010»)",
        "mangler.xlsx finnes ikke. Sjekk mappen og filnavnet.",
    ]


def test_debug_shows_the_error_with_its_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    # --debug raised the error with its cause dropped (`raise … from None` in the guard).
    from tilskudd.cli import common
    from tilskudd.errors import InputFileError

    def unreadable(file: Path) -> Path:
        raise InputFileError(key="read.error.not_found", file=str(file)) from ValueError("why")

    monkeypatch.setattr(common, "input_file", unreadable)
    result = runner.invoke(app, ["allocate", "x.xlsx", "-b", "1", "--debug"])
    assert isinstance(result.exception, InputFileError)
    assert isinstance(result.exception.__cause__, ValueError)
    result = runner.invoke(app, ["allocate", "x.xlsx", "-b", "1", "--limit", "-1", "--debug"])
    from tilskudd.errors import ProblemsTogetherError

    assert isinstance(result.exception, ProblemsTogetherError)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_an_unknown_rule_to_compare_is_said_with_the_other_problems(lang: str) -> None:
    # Said only once the file had been read, and then alone: a missing input (or an -o the
    # comparison cannot write) was said first, and the unknown rule on the next run.
    t = get(lang)
    code, out, lines = run(
        "allocate", "mangler.xlsx", "-b", "1M", "--compare", "ranked,nope", "--register", "1",
        "--lang", lang,
    )  # fmt: skip
    assert code == 2
    assert out == ""
    said = [line.removeprefix(f"{t('cli.error_label')}: ") for line in lines]
    assert not_a_choice(lang, "--register", ["2009", "2020", "2024"], "1") in said
    assert t("read.error.not_found", file="mangler.xlsx") in said
    available = ["lottery", "optimal", "proportional", "ranked"]
    assert t("output.error.compare_unknown", unknown=["nope"], available=available) in said
    code, out, lines = run(
        "allocate", ROUND, "--register", "2009", "-b", "1M", "--compare", "ranked", "--lang", lang
    )
    assert code == 2
    assert out == ""
    assert lines == [f"{t('cli.error_label')}: {t('output.error.compare_two')}"]
