"""Policy settings a rule finds wrong once the applications are read (a tie-break column they do
not have, a county no numbering knows): said with the option or file, and the setting."""

from __future__ import annotations

from pathlib import Path

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
    assert said.startswith("feil: kommandolinjen: --tie-break: tie_break-kolonnen 'nix' er ")


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
