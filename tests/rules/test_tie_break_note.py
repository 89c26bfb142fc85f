"""A tie-break column with no value for any application orders nothing: said in a note, so
that the officer does not believe ties were settled by it (they were settled by the id)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.models import Application, Policy
from tilskudd.rules import allocate
from tilskudd.wording import note_text

MakeApp = Callable[..., Application]


@pytest.mark.parametrize("rule", ["ranked", "proportional", "lottery"])
def test_an_empty_tie_break_column_is_noted(make_application: MakeApp, rule: str) -> None:
    apps = [
        make_application(id=i, requested=100, score=Decimal(5), total_cost=None, extra=extra)
        for i, extra in (("A", {"Merknad": None}), ("B", {"Merknad": ""}), ("C", {}))
    ]
    policy = Policy(rule=rule, tie_break="Merknad asc, total_cost, id", seed=1)
    result = allocate(apps, 150, policy)
    empty = [n for n in result.notes if n.code == "note.tie_break_empty"]
    assert [n.params for n in empty] == [
        {"setting": "tie_break", "column": "Merknad"},
        {"setting": "tie_break", "column": "total_cost"},
    ]
    assert note_text(empty[0], "en") == (
        "The tie-break column Merknad is empty for every application, so it ordered nothing."
    )
    # One value in the column is enough for it to order: no note.
    apps[1] = apps[1].model_copy(update={"extra": {"Merknad": "b"}})
    result = allocate(apps, 150, Policy(rule=rule, tie_break="Merknad asc", seed=1))
    assert not [n for n in result.notes if n.code == "note.tie_break_empty"]


def test_a_setting_in_the_programme_file_is_said_with_its_line(tmp_path: Path) -> None:
    # A note on a setting said "Set in tilskudd.toml" without its line when the setting came
    # from the programme file's [policy] table, where a policy file's setting has its line.
    programme = tmp_path / "tilskudd.toml"
    programme.write_text(
        '[programme]\nname = "Testordning"\nframe = "1 000 000"\nlang = "en"\n\n'
        '[[round]]\nnumber = 1\nbudget = "500 000"\n\n'
        '[policy]\nmax_share_of_cost = "20 %"\ntie_break = ["Merknad asc"]\n',
        encoding="utf-8",
    )
    sheet = tmp_path / "søknader.csv"
    sheet.write_text(
        "ID;Omsøkt beløp;Totalkostnad;Poeng;Merknad\nA;100000;600000;5;\nB;100000;600000;5;\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app,
        ["allocate", str(sheet), "--round", "1", "--programme", str(programme), "--dry-run"],
        env={"COLUMNS": "400"},
    )
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "The tie-break column Merknad is empty for every application" in flat
    assert f"Set in {programme}, line 12." in flat
