"""An amount's header may name the round's own currency; another currency's is an error.

In a round of euros ``Søkt beløp (EUR)``, ``Requested (€)``, ``Søkt beløp €``, ``(i euro)`` and
``, EUR`` match as ``Søkt beløp`` does, as ``(kr)`` and ``, kr`` do in a round of kroner. A note
naming another currency (``(kr)`` in euros, ``(EUR)`` in kroner) is held for an error that names
both currencies and says ``--currency``; a note of a scale (``(1000 EUR)``) is refused as
``(1000 kr)`` is in kroner.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tilskudd.errors import InputFileError
from tilskudd.pipeline import read_applications
from tilskudd.reading import read_table
from tilskudd.reading.columns import (
    currency_statement,
    find_header,
    map_header,
    match_field,
    scale_note,
)


@pytest.mark.parametrize(
    ("header", "currency", "field"),
    [
        ("Søkt beløp (EUR)", "EUR", "requested"),
        ("Søkt beløp (eur)", "EUR", "requested"),
        ("Requested (€)", "EUR", "requested"),
        ("Requested amount (€)", "EUR", "requested"),
        ("Søkt beløp €", "EUR", "requested"),
        ("€ Søkt beløp", "EUR", "requested"),
        ("Omsøkt beløp (i euro)", "EUR", "requested"),
        ("Søkt beløp, EUR", "EUR", "requested"),
        ("Søkt beløp i euro", "EUR", "requested"),
        ("Totalkostnad [EUR]", "EUR", "total_cost"),
        ("Vedtatt beløp (EUR)", "EUR", "decision_amount"),
        ("Søkt beløp (SEK)", "SEK", "requested"),
        ("Amount requested (CHF)", "CHF", "requested"),
        ("Requested £", "GBP", "requested"),
        ("Requested (£)", "GBP", "requested"),
        ("Requested ($)", "USD", "requested"),
        ("Søkt beløp (PLN)", "PLN", "requested"),
        ("Søkt beløp (kr)", "NOK", "requested"),
        ("Søkt beløp, kr", "NOK", "requested"),
    ],
)
def test_a_note_naming_the_rounds_own_currency_matches_as_a_plain_header(
    header: str, currency: str, field: str
) -> None:
    assert match_field(header, currency=currency) == field
    assert scale_note(header, currency) is None
    match = map_header(0, ["ID", header], currency=currency)
    assert match.fields == {"id": 0, field: 1}
    assert not match.scaled
    assert not match.foreign


@pytest.mark.parametrize(
    ("header", "currency", "note", "named"),
    [
        ("Søkt beløp (EUR)", "NOK", "(EUR)", "EUR"),
        ("Requested (€)", "NOK", "(€)", "EUR"),
        ("Søkt beløp €", "NOK", "€", "EUR"),
        ("Søkt beløp, EUR", "NOK", "EUR", "EUR"),
        ("Omsøkt beløp (i euro)", "NOK", "(i euro)", "EUR"),
        ("Søkt beløp i euro", "NOK", "i euro", "EUR"),
        ("Søkt beløp (CHF)", "NOK", "(CHF)", "CHF"),
        ("Søkt beløp (PLN)", "NOK", "(PLN)", "PLN"),  # read as kroner before
        ("Søkt beløp (kr)", "EUR", "(kr)", "NOK"),
        ("Søkt beløp (NOK)", "EUR", "(NOK)", "NOK"),
        ("Søkt beløp, kr", "EUR", "kr", "NOK"),
        ("Søkt beløp i NOK", "EUR", "i NOK", "NOK"),
        ("Søkt beløp (SEK)", "EUR", "(SEK)", "SEK"),
        ("Requested £", "EUR", "£", "GBP"),
        ("Requested (EUR)", "GBP", "(EUR)", "EUR"),
    ],
)
def test_a_note_naming_another_currency_is_held_for_an_error(
    header: str, currency: str, note: str, named: str
) -> None:
    assert match_field(header, currency=currency) is None
    match = map_header(0, ["ID", header, "Poeng"], currency=currency)
    assert match.foreign == {1: ("requested", note, named)}
    assert match.has_required
    assert not match.scaled


@pytest.mark.parametrize(
    ("header", "note"),
    [
        ("Søkt beløp (1000 EUR)", "(1000 EUR)"),
        ("Søkt beløp (tusen euro)", "(tusen euro)"),
        ("Søkt beløp (T€)", "(T€)"),
        ("Requested (€m)", "(€m)"),
        ("Requested (MEUR)", "(MEUR)"),
        ("Requested (EUR, %)", "(EUR, %)"),
        ("Søkt beløp (1000 kr)", "(1000 kr)"),
    ],
)
def test_a_scale_in_the_rounds_currency_is_refused_as_a_scale_of_kroner_is(
    header: str, note: str
) -> None:
    for currency in ("EUR", "NOK"):
        match = map_header(0, ["ID", header], currency=currency)
        assert match.scaled == {1: ("requested", note)}
        assert not match.foreign


def test_a_score_or_a_column_beside_keeps_its_note_in_any_round() -> None:
    match = map_header(0, ["ID", "Søkt beløp (EUR)", "Poeng (EUR)", "Kurs (NOK)"], currency="EUR")
    assert match.fields == {"id": 0, "requested": 1, "score": 2}
    assert match.extra == {3: "Kurs (NOK)"}


def test_a_units_row_in_the_rounds_currency_is_part_of_the_header() -> None:
    rows = [["ID", "Søkt beløp", "Poeng"], [None, "EUR", None], ["A", 5_000, 4]]
    match = find_header(rows, currency="EUR")
    assert match is not None
    assert (match.index, match.fields) == (1, {"id": 0, "requested": 1, "score": 2})
    in_kroner = find_header(rows)
    assert in_kroner is not None
    assert in_kroner.foreign == {1: ("requested", "(EUR)", "EUR")}


def test_a_column_map_entry_for_the_header_without_its_note_is_used(tmp_path: Path) -> None:
    path = tmp_path / "applications.csv"
    path.write_text("Nr;Beløp (EUR);Poeng\nA;5000;4\n", encoding="utf-8")
    table = read_table(path, columns={"Beløp": "requested"}, currency="EUR")
    assert table.fields["requested"] == 1
    assert not [i for i in table.issues if i.code == "read.column_map_unused"]


def _error(path: Path, lang: str, currency: str = "NOK") -> str:
    with pytest.raises(InputFileError) as caught:
        read_table(path, display_name=path.name, lang=lang, currency=currency)
    return str(caught.value)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            'søknader.csv: in the header row (row 1), column B "Søkt beløp (EUR)" would be read '
            "as the amount requested, but its note (EUR) gives the amounts in EUR; column C "
            '"Totalkostnad €" would be read as the total cost, but its note "€" gives the amounts '
            "in EUR; the round counts every amount in NOK. If the amounts are in EUR, count the "
            "round in EUR with --currency EUR; else convert the column to NOK and take the note "
            "out of its header.",
        ),
        (
            "nb",
            "søknader.csv: i overskriftsraden (rad 1): kolonne B «Søkt beløp (EUR)» ville blitt "
            "lest som omsøkt beløp, men merknaden (EUR) gir beløpene i EUR; kolonne C "
            "«Totalkostnad €» ville blitt lest som totalkostnad, men merknaden «€» gir beløpene "
            "i EUR; runden regner alle beløp i NOK. Er beløpene i EUR, regn runden i EUR med "
            "--currency EUR; ellers regn kolonnen om til NOK og ta merknaden ut av overskriften.",
        ),
    ],
)
def test_euros_in_a_round_of_kroner_say_currency_in_both_languages(
    tmp_path: Path, lang: str, said: str
) -> None:
    path = tmp_path / "søknader.csv"
    path.write_text("ID;Søkt beløp (EUR);Totalkostnad €\nA;5000;9000\n", encoding="utf-8")
    assert _error(path, lang) == said
    table = read_table(path, currency="EUR")
    assert (table.fields["requested"], table.fields["total_cost"]) == (1, 2)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            'column B "Søkt beløp (kr)" would be read as the amount requested, but its note (kr) '
            "gives the amounts in NOK; the round counts every amount in EUR. If the amounts are "
            "in NOK, count the round in NOK with --currency NOK",
        ),
        (
            "nb",
            "kolonne B «Søkt beløp (kr)» ville blitt lest som omsøkt beløp, men merknaden (kr) "
            "gir beløpene i NOK; runden regner alle beløp i EUR. Er beløpene i NOK, regn runden "
            "i NOK med --currency NOK",
        ),
    ],
)
def test_kroner_in_a_round_of_euros_are_refused_in_both_languages(
    tmp_path: Path, lang: str, said: str
) -> None:
    path = tmp_path / "søknader.csv"
    path.write_text("ID;Søkt beløp (kr);Poeng\nA;5000;4\n", encoding="utf-8")
    assert said in _error(path, lang, "EUR")


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            "its note (1000 EUR) gives the amounts in another unit than EUR. tilskudd reads "
            "amounts in whole EUR and never rescales them. Convert the column to EUR",
        ),
        (
            "nb",
            "merknaden (1000 EUR) gir beløpene i en annen enhet enn EUR. tilskudd leser beløp i "
            "hele EUR og skalerer dem aldri om. Regn kolonnen om til EUR",
        ),
    ],
)
def test_a_scale_of_euros_is_refused_in_the_rounds_words(
    tmp_path: Path, lang: str, said: str
) -> None:
    path = tmp_path / "søknader.csv"
    path.write_text("ID;Søkt beløp (1000 EUR);Poeng\nA;5;4\n", encoding="utf-8")
    assert said in _error(path, lang, "EUR")


def test_a_workbook_header_in_the_rounds_currency_is_read(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "søknader.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["Søknad nr", "Søkt beløp (EUR)", "Poeng"], ["A-1", "€ 12 500", 5]):
        sheet.append(row)
    book.save(path)
    checked = read_applications(path, currency="EUR")
    assert [(a.id, a.requested) for a in checked.applications] == [("A-1", 12_500)]
    with pytest.raises(InputFileError, match="--currency EUR"):
        read_applications(path)


@pytest.mark.parametrize(
    ("header", "note"),
    [
        ("Søkt beløp i 1000 EUR", "i 1000 EUR"),
        ("Søkt beløp i tusen euro", "i tusen euro"),
        ("Søkt beløp, MEUR", "MEUR"),
        ("Søkt beløp, TEUR", "TEUR"),
        ("Requested in EUR 1000", "in EUR 1000"),
    ],
)
def test_a_scale_of_euros_after_the_header_is_refused_as_one_of_kroner(
    header: str, note: str
) -> None:
    for currency in ("EUR", "NOK"):
        match = map_header(0, ["ID", header], currency=currency)
        assert match.scaled == {1: ("requested", note)}


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("Tilskudd 2025 (alle beløp i 1000 EUR)", "i 1000 EUR"),
        ("Amounts in EUR thousands", "in EUR thousands"),
        ("Beløp i tusen euro", "i tusen euro"),
    ],
)
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "tilskudd reads amounts in whole EUR and never rescales them"),
        ("nb", "tilskudd leser beløp i hele EUR og regner dem aldri om"),
    ],
)
def test_a_title_giving_euros_in_thousands_is_refused_in_the_rounds_words(
    tmp_path: Path, text: str, note: str, lang: str, said: str
) -> None:
    path = tmp_path / "søknader.csv"
    path.write_text(f"{text};;\nID;Søkt beløp;Poeng\nA;250;4\nB;300;5\n", encoding="utf-8")
    message = _error(path, lang, "EUR")
    assert f"«{note}»" in message if lang == "nb" else f'"{note}"' in message
    assert said in message


def test_a_units_row_with_any_code_is_part_of_the_header() -> None:
    rows = [["ID", "Søkt beløp", "Poeng"], [None, "PLN", None], ["A", 5_000, 4]]
    in_zloty = find_header(rows, currency="PLN")
    assert in_zloty is not None
    assert (in_zloty.index, in_zloty.fields) == (1, {"id": 0, "requested": 1, "score": 2})
    lower = find_header([rows[0], [None, "pln", None], rows[2]], currency="PLN")
    assert lower is not None
    assert lower.index == 1
    in_kroner = find_header(rows)
    assert in_kroner is not None
    assert in_kroner.foreign == {1: ("requested", "(PLN)", "PLN")}
    # A word of three letters in lower case is no unit: the row is data, not units.
    words = find_header([rows[0], [None, "ask", None], rows[2]])
    assert words is not None
    assert words.index == 0


@pytest.mark.parametrize(
    ("header", "currency", "field"),
    [
        ("Søkt beløp (kr)", "SEK", "requested"),
        ("Søkt beløp, kr", "SEK", "requested"),
        ("Søkt beløp (kronor)", "SEK", "requested"),
        ("Søkt beløp i kr.", "DKK", "requested"),
        ("Totalkostnad (kr.)", "DKK", "total_cost"),
        ("Søkt beløp (kroner)", "DKK", "requested"),
        ("Søkt beløp (krónur)", "ISK", "requested"),
        ("Søkt beløp (kr.)", "ISK", "requested"),
    ],
)
def test_kr_in_a_header_of_a_nordic_round_is_the_rounds_krone(
    header: str, currency: str, field: str
) -> None:
    """ "(kr)" over Swedish kronor was refused as "gives the amounts in NOK" in a round of SEK."""
    assert match_field(header, currency=currency) == field
    match = map_header(0, ["ID", header], currency=currency)
    assert match.fields == {"id": 0, field: 1}
    assert not match.scaled
    assert not match.foreign


@pytest.mark.parametrize(
    ("header", "currency", "note"),
    [
        ("Søkt beløp (NOK)", "SEK", "(NOK)"),
        ("Søkt beløp (kroner)", "SEK", "(kroner)"),
        ("Søkt beløp, NOK", "DKK", "NOK"),
        ("Søkt beløp (kroner)", "ISK", "(kroner)"),
    ],
)
def test_norwegian_kroner_in_a_header_of_a_nordic_round_are_refused(
    header: str, currency: str, note: str
) -> None:
    match = map_header(0, ["ID", header, "Poeng"], currency=currency)
    assert match.foreign == {1: ("requested", note, "NOK")}


def test_a_nordic_header_mapped_by_the_officer_takes_kr_as_the_rounds(tmp_path: Path) -> None:
    """A Swedish "Belopp (kr)" and a Danish "Beløb i kr.", mapped with --columns."""
    for header, currency, mapped in (
        ("Belopp (kr)", "SEK", "Belopp"),
        ("Beløb i kr.", "DKK", "Beløb"),
    ):
        path = tmp_path / f"{currency}.csv"
        path.write_text(f"Nr;{header};Poeng\nA;5000;4\n", encoding="utf-8")
        table = read_table(path, columns={mapped: "requested"}, currency=currency)
        assert table.fields["requested"] == 1
        with pytest.raises(InputFileError):  # in a round of euros "kr" is still kroner
            read_table(path, columns={mapped: "requested"}, currency="EUR")


def test_a_scale_of_a_nordic_krone_is_refused_in_any_round() -> None:
    for currency in ("SEK", "NOK", "EUR"):
        match = map_header(0, ["ID", "Søkt beløp i 1000 kronor"], currency=currency)
        assert match.scaled == {1: ("requested", "i 1000 kronor")}
    match = map_header(0, ["ID", "Søkt beløp (tkr)"], currency="SEK")
    assert match.scaled == {1: ("requested", "(tkr)")}


def test_a_units_row_of_kr_or_kronor_is_part_of_a_nordic_header() -> None:
    for unit in ("kr", "kronor", "kr."):
        rows = [["ID", "Søkt beløp", "Poeng"], [None, unit, None], ["A", 5_000, 4]]
        match = find_header(rows, currency="SEK")
        assert match is not None
        assert (match.index, match.fields) == (1, {"id": 0, "requested": 1, "score": 2})
    rows = [["ID", "Søkt beløp", "Poeng"], [None, "kronor", None], ["A", 5_000, 4]]
    in_kroner = find_header(rows)  # as before: "kronor" is no unit of a round of kroner
    assert in_kroner is not None
    assert in_kroner.index == 0


def test_a_currency_column_of_kr_is_the_nordic_rounds(tmp_path: Path) -> None:
    path = tmp_path / "applications.csv"
    path.write_text(
        "ID;Søkt beløp;Poeng;Valuta\nA-1;5000;4;kr\nA-2;6000;3;SEK\nA-3;7000;3;kronor\n",
        encoding="utf-8",
    )
    checked = read_applications(path, currency="SEK")
    assert not [i for i in checked.issues if "currency" in i.code]
    checked = read_applications(path, currency="DKK")
    (issue,) = [i for i in checked.issues if "currency" in i.code]
    assert issue.params["currencies"] == ["SEK", "KRONOR"]


@pytest.mark.parametrize(
    ("title", "currency", "note", "named"),
    [
        ("Alle beløp i EUR", "NOK", "i EUR", "EUR"),
        ("All amounts in GBP", "NOK", "in GBP", "GBP"),
        ("Tilskudd 2025 (alle beløp i euro)", "NOK", "i euro", "EUR"),
        ("Søknader 2025 (SEK)", "NOK", "(SEK)", "SEK"),
        ("Beløp i kr.", "EUR", "i kr.", "NOK"),
        ("Alle beløp i NOK", "SEK", "i NOK", "NOK"),
        ("Amounts in USD.", "EUR", "in USD", "USD"),
        ("Tilskudd 2025 – alle beløp i EUR", "NOK", "i EUR", "EUR"),
        ("Merknad: i EUR", "NOK", "i EUR", "EUR"),
        # What the amounts are amounts of: a sheet of applications in euros.
        ("Søknader 2025 i EUR", "NOK", "i EUR", "EUR"),
        ("Søknader fra Sverige i SEK", "NOK", "i SEK", "SEK"),
        ("Grants 2024/25 in GBP", "EUR", "in GBP", "GBP"),
        ("Tilskudd til kulturtiltak i euro", "NOK", "i euro", "EUR"),
        ("Prosjektkostnader i DKK", "NOK", "i DKK", "DKK"),
    ],
)
def test_a_title_giving_another_currency_is_found(
    title: str, currency: str, note: str, named: str
) -> None:
    assert currency_statement(title, currency) == (note, named)


@pytest.mark.parametrize(
    ("title", "currency"),
    [
        ("Alle beløp i EUR", "EUR"),  # the round's own
        ("Alle beløp i kr", "NOK"),
        ("Alle beløp i kr", "SEK"),  # kr: the Swedish round's own
        ("All amounts in GBP", "GBP"),
        ("Ramme 5 mill. kr", "EUR"),  # an amount, not the unit of every amount
        ("Tilskudd til lag i Oslo", "NOK"),
        ("Prosjekter i USA", "NOK"),
        ("Søknader i ALL regioner", "NOK"),  # a word in capitals, not Albanian lek
        ("Reiser i mai", "NOK"),
        # Sentences that name a currency without giving the table's amounts in it.
        ("Tilskuddet betales i EUR", "NOK"),
        ("Beløpet betales ut i EUR til partnere i Tyskland.", "NOK"),
        ("Partners abroad are paid in EUR.", "NOK"),
        ("Søknadene betales ut i EUR", "NOK"),  # an application's word, then a payment
        ("Søknader fra partnere i EUR-land", "NOK"),  # a place, not the unit
        ("Alle beløp i euro-sonen", "NOK"),
        ("Reiser i mai i EUR", "NOK"),  # nothing names amounts or what they are of
    ],
)
def test_a_title_naming_no_other_currency_is_none(title: str, currency: str) -> None:
    assert currency_statement(title, currency) is None


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            'søknader.csv: cell A1 says "Tilskudd 2025 (alle beløp i EUR)": "i EUR" gives the '
            "amounts in the sheet in EUR, but the round counts every amount in NOK. If the "
            "amounts are in EUR, count the round in EUR with --currency EUR; else convert the "
            "amounts to NOK and correct or remove the note.",
        ),
        (
            "nb",
            "søknader.csv: cellen A1 sier «Tilskudd 2025 (alle beløp i EUR)»: «i EUR» gir "
            "beløpene i arket i EUR, men runden regner alle beløp i NOK. Er beløpene i EUR, "
            "regn runden i EUR med --currency EUR; ellers regn beløpene om til NOK og rett "
            "eller fjern merknaden.",
        ),
    ],
)
def test_a_title_giving_another_currency_is_refused_as_such_a_header_is(
    tmp_path: Path, lang: str, said: str
) -> None:
    """A title "alle beløp i EUR" over plain numbers was read as kroner without a word, where
    "(EUR)" in the header is refused."""
    path = tmp_path / "søknader.csv"
    path.write_text(
        "Tilskudd 2025 (alle beløp i EUR);;\nID;Søkt beløp;Poeng\nA;250000;4\nB;300000;5\n",
        encoding="utf-8",
    )
    assert _error(path, lang) == said
    table = read_table(path, currency="EUR")  # the round's own currency: read
    assert table.fields["requested"] == 1


def test_a_note_of_another_currency_under_the_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "søknader.csv"
    path.write_text(
        "ID;Søkt beløp;Poeng\nA;250000;4\nB;300000;5\n;;\nAll amounts in GBP;;\n",
        encoding="utf-8",
    )
    message = _error(path, "en", "EUR")
    assert 'cell A5 says "All amounts in GBP"' in message
    assert "but the round counts every amount in EUR" in message
    assert "count the round in GBP with --currency GBP" in message
    read_table(path, currency="GBP")  # no error in a round of pounds


def test_a_sentence_beside_the_table_naming_a_currency_is_read(tmp_path: Path) -> None:
    """ "Tilskuddet betales i EUR" in a column without a header beside the rows (how a grant to
    a partner abroad is paid) was taken for a note giving every amount in euros, and the file
    refused; a title giving them so still is."""
    path = tmp_path / "søknader.csv"
    path.write_text(
        "ID;Søkt beløp;Poeng;\nA;250000;4;Tilskuddet betales i EUR\nB;300000;5;\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.fields["requested"] == 1
    path.write_text(
        "Alle beløp i EUR;;;\nID;Søkt beløp;Poeng;\nA;250000;4;Tilskuddet betales i EUR\n",
        encoding="utf-8",
    )
    assert 'cell A1 says "Alle beløp i EUR"' in _error(path, "en")


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("FoerderbeitragCHF", "CHF"),  # Uster's open data: the code written onto the word
        ("BeløpEUR", "EUR"),
        ("sokt_belop_eur", "EUR"),
        ("Søkt beløp (EUR)", "EUR"),
        ("Requested, GBP", "GBP"),
    ],
)
def test_a_mapped_amount_header_naming_another_currency_is_refused(
    tmp_path: Path, header: str, named: str
) -> None:
    """The column map says which column holds the amounts, not that they are kroner: a header
    that gives them in another currency is refused as the same header unmapped is, so that
    francs are never shown as kroner."""
    path = tmp_path / "soknader.csv"
    path.write_text(f"Nr;Søker;{header}\nA;Lag;5000\n", encoding="utf-8")
    columns = {header: "requested"}
    for lang, said in (
        ("en", f'"{header}", which the column map reads as the amount requested, names {named}'),
        ("nb", f"«{header}», som kolonnekartet leser som omsøkt beløp, nevner {named}"),
    ):
        with pytest.raises(InputFileError) as caught:
            read_table(path, columns=columns, display_name=path.name, lang=lang)
        assert said in str(caught.value)
        assert f"--currency {named}" in str(caught.value)
    table = read_table(path, columns=columns, currency=named)
    assert table.fields["requested"] == 2


@pytest.mark.parametrize(
    "header", ["Søkt beløp NOK", "SøktBeløpNOK", "Søkt beløp i 1000 kr", "Tilskudd (tkr)", "Sum"]
)
def test_a_mapped_amount_header_in_kroner_or_a_scale_is_read_as_mapped(
    tmp_path: Path, header: str
) -> None:
    path = tmp_path / "soknader.csv"
    path.write_text(f"Nr;Søker;{header}\nA;Lag;5000\n", encoding="utf-8")
    table = read_table(path, columns={header: "requested"})
    assert table.fields["requested"] == 2


def test_a_map_of_the_header_without_another_currencys_code_says_to_count_in_it(
    tmp_path: Path,
) -> None:
    """'Foerderbeitrag' = requested reads Uster's 'FoerderbeitragCHF' in a round of francs; in
    a round of kroner the error said the sheet had no column for the amount requested, and to
    map 'FoerderbeitragCHF' (which the map then refused as francs): it says --currency CHF."""
    path = tmp_path / "uster.csv"
    path.write_text("Gesuchssteller;FoerderbeitragCHF\nLag;5000\n", encoding="utf-8")
    columns = {"Gesuchssteller": "applicant", "Foerderbeitrag": "requested"}
    with pytest.raises(InputFileError) as caught:
        read_table(path, columns=columns, display_name=path.name)
    said = str(caught.value)
    assert 'column B "FoerderbeitragCHF" would be read as the amount requested' in said
    assert "count the round in CHF with --currency CHF" in said
    assert "no column for the amount requested" not in said
    assert read_table(path, columns=columns, currency="CHF").fields["requested"] == 1
