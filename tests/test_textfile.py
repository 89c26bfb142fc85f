"""Settings files as Notepad saves them: UTF-8 with or without a BOM, UTF-16, Windows-1252."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tilskudd.textfile import NotAFileError, decode_text, read_text

TEXT = '# Tildelingsregler for bærekraft\r\n[policy]\r\nname = "Trøndelag, Åfjord"\r\n'
READ = '# Tildelingsregler for bærekraft\n[policy]\nname = "Trøndelag, Åfjord"\n'


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252"]
)
def test_notepad_encodings_read_alike(encoding: str) -> None:
    data = TEXT.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # Notepad writes these with their BOM
        data = ("\ufeff" + TEXT).encode(encoding)
    assert decode_text(data) == READ


def test_a_lone_cr_ends_a_line() -> None:
    assert decode_text(b"a = 1\rb = 2\r") == "a = 1\nb = 2\n"


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xf8",  # a workbook (zip)
        b"rule = \x81ranked\x81\n",  # undefined in Windows-1252
        'name = "\udcff"'.encode("utf-8", "surrogateescape") + b"\x00",
    ],
)
def test_what_is_not_text_is_still_refused(data: bytes) -> None:
    with pytest.raises(UnicodeDecodeError):
        decode_text(data)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    # `--policy regler.toml` naming a named pipe waited for good for a program to write to it.
    pipe = tmp_path / "regler.toml"
    os.mkfifo(pipe)
    with pytest.raises(NotAFileError) as caught:
        read_text(pipe)
    assert caught.value.kind == "pipe"
    assert caught.value.filename == str(pipe)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_not_read_to_its_end() -> None:
    # `--columns /dev/zero` read until memory ran out.
    with pytest.raises(NotAFileError) as caught:
        read_text("/dev/zero")
    assert caught.value.kind == "device"
