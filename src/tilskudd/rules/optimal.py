"""The ``optimal`` rule: the selection of whole awards that is best by the policy's objective.

Each eligible application ``i`` (after ``min_score`` and the caps, :mod:`tilskudd.rules.common`)
is funded with its whole eligible amount ``e_i`` or not at all: ``x_i ∈ {0, 1}``. Partial awards
are not part of this rule (``at_line`` does not apply). It solves the integer program

    maximise   Σ c_i x_i      c_i = score_i ("score"), 1 ("count"), score_i × e_i ("score_amount")
    subject to Σ e_i x_i <= budget
               Σ_{i of org o} e_i x_i <= per_applicant_max - awarded to o in earlier rounds
               every quota (tilskudd.rules.quotas): Σ e_i x_i or Σ x_i of a group within limits

exactly, with HiGHS (``highspy``). An application whose organisation has less left under
``per_applicant_max`` than its eligible amount cannot be funded whole and is not eligible
(``reason.optimal.per_applicant_alone`` when its eligible amount alone is above the maximum,
``…_earlier`` when earlier rounds took part of it);
``ranked`` would give it what is left instead. Beside that reason,
``reason.optimal.per_applicant_selected`` names the organisation's applications the selection
funds, and with how much (the first few, and a count past that, as ``ranked`` names them).
An application the selection leaves out that its organisation could not take beside what the
selection funds of it says so after ``reason.optimal.not_selected``
(``reason.optimal.per_applicant_by_selection``, ``…_earlier`` when it had awards before this
round's selection, then ``…_selected``).

Exact numbers: amounts are divided by their greatest common divisor ``g`` (``round_to`` or more)
and scores multiplied by ``10^d`` (``d`` their most decimal places), so every coefficient is an
integer and the objective of any selection is an integer. While ``Σ |c_i| < 2^53`` every such
sum is exact in the solver's floating point; beyond that the coefficients are divided by a power
of ten and rounded (``note.optimal.rounded``), which can happen only with ``score_amount``.
HiGHS runs with ``mip_rel_gap = 0`` and ``mip_abs_gap = 0.5``: "optimal" is reported only when no
selection can be better by 1, i.e. at all (``note.optimal.proven``). The solution is checked
again in integers (budget, organisations, quotas) before it is used. HiGHS's tolerance is
relative: with amounts of billions to the krone a selection a few kroner over the budget passes
there. Such a selection is corrected in integers (:meth:`_Program.repaired`), the starting
selection kept if it is better, and the result is not called optimal (``note.optimal.imprecise``).

How it is solved (measured on 10 000 applications, benchmarks/bench_optimal.py):

1. A starting selection: the better of the ranked rule's (whole awards only) and a greedy one,
   best objective per krone first, minimums first. The result is never worse than either.
2. The linear relaxation (about 0.1 s), and reduced-cost fixing: an application whose reduced
   cost exceeds the relaxation's bound minus the start's objective is in (or out of) every
   selection at least as good as the start, and is fixed so. HiGHS does the same inside, but only
   after its costly first rounds; fixed up front, binding quotas took 3 s instead of 7 s.
3. The integer program, presolve off: on these knapsack-shaped programs presolve took most of
   the time (10 000 applications: 15 s against 2 s) and, at 100 000, did not return within the
   time limit. HiGHS's root reduced-cost heuristic is off for the same reason.
4. The tie-break (below), with the columns fixed by the proven optimum, and presolve on: with
   most columns fixed the program is small, and presolve removes them.

Ties between optimal selections are broken by the stated rank order (score or given rank, the
tie-break columns, then the id, :func:`~tilskudd.rules.common.rank_order`), in the second solve:
the objective is held at its optimum (a constraint ``Σ c_i x_i >= optimum``) and the program
maximises ``Σ (m - p_i) x_i``, ``p_i`` the application's 0-based place among the ``m`` eligible
ones in rank order — a small integer weight vector that prefers selections of better-ranked
applications (and, among equally good ones, more of them). Why not weights ``2^-p`` (the
lexicographically best selection): with ``m`` in the thousands they are far beyond floating
point; and a sequence of fixings would need a solve for each application the first selection
leaves out, thousands of solves on a large round. Two selections equal on both objectives (such
as funding places 1 and 4 or 2 and 3 with equal scores and amounts) are left to HiGHS, which is
deterministic for a given model; the model is built in rank order, so the result never depends
on the order of the input rows. Where the rank order chose within a tie, the notes say so:
swapping one funded for one left out gives a selection just as good that meets every limit,
of equal amounts (``note.optimal.tie``) or different ones (``note.optimal.tie_swap``). Where no
such swap holds (only the funded one serves a quota's minimum, say) the limits chose, and no
note says the order did.

Time: ``policy.time_limit`` seconds (default 60) for the relaxation and both solves together.
If HiGHS cannot prove the optimum within it (very large rounds), the best selection found is
returned with the proven bound and the gap (``note.optimal.not_proven``, or ``no_bound`` when
there is none yet); if the tie-break is what ran out, ``note.optimal.tie_break_not_proven``. A
result cut short by the clock may differ between runs, and its notes say so.

Notes on every result: the objective's value (``note.optimal.objective.<objective>``) and the
ranked rule's value on the same input with whole awards (``at_line = "skip"``) and the
difference (``note.optimal.versus_ranked``). Funded applications get ``reason.optimal.selected``,
eligible ones not funded ``reason.optimal.not_selected``; ``reserve`` lists the first of them in
rank order, and a list whose end falls inside a tie is reported as ``note.tie_at_reserve``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

import numpy as np
from highspy import (
    HighsBasisStatus,
    HighsLp,
    HighsModelStatus,
    HighsVarType,
    MatrixFormat,
    ObjSense,
)

# The core class, not highspy.Highs: the wrapper logs HiGHS's banner to standard output when it
# is created, before output can be switched off, which would corrupt `--format json` on stdout.
from highspy._core import _Highs

from tilskudd.errors import PolicyError, QuotaError
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
    AllocationInvariantError,
    ApplicantTotals,
    Caps,
    RankedEntry,
    build_allocation,
    gc_paused,
    given_rank_labels,
    given_rank_notes,
    make_decision,
    make_reason,
    rank_order,
    relabel_notes,
    score_places,
    shown_ranks,
)
from tilskudd.rules.quotas import Given, QuotaBook
from tilskudd.rules.ranked import allocate_ranked

__all__ = ["allocate_optimal"]

_EXACT = 2**53
_INF = math.inf


@dataclass(slots=True)
class _Program:
    """The integer program in integers: rows over the candidate columns, and their bounds."""

    columns: int
    rows: list[tuple[list[int], list[int], int | None, int | None]] = field(default_factory=list)
    """(columns, integer coefficients, lower bound or None, upper bound or None)."""

    def add(self, cols: list[int], coefs: list[int], low: int | None, high: int | None) -> None:
        if cols:
            self.rows.append((cols, coefs, low, high))

    def holds(self, x: Sequence[int]) -> bool:
        """Whether the 0/1 vector ``x`` meets every row, in exact integers."""
        for cols, coefs, low, high in self.rows:
            total = sum(c for j, c in zip(cols, coefs, strict=True) if x[j])
            if (low is not None and total < low) or (high is not None and total > high):
                return False
        return True

    def repaired(self, x: Sequence[int], costs: Sequence[int]) -> list[int] | None:
        """``x`` with selected columns dropped until every row's maximum holds in integers, the
        least objective per unit of the overfull row first; None if a minimum then fails.

        For a solver's selection that is over a limit by a few units: its tolerance is relative,
        so with amounts of billions to the krone such a selection passes as feasible there.
        """
        x = list(x)
        for cols, coefs, _, high in self.rows:
            if high is None:
                continue
            total = sum(c for j, c in zip(cols, coefs, strict=True) if x[j])
            taken = sorted(
                (costs[j] / max(c, 1), j, c) for j, c in zip(cols, coefs, strict=True) if x[j]
            )
            for _, j, c in taken:
                if total <= high:
                    break
                x[j] = 0
                total -= c
        return x if self.holds(x) else None

    def greedy(self, costs: Sequence[int]) -> list[int] | None:
        """A good selection to start the solver from, or None if this one breaks a minimum.

        Best objective per unit of the first row (the budget) first: columns of rows with an
        unmet minimum (in that order), then every column with a positive objective, each taken
        if no row's maximum would be passed. Only a starting point: nothing depends on it being
        good, but on large rounds it is within a hair of the optimum and saves the solver work.
        """
        m = self.columns
        entries: list[list[tuple[int, int]]] = [[] for _ in range(m)]
        for r, (cols, coefs, _, _) in enumerate(self.rows):
            for j, c in zip(cols, coefs, strict=True):
                entries[j].append((r, c))
        size = [1] * m
        if self.rows:
            for j, c in zip(self.rows[0][0], self.rows[0][1], strict=True):
                size[j] = max(c, 1)
        order = sorted(range(m), key=lambda j: (-costs[j] / size[j], j))
        activity = [0] * len(self.rows)
        x = [0] * m

        def fits(j: int) -> bool:
            for r, c in entries[j]:
                high = self.rows[r][3]
                if high is not None and activity[r] + c > high:
                    return False
            return True

        def take(j: int) -> None:
            x[j] = 1
            for r, c in entries[j]:
                activity[r] += c

        short = {r for r, row in enumerate(self.rows) if row[2] is not None and row[2] > 0}
        for j in order:
            if not short:
                break
            if any(r in short for r, _ in entries[j]) and fits(j):
                take(j)
                short = {r for r in short if activity[r] < (self.rows[r][2] or 0)}
        for j in order:
            if not x[j] and costs[j] > 0 and fits(j):
                take(j)
        return x if self.holds(x) else None

    def lp(self, costs: Sequence[int]) -> HighsLp:
        """The HiGHS model (maximise ``costs``, binary columns), column-wise."""
        lp = HighsLp()
        m = self.columns
        lp.num_col_ = m
        lp.num_row_ = len(self.rows)
        lp.col_cost_ = np.asarray(costs, dtype=np.float64)
        lp.col_lower_ = np.zeros(m)
        lp.col_upper_ = np.ones(m)
        lp.row_lower_ = np.array([-_INF if r[2] is None else r[2] for r in self.rows], np.float64)
        lp.row_upper_ = np.array([_INF if r[3] is None else r[3] for r in self.rows], np.float64)
        if self.rows:
            row_of = np.concatenate(
                [np.full(len(cols), r, dtype=np.int32) for r, (cols, *_) in enumerate(self.rows)]
            )
            col_of = np.concatenate([np.asarray(r[0], dtype=np.int32) for r in self.rows])
            value = np.concatenate([np.asarray(r[1], dtype=np.float64) for r in self.rows])
        else:
            row_of = col_of = np.zeros(0, dtype=np.int32)
            value = np.zeros(0)
        order = np.lexsort((row_of, col_of))
        start = np.searchsorted(col_of[order], np.arange(m + 1)).astype(np.int32)
        lp.a_matrix_.format_ = MatrixFormat.kColwise
        lp.a_matrix_.start_ = start
        lp.a_matrix_.index_ = row_of[order]
        lp.a_matrix_.value_ = value[order]
        lp.a_matrix_.num_col_ = m
        lp.a_matrix_.num_row_ = len(self.rows)
        lp.integrality_ = [HighsVarType.kInteger] * m
        lp.sense_ = ObjSense.kMaximize
        return lp


@dataclass(slots=True)
class _Solution:
    """What the solver found: the selection, and whether and how well it is proven."""

    selected: list[bool]
    proven: bool
    objective: int
    """The primary objective of the selection, in the program's integer units."""
    bound: float
    """HiGHS's proven upper bound on the primary objective (program units)."""
    tie_break_proven: bool
    precise: bool = True
    """False when the solver could not keep to the limits in whole units (amounts too large for
    its tolerance), and the selection is one corrected, or the start, rather than its own."""


def _total(costs: Sequence[int], x: Sequence[int]) -> int:
    return sum(c for c, xi in zip(costs, x, strict=True) if xi)


def _highs(time_limit: float, *, presolve: bool = False) -> _Highs:
    h = _Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "on" if presolve else "off")
    h.setOptionValue("mip_rel_gap", 0.0)
    # Objectives are integers: a bound less than 1 above the incumbent proves it optimal.
    h.setOptionValue("mip_abs_gap", 0.5)
    h.setOptionValue("time_limit", max(float(time_limit), 0.001))
    h.setOptionValue("random_seed", 0)
    # This heuristic solves a sub-program with presolve and does not look at the clock: on
    # 100 000 applications it ran for minutes past the time limit (HiGHS 1.16).
    h.setOptionValue("mip_heuristic_run_root_reduced_cost", False)
    return h


class _Relaxation:
    """The linear relaxation's bound and reduced costs, for fixing columns (see :meth:`fixed`)."""

    def __init__(self, program: _Program, costs: Sequence[int], time_limit: float) -> None:
        m = program.columns
        lp = program.lp(costs)
        lp.integrality_ = [HighsVarType.kContinuous] * m
        h = _highs(time_limit)
        h.passModel(lp)
        h.run()
        self.seconds = h.getRunTime()
        self.bound: float | None = None
        self.at_lower = self.at_upper = np.zeros(m, dtype=bool)
        self.reduced = np.zeros(m)
        if h.getModelStatus() == HighsModelStatus.kOptimal:
            self.bound = float(h.getInfo().objective_function_value)
            self.reduced = np.asarray(h.getSolution().col_dual, dtype=np.float64)
            status = h.getBasis().col_status
            self.at_lower = np.fromiter(
                (s == HighsBasisStatus.kLower for s in status), dtype=bool, count=m
            )
            self.at_upper = np.fromiter(
                (s == HighsBasisStatus.kUpper for s in status), dtype=bool, count=m
            )

    def fixed(self, floor: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Column bounds that every selection worth at least ``floor`` keeps, or None.

        Reduced-cost fixing: a column at a bound of the relaxation's optimum whose reduced cost
        ``d`` exceeds ``bound - floor`` cannot move, because moving it would bring every
        selection below ``bound - |d| < floor``. A margin of 10^-6 (relative) covers the
        solver's tolerances; it only leaves more columns free.
        """
        if self.bound is None:
            return None
        slack = self.bound - floor
        if slack < 0:
            return None  # the relaxation disagrees with a known selection: do not trust it
        slack += 1e-6 * max(1.0, abs(self.bound))
        low = (self.at_upper & (self.reduced > slack)).astype(np.float64)
        high = 1.0 - (self.at_lower & (-self.reduced > slack)).astype(np.float64)
        return low, high


def _solve(
    program: _Program,
    costs: Sequence[int],
    preference: Sequence[int],
    time_limit: float,
    start: Sequence[int] | None = None,
) -> _Solution | None:
    """Maximise ``costs``, then ``preference`` among the optimal selections (see the module).

    ``None`` when the program has no solution (the quotas' minimums cannot be met together).
    Columns that no selection as good as ``start`` (or, for the second solve, as good as the
    optimum) can change are fixed first, from the linear relaxation's reduced costs: HiGHS does
    the same inside, but only after its expensive first rounds; fixed up front the two solves
    took 2-3 s and 1-2 s instead of 7 s and 15 s on 10 000 applications with binding quotas.
    """
    m = program.columns
    if m == 0:
        return _Solution([], True, 0, 0.0, True) if program.holds([]) else None
    index = np.arange(m, dtype=np.int32)
    relaxation = _Relaxation(program, costs, time_limit)
    spent = relaxation.seconds

    h = _highs(time_limit - spent)
    h.passModel(program.lp(costs))
    if start is not None:
        bounds = relaxation.fixed(_total(costs, start))
        if bounds is not None:
            h.changeColsBounds(m, index, *bounds)
        h.setSolution(m, index, np.asarray(start, dtype=np.float64))
    h.run()
    spent += h.getRunTime()
    status = h.getModelStatus()
    if status == HighsModelStatus.kInfeasible:
        return None
    if status not in (HighsModelStatus.kOptimal, HighsModelStatus.kTimeLimit):
        # Numerical trouble (seen with amounts of 10^15 kroner to the krone): the start, which
        # holds in integers, is the best that can be vouched for.
        if start is None:
            raise AllocationInvariantError(f"HiGHS stopped with {h.modelStatusToString(status)}")
        return _Solution([bool(v) for v in start], False, _total(costs, start), _INF, False, False)
    info = h.getInfo()
    values = h.getSolution().col_value
    x = [1 if v > 0.5 else 0 for v in values] if len(values) == m else []
    precise = True
    if x and not program.holds(x):
        # Over a limit by less than the solver's (relative) tolerance: corrected in integers,
        # and no longer proven optimal.
        precise = False
        x = program.repaired(x, costs) or []
    proven = status == HighsModelStatus.kOptimal and precise
    # Stopped by the time limit, or corrected: never return less than the starting point.
    if not proven and start is not None and (not x or _total(costs, start) > _total(costs, x)):
        x = list(start)
    if not x and not precise:
        raise PolicyError(key="policy.error.optimal_too_large")
    if not x:
        raise PolicyError(key="policy.error.optimal_time_limit", seconds=Decimal(f"{time_limit:g}"))
    objective = _total(costs, x)
    bound = float(info.mip_dual_bound)
    if not proven:
        return _Solution([bool(v) for v in x], False, objective, bound, False, precise)

    # Second solve: the objective at its optimum, the rank preference maximised. With most
    # columns fixed the program is small, and presolve (which costs more than it saves on the
    # whole program) removes the fixed columns.
    bounds = relaxation.fixed(objective)

    def tie_break(presolve: bool) -> tuple[list[int], bool, float]:
        h2 = _highs(time_limit - spent, presolve=presolve)
        h2.passModel(program.lp(preference))
        if bounds is not None:
            h2.changeColsBounds(m, index, *bounds)
        h2.addRow(float(objective), _INF, m, index, np.asarray(costs, dtype=np.float64))
        h2.setSolution(m, index, np.asarray(x, dtype=np.float64))
        h2.run()
        values = h2.getSolution().col_value
        found = [1 if v > 0.5 else 0 for v in values] if len(values) == m else []
        proven = h2.getModelStatus() == HighsModelStatus.kOptimal
        return found, proven, h2.getInfo().objective_function_value

    better, tie_break_proven, reported = tie_break(presolve=True)
    if better and tie_break_proven and _total(preference, better) + 0.5 < reported:
        # HiGHS (1.16) with presolve reported the best preference with a selection that falls
        # short of it (a zero-score application left out with budget to spare, found by the
        # exhaustive-search property): solved again without presolve.
        better, tie_break_proven, _ = tie_break(presolve=False)
    if better and _total(costs, better) == objective and program.holds(better):
        x = better
    return _Solution([bool(v) for v in x], True, objective, bound, tie_break_proven)


def _value(policy: Policy, apps: Sequence[Application], amounts: Sequence[int]) -> Decimal:
    """The objective of awards ``amounts`` (0 = not funded), exactly, in the policy's units."""
    total = Decimal(0)
    for app, amount in zip(apps, amounts, strict=True):
        if not amount:
            continue
        if policy.objective == "count":
            total += 1
        elif policy.objective == "score":
            assert app.score is not None
            total += app.score
        else:
            assert app.score is not None
            total += app.score * amount
    return total


def _unfunded_by_org(app: Application, amount: int, totals: ApplicantTotals) -> Reason | None:
    """``reason.optimal.per_applicant`` if the organisation cannot take ``amount`` whole:
    ``…_earlier`` (with ``earlier``) when what it received before this round took part of its
    maximum, ``…_alone`` when the amount alone is above it."""
    allowed, _ = totals.limit(app, amount)
    if allowed >= amount:
        return None
    assert totals.max is not None
    org = app.organisation
    assert org is not None
    already = totals.used.get(org, 0)
    params: dict[str, ParamValue] = {
        "orgnr": org,
        "max": totals.max,
        "already": already,
        "left": max(totals.max - already, 0),
        "needed": amount,
    }
    if already:
        params["earlier"] = already
        return make_reason("reason.optimal.per_applicant_earlier", **params)
    # The amount alone is above the maximum (rounds recorded before gave the plain code, whose
    # text says "has already been awarded 0 kr").
    return make_reason("reason.optimal.per_applicant_alone", **params)


def _funded_by_org(
    orgs: set[str | None], apps: Sequence[Application], amounts: Sequence[int]
) -> dict[str | None, list[int]]:
    """The positions the selection funds of each organisation of ``orgs``, in rank order."""
    funded_of: dict[str | None, list[int]] = {}
    for k, amount in enumerate(amounts):
        if amount:
            org = apps[k].organisation
            if org in orgs:
                funded_of.setdefault(org, []).append(k)
    return funded_of


def _selected_reason(
    org: str, funded: Sequence[int], apps: Sequence[Application], amounts: Sequence[int]
) -> Reason:
    """``reason.optimal.per_applicant_selected``: the organisation's applications the selection
    funds (``funded``, positions in rank order), and with how much; ``…_many`` names the first
    :data:`~tilskudd.rules.common.PER_APPLICANT_NAMED` and counts them all."""
    params: dict[str, ParamValue] = {
        "orgnr": org,
        "this_round": sum(amounts[j] for j in funded),
    }
    code = "reason.optimal.per_applicant_selected"
    if len(funded) <= PER_APPLICANT_NAMED + 1:
        params["funded"] = [apps[j].id for j in funded]
    else:
        params["funded"] = [apps[j].id for j in funded[:PER_APPLICANT_NAMED]]
        params["count"] = len(funded)
        code += "_many"
    return make_reason(code, **params)


def _say_what_was_selected(
    held: Sequence[int],
    apps: Sequence[Application],
    amounts: Sequence[int],
    reasons_of: Sequence[list[Reason]],
) -> None:
    """Add to the reasons of the positions ``held`` (by :func:`_unfunded_by_org`) which of the
    organisation's other applications the selection funds, in rank order, and with how much
    (:func:`_selected_reason`). Nothing when it funds none. One pass over the funded
    positions, for the organisations of ``held`` only."""
    funded_of = _funded_by_org({apps[k].organisation for k in held}, apps, amounts)
    for k in held:
        org = apps[k].organisation
        funded = funded_of.get(org)
        if funded and org is not None:
            reasons_of[k].append(_selected_reason(org, funded, apps, amounts))


def _filled_by_selection(
    eligible: Sequence[int],
    apps: Sequence[Application],
    amounts: Sequence[int],
    totals: ApplicantTotals,
) -> dict[int, list[Reason]]:
    """The positions left out of the selection that their organisation's maximum, with what the
    selection funds of it, could not take as well: ``reason.optimal.per_applicant_by_selection``
    (what it would have in all with this one; ``…_earlier`` with ``earlier``, what it had before
    the rule allocated, said apart) and :func:`_selected_reason`. A fact of the selection, not a
    claim that it is the only reason: the budget or a quota may leave the application out too.
    One pass over the positions."""
    most = totals.max
    if most is None:
        return {}
    out = [k for k, amount in enumerate(amounts) if eligible[k] and not amount]
    orgs = {apps[k].organisation for k in out} - {None}
    funded_of = _funded_by_org(orgs, apps, amounts)
    said: dict[int, list[Reason]] = {}
    for k in out:
        org = apps[k].organisation
        funded = funded_of.get(org)
        if not funded or org is None:
            continue
        total = totals.used.get(org, 0) + sum(amounts[j] for j in funded) + eligible[k]
        if total <= most:
            continue
        params: dict[str, ParamValue] = {
            "orgnr": org,
            "max": most,
            "needed": eligible[k],
            "total": total,
        }
        code = "reason.optimal.per_applicant_by_selection"
        before = totals.used.get(org, 0)
        if before:  # said apart from this round's selection, as the held reasons say it
            params["earlier"] = before
            code += "_earlier"
        passed = make_reason(code, **params)
        said[k] = [passed, _selected_reason(org, funded, apps, amounts)]
    return said


def _tie_notes(
    entries: Sequence[RankedEntry],
    eligible: Sequence[int],
    amounts: Sequence[int],
    candidates: Sequence[int],
    swaps: _Swaps,
) -> list[Reason]:
    """A ``note.optimal.tie`` for applications that share a rank and an eligible amount but not
    an outcome, where one left out could take the place of one funded within every limit
    (``swaps``): nothing in the program told them apart, so the stated rank order (the id,
    last) chose between them, and the round says so, as the ranked rule does for a tie at its
    line. Where no such swap holds (a quota's minimum only the funded one serves, say), the
    limits chose, not the order, and there is no note."""
    column = {k: j for j, k in enumerate(candidates)}
    groups: dict[tuple[int | None, int], list[int]] = {}
    for k, entry in enumerate(entries):
        if entry.tied and eligible[k]:
            groups.setdefault((entry.rank, eligible[k]), []).append(k)
    notes = []
    for (rank, amount), members in groups.items():
        funded = [k for k in members if amounts[k]]
        if not (len(members) > 1 and 0 < len(funded) < len(members)):
            continue
        left_out = [k for k in members if not amounts[k]]
        if not any(
            swaps.holds(column[i], column[j])
            for i in funded
            for j in left_out
            if i in column and j in column
        ):
            continue
        notes.append(
            make_reason(
                "note.optimal.tie",
                rank=rank,
                amount=amount,
                count=len(members),
                ids=[entries[k].application.id for k in members],
                funded_ids=[entries[k].application.id for k in funded],
                broken_by="id",
            )
        )
    return notes


class _Swaps:
    """Whether a selection ``x`` with one funded column ``out`` swapped for one left out,
    ``into``, still meets every row of the program. A swap changes only the rows of its two
    columns: each row's total is worked out once, when first asked."""

    def __init__(self, program: _Program, x: Sequence[int]) -> None:
        self.program = program
        self.x = x
        self.totals: list[int] | None = None
        self.touches: dict[int, list[tuple[int, int]]] = {}  # column -> (row, coefficient)

    def holds(self, out: int, into: int) -> bool:
        if self.totals is None:
            self.totals = []
            for r, (cols, coefs, _, _) in enumerate(self.program.rows):
                self.totals.append(sum(c for j, c in zip(cols, coefs, strict=True) if self.x[j]))
                for j, c in zip(cols, coefs, strict=True):
                    self.touches.setdefault(j, []).append((r, c))
        change: dict[int, int] = {}
        for r, c in self.touches.get(out, ()):
            change[r] = change.get(r, 0) - c
        for r, c in self.touches.get(into, ()):
            change[r] = change.get(r, 0) + c
        for r, d in change.items():
            _, _, low, high = self.program.rows[r]
            total = self.totals[r] + d
            if (low is not None and total < low) or (high is not None and total > high):
                return False
        return True


_SWAPS_TRIED = 2000
"""Swaps tried per shared rank by :func:`_swap_tie_notes` (a tie of thousands would otherwise
cost millions of checks); the most likely ones come first."""


def _swap_tie_notes(
    entries: Sequence[RankedEntry],
    eligible: Sequence[int],
    candidates: Sequence[int],
    swaps: _Swaps,
    costs: Sequence[int],
) -> list[Reason]:
    """A ``note.optimal.tie_swap`` for each rank shared by applications that ask for different
    amounts, where one funded could give way to one not funded in a selection just as good that
    meets every limit (``swaps``): the program could not tell them apart, so the stated order
    (the id, last) chose. Ties of equal amounts are :func:`_tie_notes`'."""
    x = swaps.x
    by_rank: dict[int, list[int]] = {}  # rank -> columns
    for j, k in enumerate(candidates):
        rank = entries[k].rank
        if entries[k].tied and rank is not None:
            by_rank.setdefault(rank, []).append(j)
    split = {
        rank: cols
        for rank, cols in by_rank.items()
        if any(x[j] for j in cols) and not all(x[j] for j in cols)
    }
    if not split:
        return []
    swap_holds = swaps.holds
    notes = []
    for rank, cols in split.items():
        funded = [j for j in cols if x[j]]
        # The smallest left out first: the likeliest to fit where a funded one was.
        left_out = sorted((j for j in cols if not x[j]), key=lambda j: eligible[candidates[j]])
        tries = 0
        swapped = False
        for i in funded:
            for j in left_out:
                if eligible[candidates[i]] == eligible[candidates[j]] or costs[i] != costs[j]:
                    continue
                tries += 1
                if swap_holds(i, j):
                    swapped = True
                    break
                if tries >= _SWAPS_TRIED:
                    break
            if swapped or tries >= _SWAPS_TRIED:
                break
        if swapped:
            notes.append(
                make_reason(
                    "note.optimal.tie_swap",
                    rank=rank,
                    count=len(cols),
                    ids=[entries[candidates[j]].application.id for j in cols],
                    funded_ids=[entries[candidates[j]].application.id for j in funded],
                    broken_by="id",
                )
            )
    return notes


@gc_paused
def allocate_optimal(
    applications: Sequence[Application],
    budget: int,
    policy: Policy,
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
    quota_given: Given | None = None,
) -> Allocation:
    """Allocate ``budget`` as the best selection of whole awards (see the module docstring).

    ``prior_by_orgnr``: awards in earlier rounds, counted against ``per_applicant_max``;
    ``quota_given``: the officer's decisions to fund, which the quotas count.
    Raises :class:`PolicyError` for quotas that cannot be met, or scores the objective needs.
    """
    objective = policy.objective
    check_rule_policy(applications, policy)
    entries = rank_order(applications, policy, required=objective != "count")
    apps = [entry.application for entry in entries]
    n = len(entries)

    caps = Caps(policy)
    totals = ApplicantTotals(policy, prior_by_orgnr)
    reasons_of: list[list[Reason]] = [[] for _ in range(n)]
    eligible = [0] * n
    held: list[int] = []  # the positions per_applicant_max leaves out, in rank order
    for k, app in enumerate(apps):
        low = caps.score_reason(app)
        if low is not None:
            reasons_of[k] = [low]
            continue
        amount, reasons = caps.eligible(app)
        reasons_of[k] = reasons
        if amount and policy.per_applicant_max is not None and app.organisation is not None:
            why = _unfunded_by_org(app, amount, totals)
            if why is not None:
                reasons.append(why)
                held.append(k)
                amount = 0
        eligible[k] = amount

    book = QuotaBook.build(
        apps, budget, policy, eligible, given=quota_given, prior_by_orgnr=prior_by_orgnr
    )
    candidates = [k for k in range(n) if eligible[k] > 0]
    column_of = {k: j for j, k in enumerate(candidates)}
    m = len(candidates)
    g = math.gcd(*(eligible[k] for k in candidates)) if candidates else 1
    units = [eligible[k] // g for k in candidates]

    # The program in integers: budget, organisations, quotas (in a fixed order).
    program = _Program(m)
    program.add(list(range(m)), units, None, budget // g)
    if policy.per_applicant_max is not None:
        by_org: dict[str, list[int]] = {}
        for j, k in enumerate(candidates):
            org = apps[k].organisation
            if org is not None:
                by_org.setdefault(org, []).append(j)
        for org in sorted(by_org):
            cols = by_org[org]
            left = policy.per_applicant_max - totals.used.get(org, 0)
            if sum(units[j] for j in cols) * g > left:
                program.add(cols, [units[j] for j in cols], None, left // g)
    if book is not None:
        for q, group in enumerate(book.groups):
            cols = [column_of[k] for k in group.members if k in column_of]
            money = [units[j] for j in cols]
            # The limits less what the officer's decisions to fund gave the group already.
            given_used, given_count = book.given[0][q], book.given[1][q]
            most = None if group.most is None else group.most - given_used
            least = max(group.least - given_used, 0)
            if least or (most is not None and sum(money) * g > most):
                high = None if most is None or sum(money) * g <= most else most // g
                program.add(cols, money, -(-least // g) if least else None, high)
            low_count = max((group.min_count or 0) - given_count, 0) or None
            high_count = None if group.max_count is None else group.max_count - given_count
            if high_count is not None and high_count >= len(cols):
                high_count = None
            if low_count is not None or high_count is not None:
                program.add(cols, [1] * len(cols), low_count, high_count)

    # The objective in integers.
    notes: list[Reason] = []
    if objective == "count":
        costs = [1] * m
        scale = Decimal(1)
    else:
        scores = [apps[k].score for k in candidates]
        assert all(s is not None for s in scores)
        places = score_places([s for s in scores if s is not None], "the optimal rule")
        points = [int(s.scaleb(places)) for s in scores if s is not None]
        if objective == "score":
            costs = points
            scale = Decimal(1).scaleb(-places)
        else:
            costs = [p * u for p, u in zip(points, units, strict=True)]
            scale = Decimal(g).scaleb(-places)
        magnitude = sum(abs(c) for c in costs)
        if magnitude >= _EXACT:
            divisor = 10 ** math.ceil(math.log10(magnitude / (_EXACT // 2)))
            costs = [
                int((Decimal(c) / divisor).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
                for c in costs
            ]
            scale *= divisor
            notes.append(make_reason("note.optimal.rounded", divisor=divisor))
    preference = [m - j for j in range(m)]

    # The ranked rule on the same input, whole awards: the comparison, and the starting point.
    ranked_amounts: list[int] | None = None
    try:
        ranked = allocate_ranked(
            applications,
            budget,
            policy.model_copy(update={"rule": "ranked", "at_line": "skip", "reserve": 0}),
            prior_by_orgnr=prior_by_orgnr,
            quota_given=quota_given,
        )
        by_id = ranked.by_id()
        ranked_amounts = [by_id[app.id].amount for app in apps]
    except PolicyError:
        ranked_amounts = None
    starts = [program.greedy(costs)]
    if ranked_amounts is not None:
        trial = [1 if ranked_amounts[k] == eligible[k] else 0 for k in candidates]
        starts.append(trial if program.holds(trial) else None)
    start = max((x for x in starts if x is not None), key=lambda x: _total(costs, x), default=None)

    solution = _solve(program, costs, preference, policy.time_limit, start)
    if solution is None:
        groups = [group for group in book.groups if group.has_minimum] if book else []
        heading = "quota.error.optimal_infeasible"
        if policy.per_applicant_max is not None:
            heading += "_per_applicant"
        raise QuotaError(problems=[[group.phrase] for group in groups], heading=heading)

    amounts = [0] * n
    for j, k in enumerate(candidates):
        if solution.selected[j]:
            amounts[k] = eligible[k]
    if held:
        _say_what_was_selected(held, apps, amounts, reasons_of)
    filled = _filled_by_selection(eligible, apps, amounts, totals)
    value = _value(policy, apps, amounts)
    if solution.proven:
        notes.append(make_reason("note.optimal.proven", objective=objective))
        if not solution.tie_break_proven:
            notes.append(make_reason("note.optimal.tie_break_not_proven"))
    elif not solution.precise:
        notes.append(make_reason("note.optimal.imprecise", objective=objective, value=value))
    elif not math.isfinite(solution.bound):
        notes.append(
            make_reason(
                "note.optimal.no_bound",
                objective=objective,
                value=value,
                time_limit=Decimal(repr(policy.time_limit)),
            )
        )
    else:
        # Rounded down to 4 decimals, or to the objective's unit where that is finer (scores of
        # 5 decimals and more): rounded coarser, the bound could fall below a better selection.
        unit = scale.as_tuple().exponent
        assert isinstance(unit, int)
        bound = (Decimal(repr(solution.bound)) * scale).quantize(
            Decimal(1).scaleb(min(-4, unit)), rounding=ROUND_DOWN
        )
        bound = max(bound, value)  # (a float a hair below an integer optimum)
        gap = Decimal(0)
        if bound:
            gap = ((bound - value) / abs(bound)).quantize(Decimal("0.000001"), ROUND_DOWN)
        notes.append(
            make_reason(
                "note.optimal.not_proven",
                objective=objective,
                value=value,
                bound=bound,
                gap=gap,
                time_limit=Decimal(repr(policy.time_limit)),
            )
        )
    notes.append(make_reason(f"note.optimal.objective.{objective}", value=value))
    if ranked_amounts is not None:
        ranked_value = _value(policy, apps, ranked_amounts)
        gain = value - ranked_value
        if gain >= 0:
            notes.append(make_reason("note.optimal.versus_ranked", ranked=ranked_value, gain=gain))
        else:
            # Ranked gives an application what its organisation has left under
            # per_applicant_max; this rule funds whole awards only, so ranked can reach more.
            notes.append(
                make_reason("note.optimal.ranked_partial", ranked=ranked_value, shortfall=-gain)
            )
    else:
        notes.append(make_reason("note.optimal.ranked_unavailable"))

    swaps = _Swaps(program, [1 if chosen else 0 for chosen in solution.selected])
    notes.extend(_tie_notes(entries, eligible, amounts, candidates, swaps))
    notes.extend(_swap_tie_notes(entries, eligible, candidates, swaps, costs))

    # The selection works with competition ranks; the result shows the ranks the officer gave.
    ranks = [entry.rank for entry in entries]
    labels = given_rank_labels([a.rank for a in apps], ranks)
    rank_shown = shown_ranks(ranks, labels)
    ordered = given_rank_notes(ranks, labels, lambda k: entries[k].application.id, policy)
    notes = relabel_notes([*ordered, *notes], labels)
    decisions: list[Decision] = []
    reserve_left = policy.reserve
    waiting: list[int] = []  # eligible and not selected, in rank order: the reserve candidates
    for k, entry in enumerate(entries):
        reasons = reasons_of[k]
        status = Status.NOT_FUNDED
        if amounts[k]:
            status = Status.FUNDED
            reasons.append(
                make_reason("reason.optimal.selected", rank=rank_shown[k], amount=amounts[k])
            )
        elif eligible[k]:
            waiting.append(k)
            reasons.append(
                make_reason("reason.optimal.not_selected", rank=rank_shown[k], needed=eligible[k])
            )
            reasons.extend(filled.get(k, ()))
            if reserve_left:
                position = policy.reserve - reserve_left + 1
                reasons.append(make_reason("reason.reserve.position", position=position))
                status = Status.RESERVE
                reserve_left -= 1
        decisions.append(
            make_decision(
                entry.application,
                status,
                amounts[k],
                eligible=eligible[k],
                rank=rank_shown[k],
                tied=entry.tied,
                reasons=reasons,
            )
        )
    notes.extend(_reserve_tie_notes(entries, waiting, policy.reserve, rank_shown))
    return build_allocation("optimal", policy, budget, decisions, notes)


def _reserve_tie_notes(
    entries: Sequence[RankedEntry],
    waiting: Sequence[int],
    reserve: int,
    rank_shown: Sequence[int | None],
) -> list[Reason]:
    """``note.tie_at_reserve`` if the reserve list ends inside a tie (only the ids put some of
    it on the list), as under ``ranked``; ``waiting``: the positions not selected, in order."""
    if not 0 < reserve < len(waiting):
        return []
    rank = entries[waiting[reserve]].rank
    if rank is None or entries[waiting[reserve - 1]].rank != rank:
        return []
    members = [k for k in waiting if entries[k].rank == rank]
    return [
        make_reason(
            "note.tie_at_reserve",
            rank=rank_shown[members[0]],
            count=len(members),
            ids=[entries[k].application.id for k in members],
            reserve_ids=[entries[k].application.id for k in members if k in waiting[:reserve]],
            broken_by="id",
        )
    ]
