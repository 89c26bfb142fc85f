"""The award workbook (.xlsx): a file an officer can forward as it is.

Four sheets, named and headed in the chosen language:

1. Awards (Tildelinger): funded and partly funded applications by rank, with the amounts, the
   share of cost, the reason in words and the user's own columns carried through in file order;
   in a round where no application names a place, no municipality and county columns, and a
   column of tilskudd's empty for every application of the round (a participatory budget's
   applicant, organisation number and total cost) left out of both sheets
   (:func:`_left_out`).
2. Not funded (Ikke innvilget): the reserve list, those not funded and the rejected (invalid)
   applications, each with its reason; for a rejected one, every problem with its cell.
3. Summary (Sammendrag): budget, awarded and unallocated with a check cell (budget − awarded −
   unallocated, 0 when they add up), counts by status, coverage, oversubscription, awards per
   county and the summary sentence; a round whose awards name no place has no places counted
   and no table per county, as its documents have none.
4. Policy (Grunnlag): the rule, every policy setting, the seed, the round's notes, the input file
   with its sheet and SHA-256, the tool version and the time (a date-time cell in UTC), and the
   problems found in the input: what is needed to reproduce and audit the decision.

A committed round amended or withdrawn from since its decision (``result.changes``) shows the
awards as they stand (``as_decided=True``: as decided), as the published documents do: beside
*awarded* the amount decided, the amount now and the number of its change; a fifth sheet,
Amendments (Endringer), before the summary, with one row per change (time in UTC, amounts,
difference, reason, rules gone beyond) numbered as the documents number their notes; a summary
with the budget, decided and unallocated (and their check cell), then the change and the awards now
(and theirs: now − decided − change); and the basis sheet says how many changes, up to when,
and which amounts it shows. An unchanged round's workbook is as before, byte for byte.

Amounts are whole numbers with the format ``#,##0`` (Excel shows the reader's own digit
grouping), shares are percent; header rows are frozen, filtered and printed on every page.
Every sheet prints on A4 with all its columns on one page's width, the round's name (or its
input file's) and ``Side 1 av 3`` in the footer (:func:`page_footer`). Text
that came from applicants is always written as text: a title starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is a string cell with Excel's quote prefix, never a formula;
the one formula is tilskudd's own check cell. A carried column whose every cell is a plain
number (:func:`number_columns`; a CSV file's cells are all text) is written as numbers, as the
same column from a spreadsheet is, so that SUM works on it; a column of codes (an account, an
organisation or case number, a phone number: :func:`carried_columns`) is written as text, from
a CSV file and a spreadsheet alike. A carried column whose every cell is a date in one format
(``2009-03-15``, as a spreadsheet's date cell is carried, or ``15.03.2009``) is written as dates.

Written with tilskudd's own streaming writer (:mod:`tilskudd.export._sheetml`), row by row
into the zip, to a temporary file that replaces the target only when complete
(:func:`tilskudd.export.atomic.atomic_path`); openpyxl is not even imported. Measured for
100 000 decisions (``benchmarks/bench_export.py``, both cores busy with other work): 2.0 s
and 16 MB beyond the round in memory, where openpyxl's write-only mode took 21 s of CPU and
xlsxwriter 14 s. Half of the 2 s is not the writing: making the rows takes 1.0 s, mostly the
reason sentences (:func:`tilskudd.wording.decision_text`), the display order and the summary;
each row's own cells come from per-round lookups (each place label and status word made
once).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from tilskudd.collector import collector_paused
from tilskudd.controls import visible
from tilskudd.currency import NOK
from tilskudd.errors import InputFileError
from tilskudd.export._sheetml import (
    DATE_FORMAT,
    FORMULA_STARTS,
    MAX_COLUMNS,
    TIME_FORMAT,
    CellValue,
    Formula,
    Sheet,
    Style,
    Workbook,
    calendar_date,
    footer,
    safe_text,
    utc_time,
)
from tilskudd.export.atomic import atomic_path
from tilskudd.i18n import get
from tilskudd.models import (
    AwardChange,
    Decision,
    Policy,
    RejectedRow,
    RoundResult,
    Status,
    sheet_reference,
)
from tilskudd.money import plain_number
from tilskudd.publication import Publication, build, changes_by_id, quota_lines, standing
from tilskudd.summary import RoundSummary, summarise
from tilskudd.wording import (
    column_header,
    county_label,
    decision_text,
    display_order,
    issue_cell,
    issue_text,
    municipality_label,
    note_text,
    rejected_text,
    status_text,
    summary_sentence,
    waived_text,
)

__all__ = [
    "FORMULA_STARTS",
    "CarriedColumns",
    "carried_columns",
    "names_code",
    "number_columns",
    "page_footer",
    "page_number",
    "policy_rows",
    "round_carried_columns",
    "round_name",
    "safe_text",
    "write",
]

Kind = Literal["text", "amount", "int", "number", "percent", "time", "date"]

_SAMPLE_ROWS = 500  # rows looked at to choose column widths
_STYLE_OF_KIND: dict[Kind, Style] = {
    "amount": Style.AMOUNT,
    "percent": Style.PERCENT,
    "time": Style.DATETIME,
    "date": Style.DATE,
}


@dataclass(frozen=True)
class _Column:
    header: str
    kind: Kind = "text"
    max_width: int = 50
    wrap: bool = False
    """Prose read whole (a reason): wraps within the column instead of being cut."""


def _display_width(value: Any, kind: Kind) -> int:
    if value is None:
        return 0
    if kind == "amount" and isinstance(value, int):
        return len(f"{value:,}")
    if kind == "percent":
        return 6
    if kind == "time":
        return len(TIME_FORMAT)
    if kind == "date":
        return len(DATE_FORMAT)
    return max((len(line) for line in str(value).splitlines()), default=0)


def _widths(columns: Sequence[_Column], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Readable widths from the headers and the first rows, within each column's bounds."""
    widths = []
    for index, column in enumerate(columns):
        words = max((len(w) for w in column.header.split()), default=4)
        header = max(words, min(len(column.header), 16))  # headers wrap; keep them 1-2 lines
        content = max(
            (_display_width(r[index], column.kind) for r in rows[:_SAMPLE_ROWS]), default=0
        )
        widths.append(float(min(max(header, content, 6) + 2, column.max_width)))
    return widths


def _header(sheet: Sheet, texts: Sequence[str]) -> int:
    """A header row: bold, shaded, wrapping."""
    return sheet.append(texts, (Style.HEADER,) * len(texts))


def _share(amount: int, whole: int | None) -> float | None:
    """amount / whole for a percent cell; the one place a float is made (a display ratio)."""
    if not whole:
        return None
    return round(amount / whole, 6)


# --- carried columns ------------------------------------------------------------------------


_CODE_WORDS = re.compile(
    r"id|ident|ref|tel|kid|iban|bic|swift|zip|code|account|phone|mobile|reference|identifier"
    r"|(case|company|charity|registration|vat|org|organisation|organization|account|phone"
    r"|reference)(no|nr|number)"
)
"""Whole header words naming an identifier (``ID``, ``Account number``)."""
_CODE_ENDINGS = re.compile(
    r"(konto(nr|nummer)?|org(anisasjons)?(nr|nummer)|foretaks(nr|nummer)|saks?(nr|nummer)"
    r"|journalpost(nr|nummer)?|referanse(nr|nummer)?|telefon(nr|nummer)?|tlf(nr)?"
    r"|mobil(nr|nummer)?|post(nr|nummer|kode)|f[øo]dsels(nr|nummer)|person(nr|nummer)"
    r"|kid(nr|nummer)|prosjekt(nr|nummer)|kode|identifikator|postcode|zipcode|telephone)$"
)
"""Header words naming an identifier, whose numbers are codes to keep as they are, not
quantities: an account, an organisation or case number, a phone number, a postcode, a
reference or id. A word is the whole word (``ID``) or, in Norwegian, its ending
(``Bankkontonummer``, ``Kommunekode``), and two words run together count as one
(``Org. nr.``). A running number (``Nr.``, ``Løpenummer``) is not one of them: it is a
number to sort by."""

_AMOUNT_WORDS = re.compile(
    r"kostnad|bel[øo]p|egenandel|budsjett|tilskudd|finansiering|sum|total|verdi|pris|inntekt"
    r"|omsetning|l[øo]nn|kroner|amount|cost|budget|grant|value|price|income|turnover"
)
"""Words naming an amount (searched within a word: ``Totalkostnad``, ``Søknadsbeløp``): its
column's numbers are kroner however many digits they have."""

_CODE_LOW, _CODE_HIGH = 10**8, 10**11
"""A whole number of 9 to 11 digits, typed as digits alone, is a code (an organisation number
has 9, a case number such as 2009001234 10, an account 11) unless its column names an amount;
12 digits or more are text already (:func:`plain_number`). Fewer digits are counted as numbers:
8 digits are 10-99 million kroner, a total cost as often as a phone number (whose column
says so)."""


def _words(header: str) -> list[str]:
    """The words of a header, lower case, and each two neighbours run together."""
    words = re.findall(r"\w+", header.lower())
    return [*words, *(a + b for a, b in itertools.pairwise(words))]


def names_code(header: str) -> bool:
    """Whether a carried column's header names an identifier (:data:`_CODE_WORDS`,
    :data:`_CODE_ENDINGS`)."""
    return any(_CODE_WORDS.fullmatch(word) or _CODE_ENDINGS.search(word) for word in _words(header))


def _names_amount(header: str) -> bool:
    """Whether a carried column's header names an amount (:data:`_AMOUNT_WORDS`)."""
    return any(_AMOUNT_WORDS.search(word) for word in re.findall(r"\w+", header.lower()))


_ISO_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?: (\d\d):(\d\d):(\d\d)(?:\.(\d{6}))?)?")
"""A date as a spreadsheet's date cell is carried (``2009-03-15``, ISO 8601), or a date-time
(``2009-03-15 12:30:00``): one format, as a spreadsheet's column of dates gives both."""
_NB_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
"""A date as a Norwegian writes it: ``15.03.2009`` (or ``5.3.2009``)."""

_FIRST_DAY = date(1900, 3, 1)
"""The first day an Excel cell shows as the date it is: before March 1900 its 1900 date system
counts a 29 February that never was, and before 1900 it shows no date at all."""

DateFormat = Literal["iso", "nb"]


def typed_date(text: str) -> tuple[DateFormat, date] | None:
    """The date (or date-time) ``text`` is typed as, with its format: ISO 8601 (``2009-03-15``,
    ``2009-03-15 12:30:00``, as a spreadsheet's date cell is carried) or Norwegian
    (``15.03.2009``); None for anything else, a day that never was (``30.02.2009``) or one
    Excel cannot show as a date (before 1 March 1900)."""
    form: DateFormat = "iso"
    value: date
    try:
        if (iso := _ISO_DATE.fullmatch(text)) is not None:
            year, month, day, hour, minute, second, micro = (
                int(part or 0) for part in iso.groups()
            )
            value = date(year, month, day)
            if iso[4] is not None:
                value = datetime(year, month, day, hour, minute, second, micro)
        elif (nb := _NB_DATE.fullmatch(text)) is not None:
            form = "nb"
            day, month, year = map(int, nb.groups())
            value = date(year, month, day)
        else:
            return None
    except ValueError:  # a day or time that never was: 30.02.2009, 2009-03-15 25:00:00
        return None
    if date(value.year, value.month, value.day) < _FIRST_DAY:
        return None
    return form, value


@dataclass(frozen=True)
class CarriedColumns:
    """How the award workbook writes the carried columns that hold numbers or dates."""

    numbers: dict[str, dict[str, int | Decimal]]
    """Columns written as numbers: for each, the number of each text in it."""
    codes: frozenset[str]
    """Columns written as text: a whole number in them (from a spreadsheet) as its digits."""
    dates: dict[str, dict[str, date]] = field(default_factory=dict)
    """Columns written as dates: for each, the date (or date-time) of each text in it."""


def carried_columns(
    extras: Iterable[Mapping[str, CellValue]], columns: Sequence[str]
) -> CarriedColumns:
    """Which carried columns are numbers to write as numbers, which are dates to write as
    dates and which are codes to keep as text, in one pass over the cells.

    Numbers: every cell empty, a number or text that is a plain number (:func:`plain_number`),
    at least one of them text. A column with any other text in it is kept as typed, its
    numbers too: a column half text and half numbers sorts in two blocks in Excel and sums
    only some of its cells without a word, and a code column (``16``, ``00``) is not one to sum.

    Dates: every cell empty or text that is a date in one format (:func:`typed_date`): ISO
    8601, as a spreadsheet's date cell is carried and as a CSV file may hold it
    (``2009-03-15``), or Norwegian (``15.03.2009``). A column that mixes the two, or holds
    anything else (a number, other text, a day that never was), is kept as typed: ``03.04.2009``
    beside ``2009-04-03`` may be two ways of typing one day or a day and a month swapped.

    Codes: a column whose header names an identifier (:func:`names_code`: ``Kontonummer``,
    ``Saksnr.``, ``Telefon``, ``Account``), or whose every cell is a whole number of 9 to 11
    digits typed as digits alone (``15032212345``) where the header names no amount. Such a
    column is the same text from a CSV file and from a spreadsheet that holds it as numbers.
    """
    named = {name for name in columns if names_code(name)}
    numbers: dict[str, dict[str, int | Decimal]] = {
        name: {} for name in columns if name not in named
    }
    dates: dict[str, dict[str, date]] = {name: {} for name in numbers}
    forms: dict[str, DateFormat] = {}
    # Columns whose every cell so far is a code's digits; a text is looked at once, when it
    # is first seen, as its number or date is.
    digits = {name for name in numbers if not _names_amount(name)}
    seen: set[str] = set()
    live = dict.fromkeys(numbers)
    """The columns still numbers or dates, in order."""
    for extra in extras:
        if not live:
            break
        for name in list(live):
            value = extra.get(name)
            if value is None:
                continue
            if type(value) is str:
                known = numbers.get(name)
                if known is not None:
                    if value in known:
                        continue
                    number = plain_number(value)
                    if number is not None:
                        known[value] = number
                        seen.add(name)
                        dates.pop(name, None)
                        if name in digits and not (
                            type(number) is int
                            and _CODE_LOW <= number < _CODE_HIGH
                            and value.strip().isdigit()
                        ):
                            digits.discard(name)
                        continue
                    del numbers[name]
                    digits.discard(name)
                days = dates.get(name)
                if days is not None:
                    if value in days:
                        continue
                    typed = typed_date(value)
                    if typed is not None and forms.setdefault(name, typed[0]) == typed[0]:
                        days[value] = typed[1]
                        continue
                    del dates[name]
                if name not in numbers:
                    del live[name]
                continue
            dates.pop(name, None)
            if name in numbers:
                if type(value) is int:
                    seen.add(name)
                    if not _CODE_LOW <= value < _CODE_HIGH:
                        digits.discard(name)
                    continue
                if type(value) is Decimal:
                    seen.add(name)
                    digits.discard(name)
                    continue
                del numbers[name]
                digits.discard(name)
            del live[name]
    codes = digits & seen
    return CarriedColumns(
        numbers={name: known for name, known in numbers.items() if known and name not in codes},
        codes=frozenset(named | codes),
        dates={name: days for name, days in dates.items() if days},
    )


def number_columns(
    extras: Iterable[Mapping[str, CellValue]], columns: Sequence[str]
) -> dict[str, dict[str, int | Decimal]]:
    """The carried columns written as numbers (:func:`carried_columns`): for each, the number
    of each text in it."""
    return carried_columns(extras, columns).numbers


def round_carried_columns(result: RoundResult) -> CarriedColumns:
    """:func:`carried_columns` of the round's applications and rejected rows, once a round."""
    extras = result.extra_columns
    if not extras:
        return CarriedColumns({}, frozenset())
    return result.derived(
        "xlsx.carried_columns",
        (result.applications, result.rejected, extras),
        lambda: carried_columns(
            [*(app.extra for app in result.applications), *(bad.extra for bad in result.rejected)],
            extras,
        ),
    )


# --- the two application sheets --------------------------------------------------------------


@dataclass(frozen=True)
class _Changes:
    """A committed round changed since its decision, as the workbook shows it: the awards as
    they stand (or, ``as_decided``, as decided), numbered as the published documents number
    their notes (:func:`tilskudd.publication.build`)."""

    pub: Publication
    by_id: Mapping[str, tuple[AwardChange, ...]]
    notes: Mapping[str, int]
    as_decided: bool

    @classmethod
    def of(cls, result: RoundResult, lang: str, *, as_decided: bool) -> _Changes | None:
        """The changes of ``result``; None for a round unchanged since (or never committed)."""
        if standing(result) is None:
            return None
        pub = build(result, lang, as_decided=as_decided)
        notes = {line.id: line.note for line in pub.changed if line.note is not None}
        return cls(pub, changes_by_id(result), notes, as_decided)

    def current(self, decision: Decision) -> int:
        """The amount of ``decision`` now: the last change's, or the amount decided."""
        changes = self.by_id.get(decision.application_id)
        return changes[-1].amount_after if changes else decision.amount

    def state(self, application_id: str) -> str | None:
        """``amended`` or ``withdrawn`` for an application changed since, as the awards sheet
        says it in place of its status (not ``as_decided``); None otherwise."""
        history = None if self.as_decided else self.by_id.get(application_id)
        if not history:
            return None
        return "withdrawn" if history[-1].kind == "withdraw" else "amended"


def _award_columns(
    lang: str,
    extras: Sequence[str],
    *,
    funded: bool,
    override: bool = False,
    changed: bool = False,
    places: bool = True,
    left_out: frozenset[str] = frozenset(),
) -> list[_Column]:
    h = column_header
    columns = [
        # Kept even in a round where no application has a rank (a proportional round without
        # scores or ranks), though the terminal leaves it out: it is the awards sheet's sort key,
        # the first column of both sheets in every round, and empty in every row it says in the
        # file an officer forwards that the round set no order, not that a column went missing.
        _Column(h("rank", lang), "int", 10),
        _Column(h("id", lang), "text", 18),
        # Names, titles and places wrap like the reason: a project of 33 municipalities
        # (eBygg, 2009) or a long title is read whole on screen and on the printed page.
        _Column(h("applicant", lang), "text", 36, wrap=True),
        _Column(h("orgnr", lang), "text", 12),
        _Column(h("project", lang), "text", 48, wrap=True),
    ]
    if places:
        columns += [
            _Column(h("municipalities", lang), "text", 48, wrap=True),
            _Column(h("counties", lang), "text", 28, wrap=True),
        ]
    columns += [
        _Column(h("category", lang), "text", 20),
        _Column(h("requested", lang), "amount", 16),
        _Column(h("total_cost", lang), "amount", 16),
        _Column(h("score", lang), "number", 10),
        _Column(h("eligible", lang), "amount", 16),
    ]
    if funded:
        columns += [
            _Column(h("awarded", lang), "amount", 16),
            _Column(h("share_of_cost", lang), "percent", 12),
        ]
        if changed:
            # A round changed since its decision: what was decided, what stands now, and the
            # number of the change's row in the changes sheet (and note in the documents).
            t = get(lang)
            columns += [
                _Column(t("ledger.column.committed"), "amount", 16),
                _Column(t("ledger.column.current"), "amount", 16),
                _Column(h("change_note", lang), "int", 10),
            ]
    columns += [
        _Column(h("status", lang), "text", 18),
        _Column(h("reason", lang), "text", 80, wrap=True),
    ]
    if override:
        # Only in a round with manual overrides: the officer's own reason, as written.
        columns.append(_Column(h("override", lang), "text", 60, wrap=True))
    columns.append(_Column(h("row", lang), "int", 8))
    columns += [_Column(name, "text", 40) for name in extras]
    for index in _dropped(left_out, funded=funded, places=places):
        del columns[index]
    return columns


class _Labels(dict[str, str]):
    """Place labels by number, each made once: ``Bærum (0219)``."""

    def __init__(self, label: Callable[[str], str]) -> None:
        super().__init__()
        self._label = label

    def __missing__(self, number: str) -> str:
        text = self[number] = self._label(number)
        return text


_PLACES = slice(5, 7)
"""Where a row has the municipalities and counties, left out in a round that names no place."""


_OPTIONAL = {"applicant": 2, "orgnr": 3, "project": 4, "category": 7, "total_cost": 9, "score": 10}
"""Where a row has the columns of tilskudd's that a round may leave empty for every application
(with the place columns still in the row), left out of the sheets then."""

_SHARE = 13
"""Where an award row has the share of cost: empty, and left out, without a total cost."""


def _left_out(result: RoundResult) -> frozenset[str]:
    """The columns of :data:`_OPTIONAL` empty for every application and rejected row of the
    round: the terminal and the documents leave an empty column out, and so does the workbook
    an officer forwards (a participatory budget's projects have no applicant, organisation
    number or total cost). The CSV keeps every column, for scripts that read it. Worked out
    once a round (the width check and both sheets ask)."""
    return result.derived(
        "xlsx.left_out", (result.applications, result.rejected), lambda: _empty_columns(result)
    )


def _empty_columns(result: RoundResult) -> frozenset[str]:
    """:func:`_left_out`, worked out: one pass over the applications and rejected rows, ended
    as soon as every column has a value somewhere."""
    empty = set(_OPTIONAL)
    for app in result.applications:
        empty.difference_update([k for k in empty if getattr(app, k) is not None])
        if not empty:
            return frozenset()
    for bad in result.rejected:
        typed = bad.typed
        empty.difference_update(
            [k for k in empty if getattr(bad, k) is not None or typed.get(k) is not None]
        )
        if not empty:
            return frozenset()
    return frozenset(empty)


def _dropped(left_out: frozenset[str], *, funded: bool, places: bool) -> list[int]:
    """The indexes of a row's cells left out (:func:`_left_out`), last first, so that each
    ``del`` leaves the ones before it where they were."""
    shift = 0 if places else _PLACES.stop - _PLACES.start
    indexes = [i if i < _PLACES.start else i - shift for k, i in _OPTIONAL.items() if k in left_out]
    if funded and "total_cost" in left_out:
        indexes.append(_SHARE - shift)
    return sorted(indexes, reverse=True)


def _names_places(result: RoundResult) -> bool:
    """Whether any application of the round names a municipality or county: the award sheets
    have place columns only then (a round from a sheet without places has none to show)."""
    return any(app.municipalities or app.counties for app in result.applications)


_NOTHING_READ = RejectedRow(id="", issues=())
"""A decision with neither an application nor a rejected row (none in a result tilskudd made)."""


def _row_maker(
    result: RoundResult,
    lang: str,
    *,
    funded: bool,
    override: bool,
    changes: _Changes | None = None,
    places: bool = True,
    left_out: frozenset[str] = frozenset(),
) -> Callable[[Decision], list[CellValue]]:
    """A function making one sheet row per decision, with the round's lookups made once.

    A round of 100 000 applications names the same few hundred municipalities and the same
    status words over and over: each label is made once (lists of places are mostly unique).
    """
    apps, rejected = result.applications_by_id(), result.rejected_by_id()
    extras = result.extra_columns
    carried_kinds = round_carried_columns(result)
    # A carried column of numbers or dates typed as text: each text's number or date.
    numbers: Mapping[str, Mapping[str, int | Decimal | date]] = {
        **carried_kinds.numbers,
        **carried_kinds.dates,
    }
    codes = carried_kinds.codes
    carried: list[tuple[str, Mapping[str, int | Decimal | date] | None, bool]] = [
        (name, numbers.get(name), name in codes) for name in extras
    ]
    statuses = {status: status_text(status, lang) for status in Status}
    t = get(lang)
    changed_words = {kind: t(f"ledger.state.{kind}") for kind in ("amended", "withdrawn")}
    municipality = _Labels(municipality_label).__getitem__
    county = _Labels(county_label).__getitem__
    dropped = _dropped(left_out, funded=funded, places=places)

    def row(decision: Decision) -> list[CellValue]:
        app = apps.get(decision.application_id)
        requested = decision.requested
        values: list[CellValue]
        if app is not None:
            values = [
                decision.rank,
                decision.application_id,
                app.applicant,
                app.orgnr,
                app.project,
                ", ".join(map(municipality, app.municipalities)) or None,
                ", ".join(map(county, app.counties)) or None,
                app.category,
                requested if requested is not None else app.requested,
                app.total_cost,
                app.score,
                decision.eligible_amount,
            ]
            reason = decision_text(decision, lang)
            source_row = app.row
            extra = app.extra
            total_cost = app.total_cost
        else:
            bad = rejected.get(decision.application_id)
            if bad is None:
                bad = _NOTHING_READ
            if requested is None:
                requested = bad.requested
            # Every cell that was valid as read; one with an error as it was typed (the
            # reason beside it says what is wrong with it).
            typed = bad.typed
            values = [
                decision.rank,
                decision.application_id,
                bad.applicant,
                bad.orgnr or typed.get("orgnr"),
                bad.project,
                ", ".join(map(municipality, bad.municipalities)) or typed.get("municipalities"),
                ", ".join(map(county, bad.counties)) or typed.get("county"),
                bad.category,
                requested if requested is not None else typed.get("requested"),
                bad.total_cost if bad.total_cost is not None else typed.get("total_cost"),
                bad.score if bad.score is not None else typed.get("score"),
                decision.eligible_amount,
            ]
            reason = rejected_text(bad, lang) or decision_text(decision, lang)
            source_row = bad.row
            extra = bad.extra
            total_cost = None
        status = statuses[decision.status]
        if funded:
            amount = decision.amount
            if changes is not None:
                current = changes.current(decision)
                if not changes.as_decided:
                    amount = current
                    kind = changes.state(decision.application_id)
                    if kind is not None:
                        status = changed_words[kind]
            # _share, inlined: round(x * 10**6) / 10**6 is round(x, 6) at a tenth of its cost.
            share = round(amount * 1_000_000 / total_cost) / 1_000_000 if total_cost else None
            values += (amount, share)
            if changes is not None:
                values += (decision.amount, current, changes.notes.get(decision.application_id))
        values += (status, reason)
        if override:
            values.append(app.decision_reason if app is not None and decision.override else None)
        values.append(source_row)
        if not places:
            del values[_PLACES]
        for index in dropped:
            del values[index]
        if not numbers and not codes:
            # A loop, not `values += map(...)`: making the map object costs more than the
            # few carried columns a round has (0.2 µs a row with one or none).
            for name in extras:
                values.append(extra.get(name))
        else:
            for name, known, code in carried:
                value = extra.get(name)
                if code:
                    # A code from a spreadsheet's number cell is written as its digits, as the
                    # same code from a CSV file is.
                    values.append(str(value) if type(value) is int else value)
                else:
                    values.append(
                        known.get(value, value) if known and type(value) is str else value
                    )
        return values

    return row


def _write_applications(
    book: Workbook,
    title: str,
    result: RoundResult,
    decisions: Sequence[Decision],
    lang: str,
    *,
    funded: bool,
    override: bool,
    changes: _Changes | None = None,
) -> None:
    places = _names_places(result)
    left_out = _left_out(result)
    columns = _award_columns(
        lang,
        result.extra_columns,
        funded=funded,
        override=override,
        changed=changes is not None,
        places=places,
        left_out=left_out,
    )
    styles = tuple(
        Style.WRAP if c.wrap else _STYLE_OF_KIND.get(c.kind, Style.DEFAULT) for c in columns
    )
    make_row = _row_maker(
        result,
        lang,
        funded=funded,
        override=override,
        changes=changes if funded else None,
        places=places,
        left_out=left_out,
    )
    # Rows are made as they are written; the first few are made twice, to choose the widths.
    sample = [make_row(d) for d in decisions[:_SAMPLE_ROWS]]
    sheet = book.add_sheet(
        title,
        widths=_widths(columns, sample),
        freeze_rows=1,
        print_title_rows=1,
        landscape=True,
    )
    _header(sheet, [c.header for c in columns])
    # A tied rank (the first column) shows as the CSV and terminal show it, 8=, and stays the
    # number 8, so that the sheet still sorts and filters by rank.
    tied_styles = (Style.TIED_RANK, *styles[1:])
    append = sheet.append
    for decision in decisions:
        append(make_row(decision), tied_styles if decision.tied else styles)
    sheet.autofilter()


# --- summary ---------------------------------------------------------------------------------


def _status_counts(
    result: RoundResult, summary: RoundSummary, lang: str, changes: _Changes | None
) -> list[tuple[str, int]]:
    """How many applications have each status, as the award sheets say it: for a round changed
    since its decision shown as it stands, an amended or withdrawn award counts as that, not as
    the status it was decided with (so the counts match the sheets' Status column)."""
    counts = {
        Status.FUNDED: summary.funded_full,
        Status.PARTLY_FUNDED: summary.partly_funded,
        Status.RESERVE: summary.reserve,
        Status.NOT_FUNDED: summary.not_funded,
        Status.REJECTED: summary.rejected,
    }
    changed = {"amended": 0, "withdrawn": 0}
    if changes is not None and not changes.as_decided:
        for decision in result.allocation.decisions:
            kind = changes.state(decision.application_id)
            if kind is not None:
                counts[decision.status] -= 1
                changed[kind] += 1
    t = get(lang)
    said = [(status_text(status, lang), count) for status, count in counts.items()]
    if any(changed.values()):
        # After the funded ones, as the awards sheet lists them.
        said[2:2] = [(t(f"ledger.state.{kind}"), count) for kind, count in changed.items()]
    return said


def _write_summary(
    book: Workbook,
    result: RoundResult,
    summary: RoundSummary,
    lang: str,
    changes: _Changes | None = None,
) -> None:
    t = get(lang)
    sheet = book.add_sheet(t("ui.sheet.summary"), widths=[52, 18, 18, 14])
    title = " – ".join(p for p in (result.programme, result.round) if p) or t("summary.label.title")
    sheet.append([title], (Style.TITLE,))
    # Sentences wrap in the first column: longer than the four columns together, they would
    # be cut at the printed page's edge.
    prose = (Style.WRAP,)
    sheet.append([summary_sentence(summary, lang, round_name=result.round)], prose)
    if changes is not None:
        sheet.append([changes.pub.standing_sentence()], prose)
        sheet.append(
            [
                t(
                    "summary.label.changes_sheet",
                    sheet=t("ledger.sheet.amendments"),
                    column=column_header("change_note", lang),
                    awards=t("ui.sheet.awards"),
                )
            ],
            prose,
        )
    sheet.append([])

    def figure(label: str, value: CellValue, style: Style = Style.AMOUNT) -> int:
        return sheet.append([t(f"summary.label.{label}"), value], (Style.DEFAULT, style))

    stand = changes.pub.standing if changes is not None else None
    if stand is None:
        budget_row = figure("budget", summary.budget)
        awarded_row = figure("awarded", summary.awarded)
        unallocated_row = figure("unallocated", summary.unallocated)
        # A live check for whoever edits the figures: 0 as long as the budget is accounted for.
        check = summary.budget - summary.awarded - summary.unallocated
        formula = Formula(f"=B{budget_row}-B{awarded_row}-B{unallocated_row}", check)
        sheet.append([t("summary.label.check"), formula])
    else:
        # Changed since the decision: the budget as decided, then the awards now, each with its
        # live check (budget = decided + unallocated; now = decided + change).
        budget_row = figure("budget", stand.budget)
        decided_row = sheet.append(
            [t("doc.changed.decided"), stand.decided], (Style.DEFAULT, Style.AMOUNT)
        )
        unallocated_row = figure("unallocated", stand.unallocated)
        check = stand.budget - stand.decided - stand.unallocated
        formula = Formula(f"=B{budget_row}-B{decided_row}-B{unallocated_row}", check)
        sheet.append([t("summary.label.check_decided"), formula])
        change_row = sheet.append(
            [t("doc.changed.change"), stand.change], (Style.DEFAULT, Style.AMOUNT)
        )
        current_row = sheet.append(
            [t("doc.changed.current"), stand.current], (Style.DEFAULT, Style.AMOUNT)
        )
        check = stand.current - stand.decided - stand.change
        formula = Formula(f"=B{current_row}-B{decided_row}-B{change_row}", check)
        sheet.append([t("summary.label.check_current"), formula])
    figure("share_awarded", _share(summary.awarded, summary.budget), Style.PERCENT)
    figure("requested", summary.requested)
    figure("oversubscription", summary.oversubscription, Style.RATIO)
    figure("applications", summary.applications, Style.DEFAULT)
    figure("valid", summary.valid, Style.DEFAULT)
    # A round whose awards name no place (a sheet without places: a participatory budget,
    # another country's open data) has no places to count or table, as its documents have not
    # (:attr:`tilskudd.publication.Publication.has_places`).
    places = _has_places(summary)
    if places:
        figure("municipalities", summary.municipalities, Style.DEFAULT)
        figure("counties", summary.counties, Style.DEFAULT)
    sheet.append([])

    sheet.append([t("summary.label.by_status")], (Style.BOLD,))
    _header(sheet, [column_header("status", lang), column_header("count", lang)])
    for label, count in _status_counts(result, summary, lang, changes):
        sheet.append([label, count])
    sheet.append([t("ui.total"), summary.applications])
    if places:
        _write_per_county(sheet, summary, lang)
    if result.allocation.policy.quotas:
        _write_quotas(sheet, result, lang, changes)


def _has_places(summary: RoundSummary) -> bool:
    """Whether any award names a municipality or county."""
    return bool(summary.municipalities or summary.per_county)


def _write_per_county(sheet: Sheet, summary: RoundSummary, lang: str) -> None:
    """The awards per county, with a line for the awards to projects that name no place."""
    t = get(lang)
    sheet.append([])
    sheet.append([t("summary.label.per_county")], (Style.BOLD,))
    _header(
        sheet,
        [
            column_header("county", lang),
            column_header("projects", lang),
            column_header("awarded", lang),
            column_header("share_of_awarded", lang),
        ],
    )
    styles = (Style.DEFAULT, Style.DEFAULT, Style.AMOUNT, Style.PERCENT)
    for line in summary.per_county:
        share = _share(line.awarded, summary.awarded)
        sheet.append([county_label(line.county), line.projects, line.awarded, share], styles)
    if summary.no_county_projects:
        # Awards to projects that name no place: in no county, but in the total.
        share = _share(summary.no_county_awarded, summary.awarded)
        sheet.append(
            [t("doc.no_place"), summary.no_county_projects, summary.no_county_awarded, share],
            styles,
        )
    total = sum(c.awarded for c in summary.per_county) + summary.no_county_awarded
    sheet.append([t("ui.total"), None, total], styles)
    sheet.append([t("summary.label.per_county_note")], (Style.WRAP,))


def _write_quotas(
    sheet: Sheet, result: RoundResult, lang: str, changes: _Changes | None = None
) -> None:
    """Each group the round's quotas name, against its limits: the least and most it may get
    (an amount, or a share of the budget as its amount), the least and most funded
    applications, what it was awarded, how many of its applications were funded, and whether
    it was held to every limit. The awards as the awards sheet shows them (a round changed
    since its decision: as they stand), counted as every output counts them
    (:func:`tilskudd.publication.quota_lines`)."""
    t = get(lang)
    lines = quota_lines(result, as_decided=changes is not None and changes.as_decided)
    sheet.append([])
    sheet.append([t("summary.label.quotas")], (Style.BOLD,))
    _header(
        sheet,
        [t(f"summary.label.quota_{c}") for c in ("group", "min", "max", "min_count", "max_count")]
        + [column_header("awarded", lang), t("summary.label.quota_funded")]
        + [t("summary.label.quota_met")],
    )
    styles = (Style.DEFAULT, Style.AMOUNT, Style.AMOUNT, *(Style.DEFAULT,) * 2, Style.AMOUNT)
    for line in lines:
        sheet.append(
            [
                line.label(lang),
                line.least,
                line.most,
                line.min_count,
                line.max_count,
                line.awarded,
                line.funded,
                t("summary.label.quota_yes" if line.met else "summary.label.quota_no"),
            ],
            styles,
        )
    sheet.append([t("summary.label.quotas_note")], (Style.WRAP,))


# --- changes since the decision --------------------------------------------------------------

_CHANGE_COLUMNS = (
    _Column("", "int", 10),
    _Column("", "text", 18),
    _Column("", "text", 36),
    _Column("", "text", 48),
    _Column("", "text", 18),
    _Column("", "date", 12),
    _Column("", "time", 27),
    _Column("", "amount", 16),
    _Column("", "amount", 16),
    _Column("", "amount", 16),
    _Column("", "text", 80, wrap=True),
    _Column("", "text", 40, wrap=True),
)


def _write_changes(book: Workbook, result: RoundResult, changes: _Changes, lang: str) -> None:
    """One row per amendment or withdrawal, numbered as the awards sheet and the documents
    number them, with the date it was decided (where given), the time it was recorded, its
    amounts, reason and the rules it went beyond; a total row whose difference is the change
    since the decision."""
    t = get(lang)
    headers = [
        column_header("change_note", lang),
        *(
            # Times in UTC, headed as the ledger export heads them.
            t("ledger.column.utc", column=t(f"ledger.column.{key}"))
            if key == "recorded_at"
            else t(f"ledger.column.{key}")
            for key in (
                "id",
                "applicant",
                "project",
                "change",
                "decided",
                "recorded_at",
                "amount_before",
                "amount_after",
                "delta",
                "reason",
                "outside_policy",
            )
        ),
    ]
    apps = result.applications_by_id()
    decided = {d.application_id for d in result.allocation.decisions}
    last = len(changes.notes) + 1
    listed = sorted(
        (
            (changes.notes.get(key, last), index, change)
            for index, change in enumerate(result.changes)
            if (key := change.application_id) in decided
        ),
        key=lambda item: item[:2],
    )
    rows: list[list[CellValue]] = []
    for _note, _index, change in listed:
        app = apps.get(change.application_id)
        rows.append(
            [
                changes.notes.get(change.application_id),
                change.application_id,
                app.applicant if app is not None else None,
                app.project if app is not None else None,
                t(f"ledger.change.{change.kind}"),
                # The date it was decided, where the officer gave one: a date cell, to sort
                # and filter by.
                calendar_date(change.decided),
                utc_time(change.created),
                change.amount_before,
                change.amount_after,
                change.amount_after - change.amount_before,
                change.reason,
                waived_text(change.outside_policy, lang),
            ]
        )
    columns = [replace(c, header=h) for c, h in zip(_CHANGE_COLUMNS, headers, strict=True)]
    styles = tuple(
        Style.WRAP if c.wrap else _STYLE_OF_KIND.get(c.kind, Style.DEFAULT) for c in columns
    )
    sheet = book.add_sheet(
        t("ledger.sheet.amendments"),
        widths=_widths(columns, rows),
        freeze_rows=1,
        print_title_rows=1,
        landscape=True,
    )
    _header(sheet, headers)
    for row in rows:
        sheet.append(row, styles)
    sheet.autofilter()
    total = sum(c.amount_after - c.amount_before for _n, _i, c in listed)
    sheet.append([t("ui.total"), *([None] * 8), total], styles)


# --- policy and provenance -------------------------------------------------------------------

_AMOUNT_SETTINGS = frozenset({"max_award", "min_award", "round_to", "per_applicant_max"})


def _policy_value(name: str, value: Any, lang: str) -> tuple[CellValue, Style]:
    t = get(lang)
    if value is None:
        return t("ui.basis.none"), Style.DEFAULT
    if name == "tie_break":
        return ", ".join(step.text for step in value) or t("ui.basis.none"), Style.DEFAULT
    if name == "max_share_of_cost" and isinstance(value, Decimal):
        whole = (value * 100) == (value * 100).to_integral_value()
        return value, Style.PERCENT_WHOLE if whole else Style.PERCENT_2
    if isinstance(value, bool):
        return str(value).lower(), Style.DEFAULT
    if name == "quotas":
        return "; ".join(quota.text for quota in value) or t("ui.basis.none"), Style.DEFAULT
    if isinstance(value, int) and name in _AMOUNT_SETTINGS:
        return value, Style.AMOUNT
    if isinstance(value, float):
        # time_limit: seconds as a number (60), not the text '60.0' in a Norwegian sheet
        exact = Decimal(repr(value))
        return (int(exact) if exact == exact.to_integral_value() else exact), Style.DEFAULT
    if isinstance(value, Decimal | int):
        return value, Style.DEFAULT
    return str(value), Style.DEFAULT


def policy_rows(
    policy: Policy,
    lang: str,
    *,
    rule: str | None = None,
    seed: int | None = None,
    only: Iterable[str] | None = None,
) -> list[tuple[str, CellValue, Style, str]]:
    """The policy as the Grunnlag sheet lists it: (setting, value, its style, explanation), the
    rule first. ``rule`` and ``seed``: what the round used, where the result records them;
    ``only``: the settings to list (those a ledger recorded), in the order of :class:`Policy`."""
    t = get(lang)
    names = [name for name in type(policy).model_fields if name != "rule"]
    if only is not None:
        wanted = set(only)
        names = [name for name in names if name in wanted]
    rows: list[tuple[str, CellValue, Style, str]] = [
        ("rule", rule or policy.rule, Style.DEFAULT, t("ui.policy.rule"))
    ]
    for name in names:
        raw = getattr(policy, name)
        if name == "seed" and seed is not None:
            raw = seed  # the seed the rule actually used, recorded in the result
        value, style = _policy_value(name, raw, lang)
        explanation = t(f"ui.policy.{name}") if t.has(f"ui.policy.{name}") else ""
        rows.append((name, value, style, explanation))
    return rows


def _write_basis(
    book: Workbook, result: RoundResult, lang: str, changes: _Changes | None = None
) -> None:
    t = get(lang)
    sheet = book.add_sheet(
        t("ui.sheet.policy"),
        widths=[30, 66, 70],
        freeze_rows=1,
        print_title_rows=1,
        landscape=True,
    )
    _header(
        sheet,
        [
            column_header("setting", lang),
            column_header("value", lang),
            column_header("explanation", lang),
        ],
    )
    # Values and explanations wrap: a note or a file's path is read whole, on paper too.
    text = (Style.DEFAULT, Style.WRAP, Style.WRAP)
    allocation = result.allocation
    for label, given in (
        ("programme", result.programme),
        ("round", result.round),
        ("funder", result.funder),
    ):
        if given:
            sheet.append([t(f"ui.basis.{label}"), given], text)
    if result.currency != NOK:  # kroner go without saying, as they always have
        sheet.append([t("ui.basis.currency"), result.currency], text)
    for name, value, style, explanation in policy_rows(
        allocation.policy, lang, rule=allocation.rule, seed=allocation.seed
    ):
        sheet.append([name, value, explanation], (Style.DEFAULT, style or Style.WRAP, Style.WRAP))
    for note in allocation.notes:
        sheet.append([t("ui.basis.notes"), note_text(note, lang)], text)
    source = result.source
    if source is not None:
        sheet.append([t("ui.basis.file"), visible(source.file)], text)
        if source.sheet:
            # Quoted as the messages quote it: a space at the end of the name shows.
            sheet.append([t("ui.basis.sheet"), sheet_reference(source.sheet)], text)
        if source.header_row:
            sheet.append([t("ui.basis.header_row"), source.header_row], text)
        sheet.append([t("ui.basis.sha256"), source.sha256 or t("ui.basis.none")], text)
        if source.comment:
            # What the file's compilers wrote on the data (Budapest's: half the votes were cast
            # on paper and are not in it): the record of the round keeps it beside the file.
            sheet.append([t("ui.basis.comment"), source.comment], text)
    sheet.append([t("ui.basis.tool_version"), result.tool_version], text)
    sheet.append([t("ui.basis.created"), utc_time(result.created)], (Style.DEFAULT, Style.DATETIME))
    sheet.append([t("ui.basis.language"), lang], text)
    stand = changes.pub.standing if changes is not None else None
    if changes is not None and stand is not None:
        counted = [
            t(f"ledger.count.{key}", n=n)
            for key, n in (("amendments", stand.amendments), ("withdrawals", stand.withdrawals))
            if n
        ]
        last = max(c.created for c in result.changes)
        value = t("ui.basis.changes_value", changes=t.join(counted), last=last)
        sheet.append([t("ui.basis.changes"), value], text)
        shown = "shown_decided" if changes.as_decided else "shown_now"
        sheet.append([t("ui.basis.shown"), t(f"ui.basis.{shown}")], text)
    if result.issues:
        sheet.append([])
        _header(
            sheet,
            [
                column_header("cell", lang),
                column_header("severity", lang),
                column_header("problem", lang),
            ],
        )
        for issue in result.issues:
            sheet.append(
                [
                    issue_cell(issue, lang),
                    t(f"severity.{issue.severity.value}"),
                    issue_text(issue, lang),
                ],
                text,
            )


# --- the workbook ----------------------------------------------------------------------------


def _check_width(result: RoundResult, lang: str, *, override: bool, changed: bool) -> None:
    """Refuse, before anything is written, an award sheet wider than Excel holds: the columns
    written, without those left out (:func:`_left_out`), so that a sheet that fits once its
    empty columns are left out is written."""
    extras = len(result.extra_columns)
    columns = len(
        _award_columns(
            lang,
            result.extra_columns,
            funded=True,
            override=override,
            changed=changed,
            places=_names_places(result),
            left_out=_left_out(result),
        )
    )
    if columns > MAX_COLUMNS:
        raise InputFileError(
            key="output.error.too_many_columns", extras=extras, columns=columns, max=MAX_COLUMNS
        )


def _fill(
    book: Workbook,
    result: RoundResult,
    lang: str,
    *,
    override: bool,
    changes: _Changes | None = None,
) -> None:
    t = get(lang)
    funded: list[Decision] = []
    others: list[Decision] = []
    for d in display_order(result):
        # Changed since the decision: one funded from the reserve list is an award too (and
        # stays on the sheet, at 0 with its change's number, if it was withdrawn since).
        award = d.status in (Status.FUNDED, Status.PARTLY_FUNDED) or (
            changes is not None and d.application_id in changes.by_id
        )
        (funded if award else others).append(d)
    for title, decisions, is_funded in (
        (t("ui.sheet.awards"), funded, True),
        (t("ui.sheet.others"), others, False),
    ):
        _write_applications(
            book,
            title,
            result,
            decisions,
            lang,
            funded=is_funded,
            override=override,
            changes=changes,
        )
    if changes is not None:
        _write_changes(book, result, changes, lang)
        _write_summary(book, result, changes.pub.summary, lang, changes)
    else:
        _write_summary(book, result, summarise(result), lang)
    _write_basis(book, result, lang, changes)


def page_number(lang: str) -> str:
    """``Side &P av &N``: a printed page's number and the count, in Excel's footer codes."""
    return get(lang)("ui.print.page", page="&P", pages="&N")


def round_name(result: RoundResult) -> str | None:
    """What a printed page's footer calls the round: programme and round, or else the name of
    the file it was allocated from."""
    title = " – ".join(p for p in (result.programme, result.round) if p)
    return title or (visible(Path(result.source.file).name) if result.source is not None else None)


def page_footer(name: str | None, lang: str) -> str:
    """A printed page's footer in Excel's codes: ``name`` (the round, or the file) on the left,
    ``Side 1 av 3`` on the right."""
    return footer(name, page_number(lang))


def write(
    result: RoundResult,
    path: Path,
    *,
    lang: str = "en",
    as_decided: bool = False,
    **_options: object,
) -> None:
    """Write the award workbook to ``path`` atomically (a temporary file, then a rename); a
    committed round changed since its decision as it stands, or with ``as_decided`` as
    decided, with a sheet of the changes either way."""
    title = " – ".join(p for p in (result.programme, result.round) if p) or None
    override = any(d.override for d in result.allocation.decisions)
    changes = _Changes.of(result, lang, as_decided=as_decided)
    _check_width(result, lang, override=override, changed=changes is not None)
    with (
        collector_paused(),
        atomic_path(Path(path)) as tmp,
        Workbook(
            tmp, created=result.created, title=title, footer=page_footer(round_name(result), lang)
        ) as book,
    ):
        _fill(book, result, lang, override=override, changes=changes)
