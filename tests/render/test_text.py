"""Wrapping text for terminal columns without breaking amounts."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.text import Text

from tilskudd.render.text import grid, lead_widths, wrap

NBSP = "\u00a0"


def test_wrap_breaks_at_ordinary_spaces_only() -> None:
    text = f"Capped at 20 % of 14{NBSP}000{NBSP}000{NBSP}kr = 2{NBSP}800{NBSP}000{NBSP}kr"
    lines = wrap(text, 14).splitlines()
    assert f"14{NBSP}000{NBSP}000{NBSP}kr" in lines
    assert all(len(line) <= 14 for line in lines)
    assert " ".join(lines) == text


def test_wrap_keeps_paragraphs_and_cuts_words_longer_than_the_column() -> None:
    assert wrap("one\ntwo", 10) == "one\ntwo"
    assert wrap("tilskuddsberettigede", 8).splitlines() == ["tilskudd", "sberetti", "gede"]
    assert wrap("", 5) == ""


def test_a_word_longer_than_the_column_starts_its_own_line() -> None:
    # Not "hele det tilsk" / "uddsberettigede": the word is cut once, where the column ends.
    lines = wrap("hele det tilskuddsberettigede beløpet", 14).splitlines()
    assert lines == ["hele det", "tilskuddsberet", "tigede beløpet"]


def test_grid_gives_the_last_column_the_rest_of_the_width() -> None:
    rows = [
        [
            Text("Søknader!F12"),
            Text("Omsøkt"),
            Text(f"'3,300' is ambiguous: 3{NBSP}300 or 3,3 " * 3),
        ],
        [Text("A1"), Text("Id"), Text("short")],
    ]
    lead = lead_widths(rows, [None, 24])
    assert lead == [12, 6]
    console = Console(file=StringIO(), width=60)
    console.print(grid(rows, 60, lead=lead))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert all(len(line) <= 60 for line in out.splitlines())
    assert out.count(f"3{NBSP}300") == 3  # never split
    assert out.splitlines()[0].startswith("Søknader!F12  Omsøkt  '3,300'")
