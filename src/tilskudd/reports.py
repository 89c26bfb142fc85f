"""Reports about checked input for programs: the JSON form of ``tilskudd check``.

The keys are stable (programs depend on them); add keys, never rename or remove one. Amounts are
integers, whole units of the round's currency (``currency``: ``"NOK"`` unless the round names
another); the oversubscription ratio is a decimal string (``"2.98"``) so no float creeps
in. Messages are rendered in the requested language; ``code`` and ``params`` carry the same
information for machines.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from tilskudd.controls import visible
from tilskudd.currency import shown
from tilskudd.models import Application, Issue, RejectedRow, Severity
from tilskudd.summary import BudgetCheck
from tilskudd.wording import issue_text

if TYPE_CHECKING:
    from tilskudd.validation import RegisterMismatch

__all__ = [
    "CheckedInput",
    "budget_check_to_json",
    "check_to_json",
    "issue_to_json",
    "sorted_issues",
]


class CheckedInput(Protocol):
    """What ``check`` reports on: a validated file (``tilskudd.validation.ValidationResult``)."""

    @property
    def file(self) -> str: ...
    @property
    def sheet(self) -> str | None: ...
    @property
    def header_row(self) -> int | None: ...
    @property
    def ranking_column(self) -> bool: ...
    @property
    def applications(self) -> Sequence[Application]: ...
    @property
    def rejected(self) -> Sequence[RejectedRow]: ...
    @property
    def issues(self) -> Sequence[Issue]: ...
    @property
    def register_mismatch(self) -> RegisterMismatch | None: ...
    @property
    def comment(self) -> str | None: ...


def _column_key(column: str | None) -> tuple[int, str]:
    # 'B' before 'AA': shorter letter runs are earlier columns.
    return (len(column), column) if column else (0, "")


def sorted_issues(issues: Sequence[Issue]) -> list[Issue]:
    """Errors first, then warnings; within each, file-wide problems first, then by row, column."""

    def key(issue: Issue) -> tuple[int, int, tuple[int, str]]:
        loc = issue.location
        return (
            0 if issue.is_error else 1,
            loc.row if loc and loc.row is not None else 0,
            _column_key(loc.column if loc else None),
        )

    return sorted(issues, key=key)  # stable: issues on the same cell keep their order


def _json_param(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    return value


def issue_to_json(issue: Issue, lang: str) -> dict[str, Any]:
    """One issue with stable keys: where it is, what it is (code, params) and the message."""
    loc = issue.location
    return {
        "severity": issue.severity.value,
        "code": issue.code,
        "message": issue_text(issue, lang),
        "cell": loc.cell if loc else None,
        "file": loc.file if loc else None,
        "sheet": loc.sheet if loc else None,
        "row": loc.row if loc else None,
        "column": loc.column if loc else None,
        "header": loc.header if loc else None,
        "field": issue.field,
        "value": issue.value,
        "application_id": issue.application_id,
        "params": {k: _json_param(v) for k, v in issue.params.items()},
    }


def budget_check_to_json(check: BudgetCheck) -> dict[str, Any]:
    """The budget check's figures: amounts as integers, the oversubscription as a decimal string."""
    return {
        "budget": check.budget,
        "valid": check.valid,
        "invalid": check.invalid,
        "requested": check.requested,
        "oversubscription": (
            str(check.oversubscription) if check.oversubscription is not None else None
        ),
        "funded_in_full_by_score": check.funded_in_full_by_score,
        "requested_of_those": check.requested_of_those,
        "left_after_those": check.budget - check.requested_of_those,
        "municipalities": check.municipalities,
        "counties": check.counties,
        "unscored": check.unscored,
    }


def check_to_json(
    checked: CheckedInput,
    budget_check: BudgetCheck | None = None,
    *,
    lang: str = "en",
    strict: bool = False,
    currency: str | None = None,
) -> dict[str, Any]:
    """The whole ``check`` report as JSON-able data with stable keys; ``valid`` as the exit
    code says it (with ``strict``, a warning makes the file not valid). ``currency``: the
    ISO 4217 code of the round's amounts, by default the one they are shown in
    (:func:`tilskudd.currency.amounts_in`, else NOK)."""
    issues = sorted_issues(checked.issues)
    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    return {
        # As the first line of check's report names them (tilskudd.controls).
        "file": visible(checked.file),
        "sheet": None if checked.sheet is None else visible(checked.sheet),
        "header_row": checked.header_row,
        "valid": errors == 0 and not (strict and len(issues) > errors),
        "counts": {
            "applications": len(checked.applications) + len(checked.rejected),
            "valid": len(checked.applications),
            "invalid": len(checked.rejected),
            "errors": errors,
            "warnings": len(issues) - errors,
        },
        "issues": [issue_to_json(i, lang) for i in issues],
        "budget_check": budget_check_to_json(budget_check) if budget_check else None,
        "ranking_column": checked.ranking_column,
        "register_mismatch": _mismatch_to_json(checked.register_mismatch),
        # What every amount here is in (the budget check's, the issues' params), as the JSON
        # of allocate records it; NOK too, so that a program need not know the default.
        "currency": shown() if currency is None else currency,
        # What the file's compilers wrote on the data, whole (a pabulib META comment: Budapest's
        # says half the votes are not in the file), as the terminal says it under the verdict.
        "comment": checked.comment,
    }


def _mismatch_to_json(mismatch: RegisterMismatch | None) -> dict[str, Any] | None:
    """The sheet's places in the other numbering (see ``ValidationResult.register_mismatch``)."""
    if mismatch is None:
        return None
    return {
        "register": mismatch.register,
        "other_register": mismatch.other_register,
        "errors": mismatch.problems,
        "invalid_for_that_only": mismatch.applications,
        "invalid": mismatch.rejected,
    }
