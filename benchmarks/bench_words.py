"""Time the words of a round per call: reasons, decision sentences, labels, amounts, at 100k rows.

Every output (workbook, CSV, JSON, HTML, terminal) says each decision in words, so these run once
or more per application. The round is real: 100 000 synthetic applications (costs 100k-20M,
requests 10-60 % of cost) allocated by the ranked rule with the Difi 2009 20 % cap, round_to
1 000 and a reserve list, so a typical decision has the share-of-cost cap, the rounding and the
outcome (funded in full, partly, reserve, budget exhausted) as its reasons. Each function runs over
all 100k inputs ``--repeat`` times (5); the median is shown in microseconds per call, with the
median CPU time per call in brackets (the steadier figure on a shared, busy machine).

The reference row fills the same templates through ``string.Formatter`` (what every message
cost before templates were compiled), and is checked to give the same text.

    python benchmarks/bench_words.py [--size 100000] [--repeat 5] [--langs nb,en]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_allocate, a sibling script

from bench_allocate import synthetic

from tilskudd import i18n, wording
from tilskudd.i18n import format_number, format_share, get
from tilskudd.models import Decision, Policy, Reason
from tilskudd.money import format_amount
from tilskudd.registry import REGISTERS, get_register
from tilskudd.rules import allocate

POLICY = Policy(rule="ranked", max_share_of_cost=Decimal("0.2"), round_to=1000, reserve=10)


def round_decisions(n: int) -> list[Decision]:
    """The decisions of a ranked round of ``n`` applications, the line about a third of the way."""
    apps = synthetic(n)
    budget = sum(a.requested for a in apps) // 15
    return list(allocate(apps, budget, POLICY).decisions)


def _template(code: str, lang: str) -> str | None:
    return i18n._catalogue(lang).get(code) or i18n._catalogue("en").get(code)


def reference_reason_text(reason: Reason, lang: str) -> str:
    """A reason filled through ``string.Formatter``: the path every message took before."""
    template = _template(reason.code, lang)
    if template is None:
        return reason.code
    return get(lang)._formatter.vformat(template, (), i18n._Defaults(reason.params))


def reference_decision_text(decision: Decision, lang: str) -> str:
    """:func:`tilskudd.wording.decision_text` as it was: ``string.Formatter``, then each phrase
    stripped, capitalised and given its full stop."""
    if not decision.reasons:
        phrases = [wording.status_text(decision.status, lang)]
    else:
        phrases = [reference_reason_text(r, lang) for r in decision.reasons]
    parts = [p.strip().rstrip(".").strip() for p in phrases]
    return " ".join(f"{p[0].upper()}{p[1:]}." for p in parts if p)


def _per_call(run: Callable[[Any], object], inputs: Sequence[Any], repeat: int) -> str:
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        for item in inputs:
            run(item)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    n = len(inputs)
    return f"{statistics.median(walls) / n * 1e6:.2f} ({statistics.median(cpus) / n * 1e6:.2f})"


def main() -> None:
    """Run the benchmark and print a Markdown table of µs per call."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--langs", default="nb,en")
    args = parser.parse_args()
    langs = args.langs.split(",")

    decisions = round_decisions(args.size)
    reasons = [r for d in decisions for r in d.reasons]
    rng = random.Random(2009)
    register = get_register(max(REGISTERS))
    municipalities = [rng.choice(sorted(register.municipalities)) for _ in decisions]
    counties = [m[:2] for m in municipalities]
    statuses = [d.status for d in decisions]
    amounts = [d.eligible_amount or d.amount for d in decisions]
    ranks = [d.rank or 0 for d in decisions]
    shares = [Decimal("0.2"), Decimal("0.375"), Decimal("0.15")] * (len(decisions) // 3)

    mix: dict[int, int] = {}
    for d in decisions:
        mix[len(d.reasons)] = mix.get(len(d.reasons), 0) + 1
    counted = ", ".join(f"{k} reasons: {v:,}" for k, v in sorted(mix.items()))
    print(f"{len(decisions):,} decisions ({counted}); {len(reasons):,} reasons")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]}; µs per call, median of {args.repeat} (CPU)")
    print(f"load average at the start: {load}\n")

    for lang in langs:
        # The reference is kept honest: the same text, every decision.
        for d in decisions:
            assert wording.decision_text(d, lang) == reference_decision_text(d, lang), d

    def per_lang(run: Callable[[Any, str], object], inputs: Sequence[Any]) -> list[str]:
        return [_per_call(lambda x, lang=lang: run(x, lang), inputs, args.repeat) for lang in langs]

    rows: list[tuple[str, list[str]]] = [
        ("decision_text", per_lang(wording.decision_text, decisions)),
        (
            "decision_text, string.Formatter (reference)",
            per_lang(reference_decision_text, decisions),
        ),
        ("reason_text", per_lang(wording.reason_text, reasons)),
        ("reason_text, string.Formatter (reference)", per_lang(reference_reason_text, reasons)),
        ("status_text", per_lang(wording.status_text, statuses)),
        ("format_amount", per_lang(format_amount, amounts)),
        ("format_number", per_lang(format_number, ranks)),
        ("format_share", per_lang(format_share, shares)),
        (
            "municipality_label",
            [_per_call(wording.municipality_label, municipalities, args.repeat)] * len(langs),
        ),
        ("county_label", [_per_call(wording.county_label, counties, args.repeat)] * len(langs)),
    ]
    print("| function | " + " | ".join(langs) + " |")
    print("|---|" + "---|" * len(langs))
    for name, cells in rows:
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    print("\nload average at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
