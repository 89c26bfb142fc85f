"""Where each key of a TOML text is: the line a person looks for when a setting is wrong.

tomllib gives values, not positions. :class:`TomlPlaces` scans a text that tomllib has read
and maps each key path (``("round", 1, "budget")``, ``("policy", "quotas", 0)``) to the line of
its key, of its table's header (``[[round]]``, ``[[policy.quotas]]``), or of its element in an
array (an inline table on a line of its own). Tables may be written as headers, dotted keys
(``policy.rule = ...``) or inline (``quotas = [{...}, {...}]``).

The scan is checked against what tomllib read: when the two disagree on any value, no line is
given for anything, since a wrong line is worse than none.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["TomlPlaces"]

Path = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
# A number, a date, a time, true or false; a date and a time may be apart by one space.
_BARE_VALUE = re.compile(r"[^\s,\]\}#]+(?: \d\d:\d\d[^\s,\]\}#]*)?")


class _UnsureError(Exception):
    """The scan met what it does not understand: no lines, rather than wrong ones."""


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.lines: dict[Path, int] = {}
        self.arrays: dict[Path, int] = {}  # arrays of tables ([[x]]): how many elements so far

    def line(self, at: int) -> int:
        return bisect.bisect_right(self.starts, at)

    def peek(self, n: int = 1) -> str:
        return self.text[self.i : self.i + n]

    def skip_blank(self, *, newlines: bool) -> None:
        """Skip spaces (and newlines and comments, where ``newlines``)."""
        while self.i < len(self.text):
            c = self.text[self.i]
            if c in " \t" or (newlines and c in "\r\n"):
                self.i += 1
            elif newlines and c == "#":
                end = self.text.find("\n", self.i)
                self.i = len(self.text) if end < 0 else end
            else:
                return

    def end_of_line(self) -> None:
        self.skip_blank(newlines=False)
        if self.peek() == "#":
            end = self.text.find("\n", self.i)
            self.i = len(self.text) if end < 0 else end
        if self.i < len(self.text) and self.text[self.i] not in "\r\n":
            raise _UnsureError

    def key(self) -> list[str]:
        """A dotted key: its parts, as tomllib reads them."""
        parts = []
        while True:
            self.skip_blank(newlines=False)
            for pattern in (_BARE_KEY, _BASIC, _LITERAL):
                match = pattern.match(self.text, self.i)
                if match:
                    break
            else:
                raise _UnsureError
            written = match.group()
            self.i = match.end()
            if pattern is _BARE_KEY:
                parts.append(written)
            elif pattern is _LITERAL:
                parts.append(written[1:-1])
            else:
                parts.append(str(tomllib.loads(f"k = {written}")["k"]))
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return parts
            self.i += 1

    def resolve(self, parts: Sequence[str]) -> Path:
        """A header's key as a path, with the last element of each array of tables in it."""
        path: Path = ()
        for part in parts:
            path = (*path, part)
            if path in self.arrays:
                path = (*path, self.arrays[path] - 1)
        return path

    def string(self) -> None:
        for quote in ('"""', "'''"):
            if self.peek(3) == quote:
                end = self.i + 3
                while True:
                    if quote == '"""' and self.text[end] == "\\":
                        end += 2
                        continue
                    if self.text.startswith(quote, end):
                        break
                    end += 1
                end += 3
                # Up to two quotes just before the closing three belong to the string.
                for _ in range(2):
                    if self.text.startswith(quote[0], end):
                        end += 1
                self.i = end
                return
        match = (_BASIC if self.peek() == '"' else _LITERAL).match(self.text, self.i)
        if match is None:
            raise _UnsureError
        self.i = match.end()

    def value(self, path: Path) -> None:
        c = self.peek()
        if c in "\"'":
            self.string()
        elif c == "[":
            self.i += 1
            index = 0
            while True:
                self.skip_blank(newlines=True)
                if self.peek() == "]":
                    self.i += 1
                    return
                self.lines[(*path, index)] = self.line(self.i)
                self.value((*path, index))
                index += 1
                self.skip_blank(newlines=True)
                if self.peek() == ",":
                    self.i += 1
                elif self.peek() != "]":
                    raise _UnsureError
        elif c == "{":
            self.i += 1
            self.skip_blank(newlines=False)
            if self.peek() == "}":
                self.i += 1
                return
            while True:
                self.key_value(path)
                self.skip_blank(newlines=False)
                if self.peek() == "}":
                    self.i += 1
                    return
                if self.peek() != ",":
                    raise _UnsureError
                self.i += 1
        else:
            match = _BARE_VALUE.match(self.text, self.i)
            if match is None:
                raise _UnsureError
            self.i = match.end()

    def key_value(self, table: Path) -> None:
        self.skip_blank(newlines=False)
        line = self.line(self.i)
        parts = self.key()
        for n in range(1, len(parts)):  # a table made by a dotted key: where it first appears
            self.lines.setdefault((*table, *parts[:n]), line)
        path = (*table, *parts)
        self.lines[path] = line
        self.skip_blank(newlines=False)
        if self.peek() != "=":
            raise _UnsureError
        self.i += 1
        self.skip_blank(newlines=False)
        self.value(path)

    def document(self) -> dict[Path, int]:
        table: Path = ()
        while True:
            self.skip_blank(newlines=True)
            if self.i >= len(self.text):
                return self.lines
            line = self.line(self.i)
            if self.peek(2) == "[[":
                self.i += 2
                parts = self.key()
                if self.peek(2) != "]]":
                    raise _UnsureError
                self.i += 2
                array = (*self.resolve(parts[:-1]), parts[-1])
                self.arrays[array] = self.arrays.get(array, 0) + 1
                table = (*array, self.arrays[array] - 1)
                self.lines.setdefault(array, line)
                self.lines[table] = line
            elif self.peek() == "[":
                self.i += 1
                parts = self.key()
                if self.peek() != "]":
                    raise _UnsureError
                self.i += 1
                table = self.resolve(parts)
                self.lines[table] = line
            else:
                self.key_value(table)
            self.end_of_line()


def _values(data: Any, path: Path = ()) -> set[Path]:
    """Every path to a value that is not a table (a table may be made by its keys alone)."""
    found: set[Path] = set()
    if isinstance(data, Mapping):
        for key, value in data.items():
            found |= _values(value, (*path, key))
    else:
        found.add(path)
        if isinstance(data, list):
            for index, value in enumerate(data):
                found |= _values(value, (*path, index))
    return found


def _paths(data: Any, path: Path = ()) -> set[Path]:
    found = {path}
    if isinstance(data, Mapping):
        for key, value in data.items():
            found |= _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found |= _paths(value, (*path, index))
    return found


class TomlPlaces:
    """The lines of the keys and tables of a TOML text that tomllib reads."""

    def __init__(self, text: str) -> None:
        try:
            data = tomllib.loads(text)
            lines = _Scanner(text).document()
        except (_UnsureError, IndexError, tomllib.TOMLDecodeError):
            lines = {}
        else:
            # Each value found where tomllib found one, and nothing else: else no lines at all.
            if not (_values(data) <= set(lines) <= _paths(data)):
                lines = {}
        self._lines = lines

    def line(self, path: Sequence[str | int]) -> int | None:
        """The line of the key, table or array element at ``path``; None if not in the text."""
        return self._lines.get(tuple(path))

    def nearest(self, path: Sequence[str | int], floor: int = 1) -> int | None:
        """The line of ``path``, else of the nearest table or key holding it (a key missing from
        a table: the table's header), down to paths of ``floor`` parts; None if none is there."""
        for n in range(len(path), max(floor, 1) - 1, -1):
            found = self._lines.get(tuple(path[:n]))
            if found is not None:
                return found
        return None
