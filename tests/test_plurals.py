"""Words after a count agree with it where the count can be 1: "minst 1 innvilget søknad", not
"minst 1 innvilgede søknader" (the ``{n:one|other}`` spec of :mod:`tilskudd.i18n`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tilskudd.errors import QuotaError
from tilskudd.i18n import _catalogue, get
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
        "The one application has no total cost, so the cap of 50% of the total cost was not "
        "applied to it."
    )
    two = [*apps, Application(id="B", requested=100, score=Decimal(2))]
    notes = _notes(two, 1_000, Policy(max_share_of_cost=Decimal("0.5")))
    assert notes["nb"][0].startswith("Ingen av de 2 søknadene har totalkostnad, så taket på")
    assert notes["en"][0].startswith("None of the 2 applications has a total cost")


def test_one_application_sharing_the_budget() -> None:
    apps = [Application(id="A", requested=1_000, score=Decimal(3))]
    notes = _notes(apps, 500, Policy(rule="proportional"))
    assert notes["nb"] == [
        f"Den ene søknaden som deler rammen, fikk 50{NBSP}% av sitt tilskuddsberettigede beløp "
        "før avrunding."
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


# -- messages whose words agree with a count ------------------------------------------------
# Each of these was a pair of keys, ``key.one`` and ``key.other``, chosen by code; the texts
# below are what the pair said, for no, one, two and a million, in both languages.

_COUNTS = (0, 1, 2, 1_000_000)

_COUNTED_PARAMS: dict[str, dict[str, Any]] = {
    "cli.register_mismatch_not_committed": {"other_register": "2009"},
    "ui.check.valid": {},
    "ui.check.invalid": {},
    "ui.check.failed": {},
    "ui.check.failed_allocating": {},
    "ui.check.register_mismatch_only": {"invalid": 1_200},
    "ui.budget.unscored": {},
    # The verb agrees with the number of projects, which the sentence is given in words.
    "summary.sentence": {
        "projects": "PROJECTS",
        "municipalities": "PLACES",
        "awarded": 1_000_000,
        "unallocated": 0,
    },
    "summary.sentence_no_places": {"projects": "PROJECTS", "awarded": 1_000_000, "unallocated": 0},
    "summary.projects": {},
    "summary.applications": {},
    "summary.municipalities": {},
    "summary.counties": {},
    "ledger.count.projects": {},
    "ledger.count.municipalities": {},
    "ledger.count.amendments": {},
    "ledger.count.applications": {},
    "ledger.count.withdrawals": {},
    "explain.given_rank": {"rank": 1_500},
    "explain.given_rank_tied": {"rank": 3, "others": ["S-1", "S-2"]},
}

_COUNTED_TEXTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("nb", "cli.register_mismatch_not_committed"): (
        (
            "Runden ble ikke ført i registeret: 0 søknader ville blitt avvist bare fordi stedene "
            "deres er i 2009-inndelingen, og en ført runde kan ikke føres på nytt. Bruk "
            '--register 2009 (eller register = "2009" i tilskudd.toml) hvis arket følger den '
            "inndelingen, eller rett cellene, og kjør på nytt."
        ),
        (
            "Runden ble ikke ført i registeret: 1 søknad ville blitt avvist bare fordi stedene "
            "dens er i 2009-inndelingen, og en ført runde kan ikke føres på nytt. Bruk "
            '--register 2009 (eller register = "2009" i tilskudd.toml) hvis arket følger den '
            "inndelingen, eller rett cellene, og kjør på nytt."
        ),
        (
            "Runden ble ikke ført i registeret: 2 søknader ville blitt avvist bare fordi stedene "
            "deres er i 2009-inndelingen, og en ført runde kan ikke føres på nytt. Bruk "
            '--register 2009 (eller register = "2009" i tilskudd.toml) hvis arket følger den '
            "inndelingen, eller rett cellene, og kjør på nytt."
        ),
        (
            "Runden ble ikke ført i registeret: 1\u00a0000\u00a0000 søknader ville blitt avvist "
            "bare fordi stedene deres er i 2009-inndelingen, og en ført runde kan ikke føres på "
            'nytt. Bruk --register 2009 (eller register = "2009" i tilskudd.toml) hvis arket '
            "følger den inndelingen, eller rett cellene, og kjør på nytt."
        ),
    ),
    ("nb", "ui.check.valid"): (
        "0 gyldige",
        "1 gyldig",
        "2 gyldige",
        "1\u00a0000\u00a0000 gyldige",
    ),
    ("nb", "ui.check.invalid"): (
        "0 ugyldige",
        "1 ugyldig",
        "2 ugyldige",
        "1\u00a0000\u00a0000 ugyldige",
    ),
    ("nb", "ui.check.failed"): (
        "0 søknader har feil og vil bli avvist.",
        "1 søknad har feil og vil bli avvist.",
        "2 søknader har feil og vil bli avvist.",
        "1\u00a0000\u00a0000 søknader har feil og vil bli avvist.",
    ),
    ("nb", "ui.check.failed_allocating"): (
        "0 søknader har feil og er avvist.",
        "1 søknad har feil og er avvist.",
        "2 søknader har feil og er avvist.",
        "1\u00a0000\u00a0000 søknader har feil og er avvist.",
    ),
    ("nb", "ui.check.register_mismatch_only"): (
        "0 av de 1\u00a0200 ugyldige søknadene har ingen annen feil.",
        "1 av de 1\u00a0200 ugyldige søknadene har ingen annen feil.",
        "2 av de 1\u00a0200 ugyldige søknadene har ingen annen feil.",
        "1\u00a0000\u00a0000 av de 1\u00a0200 ugyldige søknadene har ingen annen feil.",
    ),
    ("nb", "ui.budget.unscored"): (
        "0 søknader uten poeng eller rangering tas sist, etter søknadsnummer",
        "1 søknad uten poeng eller rangering tas sist, etter søknadsnummer",
        "2 søknader uten poeng eller rangering tas sist, etter søknadsnummer",
        "1\u00a0000\u00a0000 søknader uten poeng eller rangering tas sist, etter søknadsnummer",
    ),
    ("nb", "summary.sentence"): (
        "PROJECTS med PLACES får 1\u00a0000\u00a0000\u00a0kr; 0\u00a0kr igjen av runden.",
        "PROJECTS med PLACES får 1\u00a0000\u00a0000\u00a0kr; 0\u00a0kr igjen av runden.",
        "PROJECTS med PLACES får 1\u00a0000\u00a0000\u00a0kr; 0\u00a0kr igjen av runden.",
        "PROJECTS med PLACES får 1\u00a0000\u00a0000\u00a0kr; 0\u00a0kr igjen av runden.",
    ),
    ("nb", "summary.sentence_no_places"): (
        "PROJECTS får 1\u00a0000\u00a0000\u00a0kr; 0\u00a0kr igjen av runden.",
        "PROJECTS får 1\u00a0000\u00a0000\u00a0kr; 0\u00a0kr igjen av runden.",
        "PROJECTS får 1\u00a0000\u00a0000\u00a0kr; 0\u00a0kr igjen av runden.",
        "PROJECTS får 1\u00a0000\u00a0000\u00a0kr; 0\u00a0kr igjen av runden.",
    ),
    ("nb", "summary.projects"): (
        "0 prosjekter",
        "1 prosjekt",
        "2 prosjekter",
        "1\u00a0000\u00a0000 prosjekter",
    ),
    ("nb", "summary.applications"): (
        "0 søknader",
        "1 søknad",
        "2 søknader",
        "1\u00a0000\u00a0000 søknader",
    ),
    ("nb", "summary.municipalities"): (
        "0 kommuner",
        "1 kommune",
        "2 kommuner",
        "1\u00a0000\u00a0000 kommuner",
    ),
    ("nb", "summary.counties"): (
        "0 fylker",
        "1 fylke",
        "2 fylker",
        "1\u00a0000\u00a0000 fylker",
    ),
    ("nb", "ledger.count.projects"): (
        "0 prosjekter",
        "1 prosjekt",
        "2 prosjekter",
        "1\u00a0000\u00a0000 prosjekter",
    ),
    ("nb", "ledger.count.municipalities"): (
        "0 kommuner",
        "1 kommune",
        "2 kommuner",
        "1\u00a0000\u00a0000 kommuner",
    ),
    ("nb", "ledger.count.amendments"): (
        "0 endringer",
        "1 endring",
        "2 endringer",
        "1\u00a0000\u00a0000 endringer",
    ),
    ("nb", "ledger.count.applications"): (
        "0 søknader",
        "1 søknad",
        "2 søknader",
        "1\u00a0000\u00a0000 søknader",
    ),
    ("nb", "ledger.count.withdrawals"): (
        "0 tilbaketrekninger",
        "1 tilbaketrekning",
        "2 tilbaketrekninger",
        "1\u00a0000\u00a0000 tilbaketrekninger",
    ),
    ("nb", "explain.given_rank"): (
        "Søknaden var nr.\u00a01\u00a0500 i den oppgitte prioriteringen, der 0 søknader var "
        "rangert.",
        "Søknaden var nr.\u00a01\u00a0500 i den oppgitte prioriteringen, der 1 søknad var rangert.",
        "Søknaden var nr.\u00a01\u00a0500 i den oppgitte prioriteringen, der 2 søknader var "
        "rangert.",
        (
            "Søknaden var nr.\u00a01\u00a0500 i den oppgitte prioriteringen, der "
            "1\u00a0000\u00a0000 "
            "søknader var rangert."
        ),
    ),
    ("nb", "explain.given_rank_tied"): (
        (
            "Søknaden var nr.\u00a03 i den oppgitte prioriteringen, der 0 søknader var rangert, en "
            "plass den deler med S-1 og S-2."
        ),
        (
            "Søknaden var nr.\u00a03 i den oppgitte prioriteringen, der 1 søknad var rangert, en "
            "plass den deler med S-1 og S-2."
        ),
        (
            "Søknaden var nr.\u00a03 i den oppgitte prioriteringen, der 2 søknader var rangert, en "
            "plass den deler med S-1 og S-2."
        ),
        (
            "Søknaden var nr.\u00a03 i den oppgitte prioriteringen, der 1\u00a0000\u00a0000 "
            "søknader "
            "var rangert, en plass den deler med S-1 og S-2."
        ),
    ),
    ("en", "cli.register_mismatch_not_committed"): (
        (
            "The round was not recorded in the ledger: 0 applications would be rejected only "
            "because their places are in the 2009 numbering, and a recorded round cannot be "
            'recorded again. Use --register 2009 (or register = "2009" in tilskudd.toml) if '
            "the sheet follows that numbering, or correct the cells, and run again."
        ),
        (
            "The round was not recorded in the ledger: 1 application would be rejected only "
            "because its places are in the 2009 numbering, and a recorded round cannot be "
            'recorded again. Use --register 2009 (or register = "2009" in tilskudd.toml) if '
            "the sheet follows that numbering, or correct the cells, and run again."
        ),
        (
            "The round was not recorded in the ledger: 2 applications would be rejected only "
            "because their places are in the 2009 numbering, and a recorded round cannot be "
            'recorded again. Use --register 2009 (or register = "2009" in tilskudd.toml) if '
            "the sheet follows that numbering, or correct the cells, and run again."
        ),
        (
            "The round was not recorded in the ledger: 1,000,000 applications would be rejected "
            "only because their places are in the 2009 numbering, and a recorded round cannot be "
            'recorded again. Use --register 2009 (or register = "2009" in tilskudd.toml) if '
            "the sheet follows that numbering, or correct the cells, and run again."
        ),
    ),
    ("en", "ui.check.valid"): (
        "0 valid",
        "1 valid",
        "2 valid",
        "1,000,000 valid",
    ),
    ("en", "ui.check.invalid"): (
        "0 invalid",
        "1 invalid",
        "2 invalid",
        "1,000,000 invalid",
    ),
    ("en", "ui.check.failed"): (
        "0 applications have errors and would be rejected.",
        "1 application has errors and would be rejected.",
        "2 applications have errors and would be rejected.",
        "1,000,000 applications have errors and would be rejected.",
    ),
    ("en", "ui.check.failed_allocating"): (
        "0 applications have errors and are rejected.",
        "1 application has errors and is rejected.",
        "2 applications have errors and are rejected.",
        "1,000,000 applications have errors and are rejected.",
    ),
    ("en", "ui.check.register_mismatch_only"): (
        "0 of the 1,200 invalid applications have no other error.",
        "1 of the 1,200 invalid applications has no other error.",
        "2 of the 1,200 invalid applications have no other error.",
        "1,000,000 of the 1,200 invalid applications have no other error.",
    ),
    ("en", "ui.budget.unscored"): (
        "0 applications without a score or rank are taken last, by ID",
        "1 application without a score or rank is taken last, by ID",
        "2 applications without a score or rank are taken last, by ID",
        "1,000,000 applications without a score or rank are taken last, by ID",
    ),
    ("en", "summary.sentence"): (
        "PROJECTS involving PLACES receive NOK\u00a01,000,000; NOK\u00a00 left of the round.",
        "PROJECTS involving PLACES receives NOK\u00a01,000,000; NOK\u00a00 left of the round.",
        "PROJECTS involving PLACES receive NOK\u00a01,000,000; NOK\u00a00 left of the round.",
        "PROJECTS involving PLACES receive NOK\u00a01,000,000; NOK\u00a00 left of the round.",
    ),
    ("en", "summary.sentence_no_places"): (
        "PROJECTS receive NOK\u00a01,000,000; NOK\u00a00 left of the round.",
        "PROJECTS receives NOK\u00a01,000,000; NOK\u00a00 left of the round.",
        "PROJECTS receive NOK\u00a01,000,000; NOK\u00a00 left of the round.",
        "PROJECTS receive NOK\u00a01,000,000; NOK\u00a00 left of the round.",
    ),
    ("en", "summary.projects"): (
        "0 projects",
        "1 project",
        "2 projects",
        "1,000,000 projects",
    ),
    ("en", "summary.applications"): (
        "0 applications",
        "1 application",
        "2 applications",
        "1,000,000 applications",
    ),
    ("en", "summary.municipalities"): (
        "0 municipalities",
        "1 municipality",
        "2 municipalities",
        "1,000,000 municipalities",
    ),
    ("en", "summary.counties"): (
        "0 counties",
        "1 county",
        "2 counties",
        "1,000,000 counties",
    ),
    ("en", "ledger.count.projects"): (
        "0 projects",
        "1 project",
        "2 projects",
        "1,000,000 projects",
    ),
    ("en", "ledger.count.municipalities"): (
        "0 municipalities",
        "1 municipality",
        "2 municipalities",
        "1,000,000 municipalities",
    ),
    ("en", "ledger.count.amendments"): (
        "0 amendments",
        "1 amendment",
        "2 amendments",
        "1,000,000 amendments",
    ),
    ("en", "ledger.count.applications"): (
        "0 applications",
        "1 application",
        "2 applications",
        "1,000,000 applications",
    ),
    ("en", "ledger.count.withdrawals"): (
        "0 withdrawals",
        "1 withdrawal",
        "2 withdrawals",
        "1,000,000 withdrawals",
    ),
    ("en", "explain.given_rank"): (
        (
            "The application was number\u00a01,500 in the given order of priority, in which 0 "
            "applications were ranked."
        ),
        (
            "The application was number\u00a01,500 in the given order of priority, in which 1 "
            "application was ranked."
        ),
        (
            "The application was number\u00a01,500 in the given order of priority, in which 2 "
            "applications were ranked."
        ),
        (
            "The application was number\u00a01,500 in the given order of priority, in which "
            "1,000,000 "
            "applications were ranked."
        ),
    ),
    ("en", "explain.given_rank_tied"): (
        (
            "The application was number\u00a03 in the given order of priority, in which 0 "
            "applications "
            "were ranked, a place it shares with S-1 and S-2."
        ),
        (
            "The application was number\u00a03 in the given order of priority, in which 1 "
            "application "
            "was ranked, a place it shares with S-1 and S-2."
        ),
        (
            "The application was number\u00a03 in the given order of priority, in which 2 "
            "applications "
            "were ranked, a place it shares with S-1 and S-2."
        ),
        (
            "The application was number\u00a03 in the given order of priority, in which 1,000,000 "
            "applications were ranked, a place it shares with S-1 and S-2."
        ),
    ),
}


@pytest.mark.parametrize(("lang", "key"), list(_COUNTED_TEXTS))
def test_a_counted_message_reads_as_it_did(lang: str, key: str) -> None:
    t = get(lang)
    texts = tuple(t(key, n=n, **_COUNTED_PARAMS[key]) for n in _COUNTS)
    assert texts == _COUNTED_TEXTS[lang, key]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_no_message_is_a_pair_of_keys_chosen_by_count(lang: str) -> None:
    # One way to say a plural: the message's own {n:one|other}; code passes the count and
    # never picks between a key.one and a key.other.
    keys = set(_catalogue(lang))
    assert {key for key in keys if key.endswith(".one")} == set()
    assert {key for _lang, key in _COUNTED_TEXTS} <= keys


# Messages that chose between two keys by the length of a list (not a count named n); each is
# one template now, and reads as its two keys did (the texts below are the old keys').
_LISTED = [
    (
        "cli.option_not_for_rule",
        {"option": "--reserve", "rule": "proportional"},
        "owners",
        ["ranked"],
        ["ranked", "lottery"],
        {
            "en": (
                "--reserve is read by the ranked rule only; it changes nothing with proportional.",
                "--reserve is read by the ranked and lottery rules only; it changes nothing with"
                " proportional.",
            ),
            "nb": (
                "--reserve leses bare av regelen ranked; det endrer ingenting med proportional.",
                "--reserve leses bare av reglene ranked og lottery; det endrer ingenting med"
                " proportional.",
            ),
        },
    ),
    (
        "cli.setting_not_for_rule",
        {"setting": "reserve", "where": "policy.toml", "rule": "proportional"},
        "owners",
        ["ranked"],
        ["ranked", "lottery"],
        {
            "en": (
                "reserve (policy.toml) is read by the ranked rule only; it changes nothing with"
                " proportional.",
                "reserve (policy.toml) is read by the ranked and lottery rules only; it changes"
                " nothing with proportional.",
            ),
            "nb": (
                "reserve (policy.toml) leses bare av regelen ranked; det endrer ingenting med"
                " proportional.",
                "reserve (policy.toml) leses bare av reglene ranked og lottery; det endrer"
                " ingenting med proportional.",
            ),
        },
    ),
    (
        "output.error.init_exists",
        {},
        "names",
        ["tilskudd.toml"],
        ["tilskudd.toml", "søknader.xlsx"],
        {
            "en": (
                "tilskudd.toml already exists; tilskudd init never overwrites a file. Choose an"
                " empty folder, or move the file away first.",
                "tilskudd.toml and søknader.xlsx already exist; tilskudd init never overwrites a"
                " file. Choose an empty folder, or move the files away first.",
            ),
            "nb": (
                "tilskudd.toml finnes allerede; tilskudd init skriver aldri over en fil. Velg en"
                " tom mappe, eller flytt filen først.",
                "tilskudd.toml og søknader.xlsx finnes allerede; tilskudd init skriver aldri over"
                " en fil. Velg en tom mappe, eller flytt filene først.",
            ),
        },
    ),
]


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize(("key", "params", "name", "one", "two", "texts"), _LISTED)
def test_a_message_naming_a_list_agrees_with_its_length(
    lang: str,
    key: str,
    params: dict[str, Any],
    name: str,
    one: list[str],
    two: list[str],
    texts: dict[str, tuple[str, str]],
) -> None:
    t = get(lang)
    said = tuple(t(key, n=len(items), **params, **{name: items}) for items in (one, two))
    assert said == texts[lang]


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("en", "column amount", "columns amount, orgnr"),
        ("nb", "kolonnen amount", "kolonnene amount, orgnr"),
    ],
)
def test_the_ledger_names_one_changed_column_or_several(lang: str, one: str, two: str) -> None:
    t = get(lang)
    assert t("ledger.error.chain_column", n=1, columns="amount") == one
    assert t("ledger.error.chain_column", n=2, columns="amount, orgnr") == two


def test_one_of_several_without_a_total_cost_or_an_organisation_number_is_it() -> None:
    """One application of three lacks a total cost and an organisation number: the cap "could
    not be applied to it" ("brukes på den"), not "to them"."""
    apps = [
        Application(id="A", requested=100, score=Decimal(3), orgnr="974760673", total_cost=500),
        Application(id="B", requested=100, score=Decimal(2), orgnr="974760673", total_cost=500),
        Application(id="C", requested=100, score=Decimal(1)),
    ]
    policy = Policy(max_share_of_cost=Decimal("0.5"), per_applicant_max=50)
    notes = _notes(apps, 1_000, policy)
    assert notes["nb"][:2] == [
        f"1 av 3 søknader har ingen totalkostnad, så taket på 50{NBSP}% av totalkostnaden kunne "
        "ikke brukes på den: C.",
        f"1 av 3 søknader har ikke organisasjonsnummer, så taket på 50{NBSP}kr per organisasjon "
        "(per_applicant_max) ble ikke brukt på den: C.",
    ]
    assert notes["en"][:2] == [
        "1 of 3 applications has no total cost, so the cap of 50% of the total cost could not be "
        "applied to it: C.",
        f"1 of 3 applications has no organisation number, so the cap of NOK{NBSP}50 per "
        "organisation (per_applicant_max) was not applied to it: C.",
    ]
