"""The ``proportional`` rule: every eligible application gets the same share of what it may get.

Let ``e_i`` be application i's eligible amount (the request after every cap; with
``per_applicant_max``, an organisation's applications are capped in rank order so that their
eligible amounts sum to at most the maximum — a claim capped like a single application's) and
``w_i`` its weight: ``e_i``, or ``e_i × score_i`` with ``policy.weight = "score"``. Claims of
one organisation that share a rank are counted in id order; when the maximum cut one after
another of them was counted first, its reason names those (``reason.cap.per_applicant_claim_tied``,
``reason.ineligible.per_applicant_claim_tied``) and the round's notes say which were cut by the id
order (``note.proportional.tie_per_applicant``). The award is

    a_i = min(f × w_i, e_i),   f the largest number with  Σ a_i <= budget

(water-filling: an application that reaches its eligible amount stops there and the rest share
what is left). Without weights every application gets the same fraction ``f <= 1`` of ``e_i``.

Minimum award: an application whose share, rounded down to ``round_to``, would be below
``min_award`` drops out (``reason.proportional.below_min_award``) and ``f`` is recomputed for the
rest. They drop one at a time, the smallest share first (equal shares: the one later in the
rank order, then by the tie-break columns, then in natural id order, drops first), until every
share left is large enough; when none is left, the notes say so
(``note.proportional.none_above_min_award``).
When equal shares end on both sides — one dropped, one kept — the round's notes say so
(``note.proportional.tie_at_min_award``, or ``..._ordered`` naming the tie-break columns when
the policy has them): the tie was decided by that order, not by merit.

Exact to the krone: ``f`` is a fraction of integers. Each award is ``a_i`` rounded down to a
multiple of ``round_to``; the kroner (or ``round_to`` steps) this leaves of the budget go one step
each to the applications with the largest remainders (equal remainders: the better rank, then the
tie-break columns, then the id; ``note.proportional.remainder_tie`` or ``..._ordered`` says when
that order chose), never above ``e_i``. What cannot be handed out — everyone at their eligible
amount, or less than one ``round_to`` step — is ``unallocated``.

``at_line`` and ``reserve`` do not apply to this rule. Scores, when all applications have them
(or ranks), give the rank numbers shown and the tie-breaks above; they are not otherwise needed
unless ``weight = "score"`` or ``min_score`` asks for them.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from itertools import chain, compress, repeat
from operator import eq, floordiv, gt, mod, mul
from typing import cast

from tilskudd.models import Allocation, Application, ParamValue, Policy, Reason, Status
from tilskudd.rules.checks import check_rule_policy
from tilskudd.rules.common import (
    ApplicantTotals,
    Caps,
    RankFields,
    build_allocation,
    decisions_by_position,
    gc_paused,
    given_labels_of,
    given_rank_notes,
    inverse_order,
    make_reason,
    ranking,
    relabel_notes,
    score_places,
    share_decimal,
    shown_ranks,
    tie_break_text,
    tie_per_applicant_note,
)
from tilskudd.rules.quotas import Given

__all__ = ["allocate_proportional"]


def _drop_ties(
    id_at: Callable[[int], str],
    units: Sequence[int],
    weights: Sequence[int],
    dropped: Sequence[bool],
    dropped_units: Sequence[int],
    candidates: Sequence[int],
    columns: str,
    ranked: int,
) -> list[Reason]:
    """A ``note.proportional.tie_at_min_award`` for each weight shared by one that dropped out
    and one that stayed: equal shares, told apart only by the stated order (rank, then id).
    With tie-break ``columns`` (:func:`tie_break_text`) the order is rank, then those, then id:
    ``note.proportional.tie_at_min_award_ordered`` names them. ``candidates``: the units that
    could drop, among them every unit of the weight of one that did (the smallest weights)."""
    if not dropped_units:
        return []
    by_weight: dict[int, list[int]] = {}
    for u in dropped_units:
        by_weight.setdefault(weights[u], [])
    for u in sorted(candidates):
        w = weights[u]
        group = by_weight.get(w)
        if group is not None:
            group.append(u)
    notes = []
    for group in by_weight.values():
        if all(dropped[u] for u in group):
            continue
        ids = [id_at(units[u]) for u in group]
        dropped_ids = [i for i, u in zip(ids, group, strict=True) if dropped[u]]
        notes.append(
            _ordered_note(
                "note.proportional.tie_at_min_award",
                columns,
                ranked,
                count=len(group),
                ids=ids,
                dropped_ids=dropped_ids,
            )
        )
    return notes


def _ordered_note(code: str, columns: str, ranked: int, **params: ParamValue) -> Reason:
    """``code`` for a tie the stated order decided: rank, then id (``broken_by="id"``); or, with
    tie-break ``columns``, ``code + "_ordered"`` naming them (``broken_by="tie_break"``).
    ``ranked``: 1 when the applications have ranks, 0 when none has a score or rank, and the
    note names no rank in the order."""
    if columns:
        return make_reason(
            f"{code}_ordered", **params, broken_by="tie_break", columns=columns, ranked=ranked
        )
    return make_reason(code, **params, broken_by="id", ranked=ranked)


def _tied_claim(
    reason: Reason | None,
    k: int,
    last: int,
    org: str,
    ranks: Sequence[int | None],
    previous: Sequence[int],
    claims: Sequence[int],
    tie_cuts: dict[tuple[int, str], tuple[list[int], list[int]]],
    id_at: Callable[[int], str],
) -> Reason:
    """The reason for a claim at ``k`` that ``per_applicant_max`` cut after ``last``, a claim of
    the same organisation in the same tie, was counted first only by its id (rare).

    ``reason`` (from :meth:`~tilskudd.rules.common.ApplicantTotals.limit_org`) says the claims
    counted were those ranked above; the ``_tied`` form names the tie's claims counted before
    this one. Without them it would always have got more: each was at least ``min_award`` and
    on the ``round_to`` grid, out of the room it would have had. Records ``k`` in ``tie_cuts``
    for the round's note. The tie's applications of the organisation are found without looking
    at the others (a tie can hold thousands): those before its first cut all claimed, and are
    the chain of its claims back from ``last`` (``previous``; ties are consecutive, from their
    competition rank - 1); every one after it is cut too (at most one ``round_to`` step, or
    less than ``min_award``, was left), and comes here.
    """
    assert reason is not None  # limit_org cut the claim
    rank = cast(int, ranks[k])
    seen = tie_cuts.get((rank, org))
    if seen is None:
        first: list[int] = []
        j = last
        while rank <= j + 1 and j < len(ranks):
            first.append(j)
            j = previous[j]
        first.reverse()
        seen = tie_cuts[rank, org] = (first, [])
    group, cut = seen
    tied_ids = [id_at(j) for j in group if claims[j]]
    group.append(k)
    cut.append(k)
    return make_reason(f"{reason.code}_tied", **reason.params, tied_ids=tied_ids)


@gc_paused
def allocate_proportional(
    applications: Sequence[Application],
    budget: int,
    policy: Policy,
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
    quota_given: Given | None = None,
) -> Allocation:
    """Allocate ``budget`` over ``applications`` in equal shares (see the module docstring).

    ``prior_by_orgnr``: awards in earlier rounds, counted against ``per_applicant_max``.
    ``quota_given`` is accepted as every rule accepts it; this rule refuses quotas.
    """
    by_score = policy.weight == "score"
    check_rule_policy(applications, policy)
    apps = list(applications)
    # Eligibility in the applications' own order, then plain lists by position (see
    # tilskudd.rules.ranked.fund for why). The same pass reads what ranking needs.
    fields = RankFields([], [], [])
    found = Caps(policy).eligible_all(apps, ranked=fields)
    ranked = ranking(apps, policy, required=False, fields=fields)
    positions, ranks, tied = ranked
    n = len(positions)
    totals = ApplicantTotals(policy, prior_by_orgnr)
    step = policy.round_to
    per_applicant = policy.per_applicant_max is not None
    per_applicant_max = policy.per_applicant_max or 0

    eligible_in, orgs_in = found.amounts, found.orgnrs
    eligible_at = array("q", eligible_in)
    eligibles = list(map(eligible_at.__getitem__, positions))
    amounts = [0] * n
    statuses: list[Status] = [Status.NOT_FUNDED] * n
    outcome: list[Reason | None] = [None] * n  # the reason that says how it went, by position
    before: dict[int, list[Reason]] = {}  # the few others, between the caps and the outcome
    # (rank, organisation) -> its applications in that tie so far, and those the maximum cut
    # after a claim of another of them was counted first only by its id (see _tied_claim).
    tie_cuts: dict[tuple[int, str], tuple[list[int], list[int]]] = {}
    ids_in = found.ids
    id_at: Callable[[int], str] = lambda k: ids_in[positions[k]]  # noqa: E731
    if per_applicant:
        # per_applicant_max counts claims: each organisation's claims are a chain by position.
        # latest[org] is the position of its latest claim above 0 (or of its awards in earlier
        # rounds: a slot after n); claimed[j] what it had claimed up to and including j,
        # previous[j] the claim before j. Where none: the last slot, claimed 0. The chain costs
        # the loop no more than a running total per organisation did, and tells which claims of
        # a tie came first.
        orgs = list(map(orgs_in.__getitem__, positions))
        prior = list((prior_by_orgnr or {}).items())
        claimed = [0] * n + [amount for _, amount in prior] + [0]
        latest = {org: n + at for at, (org, _) in enumerate(prior)}
        # What a cut claim's reason says was counted: awards in earlier rounds only where the
        # organisation had some, and claims "ranked above" only where there are ranks (without
        # scores, ranks or tie-break columns the claims are counted in id order).
        had_earlier = {org for org, amount in prior if amount > 0}
        by_id = 0 if policy.tie_break or any(rank is not None for rank in ranks) else 1
        none_yet = len(claimed) - 1
        previous = [none_yet] * n
        for k in compress(range(n), eligibles):  # each eligible one, in rank order
            org = orgs[k]
            if org is None:
                continue
            # per_applicant_max caps the claim: what is eligible counts against the
            # organisation, in rank order.
            eligible = eligibles[k]
            last = latest.get(org, none_yet)
            already = claimed[last]
            if eligible <= per_applicant_max - already:
                # Fast path: on the round_to grid and under what is left, so the maximum
                # does not bind (what limit_org would find) and the claim is simply counted.
                claimed[k] = already + eligible
                previous[k] = last
                latest[org] = k
                continue
            # Not "already awarded": what counts is what the organisation's applications
            # ranked above claim, before the shares are worked out. (limit_org always cuts
            # here, so org_reason is never None.)
            counted = {"earlier": int(org in had_earlier), "ranked": 1 - by_id}
            eligible, org_reason = totals.limit_org(
                org, eligible, claim=True, already=already, counted=counted
            )
            eligibles[k] = eligible
            # The latest claim is of its tie: at or after the tie's first position, its
            # competition rank - 1 (read at k, not at the latest claim: no cache miss).
            if tied[k] and ranks[k] <= last + 1 and last < n:  # type: ignore[operator]
                org_reason = _tied_claim(
                    org_reason, k, last, org, ranks, previous, eligibles, tie_cuts, id_at
                )
            before[k] = [org_reason]  # type: ignore[list-item]  # the first of k's
            if eligible:
                claimed[k] = already + eligible
                previous[k] = last
                latest[org] = k

    # Units: eligible applications (after the claims) with a positive weight, in rank order.
    units = list(compress(range(n), eligibles))  # their positions
    caps_of = list(compress(eligibles, eligibles))  # their eligible amounts
    # Weight per krone of e: 1, or the score × 10^scale (worked out once per distinct score).
    scale = 0
    if by_score:
        scores_in = fields.scores
        scale = score_places(filter(None, scores_in), 'weight = "score"')
        # Every application has a score here (check_rule_policy above).
        points_of: dict[Decimal | None, int] = {
            score: int(score.scaleb(scale)) for score in set(scores_in) if score is not None
        }
        # The points looked up in the applications' own order, where the scores lie close
        # together in memory, and then taken by position: a few distinct int objects, where
        # looking up each unit's score in rank order reached a Decimal object a cache miss away.
        points_in = list(map(points_of.__getitem__, scores_in))
        scaled_scores = list(map(points_in.__getitem__, map(positions.__getitem__, units)))
        if min(scaled_scores, default=1) <= 0:
            has_weight = [points > 0 for points in scaled_scores]
            for k, weighed in zip(units, has_weight, strict=True):
                if not weighed:
                    score = scores_in[positions[k]]
                    before.setdefault(k, []).append(
                        make_reason("reason.proportional.no_weight", score=score)
                    )
            units = list(compress(units, has_weight))
            caps_of = list(compress(caps_of, has_weight))
            scaled_scores = list(compress(scaled_scores, has_weight))
        weights = list(map(mul, caps_of, scaled_scores))
    else:
        scaled_scores = [1] * len(units)
        weights = caps_of

    m = len(units)
    # Smallest share that survives rounding and min_award: the first round_to multiple >= it.
    threshold = -(-policy.min_award // step) * step if policy.min_award else 0

    # Water-filling with exact integers: f = left / weight_left over the uncapped units.
    # A unit is capped when f × w >= e, i.e. left × w >= e × weight_left. Its threshold f = e / w
    # is 1 / points: highest score first (the fewest points per krone), or all equal.
    if by_score:
        cap_order = sorted(range(m), key=scaled_scores.__getitem__, reverse=True)
    else:
        cap_order = list(range(m))  # every unit reaches its cap at the same f = 1
    capped = [False] * m
    dropped = [False] * m
    capped_units: list[int] = []
    dropped_units: list[int] = []
    left = budget
    weight_left = sum(weights)
    p = 0
    d = 0

    def settle() -> None:
        nonlocal left, weight_left, p
        while p < m and weight_left:
            u = cap_order[p]
            if dropped[u]:
                p += 1
            elif left * weights[u] >= caps_of[u] * weight_left:
                capped[u] = True
                capped_units.append(u)
                left -= caps_of[u]
                weight_left -= weights[u]
                p += 1
            else:
                break

    settle()
    # Drop order: smallest weight first; equal weights: later in rank/id order first (a stable
    # sort of the units in reverse). Only needed with a minimum award, and only for the units
    # whose share is below it now: f only grows from here (as units drop out or reach their
    # caps), so no other unit can drop. They are those of the smallest weights.
    drop_order: list[int] = []
    if threshold and weight_left:
        bar = threshold * weight_left  # a unit's share is below the threshold: left × w < bar
        # left × w < bar  <=>  w < ceil(bar / left); with nothing left, every share is 0.
        below_bar = map(gt, repeat(-(-bar // left)), reversed(weights)) if left else repeat(True)
        drop_order = sorted(compress(range(m - 1, -1, -1), below_bar), key=weights.__getitem__)
    # Most of a large round can drop out one by one here: the loop is kept to plain operations.
    below = "reason.proportional.below_min_award"
    min_award = policy.min_award
    new = tuple.__new__
    while threshold and weight_left:
        while d < len(drop_order) and (dropped[drop_order[d]] or capped[drop_order[d]]):
            d += 1
        if d == len(drop_order):
            break  # every unit left has a share large enough
        u = drop_order[d]
        weight = weights[u]
        if left * weight >= threshold * weight_left:
            break  # the smallest share left is large enough: so are all the others
        share = left * weight // weight_left
        share -= share % step
        outcome[units[u]] = new(Reason, (below, {"share": share, "min_award": min_award}))
        dropped[u] = True
        dropped_units.append(u)
        weight_left -= weight
        d += 1
        if p < m:
            # settle() only when the next unit to reach its cap has just reached it (or went).
            c = cap_order[p]
            if dropped[c] or left * weights[c] >= caps_of[c] * weight_left:
                settle()

    # Round down to the round_to grid; hand out the steps left by largest remainder.
    # (Whole lists through map rather than one loop: this runs once per application.)
    unit_amounts = [0] * m
    remainders: list[int] = []  # by unit, over weight_left × round_to
    if weight_left:
        denominator = weight_left * step
        products = list(map(mul, repeat(left), weights))
        unit_amounts = list(map(mul, map(floordiv, products, repeat(denominator)), repeat(step)))
        remainders = list(map(mod, products, repeat(denominator)))
    for u in capped_units:
        unit_amounts[u] = caps_of[u]
    for u in dropped_units:
        unit_amounts[u] = 0
    steps = (budget - sum(unit_amounts)) // step
    remainder_tie: list[int] = []  # the units at the remainder where the steps ran out...
    remainder_got: list[int] = []  # ... and those of them that got one, when not all did
    if steps and remainders:
        # Larger remainder first; equal: earlier unit (better rank, then id) first. Capped and
        # dropped units take no step. The units are counted by remainder, not sorted: the steps
        # go to every unit above the remainder where they run out (cut), and to the first
        # (rest) of the units at it.
        for u in (*capped_units, *dropped_units):
            remainders[u] = 0
        by_remainder = Counter(remainders)
        cut, rest = 0, steps  # 0: enough steps for every unit with a remainder
        for remainder in sorted(by_remainder, reverse=True):
            if remainder == 0:
                break
            if by_remainder[remainder] >= rest:
                cut = remainder
                break
            rest -= by_remainder[remainder]
        at_cut = list(compress(range(m), map(eq, remainders, repeat(cut)))) if cut else []
        above = compress(range(m), map(gt, remainders, repeat(cut)))
        for u in chain(above, at_cut[:rest]):
            if unit_amounts[u] + step <= caps_of[u]:
                unit_amounts[u] += step
        if len(at_cut) > rest:
            # Equal remainders across the last step handed out: the stated order chose.
            remainder_tie = at_cut
            remainder_got = at_cut[:rest]

    # Reasons and statuses. The reasons carry the fraction only (the amounts are the decision's
    # own), so one reason per distinct fraction is shared: a few objects instead of 100 000.
    notes: list[Reason] = []
    uniform = share_decimal(left, weight_left) if weight_left and not by_score else None
    full = make_reason("reason.proportional.full")
    share_reasons: dict[tuple[bool, int], Reason] = {}
    for u, k in enumerate(units):
        if dropped[u]:
            continue
        amount = amounts[k] = unit_amounts[u]
        if amount == caps_of[u]:
            statuses[k] = Status.FUNDED
            outcome[k] = full
            continue
        if amount:
            statuses[k] = Status.PARTLY_FUNDED
        points = scaled_scores[u]
        key = (amount > 0, points)
        reason = share_reasons.get(key)
        if reason is None:
            fraction = uniform if uniform is not None else share_decimal(left * points, weight_left)
            code = "reason.proportional.share" if amount else "reason.proportional.zero"
            reason = share_reasons[key] = make_reason(code, fraction=fraction)
        outcome[k] = reason

    active = m - len(dropped_units)
    if active and not weight_left:
        if dropped_units:  # "all eligible" would count the ones that dropped out
            notes.append(
                make_reason(
                    "note.proportional.all_full_after_drops",
                    count=active,
                    dropped=len(dropped_units),
                )
            )
        else:
            notes.append(make_reason("note.proportional.all_full", count=active))
    elif uniform is not None:
        notes.append(make_reason("note.proportional.fraction", fraction=uniform, count=active))
    elif weight_left:
        per_point = share_decimal(left * 10**scale, weight_left, places=6)
        notes.append(make_reason("note.proportional.score_weighted", per_point=per_point))
    elif dropped_units and not capped_units:
        # Every one sharing dropped out: without a note the round would say nothing of why.
        notes.append(
            make_reason(
                "note.proportional.none_above_min_award",
                min_award=min_award,
                dropped=len(dropped_units),
                remaining=budget,
            )
        )
    for (rank, org), (group, cut_positions) in tie_cuts.items():
        notes.append(
            tie_per_applicant_note(
                "note.proportional.tie_per_applicant",
                rank,
                group,
                cut_positions,
                org,
                per_applicant_max,
                id_at,
            )
        )
    # The order that told equal shares apart is rank, then the tie-break columns, then id: a
    # given rank the columns split shows the same number on each (note.given_rank_ordered).
    columns = tie_break_text(policy)
    ranked_any = int(any(rank is not None for rank in ranks))
    notes.extend(
        _drop_ties(id_at, units, weights, dropped, dropped_units, drop_order, columns, ranked_any)
    )
    if remainder_tie:
        tie_ids = [id_at(units[u]) for u in remainder_tie]
        got_ids = [id_at(units[u]) for u in remainder_got]
        notes.append(
            _ordered_note(
                "note.proportional.remainder_tie",
                columns,
                ranked_any,
                count=len(remainder_tie),
                step=step,
                ids=tie_ids,
                funded_ids=got_ids,
            )
        )

    # Shown with the ranks the officer gave, where the order was given (not the competition ranks).
    labels = given_labels_of(apps, ranked)
    position_of = inverse_order(positions)
    decisions = decisions_by_position(
        found,
        positions,
        statuses,
        amounts,
        eligibles,
        shown_ranks(ranks, labels),
        tied,
        outcome,
        before,
        position_of=position_of,
    )
    notes = relabel_notes([*given_rank_notes(ranks, labels, id_at, policy), *notes], labels)
    return build_allocation(
        "proportional", policy, budget, decisions, notes, made_order=position_of
    )
