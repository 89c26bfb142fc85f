"""The publication list every document shows, built once from a round's result.

The ministry's 2009 press release linked "who gets grants" as one list sorted by amount and one
sorted by municipality. :func:`build` makes both, with the words for one language, so that the
HTML page, the PDF and the Markdown table show the same rows in the same order:

- by amount: every award, largest first (then applicant and id, so the order is stable);
- by municipality: county by county (register order), municipality by number; a collaboration
  appears under each of its municipalities, is marked as shared, and counts once in the total;
- per county: the awards attributed to each county, from :func:`tilskudd.summary.summarise`.

A committed round whose awards were amended or withdrawn since (``result.changes``) is shown as
it stands: each award at its current amount, a withdrawn one at 0 with its status, an amended or
withdrawn one with a note (the amount decided, each change's date, amounts and reason, and the
amount now), and totals of the awards now beside what was decided (:class:`Standing`). With
``as_decided=True`` the amounts are the decision's, and the same notes say what changed since:
a published list never shows a figure that no longer holds without saying so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import PureWindowsPath

from tilskudd import clock
from tilskudd.controls import visible
from tilskudd.currency import amount_unit, shown
from tilskudd.i18n import Phrase, format_date, format_number, get
from tilskudd.models import (
    Application,
    AwardChange,
    Decision,
    Reason,
    RoundResult,
    Status,
)
from tilskudd.money import format_amount
from tilskudd.named import application_names
from tilskudd.named import named as _named
from tilskudd.summary import CountyLine, RoundSummary, summarise
from tilskudd.wording import (
    change_sentences,
    column_header,
    county_name,
    municipality_name,
    note_text,
    shortened,
    summary_sentence,
)

__all__ = [
    "SHARED_MARK",
    "AwardLine",
    "ChangesSince",
    "CountyBar",
    "CountyGroup",
    "MunicipalityGroup",
    "Publication",
    "QuotaLine",
    "Standing",
    "build",
    "changes_by_id",
    "changes_since",
    "collate",
    "current_amounts",
    "money",
    "quota_lines",
    "standing",
    "summary_shown",
]

SHARED_MARK = "*"
"""Marks a collaboration in the list by municipality: it appears more than once, counts once."""

# Norwegian alphabetical order: ... x y z æ ø å. Python's code-point order would put å before æ.
_NB_ORDER = str.maketrans({"æ": "z\u0001", "ø": "z\u0002", "å": "z\u0003"})


def collate(text: str) -> str:
    """A sort key for names in Norwegian alphabetical order (æ, ø, å after z), case-blind."""
    return text.casefold().translate(_NB_ORDER)


def money(amount: int, lang: str) -> str:
    """An amount as the documents show it: ``3 300 000 kr`` (nb) or ``NOK 3,300,000`` (en)."""
    return format_amount(amount, lang, currency=amount_unit())


@dataclass(frozen=True)
class AwardLine:
    """One award as the lists show it."""

    id: str
    applicant: str
    project: str
    municipalities: tuple[str, ...]
    """4-digit numbers."""
    places: str
    """Municipality names joined for display (``Halden, Moss og Sarpsborg``)."""
    counties: tuple[str, ...]
    requested: int | None
    amount: int
    status: Status
    status_text: str
    rank: int | None
    decided: int | None = None
    """The amount decided, for an award changed since the decision (None: unchanged)."""
    changes: tuple[AwardChange, ...] = ()
    """The amendments and withdrawals recorded since the decision, in order."""
    note: int | None = None
    """The number of its note among the changes (:attr:`Publication.changed`)."""

    @property
    def current(self) -> int:
        """The amount now: the last change's, or the amount decided."""
        return self.changes[-1].amount_after if self.changes else self.amount

    @property
    def shared(self) -> bool:
        """True for a collaboration listed under more than one municipality (or county)."""
        return len(self.municipalities) > 1 or (not self.municipalities and len(self.counties) > 1)


@dataclass(frozen=True)
class MunicipalityGroup:
    """The awards to projects that involve one municipality."""

    number: str | None
    """None for projects that name no municipality (listed under their county)."""
    name: str
    lines: tuple[AwardLine, ...]


@dataclass(frozen=True)
class CountyGroup:
    """One county's municipalities in the list by municipality."""

    number: str | None
    """None for projects that name no place at all."""
    name: str
    municipalities: tuple[MunicipalityGroup, ...]


@dataclass(frozen=True)
class CountyBar:
    """One bar of the chart: awards attributed to a county."""

    number: str
    """The county's number; empty for the awards to projects that name no place."""
    name: str
    projects: int
    awarded: int


@dataclass(frozen=True)
class Standing:
    """A committed round after the changes recorded since its decision: ``budget == decided +
    unallocated`` as decided, and ``current == decided + change``; a negative change went back
    to the programme's frame, a positive one came from it."""

    budget: int
    decided: int
    unallocated: int
    current: int
    amendments: int
    """How many amendments were recorded (an award changed twice counts twice)."""
    withdrawals: int

    @property
    def change(self) -> int:
        """What the changes added to the awards (negative: what they freed)."""
        return self.current - self.decided


def changes_by_id(result: RoundResult) -> Mapping[str, tuple[AwardChange, ...]]:
    """The changes recorded since the decision, by application id, each award's in order
    (made once per result; do not change it)."""
    changes = result.changes
    return result.derived("changes_by_id", (changes,), lambda: _changes_by_id(changes))


def _changes_by_id(changes: Sequence[AwardChange]) -> dict[str, tuple[AwardChange, ...]]:
    found: dict[str, list[AwardChange]] = {}
    for change in changes:
        found.setdefault(change.application_id, []).append(change)
    return {key: tuple(value) for key, value in found.items()}


def current_amounts(result: RoundResult) -> dict[str, int]:
    """Every decision's amount as it stands: the last change's, or the amount decided."""
    changed = changes_by_id(result)
    return {
        d.application_id: (
            changed[d.application_id][-1].amount_after if d.application_id in changed else d.amount
        )
        for d in result.allocation.decisions
    }


def _changed_decided(result: RoundResult) -> dict[str, int]:
    """The amount decided of each decision changed since, by id (one pass over the decisions,
    keeping only those few)."""
    changed = changes_by_id(result)
    if not changed:
        return {}
    return {
        d.application_id: d.amount
        for d in result.allocation.decisions
        if d.application_id in changed
    }


def standing(result: RoundResult) -> Standing | None:
    """The round's totals as decided and as they stand; None when nothing changed since."""
    if not result.changes:
        return None
    decided = _changed_decided(result)
    changes = [c for c in result.changes if c.application_id in decided]
    if not changes:
        return None
    allocation = result.allocation
    changed = changes_by_id(result)
    # The awards now: as decided (their sum, which the allocation checked), each changed one
    # at its last change's amount instead.
    change = sum(changed[key][-1].amount_after - amount for key, amount in decided.items())
    return Standing(
        budget=allocation.budget,
        decided=allocation.awarded,
        unallocated=allocation.unallocated,
        current=allocation.awarded + change,
        amendments=sum(1 for c in changes if c.kind == "amend"),
        withdrawals=sum(1 for c in changes if c.kind == "withdraw"),
    )


@dataclass(frozen=True)
class QuotaLine:
    """One group a round's quotas name (a category or a county), against its limits, with what
    the round's awards give it: what the workbook, the JSON, the documents and the terminal
    say of it (:func:`quota_lines`)."""

    by: str
    """``category`` or ``county``."""
    value: str
    """The group as reasons name it: the county number(s) or the category as written."""
    name: str
    """For people: the county's name, or the category as written."""
    phrase: Phrase
    """The group in words (``county 56 (Finnmark)``), said in the output's language."""
    least: int | None
    """The least it must be awarded (a minimum share as the amount it gives); None: no
    minimum amount."""
    most: int | None
    """The most it may be awarded (a maximum share as the amount it gives); None: no maximum."""
    min_count: int | None
    max_count: int | None
    awarded: int
    funded: int
    """How many of its applications have an award (a partly funded one counts)."""
    applications: int = 0
    """How many of the round's valid applications are in the group (0: the quota held
    nothing this round, which only the officer is told of)."""

    @property
    def met(self) -> bool:
        """Whether the group is within every limit of its quotas, in amount and count."""
        return (
            self.awarded >= (self.least or 0)
            and (self.most is None or self.awarded <= self.most)
            and self.funded >= (self.min_count or 0)
            and (self.max_count is None or self.funded <= self.max_count)
        )

    def label(self, lang: str) -> str:
        """The group in ``lang``, as a table's first cell says it: ``Fylke 56 (Finnmark)``."""
        text = self.phrase.render(lang)
        return text[:1].upper() + text[1:]

    def limits(self, lang: str) -> str:
        """Its limits in words: ``at least NOK 1,000,000, at most 3 funded applications``."""
        t = get(lang)
        parts = [
            t(f"doc.quota.{key}", amount=value, n=value)
            for key, value in (
                ("min_amount", self.least),
                ("max_amount", self.most),
                ("min_count", self.min_count),
                ("max_count", self.max_count),
            )
            if value is not None
        ]
        return ", ".join(parts)

    def outcome(self, lang: str) -> str:
        """The line the terminal gives it: the group, its limits, what it was awarded and
        whether it is within the quota."""
        t = get(lang)
        return t(
            "doc.quota.line",
            group=self.label(lang),
            limits=self.limits(lang),
            awarded=self.awarded,
            applications=t("summary.applications", n=self.funded),
            verdict=t(f"doc.quota.{'met' if self.met else 'not_met'}"),
        )


def quota_lines(result: RoundResult, *, as_decided: bool = False) -> tuple[QuotaLine, ...]:
    """Each group the round's quotas name, against its limits, with what the awards give it:
    as decided, or for a committed round changed since its decision and not ``as_decided``,
    as the awards stand (each amended or withdrawn one at its amount now). Empty for a round
    without quotas. Every output takes its figures of the quotas from here (made once per
    result), counted by :func:`tilskudd.rules.quotas.quota_totals` as the ledger counts an
    amendment against them."""
    if not result.allocation.policy.quotas:
        return ()
    now = not as_decided and standing(result) is not None
    parts = (result.allocation, result.applications, result.changes if now else None)

    def made() -> tuple[QuotaLine, ...]:
        # Imported here: the rules package loads every rule, which a round without quotas
        # (and `tilskudd check`, which renders through this module) does not need.
        from tilskudd.rules.quotas import quota_totals

        allocation = result.allocation
        awards = (
            current_amounts(result)
            if now
            else {d.application_id: d.amount for d in allocation.decisions}
        )
        totals = quota_totals(result.applications, awards, allocation.budget, allocation.policy)
        lines = []
        for total in totals:
            group = total.group
            minimum = group.min_amount is not None or bool(group.share_floor)
            lines.append(
                QuotaLine(
                    by=group.by,
                    value=group.value,
                    name=group.name,
                    phrase=group.phrase,
                    least=group.least if minimum else None,
                    most=group.most,
                    min_count=group.min_count,
                    max_count=group.max_count,
                    awarded=total.amount,
                    funded=total.count,
                    applications=len(group.members),
                )
            )
        return tuple(lines)

    return result.derived(f"quota_lines:{now}", parts, made)


def _change_note(line: AwardLine, lang: str) -> str:
    who = " – ".join(p for p in (line.applicant, line.project) if p) or line.id
    return " ".join([f"{who} ({line.id}):", *change_sentences(line.changes, lang)])


@dataclass(frozen=True)
class ChangesSince:
    """What every view of a committed round changed since its decision says of the changes,
    in one language: the changed awards with their notes, the totals as decided and now, and
    the sentences. The terminal takes it alone (:func:`changes_since`); a document takes it
    with the lists (:attr:`Publication.changes`), so that the two number and word them alike."""

    lang: str
    standing: Standing
    as_decided: bool
    """The amounts are the decision's (the changes are said in the notes), not as they stand."""
    lines: tuple[AwardLine, ...]
    """The awards amended or withdrawn since the decision, in the order of their notes."""

    def change_note(self, line: AwardLine) -> str:
        """One award's note: who and what, what was decided, each change, and the amount now."""
        return _change_note(line, self.lang)

    def standing_sentence(self) -> str:
        """Under the summary sentence: what was decided, what changed since, and what the
        awards are now (or, as decided, that they are shown as decided)."""
        s = self.standing
        t = get(self.lang)
        counted = [
            t(f"ledger.count.{key}", n=n)
            for key, n in (("amendments", s.amendments), ("withdrawals", s.withdrawals))
            if n
        ]
        if s.change < 0:
            which = "freed"
        elif s.change > 0:
            which = "added"
        else:
            which = "same"
        key = f"doc.changed.{'as_decided' if self.as_decided else 'now'}_{which}"
        return t(
            key,
            changes=t.join(counted),
            decided=s.decided,
            current=s.current,
            amount=abs(s.change),
        )

    def budget_line(self) -> str:
        """The budget accounted for to the krone, as decided and now:
        ``Budget = Decided + Unallocated``, ``Awarded now = Decided + Changed``."""
        s = self.standing
        change = money(s.change, self.lang)
        return get(self.lang)(
            "doc.changed.budget_line",
            budget=s.budget,
            decided=s.decided,
            unallocated=s.unallocated,
            change=f"+{change}" if s.change > 0 else change,
            current=s.current,
        )


@dataclass(frozen=True)
class Publication:
    """Everything a publication document shows, in one language."""

    lang: str
    title: str
    programme: str | None
    round: str | None
    funder: str | None
    date: str
    """The date of the result, e.g. ``28. november 2026``."""
    iso_date: str
    sentence: str
    summary: RoundSummary
    by_amount: tuple[AwardLine, ...]
    by_municipality: tuple[CountyGroup, ...]
    per_county: tuple[CountyBar, ...]
    shared: int
    """How many awards are collaborations listed more than once."""
    tool_version: str
    source_file: str | None
    """The input file's name, without its folders (:func:`published_name`)."""
    source_sha256: str | None
    decided: str | None = None
    """The date of the round's decision, where the programme gives it (``12. juni 2009``)."""
    decided_iso: str | None = None
    notes: tuple[str, ...] = ()
    """The round's notes as sentences (:func:`public_notes`): how ties, a lottery or the
    shares were decided, which a published list owes its readers."""
    standing: Standing | None = None
    """The totals as decided and as they stand, for a round changed since its decision."""
    as_decided: bool = False
    """The amounts are the decision's (the changes are said in the notes), not as they stand."""
    quotas: tuple[QuotaLine, ...] = ()
    """The round's quota groups with what the awards shown give them (:func:`quota_lines`):
    the quotas are published policy ("at least 1 000 000 kr to Finnmark"), and whether the
    round kept them is the reader's business. A group no application of the round is in is
    left out, as the note about it is (:data:`OFFICER_NOTES`)."""

    @property
    def changes(self) -> ChangesSince | None:
        """What the publication says of the changes since the decision (None: unchanged)."""
        if self.standing is None:
            return None
        return ChangesSince(self.lang, self.standing, self.as_decided, self.changed)

    @property
    def changed(self) -> tuple[AwardLine, ...]:
        """The awards amended or withdrawn since the decision, in the order of their notes."""
        return tuple(sorted((x for x in self.by_amount if x.note), key=lambda x: x.note or 0))

    def change_note(self, line: AwardLine) -> str:
        """One award's note: who and what, what was decided, each change, and the amount now."""
        return _change_note(line, self.lang)

    def standing_sentence(self) -> str | None:
        """Under the summary sentence of a changed round: what was decided, what changed since,
        and what the awards are now (or, as decided, that they are shown as decided)."""
        changes = self.changes
        return changes.standing_sentence() if changes is not None else None

    def budget_line(self) -> str:
        """The budget accounted for to the krone: as decided, and for a changed round also
        what changed since and the awards now."""
        changes = self.changes
        if changes is not None:
            return changes.budget_line()
        summary = self.summary
        return self.text(
            "ui.budget_line",
            budget=summary.budget,
            awarded=summary.awarded,
            unallocated=summary.unallocated,
        )

    def dated(self) -> tuple[str, str, str]:
        """The masthead's date line as (key, date, ISO date): the decision's date where the
        programme gives it ("Vedtatt 12. juni 2009"), else the day the document was made."""
        if self.decided is not None and self.decided_iso is not None:
            return "doc.decided", self.decided, self.decided_iso
        return "doc.published", self.date, self.iso_date

    def text(self, key: str, /, **params: object) -> str:
        """A catalogue text in the publication's language."""
        return get(self.lang)(key, **params)

    def header(self, field: str) -> str:
        """A column header in the publication's language."""
        return column_header(field, self.lang)

    def money(self, amount: int) -> str:
        """An amount formatted for the publication's language."""
        return money(amount, self.lang)

    @property
    def has_places(self) -> bool:
        """Whether any award names a municipality or county. A round whose sheet names none (a
        scheme that does not record places, a participatory budget, another country's open
        data) has no place to list, count or chart: its documents leave places out."""
        return any(line.places for line in self.by_amount)

    @property
    def has_applicants(self) -> bool:
        """Whether any award names its applicant. A round whose sheet names none (a
        participatory budget's projects, with a name and no one behind it) has no applicant to
        show: its documents leave the column out rather than publish it empty."""
        return any(line.applicant for line in self.by_amount)

    @property
    def shows_ids(self) -> bool:
        """Whether the lists show each award's id. A round that names no applicant is known by
        its projects alone, and a participatory budget's titles repeat (Budapest VIII 2022 has
        "Mikroparkokkal a nyári hoség ellen" in three neighbourhoods): without the id, rows
        that read alike are not told apart, and a note naming ids (a tie at the funding line)
        names no row of the list. Its projects are known by their number, as voters were."""
        return not self.has_applicants

    def key_figures(self) -> list[tuple[str, str]]:
        """The key figures the HTML and the PDF show as (label, value): the budget, what is
        awarded and what is left, then projects, municipalities and applications. In a round
        changed since its decision (unless shown as decided): the budget, the awards as decided,
        what is left, the change since and the awards now."""
        s = self.summary
        t = self.text
        items = [
            (t("summary.label.budget"), self.money(s.budget)),
            (t("summary.label.awarded"), self.money(s.awarded)),
            (t("summary.label.unallocated"), self.money(s.unallocated)),
        ]
        stand = self.standing
        if stand is not None and not self.as_decided:
            change = self.money(stand.change)
            items = [
                items[0],
                (t("doc.changed.decided"), self.money(stand.decided)),
                items[2],
                (t("doc.changed.change"), f"+{change}" if stand.change > 0 else change),
                (t("doc.changed.current"), self.money(stand.current)),
            ]
        places = [(t("summary.label.municipalities"), format_number(s.municipalities, self.lang))]
        return [
            *items,
            (self.header("projects"), format_number(s.funded, self.lang)),
            *(places if self.has_places else []),
            (t("summary.label.applications"), format_number(s.applications, self.lang)),
        ]

    def colophon(self) -> list[str]:
        """The closing lines every format prints: the budget line, what made the list and when,
        and the input file with its SHA-256 when it is known."""
        lines = [
            self.budget_line(),
            self.text("doc.made_with", version=self.tool_version, date=self.date),
        ]
        if self.source_file:
            sha256 = self.source_sha256 or "–"
            lines.append(self.text("doc.source", file=self.source_file, sha256=sha256))
        return lines


def _places(numbers: Sequence[str], counties: Sequence[str], lang: str) -> str:
    t = get(lang)
    if numbers:
        return t.join([municipality_name(n) or n for n in numbers])
    # A county council's or county governor's project names its county, not municipalities.
    return t.join([t("doc.whole_county", county=county_name(c) or c) for c in counties])


def _line(app: Application | None, d: Decision, amount: int, lang: str) -> AwardLine:
    municipalities = app.municipalities if app else ()
    counties = app.counties if app else ()
    applicant = (app.applicant if app else None) or ""
    project = (app.project if app else None) or ""
    requested = d.requested if d.requested is not None else (app.requested if app else None)
    return AwardLine(
        id=d.application_id,
        applicant=applicant,
        project=project,
        municipalities=municipalities,
        places=_places(municipalities, counties, lang),
        counties=counties,
        requested=requested,
        amount=amount,
        status=d.status,
        status_text=get(lang)(f"status.{d.status.value}"),
        rank=d.rank,
    )


def _county_of(number: str, app_counties: tuple[str, ...]) -> str | None:
    """The county of a municipality: the first two digits of its number (SSB's numbering)."""
    county = number[:2]
    if county_name(county) is not None or county in app_counties:
        return county
    return app_counties[0] if app_counties else None


def _group_by_municipality(lines: Sequence[AwardLine], lang: str) -> tuple[CountyGroup, ...]:
    # county -> municipality -> lines; None keys for projects without a place.
    tree: dict[str | None, dict[str | None, list[AwardLine]]] = {}
    for line in lines:
        if line.municipalities:
            for number in line.municipalities:
                home = _county_of(number, line.counties)
                tree.setdefault(home, {}).setdefault(number, []).append(line)
        elif line.counties:
            for county_number in line.counties:
                tree.setdefault(county_number, {}).setdefault(None, []).append(line)
        else:
            tree.setdefault(None, {}).setdefault(None, []).append(line)
    t = get(lang)
    groups = []
    for county in sorted(tree, key=lambda c: (c is None, c or "")):
        municipalities = []
        for place in sorted(tree[county], key=lambda n: (n is None, n or "")):
            if place is not None:
                name = f"{place} {municipality_name(place) or ''}".strip()
            elif county is not None:
                name = t("doc.no_municipality")  # a county-wide project
            else:
                name = "–"  # no place at all: under "No place given", nothing to add
            entries = sorted(
                tree[county][place], key=lambda x: (-x.amount, collate(x.applicant), x.id)
            )
            municipalities.append(MunicipalityGroup(number=place, name=name, lines=tuple(entries)))
        label = f"{county_name(county) or county}" if county is not None else t("doc.no_place")
        groups.append(CountyGroup(number=county, name=label, municipalities=tuple(municipalities)))
    return tuple(groups)


def _standing_summary(result: RoundResult, summary: RoundSummary, current: int) -> RoundSummary:
    """``summary`` (the decision's) with the figures of the awards as they stand (those above
    0 now, ``current`` in all): the projects, places and the split per county as
    :func:`tilskudd.summary.summarise` makes them of the awards decided."""
    apps = result.applications_by_id()
    amounts = {d.application_id: d.amount for d in result.allocation.decisions if d.amount}
    for key, amount in _changed_decided(result).items():
        after = changes_by_id(result)[key][-1].amount_after
        if after > 0:
            amounts[key] = after
        elif amount:
            del amounts[key]
    county_projects: Counter[str] = Counter()
    county_awarded: Counter[str] = Counter()
    no_county: list[int] = []
    municipalities: set[str] = set()
    counties: set[str] = set()
    for key, amount in amounts.items():
        app = apps.get(key)
        if app is None or not app.counties:
            no_county.append(amount)
        if app is None:
            continue
        municipalities.update(app.municipalities)
        counties.update(app.counties)
        for county in app.counties:
            county_projects[county] += 1
            share, rest = divmod(amount, len(app.counties))
            county_awarded[county] += share + (rest if county == app.counties[0] else 0)
    return replace(
        summary,
        awarded=current,
        decided=summary.awarded,
        funded=len(amounts),
        municipalities=len(municipalities),
        counties=len(counties),
        per_county=tuple(
            CountyLine(county=c, projects=county_projects[c], awarded=county_awarded[c])
            for c in sorted(county_projects)
        ),
        no_county_projects=len(no_county),
        no_county_awarded=sum(no_county),
    )


def summary_shown(result: RoundResult, *, as_decided: bool = False) -> RoundSummary:
    """The figures of the round as its views show it: as decided
    (:func:`tilskudd.summary.summarise`), or for a committed round changed since its decision
    and not ``as_decided``, of the awards as they stand (the totals, the summary sentence and
    the chart per county of every view of it; made once per result)."""
    summary = summarise(result)
    if as_decided or not result.changes:
        return summary
    parts = (result.allocation, result.applications, result.changes)

    def made() -> RoundSummary:
        stand = standing(result)
        return summary if stand is None else _standing_summary(result, summary, stand.current)

    return result.derived("summary_now", parts, made)


def _award_line(
    d: Decision,
    changes: tuple[AwardChange, ...],
    app: Application | None,
    lang: str,
    *,
    as_decided: bool,
) -> AwardLine | None:
    """A decision's line (as it stands, or as decided); None for one that never was an award."""
    current = changes[-1].amount_after if changes else d.amount
    if d.amount <= 0 and current <= 0 and not changes:
        # Never an award. One funded after the decision and withdrawn since is listed (at
        # 0, with its note), or its changes, counted in the totals' sentence, go unsaid.
        return None
    line = _line(app, d, d.amount if as_decided else current, lang)
    if changes:
        state = "withdrawn" if changes[-1].kind == "withdraw" else "amended"
        line = replace(
            line,
            decided=d.amount,
            changes=changes,
            status_text=get(lang)(f"ledger.state.{state}"),
        )
    return line


def _award_lines(result: RoundResult, lang: str, *, as_decided: bool) -> list[AwardLine]:
    """The lines of the awards (as they stand, or as decided)."""
    apps = result.applications_by_id()
    changed = changes_by_id(result)
    lines = []
    for d in result.allocation.decisions:
        line = _award_line(
            d,
            changed.get(d.application_id, ()),
            apps.get(d.application_id),
            lang,
            as_decided=as_decided,
        )
        if line is not None:
            lines.append(line)
    return lines


def _by_amount(line: AwardLine) -> tuple[int, str, str]:
    """The order of the list by amount: largest first, then applicant and id."""
    return (-line.amount, collate(line.applicant), line.id)


def _by_first_change(line: AwardLine) -> tuple[str, str]:
    """The order of the notes: by when the award was first changed, then by id."""
    return (line.changes[0].created if line.changes else "", line.id)


def _numbered(lines: Sequence[AwardLine]) -> list[AwardLine]:
    """The changed ones of ``lines``, each with the number of its note: the notes are numbered
    in the order the changes were recorded (the first change of each award, then its id), the
    same in every view. Not by the order of one list: the terminal and the workbook list the
    awards by rank, the documents by amount, and a note numbered for one read 3, 4, 2, 1 in
    another."""
    ordered = sorted((x for x in lines if x.changes), key=_by_first_change)
    return [replace(x, note=n) for n, x in enumerate(ordered, 1)]


def changes_since(
    result: RoundResult, lang: str, *, as_decided: bool = False
) -> ChangesSince | None:
    """What the views of a committed round changed since its decision say of the changes, as
    :func:`build` says them, made of the changed awards alone (the terminal shows these, the
    table's rows and the totals, not the lists of every award); None when nothing changed."""
    stand = standing(result)
    if stand is None:
        return None
    parts = (result.allocation, result.applications, result.changes)

    def made() -> ChangesSince:
        apps = result.applications_by_id()
        changed = changes_by_id(result)
        lines = [
            _award_line(
                d,
                changed[d.application_id],
                apps.get(d.application_id),
                lang,
                as_decided=as_decided,
            )
            for d in result.allocation.decisions
            if d.application_id in changed
        ]
        numbered = _numbered([x for x in lines if x is not None])
        return ChangesSince(lang, stand, as_decided, tuple(numbered))

    return result.derived(f"changes_since:{lang}:{shown()}:{as_decided}", parts, made)


def build(result: RoundResult, lang: str, *, as_decided: bool = False) -> Publication:
    """The publication lists of ``result`` in ``lang``: a committed round changed since its
    decision as it stands, or with ``as_decided`` as decided (see the module's docstring).

    Made once per result, language and choice: the terminal table of a changed round and the
    document written after it take the same lists (1-2 s at 100 000 applications)."""
    parts = (
        result.allocation,
        result.applications,
        result.changes,
        result.programme,
        result.round,
        result.funder,
        result.decision_date,
        result.created,
        result.source,
        result.tool_version,
    )
    # Its amounts are words in the currency shown (tilskudd.currency.amounts_in).
    key = f"publication:{lang}:{shown()}:{as_decided}"
    return result.derived(key, parts, lambda: _build(result, lang, as_decided=as_decided))


def _build(result: RoundResult, lang: str, *, as_decided: bool) -> Publication:
    stand = standing(result)
    summary = summary_shown(result, as_decided=as_decided)
    awards = _award_lines(result, lang, as_decided=as_decided or stand is None)
    notes = {x.id: x.note for x in _numbered(awards)}
    by_amount = sorted(awards, key=_by_amount)
    listed = tuple(replace(x, note=notes[x.id]) if x.changes else x for x in by_amount)
    per_county = tuple(
        CountyBar(
            number=line.county,
            name=county_name(line.county) or line.county,
            projects=line.projects,
            awarded=line.awarded,
        )
        for line in summary.per_county
    )
    t = get(lang)
    if summary.no_county_projects:
        # Projects that name no place: a bar of their own, so that the bars add up to the total.
        per_county += (
            CountyBar(
                number="",
                name=t("doc.no_place"),
                projects=summary.no_county_projects,
                awarded=summary.no_county_awarded,
            ),
        )
    # A withdrawn award is in the list by amount (at 0, with its note); the places list only
    # the awards there are.
    placed = tuple(line for line in listed if line.amount > 0)
    return Publication(
        lang=lang,
        title=t("doc.title"),
        programme=result.programme,
        round=result.round,
        funder=result.funder,
        # The day in Norway it was made, as every day tilskudd gives (tilskudd.clock).
        date=format_date(clock.day(result.created), lang),
        iso_date=clock.day(result.created).isoformat(),
        sentence=summary_sentence(summary, lang),
        summary=summary,
        by_amount=listed,
        by_municipality=_group_by_municipality(placed, lang),
        per_county=per_county,
        shared=sum(1 for line in placed if line.shared),
        tool_version=result.tool_version,
        source_file=published_name(result.source.file) if result.source else None,
        source_sha256=result.source.sha256 if result.source else None,
        decided=format_date(result.decision_date, lang) if result.decision_date else None,
        # A list that shows no ids names the applications in its notes as it names them.
        notes=public_notes(result, lang, named=any(line.applicant for line in listed)),
        decided_iso=result.decision_date.isoformat() if result.decision_date else None,
        standing=stand,
        as_decided=as_decided and stand is not None,
        quotas=tuple(q for q in quota_lines(result, as_decided=as_decided) if q.applications),
    )


def published_name(file: str) -> str:
    """The input file's name without its folders, for a document made to be published.

    The file is recorded as given on the command line, and that may be a path through the
    officer's own folders (``C:\\Users\\kari.nordmann\\...``), which is no one else's business;
    the name and the SHA-256 say which file it was. Either kind of slash separates folders.
    A bidi control or control character in the name is shown as its code, as in applicants'
    text (:mod:`tilskudd.controls`).
    """
    return visible(PureWindowsPath(file).name or file)


OFFICER_NOTES = (
    "note.share_of_cost_unknown",
    "note.per_applicant_unknown",
    "note.quota.idle",
    "note.tie_break_empty",
)
"""Notes for the officer, not the public: about the input (a total cost or organisation number
column tilskudd did not find) or a setting of the policy that held nothing this round (a quota
on a group no application is in, a tie-break column empty for all), with advice on the command
line. Left out of the published documents."""

PLACE_PARAMS = frozenset({"set_by_option", "set_in_file", "set_in_line"})
"""Where on the officer's machine a setting was written (:func:`tilskudd.wording.note_text`
says it after the note): never in a published document, whatever the note."""


def public_notes(result: RoundResult, lang: str, *, named: bool = False) -> tuple[str, ...]:
    """The round's notes for a published list: each as sentences, long lists of applications cut
    short, the officer's notes (:data:`OFFICER_NOTES`) left out, and no note saying where a
    setting was written (:data:`PLACE_PARAMS`). With ``named`` (a list that shows no ids), each
    application a note names is named as the list names it, with its id after it
    (:func:`tilskudd.named.named`): a list that shows no ids names the applications by applicant
    and project, and a reader finds an id only there (a tie at the funding line names one
    funded, in the list, and one not, in no list at all)."""
    t = get(lang)
    names = application_names(result.applications) if named else None
    return tuple(
        note_text(shortened(_named(_unplaced(note), names) if names else _unplaced(note), t), lang)
        for note in result.allocation.notes
        if not note.code.startswith(OFFICER_NOTES)
    )


def _unplaced(note: Reason) -> Reason:
    if PLACE_PARAMS.isdisjoint(note.params):
        return note
    return Reason(note.code, {k: v for k, v in note.params.items() if k not in PLACE_PARAMS})
