"""The terminal view of ``tilskudd allocate --compare``: the rules side by side, then the
applications whose decision differs between them.

Cell texts come from :func:`tilskudd.compare.figure_rows` and :func:`~tilskudd.compare.
outcome_text`, which the comparison workbook uses too, so the terminal and the file say the same.
"""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tilskudd.compare import (
    Comparison,
    RuleFigures,
    figure_rows,
    outcome_text,
    setting_rows,
    words_key,
)
from tilskudd.i18n import get
from tilskudd.render.allocation import STATUS_STYLE, note_texts
from tilskudd.render.plain import plain_for
from tilskudd.render.text import grid, lead_widths, say
from tilskudd.wording import column_header

__all__ = ["render_comparison"]

# Between two columns of the tables below: padding on each side and the box's divider.
_GAP = 3
# The applicant's name and the project's may wrap down to this in the table of differences,
# and never narrower than their longest word: rich would cut "fylkeskommun" / "e".
_APPLICANT_LEAST = 10


def _notes(figures: RuleFigures, lang: str) -> list[str]:
    return note_texts(figures.allocation.notes, get(lang))


def _least(texts: list[str]) -> int:
    """The narrowest a column of ``texts`` can be without cutting a word or an amount (whose
    no-break spaces hold it together): its longest run between ordinary spaces."""
    return max((cell_len(word) for text in texts for word in text.split(" ")), default=1)


def _fits(console: Console, least: list[int]) -> bool:
    """Whether columns of these least widths fit the terminal; when they don't, rich would
    cut figures and amounts short (``19 985 00…``) and leave out the labels."""
    return sum(least) + _GAP * (len(least) - 1) <= console.width


def _one_after_another(console: Console, heading: str, lines: list[list[Text]]) -> None:
    """A heading in bold, then label and value side by side: a table's row or column, on a
    terminal too narrow for the table."""
    say(console, heading, style="bold")
    console.print(grid(lines, console.width, lead=lead_widths(lines, [console.width // 2])))


def render_comparison(
    console: Console, comparison: Comparison, *, lang: str, limit: int | None = None
) -> None:
    """Print the figures per rule, the spread note, each rule's notes and the differences.

    ``limit`` shows at most that many differing applications (all by default).
    """
    t = get(lang)
    plain = plain_for(console)  # measured as the terminal's encoding will write it
    console.print(Text(t(words_key(comparison, "title")), style="bold underline"))
    figures = Table(box=box.SIMPLE, show_edge=False, pad_edge=False, header_style="bold")
    rows = [
        (plain(label), [plain(cell) for cell in cells])
        for label, cells in figure_rows(comparison, lang)
    ]
    least = [_least([plain(t("compare.figure"))] + [label for label, _ in rows])]
    figures.add_column(Text(plain(t("compare.figure"))), min_width=least[0])
    for index, rule in enumerate(comparison.rules):
        least.append(_least([rule] + [cells[index] for _, cells in rows]))
        figures.add_column(Text(rule), justify="right", no_wrap=True, min_width=least[-1])
    for label, cells in rows:
        figures.add_row(Text(label), *(Text(c) for c in cells))
    if _fits(console, least):
        console.print(figures)
    else:  # too narrow for the rules side by side: one rule after the other
        for index, rule in enumerate(comparison.rules):
            lines = [[Text(label), Text(cells[index])] for label, cells in rows]
            _one_after_another(console, rule, lines)
    settings = setting_rows(comparison, lang)
    if settings:  # what the variants differ in, each labelled as in the columns above
        say(console, t("compare.settings"), style="bold")
        for name, texts in settings:
            values = " | ".join(
                # A variant labelled by the value itself (a budget) is not said twice.
                text if text == label else f"{label} {text}"
                for label, text in zip(comparison.rules, texts, strict=True)
            )
            say(console, f"- {name}: {values}")
    # Wrapped at ordinary spaces: rich would end a line with "raus 300" or "som 0".
    say(console, t("compare.spread_note"), style="dim")
    for f in comparison.figures:
        notes = _notes(f, lang)
        if notes:
            say(console, t(words_key(comparison, "notes"), rule=f.rule), style="bold")
            for note in notes:
                say(console, f"- {note}")

    console.print()
    differences = comparison.differences
    if not differences:
        console.print(Text(t(words_key(comparison, "no_differences")), style="bold"))
        return
    console.print(Text(t(words_key(comparison, "differences"), n=len(differences)), style="bold"))
    shown = differences if limit is None else differences[: max(limit, 0)]
    table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False, header_style="bold")
    ids = [plain(column_header("id", lang))] + [plain(d.application_id) for d in shown]
    least = [max(cell_len(i) for i in ids)]
    table.add_column(Text(column_header("id", lang)), no_wrap=True)
    # What identifies an application besides its id, as the award table shows it: applicant
    # and project, each where any application has one (a participatory budget names projects,
    # not applicants).
    about = [f for f in ("applicant", "project") if any(getattr(d, f) for d in shown)]
    for field in about:
        names = [plain(column_header(field, lang))] + [getattr(d, field) or "" for d in shown]
        least.append(max(_APPLICANT_LEAST, _least([plain(name) for name in names])))
        table.add_column(
            Text(column_header(field, lang)), overflow="fold", ratio=1, min_width=least[-1]
        )
    for index, rule in enumerate(comparison.rules):
        # Whole on one line: rich would break an amount at its no-break spaces (113 / 784 kr).
        outcomes = [rule] + [plain(outcome_text(*d.outcomes[index], lang)) for d in shown]
        least.append(max(cell_len(text) for text in outcomes))
        table.add_column(Text(rule), justify="right", no_wrap=True, min_width=least[-1])
    for d in shown:
        table.add_row(
            Text(d.application_id),
            *(Text(getattr(d, field) or "") for field in about),
            *(
                Text(outcome_text(status, amount, lang), style=STATUS_STYLE[status])
                for status, amount in d.outcomes
            ),
        )
    if _fits(console, least):
        console.print(table)
    else:  # too narrow: one application after the other, a line for each rule
        for d in shown:
            named = " – ".join(x for x in (d.applicant, d.project) if x)
            heading = f"{d.application_id}  {named}".rstrip()
            lines = [
                [Text(rule), Text(outcome_text(status, amount, lang), style=STATUS_STYLE[status])]
                for rule, (status, amount) in zip(comparison.rules, d.outcomes, strict=True)
            ]
            _one_after_another(console, heading, lines)
    if len(shown) < len(differences):
        console.print(Text(t("compare.more", n=len(differences) - len(shown)), style="dim"))
