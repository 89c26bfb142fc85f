"""The award table on a narrow terminal: the reason is wrapped between words, never inside one."""

from __future__ import annotations

import re
from pathlib import Path

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


_TIED_IDS = ("KUL-ARK", "KUL-BIB", "KUL-DANSEN", "KUL-MUS")


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("columns", [60, 80])
def test_notes_keep_an_id_of_capitals_whole(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str, columns: int
) -> None:
    """A tie note at 60 columns ended a line with "(KUL-" and began the next with "ARK,": an
    id of letters only was wrapped as a hyphenated word."""
    rows = [
        f"{app_id};Søker {k};;Prosjekt {k};Bærum;1500000;6000000;90"
        for k, app_id in enumerate(_TIED_IDS)
    ]
    table = tmp_path / "runde.csv"
    header = "ID;Applicant;Org no;Project;Municipalities;Requested;Total cost;Score"
    table.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    args = ("allocate", str(table), "--budget", "2000000", "--dry-run", "--lang", lang)
    code, out, _ = run_main(monkeypatch, "utf-8", *args, columns=columns, terminal=True)
    assert code == 0
    text = _ANSI.sub("", out.decode("utf-8"))
    notes = text[text.index("Merknader" if lang == "nb" else "Notes") :]
    assert all(len(line) <= columns for line in notes.splitlines())
    for app_id in _TIED_IDS:
        assert app_id in notes, (app_id, notes)
