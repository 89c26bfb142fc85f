"""Time ``ranked`` on hand-given ranks: 1..n, with gaps (shown as given), and by score.

The rounds are ``bench_allocate.py``'s synthetic ones with a ``rank`` on every application, in
a random order from a fixed seed: ``1..n`` (the given ranks are the competition ranks, nothing to
relabel), every other number ``2, 4, .., 2n`` (every rank shown is relabelled from the
competition rank the rule works with), and the same round ranked by its scores for reference.
Policy: ``bench_allocate.py``'s ``ranked``. Median wall time of ``--repeat`` runs, CPU time in
brackets.

    python benchmarks/bench_given_ranks.py [--sizes 1000,10000,100000] [--repeat 3]
"""

from __future__ import annotations

import random
import sys
from functools import partial
from pathlib import Path

from tilskudd.models import Application
from tilskudd.rules import allocate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_allocate import POLICIES, _timed, arguments, synthetic


def given_ranks(apps: list[Application], step: int, seed: int = 2009) -> list[Application]:
    """``apps`` with ranks ``step, 2*step, ..`` in a random order and no score."""
    ranks = [step * (k + 1) for k in range(len(apps))]
    random.Random(seed).shuffle(ranks)
    return [
        a.model_copy(update={"rank": r, "score": None}) for a, r in zip(apps, ranks, strict=True)
    ]


def main() -> None:
    """Run the benchmark and print a Markdown table of medians in milliseconds."""
    sizes, repeat = arguments(__doc__.splitlines()[0])
    policy = POLICIES["ranked"]
    names = ["by score", "given ranks 1..n", "given ranks with gaps (2, 4, ..)"]
    rows: dict[str, list[str]] = {name: [] for name in names}
    for n in sizes:
        scored = synthetic(n)
        budget = sum(a.requested for a in scored) // 15
        rounds = [scored, given_ranks(scored, 1), given_ranks(scored, 2)]
        for name, apps in zip(names, rounds, strict=True):
            result = allocate(apps, budget, policy)
            assert result.awarded + result.unallocated == budget
            del result
            rows[name].append(_timed(partial(allocate, apps, budget, policy), repeat))
    print("| ranked on | " + " | ".join(f"{n:,}" for n in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for name, cells in rows.items():
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
