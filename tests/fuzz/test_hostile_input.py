"""Hostile input, generated: every file, policy and option value ends in words, never a traceback.

Each property builds input an officer's files and fingers could produce (a workbook with errors,
dates and merged cells where amounts should be; a CSV file in another encoding, with a quote left
open; a damaged zip; a policy file typed wrong; an option value mistyped) and runs it through the
library (read, validate, allocate) and the command line. What must hold, whatever the input:

- the library raises only tilskudd's own errors (:class:`~tilskudd.errors.TilskuddError`);
- the command exits 0, 1 or 2 as documented, never 3 (a bug) and never with a traceback;
- an allocation that ran holds ``budget == awarded + unallocated``.

The example counts keep the suite fast; ``TILSKUDD_FUZZ_EXAMPLES=5000`` runs them long.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.errors import TilskuddError
from tilskudd.models import Policy
from tilskudd.pipeline import read_applications, run_round

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

_FEW = int(os.environ.get("TILSKUDD_FUZZ_EXAMPLES", "0"))


def fuzz(examples: int) -> settings:
    """Hypothesis settings for a property run ``examples`` times (more when asked to run long)."""
    return settings(
        max_examples=_FEW or examples,
        # The suite runs the same examples every time (one reading that aborted the process,
        # as a far cell once did, would end the run); run long, each run finds new ones.
        derandomize=not _FEW,
        database=None if not _FEW else settings.default.database,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
        ],
    )


runner = CliRunner()

# --- what cells hold ------------------------------------------------------------------------

HEADERS = [
    "ID",
    "Søker",
    "Organisasjonsnummer",
    "Prosjekt",
    "Kommuner",
    "Fylke",
    "Omsøkt beløp",
    "Totalkostnad",
    "Poeng",
    "Rangering",
    "Kategori",
    "Vedtak",
    "Vedtaksbeløp",
    "Begrunnelse",
    "Merknad",
    "Valuta",
    "",
]

TEXTS = st.sampled_from(
    [
        "",
        " ",
        "NaN",
        "nan",
        "inf",
        "-inf",
        "Infinity",
        "-0",
        "-0,0",
        "0",
        "1e400",
        "1e-400",
        "9" * 40,
        "-1",
        "3,300",
        "kr 3.300.000,-",
        "3 300 000",
        "20M",
        "1 mrd",
        "2 G",
        "85 %",
        "4,5",
        "04.05.2025",
        "974760673",
        "974 760 673",
        "NO 974 760 673 MVA",
        "Bærum",
        "Herøy",
        "Oslo, Bærum og Asker",
        "Hele landet",
        "0301",
        "Akershus",
        "innvilg",
        "avslå",
        "reserve",
        "fund",
        "#REF!",
        "#N/A",
        "=SUM(A1:A3)",
        "Sum",
        "Delsum kultur",
        "EUR",
        "NOK",
        "\u200b",
        "\u00ad1\u00ad000",
        "１２３",
        "٣٤٥",
        "x" * 5000,
        "a\tb",
        "a\nb",
        "\x00",
        "\x07bell",
        "\ufeffBOM",
        "\ud7ff",
        "S-01",
        "S-01 (A17)",
    ]
)

FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)
CELL = st.one_of(
    st.none(),
    TEXTS,
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, -0.0, 0.0, 1e308, -1e308, 5e-324, 2**53 + 1, 10**15, 385000.00000000006]),
    FLOATS,
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31)),
    st.times(),
    st.sampled_from(["#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]),
    st.sampled_from(["=1/0", "=A2*2", "=SUBTOTAL(9,F2:F9)", "=NA()", '=""', "=B2&C2"]),
)


def _cell_value(value: Any) -> Any:
    """``value`` as openpyxl takes it: characters XML cannot hold left out, NaN as text."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)  # openpyxl writes NaN and infinity as XML a reader refuses
    return value


PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "ID": st.integers(1, 30).map(lambda n: f"S-{n:02}"),
    "Søker": st.sampled_from(["Moss kommune", "Bærum kommune", "Lag og forening"]),
    "Organisasjonsnummer": st.sampled_from(["974760673", "927738775", "943383499", None]),
    "Prosjekt": st.sampled_from(["Felles arkiv", "eByggesak", "Digital dialog"]),
    "Kommuner": st.sampled_from(["Bærum", "Moss", "0301", "Tromsø, Balsfjord", "Herøy", None]),
    "Fylke": st.sampled_from(["Akershus", "03", "Troms", None]),
    "Omsøkt beløp": st.integers(0, 3_000_000),
    "Totalkostnad": st.one_of(st.none(), st.integers(0, 20_000_000)),
    "Poeng": st.one_of(st.none(), st.integers(0, 100), st.decimals(0, 10, places=1).map(str)),
    "Rangering": st.one_of(st.none(), st.integers(1, 10)),
    "Kategori": st.sampled_from(["Kultur", "Idrett", None]),
    "Vedtak": st.sampled_from([None, None, "innvilg", "avslå", "reserve"]),
    "Vedtaksbeløp": st.one_of(st.none(), st.integers(0, 3_000_000)),
    "Begrunnelse": st.sampled_from([None, "Godt prosjekt"]),
}
"""Cells that read as they should, column by column: most rows are mostly these, so that the
hostile cells among them reach validation and the allocation, not only the search for a header."""


@st.composite
def table_rows(draw: st.DrawFn, header: Sequence[str], height: int) -> list[list[Any]]:
    """``height`` rows under ``header``: plausible cells with hostile ones among them."""
    hostile = draw(st.sampled_from([0.0, 0.1, 0.3, 1.0]))
    rows = []
    for _ in range(height):
        row = []
        for name in header:
            plausible = PLAUSIBLE.get(name)
            if plausible is None or draw(st.floats(0, 1)) < hostile:
                row.append(draw(CELL))
            else:
                row.append(draw(plausible))
        row += draw(st.lists(CELL, max_size=2 if draw(st.integers(0, 4)) == 0 else 0))
        rows.append(row)
    return rows


def some_header(draw: st.DrawFn) -> list[str]:
    """A header row: most often one a round has, in any order, sometimes any columns at all."""
    if draw(st.integers(0, 3)):
        names = ["ID", "Søker", "Prosjekt", "Kommuner", "Omsøkt beløp"]
        names += draw(st.lists(st.sampled_from(HEADERS), max_size=5, unique=True))
        names = [n for n in dict.fromkeys(names) if n]
        return list(draw(st.permutations(names)))
    width = draw(st.integers(min_value=0, max_value=9))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    if width and draw(st.booleans()):
        header[0] = "Omsøkt beløp"
    return header


@st.composite
def sheet_spec(draw: st.DrawFn) -> dict[str, Any]:
    """One sheet: a header (perhaps not in row 1), rows of random cells, merges, hidden rows."""
    header = some_header(draw)
    rows = draw(table_rows(header, draw(st.integers(min_value=0, max_value=8))))
    return {
        "title": draw(st.sampled_from(["Søknader", "Ark1", "Instruksjoner", "Kultur", "Sheet"])),
        "above": draw(st.integers(min_value=0, max_value=3)),
        "header": header,
        "rows": rows,
        "hidden_state": draw(st.sampled_from(["visible", "visible", "hidden", "veryHidden"])),
        "merges": draw(
            st.lists(
                st.tuples(
                    st.integers(1, 12), st.integers(1, 10), st.integers(0, 4), st.integers(0, 3)
                ),
                max_size=3,
            )
        ),
        "hidden_rows": draw(st.lists(st.integers(1, 12), max_size=3)),
        "far": draw(st.sampled_from([None, None, None, "Z200", "AA1000"])),
    }


def write_workbook(path: Path, sheets: Sequence[dict[str, Any]]) -> None:
    """The sheets specified, written by openpyxl as ``path``."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for number, spec in enumerate(sheets):
        sheet = book.create_sheet(f"{spec['title']}{number}")
        for row, values in enumerate(
            [spec["header"], *spec["rows"]], start=1 + spec["above"] if spec["header"] else 1
        ):
            for column, value in enumerate(values, start=1):
                sheet.cell(row=row, column=column, value=_cell_value(value))
        taken: set[tuple[int, int]] = set()
        for row, column, down, right in spec["merges"]:
            cells = {
                (r, c)
                for r in range(row, row + down + 1)
                for c in range(column, column + right + 1)
            }
            if (down or right) and not cells & taken:
                taken |= cells
                sheet.merge_cells(
                    start_row=row,
                    start_column=column,
                    end_row=row + down,
                    end_column=column + right,
                )
        for row in spec["hidden_rows"]:
            sheet.row_dimensions[row].hidden = True
        if spec["far"]:
            sheet[spec["far"]] = 1
        sheet.sheet_state = spec["hidden_state"]
    if not book.worksheets:
        book.create_sheet("Tom")
    if all(sheet.sheet_state != "visible" for sheet in book.worksheets):
        book.worksheets[0].sheet_state = "visible"
    book.save(path)


WORKBOOKS = st.lists(sheet_spec(), min_size=0, max_size=3)

# --- the library ----------------------------------------------------------------------------


def read_and_allocate(path: Path, *, display_name: str, budget: int = 1_000_000) -> None:
    """Read ``path`` and allocate ``budget``: tilskudd's own errors only, and the budget holds."""
    for rule in (None, "ranked"):
        refusal = ""
        try:
            checked = read_applications(path, display_name=display_name, rule=rule)
        except TilskuddError as refused:
            refusal = str(refused)
        if refusal:
            event(f"refused: {refusal.replace(display_name, 'F')[:50]}")
            assert display_name in refusal, "a refusal names the file"
            assert "Traceback" not in refusal
            return
        codes = [issue.code for issue in checked.issues]
        assert "validate.model" not in codes, checked.issues
        event(f"read: {len(checked.applications)} valid, {len(checked.rejected)} rejected")
        result = run_round(checked, budget, Policy(rule=rule or "proportional"))
        allocation = result.allocation
        assert allocation.budget == allocation.awarded + allocation.unallocated == budget
        decided = [d.application_id for d in allocation.decisions]
        assert len(decided) == len(checked.applications) + len(checked.rejected)


# --- the command line -----------------------------------------------------------------------


def run_cli(*args: object) -> tuple[int, str]:
    """Run the command, and return its exit code and everything it said."""
    result = runner.invoke(app, [str(a) for a in args], catch_exceptions=True)
    said = result.stdout + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, said


def assert_said_plainly(code: int, said: str, allowed: Sequence[int] = (0, 1)) -> None:
    assert code in allowed, said
    assert "Traceback" not in said, said
    assert "bug in tilskudd" not in said.lower(), said
    assert "feil i tilskudd" not in said.lower(), said
    if code != 0:
        assert said.strip(), "a refusal says why"


# --- workbooks ------------------------------------------------------------------------------


@fuzz(25)
@given(sheets=WORKBOOKS)
def test_any_workbook_reads_to_applications_or_an_error(tmp_path: Path, sheets: Any) -> None:
    path = tmp_path / "søknader.xlsx"
    write_workbook(path, sheets)
    read_and_allocate(path, display_name="søknader.xlsx")


@fuzz(15)
@given(sheets=WORKBOOKS, command=st.sampled_from(["check", "allocate"]))
def test_any_workbook_is_checked_and_allocated_without_a_traceback(
    quiet_cli: Path, sheets: Any, command: str
) -> None:
    path = quiet_cli / "søknader.xlsx"
    write_workbook(path, sheets)
    extra = ["--budget", "1M", "--dry-run"] if command == "allocate" else []
    code, said = run_cli(command, path.name, *extra)
    assert_said_plainly(code, said)


# --- CSV files ------------------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "mac_roman", "latin-1"]


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    """A delimited text file as people and programs save them, and as they break them."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|", " "]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    header = some_header(draw)
    rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in draw(table_rows(header, draw(st.integers(min_value=0, max_value=8))))
    ]
    lines = []
    for fields in [header, *rows]:
        cells = []
        for field in fields:
            quote = draw(st.sampled_from(["", "", "", "", "", '"', 'open"', "doubled"]))
            if quote == '"':
                field = '"' + field.replace('"', '""') + '"'
            elif quote == 'open"':
                field = '"' + field
            elif quote == "doubled":
                field = field + '""'
            cells.append(field)
        lines.append(delimiter.join(cells))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors=draw(st.sampled_from(["replace", "ignore"])))
    damage = draw(st.sampled_from(["none", "none", "none", "none", "nul", "truncate", "bytes"]))
    if damage == "nul" and data:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    elif damage == "truncate" and data:
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "bytes":
        data += draw(st.binary(max_size=20))
    return data


@fuzz(40)
@given(data=csv_bytes(), suffix=st.sampled_from([".csv", ".tsv", ".txt"]))
def test_any_csv_file_reads_to_applications_or_an_error(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"søknader{suffix}"
    path.write_bytes(data)
    read_and_allocate(path, display_name=path.name)


@fuzz(15)
@given(data=csv_bytes(), command=st.sampled_from(["check", "allocate"]))
def test_any_csv_file_is_checked_and_allocated_without_a_traceback(
    quiet_cli: Path, data: bytes, command: str
) -> None:
    path = quiet_cli / "søknader.csv"
    path.write_bytes(data)
    extra = ["--budget", "1M", "--dry-run"] if command == "allocate" else []
    code, said = run_cli(command, path.name, *extra)
    assert_said_plainly(code, said)


# --- damaged files --------------------------------------------------------------------------

SMALL_XLSX = (EXAMPLES / "small.xlsx").read_bytes()


def _rezipped(data: bytes, member_damage: int, seed: int) -> bytes:
    """``data`` (an xlsx) with one member's bytes cut short or changed, zipped again."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        hit = names[seed % len(names)]
        for name in names:
            content = source.read(name)
            if name == hit and content:
                at = member_damage % len(content)
                content = content[:at] if seed % 2 else content[:at] + b"<\x00&" + content[at:]
            target.writestr(name, content)
    return out.getvalue()


@st.composite
def damaged_workbook(draw: st.DrawFn) -> bytes:
    how = draw(st.sampled_from(["truncate", "flip", "member", "drop"]))
    data = SMALL_XLSX
    if how == "truncate":
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "flip":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    if how == "member":
        return _rezipped(data, draw(st.integers(0, 10**6)), draw(st.integers(0, 10**6)))
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    drop = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            if name != drop:
                target.writestr(name, source.read(name))
    return out.getvalue()


@fuzz(40)
@given(data=damaged_workbook(), suffix=st.sampled_from([".xlsx", ".xlsm", ".ods", ".xlsb"]))
def test_a_damaged_workbook_reads_to_applications_or_an_error(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"søknader{suffix}"
    path.write_bytes(data)
    read_and_allocate(path, display_name=path.name)


@fuzz(15)
@given(data=damaged_workbook())
def test_a_damaged_workbook_is_refused_without_a_traceback(quiet_cli: Path, data: bytes) -> None:
    path = quiet_cli / "søknader.xlsx"
    path.write_bytes(data)
    code, said = run_cli("allocate", path.name, "--budget", "5M", "--dry-run")
    assert_said_plainly(code, said)


@fuzz(25)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".xlsx", ".xls", ".ods", ".csv"]))
def test_any_bytes_read_to_applications_or_an_error(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"søknader{suffix}"
    path.write_bytes(data)
    read_and_allocate(path, display_name=path.name)


# --- policy files and option values ---------------------------------------------------------

# Every setting of the policy model (a new one is fuzzed without a list to update), a key of the
# programme file's that is no policy setting, and one nobody knows.
POLICY_KEYS = [*Policy.model_fields, "budget", "ukjent"]

TOML_VALUES = st.one_of(
    st.sampled_from(
        [
            '"ranked"',
            '"proportional"',
            '"optimal"',
            '"lottery"',
            '"skip"',
            '"stop"',
            '"partial"',
            '"20 %"',
            '"120 %"',
            '"-5 %"',
            '"0,2"',
            '"1000"',
            '"3,300"',
            '"20M"',
            '"2 G"',
            "nan",
            "inf",
            "-inf",
            "-0",
            "0",
            "1e400",
            "0.2",
            "true",
            "1979-05-27",
            "[]",
            '["requested asc", "id asc"]',
            '["nope"]',
            "[1, 2]",
            "{}",
            '{ category = "Kultur", max_share = "40 %" }',
            '[{ category = "Kultur", max_share = "40 %" }]',
            '[{ county = "03", min = "1M" }]',
            "[{ }]",
            '"score"',
            '"none"',
            '"count"',
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=10).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
)


@st.composite
def policy_text(draw: st.DrawFn) -> str:
    """A policy file, mostly well-formed TOML with wrong values, sometimes not TOML at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=60))
    table = draw(st.sampled_from(["[policy]", "[policy]", "", "[ramme]", "[policy.quotas]"]))
    lines = [table]
    for key in draw(st.lists(st.sampled_from(POLICY_KEYS), max_size=6)):
        lines.append(f"{key} = {draw(TOML_VALUES)}")
    return "\n".join(lines) + "\n"


@fuzz(40)
@given(text=policy_text(), lang=st.sampled_from(["nb", "en"]))
def test_any_policy_file_is_used_or_refused_without_a_traceback(
    quiet_cli: Path, text: str, lang: str
) -> None:
    policy = quiet_cli / "policy.toml"
    policy.write_text(text, encoding="utf-8")
    code, said = run_cli(
        "allocate",
        EXAMPLES / "small.xlsx",
        "--budget",
        "5M",
        "--policy",
        policy.name,
        "--dry-run",
        "--lang",
        lang,
    )
    assert_said_plainly(code, said, allowed=(0, 1, 2))


OPTION_WORDS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-0",
            "-1",
            "1",
            "20M",
            "5 000 000",
            "kr 5.000.000,-",
            "3,300",
            "1e9",
            "1e400",
            "nan",
            "inf",
            "9" * 30,
            "20 %",
            "0,2",
            "200 %",
            "-5 %",
            "%",
            "2 G",
            "1 mrd",
            "abc",
            "--budget",
            "-",
            "\x00",
            "١٠٠٠",
            "１０００",
        ]
    ),
    st.text(max_size=12),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
)

AMOUNT_OPTIONS = [
    "--budget",
    "--round-to",
    "--max-share-of-cost",
    "--min-award",
    "--max-award",
    "--per-applicant-max",
    "--min-score",
    "--reserve",
    "--seed",
    "--lottery-band",
    "--limit",
    "--sheet",
    "--rule",
    "--register",
    "--at-line",
    "--tie-break",
    "--weight",
    "--currency",
    "--compare",
    "--compare-budget",
]


@fuzz(50)
@given(
    options=st.lists(st.tuples(st.sampled_from(AMOUNT_OPTIONS), OPTION_WORDS), max_size=4),
    file=st.sampled_from(["small.xlsx", "small.csv", "difi_2009_runde1.xlsx"]),
    command=st.sampled_from(["allocate", "check"]),
)
def test_any_option_value_is_used_or_refused_without_a_traceback(
    quiet_cli: Path, options: list[tuple[str, str]], file: str, command: str
) -> None:
    words: list[str] = []
    for option, value in options:
        words += [option, value]
    if command == "allocate":
        words += ["--dry-run"]
        if not any(option == "--budget" for option, _ in options):
            words += ["--budget", "5M"]
    code, said = run_cli(command, EXAMPLES / file, *words)
    assert_said_plainly(code, said, allowed=(0, 1, 2))


# --- paths that are no file -----------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "allocate"])
def test_a_folder_given_as_the_file_is_refused_plainly(quiet_cli: Path, command: str) -> None:
    folder = quiet_cli / "søknader.xlsx"
    folder.mkdir()
    extra = ["--budget", "1M"] if command == "allocate" else []
    code, said = run_cli(command, folder.name, *extra)
    assert code == 1
    assert_said_plainly(code, said)
    assert "søknader.xlsx is a folder, not a file." in said


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".ods", ".xls"])
def test_an_unreadable_file_is_refused_plainly(
    quiet_cli: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    path = quiet_cli / f"søknader{suffix}"
    path.write_bytes((EXAMPLES / "small.xlsx").read_bytes())
    path.chmod(0)
    opened = Path.open

    def refused(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == path.name:  # as for anyone but root, who reads any file
            raise PermissionError(13, "Permission denied", str(self))
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refused)
    code, said = run_cli("check", path.name)
    assert code == 1
    assert_said_plainly(code, said)
    assert said == f"error: {path.name} cannot be opened: Permission denied.\n"


# --- workbooks written by hand, as other programs write them --------------------------------

_SHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
XLSX_CONTENT_TYPES = (
    f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PACKAGE}content-types">'
    '<Default Extension="rels"'
    ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SHEETML}sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml"'
    f' ContentType="{_SHEETML}worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml"'
    f' ContentType="{_SHEETML}sharedStrings+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_SHEETML}styles+xml"/>'
    "</Types>"
)
XLSX_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE}relationships">'
    f'<Relationship Id="rId1" Type="{_OFFICE}officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
XLSX_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE}relationships">'
    f'<Relationship Id="rId1" Type="{_OFFICE}worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_OFFICE}sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{_OFFICE}styles" Target="styles.xml"/>'
    "</Relationships>"
)
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

XML_TEXT = st.one_of(
    TEXTS.map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t)),
    st.sampled_from(["1e400", "NaN", "-0", "", "abc", "1E+308", "0x10", "1_000", "٣"]),
)
REFS = st.one_of(
    st.tuples(
        st.sampled_from(["A", "B", "C", "D", "E", "F", "Z", "AA", "XFD", "XFE", "ZZZZ", ""]),
        st.sampled_from(["1", "2", "3", "4", "5", "0", "1048576", "1048577", "99999999", ""]),
    ).map("".join),
    st.sampled_from(["", "A1:B2", "$A$1", "a1", "R1C1", "1A"]),
)


@st.composite
def xlsx_cell(draw: st.DrawFn, ref: str) -> str:
    """One ``<c>`` element, as some program might write it (and as none should)."""
    odd = draw(st.integers(0, 19)) == 0  # what no program should write, now and then
    kinds = ["n", "s", "str", "inlineStr", "b", "e", "d", "none"] + (["bogus"] if odd else [])
    kind = draw(st.sampled_from(kinds))
    attrs = ""
    if draw(st.integers(0, 9)):
        attrs += f' r="{draw(REFS) if odd else ref}"'
    if kind != "none":
        attrs += f' t="{kind}"'
    if draw(st.booleans()):
        attrs += f' s="{draw(st.integers(0, 5))}"'
    formula = ""
    if draw(st.integers(0, 4)) == 0:
        text = escape(draw(st.sampled_from(["SUM(A1:A3)", "1/0", "NA()", "", "A1&B1"])))
        shared = draw(st.sampled_from(["", ' t="shared" si="0"', ' t="shared" si="0" ref="A1:A9"']))
        formula = f"<f{shared}>{text}</f>" if text or not shared else f"<f{shared}/>"
    if kind == "inlineStr":
        value = f"<is><t>{escape(draw(XML_TEXT))}</t></is>"
    elif kind == "s":
        value = f"<v>{draw(st.sampled_from(['0', '1', '2', '7', '-1', '99999', 'x', '']))}</v>"
    elif kind == "e":
        errors = ["#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?"] + (["#BOGUS", ""] if odd else [])
        value = f"<v>{draw(st.sampled_from(errors))}</v>"
    elif kind == "b":
        value = f"<v>{draw(st.sampled_from(['0', '1'] + (['true', '2', ''] if odd else [])))}</v>"
    elif kind == "d":
        value = f"<v>{draw(st.sampled_from(['2025-05-04', '2025-05-04T10:00:00', 'x', '']))}</v>"
    else:
        number = st.one_of(
            st.sampled_from(["-0", "1.5", "385000.00000000006", "1e308", "5e-324"]),
            st.sampled_from(["1e400", "NaN", "inf", ""] if odd else ["0"]),
            st.integers(-(10**20), 10**20).map(str),
            st.floats(allow_nan=False, allow_infinity=False).map(repr),
            XML_TEXT.map(escape),
        )
        value = f"<v>{draw(number)}</v>" if draw(st.integers(0, 5)) else ""
    return f"<c{attrs}>{formula}{value}</c>" if formula or value else f"<c{attrs}/>"


@st.composite
def xlsx_by_hand(draw: st.DrawFn) -> dict[str, str]:
    """The parts of a workbook of one sheet, written by hand: header, rows, merges, styles."""
    header = some_header(draw)
    strings = [*header, *draw(st.lists(XML_TEXT, max_size=4))]
    rows = []
    row_numbers = st.one_of(
        st.integers(1, 12).map(str), st.sampled_from(["0", "1048577", "x", "", "99999999", "2"])
    )
    plausible_rows = draw(table_rows(header, draw(st.integers(0, 6))))
    letters = "ABCDEFGHIJKLMNOP"
    header_cells = "".join(f'<c r="{letters[i]}1" t="s"><v>{i}</v></c>' for i in range(len(header)))
    rows.append(f'<row r="1">{header_cells}</row>')
    for number, values in enumerate(plausible_rows, start=2):
        cells = []
        for column, value in enumerate(values[: len(letters)]):
            ref = f"{letters[column]}{number}"
            if draw(st.integers(0, 3)) == 0:
                cells.append(draw(xlsx_cell(ref)))
            elif isinstance(value, int) and not isinstance(value, bool):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif value is not None:
                text = escape(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
        attrs = f' r="{number if draw(st.integers(0, 30)) else draw(row_numbers)}"'
        if draw(st.integers(0, 5)) == 0:
            attrs += ' hidden="1"'
        if draw(st.integers(0, 8)) == 0:
            attrs += f' spans="{draw(st.sampled_from(["1:5", "0:0", "x", "5:1"]))}"'
        rows.append(f"<row{attrs}>{''.join(cells)}</row>")
    plain_range = st.tuples(
        st.sampled_from("ABCDEFGH"),
        st.integers(1, 9),
        st.sampled_from("ABCDEFGH"),
        st.integers(1, 9),
    ).map(lambda r: f"{r[0]}{r[1]}:{r[2]}{r[3]}")
    odd_range = st.tuples(REFS, REFS).map(lambda p: f"{p[0]}:{p[1]}")
    odd = draw(st.integers(0, 9)) == 0
    merges = draw(st.lists(odd_range if odd else plain_range, max_size=3))
    merge_xml = (
        f'<mergeCells count="{len(merges)}">'
        + "".join(f'<mergeCell ref="{escape(m)}"/>' for m in merges)
        + "</mergeCells>"
        if merges
        else ""
    )
    dimensions = ["", "A1", "A1:Z9", "A1:H12"] + (
        ["A1:XFD1048576", "B2:A1", "x", "A0:B0"] if odd else []
    )
    dimension = draw(st.sampled_from(dimensions))
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN} {REL}>{dimension_xml}'
        f"<sheetData>{''.join(rows)}</sheetData>{merge_xml}</worksheet>"
    )
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst {MAIN} count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        + "</sst>"
    )
    format_code = draw(
        st.sampled_from(["0%", "0.00%", "dd.mm.yyyy", "0", '"kr" #,##0', "@", "[h]:mm", '0"%"'])
    )
    quoted_code = escape(format_code, {'"': "&quot;"})
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {MAIN}>'
        f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{quoted_code}"/></numFmts>'
        '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
        '<borders count="1"><border/></borders>'
        '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="9"/>'
        f'<xf numFmtId="{draw(st.sampled_from(["14", "10", "999", "x"]))}"/></cellXfs>'
        "</styleSheet>"
    )
    state = draw(st.sampled_from(["", ' state="hidden"', ' state="veryHidden"']))
    calc = draw(st.sampled_from(["", '<calcPr fullCalcOnLoad="1"/>', '<calcPr calcId="0"/>']))
    pr = draw(st.sampled_from(["", '<workbookPr date1904="1"/>', '<workbookPr date1904="x"/>']))
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook {MAIN} {REL}>{pr}<sheets>'
        f'<sheet name="{escape(draw(st.sampled_from(["Søknader", "Ark 1", "a&b", "x" * 31])))}"'
        f' sheetId="1"{state} r:id="rId1"/></sheets>{calc}</workbook>'
    )
    return {
        "[Content_Types].xml": XLSX_CONTENT_TYPES,
        "_rels/.rels": XLSX_RELS,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": XLSX_WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
        "xl/styles.xml": styles,
    }


def write_zip(path: Path, parts: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))


@fuzz(40)
@given(parts=xlsx_by_hand())
def test_a_workbook_written_by_hand_reads_to_applications_or_an_error(
    tmp_path: Path, parts: dict[str, str]
) -> None:
    path = tmp_path / "søknader.xlsx"
    write_zip(path, parts)
    read_and_allocate(path, display_name="søknader.xlsx")


@fuzz(15)
@given(parts=xlsx_by_hand(), command=st.sampled_from(["check", "allocate"]))
def test_a_workbook_written_by_hand_is_read_without_a_traceback(
    quiet_cli: Path, parts: dict[str, str], command: str
) -> None:
    path = quiet_cli / "søknader.xlsx"
    write_zip(path, parts)
    extra = ["--budget", "1M", "--dry-run"] if command == "allocate" else []
    code, said = run_cli(command, path.name, *extra)
    assert_said_plainly(code, said)
