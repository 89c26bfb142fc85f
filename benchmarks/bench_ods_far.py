"""Time the look at an .ods's repeats before calamine opens it (``ods_far_corner`` in
``reading/xlsx.py``) against reading the file.

Run ``python benchmarks/bench_ods_far.py`` (``--rows 100000``, ``--repeat 5``). Two sheets of
bench_ods_scan.py's applications: "clean" as it writes them, and "padded" as LibreOffice saves a
sheet whose columns are formatted to the end: each row closed by 1 013 empty cells repeated, and
styled empty rows repeated to row 1 048 576 (both are padding: the streamed search alone). And
"filled down": the clean sheet with a value in column A repeated to the last row (refused, after
a parse of the rows). Medians of interleaved runs; files written once to ``benchmarks/out/``
(git-ignored).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ods_scan import HEADERS, OUT, OdsXml, build_ods, generate  # noqa: E402
from bench_read import _medians  # noqa: E402

_PAD_CELLS = '<table:table-cell table:number-columns-repeated="1013"/>'
_PAD_ROWS = (
    '<table:table-row table:style-name="ro1" table:number-rows-repeated="{n}">'
    '<table:table-cell table:style-name="ce1" table:number-columns-repeated="1024"/>'
    "</table:table-row>"
)
_FILLED = (
    '<table:table-row table:number-rows-repeated="{n}"><table:table-cell'
    ' office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
)


def padded(rows: int, kind: str) -> Path:
    path = OUT / f"applications-{rows}-{kind}.ods"
    if path.exists():
        return path
    grid: list[list[object]] = [[*HEADERS, OdsXml(_PAD_CELLS)]]
    for i in range(rows):
        grid.append([f"S-{i + 1:06d}", f"Kommune {i % 356}", 50_000 + i, 1 + i % 6])
        grid[-1].extend([""] * (len(HEADERS) - 4))
        grid[-1].append(OdsXml(_PAD_CELLS))
    end = (_PAD_ROWS if kind == "padded" else _FILLED).format(n=(1 << 20) - rows - 1)
    grid.append(OdsXml(end))  # type: ignore[arg-type]
    tmp = path.with_suffix(".tmp")
    build_ods(tmp, {"Søknader": grid})
    tmp.rename(path)
    return path


def main() -> None:
    from tilskudd.reading import read_table, xlsx

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{args.rows} rows, median of {args.repeat}, {xlsx.__file__}")
    print("| sheet | content.xml | ods_far_corner | read_table | refused |")
    print("|---|---|---|---|---|")
    for kind, path in (
        ("clean", generate(args.rows, "clean")),
        ("padded", padded(args.rows, "padded")),
        ("filled down", padded(args.rows, "filled")),
    ):
        far = xlsx.ods_far_corner(path)

        def read(p: Path = path) -> None:
            with contextlib.suppress(Exception):  # the filled-down sheet is refused
                read_table(p)

        looked, whole = _medians([lambda p=path: xlsx.ods_far_corner(p), read], args.repeat)
        with zipfile.ZipFile(path) as archive:
            size = archive.getinfo("content.xml").file_size / 1e6
        print(f"| {kind} | {size:.0f} MB | {looked:.3f} s | {whole:.3f} s | {far is not None} |")


if __name__ == "__main__":
    main()
