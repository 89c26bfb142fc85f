"""Time the terminal view of a committed round changed since its decision (amended, withdrawn)
against the same round's view with no change, through the library calls ``tilskudd allocate
--round N`` makes.

For each size one synthetic round (``bench_ledger.py``'s round 1: fixed seed, valid
organisation numbers and municipality numbers, into ``benchmarks/out/changed/``, git-ignored)
is allocated and committed, then ``--changes`` of its awards are amended (lowered by a tenth)
and as many withdrawn, as ``tilskudd amend`` and ``withdraw`` record them (not timed; the
ledger is kept beside the CSV and made again only when missing). What is
timed, each as ``tilskudd`` does it:

- **as committed**: ``RoundPlan.require_as_committed``, the check that the run is the round as
  committed (every decision compared with the ledger's);
- **with changes**: ``ledger.with_changes``, reading the changes recorded since from the ledger
  (``allocate --round N`` for every committed round, changed or not);
- **view, unchanged**: ``render_result`` of the round as committed (no changes), the first 100
  rows as ``allocate`` shows a round over 500 applications, to a console writing to memory,
  120 columns wide;
- **view, as it stands** and **view, as decided**: the same of the round with its changes, as
  ``allocate --round N`` and ``allocate --round N --as-decided`` show it;
- **report**: what ``allocate --round N`` says under the table of a committed round (when it
  was committed, what changed since, where the budget came from).

Each figure is the median of ``--repeat`` runs: wall seconds, with this process's CPU seconds in
brackets. Every view is made from a fresh copy of the result (nothing it worked out for an
earlier run is kept). Run it without ``nice`` and note the load::

    python benchmarks/bench_changed_round.py [--sizes 1000,10000,100000] [--repeat 3]
        [--changes 50]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

from rich.console import Console  # noqa: TID251 (the terminal view is what is timed)

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ledger import _allocate, _programme, _rows, _timed, _write

from tilskudd import ledger as lg
from tilskudd.ledger import file_sha256
from tilskudd.models import RoundResult, Status
from tilskudd.pipeline import read_applications
from tilskudd.render.allocation import render_result

OUT = Path(__file__).resolve().parent / "out" / "changed"
TIMED = ("as_committed", "with_changes", "unchanged", "standing", "decided", "report")


def _fresh(result: RoundResult) -> RoundResult:
    """A copy of ``result`` without what an earlier view worked out and kept with it."""
    copy = result.model_copy()
    copy._derived = {}  # model_copy shares the dict with the original
    return copy


def _view(result: RoundResult, *, as_decided: bool = False) -> str:
    out = Console(file=io.StringIO(), width=120, color_system=None)
    render_result(out, _fresh(result), lang="nb", limit=100, as_decided=as_decided)
    return out.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def measure(n: int, repeat: int, changes: int) -> dict[str, str]:
    """One row of the table: every timing at ``n`` applications."""
    from tilskudd.cli.programme import RoundPlan

    folder = OUT / str(n)
    folder.mkdir(parents=True, exist_ok=True)
    first, _second = _rows(n, seed=2009 + n)
    csv1 = _write(folder / "runde1.csv", first)
    checked = read_applications(csv1, register="2009", rule="ranked")
    budget = sum(a.requested for a in checked.applications) // 15
    programme = _programme(folder, budget, budget)
    row: dict[str, str] = {}
    # Made once per size and number of changes, and kept (100 amendments at 100 000 take
    # minutes: each checks the hash chain first).
    ledger = folder / f"changed-{changes}.sqlite"
    done = folder / f"changed-{changes}.done"
    if not done.exists():
        for name in (ledger, Path(f"{ledger}-wal"), Path(f"{ledger}-shm")):
            name.unlink(missing_ok=True)
        committed = _allocate(ledger, programme, 1, checked)
        lg.commit_round(ledger, committed, programme, 1, input_path=csv1)
        funded = [d for d in committed.allocation.decisions if d.status is Status.FUNDED]
        for d in funded[:changes]:
            new = d.amount - d.amount // 10 // 1000 * 1000
            lg.amend(ledger, programme, d.application_id, new, "Lavere kostnad", round=1)
        for d in funded[changes : 2 * changes]:
            lg.withdraw(ledger, programme, d.application_id, "Trukket", round=1)
        done.touch()
    context = lg.round_context(ledger, programme, 1)
    result = _allocate(ledger, programme, 1, checked)
    changed = lg.with_changes(ledger, result, context)
    assert len(changed.changes) == 2 * changes
    row["changes"] = str(len(changed.changes))
    row["with_changes"] = _timed(lambda: lg.with_changes(ledger, result, context), repeat)
    row["unchanged"] = _timed(lambda: _view(result), repeat)
    row["standing"] = _timed(lambda: _view(changed), repeat)
    row["decided"] = _timed(lambda: _view(changed, as_decided=True), repeat)
    plan = RoundPlan(programme, ledger, 1, context)
    sha256 = file_sha256(csv1)
    row["as_committed"] = _timed(
        lambda: plan.require_as_committed(result, csv1, sha256, register="2009"), repeat
    )

    def report() -> None:
        stdout, sys.stdout = sys.stdout, io.StringIO()
        try:
            plan.report(changed, "nb", budget_given=False)
        finally:
            sys.stdout = stdout

    row["report"] = _timed(report, repeat)
    return row


def main() -> None:
    """Run the benchmark and print a Markdown table of medians: wall seconds (CPU seconds)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--changes", type=int, default=50, help="amendments, and as many withdrawals"
    )
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    print("| applications | changes | " + " | ".join(TIMED) + " |")
    print("|---|---|" + "---|" * len(TIMED))
    for n in (int(s) for s in args.sizes.split(",")):
        row = measure(n, args.repeat, args.changes)
        cells = [row[c] for c in TIMED]
        print(f"| {n:,} | {row['changes']} | " + " | ".join(cells) + " |", flush=True)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
