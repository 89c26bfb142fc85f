"""A programme's round: per_applicant_max across rounds, already-funded applications excluded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tilskudd.ledger import PriorAward, RoundContext, normalise_title, same_application_by_id
from tilskudd.models import Application, Policy, Status
from tilskudd.programme import Programme
from tilskudd.rounds import (
    ALREADY_FUNDED,
    OVERRIDE_NOT_APPLIED,
    already_funded_decisions,
    run_programme_round,
)
from tilskudd.rules import allocate
from tilskudd.validation import ValidationResult
from tilskudd.wording import reason_text

ORG = "974760673"


@pytest.mark.parametrize("rule", ["ranked", "proportional"])
def test_per_applicant_max_counts_earlier_rounds(
    make_application: Callable[..., Application], rule: str
) -> None:
    apps = [
        make_application(id="A", orgnr=ORG, requested=300_000, score=Decimal(5)),
        make_application(id="B", orgnr="958935420", requested=300_000, score=Decimal(4)),
    ]
    policy = Policy(rule=rule, per_applicant_max=500_000)
    alone = allocate(apps, 1_000_000, policy)
    assert alone.by_id()["A"].amount == 300_000
    # 400 000 kr in round 1 leaves 100 000 kr of the organisation's 500 000 kr.
    after = allocate(apps, 1_000_000, policy, prior_by_orgnr={ORG: 400_000})
    decision = after.by_id()["A"]
    assert decision.amount == 100_000
    # ranked caps the award at what is left; proportional holds the organisation at it, and
    # each says what the earlier rounds had.
    if rule == "proportional":
        (reason,) = [
            r for r in decision.reasons if r.code == "reason.proportional.per_applicant_alone"
        ]
        assert (reason.params["earlier"], reason.params["left"]) == (400_000, 100_000)
    else:
        # Only the earlier rounds filled it: they are named, with their amount.
        (reason,) = [r for r in decision.reasons if r.code == "reason.cap.per_applicant_earlier"]
        assert (reason.params["already"], reason.params["earlier"]) == (400_000, 400_000)
    assert after.by_id()["B"].amount == 300_000
    # Used up in round 1: not eligible now.
    full = allocate(apps, 1_000_000, policy, prior_by_orgnr={ORG: 500_000})
    assert full.by_id()["A"].amount == 0
    codes = {r.code for r in full.by_id()["A"].reasons}
    assert (
        "reason.ineligible.per_applicant_earlier"
        if rule == "ranked"
        else "reason.ineligible.per_applicant"
    ) in codes


def test_prior_awards_do_nothing_without_per_applicant_max(
    make_application: Callable[..., Application],
) -> None:
    apps = [make_application(id="A", orgnr=ORG, requested=300_000)]
    policy = Policy()
    assert allocate(apps, 1_000_000, policy, prior_by_orgnr={ORG: 9_999_999}) == allocate(
        apps, 1_000_000, policy
    )


def _context(prior: tuple[PriorAward, ...], budget: int = 1_000_000) -> RoundContext:
    by_orgnr: dict[str, int] = {}
    for item in prior:
        if item.orgnr:
            by_orgnr[item.orgnr] = by_orgnr.get(item.orgnr, 0) + item.amount
    return RoundContext(
        round=2,
        round_name="Runde 2",
        frame=2_000_000,
        committed=2_000_000 - budget,
        remaining=budget,
        planned=None,
        budget=budget,
        budget_source="remaining",
        prior=prior,
        prior_by_orgnr=by_orgnr,
    )


def _checked(apps: list[Application]) -> ValidationResult:
    return ValidationResult(
        file="runde2.xlsx",
        sheet="Søknader",
        header_row=1,
        applications=tuple(apps),
        rejected=(),
        issues=(),
        extra_columns=(),
    )


def test_the_same_project_again_is_matched_by_id_or_by_orgnr_and_title(
    make_application: Callable[..., Application],
) -> None:
    prior = (
        PriorAward(1, "R1-7", ORG, "Felles saksbehandling", 200_000),
        PriorAward(1, "R1-9", "958935420", "Digital post", 100_000),
    )
    apps = [
        make_application(id="R1-9", orgnr="958935420", project="Noe annet"),  # same id
        make_application(id="N-1", orgnr=ORG, project="FELLES  saksbehandling!"),  # same project
        make_application(id="N-2", orgnr=ORG, project="Felles arkiv"),  # new project
        make_application(id="N-3", orgnr="964338531", project="Felles saksbehandling"),  # other org
    ]
    decisions, ids = already_funded_decisions(_checked(apps), _context(prior))
    assert ids == {"R1-9", "N-1"}
    by_id = {d.application_id: d for d in decisions}
    assert by_id["R1-9"].reasons[0].params == {
        "round": 1,
        "application": "R1-9",
        "amount": 100_000,
        "match": "id",
    }
    assert by_id["N-1"].reasons[0].params["match"] == "orgnr_project"
    assert all(d.status is Status.NOT_FUNDED and d.amount == 0 for d in decisions)


def _already_funded_by_walking(
    prior: tuple[PriorAward, ...], app: Application, by_id: bool
) -> tuple[PriorAward, str] | None:
    """The matching rule as stated, walking every earlier award: the first by id (unless the
    id is another organisation's under another title), else the first by orgnr and title."""
    for item in prior:
        if (
            by_id
            and item.application_id == app.id
            and same_application_by_id(item.orgnr, item.project, app.orgnr, app.project)
        ):
            return item, "id"
    if app.orgnr and app.project:
        for item in prior:
            if item.orgnr == app.orgnr and normalise_title(item.project) == normalise_title(
                app.project
            ):
                return item, "orgnr_project"
    return None


_ORGS = st.sampled_from([ORG, "958935420", "964338531", None])
_TITLES = st.sampled_from(
    ["Felles saksbehandling", "FELLES  saksbehandling!", "Digital post", "Sak", "!!", None]
)
_IDS = st.sampled_from(["A", "B", "C"])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prior=st.lists(
        st.builds(PriorAward, st.integers(1, 3), _IDS, _ORGS, _TITLES, st.integers(1, 9)),
        max_size=8,
    ),
    apps=st.lists(st.tuples(_IDS, _ORGS, _TITLES, st.booleans()), min_size=1, max_size=6),
)
def test_already_funded_finds_what_walking_every_earlier_award_finds(
    make_application: Callable[..., Application],
    prior: list[PriorAward],
    apps: list[tuple[str, str | None, str | None, bool]],
) -> None:
    context = _context(tuple(prior))
    for app_id, orgnr, project, by_id in apps:
        app = make_application(id=app_id, orgnr=orgnr, project=project)
        expected = _already_funded_by_walking(tuple(prior), app, by_id)
        assert context.already_funded(app, by_id=by_id) == expected


class _CountedWalks(tuple[PriorAward, ...]):
    walks = 0

    def __iter__(self) -> Iterator[PriorAward]:
        type(self).walks += 1
        return super().__iter__()


def test_already_funded_walks_the_earlier_awards_once_not_once_per_application(
    make_application: Callable[..., Application],
) -> None:
    """A round of 100 000 applications against tens of thousands of earlier awards took minutes
    when each application walked them all."""
    prior = _CountedWalks(PriorAward(1, f"R1-{i}", ORG, f"Prosjekt {i}", 1_000) for i in range(50))
    context = _context(prior)
    _CountedWalks.walks = 0
    apps = [make_application(id=f"N-{i}", orgnr=ORG, project=f"Nytt {i}") for i in range(20)]
    found = [context.already_funded(app) for app in apps]
    again = make_application(id="N-99", orgnr=ORG, project="PROSJEKT 7")
    assert context.already_funded(again) == (prior[7], "orgnr_project")
    assert found == [None] * 20
    assert _CountedWalks.walks == 1


def test_a_programme_round_excludes_and_caps(
    make_application: Callable[..., Application], tmp_path: Path
) -> None:
    prior = (PriorAward(1, "R1-7", ORG, "Felles saksbehandling", 400_000),)
    apps = [
        make_application(id="N-1", orgnr=ORG, project="Felles saksbehandling", score=Decimal(9)),
        make_application(
            id="N-2", orgnr=ORG, project="Felles arkiv", requested=300_000, score=Decimal(8)
        ),
        make_application(
            id="N-3", orgnr="964338531", project="Sak", requested=300_000, score=Decimal(7)
        ),
    ]
    programme = Programme(name="P", frame=2_000_000, path=tmp_path / "tilskudd.toml")
    policy = Policy(per_applicant_max=500_000)
    result = run_programme_round(_checked(apps), _context(prior), policy, programme)
    by_id = result.allocation.by_id()
    assert [r.code for r in by_id["N-1"].reasons] == [ALREADY_FUNDED]
    assert by_id["N-2"].amount == 100_000  # 500 000 max - 400 000 from round 1
    assert by_id["N-3"].amount == 300_000
    assert result.allocation.budget == 1_000_000
    assert result.allocation.awarded + result.allocation.unallocated == 1_000_000
    assert (result.programme, result.round) == ("P", "Runde 2")
    assert len(result.allocation.decisions) == 3


def test_an_officers_decision_on_an_already_funded_project_is_said_not_applied(
    make_application: Callable[..., Application],
) -> None:
    """Not dropped in silence: the officer's decision and words are in the reasons."""
    prior = (PriorAward(1, "R1-7", ORG, "Felles saksbehandling", 200_000),)
    app = make_application(
        id="N-1",
        orgnr=ORG,
        project="Felles saksbehandling",
        decision="fund",
        decision_amount=50_000,
        decision_reason="Styrevedtak 12.10",
    )
    (decision,), _ = already_funded_decisions(_checked([app]), _context(prior))
    assert [r.code for r in decision.reasons] == [ALREADY_FUNDED, OVERRIDE_NOT_APPLIED]
    assert decision.reasons[1].params == {"decision": "fund", "text": "Styrevedtak 12.10"}
    assert (decision.status, decision.amount, decision.override) == (Status.NOT_FUNDED, 0, False)
    text = reason_text(decision.reasons[1], "nb")
    assert "(fund; begrunnelsen: Styrevedtak 12.10) ble ikke brukt" in text


@pytest.mark.parametrize(("lang", "name"), [("nb", "Runde 2"), ("en", "Round 2")])
def test_a_round_without_a_name_is_called_by_its_number_in_the_programmes_language(
    make_application: Callable[..., Application], tmp_path: Path, lang: str, name: str
) -> None:
    """Not "2", which reads as a number in a list: "2: 1 prosjekt med 1 kommune får …"."""
    from dataclasses import replace

    from tilskudd.summary import summarise
    from tilskudd.wording import summary_sentence

    programme = Programme(name="P", frame=2_000_000, lang=lang, path=tmp_path / "tilskudd.toml")
    context = replace(_context(()), round_name=None)
    apps = [make_application(id="N-1")]
    result = run_programme_round(_checked(apps), context, Policy(), programme)
    assert result.round == name
    sentence = summary_sentence(summarise(result), lang, round_name=result.round)
    assert sentence.startswith(f"{name}: ")
