"""A policy held against the applications: every problem a rule finds is said in one error."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from tilskudd.errors import PolicyError
from tilskudd.models import Application, Policy
from tilskudd.rules import allocate

MakeApp = Callable[..., Application]


def problems(applications: list[Application], policy: Policy) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        allocate(applications, 1_000_000, policy)
    return caught.value


def test_ranked_says_every_problem_with_its_setting(make_application: MakeApp) -> None:
    apps = [make_application(id="A-1", rank=1, score=None), make_application(id="A-2", rank=2)]
    policy = Policy(
        min_score=3,
        tie_break="kostnad asc, id, merknad desc",
        quotas=[
            {"by": "county", "value": "99", "max_count": 1},
            {"by": "county", "value": "03", "max_count": 1},
            {"by": "county", "value": "Atlantis", "max_count": 1},
        ],
    )
    error = problems(apps, policy)
    assert error.settings == (
        "min_score",
        "tie_break",
        "tie_break",
        "quotas[1].value",
        "quotas[3].value",
    )
    lines = str(error).splitlines()
    assert lines[0] == "min_score needs a score for every application; 1 of 2 has none (A-1)"
    assert lines[1].startswith("tie-break column 'kostnad' is neither")
    assert lines[2].startswith("tie-break column 'merknad' is neither")
    assert lines[3].startswith("quota by county: '99' is not a county number")
    assert lines[4].startswith("quota by county: 'Atlantis' is not a county")
    said = error.text("nb").splitlines()
    assert len(said) == 5
    assert said[0] == "min_score krever poeng for hver søknad; 1 av 2 har ingen (A-1)"
    assert said[2].startswith(
        "kolonnen «merknad» i rekkefølgen ved poenglikhet (tie_break) er verken"
    )


def test_proportional_says_scores_tie_break_and_quotas_at_once(make_application: MakeApp) -> None:
    apps = [make_application(id="A-1", score=None), make_application(id="A-2")]
    policy = Policy(
        rule="proportional",
        weight="score",
        tie_break="merknad",
        quotas=[{"by": "county", "value": "*", "max_count": 1}],
    )
    error = problems(apps, policy)
    assert error.settings == ("weight", "tie_break", "quotas")
    assert str(error).splitlines()[0].startswith('weight = "score" needs a score')
    assert str(error).splitlines()[2].startswith("quotas do not apply to the proportional rule")


def test_lottery_says_the_seed_and_the_scores_at_once(make_application: MakeApp) -> None:
    from tilskudd.rules.lottery import allocate_lottery

    apps = [make_application(id="A-1", score=None, rank=1), make_application(id="A-2", rank=2)]
    with pytest.raises(PolicyError) as caught:
        allocate_lottery(apps, 1_000_000, Policy(rule="lottery", tie_break="merknad"))
    assert caught.value.settings == ("seed", "rule", "tie_break")
    assert str(caught.value).startswith("the lottery rule needs a seed")
    assert caught.value.text("nb").startswith('loddtrekningen (rule = "lottery") trenger')


def test_optimal_says_negative_scores_and_an_unknown_county_at_once(
    make_application: MakeApp,
) -> None:
    apps = [make_application(id="A-1", score=Decimal(-1)), make_application(id="A-2")]
    policy = Policy(rule="optimal", quotas=[{"by": "county", "value": "Atlantis", "max_count": 1}])
    error = problems(apps, policy)
    assert error.settings == ("rule", "quotas[1].value")
    assert str(error).startswith("the optimal rule maximises the total score")
    assert "A-1 (-1)" in error.text("nb")


def test_a_ranking_problem_is_not_said_beside_the_scores_that_would_mend_it(
    make_application: MakeApp,
) -> None:
    # Applications without a score are named once: given scores, they can be ordered too.
    apps = [make_application(id="A-1", score=None), make_application(id="A-2")]
    error = problems(apps, Policy(min_score=3))
    assert error.settings == ("min_score",)
    error = problems(apps, Policy())
    assert error.settings == (None,)
    assert str(error).startswith("this rule funds in order of score or rank, but 1 of 2")


def test_a_policy_that_fits_raises_nothing(make_application: MakeApp) -> None:
    apps = [make_application(id="A-1", extra={"merknad": "x"}), make_application(id="A-2")]
    policy = Policy(
        min_score=3,
        tie_break="merknad",
        quotas=[{"by": "county", "value": "Oslo", "max_count": 1}],
    )
    assert allocate(apps, 1_000_000, policy).budget == 1_000_000
