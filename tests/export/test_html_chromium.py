"""The publication page rendered by a real browser: headless Chromium (Debian's ``chromium``).

Checks the text as the browser lays it out (``--dump-dom`` after rendering) and saves a
screenshot under the test's temporary folder. Skipped, with the reason shown, only where no
Chromium is installed (CI installs it: ``apt-get install -y chromium``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tilskudd.export import write
from tilskudd.models import RoundResult

CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)"
)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"style", "script"}:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "script"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _visible_text(dom: str) -> str:
    parser = _Text()
    parser.feed(dom)
    return re.sub(r"\s+", " ", " ".join(parser.parts).replace("\u00a0", " "))


def test_chromium_renders_the_page_with_its_lists_and_chart(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    page = tmp_path / "tildeling.html"
    write(small_round(), page, lang="nb")
    url = page.resolve().as_uri()

    dumped = _chromium(tmp_path, "--dump-dom", url)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    assert '<html lang="nb">' in dumped.stdout, dumped.stdout[:200]
    assert dumped.stdout.rstrip().endswith("</html>")
    text = _visible_text(dumped.stdout)
    assert "Tildelte tilskudd" in text
    assert "4 prosjekter med 8 kommuner får 7 200 000 kr; 100 000 kr igjen av runden." in text
    assert "Publisert 28. november 2026" in text
    for heading in ("Tildelinger etter beløp", "Tildelt per fylke", "Tildelinger etter kommune"):
        assert heading in text
    assert "2021 Kárášjohka - Karasjok" in text
    # The escaped applicant text is shown as text, not run as a script.
    assert "<script>alert(1)</script>" in text
    assert "<svg" in dumped.stdout

    screenshot = tmp_path / "page.png"
    shot = _chromium(tmp_path, f"--screenshot={screenshot}", "--window-size=1200,2000", url)
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 2000)
    # A blank page compresses to almost nothing; a rendered one is tens of kilobytes.
    assert len(data) > 30_000


def test_chromium_prints_the_page_on_a4_with_the_lists(
    large_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """Printing (what an officer does with the page) keeps every row and repeats table heads."""
    pypdf = pytest.importorskip("pypdf")
    page = tmp_path / "stor.html"
    write(large_round(60), page, lang="nb")
    pdf = tmp_path / "page.pdf"
    printed = _chromium(
        tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.resolve().as_uri()
    )
    assert printed.returncode == 0, printed.stderr[-2000:]
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= 3
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    texts = [p.extract_text() for p in reader.pages]
    text = re.sub(r"\s+", " ", " ".join(texts))
    for i in (1, 30, 60):
        assert f"Prosjekt nr. {i} i" in text
    # The table head ("Søker", "Prosjekt") is repeated on pages the tables continue on.
    assert sum(1 for t in texts if "Søker" in t and "Tildelt" in t) >= 3


def _widths_at_320(result: RoundResult, tmp_path: Path) -> tuple[int, int]:
    """The page's width and the viewport's, with the page shown in a 320 px frame (headless
    Chromium keeps its window at least 500 px wide) that reports them to the frame's parent,
    whose DOM is dumped."""
    page = tmp_path / "tildeling.html"
    write(result, page, lang="nb")
    probe = (
        "<script>addEventListener('load', () => parent.postMessage("
        "document.documentElement.scrollWidth + 'x' + innerWidth, '*'))</script>"
    )
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", probe + "</body>"))
    frame = tmp_path / "frame.html"
    frame.write_text(
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe src="{page.name}" style="width:320px;height:900px;border:0"></iframe>'
        "<script>addEventListener('message', e => document.body.dataset.width = e.data)"
        "</script></body></html>"
    )
    dumped = _chromium(
        tmp_path,
        "--window-size=1280,1000",
        "--virtual-time-budget=5000",
        "--dump-dom",
        frame.resolve().as_uri(),
    )
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    found = re.search(r'data-width="(\d+)x(\d+)"', dumped.stdout)
    assert found is not None, dumped.stdout[-2000:]
    return int(found.group(1)), int(found.group(2))


def test_the_page_reflows_at_320_css_pixels_without_scrolling_sideways(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """WCAG 1.4.10 (Reflow): at 320 CSS pixels wide, what 1280 pixels at 400 % zoom gives, the
    page does not scroll sideways; a wide table scrolls in its own box."""
    scroll, viewport = _widths_at_320(small_round(), tmp_path)
    assert viewport == 320
    assert scroll <= viewport


def test_a_long_word_from_the_officer_wraps_rather_than_widen_the_page(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """A funder, programme or round named by a word longer than a phone's width (a web
    address, a name joined with underscores) is broken where it would run past the page's
    edge, instead of making the whole page scroll sideways at 320 CSS pixels."""
    long = "https://www.kommune.no/tilskudd/digitalisering_og_innovasjon_i_kommunene_2026"
    result = small_round(funder=long, programme=long.upper(), round=long[8:])
    scroll, viewport = _widths_at_320(result, tmp_path)
    assert viewport == 320
    assert scroll <= viewport
