"""The ledger tests' shared set-up: two small rounds' applications, a programme file around
them, and committing a round as ``tilskudd allocate --round N --commit`` does, through the
library; plus what the tests look at a ledger with (its whole content as SQL) and how they
change it as someone with the sqlite3 shell would; and running tilskudd in a process of its
own, as an officer's command line does (the ledger held by another process, an older tilskudd).

Used by the ledger tests (tests/test_ledger*.py) and a few of the command line's (pytest puts
tests/ on the path: ``from ledgertools import ...``).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from tilskudd import ledger as lg
from tilskudd.ledger import Ledger
from tilskudd.models import RoundResult
from tilskudd.pipeline import read_applications
from tilskudd.programme import Programme, load_programme
from tilskudd.rounds import run_programme_round

HEADER = (
    "Søknadsnr;Søker;Organisasjonsnummer;Prosjekttittel;Deltakende kommuner;Omsøkt beløp;"
    "Totalkostnad;Poeng"
)
MOSS, OSLO, BERGEN = "974760673", "958935420", "964338531"

# Round 1: 100 000 budget. are funded (60 000 + 40 000), A-3 is not.
ROUND_1 = [
    ("A-1", "Moss kommune", MOSS, "Felles saksbehandling", "0104, 0105", 60_000, 300_000, 5),
    ("A-2", "Oslo kommune", OSLO, "Digital post", "0301", 40_000, 200_000, 4),
    ("A-3", "Bergen kommune", BERGEN, "Sak", "1201", 80_000, 400_000, 3),
]
# Round 2: B-1 is A-1 again (same orgnr, same title in other spelling); A-2 again by id.
ROUND_2 = [
    ("B-1", "Moss kommune", MOSS, "FELLES  saksbehandling!", "0104", 30_000, 150_000, 5),
    ("A-2", "Oslo kommune", OSLO, "Digital post", "0301", 40_000, 200_000, 4),
    ("B-3", "Bergen kommune", BERGEN, "Sak 2", "1201", 50_000, 250_000, 3),
]

PROGRAMME = """\
[programme]
name = "Testordning"
funder = "Testdirektoratet"
frame = "{frame}"
register = "2009"

[[round]]
number = 1
budget = "100 000"

[[round]]
number = 2
{budget2}

[policy]
max_share_of_cost = "20 %"
{policy}
"""


def write_csv(path: Path, rows: Sequence[tuple[object, ...]]) -> Path:
    lines = [HEADER] + [";".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_programme(
    folder: Path, *, frame: str = "200 000", budget2: str = "", policy: str = ""
) -> Programme:
    path = folder / "tilskudd.toml"
    path.write_text(PROGRAMME.format(frame=frame, budget2=budget2, policy=policy), encoding="utf-8")
    return load_programme(path)


def allocate(
    ledger_path: Path, programme: Programme, round_number: int, csv: Path, budget: int | None = None
) -> RoundResult:
    checked = read_applications(csv, register="2009")
    context = lg.round_context(ledger_path, programme, round_number)
    return run_programme_round(
        checked, context, programme.round_policy(round_number), programme, budget=budget
    )


def commit(ledger_path: Path, programme: Programme, round_number: int, csv: Path) -> lg.CommitInfo:
    result = allocate(ledger_path, programme, round_number, csv)
    return lg.commit_round(ledger_path, result, programme, round_number, input_path=csv)


def dump(path: Path) -> list[str]:
    """The ledger's whole content as SQL, to compare before and after."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def first_round(
    folder: Path,
    programme: Programme,
    rows: Sequence[tuple[object, ...]],
    *,
    schema: int | None = None,
) -> Path:
    """Round 1 of ``rows`` (written to ``folder/r1.csv``) committed to a new ledger
    ``folder/l.sqlite``, as tilskudd of ledger ``schema`` would (this one's if None); its path."""
    ledger_path = folder / "l.sqlite"
    csv = write_csv(folder / "r1.csv", rows)
    if schema is None:
        commit(ledger_path, programme, 1, csv)
    else:
        commit_with_schema(ledger_path, programme, 1, csv, schema)
    return ledger_path


def commit_with_schema(
    ledger_path: Path, programme: Programme, round_number: int, csv: Path, schema: int
) -> None:
    """Commit a round as a tilskudd that wrote ledger ``schema`` would: allocated against the
    ledger, recorded in a ledger created (or left) at that schema."""
    result = allocate(ledger_path, programme, round_number, csv)
    with Ledger.open(ledger_path, create=True, _schema=schema) as old:
        old.commit_round(result, programme, round_number, input_path=csv)


def tamper(path: Path, *sql: str) -> None:
    """Edit the ledger as someone with the sqlite3 shell would: drop the guard, change, commit."""
    conn = sqlite3.connect(path)
    for table in ("awards", "chain", "commits", "amendments"):
        conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.close()


def run_tilskudd(
    folder: Path, *args: str, src: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``tilskudd ARGS`` in ``folder``, in a process of its own; the tilskudd of ``src`` if
    given (an earlier one), else this one."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return subprocess.run(
        [sys.executable, "-m", "tilskudd", *args, "--lang", "en"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
