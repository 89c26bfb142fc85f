"""The command line at its edges: what an officer types by mistake, and how the run ends.

Each test is a defect found by trying the CLI: run through CliRunner (or a real process where
the operating system is part of it, as a closed pipe), checking what is said and what is left
on disk.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tilskudd.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SMALL = EXAMPLES / "small.xlsx"
DIFI = EXAMPLES / "difi_2009_runde1.xlsx"

runner = CliRunner()


def invoke(*args: object) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


# --- -o naming a folder ----------------------------------------------------------------------


@pytest.mark.parametrize("extra", [[], ["--format", "xlsx"], ["--dry-run"]])
def test_an_output_name_ending_in_a_slash_is_a_folder_not_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    # `-o out/` lost its slash to Path("out/"): without --format it was refused as a file
    # whose format could not be told, and with --format a file named "out" was written.
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("allocate", SMALL, "-b", "5M", "-o", "out/", *extra)
    assert code == 2
    assert out == ""
    assert err == (
        "error: out/ names a folder (it ends with /); give a file name, such as out/awards.xlsx\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_folder_name_is_refused_in_the_language_with_a_name_in_the_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ut").mkdir()
    code, _, err = invoke(
        "allocate", SMALL, "-b", "5M", "-o", "ut/", "--format", "csv", "--lang", "nb"
    )
    assert code == 2
    assert err == (
        "feil: ut/ er navnet på en mappe (det slutter med /); oppgi et filnavn, "
        "for eksempel ut/tildeling.csv\n"
    )
    assert list((tmp_path / "ut").iterdir()) == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "error: ut is a folder; give a file name, such as ut/awards.xlsx\n"),
        ("nb", "feil: ut er en mappe; oppgi et filnavn, for eksempel ut/tildeling.xlsx\n"),
    ],
)
def test_an_existing_folder_without_the_slash_gets_the_same_suggestion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    # `-o ut/` suggested ut/awards.xlsx; `-o ut` for the same folder said only "give a file name".
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ut").mkdir()
    code, out, err = invoke("allocate", SMALL, "-b", "5M", "-o", "ut", "--lang", lang)
    assert code == 2
    assert out == ""
    assert err == expected
    assert list((tmp_path / "ut").iterdir()) == []


def test_ledger_export_to_a_folder_name_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("ledger", "export", "out/", "--ledger", tmp_path / "none.sqlite")
    assert code == 2
    assert err.startswith("error: out/ names a folder (it ends with /); give a file name")
    assert list(tmp_path.iterdir()) == []


# --- every option checked before the run -----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "t.csv", "--csv-dialect", "foo"], "unknown CSV dialect 'foo'; choose excel"),
        (["--csv-dialect", "semicolon"], "unknown CSV dialect 'semicolon'"),
        (
            ["-o", "g.pdf", "--format", "360giving", "--funder", "Difi"],
            "360Giving is written as .xlsx or .csv; 'g.pdf' has neither extension",
        ),
        (["-o", "g.xlsx", "--format", "360giving"], "360Giving needs the funder's name"),
        (["-o", "t.xlsx", "--format", "exel", "--dry-run"], "unknown output format 'exel'"),
        (["-o", "t.xlsx", "--rule", "lottery", "--csv-dialect", "x"], "unknown CSV dialect 'x'"),
    ],
)
def test_an_option_the_export_would_refuse_is_refused_before_anything_is_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    # These were refused only after the award table (and a drawn lottery seed) had been
    # printed, so that a typo looked like a finished run with a complaint under it.
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("allocate", SMALL, "-b", "5M", *args)
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {message}")
    assert list(tmp_path.iterdir()) == []


def test_a_dry_run_rehearses_an_output_that_exists_without_complaint(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"keep")
    code, out, err = invoke("allocate", SMALL, "-b", "5M", "-o", target, "--dry-run")
    assert code == 0, err
    assert "Dry run: nothing was written." in out
    assert target.read_bytes() == b"keep"


# --- a closed pipe (`tilskudd allocate … | head -1`) ------------------------------------------


def run_into_closed_pipe(*args: object, cwd: Path | None = None) -> tuple[int, str]:
    """Run tilskudd in a process whose stdout is a pipe the reader has already closed: every
    write that reaches it fails (EPIPE), as after `| head -1` has read its line."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tilskudd", *map(str, args)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env={**os.environ, "COLUMNS": "100", "TILSKUDD_LANG": "en"},
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    return done.returncode, done.stderr


def test_a_closed_pipe_says_nothing_and_the_output_is_still_written_whole(
    tmp_path: Path,
) -> None:
    # rich stopped the command (SystemExit) at the first write that failed: after the table,
    # before the -o file was written, so the officer found no file and no word why.
    target = tmp_path / "tildeling.xlsx"
    code, err = run_into_closed_pipe(
        "allocate", DIFI, "--register", "2009", "--budget", "20000000", "-o", target
    )
    assert (code, err) == (1, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tildeling.xlsx"]  # no temporary
    # The same awards as a run read to the end.
    whole = tmp_path / "whole" / "tildeling.xlsx"
    code, _, err = invoke("allocate", DIFI, "--register", "2009", "-b", "20000000", "-o", whole)
    assert code == 0, err
    rows = awards(target)
    assert len(rows) > 10
    assert rows == awards(whole)


def awards(path: Path) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book["Awards"].iter_rows(values_only=True))
    finally:
        book.close()


@pytest.mark.parametrize(
    "args",
    [
        ["check", DIFI, "--register", "2009", "--format", "json"],
        ["explain", DIFI, "2009-101", "--register", "2009", "-b", "20M", "--format", "json"],
        ["check", DIFI, "--register", "2009"],
    ],
    ids=["check-json", "explain-json", "check"],
)
def test_a_closed_pipe_is_not_an_error_message(args: list[object]) -> None:
    # JSON went out through sys.stdout, where the broken pipe was an OSError like any other:
    # "error: Broken pipe" on stderr.
    assert run_into_closed_pipe(*args) == (1, "")


def test_a_closed_pipe_keeps_an_invalid_file_invalid() -> None:
    """The status of a run that failed for its own reasons is that run's, pipe or no pipe."""
    code, err = run_into_closed_pipe("allocate", DIFI, "--budget", "20 mill x")
    assert code == 2
    assert err.startswith("error: --budget:")


def test_a_closed_pipe_still_records_the_round_and_its_document(tmp_path: Path) -> None:
    folder = tmp_path / "difi"
    shutil.copytree(
        EXAMPLES / "programme_difi2009",
        folder,
        ignore=shutil.ignore_patterns("tilskudd.ledger.sqlite*"),
    )
    shutil.copy(DIFI, folder / "runde1.xlsx")
    code, err = run_into_closed_pipe(
        "allocate", "runde1.xlsx", "--round", "1", "--commit", "-o", "tildeling.json", cwd=folder
    )
    assert (code, err) == (1, "")
    document = json.loads((folder / "tildeling.json").read_text(encoding="utf-8"))
    status = runner.invoke(app, ["status", "--programme", str(folder), "--format", "json"])
    assert status.exit_code == 0, status.output
    (round1,) = json.loads(status.stdout)["rounds"]
    assert round1["committed"] == document["awarded"] > 0
    assert not [p.name for p in folder.iterdir() if "uncommitted" in p.name]


# --- numbers in messages, in the message's language ------------------------------------------


def test_a_number_cell_is_quoted_with_the_languages_decimal_mark(tmp_path: Path) -> None:
    # A spreadsheet set to Norwegian shows -1500,5; the message said '-1500.5' in Norwegian.
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    sheet.append(["ID", "Søker", "Omsøkt beløp", "Rangering", "Kommune"])
    sheet.append(["A", "X", -1500.5, 1, "Bærum"])
    sheet.append(["B", "Y", 1000.125, 2.5, "Asker"])
    sheet.append(["C", "Z", "1000.5", 3, "Asker"])  # typed as text: quoted as typed
    path = tmp_path / "tall.xlsx"
    book.save(path)
    code, out, _ = invoke("check", path, "--lang", "nb")
    assert code == 1
    assert "«-1500,5» er negativt" in out
    assert "«1000,125» har en brøkdel av en øre" in out
    assert "«2,5» er ikke et helt tall" in out
    assert "«1000.5» er ikke hele kroner" in out
    code, out, _ = invoke("check", path, "--lang", "en")
    assert "'-1500.5' is negative" in out
    assert "'2.5' is not a whole number" in out
    code, out, _ = invoke("check", path, "--format", "json", "--lang", "nb")
    issues = {issue["cell"]: issue for issue in json.loads(out)["issues"]}
    assert issues["Søknader!C2"]["value"] == "-1500.5"  # the cell, as data: not per language
    assert (
        issues["Søknader!C2"]["message"] == "«-1500,5» er negativt; et beløp kan ikke være negativt"
    )


# --- a rejected row told apart by its row ----------------------------------------------------

PROGRAMME = """\
[programme]
name = "Testordning"
frame = "200 000"
lang = "nb"
register = "2009"

[[round]]
number = 1
budget = "100 000"
"""
ROUND = """\
Søknadsnr;Søker;Organisasjonsnummer;Prosjekttittel;Deltakende kommuner;Omsøkt beløp;Poeng
A-1;Moss kommune;974760673;Felles saksbehandling;0104;60000;5
A-2;Oslo kommune;958935420;Digital post;0301;40000;4
A-2;Bergen kommune;964338531;Sak;1201;80000;3
"""


def test_a_repeated_id_is_told_apart_by_its_cell_in_every_language(tmp_path: Path) -> None:
    # "A-2 (row 3)" was English in the Norwegian table, the exports and the JSON.
    path = tmp_path / "r1.csv"
    path.write_text(ROUND, encoding="utf-8")
    code, out, err = invoke("allocate", path, "-b", "100 000", "--register", "2009", "--lang", "nb")
    assert code == 0, err
    assert "A-2 (A3)" in out
    assert "A-2 (A4)" in out
    assert "(row" not in out
    target = tmp_path / "r1.json"
    code, _, err = invoke("allocate", path, "-b", "100 000", "--register", "2009", "-o", target)
    assert code == 0, err
    ids = [a["id"] for a in json.loads(target.read_text(encoding="utf-8"))["applications"]]
    assert sorted(ids) == ["A-1", "A-2 (A3)", "A-2 (A4)"]


def test_a_round_committed_with_the_earlier_row_ids_is_still_the_same_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger of a round committed before the ids changed: its "A-2 (row 3)" is this
    version's "A-2 (A3)", for a re-run of the round as committed and for verify."""
    import tilskudd.validation

    (tmp_path / "tilskudd.toml").write_text(PROGRAMME, encoding="utf-8")
    (tmp_path / "r1.csv").write_text(ROUND, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    with monkeypatch.context() as earlier:
        earlier.setattr(
            tilskudd.validation, "_row_told_apart", lambda app_id, _c, row: f"{app_id} (row {row})"
        )
        code, _, err = invoke("allocate", "r1.csv", "--round", "1", "--commit")
        assert code == 0, err
    code, out, _ = invoke("history", "A-2 (row 3)", "--format", "json")
    assert code == 0
    assert [a["application_id"] for a in json.loads(out)] == ["A-2 (row 3)"]
    code, out, _ = invoke("history", "A-2 (A3)", "--format", "json")  # as shown today
    assert code == 0
    assert [a["application_id"] for a in json.loads(out)] == ["A-2 (row 3)"]

    code, out, err = invoke("allocate", "r1.csv", "--round", "1")  # as committed: allowed
    assert code == 0, err
    assert "A-2 (A3)" in out
    code, out, err = invoke("verify")
    assert code == 0, out + err
    assert "gir de samme 3 vedtakene" in " ".join(out.split())


def test_a_repeated_id_is_found_in_the_ledger_in_every_form_it_is_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "A-2 (A3)" as allocate shows it, "A-2 (row 3)" and "A-2 (rad 3)" as messages about a row
    say it: history finds the row, and amend says what is true of it (rejected), not that the
    ledger has no such application."""
    (tmp_path / "tilskudd.toml").write_text(PROGRAMME, encoding="utf-8")
    (tmp_path / "r1.csv").write_text(ROUND, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    code, _, err = invoke("allocate", "r1.csv", "--round", "1", "--commit")
    assert code == 0, err
    for query in ("A-2 (A3)", "A-2 (rad 3)", "A-2 (row 3)"):
        code, out, _ = invoke("history", query, "--format", "json")
        assert code == 0
        assert [a["application_id"] for a in json.loads(out)] == ["A-2 (A3)"], query
    code, out, _ = invoke("history", "A-2 (rad 3)")
    assert code == 0
    assert "Runde 1 · A-2 (A3) · Oslo kommune · Digital post" in out
    code, out, _ = invoke("history", "A-2 (row 3)", "--lang", "en")
    assert code == 0
    assert "Round 1 · A-2 (A3) · Oslo kommune · Digital post" in out
    code, out, _ = invoke("history", "A-2", "--format", "json")  # the id's rows, told apart
    assert [a["application_id"] for a in json.loads(out)] == ["A-2 (A3)", "A-2 (A4)"]

    code, out, err = invoke("amend", "A-2 (rad 3)", "--amount", "10000", "--reason", "x")
    assert code == 1
    assert err == (
        "feil: A-2 (A3) (runde 1) ble avvist som ugyldig i runden og kan ikke få tilskudd "
        "gjennom en endring\n"
    )
    code, out, err = invoke("withdraw", "A-2 (row 4)", "--reason", "x", "--lang", "en")
    assert code == 1
    assert err == (
        "error: A-2 (A4) (round 1) was rejected as invalid in the round; it has no award to "
        "withdraw\n"
    )


# --- --lang as people write it ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "verdict"),
    [
        ("NB", "Ingen problemer funnet"),
        ("no", "Ingen problemer funnet"),
        ("norsk", "Ingen problemer funnet"),
        ("nb_NO.UTF-8", "Ingen problemer funnet"),
        ("EN", "No problems found"),
        ("english", "No problems found"),
        ("en-GB", "No problems found"),
    ],
)
def test_a_language_is_taken_as_people_write_it(
    given: str, verdict: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `--lang NB` or `--lang no` was refused in a box with "Value error, 'no' is not one of
    # 'nb', 'en'", in English whatever TILSKUDD_LANG said.
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    code, out, err = invoke("check", SMALL, "--lang", given)
    assert code == 0, err
    assert verdict in out
    monkeypatch.setenv("TILSKUDD_LANG", given)
    code, out, err = invoke("check", SMALL)
    assert code == 0, err
    assert verdict in out


def test_a_language_tilskudd_does_not_speak_is_said_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TILSKUDD_LANG", "nb")
    code, out, err = invoke("allocate", SMALL, "-b", "5M", "--lang", "nn")
    assert (code, out) == (2, "")
    assert (
        err
        == "feil: --lang nn: tilskudd kan ikke nynorsk; bruk nb (norsk bokmål) eller en (engelsk)\n"
    )
    monkeypatch.delenv("TILSKUDD_LANG")
    code, out, err = invoke("check", SMALL, "--lang", "se")
    assert (code, out) == (2, "")
    assert err == (
        "error: --lang se: not a language tilskudd speaks; use nb (Norwegian bokmål) or en "
        "(English)\n"
    )


# --- the applications file as an officer names it --------------------------------------------


def test_excels_lock_file_given_for_the_workbook_names_the_workbook(tmp_path: Path) -> None:
    # Tab completion in a folder with the workbook open in Excel offers ~$søknader.xlsx first;
    # it was said to be "a text file in UTF-16".
    workbook = tmp_path / "Søknader 2026 æøå.xlsx"
    shutil.copy(SMALL, workbook)
    lock = tmp_path / "~$Søknader 2026 æøå.xlsx"
    lock.write_bytes(b"\x0cOla Nordmann" + b" " * 40 + "Ola".encode("utf-16-le") + bytes(100))
    code, out, err = invoke("check", lock, "--lang", "nb")
    assert (code, out) == (1, "")
    assert err == (
        f"feil: {lock} er låsefilen Excel eller LibreOffice lager mens {workbook} er åpen, ikke "
        f"selve arbeidsboken. Oppgi {workbook} i stedet (lagret, så den har de siste "
        "endringene dine).\n"
    )
    libre = tmp_path / ".~lock.Søknader 2026 æøå.xlsx#"
    libre.write_text(",Ola,host,28.11.2026 12:00,file:///home/ola;", encoding="utf-8")
    code, _, err = invoke("allocate", libre, "-b", "5M")
    assert code == 1
    assert err.startswith(f"error: {libre} is the lock file Excel or LibreOffice keeps while ")


def test_a_name_not_there_suggests_the_names_in_its_folder(tmp_path: Path) -> None:
    shutil.copy(SMALL, tmp_path / "Søknader 2026.xlsx")
    shutil.copy(EXAMPLES / "small.csv", tmp_path / "Søknader 2026.csv")
    (tmp_path / "~$knader 2026.xlsx").write_bytes(bytes(165))  # never suggested
    code, _, err = invoke("check", tmp_path / "søknader 2026.xlsx", "--lang", "nb")
    assert code == 1
    assert err == (
        f"feil: {tmp_path / 'søknader 2026.xlsx'} finnes ikke. "
        f"Mente du «{tmp_path / 'Søknader 2026.xlsx'}»?\n"
    )
    code, _, err = invoke("explain", tmp_path / "Søknader 2026", "S-01", "-b", "5M")
    assert code == 1
    assert err == (
        f"error: {tmp_path / 'Søknader 2026'} does not exist. Did you mean "
        f'"{tmp_path / "Søknader 2026.csv"}" or "{tmp_path / "Søknader 2026.xlsx"}"?\n'
    )
    code, _, err = invoke("check", tmp_path / "nothing like it.ods")
    missing = tmp_path / "nothing like it.ods"
    assert err == f"error: {missing} does not exist. Check the folder and the file name.\n"


def test_a_name_typed_with_composed_letters_finds_the_file_saved_decomposed(
    tmp_path: Path,
) -> None:
    # A folder copied from a Mac keeps "å" as "a" + a combining ring: the name typed is the
    # same to the eye, and was "does not exist".
    import unicodedata

    saved = tmp_path / unicodedata.normalize("NFD", "Runde på Østlandet.xlsx")
    shutil.copy(SMALL, saved)
    typed = tmp_path / unicodedata.normalize("NFC", "Runde på Østlandet.xlsx")
    assert not typed.exists()
    code, out, err = invoke("allocate", typed, "-b", "5M", "-o", tmp_path / "t.xlsx")
    assert code == 0, err
    assert "Wrote " in out
    assert len(awards(tmp_path / "t.xlsx")) > 1


@pytest.mark.parametrize(
    "command",
    [["check"], ["allocate", "-b", "5M"], ["explain", "-b", "5M"]],
    ids=["check", "allocate", "explain"],
)
def test_a_file_name_with_spaces_left_out_of_quotes_is_said_to_be_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    # `tilskudd check Søknader 2026 æøå.xlsx` gave typer's boxed "Got unexpected extra
    # argument(s) (2026 æøå.xlsx)", in English, not saying that the name needs quotes.
    monkeypatch.chdir(tmp_path)
    shutil.copy(SMALL, tmp_path / "Søknader 2026 æøå.xlsx")
    name, *options = command
    words = ["Søknader", "2026", "æøå.xlsx"] + (["S-01"] if name == "explain" else [])
    code, out, err = invoke(name, *words, *options, "--lang", "nb")
    assert (code, out) == (2, "")
    arguments = "FIL ID" if name == "explain" else "FIL"
    assert err == (
        "feil: Søknader 2026 æøå.xlsx er ett filnavn med mellomrom i, men kommandolinjen tok det "
        'som flere ord; sett det i anførselstegn: "Søknader 2026 æøå.xlsx"\n'
        f"  bruk: tilskudd {name} [VALG] {arguments}\n"
        f"  tips: «tilskudd {name} -h» viser hjelpen\n"
    )


def test_words_the_command_does_not_take_are_named(tmp_path: Path) -> None:
    code, out, err = invoke("check", SMALL, "extra", "words")
    assert (code, out) == (2, "")
    assert err == (
        "error: unexpected words after the arguments the command takes: extra words; put a name "
        "with spaces in quotes, or see --help\n"
        "  usage: tilskudd check [OPTIONS] FILE\n"
        "  hint: 'tilskudd check -h' shows the help\n"
    )


@pytest.mark.parametrize("lock", ["~$tildeling.xlsx", ".~lock.tildeling.xlsx#"])
@pytest.mark.parametrize("extra", [[], ["--force"], ["--compare", "ranked,proportional"]])
def test_an_output_open_in_excel_is_refused_before_the_run(
    tmp_path: Path, lock: str, extra: list[str]
) -> None:
    # On Windows the replace failed at the end, after the table; elsewhere the workbook was
    # replaced under the program showing it (which may save its old copy over it).
    target = tmp_path / "tildeling.xlsx"
    target.write_bytes(b"the officer's copy")
    (tmp_path / lock).write_bytes(bytes(165))
    code, out, err = invoke("allocate", SMALL, "-b", "5M", "-o", target, *extra)
    assert (code, out) == (2, "")
    assert err.startswith(
        f"error: {target} is open in Excel or LibreOffice ({tmp_path / lock} is beside it)"
    )
    assert target.read_bytes() == b"the officer's copy"
    (tmp_path / lock).unlink()
    code, _, err = invoke("allocate", SMALL, "-b", "5M", "-o", target, "--force", *extra)
    assert code == 0, err


def test_a_ledger_export_open_in_excel_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "register.xlsx"
    target.write_bytes(b"open")
    (tmp_path / "~$register.xlsx").write_bytes(bytes(165))
    code, _, err = invoke(
        "ledger", "export", target, "--force", "--ledger", tmp_path / "x.sqlite", "--lang", "nb"
    )
    assert code == 2
    assert err.startswith(f"feil: {target} er åpen i Excel eller LibreOffice")
    assert target.read_bytes() == b"open"


def test_a_home_folder_in_quotes_is_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In quotes (for the spaces) the shell leaves ~ alone: the workbook was written to a new
    # folder named "~" in the current folder, and the input was "not found".
    home = tmp_path / "home"
    (home / "Mine tildelinger").mkdir(parents=True)
    shutil.copy(SMALL, home / "Søknader 2026.xlsx")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(here)
    code, _, err = invoke(
        "allocate", "~/Søknader 2026.xlsx", "-b", "5M", "-o", "~/Mine tildelinger/runde 1.xlsx"
    )
    assert code == 0, err
    assert len(awards(home / "Mine tildelinger" / "runde 1.xlsx")) > 1
    assert list(here.iterdir()) == []
    # A folder named "~" here is that folder.
    (here / "~").mkdir()
    code, _, err = invoke("allocate", SMALL, "-b", "5M", "-o", "~/t.xlsx")
    assert code == 0, err
    assert (here / "~" / "t.xlsx").exists()


def test_format_and_dialect_names_are_taken_in_any_case(tmp_path: Path) -> None:
    # --format XLSX and --csv-dialect Excel were "unknown".
    target = tmp_path / "t.txt"
    code, _, err = invoke(
        "allocate", SMALL, "-b", "5M", "-o", target, "--format", "CSV", "--csv-dialect", "Plain"
    )
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("Rank,ID,")


def test_explain_of_a_repeated_id_offers_each_row_first() -> None:
    # "F-15" is on rows 17 and 18 of broken.xlsx: "no application with id 'F-15'; did you mean
    # F-18, F-17, F-14 …?" sent the officer to other applications.
    broken = EXAMPLES / "broken.xlsx"
    code, out, err = invoke("explain", broken, "F-15", "-b", "5M")
    assert (code, out) == (2, "")
    assert err.startswith(
        f"error: no application with id 'F-15' in {broken}; did you mean F-15 (A17), F-15 (A18), "
    )
    # The id as earlier versions wrote it (and as a ledger of theirs records it) is still found.
    code, out, err = invoke("explain", broken, "F-15 (row 18)", "-b", "5M")
    assert code == 0, err
    assert out.startswith("Justification for application F-15 (A18)")
    # And as a Norwegian message about the row says it.
    code, out, err = invoke("explain", broken, "F-15 (rad 17)", "-b", "5M", "--lang", "nb")
    assert code == 0, err
    assert "F-15 (A17)" in out.splitlines()[0]


def test_explain_does_not_take_an_id_of_its_own_for_a_row_told_apart(tmp_path: Path) -> None:
    # "Kraft (NO2)" was read as "Kraft, row 2" like "Kraft (SE2)", and explain answered for
    # Kraft (SE2), a valid application of its own, without a word.
    path = tmp_path / "kraft.csv"
    path.write_text(
        "Søknadsnr;Søker;Omsøkt beløp;Poeng\nKraft (SE2);Moss kommune;100000;5\n"
        "Kraft (NO1);Oslo kommune;200000;4\n",
        encoding="utf-8",
    )
    code, out, err = invoke("explain", path, "Kraft (NO2)", "-b", "5M")
    assert (code, out) == (2, "")
    assert err.startswith(f"error: no application with id 'Kraft (NO2)' in {path}; did you mean ")
    code, out, err = invoke("explain", path, "Kraft (SE2)", "-b", "5M")
    assert code == 0, err
    assert out.startswith("Justification for application Kraft (SE2)")


def test_an_old_sheets_sande_is_read_with_a_warning_that_names_both(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Søknadsnr.", "Søker", "Omsøkt beløp", "Poeng", "Kommuner"])
    sheet.append(["A", "Sande kommune", 100_000, 5, "Sande"])
    sheet.append(["B", "Bærum kommune", 100_000, 4, "Bærum"])
    path = tmp_path / "gammel.xlsx"
    book.save(path)
    code, out, _ = invoke("check", path, "--lang", "nb")
    assert code == 0  # a warning: the applications are valid
    flat = " ".join(out.split())
    assert (
        "«Sande» leses som 1514 Sande i 2024-inndelingen; i 2009-inndelingen var det flere med "
        "det navnet: 0713 Sande (Vestfold) og 1514 Sande (Møre og Romsdal)." in flat
    )
    assert "skriv nummeret og bruk --register 2009" in flat


@pytest.mark.parametrize(
    ("lang", "start"),
    [
        ("en", "error: {file} has no sheet number 9. "),
        ("nb", "feil: {file} har ikke noe ark nummer 9. "),
    ],
)
def test_a_sheet_number_not_there_is_said_as_the_other_read_errors(lang: str, start: str) -> None:
    # "error: There is no sheet number 9 in …": a capital after "error:", unlike the rest, which
    # begin with the file (as "has no sheet named" does).
    code, _, err = invoke("check", SMALL, "--sheet", "9", "--lang", lang)
    assert code == 1
    assert err.startswith(start.format(file=SMALL))


# --- found by fuzzing (scripts/fuzz/) --------------------------------------------------------


def test_a_line_break_inside_an_amount_is_an_error_at_its_cell_and_in_budget(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.csv"
    path.write_text('ID;Søker;Søkt beløp;Poeng\nS-1;Moss;"5554\n,500";4\nS-2;Rygge;1000;3\n')
    code, out, err = invoke("check", path)
    assert code == 1
    assert "C2" in out
    assert "is not an amount" in out
    assert "Traceback" not in out + err
    code, out, err = invoke("allocate", SMALL, "--budget", "5554\n,500", "--lang", "nb")
    assert code == 2
    assert err.startswith("feil: --budget: «5554\n,500» er ikke et beløp;")


# --- a settings file that is no file ---------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
@pytest.mark.parametrize(
    ("option", "code", "said"),
    [
        ("--policy", 1, "error: regler.toml is a named pipe, not a file."),
        ("--columns", 2, "error: regler.toml is a named pipe, not a file."),
    ],
)
def test_a_named_pipe_for_a_settings_file_is_refused_not_waited_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str, code: int, said: str
) -> None:
    # Opening the pipe waited for good for a program to write to it.
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "regler.toml")
    got, out, err = invoke("allocate", SMALL, "-b", "5M", option, "regler.toml", "--dry-run")
    assert (got, out) == (code, "")
    assert err == f"{said} Give the name of the file itself.\n"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_for_a_policy_file_is_refused_in_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # /dev/zero was read until memory ran out.
    monkeypatch.chdir(tmp_path)
    got, _, err = invoke(
        "allocate", SMALL, "-b", "5M", "--policy", "/dev/zero", "--dry-run", "--lang", "nb"
    )
    assert got == 1
    assert err == (
        "feil: /dev/zero er en enhet (device), ikke en fil. Oppgi navnet på selve filen.\n"
    )
