"""Edges of tilskudd.rules.overrides that mutation testing found no test for."""

from __future__ import annotations

from tilskudd.models import Application, Policy, Status
from tilskudd.rules import allocate
from tilskudd.rules.overrides import allocate_with_overrides, has_overrides, override_amounts
from tilskudd.rules.ranked import allocate_ranked

from .test_overrides import override


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
