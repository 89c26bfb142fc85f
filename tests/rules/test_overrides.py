"""Manual overrides (tilskudd.rules.overrides): applied first, for every rule, and shown in every
output with the officer's reason."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from tilskudd.errors import OverrideError, PolicyError
from tilskudd.export import write
from tilskudd.export.csv import rows as csv_rows
from tilskudd.export.json import to_data
from tilskudd.i18n import get
from tilskudd.models import Allocation, Application, Policy, Quota, Reason, RoundResult, Status
from tilskudd.render.allocation import render_result
from tilskudd.rules import RULES, allocate
from tilskudd.rules.overrides import override_amounts
from tilskudd.wording import OVERRIDE_MARK, reason_text

from .strategies import applications, check_invariants, policies

MakeApp = Callable[..., Application]
F, P, N, R = Status.FUNDED, Status.PARTLY_FUNDED, Status.NOT_FUNDED, Status.RESERVE

OFFICER = "Strategisk viktig for regionen; jf. styrets vedtak 12/09"


def override(
    app: Application, decision: str, amount: int | None = None, reason: str = OFFICER
) -> Application:
    """``app`` with an officer's decision."""
    return app.model_copy(
        update={"decision": decision, "decision_amount": amount, "decision_reason": reason}
    )


def by_id(result: Allocation) -> dict[str, tuple[Status, int]]:
    return {d.application_id: (d.status, d.amount) for d in result.decisions}


def test_overrides_first_then_the_rule_with_what_is_left(round6: list[Application]) -> None:
    apps = list(round6)
    apps[4] = override(apps[4], "fund", 60_000)  # S5, rank 5: funded by the officer, partly
    apps[0] = override(apps[0], "reject")  # S1, the best: rejected by the officer
    apps[5] = override(apps[5], "reserve")  # S6, the worst: first on the reserve list
    result = allocate(apps, 260_000, Policy(reserve=2))
    # 260k - 60k = 200k for the rule: S2 and S3 funded, S4 does not fit -> reserve no. 2.
    assert by_id(result) == {
        "S1": (N, 0),
        "S2": (F, 100_000),
        "S3": (F, 100_000),
        "S4": (R, 0),
        "S5": (P, 60_000),
        "S6": (R, 0),
    }
    assert result.awarded == 260_000
    assert result.unallocated == 0
    decisions = result.by_id()
    assert [d.application_id for d in result.decisions if d.override] == ["S1", "S5", "S6"]
    # Ranks are among all six, overrides included; the rule's reasons are renumbered to match.
    assert [d.rank for d in result.decisions] == [1, 2, 3, 4, 5, 6]
    funded = decisions["S2"].reasons[-1]
    assert (funded.code, funded.params["rank"]) == ("reason.funded.full", 2)
    exhausted = decisions["S4"].reasons[0]
    assert (exhausted.code, exhausted.params["rank"]) == ("reason.budget.exhausted", 4)
    # The officer's reserve comes first; the rule's own reserve list follows it.
    assert decisions["S6"].reasons[0].code == "reason.override.reserve"
    assert decisions["S6"].reasons[0].params == {"position": 1, "text": OFFICER}
    assert decisions["S4"].reasons[-1].params == {"position": 2}
    assert decisions["S5"].reasons[0].params == {"amount": 60_000, "text": OFFICER}
    assert decisions["S1"].reasons[0].params == {"text": OFFICER}
    note = result.notes[-1]
    assert note.code == "note.override.applied"
    assert note.params == {
        "count": 3,
        "funded": 1,
        "amount": 60_000,
        "rejected": 1,
        "reserve": 1,
        "remaining": 200_000,
    }


def test_fund_override_status_against_the_eligible_amount(make_application: MakeApp) -> None:
    # Eligible 200k (20 % of 1M): 200k is "funded", 150k "partly funded", 300k is above the caps.
    policy = Policy(max_share_of_cost=Decimal("0.2"))
    apps = [
        override(make_application(id=f"A{i}", requested=400_000, total_cost=1_000_000), "fund", a)
        for i, a in enumerate((200_000, 150_000, 300_000))
    ]
    result = allocate(apps, 1_000_000, policy)
    assert by_id(result) == {"A0": (F, 200_000), "A1": (P, 150_000), "A2": (F, 300_000)}
    above = result.by_id()["A2"].reasons[-1]
    assert above.code == "reason.override.above_eligible"
    assert above.params == {"amount": 300_000, "eligible": 200_000}
    assert all(d.eligible_amount == 200_000 for d in result.decisions)


def test_fund_override_of_an_application_the_policy_would_not_fund(
    make_application: MakeApp,
) -> None:
    app = override(make_application(id="A", score=Decimal(1)), "fund", 10_000)
    result = allocate([app], 50_000, Policy(min_score=Decimal(3)))
    decision = result.by_id()["A"]
    assert (decision.status, decision.amount, decision.eligible_amount) == (F, 10_000, 0)
    assert [r.code for r in decision.reasons] == [
        "reason.override.fund",
        "reason.override.outside_policy",
    ]


def test_fund_override_counts_against_per_applicant_max(make_application: MakeApp) -> None:
    org = "974760673"
    apps = [
        override(make_application(id="A1", requested=300_000, orgnr=org, score=1), "fund", 250_000),
        make_application(id="A2", requested=300_000, orgnr=org, score=9),
    ]
    result = allocate(apps, 1_000_000, Policy(per_applicant_max=400_000))
    # The organisation may have 400k in all; the officer gave it 250k, so the rule gives 150k.
    assert by_id(result) == {"A1": (P, 250_000), "A2": (F, 150_000)}
    capped = result.by_id()["A2"].reasons[0]
    # The officer's award is this round's, said as the officer's, not an award of earlier rounds
    # nor one of the rule's.
    assert capped.code == "reason.cap.per_applicant_officer"
    assert capped.params["already"] == 250_000
    assert (capped.params["officer"], capped.params["officer_amount"]) == (["A1"], 250_000)
    assert "earlier" not in capped.params
    assert "funded" not in capped.params
    assert reason_text(capped, "en").replace("\xa0", " ") == (
        "Organisation 974760673 may receive at most NOK 400,000 in all and has already been"
        " awarded NOK 250,000 by the officer's decision on A1 in this round:"
        " capped at NOK 150,000"
    )
    assert reason_text(capped, "nb").replace("\xa0", " ") == (
        "Organisasjon 974760673 kan få høyst 400 000 kr til sammen og er allerede tildelt"
        " 250 000 kr ved saksbehandlers vedtak om A1 i denne runden: begrenset til 150 000 kr"
    )
    # With earlier rounds too, each is said as what it is: the officer's award is not one.
    later = allocate(
        apps, 1_000_000, Policy(per_applicant_max=400_000), prior_by_orgnr={org: 50_000}
    )
    capped = later.by_id()["A2"].reasons[0]
    assert capped.code == "reason.cap.per_applicant_earlier_officer"
    assert (capped.params["earlier"], capped.params["officer_amount"]) == (50_000, 250_000)
    assert capped.params["officer"] == ["A1"]
    assert "(NOK 50,000 in earlier rounds, NOK 250,000 by the officer's decision on A1 in" in (
        reason_text(capped, "en").replace("\xa0", " ")
    )


ORG_B = "974760673"


def _officer_and_rule(make_application: MakeApp, rule: str) -> list[Application]:
    """One organisation: the officer funds O1 (100 000); the rule funds R1 and R2 (ranked
    first, 200 000 each) and reaches per_applicant_max (600 000) at R3, which it cuts to 100 000,
    and R4 gets nothing."""
    return [
        override(
            make_application(id="O1", requested=100_000, orgnr=ORG_B, score=1), "fund", 100_000
        ),
        make_application(id="R1", requested=200_000, orgnr=ORG_B, score=9),
        make_application(id="R2", requested=200_000, orgnr=ORG_B, score=8),
        make_application(id="R3", requested=200_000, orgnr=ORG_B, score=7),
        make_application(id="R4", requested=200_000, orgnr=ORG_B, score=6),
    ]


@pytest.mark.parametrize("rule", ["ranked", "lottery"])
def test_the_officers_decision_is_said_apart_from_the_rules_awards(
    make_application: MakeApp, rule: str
) -> None:
    """Under ranked and the lottery a per_applicant_max reason says the officer's decision to
    fund as the officer's, with its amount, apart from the rule's own awards in the round (it
    named them together as "awarded … in this round, to O1, R1 and R2")."""
    apps = _officer_and_rule(make_application, rule)
    policy = Policy(rule=rule, per_applicant_max=600_000, seed=3)  # type: ignore[arg-type]
    result = allocate(apps, 2_000_000, policy)
    assert sum(d.amount for d in result.decisions) == 600_000
    cut = [r for d in result.decisions for r in d.reasons if "per_applicant" in r.code]
    assert {r.code for r in cut} == {
        "reason.cap.per_applicant_officer_and_round",
        "reason.ineligible.per_applicant_officer_and_round",
    }
    capped = next(r for r in cut if r.code.startswith("reason.cap."))
    assert capped.params["officer"] == ["O1"]
    assert capped.params["officer_amount"] == 100_000
    assert capped.params["this_round"] == 400_000
    assert capped.params["count"] == 2
    assert capped.params["more"] == 0
    assert "O1" not in capped.params["funded"]  # type: ignore[operator]
    en = reason_text(capped, "en").replace("\xa0", " ")
    assert "has already been awarded NOK 500,000 in this round (NOK 100,000 by the officer's" in en
    assert (
        "decision on O1, and NOK 400,000 by this rule to the 2 applications funded before this "
        "one, R1 and R2)" in en
    )
    nb = reason_text(capped, "nb").replace("\xa0", " ")
    assert (
        "(100 000 kr ved saksbehandlers vedtak om O1, og 400 000 kr etter denne regelen til de 2 "
        "søknadene som ble innvilget før denne, R1 og R2)" in nb
    )
    left_out = next(r for r in cut if r.code.startswith("reason.ineligible."))
    assert left_out.params["this_round"] == 500_000
    assert left_out.params["count"] == 3
    # With earlier rounds, they are said apart too.
    later = allocate(apps, 2_000_000, policy, prior_by_orgnr={ORG_B: 100_000})
    codes = {r.code for d in later.decisions for r in d.reasons if "per_applicant" in r.code}
    assert "reason.ineligible.per_applicant_earlier_officer_and_round" in codes
    left_out = next(
        r for d in later.decisions for r in d.reasons if r.code.startswith("reason.inel")
    )
    assert (left_out.params["earlier"], left_out.params["officer_amount"]) == (100_000, 100_000)
    en = reason_text(left_out, "en").replace("\xa0", " ")
    assert "(NOK 100,000 in earlier rounds; in this round NOK 100,000 by the officer's" in en


@pytest.mark.parametrize("kind", ["cap", "ineligible"])
@pytest.mark.parametrize("earlier", ["", "_earlier"])
def test_the_rules_awards_beside_the_officers_read_for_one_and_for_many(
    kind: str, earlier: str
) -> None:
    """One award of the rule before this one is named as the application, not counted as
    "1 application … R1"; past the first few, the count says how many and "among them" comes
    before the names."""
    code = f"reason.{kind}.per_applicant{earlier}_officer_and_round"
    params = {
        "orgnr": ORG_B,
        "max": 600_000,
        "already": 500_000,
        "earlier": 100_000,
        "cap": 100_000,
        "left": 100_000,
        "min_award": 0,
        "officer": ["O1"],
        "officer_count": 1,
        "officer_amount": 100_000,
        "this_round": 300_000,
    }
    one = Reason(code=code, params={**params, "funded": ["R1"], "count": 1, "more": 0})
    en = reason_text(one, "en").replace("\xa0", " ")
    nb = reason_text(one, "nb").replace("\xa0", " ")
    assert "NOK 300,000 by this rule to the application funded before this one, R1)" in en
    assert "300 000 kr etter denne regelen til søknaden som ble innvilget før denne, R1)" in nb
    assert "1 application" not in en
    assert "1 søknad" not in nb
    many = Reason(code=code, params={**params, "funded": ["R1", "R2", "R3"], "count": 6, "more": 1})
    en = reason_text(many, "en").replace("\xa0", " ")
    nb = reason_text(many, "nb").replace("\xa0", " ")
    assert "to the 6 applications funded before this one, among them R1, R2 and R3)" in en
    assert "til de 6 søknadene som ble innvilget før denne, blant dem R1, R2 og R3)" in nb


def test_proportional_not_eligible_says_the_officers_decision_apart(
    make_application: MakeApp,
) -> None:
    """proportional's "not eligible" under per_applicant_max (ranked's path) says the officer's
    decision as the officer's too: the officer gave the organisation all of its maximum."""
    apps = [
        override(
            make_application(id="O1", requested=300_000, orgnr=ORG_B, score=1), "fund", 300_000
        ),
        make_application(id="R1", requested=200_000, orgnr=ORG_B, score=9),
    ]
    policy = Policy(rule="proportional", per_applicant_max=300_000)
    result = allocate(apps, 1_000_000, policy)
    reason = result.by_id()["R1"].reasons[0]
    assert reason.code == "reason.ineligible.per_applicant_officer"
    assert (reason.params["officer"], reason.params["officer_amount"]) == (["O1"], 300_000)
    assert (
        reason_text(reason, "en")
        .replace("\xa0", " ")
        .startswith(
            "Organisation 974760673 has already been awarded NOK 300,000 by the officer's decision"
            " on O1 in this round, of its maximum of NOK 300,000"
        )
    )


def test_fund_override_past_per_applicant_max_says_so(make_application: MakeApp) -> None:
    """An officer's decision to fund that takes its organisation past per_applicant_max (with
    its awards of earlier rounds, or beside another decision to fund it) stands, and its reason
    says so, as the README promises for an amount above what the policy would allow; the
    decision that stays within it says nothing."""
    org, other = "974760673", "964338531"
    apps = [
        override(make_application(id="A1", requested=500_000, orgnr=org, score=5), "fund", 500_000),
        make_application(id="A2", requested=300_000, orgnr=org, score=9),
        override(
            make_application(id="B1", requested=300_000, orgnr=other, score=4), "fund", 150_000
        ),
        override(
            make_application(id="B2", requested=300_000, orgnr=other, score=3), "fund", 150_000
        ),
        override(
            make_application(id="C1", requested=100_000, orgnr=None, score=2), "fund", 100_000
        ),
    ]
    policy = Policy(per_applicant_max=400_000)
    result = allocate(apps, 2_000_000, policy, prior_by_orgnr={org: 100_000})
    assert by_id(result)["A1"] == (F, 500_000)
    said = {d.application_id: d.reasons[-1] for d in result.decisions}
    assert said["A1"] == (
        "reason.override.above_per_applicant_earlier",
        {
            "orgnr": org,
            "max": 400_000,
            "total": 600_000,
            "earlier": 100_000,
            "this_round": 500_000,
            "count": 1,
            "ids": ["A1"],
        },
    )
    assert said["B1"].code == said["B2"].code == "reason.override.fund"  # 300 000: within
    assert said["C1"].code == "reason.override.fund"  # in no organisation's total
    # The rule gives the organisation nothing more.
    assert by_id(result)["A2"] == (N, 0)
    # Two decisions that pass it only together, without earlier awards: each says so, naming
    # both.
    apps[2] = override(apps[2], "fund", 250_000)
    apps[3] = override(apps[3], "fund", 200_000)
    result = allocate(apps, 2_000_000, policy)
    for one in ("B1", "B2"):
        assert result.by_id()[one].reasons[-1] == (
            "reason.override.above_per_applicant",
            {"orgnr": other, "max": 400_000, "total": 450_000, "count": 2, "ids": ["B1", "B2"]},
        )
    reason = result.by_id()["B1"].reasons[-1]
    text = get("nb")(reason.code, **reason.params)
    assert "450 000" in text.replace("\u00a0", " ")
    assert "per_applicant_max" in text


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_takes_overrides(rule: str, round6: list[Application]) -> None:
    apps = [override(round6[0], "fund", 70_000), *round6[1:]]
    result = allocate(apps, 300_000, Policy(rule=rule, seed=7))  # type: ignore[arg-type]
    assert result.by_id()["S1"].amount == 70_000
    assert result.by_id()["S1"].override
    assert result.awarded + result.unallocated == 300_000
    # The rule alone on the rest, with the rest of the budget, decides the same amounts.
    alone = allocate(round6[1:], 230_000, Policy(rule=rule, seed=7))  # type: ignore[arg-type]
    assert {k: v for k, v in by_id(result).items() if k != "S1"} == by_id(alone)


# --- errors ------------------------------------------------------------------------------------


def test_override_without_a_reason_is_an_error(round6: list[Application]) -> None:
    apps = [override(round6[0], "reject", reason="  "), override(round6[1], "fund", 5, reason="")]
    with pytest.raises(OverrideError) as caught:
        allocate([*apps, *round6[2:]], 100_000, Policy())
    message = str(caught.value)
    assert "S1 (row 2): the decision 'reject' has no justification" in message
    assert "S2 (row 2): the decision 'fund' has no justification" in message
    assert "decision_reason" not in message


def test_overrides_breaking_the_budget_name_each_and_the_amounts(
    round6: list[Application],
) -> None:
    apps = [
        override(round6[0], "fund", 80_000),
        override(round6[1], "fund", 70_000),
        override(round6[2], "reject"),
        *round6[3:],
    ]
    with pytest.raises(OverrideError) as caught:
        allocate(apps, 100_000, Policy())
    message = str(caught.value)
    assert (
        "the manual overrides fund NOK\xa0150,000 in all, NOK\xa050,000 more than the budget of "
        "NOK\xa0100,000: S1 (row 2): NOK\xa080,000; S2 (row 2): NOK\xa070,000"
    ) in message
    assert "S3" not in message
    # The same problems in the officer's language, amounts as Norwegians write them.
    norsk = caught.value.text("nb")
    assert norsk.startswith("saksbehandlerens vedtak i arket kan ikke brukes:\n  - ")
    assert (
        "vedtakene i arket innvilger 150\xa0000\xa0kr til sammen, 50\xa0000\xa0kr mer enn rammen "
        "på 100\xa0000\xa0kr: S1 (rad 2): 80\xa0000\xa0kr; S2 (rad 2): 70\xa0000\xa0kr"
    ) in norsk


@pytest.mark.parametrize(
    ("decision", "amount", "expected"),
    [
        ("fund", None, "a decision to fund needs a decision amount above 0"),
        ("fund", 0, "a decision to fund needs a decision amount above 0"),
        ("fund", 100_001, "is more than the NOK\xa0100,000 applied for"),
        ("reject", 5_000, "a decision to reject awards nothing"),
    ],
)
def test_override_amount_problems(
    round6: list[Application], decision: str, amount: int | None, expected: str
) -> None:
    with pytest.raises(OverrideError, match=expected) as caught:
        allocate([override(round6[0], decision, amount), *round6[1:]], 1_000_000, Policy())
    assert "decision_amount" not in str(caught.value)


# --- properties ----------------------------------------------------------------------------------


@st.composite
def override_rounds(draw: st.DrawFn) -> tuple[list[Application], int, Policy]:
    rule = draw(st.sampled_from(sorted(RULES)))
    apps = draw(applications(max_size=14))
    budget = draw(st.integers(0, sum(a.requested for a in apps) + 1))
    left = budget
    out = []
    for app in apps:
        kind = draw(st.sampled_from([None, None, "fund", "reject", "reserve"]))
        if kind == "fund" and left > 0:
            amount = draw(st.integers(1, min(app.requested, left)))
            left -= amount
            app = override(app, "fund", amount, reason=f"grunn {app.id}")
        elif kind in ("reject", "reserve"):
            app = override(app, kind, reason=f"grunn {app.id}")
        out.append(app)
    policy = draw(policies(rule)).model_copy(update={"seed": 1})
    return out, budget, policy


@given(override_rounds())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_budget_holds_with_any_set_of_overrides(
    case: tuple[list[Application], int, Policy],
) -> None:
    apps, budget, policy = case
    result = allocate(apps, budget, policy)
    rest = [a for a in apps if a.decision is None]
    overridden = {a.id: a for a in apps if a.decision is not None}
    given_nok = sum(a.decision_amount or 0 for a in overridden.values())
    assert result.budget == budget
    assert result.awarded + result.unallocated == budget
    assert sorted(d.application_id for d in result.decisions) == sorted(a.id for a in apps)
    for d in result.decisions:
        app = overridden.get(d.application_id)
        assert d.override == (app is not None)
        if app is None:
            continue
        expected = {"fund": (app.decision_amount, d.status), "reject": (0, N), "reserve": (0, R)}
        assert (d.amount, d.status) == expected[app.decision or ""]
        assert app.decision_reason in str(d.reasons[0].params["text"])
    # The rest is exactly what the rule does alone with what the overrides left, the fund
    # overrides counted against each organisation's maximum.
    prior: dict[str, int] = {}
    if policy.per_applicant_max is not None:
        for a in overridden.values():
            if a.organisation and a.decision == "fund":
                prior[a.organisation] = prior.get(a.organisation, 0) + (a.decision_amount or 0)
    alone = RULES[policy.rule](rest, budget - given_nok, policy, prior_by_orgnr=prior or None)
    check_invariants(rest, budget - given_nok, policy, alone)
    rest_ids = {a.id for a in rest}
    assert {k: v for k, v in by_id(result).items() if k in rest_ids} == by_id(alone)
    # Ranks are over all applications, overridden or not, and follow the scores.
    scores = {a.id: a.score for a in apps}
    ranks = [(scores[d.application_id], d.rank) for d in result.decisions]
    assert all(rank is not None for _, rank in ranks)
    for score_a, rank_a in ranks:
        for score_b, rank_b in ranks:
            if score_a is not None and score_b is not None and score_a > score_b:
                assert rank_a is not None
                assert rank_b is not None
                assert rank_a < rank_b
    assert all(d.reasons for d in result.decisions)


def test_same_result_whatever_the_row_order(round6: list[Application]) -> None:
    apps = [override(round6[3], "fund", 10_000), override(round6[1], "reserve"), *round6[4:]]
    apps += [round6[0], round6[2]]
    policy = Policy(reserve=1)
    first = allocate(apps, 150_000, policy)
    again = allocate(list(reversed(apps)), 150_000, policy)
    assert first == again


# --- the officer's reason in every output -----------------------------------------------------


@pytest.fixture
def overridden_result(round6: list[Application]) -> RoundResult:
    apps = [override(round6[2], "fund", 55_000), *round6[:2], *round6[3:]]
    allocation = allocate(apps, 200_000, Policy())
    return RoundResult(
        allocation=allocation,
        applications=tuple(apps),
        tool_version="0.1.0",
        created=datetime(2026, 11, 28, tzinfo=UTC),
    )


def test_terminal_marks_the_override_and_shows_the_reason(overridden_result: RoundResult) -> None:
    console = Console(record=True, width=200, color_system=None)
    render_result(console, overridden_result, lang="nb")
    text = console.export_text()
    line = next(row for row in text.splitlines() if " S3 " in row)
    assert f"delvis innvilget {OVERRIDE_MARK}" in line
    assert "manuell overstyring" in line
    assert OFFICER in " ".join(text.split())
    assert f"{OVERRIDE_MARK} avgjort ved saksbehandlers manuelle overstyring" in text


def test_workbook_has_the_override_column(overridden_result: RoundResult, tmp_path: Path) -> None:
    path = tmp_path / "tildeling.xlsx"
    write(overridden_result, path, lang="nb")
    sheet = openpyxl.load_workbook(path)["Tildelinger"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    column = header.index("Overstyrt: saksbehandlers begrunnelse")
    by_app = {row[header.index("Søknadsnr.")]: row for row in rows[1:]}
    assert by_app["S3"][column] == OFFICER
    assert OFFICER in by_app["S3"][header.index("Begrunnelse")]
    assert by_app["S1"][column] is None


def test_csv_and_json_carry_the_reason(overridden_result: RoundResult) -> None:
    table = csv_rows(overridden_result, lang="en")
    header = table[0]
    s3 = next(row for row in table if row[header.index("ID")] == "S3")
    assert f"by manual override; the officer's reason: {OFFICER}" in str(s3[header.index("Reason")])
    data = to_data(overridden_result, lang="en")
    entry = next(a for a in data["applications"] if a["id"] == "S3")
    assert entry["override"] is True
    assert entry["officer_reason"] == OFFICER
    assert entry["reasons"][0]["code"] == "reason.override.fund"
    assert OFFICER in entry["reason_text"]


def test_csv_file_written_with_the_reason(overridden_result: RoundResult, tmp_path: Path) -> None:
    path = tmp_path / "tildeling.csv"
    write(overridden_result, path, lang="nb")
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    s3 = next(row for row in rows if "S3" in row)
    assert any(OFFICER in cell and "manuell overstyring" in cell for cell in s3)


def _arkiv(round6: list[Application]) -> list[Application]:
    return [a.model_copy(update={"category": "Arkiv"}) for a in round6]


@pytest.mark.parametrize("rule", ["ranked", "optimal", "lottery"])
def test_a_maximum_counts_the_officers_money(round6: list[Application], rule: str) -> None:
    """The officer gave the group 100k of its 150k: the rule may give it 50k more, not 150k."""
    apps = _arkiv(round6)
    apps[2] = override(apps[2], "fund", 100_000)
    quota = Quota(by="category", value="Arkiv", max_amount=150_000)
    policy = Policy(rule=rule, quotas=(quota,), seed=1)  # type: ignore[arg-type]
    result = allocate(apps, 300_000, policy)
    check_invariants(apps, 300_000, policy, result)
    assert sum(d.amount for d in result.decisions) <= 150_000
    assert by_id(result)["S3"] == (Status.FUNDED, 100_000)
    # Every application is 100k: none fits in the 50k left under the maximum.
    assert sum(d.amount for d in result.decisions if not d.override) == 0
    if rule != "optimal":
        blocked = result.by_id()["S1"].reasons
        assert any(
            r.code == "reason.quota.max_reached" and r.params["used"] == 100_000 for r in blocked
        )
    assert [n.code for n in result.notes].count("note.override.quotas_counted") == 1
    # Rejections and reserves move no money: the quotas have nothing of theirs to count.
    apps[2] = override(round6[2].model_copy(update={"category": "Arkiv"}), "reject")
    result = allocate(apps, 300_000, policy)
    assert sum(d.amount for d in result.decisions) <= 150_000
    assert "note.override.quotas_counted" not in [n.code for n in result.notes]


@pytest.mark.parametrize("rule", ["ranked", "optimal", "lottery"])
def test_a_minimum_the_officer_met_asks_nothing_more(round6: list[Application], rule: str) -> None:
    """S6 (the worst) is the only Nord application; the officer funded it: the minimum is met,
    and the rule funds the best of the rest as it would without the quota."""
    apps = [a.model_copy(update={"category": "Sør"}) for a in round6]
    apps[5] = override(apps[5].model_copy(update={"category": "Nord"}), "fund", 100_000)
    quota = Quota(by="category", value="Nord", min_count=1, min_amount=100_000)
    policy = Policy(rule=rule, quotas=(quota,), seed=1)  # type: ignore[arg-type]
    result = allocate(apps, 300_000, policy)
    check_invariants(apps, 300_000, policy, result)
    funded = {d.application_id for d in result.decisions if d.amount}
    assert funded == {"S6", "S1", "S2"}


@pytest.mark.parametrize("rule", ["ranked", "optimal", "lottery"])
def test_a_minimum_the_officer_met_in_part_is_made_up_by_the_rule(
    make_application: MakeApp, rule: str
) -> None:
    """Nord needs 300k; the officer gave 100k: the rule gives Nord's N1 200k more, before S1."""
    apps = [
        make_application(id="S1", requested=200_000, score=Decimal(9), category="Sør"),
        make_application(id="N1", requested=200_000, score=Decimal(5), category="Nord"),
        override(
            make_application(id="N2", requested=100_000, score=Decimal(1), category="Nord"),
            "fund",
            100_000,
        ),
    ]
    quota = Quota(by="category", value="Nord", min_amount=300_000)
    policy = Policy(rule=rule, quotas=(quota,), seed=1)  # type: ignore[arg-type]
    result = allocate(apps, 300_000, policy)
    check_invariants(apps, 300_000, policy, result)
    assert by_id(result)["N1"] == (Status.FUNDED, 200_000)
    assert by_id(result)["S1"][1] == 0


def test_a_share_is_of_the_whole_budget(round6: list[Application]) -> None:
    """At most 50 % of 400k to Arkiv: 200k in all, of which the officer gave 100k."""
    apps = _arkiv(round6)
    apps[5] = override(apps[5], "fund", 100_000)
    quota = Quota(by="category", value="Arkiv", max_share=Decimal("0.5"))
    result = allocate(apps, 400_000, Policy(quotas=(quota,)))
    assert sum(d.amount for d in result.decisions) == 200_000
    assert by_id(result)["S1"] == (Status.FUNDED, 100_000)
    assert by_id(result)["S2"][1] == 0


@pytest.mark.parametrize("rule", ["ranked", "optimal", "lottery"])
def test_decisions_that_pass_a_maximum_already_are_refused(
    round6: list[Application], rule: str
) -> None:
    apps = _arkiv(round6)
    apps[0] = override(apps[0], "fund", 100_000)
    apps[1] = override(apps[1], "fund", 100_000)
    amount = Quota(by="category", value="Arkiv", max_amount=150_000)
    count = Quota(by="category", value="arkiv", max_count=1)
    for quota, said, sagt in (
        (amount, "give it NOK\xa0200,000 already, more than its maximum of NOK\xa0150,000",
         "gir allerede 200\xa0000\xa0kr, mer enn grensen på 150\xa0000\xa0kr"),
        (count, "fund 2 of its applications already, more than its maximum of 1",
         "innvilger allerede 2 av søknadene, mer enn grensen på 1"),
    ):  # fmt: skip
        policy = Policy(rule=rule, quotas=(quota,), seed=1)  # type: ignore[arg-type]
        with pytest.raises(PolicyError) as caught:
            allocate(apps, 600_000, policy)
        assert said in str(caught.value)
        assert sagt in caught.value.text("nb")


@pytest.mark.parametrize("rule", ["ranked", "optimal", "lottery"])
def test_a_min_count_the_officer_meets_in_part_with_few_applications_left(
    make_application: MakeApp, rule: str
) -> None:
    """Nord needs 3 funded; the officer funded 2 and one Nord application is left for the rule:
    feasible, not refused as 'at least 3, but at most –' (the rule's own 2 applications are
    fewer than the minimum only without the officer's)."""
    apps = [
        override(make_application(id="N1", requested=100_000, category="Nord"), "fund", 100_000),
        override(make_application(id="N2", requested=100_000, category="Nord"), "fund", 100_000),
        make_application(id="N3", requested=100_000, score=Decimal(1), category="Nord"),
        make_application(id="S1", requested=100_000, score=Decimal(9), category="Sør"),
    ]
    quota = Quota(by="category", value="Nord", min_count=3)
    policy = Policy(rule=rule, quotas=(quota,), seed=1)  # type: ignore[arg-type]
    result = allocate(apps, 300_000, policy)
    check_invariants(apps, 300_000, policy, result)
    assert by_id(result)["N3"] == (Status.FUNDED, 100_000)
    assert by_id(result)["S1"][1] == 0


def test_funded_for_the_minimum_amount_when_the_officer_met_the_count(
    make_application: MakeApp,
) -> None:
    """The officer's decision meets Nord's min_count; N1 is funded first for the 150k minimum,
    and its reason says so, not 'to meet the minimum of 1 funded application'."""
    apps = [
        make_application(id="S1", requested=100_000, score=Decimal(9), category="Sør"),
        make_application(id="S2", requested=100_000, score=Decimal(8), category="Sør"),
        make_application(id="N1", requested=100_000, score=Decimal(7), category="Nord"),
        override(make_application(id="N2", requested=50_000, category="Nord"), "fund", 50_000),
    ]
    quota = Quota(by="category", value="Nord", min_count=1, min_amount=150_000)
    result = allocate(apps, 250_000, Policy(quotas=(quota,)))
    codes = [r.code for r in result.by_id()["N1"].reasons]
    assert "reason.quota.min_reserved" in codes
    assert "reason.quota.min_count_reserved" not in codes


def test_a_star_group_of_applications_the_officer_rejected_keeps_its_minimum(
    round6: list[Application],
) -> None:
    """The only 'Skole' application is rejected by hand: "*" refuses as naming Skole does."""
    apps = _arkiv(round6)
    apps[5] = override(apps[5].model_copy(update={"category": "Skole"}), "reject")
    refusals = []
    for value in ("*", "Skole"):
        quota = Quota(by="category", value=value, min_amount=50_000)
        with pytest.raises(PolicyError) as caught:
            allocate(apps, 300_000, Policy(quotas=(quota,)))
        refusals.append(str(caught.value))
    assert refusals[0] == refusals[1]
    assert "category 'Skole': at least NOK\xa050,000" in refusals[0]


def test_a_refusal_names_the_quota_and_what_the_decisions_gave(
    make_application: MakeApp,
) -> None:
    apps = [
        override(
            make_application(id="A1", requested=100_000, score=Decimal(9), category="A"),
            "fund",
            100_000,
        ),
        make_application(id="A2", requested=100_000, score=Decimal(8), category="A"),
        make_application(id="B1", requested=250_000, score=Decimal(7), category="B"),
    ]
    count = Quota(by="category", value="A", min_count=3)
    with pytest.raises(PolicyError) as caught:
        allocate(apps, 500_000, Policy(quotas=(count,)))
    assert (
        "category 'A': at least 3 funded applications; the manual decisions fund 1, and only 1 "
        "more is eligible" in str(caught.value)
    )
    assert "de manuelle vedtakene innvilger 1, og bare 1 til kan få tilskudd" in (
        caught.value.text("nb")
    )
    # The budget said is what is left after the decisions, and said so.
    need = Quota(by="category", value="B", min_amount=250_000)
    with pytest.raises(PolicyError) as left:
        allocate(apps, 300_000, Policy(quotas=(need,)))
    assert (
        "category 'B': the minimum needs at least NOK\xa0250,000; NOK\xa0200,000 of the budget is "
        "left after the manual decisions" in str(left.value)
    )


def test_a_lottery_beside_a_rank_column_ranks_the_overridden_by_score(
    make_application: MakeApp,
) -> None:
    # Ranks and scores on every row: the lottery ranks by score, and the officer's decision
    # takes its place in that order (rank 1 by score), not in the rank column's.
    apps = [
        make_application(id="A", requested=100, rank=3, score=Decimal(9), orgnr=None),
        make_application(id="B", requested=100, rank=1, score=Decimal(5), orgnr=None),
        make_application(id="C", requested=100, rank=2, score=Decimal(4), orgnr=None),
    ]
    apps[0] = override(apps[0], "reject", reason="Trukket")
    result = allocate(apps, 100, Policy(rule="lottery", seed=1))
    assert [(d.application_id, d.rank) for d in result.decisions] == [
        ("A", 1),
        ("B", 2),
        ("C", 3),
    ]


# --- edges mutation testing found untested ------------------------------------------------


def test_a_fund_override_of_exactly_the_request_is_allowed(round6: list[Application]) -> None:
    result = allocate([override(round6[0], "fund", 100_000), *round6[1:]], 150_000, Policy())
    assert by_id(result)["S1"] == (F, 100_000)
    assert result.by_id()["S1"].override


def test_fund_overrides_that_take_exactly_the_budget_are_allowed(
    round6: list[Application],
) -> None:
    apps = [override(round6[0], "fund", 60_000), override(round6[1], "fund", 40_000), *round6[2:]]
    result = allocate(apps, 100_000, Policy())
    assert (result.awarded, result.unallocated) == (100_000, 0)
    assert by_id(result)["S1"] == (P, 60_000)
    assert by_id(result)["S3"] == (N, 0)


def test_overrides_over_the_budget_are_named_largest_first(round6: list[Application]) -> None:
    # S1 comes first by id, S2 by amount: the error names the largest first.
    apps = [override(round6[0], "fund", 70_000), override(round6[1], "fund", 80_000), *round6[2:]]
    with pytest.raises(OverrideError) as caught:
        allocate(apps, 100_000, Policy())
    assert "S2 (row 2): NOK\xa080,000; S1 (row 2): NOK\xa070,000" in str(caught.value)


def test_an_override_without_a_row_is_named_by_its_id_alone(round6: list[Application]) -> None:
    app = override(round6[0], "reject", reason="").model_copy(update={"row": None})
    with pytest.raises(OverrideError) as caught:
        allocate([app, *round6[1:]], 100_000, Policy())
    message = str(caught.value)
    assert "S1: the decision 'reject' has no justification" in message
    assert "row" not in message


def test_override_amounts_are_the_fund_overrides_only(round6: list[Application]) -> None:
    apps = [
        override(round6[0], "fund", 70_000),
        override(round6[1], "reject"),
        override(round6[2], "reserve"),
        round6[3],
    ]
    assert override_amounts(apps) == {"S1": 70_000}


def test_overrides_over_the_budget_name_twenty_and_count_the_rest(
    make_application: MakeApp,
) -> None:
    apps = [
        override(make_application(id=f"S{i}", requested=1_000, orgnr=None), "fund", 1_000)
        for i in range(1, 23)
    ]
    with pytest.raises(OverrideError) as caught:
        allocate(apps, 20_000, Policy())
    message = str(caught.value)
    assert "S20 (row 2): NOK\xa01,000; … 2 more" in message
    assert "S21" not in message


def test_a_rejection_takes_no_place_under_a_maximum_count(round6: list[Application]) -> None:
    """Arkiv may have one funded application; the officer rejected S1: the rule still funds one."""
    apps = _arkiv(round6)
    apps[0] = override(apps[0], "reject")
    quota = Quota(by="category", value="Arkiv", max_count=1)
    result = allocate(apps, 600_000, Policy(quotas=(quota,)))
    assert [d.application_id for d in result.decisions if d.amount] == ["S2"]


def test_fund_override_counts_against_per_applicant_max_in_a_round_with_quotas(
    make_application: MakeApp,
) -> None:
    org = "974760673"
    apps = [
        override(make_application(id="A1", requested=300_000, orgnr=org, score=1), "fund", 250_000),
        make_application(id="A2", requested=300_000, orgnr=org, score=9),
    ]
    quota = Quota(by="category", value="*", max_amount=1_000_000)
    result = allocate(apps, 1_000_000, Policy(per_applicant_max=400_000, quotas=(quota,)))
    # As without quotas: the officer gave the organisation 250k of its 400k, the rule gives 150k.
    assert by_id(result) == {"A1": (P, 250_000), "A2": (F, 150_000)}


def test_the_rules_reserve_list_moves_down_when_no_rank_does(round6: list[Application]) -> None:
    # The officer puts the last, S6, on the reserve list: no rank changes, but the rule's
    # reserve no. 1 (S3) becomes no. 2.
    apps = [*round6[:5], override(round6[5], "reserve")]
    result = allocate(apps, 250_000, Policy(reserve=1))
    s3 = result.by_id()["S3"]
    assert (s3.status, s3.rank) == (R, 3)
    assert [(r.code, r.params) for r in s3.reasons] == [
        ("reason.budget.exhausted", {"rank": 3, "remaining": 50_000, "needed": 100_000}),
        ("reason.reserve.position", {"position": 2}),
    ]
    assert result.by_id()["S6"].reasons[0].params["position"] == 1


def test_a_rank_moves_though_no_reason_names_it(round6: list[Application]) -> None:
    # The officer rejects S1; S6 is below min_score, a reason without a rank: the rule ranks it
    # 5th of its five, and among all six it is 6th.
    apps = [override(round6[0], "reject"), *round6[1:]]
    result = allocate(apps, 250_000, Policy(min_score=Decimal(5)))
    assert [d.rank for d in result.decisions] == [1, 2, 3, 4, 5, 6]
    assert result.by_id()["S6"].rank == 6


def test_an_override_outside_the_ranking_has_no_rank_and_no_tie(round6: list[Application]) -> None:
    # S1 has no score: the officer's decision cannot take a place among the scored, and
    # follows them without a rank, tied with nothing.
    apps = [override(round6[0].model_copy(update={"score": None}), "reject"), *round6[1:]]
    result = allocate(apps, 250_000, Policy())
    assert [(d.application_id, d.rank, d.tied) for d in result.decisions] == [
        ("S2", 1, False),
        ("S3", 2, False),
        ("S4", 3, False),
        ("S5", 4, False),
        ("S6", 5, False),
        ("S1", None, False),
    ]


def test_a_fund_override_of_exactly_the_eligible_amount_is_not_above_it(
    make_application: MakeApp,
) -> None:
    policy = Policy(max_share_of_cost=Decimal("0.2"))
    app = make_application(id="A", requested=400_000, total_cost=1_000_000)
    result = allocate([override(app, "fund", 200_000)], 1_000_000, policy)
    decision = result.by_id()["A"]
    assert (decision.status, decision.eligible_amount) == (F, 200_000)
    assert [r.code for r in decision.reasons] == ["reason.override.fund"]


def test_overrides_without_a_ranking_are_listed_by_id(make_application: MakeApp) -> None:
    apps = [
        override(make_application(id=i, score=None, orgnr=None), "reject")
        for i in ("S3", "S1", "S2")
    ]
    result = allocate(apps, 100_000, Policy())
    assert [(d.application_id, d.rank) for d in result.decisions] == [
        ("S1", None),
        ("S2", None),
        ("S3", None),
    ]


def test_twenty_overrides_over_the_budget_are_all_named(make_application: MakeApp) -> None:
    apps = [
        override(make_application(id=f"S{i}", requested=1_000, orgnr=None), "fund", 1_000)
        for i in range(1, 21)
    ]
    with pytest.raises(OverrideError) as caught:
        allocate(apps, 19_000, Policy())
    message = str(caught.value)
    assert message.endswith("S19 (row 2): NOK\xa01,000; S20 (row 2): NOK\xa01,000")
    assert "…" not in message


def test_the_officers_reserves_are_in_rank_order_not_id_order(round6: list[Application]) -> None:
    apps = [
        override(round6[0].model_copy(update={"score": Decimal(1)}), "reserve"),  # now the last
        override(round6[1], "reserve"),
        *round6[2:],
    ]
    result = allocate(apps, 250_000, Policy())
    positions = {
        d.application_id: d.reasons[0].params["position"] for d in result.decisions if d.override
    }
    assert positions == {"S2": 1, "S1": 2}


def test_ranks_below_a_rejection_in_the_middle_are_renumbered(round6: list[Application]) -> None:
    # S1 and S2 keep their ranks; the rule's 3, 4, 5 (S4, S5, S6) are 4, 5, 6 among all.
    apps = [*round6[:2], override(round6[2], "reject"), *round6[3:]]
    result = allocate(apps, 250_000, Policy())
    assert [
        (d.application_id, d.rank, d.reasons[0].params.get("rank")) for d in result.decisions
    ] == [
        ("S1", 1, 1),
        ("S2", 2, 2),
        ("S3", 3, None),
        ("S4", 4, 4),
        ("S5", 5, 5),
        ("S6", 6, 6),
    ]
