"""Every reason of ``ranked`` and ``lottery`` tells the truth: an oracle for what each one says.

The property tests of test_combinations check that every reason renders; this module checks
that what it says is so. It draws rounds and policies as they do (every ``at_line``, reserve,
ties, tie-break columns, given ranks, ``per_applicant_max`` with earlier rounds' awards,
overrides; no quotas) and works out, from the inputs and the result alone, what each reason
and note claims (README: "How the budget is allocated", "Lottery", "Manual overrides"):

- ``reason.cap.*``: the cap named is the one that applies (``max_award``; the share of cost,
  ``floor(share × total cost)``; the ``round_to`` step; ``per_applicant_max`` less what the
  organisation had before: earlier rounds, the officer's decisions and this rule's awards before
  it in funding order, each part and each id named as it was), and the amount is capped to it;
- ``reason.ineligible.*``: the threshold named is the policy's and the application is on the
  wrong side of it;
- ``reason.funded.*``, ``reason.budget.exhausted``, ``reason.line.*``: the rank is the
  application's (or the line's), what was left is the budget less the officer's decisions and
  the rule's awards before it in funding order, "did not fit" is true, a partial award is what
  was left on the ``round_to`` grid;
- ``reason.reserve.position``: the position is its place on the list (after the officer's);
- ``reason.lottery.*`` and ``note.lottery.*``: the band is the line's score ± ``lottery_band``,
  the line being the first application that does not fit in score order; the draw number is
  the place in the SHA-256 order worked out here again; the seed is the result's;
- ``reason.override.*`` and the notes: each count, amount and id checks out.

A reason no check here knows fails the test, so a new code needs its check (and the last test
holds the set of codes the rules' source names against the oracle's).

The suite runs a few examples; ``TILSKUDD_COMBINATION_EXAMPLES=5000`` runs many, as in
test_combinations.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import permutations
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import tilskudd.rules
from tilskudd.models import Allocation, Application, Policy, Reason, Status
from tilskudd.rules.common import (
    PER_APPLICANT_CODES,
    PER_APPLICANT_OFFICER_CODES,
    RankedEntry,
    natural_key,
    rank_order,
)

from .test_combinations import HUNT, Round, rounds, run

BELOW_MIN_CODES = frozenset(
    {
        "reason.line.partial_below_min",
        "reason.line.partial_rounded_below_min",
        "reason.line.partial_nothing_left",
        "reason.line.partial_rounded_to_nothing",
    }
)

LINE_CODES = frozenset({"reason.line.stopped", "reason.lottery.line_stopped"})

LEFT_OUT_FOR_BUDGET = frozenset({"reason.budget.exhausted"}) | LINE_CODES

SHOWN_IDS = 10  # README: the notes on missing costs and organisations name the first ten
NAMED = 3  # README: past four, a per_applicant_max reason names the first three


def _floor_to(amount: int, step: int) -> int:
    return amount - amount % step


def _as_list(value: Any) -> list[str]:
    assert isinstance(value, list), value
    return [str(v) for v in value]


class Expected:
    """What the inputs say of one application before the funding: its caps, in the README's
    order, and the reasons they give."""

    def __init__(self, app: Application, policy: Policy) -> None:
        self.reasons: list[tuple[str, dict[str, Any]]] = []
        self.amount = 0  # eligible after the caps, min_score and min_award (0: not eligible)
        self.capped = 0  # after the caps alone (what an override is compared with)
        if policy.min_score is not None and app.score is not None and app.score < policy.min_score:
            self.reasons.append(
                (
                    "reason.ineligible.below_min_score",
                    {"score": app.score, "min_score": policy.min_score},
                )
            )
            self.below_min_score = True
            return
        self.below_min_score = False
        amount = app.requested
        if policy.max_award is not None and amount > policy.max_award:
            self.reasons.append(
                ("reason.cap.max_award", {"cap": policy.max_award, "amount": amount})
            )
            amount = policy.max_award
        share = policy.max_share_of_cost
        if share is not None:
            if app.total_cost is None:
                self.reasons.append(("reason.cap.share_of_cost_unknown", {"share": share}))
            else:
                # README: "20 % of the total cost, rounded down to whole kroner".
                frac = Fraction(share) * app.total_cost
                cap = frac.numerator // frac.denominator
                if amount > cap:
                    params = {
                        "share": share,
                        "total_cost": app.total_cost,
                        "cap": cap,
                        "amount": amount,
                    }
                    self.reasons.append(("reason.cap.share_of_cost", params))
                    amount = cap
        if amount % policy.round_to:
            self.reasons.append(("reason.cap.round_to", {"step": policy.round_to}))
            amount = _floor_to(amount, policy.round_to)
        self.capped = amount
        if amount == 0:
            self.reasons.append(("reason.ineligible.nothing_after_caps", {}))
        elif amount < policy.min_award:
            self.reasons.append(
                (
                    "reason.ineligible.below_min_award",
                    {"amount": amount, "min_award": policy.min_award},
                )
            )
            amount = 0
        self.amount = amount


POLICY_CODES = frozenset(
    {
        "reason.cap.max_award",
        "reason.cap.share_of_cost",
        "reason.cap.share_of_cost_unknown",
        "reason.cap.round_to",
        "reason.ineligible.below_min_score",
        "reason.ineligible.below_min_award",
        "reason.ineligible.nothing_after_caps",
    }
)


class Books:
    """The running state of a funding walk: what is left of the budget and what each
    organisation has, from the inputs and the awards of the result in funding order."""

    def __init__(
        self,
        apps: Sequence[Application],
        budget: int,
        policy: Policy,
        prior: Mapping[str, int],
    ) -> None:
        self.policy = policy
        self.prior = dict(prior)
        self.officer: dict[str, list[Application]] = {}
        officer_total = 0
        for a in apps:
            if a.decision == "fund":
                officer_total += a.decision_amount or 0
                if a.organisation is not None:
                    self.officer.setdefault(a.organisation, []).append(a)
        self.remaining = budget - officer_total
        self.rule_funded: dict[str, list[str]] = {}
        self.rule_amount: dict[str, int] = {}

    def officer_amount(self, org: str) -> int:
        return sum(a.decision_amount or 0 for a in self.officer.get(org, []))

    def used(self, org: str) -> int:
        return self.prior.get(org, 0) + self.officer_amount(org) + self.rule_amount.get(org, 0)

    def room(self, org: str | None, amount: int) -> tuple[int, str | None, int, int]:
        """What of ``amount`` the organisation may still take: (amount, None) when the maximum
        does not bind, else (amount after it, "cap" or "ineligible", already, room)."""
        most = self.policy.per_applicant_max
        if most is None or org is None or amount == 0:
            return amount, None, 0, 0
        already = self.used(org)
        room = max(most - already, 0)
        left = _floor_to(room, self.policy.round_to)
        if amount <= left:
            return amount, None, already, room
        if left == 0 or left < self.policy.min_award:
            return 0, "ineligible", already, room
        return left, "cap", already, room

    def take(self, org: str | None, app_id: str, amount: int) -> None:
        self.remaining -= amount
        if org is not None and amount and self.policy.per_applicant_max is not None:
            self.rule_funded.setdefault(org, []).append(app_id)
            self.rule_amount[org] = self.rule_amount.get(org, 0) + amount


def check_per_applicant(
    reason: Reason, kind: str, org: str, already: int, room: int, books: Books
) -> None:
    """A ``per_applicant_max`` reason names the organisation's maximum, what it had and where
    that came from, and the cap (or what was left) as worked out in the funding walk."""
    policy = books.policy
    p = reason.params
    assert reason.code.startswith(f"reason.{kind}.per_applicant"), reason
    assert p["orgnr"] == org, reason
    assert p["max"] == policy.per_applicant_max, reason
    assert p["already"] == already, (reason, already)
    if kind == "cap":
        assert p["cap"] == _floor_to(room, policy.round_to), (reason, room)
    else:
        assert p["left"] == room, (reason, room)
        assert p["min_award"] == policy.min_award, reason
    earlier = books.prior.get(org, 0)
    officer = books.officer.get(org, [])
    funded = books.rule_funded.get(org, [])
    this_round = books.rule_amount.get(org, 0)
    base = f"reason.{kind}.per_applicant"
    if officer:
        code = base + ("_earlier" if earlier else "") + "_officer"
        if funded:
            code += "_and_round"
        assert reason.code == code, (reason, code)
        assert sorted(_as_list(p["officer"])) == sorted(a.id for a in officer), reason
        assert p["officer_count"] == len(officer), reason
        assert p["officer_amount"] == books.officer_amount(org), reason
        if funded:
            many = len(funded) > NAMED + 1
            assert p["count"] == len(funded), reason
            assert p["more"] == int(many), reason
            assert _as_list(p["funded"]) == (funded[:NAMED] if many else funded), reason
            assert p["this_round"] == this_round, reason
    elif funded:
        code = base + ("_earlier_and_round" if earlier else "_in_round")
        many = len(funded) > NAMED + 1
        if many:
            code += "_many"
            assert p["count"] == len(funded), reason
        assert reason.code == code, (reason, code)
        assert _as_list(p["funded"]) == (funded[:NAMED] if many else funded), reason
        assert p["this_round"] == this_round, reason
    elif earlier:
        assert reason.code == base + "_earlier", reason
    else:
        # Nothing filled it: its amount alone is above the maximum, and the reason says only
        # that (a tie's award counted as the organisation's keeps the plain code).
        assert reason.code == (base + "_alone" if already == 0 else base), reason
    if earlier:
        assert p["earlier"] == earlier, reason
    else:
        assert "earlier" not in p, reason


class Walk:
    """The result's decisions checked one by one in funding order."""

    def __init__(
        self,
        apps: Sequence[Application],
        budget: int,
        policy: Policy,
        prior: Mapping[str, int],
        result: Allocation,
        shown: Mapping[str, int | None],
    ) -> None:
        self.apps = {a.id: a for a in apps}
        self.policy = policy
        self.decided = {d.application_id: d for d in result.decisions}
        self.books = Books(apps, budget, policy, prior)
        self.shown = shown  # the rank each application shows
        self.checked: set[tuple[str, int]] = set()  # (id, index of reason) checked
        self.waiting: list[str] = []  # left out for want of budget, in funding order
        self.remaining_at: dict[str, int] = {}  # the budget left when each one's turn came
        self.order: list[str] = []  # the funding order
        self.drawn: list[str] = []  # the lottery's draw
        self.rule_amount_at: dict[str, dict[str, int]] = {}  # what the rule had given each org
        self.working_rank: dict[str, int | None] = {}  # the rank the funding went by

    def mark(self, app_id: str, reason: Reason) -> None:
        reasons = self.decided[app_id].reasons
        index = next(
            i for i, r in enumerate(reasons) if r is reason and (app_id, i) not in self.checked
        )
        self.checked.add((app_id, index))

    def codes(self, app_id: str) -> list[str]:
        return [r.code for r in self.decided[app_id].reasons]

    def one(self, app_id: str, codes: Callable[[str], bool]) -> Reason | None:
        found = [r for r in self.decided[app_id].reasons if codes(r.code)]
        assert len(found) <= 1, (app_id, found)
        return found[0] if found else None

    def walk(self, order: Sequence[RankedEntry], *, line_between_ranks: bool) -> None:
        """Each application the rule decided, in its funding order."""
        policy = self.policy
        books = self.books
        line_drawn = False  # under stop and partial, at the first that did not fit
        tie_rank: int | None = None  # stop: the line's rank, whose ties are still tried
        line_shown: int | None = None
        line_at: str | None = None  # the application the line fell at
        line_position = 0  # its number in the draw (lottery)
        for entry in order:
            app = entry.application
            d = self.decided[app.id]
            assert not d.override
            self.order.append(app.id)
            self.working_rank[app.id] = entry.rank
            expected = Expected(app, policy)
            said = [(r.code, dict(r.params)) for r in d.reasons if r.code in POLICY_CODES]
            assert said == expected.reasons, (app.id, said, expected.reasons)
            for r in d.reasons:
                if r.code in POLICY_CODES:
                    self.mark(app.id, r)
            amount = expected.amount
            org = app.organisation
            cut = self.one(app.id, lambda c: c in PER_APPLICANT_CODES | PER_APPLICANT_OFFICER_CODES)
            self.remaining_at[app.id] = books.remaining
            self.rule_amount_at[app.id] = dict(books.rule_amount)
            if amount:
                after, kind, already, room = books.room(org, amount)
                if kind is None:
                    assert cut is None, (app.id, cut, books.used(org) if org else None)
                else:
                    assert cut is not None, (app.id, kind, after)
                    assert org is not None
                    check_per_applicant(cut, kind, org, already, room, books)
                    self.mark(app.id, cut)
                amount = after
            else:
                assert cut is None, (app.id, cut)
            assert d.eligible_amount == amount, (app.id, d.eligible_amount, amount)
            if amount == 0:
                assert d.amount == 0, d
                assert d.status is Status.NOT_FUNDED, d
                continue
            stopped = line_drawn and not (entry.tied and entry.rank == tie_rank)
            full = self.one(app.id, lambda c: c == "reason.funded.full")
            partial = self.one(app.id, lambda c: c == "reason.funded.partial")
            exhausted = self.one(app.id, lambda c: c == "reason.budget.exhausted")
            line = self.one(app.id, lambda c: c in LINE_CODES)
            below_min = self.one(app.id, lambda c: c in BELOW_MIN_CODES)
            said_outcome = [r for r in (full, partial, exhausted, line) if r is not None]
            assert len(said_outcome) == 1, (app.id, d.reasons)
            if stopped:
                # "Below the funding line, which fell at rank N": it was, and N is the line's.
                # Under the lottery, for one of the band below a line that fell in the band:
                # "… which fell at number N in the draw" (the draw, not the ranks, ordered them).
                assert line is not None, (app.id, d.reasons)
                if app.id in self.drawn and line_at in self.drawn:
                    want = ("reason.lottery.line_stopped", {"line_position": line_position})
                else:
                    want = ("reason.line.stopped", {"line_rank": line_shown})
                assert (line.code, line.params) == want, (line, want)
                assert d.amount == 0, d
                self.mark(app.id, line)
                self.waiting.append(app.id)
                continue
            left = books.remaining
            if amount <= left:
                assert full is not None, (app.id, amount, left, d.reasons)
                assert full.params == {"rank": self.shown[app.id], "amount": amount}, full
                assert d.amount == amount, d
                assert d.status is Status.FUNDED, d
                self.mark(app.id, full)
                books.take(org, app.id, amount)
                continue
            # It did not fit: what was left is what the budget had after the awards before it.
            part = _floor_to(left, policy.round_to)
            if policy.at_line == "partial" and part > 0 and part >= policy.min_award:
                assert partial is not None, (app.id, d.reasons)
                assert partial.params == {
                    "rank": self.shown[app.id],
                    "amount": part,
                    "eligible": amount,
                }, (partial, left)
                assert d.amount == part, d
                assert d.status is Status.PARTLY_FUNDED, d
                self.mark(app.id, partial)
                books.take(org, app.id, part)
            else:
                assert exhausted is not None, (app.id, d.reasons)
                assert exhausted.params == {
                    "rank": self.shown[app.id],
                    "remaining": left,
                    "needed": amount,
                }, (exhausted, left, amount)
                assert amount > left
                assert d.amount == 0, d
                self.mark(app.id, exhausted)
                self.waiting.append(app.id)
                if policy.at_line == "partial":
                    # "The X kr left is too little for a partial award (minimum M kr)".
                    assert below_min is not None, (app.id, d.reasons)
                    # Or, when only rounding down took it below: "The X kr left, rounded down
                    # to a multiple of S, is P: too little".
                    # With nothing left: "Nothing was left of the budget for a partial award";
                    # without a minimum and rounded down to 0: "… is nothing".
                    assert part == 0 or part < policy.min_award
                    if left == 0:
                        want = ("reason.line.partial_nothing_left", {"min_award": policy.min_award})
                    elif left < policy.min_award:
                        want = ("reason.line.partial_below_min", {"min_award": policy.min_award})
                    else:
                        want = (
                            "reason.line.partial_rounded_to_nothing"
                            if part == 0 and policy.min_award == 0
                            else "reason.line.partial_rounded_below_min",
                            {
                                "step": policy.round_to,
                                "amount": part,
                                "min_award": policy.min_award,
                            },
                        )
                    want[1]["remaining"] = left
                    assert (below_min.code, below_min.params) == want, (below_min, left)
                    self.mark(app.id, below_min)
            if policy.at_line != "skip":
                line_drawn = True
                line_shown = self.shown[app.id]
                if line_at is None:
                    line_at = app.id
                    line_position = self.drawn.index(app.id) + 1 if app.id in self.drawn else 0
                if policy.at_line == "stop" and line_between_ranks:
                    tie_rank = entry.rank

    def check_skipped_were_larger(self) -> None:
        """Under ``skip``, "did not fit" also means every application the rule funded after
        it in its order asked for less than it needed."""
        if self.policy.at_line != "skip":
            return
        for k, app_id in enumerate(self.order):
            for r in self.decided[app_id].reasons:
                if r.code == "reason.budget.exhausted":
                    needed = r.params["needed"]
                    assert isinstance(needed, int)
                    for later in self.order[k + 1 :]:
                        assert self.decided[later].amount < needed, (app_id, later)

    def tie_of(self, app_id: str) -> list[str]:
        """The applications the funding took at the same rank as ``app_id``, in its order."""
        rank = self.working_rank[app_id]
        return [i for i in self.order if self.working_rank[i] == rank]

    def check_reserve(self, officer_reserves: int) -> None:
        """ "Reserve list, number N": the officer's reserves first, then the rule's in its
        funding order, the first ``reserve`` of those left out for want of budget."""
        for place, app_id in enumerate(self.waiting, start=1):
            d = self.decided[app_id]
            found = [r for r in d.reasons if r.code == "reason.reserve.position"]
            if place <= self.policy.reserve:
                assert d.status is Status.RESERVE, d
                assert [r.params for r in found] == [{"position": officer_reserves + place}], d
                self.mark(app_id, found[0])
            else:
                assert d.status is Status.NOT_FUNDED, d
                assert not found, d


def shown_ranks(apps: Sequence[Application], policy: Policy) -> dict[str, int | None]:
    """The rank each application shows: the one given when every application has one (not
    under the lottery, which orders by score), else its competition rank among all of them."""
    if policy.rule != "lottery" and apps and all(a.rank is not None for a in apps):
        return {a.id: a.rank for a in apps}
    by = "score" if policy.rule == "lottery" else None
    return {e.application.id: e.rank for e in rank_order(apps, policy, by=by)}


def check_overrides(
    apps: Sequence[Application], policy: Policy, prior: Mapping[str, int], walk: Walk
) -> int:
    """The officer's decisions: each reason's amount, text, position and what it passes;
    returns how many the officer put on the reserve list."""
    decided = walk.decided
    officer = [a for a in apps if a.decision is not None]
    reserves = [a for a in officer if a.decision == "reserve"]
    # "in rank order among themselves": the order of the whole round, tie-break columns too.
    by = "score" if policy.rule == "lottery" else None
    place = {e.application.id: e.position for e in rank_order(apps, policy, by=by)}
    reserves.sort(key=lambda a: place[a.id])
    funds: dict[str, list[Application]] = {}
    for a in officer:
        if a.decision == "fund" and a.organisation is not None:
            funds.setdefault(a.organisation, []).append(a)
    for a in officer:
        d = decided[a.id]
        assert d.override, d
        code = f"reason.override.{a.decision}"
        main = [r for r in d.reasons if r.code == code]
        assert len(main) == 1, d
        walk.mark(a.id, main[0])
        params: dict[str, Any] = {"text": a.decision_reason}
        if a.decision == "fund":
            params["amount"] = a.decision_amount
        if a.decision == "reserve":
            params["position"] = reserves.index(a) + 1
        assert main[0].params == params, (main[0], params)
        if a.decision != "fund":
            continue
        expected = Expected(a, policy)
        amount = a.decision_amount or 0
        above = [r for r in d.reasons if r.code == "reason.override.above_eligible"]
        outside = [r for r in d.reasons if r.code == "reason.override.outside_policy"]
        if expected.amount == 0:
            # "the policy would not have funded it at all"
            assert outside, (d, expected.reasons)
            assert not above, (d, expected.reasons)
            walk.mark(a.id, outside[0])
        elif amount > expected.amount:
            assert above, d
            assert not outside, d
            assert above[0].params == {"amount": amount, "eligible": expected.amount}, above
            walk.mark(a.id, above[0])
        else:
            assert not above, d
            assert not outside, d
        org = a.organisation
        passed = [r for r in d.reasons if r.code.startswith("reason.override.above_per_applicant")]
        most = policy.per_applicant_max
        if most is None or org is None:
            assert not passed, d
            continue
        mine = funds[org]
        given_now = sum(x.decision_amount or 0 for x in mine)
        earlier = prior.get(org, 0)
        if earlier + given_now <= most:
            assert not passed, d
            continue
        assert len(passed) == 1, d
        r = passed[0]
        walk.mark(a.id, r)
        p = r.params
        assert p["orgnr"] == org, r
        assert p["max"] == most, r
        assert p["total"] == earlier + given_now, (r, earlier, given_now)
        assert sorted(_as_list(p["ids"])) == sorted(x.id for x in mine), r
        assert p["count"] == len(mine), r
        if earlier:
            assert r.code == "reason.override.above_per_applicant_earlier", r
            assert p["earlier"] == earlier, r
            assert p["this_round"] == given_now, r
        else:
            assert r.code == "reason.override.above_per_applicant", r
    return len(reserves)


def draw_order(seed: int, ids: Sequence[str]) -> list[str]:
    """README: "Each application's place in the draw is the SHA-256 hash of the seed and its
    id"; the module docstring gives the text hashed."""

    def key(app_id: str) -> bytes:
        return hashlib.sha256(f"tilskudd-lottery-1\n{seed}\n{app_id}".encode()).digest()

    return sorted(ids, key=key)


def lottery_order(
    ruled: Sequence[Application], budget_left: int, policy: Policy, books: Books
) -> tuple[list[RankedEntry], Decimal | None, Decimal, Decimal, list[str]]:
    """The lottery's funding order, its line's score, the band and the draw, worked out here:
    the line is the first eligible application that does not fit, funding in score order
    (under ``skip``, with what its organisation has left)."""
    entries = rank_order(ruled, policy, by="score")
    trial = Books([], budget_left, policy, {})
    trial.prior = {org: books.used(org) for org in {a.organisation for a in ruled} if org}
    line: Application | None = None
    eligible: dict[str, int] = {}
    for e in entries:
        app = e.application
        amount = Expected(app, policy).amount
        # Eligible for the band: after the caps and what the organisation had before the round.
        eligible[app.id] = books.room(app.organisation, amount)[0]
        amount = trial.room(app.organisation, amount)[0]
        if amount == 0:
            continue
        if amount <= trial.remaining:
            trial.take(app.organisation, app.id, amount)
        elif line is None:
            line = app
    if line is None:
        return entries, None, Decimal(0), Decimal(0), []
    assert line.score is not None
    low, high = line.score - policy.lottery_band, line.score + policy.lottery_band
    band = [
        e.application.id
        for e in entries
        if eligible[e.application.id]
        and e.application.score is not None
        and low <= e.application.score <= high
    ]
    assert policy.seed is not None
    drawn = draw_order(policy.seed, band)
    by_id = {e.application.id: e for e in entries}
    above = [
        e for e in entries if e.application.id not in band and (e.application.score or 0) > high
    ]
    below = [
        e for e in entries if e.application.id not in band and (e.application.score or 0) <= high
    ]
    return above + [by_id[i] for i in drawn] + below, line.score, low, high, drawn


def check_lottery(
    walk: Walk,
    result: Allocation,
    policy: Policy,
    line_score: Decimal | None,
    low: Decimal,
    high: Decimal,
    drawn: list[str],
    ruled: Sequence[Application],
) -> None:
    """The draw numbers, the band and the seed of each reason and of the notes."""
    assert result.seed == policy.seed
    notes = {n.code: n for n in result.notes}
    if line_score is None:
        assert notes["note.lottery.no_line"].params == {"seed": policy.seed}
        assert "note.lottery.draw" not in notes
    else:
        assert "note.lottery.no_line" not in notes
        assert notes["note.lottery.draw"].params == {
            "seed": policy.seed,
            "count": len(drawn),
            "low": low,
            "high": high,
            "line_score": line_score,
            "ids": drawn,
        }, (notes["note.lottery.draw"], drawn)
        assert notes["note.lottery.method"].params == {}
    for app in ruled:
        d = walk.decided[app.id]
        said = [
            r
            for r in d.reasons
            if r.code.startswith("reason.lottery.") and r.code not in LINE_CODES
        ]
        if line_score is None:
            assert not said, d
            continue
        if app.id in drawn:
            code = "reason.lottery.drawn" if d.amount else "reason.lottery.not_drawn"
            want = {
                "position": drawn.index(app.id) + 1,
                "count": len(drawn),
                "low": low,
                "high": high,
                "seed": result.seed,
            }
        elif d.eligible_amount:
            assert app.score is not None
            assert not low <= app.score <= high, (app.id, app.score, low, high)
            code = "reason.lottery.above_band" if app.score > high else "reason.lottery.below_band"
            want = {"score": app.score, "low": low, "high": high}
        else:
            assert not said, d
            continue
        assert [(r.code, r.params) for r in said] == [(code, want)], (d, code, want)
        walk.mark(app.id, said[0])


def check_notes(
    apps: Sequence[Application], budget: int, policy: Policy, result: Allocation, walk: Walk
) -> None:
    """The round's notes: each count, amount, rank and id."""
    officer = [a for a in apps if a.decision is not None]
    ruled = [a for a in apps if a.decision is None]
    decided = walk.decided
    for note in result.notes:
        code, p = note.code, note.params
        if code.startswith("note.lottery."):
            continue  # check_lottery
        if code == "note.override.applied":
            funds = [a.decision_amount or 0 for a in officer if a.decision == "fund"]
            assert p == {
                "count": len(officer),
                "funded": len(funds),
                "amount": sum(funds),
                "rejected": sum(1 for a in officer if a.decision == "reject"),
                "reserve": sum(1 for a in officer if a.decision == "reserve"),
                "remaining": budget - sum(funds),
            }, note
        elif code.startswith("note.share_of_cost_unknown"):
            assert policy.max_share_of_cost is not None
            assert p["share"] == policy.max_share_of_cost
            if code == "note.share_of_cost_unknown_all":
                # "None of the N applications has a total cost".
                assert all(a.total_cost is None for a in apps), note
                assert p["total"] == len(apps), note
            else:
                missing = sorted((a.id for a in ruled if a.total_cost is None), key=natural_key)
                assert p["count"] == len(missing), note
                assert p["total"] == len(ruled), note
                assert _as_list(p["ids"]) == missing[:SHOWN_IDS], note
                assert (code == "note.share_of_cost_unknown_many") == (len(missing) > SHOWN_IDS)
        elif code.startswith("note.per_applicant_unknown"):
            assert p["max"] == policy.per_applicant_max
            assert p["setting"] == "per_applicant_max"
            without = sorted((a.id for a in ruled if a.organisation is None), key=natural_key)
            assert p["total"] == len(ruled), note
            if code == "note.per_applicant_unknown_all":
                assert len(without) == len(ruled), note
            else:
                assert p["count"] == len(without) < len(ruled), note
                assert _as_list(p["ids"]) == without[:SHOWN_IDS], note
        elif code == "note.tie_break_empty":
            column = p["column"]
            columns = [t.column for t in policy.tie_break]
            assert column in columns, note
            for a in apps:
                value = (
                    getattr(a, str(column), None)
                    if str(column) in Application.model_fields
                    else a.extra.get(str(column))
                )
                assert value is None or value == "", (note, a)
        elif code == "note.given_rank_ordered":
            ids = _as_list(p["ids"])
            assert p["count"] == len(ids) > 1, note
            by_id = {a.id: a for a in apps}
            assert {by_id[i].rank for i in ids} == {p["rank"]}, note
            assert sorted(ids) == sorted(a.id for a in ruled if a.rank == p["rank"]), note
            # "the tie-break (columns) took them in this order, with = between those it left
            # equal": the funding order, those of one working rank joined.
            places: dict[int | None, list[str]] = {}
            for i in walk.order:
                if i in ids:
                    places.setdefault(walk.working_rank[i], []).append(i)
            assert ids == [i for i in walk.order if i in ids], note
            assert p["order"] == [" = ".join(place) for place in places.values()], note
            assert len(places) > 1, note
            for tie_break in policy.tie_break:
                assert tie_break.column in str(p["columns"]), note
        elif code in ("note.tie_at_line", "note.tie_at_line_not_by_order"):
            ids = _as_list(p["ids"])
            assert p["count"] == len(ids) > 1, note
            assert {walk.shown[i] for i in ids} == {p["rank"]}, note
            assert ids == walk.tie_of(ids[0]), note  # "share rank N": those, and all of them
            funded = [i for i in ids if decided[i].amount]
            left_out = [
                i for i in ids if not decided[i].amount and set(walk.codes(i)) & LEFT_OUT_FOR_BUDGET
            ]
            # "across the funding line": of those it did not leave out before the budget came
            # into it, some funded in full and some partly or not at all for want of budget.
            partly = [i for i in ids if decided[i].status is Status.PARTLY_FUNDED]
            in_full = [i for i in funded if i not in partly]
            kinds = [bool(in_full), bool(partly), bool(left_out)]
            assert sum(kinds) > 1, (note, in_full, partly, left_out)
            assert _as_list(p["funded_ids"]) == funded, note
            if code == "note.tie_at_line_not_by_order":
                unfunded = _as_list(p["unfunded_ids"])
                assert sorted(unfunded) == sorted(left_out), note
                first = min(ids, key=lambda i: list(walk.remaining_at).index(i))
                # "X kr was left when their turn came, and they would not have fitted even if
                # taken first": each needed more than that (its eligible amount, at most).
                assert p["remaining"] == walk.remaining_at[first], (note, walk.remaining_at)
                for i in unfunded:
                    # Taken first: its caps, under what its organisation had left then.
                    books = walk.books
                    now = books.rule_amount
                    books.rule_amount = walk.rule_amount_at[first]
                    app = walk.apps[i]
                    amount = books.room(app.organisation, Expected(app, policy).amount)[0]
                    books.rule_amount = now
                    assert amount > p["remaining"], (note, i, amount)
            else:
                assert p["broken_by"] == "id", note
        elif code == "note.tie_at_reserve":
            ids = _as_list(p["ids"])
            assert p["count"] == len(ids) > 1, note
            assert p["broken_by"] == "id", note
            assert {walk.shown[i] for i in ids} == {p["rank"]}, note
            on = [i for i in ids if decided[i].status is Status.RESERVE]
            assert _as_list(p["reserve_ids"]) == on, note
            assert on, note
            assert len(on) < len(ids), note
            assert all(i in walk.waiting for i in ids), note
        elif code == "note.tie_per_applicant":
            ids = _as_list(p["ids"])
            cut = _as_list(p["cut_ids"])
            assert p["count"] == len(ids) > 1, note
            assert p["broken_by"] == "id", note
            assert p["max"] == policy.per_applicant_max, note
            assert {walk.apps[i].organisation for i in ids} == {p["orgnr"]}, note
            assert {walk.shown[i] for i in ids} == {p["rank"]}, note
            assert cut, note
            assert set(cut) <= set(ids), note
            for i in cut:
                assert set(walk.codes(i)) & (PER_APPLICANT_CODES | PER_APPLICANT_OFFICER_CODES)
        else:
            raise AssertionError(f"no check for {code}: {note}")


DECIDED_BY_ORDER = frozenset({"note.tie_at_line", "note.tie_per_applicant"})
"""Tie notes that say the id order decided: another order of the tie's ids gives other awards."""

ORDERS_TRIED = 4  # ties of up to this many members are re-run in every order (at most 23)


def awards_in_order(
    apps: Sequence[Application],
    budget: int,
    policy: Policy,
    prior: Mapping[str, int],
    ids: Sequence[str],
    order: Sequence[str],
) -> dict[str, int]:
    """The awards by application when the tie ``ids`` is taken in ``order`` instead: each
    member takes the id of the place it moves to (``order[k]`` gets ``ids[k]``), as if the ids
    had been given so."""
    new_id = dict(zip(order, ids, strict=True))
    old_id = {v: k for k, v in new_id.items()}
    moved = [a.model_copy(update={"id": new_id[a.id]}) if a.id in new_id else a for a in apps]
    result = run(moved, budget, policy, prior)
    return {old_id.get(d.application_id, d.application_id): d.amount for d in result.decisions}


def check_orders(
    apps: Sequence[Application],
    budget: int,
    policy: Policy,
    prior: Mapping[str, int],
    result: Allocation,
) -> None:
    """README: "A note says that the id order decided a tie only when another order of those
    ids would have decided it otherwise"; and one saying "the order among them did not
    decide" is true in every order."""
    awards = {d.application_id: d.amount for d in result.decisions}
    for note in result.notes:
        if note.code not in DECIDED_BY_ORDER | {"note.tie_at_line_not_by_order"}:
            continue
        ids = _as_list(note.params["ids"])
        if len(ids) > ORDERS_TRIED:
            continue
        others = [list(o) for o in permutations(ids) if list(o) != ids]
        changed = [
            o for o in others if awards_in_order(apps, budget, policy, prior, ids, o) != awards
        ]
        if note.code in DECIDED_BY_ORDER:
            assert changed, (note, awards)
        else:
            assert not changed, (note, changed[0], awards)


def check_reasons_true(
    apps: Sequence[Application],
    budget: int,
    policy: Policy,
    prior: Mapping[str, int],
    result: Allocation,
) -> None:
    """Every reason and note of a ``ranked`` or ``lottery`` result says what is so."""
    ruled = [a for a in apps if a.decision is None]
    walk = Walk(apps, budget, policy, prior, result, shown_ranks(apps, policy))
    officer_reserves = check_overrides(apps, policy, prior, walk)
    if policy.rule == "lottery":
        order, line_score, low, high, drawn = lottery_order(
            ruled, walk.books.remaining, policy, walk.books
        )
        walk.drawn = drawn
        walk.walk(order, line_between_ranks=False)
        check_lottery(walk, result, policy, line_score, low, high, drawn, ruled)
    else:
        walk.walk(rank_order(ruled, policy) if ruled else [], line_between_ranks=True)
    walk.check_reserve(officer_reserves)
    walk.check_skipped_were_larger()
    check_notes(apps, budget, policy, result, walk)
    for d in result.decisions:
        for i, r in enumerate(d.reasons):
            assert (d.application_id, i) in walk.checked, (d.application_id, r)
    check_orders(apps, budget, policy, prior, result)


@HUNT
@given(rounds("ranked", with_quotas="none"))
def test_every_ranked_reason_is_true(drawn: Round) -> None:
    apps, budget, policy, prior = drawn
    result = run(apps, budget, policy, prior)
    check_reasons_true(apps, budget, policy, prior, result)


@HUNT
@given(rounds("lottery", with_quotas="none"))
def test_every_lottery_reason_is_true(drawn: Round) -> None:
    apps, budget, policy, prior = drawn
    result = run(apps, budget, policy, prior)
    check_reasons_true(apps, budget, policy, prior, result)


ORG = "974760673"


def _one_organisation(
    make_application: Callable[..., Application], officer: bool
) -> list[Application]:
    """Nine applications of 100 kr of one organisation, scored 9, 8, …; the officer funds the
    best with 100 kr if ``officer``."""
    apps = [
        make_application(
            id=f"S{i}", requested=100, total_cost=None, score=Decimal(10 - i), orgnr=ORG
        )
        for i in range(1, 10)
    ]
    if officer:
        update = {"decision": "fund", "decision_amount": 100, "decision_reason": "styrets vedtak"}
        apps[0] = apps[0].model_copy(update=update)
    return apps


# (officer's decision on the best, earlier rounds' awards, per_applicant_max) -> the codes of
# the applications the maximum reaches (awards of 100 kr: one cut to 50 kr when the maximum
# ends in 50, then those left out).
MANY_CUT = [
    (False, 0, 650, ("cap", "ineligible"), "in_round_many"),
    (False, 100, 750, ("cap", "ineligible"), "earlier_and_round_many"),
    (True, 0, 750, ("cap", "ineligible"), "officer_and_round"),
    (True, 100, 850, ("cap", "ineligible"), "earlier_officer_and_round"),
    (True, 0, 150, ("cap",), "officer"),
    (True, 0, 100, ("ineligible",), "officer"),
    (True, 100, 250, ("cap",), "earlier_officer"),
    (True, 100, 200, ("ineligible",), "earlier_officer"),
]


@pytest.mark.parametrize("rule", ["ranked", "lottery"])
@pytest.mark.parametrize(("officer", "earlier", "most", "kinds", "said"), MANY_CUT)
def test_the_oracle_agrees_where_a_maximum_is_filled_by_many(
    make_application: Callable[..., Application],
    rule: str,
    officer: bool,
    earlier: int,
    most: int,
    kinds: tuple[str, ...],
    said: str,
) -> None:
    """The reasons the drawn rounds seldom reach (past four of one organisation's awards, or
    the officer's decisions beside this rule's), each checked by the oracle on a round made
    to give it."""
    apps = _one_organisation(make_application, officer)
    policy = Policy(rule=rule, per_applicant_max=most, seed=7)  # type: ignore[arg-type]
    prior = {ORG: earlier} if earlier else {}
    result = run(apps, 10_000, policy, prior)
    check_reasons_true(apps, 10_000, policy, prior, result)
    codes = {r.code for d in result.decisions for r in d.reasons}
    for kind in kinds:
        assert f"reason.{kind}.per_applicant_{said}" in codes, codes


def test_the_oracle_agrees_on_the_note_naming_the_first_ten_without_an_organisation(
    make_application: Callable[..., Application],
) -> None:
    apps = [
        make_application(id=f"S{i}", requested=100, score=Decimal(i % 3), orgnr=None)
        for i in range(1, 13)
    ]
    apps[0] = apps[0].model_copy(update={"orgnr": ORG})
    policy = Policy(per_applicant_max=1000)
    result = run(apps, 500, policy, {})
    check_reasons_true(apps, 500, policy, {}, result)
    assert "note.per_applicant_unknown_many" in {n.code for n in result.notes}


ORACLE_CODES = (
    POLICY_CODES
    | PER_APPLICANT_CODES
    | PER_APPLICANT_OFFICER_CODES
    | BELOW_MIN_CODES
    | {
        "reason.funded.full",
        "reason.funded.partial",
        "reason.budget.exhausted",
        "reason.line.stopped",
        "reason.lottery.line_stopped",
        "reason.reserve.position",
        "reason.lottery.drawn",
        "reason.lottery.not_drawn",
        "reason.lottery.above_band",
        "reason.lottery.below_band",
        "reason.override.fund",
        "reason.override.reject",
        "reason.override.reserve",
        "reason.override.above_eligible",
        "reason.override.outside_policy",
        "reason.override.above_per_applicant",
        "reason.override.above_per_applicant_earlier",
        "note.lottery.draw",
        "note.lottery.method",
        "note.lottery.no_line",
        "note.override.applied",
        "note.share_of_cost_unknown",
        "note.share_of_cost_unknown_many",
        "note.share_of_cost_unknown_all",
        "note.per_applicant_unknown",
        "note.per_applicant_unknown_many",
        "note.per_applicant_unknown_all",
        "note.tie_break_empty",
        "note.given_rank_ordered",
        "note.tie_at_line",
        "note.tie_at_line_not_by_order",
        "note.tie_at_reserve",
        "note.tie_per_applicant",
    }
)
"""The codes the oracle above checks (each has its branch in the checks)."""

NOT_HERE = {
    # Quotas are not drawn here: their reasons and the tie notes only a quota round settles
    # (ranked.settle_tie_notes) are checked by test_quotas and test_quota_look_ahead.
    "reason.quota.max_reached",
    "reason.quota.max_share_reached",
    "reason.quota.max_count_reached",
    "note.tie_at_quota",
    "note.tie_by_order",
    "note.tie_not_by_order",
    "note.tie_order_unchecked",
    "note.override.quotas_counted",
    # Other rules' reasons that overrides.py says again with the officer's decisions.
    "reason.optimal.per_applicant",
    "reason.optimal.per_applicant_earlier",
    "reason.optimal.per_applicant_by_selection",
    "reason.optimal.per_applicant_by_selection_earlier",
    "reason.proportional.per_applicant",
    "reason.proportional.per_applicant_alone",
}

FAMILIES = {
    # common.py: f"reason.{kind}.per_applicant…" (cap or ineligible).
    "reason.": PER_APPLICANT_CODES | PER_APPLICANT_OFFICER_CODES,
    "reason.cap.": PER_APPLICANT_CODES | PER_APPLICANT_OFFICER_CODES,
    "reason.ineligible.": PER_APPLICANT_CODES | PER_APPLICANT_OFFICER_CODES,
    "reason.lottery.": {"reason.lottery.above_band", "reason.lottery.below_band"},
    "reason.quota.": set(),
    "reason.optimal.": set(),
}
"""The codes a rule module builds from a prefix (an f-string or a test of ``startswith``)."""

_CODE = re.compile(r"""[\"']((?:reason|note)\.[a-z_.]*)[\"'{]""")


def test_the_oracle_knows_every_code_ranked_and_lottery_emit() -> None:
    """Every code the modules of ``ranked`` and ``lottery`` name (and what they use from
    common.py, overrides.py and the rules' __init__) is checked above, or is one this module
    does not draw: a new code without a check fails here."""
    folder = Path(tilskudd.rules.__file__).parent
    named: set[str] = set()
    for module in ("ranked.py", "lottery.py", "common.py", "overrides.py", "__init__.py"):
        for code in _CODE.findall((folder / module).read_text(encoding="utf-8")):
            if code.endswith("."):
                assert code in FAMILIES, f"{module}: codes made from {code!r} have no oracle"
                named |= FAMILIES[code]
            else:
                named.add(code)
    assert "reason.funded.full" in named  # the pattern finds the codes
    assert named - ORACLE_CODES - NOT_HERE == set()
    assert NOT_HERE.isdisjoint(ORACLE_CODES)
