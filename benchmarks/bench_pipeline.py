"""End to end: `tilskudd allocate FILE --budget N -o OUT.xlsx` against a bare calamine read.

Run ``python benchmarks/bench_pipeline.py`` (``--sizes 1000,10000`` to choose, ``--repeat 3``).
Uses the files of ``bench_read.py`` (generated once into ``benchmarks/out/``, git-ignored). Each
timing runs in a fresh process, interpreter start-up included, and is the median of the runs;
the stages (read, validate, allocate, write) are timed in-process on the side, so the table says
where the time goes. tilskudd's modules are compiled to bytecode first, as an installed tilskudd's
are (``bench_read.compile_bytecode``). The budget is a third of what is requested, so the round
is oversubscribed about three times like Difi's 2009 round.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_read import compile_bytecode, generate


def _fresh(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of a command in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _stages(path: Path, budget: int, out: Path) -> dict[str, float]:
    from tilskudd.export import write
    from tilskudd.models import Policy
    from tilskudd.pipeline import run_round
    from tilskudd.reading import read_table
    from tilskudd.rules import allocate
    from tilskudd.validation import validate

    times: dict[str, float] = {}
    start = time.perf_counter()
    table = read_table(path)
    times["read"] = time.perf_counter() - start
    start = time.perf_counter()
    checked = validate(table, require=("requested", "score|rank"))
    times["validate"] = time.perf_counter() - start
    policy = Policy(max_share_of_cost="20 %", round_to=1000)  # type: ignore[arg-type]
    start = time.perf_counter()
    allocate(checked.applications, budget, policy)
    times["allocate"] = time.perf_counter() - start
    result = run_round(checked, budget, policy)
    start = time.perf_counter()
    write(result, out, force=True)
    times["write"] = time.perf_counter() - start
    return times


def main(argv: list[str] | None = None) -> int:
    """Print a Markdown table of end-to-end figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    compile_bytecode()
    bare = (
        "import python_calamine as c,sys;"
        "c.load_workbook(sys.argv[1]).get_sheet_by_index(0).to_python()"
    )
    print(
        "| rows | bare read (s) | check (s) | ratio | allocate -o xlsx (s) | ratio | "
        "ratio per round | read | validate | allocate | write |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        path = generate(size)
        from tilskudd.reading import read_table

        requested = read_table(path)
        column = requested.fields["requested"]
        total = 0
        for _row, cells in requested.rows:
            value = cells[column]
            if isinstance(value, int | float):
                total += int(value)
        budget = max(total // 3, 1)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.xlsx"
            runs: dict[str, list[float]] = {"bare": [], "check": [], "allocate": []}
            for _ in range(args.repeat):
                runs["bare"].append(_fresh([sys.executable, "-c", bare, str(path)])[0])
                runs["check"].append(
                    _fresh([sys.executable, "-m", "tilskudd", "check", str(path)])[0]
                )
                runs["allocate"].append(
                    _fresh(
                        [
                            sys.executable, "-m", "tilskudd", "allocate", str(path),
                            "--budget", str(budget), "--max-share-of-cost", "20 %",
                            "--round-to", "1000", "-o", str(out), "--force",
                        ]
                    )[0]
                )  # fmt: skip
            stages = _stages(path, budget, out)
        bare_s = statistics.median(runs["bare"])
        check_s = statistics.median(runs["check"])
        alloc_s = statistics.median(runs["allocate"])
        # Each round's own ratio (its bare read ran just before it), the median of those: on a
        # shared machine the steadier figure.
        per_round = statistics.median(
            a / b for a, b in zip(runs["allocate"], runs["bare"], strict=True)
        )
        print(
            f"| {size:,} | {bare_s:.2f} | {check_s:.2f} | {check_s / bare_s:.1f}x | "
            f"{alloc_s:.2f} | {alloc_s / bare_s:.1f}x | {per_round:.1f}x | {stages['read']:.2f} | "
            f"{stages['validate']:.2f} | {stages['allocate']:.3f} | {stages['write']:.2f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
