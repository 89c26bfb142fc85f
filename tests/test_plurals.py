"""Words after a count agree with it where the count can be 1: "minst 1 innvilget søknad", not
"minst 1 innvilgede søknader" (the ``{n:one|other}`` spec of :mod:`tilskudd.i18n`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tilskudd.errors import QuotaError
from tilskudd.models import Application, Policy
from tilskudd.rules import allocate
from tilskudd.wording import note_text

NBSP = "\u00a0"


def _notes(applications: list[Application], budget: int, policy: Policy) -> dict[str, list[str]]:
    result = allocate(applications, budget, policy)
    return {lang: [note_text(note, lang) for note in result.notes] for lang in ("nb", "en")}


def test_a_minimum_of_one_funded_application_is_singular() -> None:
    apps = [
        Application(id="A", requested=100, score=Decimal(3), counties=("03",)),
        Application(id="B", requested=100, score=Decimal(9), counties=("46",)),
    ]
    policy = Policy(min_score=5, quotas=[{"by": "county", "value": "03", "min_count": 1}])
    with pytest.raises(QuotaError) as caught:
        allocate(apps, 1_000, policy)
    assert "fylke 03 (Oslo): minst 1 innvilget søknad, men bare 0 kan få tilskudd" in (
        caught.value.text("nb")
    )
    assert "county 03 (Oslo): at least 1 funded application, but only 0 eligible" in str(
        caught.value
    )
    # and plural for more than one
    policy = Policy(min_score=5, quotas=[{"by": "county", "value": "03", "min_count": 2}])
    with pytest.raises(QuotaError) as caught:
        allocate(apps, 1_000, policy)
    assert "minst 2 innvilgede søknader, men bare 0" in caught.value.text("nb")
    assert "at least 2 funded applications, but only 0" in str(caught.value)


def test_caps_not_applied_to_the_one_application_of_a_round() -> None:
    apps = [Application(id="A", requested=100, score=Decimal(3))]
    notes = _notes(apps, 1_000, Policy(max_share_of_cost=Decimal("0.5"), per_applicant_max=50))
    assert notes["nb"][:2] == [
        f"Den ene søknaden har ingen totalkostnad, så taket på 50{NBSP}% av totalkostnaden ble "
        "ikke brukt på den. Står totalkostnaden i arket under en overskrift tilskudd ikke "
        "kjenner, navngi kolonnen med --columns.",
        f"Den ene søknaden har ikke organisasjonsnummer, så taket på 50{NBSP}kr per organisasjon "
        "(per_applicant_max) ble ikke brukt på den. Står organisasjonsnumrene i arket under en "
        "overskrift tilskudd ikke kjenner, navngi kolonnen med --columns.",
    ]
    assert notes["en"][0].startswith(
        "The one application has no total cost, so the cap of 50% of total cost was not applied "
        "to it."
    )
    two = [*apps, Application(id="B", requested=100, score=Decimal(2))]
    notes = _notes(two, 1_000, Policy(max_share_of_cost=Decimal("0.5")))
    assert notes["nb"][0].startswith("Ingen av de 2 søknadene har totalkostnad, så taket på")
    assert notes["en"][0].startswith("None of the 2 applications has a total cost")


def test_one_application_sharing_the_budget() -> None:
    apps = [Application(id="A", requested=1_000, score=Decimal(3))]
    notes = _notes(apps, 500, Policy(rule="proportional"))
    assert notes["nb"] == [
        f"Den ene søknaden som deler rammen, fikk 50{NBSP}% av tilskuddsberettiget beløp før "
        "avrunding."
    ]
    assert notes["en"] == [
        "The one application sharing the budget received 50% of its eligible amount before "
        "rounding."
    ]
    assert _notes(apps, 2_000, Policy(rule="proportional"))["nb"] == [
        "Rammen dekker den ene tilskuddsberettigede søknaden fullt ut."
    ]
    dropped = _notes(apps, 500, Policy(rule="proportional", min_award=600))
    assert "den ene søknaden som delte rammen, falt ut, og 500" in dropped["nb"][0]
    assert "the one application sharing the budget dropped out, and NOK" in dropped["en"][0]
