"""Atomic output: whole files or nothing, with ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tilskudd.export.atomic import atomic_path, atomic_write


def test_output_gets_the_usual_permissions_not_private(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        target = tmp_path / "out.txt"
        with atomic_write(target) as handle:
            handle.write("x")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    finally:
        os.umask(umask)


def test_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def write_half() -> None:
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("writer failed")

    with pytest.raises(RuntimeError):
        write_half()
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_an_error_names_the_file_asked_for_not_the_temporary_one(tmp_path: Path) -> None:
    (tmp_path / "published").write_text("a file, not a folder", encoding="utf-8")
    target = tmp_path / "published" / "tildeling.xlsx"
    with pytest.raises(OSError, match="tildeling") as caught, atomic_write(target) as handle:
        handle.write("x")
    assert caught.value.filename == str(target)


def test_a_folder_as_output_is_named_as_a_folder_with_or_without_force(tmp_path: Path) -> None:
    from tilskudd.errors import OutputExistsError
    from tilskudd.export import check_output_path

    for force in (False, True):
        with pytest.raises(OutputExistsError, match="is a folder; give a file name"):
            check_output_path(tmp_path, force=force)


def test_a_device_or_a_pipe_as_output_is_refused_with_or_without_force(tmp_path: Path) -> None:
    """-o /dev/null or /dev/stdout --force would rename the output over the device itself."""
    from tilskudd.errors import OutputExistsError
    from tilskudd.export import check_output_path

    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    link = tmp_path / "link.csv"
    link.symlink_to(pipe)
    for target in (pipe, link, Path(os.devnull)):
        for force in (False, True):
            with pytest.raises(OutputExistsError) as caught:
                check_output_path(target, force=force)
            error = caught.value
            assert str(error) == f"{target} is a device or a pipe, not a file; give a file name"
            nb = f"{target} er en enhet eller et rør, ikke en fil; oppgi et filnavn"
            assert error.text("nb") == nb
    assert stat.S_ISFIFO(pipe.stat().st_mode)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="no /proc/self/fd here")
def test_a_device_name_as_output_is_refused_when_it_points_at_a_file(tmp_path: Path) -> None:
    """-o /dev/stdout with the output redirected to a file (tilskudd ... -o /dev/stdout --force
    > result.xlsx): /dev/stdout is then a link to that file, was taken for an ordinary output,
    and the output renamed over the link in /dev itself, not written into the file. The same for
    /dev/fd/N and /proc/self/fd/N; shown here with a file this test opens."""
    from tilskudd.errors import OutputExistsError
    from tilskudd.export import check_output_path

    with open(tmp_path / "redirected.xlsx", "w") as redirected:
        number = redirected.fileno()
        for target in (Path(f"/proc/self/fd/{number}"), Path(f"/dev/fd/{number}")):
            if not target.exists():
                continue
            assert target.is_file()  # as /dev/stdout is when the shell sends it to a file
            for force in (False, True):
                with pytest.raises(OutputExistsError, match="is a device or a pipe, not a file"):
                    check_output_path(target, force=force)
    if Path("/dev/shm").is_dir():  # a file of its own in the memory disk is an ordinary output
        check_output_path(Path("/dev/shm") / f"{tmp_path.name}.xlsx")


def test_a_lone_surrogate_is_written_as_a_replacement_mark(tmp_path: Path) -> None:
    """Text from Python (the library's callers) may hold one; UTF-8 cannot: the CSV, JSON,
    HTML and Markdown writers write U+FFFD for it, as the workbook does, rather than fail."""
    target = tmp_path / "out.csv"
    with atomic_write(target, encoding="utf-8-sig") as handle:
        handle.write("Bærum \ud800 kommune")
    assert target.read_text(encoding="utf-8-sig") == "Bærum \ufffd kommune"


def test_a_name_near_the_file_systems_limit_is_written(tmp_path: Path) -> None:
    """A 250-character name is allowed (255 on NTFS and ext4); the temporary file beside it,
    named after it, was not (the target's name, a dot, eight characters and ".tmp")."""
    target = tmp_path / ("Tildeling runde 1 " * 14)[:245]
    target = target.with_name(f"{target.name}.csv")
    with atomic_write(target) as handle:
        handle.write("x")
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
    assert target.read_text(encoding="utf-8") == "x"
