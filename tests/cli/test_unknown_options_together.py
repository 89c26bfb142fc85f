"""An unknown option (``--rulle ranked``) and an option at the end without its value
(``--budget``) are said with the command's other problems (a refused --lang or --register, a
missing file, a mistyped --budget, no programme), in the run's language, with the usage line
and the hint under them and exit code 2. Before, click's parser stopped at them and they were
said alone: the rest waited for the next run.

A misspelt option stands for the one its "did you mean" names first: the word after it is its
value when that option takes one (not the file, nor an extra word), and that option is not said
again as missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tilskudd.i18n import get

from .refusals import not_an_amount
from .refusals import problems_said as said

pytestmark = pytest.mark.usefixtures("in_empty_folder")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SMALL = str(EXAMPLES / "small.xlsx")


def usage(lang: str, command: str, *arguments: str) -> list[str]:
    t = get(lang)
    line = " ".join(["tilskudd", command, t("cli.usage.options"), *arguments])
    return [
        f"  {t('cli.usage.label')}: {line}",
        f"  {t('cli.hint_label')}: {t('cli.usage.help', command=f'tilskudd {command} -h')}",
    ]


def file_word(lang: str) -> str:
    return get(lang)("cli.usage.argument.file")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_misspelt_option_is_said_with_a_mistyped_budget_and_a_missing_input(lang: str) -> None:
    t = get(lang)
    lines = said("allocate", "mangler.xlsx", "--budget", "xx", "--rulle", "ranked", "--lang", lang)
    assert lines[0] == t("cli.usage.no_such_option_near", option="--rulle", near=["--rule"])
    assert lines[1].startswith(not_an_amount(lang, "--budget", "xx"))
    assert lines[2] == t("read.error.not_found", file="mangler.xlsx")
    assert lines[3:] == usage(lang, "allocate", file_word(lang))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_an_option_without_its_value_is_said_with_a_refused_value_and_a_missing_file(
    lang: str,
) -> None:
    t = get(lang)
    lines = said("allocate", "--register", "2010", "--lang", lang, "--budget")
    assert lines[0] == t("cli.usage.requires_value", option="--budget")
    assert lines[1] == t("cli.usage.missing_argument", name=file_word(lang))
    assert lines[2].startswith("--register")
    # Not also "--budget is required": said already, as given without its amount.
    assert lines[3:] == usage(lang, "allocate", file_word(lang))


def test_an_unknown_option_is_said_after_a_language_that_is_not_one() -> None:
    lines = said("check", "mangler.xlsx", "--lang", "xx", "--zzz")
    assert lines[0].startswith("--lang xx")
    assert lines[1] == get("en")("cli.usage.no_such_option", option="--zzz")
    assert lines[2] == get("en")("read.error.not_found", file="mangler.xlsx")
    assert lines[3:] == usage("en", "check", "FILE")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_unknown_options_are_said_with_a_refused_format_and_the_missing_programme(
    lang: str,
) -> None:
    t = get(lang)
    lines = said("status", "--zzz", "-q", "--format", "nope", "--lang", lang)
    assert lines[0] == t("cli.usage.no_such_option", option="--zzz")
    assert lines[1] == t("cli.usage.no_such_option", option="-q")
    assert lines[2].startswith("--format")
    assert "tilskudd.toml" in lines[3]
    assert lines[4:] == usage(lang, "status")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_value_of_a_misspelt_option_is_not_taken_for_the_file(lang: str) -> None:
    # --rulle is --rule misspelt, and --rule takes a value: 'ranked' is its, not the file.
    t = get(lang)
    lines = said("allocate", "--rulle", "ranked", SMALL, "--budget", "5M", "--lang", lang)
    assert lines == [
        t("cli.usage.no_such_option_near", option="--rulle", near=["--rule"]),
        *usage(lang, "allocate", file_word(lang)),
    ]


def test_the_word_after_a_misspelt_flag_is_the_file() -> None:
    # --strict takes no value: the word after --strictt is the file, read as such.
    lines = said("check", "--strictt", SMALL)
    assert lines == [
        get("en")("cli.usage.no_such_option_near", option="--strictt", near=["--strict"]),
        *usage("en", "check", "FILE"),
    ]


def test_a_misspelt_budget_is_not_also_said_to_be_missing() -> None:
    lines = said("allocate", SMALL, "--budjet", "5")
    assert len(lines) == 3  # the unknown option, its usage line and hint
    assert lines[0].startswith("no such option: --budjet; did you mean --budget")


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.usefixtures("programme")
def test_a_required_option_misspelt_or_without_its_value_is_said_once(lang: str) -> None:
    t = get(lang)
    lines = said("amend", "A", "--amont", "5", "--reason", "r", "--lang", lang)
    assert lines[0].startswith(t("cli.usage.no_such_option", option="--amont"))
    assert lines[1:] == usage(lang, "amend", "ID")  # not also "missing option --amount"
    lines = said("amend", "A", "--reason", "r", "--lang", lang, "--amount")
    assert lines == [t("cli.usage.requires_value", option="--amount"), *usage(lang, "amend", "ID")]
