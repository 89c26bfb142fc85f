"""Words after a command's arguments that it does not take are said with the command's other
problems (a mistyped --budget, a missing input, no programme), in the run's language, not alone
before them: putting them right must not meet the next problem unsaid on the next run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tilskudd.i18n import get

from .refusals import problems_said as said

pytestmark = pytest.mark.usefixtures("in_empty_folder")

SMALL = Path(__file__).resolve().parents[2] / "examples" / "small.xlsx"


def budget_problem(lang: str) -> str:
    quote = "«xx»" if lang == "nb" else "'xx'"
    return {
        "en": f"--budget: {quote} is not an amount; expected whole kroner",
        "nb": f"--budget: {quote} er ikke et beløp; forventet hele kroner",
    }[lang]


def usage(lang: str, command: list[str], *arguments: str) -> list[str]:
    """The usage line and the hint said under a mistake in typing ``command``, whose usage line
    names ``arguments`` (``file``, ``[folder]`` for one that may be left out) as the
    catalogue does."""
    t = get(lang)
    words = [
        f"[{t(f'cli.usage.argument.{name[1:-1]}')}]"
        if name.startswith("[")
        else t(f"cli.usage.argument.{name}")
        for name in arguments
    ]
    path = " ".join(["tilskudd", *command])
    return [
        f"  {t('cli.usage.label')}: {' '.join([path, t('cli.usage.options'), *words])}",
        f"  {t('cli.hint_label')}: {t('cli.usage.help', command=f'{path} -h')}",
    ]


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(
    "command",
    [["check", str(SMALL)], ["allocate", str(SMALL)], ["explain", str(SMALL), "S-01"]],
    ids=["check", "allocate", "explain"],
)
def test_extra_words_are_said_with_a_mistyped_budget(command: list[str], lang: str) -> None:
    lines = said(*command, "extra", "words", "--budget", "xx", "--lang", lang)
    assert lines[0] == get(lang)("cli.extra_words", words="extra words")
    assert lines[1].startswith(budget_problem(lang))
    arguments = ["file", "application_id"] if command[0] == "explain" else ["file"]
    assert lines[2:] == usage(lang, command[:1], *arguments)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_extra_words_a_missing_input_and_a_wrong_setting_are_said_in_one_run(lang: str) -> None:
    t = get(lang)
    lines = said(
        "allocate", "mangler.xlsx", "extra", "--budget", "1M", "--reserve", "x", "--lang", lang
    )
    assert "--reserve" in lines[0]  # the wrong settings first, as allocate says them
    assert t("cli.extra_words", words="extra") in lines
    assert t("read.error.not_found", file="mangler.xlsx") in lines


@pytest.mark.parametrize("command", [["check"], ["allocate"], ["explain"]], ids=" ".join)
def test_a_name_left_out_of_quotes_is_said_with_the_rest_and_not_as_missing(
    tmp_path: Path, command: list[str]
) -> None:
    shutil.copy(SMALL, tmp_path / "Søknader 2026.xlsx")
    after = ["S-01"] if command == ["explain"] else []
    lines = said(*command, "Søknader", "2026.xlsx", *after, "--budget", "xx", "--lang", "nb")
    assert lines[0] == get("nb")("cli.unquoted_name", name="Søknader 2026.xlsx")
    assert lines[1].startswith(budget_problem("nb"))
    assert len(lines) == 4  # not also "Søknader finnes ikke"; the usage line and the hint


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["history", "978805000"],
        ["verify"],
        ["amend", "S-01", "--amount", "1000", "--reason", "r"],
        ["withdraw", "S-01", "--reason", "r"],
        ["ledger", "export", "ut.xlsx"],
    ],
    ids=lambda c: c[0] if c[0] != "ledger" else "ledger export",
)
def test_extra_words_are_said_with_the_missing_programme(command: list[str], lang: str) -> None:
    # Before, click refused the words before the command ran: the programme was not looked for.
    lines = said(*command, "runde", "1", "--lang", lang)
    t = get(lang)
    assert lines[0] == t("cli.extra_words", words="runde 1")
    assert any("tilskudd.toml" in line and "tilskudd init" in line for line in lines[1:])


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_init_says_extra_words_with_a_mistyped_frame(lang: str, tmp_path: Path) -> None:
    lines = said("init", "ny", "ordning", "--frame", "xx", "--lang", lang)
    assert lines[0] == get(lang)("cli.extra_words", words="ordning")
    assert lines[1].startswith("--frame: ")
    assert not (tmp_path / "ny").exists()


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(
    ("command", "arguments"),
    [
        (["status"], []),
        (["history", "978805000"], ["query"]),
        (["verify"], []),
        (["amend", "S-01", "--amount", "1000", "--reason", "r"], ["application_id"]),
        (["withdraw", "S-01", "--reason", "r"], ["application_id"]),
        (["init", "ny"], ["[folder]"]),
        (["check", str(SMALL)], ["file"]),
        (["allocate", str(SMALL), "--budget", "5M"], ["file"]),
        (["explain", str(SMALL), "S-01", "--budget", "5M"], ["file", "application_id"]),
    ],
    ids=[
        "status",
        "history",
        "verify",
        "amend",
        "withdraw",
        "init",
        "check",
        "allocate",
        "explain",
    ],
)
def test_extra_words_alone_are_said_with_the_usage_line_and_the_hint(
    command: list[str],
    arguments: list[str],
    lang: str,
    in_empty_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Said alone (in a programme folder: nothing else is wrong), the words lost the usage line
    # and the hint click said with them, unless a value typer refused came with them.
    shutil.copytree(SMALL.parent / "programme_difi2009", in_empty_folder / "ordning")
    monkeypatch.chdir(in_empty_folder / "ordning")
    lines = said(*command, "runde", "1", "--lang", lang)
    t = get(lang)
    assert lines == [t("cli.extra_words", words="runde 1"), *usage(lang, command[:1], *arguments)]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_extra_words_to_ledger_export_are_said_with_its_usage_under_every_problem(
    lang: str,
) -> None:
    lines = said("ledger", "export", "ut.xlsx", "runde", "1", "--lang", lang)
    assert lines[0] == get(lang)("cli.extra_words", words="runde 1")
    assert "tilskudd.toml" in lines[1]  # no programme here
    assert lines[2:] == usage(lang, ["ledger", "export"], "output_text")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_name_left_out_of_quotes_is_said_with_the_usage_line(lang: str, tmp_path: Path) -> None:
    shutil.copy(SMALL, tmp_path / "Søknader 2026.xlsx")
    lines = said("check", "Søknader", "2026.xlsx", "--lang", lang)
    name = get(lang)("cli.unquoted_name", name="Søknader 2026.xlsx")
    assert lines == [name, *usage(lang, ["check"], "file")]
