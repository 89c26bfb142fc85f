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
    if policy.per_applicant_max is not None and app.organisation is not None:
        left = policy.per_applicant_max - (prior or {}).get(app.organisation, 0)
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
        for org in {by_id[i].organisation for i in cands} - {None}:
            col = np.array([by_id[i].organisation == org for i in cands], dtype=np.int64)
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


def ranked_reachable(
    apps: Sequence[Application], budget: int, policy: Policy, *, pass_two: bool = True
) -> dict[str, int] | None:
    """Whether ``ranked`` can meet every quota, by exhaustive search over its own order
    semantics (README, "Quotas per category or county"): some choice of applications funded
    first for the minimums, each taken in rank order while a minimum of one of its groups is
    unmet, funded with its eligible amount (or what its organisation has left under
    ``per_applicant_max``), within the budget and every maximum, followed by the rule's normal
    pass over the rest in rank order (maximums skipped, ``at_line`` at the first that does not
    fit), leaves every quota met. The awards of the first choice found that does (choices
    tried in order of the rank preference, best first), ``None`` when no choice does.
    ``pass_two=False``: the choice alone must meet the minimums (the rule's pass 2 not run).

    Written apart from :mod:`tilskudd.rules.quotas` (plain loops over all subsets of the
    applications that can serve a minimum: 2^m, for m up to about 12)."""
    from tilskudd.rules.common import rank_order

    entries = rank_order(apps, policy)
    order = [e.application for e in entries]
    ranks = [e.rank for e in entries]
    n = len(order)

    def eligible(app: Application) -> int:
        if policy.min_score is not None and (app.score is None or app.score < policy.min_score):
            return 0
        amount = policy_caps(app, policy)
        return 0 if amount == 0 or amount < policy.min_award else amount

    elig = [eligible(a) for a in order]
    # Every (quota, group) as a list of member positions with its limits in kroner and counts.
    limits: list[tuple[set[int], int, int | None, int, int | None]] = []
    for q in policy.quotas:
        for members in groups(order, q):
            ids = {a.id for a in members}
            pos = {k for k in range(n) if order[k].id in ids}
            limits.append((pos, *quota_limits(q, budget)))

    def org_limit(k: int, amount: int, spent: Mapping[str, int]) -> int:
        org = order[k].organisation
        if policy.per_applicant_max is None or org is None:
            return amount
        room = max(policy.per_applicant_max - spent.get(org, 0), 0)
        left = room - room % policy.round_to
        if amount <= left:
            return amount
        return 0 if left == 0 or left < policy.min_award else left

    def unmet_of(k: int, awards: Sequence[int]) -> bool:
        for pos, least, _, min_count, _ in limits:
            if k in pos:
                got = sum(awards[j] for j in pos)
                if got < least or sum(1 for j in pos if awards[j]) < min_count:
                    return True
        return False

    def blocked(k: int, amount: int, awards: Sequence[int]) -> bool:
        for pos, _, most, _, max_count in limits:
            if k in pos:
                if max_count is not None and sum(1 for j in pos if awards[j]) + 1 > max_count:
                    return True
                if most is not None and sum(awards[j] for j in pos) + amount > most:
                    return True
        return False

    def all_met(awards: Sequence[int]) -> bool:
        return all(
            sum(awards[j] for j in pos) >= least and sum(1 for j in pos if awards[j]) >= min_count
            for pos, least, _, min_count, _ in limits
        )

    serving = [k for k in range(n) if elig[k] and any(k in lim[0] for lim in limits)]
    m = len(serving)
    assert m <= 14
    # Best first: a choice that takes a better-ranked application is tried before one that
    # does not (the bits of the mask, highest for the best-ranked).
    for mask in range((1 << m) - 1, -1, -1):
        chosen = {serving[j] for j in range(m) if mask >> (m - 1 - j) & 1}
        awards = [0] * n
        spent: dict[str, int] = {}
        remaining = budget
        ok = True
        for k in sorted(chosen):
            amount = org_limit(k, elig[k], spent)
            if (
                not amount
                or amount > remaining
                or not unmet_of(k, awards)
                or blocked(k, amount, awards)
            ):
                ok = False
                break
            awards[k] = amount
            remaining -= amount
            if order[k].organisation is not None:
                spent[order[k].organisation] = spent.get(order[k].organisation, 0) + amount
        if not ok or (not pass_two and not all_met(awards)):
            continue
        line: int | None = None  # the rank a stop line fell at; those of that rank still tried
        stopped = False
        for k in range(n):
            if k in chosen or not elig[k]:
                continue
            amount = org_limit(k, elig[k], spent)
            if not amount:
                continue
            if stopped and not (policy.at_line == "stop" and ranks[k] == line):
                continue
            if blocked(k, amount, awards):
                continue
            got = amount if amount <= remaining else 0
            if not got:
                part = remaining - remaining % policy.round_to
                if policy.at_line == "partial" and part and part >= policy.min_award:
                    got = part
                if policy.at_line != "skip":
                    stopped, line = True, ranks[k] if policy.at_line == "stop" else None
            if got:
                awards[k] = got
                remaining -= got
                if order[k].organisation is not None:
                    spent[order[k].organisation] = spent.get(order[k].organisation, 0) + got
        if all_met(awards):
            return {order[k].id: awards[k] for k in range(n)}
    return None


def quota_limits(q: Quota, budget: int) -> tuple[int, int | None, int, int | None]:
    """A quota's least and most in kroner (shares of the budget, exact) and in counts."""
    least = q.min_amount or 0
    if q.min_share is not None:
        num, den = Fraction(q.min_share).as_integer_ratio()
        least = max(least, -(-num * budget // den))
    most = q.max_amount
    if q.max_share is not None:
        num, den = Fraction(q.max_share).as_integer_ratio()
        cap = num * budget // den
        most = cap if most is None else min(most, cap)
    return least, most, q.min_count or 0, q.max_count
