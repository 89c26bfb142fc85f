"""Small hand-made rounds shared by the rule tests."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tilskudd.models import Application

MakeApp = Callable[..., Application]


def org_round(
    make_application: MakeApp, rows: list[tuple[str, str | None, int]]
) -> list[Application]:
    """Applications of 100 000 kr: (id, orgnr, score), in reverse (the order must not matter)."""
    return [
        make_application(id=i, orgnr=org, requested=100_000, score=Decimal(s))
        for i, org, s in reversed(rows)
    ]
