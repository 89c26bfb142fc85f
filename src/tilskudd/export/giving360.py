"""360Giving export (``--format 360giving``): the funded awards as open grants data.

Writes the 360Giving Data Standard's flat spreadsheet columns (the titles its templates and
GrantNav use, e.g. ``Recipient Org:Identifier``), one row per award (funded and partly funded
only), as ``.xlsx`` (sheet ``grants``) or ``.csv`` (comma, UTF-8) by the file's extension.

Every field the standard requires is filled: Identifier, Title, Description, Currency, Amount
Awarded, Award Date, Recipient Org:Identifier and :Name, Funding Org:Identifier and :Name.

- Identifier: ``identifier_prefix`` (default ``360G-tilskudd-``; publishers register their own
  ``360G-`` prefix with 360Giving) followed by the application's id; an id that is a 360Giving
  identifier already (``360G-uk-1``, from another funder's file) is given as it is.
- Organisations: ``NO-BRC-<orgnr>`` (org-id.guide's list for the Brønnøysund Register Centre);
  without an organisation number, the recipient's own org-id where the input gave one
  (``GB-CHC-1234567``, carried in :data:`~tilskudd.models.ORG_ID_COLUMN`), else a ``360G-``
  style id made from the prefix and the name.
- Funding Org: ``funder_identifier``, else ``NO-BRC-<funder_orgnr>``, else prefix + name; the name
  is the round's funder (required: a 360Giving file without a funder is not valid).
- Beneficiary Location: the project's municipalities, names and 4-digit numbers joined by ``; ``
  (a project that names only its county: the county's name and 2-digit number), country ``NO``;
  a recipient abroad without Norwegian places (its org-id from another register, no organisation
  number): the country its org-id begins with (``GB-CHC-1234567``: ``GB``), or none where the
  id names none (``XM-DAC-41114``, a publisher's own ``E5104X``).
- Description: the input's own where it is a 360Giving file (its ``Funding Org:`` columns carried)
  with a Description for the grant; else one made from the applicant and the project. Another
  input's column named Description is an officer's own, and not published.
- Award Date: ``award_date`` (ISO date), else the round's decision date where the programme
  gives it, else the day the result was made.

A committed round amended or withdrawn from since its decision (``result.changes``) is written as
its grants stand, as 360Giving's publisher guidance asks of a published file ("update grants that
have changed", "remove grants that were awarded but didn't go ahead"): Amount Awarded is the
amount now, Last modified the time of the last change, and the Description says what was decided
and each change with its date and reason; a withdrawn grant is left out, and one funded by an
amendment after the decision (from the reserve list) is in, its Award Date the day it was funded.
The file is always as the grants stand: Amount Awarded is the total awarded, never a figure that
no longer holds.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tilskudd import clock
from tilskudd.errors import UsageError
from tilskudd.export._sheetml import Style, Workbook
from tilskudd.export.atomic import atomic_path, atomic_write
from tilskudd.export.csv import neutralise
from tilskudd.export.xlsx import page_footer, round_name
from tilskudd.i18n import get
from tilskudd.models import ORG_ID_COLUMN, Application, RoundResult, other_organisation
from tilskudd.orgid import org_id_country, org_id_published
from tilskudd.publication import changes_by_id, standing
from tilskudd.validation import GRANT_ID_FORM
from tilskudd.wording import change_sentences, county_name, municipality_name

__all__ = ["COLUMNS", "DEFAULT_PREFIX", "REQUIRED", "org_identifier", "rows", "write"]

DEFAULT_PREFIX = "360G-tilskudd-"

COLUMNS = (
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Beneficiary Location:Name",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Country Code",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Title",
    "Last modified",
)

REQUIRED = (
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
)
"""The standard's required fields (its JSON schema's ``required``, in spreadsheet titles)."""

_ORGNR = re.compile(r"^\d{9}$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    """A name as an id part: ``Bærum kommune (Akershus)`` -> ``baerum-kommune-akershus``."""
    folded = unicodedata.normalize(
        "NFKD", text.casefold().translate({ord("ø"): "o", ord("æ"): "ae"})
    )
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NOT_SLUG.sub("-", ascii_text).strip("-") or "unknown"


def org_identifier(orgnr: str | None, name: str, prefix: str, given: object = None) -> str:
    """``NO-BRC-<orgnr>`` for an organisation number, else the org-id ``given`` where it is one
    in any case (``GB-CHC-1234567``, its prefix in capitals: :func:`org_id_published`), else a
    ``360G``-style id from the name."""
    if orgnr and _ORGNR.match(orgnr):
        return f"NO-BRC-{orgnr}"
    published = org_id_published(given) if isinstance(given, str) else None
    if published is not None:
        return published
    return f"{prefix}org-{_slug(name)}"


def _grant_id(prefix: str, application_id: str) -> str:
    """The prefix and the id; an id that is a 360Giving identifier already, as it is."""
    given = re.sub(r"\s+", "-", application_id.strip())
    if GRANT_ID_FORM.fullmatch(given):
        return given
    return prefix + given


def _funder(result: RoundResult, prefix: str, options: dict[str, Any]) -> tuple[str, str]:
    name = str(options.get("funder") or result.funder or "").strip()
    if not name:
        raise UsageError(key="output.error.giving_funder")
    identifier = options.get("funder_identifier")
    if identifier:
        return str(identifier), name
    orgnr = options.get("funder_orgnr")
    if orgnr:
        digits = re.sub(r"\D", "", str(orgnr))
        if not _ORGNR.match(digits):
            raise UsageError(key="output.error.giving_orgnr", given=str(orgnr))
        return f"NO-BRC-{digits}", name
    return f"{prefix}funder-{_slug(name)}", name


def _award_date(result: RoundResult, value: object) -> str:
    if value is None or value == "":
        # The round's decision date where the programme gives it, else the day of the run.
        return (result.decision_date or clock.day(result.created)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise UsageError(key="output.error.giving_date", given=str(value)) from None


_CLOSING_QUOTES = "”»\"'’"
_SENTENCE_ENDS = (".", "!", "?", "…")


def _one_full_stop(sentence: str) -> str:
    """A sentence without a full stop after one that ends it already: a title quoted at the
    end (``for «… i norsk veksthusnæring.».``) or a name (``Grant to Acme Inc..``)."""
    if sentence.endswith(".") and sentence[:-1].rstrip(_CLOSING_QUOTES).endswith(_SENTENCE_ENDS):
        return sentence[:-1]
    return sentence


_FUNDER_COLUMNS = frozenset({"funding org:identifier", "funding org:name"})
"""The 360Giving columns every file of the standard has (required): a round whose input carried
one was read from a 360Giving file."""
_DESCRIPTION = "description"


def _from_360giving(result: RoundResult) -> bool:
    """The round's input was a 360Giving file: its Description column is the grant's published
    description, not an officer's own column (which the lists for publication leave out)."""
    return any(column.strip().casefold() in _FUNDER_COLUMNS for column in result.extra_columns)


def _given_description(app: Application | None) -> str | None:
    """The Description a 360Giving input gave the grant, or None where it gave none."""
    if app is None:
        return None
    for column, value in app.extra.items():
        if column.strip().casefold() == _DESCRIPTION and isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _country(app: Application | None, codes: list[str]) -> str:
    """Beneficiary Location:Country Code: ``NO`` for Norwegian places or an organisation number
    (or a Norwegian round's applicant without either); for a recipient abroad, known by another
    register's identifier, the country its org-id begins with, else none (``""``)."""
    if codes or app is None or app.orgnr:
        return "NO"
    other = other_organisation(app.extra)
    if other is None:
        return "NO"
    return org_id_country(other.upper()) or ""


def _description(app: Application | None, applicant: str, lang: str) -> str:
    t = get(lang)
    if app is not None and app.project:
        project = app.project.strip()
        return _one_full_stop(t("doc.giving360.description", applicant=applicant, project=project))
    return _one_full_stop(t("doc.giving360.description_no_project", applicant=applicant.strip()))


def rows(result: RoundResult, *, lang: str = "en", **options: Any) -> list[dict[str, Any]]:
    """One dict per award, keyed by the 360Giving column titles in :data:`COLUMNS`."""
    prefix = str(options.get("identifier_prefix") or DEFAULT_PREFIX)
    funder_id, funder_name = _funder(result, prefix, options)
    award_date = _award_date(result, options.get("award_date"))
    currency = result.currency
    programme = " – ".join(p for p in (result.programme, result.round) if p)
    t = get(lang)
    apps = result.applications_by_id()
    changed = changes_by_id(result) if standing(result) is not None else {}
    given_descriptions = _from_360giving(result)
    out = []
    for decision in result.allocation.decisions:
        changes = changed.get(decision.application_id, ())
        amount = changes[-1].amount_after if changes else decision.amount
        if amount <= 0:
            continue  # not funded, or withdrawn since the decision
        app = apps.get(decision.application_id)
        applicant = (app.applicant if app else None) or decision.application_id
        municipalities = app.municipalities if app else ()
        # A county council's or county governor's project names its county instead.
        places = [municipality_name(m) or m for m in municipalities]
        codes = list(municipalities)
        if not municipalities and app is not None:
            places = [county_name(c) or c for c in app.counties]
            codes = list(app.counties)
        given = _given_description(app) if given_descriptions else None
        description = given or _description(app, applicant, lang)
        awarded_on = award_date
        modified = result.created.isoformat()
        if changes:
            description = " ".join([description, *change_sentences(changes, lang)])
            modified = changes[-1].created
            if decision.amount <= 0:
                # Funded after the decision: awarded the day an amendment first funded it (the
                # day it was decided, where the officer gave it).
                awarded_on = next(
                    clock.change_day(c.decided, c.created).isoformat()
                    for c in changes
                    if c.amount_after > 0
                )
        out.append(
            {
                "Identifier": _grant_id(prefix, decision.application_id),
                "Title": (app.project if app else None)
                or t("doc.giving360.title", id=decision.application_id),
                "Description": description,
                "Currency": currency,
                "Amount Applied For": app.requested if app else decision.requested,
                "Amount Awarded": amount,
                "Award Date": awarded_on,
                "Recipient Org:Identifier": org_identifier(
                    app.orgnr if app else None,
                    applicant,
                    prefix,
                    app.extra.get(ORG_ID_COLUMN) if app else None,
                ),
                "Recipient Org:Name": applicant,
                "Beneficiary Location:Name": "; ".join(places),
                "Beneficiary Location:Geographic Code": "; ".join(codes),
                "Beneficiary Location:Country Code": _country(app, codes),
                "Funding Org:Identifier": funder_id,
                "Funding Org:Name": funder_name,
                "Grant Programme:Title": programme,
                "Last modified": modified,
            }
        )
    return out


def _write_csv(path: Path, data: list[dict[str, Any]]) -> None:
    with atomic_write(path, encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for row in data:
            writer.writerow(
                [
                    neutralise(v) if isinstance(v, str) else ("" if v is None else v)
                    for v in (row[c] for c in COLUMNS)
                ]
            )


def _write_xlsx(path: Path, data: list[dict[str, Any]], created: datetime, footer: str) -> None:
    # tilskudd's own writer, as for the award workbook: text is never a formula (quote prefix
    # on "=1+1"), control characters are made safe, and the file carries the round's time, so
    # the same round gives the same bytes.
    widths = [
        min(60, max(12, max([len(c)] + [len(str(row[c] or "")) for row in data]) + 2))
        for c in COLUMNS
    ]
    # Printed as the award workbook is: landscape, one page wide, the header row on every page.
    with atomic_path(path) as tmp, Workbook(tmp, created=created, footer=footer) as book:
        sheet = book.add_sheet(
            "grants", widths=widths, freeze_rows=1, print_title_rows=1, landscape=True
        )
        sheet.append(COLUMNS, (Style.BOLD,) * len(COLUMNS))
        for row in data:
            sheet.append([row[c] for c in COLUMNS])


def write(result: RoundResult, path: Path, *, lang: str = "en", **options: Any) -> None:
    """Write the funded awards to ``path`` as 360Giving ``.xlsx`` or ``.csv`` (by extension).

    Options: ``identifier_prefix``, ``funder``, ``funder_identifier``, ``funder_orgnr``,
    ``award_date`` (ISO date). Its ``Currency`` is the round's (:attr:`RoundResult.currency`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(key="output.error.giving_extension", name=path.name)
    data = rows(result, lang=lang, **options)
    if suffix == ".csv":
        _write_csv(path, data)
    else:
        _write_xlsx(path, data, result.created, page_footer(round_name(result), lang))
