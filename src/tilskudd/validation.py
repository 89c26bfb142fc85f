"""Raw rows -> validated Applications, and every problem as an Issue pinned to its cell.

:func:`validate` takes what a reader produced (:class:`~tilskudd.reading.table.RawTable`) and
checks every used cell of every row in one pass, never stopping at the first problem. A row
with an error becomes a :class:`~tilskudd.models.RejectedRow` (with what could be read of it);
a row without becomes an :class:`~tilskudd.models.Application`. Warnings do not reject.

The checks, per cell (codes are ``validate.<name>``; words come from the locales catalogue):

- ``requested`` (required) and ``total_cost``, ``decision_amount``: amounts as numbers or as
  people type them (:func:`tilskudd.money.parse_decimal`); ambiguous text (``3,300``), zero,
  negative and non-whole amounts are errors. Requested above total cost is an error.
- ``orgnr``: 9 digits with a valid mod-11 check digit (python-stdnum), spaces and
  ``NO … MVA`` allowed; ``0`` or ``-`` (data sets' "none") is a warning and reads as empty.
- 360Giving's ``Recipient Org:Identifier`` and ``Beneficiary Location:Geographic Code``
  (:func:`_open_data_columns`): ``NO-BRC-<orgnr>`` is the orgnr, a county's 2-digit number
  the county; another register's identifiers and codes read as empty, one warning a column,
  except an organisation's org-id (``GB-CHC-1234567``), carried through as a column of its own.
- ``municipalities``: one or several per cell, by number or name, against the chosen register
  (2009, 2020 or 2024 numbering), with "did you mean" and other-numbering hints; ``county``
  likewise (the column is kept as given), or derived from the municipalities. A county in the
  column that none of the municipalities is in is a warning.
- ``score``: an exact number (``4,5`` accepted); ``rank``: a whole number from 1 to ``MAX_RANK``.
  A column of number cells formatted as a percentage beside plain numbers (two scales) is an
  error on each cell of the scale fewer cells use (:func:`_mixed_scales`).
- ``id``: a missing id is made from the row number (``R12``) with a warning; duplicate ids are
  an error on every row that has one; the same orgnr with the same project title is a warning.
- ``decision`` (fund/reject/reserve, innvilg/avslå/reserve): needs ``decision_reason``; a
  decision to fund needs ``decision_amount`` (more than 0, at most the request); reject and
  reserve take no amount; an amount without a decision is an error.
- A formula without a saved value in any used cell is an error naming the formula.
- An error the reader found on a whole row (a CSV row with more fields than the header) is
  put on that row and rejects it; after a quotation mark out of place it is the row's only
  issue, since its cells are not the columns' and their errors would be knock-on ones.

A row of common cells (amounts as numbers or typed text, texts, scores and ranks as numbers
or text, a plain or known orgnr, a municipality cell of known items, nothing wrong) takes a
fast path that builds its data in one call, with what repeats (orgnrs, typed amounts, places)
read once per table; any other row goes through the full check, which knows how to report
every problem, and property tests check that both give the same result. Ids and projects are
then compared across rows, in C where it can be (``map``, ``Counter``).

The applications are built without a second validation by pydantic: a row's values are
already what it would make of them (:func:`_direct`), and property tests hold both to the same
objects. ``benchmarks/bench_validate.py`` times it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from itertools import compress, count, repeat
from operator import attrgetter, itemgetter
from typing import Any, Literal, NamedTuple, TypeVar, cast, overload

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from tilskudd.collector import collector_paused
from tilskudd.controls import has_hidden, hidden_in, visible
from tilskudd.currency import KRONER_WORDS, NOK, groups_by_dots, named_in
from tilskudd.errors import AmbiguousAmountError, AmbiguousUnitError, AmountError, UsageError
from tilskudd.i18n import Phrase
from tilskudd.issues import describe_issue
from tilskudd.models import (
    MAX_RANK,
    ORG_ID_COLUMN,
    Application,
    CellValue,
    Issue,
    Location,
    ParamValue,
    RejectedRow,
    Severity,
    other_organisation_key,
    read_id,
)
from tilskudd.money import INVISIBLE, MAX_AMOUNT, parse_decimal, to_decimal
from tilskudd.orgid import is_orgnr_key, organisation_key, without_leading_zeros
from tilskudd.reading.columns import CURRENCY_HEADERS, names_currency, normalize_header
from tilskudd.reading.sheet import currency_line_issue
from tilskudd.reading.table import (
    UNREAD_FORMULA,
    DataRows,
    FormulaWithoutValue,
    RawCell,
    RawTable,
    column_letter,
    is_empty,
)
from tilskudd.registry import (
    OrgnrError,
    Register,
    RegistryError,
    get_register,
    is_org_id,
    is_plain_valid_orgnr,
    numberings_with,
    spaced_org_id,
    validate_orgnr,
)
from tilskudd.thousands import CODES as THOUSANDS_CODES
from tilskudd.thousands import Requested, measure, thousands_warning

__all__ = [
    "DECISIONS",
    "FIELDS",
    "CheckedTable",
    "RegisterMismatch",
    "ValidationResult",
    "amount_problem",
    "check_table",
    "describe_issue",
    "legacy_row_ids",
    "row_told_apart",
    "same_row_told_apart",
    "validate",
    "with_budget",
]

FIELDS: tuple[str, ...] = (
    "id",
    "applicant",
    "orgnr",
    "project",
    "municipalities",
    "county",
    "requested",
    "total_cost",
    "score",
    "rank",
    "category",
    "decision",
    "decision_amount",
    "decision_reason",
)
"""Every field a column can be mapped to, in the order they are checked."""

DecisionWord = Literal["fund", "reject", "reserve"]

DECISIONS: dict[str, DecisionWord] = {
    "fund": "fund",
    "funded": "fund",
    "grant": "fund",
    "granted": "fund",
    "innvilg": "fund",
    "innvilget": "fund",
    "innvilges": "fund",
    "innvilgelse": "fund",
    # "Bevilget" and "Tilsagn" (a grant commitment) as Norwegian funders write a grant.
    "bevilg": "fund",
    "bevilget": "fund",
    "bevilges": "fund",
    "bevilgning": "fund",
    "tilsagn": "fund",
    # The same in nynorsk: innvilga, løyvd (bevilget), løyving, tilsegn (tilsagn).
    "innvilga": "fund",
    "innvilgast": "fund",
    "løyv": "fund",
    "løyvd": "fund",
    "løyvt": "fund",
    "løyving": "fund",
    "tilsegn": "fund",
    "reject": "reject",
    "rejected": "reject",
    "avsla": "reject",
    "avslag": "reject",
    "avslatt": "reject",
    "avslas": "reject",
    "avvis": "reject",
    "avvist": "reject",
    "avvises": "reject",
    "avslast": "reject",  # avslåast (avslås in nynorsk), folded
    "avvisast": "reject",
    "reserve": "reserve",
    "reserveliste": "reserve",
    "venteliste": "reserve",
}
"""Accepted decision words (folded: lower case, å -> a) and the decision each one means."""

_ACCEPTED_DECISIONS = ["fund", "reject", "reserve", "innvilg", "avslå"]


class RegisterMismatch(NamedTuple):
    """A sheet whose places follow the other municipality numbering than the one checked
    against: see :attr:`ValidationResult.register_mismatch`."""

    register: str
    """The numbering the sheet was checked against (``"2024"``)."""
    other_register: str
    """The numbering its places were found in instead (``"2009"``)."""
    problems: int
    """Errors that name a place found only in ``other_register``."""
    applications: int
    """Rejected applications with no other error: valid, as far as tilskudd can tell, in
    ``other_register``."""
    rejected: int
    """Rejected applications in all."""


OTHER_REGISTER_CODES = frozenset(
    {
        *(
            f"validate.{kind}_{problem}"
            for kind in ("municipality", "county")
            for problem in (
                "number_other_register",
                "number_moved",
                "name_other_register",
                "name_moved",
            )
        ),
        "validate.county_former_county",
    }
)
"""Errors for a place that is in another numbering and not in the one checked against (a county
of 2020-2023, Viken, is one of the 2020 numbering)."""


def _numberings_of(issue: Issue) -> tuple[str, ...]:
    """The numberings the place of an :data:`OTHER_REGISTER_CODES` error is in."""
    kind: Literal["municipality", "county"] = (
        "county" if issue.code.startswith("validate.county_") else "municipality"
    )
    params = issue.params
    if issue.code.endswith("_former_county"):
        # "30 Viken": the county of 2020-2023 the cell names.
        return numberings_with("county", number=str(params.get("county", "")).split(" ")[0])
    if "_number_" in issue.code:
        return numberings_with(kind, number=str(params.get("number", "")))
    return numberings_with(kind, name=str(params.get("item", "")))


REGISTER_MISMATCH_MIN = 3
"""How many such errors make it a pattern worth one line of its own (a single old name in a
sheet is said at its cell, and that is enough)."""


class _Outcome:
    """The verdict of a check, from its issues (shared by the two kinds of result)."""

    issues: tuple[Issue, ...]
    rejected: tuple[RejectedRow, ...]
    register: str

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The issues that are errors."""
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """The issues that are warnings."""
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not any(i.severity is Severity.ERROR for i in self.issues)

    @property
    def register_mismatch(self) -> RegisterMismatch | None:
        """The sheet's places seem to follow the other municipality numbering.

        An old sheet (Difi's 2009 round) checked against today's numbering fails at every
        municipality and county that has since merged, each cell saying ``use --register 2009``;
        a hundred such lines hide the one thing to do. This counts them, and the rejected
        applications that have no other error, so that the command can say it once. ``None``
        when there are fewer than :data:`REGISTER_MISMATCH_MIN` such errors.
        """
        codes = OTHER_REGISTER_CODES
        found = [i for i in self.issues if i.severity is Severity.ERROR and i.code in codes]
        if len(found) < REGISTER_MISMATCH_MIN:
            return None
        # The numbering that has the most of those places (3001 Halden is only in 2020's,
        # 3401 Kongsvinger in 2020's and 2024's); on a tie, the current one, else the nearest.
        order = get_register(self.register).other_years
        explained = Counter(year for issue in found for year in _numberings_of(issue))
        other = min(order, key=lambda year: (-explained[year], order.index(year)))
        if explained[other] < REGISTER_MISMATCH_MIN:
            return None
        only_that = sum(
            1
            for row in self.rejected
            if all(i.code in OTHER_REGISTER_CODES for i in row.issues if i.is_error)
            and any(i.is_error for i in row.issues)
        )
        return RegisterMismatch(
            self.register, other, explained[other], only_that, len(self.rejected)
        )


@dataclass(frozen=True)
class ValidationResult(_Outcome):
    """What :func:`validate` found: the valid applications, the rejected rows, every issue."""

    file: str
    sheet: str | None
    header_row: int
    applications: tuple[Application, ...]
    rejected: tuple[RejectedRow, ...]
    issues: tuple[Issue, ...]
    """All issues: the reader's first, then the table's, then row by row (errors and warnings)."""
    extra_columns: tuple[str, ...]
    """Header texts of the carried-through columns, in file order."""
    register: str = "2024"
    ranking_column: bool = True
    """The sheet has a column for the score or the rank (the ranking rules need one)."""
    requested: Requested | None = None
    """What the valid applications ask for, for the warning about amounts kept in thousands
    (:func:`with_budget` weighs it against the budget)."""
    comment: str | None = None
    """What the file's compilers wrote on the data, whole (a pabulib file's ``META`` comment:
    Budapest's says half the votes are not in it), set by the reading of a file; None: none."""


@dataclass(frozen=True)
class CheckedTable(_Outcome):
    """What :func:`check_table` found: as :class:`ValidationResult`, but the applications are
    made when first read."""

    file: str
    sheet: str | None
    header_row: int
    applications: Sequence[Application]
    """The valid applications: their number is known at once, the objects made on first use."""
    rejected: tuple[RejectedRow, ...]
    issues: tuple[Issue, ...]
    extra_columns: tuple[str, ...]
    register: str = "2024"
    ranking_column: bool = True
    """The sheet has a column for the score or the rank (the ranking rules need one)."""
    requested: Requested | None = None
    """What the valid applications ask for, for the warning about amounts kept in thousands
    (:func:`with_budget` weighs it against the budget)."""
    comment: str | None = None
    """What the file's compilers wrote on the data, whole (a pabulib file's ``META`` comment:
    Budapest's says half the votes are not in it), set by the reading of a file; None: none."""


class _Applications(Sequence[Application]):
    """Valid applications as checked data, made into :class:`Application` when first read."""

    __slots__ = ("_checked", "_data", "_made")

    def __init__(self, data: list[RowData], checked: list[int]) -> None:
        self._data = data
        self._checked = checked
        self._made: tuple[Application, ...] | None = None

    def _all(self) -> tuple[Application, ...]:
        if self._made is None:
            with collector_paused():  # as in validate
                made, _ = _direct(self._data, self._checked)
                self._made = tuple(
                    Application.model_validate(_as_dict(data)) if app is None else app
                    for app, data in zip(made, self._data, strict=True)
                )
            self._data, self._checked = [], []
        return self._made

    def __len__(self) -> int:
        return len(self._data) if self._made is None else len(self._made)

    @overload
    def __getitem__(self, index: int) -> Application: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Application, ...]: ...

    def __getitem__(self, index: int | slice) -> Application | tuple[Application, ...]:
        return self._all()[index]

    def __iter__(self) -> Iterator[Application]:
        return iter(self._all())

    def __repr__(self) -> str:
        return f"<{len(self)} applications>"


# --- cell conversions -----------------------------------------------------------------------


def _cell_text(value: RawCell) -> str:
    """A cell as the person sees it: 12.0 -> '12', dates as ISO text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, FormulaWithoutValue):
        return "" if value.formula == UNREAD_FORMULA else value.formula
    return "" if value is None else str(value)


def _decimal_cell(value: float | Decimal) -> bool:
    """A number cell with a fractional part, whose decimal mark a message writes per language."""
    if isinstance(value, float):
        return math.isfinite(value) and not value.is_integer()
    return value.is_finite() and value != value.to_integral_value()


def _row_told_apart(app_id: str, column: str, row: int) -> str:
    """The id of a rejected row whose id is not its own alone: ``S-01 (A17)``, the cell of its
    id after it (``#17`` when the sheet has no id column)."""
    return f"{app_id} ({column}{row})"


_ROW_SUFFIX = re.compile(r"^(?P<id>.*) \((?:[A-Z]{1,3}|#)(?P<row>[1-9][0-9]*)\)$")


_ANY_ROW_SUFFIX = re.compile(
    r"^(?P<id>.*\S) \((?:(?i:row|rad)\s*|(?P<column>[A-Za-z]{1,3})|#)(?P<row>[1-9][0-9]*)\)$"
)


def row_told_apart(app_id: str) -> tuple[str, int] | None:
    """The id and row of an id told apart by its row, in any form tilskudd has shown one:
    ``S-01 (A17)`` and ``S-01 (#17)`` (the cell of its id, now), ``S-01 (row 17)`` (before
    2026-11-29, and English messages about a row), ``S-01 (rad 17)`` (Norwegian messages about a
    row); the letters in any case. None for any other id.

    Within a round a row holds one application, so two ids with the same ``(id, row)`` are the
    same whatever the form: what the ledger looks an id up by (:meth:`Ledger.history`).
    """
    found = _ANY_ROW_SUFFIX.match(app_id.strip())
    if found is None:
        return None
    return found["id"], int(found["row"])


def same_row_told_apart(first: str, second: str) -> bool:
    """Whether two ids are one row told apart in two of the forms :func:`row_told_apart`
    reads: the same id and row, and, where both name the column of the id, the same column
    (in any case).

    A round has one id column, so ``Kraft (NO1)`` and ``Kraft (SE1)`` are never one row's: they
    are two ids of their own that end like one (price areas), as ``Sak (v2)`` may be.
    """
    one = _ANY_ROW_SUFFIX.match(first.strip())
    other = _ANY_ROW_SUFFIX.match(second.strip())
    if one is None or other is None:
        return False
    if (one["id"], int(one["row"])) != (other["id"], int(other["row"])):
        return False
    columns = one["column"], other["column"]
    return None in columns or columns[0].upper() == columns[1].upper()


def ids_read_since(recorded: Iterable[str], now: Container[str]) -> dict[str, str]:
    """Each of the ``recorded`` ids not among the ids read ``now`` from the same file, mapped to
    the one it reads as since 2026-11-30: ``A\u20111`` is ``A-1``
    (:func:`~tilskudd.models.read_id`), and ``1,00`` in a CSV file's column of such numbers is
    ``1`` (:func:`_written_whole_ids`)."""
    since: dict[str, str] = {}
    for old in recorded:
        if old in now:
            continue
        new = read_id(old)
        whole = _WRITTEN_WHOLE.fullmatch(new)
        if new not in now and whole is not None:
            new = _GROUPING.sub("", whole.group(1))
        if new != old and new in now:
            since[old] = new
    return since


def legacy_row_ids(ids: Iterable[str]) -> dict[str, str]:
    """The id each of ``ids`` told apart by its cell (``S-01 (A17)``) had from tilskudd before
    2026-11-29, ``S-01 (row 17)``, mapped to it: rounds committed then are recorded so.

    A rejected row whose id is not its own alone gets the cell of its id after it (see
    :meth:`_Found.outcome`): a cell reference reads the same in every language, where "row 17"
    was English in a Norwegian table, and the id is data (JSON, the ledger), not words.
    """
    legacy = {}
    for app_id in ids:
        found = _ROW_SUFFIX.match(app_id)
        if found is not None:
            legacy[f"{found['id']} (row {found['row']})"] = app_id
    return legacy


def _text(value: RawCell) -> str | None:
    """A text field: stripped text, numbers without '.0', empty -> None."""
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else _cell_text(value).strip()
    return text or None


def _carry(value: RawCell) -> CellValue:
    """A carried-through cell kept JSON-able: text, whole number, exact decimal, truth value."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        if math.isfinite(value):
            # As the spreadsheet shows it: a tie-break column compares what the officer sees.
            return to_decimal(value)
        return repr(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else str(value)
    if isinstance(value, date | datetime | time | timedelta):
        return _cell_text(value)
    return None


def _decimal_text(number: Decimal) -> str:
    """A decimal as a Norwegian writes it, read back as that number: 3.3 -> '3,3'.

    Three decimals would read as grouped thousands again ('3,125'), so they get a fourth
    ('3,1250').
    """
    text = format(number.normalize(), "f")
    if "." in text and len(text) - text.index(".") == 4:
        text += "0"
    return text.replace(".", ",")


_IDENTIFYING = ("id", "applicant", "orgnr", "project", "municipalities")


class _Problem(Exception):  # noqa: N818 - a control-flow signal inside this module, not an error
    """A cell that failed a check: the issue code and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


CELL_CHARS = 32_767
"""The most characters a cell of Excel holds, in UTF-16 code units (an emoji is two): what the
award, 360Giving, comparison and ledger workbooks cut a longer text to, with "…" at its end
(``export._sheetml.MAX_CELL_CHARS``, which a test holds equal)."""
_SURELY_FITS = CELL_CHARS // 2
"""Text of at most this many characters fits a cell however many of them are two code units."""

_EXCERPT = 80
"""How much of a long text a warning about the characters in it quotes."""

_MAX = float(MAX_AMOUNT)  # exactly 2**53 - 1: the fast paths compare float cells with it


# A date as a CSV file saved by Norwegian Excel writes it ("04.05.2025", "04.mai"): the
# spreadsheet had made a date of 4.5 typed in, and the file keeps the date's text.
_MONTHS = ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des")
_DATE_TEXT = re.compile(
    r"(\d{1,2})\.(?:(\d{1,2})\.(?:\d{2}|\d{4})|(" + "|".join(_MONTHS) + r")\.?(?:\d{2}|\d{4})?)",
    re.IGNORECASE,
)


# Not "summer" (Norwegian sums): it starts English names ("Summer Festival").
_TOTALS_START = re.compile(r"(?:sum|totalt?|delsum|delsummer|sub-?total|i alt)(?!\w)", re.I)


def _totals_text(applicant: RawCell, project: RawCell) -> tuple[str, str] | None:
    """(field, text) when the applicant or project starts with a totals word (``Sum teater``)."""
    for field, value in (("applicant", applicant), ("project", project)):
        if isinstance(value, str) and _TOTALS_START.match(value.strip()):
            return field, value.strip()
    return None


def _date_text(value: RawCell) -> tuple[int, int] | None:
    """(day, month) of a text that is a Norwegian date (``"04.05.2025"``, ``"4.mai"``), or None."""
    if not isinstance(value, str):
        return None
    found = _DATE_TEXT.fullmatch(value.strip())
    if found is None:
        return None
    day = int(found.group(1))
    month = int(found.group(2)) if found.group(2) else _MONTHS.index(found.group(3).lower()) + 1
    return (day, month) if 1 <= day <= 31 and 1 <= month <= 12 else None


def _amount(
    value: RawCell, *, allow_zero: bool = False, dot_groups: bool = False, currency: str = NOK
) -> int:
    """Whole kroner from a number or typed text, or raise :class:`_Problem`. ``dot_groups``: a
    dot before three digits groups thousands (a semicolon-separated file: decimal comma).
    ``currency``: the round's, which typed text may name (``€ 12 500`` in a round of euros);
    text that names another is refused, since its number is not the round's money (no such
    text reads as an amount: what names it is asked only of text that does not)."""
    number: Decimal | int
    if isinstance(value, date):
        raise _Problem("amount_date", day=value.day, month=value.month)
    if type(value) is int:
        number = value
    elif type(value) is float and value.is_integer():
        number = int(value)
    else:
        try:
            number = parse_decimal(
                value,
                original=_cell_text(value).strip(),
                dot_groups=dot_groups,
                currency=currency,
            )
        except AmbiguousAmountError as exc:
            _same_currency(value, currency)
            raise _Problem(
                "amount_ambiguous",
                thousands=f"{exc.thousands:,}".replace(",", "\u00a0"),  # "3 300" stays whole
                # With the cell's own mark: '3.300' with a decimal point is 3.3, not 3,3.
                decimal=_decimal_text(exc.decimal).replace(",", exc.separator),
                plain=str(exc.thousands),
                # Which reading is English and which Norwegian: a comma groups thousands in
                # English ("3,300" from an English spreadsheet) and is the Norwegian decimal mark.
                comma=int(exc.separator == ","),
            ) from None
        except AmbiguousUnitError as exc:
            _same_currency(value, currency)
            raise _Problem("amount_g", number=exc.number) from None
        except AmountError:
            _same_currency(value, currency)
            day_month = _date_text(value)
            if day_month is not None:
                raise _Problem("amount_date", day=day_month[0], month=day_month[1]) from None
            raise _Problem("amount_invalid") from None
        if not number.is_finite():
            raise _Problem("amount_invalid")
    if number < 0:
        raise _Problem("amount_negative")
    if number == 0 and not allow_zero:
        raise _Problem("amount_zero")
    if number > MAX_AMOUNT:
        raise _Problem("amount_too_large", max=MAX_AMOUNT)
    if isinstance(number, Decimal):
        if number != number.to_integral_value():
            exponent = number.normalize().as_tuple().exponent
            if isinstance(exponent, int) and exponent < -2:
                raise _Problem("amount_fraction_ore")
            raise _Problem("amount_not_whole")
        return int(number)
    return number


def _same_currency(value: RawCell, currency: str) -> None:
    """Raise :class:`_Problem` when typed text names another currency than the round's:
    ``3 300 000 kr`` in a round of euros, ``€ 12 500`` in a round of kroner."""
    if type(value) is not str:
        return
    other = [code for code in named_in(value, currency) if code != currency]
    if not other:
        return
    if other[0] == NOK and currency not in KRONER_WORDS["kr"]:
        # "3 300 000 kr" in a round of euros: read as euros it would be wrong by tenfold. In
        # a round of Swedish kronor "kr" is the round's: there "NOK 500" is another currency.
        raise _Problem("amount_in_kroner", expected=currency)
    raise _Problem("amount_other_currency", currency=other[0], expected=currency)


def amount_problem(
    value: object, *, allow_zero: bool = False, currency: str = NOK
) -> Phrase | None:
    """What is wrong with ``value`` as an amount of whole kroner (of ``currency``, the
    round's), in the words the cell checks use (``validate.amount_*``), or None if it is one:
    for amounts given elsewhere than in a cell (a policy file, an option)."""
    cell = value if isinstance(value, str | int | float | Decimal | bool) else str(value)
    try:
        _amount(cell, allow_zero=allow_zero, currency=currency)
    except _Problem as problem:
        return Phrase(f"validate.{problem.code}", value=_cell_text(cell).strip(), **problem.params)
    return None


_TYPED_AMOUNT = re.compile(
    r"([1-9][0-9]{0,2}(?:[ \u00a0\u202f][0-9]{3})+|[1-9][0-9]*)"  # 3 300 000 or 3300000
    r"(?:[ \u00a0]?kr)?"
)
"""The common typed amount: ASCII digits, grouped in threes by a space or no-break space or not
at all, maybe ``kr`` after, which :func:`_amount` reads as those digits (a test holds it to
that); the full parser takes some 100 000 instructions a text."""
_GROUPING = re.compile("[ \u00a0\u202f]")

_ID_SCIENTIFIC = re.compile(r"[+-]?\d(?:[.,]\d+)?E[+-]?\d{1,3}", re.IGNORECASE)
"""An id as Excel writes a number of 12 digits or more in a CSV file (``1,23457E+11``): its
digits are lost, and several ids may read alike."""


def _scientific_among(texts: list[str]) -> bool:
    """Whether any of ``texts`` is an id in scientific notation (:data:`_ID_SCIENTIFIC`): ids
    without an E are passed over in one look at them all (100 000 ids: 1 ms against 12)."""
    joined = "".join(texts)
    return ("E" in joined or "e" in joined) and any(map(_ID_SCIENTIFIC.fullmatch, texts))


# "4." and "4," are 4, as a rank "4." is (a mark left after the digits, or an ordinal's stop).
_SCORE = re.compile(r"^[+\-−]?\d+(?:[.,]\d*)?$")
_SPACES = re.compile(f"[\\s\u00a0\u202f\u2009\u2007{INVISIBLE}]+")


def _score(value: RawCell) -> Decimal:
    """An exact score: numbers, or text with a decimal point or comma ('4,5')."""
    if isinstance(value, bool):
        raise _Problem("score_invalid")
    if isinstance(value, date):
        # 4.5 typed into a spreadsheet set to Norwegian becomes 4 May.
        raise _Problem("score_date", day=value.day, month=value.month)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value.is_integer():
            return Decimal(int(value))
        if math.isfinite(value):
            # As the spreadsheet shows and compares it: equal averages are equal scores.
            return to_decimal(value)
        raise _Problem("score_invalid")
    if isinstance(value, Decimal):
        if value.is_finite():
            return value
        raise _Problem("score_invalid")
    if isinstance(value, str):
        text = _SPACES.sub("", value)
        if _SCORE.match(text):
            return Decimal(text.replace(",", ".").replace("−", "-"))
        if text.endswith("%") and _SCORE.match(text[:-1]):
            # Not read as 85: a cell typed 85 % in Excel holds 0,85, and the two in one column
            # would put 0,85 last.
            raise _Problem("score_percent", number=text[:-1])
        day_month = _date_text(text)
        if day_month is not None:
            raise _Problem("score_date", day=day_month[0], month=day_month[1])
    raise _Problem("score_invalid")


def _rank(value: RawCell) -> int:
    """A rank: a whole number from 1 (1 first) to :data:`~tilskudd.models.MAX_RANK`."""
    number: Decimal | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float) and math.isfinite(value):
        number = to_decimal(value)
    elif isinstance(value, Decimal) and value.is_finite():
        number = value
    elif isinstance(value, str):
        text = _SPACES.sub("", value).rstrip(".")
        try:
            number = Decimal(text.replace(",", ".")) if text else None
        except InvalidOperation:
            number = None
        if number is not None and not number.is_finite():
            number = None
    if number is None:
        raise _Problem("rank_invalid")
    if number != number.to_integral_value():
        raise _Problem("rank_not_whole")
    if number < 1:
        raise _Problem("rank_below_one")
    if number > MAX_RANK:
        raise _Problem("rank_too_large", max=MAX_RANK)
    return int(number)


_ORGNR_PLACEHOLDER = re.compile(r"^\s*(?:0+|[-–—]+)\s*$")


def _formula(value: FormulaWithoutValue) -> str:
    """The formula as the spreadsheet shows it, with its leading '='."""
    text = value.formula.strip()
    return text if text.startswith("=") else f"={text}"


def _cell_error(value: FormulaWithoutValue) -> tuple[str, dict[str, Any]]:
    """The issue code and parameters for a cell whose value is an error (``#N/A``)."""
    if value.formula == UNREAD_FORMULA:  # an .xls or .xlsb: a formula failed, its text unread
        return "cell_error_formula_unread", {"error": value.error}
    if value.formula:
        return "cell_error_formula", {"error": value.error, "formula": _formula(value)}
    return "cell_error", {"error": value.error}


def _fold(text: str) -> str:
    return text.strip().casefold().replace("å", "a").replace("aa", "a")


# --- the row check --------------------------------------------------------------------------

_POS = {field: position for position, field in enumerate(FIELDS)}
_NO_COLUMN = 1 << 30


class _Row:
    """One row while it is being checked: its cells by field, what was read, its problems."""

    __slots__ = ("data", "extra", "has_error", "id", "issues", "number", "vals")

    def __init__(self, number: int, vals: tuple[RawCell, ...], row_id: str) -> None:
        self.number = number
        self.vals = vals
        """The raw cell of every field, in :data:`FIELDS` order (None when no column)."""
        self.id = row_id
        self.data: dict[str, Any] = {}
        self.extra: dict[str, CellValue] = {}
        self.issues: list[tuple[int, Issue]] | None = None
        self.has_error = False


class _Checker:
    """Checks the rows of one table; holds what every row shares (columns, register, caches).

    :meth:`quick` takes a row of common cells with nothing to report; :meth:`check` takes any
    row, handles the common case of each field inline, and hands anything else to a slower
    method that knows how to report it.
    """

    def __init__(self, table: RawTable, register: str, currency: str = NOK) -> None:
        self.table = table
        self.currency = currency
        self.register = get_register(register)
        self.fields = {f: i for f, i in table.fields.items() if f in FIELDS}
        width = max([len(table.headers), *(i + 1 for i in table.fields.values())])
        width = max([width, *(i + 1 for i in table.extra.values())])
        self.width = width
        # Every row is padded to `width` plus one None, so a missing field reads index -1.
        self.pad: tuple[None, ...] = (None,) * (width + 1)
        self.getter = itemgetter(*(self.fields.get(f, -1) for f in FIELDS))
        # A column of the sheet's own is carried under its header, shown as every text is.
        self.extra = sorted(
            ((visible(header), index) for header, index in table.extra.items()),
            key=lambda item: item[1],
        )
        self.hidden_headers = [(h, i) for h, i in table.extra.items() if has_hidden(h)]
        """The headers of carried columns that hold what :func:`visible` shows as codes."""
        self.org_id_extra = table.extra.get(ORG_ID_COLUMN)
        """The column carried as :data:`ORG_ID_COLUMN`, whose identifier names the organisation
        of a row without an organisation number (``Recipient Org:Identifier`` mapped to
        ``extra`` beside an orgnr column), or None."""
        self._orgnr: dict[str | float, str | OrgnrError] = {}
        self._counties: dict[tuple[RawCell, tuple[str, ...]], tuple[str, ...]] = {}
        self._places: dict[RawCell, tuple[tuple[str, ...], tuple[str, ...], tuple[Any, ...]]] = {}
        self._scores: dict[float, Decimal] = {}
        self._amounts: dict[str, int] = {}
        """Amount texts that read as a whole number of kroner above 0, and that number."""
        # Excel saves CSV with ";" where the decimal mark is the comma (Norwegian settings):
        # there "250.000" is 250 000 kr, while in a comma-separated file it may be 250 (and in
        # one of Swiss francs, whose Excel saves ";" with a decimal point).
        self.dot_groups = groups_by_dots(table.delimiter, currency)
        self._score_texts: dict[str, Decimal] = {}
        self._rank_texts: dict[str, int] = {}
        self.other_required: list[tuple[int, ...]] = []
        """Positions of each required group other than ``requested`` (set by the caller)."""
        self.identifying = [f for f in _IDENTIFYING if f in self.fields]
        """The columns that say whose application a row is, among those the table has."""
        org_at = self.fields.get("orgnr")
        self.org_id_column = (
            org_at is not None
            and org_at < len(table.headers)
            and normalize_header(table.headers[org_at]) == _ORG_ID_HEADER
        )
        """The orgnr column is 360Giving's Recipient Org:Identifier (:func:`_open_data_columns`)."""

    # --- issues -------------------------------------------------------------------------------

    def location(self, row: int | None, column: int | None) -> Location:
        table = self.table
        if column is None:
            return Location(file=table.file, sheet=table.sheet, row=row)
        header = visible(table.headers[column]) if column < len(table.headers) else None
        return Location(
            file=table.file,
            sheet=table.sheet,
            row=row,
            column=column_letter(column),
            header=header or None,
        )

    def add(
        self,
        row: _Row,
        field: str | None,
        code: str,
        params: dict[str, Any] | None = None,
        *,
        severity: Severity = Severity.ERROR,
        value: RawCell = None,
        column: int | None = None,
    ) -> None:
        if column is None and field is not None:
            column = self.fields.get(field)
        if (type(value) is float or type(value) is Decimal) and _decimal_cell(value):
            # The cell's number, so the message writes it in its language ('-1,5' in nb), as a
            # spreadsheet set to that language shows it. (A value from a TOML file or an option
            # is quoted as typed, to be found where it was typed: amount_problem.)
            number = value if type(value) is Decimal else Decimal(repr(value))
            params = {**(params or {}), "value": number}
        issue = Issue(
            severity=severity,
            code=f"validate.{code}",
            params=params or {},
            location=self.location(row.number, column),
            field=field,
            value=None if value is None else _cell_text(value),
            application_id=row.id,
        )
        if row.issues is None:
            row.issues = []
        row.issues.append((_NO_COLUMN if column is None else column, issue))
        if severity is Severity.ERROR:
            row.has_error = True

    def add_issue(self, row: _Row, issue: Issue) -> None:
        """A problem the reader found with the whole row, listed first among the row's own."""
        if row.issues is None:
            row.issues = []
        row.issues.append((-1, issue.model_copy(update={"application_id": row.id})))
        if issue.severity is Severity.ERROR:
            row.has_error = True

    # --- cells --------------------------------------------------------------------------------

    def values(self, cells_list: Sequence[Sequence[RawCell]]) -> Iterator[tuple[RawCell, ...]]:
        """Every row's field cells in :data:`FIELDS` order (None where there is no column)."""
        indices = [self.fields.get(f) for f in FIELDS]
        used = [i for i in indices if i is not None]
        if not used or min(map(len, cells_list), default=0) <= max(used):
            # Short rows (a CSV line that stops early): pad each one.
            return map(self.values_of, cells_list)
        # Column by column in C (itemgetter, repeat, zip): about 0.2 µs a row, not 1.2; zip
        # reuses its tuple when the row's check has let go of it.
        columns = [repeat(None) if i is None else map(itemgetter(i), cells_list) for i in indices]
        return zip(*columns, strict=False)  # repeat(None) never ends

    def values_of(self, cells: Sequence[RawCell]) -> tuple[RawCell, ...]:
        """One row's field cells in :data:`FIELDS` order (None where there is no column)."""
        return self.getter([*cells, *self.pad])  # type: ignore[no-any-return]

    def quick(
        self, number: int, row_id: str, vals: tuple[RawCell, ...], cells: Sequence[RawCell]
    ) -> RowData | None:
        """The row's data (in :data:`_DATA` order) when every cell is of the common kind and
        nothing is wrong, else None.

        Builds exactly what :meth:`check` would for such a row, at a fraction of the cost: a float
        amount, a text, a plain or already checked orgnr, a municipality cell of known items.
        Any other cell, and every problem, is left to :meth:`check` (it returns None). A
        property test checks that both give the same result.

        What it returns is already what :class:`~tilskudd.models.Application` holds, and
        :func:`_direct` builds the application on that word: exact ``int`` amounts above 0 with
        the total cost at least the request, exact ``str`` texts (``strip`` makes one), an orgnr
        of 9 ASCII digits, tuples of ``str`` from the register, a finite ``Decimal`` score, a
        rank from 1, no decision. Only what comes from the table as it is, the row number and
        the carried cells, is checked there again. A property test compares the applications
        with pydantic's.
        """
        (
            v_id,
            v_applicant,
            v_orgnr,
            v_project,
            v_municipalities,
            v_county,
            v_requested,
            v_total_cost,
            v_score,
            v_rank,
            v_category,
            v_decision,
            v_decision_amount,
            v_decision_reason,
        ) = vals
        if v_decision is not None or v_decision_amount is not None:
            return None

        if type(v_requested) is float and v_requested.is_integer() and 0 < v_requested <= _MAX:
            requested = int(v_requested)
        elif type(v_requested) is int and 0 < v_requested <= MAX_AMOUNT:
            requested = v_requested
        elif type(v_requested) is str:
            amount = self._amounts.get(v_requested) or self.plain_amount(v_requested)
            if amount is None:
                return None
            requested = amount
        else:
            return None
        if v_total_cost is None:
            total_cost: int | None = None
        elif type(v_total_cost) is float and v_total_cost.is_integer():
            if v_total_cost < requested or v_total_cost > _MAX:
                return None
            total_cost = int(v_total_cost)
        elif type(v_total_cost) is int and requested <= v_total_cost <= MAX_AMOUNT:
            total_cost = v_total_cost
        elif type(v_total_cost) is str:
            total_cost = self._amounts.get(v_total_cost) or self.plain_amount(v_total_cost)
            if total_cost is None or total_cost < requested:
                return None
        else:
            return None

        if type(v_applicant) is str:
            applicant = v_applicant.strip() or None
        elif v_applicant is None:
            applicant = None
        else:
            return None
        if type(v_project) is str:
            project = v_project.strip() or None
        elif v_project is None:
            project = None
        else:
            return None
        if type(v_category) is str:
            category = v_category.strip() or None
        elif v_category is None:
            category = None
        else:
            return None
        if type(v_decision_reason) is str:
            decision_reason = v_decision_reason.strip() or None
        elif v_decision_reason is None:
            decision_reason = None
        else:
            return None
        if not (
            (applicant is None or applicant.isprintable())
            and (project is None or project.isprintable())
            and (type(v_id) is not str or v_id.isprintable())
            and (category is None or category.isprintable())
            and (decision_reason is None or decision_reason.isprintable())
        ):
            # A line break, a no-break space, or what check() shows as its code and warns of.
            for text in (v_id, applicant, project, category, decision_reason):
                if type(text) is str and has_hidden(text):
                    return None
        if (
            (applicant is not None and len(applicant) > _SURELY_FITS)
            or (project is not None and len(project) > _SURELY_FITS)
            or (category is not None and len(category) > _SURELY_FITS)
            or (decision_reason is not None and len(decision_reason) > _SURELY_FITS)
        ):
            return None  # check() measures it, and warns if a spreadsheet cell cannot hold it

        if v_orgnr is None:
            orgnr = None
        elif type(v_orgnr) is str or type(v_orgnr) is float:
            # The cache first: orgnrs repeat, and a look-up is a tenth of the digit check.
            cached = self._orgnr.get(v_orgnr)
            if cached is None:
                if type(v_orgnr) is str and v_orgnr[:1] != "0" and is_plain_valid_orgnr(v_orgnr):
                    cached = self._orgnr[v_orgnr] = v_orgnr  # what validate_orgnr gives
                elif (
                    type(v_orgnr) is float
                    and 100_000_000 <= v_orgnr < 1_000_000_000
                    and v_orgnr.is_integer()
                    and is_plain_valid_orgnr(digits := str(int(v_orgnr)))
                ):
                    # A number cell (974760673.0): validate_orgnr reads it as these digits, and
                    # python-stdnum would take some 50 µs to agree.
                    cached = self._orgnr[v_orgnr] = digits
                elif not _cell_text(v_orgnr).strip() or _ORGNR_PLACEHOLDER.match(
                    _cell_text(v_orgnr)
                ):
                    return None
                else:
                    cached = self.orgnr_result(v_orgnr)
            if type(cached) is not str:
                return None
            orgnr = cached
        else:
            return None

        if v_municipalities is None:
            municipalities: tuple[str, ...] = ()
            derived: tuple[str, ...] = ()
        elif type(v_municipalities) is str:
            if not v_municipalities.isprintable() and has_hidden(v_municipalities):
                return None  # check() warns of it
            places = self._places.get(v_municipalities)
            if places is None:
                found = self.register.municipality_numbers(v_municipalities)
                if found is None:
                    return None
                places = (*found, ())
                self._places[v_municipalities] = places
            elif places[2]:
                return None
            municipalities, derived, _ = places
        else:
            return None
        counties: tuple[str, ...] | None = derived
        if v_county is not None:
            if type(v_county) is str and not v_county.isprintable() and has_hidden(v_county):
                return None  # check() warns of it
            counties = self._counties.get((v_county, derived))
            if counties is None:
                counties = self.quiet_counties(v_county, derived)
                if counties is None:
                    return None

        if v_score is None:
            score: Decimal | None = None
        elif type(v_score) is float:
            score = self._scores.get(v_score)
            if score is None:
                if v_score - v_score != 0:  # inf or nan
                    return None
                score = Decimal(int(v_score)) if v_score.is_integer() else to_decimal(v_score)
                self._scores[v_score] = score
        elif type(v_score) is str:
            # Text, as every CSV cell is: what check_number gives when there is nothing to say.
            score = self._score_texts.get(v_score)
            if score is None and v_score.strip():
                try:
                    score = self._score_texts[v_score] = _score(v_score)
                except _Problem:
                    return None
        else:
            return None
        if v_rank is None:
            rank = None
        elif type(v_rank) is float and v_rank.is_integer() and 1 <= v_rank <= MAX_RANK:
            rank = int(v_rank)
        elif type(v_rank) is str:
            rank = self._rank_texts.get(v_rank)
            if rank is None and v_rank.strip():
                try:
                    rank = self._rank_texts[v_rank] = _rank(v_rank)
                except _Problem:
                    return None
        else:
            return None

        for positions in self.other_required:
            for position in positions:
                value = vals[position]
                if value is not None and not (type(value) is str and not value.strip()):
                    break
            else:
                return None

        extra: dict[str, CellValue] = {}
        if self.extra:
            size = len(cells)
            for header, index in self.extra:
                value = cells[index] if index < size else None
                if value is None or type(value) is str:
                    if index == self.org_id_extra and spaced_org_id(value or "") is not None:
                        return None  # check() refuses it (org_id_spaced)
                    if value is not None and not value.isprintable() and has_hidden(value):
                        return None  # carry() shows them and warns
                    if value is not None and len(value) > _SURELY_FITS:
                        return None  # carry() measures it
                    extra[header] = value
                elif isinstance(value, FormulaWithoutValue):
                    return None
                else:
                    extra[header] = _carry(value)

        # In _DATA order; a tuple is made faster and takes 300 bytes less than a dict.
        return (
            row_id,
            requested,
            applicant,
            orgnr,
            project,
            municipalities,
            counties,
            total_cost,
            score,
            rank,
            category,
            None,
            None,
            decision_reason,
            number,
            extra,
        )

    def plain_amount(self, text: str) -> int | None:
        """The whole kroner above 0 an amount text reads as, or None when it has a problem.

        What :meth:`check_amount` gives for such a cell with nothing to report (cached: typed
        amounts repeat).
        """
        match = _TYPED_AMOUNT.fullmatch(text)
        if match and self.currency != NOK and not text[-1].isdigit():
            match = None  # "3 300 kr" in a round of another currency: _amount judges it
        if match:
            amount = int(_GROUPING.sub("", match[1]))
            if amount > MAX_AMOUNT:
                return None
        else:
            try:
                amount = _amount(text, dot_groups=self.dot_groups, currency=self.currency)
            except _Problem:
                return None
        self._amounts[text] = amount
        return amount

    def raw(self, row: _Row, field: str) -> RawCell:
        """The cell of ``field`` as read (None when there is no such column)."""
        return row.vals[_POS[field]]

    def cell(self, row: _Row, field: str) -> RawCell:
        """The cell of ``field``; a formula without a value is reported (call once per field)."""
        value = row.vals[_POS[field]]
        if isinstance(value, FormulaWithoutValue):
            formula = _formula(value)
            if value.error is not None:
                code, params = _cell_error(value)
                self.add(row, field, code, params, value=value.error)
                return None
            code = "formula_recalc" if value.recalc else "formula_without_value"
            self.add(row, field, code, {"formula": formula}, value=formula)
            return None
        return value

    # --- the row ------------------------------------------------------------------------------

    def check(self, row: _Row, generated: bool) -> None:
        """Every field of one row into ``row.data``; problems are added to ``row.issues``."""
        (
            v_id,
            v_applicant,
            v_orgnr,
            v_project,
            v_municipalities,
            v_county,
            v_requested,
            v_total_cost,
            v_score,
            v_rank,
            v_category,
            v_decision,
            v_decision_amount,
            v_decision_reason,
        ) = row.vals
        if generated:
            if isinstance(v_id, FormulaWithoutValue):
                self.cell(row, "id")
            elif (type(v_id) is float or type(v_id) is int or type(v_id) is Decimal) and (
                problem := _id_number_problem(v_id)
            ) is not None:
                self.add(row, "id", problem[0], problem[1], value=v_id)
            elif type(v_id) is str and _ID_SCIENTIFIC.fullmatch(v_id.strip()):
                self.add(row, "id", "id_scientific", value=v_id)
            elif self.identifying and all(
                map(is_empty, (v_applicant, v_orgnr, v_project, v_municipalities))
            ):
                # Only an amount (and a score, perhaps): a subtotal of filtered rows, a note, a
                # figure left over. Funding it would pay no one.
                self.add(row, None, "unidentified", {"fields": self.identifying})
            elif (
                is_empty(v_orgnr)
                and is_empty(v_municipalities)
                and (total := _totals_text(v_applicant, v_project))
            ):
                # "Sum teater" whose amount is not the sum of the rows above it (a SUBTOTAL
                # of filtered rows, a figure typed in): the reader took it for an application.
                self.add(row, total[0], "totals_row", value=total[1])
            elif "id" in self.fields:
                self.add(row, "id", "id_generated", {"id": row.id}, severity=Severity.WARNING)

        # Text cells, written out field by field: this runs 100k times.
        if type(v_applicant) is str:
            applicant = v_applicant.strip() or None
        else:
            applicant = None if v_applicant is None else _text(self.cell(row, "applicant"))
        if type(v_project) is str:
            project = v_project.strip() or None
        else:
            project = None if v_project is None else _text(self.cell(row, "project"))
        if type(v_category) is str:
            category = v_category.strip() or None
        else:
            category = None if v_category is None else _text(self.cell(row, "category"))
        if v_decision_reason is None:
            decision_reason = None
        elif type(v_decision_reason) is str:
            decision_reason = v_decision_reason.strip() or None
        else:
            decision_reason = _text(self.cell(row, "decision_reason"))
        if type(v_id) is str and has_hidden(v_id):
            self.hidden(row, "id", v_id)  # the id is made visible by _given_id
        if applicant is not None and has_hidden(applicant):
            applicant = self.hidden(row, "applicant", applicant)
        if project is not None and has_hidden(project):
            project = self.hidden(row, "project", project)
        if category is not None and has_hidden(category):
            category = self.hidden(row, "category", category)
        if decision_reason is not None and has_hidden(decision_reason):
            decision_reason = self.hidden(row, "decision_reason", decision_reason)
        for field, text in (
            ("applicant", applicant),
            ("project", project),
            ("category", category),
            ("decision_reason", decision_reason),
        ):
            if text is not None and len(text) > _SURELY_FITS:
                self.measure(row, field, text)

        if v_orgnr is None:
            orgnr = None
        elif type(v_orgnr) is str and v_orgnr[:1] != "0" and is_plain_valid_orgnr(v_orgnr):
            orgnr = v_orgnr
        else:
            is_key = type(v_orgnr) is str or type(v_orgnr) is float
            cached = self._orgnr.get(v_orgnr) if is_key else None  # type: ignore[arg-type]
            orgnr = cached if type(cached) is str else self.check_orgnr(row, v_orgnr)

        if v_municipalities is None:
            municipalities: tuple[str, ...] = ()
            derived: tuple[str, ...] = ()
        else:
            places = self._places.get(v_municipalities) if type(v_municipalities) is str else None
            if places is None or places[2]:
                places = self.check_municipalities(row, v_municipalities)
            municipalities, derived, _ = places
        if v_county is None:
            counties = derived
        else:
            counties = self._counties.get((v_county, derived)) or self.check_county(
                row, v_county, derived
            )
        for field, place in (("municipalities", v_municipalities), ("county", v_county)):
            if type(place) is str and not place.isprintable() and has_hidden(place):
                self.hidden_in_place(row, field, place)

        if type(v_requested) is float and v_requested.is_integer() and 0 < v_requested <= _MAX:
            requested: int | None = int(v_requested)
        elif type(v_requested) is int and 0 < v_requested <= MAX_AMOUNT:
            requested = v_requested
        else:
            requested = self.check_amount(row, "requested")
        if type(v_total_cost) is float and v_total_cost.is_integer() and 0 < v_total_cost <= _MAX:
            total_cost: int | None = int(v_total_cost)
        elif v_total_cost is None:
            total_cost = None
        else:
            total_cost = self.check_amount(row, "total_cost")
        if requested is not None and total_cost is not None and requested > total_cost:
            self.add(
                row,
                "requested",
                "requested_above_cost",
                {"requested": requested, "total_cost": total_cost},
                value=v_requested,
            )

        if type(v_score) is float and v_score - v_score == 0:  # finite (inf - inf is nan)
            score: Decimal | None = (
                Decimal(int(v_score)) if v_score.is_integer() else Decimal(repr(v_score))
            )
        elif v_score is None:
            score = None
        else:
            score = self.check_number(row, "score", _score)
        if v_rank is None:
            rank = None
        elif type(v_rank) is float and v_rank.is_integer() and 1 <= v_rank <= MAX_RANK:
            rank = int(v_rank)
        else:
            rank = self.check_number(row, "rank", _rank)

        decision: DecisionWord | None = None
        decision_amount: int | None = None
        if v_decision is not None or v_decision_amount is not None:
            decision, decision_amount = self.check_decision(row, requested, decision_reason)

        row.data = {
            "id": row.id,
            "requested": requested,
            "applicant": applicant,
            "orgnr": orgnr,
            "project": project,
            "municipalities": municipalities,
            "counties": counties,
            "total_cost": total_cost,
            "score": score,
            "rank": rank,
            "category": category,
            "decision": decision,
            "decision_amount": decision_amount,
            "decision_reason": decision_reason,
            "row": row.number,
        }

    def hidden(self, row: _Row, field: str | None, text: str, column: int | None = None) -> str:
        """``text`` with its bidi controls and control characters shown as their codes
        (:func:`~tilskudd.controls.visible`), and a warning on its cell saying which."""
        shown = visible(text)
        characters = hidden_in(text)
        excerpt = shown
        if len(excerpt) > _EXCERPT:
            # A title pasted whole: the message quotes the part around the first code.
            start = max(0, shown.index("<U+") - _EXCERPT // 2)
            excerpt = shown[start : start + _EXCERPT]
            excerpt = (
                ("…" if start else "") + excerpt + ("…" if start + _EXCERPT < len(shown) else "")
            )
        self.add(
            row,
            field,
            "hidden_characters",
            {"characters": list(characters), "count": len(characters), "shown": excerpt},
            severity=Severity.WARNING,
            column=column,
        )
        return shown

    def hidden_in_place(self, row: _Row, field: str, text: str) -> None:
        """The warning of :meth:`hidden` on a place cell, unless an error on the cell says
        which character keeps its place from being read (:func:`_params`)."""
        if field == "municipalities":
            _, problems = self.register.find_municipalities(text)  # cached: no second parse
        else:
            _, problems = self.register.find_counties(text)
        if not any(has_hidden(str(p.params.get("item") or "")) for p in problems):
            self.hidden(row, field, text)

    def measure(self, row: _Row, field: str | None, text: str, column: int | None = None) -> None:
        """A warning on the cell when ``text`` is longer than a spreadsheet cell holds, as Excel
        counts it (UTF-16 code units: an emoji is two): the workbooks cut it."""
        length = len(text.encode("utf-16-le")) // 2
        if length > CELL_CHARS:
            params = {"length": length, "max": CELL_CHARS}
            self.add(row, field, "text_too_long", params, severity=Severity.WARNING, column=column)

    def check_amount(self, row: _Row, field: str, *, allow_zero: bool = False) -> int | None:
        value = self.cell(row, field)
        if is_empty(value):
            return None
        try:
            return _amount(
                value, allow_zero=allow_zero, dot_groups=self.dot_groups, currency=self.currency
            )
        except _Problem as problem:
            self.add(row, field, problem.code, problem.params, value=value)
            return None

    def check_number(self, row: _Row, field: str, parse: Callable[[RawCell], Any]) -> Any:
        value = self.cell(row, field)
        if is_empty(value):
            return None
        try:
            return parse(value)
        except _Problem as problem:
            self.add(row, field, problem.code, problem.params, value=value)
            return None

    def check_orgnr(self, row: _Row, value: RawCell) -> str | None:
        value = self.cell(row, "orgnr")
        if is_empty(value):
            return None
        if _ORGNR_PLACEHOLDER.match(_cell_text(value)):
            # Data sets write 0 or - for "no organisation number" (49 of 171 rows in the
            # Research Council's): say so, but the orgnr is optional, so the row stays valid.
            self.add(row, "orgnr", "orgnr_placeholder", severity=Severity.WARNING, value=value)
            return None
        if self.org_id_column and type(value) is str:
            # Left here by _open_data_columns: another register's identifier with a space in
            # it. Which organisation it names is not certain, and per_applicant_max and the
            # funded-twice check must not count it as another's, or as a second one.
            written = spaced_org_id(value)
            if written is not None:
                params = {"suggestion": written, "certain": int(bool(written))}
                self.add(row, "orgnr", "org_id_spaced", params, value=value)
                return None
        if type(value) is str or type(value) is float:
            result = self.orgnr_result(value)
        else:
            try:
                result = validate_orgnr(value)
            except OrgnrError as exc:
                result = exc
        if isinstance(result, OrgnrError):
            self.add(row, "orgnr", result.code, dict(result.params), value=value)
            return None
        return result

    def orgnr_result(self, value: str | float) -> str | OrgnrError:
        """The orgnr's digits, or the error saying why not (cached: orgnrs repeat)."""
        result = self._orgnr.get(value)
        if result is None:
            try:
                result = validate_orgnr(value)
            except OrgnrError as exc:
                result = exc
            self._orgnr[value] = result
        return result

    def quiet_counties(self, value: RawCell, derived: tuple[str, ...]) -> tuple[str, ...] | None:
        """The counties of a county cell when there is nothing to report about it, else None.

        What :meth:`check_county` gives for a text naming counties that are all known and among
        the municipalities' (or without municipalities); cached for the next such row.
        """
        if type(value) is not str:
            return None
        found, problems = self.register.find_counties(value)
        given = tuple(c.number for c in found)
        if not given or problems or (derived and set(given) - set(derived)):
            return None
        counties = given + tuple(c for c in derived if c not in given)
        self._counties[(value, derived)] = counties
        return counties

    def check_municipalities(
        self, row: _Row, value: RawCell
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Any, ...]]:
        value = self.cell(row, "municipalities")
        if is_empty(value):
            return (), (), ()
        found, problems = self.register.find_municipalities(value)
        problems = tuple(self.county_named(problem) for problem in problems)
        derived: list[str] = []  # counties in the order their municipalities come
        for m in found:
            if m.county_number not in derived:
                derived.append(m.county_number)
        result = (tuple(m.number for m in found), tuple(derived), tuple(problems))
        if type(value) is str:
            self._places[value] = result
        for problem in problems:
            severity = Severity.WARNING if problem.warning else Severity.ERROR
            self.add(
                row,
                "municipalities",
                problem.code,
                _params(problem),
                value=value,
                severity=severity,
            )
        return result

    def county_named(self, problem: RegistryError) -> RegistryError:
        """A county's name where a municipality was expected ("Akershus") says so; "did you mean
        Asker?" would lead the officer to the wrong place."""
        item = problem.params.get("item")
        if not problem.is_unknown or not isinstance(item, str):
            return problem
        counties, county_problems = self.register.find_counties(item)
        if len(counties) == 1 and not county_problems:
            county = f"{counties[0].number} {counties[0].name}"
        elif (
            not counties
            and len(county_problems) == 1
            and county_problems[0].code in ("county_name_moved", "county_name_other_register")
            and len(county_problems[0].params["candidates"]) == 1
        ):
            # A county of another numbering ("Akershus" under 2020, "Hedmark" under 2024) is
            # no misspelt municipality either ("did you mean Asker?").
            county = county_problems[0].params["candidates"][0]
        else:
            return problem
        return RegistryError(
            "municipality_is_county",
            item=item,
            county=county,
            register=self.register.year,
        )

    def check_county(self, row: _Row, value: RawCell, derived: tuple[str, ...]) -> tuple[str, ...]:
        value = self.cell(row, "county")
        if is_empty(value):
            return derived
        found, problems = self.register.find_counties(value)
        for problem in problems:
            self.add(row, "county", problem.code, _params(problem), value=value)
        given = tuple(c.number for c in found)
        key = (value, derived)
        # A county none of the municipalities is in: a lead's own county among several
        # (Rogaland for a Rogaland-Hordaland collaboration) is normal and not reported.
        if given and derived and not problems and set(given) - set(derived):
            names = self.register.counties
            self.add(
                row,
                "county",
                "county_disagrees",
                {
                    "given": [f"{n} {names[n].name}" for n in given],
                    "derived": [f"{n} {names[n].name}" for n in derived],
                },
                severity=Severity.WARNING,
                value=value,
            )
        # The column names the lead's county; a collaboration also counts in its partners'
        # counties (per-county figures), so the municipalities' counties follow it.
        counties = given + tuple(c for c in derived if c not in given)
        warned = bool(derived) and bool(set(given) - set(derived))
        if given and not problems and type(value) is str and not warned:
            self._counties[key] = counties  # nothing to report: the next such row is fast
        return counties

    def check_decision(
        self, row: _Row, requested: int | None, reason: str | None
    ) -> tuple[DecisionWord | None, int | None]:
        raw = self.cell(row, "decision")
        decision: DecisionWord | None = None
        given = _cell_text(raw).strip()
        if not is_empty(raw):
            decision = DECISIONS.get(_fold(given))
            if decision is None:
                self.add(
                    row,
                    "decision",
                    "decision_invalid",
                    {"accepted": list(_ACCEPTED_DECISIONS)},
                    value=raw,
                )
        amount = self.check_amount(row, "decision_amount", allow_zero=True)
        amount_cell = self.raw(row, "decision_amount")
        if decision is not None and reason is None:
            # Issue 4: "a required decision_reason"; every decision must be justified.
            column = self.fields.get("decision_reason", self.fields.get("decision"))
            self.add(
                row,
                "decision_reason",
                "decision_reason_missing",
                {"decision": decision, "given": given},
                column=column,
            )
        if decision == "fund":
            if amount is None and is_empty(amount_cell):
                # Not the request by default: an override moves money, so it must say how much.
                column = self.fields.get("decision_amount", self.fields.get("decision"))
                self.add(
                    row,
                    "decision_amount",
                    "decision_amount_missing",
                    {"requested": requested},
                    column=column,
                )
            elif amount == 0:
                self.add(row, "decision_amount", "decision_amount_zero", value=amount_cell)
            elif amount is not None and requested is not None and amount > requested:
                self.add(
                    row,
                    "decision_amount",
                    "decision_amount_above_requested",
                    {"amount": amount, "requested": requested},
                    value=amount_cell,
                )
        elif decision is not None and amount:
            self.add(
                row,
                "decision_amount",
                "decision_amount_not_fund",
                {"decision": decision, "given": given, "amount": amount},
                value=amount_cell,
            )
        elif decision is None and amount and is_empty(raw):
            self.add(
                row,
                "decision_amount",
                "decision_amount_without_decision",
                {"amount": amount},
                value=amount_cell,
            )
        if decision != "fund" and not amount:
            # Reject and reserve award nothing; an empty amount and 0 mean the same.
            amount = None if amount is None else 0
        return decision, amount

    def carry(self, row: _Row, cells: Sequence[RawCell]) -> dict[str, CellValue]:
        size = len(cells)
        extra: dict[str, CellValue] = {}
        for header, index in self.extra:
            value = cells[index] if index < size else None
            if value is None or type(value) is str:
                extra[header] = value
                if value is not None and has_hidden(value):
                    extra[header] = self.hidden(row, None, value, column=index)
                if value is not None and len(value) > _SURELY_FITS:
                    self.measure(row, None, value, column=index)
                if index == self.org_id_extra and value is not None:
                    # Read as the organisation where the row has no orgnr, and published by
                    # the 360Giving export: refused as in 360Giving's own column (check_orgnr).
                    written = spaced_org_id(value)
                    if written is not None:
                        params = {"suggestion": written, "certain": int(bool(written))}
                        self.add(row, "orgnr", "org_id_spaced", params, value=value, column=index)
            elif isinstance(value, FormulaWithoutValue):
                code = "formula_recalc_extra" if value.recalc else "formula_without_value_extra"
                params = {"formula": _formula(value)}
                if value.error is not None:
                    code, params = _cell_error(value)
                    code += "_extra"
                self.add(
                    row,
                    None,
                    code,
                    params,
                    severity=Severity.WARNING,
                    value=value.error or _formula(value),
                    column=index,
                )
                extra[header] = None
            else:
                extra[header] = _carry(value)
        return extra


def _params(problem: RegistryError) -> dict[str, Any]:
    params = {k: v for k, v in problem.params.items() if v is not None}
    item = params.get("item")
    if isinstance(item, str) and has_hidden(item):
        # What kept the place from being read, said in its error (issues.issue_message).
        params["hidden"] = list(hidden_in(item))
    return params


def _parse_require(require: Iterable[str]) -> list[tuple[str, ...]]:
    groups: list[tuple[str, ...]] = []
    for item in require:
        group = tuple(part.strip() for part in item.split("|") if part.strip())
        unknown = [f for f in group if f not in FIELDS]
        if unknown or not group:
            raise UsageError(
                f"cannot require {item!r}: expected field names among {', '.join(FIELDS)}"
            )
        groups.append(group)
    return groups


def validate(
    table: RawTable,
    *,
    register: str = "2024",
    require: Iterable[str] = ("requested",),
    currency: str = NOK,
) -> ValidationResult:
    """Check every row of ``table``; return the valid applications, rejected rows and issues.

    ``register`` is the municipality numbering ("2009", "2020" or "2024"). ``require`` names
    fields that must have a column and a value on every row; ``"score|rank"`` means at least one
    of them. ``requested`` is always required: an application is a request for money.
    ``currency``: the ISO 4217 code the round counts in, which a currency column or line in the
    file must give.
    """
    groups = _parse_require(require)
    with collector_paused():
        found = _check_rows(table, register, groups, currency)
        applications = _build(
            found.good, found.checked, found.checker, found.issues, found.rejected_rows
        )
        return ValidationResult(
            applications=tuple(applications),
            **found.outcome(map(_ID_OF, applications)),
        )


_Checked = TypeVar("_Checked", ValidationResult, CheckedTable)


def with_budget(checked: _Checked, budget: int | None) -> _Checked:
    """``checked`` with the warning about amounts kept in thousands weighed against the round's
    ``budget`` too (:func:`tilskudd.thousands.thousands_warning`), in place of the one from the
    sheet alone: the round asks for a few thousandths of its budget. The same result when
    there is no budget, or nothing to add."""
    if not budget or checked.requested is None:
        return checked
    warning = thousands_warning(checked.requested, budget)
    issues = list(checked.issues)
    at = next((i for i, issue in enumerate(issues) if issue.code in THOUSANDS_CODES), None)
    if warning is None or (at is not None and issues[at] == warning):
        return checked
    if at is None:
        # With the sheet's own warnings, before the rows': after the last issue of no row.
        at = next((i for i, issue in enumerate(issues) if issue.application_id), len(issues))
        issues.insert(at, warning)
    else:
        issues[at] = warning
    return replace(checked, issues=tuple(issues))


def check_table(
    table: RawTable,
    *,
    register: str = "2024",
    require: Iterable[str] = ("requested",),
    currency: str = NOK,
) -> CheckedTable:
    """Check every row of ``table`` as :func:`validate` does, for a report of what was found.

    The same issues and rejected rows; the valid applications are made only when first read,
    since a report needs their number only. A row the checks accept always makes a valid
    :class:`~tilskudd.models.Application` (a property test holds them to it); if one did not,
    reading the applications would raise pydantic's error rather than reject it.
    """
    groups = _parse_require(require)
    with collector_paused():
        found = _check_rows(table, register, groups, currency)
        return CheckedTable(
            applications=_Applications(found.good, found.checked),
            **found.outcome(map(_DATA_ID_OF, found.good)),
        )


class _Found:
    """What checking the rows found, before the applications are made."""

    __slots__ = ("checked", "checker", "good", "issues", "rejected_rows", "requested", "table")

    def __init__(
        self,
        table: RawTable,
        checker: _Checker,
        good: list[RowData],
        checked: list[int],
        rejected_rows: list[tuple[_Row, tuple[Issue, ...]]],
        issues: list[Issue],
        requested: Requested | None = None,
    ) -> None:
        self.requested = requested
        self.table = table
        self.checker = checker
        self.good = good
        self.checked = checked
        """Positions in ``good`` of the rows :meth:`_Checker.quick` did not make."""
        self.rejected_rows = rejected_rows
        self.issues = issues

    def outcome(self, valid_ids: Iterable[str]) -> dict[str, Any]:
        """The result's fields but the applications (whose ``valid_ids`` are given)."""
        table, checker = self.table, self.checker
        # Every application appears once in a result, keyed by id: rejected rows that share an
        # id (the duplicate-id error itself) or clash with a valid one get their row number.
        holders = Counter(row.id for row, _ in self.rejected_rows)
        if holders:
            holders.update(set(holders).intersection(valid_ids))
        id_column = checker.fields.get("id")
        letter = column_letter(id_column) if id_column is not None else "#"
        rejected = [
            _rejected(
                row,
                row_issues,
                row.id if holders[row.id] == 1 else _row_told_apart(row.id, letter, row.number),
                checker.register,
            )
            for row, row_issues in self.rejected_rows
        ]
        return {
            "file": table.file,
            "sheet": table.sheet,
            "header_row": table.header_row,
            "ranking_column": "score" in table.fields or "rank" in table.fields,
            "rejected": tuple(rejected),
            "issues": tuple(self.issues),
            "extra_columns": tuple(header for header, _ in checker.extra),
            "register": checker.register.year,
            "requested": self.requested,
        }


def _rejected(row: _Row, issues: tuple[Issue, ...], row_id: str, register: Register) -> RejectedRow:
    """A rejected row with every cell that was valid as read: a published list of the rejected
    shows what the applicant gave. A cell with an error is left out (the lists show it as typed,
    from its issue); so is a list of places with one bad number (not shown without it, nor with
    the counties of the rest only). In a row whose cells a quotation mark out of place shifted,
    which cell holds what is uncertain: only what was carried before is (applicant, project)."""
    data = row.data
    bad = {i.field for i in issues if i.is_error}
    shifted = any(
        i.code.startswith(_QUOTE_PROBLEM) or i.code in _SHIFTED for i in issues if i.is_error
    )
    read: dict[str, Any] = {}
    if not shifted:
        read = {
            "municipalities": () if "municipalities" in bad else data["municipalities"],
            "counties": _kept_counties(row, bad, register),
            **{f: data[f] for f in ("total_cost", "score", "rank", "category")},
        }
    return RejectedRow(
        id=row_id,
        row=row.number,
        applicant=data["applicant"],
        orgnr=data["orgnr"],
        project=data["project"],
        requested=data["requested"],
        issues=issues,
        extra=row.extra,
        **read,
    )


def _kept_counties(row: _Row, bad: Container[str | None], register: Register) -> tuple[str, ...]:
    """The counties a rejected row keeps: all it was read with, when both places cells were
    valid; none when its county cell was not (shown as typed instead). When only its
    municipalities cell was not, the county cell's own counties, which that cell alone
    makes certain; the municipalities' counties are not (one of them is unknown)."""
    if "county" in bad:
        return ()
    if "municipalities" not in bad:
        return tuple(row.data["counties"])
    value = row.vals[_POS["county"]]
    if is_empty(value):
        return ()
    found, problems = register.find_counties(value)
    return () if problems else tuple(c.number for c in found)


_RANKING = frozenset({"score", "rank"})
_QUOTE_PROBLEM = "read.csv_quote_"
_SHIFTED = frozenset({"read.csv_too_many_fields", "read.csv_cell_split"})
_MERGED_SHARED = "read.merged_down_shared"
"""The reader's errors for a row whose quotation marks break the rules (reading.csv)."""


def _check_rows(
    table: RawTable, register: str, groups: list[tuple[str, ...]], currency: str = NOK
) -> _Found:
    if ("requested",) not in groups:
        groups.insert(0, ("requested",))
    table, open_data_issues = _open_data_columns(table)
    checker = _Checker(table, register, currency)
    fields = checker.fields

    # The table itself: a required field without a column rejects every row, reported once.
    table_issues: list[Issue] = []
    row_groups: list[tuple[str, tuple[int, ...], list[str]]] = []
    for group in groups:
        present = [f for f in group if f in fields]
        if present:
            code = "required" if len(group) == 1 else "required_any"
            row_groups.append((code, tuple(_POS[f] for f in present), list(group)))
        else:
            table_issues.append(
                Issue(
                    severity=Severity.ERROR,
                    code="validate.column_missing",
                    params={"fields": list(group), "found": [h for h in table.headers if h]},
                    location=checker.location(table.header_row, None),
                    field=group[0],
                )
            )

    # The fast path has a valid amount applied for; other required groups it checks itself.
    checker.other_required = [p for _, p, _ in row_groups if _POS["requested"] not in p]
    numbers, cells_list = _split_rows(table.rows)
    # No id column at all: one warning for the table, not one on every row.
    table_warnings: list[Issue] = list(open_data_issues)
    if "id" not in fields and numbers:
        table_warnings.append(
            Issue(
                severity=Severity.WARNING,
                code="validate.id_column_missing",
                params={"first": f"R{numbers[0]}", "last": f"R{numbers[-1]}"},
                location=checker.location(table.header_row, None),
                field="id",
            )
        )
    for header, column in checker.hidden_headers:
        characters = hidden_in(header)
        table_warnings.append(
            Issue(
                severity=Severity.WARNING,
                code="validate.hidden_characters",
                params={
                    "characters": list(characters),
                    "count": len(characters),
                    "shown": visible(header),
                },
                location=checker.location(table.header_row, column),
            )
        )
    # First the ids, so that an id made from a row number never takes an id given in the file.
    given_ids = _given_ids(_column(cells_list, fields.get("id")))
    taken = set(given_ids)
    taken.discard(None)

    # The common row through the fast path; any other, in file order, through the full check.
    quick = checker.quick
    found: list[RowData | None] = [
        None if given_id is None else quick(number, given_id, vals, cells)
        for number, given_id, vals, cells in zip(
            numbers, given_ids, checker.values(cells_list), cells_list, strict=True
        )
    ]
    # Rows the reader could not read cell for cell (a CSV row with more fields than the
    # header): the full check, with the reader's error on the row, which rejects it.
    row_errors = table.row_errors
    if row_errors:
        for index, number in enumerate(numbers):
            if number in row_errors:
                found[index] = None
    checked: dict[int, _Row] = {}  # the rows with issues (or that may get some), by index
    for index in _indices_of_none(found):
        number, given_id = numbers[index], given_ids[index]
        vals = checker.values_of(cells_list[index])
        row_id = given_id
        if row_id is None:
            row_id = candidate = f"R{number}"
            suffix = 1
            while row_id in taken:
                suffix += 1
                row_id = f"{candidate}-{suffix}"
            taken.add(row_id)
        row = _Row(number, vals, row_id)
        checker.check(row, given_id is None)
        shifted = False
        merged: str | None = None
        if number in row_errors:
            problem = row_errors[number]
            if problem.code.startswith(_QUOTE_PROBLEM) or problem.code in _SHIFTED:
                # After a quotation mark out of place, or a delimiter inside a cell, the cells
                # are not the columns' (a quoted cell may run on over the next lines): what they
                # hold, or lack, is no problem of its own, and a dozen errors about them (' fase
                # 2' is not an amount) hide the one cause and point at the wrong columns.
                row.issues = None
                shifted = True
            elif problem.code == _MERGED_SHARED:
                # The cell under a merged amount or id reads empty: the merge is the cause,
                # said once, not again as an amount or an id missing.
                merged = problem.field
                if row.issues:
                    row.issues = [(c, i) for c, i in row.issues if i.field != merged] or None
            checker.add_issue(row, problem)
        for code, positions, names in () if shifted else row_groups:
            for position in positions:
                value = vals[position]
                if value is not None and not (type(value) is str and not value.strip()):
                    break
            else:
                field = FIELDS[positions[0]]
                if merged is None or merged not in names:
                    checker.add(row, field, code, {"fields": names})
        if checker.extra:
            row.extra = checker.carry(row, cells_list[index])
        row.data["extra"] = row.extra
        found[index] = _as_tuple(row.data)
        checked[index] = row
    datas: list[RowData] = found  # type: ignore[assignment]  # no None left

    def row_at(index: int) -> _Row:
        """The row at ``index`` as a :class:`_Row`, made from its data if it took the fast path."""
        row = checked.get(index)
        if row is None:
            data = _as_dict(datas[index])
            vals = checker.values_of(cells_list[index])
            row = checked[index] = _Row(numbers[index], vals, data["id"])
            row.data = data
            row.extra = data["extra"]
        return row

    # Across rows: duplicate ids (an error on each), the same project twice (a warning on each).
    # An id made from a row number is never taken twice: only given ids can be the same.
    same_id = _same(given_ids)
    same_project = _same_projects(datas)
    for row_id, same in same_id.items():
        rows_of_id = [row_at(i) for i in same]
        numbers_of_id = [str(r.number) for r in rows_of_id]
        for row in rows_of_id:
            others = [str(r.number) for r in rows_of_id if r is not row]
            checker.add(
                row,
                "id",
                "id_duplicate",
                {"id": row_id, "rows": numbers_of_id, "other_rows": others},
                value=checker.raw(row, "id"),
            )
    for (orgnr, _), same in same_project.items():
        rows_of_project = [row_at(i) for i in same]
        numbers_of_project = [str(r.number) for r in rows_of_project]
        for row in rows_of_project:
            checker.add(
                row,
                "project",
                "duplicate_project",
                {
                    "orgnr": orgnr,
                    # 1: no organisation number, an identifier in another register
                    "register": int(not is_orgnr_key(orgnr)),
                    "rows": numbers_of_project,
                    "other_rows": [str(r.number) for r in rows_of_project if r is not row],
                },
                severity=Severity.WARNING,
                value=row.data["project"],
            )
    # A score column filled in halfway, read where nothing requires a score (check, the
    # proportional rule): check said "No problems found", and allocate's default rule then
    # rejected the applications without one.
    ranking = [fields[f] for f in _RANKING if f in fields]
    if ranking and not any(_RANKING.intersection(group) for group in groups):
        pin = "score" if "score" in fields else "rank"
        # A column at a time, the common cell (a number) failing the first test: about 5 ms
        # for 100k rows, where a loop over the rows took 50.
        missing: Sequence[int] = range(len(cells_list))
        for column in ranking:
            cells = _column(cells_list, column)
            missing = [i for i in missing if (v := cells[i]) is None or is_empty(v)]
        for index in missing:
            if numbers[index] not in row_errors:  # else its cells are in the wrong columns
                checker.add(row_at(index), pin, "score_missing", severity=Severity.WARNING)
    percent_rows = table.percent_cells.get(fields["score"]) if "score" in fields else None
    if percent_rows:
        for index, code, on_other_scale in _mixed_scales(
            percent_rows, fields["score"], numbers, cells_list
        ):
            if numbers[index] not in row_errors:
                value = cells_list[index][fields["score"]]
                params: dict[str, Any] = {"others": on_other_scale}
                if code == "score_scale_percent":
                    params["share"] = Decimal(repr(value))
                checker.add(row_at(index), "score", code, params, value=value)
    if table_issues:
        for index in range(len(datas)):
            row_at(index)

    read_issues = table.issues if currency == NOK else _held_to_round(table, currency)
    issues: list[Issue] = [*read_issues, *table_issues, *table_warnings]
    partial = _partial_ranks(checker, datas)
    if partial is not None:
        issues.append(partial)
    other = _currency_not_kroner(checker, cells_list, datas, currency)
    if other is not None:
        issues.append(other)
    said_of_table = len(issues)  # the warning about thousands goes here, once rows are judged
    good: list[RowData] = []
    good_checked: list[int] = []  # positions in good of the rows in `checked`
    rejected_rows: list[tuple[_Row, tuple[Issue, ...]]] = []
    kept = 0  # rows before this index that are not in `checked` are good
    for index in sorted(checked):
        good.extend(datas[kept:index])
        kept = index + 1
        row = checked[index]
        row_issues: tuple[Issue, ...] = ()
        if row.issues is not None:
            row.issues.sort(key=_column_of)
            row_issues = tuple(issue for _, issue in row.issues)
            issues.extend(row_issues)
        if row.has_error or table_issues:
            rejected_rows.append((row, (*row_issues, *table_issues)))
        else:
            good_checked.append(len(good))
            good.append(datas[index])
    good.extend(datas[kept:])
    requested = _requested(checker, good)
    thousands = thousands_warning(requested, None)
    if thousands is not None:
        issues.insert(said_of_table, thousands)
    return _Found(table, checker, good, good_checked, rejected_rows, issues, requested)


def _requested(checker: _Checker, good: Sequence[RowData]) -> Requested | None:
    """What the valid applications ask for (:func:`tilskudd.thousands.measure`)."""
    column = checker.fields.get("requested")
    if column is None:
        return None
    where = checker.location(checker.table.header_row, column)
    return measure(where, list(map(_REQUESTED_OF, good)), map(_COST_OF, good))


_ID_HEADER = normalize_header("Identifier")
_FUNDER_ID_HEADER = normalize_header("Funding Org:Identifier")
_OWN_FUNDER_ID = re.compile(r"(?P<prefix>\S+?)funder-[a-z0-9-]+")
"""The funder identifier tilskudd's ``--format 360giving`` makes of its grant id prefix and the
funder's name (``360G-tilskudd-funder-difi``) when it is given no other."""
_ORG_ID_HEADER = normalize_header("Recipient Org:Identifier")
_GEO_CODE_HEADER = normalize_header("Beneficiary Location:Geographic Code")
_NO_BRC = re.compile(r"\s*NO-BRC-(.*)", re.IGNORECASE | re.DOTALL)
_NO_CODES = re.compile(r"\s*\d\d(?:\d\d)?(?:\s*[;,]\s*\d\d(?:\d\d)?)*\s*")
_COUNTY_CODES = re.compile(r"\s*\d\d(?:\s*[;,]\s*\d\d)*\s*")
_SHOWN_IDS = 5
"""How many ids a warning about a whole column names."""
GRANT_ID_FORM = re.compile(r"360G-\S+", re.IGNORECASE)
"""A 360Giving grant identifier: a publisher's registered ``360G-`` prefix and its own id."""
GEO_CODE_COLUMN = "Beneficiary Location:Geographic Code"
"""The carried column that keeps another country's place codes from 360Giving's ``Beneficiary
Location:Geographic Code`` (``K02000001``): no Norwegian place, but the funder's own data."""


def _open_data_columns(table: RawTable) -> tuple[RawTable, list[Issue]]:
    """``table`` with 360Giving's organisation and place columns read as tilskudd's fields.

    360Giving (tilskudd's own ``--format 360giving`` among them) identifies an organisation as
    ``NO-BRC-<orgnr>`` (org-id.guide's prefix for the Brønnøysund register) and its places by
    code: municipality numbers, or a county's 2-digit number for a county's project. The orgnr
    is read from the first (and checked like any other); a county number goes to the counties
    when the table has no county column. Another funder's identifiers and codes (``GB-CHC-…``,
    ``E08000025``) say nothing about Norwegian organisations or places: they are read as empty,
    with one warning for the column, not an error on every row, and carried through unchanged
    in a column of their own (:data:`ORG_ID_COLUMN`, :data:`GEO_CODE_COLUMN`), so that the award
    workbook, the CSV and the JSON keep them. An organisation identifier in org-id.guide's form
    (``GB-CHC-1234567``) is the recipient's own: said in a warning of its own, and the 360Giving
    export gives it as the recipient's identifier.
    """
    fields = table.fields
    org_at = fields.get("orgnr")
    geo_at = fields.get("municipalities")
    if org_at is not None and normalize_header(table.headers[org_at]) != _ORG_ID_HEADER:
        org_at = None
    if geo_at is not None and normalize_header(table.headers[geo_at]) != _GEO_CODE_HEADER:
        geo_at = None
    if org_at is None and geo_at is None:
        return table, []
    own_prefix = _own_grant_prefix(table)
    # Where tilskudd wrote the file, <prefix>org-<name> is the id it made for an applicant
    # without an organisation number (export.giving360.org_identifier): none, as it was.
    own_org = None if own_prefix is None else f"{own_prefix}org-"
    width = max(len(table.headers), *(i + 1 for i in fields.values()), *table.extra.values())
    county_at = None if "county" in fields else width
    id_at = fields.get("id")
    # Another register's org-id is carried after every other column (and the counties moved).
    keep_at = width + 1 if org_at is not None and ORG_ID_COLUMN not in table.extra else None
    geo_keep_at = width + 2 if geo_at is not None and GEO_CODE_COLUMN not in table.extra else None
    kept: list[tuple[str, str]] = []  # (row's id, org-id) carried through
    carried: list[tuple[str, str]] = []  # (row's id, identifier) carried through, in row order
    foreign: dict[int, list[tuple[str, str]]] = {}  # column -> (row's id, value) read as empty
    counties_moved = False
    rows: list[tuple[int, Sequence[RawCell]]] = []
    for number, cells in table.rows:
        new = list(cells)
        if own_prefix is not None and id_at is not None:
            # 360G-tilskudd-2009-035 is application 2009-035, as the ledger and history know it;
            # another publisher's grant id (360G-uk-1) was written as it was given.
            given = _cell_text(new[id_at]).strip()
            if given.startswith(own_prefix):
                new[id_at] = given[len(own_prefix) :]
        row_id = _given_id(new[id_at]) if id_at is not None and id_at < len(new) else None
        if org_at is not None and org_at < len(new):
            text = _cell_text(new[org_at]).strip()
            brc = _NO_BRC.fullmatch(text)
            if brc is not None:
                new[org_at] = brc.group(1).strip()
            elif text and spaced_org_id(text) is not None:
                pass  # left in the cell, which the row's check refuses (org_id_spaced)
            elif text:
                new[org_at] = None
                # In any case: gb-chc-1234567 is GB-CHC-1234567 (orgid.organisation_key).
                if keep_at is not None and is_org_id(text.upper()):
                    new.extend([None] * (keep_at + 1 - len(new)))
                    new[keep_at] = text
                    kept.append((row_id or f"R{number}", text))
                    carried.append(kept[-1])
                elif own_org is None or not text.startswith(own_org):
                    foreign.setdefault(org_at, []).append((row_id or f"R{number}", text))
                    if keep_at is not None:
                        new.extend([None] * (keep_at + 1 - len(new)))
                        new[keep_at] = text
                        carried.append(foreign[org_at][-1])
        if geo_at is not None and geo_at < len(new):
            text = _cell_text(new[geo_at]).strip()
            if county_at is not None and _COUNTY_CODES.fullmatch(text):
                new[geo_at] = None
                new.extend([None] * (county_at + 1 - len(new)))
                new[county_at] = text
                counties_moved = True
            elif text and not _NO_CODES.fullmatch(text):
                new[geo_at] = None
                foreign.setdefault(geo_at, []).append((row_id or f"R{number}", text))
                if geo_keep_at is not None:
                    new.extend([None] * (geo_keep_at + 1 - len(new)))
                    new[geo_keep_at] = text
        rows.append((number, new))
    issues = [
        _column_warning(
            table,
            "validate.open_data_not_norwegian",
            column,
            found,
            field="orgnr" if column == org_at else "municipalities",
            org=int(column == org_at),
            name=ORG_ID_COLUMN if column == org_at else GEO_CODE_COLUMN,
        )
        for column, found in sorted(foreign.items())
    ]
    new_fields = dict(fields)
    if counties_moved and county_at is not None:
        new_fields["county"] = county_at
    extra = table.extra
    if (kept or org_at in foreign) and org_at is not None and keep_at is not None:
        extra = {**extra, ORG_ID_COLUMN: keep_at}
    if geo_at in foreign and geo_keep_at is not None:
        extra = {**extra, GEO_CODE_COLUMN: geo_keep_at}
    if kept and org_at is not None and keep_at is not None:
        issues.insert(
            0,
            _column_warning(
                table, "validate.open_data_org_id", org_at, kept, field="orgnr", name=ORG_ID_COLUMN
            ),
        )
    variants = _identifier_variants(carried)
    if variants and org_at is not None:
        issues.append(
            _column_warning(table, "validate.org_id_variants", org_at, variants, field="orgnr")
        )
    zeros = _leading_zero_variants(carried)
    if zeros and org_at is not None:
        issues.append(_column_warning(table, "validate.org_id_zeros", org_at, zeros, field="orgnr"))
    return replace(table, rows=rows, fields=new_fields, extra=extra), issues


def _identifier_variants(carried: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The identifiers (row id and text, in row order) that differ from another only in case
    or spaces and are still two organisations as compared (:func:`organisation_key`: a
    publisher's own code, ``GB 108260441`` beside ``GB108260441``): not merged, as they may be
    two, but said, as they may be one."""
    forms: dict[str, set[str]] = {}
    for _row_id, text in carried:
        forms.setdefault("".join(text.split()).casefold(), set()).add(organisation_key(text))
    loose = {form for form, keys in forms.items() if len(keys) > 1}
    return [item for item in carried if "".join(item[1].split()).casefold() in loose]


def _leading_zero_variants(carried: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The identifiers (row id and text, in row order) that differ from another only in the
    leading zeros of their number and are still two organisations as compared
    (:func:`organisation_key`): ``GB-CHC-01234567`` beside ``GB-CHC-1234567``, or ``00123``
    beside ``123``, as a spreadsheet that read the number drops them. Companies House numbers
    are padded to eight digits, so ``GB-COH-1234567`` is ``GB-COH-01234567`` and not said;
    other lists may tell two apart by a zero, so they are not merged, but said."""
    keys: dict[str, set[str]] = {}
    for _row_id, text in carried:
        key = organisation_key(text)
        keys.setdefault(without_leading_zeros(text) or key, set()).add(key)
    loose = {form for form, found in keys.items() if len(found) > 1}
    return [
        item
        for item in carried
        if (without_leading_zeros(item[1]) or organisation_key(item[1])) in loose
    ]


def _column_warning(
    table: RawTable,
    code: str,
    column: int,
    found: Sequence[tuple[str, str]],
    *,
    field: str,
    **params: Any,
) -> Issue:
    """One warning for a whole column of an open data file: how many of its cells (``found``:
    row id and value) are so, up to three of the values and the first ids."""
    return Issue(
        severity=Severity.WARNING,
        code=code,
        params={
            "count": len(found),
            "total": len(table.rows),
            "examples": list(dict.fromkeys(value for _, value in found))[:3],
            **params,
            "ids": [row_id for row_id, _ in found[:_SHOWN_IDS]],
        },
        location=Location(
            file=table.file,
            sheet=table.sheet,
            row=table.header_row,
            column=column_letter(column),
            header=table.headers[column] or None,
        ),
        field=field,
    )


def _own_grant_prefix(table: RawTable) -> str | None:
    """The grant id prefix of a 360Giving file tilskudd wrote (``--identifier-prefix``,
    ``360G-tilskudd-`` by default), known by the funder identifier it makes of it, when every
    row has that funder identifier and every id that prefix before an id of its own, or
    another publisher's ``360G-`` id (which tilskudd writes as it was given); None for any other
    file (another funder's ids are read as they are)."""
    id_at = table.fields.get("id")
    if id_at is None or normalize_header(table.headers[id_at]) != _ID_HEADER:
        return None
    funder_at = next(
        (at for header, at in table.extra.items() if normalize_header(header) == _FUNDER_ID_HEADER),
        None,
    )
    if funder_at is None or not table.rows:
        return None
    prefixes = set()
    for _number, cells in table.rows:
        funder = _cell_text(cells[funder_at]).strip() if funder_at < len(cells) else ""
        own = _OWN_FUNDER_ID.fullmatch(funder)
        if own is None:
            return None
        prefixes.add(own["prefix"])
    if len(prefixes) != 1:
        return None
    prefix = prefixes.pop()
    for _number, cells in table.rows:
        given = _cell_text(cells[id_at]).strip() if id_at < len(cells) else ""
        if given.startswith(prefix):
            if len(given) == len(prefix):
                return None
        elif not GRANT_ID_FORM.fullmatch(given):
            return None
    return prefix


def _mixed_scales(
    percent_rows: Container[int],
    column: int,
    numbers: Sequence[int],
    cells_list: Sequence[Sequence[RawCell]],
) -> list[tuple[int, str, int]]:
    """The scores on the scale fewer cells of the column use, when it has two: number cells
    formatted as a percentage (85 % holds 0,85; their rows ``percent_rows``) beside plain
    numbers (4,5 or 85). Ranked together, 0,85 would come below 4,5 and 85 whatever was meant,
    so the cells of the smaller group (the percentages, when as many) are each an error, as
    (index, code, how many cells are on the other scale). Text is not counted: '85 %' typed
    as text is an error of its own.
    """
    cells = _column(cells_list, column)
    numeric = [i for i, cell in enumerate(cells) if type(cell) is float or type(cell) is int]
    percent = [i for i in numeric if numbers[i] in percent_rows]
    if not percent or len(percent) == len(numeric):
        return []
    if len(percent) * 2 <= len(numeric):
        return [(index, "score_scale_percent", len(numeric) - len(percent)) for index in percent]
    plain = sorted(set(numeric).difference(percent))
    return [(index, "score_scale_plain", len(percent)) for index in plain]


def _partial_ranks(checker: _Checker, datas: Sequence[RowData]) -> Issue | None:
    """A warning when some applications, but not all, have a given rank beside their score.

    The rules use a given rank only when every application has one (else the score decides);
    a rank column filled in halfway would otherwise be passed over without a word.
    """
    fields = checker.fields
    if "rank" not in fields or "score" not in fields:
        return None
    at, score_at = _DATA.index("rank"), _DATA.index("score")
    given = sum(1 for data in datas if data[at] is not None)
    if not 0 < given < len(datas) or any(data[score_at] is None for data in datas):
        return None  # all ranked, none ranked, or not all scored (then an error says so)
    return Issue(
        severity=Severity.WARNING,
        code="validate.rank_partial",
        params={"given": given, "total": len(datas)},
        location=checker.location(checker.table.header_row, fields["rank"]),
        field="rank",
    )


def _held_to_round(table: RawTable, currency: str) -> list[Issue]:
    """The reading's issues of a round in ``currency`` (not NOK): its line above the header
    that gives the currency held to the round's, not to kroner."""
    issues = [i for i in table.issues if i.code != "read.currency_above_header"]
    issue = currency_line_issue(table.currency_line, currency, file=table.file, sheet=table.sheet)
    if issue is not None:
        issues.append(issue)
    return issues


def _currency_not_kroner(
    checker: _Checker,
    cells_list: Sequence[Sequence[RawCell]],
    datas: Sequence[RowData],
    currency: str = NOK,
) -> Issue | None:
    """A warning when a currency column names another currency than the round's (kroner
    unless it is told another).

    A sheet of awards in pounds or euros (open data from other funders) would otherwise be
    allocated and published as kroner without a word. The first such column is named, with
    the currencies it gives, most rows first, and the ids of the first few applications in
    another currency (in file order), so they can be found.
    """
    for header, column in checker.extra:
        if normalize_header(header) not in CURRENCY_HEADERS:
            continue
        found: Counter[str] = Counter()
        ids: list[str] = []
        for cells, data in zip(cells_list, datas, strict=True):
            text = _cell_text(cells[column]).strip() if column < len(cells) else ""
            if text and not names_currency(text, currency):
                found[text.upper()] += 1
                if len(ids) < _SHOWN_IDS:
                    ids.append(_DATA_ID_OF(data))
        if not found:
            return None
        params: dict[str, ParamValue] = {
            "currencies": [other for other, _ in found.most_common()],
            "count": sum(found.values()),
            "total": len(cells_list),
            "ids": ids,
        }
        if currency != NOK:
            params["expected"] = currency
        return Issue(
            severity=Severity.WARNING,
            code="validate.currency_not_kroner"
            if currency == NOK
            else "validate.currency_not_round",
            params=params,
            location=checker.location(checker.table.header_row, column),
        )
    return None


_ID = _POS["id"]
_ID_OF = attrgetter("id")

RowData = tuple[Any, ...]
"""A checked row's data: the values of :data:`_DATA`, in that order."""

_DATA: tuple[str, ...] = (
    "id",
    "requested",
    "applicant",
    "orgnr",
    "project",
    "municipalities",
    "counties",
    "total_cost",
    "score",
    "rank",
    "category",
    "decision",
    "decision_amount",
    "decision_reason",
    "row",
    "extra",
)
"""The fields of an :class:`~tilskudd.models.Application` made from a row."""
_DATA_ID_OF = itemgetter(_DATA.index("id"))
_REQUESTED_OF = itemgetter(_DATA.index("requested"))
_COST_OF = itemgetter(_DATA.index("requested"), _DATA.index("total_cost"))
_ORGNR_OF = itemgetter(_DATA.index("orgnr"))
_PROJECT_OF = itemgetter(_DATA.index("project"))
_EXTRA_OF = itemgetter(_DATA.index("extra"))
_NONE_AS_EMPTY: dict[str | None, str] = {None: ""}


def _as_dict(data: RowData) -> dict[str, Any]:
    """A row's data as the keyword arguments of its Application."""
    return dict(zip(_DATA, data, strict=False))  # made in _DATA order; strict costs 15 %


def _as_tuple(data: dict[str, Any]) -> RowData:
    """A row's data from its keyword arguments."""
    return tuple(data[name] for name in _DATA)


_T = TypeVar("_T")


def _same(keys: list[_T | None]) -> dict[_T, list[int]]:
    """Each key but None that occurs more than once, with the indices where it does, in order."""
    counts = Counter(keys)
    if len(counts) == len(keys):
        return {}
    repeated = {key for key, count in counts.items() if count > 1 and key is not None}
    same: dict[_T, list[int]] = {}
    for index, key in enumerate(keys):
        if key in repeated:
            same.setdefault(key, []).append(index)
    return same


def _indices_of_none(items: list[Any]) -> Iterator[int]:
    """The indices of the None items, found at C speed (list.index)."""
    index = -1
    try:
        while True:
            index = items.index(None, index + 1)
            yield index
    except ValueError:
        return


def _project_keys(projects: list[str | None]) -> Iterator[str]:
    """Each project title as it is compared: without case, spaces of any kind as one ("Felles
    SAK" = "felles  sak"); None as "". Titles are stripped already; made in C (map), not by a
    Python call per row."""
    texts = cast(Iterator[str], map(_NONE_AS_EMPTY.get, projects, projects))  # get(p, p)
    return map(" ".join, map(str.split, map(str.casefold, texts)))


def _same_projects(datas: list[RowData]) -> dict[tuple[str, str], list[int]]:
    """The rows of each organisation (its orgnr, else its identifier in another register) and
    project title (compared by :func:`_project_keys`) that occur more than once, by index, in
    order; a row without either is not compared."""
    organisations: list[str | None] = list(map(_ORGNR_OF, datas))
    # No organisation number: the identifier in another register, as every comparison of
    # organisations takes it (Application.organisation): gb-chc-1 is GB-CHC-1.
    for index in list(_indices_of_none(organisations)):
        extra = _EXTRA_OF(datas[index])
        if extra:
            organisations[index] = other_organisation_key(extra)
    # Only an organisation with more than one row can have a project twice, and most apply
    # once a round (63 organisations in Difi's 64 applications of 2009): the titles of the
    # rest are not made into keys. None (no organisation) is never compared.
    repeated_organisations = {o for o, n in Counter(organisations).items() if n > 1}
    repeated_organisations.discard(None)
    if not repeated_organisations:
        return {}
    indices = list(compress(count(), map(repeated_organisations.__contains__, organisations)))
    projects: list[str | None] = [_PROJECT_OF(datas[i]) for i in indices]
    keys: list[tuple[str, str]] = list(
        zip(
            cast(list[str], [organisations[i] for i in indices]),
            _project_keys(projects),
            strict=True,
        )
    )
    repeated = {key for key, n in Counter(keys).items() if n > 1 and key[1]}
    same: dict[tuple[str, str], list[int]] = {}
    for index, key in zip(indices, keys, strict=True):
        if key in repeated:
            same.setdefault(key, []).append(index)
    return same


def _given_ids(column: list[RawCell]) -> list[str | None]:
    """The id each row's cell gives (:func:`_given_id`); a column of whole numbers or of
    texts, the common cases, in C. A column of text whose every id is a whole number written
    with decimals (``1,00``, ``2,00``), as Excel saves a number column formatted as Number in a
    CSV file, gives the numbers' digits, as the workbook it was saved from does."""
    kinds = set(map(type, column))
    if kinds <= {str, type(None)} and str in kinds:
        whole = _written_whole_ids(cast(list[str | None], column))
        if whole is not None:
            return whole
    if kinds == {float}:
        numbers = cast(list[float], column)
        if (
            all(map(float.is_integer, numbers))
            and min(numbers) > -_ID_DIGITS_KEPT
            and max(numbers) < _ID_DIGITS_KEPT
        ):
            return list(map(str, map(int, numbers)))
    elif kinds == {str}:
        ids: list[str | None] = list(map(str.strip, cast(list[str], column)))
        texts = cast(list[str], ids)
        if (
            all(ids)
            and all(map(str.isascii, texts))
            and all(map(str.isprintable, texts))
            and not _scientific_among(texts)
        ):
            return ids
    return [_given_id(raw) for raw in column]


_WRITTEN_WHOLE = re.compile(r"(\d+|[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+)(?:[.,](0{1,2}))?")
"""A whole number as a spreadsheet writes one in a CSV file: ``12``, ``12,00``, ``1 234,00``
(grouped by Norwegian Excel's no-break space). One or two zeros only: in ``1.000`` the dot may
group thousands, as it does in a semicolon-separated file."""


def _written_whole_ids(column: list[str | None]) -> list[str | None] | None:
    """The digits of each id in a column of text ids that are all whole numbers written with
    decimals or grouping (``1,00``, ``2,00``, ``1 234,00``: a number column Excel formatted as
    Number, as it saves it in a CSV file), so that they read as the workbook's numbers do
    (``1``); None for any other column, whose ids are read as typed (``1.1``, ``001``)."""
    digits: list[str | None] = []
    written = False
    for cell in column:
        text = None if cell is None else cell.strip()
        if not text:
            digits.append(None)
            continue
        found = _WRITTEN_WHOLE.fullmatch(text)
        if found is None:
            return None
        written = written or found.group(2) is not None or not text.isdigit()
        whole = _GROUPING.sub("", found.group(1))
        if len(whole) > 1 and whole.startswith("0"):
            return None  # 007,00 is no number Excel writes: text, read as typed
        digits.append(whole)
    return digits if written else None


_ID_DIGITS_KEPT = 10**15
"""A spreadsheet keeps a number to 15 significant digits (Excel turns 12345678901234567890 typed
in into 12345678901234500000), and a double holds every whole number only up to 2**53: a number
cell of 16 digits or more may not hold the id that was typed."""


def _given_id(raw: RawCell) -> str | None:
    """The id a row's cell gives (numbers without '.0', no invisible characters), or None when
    it gives none: an empty cell, or a number that is no id (:func:`_id_number_problem`)."""
    if type(raw) is str:
        # "S-12\u200b" pasted from a web page is S-12 to the eye: the same id, not another; so
        # is "S\u201112" with the no-break hyphen a word processor puts in, and "S\u00a012".
        given = read_id(raw)
        if _ID_SCIENTIFIC.fullmatch(given):
            return None  # the digits are lost: id_scientific
        # "S-01\u202e" shown as S-01<U+202E>, as every text of the row is (check warns).
        return visible(given) or None
    if type(raw) is float or type(raw) is int or type(raw) is Decimal:
        return None if _id_number_problem(raw) else str(int(raw))
    if raw is None or isinstance(raw, FormulaWithoutValue):
        return None
    return _text(raw)


def _id_number_problem(raw: float | int | Decimal) -> tuple[str, dict[str, Any]] | None:
    """Why a number cell is no id, as an issue code and its parameters: a number with decimals
    (``1.5``: an id is a whole number or text), or one of 16 digits or more, which the
    spreadsheet may have changed (:data:`_ID_DIGITS_KEPT`); None for a whole number it keeps
    exactly, whose id is its digits (``1.0`` is ``1``)."""
    finite = raw.is_finite() if isinstance(raw, Decimal) else math.isfinite(raw)
    whole = int(raw) if finite else None
    if whole is None or raw != whole:
        return "id_not_whole", {}
    if abs(whole) >= _ID_DIGITS_KEPT:
        return "id_too_long", {"digits": len(str(abs(whole)))}
    return None


def _column(cells_list: Sequence[Sequence[RawCell]], index: int | None) -> list[RawCell]:
    """One column's cells (None for a row too short to have it, or for no column)."""
    if index is None:
        return [None] * len(cells_list)
    if min(map(len, cells_list), default=0) > index:
        return list(map(itemgetter(index), cells_list))
    return [cells[index] if index < len(cells) else None for cells in cells_list]


def _split_rows(
    rows: Sequence[tuple[int, Sequence[RawCell]]],
) -> tuple[Sequence[int], Sequence[Sequence[RawCell]]]:
    """A table's row numbers and rows of cells, as two sequences."""
    if isinstance(rows, DataRows):
        return rows.numbers, rows.cells
    return list(map(itemgetter(0), rows)), list(map(itemgetter(1), rows))


def _column_of(item: tuple[int, Issue]) -> int:
    return item[0]


# --- making the applications ----------------------------------------------------------------

# A checked row's values are already what Application's validation would make of them: exact
# int, str, tuple of str, finite Decimal, None, and every constraint of the model holds. For such
# a row the object is built directly, as BaseModel.model_construct would, without its per-field
# bookkeeping: about 1 µs an application against 4-5 µs for pydantic's validation (and 2 µs for
# making the keyword dict it takes). The fast path's rows are built on its word (its docstring
# says what it guarantees) once the cells that come from the table as they are (id, row number,
# carried cells) are checked; the full check's rows have every value checked here. A row with
# anything else (a str subclass, a bool, an orgnr pydantic's pattern would have to decide) goes
# to Application.model_validate. tests/test_validation_build.py checks that both give equal
# objects (values, types, fields-set, dumps) for random rows.
_new = object.__new__
# BaseModel's four slots, set through their descriptors: what object.__setattr__ ends up calling,
# without looking the name up along the class's MRO each time.
_SLOTS = vars(BaseModel)
_set_dict = _SLOTS["__dict__"].__set__
_set_fields_set = _SLOTS["__pydantic_fields_set__"].__set__
_set_extra = _SLOTS["__pydantic_extra__"].__set__
_set_private = _SLOTS["__pydantic_private__"].__set__
_APPLICATION_FIELDS = set(_DATA)
"""Every field is given, so the fields-set is the same for all applications and one is shared
(pydantic copies it before any change, in model_copy; the model is frozen)."""
_MODEL_KNOWN: tuple[tuple[str, str, str], ...] = (
    ("id", "<class 'str'>", "[]"),
    ("requested", "<class 'int'>", f"[Gt(gt=0), Le(le={MAX_AMOUNT})]"),
    ("applicant", "str | None", "[]"),
    ("orgnr", "str | None", "[_PydanticGeneralMetadata(pattern='^\\\\d{9}$')]"),
    ("project", "str | None", "[]"),
    ("municipalities", "tuple[str, ...]", "[]"),
    ("counties", "tuple[str, ...]", "[]"),
    ("total_cost", "int | None", f"[Gt(gt=0), Le(le={MAX_AMOUNT})]"),
    ("score", "decimal.Decimal | None", "[]"),
    ("rank", "int | None", f"[Ge(ge=1), Le(le={MAX_RANK})]"),
    ("category", "str | None", "[]"),
    ("decision", "typing.Optional[typing.Literal['fund', 'reject', 'reserve']]", "[]"),
    ("decision_amount", "int | None", f"[Ge(ge=0), Le(le={MAX_AMOUNT})]"),
    ("decision_reason", "str | None", "[]"),
    ("row", "int | None", "[]"),
    ("extra", "dict[str, str | int | decimal.Decimal | bool | None]", "[]"),
)
"""Application's fields as :func:`_direct` knows them: name, type and constraints."""


def _model_is_known() -> bool:
    """True while Application is the model :func:`_direct` was written for.

    Its fields (names in :data:`_DATA` order, types, constraints), its configuration and its
    one validator (requested at most total cost). A changed model sends every row through
    pydantic's validation until :func:`_direct` learns the change; a test says so.
    """
    decorators = Application.__pydantic_decorators__
    fields = tuple(
        (name, repr(info.annotation), repr(info.metadata))
        for name, info in Application.model_fields.items()
    )
    return (
        fields == _MODEL_KNOWN
        and tuple(name for name, _, _ in fields) == _DATA
        and dict(Application.model_config) == {"frozen": True, "extra": "forbid"}
        and list(decorators.model_validators) == ["_requested_within_cost"]
        and not decorators.field_validators
        and not decorators.validators
        and not decorators.root_validators
        and not Application.__private_attributes__
    )


_DIRECT = _model_is_known()
_DECISION_WORDS = frozenset(("fund", "reject", "reserve"))
_STR = frozenset((str,))
_PLAIN_CELLS = frozenset((str, int, bool, type(None)))
"""Carried-through cell types that ``dict[str, CellValue]`` keeps as they are (Decimal: finite)."""


def _plain_extra(extra: dict[Any, Any]) -> bool:
    """True when validating ``extra`` as ``dict[str, CellValue]`` would give an equal dict."""
    for key, value in extra.items():
        if type(key) is not str:
            return False
        kind = type(value)
        if kind is Decimal:
            if not value.is_finite():
                return False
        elif kind not in _PLAIN_CELLS:
            return False
    return True


def _plain_orgnr(orgnr: str, seen: set[str]) -> bool:
    """True when ``orgnr`` (exact str) is 9 ASCII digits, which the model's pattern accepts."""
    if len(orgnr) == 9 and orgnr.isascii() and orgnr.isdigit():
        seen.add(orgnr)
        return True
    return False


def _strings(value: object, seen: dict[int, tuple[str, ...]]) -> bool:
    """True when ``value`` is a tuple of exact str (remembered in ``seen`` by identity)."""
    if type(value) is tuple and _STR.issuperset(map(type, value)):
        seen[id(value)] = value
        return True
    return False


def _plain_fields(data: RowData, orgnrs: set[str], tuples: dict[int, tuple[str, ...]]) -> bool:
    """True when every value of ``data`` but the row number and the carried cells is exactly
    what Application's validation makes of it, and meets the model's constraints.

    ``orgnrs`` and ``tuples`` remember what passed, to check the next such value in one
    look-up: orgnrs are exact str only, so an equal string is the same text; tuples go by
    identity (rows share their cache's), looked up with () for missing: None must not pass as
    found, and () passes anyway.
    """
    (
        app_id,
        requested,
        applicant,
        orgnr,
        project,
        municipalities,
        counties,
        total_cost,
        score,
        rank,
        category,
        decision,
        decision_amount,
        decision_reason,
        _,
        _,
    ) = data
    return (
        type(app_id) is str
        and type(requested) is int
        and 0 < requested <= MAX_AMOUNT
        and (
            total_cost is None
            or (type(total_cost) is int and requested <= total_cost <= MAX_AMOUNT)
        )
        and (applicant is None or type(applicant) is str)
        and (project is None or type(project) is str)
        and (category is None or type(category) is str)
        and (decision_reason is None or type(decision_reason) is str)
        and (
            orgnr is None
            or (type(orgnr) is str and (orgnr in orgnrs or _plain_orgnr(orgnr, orgnrs)))
        )
        and (score is None or (type(score) is Decimal and score.is_finite()))
        and (rank is None or (type(rank) is int and 1 <= rank <= MAX_RANK))
        and (decision is None or (type(decision) is str and decision in _DECISION_WORDS))
        and (
            decision_amount is None
            or (type(decision_amount) is int and 0 <= decision_amount <= MAX_AMOUNT)
        )
        and (
            tuples.get(id(municipalities), ()) is municipalities or _strings(municipalities, tuples)
        )
        and (tuples.get(id(counties), ()) is counties or _strings(counties, tuples))
    )


def _direct(
    datas: Sequence[RowData], checked: Iterable[int] | None = None
) -> tuple[list[Application | None], int]:
    """Each row's Application built directly, or None where pydantic must validate the row;
    and how many are None.

    Built directly only from values of exactly the types the fields hold, and only when every
    constraint of :class:`~tilskudd.models.Application` holds (requested above 0 and at most
    the total cost, amounts at most :data:`~tilskudd.money.MAX_AMOUNT`, 9 ASCII digits of orgnr,
    rank from 1 to :data:`~tilskudd.models.MAX_RANK`, a decision word, decision amount from 0,
    finite scores and cells), so the object is the one ``Application.model_validate`` makes.
    ``checked`` gives the positions of the rows :meth:`_Checker.quick` did not make: only their
    values are checked here, besides every row's id, row number and carried cells (quick's
    rows are of those kinds already: see its docstring). None: check every row's values.
    """
    if not _DIRECT:
        return [None] * len(datas), len(datas)
    full: Container[int] = range(len(datas)) if checked is None else set(checked)
    orgnrs: set[str] = set()
    tuples: dict[int, tuple[str, ...]] = {}
    made: list[Application | None] = []
    append = made.append
    missing = 0
    for index, data in enumerate(datas):
        (
            app_id,
            requested,
            applicant,
            orgnr,
            project,
            municipalities,
            counties,
            total_cost,
            score,
            rank,
            category,
            decision,
            decision_amount,
            decision_reason,
            row,
            extra,
        ) = data
        if not (
            type(app_id) is str
            and (row is None or type(row) is int)
            and type(extra) is dict
            and (
                not extra
                or (
                    _STR.issuperset(map(type, extra))
                    and _PLAIN_CELLS.issuperset(map(type, extra.values()))
                )
                or _plain_extra(extra)
            )
        ) or (index in full and not _plain_fields(data, orgnrs, tuples)):
            append(None)
            missing += 1
            continue
        application = _new(Application)
        _set_dict(
            application,
            {
                "id": app_id,
                "requested": requested,
                "applicant": applicant,
                "orgnr": orgnr,
                "project": project,
                "municipalities": municipalities,
                "counties": counties,
                "total_cost": total_cost,
                "score": score,
                "rank": rank,
                "category": category,
                "decision": decision,
                "decision_amount": decision_amount,
                "decision_reason": decision_reason,
                "row": row,
                "extra": extra,
            },
        )
        _set_fields_set(application, _APPLICATION_FIELDS)
        _set_extra(application, None)
        _set_private(application, None)
        append(application)
    return made, missing


def _build(
    good: list[RowData],
    checked: Iterable[int] | None,
    checker: _Checker,
    issues: list[Issue],
    rejected_rows: list[tuple[_Row, tuple[Issue, ...]]],
) -> list[Application]:
    """The applications from checked rows: built directly where :func:`_direct` can, else
    validated by pydantic.

    ``checked``: as for :func:`_direct`. The checks above enforce every constraint of the
    model, so validation never fails; if it does (a bug), the row is rejected with pydantic's
    detail.
    """
    made, missing = _direct(good, checked)
    if not missing:
        # Counted, not `None in made`: that compares every application with None (100k calls
        # of BaseModel.__eq__).
        return made  # type: ignore[return-value]  # no None in it
    applications: list[Application] = []
    for application, values in zip(made, good, strict=True):
        if application is not None:
            applications.append(application)
            continue
        data = _as_dict(values)
        try:
            applications.append(Application.model_validate(data))
        except PydanticValidationError as exc:
            row = _Row(data["row"], (), data["id"])
            row.data = data
            row.extra = data["extra"]
            problem = Issue(
                severity=Severity.ERROR,
                code="validate.model",
                params={"detail": str(exc.errors()[0].get("msg", exc))},
                location=checker.location(row.number, None),
                application_id=row.id,
            )
            issues.append(problem)
            rejected_rows.append((row, (problem,)))
    return applications
