"""The publication page against WCAG 2.1 AA, as the Norwegian regulation on universal design of
ICT asks of a public body's web pages: read back with the standard library's HTML parser and
checked for its structure (one h1, headings in order, a title, unique ids, tables with caption,
head, body and header scopes, each in a labelled scrolling box), its colour contrast (computed
from the page's own CSS) and status given in words, in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest

from tilskudd.export.html import _CSS, render
from tilskudd.i18n import get
from tilskudd.models import Policy, Quota, RoundResult
from tilskudd.pipeline import read_applications, run_round
from tilskudd.publication import build

# Elements without an end tag; SVG elements written self-closed (<rect/>) come through
# handle_startendtag.
VOID = {"meta", "link", "br", "img", "hr", "input", "source", "wbr", "col", "area", "base"}


class Structure(HTMLParser):
    """Tags with their attributes, in order, and whether the markup nests properly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], tuple[str, ...]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs), tuple(self.stack)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs), tuple(self.stack)))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs, _ in self.tags if t == tag]


def _parse(html: str) -> Structure:
    page = Structure()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def quota_round(tmp_path_factory: pytest.TempPathFactory) -> RoundResult:
    path = tmp_path_factory.mktemp("quotas") / "søknader.csv"
    rows = ["ID;Søker;Prosjekt;Kategori;Søkt beløp;Poeng", "A1;Lag 1;Kor;Kultur;300000;9"]
    rows += ["A2;Lag 2;Teater;Kultur;300000;8", "A3;Lag 3;Løp;Idrett;100000;7"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    policy = Policy(
        rule="ranked", quotas=(Quota(by="category", value="Kultur", max_amount=400_000),)
    )
    return run_round(read_applications(path), 500_000, policy)


def _pages(small: RoundResult, quotas: RoundResult) -> list[tuple[str, str]]:
    return [
        (lang, render(result, lang=lang)) for result in (small, quotas) for lang in ("nb", "en")
    ]


@pytest.fixture
def pages(
    small_round: Callable[..., RoundResult], quota_round: RoundResult
) -> list[tuple[str, str]]:
    return _pages(small_round(), quota_round)


def test_the_page_is_well_formed_with_unique_ids_a_title_and_its_language(
    pages: list[tuple[str, str]],
) -> None:
    for lang, html in pages:
        page = _parse(html)
        assert page.errors == []
        assert page.stack == []
        assert page.named("html") == [{"lang": lang}]
        ids = [attrs["id"] for _, attrs, _ in page.tags if "id" in attrs]
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        # Every reference to an id (aria-labelledby, an in-page link) finds it.
        for _, attrs, _ in page.tags:
            for ref in (attrs.get("aria-labelledby") or "").split():
                assert ref in ids
            href = attrs.get("href") or ""
            if href.startswith("#"):
                assert href[1:] in ids
        title = re.search(r"<title>([^<]+)</title>", html)
        assert title is not None
        assert title.group(1).strip()


def test_one_h1_and_headings_in_order(pages: list[tuple[str, str]]) -> None:
    for _, html in pages:
        levels = [int(t[1]) for t, _, _ in _parse(html).tags if re.fullmatch(r"h[1-6]", t)]
        assert levels[0] == 1
        assert levels.count(1) == 1
        assert all(b <= a + 1 for a, b in pairwise(levels)), levels


def test_every_table_has_caption_head_body_and_scoped_headers_in_a_labelled_scroll_box(
    pages: list[tuple[str, str]],
) -> None:
    seen = 0
    for _, html in pages:
        page = _parse(html)
        tables = [(attrs, stack) for t, attrs, stack in page.tags if t == "table"]
        seen += len(tables)
        for _, stack in tables:
            assert stack[-1] == "div"
        boxes = [a for a in page.named("div") if "table-scroll" in (a.get("class") or "")]
        assert len(boxes) == len(tables)
        captions = [a.get("id") for a in page.named("caption")]
        assert len(captions) == len(tables)
        for box, caption in zip(boxes, captions, strict=True):
            # A region named by the caption, reachable from the keyboard to scroll it.
            assert box["role"] == "region"
            assert box["tabindex"] == "0"
            assert box["aria-labelledby"] == caption
        assert len(page.named("thead")) == len(tables)
        assert len(page.named("tbody")) >= len(tables)
        for t, attrs, stack in page.tags:
            if t == "th":
                expected = {"thead": {"col"}, "tbody": {"row", "rowgroup"}, "tfoot": {"row"}}
                section = next(s for s in reversed(stack) if s in expected)
                assert attrs.get("scope") in expected[section]
    # By amount and by municipality; by amount and quotas (a round naming no place); each in
    # both languages.
    assert seen == 2 * (2 + 2)


def test_quota_status_is_given_in_words(quota_round: RoundResult) -> None:
    for lang, word in (("nb", "ja"), ("en", "yes")):
        html = render(quota_round, lang=lang)
        quotas = html[html.index('id="quotas"') :]
        assert f"<td>{word}</td>" in quotas


def test_amounts_are_right_aligned_and_grouped_with_no_break_spaces(
    small_round: Callable[..., RoundResult],
) -> None:
    """Amounts keep the Norwegian form (3 300 000 kr) with U+00A0 between the groups, which
    screen readers read as one number; not U+202F (narrow no-break space), which some speech
    synthesizers read as a pause or a separate number, nor a plain space, where a line break
    could part the digits."""
    html = render(small_round(), lang="nb")
    assert "3\u00a0300\u00a0000\u00a0kr" in html
    assert "\u202f" not in html
    assert re.search(r"\.num \{[^}]*text-align: right", _CSS)
    cells = re.findall(r'<td class="num">([^<]*kr)', html)
    assert cells
    assert all(re.fullmatch(r"[0-9]{1,3}(\u00a0[0-9]{3})*\u00a0kr", cell) for cell in cells)


# Text colours of the page and the backgrounds they are set on (WCAG 1.4.3: at least 4.5:1).
_TEXT_ON = {
    "ink": ("#fff", "zebra", "county"),
    "muted": ("#fff", "zebra", "county"),
    "accent": ("#fff", "zebra", "county"),
    "band": ("#fff", "county"),
    "#fff": ("band",),
}


def _colours() -> dict[str, str]:
    root = re.search(r":root \{([^}]*)\}", _CSS)
    assert root is not None
    found = dict(re.findall(r"--([a-z]+): (#[0-9a-f]{6});", root.group(1)))
    county = re.search(r"tr\.county th \{ background: (#[0-9a-f]{6})", _CSS)
    assert county is not None
    return {**found, "county": county.group(1), "#fff": "#ffffff"}


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG 2.1 contrast ratio of two #rrggbb colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_text_contrast_is_at_least_4_5_to_1_on_every_background_it_is_set_on() -> None:
    colours = _colours()
    low = {
        (text, ground): round(contrast(colours[text], colours[ground]), 2)
        for text, grounds in _TEXT_ON.items()
        for ground in grounds
        if contrast(colours[text], colours[ground]) < 4.5
    }
    assert low == {}
    # Every colour the CSS sets on text is one of those checked.
    for value in re.findall(r"(?<![-\w])color: ([^;]+);", _CSS):
        value = value.strip()
        assert value in {"#fff", "inherit"} or value.removeprefix("var(--").rstrip(")") in colours


def test_example_page_is_well_formed_and_structured() -> None:
    html = (Path(__file__).parents[2] / "examples" / "output" / "tildeling.html").read_text(
        encoding="utf-8"
    )
    page = _parse(html)
    assert page.errors == []
    assert page.named("html") == [{"lang": "nb"}]
    assert [t for t, _, _ in page.tags].count("h1") == 1
    assert len(page.named("caption")) == len(page.named("table")) == 2


# Roles that take a name from aria-label (ARIA 1.2); on a generic element (span, div, td)
# screen readers ignore it.
_NAMED = {"a", "nav", "section", "svg", "table", "main", "figure"}


def test_aria_label_only_where_a_screen_reader_reads_it_and_the_shared_mark_in_words(
    pages: list[tuple[str, str]],
) -> None:
    for _, html in pages:
        page = _parse(html)
        for tag, attrs, _ in page.tags:
            if "aria-label" in attrs:
                assert tag in _NAMED or attrs.get("role") in {"img", "region"}, (tag, attrs)
    html = pages[0][1]  # the small round, in Norwegian: it has a shared project
    assert '<span class="mark" title="samarbeidsprosjekt, beløpet telles én gang"' in html
    assert (
        '<span class="visually-hidden"> (samarbeidsprosjekt, beløpet telles én gang)</span>' in html
    )


class _ChartText(HTMLParser):
    """The text of the chart's title and description: what a screen reader reads for an SVG
    with ``role="img"``, whose own text elements it does not read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.named: dict[str, str] = {}
        self.labelledby: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "svg":
            self.labelledby = (found.get("aria-labelledby") or "").split()
        elif tag in {"title", "desc"} and found.get("id"):
            self._in = found["id"]
            self.named[self._in or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in {"title", "desc"}:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self.named[self._in] += data


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_chart_gives_each_countys_amount_and_projects_in_words(
    small_round: Callable[..., RoundResult], lang: str
) -> None:
    """WCAG 1.1.1: the chart's text alternative carries what the chart shows. A screen reader
    reads an SVG with role="img" by its name (aria-labelledby), not its text elements, and the
    amounts per county are in no table of the page."""
    result = small_round()
    pub = build(result, lang)
    assert len(pub.per_county) > 1
    chart = _ChartText()
    chart.feed(render(result, lang=lang))
    name = " ".join(chart.named[ref] for ref in chart.labelledby)
    for bar in pub.per_county:
        projects = get(lang)("summary.projects", n=bar.projects)
        assert f"{bar.name}: {pub.money(bar.awarded)}, {projects}" in name, bar


def _rule(selector: str, css: str = _CSS) -> str:
    found = re.search(rf"(?m)^\s*{re.escape(selector)} \{{([^}}]*)\}}", css)
    assert found is not None, selector
    return found.group(1)


def test_the_chart_keeps_its_text_size_on_a_narrow_screen_and_scrolls_in_its_own_box(
    small_round: Callable[..., RoundResult],
) -> None:
    """WCAG 1.4.4 and 1.4.10: at 320 CSS pixels (400 % zoom) a chart scaled to the page's width
    would set its labels at 13 × 272 / 780 ≈ 4.5 px. The chart is never narrower than its own
    width (its labels at their size), and scrolls sideways in a box of its own, which takes
    keyboard focus and is named by the section's heading; the page itself does not scroll."""
    html = render(small_round(), lang="nb")
    page = _parse(html)
    svg = next((attrs, stack) for tag, attrs, stack in page.tags if tag == "svg")
    attrs, stack = svg
    width = float((attrs["viewbox"] or "").split()[2])  # the parser lowers names
    assert stack[-1] == "div"
    boxes = [a for a in page.named("div") if "chart-scroll" in (a.get("class") or "").split()]
    assert len(boxes) == 1
    assert boxes[0]["role"] == "region"
    assert boxes[0]["tabindex"] == "0"
    heading = next(a for a in page.named("h2") if a.get("id") == boxes[0]["aria-labelledby"])
    assert heading["id"] == "per-county-h"
    assert "overflow-x: auto" in _rule(".table-scroll, .chart-scroll")
    assert "outline" in _rule(".table-scroll:focus-visible, .chart-scroll:focus-visible")
    svg_rule = _rule("figure svg")
    min_width = re.search(r"min-width: ([0-9.]+)rem;", svg_rule)
    assert min_width is not None
    assert float(min_width.group(1)) * 16 >= width  # 1rem is 16 px by default
    # Printed, the chart fits the A4 page's width as before.
    printed = _CSS[_CSS.index("@media print") :]
    assert "min-width: 0" in _rule("figure svg", printed)


_FOCUSABLE = {"a", "button", "input", "select", "textarea"}


def test_the_first_keyboard_stop_is_the_contents_list_inside_main(
    pages: list[tuple[str, str]],
) -> None:
    """WCAG 2.4.1: nothing focusable comes before the page's content (the masthead has no
    links), and the first Tab stop is the contents list, whose links lead to each section of a
    long page; so the page needs no skip link to bypass anything."""
    for _, html in pages:
        page = _parse(html)
        focusable = [
            (tag, attrs, stack)
            for tag, attrs, stack in page.tags
            if (tag in _FOCUSABLE and (tag != "a" or "href" in attrs)) or "tabindex" in attrs
        ]
        tag, _, stack = focusable[0]
        assert "main" in stack
        assert "header" not in stack
        if page.named("nav"):
            assert tag == "a"
            assert stack[stack.index("main") + 1] == "nav"
            links = [a["href"] for t, a, s in page.tags if t == "a" and "nav" in s]
            sections = {a.get("id") for a in page.named("section")}
            assert {(href or "").removeprefix("#") for href in links} <= sections


def test_the_chart_bars_and_the_focus_outline_have_3_to_1_contrast(
    small_round: Callable[..., RoundResult],
) -> None:
    """WCAG 1.4.11: the chart's bars and axis, which carry its information, and the focus
    outline of a scrolling box stand out at least 3:1 from the white page."""
    html = render(small_round(), lang="nb")
    chart = html[html.index("<svg") : html.index("</svg>")]
    graphics = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', chart))
    assert graphics
    outline = re.search(r"outline: 3px solid var\(--([a-z]+)\)", _CSS)
    assert outline is not None
    colours = {*graphics, _colours()[outline.group(1)]}
    assert {
        c: round(contrast(c, "#ffffff"), 2) for c in colours if contrast(c, "#ffffff") < 3
    } == {}
