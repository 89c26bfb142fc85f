"""Reading a settings file (policy, column map, programme) as saved by Windows Notepad.

TOML is UTF-8, but Notepad saves what the officer chooses: UTF-8 with a byte-order mark (its
"UTF-8 with BOM"), UTF-16 with one (its "Unicode" and "Unicode big endian"), or Windows-1252
(its "ANSI", the default before Windows 10 1903). All are read: the byte-order mark says which
UTF it is, and text that is not UTF-8 is Windows-1252 when it reads as text in it (no control
characters; æ, ø and å are 0xE6, 0xF8 and 0xE5 there). Anything else (a spreadsheet given for a
policy) raises :class:`UnicodeDecodeError`, as reading it as UTF-8 did.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

__all__ = ["decode_text", "read_text"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16's: it begins with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_text(data: bytes) -> str:
    """The text of a settings file's bytes, its line ends made ``\\n`` (as ``open`` makes them)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding)
            break
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as not_utf8:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise not_utf8 from None
            if _CONTROL.search(text):
                raise not_utf8 from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path | str) -> str:
    """The text of the settings file at ``path`` (see :func:`decode_text`)."""
    return decode_text(Path(path).read_bytes())
