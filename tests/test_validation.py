"""Raw rows -> Applications and cell-precise Issues (tilskudd.validation, tilskudd.issues)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tilskudd.errors import UsageError
from tilskudd.i18n import get
from tilskudd.issues import describe_issue
from tilskudd.models import Application, Issue, Location, Policy, Severity
from tilskudd.money import MAX_AMOUNT, parse_decimal
from tilskudd.reading.table import FormulaWithoutValue, RawCell, RawTable
from tilskudd.registry import get_register
from tilskudd.rules import allocate
from tilskudd.validation import ValidationResult, check_table, validate

# Header text, and the field it maps to (None: a column tilskudd does not know).
HEADERS: tuple[tuple[str, str | None], ...] = (
    ("Søknadsnr", "id"),  # A
    ("Søker", "applicant"),  # B
    ("Org.nr.", "orgnr"),  # C
    ("Prosjekt", "project"),  # D
    ("Kommuner", "municipalities"),  # E
    ("Fylke", "county"),  # F
    ("Omsøkt beløp", "requested"),  # G
    ("Totalkostnad", "total_cost"),  # H
    ("Poeng", "score"),  # I
    ("Rangering", "rank"),  # J
    ("Kategori", "category"),  # K
    ("Vedtak", "decision"),  # L
    ("Vedtatt beløp", "decision_amount"),  # M
    ("Begrunnelse", "decision_reason"),  # N
    ("Notat", None),  # O
)
COLUMN = {field or header: "ABCDEFGHIJKLMNO"[i] for i, (header, field) in enumerate(HEADERS)}

ORGNR = "974760673"


def make_table(
    rows: Sequence[Mapping[str, RawCell]],
    headers: Sequence[tuple[str, str | None]] = HEADERS,
    *,
    file: str = "søknader.xlsx",
    sheet: str | None = "Søknader",
    first_row: int = 2,
    issues: Sequence[Issue] = (),
) -> RawTable:
    """A RawTable as a reader would give it; each row maps field (or extra header) -> cell."""
    fields = {field: i for i, (_, field) in enumerate(headers) if field}
    extra = {header: i for i, (header, field) in enumerate(headers) if not field}
    cells = [[row.get(field or header) for header, field in headers] for row in rows]
    return RawTable(
        file=file,
        sheet=sheet,
        header_row=first_row - 1,
        headers=[header for header, _ in headers],
        fields=fields,
        extra=extra,
        rows=[(first_row + i, c) for i, c in enumerate(cells)],
        issues=list(issues),
    )


def row(**overrides: RawCell) -> dict[str, RawCell]:
    """One valid row (as calamine gives it: whole numbers as floats); override any cell."""
    data: dict[str, RawCell] = {
        "id": "A1",
        "applicant": "Moss kommune",
        "orgnr": ORGNR,
        "municipalities": "Oslo",
        "requested": 3_300_000.0,
        "total_cost": 16_500_000.0,
        "score": 4.5,
    }
    data.update(overrides)
    # One project per id, so that rows do not look like the same application twice.
    data.setdefault("project", f"Prosjekt {data['id']}")
    return data


def check(*rows: Mapping[str, RawCell], **kwargs: Any) -> ValidationResult:
    return validate(make_table(rows), **kwargs)


def only_issue(result: ValidationResult) -> Issue:
    assert len(result.issues) == 1, [i.code for i in result.issues]
    return result.issues[0]


def codes(result: ValidationResult) -> list[str]:
    return [issue.code for issue in result.issues]


# --- a valid row ----------------------------------------------------------------------------


def test_valid_row_becomes_an_application_with_exact_values() -> None:
    result = check(row(Notat="ring søker", county="03", rank=2.0, category=" IKT "))
    assert result.ok
    assert result.issues == ()
    assert result.rejected == ()
    (app,) = result.applications
    assert app == Application(
        id="A1",
        requested=3_300_000,
        applicant="Moss kommune",
        orgnr=ORGNR,
        project="Prosjekt A1",
        municipalities=("0301",),
        counties=("03",),
        total_cost=16_500_000,
        score=Decimal("4.5"),
        rank=2,
        category="IKT",
        row=2,
        extra={"Notat": "ring søker"},
    )
    assert (result.file, result.sheet, result.header_row) == ("søknader.xlsx", "Søknader", 1)
    assert result.extra_columns == ("Notat",)


def test_applications_pass_pydantic_validation_unchanged() -> None:
    result = check(row(), row(id="A2", municipalities="Bergen, 0301", decision=None))
    for app in result.applications:
        assert Application.model_validate(app.model_dump()) == app


# --- amounts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        3_300_000.0,
        3_300_000,
        Decimal("3300000"),
        "3300000",
        "3 300 000",
        "3\u00a0300\u00a0000",
        "3 300 000 kr",
        "kr 3.300.000,-",
        "3300000,00",
        "NOK 3,300,000",
        "3,3 mill.",
    ],
)
def test_requested_amount_forms(cell: RawCell) -> None:
    (app,) = check(row(requested=cell)).applications
    assert app.requested == 3_300_000


_AMOUNT_TEXT = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(["", "", "", "", "kr ", "kr", "NOK ", " ", "-", "0"]),
        st.lists(st.integers(0, 999).map(str), min_size=1, max_size=4).map(
            lambda groups: [groups[0], *(g.zfill(3) for g in groups[1:])]
        ),
        st.sampled_from([" ", "\u00a0", "\u202f", "", "  ", ",", ".", "\u2009"]),
        st.sampled_from(["", "", "", " kr", "kr", "\u00a0kr", ",-", " KR", "\n", " ", "k", ",5"]),
    ).map(lambda parts: (parts[0], parts[2].join(parts[1]), parts[3])),
)


@settings(max_examples=500, deadline=None)
@given(text=_AMOUNT_TEXT)
@example(text="3,300")
@example(text="3.300.000")
@example(text="3,300,000")
@example(text="1 234,5")
@example(text="3 300 000\n")
@example(text="3 300 000 KR")
@example(text="3  300")
@example(text="3300 000")
@example(text="\u0663\u0663\u0660\u0660")
@example(text="007")
@example(text="0 kr")
def test_the_typed_amount_shortcut_reads_what_the_amount_parser_reads(text: str) -> None:
    from tilskudd.validation import _amount, _Checker, _Problem

    checker = _Checker(make_table([row()]), "2024")
    try:
        expected: int | None = _amount(text)
    except _Problem:
        expected = None
    assert checker.plain_amount(text) == expected


@pytest.mark.parametrize(
    "text", ["3300000", "3 300 000", "3\u00a0300\u00a0000 kr", "3\u202f300\u202f000", "330kr"]
)
def test_the_common_typed_amounts_take_the_shortcut(text: str) -> None:
    from unittest.mock import patch

    from tilskudd.validation import _Checker

    checker = _Checker(make_table([row()]), "2024")
    with patch("tilskudd.validation._amount", side_effect=AssertionError("parsed")):
        assert checker.plain_amount(text) == int("".join(c for c in text if c.isdigit()))


def test_ambiguous_amount_is_an_error_with_a_hint_pinned_to_its_cell() -> None:
    result = check(row(requested="3,300"))
    issue = only_issue(result)
    assert issue.code == "validate.amount_ambiguous"
    assert issue.severity is Severity.ERROR
    assert issue.location == Location(
        file="søknader.xlsx", sheet="Søknader", row=2, column="G", header="Omsøkt beløp"
    )
    assert (issue.field, issue.value, issue.application_id) == ("requested", "3,300", "A1")
    assert issue.params == {
        "thousands": "3\u00a0300",
        "decimal": "3,3",
        "plain": "3300",
        "comma": 1,
    }
    assert result.applications == ()
    (rejected,) = result.rejected
    assert (rejected.id, rejected.row, rejected.requested, rejected.issues) == (
        "A1",
        2,
        None,
        (issue,),
    )
    en = describe_issue(issue, "en")
    assert en.startswith("søknader.xlsx, Søknader!G2 (Omsøkt beløp): '3,300' is ambiguous")
    # Both readings, which one an English sheet means, and the forms that read one way only;
    # not "write 3,3", which is no amount of whole kroner.
    assert (
        "'3,300' is ambiguous: with a thousands comma, as English writes amounts, it is "
        "3\u00a0300 kr; with a decimal comma, as Norwegian writes decimals, it is 3,3 kr. "
        "Expected an amount in whole kroner: for 3\u00a0300 kr write 3300 or 3\u00a0300 (digits "
        "alone, or grouped by spaces, read only one way)"
    ) in en
    nb = describe_issue(issue, "nb")
    assert nb.startswith("søknader.xlsx, Søknader!G2 (Omsøkt beløp): «3,300» er tvetydig")
    assert (
        "«3,300» er tvetydig: med komma som tusenskille, slik engelsk skriver beløp, er det "
        "3\u00a0300 kr; med desimalkomma er det 3,3 kr. Forventet et beløp i hele kroner: for "
        "3\u00a0300 kr skriv 3300 eller 3\u00a0300 (bare sifre, eller sifre gruppert med "
        "mellomrom, kan bare leses på én måte)"
    ) in nb


def test_an_ambiguous_point_says_which_reading_is_english() -> None:
    issue = only_issue(check(row(requested="3.300", total_cost=None)))
    assert issue.params == {
        "thousands": "3\u00a0300",
        "decimal": "3.3",
        "plain": "3300",
        "comma": 0,
    }
    en = describe_issue(issue, "en")
    assert (
        "with a thousands point, as Norwegian may write amounts, it is 3\u00a0300 kr; with a "
        "decimal point, as English writes decimals, it is 3.3 kr"
    ) in en
    nb = describe_issue(issue, "nb")
    assert (
        "med punktum som tusenskille er det 3\u00a0300 kr; med desimalpunktum, slik engelsk "
        "skriver desimaler, er det 3.3 kr"
    ) in nb
    assert "for 3\u00a0300 kr skriv 3300 eller 3\u00a0300" in nb


@pytest.mark.parametrize(
    ("text", "code", "params"),
    [
        ("3.300", "validate.amount_ambiguous", {"thousands": "3\u00a0300", "decimal": "3.3"}),
        ("kr 3,000", "validate.amount_ambiguous", {"thousands": "3\u00a0000", "decimal": "3"}),
        # Three decimals would read as grouping again: a fourth makes the decimal unmistakable.
        (
            "100,005",
            "validate.amount_ambiguous",
            {"thousands": "100\u00a0005", "decimal": "100,0050"},
        ),
        # More than three digits, or a leading 0, before the separator is no thousands group:
        # the separator is a decimal mark, and the amount is not whole kroner.
        # After digits grouped in threes, three more may be one more group as well.
        (
            "1 000,000",
            "validate.amount_ambiguous",
            {"thousands": "1\u00a0000\u00a0000", "decimal": "1000"},
        ),
        (
            "1.000,000",
            "validate.amount_ambiguous",
            {"thousands": "1\u00a0000\u00a0000", "decimal": "1000"},
        ),
        ("12345,678", "validate.amount_fraction_ore", {}),
        ("1000,001", "validate.amount_fraction_ore", {}),
        ("1000,50", "validate.amount_not_whole", {}),
        ("0,500", "validate.amount_not_whole", {}),
    ],
)
def test_the_ambiguous_hint_names_only_what_the_cell_could_mean(
    text: str, code: str, params: dict[str, str]
) -> None:
    issue = only_issue(check(row(requested=text, total_cost=None)))
    shown = {k: issue.params[k] for k in ("thousands", "decimal") if k in issue.params}
    assert (issue.code, shown) == (code, params)


def test_a_number_cell_is_read_as_the_spreadsheet_shows_it() -> None:
    """A formula's result carries the rounding noise of binary numbers: =350000*1,1 is saved
    as 385000.00000000006, which Excel shows, and compares, as 385 000 (it keeps 15
    significant digits). Read with every digit, the application was rejected for "a fraction
    of an øre" no one could see, and the round allocated without it. A real fraction is still
    one."""
    noisy = 350_000 * 1.1
    assert noisy != 385_000
    result = check(row(requested=noisy, total_cost=0.1 * 3 * 10_000_000, rank=0.1 * 3 * 10))
    assert result.issues == ()
    (app,) = result.applications
    assert (app.requested, app.total_cost) == (385_000, 3_000_000)
    assert codes(check(row(requested=385_000.5))) == ["validate.amount_not_whole"]
    assert codes(check(row(requested=385_000.001))) == ["validate.amount_fraction_ore"]
    # The largest amounts a cell holds stay exact: whole numbers are never rounded.
    (big,) = check(row(requested=float(MAX_AMOUNT - 1), total_cost=None)).applications
    assert big.requested == MAX_AMOUNT - 1


def test_scores_equal_in_the_spreadsheet_are_equal() -> None:
    """Three panel scores averaged in Excel, the same marks in another order: (0.1+0.2+0.3)
    and (0.3+0.2+0.1) differ in the 17th digit, and one application was ranked above the
    other by that noise, not by the stated tie-break, and no tie was reported."""
    first, second = (0.1 + 0.2 + 0.3) / 3, (0.3 + 0.2 + 0.1) / 3
    assert first != second
    result = check(row(id="A1", score=first), row(id="A2", score=second))
    assert result.issues == ()
    a1, a2 = result.applications
    assert a1.score == a2.score == Decimal("0.2")


def test_a_carried_number_is_read_as_the_spreadsheet_shows_it_for_the_tie_break() -> None:
    """A column of sub-scores the officer breaks ties by (tie_break = "Notat desc"), averaged
    in Excel: equal there, yet one ranked above the other by the 17th digit, so the stated
    order after it (the id) was never reached and no tie was said."""
    first, second = (0.1 + 0.2 + 0.3) / 3, (0.3 + 0.2 + 0.1) / 3
    result = check(row(id="A1", Notat=first), row(id="A2", Notat=second))
    a1, a2 = result.applications
    assert a1.extra["Notat"] == a2.extra["Notat"] == Decimal("0.2")
    ranked = allocate(result.applications, 3_300_000, Policy(tie_break="Notat desc"))
    (funded,) = [d.application_id for d in ranked.decisions if d.amount]
    assert funded == "A1"  # equal in the tie-break column, then by id
    assert [n.code for n in ranked.notes] == ["note.tie_at_line"]


def test_a_decimal_mark_after_four_digits_reads_as_a_decimal() -> None:
    (app,) = check(row(requested="1000,00", total_cost=None)).applications
    assert app.requested == 1000


def test_three_zero_decimals_after_four_digits_are_ambiguous() -> None:
    # "1500,000" read as 1 500 kr: three zero decimals are whole kroner, but no one writes øre
    # with three digits, and 1 500 000 typed with one group separator left out reads the same.
    issue = only_issue(check(row(requested="1500,000", total_cost=None)))
    assert issue.code == "validate.amount_ambiguous"
    assert parse_decimal(str(issue.params["thousands"])) == 1_500_000
    assert parse_decimal(str(issue.params["decimal"])) == 1500


_NUMBER_TEXT = re.compile(r"(-?)(\d+)([.,])(\d+)")


@settings(max_examples=300)
@given(
    sign=st.sampled_from(["", "-"]),
    head=st.text(alphabet="0123456789", min_size=1, max_size=6),
    separator=st.sampled_from([",", "."]),
    tail=st.text(alphabet="0123456789", min_size=1, max_size=4),
    around=st.sampled_from([("", ""), ("kr ", ""), ("", " kr"), ("NOK ", "")]),
)
@example(sign="", head="12345", separator=",", tail="678", around=("", ""))
@example(sign="", head="1000", separator=",", tail="001", around=("", ""))
@example(sign="", head="1500", separator=",", tail="000", around=("", ""))
@example(sign="", head="3", separator=",", tail="125", around=("", ""))
def test_both_numbers_of_an_ambiguous_hint_read_back_as_what_the_cell_could_mean(
    sign: str, head: str, separator: str, tail: str, around: tuple[str, str]
) -> None:
    text = f"{around[0]}{sign}{head}{separator}{tail}{around[1]}"
    result = check(row(requested=text, total_cost=None))
    hints = [i for i in result.issues if i.code == "validate.amount_ambiguous"]
    # The separator can group thousands only after 1 to 3 digits not starting with 0, and
    # before exactly three; after more digits, three zeros may be a million with a group
    # separator left out ("1500,000") as well as decimals that make whole kroner.
    could_group = head[0] != "0" and (
        (len(head) <= 3 and len(tail) == 3) or (len(head) > 3 and tail == "000")
    )
    assert bool(hints) == could_group
    if hints:
        (hint,) = hints
        value = -1 if sign else 1
        assert parse_decimal(str(hint.params["thousands"])) == value * int(head + tail)
        assert parse_decimal(str(hint.params["decimal"])) == value * Decimal(f"{head}.{tail}")


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        (0.0, "amount_zero"),
        ("0", "amount_zero"),
        (-5000.0, "amount_negative"),
        ("-5 000", "amount_negative"),
        ("3 300 000,0051", "amount_fraction_ore"),
        (3_300_000.5, "amount_not_whole"),
        ("tre millioner", "amount_invalid"),
        ("3 30 000", "amount_invalid"),
        ("2 G", "amount_g"),
        (True, "amount_invalid"),
        (date(2009, 3, 1), "amount_date"),
        (datetime(2009, 3, 1, 12, 0), "amount_date"),
        (float("nan"), "amount_invalid"),
    ],
)
def test_amount_errors(cell: RawCell, code: str) -> None:
    issue = only_issue(check(row(requested=cell)))
    assert issue.code == f"validate.{code}"
    assert issue.location is not None
    assert issue.location.cell == "Søknader!G2"


@pytest.mark.parametrize(
    "cell",
    [
        1e20,  # a number cell, as calamine gives it
        2**60,  # a whole number from another reader
        "99999999999999999999999999",  # typed digits
        "9 007 199 254 740 992",  # typed, grouped: one more than the most
        "10 000 000 mrd.",
    ],
)
def test_an_amount_beyond_what_a_spreadsheet_holds_exactly_is_an_error(cell: RawCell) -> None:
    issue = only_issue(check(row(requested=cell, total_cost=None)))
    assert issue.code == "validate.amount_too_large"
    assert issue.params == {"max": MAX_AMOUNT}
    assert "9 007 199 254 740 991 kr" in describe_issue(issue, "nb").replace("\u00a0", " ")


def test_the_largest_amount_is_taken_to_the_krone() -> None:
    for cell in (float(MAX_AMOUNT), MAX_AMOUNT, "9 007 199 254 740 991"):
        result = check(row(requested=cell, total_cost=cell))
        assert result.ok, codes(result)
        assert result.applications[0].requested == MAX_AMOUNT
    too_large = check(row(requested=3_300_000.0, total_cost=float(MAX_AMOUNT + 1)))
    assert codes(too_large) == ["validate.amount_too_large"]


def test_missing_requested_cell_is_a_row_error() -> None:
    result = check(row(requested=None), row(id="A2", requested="  "), row(id="A3"))
    assert codes(result) == ["validate.required", "validate.required"]
    assert [r.id for r in result.rejected] == ["A1", "A2"]
    assert [a.id for a in result.applications] == ["A3"]


def test_missing_requested_column_is_reported_once_and_rejects_every_row() -> None:
    headers = tuple(h for h in HEADERS if h[1] != "requested")
    result = validate(make_table([row(), row(id="A2")], headers))
    issue = only_issue(result)
    assert issue.code == "validate.column_missing"
    assert issue.params["fields"] == ["requested"]
    assert "Søknadsnr" in issue.params["found"]  # type: ignore[operator]
    assert result.applications == ()
    assert [r.issues for r in result.rejected] == [(issue,), (issue,)]
    assert "omsøkt beløp" in describe_issue(issue, "nb")


def test_requested_above_total_cost_is_an_error_on_the_requested_cell() -> None:
    issue = only_issue(check(row(requested=5_000_000.0, total_cost=1_000_000.0)))
    assert issue.code == "validate.requested_above_cost"
    assert issue.params == {"requested": 5_000_000, "total_cost": 1_000_000}
    assert issue.location is not None
    assert issue.location.column == "G"
    assert "5\u00a0000\u00a0000\u00a0kr" in describe_issue(issue, "nb")
    assert "NOK\u00a01,000,000" in describe_issue(issue, "en")


def test_total_cost_is_optional_but_checked_when_present() -> None:
    assert check(row(total_cost=None)).applications[0].total_cost is None
    assert codes(check(row(total_cost="mye"))) == ["validate.amount_invalid"]


# --- organisation numbers -------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["974760673", "974 760 673", "NO 974 760 673 MVA", 974760673.0])
def test_orgnr_forms_validate_to_nine_digits(cell: RawCell) -> None:
    assert check(row(orgnr=cell)).applications[0].orgnr == ORGNR


@pytest.mark.parametrize(
    ("cell", "code"),
    [("974760672", "orgnr_checksum"), ("97476067", "orgnr_length"), ("org 123", "orgnr_format")],
)
def test_invalid_orgnr_is_an_error(cell: str, code: str) -> None:
    issue = only_issue(check(row(orgnr=cell)))
    assert (issue.code, issue.value) == (f"validate.{code}", cell)
    assert issue.location is not None
    assert issue.location.column == "C"


def test_orgnr_is_optional() -> None:
    assert check(row(orgnr=None)).applications[0].orgnr is None


@pytest.mark.parametrize("cell", ["0", 0.0, "000000000", "-", " – "])
def test_orgnr_placeholder_is_a_warning_and_reads_as_none(cell: RawCell) -> None:
    # The Research Council's data writes 0 where there is no organisation number.
    result = check(row(orgnr=cell))
    issue = only_issue(result)
    assert (issue.code, issue.severity) == ("validate.orgnr_placeholder", Severity.WARNING)
    assert result.applications[0].orgnr is None


# --- municipalities and counties ------------------------------------------------------------


def test_several_municipalities_by_name_and_number() -> None:
    (app,) = check(row(municipalities="Oslo; 4601\nHamarøy og Evje og Hornnes, oslo")).applications
    assert app.municipalities == ("0301", "4601", "1875", "4219")
    assert app.counties == ("03", "46", "18", "42")


def test_thirty_three_municipalities_in_one_cell() -> None:
    chosen = list(get_register("2009").municipalities.values())[100:133]
    cell = ", ".join(m.name if i % 3 else m.number for i, m in enumerate(chosen))
    (app,) = check(row(municipalities=cell), register="2009").applications
    assert app.municipalities == tuple(m.number for m in chosen)
    assert len(app.municipalities) == 33


def test_municipality_cell_as_a_number() -> None:
    assert check(row(municipalities=301.0)).applications[0].municipalities == ("0301",)


def test_each_unknown_municipality_is_its_own_error() -> None:
    result = check(row(municipalities="Oslo, Hamary, Herøy, 0602"))
    assert codes(result) == [
        "validate.municipality_unknown",
        "validate.municipality_ambiguous",
        "validate.municipality_number_moved",
    ]
    unknown, ambiguous, moved = result.issues
    assert unknown.params["item"] == "Hamary"
    assert "Hábmer - Hamarøy" in unknown.params["suggestions"]  # type: ignore[operator]
    assert all(i.value == "Oslo, Hamary, Herøy, 0602" for i in result.issues)
    assert all(i.location is not None and i.location.column == "E" for i in result.issues)
    assert "did you mean Hábmer - Hamarøy" in describe_issue(unknown, "en")
    assert "mente du Hábmer - Hamarøy" in describe_issue(unknown, "nb")
    assert "1515 Herøy (Møre og Romsdal) or 1818 Herøy (Nordland)" in describe_issue(ambiguous)
    assert "3301 Drammen" in describe_issue(moved)
    assert "--register 2009" in describe_issue(moved)


@pytest.mark.parametrize(
    ("cell", "register", "county"),
    [
        ("Akershus", "2024", "32 Akershus"),
        ("Asker, Akershus", "2024", "32 Akershus"),
        ("Hedmark", "2009", "04 Hedmark"),
    ],
)
def test_a_county_in_the_municipality_column_is_said_to_be_one(
    cell: str, register: str, county: str
) -> None:
    # "'Akershus' is not a municipality; did you mean Asker?" sent the officer to a municipality.
    result = check(row(municipalities=cell), register=register)
    issue = only_issue(result)
    assert issue.code == "validate.municipality_is_county"
    assert issue.params["county"] == county
    assert f"is the county {county}, not a municipality" in describe_issue(issue, "en")
    assert f"er fylket {county}, ikke en kommune" in describe_issue(issue, "nb")
    assert "county column (Fylke)" in describe_issue(issue, "en")
    assert not result.applications


def test_an_orgnr_in_fullwidth_digits_reads_as_the_number() -> None:
    result = check(row(orgnr="\uff19\uff17\uff14\uff17\uff16\uff10\uff16\uff17\uff13"))
    assert result.issues == ()
    (app,) = result.applications
    assert app.orgnr == "974760673"


def test_an_unknown_name_that_is_no_county_keeps_its_suggestions() -> None:
    assert codes(check(row(municipalities="Bearum"))) == ["validate.municipality_unknown"]


@pytest.mark.parametrize(
    ("register", "counties_en", "counties_nb"),
    [
        (
            "2024",
            "31 Østfold, 32 Akershus and 33 Buskerud",
            "31 Østfold, 32 Akershus og 33 Buskerud",
        ),
        (
            "2009",
            "01 Østfold, 02 Akershus, 05 Oppland, 06 Buskerud and 07 Vestfold",
            "01 Østfold, 02 Akershus, 05 Oppland, 06 Buskerud og 07 Vestfold",
        ),
    ],
)
def test_viken_in_the_municipality_column_is_said_to_be_a_former_county(
    register: str, counties_en: str, counties_nb: str
) -> None:
    # It was "did you mean Vik, Raarvihke - Røyrvik or Birkenes?": Viken was a county in
    # 2020-2023, in neither numbering, and the officer needs the counties it became.
    result = check(row(municipalities="Viken"), register=register)
    issue = only_issue(result)
    assert issue.code == "validate.municipality_former_county"
    en = describe_issue(issue, "en")
    assert (
        f"'Viken' was a county in 2020\u20132023 (30 Viken), not a municipality; its area lies "
        f"in {counties_en} in the {register} numbering. Name the municipalities in this cell"
    ) in en
    nb = describe_issue(issue, "nb")
    assert (
        f"«Viken» var et fylke i 2020\u20132023 (30 Viken), ikke en kommune; området ligger i "
        f"{counties_nb} i {register}-inndelingen. Skriv kommunene i denne cellen"
    ) in nb
    assert not result.applications


@pytest.mark.parametrize("cell", ["Viken", "30", 30.0, "Viken fylkeskommune"])
def test_viken_in_the_county_column_names_the_counties_it_became(cell: RawCell) -> None:
    issue = only_issue(check(row(municipalities=None, county=cell)))
    assert issue.code == "validate.county_former_county"
    assert issue.params["counties"] == ["31 Østfold", "32 Akershus", "33 Buskerud"]
    assert "was a county in 2020\u20132023 (30 Viken) and is not in the 2024 numbering" in (
        describe_issue(issue, "en")
    )
    assert "var et fylke i 2020\u20132023 (30 Viken) og finnes ikke i 2024-inndelingen" in (
        describe_issue(issue, "nb")
    )


def test_the_two_counties_of_a_former_county_are_read_as_both() -> None:
    # "Vestfold og Telemark" names both counties of today in a county column: kept as it was.
    (app,) = check(row(municipalities=None, county="Vestfold og Telemark")).applications
    assert app.counties == ("39", "40")
    issue = only_issue(check(row(municipalities="Vestfold og Telemark")))
    assert issue.code == "validate.municipality_former_county"
    assert issue.params["counties"] == ["39 Vestfold", "40 Telemark"]


@pytest.mark.parametrize(
    "cell", ["Hele landet", "Landsdekkende", "Nasjonalt", "hele Norge", "Nationwide"]
)
def test_the_whole_country_is_no_municipality_and_no_misspelling_of_one(cell: str) -> None:
    # "Hele landet" got "did you mean Hjelmeland, Høylandet or Våler (Innlandet)?".
    result = check(row(municipalities=cell))
    issue = only_issue(result)
    assert issue.code == "validate.municipality_whole_country"
    assert "suggestions" not in issue.params
    assert (
        f"'{cell}' means the whole country, not a municipality; this column names the "
        "municipalities a project is in: leave the cell empty for a project for the whole country"
    ) in describe_issue(issue, "en")
    assert f"«{cell}» er hele landet, ikke en kommune" in describe_issue(issue, "nb")
    assert not result.applications
    county = only_issue(check(row(municipalities=None, county=cell)))
    assert county.code == "validate.county_whole_country"
    assert "la cellen stå tom for et prosjekt for hele landet" in describe_issue(county, "nb")
    # What the message asks for is accepted: no place, for the whole country.
    (app,) = check(row(municipalities=None)).applications
    assert (app.municipalities, app.counties) == ((), ())


def test_sami_and_kven_names_of_places_as_the_research_council_writes_them() -> None:
    # The county column of the Research Council's open data ("Troms - Romsa - Tromssa") was
    # an error on every row; a name part SSB does not list is a warning, the row is kept.
    result = check(row(municipalities="Tromsø - Romsa, Snåase", county="Troms - Romsa - Tromssa"))
    (app,) = result.applications
    assert app.municipalities == ("5501", "5041")
    assert codes(result) == ["validate.municipality_name_part_unknown"]
    assert result.issues[0].severity.value == "warning"
    assert "leses som 5501 Tromsø" in describe_issue(result.issues[0], "nb")


def test_the_register_decides_which_numbers_are_valid() -> None:
    old = row(municipalities="0602, Nesset")
    assert check(old, register="2009").applications[0].municipalities == ("0602", "1543")
    result = check(old, register="2024")
    assert codes(result) == [
        "validate.municipality_number_moved",
        "validate.municipality_name_other_register",
    ]
    assert result.register == "2024"
    new = row(municipalities="3301")
    assert check(new).applications[0].counties == ("33",)
    assert codes(check(new, register="2009")) == ["validate.municipality_number_moved"]


def test_county_column_is_validated_and_agreement_checked() -> None:
    agree = check(row(municipalities="Bodø, Hamarøy", county="Nordland"))
    assert agree.issues == ()
    assert agree.applications[0].counties == ("18",)

    # The lead's county among a collaboration's counties is normal, not a disagreement.
    lead = check(row(municipalities="Stavanger, Bergen", county="Rogaland"))
    assert lead.issues == ()
    # The lead's county first, then the partners' (per-county figures count them all).
    assert lead.applications[0].counties == ("11", "46")

    disagree = check(row(municipalities="Bodø", county="Troms"))
    issue = only_issue(disagree)
    assert (issue.code, issue.severity) == ("validate.county_disagrees", Severity.WARNING)
    assert issue.params == {"given": ["55 Troms"], "derived": ["18 Nordland"]}
    # The officer's column is kept first; the municipalities' county follows it.
    assert disagree.applications[0].counties == ("55", "18")

    wrong = check(row(county="Hedmark"))
    assert codes(wrong) == ["validate.county_name_other_register"]
    assert wrong.applications == ()


def test_counties_without_a_county_column_come_from_the_municipalities() -> None:
    headers = tuple(h for h in HEADERS if h[1] != "county")
    result = validate(make_table([row(municipalities="Bergen, Oslo, Voss")], headers))
    assert result.applications[0].counties == ("46", "03")


# --- score and rank -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "score"),
    [
        (4.5, "4.5"),
        ("4,5", "4.5"),
        ("4.5", "4.5"),
        (4.0, "4"),
        (7, "7"),
        ("-1", "-1"),
        (0.1, "0.1"),
        ("4.", "4"),  # as a rank "4." is read; it was "not a number"
        ("4,", "4"),
    ],
)
def test_score_is_exact(cell: RawCell, score: str) -> None:
    assert check(row(score=cell)).applications[0].score == Decimal(score)


@pytest.mark.parametrize("cell", ["høy", "4,5,1", ".5", "4..", True, float("inf")])
def test_score_not_a_number(cell: RawCell) -> None:
    issue = only_issue(check(row(score=cell)))
    assert issue.code == "validate.score_invalid"
    assert issue.location is not None
    assert issue.location.column == "I"


@pytest.mark.parametrize(("cell", "number"), [("85 %", "85"), ("85%", "85"), ("4,5\u00a0%", "4,5")])
def test_a_score_typed_as_a_percentage_says_to_write_the_number(cell: str, number: str) -> None:
    # Refused, not read as 85: Excel keeps 85 % typed in a cell as 0,85, so a column may hold
    # both. The message said only "not a number; expected a score such as 4 or 4,5".
    issue = only_issue(check(row(score=cell)))
    assert issue.code == "validate.score_percent"
    assert issue.params == {"number": number}
    assert f"without the percent sign ({number})" in describe_issue(issue, "en")
    assert f"uten prosenttegn ({number})" in describe_issue(issue, "nb")


def test_a_score_a_spreadsheet_made_a_date_says_how_and_what_to_type() -> None:
    # 4.5 typed into Excel set to Norwegian becomes 4 May of this year.
    issue = only_issue(check(row(score=date(2026, 5, 4))))
    assert issue.code == "validate.score_date"
    assert issue.params == {"day": 4, "month": 5}
    assert "makes a date of 4.5 typed in. If the score is 4,5" in describe_issue(issue)
    assert "Er poengsummen 4,5, formater kolonnen som tall" in describe_issue(issue, "nb")


@pytest.mark.parametrize("cell", ["04.05.2026", "4.5.26", "04.mai", "4.mai.2026", " 04.MAI "])
def test_a_score_saved_to_csv_as_a_date_says_how_and_what_to_type(cell: str) -> None:
    # Norwegian Excel made 4.5 a date and saved the date's text in the CSV file: the message
    # said only "not a number", though a date cell says what happened and what to type.
    issue = only_issue(check(row(score=cell)))
    assert issue.code == "validate.score_date"
    assert issue.params == {"day": 4, "month": 5}
    assert "Er poengsummen 4,5, formater kolonnen som tall" in describe_issue(issue, "nb")
    assert "makes a date of 4.5 typed in. If the score is 4,5" in describe_issue(issue, "en")


@pytest.mark.parametrize("cell", ["03.03.2009", "3.mar"])
def test_an_amount_saved_to_csv_as_a_date_says_so(cell: str) -> None:
    issue = only_issue(check(row(requested=cell)))
    assert issue.code == "validate.amount_date"
    assert "er en dato, ikke et beløp" in describe_issue(issue, "nb")
    assert "such as 3.3 typed in" in describe_issue(issue, "en")


@pytest.mark.parametrize("cell", ["4.5", "1.500.000", "32.13.2026", "4.maiden"])
def test_a_text_that_is_no_date_is_not_said_to_be_one(cell: str) -> None:
    result = check(row(score=cell, requested=cell))
    assert "validate.score_date" not in [i.code for i in result.issues]
    assert "validate.amount_date" not in [i.code for i in result.issues]


def test_an_amount_a_spreadsheet_made_a_date_says_so() -> None:
    issue = only_issue(check(row(requested=date(2009, 3, 3))))
    assert "'2009-03-03' is a date, not an amount" in describe_issue(issue)
    assert "such as 3.3 typed in" in describe_issue(issue)


@pytest.mark.parametrize(("cell", "rank"), [(1.0, 1), ("2", 2), (Decimal(3), 3), ("12.", 12)])
def test_rank_is_a_whole_number_from_one(cell: RawCell, rank: int) -> None:
    assert check(row(rank=cell)).applications[0].rank == rank


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("første", "validate.rank_invalid"),
        (0.0, "validate.rank_below_one"),
        (-1.0, "validate.rank_below_one"),
        ("0", "validate.rank_below_one"),
        (1.5, "validate.rank_not_whole"),
        ("1,5", "validate.rank_not_whole"),
        (1e10, "validate.rank_too_large"),
        ("1 000 000 001", "validate.rank_too_large"),
    ],
)
def test_rank_errors(cell: RawCell, code: str) -> None:
    assert codes(check(row(rank=cell))) == [code]


def test_rank_messages_say_what_is_wrong_with_the_number() -> None:
    def said(cell: RawCell, lang: str) -> str:
        return describe_issue(only_issue(check(row(rank=cell))), lang)

    assert "'2,5' is not a whole number; expected a rank, a whole number from 1" in said(
        "2,5", "en"
    )
    assert "Ranks may leave gaps (10, 20, 30, kept as given)" in said("2,5", "en")
    assert "«2,5» er ikke et helt tall; forventet en rangering" in said("2,5", "nb")
    assert "'0' is below 1; expected a rank, a whole number from 1 (1 first)" in said(0.0, "en")
    assert "«-3» er under 1; forventet en rangering" in said("-3", "nb")
    large = said(1e12, "nb").replace("\u00a0", " ")
    assert "er større enn tilskudd tar imot for en rangering" in large
    assert "fra 1 til 1 000 000 000" in large
    # The largest rank is taken, as a number and as text.
    assert check(row(rank=1e9)).applications[0].rank == 1_000_000_000
    assert check(row(rank="1 000 000 000")).applications[0].rank == 1_000_000_000


def test_require_score_or_rank() -> None:
    require = ("requested", "score|rank")
    result = check(row(score=None), row(id="A2", score=None, rank=1.0), require=require)
    assert codes(result) == ["validate.required_any"]
    assert result.issues[0].params == {"fields": ["score", "rank"]}
    assert "score or rank" in describe_issue(result.issues[0], "en")
    assert "poeng eller rangering" in describe_issue(result.issues[0], "nb")
    assert [a.id for a in result.applications] == ["A2"]

    headers = tuple(h for h in HEADERS if h[1] not in ("score", "rank"))
    missing = validate(make_table([row()], headers), require=require)
    assert codes(missing) == ["validate.column_missing"]
    assert missing.applications == ()
    # required by the rule, not the file: said with the rule that needs neither
    assert "otherwise allocate with --rule proportional" in describe_issue(missing.issues[0], "en")
    assert "ellers fordeler du med --rule proportional" in describe_issue(missing.issues[0], "nb")


def test_require_refuses_unknown_fields() -> None:
    with pytest.raises(UsageError, match="budget"):
        check(row(), require=("budget",))


# --- ids and duplicates ---------------------------------------------------------------------


def test_numeric_id_loses_its_point_zero() -> None:
    assert check(row(id=12.0)).applications[0].id == "12"


def test_missing_id_is_made_from_the_row_number_with_a_warning() -> None:
    result = check(row(id=None), row(id="R2"), row(id="  "))
    # Row 2's own id would be R2, which row 3 has: it becomes R2-2.
    assert [a.id for a in result.applications] == ["R2-2", "R2", "R4"]
    assert codes(result) == ["validate.id_generated", "validate.id_generated"]
    assert all(i.severity is Severity.WARNING for i in result.issues)
    assert result.ok
    assert "R4" in describe_issue(result.issues[1], "nb")


def test_a_bidi_control_in_a_text_is_shown_as_its_code_with_a_warning_on_its_cell() -> None:
    result = check(
        row(applicant="Oslo\u202e kommune", project="Tittel \u2066abc\u2069", Notat="x\x1by"),
        row(id="A2", category="IKT\u200f"),
    )
    first, second = result.applications
    assert first.applicant == "Oslo<U+202E> kommune"
    assert first.project == "Tittel <U+2066>abc<U+2069>"
    assert first.extra["Notat"] == "x<U+001B>y"
    assert second.category == "IKT<U+200F>"
    assert result.ok
    found = [
        (i.location.cell if i.location else None, i.params["characters"]) for i in result.issues
    ]
    assert found == [
        ("Søknader!B2", ["U+202E"]),
        ("Søknader!D2", ["U+2066", "U+2069"]),
        ("Søknader!O2", ["U+001B"]),
        ("Søknader!K3", ["U+200F"]),
    ]
    assert codes(result) == ["validate.hidden_characters"] * 4
    assert all(i.severity is Severity.WARNING for i in result.issues)
    assert "Tittel <U+2066>abc<U+2069>" in describe_issue(result.issues[1], "en")


def test_the_header_of_a_carried_column_is_shown_as_every_text_is() -> None:
    headers = (*HEADERS[:-1], ("Not\u202eat", None))
    result = validate(make_table([row()], headers))
    issue = only_issue(result)
    assert issue.code == "validate.hidden_characters"
    assert issue.location is not None
    assert (issue.location.cell, issue.location.header) == ("Søknader!O1", "Not<U+202E>at")
    carried = validate(make_table([{**row(), "Not\u202eat": "y"}], headers)).applications[0]
    assert carried.extra == {"Not<U+202E>at": "y"}


def test_a_message_quoting_a_cell_shows_its_bidi_control_as_a_code() -> None:
    issue = only_issue(check(row(requested="12\u202e00")))
    assert issue.code == "validate.amount_invalid"
    for lang in ("en", "nb"):
        line = describe_issue(issue, lang)
        assert "12<U+202E>00" in line
        assert "\u202e" not in line


@pytest.mark.parametrize(
    ("cells", "municipalities", "counties", "cell"),
    [
        ({"municipalities": "Oslo\u202e"}, ("0301",), ("03",), "E"),
        ({"municipalities": "\u202eOslo kommune, Bærum"}, ("0301", "3201"), ("03", "32"), "E"),
        # Read without the character, as the name it was typed into.
        ({"municipalities": "Os\u202elo"}, ("0301",), ("03",), "E"),
        ({"municipalities": "0301\x1b"}, ("0301",), ("03",), "E"),
        ({"municipalities": None, "county": "Vest\u202eland"}, (), ("46",), "F"),
        ({"municipalities": None, "county": "03\u2066"}, (), ("03",), "F"),
    ],
)
def test_a_control_character_in_a_place_cell_warns_on_it_and_the_place_is_read(
    cells: dict[str, RawCell], municipalities: tuple[str, ...], counties: tuple[str, ...], cell: str
) -> None:
    # Two rows alike: the second is read from what the first found, and warns as well.
    result = check(row(**cells), row(id="A2", **cells))
    for application in result.applications:
        assert (application.municipalities, application.counties) == (municipalities, counties)
    assert codes(result) == ["validate.hidden_characters"] * 2
    assert [i.location.cell for i in result.issues if i.location] == [
        f"Søknader!{cell}2",
        f"Søknader!{cell}3",
    ]
    assert all(i.severity is Severity.WARNING for i in result.issues)
    assert "The place is read without it" in describe_issue(result.issues[0], "en")
    assert "Stedet leses uten det" in describe_issue(result.issues[0], "nb")


@pytest.mark.parametrize(
    ("cells", "item"),
    [
        ({"municipalities": "Oslo\u202eBærum"}, "Oslo<U+202E>Bærum"),
        ({"municipalities": None, "county": "Vest\u202elandet"}, "Vest<U+202E>landet"),
    ],
)
def test_a_place_a_control_character_keeps_from_being_read_says_so_in_its_error(
    cells: dict[str, RawCell], item: str
) -> None:
    result = check(row(**cells))
    issue = only_issue(result)
    assert issue.is_error
    assert issue.params["hidden"] == ["U+202E"]
    assert issue.value is not None
    assert "<U+202E>" in issue.value
    english = describe_issue(issue, "en")
    assert f"'{item}' is not a" in english
    assert "holds U+202E" in english
    assert "inneholder U+202E" in describe_issue(issue, "nb")


def test_an_id_with_a_bidi_control_is_shown_as_its_code() -> None:
    result = check(row(id="A1\u202e", project="P1"), row(id="A2"))
    assert [a.id for a in result.applications] == ["A1<U+202E>", "A2"]
    assert only_issue(result).location.cell == "Søknader!A2"  # type: ignore[union-attr]


def test_a_warning_quotes_a_long_text_around_its_first_hidden_character() -> None:
    title = "x" * 5000 + "\u202e" + "y" * 5000
    issue = only_issue(check(row(project=title)))
    shown = issue.params["shown"]
    assert shown.startswith("…x")
    assert shown.endswith("y…")
    assert "<U+202E>" in shown
    assert len(shown) < 100


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("x" * 32_768, 32_768),
        ("y" * 40_000, 40_000),
        ("😀" * 16_384, 32_768),  # two code units each, as Excel counts them
    ],
)
def test_a_text_longer_than_a_cell_holds_is_a_warning_on_its_cell(text: str, length: int) -> None:
    result = check(row(project=text), row(id="A2", Notat=text))
    assert codes(result) == ["validate.text_too_long"] * 2
    assert [i.location.cell for i in result.issues if i.location] == ["Søknader!D2", "Søknader!O3"]
    assert result.issues[0].params == {"length": length, "max": 32_767}
    assert result.applications[0].project == text  # whole: the workbooks cut it, the JSON not
    assert result.ok


@pytest.mark.parametrize("text", ["x" * 32_767, "😀" * 16_383 + "x", "x" * 16_383])
def test_a_text_a_cell_holds_is_no_warning(text: str) -> None:
    assert check(row(project=text), row(id="A2", Notat=text)).issues == ()


def test_the_cell_limit_is_the_workbook_writers() -> None:
    from tilskudd.export._sheetml import MAX_CELL_CHARS
    from tilskudd.validation import CELL_CHARS

    assert CELL_CHARS == MAX_CELL_CHARS


def test_a_file_without_an_id_column_gets_one_warning_not_one_per_row() -> None:
    # A real file (Uster's culture grants, 485 rows) has no id column: one warning at the
    # header naming the ids made, not 485 that bury the errors.
    headers = [(h, f) for h, f in HEADERS if f != "id"]
    rows = [row(id=None, project=f"Prosjekt {n}") for n in range(3)]
    result = validate(make_table(rows, headers))
    assert result.ok
    (issue,) = result.issues
    assert (issue.code, issue.severity, issue.field) == (
        "validate.id_column_missing",
        Severity.WARNING,
        "id",
    )
    assert issue.location is not None
    assert issue.location.row == 1
    assert [a.id for a in result.applications] == ["R2", "R3", "R4"]
    assert "R2 to R4" in describe_issue(issue)
    assert "R2 til R4" in describe_issue(issue, "nb")


def test_a_row_with_an_amount_and_nothing_to_say_whose_is_an_error() -> None:
    # A subtotal of filtered rows under the applications (not the sum of all of them, so not
    # taken for a totals row): funding it would pay no one.
    stray = {"requested": 900_000.0, "score": 3.0}
    result = check(row(), stray)
    assert [a.id for a in result.applications] == ["A1"]
    (issue,) = result.issues
    assert issue.code == "validate.unidentified"
    assert issue.location is not None
    assert (issue.location.row, issue.location.column) == (3, None)
    assert [r.row for r in result.rejected] == [3]
    text = describe_issue(issue)
    assert "no id, applicant, organisation number, project or municipalities" in text
    assert "verken søknadsnummer, søker" in describe_issue(issue, "nb")


@pytest.mark.parametrize(
    ("field", "text"), [("applicant", "Sum teater"), ("project", "Delsum kultur")]
)
def test_a_subtotal_that_is_no_sum_of_the_rows_above_is_an_error(field: str, text: str) -> None:
    # "Sum teater" over a SUBTOTAL of filtered rows is not the sum of the rows above it, so the
    # reader keeps it: it was an application, funded by the proportional rule with a warning.
    stray = {"id": None, "applicant": None, "orgnr": None, "project": None}
    stray |= {"municipalities": None, "requested": 350_000.0, "score": None, field: text}
    result = check(row(), stray)
    assert [a.id for a in result.applications] == ["A1"]
    issue = next(i for i in result.issues if i.severity is Severity.ERROR)
    assert issue.code == "validate.totals_row"
    assert issue.field == field
    said = describe_issue(issue, "nb")
    assert f"«{text}» ser ut som en sumrad, ikke en søknad, og raden har ikke søknadsnummer" in said
    assert f"'{text}' reads as a totals row, not an application" in describe_issue(issue, "en")


def test_an_applicant_named_like_a_total_in_a_place_is_an_application() -> None:
    other = row(id=None, applicant="Total Norge AS", orgnr=None, municipalities="Oslo")
    result = check(row(), other)
    assert len(result.applications) == 2


def test_a_table_with_no_column_naming_applicants_is_not_refused_row_by_row() -> None:
    headers = [(h, f) for h, f in HEADERS if f in ("requested", "score")]
    result = validate(make_table([{"requested": 100_000.0, "score": 4.0}] * 2, headers))
    assert result.ok
    assert [i.code for i in result.issues] == ["validate.id_column_missing"]


def test_duplicate_ids_are_an_error_on_every_row_that_has_one() -> None:
    result = check(row(), row(project="Annet"), row(id="A2"), row(project="Tredje"))
    assert not result.warnings
    assert [a.id for a in result.applications] == ["A2"]
    assert [r.row for r in result.rejected] == [2, 3, 5]
    issues = [i for i in result.issues if i.code == "validate.id_duplicate"]
    assert [i.location.row for i in issues if i.location] == [2, 3, 5]
    assert issues[0].params == {"id": "A1", "rows": ["2", "3", "5"], "other_rows": ["3", "5"]}
    assert "radene 2, 3 og 5" in describe_issue(issues[0], "nb")
    # In a result every application appears once: the rejected duplicates are told apart.
    # By the cell of the id, which reads the same in both languages ("row 2" was English).
    assert [r.id for r in result.rejected] == ["A1 (A2)", "A1 (A3)", "A1 (A5)"]


def test_an_id_with_an_invisible_character_is_the_same_id() -> None:
    # "A1" and "A1" with a zero-width space look the same in the sheet and every output, and
    # were two applications.
    result = check(row(), row(id="A1\u200b", project="Annet"))
    assert [i.code for i in result.issues] == ["validate.id_duplicate"] * 2
    assert [r.row for r in result.rejected] == [2, 3]


@pytest.mark.parametrize(
    ("cell", "score"), [("\u200b4,5", Decimal("4.5")), ("4\u00ad", Decimal(4))]
)
def test_a_score_with_an_invisible_character_is_read(cell: str, score: Decimal) -> None:
    result = check(row(score=cell))
    assert result.issues == ()
    assert result.applications[0].score == score


def test_same_orgnr_and_project_twice_is_a_warning_on_both() -> None:
    result = check(
        row(project="Felles saksbehandling"),
        row(id="A2", project="  felles   SAKSBEHANDLING "),
        row(id="A3", orgnr="974 760 673", project="X"),
    )
    assert len(result.applications) == 3
    issues = result.warnings
    assert [i.code for i in issues] == ["validate.duplicate_project"] * 2
    assert issues[0].params == {
        "orgnr": ORGNR,
        "register": 0,
        "rows": ["2", "3"],
        "other_rows": ["3"],
    }
    assert result.ok


def _project_key(project: str) -> str:
    """A title as compared before the keys were made in C: the reference for _project_keys."""
    key = project.casefold()
    if "  " in key or not key.isprintable():
        key = " ".join(key.split())
    return key


@settings(max_examples=300, deadline=None)
@given(titles=st.lists(st.none() | st.text().map(str.strip), max_size=5))
def test_project_titles_compare_without_case_and_spacing(titles: list[str | None]) -> None:
    from tilskudd.validation import _project_keys

    expected = [_project_key(title) if title else "" for title in titles]
    assert list(_project_keys(titles)) == expected


_ORGNRS = [None, ORGNR, "974760672"]
_TITLES = [None, "", "P", "p", "P  Q", "p\u00a0q", "Q"]


@settings(max_examples=300, deadline=None)
@given(pairs=st.lists(st.tuples(st.sampled_from(_ORGNRS), st.sampled_from(_TITLES)), max_size=8))
def test_same_projects_groups_rows_by_orgnr_and_title(pairs: list[tuple[str | None, str]]) -> None:
    from tilskudd.validation import _DATA, _same_projects

    datas = [
        tuple({"orgnr": orgnr, "project": title}.get(name) for name in _DATA)
        for orgnr, title in pairs
    ]
    expected: dict[tuple[str, str], list[int]] = {}
    for index, (orgnr, title) in enumerate(pairs):
        if orgnr is not None and title:
            expected.setdefault((orgnr, _project_key(title)), []).append(index)
    assert _same_projects(datas) == {k: v for k, v in expected.items() if len(v) > 1}


def test_same_projects_makes_keys_of_the_titles_of_organisations_with_more_rows_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Most organisations apply once a round: only the titles of one with more than one row
    can be the same project twice, and only those are made into keys to compare."""
    from tilskudd import validation
    from tilskudd.validation import _DATA, _same_projects

    keyed: list[str | None] = []
    make_keys = validation._project_keys

    def recorded(projects: list[str | None]) -> Iterator[str]:
        keyed.extend(projects)
        return make_keys(projects)

    monkeypatch.setattr(validation, "_project_keys", recorded)
    pairs = [
        (ORGNR, "Felles sak"),
        ("974760672", "Felles sak"),
        (None, "Felles sak"),
        (ORGNR, "felles  SAK"),
        ("889640782", "Eget arkiv"),
    ]
    datas = [
        tuple({"orgnr": orgnr, "project": title}.get(name) for name in _DATA)
        for orgnr, title in pairs
    ]
    assert _same_projects(datas) == {(ORGNR, "felles sak"): [0, 3]}
    assert keyed == ["Felles sak", "felles  SAK"]


_IDS = ["A1", " A1", "", "  ", 7.0, 7.5, 8, None, True, math.inf, Decimal("3"), date(2009, 3, 1)]


@settings(max_examples=300, deadline=None)
@given(
    column=st.one_of(
        st.lists(st.sampled_from(_IDS)),
        st.lists(st.integers(0, 10**12).map(float)),
        st.lists(st.text()),
    )
)
def test_ids_read_by_column_are_what_each_cell_gives(column: list[RawCell]) -> None:
    from tilskudd.validation import _given_id, _given_ids

    assert _given_ids(column) == [_given_id(cell) for cell in column]


# --- formulas -------------------------------------------------------------------------------


def test_formula_without_value_is_an_error_naming_the_cell() -> None:
    result = check(row(requested=FormulaWithoutValue("=SUM(G3:G9)")))
    issue = only_issue(result)
    assert issue.code == "validate.formula_without_value"
    assert issue.params == {"formula": "=SUM(G3:G9)"}
    text = describe_issue(issue, "en")
    assert text.startswith("søknader.xlsx, Søknader!G2 (Omsøkt beløp): the formula =SUM(G3:G9)")
    assert "open and save the file" in text


def test_formula_is_shown_with_its_equals_sign() -> None:
    # calamine gives the formula text without '='; people know formulas by it.
    issue = only_issue(check(row(total_cost=FormulaWithoutValue("G14*0.2"))))
    assert (issue.params, issue.value) == ({"formula": "=G14*0.2"}, "=G14*0.2")


@pytest.mark.parametrize(
    "field", ["id", "orgnr", "municipalities", "score", "applicant", "decision"]
)
def test_formula_without_value_in_any_used_cell(field: str) -> None:
    issue = only_issue(check(row(**{field: FormulaWithoutValue("=A1")})))
    assert (issue.code, issue.field) == ("validate.formula_without_value", field)


def test_formula_without_value_in_a_carried_column_is_a_warning() -> None:
    result = check(row(Notat=FormulaWithoutValue("=B2&C2")))
    issue = only_issue(result)
    assert (issue.code, issue.severity) == (
        "validate.formula_without_value_extra",
        Severity.WARNING,
    )
    assert issue.location is not None
    assert issue.location.column == "O"
    assert result.applications[0].extra == {"Notat": None}


def test_an_error_cell_is_an_error_naming_the_error_and_the_formula() -> None:
    """A failed lookup must not pass as "no total cost" (which skips the share-of-cost cap)."""
    issue = only_issue(check(row(total_cost=FormulaWithoutValue("VLOOKUP(A2,K!A:B,2)", "#N/A"))))
    assert issue.code == "validate.cell_error_formula"
    assert issue.params == {"error": "#N/A", "formula": "=VLOOKUP(A2,K!A:B,2)"}
    assert issue.value == "#N/A"
    assert "shows the error #N/A (its formula =VLOOKUP(A2,K!A:B,2) failed)" in describe_issue(
        issue, "en"
    )
    assert "feilen #N/A" in describe_issue(issue, "nb")


def test_an_error_typed_as_a_value_and_one_in_a_carried_column() -> None:
    issue = only_issue(check(row(requested=FormulaWithoutValue("", "#REF!"))))
    assert (issue.code, issue.params) == ("validate.cell_error", {"error": "#REF!"})
    result = check(row(Notat=FormulaWithoutValue("B2/0", "#DIV/0!")))
    issue = only_issue(result)
    assert (issue.code, issue.severity) == ("validate.cell_error_formula_extra", Severity.WARNING)
    assert result.applications[0].extra == {"Notat": None}


# --- decisions (manual overrides) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "decision"),
    [
        ("fund", "fund"),
        ("Innvilget", "fund"),
        ("INNVILG", "fund"),
        ("avslå", "reject"),
        ("Avslag", "reject"),
        ("avslått", "reject"),
        ("reject", "reject"),
        ("Reserve", "reserve"),
    ],
)
def test_decision_words(word: str, decision: str) -> None:
    amount = 1_000_000.0 if decision == "fund" else None
    cells = row(decision=word, decision_amount=amount, decision_reason="Vedtak i styret 12.3.")
    (app,) = check(cells).applications
    assert (app.decision, app.decision_reason) == (decision, "Vedtak i styret 12.3.")
    assert app.decision_amount == (1_000_000 if decision == "fund" else None)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"decision": "ja", "decision_reason": "x"}, ["decision_invalid"]),
        ({"decision": "avslå"}, ["decision_reason_missing"]),
        ({"decision": "innvilg", "decision_reason": "x"}, ["decision_amount_missing"]),
        (
            {"decision": "innvilg", "decision_amount": 0.0, "decision_reason": "x"},
            ["decision_amount_zero"],
        ),
        (
            {"decision": "innvilg", "decision_amount": 9_000_000.0, "decision_reason": "x"},
            ["decision_amount_above_requested"],
        ),
        (
            {"decision": "avslå", "decision_amount": 5000.0, "decision_reason": "x"},
            ["decision_amount_not_fund"],
        ),
        ({"decision_amount": 5000.0}, ["decision_amount_without_decision"]),
        ({"decision": "innvilg"}, ["decision_amount_missing", "decision_reason_missing"]),
    ],
)
def test_decision_errors(cells: dict[str, RawCell], expected: list[str]) -> None:
    result = check(row(**cells))
    assert sorted(codes(result)) == sorted(f"validate.{c}" for c in expected)
    assert result.applications == ()


def test_decision_reject_with_zero_amount_is_fine() -> None:
    (app,) = check(row(decision="avslag", decision_amount=0.0, decision_reason="x")).applications
    assert (app.decision, app.decision_amount) == ("reject", 0)


@pytest.mark.parametrize(
    ("typed", "decision"),
    [
        ("Bevilget", "fund"),
        ("bevilges", "fund"),
        ("Bevilg", "fund"),
        ("Tilsagn", "fund"),
        ("Avvist", "reject"),
        ("avvis", "reject"),
        # In nynorsk, as the counties and municipalities that write it officially decide.
        ("Innvilga", "fund"),
        ("innvilgast", "fund"),
        ("Løyvd", "fund"),
        ("Løyving", "fund"),
        ("Tilsegn", "fund"),
        ("Avslåast", "reject"),
        ("Avvisast", "reject"),
    ],
)
def test_decision_words_of_the_grant_offices_are_understood(typed: str, decision: str) -> None:
    """Norwegian funders write "Bevilget" and "Tilsagn" for a grant (the Research Council's
    real data has "Bevilgning" as a project's phase) and "Avvist" for a refusal: each was
    "not a decision", cell by cell, in a column the officer had filled in by hand."""
    amount = 100_000.0 if decision == "fund" else None
    (app,) = check(
        row(decision=typed, decision_amount=amount, decision_reason="Styret")
    ).applications
    assert app.decision == decision


def test_decision_messages_quote_what_the_officer_typed() -> None:
    issue = only_issue(check(row(decision="Avslått")))
    assert "«Avslått»" in describe_issue(issue, "nb")


# --- text and carried-through columns -------------------------------------------------------


def test_text_fields_are_stripped_and_numbers_become_text() -> None:
    (app,) = check(row(applicant="  Moss kommune ", project=2009.0, category=3)).applications
    assert (app.applicant, app.project, app.category) == ("Moss kommune", "2009", "3")
    assert check(row(applicant="   ")).applications[0].applicant is None


@pytest.mark.parametrize(
    ("cell", "kept"),
    [
        ("tekst ", "tekst "),
        (None, None),
        (2.0, 2),
        (2.5, Decimal("2.5")),
        (7, 7),
        (True, True),
        (Decimal("1.10"), Decimal("1.10")),
        (date(2009, 3, 1), "2009-03-01"),
        (datetime(2009, 3, 1), "2009-03-01"),
        (datetime(2009, 3, 1, 12, 30), "2009-03-01 12:30:00"),
    ],
)
def test_extra_cells_are_carried_json_able(cell: RawCell, kept: object) -> None:
    (app,) = check(row(Notat=cell)).applications
    assert app.extra == {"Notat": kept}
    assert type(app.extra["Notat"]) is type(kept)


def test_extra_columns_are_listed_in_file_order() -> None:
    table = make_table([row(Z="z", Y="y")], (*HEADERS, ("Z", None), ("Y", None)))
    table.extra = dict(reversed(list(table.extra.items())))  # a reader may build it any order
    result = validate(table)
    assert result.extra_columns == ("Notat", "Z", "Y")
    assert list(result.applications[0].extra) == ["Notat", "Z", "Y"]


def test_rejected_rows_keep_what_could_be_read() -> None:
    result = check(row(orgnr="1", Notat="viktig"))
    (rejected,) = result.rejected
    assert (rejected.applicant, rejected.project, rejected.requested) == (
        "Moss kommune",
        "Prosjekt A1",
        3_300_000,
    )
    assert rejected.extra == {"Notat": "viktig"}


def test_short_rows_read_as_empty_cells() -> None:
    table = make_table([row()])
    table.rows = [(2, ["A1", "Moss", ORGNR, "P", "Oslo", None, 100_000.0])]
    (app,) = validate(table).applications
    assert (app.requested, app.total_cost, app.extra) == (100_000, None, {"Notat": None})


# --- one pass, order, result ----------------------------------------------------------------


def test_every_problem_of_a_row_is_reported_in_one_pass() -> None:
    result = check(row(orgnr="974760672", requested="3,300", score="høy"))
    assert codes(result) == [
        "validate.orgnr_checksum",
        "validate.amount_ambiguous",
        "validate.score_invalid",
    ]
    assert len(result.rejected[0].issues) == 3


def test_issue_order_reader_first_then_rows_in_file_order() -> None:
    reading = Issue(severity=Severity.WARNING, code="read.totals_row_skipped")
    table = make_table(
        [row(id="B", score="x"), row(id="A", orgnr="1"), row(id="C", Notat="ok")], issues=[reading]
    )
    result = validate(table)
    assert result.issues[0] is reading
    assert [i.application_id for i in result.issues[1:]] == ["B", "A"]
    assert (len(result.errors), len(result.warnings), result.ok) == (2, 1, False)


def summary(result: ValidationResult) -> tuple[list[Application], dict[str, list[str]]]:
    issues: dict[str, list[str]] = {}
    for issue in result.issues:
        issues.setdefault(issue.application_id or "", []).append(issue.code)
    apps = sorted(result.applications, key=lambda a: a.id)
    return apps, {k: sorted(v) for k, v in sorted(issues.items())}


MIXED_ROWS = [
    row(id="A1", project="Felles saksbehandling"),
    row(id="A2", project=" felles saksbehandling"),  # same orgnr + project as A1
    row(id="A3", requested="3,300"),
    row(id="A3", orgnr="974760672", project="Tredje"),  # duplicate id
    row(id="A5", municipalities="Herøy, Bergen", project="Femte"),
    row(id="A6", decision="innvilg", decision_amount=1000.0, decision_reason="ok", project="6"),
    row(id="A7", score="4,5", project="7", county="Troms"),
]


@settings(max_examples=30, deadline=None)
@given(order=st.permutations(range(len(MIXED_ROWS))))
def test_same_result_whatever_the_row_order(order: list[int]) -> None:
    # Row numbers travel with their rows: a row keeps its place in the sheet's numbering.
    table = make_table(MIXED_ROWS)
    expected = summary(validate(table))
    table.rows = [table.rows[i] for i in order]
    assert summary(validate(table)) == expected


# Cells for each column: the common kinds (the fast path's), and the rest.
_COMMON: dict[str, list[RawCell]] = {
    "id": ["A1", "A2", " A3 ", 7.0],
    "applicant": ["Moss kommune", "  ", None],
    "orgnr": [ORGNR, "974760673", 974760673.0, "974 760 673", None],
    "project": ["P1", "p1 ", "P  1", "Felles\u00a0sak", None],
    "municipalities": ["Oslo", "0301, 4601", "Bergen,Oslo,bergen", "  ", None],
    "county": [None, None, "03", "46", "Oslo"],
    "requested": [3_300_000.0, 100.0, 3_300_000, "3 300 000 kr", "100"],
    "total_cost": [None, 16_500_000.0, 100.0, 16_500_000, "16 500 000", "100,-"],
    "score": [4.5, 4.0, None, -0.0, "4,5", "4.5", " 4 "],
    "rank": [None, 1.0, 2.0, "1", "2."],
    "category": [None, " IKT ", ""],
    "decision": [None],
    "decision_amount": [None],
    "decision_reason": [None, "ok", " "],
    "Notat": [None, "x", 1.5, 2.0],
}
_RARE: dict[str, list[RawCell]] = {
    "id": ["", None, FormulaWithoutValue("=A1"), True, "A\u202e9", "A\x1b9"],
    "applicant": [12.0, True, FormulaWithoutValue("=B1"), "Oslo\u202e kommune"],
    "orgnr": [
        "974760672",
        "0",
        "000000000",
        "1",
        "NO 974760673 MVA",
        97.5,
        974760672.0,
        0.0,
        74760673.0,
        1974760673.0,
        -974760673.0,
        math.nan,
    ],
    "project": [2009.0, date(2009, 3, 1), "P\x1b[1m\nP2", "p" * 16_384, "p" * 32_768],
    "municipalities": ["Herøy", "Bergen; Oslo", 301.0, "Hamary", "0602", "Oslo og Bergen"],
    "county": ["Vestland", 3.0, "Troms", "99", "Bergen"],
    "requested": [0.0, -5.0, "3,300", "3 300 000", 1.5, None, "", math.inf, True, "0", "-5", "1,5"],
    "total_cost": [50.0, "x", 0.0, "16 500 000", math.nan, "50", " ", "0"],
    "score": ["4,5", math.nan, math.inf, "høy", 4, Decimal("4.5"), " ", "-1", "1e3", "inf"],
    "rank": [0.0, 1.5, "1", True, 3, " ", "0", "1,5", "x", "-1"],
    "category": [3.0, False, "IKT\u200f"],
    "decision": ["innvilg", "avslag", "reserve", "kanskje", 1.0],
    "decision_amount": [1000.0, 0.0, 5_000_000.0, "x"],
    "decision_reason": [1.0, FormulaWithoutValue("=N1"), "ok\u2066"],
    "Notat": [
        FormulaWithoutValue("=B2"),
        True,
        date(2009, 3, 1),
        math.inf,
        "x\u202ey",
        "z" * 32_768,
    ],
}


@st.composite
def _mostly_common_row(draw: st.DrawFn) -> dict[str, RawCell]:
    cells = {field: draw(st.sampled_from(pool)) for field, pool in _COMMON.items()}
    for field in draw(st.sets(st.sampled_from(sorted(_RARE)), max_size=2)):
        cells[field] = draw(st.sampled_from(_RARE[field]))
    return cells


@settings(max_examples=400, deadline=None)
@given(
    rows=st.lists(_mostly_common_row(), max_size=6),
    require=st.sampled_from([("requested",), ("requested", "score|rank"), ("orgnr",)]),
)
def test_fast_path_gives_what_the_full_check_gives(
    rows: list[dict[str, RawCell]], require: tuple[str, ...]
) -> None:
    from unittest.mock import patch

    from tilskudd.validation import _Checker

    table = make_table(rows)
    fast = validate(table, require=require)
    with patch.object(_Checker, "quick", return_value=None):
        full = validate(table, require=require)
    assert fast == full
    # check_table finds the same, and every row it accepts makes a valid Application (pydantic
    # validates them when they are first read): the report may skip making them.
    checked = check_table(table, require=require)
    assert (checked.rejected, checked.issues, checked.ok) == (full.rejected, full.issues, full.ok)
    assert len(checked.applications) == len(full.applications)
    assert tuple(checked.applications) == full.applications


@pytest.mark.parametrize(
    ("field", "cell"),
    [(field, cell) for pool in (_COMMON, _RARE) for field, cells in pool.items() for cell in cells],
)
def test_each_cell_alone_gives_through_the_fast_path_what_the_full_check_gives(
    field: str, cell: RawCell
) -> None:
    # Every listed cell once, in an otherwise common row: what the property test above may
    # miss by chance.
    from unittest.mock import patch

    from tilskudd.validation import _Checker

    table = make_table([row(**{field: cell}), row(id="B2", county="46")])
    fast = validate(table)
    with patch.object(_Checker, "quick", return_value=None):
        full = validate(table)
    assert fast == full
    assert [app.__dict__ for app in fast.applications] == [
        app.__dict__ for app in full.applications
    ]


def test_check_table_makes_the_applications_only_when_they_are_read() -> None:
    from unittest.mock import patch

    table = make_table([row(id="A1"), row(id="A2"), row(id="A3", requested="x")])
    with patch("tilskudd.validation._direct", side_effect=AssertionError("made")):
        checked = check_table(table)
        assert (len(checked.applications), len(checked.rejected)) == (2, 1)
    assert [app.id for app in checked.applications] == ["A1", "A2"]
    assert checked.applications[-1].requested == 3_300_000
    assert checked.applications[:1] == validate(table).applications[:1]


def test_the_common_row_takes_the_fast_path() -> None:
    from unittest.mock import patch

    from tilskudd.validation import _Checker

    rows = [row(id="A1"), row(id="A2", municipalities="0301, Bergen", rank=1.0, Notat=2.0)]
    with patch.object(_Checker, "check", side_effect=AssertionError("full check")):
        result = check(*rows, require=("requested", "score|rank"))
    assert [app.id for app in result.applications] == ["A1", "A2"]
    assert result.applications[1].counties == ("03", "46")
    assert result.applications[1].extra == {"Notat": 2}


def test_every_issue_code_has_words_in_both_languages() -> None:
    result = check(
        *MIXED_ROWS, row(id=None, total_cost="x", rank=0.0, Notat=FormulaWithoutValue("=1"))
    )
    seen = {issue.code for issue in result.issues}
    assert len(seen) >= 10
    for lang in ("en", "nb"):
        t = get(lang)
        missing = [code for code in seen if not t.has(code)]
        assert missing == [], lang


def test_catalogues_have_the_same_validate_keys() -> None:
    from tilskudd.i18n import _catalogue

    en = {k for k in _catalogue("en") if k.startswith("validate.")}
    nb = {k for k in _catalogue("nb") if k.startswith("validate.")}
    assert en == nb
    assert len(en) > 40


def test_messages_fill_every_parameter() -> None:
    # A missing parameter renders as '?': no message for these rows may contain one.
    result = check(
        row(requested="3,300", orgnr="97476067", municipalities="Hamary, 0602, Nesset, 1101 Oslo"),
        row(id="A2", county="01", decision="avslå", decision_amount=5.0),
        row(id="A3", requested=5.0, total_cost=1.0, decision="fund", decision_reason="x"),
    )
    for lang in ("en", "nb"):
        for issue in result.issues:
            text = describe_issue(issue, lang)
            assert " ? " not in text, text
            assert "(?)" not in text, text
            assert text.count("?") <= 1, text  # "did you mean …?" at most


# --- describe_issue -------------------------------------------------------------------------


def test_describe_issue_locations() -> None:
    issue = Issue(
        severity=Severity.ERROR,
        code="validate.score_invalid",
        location=Location(file="a.csv", row=7, column="I", header="Poeng"),
        value="x",
    )
    assert describe_issue(issue, "en") == (
        "a.csv, I7 (Poeng): 'x' is not a number; expected a score such as 4 or 4,5"
    )
    assert describe_issue(issue, "nb", show_file=False, show_severity=True) == (
        "feil: I7 (Poeng): «x» er ikke et tall; forventet poeng som 4 eller 4,5"
    )
    spaced = issue.model_copy(
        update={"location": Location(file="a.xlsx", sheet="Runde 1", row=7, column="I")}
    )
    assert describe_issue(spaced).startswith("a.xlsx, 'Runde 1'!I7: ")
    row_only = issue.model_copy(update={"location": Location(file="a.xlsx", sheet="S", row=7)})
    assert describe_issue(row_only, "nb").startswith("a.xlsx, S, rad 7: ")
    # A trailing or leading space in a sheet's name shows wherever the sheet is named, quoted
    # as in the cell references; unquoted it read "a.xlsx, S , rad 7".
    for where, said in [
        ({"row": 7}, "a.xlsx, 'S ', rad 7: "),
        ({"column": "I"}, "a.xlsx, 'S ', kolonne I: "),
        ({}, "a.xlsx, 'S ': "),
        ({"row": 7, "column": "I"}, "a.xlsx, 'S '!I7: "),
    ]:
        location = Location(file="a.xlsx", sheet="S ", **where)
        assert describe_issue(issue.model_copy(update={"location": location}), "nb").startswith(
            said
        ), where
    nowhere = issue.model_copy(update={"location": None})
    assert describe_issue(nowhere).startswith("'x' is not a number")


def test_the_collector_is_restored_and_nothing_stays_frozen() -> None:
    import gc
    import weakref

    class Node:
        pass

    table = make_table([row(id="A1"), row(id="A2")])
    assert gc.isenabled()
    gc.unfreeze()  # `tilskudd check` freezes what it read before it exits: a CLI test may have
    gc.collect()
    cycle = Node()
    cycle.self = cycle  # type: ignore[attr-defined]
    alive = weakref.ref(cycle)
    del cycle
    before = gc.get_freeze_count()
    validate(table)
    assert gc.isenabled()
    assert gc.get_freeze_count() == before == 0
    gc.collect()  # a cycle made before validate is still found by a full collection
    assert alive() is None

    gc.disable()
    try:
        validate(table)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_the_program_froze_stay_frozen() -> None:
    import gc

    table = make_table([row(id="A1")])
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        validate(table)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_rank_column_filled_in_halfway_is_a_warning_at_its_header() -> None:
    """Ranks are used only when every application has one: the score decides, and it is said."""
    result = check(row(id="A1", rank=1.0), row(id="A2", rank=None), row(id="A3", rank=2.0))
    issue = only_issue(result)
    assert (issue.code, issue.severity) == ("validate.rank_partial", Severity.WARNING)
    assert issue.params == {"given": 2, "total": 3}
    assert issue.location is not None
    assert (issue.location.row, issue.location.column) == (1, COLUMN["rank"])
    assert len(result.applications) == 3  # a warning: nothing is rejected
    assert "so the score decides the order" in describe_issue(issue, "en")
    for ranks in ((1.0, 2.0, 3.0), (None, None, None)):
        whole = check(*(row(id=f"A{i}", rank=r) for i, r in enumerate(ranks)))
        assert whole.issues == ()


def test_a_score_column_filled_in_halfway_is_a_warning_where_no_score_is_required() -> None:
    """check said "No problems found" of a sheet with blank scores, and allocate's default rule
    then rejected those applications: each blank is now said at its cell."""
    rows = [row(id="A1"), row(id="A2", score=None), row(id="A3", score=" "), row(id="A4")]
    result = check(*rows)
    assert [
        (i.code, i.severity, i.location.cell if i.location else None) for i in result.issues
    ] == [
        ("validate.score_missing", Severity.WARNING, "Søknader!I3"),
        ("validate.score_missing", Severity.WARNING, "Søknader!I4"),
    ]
    assert len(result.applications) == 4  # a warning: nothing is rejected
    assert "the ranked rule (allocate's default)" in describe_issue(result.issues[0], "en")
    assert "regelen ranked (standard for allocate)" in describe_issue(result.issues[0], "nb")
    # A rank instead of a score is enough; where a score is required, the error says it.
    assert check(row(id="A1"), row(id="A2", score=None, rank=1.0)).issues == ()
    required = check(*rows, require=("requested", "score|rank"))
    assert set(codes(required)) == {"validate.required_any"}
    # No score column at all is said once by check's verdict, not at every row.
    headers = tuple(h for h in HEADERS if h[1] not in ("score", "rank"))
    assert validate(make_table(rows, headers)).issues == ()


@pytest.mark.parametrize("header", ["Currency", "Valuta", "Currency code"])
def test_a_currency_column_naming_another_currency_is_warned_of(header: str) -> None:
    """Open grant data gives each award's currency; tilskudd counts every amount as kroner,
    so a sheet in pounds would be allocated and published in kroner without a word."""
    headers = (*HEADERS, (header, None))  # column P
    rows = [
        row(id="A1", **{header: "GBP"}),
        row(id="A2", **{header: "gbp "}),
        row(id="A3", **{header: "EUR"}),
        row(id="A4", **{header: "NOK"}),
        row(id="A5", **{header: None}),
    ]
    result = validate(make_table(rows, headers))
    issue = only_issue(result)
    assert (issue.code, issue.severity) == ("validate.currency_not_kroner", Severity.WARNING)
    assert issue.params == {
        "currencies": ["GBP", "EUR"],
        "count": 3,
        "total": 5,
        "ids": ["A1", "A2", "A3"],
    }
    assert issue.location is not None
    assert (issue.location.row, issue.location.column) == (1, "P")
    assert len(result.applications) == 5  # a warning: nothing is rejected
    # Which applications: as other warnings about a whole table name them, by id.
    assert "3 of 5 applications in GBP and EUR (first: A1, A2 and A3)" in describe_issue(
        issue, "en"
    )
    assert "i GBP og EUR (de første: A1, A2 og A3); tilskudd regner" in describe_issue(issue, "nb")
    # Past the first few, the first few by row.
    many = validate(make_table([row(id=f"B{i}", **{header: "SEK"}) for i in range(9)], headers))
    assert only_issue(many).params["ids"] == ["B0", "B1", "B2", "B3", "B4"]
    # Kroner however written, or no currency given: nothing to say.
    for value in ("NOK", "kr", "Kroner", "norske kroner", None):
        same = validate(make_table([row(id="A1", **{header: value})], headers))
        assert same.issues == (), value


@pytest.mark.parametrize(
    ("value", "allow_zero", "key", "nb"),
    [
        ("abc", False, "validate.amount_invalid", "«abc» er ikke et beløp"),
        ("-5", False, "validate.amount_negative", "«-5» er negativt"),
        ("0", False, "validate.amount_zero", "beløpet er null"),
        ("1 000,50", False, "validate.amount_not_whole", "«1 000,50» er ikke hele kroner"),
        ("3,300", False, "validate.amount_ambiguous", "«3,300» er tvetydig"),
    ],
)
def test_amount_problem_says_what_is_wrong_in_the_words_of_the_cell_checks(
    value: str, allow_zero: bool, key: str, nb: str
) -> None:
    from tilskudd.validation import amount_problem

    problem = amount_problem(value, allow_zero=allow_zero)
    assert problem is not None
    assert problem.key == key
    assert problem.render("nb").startswith(nb)
    assert amount_problem("3 300 000") is None
    assert amount_problem("0", allow_zero=True) is None


# --- a sheet in the other municipality numbering --------------------------------------------


def test_a_sheet_in_the_other_numbering_is_said_once_with_what_it_costs() -> None:
    # Lindås, Meland and Radøy merged into Alver in 2020; Bergen's number was 1201 until then.
    result = check(
        row(id="A1", municipalities="Lindås, Meland"),  # two old names: invalid for that only
        row(id="A2", municipalities="1201"),  # an old number (now 4601): the same
        row(id="A3", municipalities="Radøy", requested="tre millioner"),  # and another error
        row(id="A4", municipalities="Oslo"),  # valid in both
    )
    mismatch = result.register_mismatch
    assert mismatch is not None
    assert mismatch == ("2024", "2009", 4, 2, 3)
    assert (mismatch.applications, mismatch.rejected) == (2, 3)
    # Checked against 2009, the sheet is as it should be.
    assert (
        check(row(id="A1", municipalities="Lindås, Meland"), register="2009").register_mismatch
        is None
    )


def test_one_or_two_old_names_are_said_at_their_cells_only() -> None:
    result = check(row(id="A1", municipalities="Lindås, Meland"), row(id="A2"))
    assert codes(result) == ["validate.municipality_name_other_register"] * 2
    assert result.register_mismatch is None
    assert check(row(id="A1", municipalities="Lindås, Meland, Radøy")).register_mismatch == (
        "2024",
        "2009",
        3,
        1,
        1,
    )


@pytest.mark.parametrize(
    ("shown", "found"),
    [
        ("S-01 (A17)", ("S-01", 17)),
        ("S-01 (#17)", ("S-01", 17)),
        ("S-01 (row 17)", ("S-01", 17)),
        ("S-01 (rad 17)", ("S-01", 17)),
        (" S-01 (Rad 17) ", ("S-01", 17)),
        ("S-01 (ab17)", ("S-01", 17)),
        ("Prosjekt (2) (B4)", ("Prosjekt (2)", 4)),
        ("S-01", None),
        ("S-01 (row 0)", None),
        ("S-01 (ABCD17)", None),
        ("S-01 (17)", None),
        ("(A17)", None),
    ],
)
def test_an_id_told_apart_by_its_row_is_read_in_every_form_shown(
    shown: str, found: tuple[str, int] | None
) -> None:
    from tilskudd.validation import row_told_apart

    assert row_told_apart(shown) == found


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("S-01 (A17)", "S-01 (row 17)", True),
        ("S-01 (rad 17)", "S-01 (A17)", True),
        ("S-01 (#17)", "S-01 (A17)", True),
        ("S-01 (a17)", "S-01 (A17)", True),
        ("S-01 (A17)", "S-01 (A18)", False),
        ("S-01 (A17)", "S-02 (A17)", False),
        # One id column per round: another column is another id (price areas NO1 and SE1).
        ("Kraft (NO1)", "Kraft (SE1)", False),
        ("Sak (v2)", "Sak (B2)", False),
        ("S-01", "S-01", False),  # not told apart at all
    ],
)
def test_two_ids_are_one_row_told_apart_only_under_one_column(
    first: str, second: str, same: bool
) -> None:
    from tilskudd.validation import same_row_told_apart

    assert same_row_told_apart(first, second) is same
    assert same_row_told_apart(second, first) is same


def test_a_rejected_row_keeps_its_organisation_number_when_that_cell_was_valid() -> None:
    result = check(
        row(id="A1", requested="mange penger"),  # rejected for its amount; orgnr valid
        row(id="A2", orgnr="950433001", requested="mange penger"),  # orgnr invalid too
    )
    assert [(r.id, r.orgnr) for r in result.rejected] == [("A1", ORGNR), ("A2", None)]


# The 360Giving columns tilskudd's own --format 360giving writes (and other funders publish).
GIVING360_HEADERS: tuple[tuple[str, str | None], ...] = (
    ("Identifier", "id"),  # A
    ("Recipient Org:Name", "applicant"),  # B
    ("Recipient Org:Identifier", "orgnr"),  # C
    ("Amount Applied For", "requested"),  # D
    ("Beneficiary Location:Geographic Code", "municipalities"),  # E
)


def test_360giving_org_identifiers_and_place_codes_are_read_as_orgnr_and_places() -> None:
    """A NO-BRC-<orgnr> identifier is the orgnr (still checked), numbers joined by '; ' are
    municipalities and a 2-digit number a county: 'NO-BRC-974760673' was an orgnr error on
    every row of tilskudd's own 360Giving file, and a county's number a municipality error."""
    rows = [
        {"id": "G1", "orgnr": f"NO-BRC-{ORGNR}", "requested": "100", "municipalities": "0301"},
        {"id": "G2", "orgnr": "no-brc-974 760 673", "requested": "100", "municipalities": "08"},
        {"id": "G3", "orgnr": "NO-BRC-974760674", "requested": "100", "municipalities": None},
    ]
    result = validate(make_table(rows, GIVING360_HEADERS), register="2009")
    apps = {a.id: a for a in result.applications}
    assert (apps["G1"].orgnr, apps["G1"].municipalities, apps["G1"].counties) == (
        ORGNR,
        ("0301",),
        ("03",),
    )
    assert (apps["G2"].orgnr, apps["G2"].municipalities, apps["G2"].counties) == (
        ORGNR,
        (),
        ("08",),
    )
    # The mod-11 check still holds for a NO-BRC identifier.
    (bad,) = result.issues
    assert (bad.code, bad.severity) == ("validate.orgnr_checksum", Severity.ERROR)
    assert bad.location is not None
    assert (bad.location.row, bad.location.column) == (4, "C")


def test_a_360giving_file_tilskudd_wrote_reads_back_with_the_application_ids() -> None:
    """Its grant ids are <prefix><id> and its funder's identifier <prefix>funder-<name>: the
    ids read back as the applications' own (the ledger's), with any prefix; another funder's
    file, or one where an id lacks the prefix, keeps its ids as they are."""
    headers = (*GIVING360_HEADERS, ("Funding Org:Identifier", None))

    def ids(grants: Sequence[str], funder: Sequence[str]) -> list[str]:
        rows = [
            {
                "id": grant,
                "orgnr": f"NO-BRC-{ORGNR}",
                "requested": "100",
                "municipalities": "0301",
                "Funding Org:Identifier": funder_id,
            }
            for grant, funder_id in zip(grants, funder, strict=True)
        ]
        result = validate(make_table(rows, headers), register="2009")
        return [a.id for a in result.applications]

    default = ["360G-tilskudd-funder-difi"] * 2
    assert ids(["360G-tilskudd-2009-035", "360G-tilskudd-S-01"], default) == ["2009-035", "S-01"]
    own = ["360G-difi-ikt-funder-direktoratet-for-forvaltning-og-ikt-difi"] * 2
    assert ids(["360G-difi-ikt-2009-035", "360G-difi-ikt-7"], own) == ["2009-035", "7"]
    # Not tilskudd's funder identifier, an id without the prefix, or two funders: as given.
    assert ids(["360G-uk-1", "360G-uk-2"], ["GB-CHC-1000"] * 2) == ["360G-uk-1", "360G-uk-2"]
    assert ids(["360G-tilskudd-A", "B"], default) == ["360G-tilskudd-A", "B"]
    mixed = ["360G-tilskudd-funder-difi", "360G-x-funder-difi"]
    assert ids(["360G-tilskudd-A", "360G-x-B"], mixed) == ["360G-tilskudd-A", "360G-x-B"]


def test_a_360giving_file_tilskudd_wrote_reads_its_own_org_identifiers_as_none() -> None:
    """<prefix>org-<name> is the id tilskudd's 360Giving makes for an applicant without an
    organisation number: in its own file that is no orgnr, as it was, without the warning
    another funder's identifiers get (it was one on every such file, naming all its rows)."""
    headers = (*GIVING360_HEADERS, ("Funding Org:Identifier", None))

    def read(funder: str, org: str) -> ValidationResult:
        rows = [
            {
                "id": f"360G-tilskudd-A{i}",
                "orgnr": org,
                "requested": "100",
                "municipalities": "0301",
                "Funding Org:Identifier": funder,
            }
            for i in range(3)
        ]
        return validate(make_table(rows, headers), register="2009")

    own = read("360G-tilskudd-funder-difi", "360G-tilskudd-org-university-of-essex")
    assert [(a.id, a.orgnr) for a in own.applications] == [(f"A{i}", None) for i in range(3)]
    assert own.issues == ()
    # Another funder's file, or another prefix's org id in tilskudd's: read as empty, said once.
    for funder, org in (
        ("GB-CHC-1000", "360G-tilskudd-org-university-of-essex"),
        ("360G-tilskudd-funder-difi", "360G-other-org-university-of-essex"),
    ):
        other = read(funder, org)
        assert {a.orgnr for a in other.applications} == {None}
        assert codes(other) == ["validate.open_data_not_norwegian"]


def test_another_funders_org_identifiers_and_place_codes_are_one_warning_per_column() -> None:
    """GB682239225 (a UK government file's recipient ids) and E08000025 say nothing of
    Norwegian organisations and places: read as empty, with one warning for each column naming
    the first ids, not an error on every row, and carried through unchanged (they were lost
    from the award workbook, the CSV and the JSON)."""
    rows = [
        {
            "id": f"360G-uk-{i}",
            "orgnr": f"GB{682239225 + i}",
            "requested": "100",
            "municipalities": "E08000025",
        }
        for i in range(8)
    ]
    result = validate(make_table(rows, GIVING360_HEADERS))
    assert len(result.applications) == 8
    assert {(a.orgnr, a.municipalities) for a in result.applications} == {(None, ())}
    assert result.extra_columns == (
        "Recipient Org:Identifier",
        "Beneficiary Location:Geographic Code",
    )
    assert [a.extra for a in result.applications[:2]] == [
        {
            "Recipient Org:Identifier": f"GB{682239225 + i}",
            "Beneficiary Location:Geographic Code": "E08000025",
        }
        for i in range(2)
    ]
    org, geo = result.issues
    assert {org.code, geo.code} == {"validate.open_data_not_norwegian"}
    assert {org.severity, geo.severity} == {Severity.WARNING}
    assert [(i.location.row, i.location.column) for i in (org, geo) if i.location] == [
        (1, "C"),
        (1, "E"),
    ]
    assert org.params["ids"] == [f"360G-uk-{i}" for i in range(5)]
    assert (org.params["count"], org.params["total"]) == (8, 8)
    assert org.params["examples"] == ["GB682239225", "GB682239226", "GB682239227"]
    said = " ".join(describe_issue(org, "en").split())
    assert (
        "8 of 8 applications give a value here that is not a Norwegian organisation number "
        "(GB682239225, GB682239226 and GB682239227); it is read as empty, and carried through "
        "unchanged as the column 'Recipient Org:Identifier', and applications that give the "
        "same value count as one organisation's in per_applicant_max."
    ) in said
    assert "not a Norwegian municipality or county number (E08000025)" in describe_issue(geo, "en")
    assert (
        "8 av 8 søknader oppgir her en verdi som ikke er et norsk kommune- eller fylkesnummer "
        "(E08000025); den leses som tom, og tas med uendret som kolonnen "
        "«Beneficiary Location:Geographic Code»."
    ) in describe_issue(geo, "nb")
    # An orgnr column of another name keeps its errors: only 360Giving's column is read so.
    plain = check(row(orgnr="GB-CHC-1000"))
    assert codes(plain) == ["validate.orgnr_format"]


def test_another_registers_org_ids_are_carried_through_not_read_as_orgnrs() -> None:
    """GB-CHC-1234567 is no Norwegian organisation number, but it is the recipient's own id
    (org-id.guide's form): carried through as a column of its own, one warning for those,
    while an id in no such form is read as empty, carried through in the same column, and
    NO-BRC- is still checked."""
    values = ["GB-CHC-1234567", "GB-COH-01234567", "E5104X", "NO-BRC-974760673", "GB-CHC-1234567"]
    rows = [
        {"id": f"360G-uk-{i}", "orgnr": value, "requested": "100", "municipalities": None}
        for i, value in enumerate(values)
    ]
    result = validate(make_table(rows, GIVING360_HEADERS))
    assert result.extra_columns == ("Recipient Org:Identifier",)
    assert [(a.orgnr, a.extra) for a in result.applications] == [
        (None, {"Recipient Org:Identifier": "GB-CHC-1234567"}),
        (None, {"Recipient Org:Identifier": "GB-COH-01234567"}),
        (None, {"Recipient Org:Identifier": "E5104X"}),
        ("974760673", {"Recipient Org:Identifier": None}),
        (None, {"Recipient Org:Identifier": "GB-CHC-1234567"}),
    ]
    kept, other = result.issues
    assert (kept.code, kept.field, kept.severity) == (
        "validate.open_data_org_id",
        "orgnr",
        Severity.WARNING,
    )
    assert kept.params["examples"] == ["GB-CHC-1234567", "GB-COH-01234567"]
    assert (kept.params["count"], kept.params["ids"]) == (
        3,
        ["360G-uk-0", "360G-uk-1", "360G-uk-4"],
    )
    assert "3 of 5 applications give another register's organisation identifier here" in (
        describe_issue(kept, "en")
    )
    assert "3 av 5 søknader oppgir her et organisasjonsnummer fra et annet register" in (
        describe_issue(kept, "nb")
    )
    assert (other.code, other.params["examples"]) == (
        "validate.open_data_not_norwegian",
        ["E5104X"],
    )
    # The Norwegian number behind NO-BRC- still needs its check digit.
    wrong = validate(make_table([{**rows[3], "orgnr": "NO-BRC-974760674"}], GIVING360_HEADERS))
    assert [r.id for r in wrong.rejected] == ["360G-uk-3"]
    assert codes(wrong) == ["validate.orgnr_checksum"]


# 360Giving's columns with a project title (F).
GIVING360_TITLED = (*GIVING360_HEADERS, ("Title", "project"))


def _giving360(*orgs: str, titles: Sequence[str] | None = None) -> ValidationResult:
    rows = [
        {
            "id": f"360G-uk-{i}",
            "orgnr": org,
            "requested": "100",
            "project": titles[i] if titles else f"Prosjekt {i}",
        }
        for i, org in enumerate(orgs)
    ]
    return validate(make_table(rows, GIVING360_TITLED))


def test_the_same_project_under_another_registers_identifier_is_a_warning() -> None:
    """Two rows of one recipient and title are the application listed twice, whether the
    recipient is known by its organisation number or, without one, by its identifier in
    another register (in any case: gb-chc-1234567 is GB-CHC-1234567). Only organisation numbers
    were compared. A publisher's own code is compared as given."""
    result = _giving360(
        "GB-CHC-1234567",
        "gb-chc-1234567 ",
        "E5104X",
        "e5104x",
        titles=["Park", "PARK", "Road", "Road"],
    )
    assert len(result.applications) == 4
    twice = [i for i in result.warnings if i.code == "validate.duplicate_project"]
    where = [(i.location.row, i.location.column) for i in twice if i.location]
    assert where == [(2, "F"), (3, "F")]
    assert twice[0].params == {
        "orgnr": "GB-CHC-1234567",
        "register": 1,
        "rows": ["2", "3"],
        "other_rows": ["3"],
    }
    assert (
        "Søknader!F2 (Title): the same identifier in another register (GB-CHC-1234567) and "
        "project title are on rows 2 and 3"
    ) in describe_issue(twice[0], "en")
    assert (
        "samme identifikator i et annet register (GB-CHC-1234567) og prosjekttittel står på "
        "radene 2 og 3"
    ) in describe_issue(twice[0], "nb")
    # An organisation number is said as one.
    numbered = check(row(project="Sak"), row(id="A2", project="sak"))
    assert f"samme organisasjonsnummer ({ORGNR}) og prosjekttittel" in describe_issue(
        numbered.warnings[0], "nb"
    )


def test_an_org_id_in_lower_case_is_said_to_be_another_registers_identifier() -> None:
    result = _giving360("gb-chc-1234567", "GB-COH-01234567")
    (kept,) = result.issues
    assert (kept.code, kept.params["examples"]) == (
        "validate.open_data_org_id",
        ["gb-chc-1234567", "GB-COH-01234567"],
    )
    # Carried as typed, compared in capitals.
    assert [a.extra["Recipient Org:Identifier"] for a in result.applications] == [
        "gb-chc-1234567",
        "GB-COH-01234567",
    ]
    assert [a.organisation for a in result.applications] == ["GB-CHC-1234567", "GB-COH-01234567"]


@pytest.mark.parametrize(
    ("typed", "certain"),
    [
        ("GB-CHC 1234567", "GB-CHC-1234567"),
        ("GB CHC 1234567", "GB-CHC-1234567"),
        ("gb-chc -1234567", "GB-CHC-1234567"),
        ("GB-CHC-123 4567", ""),  # GB-CHC-123 and a note, or GB-CHC-1234567?
        ("NO BRC 974760673", "NO-BRC-974760673"),
    ],
)
def test_an_org_id_with_a_space_in_it_is_refused_naming_the_cell(typed: str, certain: str) -> None:
    """An identifier in org-id.guide's form has no spaces. One with a space was carried as a
    publisher's own code, so GB-CHC 1234567 and GB-CHC-1234567 were two organisations for
    per_applicant_max; which one it names is not certain, so the row is refused and the officer
    told which cell to write again."""
    result = _giving360("GB-CHC-1234567", typed)
    assert [a.id for a in result.applications] == ["360G-uk-0"]
    assert [r.id for r in result.rejected] == ["360G-uk-1"]
    (issue,) = result.errors
    assert (issue.code, issue.value, issue.params) == (
        "validate.org_id_spaced",
        typed,
        {"suggestion": certain, "certain": int(bool(certain))},
    )
    assert issue.location is not None
    assert issue.location.cell == "Søknader!C3"
    said = {lang: " ".join(describe_issue(issue, lang).split()) for lang in ("en", "nb")}
    assert (
        f"Søknader!C3 (Recipient Org:Identifier): '{typed}' is not an identifier in another "
        "register as written: such an identifier has no spaces"
    ) in said["en"]
    assert (
        f"«{typed}» er ikke en identifikator i et annet register slik den er skrevet: en slik "
        "identifikator har ingen mellomrom"
    ) in said["nb"]
    assert (f"({certain}?)" in said["en"]) == bool(certain)


def test_an_org_id_with_a_space_in_a_carried_identifier_column_is_refused() -> None:
    """Recipient Org:Identifier carried through (mapped to extra beside an orgnr column) names
    the organisation of a row without an orgnr, as 360Giving's own column does: GB-CHC 1234567
    there was a second organisation beside GB-CHC-1234567 for per_applicant_max, unsaid."""
    headers = (
        ("ID", "id"),  # A
        ("Orgnr", "orgnr"),  # B
        ("Søkt beløp", "requested"),  # C
        ("Recipient Org:Identifier", None),  # D
    )
    rows = [
        {"id": "A", "requested": "100", "Recipient Org:Identifier": "GB-CHC-1234567"},
        {"id": "B", "requested": "100", "Recipient Org:Identifier": "GB-CHC 1234567"},
        {"id": "C", "requested": "100", "Recipient Org:Identifier": "GB 108260441"},
        {"id": "D", "requested": "100", "orgnr": ORGNR, "Recipient Org:Identifier": "GB CHC-7"},
    ]
    result = validate(make_table(rows, headers))
    assert [a.organisation for a in result.applications] == ["GB-CHC-1234567", "GB 108260441"]
    assert [r.id for r in result.rejected] == ["B", "D"]
    assert [(i.code, i.value, i.params) for i in result.errors] == [
        (
            "validate.org_id_spaced",
            "GB-CHC 1234567",
            {"suggestion": "GB-CHC-1234567", "certain": 1},
        ),
        ("validate.org_id_spaced", "GB CHC-7", {"suggestion": "GB-CHC-7", "certain": 1}),
    ]
    assert [i.location.cell for i in result.errors if i.location] == ["Søknader!D3", "Søknader!D5"]


@pytest.mark.parametrize("typed", ["GB 108260441", "NY PCC", "623 60098 29719", "360G-x ORG 1"])
def test_a_publishers_code_with_a_space_is_kept_as_given(typed: str) -> None:
    """The UK government's awards of 2016-17 give VAT numbers (GB 108260441), council codes
    (NY PCC) and others with spaces: no org-id, so no error; compared as given."""
    result = _giving360(typed)
    assert [a.organisation for a in result.applications] == [typed]
    assert result.errors == ()


def test_codes_that_differ_only_in_case_or_spaces_are_said_not_merged() -> None:
    """A publisher's own codes are compared as given, so GB 108260441 and GB108260441 (one
    university's VAT number in the UK government's awards) were two organisations without a
    word. They may be two, so they stay two; one warning on the column names them, for the
    officer to write them alike if they are one. Org-ids that differ in case are one already."""
    result = _giving360("GB 108260441", "E5104X", "GB108260441", "gb-chc-1", "GB-CHC-1", "e5104X")
    assert [a.organisation for a in result.applications] == [
        "GB 108260441",
        "E5104X",
        "GB108260441",
        "GB-CHC-1",
        "GB-CHC-1",
        "e5104X",
    ]
    (variants,) = [i for i in result.issues if i.code == "validate.org_id_variants"]
    assert variants.severity is Severity.WARNING
    assert variants.location is not None
    assert variants.location.cell == "Søknader!C1"
    assert (variants.params["count"], variants.params["ids"]) == (
        4,
        ["360G-uk-0", "360G-uk-1", "360G-uk-2", "360G-uk-5"],
    )
    assert variants.params["examples"] == ["GB 108260441", "E5104X", "GB108260441"]
    assert (
        "4 of 6 applications give an identifier here that differs from another only in case or "
        "spaces (GB 108260441, E5104X and GB108260441): each is counted as the organisation it "
        "names"
    ) in " ".join(describe_issue(variants, "en").split())
    assert (
        "4 av 6 søknader oppgir her en identifikator som skiller seg fra en annen bare i store og "
        "små bokstaver eller mellomrom"
    ) in " ".join(describe_issue(variants, "nb").split())
    # Org-ids alone: nothing to say.
    assert not [
        i for i in _giving360("gb-chc-1", "GB-CHC-1").issues if i.code == "validate.org_id_variants"
    ]


def test_identifiers_that_differ_only_in_leading_zeros_are_said_or_one() -> None:
    """A spreadsheet that reads 01234567 as a number shows 1234567. A Companies House number
    is eight characters, so GB-COH-1234567 is GB-COH-01234567: one organisation for
    per_applicant_max. Another list's numbers are not padded, so GB-CHC-01234567 and
    GB-CHC-1234567 (or a publisher's 00123 and 123) may be two: kept two, and said."""
    result = _giving360(
        "GB-COH-1234567",
        "gb-coh-01234567",
        "GB-CHC-01234567",
        "GB-CHC-1234567",
        "00123",
        "123",
        "GB-COH-SC012345",
        "E5104X",
    )
    assert [a.organisation for a in result.applications] == [
        "GB-COH-01234567",
        "GB-COH-01234567",
        "GB-CHC-01234567",
        "GB-CHC-1234567",
        "00123",
        "123",
        "GB-COH-SC012345",
        "E5104X",
    ]
    (zeros,) = [i for i in result.issues if i.code == "validate.org_id_zeros"]
    assert zeros.severity is Severity.WARNING
    assert zeros.location is not None
    assert zeros.location.cell == "Søknader!C1"
    assert zeros.params["ids"] == ["360G-uk-2", "360G-uk-3", "360G-uk-4", "360G-uk-5"]
    assert (
        "4 of 8 applications give an identifier here that differs from another only in the "
        "leading zeros of its number (GB-CHC-01234567, GB-CHC-1234567 and 00123)"
    ) in " ".join(describe_issue(zeros, "en").split())
    assert (
        "4 av 8 søknader oppgir her en identifikator som skiller seg fra en annen bare i nullene "
        "foran nummeret"
    ) in " ".join(describe_issue(zeros, "nb").split())
    assert not [i for i in result.issues if i.code == "validate.org_id_variants"]
    assert not [
        i for i in _giving360("GB-COH-1", "GB-COH-00000001").issues if "org_id_zeros" in i.code
    ]


def test_a_grant_code_in_the_org_id_column_is_no_org_id() -> None:
    """SP-G16-A07-03 (a UK government grant code given as the recipient's identifier) was taken
    for an org-id: no country SP, no list G16 in org-id.guide's form. It is read as another
    register's id, as E5104X is, not said to be the recipient's own."""
    values = ["SP-G16-A07-03", "GB-CHC-1234567"]
    rows = [
        {"id": f"360G-uk-{i}", "orgnr": value, "requested": "100", "municipalities": None}
        for i, value in enumerate(values)
    ]
    result = validate(make_table(rows, GIVING360_HEADERS))
    assert [(i.code, i.params["examples"]) for i in result.issues] == [
        ("validate.open_data_org_id", ["GB-CHC-1234567"]),
        ("validate.open_data_not_norwegian", ["SP-G16-A07-03"]),
    ]
