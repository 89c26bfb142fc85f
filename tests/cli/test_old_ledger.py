"""A ledger committed by an older tilskudd (tests/files/ledger_0_1_0, see its README.md) works
with this one: the programme commands read its recorded policies as recorded."""

from __future__ import annotations

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
    assert "Remaining: NOK 1,150,000." in plain(result.stdout)


def test_a_round_committed_with_a_county_quota_no_numbering_has_is_re_run(folder: Path) -> None:
    again = run("allocate", "r1.csv", "--round", "1")
    assert again.exit_code == 0, again.output
    assert "Awarded: NOK 700,000" in plain(again.stdout)
    amended = run("amend", "A-1", "--amount", "350000", "--reason", "Cost reduced")
    assert amended.exit_code == 0, amended.output
    assert "NOK 400,000 -> NOK 350,000" in plain(amended.stdout)


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
