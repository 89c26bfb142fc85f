"""Amounts requested that look kept in thousands of kroner, though nothing in the sheet says so.

tilskudd reads every amount in whole kroner. A scale stated in a header, a title or a note
(``Søkt beløp (1000 kr)``) stops the reading with an error (:mod:`tilskudd.reading.columns`);
a sheet that says nothing is read as kroner, and a round of 40 applications asking for 250,
1 200 and 80 (thousands) against a budget of 20 000 000 would award a few thousand kroner and
leave the rest unallocated. :func:`thousands_warning` warns, before anything is allocated, when
either of two signals is seen:

- against the budget: the round asks for under 5 per mille of it (a round kept in thousands
  asks for about 1 per mille of a budget in kroner, 3 when it is oversubscribed three times),
  or, every request being under 10 000 kr, for under 1 % of it;
- in the sheet alone: every request is under 10 000 kr and, for each of at least two
  applications with a total cost, under 1 % of that cost (the cost kept in kroner beside
  requests kept in thousands).

Real small grants meet neither: a municipal culture grant of 2 000-20 000 kr from a budget of
200 000 asks for a good share of the budget, and of what its project costs. The figures are
measured once, when the sheet is checked (:func:`measure`); the budget is weighed when it is
known (``check --budget``, ``allocate``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_UP, Decimal

from tilskudd.models import Issue, Location, ParamValue, Severity

__all__ = ["CODES", "Requested", "measure", "thousands_warning"]

SMALL_NOK = 10_000
"""Every request under this, as kroner, is one of the signals."""
OF_BUDGET_PER_MILLE = 5
"""A round asking for less than this many thousandths of its budget looks kept in thousands."""
OF_BUDGET_SMALL_PERCENT = 1
"""... and less than this many hundredths of it, when every request is small."""
OF_COST_PERCENT = 1
"""Every small request under this share of its project's total cost is the sheet's signal."""
MIN_COSTED = 2
"""The applications with a total cost the sheet's signal needs: one alone says little."""

CODES = frozenset({"validate.thousands_budget", "validate.thousands_cost"})
"""The codes of the warning (against the budget, from the sheet alone)."""


@dataclass(frozen=True)
class Requested:
    """What the valid applications ask for, as the warning needs it."""

    location: Location
    """The column of the amount requested (its header cell)."""
    count: int
    total: int
    largest: int
    costed: int
    """Applications with a total cost; counted only when every request is small (else 0)."""
    under_cost: bool
    """Each of those asks for under :data:`OF_COST_PERCENT` of its cost (False when none)."""


def measure(
    location: Location, amounts: Sequence[int], pairs: Iterable[tuple[int, int | None]]
) -> Requested:
    """The figures of the valid applications' requests (``amounts``) and, only looked at when
    every request is small, their (request, total cost) ``pairs``."""
    largest = max(amounts, default=0)
    costed = 0
    under = True
    if amounts and largest < SMALL_NOK:
        for requested, cost in pairs:
            if cost is not None:
                costed += 1
                under = under and requested * 100 < cost * OF_COST_PERCENT
    return Requested(
        location=location,
        count=len(amounts),
        total=sum(amounts),
        largest=largest,
        costed=costed,
        under_cost=under and costed > 0,
    )


def thousands_warning(requested: Requested | None, budget: int | None) -> Issue | None:
    """The warning that the amounts look kept in thousands, or None; ``budget`` None (or 0):
    from the sheet alone."""
    if requested is None or not requested.count:
        return None
    small = requested.largest < SMALL_NOK
    params: dict[str, ParamValue] = {
        "count": requested.count,
        "total": requested.total,
        "largest": requested.largest,
    }
    if budget and (
        requested.total * 1000 < budget * OF_BUDGET_PER_MILLE
        or (small and requested.total * 100 < budget * OF_BUDGET_SMALL_PERCENT)
    ):
        # Rounded up, so that a share never shows as 0 %.
        share = (Decimal(requested.total) / Decimal(budget)).quantize(
            Decimal("0.0001"), rounding=ROUND_UP
        )
        code = "validate.thousands_budget"
        params |= {"budget": budget, "share": share}
    elif small and requested.under_cost and requested.costed >= MIN_COSTED:
        code = "validate.thousands_cost"
        params |= {"costed": requested.costed}
    else:
        return None
    return Issue(
        severity=Severity.WARNING,
        code=code,
        params=params,
        location=requested.location,
        field="requested",
    )
