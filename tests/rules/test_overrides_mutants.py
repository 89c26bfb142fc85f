"""Edges of tilskudd.rules.overrides that mutation testing found no test for."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pytest

from tilskudd.models import Allocation, Application, Policy, Status
from tilskudd.rules import allocate
from tilskudd.rules.common import build_allocation, natural_key
from tilskudd.rules.lottery import allocate_lottery
from tilskudd.rules.overrides import allocate_with_overrides, has_overrides, override_amounts
from tilskudd.rules.proportional import allocate_proportional
from tilskudd.rules.ranked import allocate_ranked

from .test_overrides import override

MakeApp = Callable[..., Application]


def test_has_overrides_only_when_some_application_has_a_decision(
    round6: list[Application],
) -> None:
    assert has_overrides(round6) is False
    assert has_overrides([*round6[:5], override(round6[5], "reject")]) is True
    assert has_overrides([]) is False


def test_a_fund_override_without_an_amount_takes_nothing_from_the_budget(
    round6: list[Application],
) -> None:
    # check_overrides refuses it; override_amounts, asked directly, does not count it as 0.
    assert override_amounts([override(round6[0], "fund"), override(round6[1], "fund", 5)]) == {
        "S2": 5
    }


def test_without_overrides_it_is_the_rule_unchanged(round6: list[Application]) -> None:
    policy = Policy(reserve=1)
    alone = allocate_ranked(round6, 250_000, policy)
    assert allocate_with_overrides(allocate_ranked, round6, 250_000, policy) == alone


def test_reasons_are_renumbered_when_every_rank_moves(round6: list[Application]) -> None:
    # The officer rejects the best, S1: the rule's ranks 1..5 (S2..S6) are 2..6 among all six,
    # and so are the ranks its reasons name. 250k: S2 and S3 funded, S4 meets 50k left.
    apps = [override(round6[0], "reject"), *round6[1:]]
    result = allocate(apps, 250_000, Policy())
    decisions = result.by_id()
    assert [d.rank for d in result.decisions] == [1, 2, 3, 4, 5, 6]
    assert (decisions["S2"].status, decisions["S2"].amount) == (Status.FUNDED, 100_000)
    named = {
        d.application_id: [r.params["rank"] for r in d.reasons if "rank" in r.params]
        for d in result.decisions
    }
    assert named == {"S1": [], "S2": [2], "S3": [3], "S4": [4], "S5": [5], "S6": [6]}


def test_a_lottery_round_the_officer_decided_whole_is_ranked_by_score(
    round6: list[Application],
) -> None:
    # Every application decided by the officer: the lottery draws nothing, and the decisions
    # are still shown in score order with their ranks, as in a round the lottery ranked.
    apps = [override(round6[1], "fund", 100_000), override(round6[0], "reserve")]
    apps += [override(app, "reject") for app in round6[2:]]
    result = allocate(apps, 150_000, Policy(rule="lottery", seed=7))
    assert [(d.application_id, d.rank) for d in result.decisions] == [
        ("S1", 1),
        ("S2", 2),
        ("S3", 3),
        ("S4", 4),
        ("S5", 5),
        ("S6", 6),
    ]
    assert (result.awarded, result.unallocated) == (100_000, 50_000)


def test_an_officers_reserve_does_not_move_the_lotterys_draw(make_application: MakeApp) -> None:
    # The officer's reserve is no. 1 on the reserve list, so the rule's reserves move down one;
    # the numbers the lottery drew ("drawn by lot as number 2 of 4") are the draw's, and stay.
    apps = [
        make_application(id=f"L{i}", requested=100_000, score=Decimal(5), orgnr=None)
        for i in range(1, 5)
    ]
    officer = make_application(id="L9", requested=100_000, score=Decimal(9), orgnr=None)
    policy = Policy(rule="lottery", seed=11, reserve=1)
    result = allocate([*apps, override(officer, "reserve")], 200_000, policy)
    alone = allocate_lottery(apps, 200_000, policy)

    def drawn(allocation: Allocation) -> dict[str, Any]:
        return {
            d.application_id: r.params["position"]
            for d in allocation.decisions
            for r in d.reasons
            if r.code.startswith("reason.lottery.") and "position" in r.params
        }

    assert sorted(drawn(alone).values()) == [1, 2, 3, 4]
    assert drawn(result) == drawn(alone)
    assert result.by_id()["L9"].reasons[0].params["position"] == 1


def _by_amount(
    applications: list[Application],
    budget: int,
    policy: Policy,
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
) -> Allocation:
    """A rule of one's own, as a library user may pass one: the proportional rule's awards,
    ranked by the amount applied for, the largest first (equal amounts share a rank)."""
    result = allocate_proportional(applications, budget, policy, prior_by_orgnr=prior_by_orgnr)
    amounts = sorted({a.requested for a in applications}, reverse=True)
    requested = {a.id: a.requested for a in applications}
    count = {n: sum(1 for a in applications if a.requested == n) for n in amounts}
    decisions = sorted(
        (
            d._replace(
                rank=amounts.index(requested[d.application_id]) + 1,
                tied=count[requested[d.application_id]] > 1,
            )
            for d in result.decisions
        ),
        key=lambda d: (d.rank, natural_key(d.application_id)),
    )
    return build_allocation("by amount", policy, budget, decisions, result.notes)


@pytest.mark.parametrize(
    ("requested", "scored"),
    [
        # S3 and S4 apply for the same amount: one rank in the rule's order, two by score.
        ({"S2": 40_000, "S3": 60_000, "S4": 60_000, "S5": 80_000, "S6": 20_000}, True),
        # No scores: no ranking of all six to number the rule's ranks in.
        ({"S2": 40_000, "S3": 60_000, "S4": 50_000, "S5": 80_000, "S6": 20_000}, False),
        # The score order reversed, one to one: its 1..5 are not the score order's 6..2.
        ({"S2": 20_000, "S3": 40_000, "S4": 50_000, "S5": 60_000, "S6": 80_000}, True),
        # The score order with S3 and S4 tied on score, which the rule tells apart by amount.
        ({"S2": 80_000, "S3": 60_000, "S4": 50_000, "S5": 40_000, "S6": 20_000}, "S3=S4"),
    ],
    ids=["a tie of its own", "no scores", "the score order reversed", "a tie split its own way"],
)
def test_a_rule_that_ranks_in_an_order_of_its_own_keeps_its_ranks(
    make_application: MakeApp, requested: dict[str, int], scored: bool | str
) -> None:
    # The officer rejects S1; the rule ranks the other five by amount. Its ranks are not a
    # renumbering of the score order, so they are shown as it gave them, in its order, and the
    # officer's decision, outside that order, has no rank and follows it.
    apps = [
        make_application(
            id=f"S{i}",
            requested=requested.get(f"S{i}", 100_000),
            score=None if not scored else Decimal(7 if scored == "S3=S4" and i == 4 else 10 - i),
            orgnr=None,
        )
        for i in range(1, 7)
    ]
    apps[0] = override(apps[0], "reject")
    alone = _by_amount(apps[1:], 150_000, Policy())
    result = allocate_with_overrides(_by_amount, apps, 150_000, Policy())
    own = [(d.application_id, d.rank, d.tied) for d in alone.decisions]
    assert [(d.application_id, d.rank, d.tied) for d in result.decisions] == [
        *own,
        ("S1", None, False),
    ]
    assert result.awarded + result.unallocated == 150_000
