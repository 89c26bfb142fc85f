"""tilskudd.render.plain.cut_plainly: what rich cuts short while inside ends in the encoding's
own "..." in the width it was cut to; outside, and where the encoding has "…", rich's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from rich.text import Text

from tilskudd.render.plain import cut_plainly

if TYPE_CHECKING:
    from rich.console import OverflowMethod


def _cut(text: str, width: int, overflow: OverflowMethod = "ellipsis") -> str:
    cut = Text(text)
    cut.truncate(width, overflow=overflow)
    return cut.plain


@pytest.mark.parametrize(
    ("width", "shown"),
    [(12, "--max-sha..."), (4, "-..."), (3, "..."), (2, ".."), (1, "."), (0, "")],
)
@pytest.mark.parametrize("encoding", ["ascii", "cp850", "cp437"])
def test_cut_in_the_width_it_was_cut_to(encoding: str, width: int, shown: str) -> None:
    with cut_plainly(encoding):
        assert _cut("--max-share-of-cost", width) == shown


def test_styles_stay_on_their_letters() -> None:
    text = Text("Søknader fra Risør")
    text.stylize("bold", 13, 18)
    with cut_plainly("ascii"):
        text.truncate(15, overflow="ellipsis")
    assert text.plain == "Søknader fra..."
    assert [(s.start, s.end) for s in text.spans] == [(13, 15)]


def test_what_fits_or_is_not_cut_with_an_ellipsis_is_as_rich_has_it() -> None:
    with cut_plainly("ascii"):
        assert _cut("Risør", 5) == "Risør"
        assert _cut("Risør kommune", 5, "crop") == "Risør"
        padded = Text("Ås")
        padded.truncate(4, overflow="ellipsis", pad=True)
        assert padded.plain == "Ås  "


@pytest.mark.parametrize("encoding", [None, "cp1252"])  # UTF-8, or a code page with "…"
def test_an_encoding_with_the_ellipsis_keeps_it(encoding: str | None) -> None:
    with cut_plainly(encoding):
        assert _cut("--max-share-of-cost", 12) == "--max-share…"


def test_rich_cuts_as_before_outside() -> None:
    truncate = Text.truncate
    with pytest.raises(RuntimeError), cut_plainly("ascii"):
        raise RuntimeError
    assert Text.truncate is truncate
    assert _cut("--max-share-of-cost", 12) == "--max-share…"
