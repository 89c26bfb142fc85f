"""The package's public API: every name in __all__ resolves, lazily."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import tilskudd

SMALL = Path(__file__).resolve().parents[1] / "examples" / "small.xlsx"


def test_every_public_name_resolves() -> None:
    for name in tilskudd.__all__:
        assert getattr(tilskudd, name) is not None, name


def test_importing_tilskudd_loads_no_heavy_module() -> None:
    code = (
        "import sys, tilskudd; "
        "print(','.join(m for m in ('pydantic', 'openpyxl', 'rich', 'python_calamine') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_library_round_trip() -> None:
    checked = tilskudd.read_applications(SMALL)
    policy = tilskudd.Policy(max_share_of_cost="20 %")  # type: ignore[arg-type]
    result = tilskudd.run_round(checked, 5_000_000, policy)
    allocation = result.allocation
    assert allocation.budget == allocation.awarded + allocation.unallocated == 5_000_000
    assert tilskudd.summarise(result).funded == 4
    assert {d.application_id for d in allocation.decisions} == {a.id for a in checked.applications}


def test_the_solver_is_imported_only_by_the_optimal_rule() -> None:
    code = (
        "import sys, tilskudd.rules, tilskudd.cli; "
        "print(','.join(m for m in ('highspy', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_checking_a_file_does_not_load_the_rules() -> None:
    """`tilskudd check` renders through tilskudd.summary; the rules package (every rule, about
    20 ms) is loaded only where a round is allocated or a budget checked."""
    code = (
        "import sys, tilskudd.validation, tilskudd.render.check; "
        "print(','.join(m for m in sys.modules if m.startswith('tilskudd.rules')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_a_policy_built_directly_or_from_words_fails_as_the_readme_says() -> None:
    # README, "Using tilskudd from Python": direct construction raises pydantic's
    # ValidationError; policy_from_mapping a PolicyError naming the setting, in either language.
    from pydantic import ValidationError

    from tilskudd.errors import PolicyError
    from tilskudd.policyfile import policy_from_mapping

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert 'Policy(max_share_of_cost="150 %")' in readme
    assert 'policy_from_mapping({"max_share_of_cost": "150 %"})' in readme
    with pytest.raises(ValidationError):
        tilskudd.Policy(max_share_of_cost="150 %")  # type: ignore[arg-type]
    with pytest.raises(PolicyError) as caught:
        policy_from_mapping({"max_share_of_cost": "150 %"})
    assert isinstance(caught.value, tilskudd.TilskuddError)
    assert len(caught.value.lines) == 1
    assert "max_share_of_cost" in str(caught.value)
    assert "max_share_of_cost" in caught.value.text("nb")
    assert caught.value.text("nb") != str(caught.value)
