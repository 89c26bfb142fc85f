"""Independent checks for the quota and optimal tests: groups, limits and a brute-force optimum.

Written apart from tilskudd.rules.quotas and tilskudd.rules.optimal on purpose (plain loops, exact
fractions), so that a test compares two ways of computing the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st

from tilskudd.models import Application, Policy, Quota

from .strategies import policy_caps

COUNTY_NAMES = {"03": "Oslo", "32": "Akershus", "02": "Akershus", "46": "Vestland"}
CATEGORIES = ("Bredbånd", "bredbånd ", "Skole", "Helse", None)
COUNTIES = ("03", "32", "02", "46")


def _cat(text: str | None) -> str | None:
    return " ".join(text.split()).casefold() if text and text.strip() else None


def groups(apps: Sequence[Application], quota: Quota) -> list[list[Application]]:
    """The applications in each group ``quota`` names (one group, or one per value for "*")."""
    if quota.by == "category":
        if quota.value == "*":
            keys = sorted({k for a in apps if (k := _cat(a.category)) is not None})
        else:
            keys = [_cat(quota.value) or ""]
        return [[a for a in apps if _cat(a.category) == k] for k in keys]
    if quota.value == "*":
        numbers = sorted({c for a in apps for c in a.counties})
        return [[a for a in apps if n in a.counties] for n in numbers]
    if quota.value.isdigit():
        wanted = {quota.value.zfill(2)}
    else:
        wanted = {
            n for n, name in COUNTY_NAMES.items() if name.casefold() == quota.value.casefold()
        }
    return [[a for a in apps if wanted & set(a.counties)]]


def quota_problems(
    apps: Sequence[Application], awards: Mapping[str, int], budget: int, policy: Policy
) -> list[str]:
    """Every limit the awards break, computed with exact fractions; empty when all hold."""
    out = []
    for q in policy.quotas:
        for members in groups(apps, q):
            amount = sum(awards.get(a.id, 0) for a in members)
            count = sum(1 for a in members if awards.get(a.id, 0) > 0)
            checks: list[tuple[str, bool]] = [
                ("min_amount", q.min_amount is None or amount >= q.min_amount),
                ("max_amount", q.max_amount is None or amount <= q.max_amount),
                ("min_count", q.min_count is None or count >= q.min_count),
                ("max_count", q.max_count is None or count <= q.max_count),
                (
                    "min_share",
                    q.min_share is None or Fraction(amount) >= Fraction(q.min_share) * budget,
                ),
                (
                    "max_share",
                    q.max_share is None or Fraction(amount) <= Fraction(q.max_share) * budget,
                ),
            ]
            ids = [a.id for a in members]
            out += [f"{q.by} {q.value} {name} {ids}" for name, ok in checks if not ok]
    return out


def whole_eligible(app: Application, policy: Policy, prior: Mapping[str, int] | None = None) -> int:
    """What ``optimal`` may fund ``app`` with (whole), from the policy alone; 0 if nothing."""
    if policy.min_score is not None and (app.score is None or app.score < policy.min_score):
        return 0
    amount = policy_caps(app, policy)
    if amount == 0 or amount < policy.min_award:
        return 0
    if policy.per_applicant_max is not None and app.orgnr is not None:
        left = policy.per_applicant_max - (prior or {}).get(app.orgnr, 0)
        if amount > left:
            return 0
    return amount


def objective_points(app: Application, amount: int, policy: Policy) -> Fraction:
    """The objective an award of ``amount`` to ``app`` adds, exactly."""
    if policy.objective == "count":
        return Fraction(1)
    assert app.score is not None
    score = Fraction(app.score)
    return score if policy.objective == "score" else score * amount


def brute_force(
    apps: Sequence[Application],
    budget: int,
    policy: Policy,
    order: Sequence[str],
    prior: Mapping[str, int] | None = None,
) -> tuple[Fraction | None, set[frozenset[str]]]:
    """The best objective of whole awards by exhaustive search, and the selections that reach it
    and are best by the rank preference (``order``: the ids in rank order). ``None`` when no
    selection meets the constraints. Vectorised over all 2^m subsets of the m candidates."""
    eligible = {a.id: whole_eligible(a, policy, prior) for a in apps}
    cands = [i for i in order if eligible[i] > 0]
    by_id = {a.id: a for a in apps}
    m = len(cands)
    assert m <= 16
    masks = np.arange(2**m, dtype=np.int64)
    bits = (masks[:, None] >> np.arange(m, dtype=np.int64)) & 1
    amounts = np.array([eligible[i] for i in cands], dtype=np.int64)
    ok = bits @ amounts <= budget
    if policy.per_applicant_max is not None:
        for org in {by_id[i].orgnr for i in cands} - {None}:
            col = np.array([by_id[i].orgnr == org for i in cands], dtype=np.int64)
            left = policy.per_applicant_max - (prior or {}).get(str(org), 0)
            ok &= bits @ (amounts * col) <= left
    for q in policy.quotas:
        for members in groups(apps, q):
            ids = {a.id for a in members}
            col = np.array([i in ids for i in cands], dtype=np.int64)
            amount = bits @ (amounts * col)
            count = bits @ col
            if q.min_amount is not None:
                ok &= amount >= q.min_amount
            if q.max_amount is not None:
                ok &= amount <= q.max_amount
            if q.min_count is not None:
                ok &= count >= q.min_count
            if q.max_count is not None:
                ok &= count <= q.max_count
            if q.min_share is not None:
                num, den = Fraction(q.min_share).as_integer_ratio()
                ok &= amount * den >= num * budget
            if q.max_share is not None:
                num, den = Fraction(q.max_share).as_integer_ratio()
                ok &= amount * den <= num * budget
    if not ok.any():
        return None, set()
    # Exact objective as integers: a common denominator for the fractions.
    points = [objective_points(by_id[i], eligible[i], policy) for i in cands]
    den = math.lcm(*(p.denominator for p in points)) if points else 1
    ints = [int(p * den) for p in points]
    if any(abs(x) > 2**40 for x in ints):
        values: Any = [sum(ints[j] for j in range(m) if (mask >> j) & 1) for mask in range(2**m)]
        values = np.array(values, dtype=object)
    else:
        values = bits @ np.array(ints, dtype=np.int64)
    feasible = np.flatnonzero(ok)
    best = max(values[k] for k in feasible)
    optimal = [k for k in feasible if values[k] == best]
    preference = bits @ np.arange(m, 0, -1, dtype=np.int64)
    top = max(preference[k] for k in optimal)
    chosen = {
        frozenset(cands[j] for j in range(m) if (k >> j) & 1)
        for k in optimal
        if preference[k] == top
    }
    return Fraction(int(best), den), chosen


@st.composite
def quotas(draw: st.DrawFn, *, max_size: int = 3) -> tuple[Quota, ...]:
    """A few random quotas over the categories and counties :func:`placed` uses."""
    out = []
    for _ in range(draw(st.integers(0, max_size))):
        by = draw(st.sampled_from(["category", "county"]))
        if by == "category":
            value = draw(st.sampled_from(["*", "Bredbånd", "skole", "Kultur"]))
        else:
            value = draw(st.sampled_from(["*", "03", "3", "Akershus", "46"]))
        limits: dict[str, Any] = {}
        for name in draw(
            st.lists(
                st.sampled_from(
                    ["min_amount", "max_amount", "min_share", "max_share", "min_count", "max_count"]
                ),
                min_size=1,
                max_size=2,
                unique=True,
            )
        ):
            if name.endswith("amount"):
                limits[name] = draw(st.integers(0, 4_000_000))
            elif name.endswith("share"):
                limits[name] = draw(st.decimals(Decimal("0.05"), Decimal("0.9"), places=2))
            else:
                limits[name] = draw(st.integers(0, 3))
        for kind in ("amount", "share", "count"):
            low, high = limits.get(f"min_{kind}"), limits.get(f"max_{kind}")
            if low is not None and high is not None and low > high:
                limits[f"min_{kind}"], limits[f"max_{kind}"] = high, low
        if not any(name.startswith("max_") or limits[name] for name in limits):
            continue  # minimums of 0 alone: refused, a quota that holds nothing
        out.append(Quota(by=by, value=value, **limits))  # type: ignore[arg-type]
    return tuple(out)


@st.composite
def placed(draw: st.DrawFn, apps: list[Application]) -> list[Application]:
    """``apps`` each given a category (or none) and one or two counties (or none)."""
    out = []
    for app in apps:
        category = draw(st.sampled_from(CATEGORIES))
        counties = tuple(sorted(set(draw(st.lists(st.sampled_from(COUNTIES), max_size=2)))))
        out.append(app.model_copy(update={"category": category, "counties": counties}))
    return out
