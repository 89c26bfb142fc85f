"""The round's currency: ISO 4217 codes, and every amount said in it, kroner as they always were."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tilskudd.currency import CODES, NOK, amount_unit, amounts_in, parse_currency, shown
from tilskudd.errors import CurrencyError
from tilskudd.i18n import Translator, get
from tilskudd.money import format_amount

NBSP = "\u00a0"


@pytest.mark.parametrize(("given", "code"), [("EUR", "EUR"), (" dkk ", "DKK"), ("Gbp", "GBP")])
def test_a_code_is_read_in_any_case(given: str, code: str) -> None:
    assert parse_currency(given) == code


@pytest.mark.parametrize("given", ["EUT", "KR", "kroner", "€", "", "XAU", "XXX", "EURO"])
def test_what_is_no_currency_to_grant_in_is_refused(given: str) -> None:
    with pytest.raises(CurrencyError) as caught:
        parse_currency(given)
    assert caught.value.key == "currency.error.unknown"
    assert "ISO 4217" in caught.value.text("en")
    assert "ISO 4217" in caught.value.text("nb")


def test_a_number_is_no_code() -> None:
    with pytest.raises(CurrencyError) as caught:
        parse_currency(978)
    assert caught.value.key == "currency.error.not_text"


def test_the_nordic_and_euro_currencies_are_known() -> None:
    assert {"NOK", "DKK", "SEK", "ISK", "EUR", "GBP", "CHF", "PLN", "HUF"} <= CODES


def _said(t: Translator) -> str:
    # A message with amounts, through the compiled templates; the second without a budget.
    return t("ui.budget.excluded_value", applications="x", amount=3_300_000, considered=1)


@pytest.mark.parametrize(
    ("lang", "kroner", "euros"),
    [
        ("nb", f"3{NBSP}300{NBSP}000{NBSP}kr", f"3{NBSP}300{NBSP}000{NBSP}EUR"),
        ("en", f"NOK{NBSP}3,300,000", f"EUR{NBSP}3,300,000"),
    ],
)
def test_every_amount_is_said_in_the_currency_shown(lang: str, kroner: str, euros: str) -> None:
    t = get(lang)
    before = _said(t)
    assert kroner in before
    with amounts_in("EUR"):
        inside = _said(t)
        assert shown() == "EUR"
        # The general path (a template the compiled one leaves) says it the same way.
        assert t._formatter.format("{a:money}", a=3_300_000) == euros
    assert inside == before.replace(kroner, euros)
    assert kroner not in inside
    # Kroner again after the block, exactly as before.
    assert _said(t) == before
    assert shown() == NOK


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_kroner_are_said_as_format_amount_says_them(lang: str) -> None:
    t = get(lang)
    for amount in (0, 5, -25_000, 3_300_000):
        for code in ("NOK", "DKK"):
            with amounts_in(code):
                expected = format_amount(amount, lang, currency=amount_unit())
                assert t._shows["money"](amount) == expected
    assert format_amount(3_300_000, "nb", currency=amount_unit("NOK")) == (
        f"3{NBSP}300{NBSP}000{NBSP}kr"
    )
    assert format_amount(3_300_000, "en", currency=amount_unit("NOK")) == f"NOK{NBSP}3,300,000"


def test_the_block_is_left_in_kroner_after_an_error() -> None:
    with pytest.raises(RuntimeError), amounts_in("SEK"):
        raise RuntimeError
    assert shown() == NOK


def test_a_missing_or_empty_amount_is_said_as_before() -> None:
    t = get("en")
    params: dict[str, Any] = {"amount": None, "considered": 1, "applications": "x"}
    with amounts_in("EUR"):
        assert "–" in t("ui.budget.excluded_value", **params)


WORDED = (
    "validate.amount_ambiguous",
    "validate.amount_invalid",
    "validate.amount_g",
    "validate.amount_date",
    "validate.amount_zero",
    "validate.amount_fraction_ore",
    "validate.amount_not_whole",
    "validate.decision_amount_zero",
    "summary.label.per_county_note",
    "compare.spread_note",
    "read.error.scaled",
    "read.error.scaled_column",
    "read.error.scale_stated",
    "validate.thousands_budget",
    "validate.thousands_cost",
    "programme.error.frame_zero",
    "ledger.error.bad_amount",
)
"""Messages that name the currency in words ("whole kroner", "above 0 kr")."""


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("key", WORDED)
def test_a_message_that_names_kroner_names_the_rounds_currency(lang: str, key: str) -> None:
    t = get(lang)
    params = {"value": "3,5", "thousands": "3 300", "decimal": "3,3", "plain": "3300"}
    kroner = set(re.findall(r"\w+", t(key, **params)))
    assert kroner & {"kroner", "kr", "NOK"}
    with amounts_in("EUR"):
        euros = set(re.findall(r"\w+", t(key, **params)))
    assert "EUR" in euros
    assert not euros & {"kroner", "kr", "NOK", "krone", "kronen", "øre"}


def test_a_validation_message_says_the_currency_of_the_round_it_is_shown_in() -> None:
    from tilskudd.issues import describe_issue
    from tilskudd.models import Issue, Severity

    issue = Issue(severity=Severity.ERROR, code="validate.amount_zero")
    assert describe_issue(issue, "nb").endswith("over 0 kr")
    assert describe_issue(issue, "en").endswith("above NOK 0")
    with amounts_in("DKK"):
        assert describe_issue(issue, "nb").endswith("over 0 DKK")
        assert describe_issue(issue, "en").endswith("above DKK 0")


def test_a_result_is_shown_in_its_own_currency_without_being_told(
    make_application: Any, make_decision: Any, make_result: Any
) -> None:
    from rich.console import Console

    from tilskudd.models import Status
    from tilskudd.render.allocation import render_result

    app = make_application(id="A-1", requested=300_000)
    result = make_result([(app, make_decision("A-1", Status.FUNDED, 300_000, rank=1))])
    for currency, said in (("NOK", f"300{NBSP}000{NBSP}kr"), ("SEK", f"300{NBSP}000{NBSP}SEK")):
        console = Console(record=True, width=200)
        render_result(console, result.model_copy(update={"currency": currency}), lang="nb")
        assert said in console.export_text()


KRONER_AS_EVER = {
    ("nb", "explain.method_budget_bisect"): "(fullt tilskudd) og med 1 krone mindre (ikke",
    ("en", "explain.method_budget_bisect"): "(funded in full) and with NOK 1 less (not).",
    ("nb", "note.optimal.imprecise"): (
        "grensene på kronen, så utvalget ble rettet i hele kroner (eller",
        "(round_to), for eksempel 1 000 kr, gjør",
    ),
    ("en", "note.optimal.imprecise"): (
        "the other limits to the krone, so its selection was corrected in whole kroner (or",
        "A larger round_to, such as NOK 1,000, makes",
    ),
    ("nb", "policy.error.optimal_too_large"): (
        "holde grensene på kronen; en større avrunding (round_to, for eksempel 1 000 kr) gjør"
    ),
    ("en", "policy.error.optimal_too_large"): (
        "keep to the limits to the krone; a larger round_to (such as NOK 1,000) makes"
    ),
    ("nb", "validate.amount_fraction_ore"): (
        "«1,5555» har en brøkdel av en øre; forventet et beløp i hele kroner"
    ),
    ("en", "validate.amount_fraction_ore"): (
        "'1,5555' has more than two decimals; expected an amount in whole kroner"
    ),
    ("nb", "validate.thousands_cost"): "for eksempel Omsøkt beløp (1000 kr), avvises",
    ("nb", "validate.thousands_budget"): "for eksempel Omsøkt beløp (1000 kr), avvises",
    ("nb", "programme.error.frame_zero"): "rammen må være mer enn 0 kr",
    ("en", "programme.error.frame_zero"): "the frame must be more than NOK 0",
}
"""What these messages said in kroner before they named the round's currency, with the
catalogue's plain spaces: a round of kroner says them exactly so."""


@pytest.mark.parametrize(("lang", "key"), list(KRONER_AS_EVER))
def test_a_round_of_kroner_says_the_advice_on_amounts_as_ever(lang: str, key: str) -> None:
    said = get(lang)(key, value=1_234_567 if "fraction" not in key else "1,5555")
    wanted = KRONER_AS_EVER[lang, key]
    for part in (wanted,) if isinstance(wanted, str) else wanted:
        assert part in said
    with amounts_in("SEK"):
        euros = get(lang)(key, value=1_234_567)
    assert "SEK" in euros
    assert not set(re.findall(r"\w+", euros)) & {"kroner", "kr", "NOK", "krone", "kronen", "øre"}


@pytest.mark.parametrize(
    ("lang", "exactly"), [("nb", "grensene nøyaktig;"), ("en", "the limits exactly;")]
)
def test_a_round_in_another_currency_is_kept_to_exactly_not_to_the_krone(
    lang: str, exactly: str
) -> None:
    with amounts_in("EUR"):
        said = get(lang)("policy.error.optimal_too_large")
    assert exactly in said
    assert "1 000 EUR" in said if lang == "nb" else "EUR 1,000" in said


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "«833.333333333333» har mer enn to desimaler; forventet et beløp i hele CHF"),
        ("en", "'833.333333333333' has more than two decimals; expected an amount in whole CHF"),
    ],
)
def test_a_fraction_of_a_cent_is_no_fraction_of_an_ore_in_francs(lang: str, said: str) -> None:
    """Uster's 833.333333333333 francs (a sum split three ways) in a round of francs: the
    Norwegian said "a fraction of an øre", a coin of kroner."""
    with amounts_in("CHF"):
        assert get(lang)("validate.amount_fraction_ore", value="833.333333333333") == said


def test_a_programme_of_euros_needs_a_frame_above_0_eur(tmp_path: Path) -> None:
    from tilskudd.errors import ProgrammeError
    from tilskudd.programme import init_programme

    with pytest.raises(ProgrammeError) as refused:
        init_programme(tmp_path / "p", frame=0, currency="EUR")
    assert refused.value.text("nb") == "rammen må være mer enn 0 EUR"
    assert refused.value.text("en") == "the frame must be more than EUR 0"


@pytest.mark.parametrize(
    ("typed", "currency", "amount"),
    [
        ("2 807 253 zł", "PLN", 2_807_253),
        ("zł 30 000", "PLN", 30_000),
        ("122 600 000 Ft", "HUF", 122_600_000),
        ("1,5 MFt", "HUF", 1_500_000),
    ],
)
def test_zloty_and_forints_are_read_by_their_signs(typed: str, currency: str, amount: int) -> None:
    """A Polish budget team types its budget `2 807 253 zł`, a Hungarian one `122 600 000 Ft`:
    in a round of PLN or HUF they were "not an amount", where `€ 12 500` is read in euros.
    In another round's currency they are an amount in PLN or HUF, refused as such; a
    Hungarian company's `Kft.` and `ft` in small letters name no forints."""
    from tilskudd.currency import named_in
    from tilskudd.errors import AmountError
    from tilskudd.money import parse_amount

    assert parse_amount(typed, currency=currency) == amount
    with pytest.raises(AmountError, match=f"is an amount in {currency}, but the round counts in"):
        parse_amount(typed, currency="NOK")
    assert named_in("Példa Kft.") == named_in("5 ft") == []
    assert named_in("Összeg (Ft)") == ["HUF"]
