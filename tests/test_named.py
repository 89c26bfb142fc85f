"""Which parameters of a reason or note are application ids (tilskudd.named): every list
parameter of the catalogue's reasons and notes is declared one way or the other, and every
parameter the rules fill with application ids is declared as ids, so that the lists and
`explain` name those applications rather than leaving a bare id."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import build_application

import tilskudd
from tilskudd.models import Application, Policy, Reason
from tilskudd.named import (
    APPLICATION_ID_PARAMS,
    OTHER_LIST_PARAMS,
    TIE_ORDER_PARAMS,
    application_names,
    named,
    named_ids,
)
from tilskudd.rules import allocate

LOCALES = Path(tilskudd.__file__).parent / "locales"
LIST_FIELD = re.compile(r"\{([a-z_]+):(?:list|then|or)\}")


def _messages(node: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in node.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from _messages(value, name)
        elif isinstance(value, str):
            yield name, value


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_every_list_parameter_of_a_reason_or_note_is_declared(lang: str) -> None:
    catalogue = tomllib.loads((LOCALES / f"{lang}.toml").read_text(encoding="utf-8"))
    undeclared = []
    for code, text in _messages(catalogue):
        if not code.startswith(("reason.", "note.")):
            continue
        for param in LIST_FIELD.findall(text):
            declared = (
                APPLICATION_ID_PARAMS.get(code, frozenset())
                | TIE_ORDER_PARAMS.get(code, frozenset())
                | OTHER_LIST_PARAMS.get(code, frozenset())
            )
            if param not in declared:
                undeclared.append(f"{code}: {param}")
    assert undeclared == []


def _round_notes() -> Iterator[tuple[set[str], Reason]]:
    """The notes and reasons of small rounds made to tie under every rule, with the ids of the
    round's applications."""

    def app(i: int, **overrides: Any) -> Application:
        data: dict[str, Any] = {
            "id": f"T-{i}",
            "requested": 100_000,
            "applicant": f"Kommune {i}",
            "orgnr": "974760673" if i < 3 else "964338531",
            "project": f"Prosjekt {i}",
            "score": Decimal(5),
            "row": i + 1,
        }
        data.update(overrides)
        return build_application(**data)

    tied = [app(i) for i in range(1, 7)]
    unknown = [*tied[:4], app(5, total_cost=None, orgnr=None), app(6, orgnr=None)]
    ranked = [
        app(i, score=None, rank=1 if i < 4 else 4, requested=100_000 + i % 2) for i in range(1, 7)
    ]
    odd = [app(i, requested=100_000 + i) for i in range(1, 7)]
    rounds: list[tuple[list[Application], int, Policy]] = [
        (tied, 250_000, Policy()),
        (tied, 250_000, Policy(reserve=1)),
        (tied, 250_000, Policy(per_applicant_max=150_000)),
        (unknown, 250_000, Policy(max_share_of_cost=Decimal("0.5"), per_applicant_max=500_000)),
        (ranked, 250_000, Policy(tie_break=[{"column": "requested", "descending": False}])),
        (tied, 250_000, Policy(rule="optimal")),
        (tied, 250_000, Policy(rule="lottery", seed=7)),
        (odd, 250_001, Policy(rule="proportional", round_to=1000)),
        (tied, 250_000, Policy(rule="proportional", min_award=60_000)),
        (tied, 250_000, Policy(rule="proportional", per_applicant_max=150_000)),
    ]
    for apps, budget, policy in rounds:
        allocation = allocate(apps, budget, policy)
        ids = {a.id for a in apps}
        for note in allocation.notes:
            yield ids, note
        for decision in allocation.decisions:
            for reason in decision.reasons:
                yield ids, reason


def test_every_parameter_the_rules_fill_with_ids_is_declared() -> None:
    codes = set()
    undeclared = set()
    for ids, reason in _round_notes():
        codes.add(reason.code)
        for key, value in reason.params.items():
            items = value if isinstance(value, list) else [value]
            if key in TIE_ORDER_PARAMS.get(reason.code, ()):
                continue
            all_ids = items and all(isinstance(v, str) and v in ids for v in items)
            if all_ids and key not in APPLICATION_ID_PARAMS.get(reason.code, ()):
                undeclared.add(f"{reason.code}: {key}")
    assert undeclared == set()
    # The rounds above made notes that name applications, or this test would check nothing.
    assert {"note.tie_at_line", "note.given_rank_ordered", "note.lottery.draw"} <= codes


def test_named_names_every_declared_parameter_and_nothing_else() -> None:
    names = application_names(
        [
            build_application(id="A", applicant="Moss kommune", project="Arkiv"),
            build_application(id="B", applicant="Alta kommune", project="Kart"),
        ]
    )
    note = Reason(
        "note.tie_at_line",
        {"rank": 3, "count": 2, "ids": ["A", "B"], "funded_ids": ["A"], "broken_by": "id"},
    )
    assert named(note, names).params == {
        "rank": 3,
        "count": 2,
        "ids": ["Moss kommune – Arkiv (A)", "Alta kommune – Kart (B)"],
        "funded_ids": ["Moss kommune – Arkiv (A)"],
        "broken_by": "id",
    }
    order = Reason("note.given_rank_ordered", {"ids": ["A", "B"], "order": ["A = B"]})
    assert named(order, names).params["order"] == [
        "Moss kommune – Arkiv (A) = Alta kommune – Kart (B)"
    ]
    assert named_ids(order) == ["A", "B"]
    cells = Reason("reason.rejected.invalid", {"problems": 1, "cells": ["A"]})
    assert named(cells, names) == cells
