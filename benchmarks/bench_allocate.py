"""Time the allocation rules alone on synthetic rounds of 1k, 10k and 100k applications.

Applications are built with ``Application.model_construct`` (no validation: this measures the
rules, not pydantic), from a fixed seed. Each rule runs three times per size; the median wall time
is shown, with the median CPU time of this process in brackets. On a shared, busy machine the
CPU time is the steadier figure; the last row, a bare greedy loop (sort by score, subtract while
it fits: no caps, no reasons, no result objects), gives the machine's speed at the moment.
Policies: ``ranked`` with the Difi 2009 20 % cap, round_to 1 000, a reserve list of 10 and a
per-applicant maximum; ``proportional`` the same without reserve; ``proportional-plain`` without
the per-applicant maximum; ``proportional`` weighted by score (no per-applicant maximum). The
budget is about a third of the eligible total, so the funding line falls mid-list.

    python benchmarks/bench_allocate.py [--sizes 1000,10000,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial

from tilskudd.models import Application, Policy
from tilskudd.rules import allocate


def synthetic(n: int, seed: int = 2009) -> list[Application]:
    """``n`` plausible applications: costs 100k-20M, requests 10-60 % of cost, scores 1.0-6.0."""
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
                counties=(),
                rank=None,
                category=None,
                decision=None,
                decision_amount=None,
                decision_reason=None,
                row=i + 2,
                extra={},
            )
        )
    return apps


POLICIES = {
    "ranked": Policy(
        rule="ranked",
        max_share_of_cost=Decimal("0.2"),
        round_to=1000,
        reserve=10,
        per_applicant_max=5_000_000,
    ),
    "proportional": Policy(
        rule="proportional",
        max_share_of_cost=Decimal("0.2"),
        round_to=1000,
        min_award=50_000,
        per_applicant_max=5_000_000,
    ),
    "proportional-plain": Policy(
        rule="proportional",
        max_share_of_cost=Decimal("0.2"),
        round_to=1000,
        min_award=50_000,
    ),
    "proportional-score": Policy(
        rule="proportional",
        weight="score",
        max_share_of_cost=Decimal("0.2"),
        round_to=1000,
        min_award=50_000,
    ),
}


def bare_greedy(apps: list[Application], budget: int) -> list[tuple[str, int]]:
    """The floor: the least a ranked allocation in Python can do."""
    left = budget
    out = []
    for app in sorted(apps, key=lambda a: (-(a.score or 0), a.id)):
        if app.requested <= left:
            left -= app.requested
            out.append((app.id, app.requested))
        else:
            out.append((app.id, 0))
    return out


def _timed(run: Callable[[], object], repeat: int) -> str:
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        del result  # freeing 100 000 decisions is not part of allocating them
    return f"{statistics.median(walls) * 1000:.0f} ms ({statistics.median(cpus) * 1000:.0f})"


def arguments(description: str) -> tuple[list[int], int]:
    """``--sizes`` (round sizes) and ``--repeat`` (runs per figure), as every rule benchmark
    takes them."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    return [int(s) for s in args.sizes.split(",")], args.repeat


def main() -> None:
    """Run the benchmark and print a Markdown table of medians in milliseconds."""
    sizes, repeat = arguments(__doc__.splitlines()[0])
    print("| rule | " + " | ".join(f"{n:,}" for n in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    rows: dict[str, list[str]] = {name: [] for name in [*POLICIES, "bare greedy (reference)"]}
    for n in sizes:
        apps = synthetic(n)
        # About a third of what was asked for, so the line falls inside the list.
        budget = sum(a.requested for a in apps) // 15
        for name, policy in POLICIES.items():
            result = allocate(apps, budget, policy)
            assert result.awarded + result.unallocated == budget
            assert len(result.decisions) == n
            del result
            rows[name].append(_timed(partial(allocate, apps, budget, policy), repeat))
        rows["bare greedy (reference)"].append(_timed(partial(bare_greedy, apps, budget), repeat))
    for name, cells in rows.items():
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
