"""Manual overrides: an officer's own decision on an application, applied before any rule.

An application may carry ``decision`` (``fund`` / ``reject`` / ``reserve``; validation reads
Norwegian ``innvilg`` / ``avslå`` / ``reserve`` too), ``decision_amount`` and ``decision_reason``.
:func:`allocate_with_overrides` applies them the same way whatever the rule
(:func:`tilskudd.rules.allocate` calls it):

1. Checked first, every problem in one :class:`~tilskudd.errors.OverrideError`: each override has
   a reason; a decision to fund has an amount above 0 and at most the request (there is no
   default amount: an override moves money, so it must say how much); reject and reserve award
   nothing; and the fund overrides together fit the budget — if not, the error names every one
   with its amount, the total and the budget.
2. ``fund``: the application gets ``decision_amount`` out of the budget
   (``reason.override.fund`` with the officer's text). Its status is ``funded`` when the amount is
   at least its eligible amount under the policy's caps (as the rules call a capped award funded)
   and ``partly_funded`` below it. The officer decides: caps, ``min_score``, ``round_to``,
   ``min_award`` and ``per_applicant_max`` do not limit an override, but an amount above what the
   policy would allow is said in ``reason.override.above_eligible`` (``reason.override.
   outside_policy`` when the policy would not have funded it at all), and decisions that take an
   organisation past ``per_applicant_max`` (with its awards of earlier rounds) in
   ``reason.override.above_per_applicant`` on each of them.
3. ``reject``: ``not_funded`` with ``reason.override.reject`` and the officer's text.
4. ``reserve``: ``reserve`` with ``reason.override.reserve``. The officer's reserves come first
   on the reserve list (in rank order among themselves, positions 1..k); the rule's own reserve
   list follows them, its positions moved down by k. ``policy.reserve`` is the length of the
   rule's list, so overrides lengthen the list rather than push anyone off it.
5. The rule allocates the other applications with what is left of the budget. Fund overrides
   count against ``per_applicant_max``: they are added to what each organisation has already
   received (``prior_by_orgnr``), so the rule gives its other applications at most the rest.
   A rule's reason that says what took part of the maximum names the officer's decisions as
   this round's, apart from earlier rounds (``_officer_first``).
   They count in the quotas too (:class:`~tilskudd.rules.quotas.Given`): a group starts from
   what the officer gave it, so the rule gives it at most what is left under a maximum and only
   what a minimum still needs; a maximum the decisions pass already is refused, naming the
   group. The round's notes say so (``note.override.quotas_counted``).
6. Ranks are over all applications: the rule ranks those it decides; the result shows each
   application's rank among all of them (the overridden included), and the rule's reasons and
   notes that name a rank (parameters ``rank`` and ``line_rank``) are renumbered to match. A
   rule whose ranks do not follow :func:`~tilskudd.rules.common.rank_order` keeps its own ranks
   and the overridden applications get none.

Every application appears once; ``budget == awarded + unallocated`` holds; overridden decisions
are marked ``override=True``, and the round's notes say what the overrides decided
(``note.override.applied``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from typing import Any

from tilskudd.errors import OverrideError
from tilskudd.i18n import Phrase
from tilskudd.models import (
    Allocation,
    Application,
    Decision,
    ParamValue,
    Policy,
    Reason,
    Status,
)
from tilskudd.rules.common import (
    PER_APPLICANT_CODES,
    RANK_PARAMS,
    Caps,
    RankedEntry,
    build_allocation,
    gc_paused,
    given_rank_labels,
    make_decision,
    make_reason,
    natural_key,
    per_applicant_officer_first,
    rank_order,
    ranking_basis,
    relabel_reason,
)
from tilskudd.rules.quotas import Given

__all__ = [
    "RANK_PARAMS",
    "allocate_with_overrides",
    "check_overrides",
    "has_overrides",
    "override_amounts",
]

RESERVE_POSITION = "reason.reserve.position"

_SHOWN = 20  # applications named in one error line before "…"

RuleFunction = Callable[..., Allocation]


def has_overrides(applications: Sequence[Application]) -> bool:
    """True if any application carries an officer's decision."""
    return any(a.decision is not None for a in applications)


def override_amounts(applications: Sequence[Application]) -> dict[str, int]:
    """The amount each fund override takes from the budget, by application id."""
    return {
        a.id: a.decision_amount or 0
        for a in applications
        if a.decision == "fund" and a.decision_amount
    }


def _where(app: Application) -> Phrase | str:
    if app.row is None:
        return app.id
    return Phrase("override.error.where", id=app.id, row=app.row)


def check_overrides(applications: Sequence[Application], budget: int) -> None:
    """Raise :class:`OverrideError` listing every override that cannot be applied.

    Each override needs a reason; a decision to fund needs an amount above 0 and at most the
    request; reject and reserve take no amount; the fund overrides together must fit ``budget``.
    """
    problems: list[list[Phrase]] = []
    funds: list[tuple[Application, int]] = []
    for app in sorted(
        (a for a in applications if a.decision is not None), key=lambda a: natural_key(a.id)
    ):
        where = _where(app)
        if not (app.decision_reason or "").strip():
            problems.append(
                [Phrase("override.error.no_reason", where=where, decision=app.decision)]
            )
        amount = app.decision_amount
        if app.decision == "fund":
            if not amount:
                problems.append(
                    [Phrase("override.error.no_amount", where=where, requested=app.requested)]
                )
            elif amount > app.requested:
                problems.append(
                    [
                        Phrase(
                            "override.error.above_request",
                            where=where,
                            amount=amount,
                            requested=app.requested,
                        )
                    ]
                )
            else:
                funds.append((app, amount))
        elif amount:
            problems.append(
                [
                    Phrase(
                        "override.error.amount_without_fund",
                        where=where,
                        decision=app.decision,
                        amount=amount,
                    )
                ]
            )
    total = sum(amount for _, amount in funds)
    if total > budget:
        funds.sort(key=lambda pair: (-pair[1], natural_key(pair[0].id)))
        over = [
            Phrase("override.error.over_budget", total=total, over=total - budget, budget=budget),
            *(
                Phrase("override.error.named", where=_where(app), amount=amount)
                for app, amount in funds[:_SHOWN]
            ),
        ]
        if len(funds) > _SHOWN:
            over.append(Phrase("override.error.more", n=len(funds) - _SHOWN))
        problems.append(over)
    if problems:
        raise OverrideError(problems=problems)


def _full_ranking(
    rest: Sequence[Application], overridden: Sequence[Application], policy: Policy
) -> list[RankedEntry]:
    """One ranking of the rule's applications and the overridden ones that can join it."""
    basis = ranking_basis(rest) if rest else ranking_basis(overridden)
    if basis is not None and policy.rule == "lottery":
        # The lottery ranks by score whatever else the applications have.
        joining = [a for a in overridden if a.score is not None]
        if all(a.score is not None for a in rest):
            return rank_order([*rest, *joining], policy, by="score")
        return []
    if basis == "rank":
        joining = [a for a in overridden if a.rank is not None]
    elif basis == "score":
        joining = [a for a in overridden if a.score is not None]
    else:
        return []
    entries = rank_order([*rest, *joining], policy, required=False)
    # Given ranks are shown as given, as the rule shows them (not renumbered 1, 2, 3).
    labels = given_rank_labels([e.application.rank for e in entries], [e.rank for e in entries])
    if labels:
        entries = [e if e.rank is None else e._replace(rank=labels[e.rank]) for e in entries]
    return entries


def _rank_map(decisions: Sequence[Decision], full: Mapping[str, RankedEntry]) -> dict[int, int]:
    """The rule's rank number -> the rank among all applications; empty if they disagree."""
    mapping: dict[int, int] = {}
    for d in decisions:
        if d.rank is None:
            continue
        entry = full.get(d.application_id)
        if entry is None or entry.rank is None:
            return {}
        if mapping.setdefault(d.rank, entry.rank) != entry.rank:
            return {}  # the rule ranks in an order of its own: keep it
    # One to one is not enough: a rule's 1, 2, 3 that are 6, 5, 4 among all is an order of its
    # own too (its ranks, renumbered, would say the reverse of what it decided by), and so is
    # its 2, 3 for two that share rank 2 among all (renumbered, they would look tied).
    ranks = sorted(mapping)
    if any(mapping[a] >= mapping[b] for a, b in pairwise(ranks)):
        return {}
    return mapping


def _renumber(reason: Reason, ranks: Mapping[int, int], shift: int) -> Reason:
    """``reason`` with its rank parameters renumbered and a reserve position moved by ``shift``."""
    reason = relabel_reason(reason, ranks)
    if shift and reason.code == RESERVE_POSITION:
        position = reason.params.get("position")
        if isinstance(position, int):
            return make_reason(reason.code, **{**reason.params, "position": position + shift})
    return reason


_HELD_BY_ORG = frozenset(
    {
        "reason.proportional.per_applicant",
        "reason.proportional.per_applicant_alone",
        "reason.optimal.per_applicant_earlier",
        "reason.optimal.per_applicant_by_selection_earlier",
    }
)
"""The reasons of ``proportional`` and ``optimal`` that say what an organisation had before the
rule allocated (its ``earlier``; proportional's ``had_earlier``, "had awards in earlier
rounds"): with the officer's decisions to fund counted in it, they are said anew by
:func:`_officer_said`."""


def _officer_said(
    reason: Reason, officer: Sequence[str], officer_amount: int, earlier: int
) -> Reason:
    """``reason`` (one of :data:`_HELD_BY_ORG`, given with the officer's decisions to fund
    counted as earlier awards) saying each part for what it is: ``earlier``, what the
    organisation received in earlier rounds, and ``officer_amount``, what the officer's
    decisions on ``officer`` (its applications, in id order) give it in this round. New codes
    (``…_officer``, ``…_earlier_officer``), so that rounds recorded before keep their words."""
    params: dict[str, ParamValue] = {
        k: v for k, v in reason.params.items() if k not in ("earlier", "had_earlier")
    }
    officer_params: dict[str, ParamValue] = {
        "officer": list(officer),
        "officer_count": len(officer),
        "officer_amount": officer_amount,
    }
    said = "_earlier_officer" if earlier else "_officer"
    if earlier:
        params["earlier"] = earlier
    code = reason.code
    if code.startswith("reason.optimal.per_applicant_by_selection"):
        code = "reason.optimal.per_applicant_by_selection" + said
    elif code.startswith("reason.optimal."):
        code = "reason.optimal.per_applicant" + said
    else:
        alone = code.endswith("_alone")
        code = "reason.proportional.per_applicant" + said + ("_alone" if alone else "")
    return make_reason(code, **params, **officer_params)


def _officer_first(
    reasons: tuple[Reason, ...],
    officer_of: Mapping[str, Sequence[str]],
    officer_amount_of: Mapping[str, int],
    earlier_by_orgnr: Mapping[str, int],
) -> tuple[Reason, ...]:
    """``reasons`` with a ``per_applicant_max`` reason that counted the officer's decisions to
    fund as earlier awards naming them as this round's (``reasons`` itself when none did)."""
    for at, reason in enumerate(reasons):
        held = reason.code in _HELD_BY_ORG
        if not held and reason.code not in PER_APPLICANT_CODES:
            continue
        org = reason.params.get("orgnr")
        officer = officer_of.get(org) if isinstance(org, str) else None
        if not officer or not isinstance(org, str):
            return reasons
        earlier = earlier_by_orgnr.get(org, 0)
        if held:
            said = _officer_said(reason, officer, officer_amount_of[org], earlier)
        else:
            said = per_applicant_officer_first(reason, officer, earlier, officer_amount_of[org])
        return (*reasons[:at], said, *reasons[at + 1 :])
    return reasons


def _past_per_applicant(
    app: Application,
    policy: Policy,
    counted: Mapping[str, int],
    officer_of: Mapping[str, Sequence[str]],
    funds: Mapping[str, int],
    earlier_by_orgnr: Mapping[str, int] | None,
) -> Reason | None:
    """``reason.override.above_per_applicant`` (``..._earlier`` with awards of earlier rounds)
    when the officer's decisions to fund ``app``'s organisation, with what it received in
    earlier rounds (``counted``: both together), pass ``per_applicant_max``; else ``None``.

    The maximum does not limit an officer's decision, but an amount beyond what the policy
    would allow is said, as the ledger says it of an amendment (``per_applicant_max``)."""
    most = policy.per_applicant_max
    org = app.organisation
    if most is None or org is None or counted.get(org, 0) <= most:
        return None
    ids = list(officer_of[org])
    earlier = (earlier_by_orgnr or {}).get(org, 0)
    total = counted[org]
    if earlier:
        this_round = sum(funds[i] for i in ids)
        return make_reason(
            "reason.override.above_per_applicant_earlier",
            orgnr=org,
            max=most,
            total=total,
            earlier=earlier,
            this_round=this_round,
            count=len(ids),
            ids=ids,
        )
    return make_reason(
        "reason.override.above_per_applicant",
        orgnr=org,
        max=most,
        total=total,
        count=len(ids),
        ids=ids,
    )


@gc_paused
def allocate_with_overrides(
    rule: RuleFunction,
    applications: Sequence[Application],
    budget: int,
    policy: Policy,
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
) -> Allocation:
    """Apply the officers' overrides, then ``rule`` to the rest (see the module docstring).

    Without overrides this is ``rule(applications, budget, policy, ...)`` unchanged.
    """
    overridden = [a for a in applications if a.decision is not None]
    if not overridden:
        return rule(applications, budget, policy, prior_by_orgnr=prior_by_orgnr)
    check_overrides(overridden, budget)
    rest = [a for a in applications if a.decision is None]
    funds = override_amounts(overridden)
    quota_given = None
    if policy.quotas:
        # The quotas count the officer's money: each group starts from what the decisions gave
        # (and a group made only of applications the officer decided still has its limits).
        quota_given = Given(tuple((app, funds.get(app.id, 0)) for app in overridden), budget)
    prior = dict(prior_by_orgnr or {})
    officer_of: dict[str, list[str]] = {}  # organisation -> the ids the officer funded
    officer_amount_of: dict[str, int] = {}  # organisation -> what the officer gave it
    if policy.per_applicant_max is not None:
        for app in overridden:
            org = app.organisation
            if org is not None and app.id in funds:
                prior[org] = prior.get(org, 0) + funds[app.id]
                officer_of.setdefault(org, []).append(app.id)
                officer_amount_of[org] = officer_amount_of.get(org, 0) + funds[app.id]
        for ids in officer_of.values():
            ids.sort(key=natural_key)
    given = sum(funds.values())
    if quota_given is not None:
        result = rule(
            rest, budget - given, policy, prior_by_orgnr=prior or None, quota_given=quota_given
        )
    else:
        result = rule(rest, budget - given, policy, prior_by_orgnr=prior or None)

    entries = _full_ranking(rest, overridden, policy)
    full = {e.application.id: e for e in entries}
    ranks = _rank_map(result.decisions, full)
    renumber = bool(ranks) or not any(d.rank is not None for d in result.decisions)
    if not renumber:
        full = {}

    reserves = sorted(
        (a for a in overridden if a.decision == "reserve"),
        key=lambda a: (full[a.id].position if a.id in full else len(full), natural_key(a.id)),
    )
    shift = len(reserves)
    moved = any(k != v for k, v in ranks.items())
    rest_by_id = {a.id: a for a in rest}
    decisions: list[Decision] = []
    # Once per application of the round: only what changes is rebuilt.
    for d in result.decisions:
        entry = full.get(d.application_id)
        rank, tied = (entry.rank, entry.tied) if entry is not None else (d.rank, d.tied)
        reasons = d.reasons
        if officer_of:
            reasons = _officer_first(reasons, officer_of, officer_amount_of, prior_by_orgnr or {})
        if moved or shift:
            renumbered = [_renumber(r, ranks, shift) for r in reasons]
            if any(new is not old for new, old in zip(renumbered, reasons, strict=True)):
                reasons = tuple(renumbered)
        if rank != d.rank or tied != d.tied or reasons is not d.reasons:
            d = make_decision(
                rest_by_id[d.application_id],
                d.status,
                d.amount,
                eligible=d.eligible_amount,
                rank=rank,
                tied=tied,
                reasons=reasons,
                override=d.override,
            )
        decisions.append(d)

    caps = Caps(policy)
    positions = {a.id: p for p, a in enumerate(reserves, start=1)}
    decided: list[Decision] = []
    counts = {"fund": 0, "reject": 0, "reserve": 0}
    for app in overridden:
        assert app.decision is not None
        counts[app.decision] += 1
        eligible, _ = caps.eligible(app)
        if caps.score_reason(app) is not None:
            eligible = 0
        text = (app.decision_reason or "").strip()
        entry = full.get(app.id)
        rank, tied = (entry.rank, entry.tied) if entry is not None else (None, False)
        amount = 0
        if app.decision == "fund":
            amount = funds[app.id]
            status = Status.FUNDED if amount >= eligible else Status.PARTLY_FUNDED
            why = [make_reason("reason.override.fund", amount=amount, text=text)]
            if eligible == 0:
                why.append(make_reason("reason.override.outside_policy"))
            elif amount > eligible:
                why.append(
                    make_reason("reason.override.above_eligible", amount=amount, eligible=eligible)
                )
            past = _past_per_applicant(app, policy, prior, officer_of, funds, prior_by_orgnr)
            if past is not None:
                why.append(past)
        elif app.decision == "reject":
            status = Status.NOT_FUNDED
            why = [make_reason("reason.override.reject", text=text)]
        else:
            status = Status.RESERVE
            why = [make_reason("reason.override.reserve", position=positions[app.id], text=text)]
        decided.append(
            make_decision(
                app,
                status,
                amount,
                eligible=eligible,
                rank=rank,
                tied=tied,
                reasons=why,
                override=True,
            )
        )

    # Rank order over all applications, as the rules list them; the unranked after, by id.
    # Without one ranking the rule's own order stands and the overrides follow it.
    decided.sort(key=lambda d: natural_key(d.application_id))
    decisions += decided
    if full:
        last = len(full)
        ranked_first: tuple[Any, ...] = ()  # positions are unique: no second key needed

        def place(d: Decision) -> tuple[int, tuple[Any, ...]]:
            entry = full.get(d.application_id)
            if entry is not None:
                return (entry.position, ranked_first)
            return (last, natural_key(d.application_id))

        decisions.sort(key=place)
    notes = [_renumber(n, ranks, 0) for n in result.notes]
    notes.append(
        make_reason(
            "note.override.applied",
            count=len(overridden),
            funded=counts["fund"],
            amount=given,
            rejected=counts["reject"],
            reserve=counts["reserve"],
            remaining=budget - given,
        )
    )
    if quota_given is not None and funds:
        notes.append(
            make_reason(
                "note.override.quotas_counted",
                funded=len(funds),
                amount=given,
                budget=budget,
            )
        )
    return build_allocation(result.rule, policy, budget, decisions, notes, seed=result.seed)
