"""What a pabulib file states of its own round: the budget and currency in its ``META``, and
the ``comment`` its compilers wrote on the data.

A participatory-budgeting election in the pabulib format (pabulib.org) begins with a ``META``
section of ``key;value`` lines (``budget;400000.0``, ``currency;EUR``), then ``PROJECTS``, which
tilskudd reads as the applications. The election's budget is a fact about the file, not the
officer's decision: it is said when ``--budget`` is missing, so that it can be typed, and never
taken as the round's budget by itself. The ``comment`` may tell what the data leave out
(Budapest's: about half the votes were cast on paper and are not in the file); it is shown to
the officer by ``check`` and ``allocate`` and kept in the round's records (the JSON of both, the
award workbook), never published.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tilskudd.currency import parse_currency
from tilskudd.errors import CurrencyError

__all__ = ["COMMENT_SHOWN", "StatedBudget", "StatedComment", "stated_budget", "stated_comment"]

_HEAD_BYTES = 1 << 16
"""How much of a file is read for its META: a few hundred bytes in every pabulib file."""

_SECTIONS = frozenset({"projects", "votes"})

COMMENT_SHOWN = 1000
"""A ``comment`` longer than this many characters is shown cut at a word before it, with how
long the whole is (Budapest's, some 700 characters, is shown whole)."""


@dataclass(frozen=True)
class StatedBudget:
    """A budget a file states for itself, with the lines that state it as the file has them."""

    budget: int
    """The budget in whole units (``budget;400000.0`` -> 400000)."""
    currency: str | None
    """The ISO 4217 code of its ``currency`` line, None when it has none (or not a code)."""
    lines: tuple[str, ...]
    """The lines as written: ``("budget;400000.0", "currency;EUR")``."""


@dataclass(frozen=True)
class StatedComment:
    """The ``comment`` of a file's ``META``, as it is shown: whole, or its first
    :data:`COMMENT_SHOWN` characters or so, cut at a word."""

    text: str
    """The comment's words, unquoted, each run of white space one space; ``…`` at the end when
    shortened."""
    length: int
    """How many characters the whole comment has (so unquoted and spaced)."""
    shortened: bool
    """Whether :attr:`text` is a part of the comment."""
    whole: str
    """The whole comment, unquoted and spaced as :attr:`text` (for the records that keep it:
    the JSON of ``check``, the award workbook, the JSON of ``allocate``)."""


def _meta_lines(path: Path | str) -> list[str] | None:
    """The lines of a pabulib file's ``META`` section (its ``key;value`` header included), each
    with its line end, or None (another file, or one that cannot be read).

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
    # Each line with its end: a quoted value may go on over a line break (csv.reader joins it).
    lines = head.decode("utf-8-sig", errors="replace").splitlines(keepends=True)
    if not lines or lines[0].strip().lower() != "meta":
        return None
    meta = []
    for line in lines[1:]:
        if line.strip().partition(";")[0].strip().lower() in _SECTIONS:
            break
        meta.append(line)
    return meta


def stated_comment(path: Path | str) -> StatedComment | None:
    """The ``comment`` of a pabulib file's ``META``, or None (another file, no comment or an
    empty one). Its value is a CSV field (``comment;"#1: ""neighborhood"" ..."``): unquoted,
    its white space made single spaces, and shortened past :data:`COMMENT_SHOWN` characters."""
    lines = _meta_lines(path)
    if lines is None:
        return None
    for fields in csv.reader(lines, delimiter=";"):
        if not fields or fields[0].strip().lower() != "comment":
            continue
        text = re.sub(r"\s+", " ", ";".join(fields[1:])).strip()
        if not text:
            return None
        if len(text) <= COMMENT_SHOWN:
            return StatedComment(text=text, length=len(text), shortened=False, whole=text)
        cut = text[:COMMENT_SHOWN].rsplit(" ", 1)[0].rstrip(" ,;:.")
        return StatedComment(text=f"{cut}…", length=len(text), shortened=True, whole=text)
    return None


def stated_budget(path: Path | str) -> StatedBudget | None:
    """The budget a pabulib file's ``META`` states, or None (another file, no budget line, a
    budget that is not a whole positive number, or a file that cannot be read).

    Only a regular file is opened (a pipe read here would be gone for the reading proper).
    """
    lines = _meta_lines(path)
    if lines is None:
        return None
    found: dict[str, str] = {}
    written: dict[str, str] = {}
    for line in lines:
        key, _, value = line.strip().partition(";")
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
