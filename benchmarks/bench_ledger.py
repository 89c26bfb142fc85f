"""Time the programme ledger at 1k, 10k and 100k awards per round, through the library calls the
CLI makes.

For each size two synthetic rounds are written as CSV files (fixed seed, valid organisation
numbers and municipality numbers, into ``benchmarks/out/ledger/``, git-ignored) and read with
``read_applications`` (not timed). Round 2 repeats one in ten of round 1's projects (same
organisation, same title, a new id), so that the already-funded rule and the commit's check of
every funded decision against the awards standing in the ledger both have work to do. What is
timed, each as ``tilskudd`` does it:

- **allocate r2**: ``round_context`` and ``run_programme_round`` of round 2 against a ledger
  holding round 1 (``tilskudd allocate --round 2`` before it writes anything);
- **commit r1**: ``commit_round`` of round 1 into a new ledger (``allocate --round 1 --commit``);
- **commit r2**: ``commit_round`` of round 2 into a copy of a ledger that holds round 1: the chain
  check, the frame, and the funded-twice check against round 1's awards;
- **check2**: the commit's checks of round 2 against the ledger alone: reading the awards
  standing in it (``Ledger.round_context``), then the funded-twice check
  (``Ledger._refuse_funded_since``, every funded decision of round 2 looked up among them), the
  organisations' totals under per_applicant_max (``_refuse_per_applicant_since``) and the
  already-funded exclusions as the ledger stands (``_refuse_changed_since``, every application);
- **status**: ``ledger.status`` on the two-round ledger (it checks the hash chain too);
- **chain**: ``Ledger.verify_chain``, the hash-chain check of ``tilskudd verify`` and ``status``;
- **history**: ``ledger.history`` by organisation number plus the chain check, as
  ``tilskudd history`` does when it finds something;
- **verify**: with ``--rerun``, ``verify_round`` of both rounds (each re-read from its CSV and
  allocated again against the ledger as it was), the rest of ``tilskudd verify``;
- **size**: the ledger file after both rounds.

Each figure is the median of ``--repeat`` runs: wall seconds, with this process's CPU seconds in
brackets (the steadier figure on a shared machine). Run it without ``nice``, note ``uptime``'s
load beside the figures, and prefer the quietest runs::

    python benchmarks/bench_ledger.py [--sizes 1000,10000,100000] [--repeat 3] [--rerun]
        [--only commit2,status]
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tilskudd
from tilskudd import ledger as lg
from tilskudd.ledger import Ledger
from tilskudd.models import RoundResult
from tilskudd.pipeline import read_applications
from tilskudd.programme import Programme, load_programme
from tilskudd.rounds import run_programme_round, verify_round
from tilskudd.validation import ValidationResult

OUT = Path(__file__).resolve().parent / "out" / "ledger"
HEADER = [
    "Søknadsnr",
    "Søker",
    "Organisasjonsnummer",
    "Prosjekttittel",
    "Deltakende kommuner",
    "Omsøkt beløp",
    "Totalkostnad",
    "Poeng",
]
WORDS = ["felles", "digital", "saksbehandling", "innbyggerportal", "arkiv", "samhandling",
         "helse", "skole", "kart", "velferd", "omsorg", "sikkerhet", "opplæring"]  # fmt: skip
TIMED = ("allocate2", "commit1", "commit2", "check2", "status", "chain", "history", "verify")


def _orgnr(rng: random.Random) -> str:
    """A valid organisation number (mod-11 check digit)."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        body = [rng.randrange(8, 10)] + [rng.randrange(10) for _ in range(7)]
        check = 11 - sum(w * d for w, d in zip(weights, body, strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, body)) + str(check)


def _municipalities() -> list[str]:
    path = Path(tilskudd.__file__).parent / "data" / "kommuner_2009.csv"
    with open(path, encoding="utf-8") as handle:
        return [row["number"] for row in csv.DictReader(handle)]


def _rows(n: int, seed: int) -> tuple[list[list[str]], list[list[str]]]:
    """Round 1 and round 2 rows; round 2 repeats every tenth project of round 1 under a new id."""
    rng = random.Random(seed)
    munis = _municipalities()
    orgs = [_orgnr(rng) for _ in range(max(n // 3, 1))]

    def row(prefix: str, i: int, org: str, title: str) -> list[str]:
        cost = rng.randrange(100_000, 20_000_000)
        requested = max(1, cost * rng.randrange(10, 60) // 100)
        places = ", ".join(sorted(rng.sample(munis, rng.randrange(1, 4))))
        score = str(rng.randrange(10, 61) / 10).replace(".", ",")
        return [f"{prefix}-{i + 1}", f"Org {org}", org, title, places, str(requested), str(cost),
                score]  # fmt: skip

    def title() -> str:
        return (
            " ".join(rng.choice(WORDS) for _ in range(4)).capitalize() + f" {rng.randrange(10**6)}"
        )

    first = [row("R1", i, rng.choice(orgs), title()) for i in range(n)]
    second = []
    for i in range(n):
        if i % 10 == 0:
            again = first[rng.randrange(n)]
            second.append(row("R2", i, again[2], again[3]))
        else:
            second.append(row("R2", i, rng.choice(orgs), title()))
    return first, second


def _write(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _programme(folder: Path, budget1: int, budget2: int) -> Programme:
    path = folder / "tilskudd.toml"
    path.write_text(
        f"""[programme]
name = "Benchmark"
funder = "Benchmarkdirektoratet"
frame = {budget1 + budget2}
register = "2009"

[[round]]
number = 1
budget = {budget1}

[[round]]
number = 2
budget = {budget2}

[policy]
rule = "ranked"
max_share_of_cost = "20 %"
round_to = 1000
""",
        encoding="utf-8",
    )
    return load_programme(path)


def _timed(run: Callable[[], Any], repeat: int, before: Callable[[], Any] | None = None) -> str:
    walls, cpus = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        del result
    return f"{statistics.median(walls):.2f} ({statistics.median(cpus):.2f})"


def _allocate(
    path: Path, programme: Programme, number: int, checked: ValidationResult
) -> RoundResult:
    context = lg.round_context(path, programme, number)
    return run_programme_round(checked, context, programme.round_policy(number), programme)


def _copy(source: Path, target: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)


def measure(n: int, repeat: int, *, rerun: bool, only: set[str]) -> dict[str, str]:
    """One row of the table: every timing at ``n`` awards per round."""
    folder = OUT / str(n)
    folder.mkdir(parents=True, exist_ok=True)
    first, second = _rows(n, seed=2009 + n)
    csv1, csv2 = _write(folder / "runde1.csv", first), _write(folder / "runde2.csv", second)
    checked1 = read_applications(csv1, register="2009", rule="ranked")
    checked2 = read_applications(csv2, register="2009", rule="ranked")
    assert not checked1.rejected, "synthetic rows must all be valid"
    assert not checked2.rejected, "synthetic rows must all be valid"
    budget1 = sum(a.requested for a in checked1.applications) // 15
    budget2 = sum(a.requested for a in checked2.applications) // 15
    programme = _programme(folder, budget1, budget2)
    row: dict[str, str] = {}
    with tempfile.TemporaryDirectory(dir=folder) as tmp_text:
        tmp = Path(tmp_text)
        one = tmp / "one.sqlite"
        result1 = _allocate(one, programme, 1, checked1)
        lg.commit_round(one, result1, programme, 1, input_path=csv1)
        result2 = _allocate(one, programme, 2, checked2)
        again = sum(
            1 for d in result2.allocation.decisions
            if any(r.code == lg.ALREADY_FUNDED for r in d.reasons)
        )  # fmt: skip
        both = tmp / "both.sqlite"
        _copy(one, both)
        lg.commit_round(both, result2, programme, 2, input_path=csv2)
        with Ledger.open(both, write=False) as opened:
            assert opened.verify_chain().ok
            commits = opened.commits()
        row["entries"] = f"{lg.status(both, programme).entries:,}"
        row["again"] = f"{again:,}"
        row["size"] = f"{both.stat().st_size / 1e6:.1f} MB"
        query = checked1.applications[0].orgnr or ""
        work = tmp / "work.sqlite"

        def fresh() -> None:
            for name in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
                name.unlink(missing_ok=True)

        if "allocate2" in only:
            row["allocate2"] = _timed(lambda: _allocate(one, programme, 2, checked2), repeat)
        if "commit1" in only:
            row["commit1"] = _timed(
                lambda: lg.commit_round(work, result1, programme, 1, input_path=csv1),
                repeat,
                before=fresh,
            )
        if "commit2" in only:
            row["commit2"] = _timed(
                lambda: lg.commit_round(work, result2, programme, 2, input_path=csv2),
                repeat,
                before=lambda: (fresh(), _copy(one, work)),
            )
        if "check2" in only:
            with Ledger.open(one, write=False) as opened:

                def checks() -> None:
                    now = opened.round_context(programme, 2)
                    opened._refuse_funded_since(result2, now)
                    opened._refuse_per_applicant_since(result2, now)
                    opened._refuse_changed_since(result2, now, lg._allocated_against(result2, None))

                row["check2"] = _timed(checks, repeat)
        if "status" in only:
            row["status"] = _timed(lambda: lg.status(both, programme), repeat)
        if "chain" in only:
            row["chain"] = _timed(lambda: lg.verify_chain(both), repeat)
        if "history" in only:
            row["history"] = _timed(
                lambda: (lg.history(both, query), lg.verify_chain(both)), repeat
            )
        if rerun and "verify" in only:

            def verify_all() -> None:
                with Ledger.open(both, write=False) as opened:
                    for commit in commits:
                        assert verify_round(opened, programme, commit).ok

            row["verify"] = _timed(verify_all, repeat)
    return row


def main() -> None:
    """Run the benchmark and print a Markdown table of medians: wall seconds (CPU seconds)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rerun", action="store_true", help="also time verify's re-run of rounds")
    parser.add_argument("--only", default=",".join(TIMED), help="which timings, comma-separated")
    args = parser.parse_args()
    only = set(args.only.split(","))
    columns = [c for c in TIMED if c in only and (c != "verify" or args.rerun)]
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    print("| awards per round | entries | r2 already funded | " + " | ".join(columns) + " | size |")
    print("|---|---|---|" + "---|" * len(columns) + "---|")
    for n in (int(s) for s in args.sizes.split(",")):
        row = measure(n, args.repeat, rerun=args.rerun, only=only)
        cells = [row.get(c, "") for c in columns]
        print(
            f"| {n:,} | {row['entries']} | {row['again']} | " + " | ".join(cells)
            + f" | {row['size']} |",
            flush=True,
        )  # fmt: skip
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
