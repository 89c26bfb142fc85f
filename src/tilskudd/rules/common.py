"""What every allocation rule shares: eligibility, caps, rank order, per-applicant totals, results.

A rule is ``rule(applications, budget, policy) -> Allocation``; this module holds the pieces that do
not depend on how the money is divided, so that every rule (ranked, proportional, and later
optimal and lottery) agrees on them.

Eligibility, in this order (the first that fails decides; its reason is recorded):

1. ``min_score``: a score below it is not eligible (``reason.ineligible.below_min_score``).
2. The caps, applied to the amount requested in a fixed order, each recording a reason when it
   binds (lowers the amount): ``max_award`` (``reason.cap.max_award``), then ``max_share_of_cost``
   (``reason.cap.share_of_cost``: ``floor(share × total_cost)``, exact; an application without a
   total cost cannot be capped by it and gets ``reason.cap.share_of_cost_unknown`` instead), then
   ``round_to`` (``reason.cap.round_to``: down to a multiple). The result is the eligible amount.
3. ``min_award``: an eligible amount below it (or of 0 kr) is not eligible
   (``reason.ineligible.below_min_award`` / ``reason.ineligible.nothing_after_caps``).
4. ``per_applicant_max`` is a running total per organisation number, kept by the rule in the order
   it funds (:class:`ApplicantTotals`); applications without an orgnr are not grouped.

The rank order (:func:`rank_order`):

- A given ``rank`` (lower first) is "a given order" and wins when every application has one; the
  scores are then used only for ``min_score``. Otherwise the ``score`` decides, higher first.
  Rules that rank call :func:`require_ranking`, which refuses a mix (some with only a rank, some
  with only a score) or applications with neither, naming how many.
- Then ``policy.tie_break``: Application fields or carried-through columns (``extra``), each
  ascending or descending; an empty value sorts last in either direction; numbers sort before
  text, and a text that is a plain number ("4,5" in a CSV: :func:`tilskudd.money.plain_number`)
  is that number; other text sorts naturally ("S2" before "S10").
- Then the id, in natural order — but only to fix the processing order. Applications equal on the
  score (or rank) and every tie-break column share a rank number (competition ranking: 1, 2, 2, 4)
  and are marked ``tied``; a tie whose members end up on both sides of the funding line is
  reported in the allocation's notes (``note.tie_at_line``), never broken silently by row order.
- The rank numbers the rules work with are these competition ranks: an application not tied is
  at rank ``position + 1``, and a tie is told apart from its neighbours by its number. Ranks the
  officer gave are shown as given (1, 3, 4 when no. 2 was withdrawn, not 1, 2, 3): a rule that
  ranked on the given ranks shows them in its decisions, reasons and notes
  (:func:`given_rank_labels`, :func:`shown_ranks`, :func:`relabel_notes`). Equal given ranks
  that the tie-break columns order keep the number given, without the tie mark (or with it,
  among those the columns leave equal), and a note says the order the columns put them in
  (:func:`given_rank_notes`, ``note.given_rank_ordered``).

Reasons on a decision are in story order: eligibility and caps first, then the outcome, then the
reserve position. Every code starts with ``reason.`` or ``note.`` and has a text in each
``locales/*.toml``. Amounts in parameters are ``int`` kroner, shares are ``Decimal`` fractions.

Speed: a round of 100 000 applications has to allocate in about half a second. Decisions and
reasons are named tuples (:class:`~tilskudd.models.Decision`), made by :func:`make_decision`,
:func:`make_reason` and :func:`decisions_by_position` from values this package computed itself;
:func:`build_allocation` checks every invariant that matters (whole kroner, status fits amount,
ids once, caps, ``round_to``, ``min_award``) in one pass, and the
:class:`~tilskudd.models.Allocation` model the budget and the sums. The rules that fund many
applications (ranked, proportional) work out eligibility in the applications' own order
(:meth:`Caps.eligible_all`) and then work on plain lists by position (:func:`ranking`): reading
100 000 application objects in rank order costs more than the arithmetic (docs/benchmarks.md).
"""

from __future__ import annotations

import functools
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_DOWN, Decimal
from itertools import repeat
from operator import is_
from typing import Any, Literal, NamedTuple, ParamSpec, TypeVar, cast

from tilskudd.collector import collector_paused
from tilskudd.errors import AllocationInvariantError, PolicyError, TilskuddError
from tilskudd.i18n import Phrase
from tilskudd.models import (
    DECISIONS_CHECKED,
    Allocation,
    Application,
    Decision,
    ParamValue,
    Policy,
    Reason,
    Status,
    check_decisions,
    other_organisation_key,
)
from tilskudd.money import plain_number

__all__ = [
    "PER_APPLICANT_CODES",
    "PER_APPLICANT_OFFICER_CODES",
    "RANK_PARAMS",
    "AllocationInvariantError",
    "ApplicantTotals",
    "Caps",
    "Eligibility",
    "RankFields",
    "RankedEntry",
    "Ranking",
    "build_allocation",
    "check_unique_ids",
    "decisions_by_position",
    "decisions_of",
    "eligible_amount",
    "empty_tie_break_columns",
    "floor_to",
    "gc_paused",
    "given_labels_of",
    "given_rank_labels",
    "given_rank_notes",
    "inverse_order",
    "make_decision",
    "make_reason",
    "natural_key",
    "natural_keys",
    "per_applicant_filled",
    "per_applicant_officer_first",
    "rank_order",
    "ranking",
    "ranking_basis",
    "ranking_problem",
    "read_rank_fields",
    "relabel_notes",
    "relabel_reason",
    "require_ranking",
    "require_scores",
    "score_places",
    "score_reason",
    "scores_problem",
    "share_decimal",
    "shown_ranks",
    "tie_break_problems",
    "tie_notes",
    "tie_notes_by_position",
]

RankingBasis = Literal["rank", "score"]
Outcome = Literal["funded", "partly_funded", "unfunded"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


# --------------------------------------------------------------------------------------------
# Building results fast


# Decisions and reasons are named tuples; in the hot paths they are made with tuple.__new__ from
# values in field order (what the generated __new__ does, without its argument handling).
_tuple_new = tuple.__new__


def _reason(code: str, params: dict[str, Any]) -> Reason:
    return _tuple_new(Reason, (code, params))


def gc_paused(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` inside :func:`tilskudd.collector.collector_paused`.

    A rule builds a few hundred thousand small objects and no reference cycles; the collector
    would walk every one of them again and again, which made a 100 000-application round 3-5x
    slower (measured: 3.6 s against 1.8 s on a loaded 2-core machine). Reference counting still
    frees everything; the result does not depend on it.
    """

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with collector_paused():
            return function(*args, **kwargs)

    return wrapper


def make_reason(code: str, **params: ParamValue) -> Reason:
    """A :class:`Reason` with ``code`` and ``params`` (the code and parameters come from a rule)."""
    return _tuple_new(Reason, (code, params))


def make_decision(
    application: Application,
    status: Status,
    amount: int,
    *,
    eligible: int | None,
    rank: int | None,
    tied: bool,
    reasons: Sequence[Reason],
    override: bool = False,
) -> Decision:
    """A :class:`Decision` on ``application``; :func:`build_allocation` checks it."""
    return _tuple_new(
        Decision,
        (
            application.id,
            status,
            amount,
            application.requested,
            eligible,
            rank,
            tied,
            override,
            tuple(reasons),
        ),
    )


def decisions_of(
    entries: Sequence[RankedEntry],
    statuses: Sequence[Status],
    amounts: Sequence[int],
    eligibles: Sequence[int],
    reasons: Sequence[Sequence[Reason]],
) -> list[Decision]:
    """One decision per entry from parallel lists (what :func:`make_decision` does, in bulk)."""
    return [
        _tuple_new(
            Decision,
            (app.id, status, amount, app.requested, eligible, rank, tied, False, tuple(why)),
        )
        for (app, _, rank, tied), status, amount, eligible, why in zip(
            entries, statuses, amounts, eligibles, reasons, strict=True
        )
    ]


def inverse_order(positions: Sequence[int]) -> array[int]:
    """``position_of[i]``: where application ``i`` is in ``positions`` (its inverse)."""
    position_of = array("q", bytes(8 * len(positions)))
    for k, i in enumerate(positions):
        position_of[i] = k
    return position_of


def decisions_by_position(
    found: Eligibility,
    positions: Sequence[int],
    statuses: Sequence[Status],
    amounts: Sequence[int],
    eligibles: Sequence[int],
    ranks: Sequence[int | None],
    tied: Sequence[bool],
    outcome: Sequence[Reason | None],
    before: Mapping[int, list[Reason]] | None = None,
    after: Mapping[int, list[Reason]] | None = None,
    *,
    position_of: Sequence[int] | None = None,
) -> list[Decision]:
    """The decisions of a rule that worked by position, in processing order.

    ``found`` is what :meth:`Caps.eligible_all` gave, in the applications' order (their ids,
    requests and reasons); ``positions[k]`` is the index of the application at position ``k``,
    and the other sequences are by position. An application's reasons are its tuple in
    ``found.reasons`` (eligibility and caps; replaced here when ``before`` adds to it),
    then ``before[k]``, ``outcome[k]`` and ``after[k]``. The decisions are made walking the
    applications in their own order, which at 100 000 of them is what keeps the objects this
    reads close together in memory; ``position_of`` is :func:`inverse_order` of ``positions``
    if the caller has it already (it is what :func:`build_allocation` checks them in).
    """
    ids, requested, reasons_in = found.ids, found.requested, found.reasons
    n = len(positions)
    position_of = inverse_order(positions) if position_of is None else position_of
    decisions: list[Decision] = [None] * n  # type: ignore[list-item]  # every slot is filled
    new = _tuple_new
    # The few applications with reasons before or after the outcome are dealt with outside the
    # loop: "before" joins the eligibility reasons now, "after" is added to the decision below.
    for k, more in (before or {}).items():
        i = positions[k]
        reasons_in[i] = (*reasons_in[i], *more)
    for i, k in enumerate(position_of):
        said = outcome[k]
        # The eligibility tuple itself, or joined to the outcome (no list in between).
        reasons = reasons_in[i] if said is None else reasons_in[i] + (said,)
        decisions[k] = new(
            Decision,
            (
                ids[i],
                statuses[k],
                amounts[k],
                requested[i],
                eligibles[k],
                ranks[k],
                tied[k],
                False,
                reasons,
            ),
        )
    for k, more in (after or {}).items():
        decision = decisions[k]
        decisions[k] = new(Decision, (*decision[:-1], decision.reasons + tuple(more)))
    return decisions


def build_allocation(
    rule: str,
    policy: Policy,
    budget: int,
    decisions: Sequence[Decision],
    notes: Iterable[Reason] = (),
    *,
    seed: int | None = None,
    made_order: Sequence[int] | None = None,
) -> Allocation:
    """The :class:`Allocation` of ``decisions``, with ``unallocated = budget - awarded``.

    Checks, in one pass (:func:`~tilskudd.models.check_decisions` with the policy), what a rule
    could get wrong — an amount that is not a whole non-negative number of kroner, a status that
    does not fit its amount, an id twice, an award above its eligible amount or its request, off
    the ``round_to`` grid or below ``min_award`` — and raises :class:`AllocationInvariantError`
    if a rule broke one; then the model checks the budget and the sums. ``made_order``: the
    positions of the decisions in the order they were made (:func:`inverse_order` of the rank
    order, for :func:`decisions_by_position`), which the check walks them in (faster, the same
    check).
    """
    decisions = tuple(decisions)
    try:
        awarded = check_decisions(decisions, policy, visit=made_order)
    except ValueError as error:
        raise AllocationInvariantError(str(error)) from None
    if awarded > budget:
        raise AllocationInvariantError(f"awarded {awarded} is more than the budget {budget}")
    # The decisions were checked just now: the model is told so, and checks the rest.
    return Allocation.model_validate(
        {
            "rule": rule,
            "policy": policy,
            "budget": budget,
            "decisions": decisions,
            "awarded": awarded,
            "unallocated": budget - awarded,
            "seed": seed,
            "notes": tuple(notes),
        },
        context={DECISIONS_CHECKED: decisions},
    )


# --------------------------------------------------------------------------------------------
# Input checks


def check_unique_ids(applications: Sequence[Application]) -> None:
    """Raise :class:`TilskuddError` (invalid input) naming ids that occur more than once."""
    ids = [a.id for a in applications]
    if len(set(ids)) == len(ids):
        return
    seen: set[str] = set()
    dupes: set[str] = set()
    for i in ids:
        (dupes if i in seen else seen).add(i)
    shown = sorted(dupes, key=natural_key)
    raise TilskuddError(
        f"application ids must be unique; {len(shown)} occur more than once: "
        + ", ".join(shown[:10])
        + (" …" if len(shown) > 10 else "")
    )


def _first_ids(applications: Iterable[Application], limit: int = 5) -> str:
    ids = sorted((a.id for a in applications), key=natural_key)
    return ", ".join(ids[:limit]) + (" …" if len(ids) > limit else "")


def ranking_basis(applications: Sequence[Application]) -> RankingBasis | None:
    """``'rank'`` if every application has a given rank, else ``'score'`` if every one has a
    score, else ``None`` (some have neither, or the two are mixed)."""
    if all(a.rank is not None for a in applications) and applications:
        return "rank"
    if all(a.score is not None for a in applications):
        return "score"
    return None


def ranking_problem(applications: Sequence[Application]) -> Phrase | None:
    """What keeps ``applications`` from being ordered (some have neither a rank nor a score, or
    the two are mixed); ``None`` when they can be."""
    if ranking_basis(applications) is not None:
        return None
    neither = [a for a in applications if a.rank is None and a.score is None]
    total = len(applications)
    if neither:
        return Phrase(
            "policy.error.no_score_or_rank",
            count=len(neither),
            total=total,
            ids=_first_ids(neither),
        )
    only_rank = [a for a in applications if a.score is None]
    only_score = [a for a in applications if a.rank is None]
    return Phrase(
        "policy.error.rank_and_score_mixed",
        only_rank=len(only_rank),
        rank_ids=_first_ids(only_rank),
        only_score=len(only_score),
        score_ids=_first_ids(only_score),
    )


def require_ranking(applications: Sequence[Application]) -> RankingBasis:
    """The ranking basis of ``applications``; :class:`PolicyError` if they cannot be ordered."""
    basis = ranking_basis(applications)
    if basis is not None:
        return basis
    problem = ranking_problem(applications)
    assert problem is not None
    raise PolicyError(lines=[problem], settings=[None])


def scores_problem(applications: Sequence[Application], needed_for: str) -> Phrase | None:
    """The applications without a score, which ``needed_for`` (a setting as the policy writes
    it, the same in every language: ``min_score``) needs; ``None`` when every one has one."""
    missing = [a for a in applications if a.score is None]
    if not missing:
        return None
    return Phrase(
        "policy.error.scores_needed",
        needed_for=needed_for,
        missing=len(missing),
        total=len(applications),
        ids=_first_ids(missing),
    )


def require_scores(applications: Sequence[Application], needed_for: str) -> None:
    """:class:`PolicyError` naming the applications without a score, which ``needed_for`` (a
    setting as the policy writes it, the same in every language: ``min_score``) needs."""
    problem = scores_problem(applications, needed_for)
    if problem is not None:
        raise PolicyError(lines=[problem], settings=[None])


# --------------------------------------------------------------------------------------------
# Natural order of ids and text

_DIGITS = re.compile(r"(\d+)")
_PREFIX = re.compile(r"\D*")

NaturalKey = tuple[Any, ...]


def natural_key(text: str) -> NaturalKey:
    """A sort key that orders numbers inside text by value: "S2" < "S10" < "T1".

    Text and number parts alternate, so any two keys compare; the text itself comes last so
    that "S02" and "S2" still have a fixed order.
    """
    parts: list[Any] = _DIGITS.split(text)
    parts[1::2] = [int(p) for p in parts[1::2]]
    return (tuple(parts), text)


def natural_keys(texts: Sequence[str]) -> list[Any]:
    """:func:`natural_key` of each text; comparable among themselves only (a fast path).

    When every text is one shared prefix and digits ("S1" … "S100000", or "1" … "100000") the
    number alone orders them, at a third of the cost.
    """
    if not texts:
        return []
    match = _PREFIX.match(texts[0])
    prefix = match.group() if match else ""
    cut = len(prefix)
    tails = [t[cut:] for t in texts]
    if all(map(str.isdecimal, tails)) and (not cut or all(t[:cut] == prefix for t in texts)):
        numbers = list(map(int, tails))
        if len(set(numbers)) == len(numbers):
            return numbers  # no "S02" beside "S2": the number alone is a total order
        return [(number, t) for number, t in zip(numbers, texts, strict=True)]
    return [natural_key(t) for t in texts]


# --------------------------------------------------------------------------------------------
# Rank order


class RankedEntry(NamedTuple):
    """One application in processing order, with its rank number (``None`` when not ranked).

    A named tuple rather than a frozen dataclass: 100 000 of them are made per round, at a
    third of the cost.
    """

    application: Application
    position: int
    """0-based place in the processing order (ties are in natural id order)."""
    rank: int | None
    """Competition rank, 1 first; applications equal on score and tie-break share a number.
    The rule's working rank: given ranks are shown as given (:func:`given_rank_labels`)."""
    tied: bool
    """Shares its rank with at least one other application."""


_APPLICATION_FIELDS = frozenset(Application.model_fields) - {"extra"}
_MISSING: tuple[Any, ...] = ()


def _value_key(value: Any) -> tuple[Any, ...]:
    """Comparable key of a tie-break value; ``()`` for an empty value."""
    if value is None or value == "" or value == ():
        return _MISSING
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | Decimal):
        return (0, value)
    if isinstance(value, tuple | list):
        return (2, tuple(natural_key(str(v)) for v in value))
    text = str(value)
    # A number typed as text (every cell of a CSV is: "4,5", "4,25") is that number: in natural
    # order "4,25" would come after "4,5" (25 > 5).
    number = plain_number(text)
    return (1, natural_key(text)) if number is None else (0, number)


def _unknown_column(column: str, applications: Sequence[Application]) -> Phrase | None:
    """What is wrong with ``column`` as a tie-break column of ``applications`` (neither a field
    nor a column of theirs); ``None`` when it is one (or there are no applications)."""
    if column in _APPLICATION_FIELDS or not applications:
        return None
    if any(column in a.extra for a in applications):
        return None
    return Phrase("policy.error.tie_break_column", column=column, known=sorted(_APPLICATION_FIELDS))


def tie_break_problems(applications: Sequence[Application], policy: Policy) -> list[Phrase]:
    """A problem for each tie-break column that ``applications`` do not have, in the policy's
    order (each is said: putting the first right should not meet the next unsaid)."""
    found = (_unknown_column(step.column, applications) for step in policy.tie_break)
    return [problem for problem in found if problem is not None]


def empty_tie_break_columns(applications: Sequence[Application], policy: Policy) -> list[str]:
    """The tie-break columns that ``applications`` (two or more) have, but with no value in any
    of them: such a step orders nothing (``note.tie_break_empty``)."""
    if len(applications) < 2:
        return []
    empty = []
    for step in policy.tie_break:
        column = step.column
        if _unknown_column(column, applications) is not None:
            continue  # said as a problem (tie_break_problems)
        getter = _column_getter(column, applications)
        if all(_value_key(getter(a)) is _MISSING for a in applications):
            empty.append(column)
    return empty


def _column_getter(
    column: str, applications: Sequence[Application]
) -> Callable[[Application], Any]:
    problem = _unknown_column(column, applications)
    if problem is not None:
        raise PolicyError(lines=[problem], settings=["tie_break"])
    if column in _APPLICATION_FIELDS:
        return lambda a: getattr(a, column)
    return lambda a: a.extra.get(column)


class Ranking(NamedTuple):
    """The processing order of a round's applications, as parallel lists by position.

    ``order[p]`` is the index (in the applications as given) of the application at position
    ``p``; ``ranks[p]`` its competition rank (``None`` when not ranked) and ``tied[p]`` whether
    it shares that rank. Rules that fund 100 000 applications work on these lists rather than on
    one object per application (:class:`RankedEntry`, made by :meth:`entries` for the others).
    """

    order: list[int]
    ranks: list[int | None]
    tied: list[bool]

    def entries(self, applications: Sequence[Application]) -> list[RankedEntry]:
        """One :class:`RankedEntry` per position."""
        apps = list(map(applications.__getitem__, self.order))
        columns = zip(apps, range(len(apps)), self.ranks, self.tied, strict=True)
        return list(map(RankedEntry._make, columns))


class RankFields(NamedTuple):
    """The fields :func:`ranking` reads, as lists in the applications' order."""

    ids: list[str]
    given: list[int | None]
    """Each application's given rank (``None``: none)."""
    scores: list[Decimal | None]


def ranking(
    applications: Sequence[Application],
    policy: Policy,
    *,
    required: bool = True,
    by: RankingBasis | None = None,
    fields: RankFields | None = None,
) -> Ranking:
    """The applications' processing order and rank numbers (see the module docstring).

    With ``required`` the applications must all have a rank or all a score
    (:func:`require_ranking`); without it, applications that cannot be ranked come in tie-break
    and id order with rank ``None``. ``by`` ranks on that basis whatever else the applications
    have (the caller has checked that each has it). The result does not depend on the order of
    ``applications`` (beyond naming them by index). ``fields``: the applications' ids, given
    ranks and scores, when the caller has read them already (:meth:`Caps.eligible_all` can).
    """
    apps = applications
    if fields is None:
        fields = read_rank_fields(apps)
    ids, given, scores = fields
    if by is not None:
        basis: RankingBasis | None = by
    elif apps and not any(map(is_, given, repeat(None))):
        basis = "rank"
    elif not any(map(is_, scores, repeat(None))):
        basis = "score"
    else:
        basis = require_ranking(apps) if required else None  # it says what is missing
    keys = natural_keys(ids)
    order = sorted(range(len(apps)), key=keys.__getitem__)

    # Stable sorts from the least to the most significant key: the id order survives inside ties.
    columns: list[list[tuple[Any, ...]]] = []
    for tb in reversed(policy.tie_break):
        get = _column_getter(tb.column, apps)
        values = [_value_key(get(a)) for a in apps]
        columns.append(values)
        if tb.descending:
            # (present, value) reversed: present first, largest first; empty last.
            present_first = [(len(v) > 0, v) for v in values]
            order.sort(key=present_first.__getitem__, reverse=True)
        else:
            empty_last = [(len(v) == 0, v) for v in values]
            order.sort(key=empty_last.__getitem__)

    n = len(order)
    primary: list[Any] | None = None
    if basis == "rank":
        primary = cast(list[Any], given)  # every one has a rank on this basis
        order.sort(key=primary.__getitem__)
    elif basis == "score":
        # Scores are exact decimals; each is replaced by its place among the distinct scores (a
        # round has few), so that the sort and the tie checks compare small ints, not Decimals.
        place = {score: at for at, score in enumerate(sorted(set(scores)))}  # type: ignore[type-var]
        primary = list(map(place.__getitem__, scores))
        order.sort(key=primary.__getitem__, reverse=True)

    if primary is None:
        return Ranking(order, [None] * n, [False] * n)

    ranks: list[int | None] = list(range(1, n + 1))
    tied = [False] * n
    # Equal on everything but the id. Without tie-break columns the ties are the runs of equal
    # primary keys, in the order of the keys: a round has few distinct scores, so the run
    # lengths are counted (in C) and each run filled by slices, instead of comparing every
    # position with the one before (at 100 000 applications and 51 distinct scores, 5 against
    # 18 ms, and no list of the keys in order to gather first). All keys distinct: no ties.
    sizes = None if columns else Counter(primary)
    if sizes is not None and len(sizes) * 4 <= n:
        start = 0
        for key in sorted(sizes, reverse=basis == "score"):
            size = sizes[key]
            if size > 1:
                end = start + size
                ranks[start:end] = repeat(start + 1, size)
                tied[start:end] = repeat(True, size)
            start += size
    elif sizes is None or len(sizes) < n:
        # One key per application, compared with its predecessor.
        equal_keys: list[Any] = primary
        if columns:
            equal_keys = [(p, *(c[i] for c in columns)) for i, p in enumerate(primary)]
        in_order = list(map(equal_keys.__getitem__, order))
        for pos in range(1, n):
            if in_order[pos] == in_order[pos - 1]:
                ranks[pos] = ranks[pos - 1]
                tied[pos] = tied[pos - 1] = True
    return Ranking(order, ranks, tied)


def read_rank_fields(applications: Sequence[Application]) -> RankFields:
    """The three fields :func:`ranking` reads, in one pass over the application objects (at
    100 000 of them each pass costs about 10 ms of reaching them in memory)."""
    ids: list[str] = []
    given: list[int | None] = []
    scores: list[Decimal | None] = []
    add_id, add_given, add_score = ids.append, given.append, scores.append
    for app in applications:
        fields = app.__dict__
        add_id(fields["id"])
        add_given(fields["rank"])
        add_score(fields["score"])
    return RankFields(ids, given, scores)


def rank_order(
    applications: Sequence[Application],
    policy: Policy,
    *,
    required: bool = True,
    by: RankingBasis | None = None,
) -> list[RankedEntry]:
    """The applications in processing order with their rank numbers: :func:`ranking` as one
    :class:`RankedEntry` per application (competition ranks, also on given ranks: a rule shows
    those through :func:`given_rank_labels`)."""
    apps = list(applications)
    return ranking(apps, policy, required=required, by=by).entries(apps)


RANK_PARAMS = frozenset({"rank", "line_rank"})
"""Reason parameters that hold a rank number: relabelled to given ranks, renumbered by overrides."""


def given_rank_labels(
    given: Sequence[int | None], ranks: Sequence[int | None]
) -> dict[int, int] | None:
    """Competition rank -> the rank the officer gave, for applications ranked on their given ranks.

    ``given[p]`` is the given rank of the application at position ``p`` (``None``: it has none)
    and ``ranks[p]`` its competition rank (:func:`ranking`). Applications that share a
    competition rank share their given rank (the given rank comes first in the order), so the
    map is one number each. ``None`` when there is nothing to relabel: some application has no
    given rank, so the scores ranked them, or the given ranks are the competition ranks already
    (1, 2, 2, 4 given as such). Not for a ranking made ``by="score"`` beside given ranks.
    """
    if None in given or given == ranks:
        return None
    return dict(zip(ranks, given, strict=True))  # type: ignore[arg-type]  # no None left


def given_labels_of(applications: Sequence[Application], ranked: Ranking) -> dict[int, int] | None:
    """:func:`given_rank_labels` of ``applications`` in the order ``ranked`` gives.

    The given ranks are read only when the first in that order has one: otherwise some
    application has none, and there is nothing to relabel (a round ranked by score reads no
    more than that one).
    """
    order = ranked.order
    if not order or applications[order[0]].rank is None:
        return None
    given_in = [a.rank for a in applications]  # in their own order: see docs/benchmarks.md
    return given_rank_labels([given_in[i] for i in order], ranked.ranks)


def relabel_reason(reason: Reason, labels: Mapping[int, int]) -> Reason:
    """``reason`` with each rank parameter (:data:`RANK_PARAMS`) mapped through ``labels``."""
    params = reason.params
    update: dict[str, Any] = {}
    for key in RANK_PARAMS:
        value = params.get(key)
        if type(value) is int and labels.get(value, value) != value:
            update[key] = labels[value]
    if not update:
        return reason
    return _tuple_new(Reason, (reason.code, {**params, **update}))


def relabel_notes(notes: Iterable[Reason], labels: Mapping[int, int] | None) -> list[Reason]:
    """``notes`` with their rank parameters mapped through ``labels`` (none: unchanged)."""
    if not labels:
        return list(notes)
    return [relabel_reason(n, labels) for n in notes]


def shown_ranks(
    ranks: Sequence[int | None], labels: Mapping[int, int] | None
) -> Sequence[int | None]:
    """The rank numbers to show by position: ``ranks`` mapped through ``labels``
    (:func:`given_rank_labels`; none: ``ranks`` itself)."""
    if not labels:
        return ranks
    get = labels.get
    return [None if r is None else get(r, r) for r in ranks]


def tie_break_text(policy: Policy) -> str:
    """The policy's tie-break columns as a note names them: ``total_cost asc, id asc``."""
    return ", ".join(step.text for step in policy.tie_break)


def given_rank_notes(
    ranks: Sequence[int | None],
    labels: Mapping[int, int] | None,
    id_at: Callable[[int], str],
    policy: Policy,
) -> list[Reason]:
    """A ``note.given_rank_ordered`` for each given rank that the tie-break columns split.

    Applications the officer gave one rank (3) keep it in the result, though ``tie_break``
    ordered them into places of their own (and ties among what it left equal): every one shows
    a 3, so the note says in which order they were taken. ``ranks`` are the competition ranks
    by position (:func:`ranking`), ``labels`` :func:`given_rank_labels` of them; the note's
    ``rank`` is a competition rank, for :func:`relabel_notes` like the other notes. ``order``
    lists the places in order, the ids of a tie joined by `` = ``. Looks at the applications
    only when some given rank has two competition ranks.
    """
    if not labels or len(set(labels.values())) == len(labels):
        return []
    by_given: dict[int, list[int]] = {}
    for rank, given in labels.items():
        by_given.setdefault(given, []).append(rank)
    columns = tie_break_text(policy)
    n = len(ranks)
    notes: list[Reason] = []
    for _, places in sorted(by_given.items()):
        if len(places) < 2:
            continue
        places.sort()
        ids: list[str] = []
        order: list[str] = []
        for rank in places:
            # A competition rank is its first position + 1 (1, 2, 2, 4).
            start = end = rank - 1
            while end < n and ranks[end] == rank:
                end += 1
            group = [id_at(p) for p in range(start, end)]
            ids.extend(group)
            order.append(" = ".join(group))
        notes.append(
            make_reason(
                "note.given_rank_ordered",
                rank=places[0],
                count=len(ids),
                ids=ids,
                order=order,
                columns=columns,
            )
        )
    return notes


def tie_notes(entries: Sequence[RankedEntry], outcomes: Sequence[Outcome | None]) -> list[Reason]:
    """A ``note.tie_at_line`` for each group of tied entries whose outcomes differ.

    ``outcomes[k]`` is the outcome of ``entries[k]`` among the eligible (``None`` for one that was
    not eligible, which the tie did not decide). A group whose eligible members were not all
    treated alike straddles the funding line: the note names the rank, the tied ids in processing
    order, those funded, and that the order within the tie was by id.
    """
    return tie_notes_by_position(
        lambda k: entries[k].application.id,
        [e.rank for e in entries],
        [e.tied for e in entries],
        outcomes,
    )


def tie_per_applicant_note(
    code: str,
    rank: int | None,
    members: Sequence[int],
    cut: Sequence[int],
    org: str,
    most: int | None,
    id_at: Callable[[int], str],
) -> Reason:
    """The note for a tie of one organisation's applications (positions ``members``) of which
    ``per_applicant_max`` (``most``) cut those at ``cut`` because another of them came first by
    its id: ``note.tie_per_applicant`` (``code``; ``ranked``, the lottery)."""
    return make_reason(
        code,
        rank=rank,
        count=len(members),
        ids=[id_at(j) for j in members],
        orgnr=org,
        max=most,
        cut_ids=[id_at(j) for j in cut],
        broken_by="id",
    )


def tie_notes_by_position(
    id_at: Callable[[int], str],
    ranks: Sequence[int | None],
    tied: Sequence[bool],
    outcomes: Sequence[Outcome | None],
) -> list[Reason]:
    """:func:`tie_notes` from parallel lists by position; ``id_at(k)`` is the id at position k
    (asked only for the ties the note names)."""
    notes: list[Reason] = []
    n = len(ranks)
    k = 0
    while k < n:
        end = k + 1
        if tied[k]:
            while end < n and ranks[end] == ranks[k]:
                end += 1
            group = range(k, end)
            seen = {outcomes[g] for g in group if outcomes[g] is not None}
            if len(seen) > 1:
                notes.append(
                    make_reason(
                        "note.tie_at_line",
                        rank=ranks[k],
                        count=end - k,
                        ids=[id_at(g) for g in group],
                        funded_ids=[
                            id_at(g) for g in group if outcomes[g] in ("funded", "partly_funded")
                        ],
                        broken_by="id",
                    )
                )
        else:
            # Untied positions come in long runs: jump to the next tied one.
            try:
                end = tied.index(True, end)
            except ValueError:
                break
        k = end
    return notes


# --------------------------------------------------------------------------------------------
# Caps and eligibility


def floor_to(amount: int, step: int) -> int:
    """``amount`` rounded down to a multiple of ``step`` (never below 0 for ``amount >= 0``)."""
    return amount - amount % step


def score_places(scores: Iterable[Decimal], needed_for: str) -> int:
    """The least power of ten that makes every score a whole number (4.5 and 3.25 -> 2; 4.50
    counts as 4.5, so the figure depends on the values alone, not on how they were written).

    :class:`PolicyError` for a score that is not finite, which ``needed_for`` cannot use. Each
    distinct value is looked at once: a round of 100 000 scores has a few dozen of them.
    """
    values = list(scores)
    try:
        distinct: Iterable[Decimal] = set(values)
    except TypeError:  # a signalling NaN cannot be hashed; it is refused below
        distinct = values
    places = 0
    for score in distinct:
        if not score.is_finite():
            raise PolicyError(f"{needed_for} needs finite scores, not {score}")
        _, digits, exponent = score.as_tuple()
        assert isinstance(exponent, int)
        zeros = len(digits) - len(bytes(digits).rstrip(b"\0"))
        if zeros < len(digits):  # 0 needs no places
            places = max(places, -(exponent + zeros))
    return places


def share_decimal(numerator: int, denominator: int, places: int = 4) -> Decimal:
    """``numerator / denominator`` as a Decimal fraction rounded *down* to ``places`` decimals.

    Rounded down so that a share shown as "100 %" was really whole: 4 places show as 37.42 %.
    """
    exponent = Decimal(1).scaleb(-places)
    return (Decimal(numerator) / Decimal(denominator)).quantize(exponent, rounding=ROUND_DOWN)


_NOTHING_AFTER_CAPS = make_reason("reason.ineligible.nothing_after_caps")


class Eligibility(NamedTuple):
    """What :meth:`Caps.eligible_all` found, as parallel lists in the applications' order."""

    amounts: list[int]
    """The eligible amount of each (0: not eligible)."""
    reasons: list[tuple[Reason, ...]]
    """Each application's eligibility and cap reasons, in story order."""
    ids: list[str]
    requested: list[int]
    orgnrs: list[str | None]


class Caps:
    """The policy's caps and thresholds, prepared once for many applications."""

    __slots__ = (
        "max_award",
        "min_award",
        "min_score",
        "round_reason",
        "round_to",
        "share",
        "share_den",
        "share_num",
        "unknown_cost_reason",
    )

    def __init__(self, policy: Policy) -> None:
        self.max_award = policy.max_award
        self.share = policy.max_share_of_cost
        num, den = (0, 1)
        if self.share is not None:
            num, den = self.share.as_integer_ratio()
        self.share_num, self.share_den = num, den
        self.round_to = policy.round_to
        # Shared reasons: the amounts before and after are the decision's own figures.
        self.round_reason = make_reason("reason.cap.round_to", step=policy.round_to)
        self.unknown_cost_reason = make_reason("reason.cap.share_of_cost_unknown", share=self.share)
        self.min_award = policy.min_award
        self.min_score = policy.min_score

    def score_reason(self, application: Application) -> Reason | None:
        """The reason ``application`` is below ``min_score``, or ``None`` if it is not."""
        score = application.score
        if self.min_score is None or score is None or score >= self.min_score:
            return None
        return make_reason(
            "reason.ineligible.below_min_score", score=score, min_score=self.min_score
        )

    def eligible(self, application: Application) -> tuple[int, list[Reason]]:
        """See :func:`eligible_amount`."""
        amount = application.requested
        reasons: list[Reason] = []
        cap = self.max_award
        if cap is not None and amount > cap:
            reasons.append(make_reason("reason.cap.max_award", cap=cap, amount=amount))
            amount = cap
        if self.share is not None:
            cost = application.total_cost
            if cost is None:
                reasons.append(self.unknown_cost_reason)
            else:
                # floor(share × cost), exactly: share is num/den.
                cap = cost * self.share_num // self.share_den
                if amount > cap:
                    # The most common reason of all (Difi 2009: nearly every application), so
                    # built directly rather than through make_reason.
                    params = {"share": self.share, "total_cost": cost, "cap": cap, "amount": amount}
                    reasons.append(_reason("reason.cap.share_of_cost", params))
                    amount = cap
        step = self.round_to
        if amount % step:
            reasons.append(self.round_reason)
            amount -= amount % step
        if amount == 0:
            reasons.append(_NOTHING_AFTER_CAPS)
        elif amount < self.min_award:
            reasons.append(
                make_reason(
                    "reason.ineligible.below_min_award", amount=amount, min_award=self.min_award
                )
            )
            amount = 0
        return amount, reasons

    def eligible_all(
        self, applications: Sequence[Application], *, ranked: RankFields | None = None
    ) -> Eligibility:
        """``min_score``, then :meth:`eligible`, for each application in the order given.

        Returns the eligible amounts (0: not eligible) and each application's reasons (a tuple,
        which the decision takes as it is), with the ids and requests
        :func:`decisions_by_position` needs and the organisation numbers ``per_applicant_max``
        needs. What
        :meth:`score_reason` and :meth:`eligible` do one by one, in one loop over the
        applications as they lie in memory: at 100 000 applications, reading them in rank order
        instead costs more than the arithmetic (a cache miss per application), and reading them
        again later for the decisions cost about 15 ms more than taking the two fields here.
        ``ranked``: empty lists to fill with each application's given rank and score, and its
        ``ids`` to be the result's, for :func:`ranking` (``fields=``): one pass less over the
        applications.
        """
        max_award = self.max_award
        share = self.share
        num, den = self.share_num, self.share_den
        step = self.round_to
        min_award = self.min_award
        min_score = self.min_score
        round_reason = (self.round_reason,)
        unknown_cost = (self.unknown_cost_reason,)
        nothing_after_caps = (_NOTHING_AFTER_CAPS,)
        amounts: list[int] = []
        reasons_of: list[tuple[Reason, ...]] = []
        ids: list[str] = [] if ranked is None else ranked.ids
        requested: list[int] = []
        orgnrs: list[str | None] = []
        add_amount = amounts.append
        add_reasons = reasons_of.append
        add_id = ids.append
        add_requested = requested.append
        add_orgnr = orgnrs.append
        keep = ranked is not None
        out = ranked if ranked is not None else RankFields(ids, [], [])
        add_given, add_score = out.given.append, out.scores.append
        for app in applications:
            values = app.__dict__  # a pydantic model's fields: one lookup instead of several
            add_id(values["id"])
            add_requested(values["requested"])
            org = values["orgnr"]
            if org is None and values["extra"]:
                # No organisation number: another register's id counts as the organisation,
                # compared as Application.organisation compares it.
                org = other_organisation_key(values["extra"])
            add_orgnr(org)
            if keep:
                add_given(values["rank"])
                add_score(values["score"])
            if min_score is not None:
                score = values["score"]
                if score is not None and score < min_score:
                    add_amount(0)
                    add_reasons(
                        (
                            _reason(
                                "reason.ineligible.below_min_score",
                                {"score": score, "min_score": min_score},
                            ),
                        )
                    )
                    continue
            amount = values["requested"]
            # A tuple grown one reason at a time: at most four, and no list to copy into the
            # decision and free afterwards (100 000 of each in a large round).
            reasons: tuple[Reason, ...] = ()
            if max_award is not None and amount > max_award:
                reasons = (_reason("reason.cap.max_award", {"cap": max_award, "amount": amount}),)
                amount = max_award
            if share is not None:
                cost = values["total_cost"]
                if cost is None:
                    reasons += unknown_cost
                else:
                    cap = cost * num // den  # floor(share × cost), exactly
                    if amount > cap:
                        params = {"share": share, "total_cost": cost, "cap": cap, "amount": amount}
                        reasons += (_reason("reason.cap.share_of_cost", params),)
                        amount = cap
            if amount % step:
                reasons += round_reason
                amount -= amount % step
            if amount == 0:
                reasons += nothing_after_caps
            elif amount < min_award:
                reasons += (
                    _reason(
                        "reason.ineligible.below_min_award",
                        {"amount": amount, "min_award": min_award},
                    ),
                )
                amount = 0
            add_amount(amount)
            add_reasons(reasons)
        return Eligibility(amounts, reasons_of, ids, requested, orgnrs)


def eligible_amount(application: Application, policy: Policy) -> tuple[int, list[Reason]]:
    """The most ``application`` may receive under ``policy``'s caps, and the reasons.

    Caps in order: ``max_award``, ``max_share_of_cost`` (``floor(share × total_cost)``; skipped,
    with a ``reason.cap.share_of_cost_unknown`` note, when there is no total cost), ``round_to``
    (down). Each that binds adds a reason. If the result is 0 or below ``min_award`` the
    application is not eligible: the amount is 0 and the last reason says why. ``min_score`` and
    ``per_applicant_max`` are not applied here (see :func:`score_reason`, :class:`ApplicantTotals`).
    """
    return Caps(policy).eligible(application)


def score_reason(application: Application, policy: Policy) -> Reason | None:
    """The ``reason.ineligible.below_min_score`` for ``application``, or ``None`` if eligible."""
    return Caps(policy).score_reason(application)


class ApplicantTotals:
    """Running totals per organisation number, held against ``policy.per_applicant_max``.

    Applications without an orgnr are not grouped. A rule asks :meth:`limit` what an application
    may still receive, and :meth:`add` what it was given. ``prior`` is what each organisation
    received in earlier rounds of a programme (:mod:`tilskudd.rounds`): the maximum spans rounds.
    """

    __slots__ = ("max", "min_award", "round_to", "used")

    def __init__(self, policy: Policy, prior: Mapping[str, int] | None = None) -> None:
        self.max = policy.per_applicant_max
        self.round_to = policy.round_to
        self.min_award = policy.min_award
        self.used: dict[str, int] = dict(prior) if prior else {}

    def limit(self, application: Application, amount: int) -> tuple[int, Reason | None]:
        """What of ``amount`` the organisation may still receive (on the ``round_to`` grid).

        Returns ``(amount, None)`` when the maximum does not bind;
        ``(less, reason.cap.per_applicant)`` when it lowers the amount;
        ``(0, reason.ineligible.per_applicant)`` when what is left is 0 or below ``min_award``.
        """
        return self.limit_org(application.organisation, amount)

    def limit_org(
        self,
        org: str | None,
        amount: int,
        *,
        less: int = 0,
        already: int | None = None,
    ) -> tuple[int, Reason | None]:
        """:meth:`limit` for an organisation number (``None``: not grouped).

        ``less``: as if the organisation had been given that much less so far (what it would
        have had left without the awards to applications tied with this one).
        ``already``: what the organisation counts so far, when the caller keeps that itself
        (instead of :attr:`used`; ``less`` is then not used).
        """
        most = self.max
        if most is None or org is None:
            return amount, None
        if already is None:
            already = self.used.get(org, 0) - less
        room = most - already if already < most else 0
        left = room - room % self.round_to  # floor_to(room, round_to)
        if amount <= left:
            return amount, None
        # (The reasons are built directly: a rule may ask this for thousands of applications.)
        if left == 0 or left < self.min_award:
            # What is left under the maximum as people count it (max - already): on the round_to
            # grid it may be 0, which the reason would show beside a maximum not yet reached.
            params = {
                "orgnr": org,
                "max": most,
                "already": already,
                "left": room,
                "min_award": self.min_award,
            }
            return 0, _reason("reason.ineligible.per_applicant", params)
        params = {"orgnr": org, "max": most, "already": already, "cap": left}
        return left, _reason("reason.cap.per_applicant", params)

    def take(self, application: Application, amount: int) -> tuple[int, Reason | None]:
        """:meth:`limit`, then :meth:`add` what it allows: for a claim counted in advance."""
        allowed, reason = self.limit(application, amount)
        self.add(application, allowed)
        return allowed, reason

    def add(self, application: Application, amount: int) -> None:
        """Count ``amount`` as given to ``application``'s organisation."""
        self.add_org(application.organisation, amount)

    def add_org(self, org: str | None, amount: int) -> None:
        """:meth:`add` for an organisation number (``None``: not grouped)."""
        if self.max is not None and org is not None and amount:
            self.used[org] = self.used.get(org, 0) + amount


PER_APPLICANT_CODES = frozenset(
    f"reason.{kind}.per_applicant{said}"
    for kind in ("cap", "ineligible")
    for said in (
        "",
        "_in_round",
        "_in_round_many",
        "_earlier_and_round",
        "_earlier_and_round_many",
        "_earlier",
        "_alone",
    )
)
"""The reasons of an application ``per_applicant_max`` cut (``reason.cap.…``) or left out
(``reason.ineligible.…``) under :class:`ApplicantTotals`, as made or as recorded before
:func:`per_applicant_filled` said what filled the maximum."""

PER_APPLICANT_NAMED = 3
"""A ``per_applicant_max`` reason names at most this many of the awards that filled the
organisation's maximum in the round (one more rather than "among them"), and counts them all."""


def per_applicant_filled(
    reason: Reason, funded: Sequence[str], earlier: int, *, count: int | None = None
) -> Reason:
    """``reason`` (``reason.cap.per_applicant`` or ``reason.ineligible.per_applicant``, from
    :meth:`ApplicantTotals.limit_org`) saying what filled the organisation's maximum: ``funded``,
    the ids of its applications funded before this one in the round, in the order they were
    funded, and ``earlier``, what it received in earlier rounds of the programme. ``count``: how
    many were funded before it, when ``funded`` names only the first of them.

    The codes, by what there is to say: ``…_in_round`` (this round's awards: ``funded``, and
    ``this_round``, their sum), ``…_earlier_and_round`` (and ``earlier``), ``…_earlier`` (earlier
    rounds only); ``_many`` after the first two when more than :data:`PER_APPLICANT_NAMED` + 1
    are funded, naming the first few (``funded``) among them all (``count``). ``reason`` itself
    when there is neither and the organisation counts something already (a tie's award), and
    ``…_alone`` when it counts nothing: the amount alone is above the maximum, and the reason
    says only that (not "has already been awarded 0 kr"). Rounds recorded before keep the two
    plain codes, whose texts stay as they were.
    """
    if not funded and not earlier:
        if reason.params.get("already") == 0:
            return _reason(f"{reason.code}_alone", reason.params)
        return reason
    code = reason.code
    if not funded:
        return _reason(f"{code}_earlier", {**reason.params, "earlier": earlier})
    already = reason.params["already"]
    assert isinstance(already, int)
    if count is None:
        count = len(funded)
    # (Built in one step each: a large round cuts thousands.)
    if earlier:
        params = {**reason.params, "earlier": earlier, "this_round": already - earlier}
        code = f"{code}_earlier_and_round"
    else:
        params = {**reason.params, "this_round": already}
        code = f"{code}_in_round"
    if count <= PER_APPLICANT_NAMED + 1:
        params["funded"] = list(funded)
        return _reason(code, params)
    params["funded"] = list(funded[:PER_APPLICANT_NAMED])
    params["count"] = count
    return _reason(f"{code}_many", params)


_FILLED_PARAMS = ("earlier", "this_round", "funded", "count")


PER_APPLICANT_OFFICER_CODES = frozenset(
    f"reason.{kind}.per_applicant{said}"
    for kind in ("cap", "ineligible")
    for said in (
        "_officer",
        "_earlier_officer",
        "_officer_and_round",
        "_earlier_officer_and_round",
    )
)
"""The reasons of :data:`PER_APPLICANT_CODES` said again by :func:`per_applicant_officer_first`
when the officer's decisions to fund took part of the organisation's maximum (since
2026-11-30; rounds recorded before keep the codes they were given)."""


def per_applicant_officer_first(
    reason: Reason, officer: Sequence[str], earlier: int, officer_amount: int
) -> Reason:
    """``reason``, one of :data:`PER_APPLICANT_CODES` that a rule gave with the officer's
    decisions to fund counted as earlier awards (:mod:`tilskudd.rules.overrides`), saying each
    part of what the organisation has for what it is: ``officer``, the ids of its applications
    the officer funded in this round, which give it ``officer_amount``; the rule's awards to it
    before this one in the round (``funded``, ``this_round``; ``count`` of them, ``more`` 1
    when ``funded`` names only the first few); and ``earlier``, what it received in earlier
    rounds of the programme. The codes (:data:`PER_APPLICANT_OFFICER_CODES`): ``…_officer``,
    ``…_earlier_officer``, and ``…_and_round`` after either when the rule funded some of its
    applications before this one. ``reason`` itself when it is none of
    :data:`PER_APPLICANT_CODES`."""
    if reason.code not in PER_APPLICANT_CODES:
        return reason
    kind = reason.code.split(".")[1]
    params = reason.params
    funded = params.get("funded")
    rule_funded = list(funded) if isinstance(funded, list) else []
    counted = params.get("count")
    rule_count = counted if isinstance(counted, int) else len(rule_funded)
    said = {k: v for k, v in params.items() if k not in _FILLED_PARAMS}
    said["officer"] = list(officer)
    said["officer_count"] = len(officer)
    said["officer_amount"] = officer_amount
    code = f"reason.{kind}.per_applicant{'_earlier' if earlier else ''}_officer"
    if earlier:
        said["earlier"] = earlier
    if rule_funded:
        this_round = params.get("this_round")
        said["this_round"] = this_round if isinstance(this_round, int) else 0
        said["count"] = rule_count
        many = rule_count > PER_APPLICANT_NAMED + 1
        said["funded"] = rule_funded[:PER_APPLICANT_NAMED] if many else rule_funded
        said["more"] = int(many)
        code += "_and_round"
    return _reason(code, said)
