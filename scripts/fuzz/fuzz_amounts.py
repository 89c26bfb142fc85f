"""Fuzz amount parsing with atheris (libFuzzer, coverage-guided): cells, options, policy values.

Each input is a text, as typed in a cell or after ``--budget``: it goes through
:func:`tilskudd.money.parse_amount` (whole kroner; zero and negative allowed or not),
:func:`tilskudd.money.parse_decimal`, :func:`tilskudd.money.plain_number` (a carried column's
number), the option parser of the command line (``--budget``, ``--min-award``) and the cell
check of validation. The oracle: a number or a :class:`~tilskudd.errors.TilskuddError`, and a
whole number of kroner when one comes out; anything else raised, or an input that takes more
than ``-timeout`` seconds or ``-rss_limit_mb``, is a crash that libFuzzer keeps as
``crash-…``/``timeout-…``/``oom-…`` in the current folder.

atheris is not a dependency of tilskudd: install it into the virtual environment first.

    .venv/bin/pip install atheris
    mkdir -p /tmp/amounts && nice -n 10 .venv/bin/python scripts/fuzz/fuzz_amounts.py \
        /tmp/amounts -max_total_time=600 -timeout=10 -rss_limit_mb=2048
"""

from __future__ import annotations

import contextlib
import sys

import atheris

SEEDS = [
    "3 300 000",
    "kr 3.300.000,-",
    "3,3 mill.",
    "20M",
    "1 mrd",
    "500k",
    "NOK 3,300,000",
    "3'300'000",
    "1 000,000",
    "2 G",
    "1,5",
    "-1",
    "0",
    "1e5",
    "３ ３００",
    "٣٠٠",
    "85 %",
]

with atheris.instrument_imports():
    from tilskudd.cli.common import parse_amount_option
    from tilskudd.errors import TilskuddError
    from tilskudd.money import parse_amount, parse_decimal, plain_number
    from tilskudd.validation import amount_problem


def one(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    flags = provider.ConsumeIntInRange(0, 3)
    text = provider.ConsumeUnicodeNoSurrogates(len(data))
    allow_zero, allow_negative = bool(flags & 1), bool(flags & 2)
    try:
        amount = parse_amount(text, allow_zero=allow_zero, allow_negative=allow_negative)
    except TilskuddError:
        pass
    else:
        if type(amount) is not int:
            raise AssertionError(f"{text!r} -> {amount!r}, not an int")
        if (amount < 0 and not allow_negative) or (amount == 0 and not allow_zero):
            raise AssertionError(f"{text!r} -> {amount!r}, not allowed")
    with contextlib.suppress(TilskuddError):
        parse_decimal(text)
    plain_number(text)
    amount_problem(text, allow_zero=allow_zero)
    with contextlib.suppress(TilskuddError):
        parse_amount_option(text, "--budget", allow_zero=allow_zero)


if __name__ == "__main__":
    import os

    args = list(sys.argv)
    corpus = next((a for a in args[1:] if not a.startswith("-")), None)
    if corpus is not None and os.path.isdir(corpus) and not os.listdir(corpus):
        for i, seed in enumerate(SEEDS):
            with open(os.path.join(corpus, f"seed-{i}"), "wb") as handle:
                handle.write(b"\x00" + seed.encode("utf-8"))
    atheris.Setup(args, one)
    atheris.Fuzz()
