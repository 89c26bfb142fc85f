"""Tests for what pass 1 of the quotas does where its estimates leave a minimum unmet: in a
small round an exact search (``quotas._Search``), in a larger one the plan with a missing
amount counted as at least one whole award. Checked against an exhaustive search over the
rule's own order semantics (:func:`~tests.rules.quota_helpers.ranked_reachable`)."""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tilskudd.errors import PolicyError, QuotaUnmetError
from tilskudd.models import Allocation, Application, Policy, Quota
from tilskudd.rules import allocate
from tilskudd.rules import quotas as quotas_module
from tilskudd.rules.quotas import EXACT_AT_MOST, QuotaBook

from .quota_helpers import brute_force, quota_problems, ranked_reachable
from .test_quota_look_ahead import ORG_A, ORG_B, _limited_round

MakeApp = Callable[..., Application]


def amounts_of(result: Allocation) -> dict[str, int]:
    return {d.application_id: d.amount for d in result.decisions}


def _outcome(apps: list[Application], budget: int, policy: Policy) -> Allocation | str:
    try:
        return allocate(apps, budget, policy)
    except PolicyError as exc:
        return str(exc)


def _refused(outcome: Allocation | str) -> bool:
    return isinstance(outcome, str) and "ranked rule could not meet" in outcome


def _without_search() -> Any:
    """The rule as it was before it searched: a round the estimates leave unmet is refused."""
    return patch.object(QuotaBook, "searched", lambda self: None)


# --- a missing amount costs at least one whole award --------------------------------------------


def _bare_amount_round(padding: int) -> tuple[list[Application], Policy]:
    # Category B needs 200 kr. S1 (B, 150) is rank 1, S2 (B, 200) rank 2; `padding`
    # applications of category C (10 kr each, rank 3), which needs 1 funded, follow.
    apps = [
        Application(id="S1", requested=150, score=Decimal(9), category="B"),
        Application(id="S2", requested=200, score=Decimal(8), category="B"),
    ]
    apps += [
        Application(id=f"C{k:02}", requested=10, score=Decimal(1), category="C")
        for k in range(padding)
    ]
    policy = Policy(
        round_to=1,
        quotas=(
            Quota(by="category", value="B", min_amount=200),
            Quota(by="category", value="C", min_count=1),
        ),
    )
    return apps, policy


@pytest.mark.parametrize("padding", [1, EXACT_AT_MOST])
def test_a_missing_amount_is_not_counted_as_less_than_one_whole_award(padding: int) -> None:
    # Budget 212. Every run of the estimates takes S1 for B: after it 62 are left, and B's
    # missing 50 and C's cheapest 10 were counted as 60. But no member of B can bring 50: S2
    # asks 200, and B is refused. Counted as one whole award, B's missing 50 costs S2's 200:
    # S1 is passed over, S2 is taken (B met) and then C01 (C met), with 2 left.
    # With 1 of C that is the exact search; with EXACT_AT_MOST of them (14 that can serve a
    # minimum, more than it looks at) the plan with whole awards.
    apps, policy = _bare_amount_round(padding)
    result = allocate(apps, 212, policy)
    assert amounts_of(result) == {"S1": 0, "S2": 200, "C00": 10} | {
        f"C{k:02}": 0 for k in range(1, padding)
    }
    by_id = result.by_id()
    assert by_id["S2"].reasons[0].code == "reason.quota.min_reserved"
    assert by_id["C00"].reasons[0].code == "reason.quota.min_count_reserved"
    assert result.budget == result.awarded + result.unallocated
    # As it was: refused, with B short.
    with _without_search(), pytest.raises(QuotaUnmetError, match="category 'B'"):
        allocate(apps, 212, policy)


def test_the_plan_with_whole_awards_runs_only_after_the_estimates_fail() -> None:
    # A large round (more than EXACT_AT_MOST applications can serve a minimum): the runs are
    # the plan and then, only if the book searches (a round that would be refused), the plan
    # with whole awards; a small one searches exactly instead.
    apps, policy = _bare_amount_round(EXACT_AT_MOST)
    book = QuotaBook.build(apps, 212, policy, [a.requested for a in apps])
    assert book is not None
    from tilskudd.rules.common import rank_order

    entries = rank_order(apps, policy)
    assert list(book._estimates(entries, policy)) == ["plan"]
    searching = book.searched()
    assert searching is not None
    assert list(searching._estimates(entries, policy)) == ["plan", "whole"]
    assert searching.searched() is None
    small, small_policy = _bare_amount_round(EXACT_AT_MOST - 2)
    book = QuotaBook.build(small, 212, small_policy, [a.requested for a in small])
    assert book is not None
    searching = book.searched()
    assert searching is not None
    entries = rank_order(small, small_policy)
    assert list(searching._estimates(entries, small_policy)) == ["plan", "exact"]


# --- the greedy choice under a maximum amount ---------------------------------------------------


def test_the_search_finds_a_choice_the_greedy_one_leaves_short_under_a_maximum(
    make_application: MakeApp,
) -> None:
    # Round 962 of the 4 000 below, without the applications in no group. County 03 needs
    # 150 kr and 1 funded, and may have 2 funded. S2 (03, 50) is rank 1, S4 (03 and 46, 300)
    # and S5 (03, 50) share rank 2; budget 307. Every estimate takes S2 (after it 257 left;
    # 03's missing 100 counted as what S5 and S4 can bring, at least S5's 50), and then S4
    # does not fit and S5 fills 03's 2 funded at 100 kr: refused. The search sees that after
    # S2 no choice meets 03 (S4 does not fit, S5 leaves no room for a third), passes S2 over
    # and takes S4: 300, 03 met. S2 and S5 then do not fit in the 7 left.
    apps = [
        make_application(id=i, requested=r, score=Decimal(s), counties=c, orgnr=None)
        for i, s, r, c in (
            ("S2", 2, 50, ("03",)),
            ("S4", 1, 300, ("46", "03")),
            ("S5", 1, 50, ("03",)),
        )
    ]
    policy = Policy(
        round_to=1,
        quotas=(Quota(by="county", value="03", min_amount=150, min_count=1, max_count=2),),
    )
    result = allocate(apps, 307, policy)
    assert amounts_of(result) == {"S2": 0, "S4": 300, "S5": 0}
    by_id = result.by_id()
    assert by_id["S4"].reasons[0].code == "reason.quota.min_count_reserved"
    assert by_id["S2"].reasons[0].code == "reason.budget.exhausted"
    assert amounts_of(result) == ranked_reachable(apps, 307, policy, pass_two=False)
    with _without_search(), pytest.raises(QuotaUnmetError, match="county 03"):
        allocate(apps, 307, policy)
    # The plan with whole awards does not find it: its choice is greedy.
    with patch.object(quotas_module, "EXACT_AT_MOST", 0), pytest.raises(QuotaUnmetError):
        allocate(apps, 307, policy)


def test_the_search_does_not_count_on_an_application_below_min_score(
    make_application: MakeApp,
) -> None:
    # The round above with S6 (03, 100 kr) below min_score 2. Were S6 counted as able to
    # serve 03, taking S2 first would seem to leave a choice that meets 03 (S2 and S6: 150 kr,
    # 2 funded); but S6 gets nothing, so after S2 only S5 fits and 03 is short (refused). The
    # search counts only what can be funded: S2 is passed over and S4 taken, as without S6.
    apps = [
        make_application(id=i, requested=r, score=Decimal(s), counties=c, orgnr=None)
        for i, s, r, c in (
            ("S2", 3, 50, ("03",)),
            ("S4", 2, 300, ("46", "03")),
            ("S5", 2, 50, ("03",)),
            ("S6", 1, 100, ("03",)),
        )
    ]
    policy = Policy(
        round_to=1,
        min_score=Decimal(2),
        quotas=(Quota(by="county", value="03", min_amount=150, min_count=1, max_count=2),),
    )
    result = allocate(apps, 307, policy)
    assert amounts_of(result) == {"S2": 0, "S4": 300, "S5": 0, "S6": 0}
    assert amounts_of(result) == ranked_reachable(apps, 307, policy, pass_two=False)
    by_id = result.by_id()
    assert by_id["S4"].reasons[0].code == "reason.quota.min_count_reserved"
    assert by_id["S6"].reasons[0].code == "reason.ineligible.below_min_score"


def test_a_missing_amount_is_counted_as_what_a_member_gets_within_its_organisations_room(
    make_application: MakeApp,
) -> None:
    # per_applicant_max 150; budget 260. Category A needs 2 funded and 250 kr, and may have
    # 300. P (100) and Q (200) are organisation A's, R (150) organisation B's, in that order.
    # The estimates take P (after it A's other member R brings both), then Q, cut to A's 50
    # left: A then misses 100, counted as a bare 100 of the 110 left; R (150) does not fit,
    # and A is refused. With the missing 100 counted as at least R's whole 150, Q is passed
    # over and R taken: 250 in all, A met with 2 funded.
    apps = [
        make_application(id="P", requested=100, score=Decimal(3), category="A", orgnr=ORG_A),
        make_application(id="Q", requested=200, score=Decimal(2), category="A", orgnr=ORG_A),
        make_application(id="R", requested=150, score=Decimal(1), category="A", orgnr=ORG_B),
    ]
    policy = Policy(
        round_to=1,
        per_applicant_max=150,
        quotas=(Quota(by="category", value="A", min_count=2, min_amount=250, max_amount=300),),
    )
    for exact_at_most in (EXACT_AT_MOST, 0):  # the search, and the plan with whole awards
        with patch.object(quotas_module, "EXACT_AT_MOST", exact_at_most):
            result = allocate(apps, 260, policy)
        assert amounts_of(result) == {"P": 100, "Q": 0, "R": 150}
        assert result.by_id()["R"].reasons[0].code == "reason.quota.min_count_reserved"
    with _without_search(), pytest.raises(QuotaUnmetError, match="category 'A'"):
        allocate(apps, 260, policy)


# --- the 4 000 tiny rounds ----------------------------------------------------------------------


def test_no_round_whole_awards_can_meet_is_refused_and_no_met_round_changes() -> None:
    """Over the 4 000 tiny random rounds of test_quota_look_ahead.py (seed 2611, 3 to 8
    applications, so every round is searched exactly): the 47 rounds the estimates refused
    although whole awards meet every quota are all met now, and one more that only a partial
    award meets (48; 30 of them by the plan with whole awards too); every round met before
    gets the same decisions (the notes of a tie may change: an order of it that was refused
    may be met now); what the rule
    allocates holds every quota; and a round still refused is one no choice of pass 1 meets
    (the exhaustive search over the rule's order semantics), though some would be met by an
    award of pass 2 (a partial award at the line) after another choice."""
    rng = random.Random(2611)
    rounds = rescued = rescued_by_whole = refused = needs_pass_two = tie_notes_changed = 0
    for _ in range(4000):
        apps, policy, budget = _limited_round(rng)
        if not policy.quotas:
            continue
        new = _outcome(apps, budget, policy)
        if isinstance(new, str) and not _refused(new):
            continue  # refused before any allocation
        rounds += 1
        with _without_search():
            before = _outcome(apps, budget, policy)
        if isinstance(before, Allocation):
            # The same decisions. A tie's note may change: another order of the tie that was
            # refused may now be met, by the search (with the same awards or others).
            assert isinstance(new, Allocation)
            assert new.decisions == before.decisions, (apps, policy, budget)
            assert [n for n in new.notes if "tie" not in n.code] == [
                n for n in before.notes if "tie" not in n.code
            ]
            tie_notes_changed += new.notes != before.notes
            continue
        if isinstance(new, Allocation):
            assert not quota_problems(apps, amounts_of(new), budget, policy)
            assert new.budget == new.awarded + new.unallocated
            rescued += 1
            with patch.object(quotas_module, "EXACT_AT_MOST", 0):
                rescued_by_whole += isinstance(_outcome(apps, budget, policy), Allocation)
            continue
        refused += 1
        best, _ = brute_force(apps, budget, policy, [a.id for a in apps])
        assert best is None, (apps, policy, budget)
        assert ranked_reachable(apps, budget, policy, pass_two=False) is None
        needs_pass_two += ranked_reachable(apps, budget, policy) is not None
    assert rounds > 1900
    # Figures as measured (2026-11-30): 47 rounds whole awards meet were refused before.
    assert rescued == 48
    assert rescued_by_whole == 30
    assert needs_pass_two == 21
    # 9 since the tie re-runs exchange ids rather than move applications (7 before): in two
    # more rounds the notes with the search differ from those without it, and re-allocating
    # with the tie's ids exchanged confirms the new ones (the order decided nothing).
    assert tie_notes_changed == 9


# --- against the exhaustive search, for any tiny round ------------------------------------------


@st.composite
def tiny_rounds(draw: st.DrawFn) -> tuple[list[Application], Policy, int]:
    """A round of 3 to 8 applications in categories A and B and counties 03 and 46, with
    minimums and maximums that bind, often per_applicant_max, any funding line, and a budget
    of about half of what is asked."""
    n = draw(st.integers(3, 8))
    apps = [
        Application(
            id=f"S{k + 1}",
            requested=draw(st.sampled_from([50, 100, 100, 150, 200, 300])),
            score=Decimal(draw(st.integers(1, 4))),
            category=draw(st.sampled_from(["A", "B", None])),
            counties=tuple(sorted(draw(st.sets(st.sampled_from(["03", "46"]), max_size=2)))),
            orgnr=draw(st.sampled_from([None, None, ORG_A, ORG_B])),
        )
        for k in range(n)
    ]
    quotas = []
    for _ in range(draw(st.integers(1, 3))):
        by = draw(st.sampled_from(["category", "county"]))
        value = draw(st.sampled_from(["*", "A", "B"] if by == "category" else ["*", "03", "46"]))
        limits: dict[str, int] = draw(
            st.sampled_from(
                [
                    {"min_count": 1},
                    {"min_count": 2},
                    {"min_amount": 150},
                    {"min_amount": 300},
                    {"min_count": 1, "min_amount": 150},
                    {},
                ]
            )
        )
        if draw(st.booleans()):
            most = draw(st.sampled_from([1, 2, 3, 150, 200, 300, 400]))
            if most > 3:
                limits = limits | {"max_amount": max(most, limits.get("min_amount", 0))}
            else:
                limits = limits | {"max_count": max(most, limits.get("min_count", 0))}
        if any(limits.values()):
            quotas.append(Quota(by=by, value=value, **limits))  # type: ignore[arg-type]
    policy = Policy(
        quotas=tuple(quotas),
        round_to=draw(st.sampled_from([1, 1, 50])),
        at_line=draw(st.sampled_from(["skip", "stop", "partial"])),
        per_applicant_max=draw(st.sampled_from([None, None, 200, 300])),
    )
    asked = sum(a.requested for a in apps)
    budget = draw(st.integers(max(50, asked // 4), max(50, asked * 3 // 4)))
    return apps, policy, budget


@settings(
    max_examples=600,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(tiny_rounds(), st.randoms(use_true_random=False))
def test_a_tiny_round_is_refused_only_if_no_choice_of_pass_one_meets_its_quotas(
    round_: tuple[list[Application], Policy, int], rng: random.Random
) -> None:
    """The rule meets every minimum of a round of up to 8 applications whenever some choice
    of pass 1 does (the rule's order semantics, searched exhaustively), and what it meets
    them with is a result of those semantics (where only the search met them, the one of the
    best-ranked choice); the same whatever the row order."""
    apps, policy, budget = round_
    outcome = _outcome(apps, budget, policy)
    if isinstance(outcome, str) and not _refused(outcome):
        return  # refused before any allocation: the checks of test_quota_feasibility.py
    if isinstance(outcome, str):
        assert ranked_reachable(apps, budget, policy, pass_two=False) is None, outcome
    else:
        awards = amounts_of(outcome)
        assert not quota_problems(apps, awards, budget, policy)
        assert outcome.budget == outcome.awarded + outcome.unallocated
        assert ranked_reachable(apps, budget, policy) is not None
        with _without_search():
            searched = _refused(_outcome(apps, budget, policy))
        if searched:
            # The best-ranked choice of pass 1 that meets the minimums, as the search takes it.
            assert awards == ranked_reachable(apps, budget, policy, pass_two=False)
    shuffled = list(apps)
    rng.shuffle(shuffled)
    again = _outcome(shuffled, budget, policy)
    if isinstance(outcome, str):
        assert again == outcome
    else:
        assert isinstance(again, Allocation)
        assert amounts_of(again) == amounts_of(outcome)


def test_the_pass_that_searches_takes_the_runs_the_refused_pass_made() -> None:
    # The round of the padded bare amount (14 applications that can serve a minimum: the plan
    # with whole awards). The rule's first pass makes the first run and the plan's, both
    # short; the pass that searches takes those and makes only the run with whole awards.
    apps, policy = _bare_amount_round(EXACT_AT_MOST)
    made: list[object] = []
    original = QuotaBook._pass_one

    def counted(self: QuotaBook, *args: Any) -> Any:
        made.append(args[-1])
        return original(self, *args)

    with (
        patch.object(QuotaBook, "_pass_one", counted),
        patch("tilskudd.rules.ranked.settle_tie_notes", lambda notes, *args: list(notes)),
    ):
        result = allocate(apps, 212, policy)
    assert amounts_of(result)["S2"] == 200
    assert made == [None, "plan", "whole"]
