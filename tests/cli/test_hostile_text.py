"""What an applicant typed cannot change what a published list says about anyone else.

A sheet and a CSV file whose names, titles, ids and own columns hold bidi controls (the
"Trojan Source" trick), a terminal escape, markup and formulas go through ``allocate`` to every
output it writes; each output is read back and searched for the characters themselves.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.controls import BIDI_CONTROLS
from written import written_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

runner = CliRunner()

# Every character controls.visible shows as its code, beside the line breaks and tabs it keeps.
_RAW = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f-\x84\x86-\x9f" + BIDI_CONTROLS + "\ufff9-\ufffb]")

HOSTILE = {
    # row of small.xlsx (2 = S-01) -> (applicant, project, own column)
    2: ("Oslo\u202e kommune", "Tittel \u2066abc\u2069 slutt", "note\u202e reversed"),
    3: ("Bergen\u200f kommune\u061c", "Linje1\nLinje2\tTab | pipe", '=HYPERLINK("http://x")'),
    4: ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "@cmd"),
    5: ("[klikk](javascript:alert(1))", "**fet** `kode` &amp; <!-- c", "+SUM(1)"),
    6: ("# Overskrift", "=1+1", "-2+3"),
}


def _hostile_sheet(folder: Path) -> Path:
    book = openpyxl.load_workbook(EXAMPLES / "small.xlsx")
    sheet = book.active
    assert sheet is not None
    sheet.cell(row=1, column=10, value="Merknad")
    for number, texts in HOSTILE.items():
        for column, text in zip((2, 4, 10), texts, strict=True):
            cell = sheet.cell(row=number, column=column, value=text)
            cell.data_type = "s"  # text typed in, as a spreadsheet keeps "=1+1" typed with '
    sheet.cell(row=2, column=1).value = "S-01\u202e"
    path = folder / "søknader.xlsx"
    book.save(path)
    return path


def _hostile_csv(folder: Path) -> Path:
    with (EXAMPLES / "small.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    rows[1][1] = "Ctrl\x07bel\x1b[31mrød\x1b[0m kommune"
    rows[2][3] = "Prosjekt\x85med\u2028skift\ufeff og \x9b31m"
    path = folder / "søknader.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file, delimiter=";").writerows(rows)
    return path


def _text(path: Path) -> str:
    text = written_text(path)
    if path.suffix == ".html":
        return html.unescape(text)  # "&lt;U+202E&gt;", and "&#8238;" were it the character
    if path.suffix == ".md":
        return re.sub(r"\\(.)", r"\1", text)  # the file has \<U+202E\>
    return text


OUTPUTS = [
    ("awards.xlsx", ()),
    ("awards.csv", ()),
    ("awards.json", ()),
    ("awards.html", ()),
    ("awards.md", ()),
    ("awards.pdf", ()),
    ("g.xlsx", ("--format", "360giving", "--funder", "Difi")),
    ("g.csv", ("--format", "360giving", "--funder", "Difi")),
]


@pytest.mark.parametrize(("name", "options"), OUTPUTS)
def test_no_output_holds_a_bidi_control_from_the_sheet(
    tmp_path: Path, name: str, options: tuple[str, ...]
) -> None:
    out = tmp_path / name
    # A budget for every request: the published lists have only the awards.
    args = ["allocate", _hostile_sheet(tmp_path), "--budget", "10000000", "-o", out, *options]
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    text = _text(out)
    assert _RAW.search(text) is None, repr(_RAW.findall(text))
    assert "Oslo<U+202E> kommune" in text
    assert "Bergen<U+200F> kommune<U+061C>" in text
    if name.endswith(".json"):
        # Escaped in JSON as "\u202e" would read back as the character: read it back.
        data = json.loads(text)
        applicants = {a["applicant"] for a in data["applications"]}
        assert "Oslo<U+202E> kommune" in applicants


@pytest.mark.parametrize(("name", "options"), [("terminal", ()), *OUTPUTS])
def test_no_output_holds_a_control_character_from_a_csv_file(
    tmp_path: Path, name: str, options: tuple[str, ...]
) -> None:
    source = _hostile_csv(tmp_path)
    out = tmp_path / name
    written = () if name == "terminal" else ("-o", str(out))
    args = ["allocate", str(source), "--budget", "10000000", *written, *options]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = result.stdout if name == "terminal" else _text(out)
    assert _RAW.search(text) is None, repr(_RAW.findall(text))
    assert "<U+001B>" in text  # the escape that would recolour the terminal, shown


def test_check_warns_on_each_cell_with_a_hidden_character(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(_hostile_sheet(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    issues = json.loads(result.stdout)["issues"]
    found = {
        issue["cell"]: issue["params"]["characters"]
        for issue in issues
        if issue["code"] == "validate.hidden_characters"
    }
    assert found == {
        "Søknader!A2": ["U+202E"],
        "Søknader!B2": ["U+202E"],
        "Søknader!D2": ["U+2066", "U+2069"],
        "Søknader!J2": ["U+202E"],
        "Søknader!B3": ["U+200F", "U+061C"],
    }
    for issue in issues:
        assert issue["severity"] == "warning"


def test_check_says_it_in_norwegian(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(_hostile_sheet(tmp_path)), "--lang", "nb"])
    assert result.exit_code == 0, result.output
    assert "retningskoder og kontrolltegn" in result.stdout
    assert "«Oslo<U+202E> kommune»" in result.stdout


def test_the_comparison_workbook_shows_the_codes_and_runs_no_formula(tmp_path: Path) -> None:
    out = tmp_path / "cmp.xlsx"
    args = ["allocate", _hostile_sheet(tmp_path), "--budget", "5000000"]
    args += ["--compare", "ranked,proportional", "-o", out]
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    text = _text(out)
    assert _RAW.search(text) is None, repr(_RAW.findall(text))
    assert "Oslo<U+202E> kommune" in text
    book = openpyxl.load_workbook(out)
    formulas = [c.coordinate for s in book for r in s.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []


def test_the_ledger_its_export_and_history_show_the_codes(in_empty_folder: Path) -> None:
    assert runner.invoke(app, ["init", "--lang", "en"]).exit_code == 0
    sheet = _hostile_sheet(in_empty_folder)
    result = runner.invoke(app, ["allocate", str(sheet), "--round", "1", "--commit"])
    assert result.exit_code == 0, result.output
    for name in ("ledger.xlsx", "ledger.csv"):
        result = runner.invoke(app, ["ledger", "export", name])
        assert result.exit_code == 0, result.output
        text = _text(in_empty_folder / name)
        assert _RAW.search(text) is None, repr(_RAW.findall(text))
        assert "Oslo<U+202E> kommune" in text
        if name.endswith(".csv"):
            assert "'=1+1" in text  # S-05's title, kept from running
    book = openpyxl.load_workbook(in_empty_folder / "ledger.xlsx")
    formulas = [c.coordinate for s in book for r in s.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []
    for args in (["history", "S-01<U+202E>"], ["explain", str(sheet), "S-02", "--round", "1"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert _RAW.search(result.stdout) is None, repr(_RAW.findall(result.stdout))
    assert "Oslo<U+202E> kommune" in runner.invoke(app, ["history", "S-01<U+202E>"]).stdout
    explained = runner.invoke(app, ["explain", str(sheet), "S-02", "--round", "1"]).stdout
    assert "Bergen<U+200F> kommune<U+061C>" in explained


def test_a_title_longer_than_a_cell_is_cut_in_the_workbook_with_a_warning(tmp_path: Path) -> None:
    with (EXAMPLES / "small.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    rows[1][3] = "y" * 40_000
    source = tmp_path / "søknader.csv"
    with source.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file, delimiter=";").writerows(rows)
    out = tmp_path / "awards.xlsx"
    args = ["allocate", str(source), "--budget", "10000000", "-o", str(out), "--lang", "nb"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "D2" in result.output
    assert "er 40 000 tegn lang" in result.output.replace("\u00a0", " ")
    title = openpyxl.load_workbook(out)["Tildelinger"]["E2"].value
    assert title == "y" * 32_766 + "…"


def _sheet_with_a_control_in_an_amount(folder: Path) -> Path:
    book = openpyxl.load_workbook(EXAMPLES / "small.xlsx")
    sheet = book.active
    assert sheet is not None
    cell = sheet.cell(row=4, column=6, value="2\u202e000000")  # S-03's amount, as text
    cell.data_type = "s"
    path = folder / "søknader.xlsx"
    book.save(path)
    return path


def test_the_json_of_check_gives_the_value_of_a_cell_as_its_message_shows_it(
    tmp_path: Path,
) -> None:
    sheet = _sheet_with_a_control_in_an_amount(tmp_path)
    result = runner.invoke(app, ["check", str(sheet), "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    (issue,) = (i for i in data["issues"] if i["cell"] == "Søknader!F4")
    assert issue["value"] == "2<U+202E>000000"
    assert "'2<U+202E>000000'" in issue["message"]
    text = json.dumps(data, ensure_ascii=False)
    assert _RAW.search(text) is None, repr(_RAW.findall(text))


@pytest.mark.parametrize("name", ["awards.json", "awards.xlsx", "awards.csv"])
def test_a_rejected_row_is_listed_with_its_cell_as_check_shows_it(
    tmp_path: Path, name: str
) -> None:
    out = tmp_path / name
    args = ["allocate", _sheet_with_a_control_in_an_amount(tmp_path), "--budget", "10000000"]
    result = runner.invoke(app, [str(a) for a in [*args, "-o", out]])
    assert result.exit_code == 0, result.output
    text = _text(out)
    assert _RAW.search(text) is None, repr(_RAW.findall(text))
    assert "2<U+202E>000000" in text


def _commit_as_an_earlier_tilskudd(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Round 1 committed as tilskudd did before it showed bidi controls as codes: the ledger
    holds the applicants' text as typed (the ledger is hash-chained and is never rewritten)."""
    assert runner.invoke(app, ["init", "--lang", "en"]).exit_code == 0
    sheet = _hostile_sheet(folder)
    with monkeypatch.context() as patched:
        patched.setattr("tilskudd.validation.visible", lambda text: text)
        result = runner.invoke(app, ["allocate", str(sheet), "--round", "1", "--commit"])
    assert result.exit_code == 0, result.output
    ledger = next(folder.glob("*.sqlite"), None) or next(folder.glob("*ledger*"))
    assert "\u202e" in ledger.read_bytes().decode("utf-8", "replace")  # recorded as typed
    return sheet


def test_a_round_an_earlier_tilskudd_recorded_as_typed_is_shown_with_the_codes(
    in_empty_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = _commit_as_an_earlier_tilskudd(in_empty_folder, monkeypatch)
    for args in (["history", "927738775"], ["history", "S-01<U+202E>"], ["history", "S-01\u202e"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert _RAW.search(result.stdout) is None, repr(_RAW.findall(result.stdout))
        assert "S-01<U+202E> · Oslo<U+202E> kommune · Tittel <U+2066>abc<U+2069>" in result.stdout
    result = runner.invoke(app, ["history", "927738775", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["applicant"] == "Oslo<U+202E> kommune"
    for name in ("ledger.xlsx", "ledger.csv"):
        result = runner.invoke(app, ["ledger", "export", name])
        assert result.exit_code == 0, result.output
        text = _text(in_empty_folder / name)
        assert _RAW.search(text) is None, repr(_RAW.findall(text))
        assert "Oslo<U+202E> kommune" in text
        assert "Bergen<U+200F> kommune<U+061C>" in text
    # The sheet read again is the round the ledger holds: run, verified and explained as it.
    out = in_empty_folder / "runde1.xlsx"
    result = runner.invoke(app, ["allocate", str(sheet), "--round", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _RAW.search(result.stdout) is None, repr(_RAW.findall(result.stdout))
    text = _text(out)
    assert _RAW.search(text) is None, repr(_RAW.findall(text))
    assert "S-01<U+202E>" in text
    result = runner.invoke(app, ["verify"])
    assert result.exit_code == 0, result.output
    assert "gives the same 10 decisions" in result.stdout
    result = runner.invoke(app, ["explain", str(sheet), "S-01<U+202E>", "--round", "1"])
    assert result.exit_code == 0, result.output
    assert _RAW.search(result.stdout) is None, repr(_RAW.findall(result.stdout))
