"""Edges of tilskudd.rules.checks that mutation testing found no test for."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from tilskudd.errors import PolicyError
from tilskudd.models import Application, Policy, Status
from tilskudd.rules import allocate

MakeApp = Callable[..., Application]


def problems(applications: list[Application], policy: Policy) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        allocate(applications, 1_000_000, policy)
    return caught.value


def test_a_ranking_problem_is_said_beside_a_tie_break_problem(make_application: MakeApp) -> None:
    # A-1 has only a rank, A-2 only a score: not orderable; said with the tie-break column.
    apps = [
        make_application(id="A-1", rank=1, score=None),
        make_application(id="A-2", rank=None, score=Decimal(5)),
    ]
    error = problems(apps, Policy(tie_break="merknad"))
    assert error.settings == (None, "tie_break")
    assert str(error).startswith("some applications have a rank and others a score: 1 with")


def test_six_negative_scores_name_five_and_count_the_sixth(make_application: MakeApp) -> None:
    apps = [make_application(id=f"A-{i}", score=Decimal(-i)) for i in range(1, 7)]
    error = problems(apps, Policy(rule="optimal"))
    assert "6 have one: A-1 (-1), A-2 (-2), A-3 (-3), A-4 (-4), A-5 (-5) and 1 more." in str(error)


def test_five_negative_scores_are_all_named(make_application: MakeApp) -> None:
    apps = [make_application(id=f"A-{i}", score=Decimal(-i)) for i in range(1, 6)]
    error = problems(apps, Policy(rule="optimal"))
    assert "5 have one: A-1 (-1), A-2 (-2), A-3 (-3), A-4 (-4) and A-5 (-5)." in str(error)


def test_proportional_says_no_ranking_problem_beside_a_tie_break_problem(
    make_application: MakeApp,
) -> None:
    # The same two applications as above: proportional gives each the same share and does not
    # need them in one order, so only the tie-break column is said (the ranked rule says both).
    apps = [
        make_application(id="A-1", rank=1, score=None),
        make_application(id="A-2", rank=None, score=Decimal(5)),
    ]
    error = problems(apps, Policy(rule="proportional", tie_break="merknad"))
    assert error.settings == ("tie_break",)
    assert "rank and others a score" not in str(error)


@pytest.mark.parametrize(
    "policy",
    [Policy(), Policy(rule="proportional", weight="score"), Policy(rule="lottery", seed=7)],
    ids=["ranked", "proportional", "lottery"],
)
def test_a_negative_score_is_refused_by_the_optimal_rule_alone(
    make_application: MakeApp, policy: Policy
) -> None:
    # A scale from -2 to 2 is the officer's to choose: only the optimal rule, which maximises
    # a total of scores and would never fund a negative one, refuses it.
    apps = [
        make_application(id="A-1", requested=100_000, score=Decimal(2)),
        make_application(id="A-2", requested=100_000, score=Decimal(-1)),
    ]
    result = allocate(apps, 150_000, policy)
    assert result.awarded + result.unallocated == 150_000
    assert [d.application_id for d in result.decisions] == ["A-1", "A-2"]
    assert result.by_id()["A-1"].status == Status.FUNDED
    with pytest.raises(PolicyError, match="A-2 \\(-1\\)"):
        allocate(apps, 150_000, Policy(rule="optimal"))
