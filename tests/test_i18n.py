"""The catalogues: every language has the same keys, and formats numbers its own way."""

from __future__ import annotations

import re
import string
from datetime import date
from decimal import Decimal

import pytest

from tilskudd.i18n import _catalogue, _Defaults, format_date, format_share, get, languages

NBSP = "\u00a0"


def test_languages_are_the_catalogue_files() -> None:
    assert set(languages()) >= {"en", "nb"}


@pytest.mark.parametrize("lang", ["nb"])
def test_every_key_exists_in_every_language(lang: str) -> None:
    english = set(_catalogue("en"))
    other = set(_catalogue(lang))
    assert english - other == set(), f"missing in {lang}"
    assert other - english == set(), "missing in en"


def test_placeholders_agree_between_languages() -> None:
    def fields(template: str) -> set[str]:
        return {name for _t, name, _s, _c in string.Formatter().parse(template) if name}

    english = _catalogue("en")
    for key, template in _catalogue("nb").items():
        assert fields(template) <= fields(english[key]) | {"n"}, key


def test_money_num_pct_and_list_specs() -> None:
    nb, en = get("nb"), get("en")
    template = "{amount:money} {n:num} {share:pct} {ids:list}"
    # Render through a key-less template via the formatter the translator uses.
    assert nb._formatter.format(
        template, amount=3_300_000, n=1450, share=Decimal("0.2"), ids=["A", "B", "C"]
    ) == (f"3{NBSP}300{NBSP}000{NBSP}kr 1{NBSP}450 20{NBSP}% A, B og C")
    assert en._formatter.format(
        template, amount=3_300_000, n=1450, share=Decimal("0.2"), ids=["A", "B", "C"]
    ) == (f"NOK{NBSP}3,300,000 1,450 20% A, B and C")


def test_unknown_key_keeps_its_information() -> None:
    assert get("nb")("no.such.key", amount=5) == "no.such.key(amount=5)"


def test_status_words() -> None:
    assert get("nb")("status.partly_funded") == "delvis innvilget"
    assert get("en")("status.rejected") == "rejected"


def test_dates_and_shares() -> None:
    assert format_date(date(2026, 11, 28), "nb") == "28. november 2026"
    assert format_date(date(2026, 11, 28), "en") == "28 November 2026"
    assert format_share(Decimal("0.375"), "nb") == f"37,5{NBSP}%"
    assert re.fullmatch(r"37\.5%", format_share(Decimal("0.375"), "en"))


def test_missing_parameter_renders_a_question_mark_not_a_crash() -> None:
    nb = get("nb")
    assert nb._formatter.vformat("{amount:money} {n:num} {x}", (), _Defaults({})) == "? ? ?"
