"""A programme's ledger in the programme's currency (ISO 4217), each check on a real SQLite file.

The first commit records the currency in the ledger's meta table, and each round of another
currency than kroner records it with its reading, where the hash chain vouches for it. A ledger
made before records none and is in kroner. A programme file that names another currency than
its ledger counts in is refused, never converted.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from ledgertools import ROUND_1, ROUND_2, dump, make_programme, write_csv
from tilskudd import ledger as lg
from tilskudd.errors import LedgerError, LedgerIntegrityError, ProgrammeError
from tilskudd.ledger import Ledger
from tilskudd.models import RoundResult
from tilskudd.pipeline import read_applications
from tilskudd.programme import Programme, load_programme
from tilskudd.rounds import run_programme_round, verify_round

NBSP = "\u00a0"
OLD_LEDGER = Path(__file__).resolve().parent / "files" / "ledger_0_1_0"


def in_currency(folder: Path, currency: str, policy: str = "") -> Programme:
    """The test programme (frame 200 000, round 1 of 100 000) with ``currency = ...``."""
    programme = make_programme(folder, policy=policy)
    assert programme.path is not None
    text = programme.path.read_text(encoding="utf-8")
    text = text.replace('register = "2009"', f'register = "2009"\ncurrency = "{currency}"')
    programme.path.write_text(text, encoding="utf-8")
    return load_programme(programme.path)


def allocate(ledger_path: Path, programme: Programme, number: int, csv: Path) -> RoundResult:
    """Round ``number`` as ``allocate --round`` runs it: read in the programme's currency."""
    checked = read_applications(csv, register="2009", currency=programme.currency)
    context = lg.round_context(ledger_path, programme, number)
    return run_programme_round(checked, context, programme.round_policy(number), programme)


def commit(ledger_path: Path, programme: Programme, number: int, csv: Path) -> lg.CommitInfo:
    result = allocate(ledger_path, programme, number, csv)
    return lg.commit_round(ledger_path, result, programme, number, input_path=csv)


@pytest.fixture
def euros(tmp_path: Path) -> tuple[Programme, Path]:
    """A programme in euros with rounds 1 and 2 committed; its ledger's path."""
    programme = in_currency(tmp_path, "EUR")
    ledger_path = tmp_path / "l.sqlite"
    commit(ledger_path, programme, 1, write_csv(tmp_path / "r1.csv", ROUND_1))
    commit(ledger_path, programme, 2, write_csv(tmp_path / "r2.csv", ROUND_2))
    return programme, ledger_path


def test_a_programme_names_any_iso_4217_currency(tmp_path: Path) -> None:
    assert make_programme(tmp_path).currency == "NOK"  # none named: kroner, as ever
    assert in_currency(tmp_path, "eur").currency == "EUR"
    assert in_currency(tmp_path, "DKK").currency == "DKK"
    with pytest.raises(ProgrammeError) as caught:
        in_currency(tmp_path, "EURO")
    assert "programme.currency: 'EURO' is no ISO 4217 currency" in str(caught.value)
    assert "«EURO» er ingen valuta i ISO 4217" in caught.value.text("nb")


def test_a_programme_files_mistakes_say_amounts_in_its_currency(tmp_path: Path) -> None:
    programme = in_currency(tmp_path, "EUR")
    assert programme.path is not None
    text = programme.path.read_text(encoding="utf-8")
    programme.path.write_text(text.replace('"100 000"', '"300 000"'), encoding="utf-8")
    with pytest.raises(ProgrammeError) as caught:
        load_programme(programme.path)
    assert caught.value.currency == "EUR"
    assert f"add up to EUR{NBSP}300,000, more than the frame of EUR{NBSP}200,000" in (
        caught.value.text("en")
    )
    assert (
        f"til sammen 300{NBSP}000{NBSP}EUR, mer enn ordningens ramme på 200{NBSP}000{NBSP}EUR"
        in (caught.value.text("nb"))
    )


def test_the_first_commit_records_the_programmes_currency(euros: tuple[Programme, Path]) -> None:
    programme, ledger_path = euros
    with Ledger.open(ledger_path, write=False) as opened:
        assert opened.recorded_currency() == "EUR"
        assert opened.currency() == "EUR"
        # Each round's reading, which the hash chain vouches for, says it too.
        assert [c.reading.get("currency") for c in opened.commits()] == ["EUR", "EUR"]
        assert opened.verify_chain().ok
    assert lg.currency_of(ledger_path) == "EUR"
    assert lg.currency_of(ledger_path, programme) == "EUR"


def test_the_status_of_a_programme_in_euros_says_euros(euros: tuple[Programme, Path]) -> None:
    programme, ledger_path = euros
    report = lg.status(ledger_path, programme)
    assert report.currency == "EUR"
    assert report.as_json()["currency"] == "EUR"
    # Round 1: A-1 and A-2 (100 000); round 2: B-3 (50 000), B-1 funded before as A-1.
    assert [(r.round, r.current) for r in report.rounds] == [(1, 100_000), (2, 50_000)]
    assert report.frame == report.committed + report.remaining == 200_000
    assert report.remaining == 50_000
    english = "\n".join(lg.status_lines(report, "en"))
    assert f"Testordning: frame EUR{NBSP}200,000." in english
    assert f"Remaining of the frame: EUR{NBSP}50,000." in english
    assert "NOK" not in english
    bokmål = "\n".join(lg.status_lines(report, "nb"))
    assert f"Runde 1: 100{NBSP}000{NBSP}EUR til 2 prosjekter" in bokmål
    assert " kr" not in bokmål.replace(NBSP, " ")


def test_a_programme_in_kroner_records_kroner_and_its_entries_as_before(tmp_path: Path) -> None:
    programme = make_programme(tmp_path)
    ledger_path = tmp_path / "l.sqlite"
    commit(ledger_path, programme, 1, write_csv(tmp_path / "r1.csv", ROUND_1))
    with Ledger.open(ledger_path, write=False) as opened:
        assert opened.recorded_currency() == "NOK"
        # Kroner go without saying in the chain: an entry as an earlier tilskudd wrote it.
        assert "currency" not in opened.commits()[0].reading
    assert lg.status(ledger_path, programme).currency == "NOK"


def test_a_ledger_made_before_records_no_currency_and_is_in_kroner(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    shutil.copytree(OLD_LEDGER, folder)
    before = dump(folder / "tilskudd.ledger.sqlite")
    programme = load_programme(folder / "tilskudd.toml")
    with Ledger.open(folder / "tilskudd.ledger.sqlite", write=False) as opened:
        assert opened.recorded_currency() is None
        assert opened.currency() == "NOK"
    report = lg.status(folder / "tilskudd.ledger.sqlite", programme)
    assert report.currency == "NOK"
    assert report.frame == report.committed + report.remaining
    assert dump(folder / "tilskudd.ledger.sqlite") == before  # read, never changed
    # Its programme file made to say euros is refused: the amounts are kroner.
    euros = programme.model_copy(update={"currency": "EUR"})
    with pytest.raises(LedgerError) as caught:
        lg.status(folder / "tilskudd.ledger.sqlite", euros)
    assert caught.value.key == "ledger.error.other_currency"
    assert "counts in NOK, but" in str(caught.value)


def test_an_empty_ledger_takes_its_first_rounds_currency(tmp_path: Path) -> None:
    """A ledger left with no entry (a first commit stopped halfway, or opened from Python) has
    no currency yet: the first round committed gives it the programme's."""
    programme = in_currency(tmp_path, "DKK")
    ledger_path = tmp_path / "l.sqlite"
    with Ledger.open(ledger_path, create=True) as opened:
        assert opened.currency() is None
        opened.require_currency(programme)  # no round yet: any programme's currency fits
        assert opened.recorded_currency() is None
    commit(ledger_path, programme, 1, write_csv(tmp_path / "r1.csv", ROUND_1))
    assert lg.currency_of(ledger_path) == "DKK"


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_a_programme_in_another_currency_than_its_ledger_is_refused(
    euros: tuple[Programme, Path], lang: str
) -> None:
    programme, ledger_path = euros
    kroner = programme.model_copy(update={"currency": "NOK"})
    before = dump(ledger_path)
    refusals = [
        lambda: lg.status(ledger_path, kroner),
        lambda: lg.round_context(ledger_path, kroner, 2),
        lambda: lg.amend(ledger_path, kroner, "A-1", 50_000, "Lower cost"),
        lambda: lg.withdraw(ledger_path, kroner, "A-2", "Withdrawn"),
        lambda: lg.currency_of(ledger_path, kroner),
    ]
    for refused in refusals:
        with pytest.raises(LedgerError) as caught:
            refused()
        assert caught.value.key == "ledger.error.other_currency"
        said = caught.value.text(lang)
        assert str(ledger_path) in said
        assert str(programme.path) in said
        if lang == "en":
            assert "counts in EUR, but" in said
            assert 'gives currency = "NOK": a programme has one currency' in said
            assert 'write currency = "EUR" in tilskudd.toml' in said
        else:
            assert "regner i EUR, men" in said
            assert 'har currency = "NOK": en ordning har én valuta' in said
            assert 'skriv currency = "EUR" i tilskudd.toml' in said
    assert dump(ledger_path) == before  # nothing recorded, nothing converted


def test_a_round_in_another_currency_than_its_programme_is_not_committed(tmp_path: Path) -> None:
    programme = in_currency(tmp_path, "EUR")
    ledger_path = tmp_path / "l.sqlite"
    csv = write_csv(tmp_path / "r1.csv", ROUND_1)
    result = allocate(ledger_path, programme, 1, csv)
    assert result.currency == "EUR"
    for other in ("NOK", "DKK"):
        with pytest.raises(LedgerError) as caught:
            lg.commit_round(
                ledger_path, result.model_copy(update={"currency": other}), programme, 1
            )
        assert caught.value.key == "currency.error.ledger"
        said = f"round 1 counts in {other}, but the programme 'Testordning' and its ledger count"
        assert f"{said} in EUR" in str(caught.value)
        assert f"runde 1 regner i {other}, men ordningen «Testordning»" in caught.value.text("nb")
    assert lg.commit_round(ledger_path, result, programme, 1, input_path=csv).round == 1


def test_a_currency_changed_in_the_meta_table_is_found(euros: tuple[Programme, Path]) -> None:
    programme, ledger_path = euros
    conn = sqlite3.connect(ledger_path)
    conn.execute("DROP TRIGGER meta_no_update")
    conn.execute("UPDATE meta SET value = 'NOK' WHERE key = 'currency'")
    conn.commit()
    conn.close()
    kroner = programme.model_copy(update={"currency": "NOK"})
    with pytest.raises(LedgerIntegrityError) as caught:
        lg.status(ledger_path, kroner)
    assert caught.value.key == "ledger.error.currency_changed"
    assert "records its currency as NOK, but its round 1 was committed in EUR" in str(caught.value)
    assert "oppgir valutaen NOK, men runde 1 i det ble ført i EUR" in caught.value.text("nb")


def test_a_currency_that_is_none_in_the_meta_table_is_found(euros: tuple[Programme, Path]) -> None:
    programme, ledger_path = euros
    conn = sqlite3.connect(ledger_path)
    conn.execute("DROP TRIGGER meta_no_update")
    conn.execute("UPDATE meta SET value = 'EURO' WHERE key = 'currency'")
    conn.commit()
    conn.close()
    with pytest.raises(LedgerIntegrityError, match=r"\(meta\.currency\)"):
        lg.status(ledger_path, programme)


def test_verify_reads_a_round_again_in_its_currency(tmp_path: Path) -> None:
    """A-2's amount typed as kroner is an error in a round of euros: rejected when committed,
    and again when verify re-runs the round (read in kroner, it would be funded)."""
    programme = in_currency(tmp_path, "EUR")
    ledger_path = tmp_path / "l.sqlite"
    rows = [row if row[0] != "A-2" else (*row[:5], "40 000 kr", *row[6:]) for row in ROUND_1]
    csv = write_csv(tmp_path / "r1.csv", rows)
    commit(ledger_path, programme, 1, csv)
    with Ledger.open(ledger_path, write=False) as opened:
        decided = {a.application_id: (a.status, a.amount) for a in opened.awards()}
        assert decided["A-2"] == ("rejected", 0)
        report = verify_round(opened, programme, opened.commits()[0])
    assert report.ok, report.differences
    assert report.awarded == 60_000


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_the_ledger_export_names_its_currency(tmp_path: Path, lang: str) -> None:
    from openpyxl import load_workbook

    programme = in_currency(tmp_path, "EUR", policy='max_award = "50 000"')
    ledger_path = tmp_path / "l.sqlite"
    commit(ledger_path, programme, 1, write_csv(tmp_path / "r1.csv", ROUND_1))
    lg.amend(ledger_path, programme, "A-1", 60_000, "Board decision", outside_policy=True)
    out = tmp_path / "out"
    out.mkdir()
    lg.export(ledger_path, out / "ledger.csv", lang=lang)
    lines = (out / "ledger.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].endswith(";Currency" if lang == "en" else ";Valuta")
    a1 = next(line.split(";") for line in lines if line.startswith("1;A-1;"))
    assert a1[-1] == "EUR"
    assert a1[8:11] == ["60000", "50000", "60000"]  # requested, committed, now: plain numbers
    waived = (
        f"max_award: EUR{NBSP}60,000 is EUR{NBSP}10,000 above"
        if lang == "en"
        else f"max_award: 60{NBSP}000{NBSP}EUR er 10{NBSP}000{NBSP}EUR over"
    )
    assert waived in a1[15]
    lg.export(ledger_path, out / "ledger.xlsx", lang=lang)
    book = load_workbook(out / "ledger.xlsx")
    decisions = list(book.worksheets[0].iter_rows(values_only=True))
    assert decisions[0][-1] == ("Currency" if lang == "en" else "Valuta")
    assert {row[-1] for row in decisions[1:]} == {"EUR"}
    changes = list(book.worksheets[1].iter_rows(values_only=True))
    assert waived in str(changes[1][7])
    rounds = list(book.worksheets[2].iter_rows(values_only=True))
    assert rounds[-1][:3] == ("Currency" if lang == "en" else "Valuta", "EUR", None)
    assert rounds[1][3:7] == (200_000, 100_000, 90_000, 10_000)  # frame == awarded + unallocated
    policies = " ".join(
        str(v) for row in book.worksheets[3].iter_rows(values_only=True) for v in row
    )
    assert "NOK" not in policies
    assert " kr" not in policies.replace(NBSP, " ")


def test_the_export_of_a_ledger_in_kroner_is_as_before(tmp_path: Path) -> None:
    programme = make_programme(tmp_path)
    ledger_path = tmp_path / "l.sqlite"
    commit(ledger_path, programme, 1, write_csv(tmp_path / "r1.csv", ROUND_1))
    lg.export(ledger_path, tmp_path / "ledger.csv", lang="en")
    header = (tmp_path / "ledger.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(";") == [f"{c}" for c in _english_columns()]


def _english_columns() -> list[str]:
    from tilskudd.i18n import get

    return [get("en")(f"ledger.column.{c}") for c in lg.AWARD_COLUMNS]


def test_an_amendment_that_is_no_amount_is_said_in_the_programmes_currency(
    euros: tuple[Programme, Path],
) -> None:
    """'the amount must be whole kroner' was said in a programme of euros."""
    programme, ledger_path = euros
    for amount in (-5, "50 000"):
        with pytest.raises(LedgerError) as caught:
            lg.amend(ledger_path, programme, "A-1", amount, "Lower cost")  # type: ignore[arg-type]
        assert caught.value.key == "ledger.error.bad_amount"
        shown = "-5" if amount == -5 else "'50 000'"
        assert str(caught.value) == f"the amount must be whole EUR, 0 or more, not {shown}"
        assert caught.value.text("en") == str(caught.value)
        nb_shown = "-5" if amount == -5 else "«50 000»"
        assert caught.value.text("nb") == f"beløpet må være hele EUR, 0 eller mer, ikke {nb_shown}"
