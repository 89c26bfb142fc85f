"""tilskudd's values as JSON data (:mod:`tilskudd.jsondata`): what the allocation export and
``explain --format json`` share. ``plain`` is tested with the export (tests/export/test_json.py)."""

from __future__ import annotations

from tilskudd.jsondata import change_data
from tilskudd.models import AwardChange


def test_a_change_is_dated_by_its_decision_and_keeps_both_dates_as_recorded() -> None:
    change = AwardChange(
        application_id="S-1",
        kind="amend",
        created="2009-10-14T09:00:00+00:00",
        amount_before=500_000,
        amount_after=400_000,
        reason="Redusert budsjett",
        outside_policy=("max_share_of_cost",),
        outside_policy_figures='{"max_share_of_cost": {"cap": 300000}}',
        decided="2009-10-12",
    )
    assert change_data(change) == {
        "kind": "amend",
        "date": "2009-10-12",
        "decided": "2009-10-12",
        "recorded": "2009-10-14T09:00:00+00:00",
        "before": 500_000,
        "after": 400_000,
        "reason": "Redusert budsjett",
        "outside_policy": ["max_share_of_cost"],
    }
    # The order of the keys is the order the JSON documents write them in.
    assert list(change_data(change)) == [
        "kind",
        "date",
        "decided",
        "recorded",
        "before",
        "after",
        "reason",
        "outside_policy",
    ]


def test_a_change_without_a_decision_date_is_dated_by_the_day_in_norway_it_was_recorded() -> None:
    change = AwardChange(
        application_id="S-1",
        kind="withdraw",
        created="2009-11-02T23:30:00+00:00",  # 00:30 on 3 November in Norway
        amount_before=900_000,
        amount_after=0,
        reason="Søkeren trakk prosjektet",
    )
    data = change_data(change)
    assert (data["date"], data["decided"], data["outside_policy"]) == ("2009-11-03", None, [])
