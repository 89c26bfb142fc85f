"""HTML publication page, parsed with html.parser: structure, accessibility, escaping."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tilskudd.export import write
from tilskudd.export.html import render
from tilskudd.models import Reason, RoundResult, Source


@dataclass
class Table:
    caption: str = ""
    head: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    foot: list[str] = field(default_factory=list)
    th_scopes: list[str | None] = field(default_factory=list)


class Page(HTMLParser):
    """Collects what the tests look at: tags, attributes, tables, headings, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: list[Table] = []
        self.headings: list[str] = []
        self.text: list[str] = []
        self.scripts = 0
        self._stack: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._section = ""
        self._heading: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in {"meta", "link", "img", "br", "rect", "line"}:
            return
        self._stack.append(tag)
        if tag == "script":
            self.scripts += 1
        elif tag == "table":
            self.tables.append(Table())
        elif tag in {"thead", "tbody", "tfoot"}:
            self._section = tag
        elif tag == "tr":
            self._row = []
        elif tag in {"td", "th"}:
            self._cell = []
            if tag == "th" and self.tables:
                self.tables[-1].th_scopes.append(attributes.get("scope"))
        elif tag in {"h1", "h2"}:
            self._heading = []
        elif tag == "caption":
            self._caption = []

    def handle_endtag(self, tag: str) -> None:
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
        if tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            table = self.tables[-1]
            if self._section == "thead":
                table.head = self._row
            elif self._section == "tfoot":
                table.foot = self._row
            else:
                table.rows.append(self._row)
            self._row = None
        elif tag in {"h1", "h2"} and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None
        elif tag == "caption" and self._caption is not None and self.tables:
            self.tables[-1].caption = "".join(self._caption).strip()
            self._caption = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for bucket in (self._cell, self._heading, self._caption):
            if bucket is not None:
                bucket.append(data)

    def attrs(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def _page(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture
def nb_page(small_round: Callable[..., RoundResult]) -> Page:
    return _page(render(small_round(), lang="nb"))


def test_language_attribute_follows_lang(small_round: Callable[..., RoundResult]) -> None:
    for lang in ("nb", "en"):
        page = _page(render(small_round(), lang=lang))
        assert page.attrs("html") == [{"lang": lang}]


def test_title_programme_round_date_and_summary_sentence(nb_page: Page) -> None:
    text = " ".join(nb_page.text)
    assert nb_page.headings[0] == "Tildelte tilskudd"
    assert "IKT-tilskudd til kommunene 2009 · Runde 1" in text
    assert "Direktoratet for forvaltning og IKT (Difi)" in text
    assert "28. november 2026" in text
    assert nb_page.attrs("time") == [{"datetime": "2026-11-28"}]
    assert (
        "4 prosjekter med 8 kommuner får 7\u00a0200\u00a0000\u00a0kr; "
        "100\u00a0000\u00a0kr igjen av runden." in text
    )


def test_list_by_amount_is_sorted_largest_first_with_total(nb_page: Page) -> None:
    table = nb_page.tables[0]
    assert table.caption == "Alle tildelinger, største beløp først"
    assert table.head == ["Nr.", "Søker", "Prosjekt", "Kommuner", "Tildelt"]
    applicants = [row[1] for row in table.rows]
    assert applicants == [
        "Halden kommune",
        "Guovdageainnu suohkan",
        "Tromsø kommune",
        "Bergen kommune",
    ]
    assert [row[4] for row in table.rows] == [
        "3\u00a0300\u00a0000\u00a0kr",
        "2\u00a0000\u00a0000\u00a0kr",
        "1\u00a0000\u00a0000\u00a0kr",
        "900\u00a0000\u00a0kr",
    ]
    assert table.rows[0][3] == "Halden, Moss og Sarpsborg"
    assert table.foot[-1] == "7\u00a0200\u00a0000\u00a0kr"


def test_list_by_municipality_lists_collaborations_under_each_and_counts_once(
    nb_page: Page,
) -> None:
    table = nb_page.tables[1]
    assert table.head == ["Kommune", "Søker", "Prosjekt", "Tildelt"]
    counties = [row[0] for row in table.rows if len(row) == 1]
    assert counties == ["Østfold", "Hordaland", "Nordland", "Troms", "Finnmark"]
    lines = [row for row in table.rows if len(row) == 4]
    assert [row[0] for row in lines] == [
        "0101 Halden",
        "0104 Moss",
        "0105 Sarpsborg",
        "1201 Bergen",
        "1805 Narvik",
        "1902 Tromsø",
        "2011 Guovdageaidnu - Kautokeino",
        "2021 Kárášjohka - Karasjok",
    ]
    # A shared project is marked wherever it appears, and said in words to a screen reader;
    # a single-municipality one is not.
    assert (
        lines[0][3] == "3\u00a0300\u00a0000\u00a0kr* (samarbeidsprosjekt, beløpet telles én gang)"
    )
    assert lines[3][3] == "900\u00a0000\u00a0kr"
    # Listed under 8 municipalities, but the total counts each project once.
    assert table.foot[-1] == "7\u00a0200\u00a0000\u00a0kr"
    assert "4 prosjekter, hvert talt bare én gang" in table.foot[0]
    assert "Samarbeidsprosjekt" in " ".join(nb_page.text)


def test_tables_are_accessible(nb_page: Page) -> None:
    assert len(nb_page.tables) == 2
    for table in nb_page.tables:
        assert table.caption
        assert table.th_scopes
        assert all(scope in {"col", "row", "rowgroup"} for scope in table.th_scopes)
        assert table.th_scopes.count("col") == len(table.head)


def test_chart_is_inline_accessible_svg_with_a_bar_per_county(nb_page: Page) -> None:
    svgs = nb_page.attrs("svg")
    assert len(svgs) == 1
    assert svgs[0]["role"] == "img"
    labelled = (svgs[0]["aria-labelledby"] or "").split()
    ids = {a.get("id") for a in nb_page.attrs("title") + nb_page.attrs("desc")}
    assert set(labelled) <= ids
    assert len(nb_page.attrs("rect")) == 5
    text = " ".join(nb_page.text)
    assert "Tildelt per fylke" in nb_page.headings
    assert "3\u00a0300\u00a0000\u00a0kr · 1 prosjekt" in text


def test_no_network_no_scripts(small_round: Callable[..., RoundResult]) -> None:
    html = render(small_round(), lang="en")
    page = _page(html)
    assert page.scripts == 0
    for _tag, attributes in page.tags:
        for name in ("src", "href"):
            value = attributes.get(name)
            if value is not None:
                assert value.startswith("#"), value
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", html)
    assert "@import" not in html
    assert not page.attrs("link")


def test_applicant_text_is_escaped(small_round: Callable[..., RoundResult]) -> None:
    html = render(small_round(), lang="en")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = _page(html)
    assert "+47 Digital innbyggerdialog <script>alert(1)</script>" in " ".join(page.text)


def test_control_characters_are_replaced_not_written(
    small_round: Callable[..., RoundResult],
) -> None:
    """HTML text may not hold control characters other than whitespace (a validator's error;
    a NUL is dropped by browsers): each becomes U+FFFD, as in the workbook."""
    result = small_round()
    apps = list(result.applications)
    apps[0] = apps[0].model_copy(update={"applicant": "Bell\x07 \x00kommune\x85\x7f\ufffe"})
    html = render(result.model_copy(update={"applications": tuple(apps)}), lang="en")
    assert "Bell\ufffd \ufffdkommune\ufffd\ufffd\ufffd" in html
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]", html)


def test_english_page_uses_english_words_and_numbers(
    small_round: Callable[..., RoundResult],
) -> None:
    page = _page(render(small_round(), lang="en"))
    text = " ".join(page.text)
    assert page.headings[0] == "Grant awards"
    assert "28 November 2026" in text
    assert page.tables[0].head == ["No.", "Applicant", "Project", "Municipalities", "Awarded"]
    assert page.tables[0].rows[0][4] == "NOK\u00a03,300,000"


def test_round_without_awards_says_so(round_without_awards: RoundResult) -> None:
    page = _page(render(round_without_awards, lang="en"))
    assert page.tables == []
    assert "No awards in this round." in " ".join(page.text)


def test_write_creates_a_utf8_file(small_round: Callable[..., RoundResult], tmp_path: Path) -> None:
    path = tmp_path / "tildeling.html"
    assert write(small_round(), path, lang="nb") == "html"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    assert "Kárášjohka" in text


def test_chart_has_a_bar_for_awards_to_projects_that_name_no_place(
    small_round: Callable[..., RoundResult],
) -> None:
    """The bars of the chart add up to the total awarded: an award to a project that names no
    place (in no county) has a bar of its own, where it had none."""
    base = small_round()
    apps = tuple(
        a.model_copy(update={"municipalities": (), "counties": ()}) if a.id == "S-004" else a
        for a in base.applications
    )
    page = _page(render(base.model_copy(update={"applications": apps}), lang="nb"))
    assert len(page.attrs("rect")) == 5  # 01, 18, 19, 20 and no place; 12 had only S-004
    text = " ".join(page.text)
    assert "Sted ikke oppgitt" in text
    assert "900\u00a0000\u00a0kr · 1 prosjekt" in text


@pytest.mark.parametrize(
    "given",
    [
        "/home/kari.nordmann/Tilskudd 2009/søknader.xlsx",
        r"C:\Users\kari.nordmann\OneDrive - Eksempel kommune\søknader.xlsx",
        "søknader.xlsx",
    ],
)
def test_the_page_names_the_input_file_not_the_officers_folders(
    small_round: Callable[..., RoundResult], given: str
) -> None:
    # The footer gave the input as typed on the command line: a page published on the web
    # showed the officer's user name and folders.
    result = small_round(source=Source(file=given, sha256="ab" * 32, sheet="Søknader"))
    text = " ".join(_page(render(result, lang="nb")).text)
    assert f"Innfil søknader.xlsx, SHA-256 {'ab' * 32}." in text
    assert "kari" not in text
    assert "Users" not in text


def test_a_published_note_never_says_where_on_the_officers_machine_a_setting_was_written(
    small_round: Callable[..., RoundResult],
) -> None:
    # The command line tells a round note about a setting where it was written (the policy
    # file's path, as typed); a note the public sees says what it says without that place.
    result = small_round()
    placed = Reason(
        code="note.tie_at_rank",
        params={
            "rank": 1,
            "ids": ["S-001", "S-002"],
            "set_in_file": r"C:\Users\kari.nordmann\policy.toml",
            "set_in_line": 3,
        },
    )
    allocation = result.allocation.model_copy(update={"notes": (placed,)})
    page = render(result.model_copy(update={"allocation": allocation}), lang="nb")
    assert "S-001" in page
    assert "S-002" in page
    assert "kari.nordmann" not in page
    assert "linje 3" not in page


def test_a_round_that_names_no_applicant_publishes_no_empty_applicant_column(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """A participatory budget (pabulib's Amsterdam 166: project names, no one behind them)
    was published with an applicant column empty in every row, in the list by amount and in
    the list by municipality, in the HTML, the PDF and the Markdown. The column is left out;
    with one applicant named it is back."""
    result = small_round()
    nobody = tuple(a.model_copy(update={"applicant": None}) for a in result.applications)
    result = result.model_copy(update={"applications": nobody})
    project = result.applications[0].project
    assert project
    for lang, header in (("en", "Applicant"), ("nb", "Søker")):
        for suffix in ("html", "md", "pdf"):
            path = tmp_path / f"tildeling-{lang}.{suffix}"
            write(result, path, lang=lang)
            if suffix == "pdf":
                import pypdf

                text = " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
            else:
                text = path.read_text(encoding="utf-8")
            assert project.split()[0] in text, (lang, suffix)  # the awards are listed
            assert header not in text, (lang, suffix)
    page = render(result, lang="en")
    # The project names each row, for a screen reader, where the applicant did.
    assert f'<th scope="row">{project}</th>' in page
    assert "<td></td>" not in page
    one = (result.applications[0].model_copy(update={"applicant": "Halden kommune"}),)
    result = result.model_copy(update={"applications": one + result.applications[1:]})
    for suffix in ("html", "md", "pdf"):
        path = tmp_path / f"tildeling-one.{suffix}"
        write(result, path, lang="en")
        if suffix == "pdf":
            import pypdf

            text = " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
        else:
            text = path.read_text(encoding="utf-8")
        assert "Applicant" in text, suffix


def test_projects_of_one_title_in_a_round_without_applicants_are_told_apart_by_their_id(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """Budapest VIII's participatory budget 2022 funds "Mikroparkokkal a nyári hoség ellen" in
    three neighbourhoods: its published lists had three rows alike, no applicant and no id to
    tell them apart, and a note naming ids no row showed. A round without applicants lists
    each award's id beside its project, in the HTML, the PDF and the Markdown, in both
    languages; with applicants the lists are as they were."""
    import pypdf

    result = small_round()
    funded = [d.application_id for d in result.allocation.decisions if d.amount > 0]
    first, second = funded[:2]
    title = "Mikroparkokkal a nyári hőség ellen"
    nobody = tuple(
        a.model_copy(
            update={"applicant": None, **({"project": title} if a.id in (first, second) else {})}
        )
        for a in result.applications
    )
    result = result.model_copy(update={"applications": nobody})
    for lang, header in (("en", "ID"), ("nb", "Søknadsnr.")):
        for suffix in ("html", "md", "pdf"):
            path = tmp_path / f"tildeling-{lang}.{suffix}"
            write(result, path, lang=lang)
            if suffix == "pdf":
                text = "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
                # The list by amount's rows: their number, the id, the project.
                ids = re.findall(rf"^\d+ (\S+) {title}", text, re.M)
                assert sorted(ids) == sorted((first, second)), lang
                assert header in text
            elif suffix == "md":
                text = path.read_text(encoding="utf-8")
                for id_ in (first, second):
                    assert re.search(rf"^\| \d+=? \| {id_} \| {title} \|", text, re.M), lang
                assert f"| {header} | " in text
            else:
                page = Page()
                page.feed(path.read_text(encoding="utf-8"))
                # The list by amount, then the list by municipality (the id after the place).
                by_amount, by_place = [x for x in page.tables if header in x.head]
                assert by_amount.head[1] == by_place.head[1] == header
                assert sorted(row[1] for row in by_amount.rows if title in row) == sorted(
                    (first, second)
                )
    named = small_round()
    for suffix in ("md", "html"):
        path = tmp_path / f"named.{suffix}"
        write(named, path, lang="en")
        assert "| ID |" not in path.read_text(encoding="utf-8")
        assert '<th scope="col">ID</th>' not in path.read_text(encoding="utf-8")


def test_a_round_that_names_no_place_publishes_no_lists_of_places(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """Warsaw-Wawer's real round, and any scheme whose sheet has no municipality column: the
    published page showed "Municipalities in funded projects: 0", an empty municipality
    column, a county chart of one bar, "No place given", and the whole list again under "No
    place given". Such a round's documents leave the places out; a round that names some
    still lists its awards without one under "No place given"."""
    result = small_round()
    nowhere = tuple(
        a.model_copy(update={"municipalities": (), "counties": ()}) for a in result.applications
    )
    result = result.model_copy(update={"applications": nowhere})
    for lang, words in (
        ("en", ("Municipalities", "No place given", "Awards per county", "by municipality")),
        ("nb", ("Kommuner", "Sted ikke oppgitt", "Tildelt per fylke", "etter kommune")),
    ):
        for suffix in ("html", "md", "pdf"):
            path = tmp_path / f"tildeling-{lang}.{suffix}"
            write(result, path, lang=lang)
            if suffix == "pdf":
                import pypdf

                text = " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
            else:
                text = path.read_text(encoding="utf-8")
            assert "Halden kommune" in text, (lang, suffix)  # the awards are listed
            for word in words:
                assert word not in text, (lang, suffix, word)
    # One award with a place: the places are back, the others under "No place given".
    some = (result.applications[0].model_copy(update={"municipalities": ("0101",)}),)
    result = result.model_copy(update={"applications": some + result.applications[1:]})
    text = render(result, lang="en")
    assert "No place given" in text
    assert "Municipalities" in text
