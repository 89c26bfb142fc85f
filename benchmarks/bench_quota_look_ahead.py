"""Time pass 1 of a quota round (``QuotaBook.visit_order``) whose first run leaves a minimum unmet.

The round: the synthetic applications of ``bench_allocate`` (10 000 by default), each given one of
ten categories and one of the fifteen counties of 2024, a quarter of them a second county; the
policy of ``bench_allocate``'s ``ranked`` (Difi 2009 20 % cap, round_to 1 000, per-applicant
maximum 5 000 000) with ``min_count = 5`` in every category and ``min_amount = 3 000 000`` in every
county, and, in the ``maximums`` variant, ``max_amount = 4 500 000`` in every county as well
(which holds back many of a county's applications once one is funded); in the ``held`` variant
(not run unless named) every county needs 1 000 000 and may have 3 funded, so that once pass 1
has filled counties most of each category's applications are held back. Budgets near the
counties' 45 000 000 in all make the first run of pass 1 fail, so the look-ahead runs: with the
plan, and (applications are in two counties) with the groups' sum.

Only pass 1 is timed (the book is built anew for each run, untimed), ``--repeat`` times per
budget: ``visit_order``, and its first run alone (pass 1 as it was before the look-ahead). The
median CPU time of this process is shown, the steadier figure on a shared machine, with how the
runs went: whether the first met every minimum, and whether a look-ahead run was used; where
none was, the time of the pass 1 the rule makes once more, searching further (the plan with
whole awards at this size), of the last repeat.
To compare two versions of tilskudd, run this with ``PYTHONPATH`` pointing at each one's ``src`` in
turn, interleaved.

    python benchmarks/bench_quota_look_ahead.py [--size 10000] [--budgets 46000000,47000000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from bench_allocate import POLICIES, synthetic

from tilskudd.models import Application, Policy, Quota
from tilskudd.registry import get_register
from tilskudd.rules.common import rank_order
from tilskudd.rules.quotas import QuotaBook, eligible_amounts, least_amounts

COUNTIES = tuple(sorted(get_register("2024").counties))  # the fifteen of 2024
CATEGORIES = tuple(f"Tiltak {k}" for k in range(10))


def quota_round(n: int, seed: int = 2026) -> list[Application]:
    """``n`` synthetic applications, each in a category and a county (a quarter in two)."""
    rng = random.Random(seed)
    out = []
    for app in synthetic(n):
        counties = rng.sample(COUNTIES, 2 if rng.random() < 0.25 else 1)
        out.append(
            app.model_copy(
                update={"category": rng.choice(CATEGORIES), "counties": tuple(sorted(counties))}
            )
        )
    return out


def policy_for(variant: str) -> Policy:
    """The ``ranked`` policy of ``bench_allocate`` with the quotas of ``variant``."""
    quotas = [
        Quota(by="category", value="*", min_count=5),
        Quota(by="county", value="*", min_amount=3_000_000),
    ]
    if variant == "maximums":
        quotas.append(Quota(by="county", value="*", max_amount=4_500_000))
    elif variant == "held":
        quotas[1] = Quota(by="county", value="*", min_amount=1_000_000, max_count=3)
    return POLICIES["ranked"].model_copy(update={"quotas": tuple(quotas)})


def time_pass_one(apps: list[Application], budget: int, policy: Policy) -> tuple[float, float, str]:
    """CPU seconds of one ``visit_order`` and of its first run alone (pass 1 without the
    look-ahead, what it cost before there was one), and how the runs went."""
    entries = rank_order(apps, policy)
    in_order = [e.application for e in entries]
    eligible = eligible_amounts(in_order, policy)
    book = QuotaBook.build(
        in_order, budget, policy, eligible, least_amounts(in_order, policy, eligible)
    )
    assert book is not None
    start = time.process_time()
    first = book.fresh()._pass_one(entries, budget, policy, None, None)[2]
    alone = time.process_time() - start
    start = time.process_time()
    book.visit_order(entries, budget, policy)
    took = time.process_time() - start
    used = "look-ahead used" if book.looked_ahead else "first run used"
    how = f"first run {'met' if first else 'failed'}, {used}"
    searched = getattr(book, "searched", None)  # not in a tilskudd from before the search
    if not first and not book.looked_ahead and searched is not None:
        # No run met the minimums: the rule makes its pass once more, searching further
        # (before that, such a round was refused after pass 2).
        again = book.searched()
        assert again is not None
        start = time.process_time()
        again.visit_order(entries, budget, policy)
        took_again = time.process_time() - start
        met = "met" if again.looked_ahead else "not met"
        how += f"; then the search's pass 1 {took_again:.3f} s ({met})"
    return took, alone, how


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--budgets", default="46000000,47000000")
    parser.add_argument("--variants", default="minimums,maximums")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    apps = quota_round(args.size)
    for variant in args.variants.split(","):
        policy = policy_for(variant)
        for budget in (int(b) for b in args.budgets.split(",")):
            times: list[float] = []
            firsts: list[float] = []
            how = ""
            for _ in range(args.repeat):
                took, alone, how = time_pass_one(apps, budget, policy)
                times.append(took)
                firsts.append(alone)
            print(
                f"{variant:9} {args.size:>7} budget {budget:>11,}: "
                f"{statistics.median(times):.3f} s CPU (median of {args.repeat}; "
                f"{min(times):.3f}-{max(times):.3f}); the first run alone "
                f"{statistics.median(firsts):.3f} s; {how}"
            )


if __name__ == "__main__":
    main()
