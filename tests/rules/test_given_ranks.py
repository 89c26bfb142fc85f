"""Ranks the officer gave are shown as given: gaps kept (1, 3, 4, 7), equal ones a tie.

The rules work with competition ranks by position; the decisions, reasons and notes show the given
numbers. Relabelling the given ranks by any strictly increasing map changes no amount or status.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tilskudd.models import Allocation, Application, Decision, Policy, Reason, Status
from tilskudd.rules import allocate
from tilskudd.rules.common import RANK_PARAMS

from .strategies import applications, budgets, check_invariants, policies

MakeApp = Callable[..., Application]
F, P, R, N = Status.FUNDED, Status.PARTLY_FUNDED, Status.RESERVE, Status.NOT_FUNDED


def gapped(make_application: MakeApp, *ranks: int, requested: int = 100) -> list[Application]:
    """One application per given rank, id ``G<rank>``, in reverse order (the order must not
    matter), no score and no organisation."""
    return [
        make_application(id=f"G{r}", requested=requested, score=None, rank=r, orgnr=None)
        for r in reversed(ranks)
    ]


def shown(result: Allocation) -> list[tuple[str, int | None, Status, int, list[tuple[str, Any]]]]:
    """Each decision's id, rank, status, amount and the rank parameters of its reasons."""
    return [
        (
            d.application_id,
            d.rank,
            d.status,
            d.amount,
            [(r.code, r.params.get("rank", r.params.get("line_rank"))) for r in d.reasons],
        )
        for d in result.decisions
    ]


def test_ranked_skip_shows_the_given_ranks(make_application: MakeApp) -> None:
    result = allocate(gapped(make_application, 1, 3, 4, 7), 250, Policy(reserve=1))
    assert shown(result) == [
        ("G1", 1, F, 100, [("reason.funded.full", 1)]),
        ("G3", 3, F, 100, [("reason.funded.full", 3)]),
        ("G4", 4, R, 0, [("reason.budget.exhausted", 4), ("reason.reserve.position", None)]),
        ("G7", 7, N, 0, [("reason.budget.exhausted", 7)]),
    ]


def test_ranked_stop_line_falls_at_the_given_rank(make_application: MakeApp) -> None:
    # G5 would fit (50 left after G1 and G3) but is below the strict line drawn at no. 4.
    apps = gapped(make_application, 1, 3, 4, 7)
    apps.append(make_application(id="G9", requested=50, score=None, rank=9, orgnr=None))
    result = allocate(apps, 250, Policy(at_line="stop", reserve=1))
    assert shown(result) == [
        ("G1", 1, F, 100, [("reason.funded.full", 1)]),
        ("G3", 3, F, 100, [("reason.funded.full", 3)]),
        ("G4", 4, R, 0, [("reason.budget.exhausted", 4), ("reason.reserve.position", None)]),
        ("G7", 7, N, 0, [("reason.line.stopped", 4)]),
        ("G9", 9, N, 0, [("reason.line.stopped", 4)]),
    ]
    assert result.notes == ()


def test_ranked_stop_line_still_tries_the_given_rank_it_fell_at(make_application: MakeApp) -> None:
    # G4a and G4b share the given rank 4: the line falls between ranks, so the smaller one, which
    # fits, is still funded; G7 below the line is not.
    apps = gapped(make_application, 1, 3, 7)
    apps += [
        make_application(id="G4a", requested=200, score=None, rank=4, orgnr=None),
        make_application(id="G4b", requested=50, score=None, rank=4, orgnr=None),
    ]
    result = allocate(apps, 260, Policy(at_line="stop"))
    assert [(d.application_id, d.rank, d.tied, d.status) for d in result.decisions] == [
        ("G1", 1, False, F),
        ("G3", 3, False, F),
        ("G4a", 4, True, N),
        ("G4b", 4, True, F),
        ("G7", 7, False, N),
    ]
    assert dict(result.by_id()["G7"].reasons[0].params) == {"line_rank": 4}
    (note,) = result.notes
    # G4a needed 200 and 60 was left for the tie: it would not have fitted first either.
    assert (note.code, note.params["rank"], note.params["ids"], note.params["remaining"]) == (
        "note.tie_at_line_not_by_order",
        4,
        ["G4a", "G4b"],
        60,
    )


def test_ranked_partial_gives_the_rest_at_the_given_rank(make_application: MakeApp) -> None:
    result = allocate(gapped(make_application, 1, 3, 4, 7), 250, Policy(at_line="partial"))
    assert shown(result) == [
        ("G1", 1, F, 100, [("reason.funded.full", 1)]),
        ("G3", 3, F, 100, [("reason.funded.full", 3)]),
        ("G4", 4, P, 50, [("reason.funded.partial", 4)]),
        ("G7", 7, N, 0, [("reason.line.stopped", 4)]),
    ]


def test_tie_break_orders_equal_given_ranks_which_keep_their_number(
    make_application: MakeApp,
) -> None:
    # Both given rank 3; the cheaper project first by the tie-break column, so no tie is left;
    # each still shows the 3 the officer gave it, the line falls at 3, and a note says in which
    # order the tie-break took the two 3s.
    apps = [
        make_application(id="A", requested=100, total_cost=900, score=None, rank=3, orgnr=None),
        make_application(id="B", requested=100, total_cost=500, score=None, rank=3, orgnr=None),
        make_application(id="C", requested=100, total_cost=500, score=None, rank=8, orgnr=None),
    ]
    result = allocate(apps, 150, Policy(at_line="stop", tie_break="total_cost asc"))
    assert shown(result) == [
        ("B", 3, F, 100, [("reason.funded.full", 3)]),
        ("A", 3, N, 0, [("reason.budget.exhausted", 3)]),
        ("C", 8, N, 0, [("reason.line.stopped", 3)]),
    ]
    assert not any(d.tied for d in result.decisions)
    assert [(n.code, dict(n.params)) for n in result.notes] == [
        (
            "note.given_rank_ordered",
            {
                "rank": 3,
                "count": 2,
                "ids": ["B", "A"],
                "order": ["B", "A"],
                "columns": "total_cost asc",
            },
        )
    ]


def _split_threes(make_application: MakeApp) -> list[Application]:
    """E given 1; A, B, C, D all given 3, the tie-break (total_cost asc) making A = B, C = D."""
    rows = [("D", 900, 3), ("A", 500, 3), ("C", 900, 3), ("B", 500, 3), ("E", 100, 1)]
    return [
        make_application(id=i, requested=100, total_cost=c, score=None, rank=r, orgnr=None)
        for i, c, r in rows
    ]


SPLIT_NOTE = (
    "note.given_rank_ordered",
    {
        "rank": 3,
        "count": 4,
        "ids": ["A", "B", "C", "D"],
        "order": ["A = B", "C = D"],
        "columns": "total_cost asc",
    },
)


@pytest.mark.parametrize(
    ("budget", "at_line", "tie_notes"),
    [
        # The line between the two ties: no tie across it, but four 3= with two funded. Before
        # this note the round said nothing, and a reader saw a tie broken silently.
        (300, "skip", []),
        # The line inside the first tie: the tie note names A and B only, not C and D.
        (250, "skip", [("note.tie_at_line", 3, ["A", "B"])]),
        (250, "stop", [("note.tie_at_line", 3, ["A", "B"])]),
    ],
)
def test_a_given_rank_split_into_ties_by_the_tie_break_says_their_order(
    make_application: MakeApp, budget: int, at_line: str, tie_notes: list[Any]
) -> None:
    policy = Policy(tie_break="total_cost asc", at_line=at_line)
    result = allocate(_split_threes(make_application), budget, policy)
    assert [(d.application_id, d.rank, d.tied) for d in result.decisions] == [
        ("E", 1, False),
        ("A", 3, True),
        ("B", 3, True),
        ("C", 3, True),
        ("D", 3, True),
    ]
    first, *rest = result.notes
    assert (first.code, dict(first.params)) == SPLIT_NOTE
    assert [(n.code, n.params["rank"], n.params["ids"]) for n in rest] == tie_notes


@pytest.mark.parametrize("rule", ["proportional", "optimal"])
def test_other_rules_say_the_order_of_a_split_given_rank(
    make_application: MakeApp, rule: str
) -> None:
    policy = Policy(rule=rule, tie_break="total_cost asc", objective="count")
    result = allocate(_split_threes(make_application), 250, policy)
    assert [(n.code, dict(n.params)) for n in result.notes if n.code == SPLIT_NOTE[0]] == [
        SPLIT_NOTE
    ]


def test_no_order_note_without_a_given_rank_split(make_application: MakeApp) -> None:
    # Equal given ranks left equal (no tie-break), and distinct ones a tie-break cannot split.
    apps = _split_threes(make_application)
    assert not [n for n in allocate(apps, 250, Policy()).notes if n.code == SPLIT_NOTE[0]]
    distinct = gapped(make_application, 1, 3, 4, 7)
    result = allocate(distinct, 250, Policy(tie_break="total_cost asc"))
    assert result.notes == ()


def test_proportional_and_optimal_show_the_given_ranks(make_application: MakeApp) -> None:
    apps = gapped(make_application, 2, 9)
    apps += [
        make_application(id=i, requested=100, score=None, rank=5, orgnr=None)
        for i in ("G5a", "G5b")
    ]
    for policy in (Policy(rule="proportional"), Policy(rule="optimal", objective="count")):
        result = allocate(apps, 250, policy)
        assert [(d.application_id, d.rank, d.tied) for d in result.decisions] == [
            ("G2", 2, False),
            ("G5a", 5, True),
            ("G5b", 5, True),
            ("G9", 9, False),
        ], policy.rule
        assert all(n.params.get("rank", 5) == 5 for n in result.notes), result.notes


def test_overrides_keep_the_given_ranks(make_application: MakeApp) -> None:
    apps = gapped(make_application, 1, 3, 4, 7)
    apps = [
        a.model_copy(update={"decision": "reject", "decision_reason": "trukket"})
        if a.id == "G3"
        else a
        for a in apps
    ]
    result = allocate(apps, 150, Policy(at_line="stop"))
    assert shown(result) == [
        ("G1", 1, F, 100, [("reason.funded.full", 1)]),
        ("G3", 3, N, 0, [("reason.override.reject", None)]),
        ("G4", 4, N, 0, [("reason.budget.exhausted", 4)]),
        ("G7", 7, N, 0, [("reason.line.stopped", 4)]),
    ]


def test_scores_keep_competition_ranks(make_application: MakeApp) -> None:
    apps = [
        make_application(id=i, requested=100, score=Decimal(s), orgnr=None)
        for i, s in (("A", 9), ("B", 7), ("C", 7), ("D", 1))
    ]
    result = allocate(apps, 1000, Policy())
    assert [(d.application_id, d.rank) for d in result.decisions] == [
        ("A", 1),
        ("B", 2),
        ("C", 2),
        ("D", 4),
    ]


# --- property: the numbers are labels ----------------------------------------------------------


def _relabelled(reason: Reason, labels: dict[int, int]) -> tuple[str, dict[str, Any]]:
    params = dict(reason.params)
    for key in RANK_PARAMS & params.keys():
        params[key] = labels[params[key]]
    return reason.code, params


def _outcomes(result: Allocation) -> dict[str, tuple[Status, int, int | None, bool]]:
    return {
        d.application_id: (d.status, d.amount, d.eligible_amount, d.tied) for d in result.decisions
    }


def _check_shown_ranks(apps: Sequence[Application], decisions: Sequence[Decision]) -> None:
    given_rank = {a.id: a.rank for a in apps}
    for d in decisions:
        assert d.rank == given_rank[d.application_id]


@settings(deadline=None, max_examples=60)
@given(data=st.data())
def test_relabelling_given_ranks_changes_only_the_numbers_shown(data: st.DataObject) -> None:
    rule = data.draw(st.sampled_from(["ranked", "proportional"]))
    apps = data.draw(applications(scored=False, max_size=15))
    policy = data.draw(policies(rule)).model_copy(update={"min_score": None, "weight": "none"})
    if rule == "ranked" and data.draw(st.booleans()):
        # A maximum per category: the quota pass and its tie bookkeeping go by rank too.
        categories = data.draw(st.lists(st.sampled_from("AB"), min_size=len(apps)))
        apps = [a.model_copy(update={"category": c}) for a, c in zip(apps, categories)]  # noqa: B905
        quota = {"by": "category", "value": "*", "max_count": data.draw(st.integers(1, 4))}
        policy = Policy.model_validate({**policy.model_dump(), "quotas": [quota]})
    if apps and data.draw(st.booleans()):
        # An officer's decision: the override's rank is among all applications, as given.
        decided = data.draw(st.sampled_from(apps)).id
        decision = data.draw(st.sampled_from(["reject", "reserve"]))
        apps = [
            a.model_copy(update={"decision": decision, "decision_reason": "styret"})
            if a.id == decided
            else a
            for a in apps
        ]
    budget = data.draw(budgets(apps))
    distinct = sorted({a.rank for a in apps if a.rank is not None})
    steps = data.draw(
        st.lists(st.integers(1, 1000), min_size=len(distinct), max_size=len(distinct))
    )
    labels: dict[int, int] = {}
    at = 0
    for rank, step in zip(distinct, steps, strict=True):
        at += step  # strictly increasing, from 1
        labels[rank] = at
    moved = [a.model_copy(update={"rank": labels[a.rank]}) for a in apps if a.rank is not None]
    order = data.draw(st.permutations(range(len(moved))))
    moved = [moved[i] for i in order]

    before = allocate(apps, budget, policy)
    after = allocate(moved, budget, policy)
    check_invariants(moved, budget, policy, after)
    assert _outcomes(after) == _outcomes(before)
    _check_shown_ranks(apps, before.decisions)
    _check_shown_ranks(moved, after.decisions)
    by_id = before.by_id()
    for d in after.decisions:
        old = by_id[d.application_id]
        assert [(r.code, dict(r.params)) for r in d.reasons] == [
            _relabelled(r, labels) for r in old.reasons
        ]
    assert [(n.code, dict(n.params)) for n in after.notes] == [
        _relabelled(n, labels) for n in before.notes
    ]
