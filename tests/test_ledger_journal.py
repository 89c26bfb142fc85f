"""The ledger's journal beside an earlier tilskudd that kept it in WAL mode.

A tilskudd of ledger schema 9 or earlier switches a ledger it writes to back to WAL, which is
unsafe on a shared drive; it refuses, unchanged, a ledger of a later schema, reading the version
from the file's header before SQLite opens it. These tests run such a tilskudd, built from the
project's history with ``git archive`` (skipped, saying why, where that history is not there, as
in an sdist), and read a ledger one of them wrote (tests/files/ledger_wal_by_older, its README
says how it was made).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from ledgertools import commit as commit_round
from ledgertools import commit_with_schema, dump, make_programme, run_tilskudd, write_csv
from tilskudd import ledger as lg
from tilskudd.ledger import Ledger

ROOT = Path(__file__).resolve().parents[1]
WAL_LEDGER = Path(__file__).resolve().parent / "files" / "ledger_wal_by_older"

ROUND_1 = [
    ("A-1", "Moss kommune", "974760673", "Sak 1", "0104", 60_000, 300_000, 5),
    ("A-2", "Oslo kommune", "958935420", "Sak 2", "0301", 40_000, 200_000, 4),
]
ROUND_2 = [("B-1", "Bergen kommune", "964338531", "Sak 3", "1201", 20_000, 100_000, 3)]

# The last tilskudd that kept the ledger in WAL mode, of ledger schema 9 (int before the
# rollback journal was merged), and the last of schema 8 (just before the change).
OLDER = {"392299d": 9, "131ae25": 8}


def journal_mode(path: Path) -> str:
    """The journal mode the file's header says (bytes 18 and 19: 1 rollback, 2 WAL), read
    without SQLite, which would make the -shm and -wal files of a WAL ledger it opens."""
    head = path.read_bytes()[:20]
    return {(1, 1): "rollback", (2, 2): "wal"}[(head[18], head[19])]


def a_ledger(folder: Path) -> Path:
    """Round 1 committed by this tilskudd, r2.csv written for round 2; the ledger's path."""
    programme = make_programme(folder)
    ledger = folder / "tilskudd.ledger.sqlite"
    commit_round(ledger, programme, 1, write_csv(folder / "r1.csv", ROUND_1))
    write_csv(folder / "r2.csv", ROUND_2)
    return ledger


@pytest.fixture(scope="module")
def older(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The src folder of each tilskudd of :data:`OLDER`, from ``git archive``."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("running an earlier tilskudd needs git, to take it from the history")
    if not (ROOT / ".git").exists():
        pytest.skip(f"running an earlier tilskudd needs the git history; {ROOT} has none")
    trees = {}
    for rev in OLDER:
        found = subprocess.run(
            [git, "-C", str(ROOT), "cat-file", "-e", f"{rev}^{{commit}}"], capture_output=True
        )
        if found.returncode != 0:
            pytest.skip(f"commit {rev} (an earlier tilskudd) is not in this clone's history")
        tree = tmp_path_factory.mktemp(f"tilskudd-{rev}")
        archive = subprocess.run(
            [git, "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
        trees[rev] = tree / "src"
    return trees


@pytest.mark.parametrize("rev", OLDER)
@pytest.mark.parametrize(
    "args",
    [
        ("allocate", "r2.csv", "--round", "2", "--commit"),
        ("withdraw", "A-2", "--reason", "x"),
    ],
)
def test_an_earlier_tilskudd_that_keeps_wal_refuses_this_ones_ledger_and_leaves_it(
    tmp_path: Path, older: dict[str, Path], rev: str, args: tuple[str, ...]
) -> None:
    """The tilskudd of schema 9 that kept WAL committed to this one's ledger and switched it
    back to WAL; now it refuses it as newer, before SQLite opens it, and the file is as it
    was, in the rollback journal."""
    ledger = a_ledger(tmp_path)
    before = dump(ledger)
    assert journal_mode(ledger) == "rollback"
    result = run_tilskudd(tmp_path, *args, src=older[rev])
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert f"{ledger} was written by a newer tilskudd (ledger schema version " in result.stderr
    assert f"knows up to version {OLDER[rev]}). It was not changed" in result.stderr
    assert journal_mode(ledger) == "rollback"
    assert dump(ledger) == before
    assert not Path(f"{ledger}-wal").exists()


def test_an_earlier_tilskudd_that_keeps_wal_switches_a_ledger_of_its_schema_to_wal(
    tmp_path: Path, older: dict[str, Path]
) -> None:
    """What it did to this tilskudd's ledgers before schema 10 (and how
    tests/files/ledger_wal_by_older was made): it writes to a ledger of schema 9 and leaves it
    in WAL mode."""
    programme = make_programme(tmp_path)
    ledger = tmp_path / "tilskudd.ledger.sqlite"
    commit_with_schema(ledger, programme, 1, write_csv(tmp_path / "r1.csv", ROUND_1), 9)
    write_csv(tmp_path / "r2.csv", ROUND_2)
    assert journal_mode(ledger) == "rollback"
    result = run_tilskudd(
        tmp_path, "allocate", "r2.csv", "--round", "2", "--commit", src=older["392299d"]
    )
    assert result.returncode == 0, result.stderr
    assert journal_mode(ledger) == "wal"


@pytest.fixture
def wal_folder(tmp_path: Path) -> Path:
    """A copy of tests/files/ledger_wal_by_older (the fixture is never written)."""
    copy = tmp_path / "wal"
    shutil.copytree(WAL_LEDGER, copy)
    return copy


def test_a_ledger_an_earlier_tilskudd_switched_to_wal_is_read_as_it_is(wal_folder: Path) -> None:
    """Reading changes nothing, the journal mode neither; nothing is said of it."""
    ledger = wal_folder / "tilskudd.ledger.sqlite"
    assert journal_mode(ledger) == "wal"
    before = ledger.read_bytes()
    for args in (("status",), ("history", "B-3"), ("ledger", "export", "out.csv")):
        result = run_tilskudd(wal_folder, *args)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert "WAL" not in result.stdout
    assert "Round 2: NOK\u00a050,000 to 1 project" in run_tilskudd(wal_folder, "status").stdout
    assert ledger.read_bytes() == before


def test_a_ledger_an_earlier_tilskudd_switched_to_wal_is_switched_back_when_written(
    wal_folder: Path,
) -> None:
    """The next command that writes upgrades it (schema 10, which the earlier tilskudd
    refuses) and keeps it in the rollback journal again, saying nothing but what it did; every
    entry keeps its hash."""
    ledger = wal_folder / "tilskudd.ledger.sqlite"
    with Ledger.open(ledger, write=False) as before:
        assert before.version == 9
        hashes = before._conn.execute("SELECT seq, hash FROM chain ORDER BY seq").fetchall()
    result = run_tilskudd(
        wal_folder, "withdraw", "B-3", "--reason", "Prosjektet ble ikke gjennomført"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("The award to B-3 (round 2) is withdrawn"), result.stdout
    assert journal_mode(ledger) == "rollback"
    assert not Path(f"{ledger}-wal").exists()
    with Ledger.open(ledger, write=False) as after:
        assert after.version == lg.SCHEMA_VERSION == 10
        assert after.verify_chain().ok
        chain = after._conn.execute("SELECT seq, hash FROM chain ORDER BY seq").fetchall()
        assert chain[: len(hashes)] == hashes
        assert len(chain) == len(hashes) + 1
        meta = dict(after._conn.execute("SELECT key, value FROM meta").fetchall())
        assert meta["journal"] == "rollback journal, not WAL"
        assert "migrated_to_v10" in meta


def test_a_new_ledger_is_of_the_schema_an_earlier_tilskudd_refuses(tmp_path: Path) -> None:
    """Schema 9 was the last a tilskudd that keeps WAL knew; a new ledger is of a later one,
    in the rollback journal, from its first commit."""
    ledger = a_ledger(tmp_path)
    header = ledger.read_bytes()[:100]
    assert int.from_bytes(header[60:64], "big") > 9
    assert journal_mode(ledger) == "rollback"
    with sqlite3.connect(ledger) as conn:
        assert ("journal", "rollback journal, not WAL") in conn.execute("SELECT * FROM meta")
    conn.close()
