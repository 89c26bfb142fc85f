"""The files in examples/: regenerated identically by examples/generate.py, and shaped as promised.

Deliberately independent of tilskudd's reading and validation code: the example files are test
input for that code, so they are checked here with openpyxl, python-stdnum and the bundled SSB
registers read directly.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sys
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.no import mva as stdnum_mva
from stdnum.no import orgnr as stdnum_orgnr

from tilskudd.errors import AmountError
from tilskudd.models import Policy
from tilskudd.money import parse_amount

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = ROOT / "src" / "tilskudd" / "data"
XLSX_FILES = ("difi_2009_runde1.xlsx", "small.xlsx", "broken.xlsx")
ROUND_BUDGET = 20_000_000
REALDATA = ROOT.parent / "shared" / "realdata" / "grants" / "forskningsradet_soknader2_sample.csv"
FIELDS = {
    "id",
    "applicant",
    "orgnr",
    "project",
    "municipalities",
    "county",
    "requested",
    "total_cost",
    "score",
    "rank",
    "category",
}


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("examples_generate", EXAMPLES / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the module runs.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return _load_generator()


@pytest.fixture(scope="module")
def regenerated(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out: Path = tmp_path_factory.mktemp("examples")
    generator.generate(out)
    return out


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = openpyxl.load_workbook(path)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    finally:
        wb.close()


# --- reproducibility -------------------------------------------------------------------------


def test_committed_csv_is_byte_identical_to_a_fresh_run(regenerated: Path) -> None:
    assert (regenerated / "small.csv").read_bytes() == (EXAMPLES / "small.csv").read_bytes()


@pytest.mark.parametrize("name", XLSX_FILES)
def test_committed_workbook_has_the_cells_of_a_fresh_run(regenerated: Path, name: str) -> None:
    assert _cells(regenerated / name) == _cells(EXAMPLES / name)


def test_two_runs_write_identical_bytes(
    generator: ModuleType, regenerated: Path, tmp_path: Path
) -> None:
    # openpyxl stamps the save time into the zip and docProps/core.xml; the generator fixes both.
    generator.generate(tmp_path)
    for name in (*XLSX_FILES, "small.csv"):
        assert (tmp_path / name).read_bytes() == (regenerated / name).read_bytes(), name


# --- registers, read directly ----------------------------------------------------------------


def _register(year: int) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(number -> county number, every name form -> numbers) for one numbering."""
    numbers: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    with (DATA / f"kommuner_{year}.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            numbers[row["number"]] = row["county_number"]
            forms = {row["name"], *row["name"].split(" - ")}
            for form in forms:
                names.setdefault(form.casefold(), []).append(row["number"])
    return numbers, names


def _resolve(cell: str, year: int) -> list[str]:
    """Municipality numbers named in a cell: names or numbers split by , ; newline or 'og'."""
    numbers, names = _register(year)
    out: list[str] = []
    for piece in re.split(r"[,;\n]", cell):
        piece = piece.strip()
        if not piece:
            continue
        # "Nore og Uvdal" is one municipality; "Gausdal og Øyer" is two.
        parts = [piece] if piece.casefold() in names else piece.split(" og ")
        for part in parts:
            part = part.strip()
            if part in numbers:
                out.append(part)
                continue
            found = names.get(part.casefold(), [])
            assert len(found) == 1, f"{part!r} in {cell!r}: {found}"
            out.append(found[0])
    return out


# --- the 2009 round --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def round_sheet() -> list[tuple[Any, ...]]:
    return _cells(EXAMPLES / "difi_2009_runde1.xlsx")["Søknader"]


def _amount(value: object) -> int:
    assert isinstance(value, int | str), value
    return parse_amount(value)


def _round_rows(sheet: list[tuple[Any, ...]]) -> Iterator[dict[str, Any]]:
    header = sheet[2]
    for values in sheet[3:]:
        if values[0] == "Sum":
            return
        yield dict(zip(header, values, strict=True))


def test_round_looks_like_a_real_sheet(round_sheet: list[tuple[Any, ...]]) -> None:
    assert round_sheet[0][0] == "Søknader IKT-tiltak i kommunene 2009 – runde 1"
    assert all(v is None for v in round_sheet[1])
    assert round_sheet[2] == (
        "Søknadsnr",
        "Søker",
        "Organisasjonsnummer",
        "Prosjekttittel",
        "Deltakende kommuner",
        "Fylke",
        "Omsøkt beløp",
        "Totalkostnad",
        "Poeng",
        "Kategori",
        "Saksbehandler",
        "Merknad",
    )
    wb = openpyxl.load_workbook(EXAMPLES / "difi_2009_runde1.xlsx")
    assert wb.sheetnames == ["Søknader", "Veiledning"]
    wb.close()


def test_round_totals_row_is_plain_numbers_that_add_up(round_sheet: list[tuple[Any, ...]]) -> None:
    rows = list(_round_rows(round_sheet))
    total = round_sheet[3 + len(rows)]
    assert total[0] == "Sum"
    assert total[6] == sum(_amount(r["Omsøkt beløp"]) for r in rows)
    assert total[7] == sum(_amount(r["Totalkostnad"]) for r in rows)


def test_round_has_its_promised_shape(round_sheet: list[tuple[Any, ...]]) -> None:
    rows = list(_round_rows(round_sheet))
    assert 125 <= len(rows) <= 135
    requested = [_amount(r["Omsøkt beløp"]) for r in rows]
    cost = [_amount(r["Totalkostnad"]) for r in rows]
    assert 2.5 <= sum(requested) / ROUND_BUDGET <= 3.5
    assert all(0 < req <= c for req, c in zip(requested, cost, strict=True))
    binding = sum(1 for req, c in zip(requested, cost, strict=True) if req * 5 > c)
    assert binding >= 30
    scores = Counter(r["Poeng"] for r in rows)
    assert all(isinstance(s, int) for s in scores)
    assert any(n > 1 for n in scores.values())
    assert len({r["Søknadsnr"] for r in rows}) == len(rows)


def test_round_has_amounts_typed_as_text(round_sheet: list[tuple[Any, ...]]) -> None:
    texts = [
        v
        for r in _round_rows(round_sheet)
        for v in (r["Omsøkt beløp"], r["Totalkostnad"])
        if isinstance(v, str)
    ]
    assert len(texts) >= 10
    assert any(t.startswith("kr ") and t.endswith(",-") for t in texts)
    assert any("mill." in t for t in texts)
    assert any("\u00a0" in t for t in texts)


def test_round_orgnrs_are_valid_and_one_per_applicant(round_sheet: list[tuple[Any, ...]]) -> None:
    by_applicant: dict[str, set[str]] = {}
    for r in _round_rows(round_sheet):
        number = stdnum_orgnr.validate(str(r["Organisasjonsnummer"]))
        by_applicant.setdefault(r["Søker"], set()).add(number)
    assert all(len(numbers) == 1 for numbers in by_applicant.values())
    all_numbers = [n for numbers in by_applicant.values() for n in numbers]
    assert len(all_numbers) == len(set(all_numbers))
    assert any(a.startswith("Fylkesmannen i ") for a in by_applicant)
    assert any(a.endswith(" fylkeskommune") for a in by_applicant)


def test_round_municipalities_are_real_in_the_2009_numbering(
    round_sheet: list[tuple[Any, ...]],
) -> None:
    numbers, _ = _register(2009)
    with (DATA / "fylker_2009.csv").open(encoding="utf-8", newline="") as handle:
        counties = {r["county_name"]: r["county_number"] for r in csv.DictReader(handle)}
    involved: set[str] = set()
    collaborations = 0
    for r in _round_rows(round_sheet):
        assert r["Fylke"] in counties
        cell = r["Deltakende kommuner"]
        if cell is None:
            assert not r["Søker"].endswith(" kommune")
            continue
        found = _resolve(str(cell), 2009)
        involved.update(found)
        collaborations += len(found) > 1
    assert involved <= set(numbers)
    assert collaborations >= 10
    assert len(involved) >= 145


def test_round_has_one_collaboration_of_33_municipalities(
    round_sheet: list[tuple[Any, ...]],
) -> None:
    numbers, _ = _register(2009)
    sizes = Counter(
        len(r["Deltakende kommuner"].split(", "))
        for r in _round_rows(round_sheet)
        if r["Deltakende kommuner"]
    )
    assert sizes[33] == 1
    big = [
        r
        for r in _round_rows(round_sheet)
        if r["Deltakende kommuner"] and len(r["Deltakende kommuner"].split(", ")) == 33
    ]
    members = _resolve(big[0]["Deltakende kommuner"], 2009)
    assert len(set(members)) == 33
    assert {numbers[m] for m in members} == {"12"}  # all of Hordaland


# --- the small example -----------------------------------------------------------------------


def test_small_csv_is_norwegian_excel_style_with_english_headers() -> None:
    raw = (EXAMPLES / "small.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 11
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == [
        "ID",
        "Applicant",
        "Org no",
        "Project",
        "Municipalities",
        "Requested",
        "Total cost",
        "Score",
        "Category",
    ]


def test_small_csv_and_xlsx_hold_the_same_applications() -> None:
    raw = (EXAMPLES / "small.csv").read_bytes().decode("utf-8-sig")
    from_csv = list(csv.reader(raw.splitlines(), delimiter=";"))[1:]
    sheet = _cells(EXAMPLES / "small.xlsx")["Søknader"]
    assert sheet[0][0] == "Søknadsnr"
    from_xlsx = [[str(v) for v in row] for row in sheet[1:]]
    assert from_xlsx == from_csv


def test_small_example_makes_a_good_readme_case() -> None:
    sheet = _cells(EXAMPLES / "small.xlsx")["Søknader"]
    rows = sheet[1:]
    assert len(rows) == 10
    requested = sum(r[5] for r in rows)
    assert requested == 8_900_000  # against a 5 000 000 kr budget
    binding = [r[0] for r in rows if r[5] * 5 > r[6]]
    assert binding == ["S-02", "S-04"]
    assert len({r[7] for r in rows}) == 10  # no ties: the README example stays simple
    for r in rows:
        assert stdnum_orgnr.is_valid(str(r[2]))
        # Names valid in both numberings, so the file checks under either register.
        _resolve(r[4], 2009)
        _resolve(r[4], 2024)


# --- the broken example ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def broken() -> dict[str, tuple[int, tuple[Any, ...]]]:
    """Non-empty data rows by id ('row N' when the id is missing): (row number, values)."""
    sheet = _cells(EXAMPLES / "broken.xlsx")["Søknader"]
    out = {}
    for number, values in enumerate(sheet, start=1):
        if number > 1 and values[0] != "Sum" and any(v is not None for v in values):
            out[str(values[0]) if values[0] is not None else f"row {number}"] = (number, values)
    return out


def test_broken_orgnrs_fail_as_described(broken: dict[str, tuple[int, tuple[Any, ...]]]) -> None:
    assert stdnum_mva.is_valid(broken["F-01"][1][2])  # the "NO 123 456 789 MVA" form
    with pytest.raises(InvalidChecksum):
        stdnum_orgnr.validate(str(broken["F-02"][1][2]))
    with pytest.raises(InvalidLength):
        stdnum_orgnr.validate(str(broken["F-03"][1][2]))


def test_broken_municipalities_fail_as_described(
    broken: dict[str, tuple[int, tuple[Any, ...]]],
) -> None:
    numbers_2009, _ = _register(2009)
    numbers_2024, names_2024 = _register(2024)
    assert "bearum" not in names_2024
    assert "bærum" in names_2024
    assert broken["F-05"][1][4] == "0219"
    assert "0219" in numbers_2009
    assert "0219" not in numbers_2024
    # Two Herøys, told apart only by a county in brackets: the bare name is ambiguous.
    assert "herøy" not in names_2024
    assert "herøy (møre og romsdal)" in names_2024
    assert "herøy (nordland)" in names_2024


def test_broken_amounts_fail_as_described(broken: dict[str, tuple[int, tuple[Any, ...]]]) -> None:
    for ident in ("F-07", "F-08", "F-09"):
        with pytest.raises(AmountError):
            parse_amount(broken[ident][1][5])
    fraction = broken["F-12"][1][5]
    assert isinstance(fraction, float)
    assert len(repr(fraction).split(".")[1]) == 3  # a fraction of an øre
    assert broken["F-10"][1][5] is None
    requested, cost = broken["F-11"][1][5:7]
    assert requested > cost
    assert broken["F-14"][1][7] == "høy"


def test_broken_formula_has_no_cached_value(
    broken: dict[str, tuple[int, tuple[Any, ...]]],
) -> None:
    row, values = broken["F-13"]
    assert values[5] == f"=G{row}*0.2"
    wb = openpyxl.load_workbook(EXAMPLES / "broken.xlsx", data_only=True)
    assert wb["Søknader"].cell(row=row, column=6).value is None
    wb.close()


def test_broken_ids_and_repeats_and_skipped_rows() -> None:
    sheet = _cells(EXAMPLES / "broken.xlsx")["Søknader"]
    ids = Counter(r[0] for r in sheet[1:] if any(v is not None for v in r))
    assert ids["F-15"] == 2
    assert ids[None] == 1  # the missing id
    assert sheet[-1][0] == "Sum"
    assert any(all(v is None for v in r) for r in sheet[1:-1])  # a blank row
    pairs = Counter((r[2], r[3]) for r in sheet[1:] if r[0] in {"F-17", "F-18"})
    assert list(pairs.values()) == [2]
    # Every row says which problem it carries (error, warning or none).
    problems = [r[9] for r in sheet[1:-1] if any(v is not None for v in r)]
    assert all(
        isinstance(p, str) and p.split(":")[0] in {"Feil", "Advarsel", "Ingen"} for p in problems
    )


# --- mapping and policy files ----------------------------------------------------------------


def test_forskningsradet_mapping_names_real_headers_and_known_fields() -> None:
    mapping = tomllib.loads((EXAMPLES / "forskningsradet.toml").read_text(encoding="utf-8"))
    columns = mapping["columns"]
    assert set(columns.values()) <= FIELDS
    assert columns["sokt_belop"] == "requested"
    assert "tildelt_belop" not in columns
    if not REALDATA.exists():
        pytest.skip(f"{REALDATA} is not on this machine")
    with REALDATA.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert set(columns) <= set(header)


PABULIB = ROOT.parent / "shared" / "realdata" / "pabulib" / "Netherlands_Amsterdam_166.pb"
UK_AWARDS = (
    ROOT.parent
    / "shared"
    / "realdata"
    / "grants"
    / "uk_government_grant_awards_2016-17_sample200.csv"
)


def test_the_pabulib_mapping_allocates_a_real_election(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tilskudd.cli import app

    columns = tomllib.loads((EXAMPLES / "pabulib.toml").read_text(encoding="utf-8"))["columns"]
    assert columns == {"cost": "requested", "votes": "score", "name": "project"}
    if not PABULIB.exists():
        pytest.skip(f"{PABULIB} is not on this machine")
    runner = CliRunner()
    out = tmp_path / "amsterdam.json"
    args = ["allocate", str(PABULIB), "--columns", str(EXAMPLES / "pabulib.toml")]
    result = runner.invoke(app, [*args, "--budget", "250000", "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert "52 applications read: 52 valid, 0 invalid" in said
    assert "the line 'currency;EUR' above the header gives the amounts in EUR" in said
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["budget"] == data["awarded"] + data["unallocated"] == 250_000
    assert {a["project"] for a in data["applications"]} >= {"Buurtbarbecue Kleine Wereld"}
    # The published list would call the euros kroner: refused, as the example file says.
    page = tmp_path / "amsterdam.html"
    refused = runner.invoke(app, [*args, "--budget", "250000", "-o", str(page)])
    assert refused.exit_code == 1
    assert not page.exists()


def test_the_readme_map_for_360giving_awards_reads_the_uk_governments_file(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert '`"Amount Awarded" = "requested"`' in readme
    if not UK_AWARDS.exists():
        pytest.skip(f"{UK_AWARDS} is not on this machine")
    from tilskudd.pipeline import read_applications

    checked = read_applications(UK_AWARDS, columns={"Amount Awarded": "requested"})
    assert len(checked.applications) + len(checked.rejected) == 200
    assert checked.applications[0].requested == 25_000


def test_difi_policy_file_is_a_valid_policy() -> None:
    data = tomllib.loads((EXAMPLES / "policy_difi2009.toml").read_text(encoding="utf-8"))
    policy = Policy.model_validate(data["policy"])
    assert policy.rule == "ranked"
    assert str(policy.max_share_of_cost) == "0.2"
    assert (policy.round_to, policy.min_award, policy.reserve) == (1000, 100_000, 5)
    assert policy.at_line == "skip"
    assert [t.column for t in policy.tie_break] == ["requested", "id"]


USTER = ROOT.parent / "shared" / "realdata" / "grants" / "uster_kulturfoerderung.csv"


def test_the_uster_mapping_reads_its_francs_in_a_round_of_francs() -> None:
    """examples/uster.toml as its comment says to use it: with --currency CHF the grants are
    read in francs; without it the reading stops, naming CHF."""
    from typer.testing import CliRunner

    from tilskudd.cli import app

    mapping = tomllib.loads((EXAMPLES / "uster.toml").read_text(encoding="utf-8"))
    assert mapping["columns"]["FoerderbeitragCHF"] == "requested"
    if not USTER.exists():
        pytest.skip(f"{USTER} is not on this machine")
    args = ["check", str(USTER), "--columns", str(EXAMPLES / "uster.toml"), "--lang", "en"]
    francs = CliRunner().invoke(app, [*args, "--currency", "CHF"])
    assert "485 applications read: 476 valid, 9 invalid" in " ".join(francs.stdout.split())
    kroner = CliRunner().invoke(app, args)
    assert kroner.exit_code == 1
    assert "--currency CHF" in kroner.stderr
