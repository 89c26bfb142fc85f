"""Atomic file output: write beside the target, flush to disk, then rename over it.

A reader (or a crash) never sees half a file: the target either keeps its old content or gets
the whole new one. The temporary file lives in the target's folder so the rename stays on one
file system.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["atomic_path", "atomic_write"]


def _replace(error: UnicodeError) -> tuple[bytes, int]:
    """A character the encoding cannot hold (a lone surrogate, which text from a Python caller
    may have) written as U+FFFD, as the workbook writes it, rather than failing halfway."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    # bytes, since the UTF-8 encoder takes only ASCII text from an error handler
    return "\ufffd".encode(error.encoding, "replace") * (error.end - error.start), error.end


codecs.register_error("tilskudd.replace", _replace)


def _prefix(target: Path) -> str:
    """The start of the temporary file's name: the target's, cut short, so that a name near the
    file system's limit (255 on NTFS and ext4) still leaves room for the temporary's."""
    return f".{target.name[:40]}."


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` atomically.

    For writers (openpyxl, PDF libraries) that want a file name rather than a stream.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=_prefix(target), suffix=".tmp", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        # mkstemp makes the file private (0600); an output file gets the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        try:
            yield tmp
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    except OSError as exc:
        # Name the file the person asked for, not the temporary one beside it (or none: a write
        # to a full disk names no file).
        named = exc.filename
        temporary = named is not None and Path(named).name.startswith(_prefix(target))
        if (named is None or temporary or named == str(target.parent)) and exc.errno:
            renamed = type(exc)(exc.errno, exc.strerror, str(target))
            # Windows' own code says what errno cannot: the file is open in another program.
            renamed.winerror = getattr(exc, "winerror", None)  # type: ignore[attr-defined]
            raise renamed from exc
        raise


@contextlib.contextmanager
def atomic_write(
    target: Path, *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[IO[str]]:
    """Open a text file beside ``target`` for writing; rename it over ``target`` on success."""
    with (
        atomic_path(target) as tmp,
        open(tmp, "w", encoding=encoding, newline=newline, errors="tilskudd.replace") as handle,
    ):
        yield handle
