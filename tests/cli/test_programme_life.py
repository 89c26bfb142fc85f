"""A programme's life as an officer lives it, through the real entry point (``main()``): the
mistakes an officer makes between rounds, and what each command then says."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tilskudd.ledger import Ledger

from .entrypoint import run_main

NBSP = "\u00a0"

PROGRAMME = """\
[programme]
name = "Kulturmidler"
frame = "200 000"
lang = "nb"
register = "2009"

[[round]]
number = 1
budget = "100 000"

[[round]]
number = 2

[policy]
max_share_of_cost = "20 %"
"""
HEADER = (
    "Søknadsnr;Søker;Organisasjonsnummer;Prosjekttittel;Deltakende kommuner;Omsøkt beløp;"
    "Totalkostnad;Poeng"
)
ROUND_1 = [
    "A-1;Moss kommune;974760673;Felles saksbehandling;0104, 0105;60000;250000;5",
    "A-2;Oslo kommune;958935420;Digital post;0301;40000;200000;4",
]
ROUND_2 = [
    "B-1;Bergen kommune;964338531;Sak;1201;50000;250000;3",
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A programme folder (bokmål) with two rounds' files; the current folder for the test."""
    (tmp_path / "tilskudd.toml").write_text(PROGRAMME, encoding="utf-8")
    (tmp_path / "r1.csv").write_text("\n".join([HEADER, *ROUND_1]) + "\n", encoding="utf-8")
    (tmp_path / "r2.csv").write_text("\n".join([HEADER, *ROUND_2]) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    return tmp_path


def tilskudd(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    """``tilskudd *args`` as a console runs it: the exit code, stdout and stderr (one line each
    message, as piped)."""
    code, out, err = run_main(monkeypatch, "utf-8", *args)
    return int(code or 0), out.decode("utf-8"), err.decode("utf-8")


def test_a_moved_ledger_is_named_where_it_was_looked_for(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger moved out of the programme's folder: status, history and verify say that
    there is no ledger where they looked, naming the file, rather than only "nothing committed"
    (which reads as if the round's awards were gone), and a commit that makes a new ledger
    says so."""
    code, out, err = tilskudd(monkeypatch, "allocate", "r1.csv", "--round", "1", "--commit")
    assert code == 0, err
    ledger = folder / "tilskudd.ledger.sqlite"
    assert f"Registeret {ledger} er opprettet." in out.splitlines()
    # A second commit writes to the ledger that is there: nothing said of a new one.
    code, out, err = tilskudd(monkeypatch, "allocate", "r2.csv", "--round", "2", "--commit")
    assert code == 0, err
    assert "opprettet" not in out
    shutil.move(ledger, folder / "arkiv.sqlite")

    code, out, err = tilskudd(monkeypatch, "status")
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == (
        f"Ingenting er vedtatt ennå: det finnes ikke noe register i {ledger} (det blir "
        "opprettet når den første runden føres; er det flyttet, oppgi det med --ledger STI)."
    )
    code, out, err = tilskudd(monkeypatch, "history", "A-1")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Ingenting er registrert for A-1: det finnes ikke noe register i {ledger} (er det "
        "flyttet, oppgi det med --ledger STI)."
    ]
    code, out, err = tilskudd(monkeypatch, "verify", "--lang", "en")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Nothing committed yet: there is no ledger at {ledger}, so nothing to verify (if it "
        "was moved, give it with --ledger PATH)."
    ]
    # A change is refused, saying where the ledger may be; nothing made in its place.
    for command in (
        ["amend", "A-1", "--amount", "40000", "--reason", "x"],
        ["ledger", "export", "x.csv"],
    ):
        code, out, err = tilskudd(monkeypatch, *command)
        assert (code, out) == (1, ""), command
        assert err == (
            f"feil: det finnes ikke noe register i {ledger} ennå: ingenting er ført. Før en runde "
            "med tilskudd allocate FIL --round N --commit; er registeret flyttet, oppgi det med "
            "--ledger STI.\n"
        ), command
    # Nothing of the moved ledger was created again by looking for it.
    assert not ledger.exists()
    # --ledger names where it went, and every figure is there.
    code, out, err = tilskudd(monkeypatch, "status", "--ledger", "arkiv.sqlite")
    assert (code, err) == (0, "")
    assert "Runde 1: " in out
    assert "Runde 2: " in out


def test_a_round_left_out_is_said_before_a_later_one_is_committed(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 2 allocated before round 1 is committed: the preview says that committing it will
    leave round 1 uncommittable (rounds are committed in order, and the ledger can't be undone),
    and once it is committed, status no longer calls round 1 "not committed yet" as if it still
    could be, but says that it can't be, and what to do."""
    # Round 2 with a budget that leaves round 1's 100 000 (the rest would take it: see below).
    code, out, err = tilskudd(monkeypatch, "allocate", "r2.csv", "--round", "2", "-b", "100000")
    assert (code, err) == (0, "")
    assert (
        "Runde 1 er ikke ført ennå: når runde 2 er ført, kan den ikke føres lenger, fordi "
        "rundene føres i rekkefølge."
    ) in out.splitlines()
    code, out, err = tilskudd(
        monkeypatch, "allocate", "r2.csv", "--round", "2", "-b", "100000", "--lang", "en"
    )
    assert (
        "Round 1 is not committed yet: once round 2 is committed, it can no longer be, since "
        "rounds are committed in order."
    ) in out.splitlines()
    # Round 1 itself, and round 2 once round 1 is in, say nothing of the kind.
    code, out, err = tilskudd(monkeypatch, "allocate", "r1.csv", "--round", "1")
    assert (code, err) == (0, "")
    assert "ikke ført ennå" not in out

    code, out, err = tilskudd(
        monkeypatch, "allocate", "r2.csv", "--round", "2", "-b", "100000", "--commit"
    )
    assert code == 0, err
    code, out, err = tilskudd(monkeypatch, "status")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == (
        "Runde 1: ikke ført, og kan ikke føres lenger: runde 2 er ført, og rundene føres i "
        "rekkefølge (fjern runde 1 fra tilskudd.toml hvis den ikke skal holdes)."
    )
    code, out, err = tilskudd(monkeypatch, "status", "--lang", "en")
    assert out.splitlines()[-1] == (
        "Round 1: not committed, and can no longer be: round 2 is committed, and rounds are "
        "committed in order (remove round 1 from tilskudd.toml if it is not to be held)."
    )
    # As status said: round 1 is refused, and nothing recorded.
    code, out, err = tilskudd(monkeypatch, "allocate", "r1.csv", "--round", "1", "--commit")
    assert code != 0
    assert "rundene føres i rekkefølge" in err


def test_a_later_round_that_would_spend_an_earlier_rounds_money_is_refused(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 2 (the rest of the frame, 200 000) before round 1 (100 000 planned): the budget
    line alone said where the money came from; now the preview says that the round takes round
    1's money and --commit would be refused, --commit refuses it, and nothing is recorded.
    Round 1 removed from the programme file, round 2 has the whole frame."""
    code, out, err = tilskudd(monkeypatch, "allocate", "r2.csv", "--round", "2")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert (
        f"Runde 2: rammen på 200{NBSP}000{NBSP}kr tar 100{NBSP}000{NBSP}kr av de "
        f"100{NBSP}000{NBSP}kr ordningsfilen har satt av til runde 1, som ikke er ført ennå; "
        "--commit ville blitt avvist. Før runde 1 i registeret først; skal den ikke holdes, "
        "fjern den fra tilskudd.toml; eller gi runde 2 en ramme på høyst "
        f"100{NBSP}000{NBSP}kr med --budget."
    ) in lines
    assert not any("ikke ført ennå: når runde 2" in line for line in lines)  # said once
    code, out, err = tilskudd(monkeypatch, "allocate", "r2.csv", "--round", "2", "--lang", "en")
    assert (
        f"Round 2: the budget of NOK{NBSP}200,000 takes NOK{NBSP}100,000 of the "
        f"NOK{NBSP}100,000 the programme file plans for round 1, not committed yet; --commit "
        "would be refused. Commit round 1 first; if it is not to be held, remove it from "
        f"tilskudd.toml; or give round 2 a budget of at most NOK{NBSP}100,000 with --budget."
    ) in out.splitlines()

    code, out, err = tilskudd(monkeypatch, "allocate", "r2.csv", "--round", "2", "--commit")
    assert code == 1
    assert err.startswith(
        f"feil: rammen for runde 2 på 200{NBSP}000{NBSP}kr tar 100{NBSP}000{NBSP}kr av de "
        f"100{NBSP}000{NBSP}kr ordningsfilen har satt av til runde 1"
    )
    assert err.rstrip().endswith("Ingenting ble registrert.")
    assert not (folder / "tilskudd.ledger.sqlite").exists()

    toml = folder / "tilskudd.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('[[round]]\nnumber = 1\nbudget = "100 000"\n', ""),
        encoding="utf-8",
    )
    code, out, err = tilskudd(monkeypatch, "allocate", "r2.csv", "--round", "2", "--commit")
    assert (code, err) == (0, "")
    assert f"Runde 2: ramme 200{NBSP}000{NBSP}kr, det som er igjen av ordningens ramme." in out


def test_an_amendment_the_policy_refuses_says_nothing_was_recorded_and_what_to_do(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A raise past the round's policy is refused naming the rule; the officer also reads that
    nothing was recorded, and how a board's decision beyond the policy is recorded instead."""
    code, _, err = tilskudd(monkeypatch, "allocate", "r1.csv", "--round", "1", "--commit")
    assert code == 0, err
    ledger = folder / "tilskudd.ledger.sqlite"
    before = ledger.read_bytes()
    # 60 000 applied for, 20 % of a total cost of 250 000 gives it 50 000.
    code, out, err = tilskudd(
        monkeypatch, "amend", "A-1", "--amount", "60000", "--reason", "Styrevedtak"
    )
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"feil: A-1 (runde 1) kan ikke økes til 60{NBSP}000{NBSP}kr: ")
    assert lines[-1] == (
        "  tips: Ingenting ble registrert. Er beløpet vedtatt utover tildelingsreglene (et "
        "styrevedtak), før det med --outside-policy og en begrunnelse som viser til vedtaket."
    )
    code, out, err = tilskudd(
        monkeypatch, "amend", "A-1", "--amount", "60000", "--reason", "x", "--lang", "en"
    )
    assert err.splitlines()[-1] == (
        "  hint: Nothing was recorded. If the amount is decided beyond the policy (a board's "
        "decision), record it with --outside-policy and a reason that cites the decision."
    )
    assert ledger.read_bytes() == before
    # Refusals the policy has no part in (above the amount applied for) say nothing of it.
    code, out, err = tilskudd(monkeypatch, "amend", "A-1", "--amount", "90000", "--reason", "x")
    assert code == 1
    assert "--outside-policy" not in err
    assert ledger.read_bytes() == before


def test_a_mistake_in_the_programme_file_is_said_in_its_language(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tilskudd.toml edited between rounds, its frame cut below the rounds' budgets: the
    refusal is in the programme's language (lang = "nb"), as every other message of its
    commands, unless --lang says otherwise; and nothing is written."""
    code, _, err = tilskudd(monkeypatch, "allocate", "r1.csv", "--round", "1", "--commit")
    assert code == 0, err
    ledger = folder / "tilskudd.ledger.sqlite"
    before = ledger.read_bytes()
    toml = folder / "tilskudd.toml"
    toml.write_text(PROGRAMME.replace('frame = "200 000"', 'frame = "80 000"'), encoding="utf-8")
    for command in (
        ["status"],
        ["history", "A-1"],
        ["amend", "A-1", "--amount", "40000", "--reason", "x"],
        ["verify"],
        ["allocate", "r2.csv", "--round", "2"],
        ["check", "r2.csv"],
        ["ledger", "export", "ut.xlsx"],
    ):
        code, out, err = tilskudd(monkeypatch, *command)
        assert code == 1, command
        assert out == ""
        assert err == (
            f"feil: {toml}, linje 3: rundenes rammer blir til sammen 100{NBSP}000{NBSP}kr, "
            f"mer enn ordningens ramme på 80{NBSP}000{NBSP}kr\n"
        ), command
    code, out, err = tilskudd(monkeypatch, "status", "--lang", "en")
    assert err.startswith(f"error: {toml}, line 3: the rounds' budgets add up to ")
    assert ledger.read_bytes() == before


def test_an_amendment_no_decision_could_make_is_refused_for_that_first(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A raise that --outside-policy could not record either (the project is funded in another
    round; the frame has not the money) is refused for that, not first for a rule of the policy
    with the hint to record it beyond the policy, which would only meet the other refusal."""
    code, _, err = tilskudd(monkeypatch, "allocate", "r1.csv", "--round", "1", "--commit")
    assert code == 0, err
    # C-2 is A-2's project again (same organisation and title): left unfunded in round 2.
    again = "C-2;Oslo kommune;958935420;Digital post;0301;60000;200000;4"
    (folder / "r2.csv").write_text("\n".join([HEADER, again]) + "\n", encoding="utf-8")
    code, _, err = tilskudd(monkeypatch, "allocate", "r2.csv", "--round", "2", "--commit")
    assert code == 0, err
    ledger = folder / "tilskudd.ledger.sqlite"
    before = ledger.read_bytes()
    # 50 000 is past 20 % of C-2's total cost (40 000) as well.
    code, out, err = tilskudd(monkeypatch, "amend", "C-2", "--amount", "50000", "--reason", "x")
    assert code == 1
    assert err.startswith("feil: C-2 (runde 2) fikk ikke tilskudd fordi det samme prosjektet ")
    assert "--outside-policy" not in err
    assert "max_share_of_cost" not in err
    # The frame cut to 95 000 with 90 000 awarded: 5 000 remains. A-1 (50 000, capped by the
    # share of cost) raised to 60 000 needs 10 000, and goes past the share too.
    toml = folder / "tilskudd.toml"
    cut = PROGRAMME.replace('"200 000"', '"95 000"').replace('"100 000"', '"90 000"')
    toml.write_text(cut, encoding="utf-8")
    code, out, err = tilskudd(monkeypatch, "amend", "A-1", "--amount", "60000", "--reason", "x")
    assert (code, out) == (1, "")
    assert err.startswith(f"feil: å øke A-1 (runde 1) fra 50{NBSP}000{NBSP}kr til 60{NBSP}000")
    assert "--outside-policy" not in err
    assert ledger.read_bytes() == before


def test_verify_says_how_to_give_a_round_file_that_moved(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The round's input file moved into an archive: verify said "oppgi den med --input", and
    `tilskudd verify --input FILE` was refused as a usage error (which round?). The advice now
    names the round, and followed as said it verifies."""
    code, _, err = tilskudd(monkeypatch, "allocate", "r1.csv", "--round", "1", "--commit")
    assert code == 0, err
    (folder / "arkiv").mkdir()
    shutil.move(folder / "r1.csv", folder / "arkiv" / "r1.csv")
    code, out, err = tilskudd(monkeypatch, "verify")
    assert (code, err) == (1, "")
    assert out.splitlines()[1] == (
        f"Runde 1: ikke kjørt på nytt: innfilen {folder / 'r1.csv'} finnes ikke; oppgi den "
        "med --round 1 --input FIL."
    )
    code, out, err = tilskudd(monkeypatch, "verify", "--lang", "en")
    assert out.splitlines()[1].endswith("is not there; give it with --round 1 --input FILE.")
    code, out, err = tilskudd(monkeypatch, "verify", "--round", "1", "--input", "arkiv/r1.csv")
    assert (code, err) == (0, "")
    # Another file given: said, with the same way to give the one committed.
    (folder / "r1.csv").write_text(HEADER + "\n" + ROUND_1[0] + "\n", encoding="utf-8")
    code, out, err = tilskudd(monkeypatch, "verify")
    assert code == 1
    assert out.splitlines()[1].endswith("; oppgi filen som ble ført, med --round 1 --input FIL.")


def test_funding_a_reserve_below_the_minimum_does_not_say_to_withdraw_it(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reserve application (no award) given less than min_award: the refusal said "or
    withdraw the award (tilskudd withdraw A-3)", which withdraw then refuses, there being no
    award to withdraw. It says to give at least the minimum."""
    policy = PROGRAMME.replace('max_share_of_cost = "20 %"', 'min_award = "30 000"\nreserve = 1')
    (folder / "tilskudd.toml").write_text(policy, encoding="utf-8")
    third = "A-3;Bergen kommune;964338531;Sak;1201;80000;400000;3"
    (folder / "r1.csv").write_text("\n".join([HEADER, *ROUND_1, third]) + "\n", encoding="utf-8")
    code, _, err = tilskudd(monkeypatch, "allocate", "r1.csv", "--round", "1", "--commit")
    assert code == 0, err
    code, out, _ = tilskudd(monkeypatch, "history", "A-3")
    assert "(reserve)" in out
    code, out, err = tilskudd(monkeypatch, "amend", "A-3", "--amount", "10000", "--reason", "x")
    assert (code, out) == (1, "")
    first = err.splitlines()[0]
    assert first == (
        f"feil: 10{NBSP}000{NBSP}kr til A-3 (runde 1) er under laveste tilskudd på "
        f"30{NBSP}000{NBSP}kr i tildelingsreglene for runde 1 (min_award), som ikke gir tilskudd "
        f"under det: gi minst 30{NBSP}000{NBSP}kr"
    )
    code, out, err = tilskudd(
        monkeypatch, "amend", "A-3", "--amount", "10000", "--reason", "x", "--lang", "en"
    )
    assert err.splitlines()[0].endswith(
        f"which gives no award below it: give at least NOK{NBSP}30,000"
    )
    # An award that stands is still told it may be withdrawn instead.
    code, out, err = tilskudd(monkeypatch, "amend", "A-1", "--amount", "10000", "--reason", "x")
    assert "eller trekk tilskuddet tilbake (tilskudd withdraw A-1)" in err


FIRST_AND_SECOND = {
    "nb": (
        [
            "Runde 1 er ført i registeret: 90{s}000{s}kr til 2 prosjekter i 3 kommuner (post 1). "
            "Igjen av rammen: 110{s}000{s}kr.",
            "Hash for siste post i registeret: HASH",
            "Registeret {ledger} er opprettet.",
        ],
        [
            "Runde 2 er ført i registeret: 50{s}000{s}kr til 1 prosjekt i 1 kommune (post 4). "
            "Igjen av rammen: 60{s}000{s}kr.",
            "Hash for siste post i registeret: HASH",
        ],
        "Runde 1 er den første posten i registeret {ledger}.",
    ),
    "en": (
        [
            "Committed round 1 to the ledger: NOK{s}90,000 to 2 projects in 3 municipalities "
            "(ledger entry 1). Remaining of the frame: NOK{s}110,000.",
            "Hash of the last ledger entry: HASH",
            "Created the ledger {ledger}.",
        ],
        [
            "Committed round 2 to the ledger: NOK{s}50,000 to 1 project in 1 municipality "
            "(ledger entry 4). Remaining of the frame: NOK{s}60,000.",
            "Hash of the last ledger entry: HASH",
        ],
        "Round 1 is the first entry in the ledger {ledger}.",
    ),
}


def _commit_lines(out: str) -> list[str]:
    """The lines a commit adds, from the first that says it, the hash as HASH."""
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "(post " in line or "(ledger entry " in line)
    return [re.sub(r"[0-9a-f]{64}$", "HASH", line) for line in lines[at:]]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_first_and_the_second_commit_of_a_new_ledger_say_what_was_done(
    folder: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """The first commit records the round, its entry, the hash, and that the ledger was made
    (where); the second the same, with its own entry, and nothing of a new ledger."""
    first, second, _ = FIRST_AND_SECOND[lang]
    ledger = folder / "tilskudd.ledger.sqlite"

    def said(lines: list[str]) -> list[str]:
        return [line.format(s=NBSP, ledger=ledger) for line in lines]

    code, out, err = tilskudd(monkeypatch, "allocate", "r1.csv", "--round", "1", "--commit",
                              "--lang", lang)  # fmt: skip
    assert (code, err) == (0, "")
    assert _commit_lines(out) == said(first)
    code, out, err = tilskudd(monkeypatch, "allocate", "r2.csv", "--round", "2", "--commit",
                              "--lang", lang)  # fmt: skip
    assert (code, err) == (0, "")
    assert _commit_lines(out) == said(second)
    with Ledger.open(ledger, write=False) as opened:  # the hash said is the ledger's
        assert out.splitlines()[-1].endswith(opened.head()[1])


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_first_commit_into_an_empty_ledger_file_says_where_the_ledger_is(
    folder: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """A ledger file with no entry (made by a first commit stopped halfway): the first commit
    into it is the ledger's start, and says where it is; it said nothing before."""
    ledger = folder / "tilskudd.ledger.sqlite"
    Ledger.open(ledger, create=True).close()
    first, _, started = FIRST_AND_SECOND[lang]
    code, out, err = tilskudd(monkeypatch, "allocate", "r1.csv", "--round", "1", "--commit",
                              "--lang", lang)  # fmt: skip
    assert (code, err) == (0, "")
    assert _commit_lines(out) == [
        line.format(s=NBSP, ledger=ledger) for line in [*first[:2], started]
    ]


def test_status_json_names_the_total_awarded_now_for_what_it_is(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The total over the rounds was given only as ``committed``, which in a round is what it
    awarded when committed: after an amendment the two differ. ``awarded_now`` says it;
    ``committed`` stays, the same figure, for the scripts that read it."""
    code, _out, err = tilskudd(monkeypatch, "allocate", "r1.csv", "--round", "1", "--commit")
    assert code == 0, err
    code, _out, err = tilskudd(
        monkeypatch, "amend", "A-1", "--amount", "30000", "--reason", "Billigere prosjekt"
    )
    assert code == 0, err
    code, out, err = tilskudd(monkeypatch, "status", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    (round1,) = data["rounds"]
    assert (round1["committed"], round1["current"]) == (90_000, 70_000)
    assert data["awarded_now"] == 70_000 == sum(r["current"] for r in data["rounds"])
    assert data["committed"] == data["awarded_now"]  # kept, as it was
    assert data["remaining"] == data["frame"] - data["awarded_now"] == 130_000
    keys = list(data)
    assert keys.index("awarded_now") == keys.index("committed") - 1
