"""Policies from TOML files and options: one :class:`~tilskudd.models.Policy`, checked whole.

A policy file holds a ``[policy]`` table (or the keys at top level)::

    [policy]
    rule = "ranked"
    max_share_of_cost = "20 %"
    round_to = "1 000"
    min_award = "100 000"
    tie_break = ["total_cost asc"]

Amounts may be written as people write them (``"100 000"``, ``"1,5 mill."``). Options given on the
command line override the file; the merged policy is recorded in every output. A setting that is
wrong is named with the line of its key (``policy.toml, line 3: rule: ...``), found by
:class:`~tilskudd.tomlplaces.TomlPlaces` as in the programme file; an option, as typed.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from tilskudd.currency import NOK, parse_currency
from tilskudd.errors import AmountError, CurrencyError, PolicyError
from tilskudd.i18n import Phrase, quoted
from tilskudd.models import (
    AMOUNTS_IN,
    DECIMAL_PLACES,
    RECORDED,
    WHOLE_DIGITS,
    Policy,
    Quota,
    TieBreak,
)
from tilskudd.money import parse_amount
from tilskudd.textfile import read_text
from tilskudd.tomlplaces import TomlPlaces

__all__ = [
    "AMOUNT_FIELDS",
    "PolicyFile",
    "load_policy",
    "load_policy_with_problems",
    "policy_from_mapping",
    "policy_with_problems",
    "problem_phrase",
    "read_policy",
    "read_policy_file",
    "setting_line",
    "setting_place",
]

AMOUNT_FIELDS = ("max_award", "min_award", "round_to", "per_applicant_max")


Where = str | Phrase
"""Where a policy came from: a file's path, or the options (a phrase, said in the language)."""

_OPTIONS = Phrase("policy.error.options")

Place = Callable[[Sequence[str | int]], Where]
"""Where a setting of a policy was written, by its path in the policy (``("quotas", 0)``)."""


def at_line(shown: str, line: int | None) -> Where:
    """A place in a file: the file, and the line when it is known (``policy.toml, line 3``)."""
    return Phrase("programme.error.at_line", path=shown, line=line) if line else shown


def _file_place(shown: str, places: Callable[[], TomlPlaces], root: tuple[str, ...]) -> Place:
    """Where a setting of the policy at ``root`` (``("policy",)`` or the top level) of a file is:
    the line of its key, or of the table it is missing from; a check of the whole policy, the
    ``[policy]`` header. No line for a setting not written in the file (it came from elsewhere)."""

    def place(loc: Sequence[str | int]) -> Where:
        if loc:
            line = places().nearest((*root, *loc), floor=len(root) + 1)
        else:
            line = places().line(root) if root else None
        return at_line(shown, line)

    return place


# Pydantic's own checks, said in the catalogue's words.
_SIMPLE_PROBLEMS = {
    "int_type": "policy.error.whole_number",
    "int_parsing": "policy.error.whole_number",
    "int_from_float": "policy.error.whole_number",
    "decimal_type": "policy.error.number",
    "decimal_parsing": "policy.error.number",
    "float_type": "policy.error.number",
    "float_parsing": "policy.error.number",
    "finite_number": "policy.error.finite",
    "string_type": "policy.error.text",
    "bool_type": "policy.error.truth",
    "bool_parsing": "policy.error.truth",
    "list_type": "policy.error.list",
    "tuple_type": "policy.error.list",
    "dict_type": "policy.error.table",
    "model_type": "policy.error.table",
    "model_attributes_type": "policy.error.table",
    "missing": "policy.error.missing",
    "string_too_short": "policy.error.empty",
    "date_type": "policy.error.date",
    "date_parsing": "policy.error.date",
    "date_from_datetime_parsing": "policy.error.date",
    "date_from_datetime_inexact": "policy.error.date",
}
_DIGIT_PROBLEMS = ("decimal_max_digits", "decimal_max_places", "decimal_whole_digits")
_BOUNDS = ("gt", "ge", "lt", "le")
_INNER_TABLES: dict[str | None, type[BaseModel]] = {"quotas": Quota, "tie_break": TieBreak}
_BOUND_KEYS = {
    "greater_than": "policy.error.greater_than",
    "greater_than_equal": "policy.error.greater_than_equal",
    "less_than": "policy.error.less_than",
    "less_than_equal": "policy.error.less_than_equal",
}


def _amount_problem(
    value: object, *, allow_zero: bool, exc: AmountError, currency: str = NOK
) -> Phrase:
    """What is wrong with an amount, in the words of the cell checks (:mod:`validation`)."""
    from tilskudd.validation import amount_problem

    found = amount_problem(value, allow_zero=allow_zero, currency=currency)
    if found is None and allow_zero:
        # Refused, but not for any reason that stands when zero is allowed: it is zero, and this
        # amount (a frame, a round's budget) may not be.
        found = amount_problem(value, allow_zero=False, currency=currency)
    if found is not None:
        return found
    hint = f" ({exc.hint})" if exc.hint else ""
    return Phrase("policy.error.other", message=f"{exc}{hint}")


def _clean_amounts(
    data: dict[str, Any], where: Where, place: Place, currency: str = NOK
) -> tuple[dict[str, Any], list[Phrase]]:
    """The amounts parsed, and a line for each that is not an amount (left out of the result,
    so that the other settings are still checked and every problem is said at once).
    ``currency``: the round's, whose code an amount may name (``"300 000 EUR"``); an amount
    typed as kroner in a round of another is one such problem."""
    cleaned = dict(data)
    lines: list[Phrase] = []
    for key in AMOUNT_FIELDS:
        value = cleaned.get(key)
        if value is None or isinstance(value, int):  # true or false: refused by the model
            continue
        allow_zero = key == "min_award"
        # "500 000 kr" as the cap of a round of euros is refused: read as euros, it would be
        # wrong tenfold.
        try:
            cleaned[key] = parse_amount(value, allow_zero=allow_zero, currency=currency)
            continue
        except AmountError as exc:
            message = _amount_problem(value, allow_zero=allow_zero, exc=exc, currency=currency)
        field = _as_option(key) if where is _OPTIONS else key
        lines.append(Phrase("policy.error.line", where=place((key,)), field=field, message=message))
        del cleaned[key]
    return cleaned, lines


def says_the_value(message: Phrase) -> bool:
    """Whether ``message`` quotes the value itself ("'-5' is negative"), so that "(got -5)"
    after it would say it twice."""
    return "value" in message.params


def _as_option(name: str) -> str:
    """A policy setting as the command line spells it (``max_share_of_cost`` ->
    ``--max-share-of-cost``): what the user typed, named back."""
    return "--" + name.replace("_", "-")


def _policy_part(loc: Sequence[Any], settings: Sequence[str] | None) -> str | None:
    """The policy setting a nested key is in (``("quotas", 0, "x")`` -> ``"quotas"``), None
    for a key of the policy itself or of a programme's table (``settings``)."""
    if settings is None and len(loc) > 2 and isinstance(loc[1], int):
        return str(loc[0])
    return None


_PROGRAMME_TABLES = frozenset({"programme", "round"})
"""The tables of a programme file (tilskudd.toml), given as a policy file by mistake."""


def _not_a_setting(key: str) -> Phrase | None:
    """What a key of a policy file's top level is when it is no policy setting but a table
    read elsewhere: a column map (read with --columns) or a programme's table."""
    if key == "columns":
        return Phrase("policy.error.column_map")
    if key in _PROGRAMME_TABLES:
        return Phrase("policy.error.programme_table")
    return None


def _outside_phrase(key: str) -> Phrase:
    """Why a key beside the [policy] table is refused: a setting written outside it is to be
    moved under it; anything else is not a setting, and moving it there would not help."""
    if key in Policy.model_fields:
        return Phrase("policy.error.outside_table")
    return _not_a_setting(key) or Phrase(
        "policy.error.unknown_setting", known=list(Policy.model_fields)
    )


def problem_phrase(
    error: Mapping[str, Any], settings: Sequence[str] | None = None, *, currency: str = NOK
) -> Phrase:
    """One of pydantic's errors on a policy as a phrase of the catalogue; with ``settings``, on
    a table of a programme file that may have those keys. ``currency``: the one an amount is
    read in (a programme's)."""
    kind = str(error["type"])
    ctx = dict(error.get("ctx") or {})
    field = str(error["loc"][-1]) if error["loc"] else ""
    if kind.startswith(("policy.error.", "programme.error.")):
        return Phrase(kind, **ctx)  # tilskudd's own checks (tilskudd.models.setting_problem)
    if kind == "value_error" and isinstance(ctx.get("error"), AmountError):
        return _amount_problem(
            error.get("input"), allow_zero=True, exc=ctx["error"], currency=currency
        )
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return Phrase("policy.error.literal", expected=expected)
    if kind == "extra_forbidden":
        # A key of a table inside the policy (a quota, a tie-break step): that table's keys.
        inner = _INNER_TABLES.get(_policy_part(error["loc"], settings))
        if inner is not None:
            return Phrase("programme.error.unknown_setting", known=list(inner.model_fields))
        if settings is not None:
            return Phrase("programme.error.unknown_setting", known=list(settings))
        elsewhere = _not_a_setting(field) if len(error["loc"]) == 1 else None
        return elsewhere or Phrase("policy.error.unknown_setting", known=list(Policy.model_fields))
    if kind in _BOUND_KEYS:
        if "share" in field:
            return Phrase("policy.error.share_range")
        return Phrase(_BOUND_KEYS[kind], **{k: ctx[k] for k in _BOUNDS if k in ctx})
    if kind in _DIGIT_PROBLEMS:
        return Phrase("policy.error.digits", whole=WHOLE_DIGITS, places=DECIMAL_PLACES)
    if kind in _SIMPLE_PROBLEMS:
        return Phrase(_SIMPLE_PROBLEMS[kind])
    # Any other check: pydantic's English words, without its "Value error, " before ours.
    return Phrase("policy.error.other", message=str(error["msg"]).removeprefix("Value error, "))


def _as_written(data: Mapping[str, Any], loc: Sequence[Any], default: Any) -> Any:
    """The value at ``loc`` in ``data`` as the user gave it (``quotas.0.max_share``: "150 %"),
    else ``default``: pydantic's input, which a validator may have turned (Decimal('1.5'))."""
    value: Any = data
    for part in loc:
        in_table = isinstance(value, Mapping) and part in value
        in_list = isinstance(value, list | tuple) and isinstance(part, int) and part < len(value)
        if not (in_table or in_list):
            return default
        value = value[part]
    return value


def _as_toml(value: Any) -> str | Phrase:
    """A value as a policy file writes it: a date or a Decimal as written, true and false in
    TOML's words (Python's True would not be what the file says); text quoted, to show its ends,
    the way the message's language quotes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, Decimal | date) else quoted(value)


def policy_from_mapping(
    data: Mapping[str, Any],
    *,
    where: Where = "policy",
    base: Policy | None = None,
    place: Place | None = None,
    currency: str = NOK,
) -> Policy:
    """Build a Policy from plain values (a TOML table, options), on top of ``base`` if given.

    :class:`PolicyError` names each setting that is wrong, one a line, said in any language
    (:meth:`PolicyError.text`): at ``where``, or at what ``place`` says for the setting (a line
    of the file). ``currency``: the round's, whose code its amounts may name.
    """
    policy, lines, _ = _validated(data, where=where, base=base, place=place, currency=currency)
    if policy is None or lines:
        raise PolicyError(lines=lines)
    return policy


def policy_with_problems(
    data: Mapping[str, Any],
    *,
    where: Where = "policy",
    base: Policy | None = None,
    place: Place | None = None,
    currency: str = NOK,
) -> tuple[Policy, list[Phrase], set[str]]:
    """:func:`policy_from_mapping`, but a setting that is wrong is left out (as if not given)
    instead of stopping: the policy of the settings that are right, a line for each that is
    not (as :func:`policy_from_mapping` says it), and the names of those left out.

    So that one run can say every problem: the wrong settings, and what the rest of the policy
    finds in the applications (:func:`tilskudd.rules.policy_problems`). Settings that are wrong
    together (``min_award`` above ``max_award``) are both left out.
    """
    remaining = {k: v for k, v in data.items() if v is not None}
    lines: list[Phrase] = []
    dropped: set[str] = set()
    while True:
        policy, found, bad = _validated(
            remaining, where=where, base=base, place=place, currency=currency
        )
        lines.extend(found)
        if policy is not None and not bad:
            return policy, lines, dropped
        bad &= remaining.keys()
        if not bad:  # nothing of data to leave out (a setting of the base): the base alone
            return base if base is not None else Policy(), lines, dropped | set(remaining)
        dropped |= bad
        remaining = {k: v for k, v in remaining.items() if k not in bad}


def _validated(
    data: Mapping[str, Any],
    *,
    where: Where,
    base: Policy | None,
    place: Place | None,
    currency: str = NOK,
) -> tuple[Policy | None, list[Phrase], set[str]]:
    """The policy ``data`` makes on ``base`` (None if it makes none), a line for each problem,
    and the keys the problems are about."""
    if place is None:

        def place(loc: Sequence[str | int]) -> Where:
            return where

    merged: dict[str, Any] = base.model_dump() if base is not None else {}
    merged.update({k: v for k, v in data.items() if v is not None})
    before = set(merged)
    merged, amount_lines = _clean_amounts(merged, where, place, currency)
    bad = before - set(merged)  # amounts that are not amounts
    # On a committed round's policy (Policy.from_record): what it recorded is read as recorded,
    # and what is given here is held to today's checks (a run that changes it is refused).
    recorded = base is not None and base.recorded
    try:
        if recorded:
            Policy.model_validate({k: merged[k] for k in data if k in merged})
        # A quota's amounts are read in the round's currency, as the policy's own are above.
        context: dict[str, Any] = {AMOUNTS_IN: currency}
        if recorded:
            context[RECORDED] = True
        policy = Policy.model_validate(merged, context=context)
    except ValidationError as exc:
        lines = amount_lines
        for error in exc.errors():
            loc = error["loc"]
            if loc:
                bad.add(str(loc[0]))
            else:  # a check of the limits together: the settings it names
                bad.update(str(k) for k in error.get("ctx") or {} if k in Policy.model_fields)
            # As the file spells it: the second quota is quotas[2], as rounds are round[2].
            field = ""
            for part in loc:
                field += f"[{part + 1}]" if isinstance(part, int) else f".{part}" if field else part
            if where is _OPTIONS and len(loc) == 1 and loc[0] in data:
                field = _as_option(field)  # an option the user typed: named as typed
            # As the user wrote it ("150 %"), not as a validator turned it (Decimal('1.5')).
            given = _as_written(data, loc, error.get("input"))
            message = problem_phrase(error, currency=currency)
            here = place(loc)
            if not field:  # a check of the whole policy (its limits together): no key of its own
                line = Phrase("policy.error.line_where", where=here, what=message)
            elif isinstance(given, dict) or says_the_value(message):
                line = Phrase("policy.error.line", where=here, field=field, message=message)
            else:
                line = Phrase(
                    "policy.error.line_given",
                    where=here,
                    field=field,
                    message=message,
                    # A date or a Decimal as the file writes it; text quoted, to show its ends.
                    given=_as_toml(given),
                )
            lines.append(line)
        return None, lines, bad
    return policy, amount_lines, bad


class PolicyFile(NamedTuple):
    """A policy file as read once (:func:`read_policy`), for its language and its policy."""

    path: Path
    table: dict[str, Any]
    """The raw ``[policy]`` table (or the file's top level), ``lang`` taken out."""
    lang: str | None
    place: Place
    """Where each setting is written: the file and the line of its key."""
    currency: str | None = None
    """The ISO 4217 code of the round's currency, where the file sets ``currency``."""


def read_policy_file(path: Path) -> tuple[dict[str, Any], str | None]:
    """The raw ``[policy]`` table of a TOML file, and its ``lang`` (output language) if set."""
    read = read_policy(path)
    return read.table, read.lang


def read_policy(path: Path) -> PolicyFile:
    """The raw ``[policy]`` table of a TOML file, its ``lang`` and ``currency``, and where its
    settings are."""
    shown = str(path)
    try:
        text = read_text(path)
        raw = tomllib.loads(text)
    except FileNotFoundError:
        raise PolicyError(key="policy.error.file_not_found", path=shown) from None
    except IsADirectoryError:
        raise PolicyError(key="policy.error.is_folder", path=shown) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(key="policy.error.not_toml", path=shown, reason=str(exc)) from None
    except UnicodeDecodeError:
        raise PolicyError(key="policy.error.not_utf8", path=shown) from None

    @functools.cache
    def places() -> TomlPlaces:  # scanned only when a problem is said
        return TomlPlaces(text)

    root: tuple[str, ...] = ("policy",) if "policy" in raw else ()
    table = raw.get("policy", raw)
    # Beside a [policy] table, a key above it (or a table such as [[quotas]]) would not be read:
    # a cap written there would silently not apply.
    outside = [key for key in raw if "policy" in raw and key not in ("policy", "lang", "currency")]
    if outside:
        raise PolicyError(
            lines=[
                Phrase(
                    "policy.error.line",
                    where=at_line(shown, places().line((key,))),
                    field=key,
                    message=_outside_phrase(key),
                )
                for key in outside
            ]
        )
    if not isinstance(table, dict):
        raise PolicyError(key="policy.error.not_table", path=at_line(shown, places().line(root)))
    table = dict(table)
    lang_at = (*root, "lang") if table.get("lang") else ("lang",)
    lang = table.pop("lang", None) or raw.get("lang")
    if lang is not None and not isinstance(lang, str):
        where = at_line(shown, places().line(lang_at))
        raise PolicyError(key="policy.error.lang_not_text", path=where)
    if lang and lang not in ("nb", "en"):
        expected = Phrase("policy.error.literal", expected=["nb", "en"])
        line = Phrase(
            "policy.error.line_given",
            where=at_line(shown, places().line(lang_at)),
            field="lang",
            message=expected,
            given=quoted(lang),
        )
        raise PolicyError(lines=[line])
    currency_at = (*root, "currency") if "currency" in table else ("currency",)
    currency = table.pop("currency", None)
    if currency is None:
        currency = raw.get("currency")
    if currency is not None:
        try:
            currency = parse_currency(currency)
        except CurrencyError as exc:
            line = Phrase(
                "policy.error.line",
                where=at_line(shown, places().line(currency_at)),
                field="currency",
                message=Phrase(str(exc.key), **exc.params),
            )
            raise PolicyError(lines=[line]) from None
    place = _file_place(shown, places, root)
    return PolicyFile(Path(path), table, lang, place, currency)


def _setting_loc(setting: str) -> list[str | int]:
    """A setting's path in the policy by its name as said: ``quotas[2].value`` ->
    ``["quotas", 1, "value"]``."""
    return [
        int(index) - 1 if index else name
        for index, name in re.findall(r"\[(\d+)\]|([^.\[\]]+)", setting)
    ]


def setting_place(path: Path, setting: str) -> Where:
    """Where a setting of a policy file is, by its name as said (``quotas[2].value``): the file
    and the line of its key; the file alone when the line cannot be known."""
    try:
        place = read_policy(path).place
    except PolicyError:
        return str(path)
    return place(_setting_loc(setting))


def setting_line(path: Path, setting: str) -> int | None:
    """The line of a setting of a policy file, by its name as said (``quotas[2]``): of its
    key, or of the table it is in; None when it cannot be known."""
    try:
        text = read_text(path)
        root: tuple[str, ...] = ("policy",) if "policy" in tomllib.loads(text) else ()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, PolicyError):
        return None
    return TomlPlaces(text).nearest((*root, *_setting_loc(setting)), floor=len(root) + 1)


def load_policy(
    path: Path | PolicyFile | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    base: Policy | None = None,
    currency: str | None = None,
) -> Policy:
    """Read a policy file (if any; or take one already read, :func:`read_policy`) and apply
    option overrides; raise PolicyError naming the key. ``currency``: the round's (by default
    the file's, else NOK), whose code an amount may name (``max_award = "300 000 EUR"``);
    another currency's is refused."""
    policy = base
    read = None if path is None else path if isinstance(path, PolicyFile) else read_policy(path)
    code = currency or (read.currency if read is not None else None) or NOK
    if read is not None:
        policy = policy_from_mapping(
            read.table, where=str(read.path), base=policy, place=read.place, currency=code
        )
    if overrides:
        policy = policy_from_mapping(overrides, where=_OPTIONS, base=policy, currency=code)
    return policy if policy is not None else Policy()


def load_policy_with_problems(
    path: Path | PolicyFile | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    base: Policy | None = None,
    currency: str | None = None,
) -> tuple[Policy, PolicyError | None, frozenset[str]]:
    """:func:`load_policy`, with each wrong setting left out instead of stopping
    (:func:`policy_with_problems`): the policy of the rest, one :class:`PolicyError` naming
    every wrong setting (None if none is), and the names of the settings left out."""
    policy = base
    lines: list[Phrase] = []
    dropped: set[str] = set()
    read = None if path is None else path if isinstance(path, PolicyFile) else read_policy(path)
    code = currency or (read.currency if read is not None else None) or NOK
    if read is not None:
        policy, found, bad = policy_with_problems(
            read.table, where=str(read.path), base=policy, place=read.place, currency=code
        )
        lines += found
        dropped |= bad
    if overrides:
        policy, found, bad = policy_with_problems(
            overrides, where=_OPTIONS, base=policy, currency=code
        )
        lines += found
        # A wrong setting of the file that an option gives rightly is in the policy after all.
        dropped = (dropped - overrides.keys()) | bad
    problem = PolicyError(lines=lines) if lines else None
    return (policy if policy is not None else Policy()), problem, frozenset(dropped)
