"""Text in the repertoire of the stream it is written to: each character an encoding cannot
hold as its nearest plain equivalent (– as -, … as ..., ø as oe), else as ``?``.

Done before rich lays the text out, not after as an encoding's error handler would: ``Risoer``
is a character wider than ``Risør``, and a table laid out for the one and written as the other
has its columns shifted on every row with æøå (in ASCII) or … (in a Windows code page). The
error handler of :mod:`tilskudd.cli.plaintext` stays behind this for what is written past rich.
The ``…`` rich itself ends a text with when it cuts it short in its column is made plain as rich
lays it out (:func:`cut_plainly`), for the same reason.
No rich at import: the command line's start-up imports this.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = [
    "NO_BREAK",
    "cut_plainly",
    "plain_equivalent",
    "plain_for",
    "plain_renderable",
    "plain_text",
    "repertoire",
]

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


def repertoire(encoding: str | None) -> str | None:
    """The codec name of ``encoding`` when it cannot hold every character (ascii, cp865), else
    None (a UTF encoding, or one Python does not know: left to its error handler)."""
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    return None if name.startswith("utf") else name


NO_BREAK = frozenset("\u00a0\u202f\u2007")
"""The spaces that hold an amount together (``3 300 000 kr``): one column wide as they are and
as the space they are written as, so text to be wrapped keeps them (see :func:`plain_for`)."""


def plain_text(text: str, encoding: str, *, keep: frozenset[str] = frozenset()) -> str:
    """``text`` with each character ``encoding`` cannot hold, but those in ``keep``, as its
    :func:`plain_equivalent`."""
    try:
        text.encode(encoding)
    except UnicodeError:
        return "".join(c if c in keep else _plain_char(c, encoding) for c in text)
    return text


def _plain_char(char: str, encoding: str) -> str:
    try:
        char.encode(encoding)
    except UnicodeError:
        return plain_equivalent(char, encoding)
    return char


def _same(text: str) -> str:
    return text


def plain_for(console: Any) -> Callable[[str], str]:
    """What a text becomes on ``console`` (a rich console): :func:`plain_text` in its encoding,
    or the text as it is where the encoding holds everything. For text measured before it is
    printed (a column's width, lines wrapped to the terminal); its no-break spaces are kept, so
    that a line is not broken inside an amount, and written as spaces when it is printed."""
    encoding = repertoire(getattr(console, "encoding", None))
    if encoding is None:
        return _same
    return lambda text: plain_text(text, encoding, keep=NO_BREAK)


def plain_renderable(renderable: Any, encoding: str) -> Any:
    """``renderable`` (a string, a rich Text, a Table, Panel, Padding or Group of them) with its
    text in ``encoding``'s repertoire: a Text keeps its styles on the letters they were on; a
    container has its parts made plain in place. Anything else is returned as it is."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Span, Text

    def plain(obj: Any) -> Any:
        if isinstance(obj, str):
            return plain_text(obj, encoding)
        if isinstance(obj, Text):
            return _plain_rich_text(obj, encoding, Span)
        if isinstance(obj, Table):
            for column in obj.columns:
                column.header = plain(column.header)
                column.footer = plain(column.footer)
                column._cells = [plain(cell) for cell in column._cells]
            obj.title = plain(obj.title) if obj.title is not None else None
            obj.caption = plain(obj.caption) if obj.caption is not None else None
        elif isinstance(obj, Panel):
            obj.renderable = plain(obj.renderable)
            obj.title = plain(obj.title) if obj.title is not None else None
            obj.subtitle = plain(obj.subtitle) if obj.subtitle is not None else None
        elif isinstance(obj, Padding):
            obj.renderable = plain(obj.renderable)
        elif isinstance(obj, Group):
            obj._renderables = tuple(plain(part) for part in obj._renderables)
        return obj

    return plain(renderable)


def _plain_rich_text(text: Any, encoding: str, span: Any) -> Any:
    """A rich Text in ``encoding``'s repertoire, each style span moved with its letters."""
    original = text.plain
    try:
        original.encode(encoding)
    except UnicodeError:
        pass
    else:
        return text
    pieces: list[str] = []
    at = [0]  # where each character of the original starts in the plain text, and the end
    for char in original:
        piece = _plain_char(char, encoding)
        pieces.append(piece)
        at.append(at[-1] + len(piece))
    plain = text.copy()
    plain.plain = "".join(pieces)
    plain.spans = [span(at[s.start], at[min(s.end, len(original))], s.style) for s in text.spans]
    return plain


@contextmanager
def cut_plainly(encoding: str | None) -> Iterator[None]:
    """While inside, a text rich cuts short (a cell, an option's name too wide for its column)
    ends in ``encoding``'s own ellipsis, ``...`` where it lacks ``…``, in the width it was cut
    to: ``--max-share-o...`` where rich has ``--max-share-of-…``. rich adds its ``…`` as it
    lays the text out, after :func:`plain_renderable`; written as ``...`` only then, each line
    with one was two columns wider than its table, and a panel's right edge stood out on it.

    ``encoding`` as :func:`repertoire` gives it; None, or one that has ``…``, changes nothing.
    """
    mark = "\u2026" if encoding is None else plain_text("\u2026", encoding)
    if mark == "\u2026":
        yield
        return
    from rich.cells import cell_len, set_cell_size
    from rich.text import DEFAULT_OVERFLOW, Text

    original = Text.truncate

    def truncate(self: Text, max_width: int, *, overflow: Any = None, pad: bool = False) -> None:
        ellipsis = (overflow or self.overflow or DEFAULT_OVERFLOW) == "ellipsis"
        if not ellipsis or cell_len(self.plain) <= max_width:
            original(self, max_width, overflow=overflow, pad=pad)
            return
        kept = set_cell_size(self.plain, max(max_width - cell_len(mark), 0))
        self.plain = kept + mark[: max(max_width, 0)]  # as few dots as there is room for

    Text.truncate = truncate  # type: ignore[method-assign]
    try:
        yield
    finally:
        Text.truncate = original  # type: ignore[method-assign]
