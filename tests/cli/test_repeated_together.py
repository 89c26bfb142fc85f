"""An option given more than once (``--budget 1 --budget 2``) is said with the command's other
mistakes, in one run and one message, with the usage line under them all and exit code 2: an
unknown option, a missing FILE, a value typer refused, words the command does not take, a file
that is not there, an amount that is not one. Before, it was found once the line had been read
and said alone; the rest showed only on the next run. The option is not also said to be left
out, or its value to be wrong: which of its values was meant is not known."""

from __future__ import annotations

from pathlib import Path

import pytest

from tilskudd.i18n import get, quoted

from .refusals import not_an_amount
from .refusals import problems_said as said

pytestmark = pytest.mark.usefixtures("in_empty_folder")

SMALL = str(Path(__file__).resolve().parents[2] / "examples" / "small.xlsx")


def twice(lang: str, option: str, *values: str) -> str:
    shown = [quoted(value) for value in values]
    return get(lang)("cli.usage.given_twice", option=option, values=shown)


def usage(lang: str, command: str) -> list[str]:
    t = get(lang)
    line = f"tilskudd {command} {t('cli.usage.options')} {t('cli.usage.argument.file')}"
    return [
        f"  {t('cli.usage.label')}: {line}",
        f"  {t('cli.hint_label')}: " + t("cli.usage.help", command=f"tilskudd {command} -h"),
    ]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_repeated_option_is_said_with_the_other_mistakes(lang: str) -> None:
    t = get(lang)
    lines = said(
        "allocate", "mangler.xlsx", "--budget", "1", "--budget", "2", "--register", "2010",
        "--zzz", "--lang", lang,
    )  # fmt: skip
    assert lines[0] == t("cli.usage.no_such_option", option="--zzz")
    assert lines[1] == twice(lang, "--budget", "1", "2")
    assert lines[2].startswith("--register")
    assert lines[3] == t("read.error.not_found", file="mangler.xlsx")
    assert lines[4:] == usage(lang, "allocate")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_repeated_budget_is_not_also_said_to_be_left_out(lang: str) -> None:
    t = get(lang)
    lines = said("allocate", "--budget", "1", "--budget", "2", "--lang", lang)
    file = t("cli.usage.argument.file")
    assert lines[:2] == [
        twice(lang, "--budget", "1", "2"),
        t("cli.usage.missing_argument", name=file),
    ]
    assert lines[2:] == usage(lang, "allocate")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_repeated_output_is_said_with_a_budget_that_is_not_an_amount(lang: str) -> None:
    lines = said(
        "allocate", SMALL, "-o", "x.xlsx", "-o", "y.xlsx", "--budget", "abc", "--lang", lang
    )
    assert lines[0] == twice(lang, "--output", "x.xlsx", "y.xlsx")
    assert lines[1].startswith(not_an_amount(lang, "--budget", "abc"))
    assert lines[2:] == usage(lang, "allocate")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_repeated_sheet_is_said_with_an_extra_word(lang: str) -> None:
    lines = said("check", SMALL, "extra", "--sheet", "a", "--sheet", "b", "--lang", lang)
    assert lines[0] == twice(lang, "--sheet", "a", "b")
    assert lines[1] == get(lang)("cli.extra_words", words="extra")
    assert lines[2:] == usage(lang, "check")


def test_an_option_given_three_times_is_said_once_with_its_values() -> None:
    lines = said("check", SMALL, "--sheet", "a", "--sheet", "b", "--sheet", "c")
    assert lines[0] == twice("en", "--sheet", "a", "b", "c")
    assert lines[1:] == usage("en", "check")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_repeated_lang_says_the_mistakes_in_the_last(lang: str) -> None:
    # As a mistake in typing the command finds its language: the last --lang given.
    other = "en" if lang == "nb" else "nb"
    lines = said("allocate", SMALL, "--lang", other, "--lang", lang, "-b", "1", "-b", "2")
    assert lines[:2] == [
        twice(lang, "--lang", other, lang),
        twice(lang, "--budget", "1", "2"),
    ]
    assert lines[2:] == usage(lang, "allocate")
