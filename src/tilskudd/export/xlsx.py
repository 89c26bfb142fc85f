"""The award workbook (.xlsx): a file an officer can forward as it is, written with openpyxl.

Four sheets, named and headed in the chosen language:

1. Awards (Tildelinger): funded and partly funded applications by rank, with the amounts, the
   share of cost, the reason in words and the user's own columns carried through in file order.
2. Not funded (Ikke innvilget): the reserve list, those not funded and the rejected (invalid)
   applications, each with its reason; for a rejected one, every problem with its cell.
3. Summary (Sammendrag): budget, awarded and unallocated with a check cell (budget − awarded −
   unallocated, 0 when they add up), counts by status, coverage, oversubscription, awards per
   county and the summary sentence.
4. Policy (Grunnlag): the rule, every policy setting, the seed, the round's notes, the input file
   with its sheet and SHA-256, the tool version and the time, and the problems found in the input:
   what is needed to reproduce and audit the decision.

Amounts are whole numbers with the format ``#,##0`` (Excel shows the reader's own digit
grouping), shares are percent; header rows are frozen and filtered. Text that came from
applicants is always written as text: a title starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is a string cell with Excel's quote prefix, never a formula. The workbook is
written in openpyxl's write-only mode to a temporary file that replaces the target only when
complete. Streaming measured at 100k decisions: 25 s CPU and about 12 MB beyond the round in
memory, against 42 s and 600 MB in normal mode (``benchmarks/bench_export.py``).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tilskudd.export.atomic import atomic_path
from tilskudd.i18n import get
from tilskudd.models import Application, Decision, RejectedRow, RoundResult, Status
from tilskudd.summary import RoundSummary, summarise
from tilskudd.wording import (
    column_header,
    county_label,
    decision_text,
    display_order,
    issue_cell,
    issue_text,
    municipality_label,
    reason_text,
    rejected_text,
    status_text,
    summary_sentence,
)

__all__ = ["FORMULA_STARTS", "build_workbook", "safe_text", "write"]

Kind = Literal["text", "amount", "int", "number", "percent"]

AMOUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
RATIO_FORMAT = "0.00"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""OWASP's list of first characters that make a spreadsheet read text as a formula."""

# Characters XML 1.0 cannot carry (openpyxl refuses them); they are replaced, not dropped, so a
# reader can see something was there.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAX_CELL = 32_767  # Excel's limit on the characters in one cell
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="top")
_TITLE_FONT = Font(bold=True, size=14)
_SAMPLE_ROWS = 500  # rows looked at to choose column widths


def safe_text(value: str) -> str:
    """Text a cell can hold: XML-illegal control characters replaced, cut at Excel's limit."""
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("\ufffd", value)
    if len(value) > _MAX_CELL:
        value = value[: _MAX_CELL - 1] + "…"
    return value


@dataclass(frozen=True)
class _Column:
    header: str
    kind: Kind = "text"
    max_width: int = 50


class _Sheet:
    """Appends rows to one sheet, in write-only or normal mode, with typed cells.

    In write-only mode each number-formatted column reuses one cell object: openpyxl serialises
    a row as soon as it is appended, so the cell can carry the next row's value (a styled cell
    costs several times a plain value to make). In normal mode every cell is its own object.
    """

    def __init__(self, workbook: Workbook, title: str, *, write_only: bool) -> None:
        self.ws = workbook.create_sheet(title)
        self.write_only = write_only
        self.rows = 0
        self.width = 0
        self._reused: dict[tuple[int, str], WriteOnlyCell] = {}

    def _text(self, value: str, font: Font | None = None) -> Any:
        value = safe_text(value)
        dangerous = value.startswith(FORMULA_STARTS)
        if not dangerous and font is None:
            return value
        cell = WriteOnlyCell(self.ws, value)
        # Set after the value: openpyxl reads a leading "=" as a formula; this makes it text.
        cell.data_type = "s"
        if dangerous:
            cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell
        if font is not None:
            cell.font = font
        return cell

    def _value(self, index: int, value: Any, fmt: str | None) -> Any:
        if isinstance(value, str):
            return self._text(value)
        if fmt is None or value is None or isinstance(value, bool):
            return value
        if not self.write_only:
            cell = WriteOnlyCell(self.ws, value)
            cell.number_format = fmt
            return cell
        key = (index, fmt)
        cell = self._reused.get(key)
        if cell is None:
            cell = self._reused[key] = WriteOnlyCell(self.ws, value)
            cell.number_format = fmt
        else:
            cell.value = value
        return cell

    def _add(self, cells: list[Any]) -> int:
        self.ws.append(cells)
        self.rows += 1
        self.width = max(self.width, len(cells))
        return self.rows

    def append(self, values: Sequence[Any], formats: Sequence[str | None] = ()) -> int:
        """Append one row; ``formats`` gives the number format per column. Returns its number."""
        return self._add(
            [
                self._value(i, v, formats[i] if i < len(formats) else None)
                for i, v in enumerate(values)
            ]
        )

    def text_row(self, values: Sequence[str], *, font: Font | None = None) -> int:
        """Append a row of text in ``font``."""
        return self._add([self._text(v, font) for v in values])

    def formula_row(self, label: str, formula: str) -> int:
        """Append ``label`` and a formula: the one formula tilskudd writes, never user text."""
        return self._add([self._text(label), WriteOnlyCell(self.ws, formula)])

    def header(self, headers: Sequence[str]) -> int:
        """Append a header row: bold, shaded, wrapping."""
        cells = []
        for text in headers:
            cell = self._text(text, _HEADER_FONT)
            cell.fill = _HEADER_FILL
            cell.alignment = _HEADER_ALIGN
            cells.append(cell)
        return self._add(cells)

    def set_widths(self, widths: Iterable[float]) -> None:
        """Column widths in characters (before any row in write-only mode)."""
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width

    def frame(self, header_row: int = 1) -> None:
        """Freeze the header row and repeat it on every printed page, printed landscape."""
        self.ws.freeze_panes = f"A{header_row + 1}"
        self.ws.print_title_rows = f"{header_row}:{header_row}"
        self.ws.page_setup.orientation = "landscape"

    def autofilter(self, header_row: int = 1) -> None:
        """Filter buttons on the header row over every appended row (call after the rows)."""
        last = get_column_letter(max(self.width, 1))
        self.ws.auto_filter.ref = f"A{header_row}:{last}{max(self.rows, header_row)}"


def _display_width(value: Any, kind: Kind) -> int:
    if value is None:
        return 0
    if kind == "amount" and isinstance(value, int):
        return len(f"{value:,}")
    if kind == "percent":
        return 6
    return max((len(line) for line in str(value).splitlines()), default=0)


def _widths(columns: Sequence[_Column], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Readable widths from the headers and the first rows, within each column's bounds."""
    widths = []
    for index, column in enumerate(columns):
        words = max((len(w) for w in column.header.split()), default=4)
        header = max(words, min(len(column.header), 16))  # headers wrap; keep them 1-2 lines
        content = max(
            (_display_width(r[index], column.kind) for r in rows[:_SAMPLE_ROWS]), default=0
        )
        widths.append(float(min(max(header, content, 6) + 2, column.max_width)))
    return widths


def _format_of(kind: Kind) -> str | None:
    return {"amount": AMOUNT_FORMAT, "percent": PERCENT_FORMAT}.get(kind)


# --- the two application sheets --------------------------------------------------------------


def _share(amount: int, whole: int | None) -> float | None:
    """amount / whole for a percent cell; the one place a float is made (a display ratio)."""
    if not whole:
        return None
    return round(amount / whole, 6)


def _award_columns(
    lang: str, extras: Sequence[str], *, funded: bool, override: bool = False
) -> list[_Column]:
    h = column_header
    columns = [
        _Column(h("rank", lang), "int", 10),
        _Column(h("id", lang), "text", 18),
        _Column(h("applicant", lang), "text", 36),
        _Column(h("orgnr", lang), "text", 12),
        _Column(h("project", lang), "text", 48),
        _Column(h("municipalities", lang), "text", 48),
        _Column(h("counties", lang), "text", 28),
        _Column(h("category", lang), "text", 20),
        _Column(h("requested", lang), "amount", 16),
        _Column(h("total_cost", lang), "amount", 16),
        _Column(h("score", lang), "number", 10),
        _Column(h("eligible", lang), "amount", 16),
    ]
    if funded:
        columns += [
            _Column(h("awarded", lang), "amount", 16),
            _Column(h("share_of_cost", lang), "percent", 12),
        ]
    columns += [
        _Column(h("status", lang), "text", 18),
        _Column(h("reason", lang), "text", 80),
    ]
    if override:
        # Only in a round with manual overrides: the officer's own reason, as written.
        columns.append(_Column(h("override", lang), "text", 60))
    columns.append(_Column(h("row", lang), "int", 8))
    columns += [_Column(name, "text", 40) for name in extras]
    return columns


def _application_row(
    decision: Decision,
    app: Application | None,
    rejected: RejectedRow | None,
    lang: str,
    extras: Sequence[str],
    *,
    funded: bool,
    override: bool = False,
) -> list[Any]:
    if app is not None:
        extra = app.extra
        row: list[Any] = [
            decision.rank,
            decision.application_id,
            app.applicant,
            app.orgnr,
            app.project,
            ", ".join(municipality_label(m) for m in app.municipalities) or None,
            ", ".join(county_label(c) for c in app.counties) or None,
            app.category,
            decision.requested if decision.requested is not None else app.requested,
            app.total_cost,
            app.score,
            decision.eligible_amount,
        ]
        reason = decision_text(decision, lang)
        source_row = app.row
    else:
        extra = rejected.extra if rejected else {}
        row = [
            decision.rank,
            decision.application_id,
            rejected.applicant if rejected else None,
            None,
            rejected.project if rejected else None,
            None,
            None,
            None,
            decision.requested
            if decision.requested is not None
            else (rejected.requested if rejected else None),
            None,
            None,
            decision.eligible_amount,
        ]
        reason = (rejected_text(rejected, lang) if rejected else "") or decision_text(
            decision, lang
        )
        source_row = rejected.row if rejected else None
    if funded:
        row += [decision.amount, _share(decision.amount, app.total_cost if app else None)]
    row += [status_text(decision.status, lang), reason]
    if override:
        officer = app.decision_reason if app is not None and decision.override else None
        row.append(officer)
    row.append(source_row)
    row += [extra.get(name) for name in extras]
    return row


def _write_applications(
    workbook: Workbook,
    title: str,
    result: RoundResult,
    decisions: Sequence[Decision],
    lang: str,
    *,
    funded: bool,
    write_only: bool,
) -> None:
    apps = {a.id: a for a in result.applications}
    rejected = {r.id: r for r in result.rejected}
    extras = result.extra_columns
    override = any(d.override for d in result.allocation.decisions)
    columns = _award_columns(lang, extras, funded=funded, override=override)
    formats = [_format_of(c.kind) for c in columns]
    sheet = _Sheet(workbook, title, write_only=write_only)
    # Rows are made lazily; the first few are made twice, to choose the column widths.
    sample = [
        _application_row(
            d,
            apps.get(d.application_id),
            rejected.get(d.application_id),
            lang,
            extras,
            funded=funded,
            override=override,
        )
        for d in decisions[:_SAMPLE_ROWS]
    ]
    sheet.set_widths(_widths(columns, sample))
    sheet.frame()
    sheet.header([c.header for c in columns])
    for d in decisions:
        row = _application_row(
            d,
            apps.get(d.application_id),
            rejected.get(d.application_id),
            lang,
            extras,
            funded=funded,
            override=override,
        )
        sheet.append(row, formats)
    sheet.autofilter()


# --- summary ---------------------------------------------------------------------------------


def _write_summary(
    workbook: Workbook, result: RoundResult, summary: RoundSummary, lang: str, *, write_only: bool
) -> None:
    t = get(lang)
    sheet = _Sheet(workbook, t("ui.sheet.summary"), write_only=write_only)
    sheet.set_widths([52, 18, 18, 14])
    title = " – ".join(p for p in (result.programme, result.round) if p) or t("summary.label.title")
    sheet.text_row([title], font=_TITLE_FONT)
    sheet.text_row([summary_sentence(summary, lang, round_name=result.round)])
    sheet.text_row([""])

    def figure(label: str, value: Any, fmt: str | None = AMOUNT_FORMAT) -> int:
        return sheet.append([t(f"summary.label.{label}"), value], [None, fmt])

    budget_row = figure("budget", summary.budget)
    awarded_row = figure("awarded", summary.awarded)
    unallocated_row = figure("unallocated", summary.unallocated)
    # A live check for whoever edits the figures: 0 as long as the budget is accounted for.
    sheet.formula_row(t("summary.label.check"), f"=B{budget_row}-B{awarded_row}-B{unallocated_row}")
    figure("share_awarded", _share(summary.awarded, summary.budget), PERCENT_FORMAT)
    figure("requested", summary.requested)
    figure(
        "oversubscription",
        summary.oversubscription if summary.oversubscription is not None else None,
        RATIO_FORMAT,
    )
    figure("applications", summary.applications, None)
    figure("valid", summary.valid, None)
    figure("municipalities", summary.municipalities, None)
    figure("counties", summary.counties, None)
    sheet.text_row([""])

    sheet.text_row([t("summary.label.by_status")], font=_HEADER_FONT)
    sheet.header([column_header("status", lang), column_header("count", lang)])
    for status, count in (
        (Status.FUNDED, summary.funded_full),
        (Status.PARTLY_FUNDED, summary.partly_funded),
        (Status.RESERVE, summary.reserve),
        (Status.NOT_FUNDED, summary.not_funded),
        (Status.REJECTED, summary.rejected),
    ):
        sheet.append([status_text(status, lang), count])
    sheet.append([t("ui.total"), summary.applications])
    sheet.text_row([""])

    sheet.text_row([t("summary.label.per_county")], font=_HEADER_FONT)
    sheet.header(
        [
            column_header("county", lang),
            column_header("projects", lang),
            column_header("awarded", lang),
            column_header("share_of_awarded", lang),
        ]
    )
    for line in summary.per_county:
        sheet.append(
            [
                county_label(line.county),
                line.projects,
                line.awarded,
                _share(line.awarded, summary.awarded),
            ],
            [None, None, AMOUNT_FORMAT, PERCENT_FORMAT],
        )
    sheet.append(
        [t("ui.total"), None, sum(c.awarded for c in summary.per_county), None],
        [None, None, AMOUNT_FORMAT, None],
    )
    sheet.text_row([t("summary.label.per_county_note")])


# --- policy and provenance -------------------------------------------------------------------


def _policy_value(name: str, value: Any, lang: str) -> tuple[Any, str | None]:
    t = get(lang)
    if value is None:
        return t("ui.basis.none"), None
    if name == "tie_break":
        steps = [f"{s.column} {'desc' if s.descending else 'asc'}" for s in value]
        return ", ".join(steps) or t("ui.basis.none"), None
    if name == "max_share_of_cost" and isinstance(value, Decimal):
        return value, "0%" if (value * 100) == (value * 100).to_integral_value() else "0.00%"
    if isinstance(value, bool):
        return str(value).lower(), None
    if name == "quotas":
        return _quotas_text(value) or t("ui.basis.none"), None
    if isinstance(value, int) and name in {
        "max_award",
        "min_award",
        "round_to",
        "per_applicant_max",
    }:
        return value, AMOUNT_FORMAT
    if isinstance(value, Decimal | int):
        return value, None
    return str(value), None


def _quotas_text(quotas: Any) -> str:
    """Quotas as a policy file writes them: 'county *: max_share 0.3; category Skole: ...'."""
    parts = []
    for quota in quotas:
        limits = [
            f"{key} {getattr(quota, key)}"
            for key in (
                "min_amount",
                "max_amount",
                "min_share",
                "max_share",
                "min_count",
                "max_count",
            )
            if getattr(quota, key, None) is not None
        ]
        parts.append(f"{quota.by} {quota.value}: {', '.join(limits)}")
    return "; ".join(parts)


def _write_basis(workbook: Workbook, result: RoundResult, lang: str, *, write_only: bool) -> None:
    t = get(lang)
    sheet = _Sheet(workbook, t("ui.sheet.policy"), write_only=write_only)
    sheet.set_widths([30, 66, 70])
    sheet.frame()
    sheet.header(
        [
            column_header("setting", lang),
            column_header("value", lang),
            column_header("explanation", lang),
        ]
    )
    allocation = result.allocation
    for label, value in (
        ("programme", result.programme),
        ("round", result.round),
        ("funder", result.funder),
    ):
        if value:
            sheet.append([t(f"ui.basis.{label}"), value])
    sheet.append(["rule", allocation.rule, t("ui.policy.rule")])
    policy = allocation.policy
    for name in type(policy).model_fields:
        if name == "rule":
            continue
        raw = getattr(policy, name)
        if name == "seed" and allocation.seed is not None:
            raw = allocation.seed  # the seed the rule actually used, recorded in the result
        value, fmt = _policy_value(name, raw, lang)
        explanation = t(f"ui.policy.{name}") if t.has(f"ui.policy.{name}") else ""
        sheet.append([name, value, explanation], [None, fmt, None])
    for note in allocation.notes:
        sheet.append([t("ui.basis.notes"), reason_text(note, lang)])
    source = result.source
    if source is not None:
        sheet.append([t("ui.basis.file"), source.file])
        if source.sheet:
            sheet.append([t("ui.basis.sheet"), source.sheet])
        if source.header_row:
            sheet.append([t("ui.basis.header_row"), source.header_row])
        sheet.append([t("ui.basis.sha256"), source.sha256 or t("ui.basis.none")])
    sheet.append([t("ui.basis.tool_version"), result.tool_version])
    sheet.append([t("ui.basis.created"), result.created.isoformat()])
    sheet.append([t("ui.basis.language"), lang])
    if result.issues:
        sheet.text_row([""])
        sheet.header(
            [
                column_header("cell", lang),
                column_header("severity", lang),
                column_header("problem", lang),
            ]
        )
        for issue in result.issues:
            sheet.append(
                [
                    issue_cell(issue, lang),
                    t(f"severity.{issue.severity.value}"),
                    issue_text(issue, lang),
                ]
            )


# --- the workbook ----------------------------------------------------------------------------


def build_workbook(result: RoundResult, *, lang: str = "en", write_only: bool = True) -> Workbook:
    """The award workbook for ``result`` in ``lang`` (not yet saved)."""
    workbook = Workbook(write_only=write_only)
    try:
        _fill(workbook, result, lang, write_only=write_only)
    except BaseException:
        _discard(workbook)
        raise
    return workbook


def _fill(workbook: Workbook, result: RoundResult, lang: str, *, write_only: bool) -> None:
    t = get(lang)
    if not write_only:
        workbook.remove(workbook.active)
    ordered = display_order(result)
    funded = [d for d in ordered if d.status in (Status.FUNDED, Status.PARTLY_FUNDED)]
    others = [d for d in ordered if d.status not in (Status.FUNDED, Status.PARTLY_FUNDED)]
    awards, rest = t("ui.sheet.awards"), t("ui.sheet.others")
    _write_applications(workbook, awards, result, funded, lang, funded=True, write_only=write_only)
    _write_applications(workbook, rest, result, others, lang, funded=False, write_only=write_only)
    _write_summary(workbook, result, summarise(result), lang, write_only=write_only)
    _write_basis(workbook, result, lang, write_only=write_only)


def _discard(workbook: Workbook) -> None:
    """Close a write-only workbook's open sheet streams after a failure.

    Otherwise each stream is finalised at garbage collection, after its file was closed, and
    Python prints an "Exception ignored" traceback at the user.
    """
    if not workbook.write_only:
        return
    for sheet in workbook.worksheets:
        with contextlib.suppress(Exception):
            sheet.close()
        with contextlib.suppress(Exception):
            sheet._writer.cleanup()  # the sheet's temporary file


def write(
    result: RoundResult,
    path: Path,
    *,
    lang: str = "en",
    write_only: bool = True,
    **_options: object,
) -> None:
    """Write the award workbook to ``path`` atomically (a temporary file, then a rename).

    ``write_only=False`` builds the workbook in memory instead of streaming it (slower, and
    memory grows with the round; kept for comparison in the benchmark).
    """
    workbook = build_workbook(result, lang=lang, write_only=write_only)
    try:
        with atomic_path(Path(path)) as tmp:
            workbook.save(tmp)
    except BaseException:
        _discard(workbook)
        raise
