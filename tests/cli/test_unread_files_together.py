"""A policy file or a programme that cannot be had no longer hides the rest of the command line:
the round is set up without it, and its problem is said with the others (a mistyped --budget, a
wrong setting, a missing input, an output whose format is not known), before the reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from tilskudd.i18n import get

from .refusals import problems_said as said

pytestmark = pytest.mark.usefixtures("in_empty_folder")

DIFI = str(Path(__file__).resolve().parents[2] / "examples" / "difi_2009_runde1.xlsx")


def amount_problem(lang: str) -> str:
    return {"en": "--budget: 'xx' is not an amount", "nb": "--budget: «xx» er ikke et beløp"}[lang]


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(
    "command", [["allocate", DIFI], ["explain", DIFI, "2009-101"]], ids=["allocate", "explain"]
)
def test_a_missing_policy_file_is_said_with_the_budget_and_the_settings(
    command: list[str], lang: str
) -> None:
    lines = said(
        *command, "--policy", "mangler.toml", "--budget", "xx", "--reserve", "x", "--lang", lang
    )
    t = get(lang)
    assert "--reserve" in lines[0]
    assert t("policy.error.file_not_found", path="mangler.toml") in lines
    assert any(line.startswith(amount_problem(lang)) for line in lines)
    assert len(lines) == 3


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_missing_programme_is_said_with_the_input_and_the_output_options(lang: str) -> None:
    lines = said(
        "allocate", "mangler.xlsx", "--programme", "nei.toml", "--budget", "xx",
        "-o", "x.foo", "--csv-dialect", "foo", "--lang", lang,
    )  # fmt: skip
    t = get(lang)
    assert lines[0] == t("programme.error.not_found_option", path="nei.toml")
    assert lines[1].startswith(amount_problem(lang))
    assert t("read.error.not_found", file="mangler.xlsx") in lines
    assert t("output.error.csv_dialect", given="foo") in lines
    assert any("x.foo" in line for line in lines[2:])


def test_a_round_without_its_programme_is_not_said_to_lack_a_budget_or_a_funder() -> None:
    # The round's programme would have given them: only what is known to be wrong is said.
    lines = said("allocate", DIFI, "--round", "1", "--format", "360giving", "-o", "g.xlsx",
                 "--reserve", "x")  # fmt: skip
    t = get("en")
    assert lines[1:] == [t("ledger.cli.no_programme", folder=str(Path.cwd()))]
    assert t("output.error.budget_required") not in lines
    assert t("output.error.giving_funder") not in lines


def test_a_missing_programme_alone_is_still_invalid_input() -> None:
    lines = said("allocate", DIFI, "--programme", "nei.toml", "--budget", "1M", code=1)
    assert lines == [get("en")("programme.error.not_found_option", path="nei.toml")]
