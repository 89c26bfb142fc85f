"""Quota rounds whose tie notes tell ``ranked.settle_tie_notes`` from its mutants (docs/testing.md,
the run of the tie notes): which ties the round re-runs in other orders, and what their notes then
say. Worked out by hand; the awards checked by giving the tie's ids to one another."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from tilskudd.models import Allocation, Application, Policy, Quota
from tilskudd.rules import allocate, ranked

MakeApp = Callable[..., Application]

Row = tuple[str, int, int, str | None]


def _apps(make_application: MakeApp, rows: list[Row]) -> list[Application]:
    """Applications (id, amount, score, category), no organisation."""
    return [
        make_application(id=i, requested=r, score=Decimal(s), category=c, orgnr=None)
        for i, r, s, c in rows
    ]


def _amounts(result: Allocation) -> dict[str, int]:
    return {d.application_id: d.amount for d in result.decisions}


def _ties(result: Allocation) -> list[tuple[str, list[str]]]:
    return [(n.code, n.params["ids"]) for n in result.notes if n.code.startswith("note.tie")]


def test_a_tie_the_rule_thought_decided_at_a_quota_is_said_not_decided_by_order(
    make_application: MakeApp,
) -> None:
    # S2 (50) and S5 (300) share rank 1, both of category C, which needs at least 150 kr and
    # may have one funded. Only S5 can bring the 150, so in either order pass 1 takes S5 and
    # S2 is left out by the count: the id order decided nothing, whatever the rule's own
    # reasoning (a tie cut by a maximum) first said. The re-run in the other order says so.
    apps = _apps(make_application, [("S2", 50, 6, "C"), ("S5", 300, 6, "C")])
    policy = Policy(quotas=(Quota(by="category", value="C", min_amount=150, max_count=1),))
    result = allocate(apps, 1000, policy)
    assert _amounts(result) == {"S2": 0, "S5": 300}
    assert [d.reasons[0].code for d in result.decisions] == [
        "reason.quota.max_count_reached",
        "reason.quota.min_reserved",
    ]
    assert [(n.code, n.params["ids"], n.params.get("checked")) for n in result.notes] == [
        ("note.tie_not_by_order", ["S2", "S5"], True)
    ]
    # The ids given to one another: the application of 300 is funded again.
    swapped = _apps(make_application, [("S5", 50, 6, "C"), ("S2", 300, 6, "C")])
    assert _amounts(allocate(swapped, 1000, policy)) == {"S5": 0, "S2": 300}


def test_a_tie_with_a_note_is_re_run_before_one_without(
    make_application: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each category needs one funded, and 600 kr is all there is. S3 (C, 300) and S5 (no
    # category, 200) share rank 1; S1 (B, 150) and S4 (B, 200) rank 3. Pass 1 takes S3 for C
    # and S1 for B; 150 is left, too little for S5 and S4. In the other order S5 still does
    # not fit (no note on that tie), but S4 is taken for B and S1 left out: the id order
    # decided that tie, at the line. With re-runs for one tie only (5 visits: one re-run of
    # the round's five applications) the tie with a note is the one re-run, and its note
    # keeps its claim; the tie without one had nothing to say either way.
    apps = _apps(
        make_application,
        [
            ("S1", 150, 6, "B"),
            ("S3", 300, 8, "C"),
            ("S4", 200, 6, "B"),
            ("S5", 200, 8, None),
            ("S9", 300, 1, "B"),
        ],
    )
    policy = Policy(quotas=(Quota(by="category", value="*", min_count=1, max_amount=600),))
    for visits in (10, 5):
        monkeypatch.setattr(ranked, "RERUN_VISITS", visits)
        result = allocate(apps, 600, policy)
        assert _amounts(result) == {"S1": 150, "S3": 300, "S4": 0, "S5": 0, "S9": 0}
        assert _ties(result) == [("note.tie_at_line", ["S1", "S4"])]
    # Too few visits for any re-run: the note no longer claims the order decided.
    monkeypatch.setattr(ranked, "RERUN_VISITS", 4)
    assert _ties(allocate(apps, 600, policy)) == [("note.tie_order_unchecked", ["S1", "S4"])]
