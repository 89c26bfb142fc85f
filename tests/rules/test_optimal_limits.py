"""The optimal rule's limits as the solver is given them: what an organisation has left under
``per_applicant_max`` after earlier rounds, and the quotas less what the officer's decisions gave.

Each expected selection is worked out by hand in the docstring and, where the round has no
officer's decisions, checked again by exhaustive search (:func:`quota_helpers.brute_force`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

import pytest

from tilskudd.errors import PolicyError, QuotaError
from tilskudd.models import Allocation, Application, Policy, Quota, Status
from tilskudd.rules import allocate, optimal
from tilskudd.rules.common import rank_order
from tilskudd.rules.optimal import _Solution
from tilskudd.wording import reason_text

from .quota_helpers import brute_force, objective_points, quota_problems, whole_eligible
from .strategies import check_invariants

MakeApp = Callable[..., Application]

X = "974760673"
Y = "964338531"


def funded(result: Allocation) -> set[str]:
    return {d.application_id for d in result.funded()}


def brute_force_funds(
    apps: list[Application], budget: int, policy: Policy, prior: dict[str, int] | None = None
) -> set[frozenset[str]]:
    order = [e.application.id for e in rank_order(apps, policy, required=False)]
    return brute_force(apps, budget, policy, order, prior)[1]


def test_an_organisations_earlier_awards_leave_it_room_for_one_of_two(
    make_application: MakeApp,
) -> None:
    """X had 500 of its 1 500: 1 000 is left, room for A or B (600 each), not both. Best:
    A and C, 5 + 1 points (B and C 5, A alone 5); funding all three (10) would give X 1 700."""
    apps = [
        make_application(id="A", requested=600, score=Decimal(5), orgnr=X),
        make_application(id="B", requested=600, score=Decimal(4), orgnr=X),
        make_application(id="C", requested=600, score=Decimal(1), orgnr=None),
    ]
    policy = Policy(rule="optimal", per_applicant_max=1500)
    prior = {X: 500}
    result = allocate(apps, 1800, policy, prior_by_orgnr=prior)
    check_invariants(apps, 1800, policy, result)
    assert funded(result) == {"A", "C"}
    assert brute_force_funds(apps, 1800, policy, prior) == {frozenset({"A", "C"})}
    b = result.by_id()["B"]
    assert (b.status, b.amount, b.eligible_amount) == (Status.NOT_FUNDED, 0, 600)
    # Left out, and X could not take it beside A: 500 + 600 + 600 is past its 1 500.
    assert [r.code for r in b.reasons][-3:] == [
        "reason.optimal.not_selected",
        "reason.optimal.per_applicant_by_selection_earlier",
        "reason.optimal.per_applicant_selected",
    ]
    assert (b.reasons[-2].params["total"], b.reasons[-2].params["earlier"]) == (1700, 500)
    assert b.reasons[-1].params["funded"] == ["A"]


@pytest.mark.parametrize(
    ("most", "expected"),
    [(1199, {"A", "D"}), (1200, {"A", "B", "D"}), (1799, {"A", "B", "D"}), (1800, {"A", "B", "C"})],
)
def test_an_organisations_maximum_to_the_krone(
    make_application: MakeApp, most: int, expected: set[str]
) -> None:
    """X's A, B, C (600 each, 5, 4 and 3 points) and D (600, 1 point, no organisation), budget
    1 800: X may have one of its three under a maximum of 1 199, two under 1 200 or 1 799, all
    three under 1 800 (then A, B, C: 12 points against A, B, D's 10)."""
    apps = [
        make_application(id="A", requested=600, score=Decimal(5), orgnr=X),
        make_application(id="B", requested=600, score=Decimal(4), orgnr=X),
        make_application(id="C", requested=600, score=Decimal(3), orgnr=X),
        make_application(id="D", requested=600, score=Decimal(1), orgnr=None),
    ]
    policy = Policy(rule="optimal", per_applicant_max=most)
    result = allocate(apps, 1800, policy)
    check_invariants(apps, 1800, policy, result)
    assert funded(result) == expected
    assert brute_force_funds(apps, 1800, policy) == {frozenset(expected)}


@pytest.mark.parametrize("seed", range(10))
def test_earlier_rounds_against_exhaustive_search(make_application: MakeApp, seed: int) -> None:
    """Small random rounds with two organisations that had awards in earlier rounds."""
    rng = random.Random(seed)
    apps = [
        make_application(
            id=f"P{i}",
            requested=rng.randrange(1, 10) * 100,
            total_cost=None,
            score=Decimal(rng.randrange(1, 10)),
            orgnr=rng.choice([None, X, X, Y]),
        )
        for i in range(10)
    ]
    budget = sum(a.requested for a in apps) // 2
    policy = Policy(rule="optimal", per_applicant_max=rng.randrange(10, 25) * 100)
    prior = {X: rng.randrange(0, 8) * 100, Y: rng.randrange(0, 8) * 100}
    result = allocate(apps, budget, policy, prior_by_orgnr=prior)
    by_id = {a.id: a for a in apps}
    check_invariants(apps, budget, policy, result)
    assert policy.per_applicant_max is not None
    for org, before in prior.items():
        now = sum(d.amount for d in result.decisions if by_id[d.application_id].orgnr == org)
        assert before + now <= policy.per_applicant_max
    assert frozenset(funded(result)) in brute_force_funds(apps, budget, policy, prior)


@pytest.mark.parametrize("rule", ["ranked", "optimal"])
def test_a_max_count_counts_the_officers_decision_to_fund(
    make_application: MakeApp, rule: str
) -> None:
    """At most 2 Arkiv applications funded; the officer funded Arkiv's S4, so the rule may fund
    one more: S1 (9 points) and, with the 100k left, T (1 point). S1, S2 and S3 (24 points)
    would make 4 Arkiv applications funded."""
    apps = [
        make_application(id=f"S{i}", requested=100_000, score=Decimal(10 - i), category="Arkiv")
        for i in range(1, 4)
    ]
    apps.append(
        make_application(id="S4", requested=100_000, score=Decimal(1), category="Arkiv").model_copy(
            update={
                "decision": "fund",
                "decision_amount": 100_000,
                "decision_reason": "Strategisk viktig for regionen",
            }
        )
    )
    apps.append(make_application(id="T", requested=100_000, score=Decimal(1), category="Annet"))
    quota = Quota(by="category", value="Arkiv", max_count=2)
    policy = Policy(rule=rule, quotas=(quota,))  # type: ignore[arg-type]
    result = allocate(apps, 400_000, policy)
    check_invariants(apps, 400_000, policy, result)
    assert funded(result) == {"S4", "S1", "T"}
    assert sum(d.amount for d in result.decisions) == 300_000


def _clock_ran_out(selected: list[bool], bound: float) -> Callable[..., _Solution]:
    """A solve stopped by the time limit with ``selected`` found and ``bound`` proven (in the
    program's units): the real solver's outcome depends on the machine's speed."""

    def solve(*args: object, **kwargs: object) -> _Solution:
        return _Solution(selected, False, 0, bound, False)

    return solve


def test_a_bound_with_fine_scores_is_not_rounded_below_a_better_selection(
    make_application: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One of A (1.00003 points) and B (1.00000) fits. The clock ran out with B found and the
    bound 1.00003 proven (100 003 in units of 0.00001). The note must not say that nothing can
    reach more than 1 (the bound rounded to 4 decimals), which A does: the bound is 1.00003 and
    the gap 0.00003 / 1.00003 = 0.0000299991..., 0.000029 rounded down."""
    apps = [
        make_application(id="A", requested=100, score=Decimal("1.00003"), orgnr=None),
        make_application(id="B", requested=100, score=Decimal("1.00000"), orgnr=None),
    ]
    monkeypatch.setattr(optimal, "_solve", _clock_ran_out([False, True], 100_003.0))
    result = allocate(apps, 100, Policy(rule="optimal"))
    assert funded(result) == {"B"}
    found = [n for n in result.notes if n.code == "note.optimal.not_proven"]
    assert len(found) == 1
    params = found[0].params
    assert params["value"] == Decimal(1)
    assert params["bound"] == Decimal("1.00003")
    assert params["gap"] == Decimal("0.000029")
    assert "no selection can reach more than 1.00003 (" in reason_text(found[0], "en")


def test_the_bound_and_gap_in_points_when_the_clock_ran_out(
    make_application: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A (2.5), B (1.5), C (0.5), 100 each, budget 200: A and B found, 4.0 points; a bound of
    42.5 in the program's units (tenths of a point) is 4.25 points, a gap of 0.25 / 4.25 =
    0.0588235..., 0.058823 rounded down."""
    apps = [
        make_application(id="A", requested=100, score=Decimal("2.5"), orgnr=None),
        make_application(id="B", requested=100, score=Decimal("1.5"), orgnr=None),
        make_application(id="C", requested=100, score=Decimal("0.5"), orgnr=None),
    ]
    monkeypatch.setattr(optimal, "_solve", _clock_ran_out([True, True, False], 42.5))
    result = allocate(apps, 200, Policy(rule="optimal", time_limit=2))
    check_invariants(apps, 200, result.policy, result)
    assert funded(result) == {"A", "B"}
    found = [n for n in result.notes if n.code == "note.optimal.not_proven"]
    assert len(found) == 1
    assert found[0].params == {
        "objective": "score",
        "value": Decimal("4.0"),
        "bound": Decimal("4.25"),
        "gap": Decimal("0.058823"),
        "time_limit": Decimal(2),
    }
    assert "note.optimal.proven" not in {n.code for n in result.notes}


def _expected_tie_notes(
    apps: list[Application], budget: int, policy: Policy, result: Allocation
) -> tuple[list[tuple[int, list[str], list[str]]], list[tuple[int, list[str], list[str]]]]:
    """The tie notes as the module docstring defines them, worked out from the awards alone:
    ``note.optimal.tie`` for a rank whose members of one eligible amount are split between
    funded and not, where one funded gives way to one not funded and every limit still holds;
    ``note.optimal.tie_swap`` for a rank split between funded and not where one funded gives
    way to one not funded of another amount (as good: equal points) and every limit still
    holds, checked with exact fractions (:func:`quota_problems`)."""
    entries = rank_order(apps, policy, required=False)
    awards = {d.application_id: d.amount for d in result.decisions}
    eligible = {a.id: whole_eligible(a, policy) for a in apps}
    by_id = {a.id: a for a in apps}
    same: dict[tuple[int, int], list[str]] = {}
    by_rank: dict[int, list[str]] = {}
    for e in entries:
        i = e.application.id
        if e.tied and e.rank is not None and eligible[i]:
            same.setdefault((e.rank, eligible[i]), []).append(i)
            by_rank.setdefault(e.rank, []).append(i)

    def holds(swapped: dict[str, int]) -> bool:
        if sum(swapped.values()) > budget or quota_problems(apps, swapped, budget, policy):
            return False
        if policy.per_applicant_max is None:
            return True
        orgs = {a.organisation for a in apps} - {None}
        return all(
            sum(v for i, v in swapped.items() if by_id[i].organisation == org)
            <= policy.per_applicant_max
            for org in orgs
        )

    ties = [
        (rank, ids, [i for i in ids if awards[i]])
        for (rank, _), ids in same.items()
        if len(ids) > 1
        and 0 < sum(1 for i in ids if awards[i]) < len(ids)
        and any(
            holds({**awards, i: 0, j: eligible[j]})
            for i in ids
            if awards[i]
            for j in ids
            if not awards[j]
        )
    ]
    swaps = []
    for rank, ids in by_rank.items():
        funded = [i for i in ids if awards[i]]
        left = [i for i in ids if not awards[i]]
        if not funded or not left:
            continue
        for i in funded:
            for j in left:
                if eligible[i] == eligible[j]:
                    continue
                if objective_points(by_id[i], eligible[i], policy) != objective_points(
                    by_id[j], eligible[j], policy
                ):
                    continue
                if holds({**awards, i: 0, j: eligible[j]}):
                    swaps.append((rank, ids, funded))
                    break
            else:
                continue
            break
    return ties, swaps


def test_a_tie_only_a_quotas_minimum_decided_is_not_said_to_be_the_orders(
    make_application: MakeApp,
) -> None:
    """S1 and S3 share rank 1 and ask for 100 kr each, with room for one. Only S1 is in
    category B, whose minimum needs an award: the quota chose S1, not the id order, and no
    selection as good funds S3. No note says the order chose (README: a tie is named "when an
    equally good selection could have funded the other one")."""
    apps = [
        make_application(
            id=i, requested=100, total_cost=None, score=Decimal(5), orgnr=None, category=c
        )
        for i, c in (("S1", "B"), ("S3", None))
    ]
    policy = Policy(rule="optimal", quotas=({"by": "category", "value": "B", "min_amount": 1},))
    result = allocate(apps, 100, policy)
    assert {d.application_id: d.amount for d in result.decisions} == {"S1": 100, "S3": 0}
    assert not [n for n in result.notes if n.code == "note.optimal.tie"]
    # Without the quota the same tie is the order's, and the note says so.
    free = allocate(apps, 100, Policy(rule="optimal"))
    (tie,) = [n for n in free.notes if n.code == "note.optimal.tie"]
    assert tie.params["funded_ids"] == ["S1"]


@pytest.mark.parametrize("seed", range(6))
def test_tie_notes_against_their_definition(make_application: MakeApp, seed: int) -> None:
    """Small rounds full of ties (three scores, four amounts, one organisation, a quota with a
    minimum or a maximum): the notes that say the stated order chose within a tie are exactly
    the ones the definitions in the module docstring call for, and the selection is one
    exhaustive search finds best."""
    rng = random.Random(seed)
    for _ in range(25):
        apps = [
            make_application(
                id=f"T{i}",
                requested=rng.choice([100, 200, 300, 400]),
                total_cost=None,
                score=Decimal(rng.choice([1, 2, 3])),
                orgnr=rng.choice([None, None, X]),
                category=rng.choice(["A", "B"]),
            )
            for i in range(rng.randrange(3, 9))
        ]
        budget = sum(a.requested for a in apps) * rng.randrange(2, 8) // 10
        policy = Policy(
            rule="optimal",
            objective=rng.choice(["score", "count"]),
            per_applicant_max=rng.choice([None, 500]),
            quotas=rng.choice(
                [
                    (),
                    ({"by": "category", "value": "A", "max_count": 2},),
                    ({"by": "category", "value": "B", "min_amount": 300},),
                    ({"by": "category", "value": "B", "min_count": 1, "max_count": 2},),
                ]
            ),
        )
        try:
            result = allocate(apps, budget, policy)
        except PolicyError:
            assert brute_force_funds(apps, budget, policy) == set()  # no selection meets all
            continue
        check_invariants(apps, budget, policy, result)
        assert frozenset(funded(result)) in brute_force_funds(apps, budget, policy)
        ties, swaps = _expected_tie_notes(apps, budget, policy, result)
        said = {
            code: [
                (n.params["rank"], n.params["ids"], n.params["funded_ids"])
                for n in result.notes
                if n.code == code
            ]
            for code in ("note.optimal.tie", "note.optimal.tie_swap")
        }
        assert sorted(said["note.optimal.tie"]) == sorted(ties)
        assert sorted(said["note.optimal.tie_swap"]) == sorted(swaps)


@pytest.mark.parametrize(
    ("most", "said"),
    [
        (None, "no selection of whole awards meets every quota within the budget;"),
        (1000, "no selection of whole awards meets every quota within the budget and per_app"),
    ],
)
def test_minimums_that_whole_awards_cannot_meet_together_are_refused(
    make_application: MakeApp, most: int | None, said: str
) -> None:
    """A and B each need 500 and have two applications of 300: each needs both of its own
    (600), 1 200 in all, more than the budget of 1 100, though the minimums add up to 1 000 and
    pass the quotas' own check. No selection exists; the error names both groups."""
    apps = [
        make_application(id=f"{c}{i}", requested=300, score=Decimal(i), orgnr=None, category=c)
        for c in "AB"
        for i in (1, 2)
    ]
    quotas = tuple(Quota(by="category", value=c, min_amount=500) for c in "AB")
    policy = Policy(rule="optimal", quotas=quotas, per_applicant_max=most)
    with pytest.raises(QuotaError) as caught:
        allocate(apps, 1100, policy)
    assert str(caught.value).startswith(said)
    assert "category 'A'" in str(caught.value)
    assert "category 'B'" in str(caught.value)
    assert "ikke noe utvalg av hele tilskudd oppfyller alle kvotene" in caught.value.text("nb")


def test_a_swap_that_breaks_a_quota_does_not_end_the_search_for_one_that_fits(
    make_application: MakeApp,
) -> None:
    """Z (9 points, Arkiv) is funded, and Arkiv may have one funded application. A5, B1 and B2
    share rank 2 (5 points); Z with B1 (200) or with B2 (250) fits the 350, B1 and B2 together
    do not, and A5 would be Arkiv's second. The id chose B1 over B2, an equally good selection:
    the round must say so, though swapping B1 for A5, the smallest left out, breaks the quota."""
    apps = [
        make_application(id="Z", requested=100, score=Decimal(9), orgnr=None, category="Arkiv"),
        make_application(id="A5", requested=50, score=Decimal(5), orgnr=None, category="Arkiv"),
        make_application(id="B1", requested=200, score=Decimal(5), orgnr=None, category="Bok"),
        make_application(id="B2", requested=250, score=Decimal(5), orgnr=None, category="Bok"),
    ]
    quota = Quota(by="category", value="Arkiv", max_count=1)
    policy = Policy(rule="optimal", quotas=(quota,))
    result = allocate(apps, 350, policy)
    check_invariants(apps, 350, policy, result)
    assert funded(result) == {"Z", "B1"}
    assert brute_force_funds(apps, 350, policy) == {frozenset({"Z", "B1"})}
    swaps = [n.params for n in result.notes if n.code == "note.optimal.tie_swap"]
    assert swaps == [
        {
            "rank": 2,
            "count": 3,
            "ids": ["A5", "B1", "B2"],
            "funded_ids": ["B1"],
            "broken_by": "id",
        }
    ]


def test_a_tie_break_the_clock_cut_short_is_said_and_only_then(
    make_application: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proven optimal, but among the equally good selections the time ran out before the one
    of the best-ranked applications was proven: both are said. When both are proven, neither
    the note on the tie-break nor one that the optimum is not proven is given."""
    apps = [
        make_application(id="A", requested=100, score=Decimal(2), orgnr=None),
        make_application(id="B", requested=100, score=Decimal(1), orgnr=None),
    ]
    proven = allocate(apps, 100, Policy(rule="optimal"))
    codes = [n.code for n in proven.notes if n.code.startswith("note.optimal.")]
    assert "note.optimal.proven" in codes
    assert "note.optimal.tie_break_not_proven" not in codes
    assert "note.optimal.not_proven" not in codes

    def cut_short(*args: object, **kwargs: object) -> _Solution:
        return _Solution([True, False], True, 2, 2.0, False)

    monkeypatch.setattr(optimal, "_solve", cut_short)
    result = allocate(apps, 100, Policy(rule="optimal"))
    assert funded(result) == {"A"}
    codes = [n.code for n in result.notes]
    assert "note.optimal.proven" in codes
    assert "note.optimal.tie_break_not_proven" in codes


def test_a_round_with_nothing_eligible_is_proven(make_application: MakeApp) -> None:
    """Every score is below min_score: nothing to select, and nothing better can exist."""
    apps = [
        make_application(id="A", requested=100, score=Decimal(2), orgnr=None),
        make_application(id="B", requested=100, score=Decimal(1), orgnr=None),
    ]
    policy = Policy(rule="optimal", min_score=Decimal(3))
    result = allocate(apps, 100, policy)
    check_invariants(apps, 100, policy, result)
    assert result.awarded == 0
    codes = [n.code for n in result.notes]
    assert "note.optimal.proven" in codes
    assert "note.optimal.not_proven" not in codes
    assert "note.optimal.no_bound" not in codes
    assert "note.optimal.tie_break_not_proven" not in codes
