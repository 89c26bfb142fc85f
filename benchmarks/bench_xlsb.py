"""Time the .xlsb scan for error cells and hidden rows (``reading/xlsb.py``) on a large sheet.

Run ``python benchmarks/bench_xlsb.py`` (``--rows 100000``, ``--repeat 5``). No Python library
writes .xlsb, so the sheets are built byte by byte with the tests' builder
(``tests/reading/xlsb_files.py``), 11 columns of text and numbers like bench_read.py's, in five
kinds: clean (no error, no hidden row: the fast path), one error cell near the end, every third
row hidden, an error in every row (the walk at its worst), and every score formatted as a
percentage (the walk looks at each score cell's style). Each is timed as the scan alone,
as the extent check before calamine parses (``far_corner``: the records searched for a cell
outside the sheet's BrtWsDim), as bare calamine, and as ``read_table`` (calamine and the scan
beside it) with and without the scan; medians of interleaved runs. Files are written once to
``benchmarks/out/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT / "tests" / "reading"))

from bench_read import HEADERS, _medians  # noqa: E402  (the columns bench_read.py writes)
from xlsb_files import Error, FormulaError, Styled, xlsb_bytes  # noqa: E402


def generate(rows: int, kind: str) -> Path:
    """Write (once) an .xlsb of ``rows`` applications below a header; ``kind`` as above."""
    path = OUT / f"applications-{rows}-{kind}.xlsb"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    grid: list[list[object]] = [HEADERS]
    hidden: set[int] = set()
    for i in range(rows):
        cost: object = (200 + i % 19_800) * 1000
        if kind == "errors" or (kind == "one-error" and i == rows - 10):
            cost = FormulaError("#N/A") if i % 2 else Error("#DIV/0!")
        grid.append(
            [
                f"S-{i + 1:06d}",
                f"Kommune {i % 356} kommune",
                f"9{i % 100_000_000:08d}",
                "Digital felles sak arkiv",
                f"{3000 + i % 100:04d}",
                f"{30 + i % 20:02d}",
                (50 + i % 3950) * 1000,
                cost,
                Styled((1 + i % 6) / 10, 1) if kind == "percent" else 1 + i % 6,
                "Samhandling",
                "" if i % 5 else "sjekk budsjett",
            ]
        )
        if kind == "hidden" and i % 3 == 2:
            hidden.add(i + 2)
    formats = [0, 9] if kind == "percent" else []
    path.write_bytes(
        xlsb_bytes({"Søknader": grid}, hidden={"Søknader": hidden}, cell_formats=formats)
    )
    return path


def main() -> None:
    from python_calamine import CalamineWorkbook

    from tilskudd.reading import read_table, xlsx
    from tilskudd.reading.xlsb import far_corner, xlsb_scan

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    def bare(path: Path) -> None:
        book = CalamineWorkbook.from_path(str(path))
        book.get_sheet_by_name("Søknader").to_python(skip_empty_area=False)
        book.close()

    print(f"{args.rows} rows x {len(HEADERS)} columns, median of {args.repeat}")

    def unscanned(path: Path) -> None:
        scanner = xlsx._SCANNERS.pop("xlsb")
        try:
            read_table(path)
        finally:
            xlsx._SCANNERS["xlsb"] = scanner

    print(
        "| sheet | size | scan | extent | bare calamine | read_table | read_table, no scan "
        "| found |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for kind in ("clean", "one-error", "hidden", "errors", "percent"):
        path = generate(args.rows, kind)
        hidden: set[int] = set()
        found = xlsb_scan(path, "Søknader", hidden)
        scan, extent, calamine, table, without = _medians(
            [
                lambda p=path: xlsb_scan(p, "Søknader", set(), None, {}),
                lambda p=path: far_corner(p, "Søknader", xlsx.MAX_CELLS),
                lambda p=path: bare(p),
                lambda p=path: read_table(p),
                lambda p=path: unscanned(p),
            ],
            args.repeat,
        )
        size = path.stat().st_size / 1e6
        print(
            f"| {kind} | {size:.1f} MB | {scan:.3f} s | {extent:.3f} s | {calamine:.3f} s "
            f"| {table:.3f} s "
            f"| {without:.3f} s "
            f"| {len(found)} errors, {len(hidden)} hidden |"
        )


if __name__ == "__main__":
    main()
