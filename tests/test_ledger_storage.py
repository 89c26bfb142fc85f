"""The ledger on the storage it meets on a shared drive: read-only, full, held by another writer.

A read-only or full file system is made for real, as a small tmpfs mounted for the test; that
needs root (a container's or CI's), so elsewhere these tests are skipped, saying why. Commands
run as the officer runs them, in a process of their own, and must answer with a message naming
the ledger, never a traceback.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledgertools import allocate, commit, dump, make_programme, run_tilskudd, tamper, write_csv
from tilskudd import ledger as lg
from tilskudd.cli import app
from tilskudd.errors import LedgerError, LedgerFileError
from tilskudd.ledger import Ledger

ROUND_1 = [
    ("A-1", "Moss kommune", "964947082", "Sak 1", "0104", 60_000, 300_000, 5),
    ("A-2", "Moss kommune", "964947082", "Sak 2", "0104", 40_000, 200_000, 4),
]
ROUND_2 = [
    (f"B-{i}", "Bergen kommune", "964338531", f"P{i}", "1201", 20_000, 100_000, 3) for i in (1, 2)
]


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs of the test's own, unmounted after it."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs (a read-only or full file system) needs root")
    where = tmp_path / "drive"
    where.mkdir()
    try:
        _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where))
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False, capture_output=True)


def a_programme(folder: Path) -> Path:
    programme = make_programme(folder)
    commit(folder / "tilskudd.ledger.sqlite", programme, 1, write_csv(folder / "r1.csv", ROUND_1))
    return folder / "tilskudd.ledger.sqlite"


def test_a_ledger_on_a_read_only_drive_is_read_and_refuses_a_write_naming_it(
    tmpfs: Path,
) -> None:
    ledger = a_programme(tmpfs)
    before = dump(ledger)
    _mount("-o", "remount,ro", str(tmpfs))
    # Read: someone with read access only (an auditor, a colleague) sees the figures.
    shown = run_tilskudd(tmpfs, "status")
    assert shown.returncode == 0, shown.stderr
    assert "Round 1: NOK\u00a0100,000 to 2 projects" in shown.stdout
    checked = run_tilskudd(tmpfs, "verify")
    assert checked.returncode == 0, checked.stderr
    assert "all intact" in checked.stdout
    # Write: refused, naming the file and what to do.
    refused = run_tilskudd(tmpfs, "withdraw", "A-1", "--reason", "x")
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert f"the ledger {ledger} cannot be opened for writing" in refused.stderr
    assert "Reading it needs no more than read access" in refused.stderr
    _mount("-o", "remount,rw", str(tmpfs))
    assert dump(ledger) == before


def test_a_commit_on_a_full_drive_is_refused_whole_and_the_next_one_works(
    tmpfs: Path,
) -> None:
    ledger = a_programme(tmpfs)
    write_csv(tmpfs / "r2.csv", ROUND_2)
    before = dump(ledger)
    filler = tmpfs / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:  # fill the drive to the last byte
        while os.write(handle, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(handle)
    refused = run_tilskudd(tmpfs, "allocate", "r2.csv", "--round", "2", "--commit")
    assert refused.returncode == 1, refused.stdout
    assert "Traceback" not in refused.stderr
    assert f"the ledger {ledger} could not be read or written" in refused.stderr
    assert "is it full" in refused.stderr
    filler.unlink()
    assert dump(ledger) == before
    with Ledger.open(ledger) as opened:
        assert opened.verify_chain().ok
    done = run_tilskudd(tmpfs, "allocate", "r2.csv", "--round", "2", "--commit")
    assert done.returncode == 0, done.stderr
    with Ledger.open(ledger) as opened:
        assert [c.round for c in opened.commits()] == [1, 2]
        assert opened.verify_chain().ok


HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")  # another tilskudd, or a database browser, writing
print("held", flush=True)
sys.stdin.read()  # until the test is done
conn.execute("ROLLBACK")
"""

READER = """
import sys
from tilskudd.ledger import Ledger
with Ledger.open(sys.argv[1], write=False) as opened:
    rows = opened._conn.execute("SELECT * FROM awards")
    rows.fetchone()  # a long ledger export (or history), half-way through the awards
    print("held", flush=True)
    sys.stdin.read()  # until the test is done
"""

WRITING = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")  # another tilskudd writing the file as it commits
print("held", flush=True)
sys.stdin.read()  # until the test is done
conn.execute("ROLLBACK")
"""


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Callable[..., None]]:
    """Hold a ledger from another process for as long as the test runs: its write lock (as
    another tilskudd committing does), or a read (``READER``, a tilskudd reading it)."""
    holders: list[subprocess.Popen[str]] = []

    def hold(ledger: Path, script: str = HOLDER) -> None:
        holder = subprocess.Popen(
            [sys.executable, "-c", script, str(ledger)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        holders.append(holder)
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"

    yield hold
    for holder in holders:
        holder.communicate(timeout=30)


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (
            ("allocate", "r2.csv", "--round", "2", "--commit"),
            "Round 2 was not committed, and nothing was recorded; when the other is done, run "
            "the same command again",
        ),
        (
            ("amend", "A-1", "--amount", "50000", "--reason", "x"),
            "The change to A-1 was not recorded; when the other is done, run the same command "
            "again (tilskudd history A-1 shows",
        ),
        (
            ("withdraw", "A-2", "--reason", "x"),
            "The change to A-2 was not recorded",
        ),
    ],
)
@pytest.mark.parametrize("holder", ["writer", "reader", "writing"])
def test_a_ledger_held_by_another_process_is_waited_for_then_refused_saying_what_to_do(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    held: Callable[..., None],
    args: tuple[str, ...],
    what: str,
    holder: str,
) -> None:
    """Held by a reader, the same: with the rollback journal a writer writes the file only
    once no process reads it, and waited past the busy timeout it said the ledger was 'locked
    by another program', to be closed, and not that nothing was recorded. Held by another
    writing the file (or waiting to), which holds off even reading it, the write is refused
    before its transaction, as the ledger is read or opened for it: that said only 'busy',
    not that the round or the change was not recorded."""
    ledger = a_programme(tmp_path)
    write_csv(tmp_path / "r2.csv", ROUND_2)
    before = dump(ledger)
    monkeypatch.setattr(lg, "_BUSY_SECONDS", 0.2)  # tilskudd waits 30 seconds
    monkeypatch.chdir(tmp_path)
    data = ledger.read_bytes()
    held(ledger, {"writer": HOLDER, "reader": READER, "writing": WRITING}[holder])
    result = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    said = " ".join(result.stderr.split())
    assert said.startswith(
        f"error: the ledger {ledger} is busy: another tilskudd, or another program, has been "
        "reading or writing it for longer than tilskudd waits (0.2 seconds; SQLite: database is "
        "locked)."
    ), said
    assert what in said, said
    assert "Traceback" not in result.output
    assert ledger.read_bytes() == data
    if holder != "writing":  # which holds off the dump's read too
        assert dump(ledger) == before


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (
            ("allocate", "r2.csv", "--round", "2", "--commit"),
            "Runde 2 ble ikke ført, og ingenting ble registrert; kjør den samme kommandoen igjen "
            "når den andre er ferdig (tilskudd status viser hva den andre førte).",
        ),
        (
            ("amend", "A-1", "--amount", "50000", "--reason", "x"),
            "Endringen av A-1 ble ikke registrert; kjør den samme kommandoen igjen når den andre "
            "er ferdig (tilskudd history A-1 viser hva den andre førte).",
        ),
        (("withdraw", "A-2", "--reason", "x"), "Endringen av A-2 ble ikke registrert;"),
    ],
)
def test_nb_a_write_held_off_before_its_transaction_says_what_was_not_recorded(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    held: Callable[..., None],
    args: tuple[str, ...],
    what: str,
) -> None:
    ledger = a_programme(tmp_path)
    write_csv(tmp_path / "r2.csv", ROUND_2)
    before = ledger.read_bytes()
    monkeypatch.setattr(lg, "_BUSY_SECONDS", 0.2)
    monkeypatch.chdir(tmp_path)
    held(ledger, WRITING)
    result = CliRunner().invoke(app, [*args, "--lang", "nb"])
    assert result.exit_code == 1, result.output
    said = " ".join(result.stderr.split())
    assert said.startswith(
        f"feil: registeret {ledger} er opptatt: en annen kjøring av tilskudd, eller et annet "
        "program, har lest eller skrevet i det lenger enn tilskudd venter (0.2 sekunder; "
        "SQLite: database is locked)."
    ), said
    assert what in said, said
    assert "lukk det programmet" not in said
    assert "Traceback" not in result.output
    assert ledger.read_bytes() == before


def test_a_write_held_off_as_the_library_opens_the_ledger_names_what_was_not_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, held: Callable[..., None]
) -> None:
    """Through the library alone, as the CLI: commit_round, amend and withdraw."""
    ledger = a_programme(tmp_path)
    programme = make_programme(tmp_path)
    result = allocate(ledger, programme, 2, write_csv(tmp_path / "r2.csv", ROUND_2))
    monkeypatch.setattr(lg, "_BUSY_SECONDS", 0.2)
    held(ledger, WRITING)
    with pytest.raises(LedgerError) as committing:
        lg.commit_round(ledger, result, programme, 2, input_path=tmp_path / "r2.csv")
    assert committing.value.key == "ledger.error.busy_round"
    assert committing.value.params["round"] == 2
    with pytest.raises(LedgerError) as amending:
        lg.amend(ledger, programme, "A-1", 50_000, "x")
    assert amending.value.key == "ledger.error.busy_change"
    assert amending.value.params["id"] == "A-1"
    with pytest.raises(LedgerError) as withdrawing:
        lg.withdraw(ledger, programme, "A-2", "x")
    assert withdrawing.value.key == "ledger.error.busy_change"
    assert withdrawing.value.params["id"] == "A-2"
    # A read is not a write: said as before, to try again.
    with pytest.raises(LedgerFileError) as reading:
        lg.history(ledger, "A-1")
    assert reading.value.key == "ledger.error.locked"


@pytest.mark.parametrize(
    "args", [("status",), ("history", "A-1"), ("verify",), ("ledger", "export", "out.csv")]
)
def test_a_reader_held_off_by_a_writer_past_the_wait_is_told_the_ledger_is_busy(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    held: Callable[..., None],
    args: tuple[str, ...],
) -> None:
    """A command that reads waits for another writing the file (or waiting to: a writer
    waiting on a long reader holds off new ones); past the wait it said 'locked by another
    program', now what a busy write says, without its 'nothing was recorded'."""
    ledger = a_programme(tmp_path)
    monkeypatch.setattr(lg, "_BUSY_SECONDS", 0.2)
    monkeypatch.chdir(tmp_path)
    held(ledger, WRITING)
    result = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    said = " ".join(result.stderr.split())
    assert said.startswith(
        f"error: the ledger {ledger} is busy: another tilskudd, or another program, has been "
        "reading or writing it for longer than tilskudd waits (0.2 seconds; SQLite: database is "
        "locked). Try again when the other is done"
    ), said
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.csv").exists()


KILLED = """
import sys, time
from pathlib import Path
from tilskudd import ledger as lg
from tilskudd.pipeline import read_applications
from tilskudd.programme import load_programme
from tilskudd.rounds import run_programme_round

ledger_path, programme_path, csv, flag = sys.argv[1:5]
programme = load_programme(programme_path)
context = lg.round_context(ledger_path, programme, 2)
checked = read_applications(csv, register="2009")
result = run_programme_round(checked, context, programme.policy, programme)
started = []
def writing():  # the write lock is held and the checks are done: the writing begins
    started.append(time.monotonic())
    Path(flag).write_text("writing")
lg._HOOKS["commit.checked"] = writing
lg.commit_round(ledger_path, result, programme, 2, input_path=csv)
print(time.monotonic() - started[0])
"""


def test_a_commit_killed_at_any_point_leaves_the_round_whole_or_not_at_all(
    tmp_path: Path,
) -> None:
    # Round 2 of 3 000 awards, several batches and more than SQLite keeps in memory, so that the
    # file is written before COMMIT and a kill can fall in the journal's writing, the awards',
    # the file's sync and the journal's deletion alike.
    ledger = a_programme(tmp_path)
    (tmp_path / "tilskudd.toml").write_text(
        (tmp_path / "tilskudd.toml").read_text(encoding="utf-8").replace("200 000", "5 000 000"),
        encoding="utf-8",
    )
    rows = [
        (f"B-{i}", "Bergen kommune", "964338531", f"Prosjekt {i}", "1201", 1_000, 5_000, 3)
        for i in range(3_000)
    ]
    csv = write_csv(tmp_path / "r2.csv", rows)
    before = dump(ledger)
    script = tmp_path / "killed.py"
    script.write_text(KILLED, encoding="utf-8")
    flag = tmp_path / "writing"

    def run() -> subprocess.Popen[str]:
        flag.unlink(missing_ok=True)
        return subprocess.Popen(
            [
                sys.executable,
                str(script),
                str(ledger),
                str(tmp_path / "tilskudd.toml"),
                str(csv),
                str(flag),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_for_writing(child: subprocess.Popen[str]) -> None:
        while not flag.exists():
            assert child.poll() is None, child.communicate()
            time.sleep(0.001)

    # How long the writing takes here, in a copy (the ledger itself stays without round 2).
    shutil.copy(ledger, tmp_path / "calibrate.sqlite")
    ledger, spare = tmp_path / "calibrate.sqlite", ledger
    out, err = run().communicate(timeout=300)
    assert out.strip(), err
    writing = float(out)
    ledger = spare
    outcomes = set()
    for step in range(8):
        child = run()
        wait_for_writing(child)
        time.sleep(writing * step / 7)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        with Ledger.open(ledger) as opened:
            rounds = [c.round for c in opened.commits()]
            assert opened.verify_chain().ok
            if rounds == [1]:
                outcomes.add("without")
                assert dump(ledger) == before
            else:
                outcomes.add("whole")
                assert rounds == [1, 2]
                assert len([a for a in opened.awards() if a.round == 2]) == 3_000
                break
    assert "without" in outcomes
    if "whole" not in outcomes:  # the next commit works
        out, err = run().communicate(timeout=300)
        assert out.strip(), err
    with Ledger.open(ledger) as opened:
        assert [c.round for c in opened.commits()] == [1, 2]
        assert opened.verify_chain().ok


BIG_ROUND = [
    (f"C-{i}", f"Lag {i}", "", f"Prosjekt {i}", "0301", 1_000 + i, 100_000, i % 7)
    for i in range(1, 301)
]


@pytest.fixture(scope="module")
def committed_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A programme folder whose ledger holds a round of 300 awards (85 pages of 4096 bytes):
    cut inside its last pages, SQLite reads rows there as missing or changed."""
    folder = tmp_path_factory.mktemp("committed")
    programme = make_programme(folder, frame="100 000 000")
    ledger = folder / "tilskudd.ledger.sqlite"
    commit(ledger, programme, 1, write_csv(folder / "r1.csv", BIG_ROUND))
    write_csv(folder / "r2.csv", [(f"D-{i}", *row[1:]) for i, row in enumerate(BIG_ROUND)])
    return folder


CUTS = {
    "99.7 %": lambda size: size * 997 // 1000,
    "90 %": lambda size: size * 9 // 10,
    "50 %": lambda size: size // 2,
    "after the header": lambda size: 100,
    "at a page's end": lambda size: size // 2 // 4096 * 4096,
}
COMMANDS = {
    "verify": ("verify",),
    "status": ("status",),
    "history": ("history", "C-1"),
    "amend": ("amend", "C-1", "--amount", "500", "--reason", "x"),
    "commit": ("allocate", "r2.csv", "--round", "2", "--commit"),
}


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("cut", CUTS)
def test_a_ledger_cut_short_is_damaged_not_changed_outside_tilskudd(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    committed_ledger: Path,
    cut: str,
    command: str,
    lang: str,
) -> None:
    """A ledger a copy or a sync left short: cut inside its last page, SQLite read the missing
    part as zeros, and verify, amend and commit said 'Hash chain BROKEN' or 'changed outside
    tilskudd', blaming a person (and a ledger short of an unused page took an amendment). Now
    every command says the file is damaged, cut short, and to restore it, and leaves it."""
    folder = tmp_path / "programme"
    shutil.copytree(committed_ledger, folder)
    ledger = folder / "tilskudd.ledger.sqlite"
    size = ledger.stat().st_size
    assert size % 4096 == 0
    assert size > 80 * 4096
    with open(ledger, "r+b") as handle:
        handle.truncate(CUTS[cut](size))
    before = ledger.read_bytes()
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(app, [*COMMANDS[command], "--lang", lang])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    said = " ".join(result.stderr.split())
    if lang == "en":
        assert said.startswith(f"error: the ledger {ledger} is damaged: it "), said
        assert "so its end is missing (a copy or sync cut short?)" in said, said
        assert "Restore it from a backup" in said, said
    else:
        assert said.startswith(f"feil: registeret {ledger} er skadet: det "), said
        assert "så slutten mangler (en kopi eller synkronisering som ble avbrutt?)" in said
        assert "Gjenopprett det fra en sikkerhetskopi" in said, said
    assert "BROKEN" not in result.output
    assert "BRUTT" not in result.output
    assert "changed outside tilskudd at" not in said
    assert "endret utenom tilskudd ved" not in said
    assert "endret utenfor tilskudd ved" not in said
    assert "Traceback" not in result.output
    assert ledger.read_bytes() == before


def test_a_ledger_cut_short_names_its_size_and_pages(
    tmp_path: Path, committed_ledger: Path
) -> None:
    folder = tmp_path / "programme"
    shutil.copytree(committed_ledger, folder)
    ledger = folder / "tilskudd.ledger.sqlite"
    size = ledger.stat().st_size
    with open(ledger, "r+b") as handle:
        handle.truncate(size * 997 // 1000)
    with pytest.raises(LedgerFileError) as cut:
        lg.verify_chain(ledger)
    assert str(cut.value).startswith(
        f"the ledger {ledger} is damaged: it is {size * 997 // 1000} bytes long, not a whole "
        "number of its 4096-byte pages"
    )
    with open(ledger, "r+b") as handle:
        handle.truncate(40 * 4096)
    with pytest.raises(LedgerFileError) as pages:
        lg.verify_chain(ledger)
    assert str(pages.value).startswith(
        f"the ledger {ledger} is damaged: it holds 40 of the {size // 4096} pages its header "
        "records, so its end is missing"
    )


def _break_a_chain_page(ledger: Path) -> None:
    """Point the first row of the chain's last page outside the page, as a disk's fault or a
    copy's would (not an edit: the sqlite3 shell leaves a file SQLite finds sound)."""
    conn = sqlite3.connect(ledger)
    try:
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'chain'").fetchone()
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    with open(ledger, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        head = handle.read(12)
        # An interior page (type 5) keeps its right-most child's number at bytes 8-11.
        page = int.from_bytes(head[8:12], "big") if head[0] == 5 else root
        handle.seek((page - 1) * page_size + 8)  # a leaf's first cell pointer
        handle.write(b"\x00\x00")


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize("command", COMMANDS)
def test_a_chain_broken_in_a_file_sqlite_finds_unsound_is_damaged_not_changed_outside(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    committed_ledger: Path,
    command: str,
    lang: str,
) -> None:
    """A page of the chain damaged: SQLite reads its first row as another, and verify said
    'Hash chain BROKEN at entry 301: entry 301 is missing', amend and commit 'changed outside
    tilskudd', status and history warned so. PRAGMA quick_check finds the page unsound, so
    every command now says the ledger is damaged."""
    folder = tmp_path / "programme"
    shutil.copytree(committed_ledger, folder)
    ledger = folder / "tilskudd.ledger.sqlite"
    _break_a_chain_page(ledger)
    before = ledger.read_bytes()
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(app, [*COMMANDS[command], "--lang", lang])
    assert result.exit_code == 1, result.output
    said = " ".join(result.stderr.split())
    if lang == "en":
        assert said.startswith(f"error: the ledger {ledger} is damaged (SQLite: "), said
        assert "Restore it from a backup" in said, said
    else:
        assert said.startswith(f"feil: registeret {ledger} er skadet (SQLite: "), said
        assert "Gjenopprett det fra en sikkerhetskopi" in said, said
    assert "BROKEN" not in result.output
    assert "BRUTT" not in result.output
    assert "changed outside tilskudd" not in said
    assert "endret utenom tilskudd" not in said
    assert "endret utenfor tilskudd" not in said
    assert "Traceback" not in result.output
    assert ledger.read_bytes() == before


def test_a_chain_changed_in_a_sound_file_is_still_changed_outside_tilskudd(
    tmp_path: Path, committed_ledger: Path
) -> None:
    """An edit with the sqlite3 shell leaves the file sound: said as changed, as before."""
    folder = tmp_path / "programme"
    shutil.copytree(committed_ledger, folder)
    ledger = folder / "tilskudd.ledger.sqlite"
    tamper(
        ledger,
        "UPDATE awards SET amount = amount + 1 WHERE application_id = 'C-7'",
    )
    report = lg.verify_chain(ledger)
    assert not report.ok
    assert report.problem is not None
    assert "differs from what was recorded" in report.problem
