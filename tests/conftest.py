"""Factories shared by the tests: hand-built applications, decisions and round results.

Small on purpose: a test states what matters to it and takes defaults for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import settings

from tilskudd.models import (
    Allocation,
    Application,
    Decision,
    Policy,
    Reason,
    RejectedRow,
    RoundResult,
    Source,
    Status,
)

# Speed is measured by the benchmarks, never asserted in a test: Hypothesis's deadline (200 ms
# an example) is such an assertion, and on a loaded machine it failed properties at random.
settings.register_profile("tilskudd", deadline=None)
settings.load_profile("tilskudd")

CREATED = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)


def build_application(**overrides: Any) -> Application:
    """One valid application; override any field (total cost defaults to 5 x requested)."""
    data: dict[str, Any] = {
        "id": "A-1",
        "requested": 100_000,
        "applicant": "Moss kommune",
        "orgnr": "974760673",
        "project": "Felles saksbehandling",
        "municipalities": ("0104",),
        "counties": ("01",),
        "score": Decimal(5),
        "row": 2,
    }
    data.update(overrides)
    data.setdefault("total_cost", data["requested"] * 5)
    return Application(**data)


def build_decision(
    application_id: str, status: Status, amount: int = 0, **overrides: Any
) -> Decision:
    """One decision; ``requested`` and ``eligible_amount`` default to the amount when funded."""
    data: dict[str, Any] = {
        "application_id": application_id,
        "status": status,
        "amount": amount,
        "requested": amount or None,
        "eligible_amount": amount or None,
    }
    data.update(overrides)
    return Decision(**data)


def build_result(
    entries: Sequence[tuple[Application, Decision]],
    *,
    budget: int | None = None,
    rejected: Sequence[tuple[RejectedRow, Decision]] = (),
    notes: Sequence[Reason] = (),
    policy: Policy | None = None,
    **overrides: Any,
) -> RoundResult:
    """A round from (application, decision) pairs; the budget defaults to what was awarded."""
    decisions = tuple(d for _, d in entries) + tuple(d for _, d in rejected)
    awarded = sum(d.amount for d in decisions)
    budget = awarded if budget is None else budget
    data: dict[str, Any] = {
        "allocation": Allocation(
            rule="ranked",
            policy=policy or Policy(),
            budget=budget,
            decisions=decisions,
            awarded=awarded,
            unallocated=budget - awarded,
            notes=tuple(notes),
        ),
        "applications": tuple(a for a, _ in entries),
        "rejected": tuple(r for r, _ in rejected),
        "issues": tuple(i for r, _ in rejected for i in r.issues),
        "source": Source(file="søknader.xlsx", sha256="ab" * 32, sheet="Søknader", header_row=3),
        "tool_version": "0.1.0",
        "created": CREATED,
    }
    data.update(overrides)
    return RoundResult(**data)


@pytest.fixture
def make_application() -> Callable[..., Application]:
    """Factory fixture: ``make_application(id="A-2", requested=5_000)``."""
    return build_application


@pytest.fixture
def make_decision() -> Callable[..., Decision]:
    """Factory fixture: ``make_decision("A-1", Status.FUNDED, 100_000, rank=1)``."""
    return build_decision


@pytest.fixture
def make_result() -> Callable[..., RoundResult]:
    """Factory fixture: ``make_result([(app, decision), ...], budget=...)``."""
    return build_result
