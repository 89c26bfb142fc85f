"""Time the ``optimal`` rule on synthetic rounds of 1k, 10k and 100k applications, with and
without quotas: wall and CPU time to a proven optimum, or to the time limit with the gap.

Rounds are built as in bench_allocate.py (fixed seed; costs 100k-20M, requests 10-60 % of cost,
scores 1.0-6.0, about three applications per organisation) plus a county (one of the 15 of the
2024 numbering) and a category (one of 5). Policy: the Difi 2009 20 % cap, round_to 1 000, a
per-applicant maximum of 5 000 000; the budget is about a third of the eligible total. Quotas,
chosen so that they bind (the optimum is lower with them): at most 9 % of the budget to one
county (each has about 6.7 % of the applications), at least 8 % to Finnmark, at least 30 % to the
category Skole (about 20 % of the applications), at least 20 funded applications per category.

The time includes everything the rule does: eligibility, the ranked run it compares with (and
starts from), the integer program's two solves (the optimum, then the tie-break) and building
the result. CPU time is the process's (HiGHS may use both cores). The machine is shared: run
when it is quiet, and read CPU time next to wall time.

    python benchmarks/bench_optimal.py [--sizes 1000,10000,100000] [--repeat 3] [--time-limit 60]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from decimal import Decimal

import highspy

from tilskudd.models import Allocation, Application, Policy
from tilskudd.rules import allocate

COUNTIES = (
    "03",
    "11",
    "15",
    "18",
    "31",
    "32",
    "33",
    "34",
    "39",
    "40",
    "42",
    "46",
    "50",
    "55",
    "56",
)
CATEGORIES = ("Bredbånd", "Helse", "Skole", "Samferdsel", "Forvaltning")


def synthetic(n: int, seed: int = 2009) -> list[Application]:
    """``n`` plausible applications with a county and a category."""
    rng = random.Random(seed)
    apps = []
    for i in range(n):
        cost = rng.randrange(100_000, 20_000_000)
        requested = max(1, cost * rng.randrange(10, 60) // 100)
        apps.append(
            Application.model_construct(
                id=f"S{i + 1}",
                requested=requested,
                total_cost=cost,
                score=Decimal(rng.randrange(10, 61)) / 10,
                orgnr=f"{rng.randrange(10**8, 10**8 + n // 3 + 1):09d}",
                applicant=None,
                project=None,
                municipalities=(),
                counties=(rng.choice(COUNTIES),),
                rank=None,
                category=rng.choice(CATEGORIES),
                decision=None,
                decision_amount=None,
                decision_reason=None,
                row=i + 2,
                extra={},
            )
        )
    return apps


QUOTAS = (
    {"by": "county", "value": "*", "max_share": "9 %"},
    {"by": "county", "value": "Finnmark", "min_share": "8 %"},
    {"by": "category", "value": "Skole", "min_share": "30 %"},
    {"by": "category", "value": "*", "min_count": 20},
)


def policy(time_limit: float, quotas: bool) -> Policy:
    """The benchmark's policy, with or without the quotas."""
    return Policy(
        rule="optimal",
        max_share_of_cost=Decimal("0.2"),
        round_to=1000,
        per_applicant_max=5_000_000,
        time_limit=time_limit,
        quotas=QUOTAS if quotas else (),
    )


def status(result: Allocation) -> str:
    """'proven' or the gap as the notes give it; and the gain over ranked."""
    notes = {n.code: n.params for n in result.notes}
    gain = notes.get("note.optimal.versus_ranked", {}).get("gain", "–")
    if "note.optimal.proven" in notes:
        proof = "proven"
        if "note.optimal.tie_break_not_proven" in notes:
            proof += " (tie-break not proven)"
    elif "note.optimal.not_proven" in notes:
        params = notes["note.optimal.not_proven"]
        proof = (
            f"time limit, gap {Decimal(str(params['gap'])) * 100:.5f} %, bound {params['bound']}"
        )
    else:
        proof = "time limit, no bound"
    value = next(v["value"] for c, v in notes.items() if c.startswith("note.optimal.objective."))
    versus = f"{gain:+} against ranked" if gain != "–" else "ranked cannot meet the quotas"
    return f"{proof}; total score {value}, {versus}"


def main() -> None:
    """Run the benchmark and print a Markdown table (medians of wall and CPU seconds)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument(
        "--check-order", action="store_true", help="also allocate the rows shuffled and compare"
    )
    args = parser.parse_args()
    print(
        f"highspy {highspy.HIGHS_VERSION_MAJOR}.{highspy.HIGHS_VERSION_MINOR}."
        f"{highspy.HIGHS_VERSION_PATCH}; time limit {args.time_limit:g} s\n"
    )
    print("| applications | quotas | wall (median) | CPU (median) | result |")
    print("|---|---|---|---|---|")
    for n in [int(s) for s in args.sizes.split(",")]:
        apps = synthetic(n)
        budget = sum(a.requested for a in apps) // 15
        for quotas in (False, True):
            walls, cpus = [], []
            result = None
            # 100k runs to the time limit: once is enough to show it.
            for _ in range(args.repeat if n < 100_000 else 1):
                wall, cpu = time.perf_counter(), time.process_time()
                result = allocate(apps, budget, policy(args.time_limit, quotas))
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            assert result is not None
            assert result.awarded + result.unallocated == budget
            if args.check_order:
                shuffled = apps[:]
                random.Random(n).shuffle(shuffled)
                again = allocate(shuffled, budget, policy(args.time_limit, quotas))
                print(f"(rows shuffled: {'same' if again == result else 'DIFFERENT'} result)")
            print(
                f"| {n:,} | {'yes' if quotas else 'no'} | {statistics.median(walls):.2f} s "
                f"| {statistics.median(cpus):.2f} s | {status(result)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
