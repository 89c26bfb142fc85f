"""Why one application got what it got, as an officer would justify it in a decision letter.

:func:`explain` takes an allocated round (:class:`~tilskudd.models.RoundResult`) and one
application id and returns an :class:`Explanation`: its score and rank (and who shares it), the
caps that applied with their figures, where the funding line fell, why it got this amount or
nothing, and what it would have taken to be funded in full. :func:`paragraphs` words it in
Norwegian or English from the catalogue (``[explain]``); :func:`to_data` gives it as JSON data.

What it would have taken is found by re-running the same allocation (same applications,
policy, overrides and earlier awards) with one thing changed, and every answer is checked by
such a run:

- **Score** (rules that rank by score): the lowest of the other applications' scores above its
  own (and the minimum score, if it was below it) at which it is funded in full. Funding only
  gets easier as a score rises under ``ranked`` (an application taken earlier finds at least as
  much budget left), so the candidates are searched by bisection; the answer is checked by a
  run at that score and one at the candidate below it, and if that check fails (a rule that is
  not monotone in the score) the candidates are tried in order instead. At a score equal to
  another's, the stated tie-break decides as usual.
- **Budget**: under ``ranked``, funding is not monotone in the budget when ``at_line = "skip"``
  (more money can fund an application above it that was passed over, which then takes the
  money). The budget given is the one at which the funding line reaches it: what the
  applications ranked above it received (all their eligible amounts with ``stop``/``partial``)
  plus its own eligible amount, raised again while the extra money goes to one above it
  (at most 8 times), and checked by a run. When that does not settle, and for other rules: a
  budget found by bisection between one at which it is not funded in full and one at which it
  is (every application above it funded in full, or everything applied for), checked at that
  budget and at 1 krone less. Under ``skip`` a smaller budget may exist that happens to fund it
  too; the answer is a budget that does, found as stated, not a proven minimum.

Every other application it names (one it shares its rank with, those of a tie note, another row
of the same project) is named as the published lists name it, ``Moss kommune – Felles arkiv
(645)``, so that a letter built from it says who, not only which id (:attr:`Explanation.others`).

An application the reader found twice (the same organisation number and project title on
another row) says so, with the other row and its decision, whatever its own decision was.

Rejected (invalid) applications are explained by their input problems with cells; one decided
by a manual override by the officer's decision and reason; one funded in an earlier round of a
programme by that. Pure: no I/O; the re-runs are ordinary calls of :func:`tilskudd.rules.allocate`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

from tilskudd.controls import visible
from tilskudd.currency import NOK, amount_unit, amounts_in
from tilskudd.errors import PolicyError, UsageError
from tilskudd.i18n import Phrase, as_sentence, get
from tilskudd.jsondata import change_data, plain, reason_data
from tilskudd.models import (
    ALREADY_FUNDED,
    Allocation,
    Application,
    Decision,
    Policy,
    Reason,
    RejectedRow,
    RoundResult,
    Status,
    funded_before,
    funded_before_ids,
)
from tilskudd.money import format_amount
from tilskudd.named import name_of, named, named_ids
from tilskudd.rules.common import natural_key, ranking, ranking_basis
from tilskudd.wording import (
    Change,
    change_sentences,
    issue_cell,
    issue_text,
    listed,
    reason_text,
    shortened,
    status_text,
)

__all__ = [
    "BudgetChange",
    "Duplicate",
    "Explanation",
    "FundingLine",
    "Named",
    "ScoreChange",
    "explain",
    "paragraphs",
    "sentences",
    "to_data",
    "with_changes",
]

DUPLICATE = "validate.duplicate_project"
"""The reader's warning of the same organisation number and project title on two rows."""
LINE_RULES = frozenset({"ranked", "lottery"})
"""Rules that fund in rank order down to a funding line."""
SHARING_RULES = frozenset({"proportional", "optimal"})
"""Rules that share the budget otherwise, each said in words of its own (``explain.line_...``)."""

Kind = Literal["allocated", "override", "rejected", "excluded"]


ScoreNote = Literal["none", "not_used", "given_rank", "unscored", "unavailable", "changed"]
"""Why there is no score what-if: none would do, the rule does not use it, ... or it could not
be worked out (a re-run the policy cannot meet), or the award was changed after the decision
(:func:`with_changes`): what would have changed the decision is no advice any more."""
BudgetNote = Literal["none", "unavailable"]


@dataclass(frozen=True)
class FundingLine:
    """Where the funding line fell: the last application the rule funded in rank order."""

    rank: int
    score: Decimal | None
    application_id: str
    remaining: int
    """What was left of the budget (the round's unallocated amount)."""
    budget: int


@dataclass(frozen=True)
class ScoreChange:
    """The lowest score at which the application would have been funded in full."""

    score: Decimal
    own: Decimal
    below: Decimal
    """The candidate just below (or its own score), at which it is not funded in full."""
    amount: int
    """What it would have received at ``score``."""
    by_min_score: bool
    """``score`` is the policy's minimum score, which it did not reach."""
    verified: bool
    runs: int


@dataclass(frozen=True)
class BudgetChange:
    """A budget at which the application would have been funded in full."""

    budget: int
    extra: int
    amount: int
    method: Literal["line", "bisect"]
    verified: bool
    runs: int


@dataclass(frozen=True)
class Duplicate:
    """Another row with the same organisation number and project title, and its decision."""

    row: int
    orgnr: str
    application_id: str | None
    """The other row's application (None if the round has no decision on that row)."""
    status: Status | None = None
    amount: int = 0


@dataclass(frozen=True)
class Named:
    """Another application the explanation names, with its applicant and project as read."""

    application_id: str
    applicant: str | None = None
    project: str | None = None

    @property
    def name(self) -> str:
        """As the published lists name it: ``Moss kommune – Felles arkiv (645)``; its id alone
        without applicant and project."""
        return name_of(self.application_id, self.applicant, self.project)


@dataclass(frozen=True)
class Explanation:
    """Everything said about one application, as data (words come from :func:`sentences`)."""

    application_id: str
    kind: Kind
    decision: Decision | None
    application: Application | None = None
    rejected: RejectedRow | None = None
    rule: str = ""
    budget: int = 0
    unallocated: int = 0
    count: int = 0
    """Applications ranked in the allocation."""
    tied_with: tuple[str, ...] = ()
    basis: str | None = None
    """``score`` or ``rank``: what the rank order was made from; None if unranked."""
    caps: tuple[Reason, ...] = ()
    """Cap and eligibility reasons, in the order applied."""
    outcome: tuple[Reason, ...] = ()
    """The other reasons: funded, budget exhausted, reserve position, override..."""
    line: FundingLine | None = None
    notes: tuple[Reason, ...] = ()
    """Round notes that bear on it (a tie across the line; a proportional share)."""
    score_change: ScoreChange | None = None
    score_note: ScoreNote | None = None
    budget_change: BudgetChange | None = None
    budget_note: BudgetNote | None = None
    problems: tuple[tuple[str, str, str], ...] = field(default=())
    """For a rejected application: (cell, problem code, problem text in English)."""
    changes: tuple[Change, ...] = ()
    """What was recorded since the decision, when it was committed to a programme's ledger
    (amendments and a withdrawal, in order): the decision explained is not the last word."""
    duplicates: tuple[Duplicate, ...] = ()
    """The other rows the reader found with the same organisation number and project title."""
    currency: str = NOK
    """The ISO 4217 code of the round's currency, which every amount here is in."""
    others: tuple[Named, ...] = ()
    """The other applications it names (by id in :attr:`tied_with`, the notes, the reasons, the
    duplicates and the funding line), with applicant and project, in the order first named."""

    @property
    def applicant(self) -> str | None:
        """The applicant as read (of a rejected row too, when its cell was valid)."""
        source = self.application or self.rejected
        return source.applicant if source else None

    @property
    def project(self) -> str | None:
        """The project title as read (of a rejected row too, when its cell was valid)."""
        source = self.application or self.rejected
        return source.project if source else None

    @property
    def name(self) -> str | None:
        """``applicant – project`` as the lists name the application; None without either."""
        return " – ".join(p for p in (self.applicant, self.project) if p) or None

    def names(self) -> dict[str, str]:
        """Each application it names, itself too, by id: as the published lists name it."""
        names = {o.application_id: o.name for o in self.others}
        if self.name:
            names[self.application_id] = f"{self.name} ({self.application_id})"
        return names


# --- finding the application -----------------------------------------------------------------


def _unknown(application_id: str, result: RoundResult) -> UsageError:
    ids = [d.application_id for d in result.allocation.decisions]
    folded = {i.casefold(): i for i in ids}
    # An id on several rows: each is told apart by the cell of its id, "F-15 (A17)".
    near = [i for i in ids if i.startswith(f"{application_id} (") and i.endswith(")")]
    if application_id.casefold() in folded:
        near.append(folded[application_id.casefold()])
    # "2009-11" for "2009-011": the same numbers in the same places.
    numbers = natural_key(application_id)[0]
    near += [i for i in ids if natural_key(i)[0] == numbers and i not in near]
    near += [
        i for i in difflib.get_close_matches(application_id, ids, n=5, cutoff=0.5) if i not in near
    ]
    source = (
        Phrase("output.error.in_file", file=visible(result.source.file)) if result.source else ""
    )
    if not near:
        first = ", ".join(sorted(ids, key=natural_key)[:5])
        more = " …" if len(ids) > 5 else ""
        return UsageError(
            key="output.error.no_id_runs", id=application_id, source=source, first=first, more=more
        )
    return UsageError(key="output.error.no_id", id=application_id, source=source, near=near)


# --- re-running the allocation ---------------------------------------------------------------


class _Runner:
    """Re-runs the round's allocation with one application's score or the budget changed."""

    def __init__(
        self,
        applications: Sequence[Application],
        budget: int,
        policy: Policy,
        application_id: str,
        prior_by_orgnr: Mapping[str, int] | None,
    ) -> None:
        self.apps = list(applications)
        self.budget = budget
        self.policy = policy
        self.id = application_id
        self.index = next(i for i, a in enumerate(self.apps) if a.id == application_id)
        self.prior = prior_by_orgnr
        self.runs = 0

    def run(self, *, score: Decimal | None = None, budget: int | None = None) -> Allocation:
        from tilskudd.rules import allocate

        apps = self.apps
        if score is not None:
            apps = list(apps)
            apps[self.index] = apps[self.index].model_copy(update={"score": score})
        self.runs += 1
        return allocate(
            apps,
            self.budget if budget is None else budget,
            self.policy,
            prior_by_orgnr=self.prior,
        )

    def decision(self, allocation: Allocation) -> Decision:
        return next(d for d in allocation.decisions if d.application_id == self.id)


def _first_true(
    candidates: Sequence[Any], test: Callable[[Any], bool]
) -> tuple[int | None, bool, dict[int, bool]]:
    """The index of the first candidate passing ``test``, assuming a monotone test (bisection);
    whether the answer was checked against its predecessor; the results seen."""
    seen: dict[int, bool] = {}

    def check(i: int) -> bool:
        if i not in seen:
            seen[i] = test(candidates[i])
        return seen[i]

    n = len(candidates)
    if n == 0 or not check(n - 1):
        return None, True, seen
    lo, hi = -1, n - 1  # check(lo) is False (lo = -1: the application as it is), check(hi) True
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if check(mid):
            hi = mid
        else:
            lo = mid
    if hi == 0 or not check(hi - 1):
        return hi, True, seen
    # Not monotone after all: the first that passes, in order (each run is cheap).
    for i in range(n):
        if check(i):
            return i, False, seen
    return None, False, seen  # pragma: no cover - check(n - 1) passed above


def _basis(rule: str, applications: Sequence[Application]) -> str | None:
    """What the rule ranked by: the lottery always by score (its band is a range of scores)."""
    basis = ranking_basis(applications)
    return "score" if rule == "lottery" and basis is not None else basis


def _score_change(
    runner: _Runner, app: Application, others: Sequence[Application], policy: Policy, rule: str
) -> tuple[ScoreChange | None, ScoreNote | None]:
    own = app.score
    if own is None:
        return None, "unscored"
    min_score = policy.min_score
    basis = _basis(rule, [*others, app])
    score_decides = basis == "score" and not (rule == "proportional" and policy.weight == "none")
    candidates: set[Decimal] = set()
    if min_score is not None and own < min_score:
        candidates.add(min_score)
    if score_decides:
        candidates.update(a.score for a in others if a.score is not None and a.score > own)
    if not candidates:
        if not score_decides:
            return None, "given_rank" if basis == "rank" else "not_used"
        return None, "none"
    ordered = sorted(candidates)
    amounts: dict[Decimal, int] = {}

    def funded(score: Decimal) -> bool:
        d = runner.decision(runner.run(score=score))
        amounts[score] = d.amount
        return d.status is Status.FUNDED

    index, verified, _ = _first_true(ordered, funded)
    if index is None:
        return None, "none"
    score = ordered[index]
    below = ordered[index - 1] if index else own
    return (
        ScoreChange(
            score=score,
            own=own,
            below=below,
            amount=amounts[score],
            by_min_score=score == min_score and own < score,
            verified=verified,
            runs=runner.runs,
        ),
        None,
    )


_LINE_STEPS = 8
"""How often the funding line is followed before bisection takes over (each step is a run)."""


def _budget_change(
    runner: _Runner, allocated: Sequence[Application], policy: Policy, rule: str
) -> BudgetChange | None:
    budget = runner.budget
    start = runner.runs
    lo = budget  # not funded in full at this budget (the caller's premise)
    hi = budget + sum(a.requested for a in allocated)  # everyone's request: surely enough
    # A quota's maximum share grows with the budget: at this budget every share is room enough
    # for all the requests (a maximum of 0 never grows, and a maximum amount never does).
    shares = [q.max_share for q in policy.quotas if q.max_share]
    if shares:
        total = sum(a.requested for a in allocated)
        num, den = min(shares).as_integer_ratio()
        hi = max(hi, -(-total * den // num))
    if rule == "ranked":
        current = budget
        for _ in range(_LINE_STEPS):
            allocation = runner.run(budget=current)
            decisions = allocation.decisions
            k = next(i for i, d in enumerate(decisions) if d.application_id == runner.id)
            mine = decisions[k]
            if mine.status is Status.FUNDED:
                if current == budget:
                    return None  # funded already: nothing to find
                return BudgetChange(
                    budget=current,
                    extra=current - budget,
                    amount=mine.amount,
                    method="line",
                    verified=True,
                    runs=runner.runs - start,
                )
            lo = current
            eligible = mine.eligible_amount or 0
            if not eligible:
                return None
            overrides = sum(d.amount for d in decisions if d.override)
            everyone_above = sum(d.eligible_amount or 0 for d in decisions[:k] if not d.override)
            # With every application above it funded in full there is room for it: a bound,
            # unless a quota's maximum stood in the way, which only a larger budget may widen.
            if not policy.quotas:
                hi = min(hi, overrides + everyone_above + eligible)
            if policy.at_line == "skip":
                above = sum(d.amount for d in decisions[:k] if not d.override)
            else:
                above = everyone_above  # a strict line: all above must be funded first
            wanted = overrides + above + eligible
            if wanted <= current or wanted > hi:
                break
            current = wanted
        # Each step funded another application passed over above it: bisect instead.

    amounts: dict[int, int] = {}

    def funded(candidate: int) -> bool:
        d = runner.decision(runner.run(budget=candidate))
        amounts[candidate] = d.amount
        return d.status is Status.FUNDED

    if hi <= lo or not funded(hi):
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if funded(mid):
            hi = mid
        else:
            lo = mid
    return BudgetChange(
        budget=hi,
        extra=hi - budget,
        amount=amounts[hi],
        method="bisect",
        verified=True,  # funded at hi, not at hi - 1 = lo: both were run
        runs=runner.runs - start,
    )


# --- the explanation -------------------------------------------------------------------------


def _funding_line(allocation: Allocation, by_id: Mapping[str, Application]) -> FundingLine | None:
    last: Decision | None = None
    for d in allocation.decisions:
        if (
            d.amount > 0
            and not d.override
            and d.rank is not None
            and (last is None or (last.rank is not None and d.rank >= last.rank))
        ):
            last = d
    if last is None or last.rank is None:
        return None
    app = by_id.get(last.application_id)
    return FundingLine(
        rank=last.rank,
        score=app.score if app else None,
        application_id=last.application_id,
        remaining=allocation.unallocated,
        budget=allocation.budget,
    )


def _same_place(
    applications: Sequence[Application], policy: Policy, application_id: str, shown: set[str]
) -> tuple[str, ...]:
    """Those of ``shown`` (the ones showing its rank, tied) that share ``application_id``'s
    place in the rank order: equal on the given rank and every tie-break column."""
    order, ranks, _ = ranking(applications, policy, required=False)
    place = {applications[i].id: rank for i, rank in zip(order, ranks, strict=True)}
    mine = place.get(application_id)
    return tuple(
        a for a in sorted(shown, key=natural_key) if mine is not None and place.get(a) == mine
    )


def _names(note: Reason, application_id: str) -> bool:
    """True if a round note lists the application (a tie across the funding line)."""
    return application_id in named_ids(note)


def _others(result: RoundResult, explanation: Explanation) -> tuple[Named, ...]:
    """The other applications ``explanation`` names, each with its applicant and project."""
    e = explanation
    ids: list[str] = list(e.tied_with)
    for reason in (*e.caps, *e.outcome, *e.notes):
        ids.extend(named_ids(reason))
    ids.extend(d.application_id for d in e.duplicates if d.application_id is not None)
    if e.line is not None:
        ids.append(e.line.application_id)
    rejected = result.rejected_by_id()
    others: list[Named] = []
    seen = {e.application_id}
    for other in ids:
        if other in seen:
            continue
        seen.add(other)
        source = result.application(other) or rejected.get(other)
        applicant = source.applicant if source is not None else None
        project = source.project if source is not None else None
        others.append(Named(other, applicant, project))
    return tuple(others)


def _is_cap(reason: Reason) -> bool:
    return reason.code.startswith(("reason.cap.", "reason.ineligible."))


def _duplicates(result: RoundResult, application_id: str, row: int | None) -> tuple[Duplicate, ...]:
    """The other rows of the reader's duplicate warning on this application's row."""
    if not result.issues:
        return ()
    warned = [
        i
        for i in result.issues
        if i.code == DUPLICATE
        and (
            i.location is not None and i.location.row == row
            if row is not None
            else i.application_id == application_id
        )
    ]
    if not warned:
        return ()
    at_row: dict[int, tuple[str, Decision | None]] = {}
    decisions = result.allocation.by_id()
    for application in result.applications:
        if application.row is not None:
            at_row[application.row] = (application.id, decisions.get(application.id))
    for rejected in result.rejected:
        if rejected.row is not None:
            at_row.setdefault(rejected.row, (rejected.id, decisions.get(rejected.id)))
    found: list[Duplicate] = []
    for issue in warned:
        orgnr = str(issue.params.get("orgnr", ""))
        others = issue.params.get("other_rows")
        for text in others if isinstance(others, list | tuple) else ():
            other = int(text)
            other_id, decision = at_row.get(other, (None, None))
            found.append(
                Duplicate(
                    row=other,
                    orgnr=orgnr,
                    application_id=other_id,
                    status=decision.status if decision else None,
                    amount=decision.amount if decision else 0,
                )
            )
    return tuple(found)


def explain(
    result: RoundResult,
    application_id: str,
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
    what_if: bool = True,
) -> Explanation:
    """Explain the decision on ``application_id`` in ``result`` (see the module docstring).

    ``prior_by_orgnr`` must be what the round was allocated with (earlier rounds of a
    programme) for the re-runs to reproduce it. ``what_if=False`` leaves out the re-runs.
    Raises :class:`~tilskudd.errors.UsageError` for an unknown id, naming the nearest ids.
    """
    explanation = _explain(result, application_id, prior_by_orgnr=prior_by_orgnr, what_if=what_if)
    application = explanation.application
    row = (
        application.row
        if application is not None
        else explanation.rejected.row
        if explanation.rejected is not None
        else None
    )
    duplicates = _duplicates(result, explanation.application_id, row)
    if duplicates:
        explanation = replace(explanation, duplicates=duplicates)
    others = _others(result, explanation)
    return replace(explanation, others=others) if others else explanation


def with_changes(
    explanation: Explanation, changes: Sequence[Change], *, what_if: bool = True
) -> Explanation:
    """``explanation`` with what a programme's ledger recorded after the decision (amendments
    and a withdrawal, in order).

    An award changed since stands as the ledger has it, so what would have funded the decision
    in full (a higher score, a larger budget) is advice that no longer applies: left out, and
    said to be (``score_note == "changed"``) where ``what_if`` would have given it."""
    if not changes:
        return explanation
    decision = explanation.decision
    would_advise = (
        what_if
        and explanation.kind == "allocated"
        and decision is not None
        and decision.status is not Status.FUNDED
    )
    return replace(
        explanation,
        changes=tuple(changes),
        score_change=None,
        score_note="changed" if would_advise else None,
        budget_change=None,
        budget_note=None,
    )


def _explain(
    result: RoundResult,
    application_id: str,
    *,
    prior_by_orgnr: Mapping[str, int] | None,
    what_if: bool,
) -> Explanation:
    allocation = result.allocation
    decisions = allocation.by_id()
    # Ids are read without the spaces around them; a cell copied from Excel brings a line break.
    if application_id not in decisions and application_id.strip() in decisions:
        application_id = application_id.strip()
    decision = decisions.get(application_id)
    if decision is None:
        from tilskudd.validation import same_row_told_apart

        # "F-15 (row 17)", as earlier versions told apart a repeated id, and "F-15 (rad 17)", as
        # a Norwegian message about its row says it, are "F-15 (A17)": a rejected row's id.
        application_id = next(
            (
                i
                for i, found in decisions.items()
                if i.endswith(")")
                and found.status is Status.REJECTED
                and same_row_told_apart(application_id, i)
            ),
            application_id,
        )
        decision = decisions.get(application_id)
    if decision is None:
        # "s-01" for "S-01", as amend, withdraw and history find it; not when two ids of the
        # round differ only in case (a round compares ids as written): that one is not guessed.
        folded = application_id.strip().casefold()
        same = [i for i in decisions if i.casefold() == folded]
        if len(same) == 1:
            application_id = same[0]
            decision = decisions[application_id]
    if decision is None:
        raise _unknown(application_id, result)
    rule = allocation.rule
    rejected = next((r for r in result.rejected if r.id == application_id), None)
    if decision.status is Status.REJECTED:
        problems = tuple(
            (issue_cell(i, "en"), i.code, issue_text(i, "en"))
            for i in (rejected.issues if rejected else ())
            if i.is_error
        )
        return Explanation(
            application_id,
            "rejected",
            decision,
            rejected=rejected,
            rule=rule,
            budget=allocation.budget,
            unallocated=allocation.unallocated,
            outcome=decision.reasons,
            problems=problems,
            currency=result.currency,
        )
    app = result.application(application_id)
    if funded_before(decision):
        # The caps and the min_score verdict recorded beside it are for an amendment to be held
        # to (tilskudd.rounds): the round did not consider the application, so they decided
        # nothing here and are not said.
        return Explanation(
            application_id,
            "excluded",
            decision,
            application=app,
            rule=rule,
            budget=allocation.budget,
            unallocated=allocation.unallocated,
            caps=tuple(r for r in decision.reasons if _is_cap(r)),
            outcome=tuple(r for r in decision.reasons if not _is_cap(r)),
            currency=result.currency,
        )
    assert app is not None
    excluded = funded_before_ids(allocation.decisions)
    allocated = [a for a in result.applications if a.id not in excluded]
    by_id = {a.id: a for a in allocated}
    ranked = [d for d in allocation.decisions if d.rank is not None]
    # Tied: the same rank, and marked so. A given rank that a tie-break column ordered is shown
    # on each of them as given, without being a tie, or split into ties that all show it (3=):
    # the tie is the applications equal on the rank and every tie-break column.
    tied_with = tuple(
        d.application_id
        for d in ranked
        if decision.tied
        and d.tied
        and d.rank == decision.rank
        and d.application_id != application_id
    )
    if tied_with and _basis(rule, allocated) == "rank":
        tied_with = _same_place(allocated, allocation.policy, application_id, set(tied_with))
    basis = _basis(rule, allocated) if decision.rank is not None else None
    caps = tuple(r for r in decision.reasons if _is_cap(r))
    outcome = tuple(r for r in decision.reasons if not _is_cap(r))
    line = _funding_line(allocation, by_id) if rule in LINE_RULES else None
    if rule in LINE_RULES:
        notes = tuple(n for n in allocation.notes if _names(n, application_id))
    else:
        # The round's notes on how it shared the budget; a note on a tie among others is no
        # part of this application's justification.
        notes = tuple(
            n
            for n in allocation.notes
            if not n.code.startswith("note.override.")
            and (not named_ids(n) or _names(n, application_id))
        )
    kind: Kind = "override" if decision.override else "allocated"
    explanation = Explanation(
        application_id,
        kind,
        decision,
        application=app,
        rule=rule,
        budget=allocation.budget,
        unallocated=allocation.unallocated,
        count=len(ranked),
        tied_with=tied_with,
        basis=basis,
        caps=caps,
        outcome=outcome,
        line=line,
        notes=notes,
        currency=result.currency,
    )
    if not what_if or kind == "override" or decision.status is Status.FUNDED:
        return explanation

    policy = allocation.policy
    if policy.seed is None and allocation.seed is not None:
        policy = policy.model_copy(update={"seed": allocation.seed})
    runner = _Runner(allocated, allocation.budget, policy, application_id, prior_by_orgnr)
    others = [a for a in allocated if a.id != application_id]
    # A re-run at another score or budget may be impossible under the policy (quota minimums
    # that a greedy pass cannot meet at some budgets): that what-if is then said to be
    # unavailable, and the explanation of the decision itself still stands.
    score_note: ScoreNote | None
    try:
        score_change, score_note = _score_change(runner, app, others, policy, rule)
    except PolicyError:
        score_change, score_note = None, "unavailable"
    budget_note: BudgetNote | None
    try:
        budget_change = _budget_change(runner, allocated, policy, rule)
        budget_note = None if budget_change is not None else "none"
    except PolicyError:
        budget_change, budget_note = None, "unavailable"
    return replace(
        explanation,
        score_change=score_change,
        score_note=score_note,
        budget_change=budget_change,
        budget_note=budget_note,
    )


# --- words -----------------------------------------------------------------------------------


def _joined(reasons: Sequence[Reason], lang: str, names: Mapping[str, str]) -> str:
    return " ".join(as_sentence(reason_text(named(r, names), lang)) for r in reasons)


def paragraphs(explanation: Explanation, lang: str) -> list[list[str]]:
    """The justification in ``lang`` as paragraphs of sentences, in a decision letter's order.

    The first paragraph is the heading alone (``Justification for application S-14``); then
    what the application is (score, rank, amount, caps); where the line fell and the outcome;
    what would have changed it; last, how that was found (which a letter may leave out). For a
    rejected application: why, then one line per input problem with its cell. Its amounts are
    said in the round's currency.
    """
    with amounts_in(explanation.currency):
        return _paragraphs(explanation, lang)


def _paragraphs(explanation: Explanation, lang: str) -> list[list[str]]:
    t = get(lang)
    e = explanation
    d = e.decision
    # Every application it names, by applicant and project as the lists name them.
    names = e.names()
    # Named as the lists name it, so that a letter or a reader can tell which application it is.
    title = [
        t("explain.title_named", id=e.application_id, name=e.name)
        if e.name
        else t("explain.title", id=e.application_id)
    ]
    if e.kind == "rejected":
        lines = [t("explain.rejected", n=len(e.problems))]
        issues = [i for i in (e.rejected.issues if e.rejected else ()) if i.is_error]
        for issue in issues:
            cell = issue_cell(issue, lang)
            text = issue_text(issue, lang)
            lines.append(f"{cell}: {text}" if cell else text)
        if not issues and d is not None:
            lines.append(_joined(d.reasons, lang, names))
        return [p for p in (title, lines, _twice(e, lang)) if p]
    if e.kind == "excluded":
        # One sentence, the reason going on after the colon, then any other (an officer's
        # decision in the sheet that was not applied) as a sentence of its own.
        funded = next(r for r in e.outcome if r.code == ALREADY_FUNDED)
        others = [r for r in e.outcome if r.code != ALREADY_FUNDED]
        excluded = [t("explain.already_funded", **funded.params)]
        excluded.extend(as_sentence(reason_text(named(r, names), lang)) for r in others)
        return [p for p in (title, excluded, _twice(e, lang)) if p]
    app = e.application
    assert app is not None
    assert d is not None
    facts: list[str] = []
    # Score and rank.
    if d.rank is not None and e.basis == "score" and app.score is not None:
        if e.tied_with:
            facts.append(
                t(
                    "explain.score_rank_tied",
                    score=app.score,
                    rank=d.rank,
                    count=e.count,
                    others=listed([names.get(i, i) for i in e.tied_with], t),
                )
            )
        else:
            facts.append(t("explain.score_rank", score=app.score, rank=d.rank, count=e.count))
    elif d.rank is not None and e.tied_with:
        facts.append(
            t(
                "explain.given_rank_tied",
                n=e.count,
                rank=d.rank,
                others=listed([names.get(i, i) for i in e.tied_with], t),
            )
        )
    elif d.rank is not None:
        facts.append(t("explain.given_rank", n=e.count, rank=d.rank))
    elif app.score is not None:
        facts.append(t("explain.score_only", score=app.score))
    else:
        facts.append(t("explain.unranked"))
    # What it applied for and the caps.
    if app.total_cost is not None:
        facts.append(
            t("explain.requested_cost", requested=app.requested, total_cost=app.total_cost)
        )
    else:
        facts.append(t("explain.requested", requested=app.requested))
    if e.kind == "override":
        decided_by = [t("explain.override", text=_joined(e.outcome, lang, names))]
        return [p for p in (title, facts, _twice(e, lang), decided_by, _since(e, lang)) if p]
    eligible = d.eligible_amount or 0
    if e.caps:
        facts.extend(as_sentence(reason_text(named(r, names), lang)) for r in e.caps)
        facts.append(
            t("explain.eligible", eligible=eligible) if eligible else t("explain.ineligible")
        )
    else:
        facts.append(t("explain.no_caps"))
    # The funding line (or how the rule shared the budget), and the outcome.
    decided: list[str] = []
    if e.rule in LINE_RULES:
        if e.line is None:
            decided.append(t("explain.line_none", remaining=e.unallocated, budget=e.budget))
        elif e.line.score is not None and e.basis == "score":
            decided.append(
                t(
                    "explain.line",
                    rank=e.line.rank,
                    score=e.line.score,
                    remaining=e.line.remaining,
                    budget=e.line.budget,
                )
            )
        else:
            decided.append(
                t(
                    "explain.line_no_score",
                    rank=e.line.rank,
                    remaining=e.line.remaining,
                    budget=e.line.budget,
                )
            )
    else:
        # Said in words: "the proportional rule" alone tells an applicant nothing.
        key = f"explain.line_{e.rule}" if e.rule in SHARING_RULES else "explain.line_unranked"
        decided.append(t(key, rule=e.rule, budget=e.budget, remaining=e.unallocated))
    decided.extend(as_sentence(reason_text(shortened(named(n, names), t), lang)) for n in e.notes)
    if d.status is Status.FUNDED:
        decided.append(t("explain.funded", amount=d.amount))
    elif d.status is Status.PARTLY_FUNDED:
        decided.append(t("explain.partly_funded", amount=d.amount, eligible=eligible))
    elif d.status is Status.RESERVE:
        decided.append(t("explain.reserve"))
    else:
        decided.append(t("explain.not_funded"))
    if e.outcome:
        decided.append(t("explain.why", text=_joined(e.outcome, lang, names)))
    if _passed_over(e):
        # Ranked above the last one funded and still left out: said, or the line reads as if
        # it should have been funded.
        decided.append(t("explain.passed_over", line=e.line.rank if e.line else 0))
    # What it would have taken, and how that was found.
    changes: list[str] = []
    methods: list[str] = []
    s = e.score_change
    if s is not None:
        if s.by_min_score:
            key = "explain.score_change_min"
        elif s.below != s.own:
            key = "explain.score_change_below"
        else:
            key = "explain.score_change"
        changes.append(t(key, score=s.score, own=s.own, below=s.below, amount=s.amount))
        methods.append(t("explain.method_score"))
    elif e.score_note is not None and e.score_note != "unscored":
        changes.append(t(f"explain.score_{e.score_note}"))
    b = e.budget_change
    if b is not None:
        changes.append(t("explain.budget_change", budget=b.budget, extra=b.extra, amount=b.amount))
        methods.append(t(f"explain.method_budget_{b.method}"))
    elif e.budget_note is not None:
        changes.append(t(f"explain.budget_{e.budget_note}"))
    paragraphs = (title, facts, _twice(e, lang), decided, _since(e, lang), changes, methods)
    return [p for p in paragraphs if p]


def _passed_over(e: Explanation) -> bool:
    """True for an application the budget did not reach at its turn, ranked above the last one
    funded: the rule went on to smaller ones below it that fitted (``at_line = "skip"``)."""
    d = e.decision
    return (
        e.rule in LINE_RULES
        and d is not None
        and d.amount == 0
        and d.rank is not None
        and e.line is not None
        and d.rank < e.line.rank
        and any(r.code == "reason.budget.exhausted" for r in e.outcome)
    )


def _twice(explanation: Explanation, lang: str) -> list[str]:
    """The other rows with the same organisation number and project title, each with its
    decision, then the reader's question: a letter must not pass over a project applied for
    (or funded) twice."""
    if not explanation.duplicates:
        return []
    t = get(lang)
    names = explanation.names()
    lines = []
    for other in explanation.duplicates:
        # 1: the organisation is an identifier in another register, not an organisation number
        register = int(not (len(other.orgnr) == 9 and other.orgnr.isdigit()))
        if other.application_id is None or other.status is None:
            lines.append(
                t("explain.duplicate_row", row=other.row, orgnr=other.orgnr, register=register)
            )
            continue
        outcome = status_text(other.status, lang)
        if other.amount:
            outcome = f"{outcome} {format_amount(other.amount, lang, currency=amount_unit())}"
        lines.append(
            t(
                "explain.duplicate",
                row=other.row,
                orgnr=other.orgnr,
                register=register,
                id=names.get(other.application_id, other.application_id),
                outcome=outcome,
            )
        )
    lines.append(t("explain.duplicate_ask"))
    return lines


def _since(explanation: Explanation, lang: str) -> list[str]:
    """What the ledger recorded after the decision, then what the award is now."""
    return change_sentences(explanation.changes, lang)


def sentences(explanation: Explanation, lang: str) -> list[str]:
    """Every sentence of :func:`paragraphs`, the heading first."""
    return [line for paragraph in paragraphs(explanation, lang) for line in paragraph]


def to_data(explanation: Explanation, lang: str) -> dict[str, Any]:
    """The explanation as JSON-able data, with its sentences in ``lang`` and its amounts in the
    round's currency (``currency``)."""
    with amounts_in(explanation.currency):
        return _to_data(explanation, lang)


def _to_data(explanation: Explanation, lang: str) -> dict[str, Any]:
    e = explanation
    d = e.decision
    app = e.application
    said = sentences(e, lang)
    named_by = {o.application_id: (o.applicant, o.project) for o in e.others}
    data: dict[str, Any] = {
        "id": e.application_id,
        "applicant": e.applicant,
        "project": e.project,
        "kind": e.kind,
        "rule": e.rule,
        "budget": e.budget,
        "status": d.status.value if d else None,
        "amount": d.amount if d else None,
        "requested": app.requested if app else (d.requested if d else None),
        "eligible_amount": d.eligible_amount if d else None,
        "override": bool(d and d.override),
        # A rejected row's as read, when its cell was valid (another cell was not).
        "score": plain(app.score) if app else (plain(e.rejected.score) if e.rejected else None),
        "rank": d.rank if d else None,
        "ranked": e.count,
        "tied_with": list(e.tied_with),
        "caps": [reason_data(r, lang) for r in e.caps],
        "reasons": [reason_data(r, lang) for r in e.outcome],
        "notes": [reason_data(r, lang) for r in e.notes],
        "line": None,
        "what_if": {
            "score": None,
            "score_note": e.score_note,
            "budget": None,
            "budget_note": e.budget_note,
        },
        # Said in ``lang``, as the sentences are (``e.problems`` has them in English).
        "problems": [
            {"cell": issue_cell(i, lang), "code": i.code, "text": issue_text(i, lang)}
            for i in (e.rejected.issues if e.rejected else ())
            if i.is_error
        ],
        # Every other application named, with applicant and project: the sentences name them
        # so; the ids in tied_with, notes, reasons, duplicates and line are looked up here.
        "others": [
            {"id": o.application_id, "applicant": o.applicant, "project": o.project, "name": o.name}
            for o in e.others
        ],
        "duplicates": [
            {
                "row": o.row,
                "id": o.application_id,
                "applicant": named_by.get(o.application_id or "", (None, None))[0],
                "project": named_by.get(o.application_id or "", (None, None))[1],
                "orgnr": o.orgnr,
                "status": o.status.value if o.status else None,
                "amount": o.amount,
            }
            for o in e.duplicates
        ],
        "changes": [change_data(c) for c in e.changes],
        "heading": said[0],
        "sentences": said[1:],
        "text": " ".join(said[1:]),
        # What every amount here is in, as the JSON of allocate records it (NOK too).
        "currency": e.currency,
    }
    if e.changes:
        # What stands now beside the decision, as the JSON of allocate --round N gives them:
        # "amount" and "status" are the decision's.
        last = e.changes[-1]
        data["amount_now"] = last.amount_after
        data["status_now"] = "withdrawn" if last.kind == "withdraw" else "amended"
    if e.line is not None:
        data["line"] = {
            "rank": e.line.rank,
            "score": plain(e.line.score),
            "application": e.line.application_id,
            "remaining": e.line.remaining,
            "budget": e.line.budget,
        }
    if e.score_change is not None:
        s = e.score_change
        data["what_if"]["score"] = {
            "score": plain(s.score),
            "own": plain(s.own),
            "below": plain(s.below),
            "amount": s.amount,
            "by_min_score": s.by_min_score,
            "verified": s.verified,
            "method": "bisection over the other applications' scores, checked by re-running",
        }
    if e.budget_change is not None:
        b = e.budget_change
        data["what_if"]["budget"] = {
            "budget": b.budget,
            "extra": b.extra,
            "amount": b.amount,
            "method": b.method,
            "verified": b.verified,
        }
    return data
