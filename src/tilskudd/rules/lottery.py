"""The ``lottery`` rule: partial randomisation at the funding line, with a recorded seed.

As the Swiss National Science Foundation has done since 2021: applications clearly above the
funding line are funded, those clearly below are not, and those too close to the line to tell
apart are drawn by lot.

1. The line: funding in rank order (:mod:`tilskudd.rules.ranked`), the first eligible application
   that does not fit in what is left of the budget. Its score ``s`` is the score at the line. If
   every eligible application fits, there is nothing to draw (``note.lottery.no_line``).
2. The band: the eligible applications with a score from ``s - lottery_band`` to
   ``s + lottery_band`` (``lottery_band = 0``: the applications tied with the line). Eligible
   means after ``min_score`` and the caps (:mod:`tilskudd.rules.common`).
3. The draw: each application in the band gets the key ``SHA-256(text)`` of the UTF-8 text
   ``"tilskudd-lottery-1\\n{seed}\\n{id}"`` (the seed in decimal digits, the application's id as
   given); the band is ordered by key, smallest first (as a 256-bit big-endian number). SHA-256
   is the same on every machine and Python version, unlike :mod:`random`, whose generators
   and methods are not promised to stay the same across versions; every application is
   equally likely to come first, whatever its id.
4. Funding: the ranked rule's pass (``at_line``, reserve list, per-applicant maximum, quotas) in
   this order: the applications above the band in rank order, the band in draw order, those
   below the band in rank order. With ``at_line = "skip"`` (the default) each application in the
   band is funded with its eligible amount while it fits and skipped when it does not; the reserve
   list is taken from the rest in draw order. Below the band only what the ranked rule would give
   there anyway (with ``skip``, a small application that still fits) is funded. A ``stop`` or
   ``partial`` line that falls in the band falls in the draw's order: the band's applications
   below it say where (``reason.lottery.line_stopped``, its number in the draw), as one of
   them may rank above the application it fell at.

The seed: ``policy.seed`` is required (:class:`~tilskudd.errors.PolicyError` without one); the
command line makes one with :func:`new_seed` and prints it. The result records it
(``Allocation.seed``); the draw order is in the notes (``note.lottery.draw``: seed and the ids in
draw order) and in each drawn application's reasons (``reason.lottery.drawn`` /
``reason.lottery.not_drawn`` with its place in the draw); eligible applications outside the band
get ``reason.lottery.above_band`` or ``reason.lottery.below_band``. Outside the band a tie is
taken in id order, and one split by the line or by a quota's maximum (one of the tie funded into
a group, another then skipped for its maximum) is reported as ``note.tie_at_line`` (or
``note.tie_at_quota``) with ``broken_by = "id"``, as under ``ranked``; in the band the draw,
not the id, decided, and ``note.lottery.draw`` says so. With quotas a tie outside the band is
re-run in the other orders of its ids as under ``ranked``, each member taking the id of the
place it moves to (the whole lottery each time: its line and band may move with them, and a
member an order brings into the band is drawn by its new id).

Scores are required (the band is a range of scores), and they give the order: a given ``rank``
is not used, even when every application has one (ranks would put an application in the band
above one with a better rank, or fund one below the band before the band). The order outside the
band is the score order of :func:`~tilskudd.rules.common.rank_order` (the tie-break columns,
then the id).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from tilskudd.models import Allocation, Application, Decision, Policy, Reason
from tilskudd.rules.checks import check_rule_policy
from tilskudd.rules.common import (
    RankedEntry,
    build_allocation,
    gc_paused,
    make_decision,
    make_reason,
    natural_key,
    rank_order,
)
from tilskudd.rules.quotas import Given, QuotaBook, eligible_amounts, least_amounts
from tilskudd.rules.ranked import TieState, fund_in_order, settle_tie_notes, with_ids_moved

__all__ = ["allocate_lottery", "draw_key", "draw_order", "new_seed"]

SEED_LIMIT = 2**32
"""Seeds made by :func:`new_seed` are below this (any integer is accepted as a seed)."""

_DRAW_PREFIX = "tilskudd-lottery-1"


def new_seed() -> int:
    """A fresh seed from the operating system's randomness, ``0 <= seed < 2**32``."""
    return secrets.randbelow(SEED_LIMIT)


def draw_key(seed: int, application_id: str) -> bytes:
    """The draw key of one application: SHA-256 of ``"tilskudd-lottery-1\\n{seed}\\n{id}"``."""
    text = f"{_DRAW_PREFIX}\n{int(seed)}\n{application_id}"
    return hashlib.sha256(text.encode("utf-8")).digest()


def draw_order(seed: int, application_ids: Sequence[str]) -> list[str]:
    """``application_ids`` in draw order for ``seed``: by draw key, smallest first."""
    return sorted(application_ids, key=lambda i: (draw_key(seed, i), natural_key(i)))


def _with_reason(decision: Decision, entry: RankedEntry, reason: Reason) -> Decision:
    """``decision`` with ``reason`` after its eligibility and cap reasons (story order)."""
    reasons = list(decision.reasons)
    at = 0
    while at < len(reasons) and reasons[at].code.startswith(("reason.cap.", "reason.ineligible.")):
        at += 1
    reasons.insert(at, reason)
    return make_decision(
        entry.application,
        decision.status,
        decision.amount,
        eligible=decision.eligible_amount,
        rank=decision.rank,
        tied=decision.tied,
        reasons=reasons,
    )


def _ids(note: Reason) -> list[str]:
    ids = note.params.get("ids")
    return ids if isinstance(ids, list) else []


@gc_paused
def allocate_lottery(
    applications: Sequence[Application],
    budget: int,
    policy: Policy,
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
    quota_given: Given | None = None,
) -> Allocation:
    """Allocate ``budget`` by rank, drawing lots in the band at the line (see the module).

    ``prior_by_orgnr``: awards in earlier rounds, counted against ``per_applicant_max``;
    ``quota_given``: the officer's decisions to fund, which the quotas count.
    Raises :class:`PolicyError` without a seed or without scores.
    """
    check_rule_policy(applications, policy)
    seed = policy.seed
    assert seed is not None  # checked
    entries = rank_order(applications, policy, by="score")
    apps = [entry.application for entry in entries]
    eligible = eligible_amounts(apps, policy, prior_by_orgnr)
    book = QuotaBook.build(
        apps,
        budget,
        policy,
        eligible,
        least_amounts(apps, policy, eligible),
        quota_given,
        prior_by_orgnr,
    )
    drawn_and_funded = _draw_and_fund(
        entries, eligible, budget, policy, seed, prior_by_orgnr, book, True
    )
    assert drawn_and_funded is not None  # an unmet minimum raised
    line, band, order, low, high, drawn_ids, notes, decided, funding_notes, trial, books = (
        drawn_and_funded
    )
    by_position = dict(zip(order, decided, strict=True))
    position_in_draw = {app_id: p for p, app_id in enumerate(drawn_ids, start=1)}
    line_stopped = _line_in_draw(order, decided, band, policy, position_in_draw, entries)
    decisions: list[Decision] = []
    for k, entry in enumerate(entries):
        decision = by_position[k]
        app = entry.application
        # Every application of the band was drawn, also one that per_applicant_max then left
        # out (eligible_amount 0 after the awards drawn before it): the draw decided that.
        if line is not None and (k in band or decision.eligible_amount):
            assert app.score is not None
            if k in band:
                if line_stopped is not None:
                    decision = decision._replace(
                        reasons=tuple(
                            line_stopped if r.code == "reason.line.stopped" else r
                            for r in decision.reasons
                        )
                    )
                code = "reason.lottery.drawn" if decision.amount else "reason.lottery.not_drawn"
                reason = make_reason(
                    code,
                    position=position_in_draw[app.id],
                    count=len(drawn_ids),
                    low=low,
                    high=high,
                    seed=seed,
                )
            else:
                side = "above_band" if app.score > high else "below_band"
                reason = make_reason(f"reason.lottery.{side}", score=app.score, low=low, high=high)
            decision = _with_reason(decision, entry, reason)
        decisions.append(decision)

    # Ties outside the band that the line or a quota's maximum still split are reported as the
    # ranked rule reports them (its pass knows which groups a tied application was funded into,
    # so a tie split by a maximum is told from one whose group was full before it): outside the
    # band a tie is taken in id order. In the band the draw decided, and note.lottery.draw says
    # so; the funding pass saw the band in draw order, so its notes there are not about ties.
    drawn = set(drawn_ids)
    tie_notes = [n for n in funding_notes if drawn.isdisjoint(_ids(n))]
    if book is not None:
        # With quotas each tie outside the band is re-run in the other orders of its members
        # (ranked.settle_tie_notes): the lottery's line and band may move with them.
        quota_book = book

        def rerun(perm: Sequence[int]) -> list[int] | None:
            # Another order of a tie's ids: each application moved takes the id of the place
            # it moves to, as under ranked (pass 1's look-ahead orders equal amounts by id, and
            # the draw keys one that the order brings into the band by its id).
            renamed, ids = with_ids_moved(apps, range(len(apps)), perm)
            moved = [
                entries[p] if renamed[p] is apps[p] else entries[p]._replace(application=renamed[p])
                for p in perm
            ]
            tried = _draw_and_fund(
                moved,
                [eligible[p] for p in perm],
                budget,
                policy,
                seed,
                prior_by_orgnr,
                quota_book.renamed(ids),
                False,
            )
            if tried is None:
                return None
            awards = [0] * len(perm)
            for k, decision in zip(tried.order, tried.decided, strict=True):
                awards[perm[k]] = decision.amount
            return awards

        assert books is not None  # the round has quotas
        outside = [0 if k in band else amount for k, amount in enumerate(eligible)]
        tie_notes = settle_tie_notes(
            tie_notes,
            decisions,
            [e.rank for e in entries],
            outside,
            rerun,
            TieState(apps, quota_book, policy, prior_by_orgnr, budget),
            [(decisions, books[1]), (trial, books[0])],
        )
    notes.extend(tie_notes)
    return build_allocation("lottery", policy, budget, decisions, notes, seed=seed)


def _line_in_draw(
    order: Sequence[int],
    decided: Sequence[Decision],
    band: set[int],
    policy: Policy,
    position_in_draw: Mapping[str, int],
    entries: Sequence[RankedEntry],
) -> Reason | None:
    """``reason.lottery.line_stopped`` for the band's applications below a ``stop`` or
    ``partial`` line that fell in the band, or ``None``. The line fell in the draw's order, not
    the ranks': one of the band ranked above the application the line fell at is below it in
    the draw, so "the line fell at rank N" would not be true of it; its place in the draw is."""
    if policy.at_line == "skip":
        return None
    line_codes = ("reason.budget.exhausted", "reason.funded.partial")
    for k, decision in zip(order, decided, strict=True):
        if any(r.code in line_codes for r in decision.reasons):
            if k not in band:
                return None
            app_id = entries[k].application.id
            return make_reason(
                "reason.lottery.line_stopped", line_position=position_in_draw[app_id]
            )
    return None


class _Drawn(NamedTuple):
    """What the draw and the funding in its order gave (see :func:`_draw_and_fund`)."""

    line: int | None
    band: set[int]
    order: list[int]
    low: Decimal
    high: Decimal
    drawn_ids: list[str]
    notes: list[Reason]
    decided: list[Decision]
    funding_notes: list[Reason]
    trial: list[Decision]
    """The pass in rank order that found the line, by position in ``entries`` (with quotas;
    empty without)."""
    books: tuple[QuotaBook, QuotaBook] | None
    """The quota books of the pass that found the line and of the funding (``None``
    without quotas)."""


def _draw_and_fund(
    entries: Sequence[RankedEntry],
    eligible: Sequence[int],
    budget: int,
    policy: Policy,
    seed: int,
    prior_by_orgnr: Mapping[str, int] | None,
    book: QuotaBook | None,
    raise_unmet: bool,
) -> _Drawn | None:
    """Steps 1 to 4 of the module docstring for ``entries`` in rank order: the line, the band,
    the draw, and the funding in the lottery's order (``decided[j]`` is the decision on
    ``entries[order[j]]``). ``raise_unmet``: a minimum left unmet raises
    :class:`~tilskudd.errors.QuotaUnmetError`; otherwise the result is ``None``."""
    apps = [entry.application for entry in entries]
    # 1. The line: the first eligible application that does not fit, funding in rank order.
    skip = policy.model_copy(update={"at_line": "skip", "reserve": 0})
    first = book.fresh() if book is not None else None
    trial, _ = fund_in_order(entries, budget, skip, prior_by_orgnr=prior_by_orgnr, quotas=first)
    line = next(
        (
            k
            for k, d in enumerate(trial)
            if any(r.code == "reason.budget.exhausted" for r in d.reasons)
        ),
        None,
    )
    notes: list[Reason] = []
    band: set[int] = set()
    order = list(range(len(entries)))
    low = high = Decimal(0)
    drawn_ids: list[str] = []
    if line is None:
        notes.append(make_reason("note.lottery.no_line", seed=seed))
    else:
        score = apps[line].score
        assert score is not None
        low, high = score - policy.lottery_band, score + policy.lottery_band
        band = {
            k
            for k, app in enumerate(apps)
            if eligible[k] and app.score is not None and low <= app.score <= high
        }
        drawn_ids = draw_order(seed, [apps[k].id for k in sorted(band)])
        place = {app_id: k for k, app_id in ((k, apps[k].id) for k in band)}
        above = [k for k in order if k not in band and (apps[k].score or 0) > high]
        below = [k for k in order if k not in band and (apps[k].score or 0) <= high]
        order = above + [place[i] for i in drawn_ids] + below
        notes.append(
            make_reason(
                "note.lottery.draw",
                seed=seed,
                count=len(drawn_ids),
                low=low,
                high=high,
                line_score=score,
                ids=drawn_ids,
            )
        )
        notes.append(make_reason("note.lottery.method"))

    # 2. Funding in the lottery's order.
    final = book.fresh() if book is not None else None
    decided, funding_notes = fund_in_order(
        [entries[k] for k in order], budget, policy, prior_by_orgnr=prior_by_orgnr, quotas=final
    )
    if final is not None:
        if raise_unmet:
            final.check_met("lottery", decided)
        elif final.unmet():
            return None
    books = (first, final) if first is not None and final is not None else None
    # The trial's decisions are kept only for the quotas' tie notes (100 000 of them otherwise
    # outlive their use).
    kept = trial if book is not None else []
    return _Drawn(
        line, band, order, low, high, drawn_ids, notes, decided, funding_notes, kept, books
    )
