"""A formula's cached result reads the same from .xlsx, .xls and .xlsb: a number or text as that
value, an error as an error on its cell (it reads as an empty cell in calamine), text "" as an
empty cell, a truth value as what it is (no amount). A formula without a result is a problem
named on its cell in an .xlsx; an .xls and an .xlsb keep a result with every formula (a program
that never calculated writes "" there: an .xls from xlwt reads as empty cells, as an .xlsx
formula calculated to "" does, and a warning names them, since Excel would show their value)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwt  # type: ignore[import-untyped]
from xlwt import CompoundDoc

from tilskudd.issues import describe_issue
from tilskudd.reading import read_table
from tilskudd.validation import validate

from .xlsb_files import FormulaBool, FormulaError, FormulaNumber, FormulaText, xlsb_bytes

HEADER = ["Søknadsnr", "Søker", "Omsøkt beløp", "Totalkostnad"]
FIRST = ["S-1", "Moss kommune", 100_000]
SECOND = ["S-2", "Rygge kommune", 200_000, 1_000_000]

# The result S-1's total cost (D2, =C2*5) has, and what reading it gives: its total cost, or the
# problem on D2.
RESULTS: list[tuple[str, Any, int | None, str | None]] = [
    ("number", 500_000.0, 500_000, None),
    ("text", "500000", 500_000, None),
    ("empty text", "", None, None),
    ("error", "#N/A", None, "validate.cell_error_formula"),
    ("truth value", True, None, "validate.amount_invalid"),
]


def _xlsx(path: Path, kind: str, value: Any) -> Path:
    """An .xlsx as Excel saves one it has calculated (no request to recalculate on opening)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    for row in (HEADER, [*FIRST, 0], SECOND):
        sheet.append(row)
    book.save(path)
    cell = {
        "number": f"<v>{value}</v>",
        "text": f'<v>{value}</v>" t="str',
        "empty text": '<v></v>" t="str',
        "error": f'<v>{value}</v>" t="e',
        "truth value": '<v>1</v>" t="b',
    }[kind]
    body, _, kind_attr = cell.partition('" t="')
    typed = f' t="{kind_attr}"' if kind_attr else ""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    start = xml.index('<c r="D2"')
    end = xml.index("</c>", start) + len("</c>")
    xml = xml[:start] + f'<c r="D2"{typed}><f>C2*5</f>{body}</c>' + xml[end:]
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b' fullCalcOnLoad="1"', b"")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


_ERRORS = {"#N/A": 0x2A}


def _xls(path: Path, kind: str, value: Any) -> Path:
    """An .xls whose D2 holds =C2*5 with ``value`` as its result, in the FORMULA record as Excel
    stores it: a number in its 8 bytes, else a type (0 text, in a STRING record after it; 1 a
    truth value; 2 an error; 3 empty text) and 0xFFFF. xlwt writes every result as empty text."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("Søknader")
    for r, row in enumerate((HEADER, FIRST, SECOND)):
        for c, cell in enumerate(row):
            sheet.write(r, c, cell)
    sheet.write(1, 3, xlwt.Formula("C2*5"))
    stream = bytearray(book.get_biff_data())
    empty = b"\x03\x00\x00\x00\x00\x00\xff\xff"
    at = stream.find(empty)
    assert at > 0
    assert stream.find(empty, at + 1) < 0
    after = b""
    if kind == "number":
        stream[at : at + 8] = struct.pack("<d", value)
    elif kind == "text":
        stream[at : at + 8] = b"\x00\x00\x00\x00\x00\x00\xff\xff"
        text = struct.pack("<HB", len(value), 1) + value.encode("utf-16-le")
        after = struct.pack("<HH", 0x0207, len(text)) + text
    elif kind == "error":
        stream[at : at + 8] = bytes([2, 0, _ERRORS[value], 0, 0, 0, 0xFF, 0xFF])
    elif kind == "truth value":
        stream[at : at + 8] = bytes([1, 0, int(value), 0, 0, 0, 0xFF, 0xFF])
    if after:
        # The FORMULA record's header is 4 bytes before its row, column and style (6 bytes).
        start = at - 10
        kind_id, size = struct.unpack_from("<HH", stream, start)
        assert kind_id == 0x0006
        # The sheet is the workbook's last substream: nothing after it is found by its offset.
        stream[start + 4 + size : start + 4 + size] = after
    with path.open("wb") as handle:
        CompoundDoc.XlsDoc().save(handle, bytes(stream))
    return path


def _xlsb(path: Path, kind: str, value: Any) -> Path:
    cell = {
        "number": lambda: FormulaNumber(value),
        "text": lambda: FormulaText(value),
        "empty text": lambda: FormulaText(value),
        "error": lambda: FormulaError(value),
        "truth value": lambda: FormulaBool(value),
    }[kind]()
    path.write_bytes(xlsb_bytes({"Søknader": [HEADER, [*FIRST, cell], SECOND]}))
    return path


@pytest.mark.parametrize("suffix", ["xlsx", "xls", "xlsb"])
@pytest.mark.parametrize(("kind", "value", "total_cost", "problem"), RESULTS)
def test_a_formulas_result_reads_the_same_in_every_format(
    tmp_path: Path, suffix: str, kind: str, value: Any, total_cost: int | None, problem: str | None
) -> None:
    build = {"xlsx": _xlsx, "xls": _xls, "xlsb": _xlsb}[suffix]
    checked = validate(read_table(build(tmp_path / f"søknader.{suffix}", kind, value)))
    problems = [
        (issue.code, issue.location.cell if issue.location else None) for issue in checked.issues
    ]
    if kind == "error" and suffix != "xlsx":
        # The formula's text is kept in Excel's token form, not decoded: that a formula
        # failed is said, and what to do, as for an .xlsx (not "type the value" over it).
        problem = "validate.cell_error_formula_unread"
    if kind == "empty text" and suffix == "xls":
        # The same empty cell, but a warning too: an .xls formula that was never calculated
        # is saved so (see test_an_xls_formula_never_calculated_is_named).
        assert problems == [("read.formula_empty_text", "Søknader!D2")]
        problems = []
    if problem is None:
        assert problems == []
        assert [(a.id, a.total_cost) for a in checked.applications] == [
            ("S-1", total_cost),
            ("S-2", 1_000_000),
        ]
    else:
        assert problems == [(problem, "Søknader!D2")]
        assert [a.id for a in checked.applications] == ["S-2"]


def test_an_xlsx_formula_without_a_result_is_named(tmp_path: Path) -> None:
    """The one case the binary formats cannot have: a formula with no result at all."""
    path = _xlsx(tmp_path / "søknader.xlsx", "number", 0)
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"<f>C2*5</f><v>0</v>", b"<f>C2*5</f>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    checked = validate(read_table(path))
    assert [(i.code, i.location.cell if i.location else None) for i in checked.issues] == [
        ("validate.formula_without_value", "Søknader!D2")
    ]


@pytest.mark.parametrize("suffix", ["xls", "xlsb"])
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "the cell shows the error #N/A (its formula failed); correct the formula"),
        ("nb", "cellen viser feilen #N/A (formelen i den feilet); rett formelen"),
    ],
)
def test_a_failed_formula_in_a_binary_workbook_is_said_to_be_one(
    tmp_path: Path, suffix: str, lang: str, said: str
) -> None:
    """It was told as an error typed in, "type the value": over a formula that failed."""
    build = {"xls": _xls, "xlsb": _xlsb}[suffix]
    checked = validate(read_table(build(tmp_path / f"søknader.{suffix}", "error", "#N/A")))
    (issue,) = checked.issues
    assert said in describe_issue(issue, lang)


def _never_calculated_xls(path: Path, formulas: int) -> Path:
    """An .xls as xlwt writes it: S-1 .. S-n, each total cost a formula (=C*5) never calculated."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("Søknader")
    for c, header in enumerate(HEADER):
        sheet.write(0, c, header)
    for r in range(1, formulas + 1):
        for c, value in enumerate([f"S-{r}", f"Lag {r}", 100_000]):
            sheet.write(r, c, value)
        sheet.write(r, 3, xlwt.Formula(f"C{r + 1}*5"))
    # A formula beside the table (no header over it) is no application's value.
    sheet.write(1, 6, xlwt.Formula("C2*2"))
    book.save(str(path))
    return path


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            "the formulas in 2 cells have empty text as their saved value and are read as empty:"
            " D2 and D3. A program that writes .xls files without calculating them saves every"
            " formula so: if Excel shows a value there, open the file in Excel, save it, and read"
            " it again",
        ),
        (
            "nb",
            "formlene i 2 celler har tom tekst som lagret verdi og leses som tomme: D2 og D3. Et"
            " program som skriver .xls-filer uten å regne dem ut, lagrer alle formler slik: viser"
            " Excel en verdi der, åpne filen i Excel, lagre den og les den på nytt",
        ),
    ],
)
def test_an_xls_formula_never_calculated_is_named(tmp_path: Path, lang: str, said: str) -> None:
    """It read as an empty total cost, and nothing was said: the share-of-cost cap unapplied,
    where Excel shows 500 000 once it has calculated the sheet."""
    checked = validate(read_table(_never_calculated_xls(tmp_path / "søknader.xls", 2)))
    (issue,) = checked.issues
    assert (issue.code, issue.severity.value) == ("read.formula_empty_text", "warning")
    assert issue.location is not None
    assert issue.location.cell == "Søknader!D2"
    assert said in describe_issue(issue, lang)
    assert [(a.id, a.total_cost) for a in checked.applications] == [("S-1", None), ("S-2", None)]


def test_many_xls_formulas_never_calculated_are_one_warning(tmp_path: Path) -> None:
    checked = validate(read_table(_never_calculated_xls(tmp_path / "søknader.xls", 12)))
    (issue,) = checked.issues
    assert issue.code == "read.formula_empty_text_more"
    assert issue.params["cells"] == [f"D{row}" for row in range(2, 12)]
    assert (issue.params["count"], issue.params["more"]) == (12, 2)
    assert "2 more not listed" in describe_issue(issue, "en")
