"""The terminal view of ``tilskudd allocate --compare``: the rules side by side, then the
applications whose decision differs between them.

Cell texts come from :func:`tilskudd.compare.figure_rows` and :func:`~tilskudd.compare.
outcome_text`, which the comparison workbook uses too, so the terminal and the file say the same.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tilskudd.compare import Comparison, RuleFigures, figure_rows, outcome_text
from tilskudd.i18n import get
from tilskudd.render.allocation import STATUS_STYLE, note_texts
from tilskudd.wording import column_header

__all__ = ["render_comparison"]


def _notes(figures: RuleFigures, lang: str) -> list[str]:
    return note_texts(figures.allocation.notes, get(lang))


def render_comparison(
    console: Console, comparison: Comparison, *, lang: str, limit: int | None = None
) -> None:
    """Print the figures per rule, the spread note, each rule's notes and the differences.

    ``limit`` shows at most that many differing applications (all by default).
    """
    t = get(lang)
    console.print(Text(t("compare.title"), style="bold underline"))
    figures = Table(box=box.SIMPLE, show_edge=False, pad_edge=False, header_style="bold")
    figures.add_column(Text(t("compare.figure")))
    for rule in comparison.rules:
        figures.add_column(Text(rule), justify="right", no_wrap=True)
    for label, cells in figure_rows(comparison, lang):
        figures.add_row(Text(label), *(Text(c) for c in cells))
    console.print(figures)
    console.print(Text(t("compare.spread_note"), style="dim"))
    for f in comparison.figures:
        notes = _notes(f, lang)
        if notes:
            console.print(Text(t("compare.notes", rule=f.rule), style="bold"))
            for note in notes:
                console.print(Text(f"- {note}"))

    console.print()
    differences = comparison.differences
    if not differences:
        console.print(Text(t("compare.no_differences"), style="bold"))
        return
    console.print(Text(t("compare.differences", n=len(differences)), style="bold"))
    shown = differences if limit is None else differences[: max(limit, 0)]
    table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column(Text(column_header("id", lang)), no_wrap=True)
    table.add_column(Text(column_header("applicant", lang)), overflow="fold", ratio=1)
    for rule in comparison.rules:
        table.add_column(Text(rule), justify="right")
    for d in shown:
        table.add_row(
            Text(d.application_id),
            Text(d.applicant or ""),
            *(
                Text(outcome_text(status, amount, lang), style=STATUS_STYLE[status])
                for status, amount in d.outcomes
            ),
        )
    console.print(table)
    if len(shown) < len(differences):
        console.print(Text(t("compare.more", n=len(differences) - len(shown)), style="dim"))
