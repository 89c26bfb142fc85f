"""Time the award workbook export for 1k, 10k and 100k decisions, with xlsxwriter as reference.

Run ``python benchmarks/bench_export.py`` (``--sizes 1000,10000`` to choose, ``--modes
sheetml,rows,xlsxwriter``). Each measurement runs in a fresh process so that its peak memory
(``ru_maxrss``) is its own; every timing is the median of ``--repeat`` runs (3). CPU time is
given beside wall time: on a shared, busy machine it is the steadier of the two.

Modes:

- ``sheetml``: :func:`tilskudd.export.xlsx.write`, the whole award workbook (four sheets)
  through tilskudd's own streaming writer, as ``tilskudd allocate -o`` writes it.
- ``level3``, ``level6``: the same at zlib level 3 or 6 instead of 1 (time against size).
- ``numbers``: as ``sheetml``, on the round with three more carried columns of numbers typed
  as text, as a CSV file gives them (``6978124.0``, ``2015``, ``12,5``): what finding that
  they are numbers and writing them as numbers costs.
- ``codes``: as ``numbers``, with two more columns of codes typed as digits (an account
  number ``15032212345`` under ``Kontonummer``, a 10-digit number under ``Kontakt``, distinct
  in every row): what telling codes from numbers costs.
- ``dates``: as ``sheetml``, with two more carried columns of dates typed as text, as a CSV
  file gives them (``2013-04-17`` and ``17.04.2013``, a few hundred distinct days): what finding
  that they are dates and writing them as dates costs.
- ``rows``: only the rows of the two application sheets, made and thrown away: what the
  words and lookups cost, without any writing (the floor for any writer).
- ``xlsxwriter``: the two application sheets from the same rows through xlsxwriter
  (constant_memory), a reference for what a library costs.

The round is synthetic (no validation): a realistic mix of funded, partly funded, reserve and
not funded applications with 1-5 municipalities each, a reason each, and two carried-through
columns; one in a hundred applicant names starts with ``=`` to exercise the formula-safe path.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from tilskudd.models import (
    Allocation,
    Application,
    Decision,
    Policy,
    Reason,
    RoundResult,
    Source,
    Status,
)

_MUNICIPALITIES = ["0101", "0104", "0219", "0220", "0301", "1201", "1103", "1601", "1902", "2003"]


def synthetic_round(n: int, seed: int = 2009) -> RoundResult:
    """A round of ``n`` applications, built without validation (as a fast reader would)."""
    rng = random.Random(seed)
    apps = []
    decisions = []
    budget = n * 150_000
    spent = 0
    for i in range(n):
        requested = rng.randrange(50, 3_000) * 1_000
        total = requested * rng.randrange(2, 8)
        name = f"{'=' if i % 100 == 0 else ''}Kommune {i} kommune"
        munis = tuple(rng.sample(_MUNICIPALITIES, rng.randrange(1, 6)))
        apps.append(
            Application.model_construct(
                id=f"S-{i:06d}",
                requested=requested,
                applicant=name,
                orgnr=f"9{i:08d}",
                project=f"Prosjekt {i}: felles IKT-løsning for innbyggerne",
                municipalities=munis,
                counties=tuple(sorted({m[:2] for m in munis})),
                total_cost=total,
                score=Decimal(rng.randrange(0, 100)),
                rank=None,
                category="Arkiv",
                decision=None,
                decision_amount=None,
                decision_reason=None,
                row=i + 4,
                extra={"Saksbehandler": "KHA", "Merknad": f"merknad {i}"},
            )
        )
        cap = min(requested, total // 5)
        if spent + cap <= budget:
            status, amount = (Status.FUNDED if cap == requested else Status.PARTLY_FUNDED), cap
            reasons = (Reason(code="reason.funded.full", params={"rank": i + 1, "amount": amount}),)
        else:
            status, amount = (Status.RESERVE if i % 7 == 0 else Status.NOT_FUNDED), 0
            reasons = (
                Reason(
                    code="reason.budget.exhausted",
                    params={"rank": i + 1, "remaining": budget - spent, "needed": cap},
                ),
            )
        spent += amount
        decisions.append(
            Decision(
                application_id=f"S-{i:06d}",
                status=status,
                amount=amount,
                requested=requested,
                eligible_amount=cap,
                rank=i + 1,
                tied=False,
                override=False,
                reasons=reasons,
            )
        )
    allocation = Allocation.model_construct(
        rule="ranked",
        policy=Policy(max_share_of_cost="20 %"),
        budget=budget,
        decisions=tuple(decisions),
        awarded=spent,
        unallocated=budget - spent,
        seed=None,
        notes=(),
    )
    return RoundResult.model_construct(
        allocation=allocation,
        applications=tuple(apps),
        rejected=(),
        issues=(),
        source=Source(file="bench.xlsx", sha256="0" * 64, sheet="Søknader", header_row=3),
        extra_columns=("Saksbehandler", "Merknad"),
        tool_version="bench",
        created=datetime(2026, 11, 28, tzinfo=UTC),
        programme=None,
        round=None,
        funder=None,
    )


def _xlsxwriter_reference(result: RoundResult, path: Path, lang: str) -> None:
    """The two application sheets through xlsxwriter (constant_memory), for comparison only.

    The same rows as the award workbook's (made by its row maker), written cell by cell with
    their number formats, a bold header, a frozen row and an autofilter.
    """
    import xlsxwriter  # type: ignore[import-untyped]

    from tilskudd.export import xlsx
    from tilskudd.wording import display_order

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    money = book.add_format({"num_format": "#,##0"})
    pct = book.add_format({"num_format": "0.0%"})
    bold = book.add_format({"bold": True})
    ordered = display_order(result)
    for funded in (True, False):
        wanted = [d for d in ordered if (d.amount > 0) == funded]
        columns = xlsx._award_columns(lang, result.extra_columns, funded=funded)
        make_row = xlsx._row_maker(result, lang, funded=funded, override=False)
        sheet = book.add_worksheet("Awards" if funded else "Not funded")
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, [c.header for c in columns], bold)
        for r, d in enumerate(wanted, start=1):
            for c, (value, column) in enumerate(zip(make_row(d), columns, strict=True)):
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif value is None:
                    continue
                elif column.kind == "amount":
                    sheet.write_number(r, c, value, money)
                elif column.kind == "percent":
                    sheet.write_number(r, c, value, pct)
                else:
                    sheet.write_number(r, c, value)
        sheet.autofilter(0, 0, len(wanted), len(columns) - 1)
    book.close()


def _rows_only(result: RoundResult, lang: str) -> None:
    """Only the rows of the two application sheets, written nowhere: what the words cost."""
    from tilskudd.export import xlsx
    from tilskudd.wording import display_order

    ordered = display_order(result)
    for funded in (True, False):
        make_row = xlsx._row_maker(result, lang, funded=funded, override=False)
        for d in ordered:
            if (d.amount > 0) == funded:
                make_row(d)


def with_typed_numbers(result: RoundResult, seed: int = 2016) -> RoundResult:
    """``result`` with three more carried columns of numbers as a CSV file gives them: text."""
    rng = random.Random(seed)
    columns = ("Tildelt før", "År", "Andel")
    apps = tuple(
        app.model_copy(
            update={
                "extra": {
                    **app.extra,
                    "Tildelt før": f"{rng.randrange(10**7)}.0",
                    "År": str(2013 + i % 5),
                    "Andel": f"{rng.randrange(100)},{rng.randrange(1, 10)}",
                }
            }
        )
        for i, app in enumerate(result.applications)
    )
    return result.model_copy(
        update={"applications": apps, "extra_columns": (*result.extra_columns, *columns)}
    )


def with_typed_codes(result: RoundResult, seed: int = 2017) -> RoundResult:
    """``result`` with two more carried columns of codes as a CSV file gives them: digits."""
    rng = random.Random(seed)
    columns = ("Kontonummer", "Kontakt")
    apps = tuple(
        app.model_copy(
            update={
                "extra": {
                    **app.extra,
                    "Kontonummer": str(rng.randrange(10**10, 10**11)),
                    "Kontakt": str(4790000000 + i),
                }
            }
        )
        for i, app in enumerate(result.applications)
    )
    return result.model_copy(
        update={"applications": apps, "extra_columns": (*result.extra_columns, *columns)}
    )


def with_typed_dates(result: RoundResult, seed: int = 2018) -> RoundResult:
    """``result`` with two more carried columns of dates as a CSV file gives them: text."""
    rng = random.Random(seed)
    columns = ("Startdato", "Frist")
    apps = []
    for app in result.applications:
        day = date(2013, 1, 1) + timedelta(days=rng.randrange(730))
        apps.append(
            app.model_copy(
                update={
                    "extra": {
                        **app.extra,
                        "Startdato": day.isoformat(),
                        "Frist": f"{day + timedelta(days=rng.randrange(365)):%d.%m.%Y}",
                    }
                }
            )
        )
    return result.model_copy(
        update={"applications": tuple(apps), "extra_columns": (*result.extra_columns, *columns)}
    )


def _sheetml_mode(mode: str) -> None:
    """Set the writer up for ``mode`` (this process only)."""
    from tilskudd.export import _sheetml

    if mode.startswith("level"):  # read by Workbook when no level is given
        vars(_sheetml)["COMPRESS_LEVEL"] = int(mode.removeprefix("level"))
    elif mode not in ("sheetml", "numbers", "codes", "dates"):
        raise SystemExit(f"unknown mode {mode!r}")


def _child(size: int, mode: str, lang: str) -> dict[str, float]:
    """Runs in a fresh process: build the round, write it once, report time and memory."""
    from tilskudd.export import xlsx

    result = synthetic_round(size)
    if mode in ("numbers", "codes"):
        result = with_typed_numbers(result)
    if mode == "codes":
        result = with_typed_codes(result)
    if mode == "dates":
        result = with_typed_dates(result)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.xlsx"
        start = time.perf_counter()
        cpu_start = time.process_time()
        if mode == "xlsxwriter":
            _xlsxwriter_reference(result, path, lang)
        elif mode == "rows":
            _rows_only(result, lang)
        else:
            _sheetml_mode(mode)
            xlsx.write(result, path, lang=lang)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        size_mb = path.stat().st_size / 1e6 if path.exists() else 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak,
        "before_mb": before,
        "file_mb": size_mb,
    }


def main() -> None:
    """Measure every size and mode; print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--modes", default="sheetml,rows,xlsxwriter")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", default="nb")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(int(args.child[0]), args.child[1], args.lang)))
        return
    print("| decisions | mode | wall | CPU | peak memory | of which the round | file |")
    print("|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        for mode in args.modes.split(","):
            runs = []
            for _ in range(args.repeat):
                out = subprocess.run(
                    [sys.executable, __file__, "--lang", args.lang, "--child", str(size), mode],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                runs.append(json.loads(out))
            seconds = statistics.median(r["seconds"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            peak = statistics.median(r["peak_mb"] for r in runs)
            before = statistics.median(r["before_mb"] for r in runs)
            print(
                f"| {size:,} | {mode} | {seconds:.2f} s | {cpu:.2f} s | {peak:.0f} MB "
                f"| {before:.0f} MB | {runs[0]['file_mb']:.1f} MB |",
                flush=True,
            )


if __name__ == "__main__":
    main()
