"""The one-way flow as library calls: read -> validate -> allocate -> a RoundResult.

The CLI is a thin user of these functions; so is anyone scripting tilskudd::

    checked = read_applications("søknader.xlsx", register="2009")
    result = run_round(checked, budget=20_000_000, policy=Policy(max_share_of_cost="20 %"))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tilskudd import __version__
from tilskudd.models import (
    Decision,
    Policy,
    Reason,
    RoundResult,
    Source,
    Status,
)
from tilskudd.reading.table import RawTable

if TYPE_CHECKING:  # imported when a file is read: the command line imports it beside the parse
    from tilskudd.validation import CheckedTable, ValidationResult

__all__ = ["read_applications", "rejected_decisions", "run_round", "with_file_comment"]

RANKING_RULES = frozenset({"ranked", "optimal", "lottery"})


def read_applications(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    register: str = "2024",
    lang: str = "en",
    display_name: str | None = None,
    rule: str | None = None,
    meanwhile: Callable[[], object] | None = None,
    currency: str = "NOK",
) -> ValidationResult:
    """Read and validate an applications file (xlsx, xlsm, xls, ods, csv) in one pass.

    Raises :class:`~tilskudd.errors.InputFileError` when the file cannot be read as applications
    at all, or holds none (a header with no rows below it: a wrong sheet, or a file saved too
    early, never a round to allocate and publish); problems in cells are returned as issues in
    the result, never raised. With a ``rule`` that ranks (ranked, optimal, lottery), a score or a
    rank is required of every application. ``meanwhile``: see
    :func:`~tilskudd.reading.read_table`. ``currency``: the ISO 4217 code the round counts in;
    a currency the file gives (a ``Currency`` column, a ``currency;EUR`` line) is held to it,
    and an amount's header may name it (``Søkt beløp (EUR)``).
    """
    from tilskudd.reading import read_table

    table = read_table(
        path,
        sheet=sheet,
        columns=columns,
        display_name=display_name,
        lang=lang,
        meanwhile=meanwhile,
        currency=currency,
    )
    from tilskudd.validation import validate

    require_rows(table, lang)
    require = ("requested", "score|rank") if rule in RANKING_RULES else ("requested",)
    return with_file_comment(
        validate(table, register=register, require=require, currency=currency), path
    )


_WithComment = TypeVar("_WithComment", "ValidationResult", "CheckedTable")


def with_file_comment(checked: _WithComment, path: str | Path) -> _WithComment:
    """``checked`` with the comment the file's compilers wrote on the data (a pabulib file's
    ``META`` comment), when ``path`` has one: the round's records keep it."""
    from dataclasses import replace

    from tilskudd.reading.pabulib import stated_comment

    comment = stated_comment(path)
    return checked if comment is None else replace(checked, comment=comment.whole)


def require_rows(table: RawTable, lang: str = "en") -> None:
    """:class:`~tilskudd.errors.InputFileError` when ``table`` has a header but no rows below it.

    ``check`` and ``allocate`` both refuse such a sheet: a wrong sheet or a file saved too early,
    never a round to allocate and publish ("No errors" and an empty award list would mislead).
    """
    if table.rows:
        return
    from tilskudd.errors import InputFileError
    from tilskudd.i18n import get
    from tilskudd.reading.sheet import where

    t = get(lang)
    place = where(t, table.file, table.sheet)
    raise InputFileError(t("read.error.no_rows", where=place, row=table.header_row))


def rejected_decisions(checked: ValidationResult) -> tuple[Decision, ...]:
    """A `rejected` decision for every application that failed validation, with its problems."""
    decisions = []
    for row in checked.rejected:
        codes = [issue.code for issue in row.issues if issue.is_error]
        cells = [issue.location.cell for issue in row.issues if issue.is_error and issue.location]
        decisions.append(
            Decision(
                application_id=row.id,
                status=Status.REJECTED,
                amount=0,
                requested=row.requested,
                reasons=(
                    Reason(
                        code="reason.rejected.invalid",
                        params={"problems": len(codes), "codes": codes, "cells": cells},
                    ),
                ),
            )
        )
    return tuple(decisions)


def run_round(
    checked: ValidationResult,
    budget: int,
    policy: Policy,
    *,
    sha256: str | None = None,
    created: datetime | None = None,
    programme: str | None = None,
    round_name: str | None = None,
    funder: str | None = None,
    decided: Sequence[Decision] = (),
    prior_by_orgnr: Mapping[str, int] | None = None,
    decision_date: date | None = None,
    currency: str = "NOK",
) -> RoundResult:
    """Allocate ``budget`` over the valid applications by ``policy`` and return the whole result.

    Invalid applications are in the result with status `rejected` and their problems.
    ``decided`` are decisions made before the rule runs (in a programme: applications funded in
    an earlier round); those applications are not allocated again. ``prior_by_orgnr`` is what
    each organisation received before, for ``per_applicant_max`` across rounds.
    ``decision_date``: the date of the round's decision (a programme round's ``decision``), for
    the documents that publish it. ``currency``: the ISO 4217 code the amounts are in.
    """
    from tilskudd.rules import allocate
    from tilskudd.validation import with_budget

    # The warning about amounts kept in thousands, weighed against the budget (the command
    # has done so before: then nothing changes).
    checked = with_budget(checked, budget)
    decided_ids = {d.application_id for d in decided}
    eligible = tuple(a for a in checked.applications if a.id not in decided_ids)
    allocation = allocate(eligible, budget, policy, prior_by_orgnr=prior_by_orgnr)
    added = tuple(decided) + rejected_decisions(checked)
    if added:
        allocation = allocation.with_unfunded(added)
    return RoundResult(
        allocation=allocation,
        applications=checked.applications,
        rejected=checked.rejected,
        issues=checked.issues,
        source=Source(
            file=checked.file,
            sha256=sha256,
            sheet=checked.sheet,
            header_row=checked.header_row,
            comment=checked.comment,
        ),
        extra_columns=checked.extra_columns,
        tool_version=__version__,
        created=created or datetime.now(UTC).replace(microsecond=0),
        programme=programme,
        round=round_name,
        funder=funder,
        decision_date=decision_date,
        currency=currency,
    )
