"""The ledger on the storage it meets on a shared drive: read-only, full, held by another writer.

A read-only or full file system is made for real, as a small tmpfs mounted for the test; that
needs root (a container's or CI's), so elsewhere these tests are skipped, saying why. Commands
run as the officer runs them, in a process of their own, and must answer with a message naming
the ledger, never a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ledgertools import commit, dump, make_programme, write_csv
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


def tilskudd(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tilskudd", *args, "--lang", "en"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


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
    shown = tilskudd(tmpfs, "status")
    assert shown.returncode == 0, shown.stderr
    assert "Round 1: NOK\u00a0100,000 to 2 projects" in shown.stdout
    checked = tilskudd(tmpfs, "verify")
    assert checked.returncode == 0, checked.stderr
    assert "all intact" in checked.stdout
    # Write: refused, naming the file and what to do.
    refused = tilskudd(tmpfs, "withdraw", "A-1", "--reason", "x")
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
    refused = tilskudd(tmpfs, "allocate", "r2.csv", "--round", "2", "--commit")
    assert refused.returncode == 1, refused.stdout
    assert "Traceback" not in refused.stderr
    assert f"the ledger {ledger} could not be read or written" in refused.stderr
    assert "is it full" in refused.stderr
    filler.unlink()
    assert dump(ledger) == before
    with Ledger.open(ledger) as opened:
        assert opened.verify_chain().ok
    done = tilskudd(tmpfs, "allocate", "r2.csv", "--round", "2", "--commit")
    assert done.returncode == 0, done.stderr
    with Ledger.open(ledger) as opened:
        assert [c.round for c in opened.commits()] == [1, 2]
        assert opened.verify_chain().ok
