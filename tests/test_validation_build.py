"""Making Applications from checked rows (tilskudd.validation._direct and _build).

A checked row whose values are already what pydantic would make of them is built without a
second validation; these tests hold that object to the one ``Application.model_validate``
makes of the same data: same values, same types, same fields-set, same dumps.
"""

from __future__ import annotations

import math
import pickle
from datetime import date
from decimal import Decimal
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from test_validation import _mostly_common_row, make_table, row
from tilskudd.models import MAX_RANK, Application, Severity
from tilskudd.money import MAX_AMOUNT
from tilskudd.validation import (
    _DATA,
    _DIRECT,
    _MODEL_KNOWN,
    _as_dict,
    _build,
    _Checker,
    _direct,
    _model_is_known,
    check_table,
    validate,
)


class Text(str):
    """A str subclass: pydantic makes it a plain str, so the direct build must not keep it."""

    __slots__ = ()


class Whole(int):
    """An int subclass, likewise."""

    __slots__ = ()


class Cells(dict[str, Any]):
    """A dict subclass, likewise."""


def assert_same(made: Application, validated: Application) -> None:
    """``made`` is the object pydantic made: values, types (inside tuples and dicts too), order
    of fields, fields-set and every dump."""
    assert made == validated
    assert list(made.__dict__) == list(validated.__dict__)
    for name, value in validated.__dict__.items():
        mine = made.__dict__[name]
        assert type(mine) is type(value), name
        if isinstance(value, tuple):
            assert list(map(type, mine)) == list(map(type, value)), name
        if isinstance(value, dict):
            assert list(mine.items()) == list(value.items()), name
            assert [(type(k), type(v)) for k, v in mine.items()] == [
                (type(k), type(v)) for k, v in value.items()
            ], name
    assert made.model_fields_set == validated.model_fields_set
    assert made.__pydantic_extra__ == validated.__pydantic_extra__
    assert made.__pydantic_private__ == validated.__pydantic_private__
    assert made.model_dump() == validated.model_dump()
    assert made.model_dump(exclude_unset=True) == validated.model_dump(exclude_unset=True)
    assert _json(made) == _json(validated)
    assert pickle.loads(pickle.dumps(made)) == validated
    assert made.model_copy(update={"rank": 7}) == validated.model_copy(update={"rank": 7})


def _json(app: Application) -> str:
    """The JSON dump, or the kind of error it raises (lone surrogates cannot be UTF-8)."""
    try:
        return app.model_dump_json()
    except PydanticSerializationError as exc:
        return type(exc).__name__


def _pydantic(data: tuple[Any, ...]) -> Application | None:
    try:
        return Application.model_validate(_as_dict(data))
    except ValidationError:
        return None


# Values for each field: what the checks produce, the edges of each constraint, and what only
# pydantic can decide (other types, subclasses, text its pattern would have to judge).
_TEXT = [None, None, "Moss kommune", "", " x ", "x\ud800", Text("Moss"), 5, b"x", True]
_PLACES = [
    (),
    ("0301",),
    ("0301", "4601"),
    ("0301", "4601", "0301"),
    ["0301"],
    (Text("0301"),),
    (301,),
    ("0301", None),
    "0301",
    None,
]
_CELLS: list[object] = [
    None,
    "x",
    "",
    0,
    -3,
    10**30,
    True,
    False,
    Decimal("1.50"),
    Decimal("-0"),
    Decimal("1E+999"),
    Decimal("NaN"),
    Decimal("Infinity"),
    1.5,
    math.inf,
    date(2009, 3, 1),
    Text("t"),
    Whole(3),
    [1],
]
_FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "id": st.sampled_from(["A1", "A1", "R12", "", "x\ud800", Text("A1"), 5, None, True]),
    "requested": st.one_of(
        st.integers(-2, 10**7),
        st.sampled_from(
            [MAX_AMOUNT, MAX_AMOUNT + 1, 10**30, True, False, 5.0, Decimal(5), Whole(5), None, "5"]
        ),
    ),
    "applicant": st.sampled_from(_TEXT),
    "orgnr": st.sampled_from(
        [
            None,
            "974760673",
            "974760672",  # a wrong check digit is the checks' business; the pattern allows it
            "97476067",
            "9747606730",
            "974 76067",
            "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",  # Arabic-Indic digits
            "123456789\n",
            "abcdefghi",
            "",
            Text("974760673"),
            974760673,
        ]
    ),
    "project": st.sampled_from(_TEXT),
    "municipalities": st.sampled_from(_PLACES),
    "counties": st.sampled_from(_PLACES),
    "total_cost": st.one_of(
        st.none(),
        st.integers(-2, 10**7),
        st.sampled_from([MAX_AMOUNT, MAX_AMOUNT + 1, 10**30, True, 50.0, Whole(10**7), "10"]),
    ),
    "score": st.sampled_from(
        [
            None,
            Decimal("4.5"),
            Decimal("4.50"),
            Decimal("-0"),
            Decimal("1E+999999"),
            Decimal("NaN"),
            Decimal("-Infinity"),
            Decimal("sNaN"),
            4.5,
            4,
            "4.5",
            True,
        ]
    ),
    "rank": st.one_of(st.none(), st.integers(-1, 3), st.sampled_from([True, 1.0, Whole(1), "1"])),
    "category": st.sampled_from(_TEXT),
    "decision": st.sampled_from(
        [None, "fund", "reject", "reserve", "Fund", "innvilg", "", Text("fund"), 1]
    ),
    "decision_amount": st.one_of(
        st.none(),
        st.integers(-1, 10**7),
        st.sampled_from([MAX_AMOUNT, MAX_AMOUNT + 1, True, 5.0, Whole(5), "5"]),
    ),
    "decision_reason": st.sampled_from(_TEXT),
    "row": st.one_of(
        st.none(), st.integers(-2, 10**20), st.sampled_from([True, 2.0, "2", Whole(2)])
    ),
    "extra": st.one_of(
        st.dictionaries(st.sampled_from(["Notat", "n", "d"]), st.sampled_from(_CELLS), max_size=3),
        st.sampled_from(
            [
                {Text("k"): "v"},
                {1: "v"},
                Cells(Notat="x"),
                [("Notat", "x")],
                None,
            ]
        ),
    ),
}


@st.composite
def _plain_row_data(draw: st.DrawFn) -> tuple[Any, ...]:
    """A checked row's data of the kinds the checks produce (the direct build's own case)."""
    requested = draw(st.integers(1, 10**9))
    decision = draw(st.sampled_from([None, "fund", "reject", "reserve"]))
    amount = None
    if decision is not None:
        amount = draw(st.integers(1 if decision == "fund" else 0, requested))
    values = {
        "id": draw(st.text(min_size=1)),
        "requested": requested,
        "applicant": draw(st.none() | st.text(min_size=1)),
        "orgnr": draw(st.none() | st.from_regex(r"\A[0-9]{9}\Z")),
        "project": draw(st.none() | st.text(min_size=1)),
        "municipalities": tuple(draw(st.lists(st.from_regex(r"\A[0-9]{4}\Z"), max_size=3))),
        "counties": tuple(draw(st.lists(st.from_regex(r"\A[0-9]{2}\Z"), max_size=2))),
        "total_cost": draw(st.none() | st.integers(requested, 10**10)),
        "score": draw(st.none() | st.decimals(allow_nan=False, allow_infinity=False)),
        "rank": draw(st.none() | st.integers(1, 10**6)),
        "category": draw(st.none() | st.text(min_size=1)),
        "decision": decision,
        "decision_amount": amount,
        "decision_reason": draw(st.none() | st.text(min_size=1)),
        "row": draw(st.integers(2, 10**6)),
        "extra": draw(
            st.dictionaries(
                st.text(),
                st.none()
                | st.text()
                | st.integers()
                | st.booleans()
                | st.decimals(allow_nan=False, allow_infinity=False),
                max_size=4,
            )
        ),
    }
    return tuple(values[name] for name in _DATA)


@st.composite
def _row_data(draw: st.DrawFn) -> tuple[Any, ...]:
    """A checked row's data (in _DATA order): a plain row with up to three fields of any value."""
    data = dict(zip(_DATA, draw(_plain_row_data()), strict=True))
    for name in draw(st.sets(st.sampled_from(_DATA), max_size=3)):
        data[name] = draw(_FIELD_VALUES[name])
    if draw(st.booleans()) and type(data["requested"]) is int:
        # Often the edge of the model's one cross-field rule: requested at most total cost.
        data["total_cost"] = data["requested"] + draw(st.integers(-1, 1))
    return tuple(data[name] for name in _DATA)


def test_the_model_is_the_one_the_direct_build_knows() -> None:
    # If this fails, Application has changed (a field, a type, a constraint, a validator):
    # every row now goes through pydantic's validation, which is correct but twice as slow.
    # Teach validation._direct the change (and _MODEL_KNOWN), then this passes again.
    assert _DIRECT
    assert _model_is_known()
    assert tuple(name for name, _, _ in _MODEL_KNOWN) == tuple(Application.model_fields)


def test_a_changed_model_sends_every_row_to_pydantic() -> None:
    fields = dict(Application.model_fields)
    changed = {**fields, "project": fields["orgnr"]}  # as if a pattern were added
    with patch.object(Application, "model_fields", changed):
        assert not _model_is_known()
    with patch("tilskudd.validation._DIRECT", False):
        data = tuple(_as_dict(next(iter(_plain_examples()))).values())
        assert _direct([data]) == ([None], 1)


def _plain_examples() -> list[tuple[Any, ...]]:
    result = validate(make_table([row(id="A1", county="03", rank=2.0, Notat="ring")]))
    return [tuple(app.__dict__.values()) for app in result.applications]


@pytest.mark.parametrize(
    ("field", "value"),
    [("requested", MAX_AMOUNT + 1), ("total_cost", MAX_AMOUNT + 1), ("decision_amount", 10**30)],
)
def test_amounts_beyond_the_largest_go_to_pydantic_which_refuses_them(
    field: str, value: int
) -> None:
    plain = _as_dict(next(iter(_plain_examples())))
    at_most = {**plain, "total_cost": MAX_AMOUNT, field: MAX_AMOUNT}
    if field == "decision_amount":
        at_most["decision"] = "fund"
    data = tuple(at_most.values())
    assert _direct([data])[0][0] == _pydantic(data) is not None  # the largest is built directly
    beyond = {**at_most, field: value}
    if field == "requested":
        beyond["total_cost"] = None  # else "above the total cost" would refuse it anyway
    data = tuple(beyond.values())
    assert _direct([data]) == ([None], 1)
    assert _pydantic(data) is None


def test_a_rank_beyond_the_largest_goes_to_pydantic_which_refuses_it() -> None:
    plain = _as_dict(next(iter(_plain_examples())))
    largest = tuple({**plain, "rank": MAX_RANK}.values())
    assert _direct([largest])[0][0] == _pydantic(largest) is not None
    beyond = tuple({**plain, "rank": MAX_RANK + 1}.values())
    assert _direct([beyond]) == ([None], 1)
    assert _pydantic(beyond) is None


@settings(max_examples=600, deadline=None)
@given(data=_row_data())
def test_direct_build_is_what_pydantic_makes_or_nothing(data: tuple[Any, ...]) -> None:
    (made,), _ = _direct([data])
    validated = _pydantic(data)
    if made is not None:
        assert validated is not None, "built directly what pydantic refuses"
        assert_same(made, validated)


@settings(max_examples=300, deadline=None)
@given(data=_plain_row_data())
def test_rows_of_the_checked_kinds_are_all_built_directly(data: tuple[Any, ...]) -> None:
    (made,), _ = _direct([data])
    validated = _pydantic(data)
    assert validated is not None
    assert made is not None, "a plain row went to pydantic"
    assert_same(made, validated)


def test_rows_that_share_a_tuple_are_each_checked_once_and_built_alike() -> None:
    places = ("0301", "4601")
    plain = _plain_examples()[0]
    first = (*plain[:5], places, ("03", "46"), *plain[7:])
    second = (*plain[:5], places, (Text("03"),), *plain[7:])  # same tuple, then a subclass
    made, missing = _direct([first, second, first])
    assert missing == 1
    assert made[1] is None
    assert made[0] is not None
    assert made[2] is not None
    assert made[0].municipalities is places
    assert_same(made[2], Application.model_validate(_as_dict(first)))


def test_copying_one_application_leaves_the_shared_fields_set_alone() -> None:
    (first, second), _ = _direct([_plain_examples()[0], _plain_examples()[0]])
    assert first is not None
    assert second is not None
    copy = first.model_copy(update={"rank": 9})
    assert copy.rank == 9
    assert second.model_fields_set == set(Application.model_fields)


def test_build_rejects_what_pydantic_refuses_and_keeps_the_rest_in_order() -> None:
    # The checks never let such a row through; if a bug did, the row is rejected, not lost.
    good = _plain_examples()[0]
    bad = (*good[:1], 0, *good[2:])  # requested 0
    odd = (*good[:1], True, *good[2:])  # pydantic makes the bool an int: validated, not direct
    checker = _Checker(make_table([row()]), "2024")
    issues: list[Any] = []
    rejected: list[Any] = []
    apps = _build([good, bad, odd], None, checker, issues, rejected)
    assert [(app.id, app.requested) for app in apps] == [("A1", 3_300_000), ("A1", 1)]
    assert type(apps[1].requested) is int
    (issue,) = issues
    assert (issue.code, issue.severity, issue.location.row) == ("validate.model", Severity.ERROR, 2)
    assert [r.id for r, _ in rejected] == ["A1"]


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(_mostly_common_row(), max_size=6),
    require=st.sampled_from([("requested",), ("requested", "score|rank"), ("orgnr",)]),
)
def test_validate_gives_what_validating_every_row_with_pydantic_gives(
    rows: list[dict[str, Any]], require: tuple[str, ...]
) -> None:
    table = make_table(rows)
    direct = validate(table, require=require)
    with patch(
        "tilskudd.validation._direct",
        side_effect=lambda datas, checked=None: ([None] * len(datas), len(datas)),
    ):
        validated = validate(table, require=require)
        checked = check_table(table, require=require)
        checked_apps = tuple(checked.applications)
    assert (direct.issues, direct.rejected) == (validated.issues, validated.rejected)
    assert len(direct.applications) == len(validated.applications)
    for made, by_pydantic in zip(direct.applications, validated.applications, strict=True):
        assert_same(made, by_pydantic)
    checked_direct = tuple(check_table(table, require=require).applications)
    for made, by_pydantic in zip(checked_direct, checked_apps, strict=True):
        assert_same(made, by_pydantic)


def test_the_common_row_is_built_without_pydantic() -> None:
    rows = [
        row(id="A1", county="03", rank=2.0, Notat="ring"),
        row(id="A2", municipalities="0301, Bergen", orgnr=974760673.0, Notat=2.5),
        row(id="A3", decision="innvilg", decision_amount=1000.0, decision_reason="ok"),
        row(id="A4", orgnr="NO 974 760 673 MVA", score="4,5", total_cost=None),
    ]
    with patch.object(Application, "model_validate", side_effect=AssertionError("validated")):
        result = validate(make_table(rows))
        checked = list(check_table(make_table(rows)).applications)
    assert [app.id for app in result.applications] == ["A1", "A2", "A3", "A4"]
    assert [app.id for app in checked] == ["A1", "A2", "A3", "A4"]
    assert result.applications[1].extra == {"Notat": Decimal("2.5")}
    assert result.applications[2].decision_amount == 1000


@pytest.mark.parametrize(
    ("field", "value"),
    [("municipalities", ["0301"]), ("score", 4.5), ("requested", True), ("id", Text("A1"))],
)
def test_a_value_pydantic_would_convert_is_validated_by_pydantic(field: str, value: Any) -> None:
    data = dict(zip(_DATA, _plain_examples()[0], strict=True))
    data[field] = value
    values = tuple(data.values())
    assert _direct([values]) == ([None], 1)
    (app,) = _build([values], None, _Checker(make_table([row()]), "2024"), [], [])
    assert_same(app, Application.model_validate(data))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", None),
        ("requested", None),
        ("requested", 0),
        ("orgnr", "97476067"),
        ("municipalities", None),
        ("counties", None),
        ("municipalities", (None,)),
        ("total_cost", 1),  # below the request
        ("score", Decimal("NaN")),
        ("rank", 0),
        ("decision", "innvilg"),
        ("decision_amount", -1),
        ("extra", None),
        ("extra", {"Notat": Decimal("Infinity")}),
    ],
)
def test_a_value_pydantic_refuses_is_never_built_directly(field: str, value: Any) -> None:
    data = dict(zip(_DATA, _plain_examples()[0], strict=True))
    data[field] = value
    assert _direct([tuple(data.values())]) == ([None], 1)
    with pytest.raises(ValidationError):
        Application.model_validate(data)


def test_only_the_rows_the_fast_path_did_not_make_are_checked_value_by_value() -> None:
    from tilskudd import validation

    rows = [
        row(id="A1"),
        row(id="A2", decision="innvilg", decision_amount=1000.0, decision_reason="ok"),
        row(id="A3", municipalities="0301, Bergen"),
    ]
    seen: list[str] = []
    plain_fields = validation._plain_fields

    def spy(data: tuple[Any, ...], *args: Any) -> bool:
        seen.append(data[0])
        return plain_fields(data, *args)

    with patch("tilskudd.validation._plain_fields", side_effect=spy):
        result = validate(make_table(rows))
    assert [app.id for app in result.applications] == ["A1", "A2", "A3"]
    assert seen == ["A2"]
