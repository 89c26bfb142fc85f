"""A round whose applications give their amounts in another currency is not published as kroner.

Open grant data from other funders (360Giving's ``Currency`` column: GBP) reads and allocates
with a warning, since every amount is counted as kroner; the lists for publication would state
those amounts as kroner (``NOK 25,000``, 360Giving's ``Currency: NOK``), so they are refused,
while the award workbook, the CSV and the JSON, which carry the currency column through, are
written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.errors import NotKronerError
from tilskudd.export import write
from tilskudd.models import Policy
from tilskudd.pipeline import read_applications, run_round

runner = CliRunner()

HEADER = "Identifier,Title,Currency,Amount requested,Recipient Org:Name\n"


def _awards(folder: Path, currencies: tuple[str, ...] = ("GBP", "GBP")) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "applications.csv"
    rows = "".join(
        f"360G-x-{n},Project {n},{currency},{25000 * n},Charity {n}\n"
        for n, currency in enumerate(currencies, start=1)
    )
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("awards.html", "HTML"),
        ("awards.pdf", "PDF"),
        ("awards.md", "Markdown"),
        ("grants.csv", "360Giving"),
        ("grants.xlsx", "360Giving"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "nb"])
def test_a_list_for_publication_of_pounds_is_refused(
    tmp_path: Path, name: str, fmt: str, lang: str
) -> None:
    source = _awards(tmp_path)
    out = tmp_path / name
    extra = ["--format", "360giving", "--funder", "Example Trust"] if fmt == "360Giving" else []
    options = ["--budget", "50000", "--rule", "proportional", "-o", str(out), "--lang", lang]
    result = runner.invoke(app, ["allocate", str(source), *options, *extra])
    assert result.exit_code == 1, result.output
    assert not out.exists()
    assert not list(tmp_path.glob(f"*{out.stem}*uncommitted*"))
    said = " ".join(result.stderr.split())
    if lang == "en":
        assert f"{out} was not written: the applications give their amounts in GBP" in said
        assert f"a published award list ({fmt}) would state them as kroner" in said
    else:
        assert f"{out} ble ikke skrevet: søknadene oppgir beløpene i GBP" in said
        assert f"en publisert tildelingsliste ({fmt}) ville oppgitt dem som kroner" in said


@pytest.mark.parametrize("name", ["awards.xlsx", "awards.csv", "awards.json"])
def test_the_workbook_csv_and_json_carry_the_currency_through(tmp_path: Path, name: str) -> None:
    source = _awards(tmp_path)
    out = tmp_path / name
    result = runner.invoke(
        app,
        ["allocate", str(source), "--budget", "50000", "--rule", "proportional", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert out.exists()
    if name.endswith(".json"):
        data = json.loads(out.read_text(encoding="utf-8"))
        assert [a["extra"]["Currency"] for a in data["applications"]] == ["GBP", "GBP"]


def test_a_pabulib_file_in_euros_is_not_published_as_kroner(tmp_path: Path) -> None:
    # Its currency is a line above the table (`currency;EUR` in META), not a column.
    source = tmp_path / "toulouse.pb"
    source.write_text(
        "META\nkey;value\nbudget;400000\ncurrency;EUR\nPROJECTS\n"
        "project_id;cost;votes;name\n180;75000;20;Jardin\n183;200000;21;Parc\n",
        encoding="utf-8",
    )
    columns = tmp_path / "pabulib.toml"
    columns.write_text('[columns]\ncost = "requested"\nvotes = "score"\n', encoding="utf-8")
    out = tmp_path / "awards.html"
    result = runner.invoke(
        app,
        ["allocate", str(source), "--columns", str(columns), "--budget", "400000", "-o", str(out)],
    )
    assert result.exit_code == 1, result.output
    assert "the line 'currency: EUR' above the header gives the amounts in EUR" in " ".join(
        result.stdout.split()
    )
    assert "give their amounts in EUR" in " ".join(result.stderr.split())
    assert not out.exists()


def test_the_library_refuses_it_too_and_kroner_are_published(tmp_path: Path) -> None:
    policy = Policy(rule="proportional")
    pounds = run_round(read_applications(_awards(tmp_path)), budget=50_000, policy=policy)
    with pytest.raises(NotKronerError) as caught:
        write(pounds, tmp_path / "awards.md", lang="en")
    assert caught.value.params["currencies"] == ["GBP"]
    assert not (tmp_path / "awards.md").exists()
    # NOK however written, or none given: the same round is published.
    kroner = _awards(tmp_path / "nok", ("NOK", ""))
    result = run_round(read_applications(kroner), budget=50_000, policy=policy)
    write(result, tmp_path / "nok" / "awards.md", lang="en")
    assert "Charity 1" in (tmp_path / "nok" / "awards.md").read_text(encoding="utf-8")
