"""The lines of keys and tables in a TOML text, however the file writes its tables."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- generated documents ------------------------------------------------------------------------


KEYS = st.sampled_from(["rule", "quotas", "by", "value", "max share", "a.b", "[x]", "é", "ø-1"])
SCALARS = st.one_of(
    st.integers(-5, 5),
    st.sampled_from(
        ["ranked", "30 %", "[policy]", "rule = 1", 'a "quote"', "x\ny = 2\n[z]", 'a"\n"b = 1']
    ),
    st.just(True),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=8,
)


def _toml_key(key: str, draw: st.DrawFn) -> str:
    if key.replace("_", "a").replace("-", "a").isalnum() and key.isascii():
        return key if draw(st.booleans()) else f"'{key}'"
    return '"' + key.replace('"', '\\"') + '"'


def _toml_value(value: object, draw: st.DrawFn) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if "\n" in value:
            return '"""' + value.replace('"', '\\"') + '"""'
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, list):
        items = [_toml_value(v, draw) for v in value]
        if draw(st.booleans()):
            return "[\n" + "".join(f"  {item},  # an element\n" for item in items) + "]"
        return "[" + ", ".join(items) + "]"
    assert isinstance(value, dict)
    return (
        "{"
        + ", ".join(f"{_toml_key(k, draw)} = {_toml_value(v, draw)}" for k, v in value.items())
        + "}"
    )


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, dict[tuple[str | int, ...], list[str]]]:
    """A TOML text of top-level keys, [tables] and [[arrays of tables]], and for each key path
    the ways its key may be written on its line."""
    lines: list[str] = []
    written: dict[tuple[str | int, ...], list[str]] = {}
    top = draw(st.dictionaries(KEYS, SCALARS, max_size=3))
    tables = draw(st.dictionaries(KEYS, st.dictionaries(KEYS, VALUES, max_size=3), max_size=2))
    arrays = draw(
        st.dictionaries(KEYS, st.lists(st.dictionaries(KEYS, VALUES, max_size=2), max_size=2))
    )
    used = set()
    for key, value in top.items():
        lines.append(f"{_toml_key(key, draw)} = {_toml_value(value, draw)}")
        written[(key,)] = [key]
        used.add(key)
    for name, table in tables.items():
        if name in used:
            continue
        used.add(name)
        lines += ["", f"[{_toml_key(name, draw)}]"]
        for key, value in table.items():
            lines.append(f"{_toml_key(key, draw)} = {_toml_value(value, draw)}")
            written[(name, key)] = [key]
    for name, items in arrays.items():
        if name in used:
            continue
        used.add(name)
        for index, table in enumerate(items):
            lines += ["# next", f"[[{_toml_key(name, draw)}]]"]
            for key, value in table.items():
                lines.append(f"{_toml_key(key, draw)} = {_toml_value(value, draw)}")
                written[(name, index, key)] = [key]
    return "\n".join(lines) + "\n", written


@settings(max_examples=200)
@given(drawn=documents())
def test_every_key_of_a_generated_document_is_at_a_line_that_holds_it(
    drawn: tuple[str, dict[tuple[str | int, ...], list[str]]],
) -> None:
    text, written = drawn
    places = TomlPlaces(text)
    lines = text.splitlines()
    for path, keys in written.items():
        line = places.line(path)
        assert line is not None, (path, text)  # the scan agrees with tomllib
        said = lines[line - 1]
        assert any(key in said for key in keys), (path, line, text)
        assert not said.lstrip().startswith(('"""', "#")), (path, line, text)
