"""The command line: a thin user of the library (see :mod:`tilskudd.pipeline`).

Each command lives in its own module and registers on :data:`tilskudd.cli.app.app`; errors are
turned into messages and exit codes in one place (:func:`tilskudd.cli.common.guard`).
"""

from __future__ import annotations

from tilskudd.cli import allocate, check, explain, programme  # noqa: F401  (registers commands)
from tilskudd.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``tilskudd`` command."""
    app(prog_name="tilskudd")
