"""The publication list every document shows, built once from a round's result.

The ministry's 2009 press release linked "who gets grants" as one list sorted by amount and one
sorted by municipality. :func:`build` makes both, with the words for one language, so that the
HTML page, the PDF and the Markdown table show the same rows in the same order:

- by amount: every award, largest first (then applicant and id, so the order is stable);
- by municipality: county by county (register order), municipality by number; a collaboration
  appears under each of its municipalities, is marked as shared, and counts once in the total;
- per county: the awards attributed to each county, from :func:`tilskudd.summary.summarise`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tilskudd.i18n import format_date, get
from tilskudd.models import Application, RoundResult, Status
from tilskudd.money import format_amount
from tilskudd.summary import RoundSummary, summarise
from tilskudd.wording import (
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
    "CountyBar",
    "CountyGroup",
    "MunicipalityGroup",
    "Publication",
    "build",
    "collate",
    "money",
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
    return format_amount(amount, lang)


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
    source_sha256: str | None
    decided: str | None = None
    """The date of the round's decision, where the programme gives it (``12. juni 2009``)."""
    decided_iso: str | None = None
    notes: tuple[str, ...] = ()
    """The round's notes as sentences (:func:`public_notes`): how ties, a lottery or the
    shares were decided, which a published list owes its readers."""

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

    def colophon(self) -> list[str]:
        """The closing lines every format prints: the budget line, what made the list and when,
        and the input file with its SHA-256 when it is known."""
        summary = self.summary
        lines = [
            self.text(
                "ui.budget_line",
                budget=summary.budget,
                awarded=summary.awarded,
                unallocated=summary.unallocated,
            ),
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


def _line(
    app: Application | None,
    decision_id: str,
    amount: int,
    status: Status,
    requested: int | None,
    rank: int | None,
    lang: str,
) -> AwardLine:
    municipalities = app.municipalities if app else ()
    counties = app.counties if app else ()
    applicant = (app.applicant if app else None) or ""
    project = (app.project if app else None) or ""
    return AwardLine(
        id=decision_id,
        applicant=applicant,
        project=project,
        municipalities=municipalities,
        places=_places(municipalities, counties, lang),
        counties=counties,
        requested=requested if requested is not None else (app.requested if app else None),
        amount=amount,
        status=status,
        status_text=get(lang)(f"status.{status.value}"),
        rank=rank,
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


def build(result: RoundResult, lang: str) -> Publication:
    """The publication lists of ``result`` in ``lang``."""
    summary = summarise(result)
    apps = result.applications_by_id()
    awards = [
        _line(
            apps.get(d.application_id),
            d.application_id,
            d.amount,
            d.status,
            d.requested,
            d.rank,
            lang,
        )
        for d in result.allocation.decisions
        if d.amount > 0
    ]
    by_amount = tuple(sorted(awards, key=lambda x: (-x.amount, collate(x.applicant), x.id)))
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
    return Publication(
        lang=lang,
        title=t("doc.title"),
        programme=result.programme,
        round=result.round,
        funder=result.funder,
        date=format_date(result.created.date(), lang),
        iso_date=result.created.date().isoformat(),
        sentence=summary_sentence(summary, lang),
        summary=summary,
        by_amount=by_amount,
        by_municipality=_group_by_municipality(by_amount, lang),
        per_county=per_county,
        shared=sum(1 for line in awards if line.shared),
        tool_version=result.tool_version,
        source_file=result.source.file if result.source else None,
        source_sha256=result.source.sha256 if result.source else None,
        decided=format_date(result.decision_date, lang) if result.decision_date else None,
        notes=public_notes(result, lang),
        decided_iso=result.decision_date.isoformat() if result.decision_date else None,
    )


OFFICER_NOTES = ("note.share_of_cost_unknown",)
"""Notes for the officer, not the public: about the input (a total cost column tilskudd did not
find), with advice on the command line. Left out of the published documents."""


def public_notes(result: RoundResult, lang: str) -> tuple[str, ...]:
    """The round's notes for a published list: each as sentences, long lists of applications cut
    short, the officer's notes (:data:`OFFICER_NOTES`) left out."""
    t = get(lang)
    return tuple(
        note_text(shortened(note, t), lang)
        for note in result.allocation.notes
        if not note.code.startswith(OFFICER_NOTES)
    )
