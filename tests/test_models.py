"""The models hold the invariants every output relies on."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tilskudd.models import Allocation, Application, Decision, Location, Policy, Status


def decision(app_id: str, amount: int, status: Status = Status.FUNDED) -> Decision:
    return Decision(application_id=app_id, status=status, amount=amount)


def test_allocation_budget_must_balance() -> None:
    with pytest.raises(ValidationError, match="budget"):
        Allocation(
            rule="ranked",
            policy=Policy(),
            budget=100,
            awarded=60,
            unallocated=30,
            decisions=(decision("A", 60),),
        )


def test_allocation_awarded_is_the_sum_of_awards() -> None:
    with pytest.raises(ValidationError, match="sum of awards"):
        Allocation(
            rule="ranked",
            policy=Policy(),
            budget=100,
            awarded=50,
            unallocated=50,
            decisions=(decision("A", 60),),
        )


def test_allocation_lists_each_application_once() -> None:
    with pytest.raises(ValidationError, match="more than once"):
        Allocation(
            rule="ranked",
            policy=Policy(),
            budget=100,
            awarded=60,
            unallocated=40,
            decisions=(decision("A", 30), decision("A", 30)),
        )


@pytest.mark.parametrize(
    ("amount", "status"), [(0, Status.FUNDED), (0, Status.PARTLY_FUNDED), (10, Status.NOT_FUNDED)]
)
def test_status_must_fit_amount(amount: int, status: Status) -> None:
    with pytest.raises(ValueError, match="does not fit"):
        decision("A", amount, status).check()
    # An allocation holding such a decision is refused.
    with pytest.raises(ValidationError, match="does not fit"):
        Allocation(
            rule="ranked",
            policy=Policy(),
            budget=100,
            awarded=amount,
            unallocated=100 - amount,
            decisions=(decision("A", amount, status),),
        )


@pytest.mark.parametrize("amount", [-1, 1.5, True])
def test_allocation_refuses_amounts_that_are_not_whole_kroner(amount: object) -> None:
    with pytest.raises(ValidationError, match="whole kroner"):
        Allocation(
            rule="ranked",
            policy=Policy(),
            budget=100,
            awarded=0,
            unallocated=100,
            decisions=(decision("A", amount, Status.NOT_FUNDED),),  # type: ignore[arg-type]
        )


def test_allocation_holds_decisions_and_reasons_only() -> None:
    with pytest.raises(ValidationError, match="not a Decision"):
        Allocation(
            rule="ranked",
            policy=Policy(),
            budget=100,
            awarded=0,
            unallocated=100,
            decisions=(("A", Status.NOT_FUNDED, 0),),  # type: ignore[arg-type]
        )


def test_request_above_total_cost_is_invalid() -> None:
    with pytest.raises(ValidationError, match="total cost"):
        Application(id="A", requested=200, total_cost=100)


def test_location_cell_reference() -> None:
    assert Location(file="f.xlsx", sheet="Søknader", row=12, column="F").cell == "Søknader!F12"
    assert Location(file="f.csv", row=12).cell == "row 12"
