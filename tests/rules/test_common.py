"""Tests for tilskudd.rules.common: caps, eligibility, rank order, per-applicant totals, results."""

from __future__ import annotations

import gc
import random
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import tilskudd.rules
from tilskudd.errors import PolicyError, TilskuddError
from tilskudd.i18n import get
from tilskudd.models import (
    DECISIONS_CHECKED,
    Allocation,
    Application,
    Decision,
    Policy,
    Reason,
    Status,
    TieBreak,
)
from tilskudd.money import MAX_AMOUNT
from tilskudd.rules import RULES, allocate
from tilskudd.rules.common import (
    AllocationInvariantError,
    ApplicantTotals,
    Caps,
    build_allocation,
    eligible_amount,
    floor_to,
    gc_paused,
    make_decision,
    make_reason,
    natural_key,
    natural_keys,
    rank_order,
    ranking,
    require_ranking,
    require_scores,
    score_reason,
    share_decimal,
    tie_notes,
)
from tilskudd.wording import reason_text

from .strategies import applications, ascii_ids, policies

MakeApp = Callable[..., Application]


def codes(reasons: list[Reason] | tuple[Reason, ...]) -> list[str]:
    return [r.code for r in reasons]


# --- natural order ------------------------------------------------------------------------------


@given(applications(), st.data())
def test_eligible_all_is_eligible_one_by_one(apps: list[Application], data: st.DataObject) -> None:
    # The bulk pass the rules use says exactly what min_score and the caps say per application.
    policy = data.draw(policies("ranked"))
    caps = Caps(policy)
    amounts, reasons, ids, requested, orgnrs = caps.eligible_all(apps)
    assert ids == [a.id for a in apps]
    assert orgnrs == [a.organisation for a in apps]
    assert requested == [a.requested for a in apps]
    for app, amount, why in zip(apps, amounts, reasons, strict=True):
        low = caps.score_reason(app)
        assert type(why) is tuple  # what the decision holds, not copied again
        if low is not None:
            assert (amount, why) == (0, (low,))
        else:
            amount_one, why_one = caps.eligible(app)
            assert (amount, why) == (amount_one, tuple(why_one))


def test_ranking_by_score_treats_equal_decimals_as_a_tie(make_application: MakeApp) -> None:
    apps = [
        make_application(id="A", score=Decimal("4.5")),
        make_application(id="B", score=Decimal("4.50")),
        make_application(id="C", score=Decimal("4.51")),
    ]
    order, ranks, tied = ranking(apps, Policy())
    assert [apps[i].id for i in order] == ["C", "A", "B"]
    assert ranks == [1, 2, 2]
    assert tied == [False, True, True]


@given(
    st.integers(0, 60),
    st.integers(1, 80),
    st.booleans(),
    st.sampled_from([(), (TieBreak(column="region"),)]),
    st.randoms(use_true_random=False),
)
def test_ranking_ties_are_runs_of_equal_keys(
    n: int, distinct: int, by_rank: bool, tie_break: tuple[TieBreak, ...], rng: random.Random
) -> None:
    # Competition ranks and tie marks as the definition has them, position by position, whether
    # a round has few distinct keys (most applications tied), many, or none equal.
    apps = [
        Application(
            id=f"S{i}",
            requested=1,
            rank=rng.randrange(distinct) + 1 if by_rank else None,
            score=None if by_rank else Decimal(rng.randrange(distinct)) / 10,
            extra={"region": rng.choice([None, "Nord", "Sør"])},
        )
        for i in range(n)
    ]
    order, ranks, tied = ranking(apps, Policy(tie_break=tie_break))

    def key(i: int) -> tuple[object, ...]:
        app = apps[i]
        return (app.rank, app.score, *(app.extra["region"] for _ in tie_break))

    keys = [key(i) for i in order]
    expected_ranks = list(range(1, n + 1))
    for p in range(1, n):
        if keys[p] == keys[p - 1]:
            expected_ranks[p] = expected_ranks[p - 1]
    assert ranks == expected_ranks
    assert tied == [
        (p > 0 and keys[p] == keys[p - 1]) or (p + 1 < n and keys[p] == keys[p + 1])
        for p in range(n)
    ]


def test_natural_key_orders_numbers_by_value() -> None:
    ids = ["S10", "T1", "S2", "S1", "S02", "10", "9"]
    assert sorted(ids, key=natural_key) == ["9", "10", "S1", "S02", "S2", "S10", "T1"]


@given(st.lists(ascii_ids(), unique=True))
def test_natural_keys_fast_path_orders_like_natural_key(ids: list[str]) -> None:
    keys = natural_keys(ids)
    assert sorted(ids, key=lambda i: keys[ids.index(i)]) == sorted(ids, key=natural_key)


@given(st.lists(st.integers(0, 10_000), unique=True), st.sampled_from(["S", "A-", ""]))
def test_natural_keys_fast_path_with_prefix(numbers: list[int], prefix: str) -> None:
    ids = [f"{prefix}{n}" for n in numbers] + [f"{prefix}0{n}" for n in numbers[:2]]
    keys = natural_keys(ids)
    by_fast = [i for _, i in sorted(zip(keys, ids, strict=True))]
    assert by_fast == sorted(ids, key=natural_key)


# --- eligible amount ----------------------------------------------------------------------------


def test_share_of_cost_cap_difi_2009(make_application: MakeApp) -> None:
    # Difi 2009: the grant is at most 20 % of the project's cost.
    app = make_application(requested=4_000_000, total_cost=16_500_000)
    amount, reasons = eligible_amount(app, Policy(max_share_of_cost="20 %"))
    assert amount == 3_300_000
    assert reasons == [
        Reason(
            code="reason.cap.share_of_cost",
            params={
                "share": Decimal("0.2"),
                "total_cost": 16_500_000,
                "cap": 3_300_000,
                "amount": 4_000_000,
            },
        )
    ]


def test_share_of_cost_is_floored_exactly(make_application: MakeApp) -> None:
    # 12.5 % of 1 000 001 is 125 000.125: floor, no float error.
    app = make_application(requested=200_000, total_cost=1_000_001)
    amount, _ = eligible_amount(app, Policy(max_share_of_cost=Decimal("0.125")))
    assert amount == 125_000
    # 0.1 × 30 is exactly 3 (a float would give 3.0000000000000004 or 2.9999…).
    app = make_application(requested=30, total_cost=30)
    assert eligible_amount(app, Policy(max_share_of_cost=Decimal("0.1")))[0] == 3


def test_caps_apply_in_order_and_each_binding_cap_has_a_reason(make_application: MakeApp) -> None:
    app = make_application(requested=5_000_000, total_cost=16_503_000)
    policy = Policy(max_award=4_000_000, max_share_of_cost="20%", round_to=1000)
    amount, reasons = eligible_amount(app, policy)
    # 5 000 000 -> 4 000 000 (max) -> 3 300 600 (20 %) -> 3 300 000 (round down).
    assert amount == 3_300_000
    assert codes(reasons) == [
        "reason.cap.max_award",
        "reason.cap.share_of_cost",
        "reason.cap.round_to",
    ]
    assert reasons[0].params == {"cap": 4_000_000, "amount": 5_000_000}
    assert reasons[1].params["cap"] == 3_300_600
    assert reasons[1].params["amount"] == 4_000_000
    assert reasons[2].params == {"step": 1000}


def test_caps_that_do_not_bind_leave_no_reason(make_application: MakeApp) -> None:
    app = make_application(requested=300_000, total_cost=2_000_000)
    policy = Policy(max_award=400_000, max_share_of_cost="20%", round_to=1000)
    assert eligible_amount(app, policy) == (300_000, [])


def test_caps_met_exactly_do_not_bind(make_application: MakeApp) -> None:
    """A request of exactly the cap is not cut by it, and says nothing of it."""
    app = make_application(requested=400_000, total_cost=2_000_000)
    policy = Policy(max_award=400_000, max_share_of_cost="20%", round_to=1000)
    assert eligible_amount(app, policy) == (400_000, [])


def test_no_total_cost_means_the_share_cap_cannot_apply(make_application: MakeApp) -> None:
    app = make_application(requested=300_000, total_cost=None)
    amount, reasons = eligible_amount(app, Policy(max_share_of_cost="20%"))
    assert amount == 300_000
    assert codes(reasons) == ["reason.cap.share_of_cost_unknown"]


def test_below_min_award_is_not_eligible(make_application: MakeApp) -> None:
    app = make_application(requested=80_000, total_cost=300_000)
    amount, reasons = eligible_amount(app, Policy(max_share_of_cost="20%", min_award=75_000))
    assert amount == 0
    assert codes(reasons) == ["reason.cap.share_of_cost", "reason.ineligible.below_min_award"]
    assert reasons[-1].params == {"amount": 60_000, "min_award": 75_000}


def test_rounding_to_nothing_is_not_eligible(make_application: MakeApp) -> None:
    app = make_application(requested=999)
    amount, reasons = eligible_amount(app, Policy(round_to=1000))
    assert amount == 0
    assert codes(reasons) == ["reason.cap.round_to", "reason.ineligible.nothing_after_caps"]


def test_min_score(make_application: MakeApp) -> None:
    policy = Policy(min_score=Decimal(60))
    low = score_reason(make_application(score=Decimal("59.5")), policy)
    assert low == Reason(
        code="reason.ineligible.below_min_score",
        params={"score": Decimal("59.5"), "min_score": Decimal(60)},
    )
    assert score_reason(make_application(score=Decimal(60)), policy) is None
    assert score_reason(make_application(score=Decimal(1)), Policy()) is None


# --- per applicant ------------------------------------------------------------------------------


def test_applicant_totals_cap_then_exclude(make_application: MakeApp) -> None:
    policy = Policy(per_applicant_max=500_000, round_to=1000)
    totals = ApplicantTotals(policy)
    a = make_application(id="A", orgnr="974760673")
    assert totals.limit(a, 300_000) == (300_000, None)
    totals.add(a, 300_000)
    amount, reason = totals.limit(a, 300_000)
    assert amount == 200_000
    assert reason is not None
    assert reason.code == "reason.cap.per_applicant"
    assert reason.params == {
        "orgnr": "974760673",
        "max": 500_000,
        "already": 300_000,
        "cap": 200_000,
    }
    totals.add(a, 200_000)
    amount, reason = totals.limit(a, 1000)
    assert amount == 0
    assert reason is not None
    assert reason.code == "reason.ineligible.per_applicant"
    # Another organisation, and an application without orgnr, are not affected.
    assert totals.limit(make_application(orgnr="964338531"), 400_000) == (400_000, None)
    assert totals.limit(make_application(orgnr=None), 9_000_000) == (9_000_000, None)


def test_applicant_totals_at_their_edges(make_application: MakeApp) -> None:
    """What is left under the maximum, met exactly: all of it and no reason; left exactly at the
    minimum award: capped to it, still eligible."""
    totals = ApplicantTotals(Policy(per_applicant_max=500_000, min_award=200_000))
    a = make_application(orgnr="974760673")
    assert totals.limit(a, 500_000) == (500_000, None)  # nothing given yet: all of it
    totals.add(a, 300_000)
    assert totals.limit(a, 200_000) == (200_000, None)
    amount, reason = totals.limit(a, 300_000)
    assert amount == 200_000
    assert reason is not None
    assert reason.code == "reason.cap.per_applicant"


def test_applicant_totals_left_below_min_award(make_application: MakeApp) -> None:
    totals = ApplicantTotals(Policy(per_applicant_max=500_000, min_award=250_000))
    a = make_application(orgnr="974760673")
    totals.add(a, 300_000)
    amount, reason = totals.limit(a, 300_000)
    assert amount == 0
    assert reason is not None
    assert reason.code == "reason.ineligible.per_applicant"
    assert reason.params["left"] == 200_000


def test_applicant_totals_round_what_is_left_down(make_application: MakeApp) -> None:
    totals = ApplicantTotals(Policy(per_applicant_max=1_250_500, round_to=1000))
    a = make_application(orgnr="974760673")
    totals.add(a, 1_000_000)
    assert totals.limit(a, 400_000)[0] == 250_000


def test_applicant_totals_say_what_is_really_left_below_one_step(make_application: MakeApp) -> None:
    # 500 kr are left under the maximum, less than one step of round_to: the reason says 500 kr
    # (max - already), not the 0 kr the grid leaves, which read as 1 250 500 - 1 250 000 = 0.
    totals = ApplicantTotals(Policy(per_applicant_max=1_250_500, round_to=1000))
    a = make_application(orgnr="974760673")
    totals.add(a, 1_250_000)
    amount, reason = totals.limit(a, 1000)
    assert amount == 0
    assert reason is not None
    assert reason.code == "reason.ineligible.per_applicant"
    assert reason.params["left"] == 500
    assert "NOK\xa0500 is left, too little for a grant" in reason_text(reason, "en")


# --- rank order ---------------------------------------------------------------------------------


def _order(entries: list[tilskudd.rules.common.RankedEntry]) -> list[tuple[str, int | None, bool]]:
    return [(e.application.id, e.rank, e.tied) for e in entries]


def test_rank_order_by_score_with_competition_ranking(make_application: MakeApp) -> None:
    apps = [
        make_application(id="S10", score=Decimal(4)),
        make_application(id="S2", score=Decimal(4)),
        make_application(id="S1", score=Decimal(7)),
        make_application(id="S3", score=Decimal("3.5")),
    ]
    assert _order(rank_order(apps, Policy())) == [
        ("S1", 1, False),
        ("S2", 2, True),  # S2 before S10: natural id order inside the tie
        ("S10", 2, True),
        ("S3", 4, False),
    ]


def test_given_rank_wins_over_score(make_application: MakeApp) -> None:
    apps = [
        make_application(id="A", score=Decimal(9), rank=3),
        make_application(id="B", score=Decimal(1), rank=1),
        make_application(id="C", score=Decimal(5), rank=2),
    ]
    assert [e.application.id for e in rank_order(apps, Policy())] == ["B", "C", "A"]


def test_given_ranks_are_renumbered_and_shared_ranks_tie(make_application: MakeApp) -> None:
    apps = [
        make_application(id="A", rank=5, score=None),
        make_application(id="B", rank=5, score=None),
        make_application(id="C", rank=9, score=None),
    ]
    assert _order(rank_order(apps, Policy())) == [("A", 1, True), ("B", 1, True), ("C", 3, False)]


def test_tie_break_columns_field_and_extra(make_application: MakeApp) -> None:
    apps = [
        make_application(id="A", score=Decimal(5), total_cost=900_000, extra={"region": "Nord"}),
        make_application(id="B", score=Decimal(5), total_cost=500_000, extra={"region": "Sør"}),
        make_application(id="C", score=Decimal(5), total_cost=500_000, extra={}),
        make_application(id="D", score=Decimal(5), total_cost=500_000, extra={"region": "Nord"}),
    ]
    policy = Policy(tie_break="total_cost asc, region desc")
    # Cheapest first; among those, region descending with the empty one last.
    assert _order(rank_order(apps, policy)) == [
        ("B", 1, False),
        ("D", 2, False),
        ("C", 3, False),
        ("A", 4, False),
    ]
    # Descending cost: A first; the three at 500 000 tie on cost and stay tied without region.
    policy = Policy(tie_break=(TieBreak(column="total_cost", descending=True),))
    assert _order(rank_order(apps, policy)) == [
        ("A", 1, False),
        ("B", 2, True),
        ("C", 2, True),
        ("D", 2, True),
    ]


def test_a_tie_break_column_of_numbers_typed_as_text_orders_by_value(
    make_application: MakeApp,
) -> None:
    # Every cell of a CSV is text: a column of part scores with a decimal comma ("4,5",
    # "4,25") ordered naturally put 4,25 above 4,5 (25 > 5), and the funding line fell by it.
    # A text that is a plain number is that number; a code led by 0 stays text, which sorts
    # after the numbers ascending (and so before them descending).
    values = {"A": "4,5", "B": "4,25", "C": "4,75", "D": 4, "E": "0150", "F": "1 000"}
    apps = [
        make_application(id=i, score=Decimal(5), extra={"Delpoeng": v}) for i, v in values.items()
    ]
    order = [a for a, _rank, _tied in _order(rank_order(apps, Policy(tie_break="Delpoeng desc")))]
    assert order == ["E", "F", "C", "A", "B", "D"]
    order = [a for a, _rank, _tied in _order(rank_order(apps, Policy(tie_break="Delpoeng asc")))]
    assert order == ["D", "B", "A", "C", "F", "E"]


def test_unknown_tie_break_column_is_a_policy_error(make_application: MakeApp) -> None:
    with pytest.raises(PolicyError, match="'kostnad'") as caught:
        rank_order([make_application()], Policy(tie_break="kostnad"))
    assert str(caught.value).startswith("tie-break column 'kostnad' is neither an application")
    assert caught.value.text("nb").startswith(
        "kolonnen «kostnad» i rekkefølgen ved poenglikhet (tie_break) er verken et felt"
    )


def test_rank_order_does_not_depend_on_row_order(make_application: MakeApp) -> None:
    apps = [
        make_application(id=f"S{i}", score=Decimal(i % 3), total_cost=100_000 + i % 2)
        for i in range(1, 40)
    ]
    policy = Policy(tie_break="total_cost asc")
    expected = _order(rank_order(apps, policy))
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(apps)
        assert _order(rank_order(apps, policy)) == expected


def test_require_ranking_names_what_is_missing(make_application: MakeApp) -> None:
    apps = [make_application(id=f"S{i}", score=None) for i in range(1, 4)]
    apps.append(make_application(id="S9", score=Decimal(3)))
    with pytest.raises(PolicyError, match=r"3 of 4 applications have neither \(S1, S2, S3\)"):
        require_ranking(apps)
    mixed = [make_application(id="A", score=None, rank=1), make_application(id="B", rank=None)]
    with pytest.raises(PolicyError) as caught:
        require_ranking(mixed)
    assert "1 with a rank but no score (A), 1 with a score but no rank (B)" in str(caught.value)
    # Said in the command's language, as every other policy problem is.
    assert caught.value.text("nb") == (
        "noen søknader har rangering og andre poeng: 1 med rangering uten poeng (A), 1 med "
        "poeng uten rangering (B); gi hver søknad poeng, eller hver søknad en rangering"
    )
    assert require_ranking(mixed[1:]) == "score"
    with pytest.raises(PolicyError) as caught:
        require_ranking(apps)
    assert caught.value.text("nb").endswith(
        "men 3 av 4 søknader har ingen av delene (S1, S2, S3); gi hver søknad poeng eller en "
        "rangering"
    )


def test_require_scores_is_said_in_norwegian_too(make_application: MakeApp) -> None:
    apps = [make_application(id="S1", score=None), make_application(id="S2")]
    with pytest.raises(PolicyError) as caught:
        require_scores(apps, "min_score")
    assert (
        str(caught.value) == "min_score needs a score for every application; 1 of 2 has none (S1)"
    )
    assert (
        caught.value.text("nb") == "min_score krever poeng for hver søknad; 1 av 2 har ingen (S1)"
    )


def test_unranked_order_is_natural_id_order(make_application: MakeApp) -> None:
    apps = [make_application(id=i, score=None) for i in ("S10", "S9", "S1")]
    entries = rank_order(apps, Policy(), required=False)
    assert _order(entries) == [("S1", None, False), ("S9", None, False), ("S10", None, False)]


# --- ties at the line ---------------------------------------------------------------------------


def test_tie_notes_only_for_ties_treated_differently(make_application: MakeApp) -> None:
    apps = [
        make_application(id="A", score=Decimal(9)),
        make_application(id="B", score=Decimal(9)),
        make_application(id="C", score=Decimal(5)),
        make_application(id="D", score=Decimal(5)),
        make_application(id="E", score=Decimal(5)),
    ]
    entries = rank_order(apps, Policy())
    notes = tie_notes(entries, ["funded", "funded", "funded", None, "unfunded"])
    assert notes == [
        Reason(
            code="note.tie_at_line",
            params={
                "rank": 3,
                "count": 3,
                "ids": ["C", "D", "E"],
                "funded_ids": ["C"],
                "broken_by": "id",
            },
        )
    ]
    assert tie_notes(entries, ["funded", "funded", "unfunded", None, "unfunded"]) == []


# --- building results ---------------------------------------------------------------------------


def test_fast_objects_equal_validated_twins(make_application: MakeApp) -> None:
    reason = make_reason("reason.budget.exhausted", rank=3, remaining=10, needed=20)
    assert reason == Reason(
        code="reason.budget.exhausted", params={"rank": 3, "remaining": 10, "needed": 20}
    )
    app = make_application(id="X", requested=500)
    decision = make_decision(
        app, Status.FUNDED, 400, eligible=400, rank=2, tied=True, reasons=[reason]
    )
    twin = Decision(
        application_id="X",
        status=Status.FUNDED,
        amount=400,
        requested=500,
        eligible_amount=400,
        rank=2,
        tied=True,
        reasons=(reason,),
    )
    assert decision == twin
    assert type(decision) is Decision
    assert type(reason) is Reason
    assert decision.check() is decision
    # replace() makes a checked copy and leaves the original as it was.
    copy = decision.replace(amount=300)
    assert copy.amount == 300
    assert decision.amount == 400
    with pytest.raises(ValueError, match="does not fit"):
        decision.replace(amount=0)
    with pytest.raises(AttributeError):
        decision.amount = 1  # type: ignore[misc]


def test_build_allocation_accounts_for_the_budget(make_application: MakeApp) -> None:
    app = make_application(id="X", requested=500)
    d = make_decision(app, Status.FUNDED, 400, eligible=400, rank=1, tied=False, reasons=[])
    allocation = build_allocation("ranked", Policy(), 1000, [d])
    assert (allocation.budget, allocation.awarded, allocation.unallocated) == (1000, 400, 600)


@pytest.mark.parametrize(
    ("status", "amount", "eligible", "policy", "error", "message"),
    [
        (Status.FUNDED, 500, 400, Policy(), AllocationInvariantError, "above its eligible"),
        (Status.FUNDED, 450, 500, Policy(round_to=100), AllocationInvariantError, "off round_to"),
        (Status.FUNDED, 100, 500, Policy(min_award=200), AllocationInvariantError, "below min"),
        (Status.FUNDED, 2000, 2000, Policy(), AllocationInvariantError, "more than the budget"),
        (Status.NOT_FUNDED, 100, 500, Policy(), AllocationInvariantError, "does not fit amount"),
        (Status.FUNDED, 0, 500, Policy(), AllocationInvariantError, "does not fit amount"),
        (Status.FUNDED, 400, None, Policy(), AllocationInvariantError, "above its eligible"),
    ],
)
def test_build_allocation_refuses_broken_decisions(
    make_application: MakeApp,
    status: Status,
    amount: int,
    eligible: int | None,
    policy: Policy,
    error: type[Exception],
    message: str,
) -> None:
    app = make_application(id="X", requested=5000)
    d = make_decision(app, status, amount, eligible=eligible, rank=1, tied=False, reasons=[])
    with pytest.raises(error, match=message):
        build_allocation("ranked", policy, 1000, [d])


def test_build_allocation_refuses_an_application_twice(make_application: MakeApp) -> None:
    app = make_application(id="X", requested=500)
    d = make_decision(app, Status.FUNDED, 100, eligible=500, rank=1, tied=False, reasons=[])
    with pytest.raises(AllocationInvariantError, match="more than once"):
        build_allocation("ranked", Policy(), 1000, [d, d])


def test_allocation_checks_decisions_it_was_not_told_are_checked(make_application: MakeApp) -> None:
    # The shortcut build_allocation takes is for the very tuple it checked, not for another.
    app = make_application(id="X", requested=500)
    good = make_decision(app, Status.FUNDED, 100, eligible=500, rank=1, tied=False, reasons=[])
    bad = good._replace(status=Status.NOT_FUNDED)
    checked = (good,)
    with pytest.raises(ValidationError, match="does not fit"):
        Allocation.model_validate(
            {
                "rule": "ranked",
                "policy": Policy(),
                "budget": 1000,
                "decisions": (bad,),
                "awarded": 100,
                "unallocated": 900,
            },
            context={DECISIONS_CHECKED: checked},
        )


def test_share_decimal_rounds_down() -> None:
    assert share_decimal(2, 3) == Decimal("0.6666")
    assert share_decimal(99_999, 100_000) == Decimal("0.9999")  # never shown as 100 %
    assert share_decimal(1, 1) == Decimal("1.0000")


def test_gc_paused_restores_the_collector() -> None:
    seen: list[bool] = []

    @gc_paused
    def probe(fail: bool) -> None:
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("boom")

    was = gc.isenabled()
    try:
        gc.enable()
        probe(False)
        assert gc.isenabled()
        with pytest.raises(ValueError, match="boom"):
            probe(True)
        assert gc.isenabled()
        gc.disable()
        probe(False)
        assert not gc.isenabled()
        assert seen == [False, False, False]
    finally:
        (gc.enable if was else gc.disable)()


# --- dispatch -----------------------------------------------------------------------------------


def test_rules_registry() -> None:
    assert set(RULES) == {"ranked", "proportional", "optimal", "lottery"}


def test_allocate_dispatches_on_the_policy_rule(make_application: MakeApp) -> None:
    apps = [make_application(id="A", requested=100), make_application(id="B", requested=300)]
    assert allocate(apps, 200, Policy(rule="ranked")).rule == "ranked"
    proportional = allocate(apps, 200, Policy(rule="proportional"))
    assert proportional.rule == "proportional"
    assert [d.amount for d in proportional.decisions] == [50, 150]


def test_allocate_refuses_unknown_rules_bad_budgets_and_duplicate_ids(
    make_application: MakeApp,
) -> None:
    apps = [make_application(id="A")]
    # Every rule a Policy accepts is registered; an unknown one can only come from outside it.
    with pytest.raises(PolicyError, match=r"'nope'.*lottery, optimal, proportional, ranked"):
        allocate(apps, 100, Policy.model_construct(rule="nope"))
    for budget in (-1, MAX_AMOUNT + 1):
        with pytest.raises(PolicyError, match="from 0 to 9007199254740991"):
            allocate(apps, budget, Policy())
    with pytest.raises(TilskuddError, match="1 occur more than once: A"):
        allocate([*apps, make_application(id="A")], 100, Policy())


@pytest.mark.parametrize("rule", ["ranked", "proportional", "lottery"])
def test_the_largest_amounts_allocate_to_the_krone(make_application: MakeApp, rule: str) -> None:
    # Amounts up to MAX_AMOUNT fit the rules' machine-integer lists (2**63 - 1) with room over.
    apps = [
        make_application(id="A", requested=MAX_AMOUNT, total_cost=MAX_AMOUNT, score=Decimal(5)),
        make_application(id="B", requested=MAX_AMOUNT - 1, total_cost=MAX_AMOUNT, score=Decimal(4)),
    ]
    result = allocate(apps, MAX_AMOUNT, Policy(rule=rule, seed=1))  # type: ignore[arg-type]
    assert result.awarded + result.unallocated == MAX_AMOUNT
    assert result.awarded >= MAX_AMOUNT - 1
    with pytest.raises(ValidationError, match="less than or equal to 9007199254740991"):
        make_application(id="C", requested=MAX_AMOUNT + 1)


@pytest.mark.parametrize("rule", ["ranked", "proportional", "lottery"])
def test_a_rules_own_decisions_are_not_the_officers_overrides(
    make_application: MakeApp, rule: str
) -> None:
    # An override is the officer's decision: the result shows it as such, and build_allocation
    # does not hold it to the caps. A rule's own decisions are held to them: A asks 300 000,
    # above the 200 000 cap, and gets at most 200 000.
    apps = [
        make_application(id="A", requested=300_000, score=Decimal(5)),
        make_application(id="B", requested=100_000, score=Decimal(4)),
    ]
    policy = Policy(rule=rule, seed=1, max_award=200_000)  # type: ignore[arg-type]
    result = allocate(apps, 250_000, policy)
    assert [d.override for d in result.decisions] == [False, False]
    assert max(d.amount for d in result.decisions) <= 200_000
    assert result.awarded + result.unallocated == 250_000


# --- every code has words -----------------------------------------------------------------------


def test_every_reason_code_in_the_rules_has_text_in_every_language() -> None:
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in Path(tilskudd.rules.__file__).parent.glob("*.py")
    )
    found = set(re.findall(r'"((?:reason|note)\.[a-z_]+(?:\.[a-z_]+)+)"', source))
    assert len(found) >= 20
    for lang in ("en", "nb"):
        missing = sorted(code for code in found if not get(lang).has(code))
        assert missing == [], lang


def test_score_places_makes_every_score_whole_and_refuses_infinity() -> None:
    from tilskudd.rules.common import score_places

    assert score_places([Decimal("4.5"), Decimal("3.25"), Decimal(7)], "x") == 2
    assert score_places([], "x") == 0
    with pytest.raises(PolicyError, match="the optimal rule needs finite scores"):
        score_places([Decimal("Infinity")], "the optimal rule")
    # The values decide, not how they were written: 4.50 is 4.5, 1E+2 and 0.00 need no places.
    assert score_places([Decimal("4.50"), Decimal("1E+2"), Decimal("0.00")], "x") == 1
    assert score_places([Decimal("12.340"), Decimal("12.34")], "x") == 2
    with pytest.raises(PolicyError, match="finite"):
        score_places([Decimal(3), Decimal("sNaN")], "x")


def test_floor_to_rounds_down_to_the_step() -> None:
    assert [floor_to(a, 100) for a in (0, 99, 100, 1_234, 1_299)] == [0, 0, 100, 1_200, 1_200]
    assert floor_to(7, 1) == 7


def test_score_places_of_zero_written_with_decimals_is_none() -> None:
    from tilskudd.rules.common import score_places

    # 0.00 is 0: beside whole scores it asks for no places (beside 4.5 it could hide).
    assert score_places([Decimal("0.00"), Decimal(3)], "x") == 0
    assert score_places([Decimal("-0.0")], "x") == 0
