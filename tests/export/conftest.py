"""A small, realistic round for the document exports: Norwegian names, a collaboration across
counties, hostile text (formula starters, HTML, pipes), every status, and a large round for
page breaks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from tilskudd.models import (
    Allocation,
    Application,
    AwardChange,
    Decision,
    Issue,
    Location,
    Policy,
    Reason,
    RejectedRow,
    RoundResult,
    Severity,
    Source,
    Status,
)

CREATED = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)
POLICY = Policy(max_share_of_cost="20 %", round_to=1000, reserve=1)

# id, applicant, orgnr, project, municipalities, counties, requested, total cost, score, extra
_APPS: tuple[tuple[Any, ...], ...] = (
    (
        "S-001",
        "Halden kommune",
        "959159092",
        "Felles IKT-plattform for Østfold",
        ("0101", "0104", "0105"),
        ("01",),
        3_300_000,
        16_500_000,
        "9.5",
        {"Saksbehandler": "Kari Nordmann", "Merknad": '=HYPERLINK("http://x")'},
    ),
    (
        "S-002",
        "Guovdageainnu suohkan",
        "940250016",
        "Samisk språkteknologi – Kárášjohka & Guovdageaidnu",
        ("2011", "2021"),
        ("20",),
        2_000_000,
        10_000_000,
        "9.5",
        {"Saksbehandler": "Ánde Somby", "Merknad": None},
    ),
    (
        "S-003",
        "Tromsø kommune",
        "940101808",
        "+47 Digital innbyggerdialog <script>alert(1)</script>",
        ("1902", "1805"),
        ("19", "18"),
        1_500_000,
        5_000_000,
        "8",
        {"Saksbehandler": "Ola | Hansen", "Merknad": "@SUM(A1:A2)"},
    ),
    (
        "S-004",
        "Bergen kommune",
        "964338531",
        "-Minus: Åpne data | felles API",
        ("1201",),
        ("12",),
        900_000,
        4_500_000,
        "7",
        {"Saksbehandler": "Per Ås", "Merknad": "\tTab først"},
    ),
    (
        "S-005",
        "Oslo kommune",
        "974778742",
        "Smart vann",
        ("0301",),
        ("03",),
        5_000_000,
        10_000_000,
        "5",
        {"Saksbehandler": "Liv", "Merknad": Decimal("12.5")},
    ),
    (
        "S-006",
        "Vadsø kommune",
        "944588132",
        "Ingen penger igjen",
        ("2003",),
        ("20",),
        800_000,
        1_000_000,
        "4",
        {"Saksbehandler": "Nils", "Merknad": 42},
    ),
)


def make_application(**overrides: Any) -> Application:
    """One valid application; override any field."""
    data: dict[str, Any] = {
        "id": "A-1",
        "requested": 100_000,
        "applicant": "Moss kommune",
        "orgnr": "959159092",
        "project": "Prosjekt",
        "municipalities": ("0104",),
        "counties": ("01",),
        "total_cost": 500_000,
        "score": Decimal("5"),
        "row": 2,
    }
    data.update(overrides)
    return Application(**data)


def _small_round(**result_overrides: Any) -> RoundResult:
    apps = tuple(
        make_application(
            id=i,
            applicant=a,
            orgnr=o,
            project=p,
            municipalities=m,
            counties=c,
            requested=r,
            total_cost=t,
            score=Decimal(s),
            row=n + 2,
            extra=x,
        )
        for n, (i, a, o, p, m, c, r, t, s, x) in enumerate(_APPS)
    )
    decisions = (
        Decision(
            application_id="S-001",
            status=Status.FUNDED,
            amount=3_300_000,
            requested=3_300_000,
            eligible_amount=3_300_000,
            rank=1,
            tied=True,
            reasons=(Reason(code="reason.funded", params={"rank": 1}),),
        ),
        Decision(
            application_id="S-002",
            status=Status.FUNDED,
            amount=2_000_000,
            requested=2_000_000,
            eligible_amount=2_000_000,
            rank=1,
            tied=True,
            reasons=(Reason(code="reason.funded", params={"rank": 1}),),
        ),
        Decision(
            application_id="S-003",
            status=Status.PARTLY_FUNDED,
            amount=1_000_000,
            requested=1_500_000,
            eligible_amount=1_000_000,
            rank=3,
            reasons=(
                Reason(
                    code="reason.capped.share_of_cost",
                    params={"share": Decimal("0.2"), "cap": 1_000_000},
                ),
            ),
        ),
        Decision(
            application_id="S-004",
            status=Status.FUNDED,
            amount=900_000,
            requested=900_000,
            eligible_amount=900_000,
            rank=4,
            override=True,
            reasons=(Reason(code="reason.override.fund", params={"note": "vedtak i styret"}),),
        ),
        Decision(
            application_id="S-005",
            status=Status.RESERVE,
            amount=0,
            requested=5_000_000,
            eligible_amount=2_000_000,
            rank=5,
            reasons=(Reason(code="reason.reserve", params={"position": 1}),),
        ),
        Decision(
            application_id="S-006",
            status=Status.NOT_FUNDED,
            amount=0,
            requested=800_000,
            eligible_amount=200_000,
            rank=6,
            reasons=(Reason(code="reason.budget_exhausted", params={"rank": 6, "left": 100_000}),),
        ),
        Decision(
            application_id="S-007",
            status=Status.REJECTED,
            amount=0,
            requested=None,
            reasons=(
                Reason(
                    code="reason.rejected.invalid",
                    params={"problems": 1, "codes": ["orgnr.checksum"], "cells": ["Søknader!C9"]},
                ),
            ),
        ),
    )
    awarded = sum(d.amount for d in decisions)
    budget = 7_300_000
    issue = Issue(
        severity=Severity.ERROR,
        code="orgnr_checksum",
        params={"value": "123456789", "digits": 9},
        location=Location(
            file="søknader.xlsx", sheet="Søknader", row=9, column="C", header="Orgnr"
        ),
        field="orgnr",
        value="123456789",
        application_id="S-007",
    )
    rejected = RejectedRow(
        id="S-007",
        row=9,
        applicant="=cmd|' /C calc'!A0",
        project="Ugyldig orgnr",
        requested=None,
        issues=(issue,),
        extra={"Saksbehandler": "Kari", "Merknad": None},
    )
    data: dict[str, Any] = {
        "allocation": Allocation(
            rule="ranked",
            policy=POLICY,
            budget=budget,
            decisions=decisions,
            awarded=awarded,
            unallocated=budget - awarded,
            notes=(Reason(code="note.tie_at_rank", params={"rank": 1, "ids": ["S-001", "S-002"]}),),
        ),
        "applications": apps,
        "rejected": (rejected,),
        "issues": (issue,),
        "source": Source(file="søknader.xlsx", sha256="ab" * 32, sheet="Søknader", header_row=1),
        "extra_columns": ("Saksbehandler", "Merknad"),
        "tool_version": "0.1.0",
        "created": CREATED,
        "programme": "IKT-tilskudd til kommunene 2009",
        "round": "Runde 1",
        "funder": "Direktoratet for forvaltning og IKT (Difi)",
    }
    data.update(result_overrides)
    return RoundResult(**data)


def _large_round(n: int = 120) -> RoundResult:
    """``n`` funded applications over many municipalities: enough rows for several pages."""
    from tilskudd.registry import get_register

    municipalities = sorted(get_register("2009").municipalities.values(), key=lambda m: m.number)
    apps = []
    decisions = []
    for i in range(n):
        place = municipalities[(i * 7) % len(municipalities)]
        amount = 100_000 + 1_000 * i
        apps.append(
            make_application(
                id=f"L-{i + 1:03d}",
                applicant=f"{place.name} kommune",
                project=f"Prosjekt nr. {i + 1} i {place.name}",
                municipalities=(place.number,),
                counties=(place.county_number,),
                requested=amount,
                total_cost=amount * 5,
                score=Decimal(n - i),
                row=i + 2,
            )
        )
        decisions.append(
            Decision(
                application_id=f"L-{i + 1:03d}",
                status=Status.FUNDED,
                amount=amount,
                requested=amount,
                eligible_amount=amount,
                rank=i + 1,
                reasons=(Reason(code="reason.funded", params={"rank": i + 1}),),
            )
        )
    awarded = sum(d.amount for d in decisions)
    return RoundResult(
        allocation=Allocation(
            rule="ranked",
            policy=Policy(),
            budget=awarded + 5,
            decisions=tuple(decisions),
            awarded=awarded,
            unallocated=5,
        ),
        applications=tuple(apps),
        source=Source(file="stor.xlsx", sha256="cd" * 32, sheet="Ark1"),
        tool_version="0.1.0",
        created=CREATED,
        programme="Stor runde",
        round="Runde 2",
        funder="Difi",
    )


CHANGES = (
    AwardChange(
        application_id="S-001",
        kind="amend",
        created="2009-10-14T09:00:00+00:00",
        amount_before=3_300_000,
        amount_after=3_000_000,
        reason="Prosjektet ble billigere (brev 12.10.2009)",
    ),
    AwardChange(
        application_id="S-003",
        kind="amend",
        created="2009-10-20T09:00:00+00:00",
        amount_before=1_000_000,
        amount_after=1_200_000,
        reason="Styrevedtak 19.10.2009, sak 09/123",
        outside_policy=("max_share_of_cost",),
    ),
    AwardChange(
        application_id="S-004",
        kind="withdraw",
        created="2009-11-03T09:00:00+00:00",
        amount_before=900_000,
        amount_after=0,
        reason="Søkeren trakk prosjektet",
    ),
    AwardChange(
        application_id="S-005",
        kind="amend",
        created="2009-11-04T09:00:00+00:00",
        amount_before=0,
        amount_after=800_000,
        reason="Reserve innvilget da penger ble ledige",
    ),
)
"""After the small round's decision: one award lowered, one raised outside the policy, one
withdrawn, and the first reserve funded; 7 200 000 decided, 7 000 000 now, 200 000 freed."""


FUNDED_THEN_WITHDRAWN = (
    AwardChange(
        application_id="S-005",
        kind="amend",
        created="2009-11-04T09:00:00+00:00",
        amount_before=0,
        amount_after=800_000,
        reason="Reserve innvilget",
    ),
    AwardChange(
        application_id="S-005",
        kind="withdraw",
        created="2009-11-20T09:00:00+00:00",
        amount_before=800_000,
        amount_after=0,
        reason="Søkeren trakk seg",
    ),
)
"""A reserve funded after the decision and withdrawn since: 0 decided, 0 now."""


def _changed_round(**overrides: Any) -> RoundResult:
    return _small_round(changes=CHANGES, decision_date=date(2009, 6, 12), **overrides)


@pytest.fixture
def changed_round() -> Callable[..., RoundResult]:
    """The small round committed, then amended and withdrawn from (:data:`CHANGES`)."""
    return _changed_round


@pytest.fixture
def small_round() -> Callable[..., RoundResult]:
    """Factory: the six-application round (plus one rejected row); override RoundResult fields."""
    return _small_round


@pytest.fixture
def round_without_awards() -> RoundResult:
    """The small round with nothing awarded: every application not funded, its budget of 100 kr
    left unallocated."""
    result = _small_round()
    decisions = tuple(
        d.replace(amount=0, status=Status.NOT_FUNDED) for d in result.allocation.decisions
    )
    return result.model_copy(
        update={
            "allocation": Allocation(
                rule="ranked",
                policy=Policy(),
                budget=100,
                decisions=decisions,
                awarded=0,
                unallocated=100,
            )
        }
    )


@pytest.fixture
def large_round() -> Callable[..., RoundResult]:
    """Factory: a round of ``n`` funded applications (default 120)."""
    return _large_round
