"""The ledger for the accounts: awards, amendments and committed rounds in one workbook (openpyxl).

Sheets: every recorded decision with its committed and current amount (one row per application
and round), every amendment and withdrawal with its reason, and the committed rounds with what
reproduces them (input file and SHA-256, policy, rule, tool version) and the chain's head hash.
Applicant text never becomes a formula. Written atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tilskudd.export._sheetml import safe_text
from tilskudd.export.atomic import atomic_path
from tilskudd.i18n import get

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from tilskudd.ledger import AmendmentRecord, AwardRecord, CommitRecord

__all__ = ["write_ledger"]

_AMOUNT_FORMAT = "#,##0"
_AMOUNT_COLUMNS = {"requested", "committed", "current", "amount_before", "amount_after", "delta"}
_AMOUNT_COLUMNS |= {"frame", "budget", "awarded", "unallocated"}


def _safe(value: Any) -> Any:
    return safe_text(value) if isinstance(value, str) else value


def _sheet(
    sheet: Worksheet, columns: Sequence[str], rows: Sequence[dict[str, Any]], lang: str
) -> None:
    t = get(lang)
    sheet.append([t(f"ledger.column.{c}") for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        # Texts come from the applications: a control character (Excel for Mac's line break in
        # a cell is a vertical tab) cannot go into the sheet's XML, so each is made safe as in
        # the award workbook.
        sheet.append([_safe(values.get(c)) for c in columns])
        row = sheet.max_row
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=row, column=index)
            if isinstance(cell.value, str):
                # Text stays text: an applicant's "=SUM(...)" must not become a formula.
                cell.data_type = "s"
            elif column in _AMOUNT_COLUMNS:
                cell.number_format = _AMOUNT_FORMAT
    for index in range(1, len(columns) + 1):
        longest = max(
            [
                len(str(sheet.cell(row=r, column=index).value or ""))
                for r in range(1, sheet.max_row + 1)
            ]
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 60)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions


def write_ledger(
    path: Path,
    *,
    commits: Sequence[CommitRecord],
    awards: Sequence[AwardRecord],
    amendments: Sequence[AmendmentRecord],
    head: str,
    lang: str = "en",
) -> None:
    """Write the ledger workbook to ``path`` (atomically)."""
    from tilskudd.ledger import AWARD_COLUMNS, award_row

    t = get(lang)
    book = Workbook()
    award_sheet = book.active
    assert award_sheet is not None
    award_sheet.title = t("ledger.sheet.awards")
    rows = []
    for award in awards:
        row = award_row(award)
        row["status"] = t(f"ledger.state.{row['status']}")
        rows.append(row)
    _sheet(award_sheet, AWARD_COLUMNS, rows, lang)

    change_columns = (
        "round",
        "id",
        "change",
        "amount_before",
        "amount_after",
        "delta",
        "reason",
        "outside_policy",
        "changed_at",
        "entry",
    )
    changes = [
        {
            "round": m.round,
            "id": m.application_id,
            "change": t(f"ledger.change.{m.kind}"),
            "amount_before": m.amount_before,
            "amount_after": m.amount_after,
            "delta": m.amount_after - m.amount_before,
            "reason": m.reason,
            "outside_policy": ", ".join(m.outside_policy) or None,
            "changed_at": m.created,
            "entry": m.seq,
        }
        for m in amendments
    ]
    _sheet(book.create_sheet(t("ledger.sheet.amendments")), change_columns, changes, lang)

    round_columns = (
        "round",
        "round_name",
        "committed_at",
        "frame",
        "budget",
        "awarded",
        "unallocated",
        "applications",
        "input_file",
        "input_sha256",
        "rule",
        "policy",
        "tool_version",
        "entry",
    )
    rounds = [
        {
            "round": c.round,
            "round_name": c.round_name,
            "committed_at": c.committed_at,
            "frame": c.frame,
            "budget": c.budget,
            "awarded": c.awarded,
            "unallocated": c.unallocated,
            "applications": c.applications,
            "input_file": c.input_file,
            "input_sha256": c.input_sha256,
            "rule": c.rule,
            "policy": ", ".join(
                f"{k}={v}" for k, v in sorted(c.policy.items()) if v not in (None, [], ())
            ),
            "tool_version": c.tool_version,
            "entry": c.seq,
        }
        for c in commits
    ]
    round_sheet = book.create_sheet(t("ledger.sheet.rounds"))
    _sheet(round_sheet, round_columns, rounds, lang)
    round_sheet.append([])
    round_sheet.append([t("ledger.column.head"), _safe(head)])

    with atomic_path(path) as tmp:
        book.save(tmp)
