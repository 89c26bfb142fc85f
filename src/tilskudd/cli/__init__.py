"""The command line: a thin user of the library (see :mod:`tilskudd.pipeline`).

Each command lives in its own module and registers on :data:`tilskudd.cli.app.app`; errors are
turned into messages and exit codes in one place (:func:`tilskudd.cli.common.guard`).
"""

from __future__ import annotations

import gc
import os
import sys

from tilskudd.cli import allocate, check, explain, programme  # noqa: F401  (registers commands)
from tilskudd.cli.app import app
from tilskudd.cli.common import keeping, reader_left, stream_closed
from tilskudd.cli.plaintext import write_all_plainly

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``tilskudd`` command.

    When the command is done the process ends: everything it made is frozen out of the cycle
    collector's sight first, so that the collection Python runs on its way out does not walk
    it all (a round of 100 000 applications is about two million objects; 0.4 s). What the
    command kept (:func:`~tilskudd.cli.common.keep_to_the_end`) is not freed at all: the
    operating system takes the process's memory back at once.
    """
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            # Started with the stream closed (`tilskudd check søknader.xlsx >&-`): Python has
            # none to write to, so the words go nowhere and the command still does its work.
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    write_all_plainly()  # a Windows code page lacks – and …: written as - and ..., never a crash
    code: int | str | None = 0
    try:
        with keeping():
            app(prog_name="tilskudd")
    except SystemExit as exc:
        code = exc.code
    finally:
        gc.freeze()
    try:
        sys.stdout.flush()  # now, where a closed pipe can be caught, not on the way out
    except BrokenPipeError:
        stream_closed()
    if reader_left() and code in (0, None):
        # The reader closed the pipe before the end (`| head -1`): the run was done in full,
        # without a word, and says so by the status Python's documentation gives for it.
        code = 1
    sys.exit(code)
