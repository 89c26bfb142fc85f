"""HTML export: a self-contained, printable publication page of a round's awards.

What a funder puts on its web site after a round (the ministry's 2009 press release linked "who
gets grants", sorted by amount and by municipality): title, programme and round, the summary
sentence, key figures, the awards by amount, a bar chart of awards per county, the awards by
municipality (a shared project under each of its municipalities, counted once in the total), in
a round with quotas each quota group against its limits, and the date.

One file, no network: the CSS is inline and the chart is inline SVG with text labels, so the page
opens the same from a disk, an e-mail or an intranet, and prints on A4. Accessible markup:
``<html lang>``, table captions, ``<th scope>``, the chart as ``role="img"`` with a title and a
description that gives each county's amount and projects. Every text that comes from the
applications is escaped.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from tilskudd.export.atomic import atomic_write
from tilskudd.i18n import get
from tilskudd.models import RoundResult
from tilskudd.publication import SHARED_MARK, AwardLine, CountyBar, Publication, build

__all__ = ["render", "write"]

_CSS = """
:root { --ink: #1b1f23; --muted: #5a6470; --line: #d5dae0; --band: #0b3a5b;
  --accent: #21699a; --zebra: #f4f6f8; --bar: #1f5f8b; }
* { box-sizing: border-box; }
html { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Liberation Sans", sans-serif; color: var(--ink); background: #fff; line-height: 1.45; }
body { margin: 0; overflow-wrap: break-word; }
.wrap { max-width: 62rem; margin: 0 auto; padding: 0 1.5rem; }
.masthead { background: var(--band); color: #fff; padding: 2rem 0 1.6rem;
  border-bottom: 6px solid var(--accent); }
.funder { margin: 0 0 .4rem; font-size: .95rem; letter-spacing: .04em; text-transform: uppercase;
  opacity: .85; }
h1 { margin: 0; font-size: 2.1rem; line-height: 1.2; font-weight: 700; }
.programme { margin: .35rem 0 0; font-size: 1.2rem; }
.date { margin: .8rem 0 0; font-size: .95rem; opacity: .9; }
main { padding-top: 1.5rem; padding-bottom: 1.5rem; }
.lead { font-size: 1.25rem; margin: .5rem 0 1.5rem; max-width: 48rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .8rem; padding-bottom: .3rem;
  border-bottom: 2px solid var(--band); }
.figures { display: grid; grid-template-columns: repeat(3, 1fr);
  gap: .75rem; margin: 0; }
.figures div { border: 1px solid var(--line); border-top: 4px solid var(--accent);
  padding: .7rem .9rem; background: #fff; }
.figures dt { font-size: .85rem; color: var(--muted); }
.figures dd { margin: .2rem 0 0; font-size: 1.25rem; font-weight: 700;
  font-variant-numeric: tabular-nums; white-space: nowrap; }
@media (max-width: 40rem) { .figures { grid-template-columns: repeat(2, 1fr); } }
@media (max-width: 26rem) { .figures { grid-template-columns: 1fr; } }
nav ul { list-style: none; padding: 0; margin: 1.5rem 0 0; display: flex; flex-wrap: wrap;
  gap: .4rem 1.4rem; }
nav a { color: var(--accent); }
.table-scroll, .chart-scroll { overflow-x: auto; max-width: 100%; position: relative; }
.table-scroll:focus-visible, .chart-scroll:focus-visible { outline: 3px solid var(--accent);
  outline-offset: 2px; }
table { width: 100%; border-collapse: collapse; font-size: .95rem; }
caption { text-align: left; color: var(--muted); font-size: .9rem; padding-bottom: .5rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem;
  border-bottom: 1px solid var(--line); }
thead th { background: var(--band); color: #fff; font-weight: 600; border-bottom: 0; }
tbody tr:nth-child(even) { background: var(--zebra); }
tbody th { font-weight: 600; }
.w-who { width: 22%; } .w-what { width: 33%; } .w-where { width: 27%; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tfoot th, tfoot td { font-weight: 700; border-top: 2px solid var(--ink); border-bottom: 0; }
tfoot .note { font-weight: 400; color: var(--muted); }
tr.county th { background: #e3ecf3; color: var(--band); font-size: 1rem; padding-top: .6rem; }
.mark { color: var(--accent); font-weight: 700; margin-left: .15rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.was { display: block; color: var(--muted); font-size: .85rem; font-weight: 400; }
.changed li { margin: .35rem 0; }
.footnote { color: var(--muted); font-size: .9rem; margin: .6rem 0 0; }
figure { margin: 0; }
figure svg { width: 100%; min-width: 48.75rem; height: auto; max-width: 62rem; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .4rem; }
footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem;
  padding: 1rem 0 2rem; margin-top: 2rem; }
footer p { margin: .25rem 0; overflow-wrap: anywhere; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  html { font-size: 10.5pt; }
  .masthead { padding: 0 0 .8rem; background: none; color: var(--ink);
    border-bottom: 3px solid var(--band); }
  .wrap { padding: 0; max-width: none; }
  nav { display: none; }
  .table-scroll, .chart-scroll { overflow: visible; }
  figure svg { min-width: 0; }
  thead { display: table-header-group; }
  thead th { background: none; color: var(--ink); border-bottom: 2px solid var(--ink); }
  tr, .figures div, figure { break-inside: avoid; }
  h2 { break-after: avoid; }
  tbody tr:nth-child(even) { background: none; }
}
"""


# Characters HTML text may not hold: controls other than whitespace (C0, DEL, C1) and the
# noncharacters U+FFFE and U+FFFF. Replaced, not dropped, as in the workbook.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _e(text: object) -> str:
    return escape(_FORBIDDEN.sub("\ufffd", str(text)), quote=True)


def _count(pub: Publication, key: str, n: int) -> str:
    return get(pub.lang)(key, n=n)


def _figures(pub: Publication) -> str:
    items = pub.key_figures()
    t = pub.text
    cells = "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in items)
    return (
        f'<section aria-labelledby="key-figures"><h2 id="key-figures">'
        f'{_e(t("doc.key_figures"))}</h2><dl class="figures">{cells}</dl></section>'
    )


def _amount_cell(pub: Publication, line: AwardLine, *, mark: bool) -> str:
    shown = _e(pub.money(line.amount))
    if mark and line.shared:
        label = _e(pub.text("doc.shared_label"))
        # aria-label on a span is ignored by screen readers (a generic element takes no name):
        # they get the words as hidden text instead of the bare "*".
        shown += (
            f'<span class="mark" title="{label}" aria-hidden="true">{SHARED_MARK}</span>'
            f'<span class="visually-hidden"> ({label})</span>'
        )
    if line.note is not None:
        # Amended or withdrawn since the decision: a link to its note, and the other amount.
        label = _e(pub.text("doc.changed.note_mark", n=line.note))
        shown += (
            f'<sup class="mark"><a href="#change-{line.note}" aria-label="{label}">'
            f"{line.note}</a></sup>"
        )
        if pub.as_decided:
            other = pub.text("doc.changed.is_now", amount=line.current)
        else:
            other = pub.text("doc.changed.was", amount=line.decided or 0)
        shown += f'<span class="was">{_e(other)} · {_e(line.status_text)}</span>'
    return f'<td class="num">{shown}</td>'


def _total_row(pub: Publication, columns: int) -> str:
    projects = _count(pub, "summary.projects", pub.summary.funded)
    # "each counted once" only where a collaboration is listed under several places: in a
    # round whose awards name no place (or one each), nothing could be counted twice.
    note = _e(pub.text("doc.total_note", projects=projects) if pub.shared else projects)
    return (
        f'<tfoot><tr><th scope="row" colspan="{columns - 1}">{_e(pub.text("ui.total"))} '
        f'<span class="note">({note})</span></th>'
        f'<td class="num">{_e(pub.money(pub.summary.awarded))}</td></tr></tfoot>'
    )


def _table(key: str, caption: str, inner: str) -> str:
    """A table in its own horizontally scrolling box, so that at 400 % zoom or on a phone a
    wide table scrolls inside the page rather than the page sideways (WCAG 1.4.10 Reflow).
    The box is a region named by the table's caption and can take focus, so that it can be
    scrolled from the keyboard (WCAG 2.1.1)."""
    return (
        f'<div class="table-scroll" role="region" aria-labelledby="{key}-caption" '
        f'tabindex="0"><table><caption id="{key}-caption">{_e(caption)}</caption>'
        f"{inner}</table></div>"
    )


def _by_amount(pub: Publication) -> str:
    h = pub.header
    places = pub.has_places  # else an empty column
    who = pub.has_applicants  # else an empty column; the project names the row
    ids = pub.shows_ids  # with its id: titles repeat
    head = (
        f'<th scope="col" class="num">{_e(pub.text("doc.position"))}</th>'
        + (f'<th scope="col">{_e(h("id"))}</th>' if ids else "")
        + (f'<th scope="col" class="w-who">{_e(h("applicant"))}</th>' if who else "")
        + f'<th scope="col" class="w-what">{_e(h("project"))}</th>'
        + (f'<th scope="col" class="w-where">{_e(h("municipalities"))}</th>' if places else "")
        + f'<th scope="col" class="num">{_e(h("awarded"))}</th>'
    )
    body = "".join(
        f'<tr><td class="num">{n}</td>'
        + (f"<td>{_e(line.id)}</td>" if ids else "")
        + (
            f'<th scope="row">{_e(line.applicant)}</th><td>{_e(line.project)}</td>'
            if who
            else f'<th scope="row">{_e(line.project)}</th>'
        )
        + (f"<td>{_e(line.places)}</td>" if places else "")
        + f"{_amount_cell(pub, line, mark=False)}</tr>"
        for n, line in enumerate(pub.by_amount, start=1)
    )
    return (
        f'<section id="by-amount" aria-labelledby="by-amount-h"><h2 id="by-amount-h">'
        f"{_e(pub.text('doc.by_amount'))}</h2>"
        + _table(
            "by-amount",
            pub.text("doc.by_amount_caption"),
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
            f"{_total_row(pub, 3 + ids + who + places)}",
        )
        + "</section>"
    )


def _by_municipality(pub: Publication) -> str:
    h = pub.header
    who = pub.has_applicants
    ids = pub.shows_ids
    columns = 3 + ids + who
    head = (
        f'<th scope="col" class="w-where">{_e(pub.text("doc.municipality"))}</th>'
        + (f'<th scope="col">{_e(h("id"))}</th>' if ids else "")
        + (f'<th scope="col" class="w-who">{_e(h("applicant"))}</th>' if who else "")
        + f'<th scope="col" class="w-what">{_e(h("project"))}</th>'
        f'<th scope="col" class="num">{_e(h("awarded"))}</th>'
    )
    bodies = []
    for county in pub.by_municipality:
        rows = [
            f'<tr class="county"><th scope="rowgroup" colspan="{columns}">'
            f"{_e(county.name)}</th></tr>"
        ]
        for group in county.municipalities:
            for line in group.lines:
                rows.append(
                    f'<tr><th scope="row">{_e(group.name)}</th>'
                    + (f"<td>{_e(line.id)}</td>" if ids else "")
                    + (f"<td>{_e(line.applicant)}</td>" if who else "")
                    + f"<td>{_e(line.project)}</td>{_amount_cell(pub, line, mark=True)}</tr>"
                )
        bodies.append(f"<tbody>{''.join(rows)}</tbody>")
    note = ""
    if pub.shared:
        note = f'<p class="footnote">{_e(pub.text("doc.shared_note", mark=SHARED_MARK))}</p>'
    return (
        f'<section id="by-municipality" aria-labelledby="by-municipality-h">'
        f'<h2 id="by-municipality-h">{_e(pub.text("doc.by_municipality"))}</h2>'
        + _table(
            "by-municipality",
            pub.text("doc.by_municipality_caption"),
            f"<thead><tr>{head}</tr></thead>{''.join(bodies)}{_total_row(pub, columns)}",
        )
        + f"{note}</section>"
    )


def chart_svg(pub: Publication) -> str:
    """Horizontal bars of the awards per county, as inline SVG with text labels."""
    bars: tuple[CountyBar, ...] = pub.per_county
    label_w, bar_w, value_w, row_h, top = 190, 380, 210, 30, 8
    width = label_w + bar_w + value_w
    height = top * 2 + row_h * len(bars)
    biggest = max((b.awarded for b in bars), default=0) or 1
    title = _e(pub.text("doc.per_county"))
    # The figures too, not only what kind of chart it is (WCAG 1.1.1): a screen reader reads
    # an image by its name, not its text elements, and the amounts per county are in no table.
    figures = "; ".join(
        f"{bar.name}: {pub.money(bar.awarded)}, {_count(pub, 'summary.projects', bar.projects)}"
        for bar in bars
    )
    desc = _e(f"{pub.text('doc.chart_desc')} {figures}.")
    parts = [
        f'<svg role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="chart-title chart-desc" '
        f'font-family="inherit" font-size="13">',
        f'<title id="chart-title">{title}</title><desc id="chart-desc">{desc}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = top + i * row_h
        length = max(2, round(bar_w * bar.awarded / biggest))
        projects = _count(pub, "summary.projects", bar.projects)
        value = f"{pub.money(bar.awarded)} · {projects}"
        parts.append(
            f'<g><text x="{label_w - 10}" y="{y + 19}" text-anchor="end" fill="#1b1f23">'
            f"{_e(bar.name)}</text>"
            f'<rect x="{label_w}" y="{y + 5}" width="{length}" height="{row_h - 10}" '
            f'fill="#1f5f8b" rx="2"/>'
            f'<text x="{label_w + length + 8}" y="{y + 19}" fill="#1b1f23">{_e(value)}</text></g>'
        )
    parts.append(
        f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{height - top}" stroke="#5a6470"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _chart(pub: Publication) -> str:
    return (
        f'<section id="per-county" aria-labelledby="per-county-h"><h2 id="per-county-h">'
        f"{_e(pub.text('doc.per_county'))}</h2><figure>"
        # Never narrower than its own 780 units, so that its labels keep their 13 px: on a
        # phone or at 400 % zoom it scrolls sideways in its own box (WCAG 1.4.4, 1.4.10).
        '<div class="chart-scroll" role="region" aria-labelledby="per-county-h" tabindex="0">'
        f"{chart_svg(pub)}</div>"
        f"<figcaption>{_e(pub.text('summary.label.per_county_note'))}</figcaption></figure>"
        "</section>"
    )


def _changes(pub: Publication) -> str:
    """The awards amended or withdrawn since the decision, one numbered note each."""
    changed = pub.changed
    if not changed:
        return ""
    items = "".join(
        f'<li id="change-{line.note}" value="{line.note}">{_e(pub.change_note(line))}</li>'
        for line in changed
    )
    return (
        f'<section id="changes" class="changed" aria-labelledby="changes-h">'
        f'<h2 id="changes-h">{_e(pub.text("doc.changed.heading"))}</h2>'
        f"<p>{_e(pub.text('doc.changed.intro'))}</p><ol>{items}</ol></section>"
    )


def _quotas(pub: Publication) -> str:
    """The round's quota groups: each with its limits, what it was awarded, how many of its
    applications were funded, and whether it is within the quota."""
    if not pub.quotas:
        return ""
    t = pub.text
    head = (
        f'<th scope="col">{_e(t("summary.label.quota_group"))}</th>'
        f'<th scope="col">{_e(t("doc.quota.limits"))}</th>'
        f'<th scope="col" class="num">{_e(pub.header("awarded"))}</th>'
        f'<th scope="col" class="num">{_e(t("summary.label.quota_funded"))}</th>'
        f'<th scope="col">{_e(t("summary.label.quota_met"))}</th>'
    )
    body = "".join(
        f'<tr><th scope="row">{_e(q.label(pub.lang))}</th><td>{_e(q.limits(pub.lang))}</td>'
        f'<td class="num">{_e(pub.money(q.awarded))}</td><td class="num">{q.funded}</td>'
        f"<td>{_e(t('summary.label.quota_yes' if q.met else 'summary.label.quota_no'))}</td></tr>"
        for q in pub.quotas
    )
    return (
        f'<section id="quotas" aria-labelledby="quotas-h"><h2 id="quotas-h">'
        f"{_e(t('summary.label.quotas'))}</h2>"
        + _table(
            "quotas", t("doc.quota.intro"), f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
        )
        + "</section>"
    )


def _nav(pub: Publication) -> str:
    links = [("by-amount", pub.text("doc.by_amount"))]
    if pub.has_places:
        links += [
            ("per-county", pub.text("doc.per_county")),
            ("by-municipality", pub.text("doc.by_municipality")),
        ]
    if pub.changed:
        links.append(("changes", pub.text("doc.changed.heading")))
    if pub.quotas:
        links.append(("quotas", pub.text("summary.label.quotas")))
    items = "".join(f'<li><a href="#{anchor}">{_e(text)}</a></li>' for anchor, text in links)
    return f'<nav aria-label="{_e(pub.text("doc.contents"))}"><ul>{items}</ul></nav>'


def _notes(pub: Publication) -> str:
    """How ties, a lottery or the shares were decided: the round's notes, as a list."""
    if not pub.notes:
        return ""
    items = "".join(f"<li>{_e(note)}</li>" for note in pub.notes)
    return (
        f'<section id="notes" aria-labelledby="notes-h"><h2 id="notes-h">'
        f"{_e(pub.text('ui.notes'))}</h2><ul>{items}</ul></section>\n"
    )


def _published(pub: Publication) -> str:
    """ "Published <time>28. november 2026</time>" (or "Decided …"), the date wherever the
    language puts it."""
    key, day, iso = pub.dated()
    before, _, after = pub.text(key, date="\x00").partition("\x00")
    time = f'<time datetime="{iso}">{_e(day)}</time>'
    return f"{_e(before)}{time}{_e(after)}"


def render(result: RoundResult, *, lang: str = "en", as_decided: bool = False) -> str:
    """The publication page of ``result`` in ``lang`` as one HTML document: a round changed
    since its decision as it stands, or with ``as_decided`` as decided (with the changes)."""
    pub = build(result, lang, as_decided=as_decided)
    subtitle = " · ".join(p for p in (pub.programme, pub.round) if p)
    page_title = " – ".join(p for p in (pub.title, subtitle) if p)
    masthead = "".join(
        [
            f'<p class="funder">{_e(pub.funder)}</p>' if pub.funder else "",
            f"<h1>{_e(pub.title)}</h1>",
            f'<p class="programme">{_e(subtitle)}</p>' if subtitle else "",
            f'<p class="date">{_published(pub)}</p>',
        ]
    )
    if pub.by_amount:
        places = _chart(pub) + _by_municipality(pub) if pub.has_places else ""
        content = _nav(pub) + _by_amount(pub) + places + _changes(pub) + _quotas(pub)
    else:
        content = f"<p>{_e(pub.text('doc.no_awards'))}</p>" + _quotas(pub)
    said = pub.standing_sentence()
    standing = f'<p class="lead">{_e(said)}</p>\n' if said else ""
    footer = pub.colophon()
    footer_html = "".join(f"<p>{_e(p)}</p>" for p in footer)
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="tilskudd">\n'
        f"<title>{_e(page_title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<header class="masthead"><div class="wrap">{masthead}</div></header>\n'
        f'<main class="wrap">\n<p class="lead">{_e(pub.sentence)}</p>\n{standing}'
        f"{_figures(pub)}\n{content}\n{_notes(pub)}</main>\n"
        f'<footer><div class="wrap">{footer_html}</div></footer>\n</body>\n</html>\n'
    )


def write(
    result: RoundResult, path: Path, *, lang: str = "en", as_decided: bool = False, **_: object
) -> None:
    """Write the publication page of ``result`` to ``path`` (UTF-8)."""
    with atomic_write(Path(path), encoding="utf-8", newline="\n") as handle:
        handle.write(render(result, lang=lang, as_decided=as_decided))
