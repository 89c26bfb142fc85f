"""Time tilskudd's reading against bare python-calamine on generated 1k, 10k and 100k-row files.

Run ``python benchmarks/bench_read.py`` (``--sizes 1000,10000`` to choose; ``--formulas`` adds a
computed column so the formula scan does real work; ``--merged`` merges the category down over
each three rows, to be read on every row of its merge; ``--check`` also times ``tilskudd check`` on
the file against a bare calamine read, each in a fresh process, start-up included). Files are
written once to ``benchmarks/out/`` (git-ignored) with xlsxwriter and reused; every timing is the
median of ``--repeat`` runs (3).
"""

from __future__ import annotations

import argparse
import compileall
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

HEADERS = [
    "Søknadsnr",
    "Søker",
    "Organisasjonsnummer",
    "Prosjekttittel",
    "Deltakende kommuner",
    "Fylke",
    "Omsøkt beløp",
    "Totalkostnad",
    "Poeng",
    "Kategori",
    "Merknad",
]

_WORDS = ["Digital", "felles", "sak", "arkiv", "plattform", "innbygger", "tjeneste", "IKT"]
_CATEGORIES = ["Samhandling", "Innbyggertjenester", "Infrastruktur"]


def _municipalities() -> dict[str, list[tuple[str, str]]]:
    """County number -> [(municipality number, name)] from the bundled 2024 register."""
    import csv
    from importlib import resources

    text = (resources.files("tilskudd") / "data" / "kommuner_2024.csv").read_text("utf-8")
    by_county: dict[str, list[tuple[str, str]]] = {}
    for row in csv.DictReader(text.splitlines()):
        by_county.setdefault(row["county_number"], []).append((row["number"], row["name"]))
    return by_county


def _orgnr(rng: random.Random) -> str:
    """A made-up organisation number with a valid mod-11 check digit."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        digits = [9, *(rng.randrange(10) for _ in range(7))]
        rest = 11 - sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        if rest == 11:
            rest = 0
        if rest != 10:
            return "".join(map(str, [*digits, rest]))


def generate(rows: int, *, formulas: bool = False, merged: bool = False) -> Path:
    """Write (once) an xlsx with a title, a header and ``rows`` applications of 11 columns.

    Valid like a real round (register municipalities with their county, valid organisation
    numbers, requests within cost), except one row in 500 with a mistake, as officers' sheets have.
    With ``merged``, each block of three rows has its category merged down over the three.
    """
    import xlsxwriter

    suffix = ("-f" if formulas else "") + ("-m" if merged else "")
    path = OUT / f"applications-{rows}{suffix}.xlsx"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(rows)
    by_county = _municipalities()
    counties = sorted(by_county)
    tmp = path.with_suffix(".tmp.xlsx")
    # constant_memory writes each row as it goes, and would refuse a merge over rows written.
    book = xlsxwriter.Workbook(str(tmp), {"constant_memory": not merged})
    sheet = book.add_worksheet("Søknader")
    sheet.write_row(0, 0, ["Søknader til IKT-tilskudd, runde 1"])
    sheet.write_row(2, 0, HEADERS)
    category = ""
    for i in range(rows):
        county = rng.choice(counties)
        places = rng.sample(
            by_county[county], min(len(by_county[county]), rng.choice([1, 1, 2, 3]))
        )
        cost = rng.randrange(200, 20_000) * 1000
        requested: int | str = min(cost, rng.randrange(50, 4_000) * 1000)
        if i % 500 == 499:
            requested = "3,300"  # ambiguous text: an error with a hint
        r = 3 + i
        cells = [
            f"S-{i + 1:06d}",
            f"{places[0][1]} kommune",
            _orgnr(rng),
            " ".join(rng.sample(_WORDS, 4)).capitalize(),
            ", ".join(number for number, _ in places),
            county,
            requested,
            cost,
            rng.randrange(1, 7),
            rng.choice(_CATEGORIES),
            "" if rng.random() < 0.8 else "sjekk budsjett",
        ]
        if merged:
            # The category of each block of three rows in its top cell, merged down below.
            if i % 3 == 0:
                category = str(cells[9])
            else:
                cells[9] = None
        sheet.write_row(r, 0, cells)
        if formulas:
            # xlsxwriter stores a cached value (0 unless given), as Excel would after opening.
            sheet.write_formula(r, 11, f"=H{r + 1}*0.2", None, cost * 0.2)
        if merged and i % 3 == 2:
            sheet.merge_range(r - 2, 9, r, 9, category)
    book.close()
    tmp.rename(path)
    return path


def _medians(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """Median time of each function; runs are interleaved so that load from other processes
    on a shared machine falls on all of them alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, spent in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


def compile_bytecode(src: Path | None = None) -> None:
    """Compile tilskudd's modules to bytecode (``__pycache__``, git-ignored) before a timed run.

    A user's tilskudd starts from bytecode: pip writes it when it installs the package, and an
    editable install writes it on the first run. A machine with ``PYTHONDONTWRITEBYTECODE`` set
    (as containers and CI often have) would compile every module again in each timed process,
    0.1-0.15 s that no user waits for. The interpreter still reads bytecode that is there, so
    compiling once here makes each fresh process start as a user's does. ``src`` is a folder
    holding a ``tilskudd`` package (another checkout's ``src``); by default, the one imported.
    """
    if src is None:
        import tilskudd

        package = Path(tilskudd.__file__).parent
    else:
        package = Path(src) / "tilskudd"
    if not compileall.compile_dir(package, quiet=1):
        raise SystemExit(f"could not compile {package}")


def _wall(command: list[str]) -> Callable[[], object]:
    """A command run in a fresh interpreter (start-up included), to be timed."""

    def run() -> None:
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    return run


def main(argv: list[str] | None = None) -> int:
    """Generate the files and print a Markdown table of median timings."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formulas", action="store_true")
    parser.add_argument(
        "--merged", action="store_true", help="merge the category down over each three rows"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="also time `tilskudd check FILE` and a bare calamine read, each in a new process",
    )
    args = parser.parse_args(argv)
    if args.check:
        compile_bytecode()

    from python_calamine import load_workbook

    from tilskudd.reading import read_table

    head = "| rows | file MB | bare calamine s | read_table s | ratio | rows/s (read_table) |"
    rule = "|---|---|---|---|---|---|"
    if args.check:
        head += " bare calamine, process s | tilskudd check s | ratio |"
        rule += "---|---|---|"
    print(head)
    print(rule)
    for size in (int(s) for s in args.sizes.split(",")):
        path = generate(size, formulas=args.formulas, merged=args.merged)

        def bare(path: Path = path) -> object:
            return load_workbook(path).get_sheet_by_index(0).to_python()

        def ours(path: Path = path, size: int = size) -> object:
            table = read_table(path)
            assert len(table.rows) == size, len(table.rows)
            return table

        t_bare, t_ours = _medians([bare, ours], args.repeat)
        mb = path.stat().st_size / 1e6
        line = (
            f"| {size:,} | {mb:.1f} | {t_bare:.3f} | {t_ours:.3f} | {t_ours / t_bare:.2f} "
            f"| {size / t_ours:,.0f} |"
        )
        if args.check:
            bare_code = (
                "import sys; from python_calamine import load_workbook; "
                "load_workbook(sys.argv[1]).get_sheet_by_index(0).to_python()"
            )
            tilskudd = shutil.which("tilskudd") or "tilskudd"
            p_bare, p_check = _medians(
                [
                    _wall([sys.executable, "-c", bare_code, str(path)]),
                    _wall([tilskudd, "check", str(path), "--format", "json"]),
                ],
                args.repeat,
            )
            line += f" {p_bare:.3f} | {p_check:.3f} | {p_check / p_bare:.2f} |"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
