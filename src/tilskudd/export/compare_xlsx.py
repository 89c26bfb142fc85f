"""The comparison workbook of ``tilskudd allocate --compare -o OUT.xlsx``.

Sheets, named and headed in the chosen language:

1. Comparison (Sammenligning): one row per figure, one column per rule — the same figures as
   the terminal (:func:`tilskudd.compare.shown_figures`), as numbers with formats — then the budget,
   the settings that differ between variants (:func:`tilskudd.compare.differing_settings`), the
   spread note and each rule's notes.
2. Differences (Forskjeller): the applications whose decision differs between the rules: id,
   applicant, project, then status and amount under each rule.
3. One sheet per rule, named by the rule (per variant, by its label as far as a sheet name can
   carry it): every application in that rule's order with its rank, amounts, status and reason
   (manual overrides marked, with the officer's reason).

Written with tilskudd's own streaming writer (:mod:`tilskudd.export._sheetml`), as the award
workbook is: text from applicants is never a formula, headers are frozen, filtered and printed
on every page; every sheet prints on A4 one page wide, with the applications' file and
``Side 1 av 3`` in the footer; the file is replaced atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from tilskudd.compare import (
    Comparison,
    RuleFigures,
    differing_settings,
    setting_text,
    shown_figures,
    words_key,
)
from tilskudd.export._sheetml import CellValue, Sheet, Style, Workbook
from tilskudd.export.atomic import atomic_path
from tilskudd.export.xlsx import page_footer
from tilskudd.i18n import get
from tilskudd.wording import column_header, decision_text, note_text, status_text

__all__ = ["sheet_names", "write"]

_AMOUNT_SETTINGS = frozenset({"budget", "max_award", "min_award", "round_to", "per_applicant_max"})

_STYLES = {
    "amount": Style.AMOUNT,
    "count": Style.DEFAULT,
    "number": Style.DEFAULT,
    "ratio": Style.RATIO_3,
}


def _header(sheet: Sheet, texts: Sequence[str]) -> None:
    sheet.append(texts, (Style.HEADER,) * len(texts))


def _comparison_sheet(
    book: Workbook, comparison: Comparison, lang: str, comment: str | None = None
) -> None:
    t = get(lang)
    sheet = book.add_sheet(
        t("compare.sheet.comparison"),
        widths=[42, *([20] * len(comparison.rules))],
        freeze_rows=1,
        print_title_rows=1,
        landscape=True,
    )
    _header(sheet, [t("compare.figure"), *comparison.rules])
    for name, kind in shown_figures(comparison):
        values: list[CellValue] = [getattr(f, name) for f in comparison.figures]
        style = _STYLES[kind]
        sheet.append([t(f"compare.{name}"), *values], (Style.DEFAULT, *([style] * len(values))))
    if any(f.seed is not None for f in comparison.figures):
        sheet.append([t("compare.seed"), *(f.seed for f in comparison.figures)])
    sheet.append([])
    if comparison.variants:  # each variant's own budget, under its column
        budgets = [v.budget for v in comparison.variants]
        sheet.append(
            [t("summary.label.budget"), *budgets], (Style.DEFAULT, *([Style.AMOUNT] * len(budgets)))
        )
    else:
        sheet.append([t("summary.label.budget"), comparison.budget], (Style.DEFAULT, Style.AMOUNT))
    settings = differing_settings(comparison)
    if settings:
        sheet.append([t("compare.settings")])
        for name, values in settings:
            cells: list[CellValue] = []
            styles = [Style.DEFAULT]
            for value in values:
                if name in _AMOUNT_SETTINGS and isinstance(value, int):
                    cells.append(value)  # a number, to calculate with
                    styles.append(Style.AMOUNT)
                elif name == "max_share_of_cost" and isinstance(value, Decimal):
                    whole = value * 100 == (value * 100).to_integral_value()
                    cells.append(value)
                    styles.append(Style.PERCENT_WHOLE if whole else Style.PERCENT_2)
                else:
                    cells.append(setting_text(name, value, lang))
                    styles.append(Style.DEFAULT)
            sheet.append([name, *cells], tuple(styles))
    # The sentences wrap: longer than the sheet is wide, they were cut at the printed page's edge.
    sheet.append([t("compare.spread_note")], (Style.WRAP,))
    notes_key = words_key(comparison, "notes")
    for f in comparison.figures:
        for note in f.allocation.notes:
            sheet.append([t(notes_key, rule=f.rule), note_text(note, lang)], (Style.WRAP,) * 2)
    if comment:
        # The data may leave out what the rules would weigh (Budapest's: half the votes).
        sheet.append([t("ui.basis.comment"), comment], (Style.DEFAULT, Style.WRAP))


def _differences_sheet(book: Workbook, comparison: Comparison, lang: str) -> None:
    t = get(lang)
    per_rule = len(comparison.rules)
    sheet = book.add_sheet(
        t("compare.sheet.differences"),
        widths=[16, 36, 40, *([16, 16] * per_rule)],
        freeze_rows=1,
        print_title_rows=1,
        landscape=True,
    )
    headers = [column_header("id", lang), column_header("applicant", lang)]
    headers.append(column_header("project", lang))
    for rule in comparison.rules:
        headers += [f"{rule}: {column_header('status', lang)}"]
        headers += [f"{rule}: {column_header('awarded', lang)}"]
    _header(sheet, headers)
    styles = (Style.DEFAULT,) * 3 + (Style.DEFAULT, Style.AMOUNT) * per_rule
    for d in comparison.differences:
        row: list[Any] = [d.application_id, d.applicant, d.project]
        for status, amount in d.outcomes:
            row += [status_text(status, lang), amount]
        sheet.append(row, styles)
    sheet.autofilter()


def sheet_names(labels: Sequence[str], taken: Sequence[str]) -> list[str]:
    """A sheet name for each label, as Excel takes them: the characters it refuses (``[]:*?/\\``)
    as ``_``, at most 31 characters, and each other than ``taken`` and the others (``~2`` and
    on added where two would be alike, as Excel compares them, without regard to case)."""
    used = {name.casefold() for name in taken}
    names = []
    for label in labels:
        base = "".join("_" if c in "[]:*?/\\" else c for c in label).strip("'") or "_"
        name, n = base[:31], 1
        while name.casefold() in used:
            n += 1
            name = f"{base[: 31 - len(str(n)) - 1]}~{n}"
        used.add(name.casefold())
        names.append(name)
    return names


def _rule_sheet(
    book: Workbook, figures: RuleFigures, comparison: Comparison, lang: str, name: str
) -> None:
    h = column_header
    apps = {a.id: a for a in comparison.applications}
    sheet = book.add_sheet(
        name,
        widths=[8, 16, 36, 40, 16, 16, 16, 18, 80, 50],
        freeze_rows=1,
        print_title_rows=1,
        landscape=True,
    )
    _header(
        sheet,
        [
            h("rank", lang),
            h("id", lang),
            h("applicant", lang),
            h("project", lang),
            h("requested", lang),
            h("eligible", lang),
            h("awarded", lang),
            h("status", lang),
            h("reason", lang),
            h("override", lang),
        ],
    )
    # Names, titles and reasons wrap, read whole on screen and on paper, as in the award workbook.
    styles = (
        (Style.DEFAULT,) * 2
        + (Style.WRAP,) * 2
        + (Style.AMOUNT,) * 3
        + (Style.DEFAULT, Style.WRAP, Style.WRAP)
    )
    tied_styles = (Style.TIED_RANK, *styles[1:])  # 8=, still the number 8, as in the award workbook
    for d in figures.allocation.decisions:
        app = apps.get(d.application_id)
        sheet.append(
            [
                d.rank,  # a number, as in the award workbook, so that it sorts as one
                d.application_id,
                app.applicant if app else None,
                app.project if app else None,
                d.requested,
                d.eligible_amount,
                d.amount,
                status_text(d.status, lang),
                decision_text(d, lang),
                app.decision_reason if app is not None and d.override else None,
            ],
            tied_styles if d.tied else styles,
        )
    sheet.autofilter()


def write(
    comparison: Comparison,
    path: Path,
    *,
    lang: str = "en",
    name: str | None = None,
    comment: str | None = None,
) -> None:
    """Write the comparison workbook to ``path`` atomically; ``name`` (the applications' file)
    goes in each printed page's footer beside the page number; ``comment``: what the input
    file's compilers wrote on the data (a pabulib ``META`` comment), said under the figures."""
    with (
        atomic_path(Path(path)) as tmp,
        Workbook(tmp, created=comparison.created, footer=page_footer(name, lang)) as book,
    ):
        _comparison_sheet(book, comparison, lang, comment)
        _differences_sheet(book, comparison, lang)
        t = get(lang)
        taken = [t("compare.sheet.comparison"), t("compare.sheet.differences")]
        names = sheet_names([f.rule for f in comparison.figures], taken)
        for figures, name in zip(comparison.figures, names, strict=True):
            _rule_sheet(book, figures, comparison, lang, name)
