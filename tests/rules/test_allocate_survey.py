"""What allocate asks of the applications around the rule, in one pass (rules._survey)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tilskudd.errors import TilskuddError
from tilskudd.models import Application, Policy
from tilskudd.rules import _survey, allocate

MakeApp = Callable[..., Application]


def test_one_pass_says_what_the_checks_and_notes_need(make_application: MakeApp) -> None:
    plain = make_application(id="S1", total_cost=500_000, orgnr="974760673")
    assert _survey([plain]) == (["S1"], False, False, False)
    decided = make_application(
        id="S2", decision="fund", decision_amount=10_000, decision_reason="Vedtak"
    )
    no_cost = make_application(id="S3", total_cost=None)
    no_orgnr = make_application(id="S4", orgnr=None)
    assert _survey([plain, decided]) == (["S1", "S2"], True, False, False)
    assert _survey([no_cost, plain]) == (["S3", "S1"], False, True, False)
    assert _survey([plain, no_orgnr]) == (["S1", "S4"], False, False, True)
    assert _survey([]) == ([], False, False, False)


def test_what_the_pass_finds_still_reaches_the_round(make_application: MakeApp) -> None:
    apps = [
        make_application(id="S1", requested=100_000, total_cost=None, orgnr=None, score=5),
        make_application(
            id="S2",
            requested=50_000,
            score=4,
            decision="fund",
            decision_amount=40_000,
            decision_reason="Vedtak",
        ),
    ]
    policy = Policy(max_share_of_cost="0.5", per_applicant_max=1_000_000)  # type: ignore[arg-type]
    result = allocate(apps, 200_000, policy)
    assert result.by_id()["S2"].amount == 40_000
    assert result.by_id()["S2"].override
    codes = [note.code for note in result.notes]
    assert "note.share_of_cost_unknown" in codes
    assert "note.per_applicant_unknown_all" in codes
    with pytest.raises(TilskuddError, match="1 occur more than once: S1"):
        allocate([*apps, apps[0]], 200_000, policy)
