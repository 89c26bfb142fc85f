"""Policy settings a rule finds wrong once the applications are read (a tie-break column they do
not have, a county no numbering knows): said with the option or file, and the setting."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tilskudd.cli import app

SMALL = str(Path(__file__).resolve().parents[2] / "examples" / "small.xlsx")

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_programme_or_language(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)


def allocate(*args: str) -> str:
    result = runner.invoke(app, ["allocate", SMALL, "--budget", "1M", "--dry-run", *args])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    return result.stderr


KNOWN = (
    "applicant, category, counties, decision, decision_amount, decision_reason, id, "
    "municipalities, orgnr, project, rank, requested, row, score and total_cost"
)


def test_an_unknown_tie_break_column_names_the_policy_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('[policy]\ntie_break = ["nosuch asc"]\n', encoding="utf-8")
    assert allocate("--policy", str(path)) == (
        f"error: {path}, line 2: tie_break: tie-break column 'nosuch' is neither an application "
        f"field ({KNOWN}) nor a column of the input\n"
    )


def test_an_unknown_tie_break_column_names_the_option(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('[policy]\ntie_break = ["id asc"]\n', encoding="utf-8")
    said = allocate("--policy", str(path), "--tie-break", "id, nix", "--lang", "nb")
    assert said.startswith(
        "feil: kommandolinjen: --tie-break: kolonnen «nix» i rekkefølgen ved poenglikhet "
    )


def test_an_unknown_county_of_a_quota_names_the_file_and_the_quota(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        '[[policy.quotas]]\nby = "category"\nvalue = "Arkiv"\nmax_count = 1\n\n'
        '[[policy.quotas]]\nby = "county"\nvalue = "Atlantis"\nmax_count = 1\n',
        encoding="utf-8",
    )
    assert allocate("--policy", str(path)) == (
        f"error: {path}, line 8: quotas[2].value: quota by county: 'Atlantis' is not a county "
        "in the "
        "2024 numbering; expected a county name or a 2-digit county number\n"
    )


def test_a_county_number_no_numbering_has_is_refused(tmp_path: Path) -> None:
    # "99" was taken as a county: a quota on a group no application could be in did nothing.
    path = tmp_path / "policy.toml"
    path.write_text('[[policy.quotas]]\nby = "county"\nvalue = "99"\nmax_count = 1\n', "utf-8")
    assert allocate("--policy", str(path)) == (
        f"error: {path}, line 3: quotas[1].value: quota by county: '99' is not a county number "
        "in the "
        "2024 numbering; expected 2 digits, such as 03 for Oslo\n"
    )


def test_every_problem_a_rule_finds_is_said_at_once_with_the_cells(tmp_path: Path) -> None:
    # Two tie-break columns the applications lack, two counties that are not, a score the
    # options need and quotas the rule refuses: all said in one run, each where it was written,
    # after the problems in the cells (also said in the same run).
    applications = tmp_path / "søknader.csv"
    applications.write_text(
        "ID;Requested;Score\nA-1;100000;4\nA-2;200000;\nA-3;3x;5\n", encoding="utf-8"
    )
    path = tmp_path / "policy.toml"
    path.write_text(
        '[policy]\ntie_break = ["nosuch asc", "id", "nix desc"]\n\n'
        '[[policy.quotas]]\nby = "county"\nvalue = "99"\nmax_count = 1\n\n'
        '[[policy.quotas]]\nby = "county"\nvalue = "Atlantis"\nmax_count = 1\n',
        encoding="utf-8",
    )
    args = ["allocate", str(applications), "--budget", "1M", "--dry-run", "--policy", str(path)]
    args += ["--rule", "proportional", "--weight", "score", "--min-score", "3"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "'3x' is not an amount" in result.stdout
    assert result.stderr.splitlines() == [
        'error: options: --weight: weight = "score" needs a score for every application; 1 of 2 '
        "has none (A-2)",
        "options: --min-score: min_score needs a score for every application; 1 of 2 has none "
        "(A-2)",
        f"{path}, line 2: tie_break: tie-break column 'nosuch' is neither an application field "
        f"({KNOWN}) nor a column of the input",
        f"{path}, line 2: tie_break: tie-break column 'nix' is neither an application field "
        f"({KNOWN}) nor a column of the input",
        f"{path}, line 4: quotas: quotas do not apply to the proportional rule: every eligible "
        "application gets the same share of its eligible amount, so what a category or county "
        "receives follows from the budget and cannot be held to a limit; use the ranked or "
        "optimal rule, or remove the quotas",
    ]
    # Ranked (given ranks) in bokmål: the counties of the quotas are looked up too.
    applications.write_text(
        "ID;Requested;Score;Rank\nA-1;100000;4;1\nA-2;200000;;2\nA-3;3x;5;3\n", encoding="utf-8"
    )
    result = runner.invoke(app, [*args[:-6], "--min-score", "3", "--lang", "nb"])
    assert result.exit_code == 2, result.output
    assert "«3x» er ikke et beløp" in result.stdout
    said = result.stderr.splitlines()
    assert said[0] == (
        "feil: kommandolinjen: --min-score: min_score krever poeng for hver søknad; 1 av 2 har "
        "ingen (A-2)"
    )
    assert [line.split(": ")[:2] for line in said[1:]] == [
        [f"{path}, linje 2", "tie_break"],
        [f"{path}, linje 2", "tie_break"],
        [f"{path}, linje 6", "quotas[1].value"],
        [f"{path}, linje 11", "quotas[2].value"],
    ]
    assert said[4].endswith(
        "kvote etter fylke: «Atlantis» er ikke et fylke i 2024-inndelingen; "
        "forventet et fylkesnavn eller et tosifret fylkesnummer"
    )


def test_a_quota_that_had_no_effect_is_said_with_where_it_was_set(tmp_path: Path) -> None:
    # A cap on a misspelt category ("Arkv") held nothing: the run goes on (a standing policy
    # may cap a group with no applicant this round), and the terminal and every output say
    # so, naming the quota, its file and line, and the category the officer likely meant.
    path = tmp_path / "policy.toml"
    path.write_text(
        '[policy]\nrule = "ranked"\n\n[[policy.quotas]]\nby = "category"\nvalue = "Arkv"\n'
        'max_share = "10 %"\n',
        encoding="utf-8",
    )
    out = tmp_path / "tildeling.xlsx"
    args = ["allocate", SMALL, "--budget", "5M", "--policy", str(path), "-o", str(out)]
    result = runner.invoke(app, [*args, "--lang", "nb"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    said = (
        "Kvoten quotas[1] (kategori «Arkv») virket ikke: ingen søknad i runden har den "
        f"kategorien (mente du Arkiv?). Satt i {path}, linje 4."
    )
    assert f"- {said}\n" in result.stdout
    cells = [
        str(cell)
        for sheet in openpyxl.load_workbook(out, read_only=True)
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell
    ]
    assert said in cells
    # In JSON, the place as data beside the code.
    json_out = tmp_path / "tildeling.json"
    result = runner.invoke(
        app,
        ["allocate", SMALL, "--budget", "5M", "--policy", str(path), "-o", str(json_out)],
    )
    assert result.exit_code == 0, result.output
    (note,) = json.loads(json_out.read_text(encoding="utf-8"))["notes"]
    assert note["code"] == "note.quota.idle_category_near"
    assert note["params"]["set_in_file"] == str(path)
    assert note["params"]["set_in_line"] == 4


def test_wrong_settings_are_said_with_the_rule_problems_and_the_cells(tmp_path: Path) -> None:
    # A share above 100 %, limits that leave no award, a misspelt rule and an amount that is
    # not one stopped the run before the file was read: the tie-break column the file lacks,
    # the county no numbering knows, the missing scores and the bad cell came one run later
    # each. Now one run says them all, each where it was written; the settings first.
    applications = tmp_path / "søknader.csv"
    applications.write_text(
        "ID;Requested;Score\nA-1;100000;4\nA-2;200000;\nA-3;3x;5\n", encoding="utf-8"
    )
    path = tmp_path / "policy.toml"
    path.write_text(
        '[policy]\nmax_share_of_cost = "150 %"\nmin_award = 500\nmax_award = 100\n'
        'tie_break = ["nosuch asc"]\n\n'
        '[[policy.quotas]]\nby = "county"\nvalue = "Atlantis"\nmax_count = 1\n',
        encoding="utf-8",
    )
    args = ["allocate", str(applications), "--budget", "1M", "--policy", str(path)]
    result = runner.invoke(app, [*args, "--round-to", "nope", "--rule", "optimal"])
    assert result.exit_code == 2, result.output
    assert "B4  Requested  '3x' is not an amount" in result.stdout
    assert result.stderr.splitlines() == [
        f"error: {path}, line 2: max_share_of_cost: a share must be more than 0 % and at most "
        "100 % (got '150 %')",
        f"{path}, line 1: min_award NOK\u00a0500 is more than max_award NOK\u00a0100: "
        "no application could be funded",
        "options: --round-to: 'nope' is not an amount; expected whole kroner, such as "
        "3 300 000, kr 3.300.000,- or 3,3 mill.",
        f"{path}, line 5: tie_break: tie-break column 'nosuch' is neither an application field "
        f"({KNOWN}) nor a column of the input",
        f"{path}, line 9: quotas[1].value: quota by county: 'Atlantis' is not a county in the "
        "2024 numbering; expected a county name or a 2-digit county number",
    ]
    # A rule that is itself wrong asks nothing of the applications (no score needed), and the
    # checks every rule makes are still made; in bokmål.
    result = runner.invoke(app, [*args, "--rule", "rangert", "--lang", "nb"])
    assert result.exit_code == 2, result.output
    assert "ingen verdi for poeng" not in result.stdout
    said = result.stderr.removeprefix("feil: ").splitlines()
    assert said[2] == (
        "kommandolinjen: --rule: forventet ranked, proportional, optimal eller lottery "
        "(oppgitt: «rangert»)"
    )
    assert [line.split(":")[0] for line in said] == [
        f"{path}, linje 2",
        f"{path}, linje 1",
        "kommandolinjen",
        f"{path}, linje 5",
        f"{path}, linje 9",
    ]


def test_a_wrong_setting_is_said_with_an_input_that_is_missing(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["allocate", str(tmp_path / "nosuch.csv"), "--budget", "1M", "--max-award", "0"],
    )
    assert result.exit_code == 2, result.output
    said = result.stderr.splitlines()
    assert said[0].startswith("error: options: --max-award: ")
    assert said[1].startswith(f"{tmp_path / 'nosuch.csv'} does not exist")


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_a_note_on_the_policy_is_for_the_officer_not_the_published_list(
    tmp_path: Path, suffix: str
) -> None:
    # An idle quota, an empty tie-break column and a cap per organisation with no organisation
    # numbers are about the officer's policy and sheet, with advice for the command line and
    # the place of the policy file on the officer's machine: said in the terminal and the
    # case file, not in the list published for everyone.
    folder = tmp_path / "kari.nordmann" / "saksmappe"
    folder.mkdir(parents=True)
    path = folder / "policy.toml"
    path.write_text(
        '[policy]\nrule = "ranked"\ntie_break = ["Merknad asc"]\nper_applicant_max = 900000\n\n'
        '[[policy.quotas]]\nby = "category"\nvalue = "Arkv"\nmax_share = "10 %"\n',
        encoding="utf-8",
    )
    sheet = tmp_path / "søknader.csv"
    sheet.write_text(
        "ID;Søker;Omsøkt beløp;Poeng;Kategori;Merknad\n"
        "A;Eksempel AS;300000;5;Arkiv;\nB;Eksempel AS;200000;5;Arkiv;\n",
        encoding="utf-8",
    )
    out = tmp_path / f"tildeling{suffix}"
    args = ["allocate", str(sheet), "--budget", "1M", "--policy", str(path), "-o", str(out)]
    result = runner.invoke(app, [*args, "--lang", "nb"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    for said in ("quotas[1]", "Merknad", "organisasjonsnummer"):
        assert said in result.stdout
    published = out.read_text(encoding="utf-8")
    assert "kari.nordmann" not in published
    assert "quotas[1]" not in published
    assert "per_applicant_max" not in published
    assert "Satt i" not in published
