"""Characters in applicants' text that change how the text around them reads: bidi controls
and control characters, and the one rule for them: each is shown as its code, ``<U+202E>``.

A right-to-left override (U+202E) typed into a name shows the rest of its line reversed, in a
published list the amounts beside it too (the "Trojan Source" trick); an isolate (U+2066–U+2069)
or a mark (U+200E, U+200F, U+061C) moves text about as well. An escape (U+001B) typed into a
cell recolours or rewrites the officer's terminal, and a bell, a backspace or a C1 control
hides in a document. None of these is ever part of a name or a title as its reader means it,
and dropping one silently would hide that someone typed it: tilskudd shows each as its code in
every text it reads from the applications (id, applicant, project, category, reason, the
columns carried through), so that every output shows the same visible text, and ``check`` warns
on the cell (``validate.hidden_characters``).

Tabs and line breaks (LF, CR, the vertical tab Excel for Mac writes) are kept: each output
writes them its own way. So are the zero-width characters that change no order (joiners, the
zero-width space, a BOM inside the text), which the id and amount readers drop themselves.
"""

from __future__ import annotations

import re
from typing import Any, Final

__all__ = ["BIDI_CONTROLS", "has_hidden", "hidden_in", "remove_hidden", "visible", "visible_in"]

BIDI_CONTROLS: Final = (
    "\u061c\u200e\u200f"  # Arabic letter mark, left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates and their pop
)
"""The characters of Unicode's bidirectional algorithm that reorder the text after them."""

# C0 but tab, LF, vertical tab and CR; DEL; C1 but NEL (a line break); the bidi controls; the
# interlinear annotation characters, which hide the text between them in some renderers.
_HIDDEN: Final = re.compile(
    "[\x00-\x08\x0c\x0e-\x1f\x7f-\x84\x86-\x9f" + BIDI_CONTROLS + "\ufff9-\ufffb]"
)


def has_hidden(text: str) -> bool:
    """Whether ``text`` holds a character :func:`visible` shows as its code."""
    # isprintable() is true for most text and takes a few ns: the regular expression only runs
    # for text with a line break, a no-break space or one of these.
    return not text.isprintable() and _HIDDEN.search(text) is not None


def _code(match: re.Match[str]) -> str:
    return f"<U+{ord(match[0]):04X}>"


def visible(text: str) -> str:
    """``text`` with each bidi control and control character shown as its code:
    ``"Oslo\\u202e kommune"`` -> ``"Oslo<U+202E> kommune"``."""
    if text.isprintable():
        return text
    return _HIDDEN.sub(_code, text)


def visible_in(data: Any) -> Any:
    """``data`` (text, or lists and dicts of it, as a reason's parameters or JSON read back
    from the ledger hold it) with every text in it as :func:`visible` shows it; anything else
    as it is."""
    if type(data) is str:
        return visible(data)
    if type(data) is list:
        return [visible_in(v) for v in data]
    if type(data) is dict:
        return {k: visible_in(v) for k, v in data.items()}
    return data


def hidden_in(text: str) -> tuple[str, ...]:
    """The codes of the characters :func:`visible` shows in ``text``, each once, in order of
    first appearance: ``("U+202E",)``."""
    return tuple(dict.fromkeys(f"U+{ord(c):04X}" for c in _HIDDEN.findall(text)))


def remove_hidden(text: str) -> str:
    """``text`` without the characters :func:`visible` shows as codes: the name a place cell
    gives when one is read as never part of it (``"Os\\u202elo"`` -> ``"Oslo"``)."""
    return _HIDDEN.sub("", text)
