"""The ``ranked`` rule (the default): best first, each funded with its eligible amount.

Applications are taken in rank order (:func:`~tilskudd.rules.common.rank_order`: given rank, or
score highest first; then the tie-break columns; then the id). Each eligible application gets
its eligible amount ``e`` (the request after every cap, and after what its organisation may still
receive under ``per_applicant_max``) while the budget lasts: with ``R`` left, it is funded if
``e <= R``, and then ``R -= e``. At the first application that does not fit, ``policy.at_line``
decides:

- ``skip`` (default): it is not funded (``reason.budget.exhausted``: rank, what was left, what it
  needed) and the next ones are still tried, so a smaller application further down may fit.
- ``stop``: a strict funding line. It is not funded, and nothing after it is
  (``reason.line.stopped`` with the rank of the line).
- ``partial``: it receives what is left, rounded down to ``round_to`` (``reason.funded.partial``),
  if that is at least ``min_award`` and more than 0; then the line stops as with ``stop``.
  Exactly one application can be partly funded, and it is the marginal one.

Then the reserve list: the first ``policy.reserve`` applications, in rank order, that were eligible
but not funded for want of budget become ``reserve`` (``reason.reserve.position``). Ineligible
applications (below ``min_score``, caps leaving nothing, an organisation at its maximum) are never
on it.

Guarantee (``skip``): an eligible application is left unfunded only if the budget left when its
turn came, which is the budget minus what better-ranked applications received, was less than it
needed. Ties across the line are reported as ``note.tie_at_line``.

Quotas per category or county (``policy.quotas``): the minimums first, then this pass with the
maximums; see :mod:`tilskudd.rules.quotas`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tilskudd.models import Allocation, Application, Decision, Policy, Reason, Status
from tilskudd.rules.common import (
    ApplicantTotals,
    Caps,
    Outcome,
    RankedEntry,
    _reason,
    build_allocation,
    decisions_of,
    floor_to,
    gc_paused,
    make_reason,
    rank_order,
    require_scores,
    tie_notes,
)
from tilskudd.rules.quotas import QuotaBook, eligible_amounts, least_amounts

__all__ = ["allocate_ranked", "fund_in_order"]


@gc_paused
def allocate_ranked(
    applications: Sequence[Application],
    budget: int,
    policy: Policy,
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
) -> Allocation:
    """Allocate ``budget`` over ``applications`` by rank order (see the module docstring).

    ``prior_by_orgnr``: awards in earlier rounds, counted against ``per_applicant_max``.
    """
    if policy.min_score is not None:
        require_scores(applications, "min_score")
    entries = rank_order(applications, policy)
    quotas = None
    if policy.quotas:
        apps = [entry.application for entry in entries]
        eligible = eligible_amounts(apps, policy, prior_by_orgnr)
        least = least_amounts(apps, policy, eligible)
        quotas = QuotaBook.build(apps, budget, policy, eligible, least)
    decisions, notes = fund_in_order(
        entries, budget, policy, prior_by_orgnr=prior_by_orgnr, quotas=quotas
    )
    if quotas is not None:
        quotas.check_met("ranked")
    return build_allocation("ranked", policy, budget, decisions, notes)


def fund_in_order(
    entries: Sequence[RankedEntry],
    budget: int,
    policy: Policy,
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
    quotas: QuotaBook | None = None,
) -> tuple[list[Decision], list[Reason]]:
    """Fund ``entries`` in the order given, as the ``ranked`` rule does; decisions and notes.

    The order is the caller's: :func:`allocate_ranked` passes the rank order; another rule may
    pass an order of its own (a drawn order within ties) and reuse the funding line and reserve.
    With ``quotas`` (:mod:`tilskudd.rules.quotas`), the applications chosen for the minimums are
    funded first, and one that would break a maximum is skipped without drawing the line; the
    caller checks the minimums afterwards (:meth:`QuotaBook.check_met`).
    """
    caps = Caps(policy)
    totals = ApplicantTotals(policy, prior_by_orgnr)
    at_line = policy.at_line
    step = policy.round_to
    min_award = policy.min_award
    min_score = policy.min_score
    per_applicant = policy.per_applicant_max is not None
    per_applicant_max = policy.per_applicant_max or 0
    used = totals.used.get  # read-only here; totals.add/limit keep it
    eligible_of = caps.eligible
    remaining = budget
    stopped: Reason | None = None  # the one reason every application below that line gets

    n = len(entries)
    statuses: list[Status] = [Status.NOT_FUNDED] * n
    amounts = [0] * n
    eligibles = [0] * n
    reasons_of: list[list[Reason]] = [[]] * n  # each replaced by the application's own list
    outcomes: list[Outcome | None] = [None] * n
    waiting: list[int] = []  # eligible, not funded for want of budget: the reserve candidates

    visit: Sequence[int] = range(n)
    if quotas is not None:
        visit = quotas.visit_order(entries, budget, policy, prior_by_orgnr)
    for k in visit:
        entry = entries[k]
        app, rank = entry.application, entry.rank
        if min_score is not None:
            low = caps.score_reason(app)
            if low is not None:
                reasons_of[k] = [low]
                continue
        amount, reasons = eligible_of(app)
        reasons_of[k] = reasons
        if amount == 0:
            continue
        org = app.orgnr
        # Fast path: the amount is on the round_to grid, so it fits under the organisation's
        # maximum exactly when it fits under what is left (totals.limit would say the same).
        if per_applicant and org is not None and amount > per_applicant_max - used(org, 0):
            amount, org_reason = totals.limit(app, amount)
            if org_reason is not None:
                reasons.append(org_reason)
                if amount == 0:
                    continue
        eligibles[k] = amount
        if stopped is not None:
            reasons.append(stopped)
            outcomes[k] = "unfunded"
            waiting.append(k)
        elif quotas is not None and (full := quotas.blocked(app, amount)) is not None:
            reasons.append(full)  # the group is full, not the budget: no line drawn here
        elif amount <= remaining:
            remaining -= amount
            if per_applicant:
                totals.add(app, amount)
            if quotas is not None:
                quotas.add(app, amount, reasons)
            statuses[k] = Status.FUNDED
            amounts[k] = amount
            # The two reasons nearly every application gets are built directly (hot path).
            reasons.append(_reason("reason.funded.full", {"rank": rank, "amount": amount}))
            outcomes[k] = "funded"
        else:
            part = floor_to(remaining, step)
            if at_line == "partial" and part > 0 and part >= min_award:
                reasons.append(
                    make_reason("reason.funded.partial", rank=rank, amount=part, eligible=amount)
                )
                remaining -= part
                totals.add(app, part)
                if quotas is not None:
                    quotas.add(app, part, reasons)
                statuses[k] = Status.PARTLY_FUNDED
                amounts[k] = part
                outcomes[k] = "partly_funded"
            else:
                params = {"rank": rank, "remaining": remaining, "needed": amount}
                reasons.append(_reason("reason.budget.exhausted", params))
                if at_line == "partial":
                    reasons.append(
                        make_reason(
                            "reason.line.partial_below_min", remaining=part, min_award=min_award
                        )
                    )
                outcomes[k] = "unfunded"
                waiting.append(k)
            if at_line != "skip":
                stopped = make_reason("reason.line.stopped", line_rank=rank)

    for position, k in enumerate(waiting[: policy.reserve], start=1):
        statuses[k] = Status.RESERVE
        reasons_of[k].append(make_reason("reason.reserve.position", position=position))

    decisions = decisions_of(entries, statuses, amounts, eligibles, reasons_of)
    return decisions, tie_notes(entries, outcomes)
