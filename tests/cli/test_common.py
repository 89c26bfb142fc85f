"""The command wrapper every command runs in: errors to messages, and the collector paused."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from tilskudd.cli.common import guard
from tilskudd.errors import ExitCode, PolicyError


def test_guard_pauses_the_cycle_collector_and_restores_it() -> None:
    assert gc.isenabled()
    with guard():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_guard_restores_the_collector_after_an_error() -> None:
    with pytest.raises(typer.Exit) as exit_info, guard():
        raise PolicyError("no rule by that name")
    assert exit_info.value.exit_code == int(ExitCode.USAGE)
    assert gc.isenabled()


def test_guard_leaves_a_paused_collector_paused() -> None:
    gc.disable()
    try:
        with guard():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_command_freezes_what_it_made_before_the_process_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tilskudd.cli import main

    monkeypatch.setattr("sys.argv", ["tilskudd", "--version"])
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit):
            main()
        assert gc.get_freeze_count() > 0
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_guard_hands_what_the_command_made_to_the_oldest_generation() -> None:
    gc.collect()
    with guard():
        made = [[index] for index in range(50_000)]
    young, _middle, _old = gc.get_count()
    assert young < 1_000  # not 50 000 objects waiting to be walked as the young generation
    assert gc.get_freeze_count() == 0
    del made


def test_an_error_before_the_language_is_known_is_not_in_the_last_commands_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Many commands run in one process (tests, notebooks): each starts from TILSKUDD_LANG or en."""
    import errno

    from tilskudd.cli import common

    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    common._language[0] = "nb"  # as a command before this one left it
    with pytest.raises(typer.Exit), guard():
        raise OSError(errno.ENOTDIR, "Not a directory", "ut/tildeling.xlsx")
    assert "hint: a part of the path is a file, not a folder" in capsys.readouterr().err
    monkeypatch.setenv("TILSKUDD_LANG", "nb")
    with pytest.raises(typer.Exit), guard():
        raise OSError(errno.ENOTDIR, "Not a directory", "ut/tildeling.xlsx")
    assert "tips: en del av stien er en fil" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lang", "bug", "interrupted"),
    [
        ("en", "error: tilskudd hit an unexpected problem (RuntimeError: boom). This is a bug",
         "error: interrupted\n"),
        ("nb", "feil: tilskudd støtte på et uventet problem (RuntimeError: boom). Dette er en feil",
         "feil: avbrutt\n"),
    ],
)  # fmt: skip
def test_a_bug_and_an_interruption_are_said_in_the_language(
    lang: str,
    bug: str,
    interrupted: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TILSKUDD_LANG", lang)
    with pytest.raises(typer.Exit) as exit_info, guard():
        raise RuntimeError("boom")
    assert exit_info.value.exit_code == int(ExitCode.BUG)
    assert capsys.readouterr().err.startswith(bug)
    with pytest.raises(typer.Exit) as exit_info, guard():
        raise KeyboardInterrupt
    assert exit_info.value.exit_code == 130
    assert capsys.readouterr().err == interrupted


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_a_closed_output_stream_is_no_bug(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, stream: str
) -> None:
    """Started with stdout (or stderr) closed, Python has None there: the command still runs
    and ends with its own exit code, not 'a bug in tilskudd' (exit code 3)."""
    from tilskudd.cli import main

    out = tmp_path / "tildeling.json"
    small = Path(__file__).resolve().parents[2] / "examples" / "small.xlsx"
    monkeypatch.setattr(
        "sys.argv", ["tilskudd", "allocate", str(small), "-b", "5M", "-o", str(out)]
    )
    monkeypatch.setattr(f"sys.{stream}", None)
    try:
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert exit_info.value.code in (0, None)
        assert json.loads(out.read_text(encoding="utf-8"))["budget"] == 5_000_000
    finally:
        opened = getattr(sys, stream)
        if opened is not None:
            opened.close()
        gc.unfreeze()


_BESIDE_THE_PARSE = """
import sys
import tilskudd.reading.xlsx as xlsx

plain = xlsx._parse_beside
seen = {}


def read():
    from tilskudd.i18n import _catalogue
    from tilskudd.registry import get_register

    return [get_register.cache_info().currsize, _catalogue.cache_info().currsize]


def spy(book, name, meanwhile, **keywords):
    seen["before"] = set(sys.modules)
    seen["read before"] = read()

    def beside():
        meanwhile()
        seen["after"] = set(sys.modules)
        seen["read after"] = read()

    return plain(book, name, beside if meanwhile is not None else None, **keywords)


xlsx._parse_beside = spy
from tilskudd.cli import main

sys.argv = ["tilskudd", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
wanted = sys.stdin.read().split()
print("before:", *[m for m in wanted if m in seen.get("before", ())])
print("after:", *[m for m in wanted if m in seen.get("after", ())])
print("register and catalogue:", seen.get("read before"), seen.get("read after"))
"""


@pytest.mark.parametrize(
    ("args", "modules"),
    [
        (
            ["allocate", "--budget", "20000000", "-o", "{out}.xlsx"],
            ["tilskudd.validation", "tilskudd.rules", "tilskudd.render.allocation",
             "tilskudd.export.xlsx"],
        ),
        (["allocate", "--budget", "20000000", "-o", "{out}.json"], ["tilskudd.export.json"]),
        (["check"], ["tilskudd.validation", "tilskudd.render.check"]),
        (["check", "--format", "json"], ["tilskudd.validation", "tilskudd.reports"]),
    ],
)  # fmt: skip
def test_a_command_imports_what_it_needs_next_while_the_sheet_is_parsed(
    tmp_path: Path, args: list[str], modules: list[str]
) -> None:
    """calamine parses on the other core: the imports that followed the reading are done then,
    and the register and the catalogue are read."""
    example = Path(__file__).resolve().parents[2] / "examples" / "difi_2009_runde1.xlsx"
    command = [args[0], str(example), "--register", "2009"]
    command += [a.replace("{out}", str(tmp_path / "out")) for a in args[1:]]
    done = subprocess.run(
        [sys.executable, "-c", _BESIDE_THE_PARSE, *command],
        input=" ".join(modules),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.splitlines()[-3:] == [
        "before:",
        f"after: {' '.join(modules)}",
        # The municipality register and the language's catalogue are read then too.
        "register and catalogue: [0, 0] [1, 1]",
    ]


_KEPT_TO_THE_END = """
import gc, os, sys
import tilskudd.cli
from tilskudd.cli import common, main


class Marker:
    def __del__(self) -> None:
        os.write(1, b"freed\\n")


def app(**options):
    common.keep_to_the_end(Marker())  # as a command keeps what it made
    command(**options)


command, tilskudd.cli.app = tilskudd.cli.app, app
sys.argv = ["tilskudd", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
gc.unfreeze()
alive = {name: 0 for name in ("RawTable", "ValidationResult", "CheckedTable", "RoundResult")}
for thing in gc.get_objects():
    name = type(thing).__name__
    if name in alive:
        alive[name] += 1
print("exit", code, "alive", *(f"{name}={n}" for name, n in alive.items() if n))
gc.freeze()
"""


@pytest.mark.parametrize(
    ("args", "alive"),
    [
        (["allocate", "--budget", "20000000", "-o", "{out}.xlsx"],
         ["ValidationResult", "RoundResult"]),
        (["check"], ["CheckedTable"]),
    ],
)  # fmt: skip
def test_a_command_keeps_what_it_made_to_the_process_end_unfreed(
    tmp_path: Path, args: list[str], alive: list[str]
) -> None:
    """A round of 100 000 applications is two million objects, 0.13 s to free one by one when
    the command returns: they are kept, and Python's shutdown leaves them to the system."""
    example = Path(__file__).resolve().parents[2] / "examples" / "difi_2009_runde1.xlsx"
    command = [args[0], str(example), "--register", "2009"]
    command += [a.replace("{out}", str(tmp_path / "out")) for a in args[1:]]
    done = subprocess.run(
        [sys.executable, "-c", _KEPT_TO_THE_END, *command],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    *_, said = done.stdout.splitlines()
    assert said.startswith("exit 0 alive ")
    assert [entry.split("=")[0] for entry in said.split()[3:]] == alive
    assert "freed" not in done.stdout.splitlines()


def test_only_main_keeps_what_a_command_made() -> None:
    """Run otherwise (a test's runner, a program of its own), a command keeps nothing."""
    from typer.testing import CliRunner

    from tilskudd.cli import app, common

    def kept() -> list[int]:
        return [id(thing) for thing in common._held]

    example = Path(__file__).resolve().parents[2] / "examples" / "difi_2009_runde1.xlsx"
    before = kept()
    result = CliRunner().invoke(app, ["check", str(example), "--register", "2009"])
    assert result.exit_code == 0, result.output
    assert kept() == before


def test_the_input_file_and_the_column_map_are_each_gathered_with_the_other_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What check, allocate and explain check of the input before reading it: a missing file
    and a missing map, said together; the file as typed where its problem is said instead."""
    from tilskudd.cli.common import Problems, input_and_columns
    from tilskudd.errors import InputFileError, UsageError

    monkeypatch.chdir(tmp_path)
    problems = Problems("en")
    file, column_map = input_and_columns(
        problems, Path("mangler.xlsx"), Path("kolonner.toml"), "en", quoted=False
    )
    assert (file, column_map) == (Path("mangler.xlsx"), None)
    assert [type(e) for e in problems.errors] == [InputFileError, UsageError]
    assert "mangler.xlsx" in str(problems.errors[0])
    assert "kolonner.toml" in str(problems.errors[1])

    # Its words said as a name left out of quotes: the file is not looked for.
    problems = Problems("en")
    file, column_map = input_and_columns(problems, Path("mangler.xlsx"), None, "en", quoted=True)
    assert (file, column_map, problems.errors) == (Path("mangler.xlsx"), None, [])

    (tmp_path / "søknader.csv").write_text("Søkt beløp\n1000\n", encoding="utf-8")
    (tmp_path / "kolonner.toml").write_text('[columns]\n"Beløp" = "requested"\n', encoding="utf-8")
    problems = Problems("en")
    file, column_map = input_and_columns(
        problems, Path("søknader.csv"), Path("kolonner.toml"), "en", quoted=False
    )
    assert problems.errors == []
    assert file.name == "søknader.csv"
    assert column_map == {"Beløp": "requested"}
