"""Running the ``tilskudd`` entry point as a console runs it: ``main()`` with stdout and stderr
in a given encoding, as a pipe or as a terminal, at a given width. CliRunner cannot show this:
its streams are UTF-8 and never a terminal.

Used by tests/cli/test_plaintext.py, tests/cli/test_narrow_table.py and
tests/cli/test_programme_cli.py.
"""

from __future__ import annotations

import gc
import io
import sys
from pathlib import Path

import pytest

from tilskudd.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE_ROUND = (
    "allocate",
    str(EXAMPLES / "difi_2009_runde1.xlsx"),
    "--register",
    "2009",
    "--budget",
    "20000000",
    "--policy",
    str(EXAMPLES / "policy_difi2009.toml"),
    "--dry-run",
)
"""The bundled 2009 round as the README allocates it, as a dry run: the command line's words."""


class Terminal(io.TextIOWrapper):
    """A stream that says it is a terminal (a console window in its encoding)."""

    def isatty(self) -> bool:
        return True


def run_main(
    monkeypatch: pytest.MonkeyPatch,
    encoding: str,
    *args: str,
    columns: int = 200,
    terminal: bool = False,
) -> tuple[int | str | None, bytes, bytes]:
    """Run ``tilskudd *args`` with stdout and stderr in ``encoding`` (strict, as Python sets
    them up on Windows), stdout a terminal if ``terminal``; the exit code and the bytes
    written to each."""
    out, err = io.BytesIO(), io.BytesIO()
    stdout = Terminal if terminal else io.TextIOWrapper
    monkeypatch.setattr(sys, "stdout", stdout(out, encoding=encoding))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(err, encoding=encoding))
    monkeypatch.setattr(sys, "argv", ["tilskudd", *args])
    monkeypatch.setenv("COLUMNS", str(columns))
    try:
        with pytest.raises(SystemExit) as exit_:
            main()
    finally:
        gc.unfreeze()  # main() freezes what it made, as the process ends; this one goes on
    sys.stdout.flush()
    sys.stderr.flush()
    return exit_.value.code, out.getvalue(), err.getvalue()
