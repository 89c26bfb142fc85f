"""Start-up: ``tilskudd --help`` and ``tilskudd allocate --help``, in English and in bokmål.

Run ``python benchmarks/bench_help.py`` (``--repeat 20``; ``--src OTHER/src`` times another
checkout's code with this interpreter, for a before and after). Each run is a fresh process,
interpreter start-up included; the cases take turns, so that load on the machine falls on all
of them alike. Prints the median and the fastest run of each. The modules are compiled to bytecode
first, as an installed tilskudd's are (``bench_read.compile_bytecode``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_read import compile_bytecode

CASES = {
    "tilskudd --help (en)": (["--help"], "en"),
    "tilskudd --help (nb)": (["--help"], "nb"),
    "tilskudd allocate --help (en)": (["allocate", "--help"], "en"),
    "tilskudd allocate --help (nb)": (["allocate", "--help"], "nb"),
}

CODE = "import sys; from tilskudd.cli import main; sys.argv = ['tilskudd', *sys.argv[1:]]; main()"


def _once(args: list[str], lang: str, src: str | None) -> float:
    env = {**os.environ, "TILSKUDD_LANG": lang, "COLUMNS": "100"}
    if src:
        env["PYTHONPATH"] = src
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", CODE, *args], env=env, capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--src", help="another checkout's src folder, timed instead")
    options = parser.parse_args()
    compile_bytecode(Path(options.src) if options.src else None)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(options.repeat):
        for name, (args, lang) in CASES.items():
            times[name].append(_once(args, lang, options.src))
    for name, found in times.items():
        print(f"{name:32} median {statistics.median(found):.3f} s, fastest {min(found):.3f} s")


if __name__ == "__main__":
    main()
