"""The rule modules compiled with mypyc, timed alternately with the pure-Python package.

    python benchmarks/bench_mypyc.py [--build benchmarks/out/mypyc] [--no-build]
        [--modules tilskudd/rules/common.py,...] [--rounds 4] [--sizes 100000] [--repeat 5]

Copies ``src/tilskudd`` to the build folder (git-ignored), compiles ``--modules`` there in place
with mypyc (it comes with mypy, in the dev extra, and needs a C compiler), checks that each of
them imports as an extension module, then runs ``bench_allocate.py`` ``--rounds`` times on each
side, taking turns (pure first), each in a fresh process: the installed package, then the copy
(``PYTHONPATH`` = the build folder). Prints each run's table and load average, then CPU time
per rule, pure and compiled side by side, with the compiled side's ratio. Nothing here is part
of the package; see docs/benchmarks.md, "A compiled core (mypyc), measured".

To run the rule tests on the compiled copy (check the header line names ``.so`` files):

    PYTHONPATH=benchmarks/out/mypyc python -m pytest tests/rules -q -p no:cacheprovider
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = "tilskudd/rules/common.py,tilskudd/rules/proportional.py,tilskudd/rules/ranked.py"
_CELL = re.compile(r"([\d.]+) ms \(([\d.]+)\)")


def _mypy_ini() -> str:
    """pyproject's ``[tool.mypy]`` as a mypy.ini: mypyc type-checks with the project's settings."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    lines = ["[mypy]", "strict = True", f"python_version = {config['python_version']}"]
    lines.append("plugins = " + ", ".join(config.get("plugins", [])))
    for override in config.get("overrides", []):
        lines.append(f"[mypy-{','.join(override['module'])}]")
        lines += [f"{k} = {v}" for k, v in override.items() if k != "module"]
    return "\n".join(lines) + "\n"


def build(folder: Path, modules: list[str]) -> None:
    """A fresh copy of the package in ``folder`` with ``modules`` compiled in place."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copytree(
        ROOT / "src" / "tilskudd", folder / "tilskudd", ignore=shutil.ignore_patterns("__pycache__")
    )
    (folder / "mypy.ini").write_text(_mypy_ini())
    start, before = time.perf_counter(), os.times()
    subprocess.run([sys.executable, "-m", "mypyc", *modules], cwd=folder, check=True)
    after = os.times()
    cpu = sum(after[2:4]) - sum(before[2:4])  # the children's user and system time
    print(f"built in {time.perf_counter() - start:.0f} s (CPU {cpu:.0f} s)")


def check_compiled(folder: Path, modules: list[str]) -> None:
    """Stop unless every module in ``modules`` imports from ``folder`` as an extension module."""
    names = [m.removesuffix(".py").replace("/", ".") for m in modules]
    code = (
        "import importlib, sys; print(*(importlib.import_module(n).__file__ for n in sys.argv[1:]))"
    )
    env = {**os.environ, "PYTHONPATH": str(folder)}
    files = subprocess.run(
        [sys.executable, "-c", code, *names], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    for name, file in zip(names, files, strict=True):
        if not file.endswith(".so") and not file.endswith(".pyd"):
            sys.exit(f"{name} is not compiled in {folder}: {file}")


def run(folder: Path | None, sizes: str, repeat: int) -> dict[str, list[tuple[float, float]]]:
    """One fresh run of bench_allocate.py; (wall, CPU) in ms per rule and size."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if folder is not None:
        env["PYTHONPATH"] = str(folder)
    script = str(ROOT / "benchmarks" / "bench_allocate.py")
    load = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, script, "--sizes", sizes, "--repeat", str(repeat)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    print(f"{'compiled' if folder else 'pure'} (load {load:.1f}):\n{out}", flush=True)
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        figures = [_CELL.fullmatch(c) for c in cells[1:]]
        if figures and all(figures):
            rows[cells[0]] = [(float(f[1]), float(f[2])) for f in figures if f]
    return rows


def main() -> None:
    """Build (unless ``--no-build``), then time both sides in turns and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "benchmarks" / "out" / "mypyc")
    parser.add_argument("--no-build", action="store_true", help="time the copy built before")
    parser.add_argument("--modules", default=MODULES, help="comma-separated, as mypyc takes them")
    parser.add_argument("--rounds", type=int, default=4, help="0: build and check only")
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = args.build.resolve()
    modules = args.modules.split(",")
    if not args.no_build:
        build(folder, modules)
    check_compiled(folder, modules)
    if args.rounds < 1:
        return
    runs: dict[str, list[dict[str, list[tuple[float, float]]]]] = {"pure": [], "compiled": []}
    for _ in range(args.rounds):
        runs["pure"].append(run(None, args.sizes, args.repeat))
        runs["compiled"].append(run(folder, args.sizes, args.repeat))
    sizes = args.sizes.split(",")
    print("CPU ms per run, pure / compiled, and the median of compiled / pure per round:")
    for name in runs["pure"][0]:
        for i, size in enumerate(sizes):
            pure = [r[name][i][1] for r in runs["pure"]]
            compiled = [r[name][i][1] for r in runs["compiled"]]
            ratio = statistics.median(c / p for p, c in zip(pure, compiled, strict=True))
            print(
                f"| {name} | {size} | {' / '.join(f'{p:.0f}' for p in pure)} "
                f"| {' / '.join(f'{c:.0f}' for c in compiled)} | {ratio:.2f} |"
            )


if __name__ == "__main__":
    main()
