"""What remains of a programme's frame across rounds, to the krone: the cases a mutation run of
the ledger's frame arithmetic and its guards found no test for (docs/testing.md, "Mutation
testing"). Each is a small programme in tmp_path, its figures worked out by hand below.

The programme of tests/ledgertools.py: round 1 plans 100 000 kr and commits A-1 60 000 and A-2
40 000 (A-3, 80 000 applied for on a cost of 400 000, is not funded); 20 % of the cost at most.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ledgertools import BERGEN, ROUND_1, ROUND_2, allocate, first_round, make_programme, write_csv
from tilskudd import ledger as lg
from tilskudd.errors import LedgerError
from tilskudd.ledger import Ledger
from tilskudd.programme import Programme, Round

# Round 3's one application: 90 000 kr of a cost of 450 000 (20 %: all of it can be given).
ROUND_3 = [("C-1", "Bergen kommune", BERGEN, "Stort", "1201", 90_000, 450_000, 5)]


def _three_rounds(tmp_path: Path, frame: str) -> Programme:
    """Round 1 plans 100 000, round 2 plans 100 000, round 3 plans nothing (what remains)."""
    programme = make_programme(tmp_path, frame=frame, budget2='budget = "100 000"')
    return programme.model_copy(update={"rounds": (*programme.rounds, Round(number=3))})


def test_a_raise_needs_only_what_it_adds_from_the_frame(tmp_path: Path) -> None:
    """Frame 110 000; round 1 commits 100 000, so 10 000 remains. A-1 lowered from 60 000 to
    50 000 returns 10 000 (20 000 remains); raised back to 60 000 it needs 10 000 of those
    20 000, not its whole 60 000 (nor 60 000 + 50 000): recorded, and 10 000 remains."""
    programme = make_programme(tmp_path, frame="110 000")
    ledger_path = first_round(tmp_path, programme, ROUND_1)
    lg.amend(ledger_path, programme, "A-1", 50_000, "cost came in lower")
    assert lg.status(ledger_path, programme).remaining == 20_000
    record = lg.amend(ledger_path, programme, "A-1", 60_000, "cost back up")
    assert (record.amount_before, record.amount_after) == (50_000, 60_000)
    assert lg.status(ledger_path, programme).remaining == 10_000


def test_a_round_after_two_committed_rounds_holds_nothing_back_for_them(tmp_path: Path) -> None:
    """Frame 300 000. Round 1 commits 100 000; round 2 (100 000 planned) commits 50 000 (B-3;
    B-1 and A-2 were funded in round 1). 150 000 remains, and round 3 may have all of it: no
    round before it is left to commit, so nothing is kept for round 2, which is committed."""
    programme = _three_rounds(tmp_path, "300 000")
    ledger_path = first_round(tmp_path, programme, ROUND_1)
    r2 = write_csv(tmp_path / "r2.csv", ROUND_2)
    assert (
        lg.commit_round(
            ledger_path, allocate(ledger_path, programme, 2, r2), programme, 2, input_path=r2
        ).awarded
        == 50_000
    )
    context = lg.round_context(ledger_path, programme, 3)
    assert (context.not_committed_before, context.planned_before) == ((), 0)
    assert (context.remaining, context.budget, context.budget_source) == (
        150_000,
        150_000,
        "remaining",
    )
    assert context.takes_from_earlier(150_000) == 0
    r3 = write_csv(tmp_path / "r3.csv", ROUND_3)
    result = allocate(ledger_path, programme, 3, r3)
    assert result.allocation.budget == 150_000
    info = lg.commit_round(ledger_path, result, programme, 3, input_path=r3)
    assert (info.awarded, info.remaining) == (90_000, 60_000)
    assert lg.status(ledger_path, programme).remaining == 60_000


def test_a_round_taking_two_earlier_rounds_money_says_to_commit_the_first(
    tmp_path: Path,
) -> None:
    """Frame 300 000, nothing committed: round 3 (the rest, 300 000) before rounds 1 and 2
    (100 000 each planned) takes 200 000 of theirs and may have at most 100 000. Round 1 is
    the one to commit first, not round 2 (which can't be committed before round 1)."""
    programme = _three_rounds(tmp_path, "300 000")
    ledger_path = tmp_path / "l.sqlite"
    r3 = write_csv(tmp_path / "r3.csv", ROUND_3)
    result = allocate(ledger_path, programme, 3, r3)
    assert result.allocation.budget == 300_000
    with pytest.raises(LedgerError) as info:
        lg.commit_round(ledger_path, result, programme, 3, input_path=r3)
    exc = info.value
    assert exc.key == "ledger.error.takes_earlier_rounds"
    params = dict(exc.params)
    assert (params["earlier"], params["first"], params["n"]) == (["1", "2"], 1, 2)
    assert (params["planned"], params["taken"], params["most"]) == (200_000, 200_000, 100_000)
    assert "Commit round 1 first" in exc.text("en")
    assert "Før runde 1 i registeret først" in exc.text("nb")
    assert not ledger_path.exists()


def _round_1_raised(tmp_path: Path) -> tuple[Programme, Path]:
    """Frame 250 000. Round 1 commits 100 000 (150 000 remains), then A-3 is raised from 0 to
    80 000 (70 000 remains): less than the 100 000 round 2 plans, so round 3 (committed
    before round 2) may have nothing."""
    programme = _three_rounds(tmp_path, "250 000")
    ledger_path = first_round(tmp_path, programme, ROUND_1)
    lg.amend(ledger_path, programme, "A-3", 80_000, "funded from what remains")
    assert lg.status(ledger_path, programme).remaining == 70_000
    return programme, ledger_path


def test_what_a_budget_takes_from_an_earlier_round_is_never_below_nothing(
    tmp_path: Path,
) -> None:
    """Frame 250 000, round 1 committed (100 000): round 3 may have 150 000 - 100 000 (round
    2's plan) = 50 000; a budget of 30 000 takes nothing of round 2's (0, not less)."""
    programme = _three_rounds(tmp_path, "250 000")
    ledger_path = first_round(tmp_path, programme, ROUND_1)
    context = lg.round_context(ledger_path, programme, 3)
    assert (context.remaining, context.not_committed_before, context.planned_before) == (
        150_000,
        (2,),
        100_000,
    )
    assert [context.takes_from_earlier(b) for b in (30_000, 50_000, 50_001)] == [0, 0, 1]


def test_with_less_left_than_an_earlier_round_plans_any_budget_takes_all_of_itself(
    tmp_path: Path,
) -> None:
    """70 000 remains and round 2 plans 100 000: round 3 may have 0 kr, so a budget of
    50 000 takes all 50 000 from round 2 (not 49 999, nor 50 001), and one of 0 takes 0."""
    programme, ledger_path = _round_1_raised(tmp_path)
    context = lg.round_context(ledger_path, programme, 3)
    assert (context.remaining, context.planned_before) == (70_000, 100_000)
    assert [context.takes_from_earlier(b) for b in (0, 1, 50_000)] == [0, 1, 50_000]


def test_a_round_of_nothing_is_committed_when_less_is_left_than_an_earlier_round_plans(
    tmp_path: Path,
) -> None:
    """As above, round 3 may have 0 kr: a budget of 1 000 is refused (it takes all 1 000 from
    round 2, at most 0), and the round with a budget of 0 is committed, its decision recorded
    and nothing awarded; 70 000 still remains."""
    programme, ledger_path = _round_1_raised(tmp_path)
    r3 = write_csv(tmp_path / "r3.csv", ROUND_3)
    with pytest.raises(LedgerError) as info:
        lg.commit_round(
            ledger_path,
            allocate(ledger_path, programme, 3, r3, budget=1_000),
            programme,
            3,
            input_path=r3,
        )
    assert info.value.key == "ledger.error.takes_earlier_rounds"
    assert (info.value.params["taken"], info.value.params["most"]) == (1_000, 0)
    result = allocate(ledger_path, programme, 3, r3, budget=0)
    assert (result.allocation.budget, result.allocation.awarded) == (0, 0)
    committed = lg.commit_round(ledger_path, result, programme, 3, input_path=r3)
    assert (committed.awarded, committed.decisions, committed.remaining) == (0, 1, 70_000)
    assert lg.status(ledger_path, programme).remaining == 70_000


def test_what_remains_of_a_ledger_written_before_amendments_is_read_without_upgrading_it(
    tmp_path: Path,
) -> None:
    """A ledger of schema 1 (before amendments) is only read by frame_remaining (as `allocate`
    does when it says what a changed round leaves): frame 200 000 - 100 000 committed."""
    programme = make_programme(tmp_path)
    ledger_path = first_round(tmp_path, programme, ROUND_1, schema=1)
    assert lg.frame_remaining(ledger_path, programme) == 100_000
    conn = sqlite3.connect(ledger_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    finally:
        conn.close()


def test_a_withdrawal_returns_the_whole_award_whatever_amount_is_passed(
    tmp_path: Path,
) -> None:
    """Ledger.amend(kind="withdraw") records 0 kr, not the amount it is given: A-2's 40 000
    returns to the frame (200 000 - 100 000 + 40 000 = 140 000 remains)."""
    programme = make_programme(tmp_path)
    ledger_path = first_round(tmp_path, programme, ROUND_1)
    with Ledger.open(ledger_path) as ledger:
        record = ledger.amend("A-2", 40_000, "withdrew", programme, kind="withdraw")
    assert (record.kind, record.amount_before, record.amount_after) == ("withdraw", 40_000, 0)
    assert lg.status(ledger_path, programme).remaining == 140_000
