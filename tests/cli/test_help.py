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


def _help(*command: str) -> list[str]:
    # Wide, so that a paragraph fits on one line and any break inside it is the help's own.
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "1000"})
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
    """ "--budget <str>" and "--reserve <int>" told an officer nothing; AMOUNT and N do.
    (An argument's line keeps its type beside its name: "FILE <path>".)"""
    lines = [line for line in _help(*command) if line.lstrip("│ *").startswith("-")]
    for python_type in ("<str>", "<int>", "<path>", "<float>", "<int range>", "<decimal>"):
        assert not [line for line in lines if python_type in line], python_type


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
