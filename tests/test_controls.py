"""The one rule for bidi controls and control characters in applicants' text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tilskudd import controls
from tilskudd.controls import BIDI_CONTROLS, has_hidden, hidden_in, remove_hidden, visible


def test_a_right_to_left_override_is_shown_as_its_code() -> None:
    assert visible("Oslo\u202e kommune") == "Oslo<U+202E> kommune"
    assert hidden_in("Oslo\u202e kommune") == ("U+202E",)


def test_every_bidi_control_is_shown() -> None:
    for char in BIDI_CONTROLS:
        assert visible(f"a{char}b") == f"a<U+{ord(char):04X}>b"


def test_a_terminal_escape_and_c1_controls_are_shown() -> None:
    assert visible("rød\x1b[31m") == "rød<U+001B>[31m"
    assert visible("a\x07b\x7fc\x9bd\x00") == "a<U+0007>b<U+007F>c<U+009B>d<U+0000>"
    assert hidden_in("\x1b[1m\x1b[0m\x07") == ("U+001B", "U+0007")


def test_line_breaks_tabs_and_invisible_joiners_are_text() -> None:
    # Each output writes a line break its own way; a joiner or no-break space reorders nothing.
    for text in (
        "Linje 1\nLinje 2",
        "a\r\nb",
        "a\tb",
        "a\x0bb",
        "a\x85b",
        "a\u2028b\u2029c",
        "3\u00a0300\u202f000",
        "👩\u200d💻",
        "\ufeffBOM",
        "Kárášjohka",
        "漢字 😀 \ufffd",
    ):
        assert visible(text) == text
        assert not has_hidden(text)
        assert hidden_in(text) == ()


@given(st.text())
def test_visible_text_has_nothing_left_to_show_and_keeps_the_rest(text: str) -> None:
    shown = visible(text)
    assert not has_hidden(shown)
    assert visible(shown) == shown
    assert has_hidden(text) == (shown != text)
    # Only the characters shown change: take the codes out again and the text is what it was.
    restored = shown
    for code in hidden_in(text):
        restored = restored.replace(f"<{code}>", chr(int(code[2:], 16)))
    assert restored == text or "<U+" in text


def test_remove_hidden_leaves_the_name_as_it_reads() -> None:
    assert remove_hidden("Os\u202elo\x1b") == "Oslo"
    assert remove_hidden("Linje1\nLinje2\tx") == "Linje1\nLinje2\tx"


def test_visible_in_reaches_every_text_of_nested_data() -> None:
    # A reason's parameters, or a recorded JSON read back: every text shown, nothing else.
    data = {"id": "S-1\u202e", "ids": ["A\u202e", 3], "n": 5, "inner": {"x": "\x1b"}, "no": None}
    assert controls.visible_in(data) == {
        "id": "S-1<U+202E>",
        "ids": ["A<U+202E>", 3],
        "n": 5,
        "inner": {"x": "<U+001B>"},
        "no": None,
    }
    assert controls.visible_in("plain") == "plain"
