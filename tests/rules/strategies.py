"""Hypothesis strategies and checks shared by the rule tests: random rounds and policies."""

from __future__ import annotations

import re
import string
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from tilskudd.i18n import get
from tilskudd.models import ORG_ID_COLUMN, Allocation, Application, Policy, TieBreak

ORGS = ("974760673", "964338531", "938801363")
OTHER_ORGS = ("GB-CHC-1234567", "E5104X")
"""Identifiers a 360Giving file gives recipients abroad: each counts as an organisation."""


@st.composite
def applications(draw: st.DrawFn, *, max_size: int = 25, scored: bool = True) -> list[Application]:
    """A list of valid applications with unique ids; all scored (or all ranked when not)."""
    n = draw(st.integers(min_value=0, max_value=max_size))
    numbers = draw(st.lists(st.integers(1, 500), min_size=n, max_size=n, unique=True))
    prefix = draw(st.sampled_from(["S", "A-", "", "søknad "]))
    # Few distinct scores, so that ties (at the line and elsewhere) are common.
    score_pool = draw(st.lists(st.decimals(0, 10, places=1), min_size=1, max_size=4))
    apps = []
    for number in numbers:
        requested = draw(st.integers(1, 3_000_000))
        cost = draw(st.one_of(st.none(), st.integers(requested, 6 * requested)))
        # As validation carries them: every input column is a key, empty cells are None.
        extra: dict[str, Any] = {"region": draw(st.sampled_from([None, "Nord", "Sør", "Vest"]))}
        orgnr = draw(st.sampled_from((None, *ORGS)))
        # Without an organisation number, maybe another register's id (360Giving's column).
        extra[ORG_ID_COLUMN] = None if orgnr else draw(st.sampled_from((None, *OTHER_ORGS)))
        fields: dict[str, Any] = {
            "id": f"{prefix}{number}",
            "requested": requested,
            "total_cost": cost,
            "orgnr": orgnr,
            "extra": extra,
        }
        if scored:
            fields["score"] = draw(st.sampled_from(score_pool))
        else:
            fields["rank"] = draw(st.integers(1, max(1, n)))
        apps.append(Application(**fields))
    return apps


@st.composite
def policies(draw: st.DrawFn, rule: str) -> Policy:
    """A random policy for ``rule``: any mix of caps, thresholds, line and tie-breaks.

    Only policies the model accepts: a maximum below ``min_award`` or ``round_to`` (which
    Policy refuses, as no award could be made) is raised to them.
    """
    min_award = draw(st.sampled_from([0, 0, 1, 50_000, 120_500]))
    round_to = draw(st.sampled_from([1, 1, 7, 1000, 25_000]))
    max_award = draw(st.none() | st.none() | st.integers(1, 2_000_000))
    if max_award is not None:
        max_award = max(max_award, min_award, round_to)
    per_applicant_max = draw(st.one_of(st.none(), st.integers(1, 4_000_000)))
    if per_applicant_max is not None:
        per_applicant_max = max(per_applicant_max, min_award, round_to)
    return Policy(
        rule=rule,  # type: ignore[arg-type]
        max_award=max_award,
        max_share_of_cost=draw(st.one_of(st.none(), st.decimals(Decimal("0.01"), 1, places=3))),
        min_award=min_award,
        round_to=round_to,
        min_score=draw(st.none() | st.none() | st.decimals(0, 10, places=1)),
        per_applicant_max=per_applicant_max,
        at_line=draw(st.sampled_from(["skip", "stop", "partial"])),
        reserve=draw(st.integers(0, 3)),
        tie_break=draw(
            st.sampled_from(
                [
                    (),
                    (TieBreak(column="total_cost", descending=False),),
                    (TieBreak(column="region"),),
                ]
            )
        ),
        weight=draw(st.sampled_from(["none", "score"])) if rule == "proportional" else "none",
    )


def budgets(apps: list[Application]) -> st.SearchStrategy[int]:
    """A budget from nothing to more than everything asked for."""
    return st.integers(0, sum(a.requested for a in apps) * 11 // 10 + 1)


_FIELD = re.compile(r"\{(\w+)")


def assert_renders(allocation: Allocation) -> None:
    """Every reason and note has a text in both languages and every parameter it names."""
    for lang in ("en", "nb"):
        t = get(lang)
        reasons = [r for d in allocation.decisions for r in d.reasons] + list(allocation.notes)
        for reason in {r.code: r for r in reasons}.values():
            assert t.has(reason.code), (lang, reason.code)
            text = t(reason.code, **reason.params)
            assert "?" not in text, (lang, reason.code, reason.params, text)


def policy_caps(app: Application, policy: Policy) -> int:
    """The most ``app`` may get under the per-application caps, computed independently."""
    limit = app.requested
    if policy.max_award is not None:
        limit = min(limit, policy.max_award)
    if policy.max_share_of_cost is not None and app.total_cost is not None:
        # Exact: share is a Decimal with few places, total cost an int.
        limit = min(limit, int(policy.max_share_of_cost * app.total_cost))
    return limit - limit % policy.round_to


def ascii_ids() -> st.SearchStrategy[str]:
    """Ids as people type them: letters, digits, dashes."""
    return st.text(string.ascii_letters + string.digits + "-", min_size=1, max_size=8)


def check_invariants(
    apps: list[Application], budget: int, policy: Policy, result: Allocation
) -> None:
    """What holds for every rule: budget, caps, grid, minimum, each application once, words."""
    assert result.budget == budget
    assert result.awarded + result.unallocated == budget
    assert result.awarded == sum(d.amount for d in result.decisions)
    assert sorted(d.application_id for d in result.decisions) == sorted(a.id for a in apps)
    by_id = {a.id: a for a in apps}
    per_org: dict[str, int] = {}
    for d in result.decisions:
        app = by_id[d.application_id]
        assert d.requested == app.requested
        assert (d.amount > 0) == (d.status in ("funded", "partly_funded"))
        assert d.reasons, d
        if d.amount == 0:
            continue
        assert d.amount <= policy_caps(app, policy)
        assert d.amount <= (d.eligible_amount or 0)
        assert d.amount % policy.round_to == 0
        assert d.amount >= policy.min_award
        if policy.min_score is not None:
            assert app.score is not None
            assert app.score >= policy.min_score
        if app.organisation is not None:
            per_org[app.organisation] = per_org.get(app.organisation, 0) + d.amount
    if policy.per_applicant_max is not None:
        assert all(total <= policy.per_applicant_max for total in per_org.values())
    assert_renders(result)
