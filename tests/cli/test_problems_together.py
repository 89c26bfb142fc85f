"""Every problem of a command line in one run: a missing input file and the output options'
mistakes are said together, in the command's language, rather than one a run."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.i18n import get

runner = CliRunner()


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_missing_input_and_output_options_said_together(lang: str) -> None:
    t = get(lang)
    result = runner.invoke(
        app,
        ["allocate", "mangler.xlsx", "--budget", "1000", "-o", "x.foo", "--csv-dialect", "foo"],
        env={"TILSKUDD_LANG": lang},
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f"{t('cli.error_label')}: {t('read.error.not_found', file='mangler.xlsx')}"
    assert t("output.error.csv_dialect", given="foo") in lines
    assert any("x.foo" in line for line in lines[1:])


@pytest.mark.parametrize(
    ("options", "key"),
    [
        (["--format", "foo", "-o", "x.xlsx"], "output.error.unknown_format"),
        (["--format", "360giving", "-o", "x.xlsx"], "output.error.giving_funder"),
    ],
)
def test_each_output_problem_said_with_the_missing_input(options: list[str], key: str) -> None:
    result = runner.invoke(app, ["allocate", "mangler.xlsx", "--budget", "1000", *options])
    assert result.exit_code == 2, result.output
    assert get("en")("read.error.not_found", file="mangler.xlsx") in result.stderr
    assert get("en")(key, given="foo").split("'")[0] in result.stderr


def test_missing_input_alone_is_invalid_input() -> None:
    result = runner.invoke(app, ["allocate", "mangler.xlsx", "--budget", "1000"])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"error: {get('en')('read.error.not_found', file='mangler.xlsx')}\n"


def test_wrong_setting_missing_input_and_output_said_together() -> None:
    result = runner.invoke(
        app,
        ["allocate", "mangler.xlsx", "--budget=1000", "--max-share-of-cost=150 %", "-o", "x.foo"],
    )
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert "--max-share-of-cost" in lines[0]
    assert get("en")("read.error.not_found", file="mangler.xlsx") in lines
    assert any("x.foo" in line for line in lines[2:])
