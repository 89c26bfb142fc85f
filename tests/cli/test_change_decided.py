"""``amend`` and ``withdraw --decided DATE``: the date a change was decided, recorded beside the
time it is recorded and shown wherever a change's date is shown (history, explain, the ledger
export, the award workbook, the documents, JSON), in bokmål and English."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from tilskudd import clock
from tilskudd.cli import app
from tilskudd.i18n import format_date
from tilskudd.ledger import AWARD_COLUMNS

NBSP = "\u00a0"
PROGRAMME = """\
[programme]
name = "Testordning"
frame = "200 000"
lang = "en"
register = "2009"

[[round]]
number = 1
budget = "100 000"
decision = 2009-06-12

[policy]
max_share_of_cost = "20 %"
"""
HEADER = (
    "Søknadsnr;Søker;Organisasjonsnummer;Prosjekttittel;Deltakende kommuner;Omsøkt beløp;"
    "Totalkostnad;Poeng"
)
ROUND_1 = [
    "A-1;Moss kommune;974760673;Felles saksbehandling;0104, 0105;60000;300000;5",
    "A-2;Oslo kommune;958935420;Digital post;0301;40000;200000;4",
    "A-3;Bergen kommune;964338531;Sak;1201;80000;400000;3",
]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def plain(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A programme folder whose round 1 (decided 2009-06-12) is committed; the current folder."""
    (tmp_path / "tilskudd.toml").write_text(PROGRAMME, encoding="utf-8")
    (tmp_path / "r1.csv").write_text("\n".join([HEADER, *ROUND_1]) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    committed = run("allocate", "r1.csv", "--round", "1", "--commit")
    assert committed.exit_code == 0, committed.output
    return tmp_path


def today() -> str:
    return clock.today().isoformat()  # the day in Norway, as the record day is


def changed(folder: Path) -> None:
    """A-1 amended, decided 12.10.2009 (the Norwegian form); A-2 withdrawn, decided 2009-11-03."""
    amended = run(
        "amend", "A-1", "--amount", "50000", "--decided", "12.10.2009", "--reason", "Cost cut"
    )
    assert amended.exit_code == 0, amended.output
    assert f"Decided 2009-10-12, recorded {today()}." in amended.stdout
    withdrawn = run(
        "withdraw", "A-2", "--decided", "2009-11-03", "--reason", "Gave up", "--lang", "nb"
    )
    assert withdrawn.exit_code == 0, withdrawn.output
    assert f"Vedtatt 2009-11-03, registrert {today()}." in withdrawn.stdout
    assert withdrawn.stdout.startswith(
        "Tilskuddet til A-2 (runde 1) er trukket tilbake: 40\u00a0000\u00a0kr går tilbake til "
        "rammen. Igjen av rammen: "
    )


def test_history_shows_the_date_decided_and_the_date_recorded(folder: Path) -> None:
    changed(folder)
    history = run("history", "A-1")
    assert history.exit_code == 0, history.output
    assert (
        f"amended 2009-10-12 (recorded {today()}): from NOK 60,000 to NOK 50,000. Cost cut"
        in plain(history.stdout)
    )
    said = plain(run("history", "A-2", "--lang", "nb").stdout)
    assert f"trukket tilbake 2009-11-03 (registrert {today()}): fra 40 000 kr til 0 kr." in said
    data = json.loads(run("history", "A-1", "--format", "json").stdout)
    change = data[0]["amendments"][0]
    # The day in Norway of the UTC time recorded (1 December at 23:30 UTC on 30 November).
    recorded_day = clock.record_day(change["created"]).isoformat()
    assert (change["decided"], recorded_day) == ("2009-10-12", today())


def test_a_change_without_a_decision_date_is_dated_by_its_record_alone(folder: Path) -> None:
    amended = run("amend", "A-1", "--amount", "50000", "--reason", "Cost cut")
    assert amended.exit_code == 0, amended.output
    assert "Decided" not in amended.stdout
    said = plain(run("history", "A-1").stdout)
    assert f"amended {today()}: from NOK 60,000 to NOK 50,000. Cost cut" in said
    data = json.loads(run("history", "A-1", "--format", "json").stdout)
    assert data[0]["amendments"][0]["decided"] is None


def test_the_ledger_export_gives_the_date_decided_after_the_columns_it_had_before(
    folder: Path,
) -> None:
    changed(folder)
    assert run("ledger", "export", "ledger.xlsx").exit_code == 0
    book = openpyxl.load_workbook(folder / "ledger.xlsx")
    amendments = list(book["Amendments"].iter_rows(values_only=True))
    assert amendments[0][-3:] == ("Recorded (UTC)", "Ledger entry", "Change decided")
    # Date cells with a date format, to sort and filter by in Excel.
    assert [(r[1], r[-1]) for r in amendments[1:]] == [
        ("A-1", datetime(2009, 10, 12)),
        ("A-2", datetime(2009, 11, 3)),
    ]
    column = book["Amendments"].max_column
    assert {book["Amendments"].cell(row=r, column=column).number_format for r in (2, 3)} == {
        "yyyy-mm-dd"
    }
    assert all(book["Amendments"].cell(row=r, column=column).is_date for r in (2, 3))
    decisions = list(book["Decisions"].iter_rows(values_only=True))
    # Read by position, the columns before it are where they were.
    decided = AWARD_COLUMNS.index("change_decided")
    assert AWARD_COLUMNS[:decided] == (
        *("round", "id", "orgnr", "applicant", "project", "municipalities", "counties"),
        *("category", "requested", "committed", "current", "status", "committed_at"),
        *("changed_at", "change_reason", "outside_policy"),
    )
    assert decisions[0][decided] == "Last change decided"
    assert {r[1]: r[decided] for r in decisions[1:]} == {
        "A-1": datetime(2009, 10, 12),
        "A-2": datetime(2009, 11, 3),
        "A-3": None,
    }
    assert book["Decisions"].cell(row=2, column=decided + 1).number_format == "yyyy-mm-dd"
    assert run("ledger", "export", "ledger.csv", "--lang", "nb").exit_code == 0
    with open(folder / "ledger.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][decided] == "Siste endring vedtatt"
    assert {r[1]: r[decided] for r in rows[1:]} == {
        "A-1": "2009-10-12",
        "A-2": "2009-11-03",
        "A-3": "",
    }


def test_the_round_s_documents_date_each_change_by_its_decision(folder: Path) -> None:
    changed(folder)
    for name in ("awards.xlsx", "awards.json", "awards.md", "awards.csv"):
        wrote = run("allocate", "r1.csv", "--round", "1", "-o", name)
        assert wrote.exit_code == 0, wrote.output
    recorded = format_date(clock.today(), "en")  # the day in Norway, as the documents say it
    text = plain((folder / "awards.md").read_text(encoding="utf-8"))
    assert (
        f"After the decision the grant was amended on 12 October 2009 (recorded {recorded}), "
        "from NOK 60,000 to NOK 50,000. Cost cut." in text
    )
    assert f"was withdrawn on 3 November 2009 (recorded {recorded})." in text
    with open(folder / "awards.csv", encoding="utf-8-sig", newline="") as handle:
        a1 = next(r for r in csv.reader(handle, delimiter=";") if "A-1" in r)
    assert f"amended on 12 October 2009 (recorded {recorded})" in plain(" ".join(a1))

    data = json.loads((folder / "awards.json").read_text(encoding="utf-8"))
    apps = {a["id"]: a for a in data["applications"]}
    change = apps["A-1"]["changes"][0]
    assert (
        change["date"],
        change["decided"],
        clock.record_day(change["recorded"]).isoformat(),
    ) == (
        "2009-10-12",
        "2009-10-12",
        today(),
    )

    book = openpyxl.load_workbook(folder / "awards.xlsx")
    rows_ = list(book["Amendments"].iter_rows(values_only=True))
    assert rows_[0][4:7] == ("Change", "Change decided", "Recorded (UTC)")
    # The date decided is a date cell with a date format, to sort and filter by in Excel.
    assert [(r[1], r[5]) for r in rows_[1:3]] == [
        ("A-1", datetime(2009, 10, 12)),
        ("A-2", datetime(2009, 11, 3)),
    ]
    assert [
        (c.is_date, c.number_format) for c in (book["Amendments"]["F2"], book["Amendments"]["F3"])
    ] == [(True, "yyyy-mm-dd")] * 2

    explained = run("explain", "r1.csv", "A-1", "--round", "1", "--lang", "nb")
    assert explained.exit_code == 0, explained.output
    assert (
        "Etter vedtaket ble tilskuddet endret 12. oktober 2009 (registrert "
        f"{format_date(clock.today(), 'nb')}), fra 60 000 kr til 50 000 kr."
        in plain(explained.stdout)
    )
    data = json.loads(run("explain", "r1.csv", "A-1", "--round", "1", "--format", "json").stdout)
    assert (data["changes"][0]["date"], data["changes"][0]["decided"]) == (
        "2009-10-12",
        "2009-10-12",
    )


def test_a_decision_date_in_the_future_or_before_the_round_was_decided_is_refused(
    folder: Path,
) -> None:
    early = run("amend", "A-1", "--amount", "50000", "--decided", "1.6.2009", "--reason", "x")
    assert early.exit_code == 1
    assert plain(early.stderr) == (
        "error: A-1 (round 1): the change was decided 2009-06-01, before round 1 was decided "
        "(2009-06-12, the decision date the ledger recorded when the round was committed): a "
        "change comes after the decision it changes; give the date of the decision to change the "
        "award"
    )
    later = run("withdraw", "A-2", "--decided", "2999-01-01", "--reason", "x", "--lang", "nb")
    assert later.exit_code == 1
    assert plain(later.stderr).startswith(
        f"feil: endringen ble vedtatt 2999-01-01, som er etter i dag ({today()})"
    )
    assert "amended" not in run("history", "A-1").stdout
    assert "withdrawn" not in run("history", "A-2").stdout


def test_a_date_not_read_is_said_with_the_other_problems_of_the_command(folder: Path) -> None:
    wrong = run("amend", "A-1", "--amount", "5O000", "--decided", "12/10/2009", "--reason", "x")
    assert wrong.exit_code == 2
    said = plain(wrong.stderr)
    assert "--amount" in said
    assert "--decided: expected a date, 2009-10-12 or 12.10.2009, not '12/10/2009'" in said
    nb = run("withdraw", "A-2", "--decided", "31.02.2009", "--reason", "x", "--lang", "nb")
    assert nb.exit_code == 2
    assert "--decided: forventet en dato, 2009-10-12 eller 12.10.2009, ikke «31.02.2009»" in (
        plain(nb.stderr)
    )


def test_360giving_gives_an_award_funded_after_the_decision_the_day_it_was_decided(
    folder: Path,
) -> None:
    """One funded from the reserve list by an amendment has the day it was funded as its Award
    Date: the day the board decided it, where the officer gave it, not the day it was typed."""
    changed(folder)
    funded = run(
        "amend", "A-3", "--amount", "40000", "--decided", "5.11.2009", "--reason", "Reserve"
    )
    assert funded.exit_code == 0, funded.output
    wrote = run(
        "allocate", "r1.csv", "--round", "1", "-o", "grants.csv", "--format", "360giving",
        "--funder", "Difi",
    )  # fmt: skip
    assert wrote.exit_code == 0, wrote.output
    with open(folder / "grants.csv", encoding="utf-8", newline="") as handle:
        rows = {r["Identifier"]: r for r in csv.DictReader(handle)}
    a3 = next(r for key, r in rows.items() if key.endswith("A-3"))
    assert a3["Award Date"] == "2009-11-05"
    assert a3["Amount Awarded"] == "40000"


def test_a_change_decided_before_an_earlier_change_to_the_award_is_refused(folder: Path) -> None:
    """Amended as decided 12.10.2009, then a second change "decided" 1.10.2009: the ledger's
    order and the decisions' would disagree, so it is refused, naming the earlier change."""
    first = run("amend", "A-1", "--amount", "50000", "--decided", "12.10.2009", "--reason", "Cut")
    assert first.exit_code == 0, first.output
    ledger = json.loads(run("history", "A-1", "--format", "json").stdout)
    seq = ledger[0]["amendments"][0]["seq"]
    second = run("amend", "A-1", "--amount", "45000", "--decided", "1.10.2009", "--reason", "x")
    assert second.exit_code == 1
    assert plain(second.stderr) == (
        "error: A-1 (round 1): the change was decided 2009-10-01, before the amendment recorded "
        f"in ledger entry {seq} (decided 2009-10-12, to NOK 50,000): changes to an award are "
        "recorded in the order they were decided, and the documents tell them in that order; "
        "give the date of the decision to change the award (a decision taken before that "
        "amendment was overtaken by it)"
    )
    withdrawn = run("withdraw", "A-1", "--decided", "2009-10-11", "--reason", "x", "--lang", "nb")
    assert withdrawn.exit_code == 1
    assert plain(withdrawn.stderr).startswith(
        "feil: A-1 (runde 1): endringen ble vedtatt 2009-10-11, før endringen som er ført i "
        f"post {seq} i registeret (vedtatt 2009-10-12, til 50 000 kr)"
    )
    changes = json.loads(run("history", "A-1", "--format", "json").stdout)[0]["amendments"]
    assert [(c["amount_after"], c["decided"]) for c in changes] == [(50000, "2009-10-12")]
    # The same day as the earlier change, and a later one, are recorded.
    same_day = run("amend", "A-1", "--amount", "45000", "--decided", "12.10.2009", "--reason", "y")
    assert same_day.exit_code == 0, same_day.output
    later = run("withdraw", "A-1", "--decided", "2009-11-03", "--reason", "Gave up")
    assert later.exit_code == 0, later.output


def test_a_change_without_a_decision_date_is_dated_by_its_record_against_earlier_ones(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change without --decided is dated the day it is recorded, the earlier ones by their
    decision: recorded the day after an earlier change was decided it stands; recorded (as the
    clock says) before an earlier change's decision date, it is refused."""
    import tilskudd.ledger

    first = run("amend", "A-1", "--amount", "50000", "--decided", "12.10.2009", "--reason", "Cut")
    assert first.exit_code == 0, first.output
    # 23:30 in Oslo on 11 October (summer time); 22:30 UTC would be the 12th there.
    monkeypatch.setattr(tilskudd.ledger, "_now", lambda: "2009-10-11T21:30:00+00:00")
    refused = run("withdraw", "A-1", "--reason", "Gave up")
    assert refused.exit_code == 1
    assert plain(refused.stderr).startswith(
        "error: A-1 (round 1): a change without --decided is dated the day it is recorded "
        "(2009-10-11), before the amendment recorded in ledger entry"
    )
    assert "give the date of the decision with --decided" in plain(refused.stderr)
    monkeypatch.undo()
    monkeypatch.chdir(folder)
    recorded = run("withdraw", "A-1", "--reason", "Gave up")
    assert recorded.exit_code == 0, recorded.output


def test_verify_warns_of_changes_an_older_tilskudd_recorded_out_of_the_order_decided(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger written before the order of an award's changes was checked may hold a change
    dated before one recorded before it: verify names the round, the award and both dates, as a
    warning (exit 0: the ledger stands as recorded), in either language; --round keeps to it."""
    from tilskudd.ledger import Ledger

    # As a tilskudd from before the check recorded them.
    monkeypatch.setattr(Ledger, "_refuse_dated_before_earlier_change", lambda *_: None)
    for amount, decided in (("50000", "12.10.2009"), ("45000", "01.10.2009")):
        made = run("amend", "A-1", "--amount", amount, "--decided", decided, "--reason", "Cut")
        assert made.exit_code == 0, made.output
    monkeypatch.undo()
    monkeypatch.chdir(folder)
    checked = run("verify")
    assert checked.exit_code == 0, checked.output
    entries = len(ROUND_1) + 1  # the commit and its decisions before the two changes
    assert (
        f"warning: Round 1, A-1: the change in ledger entry {entries + 2} is dated 2009-10-01, "
        f"before the change in entry {entries + 1} (2009-10-12) recorded before it, so the "
        "documents tell the two out of the order they were decided. An older version of "
        "tilskudd recorded them so; the ledger stands as recorded."
    ) in plain(checked.stdout)
    assert "Round 1: re-running" in checked.stdout
    nb = run("verify", "--lang", "nb")
    assert nb.exit_code == 0, nb.output
    assert (
        f"advarsel: Runde 1, A-1: endringen i post {entries + 2} er datert 2009-10-01, før "
        f"endringen i post {entries + 1} (2009-10-12)"
    ) in plain(nb.stdout)
    # A later change in order is no warning, nor is the same day.
    run("amend", "A-1", "--amount", "40000", "--decided", "01.11.2009", "--reason", "Cut")
    again = run("verify")
    assert plain(again.stdout).count("warning:") == 1
