"""Amounts of money: parse what people type, format for people. Integers only.

Every amount in tilskudd is an ``int`` of whole kroner (or of the scheme's currency unit). Cells
arrive as numbers (calamine gives whole numbers as ``float``) or as text typed by people
(``"kr 3.300.000,-"``, ``"3,3 mill."``); :func:`parse_amount` turns either into an ``int`` exactly,
or raises :class:`~tilskudd.errors.AmountError` with a hint. It never guesses: ``"3,300"`` could be
three thousand three hundred or three point three, and is refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Final

from tilskudd.currency import NOK, amount_unit, marks, named_in
from tilskudd.errors import AmbiguousAmountError, AmbiguousUnitError, AmountError

__all__ = [
    "INVISIBLE",
    "MAX_AMOUNT",
    "format_amount",
    "parse_amount",
    "parse_decimal",
    "plain_number",
    "to_decimal",
]

MAX_AMOUNT: Final = 2**53 - 1
"""The largest amount tilskudd takes: 9 007 199 254 740 991 kr, the largest whole number that a
spreadsheet (a cell is a double), calamine (which reads numbers as floats) and JavaScript readers
of the JSON export all hold exactly. A larger amount is a typing error in any real round, and it
could not come back out of the award workbook to the krone."""

INVISIBLE: Final = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
"""Characters that show as nothing: zero-width space, non-joiner and joiner, word joiner, a byte
order mark, a soft hyphen. Text pasted from web pages, PDFs and chats brings them along inside
numbers, where the person sees only the digits; numbers, ids and names are read without them."""
_DROP_INVISIBLE: Final = dict.fromkeys(map(ord, INVISIBLE))

# Ordinary, no-break, narrow no-break, thin and figure spaces: all are typed as digit grouping.
_SPACES = "\u0020\u00a0\u202f\u2009\u2007\u2002\u2003\u2004\u2005\u2006\u2008\u200a"
_SPACE_RE = re.compile(f"[{_SPACES}\t]+")
_CURRENCY_RE = re.compile(
    r"^(?:kr\.?|nok)\s*|\s*(?:kroner|kr\.?|nok|,-|\.-|,--|\.--)$", re.IGNORECASE
)
_WHOLE_MARKER = re.compile(r"\d\s*[,.]-+\s*(?:kr\.?|nok)?$", re.IGNORECASE)


@lru_cache(maxsize=16)
def _currency_marks(currency: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns that take a currency's marks off typed text (``kr``, ``NOK``, ``,-``
    for kroner; ``EUR``, ``€``, ``euro``, ``,-`` for euros), and that find ",-" (no cents)."""
    if currency == NOK:
        return _CURRENCY_RE, _WHOLE_MARKER
    words = "|".join(map(re.escape, marks(currency)))
    # Before the digits a code or word is a word of its own ("EURO 5" is not "O 5" in euros);
    # after them it may follow a scale, as "MNOK" does kroner ("3,3 MEUR").
    mark = rf"(?:{words})(?![^\W\d_])"
    return (
        re.compile(rf"^{mark}\s*|\s*(?:{words}|,-|\.-|,--|\.--)$", re.IGNORECASE),
        re.compile(rf"\d\s*[,.]-+\s*(?:{mark})?$", re.IGNORECASE),
    )


_MULTIPLIERS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\s*(?:mrd\.?|milliarder?|bn)$", re.IGNORECASE), 1_000_000_000),
    (
        re.compile(r"\s*(?:mill\.?|millioner|million|millions|mio\.?|m)$", re.IGNORECASE),
        1_000_000,
    ),
    (re.compile(r"\s*(?:tusen|k)$", re.IGNORECASE), 1_000),
)
# "2 G": in Norwegian amounts G is the National Insurance basic amount (grunnbeløpet, about
# 124 000 kr), a common cap in grant rules ("inntil 2 G"); as the SI prefix it would be two
# billion. Refused for both readings, where M, k and mrd each mean one thing.
_G_SUFFIX = re.compile(r"(\d(?:[\d ,.]*\d)?)\s*g", re.IGNORECASE)
_APOSTROPHE_GROUP = re.compile(r"(?<=\d)['\u2019](?=\d{3}(?!\d))")
_DASH_AFTER_MARK = re.compile(r"([,.])[\u2013\u2014]+")
# Grouped digits: one to three before the first separator, not starting with 0 ("0 500" and
# "012 345" are not amounts anyone groups that way: refused, not read as 500 and 12 345).
# \Z, not $: "$" also matches before a line break at the end, and "5554\n,500" (a line break
# typed in the cell) let "5554\n" through as digits, to a Decimal that could not be made of it.
_DIGITS_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:[ ]\d{3})+\Z")
_PLAIN = re.compile(r"^\d+\Z")


SHOWN_DIGITS: Final = 15
"""Significant digits a spreadsheet shows and calculates with: Excel and LibreOffice display a
number cell to 15, and compare two cells at that precision."""
_SHOWN_BELOW: Final = 10.0**SHOWN_DIGITS


def to_decimal(value: float | int | Decimal) -> Decimal:
    """Return a number cell's decimal value as the spreadsheet shows it (``3300000.0`` ->
    ``Decimal('3300000')``).

    A float that is a whole number is exact. Any other float is read to the 15 significant
    digits a spreadsheet shows: a formula's result carries binary rounding noise in the 16th
    and 17th digits (``=350000*1,1`` is saved as ``385000.00000000006``) that no one sees and
    Excel's own comparisons leave out, so it is 385 000 here too; ``385000.5`` stays what it is.
    """
    if isinstance(value, bool):
        raise AmountError(f"{value!r} is a truth value, not an amount")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if value.is_integer() or not abs(value) < _SHOWN_BELOW:
        # Whole, infinite or not a number: exact (or refused by the caller) as it is.
        return Decimal(repr(value))
    return Decimal(f"{value:.{SHOWN_DIGITS}g}")


def _whole_units(
    value: Decimal, original: str, *, allow_zero: bool, allow_negative: bool, currency: str = NOK
) -> int:
    if not value.is_finite():
        raise AmountError(f"'{original}' is not a number")
    if value < 0 and not allow_negative:
        raise AmountError(f"'{original}' is negative", hint="an amount must be 0 or more")
    if value == 0 and not allow_zero:
        raise AmountError(f"'{original}' is zero", hint="an amount must be more than 0")
    if abs(value) > MAX_AMOUNT:
        raise AmountError(
            f"'{original}' is more than tilskudd takes",
            hint=f"at most {format_amount(MAX_AMOUNT, 'en')}, the largest whole number a "
            "spreadsheet holds exactly",
        )
    if value != value.to_integral_value():
        # Two decimals are øre; more than two is a fraction of an øre.
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            raise AmountError(
                f"'{original}' has more than two decimals",
                hint="amounts are whole kroner, and a krone divides into hundredths only"
                if currency == NOK
                else f"amounts are whole {currency}",
            )
        unit = "kroner" if currency == NOK else currency
        raise AmountError(
            f"'{original}' is not a whole number of {unit}",
            hint=f"tilskudd allocates whole {unit}; round the amount to whole {unit}",
        )
    return int(value)


def _ambiguous(
    original: str, integer: str, sep: str, decimal_part: str, *, negative: bool, unit: str = "kr"
) -> None:
    """Raise :class:`AmbiguousAmountError`: ``sep`` may group thousands or be a decimal mark."""
    digits = integer.replace(" ", "").replace(".", "").replace(",", "")
    whole = int(f"{digits}{decimal_part}")
    grouped = f"{whole:,}".replace(",", " ")
    fraction = Decimal(f"{digits}.{decimal_part}")
    raise AmbiguousAmountError(
        f"'{original}' is ambiguous",
        hint=(
            f"'{sep}' could group thousands ({grouped} {unit}) or be a decimal mark "
            f"({integer}{sep}{decimal_part}); for {grouped} {unit} write {whole} or {grouped}"
        ),
        thousands=-whole if negative else whole,
        decimal=-fraction if negative else fraction,
        separator=sep,
    )


def _first_group(digits: str) -> bool:
    """``digits`` can stand before a thousands separator: one to three digits, not led by 0."""
    return 1 <= len(digits) <= 3 and digits.isdigit() and digits[0] != "0"


def _parse_number_text(
    text: str,
    original: str,
    *,
    has_multiplier: bool,
    whole_marker: bool,
    dot_groups: bool,
    unit: str = "kr",
) -> Decimal:
    """Parse digits with grouping and a decimal mark as people type them.

    ``whole_marker``: the text ended in ",-" ("no øre", taken off with the currency), so any
    separator in it groups thousands. ``dot_groups``: the text comes from a file whose decimal
    mark is a comma (a semicolon-separated file), so a dot before three digits groups them."""
    text = _SPACE_RE.sub(" ", text).strip()
    if not text:
        raise AmountError(f"'{original}' has no digits")
    negative = text.startswith(("-", "−"))
    if negative:
        text = text[1:].strip()
    commas, dots = text.count(","), text.count(".")
    decimal_part = ""
    if commas and dots:
        # The mark that comes last is the decimal mark, the other groups thousands.
        dec, grp = (",", ".") if text.rfind(",") > text.rfind(".") else (".", ",")
        if text.count(dec) > 1:
            raise AmountError(f"'{original}' is not a number", hint="use one decimal mark")
        integer, decimal_part = text.split(dec)
        groups = integer.split(grp)
        if not (_first_group(groups[0]) and all(len(g) == 3 and g.isdigit() for g in groups[1:])):
            # "1234.567,8" or "0.123,5": a separator out of place, not a thousands grouping.
            raise AmountError(f"'{original}' has digit groups that are not thousands")
        if len(decimal_part) == 3 and not has_multiplier and decimal_part.isdigit():
            # "1.000,000": after grouped digits, three more may be one more group (a million)
            # as well as decimals (a thousand); no one writes øre with three digits.
            _ambiguous(original, integer, dec, decimal_part, negative=negative, unit=unit)
        integer = "".join(groups)
    elif commas > 1 or dots > 1 or (whole_marker and (commas or dots)):
        sep = "," if commas else "."
        groups = text.split(sep)
        if not (_first_group(groups[0]) and all(len(g) == 3 and g.isdigit() for g in groups[1:])):
            raise AmountError(f"'{original}' has digit groups that are not thousands")
        integer = "".join(groups)
    elif commas == 1 or dots == 1:
        sep = "," if commas else "."
        integer, decimal_part = text.split(sep)
        if (
            dot_groups
            and sep == "."
            and not has_multiplier
            and len(decimal_part) == 3
            and decimal_part.isdigit()
            and _first_group(integer)
        ):
            # "250.000" in a semicolon-separated file: Excel with Norwegian (and most European)
            # settings saves CSV with ";" because its decimal mark is the comma, so a dot there
            # groups thousands, as people type it. Not "1500.000" or "1 000.000": not grouped
            # by dots throughout, they stay ambiguous below.
            integer, decimal_part = integer + decimal_part, ""
        # Only 1 to 3 digits, not starting with 0, can stand before a thousands separator:
        # "12345,678" and "0,500" have a decimal mark. After digits grouped by spaces
        # ("1 000,000") the last group is such digits: the separator may group thousands.
        if (
            len(decimal_part) == 3
            and not has_multiplier
            and decimal_part.isdigit()
            and (
                (integer.isdigit() and len(integer) <= 3 and integer[0] != "0")
                or _DIGITS_GROUPED.match(integer) is not None
                # "1500,000": as decimals three zeros would make 1 500 kr whole without a word,
                # but no one writes øre with three digits, and 1 500 000 with one group
                # separator left out reads the same.
                or (decimal_part == "000" and integer.isdigit() and integer[0] != "0")
            )
        ):
            _ambiguous(original, integer, sep, decimal_part, negative=negative, unit=unit)
    else:
        integer = text
    if " " in integer:
        if not _DIGITS_GROUPED.match(integer):
            raise AmountError(
                f"'{original}' has digit groups that are not thousands",
                hint="group digits in threes: 3 300 000",
            )
        integer = integer.replace(" ", "")
    if not _PLAIN.match(integer) or (decimal_part and not _PLAIN.match(decimal_part)):
        raise AmountError(
            f"'{original}' is not an amount", hint="for example 3 300 000 or 3,3 mill."
        )
    number = Decimal(f"{integer}.{decimal_part}" if decimal_part else integer)
    return -number if negative else number


def parse_decimal(
    value: object,
    *,
    original: str | None = None,
    dot_groups: bool = False,
    currency: str = NOK,
) -> Decimal:
    """Parse an amount-like cell (number or text, with currency and multipliers) exactly.

    ``dot_groups``: the cell is from a semicolon-separated file, whose decimal mark is the comma,
    so that a dot before three digits groups thousands (``250.000`` is 250 000, not ambiguous).
    ``currency``: the round's ISO 4217 code, whose marks the text may have (``3 300 000 kr``
    in kroner, ``€ 12 500`` or ``3 300 000 EUR`` in euros); another currency's are no amount.
    """
    shown = original if original is not None else str(value)
    if value is None:
        raise AmountError("the amount is empty")
    if isinstance(value, bool):
        raise AmountError(f"'{shown}' is a truth value, not an amount")
    if isinstance(value, int | float | Decimal):
        try:
            return to_decimal(value)
        except InvalidOperation as exc:  # pragma: no cover - repr() of a float always parses
            raise AmountError(f"'{shown}' is not a number") from exc
    if not isinstance(value, str):
        raise AmountError(f"'{shown}' is not an amount")
    text = _SPACE_RE.sub(" ", value.translate(_DROP_INVISIBLE)).strip()
    if not text:
        raise AmountError("the amount is empty")
    if "'" in text or "\u2019" in text:
        # "300'000", as Swiss and some Norwegian sheets group digits: a space, checked as one.
        text = _APOSTROPHE_GROUP.sub(" ", text)
    if "\u2013" in text or "\u2014" in text:
        # Word and Outlook make "1 000,-" into "1 000,–" (an en dash): the same "no øre".
        text = _DASH_AFTER_MARK.sub(r"\1-", text)
    if text.endswith(".") and text[-2:-1].isalpha():
        # A full stop after the unit, as at the end of a sentence: "20 MNOK.", "20 kroner."
        text = text[:-1]
    currency_re, whole_re = _currency_marks(currency)
    whole_marker = bool(whole_re.search(text))
    for _ in range(2):  # "kr 3,3 mill." and "3,3 mill. kr": currency on either side
        text = currency_re.sub("", text).strip()
    multiplier = 1
    for pattern, factor in _MULTIPLIERS:
        stripped = pattern.sub("", text)
        if stripped != text and stripped and stripped[-1].isdigit():
            text, multiplier = stripped.strip(), factor
            break
    text = currency_re.sub("", text).strip()
    if multiplier == 1 and (g := _G_SUFFIX.fullmatch(text)) is not None:
        number_text = g.group(1)
        raise AmbiguousUnitError(
            f"'{shown}' is not read as an amount: G may be the National Insurance basic amount "
            "(grunnbeløpet) or giga, a billion",
            hint=f"write {number_text} mrd for billions, or the amount in "
            + ("kroner" if currency == NOK else currency),
            number=number_text,
        )
    try:
        number = _parse_number_text(
            text,
            shown,
            has_multiplier=multiplier != 1,
            whole_marker=whole_marker,
            dot_groups=dot_groups,
            unit=amount_unit(currency),
        )
    except AmountError:
        other = [code for code in named_in(shown, currency) if code != currency]
        if other:
            # "3 300 000 EUR" in a round of kroner: not digits out of place, another currency.
            raise AmountError(
                f"'{shown}' is an amount in {other[0]}, but the round counts in {currency}",
                hint=f"write the amount in {currency}, or count the round in {other[0]}",
            ) from None
        raise
    return number * multiplier


def parse_amount(
    value: object, *, allow_zero: bool = False, allow_negative: bool = False, currency: str = NOK
) -> int:
    """Parse a cell or option into whole kroner (whole units of ``currency``, the round's ISO
    4217 code), or raise :class:`AmountError` with a hint.

    >>> parse_amount("kr 3.300.000,-")
    3300000
    >>> parse_amount("3,3 mill.")
    3300000
    >>> parse_amount(3300000.0)
    3300000
    """
    shown = str(value).strip() if value is not None else ""
    number = parse_decimal(value, original=shown, currency=currency)
    return _whole_units(
        number, shown, allow_zero=allow_zero, allow_negative=allow_negative, currency=currency
    )


def format_amount(amount: int, lang: str = "nb", *, currency: str | None = "kr") -> str:
    """Format whole kroner for people: ``3 300 000 kr`` (nb) or ``NOK 3,300,000`` (en)."""
    if type(amount) is int and currency == "kr":
        # Every reason of every row comes here (100k rows: several 100k calls); an int's own
        # ',' grouping keeps the sign in front of the digits, as the general path below does.
        if lang == "nb":
            return f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr"
        return f"NOK\u00a0{amount:,}"
    sign = "-" if amount < 0 else ""
    digits = f"{abs(amount):,}"
    if lang == "nb":
        text = sign + digits.replace(",", "\u00a0")
        return f"{text}\u00a0{currency}" if currency else text
    text = sign + digits
    if not currency:
        return text
    code = "NOK" if currency == "kr" else currency
    return f"{code}\u00a0{text}"


# --- numbers typed as text in other columns ----------------------------------------------------

_PLAIN_NUMBER = re.compile(
    r"([-\u2212]?)(0|[1-9][0-9]*|[1-9][0-9]{0,2}(?:[ \u00a0\u202f][0-9]{3})+)(?:[.,]([0-9]+))?"
)
_GROUPING = re.compile("[ \u00a0\u202f]")
_MAX_WHOLE_DIGITS = 11
"""Excel's General format shows a number of 12 digits or more as 1,25398E+12: such digits are
an identifier (a call's number, an account), kept as text."""
_MAX_DIGITS = 15  # Excel keeps 15 significant digits; more would change the number


def plain_number(text: str) -> int | Decimal | None:
    """The number a carried text cell is, as the reader reads numbers, or None for text.

    Digits maybe grouped in threes by spaces, maybe a decimal point or comma (``6978124``,
    ``6978124.0``, ``6 978 124``, ``1,5``): a whole number is an ``int``, as a whole number
    from a spreadsheet is carried, else an exact :class:`~decimal.Decimal`. Not a number:
    digits led by 0 (a postcode ``0150``, a municipality ``0301``: codes), more digits than
    Excel shows as they are, and what the amount reader refuses
    (:func:`parse_decimal`: a separator before three digits that could group
    thousands as well as mark decimals, ``1,500``).
    """
    match = _PLAIN_NUMBER.fullmatch(text.strip())
    if match is None:
        return None
    whole, decimals = _GROUPING.sub("", match.group(2)), match.group(3) or ""
    if len(whole) > _MAX_WHOLE_DIGITS or len(whole.lstrip("0")) + len(decimals) > _MAX_DIGITS:
        return None
    if len(decimals) == 3:
        # Three digits after the mark may group thousands as well as be decimals: the amount
        # reader's rule says which (it refuses ``1,500``); the cell then stays as typed.
        try:
            number = parse_decimal(match.group(0))
        except AmountError:
            return None
    else:
        sign = "-" if match.group(1) else ""
        number = Decimal(f"{sign}{whole}.{decimals or '0'}")
    if number == number.to_integral_value():
        return int(number)
    return number
