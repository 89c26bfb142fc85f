"""Time the exact search of pass 1 (``quotas._Search``) on rounds made to be its worst case.

To choose :data:`tilskudd.rules.quotas.EXACT_AT_MOST`, the number of applications up to which a
quota round that the look-ahead's estimates leave unmet is searched exactly. Each round has ``n``
applications in one category whose minimum and maximum amount are one odd figure while every
application asks an even amount: no selection meets it, the checks before the allocation cannot
tell (the group's eligible amounts are enough and the cheapest fits under the maximum), and the
bound cuts little, so the search visits about every selection under the maximum for each
application pass 1 judges. The median CPU time of a whole
``allocate`` (which first runs pass 1 as before, then searches) and of the search's run of pass 1
alone are shown.

    python benchmarks/bench_quota_search.py [--sizes 8,10,12,14] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from decimal import Decimal

from tilskudd.errors import PolicyError
from tilskudd.models import Application, Policy, Quota
from tilskudd.rules import allocate
from tilskudd.rules.common import rank_order
from tilskudd.rules.quotas import QuotaBook, eligible_amounts


def worst_round(n: int) -> tuple[list[Application], Policy, int]:
    """``n`` applications of category A (even amounts) and a quota no selection meets."""
    apps = [
        Application(
            id=f"S{k + 1:02}",
            requested=2_000 * (k + 3),
            score=Decimal(n - k),
            category="A",
            counties=(),
        )
        for k in range(n)
    ]
    target = sum(a.requested for a in apps) // 2 | 1  # odd: no sum of even amounts is it
    quota = Quota(by="category", value="A", min_amount=target, max_amount=target)
    return apps, Policy(round_to=1, quotas=(quota,)), sum(a.requested for a in apps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8,10,12,14")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for n in (int(x) for x in args.sizes.split(",")):
        apps, policy, budget = worst_round(n)
        whole: list[float] = []
        search: list[float] = []
        outcome = ""
        for _ in range(args.repeat):
            start = time.process_time()
            try:
                allocate(apps, budget, policy)
                outcome = "met"
            except PolicyError as exc:
                outcome = type(exc).__name__
            whole.append(time.process_time() - start)
            entries = rank_order(apps, policy)
            in_order = [e.application for e in entries]
            book = QuotaBook.build(in_order, budget, policy, eligible_amounts(in_order, policy))
            if book is None:
                continue
            start = time.process_time()
            book._pass_one(entries, budget, policy, None, "exact")
            search.append(time.process_time() - start)
        print(
            f"n={n:>2}: allocate {statistics.median(whole):.4f} s CPU, "
            f"the search's pass 1 {statistics.median(search) if search else 0:.4f} s "
            f"(median of {args.repeat}); {outcome}"
        )


if __name__ == "__main__":
    main()
