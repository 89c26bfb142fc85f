"""Every command's --help: prose flows as paragraphs, examples keep their lines, and text in
square brackets is shown as written (not taken for markup)."""

from __future__ import annotations

import inspect

import pytest
import typer.main
from typer.testing import CliRunner

from tilskudd.cli import app

COMMANDS = [
    ["allocate"],
    ["check"],
    ["explain"],
    ["init"],
    ["status"],
    ["history"],
    ["amend"],
    ["withdraw"],
    ["verify"],
    ["ledger", "export"],
]


def _help(*command: str, lang: str = "en") -> list[str]:
    # Wide, so that a paragraph fits on one line and any break inside it is the help's own.
    env = {"COLUMNS": "1000", "TILSKUDD_LANG": lang}
    result = CliRunner().invoke(app, [*command, "--help"], env=env)
    assert result.exit_code == 0, result.output
    return [" ".join(line.split()) for line in result.stdout.splitlines()]


def _docstring(command: list[str]) -> str:
    found = typer.main.get_command(app)
    for name in command:
        found = found.commands[name]  # type: ignore[attr-defined]
    return inspect.cleandoc(found.help or "")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_prose_is_whole_paragraphs_and_examples_keep_their_lines(command: list[str]) -> None:
    lines = _help(*command)
    prose, code = [], []
    for paragraph in _docstring(command).split("\n\n"):
        if paragraph.startswith("    "):
            code += [line.strip() for line in paragraph.splitlines()]
        else:
            prose.append(" ".join(paragraph.split()))
    assert code, "every command's help has a worked example"
    for paragraph in prose:
        assert paragraph in lines  # one line, not broken where the docstring broke it
    for line in code:
        assert line in lines  # an example keeps its own lines


def test_a_paragraph_that_spans_docstring_lines_is_one_line() -> None:
    lines = _help("allocate")
    assert (
        "Invalid applications are listed as rejected with their problems and the allocation "
        "runs on the rest (unless --strict). Every result holds budget = awarded + unallocated."
    ) in lines


def test_example_output_keeps_its_lines() -> None:
    lines = _help("status")
    assert "tilskudd status" in lines
    assert "Runde 1: 20 000 000 kr til 52 prosjekter i 145 kommuner." in lines


@pytest.mark.parametrize("command", [["allocate"], ["explain"]])
def test_square_brackets_are_shown_as_written(command: list[str]) -> None:
    assert any("Policy TOML file ([policy] table)." in line for line in _help(*command))


@pytest.mark.parametrize("command", [[], *COMMANDS], ids=lambda c: " ".join(c) or "tilskudd")
def test_a_flag_shows_no_value_to_type(command: list[str]) -> None:
    """typer's "--force <bool>" read as if the flag took a value; "--force true" is refused."""
    lines = _help(*command)
    assert not [line for line in lines if "<bool>" in line]
    assert any("│ --help -h Show this message and exit. │" in line for line in lines)


@pytest.mark.parametrize("command", [[], *COMMANDS], ids=lambda c: " ".join(c) or "tilskudd")
def test_an_options_value_is_named_by_what_it_is_not_its_python_type(command: list[str]) -> None:
    """ "--budget <str>" and "--reserve <int>" told an officer nothing; AMOUNT and N do."""
    lines = [line for line in _help(*command) if line.lstrip("│ *").startswith("-")]
    for python_type in ("<str>", "<int>", "<path>", "<float>", "<int range>", "<decimal>"):
        assert not [line for line in lines if python_type in line], python_type


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_argument_is_named_once_without_its_python_type(command: list[str], lang: str) -> None:
    """typer showed an argument's name and then its Python type, "FILE <path>", "ID <str>":
    the name twice over, the second time in a programmer's words. And "--limit N [x>=0]"
    put a formula beside the option (its help says what 0 means)."""
    lines = _help(*command, lang=lang)
    start = next((k for k, line in enumerate(lines) if "Arguments" in line), None)
    shown = []
    if start is not None:
        end = next(k for k in range(start + 1, len(lines)) if lines[k].startswith("╰"))
        shown = [line.lstrip("│ *").split(" ")[0] for line in lines[start + 1 : end]]
        shown = [word for word in shown if word and not word.startswith("[")]
    for line in lines:
        assert not any(t in line for t in ("<path>", "<str>", "<int>", "[x>=0]")), line
    usage = next(line for line in lines if line.startswith("Usage:"))
    named = [w.strip("[]") for w in usage.split()[2 + len(command) :] if w != "[OPTIONS]"]
    assert shown == named


def test_an_arguments_line_reads_name_then_help() -> None:
    lines = _help("explain")
    assert "│ * FILE Applications file: .xlsx, .xlsm, .xls, .ods or .csv. │" in lines
    assert "│ * ID The application's id, as in the ID column. │" in lines
    for command in ("allocate", "check"):
        limit = [line for line in _help(command) if line.startswith("│ --limit ")]
        assert limit
        assert limit[0].startswith("│ --limit N ")
        assert "(0: all)" in limit[0]


def test_amounts_files_and_choices_read_as_an_officer_would_type_them() -> None:
    text = "\n".join(_help("allocate"))
    for shown in (
        "--budget -b AMOUNT",
        "--output -o FILE",
        "--max-share-of-cost SHARE",
        "--reserve N",
        "--at-line <skip|stop|partial>",
        "--register <2009|2024>",
    ):
        assert shown in text, shown


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        (["allocate"], "Usage: tilskudd allocate [OPTIONS] FILE"),
        (["explain"], "Usage: tilskudd explain [OPTIONS] FILE ID"),
        (["init"], "Usage: tilskudd init [OPTIONS] [FOLDER]"),
        (["history"], "Usage: tilskudd history [OPTIONS] ORGNR_OR_ID"),
        (["amend"], "Usage: tilskudd amend [OPTIONS] ID"),
        (["ledger", "export"], "Usage: tilskudd ledger export [OPTIONS] OUTPUT"),
        ([], "Usage: tilskudd [OPTIONS] COMMAND [ARGS]..."),
    ],
)
def test_the_usage_line_names_the_arguments_as_click_does(command: list[str], usage: str) -> None:
    """Not typer's "{file}", which looks like something to type braces and all."""
    lines = _help(*command)
    assert usage in lines
    assert not [line for line in lines if "{" in line]


def test_every_command_is_tilskudds() -> None:
    """Its help and its usage errors are shown as above only if it is (cli.app.App, Group)."""
    from tilskudd.cli.app import Command, Group

    root = typer.main.get_command(app)
    assert isinstance(root, Group)
    found = list(root.commands.values())  # type: ignore[attr-defined]
    assert len(found) >= 10
    while found:
        command = found.pop()
        assert isinstance(command, Command | Group), command.name
        found += list(getattr(command, "commands", {}).values())
