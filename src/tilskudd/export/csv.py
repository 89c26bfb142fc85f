"""CSV export: one row per application (every status), for spreadsheets and scripts.

Two dialects:

- ``excel`` (default): what Norwegian Excel opens correctly by double-click: semicolon-separated,
  UTF-8 with a byte-order mark (without it Excel reads æøå as mojibake), decimal comma;
- ``plain``: comma-separated UTF-8 without BOM, decimal point, for scripts and other tools.

A committed round amended or withdrawn from since its decision (``result.changes``) has the awards
as they stand in *awarded* and *status* (``endret``, ``trukket tilbake``), or with
``as_decided=True`` the decision's, and five more columns after *problem*, named as in ``ledger
export``: the amount decided, the amount now, when it last changed, what changed (each change's
date, amounts and reason) and the rules an ``--outside-policy`` change went beyond.

A round in another currency than kroner names it in one more column, *Valuta* (*Currency*),
after those, as ``ledger export`` does: the amounts are plain numbers, and a file sent on
without it (a pabulib election's euros, forints or złoty) reads as kroner. A carried column of
that name (360Giving's ``Currency``) is left to say it.

Amounts are plain integers (no grouping), so the spreadsheet reads them as numbers. A carried
column that the award workbook writes as numbers (:func:`~tilskudd.export.xlsx.carried_columns`:
every cell a plain number, such as a CSV file's ``2.99`` and ``6978124.0``) is written in the
``excel`` dialect as the numbers they are, with a decimal comma (``2,99``, ``6978124``):
Norwegian Excel reads ``2.99`` as a date, February 1999. Text that
Excel would run as a formula (a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return: OWASP's CSV injection rule) gets a leading apostrophe. Numbers are never text here, so a
negative number would stay a number; amounts are never negative anyway.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Literal

from tilskudd.currency import NOK
from tilskudd.errors import UsageError
from tilskudd.export.atomic import atomic_write
from tilskudd.i18n import get
from tilskudd.models import AwardChange, CellValue, Decision, Issue, RejectedRow, RoundResult
from tilskudd.publication import changes_by_id, standing
from tilskudd.wording import (
    change_sentences,
    column_header,
    county_label,
    decision_text,
    issue_text,
    kept_text,
    municipality_label,
    rank_text,
    status_text,
    waived_text,
)

__all__ = ["DIALECTS", "FORMULA_STARTS", "neutralise", "rows", "write"]

Dialect = Literal["excel", "plain"]
DIALECTS: tuple[Dialect, ...] = ("excel", "plain")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula (OWASP)."""

_FIELDS = (
    "rank",
    "id",
    "applicant",
    "orgnr",
    "project",
    "municipalities",
    "counties",
    "category",
    # requested before total_cost, as in the award workbook, the terminal and the documents
    "requested",
    "total_cost",
    "score",
    "eligible",
    "awarded",
    "status",
    "reason",
    "row",
    "problem",
)


CHANGE_FIELDS = ("committed", "current", "changed_at", "change_reason", "outside_policy")
"""The columns of a round changed since its decision, headed as ``ledger export`` heads them."""


def neutralise(text: str) -> str:
    """Text as a cell that no spreadsheet runs as a formula: ``=1+1`` -> ``'=1+1``."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _decimal(value: Decimal, dialect: Dialect) -> str:
    text = format(value, "f")
    return text.replace(".", ",") if dialect == "excel" else text


def _cell(
    value: CellValue, dialect: Dialect, numbers: dict[str, int | Decimal] | None = None
) -> str | int:
    """A carried-through cell: numbers as numbers, text neutralised, empty as empty; a text
    of a column of ``numbers`` (each text's number) as its number."""
    if value is None:
        return ""
    if numbers is not None and type(value) is str and value in numbers:
        value = numbers[value]
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return _decimal(value, dialect)
    return neutralise(value)


def _text(value: str | None) -> str:
    return neutralise(value) if value else ""


def _problems(issues: Sequence[Issue], lang: str, rejected: RejectedRow | None = None) -> str:
    """Every problem of a row with its cell; for a rejected row, what it kept of its places
    beside a municipalities cell with an error (:func:`kept_text`)."""
    parts = []
    for issue in issues:
        where = issue.location.cell if issue.location else ""
        text = issue_text(issue, lang)
        parts.append(f"{where}: {text}" if where else text)
    kept = kept_text(rejected, lang) if rejected is not None else ""
    return "; ".join([*parts, kept] if kept else parts)


def _change_cells(decision: Decision, changes: Sequence[AwardChange], lang: str) -> list[str | int]:
    """The amount decided, the amount now, the last change's time, what changed and the rules
    it went beyond; for an unchanged decision its amount twice and the rest empty."""
    if not changes:
        return [decision.amount, decision.amount, "", "", ""]
    waived = dict.fromkeys(rule for change in changes for rule in change.outside_policy)
    return [
        decision.amount,
        changes[-1].amount_after,
        changes[-1].created,
        _text(" ".join(change_sentences(changes, lang))),
        _text(waived_text(waived, lang)),
    ]


def _currency_column(result: RoundResult, lang: str) -> str | None:
    """The header of the column naming the round's currency, or None: kroner go without
    saying, and a carried column of that name says it already."""
    if result.currency == NOK:
        return None
    header: str = get(lang)("ledger.column.currency")
    carried = {c.casefold() for c in result.extra_columns}
    return None if header.casefold() in carried else header


def rows(
    result: RoundResult,
    *,
    lang: str = "en",
    dialect: Dialect = "excel",
    as_decided: bool = False,
) -> list[list[str | int]]:
    """The header row and one row per application, in the allocation's order; for a round
    changed since its decision, as it stands (or ``as_decided``), with the change columns."""
    t = get(lang)
    changed = changes_by_id(result) if standing(result) is not None else None
    # In Norwegian Excel's dialect the numbers a CSV file's columns hold as text ("2.99") are
    # written with a decimal comma; scripts get them as they were typed.
    numbers: dict[str, dict[str, int | Decimal]] = {}
    if dialect == "excel" and result.extra_columns:
        # Imported here: the command line imports this module (its dialects) before the sheet
        # is read, and the award workbook's module only while it is parsed.
        from tilskudd.export.xlsx import round_carried_columns

        numbers = round_carried_columns(result).numbers
    header: list[str | int] = [column_header(f, lang) for f in _FIELDS]
    if changed is not None:
        header += [t(f"ledger.column.{f}") for f in CHANGE_FIELDS]
    currency = _currency_column(result, lang)
    if currency:
        header.append(currency)
    header += [neutralise(c) for c in result.extra_columns]
    out: list[list[str | int]] = [header]
    apps = result.applications_by_id()
    rejected = result.rejected_by_id()
    issues: dict[str, list[Issue]] = {}
    for issue in result.issues:
        if issue.application_id is not None:
            issues.setdefault(issue.application_id, []).append(issue)
    for decision in result.allocation.decisions:
        app = apps.get(decision.application_id)
        bad = rejected.get(decision.application_id)
        requested = decision.requested
        requested_typed = ""
        extra: dict[str, CellValue] = {}
        if app is not None:
            requested = app.requested
            extra = app.extra
            fields: list[str | int] = [
                _text(app.applicant),
                app.orgnr or "",
                _text(app.project),
                ", ".join(municipality_label(m) for m in app.municipalities),
                ", ".join(county_label(c) for c in app.counties),
                _text(app.category),
            ]
            total_cost: str | int = app.total_cost if app.total_cost is not None else ""
            score: str | int = _decimal(app.score, dialect) if app.score is not None else ""
            row: str | int = app.row if app.row is not None else ""
        else:
            if bad is None:
                bad = RejectedRow(id="", issues=())
            if requested is None:
                requested = bad.requested
            extra = bad.extra
            # Every cell that was valid as read; one with an error as it was typed (the
            # problems column beside it says what is wrong with it).
            typed = bad.typed
            fields = [
                _text(bad.applicant),
                bad.orgnr or _text(typed.get("orgnr")),
                _text(bad.project),
                ", ".join(municipality_label(m) for m in bad.municipalities)
                or _text(typed.get("municipalities")),
                ", ".join(county_label(c) for c in bad.counties) or _text(typed.get("county")),
                _text(bad.category),
            ]
            total_cost = (
                bad.total_cost if bad.total_cost is not None else _text(typed.get("total_cost"))
            )
            score = (
                _decimal(bad.score, dialect) if bad.score is not None else _text(typed.get("score"))
            )
            row = bad.row if bad.row is not None else ""
            if requested is None:
                requested_typed = _text(typed.get("requested"))
        changes = changed.get(decision.application_id, ()) if changed is not None else ()
        awarded = decision.amount
        status = status_text(decision.status, lang)
        if changes and not as_decided:
            awarded = changes[-1].amount_after
            state = "withdrawn" if changes[-1].kind == "withdraw" else "amended"
            status = t(f"ledger.state.{state}")
        line: list[str | int] = [
            rank_text(decision),
            _text(decision.application_id),
            *fields,
            requested if requested is not None else requested_typed,
            total_cost,
            score,
            decision.eligible_amount if decision.eligible_amount is not None else "",
            awarded,
            status,
            _text(decision_text(decision, lang)),
            row,
            _text(_problems(issues.get(decision.application_id, []), lang, bad)),
        ]
        if changed is not None:
            line += _change_cells(decision, changes, lang)
        if currency:
            line.append(result.currency)
        line += [
            _cell(extra.get(column), dialect, numbers.get(column))
            for column in result.extra_columns
        ]
        out.append(line)
    return out


def write(
    result: RoundResult,
    path: Path,
    *,
    lang: str = "en",
    csv_dialect: str = "excel",
    as_decided: bool = False,
    **_options: object,
) -> None:
    """Write one row per application to ``path`` (``csv_dialect`` ``excel`` or ``plain``); a
    round changed since its decision as it stands, or ``as_decided``."""
    if csv_dialect not in DIALECTS:
        raise UsageError(key="output.error.csv_dialect", given=csv_dialect)
    dialect: Dialect = "excel" if csv_dialect == "excel" else "plain"
    # utf-8-sig writes the byte-order mark Excel needs to read UTF-8.
    encoding = "utf-8-sig" if dialect == "excel" else "utf-8"
    delimiter = ";" if dialect == "excel" else ","
    with atomic_write(Path(path), encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerows(rows(result, lang=lang, dialect=dialect, as_decided=as_decided))
