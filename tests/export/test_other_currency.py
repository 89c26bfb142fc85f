"""A round whose applications give their amounts in another currency is not published as kroner.

Open grant data from other funders (360Giving's ``Currency`` column: GBP) reads and allocates
with a warning, since every amount is counted as kroner; the lists for publication would state
those amounts as kroner (``NOK 25,000``, 360Giving's ``Currency: NOK``), so they are refused,
while the award workbook, the CSV and the JSON, which carry the currency column through, are
written.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.errors import CurrencyError, NotKronerError
from tilskudd.export import write
from tilskudd.issues import describe_issue
from tilskudd.models import Policy, RoundResult
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
    assert "the line 'currency;EUR' above the header gives the amounts in EUR" in " ".join(
        result.stdout.split()
    )
    assert "give their amounts in EUR" in " ".join(result.stderr.split())
    assert not out.exists()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "If every amount is in EUR, give the round that currency: --currency EUR; else"),
        ("nb", "Er alle beløpene i EUR, gi runden den valutaen: --currency EUR; ellers"),
    ],
)
def test_a_list_refused_for_its_one_currency_says_the_option_that_publishes_it(
    tmp_path: Path, lang: str, said: str
) -> None:
    """A pabulib election in euros allocated without --currency: the refusal of its published
    list said only to convert the euros to kroner, when the officer most often wants them
    published as euros. With one currency named it gives the option first; kroner typed in a
    round of euros give --currency NOK, and several currencies no option."""
    source = tmp_path / "toulouse.pb"
    source.write_text(
        "META\nkey;value\nbudget;400000\ncurrency;EUR\nPROJECTS\n"
        "project_id;cost;votes;name\n180;75000;20;Jardin\n183;200000;21;Parc\n",
        encoding="utf-8",
    )
    columns = tmp_path / "pabulib.toml"
    columns.write_text('[columns]\ncost = "requested"\nvotes = "score"\n', encoding="utf-8")
    out = tmp_path / "awards.html"
    options = ["--columns", str(columns), "--budget", "400000", "-o", str(out), "--lang", lang]
    result = runner.invoke(app, ["allocate", str(source), *options])
    assert result.exit_code == 1, result.output
    assert said in " ".join(result.stderr.split())
    assert not out.exists()
    policy = Policy(rule="proportional")
    kroner = read_applications(_awards(tmp_path / "kr", ("EUR", "kr")), currency="EUR")
    with pytest.raises(NotKronerError) as caught:
        write(run_round(kroner, 50_000, policy, currency="EUR"), tmp_path / "a.md", lang="en")
    assert (caught.value.key, caught.value.params["given"]) == (
        "output.error.not_round_currency_one",
        "NOK",
    )
    # A programme's round counts in the programme's currency, and refuses another.
    in_programme = run_round(kroner, 50_000, policy, currency="EUR", round_name="Round 1")
    with pytest.raises(NotKronerError) as caught:
        write(in_programme, tmp_path / "c.md", lang="en")
    assert caught.value.key == "output.error.not_round_currency"
    several = read_applications(_awards(tmp_path / "two", ("GBP", "SEK")))
    with pytest.raises(NotKronerError) as caught:
        write(run_round(several, 50_000, policy), tmp_path / "b.md", lang="en")
    assert caught.value.key == "output.error.not_kroner"


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


# --- a round in the applications' own currency (--currency) --------------------------------


def test_pounds_in_a_round_of_pounds_are_published_in_pounds(tmp_path: Path) -> None:
    checked = read_applications(_awards(tmp_path), currency="GBP")
    assert [i for i in checked.issues if "currency" in i.code] == []
    result = run_round(checked, budget=50_000, policy=Policy(rule="proportional"), currency="GBP")
    assert result.currency == "GBP"
    write(result, tmp_path / "awards.md", lang="en")
    text = (tmp_path / "awards.md").read_text(encoding="utf-8")
    assert "GBP\u00a050,000" in text
    assert "NOK" not in text
    write(result, tmp_path / "grants.csv", format="360giving", lang="en", funder="Example Trust")
    with (tmp_path / "grants.csv").open(encoding="utf-8", newline="") as handle:
        assert {row["Currency"] for row in csv.DictReader(handle)} == {"GBP"}
    write(result, tmp_path / "awards.json", lang="en")
    assert json.loads((tmp_path / "awards.json").read_text(encoding="utf-8"))["currency"] == "GBP"


def test_a_round_names_a_currency_of_iso_4217() -> None:
    with pytest.raises(CurrencyError):
        RoundResult.model_validate({"currency": "EURO"})


@pytest.mark.parametrize(
    ("lang", "shown"), [("en", "GBP\u00a050,000"), ("nb", "50\u00a0000\u00a0GBP")]
)
@pytest.mark.parametrize("name", ["awards.html", "awards.md", "awards.pdf", "grants.csv"])
def test_a_round_in_pounds_publishes_its_pounds(
    tmp_path: Path, name: str, lang: str, shown: str
) -> None:
    source = _awards(tmp_path)
    out = tmp_path / name
    extra = ["--format", "360giving", "--funder", "Example Trust"] if name == "grants.csv" else []
    options = ["--budget", "50000", "--rule", "proportional", "-o", str(out), "--lang", lang]
    result = runner.invoke(app, ["allocate", str(source), *options, "--currency", "gbp", *extra])
    assert result.exit_code == 0, result.output
    # The data's currency is the round's: no warning, and every amount said in pounds.
    assert "currency" not in result.stdout.lower().replace("--currency", "")
    assert shown in result.stdout
    assert "NOK" not in result.stdout
    assert "kr" not in result.stdout.split()
    if name == "grants.csv":
        with out.open(encoding="utf-8", newline="") as handle:
            assert {row["Currency"] for row in csv.DictReader(handle)} == {"GBP"}
    elif name != "awards.pdf":
        text = out.read_text(encoding="utf-8")
        assert shown.replace("\u00a0", " ") in text.replace("\u00a0", " ").replace("&nbsp;", " ")
        assert "NOK" not in text
    else:
        assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_pounds_in_a_round_of_euros_are_refused_naming_the_cell(tmp_path: Path, lang: str) -> None:
    source = _awards(tmp_path)
    out = tmp_path / "awards.html"
    options = ["--budget", "50000", "--rule", "proportional", "-o", str(out), "--lang", lang]
    result = runner.invoke(app, ["allocate", str(source), *options, "--currency", "EUR"])
    assert result.exit_code == 1, result.output
    assert not out.exists()
    said, refused = " ".join(result.stdout.split()), " ".join(result.stderr.split())
    assert "C1" in said  # the Currency column's header cell
    if lang == "en":
        assert "in GBP (first: 360G-x-1 and 360G-x-2); the round counts every amount in EUR" in said
        assert "give their amounts in GBP, not in EUR, which the round counts in" in refused
        assert "(HTML) would state them as EUR" in refused
    else:
        assert "i GBP (de første: 360G-x-1 og 360G-x-2); runden regner alle beløp i EUR" in said
        assert "oppgir beløpene i GBP, ikke i EUR som runden regner i" in refused


def test_kroner_in_a_round_of_euros_are_another_currency(tmp_path: Path) -> None:
    checked = read_applications(_awards(tmp_path, ("EUR", "kr")), currency="EUR")
    (issue,) = [i for i in checked.issues if "currency" in i.code]
    assert issue.code == "validate.currency_not_round"
    assert issue.params["currencies"] == ["KR"]
    assert issue.params["ids"] == ["360G-x-2"]
    assert issue.params["expected"] == "EUR"
    assert issue.location is not None
    assert issue.location.cell == "C1"
    policy = Policy(rule="proportional")
    result = run_round(checked, budget=50_000, policy=policy, currency="EUR")
    with pytest.raises(NotKronerError) as caught:
        write(result, tmp_path / "awards.md", lang="en")
    # Kroner, the one currency named: the refusal says --currency NOK.
    assert caught.value.key == "output.error.not_round_currency_one"


def _toulouse(folder: Path, currency: str = "EUR") -> tuple[Path, Path]:
    source = folder / "toulouse.pb"
    source.write_text(
        f"META\nkey;value\nbudget;400000\ncurrency;{currency}\nPROJECTS\n"
        "project_id;cost;votes;name\n180;75000;20;Jardin\n183;200000;21;Parc\n",
        encoding="utf-8",
    )
    columns = folder / "pabulib.toml"
    columns.write_text('[columns]\ncost = "requested"\nvotes = "score"\n', encoding="utf-8")
    return source, columns


def test_a_pabulib_file_in_euros_is_published_in_a_round_of_euros(tmp_path: Path) -> None:
    source, columns = _toulouse(tmp_path)
    out = tmp_path / "awards.md"
    options = ["--columns", str(columns), "--budget", "400000", "-o", str(out), "--lang", "nb"]
    result = runner.invoke(app, ["allocate", str(source), *options, "--currency", "EUR"])
    assert result.exit_code == 0, result.output
    assert "currency;EUR" not in result.stdout
    assert "200\u00a0000\u00a0EUR" in out.read_text(encoding="utf-8")
    # A line of another currency than the round's is said, naming its row.
    (tmp_path / "sek").mkdir()
    source, columns = _toulouse(tmp_path / "sek", "SEK")
    checked = read_applications(source, columns={"cost": "requested"}, currency="EUR")
    (issue,) = [i for i in checked.issues if "currency" in i.code]
    assert (issue.code, issue.params["currencies"], issue.params["row"]) == (
        "read.currency_not_round",
        ["SEK"],
        4,
    )


@pytest.mark.parametrize(("currency", "recorded"), [(None, "NOK"), ("DKK", "DKK")])
def test_the_json_records_the_currency(tmp_path: Path, currency: str | None, recorded: str) -> None:
    source = _awards(tmp_path, ("", ""))
    out = tmp_path / "awards.json"
    options = ["--budget", "50000", "--rule", "proportional", "-o", str(out)]
    given = ["--currency", currency] if currency else []
    result = runner.invoke(app, ["allocate", str(source), *options, *given])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["currency"] == recorded
    assert data["budget"] == 50_000  # whole units of it, as ever


def test_the_workbook_states_a_currency_other_than_kroner(tmp_path: Path) -> None:
    policy = Policy(rule="proportional")
    checked = read_applications(_awards(tmp_path, ("", "")))
    for currency in ("NOK", "ISK"):
        out = tmp_path / f"{currency}.xlsx"
        write(run_round(checked, 50_000, policy, currency=currency), out, lang="en")
        book = openpyxl.load_workbook(out)
        settings = {row[0]: row[1] for row in book.worksheets[-1].iter_rows(values_only=True)}
        texts = " ".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if isinstance(value, str)
        )
        if currency == "NOK":
            assert "Currency" not in settings
            assert "NOK\u00a050,000" in texts
        else:
            assert settings["Currency"] == "ISK"
            assert "ISK\u00a050,000" in texts
            assert "NOK" not in texts


@pytest.mark.parametrize(("lang", "header"), [("en", "Currency"), ("nb", "Valuta")])
def test_the_csv_names_a_currency_other_than_kroner(tmp_path: Path, lang: str, header: str) -> None:
    """A pabulib election allocated in its own euros, forints or złoty: the award CSV's amounts
    are plain numbers, and nothing in it said they were not kroner (the workbook says so on its
    policy sheet, ledger export's CSV in a last column). A round in another currency names it in
    a column of its own, as ledger export does; kroner go without saying, and a carried column
    of that name (360Giving's Currency) is not given twice."""
    policy = Policy(rule="proportional")
    source = tmp_path / "projects.csv"
    source.write_text("ID;Project;Requested;Score\n642;Mikroparkok;6000000;244\n", "utf-8")
    checked = read_applications(source)
    for currency in ("NOK", "HUF"):
        out = tmp_path / f"{currency}.csv"
        write(run_round(checked, 50_000, policy, currency=currency), out, lang=lang)
        with out.open(encoding="utf-8-sig", newline="") as handle:
            table = list(csv.reader(handle, delimiter=";"))
        named = [row[table[0].index(header)] for row in table[1:]] if header in table[0] else []
        assert named == ([] if currency == "NOK" else ["HUF"]), currency
    carried = read_applications(_awards(tmp_path / "gbp"), currency="GBP")
    out = tmp_path / "GBP.csv"
    write(run_round(carried, 50_000, policy, currency="GBP"), out, lang="en")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle, delimiter=";")).count("Currency") == 1


@pytest.mark.parametrize("typed", ["300 000 kr", "kr 300.000,-", "NOK 300000", "0,3 MNOK"])
def test_an_amount_typed_in_kroner_is_an_error_in_a_round_of_euros(
    tmp_path: Path, typed: str
) -> None:
    path = tmp_path / "applications.csv"
    path.write_text(f'ID;Søkt beløp;Poeng\nA-1;"{typed}";5\nA-2;250000;4\n', encoding="utf-8")
    kroner = read_applications(path)
    assert [a.requested for a in kroner.applications] == [300_000, 250_000]
    euros = read_applications(path, currency="EUR")
    assert [a.id for a in euros.applications] == ["A-2"]
    (issue,) = euros.errors
    assert (issue.code, issue.params, issue.value) == (
        "validate.amount_in_kroner",
        {"expected": "EUR"},
        typed,
    )
    assert issue.location is not None
    assert issue.location.cell == "B2"
    said = describe_issue(issue, "en")
    assert f"'{typed}' is an amount in kroner, but the round counts in EUR" in said
    assert "runden regner i EUR" in describe_issue(issue, "nb")
