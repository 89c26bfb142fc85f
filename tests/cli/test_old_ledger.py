"""A ledger committed by an older tilskudd (tests/files/ledger_0_1_0, see its README.md) works
with this one: the programme commands read its recorded policies as recorded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tilskudd.cli import app

NBSP = "\u00a0"
OLD_LEDGER = Path(__file__).resolve().parents[1] / "files" / "ledger_0_1_0"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the old programme folder (the fixture is never written), the current folder."""
    copy = tmp_path / "old"
    shutil.copytree(OLD_LEDGER, copy)
    monkeypatch.chdir(copy)
    return copy


def test_status_of_a_round_with_a_recorded_county_quota_no_numbering_has(folder: Path) -> None:
    """Round 1 was committed with a quota on county "99", which tilskudd 0.1.0 took as given:
    status (which counts each round's quota minimums) stopped at it with exit 2."""
    result = run("status")
    assert result.exit_code == 0, result.output
    assert "Round 1: NOK 700,000 to 2 projects in 2 municipalities." in plain(result.stdout)
    assert "Remaining of the frame: NOK 1,150,000." in plain(result.stdout)


def test_a_round_committed_with_a_county_quota_no_numbering_has_is_re_run(folder: Path) -> None:
    again = run("allocate", "r1.csv", "--round", "1")
    assert again.exit_code == 0, again.output
    assert "Awarded: NOK 700,000" in plain(again.stdout)
    amended = run("amend", "A-1", "--amount", "350000", "--reason", "Cost reduced")
    assert amended.exit_code == 0, amended.output
    assert "from NOK 400,000 to NOK 350,000" in plain(amended.stdout)


@pytest.mark.parametrize(
    ("round_number", "setting", "awarded"),
    [("2", "time_limit", "NOK 750,000"), ("3", "min_score", "NOK 400,000")],
)
def test_a_round_committed_with_a_value_past_todays_limits_is_re_run(
    folder: Path, round_number: str, setting: str, awarded: str
) -> None:
    """Round 2 recorded time_limit = inf, round 3 a min_score of 23 decimals: values tilskudd
    0.1.0 took and today's checks refuse from a person. verify said the round was committed
    'with a policy this tilskudd cannot read', and allocate --round N refused to run it."""
    given = f"r{round_number}.csv"
    verify = run("verify", "--round", round_number, "--input", given)
    assert verify.exit_code == 0, verify.output
    assert "cannot read" not in verify.output
    assert f"gives the same 5 decisions ({awarded} awarded)" in plain(verify.stdout)
    again = run("allocate", given, "--round", round_number)
    assert again.exit_code == 0, again.output
    assert f"Awarded: {awarded}" in plain(again.stdout)
    assert setting not in again.output


@pytest.mark.parametrize(
    ("round_number", "rules"), [("1", "ranked,lottery"), ("3", "ranked,optimal")]
)
def test_the_rules_are_compared_on_a_committed_round_with_its_recorded_policy(
    folder: Path, round_number: str, rules: str
) -> None:
    """--compare took each rule's policy through the checks a person's settings get, so the
    recorded county quota "99" (round 1) and min_score of 23 decimals (round 3) were refused,
    named as settings of tilskudd.toml."""
    result = run("allocate", f"r{round_number}.csv", "--round", round_number, "--compare", rules)
    assert result.exit_code == 0, result.output
    assert "Every application gets the same decision under every rule." in result.stdout


@pytest.mark.parametrize("round_number", ["1", "2", "3"])
def test_an_option_on_a_committed_round_keeps_the_rest_as_recorded(
    folder: Path, round_number: str
) -> None:
    """An option (--reserve 0, as recorded) put the recorded policy through the checks a
    person's settings get: the county quota "99" was refused as a setting of tilskudd.toml,
    time_limit = inf and the min_score of 23 decimals as options."""
    given = f"r{round_number}.csv"
    result = run("allocate", given, "--round", round_number, "--reserve", "0")
    assert result.exit_code == 0, result.output
    assert "as committed" in result.stdout
    # What the person gives is held to today's checks.
    wrong = run("allocate", given, "--round", round_number, "--min-score", "1e99999999")
    assert wrong.exit_code == 2
    assert "--min-score: expected a number with at most 15 digits" in wrong.stderr


FUNDED_BEFORE = OLD_LEDGER.parent / "ledger_0_1_0_funded_before"


@pytest.fixture
def funded_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/files/ledger_0_1_0_funded_before (see its README.md), the current folder."""
    copy = tmp_path / "old"
    shutil.copytree(FUNDED_BEFORE, copy)
    monkeypatch.chdir(copy)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    return copy


def test_an_old_round_left_unfunded_as_funded_before_is_not_funded_past_caps_it_did_not_record(
    funded_before: Path,
) -> None:
    """Round 2, committed by tilskudd 0.1.0, left A-1 unfunded as funded in round 1 and recorded
    that reason alone: not its score nor its total cost. Once round 1's award was withdrawn,
    amend funded A-1 in round 2 with 200 000 kr without a word, a check against min_score and
    the share of cost that the ledger could not make. Refused now, saying why and what to do;
    with --outside-policy and a reason, recorded naming the rules not checked."""
    assert run("withdraw", "A-1", "--round", "1", "--reason", "Trukket").exit_code == 0
    ledger = funded_before / "tilskudd.ledger.sqlite"
    before = ledger.read_bytes()
    refused = run("amend", "A-1", "--round", "2", "--amount", "200 000", "--reason", "Ledig")
    assert refused.exit_code == 1
    assert plain(refused.stderr) == (
        "error: A-1 (round 2) cannot be raised to NOK 200,000 without --outside-policy: round "
        "2's policy funds only applications scored at least 4 (min_score), and the ledger does "
        "not hold this application's score (the round was committed by an earlier tilskudd, "
        "which did not record it with this decision). Check the score in the round's "
        "applications; if it meets min_score, or the change is decided beyond the policy, "
        "record it with --outside-policy and a reason that says so\n"
        "A-1 (round 2) cannot be raised to NOK 200,000 without --outside-policy: round 2's "
        "policy gives at most 50% of the project's total cost (max_share_of_cost), and the "
        "ledger does not hold this application's total cost (the round was committed by an "
        "earlier tilskudd, which did not record it). Check the total cost in the round's "
        "applications; if NOK 200,000 is within 50% of it, or the change is decided beyond the "
        "policy, record it with --outside-policy and a reason that says so\n"
    )
    assert ledger.read_bytes() == before
    # The caps the recorded policy and figures give are applied: max_award of the request.
    over = run("amend", "A-1", "--round", "2", "--amount", "300 000", "--reason", "Ledig")
    assert over.exit_code == 1
    assert "gives at most NOK 250,000 to an application (max_award)" in plain(over.stderr)
    amended = run(
        "amend", "A-1", "--round", "2", "--amount", "200 000", "--reason", "Styrevedtak 12.3.",
        "--outside-policy", "--lang", "nb",
    )  # fmt: skip
    assert amended.exit_code == 0, amended.output
    assert plain(amended.stdout).splitlines()[-1] == (
        "Registrert utenfor tildelingsreglene for runde 2, utover min_score (ikke kontrollert: "
        "registeret har ikke det som trengs) og max_share_of_cost (ikke kontrollert: registeret "
        "har ikke det som trengs), med begrunnelsen som ble gitt."
    )
    history = json.loads(run("history", "A-1", "--format", "json").stdout)
    assert history[1]["figures"] is None  # not recorded by tilskudd 0.1.0
    assert history[1]["amendments"][0]["outside_policy"] == [
        "min_score (not checked)",
        "max_share_of_cost (not checked)",
    ]
    verify = run("verify", "--round", "2", "--input", "r2.csv")
    assert verify.exit_code == 0, verify.output


def test_an_old_round_where_max_award_bound_names_the_share_of_cost_it_could_not_check(
    funded_before: Path,
) -> None:
    """Round 1 capped A-3 at max_award (250 000 of 300 000 asked) and, the share of its cost not
    binding, recorded no total cost: a raise past max_award may pass the share of cost too,
    which the ledger cannot tell. Recorded with --outside-policy, the entry says so."""
    amended = run(
        "amend", "A-3", "--amount", "300 000", "--reason", "Styrevedtak", "--outside-policy"
    )
    assert amended.exit_code == 0, amended.output
    assert plain(amended.stdout).splitlines()[-2:] == [
        "Recorded outside round 1's policy, beyond max_award and max_share_of_cost (not checked: "
        "the ledger does not hold what it needs), with the reason given.",
        # The figures of the rule it could check; none of the one it could not.
        "  max_award: NOK 300,000 is NOK 50,000 above the most an application gets (NOK 250,000)",
    ]
    # Within max_award, the share of cost (which did not bind below it) holds.
    lowered = run("amend", "A-3", "--amount", "250 000", "--reason", "Kutt")
    assert lowered.exit_code == 0, lowered.output
    assert "outside" not in lowered.stdout


def test_a_change_to_a_round_an_older_tilskudd_committed_records_the_date_it_was_decided(
    folder: Path,
) -> None:
    """The ledger of tilskudd 0.1.0 has no column for the date a change was decided: upgraded
    by the change that gives one, its entries as they were (verify passes), and the date shown."""
    amended = run(
        "amend", "A-1", "--amount", "350000", "--decided", "12.10.2009", "--reason", "Cost cut"
    )
    assert amended.exit_code == 0, amended.output
    assert "Decided 2009-10-12, recorded" in amended.stdout
    assert "amended 2009-10-12 (recorded " in run("history", "A-1").stdout
    verified = run("verify", "--round", "1", "--input", "r1.csv")
    assert verified.exit_code == 0, verified.output


FOREIGN_IDS_BEFORE = OLD_LEDGER.parent / "ledger_foreign_ids_before"


def test_a_ledger_from_before_identifiers_in_another_register_were_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tests/files/ledger_foreign_ids_before (see its README.md): round 1 recorded no identifier
    for Charity A (GB-CHC-1234567). The ledger stays valid: its round re-runs as committed, and
    round 2 is allocated, committed and verified on it, recording Charity A's identifier, which
    history then finds. F-1, funded in round 1, is not funded again: matched by its id."""
    folder = tmp_path / "old"
    shutil.copytree(FOREIGN_IDS_BEFORE, folder)
    monkeypatch.chdir(folder)
    checked = run("verify", "--round", "1", "--input", "r1.csv")
    assert checked.exit_code == 0, checked.output
    committed = run("allocate", "r2.csv", "--round", "2", "--commit")
    assert committed.exit_code == 0, committed.output
    checked = run("verify", "--round", "2")
    assert checked.exit_code == 0, checked.output
    found = json.loads(run("history", "GB-CHC-1234567", "--format", "json").stdout)
    assert [(a["round"], a["application_id"], a["orgnr"], a["org_id"]) for a in found] == [
        (2, "G-1", None, "GB-CHC-1234567"),
        (2, "F-1", None, "GB-CHC-1234567"),
    ]
    f1 = json.loads(run("history", "F-1", "--format", "json").stdout)
    assert [(a["round"], a["current"]) for a in f1] == [(1, 60_000), (2, 0)]
    assert f1[1]["reasons"][0]["code"] == "reason.round.already_funded"
