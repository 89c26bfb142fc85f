"""Comparing whole policies and budgets (tilskudd.compare.compare_variants)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.strategies import applications, policies
from tilskudd.compare import (
    Variant,
    compare_variants,
    differing_settings,
    setting_rows,
)
from tilskudd.errors import PolicyError
from tilskudd.export.compare_xlsx import sheet_names, write
from tilskudd.models import Application, Policy
from tilskudd.rules import allocate

MakeApp = Callable[..., Application]


@pytest.fixture
def round4(make_application: MakeApp) -> list[Application]:
    """Requests 400k, 300k, 200k, 100k at 20 % of a cost five times that; scores 9..6."""
    return [
        make_application(id=i, score=Decimal(s), requested=r, orgnr=None, applicant=f"Søker {i}")
        for i, s, r in [("A", 9, 400_000), ("B", 8, 300_000), ("C", 7, 200_000), ("D", 6, 100_000)]
    ]


STRICT = Policy(max_award=200_000, min_score=Decimal(7))
GENEROUS = Policy(max_award=300_000)


def test_each_variant_runs_its_own_policy_and_budget(round4: list[Application]) -> None:
    comparison = compare_variants(
        round4,
        [Variant("streng", STRICT, 600_000), Variant("raus", GENEROUS, 600_000)],
    )
    assert comparison.rules == ("streng", "raus")
    assert comparison.kind == "policies"
    strict, generous = comparison.figures
    # streng: A 200k, B 200k, C 200k (capped), D below the minimum score.
    assert [d.amount for d in strict.allocation.decisions] == [200_000, 200_000, 200_000, 0]
    # raus: A 300k, B 300k, nothing left for C and D.
    assert [d.amount for d in generous.allocation.decisions] == [300_000, 300_000, 0, 0]
    assert [d.application_id for d in comparison.differences] == ["A", "B", "C"]
    assert comparison.differences[0].outcomes[0][1] == 200_000
    for f in comparison.figures:
        assert f.awarded + f.unallocated == 600_000


def test_the_settings_that_differ_are_named_with_each_variant_s_value(
    round4: list[Application],
) -> None:
    comparison = compare_variants(
        round4,
        [Variant("streng", STRICT, 600_000), Variant("raus", GENEROUS, 700_000)],
    )
    assert differing_settings(comparison) == [
        ("budget", [600_000, 700_000]),
        ("max_award", [200_000, 300_000]),
        ("min_score", [Decimal(7), None]),
    ]
    assert setting_rows(comparison, "nb") == [
        ("budget", ["600\u00a0000\u00a0kr", "700\u00a0000\u00a0kr"]),
        ("max_award", ["200\u00a0000\u00a0kr", "300\u00a0000\u00a0kr"]),
        ("min_score", ["7", "ingen"]),
    ]
    assert setting_rows(comparison, "en")[2] == ("min_score", ["7", "none"])


def test_two_variants_alike_are_said_not_shown_twice(round4: list[Application]) -> None:
    same = Policy(max_award=Decimal(200_000), min_score=Decimal("7.0"))  # as STRICT
    with pytest.raises(PolicyError) as caught:
        compare_variants(
            round4,
            [
                Variant("streng", STRICT, 600_000),
                Variant("raus", GENEROUS, 600_000),
                Variant("streng2", same, 600_000),
            ],
        )
    assert str(caught.value) == (
        "streng and streng2 have the same policy and budget: nothing would differ between "
        "them; change one or leave it out"
    )
    assert caught.value.text("nb").startswith("streng og streng2 har samme tildelingsregler")
    # The same policy with another budget is a variant of its own.
    compare_variants(round4, [Variant("a", STRICT, 600_000), Variant("b", STRICT, 700_000)])
    with pytest.raises(PolicyError, match="at least two variants"):
        compare_variants(round4, [Variant("a", STRICT, 600_000)])


def test_a_problem_of_some_variants_is_said_with_their_labels(make_application: MakeApp) -> None:
    apps = [make_application(id="A-1"), make_application(id="A-2")]
    merknad = Policy(tie_break="merknad")
    with pytest.raises(PolicyError) as caught:
        compare_variants(
            apps,
            [
                Variant("a", merknad, 100_000),
                Variant("b", Policy(), 100_000),
                Variant("c", merknad.model_copy(update={"max_award": 5}), 100_000),
            ],
        )
    lines = str(caught.value).splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("a and c: tie-break column 'merknad'")
    # A problem every variant has is said once, without the labels.
    with pytest.raises(PolicyError) as caught:
        compare_variants(
            apps,
            [Variant("a", merknad, 100_000), Variant("b", merknad, 200_000)],
        )
    assert str(caught.value).startswith("tie-break column 'merknad'")


def test_sheet_names_are_names_excel_takes() -> None:
    taken = ["Sammenligning", "Forskjeller"]
    assert sheet_names(["ranked", "proportional"], taken) == ["ranked", "proportional"]
    assert sheet_names(["a/b:c", "sammenligning", "x" * 40, "x" * 40 + "y"], taken) == [
        "a_b_c",
        "sammenligning~2",
        "x" * 31,
        "x" * 29 + "~2",
    ]


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    apps=applications(max_size=12),
    rules=st.lists(st.sampled_from(["ranked", "proportional", "lottery"]), min_size=2, max_size=3),
    budgets=st.lists(st.integers(0, 8_000_000), min_size=3, max_size=3),
    data=st.data(),
)
def test_each_variant_is_what_allocate_gives_with_its_policy(
    apps: list[Application], rules: list[str], budgets: list[int], data: st.DataObject
) -> None:
    """Whatever the policies: each variant's column is the plain allocation with its policy
    and budget, and a difference is listed exactly where two columns disagree."""
    variants = []
    for index, rule in enumerate(rules):
        policy = data.draw(policies(rule))
        if rule == "lottery":
            policy = policy.model_copy(update={"seed": 11})
        variants.append(Variant(f"v{index}", policy, budgets[index]))
    alike = len({(v.policy, v.budget) for v in variants}) < len(variants)
    if alike:
        with pytest.raises(PolicyError, match="the same policy and budget"):
            compare_variants(apps, variants)
        return
    comparison = compare_variants(apps, variants)
    plain = [allocate(apps, v.budget, v.policy) for v in variants]
    for figures, alone, variant in zip(comparison.figures, plain, variants, strict=True):
        assert figures.allocation == alone
        assert figures.awarded + figures.unallocated == variant.budget
    disagree = {
        a.id
        for a in apps
        if len(
            {(d.status, d.amount) for p in plain for d in p.decisions if d.application_id == a.id}
        )
        > 1
    }
    assert {d.application_id for d in comparison.differences} == disagree


def test_workbook_of_policy_variants_read_back(round4: list[Application], tmp_path: Path) -> None:
    comparison = compare_variants(
        round4,
        [
            Variant(
                "streng", STRICT.model_copy(update={"max_share_of_cost": Decimal("0.2")}), 600_000
            ),
            Variant(
                "raus", GENEROUS.model_copy(update={"max_share_of_cost": Decimal("0.25")}), 600_000
            ),
        ],
    )
    path = tmp_path / "v.xlsx"
    write(comparison, path, lang="nb")
    sheet = openpyxl.load_workbook(path)["Sammenligning"]
    cells = {row[0].value: row[1:3] for row in sheet.iter_rows() if row[0].value}
    assert [c.value for c in cells["max_share_of_cost"]] == [0.2, 0.25]
    assert [c.number_format for c in cells["max_share_of_cost"]] == ["0%", "0%"]
    assert [c.number_format for c in cells["max_award"]] == ["#,##0", "#,##0"]
    assert [c.value for c in cells["Ramme"]] == [600_000, 600_000]
