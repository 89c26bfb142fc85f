"""Every command's --help: prose flows as paragraphs, examples keep their lines, and text in
square brackets is shown as written (not taken for markup)."""

from __future__ import annotations

import inspect
import itertools
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.cli.helptext import help_words
from tilskudd.cli.round_options import POLICY_HELP, PROGRAMME_HELP
from tilskudd.i18n import get
from tilskudd.render.plain import plain_text

from .commands import COMMANDS, EVERY, walk
from .entrypoint import run_main


def _help(*command: str, lang: str = "en") -> list[str]:
    # Wide, so that a paragraph fits on one line and any break inside it is the help's own.
    env = {"COLUMNS": "1000", "TILSKUDD_LANG": lang}
    result = CliRunner().invoke(app, [*command, "--help"], env=env)
    assert result.exit_code == 0, result.output
    return [" ".join(line.split()) for line in result.stdout.splitlines()]


def _docstring(command: list[str]) -> str:
    found = typer.main.get_command(app)
    for name in command:
        found = found.commands[name]  # type: ignore[attr-defined]
    return inspect.cleandoc(found.help or "")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_prose_is_whole_paragraphs_and_examples_keep_their_lines(command: list[str]) -> None:
    lines = _help(*command)
    prose, code = [], []
    for paragraph in _docstring(command).split("\n\n"):
        if paragraph.startswith("    "):
            code += [line.strip() for line in paragraph.splitlines()]
        else:
            prose.append(" ".join(paragraph.split()))
    assert code, "every command's help has a worked example"
    for paragraph in prose:
        assert paragraph in lines  # one line, not broken where the docstring broke it
    for line in code:
        assert line in lines  # an example keeps its own lines


def test_a_paragraph_that_spans_docstring_lines_is_one_line() -> None:
    lines = _help("allocate")
    assert (
        "Invalid applications are listed as rejected with their problems and the allocation "
        "runs on the rest (unless --strict). Every result holds budget = awarded + unallocated."
    ) in lines


def test_example_output_keeps_its_lines() -> None:
    lines = _help("status")
    assert "tilskudd status" in lines
    assert "Runde 1: 19 981 000 kr til 53 prosjekter i 110 kommuner." in lines


@pytest.mark.parametrize("command", [["allocate"], ["explain"]])
def test_square_brackets_are_shown_as_written(command: list[str]) -> None:
    assert any("Policy TOML file ([policy] table)." in line for line in _help(*command))


@pytest.mark.parametrize("command", [[], *COMMANDS], ids=lambda c: " ".join(c) or "tilskudd")
def test_a_flag_shows_no_value_to_type(command: list[str]) -> None:
    """typer's "--force <bool>" read as if the flag took a value; "--force true" is refused."""
    lines = _help(*command)
    assert not [line for line in lines if "<bool>" in line]
    assert any("│ --help -h Show this message and exit. │" in line for line in lines)


@pytest.mark.parametrize("command", [[], *COMMANDS], ids=lambda c: " ".join(c) or "tilskudd")
def test_an_options_value_is_named_by_what_it_is_not_its_python_type(command: list[str]) -> None:
    """ "--budget <str>" and "--reserve <int>" told an officer nothing; AMOUNT and N do."""
    lines = [line for line in _help(*command) if line.lstrip("│ *").startswith("-")]
    for python_type in ("<str>", "<int>", "<path>", "<float>", "<int range>", "<decimal>"):
        assert not [line for line in lines if python_type in line], python_type


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_argument_is_named_once_without_its_python_type(command: list[str], lang: str) -> None:
    """typer showed an argument's name and then its Python type, "FILE <path>", "ID <str>":
    the name twice over, the second time in a programmer's words. And "--limit N [x>=0]"
    put a formula beside the option (its help says what 0 means)."""
    lines = _help(*command, lang=lang)
    words = help_words(lang)
    heading = words["heading.arguments"]
    start = next((k for k, line in enumerate(lines) if f"─ {heading} ─" in line), None)
    shown = []
    if start is not None:
        end = next(k for k in range(start + 1, len(lines)) if lines[k].startswith("╰"))
        shown = [line.lstrip("│ *").split(" ")[0] for line in lines[start + 1 : end]]
        shown = [word for word in shown if word and not word.startswith("[")]
    for line in lines:
        assert not any(t in line for t in ("<path>", "<str>", "<int>", "[x>=0]")), line
    usage = next(line for line in lines if line.startswith(words["heading.usage"]))
    options = words["usage.options"]
    named = [w.strip("[]") for w in usage.split()[2 + len(command) :] if w != options]
    assert shown == named


def test_an_arguments_line_reads_name_then_help() -> None:
    lines = _help("explain")
    assert (
        "│ * FILE Applications file: .xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .tsv or .txt. │"
        in lines
    )
    assert "│ * ID The application's id, as in the ID column. │" in lines
    for command in ("allocate", "check"):
        limit = [line for line in _help(command) if line.startswith("│ --limit ")]
        assert limit
        assert limit[0].startswith("│ --limit N ")
        assert "(0: all)" in limit[0]


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize("command", [["allocate"], ["check"], ["explain"]], ids=" ".join)
def test_the_file_argument_names_every_format_the_readme_names(
    command: list[str], lang: str
) -> None:
    """The README reads .xlsx, .xlsm, .xlsb, .xls, .ods and delimited text (.csv, .tsv, .txt);
    the FILE argument's help left out .xlsb, .tsv and .txt, as if an officer with an Excel
    binary workbook or Excel's "Unicode text" had to convert it first."""
    from tilskudd.reading.sniff import _EXTENSIONS

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    words = help_words(lang)
    line = next(
        line
        for line in _help(*command, lang=lang)
        if line.startswith(f"│ * {words['argument.file']} ")
    )
    for extension in (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv", ".tsv", ".txt"):
        assert extension in _EXTENSIONS  # read, by its name
        assert f"`{extension}`" in readme  # and promised
        assert extension in re.findall(r"\.\w+", line), (extension, line)


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize("command", [["allocate"], ["check"], ["explain"]], ids=" ".join)
def test_register_help_says_the_programme_numbering_is_the_default(
    command: list[str], lang: str
) -> None:
    """In a programme folder the programme's numbering is the default (the commands' own
    texts and the README say so), but --register showed "[default: 2024]" as if it were not."""
    lines = _help(*command, lang=lang)
    at = next(k for k, line in enumerate(lines) if line.startswith("│ --register "))
    shown = " ".join(lines[at : at + 2])
    default = help_words(lang)["heading.default"].replace("{value}", "2024")
    assert default not in shown
    assert ("the programme's, else 2024" if lang == "en" else "ordningens, ellers 2024") in shown


def test_amounts_files_and_choices_read_as_an_officer_would_type_them() -> None:
    text = "\n".join(_help("allocate"))
    for shown in (
        "--budget -b AMOUNT",
        "--output -o FILE",
        "--max-share-of-cost SHARE",
        "--reserve N",
        "--at-line <skip|stop|partial>",
        "--register <2009|2020|2024>",
    ):
        assert shown in text, shown


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        (["allocate"], "Usage: tilskudd allocate [OPTIONS] FILE"),
        (["explain"], "Usage: tilskudd explain [OPTIONS] FILE ID"),
        (["init"], "Usage: tilskudd init [OPTIONS] [FOLDER]"),
        (["history"], "Usage: tilskudd history [OPTIONS] ORGNR_OR_ID"),
        (["amend"], "Usage: tilskudd amend [OPTIONS] ID"),
        (["ledger", "export"], "Usage: tilskudd ledger export [OPTIONS] OUTPUT"),
        ([], "Usage: tilskudd [OPTIONS] COMMAND [ARGS]..."),
    ],
)
def test_the_usage_line_names_the_arguments_as_click_does(command: list[str], usage: str) -> None:
    """Not typer's "{file}", which looks like something to type braces and all."""
    lines = _help(*command)
    assert usage in lines
    assert not [line for line in lines if "{" in line]


def test_every_command_is_tilskudds() -> None:
    """Its help and its usage errors are shown as above only if it is (cli.app.App, Group)."""
    from tilskudd.cli.app import Command, Group

    found = walk()
    assert isinstance(found[0][1], Group)
    assert len(found) >= 10
    for _path, command in found:
        assert isinstance(command, Command | Group), command.name


def test_the_readme_names_every_command_the_app_has_and_no_other() -> None:
    """The tests of every command's help go over the app's commands (tests/cli/commands.py): a
    command taken out of the app, the README still telling of it, fails here instead of
    leaving those tests one fewer to check; one added without its words in the README too."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`tilskudd ([a-z]+)", readme))
    assert named == {path[0] for path in EVERY if path}
    for path in EVERY:
        assert f"`{' '.join(['tilskudd', *path])}" in readme, path


# -- the help in the command's language --------------------------------------------------------

ENGLISH_WORDS = (
    "Usage:",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    "─ Options ─",
    "─ Arguments ─",
    "─ Commands ─",
    "[default:",
    "[required]",
    "Show this message and exit.",
    "─ Programme and ledger ─",
    "─ Policy (overrides --policy) ─",
)


def _walk() -> list[tuple[str, typer.core.TyperCommand | typer.core.TyperGroup]]:
    """(catalogue key, command) for tilskudd itself and every command under it."""
    return [(".".join(path) or "root", command) for path, command in walk()]


_TYPER_WORDS = ("heading.", "usage.", "argument.", "metavar.")
"""The English help catalogue's keys: typer's words and the value names, not the texts."""


def test_the_english_help_texts_are_written_once_in_the_code() -> None:
    """A command's English text is its docstring and an option's its help=; the English
    catalogue held them a second time (a test kept the two equal), so an edit was made twice.
    It now holds only the words typer gives (headings, the usage line's, value names)."""
    en = help_words("en")
    assert [key for key in en if not key.startswith(_TYPER_WORDS)] == []


def _help_texts() -> dict[tuple[str, str], str]:
    """(command key, ``text`` or the option's name): the English text the code gives it."""
    texts: dict[tuple[str, str], str] = {}
    for key, command in _walk():
        texts[key, "text"] = inspect.cleandoc(command.help or "")
        for param in command.params:
            if param.help is not None:  # type: ignore[attr-defined]
                texts[key, param.name or ""] = param.help  # type: ignore[attr-defined]
    return texts


def test_every_help_text_of_the_code_has_its_norwegian_one_and_no_other() -> None:
    """Each command's and option's text has a bokmål one (``<command>.<option>``, else
    ``option.<option>``); a shared one stands for a single English text; none is left over."""
    nb = help_words("nb")
    texts = _help_texts()
    assert len(texts) > 60
    used = {"option.help"}  # typer's own --help, "Show this message and exit."
    shared: dict[str, set[str]] = {}
    for (key, name), english in texts.items():
        assert english.strip(), (key, name)
        if name == "text":
            assert nb[f"{key}.text"].strip(), key
            used.add(f"{key}.text")
        elif f"{key}.{name}" in nb:
            used.add(f"{key}.{name}")
        else:
            assert f"option.{name}" in nb, (key, name)
            used.add(f"option.{name}")
            shared.setdefault(name, set()).add(english)
    for name, englishes in shared.items():
        assert len(englishes) == 1, (name, englishes)  # one bokmål text for two English ones
    panels = {
        param.rich_help_panel  # type: ignore[attr-defined]
        for _key, command in _walk()
        for param in command.params
        if getattr(param, "rich_help_panel", None)
    }
    assert panels == {POLICY_HELP, PROGRAMME_HELP}
    used |= {"panel.policy", "panel.programme"}
    texts_of_nb = {key for key in nb if not key.startswith(_TYPER_WORDS)}
    assert texts_of_nb == used
    assert set(help_words("en")) == {key for key in nb if key.startswith(_TYPER_WORDS)}


def test_the_help_names_things_as_the_usage_errors_and_the_code_do() -> None:
    for lang in ("en", "nb"):
        words, t = help_words(lang), get(lang)
        assert words["usage.options"] == t("cli.usage.options")
        assert words["usage.command"] == t("cli.usage.command")
        arguments = [key for key in words if key.startswith("argument.")]
        assert len(arguments) == 5
        for key in arguments:
            assert words[key] == t(f"cli.usage.{key}"), key


@pytest.mark.parametrize("command", EVERY, ids=lambda c: " ".join(c) or "tilskudd")
def test_the_norwegian_help_has_no_english_left(command: list[str]) -> None:
    nb_lines = _help(*command, lang="nb")
    nb_text = "\n".join(nb_lines)
    for word in ENGLISH_WORDS:
        assert word not in nb_text, word
    assert next(line for line in nb_lines if line).startswith("Bruk: tilskudd")
    for metavar in ("AMOUNT", "FILE", "NAME", "SHARE", "SCORE", "COLUMNS", "SHEET", "FOLDER"):
        assert f" {metavar} " not in nb_text, metavar
    # Every sentence of the English help (its prose and its options' texts) is gone, except the
    # examples' command lines, which are the same in both languages.
    en_lines = _help(*command, lang="en")
    same = set(_examples(command, "en")) & set(_examples(command, "nb"))
    for line in en_lines:
        prose = line.strip("│ ").split("  ")[-1].strip()
        if prose in same:
            continue
        if len(prose) > 25 and not prose.startswith("tilskudd ") and " " in prose:
            if prose.startswith(("--", "IKT-", "Runde ", "Igjen ", "Vedtaksdato ")):
                continue
            assert prose not in nb_text, prose


@pytest.mark.parametrize("command", EVERY, ids=lambda c: " ".join(c) or "tilskudd")
def test_the_english_help_names_its_example_files_in_english(command: list[str]) -> None:
    """The English help showed `tilskudd allocate søknader.xlsx`, `-o tildeling.xlsx` and
    `--compare 'streng.toml,raus.toml'`: words an officer working in English cannot read, for
    files whose names are theirs to choose (the bundled examples keep their own names)."""
    text = "\n".join(_help(*command, lang="en"))
    assert re.findall(r"\b(?:søknader|tildeling|streng|raus)\.(?:xlsx|toml)", text) == []


def test_the_norwegian_help_reads_as_a_norwegian_public_body_writes_it() -> None:
    lines = _help("allocate", lang="nb")
    assert "Bruk: tilskudd allocate [VALG] FIL" in lines
    text = "\n".join(lines)
    for shown in (
        "─ Argumenter ─",
        "─ Valg ─",
        "─ Tildelingsregler (går foran --policy) ─",
        "─ Ordning og register ─",
        "--budget -b BELØP Rammen for runden: 20000000, '20 000 000' eller 20M.",
        "--output -o FIL",
        "--max-share-of-cost ANDEL",
        "[standard: excel]",
        "[påkrevd]",
        "--help -h Vis denne hjelpen og avslutt.",
    ):
        assert shown in text, shown
    root = _help(lang="nb")
    assert "Bruk: tilskudd [VALG] KOMMANDO [ARGUMENTER]..." in root
    assert any(line.startswith("│ verify Kontroller registeret:") for line in root)
    assert any("─ Kommandoer ─" in line for line in root)


def _help_of(args: list[str], env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(app, args, env={"COLUMNS": "1000", **(env or {})})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    ("args", "env", "usage"),
    [
        (["allocate", "--lang", "nb", "--help"], {"TILSKUDD_LANG": ""}, "Bruk:"),
        (["allocate", "--lang=nb", "-h"], {"TILSKUDD_LANG": "en"}, "Bruk:"),
        (["allocate", "--lang", "en", "--help"], {"TILSKUDD_LANG": "nb"}, "Usage:"),
        (["ledger", "export", "--help"], {"TILSKUDD_LANG": "nb"}, "Bruk:"),
        (["--help"], {"TILSKUDD_LANG": "nb"}, "Bruk:"),
        (["--help"], {"TILSKUDD_LANG": ""}, "Usage:"),
        # tilskudd's --lang is the language of its help too; ledger has none, but its help
        # is asked for in a language
        (["--lang", "nb", "--help"], {"TILSKUDD_LANG": ""}, "Bruk: tilskudd [VALG]"),
        (["-h", "--lang=nb"], {"TILSKUDD_LANG": ""}, "Bruk: tilskudd [VALG]"),
        (["--lang", "en", "--help"], {"TILSKUDD_LANG": "nb"}, "Usage: tilskudd [OPTIONS]"),
        (["ledger", "--lang", "nb", "--help"], {"TILSKUDD_LANG": ""}, "Bruk: tilskudd ledger"),
    ],
)
def test_the_help_is_in_the_language_a_usage_error_would_be(
    args: list[str], env: dict[str, str], usage: str
) -> None:
    assert _help_of(args, env).lstrip().startswith(usage)


def test_in_a_programme_folder_the_help_is_in_the_programmes_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tilskudd.toml").write_text('[programme]\nname = "x"\nlang = "nb"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    env = {"TILSKUDD_LANG": ""}
    assert _help_of(["status", "--help"], env).lstrip().startswith("Bruk: tilskudd status")
    assert _help_of(["amend", "--help"], env).lstrip().startswith("Bruk:")
    # init makes a programme, and does not take the language of one it stands in
    assert _help_of(["init", "--help"], env).lstrip().startswith("Usage:")
    # tilskudd itself and ledger: their commands work in the folder
    assert _help_of(["--help"], env).lstrip().startswith("Bruk: tilskudd [VALG]")
    assert _help_of(["ledger", "--help"], env).lstrip().startswith("Bruk: tilskudd ledger")


def test_an_english_help_after_a_norwegian_one_is_english() -> None:
    """The words are put back after a help is shown: typer's headings are module constants."""
    assert "─ Valg ─" in _help_of(["check", "--help"], {"TILSKUDD_LANG": "nb"})
    text = _help_of(["check", "--help"], {"TILSKUDD_LANG": "en"})
    assert "─ Options ─" in text
    assert "Valg" not in text


def test_the_help_loads_the_catalogue_but_not_the_library() -> None:
    code = (
        "import sys\n"
        "from tilskudd.cli import app\n"
        "try:\n"
        "    app(['allocate', '--lang', 'nb', '--help'], prog_name='tilskudd')\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        # the help reads its own catalogue, not the main one (importing i18n: 6 ms of start-up)
        "heavy = ('tilskudd.models', 'tilskudd.programme', 'tilskudd.pipeline', 'openpyxl',\n"
        "         'tilskudd.i18n',\n"
        "         'python_calamine', 'numpy', 'highspy')\n"
        "print('loaded:', ','.join(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=env,
    )
    assert "Bruk: tilskudd allocate" in done.stdout
    assert done.stdout.splitlines()[-1] == "loaded: "


def test_every_value_name_an_option_shows_has_a_norwegian_one() -> None:
    """--budget AMOUNT is --budget BELØP in bokmål; a list of choices (<2009|2020|2024>) is typed as
    it is in both."""
    from tilskudd.cli.app import _METAVARS

    shown = {word for word in _METAVARS.values() if word.isupper()}
    for _key, command in _walk():
        shown |= {
            param.metavar
            for param in command.params
            if isinstance(param, typer.core.TyperOption) and param.metavar
            if param.metavar.isupper()
        }
    assert {"AMOUNT", "FILE", "N"} <= shown
    en, nb = help_words("en"), help_words("nb")
    for word in shown:
        assert en[f"metavar.{word.lower()}"] == word
        assert nb[f"metavar.{word.lower()}"], word


@pytest.mark.parametrize("command", [[], ["ledger"]], ids=lambda c: " ".join(c) or "tilskudd")
def test_a_group_typed_alone_shows_its_help_in_the_language(command: list[str]) -> None:
    result = CliRunner().invoke(app, command, env={"COLUMNS": "1000", "TILSKUDD_LANG": "nb"})
    assert result.exit_code == 2
    assert result.output.lstrip().startswith(" ".join(["Bruk: tilskudd", *command, "[VALG]"]))
    assert "─ Kommandoer ─" in result.output


def test_lang_before_no_command_is_a_missing_command_said_in_that_language() -> None:
    result = CliRunner().invoke(app, ["--lang", "nb"], env={"TILSKUDD_LANG": ""})
    assert result.exit_code == 2
    assert result.stderr.startswith("feil: mangler kommando")


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (["--lang", "nb", "allocate", "--help"], "Bruk: tilskudd allocate [VALG] FIL"),
        (["--lang=nb", "check", "-h"], "Bruk: tilskudd check [VALG] FIL"),
        (["--lang", "nb", "ledger", "export", "--help"], "Bruk: tilskudd ledger export"),
        # the command's own --lang wins
        (["--lang", "nb", "allocate", "--lang", "en", "--help"], "Usage: tilskudd allocate"),
        (["--lang", "en", "allocate", "--help", "--lang", "nb"], "Bruk: tilskudd allocate"),
    ],
)
def test_lang_before_the_command_is_the_language_of_its_help(args: list[str], usage: str) -> None:
    assert _help_of(args, {"TILSKUDD_LANG": ""}).lstrip().startswith(usage)


def _examples(command: list[str], lang: str) -> list[str]:
    """The lines of the worked examples of ``command``'s help in ``lang``, as written."""
    key = ".".join(command) or "root"
    text = help_words("nb")[f"{key}.text"] if lang == "nb" else _docstring(command)
    return [
        line.strip()
        for paragraph in text.split("\n\n")
        if paragraph.startswith("    ")
        for line in paragraph.splitlines()
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "ascii", "cp1252"])
@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize("command", [[], *COMMANDS], ids=lambda c: " ".join(c) or "tilskudd")
def test_an_example_fits_the_terminal_and_can_be_pasted(
    monkeypatch: pytest.MonkeyPatch, command: list[str], lang: str, columns: int, encoding: str
) -> None:
    """An example longer than the terminal was folded by the help (``--budget`` / ``20000000``;
    at 60 columns ``--register`` / ``2009 \\``, a quoted reason over two lines), and one over
    two lines had no backslash: pasted, its second line ran as a command of its own. Each line
    now fits 60 columns, in the stream's encoding too (søknader as soeknader in ASCII), and a
    line that goes on ends with `` \\``."""
    monkeypatch.setenv("TILSKUDD_LANG", lang)
    code, out, _ = run_main(monkeypatch, encoding, *command, "--help", columns=columns)
    assert code == 0
    shown = [" ".join(line.split()) for line in out.decode(encoding).splitlines()]
    lines = _examples(command, lang)
    assert lines
    for line, after in itertools.pairwise(lines):
        if after.startswith("-"):
            assert line.endswith(" \\"), line
    for line in lines:
        assert " ".join(plain_text(line, encoding).split()) in shown, line


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize(
    ("command", "amount"),
    [(["allocate"], "'20 000 000'"), (["check"], "'20 000 000'"), (["amend"], "'450 000'")],
)
def test_an_amount_in_the_help_is_never_broken_over_two_lines(
    command: list[str], amount: str, lang: str
) -> None:
    """At 80 columns the bokmål --budget read "Rammen for runden: 20000000, '20" and, on the
    next line, "000 000' eller 20M": rich breaks at any space, the no-break ones too."""
    for columns in range(60, 124, 4):
        env = {"COLUMNS": str(columns), "TILSKUDD_LANG": lang}
        result = CliRunner().invoke(app, [*command, "--help"], env=env)
        assert result.exit_code == 0
        lines = [" ".join(line.strip("│ ").split()) for line in result.stdout.splitlines()]
        assert any(amount in line for line in lines), (columns, amount)


def test_the_ledger_commands_examples_are_what_the_bundled_programme_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """status's example showed Difi's real round 1 (20 000 000 kr to 52 projects in 145
    municipalities), which tilskudd does not print for the bundled round (examples/README says
    why they differ), and history's an organisation number the bundled programme does not have.
    Each is now what the command prints in examples/programme_difi2009 after round 1."""
    import shutil

    examples = Path(__file__).resolve().parents[2] / "examples"
    shutil.copytree(examples, tmp_path / "examples")
    monkeypatch.chdir(tmp_path / "examples" / "programme_difi2009")
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    runner = CliRunner()
    committed = runner.invoke(
        app, ["allocate", "../difi_2009_runde1.xlsx", "--round", "1", "--commit"]
    )
    assert committed.exit_code == 0, committed.output
    for command, lang in itertools.product(("status", "history"), ("en", "nb")):
        text = _docstring([command]) if lang == "en" else help_words("nb")[f"{command}.text"]
        example = text.split("\n\n    tilskudd ", 1)[1]
        typed, _, shown = example.partition("\n")
        result = runner.invoke(app, typed.split())
        assert result.exit_code == 0, result.output
        printed = [line.replace("\xa0", " ").strip() for line in result.stdout.splitlines()]
        for line in shown.strip().splitlines():
            assert line.strip() in printed, (command, lang, line)
        if command == "history":
            assert "Bindal kommune" in result.stdout


def test_the_amend_and_withdraw_examples_change_awards_the_bundled_round_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """withdraw's example named 2009-031, which the bundled round 1 does not fund: pasted in
    examples/programme_difi2009, it was refused ("has no award to withdraw"). Each example, in
    either language, now records its change there after round 1."""
    import shutil

    examples = Path(__file__).resolve().parents[2] / "examples"
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    runner = CliRunner()
    for lang in ("en", "nb"):
        shutil.copytree(examples, tmp_path / lang / "examples")
        monkeypatch.chdir(tmp_path / lang / "examples" / "programme_difi2009")
        committed = runner.invoke(
            app, ["allocate", "../difi_2009_runde1.xlsx", "--round", "1", "--commit"]
        )
        assert committed.exit_code == 0, committed.output
        for command in ("amend", "withdraw"):
            (typed,) = [" ".join(_examples([command], lang)).replace(" \\ ", " ")]
            result = runner.invoke(app, shlex.split(typed)[1:])
            assert result.exit_code == 0, (lang, typed, result.output)


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_lang_help_names_the_policy_only_where_the_command_takes_one(
    command: list[str], lang: str
) -> None:
    """--lang said "Default: the policy's or programme's" on status, verify and the rest, which
    take no --policy: each command's help says the default it has."""
    lines = _help(*command, lang=lang)
    at = next(k for k, line in enumerate(lines) if line.startswith("│ --lang "))
    shown = " ".join(lines[at : at + 2])
    takes_policy = any(line.startswith("│ --policy ") for line in lines)
    policy_word = "the policy's" if lang == "en" else "tildelingsreglenes"
    assert (policy_word in shown) == takes_policy, shown
    if command != ["init"]:
        programme_word = "programme's" if lang == "en" else "ordningens"
        assert programme_word in shown, shown


def _example_commands(command: list[str], lang: str) -> list[str]:
    """The commands of ``command``'s worked examples in ``lang``, each on one line (a line
    ending in `` \\`` joined to the next), without what an example shows it printing."""
    typed: list[str] = []
    going_on = False
    for line in _examples(command, lang):
        if going_on:
            typed[-1] += " " + line.removesuffix("\\").strip()
        elif line.startswith("tilskudd "):
            typed.append(line.removesuffix("\\").strip())
        going_on = line.endswith(" \\")
    return typed


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_every_example_command_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """Each command's examples, pasted as the help shows them (over their lines), run: those
    naming examples/ where the bundled examples are, the others in the bundled programme's
    folder, its round 1 committed by allocate's own example, with the files they name."""
    import shutil

    examples = Path(__file__).resolve().parents[2] / "examples"
    shutil.copytree(examples, tmp_path / "examples")
    folder = tmp_path / "examples" / "programme_difi2009"
    for name in ("applications.xlsx", "søknader.xlsx", "difi_2009_runde1.xlsx"):
        shutil.copy(examples / "difi_2009_runde1.xlsx", folder / name)
    (folder / "arkiv").mkdir()
    shutil.copy(examples / "difi_2009_runde1.xlsx", folder / "arkiv")
    monkeypatch.setenv("TILSKUDD_LANG", lang)
    runner = CliRunner()
    ran = []
    for key, _command in _walk():
        for typed in _example_commands([] if key == "root" else key.split("."), lang):
            monkeypatch.chdir(tmp_path if " examples/" in typed else folder)
            result = runner.invoke(app, shlex.split(typed)[1:])
            assert result.exit_code == 0, (typed, result.output)
            ran.append(key)
    assert set(ran) == {key for key, _command in _walk()} - {"ledger"}  # every one but the group
    assert (tmp_path / ("awards.xlsx" if lang == "en" else "tildeling.xlsx")).is_file()
    assert (folder / "difi2009" / "tilskudd.toml").is_file()
    assert (folder / "tilskudd-2009.xlsx").is_file()


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize("command", EVERY, ids=lambda c: " ".join(c) or "tilskudd")
def test_an_example_is_set_off_by_one_empty_line_not_two(command: list[str], lang: str) -> None:
    """Each example stood between two empty lines above it and two below (a paragraph's break
    and the code block's own padding), as if it were apart from the text that introduces it."""
    lines = _help(*command, lang=lang)
    assert any(line.startswith("tilskudd ") for line in lines) or command == ["ledger"]
    for k, (line, after) in enumerate(itertools.pairwise(lines)):
        assert line or after, (k, lines[k - 1 : k + 3])
    # rich's own code block is put back after the help, for what else the process shows
    from rich.markdown import CodeBlock, Markdown

    assert Markdown.elements["code_block"] is Markdown.elements["fence"] is CodeBlock
