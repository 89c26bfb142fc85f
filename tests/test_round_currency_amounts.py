"""Amounts typed with the round's own currency are read; another currency's are refused.

In a round of euros ``3 300 000 EUR``, ``€ 12 500`` and ``3.300.000 €`` are the number, read by
the rules of a bare number; kroner (``3 300 000 kr``) stay an error, as euros typed in a round
of kroner do, whose message says ``--currency EUR``. The same holds for ``--budget``, the
policy's amounts (file and options) and every cell of an amount.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tilskudd.currency import marks, named_in
from tilskudd.errors import AmbiguousAmountError, AmountError
from tilskudd.issues import describe_issue
from tilskudd.money import parse_amount
from tilskudd.pipeline import read_applications
from tilskudd.validation import amount_problem


@pytest.mark.parametrize(
    ("typed", "currency", "amount"),
    [
        ("3 300 000 EUR", "EUR", 3_300_000),
        ("EUR 3 300 000", "EUR", 3_300_000),
        ("eur 3300000", "EUR", 3_300_000),
        ("€3,300,000", "EUR", 3_300_000),
        ("3.300.000 €", "EUR", 3_300_000),
        ("€ 12 500", "EUR", 12_500),
        ("12.500,- €", "EUR", 12_500),  # ",-": no cents, as "kr 12.500,-" is no øre
        ("€ 12.500,-", "EUR", 12_500),
        ("5 000 euro", "EUR", 5_000),
        ("3,3 mill. EUR", "EUR", 3_300_000),
        ("3,3 MEUR", "EUR", 3_300_000),  # as "3,3 MNOK" is in kroner
        ("€3.3m", "EUR", 3_300_000),
        ("£ 25 000", "GBP", 25_000),
        ("CHF 25'000", "CHF", 25_000),
        ("SEK 1 500 000", "SEK", 1_500_000),
        ("1 500 000 sek", "SEK", 1_500_000),
        ("2 000 PLN", "PLN", 2_000),
        ("2 000 pln", "PLN", 2_000),  # the round's own code, in any case
    ],
)
def test_an_amount_with_the_rounds_own_currency_is_its_number(
    typed: str, currency: str, amount: int
) -> None:
    assert parse_amount(typed, currency=currency) == amount
    assert amount_problem(typed, currency=currency) is None


@pytest.mark.parametrize(
    ("typed", "currency"), [("3.300 €", "EUR"), ("EUR 1,500", "EUR"), ("£25,000", "GBP")]
)
def test_the_rounds_currency_leaves_an_ambiguous_number_ambiguous(
    typed: str, currency: str
) -> None:
    with pytest.raises(AmbiguousAmountError):
        parse_amount(typed, currency=currency)


@pytest.mark.parametrize(
    ("typed", "currency", "named"),
    [
        ("3 300 000 EUR", "NOK", "EUR"),
        ("€ 12 500", "NOK", "EUR"),
        ("3,3 MEUR", "NOK", "EUR"),
        ("£25,000", "NOK", "GBP"),
        ("3 300 000 SEK", "EUR", "SEK"),
        ("$ 5 000", "EUR", "USD"),
        ("3 300 000 kr", "EUR", "NOK"),
        ("0,3 MNOK", "EUR", "NOK"),
        ("kr 3.300.000,-", "GBP", "NOK"),
    ],
)
def test_an_amount_in_another_currency_than_the_rounds_is_refused(
    typed: str, currency: str, named: str
) -> None:
    with pytest.raises(AmountError, match=f"is an amount in {named}, but the round counts in"):
        parse_amount(typed, currency=currency)
    problem = amount_problem(typed, currency=currency)
    assert problem is not None
    if named == "NOK":
        assert (problem.key, problem.params["expected"]) == ("validate.amount_in_kroner", currency)
    else:
        assert problem.key == "validate.amount_other_currency"
        assert (problem.params["currency"], problem.params["expected"]) == (named, currency)


def test_kroner_read_as_ever_in_a_round_of_kroner() -> None:
    for typed, amount in [("3 300 000 kr", 3_300_000), ("NOK 3300000", 3_300_000)]:
        assert parse_amount(typed) == amount
    assert parse_amount("0,3 MNOK") == 300_000
    assert parse_amount("3 mkr") == 3_000_000


def test_what_names_a_currency_in_typed_text() -> None:
    assert named_in("3 MNOK") == ["NOK"]
    assert named_in("tkr 5") == ["NOK"]
    assert named_in("€ 5 or 5 EUR") == ["EUR"]
    assert named_in("5 ALL") == ["ALL"]  # a code in capitals
    assert named_in("5 all") == []  # ... but "all" is a word
    assert named_in("5 pln") == []
    assert named_in("5 pln", "PLN") == ["PLN"]
    assert named_in("3,3 mill.") == named_in("1 mrd") == named_in("20M") == []
    assert marks("EUR") == ("euros", "euro", "eur", "€")


@pytest.mark.parametrize(
    ("currency", "typed", "read"),
    [
        ("EUR", ["€ 12 500", "3 300 000 EUR", "EUR 250 000"], [12_500, 3_300_000, 250_000]),
        ("NOK", ["12 500 kr", "kr 3 300 000", "NOK 250 000"], [12_500, 3_300_000, 250_000]),
    ],
)
def test_cells_with_the_rounds_currency_are_read(
    tmp_path: Path, currency: str, typed: list[str], read: list[int]
) -> None:
    path = tmp_path / "applications.csv"
    rows = "".join(f'A-{n};"{cell}";5\n' for n, cell in enumerate(typed, start=1))
    path.write_text(f"ID;Søkt beløp;Poeng\n{rows}", encoding="utf-8")
    checked = read_applications(path, currency=currency)
    assert not checked.errors
    assert [a.requested for a in checked.applications] == read


@pytest.mark.parametrize("typed", ["3 300 000 EUR", "€ 12 500", "EUR 3300000"])
def test_euros_in_a_round_of_kroner_are_an_error_that_says_currency(
    tmp_path: Path, typed: str
) -> None:
    path = tmp_path / "applications.csv"
    path.write_text(f'ID;Søkt beløp;Poeng\nA-1;"{typed}";5\nA-2;250000;4\n', encoding="utf-8")
    checked = read_applications(path)
    assert [a.id for a in checked.applications] == ["A-2"]
    (issue,) = checked.errors
    assert (issue.code, issue.params, issue.value) == (
        "validate.amount_other_currency",
        {"currency": "EUR", "expected": "NOK"},
        typed,
    )
    assert issue.location is not None
    assert issue.location.cell == "B2"
    assert describe_issue(issue, "en").endswith(
        f"'{typed}' is an amount in EUR, but the round counts in NOK; write the amount in NOK, "
        "or, if the round's amounts are in EUR, count the round in EUR with --currency EUR"
    )
    assert describe_issue(issue, "nb").endswith(
        f"«{typed}» er et beløp i EUR, men runden regner i NOK; skriv beløpet i NOK, eller, "
        "om rundens beløp er i EUR, regn runden i EUR med --currency EUR"
    )


def test_a_third_currency_in_a_round_of_euros_is_named(tmp_path: Path) -> None:
    path = tmp_path / "applications.csv"
    path.write_text("ID;Søkt beløp;Totalkostnad\nA-1;€ 5 000;20 000 SEK\n", encoding="utf-8")
    checked = read_applications(path, currency="EUR")
    (issue,) = checked.errors
    assert (issue.code, issue.params) == (
        "validate.amount_other_currency",
        {"currency": "SEK", "expected": "EUR"},
    )
    assert issue.location is not None
    assert issue.location.cell == "C2"


def test_a_totals_row_in_the_rounds_currency_is_known_by_its_sum(tmp_path: Path) -> None:
    """'€ 21 500' under '€ 12 500' and '€ 9 000', with no id or applicant: a totals row, as
    '21 500 kr' is in a round of kroner; it was kept as an application with no id."""
    path = tmp_path / "applications.csv"
    path.write_text(
        "ID;Søker;Søkt beløp\nA-1;Lag A;€ 12 500\nA-2;Lag B;€ 9 000\n;;€ 21 500\n",
        encoding="utf-8",
    )
    checked = read_applications(path, currency="EUR")
    assert not checked.errors
    assert [a.requested for a in checked.applications] == [12_500, 9_000]
    assert [i.location.row for i in checked.warnings if i.location is not None] == [4]


def test_a_header_repeated_in_english_in_the_rounds_currency_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "applications.csv"
    path.write_text(
        "Søknadsnr;Søkt beløp (EUR);Poeng\nID;Requested (€);Score\nA-1;€ 12 500;5\n",
        encoding="utf-8",
    )
    checked = read_applications(path, currency="EUR")
    assert not checked.errors
    assert [(a.id, a.requested) for a in checked.applications] == [("A-1", 12_500)]


@pytest.mark.parametrize(
    ("typed", "currency", "amount"),
    [
        ("500 kr", "SEK", 500),
        ("kr 3 300 000", "SEK", 3_300_000),
        ("1 500 000 kronor", "SEK", 1_500_000),
        ("3 mkr", "SEK", 3_000_000),  # miljoner kronor, as "3 mkr" is in kroner
        ("kr. 12.500,-", "DKK", 12_500),
        ("12 500 kr.", "DKK", 12_500),
        ("12 500 kroner", "DKK", 12_500),
        ("12 500,- kr", "DKK", 12_500),
        ("500 000 kr.", "ISK", 500_000),
        ("500 000 krónur", "ISK", 500_000),
        ("500 000 kronur", "ISK", 500_000),
    ],
)
def test_kr_in_a_nordic_round_is_the_rounds_own_krone(
    typed: str, currency: str, amount: int
) -> None:
    """ "500 kr" in a Swedish round is 500 Swedish kronor, as people there write it: refused
    before as "an amount in kroner" (Norwegian), and the officer had to strip every cell."""
    assert parse_amount(typed, currency=currency) == amount
    assert amount_problem(typed, currency=currency) is None
    assert named_in(typed, currency) == [currency]


@pytest.mark.parametrize(
    ("typed", "currency"),
    [
        ("NOK 500", "SEK"),
        ("500 NOK", "DKK"),
        ("0,3 MNOK", "ISK"),
        ("500 kroner", "SEK"),  # the Norwegian (and Danish) word: not kronor
        ("500 kroner", "ISK"),
    ],
)
def test_norwegian_kroner_named_in_a_nordic_round_are_refused_naming_both(
    typed: str, currency: str
) -> None:
    with pytest.raises(
        AmountError, match=f"is an amount in NOK, but the round counts in {currency}"
    ):
        parse_amount(typed, currency=currency)
    problem = amount_problem(typed, currency=currency)
    assert problem is not None
    # Not "write it without kr or NOK": there kr is the round's own.
    assert problem.key == "validate.amount_other_currency"
    assert (problem.params["currency"], problem.params["expected"]) == ("NOK", currency)


@pytest.mark.parametrize("currency", ["EUR", "GBP", "PLN"])
def test_kr_stays_norwegian_kroner_in_any_other_round(currency: str) -> None:
    for typed in ("500 kr", "kr. 500", "500 kroner"):
        problem = amount_problem(typed, currency=currency)
        assert problem is not None
        assert (problem.key, problem.params["expected"]) == ("validate.amount_in_kroner", currency)
    problem = amount_problem("500 kronor", currency=currency)
    assert problem is not None
    assert problem.params.get("currency") == "SEK"


def test_a_round_of_kroner_reads_the_nordic_words_as_before() -> None:
    assert parse_amount("500 kr.") == parse_amount("kr 500") == parse_amount("500 kroner") == 500
    for typed in ("500 kronor", "500 krónur"):
        problem = amount_problem(typed)
        assert problem is not None
        assert problem.key == "validate.amount_invalid"  # as ever: no currency named
    assert named_in("500 kronor") == named_in("500 krónur") == []
    assert marks("SEK") == ("kronor", "kr.", "sek", "kr")
    assert marks("ISK") == ("kronur", "krónur", "isk", "kr.", "kr")


@pytest.mark.parametrize("currency", ["SEK", "DKK", "ISK"])
def test_cells_in_kr_are_read_in_a_nordic_round(tmp_path: Path, currency: str) -> None:
    path = tmp_path / "applications.csv"
    path.write_text(
        'ID;Søkt beløp;Totalkostnad;Poeng\nA-1;"12 500 kr";50000 kr.;5\nA-2;"kr 9 000";;4\n'
        'A-3;"NOK 5 000";;3\n',
        encoding="utf-8",
    )
    checked = read_applications(path, currency=currency)
    assert [(a.id, a.requested, a.total_cost) for a in checked.applications] == [
        ("A-1", 12_500, 50_000),
        ("A-2", 9_000, None),
    ]
    (issue,) = checked.errors
    assert (issue.code, issue.params) == (
        "validate.amount_other_currency",
        {"currency": "NOK", "expected": currency},
    )
    assert issue.location is not None
    assert issue.location.cell == "B4"
    assert describe_issue(issue, "en").endswith(
        f"'NOK 5 000' is an amount in NOK, but the round counts in {currency}; write the amount "
        f"in {currency}, or, if the round's amounts are in NOK, count the round in NOK with "
        "--currency NOK"
    )
    assert describe_issue(issue, "nb").endswith(
        f"«NOK 5 000» er et beløp i NOK, men runden regner i {currency}; skriv beløpet i "
        f"{currency}, eller, om rundens beløp er i NOK, regn runden i NOK med --currency NOK"
    )
