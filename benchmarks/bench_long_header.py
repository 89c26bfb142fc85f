"""Time the header search on a row of one long text repeated to the last column.

Run ``python benchmarks/bench_long_header.py`` (``--length 40000``, ``--repeat 5``): the row a
1 KiB .ods gives calamine when one cell of ``--length`` characters is repeated along all 16 384
columns, looked at by ``find_header`` as the first of three such rows. Medians of ``--repeat``
runs. Run it again with ``PYTHONPATH`` set to another copy of ``src/`` to compare.
"""

from __future__ import annotations

import argparse
import statistics
import time

from tilskudd.reading.columns import find_header


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--length", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    row = ["Søkt beløp", *["x" * args.length] * 16_383]
    rows = [row, row, row]
    times = []
    for _ in range(args.repeat):
        start = time.process_time()
        find_header(rows)
        times.append(time.process_time() - start)
    print(
        f"find_header, 3 rows of 16 384 cells of {args.length} characters: "
        f"{statistics.median(times):.3f} s CPU (median of {args.repeat})"
    )


if __name__ == "__main__":
    main()
