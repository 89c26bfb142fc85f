"""The data that flows through tilskudd: applications, issues, policies, decisions, allocations.

Frozen pydantic models, except the two a round makes by the hundred thousand: :class:`Decision`
and :class:`Reason` are named tuples (immutable, typed, a fraction of the cost to build), checked
as a whole by :class:`Allocation`. Money is ``int`` (whole kroner); scores are ``Decimal`` so
that a score of 4.5 is exact. Words for people are never stored here: reasons and issues carry a
code and its parameters, and :mod:`tilskudd.i18n` renders them in Norwegian or English at the
edge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Final, Literal, NamedTuple, TypeVar, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SkipValidation,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tilskudd.controls import has_hidden, hidden_in, visible, visible_in
from tilskudd.currency import NOK, parse_currency
from tilskudd.i18n import sheet_reference
from tilskudd.money import INVISIBLE, MAX_AMOUNT
from tilskudd.orgid import organisation_key

__all__ = [
    "ALREADY_FUNDED",
    "DECISIONS_CHECKED",
    "MAX_RANK",
    "ORG_ID_COLUMN",
    "QUOTA_LIMITS",
    "Allocation",
    "Application",
    "AwardChange",
    "CellValue",
    "Decision",
    "Issue",
    "Location",
    "Policy",
    "Quota",
    "Reason",
    "RejectedRow",
    "RoundResult",
    "Severity",
    "Source",
    "Status",
    "TieBreak",
    "check_decisions",
    "funded_before",
    "funded_before_ids",
    "other_organisation",
    "other_organisation_key",
    "sheet_reference",
]

MAX_RANK = 1_000_000_000
"""The largest given rank: ranks are shown and recorded as given, and a ledger, a spreadsheet
and JSON readers all hold this exactly (a typo of 1e30 would not fit the ledger's integers)."""

_T = TypeVar("_T")

CellValue = str | int | Decimal | bool | None
"""A carried-through cell as tilskudd keeps it: text, whole number, exact decimal, or empty."""

ORG_ID_COLUMN = "Recipient Org:Identifier"
"""The carried column that keeps another register's organisation identifier from 360Giving's
``Recipient Org:Identifier`` (``GB-CHC-1234567``, or a publisher's own, ``E5104X``): no orgnr,
but the recipient's own id in that data, by which ``per_applicant_max`` counts its
applications together (:attr:`Application.organisation`)."""

ParamValue = str | int | Decimal | bool | None | list[str]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Severity(StrEnum):
    """How bad an :class:`Issue` is: errors stop an application, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


class Location(_Frozen):
    """Where in an input something was found: file, sheet and cell (``Søknader!F12``)."""

    file: str
    sheet: str | None = None
    row: int | None = Field(
        default=None, description="1-based row number as the spreadsheet shows it"
    )
    column: str | None = Field(default=None, description="column letter(s), e.g. 'F'")
    header: str | None = Field(default=None, description="the column's header text in the file")

    # Where a problem is, for people and the programs that show it (check's and allocate's
    # JSON): the file's, the sheet's and the header's names as every output shows text, a
    # bidi control or control character as its code. Never used to open or find anything.
    @field_validator("file", "sheet", "header")
    @classmethod
    def _names_visible(cls, name: str | None) -> str | None:
        return None if name is None else visible(name)

    @property
    def cell(self) -> str:
        """The cell reference as a spreadsheet user writes it: ``Søknader!F12``, ``row 12``."""
        ref = ""
        if self.column and self.row:
            ref = f"{self.column}{self.row}"
        elif self.row:
            ref = f"row {self.row}"
        elif self.column:
            ref = f"column {self.column}"
        if self.sheet and ref:
            return f"{sheet_reference(self.sheet)}!{ref}"
        return ref or (sheet_reference(self.sheet) if self.sheet else "")


class Issue(_Frozen):
    """One problem found in the input, pinned to where it is, with what was expected."""

    severity: Severity
    code: str = Field(description="stable machine code, e.g. 'orgnr.checksum'")
    params: dict[str, ParamValue] = Field(default_factory=dict)
    location: Location | None = None
    field: str | None = Field(default=None, description="the tilskudd field, e.g. 'requested'")
    value: str | None = Field(default=None, description="the offending cell's text")
    application_id: str | None = None

    # The cell's text as every output shows it (tilskudd.controls): a bidi control or control
    # character as its code. The JSON of check and of allocate hands it to programs that show
    # it, and a rejected row's cells are listed and recorded from it; where it was typed, the
    # issue's place names. Never kept raw, so that no output can show it as typed.
    @field_validator("value")
    @classmethod
    def _value_visible(cls, value: str | None) -> str | None:
        return None if value is None else visible(value)

    @field_validator("params")
    @classmethod
    def _params_visible(cls, params: dict[str, ParamValue]) -> dict[str, ParamValue]:
        return cast(dict[str, ParamValue], visible_in(params))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class Application(_Frozen):
    """One valid application to a grant round."""

    id: str
    requested: int = Field(gt=0, le=MAX_AMOUNT, description="amount applied for, whole kroner")
    applicant: str | None = None
    orgnr: str | None = Field(default=None, pattern=r"^\d{9}$")
    project: str | None = None
    municipalities: tuple[str, ...] = Field(default=(), description="4-digit municipality numbers")
    counties: tuple[str, ...] = Field(
        default=(),
        description="2-digit county numbers, from the county column or the municipalities",
    )
    total_cost: int | None = Field(default=None, gt=0, le=MAX_AMOUNT)
    score: Decimal | None = None
    rank: int | None = Field(default=None, ge=1, le=MAX_RANK, description="a given order, 1 first")
    category: str | None = None
    decision: Literal["fund", "reject", "reserve"] | None = Field(
        default=None, description="manual override by an officer"
    )
    decision_amount: int | None = Field(default=None, ge=0, le=MAX_AMOUNT)
    decision_reason: str | None = None
    row: int | None = Field(default=None, description="the row it was read from, for messages")
    extra: dict[str, CellValue] = Field(
        default_factory=dict, description="columns tilskudd does not know, carried through"
    )

    @property
    def organisation(self) -> str | None:
        """Whose application this is, for ``per_applicant_max`` and every other comparison of
        organisations: the organisation number, else the recipient's identifier in another
        register where the input gave one (:data:`ORG_ID_COLUMN`), as compared
        (:func:`~tilskudd.orgid.organisation_key`: ``GB-CHC-1234567`` for
        ``gb-chc-1234567``), else None: in no organisation's total."""
        return self.orgnr or other_organisation_key(self.extra)

    @property
    def organisation_as_given(self) -> str | None:
        """The organisation as the input gave it (without spaces around): what is shown and
        recorded, where :attr:`organisation` is what is compared."""
        return self.orgnr or other_organisation(self.extra)

    @model_validator(mode="after")
    def _requested_within_cost(self) -> Application:
        if self.total_cost is not None and self.requested > self.total_cost:
            raise ValueError("requested is more than total cost")
        return self


def other_organisation(extra: Mapping[str, CellValue]) -> str | None:
    """The recipient's identifier in another register among an application's carried cells
    (:data:`ORG_ID_COLUMN`), or None (none, or a placeholder for none): for an application
    without an organisation number."""
    given = extra.get(ORG_ID_COLUMN) if extra else None
    if isinstance(given, str):
        # "GB-CHC-1234567\u200b " pasted from a web page is GB-CHC-1234567 to the eye.
        given = (given if given.isascii() else given.translate(_DROP_INVISIBLE)).strip()
        # A placeholder for a missing identifier ("N/A", "-", "0", "unknown") names no one:
        # the applications that share it are different recipients. Short codes without
        # digits are real identifiers (NOR, HAM, in the UK government's awards).
        key = "".join(c for c in given.casefold() if c.isalnum())
        if key.strip("0") and key not in _PLACEHOLDERS:
            return given
    return None


def other_organisation_key(extra: Mapping[str, CellValue]) -> str | None:
    """:func:`other_organisation` as compared (:func:`~tilskudd.orgid.organisation_key`)."""
    given = other_organisation(extra)
    return None if given is None else organisation_key(given)


_DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))

ID_TEXT: Final = {
    **_DROP_INVISIBLE,
    **dict.fromkeys(map(ord, "\u2010\u2011"), "-"),  # hyphen, no-break hyphen
    **dict.fromkeys(map(ord, "\u00a0\u202f\u2007"), " "),  # no-break, narrow, figure space
}
"""What an id's text is read with (:func:`read_id`)."""


def read_id(text: str) -> str:
    """An id as tilskudd reads it from a cell: characters that show as nothing left out, and a
    hyphen or space that looks like ``-`` or `` `` read as it (``A\u20111`` is ``A-1``), so
    that an id is the same id however it was typed, in every format; spaces around it left
    out. Ids recorded in a ledger before 2026-11-30 were read without the hyphen and space."""
    return (text if text.isascii() else text.translate(ID_TEXT)).strip()


_PLACEHOLDERS = frozenset(
    {
        *("na", "nk", "none", "null", "nil", "nan", "unknown", "notknown", "notapplicable"),
        *("notavailable", "tbc", "tba", "tbd", "missing", "blank", "x", "xx", "xxx"),
        *("ukjent", "mangler", "ingen", "ikkeoppgitt", "ikkerelevant", "ikkeaktuelt"),
    }
)
"""What publishers and officers write for "no identifier", folded to letters and digits."""


class RejectedRow(_Frozen):
    """An application that could not be validated: what could be read of it, and why not."""

    id: str
    row: int | None = None
    applicant: str | None = None
    orgnr: str | None = Field(default=None, pattern=r"^\d{9}$")
    """The organisation number, when its cell was valid (another cell of the row was not)."""
    project: str | None = None
    requested: int | None = None
    municipalities: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()
    total_cost: int | None = None
    score: Decimal | None = None
    rank: int | None = None
    category: str | None = None
    """The row's other cells as read, when they were valid: a published list of the rejected
    shows everything the applicant gave; a cell with an error is None here, and
    :attr:`typed` gives it as it was typed."""
    issues: tuple[Issue, ...]
    extra: dict[str, CellValue] = Field(default_factory=dict)

    @property
    def organisation(self) -> str | None:
        """Whose application this is, as :attr:`Application.organisation` says it: the
        organisation number, else the recipient's identifier in another register, as compared;
        else None."""
        return self.orgnr or other_organisation_key(self.extra)

    @property
    def organisation_as_given(self) -> str | None:
        """The organisation as the input gave it, as :attr:`Application.organisation_as_given`."""
        return self.orgnr or other_organisation(self.extra)

    @property
    def typed(self) -> dict[str, str]:
        """The cells with an error, by field (``requested``, ``municipalities``, ``county``,
        ...), as they were typed: what the lists show in their place, beside the problem."""
        typed: dict[str, str] = {}
        for issue in self.issues:
            if issue.is_error and issue.field and issue.value is not None:
                typed.setdefault(issue.field, issue.value)
        return typed


class TieBreak(_Frozen):
    """One step of the stated tie-break order: a field or carried-through column and a direction."""

    column: str
    descending: bool = True

    @property
    def text(self) -> str:
        """The step as a policy file writes it: ``score desc``."""
        return f"{self.column} {'desc' if self.descending else 'asc'}"


RECORDED = "tilskudd.policy_recorded"
"""Validation context key for :meth:`Policy.from_record`: the policy is one tilskudd recorded
(a committed round's), read as recorded: checks added since it was recorded do not refuse it."""


def _is_recorded(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get(RECORDED))


AMOUNTS_IN = "tilskudd.amounts_in"
"""Validation context key for the currency a policy's amounts typed as text are read in (the
round's or the programme's: ``"100 000 EUR"`` in euros); kroner without it."""


def setting_problem(key: str, **params: Any) -> PydanticCustomError:
    """A problem with a setting (of a policy or a programme) whose pydantic error type is its
    catalogue key (``policy.error.*``, ``programme.error.*``) and whose context is the key's
    parameters: :func:`tilskudd.policyfile.problem_phrase` says it in the user's language; the
    message pydantic shows is the English text."""
    from tilskudd.i18n import get

    return PydanticCustomError(key, get("en").render(key, params), params)


def _parse_share(value: Any) -> Any:
    """Accept a share as ``"20 %"`` (also ``"20%"``, ``"12,5 %"``), as a fraction (0.2) or as a
    number of percent above 1 (20, ``"20"``, 12.5).

    The same number means the same share however it is written (an int, a float or text). Only
    exactly 1 is refused: a person may mean 1 % or 100 % by it.
    """
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if text.endswith("%"):
            try:
                return Decimal(text[:-1].strip()) / 100
            except ArithmeticError:
                raise setting_problem("policy.error.share_percent", value=value) from None
        try:
            number = Decimal(text)
        except ArithmeticError:
            raise setting_problem("policy.error.share_text", value=value) from None
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        return value
    if not number.is_finite():
        return number  # refused by the field's bounds
    if number == 1:
        raise setting_problem("policy.error.share_one")
    return number / 100 if number > 1 else number


_SHARES = ("min_share", "max_share")


def _recorded_share(value: Any) -> Any:
    """A share as tilskudd records it, a fraction written out (``"0.2"``, ``"1"``), as that
    fraction; anything else as given, for the policy's checks to judge."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


def _parse_amount_text(value: Any, info: ValidationInfo | None = None) -> Any:
    """Accept amounts as people write them ("1 000 000", "1,5 mill."), in the currency the
    context gives (:data:`AMOUNTS_IN`); other values as given."""
    if isinstance(value, str):
        # Imported here: money is only needed for text, and models stays light to import.
        from tilskudd.money import parse_amount

        currency = info.context.get(AMOUNTS_IN) if info is not None and info.context else None
        return parse_amount(value, allow_zero=True, currency=currency or NOK)
    return value


WHOLE_DIGITS = 15
DECIMAL_PLACES = 20
"""Digits a score or share of a policy may have before its decimal mark, and after it: more than
any scheme uses (a float's 17 significant digits fit), and few enough that ``1e999999999``
(which the words of a reason would write out in full, for minutes) is refused as written."""

_DIGITS: dict[str, Any] = {
    "max_digits": WHOLE_DIGITS + DECIMAL_PLACES,
    "decimal_places": DECIMAL_PLACES,
}

# Checked by the fields' validators, not as the fields' own constraints: a round committed by a
# tilskudd before these limits (0.1.0) may have recorded a value past them (a min_score of 23
# decimals, time_limit = inf), which is read back as recorded (Policy.from_record).
_WITHIN_DIGITS: TypeAdapter[Decimal] = TypeAdapter(Annotated[Decimal, Field(**_DIGITS)])
_FINITE: TypeAdapter[float] = TypeAdapter(Annotated[float, Field(allow_inf_nan=False)])
_LIMIT_PROBLEMS = frozenset(
    {"decimal_max_digits", "decimal_max_places", "decimal_whole_digits", "finite_number"}
)


def _within_limits(adapter: TypeAdapter[Any], value: Any, info: ValidationInfo) -> Any:
    """``value``, unless it is past the digits (or is not finite) ``adapter`` allows and the
    policy is not a recorded one: then pydantic's own error for it, as the field's constraint
    gave it. Any other problem is left for the field's checks to name."""
    if value is None or _is_recorded(info):
        return value
    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        for error in exc.errors():
            if error["type"] in _LIMIT_PROBLEMS:
                raise PydanticCustomError(
                    error["type"], error["msg"], dict(error.get("ctx") or {})
                ) from None
    return value


def _not_a_truth(value: Any, key: str) -> Any:
    """``value``, unless it is true or false: a number field of a TOML file (``reserve = true``)
    that pydantic would take as 1 or 0, and the setting would silently hold a number not written."""
    if isinstance(value, bool):
        raise setting_problem(key)
    return value


QUOTA_LIMITS = ("min_amount", "max_amount", "min_share", "max_share", "min_count", "max_count")
"""A quota's limits, in the order a policy file and every output give them."""


class Quota(_Frozen):
    """A limit on what one group of applications (a category or a county) may get in a round.

    ``value`` names the group: a category as written in the applications (compared without case),
    or a county number or name; ``"*"`` applies the limits to each category or county separately.
    Limits, any combination: ``min_amount``/``max_amount`` (kroner), ``min_share``/``max_share``
    (of the budget: ``"30 %"``), ``min_count``/``max_count`` (funded applications). In TOML::

        [[policy.quotas]]
        by = "county"
        value = "*"
        max_share = "30 %"

    How each rule applies them: :mod:`tilskudd.rules.quotas`.
    """

    by: Literal["category", "county"]
    value: str = Field(min_length=1, description='a category, a county number or name, or "*"')
    min_amount: int | None = Field(default=None, ge=0, description="at least this many kroner")
    max_amount: int | None = Field(default=None, ge=0, description="at most this many kroner")
    min_share: Decimal | None = Field(default=None, ge=0, le=1, description="of the budget")
    max_share: Decimal | None = Field(default=None, ge=0, le=1, description="of the budget")
    min_count: int | None = Field(default=None, ge=0, description="at least this many funded")
    max_count: int | None = Field(default=None, ge=0, description="at most this many funded")

    _recorded: bool = PrivateAttr(default=False)

    @property
    def text(self) -> str:
        """The quota as a policy file writes it: ``county *: max_share 0.3``."""
        limits = [
            f"{key} {getattr(self, key)}" for key in QUOTA_LIMITS if getattr(self, key) is not None
        ]
        return f"{self.by} {self.value}: {', '.join(limits)}"

    @property
    def recorded(self) -> bool:
        """Read back from a committed round (:meth:`Policy.from_record`): its county number is
        the group as it was recorded, even one no numbering has (``"99"``), which tilskudd
        0.1.0 took as given and which a round committed with it was allocated by."""
        return self._recorded

    @field_validator("value", mode="before")
    @classmethod
    def _value_text(cls, value: Any, info: ValidationInfo) -> Any:
        # A county number written as a TOML integer (3) is the county "03".
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str) and has_hidden(value) and not _is_recorded(info):
            # "Os\u202elo" would be read as Oslo, or a category match nothing, without a word;
            # the group a limit is on is the officer's to write plainly (tilskudd.controls).
            # Kept as recorded in a committed round, which is re-run as it was allocated.
            characters = list(hidden_in(value))
            raise setting_problem(
                "policy.error.hidden_characters",
                value=visible(value.strip()),
                characters=characters,
                count=len(characters),
            )
        return value.strip() if isinstance(value, str) else value

    @field_validator("min_amount", "max_amount", mode="before")
    @classmethod
    def _amount(cls, value: Any, info: ValidationInfo) -> Any:
        return _parse_amount_text(_not_a_truth(value, "policy.error.whole_number"), info)

    @field_validator("min_count", "max_count", mode="before")
    @classmethod
    def _count(cls, value: Any) -> Any:
        return _not_a_truth(value, "policy.error.whole_number")

    @field_validator("min_share", "max_share", mode="before")
    @classmethod
    def _share(cls, value: Any, info: ValidationInfo) -> Any:
        return _within_limits(_WITHIN_DIGITS, _parse_share(value), info)

    @model_validator(mode="after")
    def _limits(self, info: ValidationInfo) -> Quota:
        self._recorded = _is_recorded(info)
        pairs = (
            ("amount", self.min_amount, self.max_amount),
            ("share", self.min_share, self.max_share),
            ("count", self.min_count, self.max_count),
        )
        if all(low is None and high is None for _, low, high in pairs):
            raise setting_problem("policy.error.quota_no_limit")
        # Minimums of 0 and no maximum: a quota that can never hold anything, whatever the
        # applications (a limit left at 0 in a template). Read as recorded from a round
        # committed before this check.
        if all(high is None and not low for _, low, high in pairs) and not self._recorded:
            zero = [f"min_{kind}" for kind, low, _ in pairs if low is not None]
            raise setting_problem("policy.error.quota_zero_minimum", limits=zero)
        for kind, low, high in pairs:
            if low is not None and high is not None and low > high:
                raise setting_problem(
                    f"policy.error.quota_min_above_max_{kind}", low=low, high=high
                )
        return self


class Policy(_Frozen):
    """How a round's budget is allocated: the rule and every cap, threshold and tie-break.

    Read from a TOML file (``[policy]`` table or top level) and overridden by options; recorded in
    every output so the decision can be reproduced.
    """

    rule: Literal["ranked", "proportional", "optimal", "lottery"] = "ranked"
    max_award: int | None = Field(
        default=None, gt=0, le=MAX_AMOUNT, description="absolute cap per application"
    )
    max_share_of_cost: Decimal | None = Field(
        default=None,
        gt=0,
        le=1,
        description="at most this share of total cost (0.2 = 20 %)",
    )
    min_award: int = Field(default=0, ge=0, le=MAX_AMOUNT, description="no award below this")
    round_to: int = Field(
        default=1, ge=1, le=MAX_AMOUNT, description="awards rounded down to a multiple of this"
    )
    min_score: Decimal | None = Field(default=None, description="eligibility threshold")
    per_applicant_max: int | None = Field(
        default=None,
        gt=0,
        le=MAX_AMOUNT,
        description="cap on the sum over one organisation number's applications",
    )
    at_line: Literal["skip", "stop", "partial"] = "skip"
    reserve: int = Field(default=0, ge=0, description="length of the reserve list")
    tie_break: tuple[TieBreak, ...] = ()
    weight: Literal["none", "score"] = Field(
        default="none", description="proportional: weight each share by score"
    )
    seed: int | None = Field(default=None, description="seed for any randomness (lottery)")
    objective: Literal["score", "count", "score_amount"] = Field(
        default="score",
        description="optimal: maximise the total score, the number funded, or score × amount",
    )
    time_limit: float = Field(
        default=60.0,
        gt=0,
        description="optimal: seconds the solver may search for a proof",
    )
    lottery_band: Decimal = Field(
        default=Decimal(0),
        ge=0,
        description="lottery: scores within this of the score at the funding line are drawn",
    )
    quotas: tuple[Quota, ...] = Field(
        default=(), description="limits per category or county (ranked, optimal, lottery)"
    )

    @field_validator("max_share_of_cost", mode="before")
    @classmethod
    def _share(cls, value: Any, info: ValidationInfo) -> Any:
        return _within_limits(_WITHIN_DIGITS, _parse_share(value), info)

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> Policy:
        """The policy as tilskudd recorded it (``model_dump(mode="json")``: the ledger's rounds).

        A recorded share is the fraction tilskudd worked with, so a recorded ``"1"`` is 100 %;
        from a person, 1 alone is refused as 1 % or 100 % (:func:`_parse_share`), and a round
        committed at 100 % of cost could not be read back to be re-run. A check added since a
        round was committed does not refuse what it recorded either (a quota's county
        number, :attr:`Quota.recorded`): the round is re-run as it was allocated.
        """
        recorded = dict(data)
        recorded["max_share_of_cost"] = _recorded_share(recorded.get("max_share_of_cost"))
        quotas = recorded.get("quotas")
        if isinstance(quotas, list | tuple):
            recorded["quotas"] = [
                {k: _recorded_share(v) if k in _SHARES else v for k, v in q.items()}
                if isinstance(q, Mapping)
                else q
                for q in quotas
            ]
        return cls.model_validate(recorded, context={RECORDED: True})

    @field_validator(
        "max_award", "min_award", "round_to", "per_applicant_max", "reserve", "seed", mode="before"
    )
    @classmethod
    def _whole(cls, value: Any) -> Any:
        return _not_a_truth(value, "policy.error.whole_number")

    @field_validator("time_limit", mode="before")
    @classmethod
    def _seconds(cls, value: Any, info: ValidationInfo) -> Any:
        return _within_limits(_FINITE, _not_a_truth(value, "policy.error.number"), info)

    @field_validator("min_score", "lottery_band", mode="before")
    @classmethod
    def _decimal_as_written(cls, value: Any, info: ValidationInfo) -> Any:
        # "4,5" as a Norwegian writes it (score cells accept it too); a float exactly as written.
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        elif isinstance(value, float):
            value = Decimal(repr(value))
        return _within_limits(_WITHIN_DIGITS, value, info)

    @field_validator("tie_break", mode="before")
    @classmethod
    def _tie_break(cls, value: Any) -> Any:
        # Accept "score desc, total_cost asc" or ["score desc", ...] as well as tables.
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple):
            out: list[Any] = []
            for item in value:
                if isinstance(item, str):
                    words = item.split()
                    if not words:
                        continue
                    if len(words) > 2:  # "id asc extra": a comma left out, a word dropped
                        raise setting_problem("policy.error.tie_words", value=item.strip())
                    direction = words[1].lower() if len(words) > 1 else "desc"
                    if direction not in {"asc", "desc", "ascending", "descending"}:
                        raise setting_problem("policy.error.tie_direction", direction=direction)
                    out.append({"column": words[0], "descending": direction.startswith("desc")})
                else:
                    out.append(item)
            return tuple(out)
        return value

    _recorded: bool = PrivateAttr(default=False)

    @property
    def recorded(self) -> bool:
        """Read by :meth:`from_record`: a committed round's policy, read as recorded."""
        return self._recorded

    @model_validator(mode="after")
    def _coherent(self, info: ValidationInfo) -> Policy:
        self._recorded = _is_recorded(info)
        # Limits that leave no award possible: a typing error (an extra 0), never a policy.
        # Said before the round, not as the same reason on every application.
        if self.max_award is not None and self.min_award > self.max_award:
            raise setting_problem(
                "policy.error.min_above_max_award",
                min_award=self.min_award,
                max_award=self.max_award,
            )
        if self.per_applicant_max is not None and self.min_award > self.per_applicant_max:
            raise setting_problem(
                "policy.error.min_above_per_applicant",
                min_award=self.min_award,
                per_applicant_max=self.per_applicant_max,
            )
        if self.max_award is not None and self.max_award < self.round_to:
            raise setting_problem(
                "policy.error.max_below_round_to", max_award=self.max_award, round_to=self.round_to
            )
        if self.per_applicant_max is not None and self.per_applicant_max < self.round_to:
            raise setting_problem(
                "policy.error.per_applicant_below_round_to",
                per_applicant_max=self.per_applicant_max,
                round_to=self.round_to,
            )
        return self

    def describe(self) -> dict[str, Any]:
        """The policy as plain values for outputs (JSON-able; Decimal as text)."""
        data = self.model_dump(mode="json")
        return dict(data.items())


class Status(StrEnum):
    """The outcome for one application."""

    FUNDED = "funded"
    PARTLY_FUNDED = "partly_funded"
    RESERVE = "reserve"
    NOT_FUNDED = "not_funded"
    REJECTED = "rejected"


class Reason(NamedTuple):
    """A structured justification: a stable code and its parameters (amounts in kroner).

    A named tuple, not a pydantic model: a round of 100 000 applications makes about 200 000 of
    them, and a tuple costs a fraction of a model to build (docs/benchmarks.md). They are built by
    tilskudd's own rules from values it computed, and :class:`Allocation` checks the decisions
    that hold them. Treat ``params`` as read-only.
    """

    code: str
    params: dict[str, ParamValue] = {}  # noqa: RUF012 - shared, read-only; see the docstring


class Decision(NamedTuple):
    """The decision on one application: status, amount, rank and the reasons for it.

    A named tuple for the same reason as :class:`Reason` (one per application). That the status
    fits the amount (funded and partly funded exactly when the amount is above 0) is checked by
    :class:`Allocation`, which every decision of a result belongs to, and by :meth:`check`.
    """

    application_id: str
    status: Status
    amount: int
    requested: int | None = None
    """Amount applied for, for convenience."""
    eligible_amount: int | None = None
    """The request after every cap: the most it could have received."""
    rank: int | None = None
    """1 first: the competition rank by score (1, 2, 2, 4), or the rank the officer gave (1, 3, 4
    when no. 2 was withdrawn); equal ranks marked ``tied`` for true ties."""
    tied: bool = False
    """Shares its rank with another application, equal on every tie-break column as well."""
    override: bool = False
    """Decided by an officer's manual override."""
    reasons: tuple[Reason, ...] = ()

    def check(self) -> Decision:
        """``self`` if its fields hold together; :class:`ValueError` saying what does not."""
        if not isinstance(self.application_id, str) or not self.application_id:
            raise ValueError(f"decision has no application id: {self.application_id!r}")
        if not isinstance(self.status, Status):
            raise ValueError(f"{self.application_id}: {self.status!r} is not a status")
        amount = self.amount
        if type(amount) is not int or amount < 0:
            raise ValueError(f"{self.application_id}: amount {amount!r} is not whole kroner >= 0")
        if (self.status in _FUNDED) != (amount > 0):
            raise ValueError(
                f"{self.application_id}: status {self.status} does not fit amount {amount}"
            )
        return self

    def replace(self, **changes: Any) -> Decision:
        """A copy with ``changes`` (``NamedTuple._replace``), checked."""
        return self._replace(**changes).check()


_FUNDED = frozenset({Status.FUNDED, Status.PARTLY_FUNDED})

ALREADY_FUNDED = "reason.round.already_funded"
"""The reason code of an application not funded because it was funded in an earlier round
(the same id, or the same organisation and project; see
:meth:`tilskudd.ledger.RoundContext.already_funded`). The round did not consider it: the caps
and the min_score verdict recorded beside it are for an amendment to be held to."""


def funded_before(decision: Decision) -> bool:
    """Whether ``decision`` leaves its application out as funded in an earlier round."""
    return any(r.code == ALREADY_FUNDED for r in decision.reasons)


def funded_before_ids(decisions: Sequence[Decision]) -> set[str]:
    """The applications ``decisions`` leave out as funded in an earlier round."""
    return {d.application_id for d in decisions if funded_before(d)}


DECISIONS_CHECKED = "tilskudd.decisions_checked"
"""Validation context key for :class:`Allocation`: its value is the tuple of decisions that was
just put through :func:`check_decisions`, so the model need not walk them again."""


def check_decisions(
    decisions: Sequence[Decision],
    policy: Policy | None = None,
    *,
    visit: Sequence[int] | None = None,
) -> int:
    """Check a round's decisions in one pass and return the sum of their awards.

    Each must be a :class:`Decision` with an amount in whole kroner (``int`` >= 0) and a status
    that fits it; no application may appear twice. With ``policy``, each award not made by an
    officer's override must also be at most its eligible amount and its request, on the
    ``round_to`` grid and at least ``min_award``. Raises :class:`ValueError` naming the first
    decision that breaks a rule.

    One pass touching as little of each decision as it can: at 100 000 decisions the time goes
    on reaching the objects in memory, not on the comparisons. ``visit``, the indices of
    ``decisions`` in the order they were made (which is how they lie in memory), makes that
    pass about a third faster than rank order; it only orders the pass: a ``visit`` that does
    not name each decision once fails the check (an id would be missing or twice).
    """
    if visit is not None and len(visit) != len(decisions):
        raise ValueError("the order to check the decisions in does not name each of them once")
    funded = _FUNDED
    ids: set[str] = set()
    add = ids.add
    total = 0
    step = policy.round_to if policy is not None else 1
    minimum = policy.min_award if policy is not None else 0
    for d in decisions if visit is None else map(decisions.__getitem__, visit):
        if type(d) is not Decision:
            raise ValueError(f"not a Decision: {d!r}")
        app_id = d[0]
        amount = d[2]
        if type(amount) is not int or amount < 0:
            raise ValueError(f"{app_id}: amount {amount!r} is not whole kroner >= 0")
        if (d[1] in funded) != (amount > 0):
            raise ValueError(f"{app_id}: status {d[1]} does not fit amount {amount}")
        if amount and policy is not None and not d.override:
            eligible = d.eligible_amount
            if eligible is None or amount > eligible:
                raise ValueError(f"{app_id}: {amount} above its eligible amount")
            requested = d.requested
            if requested is not None and amount > requested:
                raise ValueError(f"{app_id}: {amount} above its request")
            if amount % step or amount < minimum:
                raise ValueError(f"{app_id}: {amount} off round_to or below min")
        total += amount
        add(app_id)
    if len(ids) != len(decisions):
        raise ValueError("an application appears more than once in the allocation")
    return total


class Allocation(_Frozen):
    """A round's result: one decision per application, and the budget accounted to the krone.

    The decisions are not re-validated field by field by pydantic (100 000 of them would cost
    more than allocating them); the model's own check walks them once: each is a
    :class:`Decision` whose status fits its amount, the ids are unique, the awards sum to
    ``awarded`` and ``budget == awarded + unallocated``.
    """

    rule: str
    policy: Policy
    budget: int = Field(ge=0, le=MAX_AMOUNT)
    decisions: SkipValidation[tuple[Decision, ...]]
    awarded: int = Field(ge=0)
    unallocated: int = Field(ge=0)
    seed: int | None = None
    notes: SkipValidation[tuple[Reason, ...]] = Field(
        default=(), description="round-level remarks: ties at the line, proven optimality, draws"
    )

    @field_validator("decisions", "notes", mode="before")
    @classmethod
    def _as_tuple(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    _checked: tuple[Any, ...] | None = PrivateAttr(default=None)
    """What the checks below passed on: pydantic runs them again each time this allocation is
    put into another model (a RoundResult); they are not repeated while the decisions are the
    same tuple and the figures the same (a copy with other values is checked again)."""

    def _state(self) -> tuple[Any, ...]:
        return (self.budget, self.awarded, self.unallocated, self.notes)

    @model_validator(mode="after")
    def _budget_holds(self, info: ValidationInfo) -> Allocation:
        checked = self._checked
        if checked is not None and checked[0] is self.decisions and checked[1:] == self._state():
            return self
        decisions = self.decisions
        if not isinstance(decisions, tuple):
            raise ValueError("decisions must be a tuple of Decision")
        context = info.context
        if context is not None and context.get(DECISIONS_CHECKED) is decisions:
            total = self.awarded  # build_allocation checked these very decisions and summed them
        else:
            total = check_decisions(decisions)
        for note in self.notes:
            if type(note) is not Reason:
                raise ValueError(f"not a Reason: {note!r}")
        if total != self.awarded:
            raise ValueError(f"awarded {self.awarded} differs from the sum of awards {total}")
        if self.budget != self.awarded + self.unallocated:
            raise ValueError(
                f"budget {self.budget} != awarded {self.awarded} + unallocated {self.unallocated}"
            )
        self._checked = (decisions, *self._state())
        return self

    def with_unfunded(self, decisions: Sequence[Decision]) -> Allocation:
        """This allocation with more decisions that award nothing appended (applications
        rejected as invalid, or funded in an earlier round); the budget is unchanged.

        Checks the new decisions and that no id appears twice, without walking the rule's
        decisions through every check again (at 100 000 decisions, a tenth of a second).
        """
        added = tuple(decisions)
        try:
            if check_decisions(added):
                raise ValueError("decisions added to an allocation must award nothing")
        except ValueError as error:
            raise ValueError(f"cannot add these decisions: {error}") from None
        ids = {d.application_id for d in self.decisions}
        for d in added:
            if d.application_id in ids:
                raise ValueError(
                    f"cannot add these decisions: {d.application_id} is already in the allocation"
                )
        combined = self.decisions + added
        return type(self).model_validate(
            {**dict(self), "decisions": combined}, context={DECISIONS_CHECKED: combined}
        )

    def by_id(self) -> Mapping[str, Decision]:
        """Decisions keyed by application id."""
        return {d.application_id: d for d in self.decisions}

    def funded(self) -> tuple[Decision, ...]:
        """Funded and partly funded decisions, in rank order."""
        return tuple(d for d in self.decisions if d.amount > 0)


class Source(_Frozen):
    """The input a round was allocated from, recorded so the decision can be reproduced."""

    file: str = Field(description="file name as given")
    sha256: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    comment: str | None = None
    """What the file's compilers wrote on the data (a pabulib ``META`` comment), whole; it may
    say what the data leave out, so the round's records keep it (never the published lists)."""


class AwardChange(_Frozen):
    """An amendment or withdrawal the ledger recorded after the round was committed, as the
    documents of the round tell of it (:class:`tilskudd.ledger.AmendmentRecord`)."""

    application_id: str
    kind: Literal["amend", "withdraw"]
    created: str
    """When it was recorded (ISO 8601, UTC), as the ledger holds it."""
    amount_before: int = Field(ge=0)
    amount_after: int = Field(ge=0)
    reason: str
    outside_policy: tuple[str, ...] = ()
    """The rules of the round's policy it went beyond (``--outside-policy``), as recorded."""
    outside_policy_figures: str | None = None
    """What each of those rules held it to (:attr:`tilskudd.ledger.AmendmentRecord.
    outside_policy_figures`), as the ledger gives it."""
    figures_worked_out: bool = False
    """Those figures were worked out from the round's records, not recorded with the change."""
    decided: str | None = None
    """The date it was decided (ISO 8601, ``2009-10-12``) when the officer gave it; None: only
    the time it was recorded is known."""


class RoundResult(_Frozen):
    """Everything one run of a round produced: inputs, issues and the allocation.

    ``allocation.decisions`` covers every application, the rejected (invalid) ones included; this
    is what the terminal view, the exports and the ledger take.
    """

    allocation: Allocation
    applications: tuple[Application, ...]
    rejected: tuple[RejectedRow, ...] = ()
    issues: tuple[Issue, ...] = ()
    source: Source | None = None
    extra_columns: tuple[str, ...] = ()
    tool_version: str
    created: datetime
    programme: str | None = None
    round: str | None = None
    funder: str | None = None
    decision_date: date | None = None
    """The date of the round's decision, where the programme gives it (its ``decision``)."""
    currency: str = NOK
    """The ISO 4217 code of the currency every amount of the round is in: its words, its
    documents and its 360Giving ``Currency`` say it (:mod:`tilskudd.currency`)."""
    changes: tuple[AwardChange, ...] = ()
    """For a committed round, the amendments and withdrawals recorded since, in order: the
    documents show the awards as they stand, each change with its date and reason. Empty for a
    round as decided (``allocation`` is always the decision)."""

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> Any:
        return parse_currency(value)

    _derived: dict[str, tuple[tuple[Any, ...], Any]] = PrivateAttr(default_factory=dict)
    _allocated_against: Any = PrivateAttr(default=None)
    """What a programme's round was allocated against (a :class:`tilskudd.ledger.RoundContext`,
    set by :func:`tilskudd.rounds.run_programme_round`), so that the commit can tell whether the
    ledger changed since; None for a result allocated without a ledger."""

    def derived(self, key: str, parts: tuple[Any, ...], compute: Callable[[], _T]) -> _T:
        """``compute()``, once per result: a figure several outputs derive from this result (the
        summary, the display order). Worked out again if any of ``parts``, the values it is
        derived from, is not the very object it was first derived from (a changed copy)."""
        cached = self._derived.get(key)
        if cached is not None:
            seen, value = cached
            if len(seen) == len(parts) and all(a is b for a, b in zip(seen, parts, strict=True)):
                return value  # type: ignore[no-any-return]
        value = compute()
        self._derived[key] = (parts, value)
        return value

    def applications_by_id(self) -> Mapping[str, Application]:
        """The valid applications by id (made once per result; do not change it)."""
        apps = self.applications
        return self.derived("applications_by_id", (apps,), lambda: {a.id: a for a in apps})

    def rejected_by_id(self) -> Mapping[str, RejectedRow]:
        """The rejected (invalid) applications by id (made once per result)."""
        rows = self.rejected
        return self.derived("rejected_by_id", (rows,), lambda: {r.id: r for r in rows})

    def application(self, application_id: str) -> Application | None:
        """The valid application with this id, or None (rejected or unknown)."""
        return self.applications_by_id().get(application_id)
