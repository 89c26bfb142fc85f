"""Time tilskudd.validation.validate on synthetic rows (no file reading): 1k, 10k and 100k rows.

Rows look like calamine's output for a realistic sheet: whole numbers as floats, orgnrs that
repeat, one to three municipalities per cell (some by name), Norwegian amount text in some
cells, 0.2 % invalid rows. Also times building the Applications with ``model_validate`` instead
of ``model_construct``, for comparison: the last column is the part of the time that is
pydantic's own validation of the finished applications. Run::

    python benchmarks/bench_validate.py [ROWS ...]
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from tilskudd.models import Application
from tilskudd.reading.table import RawTable
from tilskudd.registry import get_register
from tilskudd.validation import validate

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


def make_table(n: int, seed: int = 1) -> RawTable:
    """A synthetic table of ``n`` rows, about 0.2 % of them invalid."""
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


def _median(fn: object, repeat: int, clock: object = time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        start = clock()  # type: ignore[operator]
        fn()  # type: ignore[operator]
        times.append(clock() - start)  # type: ignore[operator]
    return statistics.median(times)


def main(sizes: list[int]) -> None:
    get_register("2024")
    get_register("2009")
    print("median of 3 runs; CPU time is steadier than wall time on a shared machine")
    print(f"{'rows':>8} {'wall s':>8} {'cpu s':>8} {'rows/s (cpu)':>13} {'model_validate s':>17}")
    for n in sizes:
        table = make_table(n)
        result = validate(table)
        assert len(result.rejected) == (n + 499) // 500, len(result.rejected)
        wall = _median(lambda t=table: validate(t), 3)
        cpu = _median(lambda t=table: validate(t), 3, time.process_time)

        def revalidate(apps: tuple[Application, ...] = result.applications) -> None:
            for app in apps:
                Application.model_validate(app.__dict__)

        pydantic_cpu = _median(revalidate, 3, time.process_time)
        print(f"{n:>8} {wall:>8.3f} {cpu:>8.3f} {n / cpu:>13.0f} {pydantic_cpu:>17.3f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000])
