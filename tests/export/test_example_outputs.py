"""scripts/make_example_outputs.py end to end: the real example round through every document.

The script reads examples/difi_2009_runde1.xlsx, allocates 20 000 000 kr by the example policy
and writes each document; here into a temporary folder, and each is read back.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from importlib import resources
from pathlib import Path
from types import ModuleType

import jsonschema
import pypdf
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_example_outputs.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_example_outputs", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("examples")
    written = _script().main(folder)
    return {path.name: path for path in written}


def test_every_committed_example_is_written_by_the_script(outputs: dict[str, Path]) -> None:
    committed = {p.name for p in (ROOT / "examples" / "output").iterdir() if p.is_file()}
    committed.discard("README.md")
    assert committed <= set(outputs)
    assert {"tildeling.html", "tildeling.pdf", "tildeling.json", "360giving.csv"} <= set(outputs)


def test_json_example_validates_and_accounts_for_the_budget(outputs: dict[str, Path]) -> None:
    data = json.loads(outputs["tildeling.json"].read_text(encoding="utf-8"))
    schema = json.loads(
        (resources.files("tilskudd") / "schemas" / "allocation.schema.json").read_text("utf-8")
    )
    jsonschema.validate(data, schema)
    assert data["budget"] == 20_000_000 == data["awarded"] + data["unallocated"]
    assert len(data["applications"]) == 130
    assert data["source"]["file"] == "difi_2009_runde1.xlsx"
    assert len(data["source"]["sha256"]) == 64
    assert data["policy"]["max_share_of_cost"] == "0.2"
    for app in data["applications"]:
        # The scheme's rule: a grant is at most 20 % of the project's total cost.
        if app["amount"] and app["total_cost"]:
            assert app["amount"] * 5 <= app["total_cost"]


def test_documents_agree_on_the_awards(outputs: dict[str, Path]) -> None:
    data = json.loads(outputs["tildeling.json"].read_text(encoding="utf-8"))
    funded = {a["id"]: a["amount"] for a in data["applications"] if a["amount"] > 0}
    with open(outputs["360giving.csv"], encoding="utf-8", newline="") as handle:
        grants = list(csv.DictReader(handle))
    assert {g["Identifier"].removeprefix("360G-tilskudd-difi2009-") for g in grants} == set(funded)
    assert sum(int(g["Amount Awarded"]) for g in grants) == data["awarded"]
    with open(outputs["tildeling.csv"], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == 130
    assert sum(int(r["Tildelt"]) for r in rows) == data["awarded"]
    html = outputs["tildeling.html"].read_text(encoding="utf-8")
    assert data["summary"]["sentence"].split(": ", 1)[-1] in html
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(outputs["tildeling.pdf"]).pages)
    assert "Tildelinger etter kommune" in text
    assert "Side 1 av" in text


@pytest.mark.parametrize(
    ("name", "total"), [("awards.pdf", "NOK 19,981,000"), ("tildeling.pdf", "19 981 000 kr")]
)
def test_pdf_amounts_are_never_broken_across_lines(
    outputs: dict[str, Path], name: str, total: str
) -> None:
    # The English total, in bold, was wider than its column: the PDF printed 'NOK 19,981,00'
    # with the last '0' on a line of its own, a figure a reader copies wrong.
    pages = [p.extract_text() for p in pypdf.PdfReader(outputs[name]).pages]
    lines = [
        " ".join(line.replace("\u00a0", " ").split()) for p in pages for line in p.splitlines()
    ]
    totals = [line for line in lines if "(53 " in line]
    assert len(totals) == 2, totals  # the list by amount and the list by municipality
    for line in totals:
        assert line.endswith(total), line


def test_readme_explains_the_round_against_difis_real_one_with_figures_that_hold(
    outputs: dict[str, Path],
) -> None:
    """examples/README.md sets the example round beside Difi's real round 1 (52 projects in
    145 municipalities) and says why the figures differ; each figure it gives is this run's."""
    data = json.loads(outputs["tildeling.json"].read_text(encoding="utf-8"))
    funded = [a for a in data["applications"] if a["amount"] > 0]
    named = [a for a in funded if a["municipalities"]]
    places = [m["number"] for a in named for m in a["municipalities"]]
    twice = sorted(
        {m["name"] for a in named for m in a["municipalities"] if places.count(m["number"]) > 1}
    )
    county_bodies = [a["applicant"] for a in funded if not a["municipalities"]]
    left = data["unallocated"]
    assert (len(funded), len(set(places)), data["awarded"], left) == (53, 110, 19_981_000, 19_000)
    assert (len(named), len(places)) == (42, 114)
    assert twice == ["Fitjar", "Gausdal", "Masfjorden", "Vaksdal"]
    assert sum("fylkeskommune" in name for name in county_bodies) == 5
    assert sum(name.startswith("Fylkesmannen") for name in county_bodies) == 6
    # What is left is less than the smallest award the policy allows, so no one could have it.
    assert left < data["policy"]["min_award"]

    readme = " ".join((ROOT / "examples" / "README.md").read_text(encoding="utf-8").split())
    assert "funds 53 projects involving 110 municipalities with 19 981 000 kr" in readme
    assert "52 projects in 145 municipalities" in readme
    assert "42 projects that name 114 municipalities (110 different ones" in readme
    assert "Vaksdal, Masfjorden, Fitjar and Gausdal are in two projects each" in readme
    assert "11 from 5 county councils and 6 county governors" in readme
    assert "Errors." not in readme.split("forskningsradet.toml")[-1].split("225986")[0]
