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

DATA = resources.files("tilskudd") / "data"

SPLIT_COUNTIES = {"30": {"31", "32", "33"}, "38": {"39", "40"}, "54": {"55", "56"}}
"""The counties of 2020-2023 that the 2024 reform split, and the counties their area lies in."""

NEW_IN_2024 = {"1580": "1507"}
"""Municipalities of 2024 with no namesake in 2020, and the municipality of 2020 they came
from: Haram, split from Ålesund on 1 January 2024."""


def _rows(name: str) -> list[dict[str, str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _forms(name: str) -> set[str]:
    """A name's Norwegian, Sami and Kven parts, without a county in brackets, in lower case."""
    return {re.sub(r"\s*\([^)]*\)$", "", part).strip().casefold() for part in name.split(" - ")}


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
