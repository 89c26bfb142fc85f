"""The comparison workbook of ``tilskudd allocate --compare -o OUT.xlsx``.

Sheets, named and headed in the chosen language:

1. Comparison (Sammenligning): one row per figure, one column per rule — the same figures as
   the terminal (:data:`tilskudd.compare.FIGURES`), as numbers with formats — then the budget,
   the spread note and each rule's notes.
2. Differences (Forskjeller): the applications whose decision differs between the rules: id,
   applicant, project, then status and amount under each rule.
3. One sheet per rule, named by the rule: every application in that rule's order with its
   rank, amounts, status and reason (manual overrides marked, with the officer's reason).

Written with the award workbook's sheet helper (:mod:`tilskudd.export.xlsx`): text from
applicants is never a formula, headers are frozen and filtered; the file is replaced atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from tilskudd.compare import FIGURES, Comparison, RuleFigures
from tilskudd.export.atomic import atomic_path
from tilskudd.export.xlsx import AMOUNT_FORMAT, _discard, _Sheet
from tilskudd.i18n import get
from tilskudd.wording import column_header, decision_text, rank_text, reason_text, status_text

__all__ = ["build_workbook", "write"]

_FORMATS = {"amount": AMOUNT_FORMAT, "count": None, "number": None, "ratio": "0.000"}


def _comparison_sheet(workbook: Workbook, comparison: Comparison, lang: str) -> None:
    t = get(lang)
    sheet = _Sheet(workbook, t("compare.sheet.comparison"), write_only=True)
    sheet.set_widths([42, *([20] * len(comparison.rules))])
    sheet.frame()
    sheet.header([t("compare.figure"), *comparison.rules])
    for name, kind in FIGURES:
        values = [getattr(f, name) for f in comparison.figures]
        fmt = _FORMATS[kind]
        sheet.append([t(f"compare.{name}"), *values], [None, *([fmt] * len(values))])
    if any(f.seed is not None for f in comparison.figures):
        sheet.append([t("compare.seed"), *(f.seed for f in comparison.figures)])
    sheet.text_row([""])
    sheet.append([t("summary.label.budget"), comparison.budget], [None, AMOUNT_FORMAT])
    sheet.text_row([t("compare.spread_note")])
    for f in comparison.figures:
        for note in f.allocation.notes:
            sheet.text_row([t("compare.notes", rule=f.rule), reason_text(note, lang)])


def _differences_sheet(workbook: Workbook, comparison: Comparison, lang: str) -> None:
    t = get(lang)
    sheet = _Sheet(workbook, t("compare.sheet.differences"), write_only=True)
    per_rule = len(comparison.rules)
    sheet.set_widths([16, 36, 40, *([16, 16] * per_rule)])
    sheet.frame()
    headers = [column_header("id", lang), column_header("applicant", lang)]
    headers.append(column_header("project", lang))
    for rule in comparison.rules:
        headers += [f"{rule}: {column_header('status', lang)}"]
        headers += [f"{rule}: {column_header('awarded', lang)}"]
    sheet.header(headers)
    formats: list[str | None] = [None, None, None, *([None, AMOUNT_FORMAT] * per_rule)]
    for d in comparison.differences:
        row: list[Any] = [d.application_id, d.applicant, d.project]
        for status, amount in d.outcomes:
            row += [status_text(status, lang), amount]
        sheet.append(row, formats)
    sheet.autofilter()


def _rule_sheet(
    workbook: Workbook, figures: RuleFigures, comparison: Comparison, lang: str
) -> None:
    h = column_header
    apps = {a.id: a for a in comparison.applications}
    sheet = _Sheet(workbook, figures.rule[:31], write_only=True)
    sheet.set_widths([8, 16, 36, 40, 16, 16, 16, 18, 80, 50])
    sheet.frame()
    sheet.header(
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
        ]
    )
    formats = [None, None, None, None, AMOUNT_FORMAT, AMOUNT_FORMAT, AMOUNT_FORMAT]
    for d in figures.allocation.decisions:
        app = apps.get(d.application_id)
        sheet.append(
            [
                rank_text(d),
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
            formats,
        )
    sheet.autofilter()


def build_workbook(comparison: Comparison, *, lang: str = "en") -> Workbook:
    """The comparison workbook (not yet saved)."""
    workbook = Workbook(write_only=True)
    try:
        _comparison_sheet(workbook, comparison, lang)
        _differences_sheet(workbook, comparison, lang)
        for figures in comparison.figures:
            _rule_sheet(workbook, figures, comparison, lang)
    except BaseException:
        _discard(workbook)
        raise
    return workbook


def write(comparison: Comparison, path: Path, *, lang: str = "en") -> None:
    """Write the comparison workbook to ``path`` atomically."""
    workbook = build_workbook(comparison, lang=lang)
    try:
        with atomic_path(Path(path)) as tmp:
            workbook.save(tmp)
    except BaseException:
        _discard(workbook)
        raise
