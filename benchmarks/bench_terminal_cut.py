"""The terminal's cut of long texts: what measuring them by width costs on the 100k round.

On a terminal the award table cuts a text wider than 300 columns (``render.allocation.cut_long``),
measured as the terminal shows it: a wide character counts two, a combining accent none. The
round of ``bench_read.py``'s 100 000 rows is read and allocated once; then ``render_result``
draws its first 100 rows (as ``allocate`` shows a round that large) on a console that is a
terminal (texts measured, and cut) and on one that is not (nothing measured), each ``--repeat``
times, alternately; the median CPU time of each is shown (steadier than wall time on a shared
machine). Then ``cut_long`` alone on a text of 400 Chinese characters: the cost of one text
that is cut. Run it with ``PYTHONPATH=<other checkout>/src`` to time another version.

    python benchmarks/bench_terminal_cut.py [--rows 100000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_read import generate
from rich.console import Console  # noqa: TID251 (the terminal view is what is timed)

from tilskudd.models import Policy
from tilskudd.pipeline import run_round
from tilskudd.reading import read_table
from tilskudd.render.allocation import cut_long, render_result
from tilskudd.validation import validate


def main(argv: list[str] | None = None) -> int:
    """Print the median times of the terminal view with and without the cut."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    checked = validate(read_table(generate(args.rows)), require=("requested", "score|rank"))
    budget = sum(a.requested for a in checked.applications) // 3
    policy = Policy(max_share_of_cost="20 %", round_to=1000)  # type: ignore[arg-type]
    result = run_round(checked, budget, policy)
    print("| view of the first 100 rows | median CPU ms |")
    print("|---|---|")
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.repeat):
        for terminal in (True, False):
            console = Console(
                file=io.StringIO(), width=160, force_terminal=terminal, color_system=None
            )
            start = time.process_time()
            render_result(console, result, lang="nb", limit=100)
            times[terminal].append(time.process_time() - start)
    for label, terminal in (("on a terminal (texts measured)", True), ("not a terminal", False)):
        print(f"| {label} | {statistics.median(times[terminal]) * 1000:.1f} |")
    wide = "漢" * 400
    start = time.process_time()
    for _ in range(1000):
        cut_long(wide, 300)
    print(f"| `cut_long` of 400 wide characters, µs | {(time.process_time() - start) * 1000:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
