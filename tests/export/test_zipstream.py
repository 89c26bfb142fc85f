"""The workbook's zip writer: plain zip that zipfile reads back (CRCs checked), the same bytes for
the same input, and errors on its writer thread reported to the caller instead of lost."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tilskudd.export import _zipstream
from tilskudd.export._zipstream import ZipStream

WHEN = (2026, 11, 28, 10, 30, 14)


def _write(target: Path | io.IOBase, entries: list[tuple[str, list[bytes] | bytes]]) -> None:
    archive = ZipStream(target, WHEN, 1)  # type: ignore[arg-type]
    for name, content in entries:
        if isinstance(content, bytes):
            archive.part(name, content)
        else:
            archive.open(name)
            for block in content:
                archive.write(block)
            archive.close_entry()
    archive.finish()


def _read(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every CRC holds
        return {info.filename: archive.read(info) for info in archive.infolist()}


class _Pipe(io.RawIOBase):
    """A file object that cannot seek, as a pipe."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self.data += b
        return len(b)


_entries = st.lists(
    st.tuples(
        st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8})?\.xml", fullmatch=True),
        st.one_of(st.binary(max_size=300), st.lists(st.binary(max_size=200), max_size=5)),
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda e: e[0],
)


@settings(max_examples=60, deadline=None)
@given(_entries)
def test_what_is_written_reads_back(entries: list[tuple[str, list[bytes] | bytes]]) -> None:
    expected = {n: c if isinstance(c, bytes) else b"".join(c) for n, c in entries}
    seekable = io.BytesIO()
    _write(seekable, entries)
    assert _read(seekable.getvalue()) == expected
    pipe = _Pipe()  # no seeking: CRC and sizes go in a data descriptor after the data
    _write(pipe, entries)  # type: ignore[arg-type]
    assert _read(bytes(pipe.data)) == expected


def test_large_entries_in_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_zipstream, "CHUNK_BYTES", 1000)
    blocks = [bytes([i % 251]) * 700 for i in range(50)]
    target = io.BytesIO()
    _write(target, [("xl/worksheets/sheet1.xml", blocks), ("b.xml", b"<b/>")])
    assert _read(target.getvalue()) == {
        "xl/worksheets/sheet1.xml": b"".join(blocks),
        "b.xml": b"<b/>",
    }


def test_same_input_same_bytes_and_the_time_given(tmp_path: Path) -> None:
    entries: list[tuple[str, list[bytes] | bytes]] = [("a.xml", [b"<a>", b"x" * 5000, b"</a>"])]
    _write(tmp_path / "1.zip", entries)
    _write(tmp_path / "2.zip", entries)
    assert (tmp_path / "1.zip").read_bytes() == (tmp_path / "2.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "1.zip") as archive:
        (info,) = archive.infolist()
        assert info.date_time == WHEN  # 14 s: DOS time keeps even seconds
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.external_attr == 0
        assert info.create_system == 0


def test_an_error_on_the_writer_thread_reaches_the_caller() -> None:
    class Full(io.BytesIO):
        def write(self, b: bytes) -> int:  # type: ignore[override]
            if self.tell() > 100:
                raise OSError(28, "No space left on device")
            return super().write(b)

    archive = ZipStream(Full(), WHEN, 1)

    def fill() -> None:
        archive.open("a.xml")
        for _ in range(200):
            archive.write(b"y" * (_zipstream.CHUNK_BYTES // 2))
        archive.close_entry()
        archive.finish()

    with pytest.raises(OSError, match="No space left"):
        fill()
    archive.abort()  # after the error: stops at once, raises nothing
    assert not any(t.name == "tilskudd-zip" and t.is_alive() for t in threading.enumerate())


def test_abort_stops_the_thread_and_closes_its_file(tmp_path: Path) -> None:
    archive = ZipStream(tmp_path / "a.zip", WHEN, 1)
    archive.open("a.xml")
    archive.write(b"half")
    archive.abort()
    archive.abort()  # twice is harmless
    assert archive._file.closed
    assert not archive._thread.is_alive()
    with pytest.raises(ValueError, match="closed"):
        archive.part("b.xml", b"")


@pytest.fixture(autouse=True)
def _no_thread_left_behind() -> Iterator[None]:
    yield
    assert not any(t.name == "tilskudd-zip" for t in threading.enumerate())


def test_misuse_is_refused() -> None:
    archive = ZipStream(io.BytesIO(), WHEN, 1)
    with pytest.raises(ValueError, match="no entry is open"):
        archive.write(b"x")
    archive.open("a.xml")
    with pytest.raises(ValueError, match="already open"):
        archive.open("b.xml")
    with pytest.raises(ValueError, match="an entry is open"):
        archive.part("c.xml", b"")
    with pytest.raises(ValueError, match="still open"):
        archive.finish()
    archive.abort()
    refused = ZipStream(io.BytesIO(), WHEN, 1)
    with pytest.raises(ValueError, match="ASCII"):
        refused.part("blå.xml", b"")
    assert refused._thread.ident is None  # refused at its first call: no thread was started
    refused.abort()
    with pytest.raises(ValueError, match="1980-2107"):
        ZipStream(io.BytesIO(), (1979, 1, 1, 0, 0, 0), 1)


def test_a_file_over_the_zip_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_zipstream, "_LIMIT", 2000)
    archive = ZipStream(io.BytesIO(), WHEN, 0)  # level 0: stored as it is, so it grows

    def fill() -> None:
        archive.open("a.xml")
        archive.write(bytes(range(256)) * 20)
        archive.close_entry()
        archive.finish()

    with pytest.raises(ValueError, match="4 GiB"):
        fill()
    archive.abort()
