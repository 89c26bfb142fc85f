"""The same problem in many cells of a column is one line of the terminal report, for ``check``
and ``allocate`` alike; ``--format json`` keeps one problem per cell.

The Research Council's sheet has ``0`` for "no organisation number" in 49 rows: 49 lines the
same buried the two problems that mattered.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app

runner = CliRunner()

ZEROS = 40  # rows with organisation number 0, the same warning each


def invoke(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout


def flat(text: str) -> str:
    """The text with its lines joined: a message wraps in its column at any terminal width."""
    return " ".join(text.split())


def write_sheet(path: Path, *, shuffle: bool = False) -> Path:
    """40 applications with organisation number 0 (rows 2-41 in order), one with an orgnr of 5
    digits (row 42: an error), one with the amount 'abc' (row 43: an error)."""
    rows = [f"S-{n};Lag {n};0;{1000 * n};{n % 5}" for n in range(1, ZEROS + 1)]
    rows.append("S-41;Lag 41;12345;1000;3")
    rows.append("S-42;Lag 42;974760673;abc;3")
    if shuffle:
        random.Random(7).shuffle(rows)
    path.write_text("ID;Søker;Orgnr;Omsøkt beløp;Poeng\n" + "\n".join(rows) + "\n", "utf-8")
    return path


WORDS = {
    "en": {
        "same": "'0' is not an organisation number",
        "cells": f"({ZEROS} cells: C2, C3, C4, C5, C6, C7, C8, C9, C10, C11 and 30 more)",
        "once": "'12345' is not an organisation number: expected 9 digits, found 5",
        "warnings": f"Warnings ({ZEROS})",
        "more": "more not shown",
    },
    "nb": {
        "same": "«0» er ikke et organisasjonsnummer",
        "cells": f"({ZEROS} celler: C2, C3, C4, C5, C6, C7, C8, C9, C10, C11 og 30 til)",
        "once": "«12345» er ikke et organisasjonsnummer: forventet 9 sifre, fant 5",
        "warnings": f"Advarsler ({ZEROS})",
        "more": "til vises ikke",
    },
}


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize("command", ["check", "allocate"])
def test_the_same_warning_in_many_cells_is_one_line(
    tmp_path: Path, lang: str, command: str
) -> None:
    sheet = write_sheet(tmp_path / "runde.csv")
    extra = ["--budget", "100000", "--dry-run"] if command == "allocate" else []
    code, out = invoke(command, sheet, "--lang", lang, *extra)
    words = WORDS[lang]
    assert code == (1 if command == "check" else 0)
    assert out.count(words["same"]) == 1
    text = flat(out)
    # The line is at its first cell, with the message as before, then the cells and how many.
    assert f"C2 Orgnr {words['same']}" in text
    assert words["cells"] in text
    assert words["warnings"] in text  # the count is of problems, not of lines
    # The problem found once reads as it did: its cell, its column, its message, no count.
    assert f"C42 Orgnr {words['once']} D43" in text


def test_the_cells_are_listed_by_row_whatever_the_row_order(tmp_path: Path) -> None:
    code, out = invoke("check", write_sheet(tmp_path / "b.csv", shuffle=True), "--lang", "en")
    assert code == 1
    text = flat(out)
    assert text.count("'0' is not an organisation number") == 1
    # Other rows hold the zeros after the shuffle: the first ten of them, in row order.
    cells = text.split(f"({ZEROS} cells: ")[1].split(" and 30 more)")[0]
    rows = [int(cell.strip(",")[1:]) for cell in cells.split()]
    assert len(rows) == 10
    assert rows == sorted(rows)
    assert text.index(f"({ZEROS} cells: C{rows[0]},") > text.index(f"C{rows[0]} Orgnr")


def test_different_values_and_columns_stay_apart(tmp_path: Path) -> None:
    sheet = tmp_path / "runde.csv"
    sheet.write_text(
        "ID;Søker;Orgnr;Omsøkt beløp;Poeng\n"
        "S-1;A;0;100;5\nS-2;B;0;100;4\nS-3;C;00;100;3\nS-4;D;00;100;2\nS-5;E;0;100;1\n",
        "utf-8",
    )
    code, out = invoke("check", sheet, "--lang", "en")
    assert code == 0
    text = flat(out)
    assert "'0' is not an organisation number" in text
    assert "(3 cells: C2, C3 and C6)" in text
    assert "(2 cells: C4 and C5)" in text
    # Each line where its first problem is: the zeros (row 2) before the double zeros (row 4).
    assert text.index("(3 cells") < text.index("(2 cells")


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_limit_counts_lines_and_the_rest_counts_problems(tmp_path: Path, lang: str) -> None:
    sheet = write_sheet(tmp_path / "runde.csv")
    code, out = invoke("check", sheet, "--lang", lang, "--limit", "1")
    assert code == 1
    words = WORDS[lang]
    text = flat(out)
    # One line of each list: the first error, and the one line of all 40 warnings.
    assert words["once"] in text
    assert "D43" not in text
    assert f"1 {words['more']}" in text  # the second error
    assert words["cells"] in text
    assert text.count(words["more"]) == 1  # nothing of the warnings is left out


def test_json_keeps_one_problem_per_cell(tmp_path: Path) -> None:
    sheet = write_sheet(tmp_path / "runde.csv")
    code, out = invoke("check", sheet, "--format", "json")
    assert code == 1
    issues = json.loads(out)["issues"]
    zeros = [i for i in issues if i["code"] == "validate.orgnr_placeholder"]
    assert [i["cell"] for i in zeros] == [f"C{row}" for row in range(2, ZEROS + 2)]
    assert len(issues) == ZEROS + 2
