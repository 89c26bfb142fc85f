"""The PDF list for a reader with a screen reader or low vision: what it offers without tags.

fpdf2 cannot tag a PDF (README, "Universell utforming / accessibility"), so these tests hold the
rest: the document does not claim a structure it lacks, a screen reader that reads the text in
the order it is drawn reads each table row by row and cell by cell, and the text colours keep
4.5:1 against what they are set on.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pypdf
import pytest

from tilskudd.export import pdf
from tilskudd.export.pdf import render
from tilskudd.models import RoundResult
from tilskudd.publication import build

from .test_html_accessibility import contrast


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_pdf_claims_no_structure_it_does_not_have(
    small_round: Callable[..., RoundResult], lang: str
) -> None:
    """No /MarkInfo /Marked true and no structure tree: fpdf2 builds one only for images with
    alternative text, links and styled section titles (tagged /Figure), and a PDF that says it
    is tagged while its text is not is read by the structure, which would skip that text."""
    reader = pypdf.PdfReader(io.BytesIO(render(small_round(), lang=lang)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" not in root
    assert "/MarkInfo" not in root
    assert all("/StructParents" not in page for page in reader.pages)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_text_is_drawn_in_reading_order_row_by_row(
    small_round: Callable[..., RoundResult], lang: str
) -> None:
    """An untagged PDF is read in the order its text is drawn: the title before the summary,
    each award's row whole (position, applicant, project, places, amount) before the next."""
    result = small_round()
    pub = build(result, lang)
    reader = pypdf.PdfReader(io.BytesIO(render(result, lang=lang)))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    text = text.replace("\u00a0", " ")
    cursor = text.index(pub.title)
    cursor = text.index(pub.sentence.replace("\u00a0", " "), cursor)
    cursor = text.index(pub.text("doc.by_amount"), cursor)
    for n, line in enumerate(pub.by_amount, start=1):
        for cell in (str(n), line.applicant, line.project, line.places, pub.money(line.amount)):
            found = text.find(re.sub(r"\s+", " ", cell).replace("\u00a0", " "), cursor)
            assert found >= 0, (n, cell, text[cursor : cursor + 300])
            cursor = found + 1


# The PDF's text colours and the fills they are drawn on (WCAG 1.4.3: at least 4.5:1).
_WHITE = (255, 255, 255)
_TEXT_ON = [
    (pdf._INK, _WHITE),
    (pdf._INK, pdf._ZEBRA),  # table rows
    (pdf._MUTED, _WHITE),  # funder, date, notes, page numbers
    (pdf._BAND, _WHITE),  # headings
    (pdf._BAND, pdf._COUNTY),  # a county's row in the list by municipality
    (_WHITE, pdf._BAND),  # table heads
]


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


def test_the_pdf_text_colours_have_4_5_to_1_contrast() -> None:
    low = {
        (_hex(text), _hex(ground)): round(contrast(_hex(text), _hex(ground)), 2)
        for text, ground in _TEXT_ON
        if contrast(_hex(text), _hex(ground)) < 4.5
    }
    assert low == {}
