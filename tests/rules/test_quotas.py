"""Tests for quotas: the model and its TOML form, groups, the checks before allocation, and the
limits holding in every result of ranked, optimal and lottery."""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tilskudd.errors import PolicyError, QuotaError, QuotaUnmetError
from tilskudd.models import Allocation, Application, Policy, Quota, Status
from tilskudd.policyfile import policy_from_mapping
from tilskudd.rules import allocate, ranked
from tilskudd.rules.common import rank_order
from tilskudd.rules.quotas import eligible_amounts, quota_totals, quota_violations
from tilskudd.wording import note_text, reason_text

from .quota_helpers import brute_force, groups, placed, quota_problems, quotas
from .strategies import (
    ORGS,
    OTHER_ORGS,
    applications,
    budgets,
    check_invariants,
    policies,
    policy_caps,
)

ORG_X = "974760673"
MakeApp = Callable[..., Application]


def amounts_of(result: Allocation) -> dict[str, int]:
    return {d.application_id: d.amount for d in result.decisions}


def codes(result: Allocation, app_id: str) -> list[str]:
    return [r.code for r in result.by_id()[app_id].reasons]


# --- the model ------------------------------------------------------------------------------------


def test_quotas_from_toml() -> None:
    text = """
    [policy]
    rule = "ranked"

    [[policy.quotas]]
    by = "county"
    value = "*"
    max_share = "30 %"

    [[policy.quotas]]
    by = "category"
    value = "*"
    min_count = 1

    [[policy.quotas]]
    by = "county"
    value = 3
    min_amount = "1 000 000"
    max_amount = "2,5 mill."
    """
    policy = policy_from_mapping(tomllib.loads(text)["policy"])
    county, category, oslo = policy.quotas
    assert county == Quota(by="county", value="*", max_share=Decimal("0.3"))
    assert category.min_count == 1
    assert (oslo.value, oslo.min_amount, oslo.max_amount) == ("3", 1_000_000, 2_500_000)
    # Recorded in outputs and read back the same.
    assert policy_from_mapping(policy.describe()) == policy


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"by": "county", "value": "03"}, "needs at least one limit"),
        ({"by": "county", "value": "03", "min_count": 3, "max_count": 2}, "min_count 3 is more"),
        ({"by": "county", "value": "03", "max_share": "130 %"}, "less than or equal to 1"),
        ({"by": "fylke", "value": "03", "max_count": 1}, "'category' or 'county'"),
        ({"by": "county", "value": "", "max_count": 1}, "at least 1 character"),
        ({"by": "county", "value": "03", "min_amount": "mye"}, "min_amount"),
        # Minimums of 0 alone hold nothing, whatever the applications (a template's 0 left in).
        ({"by": "county", "value": "03", "min_count": 0}, r"a minimum of 0 \(min_count\)"),
        (
            {"by": "category", "value": "X", "min_amount": 0, "min_share": "0 %"},
            r"\(min_amount and min_share\) limits nothing",
        ),
    ],
)
def test_quota_refuses(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Quota.model_validate(fields)


def test_a_zero_minimum_beside_a_limit_and_one_recorded_are_taken() -> None:
    assert Quota(by="county", value="03", min_count=0, max_count=2).max_count == 2
    # A round committed with such a quota before it was refused is read back as recorded.
    recorded = Policy.from_record(
        {
            **Policy().model_dump(mode="json"),
            "quotas": [{"by": "county", "value": "03", "min_count": 0}],
        }
    )
    assert recorded.quotas[0].min_count == 0


def test_policy_file_names_the_bad_quota() -> None:
    with pytest.raises(PolicyError, match=r"quotas\[1\]\.min_amount"):
        policy_from_mapping({"quotas": [{"by": "county", "value": "3", "min_amount": "mye"}]})


def test_a_recorded_county_quota_no_numbering_has_is_read_as_recorded(
    counties_round: list[Application],
) -> None:
    """tilskudd 0.1.0 took a county number as given ("99", a group no application is in) and
    committed rounds with it; read back from the ledger, the quota is the group it was, and the
    round is re-run as it was allocated, where a person's "99" is refused."""
    quota = {"by": "county", "value": "99", "max_count": 1}
    with pytest.raises(PolicyError, match="'99' is not a county number"):
        allocate(counties_round, 2_000_000, Policy(quotas=[quota]))
    recorded = Policy.from_record(Policy(quotas=[quota]).model_dump(mode="json"))
    assert recorded.quotas[0].recorded
    result = allocate(counties_round, 2_000_000, recorded)
    assert amounts_of(result) == amounts_of(allocate(counties_round, 2_000_000, Policy()))


def test_a_minimum_on_a_misspelt_category_names_the_one_meant(
    counties_round: list[Application],
) -> None:
    """A minimum on a category no application has cannot be met and stops the round, as it
    should; the message said only that 0 were eligible, where the note for a maximum on the
    same misspelling says which category the round has that is nearest."""
    policy = Policy(rule="ranked", quotas=[{"by": "category", "value": "Bredbnd", "min_count": 1}])
    with pytest.raises(PolicyError) as exc:
        allocate(counties_round, 2_000_000, policy)
    assert "category 'Bredbnd' (no application in the round has it; did you mean Bredbånd?)" in (
        exc.value.text("en")
    )
    assert "kategori «Bredbnd» (ingen søknad i runden har den; mente du Bredbånd?)" in (
        exc.value.text("nb")
    )
    # Nothing near: said as before.
    policy = Policy(rule="ranked", quotas=[{"by": "category", "value": "Xyz", "min_count": 1}])
    with pytest.raises(PolicyError) as exc:
        allocate(counties_round, 2_000_000, policy)
    assert "category 'Xyz': at least 1" in exc.value.text("en")


def test_a_misspelt_category_names_the_three_nearest_the_round_has(
    make_application: MakeApp,
) -> None:
    # "kultr" against each category (difflib's ratio, 2 × matches / both lengths): Kultur
    # 10/11, Kultura 10/12, Kulturxy 10/13, Kulturxyz 10/14. The three nearest are named,
    # nearest first; the fourth is not.
    apps = [
        make_application(id=f"S{k}", category=c, requested=100)
        for k, c in enumerate(["Kulturxyz", "Kulturxy", "Kultura", "Kultur"], start=1)
    ]
    policy = Policy(quotas=[{"by": "category", "value": "Kultr", "min_count": 1}])
    with pytest.raises(PolicyError) as exc:
        allocate(apps, 1_000, policy)
    assert "did you mean Kultur, Kultura or Kulturxy?" in exc.value.text("en")


def test_a_quota_on_a_group_no_application_is_in_is_noted(
    counties_round: list[Application],
) -> None:
    """A maximum on a misspelt category, a county no application is in, or every category
    when no application has one held nothing: said in a note naming the quota (and the nearest
    category the round has), never silently, and the awards are those without it."""
    policy = Policy(
        rule="ranked",
        quotas=[
            {"by": "category", "value": "Bredbnd", "max_count": 1},
            {"by": "county", "value": "Vestland", "max_share": "10 %"},
            {"by": "category", "value": "Skole", "max_count": 5},  # has applications: no note
            {"by": "category", "value": "Kultur", "max_amount": 1, "min_count": 0},
        ],
    )
    result = allocate(counties_round, 2_000_000, policy)
    assert amounts_of(result) == amounts_of(allocate(counties_round, 2_000_000, Policy()))
    notes = [n for n in result.notes if n.code.startswith("note.quota.idle")]
    assert notes == [
        (
            "note.quota.idle_category_near",
            {"setting": "quotas[1]", "value": "Bredbnd", "near": ["Bredbånd"]},
        ),
        (
            "note.quota.idle_county",
            {"setting": "quotas[2]", "value": "46", "county": "46 Vestland"},
        ),
        ("note.quota.idle_category", {"setting": "quotas[4]", "value": "Kultur"}),
    ]
    assert note_text(notes[0], "nb") == (
        "Kvoten quotas[1] (kategori «Bredbnd») virket ikke: ingen søknad i runden har den "
        "kategorien (mente du Bredbånd?)."
    )
    assert note_text(notes[1], "en") == (
        "The quota quotas[2] (county 46 Vestland) had no effect: no application in the round "
        "is in that county."
    )
    # The same whatever the order of the applications.
    assert allocate(counties_round[::-1], 2_000_000, policy).notes == result.notes
    # Every category or county, when no application has one.
    bare = [a.model_copy(update={"category": None, "counties": ()}) for a in counties_round]
    every = Policy(
        quotas=[
            {"by": "category", "value": "*", "max_count": 1},
            {"by": "county", "value": "*", "max_count": 1},
        ]
    )
    assert [n.code for n in allocate(bare, 2_000_000, every).notes] == [
        "note.quota.idle_every_category",
        "note.quota.idle_every_county",
    ]
    # Each quota whose group has applications: no note.
    assert allocate(counties_round, 2_000_000, every).notes == ()


# --- ranked ---------------------------------------------------------------------------------------


@pytest.fixture
def counties_round(make_application: MakeApp) -> list[Application]:
    """Four applications in Akershus (32), two in Oslo (03); scores fall with the number."""
    rows = [
        ("S1", "32", "Bredbånd", 300_000),
        ("S2", "32", "Bredbånd", 300_000),
        ("S3", "32", "Skole", 200_000),
        ("S4", "03", "Bredbånd", 400_000),
        ("S5", "32", "Skole", 100_000),
        ("S6", "03", "Helse", 300_000),
    ]
    return [
        make_application(
            id=i,
            requested=r,
            score=Decimal(10 - n),
            counties=(c,),
            category=cat,
            orgnr=None,
        )
        for n, (i, c, cat, r) in enumerate(rows)
    ]


def test_ranked_skips_a_county_at_its_maximum_share(counties_round: list[Application]) -> None:
    policy = Policy(quotas=[{"by": "county", "value": "*", "max_share": "30 %"}])
    result = allocate(counties_round, 2_000_000, policy)
    # Akershus may have 600 000: S1 and S2; S3 would take it to 800 000, S5 to 700 000.
    assert amounts_of(result) == {
        "S1": 300_000,
        "S2": 300_000,
        "S3": 0,
        "S4": 400_000,
        "S5": 0,
        "S6": 0,  # Oslo: 400 000 + 300 000 > 600 000
    }
    s3 = result.by_id()["S3"]
    assert s3.status is Status.NOT_FUNDED
    assert s3.reasons[-1].code == "reason.quota.max_share_reached"
    assert s3.reasons[-1].params == {
        "by": "county",
        "value": "32",
        "name": "Akershus",
        "share": Decimal("0.3"),
        "limit": 600_000,
        "used": 600_000,
        "needed": 200_000,
    }
    assert result.unallocated == 1_000_000


def test_a_skip_by_a_maximum_says_the_award_would_go_over_it(
    counties_round: list[Application],
) -> None:
    # Oslo had 400 000 kr of its 600 000 kr: the reason said Oslo "has reached its maximum" /
    # "har nådd sitt maksimum", which it had not; S6's 300 000 kr would have taken it over.
    policy = Policy(quotas=[{"by": "county", "value": "*", "max_share": "30 %"}])
    s6 = allocate(counties_round, 2_000_000, policy).by_id()["S6"]
    assert s6.reasons[-1].params["used"] == 400_000
    assert reason_text(s6.reasons[-1], "nb").replace("\u00a0", " ") == (
        "Hoppet over: Oslo ville gått over maksimumet på 30 % av rammen, 600 000 kr "
        "(400 000 kr er tildelt der allerede; søknaden trengte 300 000 kr)"
    )
    assert reason_text(s6.reasons[-1], "en").replace("\u00a0", " ") == (
        "Skipped: Oslo would go over its maximum of 30% of the budget, NOK 600,000 "
        "(NOK 400,000 awarded there already; this application needed NOK 300,000)"
    )
    amount = Policy(quotas=[{"by": "county", "value": "03", "max_amount": 600_000}])
    s6 = allocate(counties_round, 2_000_000, amount).by_id()["S6"]
    assert reason_text(s6.reasons[-1], "nb").replace("\u00a0", " ") == (
        "Hoppet over: Oslo ville gått over maksimumet på 600 000 kr "
        "(400 000 kr er tildelt der allerede; søknaden trengte 300 000 kr)"
    )
    assert reason_text(s6.reasons[-1], "en").replace("\u00a0", " ") == (
        "Skipped: Oslo would go over its maximum of NOK 600,000 "
        "(NOK 400,000 awarded there already; this application needed NOK 300,000)"
    )


def test_a_quota_skip_does_not_draw_the_line(counties_round: list[Application]) -> None:
    policy = Policy(at_line="stop", quotas=[{"by": "county", "value": "Akershus", "max_count": 1}])
    result = allocate(counties_round, 1_000_000, policy)
    # S2, S3, S5 are skipped by the quota; the stop line falls at S6, for want of budget.
    assert amounts_of(result) == {
        "S1": 300_000,
        "S2": 0,
        "S3": 0,
        "S4": 400_000,
        "S5": 0,
        "S6": 300_000,
    }
    assert codes(result, "S2") == ["reason.quota.max_count_reached"]
    # "Akershus" is 02 (2009) or 32 (2024); only 32 occurs here.
    assert result.by_id()["S2"].reasons[0].params["value"] == "32"


def test_ranked_funds_minimums_first(counties_round: list[Application]) -> None:
    policy = Policy(
        reserve=1,
        quotas=[
            {"by": "category", "value": "helse", "min_count": 1},
            {"by": "county", "value": "3", "min_amount": "700 000"},
        ],
    )
    result = allocate(counties_round, 1_000_000, policy)
    # Pass 1: S4 (Oslo, 400 000) and S6 (Oslo and Helse, 300 000); pass 2: S1 (300 000).
    assert amounts_of(result) == {
        "S1": 300_000,
        "S2": 0,
        "S3": 0,
        "S4": 400_000,
        "S5": 0,
        "S6": 300_000,
    }
    assert codes(result, "S6") == ["reason.quota.min_count_reserved", "reason.funded.full"]
    assert result.by_id()["S6"].reasons[0].params == {
        "by": "category",
        "value": "Helse",
        "name": "Helse",
        "limit": 1,
    }
    assert codes(result, "S4") == ["reason.quota.min_reserved", "reason.funded.full"]
    assert result.by_id()["S4"].reasons[0].params["limit"] == 700_000
    assert result.by_id()["S2"].status is Status.RESERVE
    assert [d.application_id for d in result.decisions] == ["S1", "S2", "S3", "S4", "S5", "S6"]


def test_ranked_looks_ahead_when_the_best_ranked_would_take_another_minimums_money(
    make_application: MakeApp,
) -> None:
    # Funding A first for Skole leaves nothing for Helse's minimum; looking ahead, B is
    # chosen for Skole instead (what is left then covers C), as optimal chooses too.
    apps = [
        make_application(id="A", requested=600, score=Decimal(9), category="Skole", orgnr=None),
        make_application(id="B", requested=400, score=Decimal(8), category="Skole", orgnr=None),
        make_application(id="C", requested=500, score=Decimal(7), category="Helse", orgnr=None),
    ]
    policy = Policy(quotas=[{"by": "category", "value": "*", "min_count": 1}])
    result = allocate(apps, 1000, policy)
    assert {d.application_id for d in result.funded()} == {"B", "C"}
    reasons = {r.code for d in result.funded() for r in d.reasons}
    assert "reason.quota.min_count_reserved" in reasons
    optimal = allocate(apps, 1000, policy.model_copy(update={"rule": "optimal"}))
    assert {d.application_id for d in optimal.funded()} == {"B", "C"}
    # Where the first pass meets every minimum, the look-ahead changes nothing.
    roomy = allocate(apps, 1100, policy)
    assert {d.application_id for d in roomy.funded()} == {"A", "C"}


def test_ranked_names_a_minimum_it_could_not_meet(make_application: MakeApp) -> None:
    # Helse's cheap application C belongs to A's organisation, at its maximum once A is
    # funded for Skole; B does not fit. Neither pass meets Helse's minimum.
    apps = [
        make_application(id="A", requested=500, score=Decimal(9), category="Skole", orgnr=ORG_X),
        make_application(id="B", requested=600, score=Decimal(8), category="Helse", orgnr=None),
        make_application(id="C", requested=100, score=Decimal(7), category="Helse", orgnr=ORG_X),
    ]
    policy = Policy(
        per_applicant_max=500, quotas=[{"by": "category", "value": "*", "min_count": 1}]
    )
    with pytest.raises(PolicyError, match=r"ranked rule could not meet(.|\n)*category 'Helse'"):
        allocate(apps, 1000, policy)


@pytest.mark.parametrize("rule", ["ranked", "lottery"])
def test_an_unmet_minimum_says_why_its_applications_were_not_funded(
    make_application: MakeApp, rule: str
) -> None:
    # As above: Helse's C is limited by its organisation's maximum, B left out for want of
    # budget. The message said only "ran out of budget or met a maximum" for the whole round.
    apps = [
        make_application(id="A", requested=500, score=Decimal(9), category="Skole", orgnr=ORG_X),
        make_application(id="B", requested=600, score=Decimal(8), category="Helse", orgnr=None),
        make_application(id="C", requested=100, score=Decimal(7), category="Helse", orgnr=ORG_X),
    ]
    policy = Policy(
        rule=rule,  # type: ignore[arg-type]
        seed=1,
        per_applicant_max=500,
        quotas=[{"by": "category", "value": "*", "min_count": 1}],
    )
    with pytest.raises(QuotaUnmetError) as caught:
        allocate(apps, 1000, policy)
    assert (
        "  - category 'Helse': at least 1 funded application (0); 1 limited by "
        "per_applicant_max (C); 1 not funded in full for want of budget (B)\n"
    ) in str(caught.value)
    assert "1 begrenset av per_applicant_max, taket per organisasjon (C); 1 ikke innvilget" in (
        caught.value.text("nb")
    )
    # one funded application, not "1 innvilgede søknader" (a minimum of 1 is the common case)
    assert "kategori «Helse»: minst 1 innvilget søknad (0);" in caught.value.text("nb")
    # Many are named by their first five ids and counted.
    many = [
        make_application(id=f"H{n}", requested=600, score=Decimal(8), category="Helse", orgnr=None)
        for n in range(1, 8)
    ]
    with pytest.raises(QuotaUnmetError) as caught:
        allocate([apps[0], *many, apps[2]], 1000, policy)
    assert "7 not funded in full for want of budget (H1, H2, H3, H4, H5 and …)" in (
        str(caught.value)
    )


def test_proportional_refuses_quotas(counties_round: list[Application]) -> None:
    policy = Policy(rule="proportional", quotas=[{"by": "county", "value": "*", "max_count": 1}])
    with pytest.raises(PolicyError, match="quotas do not apply to the proportional rule"):
        allocate(counties_round, 1_000_000, policy)


# --- checks before allocation ---------------------------------------------------------------------


@pytest.mark.parametrize("rule", ["ranked", "optimal", "lottery"])
def test_infeasible_minimums_are_named_before_allocation(
    counties_round: list[Application], rule: str
) -> None:
    policy = Policy(
        rule=rule,  # type: ignore[arg-type]
        seed=1,
        quotas=[
            {"by": "county", "value": "03", "min_count": 3},
            {"by": "category", "value": "Kultur", "min_amount": 1},
            {"by": "category", "value": "Skole", "min_amount": "250 000"},
            {"by": "category", "value": "skole", "max_amount": 200_000},
        ],
    )
    with pytest.raises(PolicyError) as caught:
        allocate(counties_round, 2_000_000, policy)
    message = str(caught.value)
    assert "county 03 (Oslo): at least 3 funded applications, but only 2 eligible" in message
    assert "category 'Kultur': at least NOK\u00a01, but its eligible applications can get only" in (
        message
    )
    assert "category 'Skole': at least NOK\u00a0250,000, but at most NOK\u00a0200,000" in message
    # The same in the officer's language, amounts as Norwegians write them.
    norsk = caught.value.text("nb")
    assert norsk.startswith("kvotene kan ikke alle oppfylles:\n  - ")
    assert "fylke 03 (Oslo): minst 3 innvilgede søknader, men bare 2 kan få tilskudd" in norsk
    assert "kategori «Skole»: minst 250\u00a0000\u00a0kr, men høyst 200\u00a0000\u00a0kr" in norsk


@pytest.mark.parametrize("rule", ["ranked", "optimal", "lottery"])
def test_a_minimum_per_applicant_max_cannot_allow_is_named_before_allocation(
    make_application: MakeApp, rule: str
) -> None:
    # A and B (one organisation) are Oslo's applications: 200 eligible, but the organisation
    # may have only 150 in all. The pre-check counted 200 and let the minimum through; ranked
    # then failed after allocating with "ran out of budget or met a maximum" and suggested
    # optimal, which could not meet it either.
    apps = [
        make_application(id=i, requested=100, score=Decimal(s), orgnr=o, counties=(c,))
        for i, s, o, c in (("A", 9, ORG_X, "03"), ("B", 8, ORG_X, "03"), ("C", 7, None, "46"))
    ]
    policy = Policy(
        rule=rule,  # type: ignore[arg-type]
        seed=1,
        per_applicant_max=150,
        quotas=[{"by": "county", "value": "03", "min_amount": 200}],
    )
    with pytest.raises(QuotaError) as caught:
        allocate(apps, 1_000, policy)
    assert not isinstance(caught.value, QuotaUnmetError)
    assert str(caught.value) == (
        "the quotas cannot all be met:\n  - county 03 (Oslo): at least NOK\u00a0200, but with at "
        "most NOK\u00a0150 to one organisation (per_applicant_max) its eligible applications can "
        "get only NOK\u00a0150 in all"
    )
    assert "fylke 03 (Oslo): minst 200\u00a0kr, men med høyst 150\u00a0kr til én organisasjon" in (
        caught.value.text("nb")
    )
    # Earlier rounds count: with 60 given before, the organisation has 90 left.
    policy = policy.model_copy(update={"per_applicant_max": 250})
    assert allocate(apps, 1_000, policy).awarded == 300
    with pytest.raises(QuotaError, match=r"can get only NOK.190 in all"):
        allocate(apps, 1_000, policy, prior_by_orgnr={ORG_X: 60})


def test_a_minimum_count_per_applicant_max_cannot_allow_is_named(make_application: MakeApp) -> None:
    # Three Oslo applications of one organisation; with min_award 100 and at most 250 to the
    # organisation, only two of them can be funded.
    apps = [
        make_application(id=f"A{n}", requested=100, score=Decimal(9), orgnr=ORG_X, counties=("03",))
        for n in range(3)
    ]
    policy = Policy(
        min_award=100,
        per_applicant_max=250,
        quotas=[{"by": "county", "value": "03", "min_count": 3}],
    )
    with pytest.raises(QuotaError, match="only 2 of its eligible applications can be funded"):
        allocate(apps, 1_000, policy)
    # The officer's decision to fund one counts against the organisation's maximum too.
    decided = [
        apps[0].model_copy(
            update={"decision": "fund", "decision_amount": 100, "decision_reason": "styret"}
        ),
        *apps[1:],
    ]
    with pytest.raises(QuotaError) as caught:
        allocate(decided, 1_000, policy)
    assert "the manual decisions fund 1, and with at most NOK\u00a0250 to one organisation" in (
        str(caught.value)
    )
    assert "only 1 more can be funded together" in str(caught.value)
    assert "de manuelle vedtakene innvilger 1, og med høyst 250\u00a0kr" in caught.value.text("nb")


def test_minimums_together_above_the_budget(counties_round: list[Application]) -> None:
    policy = Policy(quotas=[{"by": "category", "value": "*", "min_count": 1}])
    with pytest.raises(PolicyError) as caught:
        allocate(counties_round, 500_000, policy)
    # Cheapest: Bredbånd 300 000 + Skole 100 000 + Helse 300 000.
    assert (
        "the minimums per category need at least NOK\u00a0700,000 together, and the budget is "
        "NOK\u00a0500,000: category 'Bredbånd' NOK\u00a0300,000"
    ) in str(caught.value)
    assert "minstekravene per kategori krever minst 700\u00a0000\u00a0kr til sammen" in (
        caught.value.text("nb")
    )


def test_minimum_count_above_a_maximum_amount(counties_round: list[Application]) -> None:
    policy = Policy(
        rule="optimal", quotas=[{"by": "county", "value": "Oslo", "min_count": 2, "max_share": 0.3}]
    )
    with pytest.raises(PolicyError, match=r"at least 2 funded applications need at least NOK.700"):
        allocate(counties_round, 2_000_000, policy)


def test_unknown_county_name(counties_round: list[Application]) -> None:
    policy = Policy(quotas=[{"by": "county", "value": "Atlantis", "max_count": 1}])
    with pytest.raises(PolicyError, match="quota by county: 'Atlantis' is not a county") as caught:
        allocate(counties_round, 1_000_000, policy)
    # In the language asked for, as every other policy problem (it was English in --lang nb).
    assert caught.value.text("nb").startswith("kvote etter fylke: «Atlantis» er ikke et fylke i")


def test_totals_of_quotas_naming_no_county_are_refused_naming_the_setting(
    counties_round: list[Application],
) -> None:
    # The ledger counts a committed round's quotas with quota_totals, without the rule's checks
    # before it: a recorded county that names no county (a ledger edited by hand) is a
    # PolicyError naming the setting as the file spells it, not an internal error.
    policy = Policy(
        quotas=[
            {"by": "category", "value": "Skole", "max_count": 1},
            {"by": "county", "value": "Atlantis", "max_count": 1},
        ]
    )
    with pytest.raises(PolicyError, match="'Atlantis' is not a county") as caught:
        quota_totals(counties_round, {}, 1_000_000, policy)
    assert caught.value.settings == ("quotas[2].value",)


def test_a_county_name_nearly_right_is_suggested_in_either_language(
    counties_round: list[Application],
) -> None:
    policy = Policy(quotas=[{"by": "county", "value": "Akershu", "max_count": 1}])
    with pytest.raises(PolicyError) as caught:
        allocate(counties_round, 1_000_000, policy)
    assert str(caught.value).endswith("did you mean Akershus?")
    assert caught.value.text("nb").endswith("mente du Akershus?")


# --- quotas hold in every result ------------------------------------------------------------------


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_quotas_hold_in_every_result(data: st.DataObject) -> None:
    rule = data.draw(st.sampled_from(["ranked", "optimal", "lottery"]))
    apps = data.draw(placed(data.draw(applications(max_size=12))))
    policy = data.draw(policies(rule)).model_copy(
        update={"quotas": data.draw(quotas()), "seed": data.draw(st.integers(0, 99))}
    )
    budget = data.draw(budgets(apps))
    try:
        result = allocate(apps, budget, policy)
    except PolicyError as exc:
        refused = str(exc)
    else:
        refused = ""
    if refused:
        if rule == "optimal" or "quotas cannot all be met" in refused:
            # Refused before allocating, or by the integer program: truly infeasible.
            order = [e.application.id for e in rank_order(apps, policy)]
            best, _ = brute_force(apps, budget, policy, order)
            assert best is None, refused
        else:
            assert "could not meet every minimum quota" in refused
        return
    check_invariants(apps, budget, policy, result)
    assert quota_problems(apps, amounts_of(result), budget, policy) == []
    assert quota_violations(apps, amounts_of(result), budget, policy) == []


def test_quota_violations_names_what_is_broken(counties_round: list[Application]) -> None:
    policy = Policy(quotas=[{"by": "county", "value": "*", "max_count": 1, "min_amount": 500_000}])
    awards = {"S1": 300_000, "S2": 300_000}
    assert quota_violations(counties_round, awards, 1_000_000, policy) == [
        "county 03 (Oslo): 0\u00a0kr, at least 500\u00a0000\u00a0kr",
        "county 32 (Akershus): 2 funded, at most 1",
    ]


def test_the_proportional_refusal_is_said_in_the_command_language(
    counties_round: list[Application],
) -> None:
    policy = Policy(rule="proportional", quotas=[{"by": "county", "value": "*", "max_count": 1}])
    with pytest.raises(PolicyError) as caught:
        allocate(counties_round, 1_000_000, policy)
    assert caught.value.text("nb").startswith("kvoter gjelder ikke for regelen proportional")


def test_optimal_names_the_minimums_it_cannot_meet_together(make_application: MakeApp) -> None:
    """Each category alone can be met; with one organisation's maximum, not both together."""
    apps = [
        make_application(id="A", requested=500, score=Decimal(9), category="Skole", orgnr=ORG_X),
        make_application(id="B", requested=500, score=Decimal(8), category="Helse", orgnr=ORG_X),
    ]
    policy = Policy(
        rule="optimal",
        per_applicant_max=500,
        quotas=[{"by": "category", "value": "*", "min_count": 1}],
    )
    with pytest.raises(PolicyError) as caught:
        allocate(apps, 2_000, policy)
    assert str(caught.value) == (
        "no selection of whole awards meets every quota within the budget and "
        "per_applicant_max; the minimums of these groups cannot be met together:\n"
        "  - category 'Helse'\n  - category 'Skole'"
    )
    assert "  - kategori «Helse»\n  - kategori «Skole»" in caught.value.text("nb")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_quotas_count_the_officers_decisions_to_fund(data: st.DataObject) -> None:
    """With some applications funded by the officer, every quota holds over the whole round
    (the officer's awards and the rule's), shares of the whole budget; or the round is refused
    with a reason about the quotas."""
    rule = data.draw(st.sampled_from(["ranked", "optimal", "lottery"]))
    apps = data.draw(placed(data.draw(applications(max_size=10))))
    assume(len(apps) >= 2)
    budget = data.draw(budgets(apps))
    chosen = data.draw(st.lists(st.integers(0, len(apps) - 1), min_size=1, max_size=3, unique=True))
    left = budget
    for i in chosen:
        if left == 0:
            break
        amount = data.draw(st.integers(1, min(apps[i].requested, left)))
        left -= amount
        apps[i] = apps[i].model_copy(
            update={"decision": "fund", "decision_amount": amount, "decision_reason": "styret"}
        )
    policy = data.draw(policies(rule)).model_copy(
        update={"quotas": data.draw(quotas()), "seed": data.draw(st.integers(0, 99))}
    )
    try:
        result = allocate(apps, budget, policy)
    except PolicyError as exc:
        said = str(exc)
        assert any(
            words in said
            for words in (
                "the quotas cannot all be met",
                "could not meet every minimum quota",
                "no selection of whole awards meets every quota",
            )
        ), said
        return
    # The rule's own decisions keep every rule's invariants; the officer's are the officer's.
    decided = {a.id for a in apps if a.decision is not None}
    rest = [a for a in apps if a.id not in decided]
    assert result.awarded + result.unallocated == budget
    assert sorted(d.application_id for d in result.decisions) == sorted(a.id for a in apps)
    for d in result.decisions:
        if d.application_id in decided:
            assert d.override
            assert d.amount == next(a.decision_amount for a in apps if a.id == d.application_id)
        elif d.amount:
            app = next(a for a in rest if a.id == d.application_id)
            assert d.amount <= (d.eligible_amount or 0) <= app.requested
    assert quota_violations(apps, amounts_of(result), budget, policy) == []
    assert quota_problems(apps, amounts_of(result), budget, policy) == []
    counted = "note.override.quotas_counted" in [n.code for n in result.notes]
    assert counted == bool(policy.quotas and any(a.decision == "fund" for a in apps))


def test_a_tie_split_by_a_maximum_is_reported(make_application: MakeApp) -> None:
    # A1 and A2 share rank 1 and category X, which may have one funded application: A1 was
    # funded first by its id and A2 skipped. The id decided, so the round says so.
    apps = [
        make_application(id=i, requested=100, score=Decimal(s), category=c, orgnr=None)
        for i, s, c in (("A1", 5, "X"), ("A2", 5, "X"), ("B", 4, "Y"), ("C", 4, "Z"))
    ]
    quota = Quota(by="category", value="X", max_count=1)
    result = allocate(apps, 1000, Policy(quotas=(quota,)))
    assert [d.amount for d in result.decisions] == [100, 0, 100, 100]
    # Not "across the funding line": the budget covers them all; the quota had room for one.
    assert [(n.code, n.params["ids"], n.params["funded_ids"]) for n in result.notes] == [
        ("note.tie_at_quota", ["A1", "A2"], ["A1"])
    ]
    assert note_text(result.notes[0], "en") == (
        "2 applications share rank\u00a01 (A1 and A2), and a quota's maximum had room for only "
        "some "
        "of them; they were taken in id order, so A1 got the room."
    )
    assert note_text(result.notes[0], "nb") == (
        "2 søknader deler plass\u00a01 (A1 og A2), og maksimumet i en kvote hadde bare plass til "
        "noen "
        "av dem; de ble behandlet i rekkefølge etter søknadsnummer, så A1 fikk plassen."
    )
    # A maximum filled by those ranked above decides by rank, not by id: no note.
    filled = [apps[0].model_copy(update={"score": Decimal(6)}), *apps[1:]]
    filled[2] = filled[2].model_copy(update={"score": Decimal(5), "category": "X"})
    result = allocate(filled, 1000, Policy(quotas=(quota,)))
    assert [d.amount for d in result.decisions] == [100, 0, 0, 100]
    assert result.notes == ()


@pytest.mark.parametrize("rule", ["ranked", "lottery"])
def test_a_tie_split_by_a_minimum_is_not_said_to_be_by_id(
    make_application: MakeApp, rule: str
) -> None:
    # A1 and A2 share rank 1 and category X (at most one funded); only A2 is in Oslo, whose
    # minimum is one funded application. A2 is funded first for Oslo and A1 skipped for X's
    # maximum: the minimum decided, not the id, and the round said "taken in id order".
    apps = [
        make_application(id=i, requested=100, score=Decimal(s), category=cat, counties=(c,))
        for i, s, cat, c in (("A1", 5, "X", "46"), ("A2", 5, "X", "03"), ("B", 4, "Y", "46"))
    ]
    quotas = (
        Quota(by="category", value="X", max_count=1),
        Quota(by="county", value="03", min_count=1),
    )
    result = allocate(apps, 1000, Policy(rule=rule, seed=1, quotas=quotas))  # type: ignore[arg-type]
    assert amounts_of(result) == {"A1": 0, "A2": 100, "B": 100}
    assert [n.code for n in result.notes if n.code.startswith("note.tie_at_")] == []
    # Both in Oslo: A1 is chosen for the minimum by its id, and A2 skipped; that is said.
    apps[0] = apps[0].model_copy(update={"counties": ("03",)})
    result = allocate(apps, 1000, Policy(rule=rule, seed=1, quotas=quotas))  # type: ignore[arg-type]
    assert amounts_of(result) == {"A1": 100, "A2": 0, "B": 100}
    ties = [n.params for n in result.notes if n.code == "note.tie_at_quota"]
    assert [(t["ids"], t["funded_ids"]) for t in ties] == [(["A1", "A2"], ["A1"])]


def test_a_tie_member_skipped_for_a_maximum_its_tie_did_not_fill_is_not_noted(
    make_application: MakeApp,
) -> None:
    # A1 and A2 share rank 1 and category X (a quota's group too); A2 is also in Oslo, which C
    # (ranked above) has filled to its maximum. A2 would be skipped whichever of them came
    # first: not by id, though A1 was funded into a group of A2's.
    apps = [
        make_application(id=i, requested=100, score=Decimal(s), category=cat, counties=(c,))
        for i, s, cat, c in (("C", 9, "Y", "03"), ("A1", 5, "X", "46"), ("A2", 5, "X", "03"))
    ]
    quotas = (
        Quota(by="county", value="03", max_count=1),
        Quota(by="category", value="X", max_count=5),
    )
    result = allocate(apps, 1000, Policy(quotas=quotas))
    assert amounts_of(result) == {"C": 100, "A1": 100, "A2": 0}
    assert [n.code for n in result.notes if n.code == "note.tie_at_line"] == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_pre_check_of_a_minimum_amount_is_exact_under_per_applicant_max(
    data: st.DataObject,
) -> None:
    """One group with a minimum amount or share, no maximum, budget enough for every request,
    no minimum award: the ranked rule (and the lottery) funds the group's applications in turn,
    each with what its organisation has left, so the minimum can be met exactly when the
    group's eligible amounts, at most each organisation's room under ``per_applicant_max``
    (less what earlier rounds gave it), reach it. The pre-check accepts exactly those rounds;
    it refuses the others before allocating, and an accepted one meets the minimum."""
    rule = data.draw(st.sampled_from(["ranked", "lottery"]))
    apps = data.draw(placed(data.draw(applications(max_size=10))))
    assume(apps)
    by, value = data.draw(st.sampled_from([("category", "Skole"), ("county", "03")]))
    drawn = data.draw(policies(rule))
    policy = drawn.model_copy(
        update={
            "min_award": 0,
            "seed": 1,
            "per_applicant_max": max(data.draw(st.integers(1, 4_000_000)), drawn.round_to),
        }
    )
    prior = data.draw(st.dictionaries(st.sampled_from(ORGS), st.integers(0, 3_000_000)))
    budget = sum(a.requested for a in apps)
    # Independently: what the group can receive at most, and without per_applicant_max.
    assert policy.per_applicant_max is not None
    room = {
        org: max(policy.per_applicant_max - prior.get(org, 0), 0)
        // policy.round_to
        * policy.round_to
        for org in (*ORGS, *OTHER_ORGS)
    }
    (members,) = groups(apps, Quota(by=by, value=value, min_count=1))
    by_org: dict[str | None, int] = {}
    for app in members:
        if policy.min_score is None or (app.score is not None and app.score >= policy.min_score):
            by_org[app.organisation] = by_org.get(app.organisation, 0) + policy_caps(app, policy)
    most = sum(total if org is None else min(total, room[org]) for org, total in by_org.items())
    # A minimum near what the group could have: where per_applicant_max decides.
    unlimited = sum(by_org.values())
    assume(unlimited > 0)
    limit: dict[str, Any] = data.draw(
        st.fixed_dictionaries({"min_amount": st.integers(1, unlimited + 1)})
        | st.fixed_dictionaries({"min_share": st.decimals(Decimal("0.001"), 1, places=3)})
    )
    policy = policy.model_copy(update={"quotas": (Quota(by=by, value=value, **limit),)})
    least = limit.get("min_amount") or math.ceil(Fraction(limit["min_share"]) * budget)
    refused: QuotaError | None = None
    try:
        result = allocate(apps, budget, policy, prior_by_orgnr=prior)
    except QuotaError as exc:
        refused = exc
    if refused is not None:
        # Refused before allocating (not "could not meet"), and rightly.
        assert not isinstance(refused, QuotaUnmetError), str(refused)
        assert most < least, str(refused)
        return
    assert most >= least
    assert quota_problems(apps, amounts_of(result), budget, policy) == []


def _tie_codes(result: Allocation) -> list[str]:
    return [n.code for n in result.notes if n.code.startswith("note.tie")]


@pytest.mark.parametrize(
    ("at_line", "budget", "amounts"),
    [
        # S1 is funded first for X's minimum; S2 does not fit in the 21 000 left.
        ("skip", 421_000, {"S1": 400_000, "S2": 0}),
        # The same with a strict line, drawn at S2.
        ("stop", 421_000, {"S1": 400_000, "S2": 0}),
        # S2 gets what is left after S1, the only one of the tie that was still to be taken.
        ("partial", 488_000, {"S1": 400_000, "S2": 88_000}),
    ],
)
def test_a_tie_member_funded_first_for_a_minimum_only_it_could_serve_is_not_by_id(
    make_application: MakeApp, at_line: str, budget: int, amounts: dict[str, int]
) -> None:
    # S1 and S2 share rank 1; only S1 is in category X, whose minimum is one funded
    # application. S1 is funded first for it whatever the ids, and S2 comes after it in any
    # order: the round said "taken in id order", which the ids did not decide.
    apps = [
        make_application(id=i, requested=r, score=Decimal(s), category=c, orgnr=None)
        for i, r, s, c in (("S1", 400_000, 5, "X"), ("S2", 300_000, 5, None))
    ]
    policy = Policy(at_line=at_line, quotas=(Quota(by="category", value="X", min_count=1),))  # type: ignore[arg-type]
    result = allocate(apps, budget, policy)
    assert amounts_of(result) == amounts
    assert _tie_codes(result) == []
    # Swapped ids, the same outcome: the ids did not decide it.
    swapped = [a.model_copy(update={"id": {"S1": "S2", "S2": "S1"}.get(a.id, a.id)}) for a in apps]
    again = amounts_of(allocate(swapped, budget, policy))
    assert {"S1": again["S2"], "S2": again["S1"]} == amounts


def test_a_tie_that_a_minimum_took_from_by_id_is_not_said_to_be_decided_by_the_budget(
    make_application: MakeApp,
) -> None:
    # S1 (200 000) and S2 (450 000) share rank 1 and category X, whose minimum is 200 000; R
    # (300 000, no category) shares the rank too. S1 is chosen for the minimum by its id; R is
    # funded, and S2 does not fit in the 400 000 the rest of the tie had. Had S2 come first, the
    # minimum would have taken it (and R would not have fitted): the id decided. The round said
    # the order did not decide.
    apps = [
        make_application(id=i, requested=r, score=Decimal(5), category=c, orgnr=None)
        for i, r, c in (("S1", 200_000, "X"), ("S2", 450_000, "X"), ("R", 300_000, None))
    ]
    policy = Policy(quotas=(Quota(by="category", value="X", min_amount=200_000),))
    result = allocate(apps, 600_000, policy)
    assert amounts_of(result) == {"S1": 200_000, "S2": 0, "R": 300_000}
    assert [(n.code, n.params["funded_ids"]) for n in result.notes] == [
        ("note.tie_at_line", ["R", "S1"])
    ]
    # The ids swapped: the 450 000 application (now S1) is the one chosen for the minimum.
    swapped = [a.model_copy(update={"id": {"S1": "S2", "S2": "S1"}.get(a.id, a.id)}) for a in apps]
    assert amounts_of(allocate(swapped, 600_000, policy)) == {"S1": 450_000, "S2": 0, "R": 0}


def test_a_minimum_served_by_the_only_one_of_the_tie_that_fitted_is_not_by_id(
    make_application: MakeApp,
) -> None:
    # T (100 000), X1 (400 000) and X2 (200 000) share rank 1; X1 and X2 are in category X,
    # whose minimum is one funded application. With 318 000, X1 does not fit, so X2 serves the
    # minimum whatever their ids; T is funded with what is left, and X1 does not fit in the
    # 118 000 left for the rest of the tie. The round said the id order decided.
    apps = [
        make_application(id=i, requested=r, score=Decimal(5), category=c, orgnr=None)
        for i, r, c in (("T", 100_000, None), ("X1", 400_000, "X"), ("X2", 200_000, "X"))
    ]
    policy = Policy(quotas=(Quota(by="category", value="X", min_count=1),))
    result = allocate(apps, 318_000, policy)
    assert amounts_of(result) == {"T": 100_000, "X1": 0, "X2": 200_000}
    assert [(n.code, dict(n.params)) for n in result.notes] == [
        (
            "note.tie_at_line_not_by_order",
            {
                "rank": 1,
                "count": 3,
                "ids": ["T", "X1", "X2"],
                "funded_ids": ["T"],
                "unfunded_ids": ["X1"],
                "remaining": 118_000,
            },
        )
    ]
    swapped = [a.model_copy(update={"id": {"X1": "X2", "X2": "X1"}.get(a.id, a.id)}) for a in apps]
    assert amounts_of(allocate(swapped, 318_000, policy)) == {"T": 100_000, "X1": 200_000, "X2": 0}


def test_a_minimum_whose_choice_left_the_rest_of_the_tie_more_or_less_is_by_id(
    make_application: MakeApp,
) -> None:
    # A (400 000), X1 (300 000) and X2 (100 000) share rank 1; X1 and X2 are in category X,
    # whose minimum is one funded application. X1 serves it by its id, and A does not fit in
    # the 315 000 then left; X2 is funded too. Had X2 served the minimum, A would have fitted:
    # the id decided, though both of X were funded in the end. The round said it did not.
    apps = [
        make_application(id=i, requested=r, score=Decimal(5), category=c, orgnr=None)
        for i, r, c in (("A", 400_000, None), ("X1", 300_000, "X"), ("X2", 100_000, "X"))
    ]
    policy = Policy(quotas=(Quota(by="category", value="X", min_count=1),))
    result = allocate(apps, 615_000, policy)
    assert amounts_of(result) == {"A": 0, "X1": 300_000, "X2": 100_000}
    assert [(n.code, n.params["ids"]) for n in result.notes] == [
        ("note.tie_at_line", ["A", "X1", "X2"])
    ]
    swapped = [a.model_copy(update={"id": {"X1": "X2", "X2": "X1"}.get(a.id, a.id)}) for a in apps]
    assert amounts_of(allocate(swapped, 615_000, policy)) == {"A": 400_000, "X1": 100_000, "X2": 0}


def test_a_tie_member_below_the_line_that_a_maximum_skips_anyway_is_not_by_id(
    make_application: MakeApp,
) -> None:
    # B (200 000, category Y) is funded; P (400 000) and Q (400 000, category Y) share rank 2
    # with 300 000 left. P gets it in part and the line stops Q. But Y may have at most
    # 400 000, and Q would take it to 600 000: taken first, Q would have been skipped and P
    # given the same. The round said the id order decided.
    apps = [
        make_application(id=i, requested=r, score=Decimal(s), category=c, orgnr=None)
        for i, r, s, c in (("B", 200_000, 6, "Y"), ("P", 400_000, 5, None), ("Q", 400_000, 5, "Y"))
    ]
    policy = Policy(
        at_line="partial", quotas=(Quota(by="category", value="Y", max_amount=400_000),)
    )
    result = allocate(apps, 500_000, policy)
    assert amounts_of(result) == {"B": 200_000, "P": 300_000, "Q": 0}
    assert [n.code for n in result.notes] == []
    swapped = [a.model_copy(update={"id": {"P": "Q", "Q": "P"}.get(a.id, a.id)}) for a in apps]
    assert amounts_of(allocate(swapped, 500_000, policy)) == {"B": 200_000, "P": 0, "Q": 300_000}
    # Without the maximum, Q taken first would have had the 300 000: by id, and said so.
    plain = allocate(apps, 500_000, Policy(at_line="partial"))
    assert [n.code for n in plain.notes] == ["note.tie_at_line"]


def _swapped(apps: list[Application], a: str, b: str) -> list[Application]:
    return [x.model_copy(update={"id": {a: b, b: a}.get(x.id, x.id)}) for x in apps]


@pytest.mark.parametrize("rule", ["ranked", "lottery"])
def test_a_tie_a_maximum_amount_splits_is_noted_though_no_one_award_made_the_room(
    make_application: MakeApp, rule: str
) -> None:
    # S1, S2 (100 each) and S3 (200) share rank 1 in category X, which may have 200 in all.
    # S1 and S2 are funded by their ids and S3 skipped; S3 first would have had the 200 alone.
    # No one award of the tie made the room S3 lacked, and the round said nothing. (Under the
    # lottery the tie is above the band: B1 and B2, at score 3, are drawn; under ranked their
    # tie at the line has a note of its own.)
    apps = [
        make_application(id=i, requested=r, score=Decimal(s), category=c, orgnr=None)
        for i, r, s, c in (
            ("S1", 100, 5, "X"),
            ("S2", 100, 5, "X"),
            ("S3", 200, 5, "X"),
            ("B1", 300, 3, None),
            ("B2", 300, 3, None),
        )
    ]
    policy = Policy(
        rule=rule,  # type: ignore[arg-type]
        seed=1,
        quotas=(Quota(by="category", value="X", max_amount=200),),
    )
    result = allocate(apps, 500, policy)
    assert {i: amounts_of(result)[i] for i in ("S1", "S2", "S3")} == {"S1": 100, "S2": 100, "S3": 0}
    ties = [
        (n.code, n.params["ids"], n.params["funded_ids"])
        for n in result.notes
        if n.code.startswith("note.tie") and "S1" in n.params["ids"]  # type: ignore[operator]
    ]
    assert ties == [("note.tie_at_quota", ["S1", "S2", "S3"], ["S1", "S2"])]
    again = amounts_of(allocate(_swapped(apps, "S1", "S3"), 500, policy))
    assert {"S1": again["S3"], "S3": again["S1"]} == {"S1": 0, "S3": 200}


def test_a_tie_that_a_minimum_took_from_but_no_order_changes_is_not_by_id(
    make_application: MakeApp,
) -> None:
    # S1 and S2 (100 each) and S3 (300) share rank 1 in category X, whose minimum is one
    # funded application; the budget is 200. S1 serves the minimum by its id, S2 is funded
    # too, and S3 fits in no order. The round said the id order decided the tie.
    apps = [
        make_application(id=i, requested=r, score=Decimal(5), category="X", orgnr=None)
        for i, r in (("S1", 100), ("S2", 100), ("S3", 300))
    ]
    policy = Policy(quotas=(Quota(by="category", value="X", min_count=1),))
    result = allocate(apps, 200, policy)
    assert amounts_of(result) == {"S1": 100, "S2": 100, "S3": 0}
    assert [(n.code, dict(n.params)) for n in result.notes] == [
        (
            "note.tie_not_by_order",
            {
                "rank": 1,
                "count": 3,
                "ids": ["S1", "S2", "S3"],
                "funded_ids": ["S1", "S2"],
                "broken_by": "id",
                "checked": True,
            },
        )
    ]
    assert note_text(result.notes[0], "en") == (
        "3 applications share rank\u00a01 (S1, S2 and S3) and were not all given the same; they "
        "were "
        "taken in id order, but every other order among them gives the same awards."
    )
    assert note_text(result.notes[0], "nb") == (
        "3 søknader deler plass\u00a01 (S1, S2 og S3) og fikk ikke alle det samme; de ble "
        "behandlet i "
        "rekkefølge etter søknadsnummer, men enhver annen rekkefølge mellom dem gir de samme "
        "tildelingene."
    )
    # With 300 the order decides: S3 first would serve the minimum and leave nothing.
    result = allocate(apps, 300, policy)
    assert [n.code for n in result.notes] == ["note.tie_at_line"]
    assert amounts_of(allocate(_swapped(apps, "S1", "S3"), 300, policy)) == {
        "S1": 300,
        "S2": 0,
        "S3": 0,
    }


def test_a_tie_that_decides_whether_the_look_ahead_meets_the_minimums_is_noted(
    make_application: MakeApp,
) -> None:
    # All five are in category X, which needs 2 funded; county 46 needs 600. Budget 700,
    # partial at the line. S3 (400, county 46) and S4 (100) share rank 1, S2 (100, 46) and
    # S5 (200, 46) rank 3.
    # In id order pass 1 takes S3 and S4 (X), then S2 (46: 500), and S5 (200) does not fit
    # in the 100 left: 46 is short. Its look-ahead run fails too (S3, S4, S2, then no room
    # for S5), so the first run is used, and pass 2 gives S5 the 100 left, which meets 46:
    # S3 400 + S4 100 + S2 100 + S5 100 = 700.
    # With S4 first (its id and S3's swapped), pass 1 fails as before, but its look-ahead
    # passes S4 over (after it 600 would be left, and 46 alone needs 600, X one more of 100)
    # and takes S3, S2 and S5 in full: S3 400 + S2 100 + S5 200 = 700, S4 nothing.
    # Both members of the tie were funded in full by a pass 1 that did not look ahead, and
    # the rule took that to mean no order could change them; the round said nothing.
    apps = [
        make_application(id=i, requested=r, score=Decimal(s), category="X", counties=c, orgnr=None)
        for i, s, r, c in (
            ("S1", 3, 100, ()),
            ("S2", 4, 100, ("46",)),
            ("S3", 5, 400, ("46",)),
            ("S4", 5, 100, ()),
            ("S5", 4, 200, ("46",)),
        )
    ]
    policy = Policy(
        at_line="partial",
        round_to=1,
        quotas=(
            Quota(by="category", value="X", min_count=2),
            Quota(by="county", value="46", min_amount=600),
        ),
    )
    result = allocate(apps, 700, policy)
    assert amounts_of(result) == {"S1": 0, "S2": 100, "S3": 400, "S4": 100, "S5": 100}
    swapped = amounts_of(allocate(_swapped(apps, "S3", "S4"), 700, policy))
    assert {"S3": swapped["S4"], "S4": swapped["S3"]} == {"S3": 400, "S4": 0}
    assert swapped["S5"] == 200
    ties = [
        (n.code, n.params["ids"], n.params["funded_ids"])
        for n in result.notes
        if n.code.startswith("note.tie")
    ]
    assert ties == [
        ("note.tie_at_line", ["S2", "S5"], ["S2", "S5"]),
        ("note.tie_by_order", ["S3", "S4"], ["S3", "S4"]),
    ]


def test_a_tie_pass_one_took_whole_is_noted_when_one_member_alone_met_the_minimums(
    make_application: MakeApp,
) -> None:
    # Category X needs 200 and may have 200; county 46 needs 200 and one funded. Budget 500.
    # S1 and S4 (300, X) would pass X's maximum. S2 (300, 46) and S3 (200, X and 46) share
    # rank 4 (score 3). In id order pass 1 takes S2 for 46, then S3 for X: 500, and S5 (200,
    # rank 1, in no group with a minimum) gets nothing. With S3 first, S3 alone meets both
    # minimums (200 and one funded in each), S5 gets 200 and the other of the tie (300) no
    # longer fits. Both of the tie were funded first for a minimum, but S2's group was short
    # only without S3: taking that as "no order changes them", the round would say nothing
    # of the 200 the id order cost S5.
    apps = [
        make_application(id=i, requested=r, score=Decimal(s), category=c, counties=k, orgnr=None)
        for i, r, s, c, k in (
            ("S1", 300, 5, "X", ("46",)),
            ("S2", 300, 3, None, ("46",)),
            ("S3", 200, 3, "X", ("46",)),
            ("S4", 300, 5, "X", ("03",)),
            ("S5", 200, 5, "Y", ("03",)),
        )
    ]
    policy = Policy(
        quotas=(
            Quota(by="category", value="X", min_amount=200, max_amount=200),
            Quota(by="county", value="46", min_amount=200, min_count=1),
        )
    )
    result = allocate(apps, 500, policy)
    assert amounts_of(result) == {"S1": 0, "S2": 300, "S3": 200, "S4": 0, "S5": 0}
    swapped = amounts_of(allocate(_swapped(apps, "S2", "S3"), 500, policy))
    assert {"S2": swapped["S3"], "S3": swapped["S2"], "S5": swapped["S5"]} == {
        "S2": 0,
        "S3": 200,
        "S5": 200,
    }
    ties = [
        (n.code, n.params["ids"], n.params["funded_ids"])
        for n in result.notes
        if n.code.startswith("note.tie")
    ]
    assert ties == [("note.tie_by_order", ["S2", "S3"], ["S2", "S3"])]


def test_a_tie_that_decides_whether_the_first_run_meets_the_minimums_is_noted(
    make_application: MakeApp,
) -> None:
    # The other way round: the look-ahead is used, and it took none of the tie, but the first
    # run's choice within the tie decided that the look-ahead was needed. Categories X and Y
    # need 1 funded each, county 03 100; budget 200, skip. S1 (X, 200) and S2 (X, 100) share
    # rank 1; S3 (Y, 100, county 03) is rank 2, S4 (Y, 50) rank 3, S5 (X, 50) rank 4.
    # In id order the first run takes S1 for X, and S3 no longer fits (nothing left): Y and 03
    # are short. The look-ahead passes S1 over (nothing would be left) and S2: its plan for
    # the others takes Y's cheapest, S4 (50), and 03's 100 as a bare amount (S3's other
    # group, Y, is met in the plan by then), 150 in all, and after S2 only 100 would be left.
    # It takes S3 (after it X needs S5's 50: 100 would be left), then S5, and is used:
    # S3 100 + S5 50, and pass 2 gives S4 the 50 left; S1 and S2 get nothing.
    # With S2 first the first run takes S2 for X and then S3 fits (100 left): it is used,
    # S2 100 + S3 100. The rule judged the tie by the look-ahead, which took none of it, and
    # said nothing.
    apps = [
        make_application(id=i, requested=r, score=Decimal(s), category=k, counties=c, orgnr=None)
        for i, s, r, k, c in (
            ("S1", 5, 200, "X", ()),
            ("S2", 5, 100, "X", ()),
            ("S3", 4, 100, "Y", ("03",)),
            ("S4", 3, 50, "Y", ()),
            ("S5", 2, 50, "X", ()),
        )
    ]
    policy = Policy(
        quotas=(
            Quota(by="category", value="X", min_count=1),
            Quota(by="category", value="Y", min_count=1),
            Quota(by="county", value="03", min_amount=100),
        ),
    )
    result = allocate(apps, 200, policy)
    assert amounts_of(result) == {"S1": 0, "S2": 0, "S3": 100, "S4": 50, "S5": 50}
    swapped = amounts_of(allocate(_swapped(apps, "S1", "S2"), 200, policy))
    assert {"S1": swapped["S2"], "S2": swapped["S1"], "S5": swapped["S5"]} == {
        "S1": 0,
        "S2": 100,
        "S5": 0,
    }
    assert [(n.code, n.params["ids"], n.params["funded_ids"]) for n in result.notes] == [
        ("note.tie_by_order", ["S1", "S2"], [])
    ]


def _renamed(apps: list[Application], new_id: dict[str, str]) -> list[Application]:
    return [x.model_copy(update={"id": new_id.get(x.id, x.id)}) for x in apps]


def test_a_tie_that_decides_whether_the_search_is_needed_is_noted(
    make_application: MakeApp,
) -> None:
    # County 03 needs 200; budget 200, partial at the line. S1 (100, 03) is rank 1; S2 (100,
    # no county) and S3 (200, 03) share rank 2.
    # In id order pass 1 takes S1 for 03, and S3 (200) no longer fits in the 100 left; its
    # look-ahead takes S1 too (the 100 still missing counted as a bare amount), so the first
    # run is used. Pass 2 gives S2 the 100 left and S3 nothing: 03 is short, and the pass is
    # made once more with pass 1 searching, which passes S1 over and takes S3: S3 200, S1 and
    # S2 nothing.
    # With S3 before S2 (their ids swapped) pass 2 gives S3 the 100 left, partly funded, and
    # that meets 03 with S1's 100: no search, S1 100 + S3 100, S2 nothing. The id order
    # decided. The rule re-ran the tie with a book that searched from the start (the round's
    # book, after the search), found S3 200 in that order too, and said nothing.
    apps = [
        make_application(id=i, requested=r, score=Decimal(s), category="X", counties=c, orgnr=None)
        for i, s, r, c in (
            ("S1", 4, 100, ("03",)),
            ("S2", 3, 100, ()),
            ("S3", 3, 200, ("03",)),
        )
    ]
    policy = Policy(at_line="partial", quotas=(Quota(by="county", value="03", min_amount=200),))
    result = allocate(apps, 200, policy)
    assert amounts_of(result) == {"S1": 0, "S2": 0, "S3": 200}
    assert codes(result, "S3") == ["reason.quota.min_reserved", "reason.funded.full"]
    swapped = amounts_of(allocate(_swapped(apps, "S2", "S3"), 200, policy))
    assert {"S1": swapped["S1"], "S2": swapped["S3"], "S3": swapped["S2"]} == {
        "S1": 100,
        "S2": 0,
        "S3": 100,
    }
    assert [(n.code, n.params["ids"], n.params["funded_ids"]) for n in result.notes] == [
        ("note.tie_at_line", ["S2", "S3"], ["S3"])
    ]


def test_a_tie_whose_order_decides_whether_the_search_is_needed_is_not_said_to_be_undecided(
    make_application: MakeApp,
) -> None:
    # The same round with all three at rank 1: S1 (100, no county), S2 (100, 03) and S3 (200,
    # 03); county 03 needs 200, budget 200, partial at the line.
    # In id order pass 1 takes S2 for 03 and S3 no longer fits (the look-ahead takes S2 too);
    # pass 2 gives S1 the 100 left and S3 nothing, 03 is short, and the search takes S3
    # alone: S3 200, S1 and S2 nothing.
    # Taken S2, S3, S1 (S1 last: the ids S1, S2, S3 given to S2, S3, S1), pass 2 gives S3
    # the 100 left, partly funded, which meets 03: S2 100 + S3 100, S1 nothing. The order
    # decided; the rule said it did not (note.tie_not_by_order), from re-runs that searched
    # from the start. (No swap of two ids changes the awards: only that order does.)
    apps = [
        make_application(id=i, requested=r, score=Decimal(3), category="X", counties=c, orgnr=None)
        for i, r, c in (("S1", 100, ()), ("S2", 100, ("03",)), ("S3", 200, ("03",)))
    ]
    policy = Policy(at_line="partial", quotas=(Quota(by="county", value="03", min_amount=200),))
    result = allocate(apps, 200, policy)
    assert amounts_of(result) == {"S1": 0, "S2": 0, "S3": 200}
    new_id = {"S2": "S1", "S3": "S2", "S1": "S3"}
    back = {v: k for k, v in new_id.items()}
    cycled = allocate(_renamed(apps, new_id), 200, policy)
    assert {back[i]: amount for i, amount in amounts_of(cycled).items()} == {
        "S1": 0,
        "S2": 100,
        "S3": 100,
    }
    assert [(n.code, n.params["ids"], n.params["funded_ids"]) for n in result.notes] == [
        ("note.tie_at_line", ["S1", "S2", "S3"], ["S3"])
    ]


def test_a_tie_whose_ids_decide_the_look_aheads_plan_is_noted(make_application: MakeApp) -> None:
    # Each category needs one funded, county 03 10 % of the budget (20); budget 200, skip.
    # S5 (Y) is rank 1; S1 (X, county 03), S2 (X), S3 (X) and S4 (Y) share rank 2; 100 each.
    # In id order pass 1 takes S5 for Y and S1 for X and 03: S5 100 + S1 100.
    # With S1's and S2's ids swapped (the one in 03 is now S2), pass 1 takes S5 and then S1
    # (X only): nothing is left and 03 is short. Its look-ahead judges S5: after it X needs
    # one more, which the plan takes cheapest first and, all being 100, by id: S1, not in 03,
    # so 03's 20 is counted on top, 120 in all, more than the 100 left. S5 is passed over, so
    # is S1 (Y and 03 would still need 120), and S2 (X and 03) and S4 (Y) are taken:
    # S2 100 + S4 100, S5 nothing. The rule re-ran the tie by moving the applications with
    # their own ids, so its plan still took the one in 03 first, found S5 funded in every
    # order and said the order did not decide (note.tie_not_by_order).
    apps = [
        make_application(id=i, requested=100, score=Decimal(s), category=k, counties=c, orgnr=None)
        for i, s, k, c in (
            ("S1", 3, "X", ("03",)),
            ("S2", 3, "X", ()),
            ("S3", 3, "X", ()),
            ("S4", 3, "Y", ()),
            ("S5", 4, "Y", ()),
        )
    ]
    policy = Policy(
        quotas=(
            Quota(by="category", value="*", min_count=1),
            Quota(by="county", value="03", min_share=Decimal("0.1")),
        ),
    )
    result = allocate(apps, 200, policy)
    assert amounts_of(result) == {"S1": 100, "S2": 0, "S3": 0, "S4": 0, "S5": 100}
    swapped = amounts_of(allocate(_swapped(apps, "S1", "S2"), 200, policy))
    assert {"S1": swapped["S2"], "S2": swapped["S1"], "S4": swapped["S4"], "S5": swapped["S5"]} == {
        "S1": 100,
        "S2": 0,
        "S4": 100,
        "S5": 0,
    }
    ties = [(n.code, n.params["ids"]) for n in result.notes if n.code.startswith("note.tie")]
    assert ties == [("note.tie_at_line", ["S1", "S2", "S3", "S4"])]


def test_a_lottery_tie_below_the_band_whose_ids_decide_the_look_aheads_plan_is_noted(
    make_application: MakeApp,
) -> None:
    # The round above under the lottery, with S6 (Y, 1 000, score 5) first: it asks more than
    # the budget, so it is the line and the band is S6 alone (lottery_band 0); the tie of S1 to
    # S4 is below the band, taken in rank order, and then id order, as under ranked.
    # In id order S5 100 + S1 100. With S1's and S2's ids swapped pass 1's look-ahead takes
    # the new S1 (not in 03) as X's cheapest by id and passes S5 over: S2 (the one in 03) 100 +
    # S4 100, S5 nothing. The lottery re-ran the tie by moving the applications with their own
    # ids, found S5 funded in every order and said note.tie_not_by_order.
    apps = [
        make_application(id=i, requested=r, score=Decimal(s), category=k, counties=c, orgnr=None)
        for i, s, r, k, c in (
            ("S1", 3, 100, "X", ("03",)),
            ("S2", 3, 100, "X", ()),
            ("S3", 3, 100, "X", ()),
            ("S4", 3, 100, "Y", ()),
            ("S5", 4, 100, "Y", ()),
            ("S6", 5, 1_000, "Y", ()),
        )
    ]
    policy = Policy(
        rule="lottery",
        seed=1,
        quotas=(
            Quota(by="category", value="*", min_count=1),
            Quota(by="county", value="03", min_share=Decimal("0.1")),
        ),
    )
    result = allocate(apps, 200, policy)
    assert amounts_of(result) == {"S1": 100, "S2": 0, "S3": 0, "S4": 0, "S5": 100, "S6": 0}
    assert codes(result, "S6")[0] == "reason.lottery.not_drawn"
    assert codes(result, "S2")[0] == "reason.lottery.below_band"
    swapped = amounts_of(allocate(_swapped(apps, "S1", "S2"), 200, policy))
    assert {"S1": swapped["S2"], "S2": swapped["S1"], "S4": swapped["S4"], "S5": swapped["S5"]} == {
        "S1": 100,
        "S2": 0,
        "S4": 100,
        "S5": 0,
    }
    ties = [(n.code, n.params["ids"]) for n in result.notes if n.code.startswith("note.tie")]
    assert ties == [("note.tie_at_line", ["S1", "S2", "S3", "S4"])]


def test_a_lottery_tie_whose_other_order_moves_it_into_the_band_is_drawn_by_its_new_ids(
    make_application: MakeApp,
) -> None:
    # County 03 needs 100; budget 200, partial at the line, seed 1. S1 (X, 100) has score 3;
    # S2 (X, 150, 03) and S3 (Y, 100, 03) share score 1.
    # In id order pass 1 takes S2 for 03 (150), and S1 no longer fits: S1 is the line and the
    # band (lottery_band 0), partly funded with the 50 left; S3, below the band, nothing.
    # With their ids swapped pass 1 takes the new S2 (Y, 100) for 03, S1 fits (100), and the
    # new S3 (X, 150) is the line: the band is S2 and S3, drawn S2 first (seed 1), so S2 (the
    # one of 100) is funded: S1 100 + the old S3 100, the old S2 nothing. The id order decided.
    # The lottery re-ran the tie with each application's own id, so its draw put the one of
    # 150 first again, gave the same awards and said note.tie_not_by_order.
    apps = [
        make_application(id=i, requested=r, score=Decimal(s), category=k, counties=c, orgnr=None)
        for i, s, r, k, c in (
            ("S1", 3, 100, "X", ()),
            ("S2", 1, 150, "X", ("03",)),
            ("S3", 1, 100, "Y", ("03",)),
        )
    ]
    policy = Policy(
        rule="lottery",
        seed=1,
        at_line="partial",
        quotas=(Quota(by="county", value="03", min_amount=100),),
    )
    result = allocate(apps, 200, policy)
    assert amounts_of(result) == {"S1": 50, "S2": 150, "S3": 0}
    assert codes(result, "S1")[0] == "reason.lottery.drawn"
    assert codes(result, "S3")[0] == "reason.lottery.below_band"
    again = allocate(_swapped(apps, "S2", "S3"), 200, policy)
    assert [n.params["ids"] for n in again.notes if n.code == "note.lottery.draw"] == [["S2", "S3"]]
    swapped = amounts_of(again)
    assert {"S1": swapped["S1"], "S2": swapped["S3"], "S3": swapped["S2"]} == {
        "S1": 100,
        "S2": 0,
        "S3": 100,
    }
    ties = [(n.code, n.params["ids"]) for n in result.notes if n.code.startswith("note.tie")]
    assert ties == [("note.tie_at_line", ["S2", "S3"])]


def test_a_tie_too_large_to_re_run_is_said_to_be_unchecked(
    make_application: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Six applications of category X share rank 1, and X may have one funded: more orders
    # than the rule re-runs (ORDERS_TRIED), so the note claims no more than what was done.
    apps = [
        make_application(id=f"S{k}", requested=100, score=Decimal(5), category="X", orgnr=None)
        for k in range(1, 7)
    ]
    policy = Policy(quotas=(Quota(by="category", value="X", max_count=1),))
    result = allocate(apps, 1000, policy)
    assert [(n.code, n.params["funded_ids"], n.params["checked"]) for n in result.notes] == [
        ("note.tie_order_unchecked", ["S1"], False)
    ]
    assert note_text(result.notes[0], "en") == (
        "6 applications share rank\u00a01 (S1, S2, S3, S4, S5 and S6) and were not all given the "
        "same; they were taken in id order, and with this many of them, whether another order "
        "would have given other awards was not checked."
    )
    assert note_text(result.notes[0], "nb") == (
        "6 søknader deler plass\u00a01 (S1, S2, S3, S4, S5 og S6) og fikk ikke alle det samme; de "
        "ble "
        "behandlet i rekkefølge etter søknadsnummer, og med så mange av dem ble det ikke sjekket "
        "om en annen "
        "rekkefølge ville gitt andre tildelinger."
    )
    # Five are re-run in every order: the id decided which got the room.
    result = allocate(apps[:5], 1000, policy)
    assert [n.code for n in result.notes] == ["note.tie_at_quota"]
    # And not when the round's re-runs would visit more applications than allowed.
    monkeypatch.setattr(ranked, "RERUN_VISITS", 5 * 118)
    result = allocate(apps[:5], 1000, policy)
    assert [n.code for n in result.notes] == ["note.tie_order_unchecked"]


def test_the_ties_of_a_round_share_its_re_runs(
    make_application: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two ties of two (A1 and A2 in X, B1 and B2 in Y, each category at most one funded): each
    # is re-run in its one other order, and a re-run visits the round's 4 applications. With
    # re-runs for 8 visits both are checked; with 4 the first is, and the second's note says
    # it was not checked (not that the order decided it): the visits are the round's, shared.
    rows = [("A1", 4, "X"), ("A2", 4, "X"), ("B1", 3, "Y"), ("B2", 3, "Y")]
    apps = [
        make_application(id=i, requested=100, score=Decimal(s), category=c, orgnr=None)
        for i, s, c in rows
    ]
    policy = Policy(
        quotas=(
            Quota(by="category", value="X", max_count=1),
            Quota(by="category", value="Y", max_count=1),
        )
    )
    for visits, second in ((8, "note.tie_at_quota"), (4, "note.tie_order_unchecked")):
        monkeypatch.setattr(ranked, "RERUN_VISITS", visits)
        result = allocate(apps, 1000, policy)
        assert amounts_of(result) == {"A1": 100, "A2": 0, "B1": 100, "B2": 0}
        assert [(n.code, n.params["ids"]) for n in result.notes] == [
            ("note.tie_at_quota", ["A1", "A2"]),
            (second, ["B1", "B2"]),
        ]


def test_a_large_tie_no_order_can_change_is_said_to_be_not_by_order(
    make_application: MakeApp,
) -> None:
    # Six applications share rank 1 (too many to re-run every order): S1 (100) is funded and
    # S2-S6 (300 each) fit in no order, since 250 was all there was. The rule sees that
    # without re-running: each one left out was already out of room before any of the others
    # was funded. The note says the order did not decide, not that it was not checked.
    apps = [
        make_application(id=f"S{k}", requested=r, score=Decimal(5), category="X", orgnr=None)
        for k, r in enumerate([100, 300, 300, 300, 300, 300], start=1)
    ]
    policy = Policy(quotas=(Quota(by="category", value="X", max_amount=1000),))
    result = allocate(apps, 250, policy)
    assert amounts_of(result)["S1"] == 100
    assert [(n.code, n.params["unfunded_ids"]) for n in result.notes] == [
        ("note.tie_at_line_not_by_order", ["S2", "S3", "S4", "S5", "S6"])
    ]


def test_under_stop_a_large_ties_claim_not_by_order_is_said_unchecked(
    make_application: MakeApp,
) -> None:
    # The round above under at_line = "stop": S2 does not fit, the line stops there and the
    # rest of its tie is still tried. The line's own reasoning finds that the order decided
    # nothing, but with quotas a tie's note stands only as the re-runs in every other order
    # find it: six are too many to re-run, so the note claims neither (module docstring of
    # tilskudd.rules.ranked: "a note on it becomes note.tie_order_unchecked").
    apps = [
        make_application(id=f"S{k}", requested=r, score=Decimal(5), category="X", orgnr=None)
        for k, r in enumerate([100, 300, 300, 300, 300, 300], start=1)
    ]
    policy = Policy(at_line="stop", quotas=(Quota(by="category", value="X", max_amount=1000),))
    result = allocate(apps, 250, policy)
    assert [d.amount for d in result.decisions] == [100, 0, 0, 0, 0, 0]
    assert [(n.code, n.params["checked"]) for n in result.notes] == [
        ("note.tie_order_unchecked", False)
    ]
    # Five are re-run, and no order changes the awards (the 300s fit in none: 250 is all
    # there is), as giving the ids to one another in every order shows: the claim stands.
    result = allocate(apps[:5], 250, policy)
    assert [n.code for n in result.notes] == ["note.tie_at_line_not_by_order"]
    by_content = {(a.requested, d.amount) for a, d in zip(apps, result.decisions, strict=False)}
    ids = [a.id for a in apps[:5]]
    for order in itertools.permutations(ids):
        renamed = [a.model_copy(update={"id": new}) for a, new in zip(apps, order, strict=False)]
        again = allocate(renamed, 250, policy).by_id()
        assert {(a.requested, again[a.id].amount) for a in renamed} == by_content


def test_a_tie_whose_order_decides_what_pass_one_takes_is_a_tie_at_the_line(
    make_application: MakeApp,
) -> None:
    # Every county needs one funded; budget 200. S4 (rank 1) is in no county; S1, S2, S3 (03
    # and 46) and S5 (46) share rank 2. In id order pass 1 takes S3, which meets both
    # counties, and S4 has the other 100: S1, S2 and S5 are left out for want of budget. The
    # line's own reasoning sees a tie whose only funded member was taken for a minimum only it
    # could serve (03); but with S5 before S3 pass 1 takes both, and S4 gets nothing. The
    # re-runs find the order decided, and the note says the line fell inside the tie.
    rows = [
        ("S1", 3, ()),
        ("S2", 3, ()),
        ("S3", 3, ("03", "46")),
        ("S4", 4, ()),
        ("S5", 3, ("46",)),
    ]
    apps = [
        make_application(id=i, requested=100, score=Decimal(s), counties=c, orgnr=None)
        for i, s, c in rows
    ]
    policy = Policy(quotas=(Quota(by="county", value="*", min_count=1),))
    result = allocate(apps, 200, policy)
    assert amounts_of(result) == {"S1": 0, "S2": 0, "S3": 100, "S4": 100, "S5": 0}
    assert [(n.code, n.params["ids"], n.params["funded_ids"]) for n in result.notes] == [
        ("note.tie_at_line", ["S1", "S2", "S3", "S5"], ["S3"])
    ]
    # S3 and S5 given each other's ids: the one in 46 alone comes first, and S4 is left out.
    swap = {"S3": "S5", "S5": "S3"}
    again = allocate([a.model_copy(update={"id": swap.get(a.id, a.id)}) for a in apps], 200, policy)
    assert {swap.get(i, i): x for i, x in amounts_of(again).items()} == {
        "S1": 0,
        "S2": 0,
        "S3": 100,
        "S4": 0,
        "S5": 100,
    }


def test_eligible_amounts_are_what_each_could_get_alone(make_application: MakeApp) -> None:
    # The quota pre-check's amounts, as ranked and lottery give them: an organisation with
    # less left from earlier rounds than its eligible amount is counted with what is left (the
    # `whole` reading, never asked for, was removed); below min_score, nothing.
    apps = [
        make_application(id="A-1", requested=100_000, orgnr=ORG_X),
        make_application(id="A-2", requested=100_000, orgnr="958935420"),
        make_application(id="A-3", requested=100_000, orgnr="964338531", score=Decimal(1)),
    ]
    policy = Policy(per_applicant_max=150_000, min_score=Decimal(2))
    assert eligible_amounts(apps, policy, {ORG_X: 90_000}) == [60_000, 100_000, 0]


def test_a_maximum_share_is_rounded_down_to_the_krone(make_application: MakeApp) -> None:
    # 30 % of 1 000 001 kr is 300 000.3 kr: the maximum is 300 000 kr, so an award of
    # 300 001 kr to the category would break it, and A is skipped.
    apps = [
        make_application(id="A", category="X", score=Decimal(9), requested=300_001, orgnr=None),
        make_application(id="B", category="Y", score=Decimal(5), requested=700_000, orgnr=None),
    ]
    apps = [a.model_copy(update={"total_cost": None}) for a in apps]
    policy = Policy(quotas=[{"by": "category", "value": "X", "max_share": "30 %"}])
    result = allocate(apps, 1_000_001, policy)
    assert amounts_of(result) == {"A": 0, "B": 700_000}
    a = result.by_id()["A"].reasons[-1]
    assert (a.code, a.params["limit"], a.params["needed"]) == (
        "reason.quota.max_share_reached",
        300_000,
        300_001,
    )


def test_a_minimum_share_is_rounded_up_to_the_krone(make_application: MakeApp) -> None:
    # 30 % of 1 000 001 kr is 300 000.3 kr: the minimum is 300 001 kr, one krone more than
    # the category's only application can get, and the round is refused before allocating.
    apps = [
        make_application(id="A", category="X", score=Decimal(9), requested=300_000, orgnr=None),
        make_application(id="B", category="Y", score=Decimal(5), requested=700_000, orgnr=None),
    ]
    apps = [a.model_copy(update={"total_cost": None}) for a in apps]
    policy = Policy(quotas=[{"by": "category", "value": "X", "min_share": "30 %"}])
    with pytest.raises(QuotaError) as caught:
        allocate(apps, 1_000_001, policy)
    assert str(caught.value).replace("\u00a0", " ") == (
        "the quotas cannot all be met:\n  - category 'X': at least NOK 300,001, but its "
        "eligible applications can get only NOK 300,000 in all"
    )
