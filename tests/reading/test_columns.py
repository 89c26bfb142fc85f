"""Header names -> fields, and finding the header row among titles and blank rows."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilskudd.reading.columns import (
    ALIASES,
    FIELDS,
    NYNORSK,
    cell_text,
    find_header,
    map_header,
    match_field,
    normalize_column_map,
    normalize_header,
    scale_note,
)
from tilskudd.reading.table import FormulaWithoutValue, RawCell

ALL_ALIASES = [
    (name, alias)
    for table in (ALIASES, NYNORSK)
    for name, aliases in table.items()
    for alias in aliases
]


def test_every_field_of_the_issue_is_known() -> None:
    assert set(FIELDS) >= {
        "id",
        "applicant",
        "orgnr",
        "project",
        "municipalities",
        "county",
        "requested",
        "total_cost",
        "score",
        "rank",
        "category",
        "decision",
        "decision_amount",
        "decision_reason",
    }


@pytest.mark.parametrize(("field", "alias"), ALL_ALIASES)
def test_every_alias_means_its_own_field(field: str, alias: str) -> None:
    # Also catches two fields claiming the same normalised alias.
    assert match_field(alias) == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Org.nr.", "orgnr"),
        ("ORG NR", "orgnr"),
        ("org_nr", "orgnr"),
        ("Sokt belop", "requested"),
        ("SØKT BELØP", "requested"),
        ("søkt-beløp", "requested"),
        ("Omsøkt beløp (kr)", "requested"),
        ("Søkt beløp, kr", "requested"),
        ("Søkt beløp i NOK", "requested"),
        ("Poeng (1-6)", "score"),
        ("Amount requested", "requested"),
        ("Organisation number", "orgnr"),
        ("Deltakende kommuner", "municipalities"),
        ("Søkerorganisasjon", "applicant"),
        ("Vedtaksbeløp", "decision_amount"),
        ("Vedtatt beløp", "decision_amount"),
        ("Decided amount", "decision_amount"),
        ("Innstilt beløp", "decision_amount"),
        ("Vedtaksbegrunnelse", "decision_reason"),
        ("Beslutning", "decision"),
        ("Prioritet", "rank"),
        ("Tema", "category"),
        ("Prosjektkostnad", "total_cost"),
        # The total cost named the other way round or in the plural: carried through unread,
        # it left the share-of-cost cap unapplied on every row.
        ("Kostnad, totalt", "total_cost"),
        ("Kostnader totalt (kr)", "total_cost"),
        ("Totale prosjektkostnader", "total_cost"),
        ("Totalkostnader:", "total_cost"),
        ("Samlede kostnader", "total_cost"),
    ],
)
def test_headers_match_ignoring_case_spaces_punctuation_and_accents(
    header: str, field: str
) -> None:
    assert match_field(header) == field


@pytest.mark.parametrize(
    "header",
    [
        "Søkt beløp (1000 kr)",
        "Søkt beløp (1 000 kr)",
        "Søkt beløp [MNOK]",
        "Totalkostnad (mill. kr)",
        "Søkt beløp (tkr)",
        "Søkt beløp (mkr)",
        "Søkt beløp (kkr)",
        "Søkt beløp (T kr)",
        "Søkt beløp (M NOK)",
        "Søkt beløp (kNOK)",
        "Søkt beløp (mln)",
        "Søkt beløp (mio.)",
        "Requested amount (€m)",
        "Requested amount (in thousands)",
        "Totalkostnad (k)",
        # Another currency: euros read as kroner were wrong by a factor of ten, without a word.
        "Søkt beløp (EUR)",
        "Omsøkt beløp (i euro)",
        "Requested amount (€)",
        "Totalkostnad (SEK)",
        "Total cost (USD)",
        # A share, not kroner: "Søkt beløp (%)" was read as the amount requested.
        "Søkt beløp (%)",
        "Omsøkt beløp (prosent av kostnad)",
        "Beløp",
        "Merknad",
        "",
    ],
)
def test_a_scale_or_an_unknown_header_matches_nothing(header: str) -> None:
    # Reading thousands as kroner would be wrong by a factor of a thousand.
    assert match_field(header) is None


def test_norwegian_letters_fold_consistently() -> None:
    assert normalize_header("Æ Ø Å") == "aeoa"
    assert normalize_header("Søknadsnr.") == normalize_header("soknadsnr")


@given(st.text())
def test_normalising_is_idempotent(text: str) -> None:
    once = normalize_header(text)
    assert normalize_header(once) == once


@given(
    st.sampled_from(ALL_ALIASES),
    st.lists(st.sampled_from([" ", ".", "-", "_", "  ", ":"]), max_size=3),
    st.randoms(use_true_random=False),
)
def test_aliases_survive_case_and_punctuation_noise(
    pair: tuple[str, str], noise: list[str], rng: random.Random
) -> None:
    field, alias = pair
    text = alias.upper() if len(alias) % 2 else alias.lower()
    for piece in noise:
        at = rng.randrange(len(text) + 1)
        text = text[:at] + piece + text[at:]
    assert match_field(text) == field


def test_a_column_map_wins_over_the_aliases() -> None:
    column_map = normalize_column_map({"Beløp": "requested", "Søker": "extra"})
    assert match_field("beløp", column_map) == "requested"
    assert match_field("Søker", column_map) == "extra"
    assert match_field("Prosjekt", column_map) == "project"


def test_a_mapped_field_is_not_also_claimed_by_an_alias() -> None:
    column_map = normalize_column_map({"kommunenummer": "municipalities"})
    match = map_header(0, ["kommune", "kommunenummer", "sokt_belop"], column_map)
    assert match.fields == {"municipalities": 1, "requested": 2}
    assert match.extra == {0: "kommune"}
    assert not match.duplicates


def test_two_columns_for_one_field_are_reported_as_duplicates() -> None:
    match = map_header(0, ["Søker", "Søkt beløp", "Søker"])
    assert match.duplicates == {"applicant": [0, 2]}
    assert "applicant" not in match.fields


def test_header_found_below_a_title_logo_and_blank_rows() -> None:
    rows: list[list[RawCell]] = [
        ["Tilskudd til IKT i kommunene 2009", None, None],
        [None, None, None],
        ["(logo)", None, None],
        ["Frist: 1. mars", None, None],
        ["Søker", "Prosjekt", "Søkt beløp"],
        ["Moss kommune", "Arkiv", 100.0],
    ]
    match = find_header(rows)
    assert match is not None
    assert match.index == 4
    assert match.fields == {"applicant": 0, "project": 1, "requested": 2}


def test_the_row_mapping_requested_and_most_fields_wins() -> None:
    rows: list[list[RawCell]] = [
        ["Søker", "Prosjekt", None],  # two fields, no amount: an explanatory table above
        ["Søker", "Prosjekt", "Omsøkt"],
    ]
    match = find_header(rows)
    assert match is not None
    assert match.index == 1


def test_a_header_over_two_rows_maps_the_names_of_both() -> None:
    # Names merged over both rows sit in the upper one; the amounts under a group label in the
    # lower. The lower row alone mapped requested and total cost, and the id, applicant and
    # score columns were read as nameless columns beside the applications.
    rows: list[list[RawCell]] = [
        ["Søknader 2025", None, None, None, None],
        ["Søknadsnr", "Søker", "Beløp", None, "Poeng"],
        [None, None, "Omsøkt", "Totalkostnad", None],
        ["S-1", "Moss kommune", 100.0, 500.0, 5.0],
    ]
    match = find_header(rows)
    assert match is not None
    assert match.index == 2
    assert match.fields == {
        "id": 0,
        "applicant": 1,
        "requested": 2,
        "total_cost": 3,
        "score": 4,
    }
    assert match.headers == ["Søknadsnr", "Søker", "Omsøkt", "Totalkostnad", "Poeng"]


def test_a_header_whose_upper_row_has_the_amount_takes_the_names_below_it() -> None:
    # The upper row maps requested, so it won alone, and the lower row (with the total cost)
    # was read as an application.
    rows: list[list[RawCell]] = [
        ["Søknadsnr", "Omsøkt beløp", "Kostnader", None],
        [None, None, "Totalkostnad", "Egenandel"],
        ["S-1", 100.0, 500.0, 400.0],
    ]
    match = find_header(rows)
    assert match is not None
    assert match.index == 1
    assert match.fields == {"id": 0, "requested": 1, "total_cost": 2}


def test_a_row_with_numbers_is_not_taken_for_the_second_row_of_a_header() -> None:
    # Filled from the header, this application would map three fields ("Tema" is a category),
    # one more than the header: only a row of text can be a header's second row.
    rows: list[list[RawCell]] = [
        ["Søknadsnr", "Omsøkt beløp", "Merknad", "Antall"],
        [None, None, "Tema", 5.0],
        ["S-2", 200_000.0, None, 3.0],
    ]
    match = find_header(rows)
    assert match is not None
    assert match.index == 0
    assert match.fields == {"id": 0, "requested": 1}


def test_a_single_known_word_is_not_a_header_but_requested_alone_is() -> None:
    assert find_header([["Søker", "Navn"], ["Moss", "x"]]) is None
    match = find_header([["Navn", "Søkt beløp"], ["Moss", 5.0]])
    assert match is not None
    assert match.fields == {"requested": 1}


def test_no_header_within_the_scanned_rows() -> None:
    rows: list[list[RawCell]] = [["x"], ["x"], ["x"], ["Søker", "Søkt beløp"]]
    assert find_header(rows, scan=3) is None
    assert find_header(rows) is not None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  Søker ", "Søker"),
        (2009.0, "2009"),
        (2.5, "2.5"),
        (FormulaWithoutValue("A1"), ""),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "header",
    ["Søkt beløp (kr)", "Søkt beløp (NOK)", "Søkt beløp (totalt, kr)", "Søkt beløp (inkl. mva)"],
)
def test_a_note_naming_only_the_currency_or_a_remark_is_not_a_scale(header: str) -> None:
    assert scale_note(header) is None
    assert match_field(header) == "requested"


def test_a_field_of_kroner_in_another_currency_is_held_for_an_error() -> None:
    match = map_header(0, ["ID", "Søkt beløp (EUR)", "Totalkostnad (€)", "Kurs (EUR)"])
    assert match.foreign == {1: ("requested", "(EUR)", "EUR"), 2: ("total_cost", "(€)", "EUR")}
    assert not match.scaled
    assert match.extra[3] == "Kurs (EUR)"


def test_a_currency_sign_outside_brackets_is_held_for_an_error_as_one_inside() -> None:
    # "Requested £" and "Søkt beløp €" lost their sign when normalised, and pounds and euros
    # were read as kroner without a word, while "Requested (£)" was refused.
    headers = ["ID", "Requested £", "Total cost, $", "Søkt beløp €", "Poeng ¥", "Kurs €"]
    match = map_header(0, headers)
    assert match.foreign == {
        1: ("requested", "£", "GBP"),
        2: ("total_cost", "$", "USD"),
        3: ("requested", "€", "EUR"),
    }
    assert match.fields == {"id": 0, "score": 4}  # on a score the sign is only a note
    assert match.extra[5] == "Kurs €"
    assert [scale_note(h) for h in ("Requested £", "Søkt beløp (kr)", "Søkt beløp, kr")] == [
        "£",
        None,
        None,
    ]


def test_a_field_of_kroner_in_percent_is_held_for_an_error_a_score_in_percent_is_not() -> None:
    # "Søkt beløp (%)" was read as the amount requested: a share typed in as kroner.
    match = map_header(0, ["ID", "Søkt beløp (%)", "Poeng (%)"])
    assert match.scaled == {1: ("requested", "(%)")}
    assert match.fields == {"id": 0, "score": 2}


def test_a_field_of_kroner_stated_in_a_scale_is_held_for_an_error_not_carried() -> None:
    match = map_header(0, ["ID", "Søkt beløp (tkr)", "Totalkostnad [MNOK]", "Budsjett 2010 (tkr)"])
    assert match.scaled == {1: ("requested", "(tkr)"), 2: ("total_cost", "[MNOK]")}
    assert match.has_required
    assert match.recognisable
    assert "requested" not in match.fields
    # Not a field under any name: an extra column, carried through as it is.
    assert match.extra[3] == "Budsjett 2010 (tkr)"
    assert 3 not in match.scaled


def test_a_column_map_decides_a_scaled_header_itself() -> None:
    column_map = normalize_column_map({"Søkt beløp (tkr)": "requested"})
    match = map_header(0, ["ID", "Søkt beløp (tkr)"], column_map)
    assert match.fields["requested"] == 1
    assert not match.scaled


@pytest.mark.parametrize(
    "header", ["Nr.", "Nr", "NR", "Løpenr.", "Løpenummer", "No.", "Number", "Nummer"]
)
def test_a_running_number_alone_is_the_application_id(header: str) -> None:
    # Officers' sheets number the applications "Nr." or "Løpenr."; read as an unknown column,
    # the ids were made up from row numbers and the officer's own numbers were lost.
    match = map_header(0, [header, "Søker", "Søkt beløp"])
    assert match.fields == {"id": 0, "applicant": 1, "requested": 2}
    english = map_header(0, [header, "Applicant", "Amount requested"])
    assert english.fields == {"id": 0, "applicant": 1, "requested": 2}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Søknadsnr.", "id"),
        ("Saksnr.", "id"),
        ("Søknad nr.", "id"),
        ("Sak nr.", "id"),
        ("Application no.", "id"),
        ("Case no.", "id"),
        ("Org.nr.", "orgnr"),
        ("Org. nr", "orgnr"),
        ("Org no.", "orgnr"),
        ("Kommunenr.", "municipalities"),
        ("Fylkesnr.", "county"),
    ],
)
def test_numbers_of_other_things_keep_their_own_field(header: str, field: str) -> None:
    assert match_field(header) == field
    match = map_header(0, ["Nr.", header, "Søkt beløp"])
    assert match.fields[field] == 1
    if field != "id":
        assert match.fields["id"] == 0


@pytest.mark.parametrize(
    ("cells", "id_column", "running"),
    [
        (["Nr.", "Søknadsnr.", "Søker", "Søkt beløp"], 1, 0),
        (["Søker", "Saksnr", "Løpenr.", "Søkt beløp"], 1, 2),
        (["No.", "Application ID", "Applicant", "Amount requested"], 1, 0),
    ],
)
def test_a_running_number_beside_an_id_column_is_carried_through(
    cells: list[str], id_column: int, running: int
) -> None:
    # Not two id columns (an error that stopped the reading): the named id column wins.
    match = map_header(0, cells)
    assert not match.duplicates
    assert match.fields["id"] == id_column
    assert match.extra == {running: cells[running]}


def test_two_running_numbers_and_no_id_column_claim_nothing() -> None:
    match = map_header(0, ["Nr.", "Løpenr.", "Søker", "Søkt beløp"])
    assert "id" not in match.fields
    assert not match.duplicates
    assert match.extra == {0: "Nr.", 1: "Løpenr."}


def test_a_column_map_naming_the_id_leaves_the_running_number_alone() -> None:
    column_map = normalize_column_map({"Ref. nr": "id"})
    match = map_header(0, ["Nr.", "Ref. nr", "Søkt beløp"], column_map)
    assert match.fields == {"id": 1, "requested": 2}
    assert match.extra == {0: "Nr."}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # Headers of Norwegian grant sheets that were carried through unread: the organisation
        # number went unchecked and per_applicant_max capped nothing, the amount requested was
        # "not found", the places were not read.
        ("Organisasjonsnr.", "orgnr"),
        ("Søkers organisasjonsnummer", "orgnr"),
        ("Søknadssum", "requested"),
        ("Omsøkt sum", "requested"),
        ("Søkt sum (kr)", "requested"),
        ("Kommunenavn", "municipalities"),
        ("Fylkesnavn", "county"),
        ("Navn på søker", "applicant"),
        ("Søkerens navn", "applicant"),
        ("Prosjektets navn", "project"),
        ("Prosjektets tittel", "project"),
    ],
)
def test_more_norwegian_headers_are_known(header: str, field: str) -> None:
    assert match_field(header) == field
    assert map_header(0, [header, "Søkt beløp" if field != "requested" else "Søker"]).fields


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Prosjektbudsjett", "total_cost"),
        ("Totalbudsjett (kr)", "total_cost"),
        ("Project budget", "total_cost"),
        ("Sum poeng", "score"),
        ("Totalpoeng", "score"),
    ],
)
def test_a_budget_or_a_sum_of_points_alone_is_the_field(header: str, field: str) -> None:
    # An application's budget is its total cost; a scoring sheet's "Sum poeng" its score.
    match = map_header(0, ["Søknadsnr.", "Søkt beløp", header])
    assert match.fields == {"id": 0, "requested": 1, field: 2}


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        (["Søkt beløp", "Totalkostnad", "Prosjektbudsjett"], "total_cost"),
        (["Søkt beløp", "Poeng", "Sum poeng"], "score"),
    ],
)
def test_a_budget_or_a_sum_of_points_beside_the_field_is_carried_through(
    cells: list[str], field: str
) -> None:
    # Not two columns for one field (an error): the column that names it wins.
    match = map_header(0, cells)
    assert not match.duplicates
    assert match.fields == {"requested": 0, field: 1}
    assert match.extra == {2: cells[2]}


def test_a_project_budget_in_thousands_or_percent_is_refused_as_a_scale() -> None:
    match = map_header(0, ["Søkt beløp", "Prosjektbudsjett (tkr)", "Totalbudsjett (%)"])
    assert match.scaled == {1: ("total_cost", "(tkr)"), 2: ("total_cost", "(%)")}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # Column names of Norwegian grant forms and decision lists (regional research funds,
        # county councils' grants, Kulturrådet, the Research Council's open data).
        ("Organisasjonsnavn", "applicant"),
        ("Navn på organisasjon", "applicant"),
        ("Søkers organisasjon", "applicant"),
        ("Søkende organisasjon", "applicant"),
        ("Foretaksnummer", "orgnr"),
        ("Foretaksnr.", "orgnr"),
        ("Navn på prosjektet", "project"),
        ("Tittel på prosjektet", "project"),
        ("Omsøkt støtte", "requested"),
        ("Søkt støtte (kr)", "requested"),
        ("Beløp søkt om", "requested"),
        ("Søkt om", "requested"),
    ],
)
def test_headers_of_norwegian_grant_forms_are_known(header: str, field: str) -> None:
    assert match_field(header) == field
    other = "Søkt beløp" if field != "requested" else "Søker"
    assert map_header(0, [header, other]).fields[field] == 0


@pytest.mark.parametrize(
    ("header", "field", "beside"),
    [
        ("Tilskuddsmottaker", "applicant", "Søker"),
        ("Mottaker", "applicant", "Organisasjon"),
        ("Tiltak", "project", "Prosjektnavn"),
        ("Tiltaksnavn", "project", "Prosjekt"),
        ("Fylkeskommune", "county", "Fylke"),
        ("Sum kostnader", "total_cost", "Totalkostnad"),
        ("Kostnader i alt", "total_cost", "Prosjektkostnad"),
        ("Karakter", "score", "Poeng"),
        ("Hovedkarakter", "score", "Poengsum"),
        ("Satsingsområde", "category", "Kategori"),
        ("Innsatsområde", "category", "Tema"),
    ],
)
def test_names_some_sheets_use_for_a_field_are_the_field_only_alone(
    header: str, field: str, beside: str
) -> None:
    # "Tiltak" is the project in one county's sheet and a description of the measure beside
    # "Prosjektnavn" in another: alone it is the project, beside a column naming the project it
    # is carried through (not two project columns, an error).
    alone = map_header(0, ["Søkt beløp", header])
    assert alone.fields == {"requested": 0, field: 1}
    both = map_header(0, ["Søkt beløp", header, beside])
    assert not both.duplicates
    assert both.fields == {"requested": 0, field: 2}
    assert both.extra == {1: header}


@pytest.mark.parametrize(
    "header",
    ["Prosjektnummer", "Prosjektnr.", "Prosjekt nr", "Prosjekt-ID", "Project number", "Project ID"],
)
def test_a_project_number_is_the_id_where_no_other_column_names_it(header: str) -> None:
    # The Research Council's open data and regional research funds number applications by
    # project; "Prosjektnummer" was carried through and the ids made up from row numbers.
    match = map_header(0, [header, "Prosjekt", "Søker", "Søkt beløp"])
    assert match.fields == {"id": 0, "project": 1, "applicant": 2, "requested": 3}
    # Beside a running number the project's number is the id, and the running number is kept.
    match = map_header(0, ["Nr.", header, "Prosjekt", "Søkt beløp"])
    assert match.fields == {"id": 1, "project": 2, "requested": 3}
    assert match.extra == {0: "Nr."}
    # Beside a column that names the application's id, it is carried through.
    match = map_header(0, ["Søknadsnr.", header, "Prosjekt", "Søkt beløp"])
    assert match.fields == {"id": 0, "project": 2, "requested": 3}
    assert match.extra == {1: header}
    assert match_field(header) != "project"


@pytest.mark.parametrize(
    "header",
    [
        "Prosjektansvarlig",
        "Prosjektansvarlig navn",
        "Prosjektansvarlig kortnavn",
        "Type prosjektansvarlig",
        "Prosjektleder",
        "Kontaktperson",
        "Kontaktperson e-post",
        "Prosjekteier",
    ],
)
def test_people_responsible_for_a_project_are_carried_through(header: str) -> None:
    # A person (or, in the Research Council's data, a unit) named as responsible is not the
    # applicant organisation, nor the project: carried through unchanged, whichever side of
    # the applicant column it is on; a column map can say otherwise.
    assert match_field(header) is None
    for cells in ([header, "Søker", "Prosjekt", "Søkt beløp"], ["Søkt beløp", header]):
        match = map_header(0, cells)
        assert cells.index(header) in match.extra
        assert not match.duplicates
        assert cells.index(header) not in match.mapped_by


def test_a_row_of_units_under_the_header_is_part_of_the_header() -> None:
    # An officer's second header row with units ("kr", "%") was read as an application with
    # four errors ('kr' is not an amount) and listed as rejected beside the real ones.
    rows: list[list[RawCell]] = [
        ["Søknadsnr", "Søker", "Søkt beløp", "Totalkostnad", "Poeng", "Merknad"],
        [None, None, "kr", "(NOK)", "%", None],
        ["S-1", "Moss kommune", 100_000.0, 500_000.0, 85.0, None],
    ]
    match = find_header(rows)
    assert match is not None
    assert match.index == 1
    assert match.fields == {"id": 0, "applicant": 1, "requested": 2, "total_cost": 3, "score": 4}
    assert match.headers[2:] == ["Søkt beløp (kr)", "Totalkostnad (NOK)", "Poeng (%)", "Merknad"]
    assert not match.scaled


def test_a_scale_in_the_units_row_is_held_for_an_error_as_in_the_header() -> None:
    # "1000 kr" under the amounts: 1 200 was read as NOK 1 200, not 1.2 million, and allocated.
    rows: list[list[RawCell]] = [
        ["Søknadsnr", "Søkt beløp", "Totalkostnad", "Poeng"],
        [None, "1000 kr", "tkr", "1-6"],
        ["S-1", 1_200.0, 8_000.0, 5.0],
    ]
    match = find_header(rows)
    assert match is not None
    assert match.scaled == {1: ("requested", "(1000 kr)"), 2: ("total_cost", "(tkr)")}
    assert match.fields == {"id": 0, "score": 3}


@pytest.mark.parametrize(
    "below",
    [
        # An application typed as text, or with an amount alone: not units.
        [None, "kr 1 200 000", None, None],
        [None, "1000", None, None],
        ["S-1", "kr", None, None],
        [None, "kr", None, 4.0],
    ],
)
def test_a_row_under_the_header_with_more_than_units_is_data(below: list[RawCell]) -> None:
    rows: list[list[RawCell]] = [["Søknadsnr", "Søkt beløp", "Totalkostnad", "Poeng"], below]
    match = find_header(rows)
    assert match is not None
    assert match.index == 0
    assert match.headers == ["Søknadsnr", "Søkt beløp", "Totalkostnad", "Poeng"]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Poeng (0-100)", "score"),
        ("Poeng (maks 100)", "score"),
        ("Score [0–100]", "score"),
        ("Sum poeng (av 100)", "score"),
        ("Rangering (1-100)", "rank"),
    ],
)
def test_a_range_of_points_on_a_score_or_rank_is_a_note_not_a_scale(
    header: str, field: str
) -> None:
    # "Poeng (0-100)" was taken for a scale of kroner (three digits) and the score column for
    # an unknown one: check said the sheet had no score, and the ranked rule refused it.
    assert match_field(header) == field
    match = map_header(0, ["ID", "Søkt beløp", header])
    assert match.fields == {"id": 0, "requested": 1, field: 2}
    assert not match.scaled


def test_a_range_in_a_note_on_other_fields_is_still_no_match() -> None:
    assert match_field("Vedtak (1000 kr)") is None
    assert match_field("Kategori (100)") is None


# The grant systems' downloads, with the columns as Reven101/tilskuddskompasset reads them:
# tilskudd.no's allocations to voluntary organisations (sheet Tilskuddsordninger) and
# Kulturdirektoratet's decision lists (vedtak_*.csv).
TILSKUDD_NO = [
    "Tilskuddsforvalter",
    "Ansvarlig departement",
    "Tilskudds-id",
    "Tilskuddsordning",
    "Fylke",
    "Kommune",
    "Mottaker organisasjonsnummer",
    "Mottakernavn",
    "Type tilskudd",
    "Søknadsbeløp",
    "Tildelt beløp",
    "Tiltak",
    "Kort beskrivelse av tiltak",
]
KULTURDIREKTORATET = [
    "ordning_kode",
    "hovedfinansieringskilde",
    "bevilgningsaar",
    "soknad_vedtak",
    "soker_type",
    "soker_navn",
    "soker_organisasjonsnummer",
    "soker_fylke",
    "verdi_type",
    "verdi_omsokt",
    "verdi_innvilget",
    "tiltak_tittel",
    "tiltak_sammendrag",
    "soknadsfrist",
]


@pytest.mark.parametrize(
    ("headers", "fields"),
    [
        (
            TILSKUDD_NO,
            {
                "county": "Fylke",
                "municipalities": "Kommune",
                "orgnr": "Mottaker organisasjonsnummer",
                "applicant": "Mottakernavn",
                "requested": "Søknadsbeløp",
                "project": "Tiltak",
            },
        ),
        (
            KULTURDIREKTORATET,
            {
                "applicant": "soker_navn",
                "orgnr": "soker_organisasjonsnummer",
                "county": "soker_fylke",
                "requested": "verdi_omsokt",
                "project": "tiltak_tittel",
            },
        ),
    ],
)
def test_the_downloads_of_the_grant_systems_are_read(
    headers: list[str], fields: dict[str, str]
) -> None:
    # Their organisation numbers went unchecked, the applicant and the county unread, and a
    # decision list from Kulturdirektoratet was refused for want of the amount requested.
    match = map_header(0, headers)
    assert not match.duplicates
    assert {name: headers[i] for name, i in match.fields.items()} == fields
    # The scheme's id is no application's id; what was granted is carried through.
    assert "id" not in match.fields
    assert {"Tildelt beløp", "verdi_innvilget"} & set(headers) <= set(match.extra.values())


class _Unwalked(str):
    """A header that fails when walked character by character in Python."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        raise AssertionError("walked character by character")


@pytest.mark.parametrize("text", ["x" * 40_000, "Søkt beløp " + "x" * 40_000, "Requested €"])
def test_a_long_header_is_searched_for_notes_not_walked(text: str) -> None:
    # A 1 KiB .ods can repeat one cell of 40 000 characters along a row of 16 384 (found by
    # tests/fuzz): looked at by a set's isdisjoint, each such cell was walked in Python's hash
    # lookups, 39 s of CPU for three such rows (benchmarks/bench_long_header.py), 1.4 s now.
    header = _Unwalked(text)
    assert match_field(header) is None
    assert scale_note(header) == ("€" if "€" in text else None)
