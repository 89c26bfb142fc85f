"""PDF export: the publication list on A4, as a funder attaches it to a press release.

The same content as the HTML page (:mod:`tilskudd.publication`): title, programme and
round, date, summary sentence, key figures, the awards by amount, the awards per county as bars,
and the awards by municipality (shared projects marked, counted once in the total); for a round
changed since its decision, the awards as they stand with a numbered note for each change
("Changes since the decision"); for a round with quotas, each quota group against its limits.
Every page
has its number ("Side 2 av 5") and every table repeats its header row on each page it runs onto.

Written with fpdf2: pure Python (installs from PyPI anywhere, no system libraries, unlike
WeasyPrint's Pango), small, maintained. The two lists are drawn by :class:`_Table`, not by
fpdf2's ``table()``, which lays out every cell twice through ``multi_cell`` and its line
breaker: the UK government's 3 242 awards of 2016-17 took 12 s that way (see
docs/benchmarks.md). Text is set in
DejaVu Sans, bundled in ``tilskudd/fonts`` (Latin, Greek, Cyrillic): the PDF core fonts are
Latin-1 and cannot show the Sámi letters of names such as Kárášjohka.

For assistive technology the document carries its title (shown in the reader's window), its
language, the funder as author, the summary sentence as subject, and a bookmark for each
section. It is not a tagged PDF: fpdf2 (2.8.9) builds a structure tree only for images with
alternative text, links and styled section titles, flat under /Document and typed /Figure or
/Link, through internal methods; it has no public API to tag headings, paragraphs or tables. So
the document claims no tags (no /MarkInfo), and draws its text in reading order, each table
row by row and cell by cell, which is the order a screen reader gets it in. The HTML page is
the accessible version of the list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path

from fpdf import FPDF, ViewerPreferences

from tilskudd.export.atomic import atomic_path
from tilskudd.i18n import get
from tilskudd.models import RoundResult
from tilskudd.publication import SHARED_MARK, AwardLine, Publication, build

__all__ = ["FONT", "render", "write"]

FONT = "DejaVuSans"
_INK = (27, 31, 35)
_MUTED = (90, 100, 112)
_BAND = (11, 58, 91)
_ACCENT = (42, 122, 176)
_ZEBRA = (244, 246, 248)
_COUNTY = (227, 236, 243)
_BAR = (31, 95, 139)


@cache
def _font_file(style: str) -> Path:
    name = "DejaVuSans-Bold.ttf" if style == "B" else "DejaVuSans.ttf"
    return Path(str(resources.files("tilskudd") / "fonts" / name))


@cache
def _covered() -> frozenset[int]:
    """Code points the bundled font can show (both styles cover the same ranges)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # fpdf2 dependency

    with TTFont(str(_font_file(""))) as font:
        return frozenset(font.getBestCmap())


def _safe(text: str) -> str:
    """Text the font can show: a character it lacks becomes U+FFFD rather than a blank box; a
    tab (which has no glyph, and which fpdf2 would log as missing) a space."""
    if "\t" in text:
        text = text.replace("\t", " ")
    covered = _covered()
    if all(ord(ch) in covered for ch in text):
        return text
    return "".join(ch if ord(ch) in covered or ch in "\n\r" else "\ufffd" for ch in text)


# A table row must fit on one page, and a cell of a page's height is no use to a reader: a cell
# is cut with "…" after _MAX_CELL_LINES lines (40 lines of 4.6 mm leave room for the running
# header, the repeated heading row and the margins). Text of up to _SHORT characters with few
# line breaks always fits in the narrowest column (38 mm, at least 11 of the widest letters a
# line), so only longer text is measured for that.
_MAX_CELL_LINES = 40
_SHORT = 300
_LINE_H = 4.6
_PADDING_X = 1.5
_PADDING_Y = 1.2
_TABLE_SIZE = 8.5  # points


class _Document(FPDF):
    """A4 pages with a running header (after the first page) and "page n of N" footers."""

    def __init__(self, pub: Publication, created: datetime) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.pub = pub
        self.set_margins(16, 16, 16)
        self.set_auto_page_break(auto=True, margin=18)
        self.add_font(FONT, "", str(_font_file("")))
        self.add_font(FONT, "B", str(_font_file("B")))
        subtitle = " · ".join(p for p in (pub.programme, pub.round) if p)
        self.running = _safe(" – ".join(p for p in (pub.title, subtitle) if p))
        # What a screen reader and a PDF reader's window announce (PDF/UA asks for the title
        # shown rather than the file name): the title with programme and round, its language,
        # the funder as author and the summary sentence as subject.
        self.set_title(self.running)
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.set_lang(pub.lang)
        if pub.funder:
            self.set_author(_safe(pub.funder))
        self.set_subject(_safe(pub.sentence))
        self.set_creator(f"tilskudd {pub.tool_version}")
        # The result's time, not the clock: the same result gives the same file.
        self.set_creation_date(created)
        self.fitted: dict[tuple[str, float], str] = {}
        """Table cell texts cut to fit a page, by text and column width (see :func:`_fit`)."""
        self.widths: dict[tuple[str, str], float] = {}
        """Widths in mm of words in the table font, by style ("" or "B") and word."""

    def close_fonts(self) -> None:
        """Close the font files: fpdf2 reads them lazily and keeps them open, and closes only
        those a finished document used; a document given up half-way (an error), or a font it
        never used, would leave its file to the garbage collector, with a ResourceWarning."""
        for font in self.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()

    def width_of(self, text: str, style: str = "") -> float:
        """The width of ``text`` in mm in the table font (8.5 pt) of ``style``: the sum of its
        glyphs' advance widths, as fpdf2 measures it, kept per word (names and places repeat)."""
        key = (style, text)
        found = self.widths.get(key)
        if found is None:
            font = self.fonts[FONT.lower() + style]
            found = font.get_text_width(text, _TABLE_SIZE, None)[1] / self.k
            self.widths[key] = found
        return found

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, self.running, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*_BAND)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, _safe(self.pub.date), align="L")

    def number_pages(self) -> None:
        """Put "page n of N" in each page's footer, once N is known.

        Not fpdf2's {nb} alias in :meth:`footer`: the alias lays the text out with room for
        three digits, so from 1 000 pages on the number ran past the right margin and fpdf2
        warned on stderr (a round of 100 000 applications makes about 4 000 pages).
        """
        self.set_auto_page_break(False)
        last = self.page
        pages = self.pages_count
        for number in range(1, pages + 1):
            self.page = number
            self.set_font(FONT, "", 8)
            self.set_text_color(*_MUTED)
            self.set_xy(self.l_margin, -12)
            self.cell(0, 5, self.pub.text("doc.page", page=number, pages=pages), align="R")
        self.page = last


def _text(
    doc: _Document,
    text: str,
    size: float,
    *,
    bold: bool = False,
    color: tuple[int, int, int] = _INK,
    space: float = 1.5,
) -> None:
    doc.set_font(FONT, "B" if bold else "", size)
    doc.set_text_color(*color)
    doc.multi_cell(0, size * 0.45, _safe(text), align="L", new_x="LMARGIN", new_y="NEXT")
    doc.ln(space)


def _wrap(doc: _Document, text: str, width: float, style: str = "") -> list[str]:
    """``text`` broken into lines of at most ``width`` mm in the table font: at spaces, at its
    own line breaks, and inside a word only when the word alone is wider than a line."""
    space = doc.width_of(" ", style)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            needed = doc.width_of(word, style)
            if line and used + space + needed <= width:
                line.append(word)
                used += space + needed
                continue
            if line:
                lines.append(" ".join(line))
            if needed <= width:
                line, used = [word], needed
                continue
            # A word wider than the column ("MATEMATISK-NATURVITENSKAPELIGE", a long URL):
            # broken after its own hyphens, and a part still too wide between letters.
            *whole, last = _broken(doc, word, width, style)
            lines += whole
            line, used = [last], doc.width_of(last, style)
        lines.append(" ".join(line))
    return lines


def _broken(doc: _Document, word: str, width: float, style: str) -> list[str]:
    """``word``, wider than ``width`` mm, as lines: after its own hyphens where the parts fit
    (as many parts to a line as fit), otherwise between characters, with a hyphen added where
    two letters are parted, so that the reader sees that the word goes on."""
    hyphen = doc.width_of("-", style)
    lines: list[str] = []
    piece, used = "", 0.0
    for part in re.split(r"(?<=-)", word):
        step = doc.width_of(part, style)
        if used + step <= width:
            piece, used = piece + part, used + step
            continue
        if piece:
            lines.append(piece)
        piece, used = "", 0.0
        if step <= width:
            piece, used = part, step
            continue
        for char in part:
            step = doc.width_of(char, style)
            if piece and used + step + (hyphen if char.isalpha() else 0) > width:
                if piece[-1].isalpha() and char.isalpha():
                    piece += "-"
                lines.append(piece)
                piece, used = "", 0.0
            piece += char
            used += step
    lines.append(piece)
    return lines


def _fit(doc: _Document, text: str, width: float) -> str:
    """``text`` for a table cell ``width`` mm wide, cut with "…" if it would take more than
    :data:`_MAX_CELL_LINES` lines (a project listing 150 municipalities, a pasted description);
    the workbook and the other exports keep the whole text."""
    text = _safe(text)
    if len(text) <= _SHORT and text.count("\n") < 10:
        return text
    key = (text, width)
    if key not in doc.fitted:  # a long project is listed under each of its municipalities
        doc.fitted[key] = _cut(doc, text, width)
    return doc.fitted[key]


def _cut(doc: _Document, text: str, width: float) -> str:
    inner = width - 2 * _PADDING_X
    lines = _wrap(doc, text, inner)
    if len(lines) <= _MAX_CELL_LINES:
        return text
    last = lines[_MAX_CELL_LINES - 1]
    while last and doc.width_of(last.rstrip() + "…") > inner:
        last = last[:-1]
    return "\n".join([*lines[: _MAX_CELL_LINES - 1], last.rstrip() + "…"])


class _Table:
    """A table of the publication list, drawn row by row on the document's pages.

    Looks as fpdf2's ``table()`` drew it before (a dark heading row in white bold, every other
    row shaded, a line under each row, cells padded and their text centred vertically) and
    behaves the same way at a page break: a row is never split, the heading row is repeated at
    the top of the next page, and the heading is never left alone at the foot of a page. Each
    cell's text is broken into lines once, by :func:`_wrap`, and each line placed with
    ``FPDF.text``.
    """

    def __init__(
        self, doc: _Document, widths: Sequence[float], right: Sequence[bool], heading: list[str]
    ) -> None:
        self.doc = doc
        self.widths = list(widths)
        self.right = list(right)
        self.edges = [doc.l_margin + sum(self.widths[:i]) for i in range(len(widths) + 1)]
        self.heading = [_safe(text) for text in heading]
        self.rows = 1  # rows drawn, the heading counted once; odd rows are shaded
        self.started = False
        self.group_cells: list[tuple[list[str], int, int]] | None = None
        """A group's row, to be drawn with the next row (:meth:`group`)."""

    def row(self, cells: Sequence[str]) -> None:
        """A row of plain cells, one per column (already made safe and cut by :func:`_fit`)."""
        drawn = self.rows + (self.group_cells is not None)  # a group's row is drawn before it
        self._row(self._cells(cells, ""), fill=_ZEBRA if drawn % 2 else None, style="")

    def group(self, text: str) -> None:
        """A row across the table naming the group of rows below it (a county), drawn with the
        first of them: never alone at the foot of a page, its rows on the next."""
        self.group_cells = [
            (self._lines(_safe(text), 0, len(self.widths), "B"), 0, len(self.widths))
        ]

    def total(self, label: str, amount: str) -> None:
        """The last row: the label across all columns but the last, the amount in it."""
        n = len(self.widths)
        cells = [
            (self._lines(_safe(label), 0, n - 1, "B"), 0, n - 1),
            (self._lines(amount, n - 1, n, "B"), n - 1, n),
        ]
        self._row(cells, fill=None, style="B", line=False)

    def _lines(self, text: str, first: int, end: int, style: str) -> list[str]:
        width = self.edges[end] - self.edges[first] - 2 * _PADDING_X
        return _wrap(self.doc, text, width, style)

    def _cells(self, texts: Sequence[str], style: str) -> list[tuple[list[str], int, int]]:
        return [(self._lines(text, i, i + 1, style), i, i + 1) for i, text in enumerate(texts)]

    @staticmethod
    def _height(cells: list[tuple[list[str], int, int]]) -> float:
        return max(len(lines) for lines, _, _ in cells) * _LINE_H + 2 * _PADDING_Y

    def _row(
        self,
        cells: list[tuple[list[str], int, int]],
        *,
        fill: tuple[int, int, int] | None,
        style: str,
        color: tuple[int, int, int] = _INK,
        line: bool = True,
    ) -> None:
        doc = self.doc
        heading = self._cells(self.heading, "B")
        group, self.group_cells = self.group_cells, None
        height = self._height(cells) + (self._height(group) if group else 0)
        if not self.started:
            # The heading and the first row together, so the heading never ends a page alone.
            if doc.get_y() + self._height(heading) + height > doc.page_break_trigger:
                doc.add_page()
            self._draw(heading, fill=_BAND, style="B", color=(255, 255, 255), line=False)
            self.started = True
        elif doc.get_y() + height > doc.page_break_trigger:
            doc.add_page()
            self._draw(heading, fill=_BAND, style="B", color=(255, 255, 255), line=False)
        if group:
            self._draw(group, fill=_COUNTY, style="B", color=_BAND, line=True)
            self.rows += 1
        self._draw(cells, fill=fill, style=style, color=color, line=line)
        self.rows += 1

    def _draw(
        self,
        cells: list[tuple[list[str], int, int]],
        *,
        fill: tuple[int, int, int] | None,
        style: str,
        color: tuple[int, int, int],
        line: bool,
    ) -> None:
        doc = self.doc
        top = doc.get_y()
        height = self._height(cells)
        left, right = self.edges[0], self.edges[-1]
        if fill is not None:
            doc.set_fill_color(*fill)
            doc.rect(left, top, right - left, height, style="F")
        doc.set_font(FONT, style, _TABLE_SIZE)
        doc.set_text_color(*color)
        # fpdf2's baseline for a line of text centred in a box of height h: y + h/2 + 0.3 em.
        rise = _LINE_H / 2 + 0.3 * doc.font_size
        for lines, first, end in cells:
            y = top + (height - len(lines) * _LINE_H) / 2 + rise
            for text in lines:
                if text:
                    if self.right[first] and end == first + 1:
                        x = self.edges[end] - _PADDING_X - doc.width_of(text, style)
                    else:
                        x = self.edges[first] + _PADDING_X
                    doc.text(x, y, text)
                y += _LINE_H
        if line:
            doc.set_draw_color(*_BAND)
            doc.set_line_width(0.2)
            doc.line(left, top + height, right, top + height)
        doc.set_xy(doc.l_margin, top + height)


def _heading(doc: _Document, text: str) -> None:
    # Keep a heading with at least a few rows of what follows it.
    if doc.get_y() > doc.h - doc.b_margin - 40:
        doc.add_page()
    doc.ln(4)
    doc.start_section(_safe(text), level=1)  # a bookmark under the title, to go to it
    _text(doc, text, 13, bold=True, color=_BAND, space=0.5)
    doc.set_draw_color(*_BAND)
    doc.set_line_width(0.5)
    doc.line(doc.l_margin, doc.get_y(), doc.w - doc.r_margin, doc.get_y())
    doc.set_line_width(0.2)
    doc.ln(3)


def _masthead(doc: _Document) -> None:
    pub = doc.pub
    doc.set_fill_color(*_BAND)
    doc.rect(0, 0, doc.w, 4, style="F")
    doc.set_fill_color(*_ACCENT)
    doc.rect(0, 4, doc.w, 1.2, style="F")
    doc.set_y(14)
    if pub.funder:
        _text(doc, pub.funder.upper(), 9, color=_MUTED, space=1)
    doc.start_section(_safe(pub.title), level=0)
    _text(doc, pub.title, 22, bold=True, color=_BAND, space=1)
    subtitle = " · ".join(p for p in (pub.programme, pub.round) if p)
    if subtitle:
        _text(doc, subtitle, 13, space=1)
    key, day, _iso = pub.dated()
    _text(doc, pub.text(key, date=day), 9.5, color=_MUTED, space=4)
    _text(doc, pub.sentence, 12, space=4)
    said = pub.standing_sentence()
    if said:
        _text(doc, said, 10, space=4)


def _figures(doc: _Document) -> None:
    items = doc.pub.key_figures()
    width = (doc.w - doc.l_margin - doc.r_margin - 2 * 4) / 3
    for start in range(0, len(items), 3):
        y = doc.get_y()
        for i, (label, value) in enumerate(items[start : start + 3]):
            x = doc.l_margin + i * (width + 4)
            doc.set_draw_color(213, 218, 224)
            doc.rect(x, y, width, 16)
            doc.set_fill_color(*_ACCENT)
            doc.rect(x, y, width, 1.2, style="F")
            doc.set_xy(x + 3, y + 2.5)
            doc.set_font(FONT, "", 8)
            doc.set_text_color(*_MUTED)
            doc.cell(width - 6, 4, _safe(label))
            doc.set_xy(x + 3, y + 8)
            doc.set_font(FONT, "B", 12)
            doc.set_text_color(*_INK)
            doc.cell(width - 6, 6, _safe(value))
        doc.set_xy(doc.l_margin, y + 19)


def _amount_width(doc: _Document, amounts: Sequence[str], width: float) -> float:
    """The amount column's width: ``width`` mm, or wider if an amount (or the bold total,
    ``amounts[0]``) would not fit on one line. fpdf2 breaks a word too long for its cell between
    any two characters, so "NOK 19,981,000" in bold in 29 mm printed as "NOK 19,981,00" over "0".
    """
    needed = 0.0
    for n, text in enumerate(amounts):
        doc.set_font(FONT, "B" if n == 0 else "", 8.5)
        needed = max(needed, doc.get_string_width(_safe(text)))
    doc.set_font(FONT, "", 8.5)
    return max(width, math.ceil(needed + 2 * _PADDING_X + 1))


def _by_amount(doc: _Document) -> None:
    pub = doc.pub
    _heading(doc, pub.text("doc.by_amount"))
    doc.set_font(FONT, "", 8.5)
    doc.set_text_color(*_INK)
    h = pub.header
    total = pub.money(pub.summary.awarded)
    amount_w = _amount_width(doc, [total, *(_noted(pub, a) for a in pub.by_amount)], 29)
    # Positions past 999 need more than 9 mm; the project column gives both what they need.
    position_w = max(9, math.ceil(doc.width_of(str(len(pub.by_amount))) + 2 * _PADDING_X + 1))
    project_w = 62 - (amount_w - 29) - (position_w - 9)
    # A round whose sheet names no place has no column of empty cells: the project takes it.
    places = pub.has_places
    if not places:
        project_w += 40
    who = pub.has_applicants  # nor of empty applicants
    if not who:
        project_w += 38
    # Without applicants each project's id beside it (titles repeat), as wide as the widest.
    ids = pub.shows_ids
    id_w = _id_width(doc, pub) if ids else 0
    project_w -= id_w
    table = _Table(
        doc,
        (
            position_w,
            *((id_w,) if ids else ()),
            *((38,) if who else ()),
            project_w,
            *((40,) if places else ()),
            amount_w,
        ),
        (
            True,
            *((False,) if ids else ()),
            *((False,) if who else ()),
            False,
            *((False,) if places else ()),
            True,
        ),
        [
            pub.text("doc.position"),
            *([h("id")] if ids else []),
            *([h("applicant")] if who else []),
            h("project"),
            *([h("municipalities")] if places else []),
            h("awarded"),
        ],
    )
    for n, line in enumerate(pub.by_amount, start=1):
        table.row(
            [
                str(n),
                *([_fit(doc, line.id, id_w)] if ids else []),
                *([_fit(doc, line.applicant, 38)] if who else []),
                _fit(doc, line.project, project_w),
                *([_fit(doc, line.places, 40)] if places else []),
                _noted(pub, line),
            ]
        )
    _total(doc, table)


def _id_width(doc: _Document, pub: Publication) -> float:
    """The id column's width: the widest id (or the heading) on one line, from 12 to 30 mm; a
    longer id wraps."""
    texts = [pub.header("id"), *(_safe(line.id) for line in pub.by_amount)]
    widest = max(doc.width_of(text, "B" if n == 0 else "") for n, text in enumerate(texts))
    return min(30.0, max(12.0, math.ceil(widest + 2 * _PADDING_X + 1)))


def _total(doc: _Document, table: _Table) -> None:
    pub = doc.pub
    projects = get(pub.lang)("summary.projects", n=pub.summary.funded)
    # "each counted once" only where a collaboration is listed under several places.
    note = pub.text("doc.total_note", projects=projects) if pub.shared else projects
    label = f"{pub.text('ui.total')} ({note})"
    table.total(label, pub.money(pub.summary.awarded))


def _chart(doc: _Document) -> None:
    pub = doc.pub
    if not pub.per_county:
        return
    _heading(doc, pub.text("doc.per_county"))
    label_w, value_w, row_h = 42.0, 52.0, 7.0
    bar_w = doc.w - doc.l_margin - doc.r_margin - label_w - value_w
    biggest = max(b.awarded for b in pub.per_county) or 1
    for bar in pub.per_county:
        if doc.get_y() + row_h > doc.h - doc.b_margin:
            doc.add_page()
        y = doc.get_y()
        doc.set_font(FONT, "", 8.5)
        doc.set_text_color(*_INK)
        doc.set_xy(doc.l_margin, y)
        doc.cell(label_w - 2, row_h, _safe(bar.name), align="R")
        length = max(0.5, bar_w * bar.awarded / biggest)
        doc.set_fill_color(*_BAR)
        doc.rect(doc.l_margin + label_w, y + 1.3, length, row_h - 2.6, style="F")
        doc.set_xy(doc.l_margin + label_w + length + 2, y)
        projects = get(pub.lang)("summary.projects", n=bar.projects)
        doc.cell(value_w, row_h, _safe(f"{pub.money(bar.awarded)} · {projects}"))
        doc.set_xy(doc.l_margin, y + row_h)
    doc.ln(2)
    _text(doc, pub.text("summary.label.per_county_note"), 8, color=_MUTED)


def _by_municipality(doc: _Document) -> None:
    pub = doc.pub
    _heading(doc, pub.text("doc.by_municipality"))
    doc.set_font(FONT, "", 8.5)
    doc.set_text_color(*_INK)
    h = pub.header
    amounts = [pub.money(pub.summary.awarded)]
    for county in pub.by_municipality:
        for group in county.municipalities:
            amounts += [_shown_amount(_noted(pub, line), line.shared) for line in group.lines]
    amount_w = _amount_width(doc, amounts, 29)
    project_w = 61 - (amount_w - 29)
    who = pub.has_applicants
    if not who:
        project_w += 44
    ids = pub.shows_ids
    id_w = _id_width(doc, pub) if ids else 0
    project_w -= id_w
    table = _Table(
        doc,
        (44, *((id_w,) if ids else ()), *((44,) if who else ()), project_w, amount_w),
        (False, *((False,) if ids else ()), *((False,) if who else ()), False, True),
        [
            pub.text("doc.municipality"),
            *([h("id")] if ids else []),
            *([h("applicant")] if who else []),
            h("project"),
            h("awarded"),
        ],
    )
    for county in pub.by_municipality:
        table.group(county.name)
        for group in county.municipalities:
            for line in group.lines:
                table.row(
                    [
                        _fit(doc, group.name, 44),
                        *([_fit(doc, line.id, id_w)] if ids else []),
                        *([_fit(doc, line.applicant, 44)] if who else []),
                        _fit(doc, line.project, project_w),
                        _shown_amount(_noted(pub, line), line.shared),
                    ]
                )
    _total(doc, table)
    if pub.shared:
        doc.ln(2)
        _text(doc, pub.text("doc.shared_note", mark=SHARED_MARK), 8, color=_MUTED)


def _noted(pub: Publication, line: AwardLine) -> str:
    """An award's amount, with the number of its note when it was changed since the decision."""
    amount = pub.money(line.amount)
    return f"{amount} ({line.note})" if line.note is not None else amount


def _changes(doc: _Document) -> None:
    """The awards amended or withdrawn since the decision, one numbered note each."""
    pub = doc.pub
    if not pub.changed:
        return
    _heading(doc, pub.text("doc.changed.heading"))
    _text(doc, pub.text("doc.changed.intro"), 9.5, color=_MUTED, space=2)
    for line in pub.changed:
        _text(doc, f"{line.note}. {pub.change_note(line)}", 9.5, space=1.5)


def _quotas(doc: _Document) -> None:
    """The round's quota groups: each with its limits, what it was awarded, how many of its
    applications were funded, and whether it is within the quota."""
    pub = doc.pub
    if not pub.quotas:
        return
    t = pub.text
    _heading(doc, t("summary.label.quotas"))
    _text(doc, t("doc.quota.intro"), 9.5, color=_MUTED, space=2)
    doc.set_font(FONT, "", 8.5)
    doc.set_text_color(*_INK)
    amount_w = _amount_width(doc, [pub.money(q.awarded) for q in pub.quotas], 29)
    limits_w = 58 - (amount_w - 29)
    table = _Table(
        doc,
        (46, limits_w, amount_w, 24, 21),
        (False, False, True, True, False),
        [
            t("summary.label.quota_group"),
            t("doc.quota.limits"),
            pub.header("awarded"),
            t("summary.label.quota_funded"),
            t("summary.label.quota_met"),
        ],
    )
    for quota in pub.quotas:
        verdict = "summary.label.quota_yes" if quota.met else "summary.label.quota_no"
        table.row(
            [
                _fit(doc, quota.label(pub.lang), 46),
                _fit(doc, quota.limits(pub.lang), limits_w),
                pub.money(quota.awarded),
                str(quota.funded),
                _safe(t(verdict)),
            ]
        )


def _shown_amount(amount: str, shared: bool) -> str:
    """An amount in the list by municipality, marked when the project is shared."""
    return f"{amount} {SHARED_MARK}" if shared else amount


def _colophon(doc: _Document) -> None:
    pub = doc.pub
    doc.ln(4)
    lines = pub.colophon()
    for line in lines:
        _text(doc, line, 7.5, color=_MUTED, space=0.5)


def render(result: RoundResult, *, lang: str = "en", as_decided: bool = False) -> bytes:
    """The publication list of ``result`` in ``lang`` as PDF bytes (a round changed since its
    decision as it stands, or with ``as_decided`` as decided, with the changes)."""
    pub = build(result, lang, as_decided=as_decided)
    doc = _Document(pub, result.created)
    try:
        return _rendered(doc, pub)
    finally:
        doc.close_fonts()


def _rendered(doc: _Document, pub: Publication) -> bytes:
    doc.add_page()
    _masthead(doc)
    _figures(doc)
    if pub.by_amount:
        _by_amount(doc)
        if pub.has_places:
            _chart(doc)
            _by_municipality(doc)
        _changes(doc)
    else:
        _text(doc, pub.text("doc.no_awards"), 11)
    _quotas(doc)
    if pub.notes:
        _heading(doc, pub.text("ui.notes"))
        for note in pub.notes:
            _text(doc, note, 9.5, space=1.5)
    _colophon(doc)
    doc.number_pages()
    return bytes(doc.output())


def write(
    result: RoundResult, path: Path, *, lang: str = "en", as_decided: bool = False, **_: object
) -> None:
    """Write the publication list of ``result`` to ``path`` as an A4 PDF."""
    data = render(result, lang=lang, as_decided=as_decided)
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(data)
