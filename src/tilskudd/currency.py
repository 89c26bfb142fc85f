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
import re
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Final

from tilskudd.errors import CurrencyError

__all__ = [
    "CODES",
    "DECIMAL_POINT",
    "KRONER_WORDS",
    "NOK",
    "SIGNS",
    "WORDS",
    "amount_unit",
    "amounts_in",
    "groups_by_dots",
    "is_kroner",
    "marks",
    "named_in",
    "parse_currency",
    "shown",
]

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

SIGNS: Final = {"€": "EUR", "£": "GBP", "$": "USD", "zł": "PLN", "Ft": "HUF"}
"""The currency signs that name a currency as its code does, as typed (a Polish budget team
writes ``2 807 253 zł``, a Hungarian one ``122 600 000 Ft``; ``ft`` in small letters is no
forint, nor is a company's ``Kft.``). Not ``¥`` (yen and yuan) nor ``kr`` for another krone
than the Norwegian: they name more than one."""

WORDS: Final = {
    "kr": NOK,
    "kroner": NOK,
    "nkr": NOK,
    "nok": NOK,
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "sek": "SEK",
    "dkk": "DKK",
    "isk": "ISK",
    "usd": "USD",
    "gbp": "GBP",
    "chf": "CHF",
}
"""Words that name a currency in any case, as people type them (``kr``, ``eur``, ``euro``). Any
other code names its currency in capitals only: ``ALL`` is the Albanian lek, ``all`` a word.
``kr`` and ``kroner`` are Norwegian kroner, except in a round of a krone they fit
(:data:`KRONER_WORDS`)."""

KRONER_WORDS: Final = {
    "kr": (NOK, "SEK", "DKK", "ISK"),
    "kroner": (NOK, "DKK"),
    "kronor": ("SEK",),
    "kronur": ("ISK",),
    "krónur": ("ISK",),
}
"""The words of the Nordic krone, krona and króna, and the rounds each names that round's own
currency in: ``kr`` is written for each of them (``500 kr`` in a Swedish round is 500 Swedish
kronor), ``kroner`` in Norwegian and Danish, ``kronor`` in Swedish, ``krónur`` in Icelandic.
In any other round ``kr`` and ``kroner`` are Norwegian kroner (:data:`WORDS`), and the others
name nothing, as before: Norwegian rounds read what they always read."""

DECIMAL_POINT: Final = frozenset({"CHF"})
"""The currencies whose spreadsheets save CSV with semicolons and still write decimals with a
point: Switzerland's and Liechtenstein's (Excel's de-CH, fr-CH and it-CH settings, where an
apostrophe groups thousands, ``1'250.50``). Elsewhere a semicolon-separated file has a decimal
comma, so that a dot before three digits groups thousands (``250.000``); in a round of these
it may be a decimal point, and stays ambiguous."""


def groups_by_dots(delimiter: str | None, currency: str) -> bool:
    """Whether a dot before three digits groups thousands in a file of ``delimiter`` (``None``
    for a workbook) in a round of ``currency``: in a semicolon-separated file, except in a
    round of :data:`DECIMAL_POINT`."""
    return delimiter == ";" and currency not in DECIMAL_POINT


_RUN = re.compile(r"[^\W\d_]+|[€£$]")


def _names(word: str, currency: str) -> str | None:
    """The currency one word or sign names (``EUR``, ``€``, ``kroner``), or None."""
    lowered = word.lower()
    if currency in KRONER_WORDS.get(lowered, ()):
        return currency  # "kr" in a round of Swedish kronor
    found = SIGNS.get(word) or WORDS.get(lowered)
    if found is None and currency != NOK and lowered in KRONER_WORDS:
        found = KRONER_WORDS[lowered][0]  # "kronor" in a round of Danish kroner: Swedish
    if found is None and word.isupper() and word in CODES:
        found = word
    if found is None and word.upper() == currency:
        found = currency
    return found


def named_in(text: str, currency: str = NOK) -> list[str]:
    """The currencies typed text names, in order, each once: a code (``EUR``; ``eur`` for the
    common ones and the round's ``currency``), a sign (``€``), a word (``kr``, ``kroner``,
    ``euro``), also with a scale before it (``MNOK``, ``tkr``, ``MEUR``)."""
    found: list[str] = []
    for word in _RUN.findall(text):
        name = _names(word, currency)
        if name is None and len(word) > 2 and word[0] in "mtkMTK":
            name = _names(word[1:], currency)
        if name is not None and name not in found:
            found.append(name)
    return found


def marks(code: str) -> tuple[str, ...]:
    """The ways typed text names ``code`` beside its digits, longest first: the code and
    ``€`` for EUR; ``kr``, ``kroner`` and ``NOK`` for kroner; ``kr.``, ``kr``, ``kronor`` and
    ``SEK`` for Swedish kronor."""
    named = [word for word, name in (*WORDS.items(), *SIGNS.items()) if name == code]
    nordic = [word for word, codes in KRONER_WORDS.items() if code in codes]
    if "kr" in nordic:
        nordic.append("kr.")  # "kr. 500", as Danes and Icelanders write it
    return tuple(sorted({code.lower(), *named, *nordic}, key=lambda word: (-len(word), word)))


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
