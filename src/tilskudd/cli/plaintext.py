"""Output that never fails on its encoding: stdout and stderr write what their encoding cannot
hold as its nearest plain equivalent.

A Windows console redirected to a file writes the ANSI code page (cp1252), an older console or
a redirected one may write the OEM code page (cp850, or cp865 in the Nordic countries), and
``PYTHONIOENCODING=ascii`` exists: none of them has every character tilskudd prints (– · … « »
narrow spaces × ÷). Python's default there is to raise UnicodeEncodeError in the middle of a
table, and then again while printing the error. Instead, each character the stream cannot hold
is written as the nearest one it can (– as -, … as ..., ø as oe), else as ``?``; characters it
can hold (æøå in all three code pages) are written as they are.

What rich lays out is made plain before it is measured (:mod:`tilskudd.render.plain`), so that
a table's columns stay in line; this handler is for what is written past it.
"""

from __future__ import annotations

import codecs
import sys
from typing import IO

from tilskudd.render.plain import plain_equivalent

__all__ = ["plain_equivalent", "write_all_plainly", "write_plainly"]


def _handler(encoding: str) -> str:
    """The name of the codec error handler that writes plainly in ``encoding``."""
    name = f"tilskudd.plain.{encoding}"
    try:
        codecs.lookup_error(name)
    except LookupError:

        def plainly(error: UnicodeError) -> tuple[str, int]:
            if not isinstance(error, UnicodeEncodeError):
                raise error
            text = error.object[error.start : error.end]
            return "".join(plain_equivalent(c, encoding) for c in text), error.end

        codecs.register_error(name, plainly)
    return name


def write_plainly(stream: IO[str] | None) -> None:
    """Make ``stream`` (sys.stdout or sys.stderr) write what its encoding cannot hold plainly
    rather than fail; a stream that cannot be told so is left as it is."""
    reconfigure = getattr(stream, "reconfigure", None)
    encoding = getattr(stream, "encoding", None)
    if reconfigure is None or not isinstance(encoding, str):
        return
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return
    try:
        reconfigure(errors=_handler(name))
    except (ValueError, OSError):  # closed, or not a text wrapper after all
        return


def write_all_plainly() -> None:
    """:func:`write_plainly` for sys.stdout and sys.stderr."""
    write_plainly(sys.stdout)
    write_plainly(sys.stderr)
