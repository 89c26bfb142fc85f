"""Quota groups: quotas that name the same group combine (the highest minimum and the lowest
maximum hold), checked on the groups :func:`~tilskudd.rules.quotas.quota_totals` resolves (what
the ledger holds an amendment to) with figures worked out by hand; and the least amounts the
check before allocating counts.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from tilskudd.errors import QuotaError, QuotaUnmetError
from tilskudd.models import Application, Policy
from tilskudd.rules import allocate
from tilskudd.rules.quotas import quota_totals

MakeApp = Callable[..., Application]


def test_quotas_on_one_group_combine_to_the_strictest_limits(make_application: MakeApp) -> None:
    apps = [
        make_application(id="A", category="Bredbånd", requested=100_000),
        make_application(id="B", category="bredbånd ", requested=50_000),
        make_application(id="C", category="Annet", requested=10_000),
        make_application(id="D", category="Kultur", requested=10_000),
    ]
    bredband = {"by": "category", "value": "Bredbånd"}
    policy = Policy(
        quotas=[
            # "Bredbånd" and "bredbånd" are one group; each kind of limit is given twice, the
            # stricter one first for some kinds and last for the others.
            {**bredband, "min_amount": 100, "min_count": 1, "min_share": "15 %"},
            {**bredband, "max_amount": 900_000, "max_count": 3, "max_share": "45 %"},
            {**bredband, "value": "bredbånd", "min_amount": 200, "min_count": 2},
            {**bredband, "value": "bredbånd", "min_share": "5 %", "max_share": "60 %"},
            {**bredband, "value": "bredbånd", "max_amount": 800_000, "max_count": 2},
            {"by": "category", "value": "Annet", "max_amount": 5_000},
            {"by": "category", "value": "Kultur", "min_amount": 1},
        ]
    )
    awards = {"A": 60_000, "B": 0, "C": 5_000, "D": 1}
    totals = {t.group.value: t for t in quota_totals(apps, awards, 999_999, policy)}
    assert sorted(totals) == ["Annet", "Bredbånd", "Kultur"]
    group = totals["Bredbånd"].group
    assert (group.min_amount, group.min_count, group.max_amount, group.max_count) == (
        200,
        2,
        800_000,
        2,
    )
    assert (group.min_share, group.max_share) == (Decimal("0.15"), Decimal("0.45"))
    # Of a budget of 999 999: at least 15 % is ceil(149 999.85), at most 45 % is
    # floor(449 999.55).
    assert (group.share_floor, group.share_cap) == (150_000, 449_999)
    assert (group.least, group.most, group.has_minimum) == (150_000, 449_999, True)
    # Only the awards above 0 count as funded.
    assert (totals["Bredbånd"].amount, totals["Bredbånd"].count) == (60_000, 1)
    # A group with a maximum only has no minimum; 1 krone is a minimum.
    annet, kultur = totals["Annet"].group, totals["Kultur"].group
    assert (annet.least, annet.most, annet.has_minimum) == (0, 5_000, False)
    assert (kultur.least, kultur.most, kultur.has_minimum) == (1, None, True)


def test_the_pre_check_counts_the_least_award_a_partial_line_allows(
    make_application: MakeApp,
) -> None:
    # With at_line = "partial" an application may get less than its eligible amount: the
    # check before allocating counts each at the least it may get (1 krone), so two funded in
    # X under a maximum of 150 000 is possible there; it is the ranked pass that then skips B
    # for the maximum, and says so, rather than the pre-check refusing 2 × 100 000.
    apps = [make_application(id=i, category="X", requested=100_000) for i in ("A", "B")]
    quota = {"by": "category", "value": "X", "min_count": 2, "max_amount": 150_000}
    policy = Policy(at_line="partial", quotas=[quota])
    with pytest.raises(QuotaUnmetError) as info:
        allocate(apps, 1_000_000, policy)
    assert "1 skipped for a quota's maximum (B)" in str(info.value)


@pytest.mark.parametrize(
    ("min_award", "round_to", "max_amount", "message"),
    [
        # The least award is min_award rounded up to the round_to grid: 2 × 2 000.
        (1_500, 1_000, 3_999, "need at least NOK\xa04,000, but at most NOK\xa03,999"),
        # Without a minimum award, the least is 1 krone: 2 × 1.
        (0, 1, 1, "need at least NOK\xa02, but at most NOK\xa01"),
    ],
)
def test_the_pre_check_counts_the_least_award_on_the_grid(
    make_application: MakeApp, min_award: int, round_to: int, max_amount: int, message: str
) -> None:
    apps = [make_application(id=i, category="X", requested=100_000) for i in ("A", "B")]
    quota = {"by": "category", "value": "X", "min_count": 2, "max_amount": max_amount}
    policy = Policy(at_line="partial", min_award=min_award, round_to=round_to, quotas=[quota])
    with pytest.raises(QuotaError) as info:
        allocate(apps, 1_000_000, policy)
    assert not isinstance(info.value, QuotaUnmetError)  # refused before allocating
    assert f"category 'X': at least 2 funded applications {message} may go there" in str(info.value)


def test_the_pre_check_counts_whole_eligible_amounts_without_a_partial_line(
    make_application: MakeApp,
) -> None:
    # Without at_line = "partial" or per_applicant_max nothing is funded below its eligible
    # amount: two funded in X need 2 × 100 000, more than its maximum, and that is said before
    # allocating (not after a ranked pass that skipped B).
    apps = [make_application(id=i, category="X", requested=100_000) for i in ("A", "B")]
    quota = {"by": "category", "value": "X", "min_count": 2, "max_amount": 150_000}
    with pytest.raises(QuotaError) as info:
        allocate(apps, 1_000_000, Policy(quotas=[quota]))
    assert not isinstance(info.value, QuotaUnmetError)
    assert (
        "category 'X': at least 2 funded applications need at least NOK\xa0200,000, but at most "
        "NOK\xa0150,000 may go there"
    ) in str(info.value)


def test_a_category_written_two_ways_is_named_the_same_whatever_the_row_order(
    make_application: MakeApp,
) -> None:
    # "bredbånd" and "Bredbånd " are one group; a reason names it as the applications spell
    # it, the spelling first in natural order ("B" before "b"), not the one of the first row.
    apps = [
        make_application(id="S1", category="bredbånd", requested=100, score=Decimal(3)),
        make_application(id="S2", category="Bredbånd ", requested=100, score=Decimal(2)),
        make_application(id="S3", category="Kultur", requested=100, score=Decimal(1)),
    ]
    policy = Policy(quotas=[{"by": "category", "value": "BREDBÅND", "max_count": 1}])
    for rows in (apps, apps[::-1]):
        result = allocate(rows, 1_000, policy)
        skipped = result.by_id()["S2"].reasons[0]
        assert skipped.code == "reason.quota.max_count_reached"
        assert (skipped.params["value"], skipped.params["name"]) == ("Bredbånd", "Bredbånd")
