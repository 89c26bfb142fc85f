"""Generate ``difi_2009_runde2.xlsx``: round 2 of the 2009 programme (deterministic bytes).

Run from the repository root::

    python examples/programme_difi2009/generate_runde2.py

Round 2 of Difi's 2009 ICT scheme for municipalities had 40 000 000 kr; this file is made up
like ``examples/difi_2009_runde1.xlsx`` (same columns, real municipalities in the 2009
numbering, invented organisation numbers with a valid check digit, scores 30-95), with what
makes a second round of a programme interesting:

* some applicants of round 1 apply again with the same project (same organisation number and
  title): those funded in round 1 are not funded again (``reason.round.already_funded``), those
  not funded get a new chance;
* some apply again with a new project: ``per_applicant_max`` would count their round-1 money.

Application ids continue the numbering of round 1 (2009-201 and up), so an id names one
application in the whole programme.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import random
import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from stdnum.no import orgnr as stdnum_orgnr

SEED = 20092
APPLICATIONS = 200
HERE = Path(__file__).resolve().parent
ROUND_1 = HERE.parent / "difi_2009_runde1.xlsx"
REGISTER = HERE.parents[1] / "src" / "tilskudd" / "data" / "kommuner_2009.csv"
OUT = HERE / "difi_2009_runde2.xlsx"
FIXED_TIME = dt.datetime(2009, 9, 15, 12, 0, 0)

HEADERS = (
    "Søknadsnr",
    "Søker",
    "Organisasjonsnummer",
    "Prosjekttittel",
    "Deltakende kommuner",
    "Fylke",
    "Omsøkt beløp",
    "Totalkostnad",
    "Poeng",
    "Kategori",
)
TITLES = (
    ("Innbyggertjenester", "Elektroniske skjema og innsyn i egen sak"),
    ("Innbyggertjenester", "Min side – innbyggerportal"),
    ("Innbyggertjenester", "Timebestilling på nett"),
    ("Innbyggertjenester", "Søknad om barnehageplass på nett"),
    ("Innbyggertjenester", "Kartløsning på nett for innbyggere og næringsliv"),
    ("Samhandling", "Elektronisk meldingsutveksling i pleie og omsorg"),
    ("Samhandling", "eHandel – elektronisk faktura og innkjøp"),
    ("Samhandling", "Videokonferanse mellom tjenestestedene"),
    ("Samhandling", "Felles kompetanseprogram for eKommune"),
    ("Infrastruktur", "Felles IKT-drift og driftssenter"),
    ("Infrastruktur", "Sikker sone og felles brukerkatalog"),
    ("Infrastruktur", "Virtualisering av servere"),
    ("Arkiv", "Elektronisk arkiv (Noark 5)"),
    ("Arkiv", "Skanning av byggesaksarkivet"),
    ("Arkiv", "Interkommunalt elektronisk arkivdepot"),
)


def _municipalities() -> list[dict[str, str]]:
    with REGISTER.open(encoding="utf-8") as handle:
        return sorted(csv.DictReader(handle), key=lambda r: r["number"])


def _orgnr(rng: random.Random) -> str:
    """A made-up organisation number with a valid mod-11 check digit (municipalities' start 9)."""
    while True:
        body = "9" + "".join(str(rng.randrange(10)) for _ in range(7))
        for digit in "0123456789":
            if stdnum_orgnr.is_valid(body + digit):
                return body + digit


def _round_1() -> list[tuple[object, ...]]:
    book = load_workbook(ROUND_1, read_only=True)
    try:
        sheet = book.worksheets[0]
        rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] and r[0] != "Sum"]
    finally:
        book.close()  # a read-only workbook keeps its file open until closed
    return sorted(rows, key=lambda r: str(r[0]))


def rows() -> list[tuple[object, ...]]:
    """The round's applications, in id order."""
    rng = random.Random(SEED)
    places = _municipalities()
    earlier = _round_1()
    by_name = {r["name"]: r for r in places}
    out: list[tuple[object, ...]] = []

    def add(applicant: str, orgnr: object, title: str, home: dict[str, str], category: str) -> None:
        neighbours = [
            p for p in places if p["county_number"] == home["county_number"] and p != home
        ]
        partners = [
            home,
            *rng.sample(neighbours, k=min(rng.choice((0, 0, 0, 1, 2, 3)), len(neighbours))),
        ]
        requested = rng.randrange(250, 901, 5) * 1000
        cost = max(requested, round(requested / rng.uniform(0.15, 0.5), -4))
        out.append(
            (
                f"2009-{201 + len(out)}",
                applicant,
                orgnr,
                title,
                ", ".join(p["name"] for p in partners),
                home["county_name"],
                requested,
                int(cost),
                rng.randrange(30, 96),
                category,
            )
        )

    # Round-1 applicants again: 12 with the same project, 12 with a new one.
    for row in rng.sample(earlier, 24):
        applicant, orgnr, title, munis, category = row[1], row[2], row[3], row[4], row[9]
        home = by_name.get(str(munis).split(", ")[0]) if munis else None
        if home is None or not title:
            continue
        if len(out) % 2 == 0:
            add(str(applicant), orgnr, str(title), home, str(category or "Samhandling"))
        else:
            category, new_title = rng.choice(TITLES)
            add(str(applicant), orgnr, f"{new_title} i {home['name']}", home, category)
    # New applicants.
    while len(out) < APPLICATIONS:
        home = rng.choice(places)
        category, title = rng.choice(TITLES)
        add(f"{home['name']} kommune", int(_orgnr(rng)), title, home, category)
    return out


def _save_reproducibly(book: Workbook, path: Path) -> None:
    """Save with fixed timestamps, as examples/generate.py saves round 1: reruns are identical."""
    spec = importlib.util.spec_from_file_location("examples_generate", HERE.parent / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    round_1 = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = round_1  # its dataclasses look their module up there
    spec.loader.exec_module(round_1)
    round_1.save_reproducibly(
        book,
        path,
        created=FIXED_TIME,
        creator="tilskudd examples/programme_difi2009/generate_runde2.py",
    )


def generate(path: Path = OUT) -> Path:
    """Write the round-2 workbook to ``path``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    sheet.append(["Søknader IKT-tiltak i kommunene 2009 – runde 2"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows():
        sheet.append(list(row))
        for column in (7, 8):
            sheet.cell(row=sheet.max_row, column=column).number_format = "#,##0"
    sheet.freeze_panes = "A4"
    _save_reproducibly(book, path)
    return path


if __name__ == "__main__":
    print(generate())
