"""Example tests for how ``proportional`` counts claims under ``per_applicant_max``: past an
application without an organisation number, a claim that fills the maximum exactly, and which
claims a tie cut (only one cut after another claim of its own tie, same organisation and rank,
counted first by its id; not one cut by what its organisation had in earlier rounds, which says
so plainly, with no tie note; a claim ranked above the tie: test_proportional.py). Before
these, mistakes here were caught only by the Hypothesis property (test_proportional.py), after
about one to six minutes of examples on a loaded machine."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tilskudd.models import Allocation, Application, Policy
from tilskudd.rules import allocate

MakeApp = Callable[..., Application]
ORG = "974760673"
POLICY = Policy(rule="proportional", per_applicant_max=150_000)


def _apps(make_application: MakeApp, rows: list[tuple[str, str | None, int]]) -> list[Application]:
    return [
        make_application(
            id=app_id, requested=100_000, score=Decimal(score), orgnr=orgnr, total_cost=None
        )
        for app_id, orgnr, score in rows
    ]


def _cut(result: Allocation, app_id: str) -> tuple[str, int | None, dict[str, object]]:
    decision = result.by_id()[app_id]
    reason = decision.reasons[0]
    return reason.code, decision.eligible_amount, dict(reason.params)


def _tie_notes(result: Allocation) -> list[str]:
    return [n.code for n in result.notes if n.code == "note.proportional.tie_per_applicant"]


def test_a_tied_claim_cut_by_earlier_rounds_is_not_cut_by_its_tie(
    make_application: MakeApp,
) -> None:
    # A1 (of ORG) and B share rank 1; ORG had 90 000 in earlier rounds, so A1's claim is cut
    # to 150 000 - 90 000 = 60 000. No claim of its tie came before it: not a tie cut.
    apps = _apps(make_application, [("A1", ORG, 5), ("B", None, 5), ("C", None, 4)])
    result = allocate(apps, 1_000_000, POLICY, prior_by_orgnr={ORG: 90_000})
    assert _cut(result, "A1") == (
        "reason.cap.per_applicant_claim",
        60_000,
        {"orgnr": ORG, "max": 150_000, "already": 90_000, "cap": 60_000, "earlier": 1, "ranked": 1},
    )
    assert result.by_id()["A1"].amount == 60_000
    assert _tie_notes(result) == []


def test_claims_after_an_application_without_orgnr_are_still_counted(
    make_application: MakeApp,
) -> None:
    # B (no organisation number) is ranked first; A1 and A2 of ORG claim 100 000 each under a
    # maximum of 150 000, so A2's claim is cut to 50 000 (an application without orgnr is
    # passed over, not the end of the counting).
    apps = _apps(make_application, [("B", None, 9), ("A1", ORG, 5), ("A2", ORG, 4)])
    result = allocate(apps, 1_000_000, POLICY)
    assert _cut(result, "A2") == (
        "reason.cap.per_applicant_claim",
        50_000,
        {
            "orgnr": ORG,
            "max": 150_000,
            "already": 100_000,
            "cap": 50_000,
            "earlier": 0,
            "ranked": 1,
        },
    )
    assert {d.application_id: d.amount for d in result.decisions} == {
        "B": 100_000,
        "A1": 100_000,
        "A2": 50_000,
    }


def test_a_claim_that_fills_the_maximum_exactly_is_not_cut(make_application: MakeApp) -> None:
    # A1 claims 100 000 and A2 50 000 of ORG's 150 000: A2 fits exactly, and neither is cut.
    apps = [
        *_apps(make_application, [("A1", ORG, 5)]),
        make_application(id="A2", requested=50_000, score=Decimal(4), orgnr=ORG, total_cost=None),
    ]
    result = allocate(apps, 1_000_000, POLICY)
    assert {d.application_id: (d.amount, d.eligible_amount) for d in result.decisions} == {
        "A1": (100_000, 100_000),
        "A2": (50_000, 50_000),
    }
    assert [r.code for r in result.by_id()["A2"].reasons] == ["reason.proportional.full"]


def _claim_reason(result: Allocation, app_id: str, lang: str) -> str:
    from tilskudd.wording import reason_text

    return reason_text(result.by_id()[app_id].reasons[0], lang)


def test_a_claim_cut_in_a_round_without_earlier_rounds_says_none(
    make_application: MakeApp,
) -> None:
    """A2's claim is cut by A1's, ranked above it: the reason named "its awards in earlier
    rounds" too, in a round that had none, a statement an appeal would find untrue."""
    apps = _apps(make_application, [("A1", ORG, 5), ("A2", ORG, 4)])
    result = allocate(apps, 1_000_000, POLICY)
    assert _cut(result, "A2")[2] == {
        "orgnr": ORG,
        "max": 150_000,
        "already": 100_000,
        "cap": 50_000,
        "earlier": 0,
        "ranked": 1,
    }
    assert _claim_reason(result, "A2", "en") == (
        "Organisation 974760673 may receive at most NOK\xa0150,000 in all, and the claims of its "
        "applications ranked above this one (their eligible amounts, counted before the shares "
        "are worked out) come to NOK\xa0100,000: claim capped at NOK\xa050,000"
    )
    assert _claim_reason(result, "A2", "nb") == (
        "Organisasjon 974760673 kan få høyst 150\xa0000\xa0kr til sammen, og kravene fra "
        "søknadene dens som er rangert over denne (de tilskuddsberettigede beløpene deres, "
        "regnet med før andelene beregnes), utgjør 100\xa0000\xa0kr: kravet er begrenset til "
        "50\xa0000\xa0kr"
    )
    earlier = allocate(apps, 1_000_000, POLICY, prior_by_orgnr={ORG: 10_000})
    assert "its awards in earlier rounds and the claims" in _claim_reason(earlier, "A2", "en")
    assert "tildelingene dens i tidligere runder og kravene" in _claim_reason(earlier, "A2", "nb")


def test_a_claim_cut_where_nothing_is_ranked_says_the_id_order(
    make_application: MakeApp,
) -> None:
    """The Research Council's applications have no score: 226090 of Chr. Michelsen Institute
    was left nothing by "the claims of its applications ranked above this one", where nothing
    was ranked and the claims were counted by id."""
    apps = [
        make_application(id=app_id, requested=100_000, score=None, orgnr=ORG, total_cost=None)
        for app_id in ("A1", "A2")
    ]
    result = allocate(apps, 1_000_000, POLICY)
    assert (_cut(result, "A2")[2]["earlier"], _cut(result, "A2")[2]["ranked"]) == (0, 0)
    assert "the claims of its applications before this one by id, as no application has a " in (
        _claim_reason(result, "A2", "en")
    )
    assert "kravene fra søknadene dens som kommer før denne etter søknadsnummer, siden ingen " in (
        _claim_reason(result, "A2", "nb")
    )
