"""What filled an organisation's ``per_applicant_max`` under ``ranked`` and ``lottery``: the
reason of an application cut or left out names the organisation's applications funded before
it in the round, and what it had in earlier rounds (rules/common.py per_applicant_filled)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tilskudd.models import Allocation, Application, Policy, Quota, Reason
from tilskudd.rules import allocate
from tilskudd.rules.common import PER_APPLICANT_CODES, PER_APPLICANT_NAMED
from tilskudd.rules.lottery import draw_order
from tilskudd.wording import recorded_decision_text

from .strategies import ORGS, applications, assert_renders, budgets, policies
from .words import reasons_text

MakeApp = Callable[..., Application]
ORG = "974760673"


def _filled(result: Allocation, app_id: str) -> Reason:
    (reason,) = [r for r in result.by_id()[app_id].reasons if r.code in PER_APPLICANT_CODES]
    return reason


def _apps(make_application: MakeApp, count: int, requested: int = 100_000) -> list[Application]:
    return [
        make_application(id=f"A{i}", requested=requested, orgnr=ORG, score=Decimal(20 - i))
        for i in range(1, count + 1)
    ]


def test_the_applications_funded_before_are_named_in_rank_order(
    make_application: MakeApp,
) -> None:
    apps = _apps(make_application, 4, 300_000)
    result = allocate(apps, 5_000_000, Policy(per_applicant_max=1_000_000))
    capped = _filled(result, "A4")
    assert capped.code == "reason.cap.per_applicant_in_round"
    assert capped.params == {
        "orgnr": ORG,
        "max": 1_000_000,
        "already": 900_000,
        "cap": 100_000,
        "this_round": 900_000,
        "funded": ["A1", "A2", "A3"],
    }
    assert reasons_text(result.by_id()["A4"], "en").startswith(
        "Organisation 974760673 may receive at most NOK 1,000,000 in all and has already been "
        "awarded NOK 900,000 in this round, to A1, A2 and A3: capped at NOK 100,000."
    )
    assert (
        reasons_text(result.by_id()["A4"], "nb")
        .replace("\u00a0", " ")
        .startswith(
            "Organisasjon 974760673 kan få høyst 1 000 000 kr til sammen og er allerede tildelt "
            "900 000 kr i denne runden, til A1, A2 og A3: begrenset til 100 000 kr."
        )
    )


def test_many_applications_funded_before_are_counted_and_the_first_few_named(
    make_application: MakeApp,
) -> None:
    apps = _apps(make_application, 8)
    result = allocate(apps, 5_000_000, Policy(per_applicant_max=650_000), prior_by_orgnr=None)
    left_out = _filled(result, "A8")
    assert left_out.code == "reason.ineligible.per_applicant_in_round_many"
    assert left_out.params["funded"] == [f"A{i}" for i in range(1, PER_APPLICANT_NAMED + 1)]
    assert (left_out.params["count"], left_out.params["this_round"]) == (7, 650_000)
    assert reasons_text(result.by_id()["A8"], "en") == (
        "Organisation 974760673 has already been awarded NOK 650,000 in this round, to 7 "
        "applications, among them A1, A2 and A3, of its maximum of NOK 650,000; NOK 0 is left, "
        "too little for a grant."
    )
    # One more than the few is named rather than counted: A5 after A1-A4.
    five = allocate(apps[:5], 5_000_000, Policy(per_applicant_max=450_000))
    assert _filled(five, "A5").code == "reason.cap.per_applicant_in_round"
    assert _filled(five, "A5").params["funded"] == ["A1", "A2", "A3", "A4"]


def test_earlier_rounds_are_said_with_their_amount(make_application: MakeApp) -> None:
    apps = _apps(make_application, 3)
    policy = Policy(per_applicant_max=500_000)
    result = allocate(apps, 5_000_000, policy, prior_by_orgnr={ORG: 250_000})
    capped = _filled(result, "A3")
    assert capped.code == "reason.cap.per_applicant_earlier_and_round"
    assert (capped.params["earlier"], capped.params["this_round"]) == (250_000, 200_000)
    assert capped.params["funded"] == ["A1", "A2"]
    assert reasons_text(result.by_id()["A3"], "en").startswith(
        "Organisation 974760673 may receive at most NOK 500,000 in all and has already been "
        "awarded NOK 450,000 (NOK 250,000 in earlier rounds, NOK 200,000 in this round to A1 "
        "and A2): capped at NOK 50,000."
    )
    # Filled in earlier rounds alone.
    full = allocate(apps, 5_000_000, policy, prior_by_orgnr={ORG: 500_000})
    left_out = _filled(full, "A1")
    assert left_out.code == "reason.ineligible.per_applicant_earlier"
    assert left_out.params["earlier"] == 500_000
    assert "funded" not in left_out.params
    assert reasons_text(full.by_id()["A1"], "en") == (
        "Organisation 974760673 has already been awarded NOK 500,000 in earlier rounds, of its "
        "maximum of NOK 500,000; NOK 0 is left, too little for a grant."
    )


def test_an_amount_above_the_maximum_alone_says_only_the_maximum(
    make_application: MakeApp,
) -> None:
    """Nothing filled the maximum: the reason says the maximum and the cap, not "has already
    been awarded NOK 0" (which it said before, as rounds recorded then still do)."""
    apps = _apps(make_application, 1, 800_000)
    result = allocate(apps, 5_000_000, Policy(per_applicant_max=500_000))
    assert _filled(result, "A1").code == "reason.cap.per_applicant_alone"
    assert _filled(result, "A1").params["already"] == 0
    assert reasons_text(result.by_id()["A1"], "en").startswith(
        "Organisation 974760673 may receive at most NOK 500,000 in all, less than this "
        "application's eligible amount: capped at NOK 500,000."
    )
    assert reasons_text(result.by_id()["A1"], "nb").startswith(
        "Organisasjon 974760673 kan få høyst 500 000 kr til sammen, mindre enn det "
        "tilskuddsberettigede beløpet til denne søknaden: begrenset til 500 000 kr."
    )
    # On the round_to grid the maximum leaves less than min_award: left out, saying so.
    grid = Policy(per_applicant_max=500_000, round_to=300_000, min_award=400_000)
    small = allocate(apps, 5_000_000, grid)
    assert _filled(small, "A1").code == "reason.ineligible.per_applicant_alone"
    assert reasons_text(small.by_id()["A1"], "en").endswith(
        "Rounded down to a whole multiple of NOK 300,000. Organisation 974760673 may receive at "
        "most NOK 500,000 in all, too little for a grant."
    )


def test_one_funded_first_for_a_quota_is_named_first(make_application: MakeApp) -> None:
    """A2 is ranked below A1 but funded first, for the category's minimum: A1, cut by the
    maximum after it, names A2 as what filled it; and A3, left out after both, names them in
    the order they were funded, not in rank order."""
    apps = [
        make_application(id="A1", requested=500_000, orgnr=ORG, score=Decimal(9), category="K"),
        make_application(id="A2", requested=600_000, orgnr=ORG, score=Decimal(5), category="N"),
        make_application(id="A3", requested=300_000, orgnr=ORG, score=Decimal(4), category="K"),
    ]
    policy = Policy(
        per_applicant_max=1_000_000, quotas=[Quota(by="category", value="N", min_count=1)]
    )
    result = allocate(apps, 5_000_000, policy)
    assert [result.by_id()[i].amount for i in ("A1", "A2", "A3")] == [400_000, 600_000, 0]
    a1, a3 = _filled(result, "A1"), _filled(result, "A3")
    assert (a1.code, a1.params["funded"]) == ("reason.cap.per_applicant_in_round", ["A2"])
    assert (a3.code, a3.params["funded"]) == (
        "reason.ineligible.per_applicant_in_round",
        ["A2", "A1"],
    )


def test_the_lottery_names_them_in_the_order_drawn(make_application: MakeApp) -> None:
    apps = [
        make_application(id=f"L{i}", requested=300_000, orgnr=ORG, score=Decimal(5))
        for i in range(1, 5)
    ]
    policy = Policy(rule="lottery", seed=7, per_applicant_max=700_000)
    result = allocate(apps, 650_000, policy)
    drawn = draw_order(7, [a.id for a in apps])
    assert drawn == ["L2", "L4", "L3", "L1"]
    # The first two drawn had 300 000 each: the two drawn after them are cut to 100 000
    # (which the 50 000 left of the budget does not cover), and say by which.
    for app_id in ("L3", "L1"):
        cut = _filled(result, app_id)
        assert cut.code == "reason.cap.per_applicant_in_round"
        assert cut.params["funded"] == ["L2", "L4"]


@pytest.mark.parametrize("code", ["reason.cap.per_applicant", "reason.ineligible.per_applicant"])
def test_a_reason_recorded_before_names_nothing_and_still_reads(code: str) -> None:
    """Rounds committed before 2026-11-30 hold the plain codes: history says them as then."""
    params = {"orgnr": ORG, "max": 500_000, "already": 500_000, "cap": 0, "left": 0}
    recorded = [{"code": code, "params": params}]
    text = recorded_decision_text(recorded, "not_funded", "en").replace("\u00a0", " ")
    assert "?" not in text
    assert "already been awarded NOK 500,000" in text


@settings(deadline=None, max_examples=150)
@given(data=st.data())
def test_the_named_awards_are_what_filled_the_maximum(data: st.DataObject) -> None:
    """Each application named was funded, is of the same organisation and came before; what
    the reason says of this round and earlier rounds adds up to what the organisation had."""
    rule = data.draw(st.sampled_from(["ranked", "lottery"]))
    apps = data.draw(applications(max_size=20))
    policy = data.draw(policies(rule))
    most = data.draw(st.integers(1, 3_000_000))
    policy = policy.model_copy(
        update={
            "per_applicant_max": max(most, policy.min_award, policy.round_to),
            "seed": 3 if rule == "lottery" else None,
        }
    )
    prior = data.draw(st.dictionaries(st.sampled_from(ORGS), st.integers(0, 3_000_000)))
    budget = data.draw(budgets(apps))
    result = allocate(apps, budget, policy, prior_by_orgnr=prior or None)
    assert_renders(result)
    by_id = result.by_id()
    org_of = {a.id: a.organisation for a in apps}
    for decision in result.decisions:
        for reason in decision.reasons:
            if reason.code not in PER_APPLICANT_CODES:
                continue
            params = reason.params
            org = params["orgnr"]
            assert org == org_of[decision.application_id]
            assert isinstance(org, str)
            earlier = prior.get(org, 0)
            assert params.get("earlier", 0) == earlier
            funded = params.get("funded", [])
            assert isinstance(funded, list)
            assert decision.application_id not in funded
            assert len(set(funded)) == len(funded)
            for app_id in funded:
                assert org_of[app_id] == org
                assert by_id[app_id].amount > 0
            this_round = params.get("this_round", 0)
            assert params["already"] == earlier + this_round
            of_org = sum(d.amount for d in result.decisions if org_of[d.application_id] == org)
            assert isinstance(this_round, int)
            assert this_round <= of_org - decision.amount
            if reason.code.endswith("_many"):
                count = params["count"]
                assert isinstance(count, int)
                assert len(funded) == PER_APPLICANT_NAMED < count - 1
                assert sum(by_id[i].amount for i in funded) < this_round
            else:
                assert "count" not in params
                assert sum(by_id[i].amount for i in funded) == this_round
            if not funded:
                assert this_round == 0
                assert reason.code.endswith((".per_applicant", "_alone")) == (earlier == 0)
                assert reason.code.endswith("_alone") == (reason.params["already"] == 0)
