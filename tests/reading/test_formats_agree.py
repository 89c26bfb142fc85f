"""The same applications sheet saved as .xlsx (Excel, and xlsxwriter), .xls, .ods and CSV (as
Excel saves it with Norwegian settings: ``;``, decimal comma, no-break space grouping thousands,
Windows-1252 or UTF-8) reads as the same round: the same ids, amounts and scores, and the same
decisions. A later round may be run from a CSV file of what was a workbook, and ids are matched
as text.

Each cell is given twice: as the workbook holds it, and as Excel writes it in a CSV file (a
number cell formatted as Number, ``1,00``; as Excel shows it)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
import pytest
import xlsxwriter  # type: ignore[import-untyped]
import xlwt  # type: ignore[import-untyped]

import tilskudd

from .conftest import build_ods

NBSP = "\u00a0"


class Cell(NamedTuple):
    """A cell as a workbook holds it, and as Excel writes it in a CSV file."""

    sheet: Any
    csv: str


def same(value: Any) -> Cell:
    """A cell of text, written in a CSV file as it is."""
    return Cell(value, "" if value is None else str(value))


HEADER = [same(h) for h in ("Søknadsnr", "Søker", "Omsøkt beløp", "Totalkostnad", "Poeng")]

# Ids typed as numbers in a column formatted as Number (two decimals): Excel writes 1,00 in a
# CSV file. Amounts as numbers and as text, in the forms people type.
NUMBERS = [
    HEADER,
    [
        Cell(1, "1,00"),
        same("Lag 1"),
        Cell(1e6, f"1{NBSP}000{NBSP}000,00"),
        same("kr 5 000 000"),
        Cell(6, "6"),
    ],
    [Cell(2, "2,00"), same("Lag 2"), same("1 000 000"), Cell(4_000_000, "4000000"), Cell(5, "5")],
    [Cell(3, "3,00"), same("Lag 3"), same("kr 1 000 000"), same("1 000 000,00"), Cell(4.5, "4,5")],
    [
        Cell(1234, f"1{NBSP}234,00"),
        same("Lag 4"),
        Cell(250_000, f"250{NBSP}000"),
        Cell(None, ""),
        Cell(3, "3"),
    ],
]
NUMBER_IDS = ["1", "2", "3", "1234"]

# Ids typed as text, with a space after one, a no-break space in one, a no-break hyphen (as a
# word processor puts in) in one, and a zero before the digits.
TEXTS = [
    HEADER,
    [same("S-1 "), same("Lag 1"), Cell(1_000_000, "1000000"), same(None), Cell(6, "6")],
    [same(f"S{NBSP}2"), same("Lag 2"), same("1 000 000 kr"), same(None), Cell(5, "5")],
    [same("A\u20113"), same("Lag 3"), same("kr 1.000.000,-"), same(None), Cell(4, "4")],
    [same("004"), same("Lag 4"), same("500 000"), same(None), Cell(3, "3")],
]
TEXT_IDS = ["S-1", "S 2", "A-3", "004"]


def _xlsx(path: Path, rows: list[list[Cell]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    for row in rows:
        sheet.append([cell.sheet for cell in row])
    book.save(path)
    return path


def _xlsxwriter(path: Path, rows: list[list[Cell]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Søknader")
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell.sheet is not None:
                sheet.write(r, c, cell.sheet)
    book.close()
    return path


def _xls(path: Path, rows: list[list[Cell]]) -> Path:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Søknader")
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell.sheet is not None:
                sheet.write(r, c, cell.sheet)
    book.save(str(path))
    return path


def _ods(path: Path, rows: list[list[Cell]]) -> Path:
    return build_ods(path, {"Søknader": [[cell.sheet for cell in row] for row in rows]})


def _csv(encoding: str) -> Callable[[Path, list[list[Cell]]], Path]:
    def build(path: Path, rows: list[list[Cell]]) -> Path:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        for row in rows:
            writer.writerow([cell.csv for cell in row])
        path.write_bytes(buffer.getvalue().encode(encoding))
        return path

    return build


FORMATS: dict[str, tuple[str, Callable[[Path, list[list[Cell]]], Path]]] = {
    "xlsx": ("xlsx", _xlsx),
    "xlsxwriter": ("xlsx", _xlsxwriter),
    "xls": ("xls", _xls),
    "ods": ("ods", _ods),
    "csv": ("csv", _csv("cp1252")),  # Excel's "CSV" on a Norwegian Windows
    "csv-utf8": ("csv", _csv("utf-8-sig")),  # Excel's "CSV UTF-8"
}

ROUNDS = {"number ids": (NUMBERS, NUMBER_IDS), "text ids": (TEXTS, TEXT_IDS)}


def _pairs(round_name: str) -> list[tuple[str, str]]:
    # Windows-1252 has no no-break hyphen: Excel's plain CSV writes "?" for it, and the id is
    # another. Its text ids are read from "CSV UTF-8" alone.
    names = [f for f in FORMATS if not (round_name == "text ids" and f == "csv")]
    return list(combinations(names, 2))


def _read(tmp_path: Path, name: str, rows: list[list[Cell]]) -> Any:
    suffix, build = FORMATS[name]
    checked = tilskudd.read_applications(build(tmp_path / f"{name}.{suffix}", rows))
    applications = [(a.id, a.requested, a.total_cost, a.score, a.row) for a in checked.applications]
    # A plain CSV file is said to be read as Windows-1252 (check that æ, ø and å look right).
    problems = [
        (i.code, i.location.cell if i.location else None)
        for i in checked.issues
        if i.code != "read.encoding_cp1252"
    ]
    result = tilskudd.run_round(checked, 2_000_000, tilskudd.Policy())
    decisions = [(d.application_id, d.status, d.amount) for d in result.allocation.decisions]
    return applications, problems, sorted(decisions)


@pytest.mark.parametrize(
    ("round_name", "first", "second"),
    [(r, a, b) for r in ROUNDS for a, b in _pairs(r)],
)
def test_the_same_round_reads_the_same_from_both_formats(
    tmp_path: Path, round_name: str, first: str, second: str
) -> None:
    rows, ids = ROUNDS[round_name]
    one = _read(tmp_path, first, rows)
    other = _read(tmp_path, second, rows)
    assert one == other
    applications, problems, decisions = one
    assert [a[0] for a in applications] == ids
    assert problems == []
    assert [d[0] for d in decisions] == sorted(ids)
