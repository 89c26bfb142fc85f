"""Mistakes in how a command is typed (an unknown option or command, an option without its
value, a missing file name, a value of the wrong kind): said as tilskudd's other errors are, in
the command's language, with the option, the names near it, the usage line and the help; exit
code 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.i18n import get

SMALL = str(Path(__file__).resolve().parents[2] / "examples" / "small.xlsx")

runner = CliRunner()

LANG = "<lang>"
"""Where a case's language options go, when not at the end."""


def with_lang(args: list[str], *lang: str) -> list[str]:
    """``args`` with ``lang`` (``--lang nb``) in its place: at LANG, else at the end."""
    if LANG not in args:
        return [*args, *lang]
    i = args.index(LANG)
    return [*args[:i], *lang, *args[i + 1 :]]


@pytest.fixture(autouse=True)
def _no_programme_or_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where no tilskudd.toml is found and TILSKUDD_LANG is unset, unless a test sets one."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)


def run(*args: str) -> list[str]:
    """The lines on stderr of a run that must end as a usage error, with nothing on stdout."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "╭" not in result.stderr  # not typer's English box
    return result.stderr.splitlines()


CASES = {
    # name: (arguments, Norwegian lines, English lines)
    "unknown option, with the near ones": (
        ["allocate", SMALL, "--budjet", "5"],
        [
            "feil: ukjent valg: --budjet; mente du --budget, --objective eller --funder?",
            "  bruk: tilskudd allocate [VALG] FIL",
            "  tips: «tilskudd allocate -h» viser hjelpen",
        ],
        [
            "error: no such option: --budjet; did you mean --budget, --objective or --funder?",
            "  usage: tilskudd allocate [OPTIONS] FILE",
            "  hint: 'tilskudd allocate -h' shows the help",
        ],
    ),
    "unknown option, none near": (
        # With nothing else wrong: an unknown option is said with the command's other problems
        # (tests/cli/test_unknown_options_together.py), and a missing programme is one.
        ["check", SMALL, "--zzz"],
        [
            "feil: ukjent valg: --zzz",
            "  bruk: tilskudd check [VALG] FIL",
            "  tips: «tilskudd check -h» viser hjelpen",
        ],
        [
            "error: no such option: --zzz",
            "  usage: tilskudd check [OPTIONS] FILE",
            "  hint: 'tilskudd check -h' shows the help",
        ],
    ),
    "unknown short option": (
        ["check", SMALL, "-x"],
        ["feil: ukjent valg: -x"],
        ["error: no such option: -x"],
    ),
    "unknown command, with the near one": (
        ["alocate", SMALL],
        [
            "feil: ukjent kommando: «alocate»; mente du allocate?",
            "  bruk: tilskudd [VALG] KOMMANDO [ARGUMENTER]...",
            "  tips: «tilskudd -h» viser kommandoene",
        ],
        [
            "error: no such command: 'alocate'; did you mean allocate?",
            "  usage: tilskudd [OPTIONS] COMMAND [ARGS]...",
            "  hint: 'tilskudd -h' lists the commands",
        ],
    ),
    "unknown command in another case": (
        ["Check", SMALL],
        ["feil: ukjent kommando: «Check»; mente du check?"],
        ["error: no such command: 'Check'; did you mean check?"],
    ),
    "unknown subcommand of ledger": (
        ["ledger", "exprt", "ut.xlsx"],
        [
            "feil: ukjent kommando: «exprt»; mente du export?",
            "  bruk: tilskudd ledger [VALG] KOMMANDO [ARGUMENTER]...",
            "  tips: «tilskudd ledger -h» viser kommandoene",
        ],
        [
            "error: no such command: 'exprt'; did you mean export?",
            "  usage: tilskudd ledger [OPTIONS] COMMAND [ARGS]...",
            "  hint: 'tilskudd ledger -h' lists the commands",
        ],
    ),
    "missing argument": (
        # With nothing else wrong: a missing argument is said with the command's other problems
        # (tests/cli/test_missing_together.py), and --budget is one.
        ["allocate", "--budget", "20M"],
        [
            "feil: mangler argumentet FIL",
            "  bruk: tilskudd allocate [VALG] FIL",
            "  tips: «tilskudd allocate -h» viser hjelpen",
        ],
        [
            "error: missing argument FILE",
            "  usage: tilskudd allocate [OPTIONS] FILE",
            "  hint: 'tilskudd allocate -h' shows the help",
        ],
    ),
    "missing second argument": (
        ["explain", SMALL, "--budget", "20M"],
        ["feil: mangler argumentet ID", "  bruk: tilskudd explain [VALG] FIL ID"],
        ["error: missing argument ID", "  usage: tilskudd explain [OPTIONS] FILE ID"],
    ),
    "missing argument of a subcommand": (
        # Said with the missing programme (its usage line under both: test_missing_together.py).
        ["ledger", "export"],
        ["feil: mangler argumentet UTFIL"],
        ["error: missing argument OUTPUT"],
    ),
    "option at the end without its value": (
        ["allocate", SMALL, LANG, "--budget"],
        [
            "feil: valget --budget må ha en verdi etter seg",
            "  bruk: tilskudd allocate [VALG] FIL",
            "  tips: «tilskudd allocate -h» viser hjelpen",
        ],
        [
            "error: option --budget needs a value after it",
            "  usage: tilskudd allocate [OPTIONS] FILE",
            "  hint: 'tilskudd allocate -h' shows the help",
        ],
    ),
    "flag given a value": (
        ["allocate", SMALL, "--force=yes"],
        ["feil: valget --force tar ingen verdi: skriv det alene, som --force"],
        ["error: option --force takes no value: give it alone, as --force"],
    ),
    "the help flag given a value": (
        ["status", "--help=ja"],
        ["feil: valget --help tar ingen verdi: skriv det alene, som --help"],
        ["error: option --help takes no value: give it alone, as --help"],
    ),
    "a flag of the app given a value": (
        ["--version=ja"],
        [
            "feil: valget --version tar ingen verdi: skriv det alene, som --version",
            "  bruk: tilskudd [VALG] KOMMANDO [ARGUMENTER]...",
            "  tips: «tilskudd -h» viser kommandoene",
        ],
        [
            "error: option --version takes no value: give it alone, as --version",
            "  usage: tilskudd [OPTIONS] COMMAND [ARGS]...",
            "  hint: 'tilskudd -h' lists the commands",
        ],
    ),
    "the help flag of a group given a value": (
        ["ledger", "--help=ja"],
        ["feil: valget --help tar ingen verdi: skriv det alene, som --help"],
        ["error: option --help takes no value: give it alone, as --help"],
    ),
    "not a whole number": (
        ["allocate", SMALL, "--budget", "5", "--limit", "ti"],
        ["feil: --limit: forventet et heltall (oppgitt: «ti»)"],
        ["error: --limit: expected a whole number (given: 'ti')"],
    ),
    "below the least allowed": (
        ["allocate", SMALL, "--budget", "5", "--limit", "-1"],
        ["feil: --limit: forventet minst 0 (oppgitt: «-1»)"],
        ["error: --limit: expected at least 0 (given: '-1')"],
    ),
    "not one of the choices": (
        ["check", SMALL, "--register", "2011"],
        [
            "feil: --register: forventet 2009, 2020 eller 2024 (oppgitt: «2011»)",
            "  bruk: tilskudd check [VALG] FIL",
        ],
        [
            "error: --register: expected 2009, 2020 or 2024 (given: '2011')",
            "  usage: tilskudd check [OPTIONS] FILE",
        ],
    ),
    # Click would keep the last value without a word: the first budget, or the first of two
    # output files, dropped silently.
    "an option given twice": (
        ["allocate", SMALL, "--budget", "5M", "-b=2 000 000"],
        [
            "feil: valget --budget er gitt mer enn én gang: «5M» og «2 000 000»; gi det bare én "
            "gang",
            "  bruk: tilskudd allocate [VALG] FIL",
        ],
        [
            "error: option --budget is given more than once: '5M' and '2 000 000'; give it once",
            "  usage: tilskudd allocate [OPTIONS] FILE",
        ],
    ),
    "an output file given twice": (
        ["allocate", SMALL, "-b", "5M", "-o", "tildeling.xlsx", "-otildeling.pdf"],
        [
            "feil: valget --output er gitt mer enn én gang: «tildeling.xlsx» og "
            "«tildeling.pdf»; gi det bare én gang"
        ],
        [
            "error: option --output is given more than once: 'tildeling.xlsx' and "
            "'tildeling.pdf'; give it once"
        ],
    ),
    "extra words to a command without a file": (
        ["status", "runde", "1"],
        [
            "feil: uventede ord etter argumentene kommandoen tar: runde 1; sett et navn med "
            "mellomrom i anførselstegn, eller se --help"
        ],
        [
            "error: unexpected words after the arguments the command takes: runde 1; put a "
            "name with spaces in quotes, or see --help"
        ],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
@pytest.mark.parametrize("how", ["--lang nb", "--lang=nb", "TILSKUDD_LANG"])
def test_a_usage_error_is_said_in_norwegian(
    case: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    args, norwegian, _english = CASES[case]
    if how == "TILSKUDD_LANG":
        monkeypatch.setenv("TILSKUDD_LANG", "nb")
        lines = run(*with_lang(args))
    else:
        lines = run(*with_lang(args, *how.split(" ")))
    assert lines[: len(norwegian)] == norwegian


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_usage_error_is_said_in_english(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    args, _norwegian, english = CASES[case]
    assert run(*with_lang(args))[: len(english)] == english
    monkeypatch.setenv("TILSKUDD_LANG", "nb")
    # --lang before the variable
    assert run(*with_lang(args, "--lang", "en"))[: len(english)] == english


@pytest.mark.parametrize(
    ("args", "moved"),
    [
        (
            ["--register", "2009", "check", "Søknader 2026.xlsx", "--lang", "nb"],
            'check "Søknader 2026.xlsx" --lang nb --register 2009',
        ),
        (
            ["--sheet=2", "allocate", "s.xlsx", "-b", "5", "--lang=nb"],
            "allocate s.xlsx -b 5 --lang=nb --sheet=2",
        ),
        (["--strict", "check", "s.xlsx", "--lang", "nb"], "check s.xlsx --lang nb --strict"),
    ],
)
def test_an_option_of_the_command_before_its_name_is_shown_after_it(
    args: list[str], moved: str
) -> None:
    assert run(*args)[0] == (
        f"feil: ukjent valg: {args[0].split('=')[0]}; det er et valg til kommandoen og skrives "
        f"etter navnet på den: tilskudd {moved}"
    )


@pytest.mark.parametrize(
    "args", [["--strict"], ["--budget", "5"], ["--max-award", "allocate"], ["--zzz", "allocate"]]
)
def test_an_option_before_no_command_that_has_it_is_only_unknown(args: list[str]) -> None:
    assert run(*args)[0] == f"error: no such option: {args[0]}"


def test_an_option_twice_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    assert run("allocate", SMALL, "-b", "5M", "-o", "a.xlsx", "--output", "b.xlsx")
    assert list(tmp_path.iterdir()) == []
    # tilskudd's own --lang twice; the command's --lang after tilskudd's is not a repeat.
    assert run("--lang", "nb", "--lang", "en", "status")[0] == (
        "error: option --lang is given more than once: 'nb' and 'en'; give it once"
    )
    assert run("--lang", "nb", "allocate", SMALL, "--lang", "en", "-b", "1", "-b", "2")[0] == (
        "error: option --budget is given more than once: '1' and '2'; give it once"
    )


def test_a_flag_twice_and_a_value_like_an_option_are_not_repeats(tmp_path: Path) -> None:
    result = runner.invoke(app, ["allocate", SMALL, "-b", "5M", "--dry-run", "--dry-run"])
    assert result.exit_code == 0, result.output
    # --sheet's value is the word after it, whatever it looks like: one --sheet, one --budget.
    result = runner.invoke(app, ["check", SMALL, "--sheet", "--sheet"])
    assert result.exit_code == 1, result.output
    assert "--sheet" in result.output
    assert "more than once" not in result.output


def test_the_language_is_read_before_the_mistake_and_after_it() -> None:
    # --lang after the mistake: click stops at the first, but the words were all typed.
    assert run("allocate", SMALL, "--budjet", "5", "--lang", "nb")[0].startswith("feil:")
    assert run("allocate", SMALL, "--lang", "nb", "--budjet", "5")[0].startswith("feil:")
    # The value of --lang written as people write it, and --lang without one.
    assert run("status", "--zzz", "--lang", "Norsk")[0] == "feil: ukjent valg: --zzz"
    assert run("status", "--zzz", "--lang")[0] == "error: no such option: --zzz"
    # After "--" the words are arguments, not options.
    assert run("status", "--zzz", "--", "--lang", "nb")[0] == "error: no such option: --zzz"


def test_a_programme_folder_speaks_its_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the command would once typed right: the programme's language comes after --lang and
    before TILSKUDD_LANG, for the commands that read the programme."""
    (tmp_path / "tilskudd.toml").write_text('[programme]\nname = "X"\nframe = "100"\n')
    (tmp_path / "runde").mkdir()
    monkeypatch.chdir(tmp_path / "runde")  # found from a folder below, as the commands do
    monkeypatch.setenv("TILSKUDD_LANG", "en")
    assert run("status", "--zzz")[0] == "feil: ukjent valg: --zzz"  # bokmål: the default
    assert run("allocate", SMALL, "--budget")[0].startswith("feil: valget --budget")
    assert run("status", "--zzz", "--lang", "en")[0] == "error: no such option: --zzz"
    # check takes the folder's programme too (its register and language).
    assert run("check", SMALL, "-x")[0] == "feil: ukjent valg: -x"
    # tilskudd itself and ledger: their commands work in the folder.
    assert run("alocate")[0].startswith("feil: ukjent kommando")
    assert run("ledger", "--zzz")[0] == "feil: ukjent valg: --zzz"
    (tmp_path / "tilskudd.toml").write_text('[programme]\nname = "X"\nlang = "en"\n')
    monkeypatch.setenv("TILSKUDD_LANG", "nb")
    assert run("status", "--zzz")[0] == "error: no such option: --zzz"
    assert run("--zzz")[0] == "error: no such option: --zzz"


def test_the_programme_and_policy_named_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "tilskudd.toml").write_text('[programme]\nlang = "nb"\n')
    (tmp_path / "policy.toml").write_text('lang = "nb"\n[policy]\nmax_award = 5\n')
    (tmp_path / "broken.toml").write_text("[policy\n")
    assert run("status", "--programme", "p", "--zzz")[0] == "feil: ukjent valg: --zzz"
    assert run("status", "--programme=p/tilskudd.toml", "--zzz")[0] == "feil: ukjent valg: --zzz"
    assert run("allocate", SMALL, "--policy", "policy.toml", "--zzz")[0].startswith("feil:")
    # A file that cannot be read is passed over here; the command says why once typed right.
    assert run("allocate", SMALL, "--policy", "broken.toml", "--zzz")[0].startswith("error:")
    assert run("status", "--programme", "missing", "--zzz")[0].startswith("error:")


def test_every_argument_has_a_name_in_both_catalogues() -> None:
    """In English, the name its help's usage line gives it (its metavar)."""
    group = typer.main.get_command(app)
    commands = list(group.commands.values())  # type: ignore[attr-defined]
    arguments = {}
    while commands:
        command = commands.pop()
        commands += list(getattr(command, "commands", {}).values())
        arguments |= {p.name: p.metavar for p in command.params if p.param_type_name == "argument"}
    assert len(arguments) >= 5
    for name, metavar in arguments.items():
        assert get("en")(f"cli.usage.argument.{name}") == metavar
        assert get("nb").has(f"cli.usage.argument.{name}"), name


def test_the_programme_file_is_named_as_the_programme_names_it() -> None:
    from tilskudd.cli.usage import PROGRAMME_FILE
    from tilskudd.programme import PROGRAMME_FILE as NAME

    assert PROGRAMME_FILE == NAME


def test_a_usage_error_loads_no_heavy_module() -> None:
    """Said at once: not after the programme's models and rich are loaded (typer loads
    pydantic to read the options, whatever tilskudd does). A mistake before the command (a
    command's own mistakes are said with its other problems, which it must look for)."""
    code = (
        "import sys\n"
        "from tilskudd.cli import app\n"
        "try:\n"
        "    app(['--zzz', 'status'], prog_name='tilskudd')\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 2, exc.code\n"
        "heavy = ('tilskudd.programme', 'tilskudd.models', 'openpyxl', 'rich')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
    assert "no such option: --zzz" in done.stderr


def test_the_command_alone_still_shows_its_help() -> None:
    result = runner.invoke(app, ["ledger"], env={"COLUMNS": "100"})
    assert result.exit_code == 2
    assert "export" in result.output
    assert "feil" not in result.output
    assert "error" not in result.output


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nb", "feil: ukjent valg: --budjet; mente du --budget, --objective eller --funder?"),
        ("en", "error: no such option: --budjet; did you mean --budget, --objective or --funder?"),
    ],
)
def test_a_usage_error_from_a_real_process(tmp_path: Path, lang: str, expected: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TILSKUDD_LANG"}
    done = subprocess.run(
        [sys.executable, "-m", "tilskudd", "allocate", SMALL, "--budjet", "5", "--lang", lang],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env={**env, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines()[0] == expected
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [["check"], ["allocate"], ["explain"]], ids=" ".join)
def test_a_file_name_with_spaces_typed_without_quotes_is_said_to_need_them(
    tmp_path: Path, command: list[str]
) -> None:
    """README: a file name with spaces typed without quotes (tilskudd check Søknader 2026.xlsx)
    is said to be one name that needs them; a word that makes no file is said to be extra."""
    (tmp_path / "Søknader 2026.xlsx").write_bytes(Path(SMALL).read_bytes())
    after = ["S-01"] if command == ["explain"] else []
    lines = run(*command, "Søknader", "2026.xlsx", *after, "--budget", "5M", "--lang", "nb")
    assert lines[0] == (
        "feil: Søknader 2026.xlsx er ett filnavn med mellomrom i, men kommandolinjen tok det som "
        'flere ord; sett det i anførselstegn: "Søknader 2026.xlsx"'
    )
    lines = run(*command, "Søknader", "2025.xlsx", *after, "--budget", "5M")
    assert lines[0].startswith("error: unexpected words after the arguments the command takes:")
    assert "put a name with spaces in quotes" in lines[0]
