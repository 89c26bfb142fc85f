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


def test_an_id_of_capitals_is_not_broken_at_its_hyphen() -> None:
    # "se ABC-" / "DEF her": an id of letters only was taken for a hyphenated word.
    for token in ("ABC-DEF", "KUL-ARK", "NAV-ØST"):
        assert wrap(f"se {token} her", 8).splitlines() == ["se", token, "her"]
        assert runs(f"se {token}") == ["se", token]
    assert wrap("se (KUL-ARK), ja", 11).splitlines() == ["se", "(KUL-ARK),", "ja"]


def test_an_ordinary_word_with_a_capital_part_may_still_break() -> None:
    # Capitals and a word in small letters are a word (IKT-fornying), not an id.
    assert wrap("aaaa IKT-fornying", 10).splitlines() == ["aaaa IKT-", "fornying"]
    assert wrap("aaaa Sør-Trøndelag", 10).splitlines() == ["aaaa Sør-", "Trøndelag"]
    assert wrap("mellom e-post og brev", 6).splitlines() == ["mellom", "e-post", "og", "brev"]


def test_an_amount_written_the_old_way_is_not_broken() -> None:
    # "tildelt kr" / "3.300.000,- i": the krone sign before the amount, ",-" for no øre.
    assert wrap("tildelt kr 3.300.000,- i alt", 14).splitlines() == [
        "tildelt",
        "kr 3.300.000,-",
        "i alt",
    ]
    assert wrap("tildelt kr. 500,- i alt", 12).splitlines() == ["tildelt", "kr. 500,- i", "alt"]
    assert wrap("søkte om kr 1 200 000,- og fikk", 16).splitlines() == [
        "søkte om",
        "kr 1 200 000,-",
        "og fikk",
    ]
    assert wrap("høyst 3.300.000,- kr", 14).splitlines() == ["høyst", "3.300.000,- kr"]
    assert wrap_lines("  fikk kr. 500,-", 11).splitlines() == ["  fikk", "  kr. 500,-"]
    assert runs("fikk kr 3.300.000,- i alt") == ["fikk", "kr 3.300.000,-", "i", "alt"]
    # The words around an amount are still words: "kr" alone is no amount.
    assert wrap("kr og øre", 3).splitlines() == ["kr", "og", "øre"]
