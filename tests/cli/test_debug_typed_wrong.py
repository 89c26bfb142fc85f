"""``--debug`` shows the traceback of what went wrong inside tilskudd, not of a command typed
wrong: a missing FILE, an unknown option, a value typer refused are said with ``--debug`` (or
``TILSKUDD_DEBUG``) exactly as without it, usage line and all, exit code 2. Before, a missing
FILE under ``--debug`` was a traceback of where the command's problems were raised together,
though without ``--debug`` it was a usage message."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.errors import ProblemsTogetherError

pytestmark = pytest.mark.usefixtures("in_empty_folder")

runner = CliRunner()

TYPED_WRONG = [
    ["check"],
    ["allocate"],  # with --budget left out, which allocate says itself
    ["allocate", "--zzz", "-b", "1"],
    ["check", "--limit", "-1"],
]


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("args", TYPED_WRONG, ids=" ".join)
def test_a_command_typed_wrong_is_said_as_without_debug(args: list[str], lang: str) -> None:
    plain = runner.invoke(app, [*args, "--lang", lang])
    assert plain.exit_code == 2
    debug = runner.invoke(app, [*args, "--lang", lang, "--debug"])
    assert isinstance(debug.exception, SystemExit), debug.exception
    assert debug.exit_code == 2
    assert debug.stderr == plain.stderr
    assert debug.stderr.splitlines()[-2].lstrip().startswith(("usage:", "bruk:"))


def test_tilskudd_debug_in_the_environment_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TILSKUDD_DEBUG", "1")
    result = runner.invoke(app, ["check", "--debug"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: missing argument FILE\n")


def test_a_file_not_there_with_it_still_shows_the_traceback() -> None:
    # The file is looked for by tilskudd: its error is one --debug shows where it came from.
    result = runner.invoke(app, ["check", "mangler.xlsx", "--zzz", "--debug"])
    assert isinstance(result.exception, ProblemsTogetherError)
    assert result.exit_code == 1
