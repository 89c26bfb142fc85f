"""Words for people, in Norwegian (bokmål) or English, from one catalogue file per language.

Everything tilskudd says to a person (issue messages, reasons, statuses, headers, the summary
sentence) is a key in ``locales/<lang>.toml``; adding a language is adding a file. Messages are
``str.format`` templates with three extra format specs, rendered per language:

- ``{amount:money}``  -> ``3 300 000 kr`` (nb) / ``NOK 3,300,000`` (en)
- ``{n:num}``         -> ``145`` / ``1 450`` (nb) / ``1,450`` (en)
- ``{share:pct}``     -> ``20 %`` (nb) / ``20%`` (en), from a fraction such as ``0.2``
- ``{ids:list}``      -> ``A, B og C`` / ``A, B and C``
"""

from __future__ import annotations

import string
import tomllib
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from tilskudd.money import format_amount

__all__ = ["LANGUAGES", "Translator", "format_date", "format_number", "get", "languages"]


@cache
def languages() -> tuple[str, ...]:
    """The languages with a catalogue file, e.g. ``('en', 'nb')``."""
    folder = resources.files("tilskudd") / "locales"
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


LANGUAGES = ("nb", "en")


@cache
def _catalogue(lang: str) -> dict[str, str]:
    path = resources.files("tilskudd") / "locales" / f"{lang}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyError(f"no catalogue for language {lang!r}") from None
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for key, value in node.items():
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                walk(name, value)
            else:
                flat[name] = str(value)

    walk("", data)
    return flat


def format_number(value: int | Decimal | float, lang: str) -> str:
    """Format a plain number with the language's digit grouping and decimal mark."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal) and value != value.to_integral_value():
        text = f"{value.normalize():,f}"
    else:
        text = f"{int(value):,}"
    if lang == "nb":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def format_share(value: Decimal | float | int, lang: str) -> str:
    """Format a fraction as percent: 0.2 -> '20 %' (nb) or '20%' (en)."""
    pct = (Decimal(repr(value)) if isinstance(value, float) else Decimal(value)) * 100
    text = format_number(pct.normalize() if pct != pct.to_integral_value() else int(pct), lang)
    return f"{text}\u00a0%" if lang == "nb" else f"{text}%"


_MONTHS_NB = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)


def format_date(value: date, lang: str) -> str:
    """'28. november 2026' (nb) or '28 November 2026' (en)."""
    if lang == "nb":
        return f"{value.day}. {_MONTHS_NB[value.month - 1]} {value.year}"
    return f"{value.day} {value.strftime('%B')} {value.year}"


class _Formatter(string.Formatter):
    def __init__(self, translator: Translator) -> None:
        self.translator = translator

    def format_field(self, value: Any, format_spec: str) -> str:
        lang = self.translator.lang
        if isinstance(value, _Missing):
            return "?"
        if format_spec == "money":
            return "–" if value is None else format_amount(int(value), lang)
        if format_spec == "num":
            return "–" if value is None else format_number(value, lang)
        if format_spec == "pct":
            return "–" if value is None else format_share(value, lang)
        if format_spec == "list":
            items = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
            return self.translator.join(items)
        return str(super().format_field(value, format_spec))


class Translator:
    """Renders catalogue keys for one language."""

    def __init__(self, lang: str = "en") -> None:
        if lang not in languages():
            raise KeyError(f"no catalogue for language {lang!r}; have {', '.join(languages())}")
        self.lang = lang
        self._formatter = _Formatter(self)

    def has(self, key: str) -> bool:
        return key in _catalogue(self.lang)

    def __call__(self, key: str, /, **params: Any) -> str:
        """The text for ``key`` with ``params`` filled in; an unknown key falls back to English."""
        template = _catalogue(self.lang).get(key)
        if template is None:
            template = _catalogue("en").get(key)
        if template is None:
            # Never lose information: show the code and its parameters.
            shown = ", ".join(f"{k}={v}" for k, v in params.items())
            return f"{key}({shown})" if shown else key
        return self._formatter.vformat(template, (), _Defaults(params))

    def join(self, items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        word = self("words.and")
        return f"{', '.join(items[:-1])} {word} {items[-1]}"


class _Missing:
    """Stands for a parameter a message needs but was not given."""

    def __str__(self) -> str:
        return "?"


class _Defaults(dict[str, Any]):
    """Missing parameters render as '?' rather than failing: a message is never lost."""

    def __missing__(self, key: str) -> _Missing:
        return _Missing()


@cache
def get(lang: str = "en") -> Translator:
    """The translator for ``lang`` (cached)."""
    return Translator(lang)
