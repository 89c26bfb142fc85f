"""The lines of keys and tables in a TOML text, however the file writes its tables."""

from __future__ import annotations

import pytest

import tilskudd.tomlplaces
from tilskudd.tomlplaces import TomlPlaces

TEXT = '''\
# a programme
[programme]
name = "x"  # the name
"frame" = 1

[[round]]
number = 1
notes = """
[policy]
rule = "a line of a text, not a key"
"""

[[round]]
'id' = 2
opens = 2009-01-15 08:00:00
[round.policy]
tie_break = [
  "score desc",  # first
  { column = "id", descending = false },
]

[policy]
max_award.value = 3
quotas = [{ by = "county" }, { by = "category", value = 'Arkiv' }]
'''


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("programme",), 2),
        (("programme", "name"), 3),
        (("programme", "frame"), 4),
        (("round",), 6),
        (("round", 0), 6),
        (("round", 0, "number"), 7),
        (("round", 0, "notes"), 8),
        (("round", 1), 13),
        (("round", 1, "id"), 14),
        (("round", 1, "opens"), 15),
        (("round", 1, "policy"), 16),
        (("round", 1, "policy", "tie_break"), 17),
        (("round", 1, "policy", "tie_break", 0), 18),
        (("round", 1, "policy", "tie_break", 1, "descending"), 19),
        (("policy",), 22),
        (("policy", "max_award"), 23),
        (("policy", "max_award", "value"), 23),
        (("policy", "quotas", 1, "value"), 24),
        (("policy", "rule"), None),
        (("round", 2), None),
    ],
)
def test_each_key_is_found_at_its_line(path: tuple[str | int, ...], line: int | None) -> None:
    assert TomlPlaces(TEXT).line(path) == line


def test_a_missing_key_is_found_at_its_table_and_no_higher_than_the_floor() -> None:
    text = '[policy]\nrule = "ranked"\n\n[[policy.quotas]]\nby = "county"\n'
    places = TomlPlaces(text)
    assert places.nearest(("policy", "quotas", 0, "value")) == 4
    assert places.nearest(("policy", "max_award")) == 1
    assert places.nearest(("policy", "max_award"), floor=2) is None
    assert places.nearest(("lang",)) is None


def test_no_lines_when_the_scan_and_tomllib_disagree(monkeypatch: pytest.MonkeyPatch) -> None:
    # A wrong line sends the officer to the wrong place: none is better.
    def misread(self: object) -> dict[tuple[str | int, ...], int]:
        return {("rule",): 2}

    monkeypatch.setattr(tilskudd.tomlplaces._Scanner, "document", misread)
    places = TomlPlaces('rule = "x"\nreserve = 1\n')
    assert places.line(("rule",)) is None
    assert places.line(("reserve",)) is None


def test_text_that_is_not_toml_has_no_lines() -> None:
    assert TomlPlaces("rule = \n").line(("rule",)) is None
