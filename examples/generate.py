"""Generate the example application files in examples/ (deterministic: same bytes on every run).

Run from the repository root::

    python examples/generate.py            # writes into examples/
    python examples/generate.py --out DIR  # writes into DIR

What it writes:

* ``difi_2009_runde1.xlsx``: a realistic round like Difi's 2009 round 1 of the ICT scheme for
  municipalities (budget 20 000 000 kr), with ~130 applications and the mess of real sheets.
* ``small.xlsx`` and ``small.csv``: the same clean 10 applications, Norwegian headers in the
  workbook, English headers in the CSV (semicolon-separated, UTF-8 with BOM, as Norwegian Excel
  saves it), for the README.
* ``broken.xlsx``: one row per kind of input error, each row saying which error it carries.

Everything except the municipality names and numbers is made up. Municipalities are real: SSB's
register in the 2009 numbering (src/tilskudd/data/kommuner_2009.csv) for the round; names that
exist in both numberings for the small files. Organisation numbers are invented, 9 digits with a
valid mod-11 check digit (checked with python-stdnum); they may by chance belong to a real body.

Determinism: one ``random.Random(SEED)`` drives every choice, and only through ``randrange``,
``choice``, ``sample`` and ``shuffle`` on sorted sequences, whose results CPython has kept stable
since 3.2. The generated files are committed, so stability across Python versions matters less
than stability across runs: openpyxl stamps the save time into ``docProps/core.xml`` and the zip
entries, so :func:`save_reproducibly` rewrites both with fixed values. ``tests/test_examples.py``
regenerates everything and compares with the committed files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from stdnum.no import orgnr as stdnum_orgnr

SEED = 2009
ROUND_BUDGET_NOK = 20_000_000
SMALL_BUDGET_NOK = 5_000_000
COST_SHARE_CAP_PERCENT = 20

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "src" / "tilskudd" / "data"

# A fixed moment for every timestamp in the files, so two runs give the same bytes.
FIXED_TIME = dt.datetime(2009, 4, 15, 12, 0, 0)
_AMOUNT_FORMAT = "#,##0"

ROUND_HEADERS = (
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
    "Saksbehandler",
    "Merknad",
)
SMALL_HEADERS_NB = (
    "Søknadsnr",
    "Søker",
    "Organisasjonsnummer",
    "Prosjekttittel",
    "Deltakende kommuner",
    "Omsøkt beløp",
    "Totalkostnad",
    "Poeng",
    "Kategori",
)
SMALL_HEADERS_EN = (
    "ID",
    "Applicant",
    "Org no",
    "Project",
    "Municipalities",
    "Requested",
    "Total cost",
    "Score",
    "Category",
)


# --------------------------------------------------------------------------------------------
# Registers and identifiers


@dataclass(frozen=True)
class Municipality:
    """One row of SSB's municipality register."""

    number: str
    name: str
    county_number: str
    county_name: str


def read_register(year: int) -> list[Municipality]:
    """Read the bundled municipality register for the 2009 or 2024 numbering."""
    with (DATA / f"kommuner_{year}.csv").open(encoding="utf-8", newline="") as handle:
        return [
            Municipality(r["number"], r["name"], r["county_number"], r["county_name"])
            for r in csv.DictReader(handle)
        ]


def read_counties(year: int) -> dict[str, str]:
    """County number -> name for the 2009 or 2024 numbering."""
    with (DATA / f"fylker_{year}.csv").open(encoding="utf-8", newline="") as handle:
        return {r["county_number"]: r["county_name"] for r in csv.DictReader(handle)}


def orgnr_check_digit(first8: str) -> int | None:
    """The mod-11 check digit for the first 8 digits of an orgnr, or None when none exists."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    remainder = sum(w * int(d) for w, d in zip(weights, first8, strict=True)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else check


class OrgnrFactory:
    """Hands out made-up, unique organisation numbers with valid check digits."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def new(self, prefix: str = "9") -> str:
        """A fresh orgnr starting with ``prefix`` (municipalities' start with 9)."""
        while True:
            body = prefix + "".join(str(self._rng.randrange(10)) for _ in range(8 - len(prefix)))
            check = orgnr_check_digit(body)
            number = f"{body}{check}"
            if check is None or number in self._used:
                continue
            # Belt and braces: the generator's claim is that stdnum accepts every number.
            assert stdnum_orgnr.is_valid(number), number
            self._used.add(number)
            return number


def spaced_orgnr(number: str) -> str:
    """'974760673' -> '974 760 673', as people often type it."""
    return f"{number[:3]} {number[3:6]} {number[6:]}"


# --------------------------------------------------------------------------------------------
# Amounts typed as text, the way they turn up in real sheets


def _group(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def _text_kr_dots(n: int) -> str | None:
    # One dot group ("190.000") could be a decimal point; tilskudd refuses it as ambiguous.
    return f"kr {_group(n, '.')},-" if n >= 1_000_000 else None


def _text_spaces(n: int) -> str | None:
    return _group(n, " ")


def _text_nbsp_kr(n: int) -> str | None:
    # Norwegian Excel groups digits with a no-break space; pasted values keep it.
    return _group(n, "\u00a0") + " kr"


def _text_mill(n: int) -> str | None:
    if n % 100_000:
        return None
    whole, tenths = divmod(n // 100_000, 10)
    return f"{whole},{tenths} mill." if tenths else f"{whole} mill."


def _text_decimals(n: int) -> str | None:
    return f"{n},00"


def _text_nok(n: int) -> str | None:
    return f"NOK {_group(n, ',')}"


TEXT_STYLES: tuple[Callable[[int], str | None], ...] = (
    _text_kr_dots,
    _text_spaces,
    _text_mill,
    _text_nbsp_kr,
    _text_decimals,
    _text_nok,
)


# --------------------------------------------------------------------------------------------
# The 2009 round


@dataclass
class RoundRow:
    """One application in the 2009 round before it is written."""

    applicant: str
    orgnr: str
    project: str
    municipalities: str
    county: str
    requested: int
    total_cost: int
    score: int
    category: str
    officer: str = ""
    note: str = ""
    id: str = ""
    requested_cell: str | int = 0
    total_cost_cell: str | int = 0
    orgnr_cell: str | int = 0


# Regional collaborations as they existed around 2009: (lead, members, title, category).
# The member lists are real municipalities in the 2009 numbering; the projects are invented.
COLLABORATIONS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    (
        "Stjørdal",
        ("Stjørdal", "Meråker", "Frosta", "Selbu", "Tydal", "Malvik"),
        "Felles IKT-drift i Værnesregionen",
        "Infrastruktur",
    ),
    (
        "Levanger",
        ("Levanger", "Verdal"),
        "Felles sak- og arkivsystem for Innherred samkommune",
        "Arkiv",
    ),
    (
        "Kongsberg",
        ("Kongsberg", "Flesberg", "Rollag", "Nore og Uvdal", "Notodden", "Hjartdal", "Tinn"),
        "Digital dialog i Kongsbergregionen",
        "Innbyggertjenester",
    ),
    (
        "Gjøvik",
        ("Gjøvik", "Østre Toten", "Vestre Toten", "Søndre Land", "Nordre Land"),
        "Felles IKT-drift i Gjøvikregionen",
        "Infrastruktur",
    ),
    (
        "Lillehammer",
        ("Lillehammer", "Gausdal", "Øyer"),
        "Min side – felles innbyggerportal for Lillehammer-regionen",
        "Innbyggertjenester",
    ),
    (
        "Nord-Aurdal",
        ("Nord-Aurdal", "Sør-Aurdal", "Etnedal", "Vestre Slidre", "Øystre Slidre", "Vang"),
        "Elektronisk arkiv for Valdres-kommunene",
        "Arkiv",
    ),
    (
        "Gol",
        ("Flå", "Nes (Buskerud)", "Gol", "Hemsedal", "Ål", "Hol"),
        "ePlan Hallingdal – digitale planer på nett",
        "Innbyggertjenester",
    ),
    (
        "Evje og Hornnes",
        ("Evje og Hornnes", "Bygland", "Valle", "Bykle", "Iveland"),
        "Felles IKT-drift i Setesdal",
        "Infrastruktur",
    ),
    (
        "Flekkefjord",
        ("Flekkefjord", "Farsund", "Hægebostad", "Kvinesdal", "Lyngdal", "Sirdal"),
        "eByggesak i Listerregionen",
        "Innbyggertjenester",
    ),
    (
        "Lindås",
        (
            "Lindås",
            "Meland",
            "Radøy",
            "Austrheim",
            "Fedje",
            "Masfjorden",
            "Modalen",
            "Osterøy",
            "Gulen",
        ),
        "Felles IKT-plattform for Nordhordland",
        "Infrastruktur",
    ),
    (
        "Haugesund",
        ("Haugesund", "Karmøy", "Tysvær", "Bokn", "Utsira", "Vindafjord", "Sveio", "Etne"),
        "Digital dialog på Haugalandet",
        "Innbyggertjenester",
    ),
    (
        "Ålesund",
        ("Ålesund", "Giske", "Sula", "Skodje", "Haram", "Ørskog"),
        "ePlan Ålesundregionen",
        "Innbyggertjenester",
    ),
    (
        "Bodø",
        (
            "Bodø",
            "Beiarn",
            "Fauske",
            "Gildeskål",
            "Meløy",
            "Saltdal",
            "Steigen",
            "Sørfold",
            "Hamarøy",
        ),
        "Elektronisk arkiv og felles arkivdepot i Salten",
        "Arkiv",
    ),
    (
        "Lenvik",
        ("Lenvik", "Bardu", "Berg", "Dyrøy", "Målselv", "Sørreisa", "Torsken", "Tranøy"),
        "Felles IKT-drift i Midt-Troms",
        "Infrastruktur",
    ),
    (
        "Vadsø",
        ("Vadsø", "Vardø", "Båtsfjord", "Berlevåg", "Tana", "Nesseby", "Sør-Varanger"),
        "Elektronisk meldingsutveksling i pleie og omsorg i Øst-Finnmark",
        "Samhandling",
    ),
    (
        "Askim",
        (
            "Askim",
            "Eidsberg",
            "Hobøl",
            "Marker",
            "Rakkestad",
            "Skiptvet",
            "Spydeberg",
            "Trøgstad",
        ),
        "Elektronisk meldingsutveksling i pleie og omsorg i Indre Østfold",
        "Samhandling",
    ),
    (
        "Ski",
        ("Ski", "Ås", "Frogn", "Nesodden", "Oppegård", "Vestby", "Enebakk"),
        "Felles kartløsning på nett for Follo",
        "Innbyggertjenester",
    ),
    (
        "Tønsberg",
        ("Tønsberg", "Re", "Stokke", "Nøtterøy", "Tjøme", "Andebu"),
        "ePlan Vestfold – felles plandialog",
        "Samhandling",
    ),
    (
        "Stavanger",
        ("Stavanger", "Sandnes", "Sola", "Randaberg"),
        "Min side Nord-Jæren",
        "Innbyggertjenester",
    ),
    (
        "Nome",
        ("Nome", "Bø (Telemark)", "Sauherad"),
        "Felles sak-/arkivsystem i Midt-Telemark",
        "Arkiv",
    ),
    (
        "Orkdal",
        ("Orkdal", "Agdenes", "Meldal", "Skaun", "Snillfjord", "Hemne", "Rennebu"),
        "Elektronisk dokumentflyt i Orkdalsregionen",
        "Samhandling",
    ),
    (
        "Namsos",
        ("Namsos", "Overhalla", "Namdalseid", "Fosnes", "Flatanger"),
        "eHandel – elektronisk faktura og innkjøp i Namdal",
        "Samhandling",
    ),
)

# How a few cells are typed differently from "A, B, C" (the mess of real sheets).
_MEMBER_SEPARATORS: dict[str, Callable[[Sequence[str]], str]] = {
    "Lillehammer": lambda m: f"{', '.join(m[:-1])} og {m[-1]}",
    "Nord-Aurdal": "\n".join,  # Alt+Enter inside the cell
    "Vadsø": "; ".join,
    "Stavanger": lambda m: "  " + " ,".join(m) + " ",
}

SINGLE_PROJECTS: tuple[tuple[str, str], ...] = (
    ("eByggesak – elektronisk byggesaksbehandling", "Innbyggertjenester"),
    ("ePlan – digitale reguleringsplaner på nett", "Innbyggertjenester"),
    ("Elektronisk arkiv (Noark 5) og skanning av byggesaksarkivet", "Arkiv"),
    ("Min side – personlig innbyggerportal", "Innbyggertjenester"),
    ("Digital dialog – SMS-varsling og elektronisk post til innbyggerne", "Innbyggertjenester"),
    ("Elektroniske skjema med innsyn i egen sak", "Innbyggertjenester"),
    ("Nytt driftsmiljø og virtualisering av servere", "Infrastruktur"),
    ("Sikker sone og felles brukerkatalog", "Infrastruktur"),
    ("Elektronisk meldingsutveksling i pleie og omsorg (ELIN-k)", "Samhandling"),
    ("Digitalisering av eiendomsarkivet", "Arkiv"),
    ("Kartløsning på nett for innbyggere og næringsliv", "Innbyggertjenester"),
    ("Elektronisk søknad om barnehageplass", "Innbyggertjenester"),
    ("eHandel – elektronisk faktura og innkjøp", "Samhandling"),
    ("Timebestilling på nett i helsestasjon og legevakt", "Innbyggertjenester"),
    ("Elektronisk postjournal og innsyn på nett", "Arkiv"),
    ("IKT-arkitektur og integrasjonsplattform", "Infrastruktur"),
    ("Videokonferanse mellom kommunens tjenestesteder", "Samhandling"),
    ("Mobil omsorg – elektronisk journal i hjemmetjenesten", "Samhandling"),
    ("Tjenestekatalog og selvbetjening på nett", "Innbyggertjenester"),
    ("Elektronisk dokumentflyt mellom sektorene", "Samhandling"),
)

COUNTY_COUNCIL_PROJECTS: tuple[tuple[str, str], ...] = (
    ("Interkommunalt arkiv – elektronisk depot", "Arkiv"),
    ("Digital dialog med elever og foresatte", "Innbyggertjenester"),
    ("Regional kartportal for kommunene i fylket", "Samhandling"),
    ("Bredbåndskartlegging og digital infrastruktur i fylket", "Infrastruktur"),
    ("Elektronisk saksbehandling av løyver og skoleskyss", "Innbyggertjenester"),
    ("Felles tjenestekatalog for fylkeskommunen og kommunene", "Samhandling"),
)

GOVERNOR_PROJECTS: tuple[tuple[str, str], ...] = (
    ("Elektronisk dialog mellom Fylkesmannen og kommunene", "Samhandling"),
    ("eTilsyn – digital tilsynsrapportering", "Samhandling"),
    ("Elektronisk søknad om produksjonstilskudd i landbruket", "Innbyggertjenester"),
    ("Kompetanseprogram eKommune for kommunene i fylket", "Samhandling"),
    ("Digitalisering av vergemålsarkivet", "Arkiv"),
)

# Officers split the round by region; their initials are the officers' own column.
OFFICERS: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"01", "02", "03", "04", "05"}), "KHA"),
    (frozenset({"06", "07", "08", "09", "10"}), "MBE"),
    (frozenset({"11", "12", "14"}), "TOL"),
    (frozenset({"15", "16", "17"}), "SIR"),
    (frozenset({"18", "19", "20"}), "JNY"),
)

NOTES: tuple[str, ...] = (
    "Kostnadsoverslag ettersendt 2. april",
    "Samarbeid med KS",
    "Søkte også i 2008, fikk avslag",
    "Mangler signert egenerklæring – purret",
    "Budsjettet omfatter lisenser for tre år",
    "Avklar egenandel med søker",
    "Bygger på Noark 5",
    "Del av regional IKT-strategi",
    "Må sees sammen med fylkeskommunens søknad",
    "Godt forankret i kommunestyret",
)

# Large municipalities that apply on their own besides the random draw.
BIG_SINGLES = ("Oslo", "Bergen", "Trondheim", "Bærum", "Kristiansand", "Tromsø", "Drammen")


def _lookup(register: Sequence[Municipality], name: str) -> Municipality:
    """Find a municipality by its register name or one of its ' - ' separated forms."""
    hits = [m for m in register if m.name == name or name in m.name.split(" - ")]
    if len(hits) != 1:
        raise ValueError(f"{name!r} does not name exactly one municipality: {hits}")
    return hits[0]


def _officer(county_number: str) -> str:
    for counties, initials in OFFICERS:
        if county_number in counties:
            return initials
    raise ValueError(county_number)


def _amounts(rng: random.Random, low_k: int, high_k: int, step_k: int) -> tuple[int, int]:
    """A request in [low, high] thousand kroner and a total cost.

    About half the applicants ask for more than 20 % of their cost, so the round's
    share-of-cost cap binds for them; the rest ask for 5-20 %.
    """
    requested = rng.randrange(low_k, high_k + 1, step_k) * 1000
    share = rng.randrange(22, 61) if rng.randrange(100) < 48 else rng.randrange(5, 21)
    # Round the cost up to 10 000: never pushes a binding request under the cap (share >= 22).
    cost = -(-requested * 100 // share // 10_000) * 10_000
    return requested, max(cost, requested)


def _score(rng: random.Random) -> int:
    # A sum of draws: most applications land in the middle, and equal scores are common.
    return 25 + rng.randrange(24) + rng.randrange(24) + rng.randrange(24)


def build_round(rng: random.Random) -> list[RoundRow]:
    """The ~130 applications of the 2009 round, ids assigned, in the sheet's row order."""
    register = read_register(2009)
    counties = read_counties(2009)
    orgnrs = OrgnrFactory(rng)
    municipal_orgnr: dict[str, str] = {}

    def orgnr_of(name: str) -> str:
        if name not in municipal_orgnr:
            municipal_orgnr[name] = orgnrs.new("9")
        return municipal_orgnr[name]

    rows: list[RoundRow] = []

    # The large one: all 33 municipalities of Hordaland, led by Bergen.
    hordaland = [m.name for m in register if m.county_number == "12"]
    assert len(hordaland) == 33
    rows.append(
        RoundRow(
            applicant="Bergen kommune",
            orgnr=orgnr_of("Bergen"),
            project="eBygg – felles elektronisk byggesaksbehandling i Hordaland",
            municipalities=", ".join(hordaland),
            county="Hordaland",
            requested=3_600_000,
            total_cost=14_000_000,
            score=91,
            category="Innbyggertjenester",
            note="33 kommuner; Bergen er prosjekteier",
        )
    )

    for lead, members, title, category in COLLABORATIONS:
        for member in members:
            _lookup(register, member)
        lead_m = _lookup(register, lead)
        requested, cost = _amounts(rng, 400, 1600, 50)
        join = _MEMBER_SEPARATORS.get(lead, ", ".join)
        rows.append(
            RoundRow(
                applicant=f"{lead} kommune",
                orgnr=orgnr_of(lead),
                project=title,
                municipalities=join(members),
                county=lead_m.county_name,
                requested=requested,
                total_cost=cost,
                score=_score(rng),
                category=category,
            )
        )

    # County councils (fylkeskommuner); Oslo is a municipality and has none.
    # Sogn og Fjordane's council always applies (for all its municipalities); nine more draw.
    council_counties = ["14", *rng.sample(sorted(c for c in counties if c not in {"03", "14"}), 9)]
    for number in council_counties:
        name = counties[number]
        project, category = rng.choice(COUNTY_COUNCIL_PROJECTS)
        member_cell = ""
        requested, cost = _amounts(rng, 200, 1000, 50)
        if number == "14":
            # One council applies on behalf of every municipality in the county.
            project, category = (
                "Felles IKT-arkitektur for kommunane i Sogn og Fjordane",
                "Samhandling",
            )
            member_cell = ", ".join(m.name for m in register if m.county_number == "14")
            requested, cost = 1_500_000, 6_800_000
        rows.append(
            RoundRow(
                applicant=f"{name} fylkeskommune",
                orgnr=orgnrs.new("9"),
                project=project,
                municipalities=member_cell,
                county=name,
                requested=requested,
                total_cost=cost,
                score=_score(rng),
                category=category,
            )
        )

    # County governors; Oslo and Akershus shared one in 2009.
    governor_counties = rng.sample(sorted(c for c in counties if c != "03"), 9)
    for number in governor_counties:
        name = "Oslo og Akershus" if number == "02" else counties[number]
        project, category = rng.choice(GOVERNOR_PROJECTS)
        requested, cost = _amounts(rng, 150, 700, 25)
        rows.append(
            RoundRow(
                applicant=f"Fylkesmannen i {name}",
                orgnr=orgnrs.new("97"),
                project=project,
                municipalities="",
                county=counties[number],
                requested=requested,
                total_cost=cost,
                score=_score(rng),
                category=category,
            )
        )

    # Single municipalities: the big ones plus a draw from names that are unambiguous.
    plain = sorted(
        m.name
        for m in register
        if "(" not in m.name and " - " not in m.name and m.name not in BIG_SINGLES
    )
    singles = list(BIG_SINGLES) + rng.sample(plain, 130 - len(rows) - len(BIG_SINGLES))
    for name in singles:
        m = _lookup(register, name)
        project, category = rng.choice(SINGLE_PROJECTS)
        requested, cost = _amounts(rng, 80, 500, 5)
        rows.append(
            RoundRow(
                applicant=f"{name} kommune",
                orgnr=orgnr_of(name),
                # Tromsø wrote its municipality number instead of the name.
                project=project,
                municipalities=m.number if name == "Tromsø" else name,
                county=m.county_name,
                requested=requested,
                total_cost=cost,
                score=_score(rng),
                category=category,
            )
        )

    # Two pre-projects ask for their whole cost.
    for row in rng.sample(rows[len(COLLABORATIONS) + 1 :], 2):
        row.total_cost = row.requested
        row.project = "Forprosjekt: " + row.project[0].lower() + row.project[1:]

    name_to_county = {m.county_name: m.county_number for m in register}
    for row in rows:
        row.officer = _officer(name_to_county[row.county])
        row.requested_cell = row.requested
        row.total_cost_cell = row.total_cost
        row.orgnr_cell = int(row.orgnr)

    rng.shuffle(rows)
    for serial, row in enumerate(rows, start=1):
        row.id = f"2009-{serial:03d}"

    # Notes on about one row in five (the eBygg row keeps its own).
    for row in rng.sample(rows, 26):
        if not row.note:
            row.note = rng.choice(NOTES)

    # Amounts typed as text, in each of the styles people use, requested and total cost alike.
    text_rows = rng.sample(rows, 12)
    for index, row in enumerate(text_rows):
        style = TEXT_STYLES[index % len(TEXT_STYLES)]
        # Alternate between the two amount columns; use the other if the style doesn't fit.
        as_request, as_cost = style(row.requested), style(row.total_cost)
        if (index % 2 == 0 or as_cost is None) and as_request is not None:
            row.requested_cell = as_request
        elif as_cost is not None:
            row.total_cost_cell = as_cost
        else:
            row.requested_cell = _group(row.requested, " ")
    # Some orgnrs typed with spaces, as text.
    for row in rng.sample(rows, 6):
        row.orgnr_cell = spaced_orgnr(row.orgnr)
    return rows


def round_statistics(rows: Sequence[RoundRow]) -> dict[str, int]:
    """Figures the generator promises (checked here and in tests/test_examples.py)."""
    requested = sum(r.requested for r in rows)
    scores = [r.score for r in rows]
    return {
        "applications": len(rows),
        "requested": requested,
        "cap_binds": sum(
            1 for r in rows if r.requested * 100 > COST_SHARE_CAP_PERCENT * r.total_cost
        ),
        "tied_scores": len(scores) - len(set(scores)),
        "largest_collaboration": max(len(re.split(r"[,;\n]| og ", r.municipalities)) for r in rows),
    }


def write_round(rows: Sequence[RoundRow], path: Path) -> None:
    """Write the round as Difi's officers might have kept it: title, header, data, a Sum row."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Søknader"
    ws["A1"] = "Søknader IKT-tiltak i kommunene 2009 – runde 1"
    ws["A1"].font = Font(bold=True, size=14)
    header_row = 3  # row 2 is left blank, as in the real sheets
    for col, header in enumerate(ROUND_HEADERS, start=1):
        cell = ws.cell(row=header_row, column=col, value=header)
        cell.font = Font(bold=True)
    for offset, r in enumerate(rows, start=1):
        values: tuple[str | int, ...] = (
            r.id,
            r.applicant,
            r.orgnr_cell,
            r.project,
            r.municipalities,
            r.county,
            r.requested_cell,
            r.total_cost_cell,
            r.score,
            r.category,
            r.officer,
            r.note,
        )
        row_number = header_row + offset
        for col, value in enumerate(values, start=1):
            if value == "":
                continue
            cell = ws.cell(row=row_number, column=col, value=value)
            if col in (7, 8) and isinstance(value, int):
                cell.number_format = _AMOUNT_FORMAT
            if col == 5 and "\n" in str(value):
                cell.alignment = Alignment(wrap_text=True)
    # The totals row holds plain numbers: a formula written by openpyxl has no cached value.
    total_row = header_row + len(rows) + 1
    ws.cell(row=total_row, column=1, value="Sum").font = Font(bold=True)
    for col, total in ((7, sum(r.requested for r in rows)), (8, sum(r.total_cost for r in rows))):
        cell = ws.cell(row=total_row, column=col, value=total)
        cell.number_format = _AMOUNT_FORMAT
        cell.font = Font(bold=True)
    widths = (11, 30, 20, 60, 40, 18, 16, 16, 8, 20, 14, 40)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.auto_filter.ref = f"A{header_row}:L{header_row + len(rows)}"

    guide = wb.create_sheet("Veiledning")
    for line, text in enumerate(
        (
            "Veiledning til søknadslisten",
            "",
            "Én rad per søknad. Søknadsnr er unikt (2009-nnn).",
            "Organisasjonsnummer: 9 siffer.",
            "NB: Organisasjonsnumrene i denne eksempelfila er oppdiktet, men har gyldig "
            "kontrollsiffer (modulus 11). De kan tilfeldigvis tilhøre en virksomhet.",
            "Deltakende kommuner: kommunenavn eller kommunenummer (inndelingen fra 2009), "
            "skilt med komma.",
            "Kommunenavn og -nummer er ekte: SSB, Kommuneinndeling 2008 (KLASS 131).",
            "Søkere, prosjekter, beløp og poeng er oppdiktet.",
            f"Omsøkt beløp og Totalkostnad i hele kroner. Tilskuddet er høyst "
            f"{COST_SHARE_CAP_PERCENT} % av totalkostnaden.",
            f"Ramme for runde 1: {_group(ROUND_BUDGET_NOK, ' ')} kr.",
            "Poeng: samlet faglig vurdering, 0-100.",
            "Kolonnene Saksbehandler og Merknad er saksbehandlers egne.",
        ),
        start=1,
    ):
        if text:
            guide.cell(row=line, column=1, value=text)
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 110

    wb.properties.title = "Søknader IKT-tiltak i kommunene 2009 – runde 1"
    wb.properties.description = (
        "Eksempeldata fra tilskudd (examples/generate.py). Kommuner er ekte (SSB 2009); "
        "søkere, organisasjonsnumre, beløp og poeng er oppdiktet."
    )
    save_reproducibly(wb, path)


# --------------------------------------------------------------------------------------------
# The small, clean example


# Chosen by hand for the README: budget 5 000 000 kr, requests 8 900 000 kr, and the 20 % cap
# binds for S-02 (1 500 000 > 1 200 000) and S-04 (600 000 > 400 000). All names exist in both
# the 2009 and the 2024 numbering.
SMALL_ROWS: tuple[tuple[str, str, str, str, int, int, int, str], ...] = (
    # id, applicant, project, municipalities, requested, total cost, score, category
    (
        "S-01",
        "Bærum kommune",
        "eByggesak – elektronisk byggesøknad",
        "Bærum",
        1_200_000,
        8_000_000,
        92,
        "Innbyggertjenester",
    ),
    (
        "S-02",
        "Trondheim kommune",
        "Elektronisk arkiv (Noark 5)",
        "Trondheim",
        1_500_000,
        6_000_000,
        88,
        "Arkiv",
    ),
    (
        "S-03",
        "Stjørdal kommune",
        "Felles IKT-drift i Værnesregionen",
        "Stjørdal, Meråker, Frosta, Selbu, Tydal, Malvik",
        2_000_000,
        12_500_000,
        85,
        "Infrastruktur",
    ),
    (
        "S-04",
        "Lillehammer kommune",
        "Min side – felles innbyggerportal",
        "Lillehammer, Gausdal, Øyer",
        600_000,
        2_000_000,
        81,
        "Innbyggertjenester",
    ),
    (
        "S-05",
        "Tromsø kommune",
        "Digital dialog med innbyggerne",
        "Tromsø",
        450_000,
        3_000_000,
        79,
        "Innbyggertjenester",
    ),
    (
        "S-06",
        "Kristiansand kommune",
        "ePlan – digitale planer på nett",
        "Kristiansand, Vennesla",
        700_000,
        4_000_000,
        77,
        "Samhandling",
    ),
    (
        "S-07",
        "Bodø kommune",
        "eHandel – elektronisk faktura",
        "Bodø",
        350_000,
        2_500_000,
        74,
        "Samhandling",
    ),
    (
        "S-08",
        "Stavanger kommune",
        "Digitalt planarkiv",
        "Stavanger, Sandnes, Sola",
        900_000,
        5_000_000,
        70,
        "Arkiv",
    ),
    (
        "S-09",
        "Alta kommune",
        "Kartløsning på nett",
        "Alta",
        400_000,
        2_200_000,
        66,
        "Innbyggertjenester",
    ),
    (
        "S-10",
        "Vinje kommune",
        "Nytt driftsmiljø for skole og barnehage",
        "Vinje",
        800_000,
        5_000_000,
        58,
        "Infrastruktur",
    ),
)


def build_small(rng: random.Random) -> list[tuple[str, str, str, str, str, int, int, int, str]]:
    """The 10 clean applications, with made-up orgnrs (in the column order of the headers)."""
    registers = (read_register(2009), read_register(2024))
    orgnrs = OrgnrFactory(rng)
    out = []
    for ident, applicant, project, members, requested, cost, score, category in SMALL_ROWS:
        for member in members.split(", "):
            for register in registers:
                _lookup(register, member)
        out.append(
            (ident, applicant, orgnrs.new("9"), project, members, requested, cost, score, category)
        )
    return out


def write_small_xlsx(rows: Sequence[Sequence[str | int]], path: Path) -> None:
    """The clean example as a workbook with Norwegian headers in row 1."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Søknader"
    ws.append(list(SMALL_HEADERS_NB))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([int(v) if i == 2 else v for i, v in enumerate(row)])
    for row_cells in ws.iter_rows(min_row=2, min_col=6, max_col=7):
        for cell in row_cells:
            cell.number_format = _AMOUNT_FORMAT
    for col, width in enumerate((9, 22, 20, 40, 46, 14, 14, 7, 20), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    save_reproducibly(wb, path)


def write_small_csv(rows: Sequence[Sequence[str | int]], path: Path) -> None:
    """The clean example as Norwegian Excel saves CSV: ';', CRLF, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(SMALL_HEADERS_EN)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


# --------------------------------------------------------------------------------------------
# The broken file: one row per kind of problem


BROKEN_HEADERS = (*SMALL_HEADERS_NB, "Forventet problem")


def build_broken(rng: random.Random) -> list[list[str | int | float | None] | None]:
    """Rows of the broken example, each carrying one problem (None = an empty row)."""
    orgnrs = OrgnrFactory(rng)

    def row(
        ident: str | None,
        applicant: str,
        project: str,
        members: str,
        requested: str | int | float | None,
        cost: int | str,
        problem: str,
        *,
        orgnr: str | int | None = None,
        score: int | str = 60,
    ) -> list[str | int | float | None]:
        number = orgnr if orgnr is not None else int(orgnrs.new("9"))
        return [
            ident,
            applicant,
            number,
            project,
            members,
            requested,
            cost,
            score,
            "Arkiv",
            problem,
        ]

    valid = orgnrs.new("9")
    wrong_check = orgnrs.new("9")
    wrong_check = wrong_check[:8] + str((int(wrong_check[8]) + 1) % 10)
    twice = int(orgnrs.new("9"))
    baerum = int(orgnrs.new("9"))
    rows: list[list[str | int | float | None] | None] = [
        row(
            "F-01",
            "Asker kommune",
            "Elektronisk arkiv",
            "Asker",
            400_000,
            2_500_000,
            "Ingen: gyldig rad (orgnr skrevet som «NO 123 456 789 MVA» godtas)",
            orgnr=f"NO {spaced_orgnr(valid)} MVA",
        ),
        row(
            "F-02",
            "Drammen kommune",
            "Digital dialog",
            "Drammen",
            300_000,
            2_000_000,
            "Feil: organisasjonsnummeret har feil kontrollsiffer",
            orgnr=int(wrong_check),
        ),
        row(
            "F-03",
            "Hamar kommune",
            "eByggesak",
            "Hamar",
            250_000,
            1_500_000,
            "Feil: organisasjonsnummeret har 8 siffer, ikke 9",
            orgnr=int(orgnrs.new("9")[:8]),
        ),
        row(
            "F-04",
            "Bærum kommune",
            "Min side",
            "Bearum",
            500_000,
            3_000_000,
            "Feil: ukjent kommune «Bearum» (mente du Bærum?)",
            orgnr=baerum,
        ),
        row(
            "F-05",
            "Bærum kommune",
            "Kartløsning på nett",
            "0219",
            350_000,
            2_000_000,
            "Feil: kommunenummer 0219 finnes bare i 2009-inndelingen (Bærum)",
            orgnr=baerum,
        ),
        row(
            "F-06",
            "Herøy kommune",
            "Elektronisk postjournal",
            "Herøy",
            200_000,
            1_200_000,
            "Feil: «Herøy» er tvetydig (Møre og Romsdal eller Nordland)",
        ),
        row(
            "F-07",
            "Molde kommune",
            "ePlan",
            "Molde",
            "3,300",
            1_000_000,
            "Feil: «3,300» er tvetydig (3 300 eller 3,3?)",
        ),
        row(
            "F-08",
            "Bodø kommune",
            "Sikker sone",
            "Bodø",
            -250_000,
            1_500_000,
            "Feil: negativt beløp",
        ),
        row(
            "F-09",
            "Alta kommune",
            "Elektronisk søknad om barnehageplass",
            "Alta",
            0,
            900_000,
            "Feil: omsøkt beløp er 0",
        ),
        row(
            "F-10",
            "Vinje kommune",
            "Videokonferanse",
            "Vinje",
            None,
            800_000,
            "Feil: omsøkt beløp mangler",
        ),
        row(
            "F-11",
            "Tromsø kommune",
            "Mobil omsorg",
            "Tromsø",
            900_000,
            600_000,
            "Feil: omsøkt beløp er større enn totalkostnaden",
        ),
        row(
            "F-12",
            "Stavanger kommune",
            "eHandel",
            "Stavanger",
            # A number cell, as pasted from a computed column: 20 % of 625 002,525.
            125_000.505,
            1_000_000,
            "Feil: brøkdel av en øre (125000,505)",
        ),
        row(
            "F-13",
            "Lillehammer kommune",
            "Timebestilling på nett",
            "Lillehammer",
            "=G14*0.2",  # a formula openpyxl stores without a cached value
            1_400_000,
            "Feil: formel uten lagret verdi (fila er aldri åpnet i Excel)",
        ),
        row(
            "F-14",
            "Kristiansand kommune",
            "Tjenestekatalog",
            "Kristiansand",
            450_000,
            2_700_000,
            "Feil: poeng er ikke et tall",
            score="høy",
        ),
        None,  # a blank row: skipped with a warning
        row(
            "F-15",
            "Fredrikstad kommune",
            "IKT-arkitektur",
            "Fredrikstad",
            600_000,
            4_000_000,
            "Ingen: gyldig rad (men se neste rad)",
        ),
        row(
            "F-15",
            "Sarpsborg kommune",
            "Elektronisk dokumentflyt",
            "Sarpsborg",
            500_000,
            3_000_000,
            "Feil: søknadsnummeret F-15 er brukt før",
        ),
        row(
            None,
            "Gjøvik kommune",
            "Digitalisering av eiendomsarkivet",
            "Gjøvik",
            300_000,
            2_000_000,
            "Advarsel: søknadsnummer mangler (lages av radnummeret)",
        ),
        row(
            "F-17",
            "Steinkjer kommune",
            "Elektronisk meldingsutveksling i pleie og omsorg",
            "Steinkjer",
            350_000,
            2_000_000,
            "Ingen: gyldig rad (men se neste rad)",
            orgnr=twice,
        ),
        row(
            "F-18",
            "Steinkjer kommune",
            "Elektronisk meldingsutveksling i pleie og omsorg",
            "Steinkjer",
            350_000,
            2_000_000,
            "Advarsel: samme organisasjonsnummer og prosjekt som F-17",
            orgnr=twice,
        ),
    ]
    return rows


def write_broken(rows: Sequence[Sequence[str | int | float | None] | None], path: Path) -> None:
    """The broken example: header in row 1, problems below, a Sum row last."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Søknader"
    ws.append(list(BROKEN_HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in rows:
        if values is None:
            ws.append([])
            continue
        ws.append(list(values))
    # The formula in F-13 must point at its own row's total cost.
    formula_row = next(
        r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "F-13"
    )
    assert ws.cell(row=formula_row, column=6).value == f"=G{formula_row}*0.2"
    total = sum(v[6] for v in rows if v is not None and isinstance(v[6], int) and v[6] > 0)
    ws.append(["Sum", None, None, None, None, None, total])
    for col, width in enumerate((9, 22, 26, 44, 16, 14, 14, 7, 12, 70), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    save_reproducibly(wb, path)


# --------------------------------------------------------------------------------------------
# Reproducible saving


def save_reproducibly(
    wb: Workbook,
    path: Path,
    *,
    created: dt.datetime = FIXED_TIME,
    creator: str = "tilskudd examples/generate.py",
) -> None:
    """Save ``wb`` with fixed timestamps so that two runs give identical bytes.

    openpyxl sets ``modified`` to the current time on save and stamps every zip entry with the
    current local time; both are replaced here by ``created``. ``created`` is set before saving.
    Also used by examples/programme_difi2009/generate_runde2.py.
    """
    wb.properties.created = created
    wb.properties.creator = creator
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    zip_time = created.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=zip_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data, compresslevel=6)
    path.write_bytes(out.getvalue())


# --------------------------------------------------------------------------------------------


def generate(out_dir: Path) -> dict[str, Path]:
    """Write every example file into ``out_dir``; return them by name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        name: out_dir / name
        for name in ("difi_2009_runde1.xlsx", "small.xlsx", "small.csv", "broken.xlsx")
    }
    # One generator per file, so that changing one file does not reshuffle the others.
    round_rows = build_round(random.Random(SEED))
    stats = round_statistics(round_rows)
    ratio = stats["requested"] / ROUND_BUDGET_NOK
    if not (125 <= stats["applications"] <= 135 and 2.8 <= ratio <= 3.2):
        raise AssertionError(f"the round no longer has its promised shape: {stats}")
    if stats["cap_binds"] < 30 or stats["tied_scores"] < 5 or stats["largest_collaboration"] != 33:
        raise AssertionError(f"the round no longer has its promised shape: {stats}")
    write_round(round_rows, paths["difi_2009_runde1.xlsx"])

    small_rows = build_small(random.Random(SEED + 1))
    write_small_xlsx(small_rows, paths["small.xlsx"])
    write_small_csv(small_rows, paths["small.csv"])

    write_broken(build_broken(random.Random(SEED + 2)), paths["broken.xlsx"])
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python examples/generate.py [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into")
    args = parser.parse_args(argv)
    paths = generate(args.out)
    stats = round_statistics(build_round(random.Random(SEED)))
    for path in paths.values():
        print(f"wrote {path}")
    print(
        f"round: {stats['applications']} applications, requested {stats['requested']:,} kr "
        f"({stats['requested'] / ROUND_BUDGET_NOK:.2f} x budget), 20 % cap binds for "
        f"{stats['cap_binds']}, {stats['tied_scores']} tied scores, largest collaboration "
        f"{stats['largest_collaboration']} municipalities"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
