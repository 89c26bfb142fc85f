"""Time :func:`tilskudd.render.text.wrap` per call on the terminal's texts: a problem line of
``check`` with amounts in it, and one listing 360Giving ids (hyphens held together).

Each text is wrapped to 60 columns ``--number`` times, ``--repeat`` times; the best run is shown
in microseconds per call. ``--src`` times another checkout's ``src`` (the one before a change),
so two builds can be compared in turns on a busy machine.

    python benchmarks/bench_wrap.py [--number 300] [--repeat 9] [--src ../other/src]
"""

from __future__ import annotations

import argparse
import sys
import timeit

TEXTS = {
    "problem text with amounts": (
        "«0» er ikke et organisasjonsnummer; lest som at organisasjonsnummer mangler (kolonnen er "
        "valgfri) og beløpet 3\u00a0300\u00a0000\u00a0kr er over 0 kr. "
    )
    * 3,
    "360Giving ids": (
        "De første: 360G-cabinetoffice-GA-060679, 360G-cabinetoffice-GA-042857, Nord-Trøndelag "
        "og 360G-cabinetoffice-GA-058924 "
    )
    * 3,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--src", help="another checkout's src to time instead")
    args = parser.parse_args()
    if args.src:
        sys.path.insert(0, args.src)
    from tilskudd.render.text import wrap

    for name, text in TEXTS.items():
        runs = timeit.repeat(lambda t=text: wrap(t, 60), number=args.number, repeat=args.repeat)
        best = min(runs) / args.number
        print(f"{name:28} {len(text):4} chars  {best * 1e6:6.1f} us a wrap")


if __name__ == "__main__":
    main()
