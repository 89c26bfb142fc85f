"""Fixtures shared by the rule tests."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from tilskudd.models import Application

MakeApp = Callable[..., Application]


@pytest.fixture
def round6(make_application: MakeApp) -> list[Application]:
    """Six applications scored 9..4, eligible 100k each (no caps), all different orgs."""
    return [
        make_application(
            id=f"S{i}", requested=100_000, total_cost=None, score=Decimal(10 - i), orgnr=None
        )
        for i in range(1, 7)
    ]
