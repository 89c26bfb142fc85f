"""Time ``tilskudd check``'s terminal report (:func:`tilskudd.render.check.render_check`) of a
file read once, and count the lines it prints: the UK government's awards of 2016-17 (1 215
warnings, 1 212 of one kind) as the README reads it, ``--columns`` mapping ``Amount Awarded``
to the amount requested and ``--currency GBP``.

The report is written ``--repeat`` times to a console of 140 columns; the best run is shown.
``--src`` times another checkout's ``src`` (the one before a change), so two builds can be
compared in turns on a busy machine.

    python benchmarks/bench_check_report.py [--file PATH] [--repeat 15] [--src ../other/src]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

UK = (
    Path(__file__).resolve().parents[1].parent
    / "shared/realdata/grants/uk_government_grant_awards_2016-17.xlsx"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default=str(UK))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--src", help="another checkout's src to time instead")
    args = parser.parse_args()
    if args.src:
        sys.path.insert(0, args.src)
    from rich.console import Console  # noqa: TID251 (the terminal view is what is timed)

    from tilskudd.pipeline import read_applications
    from tilskudd.render.check import render_check

    checked = read_applications(args.file, columns={"Amount Awarded": "requested"}, currency="GBP")
    best = float("inf")
    printed = ""
    for _ in range(args.repeat):
        out = io.StringIO()
        start = time.perf_counter()
        render_check(Console(file=out, width=140), checked, lang="en", limit=200)
        best = min(best, time.perf_counter() - start)
        printed = out.getvalue()
    lines = len(printed.splitlines())
    print(f"{len(checked.issues):6} problems  {lines:5} lines  {best * 1e3:6.1f} ms")


if __name__ == "__main__":
    main()
