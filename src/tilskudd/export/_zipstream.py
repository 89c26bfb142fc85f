"""A small zip writer for the workbook: deflate entries in order, compressing on a second thread.

Why not :mod:`zipfile`: a sheet of 100 000 award rows is about 110 MB of XML, and deflating it
takes 0.3-0.5 s. zlib lets go of the GIL while it works, so that time can run beside the Python
that builds the next rows, but only if the thread doing it rarely needs the GIL back (each time
it does, it waits for the busy thread to hand it over, up to the interpreter's switch interval).
zipfile's streamed entries need it three times per write, and writes come every 512 rows; here
the writer thread gets blocks of :data:`CHUNK_BYTES` and does the deflating, the CRC and the file
writes of each block with three short holds of the GIL, while the caller goes on
(``benchmarks/bench_export.py``).

What it writes is plain zip (PKWARE APPNOTE 6.3): a local header, the deflated data and, for a
streamed entry, its CRC and sizes patched into that header afterwards when the target can seek
(a file, :class:`io.BytesIO`), else a data descriptor after the data; then the central directory.
Entry names are ASCII, every entry carries the time given, "made by" says MS-DOS and no file
attributes are stored, so the same input gives the same bytes on every system. No ZIP64: an
entry or a file over 4 GiB is refused with :class:`ValueError` (no spreadsheet that large opens).
"""

from __future__ import annotations

import contextlib
import queue
import struct
import threading
import zlib
from pathlib import Path
from typing import IO, Final

__all__ = ["CHUNK_BYTES", "ZipStream"]

CHUNK_BYTES: Final = 1 << 21
"""Streamed data is handed to the writer thread in blocks of at least this many bytes."""

_LIMIT = 0xFFFFFFFF  # the largest size or offset a zip without ZIP64 can say
_DEFLATED = 8
_VERSION = 20  # 2.0: deflate
_DESCRIPTOR_FLAG = 0x08
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_DESCRIPTOR = struct.Struct("<IIII")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_QUEUED = 1  # blocks waiting for the writer thread at most (memory stays flat)


def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    if not 1980 <= year <= 2107:
        raise ValueError(f"a zip entry's year must be 1980-2107, not {year}")
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


class _Entry:
    __slots__ = ("compressed", "crc", "flags", "name", "offset", "size")

    def __init__(self, name: bytes, offset: int, flags: int) -> None:
        self.name = name
        self.offset = offset
        self.flags = flags
        self.crc = 0
        self.size = 0
        self.compressed = 0


class ZipStream:
    """Write a zip file entry by entry: :meth:`part` for a whole entry, or :meth:`open`,
    :meth:`write` (any number of times) and :meth:`close_entry` for a streamed one; then
    :meth:`finish`, or :meth:`abort` after an error (the file is left unfinished, to be thrown
    away).

    ``target`` is a path (the file is created; an existing one is replaced) or a binary file
    object. Deflating and writing happen on a thread of the writer's own; an error there (a full
    disk) is raised by the next call here.
    """

    def __init__(
        self,
        target: str | Path | IO[bytes],
        date_time: tuple[int, int, int, int, int, int],
        level: int,
    ) -> None:
        self._time, self._date = _dos_time(date_time)
        self._level = level
        if isinstance(target, str | Path):
            self._file: IO[bytes] = open(target, "wb")  # noqa: SIM115 - closed by finish/abort
            self._owned = True
        else:
            self._file = target
            self._owned = False
        try:
            self._seekable = self._file.seekable()
            self._start = self._file.tell() if self._seekable else 0
        except OSError:
            self._seekable, self._start = False, 0
        self._offset = 0  # bytes written so far (by the writer thread)
        self._entries: list[_Entry] = []
        self._streaming = False
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._jobs: queue.Queue[tuple[str, bytes, bytes] | None] = queue.Queue(_QUEUED)
        self._compressor: zlib._Compress | None = None
        self._error: BaseException | None = None
        self._closed = False
        # Started by the first job, so that a writer refused at its first call leaves none behind.
        self._thread = threading.Thread(target=self._run, name="tilskudd-zip", daemon=True)

    # -- the caller's side ---------------------------------------------------------------------

    def open(self, name: str) -> None:
        """Start a streamed entry named ``name``."""
        self._check_open()
        if self._streaming:
            raise ValueError("an entry is already open")
        self._streaming = True
        self._submit(("open", _name(name), b""))

    def write(self, data: bytes) -> None:
        """Append ``data`` to the open entry."""
        self._check_open()
        if not self._streaming:
            raise ValueError("no entry is open")
        self._pending.append(data)
        self._pending_size += len(data)
        if self._pending_size >= CHUNK_BYTES:
            self._hand_over()

    def close_entry(self) -> None:
        """Finish the open entry."""
        self._check_open()
        if not self._streaming:
            raise ValueError("no entry is open")
        self._hand_over()
        self._streaming = False
        self._submit(("close", b"", b""))

    def part(self, name: str, data: bytes) -> None:
        """A whole entry named ``name``."""
        self._check_open()
        if self._streaming:
            raise ValueError("an entry is open")
        self._submit(("part", _name(name), data))

    def finish(self) -> None:
        """Write the central directory and close the file (if this writer opened it)."""
        self._check_open()
        if self._streaming:
            raise ValueError("an entry is still open")
        self._submit(("finish", b"", b""))
        self._stop()
        if self._error is not None:
            raise self._error

    def abort(self) -> None:
        """Stop without finishing the file; never raises."""
        if self._closed:
            return
        with contextlib.suppress(BaseException):  # the file is being thrown away
            self._stop()

    def _hand_over(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            self._pending_size = 0
            self._submit(("data", b"", data))

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError("the zip file is closed")

    def _submit(self, job: tuple[str, bytes, bytes]) -> None:
        if self._error is not None:
            raise self._error
        if self._thread.ident is None:
            self._thread.start()
        self._jobs.put(job)

    def _stop(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._thread.ident is not None:
            self._jobs.put(None)
            self._thread.join()
        if self._owned:
            self._file.close()

    # -- the writer thread ---------------------------------------------------------------------

    def _run(self) -> None:
        jobs = self._jobs
        try:
            while (job := jobs.get()) is not None:
                kind, name, data = job
                if kind == "data":
                    self._deflate(data)
                elif kind == "open":
                    self._begin(name)
                elif kind == "close":
                    self._end()
                elif kind == "part":
                    self._whole(name, data)
                elif kind == "finish":
                    self._directory()
        except BaseException as error:  # handed to the caller by its next call
            self._error = error
            while jobs.get() is not None:  # let the caller's puts through until it stops
                pass

    def _put(self, data: bytes | memoryview) -> None:
        self._file.write(data)
        self._offset += len(data)
        if self._offset > _LIMIT:
            raise ValueError("the workbook is over 4 GiB, more than a zip without ZIP64 holds")

    def _begin(self, name: bytes) -> None:
        flags = 0 if self._seekable else _DESCRIPTOR_FLAG
        entry = _Entry(name, self._offset, flags)
        self._entries.append(entry)
        self._put(self._local(entry))
        self._compressor = zlib.compressobj(self._level, zlib.DEFLATED, -15)

    def _deflate(self, data: bytes) -> None:
        entry = self._entries[-1]
        entry.crc = zlib.crc32(data, entry.crc)
        entry.size += len(data)
        assert self._compressor is not None
        out = self._compressor.compress(data)
        entry.compressed += len(out)
        self._put(out)

    def _end(self) -> None:
        entry = self._entries[-1]
        assert self._compressor is not None
        out = self._compressor.flush()
        self._compressor = None
        entry.compressed += len(out)
        self._put(out)
        if entry.size > _LIMIT:
            raise ValueError(f"{entry.name.decode()} is over 4 GiB, more than a zip holds")
        if entry.flags & _DESCRIPTOR_FLAG:
            self._put(_DESCRIPTOR.pack(0x08074B50, entry.crc, entry.compressed, entry.size))
        else:
            # Patch the CRC and sizes into the local header (14 bytes in), then carry on.
            here = self._file.tell()
            self._file.seek(self._start + entry.offset + 14)
            self._file.write(struct.pack("<III", entry.crc, entry.compressed, entry.size))
            self._file.seek(here)

    def _whole(self, name: bytes, content: bytes) -> None:
        entry = _Entry(name, self._offset, 0)
        compressor = zlib.compressobj(self._level, zlib.DEFLATED, -15)
        out = compressor.compress(content) + compressor.flush()
        entry.crc = zlib.crc32(content)
        entry.size = len(content)
        entry.compressed = len(out)
        self._entries.append(entry)
        self._put(self._local(entry))
        self._put(out)

    def _fields(self, entry: _Entry) -> tuple[int, ...]:
        """What the local and the central header both say of an entry, in the zip's order:
        version needed, flags, method, time, date, CRC, compressed and full size, name length."""
        return (
            _VERSION,
            entry.flags,
            _DEFLATED,
            self._time,
            self._date,
            entry.crc,
            entry.compressed,
            entry.size,
            len(entry.name),
        )

    def _local(self, entry: _Entry) -> bytes:
        return _LOCAL.pack(0x04034B50, *self._fields(entry), 0) + entry.name  # no extra field

    def _directory(self) -> None:
        start = self._offset
        if len(self._entries) > 0xFFFF:
            raise ValueError("a zip without ZIP64 holds at most 65 535 entries")
        for entry in self._entries:
            # Made by: MS-DOS (0), version 2.0; then no extra field, comment, disk number,
            # internal or external attributes; then where the entry starts.
            header = _CENTRAL.pack(
                0x02014B50, _VERSION, *self._fields(entry), 0, 0, 0, 0, 0, entry.offset
            )
            self._put(header + entry.name)
        size = self._offset - start
        count = len(self._entries)
        self._put(_END.pack(0x06054B50, 0, 0, count, count, size, start, 0))
        self._file.flush()


def _name(name: str) -> bytes:
    if not name or not name.isascii():
        raise ValueError(f"zip entry names here are plain ASCII: {name!r}")
    return name.encode()
