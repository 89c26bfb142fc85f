"""The award table of ``tilskudd allocate`` and the budget check of ``--dry-run``, for the terminal.

The table lists every application once, funded first (by rank), then the reserve list, those not
funded and the rejected; under it the totals, the budget accounted to the krone
(``budget == awarded + unallocated``), the round's notes and the summary sentence, and in a
round with quotas a line per quota group: its limits, what it was awarded and whether it is
within the quota (:func:`tilskudd.publication.quota_lines`). Columns that
matter least (municipalities, then project titles) are left out on narrow terminals so the rest
stays readable; text columns fold, amounts never wrap.

A committed round amended or withdrawn from since its decision (``result.changes``) is shown as
the published documents show it: each award at its amount now (``as_decided``: as decided), its
status *amended* or *withdrawn* with the number of its note, the notes under the table (each
change's date, amounts and reason, and the amount now), the budget line ``Budget = Decided +
Unallocated``, ``Awarded now = Decided + Changed``, and the summary sentence of the awards now
followed by what changed since. Its words and figures are those of the documents
(:func:`tilskudd.publication.changes_since` and :func:`~tilskudd.publication.summary_shown`),
made of the changed awards alone: not the lists of every award the documents show
(:func:`~tilskudd.publication.build`), which took seconds at 100 000 applications.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from rich import box
from rich.cells import cell_len, get_character_cell_size
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from tilskudd.currency import amount_unit, amounts_in, shown
from tilskudd.i18n import Translator, as_sentence, format_number, get
from tilskudd.models import (
    Application,
    AwardChange,
    Decision,
    Reason,
    RejectedRow,
    RoundResult,
    Status,
)
from tilskudd.money import format_amount
from tilskudd.publication import (
    ChangesSince,
    changes_by_id,
    changes_since,
    quota_lines,
    standing,
    summary_shown,
)
from tilskudd.render.plain import plain_for
from tilskudd.render.text import grid, lead_widths, runs, say, wrap, wrap_lines
from tilskudd.summary import BudgetCheck, RoundSummary, summarise
from tilskudd.wording import (
    OVERRIDE_MARK,
    TIE_MARK,
    column_header,
    county_name,
    decision_text,
    display_order,
    note_text,
    places_short,
    rank_text,
    rejected_text,
    shortened,
    status_text,
    summary_sentence,
)

__all__ = [
    "budget_line",
    "choose_columns",
    "column_widths",
    "note_texts",
    "render_budget_check",
    "render_result",
]

STATUS_STYLE: dict[Status, str] = {
    Status.FUNDED: "green",
    Status.PARTLY_FUNDED: "yellow",
    Status.RESERVE: "cyan",
    Status.NOT_FUNDED: "dim",
    Status.REJECTED: "red",
}

# On a narrow terminal these columns are left out, in this order, until the reason gets the room
# it wants: the reason and the amounts matter more than the municipalities, the project title and
# the applicant (all of them are in the workbook).
_OPTIONAL = ("municipalities", "project", "applicant")
# On a terminal too narrow for the table even then (40 columns), these go too, in this order:
# the amount applied for and the rank (the rows stay in rank order).
_LAST_RESORT = ("requested", "rank")
# Columns shown only when some row has something in them.
_SHOWN_IF_FILLED = (*_OPTIONAL, "rank")
_REASON_WANTS = 30
# The narrowest a text column is made when the terminal leaves less than its minimum: narrower
# still, rich would fit the table by breaking the amounts (1 200 over 000).
_NARROWEST = 10
# Below this width amounts are shown without the currency, which moves to the column header.
_COMPACT_BELOW = 120
_CUT_AT = 300
"""On a terminal, a text wider than this many columns (a title or a whole application pasted
into a cell) is cut to it, ``…`` last, so that one row does not fold into hundreds of lines; the
files (``-o``) and output not to a terminal have it whole. Counted as the terminal shows it: a
wide character (Chinese, an emoji) takes two columns, a combining accent none."""
_JOINER = "\u200d"
# Columns are separated by two spaces (see the Table below).
_GAP = 2


@dataclass(frozen=True)
class _Column:
    field: str
    justify: Literal["left", "right"] = "left"
    flexible: bool = False
    """Text that may wrap; the width left after the fixed columns is shared by ``share``."""
    share: int = 0
    min_width: int = 0
    max_width: int = 0


_COLUMNS = (
    _Column("rank", justify="right"),
    _Column("id"),
    _Column("applicant", flexible=True, share=3, min_width=8, max_width=32),
    _Column("project", flexible=True, share=3, min_width=8, max_width=40),
    _Column("municipalities", flexible=True, share=2, min_width=8, max_width=28),
    _Column("requested", justify="right"),
    _Column("awarded", justify="right"),
    _Column("status"),
    _Column("reason", flexible=True, share=5, min_width=16, max_width=70),
)


def choose_columns(
    headers: dict[str, str], cells: dict[str, list[str]], total_label: str, width: int
) -> tuple[list[_Column], list[int]]:
    """The columns to show on a terminal ``width`` characters wide, and their widths.

    Optional columns are left out (municipalities first, applicant last) while the table would
    not fit or the reason would get fewer than 30 characters (or its longest text, if shorter);
    then, while the table would not fit at all or the reason column is narrower than the longest
    word of its text (``tilskuddsberettigede``, an amount; up to 30 characters), the amount
    requested and the rank: a word is never cut in the middle (``tilskuddsberet`` /
    ``tigede``) while leaving out a column can give it room.
    An optional column empty in every row is never shown: a sheet without applicants or places
    (participatory budgeting, or only id, amount and score) would get empty columns taking the
    reason's room. Nor is the rank when no application has one (``proportional`` on a sheet
    without scores): its empty column took the room of the amount requested at 80 columns.
    The totals label goes in the applicant column, or the id column when that is left out.
    """
    fields = [c.field for c in _COLUMNS if c.field not in _SHOWN_IF_FILLED or any(cells[c.field])]
    reason_wants = min(_REASON_WANTS, max((cell_len(x) for x in cells["reason"]), default=1))
    reason_word = min(_REASON_WANTS, _longest_unbroken(cells["reason"]))
    columns: list[_Column] = []
    widths: list[int] = []
    for drop in (None, *_OPTIONAL, *_LAST_RESORT):
        if drop in fields:
            fields.remove(drop)
        columns = [c for c in _COLUMNS if c.field in fields]
        label_at = "applicant" if "applicant" in fields else "id"
        local = {f: [total_label, *cells[f]] if f == label_at else cells[f] for f in fields}
        widths = column_widths(columns, {f: headers[f] for f in fields}, local, width)
        fits = sum(widths) + _GAP * (len(widths) - 1) <= width
        if not fits or (widths[-1] < reason_word and drop != _LAST_RESORT[-1]):
            continue
        if widths[-1] >= reason_wants or drop in (_OPTIONAL[-1], *_LAST_RESORT):
            break
    return columns, widths


def _longest_word(texts: list[str]) -> int:
    return max((cell_len(word) for text in texts for word in text.split()), default=1)


def _longest_unbroken(texts: list[str]) -> int:
    """The longest run of text :func:`~tilskudd.render.text.wrap` does not break: a word, or an
    amount (its spaces are non-breaking, or held together: ``0 kr``)."""
    return max((cell_len(word) for text in texts for word in runs(text)), default=1)


def column_widths(
    columns: list[_Column], headers: dict[str, str], cells: dict[str, list[str]], width: int
) -> list[int]:
    """Widths that fit ``width``: fixed columns as wide as their widest cell, text columns share
    the rest by their shares, each between its minimum and its widest cell (or its maximum).

    Headers may wrap between words, never inside one. A fixed column that would leave the text
    columns below their minimum shrinks to its longest word (``partly`` / ``funded`` on two
    lines); amounts and ranks never wrap.
    """
    head = {c.field: _longest_word([headers[c.field]]) for c in columns}
    widest = {c.field: max((cell_len(x) for x in cells[c.field]), default=1) for c in columns}
    natural = {c.field: max(cell_len(headers[c.field]), widest[c.field]) for c in columns}
    fixed = {c.field: natural[c.field] for c in columns if not c.flexible}
    flexible = [c for c in columns if c.flexible]
    floor = {c.field: min(max(c.min_width, head[c.field]), natural[c.field]) for c in flexible}
    available = width - _GAP * (len(columns) - 1) - sum(fixed.values())
    # When space is short, amount headers wrap first, then status words and ids go on two lines.
    for field in ("requested", "awarded", "status", "id"):
        if available >= sum(floor.values()) or field not in fixed:
            continue
        keep = widest[field] if field in ("requested", "awarded") else _longest_word(cells[field])
        shrunk = min(fixed[field], max(head[field], keep))
        available += fixed[field] - shrunk
        fixed[field] = shrunk
    short = sum(floor.values()) - available
    if short > 0 and flexible:
        # Narrower than the text columns' minimums: the last (the reason) gives up the room,
        # down to _NARROWEST, so that the table fits and rich need not squeeze the amounts.
        last = flexible[-1].field
        floor[last] = max(floor[last] - short, min(_NARROWEST, floor[last]))
    # Water-filling: every text column gets its floor; the rest goes by shares to columns that
    # still want more, until the width or the wants run out.
    want = {c.field: max(min(natural[c.field], c.max_width), floor[c.field]) for c in flexible}
    give = dict(floor)
    left = available - sum(give.values())
    while left > 0:
        hungry = [c for c in flexible if give[c.field] < want[c.field]]
        if not hungry:
            break
        shares = sum(c.share for c in hungry)
        handed = 0
        for c in hungry:
            extra = min(want[c.field] - give[c.field], max(left * c.share // shares, 1))
            extra = min(extra, left - handed)
            give[c.field] += extra
            handed += extra
        left -= handed
        if handed == 0:
            break
    return [fixed[c.field] if c.field in fixed else give[c.field] for c in columns]


_EMPTY = RejectedRow(id="", issues=())


def _money(amount: int, lang: str, compact: bool) -> str:
    if compact:
        return format_number(amount, lang)
    return format_amount(amount, lang, currency=amount_unit())


@dataclass(frozen=True)
class _Changed:
    """A committed round changed since its decision: the changes as every view says them
    (the notes numbered as the documents number them) and each award's changes, as the table
    marks them."""

    said: ChangesSince
    by_id: Mapping[str, tuple[AwardChange, ...]]
    notes: dict[str, int]


def _changed(result: RoundResult, lang: str, as_decided: bool) -> _Changed | None:
    said = changes_since(result, lang, as_decided=as_decided)
    if said is None:
        return None
    notes = {line.id: line.note for line in said.lines if line.note is not None}
    return _Changed(said, changes_by_id(result), notes)


def _row_texts(
    result: RoundResult,
    decision: Decision,
    lang: str,
    compact: bool,
    changed: _Changed | None = None,
) -> dict[str, str]:
    app = result.applications_by_id().get(decision.application_id)
    rejected = result.rejected_by_id().get(decision.application_id)
    requested: int | None
    if decision.status is Status.REJECTED:
        # A rejected application is not part of the round: its request is not in the totals.
        requested = None
        reason = (rejected_text(rejected, lang) if rejected else "") or decision_text(
            decision, lang
        )
    else:
        requested = decision.requested if decision.requested is not None else None
        if requested is None and app is not None:
            requested = app.requested
        reason = decision_text(decision, lang)
    awarded = _money(decision.amount, lang, compact) if decision.amount else "–"
    status = status_text(decision.status, lang)
    history = changed.by_id.get(decision.application_id) if changed is not None else None
    if changed is not None and history:
        # Changed since the decision: the amount now (even 0), its state and its note's number.
        if not changed.said.as_decided:
            awarded = _money(history[-1].amount_after, lang, compact)
            kind = "withdrawn" if history[-1].kind == "withdraw" else "amended"
            status = get(lang)(f"ledger.state.{kind}")
        note = changed.notes.get(decision.application_id)
        if note is not None:
            status += f" ({note})"
    return {
        "rank": rank_text(decision),
        "id": decision.application_id,
        "applicant": (app or rejected or _EMPTY).applicant or "",
        "project": (app or rejected or _EMPTY).project or "",
        "municipalities": _places(app, lang)
        if app
        else (_rejected_places(rejected, lang) if rejected else ""),
        "requested": _money(requested, lang, compact) if requested else "",
        "awarded": awarded,
        "status": status + (f" {OVERRIDE_MARK}" if decision.override else ""),
        "reason": reason,
    }


def _places(app: Application | RejectedRow, lang: str) -> str:
    """The municipalities, or for a county council's or county governor's project (which names
    its county, not municipalities) "Telemark (hele fylket)", as the documents show it; an
    empty cell read as a place left out."""
    if app.municipalities or not app.counties:
        return places_short(app.municipalities, lang)
    t = get(lang)
    return t.join([t("doc.whole_county", county=county_name(c) or c) for c in app.counties])


def _rejected_places(row: RejectedRow, lang: str) -> str:
    """A rejected row's municipalities as the award workbook lists them: as read when their
    cell was valid (another cell was not), as typed when it was not."""
    typed = row.typed.get("municipalities")
    return typed if typed is not None else _places(row, lang)


def _header(field: str, lang: str, compact: bool) -> str:
    t = get(lang)
    if field in ("rank", "id"):
        return t(f"header.{field}_short")
    if compact and field in ("requested", "awarded"):
        return t(
            "header.in_currency",
            header=column_header(field, lang),
            # "kr" in Norwegian, "NOK" in English, as the amounts write it; another code as it is.
            unit=amount_unit() if lang == "nb" else shown(),
        )
    return column_header(field, lang)


def _award_table(
    result: RoundResult,
    decisions: list[Decision],
    summary: RoundSummary,
    lang: str,
    width: int,
    changed: _Changed | None = None,
    plain: Callable[[str], str] = str,
    cut_at: int | None = None,
) -> tuple[Table | Group, bool]:
    """The table ``width`` characters wide, its text as ``plain`` makes it (as the terminal's
    encoding will write it: measured as it will be shown), each text longer than ``cut_at``
    cut to it (:func:`cut_long`); on a terminal too narrow for the table without cutting
    words, the list :func:`_award_list` instead. With it, whether a text was cut."""
    t = get(lang)
    compact = width < _COMPACT_BELOW
    rows = [_row_texts(result, d, lang, compact, changed) for d in decisions]
    cut = cut_at is not None and any(cell_len(x) > cut_at for row in rows for x in row.values())
    if cut and cut_at is not None:
        rows = [{field: cut_long(text, cut_at) for field, text in row.items()} for row in rows]
    if plain is not str:
        rows = [{field: plain(text) for field, text in row.items()} for row in rows]
    headers = {c.field: plain(_header(c.field, lang, compact)) for c in _COLUMNS}
    totals = {
        "requested": plain(_money(summary.requested, lang, compact)),
        "awarded": plain(_money(summary.awarded, lang, compact)),
    }
    total_label = plain(t("ui.total"))
    cells = {
        c.field: [*([totals[c.field]] if c.field in totals else []), *(r[c.field] for r in rows)]
        for c in _COLUMNS
    }
    columns, widths = choose_columns(headers, cells, total_label, width)
    if _cuts_words(columns, widths, headers, cells):
        listed = _award_list(result, decisions, summary, lang, width, changed, plain, cut_at)
        return listed, cut
    totals["applicant" if any(c.field == "applicant" for c in columns) else "id"] = total_label
    fields = [c.field for c in columns]
    table = Table(
        box=box.SIMPLE,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
        show_footer=True,
        header_style="bold",
        footer_style="bold",
    )
    for column, column_width in zip(columns, widths, strict=True):
        table.add_column(
            # Text objects throughout: applicant text is never read as rich markup.
            Text(headers[column.field]),
            footer=Text(totals.get(column.field, "")),
            justify=column.justify,
            overflow="fold",
            width=column_width,
        )
    # Text columns are wrapped here, at ordinary spaces only: rich would break amounts
    # ("3 300 000 kr", with non-breaking spaces) in the middle.
    wrap_at = {c.field: w for c, w in zip(columns, widths, strict=True) if c.flexible}
    for decision, row in zip(decisions, rows, strict=True):
        table.add_row(
            *(
                Text(
                    wrap(row[f], wrap_at[f]) if f in wrap_at else row[f],
                    style=STATUS_STYLE[decision.status] if f == "status" else "",
                )
                for f in fields
            )
        )
    return table, cut


def _cuts_words(
    columns: list[_Column], widths: list[int], headers: dict[str, str], cells: dict[str, list[str]]
) -> bool:
    """Whether the table at these widths would cut a word, an id or an amount in two: a column
    narrower than the longest run of its text (or header) that wrapping does not break. The
    reason counts up to 30 characters (a longer run, a web address, is cut at any width)."""
    for column, width in zip(columns, widths, strict=True):
        field = column.field
        longest = _longest_unbroken([headers[field], *cells[field]])
        if field == "reason":
            longest = min(longest, _REASON_WANTS)
        elif column.flexible:
            continue  # applicant, project, places: left out before the reason is squeezed
        if width < longest:
            return True
    return False


def _award_list(
    result: RoundResult,
    decisions: list[Decision],
    summary: RoundSummary,
    lang: str,
    width: int,
    changed: _Changed | None,
    plain: Callable[[str], str],
    cut_at: int | None = None,
) -> Group:
    """The award table as a list, for a terminal too narrow for its columns (under about 50
    characters): each application on a line of its own (rank, id, amount awarded, status),
    its applicant and project and its reason indented below, wrapped at ordinary spaces; the
    totals last. Words, ids and amounts are whole, as in the table, and amounts carry their
    currency (there is no column header to say it)."""
    t = get(lang)
    lines: list[Text] = []
    for decision in decisions:
        texts = _row_texts(result, decision, lang, False, changed)
        row = {f: plain(x if cut_at is None else cut_long(x, cut_at)) for f, x in texts.items()}
        status = row["status"]
        head = " · ".join(x for x in (f"{row['rank']} {row['id']}".strip(), row["awarded"], status))
        text = Text(wrap_lines(head, width), style="bold")
        # A line wraps at a single space, which keeps the length: the status ends the text.
        text.stylize(STATUS_STYLE[decision.status], len(text) - len(status))
        lines.append(text)
        about = " – ".join(x for x in (row["applicant"], row["project"]) if x)
        for part in (about, row["reason"]):
            if part:
                lines.append(Text(wrap_lines(f"  {part}", width)))
    total = t(
        "ui.list_total",
        requested=summary.requested,
        awarded=summary.awarded,
    )
    lines.append(Text(wrap_lines(plain(total), width), style="bold"))
    return Group(*lines)


def cut_long(text: str, at: int) -> str:
    """``text`` whole when the terminal shows it in at most ``at`` columns, else as much of it
    as fills ``at - 1`` and ``…`` (its end without the spaces it was cut at).

    Columns as the terminal counts them (:func:`rich.cells.cell_len`): 300 Chinese characters
    take 600, an accent written as a combining mark none. The cut falls between graphemes
    (:func:`_graphemes`): an accent stays with its letter, an emoji joined with U+200D whole."""
    if cell_len(text) <= at:
        return text
    room = at - 1
    for start, end in _graphemes(text):
        # A grapheme of several characters (♻ and U+FE0F, which makes it an emoji two columns
        # wide) measured whole, as rich measures it when it lays the table out.
        room -= (
            get_character_cell_size(text[start]) if end - start == 1 else cell_len(text[start:end])
        )
        if room < 0:
            return text[:start].rstrip() + "…"
    return text  # no wider than ``at`` as its graphemes are counted


def _graphemes(text: str) -> Iterator[tuple[int, int]]:
    """Where each grapheme of ``text`` starts and ends: a character the terminal gives no
    column (a combining accent, a variation selector) kept with the one before it, and the
    character after a zero-width joiner (U+200D, in 👩‍👧) too."""
    start, joined = 0, False
    for at, character in enumerate(text):
        if at and (joined or get_character_cell_size(character) == 0):
            joined = character == _JOINER
            continue
        if at:
            yield start, at
        start, joined = at, character == _JOINER
    if text:
        yield start, len(text)


def budget_line(summary: RoundSummary, lang: str) -> str:
    """``Budget: X · Awarded: Y · Unallocated: Z``: the budget accounted to the krone."""
    return get(lang)(
        "ui.budget_line",
        budget=summary.budget,
        awarded=summary.awarded,
        unallocated=summary.unallocated,
    )


def render_result(
    console: Console,
    result: RoundResult,
    *,
    lang: str,
    limit: int | None = None,
    as_decided: bool = False,
) -> None:
    """Print the award table, totals, the budget line, notes and the summary sentence.

    ``limit`` shows only the first rows (funded first); the totals and the summary always cover
    the whole round. A committed round changed since its decision is shown as it stands (with
    ``as_decided``, as decided), each change in a numbered note under the table. Its amounts
    are said in the round's currency.
    """
    with amounts_in(result.currency):
        _render_result(console, result, lang=lang, limit=limit, as_decided=as_decided)


def _render_result(
    console: Console, result: RoundResult, *, lang: str, limit: int | None, as_decided: bool
) -> None:
    t = get(lang)
    changed = _changed(result, lang, as_decided)
    summary = summary_shown(result, as_decided=as_decided)
    decisions = display_order(result)
    shown = decisions if limit is None else decisions[: max(limit, 0)]
    plain = plain_for(console)
    # Cut on a terminal only: piped or redirected output is a report, kept whole.
    cut_at = _CUT_AT if console.is_terminal else None
    table, cut = _award_table(result, shown, summary, lang, console.width, changed, plain, cut_at)
    console.print(table)
    if cut:
        say(console, t("ui.long_texts_cut", max=cut_at), style="dim")
    if len(shown) < len(decisions):
        say(console, t("ui.more_rows", n=len(decisions) - len(shown)), style="dim")
    if changed is None:
        say(console, budget_line(summary, lang), style="bold")
    else:
        say(console, changed.said.budget_line(), style="bold")
    _print_notes(console, result, t)
    say(console, summary_sentence(summary, lang, round_name=result.round))
    if changed is not None:
        # What changed since: "see the changes below" (as decided) holds.
        say(console, changed.said.standing_sentence())
    _print_quotas(console, result, lang, as_decided=as_decided)
    if changed is not None:
        say(console, t("doc.changed.heading"), style="bold")
        for line in changed.said.lines:
            say(console, f"{line.note}. {changed.said.change_note(line)}")


def _print_quotas(console: Console, result: RoundResult, lang: str, *, as_decided: bool) -> None:
    """Under the summary of a round with quotas: each group, its limits, what it was awarded
    (of a round changed since its decision, as the table shows the awards) and whether it is
    within the quota, a line each, as the workbook's table of quotas gives them."""
    lines = quota_lines(result, as_decided=as_decided)
    if not lines:
        return
    say(console, get(lang)("summary.label.quotas"), style="bold")
    plain = plain_for(console)
    for line in lines:
        # A line of its own per group, its continuation indented under the text.
        text = wrap_lines(plain(f"  {line.outcome(lang)}"), console.width)
        console.print(Text(f"- {text[2:]}", style="" if line.met else "red"))


def note_texts(notes: Sequence[Reason], t: Translator) -> list[str]:
    """A round's notes as the terminal shows them: long lists of applications cut short
    (:func:`~tilskudd.wording.shortened`), and then a line saying so if any was."""
    short = [shortened(note, t) for note in notes]
    texts = [note_text(note, t.lang) for note in short]
    if any(a is not b for a, b in zip(short, notes, strict=True)):
        texts.append(t("ui.notes_shortened"))
    return texts


_TIE_MARKS_NAMED = 8
"""Tied ranks the legend names; more are cut short with an ellipsis."""


def _print_notes(console: Console, result: RoundResult, t: Translator) -> None:
    notes = note_texts(result.allocation.notes, t)
    tied = sorted({d.rank for d in result.allocation.decisions if d.tied and d.rank is not None})
    if tied:
        # The legend names the tied ranks of this round (it read "12=" in every round), every
        # one (Amsterdam's "3= shares its rank ..." read as if 3 were its only tie), the first
        # few of many.
        marks = [f"{rank}{TIE_MARK}" for rank in tied[:_TIE_MARKS_NAMED]]
        if len(tied) > _TIE_MARKS_NAMED:
            marks.append("…")
        notes.append(as_sentence(t("ui.tie_legend", marks=", ".join(marks))))
    if any(d.override for d in result.allocation.decisions):
        notes.append(as_sentence(t("ui.override_legend", mark=OVERRIDE_MARK)))
    if not notes:
        return
    console.print(Text(t("ui.notes"), style="bold"))
    for note in notes:
        say(console, f"- {note}")


def render_budget_check(
    console: Console,
    check: BudgetCheck,
    *,
    lang: str,
    result: RoundResult | None = None,
    as_decided: bool = False,
) -> None:
    """Print the budget check: valid and invalid applications, total requested, oversubscription,
    how many would be funded in full best first, and the municipalities and counties involved.

    With ``result`` (``allocate --dry-run``) it also says what this allocation would award, to
    how many projects, and what would be left of the round: of a committed round changed since
    its decision, as the table above it shows them (the awards as they stand, or
    ``as_decided``), saying which, with the other figure beside it.
    """
    t = get(lang)
    lines: list[list[Text]] = []
    plain = plain_for(console)

    def add(label: str, value: str) -> None:
        lines.append([Text(plain(label), style="bold"), Text(plain(value))])

    valid = t("ui.check.valid", n=check.valid)
    add(t("ui.budget.applications"), f"{valid}, {t('ui.check.invalid', n=check.invalid)}")
    requested = format_amount(check.requested, lang, currency=amount_unit())
    if check.excluded:
        # Funded in an earlier round: in the award table, but not among what the round
        # considers, so not in what is asked of its budget (which they overstated).
        add(
            t("ui.budget.excluded"),
            t(
                "ui.budget.excluded_value",
                applications=t("summary.applications", n=check.excluded),
                amount=check.excluded_requested,
                considered=check.considered,
            ),
        )
        requested = t(
            "ui.budget.requested_without_excluded",
            amount=check.requested,
            total=check.requested + check.excluded_requested,
            n=check.excluded,
        )
    add(t("ui.budget.requested"), requested)
    add(t("ui.budget.budget"), format_amount(check.budget, lang, currency=amount_unit()))
    if check.oversubscription is None:
        ratio_text = t("ui.budget.no_budget")
    elif check.oversubscription <= 1:
        # Not "every valid application": those funded before are valid, and left out.
        fits = "ui.budget.fits_considered" if check.excluded else "ui.budget.fits"
        ratio_text = t(fits, ratio=check.oversubscription)
    else:
        ratio_text = t("ui.budget.times", ratio=check.oversubscription)
    add(t("ui.budget.oversubscription"), ratio_text)
    # A strict line: the count stops at the first request that does not fit, where the default
    # rule passes over it and goes on; said, beside "This allocation" that counts those too.
    stopped = check.funded_in_full_by_score < check.considered
    in_full = t(
        "ui.budget.in_full_line" if stopped else "ui.budget.in_full_value",
        applications=t("summary.applications", n=check.funded_in_full_by_score),
        amount=check.requested_of_those,
        left=check.budget - check.requested_of_those,
    )
    if check.unscored and check.unscored == check.considered:
        # Not one has a score or rank (a sheet checked before it is scored): there is no
        # "best", and "taken last" would have nothing to come after.
        in_full = f"{in_full}; {t('ui.budget.unscored_all')}"
    elif check.unscored:
        in_full = f"{in_full}; {t('ui.budget.unscored', n=check.unscored)}"
    add(t("ui.budget.in_full"), in_full)
    if check.municipalities or check.counties:
        # A sheet that names no places (360Giving data) involves none: not "0 in 0".
        add(
            t("ui.budget.coverage"),
            t(
                "ui.budget.coverage_value",
                municipalities=t("summary.municipalities", n=check.municipalities),
                counties=t("summary.counties", n=check.counties),
            ),
        )
    if result is not None:
        add(t("ui.budget.would_award"), _would_award(result, t, as_decided=as_decided))
    console.print()
    console.print(Text(t("ui.budget.title"), style="bold underline"))
    console.print(grid(lines, console.width, lead=lead_widths(lines, [32])))


def _would_award(result: RoundResult, t: Translator, *, as_decided: bool) -> str:
    """What the round awards, as the table shows it: of a round changed since its decision,
    as the awards stand (or as decided), saying which, with the other beside it."""
    decided = summarise(result)
    if standing(result) is None:
        return t(
            "ui.budget.would_award_value",
            awarded=decided.awarded,
            projects=t("summary.projects", n=decided.funded),
            unallocated=decided.unallocated,
        )
    now = summary_shown(result)
    shown, other = (decided, now) if as_decided else (now, decided)
    return t(
        f"ui.budget.would_award_{'decided' if as_decided else 'now'}_value",
        awarded=shown.awarded,
        projects=t("summary.projects", n=shown.funded),
        unallocated=decided.unallocated,
        **{
            "current" if as_decided else "decided": other.awarded,
            "current_projects" if as_decided else "decided_projects": t(
                "summary.projects", n=other.funded
            ),
        },
    )
