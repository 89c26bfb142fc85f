"""Headers in nynorsk, as the counties and municipalities that write it officially name them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tilskudd.errors import InputFileError
from tilskudd.pipeline import read_applications
from tilskudd.reading import read_table
from tilskudd.reading.columns import (
    ALIASES,
    FIELDS,
    NYNORSK,
    NYNORSK_WEAK,
    WEAK_ALIASES,
    in_nynorsk,
    map_header,
    match_field,
    normalize_header,
)

MakeXlsx = Callable[..., Path]

NYNORSK_HEADER = [
    "Løpenummer",
    "Søkjar",
    "Org.nr.",
    "Prosjektnamn",
    "Kommunenamn",
    "Fylkesnamn",
    "Søkt tilskot",
    "Kostnadsoverslag",
    "Poengsum",
    "Rangering",
    "Kategori",
    "Avgjerd",
    "Vedteke beløp",
    "Grunngjeving",
]
NYNORSK_ROW = [
    "2009-014",
    "Sogndal kommune",
    "974760673",
    "Digital sakshandsaming",
    "Sogndal",
    "Sogn og Fjordane",
    450000,
    900000,
    5,
    1,
    "Sakshandsaming",
    "innvilg",
    400000,
    "Avkorta etter ramma",
]


def test_a_sheet_in_nynorsk_is_read_with_every_field(make_xlsx: MakeXlsx) -> None:
    # Before, "Søkjar", "Prosjektnamn", "Søkt tilskot" and the rest were unknown columns: the
    # sheet was refused for want of a column for the amount requested.
    path = make_xlsx([NYNORSK_HEADER, NYNORSK_ROW])
    table = read_table(path)
    assert set(table.fields) == set(FIELDS)
    assert table.extra == {}
    checked = read_applications(path, register="2009")
    assert not checked.errors
    (application,) = checked.applications
    assert application.id == "2009-014"
    assert application.applicant == "Sogndal kommune"
    assert application.orgnr == "974760673"
    assert application.project == "Digital sakshandsaming"
    assert application.municipalities == ("1420",)
    assert application.counties == ("14",)
    assert application.requested == 450000
    assert application.total_cost == 900000
    assert application.score == 5
    assert application.rank == 1
    assert application.category == "Sakshandsaming"
    assert application.decision == "fund"
    assert application.decision_amount == 400000
    assert application.decision_reason == "Avkorta etter ramma"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Søkjar", "applicant"),
        ("Søkar", "applicant"),
        ("Namn på søkjar", "applicant"),
        ("Søkjarorganisasjon", "applicant"),
        ("Organisasjonsnamn", "applicant"),
        ("Søkjars org.nr.", "orgnr"),
        ("Prosjektnamn", "project"),
        ("Namn på prosjektet", "project"),
        ("Kommunenamn", "municipalities"),
        ("Deltakande kommunar", "municipalities"),
        ("Fylkesnamn", "county"),
        ("Søkt tilskot", "requested"),
        ("Omsøkt tilskot (kr)", "requested"),
        ("Søkt tilskott, kr", "requested"),
        ("Omsøkt sum", "requested"),
        ("Søknadssum", "requested"),
        ("Samla kostnader", "total_cost"),
        ("Poengsum", "score"),
        ("Samla vurdering", "score"),
        ("Vedteke beløp", "decision_amount"),
        ("Grunngjeving", "decision_reason"),
    ],
)
def test_nynorsk_headers_are_known(header: str, field: str) -> None:
    assert match_field(header) == field
    other = "Søkt beløp" if field != "requested" else "Søker"
    assert map_header(0, [header, other]).fields[field] == 0


def test_a_nynorsk_amount_in_thousands_is_refused_as_a_scale() -> None:
    match = map_header(0, ["Søkjar", "Søkt tilskot (1000 kr)", "Kostnadsoverslag i 1000 kr"])
    assert match.scaled == {
        1: ("requested", "(1000 kr)"),
        2: ("total_cost", "i 1000 kr"),
    }


@pytest.mark.parametrize(
    ("header", "field", "beside"),
    [
        ("Tilskotsmottakar", "applicant", "Søkjar"),
        ("Mottakar", "applicant", "Organisasjonsnamn"),
        ("Tiltaksnamn", "project", "Prosjektnamn"),
        ("Namn på tiltaket", "project", "Prosjekt"),
        ("Samla poengsum", "score", "Poeng"),
        ("Samla karakter", "score", "Poengsum"),
        ("Kostnadsoverslag", "total_cost", "Totalkostnad"),
        ("Løpenummer", "id", "Søknadsnr."),
    ],
)
def test_nynorsk_names_some_sheets_use_for_a_field_are_the_field_only_alone(
    header: str, field: str, beside: str
) -> None:
    alone = map_header(0, ["Søkt tilskot", header])
    assert alone.fields == {"requested": 0, field: 1}
    both = map_header(0, ["Søkt tilskot", header, beside])
    assert not both.duplicates
    assert both.fields == {"requested": 0, field: 2}
    assert both.extra == {1: header}


def test_no_header_name_is_under_two_fields_or_both_strong_and_weak() -> None:
    # The index takes the last table's: a name under two fields would be read as one of them
    # without a word, and one both strong and weak would never be weak. ("Org.nr." and "Orgnr"
    # under one field are the same name as it is compared, written two ways for people.)
    seen: dict[str, tuple[str, bool]] = {}
    tables = ((ALIASES, False), (NYNORSK, False), (WEAK_ALIASES, True), (NYNORSK_WEAK, True))
    for table, weak in tables:
        assert set(table) <= set(FIELDS)
        for field, aliases in table.items():
            for alias in aliases:
                form = normalize_header(alias)
                assert seen.setdefault(form, (field, weak)) == (field, weak), alias


BOKMAL_AND_ENGLISH = frozenset(
    normalize_header(alias)
    for table in (ALIASES, WEAK_ALIASES)
    for aliases in table.values()
    for alias in aliases
)


@pytest.mark.parametrize(
    ("field", "alias"),
    [
        (field, alias)
        for table in (NYNORSK, NYNORSK_WEAK)
        for field, aliases in table.items()
        for alias in aliases
    ],
)
def test_every_nynorsk_name_is_one_bokmal_does_not_have(field: str, alias: str) -> None:
    # "Føretaksnummer" reads "Foretaksnummer" (ø as o): a bokmål name, that a sheet in bokmål
    # would have been told is nynorsk.
    assert normalize_header(alias) not in BOKMAL_AND_ENGLISH
    assert field in ALIASES
    assert match_field(alias) == field  # a weak name alone, too


def test_a_bokmal_or_english_row_is_not_nynorsk() -> None:
    headers = [
        alias for aliases in (*ALIASES.values(), *WEAK_ALIASES.values()) for alias in aliases
    ]
    assert not any(in_nynorsk([header]) for header in headers)
    assert in_nynorsk(["Søknadsnr.", "Prosjektnamn (tittel)", "Søkt beløp"])


@pytest.mark.parametrize(
    ("lang", "listed", "example"),
    [
        ("en", '"Søkt tilskot", "Omsøkt tilskot"', 'under it "Tilskot" = "requested".'),
        ("nb", "«Søkt tilskot», «Omsøkt tilskot»", 'under den "Tilskot" = "requested".'),
    ],
)
def test_a_nynorsk_sheet_without_the_amount_is_told_the_nynorsk_names_first(
    make_xlsx: MakeXlsx, lang: str, listed: str, example: str
) -> None:
    path = make_xlsx([["Søknadsnr", "Søkjar", "Prosjektnamn", "Tilskot"], ["S-1", "Moss", "x", 1]])
    with pytest.raises(InputFileError) as caught:
        read_table(path, display_name="r.xlsx", lang=lang)
    message = str(caught.value)
    assert listed in message
    # Then the bokmål and English names, and the line of a column map for the sheet's own.
    assert message.index("tilskot") < message.index("Omsøkt beløp") < message.index("Requested")
    assert example in message


def test_a_bokmal_sheet_without_the_amount_is_told_the_bokmal_and_english_names(
    make_xlsx: MakeXlsx,
) -> None:
    path = make_xlsx([["Søknadsnr", "Søker", "Prosjekt", "Tilskudd"], ["S-1", "Moss", "x", 1]])
    with pytest.raises(InputFileError) as caught:
        read_table(path, display_name="r.xlsx")
    message = str(caught.value)
    assert '"Omsøkt beløp"' in message
    assert '"Amount requested"' in message
    assert "tilskot" not in message
    assert 'under it "Tilskudd" = "requested".' in message


def test_a_line_of_the_sum_applied_for_above_the_header_is_not_taken_for_it(
    make_xlsx: MakeXlsx,
) -> None:
    # "Sum søkt" labels a totals row (or a summary line over the table), not a column: as the
    # amount requested it made the line the header row of a sheet whose own column of amounts
    # is unknown, and every application's id "not an amount".
    path = make_xlsx(
        [
            ["Sum søkt", 900000],
            [None],
            ["Søknadsnr", "Søkjar", "Tilskot"],
            ["S-1", "Moss", 400000],
            ["S-2", "Voss", 500000],
        ]
    )
    assert match_field("Sum søkt") is None
    with pytest.raises(InputFileError) as caught:
        read_table(path, display_name="r.xlsx")
    assert str(caught.value).startswith(
        "r.xlsx, sheet Søknader: the header row (row 3) has no column for the amount requested"
    )
