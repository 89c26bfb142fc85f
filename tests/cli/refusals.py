"""What a refused command prints, for the tests of problems said together in one run
(tests/cli/test_*_together.py): a run refused with its exit code, nothing on stdout, no
traceback, its problems on stderr.

The tests run in an empty folder (``in_empty_folder``, tests/cli/conftest.py): no programme
there or above, and no language or debug setting from the environment.
"""

from __future__ import annotations

from typer.testing import CliRunner

from tilskudd.cli import app

__all__ = ["not_an_amount", "problems_said", "refused_lines"]

runner = CliRunner()


def refused_lines(*args: str, code: int = 2) -> list[str]:
    """The lines on stderr of ``tilskudd ARGS``, which must be refused with ``code``."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()


def problems_said(*args: str, code: int = 2) -> list[str]:
    """:func:`refused_lines`, the label ("error:" / "feil:") taken off the first."""
    lines = refused_lines(*args, code=code)
    label, _, first = lines[0].partition(": ")
    assert label in ("error", "feil")
    return [first, *lines[1:]]


def not_an_amount(lang: str, option: str, given: str) -> str:
    """The start of what is said of ``option`` given ``given``, which is not an amount."""
    quote = f"«{given}»" if lang == "nb" else f"'{given}'"
    problem = "er ikke et beløp" if lang == "nb" else "is not an amount"
    return f"{option}: {quote} {problem}"
