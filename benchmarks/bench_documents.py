"""Time the documents for publication and open data (csv, json, html, md, 360giving, pdf).

Run ``python benchmarks/bench_documents.py`` (``--sizes 130,1000,10000`` to choose,
``--formats csv,json,pdf`` for some of them, ``--pdf-max N`` to skip the PDF above N decisions,
10 000 by default). Each figure is the median of ``--repeat`` runs (3) of
:func:`tilskudd.export.write`, in this process, on the same synthetic round as
``bench_export.py`` (its :func:`synthetic_round`): every application funded, partly funded, on
the reserve list or not funded, with a reason each, 1-5 municipalities and two carried-through
columns. The file size of the last run is given beside the time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench_export import synthetic_round

from tilskudd.export import write

# format -> file name (360giving takes its kind of file from the extension)
FORMATS = {
    "csv": "tildeling.csv",
    "json": "tildeling.json",
    "html": "tildeling.html",
    "md": "tildeling.md",
    "360giving": "360giving.csv",
    "pdf": "tildeling.pdf",
}


def _timed(size: int, name: str, repeat: int, lang: str) -> str:
    result = synthetic_round(size).model_copy(update={"funder": "Difi"})
    seconds = []
    file_mb = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for attempt in range(repeat):
            path = Path(folder) / f"{attempt}-{FORMATS[name]}"
            start = time.perf_counter()
            write(result, path, format=name, lang=lang)
            seconds.append(time.perf_counter() - start)
            file_mb = path.stat().st_size / 1e6
    return f"{statistics.median(seconds):.2f} s ({file_mb:.1f} MB)"


def main() -> None:
    """Measure every size and format; print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="130,1000,10000")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--pdf-max", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", default="nb")
    args = parser.parse_args()
    names = args.formats.split(",")
    unknown = sorted(set(names) - set(FORMATS))
    if unknown:
        raise SystemExit(f"unknown format(s) {', '.join(unknown)}; known: {', '.join(FORMATS)}")
    print("| decisions | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for size in (int(s) for s in args.sizes.split(",")):
        cells = []
        for name in names:
            if name == "pdf" and size > args.pdf_max:
                cells.append("(skipped)")
            else:
                cells.append(_timed(size, name, args.repeat, args.lang))
        print(f"| {size:,} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
