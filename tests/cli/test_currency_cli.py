"""``--currency`` and the policy file's ``currency``: a round counted in its own currency.

Every amount stays whole units of it; only the words change (``3 300 000 EUR``, ``EUR
3,300,000``). A programme, and its ledger, has one currency
(tests/cli/test_programme_currency.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from tilskudd import ledger as lg
from tilskudd.cli import app
from tilskudd.errors import LedgerError

from .test_programme_cli import HEADER, PROGRAMME, ROUND_1

NBSP = "\u00a0"
SMALL = (
    "ID;Søker;Prosjekt;Søkt beløp;Totalkostnad;Poeng;{column}\n"
    "A-1;Lag A;Prosjekt A;300000;900000;6;{currency}\n"
    "A-2;Lag B;Prosjekt B;250000;500000;5;{currency}\n"
)


@pytest.fixture
def folder(in_empty_folder: Path) -> Path:
    """A programme folder (in kroner) with its first round's file."""
    (in_empty_folder / "tilskudd.toml").write_text(PROGRAMME, encoding="utf-8")
    path = in_empty_folder / "r1.csv"
    path.write_text("\n".join([HEADER, *ROUND_1]) + "\n", encoding="utf-8")
    return in_empty_folder


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _file(where: Path, currency: str = "", column: str = "Merknad") -> Path:
    path = where / "søknader.csv"
    path.write_text(SMALL.format(column=column, currency=currency), encoding="utf-8")
    return path


def _said(result: Result) -> str:
    return " ".join(result.output.split())


@pytest.mark.parametrize(
    ("lang", "budget", "awarded"),
    [
        ("nb", f"Ramme: 300{NBSP}000{NBSP}DKK", f"300{NBSP}000{NBSP}DKK"),
        ("en", f"Budget: DKK{NBSP}300,000", f"DKK{NBSP}300,000"),
    ],
)
def test_a_policy_file_gives_the_rounds_currency(
    in_empty_folder: Path, lang: str, budget: str, awarded: str
) -> None:
    source = _file(in_empty_folder)
    for text in ('currency = "dkk"\nrule = "ranked"\n', '[policy]\ncurrency = "DKK"\n'):
        policy = in_empty_folder / "policy.toml"
        policy.write_text(text, encoding="utf-8")
        args = ["allocate", str(source), "--budget", "300000", "--policy", str(policy)]
        result = run(*args, "--lang", lang)
        assert result.exit_code == 0, result.output
        assert budget in result.stdout
        assert awarded in result.stdout
        assert "NOK" not in result.stdout
        assert f"{NBSP}kr" not in result.stdout
        # The option goes before the file, as every option does.
        again = run(*args, "--lang", lang, "--currency", "SEK")
        assert budget.replace("DKK", "SEK") in again.stdout
        assert "DKK" not in again.stdout


def test_kroner_stay_as_they_were(in_empty_folder: Path) -> None:
    source = _file(in_empty_folder)
    args = ["allocate", str(source), "--budget", "300000"]
    for lang, budget in (("nb", f"Ramme: 300{NBSP}000{NBSP}kr"), ("en", f"NOK{NBSP}300,000")):
        plain = run(*args, "--lang", lang)
        named = run(*args, "--lang", lang, "--currency", "nok")
        assert budget in plain.stdout
        assert named.stdout == plain.stdout


def test_a_wrong_currency_in_the_policy_file_is_named_with_its_line(in_empty_folder: Path) -> None:
    source = _file(in_empty_folder)
    policy = in_empty_folder / "policy.toml"
    policy.write_text('rule = "ranked"\ncurrency = "DKR"\n', encoding="utf-8")
    result = run("allocate", str(source), "--budget", "300000", "--policy", str(policy))
    assert result.exit_code == 2, result.output
    assert f"{policy}, line 2: currency: 'DKR' is no ISO 4217 currency" in _said(result)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "--currency: 'euro' is no ISO 4217 currency; expected a three-letter code"),
        ("nb", "--currency: «euro» er ingen valuta i ISO 4217; forventet en kode på tre bokstaver"),
    ],
)
@pytest.mark.parametrize("command", ["allocate", "check", "explain"])
def test_a_currency_that_is_none_is_a_usage_error(
    in_empty_folder: Path, lang: str, said: str, command: str
) -> None:
    source = _file(in_empty_folder)
    ids = ["A-1"] if command == "explain" else []
    result = run(
        command, str(source), *ids, "--budget", "300000", "--currency", "euro", "--lang", lang
    )
    assert result.exit_code == 2, result.output
    assert said in _said(result)


def test_check_says_the_budget_and_the_currency_column_in_the_rounds_currency(
    in_empty_folder: Path,
) -> None:
    euros = _file(in_empty_folder, "EUR", column="Valuta")
    result = run("check", str(euros), "--budget", "300000", "--currency", "EUR", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert f"EUR{NBSP}550,000" in result.stdout  # requested
    assert "Valuta" not in result.stdout  # no warning: the data's currency is the round's
    # In kroner, the same file is warned of, as ever.
    kroner = run("check", str(euros), "--budget", "300000", "--lang", "en")
    assert "tilskudd counts every amount as Norwegian kroner" in _said(kroner)
    assert f"NOK{NBSP}550,000" in kroner.stdout


def test_explain_says_its_amounts_in_the_currency(in_empty_folder: Path) -> None:
    source = _file(in_empty_folder)
    result = run(
        "explain", str(source), "A-2", "--budget", "300000", "--currency", "ISK", "--lang", "nb"
    )
    assert result.exit_code == 0, result.output
    assert f"250{NBSP}000{NBSP}ISK" in result.stdout
    assert f"{NBSP}kr" not in result.stdout


@pytest.mark.parametrize("commit", [[], ["--commit"]])
def test_a_round_of_a_programme_is_in_the_programmes_currency(
    folder: Path, commit: list[str]
) -> None:
    result = run("allocate", "r1.csv", "--round", "1", "--currency", "EUR", *commit)
    assert result.exit_code == 2, result.output
    assert "the programme counts in NOK, but the round is given the currency EUR" in _said(result)
    assert not (folder / "tilskudd.ledger.sqlite").exists()
    # The programme's own currency is no conflict.
    same = run("allocate", "r1.csv", "--round", "1", "--currency", "nok")
    assert same.exit_code == 0, same.output


def test_the_ledger_refuses_a_round_in_another_currency(folder: Path) -> None:
    from tilskudd.pipeline import read_applications
    from tilskudd.programme import load_programme
    from tilskudd.rounds import run_programme_round

    programme = load_programme(folder / "tilskudd.toml")
    path = folder / "r1.csv"
    ledger_path = folder / "tilskudd.ledger.sqlite"
    checked = read_applications(path, register="2009")
    context = lg.round_context(ledger_path, programme, 1)
    result = run_programme_round(checked, context, programme.round_policy(1), programme)
    euros = result.model_copy(update={"currency": "EUR"})
    with pytest.raises(LedgerError) as caught:
        lg.commit_round(ledger_path, euros, programme, 1, input_path=path)
    assert caught.value.key == "currency.error.ledger"
    said = "round 1 counts in EUR, but the programme 'Testordning' and its ledger count in NOK"
    assert said in str(caught.value)
    assert "runde 1 regner i EUR, men ordningen «Testordning» og registeret regner i NOK" in (
        caught.value.text("nb")
    )
    # In kroner, the same round is committed.
    assert lg.commit_round(ledger_path, result, programme, 1, input_path=path).round == 1


def test_rules_compared_say_their_amounts_in_the_currency(in_empty_folder: Path) -> None:
    source = _file(in_empty_folder)
    args = ["allocate", str(source), "--budget", "300000", "--compare", "ranked,proportional"]
    result = run(*args, "--currency", "EUR", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert f"EUR{NBSP}300,000" in result.stdout
    assert "counts each valid application not funded as EUR 0" in _said(result)
    assert "NOK" not in result.stdout


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "programme.currency: 'EURO' is no ISO 4217 currency; expected a three-letter code"),
        ("nb", "programme.currency: «EURO» er ingen valuta i ISO 4217; forventet en kode på tre"),
    ],
)
def test_a_programme_in_no_currency_is_refused_naming_its_line(
    in_empty_folder: Path, lang: str, said: str
) -> None:
    text = PROGRAMME.replace('frame = "200 000"', 'frame = "200 000"\ncurrency = "EURO"')
    (in_empty_folder / "tilskudd.toml").write_text(text, encoding="utf-8")
    (in_empty_folder / "r1.csv").write_text("\n".join([HEADER, *ROUND_1]) + "\n", encoding="utf-8")
    result = run("allocate", "r1.csv", "--round", "1", "--lang", lang)
    assert result.exit_code == 1, result.output  # a programme file that is wrong, as any other
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "currency" in row)
    assert f"tilskudd.toml, {'line' if lang == 'en' else 'linje'} {line}: {said}" in _said(result)
    assert "(got" not in result.output  # the value is said once


NOT_WHOLE = SMALL.replace("250000;", "250000,5;")
"""A round whose second request is not a whole amount: an error that names the currency."""


@pytest.mark.parametrize(
    ("lang", "euros", "kroner"),
    [
        ("en", "'250000,5' is not whole EUR; tilskudd works in whole EUR", "whole kroner"),
        ("nb", "«250000,5» er ikke hele EUR; tilskudd regner i hele EUR", "hele kroner"),
    ],
)
def test_check_json_says_the_rounds_currency(
    in_empty_folder: Path, lang: str, euros: str, kroner: str
) -> None:
    source = in_empty_folder / "søknader.csv"
    source.write_text(NOT_WHOLE.format(column="Merknad", currency=""), encoding="utf-8")
    args = ["check", str(source), "--budget", "300000", "--format", "json", "--lang", lang]
    result = run(*args, "--currency", "eur")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["currency"] == "EUR"
    assert data["budget_check"]["requested"] == 300000  # whole units of it, as ever
    assert euros in data["issues"][0]["message"]
    assert "kr" not in data["issues"][0]["message"]
    # A round of kroner says so too, with its message as it was.
    plain = json.loads(run(*args).stdout)
    assert plain["currency"] == "NOK"
    assert kroner in plain["issues"][0]["message"]
    # Only the words and the currency differ: the figures are the same whole units.
    same = ("currency", "issues")
    assert {k: v for k, v in plain.items() if k not in same} == {
        k: v for k, v in data.items() if k not in same
    }


@pytest.mark.parametrize(
    ("lang", "requested", "kroner"),
    [
        ("en", f"EUR{NBSP}250,000", f"NOK{NBSP}250,000"),
        ("nb", f"250{NBSP}000{NBSP}EUR", f"250{NBSP}000{NBSP}kr"),
    ],
)
def test_explain_json_says_the_rounds_currency(
    in_empty_folder: Path, lang: str, requested: str, kroner: str
) -> None:
    source = _file(in_empty_folder)
    args = ["explain", str(source), "A-2", "--budget", "300000", "--format", "json"]
    result = run(*args, "--lang", lang, "--currency", "EUR")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["currency"] == "EUR"
    assert (data["requested"], data["budget"]) == (250000, 300000)  # whole units of it
    assert requested in data["text"]
    assert "NOK" not in data["text"]
    assert f"{NBSP}kr" not in data["text"]
    plain = json.loads(run(*args, "--lang", lang).stdout)
    assert plain["currency"] == "NOK"
    assert kroner in plain["text"]


@pytest.mark.parametrize(
    ("lang", "euros", "kroner"),
    [
        (
            "nb",
            "med 1 EUR mindre (ikke fullt tilskudd)",
            "med 1 krone mindre (ikke fullt tilskudd)",
        ),
        ("en", "with EUR 1 less (not)", "with NOK 1 less (not)"),
    ],
)
def test_explain_says_how_the_budget_was_found_in_the_rounds_currency(
    in_empty_folder: Path, lang: str, euros: str, kroner: str
) -> None:
    source = _file(in_empty_folder)
    args = ["explain", str(source), "A-2", "--budget", "300000", "--rule", "proportional"]
    result = run(*args, "--lang", lang, "--currency", "EUR")
    assert result.exit_code == 0, result.output
    assert euros in _said(result)
    assert kroner in _said(run(*args, "--lang", lang))


@pytest.mark.parametrize(
    ("lang", "euros", "kroner"),
    [
        (
            "nb",
            "i en annen enhet enn EUR. tilskudd leser beløp i hele EUR og skalerer dem aldri om",
            "i en annen enhet enn kroner. tilskudd leser beløp i hele kroner og skalerer",
        ),
        (
            "en",
            "in another unit than EUR. tilskudd reads amounts in whole EUR and never rescales",
            "in another unit than kroner. tilskudd reads amounts in whole kroner and never",
        ),
    ],
)
def test_an_amount_column_in_thousands_is_refused_in_the_rounds_currency(
    in_empty_folder: Path, lang: str, euros: str, kroner: str
) -> None:
    source = in_empty_folder / "søknader.csv"
    text = SMALL.format(column="Merknad", currency="")
    source.write_text(text.replace("Søkt beløp;", "Søkt beløp (i tusen);"), encoding="utf-8")
    args = ["check", str(source), "--lang", lang]
    result = run(*args, "--currency", "EUR")
    assert result.exit_code == 1, result.output
    assert euros in _said(result)
    assert "kroner" not in _said(result)
    assert kroner in _said(run(*args))


@pytest.mark.parametrize(
    ("currency", "budget", "said"),
    [
        ("EUR", "550 000 EUR", f"Budget: EUR{NBSP}550,000"),
        ("EUR", "€ 550.000,-", f"Budget: EUR{NBSP}550,000"),
        ("GBP", "£550,000.00", f"Budget: GBP{NBSP}550,000"),
        ("NOK", "550 000 kr", f"Budget: NOK{NBSP}550,000"),
    ],
)
def test_a_budget_may_name_the_rounds_own_currency(
    in_empty_folder: Path, currency: str, budget: str, said: str
) -> None:
    source = _file(in_empty_folder)
    result = run("allocate", str(source), "--budget", budget, "--currency", currency)
    assert result.exit_code == 0, result.output
    assert said in result.stdout


@pytest.mark.parametrize(
    ("currency", "budget", "said"),
    [
        (
            "NOK",
            "550 000 EUR",
            "--budget: '550 000 EUR' is an amount in EUR, but the round counts in NOK; write the "
            "amount in NOK, or, if the round's amounts are in EUR, count the round in EUR with "
            "--currency EUR",
        ),
        (
            "EUR",
            "550 000 kr",
            "--budget: '550 000 kr' is an amount in kroner, but the round counts in EUR",
        ),
        (
            "EUR",
            "£ 550 000",
            "--budget: '£ 550 000' is an amount in GBP, but the round counts in EUR",
        ),
    ],
)
@pytest.mark.parametrize("command", ["allocate", "check"])
def test_a_budget_in_another_currency_is_refused_naming_the_option(
    in_empty_folder: Path, command: str, currency: str, budget: str, said: str
) -> None:
    source = _file(in_empty_folder)
    result = run(command, str(source), "--budget", budget, "--currency", currency)
    assert result.exit_code == 2, result.output
    assert said in _said(result)


def test_a_budget_in_another_currency_is_said_in_norwegian(in_empty_folder: Path) -> None:
    source = _file(in_empty_folder)
    result = run("allocate", str(source), "--budget", "€ 550 000", "--lang", "nb")
    assert result.exit_code == 2, result.output
    assert (
        "--budget: «€ 550 000» er et beløp i EUR, men runden regner i NOK; skriv beløpet i NOK, "
        "eller, om rundens beløp er i EUR, regn runden i EUR med --currency EUR"
    ) in _said(result)


def test_the_policys_amounts_may_name_the_rounds_own_currency(in_empty_folder: Path) -> None:
    source = _file(in_empty_folder)
    policy = in_empty_folder / "policy.toml"
    policy.write_text(
        '[policy]\ncurrency = "EUR"\nmax_award = "260 000 EUR"\nround_to = "€ 1 000"\n',
        encoding="utf-8",
    )
    result = run(
        "allocate", str(source), "--budget", "550 000 EUR", "--policy", str(policy),
        "--min-award", "5 000 €", "-o", "out.json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads((in_empty_folder / "out.json").read_text(encoding="utf-8"))
    assert data["currency"] == "EUR"
    assert (data["policy"]["max_award"], data["policy"]["min_award"]) == (260_000, 5_000)
    assert data["policy"]["round_to"] == 1_000
    assert [a["amount"] for a in data["applications"]] == [260_000, 250_000]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "'{typed}' is an amount in kroner, but the round counts in EUR; write the amount"),
        ("nb", "«{typed}» er et beløp i kroner, men runden regner i EUR; skriv beløpet i EUR"),
    ],
)
@pytest.mark.parametrize(
    ("command", "option", "typed"),
    [
        ("allocate", "--budget", "0,3 MNOK"),
        ("allocate", "--max-award", "200 000 kr"),
        ("explain", "--budget", "300 000 NOK"),
        ("explain", "--round-to", "1 000 kr"),
        ("check", "--budget", "1 mill. kr"),
    ],
)
def test_an_option_typed_as_kroner_is_refused_in_a_round_of_another_currency(
    in_empty_folder: Path, lang: str, said: str, command: str, option: str, typed: str
) -> None:
    """'--budget "0,3 MNOK" --currency EUR' allocated 300 000 euros: a round of euros takes
    its amounts as numbers alone, as its cells do."""
    source = _file(in_empty_folder)
    ids = ["A-1"] if command == "explain" else []
    amounts = {"--budget": "300000", option: typed}
    args = [command, str(source), *ids, *(w for o, v in amounts.items() for w in (o, v))]
    result = run(*args, "--currency", "EUR", "--lang", lang)
    assert result.exit_code == 2, result.output
    assert f"{option}: {said.format(typed=typed)}" in _said(result)
    assert not result.stdout  # nothing allocated, nothing checked
    # In a round of kroner the same amount is kroner, as ever.
    assert run(*args, "--lang", lang).exit_code == 0


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            "{policy}, line 3: max_award: '260 000 kr' is an amount in kroner, but the round "
            "counts in EUR; write the amount in EUR, without kr or NOK",
        ),
        (
            "nb",
            "{policy}, linje 3: max_award: «260 000 kr» er et beløp i kroner, men runden regner "
            "i EUR; skriv beløpet i EUR, uten kr eller NOK",
        ),
    ],
)
def test_a_policy_amount_in_another_currency_is_refused_with_its_line(
    in_empty_folder: Path, lang: str, said: str
) -> None:
    source = _file(in_empty_folder)
    policy = in_empty_folder / "policy.toml"
    policy.write_text('[policy]\ncurrency = "EUR"\nmax_award = "260 000 kr"\n', encoding="utf-8")
    result = run(
        "allocate", str(source), "--budget", "550000", "--policy", str(policy), "--lang", lang,
        "--min-award", "5 000 SEK",
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert said.format(policy=policy) in _said(result)
    option = (
        "--min-award: '5 000 SEK' is an amount in SEK, but the round counts in EUR"
        if lang == "en"
        else "--min-award: «5 000 SEK» er et beløp i SEK, men runden regner i EUR"
    )
    assert option in _said(result)


EUROS = (
    "ID,Applicant,Project,Requested (EUR),Total cost (€),Score\n"
    'E-1,Lag A,Prosjekt A,"€ 12 500","€ 40 000",6\n'
    'E-2,Lag B,Prosjekt B,"€ 9 000",30000 EUR,5\n'
    'E-3,Lag C,Prosjekt C,"3,000.00 €",,4\n'
)


def _rows(sheet: Any) -> list[dict[str, Any]]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_a_sheet_of_euros_is_allocated_end_to_end(in_empty_folder: Path) -> None:
    """An export with 'Requested (EUR)' and '€ 12 500' in its cells, allocated in euros."""
    source = in_empty_folder / "eea.csv"
    source.write_text(EUROS, encoding="utf-8")
    out = in_empty_folder / "awards.xlsx"
    result = run(
        "allocate", str(source), "--currency", "EUR", "--budget", "€ 20 000",
        "--max-award", "10 000 EUR", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Budget: EUR{NBSP}20,000 · Awarded: EUR{NBSP}19,000" in result.stdout
    book = openpyxl.load_workbook(out, read_only=True)
    funded, unfunded = _rows(book["Awards"]), _rows(book["Not funded"])
    assert [(r["ID"], r["Requested"], r["Total cost"], r["Awarded"]) for r in funded] == [
        ("E-1", 12_500, 40_000, 10_000),
        ("E-2", 9_000, 30_000, 9_000),
    ]
    assert [(r["ID"], r["Requested"], r["Total cost"]) for r in unfunded] == [("E-3", 3_000, None)]
    settings = {row[0]: row[1] for row in book["Policy"].iter_rows(values_only=True)}
    assert (settings["Currency"], settings["max_award"]) == ("EUR", 10_000)
    book.close()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "the round counts every amount in NOK. If the amounts are in EUR, count the round "
               "in EUR with --currency EUR"),
        ("nb", "runden regner alle beløp i NOK. Er beløpene i EUR, regn runden i EUR med "
               "--currency EUR"),
    ],
)  # fmt: skip
def test_a_sheet_of_euros_in_a_round_of_kroner_says_currency(
    in_empty_folder: Path, lang: str, said: str
) -> None:
    source = in_empty_folder / "eea.csv"
    source.write_text(EUROS, encoding="utf-8")
    result = run("allocate", str(source), "--budget", "20000", "--lang", lang)
    assert result.exit_code == 1, result.output
    assert said in _said(result)


PABULIB = (
    "META\nkey;value\nbudget;400000.0\ncurrency;EUR\nPROJECTS\n"
    "project_id;cost;votes;name\n180;75000;20;Jardin\n183;200000;21;Parc\n"
)
PABULIB_MAP = '[columns]\ncost = "requested"\nvotes = "score"\nname = "project"\n'


@pytest.mark.parametrize(
    ("lang", "options", "said"),
    [
        (
            "en",
            [],
            "error: --budget is required: the round's budget. The file states one in its META, "
            "'budget;400000.0' and 'currency;EUR': if that is this round's budget, give "
            "--budget 400000 --currency EUR (tilskudd does not take it",
        ),
        (
            "nb",
            ["--currency", "EUR"],
            "feil: --budget må oppgis: rundens ramme. Filen oppgir en i META-delen, "
            "«budget;400000.0» og «currency;EUR»: er det denne rundens ramme, skriv "
            "--budget 400000 (tilskudd bruker den ikke",
        ),
    ],
)
@pytest.mark.parametrize("command", ["allocate", "explain"])
def test_a_pabulib_files_own_budget_is_said_not_taken(
    in_empty_folder: Path, command: str, lang: str, options: list[str], said: str
) -> None:
    """`allocate` of a pabulib file without --budget said only that --budget is required,
    though the file's META states its budget (and currency): said now, with what to type, and
    still refused: the budget is the officer's decision."""
    (in_empty_folder / "toulouse.pb").write_text(PABULIB, encoding="utf-8")
    (in_empty_folder / "pabulib.toml").write_text(PABULIB_MAP, encoding="utf-8")
    args = [command, "toulouse.pb", *(["180"] if command == "explain" else [])]
    result = run(*args, "--columns", "pabulib.toml", "--lang", lang, *options)
    assert result.exit_code == 2, result.output
    assert said in _said(result)
    # What it says to type is taken.
    typed = said.split("--budget ")[-1].split(" (")[0].split()
    taken = run(*args, "--columns", "pabulib.toml", "--lang", lang, *options, "--budget", *typed)
    assert taken.exit_code == 0, taken.output


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "The file's META has a comment on the data: “Online votes only; half the votes "
               "were cast on paper and are not in this file”"),
        ("nb", "Filens META har en kommentar om dataene: «Online votes only; half the votes "
               "were cast on paper and are not in this file»"),
    ],
)  # fmt: skip
def test_a_pabulib_files_comment_is_shown_once_and_never_published(
    in_empty_folder: Path, lang: str, said: str
) -> None:
    """A pabulib file's META comment (Budapest's says half the votes were on paper and are
    missing) was never shown. check and allocate show it once, under the verdict or the
    awards; the documents written with -o do not carry it."""
    comment = (
        'comment;"Online votes only; half the votes were cast on paper and are not in this\nfile"\n'
    )
    text = PABULIB.replace("currency;EUR\n", f"currency;EUR\n{comment}")
    (in_empty_folder / "toulouse.pb").write_text(text, encoding="utf-8")
    (in_empty_folder / "pabulib.toml").write_text(PABULIB_MAP, encoding="utf-8")
    options = ["--columns", "pabulib.toml", "--currency", "EUR", "--lang", lang]
    checked = run("check", "toulouse.pb", *options)
    assert checked.exit_code == 0, checked.output
    assert _said(checked).count(said) == 1
    assert _said(checked).endswith(said)  # under the verdict
    for output in ("round.md", "round.csv"):
        allocated = run("allocate", "toulouse.pb", *options, "--budget", "400000", "-o", output)
        assert allocated.exit_code == 0, allocated.output
        assert _said(allocated).count(said) == 1
        document = (in_empty_folder / output).read_text(encoding="utf-8-sig")
        assert "paper" not in document
    as_json = run("check", "toulouse.pb", *options, "--format", "json")
    json.loads(as_json.stdout)  # the JSON as it was: nothing said beside it


_COMMENTED = PABULIB.replace(
    "currency;EUR\n",
    'currency;EUR\ncomment;"Online votes only; half the votes were cast on paper"\n',
)
_COMMENT = "Online votes only; half the votes were cast on paper"


def _commented(folder: Path) -> list[str]:
    """A pabulib file with a META comment and its column map in ``folder``: the options."""
    (folder / "toulouse.pb").write_text(_COMMENTED, encoding="utf-8")
    (folder / "pabulib.toml").write_text(PABULIB_MAP, encoding="utf-8")
    return ["toulouse.pb", "--columns", "pabulib.toml", "--currency", "EUR"]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", f"The file's META has a comment on the data: “{_COMMENT}”"),
        ("nb", f"Filens META har en kommentar om dataene: «{_COMMENT}»"),
    ],
)
@pytest.mark.parametrize(
    ("options", "code", "last"),
    [
        (["--strict", "--budget", "400000"], 1, None),  # a table of votes under it: a warning
        (["--rule", "nosuch", "--budget", "400000"], 2, "--rule"),
        (["--budget", "400000", "--compare", "ranked,proportional"], 0, None),
        (["--compare-budget", "100000,400000"], 0, None),
    ],
    ids=["strict", "wrong-rule", "compare", "compare-budget"],
)
def test_a_pabulib_comment_is_said_when_allocate_stops_or_compares(
    in_empty_folder: Path,
    lang: str,
    said: str,
    options: list[str],
    code: int,
    last: str | None,
) -> None:
    """The META comment was said under the awards only: a run stopped after the file was read
    (a wrong setting, --strict) or a comparison of rules or budgets said nothing of it."""
    args = _commented(in_empty_folder)
    if "--strict" in options:
        # A warning for --strict to stop at: the table of votes under the projects.
        text = _COMMENTED + "VOTES\nvoter_id;vote\n1;180\n"
        (in_empty_folder / "toulouse.pb").write_text(text, encoding="utf-8")
    result = run("allocate", *args, *options, "--lang", lang)
    assert result.exit_code == code, result.output
    assert _said(result).count(said) == 1
    if last is None:
        assert _said(result).endswith(said)  # under all the rest
    else:
        assert last in _said(result).split(said)[1]  # the error, under it


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", f"The same META has a comment on the data: “{_COMMENT}”"),
        ("nb", f"Den samme META-delen har en kommentar om dataene: «{_COMMENT}»"),
    ],
)
def test_a_pabulib_comment_is_said_with_the_budget_its_meta_states(
    in_empty_folder: Path, lang: str, said: str
) -> None:
    """allocate without --budget points the officer to META's budget; the comment in the same
    META (half the votes missing) was left for the run after."""
    result = run("allocate", *_commented(in_empty_folder), "--lang", lang)
    assert result.exit_code == 2, result.output
    assert "--budget 400000" in _said(result)
    assert _said(result).endswith(said)


def test_a_pabulib_comment_is_in_checks_json_and_the_records_of_allocate(
    in_empty_folder: Path,
) -> None:
    """check --format json, the award workbook's Grunnlag sheet and allocate's JSON had no
    word of the comment; the published lists still leave it out."""
    args = _commented(in_empty_folder)
    checked = run("check", *args, "--format", "json")
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["comment"] == _COMMENT
    for name in ("tildeling.xlsx", "tildeling.json", "tildeling.html", "tildeling.md"):
        result = run("allocate", *args, "--budget", "400000", "--lang", "nb", "-o", name)
        assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(in_empty_folder / "tildeling.xlsx")
    basis = {row[0]: row[1] for row in book["Grunnlag"].iter_rows(values_only=True) if row}
    assert basis["Innfilens kommentar om dataene"] == _COMMENT
    data = json.loads((in_empty_folder / "tildeling.json").read_text(encoding="utf-8"))
    assert data["source"]["comment"] == _COMMENT
    for published in ("tildeling.html", "tildeling.md"):
        assert "paper" not in (in_empty_folder / published).read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_pabulib_comment_is_in_the_comparison_workbook(in_empty_folder: Path, lang: str) -> None:
    """The comparison workbook, on which a rule may be chosen, had no word of the comment; and
    the terminal said it under "Wrote …", as no other run does."""
    args = _commented(in_empty_folder)
    compare = ["--budget", "400000", "--compare", "ranked,proportional", "-o", "cmp.xlsx"]
    result = run("allocate", *args, *compare, "--lang", lang)
    assert result.exit_code == 0, result.output
    said = _said(result)
    assert said.count(_COMMENT) == 1
    assert said.index(_COMMENT) < said.index("cmp.xlsx")
    book = openpyxl.load_workbook(in_empty_folder / "cmp.xlsx")
    rows = list(book[book.sheetnames[0]].iter_rows(values_only=True))
    label = "Innfilens kommentar om dataene" if lang == "nb" else "Input file's comment on the data"
    assert (label, _COMMENT) in [row[:2] for row in rows]


def test_a_file_without_a_comment_has_none_in_its_records(in_empty_folder: Path) -> None:
    (in_empty_folder / "toulouse.pb").write_text(PABULIB, encoding="utf-8")
    (in_empty_folder / "pabulib.toml").write_text(PABULIB_MAP, encoding="utf-8")
    args = ["toulouse.pb", "--columns", "pabulib.toml", "--currency", "EUR"]
    assert json.loads(run("check", *args, "--format", "json").stdout)["comment"] is None
    assert run("allocate", *args, "--budget", "400000", "-o", "a.xlsx").exit_code == 0
    book = openpyxl.load_workbook(in_empty_folder / "a.xlsx")
    labels = [row[0] for row in book[book.sheetnames[-1]].iter_rows(values_only=True) if row]
    assert "Input file's comment on the data" not in labels
    assert "Input file" in labels


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "The file's META has a comment on the data, shortened here (the first "),
        ("nb", "Filens META har en kommentar om dataene, forkortet her (de første "),
    ],
)
def test_a_very_long_pabulib_comment_is_shown_shortened(
    in_empty_folder: Path, lang: str, said: str
) -> None:
    words = " ".join(f"word{i}" for i in range(400))
    text = PABULIB.replace("currency;EUR\n", f"currency;EUR\ncomment;{words}\n")
    (in_empty_folder / "toulouse.pb").write_text(text, encoding="utf-8")
    (in_empty_folder / "pabulib.toml").write_text(PABULIB_MAP, encoding="utf-8")
    checked = run(
        "check", "toulouse.pb", "--columns", "pabulib.toml", "--currency", "EUR", "--lang", lang
    )
    shown = _said(checked).replace("\u00a0", " ")
    assert said in shown
    assert "word0 word1" in shown
    assert "word399" not in shown
    assert f"{len(words):,}".replace(",", " ") in shown or f"{len(words):,}" in shown


def test_a_file_that_states_no_budget_is_told_as_ever(in_empty_folder: Path) -> None:
    _file(in_empty_folder)
    result = run("allocate", "søknader.csv", "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "--budget is required: the round's budget, e.g. --budget 20000000" in _said(result)
    assert "META" not in _said(result)


def test_kroner_in_a_row_with_every_other_cell_plain_are_refused_in_a_round_of_euros(
    in_empty_folder: Path,
) -> None:
    """A row whose cells are all plain (an id, a number of nine digits, a municipality, digits)
    is read by the checks' fast path, which once took '1 200 000 kr' as 1 200 000 euros."""
    example = Path(__file__).resolve().parents[2] / "examples" / "small.csv"
    text = example.read_text(encoding="utf-8-sig").replace(";1200000;", ";1 200 000 kr;", 1)
    source = in_empty_folder / "søknader.csv"
    source.write_text(text, encoding="utf-8")
    result = run("check", str(source), "--currency", "EUR")
    assert result.exit_code == 1, result.output
    assert "'1 200 000 kr' is an amount in kroner, but the round counts in EUR" in _said(result)
    assert run("check", str(source)).exit_code == 0  # in a round of kroner, kroner


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_the_options_and_the_policy_read_kr_as_a_nordic_rounds_krone(
    in_empty_folder: Path, lang: str
) -> None:
    """--budget, the policy's amounts and --compare-budget go the one way the cells go: "kr"
    in a round of Swedish kronor is kronor; "NOK" there is refused, naming both."""
    source = _file(in_empty_folder)
    policy = in_empty_folder / "policy.toml"
    policy.write_text(
        '[policy]\ncurrency = "SEK"\nmax_award = "260 000 kr"\nround_to = "1 000 kronor"\n',
        encoding="utf-8",
    )
    result = run(
        "allocate", str(source), "--budget", "550 000 kr", "--policy", str(policy),
        "--min-award", "kr. 5 000", "-o", "out.json", "--lang", lang,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads((in_empty_folder / "out.json").read_text(encoding="utf-8"))
    assert (data["currency"], data["budget"]) == ("SEK", 550_000)
    assert (data["policy"]["max_award"], data["policy"]["min_award"]) == (260_000, 5_000)
    assert [a["amount"] for a in data["applications"]] == [260_000, 250_000]
    compared = run(
        "allocate", str(source), "--currency", "DKK", "--compare-budget", "300 000 kr., 3 mkr",
        "--lang", lang,
    )  # fmt: skip
    assert compared.exit_code == 0, compared.output
    budgets = f"300{NBSP}000{NBSP}DKK | 3{NBSP}000{NBSP}000{NBSP}DKK"
    if lang == "en":
        budgets = f"DKK{NBSP}300,000 | DKK{NBSP}3,000,000"
    assert budgets in compared.stdout
    refused = run(
        "allocate", str(source), "--currency", "SEK", "--compare-budget", "3M, 300 000 NOK",
        "--lang", lang,
    )  # fmt: skip
    assert refused.exit_code == 2, refused.output
    said = (
        "--compare-budget: '300 000 NOK' is an amount in NOK, but the round counts in SEK; "
        "write the amount in SEK, or, if the round's amounts are in NOK, count the round in "
        "NOK with --currency NOK"
        if lang == "en"
        else "--compare-budget: «300 000 NOK» er et beløp i NOK, men runden regner i SEK; skriv "
        "beløpet i SEK, eller, om rundens beløp er i NOK, regn runden i NOK med --currency NOK"
    )
    assert said in _said(refused)


def test_compare_budget_is_read_in_the_rounds_currency(in_empty_folder: Path) -> None:
    """--compare-budget was read in kroner whatever the round's currency: "€ 300 000" refused
    in a round of euros, "300 000 kr" taken there as 300 000 euros."""
    source = _file(in_empty_folder)
    args = ["allocate", str(source), "--currency", "EUR", "--lang", "en", "--compare-budget"]
    euros = run(*args, "€ 300 000, 500 000 EUR")
    assert euros.exit_code == 0, euros.output
    assert f"EUR{NBSP}300,000 | EUR{NBSP}500,000" in euros.stdout
    kroner = run(*args, "300 000 kr")
    assert kroner.exit_code == 2, kroner.output
    assert "--compare-budget: '300 000 kr' is an amount in kroner, but the round counts in EUR" in (
        _said(kroner)
    )
