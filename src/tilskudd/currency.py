"""The currency a round counts its amounts in: an ISO 4217 code, Norwegian kroner by default.

Amounts stay whole units of the currency (``int``); only the words change. A round in kroner
shows ``3 300 000 kr`` (nb) and ``NOK 3,300,000`` (en), as tilskudd always has; a round in
another currency shows its code where ``kr`` and ``NOK`` stand: ``3 300 000 EUR`` (nb) and
``EUR 3,300,000`` (en).

The words for people are made at the edge (the terminal, the files), from the currency of the
round they show: :func:`amounts_in` says it for everything shown inside it, so that each
message that says an amount need not be given it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Final

from tilskudd.errors import CurrencyError

__all__ = ["CODES", "NOK", "amount_unit", "amounts_in", "is_kroner", "parse_currency", "shown"]

NOK: Final = "NOK"
"""Norwegian kroner: the currency of a round that names none."""

# fmt: off
CODES: Final = frozenset((
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD",
    "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP",
    "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU",
    "CRC", "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB",
    "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD",
    "HNL", "HRK", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP",
    "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU",
    "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR",
    "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
    "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS",
    "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
    "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
))
"""The currencies of ISO 4217 (as Debian's iso-codes 4.15 lists them), without the codes that
are no money to grant: gold, silver, platinum and palladium (XAU, XAG, XPT, XPD), the bond
market's and the IMF's units of account (XBA-XBD, XDR, XSU, XUA), the testing code XTS and
"no currency", XXX."""
# fmt: on

_SHOWN: ContextVar[str] = ContextVar("tilskudd_currency", default=NOK)


def parse_currency(value: object) -> str:
    """The ISO 4217 code ``value`` names (``"eur"`` -> ``"EUR"``), or :class:`CurrencyError`."""
    if not isinstance(value, str):
        raise CurrencyError(key="currency.error.not_text", value=str(value))
    code = value.strip().upper()
    if code not in CODES:
        raise CurrencyError(key="currency.error.unknown", value=value.strip())
    return code


def is_kroner(code: str) -> bool:
    """Whether ``code`` is Norwegian kroner, the currency tilskudd shows as ``kr``."""
    return code == NOK


def shown() -> str:
    """The currency amounts are shown in here: NOK, or what :func:`amounts_in` says."""
    return _SHOWN.get()


def amount_unit(code: str | None = None) -> str:
    """The unit :func:`tilskudd.money.format_amount` writes for ``code`` (by default the
    currency shown): ``kr`` for kroner (``NOK`` in English), else the code."""
    code = shown() if code is None else code
    return "kr" if code == NOK else code


@contextlib.contextmanager
def amounts_in(code: str) -> Iterator[None]:
    """Show every amount said inside this block in ``code``'s currency (the round's)."""
    token = _SHOWN.set(parse_currency(code))
    try:
        yield
    finally:
        _SHOWN.reset(token)
