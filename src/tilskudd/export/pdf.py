"""PDF export: the publication list on A4, as a funder attaches it to a press release.

The same content as the HTML page (:mod:`tilskudd.export._publication`): title, programme and
round, date, summary sentence, key figures, the awards by amount, the awards per county as bars,
and the awards by municipality (shared projects marked, counted once in the total). Every page
has its number ("Side 2 av 5") and every table repeats its header row on each page it runs onto.

Written with fpdf2: pure Python (installs from PyPI anywhere, no system libraries, unlike
WeasyPrint's Pango), small, maintained, with tables that repeat their headings. Text is set in
DejaVu Sans, bundled in ``tilskudd/fonts`` (Latin, Greek, Cyrillic): the PDF core fonts are
Latin-1 and cannot show the Sámi letters of names such as Kárášjohka.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import TableBordersLayout, TableCellFillMode
from fpdf.fonts import FontFace

from tilskudd.export._publication import SHARED_MARK, Publication, build
from tilskudd.export.atomic import atomic_path
from tilskudd.i18n import format_number, get
from tilskudd.models import RoundResult
from tilskudd.wording import plural

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


# A table row must fit on one page: fpdf2 moves a row that does not fit to the next page, and
# refuses one taller than a page. 40 lines of 4.6 mm leave room for the running header, the
# repeated heading row and the margins. Text of up to _SHORT characters with few line breaks
# always fits in the narrowest column (38 mm, at least 11 of the widest letters a line), so only
# longer text is measured.
_MAX_CELL_LINES = 40
_SHORT = 300
_LINE_H = 4.6
_PADDING_X = 1.5


class _Document(FPDF):
    """A4 pages with a running header (after the first page) and "page n of N" footers."""

    def __init__(self, pub: Publication, created: datetime) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.pub = pub
        self.set_margins(16, 16, 16)
        self.set_auto_page_break(auto=True, margin=18)
        self.add_font(FONT, "", str(_font_file("")))
        self.add_font(FONT, "B", str(_font_file("B")))
        self.set_title(_safe(pub.title))
        self.set_creator(f"tilskudd {pub.tool_version}")
        self.set_lang(pub.lang)
        # The result's time, not the clock: the same result gives the same file.
        self.set_creation_date(created)
        subtitle = " · ".join(p for p in (pub.programme, pub.round) if p)
        self.running = _safe(" – ".join(p for p in (pub.title, subtitle) if p))
        self.fitted: dict[tuple[str, float], str] = {}
        """Table cell texts cut to fit a page, by text and column width (see :func:`_fit`)."""

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
        self.set_x(self.l_margin)
        # {nb} is fpdf2's alias for the number of pages, filled in when the file is written.
        page = self.pub.text("doc.page", page=self.page_no(), pages="{nb}")
        self.cell(0, 5, page, align="R")


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
    inner = width - 2 * _PADDING_X - 1  # a little narrower than the cell: never too many lines
    # No line holds 100 characters, even of the narrowest letters: what is beyond is never shown.
    text = text[: _MAX_CELL_LINES * 100 + 1]

    def fits(candidate: str) -> bool:
        lines = doc.multi_cell(inner, _LINE_H, candidate, dry_run=True, output="LINES")
        assert isinstance(lines, list)  # output="LINES" gives the lines alone
        return len(lines) <= _MAX_CELL_LINES

    if fits(text):
        return text
    low, high = 0, len(text)  # the longest prefix that fits with "…" after it
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip() + "…"):
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _heading(doc: _Document, text: str) -> None:
    # Keep a heading with at least a few rows of what follows it.
    if doc.get_y() > doc.h - doc.b_margin - 40:
        doc.add_page()
    doc.ln(4)
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
    _text(doc, pub.title, 22, bold=True, color=_BAND, space=1)
    subtitle = " · ".join(p for p in (pub.programme, pub.round) if p)
    if subtitle:
        _text(doc, subtitle, 13, space=1)
    key, day, _iso = pub.dated()
    _text(doc, pub.text(key, date=day), 9.5, color=_MUTED, space=4)
    _text(doc, pub.sentence, 12, space=4)


def _figures(doc: _Document) -> None:
    pub = doc.pub
    s = pub.summary
    t = pub.text
    items = [
        (t("summary.label.budget"), pub.money(s.budget)),
        (t("summary.label.awarded"), pub.money(s.awarded)),
        (t("summary.label.unallocated"), pub.money(s.unallocated)),
        (pub.header("projects"), format_number(s.funded, pub.lang)),
        (t("summary.label.municipalities"), format_number(s.municipalities, pub.lang)),
        (t("summary.label.applications"), format_number(s.applications, pub.lang)),
    ]
    width = (doc.w - doc.l_margin - doc.r_margin - 2 * 4) / 3
    for start in (0, 3):
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


def _table_style(doc: _Document) -> dict[str, Any]:
    # fpdf2 fills unstriped rows with the current fill colour: make it white.
    doc.set_fill_color(255, 255, 255)
    return {
        "headings_style": FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=_BAND),
        "borders_layout": TableBordersLayout.HORIZONTAL_LINES,
        "cell_fill_color": _ZEBRA,
        "cell_fill_mode": TableCellFillMode.ROWS,
        "line_height": _LINE_H,
        "padding": (1.2, _PADDING_X, 1.2, _PADDING_X),
        "repeat_headings": 1,
        "width": doc.epw,
    }


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
    amount_w = _amount_width(doc, [total, *(pub.money(a.amount) for a in pub.by_amount)], 29)
    project_w = 62 - (amount_w - 29)  # the project column gives the amount what it needs
    with doc.table(
        col_widths=(9, 38, project_w, 40, amount_w),
        text_align=("RIGHT", "LEFT", "LEFT", "LEFT", "RIGHT"),
        **_table_style(doc),
    ) as table:
        table.row(
            [
                _safe(x)
                for x in (
                    pub.text("doc.position"),
                    h("applicant"),
                    h("project"),
                    h("municipalities"),
                    h("awarded"),
                )
            ]
        )
        for n, line in enumerate(pub.by_amount, start=1):
            table.row(
                [
                    str(n),
                    _fit(doc, line.applicant, 38),
                    _fit(doc, line.project, project_w),
                    _fit(doc, line.places, 40),
                    pub.money(line.amount),
                ]
            )
        _total(doc, table, 5)


def _total(doc: _Document, table: Any, columns: int) -> None:
    pub = doc.pub
    projects = plural(get(pub.lang), "summary.projects", pub.summary.funded)
    label = f"{pub.text('ui.total')} ({pub.text('doc.total_note', projects=projects)})"
    bold = FontFace(emphasis="BOLD", fill_color=(255, 255, 255))
    row = table.row(style=bold)
    row.cell(_safe(label), colspan=columns - 1, align="LEFT")
    row.cell(pub.money(pub.summary.awarded), align="RIGHT")


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
        projects = plural(get(pub.lang), "summary.projects", bar.projects)
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
    county_style = FontFace(emphasis="BOLD", color=_BAND, fill_color=_COUNTY)
    amounts = [pub.money(pub.summary.awarded)]
    for county in pub.by_municipality:
        for group in county.municipalities:
            amounts += [_shown_amount(pub.money(line.amount), line.shared) for line in group.lines]
    amount_w = _amount_width(doc, amounts, 29)
    project_w = 61 - (amount_w - 29)
    with doc.table(
        col_widths=(44, 44, project_w, amount_w),
        text_align=("LEFT", "LEFT", "LEFT", "RIGHT"),
        **_table_style(doc),
    ) as table:
        table.row(
            [
                _safe(x)
                for x in (pub.text("doc.municipality"), h("applicant"), h("project"), h("awarded"))
            ]
        )
        for county in pub.by_municipality:
            row = table.row(style=county_style)
            row.cell(_safe(county.name), colspan=4, align="LEFT")
            for group in county.municipalities:
                for line in group.lines:
                    table.row(
                        [
                            _fit(doc, group.name, 44),
                            _fit(doc, line.applicant, 44),
                            _fit(doc, line.project, project_w),
                            _shown_amount(pub.money(line.amount), line.shared),
                        ]
                    )
        _total(doc, table, 4)
    if pub.shared:
        doc.ln(2)
        _text(doc, pub.text("doc.shared_note", mark=SHARED_MARK), 8, color=_MUTED)


def _shown_amount(amount: str, shared: bool) -> str:
    """An amount in the list by municipality, marked when the project is shared."""
    return f"{amount} {SHARED_MARK}" if shared else amount


def _colophon(doc: _Document) -> None:
    pub = doc.pub
    doc.ln(4)
    lines = pub.colophon()
    for line in lines:
        _text(doc, line, 7.5, color=_MUTED, space=0.5)


def render(result: RoundResult, *, lang: str = "en") -> bytes:
    """The publication list of ``result`` in ``lang`` as PDF bytes."""
    pub = build(result, lang)
    doc = _Document(pub, result.created)
    doc.add_page()
    _masthead(doc)
    _figures(doc)
    if pub.by_amount:
        _by_amount(doc)
        _chart(doc)
        _by_municipality(doc)
    else:
        _text(doc, pub.text("doc.no_awards"), 11)
    if pub.notes:
        _heading(doc, pub.text("ui.notes"))
        for note in pub.notes:
            _text(doc, note, 9.5, space=1.5)
    _colophon(doc)
    return bytes(doc.output())


def write(result: RoundResult, path: Path, *, lang: str = "en", **_options: object) -> None:
    """Write the publication list of ``result`` to ``path`` as an A4 PDF."""
    data = render(result, lang=lang)
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(data)
