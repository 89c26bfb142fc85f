"""Allocation rules: ``rule(applications, budget, policy) -> Allocation``, one module each.

Every rule is a pure function — no I/O, no clock, no global state — and gives the same result
whatever the order of ``applications``. :data:`RULES` maps the names a policy may give
(``policy.rule``) to the functions; :func:`allocate` dispatches on it. The shared pieces
(eligibility, caps, rank order, per-applicant totals, building the result) are in
:mod:`tilskudd.rules.common`.

- ``ranked`` (default, :mod:`~tilskudd.rules.ranked`): best first, each funded with its eligible
  amount while the budget lasts; ``at_line`` decides the marginal application; a reserve list.
- ``proportional`` (:mod:`~tilskudd.rules.proportional`): the same share of every eligible amount
  (optionally weighted by score), water-filled, exact to the krone.
- ``optimal`` (:mod:`~tilskudd.rules.optimal`): the selection of whole awards with the greatest
  total score (or number funded, or score × amount), proven by an integer program (HiGHS).
- ``lottery`` (:mod:`~tilskudd.rules.lottery`): ranked, but the applications scored within
  ``lottery_band`` of the funding line are taken in a seeded, portable draw order.

Quotas per category or county (``policy.quotas``, :mod:`~tilskudd.rules.quotas`) hold in
``ranked``, ``optimal`` and ``lottery``; ``proportional`` refuses them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from tilskudd.errors import PolicyError
from tilskudd.models import (
    DECISIONS_CHECKED,
    Allocation,
    Application,
    Policy,
    Reason,
    other_organisation,
)
from tilskudd.money import MAX_AMOUNT
from tilskudd.rules.common import (
    check_unique_ids,
    empty_tie_break_columns,
    make_reason,
    natural_key,
)
from tilskudd.rules.lottery import allocate_lottery
from tilskudd.rules.overrides import allocate_with_overrides
from tilskudd.rules.proportional import allocate_proportional
from tilskudd.rules.quotas import Given, idle_quota_notes
from tilskudd.rules.ranked import allocate_ranked

__all__ = ["RULES", "Rule", "allocate", "per_applicant_note", "share_of_cost_note"]


class Rule(Protocol):
    """``rule(applications, budget, policy, *, prior_by_orgnr=None, quota_given=None)
    -> Allocation``; ``quota_given``: the officer's decisions to fund, which quotas count."""

    def __call__(
        self,
        applications: Sequence[Application],
        budget: int,
        policy: Policy,
        *,
        prior_by_orgnr: Mapping[str, int] | None = None,
        quota_given: Given | None = None,
    ) -> Allocation: ...


def allocate_optimal(
    applications: Sequence[Application],
    budget: int,
    policy: Policy,
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
    quota_given: Given | None = None,
) -> Allocation:
    """The ``optimal`` rule (:mod:`tilskudd.rules.optimal`), imported when first used.

    It needs numpy and the HiGHS solver, which take a noticeable part of a second to import;
    every other rule, and every command, starts without them.
    """
    from tilskudd.rules.optimal import allocate_optimal as run

    return run(applications, budget, policy, prior_by_orgnr=prior_by_orgnr, quota_given=quota_given)


RULES: dict[str, Rule] = {
    "ranked": allocate_ranked,
    "proportional": allocate_proportional,
    "optimal": allocate_optimal,
    "lottery": allocate_lottery,
}
"""The rules by the name ``policy.rule`` uses."""


def allocate(
    applications: Sequence[Application],
    budget: int,
    policy: Policy,
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
) -> Allocation:
    """Allocate ``budget`` kroner over ``applications`` by ``policy.rule``.

    ``prior_by_orgnr`` is what each organisation number received in earlier rounds of a
    programme; ``per_applicant_max`` counts it (see :mod:`tilskudd.rounds`).

    Applications with an officer's ``decision`` are decided by it first and the rule allocates
    the rest with what is left (:mod:`tilskudd.rules.overrides`).

    Raises :class:`~tilskudd.errors.PolicyError` for an unknown rule, a negative budget, or a
    policy the applications cannot meet (no scores to rank by); :class:`~tilskudd.errors.
    TilskuddError` when two applications share an id; :class:`~tilskudd.errors.OverrideError`
    for overrides without a reason or amount, or funding more than the budget.
    """
    rule = RULES.get(policy.rule)
    if rule is None:
        raise PolicyError(
            f"unknown or unavailable rule {policy.rule!r}; available: {', '.join(sorted(RULES))}"
        )
    if isinstance(budget, bool) or not isinstance(budget, int) or not 0 <= budget <= MAX_AMOUNT:
        raise PolicyError(
            f"the budget must be a whole number of kroner from 0 to {MAX_AMOUNT}, not {budget!r}"
        )
    ids, decided, without_cost, without_orgnr = _survey(applications)
    if len(set(ids)) != len(ids):
        check_unique_ids(applications)  # names them
    # Officers' manual overrides first, the same way for every rule (tilskudd.rules.overrides).
    if decided:
        result = allocate_with_overrides(
            rule, applications, budget, policy, prior_by_orgnr=prior_by_orgnr
        )
    else:
        result = rule(applications, budget, policy, prior_by_orgnr=prior_by_orgnr)
    # Settings that held nothing in this round (a cap of share of cost on applications without
    # a cost, a quota on a group no application is in): said once, under the award table and in
    # every output, so that no one believes a limit applied that did not.
    found = (
        share_of_cost_note(applications, policy) if without_cost else None,
        per_applicant_note(applications, policy) if without_orgnr else None,
    )
    notes = [*(n for n in found if n is not None), *idle_quota_notes(applications, policy)]
    notes += [
        make_reason("note.tie_break_empty", setting="tie_break", column=column)
        for column in empty_tie_break_columns(applications, policy)
    ]
    if not notes:
        return result
    # The same checked decisions with notes more: the model need not walk them again.
    return Allocation.model_validate(
        {**dict(result), "notes": (*result.notes, *notes)},
        context={DECISIONS_CHECKED: result.decisions},
    )


def _survey(applications: Sequence[Application]) -> tuple[list[str], bool, bool, bool]:
    """The applications' ids, and whether any has an officer's decision, any lacks a total cost
    and any lacks an organisation number: what :func:`allocate` asks around the rule, in one
    pass over the application objects (at 100 000 of them, a pass for each question cost about
    10 ms of reaching the objects in memory)."""
    ids: list[str] = []
    add = ids.append
    decided = without_cost = without_orgnr = False
    for application in applications:
        fields = application.__dict__  # a pydantic model's fields: one lookup instead of several
        add(fields["id"])
        if fields["decision"] is not None:
            decided = True
        if fields["total_cost"] is None:
            without_cost = True
        if fields["orgnr"] is None and other_organisation(fields["extra"]) is None:
            without_orgnr = True
    return ids, decided, without_cost, without_orgnr


SHOWN_IDS = 10
"""How many of the applications without a total cost :func:`share_of_cost_note` names."""


def share_of_cost_note(applications: Sequence[Application], policy: Policy) -> Reason | None:
    """A round-level note when ``max_share_of_cost`` could not be applied to some applications.

    Each such application's reasons say so (``reason.cap.share_of_cost_unknown``), but one
    reason among many in a long list is easily missed, and when no application has a total cost
    the likely cause is a column tilskudd did not recognise: the note says that, once, under the
    award table and in every output. ``None`` when the policy has no such cap or every
    application has a total cost. An application an officer decided (an override) is left out:
    caps do not limit an override, so there was no cap to apply to it.
    """
    share = policy.max_share_of_cost
    if share is None:
        return None
    # One pass over the round; the rest only over those without a total cost (usually none).
    without = [a for a in applications if a.total_cost is None]
    if not without:
        return None
    if len(without) == len(applications):
        # No total cost anywhere: likely a column tilskudd did not recognise.
        return make_reason("note.share_of_cost_unknown_all", share=share, total=len(applications))
    missing = [a.id for a in without if a.decision is None]
    if not missing:
        return None
    # Counted among the applications the cap could apply to: those no officer decided.
    total = len(applications) - sum(1 for a in applications if a.decision is not None)
    shown = sorted(missing, key=natural_key)[:SHOWN_IDS]
    if len(shown) < len(missing):
        return make_reason(
            "note.share_of_cost_unknown_many",
            share=share,
            count=len(missing),
            total=total,
            shown=len(shown),
            ids=shown,
        )
    return make_reason(
        "note.share_of_cost_unknown",
        share=share,
        count=len(missing),
        total=total,
        ids=shown,
    )


def per_applicant_note(applications: Sequence[Application], policy: Policy) -> Reason | None:
    """A round-level note when ``per_applicant_max`` could not be applied to some applications:
    it sums an organisation number's applications, and one without an organisation number is
    in no such sum, so nothing caps it. Without the note the cap would hold nothing and no one
    would know (no application's reasons say it). ``None`` when the policy has no such cap or
    every application has an organisation number; an officer's decision (an override) is left
    out, as no cap limits it. The note names the setting (``setting``), for the command line to
    say where it was written."""
    most = policy.per_applicant_max
    if most is None:
        return None
    without = [a for a in applications if a.organisation is None and a.decision is None]
    if not without:
        return None
    total = sum(1 for a in applications if a.decision is None)
    if len(without) == total:
        return make_reason(
            "note.per_applicant_unknown_all", setting="per_applicant_max", max=most, total=total
        )
    ids = sorted((a.id for a in without), key=natural_key)
    shown = ids[:SHOWN_IDS]
    return make_reason(
        "note.per_applicant_unknown_many"
        if len(shown) < len(ids)
        else "note.per_applicant_unknown",
        setting="per_applicant_max",
        max=most,
        count=len(ids),
        total=total,
        shown=len(shown),
        ids=shown,
    )
