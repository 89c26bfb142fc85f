"""A grant programme: its file ``tilskudd.toml``, found in the current folder or above it.

A programme is one grant scheme with a budget frame spread over rounds (Difi 2009: 60 000 000 kr,
20 000 000 kr in round 1 and 40 000 000 kr in round 2), a default policy, a language, the
municipality register and where its ledger lives::

    [programme]
    name = "IKT-tilskudd til kommunene"
    funder = "Difi"
    frame = "60 000 000"
    lang = "nb"
    register = "2009"

    [[round]]
    number = 1
    budget = "20 000 000"

    [policy]
    max_share_of_cost = "20 %"

Amounts may be written as people write them (``"60 000 000"``, ``"60M"``), in whole units of the
programme's ``currency`` (an ISO 4217 code, ``"EUR"``; Norwegian kroner unless it names another),
which its ledger keeps from the first round committed. A round without a
budget gets what remains of the frame. :func:`find_programme` looks for the file like git looks
for ``.git``; :func:`init_programme` writes a commented, working one with an applications
template beside it.
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from tilskudd import clock
from tilskudd.clock import first_round_year
from tilskudd.currency import NOK, parse_currency
from tilskudd.errors import CurrencyError, OutputExistsError, PolicyError, ProgrammeError
from tilskudd.i18n import Phrase, quoted
from tilskudd.models import Policy, setting_problem
from tilskudd.money import parse_amount
from tilskudd.textfile import read_text
from tilskudd.tomlplaces import TomlPlaces

__all__ = [
    "LEDGER_NAME",
    "PROGRAMME_FILE",
    "TEMPLATE_FILE",
    "TEMPLATE_FILES",
    "InitResult",
    "Programme",
    "Round",
    "find_programme",
    "find_programme_file",
    "init_programme",
    "load_programme",
]

PROGRAMME_FILE = "tilskudd.toml"
"""The programme file's name, looked for in the current folder and the folders above it."""
LEDGER_NAME = "tilskudd.ledger.sqlite"
"""The ledger's default file name, beside the programme file."""
TEMPLATE_FILES = {"nb": "søknadsmal.xlsx", "en": "applications.xlsx"}
"""The applications template written by :func:`init_programme`, named in the programme's
language as its sheets and headers are (a bokmål template under an English name was the one
English word an officer met)."""
TEMPLATE_FILE = TEMPLATE_FILES["en"]
"""The template's name in English (:data:`TEMPLATE_FILES`)."""

_REGISTERS = ("2009", "2020", "2024")


_CURRENCY: Final = "currency"
"""The key of a validation's context that gives the programme's currency to its rounds."""


def _amount(value: Any, info: ValidationInfo, *, allow_zero: bool = False) -> Any:
    """Accept 60000000, "60 000 000" or "60M" for an amount field, in the programme's currency
    ("60M EUR" in a programme of euros; "60M kr" is refused there); leave other types to
    pydantic."""
    if value is None:
        return value
    # A truth value is no amount (parse_amount says so): left to pydantic, `true` was 1 krone.
    if isinstance(value, int | str | float):
        # An AmountError is a ValueError: pydantic reports it, and problem_phrase says it in
        # the words of the cell checks.
        return parse_amount(value, allow_zero=allow_zero, currency=_currency_of(info))
    return value


def _currency_of(info: ValidationInfo) -> str:
    """The currency a programme's amounts are read in: the file's (given as context to each
    round), else the programme's field, read before its frame; else kroner."""
    given = (info.context or {}).get(_CURRENCY)
    if isinstance(given, str):
        return given
    found = info.data.get("currency")
    return found if isinstance(found, str) else NOK


class Round(BaseModel):
    """One round of a programme: its number, name, budget and dates, and any policy of its own."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    number: int = Field(ge=1, description="1 for the first round")
    name: str | None = None
    budget: int | None = Field(
        default=None, gt=0, description="the round's budget; None: what remains of the frame"
    )
    opens: date | None = None
    closes: date | None = None
    decision: date | None = Field(default=None, description="the planned date of the decision")
    policy: Policy | None = Field(
        default=None, description="this round's policy when it differs from the programme's"
    )

    @model_validator(mode="before")
    @classmethod
    def _id_is_number(cls, data: Any) -> Any:
        # `id = 2` reads as naturally as `number = 2`; accept either, not both.
        if isinstance(data, dict) and "id" in data:
            data = dict(data)
            if "number" in data:
                raise setting_problem("programme.error.number_or_id")
            data["number"] = data.pop("id")
        return data

    @field_validator("budget", mode="before")
    @classmethod
    def _budget(cls, value: Any, info: ValidationInfo) -> Any:
        return _amount(value, info)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Round:
        if self.opens and self.closes and self.closes < self.opens:
            raise setting_problem(
                "programme.error.closes_before_opens", closes=self.closes, opens=self.opens
            )
        if self.closes and self.decision and self.decision < self.closes:
            raise setting_problem(
                "programme.error.decision_before_closes",
                decision=self.decision,
                closes=self.closes,
            )
        return self


class Programme(BaseModel):
    """A grant programme as its ``tilskudd.toml`` describes it."""

    # The TOML key is `register`; the field has another name because BaseModel's metaclass
    # (ABCMeta) already has a `register` method.
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    name: str = Field(min_length=1)
    funder: str | None = None
    currency: str = Field(
        default=NOK, description="the ISO 4217 code of every amount: the frame, budgets, awards"
    )
    frame: int = Field(gt=0, description="the budget frame over all rounds, in whole units")
    rounds: tuple[Round, ...] = ()
    policy: Policy = Field(default_factory=Policy)
    lang: Literal["nb", "en"] = "nb"
    register_year: str = Field(
        default="2024",
        alias="register",
        description="municipality numbering applications are checked against: 2009, 2020 or 2024",
    )
    ledger: str = Field(default=LEDGER_NAME, description="ledger file, relative to this file")
    path: Path | None = Field(default=None, description="where the file was read from")

    @field_validator("frame", mode="before")
    @classmethod
    def _frame(cls, value: Any, info: ValidationInfo) -> Any:
        return _amount(value, info)

    @field_validator("ledger")
    @classmethod
    def _ledger(cls, value: str) -> str:
        # "data\tilskudd.sqlite" between double quotes is "data<tab>ilskudd.sqlite": a
        # ledger of another name than the officer wrote.
        if any(ord(character) < 32 for character in value):
            raise setting_problem("programme.error.ledger_control")
        return value

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> Any:
        # A scheme counted in euros (EEA and Norway Grants) keeps its ledger in euros: any code
        # of ISO 4217, in any case ("eur" is EUR); "EURO" or "kr" is said as a currency's.
        try:
            return parse_currency(value)
        except CurrencyError:
            raise setting_problem("programme.error.currency", value=value) from None

    @field_validator("register_year", mode="before")
    @classmethod
    def _register(cls, value: Any) -> Any:
        text = str(value).strip() if isinstance(value, int | str) else value
        if isinstance(text, str) and text not in _REGISTERS:
            raise setting_problem("programme.error.register", given=value)
        return text

    @model_validator(mode="after")
    def _rounds_fit(self) -> Programme:
        numbers = [r.number for r in self.rounds]
        duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
        if duplicates:
            raise setting_problem("programme.error.round_twice", number=duplicates[0])
        planned = sum(r.budget or 0 for r in self.rounds)
        if planned > self.frame:
            raise setting_problem("programme.error.over_frame", planned=planned, frame=self.frame)
        return self

    @property
    def folder(self) -> Path:
        """The folder the programme file is in (the current folder for an unsaved programme)."""
        return self.path.parent if self.path is not None else Path.cwd()

    @property
    def ledger_path(self) -> Path:
        """The ledger file: ``ledger`` resolved against the programme file's folder."""
        # A path written on Windows (data\tilskudd.ledger.sqlite) means the same everywhere.
        return (self.folder / Path(self.ledger.replace("\\", "/")).expanduser()).absolute()

    @property
    def display_name(self) -> str:
        """The programme's name, with the file it came from when known."""
        return f"{self.name} ({self.path})" if self.path else self.name

    def round(self, ref: int | str) -> Round:
        """The round numbered ``ref`` (or named it); a clear error listing the rounds if none."""
        text = str(ref).strip()
        for item in self.rounds:
            if text.isdigit() and item.number == int(text):
                return item
            if item.name is not None and item.name.casefold() == text.casefold():
                return item
        known = ", ".join(str(r.number) for r in self.rounds) or Phrase("programme.error.no_rounds")
        where = Phrase("output.error.in_file", file=str(self.path)) if self.path else ""
        raise ProgrammeError(key="programme.error.no_round", ref=text, where=where, known=known)

    def round_policy(self, number: int) -> Policy:
        """The policy for a round: the round's own ``[round.policy]`` or the programme's."""
        own = self.round(number).policy
        return own if own is not None else self.policy


# --- reading ---------------------------------------------------------------------------------

_TOP_KEYS = {"programme", "round", "policy"}
# The keys of a [[round]] table and of [programme], as the file spells them: for "not a key".
_ROUND_KEYS = ("number", *(k for k in Round.model_fields if k != "number"))
_PROGRAMME_KEYS = tuple(
    "register" if k == "register_year" else k
    for k in Programme.model_fields
    if k not in ("rounds", "policy", "path")
)


def _where(path: Path, line: int | None) -> str | Phrase:
    """A place in the programme file: the file, and the line when it is known."""
    return Phrase("programme.error.at_line", path=str(path), line=line) if line else str(path)


def _place_of_whole_check(
    kind: str, ctx: Mapping[str, Any], rounds: Sequence[Mapping[str, Any]], loc: tuple[Any, ...]
) -> tuple[Any, ...]:
    """Where a check of the whole programme points: the frame for rounds over it, the second
    [[round]] with a number given twice; else ``loc``."""
    if kind == "programme.error.over_frame":
        return ("programme", "frame")
    if kind == "programme.error.round_twice":
        same = [
            i
            for i, item in enumerate(rounds)
            if item.get("number", item.get("id")) == ctx.get("number")
        ]
        if len(same) > 1:
            key = "number" if "number" in rounds[same[1]] else "id"
            return ("round", same[1], key)
    return loc


def _problems(
    exc: ValidationError,
    text: str,
    path: Path,
    prefix: tuple[str | int, ...],
    settings: Sequence[str],
    rounds: Sequence[Mapping[str, Any]] = (),
    *,
    currency: str = NOK,
) -> list[Phrase]:
    from tilskudd.policyfile import problem_phrase, says_the_value

    out = []
    for error in exc.errors():
        loc = (*prefix, *error["loc"])
        place = _place_of_whole_check(str(error["type"]), error.get("ctx") or {}, rounds, loc)
        # Show the key as the file spells it: [[round]] number 2's budget is round[2].budget.
        shown = ""
        for part in loc:
            if isinstance(part, int):
                shown += f"[{part + 1}]"
            else:
                shown += f".{part}" if shown else str(part)
        where = _where(path, TomlPlaces(text).nearest(place))
        message = problem_phrase(error, settings, currency=currency)
        given = error.get("input")
        field = shown or "programme"
        if field == "programme":  # a check of the whole programme (the rounds over the frame)
            out.append(Phrase("policy.error.line_where", where=where, what=message))
        elif isinstance(given, str | int | float) and given != "" and not says_the_value(message):
            out.append(
                Phrase(
                    "policy.error.line_given",
                    where=where,
                    field=field,
                    message=message,
                    given=quoted(given),
                )
            )
        else:
            out.append(Phrase("policy.error.line", where=where, field=field, message=message))
    return out


def _policy(
    table: Any,
    where: str | Phrase,
    text: str,
    path: Path,
    loc: tuple[str | int, ...],
    currency: str = NOK,
) -> Policy:
    from tilskudd.policyfile import policy_from_mapping

    places = TomlPlaces(text)
    shown = _where(path, places.nearest(loc))
    if not isinstance(table, dict):
        raise ProgrammeError(key="programme.error.must_be_table", where=shown, what=where)

    def place(setting: Sequence[str | int]) -> Phrase:
        # The line of the setting's key (a quota's own header), else of the [policy] table.
        line = places.nearest((*loc, *setting), floor=len(loc))
        return Phrase("policy.error.line_where", where=_where(path, line), what=where)

    try:
        return policy_from_mapping(
            table,
            where=Phrase("policy.error.line_where", where=shown, what=where),
            place=place,
            currency=currency,
        )
    except PolicyError as exc:
        if exc.lines:
            raise ProgrammeError(lines=exc.lines) from None
        raise ProgrammeError(str(exc)) from None


def load_programme(path: str | Path) -> Programme:
    """Read and check a programme file; raise :class:`ProgrammeError` naming the line and key."""
    path = Path(path)
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise ProgrammeError(key="programme.error.not_found", path=str(path)) from None
    except IsADirectoryError:
        raise ProgrammeError(key="programme.error.is_folder", path=str(path)) from None
    except UnicodeDecodeError:
        raise ProgrammeError(key="programme.error.not_utf8", path=str(path)) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        # A Windows path between double quotes ("C:\Users\..."): say how to write it.
        windows = reason.startswith(("Unescaped '\\'", "Invalid hex value"))
        key = "programme.error.not_toml_backslash" if windows else "programme.error.not_toml"
        raise ProgrammeError(key=key, path=str(path), reason=reason) from None
    try:
        return _programme_from(raw, text, path)
    except ProgrammeError as exc:
        table = raw.get("programme")
        declared = table.get("lang") if isinstance(table, dict) else None
        if declared in ("nb", "en"):
            exc.lang = declared
        if isinstance(table, dict) and "currency" in table:
            with contextlib.suppress(CurrencyError):  # one that is none is said as such
                exc.currency = parse_currency(table["currency"])
        raise


def _programme_from(raw: Mapping[str, Any], text: str, path: Path) -> Programme:
    """The programme ``raw`` (the TOML of ``text``, read from ``path``) describes, checked.

    Every problem of the file is said at once, in the order of the file: its tables, then
    [programme], each [[round]] (its keys, then its policy) and [policy]. Only a problem that
    follows from another is left unsaid: the rounds over the frame when the frame or a round
    cannot be read, or no [programme] table when its keys are written above it.
    """
    problems: list[Phrase] = []
    unknown = sorted(set(raw) - _TOP_KEYS)
    if "rounds" in unknown:
        problems.append(Phrase("programme.error.rounds_written", path=str(path)))
    placed_elsewhere = {"rounds", "policy", "path", "register_year"}
    misplaced = [
        key
        for key in unknown
        if key == "register" or (key in Programme.model_fields and key not in placed_elsewhere)
    ]
    for key in misplaced:
        problems.append(Phrase("programme.error.misplaced", path=str(path), setting=key))
    for key in unknown:
        if key == "columns":
            problems.append(Phrase("programme.error.column_map", path=str(path)))
        elif key != "rounds" and key not in misplaced:
            problems.append(Phrase("programme.error.unknown_key", path=str(path), setting=key))
    table = raw.get("programme")
    if not isinstance(table, dict):
        table = None
        if not misplaced:  # keys above where [programme] belongs: that problem says this one
            problems.append(Phrase("programme.error.no_programme", path=str(path)))
    # The programme's amounts (its frame, its rounds' budgets, its policies') are in its
    # currency: "60M EUR" in a programme of euros, where "60M kr" is refused. One that is none
    # is said as such; the amounts are then read as kroner.
    currency = NOK
    if table is not None and "currency" in table:
        with contextlib.suppress(CurrencyError):
            currency = parse_currency(table["currency"])
    in_currency = {_CURRENCY: currency}
    rounds_raw = raw.get("round", [])
    if not isinstance(rounds_raw, list) or not all(isinstance(r, dict) for r in rounds_raw):
        # `round = [1, 2]` is no more rounds than `round = 1`.
        problems.append(Phrase("programme.error.rounds_array", path=str(path)))
        rounds_raw = []

    # A round's problems (its keys, then its policy's) and the rounds that can be read.
    round_problems: list[Phrase] = []
    rounds: list[dict[str, Any]] = []
    for i, item in enumerate(rounds_raw):
        item = dict(item)
        own: list[Phrase] = []
        if "policy" in item:
            label = Phrase("programme.error.round_policy", number=i + 1)
            try:
                item["policy"] = _policy(
                    item["policy"], label, text, path, ("round", i, "policy"), currency
                )
            except ProgrammeError as exc:
                own.extend(_lines_of(exc))
                del item["policy"]  # its other keys are still checked
        # Each round on its own first, so that a problem is pinned to its [[round]] table.
        try:
            Round.model_validate(item, context=in_currency)
        except ValidationError as exc:
            round_problems.extend(
                _problems(exc, text, path, ("round", i), _ROUND_KEYS, currency=currency)
            )
        else:
            # Its policy aside (said in `own`), its number and budget count with the others'.
            rounds.append(item)
        round_problems.extend(own)
    try:
        policy = _policy(raw.get("policy", {}), "[policy]", text, path, ("policy",), currency)
        policy_problems: list[Phrase] = []
    except ProgrammeError as exc:
        policy, policy_problems = Policy(), _lines_of(exc)

    if table is not None:
        for key in ("rounds", "policy", "path"):
            if key in table:
                problems.append(
                    Phrase("programme.error.not_programme_key", path=str(path), setting=key)
                )
        # With the rounds that can be read: numbers given twice among them, or their budgets
        # over the frame, are problems whatever the other rounds say.
        try:
            programme = Programme.model_validate(
                {**table, "path": path, "rounds": rounds, "policy": policy}, context=in_currency
            )
        except ValidationError as exc:
            problems.extend(
                _problems(
                    exc,
                    text,
                    path,
                    ("programme",),
                    _PROGRAMME_KEYS,
                    [dict(r) for r in rounds_raw],
                    currency=currency,
                )
            )
    problems.extend(round_problems)
    problems.extend(policy_problems)
    if problems:
        raise ProgrammeError(lines=[_in_programme_words(line) for line in problems])
    return programme


def _in_programme_words(phrase: Phrase) -> Phrase:
    """``phrase`` as a programme file's problem: an amount in another currency than the
    programme's (kroner among them) is answered with the programme's own setting
    (``currency = "EUR"`` in its [programme] table), not with --currency, which the cell checks
    and options advise and a programme refuses (it has one currency)."""
    if phrase.key in ("validate.amount_other_currency", "validate.amount_in_kroner"):
        # Typed in the programme file: the programme counts in the currency, not "the round".
        return Phrase(f"programme.error.{phrase.key.rpartition('.')[2]}", **phrase.params)
    params = {
        k: _in_programme_words(v) if isinstance(v, Phrase) else v for k, v in phrase.params.items()
    }
    return Phrase(phrase.key, **params)


def _lines_of(exc: ProgrammeError) -> list[Phrase]:
    """The problems ``exc`` says, one :class:`Phrase` each, to be said with the file's others."""
    if exc.lines:
        return list(exc.lines)
    if exc.key is not None:
        return [Phrase(exc.key, **exc.params)]
    raise exc  # a text in English only: said alone, as before


def find_programme_file(
    start: str | Path | None = None, explicit: str | Path | None = None
) -> Path | None:
    """The programme file: ``explicit`` (a file, or a folder holding one), else ``tilskudd.toml``
    in ``start`` (the current folder) or the nearest folder above it; None when there is none.
    """
    if explicit is not None:
        path = Path(explicit).expanduser()
        if path.is_dir():
            path = path / PROGRAMME_FILE
        if not path.is_file():
            raise ProgrammeError(key="programme.error.not_found_option", path=str(path))
        return path
    folder = Path(start if start is not None else Path.cwd()).absolute()
    for candidate in (folder, *folder.parents):
        path = candidate / PROGRAMME_FILE
        if path.is_file():
            return path
    return None


def find_programme(
    start_dir: str | Path | None = None, explicit: str | Path | None = None
) -> Programme | None:
    """The programme found from ``start_dir`` upwards (or at ``explicit``), loaded; None if none."""
    path = find_programme_file(start_dir, explicit)
    return load_programme(path) if path is not None else None


# --- creating ---------------------------------------------------------------------------------

_TEMPLATES: Mapping[str, str] = {
    "nb": """\
# Ordningsfil for tilskudd: én tilskuddsordning med ramme, runder og standard tildelingsregler.
# Kommandoene i tilskudd finner denne filen i mappen du står i eller i en mappe over den.
# Beløp kan skrives som tall (60000000) eller som tekst ("60 000 000", "60 mill.").

[programme]
# Navnet som står i vedtak og rapporter
name = {name}
# Hvem som forvalter ordningen
funder = {funder}
# Valutaen alle beløp regnes i (ISO 4217: "NOK", "EUR", "DKK" …); registeret beholder den
# fra den første runden som føres
currency = "{currency}"
# Samlet ramme for alle runder
frame = "{frame}"
# Språk i utskrifter: "nb" (bokmål) eller "en" (engelsk)
lang = "nb"
# Kommuneinndeling søknadene kontrolleres mot: "2024", "2020" (2020–2023) eller "2009"
register = "{register}"
# Registeret over vedtatte tildelinger, ved siden av denne filen
ledger = "{ledger}"

# Én [[round]]-tabell per tildelingsrunde. Uten budget får runden det som er igjen av rammen.
[[round]]
number = 1
# name = "Vårrunden"  (uten navn heter runden «Runde 1», eller «Round 1» på engelsk)
budget = "{budget}"
opens = {year}-01-15
closes = {year}-03-01
decision = {year}-04-15

[[round]]
number = 2
# budget er utelatt: runde 2 får det som er igjen av rammen etter runde 1.
opens = {year}-08-15
closes = {year}-10-01
decision = {year}-11-15

# Standard tildelingsregler for alle runder. Valg på kommandolinjen overstyrer dem.
[policy]
# "ranked" (best poengsum først), "proportional" (lik andel av det hver kan få), "optimal"
# (mest poeng for rammen) eller "lottery" (loddtrekning ved finansieringsgrensen)
rule = "ranked"
# Høyst denne andelen av prosjektets totalkostnad
max_share_of_cost = "50 %"
# Tildelinger rundes ned til hele tusen {units}
round_to = "1 000"
# min_award = "50 000"  # ingen tildeling under dette beløpet
# max_award = "1 000 000"  # høyst dette beløpet per søknad
# per_applicant_max = "2 000 000"  # høyst dette per organisasjonsnummer, i alle runder til sammen
# min_score = 3  # laveste poengsum som kan få tilskudd
# reserve = 5  # antall søknader på reservelisten
""",
    "en": """\
# tilskudd programme file: one grant scheme with its budget frame, rounds and default policy.
# tilskudd's commands find this file in the current folder or in a folder above it.
# Amounts may be numbers (60000000) or text ("60 000 000", "60M").

[programme]
# The name used in decisions and reports
name = {name}
# Who administers the scheme
funder = {funder}
# The currency of every amount (ISO 4217: "NOK", "EUR", "DKK" …); the ledger keeps it from
# the first round committed
currency = "{currency}"
# The budget frame over all rounds
frame = "{frame}"
# Language of the output: "nb" (bokmål) or "en" (English)
lang = "en"
# Municipality numbering to check against: "2024", "2020" (2020–2023) or "2009"
register = "{register}"
# The record of committed awards, beside this file
ledger = "{ledger}"

# One [[round]] table per round. A round without a budget gets what remains of the frame.
[[round]]
number = 1
# name = "Spring round"  (without a name the round is "Round 1", or "Runde 1" in bokmål)
budget = "{budget}"
opens = {year}-01-15
closes = {year}-03-01
decision = {year}-04-15

[[round]]
number = 2
# budget is left out: round 2 gets what remains of the frame after round 1.
opens = {year}-08-15
closes = {year}-10-01
decision = {year}-11-15

# The default policy for every round. Options on the command line override it.
[policy]
# "ranked" (best score first), "proportional" (the same share of what each may get),
# "optimal" (the most score for the budget) or "lottery" (a draw at the funding line)
rule = "ranked"
# At most this share of the project's total cost
max_share_of_cost = "50 %"
# Awards rounded down to whole thousands
round_to = "1 000"
# min_award = "50 000"  # no award below this
# max_award = "1 000 000"  # at most this per application
# per_applicant_max = "2 000 000"  # at most this per organisation number, over all rounds
# min_score = 3  # the lowest score that can be funded
# reserve = 5  # how many applications form the reserve list
""",
}


def _grouped(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")


def _toml_string(text: str) -> str:
    import json

    # A JSON string is a valid TOML basic string (same escapes), and keeps ø, å and æ as they are.
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class InitResult:
    """What :func:`init_programme` created."""

    programme_file: Path
    template_file: Path
    programme: Programme


def init_programme(
    folder: str | Path,
    *,
    name: str | None = None,
    funder: str | None = None,
    frame: int = 10_000_000,
    lang: str = "nb",
    register: str = "2024",
    year: int | None = None,
    currency: str = NOK,
) -> InitResult:
    """Create ``tilskudd.toml`` and the template (``søknadsmal.xlsx`` in bokmål,
    ``applications.xlsx`` in English: :data:`TEMPLATE_FILES`) in ``folder``; never overwrite a
    file.

    The programme file is commented and works as it is: two rounds (the first gets half the frame,
    the second what remains) and a ranked policy. Refuses with :class:`ProgrammeError` when
    either file exists, before writing anything (:class:`OutputExistsError`). ``currency``: the
    programme's (an ISO 4217 code), which the template's instructions name too.
    """
    currency = parse_currency(currency)  # CurrencyError for one that is none
    if lang not in _TEMPLATES:
        raise ProgrammeError(key="programme.error.unknown_language", given=lang)
    if register not in _REGISTERS:
        raise ProgrammeError(key="programme.error.unknown_register", given=register)
    if frame <= 0:
        zero = ProgrammeError(key="programme.error.frame_zero")
        zero.currency = currency  # "more than 0 EUR" in a programme of euros
        raise zero
    folder = Path(folder).expanduser()
    programme_file = folder / PROGRAMME_FILE
    template_file = folder / TEMPLATE_FILES[lang]
    existing = [p for p in (programme_file, template_file) if p.exists()]
    if existing:
        raise OutputExistsError(
            key="output.error.init_exists", n=len(existing), names=[str(p) for p in existing]
        )
    if folder.exists() and not folder.is_dir():
        raise ProgrammeError(key="programme.error.folder_is_file", folder=str(folder))
    default_name = "Min tilskuddsordning" if lang == "nb" else "My grant programme"
    default_funder = "Direktoratet" if lang == "nb" else "The Directorate"
    budget = frame // 2 // 1000 * 1000 or frame
    # The year of the example rounds, and of the template's example application id (2027-001).
    rounds_year = year or first_round_year(clock.today())
    text = _TEMPLATES[lang].format(
        name=_toml_string(name or default_name),
        funder=_toml_string(funder or default_funder),
        frame=_grouped(frame),
        budget=_grouped(budget),
        register=register,
        ledger=LEDGER_NAME,
        year=rounds_year,
        currency=currency,
        units="kroner" if currency == NOK else currency,
    )
    folder.mkdir(parents=True, exist_ok=True)
    # Exclusive creation: if another process made the file since the check, refuse, not replace.
    try:
        with open(programme_file, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise OutputExistsError(
            key="output.error.init_exists", n=1, names=[str(programme_file)]
        ) from None
    programme = load_programme(programme_file)
    from tilskudd.export.template import write_template

    try:
        write_template(
            template_file,
            lang=lang,
            register=register,
            policy=programme.policy,
            currency=currency,
            year=rounds_year,
        )
    except BaseException:
        # All or nothing: a half-made programme is worse than none.
        programme_file.unlink(missing_ok=True)
        raise
    return InitResult(
        programme_file=programme_file, template_file=template_file, programme=programme
    )
