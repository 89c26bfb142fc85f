"""Amounts requested that look kept in thousands of kroner, though nothing in the sheet says so.

A round of 40 applications asking for 250, 1 200 and 80 (thousands) against a budget of
20 000 000 was read as kroner without a word: the rule awarded 22 390 kr and left the rest
unallocated. Real small grants (municipal culture grants of 2 000-20 000 kr from a budget of
200 000) must not be warned of.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.currency import amounts_in
from tilskudd.issues import describe_issue
from tilskudd.models import Location, Policy, Severity
from tilskudd.pipeline import read_applications, run_round
from tilskudd.thousands import CODES, measure, thousands_warning
from tilskudd.validation import with_budget

WHERE = Location(file="søknader.csv", row=1, column="C", header="Omsøkt beløp")
IN_THOUSANDS = (250, 1200, 80, 500, 900, 1500, 300)


def _warning(
    amounts: list[int], costs: list[int | None] | None = None, budget: int | None = None
) -> str | None:
    pairs = zip(amounts, costs or [None] * len(amounts), strict=True)
    issue = thousands_warning(measure(WHERE, amounts, pairs), budget)
    return None if issue is None else issue.code


def _round_in_thousands(count: int = 40, seed: int = 1) -> list[int]:
    rng = random.Random(seed)
    return [rng.choice(IN_THOUSANDS) for _ in range(count)]


def test_a_round_in_thousands_is_warned_of_against_its_budget() -> None:
    amounts = _round_in_thousands()
    assert sum(amounts) == 22_390
    assert _warning(amounts, budget=20_000_000) == "validate.thousands_budget"
    # Without the budget, and without a cost to compare with, the sheet alone says nothing:
    # small requests are no sign by themselves.
    assert _warning(amounts) is None


def test_a_round_in_thousands_oversubscribed_ten_times_is_still_warned_of() -> None:
    """Asking for 0.9 % of the budget, every request small: kept in thousands, oversubscribed
    about nine times."""
    amounts = [4500] * 40  # 180 000 of 20 000 000
    assert _warning(amounts, budget=20_000_000) == "validate.thousands_budget"
    assert _warning(amounts, budget=17_000_000) is None  # 1.06 %


def test_a_round_asking_for_a_few_thousandths_of_its_budget_is_warned_of_at_any_size() -> None:
    """Requests of 20 000 to 60 000 (thousands: 200 MNOK in all) against 80 MNOK: 0.25 % of
    the budget, though no request is small. Above 5 per mille, large requests are no sign."""
    amounts = [50_000, 20_000, 30_000, 40_000, 60_000]
    assert _warning(amounts, budget=80_000_000) == "validate.thousands_budget"
    assert _warning(amounts, budget=30_000_000) is None  # 0.67 %


def test_requests_in_thousands_beside_costs_in_kroner_are_warned_of_without_a_budget() -> None:
    amounts = _round_in_thousands()
    costs: list[int | None] = [a * 1000 * 3 for a in amounts]
    assert _warning(amounts, costs) == "validate.thousands_cost"
    # One application asking for 1 % or more of its cost: no sign.
    costs[5] = amounts[5] * 100
    assert _warning(amounts, costs) is None


def test_a_single_application_with_a_cost_is_too_little_to_go_on() -> None:
    assert _warning([250, 1200], [250_000, None]) is None
    assert _warning([250, 1200], [250_000, 1_200_000]) == "validate.thousands_cost"


@pytest.mark.parametrize("seed", range(20))
def test_small_municipal_culture_grants_are_never_warned_of(seed: int) -> None:
    """2 000-20 000 kr each, from a budget of 200 000, the projects costing from about as much
    to twenty times as much."""
    rng = random.Random(seed)
    amounts = [rng.randrange(2_000, 20_001, 500) for _ in range(rng.randrange(5, 60))]
    costs: list[int | None] = [a * rng.randrange(1, 21) for a in amounts]
    assert _warning(amounts, costs, budget=200_000) is None
    assert _warning(amounts, budget=200_000) is None
    # Every request under 10 000 too.
    small = [min(a, 9_500) for a in amounts]
    assert _warning(small, [s * rng.randrange(1, 21) for s in small], budget=200_000) is None


def test_no_budget_or_a_budget_of_zero_weighs_the_sheet_alone() -> None:
    amounts = _round_in_thousands()
    assert _warning(amounts, budget=0) is None
    assert _warning(amounts, [a * 2000 for a in amounts], budget=0) == "validate.thousands_cost"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 30_000), st.one_of(st.none(), st.integers(1, 10**9))),
        min_size=1,
        max_size=30,
    ),
    st.one_of(st.none(), st.integers(0, 10**10)),
    st.randoms(use_true_random=False),
)
def test_the_same_warning_whatever_the_row_order(
    rows: list[tuple[int, int | None]], budget: int | None, rng: random.Random
) -> None:
    shuffled = rows[:]
    rng.shuffle(shuffled)
    once = thousands_warning(measure(WHERE, [r for r, _ in rows], iter(rows)), budget)
    again = thousands_warning(measure(WHERE, [r for r, _ in shuffled], iter(shuffled)), budget)
    assert once == again


def _csv(tmp_path: Path, *, cost: bool = False) -> Path:
    amounts = _round_in_thousands()
    header = "Søknadsnr;Søker;Omsøkt beløp" + (";Totalkostnad" if cost else "")
    lines = [header]
    for i, amount in enumerate(amounts, start=1):
        line = f"S-{i};Lag {i};{amount}"
        lines.append(line + (f";{amount * 3000}" if cost else ""))
    path = tmp_path / "søknader.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_warning_is_at_the_column_and_says_what_to_do(tmp_path: Path) -> None:
    checked = read_applications(_csv(tmp_path, cost=True), display_name="søknader.csv")
    (issue,) = [i for i in checked.issues if i.code in CODES]
    assert issue.severity is Severity.WARNING
    assert issue.params == {"count": 40, "total": 22_390, "largest": 1_500, "costed": 40}
    assert issue.location is not None
    assert (issue.location.cell, issue.location.header) == ("C1", "Omsøkt beløp")
    assert " ".join(describe_issue(issue, "en").split()) == (
        "søknader.csv, C1 (Omsøkt beløp): the amounts requested look like thousands of kroner: "
        "every request is under 10,000 (the largest is NOK 1,500), and each of the 40 "
        "applications with a total cost asks for less than 1% of it. tilskudd reads every "
        "amount as whole kroner (1,200 as 1,200, not 1,200,000). If the amounts "
        "requested are in thousands, convert the column to whole kroner before allocating (in "
        "Excel: type 1000 in an empty cell, copy it, select the amounts, Paste Special, "
        "Multiply); a header that gives the scale, such as Amount requested (in thousands), is "
        "refused with an error instead of being read as whole kroner. If they are whole kroner, "
        "nothing "
        "needs to change"
    )
    weighed = with_budget(checked, 20_000_000)
    (issue,) = [i for i in weighed.issues if i.code in CODES]
    assert issue.code == "validate.thousands_budget"
    assert " ".join(describe_issue(issue, "nb").split()).startswith(
        "søknader.csv, C1 (Omsøkt beløp): omsøkte beløp ser ut til å være i tusen kroner: 40 "
        "søknader søker om 22 390 kr til sammen, 0,12 % av rammen på 20 000 000 kr, og det "
        "største beløpet er 1 500 kr. tilskudd leser alle beløp som hele kroner (1 200 som "
        "1 200, ikke 1 200 000), så nesten hele rammen ville bli stående ufordelt. Er "
        "beløpene i tusen kroner, gjør kolonnen om til hele kroner før tildelingen"
    )
    # Weighed again, or with the same budget by the round: nothing changes.
    assert with_budget(weighed, 20_000_000) is weighed
    assert run_round(weighed, 20_000_000, Policy(rule="proportional")).issues == weighed.issues


def test_check_with_a_budget_and_allocate_say_it_before_anything_is_allocated(
    tmp_path: Path,
) -> None:
    path = _csv(tmp_path)
    runner = CliRunner()
    plain = runner.invoke(app, ["check", str(path)])
    assert plain.exit_code == 0
    assert "thousands of kroner" not in plain.stdout
    checked = runner.invoke(app, ["check", str(path), "--budget", "20000000"])
    assert checked.exit_code == 0  # a warning: --strict makes it fail
    assert "look like thousands of kroner" in " ".join(checked.stdout.split())
    strict = runner.invoke(app, ["check", str(path), "--budget", "20000000", "--strict"])
    assert strict.exit_code == 1
    out = tmp_path / "tildeling.xlsx"
    allocated = runner.invoke(
        app,
        [
            *("allocate", str(path), "--budget", "20 000 000", "--rule", "proportional"),
            *("--lang", "nb", "-o", str(out)),
        ],
    )
    assert allocated.exit_code == 0, allocated.stdout
    text = " ".join(allocated.stdout.split())
    assert "ser ut til å være i tusen kroner" in text
    # Said with the sheet's problems, before the verdict and the allocation.
    assert text.index("tusen kroner") < text.index("Ingen feil: alle søknadene kan fordeles")


def test_the_warning_names_the_rounds_currency(tmp_path: Path) -> None:
    checked = read_applications(_csv(tmp_path, cost=True), display_name="søknader.csv")
    (issue,) = [i for i in checked.issues if i.code in CODES]
    with amounts_in("EUR"):
        said = " ".join(describe_issue(issue, "en").split())
    assert "look like thousands of EUR" in said
    assert "whole EUR" in said
    assert "kroner" not in said
