"""A per-organisation maximum that could apply to no application (none has an organisation
number) is said once for the round, as a share-of-cost cap without a total cost is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.models import Application, Policy
from tilskudd.rules import allocate

MakeApp = Callable[..., Application]
NOTE = "note.per_applicant_unknown_all"


def notes_of(apps: list[Application], policy: Policy) -> dict[str, dict[str, object]]:
    result = allocate(apps, 1_000_000, policy)
    assert result.awarded + result.unallocated == 1_000_000
    return {note.code: dict(note.params) for note in result.notes}


@pytest.mark.parametrize("rule", ["ranked", "proportional", "lottery", "optimal"])
def test_a_maximum_per_organisation_with_no_organisation_numbers_is_said(
    make_application: MakeApp, rule: str
) -> None:
    apps = [make_application(id=f"S{i}", orgnr=None, requested=400_000) for i in range(3)]
    seed = 1 if rule == "lottery" else None
    policy = Policy(rule=rule, per_applicant_max=500_000, seed=seed)
    assert notes_of(apps, policy)[NOTE] == {"max": 500_000, "total": 3}
    # Nothing to say without the maximum, or when an application has an organisation number.
    assert NOTE not in notes_of(apps, Policy(rule=rule, seed=seed))
    apps[0] = make_application(id="S0", orgnr="974760673", requested=400_000)
    assert NOTE not in notes_of(apps, policy)


def test_a_sheet_whose_organisation_numbers_tilskudd_did_not_find_is_told_to_name_the_column(
    tmp_path: Path,
) -> None:
    # One organisation got 3 000 000 kr under a maximum of 1 500 000 kr, and nothing said that
    # the maximum had had nothing to count by.
    path = tmp_path / "søknader.csv"
    path.write_text(
        "Søknadsnr.;Søker;Org.nummer for søker;Søkt beløp;Poeng\n"
        "A1;Eksempel AS;974760673;1000000;6\n"
        "A2;Eksempel AS;974760673;1000000;5\n"
        "A3;Eksempel AS;974760673;1000000;4\n",
        encoding="utf-8",
    )
    out = tmp_path / "tildeling.html"
    args = ["allocate", str(path), "-b", "3M", "--per-applicant-max", "1500000", "-o", str(out)]
    for lang, said in [
        (
            "nb",
            "Ingen av de 3 søknadene har organisasjonsnummer, så høyeste samlede tilskudd per "
            "organisasjon (per_applicant_max, 1 500 000 kr) begrenset ingen av dem. Står "
            "organisasjonsnumrene i arket under en overskrift tilskudd ikke kjenner, navngi "
            "kolonnen med --columns.",
        ),
        (
            "en",
            "None of the 3 applications has an organisation number, so the maximum per "
            "organisation (per_applicant_max, NOK 1,500,000) limited none of them. If the sheet "
            "has the organisation numbers under a heading tilskudd does not know, name the "
            "column with --columns.",
        ),
    ]:
        result = CliRunner().invoke(app, [*args, "--lang", lang, "--force"])
        assert result.exit_code == 0, result.output
        flat = " ".join(result.stdout.split()).replace("\u00a0", " ")
        assert said in flat
        # A note for the officer about the input, not for the readers of the published list.
        assert "per_applicant_max" not in out.read_text(encoding="utf-8")
