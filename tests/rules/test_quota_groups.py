"""Quotas that name the same group combine: the highest minimum and the lowest maximum hold.

Checked on the groups :func:`~tilskudd.rules.quotas.quota_totals` resolves (what the ledger
holds an amendment to), with figures worked out by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tilskudd.models import Application, Policy
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
