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
import errno
import re
import stat
from pathlib import Path

__all__ = ["NotAFileError", "decode_text", "not_a_file", "read_text"]

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


class NotAFileError(OSError):
    """A named pipe, device or socket where a file was expected; ``kind`` says which."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(errno.EINVAL, f"{_KINDS[kind]}, not a file", str(path))
        self.kind = kind


_KINDS = {"pipe": "a named pipe", "socket": "a socket", "device": "a device"}


def not_a_file(path: Path) -> str | None:
    """What ``path`` is when it exists and is neither a regular file nor a folder: ``pipe``,
    ``socket`` or ``device`` (None otherwise, and when it cannot be looked at).

    Such a path is refused before it is opened: opening a named pipe waits for a program to
    write to it (for good, when none does), a pipe cannot be read twice, and a device such as
    ``/dev/zero`` never ends.
    """
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None  # said by the opening, as it was
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


def read_text(path: Path | str) -> str:
    """The text of the settings file at ``path`` (see :func:`decode_text`); a named pipe or a
    device raises :class:`NotAFileError` (:func:`not_a_file`)."""
    path = Path(path)
    kind = not_a_file(path)
    if kind is not None:
        raise NotAFileError(path, kind)
    return decode_text(path.read_bytes())
