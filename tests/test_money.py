"""Amounts as people type them, parsed exactly; formatted per language."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilskudd.errors import AmbiguousAmountError, AmbiguousUnitError, AmountError
from tilskudd.money import MAX_AMOUNT, format_amount, parse_amount, parse_decimal, to_decimal

NBSP, THIN, NNBSP = "\u00a0", "\u2009", "\u202f"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 300 000", 3_300_000),
        ("3 300 000 kr", 3_300_000),
        ("kr 3.300.000,-", 3_300_000),
        ("3300000,00", 3_300_000),
        ("3300000.00", 3_300_000),
        ("NOK 3,300,000", 3_300_000),
        ("3,3 mill.", 3_300_000),
        ("3,3 mill", 3_300_000),
        ("kr 3,3 mill.", 3_300_000),
        (f"3{NBSP}300{NBSP}000", 3_300_000),
        (f"3{THIN}300{THIN}000 kr", 3_300_000),
        (f"3{NNBSP}300{NNBSP}000", 3_300_000),
        ("20M", 20_000_000),
        ("20 MNOK", 20_000_000),
        ("1,5 mrd", 1_500_000_000),
        ("250k", 250_000),
        ("1 234 567,00 kr", 1_234_567),
        ("3.300.000", 3_300_000),
        ("3,300,000.00", 3_300_000),
        ("3.300.000,00", 3_300_000),
        ("  42  ", 42),
        ("kr 190.000,-", 190_000),
        ("1.000,- kr", 1_000),
        ("190,-", 190),
        ("300'000", 300_000),
        ("kr 1\u2019250\u2019000.-", 1_250_000),
        ("kr 190 000,\u2013", 190_000),  # the en dash Word puts in for "-"
        ("1.000.000,\u2014 kr", 1_000_000),
        ("2,5 m.", 2_500_000),  # a one-letter unit with a full stop after it
        ("1.300,- KR", 1_300),  # ",-" says whole kroner whatever the case of the currency
        ("1,500 mill.", 1_500_000),  # a multiplier: the comma is a decimal mark, not ambiguous
        (3_300_000.0, 3_300_000),
        (3_300_000, 3_300_000),
        (Decimal("3300000.00"), 3_300_000),
    ],
)
def test_parse_amount_accepts_what_people_type(text: object, expected: int) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3,300", "ambiguous"),
        ("3.300", "ambiguous"),
        ("-5", "negative"),
        ("-5 000 kr", "negative"),
        ("0", "zero"),
        ("0 kr", "zero"),
        ("100,005", "ambiguous"),
        # No thousands group has more than three digits or starts with 0: a decimal mark.
        ("12345,678", "more than two decimals"),
        ("1000,001", "more than two decimals"),
        ("0,500", "whole number of kroner"),
        ("100,0051", "more than two decimals"),
        ("125 000,5051", "more than two decimals"),
        ("100,50", "whole number of kroner"),
        (1000.5, "whole number of kroner"),
        ("abc", "not an amount"),
        ("33 00", "not thousands"),
        ("30'00", "not an amount"),
        ("3'0000", "not an amount"),
        ("1'000 000'0", "not thousands"),
        ("10'00'000", "not thousands"),
        ("1.2.3", "not thousands"),
        # A separator out of place is not a grouping: no first group of four digits, none led
        # by 0, with both marks or one (these were read as 1 234 567,8, 123,5 and 123 456).
        ("1234.567,8", "not thousands"),
        ("12345.678,00", "not thousands"),
        ("1234,567.00", "not thousands"),
        ("0.123,5", "not thousands"),
        ("00.100,00", "not thousands"),
        ("0.123.456", "not thousands"),
        ("012.345.678", "not thousands"),
        ("0 123 456", "not thousands"),
        ("012 345", "not thousands"),
        ("0,123,-", "not thousands"),
        ("1.23,5", "not thousands"),
        ("1.23.456,7", "not thousands"),
        ("1.234,5,6", "not a number"),
        ("1234.567.890", "not thousands"),
        ("1.23.456", "not thousands"),  # a middle group of two digits, one kind of separator
        ("1,23,456", "not thousands"),
        ("100,55", "whole number of kroner"),  # two decimals are øre, not a fraction of one
        ("", "empty"),
        (None, "empty"),
        (True, "truth value"),
    ],
)
def test_parse_amount_refuses_with_a_reason(text: object, message: str) -> None:
    with pytest.raises(AmountError, match=message):
        parse_amount(text)


def test_ambiguous_amount_has_a_hint() -> None:
    with pytest.raises(AmountError) as info:
        parse_amount("3,300")
    assert info.value.hint
    assert "decimal" in info.value.hint


def test_ambiguous_amount_gives_both_readings_exactly() -> None:
    with pytest.raises(AmbiguousAmountError) as info:
        parse_amount("kr -3.125")
    assert (info.value.thousands, info.value.decimal) == (-3125, Decimal("-3.125"))
    # "1000,000": three zero decimals, or a million with a group separator left out.
    with pytest.raises(AmbiguousAmountError):
        parse_amount("1000,000")


@pytest.mark.parametrize(
    ("text", "thousands", "decimal"),
    [
        ("1 000,000", 1_000_000, Decimal("1000")),
        ("1.000,000", 1_000_000, Decimal("1000")),
        ("-1.000,000", -1_000_000, Decimal("-1000")),
        ("-1 000,000", -1_000_000, Decimal("-1000")),
        ("1,000.000", 1_000_000, Decimal("1000")),
        (f"1{NBSP}000.000", 1_000_000, Decimal("1000")),
        ("kr 2 500,000", 2_500_000, Decimal("2500")),
        ("3 300 000,005", 3_300_000_005, Decimal("3300000.005")),
    ],
)
def test_three_digits_after_grouped_digits_are_ambiguous(
    text: str, thousands: int, decimal: Decimal
) -> None:
    # "1.000,000" was read as 1000 kr: the last separator was taken for a decimal mark, and
    # three zero decimals are whole kroner. Typed for a million, it would fund a thousandth.
    with pytest.raises(AmbiguousAmountError) as info:
        parse_amount(text)
    assert (info.value.thousands, info.value.decimal) == (thousands, decimal)


@pytest.mark.parametrize(
    "text", ["1\u200b000\u200b000", "\ufeff1 000 000", "1 000 000\u2060", "1\u00ad000\u00ad000 kr"]
)
def test_characters_that_show_as_nothing_are_not_part_of_an_amount(text: str) -> None:
    # Pasted from a web page or a chat, the cell shows 1000000; it was refused as "not an
    # amount" with the invisible character inside the quoted text, which shows the same.
    assert parse_amount(text) == 1_000_000


def test_zero_allowed_when_asked() -> None:
    assert parse_amount("0", allow_zero=True) == 0


def test_float_cells_are_read_exactly() -> None:
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal(3300000.0) == Decimal("3300000.0")


@given(st.integers(min_value=1, max_value=10**12))
def test_formatted_amounts_read_back(amount: int) -> None:
    assert parse_amount(format_amount(amount, "nb")) == amount
    assert parse_amount(f"{amount:,}".replace(",", " ")) == amount
    english = format_amount(amount, "en")
    if 1_000 <= amount < 1_000_000:
        # "NOK 3,300" has one separator followed by three digits: refused as ambiguous, by design.
        with pytest.raises(AmountError, match="ambiguous"):
            parse_amount(english)
    else:
        assert parse_amount(english) == amount


def test_format_amount_per_language() -> None:
    assert format_amount(3_300_000, "nb") == f"3{NBSP}300{NBSP}000{NBSP}kr"
    assert format_amount(3_300_000, "en") == f"NOK{NBSP}3,300,000"
    assert format_amount(0, "nb") == f"0{NBSP}kr"
    assert format_amount(1_000, "nb", currency=None) == f"1{NBSP}000"
    # A programme in another currency: its code where NOK would stand.
    assert format_amount(1_000, "en", currency="SEK") == f"SEK{NBSP}1,000"
    assert format_amount(1_000, "nb", currency="SEK") == f"1{NBSP}000{NBSP}SEK"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_whole_kroner_format_as_the_general_path_does(amount: int) -> None:
    # kroner in an int take a short path; the grouped digits without a currency take the long one
    assert format_amount(amount, "nb") == f"{format_amount(amount, 'nb', currency=None)}{NBSP}kr"
    assert format_amount(amount, "en") == format_amount(amount, "en", currency="NOK")
    assert format_amount(amount, "en") == f"NOK{NBSP}{format_amount(amount, 'en', currency=None)}"


def test_negative_amounts_keep_the_sign_before_the_digits() -> None:
    assert format_amount(-1_234_567, "nb") == f"-1{NBSP}234{NBSP}567{NBSP}kr"
    assert format_amount(-1_234_567, "en") == f"NOK{NBSP}-1,234,567"
    assert format_amount(-5, "nb", currency=None) == "-5"


def test_amounts_stop_at_what_a_spreadsheet_holds_exactly() -> None:
    assert MAX_AMOUNT == 9_007_199_254_740_991
    assert float(MAX_AMOUNT) == MAX_AMOUNT  # exact as a double: a cell can hold it
    assert parse_amount(MAX_AMOUNT) == MAX_AMOUNT
    assert parse_amount("9 007 199 254 740 991 kr") == MAX_AMOUNT
    for value in (MAX_AMOUNT + 1, "10 000 000 mrd.", 1e20):
        with pytest.raises(AmountError, match="more than tilskudd takes"):
            parse_amount(value)
    with pytest.raises(AmountError, match="more than tilskudd takes"):
        parse_amount(-(MAX_AMOUNT + 1), allow_negative=True)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("20 000 000 kroner", 20_000_000),
        ("20 millioner kroner", 20_000_000),
        ("3,3 mill. kroner", 3_300_000),
        ("450 000 Kroner", 450_000),
    ],
)
def test_the_word_kroner_after_an_amount_is_its_currency(text: str, amount: int) -> None:
    # "kr" and "NOK" were read, "kroner" written out was "not an amount" (--budget too).
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20 MNOK.", 20_000_000), ("20 000 000 kroner.", 20_000_000), ("3,3 mill.", 3_300_000)],
)
def test_a_full_stop_after_the_unit_ends_the_sentence(text: str, expected: int) -> None:
    # "--budget '20 MNOK.'" was refused: "has digit groups that are not thousands".
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "'nan' is not a number"),
        (float("inf"), "'inf' is not a number"),
        # not "negative": minus infinity is no amount at all
        (float("-inf"), "'-inf' is not a number"),
        (Decimal("NaN"), "'NaN' is not a number"),
    ],
)
def test_number_cells_that_are_not_numbers_are_refused(value: object, message: str) -> None:
    with pytest.raises(AmountError, match=message):
        parse_amount(value, allow_negative=True)


def test_a_currency_without_digits_says_so() -> None:
    for text in ("kr", "NOK", "kr ,-"):
        with pytest.raises(AmountError, match="has no digits"):
            parse_amount(text)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(date(2026, 1, 1), "'2026-01-01'"), ([1], r"'\[1\]'")],
)
def test_cells_of_other_kinds_are_not_amounts(value: object, shown: str) -> None:
    # A date-formatted cell comes out of calamine as a date: an error naming it, not a crash.
    with pytest.raises(AmountError, match=f"{shown} is not an amount"):
        parse_amount(value)


def test_messages_quote_what_was_typed() -> None:
    cases: list[tuple[object, str]] = [
        ("  abc ", "'abc' is not an amount"),
        ("3,300", "'3,300' is ambiguous"),
        (-5, "'-5' is negative"),
        (True, "'True' is a truth value, not an amount"),
    ]
    for value, message in cases:
        with pytest.raises(AmountError) as info:
            parse_amount(value)
        assert str(info.value) == message
    # Called without the text as shown (a cell read for a sheet), the value itself is quoted.
    with pytest.raises(AmountError) as info:
        parse_decimal("abc")
    assert str(info.value) == "'abc' is not an amount"


def test_a_whole_number_cell_of_sixteen_digits_is_read_to_the_krone() -> None:
    # A cell is a double: every whole number up to MAX_AMOUNT (2**53 - 1, 9 007 199 254 740 991)
    # is held exactly, and read exactly. Only a fraction is read to the 15 digits a spreadsheet
    # shows; read that way, MAX_AMOUNT would be 9.00719925474099e15, 1 krone less.
    assert to_decimal(float(MAX_AMOUNT)) == Decimal("9007199254740991")
    assert parse_amount(float(MAX_AMOUNT)) == MAX_AMOUNT
    assert parse_amount(1_234_567_890_123_456.0) == 1_234_567_890_123_456  # not ...460


def test_a_fraction_cell_is_read_as_the_spreadsheet_shows_it_below_15_digits() -> None:
    # =350000*1,1 is saved as 385000.00000000006: shown, and compared, as 385 000.
    assert to_decimal(350_000 * 1.1) == Decimal("385000")
    assert parse_amount(350_000 * 1.1) == 385_000
    # A fraction beyond 15 digits is read as it is, not rounded to a whole number: 1e15 + 0.5
    # shown to 15 digits would be 1e15, an amount, where the cell holds half a krone more.
    assert to_decimal(1e15 + 0.5) == Decimal("1000000000000000.5")
    with pytest.raises(AmountError):
        parse_amount(1e15 + 0.5)


def test_to_decimal_refuses_truth_values() -> None:
    # bool is an int in Python: True would otherwise be read as 1 kr.
    for value in (True, False):
        with pytest.raises(AmountError, match="truth value"):
            to_decimal(value)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("-3 mill.", -3_000_000),
        ("\u22122,5 mill.", -2_500_000),
        ("-250k", -250_000),
        ("kr -1,5 mrd", -1_500_000_000),
    ],
)
def test_a_multiplier_applies_to_a_negative_amount(text: str, amount: int) -> None:
    assert parse_amount(text, allow_negative=True) == amount


@pytest.mark.parametrize(("text", "number"), [("1G", "1"), ("2 G", "2"), ("1,5 g", "1,5")])
def test_g_after_an_amount_is_refused_as_two_things(text: str, number: str) -> None:
    # 20M is 20 million and 1 mrd a billion, but in a Norwegian amount "2 G" is most often
    # twice the National Insurance basic amount (grunnbeløpet, about 124 000 kr), a common
    # cap in grant rules: read as giga it would be 2 000 000 000 kr. Refused, never a guess,
    # with the form that means a billion.
    with pytest.raises(AmbiguousUnitError, match="basic amount") as caught:
        parse_amount(text)
    assert caught.value.number == number
    assert caught.value.hint is not None
    assert f"{number} mrd" in caught.value.hint
    assert parse_amount(f"{number} mrd") == int(Decimal(number.replace(",", ".")) * 10**9)


@pytest.mark.parametrize("text", ["1 kg", "1Gb", "G1"])
def test_other_text_with_a_g_is_not_an_amount_as_before(text: str) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert not isinstance(caught.value, AmbiguousUnitError)


@pytest.mark.parametrize("text", ["5554\n,500", "12\n,5", "250000\n,00", "1 000\n.5"])
def test_a_line_break_inside_an_amount_is_refused_as_not_an_amount(text: str) -> None:
    # A line break typed in the cell (Alt+Enter) before the decimal mark: the digits before it
    # passed the check for digits ("$" matches before a final line break), and the Decimal
    # made of them raised InvalidOperation, a crash, from a cell and from --budget alike.
    with pytest.raises(AmountError, match=r"not an amount|not thousands"):
        parse_amount(text)
    with pytest.raises(AmountError):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("250.000", 250_000),
        ("kr 250.000", 250_000),
        ("1.250.000", 1_250_000),
        ("1.500", 1_500),
        ("250.000,00", 250_000),
        ("250.000,-", 250_000),
    ],
)
def test_a_dot_groups_thousands_where_the_decimal_mark_is_a_comma(text: str, expected: int) -> None:
    # A semicolon-separated file is Excel's CSV where the decimal mark is the comma: there a
    # dot before three digits groups thousands, and "250.000" was refused as ambiguous.
    assert parse_decimal(text, dot_groups=True) == expected


@pytest.mark.parametrize("text", ["1500.000", "1 000.000", "250.000 mill.", "0.500", "3,300"])
def test_what_dot_grouping_does_not_explain_stays_as_it_was(text: str) -> None:
    # Not grouped by dots throughout (1500.000, 1 000.000), a multiplier's decimal point, a
    # leading 0, a comma: read as without dot_groups, ambiguous or not.
    try:
        before: Decimal | type[AmountError] = parse_decimal(text)
    except AmountError as error:
        before = type(error)
    try:
        after: Decimal | type[AmountError] = parse_decimal(text, dot_groups=True)
    except AmountError as error:
        after = type(error)
    assert after == before


def test_without_dot_groups_a_dot_before_three_digits_is_still_ambiguous() -> None:
    with pytest.raises(AmbiguousAmountError):
        parse_decimal("250.000")


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("1,5", "'1,5' is not a whole number of EUR; tilskudd allocates whole EUR; round the"),
        ("1.5555", "'1.5555' has more than two decimals; amounts are whole EUR"),
        ("3,300", "could group thousands (3 300 EUR) or be a decimal mark (3,300); for 3 300 EUR"),
        ("2 G", "or the amount in EUR"),
    ],
)
def test_an_amount_refused_in_a_round_of_euros_is_said_in_euros(value: str, said: str) -> None:
    """parse_amount(..., currency="EUR") from Python said 'whole kroner', 'a krone divides
    into hundredths' and '3 300 kr' of an amount in a round of euros."""
    with pytest.raises(AmountError) as refused:
        parse_amount(value, currency="EUR")
    text = f"{refused.value}; {refused.value.hint}"
    assert said in text
    assert not {"kroner", "krone", "kr", "NOK"} & set(re.findall(r"\w+", text))


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("1,5", "'1,5' is not a whole number of kroner; tilskudd allocates whole kroner; round"),
        ("1.5555", "more than two decimals; amounts are whole kroner, and a krone divides into"),
        ("3,300", "could group thousands (3 300 kr) or be a decimal mark (3,300); for 3 300 kr"),
        ("2 G", "or the amount in kroner"),
    ],
)
def test_an_amount_refused_in_kroner_is_said_as_ever(value: str, said: str) -> None:
    with pytest.raises(AmountError) as refused:
        parse_amount(value)
    assert said in f"{refused.value}; {refused.value.hint}"
