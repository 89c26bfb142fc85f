"""tilskudd's commands as its typer app has them, for the tests that go over every one (their
help, their help in a narrow encoding): a command added to the app is covered without editing
them, and one taken out of it fails the README's check (tests/cli/test_help.py) instead of
leaving them one command fewer to test."""

from __future__ import annotations

import typer.main
from typer.core import TyperCommand, TyperGroup

from tilskudd.cli import app


def walk() -> list[tuple[list[str], TyperCommand | TyperGroup]]:
    """(the words typed after ``tilskudd``, the command) for tilskudd itself and every group
    and command under it, a group before its commands."""
    found: list[tuple[list[str], TyperCommand | TyperGroup]] = []
    todo: list[tuple[list[str], TyperCommand | TyperGroup]] = [
        ([], typer.main.get_command(app))  # type: ignore[list-item]
    ]
    while todo:
        path, command = todo.pop(0)
        found.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            todo.append(([*path, name], sub))
    return found


EVERY = [path for path, _command in walk()]
"""tilskudd itself (``[]``), each group (``["ledger"]``) and each command."""

COMMANDS = [path for path, command in walk() if not isinstance(command, TyperGroup)]
"""Each command that does something (``["allocate"]``, ``["ledger", "export"]``): not tilskudd
itself nor a group, which only list their commands."""

if len(COMMANDS) < 2 or [] not in EVERY:
    # Parametrized by an empty list, a test would be skipped, not failed.
    raise RuntimeError(f"tilskudd's commands not found in its app: {EVERY}")
