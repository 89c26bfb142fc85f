"""A programme in euros, from ``tilskudd init`` to ``ledger export``: every programme command says
its amounts in the programme's currency, which its ledger keeps; a programme file, a round or a
ledger of another currency is refused, never converted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tilskudd.cli import app
from tilskudd.programme import TEMPLATE_FILES

from .test_programme_cli import HEADER, ROUND_1, ROUND_2

NBSP = "\u00a0"
OLD_LEDGER = Path(__file__).resolve().parents[1] / "files" / "ledger_0_1_0"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def said(result: Result) -> str:
    """What a command said, its lines joined and no-break spaces as spaces."""
    return " ".join(result.output.replace(NBSP, " ").split())


def in_kroner(result: Result) -> bool:
    """Whether any amount is said in kroner (``kr`` in bokmål, ``NOK`` in English)."""
    text = f" {said(result)} "
    return " kr " in text or " kr." in text or "NOK " in text


@pytest.fixture
def euros(in_empty_folder: Path) -> Path:
    """A programme made by ``tilskudd init --currency EUR`` (frame 200 000; round 1 of 100 000,
    round 2 the rest), with its two rounds' files; the current folder."""
    made = run(
        "init", ".", "--name", "EØS-midler", "--frame", "200000", "--register", "2009",
        "--currency", "eur",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert 'currency = "EUR"' in (in_empty_folder / "tilskudd.toml").read_text(encoding="utf-8")
    for name, rows in (("r1.csv", ROUND_1), ("r2.csv", ROUND_2)):
        (in_empty_folder / name).write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return in_empty_folder


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Whole EUR, more than 0", "Write a whole number of EUR", "whole EUR, without"]),
        ("nb", ["Hele EUR, mer enn 0", "Skriv et helt antall EUR", "hele EUR, uten desimaler"]),
    ],
)
def test_init_makes_a_programme_and_its_template_in_the_currency(
    in_empty_folder: Path, lang: str, words: list[str]
) -> None:
    from openpyxl import load_workbook

    made = run("init", "ny", "--currency", "EUR", "--lang", lang)
    assert made.exit_code == 0, made.output
    text = (in_empty_folder / "ny" / "tilskudd.toml").read_text(encoding="utf-8")
    assert 'currency = "EUR"' in text
    assert "kroner" not in text
    book = load_workbook(in_empty_folder / "ny" / TEMPLATE_FILES[lang])
    rules = book.worksheets[0].data_validations.dataValidation
    said = [str(v) for rule in rules for v in (rule.prompt, rule.error)]
    said += [str(row[0]) for row in book.worksheets[1].iter_rows(values_only=True)]
    for word in words:
        assert any(word in line for line in said), word
    assert not any("kron" in line for line in said)
    # Without --currency, a programme in kroner, as ever.
    kroner = run("init", "nok", "--lang", lang)
    assert kroner.exit_code == 0, kroner.output
    assert 'currency = "NOK"' in (in_empty_folder / "nok" / "tilskudd.toml").read_text("utf-8")


@pytest.mark.parametrize(
    ("lang", "refusal"),
    [
        ("en", "--currency: 'EURO' is no ISO 4217 currency"),
        ("nb", "--currency: «EURO» er ingen valuta i ISO 4217"),
    ],
)
def test_init_refuses_a_currency_that_is_none(
    in_empty_folder: Path, lang: str, refusal: str
) -> None:
    result = run("init", "ny", "--currency", "EURO", "--lang", lang)
    assert result.exit_code == 2, result.output
    assert refusal in said(result)
    assert not (in_empty_folder / "ny").exists()


@pytest.mark.parametrize("frame", ["60M EUR", "€ 60 000 000", "EUR 60 000 000", "60 MEUR"])
def test_init_reads_a_frame_in_the_programmes_own_currency(
    in_empty_folder: Path, frame: str
) -> None:
    """--frame may name the programme's currency as --budget may name the round's: "60M EUR"
    with --currency EUR was refused as an amount in EUR "but the round counts in NOK", telling
    the officer to give the --currency EUR they had given."""
    made = run("init", "ny", "--frame", frame, "--currency", "EUR", "--lang", "en")
    assert made.exit_code == 0, made.output
    text = (in_empty_folder / "ny" / "tilskudd.toml").read_text(encoding="utf-8")
    assert 'frame = "60 000 000"' in text


@pytest.mark.parametrize(
    ("lang", "frame", "refusal"),
    [
        ("en", "0", "--frame: the amount is zero; expected an amount above EUR 0"),
        ("nb", "0", "--frame: beløpet er null; forventet et beløp over 0 EUR"),
        (
            "en",
            "60 MNOK",
            "--frame: '60 MNOK' is an amount in kroner, but the programme counts in EUR "
            "(--currency EUR); write the frame in EUR, without kr or NOK",
        ),
        (
            "nb",
            "60 MNOK",
            "--frame: «60 MNOK» er et beløp i kroner, men ordningen regner i EUR "
            "(--currency EUR); skriv rammen i EUR, uten kr eller NOK",
        ),
        (
            "en",
            "£ 60 000 000",
            "--frame: '£ 60 000 000' is an amount in GBP, but the programme counts in EUR; "
            "write the frame in EUR, or, if the programme's amounts are in GBP, give it that "
            "currency with --currency GBP",
        ),
    ],
)
def test_init_says_a_wrong_frame_in_the_programmes_currency(
    in_empty_folder: Path, lang: str, frame: str, refusal: str
) -> None:
    """A frame in kroner for a programme of euros was told "the round counts in EUR": init
    makes a programme, and the frame is the programme's."""
    refused = run("init", "ny", "--frame", frame, "--currency", "EUR", "--lang", lang)
    assert refused.exit_code == 2, refused.output
    assert refusal in said(refused)
    assert not (in_empty_folder / "ny").exists()


EXPECTED = {
    "en": {
        "committed_1": "Committed round 1 to the ledger: EUR 100,000 to 2 projects in 3 "
        "municipalities (ledger entry 1). Remaining of the frame: EUR 100,000.",
        "round_2": "Round 2: budget EUR 100,000, what remains of the frame.",
        "committed_2": "Committed round 2 to the ledger: EUR 50,000 to 1 project in 1 "
        "municipality (ledger entry 5). Remaining of the frame: EUR 50,000.",
        "status": "EØS-midler: frame EUR 200,000. Round 1: EUR 100,000 to 2 projects in 3 "
        "municipalities. Decided on 15 April 2027. Round 2: EUR 50,000 to 1 project "
        "in 1 municipality. Decided on 15 November 2027. Remaining of the frame: EUR 50,000.",
        "history": "requested EUR 60,000 · committed EUR 60,000 · now EUR 60,000 (funded)",
        "amended": "Amended A-1 (round 1): from EUR 60,000 to EUR 50,000. Remaining of the "
        "frame: EUR 60,000.",
        "verify_1": "gives the same 3 decisions (EUR 100,000 awarded when committed; "
        "EUR 90,000 now, after 1 amendment)",
        "verify_2": "gives the same 2 decisions (EUR 50,000 awarded)",
        "currency": "Currency",
    },
    "nb": {
        "committed_1": "Runde 1 er ført i registeret: 100 000 EUR til 2 prosjekter i 3 kommuner "
        "(post 1). Igjen av rammen: 100 000 EUR.",
        "round_2": "Runde 2: ramme 100 000 EUR, det som er igjen av ordningens ramme.",
        "committed_2": "Runde 2 er ført i registeret: 50 000 EUR til 1 prosjekt i 1 kommune "
        "(post 5). Igjen av rammen: 50 000 EUR.",
        "status": "EØS-midler: ramme 200 000 EUR. Runde 1: 100 000 EUR til 2 prosjekter i 3 "
        "kommuner. Vedtaksdato 15. april 2027. Runde 2: 50 000 EUR til 1 prosjekt i 1 "
        "kommune. Vedtaksdato 15. november 2027. Igjen av rammen: 50 000 EUR.",
        "history": "omsøkt 60 000 EUR · vedtatt 60 000 EUR · nå 60 000 EUR (innvilget)",
        "amended": "Endret A-1 (runde 1): fra 60 000 EUR til 50 000 EUR. Igjen av rammen: "
        "60 000 EUR.",
        "verify_1": "gir de samme 3 vedtakene (100 000 EUR tildelt ved vedtaket; "
        "90 000 EUR nå, etter 1 endring)",
        "verify_2": "gir de samme 2 vedtakene (50 000 EUR tildelt)",
        "currency": "Valuta",
    },
}


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_a_programme_in_euros_from_init_to_export(euros: Path, lang: str) -> None:
    expected = EXPECTED[lang]
    outputs = []

    def ok(*args: str) -> Result:
        result = run(*args, "--lang", lang)
        assert result.exit_code == 0, result.output
        outputs.append(result)
        return result

    assert expected["committed_1"] in said(ok("allocate", "r1.csv", "--round", "1", "--commit"))
    # Round 2 is allocated against the ledger: the rest of the frame, A-1 not funded again.
    assert expected["round_2"] in said(ok("allocate", "r2.csv", "--round", "2"))
    assert expected["committed_2"] in said(ok("allocate", "r2.csv", "--round", "2", "--commit"))
    assert said(ok("status")) == expected["status"]
    figures = json.loads(ok("status", "--format", "json").stdout)
    assert figures["currency"] == "EUR"
    assert figures["frame"] == 200_000 == figures["awarded_now"] + figures["remaining"]
    assert [(r["round"], r["budget"], r["current"]) for r in figures["rounds"]] == [
        (1, 100_000, 100_000),
        (2, 100_000, 50_000),
    ]
    assert expected["history"] in said(ok("history", "A-1"))
    assert expected["amended"] in said(
        ok("amend", "A-1", "--amount", "50000", "--reason", "Lower cost")
    )
    verified = said(ok("verify"))
    assert expected["verify_1"] in verified
    assert expected["verify_2"] in verified
    ok("ledger", "export", "ledger.csv")
    lines = (euros / "ledger.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split(";")[-1] == expected["currency"]
    rows = [line.split(";") for line in lines[1:]]
    assert {row[-1] for row in rows} == {"EUR"}
    now = sum(int(row[10]) for row in rows)  # current amounts: 50 000 + 40 000 + 50 000
    assert now == 140_000
    after = json.loads(ok("status", "--format", "json").stdout)
    assert after["awarded_now"] == now
    assert after["frame"] == after["awarded_now"] + after["remaining"]
    assert not any(in_kroner(result) for result in outputs)


def test_a_programme_and_its_ledger_in_other_currencies_are_refused(euros: Path) -> None:
    assert run("allocate", "r1.csv", "--round", "1", "--commit").exit_code == 0
    programme = euros / "tilskudd.toml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(text.replace('currency = "EUR"', 'currency = "NOK"'), encoding="utf-8")
    ledger = euros / "tilskudd.ledger.sqlite"
    before = ledger.read_bytes()
    refusal = (
        f"error: the ledger {ledger} counts in EUR, but {programme} gives currency = "
        '"NOK": a programme has one currency, and nothing is converted. If the programme is in '
        'EUR, write currency = "EUR" in tilskudd.toml'
    )
    for args in (
        ["status"],
        ["history", "A-1"],
        ["amend", "A-1", "--amount", "50000", "--reason", "Lower cost"],
        ["withdraw", "A-2", "--reason", "Withdrawn"],
        ["verify"],
        ["ledger", "export", "ledger.csv"],
        ["allocate", "r2.csv", "--round", "2", "--commit"],
    ):
        result = run(*args, "--lang", "en")
        assert result.exit_code == 1, (args, result.output)
        assert refusal in said(result), args
    norsk = run("status", "--lang", "nb")
    assert f"feil: registeret {ledger} regner i EUR, men {programme} har currency" in said(norsk)
    assert ledger.read_bytes() == before
    assert not (euros / "ledger.csv").exists()


@pytest.mark.parametrize(
    ("lang", "refusal"),
    [
        ("en", "the programme counts in EUR, but the round is given the currency NOK"),
        ("nb", "ordningen regner i EUR, men runden er gitt valutaen NOK: en ordning har én valuta"),
    ],
)
def test_a_round_in_another_currency_than_its_programmes_is_refused(
    euros: Path, lang: str, refusal: str
) -> None:
    result = run(
        "allocate", "r1.csv", "--round", "1", "--currency", "NOK", "--commit", "--lang", lang
    )
    assert result.exit_code == 2, result.output
    assert refusal in said(result)
    assert not (euros / "tilskudd.ledger.sqlite").exists()


def test_a_run_in_a_programme_without_round_is_in_its_currency(euros: Path) -> None:
    """Its policy, register and language, and its currency, unless --currency says another."""
    result = run("allocate", "r1.csv", "--budget", "100000", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Budget: EUR 100,000" in said(result)
    other = run("allocate", "r1.csv", "--budget", "100000", "--currency", "DKK", "--lang", "en")
    assert other.exit_code == 0, other.output
    assert "Budget: DKK 100,000" in said(other)


def test_a_ledger_of_an_older_tilskudd_is_in_kroner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "old"
    shutil.copytree(OLD_LEDGER, folder)
    monkeypatch.chdir(folder)
    status = run("status", "--lang", "en")
    assert status.exit_code == 0, status.output
    assert "Remaining of the frame: NOK 1,150,000." in said(status)
    assert json.loads(run("status", "--format", "json").stdout)["currency"] == "NOK"
    programme = folder / "tilskudd.toml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(
        text.replace('frame = "3 000 000"', 'frame = "3 000 000"\ncurrency = "EUR"'),
        encoding="utf-8",
    )
    refused = run("status", "--lang", "en")
    assert refused.exit_code == 1, refused.output
    assert "counts in NOK, but" in said(refused)


def test_amend_reads_its_amount_in_the_programmes_currency(euros: Path) -> None:
    """--amount was read in kroner whatever the programme's currency: "€ 50 000" refused in a
    programme of euros, "50 000 kr" recorded there as 50 000 euros."""
    assert run("allocate", "r1.csv", "--round", "1", "--commit").exit_code == 0
    kroner = run("amend", "A-1", "--amount", "50 000 kr", "--reason", "x", "--lang", "en")
    assert kroner.exit_code == 2, kroner.output
    assert "--amount: '50 000 kr' is an amount in kroner, but the round counts in EUR" in said(
        kroner
    )
    in_nb = run("amend", "A-1", "--amount", "50 000 kr", "--reason", "x")  # the programme's
    assert "--amount: «50 000 kr» er et beløp i kroner, men runden regner i EUR" in said(in_nb)
    euros_typed = run("amend", "A-1", "--amount", "€ 50 000", "--reason", "Lower cost")
    assert euros_typed.exit_code == 0, euros_typed.output
    assert "fra 60 000 EUR til 50 000 EUR" in said(euros_typed)


def test_history_json_gives_each_entrys_currency(euros: Path) -> None:
    """history --format json was a bare list of amounts with no currency: a script could not
    tell euros from kroner. A list still, each entry with its currency."""
    assert run("allocate", "r1.csv", "--round", "1", "--commit").exit_code == 0
    result = run("history", "A-1", "--format", "json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert isinstance(entries, list)
    assert [(e["application_id"], e["current"], e["currency"]) for e in entries] == [
        ("A-1", 60_000, "EUR")
    ]
