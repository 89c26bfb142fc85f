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
