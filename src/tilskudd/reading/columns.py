"""The fields tilskudd knows, the header names that mean them, and finding the header row.

A header cell means a field when its normalised text equals one of the field's aliases, in bokmål,
nynorsk or English. Normalising ignores case, spaces, punctuation and accents (``"Org.nr."`` is
``orgnr``, ``"Søkt beløp"`` is ``soktbelop``), drops a bracketed note (``"Poeng (1-6)"``) and a
trailing currency (``"Søkt beløp, kr"``), but never a scale: ``"Søkt beløp (1000 kr)"`` does not
match, since reading thousands as kroner would be wrong by a factor of a thousand. The currency is
the round's: in a round of euros ``"Søkt beløp (EUR)"`` and ``"Requested €"`` match, and ``"Søkt
beløp (kr)"`` does not, as ``"Søkt beløp (EUR)"`` does not in a round of kroner.

The header row is the row, among the first :data:`HEADER_SCAN_ROWS`, that maps the most fields;
titles, logos and blank rows above it are normal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from tilskudd.currency import KRONER_WORDS, NOK, WORDS, marks, named_in
from tilskudd.reading.table import FormulaWithoutValue, RawCell, column_letter, is_empty

__all__ = [
    "ALIASES",
    "CURRENCY_HEADERS",
    "EXTRA",
    "FIELDS",
    "HEADER_SCAN_ROWS",
    "KRONER",
    "MONEY_FIELDS",
    "NYNORSK",
    "NYNORSK_WEAK",
    "REQUIRED",
    "WEAK_ALIASES",
    "WEAK_FIRST",
    "HeaderMatch",
    "cell_text",
    "currency_statement",
    "find_header",
    "header_forms",
    "in_nynorsk",
    "match_field",
    "normalize_header",
    "note_currency",
    "scale_note",
    "scale_statement",
]

ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "ID",
        "Søknadsnr",
        "Søknadsnummer",
        "Søknad nr",
        "Søknads-ID",
        "Saksnummer",
        "Saksnr",
        "Sak nr",
        "Referanse",
        "Ref",
        "Identifier",
        "Application ID",
        "Application number",
        "Application no",
        "Reference",
        "Case number",
        "Case no",
    ),
    "applicant": (
        "Søker",
        "Søkerorganisasjon",
        "Søkers navn",
        "Søkernavn",
        "Navn på søker",
        "Søkerens navn",
        "Organisasjon",
        "Organisasjonsnavn",
        "Navn på organisasjon",
        "Søkers organisasjon",
        "Søkende organisasjon",
        "Virksomhet",
        "Applicant",
        "Applicant name",
        "Organisation",
        "Organization",
        "Recipient Org:Name",  # 360Giving (as tilskudd's own --format 360giving writes it)
    ),
    "orgnr": (
        "Organisasjonsnummer",
        "Org.nr.",
        "Orgnr",
        "Org. nummer",
        "Organisasjonsnr",
        "Søkers organisasjonsnummer",
        "Søkers orgnr",
        "Søker organisasjonsnummer",  # Kulturdirektoratet: see WEAK_ALIASES
        "Foretaksnummer",
        "Foretaksnr",
        "Organisation number",
        "Organization number",
        "Org no",
        "Org number",
        "Recipient Org:Identifier",  # 360Giving: NO-BRC-<orgnr>, read by validation
    ),
    "project": (
        "Prosjekt",
        "Prosjektnavn",
        "Prosjekttittel",
        "Prosjektets navn",
        "Prosjektets tittel",
        "Tittel",
        "Navn på prosjektet",
        "Navn på prosjekt",
        "Tittel på prosjektet",
        "Project",
        "Project name",
        "Project title",
        "Title",
        "Tiltak tittel",  # Kulturdirektoratet: see WEAK_ALIASES
    ),
    "municipalities": (
        "Kommune",
        "Kommuner",
        "Kommunenummer",
        "Kommunenr",
        "Kommunenavn",
        "Deltakende kommuner",
        "Municipality",
        "Municipalities",
        "Participating municipalities",
        "Beneficiary Location:Geographic Code",  # 360Giving: numbers joined by "; "
    ),
    "county": (
        "Fylke",
        "Fylkesnavn",
        "Fylkesnummer",
        "Fylkenummer",
        "Fylkesnr",
        "County",
    ),
    "requested": (
        "Omsøkt beløp",
        "Søkt beløp",
        "Søknadsbeløp",
        "Søknadssum",
        "Omsøkt sum",
        "Søkt sum",  # not "Sum søkt": a totals row's label (sheet._TOTAL_WORDS)
        "Omsøkt tilskudd",
        "Søkt tilskudd",
        "Omsøkt støtte",
        "Søkt støtte",
        "Beløp søkt om",
        "Søkt om",
        "Omsøkt",
        "Amount requested",
        "Requested amount",
        "Amount applied for",
        "Requested",
        "Verdi omsøkt",  # Kulturdirektoratet: see WEAK_ALIASES
    ),
    "total_cost": (
        "Totalkostnad",
        "Prosjektkostnad",
        "Total prosjektkostnad",
        "Totale kostnader",
        "Samlet kostnad",
        "Samlede kostnader",
        "Kostnad totalt",
        "Kostnader totalt",
        "Totalkostnader",
        "Total kostnad",
        "Prosjektkostnader",
        "Totale prosjektkostnader",
        "Total cost",
        "Project cost",
        "Total project cost",
    ),
    "score": (
        "Poeng",
        "Poengsum",
        "Score",
        "Vurdering",
        "Samlet vurdering",
        "Points",
        "Total score",
        "Assessment",
    ),
    "rank": ("Rangering", "Prioritet", "Prioritering", "Rank", "Ranking", "Priority"),
    "category": (
        "Kategori",
        "Tema",
        "Category",
        "Theme",
    ),
    "decision": ("Vedtak", "Beslutning", "Overstyring", "Decision", "Override"),
    "decision_amount": (
        "Vedtaksbeløp",
        "Vedtatt beløp",
        "Innstilt beløp",
        "Decision amount",
        "Decided amount",
        "Override amount",
    ),
    "decision_reason": (
        "Begrunnelse",
        "Vedtaksbegrunnelse",
        "Decision reason",
        "Justification",
    ),
}
"""Every known field and the header names that mean it, as people write them (for messages too)."""

_PROJECT_NUMBERS = (
    "Prosjektnummer",
    "Prosjektnr",
    "Prosjekt nr",
    "Prosjekt-ID",
    "Project number",
    "Project no",
    "Project ID",
)
"""A project's number: a weak id that wins over a running number beside it (WEAK_FIRST)."""

WEAK_ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        *_PROJECT_NUMBERS,
        "Nr",
        "Nummer",
        "Løpenr",
        "Løpenummer",
        "No",
        "Number",
    ),
    "applicant": ("Tilskuddsmottaker", "Mottaker", "Mottakernavn"),
    "orgnr": ("Mottaker organisasjonsnummer",),
    "project": ("Tiltak", "Tiltaksnavn", "Navn på tiltaket"),
    "county": ("Fylkeskommune", "Søker fylke"),
    "total_cost": (
        "Totalbudsjett",
        "Totalt budsjett",
        "Prosjektbudsjett",
        "Project budget",
        "Sum kostnader",
        "Kostnader i alt",
        "Kostnadsoverslag",  # the estimate of an application's budget, in bokmål and nynorsk
    ),
    "score": (
        "Sum poeng",
        "Poeng totalt",
        "Totalpoeng",
        "Samlet poengsum",
        "Karakter",
        "Hovedkarakter",
        "Samlet karakter",
    ),
    "category": ("Satsingsområde", "Innsatsområde"),
}
"""Header names that mean a field only when no other column in the row names it.

Officers number their rows ``Nr.`` or ``Løpenr.``, often as the application's number, but a
sheet may have such a running number beside its ``Søknadsnr``: then the running number is carried
through unchanged instead of being a second id column (an error). Likewise an application's
budget (``Prosjektbudsjett``) is its total cost, and a scoring sheet's ``Sum poeng`` its score,
unless a column beside it names that field already (a ``Totalkostnad``, a ``Poeng``). So do
names that some sheets use for a field and others for a column beside it: ``Tiltak`` (the
project, or a description of the measure beside ``Prosjektnavn``), ``Mottaker``, ``Karakter``,
``Satsingsområde``.

A project's number (``Prosjektnummer``, ``Prosjektnr.``) is the id of a sheet that numbers its
applications by project (the Research Council's open data, a regional research fund's list), but
a sheet with a ``Søknadsnr`` beside it keeps that as the id and carries the project's number
through. It is never the project (``Prosjekt`` is the project's title).

The grant systems' downloads name their columns so: tilskudd.no's allocations to voluntary
organisations (its sheet ``Tilskuddsordninger``) ``Mottakernavn``, ``Mottaker
organisasjonsnummer``, ``Søknadsbeløp`` and ``Tiltak``; Kulturdirektoratet's decision lists
(``vedtak_*.csv``) ``soker_navn``, ``soker_organisasjonsnummer``, ``soker_fylke`` (the county of
the applicant's address), ``verdi_omsokt`` and ``tiltak_tittel``, as the public project
Reven101/tilskuddskompasset reads both. Their own scheme's id (``tilskudds_id``,
``ordning_kode``) is no application's id, and what was granted (``tildelt_belop``,
``verdi_innvilget``) is carried through."""

NYNORSK: dict[str, tuple[str, ...]] = {
    "applicant": (
        "Søkjar",
        "Søkar",
        "Søkjarorganisasjon",
        "Søkarorganisasjon",
        "Søkjars namn",
        "Søkjarnamn",
        "Søkjarnavn",
        "Namn på søkjar",
        "Namn på søkjaren",
        "Namn på søkar",
        "Navn på søkjar",
        "Søkjaren sitt namn",
        "Organisasjonsnamn",
        "Namn på organisasjon",
        "Namn på organisasjonen",
        "Søkjars organisasjon",
        "Søkjande organisasjon",
        "Verksemd",
    ),
    "orgnr": ("Søkjars organisasjonsnummer", "Søkjars orgnr"),  # ø reads o: Føretaksnr is known
    "project": (
        "Prosjektnamn",
        "Prosjektet sitt namn",
        "Prosjektet sin tittel",
        "Namn på prosjektet",
        "Namn på prosjekt",
    ),
    "municipalities": ("Kommunar", "Kommunenamn", "Deltakande kommunar"),
    "county": ("Fylkesnamn",),
    "requested": (
        "Søkt tilskot",
        "Omsøkt tilskot",
        "Søkt tilskott",
        "Omsøkt tilskott",
        "Søkt stønad",
        "Omsøkt stønad",
    ),
    "total_cost": ("Samla kostnad", "Samla kostnader"),
    "score": ("Samla vurdering",),
    "decision": ("Avgjerd",),
    "decision_amount": ("Vedteke beløp",),
    "decision_reason": ("Grunngjeving", "Grunngiving", "Vedtaksgrunngjeving"),
}
"""The header names of :data:`ALIASES` as they are written in nynorsk, where that differs from
bokmål (``Søkjar``, ``Prosjektnamn``, ``Søkt tilskot``; ``Søkt beløp`` and ``Poengsum`` are the
same words in both). Many counties and municipalities write nynorsk officially (Vestland, Møre
og Romsdal, and in 2009 Sogn og Fjordane). Messages list them where a sheet's headers are in
nynorsk (:func:`in_nynorsk`)."""

NYNORSK_WEAK: dict[str, tuple[str, ...]] = {
    "applicant": ("Tilskotsmottakar", "Tilskottsmottakar", "Mottakar"),
    "project": ("Tiltaksnamn", "Namn på tiltaket"),
    "score": ("Samla poengsum", "Samla karakter"),
}
"""The header names of :data:`WEAK_ALIASES` in nynorsk, where that differs from bokmål: they
mean their field only when no other column in the row names it."""

FIELDS: tuple[str, ...] = tuple(ALIASES)
"""The known fields, in the order they are listed to people."""

REQUIRED = "requested"
"""The one field every applications sheet must have."""

EXTRA = "extra"
"""A column map target that means: not a field, carry the column through unchanged."""

HEADER_SCAN_ROWS = 50
"""How many rows from the top are searched for the header row."""

# The letters normalisation does not take apart (NFKD splits å into a + ring, not ø or æ).
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "ð": "d", "þ": "th", "ß": "ss", "ł": "l"})
_NOT_ALNUM = re.compile(r"[\W_]+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# A bracket that states a scale changes what the numbers mean: keep it. "(1000 kr)", "(1 000)",
# "[MNOK]", "(tkr)", "(mill. kr)", "(T kr)", "(M NOK)", "(mln)", "(mio.)", "(€m)", "(k)", "(in
# thousands)", "(1000 EUR)", "(tusen euro)".
_SCALE = re.compile(
    r"\d{3}|mill|mrd|milliard|tusen|thousand|million|billion|\bmln\b|\bmio\b|\bbn\b"
    r"|\b[mtk]\s*(?:kr|nok|eur|usd|gbp|sek|dkk)(?![a-zæøå])|\b[mtk]\s*[€$£]|[€$£]\s*[mtk]\b"
    r"|\b[mtk]\b",
    re.IGNORECASE,
)
# So does a bracket naming another currency than the round's ("(EUR)", "(€)", "(i euro)", "(SEK)"
# in a round of kroner, "(kr)" in a round of euros): euros read as kroner would be wrong by a
# factor of ten. A bracket that only names the round's currency does not: "(kr)", "(NOK)",
# "(totalt, kr)" in a round of kroner, "(EUR)", "(€)", "(i euro)" in a round of euros.
# The fields whose numbers are kroner: a scale note on one of them is refused, not ignored.
MONEY_FIELDS = ("requested", "total_cost", "decision_amount")
_CURRENCY_SUFFIXES = ("ikr", "inok", "kr", "nok")


@lru_cache(maxsize=16)
def _currency_suffixes(currency: str) -> tuple[str, ...]:
    """A header's trailing words, normalised, that only name the round's ``currency``: ``kr``
    and ``i NOK`` in kroner (``"Søkt beløp, kr"``), ``EUR`` and ``i euro`` in euros."""
    if currency == NOK:
        return _CURRENCY_SUFFIXES
    words = [normalize_header(word) for word in marks(currency)]
    words = [word for word in words if word]  # a sign is no word: see _has_note
    return tuple(sorted({*words, *(f"i{word}" for word in words)}, key=len, reverse=True))


@lru_cache(maxsize=4096)
def normalize_header(text: str) -> str:
    """Header text as it is compared: lower case, no accents, spaces or punctuation."""
    # Decompose before and after folding case: "🄐" decomposes to "(A)", "ẞ" folds to "ss".
    folded = unicodedata.normalize("NFKD", text).casefold().translate(_FOLD)
    folded = unicodedata.normalize("NFKD", folded)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub("", folded)


WEAK_FIRST: frozenset[str] = frozenset(map(normalize_header, _PROJECT_NUMBERS))
"""The weak aliases (normalised) that win over the other weak aliases of their field: a
``Prosjektnummer`` beside a running ``Nr.`` is the id, and the running number is carried through."""


# A percentage on a field of kroner ("Søkt beløp (%)"): a share, not kroner, refused as a scale
# is. On other fields ("Poeng (%)") it is only a note.
_PERCENT = re.compile(r"%|\bprosent\b|\bpercent\b", re.IGNORECASE)


CURRENCY_HEADERS = frozenset({"currency", "currencycode", "valuta", "valutakode", "myntenhet"})
"""Headers (as :func:`normalize_header` gives them) of a column, or keys of a line above the
header, that say which currency the amounts are in, as open data has one (360Giving's
``Currency``, pabulib's ``currency;EUR``)."""
KRONER = frozenset({"nok", "kr", "kroner", "nkr", "norskekroner"})
"""Norwegian kroner, however a currency column or line writes them (normalised)."""


def names_currency(text: str, currency: str) -> bool:
    """Whether a currency cell's or line's ``text`` names ``currency``, an ISO 4217 code
    (``kr`` and ``kroner`` name NOK; ``kr`` and ``kronor`` SEK in a round of Swedish kronor)."""
    name = normalize_header(text)
    if currency == NOK:
        return name in KRONER
    return name == currency.lower() or name in _own_kroner(currency)


@lru_cache(maxsize=16)
def _own_kroner(currency: str) -> frozenset[str]:
    """The words of :data:`~tilskudd.currency.KRONER_WORDS` (normalised) that name ``currency``
    in its own round: ``kr`` and ``kronor`` in a round of SEK; none in a round of euros."""
    return frozenset(
        normalize_header(word) for word, codes in KRONER_WORDS.items() if currency in codes
    )


# A currency sign outside brackets ("Søkt beløp €", "Requested, £") names a currency as one in
# brackets does; normalising the header would drop it, and pounds would be read as kroner.
_CURRENCY_SIGNS = "€$£¥"
_BARE_CURRENCY = re.compile(r"[€$£¥]")


def _has_note(text: str) -> bool:
    """Whether a header has a bracket or a currency sign: a note that may change its meaning."""
    return "(" in text or "[" in text or _has_currency_sign(text)


def _has_currency_sign(text: str) -> bool:
    """Whether ``text`` holds a currency sign: four substring searches, as a set's test walks
    every character in Python's hash lookups, 150 times slower on a long text (a cell of 40 000
    characters repeated along a row of 16 384 in a 1 KiB .ods took 10 s to look at)."""
    return any(sign in text for sign in _CURRENCY_SIGNS)


def _without_notes(text: str) -> str:
    """A header without its bracketed notes and currency signs."""
    return _BARE_CURRENCY.sub(" ", _BRACKETED.sub(" ", text))


def _bracket_note(text: str, pattern: re.Pattern[str]) -> str | None:
    """The first bracketed note in a header that ``pattern`` finds something in, or None."""
    if "(" not in text and "[" not in text:
        return None
    for note in _BRACKETED.findall(text):
        if pattern.search(note):
            return str(note)
    return None


def _percent_note(text: str) -> str | None:
    """The bracketed note in a header that states a percentage (``"(%)"``), or None."""
    return _bracket_note(text, _PERCENT)


# A scale written after an amount's header without brackets: "Søkt beløp i 1000 kr", "Søkt
# beløp, tkr", "Totalkostnad i mill. kr". Unknown as a header, it was listed as an unknown
# column, and the advice to map it with --columns would have read thousands as kroner.
# Kroner, or another currency with a scale as kroner have one ("i 1000 EUR", "MEUR").
# Kroner, and the currencies a round is most often in (currency.WORDS: a scale of euros is a
# scale as one of kroner is, "Amounts in EUR thousands", "i 1000 euro"), longest first.
# The Nordic krone's words too (KRONER_WORDS: "i 1000 kronor" is a scale in any round).
_CURRENCY_WORD = (
    "(?:kr\\.|"
    + "|".join(sorted(map(re.escape, {*WORDS, *KRONER_WORDS}), key=len, reverse=True))
    + ")"
)
_TRAILING_MONEY = rf"(?:{_CURRENCY_WORD}|€|£|\$)"
_TRAILING_SCALE = re.compile(
    r"(?:(?:i|in)\s+)?(?:hele\s+)?"
    rf"(?:(?:1[ \u00a0.]?000|tusen|t|mill\.?|millioner|mrd\.?|m)\s*{_TRAILING_MONEY}"
    rf"|{_TRAILING_MONEY}\s*1[ \u00a0.]?000|tusen|tusener|mill\.?|millioner|mrd\.?"
    r"|[mtk](?:nok|eur|sek|dkk|usd|gbp|chf)|mkr|tkr|thousands?|millions?)"
    r"|(?:i|in)\s+(?:hele\s+)?1[ \u00a0.]?000",
    re.IGNORECASE,
)


def _trailing_scale(text: str, currency: str = NOK) -> tuple[str, str] | None:
    """(money field, the scale) for a header of kroner with a scale after it and no brackets
    (``"Søkt beløp i 1000 kr"`` -> ``("requested", "i 1000 kr")``), else None."""
    words = text.split()
    for count in range(1, min(4, len(words) - 1) + 1):
        suffix = " ".join(words[-count:]).strip(" ,;:")
        prefix = " ".join(words[:-count]).rstrip(" ,;:-–/")
        if prefix and _TRAILING_SCALE.fullmatch(suffix):
            name = _match(prefix, None, currency)[0]
            if name in MONEY_FIELDS:
                return name, suffix
    return None


_IN = frozenset({"i", "in"})


def _trailing_currency(text: str, currency: str) -> tuple[str, str, str] | None:
    """(money field, the words, the currency they name) for a header of an amount with another
    currency than the round's after it and no brackets (``"Søkt beløp, EUR"`` in a round of
    kroner -> ``("requested", "EUR", "EUR")``; ``"Søkt beløp i kr"`` in a round of euros), else
    None."""
    words = text.split()
    if len(words) < 2:
        return None
    count = 2 if len(words) > 2 and words[-2].lower() in _IN else 1
    suffix = " ".join(words[-count:]).strip(" ,;:")
    named = named_in(words[-1], currency)
    if len(named) != 1 or named[0] == currency or not _ONE_WORD.fullmatch(words[-1]):
        return None
    name = _match(" ".join(words[:-count]).rstrip(" ,;:-–/"), None, currency)[0]
    return (name, suffix, named[0]) if name in MONEY_FIELDS else None


_ONE_WORD = re.compile(r"[,;:]?(?:kr\.?|[^\W\d_]+|[€$£])[,;:]?", re.IGNORECASE)

# A currency's code written onto the word before it, as open data names its columns
# ("FoerderbeitragCHF", Uster's culture grants): taken apart to be read as a word of its own.
_GLUED_CODE = re.compile(r"(?<=[^\W\d_])(?<![A-Z])(?=[A-Z]{3}(?![^\W\d_]))")


def mapped_currency(text: str, currency: str) -> tuple[str, str] | None:
    """(the word, the currency it names) for the header of a column the column map makes an
    amount, when the header names another currency than the round's and not the round's own
    (``"FoerderbeitragCHF"``, ``"sokt_belop_eur"``, ``"Søkt beløp (EUR)"`` in a round of kroner
    -> ``("CHF", "CHF")``, ...), else None. The map says where the amounts are, not that they
    are in the round's currency."""
    spaced = _GLUED_CODE.sub(" ", text)
    named = named_in(spaced, currency)
    if not named or currency in named:
        return None
    other = named[0]
    for word in (*_RUN_WORDS.findall(spaced), *_BARE_CURRENCY.findall(spaced)):
        if other in named_in(word, currency):
            return word, other
    return other, other


_RUN_WORDS = re.compile(r"[^\W\d_]+")


def note_currency(note: str, currency: str = NOK) -> str | None:
    """The currency other than the round's that a header's note names, when the note states no
    scale (``"(EUR)"`` in a round of kroner -> ``"EUR"``; ``"(kr)"`` in a round of euros ->
    ``"NOK"``), else None: a note of another currency, that ``--currency`` may settle."""
    if _SCALE.search(note) or _PERCENT.search(note):
        return None
    other = [code for code in named_in(note, currency) if code != currency]
    return other[0] if other else None


def _names_another(note: str, currency: str) -> bool:
    """Whether a bracketed note states a scale or names another currency than the round's."""
    if _SCALE.search(note):
        return True
    return any(code != currency for code in named_in(note, currency))


def scale_note(text: str, currency: str = NOK) -> str | None:
    """The note in a header that states a scale or another currency than the round's
    (``"(tkr)"``, ``"(€)"`` or a ``£`` outside brackets in a round of kroner; ``"(kr)"`` in a
    round of euros), or None."""
    note = None
    if "(" in text or "[" in text:
        for found in _BRACKETED.findall(text):
            if _names_another(found, currency):
                note = str(found)
                break
    if note is None and _has_currency_sign(text):
        for bare in _BARE_CURRENCY.findall(_BRACKETED.sub(" ", text)):
            if named_in(bare, currency) != [currency]:
                return str(bare)
    return note


# A sheet's title or a note states the unit of every amount in it: "Tilskudd 2025 (alle beløp
# i 1000 kr)", "Beløp i hele tusen kroner", "Tall i mill. kr", "Amounts in NOK thousands", a
# group label "Beløp (tkr)" over "Omsøkt" and "Totalkostnad". The amounts themselves are plain
# numbers, so thousands read as kroner would be wrong by a factor of a thousand without a word.
# An amount in a title ("Ramme 5 mill. kr", "Fordeling av 1 000 000 kr") states no unit.
_SCALE_WORD = (
    r"(?:1[ \u00a0.,'’]?000|tusen(?:er)?|thousands?|mill(?:\.|ioner|ions?)?|mln\.?|mio\.?"
    r"|mrd\.?|milliarder|billions?|tkr|tnok|knok|mnok|mkr)"
)
_SCALE_STATEMENT = re.compile(
    # "i 1000 kr", "i hele tusen kroner", "i mill. kr", "i MNOK", "in NOK thousands"
    rf"\b(?:i|in)\s+(?:hele\s+)?(?:{_CURRENCY_WORD}\s*)?{_SCALE_WORD}(?![\w])"
    rf"(?:\s*{_CURRENCY_WORD}(?![\w]))?"
    # "(1000 kr)", "(tusen kroner)", "(tkr)", "[MNOK]", "(NOK 1000)", "(NOK '000)", "('000)"
    rf"|[(\[]\s*(?:{_SCALE_WORD}\s*{_CURRENCY_WORD}?|{_CURRENCY_WORD}\s*(?:{_SCALE_WORD}|['’]000)"
    r"|['’]000(?:\s*" + _CURRENCY_WORD + r")?)\s*[)\]]"
    # "Alle beløp: tkr", "NOK '000" (not "500 tkr", an amount)
    rf"|(?<![\d\s])\s*\b(?:tkr|tnok|knok)\b|\b{_CURRENCY_WORD}\s*['’]000\b",
    re.IGNORECASE,
)
_UNBRACKETED_BARE = re.compile(r"[(\[]\s*1[ \u00a0.,'’]?000\s*[)\]]")


def scale_statement(text: str) -> str | None:
    """The words in a title or note that give every amount in a scale (``"i 1000 kr"``), or
    None: ``"Tilskudd 2025 (alle beløp i 1000 kr)"`` -> ``"i 1000 kr"``."""
    found = _SCALE_STATEMENT.search(text)
    if found is None or _UNBRACKETED_BARE.fullmatch(found.group(0).strip()):
        return None
    return found.group(0).strip()


# A title or note that gives every amount in a currency: "Alle beløp i EUR", "All amounts in
# GBP", "(i euro)", "Beløp i hele kr.", "Tilskudd 2025 (SEK)". The round's own says nothing
# new; another's, as a header naming it, would have its amounts read as the round's money.
_NAMED_MONEY = rf"(?:{_CURRENCY_WORD}|[^\W\d_]{{3}}|[€£$])"
_CURRENCY_STATEMENT = re.compile(
    # "i EUR-land", "in euro-area countries": a word of its own, not the unit
    rf"(?<!\w)(?:i|in)\s+(?:hele\s+|whole\s+)?(?P<named>{_NAMED_MONEY})(?![\w€£$-])"
    rf"|[(\[]\s*(?P<alone>{_NAMED_MONEY})\s*[)\]]",
    re.IGNORECASE,
)
_ENDS_STATEMENT = re.compile(r"\s*(?:$|[)\],.;:!?])")
# "in EUR" states the table's currency where nothing comes before it in its part of the text
# ("(i euro)") or what comes before names the amounts ("Alle beløp", "All amounts in") or what
# they are amounts of ("Søknader 2025 i EUR", "Grants in GBP": a sheet of applications whose
# title gives them in euros has its amounts in euros), and no payment: "Tilskuddet betales i
# EUR" beside the table is a sentence about paying. Read as kroner, euros would be wrong by a
# factor of about eleven; a title that is no such statement costs a note to reword.
_CLAUSE_BREAK = re.compile(r".*[(\[,;:.!?\u2013\u2014]", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]+")
_AMOUNT_WORDS = (
    *("beløp", "belop", "amount", "figure", "tall", "sum", "verdi", "value"),
    # what the amounts are of: applications, grants, budgets, awards, costs, projects
    *("søknad", "soknad", "applica", "tilskudd", "tilskot", "grant", "støtte", "stotte"),
    *("budsjett", "budget", "tildel", "award", "ramme", "kostnad", "cost", "prosjekt", "project"),
)
_PAYMENT_WORDS = ("betal", "utbetal", "dekk", "overfør", "paid", "pay", "transfer", "refund")


def _states_amounts(before: str) -> bool:
    """Whether the text before an "i EUR" in its part of a title or note (after the last
    bracket or stop) leaves the currency the amounts': nothing, or words naming the amounts
    and no payment."""
    clause = _CLAUSE_BREAK.sub("", before)
    words = [word.casefold() for word in _WORD.findall(clause)]
    if not words:
        return True
    if any(word.startswith(_PAYMENT_WORDS) for word in words):
        return False
    return any(word.startswith(_AMOUNT_WORDS) for word in words)


def currency_statement(text: str, currency: str = NOK) -> tuple[str, str] | None:
    """(the words, the currency) in a title or note that gives every amount in another currency
    than the round's, as :func:`scale_statement` finds a scale (``"Alle beløp i EUR"`` in a
    round of kroner -> ``("i EUR", "EUR")``; ``"(i kr)"`` in a round of euros), or None. A
    sentence that names a currency is no such statement: ``"Tilskuddet betales i EUR"``,
    ``"Reisene går i EUR-land"`` (the words before ``i`` must name the amounts or what they
    are amounts of, and no payment)."""
    for found in _CURRENCY_STATEMENT.finditer(text):
        word = found.group("named") or found.group("alone")
        named = named_in(word, currency)
        if len(named) != 1 or named[0] == currency:
            continue
        if found.group("named") and not _states_amounts(text[: found.start()]):
            continue
        # A code in capitals only where it ends the statement: "Søknader i ALL" may be
        # Albanian lek; "in ALL regions" is a word.
        code_alone = word.lower().rstrip(".") not in {*WORDS, *KRONER_WORDS} and word not in "€£$"
        if code_alone and not _ENDS_STATEMENT.match(text, found.end()):
            continue
        return found.group(0).strip(), named[0]
    return None


def header_forms(text: str, currency: str = NOK) -> tuple[str, ...]:
    """The normalised forms a header may match by: as written, without a note, without 'kr'
    (in a round of ``currency``: without the notes and words that name it, ``(EUR)``)."""
    out = [normalize_header(text)]
    # Up to 50 rows of data cells pass through here while the header is sought: cheap tests
    # before the regular expressions.
    if _has_note(text):
        stripped = _without_notes(text)
        if scale_note(text, currency) is None:
            out.append(normalize_header(stripped))
    suffixes = _currency_suffixes(currency)
    for form in list(out):
        if form.endswith(suffixes):
            for suffix in suffixes:
                if form.endswith(suffix) and len(form) > len(suffix):
                    out.append(form[: -len(suffix)])
                    break
    return tuple(out)


_ALIAS_INDEX: dict[str, str] = {
    normalize_header(alias): name
    for table in (ALIASES, NYNORSK)
    for name, aliases in table.items()
    for alias in aliases
}
_WEAK_INDEX: dict[str, str] = {
    normalize_header(alias): name
    for table in (WEAK_ALIASES, NYNORSK_WEAK)
    for name, aliases in table.items()
    for alias in aliases
}
_NYNORSK_FORMS = frozenset(
    normalize_header(alias)
    for table in (NYNORSK, NYNORSK_WEAK)
    for aliases in table.values()
    for alias in aliases
)


def in_nynorsk(headers: Sequence[str], currency: str = NOK) -> bool:
    """Whether a header row names a field the nynorsk way (``Søkjar``, ``Prosjektnamn``)."""
    return any(
        not _NYNORSK_FORMS.isdisjoint(header_forms(text, currency)) for text in headers if text
    )


def _match(
    header: str, column_map: Mapping[str, str] | None, currency: str = NOK
) -> tuple[str | None, bool, bool]:
    """(field or 'extra' or None, whether the column map decided it, whether by a weak alias)."""
    if not header:
        return None, False, False
    forms = header_forms(header, currency)
    if column_map:
        for form in forms:
            if form in column_map:
                return column_map[form], True, False
    if _has_note(header) and scale_note(header, currency) is not None:
        # "Requested amount (€)" reads "requestedamount" without its punctuation: a note of
        # symbols alone must not let the header match as if it had none.
        forms = forms[1:]
    for form in forms:
        if form in _ALIAS_INDEX:
            name = _ALIAS_INDEX[form]
            if name in MONEY_FIELDS and _percent_note(header) is not None:
                return None, False, False  # a share, not kroner: map_header reports it as a scale
            return name, False, False
    for form in forms:
        if form in _WEAK_INDEX:
            name = _WEAK_INDEX[form]
            if name in MONEY_FIELDS and _percent_note(header) is not None:
                return None, False, False
            return name, False, True
    if _has_note(header) and scale_note(header, currency) is not None:
        # Numbers in a note are a scale of kroner only on a field of kroner; on a score or a
        # rank they are its range ("Poeng (0-100)", "Rangering (1-100)").
        plain = normalize_header(_without_notes(header))
        for index, weak in ((_ALIAS_INDEX, False), (_WEAK_INDEX, True)):
            ranged = index.get(plain)
            if ranged in _RANGED_FIELDS:
                return ranged, False, weak
    return None, False, False


_RANGED_FIELDS = ("score", "rank")


def match_field(
    header: str, column_map: Mapping[str, str] | None = None, currency: str = NOK
) -> str | None:
    """The field ``header`` means (``'extra'`` if the map says to carry it), or None if unknown.

    ``column_map`` maps normalised header text to a field (see :func:`normalize_column_map`) and
    is consulted before the built-in aliases. ``currency``: the round's ISO 4217 code; a note
    naming it only (``"Søkt beløp (EUR)"`` in a round of euros) is dropped as ``(kr)`` is in
    kroner.
    """
    return _match(header, column_map, currency)[0]


def cell_text(value: RawCell) -> str:
    """A header cell as text: whole floats without '.0', dates in ISO form, empty as ''."""
    if value is None or value == "" or isinstance(value, FormulaWithoutValue):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value.strip()
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


@dataclass
class HeaderMatch:
    """A candidate header row and how its columns map to fields."""

    index: int
    """0-based index of the header row in the grid."""
    headers: list[str]
    """Every column's header text ('' where empty)."""
    fields: dict[str, int] = field(default_factory=dict)
    """Field -> 0-based column, for fields mapped by exactly one column."""
    extra: dict[int, str] = field(default_factory=dict)
    """0-based column -> header text, for non-empty headers that are not fields."""
    duplicates: dict[str, list[int]] = field(default_factory=dict)
    """Field -> every column (2 or more) that maps to it: an error for the caller to report."""
    mapped_by: dict[int, str] = field(default_factory=dict)
    """0-based column -> field, for every column that matched a field (duplicates included)."""
    scaled: dict[int, tuple[str, str]] = field(default_factory=dict)
    """0-based column -> (money field, note), for a header that would be a field of kroner but
    for a note stating a scale (``"Søkt beløp (tkr)"``): an error for the caller to report."""
    foreign: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    """0-based column -> (money field, note, currency), for a header that would be a field of
    the round's money but for a note naming another currency (``"Søkt beløp (EUR)"`` in a round
    of kroner): an error for the caller to report, with ``--currency`` to settle it. A column the
    column map makes an amount is held here too when its header names another currency
    (``"FoerderbeitragCHF"``, :func:`mapped_currency`); it is then in :attr:`mapped_by`."""
    currency: str = NOK
    """The round's currency, whose notes the headers may have (``(EUR)`` in euros)."""

    @property
    def score(self) -> int:
        """How many distinct fields the row maps (a field of kroner stated in a scale, or in
        another currency, counts)."""
        held = {name for name, *_note in (*self.scaled.values(), *self.foreign.values())}
        return len(self.fields.keys() | self.duplicates.keys() | held)

    @property
    def has_required(self) -> bool:
        """The row has a column for ``requested`` (perhaps twice, in a scale or in another
        currency: errors)."""
        return (
            REQUIRED in self.fields
            or REQUIRED in self.duplicates
            or any(name == REQUIRED for name, _note in self.scaled.values())
            or any(name == REQUIRED for name, *_rest in self.foreign.values())
        )

    @property
    def recognisable(self) -> bool:
        """A header row maps ``requested`` or at least two fields."""
        return self.has_required or self.score >= 2

    def describe_columns(self) -> list[tuple[str, str, str | None]]:
        """(column letter, header text, field or None) for every non-empty header cell."""
        return [
            (column_letter(i), text, self.mapped_by.get(i))
            for i, text in enumerate(self.headers)
            if text
        ]


def map_header(
    index: int,
    cells: Sequence[RawCell],
    column_map: Mapping[str, str] | None = None,
    currency: str = NOK,
) -> HeaderMatch:
    """Map one row's cells to fields; the column map wins over the built-in aliases.

    When the map names a field, columns that only match that field by alias are carried through
    instead, so that a map can settle a clash such as ``Kommune`` next to ``Kommunenummer``.
    ``currency``: the round's ISO 4217 code; an amount's header may name it (``"Søkt beløp
    (EUR)"``, ``"Requested €"`` in a round of euros), while a note naming another currency is
    held in :attr:`HeaderMatch.foreign` for an error.
    """
    headers = [cell_text(c) for c in cells]
    mapped_targets = set(column_map.values()) if column_map else set()
    match = HeaderMatch(index=index, headers=headers, currency=currency)
    by_field: dict[str, list[int]] = {}
    weak: dict[str, list[int]] = {}
    for i, text in enumerate(headers):
        if not text:
            continue
        name, by_map, by_weak = _match(text, column_map, currency)
        if by_weak and name is not None and name not in mapped_targets:
            weak.setdefault(name, []).append(i)
            continue
        if name in mapped_targets and not by_map:
            # Only the map may claim a field the map names.
            name = None
        if name is None and not by_map:
            note = scale_note(text, currency) or _percent_note(text)
            if note is not None:
                plain = _match(_without_notes(text), None, currency)[0]
                if plain in MONEY_FIELDS and plain not in mapped_targets:
                    other = note_currency(note, currency)
                    if other is None:
                        match.scaled[i] = (plain, note)
                    else:
                        match.foreign[i] = (plain, note, other)
            elif (trailing := _trailing_scale(text, currency)) is not None:
                plain, note = trailing
                if plain not in mapped_targets:
                    match.scaled[i] = (plain, note)
            elif (named := _trailing_currency(text, currency)) and named[0] not in mapped_targets:
                match.foreign[i] = named
            elif column_map and (stated := mapped_currency(text, currency)) is not None:
                # The map names the header as it would read in a round of the currency it
                # names ("Foerderbeitrag" for "FoerderbeitragCHF"): that currency is the one
                # to count in, not a header that is missing.
                forms = header_forms(text, stated[1])
                meant = next((column_map[form] for form in forms if form in column_map), None)
                if meant is not None and meant in MONEY_FIELDS:
                    match.foreign[i] = (meant, *stated)
        elif by_map and name in MONEY_FIELDS:
            stated = mapped_currency(text, currency)
            if stated is not None:
                match.foreign[i] = (name, *stated)
        if name is None or name == EXTRA:
            match.extra[i] = headers[i]
            continue
        match.mapped_by[i] = name
        by_field.setdefault(name, []).append(i)
    for name, columns in weak.items():
        first = [
            i for i in columns if not WEAK_FIRST.isdisjoint(header_forms(headers[i], currency))
        ]
        chosen = first if first else columns
        if name not in by_field and len(chosen) == 1:
            match.mapped_by[chosen[0]] = name
            by_field[name] = chosen
        # another column names the field, or two running numbers: neither is claimed
        unclaimed = [i for i in columns if i not in by_field.get(name, ())]
        if unclaimed:
            for i in unclaimed:
                match.extra[i] = headers[i]
            match.extra = dict(sorted(match.extra.items()))
    for name, columns in by_field.items():
        if len(columns) == 1:
            match.fields[name] = columns[0]
        else:
            match.duplicates[name] = columns
    return match


def find_header(
    rows: Sequence[Sequence[RawCell]],
    column_map: Mapping[str, str] | None = None,
    scan: int = HEADER_SCAN_ROWS,
    currency: str = NOK,
) -> HeaderMatch | None:
    """The best header row among the first ``scan`` rows, or None if no row is recognisable.

    Best means: maps ``requested`` first, then the most fields, then the earliest row.
    ``currency``: the round's (:func:`map_header`).

    A header may take two rows: a name written (or merged) over both, beside names that sit in
    the lower row under a group label (``Beløp`` over ``Omsøkt`` and ``Totalkostnad``). A text
    row that maps a field by itself is also tried with its empty cells filled from the text of
    the row above; it is the header row when that maps more fields than either row alone.
    """
    best: HeaderMatch | None = None
    above: Sequence[RawCell] | None = None
    for index, cells in enumerate(rows[:scan]):
        if all(c is None or c == "" for c in cells):
            above = None
            continue
        match = map_header(index, cells, column_map, currency)
        candidates = [match]
        if above is not None and match.mapped_by:
            filled = filled_from_above(cells, above)
            if filled is not None:
                candidates.append(map_header(index, filled, column_map, currency))
        above = cells
        for candidate in candidates:
            if not candidate.recognisable:
                continue
            key = (candidate.has_required, candidate.score)
            if best is None or key > (best.has_required, best.score):
                best = candidate
    if best is not None and best.index + 1 < len(rows):
        units = with_units(best.headers, rows[best.index + 1], currency)
        if units is not None:
            # The units row is the header's lower row: the data begin below it, and a scale
            # in it ("1000 kr" under the amount) is refused as it is in the header itself.
            return map_header(best.index + 1, units, column_map, currency)
    return best


# A unit written in the row under the header, one per column: kroner, a scale of kroner,
# another currency, a percentage, a range of points. Never a number: an amount typed as text
# ("kr 1 200 000") is an application, not a unit.
_UNIT = re.compile(
    r"(?:i\s+)?(?:hele\s+)?(?:kr\.?|kroner|nok|nkr)"
    r"|(?:i\s+)?(?:1\s?000|1\.000|tusen|t|mill\.?|millioner|mrd\.?|m)\s*(?:kr\.?|kroner|nok)"
    r"|(?:i\s+|in\s+)?(?:tusen|mill\.?|millioner|mrd\.?|mnok|tnok|mkr|tkr|thousands?|millions?)"
    r"|(?:i\s+|in\s+)?(?:eur|euro|sek|dkk|usd|gbp|chf|[€$£])"
    r"|%|prosent|percent|pst\.?|poeng|points?"
    r"|\d{1,3}\s*[-–]\s*\d{1,3}",
    re.IGNORECASE,
)


def _unit(cell: RawCell, currency: str = NOK) -> str | None:
    """The unit a cell of a units row states (``"kr"``, ``"(1000 kr)"``, ``"%"``, a currency's
    code: ``"PLN"``, or the round's in any case), or None."""
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    bare = text[1:-1].strip() if text[:1] in "([" and text[-1:] in ")]" else text
    if bare and (_UNIT.fullmatch(bare) or _CODE_UNIT.fullmatch(bare)):
        code = bare.split()[-1]
        if _UNIT.fullmatch(bare) or named_in(code, currency) == [code.upper()]:
            return text
    if (_KRONER_UNIT.fullmatch(bare) or _KRONER_SCALE_UNIT.fullmatch(bare)) and named_in(
        bare, currency
    ) == [currency]:
        # "kronor" under the amount in a round of Swedish kronor; "1000 kronor" there is a
        # scale, as "1000 kr" is in a round of kroner (refused with the header's note).
        return text
    return None


_CODE_UNIT = re.compile(r"(?:(?:i|in)\s+)?[A-Za-z]{3}", re.IGNORECASE)
_KRONER_UNIT = re.compile(
    r"(?:i\s+)?(?:" + "|".join(map(re.escape, KRONER_WORDS)) + ")", re.IGNORECASE
)
_KRONER_SCALE_UNIT = re.compile(
    r"(?:i\s+)?(?:1\s?000|1\.000|tusen|t|mill\.?|miljoner|millioner|mrd\.?|m)\s*(?:"
    + "|".join(map(re.escape, KRONER_WORDS))
    + ")",
    re.IGNORECASE,
)


def with_units(
    headers: Sequence[str], cells: Sequence[RawCell], currency: str = NOK
) -> list[RawCell] | None:
    """The header texts with the units of the row below them as a bracketed note (``"Søkt
    beløp (kr)"``), or None when that row is not a row of units only. ``currency``: the round's,
    whose code is a unit in any case (``"pln"``; another code in capitals, ``"PLN"``)."""
    combined: list[RawCell] = []
    found = False
    for i, header in enumerate(headers):
        cell = cells[i] if i < len(cells) else None
        if is_empty(cell):
            combined.append(header or None)
            continue
        unit = _unit(cell, currency)
        if unit is None:
            return None
        found = True
        note = unit if unit[:1] in "([" else f"({unit})"
        combined.append(f"{header} {note}" if header else note)
    if any(not is_empty(c) for c in cells[len(headers) :]):
        return None
    return combined if found else None


def filled_from_above(cells: Sequence[RawCell], above: Sequence[RawCell]) -> list[RawCell] | None:
    """``cells`` with each empty cell taken from the text above it; None when ``cells`` holds
    anything but text (a data row) or nothing is filled."""
    filled: list[RawCell] = []
    changed = False
    for i, cell in enumerate(cells):
        if cell is not None and not isinstance(cell, str):
            return None
        upper = above[i] if i < len(above) else None
        if (cell is None or not cell.strip()) and isinstance(upper, str) and upper.strip():
            filled.append(upper)
            changed = True
        else:
            filled.append(cell)
    return filled if changed else None


def normalize_column_map(column_map: Mapping[str, str]) -> dict[str, str]:
    """A user's column map keyed by normalised header text, as :func:`match_field` expects."""
    return {normalize_header(header): target for header, target in column_map.items()}
