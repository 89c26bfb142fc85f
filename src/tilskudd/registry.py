"""Municipality and county registers (bundled SSB data) and organisation numbers.

A :class:`Register` holds one numbering of Norway's municipalities and counties: ``"2009"`` (the
numbering of Difi's 2009 round), ``"2020"`` (2020-2023: Viken, Vestfold og Telemark, Troms og
Finnmark) or ``"2024"`` (current). It looks places up by number or by any
form of their name, forgiving case, accents and punctuation: ``"Hábmer - Hamarøy"`` is found as
``Hamarøy`` and as ``Hábmer``; ``"Herøy (Nordland)"`` as itself, while a bare ``Herøy`` is
ambiguous in 2024 and is refused with the candidates. A name or number that is only valid in
another numbering gets a hint naming that numbering (``0602 Drammen`` is 2009, ``3005 Drammen``
2020; in 2024 Drammen is ``3301``).

Failures are :class:`RegistryError` with a stable ``code`` and ``params``; the words for people
come from the locales catalogue (``validate.<code>``). Organisation numbers are checked with
python-stdnum (:func:`validate_orgnr`).
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

from tilskudd.controls import has_hidden, remove_hidden
from tilskudd.errors import TilskuddError, UsageError
from tilskudd.money import INVISIBLE
from tilskudd.orgid import (
    COUNTRY_CODES,
    ORG_ID_FORM,
    is_org_id,
    org_id_country,
    organisation_key,
    spaced_org_id,
)

__all__ = [
    "COUNTRY_CODES",
    "ORG_ID_FORM",
    "REGISTERS",
    "County",
    "Municipality",
    "OrgnrError",
    "Register",
    "RegistryError",
    "RegistryWarning",
    "get_register",
    "is_org_id",
    "is_plain_valid_orgnr",
    "normalise_name",
    "numberings_with",
    "org_id_country",
    "organisation_key",
    "spaced_org_id",
    "validate_orgnr",
]

RegisterYear = Literal["2009", "2020", "2024"]
REGISTERS: tuple[str, ...] = ("2009", "2020", "2024")
"""The bundled numberings; "2024" is the current one and the default."""
_OTHER_YEARS: dict[str, tuple[str, ...]] = {
    "2009": ("2024", "2020"),
    "2020": ("2024", "2009"),
    "2024": ("2020", "2009"),
}
"""The other numberings of each, in the order a hint names them when a place is in more than
one: the current numbering first, else the nearest in time."""
_COUNTY_NAMES = ("2024",)  # the numberings with a county_names_<year>.csv (data/README.md)

# Words for the whole country, as officers write it where a project has no one place (folded by
# normalise_name): not a municipality or county, and no misspelling of one ("Hele landet" is
# no "Høylandet").
_WHOLE_COUNTRY = frozenset(
    {
        "hele landet",
        "heile landet",
        "hele norge",
        "heile noreg",
        "norge",
        "noreg",
        "landsdekkende",
        "landsdekkande",
        "landsomfattende",
        "landsomfattande",
        "nasjonal",
        "nasjonalt",
        "whole country",
        "the whole country",
        "nationwide",
        "national",
        "norway",
        "all of norway",
    }
)

Kind = Literal["municipality", "county"]


@dataclass(frozen=True, slots=True)
class County:
    """A county (fylke): 2-digit number and name."""

    number: str
    name: str


@dataclass(frozen=True, slots=True)
class Municipality:
    """A municipality (kommune): 4-digit number, name, and its county."""

    number: str
    name: str
    county_number: str
    county_name: str


Place = Municipality | County


def _message(code: str, params: Mapping[str, Any]) -> str:
    # Imported here: i18n is only needed when an error is shown, not when one is raised and
    # collected by validation (which renders it later in the user's language).
    from tilskudd.issues import render_message

    return render_message(f"validate.{code}", params, "en")


class RegistryError(TilskuddError, LookupError):
    """A municipality or county that is not in the register (or is ambiguous there)."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = params
        super().__init__(code)

    def __str__(self) -> str:
        return _message(self.code, self.params)

    warning = False
    """A place was found; the problem is something the reader should know (a warning)."""

    @property
    def is_unknown(self) -> bool:
        """True when the text was not recognised at all (as opposed to ambiguous or misplaced)."""
        return self.code.endswith(("_unknown", "_unknown_nohint"))


class RegistryWarning(RegistryError):  # noqa: N818  # raised never; collected with the errors
    """A name found in the register that meant more than one place in the other numbering
    (``Sande``: one municipality in 2024, two in 2009): the place is used, and the reader told."""

    warning = True


class OrgnrError(TilskuddError, ValueError):
    """An organisation number that is not 9 digits with a valid mod-11 check digit."""

    def __init__(self, code: str, value: str, reason: str, digits: int) -> None:
        self.code = code
        self.value = value
        self.reason = reason
        """python-stdnum's own explanation (English)."""
        self.params: dict[str, Any] = {"value": value, "digits": digits}
        super().__init__(code)

    def __str__(self) -> str:
        return _message(self.code, self.params)


# --- names ----------------------------------------------------------------------------------

# ø and æ have no decomposition in Unicode, so NFKD alone would not fold them; nor have the
# Sami letters ŋ, đ and ŧ ("Porsáŋgu", written "Porsángu" in SSB's register).
_FOLD = str.maketrans(
    {"ø": "o", "æ": "ae", "ð": "d", "þ": "th", "ß": "ss", "ŋ": "n", "đ": "d", "ŧ": "t"}
)
# A soft hyphen inside a name ("Bæ\u00adrum", pasted from a web page) is no break in it.
_FOLD_INVISIBLE = {**_FOLD, **dict.fromkeys(map(ord, INVISIBLE))}
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "municipality": ("kommune", "municipality"),
    "county": ("fylkeskommune", "fylke", "county"),
}


def normalise_name(text: str) -> str:
    """Fold a place name for comparison: case, accents, punctuation and spacing ignored.

    ``"Hábmer - Hamarøy"`` -> ``"habmer hamaroy"``; ``"Ålesund"``, ``"Aalesund"`` -> ``"alesund"``.
    """
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD_INVISIBLE))
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch))
    # "aa" is the old spelling of "å" (Aalesund, Aarborte): fold both to "a".
    ascii_text = ascii_text.replace("aa", "a")
    return _NON_ALNUM.sub(" ", ascii_text).strip()


def _name_forms(name: str) -> set[str]:
    """Every form a place may be written as: the full name, each " - " part, the bare name."""
    forms = {name}
    base = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    if base:
        forms.add(base)
    for part in name.split(" - "):
        if part.strip():
            forms.add(part.strip())
    return {normalise_name(f) for f in forms if normalise_name(f)}


# --- the data -------------------------------------------------------------------------------


def _read_csv(filename: str) -> list[dict[str, str]]:
    text = (resources.files("tilskudd") / "data" / filename).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@dataclass(frozen=True, slots=True)
class _FormerCounty:
    """A county of 2020-2023 that the 2009 and 2024 numberings do not have (Viken): see
    data/README.md."""

    number: str
    name: str
    years: str
    successors: dict[str, tuple[str, ...]]
    """The counties of each numbering its area lies in, by numbering."""


@cache
def _former_counties() -> tuple[_FormerCounty, ...]:
    return tuple(
        _FormerCounty(
            r["county_number"],
            r["name"],
            f"{r['from']}\u2013{r['to']}",
            {year: tuple(r[f"counties_{year}"].split()) for year in REGISTERS},
        )
        for r in _read_csv("former_counties.csv")
    )


@cache
def _divided() -> dict[tuple[str, str], dict[str, tuple[str, ...]]]:
    """Municipalities divided between two numberings (1507 Ålesund of 2020: 1508 Ålesund and
    1580 Haram in 2024): by (numbering, number), the numbers in the other numbering, both ways
    (data/README.md)."""
    links: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
    for r in _read_csv("divided_municipalities.csv"):
        after = tuple(r["numbers_after"].split())
        links.setdefault((r["register"], r["number"]), {})[r["register_after"]] = after
        for number in after:
            links.setdefault((r["register_after"], number), {})[r["register"]] = (r["number"],)
    return links


@cache
def _same_area(year: str, other_year: str) -> dict[str, frozenset[str]]:
    """County number in ``other_year`` -> the counties of ``year`` its area lies in: the same
    number where both numberings have it, else through a county of 2020-2023 (Viken, 30, is
    31, 32 and 33 in 2024; 31 Østfold of 2024 is in 30). Complete between 2020 and 2024 only:
    former_counties.csv does not say where every county of 2009 went."""
    here = set(get_register(year).counties)
    there = set(get_register(other_year).counties)
    areas = {c: {c} & here for c in there}
    for former in _former_counties():
        for county in former.successors[other_year]:
            if county in areas:
                areas[county] |= set(former.successors[year]) & here
    return {c: frozenset(found) for c, found in areas.items()}


class _Directory:
    """One kind of place (municipalities or counties) in one numbering, with name forms."""

    def __init__(
        self,
        kind: Kind,
        year: str,
        places: Iterable[Place],
        width: int,
        other_names: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.kind: Kind = kind
        self.year = year
        self.width = width
        self.by_number: dict[str, Place] = {p.number: p for p in places}
        # Every name of a place: its register name, and any official name the register
        # leaves out (``other_names``: (number, name)), each with its " - " parts.
        self.names: dict[str, list[str]] = {n: [p.name] for n, p in self.by_number.items()}
        for number, name in other_names:
            self.names[number].append(name)
        forms: dict[str, list[str]] = {}
        for number, names in self.names.items():
            for name in names:
                for form in _name_forms(name):
                    numbers = forms.setdefault(form, [])
                    if number not in numbers:
                        numbers.append(number)
        self.forms: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in forms.items()}
        self._form_list = sorted(self.forms)

    def pad(self, digits: str) -> str | None:
        """A number as typed -> the register's width (301 -> 0301), or None if it cannot be."""
        if len(digits) == self.width:
            return digits
        if len(digits) < self.width and digits.lstrip("0"):
            # Spreadsheets drop leading zeros ("0301" -> 301); put them back.
            return digits.zfill(self.width)
        return None

    def numbers_for_name(self, text: str) -> tuple[str, ...]:
        """Numbers whose name has this form ((), one, or several when ambiguous)."""
        key = normalise_name(text)
        found = self.forms.get(key)
        if found is None:
            words = key.rsplit(" ", 1)
            if len(words) == 2 and words[1] in _SUFFIXES[self.kind]:
                # "Bergen kommune", "Nordland fylkeskommune": the name without its suffix.
                found = self.forms.get(words[0])
        return found or ()

    def parallel_names(self, text: str) -> tuple[str, ...]:
        """The " - " parts of the one place named ``text`` here, when it has more than one
        ("Hábmer - Hamarøy" for ``Hábmer``): names of the same municipality in other languages."""
        numbers = self.numbers_for_name(text)
        if len(numbers) != 1:
            return ()
        parts = [p.strip() for n in self.names[numbers[0]] for p in n.split(" - ")]
        return tuple(p for p in parts if p) if len(parts) > 1 else ()

    def suggestions(self, text: str) -> list[str]:
        """Up to three names close to ``text`` (difflib), best first."""
        key = normalise_name(text)
        out: list[str] = []
        for form in difflib.get_close_matches(key, self._form_list, n=6, cutoff=0.6):
            for number in self.forms[form]:
                name = self.by_number[number].name
                if name not in out:
                    out.append(name)
        return out[:3]

    def describe(self, numbers: Iterable[str]) -> list[str]:
        return [f"{n} {self.by_number[n].name}" for n in numbers]


@dataclass(frozen=True, slots=True)
class _Parsed:
    places: tuple[Place, ...]
    errors: tuple[RegistryError, ...]


_HARD_SEPARATORS = re.compile(r"[,;\n\r\t&/|]+")
_OTHER_SEPARATORS = re.compile(r"[;\n\r\t&/|]")  # the hard ones but the comma
_SOFT_SEPARATOR = re.compile(r"\s+(?:og|and|\+)\s+", re.IGNORECASE)
# "Bærum, Asker, og Lier" and "Bærum og" + line break + "Asker": a conjunction left at an end.
_DANGLING = re.compile(r"^(?:og|and|\+)\s+|\s+(?:og|and|\+)$", re.IGNORECASE)
_NUMBER = re.compile(r"^\d+$")
_NAME_THEN_BRACKET = re.compile(r"^(\D+?)\s*\(([^()]+)\)$")
_NUMBER_THEN_NAME = re.compile(r"^(\d{1,4})\s*[-–:.]?\s+(\D.*)$")
_NAME_THEN_NUMBER = re.compile(r"^(\D.*?)\s*\(\s*(\d{1,4})\s*\)$")
_NUMBERS_BY_SPACE = re.compile(r"^\d{3,4}(?:\s+\d{3,4})+$")


def _soft_split(piece: str) -> list[str]:
    """Split on " og " / " and " outside parentheses ("Herøy (Møre og Romsdal)" stays whole)."""
    parts: list[str] = []
    start = 0
    for match in _SOFT_SEPARATOR.finditer(piece):
        before = piece[: match.start()]
        if before.count("(") > before.count(")"):
            continue
        parts.append(piece[start : match.start()])
        start = match.end()
    parts.append(piece[start:])
    return [p.strip() for p in parts if p.strip()]


class Register:
    """Municipalities and counties in one numbering ("2009", "2020" or "2024"); see
    :func:`get_register`."""

    def __init__(self, year: str = "2024") -> None:
        if year not in REGISTERS:
            raise UsageError(f"unknown register {year!r}; expected one of {', '.join(REGISTERS)}")
        self.year = year
        municipalities = [
            Municipality(r["number"], r["name"], r["county_number"], r["county_name"])
            for r in _read_csv(f"kommuner_{year}.csv")
        ]
        counties = [
            County(r["county_number"], r["county_name"]) for r in _read_csv(f"fylker_{year}.csv")
        ]
        county_names = (
            [(r["county_number"], r["name"]) for r in _read_csv(f"county_names_{year}.csv")]
            if year in _COUNTY_NAMES
            else []
        )
        self._dirs: dict[Kind, _Directory] = {
            "municipality": _Directory("municipality", year, municipalities, 4),
            "county": _Directory("county", year, counties, 2, county_names),
        }
        self._cache: dict[tuple[Kind, str, object], _Parsed] = {}
        self._items: dict[tuple[Kind, str], Place | RegistryError] = {}
        # Items of municipality cells known to be one municipality, by their text as written:
        # every number to start with, then each item the full parser has resolved.
        self._quick: dict[str, Municipality] = dict(self.municipalities)
        # Names found with something the reader should know (they meant several places in the
        # other numbering; a part of them is no name of the place), by the text: the warning.
        self._warnings: dict[tuple[Kind, str], RegistryWarning] = {}

    def __repr__(self) -> str:
        return f"Register({self.year!r})"

    @property
    def other_years(self) -> tuple[str, ...]:
        """The other bundled numberings, in the order hints name them (:data:`_OTHER_YEARS`)."""
        return _OTHER_YEARS[self.year]

    def _others(self, kind: Kind) -> list[_Directory]:
        """The same kind of place in each other numbering, in :attr:`other_years` order."""
        return [get_register(year)._dirs[kind] for year in self.other_years]

    @property
    def municipalities(self) -> Mapping[str, Municipality]:
        """Municipalities by 4-digit number."""
        return self._dirs["municipality"].by_number  # type: ignore[return-value]

    @property
    def counties(self) -> Mapping[str, County]:
        """Counties by 2-digit number."""
        return self._dirs["county"].by_number  # type: ignore[return-value]

    # --- single lookups -----------------------------------------------------------------------

    def municipality(self, value: str | int | float | Decimal) -> Municipality:
        """One municipality by number (``"0301"``, ``301``) or name; else :class:`RegistryError`."""
        place = self._one("municipality", value)
        assert isinstance(place, Municipality)
        return place

    def county(self, value: str | int | float | Decimal) -> County:
        """One county by number (``"03"``, ``3``) or name, or raise :class:`RegistryError`."""
        place = self._one("county", value)
        assert isinstance(place, County)
        return place

    def _one(self, kind: Kind, value: str | int | float | Decimal) -> Place:
        if isinstance(value, str):
            return self._lookup_text(kind, value.strip())
        return self._lookup_number(kind, _number_text(value), shown=str(value))

    # --- several per cell ---------------------------------------------------------------------

    def find_municipalities(
        self, value: object
    ) -> tuple[tuple[Municipality, ...], tuple[RegistryError, ...]]:
        """Every municipality in a cell, and an error per item that is not one.

        Items are separated by comma, semicolon, newline, ``&``, ``/``, ``og`` or ``and``;
        names that contain ``og`` (Evje og Hornnes) or parentheses stay whole. Duplicates are
        dropped, first occurrence kept.
        """
        parsed = self._find("municipality", value)
        return parsed.places, parsed.errors  # type: ignore[return-value]

    def municipality_numbers(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The common cell, fast: its municipality numbers and their counties, or None.

        A cell of comma-separated items that are each one municipality gives the numbers
        (duplicates dropped, first kept) and the counties in the order their municipalities
        come: what :meth:`find_municipalities` finds, at a fifth of the cost. Anything else
        (another separator, an item in error or needing a split) gives None: the full parser
        decides and explains. A property test checks that the two agree.
        """
        if _OTHER_SEPARATORS.search(text):
            return None
        quick = self._quick
        numbers: list[str] = []
        counties: list[str] = []
        for piece in text.split(","):
            item = piece.strip()
            if not item:
                continue
            place = quick.get(item)
            if place is None:
                found = self._resolve("municipality", item)
                if not isinstance(found, Municipality):
                    return None
                if ("municipality", item) in self._warnings:
                    return None  # found, with a warning the full parser gives
                place = found
                if len(quick) < 200_000:
                    quick[item] = place
            if place.number not in numbers:
                numbers.append(place.number)
                if place.county_number not in counties:
                    counties.append(place.county_number)
        return tuple(numbers), tuple(counties)

    def find_counties(self, value: object) -> tuple[tuple[County, ...], tuple[RegistryError, ...]]:
        """Every county in a cell (same separators as :meth:`find_municipalities`)."""
        parsed = self._find("county", value)
        return parsed.places, parsed.errors  # type: ignore[return-value]

    def _find(self, kind: Kind, value: object) -> _Parsed:
        key = (kind, type(value).__name__, value)
        try:
            return self._cache[key]
        except KeyError:
            pass
        except TypeError:  # unhashable: not a cell value we know; parse without caching
            return self._parse(kind, value)
        parsed = self._parse(kind, value)
        if len(self._cache) < 200_000:
            self._cache[key] = parsed
        return parsed

    def _parse(self, kind: Kind, value: object) -> _Parsed:
        places: list[Place] = []
        errors: list[RegistryError] = []

        def add(place: Place) -> None:
            if place not in places:
                places.append(place)

        if value is None or (isinstance(value, str) and not value.strip()):
            return _Parsed((), ())
        if not isinstance(value, str):
            try:
                add(self._lookup_number(kind, _number_text(value), shown=str(value)))
            except RegistryError as exc:
                errors.append(exc)
            return _Parsed(tuple(places), tuple(errors))
        # Each cell is parsed once (see _find), and each item looked up once (_resolve).
        for piece in _HARD_SEPARATORS.split(value):
            piece = piece.strip()
            if not piece:
                continue
            if _NUMBERS_BY_SPACE.match(piece):
                items: list[str] = piece.split()
            else:
                items = [piece]
            for item in items:
                self._parse_piece(kind, item, add, errors)
        return _Parsed(tuple(places), tuple(errors))

    def _resolve(self, kind: Kind, text: str) -> Place | RegistryError:
        """One item of a cell: the place, or the error saying why not (cached per text)."""
        key = (kind, text)
        hit = self._items.get(key)
        if hit is None:
            try:
                hit = self._lookup_text(kind, text)
            except RegistryError as exc:
                hit = exc.with_traceback(None)  # kept in a cache: hold no frames
            if len(self._items) < 200_000:
                self._items[key] = hit
        return hit

    def _take(
        self, kind: Kind, text: str, found: Place | RegistryError, add: Any, errors: list[Any]
    ) -> None:
        """Take one resolved item of a cell: the place with the warning its name may carry
        (:meth:`_lookup_name` records it), or the error."""
        if isinstance(found, RegistryError):
            errors.append(found)
            return
        add(found)
        warning = self._warnings.get((kind, text))
        if warning is not None:
            errors.append(warning)

    def _parse_piece(self, kind: Kind, piece: str, add: Any, errors: list[RegistryError]) -> None:
        whole = self._resolve(kind, piece)
        if not isinstance(whole, RegistryError):
            self._take(kind, piece, whole, add, errors)
            return
        whole_error = whole
        if has_hidden(piece):
            # A bidi control or control character is never part of a name (tilskudd.controls):
            # "Os\u202elo" is Oslo when the place is found without it. Else the error quotes
            # the text as typed, and says which character is in it.
            places: list[Place] = []
            problems: list[RegistryError] = []
            self._parse_piece(kind, remove_hidden(piece), places.append, problems)
            if places and all(problem.warning for problem in problems):
                for place in places:
                    add(place)
                errors.extend(problems)
                return
        trimmed = _DANGLING.sub("", piece)
        if trimmed and trimmed != piece:
            self._parse_piece(kind, trimmed, add, errors)
            return
        parts = _soft_split(piece)
        if len(parts) < 2:
            errors.append(whole_error)
            return
        # Greedy longest match over the " og "-separated parts: "Evje og Hornnes og Vennesla".
        results: list[Place | RegistryError] = []
        texts: list[str] = []
        i = 0
        while i < len(parts):
            for j in range(len(parts), i, -1):
                text = " og ".join(parts[i:j]) if j - i > 1 else parts[i]
                result = self._resolve(kind, text)
                if not isinstance(result, RegistryError) or j == i + 1:
                    results.append(result)
                    texts.append(text)
                    i = j
                    break
        if all(isinstance(r, RegistryError) and r.is_unknown for r in results):
            # Nothing recognised in the parts: the whole text is one unknown name, and its
            # did-you-mean ("Evje og Hornes" -> Evje og Hornnes) is the most helpful.
            errors.append(whole_error)
            return
        for result, text in zip(results, texts, strict=True):
            self._take(kind, text, result, add, errors)

    # --- the lookups proper -------------------------------------------------------------------

    def _lookup_text(self, kind: Kind, text: str) -> Place:
        if _NUMBER.match(text):
            return self._lookup_number(kind, text, shown=text)
        for pattern, number_group, name_group in (
            (_NUMBER_THEN_NAME, 1, 2),
            (_NAME_THEN_NUMBER, 2, 1),
        ):
            match = pattern.match(text)
            if match:
                place = self._lookup_number(kind, match.group(number_group), shown=text)
                name = match.group(name_group).strip()
                if normalise_name(name) not in _name_forms(place.name) and place.number not in (
                    self._numbers_named(kind, name)
                ):
                    raise RegistryError(
                        f"{kind}_mismatch",
                        item=text,
                        number=place.number,
                        name=place.name,
                        given=name,
                        register=self.year,
                    )
                return place
        return self._lookup_name(kind, text)

    def _not_a_place(self, kind: Kind, folded: str, text: str, number: str | None = None) -> None:
        """Raise for a name (``folded``) or a county ``number`` that is no place of the register
        but says something a spreadsheet means: the whole country ("Hele landet"), or a county
        of 2020-2023 (Viken, 30). A did-you-mean would send the officer to the wrong place."""
        if number is None and folded in _WHOLE_COUNTRY:
            raise RegistryError(f"{kind}_whole_country", item=text, register=self.year)
        bare = re.sub(r" (?:fylkeskommune|fylke|county)$", "", folded)  # "Viken fylke"
        for former in _former_counties():
            if former.number in self._dirs["county"].by_number:
                continue  # a county of this numbering (Viken in 2020), no former one
            if (number == former.number and kind == "county") or (
                number is None and bare in _name_forms(former.name)
            ):
                counties = self._dirs["county"].describe(former.successors[self.year])
                raise RegistryError(
                    f"{kind}_former_county",
                    item=text,
                    county=f"{former.number} {former.name}",
                    years=former.years,
                    counties=counties,
                    register=self.year,
                )

    def _lookup_number(self, kind: Kind, digits: str | None, *, shown: str) -> Place:
        directory = self._dirs[kind]
        number = directory.pad(digits) if digits is not None and _NUMBER.match(digits) else None
        if number is not None and number in directory.by_number:
            return directory.by_number[number]
        if number is not None and kind == "county":
            # Viken (30) under 2024: where its area lies now says more than "use 2020".
            self._not_a_place(kind, "", shown, number)
        for other in self._others(kind) if number is not None else ():
            elsewhere = other.by_number.get(number)  # type: ignore[arg-type]
            if elsewhere is not None:
                current = directory.describe(self._counterparts(other, elsewhere))
                params: dict[str, Any] = {
                    "item": shown,
                    "number": number,
                    "name": elsewhere.name,
                    "register": self.year,
                    "other_register": other.year,
                }
                if current:
                    raise RegistryError(f"{kind}_number_moved", current=current, **params)
                raise RegistryError(f"{kind}_number_other_register", **params)
        raise RegistryError(
            f"{kind}_number_unknown",
            item=shown,
            number=number or digits or shown,
            register=self.year,
        )

    def _counterparts(self, other: _Directory, place: Place) -> tuple[str, ...]:
        """The places here that ``place`` of the ``other`` numbering is, or was part of: the one
        of its name (or of one of its parts); between 2020 and 2024, of its name without its
        county in brackets in a county its area lies in ("3018 Våler (Viken)" of 2020 is "3114
        Våler (Østfold)" in 2024), and for a county the one its area lies in (31 Østfold of
        2024 is in 30 Viken); for a municipality divided in between, each part (1507 Ålesund
        of 2020: 1508 Ålesund and 1580 Haram)."""
        directory = self._dirs[other.kind]
        divided = _divided().get((other.year, place.number), {}).get(self.year)
        if divided is not None:
            return tuple(n for n in divided if n in directory.by_number)
        numbers = directory.numbers_for_name(place.name)
        if not numbers:
            # "Harstad - Hárstták" of 2024 is "Harstad" of 2020: the place one of its parts names.
            parts = {
                n for part in place.name.split(" - ") for n in directory.numbers_for_name(part)
            }
            numbers = tuple(parts) if len(parts) == 1 else ()
        if numbers or {self.year, other.year} != {"2020", "2024"}:
            # Between these two every municipality kept its name but for the bracket, and a
            # county's area is its successors' (former_counties.csv); not so with 2009: 0616
            # Nes (Buskerud) is no 3228 Nes (it went into Nesbyen in 2020), 05 Oppland mostly
            # no part of Viken.
            return numbers
        areas = _same_area(self.year, other.year)
        if not isinstance(place, Municipality):
            # 31 Østfold of 2024 is part of 30 Viken in 2020; 30 Viken is three counties in
            # 2024, and said so before this (_not_a_place).
            return tuple(sorted(areas.get(place.number, frozenset())))
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", place.name)
        counties = areas.get(place.county_number, frozenset())
        found = tuple(
            n
            for n in directory.numbers_for_name(bare)
            if directory.by_number[n].county_number in counties  # type: ignore[union-attr]
        )
        return found if len(found) == 1 else ()

    def _in_named_county(self, text: str) -> tuple[str, ...]:
        """'Bærum (Akershus)': the municipalities of that name in the county in brackets."""
        match = _NAME_THEN_BRACKET.match(text)
        if match is None:
            return ()
        county = normalise_name(match.group(2))
        municipalities = self._dirs["municipality"]
        found = []
        for number in municipalities.numbers_for_name(match.group(1)):
            place = municipalities.by_number[number]
            if isinstance(place, Municipality) and county in _name_forms(place.county_name):
                found.append(number)
        return tuple(found)

    def _numbers_by_other_name(self, kind: Kind, text: str) -> tuple[str, ...]:
        """The place here that ``text`` names in another numbering's register by one of its
        names in several languages ("Hábmer - Hamarøy" there is Hamarøy here; so is Hábmer)."""
        directory = self._dirs[kind]
        found: set[str] = set()
        for other in self._others(kind):
            for part in other.parallel_names(text):
                found.update(directory.numbers_for_name(part))
        return tuple(found) if len(found) == 1 else ()

    def _numbers_by_parts(self, kind: Kind, text: str) -> tuple[tuple[str, ...], list[str]]:
        """A name of the form "Tromsø - Romsa" not written so in the register: the one place
        its " - " parts name (in either numbering's register), and the parts that name nothing.
        ((), []) when the parts name no place, or more than one."""
        parts = [p.strip() for p in text.split(" - ") if p.strip()]
        if len(parts) < 2:
            return (), []
        directory = self._dirs[kind]
        found: set[str] = set()
        unknown: list[str] = []
        for part in parts:
            numbers = directory.numbers_for_name(part) or self._numbers_by_other_name(kind, part)
            if numbers:
                found.update(numbers)
            else:
                unknown.append(part)
        if len(found) != 1:
            return (), []
        return tuple(found), unknown

    def _numbers_named(self, kind: Kind, name: str) -> tuple[str, ...]:
        """Every number a name may mean here, by any of the ways :meth:`_lookup_name` finds it."""
        return (
            self._dirs[kind].numbers_for_name(name)
            or self._numbers_by_other_name(kind, name)
            or self._numbers_by_parts(kind, name)[0]
        )

    def _lookup_name(self, kind: Kind, text: str) -> Place:
        directory = self._dirs[kind]
        numbers = directory.numbers_for_name(text)
        if len(numbers) == 1:
            place = directory.by_number[numbers[0]]
            # A name that meant several places in another numbering (Sande, Bø, Os, Nes:
            # one municipality each since 2020, two in 2009) may be the other one in an old
            # sheet: found, with a warning (validation shows it for the cell).
            for other in self._others(kind):
                meanings = other.numbers_for_name(text)
                if len(meanings) > 1:
                    self._warnings[(kind, text)] = RegistryWarning(
                        f"{kind}_name_meant_more",
                        item=text,
                        found=f"{place.number} {place.name}",
                        register=self.year,
                        other_register=other.year,
                        candidates=other.describe(meanings),
                    )
                    break
            return place
        if not numbers and kind == "municipality":
            numbers = self._in_named_county(text)
        if not numbers:
            # A name in Sami or Kven that one numbering's register gives and the other does
            # not (Snåase, Loabák and Hábmer since 2008-2020), or the parts of a name in another
            # order or with a part the register leaves out ("Hamarøy - Hábmer", "Tromsø - Romsa").
            numbers = self._numbers_by_other_name(kind, text)
            if not numbers:
                numbers, unknown = self._numbers_by_parts(kind, text)
                if numbers and unknown:
                    place = directory.by_number[numbers[0]]
                    self._warnings[(kind, text)] = RegistryWarning(
                        f"{kind}_name_part_unknown",
                        item=text,
                        found=f"{place.number} {place.name}",
                        parts=unknown,
                        register=self.year,
                    )
        if len(numbers) == 1:
            return directory.by_number[numbers[0]]
        if numbers:
            raise RegistryError(
                f"{kind}_ambiguous",
                item=text,
                candidates=directory.describe(numbers),
                register=self.year,
            )
        self._not_a_place(kind, normalise_name(text), text)
        for other in self._others(kind):
            elsewhere = other.numbers_for_name(text)
            if elsewhere:
                return_params: dict[str, Any] = {
                    "item": text,
                    "register": self.year,
                    "other_register": other.year,
                    "candidates": other.describe(elsewhere),
                }
                # "Våler (Viken)" of 2020 is "3114 Våler (Østfold)" in 2024: said with it.
                current = [
                    n for e in elsewhere for n in self._counterparts(other, other.by_number[e])
                ]
                if current:
                    current = list(dict.fromkeys(current))
                    raise RegistryError(
                        f"{kind}_name_moved", current=directory.describe(current), **return_params
                    )
                raise RegistryError(f"{kind}_name_other_register", **return_params)
        suggestions = directory.suggestions(text)
        if suggestions:
            raise RegistryError(
                f"{kind}_unknown", item=text, suggestions=suggestions, register=self.year
            )
        raise RegistryError(f"{kind}_unknown_nohint", item=text, register=self.year)


def _number_text(value: object) -> str | None:
    """A numeric cell's digits (301.0 -> '301'), or None when it is not a whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if value >= 0 else None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value() and value >= 0:
            return str(int(value))
        return None
    return None


@cache
def get_register(year: str = "2024") -> Register:
    """The register for a numbering, ``"2009"``, ``"2020"`` or ``"2024"`` (read once, then
    cached)."""
    return Register(year)


def numberings_with(kind: Kind, *, number: str = "", name: str = "") -> tuple[str, ...]:
    """The bundled numberings that have a ``kind`` of place with this number (as the register
    writes it, ``"3001"``) or this name (any of its forms): which numbering a sheet's place
    belongs to, when it is not in the one checked against."""
    found = []
    for year in REGISTERS:
        directory = get_register(year)._dirs[kind]
        if (number and number in directory.by_number) or (
            name and directory.numbers_for_name(name)
        ):
            found.append(year)
    return tuple(found)


# --- organisation numbers -------------------------------------------------------------------

_ORGNR_NOISE = re.compile(f"[\\s.\\-\u00a0\u202f\u2009\u2007{INVISIBLE}]+")
_ORGNR_AFFIX = re.compile(r"^(?:no)?(.*?)(?:mva)?$", re.IGNORECASE)


def _orgnr_text(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        digits = _number_text(value)
        return digits if digits is not None else str(value)
    return str(value)


@lru_cache(maxsize=1 << 16)
def _check_orgnr(text: str) -> tuple[str, str, str]:
    """(digits, '', '') when valid, else ('', code, stdnum's reason). Cached: orgnrs repeat."""
    if not text.isascii():
        # Full-width digits (９７４７６０６７３, from East Asian input or some PDFs) and the
        # ideographic space are the digits and the space they look like: NFKC makes them so.
        text = unicodedata.normalize("NFKC", text)
    compact = _ORGNR_NOISE.sub("", text)
    match = _ORGNR_AFFIX.match(compact)
    candidate = match.group(1) if match else compact
    if not candidate.isascii():
        return "", "orgnr_format", "The number has an invalid format."
    # Imported here: most cells are plain orgnrs (is_plain_valid_orgnr), and python-stdnum
    # brings pydoc and ssl along (10 ms of start-up).
    from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError
    from stdnum.no import orgnr as stdnum_orgnr

    try:
        return stdnum_orgnr.validate(candidate), "", ""
    except InvalidLength as exc:  # before InvalidFormat: stdnum derives one from the other
        return "", "orgnr_length", str(exc)
    except InvalidChecksum as exc:
        return "", "orgnr_checksum", str(exc)
    except ValidationError as exc:
        return "", "orgnr_format", str(exc)


def is_plain_valid_orgnr(text: str) -> bool:
    """True when ``text`` is exactly 9 ASCII digits with a valid mod-11 check digit.

    The fast path for the common cell (measured 0.8 µs against 9-12 µs for python-stdnum, which
    was most of the time of validating 100k rows with distinct orgnrs). It only ever accepts:
    anything it refuses goes to python-stdnum, which decides and explains; a property test
    checks that the two agree.
    """
    if len(text) != 9 or not text.isdigit() or not text.isascii():
        return False
    b = text.encode()
    # Weights 3 2 7 6 5 4 3 2 1 (Brønnøysund's mod 11); 33 * 48 removes the ASCII '0' offsets.
    total = 3 * b[0] + 2 * b[1] + 7 * b[2] + 6 * b[3] + 5 * b[4] + 4 * b[5] + 3 * b[6]
    return (total + 2 * b[7] + b[8] - 33 * 48) % 11 == 0


def validate_orgnr(value: object) -> str:
    """Return an organisation number's 9 digits, or raise :class:`OrgnrError`.

    Accepts ``"974 760 673"``, ``"974760673"``, ``"NO 974 760 673 MVA"`` and numeric cells
    (``974760673.0``); the check digit is verified (mod 11) by python-stdnum.
    """
    if type(value) is str and is_plain_valid_orgnr(value):
        return value
    text = _orgnr_text(value).strip()
    digits, code, reason = _check_orgnr(text)
    if code:
        raise OrgnrError(code, text, reason, sum(ch.isdigit() for ch in text))
    return digits
