"""A "did you mean" names the nearest option (or command) first, in both languages: the one a
misspelt option is taken to stand for when the word after it is its value. Names as near as
each other come in alphabetical order. Before, the options were listed alphabetically
(``--rul``: "did you mean --round or --rule?", though --rule was the one taken), and the
commands, where difflib found them as near, in the reverse of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tilskudd.i18n import get

from .refusals import problems_said as said

pytestmark = pytest.mark.usefixtures("in_empty_folder")

SMALL = str(Path(__file__).resolve().parents[2] / "examples" / "small.xlsx")


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(
    ("typed", "near"),
    [
        ("--rul", ["--rule", "--round"]),
        # --commit is the nearest; --columns and --compare as near as each other.
        ("--comm", ["--commit", "--columns", "--compare"]),
        ("--min-x", ["--min-award", "--min-score"]),
    ],
)
def test_the_nearest_option_is_named_first(lang: str, typed: str, near: list[str]) -> None:
    lines = said("allocate", SMALL, "-b", "1", typed, "--lang", lang)
    assert lines[0] == get(lang)("cli.usage.no_such_option_near", option=typed, near=near)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_value_after_a_misspelt_option_is_taken_for_the_option_named_first(lang: str) -> None:
    # --rul 5: --rule is named first and takes a value, so 5 is its value, not an extra word.
    lines = said("allocate", SMALL, "-b", "1", "--rul", "5", "--lang", lang)
    t = get(lang)
    near = ["--rule", "--round"]
    assert lines[0] == t("cli.usage.no_such_option_near", option="--rul", near=near)
    assert not any("5" in line for line in lines)


def test_names_as_near_as_each_other_come_in_alphabetical_order() -> None:
    # difflib, which finds the names, gives a tie in the reverse of the alphabet.
    from tilskudd.cli.app import nearest_first

    assert nearest_first("ab", ["ba", "aa", "ab"]) == ["ab", "aa", "ba"]
    assert nearest_first("--x", ["--b", "--a", "--a"]) == ["--a", "--b"]
