"""examples/programme_difi2009: the 2009 programme file and the round-2 generator."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

from tilskudd.pipeline import read_applications
from tilskudd.programme import load_programme

FOLDER = Path(__file__).resolve().parents[1] / "examples" / "programme_difi2009"


def test_the_2009_programme() -> None:
    programme = load_programme(FOLDER / "tilskudd.toml")
    assert (programme.frame, programme.lang, programme.register_year) == (60_000_000, "nb", "2009")
    assert [(r.number, r.budget) for r in programme.rounds] == [(1, 20_000_000), (2, 40_000_000)]
    assert programme.policy.max_share_of_cost == Decimal("0.2")
    assert programme.ledger_path == FOLDER / "tilskudd.ledger.sqlite"


def test_the_round_2_file_is_what_its_generator_makes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("generate_runde2", FOLDER / "generate_runde2.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.generate(tmp_path / "runde2.xlsx")
    assert made.read_bytes() == (FOLDER / "difi_2009_runde2.xlsx").read_bytes()
    checked = read_applications(made, register="2009")
    assert (len(checked.applications), len(checked.rejected)) == (200, 0)
    assert not checked.errors
    ids = [a.id for a in checked.applications]
    assert ids[0] == "2009-201"  # continues round 1's numbering: one id, one application
