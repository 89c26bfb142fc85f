"""Output that never fails on its encoding: stdout and stderr write what their encoding cannot
hold as its nearest plain equivalent.

A Windows console redirected to a file writes the ANSI code page (cp1252), an older console or
a redirected one may write the OEM code page (cp850, or cp865 in the Nordic countries), and
``PYTHONIOENCODING=ascii`` exists: none of them has every character tilskudd prints (– · … « »
narrow spaces × ÷). Python's default there is to raise UnicodeEncodeError in the middle of a
table, and then again while printing the error. Instead, each character the stream cannot hold
is written as the nearest one it can (– as -, … as ..., ø as oe), else as ``?``; characters it
can hold (æøå in all three code pages) are written as they are.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata
from typing import IO

__all__ = ["plain_equivalent", "write_all_plainly", "write_plainly"]

_NEAREST: dict[str, tuple[str, ...]] = {
    **dict.fromkeys("–—‒―−‐‑", ("-",)),
    **dict.fromkeys("\u00a0\u202f\u2009\u2007\u2002\u2003\u2004\u2005\u2006\u2008\u200a", (" ",)),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", ("",)),
    "·": ("|",),
    "•": ("·", "*"),
    "…": ("...",),
    "«": ('"',),
    "»": ('"',),
    "“": ('"',),
    "”": ('"',),
    "„": ('"',),
    "‘": ("'",),
    "’": ("'",),
    "‚": (",",),
    "×": ("x",),
    "÷": ("/",),
    "≤": ("<=",),
    "≥": (">=",),
    "≠": ("!=",),
    "→": ("->",),
    "←": ("<-",),
    "✓": ("√", "v"),
    "✔": ("√", "v"),
    "✗": ("x",),
    "✘": ("x",),
    "Σ": ("Sum",),
    "€": ("EUR",),
    "£": ("GBP",),
    "µ": ("u",),
    "æ": ("ae",),
    "Æ": ("AE",),
    "ø": ("oe",),
    "Ø": ("OE",),
    "å": ("aa",),
    "Å": ("AA",),
    "ß": ("ss",),
}


def plain_equivalent(char: str, encoding: str) -> str:
    """``char`` as the nearest text ``encoding`` can hold: a stated equivalent, else the letter
    without its accents (é as e), else ``?``."""
    candidates = [*_NEAREST.get(char, ())]
    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if bare and bare != char:
        candidates.append(bare)
    for candidate in candidates:
        try:
            candidate.encode(encoding)
        except UnicodeError:
            continue
        # The UTF-8 encoder takes only ASCII from an error handler (it meets only surrogates).
        if candidate.isascii() or not encoding.startswith("utf"):
            return candidate
    return "?"


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
