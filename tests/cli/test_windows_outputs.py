"""Output files on the officer's Windows machine: names Windows cannot have are refused before
the run, on every system; a file Windows will not let be replaced (open in Excel) is named, with
what to do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.errors import OutputExistsError
from tilskudd.export import refuse_windows_name

SMALL = str(Path(__file__).resolve().parents[2] / "examples" / "small.xlsx")


@pytest.fixture(autouse=True)
def _here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)


def allocate(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["allocate", SMALL, "--budget", "5M", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("aux.xlsx", "Windows keeps the name AUX for a device"),
        ("CON.csv", "Windows keeps the name CON for a device"),
        ("Com1 .pdf", "Windows keeps the name COM1 for a device"),
        ("lpt9.tar.json", "Windows keeps the name LPT9 for a device"),
        (
            "runde1.xlsx.",
            "Windows does not allow a file or folder name to end with a dot or a space",
        ),
        (
            "runde1.xlsx ",
            "Windows does not allow a file or folder name to end with a dot or a space",
        ),
        ("ut:runde1.xlsx", "Windows does not allow : in a file or folder name"),
        ('a<b>"c"|d?*.xlsx', 'Windows does not allow " * < > ? | in a file or folder name'),
        ("a\tb.xlsx", "Windows does not allow U+0009 in a file or folder name"),
    ],
)
def test_a_name_windows_cannot_have_is_refused_before_the_run(
    tmp_path: Path, name: str, said: str
) -> None:
    code, out, err = allocate("-o", name)
    assert code == 2
    assert out == ""  # refused before the round is allocated
    assert err.startswith(f"error: {name}: {said}")
    assert err.endswith("; choose another name\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "name",
    [
        "Runde 1 – Trøndelag, søknader 2026.xlsx",
        "console.xlsx",
        "auxiliary.csv",
        "nulls.json",
        "com10.xlsx",
        "CON-tildeling.md",
        "a" * 200 + ".xlsx",
        ".skjult.csv",
    ],
)
def test_names_windows_takes_are_written(tmp_path: Path, name: str) -> None:
    code, _, err = allocate("-o", name)
    assert code == 0, err
    assert (tmp_path / name).is_file()


def test_a_folder_the_output_would_make_is_checked_too(tmp_path: Path) -> None:
    code, out, err = allocate("-o", "Runde 1: Trøndelag/tildeling.xlsx")
    assert code == 2
    assert out == ""
    assert err.startswith(
        "error: Runde 1: Trøndelag/tildeling.xlsx: Windows does not allow : in a file or folder "
    )
    assert list(tmp_path.iterdir()) == []
    # A folder that is there already is the officer's own, whatever its name.
    (tmp_path / "gammel: mappe").mkdir()
    code, _, err = allocate("-o", "gammel: mappe/tildeling.xlsx")
    assert code == 0, err
    assert (tmp_path / "gammel: mappe" / "tildeling.xlsx").is_file()


def test_the_check_is_said_in_norwegian() -> None:
    code, _, err = allocate("-o", "aux.xlsx", "--lang", "nb")
    assert code == 2
    assert err.startswith("feil: aux.xlsx: Windows holder av navnet AUX til en enhet")


def test_the_library_refuses_the_same_names(tmp_path: Path) -> None:
    with pytest.raises(OutputExistsError) as caught:
        refuse_windows_name(Path("tildelinger") / "nul.csv")
    assert caught.value.key == "output.error.windows_device"
    # A folder the output would create is checked too; one that is there is the officer's.
    with pytest.raises(OutputExistsError) as caught:
        refuse_windows_name(tmp_path / "Runde 1: Trøndelag" / "runde1.xlsx")
    assert caught.value.key == "output.error.windows_characters"
    (tmp_path / "Runde 1: Trøndelag").mkdir()
    refuse_windows_name(tmp_path / "Runde 1: Trøndelag" / "runde1.xlsx")


def refuse_to_replace(monkeypatch: pytest.MonkeyPatch, winerror: int | None) -> None:
    """os.replace as Windows does it when the target is open in Excel."""

    def replace(src: object, dst: object) -> None:
        error = PermissionError(13, "The process cannot access the file")
        if winerror is not None:
            error.winerror = winerror  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("winerror", [None, 5])
def test_an_output_windows_will_not_replace_is_named_with_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, winerror: int | None
) -> None:
    (tmp_path / "tildeling.xlsx").write_bytes(b"the old one")
    refuse_to_replace(monkeypatch, winerror)
    code, _, err = allocate("-o", "tildeling.xlsx", "--force")
    assert code == 1
    assert err.startswith("error: tildeling.xlsx: The process cannot access the file\n  hint: ")
    assert "close the file if it is open in Excel" in err
    assert (tmp_path / "tildeling.xlsx").read_bytes() == b"the old one"
    assert [p.name for p in tmp_path.iterdir()] == ["tildeling.xlsx"]  # no temporary left


def test_an_output_in_use_by_another_program_says_to_close_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    refuse_to_replace(monkeypatch, 32)  # ERROR_SHARING_VIOLATION
    code, _, err = allocate("-o", "tildeling.xlsx", "--lang", "nb")
    assert code == 1
    assert err == (
        "feil: tildeling.xlsx: The process cannot access the file\n"
        "  tips: filen er åpen i et annet program (Excel?), som ikke lar den erstattes: lukk den "
        "der og kjør kommandoen på nytt.\n"
    )


@pytest.mark.parametrize(
    ("errno_", "winerror", "hint"),
    [
        (2, 206, "  hint: the file name is too long for the file system; choose a shorter one.\n"),
        (
            22,
            123,
            '  hint: Windows does not accept that name: a file or folder name may not have < > : " '
            "| ? * in it (a colon only after the drive letter, as in C:), nor end with a dot or a "
            "space.\n",
        ),
    ],
)
def test_windows_own_code_gives_the_hint(
    monkeypatch: pytest.MonkeyPatch, errno_: int, winerror: int, hint: str
) -> None:
    """Python maps ERROR_FILENAME_EXCED_RANGE to ENOENT ("the folder does not exist; create
    it") and ERROR_INVALID_NAME to EINVAL (no hint): Windows' own code says what is wrong."""

    def replace(src: object, dst: object) -> None:
        error = OSError(errno_, "Windows refused")
        error.winerror = winerror  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(os, "replace", replace)
    code, _, err = allocate("-o", "tildeling.xlsx")
    assert code == 1
    assert err == f"error: tildeling.xlsx: Windows refused\n{hint}"
