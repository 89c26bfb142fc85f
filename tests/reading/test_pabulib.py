"""A pabulib file's own budget, read from its META to be said, never to be used unasked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tilskudd.reading.pabulib import (
    COMMENT_SHOWN,
    StatedBudget,
    StatedComment,
    stated_budget,
    stated_comment,
)

PROJECTS = "PROJECTS\nproject_id;cost;votes;name\n180;75000.0;20;Jardin\n"


def _pb(tmp_path: Path, meta: str) -> Path:
    path = tmp_path / "toulouse.pb"
    path.write_text(f"META\nkey;value\n{meta}{PROJECTS}", encoding="utf-8")
    return path


def test_the_meta_budget_and_currency_are_read_as_the_file_writes_them(tmp_path: Path) -> None:
    path = _pb(tmp_path, "description;PB\nbudget;400000.0\nvote_type;approval\ncurrency;EUR\n")
    assert stated_budget(path) == StatedBudget(
        budget=400_000, currency="EUR", lines=("budget;400000.0", "currency;EUR")
    )


def test_a_budget_without_a_currency_line_states_no_currency(tmp_path: Path) -> None:
    path = _pb(tmp_path, "budget_per_category;5,6\nbudget;2807253\n")
    assert stated_budget(path) == StatedBudget(2_807_253, None, ("budget;2807253",))


@pytest.mark.parametrize(
    "meta",
    [
        "",  # no budget line
        "budget;400000.5\n",  # not whole units
        "budget;0\n",
        "budget;-5\n",
        "budget;lots\n",
        "budget;inf\n",
    ],
)
def test_no_whole_positive_budget_states_none(tmp_path: Path, meta: str) -> None:
    assert stated_budget(_pb(tmp_path, meta)) is None


def test_a_budget_line_below_the_projects_is_not_the_files(tmp_path: Path) -> None:
    path = tmp_path / "x.pb"
    path.write_text("META\nkey;value\nPROJECTS\nbudget;5\n", encoding="utf-8")
    assert stated_budget(path) is None


def test_another_file_or_none_states_no_budget(tmp_path: Path) -> None:
    csv = tmp_path / "søknader.csv"
    csv.write_text("budget;400000\nID;Søkt beløp\n1;5000\n", encoding="utf-8")
    assert stated_budget(csv) is None
    assert stated_budget(tmp_path / "missing.pb") is None
    assert stated_budget(tmp_path) is None


def test_the_meta_comment_is_read_unquoted_on_one_line(tmp_path: Path) -> None:
    """A CSV field, as Budapest's: quotes doubled inside, a ; inside the quotes; spaces and a
    line break within made single spaces."""
    meta = (
        'budget;400000\ncomment;"#1: ""neighborhood"" is the district;  about half the votes\n'
        'were on paper"\ncurrency;EUR\n'
    )
    path = _pb(tmp_path, meta)
    text = '#1: "neighborhood" is the district; about half the votes were on paper'
    assert stated_comment(path) == StatedComment(
        text=text, length=len(text), shortened=False, whole=text
    )
    assert stated_budget(path) == StatedBudget(400_000, "EUR", ("budget;400000", "currency;EUR"))
    plain = _pb(tmp_path, "comment;#1: online votes only\n")
    assert stated_comment(plain) == StatedComment(
        "#1: online votes only", 21, shortened=False, whole="#1: online votes only"
    )


def test_a_very_long_comment_is_shortened_at_a_word(tmp_path: Path) -> None:
    words = " ".join(f"word{i}" for i in range(400))
    comment = stated_comment(_pb(tmp_path, f"comment;{words}\n"))
    assert comment is not None
    assert comment.shortened
    assert comment.length == len(words)
    assert comment.text.endswith("…")
    assert len(comment.text) <= COMMENT_SHOWN + 1
    assert words.startswith(comment.text.removesuffix("…") + " ")  # whole words only
    assert comment.whole == words  # kept whole for the records


@pytest.mark.parametrize("meta", ["", "comment;\n", 'comment;""\n', "description;a comment\n"])
def test_no_comment_or_an_empty_one_is_none(tmp_path: Path, meta: str) -> None:
    assert stated_comment(_pb(tmp_path, meta)) is None


def test_a_comment_below_the_meta_or_in_another_file_is_not_the_files(tmp_path: Path) -> None:
    path = tmp_path / "x.pb"
    path.write_text("META\nkey;value\nPROJECTS\ncomment;not meta\n", encoding="utf-8")
    assert stated_comment(path) is None
    csv = tmp_path / "søknader.csv"
    csv.write_text("comment;a note\nID;Søkt beløp\n1;5000\n", encoding="utf-8")
    assert stated_comment(csv) is None
    assert stated_comment(tmp_path / "missing.pb") is None


def test_the_comment_is_kept_whole_by_the_reading_and_the_rounds_source(tmp_path: Path) -> None:
    """The library's reading keeps the comment for the round's records (the award workbook,
    the JSON), whole, as the terminal says it shortened."""
    from tilskudd.models import Policy
    from tilskudd.pipeline import read_applications, run_round

    words = " ".join(f"word{i}" for i in range(400))
    path = _pb(tmp_path, f"budget;400000\ncomment;{words}\n")
    columns = {"cost": "requested", "votes": "score", "name": "project"}
    checked = read_applications(path, columns=columns)
    assert checked.comment == words
    result = run_round(checked, 400_000, Policy())
    assert result.source is not None
    assert result.source.comment == words
    plain = _pb(tmp_path, "budget;400000\n")
    assert read_applications(plain, columns=columns).comment is None
