"""Markdown award table: rendered with markdown-it (GFM tables) and the cells read back."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tilskudd.export import write
from tilskudd.export.markdown import escape, render
from tilskudd.models import RoundResult


class _Cells(HTMLParser):
    """Table rows of rendered Markdown, and whether any tag other than the table's appeared."""

    TABLE_TAGS = frozenset({"table", "thead", "tbody", "tr", "th", "td"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.inline_tags: list[str] = []
        self._cell: list[str] | None = None
        self._in_table = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._in_table = True
        elif tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self._cell = []
        elif self._in_table and tag not in self.TABLE_TAGS | {"strong"}:
            self.inline_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            self._in_table = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _table(markdown: str) -> _Cells:
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    cells = _Cells()
    cells.feed(html)
    return cells


def test_award_table_in_rank_order_with_total(small_round: Callable[..., RoundResult]) -> None:
    cells = _table(render(small_round(), lang="nb"))
    header, *rows, total = cells.rows
    assert header == [
        "Rangering",
        "Søker",
        "Prosjekt",
        "Kommuner",
        "Omsøkt",
        "Tildelt",
        "Status",
    ]
    assert [r[1] for r in rows] == [
        "Halden kommune",
        "Guovdageainnu suohkan",
        "Tromsø kommune",
        "Bergen kommune",
    ]
    assert [r[0] for r in rows] == ["1=", "1=", "3", "4"]
    assert rows[2][4:] == [
        "1\u00a0500\u00a0000\u00a0kr",
        "1\u00a0000\u00a0000\u00a0kr",
        "delvis innvilget",
    ]
    assert total[0] == "Sum"
    assert total[5] == "7\u00a0200\u00a0000\u00a0kr"
    assert all(len(r) == 7 for r in cells.rows)


def test_text_stays_text_pipes_markup_and_html(small_round: Callable[..., RoundResult]) -> None:
    result = small_round()
    apps = list(result.applications)
    apps[0] = apps[0].model_copy(
        update={"project": "A | B *fet* _kursiv_ `kode` [lenke](x) <b>html</b>\nny linje"}
    )
    cells = _table(render(result.model_copy(update={"applications": tuple(apps)}), lang="en"))
    assert cells.inline_tags == []
    first = cells.rows[1]
    assert len(first) == 7
    assert first[2] == "A | B *fet* _kursiv_ `kode` [lenke](x) <b>html</b> ny linje"
    # The fixture's own hostile texts survive too.
    projects = [r[2] for r in cells.rows[1:-1]]
    assert "+47 Digital innbyggerdialog <script>alert(1)</script>" in projects
    assert "-Minus: Åpne data | felles API" in projects


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
@example("&GT;")  # an entity reference: read as ">" until "&" was escaped too
@example("Bygg &amp; anlegg")
def test_escape_round_trips_any_text_as_one_cell(text: str) -> None:
    markdown = f"| h |\n| --- |\n| {escape(text)} |\n"
    cells = _table(markdown)
    assert cells.inline_tags == []
    assert len(cells.rows) == 2
    assert len(cells.rows[1]) == 1
    # Markdown trims a cell's edges and folds nothing else: the text reads back as written.
    assert cells.rows[1][0] == " ".join(text.split("\n")).strip()


def test_summary_sentence_and_english(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "awards.md"
    assert write(small_round(), path, lang="en") == "md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Grant awards\n")
    assert "4 projects involving 8 municipalities receive NOK\u00a07,200,000" in text
    assert "| Rank | Applicant | Project | Municipalities | Requested | Awarded | Status |" in text


def test_footer_dates_the_document_in_words_a_reader_parses(
    small_round: Callable[..., RoundResult],
) -> None:
    # "Laget med tilskudd 0.1.0 28. november 2026." ran the version into the date; the date
    # takes "den" as the English one takes "on".
    result = small_round()
    nb = render(result, lang="nb").splitlines()[-1]
    en = render(result, lang="en").splitlines()[-1]
    assert nb == f"Laget med tilskudd {result.tool_version} den 28. november 2026."
    assert en == f"Made with tilskudd {result.tool_version} on 28 November 2026."


def test_a_round_with_a_decision_date_is_published_as_decided_that_day(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    # A programme round's `decision = 2009-06-12`: the award list is dated by the decision, not
    # by the day it was written out (the footer still says when it was made).
    from datetime import date

    from tilskudd.export import html, pdf

    result = small_round(decision_date=date(2009, 6, 12))
    nb = render(result, lang="nb")
    assert "\nVedtatt 12. juni 2009\n" in nb
    assert nb.splitlines()[-1].endswith("den 28. november 2026.")
    assert "Decided 12 June 2009" in render(result, lang="en")
    page = html.render(result, lang="nb")
    assert '<p class="date">Vedtatt <time datetime="2009-06-12">12. juni 2009</time></p>' in page
    assert "Publisert" not in page
    path = tmp_path / "tildeling.pdf"
    pdf.write(result, path, lang="nb")
    import pypdf

    text = " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    assert "Vedtatt 12. juni 2009" in text.replace("\u00a0", " ")
    # Without one, as before: the day it was made.
    assert "Vedtatt" not in render(small_round(), lang="nb")
    assert "Publisert" in html.render(small_round(), lang="nb")


def test_the_published_documents_say_how_ties_were_decided(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    # A citizen reading the award list is owed the round's notes (a tie across the funding line
    # taken in id order, a lottery's draw), not the officer's ones about the input.
    from decimal import Decimal

    from tilskudd.export import html, pdf
    from tilskudd.models import Reason

    tie = Reason(code="note.tie_at_line", params={"rank": 3, "count": 2, "ids": ["S-001", "S-005"]})
    officer = Reason(
        code="note.share_of_cost_unknown_all", params={"total": 6, "share": Decimal("0.2")}
    )
    base = small_round()
    result = base.model_copy(
        update={"allocation": base.allocation.model_copy(update={"notes": (tie, officer)})}
    )
    # The list shows no ids (it names applicants): the note names them as the list does, the id
    # after each, so that a reader finds S-001 in the list and knows S-005, in no list, too.
    said = (
        "2 søknader deler plass\u00a03 ved finansieringsgrensen (Halden kommune – Felles "
        "IKT-plattform"
        " for Østfold (S-001) og Oslo kommune – Smart vann (S-005))"
    )
    text = render(result, lang="nb")
    assert "\n## Merknader\n" in text
    assert f"\n- {said}" in text
    assert "--columns" not in text
    page = html.render(result, lang="nb")
    assert '<h2 id="notes-h">Merknader</h2>' in page
    assert f"<li>{said}" in page
    assert "--columns" not in page
    path = tmp_path / "tildeling.pdf"
    pdf.write(result, path, lang="nb")
    import pypdf

    extracted = " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    assert said.replace("\u00a0", " ") in " ".join(extracted.replace("\u00a0", " ").split())
    # A round without notes has no such section.
    bare = base.model_copy(update={"allocation": base.allocation.model_copy(update={"notes": ()})})
    assert "Merknader" not in render(bare, lang="nb")
    assert 'id="notes"' not in html.render(bare, lang="nb")


def _tied_round(applicant: str | None) -> RoundResult:
    """B2 and C3 share rank 2 across the funding line; A1 and B2 are funded."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from tilskudd.models import Application, Policy
    from tilskudd.rules import allocate

    apps = tuple(
        Application(
            id=i, requested=100, score=Decimal(s), applicant=applicant, project=f"Prosjekt {i}"
        )
        for i, s in (("A1", 9), ("B2", 7), ("C3", 7))
    )
    return RoundResult(
        allocation=allocate(apps, 250, Policy()),
        applications=apps,
        tool_version="0",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "(Moss kommune – Prosjekt B2 (B2) og Moss kommune – Prosjekt C3 (C3))"),
        ("en", "(Moss kommune – Prosjekt B2 (B2) and Moss kommune – Prosjekt C3 (C3))"),
    ],
)
def test_a_note_names_applications_as_a_list_without_ids_names_them(lang: str, said: str) -> None:
    from tilskudd.publication import build

    pub = build(_tied_round("Moss kommune"), lang)
    assert not pub.shows_ids
    assert [n for n in pub.notes if said in n], pub.notes
    assert f"\n- {pub.notes[0]}" in render(_tied_round("Moss kommune"), lang=lang)


def test_a_note_keeps_the_ids_a_list_without_applicants_shows() -> None:
    from tilskudd.publication import build

    pub = build(_tied_round(None), "en")
    assert pub.shows_ids
    assert [n for n in pub.notes if "(B2 and C3)" in n], pub.notes


def test_a_given_rank_split_by_the_tie_break_is_named_in_its_order() -> None:
    from tilskudd.models import Reason
    from tilskudd.publication import public_notes

    base = _tied_round("Moss kommune")
    note = Reason(
        code="note.given_rank_ordered",
        params={
            "rank": 1,
            "count": 3,
            "ids": ["A1", "B2", "C3"],
            "order": ["A1 = B2", "C3"],
            "columns": "total_cost asc",
        },
    )
    result = base.model_copy(
        update={"allocation": base.allocation.model_copy(update={"notes": (note,)})}
    )
    (said,) = public_notes(result, "en", named=True)
    assert said.endswith(
        "Moss kommune – Prosjekt A1 (A1) = Moss kommune – Prosjekt B2 (B2), then Moss kommune "
        "– Prosjekt C3 (C3)."
    ), said
    (plain,) = public_notes(result, "en")
    assert plain.endswith("A1 = B2, then C3."), plain


def test_a_round_without_ranks_is_published_without_an_empty_rank_column(
    small_round: Callable[..., RoundResult],
) -> None:
    """A proportional round of the Research Council's applications (no scores, no ranks) was
    published with a Rangering column empty in every row, as if the ranks had gone missing."""
    result = small_round()
    unranked = tuple(d._replace(rank=None, tied=False) for d in result.allocation.decisions)
    result = result.model_copy(
        update={"allocation": result.allocation.model_copy(update={"decisions": unranked})}
    )
    published = render(result, lang="nb")
    assert "## Tildelinger\n" in published  # no rank order named
    assert "rangert rekkefølge" not in published
    header, *rows, total = _table(published).rows
    assert header == ["Søker", "Prosjekt", "Kommuner", "Omsøkt", "Tildelt", "Status"]
    assert [r[0] for r in rows] == [
        "Halden kommune",
        "Guovdageainnu suohkan",
        "Tromsø kommune",
        "Bergen kommune",
    ]
    assert total[0] == "Sum"
    assert total[4] == "7\u00a0200\u00a0000\u00a0kr"
    assert all(len(r) == 6 for r in (header, *rows, total))


@pytest.mark.parametrize(
    ("lang", "heading", "total"),
    [
        ("nb", "Tildelinger i rangert rekkefølge", "7\u00a0200\u00a0000\u00a0kr"),
        ("en", "Awards in rank order", "NOK\u00a07,200,000"),
    ],
)
def test_converted_to_html_the_table_has_a_heading_header_cells_and_right_aligned_amounts(
    small_round: Callable[..., RoundResult], lang: str, heading: str, total: str
) -> None:
    """What a wiki or e-mail client makes of the file: one h1, the award table under an h2 of
    its own (found by moving through headings), header cells in a thead, amounts right-aligned."""
    html = MarkdownIt("commonmark").enable("table").render(render(small_round(), lang=lang))
    levels = re.findall(r"<h([1-6])>", html)
    assert levels.count("1") == 1
    assert levels[0] == "1"
    assert all(int(b) <= int(a) + 1 for a, b in pairwise(levels))
    before_table = html[: html.index("<table>")]
    assert before_table.rstrip().endswith(f"<h2>{heading}</h2>")
    head = re.search(r"<thead>(.*?)</thead>", html, re.S)
    assert head is not None
    assert len(re.findall(r"<th[ >]", head.group(1))) == 7
    plain = html.replace("<strong>", "").replace("</strong>", "")
    assert f'<td style="text-align:right">{total}</td>' in plain
