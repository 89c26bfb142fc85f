"""The report of ``tilskudd check`` for the terminal: what was read, every problem, the verdict.

One header line (file, sheet, header row, how many applications were read, valid and invalid),
then the problems, errors before warnings, each on one line with its cell first
(``Søknader!F12  requested  '3,300' is ambiguous ...``) so an officer can go straight to it, then
the verdict and, with ``--budget``, the budget check.

The same problem in many cells of a column (a sheet with ``0`` for "no organisation number" in
49 rows) is one line, at its first cell, naming the cells and how many: the few problems that
differ are not buried under the same line 49 times. The JSON report and the workbook keep one
problem per cell.

Warnings of one kind (one code) on more lines than a handful are folded: the first few are
listed where they fall, then one line says how many more there are and where they all are (the
UK government's awards: 1 212 "the same organisation and project title" warnings on 606 lines,
which buried the three that differ). Errors are listed in full.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from tilskudd.controls import visible
from tilskudd.i18n import get
from tilskudd.models import Issue
from tilskudd.pipeline import RANKING_RULES
from tilskudd.render.allocation import render_budget_check
from tilskudd.render.plain import plain_for
from tilskudd.render.text import grid, lead_widths, say, wrap
from tilskudd.reports import CheckedInput, sorted_issues
from tilskudd.summary import BudgetCheck
from tilskudd.validation import RegisterMismatch
from tilskudd.wording import issue_cell, issue_text, listed

__all__ = [
    "check_header",
    "lay_out",
    "render_check",
    "render_file_comment",
    "render_register_mismatch",
]

_MIN_LAST = 20  # as render.text.grid: the message column is never narrower
KIND_HANDFUL = 10
"""Lines of warnings of one kind listed in full; a kind with more is cut to :data:`KIND_SHOWN`."""
KIND_SHOWN = 5
"""Lines listed of a kind of warnings that is folded, before the line that counts the rest."""


def check_header(checked: CheckedInput, lang: str) -> str:
    """The first line: file, sheet, header row, and how many applications were valid."""
    t = get(lang)
    parts = [visible(checked.file)]  # the sheet's name too, by {sheet:sheet}
    if checked.sheet:
        parts.append(t("ui.check.sheet", sheet=checked.sheet))
    if checked.header_row:
        parts.append(t("ui.check.header_row", row=checked.header_row))
    valid, invalid = len(checked.applications), len(checked.rejected)
    parts.append(
        t(
            "ui.check.read",
            applications=t("summary.applications", n=valid + invalid),
            valid=t("ui.check.valid", n=valid),
            invalid=t("ui.check.invalid", n=invalid),
        )
    )
    return " · ".join(parts)


def _field_label(issue: Issue, lang: str) -> str:
    if issue.location and issue.location.header:
        return issue.location.header
    if issue.field:
        t = get(lang)
        return t(f"header.{issue.field}") if t.has(f"header.{issue.field}") else issue.field
    return ""


def _same_problems(issues: Sequence[Issue], lang: str) -> list[list[Issue]]:
    """``issues`` as the lines that show them, in order of each line's first problem: the
    problems with the same code and the same message in cells of the same column together,
    every other problem (a file-wide one, one on a whole row) on its own line."""
    lines: list[list[Issue]] = []
    line_of: dict[tuple[object, ...], list[Issue]] = {}
    # The message is made from the code, the cell's value, the field and the params, so it is
    # made once for each different set of them (the Research Council's sheet: 49 the same).
    texts: dict[tuple[object, ...], str] = {}
    for issue in issues:
        loc = issue.location
        if loc is None or loc.row is None or loc.column is None:
            lines.append([issue])
            continue
        said = (issue.code, issue.value, issue.field, repr(issue.params))
        text = texts.get(said)
        if text is None:
            text = texts[said] = issue_text(issue, lang)
        key = (issue.code, loc.file, loc.sheet, loc.column, loc.header, issue.field, text)
        line = line_of.get(key)
        if line is None:
            line = line_of[key] = []
            lines.append(line)
        line.append(issue)
    return lines


@dataclass(frozen=True)
class _MoreOfKind:
    """Where the lines of a folded kind of warnings stop: how many of its problems are not
    listed, how many it has in all, and the first one's cell."""

    hidden: int
    total: int
    first: Issue


def _fold_kinds(
    lines: list[list[Issue]], *, handful: int = KIND_HANDFUL, shown: int = KIND_SHOWN
) -> list[list[Issue] | _MoreOfKind]:
    """``lines`` with each kind (code) that has more than ``handful`` of them cut to its first
    ``shown``, followed by a :class:`_MoreOfKind`; every other line as it is, where it is."""
    per_code = Counter(line[0].code for line in lines)
    many = {code for code, n in per_code.items() if n > handful}
    if not many:
        return list(lines)
    totals: Counter[str] = Counter()
    for line in lines:
        if line[0].code in many:
            totals[line[0].code] += len(line)
    seen: Counter[str] = Counter()
    listed_problems: Counter[str] = Counter()
    firsts: dict[str, Issue] = {}
    out: list[list[Issue] | _MoreOfKind] = []
    for line in lines:
        code = line[0].code
        if code not in many:
            out.append(line)
            continue
        seen[code] += 1
        if seen[code] > shown:
            continue
        firsts.setdefault(code, line[0])
        out.append(line)
        listed_problems[code] += len(line)
        if seen[code] == shown:
            hidden = totals[code] - listed_problems[code]
            out.append(_MoreOfKind(hidden, totals[code], firsts[code]))
    return out


def _first_lines(
    entries: list[list[Issue] | _MoreOfKind], limit: int | None
) -> list[list[Issue] | _MoreOfKind]:
    """The entries up to ``limit`` lines of problems (None: all); a fold's count line goes
    with the lines before it."""
    if limit is None:
        return entries
    out: list[list[Issue] | _MoreOfKind] = []
    lines = 0
    for entry in entries:
        if isinstance(entry, list):
            if lines >= max(limit, 0):
                break
            lines += 1
        out.append(entry)
    return out


def _line_text(line: list[Issue], lang: str) -> str:
    """One line's message; for more than one cell, with the cells (the first ones) and how many."""
    text = issue_text(line[0], lang)
    if len(line) == 1:
        return text
    t = get(lang)
    cells = [f"{i.location.column}{i.location.row}" for i in line if i.location is not None]
    return t("ui.check.same_in_cells", text=text, n=len(line), cells=listed(cells, t))


def _issue_rows(
    lines: list[list[Issue]], lang: str, plain: Callable[[str], str] = str
) -> list[list[Text]]:
    return [
        [
            Text(plain(issue_cell(line[0], lang))),
            Text(plain(_field_label(line[0], lang))),
            Text(plain(_line_text(line, lang))),
        ]
        for line in lines
    ]


def lay_out(rows: list[list[Text]], width: int, *, lead: list[int]) -> str | None:
    """The rows as :func:`~tilskudd.render.text.grid` lays them out, as plain lines; None when
    its columns would not fit in ``width`` (rich's table then narrows them) or a cell holds a
    tab or a character not one column wide (rich knows how to lay those out).

    The cells carry no style, so plain lines print the same, and in a tenth of the time: rich
    lays a table out at about 0.5 ms a row (200 problems: 0.08-0.15 s, against 0.01 s).
    """
    last = width - sum(lead) - 2 * len(lead)
    if last < _MIN_LAST:
        return None
    widths = [*lead, last]
    out: list[str] = []
    for row in rows:
        columns: list[list[str]] = []
        for cell, column_width in zip(row, widths, strict=True):
            text = cell.plain
            if "\t" in text or cell_len(text) != len(text):
                return None
            if len(text) > column_width:
                text = wrap(text, column_width)
            columns.append(text.split("\n"))
        for parts in zip_longest(*columns, fillvalue=""):
            out.append("  ".join(p.ljust(w) for p, w in zip(parts, widths, strict=True)))
    return "\n".join(out)


def _print_rows(console: Console, rows: list[list[Text]], lead: list[int]) -> None:
    if not rows:
        return
    laid_out = lay_out(rows, console.width, lead=lead)
    if laid_out is None:
        console.print(grid(rows, console.width, lead=lead))
    else:
        # Plain lines that fit: straight to the file, as rich would write them (rich spends
        # 0.1 s measuring 400 lines of 140 characters again).
        console.file.write(laid_out + "\n")


def _more_of_kind_text(more: _MoreOfKind, lang: str, command: str) -> str:
    """The line after the first lines of a folded kind of warnings."""
    loc = more.first.location
    cell = f"{loc.column}{loc.row}" if loc is not None and loc.row is not None else ""
    key = "ui.check.more_of_kind_allocate" if command == "allocate" else "ui.check.more_of_kind"
    return get(lang)(key, n=more.hidden, total=more.total, cell=cell)


def _ranking_column_missing(errors: list[Issue]) -> bool:
    """Whether an error already says the file has no column for the score or the rank."""
    for issue in errors:
        fields = issue.params.get("fields")
        if (
            issue.code == "validate.column_missing"
            and isinstance(fields, list | tuple)
            and _RANKING_FIELDS.intersection(fields)
        ):
            return True
    return False


_RANKING_FIELDS = frozenset({"score", "rank"})


def render_check(
    console: Console,
    checked: CheckedInput,
    *,
    lang: str,
    budget_check: BudgetCheck | None = None,
    limit: int | None = None,
    strict: bool = False,
    rule: str | None = None,
    allocating: bool = False,
    fold: bool = True,
    command: str = "check",
) -> None:
    """Print the check report: header line, errors then warnings, verdict, budget check.

    ``limit`` caps the lines listed per severity, a line being one problem or the same problem
    in many cells (the counts, and the "N more not shown", cover every problem).
    ``strict``: warnings count as errors, so there is no "No errors" verdict to give when there
    are warnings (the command says what --strict did). ``rule``: the rule the run allocates by
    (allocate); one that does not rank asks for no score, so a file without one is not told
    what the ranking rules would need. ``allocating``: the run goes on to allocate the file
    (allocate without --strict), so the applications with errors are rejected in it, not only
    "would be" as check says. ``fold``: a kind of warnings on more than :data:`KIND_HANDFUL`
    lines is listed to its first :data:`KIND_SHOWN` and counted (False: every line, as
    ``--limit 0`` asks); ``command`` ("check" or "allocate") says where they are all listed.
    """
    t = get(lang)
    say(console, check_header(checked, lang), style="bold")
    issues = sorted_issues(checked.issues)
    errors = [i for i in issues if i.is_error]
    warnings = [i for i in issues if not i.is_error]
    groups = [
        ("ui.check.errors", errors, "bold red"),
        ("ui.check.warnings", warnings, "bold yellow"),
    ]
    plain = plain_for(console)  # measured as the terminal's encoding will write it
    lines = {key: _same_problems(group, lang) for key, group, _style in groups}
    # Errors are listed in full: each is a row that would be rejected.
    entries: dict[str, list[list[Issue] | _MoreOfKind]] = {
        key: _fold_kinds(these) if fold and key == "ui.check.warnings" else list(these)
        for key, these in lines.items()
    }
    shown = {key: _first_lines(these, limit) for key, these in entries.items()}
    listed = {
        key: _issue_rows([e for e in these if isinstance(e, list)], lang, plain)
        for key, these in shown.items()
    }
    # One layout for both lists, so their columns line up: the cell as wide as the widest one
    # (it is what people search for), the column header at most 24, the message the rest.
    lead = lead_widths([row for rows in listed.values() for row in rows], [None, 24])
    if console.width - sum(lead) - 2 * len(lead) < _MIN_LAST:
        # Too narrow for all three (40 columns): the column header goes, the cell says where;
        # rich would otherwise squeeze the columns and cut the cell in two (Søknader!C / 3).
        listed = {key: [[row[0], row[2]] for row in rows] for key, rows in listed.items()}
        lead = lead[:1]
    for key, group, style in groups:
        if not group:
            continue
        console.print()
        console.print(Text(t(key, n=len(group)), style=style))
        rows = iter(listed[key])
        segment: list[list[Text]] = []
        for entry in shown[key]:
            if isinstance(entry, list):
                segment.append(next(rows))
                continue
            _print_rows(console, segment, lead)
            segment = []
            say(console, _more_of_kind_text(entry, lang, command), style="dim")
        _print_rows(console, segment, lead)
        more = len(group) - sum(
            len(entry) if isinstance(entry, list) else entry.hidden for entry in shown[key]
        )
        if more:
            say(console, t("ui.check.more_problems", n=more), style="dim")
    console.print()
    # Said of a file a ranking rule will allocate, or that check does not know the rule of.
    ranks = rule is None or rule in RANKING_RULES
    if checked.rejected:
        failed = "ui.check.failed_allocating" if allocating else "ui.check.failed"
        say(console, t(failed, n=len(checked.rejected)), style="bold red")
        if ranks and not checked.ranking_column and not _ranking_column_missing(errors):
            # Said also when other cells have errors (the Research Council's real file: one
            # amount of 0 kr and no score column), not only once they are mended; but not
            # again after the error that says it (allocate's ranked rule requires the column).
            say(console, t("ui.check.unranked_too"), style="yellow")
    elif strict and warnings:
        pass  # "No errors" would be followed by "--strict ... does not pass"
    elif ranks and not errors and not checked.ranking_column:
        # allocate's default rule ranks: without a score or rank it would reject every row.
        say(console, t("ui.check.ok_unranked"), style="yellow")
    elif (
        ranks
        and not errors
        and (unscored := sum(i.code == "validate.score_missing" for i in warnings))
    ):
        # Some applications lack the score the default rule ranks on: "every application can be
        # allocated" would hold for proportional only.
        say(console, t("ui.check.ok_unscored_some", n=unscored), style="yellow")
    elif not errors:
        # A clean file is told so once: "No problems found" then "No errors: ..." said it twice.
        say(console, t("ui.check.ok" if issues else "ui.check.none"), style="green")
    mismatch = checked.register_mismatch
    if mismatch is not None:
        render_register_mismatch(console, mismatch, lang=lang)
    if budget_check is not None:
        render_budget_check(console, budget_check, lang=lang)


def render_register_mismatch(console: Console, mismatch: RegisterMismatch, *, lang: str) -> None:
    """The one thing to do when the sheet's places follow the other numbering: said once, after
    the problems that each say it for a cell."""
    t = get(lang)
    words = [t("ui.check.register_mismatch", **mismatch._asdict())]
    if mismatch.rejected == 1 and mismatch.applications:
        # Not "1 of the 1 invalid applications has ...".
        words.append(t("ui.check.register_mismatch_only_the_one"))
    elif mismatch.applications:
        words.append(
            t(
                "ui.check.register_mismatch_only",
                n=mismatch.applications,
                invalid=mismatch.rejected,
            )
        )
    words.append(t("ui.check.register_mismatch_advice", other_register=mismatch.other_register))
    say(console, " ".join(words), style="bold yellow")


def render_file_comment(
    console: Console, text: str, *, length: int, shortened: bool, lang: str
) -> None:
    """The comment a file's compilers wrote on the data (a pabulib file's ``META`` comment:
    Budapest's says half the votes were cast on paper and are not in it), said once under the
    verdict or the awards; ``text`` is the part shown when ``shortened``, of ``length``
    characters in all. Never in the published lists."""
    t = get(lang)
    if shortened:
        shown = len(text) - 1  # the characters of the comment, not the "…" after them
        said = t("ui.check.file_comment_shortened", comment=text, shown=shown, length=length)
    else:
        said = t("ui.check.file_comment", comment=text)
    say(console, said)
