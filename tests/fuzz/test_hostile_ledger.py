"""Hostile use of a programme's ledger, generated: words, never a traceback, figures that add up.

Each example is a sequence of programme commands, typed as an officer might type them and as
they go wrong: rounds committed (in order, out of order, twice, one not in tilskudd.toml, from
a file with an error in it), amendments with amounts mistyped, ids unknown or in another case,
dates impossible or to come, a withdrawn award amended or withdrawn again; `status`, `history`,
`verify` and `ledger export` in between; and the ledger file itself cut short, with bytes
changed, or read-only. What must hold after every step, whatever came before:

- the command exits 0 or 1 (2 for a value typer refuses), never 3 (a bug), never a traceback;
- a refusal says why, and a damaged or read-only ledger is named by its file;
- `status --format json` either refuses, naming the ledger, or gives figures where the frame is
  what is awarded now plus what remains, to the krone, and what is awarded now is the rounds'
  current awards added up;
- `verify` passes on a ledger only tilskudd wrote, and on one damaged it passes or says what is
  wrong, naming the ledger.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from .test_hostile_input import assert_said_plainly, fuzz, run_cli

PROGRAMME = """\
[programme]
name = "Testordning"
funder = "Testdirektoratet"
frame = "200 000"
register = "2009"

[[round]]
number = 1
budget = "100 000"
decision = "2009-04-01"

[[round]]
number = 2
decision = "2009-10-01"

[policy]
max_share_of_cost = "20 %"
round_to = "1 000"
"""

HEADER = (
    "Søknadsnr;Søker;Organisasjonsnummer;Prosjekttittel;Deltakende kommuner;Omsøkt beløp;"
    "Totalkostnad;Poeng"
)
MOSS, OSLO, BERGEN = "974760673", "958935420", "964338531"
FILES = {
    "r1.csv": [
        f"A-1;Moss kommune;{MOSS};Felles saksbehandling;0104;60000;300000;5",
        f"A-2;Oslo kommune;{OSLO};Digital post;0301;40000;200000;4",
        f"A-3;Bergen kommune;{BERGEN};Sak;1201;80000;400000;3",
    ],
    "r2.csv": [
        f"B-1;Moss kommune;{MOSS};FELLES  saksbehandling!;0104;30000;150000;5",
        f"A-2;Oslo kommune;{OSLO};Digital post;0301;40000;200000;4",
        f"B-3;Bergen kommune;{BERGEN};Sak 2;1201;50000;250000;3",
    ],
    "feil.csv": [
        f"C-1;Moss kommune;{MOSS};Nytt;0104;mange penger;300000;5",
        f"C-2;Oslo kommune;{OSLO};Annet;0301;20000;100000;4",
    ],
}

LEDGER = "tilskudd.ledger.sqlite"

IDS = st.sampled_from(["A-1", "a-1", "A-2", "A-3", "B-1", "B-3", "C-1", "C-2", "Z-9", "", " "])
AMOUNTS = st.one_of(
    st.sampled_from(
        [
            "50000",
            "50 000",
            "kr 45.000,-",
            "0",
            "-1",
            "1",
            "999",
            "40000",
            "60000",
            "80000",
            "200 000",
            "1M",
            "20 %",
            "1e400",
            "nan",
            "9" * 30,
            "abc",
            "",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
DATES = st.sampled_from(
    [None, None, "2009-10-12", "12.10.2009", "1.1.1900", "2099-01-01", "31.02.2010", "x", ""]
)
REASONS = st.sampled_from(["Prosjektet ble mindre (brev 12.10.2009)", "", "x" * 2000, "\u200b"])

STEPS = st.one_of(
    st.tuples(st.just("commit"), st.sampled_from([1, 1, 2, 2, 3]), st.sampled_from(list(FILES))),
    st.tuples(st.just("allocate"), st.sampled_from([1, 2]), st.sampled_from(list(FILES))),
    st.tuples(st.just("amend"), IDS, AMOUNTS, DATES, REASONS, st.booleans()),
    st.tuples(st.just("withdraw"), IDS, DATES, REASONS),
    st.tuples(st.just("history"), st.sampled_from(["A-1", "a-2", MOSS, "Z-9", "", "9" * 9])),
    st.tuples(st.just("export"), st.sampled_from(["ut.xlsx", "ut.csv", "ut.txt"])),
    st.tuples(st.just("verify")),
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(
        st.just("flip"),
        st.lists(st.tuples(st.integers(0, 2**16), st.integers(0, 255)), min_size=1, max_size=6),
    ),
    st.tuples(st.just("read-only")),
)


class Officer:
    """The programme folder and what was done to its ledger outside tilskudd."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
        self.folder = folder
        self.monkeypatch = monkeypatch
        self.lang = lang
        self.damaged = False
        self.read_only = False

    def run(self, *args: str) -> tuple[int, str]:
        code, said = run_cli(*args, "--lang", self.lang)
        event(f"{args[0]}: exit {code}")
        assert_said_plainly(code, said, allowed=(0, 1, 2))
        return code, said

    def step(self, step: tuple[Any, ...]) -> None:
        kind, *rest = step
        ledger = self.folder / LEDGER
        if kind == "commit":
            number, file = rest
            self.run("allocate", file, "--round", str(number), "--commit")
        elif kind == "allocate":
            number, file = rest
            self.run("allocate", file, "--round", str(number))
        elif kind == "amend":
            key, amount, decided, reason, outside = rest
            words = ["amend", key, "--amount", amount, "--reason", reason]
            words += ["--decided", decided] if decided is not None else []
            words += ["--outside-policy"] if outside else []
            self.run(*words)
        elif kind == "withdraw":
            key, decided, reason = rest
            words = ["withdraw", key, "--reason", reason]
            words += ["--decided", decided] if decided is not None else []
            self.run(*words)
        elif kind == "history":
            self.run("history", rest[0])
        elif kind == "export":
            self.run("ledger", "export", rest[0])
        elif kind == "verify":
            self.verify()
        elif kind == "truncate" and ledger.exists():
            data = ledger.read_bytes()
            ledger.write_bytes(data[: int(len(data) * rest[0])])
            self.damaged = True
        elif kind == "flip" and ledger.exists():
            data = bytearray(ledger.read_bytes())
            for at, byte in rest[0]:
                if data:
                    data[at % len(data)] = byte
            ledger.write_bytes(bytes(data))
            self.damaged = True
        elif kind == "read-only" and not self.read_only:
            self.make_read_only()

    def make_read_only(self) -> None:
        """From now on the ledger opens as a file SQLite may only read (as on a read-only share;
        the tests run as root, whom a file's mode does not stop)."""
        self.read_only = True
        connect = sqlite3.connect
        ledger = str(self.folder / LEDGER)

        def read_only(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
            if str(database) == ledger:
                kwargs["uri"] = True
                return connect(f"file:{quote(ledger)}?mode=ro", *args, **kwargs)
            return connect(database, *args, **kwargs)

        self.monkeypatch.setattr(sqlite3, "connect", read_only)

    def check_status(self) -> None:
        """`status --format json`: refused naming the ledger, or figures that add up."""
        code, said = self.run("status", "--format", "json")
        if code != 0:
            assert LEDGER in said or "tilskudd.toml" in said, said
            return
        start = said.index("{")
        status = json.loads(said[start : said.rindex("}") + 1])
        assert status["frame"] == status["awarded_now"] + status["remaining"], status
        assert status["awarded_now"] == sum(r["current"] for r in status["rounds"]), status
        assert status["committed"] == status["awarded_now"]
        for entry in status["rounds"]:
            assert 0 <= entry["committed"] <= entry["budget"], status
            assert entry["current"] >= 0, status
        event(f"status: {len(status['rounds'])} rounds, damaged {self.damaged}")

    def verify(self) -> None:
        """`verify`: passes on a ledger only tilskudd wrote; a damaged one, it passes or names."""
        code, said = self.run("verify")
        if not (self.folder / LEDGER).exists():
            assert code == 0, said  # nothing committed: it names the file it looked for
            assert LEDGER in said, said
            return
        if not self.damaged:
            assert code == 0, said
        elif code != 0:
            assert LEDGER in said, said
        event(f"verify: exit {code}, damaged {self.damaged}")


@fuzz(12)
@given(
    first=st.sampled_from([True, True, True, False]),
    steps=st.lists(STEPS, min_size=1, max_size=7),
    lang=st.sampled_from(["nb", "en"]),
)
def test_any_sequence_of_programme_commands_keeps_the_ledger_sound(
    quiet_cli: Path, first: bool, steps: list[tuple[Any, ...]], lang: str
) -> None:
    folder = Path(tempfile.mkdtemp(dir=quiet_cli))  # a new programme for each example
    (folder / "tilskudd.toml").write_text(PROGRAMME, encoding="utf-8")
    for name, rows in FILES.items():
        (folder / name).write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(folder)
        officer = Officer(folder, monkeypatch, lang)
        if first:  # most often round 1 is committed, for the steps to change
            assert officer.run("allocate", "r1.csv", "--round", "1", "--commit")[0] == 0
        for step in steps:
            officer.step(step)
            officer.check_status()
        officer.verify()
