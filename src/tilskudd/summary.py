"""Figures about a round that every view repeats: counts, totals, coverage, oversubscription.

Pure functions over models; the terminal view, the exports, the documents and the ledger all take
their numbers from here so that they never disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from operator import attrgetter, itemgetter
from typing import cast

from tilskudd.models import Application, Decision, RoundResult, Status

__all__ = ["BudgetCheck", "CountyLine", "RoundSummary", "budget_check", "gini", "summarise"]


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator as a Decimal with two decimals (half-even), None when undefined."""
    if denominator == 0:
        return None
    value = Fraction(numerator, denominator)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_EVEN
    )


@dataclass(frozen=True)
class CountyLine:
    """Awards attributed to one county (a collaboration across counties counts in each)."""

    county: str
    projects: int
    awarded: int


@dataclass(frozen=True)
class RoundSummary:
    """The figures of an allocated round, as a press release or a summary sheet gives them."""

    budget: int
    awarded: int
    unallocated: int
    applications: int
    valid: int
    rejected: int
    requested: int
    """Total requested by valid applications."""
    funded: int
    """Projects with an award (funded in full or partly)."""
    funded_full: int
    partly_funded: int
    reserve: int
    not_funded: int
    municipalities: int
    """Distinct municipalities taking part in funded projects."""
    counties: int
    oversubscription: Decimal | None
    """Requested / budget, two decimals; None when the budget is 0."""
    per_county: tuple[CountyLine, ...] = field(default=())
    no_county_projects: int = 0
    """Projects with an award that name no municipality and no county."""
    no_county_awarded: int = 0
    """What those were awarded: with ``per_county`` it adds up to ``awarded``."""
    decided: int | None = None
    """Of the awards as they stand after changes since the decision (a committed round amended
    or withdrawn from): what the decision awarded, which with ``unallocated`` makes ``budget``.
    None when the figures are the decision's own."""


_STATUS = itemgetter(Decision._fields.index("status"))
_REQUESTED = attrgetter("requested")


def summarise(result: RoundResult) -> RoundSummary:
    """Summarise a round: the numbers for the summary sentence and the summary sheet.

    Worked out once per result (the terminal and each export ask for it)."""
    parts = (result.allocation, result.applications)
    return result.derived("summary", parts, lambda: _summarise(result))


def _summarise(result: RoundResult) -> RoundSummary:
    allocation = result.allocation
    decisions = allocation.decisions
    # Few passes, each reaching as little of a decision as it can: at 100 000 decisions the
    # time goes on reaching the objects, not on the counting.
    statuses = Counter(map(_STATUS, decisions))
    amounts = {d.application_id: d.amount for d in decisions if d.amount}  # the funded ones
    funded_apps = [a for a in result.applications if a.id in amounts]
    municipalities = {m for a in funded_apps for m in a.municipalities}
    counties = {c for a in funded_apps for c in a.counties}
    county_projects: Counter[str] = Counter()
    county_awarded: Counter[str] = Counter()
    no_county = [amounts[a.id] for a in funded_apps if not a.counties]
    for app in funded_apps:
        for county in app.counties:
            county_projects[county] += 1
            # A collaboration across counties is split evenly for the per-county view, the
            # remainder to the first county, so the per-county column still sums to the total.
            share, rest = divmod(amounts[app.id], len(app.counties))
            county_awarded[county] += share + (rest if county == app.counties[0] else 0)
    per_county = tuple(
        CountyLine(county=c, projects=county_projects[c], awarded=county_awarded[c])
        for c in sorted(county_projects)
    )
    requested = sum(map(_REQUESTED, result.applications))
    return RoundSummary(
        budget=allocation.budget,
        awarded=allocation.awarded,
        unallocated=allocation.unallocated,
        applications=len(allocation.decisions),
        valid=len(result.applications),
        rejected=statuses[Status.REJECTED],
        requested=requested,
        funded=statuses[Status.FUNDED] + statuses[Status.PARTLY_FUNDED],
        funded_full=statuses[Status.FUNDED],
        partly_funded=statuses[Status.PARTLY_FUNDED],
        reserve=statuses[Status.RESERVE],
        not_funded=statuses[Status.NOT_FUNDED],
        municipalities=len(municipalities),
        counties=len(counties),
        oversubscription=_ratio(requested, allocation.budget),
        per_county=per_county,
        no_county_projects=len(no_county),
        no_county_awarded=sum(no_county),
    )


@dataclass(frozen=True)
class BudgetCheck:
    """The dry-run check an officer wants before allocating: is the round oversubscribed?"""

    budget: int
    valid: int
    invalid: int
    requested: int
    oversubscription: Decimal | None
    funded_in_full_by_score: int
    """How many applications would be funded in full taking them best score first."""
    requested_of_those: int
    municipalities: int
    counties: int
    unscored: int
    excluded: int = 0
    """Valid applications the round leaves out, funded in an earlier round of the programme:
    not counted in the figures above (``requested``, the line, the places), which are of the
    ``valid - excluded`` applications the round considers."""
    excluded_requested: int = 0
    """What those applied for: with ``requested``, the total of the award table."""

    @property
    def considered(self) -> int:
        """The valid applications the round considers."""
        return self.valid - self.excluded


def budget_check(
    applications: Sequence[Application],
    invalid: int,
    budget: int,
    *,
    excluded: Collection[str] = (),
) -> BudgetCheck:
    """The budget check of ``tilskudd check --budget``: a quick look without any policy.

    ``excluded``: the ids of applications the round will not consider (funded in an earlier
    round of the programme, ``allocate --round N --dry-run``); they are counted apart, with
    what they applied for, and every other figure is of the rest.

    Applications are taken in the order the ranking rules take them, each in full, until the
    next does not fit: a strict funding line without caps. That order is by given rank when
    every application has one, else best score first (those without a score last); equal
    ranks or scores in natural id order ("S2" before "S10").
    """
    # Imported here: the rules package loads every rule (about 20 ms), which a plain `check`
    # (that renders through this module) does not need.
    from tilskudd.rules.common import NaturalKey, natural_key

    left_out = [a for a in applications if a.id in excluded]
    if left_out:
        applications = [a for a in applications if a.id not in excluded]
    by_rank = bool(applications) and all(a.rank is not None for a in applications)

    def key(app: Application) -> tuple[int, Decimal, NaturalKey]:
        if by_rank:
            return (0, Decimal(cast(int, app.rank)), natural_key(app.id))
        if app.score is not None:
            return (0, -app.score, natural_key(app.id))
        return (1, Decimal(0), natural_key(app.id))

    remaining = budget
    count = 0
    used = 0
    for app in sorted(applications, key=key):
        if app.requested > remaining:
            break
        remaining -= app.requested
        used += app.requested
        count += 1
    requested = sum(a.requested for a in applications)
    return BudgetCheck(
        budget=budget,
        valid=len(applications) + len(left_out),
        invalid=invalid,
        requested=requested,
        oversubscription=_ratio(requested, budget),
        funded_in_full_by_score=count,
        requested_of_those=used,
        municipalities=len({m for a in applications for m in a.municipalities}),
        counties=len({c for a in applications for c in a.counties}),
        unscored=sum(1 for a in applications if a.score is None and a.rank is None),
        excluded=len(left_out),
        excluded_requested=sum(a.requested for a in left_out),
    )


def gini(amounts: Sequence[int]) -> Decimal | None:
    """Gini coefficient of awards (0 = all equal), exact then rounded to 3 decimals."""
    values = sorted(amounts)
    n = len(values)
    total = sum(values)
    if n == 0 or total == 0:
        return None
    weighted = sum((2 * (i + 1) - n - 1) * v for i, v in enumerate(values))
    value = Fraction(weighted, n * total)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.001"))
