"""Time tilskudd.validation.validate on synthetic rows (no file reading): 1k, 10k and 100k rows.

Rows look like calamine's output for a realistic sheet: whole numbers as floats, orgnrs that
repeat (a third of them number cells), one to three municipalities per cell (some by name),
Norwegian amount text in a tenth of the requests, 0.2 % invalid rows. Also times
``check_table`` (the same checks, applications not made) and, for comparison, validating the
finished applications once more with ``Application.model_validate``: what validate would cost
if it let pydantic build them. Each figure is the median of ``--repeat`` runs (default 5); the
result is released outside the timed part. Run::

    python benchmarks/bench_validate.py [--repeat N] [--text] [ROWS ...]

``--text`` makes every cell text, as the CSV reader gives them.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable

from tilskudd.models import Application
from tilskudd.reading.table import RawTable
from tilskudd.registry import get_register
from tilskudd.validation import check_table, validate

HEADERS = [
    "Søknadsnr",
    "Søker",
    "Org.nr.",
    "Prosjekt",
    "Kommuner",
    "Fylke",
    "Omsøkt beløp",
    "Totalkostnad",
    "Poeng",
    "Kategori",
    "Notat",
]
FIELDS = {
    "id": 0,
    "applicant": 1,
    "orgnr": 2,
    "project": 3,
    "municipalities": 4,
    "county": 5,
    "requested": 6,
    "total_cost": 7,
    "score": 8,
    "category": 9,
}


def _orgnr(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(8, 9)] + [rng.randint(0, 9) for _ in range(7)]
        weights = (3, 2, 7, 6, 5, 4, 3, 2)
        rest = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        check = (11 - rest) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def make_table(n: int, seed: int = 1, *, text: bool = False) -> RawTable:
    """A synthetic table of ``n`` rows, about 0.2 % of them invalid; ``text``: every cell text,
    as the CSV reader gives them (numbers as typed, the score with a decimal comma)."""
    rng = random.Random(seed)
    register = get_register("2024")
    municipalities = list(register.municipalities.values())
    orgnrs = [_orgnr(rng) for _ in range(max(10, n // 20))]
    rows = []
    for i in range(n):
        chosen = rng.sample(municipalities, rng.choice((1, 1, 1, 2, 3)))
        if rng.random() < 0.5:
            places = ", ".join(m.number for m in chosen)
        else:
            places = ", ".join(m.name for m in chosen)
        requested: object = float(rng.randrange(50_000, 5_000_000, 1000))
        if rng.random() < 0.1:
            requested = f"{int(requested):,} kr".replace(",", "\u00a0")
        cost = float(rng.randrange(5_000_000, 30_000_000, 1000))
        orgnr: object = rng.choice(orgnrs)
        if rng.random() < 0.3:
            orgnr = float(orgnr)
        cells: list[object] = [
            float(i + 1),
            f"Søker {i % 997}",
            orgnr,
            f"Prosjekt {i}",
            places,
            None,
            requested,
            cost,
            float(rng.randint(1, 60)) / 2,
            rng.choice(("IKT", "Helse", "Skole")),
            "merknad" if i % 7 == 0 else None,
        ]
        if i % 500 == 0:  # 0.2 % invalid
            cells[6] = "3,300"
        if text:
            cells = [_as_text(cell) for cell in cells]
        rows.append((i + 2, cells))
    return RawTable(
        file="bench.xlsx",
        sheet="Søknader",
        header_row=1,
        headers=HEADERS,
        fields=FIELDS,
        extra={"Notat": 10},
        rows=rows,  # type: ignore[arg-type]
    )


def _as_text(cell: object) -> str | None:
    """A cell as a CSV file has it: whole numbers without '.0', a decimal comma."""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell).replace(".", ",")
    return None if cell is None else str(cell)


def _median(fn: Callable[[], object], repeat: int, clock: Callable[[], float]) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = clock()
        result = fn()
        times.append(clock() - start)
        del result  # freeing 100k applications is not validation
    return statistics.median(times)


def main(argv: list[str]) -> None:
    repeat, text = 5, False
    while argv[:1] in (["--repeat"], ["--text"]):
        if argv[0] == "--text":
            text, argv = True, argv[1:]
        else:
            repeat, argv = int(argv[1]), argv[2:]
    sizes = [int(a) for a in argv] or [1_000, 10_000, 100_000]
    get_register("2024")
    get_register("2009")
    kind = "every cell text, as from CSV" if text else "cells as calamine gives them"
    print(f"{kind}; median of {repeat} runs; load average {os.getloadavg()[0]:.2f} at the start")
    print("CPU time is steadier than wall time on a shared machine")
    header = ("rows", "wall s", "cpu s", "rows/s (cpu)", "check_table cpu", "model_validate cpu")
    print("{:>8} {:>8} {:>8} {:>13} {:>16} {:>19}".format(*header))
    for n in sizes:
        table = make_table(n, text=text)
        result = validate(table)
        assert len(result.rejected) == (n + 499) // 500, len(result.rejected)
        wall = _median(lambda t=table: validate(t), repeat, time.perf_counter)
        cpu = _median(lambda t=table: validate(t), repeat, time.process_time)
        check = _median(lambda t=table: check_table(t), repeat, time.process_time)

        def revalidate(apps: tuple[Application, ...] = result.applications) -> object:
            return [Application.model_validate(app.__dict__) for app in apps]

        pydantic_cpu = _median(revalidate, repeat, time.process_time)
        print(
            f"{n:>8} {wall:>8.3f} {cpu:>8.3f} {n / cpu:>13.0f} {check:>16.3f} {pydantic_cpu:>19.3f}"
        )
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main(sys.argv[1:])
