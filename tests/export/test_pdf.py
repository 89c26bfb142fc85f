"""PDF publication list: text extracted with pypdf; A4, page numbers, repeated table header."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest

from tilskudd.export import pdf, write
from tilskudd.export.pdf import _Document, _wrap, render
from tilskudd.models import RoundResult, Source
from tilskudd.publication import build


def _pages(path: Path) -> list[str]:
    reader = pypdf.PdfReader(path)
    for page in reader.pages:
        width, height = (float(v) for v in page.mediabox[2:])
        assert (round(width), round(height)) == (595, 842)  # A4 in points
    # Non-breaking spaces in amounts come back as plain or no-break spaces: normalise.
    return [re.sub(r"[ \u00a0]+", " ", page.extract_text()) for page in reader.pages]


@pytest.fixture
def small_pdf(small_round: Callable[..., RoundResult], tmp_path: Path) -> list[str]:
    path = tmp_path / "tildeling.pdf"
    assert write(small_round(), path, lang="nb") == "pdf"
    assert path.read_bytes().startswith(b"%PDF-")
    return _pages(path)


def test_names_amounts_and_summary_are_in_the_text(small_pdf: list[str]) -> None:
    text = " ".join(small_pdf)
    assert "Tildelte tilskudd" in text
    assert "IKT-tilskudd til kommunene 2009 · Runde 1" in text
    assert "4 prosjekter med 8 kommuner får 7 200 000 kr; 100 000 kr igjen av runden." in text
    for name in ("Halden kommune", "Guovdageainnu suohkan", "Tromsø kommune", "Bergen kommune"):
        assert name in text
    assert "Kárášjohka - Karasjok" in text  # Sámi letters need the bundled Unicode font
    for amount in ("3 300 000 kr", "2 000 000 kr", "1 000 000 kr", "900 000 kr", "7 200 000 kr"):
        assert amount in text
    assert "Publisert 28. november 2026" in text
    # Applications without an award are not in the publication list.
    assert "Oslo kommune" not in text
    assert "Vadsø kommune" not in text


def test_both_lists_and_the_county_bars(small_pdf: list[str]) -> None:
    text = " ".join(small_pdf)
    by_amount = text.index("Tildelinger etter beløp")
    per_county = text.index("Tildelt per fylke")
    by_municipality = text.index("Tildelinger etter kommune")
    assert by_amount < per_county < by_municipality
    # Largest award first in the list by amount.
    first_list = text[by_amount:per_county]
    assert first_list.index("Halden kommune") < first_list.index("Bergen kommune")
    assert "Østfold 3 300 000 kr · 1 prosjekt" in text
    second_list = text[by_municipality:]
    for place in ("0101 Halden", "0104 Moss", "0105 Sarpsborg", "1201 Bergen"):
        assert place in second_list
    assert "3 300 000 kr *" in second_list
    assert "Samarbeidsprosjekt" in second_list


def test_every_page_is_numbered(small_pdf: list[str]) -> None:
    total = len(small_pdf)
    for number, page in enumerate(small_pdf, start=1):
        assert f"Side {number} av {total}" in page


def test_a_document_of_thousands_of_pages_is_numbered_within_the_margin(
    small_round: Callable[..., RoundResult], request: pytest.FixtureRequest
) -> None:
    """fpdf2's {nb} alias left room for three digits: from page 1 000 on, "Page 1 of 1000" ran
    past the right margin and fpdf2 warned on stderr (an error under this suite's filters)."""
    result = small_round()
    doc = _Document(build(result, "en"), result.created)
    request.addfinalizer(doc.close_fonts)
    for _ in range(1000):
        doc.add_page()
    doc.number_pages()
    pages = pypdf.PdfReader(io.BytesIO(bytes(doc.output()))).pages
    assert len(pages) == 1000
    for number in (1, 999, 1000):
        assert f"Page {number} of 1000" in pages[number - 1].extract_text()


def test_long_list_repeats_the_table_header_on_every_page(
    large_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "stor.pdf"
    write(large_round(120), path, lang="en")
    pages = _pages(path)
    assert len(pages) >= 4
    assert "Page 2 of " in pages[1]
    # The list by amount runs from page 1 onto page 2: its header is repeated there.
    assert "Awards by amount" not in pages[1]
    assert re.search(r"No\. Applicant Project Municipalities Awarded", pages[1])
    # Rows are not lost at page breaks: every project is listed (twice: by amount, by place).
    text = " ".join(pages)
    for i in range(1, 121):
        assert text.count(f"Prosjekt nr. {i} i ") == 2, i
    # Pages with the list by municipality repeat its header too.
    continued = [p for p in pages if "Municipality Applicant Project Awarded" in p]
    assert len(continued) >= 2


def test_same_result_gives_the_same_bytes(small_round: Callable[..., RoundResult]) -> None:
    assert render(small_round(), lang="nb") == render(small_round(), lang="nb")


def test_characters_outside_the_font_become_a_replacement_mark(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    result = small_round()
    apps = list(result.applications)
    apps[0] = apps[0].model_copy(update={"applicant": "Halden 漢字 kommune"})
    path = tmp_path / "x.pdf"
    write(result.model_copy(update={"applications": tuple(apps)}), path)
    text = " ".join(_pages(path))
    assert "Halden \ufffd\ufffd kommune" in text


def test_a_cell_too_long_for_a_page_is_cut_not_refused(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """fpdf2 refuses a table row taller than a page: a project in 150 municipalities, or a
    pasted description as its title, is cut with "…" in the lists (the workbook has it all)."""
    from tilskudd.registry import get_register

    numbers = tuple(get_register("2024").municipalities)[:150]
    result = small_round()
    apps = list(result.applications)
    apps[0] = apps[0].model_copy(update={"municipalities": numbers})
    apps[1] = apps[1].model_copy(update={"project": "Felles plattform " * 200})
    path = tmp_path / "lang.pdf"
    write(result.model_copy(update={"applications": tuple(apps)}), path, lang="nb")
    pages = _pages(path)
    text = " ".join(pages)
    assert "Felles plattform Felles plattform" in text
    assert text.count("…") == 4  # the places; the project by amount and in its 2 municipalities
    assert "Tildelinger etter kommune" in text  # the rest of the document is there
    assert f"Side {len(pages)} av {len(pages)}" in pages[-1]


def test_a_tab_in_a_name_is_a_space_not_a_missing_glyph(
    small_round: Callable[..., RoundResult], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """fpdf2 logs "Font ... is missing the following glyphs: '\\t'", which the CLI printed."""
    result = small_round()
    apps = list(result.applications)
    apps[0] = apps[0].model_copy(update={"applicant": "Halden\tkommune"})
    path = tmp_path / "tab.pdf"
    write(result.model_copy(update={"applications": tuple(apps)}), path, lang="nb")
    assert "Halden kommune" in " ".join(_pages(path))
    assert [r.getMessage() for r in caplog.records] == []


def test_round_without_awards_says_so(round_without_awards: RoundResult, tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    write(round_without_awards, path, lang="en")
    text = " ".join(_pages(path))
    assert "No awards in this round." in text
    assert "Awards by amount" not in text


def test_position_numbers_keep_their_digits_together(
    large_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """The list by amount numbered past 999 in a 9 mm column: "1000" was printed as "100" over
    "0" (the UK government's 3 242 awards). The column now widens for the largest number."""
    path = tmp_path / "tusen.pdf"
    write(large_round(1000), path, lang="en")
    text = " ".join(_pages(path))
    # The smallest awards come last: position 999 is Rømskog's, 1000 Halden's.
    assert re.search(r"(^|\s)999 Rømskog kommune", text)
    assert re.search(r"(^|\s)1000 Halden kommune", text)


def test_an_award_without_a_place_is_not_said_to_be_county_wide(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """Open data from other funders has no Norwegian places: such an award is listed under "No
    place given", and its place cell said "Whole county", which it is not."""
    from tilskudd.publication import build

    result = small_round()
    apps = list(result.applications)
    apps[0] = apps[0].model_copy(update={"municipalities": (), "counties": ()})
    result = result.model_copy(update={"applications": tuple(apps)})
    nowhere = build(result, "en").by_municipality[-1]
    assert nowhere.name == "No place given"
    assert [group.name for group in nowhere.municipalities] == ["–"]
    path = tmp_path / "nowhere.pdf"
    write(result, path, lang="en")
    text = " ".join(_pages(path))
    assert re.search(r"No place given\s+– Halden kommune", text)
    assert "Whole county" not in text


def test_a_county_row_is_never_alone_at_the_foot_of_a_page() -> None:
    """The list by municipality names each county in a row above its projects. Drawn as a
    row of its own, it could end a page with its projects on the next: the example round's
    PDF ended page 6 with 'Rogaland' and page 8 with 'Sogn og Fjordane'."""
    from tilskudd.pipeline import read_applications, run_round
    from tilskudd.policyfile import load_policy
    from tilskudd.registry import get_register

    examples = Path(__file__).resolve().parents[2] / "examples"
    checked = read_applications(examples / "difi_2009_runde1.xlsx", register="2009")
    result = run_round(checked, 20_000_000, load_policy(examples / "policy_difi2009.toml"))
    counties = {county.name for county in get_register("2009").counties.values()}
    reader = pypdf.PdfReader(io.BytesIO(render(result, lang="nb")))
    pages = [page.extract_text().splitlines() for page in reader.pages]
    ends = [lines[-2].strip() for lines in pages[:-1]]  # the last line above the page number
    assert counties & {"Rogaland", "Sogn og Fjordane"}  # the names as the list writes them
    assert not counties & set(ends), ends
    text = "\n".join("\n".join(lines) for lines in pages)
    assert "Rogaland" in text
    assert "Sogn og Fjordane" in text


def test_the_list_names_the_input_file_not_the_officers_folders(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    # As on the web page: the input as typed, folders and user name, was printed in the list.
    given = r"C:\Users\kari.nordmann\Tilskudd\søknader.xlsx"
    result = small_round(source=Source(file=given, sha256="ab" * 32, sheet="Søknader"))
    path = tmp_path / "tildeling.pdf"
    write(result, path, lang="nb")
    text = " ".join(_pages(path))
    assert "Innfil søknader.xlsx, SHA-256" in text
    assert "kari" not in text


def test_a_word_wider_than_its_column_breaks_at_its_hyphen_or_with_one(
    small_round: Callable[..., RoundResult], request: pytest.FixtureRequest
) -> None:
    """A research council's faculty, "MATEMATISK-NATURVITENSKAPELIGE FAKULTET", in the narrow
    applicant column was broken between any two letters ("MATEMATISK-NATURVI" / "TENSKAPELIGE"),
    with no mark that the word goes on. A word wider than its column now breaks after a hyphen
    of its own where it has one, and otherwise between letters with a hyphen added."""
    result = small_round()
    doc = _Document(build(result, "nb"), result.created)
    request.addfinalizer(doc.close_fonts)
    width = doc.width_of("MATEMATISK-NATURVI")
    lines = _wrap(doc, "MATEMATISK-NATURVITENSKAPELIGE FAKULTET", width)
    assert lines[0] == "MATEMATISK-"
    assert "".join(lines[1:]).replace("-", "").startswith("NATURVITENSKAPELIGE")
    assert all(doc.width_of(line) <= width for line in lines)
    # A part still too wide: broken between letters, each broken piece ending in a hyphen.
    narrow = doc.width_of("NATURVI")
    lines = _wrap(doc, "NATURVITENSKAPELIGE", narrow)
    assert len(lines) > 2
    assert all(line.endswith("-") for line in lines[:-1])
    assert "".join(line.removesuffix("-") for line in lines) == "NATURVITENSKAPELIGE"
    assert all(doc.width_of(line) <= narrow for line in lines)
    # Parts that fit a line each are kept whole, one to a line where two do not fit.
    part = doc.width_of("NATURVITENSKAPELIGE-")
    assert _wrap(doc, "MATEMATISK-NATURVITENSKAPELIGE-FAKULTET", part) == [
        "MATEMATISK-",
        "NATURVITENSKAPELIGE-",
        "FAKULTET",
    ]
    # No hyphen is added between digits (an account or case number is not a word).
    digits = _wrap(doc, "12345678901234567890", doc.width_of("1234567"))
    assert len(digits) > 2
    assert "".join(digits) == "12345678901234567890"
    # A word that fits is not touched; nor are words broken at spaces.
    assert _wrap(doc, "Bærum kommune", width) == ["Bærum kommune"]


def test_the_font_files_are_closed_when_a_document_is_given_up(
    small_round: Callable[..., RoundResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """fpdf2 keeps a font file open until a finished document is written, and then closes
    only the fonts it used: a PDF given up half-way left its files open to the garbage
    collector, whose ResourceWarning then failed some later, unrelated test."""
    files: list[Any] = []
    real_init = _Document.__init__

    def init(self: _Document, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        files.extend(font.ttfont.reader.file for font in self.fonts.values())

    def fail(doc: _Document) -> None:
        raise RuntimeError("given up")

    monkeypatch.setattr(_Document, "__init__", init)
    monkeypatch.setattr(pdf, "_masthead", fail)
    with pytest.raises(RuntimeError, match="given up"):
        render(small_round(), lang="nb")
    assert len(files) == 2
    assert all(file.closed for file in files)


@pytest.mark.parametrize(
    ("lang", "by_amount", "notes"),
    [("nb", "Tildelinger etter beløp", "Merknader"), ("en", "Awards by amount", "Notes")],
)
def test_metadata_and_bookmarks_name_the_document_in_its_language(
    small_round: Callable[..., RoundResult], lang: str, by_amount: str, notes: str
) -> None:
    """What a screen reader and a PDF reader announce: the title with programme and round
    (shown in the window rather than the file name), the language, the funder as author, the
    summary sentence as subject; and a bookmark for the title and each section."""
    result = small_round()
    pub = build(result, lang)
    reader = pypdf.PdfReader(io.BytesIO(render(result, lang=lang)))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == f"{pub.title} – {pub.programme} · {pub.round}"
    assert pub.funder
    assert meta.author == pub.funder
    assert meta.subject == pub.sentence
    assert (meta.creator or "").startswith("tilskudd ")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    outline = reader.outline
    assert outline[0].title == pub.title
    sections = [item.title for item in outline[1]]
    assert sections[0] == by_amount
    assert len(sections) == 3 + bool(pub.notes)
    if pub.notes:
        assert sections[-1] == notes
