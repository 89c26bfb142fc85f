"""What took an organisation's ``per_applicant_max`` under ``optimal``: an application the
maximum leaves out says what the organisation had before this round (earlier rounds, the
officer's decisions to fund in this round) and which of its other applications the selection
funds, named as ``ranked`` names them."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tilskudd.models import Allocation, Application, Policy, Reason
from tilskudd.rules import allocate
from tilskudd.rules.common import PER_APPLICANT_NAMED
from tilskudd.wording import recorded_decision_text

from .strategies import ORGS, applications, assert_renders, budgets, policies
from .words import reasons_text

MakeApp = Callable[..., Application]
ORG = "974760673"
HELD = frozenset(
    f"reason.optimal.per_applicant{said}"
    for said in ("", "_alone", "_earlier", "_officer", "_earlier_officer")
)
SELECTED = frozenset(
    {"reason.optimal.per_applicant_selected", "reason.optimal.per_applicant_selected_many"}
)


BY_SELECTION = "reason.optimal.per_applicant_by_selection"
BY_SELECTION_ALL = frozenset(
    f"{BY_SELECTION}{said}" for said in ("", "_earlier", "_officer", "_earlier_officer")
)


def _reason(result: Allocation, app_id: str, codes: frozenset[str]) -> Reason:
    (reason,) = [r for r in result.by_id()[app_id].reasons if r.code in codes]
    return reason


def _app(make_application: MakeApp, app_id: str, requested: int, score: int) -> Application:
    return make_application(id=app_id, requested=requested, orgnr=ORG, score=Decimal(score))


def test_the_selection_of_the_organisations_other_applications_is_named(
    make_application: MakeApp,
) -> None:
    apps = [
        _app(make_application, "A1", 200_000, 9),
        _app(make_application, "A2", 200_000, 8),
        _app(make_application, "A3", 600_000, 7),
    ]
    result = allocate(apps, 5_000_000, Policy(rule="optimal", per_applicant_max=500_000))
    # A3 asks for more than the maximum itself: the reason says only the maximum, and beside
    # it what the selection gives the organisation's other applications.
    held = _reason(result, "A3", HELD)
    assert held.code == "reason.optimal.per_applicant_alone"
    assert held.params["already"] == 0
    selected = _reason(result, "A3", SELECTED)
    assert selected.code == "reason.optimal.per_applicant_selected"
    assert selected.params == {"orgnr": ORG, "this_round": 400_000, "funded": ["A1", "A2"]}
    assert reasons_text(result.by_id()["A3"], "en").endswith(
        "The best selection funds A1 and A2 of organisation 974760673 with NOK 400,000 in this "
        "round."
    )
    assert reasons_text(result.by_id()["A3"], "nb").endswith(
        "Det beste utvalget innvilger A1 og A2 fra organisasjon 974760673 med 400 000 kr i denne "
        "runden."
    )


def test_one_the_selection_leaves_out_for_its_organisations_maximum_says_so(
    make_application: MakeApp,
) -> None:
    """A1 and A2 fit under the organisation's 500 000 together; A3 (200 000) would take it past
    it, so the selection leaves it out though the budget has room. It said only "not in the best
    selection"; now it says what the organisation would have with it, and what was selected."""
    apps = [
        _app(make_application, "A1", 200_000, 9),
        _app(make_application, "A2", 200_000, 8),
        _app(make_application, "A3", 200_000, 7),
    ]
    result = allocate(apps, 5_000_000, Policy(rule="optimal", per_applicant_max=500_000))
    a3 = result.by_id()["A3"]
    assert (a3.amount, a3.eligible_amount) == (0, 200_000)
    assert [r.code for r in a3.reasons] == [
        "reason.optimal.not_selected",
        BY_SELECTION,
        "reason.optimal.per_applicant_selected",
    ]
    assert a3.reasons[1].params == {
        "orgnr": ORG,
        "max": 500_000,
        "needed": 200_000,
        "total": 600_000,
    }
    assert a3.reasons[2].params == {"orgnr": ORG, "this_round": 400_000, "funded": ["A1", "A2"]}
    assert (
        "With the NOK 200,000 this application needs, organisation 974760673 would have "
        "NOK 600,000 in all, more than the NOK 500,000 one organisation may receive "
        "(per_applicant_max). The best selection funds A1 and A2 of organisation 974760673 with "
        "NOK 400,000 in this round." in reasons_text(a3, "en")
    )
    assert (
        "Med de 200 000 kr søknaden trenger, ville organisasjon 974760673 fått 600 000 kr i alt, "
        "mer enn de 500 000 kr én organisasjon kan få (per_applicant_max)."
        in reasons_text(a3, "nb")
    )
    # With earlier rounds the total counts them: 200 000 + 400 000 + 200 000, and the reason
    # says the earlier rounds' part apart from the selection's (said in the reason after it).
    later = allocate(
        apps,
        5_000_000,
        Policy(rule="optimal", per_applicant_max=700_000),
        prior_by_orgnr={ORG: 200_000},
    )
    a3 = later.by_id()["A3"]
    assert a3.amount == 0
    assert a3.reasons[1].code == f"{BY_SELECTION}_earlier"
    assert a3.reasons[1].params == {
        "orgnr": ORG,
        "max": 700_000,
        "needed": 200_000,
        "total": 800_000,
        "earlier": 200_000,
    }
    assert a3.reasons[2].params["this_round"] == 400_000
    assert (
        "Organisation 974760673 received NOK 200,000 in earlier rounds; with the best selection "
        "in this round and the NOK 200,000 this application needs, it would have NOK 800,000 in "
        "all, more than the NOK 700,000 one organisation may receive (per_applicant_max). The "
        "best selection funds A1 and A2 of organisation 974760673 with NOK 400,000 in this "
        "round." in reasons_text(a3, "en")
    )
    assert (
        "Organisasjon 974760673 fikk 200 000 kr i tidligere runder; med det beste utvalget i "
        "denne runden og de 200 000 kr søknaden trenger, ville den fått 800 000 kr i alt, mer "
        "enn de 700 000 kr én organisasjon kan få (per_applicant_max)." in reasons_text(a3, "nb")
    )


def test_one_left_out_by_the_budget_alone_says_nothing_of_the_maximum(
    make_application: MakeApp,
) -> None:
    """The budget, not the maximum, leaves A3 out: with it the organisation would still be
    under its maximum, so only "not in the best selection"."""
    apps = [
        _app(make_application, "A1", 200_000, 9),
        _app(make_application, "A2", 200_000, 8),
        _app(make_application, "A3", 200_000, 7),
    ]
    result = allocate(apps, 400_000, Policy(rule="optimal", per_applicant_max=900_000))
    a3 = result.by_id()["A3"]
    assert [r.code for r in a3.reasons] == ["reason.optimal.not_selected"]


def test_earlier_rounds_are_said_with_their_amount(make_application: MakeApp) -> None:
    apps = [_app(make_application, "A1", 150_000, 9), _app(make_application, "A2", 250_000, 8)]
    policy = Policy(rule="optimal", per_applicant_max=500_000)
    result = allocate(apps, 5_000_000, policy, prior_by_orgnr={ORG: 300_000})
    held = _reason(result, "A2", HELD)
    assert held.code == "reason.optimal.per_applicant_earlier"
    assert held.params == {
        "orgnr": ORG,
        "max": 500_000,
        "already": 300_000,
        "left": 200_000,
        "needed": 250_000,
        "earlier": 300_000,
    }
    assert reasons_text(result.by_id()["A2"], "en") == (
        "Organisation 974760673 may receive at most NOK 500,000 in all and has already been "
        "awarded NOK 300,000 in earlier rounds; the NOK 200,000 left is less than the NOK "
        "250,000 this application needs, and this rule funds whole eligible amounts only. "
        "The best selection funds A1 of organisation 974760673 with NOK 150,000 in this round."
    )
    assert reasons_text(result.by_id()["A2"], "nb").startswith(
        "Organisasjon 974760673 kan få høyst 500 000 kr til sammen og er allerede tildelt "
        "300 000 kr i tidligere runder; de 200 000 kr som er igjen, er mindre enn de 250 000 kr"
    )


def test_many_are_counted_and_the_first_few_named_in_rank_order(
    make_application: MakeApp,
) -> None:
    apps = [_app(make_application, f"A{i}", 100_000, 20 - i) for i in range(1, 7)]
    apps.append(_app(make_application, "A7", 1_200_000, 30))  # the best score, too large
    result = allocate(apps, 5_000_000, Policy(rule="optimal", per_applicant_max=1_000_000))
    selected = _reason(result, "A7", SELECTED)
    assert selected.code == "reason.optimal.per_applicant_selected_many"
    assert selected.params == {
        "orgnr": ORG,
        "this_round": 600_000,
        "funded": [f"A{i}" for i in range(1, PER_APPLICANT_NAMED + 1)],
        "count": 6,
    }
    assert reasons_text(result.by_id()["A7"], "en").endswith(
        "The best selection funds 6 applications of organisation 974760673 with NOK 600,000 in "
        "this round, among them A1, A2 and A3."
    )
    # One more than the few is named rather than counted.
    four = allocate(
        [*apps[:4], apps[-1]], 5_000_000, Policy(rule="optimal", per_applicant_max=1_000_000)
    )
    assert _reason(four, "A7", SELECTED).params["funded"] == ["A1", "A2", "A3", "A4"]
    assert "count" not in _reason(four, "A7", SELECTED).params


def _officer_funds(app: Application, amount: int) -> Application:
    """``app`` funded by the officer's own decision (a manual override)."""
    update = {"decision": "fund", "decision_amount": amount, "decision_reason": "Vedtatt"}
    return app.model_copy(update=update)


def test_the_officers_decisions_are_said_as_this_rounds_not_earlier_rounds(
    make_application: MakeApp,
) -> None:
    apps = [
        _officer_funds(_app(make_application, "A7", 300_000, 1), 300_000),
        _app(make_application, "A2", 250_000, 9),
        _app(make_application, "A3", 100_000, 8),
    ]
    policy = Policy(rule="optimal", per_applicant_max=500_000)
    result = allocate(apps, 5_000_000, policy)
    held = _reason(result, "A2", HELD)
    assert held.code == "reason.optimal.per_applicant_officer"
    assert held.params == {
        "orgnr": ORG,
        "max": 500_000,
        "already": 300_000,
        "left": 200_000,
        "needed": 250_000,
        "officer": ["A7"],
        "officer_count": 1,
        "officer_amount": 300_000,
    }
    assert reasons_text(result.by_id()["A2"], "en") == (
        "Organisation 974760673 may receive at most NOK 500,000 in all and has already been "
        "awarded NOK 300,000 by the officer's decision on A7 in this round; the NOK 200,000 "
        "left is less than the NOK 250,000 this application needs, and this rule funds whole "
        "eligible amounts only. The best selection funds A3 of organisation 974760673 with "
        "NOK 100,000 in this round."
    )
    assert reasons_text(result.by_id()["A2"], "nb").startswith(
        "Organisasjon 974760673 kan få høyst 500 000 kr til sammen og er allerede tildelt "
        "300 000 kr ved saksbehandlers vedtak om A7 i denne runden; de 200 000 kr som er igjen"
    )
    # With earlier rounds too, each part is said for what it is.
    later = allocate(apps, 5_000_000, policy, prior_by_orgnr={ORG: 50_000})
    held = _reason(later, "A2", HELD)
    assert held.code == "reason.optimal.per_applicant_earlier_officer"
    assert (held.params["already"], held.params["earlier"]) == (350_000, 50_000)
    assert (held.params["officer"], held.params["officer_amount"]) == (["A7"], 300_000)
    assert (
        "has already been awarded NOK 350,000 (NOK 50,000 in earlier rounds, NOK 300,000 by the "
        "officer's decision on A7 in this round); the NOK 150,000 left"
    ) in reasons_text(later.by_id()["A2"], "en")
    assert (
        "er allerede tildelt 350 000 kr (50 000 kr i tidligere runder, 300 000 kr ved "
        "saksbehandlers vedtak om A7 i denne runden)"
    ) in reasons_text(later.by_id()["A2"], "nb")


def test_one_the_selection_leaves_out_says_the_officers_decisions_apart(
    make_application: MakeApp,
) -> None:
    """The officer funds A7 (100 000); the selection funds A1 and A2 (200 000 each); A3 would
    take the organisation past its 600 000. The reason said "would have 700 000 in all" with
    the officer's decision inside it unsaid; now it names the decision and its amount, and,
    with earlier rounds, their part too."""
    apps = [
        _officer_funds(_app(make_application, "A7", 100_000, 1), 100_000),
        _app(make_application, "A1", 200_000, 9),
        _app(make_application, "A2", 200_000, 8),
        _app(make_application, "A3", 200_000, 7),
    ]
    result = allocate(apps, 5_000_000, Policy(rule="optimal", per_applicant_max=600_000))
    a3 = result.by_id()["A3"]
    assert a3.amount == 0
    (passed,) = [r for r in a3.reasons if r.code in BY_SELECTION_ALL]
    assert passed.code == f"{BY_SELECTION}_officer"
    assert passed.params == {
        "orgnr": ORG,
        "max": 600_000,
        "needed": 200_000,
        "total": 700_000,
        "officer": ["A7"],
        "officer_count": 1,
        "officer_amount": 100_000,
    }
    assert (
        "The officer's decision on A7 in this round gives organisation 974760673 NOK 100,000; "
        "with the best selection and the NOK 200,000 this application needs, it would have "
        "NOK 700,000 in all, more than the NOK 600,000 one organisation may receive "
        "(per_applicant_max). The best selection funds A1 and A2 of organisation 974760673 with "
        "NOK 400,000 in this round." in reasons_text(a3, "en")
    )
    assert (
        "Saksbehandlers vedtak om A7 i denne runden gir organisasjon 974760673 100 000 kr; med "
        "det beste utvalget og de 200 000 kr søknaden trenger, ville den fått 700 000 kr i alt"
        in reasons_text(a3, "nb")
    )
    later = allocate(
        apps,
        5_000_000,
        Policy(rule="optimal", per_applicant_max=650_000),
        prior_by_orgnr={ORG: 50_000},
    )
    a3 = later.by_id()["A3"]
    (passed,) = [r for r in a3.reasons if r.code in BY_SELECTION_ALL]
    assert passed.code == f"{BY_SELECTION}_earlier_officer"
    assert (passed.params["earlier"], passed.params["officer_amount"]) == (50_000, 100_000)
    assert passed.params["total"] == 750_000
    assert (
        "Organisation 974760673 received NOK 50,000 in earlier rounds, and the officer's "
        "decision on A7 in this round gives it NOK 100,000; with the best selection"
        in reasons_text(a3, "en")
    )
    assert (
        "Organisasjon 974760673 fikk 50 000 kr i tidligere runder, og saksbehandlers vedtak om "
        "A7 i denne runden gir den 100 000 kr; med det beste utvalget" in reasons_text(a3, "nb")
    )


def test_nothing_selected_of_the_organisation_names_nothing(make_application: MakeApp) -> None:
    apps = [_app(make_application, "A1", 600_000, 9)]
    result = allocate(apps, 5_000_000, Policy(rule="optimal", per_applicant_max=500_000))
    codes = [r.code for r in result.by_id()["A1"].reasons]
    assert codes == ["reason.optimal.per_applicant_alone"]


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_a_reason_recorded_before_still_reads(lang: str) -> None:
    """Rounds committed before 2026-11-30 hold the plain code, with what it had then."""
    params = {"orgnr": ORG, "max": 500_000, "already": 300_000, "left": 200_000, "needed": 250_000}
    recorded = [{"code": "reason.optimal.per_applicant", "params": params}]
    text = recorded_decision_text(recorded, "not_funded", lang).replace("\u00a0", " ")
    assert "?" not in text
    assert ("300 000 kr" if lang == "nb" else "NOK 300,000") in text


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_the_reasons_say_is_what_the_selection_did(data: st.DataObject) -> None:
    """The applications named are the organisation's funded ones, in rank order, and add up to
    what the reason says; earlier rounds are said as what the organisation had then."""
    apps = data.draw(applications(max_size=12))
    policy = data.draw(policies("optimal"))
    most = data.draw(st.integers(1, 3_000_000))
    policy = policy.model_copy(
        update={"per_applicant_max": max(most, policy.min_award, policy.round_to)}
    )
    prior = data.draw(st.dictionaries(st.sampled_from(ORGS), st.integers(0, 3_000_000)))
    result = allocate(apps, data.draw(budgets(apps)), policy, prior_by_orgnr=prior or None)
    assert_renders(result)
    org_of = {a.id: a.organisation for a in apps}
    order = [d.application_id for d in result.decisions]
    for decision in result.decisions:
        codes = [r.code for r in decision.reasons]
        held = [r for r in decision.reasons if r.code in HELD]
        selected = [r for r in decision.reasons if r.code in SELECTED]
        if not held:
            by_selection = [r for r in decision.reasons if r.code in BY_SELECTION_ALL]
            if not by_selection:
                assert not selected
                continue
            # Left out of the selection; its organisation could not take it beside what the
            # selection funds of it, counting what it had before the rule.
            (passed,) = by_selection
            org = org_of[decision.application_id]
            assert isinstance(org, str)
            funded = [
                d for d in result.decisions if org_of[d.application_id] == org and d.amount > 0
            ]
            assert decision.amount == 0
            assert codes.index(passed.code) == codes.index("reason.optimal.not_selected") + 1
            total = prior.get(org, 0) + sum(d.amount for d in funded) + decision.eligible_amount
            assert passed.params["total"] == total
            # What it had before the selection is said apart: earlier rounds, with their amount.
            if prior.get(org, 0):
                assert passed.code == f"{BY_SELECTION}_earlier"
                assert passed.params["earlier"] == prior[org]
            else:
                assert passed.code == BY_SELECTION
                assert "earlier" not in passed.params
            assert total > (policy.per_applicant_max or 0)
            (said,) = selected
            assert said.params["this_round"] == sum(d.amount for d in funded)
            continue
        assert decision.amount == 0
        (reason,) = held
        org = org_of[decision.application_id]
        assert reason.params["orgnr"] == org
        assert isinstance(org, str)
        earlier = prior.get(org, 0)
        assert reason.params["already"] == earlier
        assert reason.code == (
            "reason.optimal.per_applicant_earlier"
            if earlier
            else "reason.optimal.per_applicant_alone"
        )
        funded = [d for d in result.decisions if org_of[d.application_id] == org and d.amount > 0]
        if not funded:
            assert not selected
            continue
        (said,) = selected
        assert codes.index(said.code) == codes.index(reason.code) + 1
        assert said.params["this_round"] == sum(d.amount for d in funded)
        ids = [
            d.application_id for d in sorted(funded, key=lambda d: order.index(d.application_id))
        ]
        if len(ids) > PER_APPLICANT_NAMED + 1:
            assert said.params["funded"] == ids[:PER_APPLICANT_NAMED]
            assert said.params["count"] == len(ids)
        else:
            assert said.params["funded"] == ids
            assert "count" not in said.params
