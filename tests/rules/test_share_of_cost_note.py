"""A cap on the share of cost that could not be applied is said once for the round, not only in
each application's reasons (where one line among many is easily missed)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.models import Application, Policy
from tilskudd.rules import allocate

MakeApp = Callable[..., Application]
TWENTY = Decimal("0.2")


def notes_of(apps: list[Application], policy: Policy) -> dict[str, dict[str, object]]:
    result = allocate(apps, 1_000_000, policy)
    assert result.awarded + result.unallocated == 1_000_000
    return {note.code: dict(note.params) for note in result.notes}


@pytest.mark.parametrize("rule", ["ranked", "proportional", "lottery"])
def test_applications_without_a_total_cost_are_named_in_a_note(
    make_application: MakeApp, rule: str
) -> None:
    apps = [
        make_application(id="S10", total_cost=None),
        make_application(id="S2", total_cost=None),
        make_application(id="S1"),
    ]
    seed = 1 if rule == "lottery" else None
    notes = notes_of(apps, Policy(rule=rule, max_share_of_cost=TWENTY, seed=seed))
    assert notes["note.share_of_cost_unknown"] == {
        "share": TWENTY,
        "count": 2,
        "total": 3,
        "ids": ["S2", "S10"],
    }
    # Nothing to say without the cap, or when every application has its total cost.
    assert "note.share_of_cost_unknown" not in notes_of(apps, Policy(rule=rule, seed=seed))
    complete = [make_application(id=f"S{i}") for i in range(3)]
    capped = Policy(rule=rule, max_share_of_cost=TWENTY, seed=seed)
    assert not any("share_of_cost" in code for code in notes_of(complete, capped))


def test_many_without_a_total_cost_are_counted_and_the_first_ten_named(
    make_application: MakeApp,
) -> None:
    apps = [make_application(id=f"S{i}", total_cost=None) for i in range(1, 13)]
    apps.append(make_application(id="S13"))
    note = notes_of(apps, Policy(max_share_of_cost=TWENTY))["note.share_of_cost_unknown_many"]
    assert note["count"] == 12
    assert note["shown"] == 10
    assert note["ids"] == [f"S{i}" for i in range(1, 11)]


def test_a_sheet_whose_total_cost_tilskudd_did_not_find_is_told_to_name_the_column(
    tmp_path: Path,
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Nr.", "Søker", "Omsøkt beløp", "Poeng", "Kostnad i EUR-prosjektet"])
    sheet.append(["A", "Moss kommune", 500_000, 5, 2_000_000])
    sheet.append(["B", "Asker kommune", 300_000, 4, 1_000_000])
    path = tmp_path / "søknader.xlsx"
    book.save(path)
    result = CliRunner().invoke(
        app,
        ["allocate", str(path), "-b", "1M", "--max-share-of-cost", "20 %", "--lang", "nb"],
    )
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert (
        "Ingen av de 2 søknadene har totalkostnad, så taket på 20 % av totalkostnaden ble ikke "
        "brukt på noen av dem." in flat
    )
    assert "navngi kolonnen med --columns" in flat


def test_an_application_decided_by_an_override_is_not_named_in_the_note(
    make_application: MakeApp,
) -> None:
    # Overrides and the share-of-cost note met here: caps do not limit an override, and its
    # reasons do not say the cap could not be applied, yet the note named it among those.
    apps = [
        make_application(id="S1", total_cost=None),
        make_application(
            id="S2",
            total_cost=None,
            decision="fund",
            decision_amount=100_000,
            decision_reason="Strategisk viktig",
        ),
        make_application(id="S3"),
    ]
    notes = notes_of(apps, Policy(max_share_of_cost=TWENTY))
    assert notes["note.share_of_cost_unknown"] == {
        "share": TWENTY,
        "count": 1,
        "total": 2,
        "ids": ["S1"],
    }
    # Only the officer's application lacks a total cost: nothing to say.
    apps[0] = make_application(id="S1")
    assert not any(
        "share_of_cost" in code for code in notes_of(apps, Policy(max_share_of_cost=TWENTY))
    )
