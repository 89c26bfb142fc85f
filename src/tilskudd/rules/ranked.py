"""The ``ranked`` rule (the default): best first, each funded with its eligible amount.

Applications are taken in rank order (:func:`~tilskudd.rules.common.rank_order`: given rank, or
score highest first; then the tie-break columns; then the id). Each eligible application gets
its eligible amount ``e`` (the request after every cap, and after what its organisation may still
receive under ``per_applicant_max``) while the budget lasts: with ``R`` left, it is funded if
``e <= R``, and then ``R -= e``. At the first application that does not fit, ``policy.at_line``
decides:

- ``skip`` (default): it is not funded (``reason.budget.exhausted``: rank, what was left, what it
  needed) and the next ones are still tried, so a smaller application further down may fit.
- ``stop``: a strict funding line. It is not funded, and nothing ranked below it is
  (``reason.line.stopped`` with the rank of the line). The line falls between ranks: the
  applications that share its rank are still funded if they fit, since only their ids order
  them among themselves (otherwise an id would decide, unseen, which of two equals is cut off).
- ``partial``: it receives what is left, rounded down to ``round_to`` (``reason.funded.partial``),
  if that is at least ``min_award`` and more than 0; then the line stops as with ``stop``.
  Otherwise it is not funded (``reason.budget.exhausted``), with ``reason.line.
  partial_nothing_left`` when nothing is left, ``reason.line.partial_below_min`` when what is
  left is below ``min_award``, or ``reason.line.partial_rounded_below_min`` when only the
  rounding down takes it below (``…_rounded_to_nothing`` when it takes it to 0 and there is no
  ``min_award``; each names what was left, as the budget reason does).
  Exactly one application can be partly funded, and it is the marginal one.

Then the reserve list: the first ``policy.reserve`` applications, in rank order, that were eligible
but not funded for want of budget become ``reserve`` (``reason.reserve.position``). Ineligible
applications (below ``min_score``, caps leaving nothing, an organisation at its maximum) are never
on it.

Guarantee (``skip``): an eligible application is left unfunded only if the budget left when its
turn came, which is the budget minus what better-ranked applications received, was less than it
needed.

Ties, and what the round's notes say of them (each note must be true: a note saying the id
order decided must name a tie that another order of its ids would have decided otherwise):

- Across the line: ``note.tie_at_line`` (taken in id order), or, under ``skip`` and ``stop``,
  ``note.tie_at_line_not_by_order`` when the order decided nothing: each one left out for want
  of budget would not have fitted even if taken first (with ``per_applicant_max``, at what its
  organisation had left when the tie's turn came), and no other note says the order split the
  tie. A tie member funded first for a quota's minimum that no other member of the tie could
  have served was put first by the minimum, not by its id: it does not count as funded by the
  order (a tie that only such a member splits gets no note).
- A tie member skipped for a quota's maximum that it would have fitted under without the award
  to another of the tie is left out by the order (``note.tie_at_quota`` when all those left
  out were, since no funding line need be involved) (:meth:`~tilskudd.rules.quotas.QuotaBook.
  split_by_id`; not when that one was funded first for a minimum the skipped one could not
  serve: the minimum decided, not the id). One below a line drawn inside its tie that a
  quota's maximum would have skipped anyway (none of its groups got an award from the tie) was
  not left out by the order either.
- ``note.tie_per_applicant``: a tie of one organisation's applications that
  ``per_applicant_max`` cut because one of them was funded first by its id, when taken first of
  them the one cut would have been given something else (not when the organisation's room was
  used up before the tie, nor when the one cut would not have fitted in the budget anyway).
- ``note.tie_at_reserve``: a reserve list whose end falls inside a tie.
- With quotas, these notes are settled by the rule itself (:func:`settle_tie_notes`): a tie no
  order can change (:meth:`TieState.turning`) is one the order did not decide, and each other
  tie of at most :data:`ORDERS_TRIED` applications that can be funded is allocated again in
  every other order of them. A tie some order gives other awards (or leaves a minimum unmet)
  keeps a note saying the order decided, or gets one (``note.tie_at_quota`` when all it left
  out were skipped for a maximum, ``note.tie_at_line`` when some were funded and some not,
  else ``note.tie_by_order``); a tie no order changes loses such a note for
  ``note.tie_not_by_order``. A larger tie (or one past the round's :data:`RERUN_VISITS`) is
  not re-run: a note on it becomes ``note.tie_order_unchecked``, which says it was taken in id
  order without saying whether that decided anything, and a tie whose members were all
  treated alike gets no note.

Quotas per category or county (``policy.quotas``): the minimums first, then this pass with the
maximums; see :mod:`tilskudd.rules.quotas`.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, permutations
from math import factorial
from typing import TypedDict, Unpack, cast

from tilskudd.models import (
    Allocation,
    Application,
    Decision,
    ParamValue,
    Policy,
    Reason,
    Status,
)
from tilskudd.rules.checks import check_rule_policy
from tilskudd.rules.common import (
    PER_APPLICANT_NAMED,
    ApplicantTotals,
    Caps,
    Eligibility,
    Outcome,
    RankedEntry,
    RankFields,
    Ranking,
    build_allocation,
    decisions_by_position,
    floor_to,
    gc_paused,
    given_labels_of,
    given_rank_notes,
    inverse_order,
    make_reason,
    per_applicant_filled,
    ranking,
    relabel_notes,
    shown_ranks,
    tie_notes_by_position,
    tie_per_applicant_note,
)
from tilskudd.rules.quotas import Given, QuotaBook, eligible_amounts, least_amounts

__all__ = [
    "TieState",
    "allocate_ranked",
    "fund",
    "fund_in_order",
    "settle_tie_notes",
    "with_ids_moved",
]


@gc_paused
def allocate_ranked(
    applications: Sequence[Application],
    budget: int,
    policy: Policy,
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
    quota_given: Given | None = None,
) -> Allocation:
    """Allocate ``budget`` over ``applications`` by rank order (see the module docstring).

    ``prior_by_orgnr``: awards in earlier rounds, counted against ``per_applicant_max``;
    ``quota_given``: the officer's decisions to fund, which the quotas count.
    """
    check_rule_policy(applications, policy)
    apps = list(applications)
    found: Eligibility | None = None
    if policy.quotas:
        ranked = ranking(apps, policy)
    else:
        # One pass over the applications reads what eligibility and the ranking need. (A quota
        # round may fund twice over the same lists, and eligibility is not shared there.)
        fields = RankFields([], [], [])
        found = Caps(policy).eligible_all(apps, ranked=fields)
        ranked = ranking(apps, policy, fields=fields)
    quotas = None
    eligible: list[int] = []  # by position: the most each could get (quota rounds only)
    if policy.quotas:
        in_order = [apps[i] for i in ranked.order]
        eligible = eligible_amounts(in_order, policy, prior_by_orgnr)
        least = least_amounts(in_order, policy, eligible)
        quotas = QuotaBook.build(
            in_order, budget, policy, eligible, least, quota_given, prior_by_orgnr
        )
    # The funding works with competition ranks; the result shows the ranks the officer gave.
    labels = given_labels_of(apps, ranked)
    position_of = inverse_order(ranked.order)
    decisions, notes = fund(
        apps,
        ranked,
        budget,
        policy,
        prior_by_orgnr=prior_by_orgnr,
        quotas=quotas,
        position_of=position_of,
        labels=labels,
        found=found,
    )
    if quotas is not None:
        quotas.check_met("ranked", decisions)
        book = quotas

        def rerun(perm: Sequence[int]) -> list[int] | None:
            # Another order of a tie's ids: each application moved takes the id of the place
            # it moves to, as if the ids had been given so. Moving it with its own id is not
            # the same: pass 1's look-ahead orders equal amounts by id (quotas._Plan).
            moved, ids = with_ids_moved(apps, ranked.order, perm)
            again = book.renamed(ids)
            order = Ranking([ranked.order[p] for p in perm], ranked.ranks, ranked.tied)
            tried, _ = fund(
                moved, order, budget, policy, prior_by_orgnr=prior_by_orgnr, quotas=again
            )
            if again.unmet():
                return None
            awards = [0] * len(perm)
            for p, decision in zip(perm, tried, strict=True):
                awards[p] = decision.amount
            return awards

        state = TieState(in_order, book, policy, prior_by_orgnr, budget)
        notes = settle_tie_notes(
            notes,
            decisions,
            ranked.ranks,
            eligible,
            rerun,
            state,
            [(decisions, quotas)],
        )
    return build_allocation("ranked", policy, budget, decisions, notes, made_order=position_of)


def with_ids_moved(
    applications: Sequence[Application], positions: Sequence[int], perm: Sequence[int]
) -> tuple[list[Application], dict[str, str]]:
    """``applications`` with the ids of the tie members ``perm`` moves (the application at
    position ``perm[slot]`` goes to ``slot``; ``positions``: the index of each position's
    application) exchanged: each takes the id of the one whose place it takes. Also the ids
    changed (old -> new)."""
    moved = list(applications)
    ids: dict[str, str] = {}
    for slot, p in enumerate(perm):
        if p != slot:
            i = positions[p]
            new_id = applications[positions[slot]].id
            ids[applications[i].id] = new_id
            moved[i] = applications[i].model_copy(update={"id": new_id})
    return moved, ids


def fund_in_order(
    entries: Sequence[RankedEntry],
    budget: int,
    policy: Policy,
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
    quotas: QuotaBook | None = None,
) -> tuple[list[Decision], list[Reason]]:
    """:func:`fund` for entries in the order given (another rule's order: a drawn order, which
    decides within a tie, so a ``stop`` line is drawn at the first that does not fit)."""
    n = len(entries)
    ordered = Ranking(list(range(n)), [e.rank for e in entries], [e.tied for e in entries])
    apps = [e.application for e in entries]
    return fund(
        apps,
        ordered,
        budget,
        policy,
        prior_by_orgnr=prior_by_orgnr,
        quotas=quotas,
        line_between_ranks=False,
    )


class PassOptions(TypedDict, total=False):
    """The keyword options :func:`fund` hands to each :func:`fund_pass` it makes."""

    prior_by_orgnr: Mapping[str, int] | None
    line_between_ranks: bool
    position_of: Sequence[int] | None
    labels: Mapping[int, int] | None
    found: Eligibility | None


def fund(
    applications: Sequence[Application],
    order: Ranking,
    budget: int,
    policy: Policy,
    *,
    quotas: QuotaBook | None = None,
    **options: Unpack[PassOptions],
) -> tuple[list[Decision], list[Reason]]:
    """Fund ``applications`` in the order ``order`` gives, as the ``ranked`` rule does
    (:func:`fund_pass`, which ``options`` are passed to). With ``quotas``, a pass that leaves a
    minimum unmet is made once more with pass 1 searching further (:meth:`QuotaBook.searched`),
    and that one is used if it meets every minimum (``quotas`` then holds its state): a round
    whose minimums the first pass meets is never changed by the search."""
    result = fund_pass(applications, order, budget, policy, quotas=quotas, **options)
    if quotas is not None and quotas.unmet():
        again = quotas.searched()
        if again is not None:
            tried = fund_pass(applications, order, budget, policy, quotas=again, **options)
            if not again.unmet():
                quotas.adopt(again)
                return tried
    return result


def fund_pass(
    applications: Sequence[Application],
    order: Ranking,
    budget: int,
    policy: Policy,
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
    quotas: QuotaBook | None = None,
    line_between_ranks: bool = True,
    position_of: Sequence[int] | None = None,
    labels: Mapping[int, int] | None = None,
    found: Eligibility | None = None,
) -> tuple[list[Decision], list[Reason]]:
    """Fund ``applications`` in the order ``order`` gives, as the ``ranked`` rule does.

    Returns the decisions in that order and the round's notes. :func:`allocate_ranked` passes
    the rank order; another rule may pass an order of its own (a drawn order within ties) and
    reuse the funding line and reserve. With ``quotas`` (:mod:`tilskudd.rules.quotas`, built over
    the applications in this order), the applications chosen for the minimums are funded first,
    and one that would break a maximum is skipped without drawing the line; the caller checks
    the minimums afterwards (:meth:`QuotaBook.check_met`). ``line_between_ranks``: a ``stop``
    line still tries the applications tied with the one it fell at (see the module docstring).
    ``position_of``: :func:`~tilskudd.rules.common.inverse_order` of ``order``, if the caller
    has it.
    ``labels``: the rank numbers to show for ``order``'s (the ranks the officer gave,
    :func:`~tilskudd.rules.common.given_rank_labels`); the funding itself goes by ``order``'s.
    ``found``: :meth:`~tilskudd.rules.common.Caps.eligible_all` of ``applications``, if the
    caller has it (the pass takes it over: the reasons of some applications are extended).

    How it is laid out, for speed at 100 000 applications, where reading Python objects in rank
    order (one cache miss each) costs more than the arithmetic (docs/benchmarks.md): eligibility
    is worked out in the applications' own order; the funding pass walks plain lists by position
    and records each outcome; the decisions are then built in the applications' own order again
    and put in their positions.
    """
    positions, ranks, tied = order
    shown = shown_ranks(ranks, labels)  # the numbers in the result; ``ranks`` tell ties apart
    n = len(positions)
    at_line = policy.at_line
    step = policy.round_to
    min_award = policy.min_award
    per_applicant = policy.per_applicant_max is not None
    per_applicant_max = policy.per_applicant_max or 0
    totals = ApplicantTotals(policy, prior_by_orgnr)
    totals_used = totals.used
    used = totals_used.get
    new = tuple.__new__
    funded_in_full = "reason.funded.full"
    exhausted = "reason.budget.exhausted"
    funded = Status.FUNDED

    if found is None:
        found = Caps(policy).eligible_all(applications)
    eligible_in, orgs_in = found.amounts, found.orgnrs
    # By position from here on. Through an array of machine integers, reading in rank order
    # touches no Python object.
    eligible_at = array("q", eligible_in)
    eligibles = [eligible_at[i] for i in positions]
    orgs: list[str | None] = []
    if per_applicant:
        orgs = [orgs_in[i] for i in positions]
    in_order: list[Application] = []
    visit: Sequence[int] = range(n)
    if quotas is not None:
        in_order = [applications[i] for i in positions]
        visit = quotas.visit_order(order.entries(applications), budget, policy, prior_by_orgnr)

    statuses: list[Status] = [Status.NOT_FUNDED] * n
    amounts = [0] * n
    outcome: list[Reason | None] = [None] * n  # the reason that says how it went, by position
    before: dict[int, list[Reason]] = {}  # other reasons, before and after it (few)
    after: dict[int, list[Reason]] = {}
    outcomes: list[Outcome | None] = [None] * n
    waiting: list[int] = []  # eligible, not funded for want of budget: the reserve candidates
    remaining = budget
    stopped: Reason | None = None  # the one reason every application below that line gets
    # A stop line falls between ranks: those tied with the application it fell at are still tried.
    line_rank: int | None = None
    # (start of a tie, organisation) -> the tied applications the maximum cut after another of
    # the tie, of the same organisation, was funded first by its id.
    org_ties: dict[tuple[int, str], list[int]] = {}
    last_award: dict[str, int] = {}  # organisation -> the position of its latest tied award
    # The partly funded one (at_line = "partial"): a tie member of its organisation that the
    # maximum then cut could have been the one partly funded, had it come first.
    partial_at = -1
    # Organisation -> its positions funded, in the order funded: what filled its maximum, for
    # the reason of one the maximum cuts to name.
    funded_of: dict[str, list[int]] = {}
    named = PER_APPLICANT_NAMED + 1
    prior = prior_by_orgnr or {}
    ids_in = found.ids

    for k in visit:
        amount = eligibles[k]
        if amount == 0:
            continue
        if per_applicant:
            org = orgs[k]
            # Fast path: the amount is on the round_to grid, so it fits under the organisation's
            # maximum exactly when it fits under what is left (limit_org would say the same).
            if org is not None and amount > per_applicant_max - used(org, 0):
                wanted = amount
                amount, org_reason = totals.limit_org(org, amount)
                if org_reason is not None:
                    so_far = funded_of.get(org, [])
                    filled = [ids_in[positions[j]] for j in so_far[:named]]
                    org_reason = per_applicant_filled(
                        org_reason, filled, prior.get(org, 0), count=len(so_far)
                    )
                    before.setdefault(k, []).append(org_reason)
                    eligibles[k] = amount
                    # Rare: cut by the maximum, perhaps only because one it is tied with came
                    # first by its id and took the organisation's room.
                    last = last_award.get(org, -1)  # its latest award: in this tie?
                    if (
                        last >= 0
                        and ranks[last] == ranks[k]
                        and tied[k]
                        and (stopped is None or ranks[k] == line_rank or last == partial_at)
                    ):
                        start = _tie_start(ranks, k, line_between_ranks)
                        peers = _org_awards(orgs, amounts, org, start, k, quotas, in_order)
                        if peers and totals.limit_org(org, wanted, less=peers)[0] > amount:
                            org_ties.setdefault((start, org), []).append(k)
                    if amount == 0:
                        continue
        if stopped is not None and not (tied[k] and ranks[k] == line_rank):
            outcome[k] = stopped
            outcomes[k] = "unfunded"
            waiting.append(k)
        elif quotas is not None and (full := quotas.blocked(in_order[k], amount)) is not None:
            outcome[k] = full  # the group is full, not the budget: no line drawn here
            # Unless one of its tie took the room only by its id, which a note must say.
            if tied[k] and quotas.split_by_id(ranks[k], in_order[k], amount):
                outcomes[k] = "unfunded"
        elif amount <= remaining:
            remaining -= amount
            if per_applicant and (org := orgs[k]) is not None:
                totals_used[org] = used(org, 0) + amount  # what totals.add_org does, inline
                funded_of.setdefault(org, []).append(k)
                if tied[k]:
                    last_award[org] = k
            if quotas is not None:
                quotas.add(in_order[k], amount, before.setdefault(k, []))
                if tied[k]:
                    quotas.add_tied(ranks[k], in_order[k], amount)
            statuses[k] = funded
            amounts[k] = amount
            # The reason nearly every funded application gets is built directly (hot path).
            outcome[k] = new(Reason, (funded_in_full, {"rank": shown[k], "amount": amount}))
            outcomes[k] = "funded"
        else:
            rank = shown[k]
            part = floor_to(remaining, step) if at_line == "partial" else 0
            if at_line == "partial" and part > 0 and part >= min_award:
                outcome[k] = make_reason(
                    "reason.funded.partial", rank=rank, amount=part, eligible=amount
                )
                remaining -= part
                partial_at = k
                if per_applicant and (org := orgs[k]) is not None:
                    totals.add_org(org, part)
                    funded_of.setdefault(org, []).append(k)
                    if tied[k]:
                        last_award[org] = k
                if quotas is not None:
                    quotas.add(in_order[k], part, after.setdefault(k, []))
                statuses[k] = Status.PARTLY_FUNDED
                amounts[k] = part
                outcomes[k] = "partly_funded"
            else:
                # Most applications of a large, oversubscribed round end here (hot path).
                params = {"rank": rank, "remaining": remaining, "needed": amount}
                outcome[k] = new(Reason, (exhausted, params))
                if at_line == "partial":
                    after.setdefault(k, []).append(_below_min(remaining, part, step, min_award))
                outcomes[k] = "unfunded"
                waiting.append(k)
            if at_line != "skip":
                stopped = make_reason("reason.line.stopped", line_rank=rank)
                if at_line == "stop" and line_between_ranks:
                    line_rank = ranks[k]

    reserve = policy.reserve
    for place, k in enumerate(waiting[:reserve], start=1):
        statuses[k] = Status.RESERVE
        after.setdefault(k, []).append(make_reason("reason.reserve.position", position=place))
    # The end of the reserve list falls inside a tie: only the ids put some of it on the list.
    cut_tie = 0 < reserve < len(waiting) and ranks[waiting[reserve - 1]] == ranks[waiting[reserve]]

    decisions = decisions_by_position(
        found,
        positions,
        statuses,
        amounts,
        eligibles,
        shown,
        tied,
        outcome,
        before,
        after,
        position_of=position_of,
    )

    def id_at(k: int) -> str:
        return decisions[k].application_id

    notes = given_rank_notes(ranks, labels, id_at, policy)
    reserved: Mapping[str, tuple[int, bool]] = {} if quotas is None else quotas.reserved
    tie_outcomes: Sequence[Outcome | None] = outcomes
    if reserved:
        tie_outcomes = _minimum_picks_apart(
            quotas, budget, ranks, tied, outcomes, amounts, eligibles, in_order, line_between_ranks
        )
    if quotas is not None and stopped is not None:
        tie_outcomes = _blocked_anyway(
            quotas,
            ranks,
            tied,
            tie_outcomes,
            outcome,
            amounts,
            eligibles,
            in_order,
            line_between_ranks,
        )

    later_cache: list[_Later] = []

    def later() -> _Later:
        if not later_cache:  # built once, and only for a round with a tie to look at
            skip = (lambda j: in_order[j].id in reserved) if reserved else None
            later_cache.append(_Later(amounts, funded_of, skip, budget))
        return later_cache[0]

    def first_amount(k: int, start: int) -> int:
        """What position ``k`` would have been eligible for if taken first in its tie (at
        ``start``): its eligible amount, under what its organisation had left then (the
        awards from the tie on, but those funded first for a minimum, came after)."""
        if not per_applicant or (org := orgs[k]) is None:
            return eligibles[k]
        less = later().org_from(org, start)
        return totals.limit_org(org, eligible_at[positions[k]], less=less)[0]

    org_notes: list[Reason] = []
    per_applicant_ties: set[int] = set()  # the ties' starts
    for (start, org), cut_all in org_ties.items():
        # Cut by the maximum after another of the tie, of the same organisation, came first by
        # its id. The order decided only if, taken first of them, it would have been given
        # something else: not when it would not have fitted in the budget either way.
        end = _tie_end(ranks, start, line_between_ranks)
        members = [j for j in _positions_of(orgs, org, start, end) if eligible_at[positions[j]]]
        # What was left when the first of them came (the others of the tie before it took theirs).
        left = later().left_at(members[0])
        cut = [
            k
            for k in cut_all
            if _award_if_first(first_amount(k, start), left, policy) != amounts[k]
        ]
        if not cut:
            continue
        per_applicant_ties.add(start)
        org_notes.append(
            tie_per_applicant_note(
                "note.tie_per_applicant", ranks[start], members, cut, org, per_applicant_max, id_at
            )
        )

    tie_notes = tie_notes_by_position(id_at, ranks, tied, tie_outcomes)
    if tie_notes and (at_line == "skip" or (at_line == "stop" and line_between_ranks)):
        # Each member of such a tie was tried with what the budget had left after it and the
        # members before it: see _order_decided.
        # A tie that a note.tie_per_applicant says the id order split stays "by id order".
        tie_notes = [
            _order_decided(
                note,
                _tie_start(ranks, _position_named(note, ranks, id_at), line_between_ranks),
                per_applicant_ties,
                ranks,
                first_amount,
                amounts,
                tie_outcomes,
                outcome,
                line_between_ranks,
                id_at,
                (lambda k: in_order[k].id in reserved) if reserved else None,
            )
            for note in tie_notes
        ]
    if tie_notes and quotas is not None:
        tie_notes = [_at_quota(note, outcome, tie_outcomes, ranks, id_at) for note in tie_notes]
    notes += tie_notes
    if cut_tie:
        # The waiting list is in rank order: the tie is the run around the list's end.
        rank = ranks[waiting[reserve]]
        low, high = reserve - 1, reserve + 1
        while low and ranks[waiting[low - 1]] == rank:
            low -= 1
        while high < len(waiting) and ranks[waiting[high]] == rank:
            high += 1
        members = waiting[low:high]
        notes.append(
            make_reason(
                "note.tie_at_reserve",
                rank=rank,
                count=len(members),
                ids=[id_at(k) for k in members],
                reserve_ids=[id_at(k) for k in members if statuses[k] is Status.RESERVE],
                broken_by="id",
            )
        )
    notes += org_notes
    return decisions, relabel_notes(notes, labels)


def _below_min(remaining: int, part: int, step: int, min_award: int) -> Reason:
    """Why the application at a ``partial`` line got nothing: nothing was left
    (``…_nothing_left``), the ``remaining`` left is below ``min_award``, or it is not, but
    rounded down to ``step`` it is (``part``; ``…_rounded_to_nothing`` when that is 0 and there
    is no ``min_award`` to name). The amount named is what was left, as
    ``reason.budget.exhausted`` beside it says. Rounds recorded before 30 November 2026 gave
    ``reason.line.partial_below_min`` and ``…_rounded_below_min`` for these two as well."""
    if remaining == 0:
        return make_reason(
            "reason.line.partial_nothing_left", remaining=remaining, min_award=min_award
        )
    if remaining < min_award:
        return make_reason(
            "reason.line.partial_below_min", remaining=remaining, min_award=min_award
        )
    return make_reason(
        "reason.line.partial_rounded_to_nothing"
        if part == 0 and min_award == 0
        else "reason.line.partial_rounded_below_min",
        remaining=remaining,
        step=step,
        amount=part,
        min_award=min_award,
    )


ORDERS_TRIED = 5
"""A tie in a quota round with at most this many members that can be funded is re-run in every
other order of them (at most 119) to tell whether the id order decided it."""

RERUN_VISITS = 200_000
"""At most this many applications visited by the re-runs of one quota round (a re-run visits
every application of the round): 2 000 re-runs of a round of 100, 2 of a round of 100 000."""

_DECIDED = frozenset(
    {"note.tie_at_line", "note.tie_at_quota", "note.tie_per_applicant", "note.tie_by_order"}
)
_NOT_DECIDED = frozenset({"note.tie_at_line_not_by_order", "note.tie_not_by_order"})


def settle_tie_notes(
    notes: Sequence[Reason],
    decisions: Sequence[Decision],
    ranks: Sequence[int | None],
    eligible: Sequence[int],
    rerun: Callable[[Sequence[int]], Sequence[int] | None],
    state: TieState,
    passes: Sequence[tuple[Sequence[Decision], QuotaBook]],
) -> list[Reason]:
    """The tie notes of a quota round made true by re-running it in other orders of each tie.

    With quotas the rule's pass 1 (the minimums, with its look-ahead) and the maximums make
    what one member of a tie takes change what the others get in ways the notes' own reasoning
    does not follow, so for each tie of at most :data:`ORDERS_TRIED` members that can be funded
    (``eligible[p] > 0``: what the application at position ``p`` could get at most; the others
    get nothing in any order) the round is re-run in every other order of them
    (``rerun(order)``: the awards by position when the positions are taken in ``order``, or
    ``None`` when that order leaves a minimum unmet), within :data:`RERUN_VISITS`, the ties
    with a note first. ``decisions`` are by position, ``ranks`` the competition ranks;
    ``state``: what the round started from, to tell which ties no order can change;
    ``passes``: the rule's passes over the positions (``decisions``, and the lottery's pass
    that finds its line), each with the quota book it funded with (what its pass 1 took, and
    whether it looked ahead); a tie that may change in one of them is re-run.

    A tie is re-run only if some order may change it (:meth:`TieState.turning`); no other
    order changes the others.

    - Another order changes the awards: the tie keeps the notes that say the id order decided
      it, or gets one (see :func:`_settled_code`) when it had none (or one saying it did not).
    - No other order does: those notes are taken away, and a tie that had one gets
      ``note.tie_not_by_order`` instead (unless a ``note.tie_at_line_not_by_order`` says so).
    - A tie too large to re-run (or past the round's share of re-runs) keeps no claim either
      way: a note on it becomes ``note.tie_order_unchecked`` (taken in id order; whether
      another order would have changed the awards was not checked).

    ``note.tie_at_reserve`` is about the reserve list, not the awards, and stays as it is.
    """
    n = len(ranks)
    out = list(notes)
    awards = [d.amount for d in decisions]
    noted: set[str] = set()
    for note in out:
        if note.code in _DECIDED or note.code in _NOT_DECIDED:
            noted.add(cast(list[str], note.params["ids"])[0])
    # The ties (positions) with members that can be funded in more than one order.
    ties: list[range] = []
    k = 0
    while k < n:
        end = k + 1
        while end < n and ranks[end] is not None and ranks[end] == ranks[k]:
            end += 1
        if end - k > 1 and sum(1 for p in range(k, end) if eligible[p]) > 1:
            ties.append(range(k, end))
        k = end
    turning: set[int] = set()
    for run, used in passes:
        if ties:
            turning |= state.turning(ties, run, eligible, used)
    ties_turning = [t for t in ties if t[0] in turning]
    first = [
        t for t in ties_turning if noted and any(decisions[p].application_id in noted for p in t)
    ]
    then = [t for t in ties_turning if t not in first]
    verdict: dict[int, bool | None] = {}  # tie start -> whether another order decides
    visits = RERUN_VISITS
    for tie in first + then:
        free = [p for p in tie if eligible[p]]
        cost = (factorial(len(free)) - 1) * n
        if len(free) > ORDERS_TRIED or cost > visits:
            verdict[tie[0]] = None
            continue
        visits -= cost
        verdict[tie[0]] = any(rerun(order) != awards for order in _other_orders(free, n))
    for tie in ties:
        decided = verdict.get(tie[0], False)
        if decided is not False or (
            noted and any(decisions[p].application_id in noted for p in tie)
        ):
            _settle(out, tie, decisions, decided)
    return out


@dataclass(frozen=True, slots=True)
class TieState:
    """What a quota round started from, to tell the ties no order of their members can change
    (:meth:`turning`): the applications by position, the quotas (a fresh book), the policy,
    what organisations had before the round and the budget."""

    in_order: Sequence[Application]
    quotas: QuotaBook
    policy: Policy
    prior_by_orgnr: Mapping[str, int] | None
    budget: int

    def turning(
        self,
        ties: Sequence[range],
        decisions: Sequence[Decision],
        eligible: Sequence[int],
        used: QuotaBook,
    ) -> set[int]:
        """The starts of the ``ties`` that another order of their members may change, in the
        pass of the rule ``decisions`` are (by position; taken in position order, those funded
        first for a minimum before all; ``used``: the book that pass funded with, which knows
        those and whether its pass 1 looked ahead, :meth:`QuotaBook.visit_order`).

        Every tie with a member chosen by the run of pass 1 that was not used (when the first
        run left a minimum unmet and the look-ahead ran too: :attr:`QuotaBook.other_run`) may:
        in another order of the tie that run may meet the minimums, or fail to, and so be the
        one used (or not). Of the others (that run chose none of them, so it saw each with
        the same state in any order, and went on alike): not one whose members that can be
        funded were all funded in full, none first for a minimum: in any order each has fewer
        of the others before it, so it still fits (the budget, a maximum and an organisation's
        room only fill up). Nor, under ``skip``, one whose members were funded in full or not
        at all, none first for a minimum, each left out one of them already left out with none
        of the others funded before it (what was left when the tie's turn came, with what its
        organisation had left then), unless an organisation has two of them (less room can
        make an amount fit under a maximum). Pass 1 took none of them, and in any order it
        would see each with the same state. Nor one
        whose members were all funded in full, some first for a minimum by a pass 1 that did
        not look ahead, each of those in a group still short with all the others of them
        funded too, the others in groups whose minimums were met before the tie: in any order
        pass 1 would take each of the first (short, and it fits beside all of them) and none
        of the others, and go on alike.
        """
        policy = self.policy
        looked_ahead = used.looked_ahead
        other_run = used.other_run
        reserved = used.reserved
        first = (
            [p for p, d in enumerate(decisions) if d.application_id in reserved and d.amount]
            if reserved
            else []
        )
        early = set(first)
        chosen = self.quotas.fresh()  # pass 1's book: what it took before each tie
        taken = 0
        later: list[_PassState] = []  # pass 2's state by position, made if a tie needs it
        out: set[int] = set()
        for tie in ties:
            free = [p for p in tie if eligible[p]]
            if other_run and any(self.in_order[p].id in other_run for p in free):
                out.add(tie[0])  # in another order the other run of pass 1 may be the one used
                continue
            full = all(decisions[p].amount == eligible[p] for p in free)
            if early and any(p in early for p in free):
                for p in first[taken:]:  # pass 1 before the tie: those it took, in order
                    if p >= tie[0]:
                        break
                    chosen.add(self.in_order[p], decisions[p].amount, [])
                    taken += 1
                passed_over = [self.in_order[p] for p in free if p not in early]
                taken_too = [(self.in_order[p], decisions[p].amount) for p in free if p in early]
                if (
                    not full
                    or looked_ahead
                    or any(map(chosen.short, passed_over))
                    or not all(
                        chosen.short(app, [x for x in taken_too if x[0] is not app])
                        for app, _ in taken_too
                    )
                ):
                    out.add(tie[0])
                continue
            if full:
                continue
            if policy.at_line != "skip" or any(0 < decisions[p].amount < eligible[p] for p in free):
                out.add(tie[0])
                continue
            if not any(decisions[p].amount for p in free):
                continue  # none funded: each was tried with what the others left, all of it
            orgs = [self.in_order[p].organisation for p in free]
            shared = policy.per_applicant_max is not None and len(
                {o for o in orgs if o is not None}
            ) < sum(1 for o in orgs if o is not None)
            if shared:
                out.add(tie[0])
                continue
            if not later:
                later.append(_PassState(self, decisions, early))
            for p in free:
                if not decisions[p].amount and later[0].fits(p, tie[0], eligible[p]):
                    out.add(tie[0])  # left out only after others of its tie were funded
                    break
        return out


class _PassState:
    """What a pass of the rule had given when a position's turn came, from sums by position:
    the budget left, each quota group's amount and count, each organisation's total (for
    :meth:`TieState.turning`; those funded first for a minimum count from the start)."""

    __slots__ = ("budget_left", "by_group", "by_org", "by_org_first", "first", "state")

    def __init__(self, state: TieState, decisions: Sequence[Decision], early: set[int]) -> None:
        self.state = state
        quotas = state.quotas
        given = [0 if p in early else d.amount for p, d in enumerate(decisions)]
        before = [0, *accumulate(given)]
        first = self.first = quotas.fresh()
        totals = ApplicantTotals(state.policy, state.prior_by_orgnr)
        for p in sorted(early):
            first.add(state.in_order[p], decisions[p].amount, [])
            totals.add(state.in_order[p], decisions[p].amount)
        spent_first = sum(decisions[p].amount for p in early)
        self.budget_left = [state.budget - spent_first - b for b in before]
        # Each group's and organisation's awards by position: (positions, running sums).
        self.by_group: list[tuple[list[int], list[int]]] = []
        for group in quotas.groups:
            at = [p for p in group.members if given[p]]
            self.by_group.append((at, [0, *accumulate(given[p] for p in at)]))
        self.by_org: dict[str, tuple[list[int], list[int]]] = {}
        if state.policy.per_applicant_max is not None:
            for p, amount in enumerate(given):
                org = state.in_order[p].organisation
                if amount and org is not None:
                    at, sums = self.by_org.setdefault(org, ([], [0]))
                    at.append(p)
                    sums.append(sums[-1] + amount)
        self.by_org_first = totals.used

    def fits(self, p: int, start: int, amount: int) -> bool:
        """Whether position ``p``, eligible for ``amount``, would have been funded (something)
        had it been taken first of the tie at ``start``."""
        state = self.state
        app = state.in_order[p]
        org = app.organisation
        if state.policy.per_applicant_max is not None and org is not None:
            at, sums = self.by_org.get(org, ([], [0]))
            already = self.by_org_first.get(org, 0) + sums[bisect_left(at, start)]
            totals = ApplicantTotals(state.policy)
            amount, _ = totals.limit_org(org, amount, already=already)
        if not amount or amount > self.budget_left[start]:
            return False
        book = self.first.fresh()
        for g in book.groups_of.get(app.id, ()):
            at, sums = self.by_group[g]
            i = bisect_left(at, start)
            book.used[g] = self.first.used[g] + sums[i]
            book.count[g] = self.first.count[g] + i
        return book.blocked(app, amount) is None


def _settle(
    out: list[Reason], tie: range, decisions: Sequence[Decision], decided: bool | None
) -> None:
    """Make the notes in ``out`` on ``tie`` say what its re-runs found (``decided``)."""
    names = {decisions[p].application_id for p in tie}
    mine = [
        i
        for i, note in enumerate(out)
        if (note.code in _DECIDED or note.code in _NOT_DECIDED)
        and cast(list[str], note.params["ids"])[0] in names
    ]
    if decided is None and not mine:
        return
    keep = [i for i in mine if out[i].code in (_DECIDED if decided else _NOT_DECIDED)]
    if decided is None:
        keep = []
    new: Reason | None = None
    if keep or (not mine and not decided):
        replaced = [i for i in mine if i not in keep]
    else:
        replaced = mine
        code = _settled_code(decided, [decisions[p] for p in tie])
        params: dict[str, ParamValue] = {
            "rank": decisions[tie[0]].rank,
            "count": len(tie),
            "ids": [decisions[p].application_id for p in tie],
            "funded_ids": [decisions[p].application_id for p in tie if decisions[p].amount],
            "broken_by": "id",
        }
        if code in _SETTLED:  # the notes only this makes say whether it re-ran the tie
            params["checked"] = decided is not None
        new = make_reason(code, **params)
    at = replaced[0] if replaced else len(out)
    for i in reversed(replaced):
        del out[i]
    if new is not None:
        out.insert(min(at, len(out)), new)


def _settled_code(decided: bool | None, tie: Sequence[Decision]) -> str:
    """The note for a tie that :func:`settle_tie_notes` found the id order ``decided`` (or did
    not, or could not tell: ``None``), from its decisions: one the order decided and that some
    were funded in and some left out of (eligible, with nothing) is a tie at the line, or at a
    quota when every one left out was skipped for a quota's maximum."""
    if decided is None:
        return "note.tie_order_unchecked"
    if not decided:
        return "note.tie_not_by_order"
    out = [d for d in tie if d.eligible_amount and not d.amount]
    if not out or len(out) == len(tie) or not any(d.amount for d in tie):
        return "note.tie_by_order"
    if all(any(r.code in _QUOTA_MAXIMUMS for r in d.reasons) for d in out):
        return "note.tie_at_quota"
    return "note.tie_at_line"


_SETTLED = frozenset({"note.tie_by_order", "note.tie_not_by_order", "note.tie_order_unchecked"})

_QUOTA_MAXIMUMS = frozenset(
    {"reason.quota.max_reached", "reason.quota.max_share_reached", "reason.quota.max_count_reached"}
)


def _other_orders(free: Sequence[int], n: int) -> Iterator[list[int]]:
    """Every order of the positions ``free`` among themselves but the one given, each as the
    whole round's order of positions ``0 .. n-1`` (the others stay in their place)."""
    base = list(range(n))
    first = True
    for chosen in permutations(free):
        if first:  # permutations() gives the order as given first
            first = False
            continue
        order = base.copy()
        for slot, p in zip(free, chosen, strict=True):
            order[slot] = p
        yield order


def _order_decided(
    note: Reason,
    start: int,
    split_by_org: set[int],
    ranks: Sequence[int | None],
    first_amount: Callable[[int, int], int],
    amounts: Sequence[int],
    outcomes: Sequence[Outcome | None],
    outcome: Sequence[Reason | None],
    in_rank_order: bool,
    id_at: Callable[[int], str],
    reserved: Callable[[int], bool] | None = None,
) -> Reason:
    """``note`` (a ``note.tie_at_line`` for the tie at ``start``), or
    ``note.tie_at_line_not_by_order`` when the id order within the tie decided nothing: each
    member left out for want of budget would not have fitted even if taken first (what it would
    then have been given, ``first_amount(k, start)``, is more than the budget had left when the
    tie's turn came), so it fits in no order, and those funded fitted together whatever their
    order. Not when the id order split the tie otherwise: ``split_by_org`` holds the starts of
    ties that ``per_applicant_max`` cut after one of an organisation's applications came first.

    For ``skip``, and for ``stop`` with the line drawn between ranks (every member of the tie is
    tried). A member left out for any other reason (skipped for a quota's maximum that another
    member's award filled) is one the order decided. With ``per_applicant_max`` an amount taken
    first is the most it can be: the organisation's room only shrinks as the tie is taken (and
    a member that does not fit at its largest amount does not fit cut either, since the budget
    shrinks by at least as much as the room). ``reserved(k)``: position ``k`` was funded before
    the others, for a quota's minimum (its award is not part of what the tie's turn had left);
    one that ``outcomes`` still counts (another of the tie could have served that minimum:
    :func:`_minimum_picks_apart`) was chosen for it by its id, so the order decided.
    What was left is what the first member left out was told was left
    (``reason.budget.exhausted``) and what the members taken before it in the same pass were
    given.
    """
    if start in split_by_org:
        return note
    end = _tie_end(ranks, start, in_rank_order)
    unfunded = [k for k in range(start, end) if outcomes[k] == "unfunded"]
    if not unfunded:
        return note
    if reserved is not None and any(
        reserved(k) and outcomes[k] is not None for k in range(start, end)
    ):
        return note  # the id chose which of the tie served a minimum, before the others
    for k in unfunded:
        told = outcome[k]
        if told is None or told.code != "reason.budget.exhausted":
            return note
    told = cast(Reason, outcome[unfunded[0]])
    left = cast(int, told.params["remaining"]) + sum(
        amounts[k] for k in range(start, unfunded[0]) if reserved is None or not reserved(k)
    )
    if any(first_amount(k, start) <= left for k in unfunded):
        return note
    return make_reason(
        "note.tie_at_line_not_by_order",
        rank=note.params["rank"],
        count=note.params["count"],
        ids=note.params["ids"],
        funded_ids=note.params["funded_ids"],
        unfunded_ids=[id_at(k) for k in unfunded],
        remaining=left,
    )


class _Later:
    """What the funding pass gave from each position on, in all and per organisation, counting
    only the awards made in the pass's order (not those funded first for a quota's minimum,
    which came before everything): what the budget and an organisation had left when a
    position's turn came. ``funded_of``: each organisation's positions with an award (the
    pass's own lists, in any order)."""

    __slots__ = ("after", "at", "by_org", "funded_of", "given", "spent")

    def __init__(
        self,
        amounts: Sequence[int],
        funded_of: Mapping[str, Sequence[int]],
        first: Callable[[int], bool] | None,
        budget: int,
    ) -> None:
        self.given = given = (
            amounts if first is None else [0 if first(j) else a for j, a in enumerate(amounts)]
        )
        # Only the positions with an award count (a few in a large round): ``at``, and
        # ``after[i]``, the awards at ``at[i]`` and later (the list is reversed back).
        self.at = at = list(compress(range(len(given)), given))
        self.after = [*reversed(list(accumulate(reversed([given[j] for j in at])))), 0]
        self.spent = budget - sum(amounts)
        self.funded_of = funded_of
        # Organisation -> its positions with an award in order, and the awards from each on:
        # made for an organisation when first asked (a few of a large round's thousands).
        self.by_org: dict[str, tuple[list[int], list[int]]] = {}

    def left_at(self, k: int) -> int:
        """What the budget had left when position ``k``'s turn came."""
        return self.spent + self.after[bisect_left(self.at, k)]

    def org_from(self, org: str, k: int) -> int:
        """What ``org``'s applications at position ``k`` and later were given."""
        entry = self.by_org.get(org)
        if entry is None:
            at = sorted(self.funded_of.get(org, ()))
            given = self.given
            sums = [*reversed(list(accumulate(given[j] for j in reversed(at)))), 0]
            entry = self.by_org[org] = (at, sums)
        at, sums = entry
        return sums[bisect_left(at, k)]


def _award_if_first(amount: int, left: int, policy: Policy) -> int:
    """What an application eligible for ``amount`` is given at the head of its tie, with
    ``left`` of the budget: all of it if it fits; under ``partial``, what is left rounded down
    (if at least ``min_award``); else nothing."""
    if amount <= left:
        return amount
    if policy.at_line == "partial":
        part = floor_to(left, policy.round_to)
        if part > 0 and part >= policy.min_award:
            return part
    return 0


def _at_quota(
    note: Reason,
    outcome: Sequence[Reason | None],
    outcomes: Sequence[Outcome | None],
    ranks: Sequence[int | None],
    id_at: Callable[[int], str],
) -> Reason:
    """``note``, or ``note.tie_at_quota`` when every one of the tie left out was skipped for a
    quota's maximum that another of the tie filled (no funding line is involved: the budget
    may cover them all)."""
    if note.code != "note.tie_at_line":
        return note
    rank = note.params["rank"]
    named = set(cast(list[str], note.params["ids"]))
    out = [
        outcome[k]
        for k, r in enumerate(ranks)
        if r == rank and outcomes[k] == "unfunded" and id_at(k) in named
    ]
    if not out or not all(r is not None and r.code.startswith("reason.quota.") for r in out):
        return note
    return make_reason("note.tie_at_quota", **note.params)


def _position_named(note: Reason, ranks: Sequence[int | None], id_at: Callable[[int], str]) -> int:
    """The position of the first application ``note`` names (one of its rank)."""
    rank = note.params["rank"]
    first = cast(list[str], note.params["ids"])[0]
    return next(k for k, r in enumerate(ranks) if r == rank and id_at(k) == first)


def _blocked_anyway(
    quotas: QuotaBook,
    ranks: Sequence[int | None],
    tied: Sequence[bool],
    outcomes: Sequence[Outcome | None],
    outcome: Sequence[Reason | None],
    amounts: Sequence[int],
    eligibles: Sequence[int],
    in_order: Sequence[Application],
    in_rank_order: bool,
) -> list[Outcome | None]:
    """``outcomes`` for the tie notes: a tied application below a line drawn inside its tie
    (``reason.line.stopped``) that a quota's maximum would have skipped anyway, and in none of
    whose groups another of the tie was funded, counts as not left out by the order (``None``):
    taken before the one the line fell at, it would still have had nothing."""
    seen = list(outcomes)
    funded_in: dict[int, list[int]] = {}  # the start of a tie -> its funded positions
    for k, said in enumerate(outcome):
        if not tied[k] or seen[k] != "unfunded" or said is None:
            continue
        if said.code != "reason.line.stopped":
            continue
        start = _tie_start(ranks, k, in_rank_order)
        if start not in funded_in:  # once per tie: a tie with none funded gets no note
            end = _tie_end(ranks, start, in_rank_order)
            funded_in[start] = [j for j in range(start, end) if amounts[j]]
        if not funded_in[start]:
            continue
        app = in_order[k]
        if quotas.blocked(app, eligibles[k]) is None:
            continue
        mine = set(quotas.groups_of.get(app.id, ()))
        if not any(mine & set(quotas.groups_of.get(in_order[j].id, ())) for j in funded_in[start]):
            seen[k] = None
    return seen


def _minimum_picks_apart(
    quotas: QuotaBook | None,
    budget: int,
    ranks: Sequence[int | None],
    tied: Sequence[bool],
    outcomes: Sequence[Outcome | None],
    amounts: Sequence[int],
    eligibles: Sequence[int],
    in_order: Sequence[Application],
    in_rank_order: bool,
) -> list[Outcome | None]:
    """``outcomes`` for the tie notes: a tied application funded first for a quota's minimum
    counts as not taken by the order (``None``, as one not eligible) unless another of its tie,
    eligible, is in the group it was funded for and could have served that minimum in its place
    (it would have fitted in what the budget had left when the minimum was served): then the id
    chose which, and so what was left for the rest of the tie, even if both were funded in the
    end. Otherwise the minimum, not the id, put it before the others."""
    assert quotas is not None
    seen: list[Outcome | None] = list(outcomes)
    reserved = quotas.reserved
    at = {app.id: k for k, app in enumerate(in_order) if app.id in reserved}
    left_when: dict[str, int] = {}  # what the budget had left when each was chosen (in order)
    left = budget
    for app_id in reserved:
        left_when[app_id] = left
        left -= amounts[at[app_id]]
    for app_id, (group, _) in reserved.items():
        k = at[app_id]
        if not tied[k]:
            continue
        start = _tie_start(ranks, k, in_rank_order)
        end = _tie_end(ranks, start, in_rank_order)
        rivals = [
            j
            for j in range(start, end)
            if j != k
            and 0 < eligibles[j] <= left_when[app_id]
            and group in quotas.groups_of.get(in_order[j].id, ())
        ]
        if not rivals:
            seen[k] = None
    return seen


def _tie_start(ranks: Sequence[int | None], k: int, in_rank_order: bool) -> int:
    """The first position of the tie that position ``k`` is in (ties are consecutive)."""
    rank = ranks[k]
    if in_rank_order:  # the ranks only rise: a binary search
        return bisect_left(cast(Sequence[int], ranks), cast(int, rank), 0, k)
    start = k
    while start and ranks[start - 1] == rank:
        start -= 1
    return start


def _tie_end(ranks: Sequence[int | None], start: int, in_rank_order: bool) -> int:
    """The position after the tie that starts at ``start``."""
    rank = ranks[start]
    if in_rank_order:
        return bisect_right(cast(Sequence[int], ranks), cast(int, rank), start)
    end = start + 1
    while end < len(ranks) and ranks[end] == rank:
        end += 1
    return end


def _positions_of(orgs: list[str | None], org: str, start: int, end: int) -> list[int]:
    """The positions from ``start`` to ``end`` of ``org``'s applications (few: found by
    ``list.index``, which scans in C; a tie can hold thousands of applications)."""
    found: list[int] = []
    at = start
    while True:
        try:
            at = orgs.index(org, at, end)
        except ValueError:
            return found
        found.append(at)
        at += 1


def _org_awards(
    orgs: list[str | None],
    amounts: Sequence[int],
    org: str,
    start: int,
    k: int,
    quotas: QuotaBook | None,
    in_order: Sequence[Application],
) -> int:
    """What ``org``'s applications at positions ``start`` to ``k`` (a tie, before ``k``) were
    given so far: those that came before ``k`` only by their ids. One funded first for a
    quota's minimum came first for that minimum and does not count."""
    return sum(
        amounts[at]
        for at in _positions_of(orgs, org, start, k)
        if quotas is None or in_order[at].id not in quotas.reserved
    )
