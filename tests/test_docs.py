"""The terminal sessions shown in the documentation are what tilskudd prints.

Every ```console block of README.md, examples/README.md and docs/*.md is run, in document order,
on a copy of examples/ (so that the programme walk-through's ledger is written there, not in the
checkout), and its output compared with what the block shows. A document reads as one session:
``$ cd`` carries over to the blocks after it, and so does the ledger.

What a block shows:

- ``$ COMMAND`` lines, each followed by what it prints (standard output and error as they come).
- A line that is only ``…`` stands for lines left out (any number, none included); without one,
  the lines shown are the output's first or last lines, and lines shown one under the other
  follow each other in the output.
- ``…`` inside a line stands for text left out of that line (a long path, the rest of a hash).
- What differs from run to run is compared as a placeholder: the time of a ledger entry
  (``15. april 2009 kl. 12.00``) and a hash cut short (``ddf9a4bf…``).

A block that shows what a command would print on a file that is not in the repository (the
``søknader.xlsx`` of an officer) is marked ``<!-- docs: not run -->`` on the line before it; a
command that the text describes in words is run first with ``<!-- docs: run COMMAND -->``.
A fenced block of another kind marked ``<!-- docs: file PATH -->`` shows the file a command
before it wrote (PATH from the session's folder), compared as output is: ``…`` for lines and text
left out.
Output is piped, as in a saved report: 140 columns, no colours; a block printed narrower, to fit
the page, says so with ``<!-- docs: columns 100 -->``.
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(
    [ROOT / "README.md", ROOT / "examples" / "README.md", *(ROOT / "docs").glob("*.md")]
)
GAP = "…"
_NOT_RUN = "<!-- docs: not run -->"
_RUN = re.compile(r"<!-- docs: run (?P<command>.+?) -->")
_FILE = re.compile(r"<!-- docs: file (?P<path>.+?) -->")
_COLUMNS = re.compile(r"<!-- docs: columns (?P<columns>\d+) -->")
_FENCE = re.compile(r"^(?P<indent> *)```(?P<kind>\S*)\s*$")
_TIME = re.compile(
    r"\d{1,2}\. [a-zæøå]+ \d{4} kl\. \d\d\.\d\d"  # 15. april 2009 kl. 12.00
    r"|\d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d Norwegian time"
)
_HASH = re.compile(r"\b[0-9a-f]{8,}…|\b(?=[0-9a-f]*[a-f])[0-9a-f]{16,}\b")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


@dataclass
class Command:
    line: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    document: Path
    line: int  # the fence's line number, from 1
    run: bool
    before: list[str]  # commands described in words, run first (``<!-- docs: run ... -->``)
    columns: int | None  # the width it was printed at, if not the piped 140
    commands: list[Command]
    file: str | None = None  # a file written before, shown whole or in part (``docs: file``)

    @property
    def where(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"


def console_blocks(document: Path) -> Iterator[Block]:
    """The document's ```console blocks, in order, with their commands and expected output."""
    lines = document.read_text(encoding="utf-8").splitlines()
    marks: list[str] = []
    n = 0
    while n < len(lines):
        fence = _FENCE.match(lines[n])
        if fence is None:
            text = lines[n].strip()
            if text.startswith("<!--"):
                marks.append(text)
            elif text:
                marks = []
            n += 1
            continue
        indent, start = len(fence["indent"]), n
        body: list[str] = []
        n += 1
        while n < len(lines) and not _FENCE.match(lines[n]):
            body.append(lines[n][indent:])
            n += 1
        n += 1
        if fence["kind"] != "console":
            files = [m["path"] for mark in marks if (m := _FILE.fullmatch(mark))]
            if files:
                shown = [Command("", [line.rstrip() for line in body])]
                yield Block(document, start + 1, _NOT_RUN not in marks, [], None, shown, files[-1])
            marks = []
            continue
        commands: list[Command] = []
        for text in body:
            if text.startswith("$ "):
                commands.append(Command(text[2:]))
            elif commands:
                commands[-1].expected.append(text.rstrip())
            else:
                raise AssertionError(f"{document}:{start + 1}: output before the first command")
        for command in commands:
            while command.expected and not command.expected[-1]:
                command.expected.pop()
        before = [m["command"] for mark in marks if (m := _RUN.fullmatch(mark))]
        widths = [int(m["columns"]) for mark in marks if (m := _COLUMNS.fullmatch(mark))]
        columns = widths[-1] if widths else None
        yield Block(document, start + 1, _NOT_RUN not in marks, before, columns, commands)
        marks = []


def _placeholders(line: str) -> str:
    return _HASH.sub("<hash>", _TIME.sub("<time>", line.translate(_SPACES).rstrip()))


def _pattern(expected: str) -> re.Pattern[str]:
    parts = _placeholders(expected).split(GAP)
    return re.compile(".*".join(re.escape(part) for part in parts))


def _segments(expected: list[str]) -> tuple[bool, list[list[str]], bool]:
    """``expected`` as runs of lines between ``…`` lines; whether it starts and ends open."""
    segments: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == GAP:
            segments.append([])
        else:
            segments[-1].append(line)
    opens, closes = not segments[0], not segments[-1]
    return opens, [s for s in segments if s], closes


def mismatch(expected: list[str], actual: list[str]) -> str | None:
    """Why ``actual`` is not what ``expected`` shows, or None if it is."""
    actual = [_placeholders(line) for line in actual]
    while actual and not actual[-1]:
        actual.pop()
    opens, segments, closes = _segments(expected)
    if not segments:
        return None if opens or not actual else "the block shows no output"
    at = 0
    for number, segment in enumerate(segments):
        patterns = [_pattern(line) for line in segment]
        last_start = len(actual) - len(segment)
        starts = range(at, last_start + 1) if (number or opens) else range(min(0, last_start) + 1)
        found = next(
            (s for s in starts if all(p.fullmatch(actual[s + k]) for k, p in enumerate(patterns))),
            None,
        )
        if found is None:
            best = max(
                range(at, max(at, last_start) + 1),
                key=lambda s: sum(
                    s + k < len(actual) and bool(p.fullmatch(actual[s + k]))
                    for k, p in enumerate(patterns)
                ),
            )
            shown = "\n".join(f"    {line}" for line in segment)
            got = "\n".join(f"    {line}" for line in actual[best : best + len(segment) + 2])
            return f"these lines are not in the output:\n{shown}\nnearest:\n{got}"
        at = found + len(segment)
    if not closes and at != len(actual):
        extra = "\n".join(f"    {line}" for line in actual[at : at + 5])
        return f"the output goes on after the last line shown:\n{extra}"
    return None


class Session:
    """One document's commands, run in order in a copy of examples/."""

    def __init__(self, root: Path) -> None:
        self.cwd = root
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TILSKUDD_")}
        self.env.pop("COLUMNS", None)
        self.env["PYTHONIOENCODING"] = "utf-8"

    def run(self, line: str, columns: int | None = None) -> tuple[int, list[str]]:
        words = shlex.split(line, comments=True)
        if words[0] == "cd":
            self.cwd = (self.cwd / words[1]).resolve()
            return 0, []
        assert words[0] == "tilskudd", f"only tilskudd and cd are run, not: {line}"
        done = subprocess.run(
            [sys.executable, "-m", "tilskudd", *words[1:]],
            cwd=self.cwd,
            env=self.env if columns is None else {**self.env, "COLUMNS": str(columns)},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            check=False,
        )
        return done.returncode, done.stdout.splitlines()


def _copy_of_examples(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "examples",
        tmp_path / "examples",
        ignore=shutil.ignore_patterns("*.sqlite*", "__pycache__"),
    )
    return tmp_path


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_documents_terminal_sessions_are_what_tilskudd_prints(
    document: Path, tmp_path: Path
) -> None:
    session = Session(_copy_of_examples(tmp_path))
    failures = []
    for block in console_blocks(document):
        if not block.run:
            continue
        for line in block.before:
            code, output = session.run(line)
            assert code == 0, f"{block.where}: {line} (run first) failed:\n" + "\n".join(output)
        if block.file is not None:
            path = session.cwd / block.file
            written = path.read_text(encoding="utf-8-sig").splitlines() if path.is_file() else []
            why = mismatch(block.commands[0].expected, written)
            if why is not None:
                failures.append(f"{block.where}: {block.file}\n  {why}")
            continue
        for command in block.commands:
            _, output = session.run(command.line, block.columns)
            why = mismatch(command.expected, output)
            if why is not None:
                failures.append(f"{block.where}: $ {command.line}\n  {why}")
    assert not failures, "\n\n".join(failures)


def test_every_document_with_sessions_is_checked() -> None:
    """A new document with a terminal session is picked up (README, examples, docs)."""
    documented = {p for p in ROOT.rglob("*.md") if "```console" in p.read_text(encoding="utf-8")}
    documented = {p for p in documented if ".venv" not in p.parts and "out" not in p.parts}
    assert documented <= set(DOCUMENTS)


def test_a_block_showing_a_written_file_is_read_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_text(
        "<!-- docs: file out/awards.md -->\n```markdown\n# Grant awards\n…\n```\n\n"
        "```markdown\n# not compared\n```\n",
        encoding="utf-8",
    )
    [block] = console_blocks(path)
    assert (block.file, block.line, block.run) == ("out/awards.md", 2, True)
    assert block.commands[0].expected == ["# Grant awards", "…"]


# The matcher itself: what "…" and the placeholders allow, and what they do not.


def test_a_block_without_gaps_must_be_the_whole_output() -> None:
    assert mismatch(["a", "b"], ["a", "b"]) is None
    assert mismatch(["a", "b"], ["a", "b", "c"]) is not None
    assert mismatch(["b", "c"], ["a", "b", "c"]) is not None
    assert mismatch(["a", "c"], ["a", "b", "c"]) is not None


def test_a_gap_line_stands_for_any_lines_and_the_shown_lines_keep_their_order() -> None:
    assert mismatch(["…", "c"], ["a", "b", "c"]) is None
    assert mismatch(["a", "…"], ["a", "b", "c"]) is None
    assert mismatch(["a", "…", "c"], ["a", "c"]) is None
    assert mismatch(["…", "b", "…"], ["a", "b", "c"]) is None
    assert mismatch(["…", "c", "…", "a", "…"], ["a", "b", "c"]) is not None
    assert mismatch(["…", "x", "…"], ["a", "b", "c"]) is not None


def test_a_gap_inside_a_line_and_the_placeholders() -> None:
    assert (
        mismatch(["ny kjøring av …/runde1.xlsx gir"], ["ny kjøring av /tmp/x/runde1.xlsx gir"])
        is None
    )
    assert mismatch(["ny kjøring av …/runde1.xlsx gir"], ["ny kjøring av /tmp/runde2.xlsx gir"])
    assert mismatch(["hash: 201beb98…"], ["hash: ddf9a4bf…"]) is None
    assert mismatch(["ført 15. april 2009 kl. 12.00"], ["ført 29. november 2026 kl. 07.40"]) is None
    assert (
        mismatch(
            ["on 15 April 2009 at 12:00 Norwegian time"], ["on 1 May 2026 at 07:40 Norwegian time"]
        )
        is None
    )
    assert mismatch(["ført 15. april 2009 kl. 12.00"], ["ført 15. april 2009 kl. 12"]) is not None
    assert mismatch(["19 981 000 kr"], ["19 981 001 kr"]) is not None
    assert mismatch(["Ramme  5"], ["Ramme  5   "]) is None  # trailing spaces are not compared


# A number and what it counts or measures, parted by a line break, read "0" at one line's end
# and "kr" at the next one's start in a plain-text README; one of these ends a line before it.
_UNITS = (
    r"kr\b|kroner\b|NOK\b|øre\b|%|prosent\b|per cent\b|mill\.|millions?\b|millioner\b|mrd\b"
    r"|applications?\b|søknad(?:er)?\b|rows?\b|rad(?:er)?\b"
)
_NUMBER_AT_END = re.compile(r"(?:^|[\s(~≈])[-−]?\d(?:[\d .,]*\d)?$")
_UNIT_AT_START = re.compile(rf"^(?:{_UNITS})")
_UNIT_AT_END = re.compile(r"(?:^|\s)(?:kr|NOK)$")
# A word and the number it names, read "Nummer" at one line's end and "2 på reservelisten" at
# the next one's start in a quote of a reason.
_NAMING_AT_END = re.compile(r"(?:^|[\s(\"«])(?:[Rr]ank|[Nn]umber|[Nn]ummer|[Pp]lass|nr\.)$")
_NUMBER_AT_START = re.compile(r"^\d")


def _prose_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Numbered lines of running text: outside fenced and indented blocks, without headings."""
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            yield number, ""
            continue
        indented = line.startswith(("    ", "\t"))
        yield number, "" if fenced or indented or line.startswith("#") else line.strip()


def number_parted_from_unit(path: Path) -> list[str]:
    lines = list(_prose_lines(path))
    found = []
    for (number, line), (_, after) in itertools.pairwise(lines):
        if not line or not after:
            continue
        if (
            (_NUMBER_AT_END.search(line) and _UNIT_AT_START.match(after))
            or (_UNIT_AT_END.search(line) and _NUMBER_AT_START.match(after))
            or (_NAMING_AT_END.search(line) and _NUMBER_AT_START.match(after))
        ):
            found.append(f"{path.name}:{number}: {line[-20:]!r} / {after[:20]!r}")
    return found


@pytest.mark.parametrize(
    "name", ["README.md", "docs/veiledning.md", "docs/guide.md", "docs/benchmarks.md"]
)
def test_no_number_is_parted_from_its_unit_at_a_line_break(name: str) -> None:
    assert number_parted_from_unit(ROOT / name) == []


def test_a_number_parted_from_its_unit_is_found(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_text(
        "with the unfunded as 0\nkr, and over\n\nfra 2009: 60\nmillioner over\n"
        "above ~10 000\napplications\n\nin kr\n300 000\n\n    code 0\n    kr\n\n"
        'the 2024\nnumbering\n\n("Nummer\n2 på reservelisten")\n',
        encoding="utf-8",
    )
    assert [line.split(":")[1] for line in number_parted_from_unit(path)] == [
        "1",
        "4",
        "6",
        "9",
        "18",
    ]


# `--limit 0` shows every row of the table (`--limit 2` the first two): a session shown with it
# and its rows left out reads as if it printed none, and an officer who copies it gets them all.
_LIMIT_ZERO = re.compile(r"\s--limit[= ]0\b")


def sessions_showing_limit_0_without_rows(document: Path) -> list[str]:
    found = []
    for block in console_blocks(document):
        for command in block.commands:
            if not _LIMIT_ZERO.search(command.line):
                continue
            rows = [line for line in command.expected if re.match(r"\s+\d+=?\s{2,}\S", line)]
            if not rows:
                found.append(f"{document.name}:{block.line}: $ {command.line}")
    return found


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_session_with_limit_0_shows_its_rows(document: Path) -> None:
    assert sessions_showing_limit_0_without_rows(document) == []


def test_a_session_with_limit_0_and_no_rows_is_found(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_text(
        "```console\n$ tilskudd allocate a.xlsx --limit 0\n…\n   Sum  10  5\n```\n\n"
        "```console\n$ tilskudd allocate a.xlsx --limit 0\n    1  S-01  5\n…\n```\n\n"
        "```console\n$ tilskudd allocate a.xlsx --limit 3\n…\n```\n",
        encoding="utf-8",
    )
    assert sessions_showing_limit_0_without_rows(path) == [
        "t.md:1: $ tilskudd allocate a.xlsx --limit 0"
    ]
