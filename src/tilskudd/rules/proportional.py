"""The ``proportional`` rule: every eligible application gets the same share of what it may get.

Let ``e_i`` be application i's eligible amount (the request after the per-application caps) and
``w_i`` its weight: ``e_i``, or ``e_i × score_i`` with ``policy.weight = "score"``. The award is

    a_i = min(f × w_i, e_i),   f the largest number with  Σ a_i <= budget

(water-filling: an application that reaches its eligible amount stops there and the rest share
what is left). Without weights every application gets the same fraction ``f <= 1`` of ``e_i``.

``per_applicant_max`` caps what an organisation is awarded in all, less what it received in
earlier rounds of the programme (its room, on the ``round_to`` grid; one whose room is 0 or
below ``min_award`` is not eligible, ``reason.ineligible.per_applicant``). An organisation whose
awards at ``f`` would pass its room is held like a capped application: its applications get
``min(f_o × w_i, e_i)`` at its own level ``f_o``, the largest with ``Σ_o min(f_o × w_i, e_i) <=
room``, and say so (``reason.proportional.per_applicant``, naming its other applications); the
others share what is left at the common ``f``. Only when some organisation's eligible amounts
pass its room is this worked out by organisation, with exact fractions (no faster path).

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
that order chose), never above ``e_i`` and never taking an organisation past its room. What
cannot be handed out — everyone at their eligible amount or room, or less than one ``round_to``
step — is ``unallocated``.

``at_line`` and ``reserve`` do not apply to this rule. Scores, when all applications have them
(or ranks), give the rank numbers shown and the tie-breaks above; they are not otherwise needed
unless ``weight = "score"`` or ``min_score`` asks for them.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from heapq import heapify, heappop, heappush
from itertools import chain, compress, repeat
from operator import eq, floordiv, gt, mod, mul
from typing import NamedTuple

from tilskudd.models import Allocation, Application, ParamValue, Policy, Reason, Status
from tilskudd.rules.checks import check_rule_policy
from tilskudd.rules.common import (
    ApplicantTotals,
    Caps,
    RankFields,
    build_allocation,
    decisions_by_position,
    floor_to,
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
    return [
        _tie_at_min_award(group, dropped, units, id_at, columns, ranked)
        for group in by_weight.values()
        if not all(dropped[u] for u in group)
    ]


def _tie_at_min_award(
    group: Sequence[int],
    dropped: Sequence[bool],
    units: Sequence[int],
    id_at: Callable[[int], str],
    columns: str,
    ranked: int,
) -> Reason:
    """The note on units of equal shares (``group``) of which some dropped below ``min_award``
    and some stayed: told apart only by the stated order."""
    ids = [id_at(units[u]) for u in group]
    return _ordered_note(
        "note.proportional.tie_at_min_award",
        columns,
        ranked,
        count=len(group),
        ids=ids,
        dropped_ids=[i for i, u in zip(ids, group, strict=True) if dropped[u]],
    )


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


class _Grouped(NamedTuple):
    """The outcome of :func:`_fill_by_organisation`, by unit."""

    amounts: list[int]
    capped: list[bool]  # at its own eligible amount
    dropped: list[bool]
    drop_shares: dict[int, int]  # a dropped unit's share, rounded down to round_to
    org_level: dict[int, Fraction]  # an organisation held at its room: its own level f_o
    level: Fraction | None  # the common level f; None when it does not bind
    drop_ties: list[list[int]]  # units that had equal shares when one of them dropped
    remainder_tie: list[int]
    remainder_got: list[int]


def _org_level(
    members: Sequence[int], caps: Sequence[int], weights: Sequence[int], room: int
) -> Fraction | None:
    """The largest ``f`` with ``Σ min(e, f × w) <= room`` over ``members``, or ``None`` when the
    room covers every eligible amount (the organisation never reaches its maximum)."""
    if sum(caps[u] for u in members) <= room:
        return None
    left, weight = room, sum(weights[u] for u in members)
    for u in sorted(members, key=lambda u: Fraction(caps[u], weights[u])):
        if left * weights[u] < caps[u] * weight:
            break
        left -= caps[u]
        weight -= weights[u]
    return Fraction(left, weight)


def _fill_by_organisation(
    caps: Sequence[int],
    weights: Sequence[int],
    org_of: Sequence[int],
    rooms: Sequence[int],
    budget: int,
    step: int,
    threshold: int,
) -> _Grouped:
    """Water-filling where each organisation (``org_of[u]``, -1 for none) may receive at most
    its ``rooms[o]`` (on the ``round_to`` grid) in all.

    Every unit gets ``min(e, f × w)`` at the common level ``f``, except those of an organisation
    whose awards at ``f`` would pass its room: they get ``min(e, f_o × w)`` at the
    organisation's own level ``f_o`` (:func:`_org_level`), and the others share the rest. With
    a minimum award the smallest share below it drops out (equal shares: the later unit first)
    and the levels are worked out again, until none is below it. Then amounts are rounded down
    to ``step`` and the steps left go to the largest remainders (equal: the earlier unit),
    never above ``e`` and never taking an organisation past its room.

    Exact fractions. The levels are kept up as units drop, not worked out afresh: the common
    level only rises (a unit that drops leaves its share to the others), and so does an
    organisation's (its room is shared by fewer); an organisation held at its room whose own
    level rises above the common one is let go, its units sharing at the common level again.
    """
    m = len(caps)
    ratio = [Fraction(e, w) for e, w in zip(caps, weights, strict=True)]  # where e is reached
    members: dict[int, list[int]] = {}
    for u in range(m):
        if org_of[u] >= 0:
            members.setdefault(org_of[u], []).append(u)
    dropped = [False] * m
    full = [False] * m  # at its eligible amount in the common pool: for good, as f only rises
    drop_shares: dict[int, int] = {}
    drop_ties: list[list[int]] = []

    # Organisations whose units claim more than their room (the others never reach it).
    level: dict[int, Fraction | None] = {}
    version: dict[int, int] = {}
    org_full: dict[int, int] = {}  # eligible amounts of its units full in the common pool
    org_weight: dict[int, int] = {}  # weights of its units sharing (not full, not dropped)
    org_events: list[tuple[Fraction, int, int]] = []  # (f_o, o, version)
    for o, units_o in members.items():
        level_o = _org_level(units_o, caps, weights, rooms[o])
        if level_o is not None:
            level[o] = level_o
            version[o] = 0
            org_full[o] = 0
            org_weight[o] = sum(weights[u] for u in units_o)
            org_events.append((level_o, o, 0))
    heapify(org_events)
    held: set[int] = set()
    by_order = sorted(range(m), key=lambda u: (ratio[u], u))
    at = 0
    again: list[tuple[Fraction, int]] = []  # units of an organisation let go, to look at again
    pool: list[tuple[int, int]] = []  # (w, -u): the smallest weight, then the later unit
    held_first: list[tuple[Fraction, int, int, int]] = []  # (share, -u, o, version)
    order_in: dict[int, list[int]] = {
        o: sorted(members[o], key=lambda u: (weights[u], -u)) for o in level
    }
    first = dict.fromkeys(level, 0)  # where each organisation's smallest share may be
    left = budget
    weight = sum(weights)

    def out(u: int) -> bool:
        """Not in the common pool's events: dropped, full, or held with its organisation."""
        return dropped[u] or full[u] or org_of[u] in held

    def push_smallest(o: int) -> None:
        """The smallest share of held organisation ``o``, for the drop-outs."""
        if not threshold:
            return
        units_o = order_in[o]
        i = first[o]
        while i < len(units_o) and (dropped[units_o[i]] or full[units_o[i]]):
            i += 1
        first[o] = i
        f_o = level[o]
        if i < len(units_o) and f_o is not None:
            u = units_o[i]
            share = min(Fraction(caps[u]), f_o * weights[u])
            heappush(held_first, (share, -u, o, version[o]))

    def hold(o: int) -> None:
        nonlocal left, weight
        held.add(o)
        left -= rooms[o] - org_full[o]
        weight -= org_weight[o]
        push_smallest(o)

    def let_go(o: int) -> None:
        nonlocal left, weight
        held.discard(o)
        left += rooms[o] - org_full[o]
        weight += org_weight[o]
        for u in members[o]:
            if not dropped[u] and not full[u]:
                heappush(again, (ratio[u], u))
                if threshold:
                    heappush(pool, (weights[u], -u))
        f_o = level[o]
        if f_o is not None:
            heappush(org_events, (f_o, o, version[o]))

    def sweep() -> None:
        """Take every unit and organisation whose level the common level has reached."""
        nonlocal at, left, weight
        while weight:
            while at < m and out(by_order[at]):
                at += 1
            while again and out(again[0][1]):
                heappop(again)
            while org_events and (
                org_events[0][1] in held or org_events[0][2] != version[org_events[0][1]]
            ):
                heappop(org_events)
            unit = -1
            if at < m:
                unit = by_order[at]
            if again and (unit < 0 or again[0] < (ratio[unit], unit)):
                unit = again[0][1]
            if org_events and (unit < 0 or org_events[0][0] < ratio[unit]):
                if org_events[0][0] * weight > left:
                    return
                hold(heappop(org_events)[1])
                continue
            if unit < 0 or ratio[unit] * weight > left:
                return
            if at < m and by_order[at] == unit:
                at += 1
            else:
                heappop(again)
            full[unit] = True
            left -= caps[unit]
            weight -= weights[unit]
            o = org_of[unit]
            if o in org_weight:
                org_full[o] += caps[unit]
                org_weight[o] -= weights[unit]

    def org_dropped(o: int) -> None:
        """A unit of ``o`` dropped out: its level rises (or it no longer reaches its room)."""
        version[o] += 1
        units_o = [u for u in members[o] if not dropped[u]]
        f_o = level[o] = _org_level(units_o, caps, weights, rooms[o]) if units_o else None
        if o in held:
            if f_o is None or (weight and f_o * weight > left):
                let_go(o)
            else:
                push_smallest(o)
        elif f_o is not None:
            heappush(org_events, (f_o, o, version[o]))

    sweep()
    if threshold:
        pool = [(weights[u], -u) for u in range(m)]
        heapify(pool)
        same_weight: dict[int, list[int]] = {}
        for u in range(m):
            same_weight.setdefault(weights[u], []).append(u)
        seen: set[tuple[int, int]] = set()
        while True:
            sweep()
            while pool and out(-pool[0][1]):
                heappop(pool)
            while held_first and (
                held_first[0][2] not in held or held_first[0][3] != version[held_first[0][2]]
            ):
                heappop(held_first)
            candidate: tuple[Fraction, int] | None = None  # (share, -unit)
            if pool and weight:
                candidate = (Fraction(left * pool[0][0], weight), pool[0][1])
            if held_first and (candidate is None or held_first[0][:2] < candidate):
                candidate = held_first[0][:2]
            if candidate is None or candidate[0] >= threshold:
                break
            share, u = candidate[0], -candidate[1]
            whole = int(share)
            drop_shares[u] = whole - whole % step
            o = org_of[u]
            group = o if o in held else -1
            w = weights[u]
            if (group, w) not in seen:
                seen.add((group, w))
                peers = order_in[o] if group >= 0 else same_weight[w]
                tie = [
                    v
                    for v in peers
                    if weights[v] == w
                    and not dropped[v]
                    and not full[v]
                    and (org_of[v] == o if group >= 0 else org_of[v] not in held)
                ]
                if len(tie) > 1:
                    drop_ties.append(sorted(tie))
            dropped[u] = True
            if group < 0:
                weight -= w
            if o in org_weight:
                org_weight[o] -= w
                org_dropped(o)

    common = Fraction(left, weight) if weight else None
    shares: list[Fraction] = []
    for u in range(m):
        o = org_of[u]
        if dropped[u]:
            shares.append(Fraction(0))
        elif full[u]:
            shares.append(Fraction(caps[u]))
        else:
            f = level[o] if o in held else common
            assert f is not None  # a unit not full shares at a level that binds
            shares.append(min(Fraction(caps[u]), f * weights[u]))
    held_levels = {o: f_o for o in held if (f_o := level[o]) is not None}

    amounts = [0] * m
    remainders: list[tuple[Fraction, int]] = []
    for u in range(m):
        if dropped[u]:
            continue
        whole = int(shares[u])  # floor: shares are not negative
        amounts[u] = whole - whole % step
        rest = shares[u] - amounts[u]
        if rest and amounts[u] + step <= caps[u]:
            remainders.append((-rest, u))
    remainders.sort()
    org_room = {o: rooms[o] - sum(amounts[u] for u in members[o]) for o in members}
    steps = (budget - sum(amounts)) // step
    remainder_tie: list[int] = []
    remainder_got: list[int] = []
    cut: Fraction | None = None
    given_at: dict[int, Fraction] = {}  # organisation -> the remainder its last step went at
    shut_out: list[tuple[Fraction, int]] = []
    for rest, u in remainders:
        o = org_of[u]
        if o >= 0 and org_room[o] < step:
            # Its organisation is at its room. When a step at this same remainder filled it,
            # only the order among them chose which one had it (one of the tie, if the last
            # steps run out at this remainder).
            if given_at.get(o) == rest:
                shut_out.append((rest, u))
            continue
        if not steps:
            if cut is None:
                break
            if rest == cut:
                remainder_tie.append(u)
                continue
            break
        amounts[u] += step
        steps -= 1
        if o >= 0:
            org_room[o] -= step
            given_at[o] = rest
        if not steps:
            cut = rest
            remainder_got = [
                v
                for r, v in remainders
                if r == rest and amounts[v] > int(shares[v]) - int(shares[v]) % step
            ]
    if cut is not None:
        remainder_tie += [u for rest, u in shut_out if rest == cut]
    if remainder_tie:
        remainder_tie = sorted({*remainder_got, *remainder_tie})
    else:
        remainder_got = []
    # At its eligible amount: full in the common pool, or within its organisation's level.
    at_cap = [not dropped[u] and shares[u] == caps[u] for u in range(m)]
    return _Grouped(
        amounts,
        at_cap,
        dropped,
        drop_shares,
        held_levels,
        common,
        drop_ties,
        remainder_tie,
        remainder_got,
    )


class _Rooms:
    """What each organisation may still receive under ``per_applicant_max`` (its room): the
    maximum less what it received in earlier rounds of the programme (``prior``), on the
    ``round_to`` grid. An organisation whose room is 0 or below ``min_award`` (short) is not
    eligible. Only an organisation with earlier awards has a room of its own."""

    __slots__ = ("any_short", "full", "lowered", "min_award")

    def __init__(self, most: int, prior: Mapping[str, int], step: int, min_award: int) -> None:
        self.full = floor_to(most, step)
        self.lowered = {org: floor_to(max(most - had, 0), step) for org, had in prior.items()}
        self.min_award = min_award
        self.any_short = any(map(self._too_small, (self.full, *self.lowered.values())))

    def _too_small(self, room: int) -> bool:
        return room == 0 or room < self.min_award

    def room(self, org: str) -> int:
        """``org``'s room."""
        return self.lowered.get(org, self.full)

    def short(self, org: str) -> bool:
        """Whether ``org``'s room is too small for a grant."""
        return self._too_small(self.room(org))


def _binds(
    caps_in: Sequence[int],
    orgs_in: Sequence[str | None],
    points_in: Sequence[int] | None,
    rooms: _Rooms,
    left: int,
    weight_left: int,
    *,
    near: dict[str, int] | None = None,
    step: int = 1,
) -> bool:
    """Whether some organisation's units, every one of them (those that dropped out too), would
    together pass its room at the level ``left / weight_left`` (``weight_left`` 0: no level,
    each at its eligible amount). The plain water-filling's level only rises as it goes, and
    its set of units only shrinks: if none passes here, none did at any step before.

    ``near``, when none passes: filled with the organisations whose room, less what their
    units come to at most, is less than a step of ``step`` for each of their units (over
    ``weight_left``): only those can be taken past it by the steps left by rounding
    (:func:`_steps_pass_room`).

    By application, in the applications' own order (at 100 000 of them, reading the
    organisation numbers in rank order costs a cache miss each): ``caps_in``, the eligible
    amounts (0: not eligible); ``orgs_in``, the organisations; ``points_in``, the score
    weights (``None``: 1 each). The units are the applications with an amount, an
    organisation whose room is not short and points above 0; a unit's weight ``w`` is its
    amount times its points, so what it gets at the level, ``min(e × weight_left, left × w)``
    over ``weight_left``, is ``e × min(weight_left, left × points) / weight_left``. Without
    score weights that is the organisation's eligible amounts together times one factor;
    with them, that sum at the highest points is an upper bound, and only the organisations
    it lets pass are summed unit by unit."""
    claims: dict[str | None, int] = {}
    claim_of = claims.get
    for org, cap in compress(zip(orgs_in, caps_in, strict=True), caps_in):
        claims[org] = claim_of(org, 0) + cap
    top = max(points_in, default=0) if points_in is not None else 1
    scale = weight_left or 1
    most = min(weight_left, left * top) if weight_left else 1
    lowered, full = rooms.lowered, rooms.full
    over = [
        org
        for org, claim in claims.items()
        if org is not None
        and claim * most > lowered.get(org, full) * scale
        and not rooms.short(org)
    ]
    if not over and near is not None:
        # An organisation short of room has no units, and gets no step: near or not.
        counts = Counter(compress(orgs_in, caps_in))
        bound = step * scale
        for org, claim in claims.items():
            if org is not None:
                spare = lowered.get(org, full) * scale - claim * most
                if spare < counts[org] * bound:
                    near[org] = spare
    if not over or points_in is None:
        return bool(over)
    totals = dict.fromkeys(over, 0)
    for org, cap, points in compress(zip(orgs_in, caps_in, points_in, strict=True), caps_in):
        if org in totals and points > 0:
            totals[org] += cap * min(weight_left, left * points) if weight_left else cap
    return any(total > rooms.room(org) * scale for org, total in totals.items())


def _by_organisation(
    caps: Sequence[int],
    weights: Sequence[int],
    org_of: Sequence[int],
    org_names: Sequence[str],
    rooms: _Rooms,
    budget: int,
    step: int,
    threshold: int,
) -> _Grouped:
    """:func:`_fill_by_organisation` with each organisation's room."""
    room_of = [rooms.room(org) for org in org_names]
    return _fill_by_organisation(caps, weights, org_of, room_of, budget, step, threshold)


def _steps_pass_room(
    near: Mapping[str, int],
    scale: int,
    step: int,
    stepped: Sequence[int],
    unit_amounts: Sequence[int],
    units: Sequence[int],
    positions: Sequence[int],
    orgs_in: Sequence[str | None],
    rooms: _Rooms,
) -> bool:
    """Whether the steps left by rounding that went to the units ``stepped`` take some
    organisation past its room. Its shares before rounding are within it (:func:`_binds`), so
    only one of ``near`` (its room less its shares at most, over ``scale``) can be, and only
    when its steps come to more than that: it alone is summed, over every unit."""
    if not near:
        return False
    count = dict.fromkeys(near, 0)
    for u in stepped:
        org = orgs_in[positions[units[u]]]
        if org in count:
            count[org] += 1
    doubtful = {org for org, k in count.items() if k and k * step * scale > near[org]}
    if not doubtful:
        return False
    totals = dict.fromkeys(doubtful, 0)
    for u, amount in enumerate(unit_amounts):
        org = orgs_in[positions[units[u]]]
        if org in totals:
            totals[org] += amount
    return any(total > rooms.room(org) for org, total in totals.items())


def _organisations(
    units: Sequence[int], positions: Sequence[int], orgs_in: Sequence[str | None]
) -> tuple[list[int], list[str]]:
    """Each unit's organisation as a small int (-1: none), numbered in the order the units
    first name them, and the organisation numbers in that order."""
    index: dict[str, int] = {}
    org_of: list[int] = []
    for k in units:
        org = orgs_in[positions[k]]
        if org is None:
            org_of.append(-1)
            continue
        o = index.get(org)
        if o is None:
            o = index[org] = len(index)
        org_of.append(o)
    return org_of, list(index)


def _grouped_outcome(
    grouped: _Grouped,
    units: Sequence[int],
    caps: Sequence[int],
    points: Sequence[int],
    org_of: Sequence[int],
    org_names: Sequence[str],
    id_at: Callable[[int], str],
    prior: Mapping[str, int],
    policy: Policy,
    scale: int,
    amounts: list[int],
    statuses: list[Status],
    outcome: list[Reason | None],
) -> list[Reason]:
    """Amounts, statuses and outcome reasons (by position) from :func:`_fill_by_organisation`,
    and the round's notes on the levels. An application of an organisation held at its room
    says so (``reason.proportional.per_applicant``), naming the organisation's other
    applications in the round and what it had in earlier rounds."""
    by_score = policy.weight == "score"
    most = policy.per_applicant_max or 0
    full = make_reason("reason.proportional.full")
    level = grouped.level
    others_of: dict[int, list[int]] = {}
    for u, o in enumerate(org_of):
        if o in grouped.org_level and not grouped.dropped[u]:
            others_of.setdefault(o, []).append(u)
    sharing = 0
    for u, k in enumerate(units):
        if grouped.dropped[u]:
            continue
        o = org_of[u]
        held = grouped.org_level.get(o)
        if held is None:
            sharing += 1
        amount = amounts[k] = grouped.amounts[u]
        if amount == caps[u]:
            statuses[k] = Status.FUNDED
            outcome[k] = full
            continue
        if amount:
            statuses[k] = Status.PARTLY_FUNDED
        f = held if held is not None else level
        assert f is not None  # short of its eligible amount: a level binds
        fraction = share_decimal(f.numerator * points[u], f.denominator)
        if held is not None:
            org = org_names[o]
            others = [id_at(units[v]) for v in others_of[o] if v != u]
            earlier = prior.get(org, 0)
            params: dict[str, ParamValue] = {
                "orgnr": org,
                "max": most,
                "left": max(most - earlier, 0),
                "had_earlier": int(earlier > 0),
                "earlier": earlier,
                "fraction": fraction,
            }
            if others:
                params["others"] = others
            code = "reason.proportional.per_applicant" + ("" if others else "_alone")
            outcome[k] = make_reason(code, **params)
        else:
            code = "reason.proportional.share" if amount else "reason.proportional.zero"
            outcome[k] = make_reason(code, fraction=fraction)
    notes: list[Reason] = []
    if grouped.org_level:
        notes.append(
            make_reason("note.proportional.per_applicant", count=len(grouped.org_level), max=most)
        )
    if level is not None and sharing:
        if by_score:
            per_point = share_decimal(level.numerator * 10**scale, level.denominator, places=6)
            notes.append(make_reason("note.proportional.score_weighted", per_point=per_point))
        else:
            fraction = share_decimal(level.numerator, level.denominator)
            notes.append(
                make_reason("note.proportional.fraction", fraction=fraction, count=sharing)
            )
    elif sharing and not grouped.org_level:
        # No level binds and no organisation is held: every application left is in full. This
        # is worked out by organisation only when one reached its room along the way, until
        # drops let it go, so some dropped out (as the plain water-filling says it).
        notes.append(
            make_reason(
                "note.proportional.all_full_after_drops",
                count=sharing,
                dropped=sum(grouped.dropped),
            )
        )
    return notes


def _grouped_drop_ties(
    grouped: _Grouped,
    units: Sequence[int],
    id_at: Callable[[int], str],
    columns: str,
    ranked: int,
) -> list[Reason]:
    """:func:`_drop_ties` for :func:`_fill_by_organisation`: equal shares when one of them
    dropped out below ``min_award``, where not all of them did."""
    notes = []
    seen: set[tuple[int, ...]] = set()
    for group in grouped.drop_ties:
        key = tuple(group)
        if key in seen or all(grouped.dropped[u] for u in group):
            continue
        seen.add(key)
        notes.append(_tie_at_min_award(group, grouped.dropped, units, id_at, columns, ranked))
    return notes


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
    ids_in = found.ids
    id_at: Callable[[int], str] = lambda k: ids_in[positions[k]]  # noqa: E731
    prior = prior_by_orgnr or {}
    # What each organisation may still receive under the maximum (its room, _Rooms).
    rooms = _Rooms(per_applicant_max, prior, step, policy.min_award) if per_applicant else None
    position_of = inverse_order(positions)
    if rooms is not None and rooms.any_short:
        # per_applicant_max caps what an organisation is awarded in all (see the module
        # docstring); here only an organisation whose earlier rounds left it too little for a
        # grant is taken out. The rest is the water-filling's. (In the applications' own order:
        # at 100 000 of them, reading the organisation numbers in rank order costs a cache miss
        # each.)
        for i in compress(range(len(eligible_in)), eligible_in):
            org = orgs_in[i]
            if org is not None and rooms.short(org):
                # limit_org says why (its reason, never None here: the eligible amount is at
                # least min_award and above the room).
                k = position_of[i]
                _, org_reason = totals.limit_org(org, eligibles[k], already=prior.get(org, 0))
                eligibles[k] = 0
                before[k] = [org_reason]  # type: ignore[list-item]

    # Units: eligible applications (after the claims) with a positive weight, in rank order.
    units = list(compress(range(n), eligibles))  # their positions
    caps_of = list(compress(eligibles, eligibles))  # their eligible amounts
    # Weight per krone of e: 1, or the score × 10^scale (worked out once per distinct score).
    scale = 0
    points_in: list[int] | None = None  # by application, with weight = "score"
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

    # The plain water-filling runs first; where it leaves every organisation within its room
    # at the level it ends at (counting the applications that dropped out too, :func:`_binds`),
    # no organisation reached its room at any step and its awards are the rule's. Otherwise the
    # shares are worked out by organisation.
    grouped: _Grouped | None = None
    org_of: list[int] = []
    org_names: list[str] = []

    # Water-filling with exact integers: f = left / weight_left over the uncapped units.
    # A unit is capped when f × w >= e, i.e. left × w >= e × weight_left. Its threshold
    # f = e / w is 1 / points: highest score first (the fewest points per krone), or all equal.
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

    near: dict[str, int] = {}  # organisations the steps left by rounding could take past it
    if rooms is not None and _binds(
        eligible_in, orgs_in, points_in, rooms, left, weight_left, near=near, step=step
    ):
        org_of, org_names = _organisations(units, positions, orgs_in)
        for u in dropped_units:
            outcome[units[u]] = None
        grouped = _by_organisation(
            caps_of, weights, org_of, org_names, rooms, budget, step, threshold
        )

    if grouped is None:
        # Round down to the round_to grid; hand out the steps left by largest remainder.
        # (Whole lists through map rather than one loop: this runs once per application.)
        unit_amounts = [0] * m
        remainders: list[int] = []  # by unit, over weight_left × round_to
        if weight_left:
            denominator = weight_left * step
            products = list(map(mul, repeat(left), weights))
            unit_amounts = list(
                map(mul, map(floordiv, products, repeat(denominator)), repeat(step))
            )
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
            stepped: list[int] = []
            for u in chain(above, at_cut[:rest]):
                if unit_amounts[u] + step <= caps_of[u]:
                    unit_amounts[u] += step
                    stepped.append(u)
            if len(at_cut) > rest:
                # Equal remainders across the last step handed out: the stated order chose.
                remainder_tie = at_cut
                remainder_got = at_cut[:rest]
            if rooms is not None and _steps_pass_room(
                near,
                weight_left or 1,
                step,
                stepped,
                unit_amounts,
                units,
                positions,
                orgs_in,
                rooms,
            ):
                # Within its room before rounding, an organisation can still be taken past it
                # by the steps left over (two applications at half a krone each, a room of
                # one krone): worked out by organisation, where no step passes a room.
                org_of, org_names = _organisations(units, positions, orgs_in)
                for u in dropped_units:
                    outcome[units[u]] = None
                grouped = _by_organisation(
                    caps_of, weights, org_of, org_names, rooms, budget, step, threshold
                )

    if grouped is not None:
        # Worked out by organisation: the same lists, from _fill_by_organisation.
        unit_amounts = grouped.amounts
        capped, dropped = grouped.capped, grouped.dropped
        capped_units = [u for u in range(m) if capped[u]]
        dropped_units = [u for u in range(m) if dropped[u]]
        remainder_tie, remainder_got = grouped.remainder_tie, grouped.remainder_got
        drop_order = []
        left = weight_left = 0
        below = "reason.proportional.below_min_award"
        min_award = policy.min_award
        for u in dropped_units:
            outcome[units[u]] = make_reason(
                below, share=grouped.drop_shares[u], min_award=min_award
            )

    if grouped is None:
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
                fraction = (
                    uniform if uniform is not None else share_decimal(left * points, weight_left)
                )
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
    else:
        notes = _grouped_outcome(
            grouped,
            units,
            caps_of,
            scaled_scores,
            org_of,
            org_names,
            id_at,
            prior,
            policy,
            scale,
            amounts,
            statuses,
            outcome,
        )
        if not m - len(dropped_units) and dropped_units:
            notes.append(
                make_reason(
                    "note.proportional.none_above_min_award",
                    min_award=min_award,
                    dropped=len(dropped_units),
                    remaining=budget,
                )
            )
    # The order that told equal shares apart is rank, then the tie-break columns, then id: a
    # given rank the columns split shows the same number on each (note.given_rank_ordered).
    columns = tie_break_text(policy)
    ranked_any = int(any(rank is not None for rank in ranks))
    if grouped is None:
        notes.extend(
            _drop_ties(
                id_at, units, weights, dropped, dropped_units, drop_order, columns, ranked_any
            )
        )
    else:
        notes.extend(_grouped_drop_ties(grouped, units, id_at, columns, ranked_any))
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
