"""The 2020-2023 numbering (kommuner_2020.csv, fylker_2020.csv), read directly and through the
register: counts per county, and every municipality of 2024 traced back to one of 2020.

The files are checked against each other and against kommuner_2024.csv, not against SSB (there
is no network in the tests): data/README.md says where the rows come from and how they were
checked. Between the two numberings only the county reform of 2024 happened: Viken, Vestfold og
Telemark and Troms og Finnmark were split along their old county lines and their municipalities
renumbered, and Haram left Ålesund (1507 Ålesund became 1508 Ålesund and 1580 Haram).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from importlib import resources

import pytest

from tilskudd.registry import RegistryError, get_register

DATA = resources.files("tilskudd") / "data"

SPLIT_COUNTIES = {"30": {"31", "32", "33"}, "38": {"39", "40"}, "54": {"55", "56"}}
"""The counties of 2020-2023 that the 2024 reform split, and the counties their area lies in."""


def _rows(name: str) -> list[dict[str, str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _forms(name: str) -> set[str]:
    """A name's Norwegian, Sami and Kven parts, without a county in brackets, in lower case."""
    return {re.sub(r"\s*\([^)]*\)$", "", part).strip().casefold() for part in name.split(" - ")}


NEW_IN_2024 = {
    number: r["number"]
    for r in _rows("divided_municipalities.csv")
    if (r["register"], r["register_after"]) == ("2020", "2024")
    for number in r["numbers_after"].split()
    if number != "1508"
}
"""Municipalities of 2024 with no namesake in 2020, and the municipality of 2020 they came
from, as divided_municipalities.csv says: Haram, split from Ålesund on 1 January 2024."""
MUNICIPALITIES_2020 = _rows("kommuner_2020.csv")
MUNICIPALITIES_2024 = _rows("kommuner_2024.csv")
COUNTIES_2020 = {r["county_number"]: r["county_name"] for r in _rows("fylker_2020.csv")}
COUNTIES_2024 = {r["county_number"]: r["county_name"] for r in _rows("fylker_2024.csv")}


def test_the_files_have_the_columns_of_the_other_numberings() -> None:
    assert list(MUNICIPALITIES_2020[0]) == list(MUNICIPALITIES_2024[0])
    assert list(_rows("fylker_2020.csv")[0]) == list(_rows("fylker_2024.csv")[0])


def test_356_municipalities_in_11_counties() -> None:
    assert len(MUNICIPALITIES_2020) == 356
    assert len({r["number"] for r in MUNICIPALITIES_2020}) == 356
    assert COUNTIES_2020 == {
        "03": "Oslo",
        "11": "Rogaland",
        "15": "Møre og Romsdal",
        "18": "Nordland",
        "30": "Viken",
        "34": "Innlandet",
        "38": "Vestfold og Telemark",
        "42": "Agder",
        "46": "Vestland",
        "50": "Trøndelag",
        "54": "Troms og Finnmark",
    }


def test_every_row_is_in_the_county_its_number_begins_with() -> None:
    for row in MUNICIPALITIES_2020:
        assert re.fullmatch(r"\d{4}", row["number"]), row
        assert row["number"][:2] == row["county_number"], row
        assert COUNTIES_2020[row["county_number"]] == row["county_name"], row


def test_counts_per_county() -> None:
    counts = Counter(r["county_number"] for r in MUNICIPALITIES_2020)
    later = Counter(r["county_number"] for r in MUNICIPALITIES_2024)
    # The split counties hold what their successors hold: 12 + 21 + 18, 6 + 17, 21 + 18.
    assert (counts["30"], counts["38"], counts["54"]) == (51, 23, 39)
    for county, successors in SPLIT_COUNTIES.items():
        assert counts[county] == sum(later[c] for c in successors)
    # Elsewhere the same, but for Haram (Møre og Romsdal), which left Ålesund in 2024.
    for county in set(COUNTIES_2020) - set(SPLIT_COUNTIES):
        assert counts[county] == later[county] - (county == "15"), county


def _successors(row: dict[str, str]) -> list[str]:
    """The municipalities of 2024 with a name of ``row`` (2020), in the counties its area
    lies in."""
    county = row["county_number"]
    counties = SPLIT_COUNTIES.get(county, {county})
    return [
        later["number"]
        for later in MUNICIPALITIES_2024
        if later["county_number"] in counties and _forms(later["name"]) & _forms(row["name"])
    ]


def test_every_municipality_of_2020_has_one_namesake_in_2024() -> None:
    for row in MUNICIPALITIES_2020:
        assert len(_successors(row)) == 1, row


def test_every_municipality_of_2024_has_a_predecessor_in_2020() -> None:
    traced = {s: row["number"] for row in MUNICIPALITIES_2020 for s in _successors(row)}
    untraced = {r["number"] for r in MUNICIPALITIES_2024} - set(traced)
    assert untraced == set(NEW_IN_2024)
    numbers_2020 = {r["number"] for r in MUNICIPALITIES_2020}
    assert set(NEW_IN_2024.values()) <= numbers_2020


def test_outside_the_split_counties_the_numbers_are_those_of_2024() -> None:
    by_number = {r["number"]: r for r in MUNICIPALITIES_2024}
    moved = {
        row["number"]: _successors(row)[0]
        for row in MUNICIPALITIES_2020
        if row["county_number"] not in SPLIT_COUNTIES and _successors(row) != [row["number"]]
    }
    # Ålesund's number changed when Haram left it; every other number is the same.
    assert moved == {"1507": "1508"}
    for row in MUNICIPALITIES_2020:
        if row["county_number"] not in SPLIT_COUNTIES and row["number"] in by_number:
            assert by_number[row["number"]]["county_number"] == row["county_number"]


def test_known_numbers_of_the_split_counties() -> None:
    # As SSB's change list for 1 January 2024 gives them (data/README.md): one per county of
    # 2024, and the municipalities the lane's users asked for by name.
    expected = {
        "3001": ("Halden", "3101"),
        "3024": ("Bærum", "3201"),
        "3005": ("Drammen", "3301"),
        "3018": ("Våler (Viken)", "3114"),
        "3053": ("Jevnaker", "3236"),
        "3803": ("Tønsberg", "3905"),
        "3811": ("Færder", "3911"),
        "3806": ("Porsgrunn", "4001"),
        "5401": ("Tromsø", "5501"),
        "5412": ("Tjeldsund", "5512"),
        "5430": ("Guovdageaidnu - Kautokeino", "5612"),
        "5444": ("Sør-Varanger", "5605"),
    }
    by_number = {r["number"]: r for r in MUNICIPALITIES_2020}
    for number, (name, later) in expected.items():
        assert by_number[number]["name"] == name
        assert _successors(by_number[number]) == [later]


# --- through the register ----------------------------------------------------------------------


def _error(year: str, value: str, kind: str = "municipality") -> RegistryError:
    register = get_register(year)
    lookup = register.municipality if kind == "municipality" else register.county
    with pytest.raises(RegistryError) as info:
        lookup(value)
    return info.value


def test_the_register_of_2020() -> None:
    register = get_register("2020")
    assert (len(register.municipalities), len(register.counties)) == (356, 11)
    assert register.municipality("3001").name == "Halden"
    assert register.municipality("3024 Bærum").number == "3024"
    assert register.municipality("Tønsberg").number == "3803"
    assert register.municipality("Våler (Viken)").number == "3018"
    assert register.municipality("Bærum (Viken)").number == "3024"
    assert register.county("30").name == "Viken"
    assert register.county("Troms og Finnmark").number == "54"
    assert register.county("Viken fylkeskommune").number == "30"


@pytest.mark.parametrize(
    ("name", "number"),
    [
        # Names SSB's register gives since 2024, found in 2020 through the 2024 register.
        ("Harstad - Hárstták", "5402"),
        # As lists of 2023 write them (data/README.md), in another order than 2024's.
        ("Tjeldsund - Dielddanuorri", "5412"),
        ("Hammerfest - Hámmerfeasta", "5406"),
        ("Nordreisa - Ráisa - Raisi", "5428"),
        ("Namsos - Nåavmesjenjaelmie", "5007"),
        ("Sortland - Suortá", "1870"),
        ("Evenes - Evenášši", "1853"),
        ("Hamarøy - Hábmer", "1875"),
        ("Hárstták", "5402"),
        ("Hábmer - Hamarøy", "1875"),
        ("Dielddanuorri", "5412"),
        ("Tråante", "5001"),
        # Those of 2009 too.
        ("Snåsa", "5041"),
    ],
)
def test_a_name_of_the_same_municipality_in_another_numbering_is_found(
    name: str, number: str
) -> None:
    places, problems = get_register("2020").find_municipalities(name)
    assert ([p.number for p in places], problems) == ([number], ())


def test_a_county_of_2020_is_a_county_in_its_own_numbering_and_no_municipality() -> None:
    # Not "Viken was a county in 2020-2023": in this numbering it is one. As a municipality it
    # is unknown, which validation says as "the county 30 Viken, not a municipality".
    assert _error("2020", "Viken").code == "municipality_unknown"
    assert _error("2024", "Viken").code == "municipality_former_county"
    assert _error("2024", "30", "county").code == "county_former_county"


@pytest.mark.parametrize(
    ("year", "value", "other", "code"),
    [
        ("2024", "3001", "2020", "municipality_number_moved"),
        ("2024", "1507", "2020", "municipality_number_moved"),  # now 1508 Ålesund
        ("2024", "Våler (Viken)", "2020", "municipality_name_moved"),
        ("2024", "0602", "2009", "municipality_number_moved"),
        ("2020", "3101", "2024", "municipality_number_moved"),
        ("2020", "0602", "2009", "municipality_number_moved"),
        ("2020", "1580", "2024", "municipality_number_moved"),  # Haram: part of 1507 Ålesund
        ("2009", "3024", "2020", "municipality_number_moved"),
        # In 2020's numbering and 2024's: the current one is named.
        ("2009", "3401", "2024", "municipality_number_moved"),
    ],
)
def test_a_place_of_another_numbering_names_that_numbering(
    year: str, value: str, other: str, code: str
) -> None:
    error = _error(year, value)
    assert (error.code, error.params["other_register"]) == (code, other)
    assert f"--register {other}" in str(error)


def test_the_one_division_between_the_numberings_is_haram_from_alesund() -> None:
    assert NEW_IN_2024 == {"1580": "1507"}


def test_every_number_of_one_numbering_names_what_it_is_in_the_other() -> None:
    # 3001 Halden under 2024 says 3101 Halden; 3018 Våler (Viken) 3114 Våler (Østfold), though
    # the names differ in their brackets; 1507 Ålesund both its parts; and back.
    for year, other in (("2024", "2020"), ("2020", "2024")):
        register = get_register(year)
        for number, place in get_register(other).municipalities.items():
            if number in register.municipalities:
                continue
            error = _error(year, number)
            assert error.code == "municipality_number_moved", (year, number)
            assert error.params["other_register"] == other
            current = [c.split(" ", 1)[0] for c in error.params["current"]]
            assert all(register.municipalities[c].county_number for c in current)
            if number == "1507":
                assert current == ["1508", "1580"]
            elif len(current) != 1:
                raise AssertionError((year, number, place.name, current))
    assert _error("2024", "3018").params["current"] == ["3114 Våler (Østfold)"]
    assert _error("2020", "3114").params["current"] == ["3018 Våler (Viken)"]
    assert _error("2020", "1580").params["current"] == ["1507 Ålesund"]


def test_a_name_of_2020_only_names_the_municipality_of_today_in_both_languages() -> None:
    from tilskudd.issues import render_message

    error = _error("2024", "Våler (Viken)")
    assert error.params["current"] == ["3114 Våler (Østfold)"]
    assert render_message(f"validate.{error.code}", error.params, "en") == (
        "'Våler (Viken)' is 3018 Våler (Viken) in the 2020 numbering; in the 2024 numbering it "
        "is 3114 Våler (Østfold). Use --register 2020 if the sheet uses the 2020 numbering"
    )
    assert render_message(f"validate.{error.code}", error.params, "nb") == (
        "«Våler (Viken)» er 3018 Våler (Viken) i 2020-inndelingen; i 2024-inndelingen er det "
        "3114 Våler (Østfold). Bruk --register 2020 hvis arket følger 2020-inndelingen"
    )
    # Haram was part of Ålesund in 2020-2023.
    assert _error("2020", "Haram").params["current"] == ["1507 Ålesund"]
    # A name of 2009 merged away since has no one successor in the bundled data: said as before.
    assert _error("2024", "Nesset").code == "municipality_name_other_register"


def test_a_bracketed_name_of_2009_is_not_traced_by_its_bare_name() -> None:
    # 0616 Nes (Buskerud) of 2009 became part of Nesbyen in 2020; 3228 Nes (Akershus's, 0236
    # in 2009) is another municipality. Only 2020 and 2024 keep every name but the bracket.
    for year in ("2020", "2024"):
        error = _error(year, "0616")
        assert error.code == "municipality_number_other_register", error.params


def test_places_of_2020_have_names_where_awards_are_shown() -> None:
    # A ledger of a programme of 2021 shows its awards' places by number: named, and a number
    # in more than one numbering by its name of today.
    from tilskudd.wording import county_name, municipality_name

    assert (municipality_name("3001"), county_name("30")) == ("Halden", "Viken")
    assert county_name("54") == "Troms og Finnmark"
    assert municipality_name("1833") == "Rana - Raane"


@pytest.mark.parametrize(
    ("value", "current"),
    [
        ("Østfold", ["30 Viken"]),
        ("31", ["30 Viken"]),
        ("Vestfold", ["38 Vestfold og Telemark"]),
        ("40", ["38 Vestfold og Telemark"]),
        ("Troms", ["54 Troms og Finnmark"]),
        ("56", ["54 Troms og Finnmark"]),
    ],
)
def test_a_county_of_2024_under_2020_names_the_county_its_area_lay_in(
    value: str, current: list[str]
) -> None:
    error = _error("2020", value, "county")
    assert error.code.endswith("_moved"), error.code
    assert (error.params["current"], error.params["other_register"]) == (current, "2024")


def test_a_county_of_2009_is_not_traced_through_the_counties_of_2020() -> None:
    # former_counties.csv says which counties of 2009 Viken took in part of (05 Oppland: only
    # Jevnaker and Lunner), not where each went: no county is named for 05 in 2024.
    assert _error("2024", "05", "county").code == "county_number_other_register"
    assert _error("2020", "01", "county").code == "county_number_other_register"
