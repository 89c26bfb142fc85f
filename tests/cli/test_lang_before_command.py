"""``tilskudd --lang nb allocate …``: --lang typed before the command is the command's language,
unless the command is given its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app

SMALL = str(Path(__file__).resolve().parents[2] / "examples" / "small.xlsx")

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_programme_or_language(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)


def allocate(before: list[str], after: list[str], *, env: dict[str, str] | None = None) -> str:
    args = [*before, "allocate", SMALL, "--budget", "1M", "--dry-run", *after]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[-1]


NB = "Prøvekjøring: ingenting ble skrevet."
EN = "Dry run: nothing was written."


def test_lang_before_the_command_is_its_language() -> None:
    assert allocate(["--lang", "nb"], []) == NB
    assert allocate(["--lang=nb"], []) == NB
    assert allocate([], ["--lang", "nb"]) == NB  # after it, as before


def test_the_commands_own_lang_wins() -> None:
    assert allocate(["--lang", "nb"], ["--lang", "en"]) == EN
    assert allocate(["--lang", "en"], ["--lang", "nb"]) == NB


def test_lang_before_the_command_wins_over_the_environment_and_lasts_one_run() -> None:
    assert allocate(["--lang", "en"], [], env={"TILSKUDD_LANG": "nb"}) == EN
    assert allocate([], [], env={"TILSKUDD_LANG": "nb"}) == NB
    assert allocate([], []) == EN  # not the last run's


def test_an_error_is_said_in_the_language_before_the_command() -> None:
    result = runner.invoke(
        app, ["--lang", "nb", "allocate", SMALL, "--budget", "1M", "--max-award", "-5"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("feil: kommandolinjen: --max-award: ")
    result = runner.invoke(app, ["--lang", "nb", "allocate", SMALL, "--budjet", "1M"])
    assert result.exit_code == 2
    assert result.stderr.startswith("feil: ukjent valg: --budjet")


def test_a_language_before_the_command_that_is_not_one_is_said() -> None:
    result = runner.invoke(app, ["--lang", "xx", "allocate", SMALL, "--budget", "1M"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --lang xx: not a language tilskudd speaks")


def test_lang_before_init_is_the_language_of_its_files_and_words(tmp_path: Path) -> None:
    """init's --lang defaults to nb: 'tilskudd --lang en init' wrote a Norwegian programme and
    said so in Norwegian (and its refusals too), as if no --lang had been typed."""
    result = runner.invoke(app, ["--lang", "en", "init", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Created ")
    assert 'lang = "en"' in (tmp_path / "en" / "tilskudd.toml").read_text(encoding="utf-8")
    refused = runner.invoke(app, ["--lang", "en", "init", "x", "--frame", "abc"])
    assert refused.exit_code == 2
    assert refused.stderr.startswith("error: --frame: 'abc' is not an amount")
    # Its own --lang wins; without either, the files are in bokmål as before.
    own = runner.invoke(app, ["--lang", "en", "init", "nb", "--lang", "nb"])
    assert own.stdout.startswith("Opprettet ")
    plain = runner.invoke(app, ["init", "standard"])
    assert 'lang = "nb"' in (tmp_path / "standard" / "tilskudd.toml").read_text(encoding="utf-8")
    assert plain.stdout.startswith("Opprettet ")


def test_init_without_lang_speaks_the_language_of_the_environment(tmp_path: Path) -> None:
    """TILSKUDD_LANG=en, which every other command follows, made `tilskudd init` write a
    Norwegian programme and template and say so in Norwegian: an officer working in English
    set it and got søknadsmal.xlsx and a programme with lang = "nb"."""
    result = runner.invoke(app, ["init", "grants"], env={"TILSKUDD_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Created grants/tilskudd.toml and grants/applications.xlsx.")
    assert 'lang = "en"' in (tmp_path / "grants" / "tilskudd.toml").read_text(encoding="utf-8")
    refused = runner.invoke(app, ["init", "x", "--frame", "abc"], env={"TILSKUDD_LANG": "en"})
    assert refused.stderr.startswith("error: --frame: 'abc' is not an amount")
    # --lang still wins, and without either the programme is in bokmål.
    own = runner.invoke(app, ["init", "ny", "--lang", "nb"], env={"TILSKUDD_LANG": "en"})
    assert own.stdout.startswith("Opprettet ny/tilskudd.toml og ny/søknadsmal.xlsx.")
    nb = runner.invoke(app, ["init", "ordning"], env={"TILSKUDD_LANG": "nb"})
    assert 'lang = "nb"' in (tmp_path / "ordning" / "tilskudd.toml").read_text(encoding="utf-8")
    assert nb.stdout.startswith("Opprettet ")


LANG_XX = "--lang xx: not a language tilskudd speaks; use nb (Norwegian bokmål) or en (English)"
ENV_XX = (
    "TILSKUDD_LANG is set to 'xx', which is not a language tilskudd speaks; set it to nb or en, "
    "or give --lang"
)


@pytest.mark.parametrize(
    ("args", "then"),
    [
        (["--lang", "xx"], "missing command"),
        (["--lang=xx"], "missing command"),
        (["--lang", "xx", "check"], "missing argument FILE"),
        (["check", "--lang", "xx"], "missing argument FILE"),
        (
            ["--lang", "nb", "--lang", "xx", "nosuch"],
            "option --lang is given more than once: 'nb' and 'xx'; give it once",
        ),
        (["ledger", "--lang", "xx", "status"], None),
    ],
)
def test_a_language_that_is_not_one_is_said_before_the_mistake_it_came_with(
    args: list[str], then: str | None
) -> None:
    # 'tilskudd --lang xx' said "missing command": put right, the run then refused xx.
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {LANG_XX}"
    if then is not None:
        assert lines[1] == then


def test_a_language_of_the_environment_that_is_not_one_is_said_with_the_mistake() -> None:
    result = runner.invoke(app, ["check"], env={"TILSKUDD_LANG": "xx"})
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [f"error: {ENV_XX}", "missing argument FILE"]
    # Not when --lang is given: it is the language used.
    result = runner.invoke(app, ["check", "--lang", "nb"], env={"TILSKUDD_LANG": "xx"})
    assert result.stderr.splitlines()[0] == "feil: mangler argumentet FIL"


def test_lang_alone_or_before_an_unknown_command_is_said_in_that_language() -> None:
    assert runner.invoke(app, ["--lang", "en"]).stderr.startswith("error: missing command\n")
    nb = runner.invoke(app, ["--lang", "nb", "alocate"])
    assert nb.exit_code == 2
    assert nb.stderr.startswith("feil: ukjent kommando: «alocate»; mente du allocate?\n")


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        (["--lang", "xx", "--help"], {}, LANG_XX),
        (["check", "--lang", "xx", "--help"], {}, LANG_XX),
        (["ledger", "--lang", "xx", "--help"], {}, LANG_XX),
        (["--help"], {"TILSKUDD_LANG": "xx"}, ENV_XX),
        ([], {"TILSKUDD_LANG": "xx"}, ENV_XX),
    ],
)
def test_a_help_asked_in_a_language_that_is_not_one_says_so_under_it(
    args: list[str], env: dict[str, str], said: str
) -> None:
    # The help was shown in English with exit code 0, and xx went unsaid.
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 2
    assert "Usage: tilskudd" in result.stdout
    assert result.stderr == f"error: {said}\n"


def test_a_help_in_a_language_is_shown_as_before() -> None:
    result = runner.invoke(app, ["--lang", "nb", "--help"])
    assert result.exit_code == 0
    assert "Bruk: tilskudd" in result.stdout
    assert result.stderr == ""


def test_lang_without_its_value_says_the_two_it_may_be() -> None:
    # 'option --lang needs a value after it' left the officer to find which values there are.
    bare = runner.invoke(app, ["--lang"])
    assert bare.exit_code == 2
    assert bare.stderr.startswith(
        "error: option --lang needs a value after it: nb (Norwegian bokmål) or en (English)\n"
    )
    nb = runner.invoke(app, ["check", "søknader.xlsx", "--lang"], env={"TILSKUDD_LANG": "nb"})
    assert nb.exit_code == 2
    assert nb.stderr.startswith(
        "feil: valget --lang må ha en verdi etter seg: nb (norsk bokmål) eller en (engelsk)\n"
    )
