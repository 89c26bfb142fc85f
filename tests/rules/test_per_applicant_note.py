"""A cap per organisation (per_applicant_max) that could not be applied is said once for the
round: an application without an organisation number is in no organisation's sum, so nothing
caps it, and no reason of its says so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.models import Application, Policy
from tilskudd.rules import allocate
from tilskudd.wording import note_text

MakeApp = Callable[..., Application]
ORG = "974760673"
runner = CliRunner()


def notes_of(apps: list[Application], policy: Policy) -> dict[str, dict[str, object]]:
    result = allocate(apps, 1_000_000, policy)
    return {note.code: dict(note.params) for note in result.notes}


@pytest.mark.parametrize("rule", ["ranked", "proportional", "optimal", "lottery"])
def test_applications_without_an_orgnr_are_named_in_a_note(
    make_application: MakeApp, rule: str
) -> None:
    apps = [
        make_application(id="S10", orgnr=None),
        make_application(id="S2", orgnr=None),
        make_application(id="S1", orgnr=ORG),
        # An officer's decision is capped by nothing: not counted.
        make_application(id="S3", orgnr=None, decision="reject", decision_reason="Utenfor"),
    ]
    seed = 1 if rule == "lottery" else None
    notes = notes_of(apps, Policy(rule=rule, per_applicant_max=50_000, seed=seed))
    assert notes["note.per_applicant_unknown"] == {
        "setting": "per_applicant_max",
        "max": 50_000,
        "count": 2,
        "total": 3,
        "shown": 2,
        "ids": ["S2", "S10"],
    }
    # Nothing to say without the cap, or when every application has an orgnr.
    assert not any("per_applicant" in code for code in notes_of(apps, Policy(rule=rule, seed=seed)))
    complete = [make_application(id=f"S{i}", orgnr=ORG) for i in range(3)]
    capped = Policy(rule=rule, per_applicant_max=50_000, seed=seed)
    assert not any("per_applicant_unknown" in code for code in notes_of(complete, capped))


def test_no_orgnr_at_all_says_the_cap_held_nothing(make_application: MakeApp) -> None:
    apps = [make_application(id=f"S{i}", orgnr=None, requested=300_000) for i in range(12)]
    result = allocate(apps, 10_000_000, Policy(per_applicant_max=100_000))
    # The cap did not apply: each got its whole request.
    assert {d.amount for d in result.decisions} == {300_000}
    (note,) = result.notes
    assert note.code == "note.per_applicant_unknown_all"
    assert note_text(note, "nb") == (
        "Ingen av de 12 søknadene har organisasjonsnummer, så taket på 100\u00a0000\u00a0kr per "
        "organisasjon (per_applicant_max) ble ikke brukt på noen av dem. Står "
        "organisasjonsnumrene i arket under en overskrift tilskudd ikke kjenner, navngi "
        "kolonnen med --columns."
    )
    some = [*apps, make_application(id="S99", orgnr=ORG)]
    (note,) = allocate(some, 10_000_000, Policy(per_applicant_max=100_000)).notes
    assert note.code == "note.per_applicant_unknown_many"
    assert (note.params["count"], note.params["shown"]) == (12, 10)


def test_the_note_says_the_option_that_set_the_cap(tmp_path: Path) -> None:
    sheet = tmp_path / "søknader.csv"
    sheet.write_text("ID;Requested;Score\nA;300000;5\nB;200000;4\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["allocate", str(sheet), "--budget", "1M", "--per-applicant-max", "100000"],
        env={"COLUMNS": "400"},
    )
    assert result.exit_code == 0, result.output
    assert (
        "None of the 2 applications has an organisation number, so the cap of NOK\u00a0100,000 "
        "per organisation (per_applicant_max) was applied to none of them."
    ) in result.stdout
    assert "Set with the option --per-applicant-max." in result.stdout


def test_a_sheet_whose_organisation_numbers_were_not_found_is_told_so_not_the_public(
    tmp_path: Path,
) -> None:
    # One organisation got 3 000 000 kr under a cap of 1 500 000 kr: its numbers stood under a
    # heading tilskudd did not know, and nothing said the cap had had nothing to count by.
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
        ("nb", "Ingen av de 3 søknadene har organisasjonsnummer, så taket på 1 500 000 kr per"),
        ("en", "None of the 3 applications has an organisation number, so the cap of NOK"),
    ]:
        result = runner.invoke(app, [*args, "--lang", lang, "--force"])
        assert result.exit_code == 0, result.output
        flat = " ".join(result.stdout.split()).replace("\u00a0", " ")
        assert said in flat
        assert "--columns" in flat
        # A note for the officer about the input, not for the readers of the published list.
        assert "per_applicant_max" not in out.read_text(encoding="utf-8")


def test_an_officers_decision_without_an_orgnr_needs_no_note(make_application: MakeApp) -> None:
    # The one application without an organisation number is decided by the officer, whom no cap
    # limits: every application the cap could apply to has a number, and nothing is said (not
    # a note naming 0 applications).
    apps = [
        make_application(id="S1", orgnr=ORG),
        make_application(id="S2", orgnr=ORG),
        make_application(id="S3", orgnr=None, decision="reject", decision_reason="Utenfor"),
    ]
    notes = notes_of(apps, Policy(per_applicant_max=50_000))
    assert not any(code.startswith("note.per_applicant") for code in notes)
