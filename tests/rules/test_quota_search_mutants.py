"""Small quota rounds that tell the exact look-ahead of pass 1 (``quotas._Search``) from its
mutants (docs/testing.md, the run of ``_Search``): the applications funded and the amounts.
Found by allocating random rounds with the code and with the mutant, shrunk, and worked out by
hand; each checked against the quotas' own definition
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

Row = tuple[str, int, int, str | None, tuple[str, ...], str | None]


def _apps(make_application: MakeApp, rows: list[Row]) -> list[Application]:
    """Applications (id, amount, score, category, counties, organisation)."""
    return [
        make_application(
            id=i,
            requested=r,
            score=Decimal(s),
            category=c,
            counties=k,
            municipalities=(),
            orgnr=o,
        )
        for i, r, s, c, k, o in rows
    ]


def _awards(
    apps: list[Application], result: Allocation, budget: int, policy: Policy
) -> dict[str, int]:
    awards = {d.application_id: d.amount for d in result.decisions}
    assert not quota_problems(apps, awards, budget, policy)
    assert result.budget == result.awarded + result.unallocated
    return awards


def test_the_search_takes_only_members_of_a_group_still_short(
    make_application: MakeApp,
) -> None:
    # Category C must have exactly 300 kr (minimum and maximum) and one funded; each county
    # named 100 kr. per_applicant_max 300; budget 500. In rank order: S1 (C, 200, counties 32
    # and 46), S9 (50, 32, organisation A), S2 (150, 03 and 46, A), S11 (C, 300, 03 and 46,
    # A), S6 (C, 50, 32 and 46).
    # After S1, county 32 is met, so pass 1 passes over S9 (it helps no minimum still short);
    # then S2 leaves organisation A 150 for S11, which takes C to 350, past its maximum, and
    # without S2 county 03 needs S11, whose 300 (or 250 beside S9) beside S1 passes it too.
    # So no choice of pass 1 after S1 meets C, and S1 is passed over: S9, S11 (250, what A
    # has left beside S9) and S6 meet every minimum (C 300, 03 250, 32 100, 46 300), S2 then
    # finds A's room spent.
    # A search that also took members of no short group took S1, S9, S2 and S11 (100) for
    # C's 300, a choice pass 1 never makes (it does not take S9 after S1), and the round was
    # refused.
    apps = _apps(
        make_application,
        [
            ("S1", 200, 8, "C", ("32", "46"), ORG_B),
            ("S9", 50, 6, None, ("32",), ORG_A),
            ("S2", 150, 5, None, ("03", "46"), ORG_A),
            ("S11", 300, 5, "C", ("03", "46"), ORG_A),
            ("S6", 50, 3, "C", ("32", "46"), ORG_B),
        ],
    )
    policy = Policy(
        round_to=1,
        per_applicant_max=300,
        quotas=(
            Quota(by="county", value="*", min_amount=100),
            Quota(by="category", value="C", min_amount=300, max_amount=300, min_count=1),
        ),
    )
    result = allocate(apps, 500, policy)
    assert _awards(apps, result, 500, policy) == {
        "S1": 0,
        "S9": 50,
        "S2": 0,
        "S11": 250,
        "S6": 50,
    }
    reasons = {d.application_id: d.reasons[0].code for d in result.decisions}
    assert reasons["S1"] == "reason.quota.max_reached"
    assert reasons["S2"] == "reason.ineligible.per_applicant_in_round"
    assert result.by_id()["S2"].reasons[0].params["funded"] == ["S9", "S11"]


def test_the_search_counts_an_organisations_room_to_the_krone(
    make_application: MakeApp,
) -> None:
    # per_applicant_max 200; each county named must have two funded, each category 50 kr.
    # Budget 600. In rank order: S1 (B, 200, 46) and S8 (200, 03) share rank 1, then S12
    # (50, 46, organisation A), S10 (C, 100, 03 and 32, B) and S11 (100, 32, A) share rank 3,
    # S2 (D, 150, A), S6 (C, 300, 03 and 46, B).
    # Pass 1 takes S1 for 46, S12 for 46, S10 and S11 for 32, S2 for D and S6 for 03. After
    # S12 and S11 organisation A has 200 - 150 = 50 left, exactly D's minimum, which S2 (the
    # only member of D) brings; S6 gets the 100 organisation B has left beside S10. The 600
    # are spent, and S8 does not fit.
    # Counting one krone too many for S12's organisation left S2 49, D short, and passed
    # over S12 (ranked third) for S2 with 100.
    apps = _apps(
        make_application,
        [
            ("S1", 200, 7, "B", ("46",), None),
            ("S8", 200, 7, None, ("03",), None),
            ("S12", 50, 6, None, ("46",), ORG_A),
            ("S10", 100, 5, "C", ("03", "32"), ORG_B),
            ("S11", 100, 5, None, ("32",), ORG_A),
            ("S2", 150, 3, "D", (), ORG_A),
            ("S6", 300, 2, "C", ("03", "46"), ORG_B),
        ],
    )
    policy = Policy(
        round_to=1,
        per_applicant_max=200,
        quotas=(
            Quota(by="county", value="*", min_count=2),
            Quota(by="category", value="*", min_amount=50),
        ),
    )
    result = allocate(apps, 600, policy)
    assert _awards(apps, result, 600, policy) == {
        "S1": 200,
        "S8": 0,
        "S12": 50,
        "S10": 100,
        "S11": 100,
        "S2": 50,
        "S6": 100,
    }


def test_the_search_gives_an_organisation_with_nothing_yet_its_whole_room(
    make_application: MakeApp,
) -> None:
    # per_applicant_max 150. Category B must have 150 kr and at most two funded, and (a
    # second quota) 50 kr, one funded, at most one and 400 kr; county 03 150 kr. Budget 500.
    # In rank order: S1 (B, 100), S10 (D, 300, counties 03 and 46, organisation B), S14 (B,
    # 300, county 32, organisation A). S1 alone cannot bring B its 150, and B may have only
    # one: it is passed over. S10 gets the 150 its organisation may have, for 03; after it
    # the exact search finds S14, whose organisation has had nothing, funded with its whole
    # 150, which meets B.
    # Counting one krone as already given to organisation A left S14 149, B short, S10
    # passed over, and the round refused.
    apps = _apps(
        make_application,
        [
            ("S1", 100, 6, "B", (), None),
            ("S10", 300, 4, "D", ("03", "46"), ORG_B),
            ("S14", 300, 1, "B", ("32",), ORG_A),
        ],
    )
    policy = Policy(
        round_to=1,
        per_applicant_max=150,
        quotas=(
            Quota(by="category", value="B", min_amount=150, max_count=2),
            Quota(
                by="category", value="B", min_amount=50, max_amount=400, min_count=1, max_count=1
            ),
            Quota(by="county", value="03", min_amount=150),
        ),
    )
    result = allocate(apps, 500, policy)
    assert _awards(apps, result, 500, policy) == {"S1": 0, "S10": 150, "S14": 150}
    assert [d.reasons[0].code for d in result.decisions] == [
        "reason.quota.max_count_reached",
        "reason.cap.per_applicant_alone",
        "reason.cap.per_applicant_alone",
    ]
