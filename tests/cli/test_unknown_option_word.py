"""An unknown option with no option near it, followed by a word that is not an option nor the
name of a file or folder that is there (``--farge rød``), is said once, with that word as its
value; before, the word was said again as an extra word the command does not take. A word that
names a file that is there stays an extra word, and a word the command's arguments need stays
its argument (``check --farge mangler.xlsx``: a FILE not there, not a FILE left out)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tilskudd.i18n import get, quoted

from .refusals import problems_said as said

pytestmark = pytest.mark.usefixtures("in_empty_folder")

SMALL = str(Path(__file__).resolve().parents[2] / "examples" / "small.xlsx")


def usage(lang: str, command: str, *arguments: str) -> list[str]:
    t = get(lang)
    words = [t(f"cli.usage.argument.{name}") for name in arguments]
    line = " ".join(["tilskudd", command, t("cli.usage.options"), *words])
    return [
        f"  {t('cli.usage.label')}: {line}",
        f"  {t('cli.hint_label')}: {t('cli.usage.help', command=f'tilskudd {command} -h')}",
    ]


def with_word(lang: str, option: str, word: str) -> str:
    return get(lang)("cli.usage.no_such_option_word", option=option, word=quoted(word))


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(
    "args",
    [
        [SMALL, "--zzz", "red"],
        ["--zzz", "red", SMALL],  # the file after it is still the file
        [SMALL, "-x", "red"],
    ],
    ids=["after the file", "before the file", "short"],
)
def test_an_unknown_option_and_its_word_are_said_once(args: list[str], lang: str) -> None:
    lines = said("check", *args, "--lang", lang)
    option = next(arg for arg in args if arg.startswith("-"))
    assert lines == [with_word(lang, option, "red"), *usage(lang, "check", "file")]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_negative_number_after_it_is_its_value(lang: str) -> None:
    lines = said("allocate", SMALL, "-b", "1", "--zzz", "-5", "--lang", lang)
    assert lines == [with_word(lang, "--zzz", "-5"), *usage(lang, "allocate", "file")]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_real_extra_word_is_still_said(lang: str) -> None:
    t = get(lang)
    lines = said("check", SMALL, "extra.csv", "--zzz", "--lang", lang)
    assert lines[:2] == [
        t("cli.usage.no_such_option", option="--zzz"),
        t("cli.extra_words", words="extra.csv"),
    ]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_file_that_is_there_after_it_is_an_extra_word(lang: str, in_empty_folder: Path) -> None:
    shutil.copy(SMALL, in_empty_folder / "andre.xlsx")
    t = get(lang)
    lines = said("check", SMALL, "--zzz", "andre.xlsx", "--lang", lang)
    assert lines[:2] == [
        t("cli.usage.no_such_option", option="--zzz"),
        t("cli.extra_words", words="andre.xlsx"),
    ]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_word_the_arguments_need_stays_an_argument(lang: str) -> None:
    t = get(lang)
    lines = said("check", "--zzz", "mangler.xlsx", "--lang", lang, code=2)
    assert lines[0] == t("cli.usage.no_such_option", option="--zzz")
    assert lines[1] == t("read.error.not_found", file="mangler.xlsx")
    # explain's FILE and ID: the ID after the unknown option is the ID.
    lines = said("explain", SMALL, "--zzz", "S-01", "-b", "1", "--lang", lang)
    assert lines == [
        t("cli.usage.no_such_option", option="--zzz"),
        *usage(lang, "explain", "file", "application_id"),
    ]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_word_after_an_option_near_a_flag_is_still_an_extra_word(lang: str) -> None:
    # --stric is near --strict, which takes no value: "red" is not its value.
    t = get(lang)
    lines = said("check", SMALL, "--stric", "red", "--lang", lang)
    assert lines[:2] == [
        t("cli.usage.no_such_option_near", option="--stric", near=["--strict"]),
        t("cli.extra_words", words="red"),
    ]
