"""Tests for telling a tie split by a quota's maximum apart by its ids (QuotaBook.split_by_id and
the ``without``/``less`` reading of its maximums), through ``allocate``.

A tie member skipped for a maximum was left out by the id order only if, without the award to
one of its tie that shares the full group, it would have fitted. With quotas the rule settles
its tie notes by re-running the round in other orders of each small tie; a round too large for
that (:data:`tilskudd.rules.ranked.RERUN_VISITS`) keeps the rule's own judgement, which is what
these tests read: with no re-runs allowed, a tie the id order split keeps a
``note.tie_order_unchecked`` naming the funded ones, and one it did not split has no note.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from tilskudd.models import Allocation, Application, Policy, Quota
from tilskudd.rules import allocate, ranked

MakeApp = Callable[..., Application]


@pytest.fixture
def no_reruns(monkeypatch: pytest.MonkeyPatch) -> None:
    """A round whose ties are too many to re-run: the rule's own tie notes stand."""
    monkeypatch.setattr(ranked, "RERUN_VISITS", 0)


@pytest.fixture
def app(make_application: MakeApp) -> Callable[..., Application]:
    def make(
        app_id: str, requested: int, score: int, category: str, county: str = "46"
    ) -> Application:
        return make_application(
            id=app_id,
            requested=requested,
            score=Decimal(score),
            category=category,
            counties=(county,),
            orgnr=None,
            total_cost=None,
        )

    return make


def amounts(result: Allocation) -> dict[str, int]:
    return {d.application_id: d.amount for d in result.decisions}


def tie_notes(result: Allocation) -> list[tuple[str, object, object]]:
    return [
        (n.code, n.params["ids"], n.params["funded_ids"])
        for n in result.notes
        if n.code.startswith("note.tie")
    ]


def last_reason(result: Allocation, app_id: str) -> tuple[str, dict[str, object]]:
    reason = result.by_id()[app_id].reasons[-1]
    return reason.code, dict(reason.params)


X_AT_MOST = {
    "count": Quota(by="category", value="X", max_count=1),
    "amount": Quota(by="category", value="X", max_amount=200),
    # 20 % of 1 000 kr: at most 200 kr.
    "share": Quota(by="category", value="X", max_share=Decimal("0.2")),
}


MAX_REASON = {
    "count": "reason.quota.max_count_reached",
    "amount": "reason.quota.max_reached",
    "share": "reason.quota.max_share_reached",
}


@pytest.mark.usefixtures("no_reruns")
@pytest.mark.parametrize("kind", ["amount", "share"])
@pytest.mark.parametrize(("needed", "split"), [(150, True), (200, True), (201, False)])
def test_a_tie_member_that_fits_without_the_other_is_split_by_id(
    app: MakeApp, kind: str, needed: int, split: bool
) -> None:
    # A1 (100) and A2 share rank 1 in category X, which may have 200 kr. A1 comes first by its
    # id and is funded; A2 then finds 100 of the 200 used. Without A1's award the group would
    # have had 0 used, and A2 fits if it needs at most 200 (the limit itself is allowed): the
    # id decided. At 201 A2 fits in no order, and no note says the id did.
    apps = [app("A1", 100, 5, "X"), app("A2", needed, 5, "X")]
    result = allocate(apps, 1000, Policy(quotas=(X_AT_MOST[kind],)))
    assert amounts(result) == {"A1": 100, "A2": 0}
    code, params = last_reason(result, "A2")
    assert code == MAX_REASON[kind]
    assert (params["limit"], params["used"], params["needed"]) == (200, 100, needed)
    expected = [("note.tie_order_unchecked", ["A1", "A2"], ["A1"])] if split else []
    assert tie_notes(result) == expected


@pytest.mark.usefixtures("no_reruns")
def test_a_tie_split_by_a_maximum_count_is_split_by_id(app: MakeApp) -> None:
    # X may have one funded application; A1 and A2 share rank 1 in it. Without A1's award X
    # would have had none, and A2 would have been funded: the id decided.
    apps = [app("A1", 100, 5, "X"), app("A2", 100, 5, "X"), app("B", 100, 4, "Y")]
    result = allocate(apps, 1000, Policy(quotas=(X_AT_MOST["count"],)))
    assert amounts(result) == {"A1": 100, "A2": 0, "B": 100}
    assert last_reason(result, "A2") == (
        "reason.quota.max_count_reached",
        {"by": "category", "value": "X", "name": "X", "limit": 1, "count": 1},
    )
    assert tie_notes(result) == [("note.tie_order_unchecked", ["A1", "A2"], ["A1"])]


@pytest.mark.usefixtures("no_reruns")
def test_a_maximum_count_filled_by_one_ranked_above_and_one_of_the_tie_is_split_by_id(
    app: MakeApp,
) -> None:
    # X may have two funded applications: B (ranked above) takes one, A1 (by its id) the
    # other. Without A1's award X would have had one, so A2 would have fitted: the id decided.
    apps = [app("B", 100, 9, "X"), app("A1", 100, 5, "X"), app("A2", 100, 5, "X")]
    result = allocate(apps, 1000, Policy(quotas=(Quota(by="category", value="X", max_count=2),)))
    assert amounts(result) == {"B": 100, "A1": 100, "A2": 0}
    assert last_reason(result, "A2")[1]["count"] == 2
    assert tie_notes(result) == [("note.tie_order_unchecked", ["A1", "A2"], ["A1"])]


@pytest.mark.usefixtures("no_reruns")
def test_a_tie_member_skipped_for_a_group_its_tie_did_not_fill_is_not_split_by_id(
    app: MakeApp,
) -> None:
    # A1 and A2 share rank 1 and category X (at most five funded); A2 is also in Oslo, which C
    # (ranked above) filled to its maximum of one. A1's award shares group X with A2, but A2
    # would have been skipped for Oslo without it too: no note.
    apps = [app("C", 100, 9, "Y", "03"), app("A1", 100, 5, "X"), app("A2", 100, 5, "X", "03")]
    quotas = (
        Quota(by="county", value="03", max_count=1),
        Quota(by="category", value="X", max_count=5),
    )
    result = allocate(apps, 1000, Policy(quotas=quotas))
    assert amounts(result) == {"C": 100, "A1": 100, "A2": 0}
    assert last_reason(result, "A2")[1]["value"] == "03"
    assert tie_notes(result) == []


@pytest.mark.usefixtures("no_reruns")
def test_a_tie_member_funded_for_a_minimum_the_other_cannot_serve_did_not_split_by_id(
    app: MakeApp,
) -> None:
    # A1 and A2 share rank 1 and category X (at most one funded); only A2 is in Oslo, whose
    # minimum is one funded application. A2 is funded first for it and A1 skipped for X: the
    # minimum decided, not the id. With both in Oslo, A1 serves the minimum by its id.
    quotas = (X_AT_MOST["count"], Quota(by="county", value="03", min_count=1))
    apps = [app("A1", 100, 5, "X", "46"), app("A2", 100, 5, "X", "03"), app("B", 100, 4, "Y")]
    result = allocate(apps, 1000, Policy(quotas=quotas))
    assert amounts(result) == {"A1": 0, "A2": 100, "B": 100}
    assert tie_notes(result) == []
    apps[0] = app("A1", 100, 5, "X", "03")
    result = allocate(apps, 1000, Policy(quotas=quotas))
    assert amounts(result) == {"A1": 100, "A2": 0, "B": 100}
    assert tie_notes(result) == [("note.tie_order_unchecked", ["A1", "A2"], ["A1"])]


@pytest.mark.usefixtures("no_reruns")
def test_a_tie_member_funded_by_id_after_one_funded_for_a_minimum_is_still_found(
    app: MakeApp,
) -> None:
    # A1, A2 and A3 share rank 1 in X (at most two funded). A1, the only one in Oslo, is funded
    # first for Oslo's minimum; A2 then by its id, and A3 is skipped for X. A1's award does not
    # count (A3 could not have served Oslo), but A2's does: without it A3 would have fitted.
    quotas = (
        Quota(by="category", value="X", max_count=2),
        Quota(by="county", value="03", min_count=1),
    )
    apps = [app("A1", 100, 5, "X", "03"), app("A2", 100, 5, "X"), app("A3", 100, 5, "X")]
    result = allocate(apps, 1000, Policy(quotas=quotas))
    assert amounts(result) == {"A1": 100, "A2": 100, "A3": 0}
    assert tie_notes(result) == [("note.tie_order_unchecked", ["A1", "A2", "A3"], ["A1", "A2"])]


def test_a_tie_member_skipped_before_any_of_its_tie_was_funded_is_not_split_by_id(
    app: MakeApp,
) -> None:
    # C (ranked above) fills X's maximum of one; A1 (in X) and A2 (in Y) share rank 2. A1 is
    # skipped before any of the tie is funded, then A2 is funded: no order of the two changes
    # that, and the round says nothing of the tie.
    apps = [app("C", 100, 9, "X"), app("A1", 100, 5, "X"), app("A2", 100, 5, "Y")]
    result = allocate(apps, 1000, Policy(quotas=(X_AT_MOST["count"],)))
    assert amounts(result) == {"C": 100, "A1": 0, "A2": 100}
    assert last_reason(result, "A1")[0] == "reason.quota.max_count_reached"
    assert tie_notes(result) == []


@pytest.mark.usefixtures("no_reruns")
def test_a_tie_member_left_out_by_one_funded_for_a_minimum_is_not_split_by_id(
    app: MakeApp,
) -> None:
    # A1, A2 and A3 share rank 1; X may have one funded application, and Oslo's minimum is one.
    # A2, the only one in Oslo, is funded first for it and fills X, so A1 is skipped; A3 (in Y)
    # is funded. A2 came first for the minimum, which A1 could not serve, not by its id: the
    # tie was split (A3 funded, A1 not) by the minimum, and no note says the id did.
    quotas = (X_AT_MOST["count"], Quota(by="county", value="03", min_count=1))
    apps = [app("A1", 100, 5, "X"), app("A2", 100, 5, "X", "03"), app("A3", 100, 5, "Y")]
    result = allocate(apps, 1000, Policy(quotas=quotas))
    assert amounts(result) == {"A1": 0, "A2": 100, "A3": 100}
    assert last_reason(result, "A1")[1]["value"] == "X"
    assert tie_notes(result) == []
