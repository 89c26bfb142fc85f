"""Which parameters of a reason or round note are application ids, and naming them for people.

A note such as ``note.tie_at_line`` lists applications by id (``ids``, ``funded_ids``); a list
that shows no ids, or a letter to one applicant, names them as the lists do:
``Moss kommune – Felles arkiv (645)``. Each code that carries application ids declares which of
its parameters do in :data:`APPLICATION_ID_PARAMS` (a list of ids) or :data:`TIE_ORDER_PARAMS`
(a list whose items are ids joined by ``" = "``); the other list parameters of the catalogue's
reasons and notes are declared not to be ids in :data:`OTHER_LIST_PARAMS`. A new note with a
list parameter in neither fails a test (tests/test_named.py) rather than going unnamed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tilskudd.models import Application, ParamValue, Reason, RejectedRow
from tilskudd.wording import TIE_JOIN

__all__ = [
    "APPLICATION_ID_PARAMS",
    "OTHER_LIST_PARAMS",
    "TIE_ORDER_PARAMS",
    "application_names",
    "name_of",
    "named",
    "named_ids",
]

_TIE = frozenset({"ids", "funded_ids"})
_TIED = frozenset({"tied_ids"})

APPLICATION_ID_PARAMS: Mapping[str, frozenset[str]] = {
    # What filled an organisation's per_applicant_max: its awards before this one in the
    # round (rules/common.py per_applicant_filled; ranked, the lottery).
    **{
        f"reason.{kind}.per_applicant_{which}{many}": frozenset({"funded"})
        for kind in ("cap", "ineligible")
        for which in ("in_round", "earlier_and_round")
        for many in ("", "_many")
    },
    # ... with the officer's decisions to fund in this round said apart from the rule's awards
    # (rules/common.py per_applicant_officer_first, since 2026-11-30).
    **{
        f"reason.{kind}.per_applicant{earlier}_officer": frozenset({"officer"})
        for kind in ("cap", "ineligible")
        for earlier in ("", "_earlier")
    },
    **{
        f"reason.{kind}.per_applicant{earlier}_officer_and_round": frozenset({"officer", "funded"})
        for kind in ("cap", "ineligible")
        for earlier in ("", "_earlier")
    },
    # The organisation's applications the optimal rule's selection funds, beside a reason
    # that per_applicant_max leaves one out (rules/optimal.py).
    "reason.optimal.per_applicant_selected": frozenset({"funded"}),
    "reason.optimal.per_applicant_selected_many": frozenset({"funded"}),
    # ... and the officer's decisions to fund that took part of the maximum (rules/overrides.py).
    "reason.optimal.per_applicant_officer": frozenset({"officer"}),
    "reason.optimal.per_applicant_earlier_officer": frozenset({"officer"}),
    "reason.optimal.per_applicant_by_selection_officer": frozenset({"officer"}),
    "reason.optimal.per_applicant_by_selection_earlier_officer": frozenset({"officer"}),
    # An application of an organisation held at per_applicant_max (rules/proportional.py).
    "reason.proportional.per_applicant": frozenset({"others"}),
    # ... and the officer's decisions to fund that took part of its maximum (rules/overrides.py).
    "reason.proportional.per_applicant_officer": frozenset({"others", "officer"}),
    "reason.proportional.per_applicant_officer_alone": frozenset({"officer"}),
    "reason.proportional.per_applicant_earlier_officer": frozenset({"others", "officer"}),
    "reason.proportional.per_applicant_earlier_officer_alone": frozenset({"officer"}),
    # The officer's decisions to fund that take an organisation past per_applicant_max
    # (rules/overrides.py).
    "reason.override.above_per_applicant": frozenset({"ids"}),
    "reason.override.above_per_applicant_earlier": frozenset({"ids"}),
    # The claims of one organisation's applications that share a rank: proportional counted
    # per_applicant_max against claims until 2026-11-30; rounds recorded so still name them.
    "reason.cap.per_applicant_claim_tied": _TIED,
    "reason.ineligible.per_applicant_claim_tied": _TIED,
    # Ties (rules/common.py, rules/ranked.py).
    "note.given_rank_ordered": frozenset({"ids"}),
    "note.tie_at_line": _TIE,
    "note.tie_at_line_not_by_order": _TIE | {"unfunded_ids"},
    "note.tie_at_quota": _TIE,
    "note.tie_at_reserve": frozenset({"ids", "reserve_ids"}),
    "note.tie_per_applicant": frozenset({"ids", "cut_ids"}),
    "note.tie_by_order": _TIE,
    "note.tie_not_by_order": _TIE,
    "note.tie_order_unchecked": _TIE,
    # The officer's notes on what could not be applied (rules/__init__.py).
    "note.share_of_cost_unknown": frozenset({"ids"}),
    "note.share_of_cost_unknown_many": frozenset({"ids"}),
    "note.per_applicant_unknown": frozenset({"ids"}),
    "note.per_applicant_unknown_many": frozenset({"ids"}),
    # rules/proportional.py
    "note.proportional.tie_at_min_award": frozenset({"ids", "dropped_ids"}),
    "note.proportional.tie_at_min_award_ordered": frozenset({"ids", "dropped_ids"}),
    "note.proportional.remainder_tie": _TIE,
    "note.proportional.remainder_tie_ordered": _TIE,
    "note.proportional.tie_per_applicant": frozenset({"ids", "cut_ids"}),  # until 2026-11-30
    # rules/optimal.py
    "note.optimal.tie": _TIE,
    "note.optimal.tie_swap": _TIE,
    # rules/lottery.py: the draw's order.
    "note.lottery.draw": frozenset({"ids"}),
}
"""For each reason or note code that names applications, the parameters that are lists of
their ids."""

TIE_ORDER_PARAMS: Mapping[str, frozenset[str]] = {
    "note.given_rank_ordered": frozenset({"order"}),
}
"""Parameters whose items are places in an order, the ids of a tie joined by ``" = "``."""

OTHER_LIST_PARAMS: Mapping[str, frozenset[str]] = {
    "reason.rejected.invalid": frozenset({"cells"}),
    "reason.rejected.county_kept": frozenset({"counties"}),
    "note.quota.idle_category_near": frozenset({"near"}),
}
"""List parameters of reasons and notes that are not application ids (cells, counties,
categories): declared so, that every list parameter is one or the other."""


def named_ids(reason: Reason) -> list[str]:
    """Every application id ``reason`` names, in the order its parameters give them."""
    found: list[str] = []
    for key in APPLICATION_ID_PARAMS.get(reason.code, ()):
        value = reason.params.get(key)
        if isinstance(value, list):
            found.extend(v for v in value if v not in found)
    for key in TIE_ORDER_PARAMS.get(reason.code, ()):
        value = reason.params.get(key)
        if isinstance(value, list):
            for place in value:
                found.extend(v for v in place.split(TIE_JOIN) if v not in found)
    return found


def name_of(application_id: str, applicant: str | None, project: str | None) -> str:
    """An application as a published list names it: ``Moss kommune – Portal (F1)``; one with
    neither applicant nor project by its id."""
    who = " – ".join(p for p in (applicant, project) if p)
    return f"{who} ({application_id})" if who else application_id


def application_names(
    applications: Iterable[Application | RejectedRow],
) -> dict[str, str]:
    """Each application as a published list names it (:func:`name_of`)."""
    names: dict[str, str] = {}
    for app in applications:
        names.setdefault(app.id, name_of(app.id, app.applicant, app.project))
    return names


def named(reason: Reason, names: Mapping[str, str]) -> Reason:
    """``reason`` with the application ids it declares replaced by ``names`` (an id not in
    ``names`` stays as it is)."""
    ids = APPLICATION_ID_PARAMS.get(reason.code, frozenset())
    order = TIE_ORDER_PARAMS.get(reason.code, frozenset())
    if not ids and not order:
        return reason
    params: dict[str, ParamValue] = {}
    for key, value in reason.params.items():
        if isinstance(value, list) and key in ids:
            value = [names.get(v, v) for v in value]
        elif isinstance(value, list) and key in order:
            value = [TIE_JOIN.join(names.get(m, m) for m in v.split(TIE_JOIN)) for v in value]
        params[key] = value
    return Reason(reason.code, params)
