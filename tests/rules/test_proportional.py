"""Tests for the ``proportional`` rule: exact hand-built shares, and properties."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tilskudd.errors import PolicyError
from tilskudd.models import Allocation, Application, Decision, Policy, Reason, Status
from tilskudd.rules import allocate
from tilskudd.rules.proportional import allocate_proportional
from tilskudd.wording import reason_text

from .rounds import org_round
from .strategies import applications, budgets, check_invariants, policies

MakeApp = Callable[..., Application]
F, P, N = Status.FUNDED, Status.PARTLY_FUNDED, Status.NOT_FUNDED
PROPORTIONAL = Policy(rule="proportional")


def amounts(result: Allocation) -> dict[str, int]:
    return {d.application_id: d.amount for d in result.decisions}


def last_code(d: Decision) -> str:
    return d.reasons[-1].code


@pytest.fixture
def three(make_application: MakeApp) -> list[Application]:
    """Eligible 100 000, 200 000 and 300 000, equal scores, no caps."""
    return [
        make_application(id=f"S{i}", requested=r, orgnr=None)
        for i, r in enumerate((100_000, 200_000, 300_000), start=1)
    ]


def test_equal_fraction(three: list[Application]) -> None:
    result = allocate(three, 300_000, PROPORTIONAL)
    assert amounts(result) == {"S1": 50_000, "S2": 100_000, "S3": 150_000}
    assert result.unallocated == 0
    assert all(d.status is P for d in result.decisions)
    share = Reason(code="reason.proportional.share", params={"fraction": Decimal("0.5")})
    assert all(d.reasons == (share,) for d in result.decisions)
    assert result.notes == (
        Reason(
            code="note.proportional.fraction",
            params={"fraction": Decimal("0.5"), "count": 3},
        ),
    )


def test_budget_covering_everything_funds_in_full(three: list[Application]) -> None:
    result = allocate(three, 1_000_000, PROPORTIONAL)
    assert amounts(result) == {"S1": 100_000, "S2": 200_000, "S3": 300_000}
    assert (result.awarded, result.unallocated) == (600_000, 400_000)
    assert all(d.status is F for d in result.decisions)
    assert {last_code(d) for d in result.decisions} == {"reason.proportional.full"}
    assert [n.code for n in result.notes] == ["note.proportional.all_full"]


def test_leftover_kroner_by_largest_remainder_then_rank(make_application: MakeApp) -> None:
    apps = [
        make_application(id="S1", requested=100, score=Decimal(3)),
        make_application(id="S2", requested=100, score=Decimal(5)),
        make_application(id="S3", requested=100, score=Decimal(4)),
    ]
    # 200 / 3 = 66.67 each: 66 + 66 + 66 = 198, the 2 kroner left go to the better ranked.
    result = allocate(apps, 200, PROPORTIONAL)
    assert [(d.application_id, d.amount) for d in result.decisions] == [
        ("S2", 67),
        ("S3", 67),
        ("S1", 66),
    ]
    # Without scores, natural id order decides.
    unscored = [a.model_copy(update={"score": None}) for a in apps]
    result = allocate(unscored, 200, PROPORTIONAL)
    assert amounts(result) == {"S1": 67, "S2": 67, "S3": 66}
    assert all(d.rank is None for d in result.decisions)


def test_round_to_steps_by_largest_remainder(make_application: MakeApp) -> None:
    apps = [
        make_application(id=i, requested=r, orgnr=None)
        for i, r in (("A", 10_000), ("B", 20_000), ("C", 30_000))
    ]
    policy = Policy(rule="proportional", round_to=1000)
    # 25/60 of each: 4 166.67, 8 333.33, 12 500 -> 4 000, 8 000, 12 000; one step of 1 000 is
    # left and goes to the largest remainder (C: 500).
    result = allocate(apps, 25_000, policy)
    assert amounts(result) == {"A": 4_000, "B": 8_000, "C": 13_000}
    assert result.unallocated == 0
    # Less than a step cannot be handed out.
    equal = [a.model_copy(update={"requested": 10_000}) for a in apps]
    result = allocate(equal, 25_500, policy)
    assert amounts(result) == {"A": 9_000, "B": 8_000, "C": 8_000}
    assert result.unallocated == 500


def test_min_award_drops_the_smallest_share_and_recomputes(make_application: MakeApp) -> None:
    rows = [
        ("S1", 400_000, 2_000_000, 5),
        ("S2", 300_000, 1_000_000, 4),  # 20 % cap: 200 000
        ("S3", 200_000, 1_000_000, 4),
        ("S4", 500_000, 5_000_000, 3),
        ("S5", 100_000, 600_000, 2),  # below the minimum award before any sharing
    ]
    apps = [
        make_application(id=i, requested=r, total_cost=c, score=Decimal(s), orgnr=None)
        for i, r, c, s in rows
    ]
    policy = Policy(rule="proportional", max_share_of_cost="20%", min_award=150_000, round_to=1000)
    result = allocate(apps, 700_000, policy)
    # 700k over 1 300k eligible: S2 and S3 would get 107 692 each. S3 (later in order) drops
    # first; over 1 100k S2 would get 127 272 and drops too; S1 and S4 share 700k over 900k.
    assert amounts(result) == {"S1": 311_000, "S2": 0, "S3": 0, "S4": 389_000, "S5": 0}
    by_id = result.by_id()
    assert by_id["S3"].reasons[-1] == Reason(
        code="reason.proportional.below_min_award",
        params={"share": 107_000, "min_award": 150_000},
    )
    assert by_id["S2"].reasons[-1].params == {"share": 127_000, "min_award": 150_000}
    assert last_code(by_id["S5"]) == "reason.ineligible.below_min_award"
    assert by_id["S1"].reasons[-1].params == {"fraction": Decimal("0.7777")}
    assert result.unallocated == 0


def test_a_share_exactly_at_min_award_stays(make_application: MakeApp) -> None:
    """The minimum award is the least one may get: a share of exactly that much is kept."""
    apps = [make_application(id=i, requested=100_000, orgnr=None) for i in ("S1", "S2")]
    policy = Policy(rule="proportional", min_award=50_000)
    result = allocate(apps, 100_000, policy)
    assert amounts(result) == {"S1": 50_000, "S2": 50_000}
    # One krone less and the shares fall below it: one drops, the other takes it all.
    less = allocate(apps, 99_999, policy)
    assert amounts(less) == {"S1": 99_999, "S2": 0}
    assert last_code(less.by_id()["S2"]) == "reason.proportional.below_min_award"


def test_equal_shares_split_by_min_award_are_reported(make_application: MakeApp) -> None:
    apps = [
        make_application(id=i, requested=r, orgnr=None)
        for i, r in (("A", 100), ("B", 100), ("C", 300))
    ]
    result = allocate(apps, 350, Policy(rule="proportional", min_award=80))
    # 70 % for all: A and B (70 each) are below 80; B, later in id order, drops; then 350 over
    # 400 gives A 87.5 and C 262.5, and the odd krone goes to A (equal remainders: order).
    assert amounts(result) == {"A": 88, "B": 0, "C": 262}
    tie = [n for n in result.notes if n.code == "note.proportional.tie_at_min_award"]
    assert [n.params for n in tie] == [
        {"count": 2, "ids": ["A", "B"], "dropped_ids": ["B"], "broken_by": "id", "ranked": 1}
    ]
    # When both drop, the order decided nothing: no note.
    result = allocate(apps, 300, Policy(rule="proportional", min_award=80))
    assert amounts(result) == {"A": 0, "B": 0, "C": 300}
    assert [n.code for n in result.notes] == ["note.proportional.all_full_after_drops"]


def test_weight_by_score(make_application: MakeApp) -> None:
    apps = [
        make_application(id=i, requested=100_000, score=Decimal(s), orgnr=None)
        for i, s in (("A", 1), ("B", 2), ("C", 3))
    ]
    policy = Policy(rule="proportional", weight="score")
    result = allocate(apps, 150_000, policy)
    # In the ratio 1 : 2 : 3 of 150 000.
    assert amounts(result) == {"A": 25_000, "B": 50_000, "C": 75_000}
    assert [n.code for n in result.notes] == ["note.proportional.score_weighted"]
    # 150 000 over weights 1, 2, 3 of 100 000: a quarter of the eligible amount per point.
    assert result.notes[0].params == {"per_point": Decimal("0.25")}
    assert result.by_id()["A"].reasons[-1].params == {"fraction": Decimal("0.25")}
    assert result.by_id()["C"].reasons[-1].params == {"fraction": Decimal("0.75")}
    # With 200 000, C reaches its cap (a third per point × 3 = all of it); A and B share the
    # 100 000 left 1 : 2, and the odd krone goes to the larger remainder (B: 0.67).
    result = allocate(apps, 200_000, policy)
    assert amounts(result) == {"A": 33_333, "B": 66_667, "C": 100_000}
    assert result.by_id()["C"].status is F
    assert result.notes[0].params == {"per_point": Decimal("0.333333")}


def test_weight_by_decimal_scores_is_exact(make_application: MakeApp) -> None:
    apps = [
        make_application(id="A", requested=1_000_000, score=Decimal("4.5"), orgnr=None),
        make_application(id="B", requested=1_000_000, score=Decimal("3.25"), orgnr=None),
    ]
    result = allocate(apps, 775_000, Policy(rule="proportional", weight="score"))
    # 775 000 in the ratio 450 : 325.
    assert amounts(result) == {"A": 450_000, "B": 325_000}
    # A tenth of the eligible amount per score point (4.5 points: 45 %), said per whole point.
    assert result.notes[0].params == {"per_point": Decimal("0.1")}
    said = reason_text(result.notes[0], "en")
    assert "received 10% of its eligible amount per score point" in said


def test_weighted_cap_reached_after_a_better_score_dropped_out(make_application: MakeApp) -> None:
    """A (the best score, smallest weight) drops out below the minimum; the share that frees
    fills B (the next score) to its eligible amount, and C shares the rest."""
    rows = [("A", 45_000, "3"), ("B", 50_000, "2.9"), ("C", 150_000, "1")]
    apps = [
        make_application(id=i, requested=r, total_cost=None, score=Decimal(s), orgnr=None)
        for i, r, s in rows
    ]
    policy = Policy(rule="proportional", weight="score", min_award=40_000)
    result = allocate(apps, 110_000, policy)
    assert amounts(result) == {"A": 0, "B": 50_000, "C": 60_000}
    by_id = result.by_id()
    assert by_id["A"].reasons[-1].params == {"share": 34_534, "min_award": 40_000}
    assert last_code(by_id["B"]) == "reason.proportional.full"
    assert last_code(by_id["C"]) == "reason.proportional.share"


def test_weight_by_score_without_weight(make_application: MakeApp) -> None:
    apps = [
        make_application(id="A", requested=100, score=Decimal(0)),
        make_application(id="B", requested=100, score=Decimal(2)),
    ]
    result = allocate(apps, 100, Policy(rule="proportional", weight="score"))
    assert amounts(result) == {"A": 0, "B": 100}
    assert last_code(result.by_id()["A"]) == "reason.proportional.no_weight"


def test_no_weight_names_each_applications_own_score(make_application: MakeApp) -> None:
    # Rows out of rank order: the reason names the score of the application it is on, as written.
    apps = [
        make_application(id="C", requested=100, score=Decimal("0.00")),
        make_application(id="B", requested=100, score=Decimal(2)),
        make_application(id="A", requested=100, score=Decimal(0)),
    ]
    result = allocate(apps, 100, Policy(rule="proportional", weight="score"))
    assert amounts(result) == {"A": 0, "B": 100, "C": 0}
    by_id = result.by_id()
    for app_id, written in (("A", "0"), ("C", "0.00")):
        reason = by_id[app_id].reasons[-1]
        assert reason.code == "reason.proportional.no_weight"
        assert str(reason.params["score"]) == written


def test_per_applicant_max_caps_the_award_not_the_claim(make_application: MakeApp) -> None:
    """A1 and A2 of one organisation claim 600 000 under a maximum of 500 000, but are awarded
    far less: nothing is cut. All share f = 250 000 / 1 100 000: 68 181.8, 68 181.8 and
    113 636.4, the two kroner left to A1 and A2 (remainder 0.8)."""
    org = "974760673"
    apps = [
        make_application(id="A1", requested=300_000, score=Decimal(9), orgnr=org),
        make_application(id="A2", requested=300_000, score=Decimal(8), orgnr=org),
        make_application(id="B1", requested=500_000, score=Decimal(7), orgnr=None),
    ]
    policy = Policy(rule="proportional", per_applicant_max=500_000)
    result = allocate(apps, 250_000, policy)
    assert amounts(result) == {"A1": 68_182, "A2": 68_182, "B1": 113_636}
    assert result.by_id()["A2"].eligible_amount == 300_000
    assert [r.code for r in result.by_id()["A2"].reasons] == ["reason.proportional.share"]


ORG = "974760673"


def test_earlier_rounds_count_for_every_organisation(make_application: MakeApp) -> None:
    """What each organisation had in earlier rounds counts against its maximum, the second
    organisation named as much as the first."""
    first, second = "974760673", "964338531"
    apps = [
        make_application(id="A", requested=50_000, score=Decimal(5), orgnr=first),
        make_application(id="B", requested=50_000, score=Decimal(4), orgnr=second),
        make_application(id="C", requested=50_000, score=Decimal(3), orgnr=None),
    ]
    policy = Policy(rule="proportional", per_applicant_max=100_000)
    result = allocate(apps, 1_000_000, policy, prior_by_orgnr={first: 20_000, second: 90_000})
    assert amounts(result) == {"A": 50_000, "B": 10_000, "C": 50_000}
    held = result.by_id()["B"].reasons[-1]
    assert held.code == "reason.proportional.per_applicant_alone"
    assert (held.params["left"], held.params["earlier"]) == (10_000, 90_000)


def test_one_organisations_applications_sharing_a_rank_are_held_alike(
    make_application: MakeApp,
) -> None:
    """A1, A2 and A3, one organisation, share rank 1, and the maximum covers one and a half of
    them. Counting claims in id order cut A2 to 50 000 and A3 to nothing; held at its maximum,
    the organisation's three get 50 000 each, and no order among them is needed or noted."""
    apps = org_round(
        make_application, [("A1", ORG, 5), ("A2", ORG, 5), ("A3", ORG, 5), ("B", None, 4)]
    )
    result = allocate(apps, 1_000_000, Policy(rule="proportional", per_applicant_max=150_000))
    assert amounts(result) == {"A1": 50_000, "A2": 50_000, "A3": 50_000, "B": 100_000}
    assert all(d.eligible_amount == 100_000 for d in result.decisions)
    a3 = result.by_id()["A3"].reasons[-1]
    assert (a3.code, a3.params["others"]) == ("reason.proportional.per_applicant", ["A1", "A2"])
    codes = [n.code for n in result.notes]
    assert "note.proportional.per_applicant" in codes
    assert not [c for c in codes if "tie" in c]


def test_min_score_and_required_scores(make_application: MakeApp) -> None:
    apps = [
        make_application(id="A", requested=100, score=Decimal(2)),
        make_application(id="B", requested=100, score=Decimal(5)),
    ]
    result = allocate(apps, 100, Policy(rule="proportional", min_score=Decimal(3)))
    assert amounts(result) == {"A": 0, "B": 100}
    with pytest.raises(PolicyError, match='weight = "score" needs a score'):
        allocate(
            [make_application(id="C", score=None)],
            100,
            Policy(rule="proportional", weight="score"),
        )


def test_zero_budget(three: list[Application]) -> None:
    result = allocate(three, 0, PROPORTIONAL)
    assert result.awarded == 0
    assert {d.status for d in result.decisions} == {N}
    assert {last_code(d) for d in result.decisions} == {"reason.proportional.zero"}


# --- properties ---------------------------------------------------------------------------------

HELD = {"reason.proportional.per_applicant", "reason.proportional.per_applicant_alone"}
ACTIVE = {
    "reason.proportional.share",
    "reason.proportional.zero",
    "reason.proportional.full",
    *HELD,
}


@settings(deadline=None, max_examples=200)
@given(data=st.data())
def test_proportional_properties(data: st.DataObject) -> None:
    apps = data.draw(applications())
    policy = data.draw(policies("proportional"))
    budget = data.draw(budgets(apps))
    result = allocate_proportional(apps, budget, policy)
    check_invariants(apps, budget, policy, result)
    step = policy.round_to
    scores = {a.id: a.score for a in apps}

    active = [d for d in result.decisions if last_code(d) in ACTIVE]
    dropped = [d for d in result.decisions if last_code(d) == "reason.proportional.below_min_award"]
    assert all(d.amount == 0 and (d.eligible_amount or 0) >= policy.min_award for d in dropped)
    if policy.min_award:
        assert all(d.amount >= policy.min_award for d in active)
        assert not dropped or policy.min_award > 0

    # An organisation held at per_applicant_max shares at a level of its own (its properties:
    # test_proportional_per_applicant.py); the others share one.
    held = [d for d in active if last_code(d) in HELD]
    active = [d for d in active if last_code(d) not in HELD]

    # What is left unhanded is less than one step, unless everyone sharing got it all (or
    # all its organisation may receive).
    if result.unallocated >= step:
        assert all(d.amount == d.eligible_amount for d in active)
    if policy.weight == "none" and active and not held:
        total = sum(d.eligible_amount or 0 for d in active)
        if total > budget:
            # The same fraction of every eligible amount, up to one rounding step.
            f = Fraction(budget, total)
            for d in active:
                assert abs(d.amount - f * (d.eligible_amount or 0)) < step
    elif active:
        # A better score never gets a smaller share, up to rounding.
        for a in active:
            for b in active:
                if scores[a.application_id] > scores[b.application_id]:  # type: ignore[operator]
                    ea, eb = a.eligible_amount or 0, b.eligible_amount or 0
                    assert (a.amount + step) * eb >= (b.amount - step) * ea

    shuffled = data.draw(st.permutations(apps))
    assert allocate_proportional(shuffled, budget, policy) == result


def test_equal_remainders_across_the_last_step_are_noted(make_application: MakeApp) -> None:
    """Two identical applications and one step of 100 kr left: the id chose, and it is said."""
    apps = [
        make_application(id=i, requested=500, score=Decimal(5), total_cost=None, orgnr=None)
        for i in ("A2", "A1")
    ]
    result = allocate(apps, 501, Policy(rule="proportional", round_to=100))
    assert amounts(result) == {"A1": 300, "A2": 200}
    (tie,) = [n for n in result.notes if n.code == "note.proportional.remainder_tie"]
    assert tie.params["ids"] == ["A1", "A2"]
    assert tie.params["funded_ids"] == ["A1"]
    assert "went to A1 by the stated order (rank, then id)" in reason_text(tie, "en")
    # Enough for both steps: nothing was chosen between them, no note.
    even = allocate(apps, 600, Policy(rule="proportional", round_to=100))
    assert not [n for n in even.notes if n.code == "note.proportional.remainder_tie"]


def test_equal_remainders_in_a_round_without_ranks_are_said_to_go_by_id(
    make_application: MakeApp,
) -> None:
    """The Research Council's applications have no score: the last 1 000 kr steps went "by
    the stated order (rank, then id)", in a round, and a published list, with no rank."""
    apps = [
        make_application(id=i, requested=500, score=None, total_cost=None, orgnr=None)
        for i in ("A2", "A1")
    ]
    result = allocate(apps, 501, Policy(rule="proportional", round_to=100))
    (tie,) = [n for n in result.notes if n.code == "note.proportional.remainder_tie"]
    assert tie.params["ranked"] == 0
    assert reason_text(tie, "en").endswith(
        "went to A1 by the stated order (id, as no application has a score or rank), not to the "
        "others"
    )
    assert reason_text(tie, "nb").endswith(
        "gikk til A1 etter den oppgitte rekkefølgen (søknadsnummer, siden ingen søknad har poeng "
        "eller rangering), ikke til de andre"
    )


def test_all_full_after_drop_outs_does_not_say_all_eligible(make_application: MakeApp) -> None:
    """One drops out below min_award and the budget then covers the other: say it that way."""
    apps = [
        make_application(id="A", requested=1_000, score=Decimal(5), total_cost=None, orgnr=None),
        make_application(id="B", requested=240, score=Decimal(5), total_cost=None, orgnr=None),
    ]
    # Shared, B would get 1 000 / 1 240 of 240 = 193 kr, below 200: it drops, A gets all.
    result = allocate(apps, 1_000, Policy(rule="proportional", min_award=200))
    assert amounts(result) == {"A": 1_000, "B": 0}
    (note,) = [n for n in result.notes if n.code.startswith("note.proportional.all_full")]
    assert note.code == "note.proportional.all_full_after_drops"
    assert note.params == {"count": 1, "dropped": 1}


def test_every_share_below_min_award_is_said_in_the_notes(make_application: MakeApp) -> None:
    # 150 kr over two applications of 300: 75 each, below 200; B drops, then A alone would get
    # the whole 150, still below 200, and drops too. Nothing is awarded: the reasons must not
    # say that "the others share the budget", and a note says why the budget is left whole.
    apps = [make_application(id=i, requested=300, score=Decimal(5), orgnr=None) for i in ("A", "B")]
    result = allocate(apps, 150, Policy(rule="proportional", min_award=200))
    assert amounts(result) == {"A": 0, "B": 0}
    by_id = result.by_id()
    assert by_id["A"].reasons[-1].params == {"share": 150, "min_award": 200}
    assert reason_text(by_id["A"].reasons[-1], "en") == (
        "The proportional share, NOK\xa0150, would be below the minimum award of NOK\xa0200, so "
        "the application drops out of the sharing"
    )
    assert [(n.code, n.params) for n in result.notes] == [
        (
            "note.proportional.none_above_min_award",
            {"min_award": 200, "dropped": 2, "remaining": 150},
        )
    ]
    assert reason_text(result.notes[0], "nb") == (
        "Ingen andel nådde laveste tilskudd på 200\xa0kr: alle de 2 søknadene som delte rammen, "
        "falt ut, og 150\xa0kr er ikke fordelt"
    )


def test_a_tie_break_column_that_chose_is_named_in_the_proportional_notes(
    make_application: MakeApp,
) -> None:
    # All three given rank 3, the tie-break (total_cost asc) taking C, B, A: the odd krone went
    # to C and B, and the note said "by the stated order (rank, then id)", which names A before
    # C, beside the note that the tie-break ordered the three 3s.
    apps = [
        make_application(id=i, requested=100, total_cost=c, score=None, rank=3, orgnr=None)
        for i, c in (("A", 900), ("B", 500), ("C", 100))
    ]
    policy = Policy(rule="proportional", tie_break="total_cost asc")
    result = allocate(apps, 101, policy)
    assert amounts(result) == {"A": 33, "B": 34, "C": 34}
    codes = [n.code for n in result.notes]
    assert "note.given_rank_ordered" in codes
    (tie,) = [n for n in result.notes if n.code.startswith("note.proportional.remainder_tie")]
    assert tie.code == "note.proportional.remainder_tie_ordered"
    assert tie.params["funded_ids"] == ["C", "B"]
    assert tie.params["columns"] == "total_cost asc"
    assert "(rank, then the tie-break: total_cost asc, then id)" in reason_text(tie, "en")
    assert "så rekkefølgen ved likhet: total_cost asc, så søknadsnummer" in reason_text(tie, "nb")


def test_a_tie_break_column_that_chose_who_dropped_is_named(make_application: MakeApp) -> None:
    # As test_equal_shares_split_by_min_award_are_reported, but B cheaper than A: the tie-break
    # put B first, so A dropped, not B as id order would have it.
    apps = [
        make_application(id=i, requested=r, total_cost=c, orgnr=None)
        for i, r, c in (("A", 100, 900), ("B", 100, 500), ("C", 300, 900))
    ]
    policy = Policy(rule="proportional", min_award=80, tie_break="total_cost asc")
    result = allocate(apps, 350, policy)
    assert amounts(result) == {"A": 0, "B": 88, "C": 262}
    tie = [n for n in result.notes if n.code.startswith("note.proportional.tie_at_min_award")]
    assert [(n.code, n.params) for n in tie] == [
        (
            "note.proportional.tie_at_min_award_ordered",
            {
                "count": 2,
                "ids": ["B", "A"],
                "dropped_ids": ["A"],
                "broken_by": "tie_break",
                "columns": "total_cost asc",
                "ranked": 1,
            },
        )
    ]
    assert "dropped out by rank, the tie-break (total_cost asc) and id" in reason_text(tie[0], "en")


# --- the water level, worked out independently -----------------------------------------------


def water_level(units: list[tuple[int, Fraction]], budget: int) -> Fraction | None:
    """The largest ``f`` with ``sum(min(f * w, e)) <= budget`` over ``(e, w)`` units, exactly;
    ``None`` when the budget covers every ``e`` (no level binds). Independent of the rule: the
    units are taken in order of the level ``e / w`` at which each fills up."""
    if sum(e for e, _ in units) <= budget:
        return None
    left, weight = Fraction(budget), sum(w for _, w in units)
    for e, w in sorted(units, key=lambda u: u[0] / u[1]):
        if left / weight < e / w:
            break  # this one and every one after it stay below its eligible amount
        left -= e
        weight -= w
    return left / weight


@settings(deadline=None, max_examples=300)
@given(data=st.data())
def test_awards_are_the_water_level_rounded_down_then_largest_remainders(
    data: st.DataObject,
) -> None:
    """Against the module docstring, computed another way: the applications still sharing
    (not dropped below ``min_award``) get ``min(f × w, e)`` rounded down to ``round_to``, ``f``
    the level that uses the budget, and the steps this leaves go to the largest remainders;
    each reason says which of the three outcomes it is; those dropped had the smallest
    weights; the notes say the same."""
    apps = data.draw(applications())
    # One level for all: per_applicant_max, which can hold an organisation at a level of its
    # own, has its reference in test_proportional_per_applicant.py.
    policy = data.draw(policies("proportional")).model_copy(update={"per_applicant_max": None})
    budget = data.draw(budgets(apps))
    result = allocate_proportional(apps, budget, policy)
    step = policy.round_to
    score = {a.id: a.score for a in apps}

    def weight(d: Decision) -> Fraction:
        e = Fraction(d.eligible_amount or 0)
        return e * Fraction(score[d.application_id]) if policy.weight == "score" else e  # type: ignore[arg-type]

    active = [d for d in result.decisions if last_code(d) in ACTIVE]
    dropped = [d for d in result.decisions if last_code(d) == "reason.proportional.below_min_award"]
    level = water_level([(d.eligible_amount or 0, weight(d)) for d in active], budget)
    exact = {
        d.application_id: Fraction(d.eligible_amount or 0)
        if level is None
        else min(level * weight(d), Fraction(d.eligible_amount or 0))
        for d in active
    }
    base = {i: (x // step) * step for i, x in exact.items()}
    got_step = {d.application_id for d in active if d.amount == base[d.application_id] + step}
    for d in active:
        assert d.amount in (base[d.application_id], base[d.application_id] + step), d
        assert d.amount <= (d.eligible_amount or 0)
        code = last_code(d)
        if d.amount == d.eligible_amount:
            assert code == "reason.proportional.full", d
        else:
            assert code == ("reason.proportional.share" if d.amount else "reason.proportional.zero")
    # The steps left after rounding down: all handed out, one each, largest remainders first.
    steps_left = (budget - sum(base.values())) // step
    takers = [d.application_id for d in active if base[d.application_id] < d.eligible_amount]  # type: ignore[operator]
    assert len(got_step) == min(steps_left, len(takers))
    remainder = {i: exact[i] - base[i] for i in takers}
    if got_step and len(got_step) < len(takers):
        assert min(remainder[i] for i in got_step) >= max(
            remainder[i] for i in takers if i not in got_step
        )
    # Dropped below min_award: only ever the smallest weights, against those left sharing.
    sharing = [weight(d) for d in active if d.amount < (d.eligible_amount or 0)]
    if dropped and sharing:
        assert max(weight(d) for d in dropped) <= min(sharing)
    codes = [n.code for n in result.notes]
    # A step went to one and not to another with an equal remainder: the order chose, and
    # the notes say so (only then).
    chosen = len(got_step) < len(takers) and bool(got_step)
    tie = chosen and min(remainder[i] for i in got_step) == max(
        remainder[i] for i in takers if i not in got_step
    )
    assert any(c.startswith("note.proportional.remainder_tie") for c in codes) == tie
    assert ("note.proportional.none_above_min_award" in codes) == bool(dropped and not active)
    assert ("note.proportional.fraction" in codes) == bool(
        policy.weight == "none" and level is not None and active
    )


def test_steps_go_past_a_whole_group_of_larger_remainders_then_by_rank(
    make_application: MakeApp,
) -> None:
    """Remainders in two groups: the steps go to every one of the larger group, then by rank
    (and a note) within the group where they run out; a group used up exactly needs no note."""
    apps = [
        make_application(id=i, requested=r, score=Decimal(s), total_cost=None, orgnr=None)
        for i, r, s in (("A", 10, 9), ("B", 10, 8), ("C", 5, 7), ("D", 5, 6))
    ]
    policy = Policy(rule="proportional")
    # 29 / 30 of each: 9.67, 9.67, 4.83, 4.83 -> 9 + 9 + 4 + 4 = 26, three kroner left: C and D
    # (remainder 0.83), then A before B (0.67 each, by rank).
    result = allocate(apps, 29, policy)
    assert amounts(result) == {"A": 10, "B": 9, "C": 5, "D": 5}
    (tie,) = [n for n in result.notes if n.code == "note.proportional.remainder_tie"]
    assert (tie.params["ids"], tie.params["funded_ids"]) == (["A", "B"], ["A"])
    # 14 / 30: 4.67, 4.67, 2.33, 2.33 -> 12, two left: A and B, the whole larger group.
    exact = allocate(apps, 14, policy)
    assert amounts(exact) == {"A": 5, "B": 5, "C": 2, "D": 2}
    assert not [n for n in exact.notes if n.code == "note.proportional.remainder_tie"]


def test_nothing_to_share_with_min_award_drops_every_one(make_application: MakeApp) -> None:
    """A budget of 0 and a minimum award: every share is 0, so every application drops out."""
    apps = [
        make_application(id=i, requested=r, score=Decimal(5), total_cost=None, orgnr=None)
        for i, r in (("A", 300), ("B", 400), ("C", 400))
    ]
    result = allocate(apps, 0, Policy(rule="proportional", min_award=100))
    assert amounts(result) == {"A": 0, "B": 0, "C": 0}
    assert {last_code(d) for d in result.decisions} == {"reason.proportional.below_min_award"}
    assert [(n.code, n.params) for n in result.notes] == [
        ("note.proportional.none_above_min_award", {"min_award": 100, "dropped": 3, "remaining": 0})
    ]


def test_a_tie_at_min_award_is_reported_after_a_weight_that_dropped_whole(
    make_application: MakeApp,
) -> None:
    apps = [
        make_application(id=i, requested=r, orgnr=None)
        for i, r in (("A", 100), ("B", 200), ("C", 200), ("D", 1_000))
    ]
    result = allocate(apps, 300, Policy(rule="proportional", min_award=50))
    # 300 of 1 500 is 20 %: A's 20 is below 50 and drops alone; then 300 of 1 400 gives B and C
    # 42.86 each: C, later in id order, drops; 300 of 1 200 is 25 %: B gets exactly 50.
    assert amounts(result) == {"A": 0, "B": 50, "C": 0, "D": 250}
    tie = [n for n in result.notes if n.code == "note.proportional.tie_at_min_award"]
    # The weight that dropped whole (A's) is no tie; the one after it (B and C) still is.
    assert [n.params for n in tie] == [
        {"count": 2, "ids": ["B", "C"], "dropped_ids": ["C"], "broken_by": "id", "ranked": 1}
    ]


def test_a_score_of_one_weighs_beside_a_score_of_zero(make_application: MakeApp) -> None:
    # Only a score of 0 or less has no weight: with one in the round, a score of 1 still shares.
    apps = [
        make_application(id="A", requested=100, score=Decimal(0)),
        make_application(id="B", requested=100, score=Decimal(1)),
        make_application(id="C", requested=100, score=Decimal(2)),
    ]
    result = allocate(apps, 90, Policy(rule="proportional", weight="score"))
    # Weights 100 × 1 and 100 × 2: 90 kr over 300 points is 0.3 kr a point.
    assert amounts(result) == {"A": 0, "B": 30, "C": 60}
    assert last_code(result.by_id()["A"]) == "reason.proportional.no_weight"
    assert last_code(result.by_id()["B"]) == "reason.proportional.share"


def test_the_last_krone_at_a_remainder_of_one_goes_to_one_application(
    make_application: MakeApp,
) -> None:
    # 1 krone over three claims of 1: each share is 1/3, rounded down 0, remainder 1 (of 3).
    # The one krone left goes to the first in id order, not to every one at that remainder.
    apps = [make_application(id=i, requested=1, orgnr=None) for i in ("A", "B", "C")]
    result = allocate(apps, 1, PROPORTIONAL)
    assert amounts(result) == {"A": 1, "B": 0, "C": 0}
    assert result.unallocated == 0


def test_a_min_award_off_the_round_to_grid_counts_from_the_step_above_it(
    make_application: MakeApp,
) -> None:
    # min_award 120 500 with round_to 1000: the least award allowed is 121 000, the first step
    # at or above it. Half of 240 000 each is 120 000, a step below the minimum: B (later in
    # id order) drops, and A takes the whole budget. Counted from the step below (120 000),
    # both would have kept 120 000, less than the minimum award.
    apps = [
        make_application(id=i, requested=240_000, total_cost=None, orgnr=None) for i in ("A", "B")
    ]
    policy = Policy(rule="proportional", min_award=120_500, round_to=1000)
    result = allocate(apps, 240_000, policy)
    assert amounts(result) == {"A": 240_000, "B": 0}
    assert result.by_id()["B"].reasons[-1] == Reason(
        code="reason.proportional.below_min_award",
        params={"share": 120_000, "min_award": 120_500},
    )


def test_weight_by_score_caps_the_best_score_first_whatever_the_given_rank(
    make_application: MakeApp,
) -> None:
    # Given ranks that put the lower score first (A: rank 1, score 1; B: rank 2, score 10).
    # Weights 100 and 1000: 150 kr over 1100 points would give B 136, above its 100; B stops
    # at 100 and A gets the 50 left. The cap is reached in score order, not in rank order.
    apps = [
        make_application(
            id=i, rank=rank, score=Decimal(s), requested=100, total_cost=None, orgnr=None
        )
        for i, rank, s in (("A", 1, 1), ("B", 2, 10))
    ]
    result = allocate(apps, 150, Policy(rule="proportional", weight="score"))
    assert amounts(result) == {"A": 50, "B": 100}
    by_id = result.by_id()
    assert (by_id["A"].rank, by_id["B"].rank) == (1, 2)
    assert (by_id["A"].status, by_id["B"].status) == (P, F)
    assert result.unallocated == 0


def test_the_last_one_below_min_award_reaching_its_cap_ends_the_drop_outs(
    make_application: MakeApp,
) -> None:
    """Both shares below the minimum at first; once A has dropped out, B is at its eligible
    amount and stays.

    Weights (amount × score): A 1 000 × 1 = 1 000, B 1 000 × 2 = 2 000, C 10 000 × 1 = 10 000;
    13 000 in all. 6 000 kr / 13 000 = 0.4615 kr a point: A 461, B 923, C 4 615. A and B are
    below 950: A, the smaller, drops out. Then 6 000 / 12 000 = 0.5 kr a point: B 2 000 × 0.5
    = 1 000, all it may get (funded, and no longer below 950); C gets the 5 000 left."""
    rows = [("A", 1_000, 1), ("B", 1_000, 2), ("C", 10_000, 1)]
    apps = [
        make_application(id=i, requested=r, total_cost=None, score=Decimal(s), orgnr=None)
        for i, r, s in rows
    ]
    policy = Policy(rule="proportional", weight="score", min_award=950)
    result = allocate(apps, 6_000, policy)
    assert amounts(result) == {"A": 0, "B": 1_000, "C": 5_000}
    assert result.unallocated == 0
    by_id = result.by_id()
    assert by_id["A"].status is N
    assert by_id["A"].reasons[-1].code == "reason.proportional.below_min_award"
    assert by_id["A"].reasons[-1].params == {"share": 461, "min_award": 950}
    assert (by_id["B"].status, last_code(by_id["B"])) == (F, "reason.proportional.full")
    assert (by_id["C"].status, last_code(by_id["C"])) == (P, "reason.proportional.share")


def test_a_capped_application_takes_no_leftover_krone(make_application: MakeApp) -> None:
    """2 kr, weights by score: C 1 × 5 = 5, A 1 × 1 = 1, B 1 × 1 = 1; 7 in all.

    2 / 7 kr a point: C's 5 × 2/7 = 1.43 is above its 1 kr, so C gets 1 (funded). 1 kr is left
    for A and B: 1 / 2 each, rounded down 0, the same remainder. The krone goes to A (the
    first in id order of the tie), not to C, which already has all it may get."""
    apps = [
        make_application(id=i, requested=1, total_cost=None, score=Decimal(s), orgnr=None)
        for i, s in (("A", 1), ("B", 1), ("C", 5))
    ]
    result = allocate(apps, 2, Policy(rule="proportional", weight="score"))
    assert amounts(result) == {"A": 1, "B": 0, "C": 1}
    assert result.unallocated == 0
    by_id = result.by_id()
    assert [by_id[i].status for i in "ABC"] == [F, N, F]


def test_no_weight_ranked_first_by_the_officer_leaves_the_others_weights_their_own(
    make_application: MakeApp,
) -> None:
    # Given ranks decide the order, so the application without weight (score 0) comes first,
    # not last as scores would place it. The others' weights are their own amounts × scores:
    # B 100 × 1 = 100 and C 200 × 2 = 400 points; 100 kr over 500 points: B 20, C 80.
    apps = [
        make_application(id="C", requested=200, score=Decimal(2), rank=3, orgnr=None),
        make_application(id="A", requested=300, score=Decimal(0), rank=1, orgnr=None),
        make_application(id="B", requested=100, score=Decimal(1), rank=2, orgnr=None),
    ]
    result = allocate(apps, 100, Policy(rule="proportional", weight="score"))
    assert amounts(result) == {"A": 0, "B": 20, "C": 80}
    by_id = result.by_id()
    assert last_code(by_id["A"]) == "reason.proportional.no_weight"
    assert by_id["B"].status is P
    assert by_id["C"].status is P
    assert result.unallocated == 0
