"""Rounds that tell the look-ahead's plan (``quotas._Plan``) from its mutants: each a quota round
whose decisions change when one step of the plan is changed (docs/testing.md, the run of
``_Plan``). Worked out by hand; each checked against the quotas' own definition
(:func:`~tests.rules.quota_helpers.quota_problems`)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tilskudd.models import Allocation, Application, Policy, Quota
from tilskudd.rules import allocate

from .quota_helpers import quota_problems

MakeApp = Callable[..., Application]
ORG_A = "974760673"
ORG_B = "964338531"

Row = tuple[str, int, str | None, tuple[str, ...], str | None]


def _round(make_application: MakeApp, rows: list[Row]) -> list[Application]:
    """Applications (id, amount, category, counties, organisation), in rank order: the first
    has the highest score."""
    return [
        make_application(
            id=i, requested=r, score=Decimal(len(rows) - n), category=c, counties=k, orgnr=o
        )
        for n, (i, r, c, k, o) in enumerate(rows)
    ]


def _holds(apps: list[Application], result: Allocation, budget: int, policy: Policy) -> None:
    awards = {d.application_id: d.amount for d in result.decisions}
    assert not quota_problems(apps, awards, budget, policy)
    assert result.budget == result.awarded + result.unallocated


def test_a_member_its_organisation_can_give_nothing_is_not_counted_in_the_plan(
    make_application: MakeApp,
) -> None:
    # per_applicant_max 200. Each category needs 150 kr and 1 funded and may have 2 funded;
    # each county needs 2 funded. In rank order: S12 (B, counties 32 and 46, organisation B,
    # 200), S2 (B, 46, organisation A, 100), S4 (C, 03 and 32, organisation B, 50), S6 (03, 50),
    # S7 (C, 03 and 32, organisation A, 150), S10 (B, 50), S13 (46, 50). Budget 603.
    # The first run takes S12 for B, S2 for 46, S6 for 03 and S7, which gets only the 100
    # organisation A has left beside S2: C (S4 cannot be funded: organisation B has had its
    # 200 with S12) stays at 100 of its 150.
    # Looking ahead: S12 is taken (403 left covers the rest). After S2, organisation A has
    # 100 left for S7 and organisation B nothing for S4: C cannot reach 150, so there is no
    # plan and S2 is passed over. S4 gets nothing; S6, S7 (150: C met) and S13 (46's second)
    # are taken; pass 2 gives S2 the 50 organisation A has left, and S10 would be B's third.
    # A plan that counted S4 as funded (with nothing) for counties 03 and 32 saw C's last 50
    # as an amount others could bring and took S2; C was then short, and the more cautious
    # run that met every minimum passed over S12, ranked first.
    apps = _round(
        make_application,
        [
            ("S12", 200, "B", ("32", "46"), ORG_B),
            ("S2", 100, "B", ("46",), ORG_A),
            ("S4", 50, "C", ("03", "32"), ORG_B),
            ("S6", 50, None, ("03",), None),
            ("S7", 150, "C", ("03", "32"), ORG_A),
            ("S10", 50, "B", (), None),
            ("S13", 50, None, ("46",), None),
        ],
    )
    policy = Policy(
        round_to=1,
        per_applicant_max=200,
        quotas=(
            Quota(by="category", value="*", min_amount=150, min_count=1, max_count=2),
            Quota(by="county", value="*", min_count=2),
        ),
    )
    result = allocate(apps, 603, policy)
    awards = {d.application_id: d.amount for d in result.decisions}
    assert awards == {
        "S12": 200,
        "S2": 50,
        "S4": 0,
        "S6": 50,
        "S7": 150,
        "S10": 0,
        "S13": 50,
    }
    codes = {d.application_id: [r.code for r in d.reasons] for d in result.decisions}
    assert codes["S12"][0] == "reason.quota.min_count_reserved"
    assert codes["S7"][0] == "reason.quota.min_count_reserved"
    assert codes["S2"][0] == "reason.cap.per_applicant_in_round"
    assert codes["S4"] == ["reason.ineligible.per_applicant_in_round"]
    # Each names the award that took its organisation's room: funded first for a minimum.
    filled = {d.application_id: d.reasons[0].params.get("funded") for d in result.decisions}
    assert (filled["S2"], filled["S4"]) == (["S7"], ["S12"])
    assert codes["S10"] == ["reason.quota.max_count_reached"]
    _holds(apps, result, 603, policy)


def test_a_minimum_amount_the_plan_counted_as_brought_is_not_brought_again(
    make_application: MakeApp,
) -> None:
    # per_applicant_max 300. County 03 needs 100 kr, category X 1 funded, county 46 150 kr,
    # category Y 1 funded. In rank order: J (Y, 200), I (03 and 46, organisation A, 300), T
    # (03, 100), P (X, organisation A, 100), U (46, 150), K (Y, 50). Budget 560.
    # The first run takes J and I (60 left), and P (100) does not fit: X is short.
    # Looking ahead, after J 360 would be left. The plan: I (300) costs more than 03's 100
    # and 46's 150 it would bring, so 03's 100 is counted as brought by others (T could);
    # X takes P (organisation A then has 200 left); 46 needs 150, and I, whose 03 part is
    # counted as brought already, would bring it only its 150: U's 150 is counted. 350 in all:
    # J is taken. I then leaves P nothing (organisation A's 300): passed over; T, P and U
    # meet the rest, and the 10 left are too little for K.
    # A plan that forgot 03's 100 once counted took I (now 200 within organisation A's room)
    # for 46 as if it brought 03 those 100 as well: 400, more than the 360 after J, and J,
    # ranked first, was passed over for K.
    apps = _round(
        make_application,
        [
            ("J", 200, "Y", (), None),
            ("I", 300, None, ("03", "46"), ORG_A),
            ("T", 100, None, ("03",), None),
            ("P", 100, "X", (), ORG_A),
            ("U", 150, None, ("46",), None),
            ("K", 50, "Y", (), None),
        ],
    )
    policy = Policy(
        round_to=1,
        per_applicant_max=300,
        quotas=(
            Quota(by="county", value="03", min_amount=100),
            Quota(by="category", value="X", min_count=1),
            Quota(by="county", value="46", min_amount=150),
            Quota(by="category", value="Y", min_count=1),
        ),
    )
    result = allocate(apps, 560, policy)
    awards = {d.application_id: d.amount for d in result.decisions}
    assert awards == {"J": 200, "I": 0, "T": 100, "P": 100, "U": 150, "K": 0}
    codes = {d.application_id: [r.code for r in d.reasons] for d in result.decisions}
    assert codes["J"][0] == "reason.quota.min_count_reserved"
    assert codes["K"] == ["reason.budget.exhausted"]
    _holds(apps, result, 560, policy)


def test_a_group_one_krone_short_still_takes_a_member_that_meets_another_group(
    make_application: MakeApp,
) -> None:
    # County 03 needs 101 kr, county 46 200 kr, category Y 1 funded. In rank order: J (Y,
    # 100), Z (03, 150), S1 and S2 (03 and 46, 100 each), K (Y, 100). Budget 300.
    # The first run takes J and Z (50 left), and S1 does not fit: 46 is short.
    # Looking ahead, after J 200 would be left. The plan: S1 brings 03 100 of its 101 and 46
    # 100; 03 is then one krone short, and S2 (which brings 46 its other 100) costs no more
    # than it saves: S1 and S2 meet both counties for 200, and J is taken. Z would leave too
    # little for 46: passed over; S1 and S2 are taken.
    # A plan that stopped looking at 03's shared members one krone short counted that krone
    # and then 46's last 100 as bare amounts: 201, one more than the 200 after J, and J,
    # ranked first, was passed over for K.
    apps = _round(
        make_application,
        [
            ("J", 100, "Y", (), None),
            ("Z", 150, None, ("03",), None),
            ("S1", 100, None, ("03", "46"), None),
            ("S2", 100, None, ("03", "46"), None),
            ("K", 100, "Y", (), None),
        ],
    )
    policy = Policy(
        round_to=1,
        quotas=(
            Quota(by="county", value="03", min_amount=101),
            Quota(by="county", value="46", min_amount=200),
            Quota(by="category", value="Y", min_count=1),
        ),
    )
    result = allocate(apps, 300, policy)
    awards = {d.application_id: d.amount for d in result.decisions}
    assert awards == {"J": 100, "Z": 0, "S1": 100, "S2": 100, "K": 0}
    codes = {d.application_id: [r.code for r in d.reasons] for d in result.decisions}
    assert codes["J"][0] == "reason.quota.min_count_reserved"
    assert codes["S1"][0] == "reason.quota.min_reserved"
    assert codes["K"] == ["reason.budget.exhausted"]
    _holds(apps, result, 300, policy)


def test_a_member_cut_to_what_a_group_misses_meets_it_in_the_plan(
    make_application: MakeApp,
) -> None:
    # per_applicant_max 100. County 03 needs 100 kr, category X 2 funded, county 46 1 funded.
    # In rank order: J (X, 46, 50), Z (03, 150), I (X, 03, organisation A, 300), T (03,
    # 100), P (X, 60), K (46, 40). Budget 200.
    # The first run takes J and Z (nothing left): X has 1 of its 2.
    # Looking ahead, after J 150 would be left. The plan: I gets the 100 organisation A may
    # have, exactly what 03 misses, and is X's second: 100 in all, and J is taken. Z would
    # leave nothing for X: passed over; I is taken (100, cut by per_applicant_max). Pass 2
    # gives K 40 of the 50 left.
    # A plan that counted I's part of X's amount (X needs none and has J's 50) as less than
    # nothing found I's 100 more than the 100 it saves 03: it counted 03's 100 and P for X,
    # 160, more than the 150 after J, and J, ranked first, was passed over for P and K.
    apps = _round(
        make_application,
        [
            ("J", 50, "X", ("46",), None),
            ("Z", 150, None, ("03",), None),
            ("I", 300, "X", ("03",), ORG_A),
            ("T", 100, None, ("03",), None),
            ("P", 60, "X", (), None),
            ("K", 40, None, ("46",), None),
        ],
    )
    policy = Policy(
        round_to=1,
        per_applicant_max=100,
        quotas=(
            Quota(by="county", value="03", min_amount=100),
            Quota(by="category", value="X", min_count=2),
            Quota(by="county", value="46", min_count=1),
        ),
    )
    result = allocate(apps, 200, policy)
    awards = {d.application_id: d.amount for d in result.decisions}
    assert awards == {"J": 50, "Z": 0, "I": 100, "T": 0, "P": 0, "K": 40}
    codes = {d.application_id: [r.code for r in d.reasons] for d in result.decisions}
    assert codes["J"][0] == "reason.quota.min_count_reserved"
    assert codes["I"][:2] == ["reason.cap.per_applicant_alone", "reason.quota.min_reserved"]
    assert codes["P"] == ["reason.budget.exhausted"]
    _holds(apps, result, 200, policy)


def test_the_plan_does_not_count_on_an_application_below_min_score(
    make_application: MakeApp,
) -> None:
    # min_score 3. Category X needs 1 funded, category Y 1 funded. In rank order: J (Y, 100,
    # score 10), P (X, 150, score 9), K (Y, 50, score 5), twelve more of Y (1 000 each, score
    # 4: more than the exact search looks through), L (X, 20, score 2, below min_score).
    # Budget 200.
    # The first run takes J (100 left), and P (150) does not fit: X is short.
    # Looking ahead, after J 100 would be left, and X's cheapest that can be funded is P
    # (150): J is passed over; P is taken (K, 50, can still meet Y), then K.
    # A plan that counted L (20) for X took J, and then nothing could meet X: the round was
    # refused.
    apps = [
        make_application(id="J", requested=100, score=Decimal(10), category="Y"),
        make_application(id="P", requested=150, score=Decimal(9), category="X"),
        make_application(id="K", requested=50, score=Decimal(5), category="Y"),
        make_application(id="L", requested=20, score=Decimal(2), category="X"),
    ]
    apps += [
        make_application(id=f"Q{k}", requested=1_000, score=Decimal(4), category="Y")
        for k in range(1, 13)
    ]
    policy = Policy(
        round_to=1,
        min_score=Decimal(3),
        quotas=(Quota(by="category", value="*", min_count=1),),
    )
    result = allocate(apps, 200, policy)
    awards = {d.application_id: d.amount for d in result.decisions if d.amount}
    assert awards == {"P": 150, "K": 50}
    codes = {d.application_id: [r.code for r in d.reasons] for d in result.decisions}
    assert codes["P"][0] == "reason.quota.min_count_reserved"
    assert codes["K"][0] == "reason.quota.min_count_reserved"
    assert codes["J"] == ["reason.budget.exhausted"]
    _holds(apps, result, 200, policy)


def test_the_plan_does_not_hold_an_application_without_organisation_to_per_applicant_max(
    make_application: MakeApp,
) -> None:
    # per_applicant_max 100, and no application names its organisation (none is held to it).
    # Category X needs 1 funded, category Y 1 funded. In rank order: J (Y, 100), P (X, 300),
    # K (Y, 50), twelve more of Y (1 000 each: more than the exact search looks through).
    # Budget 350.
    # The first run takes J (250 left), and P (300) does not fit: X is short.
    # Looking ahead, after J 250 would be left, less than P's 300: J is passed over; P is
    # taken (K, 50, can still meet Y), then K.
    # A plan that held P to per_applicant_max counted 100 for X, took J, and then nothing
    # could meet X: the round was refused.
    apps = [
        make_application(id="J", requested=100, score=Decimal(10), category="Y", orgnr=None),
        make_application(id="P", requested=300, score=Decimal(9), category="X", orgnr=None),
        make_application(id="K", requested=50, score=Decimal(5), category="Y", orgnr=None),
    ]
    apps += [
        make_application(id=f"Q{k}", requested=1_000, score=Decimal(4), category="Y", orgnr=None)
        for k in range(1, 13)
    ]
    policy = Policy(
        round_to=1,
        per_applicant_max=100,
        quotas=(Quota(by="category", value="*", min_count=1),),
    )
    result = allocate(apps, 350, policy)
    awards = {d.application_id: d.amount for d in result.decisions if d.amount}
    assert awards == {"P": 300, "K": 50}
    codes = {d.application_id: [r.code for r in d.reasons] for d in result.decisions}
    assert codes["P"][0] == "reason.quota.min_count_reserved"
    assert codes["J"] == ["reason.budget.exhausted"]
    _holds(apps, result, 350, policy)
