"""Tests for how ``proportional`` holds ``per_applicant_max``: it caps what an organisation is
AWARDED in all (less what it had in earlier rounds), as ``ranked`` does, not what its
applications claim. An organisation whose awards at the common level would pass its room is held
at a level of its own (water-filling with group caps); the others share the rest. Hand-checked
examples, an independent reference for the exact shares, and Hypothesis properties."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tilskudd.models import Allocation, Application, Decision, Policy, Status
from tilskudd.rules import allocate
from tilskudd.rules.proportional import (
    _binds,
    _fill_by_organisation,
    _Grouped,
    _org_level,
    _Rooms,
    allocate_proportional,
)
from tilskudd.wording import reason_text

from .strategies import ORGS, applications, budgets, check_invariants, policies

MakeApp = Callable[..., Application]
A, B = "974760673", "982745764"
HELD = ("reason.proportional.per_applicant", "reason.proportional.per_applicant_alone")
SHARING = {
    "reason.proportional.share",
    "reason.proportional.zero",
    "reason.proportional.full",
    *HELD,
}


def amounts(result: Allocation) -> dict[str, int]:
    return {d.application_id: d.amount for d in result.decisions}


def _apps(make_application: MakeApp, rows: list[tuple[str, str | None, int]]) -> list[Application]:
    """(id, orgnr, requested), no scores, no total cost; in reverse (order must not matter)."""
    return [
        make_application(id=i, orgnr=org, requested=r, score=None, total_cost=None)
        for i, org, r in reversed(rows)
    ]


# --- hand-checked examples ---------------------------------------------------------------------


def test_a_maximum_not_reached_by_the_awards_takes_nothing_out(make_application: MakeApp) -> None:
    """Cap 10 M; A claims 3 × 5 M (15 M), B 4 M; budget 6 M. Counting claims, A3's claim was
    cut to 0 and A1, A2 got 6/14 each, though A's awards came to 4.3 M. Now no organisation
    reaches its maximum: f = 6 M / 19 M = 6/19 for all four. 5 M × 6/19 = 1 578 947.37 (three
    times), 4 M × 6/19 = 1 263 157.89; floors sum to 5 999 998, and the two kroner left go to
    B (remainder 0.89), then to A1 (0.37, equal with A2 and A3: first by id)."""
    apps = _apps(
        make_application,
        [("A1", A, 5_000_000), ("A2", A, 5_000_000), ("A3", A, 5_000_000), ("B1", B, 4_000_000)],
    )
    result = allocate(apps, 6_000_000, Policy(rule="proportional", per_applicant_max=10_000_000))
    assert amounts(result) == {
        "A1": 1_578_948,
        "A2": 1_578_947,
        "A3": 1_578_947,
        "B1": 1_263_158,
    }
    assert result.unallocated == 0
    assert {d.reasons[-1].code for d in result.decisions} == {"reason.proportional.share"}
    assert all(d.eligible_amount == d.requested for d in result.decisions)
    assert "note.proportional.per_applicant" not in [n.code for n in result.notes]


def test_an_organisation_at_its_maximum_is_held_and_the_others_share_the_rest(
    make_application: MakeApp,
) -> None:
    """Cap 6 M; A claims 3 × 5 M, B 4 M; budget 9 M. At a common f, A would get 15 M × f and
    reach 6 M at f = 0.4, where A and B together take 6 M + 1.6 M < 9 M: A is held at
    f_A = 0.4 (2 M each), and B takes the 3 M left: f = 3/4."""
    apps = _apps(
        make_application,
        [("A1", A, 5_000_000), ("A2", A, 5_000_000), ("A3", A, 5_000_000), ("B1", B, 4_000_000)],
    )
    policy = Policy(rule="proportional", per_applicant_max=6_000_000)
    result = allocate(apps, 9_000_000, policy)
    assert amounts(result) == {"A1": 2_000_000, "A2": 2_000_000, "A3": 2_000_000, "B1": 3_000_000}
    a1 = result.by_id()["A1"]
    assert a1.status is Status.PARTLY_FUNDED
    assert a1.reasons[-1].code == "reason.proportional.per_applicant"
    assert dict(a1.reasons[-1].params) == {
        "orgnr": A,
        "max": 6_000_000,
        "left": 6_000_000,
        "had_earlier": 0,
        "earlier": 0,
        "fraction": Decimal("0.4"),
        "others": ["A2", "A3"],
    }
    assert result.by_id()["B1"].reasons[-1].params == {"fraction": Decimal("0.75")}
    notes = {n.code: n.params for n in result.notes}
    assert notes["note.proportional.per_applicant"] == {"count": 1, "max": 6_000_000}
    assert notes["note.proportional.fraction"] == {"fraction": Decimal("0.75"), "count": 1}
    en, nb = reason_text(a1.reasons[-1], "en"), reason_text(a1.reasons[-1], "nb")
    assert en == (
        "Organisation 974760673 may receive at most NOK\xa06,000,000 in all: NOK\xa06,000,000 was "
        "left for this round, and its applications together reached it. This application "
        "shared it with A2 and A3, at 40% of its eligible amount before rounding"
    )
    assert nb.startswith("Organisasjon 974760673 kan få høyst 6\xa0000\xa0000\xa0kr til sammen: ")
    assert nb.endswith(
        "Denne søknaden delte det med A2 og A3 og fikk 40\xa0% av det tilskuddsberettigede "
        "beløpet før avrunding"
    )


def test_earlier_rounds_count_and_the_reason_says_so(make_application: MakeApp) -> None:
    """The same round, with A awarded 4 M of a 10 M maximum in earlier rounds: its room is 6 M,
    so the same awards; the reason says it had earlier awards, and that 6 M was left."""
    apps = _apps(
        make_application,
        [("A1", A, 5_000_000), ("A2", A, 5_000_000), ("A3", A, 5_000_000), ("B1", B, 4_000_000)],
    )
    policy = Policy(rule="proportional", per_applicant_max=10_000_000)
    result = allocate(apps, 9_000_000, policy, prior_by_orgnr={A: 4_000_000})
    assert amounts(result) == {"A1": 2_000_000, "A2": 2_000_000, "A3": 2_000_000, "B1": 3_000_000}
    params = result.by_id()["A2"].reasons[-1].params
    assert (params["left"], params["had_earlier"], params["earlier"]) == (6_000_000, 1, 4_000_000)
    text = reason_text(result.by_id()["A2"].reasons[-1], "en")
    assert "in all and had awards in earlier rounds: NOK\xa06,000,000 was left" in text
    nb = reason_text(result.by_id()["A2"].reasons[-1], "nb")
    assert "og har fått tilskudd i tidligere runder: 6\xa0000\xa0000\xa0kr var igjen" in nb


def _officer_funds(app: Application, amount: int) -> Application:
    """``app`` funded by the officer's own decision (a manual override)."""
    update = {"decision": "fund", "decision_amount": amount, "decision_reason": "Vedtatt"}
    return app.model_copy(update=update)


def test_the_officers_decision_is_said_as_this_rounds_not_as_earlier_rounds(
    make_application: MakeApp,
) -> None:
    """Cap 6 M; the officer funds A's A7 with 2 M; A1 and A2 claim 5 M each, B1 4 M; budget
    11 M, 9 M after the officer's decision. A has 4 M left and reaches it at f_A = 0.4 (2 M
    each); B1 gets its 4 M. The officer's 2 M is not an award of earlier rounds, and the reason
    says what it is: the officer's decision on A7 in this round."""
    apps = _apps(
        make_application,
        [("A1", A, 5_000_000), ("A2", A, 5_000_000), ("A7", A, 3_000_000), ("B1", B, 4_000_000)],
    )
    apps = [_officer_funds(a, 2_000_000) if a.id == "A7" else a for a in apps]
    policy = Policy(rule="proportional", per_applicant_max=6_000_000)
    result = allocate(apps, 11_000_000, policy)
    assert amounts(result) == {"A1": 2_000_000, "A2": 2_000_000, "A7": 2_000_000, "B1": 4_000_000}
    held = result.by_id()["A1"].reasons[-1]
    assert held.code == "reason.proportional.per_applicant_officer"
    assert dict(held.params) == {
        "orgnr": A,
        "max": 6_000_000,
        "left": 4_000_000,
        "fraction": Decimal("0.4"),
        "others": ["A2"],
        "officer": ["A7"],
        "officer_count": 1,
        "officer_amount": 2_000_000,
    }
    assert reason_text(held, "en").replace("\xa0", " ") == (
        "Organisation 974760673 may receive at most NOK 6,000,000 in all, and the officer's "
        "decision on A7 in this round gives it NOK 2,000,000: NOK 4,000,000 was left for its "
        "other applications in this round, and together they reached it. This application "
        "shared it with A2, at 40% of its eligible amount before rounding"
    )
    assert (
        reason_text(held, "nb")
        .replace("\xa0", " ")
        .startswith(
            "Organisasjon 974760673 kan få høyst 6 000 000 kr til sammen, og saksbehandlers vedtak "
            "om A7 i denne runden gir den 2 000 000 kr: 4 000 000 kr var igjen til de andre "
            "søknadene dens i denne runden"
        )
    )
    # With earlier rounds too, each part is said with its amount; alone, it says so.
    later = allocate(apps, 11_000_000, policy, prior_by_orgnr={A: 1_000_000})
    held = later.by_id()["A1"].reasons[-1]
    assert held.code == "reason.proportional.per_applicant_earlier_officer"
    assert (held.params["earlier"], held.params["officer_amount"]) == (1_000_000, 2_000_000)
    assert (held.params["left"], held.params["fraction"]) == (3_000_000, Decimal("0.3"))
    assert "in all; it had NOK 1,000,000 in earlier rounds, and the officer's decision on A7" in (
        reason_text(held, "en").replace("\xa0", " ")
    )
    alone = allocate([a for a in apps if a.id != "A2"], 11_000_000, policy)
    held = alone.by_id()["A1"].reasons[-1]
    assert held.code == "reason.proportional.per_applicant_officer_alone"
    assert "others" not in held.params
    assert "this application, the only one of them sharing the budget" in reason_text(held, "en")


def test_a_single_application_held_at_the_room_says_it_alone(make_application: MakeApp) -> None:
    apps = _apps(make_application, [("A1", A, 5_000_000), ("B1", B, 1_000_000)])
    policy = Policy(rule="proportional", per_applicant_max=2_000_000)
    result = allocate(apps, 5_000_000, policy)
    assert amounts(result) == {"A1": 2_000_000, "B1": 1_000_000}
    assert result.unallocated == 2_000_000
    reason = result.by_id()["A1"].reasons[-1]
    assert reason.code == "reason.proportional.per_applicant_alone"
    assert "others" not in reason.params
    assert "its only one sharing the budget" in reason_text(reason, "en")


def test_an_organisation_left_too_little_by_earlier_rounds_is_not_eligible(
    make_application: MakeApp,
) -> None:
    apps = _apps(make_application, [("A1", A, 500_000), ("B1", B, 500_000)])
    policy = Policy(rule="proportional", per_applicant_max=1_000_000, min_award=100_000)
    result = allocate(apps, 600_000, policy, prior_by_orgnr={A: 950_000})
    a1 = result.by_id()["A1"]
    assert (a1.amount, a1.reasons[-1].code) == (0, "reason.ineligible.per_applicant")
    assert a1.reasons[-1].params["left"] == 50_000
    assert amounts(result)["B1"] == 500_000


def test_rooms_are_the_maximum_less_earlier_awards_on_the_grid() -> None:
    rooms = _Rooms(1_000_000, {A: 250_500, B: 2_000_000}, 1000, 100_000)
    assert (rooms.room(A), rooms.room(B), rooms.room("938801363")) == (749_000, 0, 1_000_000)
    assert (rooms.short(A), rooms.short(B), rooms.short("938801363")) == (False, True, False)
    assert rooms.any_short
    assert not _Rooms(1_000_000, {A: 900_000}, 1000, 100_000).any_short
    assert _Rooms(1_000_000, {A: 900_001}, 1000, 100_000).short(A)  # 99 000 left on the grid
    assert _Rooms(50_000, {}, 1000, 100_000).short(A)  # the maximum itself below min_award


def test_binds_reads_the_applications_in_their_own_order() -> None:
    """By application: eligible amounts, organisations, points. Room 1 000 000 each; at the
    level left / weight_left = 1/2, A's 1.2 M + 1 M of claims give 1.1 M: A passes its room."""
    rooms = _Rooms(1_000_000, {}, 1000, 0)
    caps, orgs = [1_200_000, 0, 400_000, 1_000_000, 5_000_000], [A, A, B, A, None]
    assert _binds(caps, orgs, None, rooms, 1, 2)
    assert not _binds(caps, orgs, None, rooms, 2, 5)  # 2/5 of 2.2 M: 880 000
    # No level (everyone at their eligible amount): the claims themselves.
    assert _binds(caps, orgs, None, rooms, 0, 0)
    assert not _binds([600_000, 400_000], [A, A], None, rooms, 0, 0)
    # An organisation whose room is too small is out of the round: it cannot pass it.
    assert not _binds(caps, orgs, None, _Rooms(1_000_000, {A: 950_000}, 1000, 100_000), 1, 2)


def test_binds_with_score_weights_takes_each_unit_at_its_own_share() -> None:
    """Points 1 and 3, level left / weight_left = 1 / 4 per point: A's 2 M at 1 point gets
    500 000, its 400 000 at 3 points 300 000; 800 000 is within its 1 M. With both at 3 points
    (the bound the highest points give) it would pass; the unit with no points counts nothing."""
    rooms = _Rooms(1_000_000, {}, 1000, 0)
    caps, orgs = [2_000_000, 400_000, 9_000_000], [A, A, A]
    assert not _binds(caps, orgs, [1, 3, 0], rooms, 1, 4)
    assert _binds(caps, orgs, [3, 3, 0], rooms, 1, 4)
    assert _binds(caps, orgs, [1, 3, 1], rooms, 1, 4)


def test_a_drop_below_min_award_frees_room_for_its_siblings(make_application: MakeApp) -> None:
    """Cap 1 M; A claims 100 000 and 1 900 000, B 1 000 000; budget 2 M; min_award 60 000.
    A is held at f_A = 1/2 (A and B take 1 M + 500 000 < 2 M there): 50 000 and 950 000;
    50 000 is below the minimum, so A1 drops and A2 alone shares A's 1 M: 1 000 000 (not
    950 000). B is in full."""
    apps = _apps(make_application, [("A1", A, 100_000), ("A2", A, 1_900_000), ("B1", B, 1_000_000)])
    policy = Policy(rule="proportional", per_applicant_max=1_000_000, min_award=60_000)
    result = allocate(apps, 2_000_000, policy)
    assert amounts(result) == {"A1": 0, "A2": 1_000_000, "B1": 1_000_000}
    a1 = result.by_id()["A1"]
    assert a1.reasons[-1].code == "reason.proportional.below_min_award"
    assert a1.reasons[-1].params["share"] == 50_000
    assert result.by_id()["A2"].reasons[-1].code == "reason.proportional.per_applicant_alone"


def test_weighted_by_score_an_organisation_is_held_at_its_own_level(
    make_application: MakeApp,
) -> None:
    """weight = "score": A1 (score 2) and A2 (score 1), 1 000 000 each, cap 900 000; B1 (score
    1) 1 000 000; budget 1 500 000. At f per point A would get 3 M × f and reach 900 000 at
    f_A = 0.3 (600 000 and 300 000); A and B take 900 000 + 300 000 < 1.5 M, so A is held and
    B takes the 600 000 left (f = 0.6)."""
    apps = [
        make_application(id=i, orgnr=o, requested=1_000_000, score=Decimal(s), total_cost=None)
        for i, o, s in (("A1", A, 2), ("A2", A, 1), ("B1", B, 1))
    ]
    policy = Policy(rule="proportional", per_applicant_max=900_000, weight="score")
    result = allocate(apps, 1_500_000, policy)
    assert amounts(result) == {"A1": 600_000, "A2": 300_000, "B1": 600_000}
    assert result.by_id()["A1"].reasons[-1].params["fraction"] == Decimal("0.6")
    assert result.by_id()["A2"].reasons[-1].params["fraction"] == Decimal("0.3")


def test_a_leftover_step_never_takes_an_organisation_past_its_room(
    make_application: MakeApp,
) -> None:
    """Cap 1 000 kr: A claims 3 × 1 000, held at 1/3 each: 333.33 -> 333 three times, one krone
    of A's room left, which goes to A1 (by id). B has the larger remainders, and every krone
    it could take; the 1 000 kr no one may take stay unallocated."""
    apps = _apps(
        make_application, [("A1", A, 1_000), ("A2", A, 1_000), ("A3", A, 1_000), ("B1", B, 500)]
    )
    result = allocate(apps, 2_500, Policy(rule="proportional", per_applicant_max=1_000))
    assert amounts(result) == {"A1": 334, "A2": 333, "A3": 333, "B1": 500}
    assert result.unallocated == 1_000


def test_a_leftover_step_never_takes_an_organisation_within_its_room_past_it(
    make_application: MakeApp,
) -> None:
    """Cap 1 kr: A's two applications share at half a krone each, 1 kr together, within its
    room before rounding. Handed out by id alone, the two kroner left by rounding down would both
    go to A, 2 kr; one goes to A, the other to C1 (README: "The leftover kroner never take an
    organisation past its maximum")."""
    apps = _apps(make_application, [("A1", A, 1), ("A2", A, 1), ("C1", None, 1), ("C2", None, 1)])
    result = allocate(apps, 2, Policy(rule="proportional", per_applicant_max=1))
    assert amounts(result) == {"A1": 1, "A2": 0, "C1": 1, "C2": 0}
    assert result.unallocated == 0


def test_a_remainder_tie_names_the_application_its_organisations_room_shut_out(
    make_application: MakeApp,
) -> None:
    """Cap 1 kr: A is held at 1 kr; the others share the other krone at 1/5 each, equal
    remainders, and the one step left goes to B1 by id. B2 had the same remainder, and only the
    order kept it out (B1 filled B's room): the note names it among the tie."""
    apps = _apps(
        make_application,
        [
            ("A1", A, 6),
            ("B1", B, 1),
            ("B2", B, 1),
            ("C1", None, 1),
            ("C2", None, 1),
            ("C3", None, 1),
        ],
    )
    result = allocate(apps, 2, Policy(rule="proportional", per_applicant_max=1))
    assert amounts(result) == {"A1": 1, "B1": 1, "B2": 0, "C1": 0, "C2": 0, "C3": 0}
    (tie,) = [n for n in result.notes if n.code == "note.proportional.remainder_tie"]
    assert tie.params["ids"] == ["B1", "B2", "C1", "C2", "C3"]
    assert tie.params["funded_ids"] == ["B1"]
    assert tie.params["count"] == 5


# --- an independent reference --------------------------------------------------------------------


def _taken(f: Fraction, units: list[tuple[int, Fraction]]) -> Fraction:
    return sum((min(Fraction(e), f * w) for e, w in units), Fraction(0))


def _largest_level(
    total: Callable[[Fraction], Fraction],
    breaks: list[Fraction],
    slope_at: Callable[[Fraction], Fraction],
    limit: Fraction,
) -> Fraction | None:
    """The largest f with ``total(f) <= limit`` for a rising, piecewise linear ``total`` with
    these breakpoints; ``None`` when even the last breakpoint stays within the limit."""
    below = Fraction(0)
    for b in sorted(set(breaks)):
        if total(b) > limit:
            return below + (limit - total(below)) / slope_at(below)
        below = b
    return None


def reference_shares(
    units: list[tuple[int, Fraction, int]], rooms: dict[int, int], budget: int
) -> list[Fraction]:
    """Exact ``min(e, f × w)`` with group caps, found by evaluating the totals at every
    breakpoint (not by the rule's events). ``units``: (e, w, organisation or -1)."""
    groups: dict[int, list[tuple[int, Fraction]]] = {}
    for e, w, o in units:
        if o >= 0:
            groups.setdefault(o, []).append((e, w))

    def slope(members: list[tuple[int, Fraction]]) -> Callable[[Fraction], Fraction]:
        return lambda f: sum((w for e, w in members if f * w < e), Fraction(0))

    level_of: dict[int, Fraction] = {}
    for o, members in groups.items():
        found = _largest_level(
            lambda f, m=members: _taken(f, m),  # type: ignore[misc]
            [Fraction(e) / w for e, w in members],
            slope(members),
            Fraction(rooms[o]),
        )
        if found is not None:
            level_of[o] = found

    def total(f: Fraction) -> Fraction:
        free = [(e, w) for e, w, o in units if o not in level_of]
        held = sum((min(_taken(f, groups[o]), Fraction(rooms[o])) for o in level_of), Fraction(0))
        return _taken(f, free) + held

    def total_slope(f: Fraction) -> Fraction:
        free = [(e, w) for e, w, o in units if o not in level_of or f < level_of[o]]
        return slope(free)(f)

    breaks = [Fraction(e) / w for e, w, _ in units] + list(level_of.values())
    level = _largest_level(total, breaks, total_slope, Fraction(budget))
    shares = []
    for e, w, o in units:
        f = level
        if o in level_of and (f is None or level_of[o] < f):
            f = level_of[o]
        shares.append(Fraction(e) if f is None else min(Fraction(e), f * w))
    return shares


def _room(policy: Policy, prior: int) -> int:
    left = max((policy.per_applicant_max or 0) - prior, 0)
    return left - left % policy.round_to


@settings(deadline=None, max_examples=300)
@given(data=st.data())
def test_per_applicant_properties(data: st.DataObject) -> None:
    apps = data.draw(applications())
    policy = data.draw(policies("proportional"))
    most = data.draw(st.integers(max(policy.min_award, policy.round_to, 1), 3_000_000))
    policy = policy.model_copy(update={"per_applicant_max": most})
    prior = data.draw(st.dictionaries(st.sampled_from(ORGS), st.integers(0, 3_000_000)))
    budget = data.draw(budgets(apps))
    result = allocate_proportional(apps, budget, policy, prior_by_orgnr=prior)
    check_invariants(apps, budget, policy, result)
    step = policy.round_to
    threshold = -(-policy.min_award // step) * step
    org = {a.id: a.organisation for a in apps}
    score = {a.id: a.score for a in apps}

    # Every organisation's awards and earlier awards together stay within the maximum.
    awarded: dict[str, int] = {}
    for d in result.decisions:
        if org[d.application_id] is not None:
            o = org[d.application_id]
            awarded[o] = awarded.get(o, 0) + d.amount  # type: ignore[index]
    for o, total in awarded.items():
        if total:
            assert total + prior.get(o, 0) <= most

    # The awards are the reference's exact shares rounded down, or one step more.
    sharing = [d for d in result.decisions if d.reasons[-1].code in SHARING]
    index = {o: i for i, o in enumerate(sorted({org[d.application_id] or "" for d in sharing}))}

    def weight(d: Decision) -> Fraction:
        e = Fraction(d.eligible_amount or 0)
        return e * Fraction(score[d.application_id]) if policy.weight == "score" else e  # type: ignore[arg-type]

    units = [
        (
            d.eligible_amount or 0,
            weight(d),
            -1 if org[d.application_id] is None else index[org[d.application_id] or ""],
        )
        for d in sharing
    ]
    rooms = {index[o]: _room(policy, prior.get(o, 0)) for o in index if o}
    shares = reference_shares(units, rooms, budget)
    for d, share in zip(sharing, shares, strict=True):
        base = (share // step) * step
        assert d.amount in (base, base + step), (d, share)

    # Within one held organisation the fractions are equal up to rounding (plain weights),
    # unless one is at its own eligible amount.
    held: dict[str, list[Decision]] = {}
    for d in sharing:
        if d.reasons[-1].code in HELD:
            held.setdefault(org[d.application_id] or "", []).append(d)
            assert org[d.application_id] is not None
            # ... and the organisation is at its room, up to the steps of its applications.
    for o, ds in held.items():
        assert awarded[o] > _room(policy, prior.get(o, 0)) - step * len(ds)
        if policy.weight == "none":
            for a in ds:
                for b in ds:
                    ea, eb = a.eligible_amount or 0, b.eligible_amount or 0
                    assert (a.amount + step) * eb >= (b.amount - step) * ea

    # No application gets 0 from the maximum while its organisation is short of it by more
    # than the minimum award and a step for each of its applications.
    for d in result.decisions:
        o = org[d.application_id]
        if d.amount or o is None:
            continue
        if any("per_applicant" in r.code for r in d.reasons):
            n = sum(1 for e in result.decisions if org[e.application_id] == o)
            short = most - prior.get(o, 0) - awarded.get(o, 0)
            assert short < threshold + step * n, (d, short)

    shuffled = data.draw(st.permutations(apps))
    assert allocate_proportional(shuffled, budget, policy, prior_by_orgnr=prior) == result


# --- the rule's fast water-filling by organisation against the plain one ----------------------


def slow_fill(
    caps: Sequence[int],
    weights: Sequence[int],
    org_of: Sequence[int],
    rooms: Sequence[int],
    budget: int,
    step: int,
    threshold: int,
) -> _Grouped:
    """The rule's ``_fill_by_organisation`` as first written: every level worked out afresh
    after each drop-out (``solve``), slow (quadratic) but plain to read. The rule keeps the
    levels up as units drop instead; the two must agree."""
    m = len(caps)
    members: dict[int, list[int]] = {}
    for u in range(m):
        if org_of[u] >= 0:
            members.setdefault(org_of[u], []).append(u)
    dropped = [False] * m
    drop_shares: dict[int, int] = {}
    drop_ties: list[list[int]] = []

    def solve() -> tuple[list[Fraction], list[bool], dict[int, Fraction], Fraction | None]:
        levels: dict[int, Fraction] = {}
        events: list[tuple[Fraction, int, int]] = []
        for o, units_o in members.items():
            active = [u for u in units_o if not dropped[u]]
            level_o = _org_level(active, caps, weights, rooms[o]) if active else None
            if level_o is not None:
                levels[o] = level_o
                events.append((level_o, 1, o))
        for u in range(m):
            if not dropped[u]:
                events.append((Fraction(caps[u], weights[u]), 0, u))
        events.sort()
        left = budget
        weight = sum(weights[u] for u in range(m) if not dropped[u])
        full = [False] * m
        held: set[int] = set()
        org_full = dict.fromkeys(levels, 0)
        org_weight = {o: sum(weights[u] for u in members[o] if not dropped[u]) for o in levels}
        for level, kind, x in events:
            if not weight or level * weight > left:
                break
            if kind == 0:
                o = org_of[x]
                if o in held:
                    continue
                full[x] = True
                left -= caps[x]
                weight -= weights[x]
                if o in org_full:
                    org_full[o] += caps[x]
                    org_weight[o] -= weights[x]
            else:
                held.add(x)
                left -= rooms[x] - org_full[x]
                weight -= org_weight[x]
        common = Fraction(left, weight) if weight else None
        shares = []
        for u in range(m):
            if dropped[u]:
                shares.append(Fraction(0))
            elif full[u]:
                shares.append(Fraction(caps[u]))
            else:
                o = org_of[u]
                f = levels[o] if o in held else common
                assert f is not None  # a unit not full shares at a level that binds
                shares.append(min(Fraction(caps[u]), f * weights[u]))
        return shares, full, {o: levels[o] for o in held}, common

    shares, full, held_levels, common = solve()
    while threshold:
        below = [
            u for u in range(m) if not dropped[u] and shares[u] < caps[u] and shares[u] < threshold
        ]
        if not below:
            break
        smallest = min(shares[u] for u in below)
        equal = [u for u in range(m) if not dropped[u] and not full[u] and shares[u] == smallest]
        u = max(equal)
        share = int(shares[u])
        drop_shares[u] = share - share % step
        dropped[u] = True
        if len(equal) > 1:
            drop_ties.append(equal)
        shares, full, held_levels, common = solve()

    amounts = [0] * m
    remainders: list[tuple[Fraction, int]] = []
    for u in range(m):
        if dropped[u]:
            continue
        whole = int(shares[u])  # floor: shares are not negative
        amounts[u] = whole - whole % step
        rest = shares[u] - amounts[u]
        if rest and amounts[u] + step <= caps[u]:
            remainders.append((-rest, u))
    remainders.sort()
    org_room = {o: rooms[o] - sum(amounts[u] for u in members[o]) for o in members}
    steps = (budget - sum(amounts)) // step
    remainder_tie: list[int] = []
    remainder_got: list[int] = []
    cut: Fraction | None = None
    given_at: dict[int, Fraction] = {}
    shut_out: list[tuple[Fraction, int]] = []
    for rest, u in remainders:
        o = org_of[u]
        if o >= 0 and org_room[o] < step:
            if given_at.get(o) == rest:
                shut_out.append((rest, u))  # its room filled at its own remainder
            continue  # its organisation is at its room
        if not steps:
            if cut is None:
                break
            if rest == cut:
                remainder_tie.append(u)
                continue
            break
        amounts[u] += step
        steps -= 1
        if o >= 0:
            org_room[o] -= step
            given_at[o] = rest
        if not steps:
            cut = rest
            remainder_got = [
                v
                for r, v in remainders
                if r == rest and amounts[v] > int(shares[v]) - int(shares[v]) % step
            ]
    if cut is not None:
        remainder_tie += [u for rest, u in shut_out if rest == cut]
    if remainder_tie:
        remainder_tie = sorted({*remainder_got, *remainder_tie})
    else:
        remainder_got = []
    return _Grouped(
        amounts,
        full,
        dropped,
        drop_shares,
        held_levels,
        common,
        drop_ties,
        remainder_tie,
        remainder_got,
    )


@settings(deadline=None, max_examples=500)
@given(data=st.data())
def test_levels_kept_up_as_units_drop_agree_with_levels_worked_out_afresh(
    data: st.DataObject,
) -> None:
    step = data.draw(st.sampled_from((1, 10, 1000)))
    m = data.draw(st.integers(1, 30))
    threshold = step * data.draw(st.integers(0, 8))
    # Every eligible amount reaches the minimum award (the rule's eligibility sees to it).
    caps = [step * data.draw(st.integers(max(1, threshold // step), 60)) for _ in range(m)]
    scored = data.draw(st.booleans())
    weights = [e * (data.draw(st.integers(1, 5)) if scored else 1) for e in caps]
    org_of = [data.draw(st.integers(-1, 3)) for _ in range(m)]
    rooms = [step * data.draw(st.integers(1, 80)) for _ in range(4)]
    budget = data.draw(st.integers(0, sum(caps) + step))
    fast = _fill_by_organisation(caps, weights, org_of, rooms, budget, step, threshold)
    slow = slow_fill(caps, weights, org_of, rooms, budget, step, threshold)
    assert fast._replace(drop_ties=[]) == slow._replace(drop_ties=[])
    # The plain one noted each drop's equal shares again; the rule notes each tie once, and
    # only of equal weights where they share one level (as the plain rule does: equal shares
    # by coincidence, 0 of a budget of 0 say, are not a tie it tells).
    assert {u for tie in fast.drop_ties for u in tie} <= {u for tie in slow.drop_ties for u in tie}
