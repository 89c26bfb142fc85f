"""The ledger for the accounts: awards, amendments and committed rounds in one workbook (openpyxl).

Sheets: every recorded decision, funded or not, with its committed and current amount (one row
per application and round), every amendment and withdrawal with its reason, the committed rounds
(what each awarded when committed and awards now) with what reproduces them (input file and
SHA-256, rule, tool version) and the chain's head hash, and each round's policy as the award
workbook's Grunnlag sheet lists it. Times are Excel date-times in UTC, and the dates changes
were decided Excel dates (the CSV keeps ISO 8601 text for both). Applicant text never becomes
a formula. Every sheet prints as the award workbook's do: A4 landscape, one page wide, the
header row on every page, the programme's name and ``Side 1 av 3`` in the footer. Written
atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from pydantic import ValidationError

from tilskudd.controls import visible
from tilskudd.currency import NOK
from tilskudd.export._sheetml import (
    DATE_FORMAT,
    TIME_FORMAT,
    Style,
    calendar_date,
    footer_parts,
    safe_text,
    utc_time,
)
from tilskudd.export.atomic import atomic_path
from tilskudd.export.xlsx import page_number, policy_rows
from tilskudd.i18n import format_number, format_share, get
from tilskudd.models import Policy
from tilskudd.wording import column_header

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from tilskudd.ledger import AmendmentRecord, AwardRecord, CommitRecord, FrameSummary

__all__ = ["write_ledger"]

_AMOUNT_FORMAT = "#,##0"
_AMOUNT_COLUMNS = {"requested", "committed", "current", "amount_before", "amount_after", "delta"}
_AMOUNT_COLUMNS |= {"frame", "budget", "awarded", "unallocated", "awarded_now"}
# Prose read whole, on paper too: wraps within its column, as in the award workbook.
_WRAP_COLUMNS = frozenset({"reason", "outside_policy"})
_WRAP = Alignment(wrap_text=True, vertical="top")
_TIME_COLUMNS = frozenset({"committed_at", "changed_at", "recorded_at"})
# The dates changes were decided: date cells, to sort and filter by (the CSV's ISO 8601 text).
_DATE_COLUMNS = frozenset({"decided", "change_decided", "decision_date"})
# The formats of the Grunnlag sheet's styles, for the same values here.
_FORMAT_OF_STYLE = {
    Style.AMOUNT: _AMOUNT_FORMAT,
    Style.PERCENT_WHOLE: "0%",
    Style.PERCENT_2: "0.00%",
}


_SHARE_SETTINGS = frozenset({"max_share_of_cost", "min_share", "max_share"})
_AMOUNT_SETTINGS = frozenset(
    {"max_award", "min_award", "round_to", "per_applicant_max", "min_amount", "max_amount"}
)


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


def _policy_sheet(sheet: Worksheet, commits: Sequence[CommitRecord], lang: str) -> None:
    """Each round's policy as the award workbook's Grunnlag sheet lists it, one setting a row."""
    t = get(lang)
    sheet.append(
        [
            t("ledger.column.round"),
            column_header("setting", lang),
            column_header("value", lang),
            column_header("explanation", lang),
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for commit in commits:
        recorded = dict(commit.policy)
        rows: list[tuple[str, Any, Style, str]]
        try:
            policy = Policy.model_validate(recorded)
        except ValidationError:
            # A setting this version no longer reads: as recorded, without an explanation.
            rows = [
                (name, _setting_text(name, value, lang), Style.DEFAULT, "")
                for name, value in recorded.items()
            ]
        else:
            rows = policy_rows(policy, lang, rule=commit.rule, only=recorded)
        for name, value, style, explanation in rows:
            sheet.append([commit.round, name, _safe(value), explanation])
            cell = sheet.cell(row=sheet.max_row, column=3)
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif style in _FORMAT_OF_STYLE:
                cell.number_format = _FORMAT_OF_STYLE[style]
            sheet.cell(row=sheet.max_row, column=4).alignment = _WRAP  # the explanation
    for letter, width in zip("ABCD", (8, 22, 30, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def _printed(sheet: Worksheet, name: str | None, lang: str) -> None:
    """Print as the award workbook does: A4 landscape, every column on one page's width, the
    header row on every page, ``name`` (the programme) and ``Side 1 av 3`` in the footer."""
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    left, right = footer_parts(name, page_number(lang))
    sheet.oddFooter.left.text = left
    sheet.oddFooter.right.text = right


def _safe(value: Any) -> Any:
    return safe_text(value) if isinstance(value, str) else value


def _cell_value(column: str, value: Any) -> Any:
    """A recorded value as its cell holds it: a time in UTC, a date as a date, text made safe."""
    if column in _TIME_COLUMNS:
        return utc_time(value)
    if column in _DATE_COLUMNS:
        return calendar_date(value)
    return _safe(value)


def _sheet(
    sheet: Worksheet, columns: Sequence[str], rows: Sequence[dict[str, Any]], lang: str
) -> None:
    t = get(lang)
    sheet.append(
        [
            t("ledger.column.utc", column=t(f"ledger.column.{c}"))
            if c in _TIME_COLUMNS
            else t(f"ledger.column.{c}")
            for c in columns
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        # Texts come from the applications: a control character (Excel for Mac's line break in
        # a cell is a vertical tab) cannot go into the sheet's XML, so each is made safe as in
        # the award workbook.
        sheet.append([_cell_value(c, values.get(c)) for c in columns])
        row = sheet.max_row
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=row, column=index)
            if isinstance(cell.value, datetime):
                cell.number_format = TIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str):
                # Text stays text: an applicant's "=SUM(...)" must not become a formula.
                cell.data_type = "s"
            elif column in _AMOUNT_COLUMNS:
                cell.number_format = _AMOUNT_FORMAT
            if column in _WRAP_COLUMNS:
                cell.alignment = _WRAP
    for index in range(1, len(columns) + 1):
        longest = max(
            [
                len(TIME_FORMAT if isinstance(value, datetime) else str(value or ""))
                for value in (
                    sheet.cell(row=r, column=index).value for r in range(1, sheet.max_row + 1)
                )
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
    currency: str = NOK,
    name: str | None = None,
    summary: FrameSummary | None = None,
) -> None:
    """Write the ledger workbook to ``path`` (atomically). ``currency``: the ledger's, named on
    each decision and under the rounds when it is not kroner (which go without saying);
    ``name`` (the programme's, or the ledger's file) goes in each printed page's footer beside
    the page number;
    ``summary``: the frame, awarded now and remaining, under the rounds."""
    from tilskudd.ledger import award_columns, award_row
    from tilskudd.wording import waived_changes_text

    t = get(lang)
    book = Workbook()
    award_sheet = book.active
    assert award_sheet is not None
    award_sheet.title = t("ledger.sheet.decisions")
    rows = []
    for award in awards:
        row = award_row(award, lang)
        row["status"] = t(f"ledger.state.{row['status']}")
        row["currency"] = currency
        rows.append(row)
    _sheet(award_sheet, award_columns(currency), rows, lang)

    change_columns = (
        "round",
        "id",
        "change",
        "amount_before",
        "amount_after",
        "delta",
        "reason",
        "outside_policy",
        "recorded_at",
        "entry",
        # Last, so that an import reading the columns before by position reads them as before.
        "decided",
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
            "decided": m.decided,
            "recorded_at": m.created,
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
        "tool_version",
        "entry",
        # Last, after the columns an import may read by position: the round's decision date as
        # recorded when it was committed (empty for a round committed before ledger schema 8,
        # which did not record it, and for one the programme gave none).
        "decision_date",
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
            # As recorded, to find the file again; shown as every output shows text.
            "input_file": None if c.input_file is None else visible(c.input_file),
            "input_sha256": c.input_sha256,
            "rule": c.rule,
            "tool_version": c.tool_version,
            "entry": c.seq,
            "decision_date": c.decision_date or None,
        }
        for c in commits
    ]
    round_sheet = book.create_sheet(t("ledger.sheet.rounds"))
    _sheet(round_sheet, round_columns, rounds, lang)
    round_sheet.append([])
    if summary is not None:
        # frame == awarded now + remaining, to the unit, under the rounds' own figures; the
        # head and the currency stay last, where they were.
        for key, amount in (
            ("summary_frame", summary.frame),
            ("summary_awarded_now", summary.awarded_now),
            ("summary_remaining", summary.remaining),
        ):
            round_sheet.append([t(f"ledger.column.{key}"), amount])
            round_sheet.cell(row=round_sheet.max_row, column=2).number_format = _AMOUNT_FORMAT
    round_sheet.append([t("ledger.column.head"), _safe(head)])
    if currency != NOK:
        round_sheet.append([t("ledger.column.currency"), currency])
    _policy_sheet(book.create_sheet(t("ledger.sheet.policies")), commits, lang)
    for sheet in book.worksheets:
        _printed(sheet, name, lang)

    with atomic_path(path) as tmp:
        book.save(tmp)
