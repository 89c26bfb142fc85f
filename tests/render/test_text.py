"""Wrapping text for terminal columns without breaking amounts."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.text import Text

from tilskudd.render.text import grid, lead_widths, runs, wrap, wrap_lines

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


def test_an_id_a_file_name_or_an_option_is_not_broken_at_its_hyphens() -> None:
    # A 360Giving file at 80 columns: "De første: 360G-cabinetoffice-" / "GA-060679, ...".
    text = "De første: 360G-cabinetoffice-GA-060679, 360G-cabinetoffice-GA-042857"
    assert wrap(text, 40).splitlines() == [
        "De første: 360G-cabinetoffice-GA-060679,",
        "360G-cabinetoffice-GA-042857",
    ]
    for token in ("«søknader-2024.xlsx»", "--per-applicant-max", "Søknader-vår!F12"):
        assert wrap(f"se {token} her", len(token) + 1).splitlines() == ["se", token, "her"]
    assert wrap_lines("  med --per-applicant-max", 22).splitlines() == [
        "  med",
        "  --per-applicant-max",
    ]


def test_an_ordinary_hyphenated_word_may_still_break_at_its_hyphen() -> None:
    assert wrap("aaaa Nord-Trøndelag", 12).splitlines() == ["aaaa Nord-", "Trøndelag"]
    assert wrap("se «Nord-Trøndelag», ja", 12).splitlines()[0] == "se «Nord-"


def test_an_amount_with_an_ordinary_space_is_not_broken() -> None:
    # The catalogues' "0 kr" (an ordinary space, as in the files written): "over 0" / "kr.".
    assert wrap("forventet et beløp over 0 kr.", 25).splitlines() == [
        "forventet et beløp over",
        "0 kr.",
    ]
    assert wrap("høyst 1 000 kr i alt", 8).splitlines() == ["høyst", "1 000 kr", "i alt"]
    assert wrap("expected above NOK 0", 17).splitlines() == ["expected above", "NOK 0"]
    assert wrap_lines("  over 0 EUR", 8).splitlines() == ["  over", "  0 EUR"]
    # The space is written as it was: only the place of the line break changed.
    assert wrap("over 0 kr", 80) == "over 0 kr"
    assert runs("over 0 kr. og 12 søknader") == ["over", "0 kr.", "og", "12", "søknader"]


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
