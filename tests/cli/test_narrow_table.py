"""The award table on a narrow terminal: the reason is wrapped between words, never inside one."""

from __future__ import annotations

import re

import pytest

from .entrypoint import EXAMPLE_ROUND, run_main

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_RULE = re.compile(r"^[-─+ ]+$")


def _table(text: str) -> list[str]:
    """The table's lines, header to totals, without colours."""
    lines = [_ANSI.sub("", line) for line in text.splitlines()]
    rules = [k for k, line in enumerate(lines) if line.strip() and _RULE.match(line)]
    return lines[: rules[-1]]


def _words(lines: list[str]) -> set[str]:
    return {
        word for line in lines if not _RULE.match(line) for word in re.split(r"[ |]+", line) if word
    }


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_a_narrow_table_wraps_the_reason_between_words(
    monkeypatch: pytest.MonkeyPatch, lang: str, encoding: str
) -> None:
    """At 60 columns the reason column was 14 wide, and rich cut "tilskuddsberettigede" into
    "tilskuddsberet" / "tigede". Columns are left out (the amount applied for, then the rank)
    until the longest word of the reasons fits; every word on the narrow screen is a word of
    the same table on a wide one."""
    code, out, _ = run_main(
        monkeypatch, encoding, *EXAMPLE_ROUND, "--lang", lang, columns=60, terminal=True
    )
    assert code == 0
    narrow = _table(out.decode(encoding))
    assert all(len(line) <= 60 for line in narrow)
    code, out, _ = run_main(
        monkeypatch, encoding, *EXAMPLE_ROUND, "--lang", lang, columns=119, terminal=True
    )
    assert code == 0
    wide = _words(_table(out.decode(encoding)))
    assert _words(narrow) - wide == set()
    long_word = {"nb": "tilskuddsberettigede", "en": "eligible"}[lang]
    assert long_word in _words(narrow)
