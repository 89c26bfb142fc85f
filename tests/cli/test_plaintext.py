"""Output to a stream whose encoding lacks a character (a Windows code page, ASCII) never fails:
the character is written as its nearest plain equivalent; æøå stay where the encoding has them."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from tilskudd.cli.plaintext import plain_equivalent

from .commands import EVERY
from .entrypoint import EXAMPLE_ROUND, EXAMPLES, run_main


@pytest.mark.parametrize("encoding", ["cp850", "cp865", "cp1252"])
def test_award_table_in_a_windows_code_page(monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    code, out, err = run_main(monkeypatch, encoding, *EXAMPLE_ROUND, "--lang", "nb")
    assert code == 0, err.decode(encoding)
    text = out.decode(encoding)
    assert "Søknader" in text  # æøå as they are: every one of these code pages has them
    assert "Risør kommune" in text
    assert "eBygg - felles" in text or "eBygg – felles" in text
    assert "?" not in text.replace("??", "")  # nothing lost to a question mark


def test_award_table_in_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run_main(monkeypatch, "ascii", *EXAMPLE_ROUND, "--lang", "nb")
    assert code == 0, err
    text = out.decode("ascii")
    assert "eBygg - felles" in text
    assert "Risoer kommune" in text
    assert "ark Soeknader | overskrift i rad 3" in text


def test_error_message_in_ascii(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, out, err = run_main(
        monkeypatch, "ascii", "check", str(tmp_path / "søknad.xlsx"), "--lang", "nb"
    )
    assert code == 1
    assert out == b""
    text = err.decode("ascii")
    assert text.startswith("feil: ")
    assert "soeknad.xlsx finnes ikke" in text
    assert "uventet" not in text  # not the note of a bug


@pytest.mark.parametrize("encoding", ["ascii", "cp850"])
def test_help_in_a_narrow_encoding(monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    code, out, _ = run_main(monkeypatch, encoding, "--lang", "nb", "allocate", "--help")
    assert code == 0
    assert "tilskudd allocate" in out.decode(encoding)


@pytest.mark.parametrize("encoding", ["ascii", "cp850"])
def test_json_report_reads_back_exactly(monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    explain = ["explain", *EXAMPLE_ROUND[1:-1], "2009-013", "--lang", "nb", "--format", "json"]
    code, out, _ = run_main(monkeypatch, "utf-8", *explain)
    assert code == 0
    expected = json.loads(out.decode("utf-8"))
    assert "\u00a0kr" in json.dumps(expected, ensure_ascii=False)  # a character ASCII lacks
    code, out, _ = run_main(monkeypatch, encoding, *explain)
    assert code == 0
    assert json.loads(out.decode(encoding)) == expected  # escaped, not written plainly


@pytest.mark.parametrize(
    ("char", "encoding", "plain"),
    [
        ("–", "cp850", "-"),
        ("–", "cp1252", "-"),  # asked only for what the encoding lacks; cp1252 has it
        ("·", "ascii", "|"),
        ("…", "cp850", "..."),
        ("\u202f", "cp1252", " "),
        ("\u00a0", "ascii", " "),
        ("«", "ascii", '"'),
        ("é", "ascii", "e"),
        ("ø", "ascii", "oe"),
        ("Å", "ascii", "AA"),
        ("✓", "cp850", "v"),
        ("✓", "cp437", "√"),
        ("\udcff", "utf-8", "?"),  # a file name's undecodable byte
        ("漢", "cp1252", "?"),
    ],
)
def test_plain_equivalent(char: str, encoding: str, plain: str) -> None:
    assert plain_equivalent(char, encoding) == plain


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _table_lines(text: str) -> list[str]:
    """The award table's lines: its header, its rows and its totals, around the rules under the
    header and over the totals (``------+-----``, as rich draws them in a narrow encoding)."""
    lines = _ANSI.sub("", text).splitlines()
    rules = [k for k, line in enumerate(lines) if line and set(line) <= {"-", "+"}]
    assert len(rules) == 2, text
    first = rules[0]
    while first > 0 and "|" in lines[first - 1]:
        first -= 1
    return lines[first : rules[1] + 2]


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("columns", ["80", "120", "200"])
@pytest.mark.parametrize("encoding", ["ascii", "cp850", "cp865"])
def test_award_table_columns_line_up_in_a_narrow_encoding(
    monkeypatch: pytest.MonkeyPatch, encoding: str, columns: str, terminal: bool
) -> None:
    """ø written as oe after rich laid the table out made each row with it a character wider:
    the columns after it were shifted. Every row has its separators where the rule has them."""
    code, out, _ = run_main(
        monkeypatch,
        encoding,
        *EXAMPLE_ROUND[:-1],
        "--lang",
        "nb",
        columns=int(columns),
        terminal=terminal,
    )
    assert code == 0
    text = out.decode(encoding)
    lines = _table_lines(text)
    separators = {k for k, char in enumerate(lines[len(lines) - 2]) if char == "+"}
    assert len(separators) >= 3
    for line in lines:
        if set(line) <= {"-", "+"}:
            continue
        assert {k for k, char in enumerate(line) if char == "|"} == separators, line
        assert len(line) <= int(columns), line
    # rows with æøå (written aa in ASCII) are among them
    assert any("på" in line or "paa" in line for line in lines)
    for line in text.splitlines():
        assert len(_ANSI.sub("", line)) <= int(columns), line


def _reason_column(lines: list[str]) -> list[str]:
    return [line.rsplit("|", 1)[-1] for line in lines if "|" in line]


@pytest.mark.parametrize("encoding", ["ascii", "cp850"])
def test_amounts_are_not_broken_when_written_plainly(
    monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    """Their no-break spaces are spaces in ASCII: the reason is still wrapped between words, not
    inside an amount ("2 800" at the end of one line, "000 kr" at the start of the next)."""
    code, out, _ = run_main(monkeypatch, encoding, *EXAMPLE_ROUND[:-1], "--lang", "nb", columns=120)
    assert code == 0
    reasons = _reason_column(_table_lines(out.decode(encoding)))
    for line, after in itertools.pairwise(reasons):
        assert not (re.search(r"\d$", line) and re.match(r"\d{3}\b", after)), (line, after)


@pytest.mark.parametrize("encoding", ["ascii", "cp850", "cp865"])
def test_check_problems_line_up_in_a_narrow_encoding(
    monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    """The cell (Søknader!C3, Soeknader!C3 in ASCII) was padded to the width of its UTF-8 text:
    the problem's first line stood a column to the right of the lines it wraps onto."""
    broken = str(EXAMPLES / "broken.xlsx")
    code, out, _ = run_main(monkeypatch, encoding, "check", broken, columns=100)
    assert code == 1
    lines = out.decode(encoding).splitlines()
    start = lines.index("Errors (15)") + 1
    problems = lines[start : lines.index("", start)]
    first = [line for line in problems if not line.startswith(" ")]
    wrapped = [line for line in problems if line.startswith(" ")]
    assert first
    assert wrapped
    indents = {len(line) - len(line.lstrip(" ")) for line in wrapped}
    assert len(indents) == 1
    message_at = indents.pop()
    for line in first:
        assert line[message_at - 2 : message_at] == "  ", line
        assert line[message_at] != " ", line
        assert len(line) <= 100, line


@pytest.mark.parametrize("columns", [60, 80, 120])
@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("command", EVERY, ids=str)
@pytest.mark.parametrize("encoding", ["ascii", "cp850"])
def test_help_panels_stay_closed_in_a_narrow_encoding(
    monkeypatch: pytest.MonkeyPatch, encoding: str, command: list[str], lang: str, columns: int
) -> None:
    """BELØP written as BELOEP after typer drew its panel put the panel's right edge a column
    out on that line; so did an option's name cut short in its column (``--max-share-of-…``),
    its ``…`` written as ``...``: two columns out, at 60 columns."""
    monkeypatch.setenv("TILSKUDD_LANG", lang)
    code, out, _ = run_main(monkeypatch, encoding, *command, "--help", columns=columns)
    assert code == 0
    lines = [line for line in out.decode(encoding).splitlines() if line.strip()]
    panel = [line for line in lines if line.startswith(("|", "+"))]
    assert len(panel) > 3
    for line in panel:
        assert len(line) == columns, line
        assert line[-1] in "|+", line
    for line in lines:
        assert len(line) <= columns, line


def test_a_plain_text_keeps_its_styles_on_their_letters() -> None:
    from rich.text import Span, Text

    from tilskudd.render.plain import plain_renderable

    text = Text("Søknad på plass 2")
    text.stylize("bold", 8, 10)  # "på"
    plain = plain_renderable(text, "ascii")
    assert plain.plain == "Soeknad paa plass 2"
    assert plain.spans == [Span(9, 12, "bold")]
    assert plain_renderable(text, "cp865") is text  # nothing to change: the same object


def test_award_table_in_ascii_without_empty_columns(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Plain text from a sheet of only id, amount and score: no empty Søker / Kommuner columns."""
    sheet = tmp_path / "bare.csv"
    sheet.write_text("Søknadsnr;Omsøkt beløp;Poeng\nP-1;60000;5\nP-2;50000;4\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ("allocate", str(sheet), "--budget", "100000", "--dry-run", "--lang", "nb")
    code, out, err = run_main(monkeypatch, "ascii", *args, columns=200)
    assert code == 0, err
    header = [cell.strip() for cell in out.decode("ascii").splitlines()[0].split("|")]
    assert header == ["Plass", "Nr.", "Omsoekt", "Tildelt", "Status", "Begrunnelse"]


@pytest.mark.parametrize("encoding", ["ascii", "cp850"])
def test_a_cut_cell_keeps_its_table_square(monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    """rich ends a cell it cuts short with "…" as it lays the table out; written as "..." after,
    that row was two columns wider than the rest. Cut in the encoding's own "...": square."""
    import io
    import sys

    from rich.table import Table

    from tilskudd.cli.common import console
    from tilskudd.cli.plaintext import write_plainly

    out = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding=encoding))
    write_plainly(sys.stdout)  # as the command line sets it up
    table = Table(title="Søknader")
    table.add_column("Nr.", no_wrap=True, min_width=3)
    table.add_column("Søker", no_wrap=True, max_width=20)
    table.add_row("P-1", "Risør kommune, kulturetaten og biblioteket i samarbeid")
    table.add_row("P-2", "Ås")
    console().print(table)
    sys.stdout.flush()
    lines = [line for line in out.getvalue().decode(encoding).splitlines() if line[:1] in "|+"]
    assert len(lines) == 6  # the edges, the header, the rule under it and the two rows
    assert any(line.endswith("... |") for line in lines)
    assert len({len(line) for line in lines}) == 1, lines


@pytest.mark.parametrize("encoding", ["ascii", "cp850"])
def test_award_table_with_a_cut_cell_in_a_narrow_encoding(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, encoding: str
) -> None:
    """A project's title longer than a terminal shows is cut to it, "…" last, before the table
    is laid out: written "...", its rows still line up with the rest."""
    title = "Digitalisering av søknadsbehandling " * 12
    sheet = tmp_path / "lang.csv"
    sheet.write_text(
        "Søknadsnr;Søker;Prosjekt;Omsøkt beløp;Poeng\n"
        f"P-1;Risør kommune;{title};60000;5\nP-2;Ås kommune;Bredbånd;50000;4\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    args = ("allocate", str(sheet), "--budget", "100000", "--dry-run", "--lang", "nb")
    code, out, err = run_main(monkeypatch, encoding, *args, columns=200, terminal=True)
    assert code == 0, err
    text = out.decode(encoding)
    lines = _table_lines(text)
    assert any(re.search(r"\w\.\.\. +\|", line) for line in lines)  # the title, cut short
    separators = {k for k, char in enumerate(lines[len(lines) - 2]) if char == "+"}
    for line in lines:
        if set(line) <= {"-", "+"}:
            continue
        assert {k for k, char in enumerate(line) if char == "|"} == separators, line
    for line in text.splitlines():
        assert len(_ANSI.sub("", line)) <= 200, line
