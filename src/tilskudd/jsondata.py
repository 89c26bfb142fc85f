"""tilskudd's values as plain JSON data, the same in every JSON it writes.

The allocation export (:mod:`tilskudd.export.json`) and ``tilskudd explain --format json``
(:mod:`tilskudd.explain`) give amounts as JSON integers and exact decimals (scores, shares) as
strings, so that no reader turns ``0.2`` into a binary fraction; tuples become lists. A reason is
its code and parameters for machines and its sentence in the chosen language for people.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tilskudd import clock
from tilskudd.models import Reason
from tilskudd.wording import Change, reason_text

__all__ = ["change_data", "plain", "reason_data"]

_AS_IS = frozenset({str, int, bool, type(None)})


def plain(value: Any) -> Any:
    """``value`` as JSON data: Decimal as text, tuples as lists, mapping keys as text; a float
    that is not finite as text too (``"inf"``), since JSON cannot hold it.

    Called for every parameter and carried-through cell of a round (at 10 000 applications, about
    80 000 values), so the common types are told apart by ``type`` first; subclasses (an
    ``IntEnum``, a ``Mapping`` that is not a dict) take the slower ``isinstance`` path.
    """
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is Decimal:
        return str(value)
    if kind is float and not math.isfinite(value):
        # JSON has no infinity: a time_limit = inf recorded by tilskudd 0.1.0 is written "inf".
        return str(value)
    if kind is dict:
        return {
            key if type(key) is str else str(key): item if type(item) in _AS_IS else plain(item)
            for key, item in value.items()
        }
    if kind is tuple or kind is list:
        return [item if type(item) in _AS_IS else plain(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def reason_data(reason: Reason, lang: str) -> dict[str, Any]:
    """A reason or note as JSON data: its code, its parameters and its sentence in ``lang``."""
    return {"code": reason.code, "params": plain(reason.params), "text": reason_text(reason, lang)}


def change_data(change: Change) -> dict[str, Any]:
    """An amendment or withdrawal of an award as JSON data: its kind, its ``date`` (the day it
    was decided where the officer gave one, else the day it was recorded, as the documents date
    it), the decision date and the time recorded as the ledger holds them, the amounts before
    and after, the reason, and the rules of the policy it went beyond."""
    return {
        "kind": change.kind,
        "date": clock.change_day(change.decided, change.created).isoformat(),
        "decided": change.decided,
        "recorded": change.created,
        "before": change.amount_before,
        "after": change.amount_after,
        "reason": change.reason,
        "outside_policy": list(change.outside_policy),
    }
