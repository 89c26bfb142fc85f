"""Fuzz the ledger: a damaged, edited, old or foreign SQLite file where tilskudd.ledger.sqlite is.

Seeds: a ledger made here from the Difi 2009 programme in examples/ (round 1 committed, one
award amended), the ledger of tilskudd 0.1.0 under tests/files/, an empty SQLite database and
one of another program. Each input is damaged in its bytes (flipped, cut short, a page
zeroed) or edited through SQLite (a cell made NULL, text, a huge or negative number, a row
deleted or repeated, a table dropped, the schema version changed), then read as the command
line reads it: the status, the hash chain checked, an applicant's history, round 2's context
(what earlier rounds committed) and the export.

    nice -n 10 .venv/bin/python scripts/fuzz/fuzz_ledger.py --minutes 10
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_applications import ODD_TEXT
from harness import ROOT, main

ODD_CELLS: list[object] = [
    None,
    0,
    -1,
    1,
    2**63 - 1,
    -(2**63),
    1.5,
    float("nan"),
    float("inf"),
    "",
    "x",
    "{}",
    "[]",
    "null",
    '{"a": 1}',
    "1e400",
    "NaN",
    b"\x00\xff",
    "2009-02-31",
    "9999-12-31T99:99",
    "0" * 64,
    "S-01 (A17)",
    *ODD_TEXT[:40],
]
SEEDS: list[tuple[bytes, bytes]] = []  # (ledger, programme file)


def _made_ledger() -> tuple[bytes, bytes]:
    """Round 1 of the Difi 2009 programme committed, one award amended."""
    from tilskudd import ledger
    from tilskudd.pipeline import read_applications
    from tilskudd.programme import load_programme
    from tilskudd.rounds import run_programme_round

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shutil.copy(ROOT / "examples" / "programme_difi2009" / "tilskudd.toml", work)
        sheet = ROOT / "examples" / "difi_2009_runde1.xlsx"
        programme = load_programme(work / "tilskudd.toml")
        path = work / "tilskudd.ledger.sqlite"
        checked = read_applications(sheet, register=programme.register_year)
        context = ledger.round_context(path, programme, 1)
        result = run_programme_round(checked, context, programme.round_policy(1), programme)
        ledger.commit_round(path, result, programme, 1, input_path=sheet)
        ledger.amend(path, programme, "2009-017", 100_000, "Redusert")
        return path.read_bytes(), (work / "tilskudd.toml").read_bytes()


def seeds() -> list[tuple[bytes, bytes]]:
    made, programme = _made_ledger()
    old = ROOT / "tests" / "files" / "ledger_0_1_0"
    found = [
        (made, programme),
        ((old / "tilskudd.ledger.sqlite").read_bytes(), (old / "tilskudd.toml").read_bytes()),
    ]
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.sqlite"
        with sqlite3.connect(empty) as db:
            db.execute("CREATE TABLE t (a)")
            db.execute("DROP TABLE t")
        db.close()
        foreign = Path(folder) / "foreign.sqlite"
        with sqlite3.connect(foreign) as db:
            db.execute("CREATE TABLE meta (k, v)")
            db.execute("CREATE TABLE chain (seq, kind)")
            db.execute("INSERT INTO meta VALUES ('format', 'tilskudd-ledger')")
        db.close()
        found += [(empty.read_bytes(), programme), (foreign.read_bytes(), programme)]
    return found


def _sql_edit(data: bytes, rng: random.Random) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "l.sqlite"
        path.write_bytes(data)
        db = sqlite3.connect(path)
        try:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            for _ in range(rng.choice([1, 1, 2, 4])):
                if not tables:
                    break
                table = rng.choice(tables)
                columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
                rowids = [r[0] for r in db.execute(f'SELECT rowid FROM "{table}"')]
                kind = rng.random()
                if kind < 0.6 and rowids and columns:
                    column = rng.choice(columns)
                    db.execute(
                        f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?',
                        (rng.choice(ODD_CELLS), rng.choice(rowids)),
                    )
                elif kind < 0.7 and rowids:
                    db.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rng.choice(rowids),))
                elif kind < 0.75:
                    db.execute(f'DROP TABLE "{table}"')
                    tables.remove(table)
                elif kind < 0.8:
                    db.execute(f"PRAGMA user_version = {rng.choice([0, 1, 3, 5, 99, -1])}")
                elif kind < 0.9 and rowids and columns:
                    # A text cell edited in place: a value or a number in the JSON changed.
                    column = rng.choice(columns)
                    row = db.execute(
                        f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (rng.choice(rowids),)
                    ).fetchone()
                    if row and isinstance(row[0], str) and row[0]:
                        text = row[0]
                        i = rng.randrange(len(text))
                        text = (
                            text[:i]
                            + rng.choice(['"', "9", "-", "}", "", "null", "1e999"])
                            + text[i + 1 :]
                        )
                        db.execute(
                            f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" = ?',
                            (text, row[0]),
                        )
                else:
                    db.execute(
                        f'CREATE TABLE IF NOT EXISTS "{rng.choice(["x", "meta2", "y"])}" (a)'
                    )
            db.commit()
        except sqlite3.DatabaseError:
            pass
        finally:
            db.close()
        return path.read_bytes()


def mutate(rng: random.Random) -> tuple[bytes, str]:
    if not SEEDS:
        SEEDS.extend(seeds())
    ledger, programme = rng.choice(SEEDS)
    choice = rng.random()
    if choice < 0.6 or len(ledger) < 2:
        ledger = _sql_edit(ledger, rng)
    elif choice < 0.8:
        out = bytearray(ledger)
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(out))
            out[i] = rng.randrange(256)
        ledger = bytes(out)
    elif choice < 0.9:
        ledger = ledger[: rng.randrange(len(ledger))]
    else:
        page = 4096
        out = bytearray(ledger)
        at = rng.randrange(max(len(out) // page, 1)) * page
        out[at : at + page] = bytes(min(page, len(out) - at))
        ledger = bytes(out)
    return len(programme).to_bytes(4, "little") + programme + ledger, "bin"


def target(data: bytes, rng: random.Random) -> None:
    from tilskudd import ledger
    from tilskudd.programme import load_programme

    size = int.from_bytes(data[:4], "little")
    programme_text, ledger_bytes = data[4 : 4 + size], data[4 + size :]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "tilskudd.toml").write_bytes(programme_text)
        path = work / "tilskudd.ledger.sqlite"
        path.write_bytes(ledger_bytes)
        programme = load_programme(work / "tilskudd.toml")
        lang = rng.choice(["nb", "en"])
        report = ledger.status(path, programme)
        ledger.status_lines(report, lang)
        ledger.verify_chain(path)
        ledger.history(path, rng.choice(["2009-017", "S-01", "Moss", "", "%", "S-01 (A17)"]))
        ledger.round_context(path, programme, rng.choice([1, 2, 3]))
        ledger.export(path, work / rng.choice(["l.xlsx", "l.csv"]), lang=lang)


def preload() -> None:
    import tilskudd.export.ledger_xlsx
    import tilskudd.ledger
    import tilskudd.programme  # noqa: F401


if __name__ == "__main__":
    preload()
    main("ledger", target, mutate, __doc__.splitlines()[0])
