"""What a pabulib file states of its own round: the budget and currency in its ``META``.

A participatory-budgeting election in the pabulib format (pabulib.org) begins with a ``META``
section of ``key;value`` lines (``budget;400000.0``, ``currency;EUR``), then ``PROJECTS``, which
tilskudd reads as the applications. The election's budget is a fact about the file, not the
officer's decision: it is said when ``--budget`` is missing, so that it can be typed, and never
taken as the round's budget by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tilskudd.currency import parse_currency
from tilskudd.errors import CurrencyError

__all__ = ["StatedBudget", "stated_budget"]

_HEAD_BYTES = 1 << 16
"""How much of a file is read for its META: a few hundred bytes in every pabulib file."""

_SECTIONS = frozenset({"projects", "votes"})


@dataclass(frozen=True)
class StatedBudget:
    """A budget a file states for itself, with the lines that state it as the file has them."""

    budget: int
    """The budget in whole units (``budget;400000.0`` -> 400000)."""
    currency: str | None
    """The ISO 4217 code of its ``currency`` line, None when it has none (or not a code)."""
    lines: tuple[str, ...]
    """The lines as written: ``("budget;400000.0", "currency;EUR")``."""


def stated_budget(path: Path | str) -> StatedBudget | None:
    """The budget a pabulib file's ``META`` states, or None (another file, no budget line, a
    budget that is not a whole positive number, or a file that cannot be read).

    Only a regular file is opened (a pipe read here would be gone for the reading proper).
    """
    path = Path(path)
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return None
    lines = head.decode("utf-8-sig", errors="replace").splitlines()
    if not lines or lines[0].strip().lower() != "meta":
        return None
    found: dict[str, str] = {}
    written: dict[str, str] = {}
    for line in lines[1:]:
        key, _, value = line.strip().partition(";")
        if key.strip().lower() in _SECTIONS:
            break
        name = key.strip().lower()
        if name in ("budget", "currency") and name not in found:
            found[name], written[name] = value.strip(), line.strip()
    budget = _whole(found.get("budget", ""))
    if budget is None:
        return None
    currency = None
    if found.get("currency"):
        try:
            currency = parse_currency(found["currency"])
        except CurrencyError:
            currency = None
    return StatedBudget(budget=budget, currency=currency, lines=tuple(written.values()))


def _whole(text: str) -> int | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number <= 0 or number != number.to_integral_value():
        return None
    return int(number)
