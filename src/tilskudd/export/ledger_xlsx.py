"""The ledger for the accounts: awards, amendments and committed rounds in one workbook (openpyxl).

Sheets: every recorded decision with its committed and current amount (one row per application
and round), every amendment and withdrawal with its reason, and the committed rounds (what each
awarded when committed and awards now) with what reproduces them (input file and SHA-256,
policy, rule, tool version) and the chain's head hash.
Applicant text never becomes a formula. Written atomically.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tilskudd.export._sheetml import safe_text
from tilskudd.export.atomic import atomic_path
from tilskudd.i18n import format_number, format_share, get
from tilskudd.models import Policy

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from tilskudd.ledger import AmendmentRecord, AwardRecord, CommitRecord

__all__ = ["write_ledger"]

_AMOUNT_FORMAT = "#,##0"
_AMOUNT_COLUMNS = {"requested", "committed", "current", "amount_before", "amount_after", "delta"}
_AMOUNT_COLUMNS |= {"frame", "budget", "awarded", "unallocated", "awarded_now"}


_SHARE_SETTINGS = frozenset({"max_share_of_cost", "min_share", "max_share"})
_AMOUNT_SETTINGS = frozenset(
    {"max_award", "min_award", "round_to", "per_applicant_max", "min_amount", "max_amount"}
)
_QUOTA_LIMITS = ("min_amount", "max_amount", "min_share", "max_share", "min_count", "max_count")


def _setting_text(name: str, value: Any, lang: str) -> str:
    """One recorded policy value as a policy file writes it: 20 %, 100 000, 60."""
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    try:
        number = Decimal(str(value)) if isinstance(value, int | float | str) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        return str(value)
    if name in _SHARE_SETTINGS:
        return format_share(number, lang)
    if name in _AMOUNT_SETTINGS or name == "time_limit":
        return format_number(int(number) if number == number.to_integral_value() else number, lang)
    return str(value)


def _policy_text(policy: Mapping[str, Any], lang: str) -> str:
    """A committed round's policy for an auditor: 'rule=ranked; max_share_of_cost=20 %; ...'.

    The ledger records the policy as data (JSON); written out with Python's repr it showed
    ``tie_break=[{'column': 'requested', 'descending': False}]``. Settings come in the order
    of :class:`Policy` (any a later version recorded after them), each as the policy file
    writes it; settings are separated by ``;``, quotas by ``/``.
    """
    order = [name for name in Policy.model_fields if name in policy]
    order += sorted(name for name in policy if name not in Policy.model_fields)
    parts = []
    for name in order:
        value = policy[name]
        if value in (None, [], ()):
            continue
        if name == "tie_break" and isinstance(value, list):
            text = ", ".join(
                f"{step.get('column')} {'desc' if step.get('descending') else 'asc'}"
                if isinstance(step, Mapping)
                else str(step)
                for step in value
            )
        elif name == "quotas" and isinstance(value, list):
            text = " / ".join(
                f"{quota.get('by')} {quota.get('value')}: "
                + ", ".join(
                    f"{key} {_setting_text(key, quota[key], lang)}"
                    for key in _QUOTA_LIMITS
                    if quota.get(key) is not None
                )
                if isinstance(quota, Mapping)
                else str(quota)
                for quota in value
            )
        else:
            text = _setting_text(name, value, lang)
        parts.append(f"{name}={text}")
    return "; ".join(parts)


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
    from tilskudd.wording import waived_changes_text

    t = get(lang)
    book = Workbook()
    award_sheet = book.active
    assert award_sheet is not None
    award_sheet.title = t("ledger.sheet.awards")
    rows = []
    for award in awards:
        row = award_row(award, lang)
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
            "outside_policy": waived_changes_text([m], lang),
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
        # After the committed figures, which an import may read by position: what the round
        # awards now, after amendments and withdrawals (the money freed went back to the frame,
        # so the round's budget is still its committed awards and unallocated amount).
        "awarded_now",
        "applications",
        "input_file",
        "input_sha256",
        "rule",
        "policy",
        "tool_version",
        "entry",
    )
    now: dict[int, int] = {}
    for award in awards:
        now[award.commit_seq] = now.get(award.commit_seq, 0) + award.current
    rounds = [
        {
            "round": c.round,
            "round_name": c.round_name,
            "committed_at": c.committed_at,
            "frame": c.frame,
            "budget": c.budget,
            "awarded": c.awarded,
            "unallocated": c.unallocated,
            "awarded_now": now.get(c.seq, 0),
            "applications": c.applications,
            "input_file": c.input_file,
            "input_sha256": c.input_sha256,
            "rule": c.rule,
            "policy": _policy_text(c.policy, lang),
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
