"""What ``ledger._cut_short`` makes of a file's SQLite header, field by field: the page size
(64 KiB written as 1), the page count the header records and when it holds (written by the
SQLite that changed the file last, and not in WAL mode, where a checkpoint by another process
may write the header before the pages it counts). The command-line tests cut real ledgers of
4 KiB pages in rollback-journal mode; these tell the other fields from the code's mutants
(docs/testing.md, the run of ``_cut_short``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tilskudd import ledger as lg


def _database(path: Path, *, page_size: int = 4096, wal: bool = False) -> int:
    """A SQLite file of a few pages at ``path``, in WAL mode or not; its size."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"PRAGMA page_size = {page_size}")
        if wal:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 40)
        conn.commit()
    finally:
        conn.close()
    return path.stat().st_size


def _patch(path: Path, at: int, value: bytes) -> None:
    with open(path, "r+b") as handle:
        handle.seek(at)
        handle.write(value)


def _header(path: Path) -> bytes:
    return path.read_bytes()[:100]


def _recorded_pages(path: Path, pages: int) -> None:
    _patch(path, 28, pages.to_bytes(4, "big"))


def test_a_header_that_records_more_pages_than_the_file_holds_is_cut_short(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.sqlite"
    size = _database(path)
    pages = size // 4096
    assert lg._cut_short(path) is None
    _recorded_pages(path, pages + 1)
    problem = lg._cut_short(path)
    assert problem is not None
    assert (problem.key, problem.params["pages"], problem.params["recorded"]) == (
        "ledger.error.cut_short_pages",
        pages,
        pages + 1,
    )
    assert problem.params["size"] == size
    # As many pages as recorded, or more (a header written before the pages it adds): whole.
    _recorded_pages(path, pages)
    assert lg._cut_short(path) is None
    _recorded_pages(path, pages - 1)
    assert lg._cut_short(path) is None


def test_a_wal_ledgers_page_count_is_not_held_against_its_size(tmp_path: Path) -> None:
    """An earlier tilskudd's ledger in WAL mode, read while another process checkpoints it:
    the header may count pages not yet written. Only whole pages are asked of it."""
    path = tmp_path / "l.sqlite"
    size = _database(path, wal=True)
    assert _header(path)[18:20] == b"\x02\x02"
    _recorded_pages(path, size // 4096 + 3)
    assert lg._cut_short(path) is None
    with open(path, "r+b") as handle:
        handle.truncate(size - 10)
    problem = lg._cut_short(path)
    assert problem is not None
    assert problem.key == "ledger.error.cut_short_page"


def test_a_page_count_another_sqlite_left_is_not_held_against_the_size(tmp_path: Path) -> None:
    """The change counter (bytes 24-27) not the one the page count was written with (92-95):
    an older SQLite changed the file and did not keep the count, which may be stale."""
    path = tmp_path / "l.sqlite"
    size = _database(path)
    counter = int.from_bytes(_header(path)[24:28], "big")
    _recorded_pages(path, size // 4096 + 2)
    _patch(path, 24, (counter + 1).to_bytes(4, "big"))
    assert lg._cut_short(path) is None
    # A page count of 0 is not recorded (SQLite before 3.7.0 left it so).
    _patch(path, 24, counter.to_bytes(4, "big"))
    _recorded_pages(path, 0)
    assert lg._cut_short(path) is None


@pytest.mark.parametrize("page_size", [512, 65536])
def test_the_smallest_and_largest_pages_are_read_as_their_size(
    tmp_path: Path, page_size: int
) -> None:
    """512 bytes, and 64 KiB, which the header writes as 1: a file 256 bytes short of a whole
    number of pages is cut short."""
    path = tmp_path / "l.sqlite"
    size = _database(path, page_size=page_size)
    assert _header(path)[16:18] == (b"\x00\x01" if page_size == 65536 else b"\x02\x00")
    assert lg._cut_short(path) is None
    with open(path, "r+b") as handle:
        handle.truncate(size - 256)
    problem = lg._cut_short(path)
    assert problem is not None
    assert (problem.key, problem.params["page_size"]) == ("ledger.error.cut_short_page", page_size)


@pytest.mark.parametrize("page_size", [0, 256, 3000, 511])
def test_a_page_size_sqlite_never_writes_is_left_to_sqlite(tmp_path: Path, page_size: int) -> None:
    """Not a power of two from 512 up: the header is not SQLite's own, and SQLite says what it
    makes of the file (``_cut_short`` says nothing, whatever the size)."""
    path = tmp_path / "l.sqlite"
    _database(path)
    _patch(path, 16, page_size.to_bytes(2, "big"))
    with open(path, "r+b") as handle:
        handle.truncate(4096 * 3 - 1)
    assert lg._cut_short(path) is None


def test_a_file_that_is_not_sqlite_or_ends_in_its_header_is_left_to_the_header_check(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.sqlite"
    path.write_bytes(b"not a ledger" * 400)
    assert lg._cut_short(path) is None
    # Not SQLite, though its bytes 16-17 read as 4096 and its size is no multiple of it.
    path.write_bytes(bytes(16) + (4096).to_bytes(2, "big") + bytes(5000))
    assert lg._cut_short(path) is None
    _database(tmp_path / "whole.sqlite")
    path.write_bytes((tmp_path / "whole.sqlite").read_bytes()[:99])
    assert lg._cut_short(path) is None
    assert lg._cut_short(tmp_path / "missing.sqlite") is None
