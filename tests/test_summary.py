"""Round figures: counts, coverage, per county, budget check."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tilskudd.models import Allocation, Application, Decision, Policy, RoundResult, Status
from tilskudd.summary import budget_check, gini, summarise


def app(
    app_id: str,
    requested: int,
    municipalities: tuple[str, ...],
    counties: tuple[str, ...],
    score: str | None = None,
) -> Application:
    return Application(
        id=app_id,
        requested=requested,
        municipalities=municipalities,
        counties=counties,
        score=Decimal(score) if score else None,
    )


def test_summarise_counts_distinct_municipalities_of_funded_projects() -> None:
    apps = (
        app("A", 100, ("0301", "0219"), ("03", "02"), "5"),
        app("B", 50, ("0219",), ("02",), "4"),
        app("C", 70, ("1103",), ("11",), "3"),
    )
    decisions = (
        Decision(application_id="A", status=Status.FUNDED, amount=101 - 1),
        Decision(application_id="B", status=Status.PARTLY_FUNDED, amount=25),
        Decision(application_id="C", status=Status.NOT_FUNDED, amount=0),
        Decision(application_id="X", status=Status.REJECTED, amount=0),
    )
    allocation = Allocation(
        rule="ranked", policy=Policy(), budget=130, decisions=decisions, awarded=125, unallocated=5
    )
    result = RoundResult(
        allocation=allocation,
        applications=apps,
        tool_version="t",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    summary = summarise(result)
    assert (summary.funded, summary.funded_full, summary.partly_funded) == (2, 1, 1)
    assert (summary.not_funded, summary.rejected, summary.applications) == (1, 1, 4)
    assert summary.municipalities == 2
    assert summary.counties == 2
    assert summary.requested == 220
    assert summary.oversubscription == Decimal("1.69")
    # A's 100 split over two counties; the per-county column sums to the total awarded.
    per_county = {line.county: (line.projects, line.awarded) for line in summary.per_county}
    assert per_county == {"02": (2, 75), "03": (1, 50)}
    assert sum(line.awarded for line in summary.per_county) == summary.awarded


def test_budget_check_takes_best_score_first_until_one_does_not_fit() -> None:
    apps = [
        app("A", 60, ("0301",), ("03",), "5"),
        app("B", 50, ("1103",), ("11",), "4"),
        app("C", 10, ("1103",), ("11",), "3"),
    ]
    check = budget_check(apps, invalid=2, budget=100)
    assert check.funded_in_full_by_score == 1
    # One that needs exactly what is left fits.
    assert budget_check(apps, invalid=0, budget=110).funded_in_full_by_score == 2
    assert check.requested == 120
    assert check.oversubscription == Decimal("1.20")
    assert (check.municipalities, check.counties, check.invalid) == (2, 2, 2)


def test_budget_check_leaves_out_what_the_round_excludes() -> None:
    """An application funded in an earlier round is not among what the round considers: it is
    counted apart, with what it applied for, and is in no other figure of the check."""
    apps = [
        app("A", 60, ("0301",), ("03",), "5"),
        app("B", 50, ("1103",), ("11",), "4"),
        app("C", 10, ("1201",), ("12",), "3"),
    ]
    check = budget_check(apps, invalid=1, budget=60, excluded={"A"})
    assert (check.valid, check.excluded, check.excluded_requested) == (3, 1, 60)
    assert check.considered == 2
    assert check.requested == 60
    assert check.requested + check.excluded_requested == 120  # the award table's total
    # B and C, best first, fit; A (which would have taken the whole budget) is not taken.
    assert (check.funded_in_full_by_score, check.requested_of_those) == (2, 60)
    assert (check.municipalities, check.counties) == (2, 2)
    assert check.oversubscription == Decimal("1.00")


def test_gini() -> None:
    assert gini([10, 10, 10]) == Decimal("0.000")
    assert gini([0, 0, 30]) == Decimal("0.667")
    assert gini([0, 1]) == Decimal("0.500")
    assert gini([5]) == Decimal("0.000")  # one award: nothing unequal
    assert gini([]) is None
    # A round that awarded nothing (a budget of 0, say: compare's "all" figure): no spread.
    assert gini([0, 0]) is None


def test_a_collaboration_across_counties_leaves_no_krone_behind() -> None:
    """An award split over its counties: the odd kroner go to the first county, so the
    per-county column sums to what was awarded."""
    apps = (app("A", 101, ("0301", "1103"), ("03", "11"), "5"),)
    decisions = (Decision(application_id="A", status=Status.FUNDED, amount=101),)
    allocation = Allocation(
        rule="ranked", policy=Policy(), budget=101, decisions=decisions, awarded=101, unallocated=0
    )
    result = RoundResult(
        allocation=allocation,
        applications=apps,
        tool_version="t",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    per_county = {line.county: line.awarded for line in summarise(result).per_county}
    assert per_county == {"03": 51, "11": 50}


def test_budget_check_takes_the_rules_order() -> None:
    """The order the ranking rules take: ids in natural order within a score, and a rank
    column filled in halfway passed over for the scores (as the rules do, with a warning)."""
    tied = [app("S10", 50, ("0301",), ("03",), "5"), app("S9", 60, ("0301",), ("03",), "5")]
    # S9 before S10: 60 does not fit in 55, and the line falls there.
    assert budget_check(tied, invalid=0, budget=55).funded_in_full_by_score == 0
    half_ranked = [
        app("A", 60, ("0301",), ("03",), "1").model_copy(update={"rank": 1}),
        app("B", 50, ("0301",), ("03",), "5"),
    ]
    assert budget_check(half_ranked, invalid=0, budget=55).funded_in_full_by_score == 1
    ranked = [half_ranked[0], half_ranked[1].model_copy(update={"rank": 2})]
    assert budget_check(ranked, invalid=0, budget=55).funded_in_full_by_score == 0


def test_an_award_to_a_project_that_names_no_place_is_counted_apart_from_the_counties() -> None:
    """A project with no municipality and no county (a valid row: an applicant and an amount)
    is in no county; it is counted on its own, so that the per-county figures and it add up to
    what was awarded."""
    apps = (app("A", 100, ("0301",), ("03",), "5"), app("B", 40, (), (), "4"))
    decisions = (
        Decision(application_id="A", status=Status.FUNDED, amount=100),
        Decision(application_id="B", status=Status.FUNDED, amount=40),
    )
    allocation = Allocation(
        rule="ranked", policy=Policy(), budget=150, decisions=decisions, awarded=140, unallocated=10
    )
    result = RoundResult(
        allocation=allocation,
        applications=apps,
        tool_version="t",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    summary = summarise(result)
    assert {line.county: line.awarded for line in summary.per_county} == {"03": 100}
    assert (summary.no_county_projects, summary.no_county_awarded) == (1, 40)
    assert sum(line.awarded for line in summary.per_county) + summary.no_county_awarded == 140
