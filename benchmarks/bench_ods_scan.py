"""Time the .ods scan's search for formula cells without a saved value (``reading/xlsx.py``).

Run ``python benchmarks/bench_ods_scan.py`` (``--rows 100000``, ``--repeat 7``). The sheets are
built with the tests' builder (``tests/reading/conftest.py``), 11 columns like bench_read.py's,
in three kinds: clean (no formula), calculated (a formula with its value type and value in every
row, as LibreOffice saves it: each one a candidate the search must look past), and one bare
formula near the end (the file is then parsed for it). Each is timed as the streamed search of
content.xml for bare formulas alone and as ``ods_scan``; medians of interleaved runs. Files are
written once to ``benchmarks/out/`` (git-ignored). Run it again with ``PYTHONPATH`` set to
another copy of ``src/`` to compare.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_read import HEADERS, _medians  # noqa: E402  (the columns bench_read.py writes)

_spec = importlib.util.spec_from_file_location("ods_files", ROOT / "tests/reading/conftest.py")
assert _spec is not None
assert _spec.loader is not None
_ods_files = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_ods_files)
OdsXml, build_ods = _ods_files.OdsXml, _ods_files.build_ods


def generate(rows: int, kind: str) -> Path:
    """Write (once) an .ods of ``rows`` applications below a header; ``kind`` as above."""
    path = OUT / f"applications-{rows}-{kind}.ods"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    grid: list[list[object]] = [HEADERS]
    for i in range(rows):
        requested = (50 + i % 3950) * 1000
        cost: object = requested * 4
        if kind == "calculated":
            cost = OdsXml(
                f'<table:table-cell table:formula="of:=[.G{i + 2}]*4" office:value-type="float"'
                f' office:value="{requested * 4}" calcext:value-type="float">'
                f"<text:p>{requested * 4}</text:p></table:table-cell>"
            )
        elif kind == "one-bare" and i == rows - 10:
            cost = OdsXml(f'<table:table-cell table:formula="of:=[.G{i + 2}]*4"/>')
        grid.append(
            [
                f"S-{i + 1:06d}",
                f"Kommune {i % 356} kommune",
                f"9{i % 100_000_000:08d}",
                "Digital felles sak arkiv",
                f"{3000 + i % 100:04d}",
                f"{30 + i % 20:02d}",
                requested,
                cost,
                1 + i % 6,
                "Samhandling",
                "" if i % 5 else "sjekk budsjett",
            ]
        )
    tmp = path.with_suffix(".tmp")
    build_ods(tmp, {"Søknader": grid})
    tmp.rename(path)
    return path


def main() -> None:
    from tilskudd.reading import xlsx

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    def search(path: Path) -> bool:
        # The mark as this copy of src/ has it: a function, or a class made for each file.
        mark = getattr(xlsx, "_od_has_bare_formulas", None) or xlsx._OdBareFormulas()
        with zipfile.ZipFile(path) as archive:
            return bool(xlsx._od_mentions(archive, mark)[0])

    print(f"{args.rows} rows x {len(HEADERS)} columns, median of {args.repeat}, {xlsx.__file__}")
    print("| sheet | content.xml | search | ods_scan | found |")
    print("|---|---|---|---|---|")
    for kind in ("clean", "calculated", "one-bare"):
        path = generate(args.rows, kind)
        found = xlsx.ods_scan(path, "Søknader")
        searched, scanned = _medians(
            [lambda p=path: search(p), lambda p=path: xlsx.ods_scan(p, "Søknader")],
            args.repeat,
        )
        with zipfile.ZipFile(path) as archive:
            size = archive.getinfo("content.xml").file_size / 1e6
        print(f"| {kind} | {size:.0f} MB | {searched:.3f} s | {scanned:.3f} s | {len(found)} |")


if __name__ == "__main__":
    main()
