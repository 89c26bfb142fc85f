"""Words for people, in Norwegian (bokmål) or English, from one catalogue file per language.

Everything tilskudd says to a person (issue messages, reasons, statuses, headers, the summary
sentence) is a key in ``locales/<lang>.toml``; adding a language is adding a file. Messages are
``str.format`` templates with three extra format specs, rendered per language:

- ``{amount:money}``  -> ``3 300 000 kr`` (nb) / ``NOK 3,300,000`` (en); in a round of another
  currency (:func:`tilskudd.currency.amounts_in`) its code: ``3 300 000 EUR`` / ``EUR 3,300,000``
- ``{_:kroner}``, ``{_:kr}``, ``{_:zero}``, ``{_:typed}`` -> the round's currency where a message
  names it, with no parameter: ``kroner`` (in words: "whole kroner"), ``kr`` (after a number),
  ``0 kr`` / ``NOK 0`` and an amount as typed (``kr 3.300.000,-``) in a round of kroner; ``EUR``,
  ``EUR``, ``0 EUR`` / ``EUR 0`` and ``3.300.000`` in one of euros. Likewise ``{_:one}``
  (``1 krone`` / ``NOK 1``; ``1 EUR`` / ``EUR 1``), ``{_:thousand}`` (``1 000 kr`` / ``NOK
  1,000``, an example of a step; ``1 000 EUR`` / ``EUR 1,000``) and ``{_:exact}`` (to the
  unit: ``på kronen`` / ``to the krone``; in another currency the catalogue's
  ``words.exactly``) and ``{_:hundredths}`` (what is finer than an amount is kept to:
  ``words.fraction_of_ore``, ``en brøkdel av en øre``, in kroner; in another currency
  ``words.beyond_hundredths``, ``mer enn to desimaler``)
- ``{n:num}``         -> ``145`` / ``1 450`` (nb) / ``1,450`` (en)
- ``{share:pct}``     -> ``20 %`` (nb) / ``20%`` (en), from a fraction such as ``0.2``
- ``{ids:list}``      -> ``A, B og C`` / ``A, B and C``
- ``{ids:or}``        -> ``A, B eller C`` / ``A, B or C``
- ``{ids:then}``      -> ``A, så B, så C`` / ``A, then B, then C`` (an order)
- ``{low~high:scores}`` -> ``poengsum 61,5 til 62,5`` / ``scores 61.5 to 62.5``, or
  ``poengsum 62`` / ``score 62`` when the two are equal: a range of two parameters, in the
  words of ``words.score_range`` and ``words.score_one``
- ``{n:søknad|søknader}`` -> the words before the bar when ``n`` is 1, else those after it; a
  ``#`` in them is the number as ``{n:num}`` shows it: ``{n:# innvilget søknad|# innvilgede
  søknader}`` -> ``1 innvilget søknad`` / ``3 innvilgede søknader``. The one way to make words
  agree with a count: a message says its own plural (``{n:# søknad|# søknader} har feil``),
  and code passes the count (``t("ui.check.failed", n=3)``), never chooses between keys. The
  words may be anywhere in the message and need not hold the number (``{n:receives|receive}``);
  bokmål and English share the rule (1 is singular, 0 plural)

A decimal shown without a spec (``{value}`` holding ``Decimal("-1.5")``) gets the language's
decimal mark, ``-1,5`` in Norwegian, and so do decimals among a list's items.

A parameter shown without a spec may be a :class:`Phrase`, a key with its own parameters: it is
rendered in the language of the text it is put in (an error's "round 1, committed …" inside
"round 1 was already committed: …").

Each template is parsed once per language into a function that fills it (every row of every
output says its reasons in words); the text is the same as ``string.Formatter`` gives, which
still fills the rare template those functions do not take.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache, partial
from importlib import resources
from typing import Any

from tilskudd._flat import flat_catalogue
from tilskudd.controls import visible
from tilskudd.currency import NOK, amount_unit, shown
from tilskudd.money import format_amount

__all__ = [
    "LANGUAGES",
    "Phrase",
    "Translator",
    "as_sentence",
    "format_date",
    "format_number",
    "format_share",
    "format_time",
    "get",
    "languages",
    "quoted",
    "sheet_reference",
]


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
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyError(f"no catalogue for language {lang!r}") from None
    return flat_catalogue(text)


def format_number(value: int | Decimal | float, lang: str) -> str:
    """Format a plain number with the language's digit grouping and decimal mark."""
    if type(value) is int:  # the common case (counts, ranks): no decimal mark to translate
        return f"{value:,}".replace(",", "\u00a0") if lang == "nb" else f"{value:,}"
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
    try:
        return _cached_share(value, lang)
    except TypeError:  # unhashable (a signalling NaN): let the arithmetic say what is wrong
        return _share_text(value, lang)


@lru_cache(maxsize=256, typed=True)
def _cached_share(value: Decimal | float | int, lang: str) -> str:
    # A round has a handful of shares (the policy's 20 %, a proportional fraction) on 100k rows.
    # typed: 0.5 and Decimal("0.5") are equal keys but a float and a Decimal may not print alike.
    return _share_text(value, lang)


def _share_text(value: Decimal | float | int, lang: str) -> str:
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


def format_time(timestamp: str, lang: str) -> str:
    """A recorded time (ISO 8601, as the ledger keeps it in UTC) as the officers read it, in
    Norway's time: '15. april 2009 kl. 12.00' (nb), '15 April 2009 at 12:00 Norwegian time'
    (en). A time without a zone is read as UTC; text that is no time is given as it is (a
    message is never lost)."""
    from datetime import UTC, datetime

    from tilskudd.clock import TIMEZONE

    try:
        when = datetime.fromisoformat(timestamp)
    except ValueError:
        return timestamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone(TIMEZONE)
    if lang == "nb":
        return f"{format_date(local.date(), lang)} kl. {local:%H.%M}"
    return f"{format_date(local.date(), lang)} at {local:%H:%M} Norwegian time"


class Phrase:
    """A catalogue key and its parameters, to be rendered later in some language.

    Given as a parameter (with no format spec) of another key, it is rendered in that key's
    language; ``str()`` of it is its English text.
    """

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params: dict[str, Any] = params

    def render(self, lang: str = "en") -> str:
        """The text in ``lang``."""
        return get(lang).render(self.key, self.params)

    def __str__(self) -> str:
        return self.render("en")

    def __repr__(self) -> str:
        shown = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Phrase({self.key!r}{shown})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Phrase):
            return NotImplemented
        return self.key == other.key and self.params == other.params

    def __hash__(self) -> int:
        return hash(self.key)


def quoted(value: Any) -> Phrase | str:
    """A value a person gave, as a message quotes it in its own language: text between «» in
    bokmål and '' in English (``words.quoted``), a list bracketed with its texts quoted the same
    way (``words.array``), anything else as ``repr()`` writes it (``5``, ``1.5``).

    Pass it as a parameter shown without a spec; a message never quotes with ``repr()``, whose
    '' is English. A control character in the text is escaped as ``repr()`` escapes it (a tab
    is ``\\t``), so that the ends of the value and what is between them stay visible.
    """
    if isinstance(value, str):
        text = value if value.isprintable() else "".join(_escaped(ch) for ch in value)
        return Phrase("words.quoted", text=text)
    if isinstance(value, list | tuple):
        # "a, b, c" as a, then (b, then c): a template has no join of its own
        shown = [quoted(item) for item in value]
        items: Phrase | str = shown[-1] if shown else ""
        for item in reversed(shown[:-1]):
            items = Phrase("words.comma", first=item, rest=items)
        return Phrase("words.array", items=items)
    return repr(value)


def _escaped(char: str) -> str:
    return char if char.isprintable() else repr(char)[1:-1]


class _Missing:
    """Stands for a parameter a message needs but was not given."""

    def __str__(self) -> str:
        return "?"


_MISSING = _Missing()


class _Defaults(dict[str, Any]):
    """Missing parameters render as '?' rather than failing: a message is never lost."""

    def __missing__(self, key: str) -> _Missing:
        return _MISSING


class _Formatter(string.Formatter):
    """The general path: ``str.format`` with the extra specs, for templates the compiler leaves."""

    def __init__(self, translator: Translator) -> None:
        self.translator = translator

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        first, tilde, last = field_name.partition("~")
        if tilde:  # {low~high:scores}: the two parameters as a pair
            return (self.get_value(first, args, kwargs), self.get_value(last, args, kwargs)), first
        value, used = super().get_field(field_name, args, kwargs)
        return value, str(used)

    def format_field(self, value: Any, format_spec: str) -> str:
        lang = self.translator.lang
        if format_spec == "scores":
            return _score_range(value, self.translator)
        if format_spec in _CURRENCY_WORDS:  # says the currency, whatever the parameter
            return _CURRENCY_WORDS[format_spec](lang)
        if isinstance(value, _Missing):
            return "?"
        if "|" in format_spec:
            return _counted(value, format_spec, self.translator._show("num"))
        if isinstance(value, Phrase) and not format_spec:
            return self.translator.render(value.key, value.params)
        if format_spec == "money":
            return "–" if value is None else format_amount(int(value), lang, currency=amount_unit())
        if format_spec == "num":
            return "–" if value is None else format_number(value, lang)
        if format_spec == "pct":
            return "–" if value is None else format_share(value, lang)
        if format_spec in ("list", "or"):
            items = _items(value, self.translator)
            return self.translator.join(items, "words.or" if format_spec == "or" else "words.and")
        if format_spec == "then":
            return self.translator.in_order(_items(value, self.translator))
        if format_spec == "sheet":
            return sheet_reference(str(value))
        if format_spec == "time":
            return format_time(str(value), lang)
        if format_spec == "sheets":
            return self.translator.join(_sheets(value))
        if not format_spec and type(value) is Decimal:
            return _decimal(value, lang)
        return str(super().format_field(value, format_spec))


def _currency_in_words(lang: str) -> str:
    return "kroner" if shown() == NOK else shown()


def _currency_after_a_number(lang: str) -> str:
    return "kr" if shown() == NOK else shown()


def _no_money(lang: str) -> str:
    # With an ordinary space, as the catalogues have always written "0 kr" in a sentence.
    return f"0 {amount_unit()}" if lang == "nb" else f"{shown()} 0"


def _typed_amount(lang: str) -> str:
    # An amount as people type it, for the examples: the marks of kroner only in kroner.
    return "kr 3.300.000,-" if shown() == NOK else "3.300.000"


def _one_unit(lang: str) -> str:
    # With an ordinary space, as the catalogues have always written "1 krone" in a sentence.
    if lang == "nb":
        return "1 krone" if shown() == NOK else f"1 {shown()}"
    return f"{shown()} 1"


def _a_thousand(lang: str) -> str:
    # A step to round to, for the advice of a larger round_to; an ordinary space, as ever.
    return f"1 000 {amount_unit()}" if lang == "nb" else f"{shown()} 1,000"


def _to_the_unit(lang: str) -> str:
    # "to the krone": an idiom of kroner; another currency is kept to exactly.
    return get(lang)("words.to_the_krone" if shown() == NOK else "words.exactly")


def _below_a_hundredth(lang: str) -> str:
    # "a fraction of an øre": the øre is the kroner's; another currency's is said as decimals.
    return get(lang)("words.fraction_of_ore" if shown() == NOK else "words.beyond_hundredths")


_CURRENCY_WORDS: dict[str, Callable[[str], str]] = {
    "kroner": _currency_in_words,
    "kr": _currency_after_a_number,
    "zero": _no_money,
    "typed": _typed_amount,
    "one": _one_unit,
    "thousand": _a_thousand,
    "exact": _to_the_unit,
    "hundredths": _below_a_hundredth,
}
"""Specs that say the round's currency, whatever the parameter (``{_:kroner}``)."""


def _score_range(pair: Any, translator: Translator) -> str:
    """``{low~high:scores}``: a range of scores, or the one score when both ends are equal
    (a lottery band of width 0 is the score of the line, not "62 to 62")."""
    low, high = pair
    if isinstance(low, _Missing) or isinstance(high, _Missing):
        return "?"
    num = translator._show("num")
    if low == high:
        return translator("words.score_one", score=num(low))
    return translator("words.score_range", low=num(low), high=num(high))


def _counted(value: Any, spec: str, num: _ShowValue) -> str:
    """``{n:one|other}``: the singular words for a count of 1, else the plural; ``#`` in them
    is the count as ``{n:num}`` shows it."""
    one, _bar, other = spec.partition("|")
    singular = type(value) is not bool and isinstance(value, int | Decimal) and value == 1
    words = one if singular else other
    return words.replace("#", num(value)) if "#" in words else words


def _decimal(value: Decimal, lang: str) -> str:
    """A decimal shown without a spec (a score, a cell's number quoted in a message): as
    ``str()`` writes it, with the language's decimal mark: ``-1,5`` in Norwegian."""
    text = format(value, "")
    return text.replace(".", ",") if lang == "nb" else text


_MAX_ROW = 1_048_576
_MAX_COLUMN = 16_384  # XFD
_A1_CELL = re.compile(r"([A-Z]{1,3})([0-9]+)", re.ASCII)
_R1C1_START = re.compile(r"R([0-9]+)|R?C([0-9]+)", re.ASCII)


def _read_as_other(name: str) -> bool:
    """A sheet name of letters and digits that a formula would read, bare, as something else,
    so that Excel quotes it: one that begins with a digit (``'2024'``); a cell of the sheet's
    range in A1 style (``'A1'``, ``'AB12'``, ``'Ark1'``: ARK is a column); one that begins
    with a row or column in R1C1 style (``'R1C1'``, ``'R2D2'``, ``'C3'``), or is one
    (``'R'``, ``'C'``, ``'RC'``); a truth value (``'TRUE'``). In small letters as in capitals,
    as Excel reads them. The rules are those XlsxWriter found by writing such names in Excel."""
    upper = name.upper()
    if name[:1].isascii() and name[:1].isdigit():
        return True
    if upper in ("R", "C", "RC", "TRUE", "FALSE"):
        return True
    cell = _A1_CELL.fullmatch(upper)
    if cell is not None:
        number = 0
        for letter in cell[1]:
            number = number * 26 + ord(letter) - ord("A") + 1
        return number <= _MAX_COLUMN and 0 < int(cell[2]) <= _MAX_ROW
    start = _R1C1_START.match(upper)
    if start is None:
        return False
    row, column = start[1], start[2]
    return 0 < int(row) <= _MAX_ROW if row else 0 < int(column) <= _MAX_COLUMN


@lru_cache(maxsize=256)
def sheet_reference(sheet: str) -> str:
    """A sheet's name as a formula writes it before ``!``: ``Søknader``, ``'Runde 1 '``.

    A name with a space or punctuation is quoted (``'`` doubled inside), so a leading or
    trailing space shows wherever tilskudd names the sheet: in a cell's location
    (:attr:`tilskudd.models.Location.cell`) and in every message, whose catalogue writes a
    sheet's name as ``{sheet:sheet}`` and a list of them as ``{sheets:sheets}``. So is one
    that Excel quotes though it is letters and digits (``'A1'!B3``, ``'2024'!B3``,
    ``'TRUE'!B3``, :func:`_read_as_other`): bare, ``A1!B3`` would read as two cells. A bidi
    control or control character in the name is shown as its code (``'Søknader<U+202E>'``),
    as in applicants' text (:mod:`tilskudd.controls`): the name is never used to find the sheet.
    """
    sheet = visible(sheet)
    letters = sheet.replace("_", "")
    if sheet and (letters.isalnum() or not letters) and not _read_as_other(sheet):
        return sheet  # letters, digits and underscores ("_" alone too, as Excel writes it)
    return "'" + sheet.replace("'", "''") + "'"


def _sheets(value: Any) -> list[str]:
    """The names of a ``{…:sheets}`` field (one name or several), as formulas write them."""
    names = value if isinstance(value, list | tuple) else [value]
    return [sheet_reference(str(name)) for name in names]


def _items(value: Any, translator: Translator) -> list[str]:
    """The items of a ``{…:list}`` field as text: a phrase and a decimal in the language."""
    values = value if isinstance(value, list | tuple) else [value]
    lang = translator.lang
    return [
        item
        if type(item) is str
        else translator.render(item.key, item.params)
        if isinstance(item, Phrase)
        else _decimal(item, lang)
        if type(item) is Decimal
        else str(item)
        for item in values
    ]


# -- compiled templates -----------------------------------------------------------------------
# string.Formatter parses the template again on every call, in Python: about 5 µs for a reason
# with three amounts, paid by every row of every output. Each template is instead parsed once
# per language into a function that fills it. What the catalogues do not use
# (conversions such as {x!r}, {a.b}, {a[0]}, nested specs, positional fields) is left to the
# general path, so any str.format template still renders as it did.

_ShowValue = Callable[[Any], str]
_Fill = Callable[[Mapping[str, Any]], str]
_Field = tuple[str, _ShowValue, str]
"""A field of a template: the parameter's name, how its value is shown, the literal text after."""

_NEVER_BLANK_AT_ENDS = frozenset({"money", "num", "pct"})
"""Specs whose text never starts or ends with a space or a full stop, and has no lower-case
first letter (digits, a sign, 'NOK', '?', '–'): a sentence may begin or end with one as it is."""

_PARSER = string.Formatter()


def as_sentence(text: str) -> str:
    """A phrase as a sentence: stripped, a capital first letter, one full stop; '' if blank."""
    text = text.strip().rstrip(".").strip()
    return f"{text[0].upper()}{text[1:]}." if text else ""


def _unknown(key: str, params: Mapping[str, Any]) -> str:
    # Never lose information: show the code and its parameters.
    shown = ", ".join(f"{k}={v}" for k, v in params.items())
    return f"{key}({shown})" if shown else key


def _as_sentence_after(fill: _Fill, params: Mapping[str, Any]) -> str:
    return as_sentence(fill(params))


class Translator:
    """Renders catalogue keys for one language."""

    def __init__(self, lang: str = "en") -> None:
        if lang not in languages():
            raise KeyError(f"no catalogue for language {lang!r}; have {', '.join(languages())}")
        self.lang = lang
        self._formatter = _Formatter(self)
        self._shows = _value_shows(self)
        # key -> the function that fills its template, and the one that fills it as a sentence
        self._fills: dict[str, _Fill] = {}
        self._sentence_fills: dict[str, _Fill] = {}

    def has(self, key: str) -> bool:
        """Whether the catalogue of this language has ``key`` (no fallback to English)."""
        return key in _catalogue(self.lang)

    def template(self, key: str) -> str | None:
        """The template of ``key`` as the catalogue writes it (English where this language has
        none), or None for an unknown key."""
        template = _catalogue(self.lang).get(key)
        return _catalogue("en").get(key) if template is None else template

    def __call__(self, key: str, /, **params: Any) -> str:
        """The text for ``key`` with ``params`` filled in; an unknown key falls back to English."""
        return (self._fills.get(key) or self._compile(key)[0])(params)

    def render(self, key: str, params: Mapping[str, Any]) -> str:
        """As calling the translator, with the parameters as a mapping (not copied)."""
        return (self._fills.get(key) or self._compile(key)[0])(params)

    def sentence(self, key: str, params: Mapping[str, Any]) -> str:
        """``as_sentence(self.render(key, params))``, with the capital and the full stop
        put into the template once where the template alone decides them."""
        return (self._sentence_fills.get(key) or self._compile(key)[1])(params)

    def join(self, items: list[str], word_key: str = "words.and") -> str:
        """``A, B and C`` / ``A, B og C`` (``word_key="words.or"``: ``A, B or C``)."""
        if len(items) <= 1:
            return "".join(items)
        word = self(word_key)
        return f"{', '.join(items[:-1])} {word} {items[-1]}"

    def in_order(self, items: list[str]) -> str:
        """``A, then B, then C`` / ``A, så B, så C``: items in an order that matters."""
        return f", {self('words.then')} ".join(items)

    def _render_general(self, template: str, params: Mapping[str, Any]) -> str:
        """``template`` filled through :class:`string.Formatter`: slow, but takes anything."""
        return self._formatter.vformat(template, (), _Defaults(params))

    def _compile(self, key: str) -> tuple[_Fill, _Fill]:
        """The two fills of ``key`` (plain and as a sentence), made and kept on first use."""
        template = _catalogue(self.lang).get(key)
        if template is None:
            template = _catalogue("en").get(key)
        if template is None:  # not kept: unknown keys are rare and could be many
            unknown = partial(_unknown, key)
            return unknown, partial(_as_sentence_after, unknown)
        fills = self._compile_template(template)
        self._fills[key], self._sentence_fills[key] = fills
        return fills

    def _compile_template(self, template: str) -> tuple[_Fill, _Fill]:
        general = partial(self._render_general, template)
        try:
            parsed = list(_PARSER.parse(template))
        except ValueError:  # unbalanced braces: the general path raises as it always did
            return general, partial(_as_sentence_after, general)
        texts = [""]  # literal text before the first field, then after each field
        named: list[tuple[str, str]] = []
        for literal, name, spec, conversion in parsed:
            texts[-1] += literal
            if name is None:
                continue
            if not name.isidentifier() or conversion is not None or "{" in (spec or ""):
                return general, partial(_as_sentence_after, general)
            named.append((name, spec or ""))
            texts.append("")
        fields = [
            (name, self._show(spec), tail)
            for (name, spec), tail in zip(named, texts[1:], strict=True)
        ]
        fill = _fill_function(texts[0], fields)
        specs = [spec for _name, spec in named]
        sentence = _sentence_form(texts[0], fields, specs)
        if sentence is None:
            return fill, partial(_as_sentence_after, fill)
        return fill, _fill_function(*sentence)

    def _show(self, spec: str) -> _ShowValue:
        show = self._shows.get(spec)
        if show is None and "|" in spec:
            return partial(_counted_or_missing, spec=spec, num=self._shows["num"])
        if show is None:

            def show(value: Any) -> str:
                return "?" if isinstance(value, _Missing) else format(value, spec)

        return show


def _counted_or_missing(value: Any, spec: str, num: _ShowValue) -> str:
    return "?" if isinstance(value, _Missing) else _counted(value, spec, num)


def _sentence_form(
    head: str, fields: list[_Field], specs: list[str]
) -> tuple[str, list[_Field]] | None:
    """The template as :func:`as_sentence` would leave it, when its ends are literal text (or a
    number): the strip is then a no-op, the capital and the full stop can be added once."""
    tail = fields[-1][2] if fields else head
    if head:
        if head[0].isspace():
            return None
        head = f"{head[0].upper()}{head[1:]}"
    elif not fields or specs[0] not in _NEVER_BLANK_AT_ENDS:
        return None
    if tail:
        if tail[-1].isspace() or tail[-1] == ".":
            return None
    elif specs[-1] not in _NEVER_BLANK_AT_ENDS:
        return None
    if not fields:
        return f"{head}.", []
    name, show, _tail = fields[-1]
    return head, [*fields[:-1], (name, show, f"{tail}.")]


def _fill_function(head: str, fields: list[_Field]) -> _Fill:
    """A function that fills one template: one f-string of its literal text and its fields.

    Written out for up to four fields (nearly every template, and every reason a rule gives): a
    loop over the fields costs about a third more per reason, and every row of every output
    pays it. Longer templates (a few round notes) take the loop.
    """
    missing = _MISSING
    if not fields:

        def fill0(params: Mapping[str, Any]) -> str:
            return head

        return fill0
    if len(fields) == 1:
        ((n0, s0, t0),) = fields

        def fill1(params: Mapping[str, Any]) -> str:
            return f"{head}{s0(params.get(n0, missing))}{t0}"

        return fill1
    if len(fields) == 2:
        (n0, s0, t0), (n1, s1, t1) = fields

        def fill2(params: Mapping[str, Any]) -> str:
            get = params.get
            return f"{head}{s0(get(n0, missing))}{t0}{s1(get(n1, missing))}{t1}"

        return fill2
    if len(fields) == 3:
        (n0, s0, t0), (n1, s1, t1), (n2, s2, t2) = fields

        def fill3(params: Mapping[str, Any]) -> str:
            get = params.get
            return (
                f"{head}{s0(get(n0, missing))}{t0}{s1(get(n1, missing))}{t1}"
                f"{s2(get(n2, missing))}{t2}"
            )

        return fill3
    if len(fields) == 4:
        (n0, s0, t0), (n1, s1, t1), (n2, s2, t2), (n3, s3, t3) = fields

        def fill4(params: Mapping[str, Any]) -> str:
            get = params.get
            return (
                f"{head}{s0(get(n0, missing))}{t0}{s1(get(n1, missing))}{t1}"
                f"{s2(get(n2, missing))}{t2}{s3(get(n3, missing))}{t3}"
            )

        return fill4

    def fill_any(params: Mapping[str, Any]) -> str:
        get = params.get
        text = head
        for name, show, tail in fields:
            text = f"{text}{show(get(name, missing))}{tail}"
        return text

    return fill_any


def _value_shows(translator: Translator) -> dict[str, _ShowValue]:
    """How each spec shows a value in ``translator``'s language: the same text as
    :class:`_Formatter`, with whole numbers (nearly every value) tried first."""
    lang = translator.lang
    nb = lang == "nb"

    # For an int, the short paths of format_amount and format_number written out here: a call
    # less for each of the hundreds of thousands of amounts in a round's reasons. The tests
    # check that they agree with both functions.
    def money(value: Any) -> str:
        if type(value) is int and shown() == NOK:
            return f"{value:,}".replace(",", "\u00a0") + "\u00a0kr" if nb else f"NOK\u00a0{value:,}"
        if isinstance(value, _Missing):
            return "?"
        return "–" if value is None else format_amount(int(value), lang, currency=amount_unit())

    def num(value: Any) -> str:
        if type(value) is int:
            return f"{value:,}".replace(",", "\u00a0") if nb else f"{value:,}"
        if isinstance(value, _Missing):
            return "?"
        return "–" if value is None else format_number(value, lang)

    # The share on nearly every reason of a round is one Decimal object (the policy's 20 %):
    # the text of the last one shown is kept with it, in one tuple so that threads agree.
    last_share: tuple[object, str] = (_MISSING, "?")

    def pct(value: Any) -> str:
        nonlocal last_share
        memo = last_share
        if value is memo[0]:
            return memo[1]
        if isinstance(value, _Missing):
            return "?"
        if value is None:
            return "–"
        text = format_share(value, lang)
        if type(value) is Decimal:  # immutable: the same object always shows the same
            last_share = (value, text)
        return text

    def items(value: Any) -> str:
        if isinstance(value, _Missing):
            return "?"
        return translator.join(_items(value, translator))

    def alternatives(value: Any) -> str:
        if isinstance(value, _Missing):
            return "?"
        return translator.join(_items(value, translator), "words.or")

    def ordered(value: Any) -> str:
        if isinstance(value, _Missing):
            return "?"
        return translator.in_order(_items(value, translator))

    def sheet(value: Any) -> str:
        return "?" if isinstance(value, _Missing) else sheet_reference(str(value))

    def time(value: Any) -> str:
        return "?" if isinstance(value, _Missing) else format_time(str(value), lang)

    def sheets(value: Any) -> str:
        return "?" if isinstance(value, _Missing) else translator.join(_sheets(value))

    def plain(value: Any) -> str:
        if type(value) is str:
            return value
        if isinstance(value, Phrase):
            return translator.render(value.key, value.params)
        if type(value) is Decimal:
            return _decimal(value, lang)
        return "?" if isinstance(value, _Missing) else format(value, "")

    def currency_word(say: Callable[[str], str]) -> _ShowValue:
        return lambda _value: say(lang)

    return {
        **{spec: currency_word(say) for spec, say in _CURRENCY_WORDS.items()},
        "money": money,
        "num": num,
        "pct": pct,
        "list": items,
        "or": alternatives,
        "then": ordered,
        "sheet": sheet,
        "sheets": sheets,
        "time": time,
        "": plain,
    }


@cache
def get(lang: str = "en") -> Translator:
    """The translator for ``lang`` (cached)."""
    return Translator(lang)
