"""The programme and ledger commands end to end through the CLI, on real files in tmp_path."""

from __future__ import annotations

import csv
import json
import re
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest
from typer.testing import CliRunner, Result

from tilskudd import clock
from tilskudd.cli import app
from tilskudd.i18n import format_date, get
from tilskudd.models import Reason

from .entrypoint import run_main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NBSP = "\u00a0"

PROGRAMME = """\
[programme]
name = "Testordning"
frame = "200 000"
lang = "en"
register = "2009"

[[round]]
number = 1
budget = "100 000"

[[round]]
number = 2

[policy]
max_share_of_cost = "20 %"
"""
HEADER = (
    "Søknadsnr;Søker;Organisasjonsnummer;Prosjekttittel;Deltakende kommuner;Omsøkt beløp;"
    "Totalkostnad;Poeng"
)
ROUND_1 = [
    "A-1;Moss kommune;974760673;Felles saksbehandling;0104, 0105;60000;300000;5",
    "A-2;Oslo kommune;958935420;Digital post;0301;40000;200000;4",
    "A-3;Bergen kommune;964338531;Sak;1201;80000;400000;3",
]
ROUND_2 = [
    "B-1;Moss kommune;974760673;Felles saksbehandling;0104;30000;150000;5",
    "B-3;Bergen kommune;964338531;Sak 2;1201;50000;250000;3",
]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A programme folder with two rounds' files; the current folder for the test."""
    (tmp_path / "tilskudd.toml").write_text(PROGRAMME, encoding="utf-8")
    (tmp_path / "r1.csv").write_text("\n".join([HEADER, *ROUND_1]) + "\n", encoding="utf-8")
    (tmp_path / "r2.csv").write_text("\n".join([HEADER, *ROUND_2]) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    return tmp_path


def commit_round(file: str = "r1.csv", number: int = 1) -> Result:
    """``tilskudd allocate FILE --round N --commit`` in the programme folder, which must commit
    (said with its output when it does not)."""
    result = run("allocate", file, "--round", str(number), "--commit")
    assert result.exit_code == 0, result.output
    return result


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_init_creates_a_programme_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "ny", "--frame", "60M", "--register", "2009", "--name", "Ordning")
    assert result.exit_code == 0, result.output
    assert "Opprettet ny/tilskudd.toml og ny/søknadsmal.xlsx." in result.stdout
    # A copy of the template for each round: the ledger knows a committed round's file by its
    # content, so the template filled in again for round 2 would no longer be round 1's.
    said = re.sub(r"\s*\n\s*", " ", result.stdout)
    assert "lagre en kopi av søknadsmal.xlsx for runde 1 (for eksempel runde1.xlsx)" in said
    assert "tilskudd allocate runde1.xlsx --round 1" in said
    assert "Bruk en ny kopi av malen for hver runde" in said
    assert "allocate søknadsmal.xlsx" not in said
    # From here the commands would not find ny/tilskudd.toml: the first step is to go there.
    assert said.startswith(
        "Opprettet ny/tilskudd.toml og ny/søknadsmal.xlsx. Gå først til mappen, med `cd ny`: "
        "kommandoene for ordningen finner tilskudd.toml i mappen du står i. Neste steg: "
    )
    text = (tmp_path / "ny" / "tilskudd.toml").read_text(encoding="utf-8")
    assert 'frame = "60 000 000"' in text
    book = openpyxl.load_workbook(tmp_path / "ny" / "søknadsmal.xlsx")
    assert book.sheetnames[:2] == ["Søknader", "Veiledning"]
    guide = [str(c.value) for c in book["Veiledning"]["A"] if c.value]
    assert any(line.startswith("Lagre en kopi av denne malen for hver runde") for line in guide)
    assert "Fordel runde 1: tilskudd allocate runde1.xlsx --round 1" in guide
    # The policy is tilskudd.toml's: the instructions point there and copy no figure of it
    # ("høyst 50 %" stayed in the template after the officer made the cap 20 % in the file).
    assert any("står i tilskudd.toml" in line for line in guide)
    assert not [line for line in guide if "%" in line or "50" in line]
    before = snapshot(tmp_path / "ny" / "tilskudd.toml")
    again = run("init", "ny")
    assert again.exit_code == 2
    assert "tilskudd init skriver aldri over en fil" in again.stderr  # in the files' language
    assert snapshot(tmp_path / "ny" / "tilskudd.toml") == before
    # The new programme works at once: status from inside its folder.
    monkeypatch.chdir(tmp_path / "ny")
    status = run("status")
    assert status.exit_code == 0, status.output
    assert f"Ordning: ramme 60{NBSP}000{NBSP}000{NBSP}kr." in status.stdout


@pytest.mark.parametrize(
    ("args", "nb", "en"),
    [
        (
            ["--register", "2010"],
            "feil: ukjent inndeling «2010»; bruk 2009, 2020 eller 2024",
            "error: unknown register '2010'; use 2009, 2020 or 2024",
        ),
        (
            ["--frame", "-5"],
            "feil: --frame: «-5» er negativt; et beløp kan ikke være negativt",
            "error: --frame: '-5' is negative; an amount cannot be negative",
        ),
    ],
)
def test_init_refuses_in_the_language_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], nb: str, en: str
) -> None:
    """Norwegian files (the default, or --lang nb) come with Norwegian refusals; English ones
    (--lang en, or TILSKUDD_LANG=en without --lang) with English refusals."""
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    result = run("init", str(tmp_path / "p"), *args)
    assert result.exit_code in (1, 2)
    assert result.stderr.strip() == nb
    monkeypatch.setenv("TILSKUDD_LANG", "en")
    assert run("init", str(tmp_path / "p"), *args, "--lang", "nb").stderr.strip() == nb
    for lang in ([], ["--lang", "en"]):
        assert run("init", str(tmp_path / "p"), *args, *lang).stderr.strip() == en
    assert not (tmp_path / "p").exists()


def test_init_says_to_go_to_the_folder_only_when_it_is_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    spaced = run("init", "Kultur 2027", "--lang", "en")
    assert spaced.exit_code == 0, spaced.output
    said = re.sub(r"\s*\n\s*", " ", spaced.stdout)
    assert (
        'First go to the folder, with `cd "Kultur 2027"`: the programme\'s commands find ' in said
    )
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    here = run("init")
    assert here.exit_code == 0, here.output
    assert "cd " not in here.stdout
    assert "Neste steg: lagre en kopi" in here.stdout


def test_init_in_english(tmp_path: Path) -> None:
    result = run("init", str(tmp_path / "p"), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Created" in result.stdout
    book = openpyxl.load_workbook(tmp_path / "p" / "applications.xlsx")
    assert book.sheetnames[:2] == ["Applications", "Instructions"]


def test_a_round_allocated_committed_and_reported(folder: Path) -> None:
    result = run("allocate", "r1.csv", "--round", "1", "--commit")
    assert result.exit_code == 0, result.output
    # 200 000 remains, but round 2 is planned: nothing said of the rest
    assert f"Round 1: budget NOK{NBSP}100,000, from the programme.\n" in result.stdout
    assert "Committed round 1 to the ledger: NOK" in result.stdout
    assert "to 2 projects in 3 municipalities (ledger entry 1)" in result.stdout
    assert "Hash of the last ledger entry: " in result.stdout
    assert (folder / "tilskudd.ledger.sqlite").exists()

    status = run("status")
    assert status.exit_code == 0, status.output
    lines = status.stdout.splitlines()
    assert lines[:3] == [
        f"Testordning: frame NOK{NBSP}200,000.",
        f"Round 1: NOK{NBSP}100,000 to 2 projects in 3 municipalities.",
        f"Remaining of the frame: NOK{NBSP}100,000.",
    ]
    nb = run("status", "--lang", "nb")
    assert f"Igjen av rammen: 100{NBSP}000{NBSP}kr." in nb.stdout
    data = json.loads(run("status", "--format", "json").stdout)
    assert (data["committed"], data["remaining"]) == (100_000, 100_000)
    assert data["rounds"][0]["projects"] == 2

    # Round 2 gets what remains; A-1's project (same orgnr and title) is not funded again.
    second = run("allocate", "r2.csv", "--round", "2")
    assert second.exit_code == 0, second.output
    assert f"Round 2: budget NOK{NBSP}100,000, what remains of the frame." in second.stdout
    assert "Funded in an earlier round, not funded again: B-1." in second.stdout
    assert "Not recorded in the ledger: add --commit" in second.stdout
    assert run("status", "--format", "json").stdout.count('"round": 1') == 1


@pytest.mark.parametrize(
    ("programme_lang", "lang", "label", "other", "summary_sheet"),
    [
        ("en", "nb", "Runde 1", "Round 1", "Sammendrag"),
        ("nb", "en", "Round 1", "Runde 1", "Summary"),
    ],
)
def test_a_round_the_programme_does_not_name_is_named_in_the_outputs_language(
    folder: Path, programme_lang: str, lang: str, label: str, other: str, summary_sheet: str
) -> None:
    """tilskudd names an unnamed round ("Runde 1" / "Round 1") in the language of what it
    prints and writes, not the programme's: no "Round 1: 2 prosjekter …" under --lang nb."""
    toml = folder / "tilskudd.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('lang = "en"', f'lang = "{programme_lang}"'),
        encoding="utf-8",
    )
    result = run("allocate", "r1.csv", "--round", "1", "--lang", lang, "-o", "out.xlsx")
    assert result.exit_code == 0, result.output
    sentence = next(line for line in result.stdout.splitlines() if line.startswith(label + ":"))
    assert ("prosjekter" if lang == "nb" else "projects") in sentence
    assert other not in result.stdout
    run("allocate", "r1.csv", "--round", "1", "--lang", lang, "-o", "out.md")
    assert f"Testordning · {label}" in (folder / "out.md").read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(folder / "out.xlsx")[summary_sheet]
    cells = [v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert cells[0] == f"Testordning – {label}"
    assert not any(other in v for v in cells)


@pytest.mark.parametrize(
    ("made_in", "lang", "label"), [("en", "nb", "Runde"), ("nb", "en", "Round")]
)
def test_a_round_of_a_programme_from_init_is_named_in_the_outputs_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, made_in: str, lang: str, label: str
) -> None:
    """tilskudd init wrote 'name = "Round 1"' (or "Runde 1") into the programme file: a name
    of the officer's by then, kept as written, so a programme made in English said "Round 1:
    2 prosjekter …" under --lang nb. The template leaves the rounds unnamed (a commented
    example shows how to name one), so tilskudd names them in the language of the output."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    made = run("init", "p", "--frame", "1M", "--register", "2009", "--lang", made_in)
    assert made.exit_code == 0, made.output
    monkeypatch.chdir(tmp_path / "p")
    Path("r1.csv").write_text("\n".join([HEADER, *ROUND_1]) + "\n", encoding="utf-8")
    result = run("allocate", "r1.csv", "--round", "1", "--lang", lang, "--dry-run")
    assert result.exit_code == 0, result.output
    other = "Round" if label == "Runde" else "Runde"
    assert any(line.startswith(f"{label} 1:") for line in result.stdout.splitlines())
    assert f"{other} 1" not in result.stdout


@pytest.mark.parametrize(
    ("written", "lang", "label"),
    [("Runde 1", "en", "Round 1"), ("Round 1", "nb", "Runde 1"), ("runde 1", "en", "Round 1")],
)
def test_the_round_name_an_earlier_init_wrote_follows_the_outputs_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, lang: str, label: str
) -> None:
    """A programme file from an init before the rounds were left unnamed says name = "Runde 1"
    (or "Round 1"): an English output said "Runde 1: 2 projects …" and titled its documents
    "… – Runde 1". That name is the round's number in tilskudd's words, so it is said in the
    output's language; the file is not rewritten."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    made = run("init", "p", "--frame", "1M", "--register", "2009", "--lang", "nb")
    assert made.exit_code == 0, made.output
    monkeypatch.chdir(tmp_path / "p")
    toml = Path("tilskudd.toml")
    text = toml.read_text(encoding="utf-8").replace(
        "number = 1\n", f'number = 1\nname = "{written}"\n'
    )
    toml.write_text(text, encoding="utf-8")
    Path("r1.csv").write_text("\n".join([HEADER, *ROUND_1]) + "\n", encoding="utf-8")
    result = run("allocate", "r1.csv", "--round", "1", "--lang", lang, "--dry-run")
    assert result.exit_code == 0, result.output
    assert any(line.startswith(f"{label}:") for line in result.stdout.splitlines())
    assert written not in result.stdout
    result = run("allocate", "r1.csv", "--round", "1", "--lang", lang, "-o", "out.md")
    assert result.exit_code == 0, result.output
    assert f"· {label}" in Path("out.md").read_text(encoding="utf-8")
    assert toml.read_text(encoding="utf-8") == text


def test_a_round_named_in_the_programme_file_keeps_its_name_in_either_language(
    folder: Path,
) -> None:
    toml = folder / "tilskudd.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("number = 1\n", 'number = 1\nname = "Vårrunden"\n'), "utf-8")
    for lang in ("nb", "en"):
        result = run("allocate", "r1.csv", "--round", "1", "--lang", lang)
        assert result.exit_code == 0, result.output
        assert any(line.startswith("Vårrunden: ") for line in result.stdout.splitlines())


def test_a_round_whose_places_are_in_the_other_numbering_is_not_committed(
    folder: Path,
) -> None:
    # The programme follows 2009; checked against 2024, A-1's 0104 and 0105 and A-3's 1201
    # are old numbers, and the two would be rejected for that alone, for good once committed.
    before = snapshot(folder / "r1.csv")
    result = run("allocate", "r1.csv", "--round", "1", "--register", "2024", "--commit")
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert (
        "The round was not recorded in the ledger: 2 applications would be rejected only"
        " because their places are in the 2009 numbering" in said
    )
    assert "Committed round" not in said
    # Nothing was allocated: the applications would be rejected, as check says, not "are".
    assert "2 applications have errors and would be rejected." in said
    assert snapshot(folder / "r1.csv") == before
    status = json.loads(run("status", "--format", "json").stdout)
    assert status["committed"] == 0
    # Without --commit it is a round like any other, with the hint under it.
    preview = run("allocate", "r1.csv", "--round", "1", "--register", "2024")
    assert preview.exit_code == 0, preview.output
    assert "2 applications have errors and are rejected." in " ".join(preview.output.split())
    assert "seem to follow the 2009 numbering" in " ".join(preview.output.split())
    # In the programme's own numbering the round is committed.
    commit_round()


def test_check_in_a_programme_folder_takes_its_register_and_language(folder: Path) -> None:
    # The programme follows 2009 (0104 Moss, 1201 Bergen): check reads the round's file as
    # allocate --round will, not against today's numbering.
    result = run("check", "r1.csv")
    assert result.exit_code == 0, result.output
    assert "No problems found: every application can be allocated." in result.stdout
    (folder / "tilskudd.toml").write_text(
        PROGRAMME.replace('lang = "en"', 'lang = "nb"'), encoding="utf-8"
    )
    nb = run("check", "r1.csv")
    assert nb.exit_code == 0, nb.output
    assert "Ingen problemer funnet: alle søknadene kan fordeles." in nb.stdout
    # The options still decide when given.
    assert "No problems found" in run("check", "r1.csv", "--lang", "en").stdout
    against_2024 = run("check", "r1.csv", "--register", "2024")
    assert against_2024.exit_code == 1
    assert "0104" in against_2024.stdout


def test_a_programme_rounds_documents_carry_its_decision_date(folder: Path) -> None:
    (folder / "tilskudd.toml").write_text(
        PROGRAMME.replace('budget = "100 000"', 'budget = "100 000"\ndecision = 2009-06-12'),
        encoding="utf-8",
    )
    result = run("allocate", "r1.csv", "--round", "1", "-o", "r1.md")
    assert result.exit_code == 0, result.output
    assert "\nDecided 12 June 2009\n" in (folder / "r1.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "not recorded in the ledger: 1 application would be rejected only because its"),
        ("nb", "ikke ført i registeret: 1 søknad ville blitt avvist bare fordi stedene dens"),
    ],
)
def test_one_application_in_the_other_numbering_is_said_in_the_singular(
    folder: Path, lang: str, words: str
) -> None:
    # Three old numbers make the pattern, all in one application: "1 applications would be
    # rejected only because their places ..." was the refusal's plural for any count.
    one = "A-1;Moss kommune;974760673;Felles saksbehandling;0104, 0105, 0106;60000;300000;5"
    (folder / "one.csv").write_text(f"{HEADER}\n{one}\n", encoding="utf-8")
    result = run(
        "allocate", "one.csv", "--round", "1", "--register", "2024", "--commit", "--lang", lang
    )
    assert result.exit_code == 1, result.output
    assert words in " ".join(result.output.split())


def test_committing_the_same_round_twice_is_refused(folder: Path) -> None:
    commit_round()
    ledger = folder / "tilskudd.ledger.sqlite"
    before = snapshot(ledger)
    rerun = run("allocate", "r1.csv", "--round", "1")
    assert rerun.exit_code == 0, rerun.output
    assert "Round 1 was committed on " in rerun.stdout
    assert "cannot be committed again" in rerun.stdout
    again = run("allocate", "r1.csv", "--round", "1", "--commit")
    assert again.exit_code == 1
    assert "already committed: round 1, committed" in again.stderr
    assert "(ledger entry 1)" in again.stderr
    assert snapshot(ledger) == before


def test_dry_run_writes_nothing_not_even_the_ledger(folder: Path) -> None:
    commit_round()
    ledger = folder / "tilskudd.ledger.sqlite"
    before = snapshot(ledger)
    files = sorted(p.name for p in folder.iterdir())
    result = run("allocate", "r2.csv", "--round", "2", "--dry-run")
    assert result.exit_code == 0, result.output
    assert snapshot(ledger) == before
    assert sorted(p.name for p in folder.iterdir()) == files
    both = run("allocate", "r2.csv", "--round", "2", "--dry-run", "--commit")
    assert both.exit_code == 2
    assert "--dry-run writes nothing" in both.stderr
    assert snapshot(ledger) == before


def test_the_budget_check_of_a_later_round_counts_only_what_the_round_considers(
    folder: Path,
) -> None:
    """The budget check of round 2 counted B-1, funded in round 1 (the same organisation and
    project as A-1) and left out of round 2, among what was asked of the budget: "Requested
    NOK 80,000", both in full best first. It says B-1 apart now, with its sum, and the rest
    adds up to the award table's total."""
    commit_round()

    def said(*args: str) -> str:
        result = run("allocate", "r2.csv", "--round", "2", "--dry-run", *args)
        assert result.exit_code == 0, result.output
        return " ".join(result.stdout.replace(NBSP, " ").split())

    en = said()
    assert "Total NOK 80,000" in en  # the award table: B-1 with the rest
    assert (
        "Funded before 1 application (NOK 30,000) funded in an earlier round, left out of this "
        "one; the figures below are of the other 1"
    ) in en
    assert "Requested NOK 50,000 (NOK 80,000 with the one left out)" in en
    assert (
        "Oversubscription requested is 0.5 times the budget: every application the round "
        "considers fits"
    ) in en
    assert "Funded as requested, best first 1 application (NOK 50,000), leaving NOK 50,000" in en
    assert "Involved 1 municipality in 1 county" in en
    nb = said("--lang", "nb")
    assert "Sum 80 000 kr" in nb
    assert (
        "Fikk tilskudd før 1 søknad (30 000 kr) fikk tilskudd i en tidligere runde og er ikke "
        "med i denne; tallene under gjelder de 1 andre"
    ) in nb
    assert "Omsøkt 50 000 kr (80 000 kr med den som ikke er med)" in nb
    assert "alle søknadene runden vurderer, får plass" in nb


def test_commit_needs_a_round_and_a_round_needs_a_programme(
    folder: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_round = run("allocate", "r1.csv", "--budget", "100000", "--commit")
    assert no_round.exit_code == 2
    assert "say which with --round" in no_round.stderr
    # In the programme's folder without --round or --budget: the rounds it has, not a
    # "--round N in a programme folder" the officer is already in.
    for lang, said in (
        ("en", "error: --budget is required when the file is allocated alone, without --round. "
         "For a round of the programme, give --round 1 or 2: its budget then comes from the "
         "programme file, and the round is allocated against the ledger\n"),
        ("nb", "feil: --budget må oppgis når filen fordeles alene, uten --round. Er det en runde "
         "i ordningen, skriver du --round 1 eller 2, så kommer rammen for runden fra "
         "ordningsfilen, og runden fordeles mot registeret\n"),
    ):  # fmt: skip
        alone = run("allocate", "r1.csv", "--lang", lang)
        assert alone.exit_code == 2
        assert " ".join(alone.stderr.split()) + "\n" == said
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.copy(folder / "r1.csv", elsewhere / "r1.csv")
    monkeypatch.chdir(elsewhere)
    if any((p / "tilskudd.toml").exists() for p in elsewhere.parents):
        pytest.skip("a tilskudd.toml above the temporary folder")
    result = run("allocate", "r1.csv", "--round", "1")
    assert result.exit_code == 2
    assert "no programme file (tilskudd.toml)" in result.stderr
    # Without --round and without a programme, allocate works as before.
    plain = run("allocate", "r1.csv", "--budget", "100000", "--register", "2009")
    assert plain.exit_code == 0, plain.output
    assert not list(elsewhere.glob("*.sqlite"))
    # And --programme points at one from anywhere.
    given = run("allocate", "r1.csv", "--round", "1", "--programme", str(folder / "tilskudd.toml"))
    assert given.exit_code == 0, given.output
    assert "Round 1: budget" in given.stdout


def test_over_the_frame_is_refused(folder: Path) -> None:
    commit_round()
    big = "C-1;Bergen kommune;964338531;Stort;1201;120000;600000;5"
    (folder / "big.csv").write_text(f"{HEADER}\n{big}\n", encoding="utf-8")
    result = run("allocate", "big.csv", "--round", "2", "--budget", "150000", "--commit")
    assert result.exit_code == 1
    assert "remains of the frame" in result.stderr


def test_history_by_orgnr_lists_the_organisations_rejected_applications_too(
    folder: Path,
) -> None:
    # A-4's amount is no amount: rejected, but its organisation number was valid, and the
    # history of the organisation is everything it applied for.
    bad = "A-4;Moss kommune;974760673;Ny portal;0104;mange penger;300000;4"
    (folder / "r1.csv").write_text("\n".join([HEADER, *ROUND_1, bad]) + "\n", encoding="utf-8")
    commit_round()
    history = run("history", "974760673")
    assert history.exit_code == 0, history.output
    assert history.stdout.splitlines()[0].startswith("Recorded for 974760673: 2 applications")
    assert "Round 1 · A-4 · Moss kommune · Ny portal" in history.stdout
    data = json.loads(run("history", "974760673", "--format", "json").stdout)
    assert [(d["application_id"], d["orgnr"], d["status"]) for d in data] == [
        ("A-1", "974760673", "funded"),
        ("A-4", "974760673", "rejected"),
    ]
    assert {d["currency"] for d in data} == {"NOK"}  # a programme of kroner says so too


def test_history_says_why_an_application_funded_in_an_earlier_round_was_not_funded(
    folder: Path,
) -> None:
    """B-1, not funded in round 2 because round 1 funded it as A-1, was listed by history as
    "now NOK 0 (not funded)" and no more. It is told why, as the round's lists tell it, with
    the earlier grant as it stands now (amended since), in both languages and in the JSON."""
    commit_round()
    commit_round("r2.csv", 2)
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0

    def said(*args: str) -> str:
        result = run("history", "974760673", *args)
        assert result.exit_code == 0, result.output
        return result.stdout.replace(NBSP, " ")

    lines = said().splitlines()
    at = lines.index("Round 2 · B-1 · Moss kommune · Felles saksbehandling")
    assert lines[at + 1].endswith("now NOK 0 (not funded)")
    assert lines[at + 2] == (
        "  Already funded in round 1 (application A-1, NOK 50,000 now); not funded again."
    )
    assert "Already funded" not in "\n".join(lines[:at])  # said of B-1 only
    assert (
        "  Fikk allerede tilskudd i runde 1 (søknad A-1, 50 000 kr nå); får ikke tilskudd på nytt."
    ) in said("--lang", "nb").splitlines()
    data = json.loads(run("history", "974760673", "--format", "json").stdout)
    texts = {d["application_id"]: d["reason_text"] for d in data}
    assert texts["A-1"].replace(NBSP, " ").startswith("Funded with the full eligible amount")
    assert texts["B-1"].replace(NBSP, " ") == (
        "Already funded in round 1 (application A-1, NOK 50,000 now); not funded again."
    )
    assert data[1]["reasons"][0]["code"] == "reason.round.already_funded"
    # By B-1's id alone, A-1 is not listed: found in the ledger for what it is now.
    by_id = run("history", "B-1")
    assert by_id.exit_code == 0, by_id.output
    assert (
        "  Already funded in round 1 (application A-1, NOK 50,000 now); not funded again."
    ) in by_id.stdout.replace(NBSP, " ").splitlines()
    # The round's own reason keeps the grant as it was when round 2 was allocated, and says so:
    # it said "NOK 60,000 now" after the amendment to 50,000.
    explained = run("explain", "r2.csv", "B-1", "--round", "2", "--no-what-if")
    assert explained.exit_code == 0, explained.output
    said = " ".join(explained.stdout.replace(NBSP, " ").split())
    assert "(application A-1, NOK 60,000 when this round was allocated)" in said
    assert "now)" not in said


def test_history_says_the_earlier_grant_was_withdrawn_rather_than_nothing_now(
    folder: Path,
) -> None:
    """B-1, left out of round 2 because round 1 funded it as A-1, whose grant was withdrawn
    since, was told "(application A-1, NOK 0 now)". It is told that grant was withdrawn, when,
    that nothing of it stands, and how B-1 can be funded now, in both languages and the JSON;
    once B-1 is funded so, the way to fund it is no longer said."""
    commit_round()
    commit_round("r2.csv", 2)
    withdrawn = run(
        "withdraw", "A-1", "--decided", "2009-11-03", "--reason", "The municipality withdrew"
    )
    assert withdrawn.exit_code == 0, withdrawn.output

    def said(*args: str) -> list[str]:
        result = run("history", "974760673", *args)
        assert result.exit_code == 0, result.output
        return result.stdout.replace(NBSP, " ").splitlines()

    lines = said()
    at = lines.index("Round 2 · B-1 · Moss kommune · Felles saksbehandling")
    recorded = clock.today().isoformat()  # the day in Norway it ran; --decided gives the other
    assert lines[at + 2] == (
        "  Not funded at the decision, because round 1 funded the same project (application"
        " A-1); that grant"
        f" was withdrawn 2009-11-03 (recorded {recorded}), so none of it stands now. B-1 can"
        " be funded now, held to round 2's policy: tilskudd amend B-1 --round 2 --amount N"
        ' --reason "…"'
    )
    assert not any("NOK 0 now" in line for line in lines)
    nb = said("--lang", "nb")
    assert (
        "  Fikk ikke tilskudd ved vedtaket, fordi runde 1 ga tilskudd til det samme prosjektet"
        " (søknad A-1);"
        f" det tilskuddet ble trukket tilbake 2009-11-03 (registrert {recorded}), så ingenting"
        " av det står nå. B-1 kan få tilskudd nå, etter reglene for runde 2: tilskudd amend"
        ' B-1 --round 2 --amount N --reason "…"'
    ) in nb
    assert not any("0 kr nå" in line for line in nb)
    data = json.loads(run("history", "974760673", "--format", "json").stdout)
    text = {d["application_id"]: d["reason_text"] for d in data}["B-1"]
    assert text.startswith("Not funded at the decision, because round 1 funded the same project")
    assert "withdrawn 2009-11-03" in text
    # Funded by an amendment since: the grant withdrawn is still said, the way to fund it not.
    funded = run("amend", "B-1", "--round", "2", "--amount", "30 000", "--reason", "Money freed")
    assert funded.exit_code == 0, funded.output
    lines = said()
    at = lines.index("Round 2 · B-1 · Moss kommune · Felles saksbehandling")
    assert lines[at + 2] == (
        "  Not funded at the decision, because round 1 funded the same project (application"
        " A-1); that grant"
        f" was withdrawn 2009-11-03 (recorded {recorded}), so none of it stands now."
    )


def test_explain_of_a_committed_decision_tells_what_was_recorded_since(folder: Path) -> None:
    commit_round()
    before = run("explain", "r1.csv", "A-1", "--round", "1")
    assert before.exit_code == 0, before.output
    assert "After the decision" not in before.stdout
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    assert run("withdraw", "A-1", "--reason", "the project was stopped").exit_code == 0
    said = " ".join(run("explain", "r1.csv", "A-1", "--round", "1").stdout.split())
    day = r"\d{1,2} [A-Z][a-z]+ \d{4}"  # in words, as the documents date the decision
    assert re.search(
        rf"After the decision the grant was amended on {day}, from NOK 60,000 to NOK 50,000\."
        rf" Cost reduced\. Then, on {day}, the grant of NOK 50,000 was withdrawn\. The project"
        r" was stopped\. The grant is now NOK 0\.",
        said.replace(NBSP, " "),
    ), said
    nb = " ".join(run("explain", "r1.csv", "A-1", "--round", "1", "--lang", "nb").stdout.split())
    assert "Etter vedtaket ble tilskuddet endret" in nb
    assert "Deretter ble tilskuddet på" in nb
    data = json.loads(run("explain", "r1.csv", "A-1", "--round", "1", "--format", "json").stdout)
    assert [(c["kind"], c["before"], c["after"]) for c in data["changes"]] == [
        ("amend", 60_000, 50_000),
        ("withdraw", 50_000, 0),
    ]
    # The decision, and what stands now beside it, as the JSON of allocate --round 1 says them
    # (explain gave the decision alone: "amount": 60000, "status": "funded").
    assert (data["amount"], data["status"]) == (60_000, "funded")
    assert (data["amount_now"], data["status_now"]) == (0, "withdrawn")
    run("allocate", "r1.csv", "--round", "1", "-o", "round.json")
    listed = {a["id"]: a for a in json.loads(Path("round.json").read_text())["applications"]}
    assert (listed["A-1"]["amount_now"], listed["A-1"]["status_now"]) == (0, "withdrawn")
    # Another application of the round, not changed: nothing more is said of it.
    other = json.loads(run("explain", "r1.csv", "A-2", "--round", "1", "--format", "json").stdout)
    assert other["changes"] == []
    assert "amount_now" not in other


def test_explain_of_a_decision_changed_since_gives_no_advice_that_no_longer_applies(
    folder: Path,
) -> None:
    """A-3, not funded at the decision and funded by an amendment since, was still told what
    score or budget would have funded it in full. That advice is left out now, and said to be,
    in both languages; the JSON says why there is none."""
    commit_round()
    before = " ".join(run("explain", "r1.csv", "A-3", "--round", "1").stdout.split())
    assert "With a budget of NOK" in before
    assert "Even with the highest score in the round" in before
    assert run("amend", "A-3", "--amount", "50 000", "--reason", "Money freed").exit_code == 0
    said = " ".join(run("explain", "r1.csv", "A-3", "--round", "1").stdout.split())
    assert "The grant is now NOK" in said
    assert "With a budget of" not in said
    assert "Even with the highest score" not in said
    assert "How the budget was found" not in said
    assert said.endswith(
        "What a higher score or a larger budget would have given at the decision is left out: "
        "the award was changed after the decision and stands as said above."
    )
    nb = " ".join(run("explain", "r1.csv", "A-3", "--round", "1", "--lang", "nb").stdout.split())
    assert "Med en ramme på" not in nb
    assert "høyeste poengsum" not in nb
    assert nb.endswith(
        "Hva en høyere poengsum eller en større ramme ville gitt ved vedtaket, er ikke tatt med: "
        "tilskuddet er endret etter vedtaket og står slik det er sagt over."
    )
    data = json.loads(run("explain", "r1.csv", "A-3", "--round", "1", "--format", "json").stdout)
    assert data["what_if"] == {
        "score": None,
        "score_note": "changed",
        "budget": None,
        "budget_note": None,
    }
    # Asked without the what-if, nothing is said of it.
    plain = run("explain", "r1.csv", "A-3", "--round", "1", "--no-what-if").stdout
    assert "What a higher score" not in plain


def test_explain_of_an_application_funded_in_an_earlier_round_is_one_sentence(
    folder: Path,
) -> None:
    """B-1 (funded in round 1 as A-1) was explained as "...allocation: Already funded in
    round 1 (...); not funded again. Capped at 20% of total cost ...": a capital after the
    colon, and a cap that decided nothing (it is recorded for an amendment to be held to).
    One sentence now, in both languages."""
    commit_round()
    # B-1 asks for more than 20 % of its cost: the cap the round records for it binds.
    asks_more = "B-1;Moss kommune;974760673;Felles saksbehandling;0104;50000;150000;5"
    (folder / "r2b.csv").write_text(f"{HEADER}\n{asks_more}\n{ROUND_2[1]}\n", encoding="utf-8")

    def said(*args: str) -> str:
        result = run("explain", "r2b.csv", "B-1", "--round", "2", *args)
        assert result.exit_code == 0, result.output
        return " ".join(result.stdout.replace(NBSP, " ").split())

    assert said().endswith(
        "The application was not part of this allocation: it was already funded in round 1 "
        "(application A-1, NOK 60,000 when this round was allocated) and is not funded again."
    )
    assert "Capped" not in said()
    nb = said("--lang", "nb")
    assert nb.endswith(
        "Søknaden var ikke med i denne fordelingen: den fikk allerede tilskudd i runde 1 "
        "(søknad A-1, 60 000 kr da denne runden ble fordelt) og får ikke tilskudd på nytt."
    )
    assert "Begrenset" not in nb


@pytest.mark.parametrize(("lang", "cap"), [("en", "Capped"), ("nb", "Begrenset")])
def test_an_application_funded_in_an_earlier_round_is_said_not_funded_without_its_cap(
    folder: Path, lang: str, cap: str
) -> None:
    """B-1 (funded in round 1 as A-1) had "Already funded in round 1 ...; not funded again.
    Capped at 20% of total cost ..." as its reason in the award table, the workbook and the
    CSV and JSON, while explain had dropped the cap: it decided nothing. The reason a person
    reads says only why it is not funded; the codes keep the cap for an amendment."""
    commit_round()
    asks_more = "B-1;Moss kommune;974760673;Felles saksbehandling;0104;50000;150000;5"
    (folder / "r2b.csv").write_text(f"{HEADER}\n{asks_more}\n{ROUND_2[1]}\n", encoding="utf-8")
    said = "allerede tilskudd i runde 1" if lang == "nb" else "Already funded in round 1"

    def allocate(*args: str) -> str:
        result = run("allocate", "r2b.csv", "--round", "2", "--lang", lang, *args)
        assert result.exit_code == 0, result.output
        return " ".join(result.stdout.replace(NBSP, " ").split())

    table = allocate()
    assert said in table
    assert cap not in table
    allocate("-o", "out2.json")
    data = json.loads((folder / "out2.json").read_text(encoding="utf-8"))
    (row,) = [d for d in data["applications"] if d["id"] == "B-1"]
    assert said in row["reason_text"]
    assert cap not in row["reason_text"]
    assert [r["code"] for r in row["reasons"]] == [
        "reason.round.already_funded",
        "reason.cap.share_of_cost",
    ]
    allocate("-o", "out2.csv")
    with open(folder / "out2.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    (b1,) = [r for r in rows if r[1:2] == ["B-1"] or r[:1] == ["B-1"]]
    assert any(said in cell for cell in b1)
    assert not any(cap in cell for cell in b1)
    allocate("-o", "out2.xlsx")
    book = openpyxl.load_workbook(folder / "out2.xlsx")
    cells = [
        str(c.value)
        for sheet in book.worksheets[:2]
        for row_ in sheet.iter_rows()
        if any(c.value == "B-1" for c in row_)
        for c in row_
    ]
    assert any(said in c for c in cells)
    assert not any(cap in c for c in cells)


def test_the_summary_sentence_of_awards_changed_past_the_budget_says_so(folder: Path) -> None:
    """Round 1 awarded its whole budget of NOK 100,000; A-3, funded since by an amendment with
    money of the frame, took the awards to NOK 150,000, and the documents said "3 projects ...
    receive NOK 150,000; NOK 0 left of the round" under a budget of NOK 100,000. The sentence
    says now that and why the round awards more than its budget, and by how much."""
    commit_round()
    assert run("amend", "A-3", "--amount", "50 000", "--reason", "Money freed").exit_code == 0

    def sentence(*args: str) -> str:
        result = run("allocate", "r1.csv", "--round", "1", *args)
        assert result.exit_code == 0, result.output
        return " ".join(result.stdout.replace(NBSP, " ").split())

    over = (
        "Round 1: 3 projects involving 4 municipalities receive NOK 150,000, NOK 50,000 more than "
        "the round's budget of NOK 100,000: awards were changed after the decision, and what was "
        "added came from the programme's frame."
    )
    assert over in sentence()
    assert "NOK 0 left of the round" not in sentence()
    sentence("-o", "round.md")
    document = " ".join(Path("round.md").read_text(encoding="utf-8").replace(NBSP, " ").split())
    assert over.removeprefix("Round 1: ") in document
    assert (
        "3 prosjekter med 4 kommuner får 150 000 kr, 50 000 kr mer enn rammen for runden på "
        "100 000 kr: tilskudd er endret etter vedtaket, og det som kom til, er tatt fra rammen "
        "for ordningen."
    ) in sentence("--lang", "nb")
    # As decided, the round's own sentence, which adds up to its budget.
    assert (
        "Round 1: 2 projects involving 3 municipalities receive NOK 100,000; NOK 0 left of the "
        "round."
    ) in sentence("--as-decided")
    # Below the budget (A-1 withdrawn, its NOK 60,000 back to the frame): what the decision
    # left of the round, said to be the decision's.
    assert run("withdraw", "A-1", "--reason", "Kommunen trakk seg").exit_code == 0
    assert (
        "Round 1: 2 projects involving 2 municipalities receive NOK 90,000 after changes since "
        "the decision; NOK 0 of the round was left unallocated at the decision."
    ) in sentence()
    assert (
        "Runde 1: 2 prosjekter med 2 kommuner får 90 000 kr, medregnet endringene siden vedtaket; "
        "0 kr av runden ble ikke fordelt ved vedtaket."
    ) in sentence("--lang", "nb")


def test_a_change_to_a_withdrawn_award_is_refused_with_what_can_be_done(folder: Path) -> None:
    """amend or withdraw of an award withdrawn already said only "a withdrawal is final". It
    says now what can be done: the project applies again in a later round, which the withdrawn
    award does not keep from being funded; or, where a later round left its application
    unfunded because of that award (B-1 in round 2, for A-1), that one can be funded by an
    amendment now."""
    commit_round()
    commit_round("r2.csv", 2)
    assert run("withdraw", "A-2", "--reason", "Kommunen trakk seg").exit_code == 0
    assert run("withdraw", "A-1", "--reason", "Kommunen trakk seg").exit_code == 0

    def refused(*args: str) -> str:
        result = run(*args)
        assert result.exit_code == 1, result.output
        return " ".join(result.stderr.replace(NBSP, " ").split())

    again = (
        "A new grant to the project is a new application in a later round, which this "
        "withdrawn award does not keep from being funded"
    )
    for said in (
        refused("withdraw", "A-2", "--reason", "again"),
        refused("amend", "A-2", "--amount", "10 000", "--reason", "back"),
    ):
        assert "A-2 (round 1) was withdrawn; a withdrawal is final" in said
        assert again in said
        assert "tilskudd amend" not in said
    nb = refused("amend", "A-2", "--amount", "10 000", "--reason", "x", "--lang", "nb")
    assert "A-2 (runde 1) er trukket tilbake; en tilbaketrekning er endelig" in nb
    assert "Et nytt tilskudd til prosjektet er en ny søknad i en senere runde" in nb
    # Round 2 left B-1 unfunded as funded in round 1 as A-1: that is the next step now.
    for said in (
        refused("withdraw", "A-1", "--reason", "again"),
        refused("amend", "A-1", "--amount", "10 000", "--reason", "back"),
    ):
        assert "A-1 (round 1) was withdrawn; a withdrawal is final" in said
        assert (
            "B-1 (round 2) was left unfunded because A-1 was funded; it can be funded now, "
            "held to round 2's policy: tilskudd amend B-1 --round 2 --amount N --reason"
        ) in said
    nb = refused("withdraw", "A-1", "--reason", "x", "--lang", "nb")
    assert (
        "B-1 (runde 2) fikk ikke tilskudd fordi A-1 fikk det; den kan få tilskudd nå, etter "
        "reglene for runde 2: tilskudd amend B-1 --round 2 --amount N --reason"
    ) in nb
    # As said: B-1 is funded by that amendment.
    assert run("amend", "B-1", "--round", "2", "--amount", "20 000", "--reason", "y").exit_code == 0


def test_history_amend_withdraw_and_export(folder: Path) -> None:
    commit_round()
    amended = run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced")
    assert amended.exit_code == 0, amended.output
    assert f"from NOK{NBSP}60,000 to NOK{NBSP}50,000" in amended.stdout
    assert f"Remaining of the frame: NOK{NBSP}110,000." in amended.stdout
    withdrawn = run("withdraw", "A-2", "--reason", "Withdrew")
    assert withdrawn.exit_code == 0, withdrawn.output
    assert withdrawn.stdout == (
        f"The award to A-2 (round 1) is withdrawn: NOK{NBSP}40,000 returned to the frame. "
        f"Remaining of the frame: NOK{NBSP}150,000.\n"
    )
    no_reason = run("withdraw", "A-1", "--reason", " ")
    assert no_reason.exit_code == 1
    assert "give the reason" in no_reason.stderr
    negative = run("amend", "A-1", "--amount", "-5", "--reason", "x")
    assert negative.exit_code == 2

    history = run("history", "974 760 673")
    assert history.exit_code == 0, history.output
    assert history.stdout.splitlines() == [
        f"Recorded for 974 760 673: 1 application, NOK{NBSP}50,000 awarded now.",
        "Round 1 · A-1 · Moss kommune · Felles saksbehandling",
        f"  requested NOK{NBSP}60,000 · committed NOK{NBSP}60,000 · now NOK{NBSP}50,000 (amended)",
        # Why it got what it got, as the round's lists said it when it was committed.
        f"  Funded with the full eligible amount, NOK{NBSP}60,000, at rank{NBSP}1.",
        history.stdout.splitlines()[4],
    ]
    assert history.stdout.splitlines()[4].endswith(
        f": from NOK{NBSP}60,000 to NOK{NBSP}50,000. Cost reduced"
    )
    data = json.loads(run("history", "A-2", "--format", "json").stdout)
    assert data[0]["reasons"][-1]["code"] == "reason.funded.full"
    assert [(d["round"], d["amount"], d["current"], d["current_status"]) for d in data] == [
        (1, 40_000, 0, "withdrawn")
    ]
    assert run("history", "nobody").stdout.startswith("Nothing recorded for nobody.")

    status = run("status").stdout
    assert "Committed NOK" in status
    assert "(1 amendment and 1 withdrawal)" in status

    out = folder / "ledger.xlsx"
    exported = run("ledger", "export", str(out))
    assert exported.exit_code == 0, exported.output
    # The sheet holds every decision, the not funded too: "Decisions", not "Awards".
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Decisions", "Amendments", "Rounds", "Policies"]
    rows = list(book["Decisions"].iter_rows(values_only=True))
    assert [(r[1], r[9], r[10], r[11]) for r in rows[1:]] == [
        ("A-1", 60_000, 50_000, "amended"),
        ("A-2", 40_000, 0, "withdrawn"),
        ("A-3", 0, 0, "not funded"),
    ]
    # Times are date-time cells an officer can sort and filter, in UTC as the header says; the
    # ISO text ("2026-11-30T02:54:25+00:00") read as text in Excel.
    assert rows[0][12:14] == ("Committed at (UTC)", "Last changed (UTC)")
    for cells in (book["Decisions"]["M2":"N3"], book["Amendments"]["I2":"I3"]):
        for cell in (cell for row in cells for cell in row):
            assert isinstance(cell.value, datetime), cell.coordinate
            assert cell.number_format == "yyyy-mm-dd hh:mm:ss"
    assert book["Amendments"]["I1"].value == "Recorded (UTC)"
    assert book["Rounds"]["C1"].value == "Committed at (UTC)"
    assert isinstance(book["Rounds"]["C2"].value, datetime)
    assert run("ledger", "export", str(out)).exit_code == 2  # exists, no --force
    assert run("ledger", "export", str(folder / "l.csv")).exit_code == 0
    lines = (folder / "l.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Round;ID;")
    # The CSV keeps ISO 8601 text, with its offset.
    header = lines[0].split(";")
    a1 = next(line.split(";") for line in lines if line.startswith("1;A-1;"))
    assert header[12:14] == ["Committed at", "Last changed"]
    assert datetime.fromisoformat(a1[13]) == book["Decisions"]["N2"].value.replace(tzinfo=UTC)
    assert a1[13].endswith("+00:00")


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_ledger_export_says_the_frame_what_is_awarded_now_and_what_remains(
    folder: Path, lang: str
) -> None:
    """The export had no line for what remains of the programme's frame: an officer checking
    the accounts had to add up the rounds' current amounts and take them from the frame. The
    workbook's rounds sheet gives the frame, what is awarded now (after amendments and
    withdrawals) and what remains, to the krone, as status gives them; the command says them
    for the CSV too, whose rows are decisions alone (a total row would be summed with them)."""
    commit_round()
    commit_round("r2.csv", 2)
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    assert run("withdraw", "A-2", "--reason", "Withdrew").exit_code == 0
    status = json.loads(run("status", "--format", "json").stdout)
    frame, awarded, remaining = status["frame"], status["awarded_now"], status["remaining"]
    assert frame == awarded + remaining
    assert (frame, remaining) == (200_000, 200_000 - awarded)
    exported = run("ledger", "export", "l.xlsx", "--lang", lang)
    assert exported.exit_code == 0, exported.output
    book = openpyxl.load_workbook(folder / "l.xlsx")
    rows = list(book.worksheets[2].iter_rows(values_only=True))
    labels = {
        "en": ("Programme frame", "Awarded now, all rounds", "Remaining of the frame"),
        "nb": ("Ordningens ramme", "Tildelt nå, alle runder", "Igjen av rammen"),
    }[lang]
    summary = {row[0]: row[1] for row in rows if row[0] in labels}
    assert summary == dict(zip(labels, (frame, awarded, remaining), strict=True))
    # Under the rounds, each an amount cell, and the sum of the rounds' amounts awarded now.
    at = next(i for i, row in enumerate(rows) if row[0] == labels[0])
    assert rows[at - 1] == (None,) * len(rows[at - 1]) or not any(rows[at - 1])
    assert sum(row[7] for row in rows[1 : at - 1]) == awarded
    cell = book.worksheets[2].cell(row=at + 1, column=2)
    assert cell.number_format == "#,##0"
    amounts = {
        "en": lambda n: f"NOK {n:,}",
        "nb": lambda n: f"{n:,} kr".replace(",", " "),
    }[lang]
    said = {
        "en": "Frame {}: {} awarded now, after amendments and withdrawals; {} remaining.",
        "nb": "Ramme {}: {} tildelt nå, etter endringer og tilbaketrekninger; {} igjen.",
    }[lang].format(amounts(frame), amounts(awarded), amounts(remaining))
    assert said in exported.stdout.replace(NBSP, " ").splitlines()
    csv_export = run("ledger", "export", "l.csv", "--lang", lang)
    assert csv_export.exit_code == 0, csv_export.output
    assert said in csv_export.stdout.replace(NBSP, " ").splitlines()


def test_ledger_export_of_a_frame_cut_below_the_awards_says_nothing_remains(
    folder: Path,
) -> None:
    """A frame cut below what is awarded (tilskudd.toml edited): the export says how much more
    is awarded than the frame, not "NOK -10,000 remaining", and the workbook keeps the
    figures that add up, the remainder below 0."""
    commit_round()
    cut = PROGRAMME.replace('frame = "200 000"', 'frame = "90 000"').replace(
        'budget = "100 000"', 'budget = "90 000"'
    )
    (folder / "tilskudd.toml").write_text(cut, encoding="utf-8")
    exported = run("ledger", "export", "l.xlsx")
    assert exported.exit_code == 0, exported.output
    assert (
        "Frame NOK 90,000: NOK 100,000 awarded now, after amendments and withdrawals; that is "
        "NOK 10,000 more than the frame, so nothing remains."
    ) in exported.stdout.replace(NBSP, " ").splitlines()
    rows = list(openpyxl.load_workbook(folder / "l.xlsx").worksheets[2].iter_rows(values_only=True))
    assert [row[:2] for row in rows if row[0] in ("Programme frame", "Remaining of the frame")] == [
        ("Programme frame", 90_000),
        ("Remaining of the frame", -10_000),
    ]


def test_verify_names_the_input_errors_of_a_round_committed_by_an_older_reading(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A round committed by a tilskudd that read an error cell (#N/A in a total cost) as empty
    funded A-2 without its cap; this one rejects A-2, and verify said only 'different decisions
    for 1 applications: A-2: in the ledger funded, re-run rejected', which reads as a ledger
    changed or a bug. It now says the cell and the problem this tilskudd finds there."""
    from tilskudd.reading import xlsx

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    for row in (
        ["ID", "Søker", "Kommune", "Omsøkt beløp", "Totalkostnad", "Poeng"],
        ["A-1", "Moss kommune", "Moss", 60_000, 300_000, 5],
        ["A-2", "Ski kommune", "Ski", 30_000, "#N/A", 4],  # an error cell, as Excel saves it
    ):
        sheet.append(row)
    book.save(folder / "r1.xlsx")
    older = {**xlsx._SCANNERS, "xlsx": lambda *_args: {}}  # the error cell read as empty
    with monkeypatch.context() as patched:
        patched.setattr(xlsx, "_SCANNERS", older)
        committed = run("allocate", "r1.xlsx", "--round", "1", "--commit")
    assert committed.exit_code == 0, committed.output

    for lang, said in (
        (
            "en",
            [
                "gives different decisions for 1 application:",
                "  A-2: ledger funded NOK\xa030,000, re-run rejected NOK\xa00",
                "    Søknader!E3: the cell holds the error #N/A, not a value; type the value",
            ],
        ),
        (
            "nb",
            [
                "gir andre vedtak for 1 søknad:",
                "  A-2: i registeret innvilget 30\xa0000\xa0kr, ny kjøring avvist 0\xa0kr",
                "    Søknader!E3: cellen inneholder feilen #N/A, ikke en verdi; skriv inn verdien",
            ],
        ),
    ):
        verified = run("verify", "--lang", lang)
        assert verified.exit_code == 1, verified.output
        lines = verified.stdout.splitlines()
        start = next(i for i, line in enumerate(lines) if line.endswith(said[0]))
        assert lines[start + 1 : start + 3] == said[1:], lines
        assert ("read more strictly now" if lang == "en" else "lest strengere nå") in lines[-1]
    # allocate --round 1 guessed "read with another --sheet, --columns or --register?": the
    # same options were given; the errors this tilskudd finds in the file are why.
    again = run("allocate", "r1.xlsx", "--round", "1")
    assert again.exit_code == 1
    said = " ".join(again.stderr.split())
    assert "--sheet" not in said
    assert (
        "A-2: rejected for errors this tilskudd finds in the file, which round 1 was committed "
        "without; the ledger's decisions stand as committed, and tilskudd verify names the cells"
        in said
    ), said
    nb = run("allocate", "r1.xlsx", "--round", "1", "--lang", "nb")
    assert nb.exit_code == 1
    assert (
        "A-2: avvist for feil denne versjonen av tilskudd finner i filen, som runde 1 ble ført "
        "uten; vedtakene i registeret står slik de ble ført, og tilskudd verify viser cellene"
        in " ".join(nb.stderr.split())
    )
    from tilskudd.i18n import get

    assert get("nb")("ledger.error.rerun_rejected", ids=["A-2"], round=1) in nb.stderr


def test_verify_of_a_round_changed_since_says_what_it_awarded_then_and_awards_now(
    folder: Path,
) -> None:
    """verify said "(NOK 100,000 awarded)" of a round whose awards were amended and withdrawn
    since, beside status's figure for it now: two amounts for one round, neither said to be
    which. It says the amount was awarded when committed, and what the round awards now."""
    commit_round()
    ok = run("verify")
    assert ok.exit_code == 0, ok.output
    assert (
        ok.stdout.replace(NBSP, " ")
        .splitlines()[-1]
        .endswith("gives the same 3 decisions (NOK 100,000 awarded).")
    )
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    assert run("withdraw", "A-2", "--reason", "Withdrew").exit_code == 0
    for lang, said in (
        (
            "en",
            "gives the same 3 decisions (NOK 100,000 awarded when committed; NOK 50,000 now, "
            "after 1 amendment and 1 withdrawal).",
        ),
        (
            "nb",
            "gir de samme 3 vedtakene (100 000 kr tildelt ved vedtaket; 50 000 kr nå, etter "
            "1 endring og 1 tilbaketrekning).",
        ),
    ):
        changed = run("verify", "--lang", lang)
        assert changed.exit_code == 0, changed.output
        assert changed.stdout.replace(NBSP, " ").splitlines()[-1].endswith(said)


def test_verify_agrees_then_finds_an_outside_edit(folder: Path) -> None:
    assert run("verify").stdout.startswith("Nothing committed yet")
    commit_round()
    ok = run("verify")
    assert ok.exit_code == 0, ok.output
    assert "Hash chain: 4 entries, all intact." in ok.stdout
    assert f"Round 1: re-running {folder / 'r1.csv'} gives the same 3 decisions" in ok.stdout

    # The input moved: --input names it, and must be the same bytes.
    shutil.move(folder / "r1.csv", folder / "moved.csv")
    missing = run("verify")
    assert missing.exit_code == 1
    assert "not re-run: the input file" in missing.stdout
    assert run("verify", "--round", "1", "--input", "moved.csv").exit_code == 0
    assert run("verify", "--input", "moved.csv").exit_code == 2  # which round?
    (folder / "moved.csv").write_text(HEADER + "\n" + ROUND_1[0] + "\n", encoding="utf-8")
    changed = run("verify", "--round", "1", "--input", "moved.csv")
    assert changed.exit_code == 1
    assert "is not the file committed for round 1" in changed.stdout

    conn = sqlite3.connect(folder / "tilskudd.ledger.sqlite")
    conn.execute("DROP TRIGGER awards_no_update")
    conn.execute("UPDATE awards SET amount = 45000 WHERE application_id = 'A-2'")
    conn.commit()
    conn.close()
    broken = run("verify", "--round", "1", "--input", "moved.csv")
    assert broken.exit_code == 1
    assert "Hash chain BROKEN at entry 3" in broken.stdout
    assert "amount changed" in broken.stdout
    # Which ledger: one given by --ledger, or a copy, is named as the file it is.
    ledger = folder / "tilskudd.ledger.sqlite"
    assert f"The ledger {ledger} was changed outside tilskudd." in broken.stdout
    # status still shows the figures, but warns first that they cannot be trusted.
    status = run("status")
    assert status.stdout.startswith(
        f"WARNING: the ledger {ledger} was changed outside tilskudd at entry 3, so the figures "
        "below cannot be trusted"
    )
    assert json.loads(run("status", "--format", "json").stdout)["tampered_at"] == 3
    exported = run("ledger", "export", "tampered.csv")
    assert exported.exit_code == 0
    assert (
        f"WARNING: the ledger {ledger} was changed outside tilskudd at entry 3, so the exported"
        in (exported.stdout)
    )
    # history too: A-2's NOK 45,000 was never awarded.
    history = run("history", "A-2")
    assert history.stdout.startswith(
        f"WARNING: the ledger {ledger} was changed outside tilskudd at entry 3, so the figures "
        "below cannot be trusted"
    ), history.stdout
    assert f"now NOK{NBSP}45,000" in history.stdout
    as_json = run("history", "A-2", "--format", "json")
    assert json.loads(as_json.stdout)[0]["amount"] == 45_000
    assert as_json.stderr.startswith(
        f"WARNING: the ledger {ledger} was changed outside tilskudd at entry 3"
    )
    nb = run("history", "958935420", "--lang", "nb")
    assert nb.stdout.startswith(
        f"ADVARSEL: registeret {ledger} er endret utenfor tilskudd ved post 3, så "
    )


def test_a_foreign_ledger_file_is_refused_untouched(folder: Path) -> None:
    other = folder / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = snapshot(other)
    result = run("allocate", "r1.csv", "--round", "1", "--commit", "--ledger", str(other))
    assert result.exit_code == 1
    assert "not a tilskudd ledger" in result.stderr
    assert run("status", "--ledger", str(other)).exit_code == 1
    norsk = run("status", "--ledger", str(other), "--lang", "nb")
    assert norsk.exit_code == 1
    assert norsk.stderr.startswith(
        f"feil: {other} er en SQLite-database fra et annet program, ikke et tilskuddsregister;"
    )
    assert snapshot(other) == before


def test_commands_need_a_programme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    if any((p / "tilskudd.toml").exists() for p in tmp_path.parents):
        pytest.skip("a tilskudd.toml above the temporary folder")
    for args in (["status"], ["amend", "X", "--amount", "1", "--reason", "r"], ["verify"]):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "tilskudd init" in result.stderr


def test_a_programme_in_a_folder_below_is_named_with_the_way_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next day, in the folder tilskudd init NAME was run in: the commands found no
    tilskudd.toml and said to create one with tilskudd init, which the officer had done."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    if any((p / "tilskudd.toml").exists() for p in tmp_path.parents):
        pytest.skip("a tilskudd.toml above the temporary folder")
    assert run("init", "Kultur 2027").exit_code == 0
    result = run("status", "--lang", "nb")
    assert result.exit_code == 2
    assert result.stderr == (
        f"feil: fant ingen ordningsfil (tilskudd.toml) i {tmp_path} eller en mappe over den, "
        "men mappen Kultur 2027 under den har en: gå til ordningens mappe, med "
        '`cd "Kultur 2027"`, og kjør kommandoen der, eller oppgi --programme STI\n'
    )
    assert run("init", "b", "--lang", "en").exit_code == 0
    two = run("allocate", "x.csv", "--round", "1", "--lang", "en")
    assert two.exit_code == 2
    assert (
        "but the folders Kultur 2027 and b in it have one each: go to the programme's folder, "
        "and run the command there, or give --programme PATH"
    ) in " ".join(two.stderr.split())


def test_help_has_a_worked_example() -> None:
    for command in ("init", "status", "history", "amend", "withdraw", "verify"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.stdout, command
        assert "tilskudd " + command in result.stdout, command
    assert "tilskudd ledger export" in run("ledger", "export", "--help").stdout
    assert "--commit" in run("allocate", "--help").stdout


@pytest.mark.slow
def test_the_difi_2009_walk_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README walk-through: round 1 committed, 40 MNOK left, round 2 allocated against it."""
    folder = tmp_path / "difi"
    shutil.copytree(
        EXAMPLES / "programme_difi2009",
        folder,
        ignore=shutil.ignore_patterns("tilskudd.ledger.sqlite*"),  # a reader's own walk-through
    )
    shutil.copy(EXAMPLES / "difi_2009_runde1.xlsx", tmp_path / "difi_2009_runde1.xlsx")
    monkeypatch.chdir(folder)
    first = run("allocate", "../difi_2009_runde1.xlsx", "--round", "1", "--commit", "--limit", "5")
    assert first.exit_code == 0, first.output
    assert "Runde 1 er ført i registeret:" in first.stdout
    status = run("status").stdout.splitlines()
    assert status[0] == f"IKT-tilskudd til kommunene 2009: ramme 60{NBSP}000{NBSP}000{NBSP}kr."
    report = json.loads(run("status", "--format", "json").stdout)
    (round1,) = report["rounds"]
    assert round1["committed"] <= 20_000_000
    assert report["remaining"] == 60_000_000 - round1["committed"] >= 40_000_000
    # The example names no round (as init writes it): the ledger records no name, so an
    # English export says "Round 1" by its number, not a "Runde 1" the file once wrote.
    assert round1["name"] is None
    assert run("ledger", "export", "rounds.xlsx", "--lang", "en").exit_code == 0
    rows = list(
        openpyxl.load_workbook(folder / "rounds.xlsx")["Rounds"].iter_rows(values_only=True)
    )
    assert rows[0][:2] == ("Round", "Round name")
    assert rows[1][:2] == (1, None)
    assert not any("Runde" in str(v) for row in rows for v in row)
    second = run("allocate", "difi_2009_runde2.xlsx", "--round", "2", "--limit", "5")
    assert second.exit_code == 0, second.output
    assert f"Runde 2: ramme 40{NBSP}000{NBSP}000{NBSP}kr, fra ordningsfilen." in second.stdout
    assert "Fikk tilskudd i en tidligere runde og får ikke igjen:" in second.stdout
    assert run("verify").exit_code == 0


def test_an_output_that_cannot_be_written_stops_the_commit_before_it_is_recorded(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written first under a temporary name, put in place only once the ledger recorded it."""
    (folder / "published").write_text("a file where a folder was meant", encoding="utf-8")
    # A folder that is a file is refused with the options, before the run.
    refused = run("allocate", "r1.csv", "--round", "1", "--commit", "-o", "published/r1.pdf")
    assert refused.exit_code == 2, refused.output
    assert refused.stderr.startswith("error: published/r1.pdf: published is a file")
    assert not (folder / "tilskudd.ledger.sqlite").exists()
    # One the system refuses only as the output is written (the folder became a file since).
    import errno
    import os

    import tilskudd.export

    def not_a_folder(_result: object, target: Path, **_: object) -> None:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target))

    with monkeypatch.context() as patch:
        patch.setattr(tilskudd.export, "write", not_a_folder)
        failed = run("allocate", "r1.csv", "--round", "1", "--commit", "-o", "later/r1.pdf")
    assert failed.exit_code == 1, failed.output
    assert "error: later/r1.pdf: " in failed.stderr
    assert "hint: a part of the path is a file, not a folder" in failed.stderr
    assert "This is a bug" not in failed.stderr
    assert not (folder / "tilskudd.ledger.sqlite").exists()
    done = run("allocate", "r1.csv", "--round", "1", "--commit", "-o", "r1.pdf")
    assert done.exit_code == 0, done.output
    assert (folder / "r1.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in folder.glob(".*")) == []  # no staged file left


@pytest.mark.parametrize("target", ["tilskudd.ledger.sqlite", "tilskudd.toml"])
@pytest.mark.parametrize("round_args", [["--round", "2"], ["--budget", "50000"]])
def test_the_ledger_and_the_programme_file_are_never_replaced_by_an_output(
    folder: Path, target: str, round_args: list[str]
) -> None:
    """Inputs of the round like the applications: -o onto one is refused, --force or not."""
    commit_round()
    before = snapshot(folder / target)
    result = run("allocate", "r2.csv", *round_args, "-o", target, "--format", "csv", "--force")
    assert result.exit_code == 2, result.output
    assert f"{target} is an input file; tilskudd never overwrites its input" in result.stderr
    assert snapshot(folder / target) == before
    assert run("verify").exit_code == 0


def test_a_ledger_given_by_option_is_never_replaced_by_an_output(folder: Path) -> None:
    assert run("allocate", "r1.csv", "--round", "1", "--commit", "--ledger", "l.db").exit_code == 0
    before = snapshot(folder / "l.db")
    result = run(
        "allocate", "r2.csv", "--ledger", "l.db", "--budget", "1", "-o", "l.db", "--format", "csv",
        "--force",
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "l.db is an input file" in result.stderr
    assert snapshot(folder / "l.db") == before


def test_a_refused_commit_leaves_no_document_of_the_round(folder: Path) -> None:
    commit_round()
    again = run("allocate", "r1.csv", "--round", "1", "--commit", "-o", "r1.json")
    assert again.exit_code == 1
    assert "already committed" in again.stderr
    assert not (folder / "r1.json").exists()
    assert sorted(p.name for p in folder.glob(".*")) == []


def test_a_damaged_ledger_is_named_and_left_as_it_is(folder: Path) -> None:
    commit_round()
    ledger = folder / "tilskudd.ledger.sqlite"
    data = ledger.read_bytes()
    ledger.write_bytes(data[:4096] + b"\xff" * (len(data) - 4096))  # header intact, pages not
    before = snapshot(ledger)
    for command in (
        ["status"],
        ["verify"],
        ["history", "A-1"],
        ["allocate", "r2.csv", "--round", "2", "--commit"],
    ):
        result = run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert f"the ledger {ledger} is damaged" in result.stderr, command
        assert "Restore it from a backup" in result.stderr
        assert "This is a bug" not in result.stderr
    assert snapshot(ledger) == before


def test_a_committed_round_run_again_is_the_round_as_committed(folder: Path) -> None:
    """Its documents and explanations must agree with the ledger, whatever came after."""

    def awards(path: Path) -> tuple[int, list[tuple[str, str, int]]]:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = [(a["id"], a["status"], a["amount"]) for a in data["applications"]]
        return data["budget"], rows

    assert run("allocate", "r1.csv", "--round", "1", "--commit", "-o", "c1.json").exit_code == 0
    commit_round("r2.csv", 2)
    again = run("allocate", "r1.csv", "--round", "1", "-o", "again.json")
    assert again.exit_code == 0, again.output
    assert awards(folder / "again.json") == awards(folder / "c1.json")
    assert "repeats it as committed and cannot be committed again" in again.stdout
    assert f"Round 1: budget NOK{NBSP}100,000, as committed" in again.stdout
    assert "add --commit" not in again.stdout
    explained = run("explain", "r1.csv", "A-1", "--round", "1", "--no-what-if")
    assert explained.exit_code == 0, explained.output
    assert f"It was funded with NOK{NBSP}60,000" in explained.stdout


def kr(amount: int) -> str:
    return f"{amount:,}".replace(",", NBSP) + f"{NBSP}kr"


@pytest.mark.parametrize(
    ("args", "difference"),
    [
        (
            ["r2.csv"],
            "r2.csv is not the file committed for the round ({folder}/r1.csv): its SHA-256 is ",
        ),
        (
            ["r1.csv", "--budget", "60000"],
            f"the budget is NOK{NBSP}60,000; the round was committed with NOK{NBSP}100,000",
        ),
        (
            ["r1.csv", "--max-award", "30000"],
            "the policy differs from the one round 1 was committed with in max_award",
        ),
        (
            ["r1.csv", "--register", "2024"],
            "A-1 and A-3 are decided otherwise than the ledger has them for round 1",
        ),
    ],
)
def test_a_committed_round_run_otherwise_is_refused_and_writes_nothing(
    folder: Path, args: list[str], difference: str
) -> None:
    """Another file, budget, policy or reading of a committed round would give documents and
    explanations that contradict the ledger while saying they repeat it."""
    commit_round()
    result = run("allocate", *args, "--round", "1", "-o", "round1.xlsx")
    assert result.exit_code == 1, result.output
    said = re.sub(r"\s*\n\s*", " ", result.stderr).strip()
    assert said.startswith(
        "error: a committed round is run as it was committed, so that its documents and "
        "explanations agree with the ledger; this run of round 1, committed "
    ), said
    assert difference.format(folder=folder) in said
    if args[0] == "r2.csv":  # another file: no option to leave out, the committed file to give
        assert said.endswith(
            "Give the file that was committed, as it was then (a copy with the same content "
            "will do; a file opened and saved again, in Excel for instance, is no longer the "
            "same), or allocate the file without --round to try something else. "
            "Nothing was written."
        ), said
        assert "Leave out what changes it" not in said
    else:
        assert said.endswith(
            "Leave out what changes it, or allocate the file without --round to try something "
            "else. Nothing was written."
        ), said
    assert not (folder / "round1.xlsx").exists()
    explained = run("explain", *args, "A-1", "--round", "1")
    assert explained.exit_code == 1
    assert difference.format(folder=folder) in re.sub(r"\s*\n\s*", " ", explained.stderr)


@pytest.mark.parametrize(
    ("key", "args", "difference"),
    [
        (
            "rerun_input",
            ["r2.csv"],
            "r2.csv er ikke filen som ble ført for runden ({folder}/r1.csv): SHA-256 for filen er ",
        ),
        (
            "rerun_budget",
            ["r1.csv", "--budget", "60000"],
            f"rammen er {kr(60_000)}; runden ble ført med {kr(100_000)}.",
        ),
        (
            "rerun_policy",
            ["r1.csv", "--max-award", "30000"],
            "tildelingsreglene er ulike dem runde 1 ble ført med, i max_award.",
        ),
        (
            "rerun_decisions",
            ["r1.csv", "--register", "2024"],
            "A-1 og A-3 får et annet vedtak enn det registeret har for runde 1 (lest med en annen "
            "--sheet, --columns eller --register?).",
        ),
    ],
)
def test_nb_a_committed_round_run_otherwise(
    folder: Path, key: str, args: list[str], difference: str
) -> None:
    """ "rerun_differs", with each difference in Norwegian."""
    commit_round()
    result = run("allocate", *args, "--round", "1", "--lang", "nb")
    assert result.exit_code == 1
    said = re.sub(r"\s*\n\s*", " ", result.stderr).strip()
    assert said.startswith(
        "feil: en ført runde kjøres slik den ble ført, så dokumentene og forklaringene "
        "stemmer med registeret; denne kjøringen av runde 1, ført "
    ), said
    assert f"(post 1 i registeret) gjør ikke det: {difference.format(folder=folder)}" in said
    if key == "rerun_input":
        assert said.endswith(
            "Bruk filen som ble ført, slik den var da (en kopi med det samme innholdet går også; "
            "en fil som er åpnet og lagret på nytt, for eksempel i Excel, er ikke lenger den "
            "samme), eller fordel filen uten --round for å prøve noe annet. Ingenting ble skrevet."
        ), said
    else:
        assert said.endswith(
            "Utelat det som endrer den, eller fordel filen uten --round for å prøve noe annet. "
            "Ingenting ble skrevet."
        ), said
    # The advice is the catalogue's, said whole, for another file and for the rest.
    advice = "rerun_advice_input" if key == "rerun_input" else "rerun_advice"
    assert said.endswith(get("nb")(f"ledger.error.{advice}") + " Ingenting ble skrevet."), said


def test_a_committed_workbook_saved_again_is_no_longer_the_round_s_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guide's advice to keep each round's file as committed: a workbook opened and saved
    again, no cell changed, is another file to the ledger (its SHA-256), so the round's list
    cannot be written from it, and verify cannot re-run the round; the committed copy can."""
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    (tmp_path / "tilskudd.toml").write_text(PROGRAMME, encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in [HEADER, *ROUND_1]:
        sheet.append([int(c) if c.isdigit() else c for c in line.split(";")])
    book.save(tmp_path / "r1.xlsx")
    shutil.copy(tmp_path / "r1.xlsx", tmp_path / "r1-arkiv.xlsx")
    monkeypatch.chdir(tmp_path)
    commit_round("r1.xlsx")
    again = openpyxl.load_workbook(tmp_path / "r1.xlsx")
    again.properties.lastModifiedBy = "Saksbehandler"  # as Excel records who saved it
    again.save(tmp_path / "r1.xlsx")  # the same cells, other bytes
    assert (tmp_path / "r1.xlsx").read_bytes() != (tmp_path / "r1-arkiv.xlsx").read_bytes()

    refused = run("allocate", "r1.xlsx", "--round", "1", "-o", "liste.html", "--lang", "nb")
    assert refused.exit_code == 1
    said = re.sub(r"\s*\n\s*", " ", refused.stderr)
    assert "r1.xlsx er ikke filen som ble ført for runden" in said
    assert "Bruk filen som ble ført, slik den var da" in said
    assert not (tmp_path / "liste.html").exists()
    verified = run("verify", "--lang", "nb")
    assert verified.exit_code == 1
    assert "ikke kjørt på nytt" in verified.stdout
    # The copy kept as committed still serves both.
    kept = run("verify", "--round", "1", "--input", "r1-arkiv.xlsx")
    assert kept.exit_code == 0, kept.output
    assert run("allocate", "r1-arkiv.xlsx", "--round", "1", "-o", "liste.html").exit_code == 0
    assert (tmp_path / "liste.html").is_file()


# --- the ledger's refusals in the command's language ----------------------------------------------


def test_nb_committing_the_same_round_twice(folder: Path) -> None:
    commit_round()
    same = run("allocate", "r1.csv", "--round", "1", "--commit", "--lang", "nb")
    assert same.exit_code == 1
    assert same.stderr.startswith(
        "feil: denne fordelingen er allerede ført i registeret: runde 1, ført "
    ), same.stderr
    assert "(post 1 i registeret), fra de samme inndataene (SHA-256 " in same.stderr
    again = run("allocate", "r2.csv", "--round", "1", "--commit", "--lang", "nb")
    assert again.exit_code == 1
    assert again.stderr.startswith("feil: runde 1 er allerede ført i registeret: runde 1, ført "), (
        again.stderr
    )
    assert f"(post 1 i registeret), {kr(100_000)} tildelt. En ført runde er endelig;" in (
        again.stderr
    )
    assert "already" not in again.stderr
    # The same in English without --lang (the programme's language is en).
    assert (
        "error: round 1 was already committed: round 1, committed "
        in run("allocate", "r2.csv", "--round", "1", "--commit").stderr
    )


def test_money_freed_names_the_reserve_list_that_may_be_funded_from_it(folder: Path) -> None:
    """A withdrawal said only that the money went back to the frame: the officer had to find
    the round's reserve list, kept for this (policy.reserve), in the round's documents. It is
    named after a withdrawal or a lowered award, in order, with the amend that funds one, and
    no longer names an application an amendment has funded."""
    toml = folder / "tilskudd.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "reserve = 1\n", encoding="utf-8")
    commit_round()  # A-1 and A-2 fill the 100 000; A-3 is the reserve
    withdrawn = run("withdraw", "A-2", "--reason", "Withdrew")
    assert withdrawn.exit_code == 0, withdrawn.output
    assert withdrawn.stdout.splitlines()[1:] == [
        f"Round 1's reserve list, in order: A-3 (NOK{NBSP}80,000). "
        "tilskudd amend ID --round 1 --amount N "
        '--reason "…" funds one of them from the money freed, held to round 1\'s policy.'
    ]
    funded = run("amend", "A-3", "--amount", "40 000", "--reason", "First on the reserve list")
    assert funded.exit_code == 0, funded.output
    assert len(funded.stdout.splitlines()) == 1  # raised: nothing freed
    lowered = run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced", "--lang", "nb")
    assert lowered.exit_code == 0, lowered.output
    assert len(lowered.stdout.splitlines()) == 1  # the reserve is funded: no list to name


def test_nb_money_freed_names_the_reserve_list(folder: Path) -> None:
    toml = folder / "tilskudd.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "reserve = 2\n", encoding="utf-8")
    (folder / "r1.csv").write_text(
        "\n".join([HEADER, *ROUND_1, "A-4;Oslo kommune;958935420;Kart;0301;30000;150000;2"]) + "\n",
        encoding="utf-8",
    )
    commit_round()
    lowered = run("amend", "A-1", "--amount", "50 000", "--reason", "Billigere", "--lang", "nb")
    assert lowered.exit_code == 0, lowered.output
    assert lowered.stdout.splitlines()[1:] == [
        f"Reservelisten for runde 1, i rekkefølge: A-3 ({kr(80_000)}) og A-4 ({kr(30_000)}). "
        "tilskudd amend ID --round 1 "
        '--amount N --reason "…" gir en av dem tilskudd av pengene som ble ledige, innenfor '
        "tildelingsreglene for runde 1."
    ]


def test_nb_over_the_frame_and_amend_over_the_frame(folder: Path) -> None:
    commit_round()
    big = "C-1;Bergen kommune;964338531;Stort;1201;120000;600000;5"
    (folder / "big.csv").write_text(f"{HEADER}\n{big}\n", encoding="utf-8")
    result = run(
        "allocate", "big.csv", "--round", "2", "--budget", "150000", "--commit", "--lang", "nb"
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"feil: rammen for runde 2, {kr(150_000)}, er mer enn det som er igjen av ordningens "
        "ramme på "
        f"{kr(200_000)} ({kr(100_000)}; {kr(100_000)} er vedtatt i tidligere runder, medregnet "
        "endringer). Fordel runden på nytt med en ramme på høyst det som er igjen: --budget "
        "100000, eller uten --budget, som gir runden det som er igjen. Ingenting ble "
        "registrert.\n"
    )
    # the frame cut to 150 000 after round 1: 50 000 remains
    programme = folder / "tilskudd.toml"
    programme.write_text(PROGRAMME.replace('"200 000"', '"150 000"'), encoding="utf-8")
    amended = run("amend", "A-3", "--amount", "80 000", "--reason", "x", "--lang", "nb")
    assert amended.exit_code == 1
    assert amended.stderr == (
        f"feil: å øke A-3 (runde 1) fra {kr(0)} til {kr(80_000)} krever {kr(80_000)}, men "
        f"bare {kr(50_000)} er igjen av rammen på {kr(150_000)}; ingenting ble registrert. "
        f"Skal søknaden få mer enn {kr(50_000)}, må et annet tilsagn først settes ned eller "
        "trekkes tilbake, så pengene går tilbake til rammen (tilskudd status viser hva som er "
        "igjen)\n"
    )
    # What to do next, not only what was refused: history shows what the round decided.
    assert run("withdraw", "A-3", "--reason", "x", "--lang", "nb").stderr == (
        f"feil: A-3 (runde 1) har ikke noe tilskudd å trekke tilbake ({kr(0)}); ingenting ble "
        "registrert. tilskudd history A-3 viser hva runden vedtok for søknaden\n"
    )
    # the programme's language (en here) comes before TILSKUDD_LANG
    os_lang = run_env({"TILSKUDD_LANG": "nb"}, "withdraw", "A-3", "--reason", "x")
    assert os_lang.stderr == (
        "error: A-3 (round 1) has no award to withdraw (NOK\xa00); nothing was recorded. "
        "tilskudd history A-3 shows what the round decided for it\n"
    )
    above = run("amend", "A-1", "--amount", "900 000", "--reason", "x", "--outside-policy")
    assert above.exit_code == 1
    assert above.stderr == (
        "error: NOK\xa0900,000 is more than A-1 (round 1) applied for (NOK\xa060,000); nothing "
        "was recorded. An award is never more than the amount applied for: give at most "
        "NOK\xa060,000\n"
    )


def test_commit_without_round_is_said_in_the_commands_language(folder: Path) -> None:
    # Said with the other problems of the options, once the programme is read: in the
    # command's language, the programme's (en here) before TILSKUDD_LANG, as every other
    # message of the run. Before, said alone before the programme was read, it was in nb.
    result = run_env({"TILSKUDD_LANG": "nb"}, "allocate", "r1.csv", "--budget", "1", "--commit")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --commit records a round of the programme: say which with --round N\n"
    )
    alone = run_env(
        {"TILSKUDD_LANG": "nb"}, "allocate", "r1.csv", "-b", "1", "--commit", "--lang", "nb"
    )
    assert alone.stderr == (
        "feil: --commit fører en av ordningens runder i registeret: oppgi hvilken med --round N\n"
    )


def run_env(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=env)


def test_nb_a_damaged_ledger_in_the_programmes_language(folder: Path) -> None:
    commit_round()
    programme = folder / "tilskudd.toml"
    programme.write_text(PROGRAMME.replace('lang = "en"', 'lang = "nb"'), encoding="utf-8")
    ledger = folder / "tilskudd.ledger.sqlite"
    data = ledger.read_bytes()
    ledger.write_bytes(data[:4096] + b"\xff" * (len(data) - 4096))
    for command in (
        ["status"],
        ["verify"],
        ["history", "A-1"],
        ["amend", "A-1", "--amount", "50000", "--reason", "x"],
        ["allocate", "r2.csv", "--round", "2", "--commit"],
    ):
        result = run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.startswith(f"feil: registeret {ledger} er skadet (SQLite: "), command
        assert "Gjenopprett det fra en sikkerhetskopi" in result.stderr
    # --lang en still says it in English
    english = run("status", "--lang", "en")
    assert english.stderr.startswith(f"error: the ledger {ledger} is damaged (SQLite: ")


def test_nb_verify_finds_a_changed_input_and_an_outside_edit(folder: Path) -> None:
    commit_round()
    (folder / "moved.csv").write_text(HEADER + "\n" + ROUND_1[0] + "\n", encoding="utf-8")
    changed = run("verify", "--round", "1", "--input", "moved.csv", "--lang", "nb")
    assert changed.exit_code == 1
    assert (
        "Runde 1: ikke kjørt på nytt: moved.csv er ikke filen som ble ført for runde 1: "
        "SHA-256 for filen er "
    ) in changed.stdout
    assert "is not the file" not in changed.stdout
    (folder / "r1.csv").rename(folder / "gone.csv")
    missing = run("verify", "--lang", "nb")
    assert (
        f"Runde 1: ikke kjørt på nytt: innfilen {folder / 'r1.csv'} finnes ikke; oppgi den "
        "med --round 1 --input FIL."
    ) in missing.stdout
    conn = sqlite3.connect(folder / "tilskudd.ledger.sqlite")
    conn.execute("DROP TRIGGER awards_no_update")
    conn.execute("UPDATE awards SET amount = 45000 WHERE application_id = 'A-2'")
    conn.commit()
    conn.close()
    broken = run("verify", "--lang", "nb")
    assert broken.exit_code == 1
    assert (
        "Hashkjeden er BRUTT ved post 3: tildelingen i post 3 er ulik det som ble registrert "
        f"(kolonnen amount er endret). Registeret {folder / 'tilskudd.ledger.sqlite'} er endret "
        "utenom tilskudd."
    ) in broken.stdout
    refused = run("amend", "A-1", "--amount", "50000", "--reason", "x", "--lang", "nb")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        f"feil: {folder / 'tilskudd.ledger.sqlite'} er endret utenom tilskudd ved post 3: "
        "tildelingen i post 3 er ulik det som ble registrert (kolonnen amount er endret). "
        "Ingenting ble registrert;"
    )


def test_nb_a_mistyped_amend_amount_in_the_programmes_language(folder: Path) -> None:
    """Read after the language is settled: --lang nb, or a Norwegian programme without it."""
    commit_round()
    said = "feil: --amount: «abc» er ikke et beløp; forventet hele kroner"
    result = run("amend", "A-1", "--amount", "abc", "--reason", "x", "--lang", "nb")
    assert result.exit_code == 2
    assert result.stderr.startswith(said), result.stderr
    toml = folder / "tilskudd.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('lang = "en"', 'lang = "nb"'))
    assert run("amend", "A-1", "--amount", "abc", "--reason", "x").stderr.startswith(said)


@pytest.mark.parametrize(
    ("args", "key", "message"),
    [
        (
            ["verify", "--input", "r1.csv"],
            "input_needs_round",
            "--input gjelder filen til én runde: oppgi hvilken runde med --round",
        ),
        (
            ["allocate", "r2.csv", "--round", "2", "--dry-run", "--commit"],
            "dry_run_commit",
            "--dry-run skriver ingenting, heller ikke i registeret; utelat --commit",
        ),
        (
            ["allocate", "r1.csv", "--budget", "100000", "--commit"],
            "commit_needs_round",
            "--commit fører en av ordningens runder i registeret: oppgi hvilken med --round N",
        ),
        (
            ["ledger", "export", "awards.txt"],
            "export_format",
            "kan ikke se formatet ut fra «awards.txt»; bruk et filnavn som slutter på .xlsx "
            "eller .csv",
        ),
    ],
)
def test_nb_usage_refusals(folder: Path, args: list[str], key: str, message: str) -> None:
    from tilskudd.i18n import get

    commit_round()
    result = run(*args, "--lang", "nb")
    assert result.exit_code == 2, result.output
    assert result.stderr == f"feil: {message}\n"
    assert get("nb")(f"ledger.error.{key}", round=2, name="awards.txt") == message
    english = run(*args)
    assert (
        english.stderr == f"error: {get('en')(f'ledger.error.{key}', round=2, name='awards.txt')}\n"
    )


def test_verify_of_a_round_not_committed_names_the_rounds_that_are(folder: Path) -> None:
    empty = run("verify", "--round", "2", "--lang", "nb")
    assert empty.exit_code == 0  # no ledger yet: nothing to verify, as verify says
    commit_round()
    result = run("verify", "--round", "2", "--lang", "nb")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "feil: runde 2 er ikke ført i registeret; den førte runden er runde 1, og tilskudd "
        "verify uten --round kontrollerer den\n"
    )
    from tilskudd.i18n import get

    nb = get("nb")
    key = "ledger.error.round_not_committed_but"
    assert result.stderr == f"feil: {nb(key, round=2, n=1, committed=['1'])}\n"
    # a ledger with no round at all (not made by tilskudd, which creates one with a round)
    assert nb("ledger.error.round_not_committed", round=2) == "runde 2 er ikke ført i registeret"
    commit_round("r2.csv", 2)
    english = run("verify", "--round", "3")
    assert english.stderr == (
        "error: round 3 has not been committed; the rounds committed are rounds 1 and 2, and "
        "tilskudd verify without --round verifies them all\n"
    )


def test_nb_ledger_for_without_a_programme_or_ledger() -> None:
    from tilskudd.cli.programme import ledger_for
    from tilskudd.errors import UsageError

    with pytest.raises(UsageError) as info:
        ledger_for(None, None)
    assert info.value.key == "ledger.error.no_ledger_option"
    assert info.value.text("nb") == (
        "oppgi registeret med --ledger STI, eller kjør kommandoen i en ordningsmappe"
    )
    assert str(info.value) == "give the ledger with --ledger PATH, or run inside a programme folder"


def test_the_programmes_funder_is_used_without_round(folder: Path) -> None:
    """--funder's default is the programme's, also for a run in its folder without --round."""
    text = PROGRAMME.replace('name = "Testordning"', 'name = "Testordning"\nfunder = "Difi"')
    (folder / "tilskudd.toml").write_text(text, encoding="utf-8")
    result = run("allocate", "r1.csv", "--budget", "100 000", "-o", "r1.json")
    assert result.exit_code == 0, result.output
    assert json.loads((folder / "r1.json").read_text(encoding="utf-8"))["funder"] == "Difi"
    result = run(
        "allocate", "r1.csv", "--budget", "100 000", "--format", "360giving", "-o", "g.csv"
    )
    assert result.exit_code == 0, result.output


def test_360giving_without_a_funder_says_where_one_is_given(tmp_path: Path) -> None:
    path = tmp_path / "r1.csv"
    path.write_text("\n".join([HEADER, *ROUND_1]) + "\n", encoding="utf-8")
    result = run(
        "allocate", str(path), "--budget", "100 000", "--register", "2009", "--format",
        "360giving", "-o", str(tmp_path / "g.csv"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        "error: 360Giving needs the funder's name (Funding Org:Name): give the round a funder "
        '(--funder, or funder = "..." in the [programme] table of tilskudd.toml)\n'
    )


def test_a_mistyped_amount_is_said_in_the_commands_language(
    folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """init's language is nb by default, and amend's the programme's: a mistyped amount too."""
    new = tmp_path_factory.mktemp("ny")
    result = run("init", str(new), "--frame", "-5", "--name", "Ny ordning")
    assert result.exit_code == 2
    assert result.stderr == "feil: --frame: «-5» er negativt; et beløp kan ikke være negativt\n"
    nb = PROGRAMME.replace('lang = "en"', 'lang = "nb"')
    (folder / "tilskudd.toml").write_text(nb, encoding="utf-8")
    result = run("amend", "A-3", "--amount", "3,300", "--reason", "Brev 12.10.")
    assert result.exit_code == 2
    assert result.stderr.startswith("feil: --amount: «3,300» er tvetydig")


def test_a_budget_over_what_remains_is_said_before_the_commit(folder: Path) -> None:
    """--budget overrides the round's budget; above what remains of the frame it is said at
    once, under the table, not first when --commit refuses the round."""
    result = run("allocate", "r1.csv", "--round", "1", "--budget", "300 000")
    assert result.exit_code == 0, result.output
    assert (
        f"Round 1: the budget given, NOK{NBSP}300,000, is more than remains of the frame of "
        f"NOK{NBSP}200,000 (NOK{NBSP}200,000); --commit would be refused. Give --budget "
        "200000 or less, or leave out --budget."
    ) in result.stdout
    within = run("allocate", "r1.csv", "--round", "1", "--budget", "150 000")
    assert within.exit_code == 0, within.output
    assert "more than remains" not in within.stdout


def test_amend_is_held_to_the_rounds_policy_in_both_languages(folder: Path) -> None:
    """Refused with exit code 1, naming the rule, the cap and the figures, then that nothing was
    recorded and how a board's decision beyond the policy is; nothing recorded."""
    policy = PROGRAMME.replace(
        'max_share_of_cost = "20 %"',
        'max_share_of_cost = "20 %"\nmax_award = "50 000"\nround_to = "1 000"',
    )
    (folder / "tilskudd.toml").write_text(policy, encoding="utf-8")
    commit_round()
    ledger = folder / "tilskudd.ledger.sqlite"
    before = snapshot(ledger)[0]
    raised = run("amend", "A-1", "--amount", "55 000", "--reason", "x")
    assert raised.exit_code == 1
    assert raised.stderr == (
        f"error: A-1 (round 1) cannot be raised to NOK{NBSP}55,000: round 1's policy gives at "
        f"most NOK{NBSP}50,000 to an application (max_award)\n"
        "  hint: Nothing was recorded. If the amount is decided beyond the policy (a board's "
        "decision), record it with --outside-policy and a reason that cites the decision.\n"
    )
    raised = run("amend", "A-1", "--amount", "55 000", "--reason", "x", "--lang", "nb")
    assert raised.exit_code == 1
    assert raised.stderr == (
        f"feil: A-1 (runde 1) kan ikke økes til {kr(55_000)}: tildelingsreglene for runde 1 gir "
        f"høyst {kr(50_000)} til én søknad (max_award)\n"
        "  tips: Ingenting ble registrert. Er beløpet vedtatt utover tildelingsreglene (et "
        "styrevedtak), før det med --outside-policy og en begrunnelse som viser til vedtaket.\n"
    )
    off_grid = run("amend", "A-1", "--amount", "45 500", "--reason", "x", "--lang", "nb")
    assert off_grid.exit_code == 1
    assert off_grid.stderr == (
        f"feil: {kr(45_500)} til A-1 (runde 1) er ikke et multiplum av {kr(1_000)}, som "
        "tildelingsreglene for runde 1 runder alle tilskudd til (round_to): gi et multiplum, for "
        f"eksempel {kr(45_000)}\n"
        "  tips: Ingenting ble registrert. Er beløpet vedtatt utover tildelingsreglene (et "
        "styrevedtak), før det med --outside-policy og en begrunnelse som viser til vedtaket.\n"
    )
    assert run("amend", "A-1", "--amount", "45 500", "--reason", "x").stderr.startswith(
        f"error: NOK{NBSP}45,500 for A-1 (round 1) is not a multiple of NOK{NBSP}1,000"
    )
    assert ledger.read_bytes() == before
    lowered = run("amend", "A-1", "--amount", "45 000", "--reason", "Cost reduced")
    assert lowered.exit_code == 0, lowered.output
    assert f"from NOK{NBSP}50,000 to NOK{NBSP}45,000" in lowered.stdout
    assert run("verify").exit_code == 0


def test_amend_outside_policy_names_the_share_of_cost_where_max_award_bound_below_it(
    folder: Path,
) -> None:
    """A-1 asked 80 000 of a 300 000 project: max_award (50 000) bound below the share of cost
    (20 %: 60 000), and a raise to 70 000 with --outside-policy was recorded as beyond
    max_award alone."""
    policy = PROGRAMME.replace(
        'max_share_of_cost = "20 %"',
        'max_share_of_cost = "20 %"\nmax_award = "50 000"\nround_to = "1 000"',
    )
    (folder / "tilskudd.toml").write_text(policy, encoding="utf-8")
    rows = [ROUND_1[0].replace(";60000;300000;", ";80000;300000;"), *ROUND_1[1:]]
    (folder / "r1.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    commit_round()
    ledger = folder / "tilskudd.ledger.sqlite"
    before = ledger.read_bytes()
    refused = run("amend", "A-1", "--amount", "70 000", "--reason", "Styrevedtak")
    assert refused.exit_code == 1
    assert refused.stderr.count("cannot be raised to") == 2, refused.stderr
    assert "gives at most NOK" in refused.stderr
    assert f"20% of NOK{NBSP}300,000 is NOK{NBSP}60,000 (max_share_of_cost)" in refused.stderr
    assert ledger.read_bytes() == before
    amended = run(
        "amend", "A-1", "--amount", "70 000", "--reason", "Styrevedtak", "--outside-policy",
    )  # fmt: skip
    assert amended.exit_code == 0, amended.output
    assert amended.stdout.splitlines()[-3:] == [
        "Recorded outside round 1's policy, beyond max_award and max_share_of_cost, with the "
        "reason given.",
        f"  max_award: NOK{NBSP}70,000 is NOK{NBSP}20,000 above the most an application gets "
        f"(NOK{NBSP}50,000)",
        f"  max_share_of_cost: NOK{NBSP}70,000 is NOK{NBSP}10,000 above 20% of the total cost of "
        f"NOK{NBSP}300,000 (NOK{NBSP}60,000)",
    ]
    data = json.loads(run("history", "A-1", "--format", "json").stdout)
    assert data[0]["amendments"][0]["outside_policy"] == ["max_award", "max_share_of_cost"]
    assert data[0]["figures"] == {"total_cost": 300_000, "score": "5"}
    assert run("verify").exit_code == 0


def test_amend_outside_policy_records_the_rules_and_history_shows_them(folder: Path) -> None:
    policy = PROGRAMME.replace(
        'max_share_of_cost = "20 %"',
        'max_share_of_cost = "20 %"\nmax_award = "50 000"\nround_to = "1 000"',
    )
    (folder / "tilskudd.toml").write_text(policy, encoding="utf-8")
    commit_round()
    amended = run(
        "amend", "A-1", "--amount", "55 000", "--reason", "Board decision 12.10.2009",
        "--outside-policy",
    )  # fmt: skip
    assert amended.exit_code == 0, amended.output
    assert amended.stdout.splitlines()[-2:] == [
        "Recorded outside round 1's policy, beyond max_award, with the reason given.",
        f"  max_award: NOK{NBSP}55,000 is NOK{NBSP}5,000 above the most an application gets "
        f"(NOK{NBSP}50,000)",
    ]
    history = run("history", "A-1", "--lang", "nb")
    assert history.exit_code == 0, history.output
    lines = history.stdout.splitlines()
    assert lines[-3].endswith(f": fra {kr(50_000)} til {kr(55_000)}. Board decision 12.10.2009")
    assert lines[-2] == "    utenfor rundens tildelingsregler: max_award"
    assert lines[-1] == (
        f"      max_award: {kr(55_000)} er {kr(5_000)} over det mest en søknad får ({kr(50_000)})"
    )
    data = json.loads(run("history", "A-1", "--format", "json").stdout)
    assert data[0]["amendments"][0]["outside_policy"] == ["max_award"]
    assert data[0]["amendments"][0]["outside_policy_figures"] == {"max_award": {"cap": 50_000}}
    assert data[0]["amendments"][0]["figures_worked_out"] is False
    assert run("verify").exit_code == 0
    output = folder / "ledger.xlsx"
    assert run("ledger", "export", str(output)).exit_code == 0
    sheet = openpyxl.load_workbook(output).worksheets[1]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Outside the round's policy")
    assert rows[1][column] == (
        f"max_award: NOK{NBSP}55,000 is NOK{NBSP}5,000 above the most an application gets "
        f"(NOK{NBSP}50,000)"
    )
    # In Norwegian, the line said after the amendment.
    lowered = run(
        "amend", "A-1", "--amount", "45 500", "--reason", "Styrevedtak", "--outside-policy",
        "--lang", "nb",
    )  # fmt: skip
    assert lowered.exit_code == 0, lowered.output
    assert lowered.stdout.splitlines()[-2:] == [
        "Registrert utenfor tildelingsreglene for runde 1, utover round_to, med begrunnelsen "
        "som ble gitt.",
        f"  round_to: {kr(45_500)} går ikke opp i {kr(1_000)}",
    ]


@pytest.mark.parametrize(
    ("lang", "sheet", "basis"),
    [("en", "Policies", "Policy"), ("nb", "Tildelingsregler", "Grunnlag")],
)
def test_ledger_export_lists_each_rounds_policy_as_the_award_workbook_does(
    folder: Path, lang: str, sheet: str, basis: str
) -> None:
    # An auditor reads the round's policy in the export. It was one cell of internal names
    # ("weight=none; objective=score; time_limit=60"); now each setting is a row with its value
    # and explanation, as the Grunnlag sheet of the round's award workbook lists them.
    (folder / "tilskudd.toml").write_text(
        PROGRAMME
        + 'tie_break = ["requested asc", "id asc"]\n'
        + '[[policy.quotas]]\nby = "county"\nvalue = "*"\nmax_share = "30 %"\n',
        encoding="utf-8",
    )
    commit_round()
    out = folder / "ledger.xlsx"
    assert run("ledger", "export", str(out), "--lang", lang).exit_code == 0
    book = openpyxl.load_workbook(out)
    listed = book[sheet]
    rows = list(listed.iter_rows(values_only=True))
    assert rows[0][0] == ("Round" if lang == "en" else "Runde")
    assert {row[0] for row in rows[1:]} == {1}
    settings = {row[1]: row[2:] for row in rows[1:]}
    assert next(iter(settings)) == "rule"
    assert settings["tie_break"][0] == "requested asc, id asc"
    assert settings["quotas"][0] == "county *: max_share 0.3"
    share = next(r for r in listed.iter_rows(min_row=2) if r[1].value == "max_share_of_cost")[2]
    assert (share.value, share.number_format) == (pytest.approx(0.2), "0%")
    for text in map(str, settings.values()):
        for python_repr in ("{", "'column'", "False"):
            assert python_repr not in text
    # The same rows, values and words as the award workbook's Grunnlag sheet.
    award = folder / "tildeling.xlsx"
    made = run("allocate", "r1.csv", "--round", "1", "-o", str(award), "--lang", lang)
    assert made.exit_code == 0, made.output
    grunnlag = {
        row[0]: row[1:3]
        for row in openpyxl.load_workbook(award)[basis].iter_rows(values_only=True)
        if row[0] in settings
    }
    assert grunnlag == settings
    # The Rounds sheet no longer holds the policy as one cell of internal names.
    rounds = [cell.value for cell in book.worksheets[2][1]]
    assert rounds[-4:] == (
        ["Rule", "tilskudd version", "Ledger entry", "Round decided"]
        if lang == "en"
        else ["Regel", "tilskudd-versjon", "Post i registeret", "Runden vedtatt"]
    )


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_ledger_export_heads_its_columns_as_the_award_workbook_does(
    folder: Path, lang: str
) -> None:
    # The accounts get both files: the same field has the same header in each
    # ("Søknadsnr." in the award workbook, not "Søknadsnr" in the ledger's).
    commit_round()
    assert run("ledger", "export", "ledger.xlsx", "--lang", lang).exit_code == 0
    again = run("allocate", "r1.csv", "--round", "1", "-o", f"a_{lang}.xlsx", "--lang", lang)
    assert again.exit_code == 0, again.output
    award = openpyxl.load_workbook(folder / f"a_{lang}.xlsx").worksheets[0]
    ledger = openpyxl.load_workbook(folder / "ledger.xlsx").worksheets[0]
    award_header = [c.value for c in award[1]]
    ledger_header = [c.value for c in ledger[1]]
    for position in (1, 2, 3, 4):  # id, org. no., applicant, project
        assert ledger_header[position] in award_header, ledger_header[position]


def test_the_readme_shows_a_refused_commit_as_the_programme_says_it(folder: Path) -> None:
    # The README showed "error: denne fordelingen ..." where a Norwegian run says "feil:".
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    shown = next(line.strip() for line in readme.splitlines() if "fordelingen er allerede" in line)
    commit_round()
    again = run("allocate", "r1.csv", "--round", "1", "--commit", "--lang", "nb")
    assert again.exit_code == 1
    said = again.stderr.strip()
    prefix = "feil: denne fordelingen er allerede ført i registeret: runde 1, ført "
    assert said.startswith(prefix), said
    assert shown.startswith(prefix), shown


def test_a_round_without_places_is_not_said_to_be_in_0_municipalities(folder: Path) -> None:
    # A sheet without a municipality column: "NOK 100,000 to 2 projects in 0 municipalities".
    rows = ["ID;Applicant;Requested;Score", "N-1;A;60000;5", "N-2;B;40000;4"]
    (folder / "noplaces.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    commit = run("allocate", "noplaces.csv", "--round", "1", "--commit")
    assert commit.exit_code == 0, commit.output
    said = " ".join(commit.stdout.split())
    assert "Committed round 1 to the ledger: NOK 100,000 to 2 projects (ledger entry" in said
    status = run("status").stdout.splitlines()
    assert status[1] == f"Round 1: NOK{NBSP}100,000 to 2 projects."
    nb = run("status", "--lang", "nb").stdout.splitlines()
    assert nb[1] == f"Runde 1: 100{NBSP}000{NBSP}kr til 2 prosjekter."


def test_a_committed_round_run_again_says_what_changed_since(folder: Path) -> None:
    """Difi 2009 after an amendment and a withdrawal: allocate --round 1 -o tildeling.html
    printed and published the awards as committed (19 981 000 kr) without a word that the
    ledger now holds 19 775 000 kr; an officer would publish amounts that no longer stand."""
    commit_round()
    unchanged = run("allocate", "r1.csv", "--round", "1")
    assert unchanged.exit_code == 0, unchanged.output
    assert "changed in the ledger" not in unchanged.stdout
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    assert run("withdraw", "A-2", "--reason", "Withdrew").exit_code == 0
    again = run("allocate", "r1.csv", "--round", "1")
    assert again.exit_code == 0, again.output
    assert (
        "Round 1 has been changed in the ledger since it was committed (1 amendment and 1 "
        f"withdrawal): NOK{NBSP}100,000 committed, NOK{NBSP}50,000 now."
    ) in again.stdout
    nb = run("allocate", "r1.csv", "--round", "1", "--lang", "nb")
    assert (
        "Runde 1 er endret i registeret siden den ble ført (1 endring og 1 tilbaketrekning): "
        f"100{NBSP}000{NBSP}kr vedtatt, 50{NBSP}000{NBSP}kr nå."
    ) in nb.stdout


def test_a_changed_round_run_again_says_what_remains_of_the_programmes_frame(
    folder: Path,
) -> None:
    """After an amendment the round's lines said what it had committed and awards now, and
    that the money freed went back to the programme's frame, but not what is left of that frame
    now, the figure the next change or round is funded from: an officer had to run status for
    it. Said under them, counting every round's awards as they stand (round 2's too)."""
    commit_round()
    commit_round("r2.csv", 2)
    unchanged = run("allocate", "r1.csv", "--round", "1")
    assert unchanged.exit_code == 0, unchanged.output
    assert "Remaining of the programme's frame" not in unchanged.stdout
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    assert run("withdraw", "A-2", "--reason", "Withdrew").exit_code == 0
    status = run("status").stdout
    assert f"Remaining of the frame: NOK{NBSP}100,000." in status
    again = run("allocate", "r1.csv", "--round", "1")
    assert again.exit_code == 0, again.output
    said = " ".join(again.stdout.replace(NBSP, " ").split())
    assert (
        "NOK 100,000 committed, NOK 50,000 now. The table above shows the awards as they stand "
        "now, each change in a note under it (--as-decided: as decided). Remaining of the "
        "programme's frame of NOK 200,000, with every round's awards as they stand now: "
        "NOK 100,000."
    ) in said
    nb = run("allocate", "r1.csv", "--round", "1", "--lang", "nb", "--as-decided")
    said = " ".join(nb.stdout.replace(NBSP, " ").split())
    assert (
        "Igjen av rammen for ordningen på 200 000 kr, med tildelingene i alle rundene slik de "
        "står nå: 100 000 kr."
    ) in said


def test_the_table_of_a_changed_round_shows_the_awards_as_they_stand(folder: Path) -> None:
    """allocate --round 1 after an amendment and a withdrawal printed the awards as committed
    (the withdrawn one at NOK 40,000, the total NOK 100,000) and a line pointing elsewhere:
    now the table has the amounts now, each changed one marked with its note, the notes under
    it and totals that add up; --as-decided keeps the decision, in plain text when piped."""
    assert run("allocate", "r1.csv", "--round", "1", "--commit").exit_code == 0
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    assert run("withdraw", "A-2", "--reason", "Kommunen trakk seg").exit_code == 0
    nb = run("allocate", "r1.csv", "--round", "1", "--lang", "nb")
    assert nb.exit_code == 0, nb.output
    assert "\x1b[" not in nb.stdout
    lines = [" ".join(line.replace(NBSP, " ").split()) for line in nb.stdout.splitlines()]
    row_1 = next(line for line in lines if line.startswith("1 A-1"))
    row_2 = next(line for line in lines if line.startswith("2 A-2"))
    assert "60 000 kr 50 000 kr endret (1)" in row_1
    assert "40 000 kr 0 kr trukket tilbake (2)" in row_2
    assert "Sum 180 000 kr 50 000 kr" in lines
    said = " ".join(lines)
    assert (
        "Ramme: 100 000 kr · Vedtatt: 100 000 kr · Ikke fordelt: 0 kr · Endret etter vedtaket: "
        "-50 000 kr · Tildelt nå: 50 000 kr"
    ) in said
    assert "Endringer etter vedtaket 1. Moss kommune – Felles saksbehandling (A-1): Etter" in said
    assert "2. Oslo kommune – Digital post (A-2): Etter vedtaket ble tilskuddet på 40 000" in said
    assert "Tabellen over viser tildelingene slik de står nå, hver endring i en merknad" in said

    en = run("allocate", "r1.csv", "--round", "1", "--as-decided")
    assert en.exit_code == 0, en.output
    lines = [" ".join(line.replace(NBSP, " ").split()) for line in en.stdout.splitlines()]
    row_2 = next(line for line in lines if line.startswith("2 A-2"))
    assert "NOK 40,000 NOK 40,000 funded (2)" in row_2
    assert "Total NOK 180,000 NOK 100,000" in lines
    said = " ".join(lines)
    assert "This list shows the awards as decided." in said
    assert "The table above shows the awards as decided, each change since in a note" in said


def test_withdraw_says_a_quota_minimum_is_no_longer_met_and_amend_refuses_a_maximum(
    folder: Path,
) -> None:
    policy = PROGRAMME + '\n[[policy.quotas]]\nby = "county"\nvalue = "01"\nmin_amount = "50 000"\n'
    policy += '\n[[policy.quotas]]\nby = "county"\nvalue = "12"\nmax_amount = "30 000"\n'
    (folder / "tilskudd.toml").write_text(policy, encoding="utf-8")
    commit_round()
    refused = run("amend", "A-3", "--amount", "40 000", "--reason", "money freed")
    assert refused.exit_code == 1
    assert "county 12 (Hordaland) would have NOK" in refused.stderr
    assert "(quotas, max_amount)" in refused.stderr
    withdrawn = run("withdraw", "A-1", "--reason", "Kommunen trakk seg", "--lang", "nb")
    assert withdrawn.exit_code == 0, withdrawn.output
    assert withdrawn.stdout.splitlines()[-1] == (
        f"advarsel: Minstekravet for fylke 01 (Østfold) i runde 1 er ikke lenger oppfylt: "
        f"{kr(0)} er tildelt der nå, og tildelingsreglene krever minst {kr(50_000)} (quotas, "
        "min_amount). Endringen er ført; pengene som ble frigjort, kan gå til en annen søknad "
        "der (tilskudd amend)."
    )
    data = json.loads(run("history", "A-1", "--format", "json").stdout)
    assert "warnings" not in data[0]["amendments"][0]
    # The round run again said what changed since its commit, not that a minimum is now unmet,
    # which status says: both say it now.
    unmet = (
        f"  Quota minimum not met now for county 01 (Østfold): NOK{NBSP}0 is awarded there, "
        f"and round 1's policy asks for at least NOK{NBSP}50,000 (quotas, min_amount)."
    )
    assert unmet in run("status").stdout.splitlines()
    again = run("allocate", "r1.csv", "--round", "1", "-o", "again.xlsx")
    assert again.exit_code == 0, again.output
    said = again.stdout.splitlines()
    changed = next(i for i, line in enumerate(said) if line.startswith("Round 1 has been changed"))
    assert said[changed + 1] == unmet
    nb = run("allocate", "r1.csv", "--round", "1", "--lang", "nb").stdout.splitlines()
    assert (
        f"  Minstekravet for fylke 01 (Østfold) er ikke oppfylt nå: {kr(0)} er tildelt der, og "
        f"tildelingsreglene for runde 1 krever minst {kr(50_000)} (quotas, min_amount)."
    ) in nb


def test_amend_and_status_in_a_frame_cut_below_what_is_committed_say_nothing_remains(
    folder: Path,
) -> None:
    """They said 'Remaining of the frame: NOK -10,000'."""
    commit_round()
    cut = PROGRAMME.replace('frame = "200 000"', 'frame = "80 000"').replace(
        'budget = "100 000"\n', ""
    )
    (folder / "tilskudd.toml").write_text(cut, encoding="utf-8")
    amended = run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced")
    assert amended.exit_code == 0, amended.output
    assert amended.stdout.splitlines()[-1] == (
        f"Amended A-1 (round 1): from NOK{NBSP}60,000 to NOK{NBSP}50,000. Remaining of the frame: "
        f"NOK{NBSP}0."
    )
    status = run("status")
    assert status.exit_code == 0, status.output
    assert (
        f"Remaining of the frame: nothing; NOK{NBSP}10,000 more is committed than the frame of "
        f"NOK{NBSP}80,000" in status.stdout
    )
    assert json.loads(run("status", "--format", "json").stdout)["remaining"] == -10_000


def test_history_of_an_id_typed_with_spaces_and_in_another_case(folder: Path) -> None:
    commit_round()
    found = run("history", " a-1 ")
    assert found.exit_code == 0, found.output
    assert found.stdout.splitlines()[0] == (
        f"Recorded for a-1: 1 application, NOK{NBSP}60,000 awarded now."
    )
    assert found.stdout.splitlines()[1].startswith("Round 1 · A-1 · Moss kommune")
    none = run("history", " Z-9 ")
    assert none.exit_code == 0, none.output
    assert none.stdout.splitlines()[0].startswith("Nothing recorded for Z-9. ")
    # An officer who types the applicant's name is told what history looks up instead.
    named = run("history", "Moss kommune", "--lang", "nb")
    assert named.exit_code == 0, named.output
    assert " ".join(named.stdout.split()) == (
        "Ingenting er registrert for Moss kommune. tilskudd history finner en søknad på "
        "søknadsnummeret og en søker på organisasjonsnummeret (en uten, på identifikatoren i et "
        "annet register, som GB-CHC-1234567), ikke på navnet."
    )


def test_allocate_of_a_round_committed_with_a_policy_this_tilskudd_cannot_read(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Running a committed round again read its recorded policy with today's Policy, and a
    setting of another tilskudd version in it ended in a pydantic traceback."""
    from tilskudd.models import Policy

    described = Policy.describe
    monkeypatch.setattr(Policy, "describe", lambda self: {**described(self), "later": 1})
    commit_round()
    monkeypatch.setattr(Policy, "describe", described)
    again = run("allocate", "r1.csv", "--round", "1")
    assert again.exit_code == 1
    assert again.exception is None or isinstance(again.exception, SystemExit)
    assert "round 1 was committed by tilskudd" in again.stderr
    assert "with a policy this tilskudd cannot read (later)" in again.stderr


def test_the_rules_an_amendment_went_beyond_are_said_in_norwegian(folder: Path) -> None:
    """They were shown as recorded, "quotas (county 12: max_amount)", in bokmål sentences."""
    policy = PROGRAMME + '\n[[policy.quotas]]\nby = "county"\nvalue = "12"\nmax_amount = "30 000"\n'
    (folder / "tilskudd.toml").write_text(policy, encoding="utf-8")
    commit_round()
    amended = run(
        "amend", "A-3", "--amount", "40 000", "--reason", "Styrevedtak", "--outside-policy",
        "--lang", "nb",
    )  # fmt: skip
    assert amended.exit_code == 0, amended.output
    figures = (
        f"quotas (fylke 12: max_amount): gruppen har {kr(40_000)} med de andre tilskuddene der "
        f"på {kr(0)}, {kr(10_000)} over det mest den får ({kr(30_000)})"
    )
    assert amended.stdout.splitlines()[-2:] == [
        "Registrert utenfor tildelingsreglene for runde 1, utover quotas (fylke 12: max_amount), "
        "med begrunnelsen som ble gitt.",
        f"  {figures}",
    ]
    history = run("history", "A-3", "--lang", "nb").stdout.splitlines()
    assert history[-2:] == [
        "    utenfor rundens tildelingsregler: quotas (fylke 12: max_amount)",
        f"      {figures}",
    ]
    assert run("history", "A-3").stdout.splitlines()[-2] == (
        "    outside the round's policy: quotas (county 12: max_amount)"
    )
    explained = run("explain", "r1.csv", "A-3", "--round", "1", "--lang", "nb")
    assert explained.exit_code == 0, explained.output
    said = " ".join(explained.stdout.split())
    assert "tildelingsregler (quotas (fylke 12: max_amount))." in said
    # With what the quota held it to, and by how much it goes beyond it.
    held = "Det tildelingsreglene ville ha holdt den til: "
    assert f"{held}{figures}.".replace(NBSP, " ") in said
    # What is recorded (and hashed) is as it was.
    data = json.loads(run("history", "A-3", "--format", "json").stdout)
    assert data[0]["amendments"][0]["outside_policy"] == ["quotas (county 12: max_amount)"]


@pytest.mark.parametrize("share", ['"100 %"', "100"])
def test_a_round_committed_at_a_hundred_percent_of_cost_is_re_run(folder: Path, share: str) -> None:
    """The ledger records max_share_of_cost as a fraction, so 100 % as "1", which the policy
    refuses from a person (1 % or 100 %?): verify said the round's policy could not be read,
    and allocate --round 1 of the committed round refused to run."""
    text = PROGRAMME.replace('max_share_of_cost = "20 %"', f"max_share_of_cost = {share}")
    text += '\n[[policy.quotas]]\nby = "county"\nvalue = "01"\nmax_share = "100 %"\n'
    (folder / "tilskudd.toml").write_text(text, encoding="utf-8")
    committed = run("allocate", "r1.csv", "--round", "1", "--commit")
    assert committed.exit_code == 0, committed.output
    verify = run("verify")
    assert verify.exit_code == 0, verify.output
    assert "could not be re-run" not in verify.stdout
    assert "gives the same 3 decisions" in verify.stdout
    again = run("allocate", "r1.csv", "--round", "1")
    assert again.exit_code == 0, again.output


def test_a_library_caller_gets_a_committed_rounds_changes_from_the_ledger(folder: Path) -> None:
    """What allocate --round N does, through the library: tilskudd.ledger.with_changes."""
    from tilskudd import ledger, read_applications
    from tilskudd.programme import load_programme
    from tilskudd.rounds import run_programme_round

    commit_round()
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    assert run("withdraw", "A-2", "--reason", "The municipality withdrew").exit_code == 0
    programme = load_programme(folder / "tilskudd.toml")
    path = folder / "tilskudd.ledger.sqlite"
    checked = read_applications(folder / "r1.csv", register=programme.register_year)
    context = ledger.round_context(path, programme, 1)
    result = run_programme_round(checked, context, programme.round_policy(1), programme)
    changed = ledger.with_changes(path, result, context)
    assert [
        (c.application_id, c.kind, c.amount_before, c.amount_after) for c in changed.changes
    ] == [
        ("A-1", "amend", 60_000, 50_000),
        ("A-2", "withdraw", 40_000, 0),
    ]
    assert changed.allocation == result.allocation  # the decision itself stays as decided
    # A round not committed yet has nothing recorded since.
    context_2 = ledger.round_context(path, programme, 2)
    assert ledger.with_changes(path, result, context_2) is result


def test_the_documents_of_a_changed_round_show_the_awards_as_they_stand(folder: Path) -> None:
    """allocate --round 1 -o after an amendment and a withdrawal wrote the awards as committed
    (NOK 100,000, the withdrawn one at NOK 40,000) without a word: a funder publishing the list
    published figures that no longer held. Now the documents show them as they stand, each
    change with its date and reason; --as-decided keeps the decision and says what changed."""
    commit_round()
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    assert run("withdraw", "A-2", "--reason", "The municipality withdrew").exit_code == 0
    today = run("history", "A-2", "--format", "json")
    created = json.loads(today.stdout)[0]["amendments"][0]["created"]
    # 30 November 2026: the day in Norway of the record's UTC time, in words.
    day = format_date(clock.record_day(created), "en")

    md = run("allocate", "r1.csv", "--round", "1", "-o", "awards.md", "--lang", "en")
    assert md.exit_code == 0, md.output
    said = " ".join(md.stdout.split())
    assert "The table above shows the awards as they stand now, each change in a note" in said
    assert "awards.md shows the awards as they stand now, each change with its date" in said
    text = (folder / "awards.md").read_text(encoding="utf-8").replace(NBSP, " ")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[2].endswith("| NOK 60,000 | NOK 50,000 (1) | amended |"), rows[2]
    assert rows[3].endswith("| NOK 40,000 | NOK 0 (2) | withdrawn |"), rows[3]
    assert rows[-1] == "| **Total** |  |  |  |  | **NOK 50,000** |  |"
    assert (
        "Since the decision the ledger records 1 amendment and 1 withdrawal: NOK 100,000 was "
        "decided, NOK 50,000 is awarded now, and NOK 50,000 has gone back to the programme's "
        "frame."
    ) in text
    assert (
        f"2. Oslo kommune – Digital post (A-2): After the decision the grant of NOK 40,000 was "
        f"withdrawn on {day}. The municipality withdrew. The grant is now NOK 0."
    ) in text

    html = run("allocate", "r1.csv", "--round", "1", "-o", "tildeling.html", "--lang", "nb")
    assert html.exit_code == 0, html.output
    page = (folder / "tildeling.html").read_text(encoding="utf-8").replace(NBSP, " ")
    assert "Endringer etter vedtaket" in page
    dag = format_date(clock.record_day(created), "nb")  # 30. november 2026
    assert f"Etter vedtaket ble tilskuddet endret {dag}, fra 60 000 kr til 50 000 kr." in page
    assert "Tildelt nå: 50 000 kr" in page
    assert "tildeling.html viser tildelingene slik de står nå" in " ".join(html.stdout.split())

    csv_run = run("allocate", "r1.csv", "--round", "1", "-o", "awards.csv", "--lang", "en")
    assert csv_run.exit_code == 0, csv_run.output
    with open(folder / "awards.csv", encoding="utf-8-sig", newline="") as handle:
        oslo = next(r for r in csv.DictReader(handle, delimiter=";") if r["ID"] == "A-2")
    assert (oslo["Awarded"], oslo["Status"], oslo["Committed"], oslo["Current amount"]) == (
        "0",
        "withdrawn",
        "40000",
        "0",
    )

    decided = run(
        "allocate", "r1.csv", "--round", "1", "-o", "vedtatt.md", "--as-decided", "--lang", "nb"
    )
    assert decided.exit_code == 0, decided.output
    kept = (folder / "vedtatt.md").read_text(encoding="utf-8").replace(NBSP, " ")
    assert "| **Sum** |  |  |  |  | **100 000 kr** |  |" in kept
    assert "Listen viser tildelingene slik de ble vedtatt." in kept
    assert "50 000 kr er tildelt nå" in kept
    assert "vedtatt.md viser tildelingene slik de ble vedtatt" in " ".join(decided.stdout.split())

    giving = run(
        "allocate",
        "r1.csv",
        "--round",
        "1",
        "--format",
        "360giving",
        "-o",
        "grants.csv",
        "--funder",
        "Testfunder",
    )
    assert giving.exit_code == 0, giving.output
    grants = (folder / "grants.csv").read_text(encoding="utf-8").splitlines()
    assert len(grants) == 2  # the header and A-1; A-2 withdrawn is left out
    assert grants[1].startswith("360G-tilskudd-A-1,")
    assert ",60000,50000,2009-" not in grants[1]  # no decision date in this programme
    assert ",60000,50000," in grants[1]


def test_the_workbook_of_a_changed_round_shows_the_awards_as_they_stand(folder: Path) -> None:
    """allocate --round 1 -o awards.xlsx after an amendment and a withdrawal wrote the awards
    as committed (the withdrawn one at NOK 40,000), and only the line under it said so: a
    workbook forwarded after a withdrawal carried a figure that no longer held. Now it shows
    the awards as they stand beside the amounts decided, the changes in a sheet of their own,
    and its summary adds up both ways; --as-decided keeps the decision."""
    assert run("allocate", "r1.csv", "--round", "1", "--commit").exit_code == 0
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    assert run("withdraw", "A-2", "--reason", "Kommunen trakk seg").exit_code == 0
    book = run("allocate", "r1.csv", "--round", "1", "-o", "tildeling.xlsx", "--lang", "nb")
    assert book.exit_code == 0, book.output
    said = " ".join(book.stdout.split())
    assert "tildeling.xlsx viser tildelingene slik de står nå, hver endring med dato" in said
    workbook = openpyxl.load_workbook(folder / "tildeling.xlsx")
    rows = list(workbook["Tildelinger"].iter_rows(values_only=True))
    header = rows[0]
    awards = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    picked = ("Tildelt", "Vedtatt", "Beløp nå", "Endring nr.", "Status")
    assert {key: tuple(row[k] for k in picked) for key, row in awards.items()} == {
        "A-1": (50_000, 60_000, 50_000, 1, "endret"),
        "A-2": (0, 40_000, 0, 2, "trukket tilbake"),
    }
    changes = list(workbook["Endringer"].iter_rows(values_only=True))
    assert [(r[0], r[1], r[4], r[7], r[8], r[10]) for r in changes[1:3]] == [
        (1, "A-1", "endret", 60_000, 50_000, "Cost reduced"),
        (2, "A-2", "trukket tilbake", 40_000, 0, "Kommunen trakk seg"),
    ]
    summary = {r[0]: r[1] for r in workbook["Sammendrag"].iter_rows(values_only=True) if r[0]}
    assert (summary["Ramme"], summary["Vedtatt"], summary["Ikke fordelt"]) == (100_000, 100_000, 0)
    assert (summary["Endret etter vedtaket"], summary["Tildelt nå"]) == (-50_000, 50_000)
    basis = {r[0]: r[1] for r in workbook["Grunnlag"].iter_rows(values_only=True)}
    assert basis["Beløpene viser"] == "tildelingene slik de står nå"
    assert str(basis["Endringer etter vedtaket"]).startswith("1 endring og 1 tilbaketrekning")

    decided = run("allocate", "r1.csv", "--round", "1", "-o", "awards.xlsx", "--as-decided")
    assert decided.exit_code == 0, decided.output
    assert "awards.xlsx shows the awards as decided" in " ".join(decided.stdout.split())
    rows = list(
        openpyxl.load_workbook(folder / "awards.xlsx")["Awards"].iter_rows(values_only=True)
    )
    kept = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert (kept["A-2"]["Awarded"], kept["A-2"]["Current amount"]) == (40_000, 0)
    assert kept["A-2"]["Status"] == "funded"


def test_the_pdf_and_json_of_a_changed_round_read_back_as_it_stands(folder: Path) -> None:
    """The PDF (nb) and the JSON (en) of round 1 after a withdrawal: the PDF lists the awards
    as they stand with the note, the JSON keeps the decision and says what stands now."""
    commit_round()
    assert run("withdraw", "A-2", "--reason", "Kommunen trakk seg").exit_code == 0
    pdf = run("allocate", "r1.csv", "--round", "1", "-o", "liste.pdf", "--lang", "nb")
    assert pdf.exit_code == 0, pdf.output
    pages = pypdf.PdfReader(folder / "liste.pdf").pages
    text = re.sub(r"[\s\u00a0]+", " ", " ".join(page.extract_text() for page in pages))
    assert "Sum (1 prosjekt, hvert talt bare én gang) 60 000 kr" in text
    assert "Oslo kommune Digital post Oslo 0 kr (1)" in text
    note = "1. Oslo kommune – Digital post (A-2): Etter vedtaket ble tilskuddet på 40 000 kr"
    assert note in text
    assert "Tildelt nå: 60 000 kr" in text
    data = run("allocate", "r1.csv", "--round", "1", "-o", "awards.json", "--lang", "en")
    assert data.exit_code == 0, data.output
    assert "awards.json has both the decision and the awards as they stand now" in data.stdout
    written = json.loads((folder / "awards.json").read_text(encoding="utf-8"))
    assert written["awarded"] == 100_000
    assert written["changes_since"]["current"] == 60_000
    oslo = next(a for a in written["applications"] if a["id"] == "A-2")
    assert (oslo["amount"], oslo["amount_now"], oslo["status_now"]) == (40_000, 0, "withdrawn")
    assert oslo["changes"][0]["reason"] == "Kommunen trakk seg"


def test_history_on_a_narrow_terminal_is_wrapped_between_amounts(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lines were printed whole and the terminal cut them at its edge, inside an amount
    (NOK 5 / 0,000); they are wrapped at ordinary spaces, a detail line's rest indented."""
    assert run("allocate", "r1.csv", "--round", "1", "--commit").exit_code == 0
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    code, out, _ = run_main(monkeypatch, "utf-8", "history", "A-1", columns=40, terminal=True)
    assert code == 0
    lines = re.sub(r"\x1b\[[0-9;]*m", "", out.decode("utf-8")).splitlines()
    assert len(lines) > 4
    for line in lines:
        assert len(line) <= 40, line
        assert not line.rstrip().endswith("NOK"), line
        assert not re.match(r"\s*[\d,]+(?=\s|$)", line), line  # the end of an amount
    assert f"  requested NOK{NBSP}60,000 · committed" in lines


def test_a_dry_run_of_a_changed_round_checks_the_budget_on_the_table_it_prints(
    folder: Path,
) -> None:
    """--dry-run of a committed round amended and withdrawn from since printed the table of the
    awards as they stand (NOK 50,000 to 1 project) and under it "This allocation: NOK 100,000
    to 2 projects", the figures as decided. Now the budget check gives the table's figures and
    says which they are, with the others beside; --as-decided both as decided."""
    commit_round()
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    assert run("withdraw", "A-2", "--reason", "Kommunen trakk seg").exit_code == 0

    def said(*args: str) -> str:
        result = run("allocate", "r1.csv", "--round", "1", "--dry-run", *args)
        assert result.exit_code == 0, result.output
        return " ".join(result.stdout.replace(NBSP, " ").split())

    en = said()
    assert "Total NOK 180,000 NOK 50,000" in en
    assert (
        "This allocation NOK 50,000 to 1 project as the awards stand now (decided: NOK 100,000 "
        "to 2 projects); NOK 0 left of the round"
    ) in en
    nb = said("--lang", "nb")
    assert "Sum 180 000 kr 50 000 kr" in nb
    assert (
        "Denne fordelingen 50 000 kr til 1 prosjekt slik tildelingene står nå (vedtatt: "
        "100 000 kr til 2 prosjekter); 0 kr igjen av runden"
    ) in nb
    decided = said("--as-decided", "--lang", "nb")
    assert "Sum 180 000 kr 100 000 kr" in decided
    assert (
        "Denne fordelingen 100 000 kr til 2 prosjekter slik de ble vedtatt (nå: 50 000 kr til "
        "1 prosjekt); 0 kr igjen av runden"
    ) in decided
    en_decided = said("--as-decided")
    assert (
        "This allocation NOK 100,000 to 2 projects as decided (now: NOK 50,000 to 1 project); "
        "NOK 0 left of the round"
    ) in en_decided


def test_a_changed_round_run_again_reads_only_what_it_shows(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """allocate --round N of a committed round made a record of every award of the round twice
    (to compare the decisions, and to find the changes since) and checked the whole hash chain
    (for the line saying what changed since, which says nothing of the chain): 1.5, 1.8 and
    2.3 s of CPU at 100 000 awards. It reads the decisions and the round's changes alone now,
    and says the same."""
    from tilskudd.ledger import Ledger

    commit_round()
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    assert run("withdraw", "A-2", "--reason", "Kommunen trakk seg").exit_code == 0
    before = run("allocate", "r1.csv", "--round", "1", "--lang", "nb")
    assert before.exit_code == 0, before.output

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("read more of the ledger than the run shows")

    monkeypatch.setattr(Ledger, "verify_chain", refused)
    monkeypatch.setattr(Ledger, "_award_records", refused)
    again = run("allocate", "r1.csv", "--round", "1", "--lang", "nb")
    assert again.exit_code == 0, again.output
    assert again.stdout == before.stdout
    assert "1 endring og 1 tilbaketrekning" in again.stdout
    assert "trukket tilbake (2)" in again.stdout


def test_a_comparison_of_a_changed_round_says_it_shows_the_decisions(folder: Path) -> None:
    """allocate --round 1 --compare of a round amended and withdrawn from since showed the
    round's own rule funding A-1 with NOK 60,000 and A-2 with NOK 40,000, awards that stand at
    NOK 50,000 and 0 now, without a word: the table of the same round says the awards as they
    stand. It says now that the comparison is of the decisions, without the changes since."""
    commit_round()
    compared = ("allocate", "r1.csv", "--round", "1", "--compare", "ranked,proportional")
    unchanged = run(*compared)
    assert unchanged.exit_code == 0, unchanged.output
    assert "has been changed" not in unchanged.stdout
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    assert run("withdraw", "A-2", "--reason", "Kommunen trakk seg").exit_code == 0
    en = run(*compared)
    assert en.exit_code == 0, en.output
    said = " ".join(en.stdout.replace(NBSP, " ").split())
    assert (
        "Round 1 has been changed in the ledger since it was committed (1 amendment and 1 "
        "withdrawal): NOK 100,000 committed, NOK 50,000 now. The comparison above shows what "
        "each rule decides on the round's applications, budget and policy, as decided; the "
        "changes since are not in it (tilskudd allocate --round 1 shows them)."
    ) in said
    nb = run(*compared, "--lang", "nb")
    assert nb.exit_code == 0, nb.output
    said = " ".join(nb.stdout.replace(NBSP, " ").split())
    assert (
        "Runde 1 er endret i registeret siden den ble ført (1 endring og 1 tilbaketrekning): "
        "100 000 kr vedtatt, 50 000 kr nå. Sammenligningen over viser hva hver regel avgjør "
        "med rundens søknader, ramme og tildelingsregler, slik det ble vedtatt; endringene "
        "siden er ikke med (tilskudd allocate --round 1 viser dem)."
    ) in said


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Funded in an earlier round, not funded again: {ids} and 3 more."),
        ("nb", "Fikk tilskudd i en tidligere runde og får ikke igjen: {ids} og 3 til."),
    ],
)
def test_funded_before_names_at_most_ten_and_how_many_more(
    folder: Path, lang: str, expected: str
) -> None:
    # Every id was named, 53 in one line for a round of re-applications; the round's other
    # notes name ten and say how many more.
    rows = [f"C-{n:02};Moss kommune;974760673;Prosjekt {n};0104;1000;100000;{n}" for n in range(13)]
    (folder / "r1.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    commit_round()
    second = run("allocate", "r1.csv", "--round", "2", "--lang", lang)
    assert second.exit_code == 0, second.output
    ids = ", ".join(f"C-{n:02}" for n in range(10))
    assert expected.format(ids=ids) in second.stdout
    assert "C-12" not in second.stdout.split(ids)[1].splitlines()[0]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "error: {path}, line 3: programme.frame: 'abc' is not an amount; expected whole"
                " kroner, such as 3 300 000, kr 3.300.000,- or 3,3 mill.",
                "{path}, line 6: programme.register: register must be 2009, 2020 or 2024"
                " (got '1999')",
                "{path}, line 10: round[1].budget: 'xyz' is not an amount; expected whole kroner,"
                " such as 3 300 000, kr 3.300.000,- or 3,3 mill.",
                "{path}, line 11: round[1].closes: expected a date such as 2026-03-01 (got 'soon')",
                "{path}, line 14: [policy]: rule: expected ranked, proportional, optimal or"
                " lottery (got 'best')",
            ],
        ),
        (
            "nb",
            [
                "feil: {path}, linje 3: programme.frame: «abc» er ikke et beløp; forventet hele"
                " kroner, for eksempel 3 300 000, kr 3.300.000,- eller 3,3 mill.",
                "{path}, linje 6: programme.register: register må være 2009, 2020 eller 2024"
                " (oppgitt: «1999»)",
                "{path}, linje 10: round[1].budget: «xyz» er ikke et beløp; forventet hele"
                " kroner, for eksempel 3 300 000, kr 3.300.000,- eller 3,3 mill.",
                "{path}, linje 11: round[1].closes: forventet en dato som 2026-03-01"
                " (oppgitt: «soon»)",
                "{path}, linje 14: [policy]: rule: forventet ranked, proportional, optimal"
                " eller lottery (oppgitt: «best»)",
            ],
        ),
    ],
)
def test_every_problem_of_the_programme_file_is_said_in_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, expected: list[str]
) -> None:
    """A bad frame and a bad round budget said only the budget, and a bad [policy] hid both:
    `tilskudd status` says each, with its line, in the file's language, and exits 1."""
    path = tmp_path / "tilskudd.toml"
    path.write_text(
        f'[programme]\nname = "X"\nframe = "abc"\nlang = "{lang}"\n\nregister = "1999"\n\n'
        '[[round]]\nnumber = 1\nbudget = "xyz"\ncloses = "soon"\n\n[policy]\nrule = "best"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    code, out, err = run_main(monkeypatch, "utf-8", "status")
    assert code == 1
    assert out == b""
    said = err.decode("utf-8")
    assert "Traceback" not in said
    assert said.splitlines() == [line.format(path=path) for line in expected], said


@pytest.mark.parametrize(
    ("lang", "sheet", "committed", "now", "unallocated", "name"),
    [
        ("en", "Rounds", "Awarded when committed", "Awarded now", "Unallocated", "Round name"),
        ("nb", "Runder", "Tildelt ved vedtaket", "Tildelt nå", "Ikke fordelt", "Rundenavn"),
    ],
)
def test_ledger_export_rounds_say_what_was_committed_and_what_stands_now(
    folder: Path, lang: str, sheet: str, committed: str, now: str, unallocated: str, name: str
) -> None:
    """The rounds sheet gave one "Awarded" per round, the amount committed, after an amendment
    and a withdrawal had cut round 1 from 100 000 to 50 000: an accountant read money as
    awarded that had gone back to the frame. Each figure now says which it is, the committed
    one still with the budget and the unallocated amount it adds up to."""
    commit_round()
    assert run("amend", "A-1", "--amount", "50 000", "--reason", "Cost reduced").exit_code == 0
    assert run("withdraw", "A-2", "--reason", "Withdrew").exit_code == 0
    commit_round("r2.csv", 2)
    out = folder / f"ledger_{lang}.xlsx"
    exported = run("ledger", "export", str(out), "--lang", lang)
    assert exported.exit_code == 0, exported.output
    rows = list(openpyxl.load_workbook(out)[sheet].iter_rows(values_only=True))
    header = rows[0]
    # The columns an import may read stay where they were, with the committed figure's
    # budget identity beside it; what stands now follows them.
    assert header[5] == committed
    assert header[6] == unallocated
    assert header[7] == now
    figures = {
        row[0]: dict(zip(header, row, strict=True)) for row in rows[1:] if isinstance(row[0], int)
    }
    assert [(f[committed], f[now]) for f in figures.values()] == [
        (100_000, 50_000),
        (50_000, 50_000),
    ]
    for f in figures.values():
        budget = f["Budget" if lang == "en" else "Rundens ramme"]
        assert budget == f[committed] + f[unallocated]
        # Unnamed in tilskudd.toml: the name column is the name as given, none; the round's
        # number is in the column before it.
        assert f[name] is None


def test_an_application_rejected_for_its_cells_is_said_before_the_round_is_committed(
    folder: Path,
) -> None:
    """A typing error in one cell rejects an application, and once the round is committed no
    amendment can fund it: said under the table, where the officer reads before --commit (the
    cells are listed above it, scrolled away in a round of a hundred rows), and again as the
    round is recorded."""
    typo = "A-4;Oslo kommune;958935421;Bysykkel;0301;40000;200000;6"  # check digit off by one
    (folder / "r1.csv").write_text("\n".join([HEADER, *ROUND_1, typo]) + "\n", encoding="utf-8")
    preview = run("allocate", "r1.csv", "--round", "1")
    assert preview.exit_code == 0, preview.output
    said = re.sub(r"\s*\n\s*", " ", preview.stdout)
    assert (
        "Round 1: 1 application is rejected for errors in the sheet: A-4. An application "
        "recorded in the ledger as rejected cannot be funded by an amendment afterwards; unless "
        "it is to be rejected, put the cells right and allocate the round again before it is "
        "committed."
    ) in said
    nb = re.sub(r"\s*\n\s*", " ", run("allocate", "r1.csv", "--round", "1", "--lang", "nb").stdout)
    assert (
        "Runde 1: 1 søknad er avvist for feil i regnearket: A-4. En søknad som er ført i "
        "registeret som avvist, kan ikke få tilskudd ved en endring senere; skal den ikke "
        "avvises, retter du cellene og fordeler runden på nytt før den føres."
    ) in nb

    committed = re.sub(r"\s*\n\s*", " ", commit_round().stdout)
    assert (
        "Round 1: 1 application is rejected for errors in the sheet and recorded in the ledger "
        "as rejected: A-4. No amendment can fund it afterwards."
    ) in committed
    assert committed.index("recorded in the ledger as rejected") < committed.index(
        "Committed round 1 to the ledger"
    )
    refused = run("amend", "A-4", "--amount", "40000", "--reason", "typo", "--outside-policy")
    assert refused.exit_code == 1
    # The round as committed, run again for its documents, has nothing left to decide.
    again = run("allocate", "r1.csv", "--round", "1")
    assert again.exit_code == 0, again.output
    assert "rejected for errors in the sheet" not in again.stdout
    # A round without such an application says nothing of it.
    (folder / "r2.csv").write_text("\n".join([HEADER, *ROUND_2]) + "\n", encoding="utf-8")
    assert "rejected for errors" not in run("allocate", "r2.csv", "--round", "2").stdout


def test_an_allocation_without_round_in_a_programme_with_a_ledger_says_it_is_not_against_it(
    folder: Path,
) -> None:
    """In the programme's folder, `allocate r2.csv --budget N` without --round funds Moss's
    project again, which round 1 funded: its award list must not pass for the round's."""
    assert "without --round" not in run("allocate", "r2.csv", "--budget", "100000").stdout
    commit_round()
    plain = run("allocate", "r2.csv", "--budget", "100000", "-o", "out2.xlsx")
    assert plain.exit_code == 0, plain.output
    said = re.sub(r"\s*\n\s*", " ", plain.stdout)
    assert (
        "Allocated without --round: the programme has a ledger of committed rounds, but this "
        "allocation is not made against it. Applications funded in an earlier round may be "
        "funded here, and the cap per organisation (per_applicant_max) does not count earlier "
        "rounds. Use --round N to allocate a round of the programme."
    ) in said
    book = openpyxl.load_workbook(folder / "out2.xlsx")
    funded = [r[1] for r in book["Awards"].iter_rows(min_row=2, values_only=True) if r[1]]
    assert "B-1" in funded  # Moss's project again: what the note warns of
    nb = re.sub(
        r"\s*\n\s*", " ", run("allocate", "r2.csv", "--budget", "1M", "--lang", "nb").stdout
    )
    assert "Fordelt uten --round: ordningen har et register med førte runder" in nb
    against = run("allocate", "r2.csv", "--round", "2")
    assert against.exit_code == 0, against.output
    assert "without --round" not in against.stdout
    # explain, whose words go into a decision letter: B-1 "funded", said to be outside the ledger.
    explained = run("explain", "r2.csv", "B-1", "--budget", "100000", "--no-what-if")
    assert explained.exit_code == 0, explained.output
    assert "Allocated without --round" in explained.stdout
    as_round = run("explain", "r2.csv", "B-1", "--round", "2", "--no-what-if")
    assert as_round.exit_code == 0, as_round.output
    assert "Allocated without --round" not in as_round.stdout
    assert "round 1" in as_round.stdout  # not funded again: funded in round 1


FOREIGN_HEADER = HEADER.replace("Organisasjonsnummer", "Recipient Org:Identifier")


def test_a_foreign_recipient_over_two_rounds_history_and_export(folder: Path) -> None:
    """Charity A has no Norwegian number, only its GB-CHC- id from a 360Giving file. Under a
    maximum of 70 000 it gets 60 000 in round 1 and the 10 000 left in round 2; history finds
    both by its id, and the ledger export gives the id in a column of its own, after the
    columns it had, the organisation number's column empty as before."""
    (folder / "tilskudd.toml").write_text(
        PROGRAMME + 'per_applicant_max = "70 000"\n', encoding="utf-8"
    )
    rows_1 = ["F-1;Charity A;GB-CHC-1234567;Park;0104;60000;300000;5"]
    rows_2 = [
        "G-1;Charity A;GB-CHC-1234567;Skog;0104;30000;150000;5",
        "G-2;Moss kommune;NO-BRC-974760673;Sak;0104;20000;100000;4",
    ]
    for name, rows in (("f1.csv", rows_1), ("f2.csv", rows_2)):
        (folder / name).write_text("\n".join([FOREIGN_HEADER, *rows]) + "\n", encoding="utf-8")
    commit_round("f1.csv", 1)
    commit_round("f2.csv", 2)
    said = run("history", "GB-CHC-1234567")
    assert said.exit_code == 0, said.output
    assert said.stdout.splitlines()[0] == (
        f"Recorded for GB-CHC-1234567: 2 applications, NOK{NBSP}70,000 awarded now."
    )
    data = json.loads(run("history", "GB-CHC-1234567", "--format", "json").stdout)
    assert [(a["application_id"], a["orgnr"], a["org_id"], a["current"]) for a in data] == [
        ("F-1", None, "GB-CHC-1234567", 60_000),
        ("G-1", None, "GB-CHC-1234567", 10_000),
    ]
    assert run("ledger", "export", "l.csv").exit_code == 0
    with open(folder / "l.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][2] == "Org. no."
    assert rows[0][-3:] == [
        "Last change decided",
        "Org. id, other register",
        "As typed (cells with errors)",
    ]
    assert [(r[1], r[2], r[-2]) for r in rows[1:]] == [
        ("F-1", "", "GB-CHC-1234567"),
        ("G-1", "", "GB-CHC-1234567"),
        ("G-2", "974760673", ""),
    ]
    assert run("ledger", "export", "l.xlsx", "--lang", "nb").exit_code == 0
    sheet = openpyxl.load_workbook(folder / "l.xlsx")["Vedtak"]
    decisions = list(sheet.iter_rows(values_only=True))
    assert decisions[0][-2:] == (
        "Org.-id, annet register",
        "Slik det ble skrevet (celler med feil)",
    )
    assert [(r[1], r[2], r[-2]) for r in decisions[1:]] == [
        ("F-1", None, "GB-CHC-1234567"),
        ("G-1", None, "GB-CHC-1234567"),
        ("G-2", "974760673", None),
    ]


@pytest.mark.parametrize(
    ("lang", "template", "said"),
    [
        ("nb", "søknadsmal.xlsx", "Opprettet ny/tilskudd.toml og ny/søknadsmal.xlsx."),
        ("en", "applications.xlsx", "Created ny/tilskudd.toml and ny/applications.xlsx."),
    ],
)
def test_init_names_the_template_in_the_programme_s_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, template: str, said: str
) -> None:
    """`init --lang nb` wrote a Norwegian template (Søknader, Veiledning) under an English
    name, applications.xlsx; a bokmål programme's template is søknadsmal.xlsx."""
    monkeypatch.chdir(tmp_path)
    result = run("init", "ny", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert said in result.stdout
    assert sorted(p.name for p in (tmp_path / "ny").iterdir()) == sorted(
        [template, "tilskudd.toml"]
    )
    book = openpyxl.load_workbook(tmp_path / "ny" / template)
    assert book.sheetnames[0] == ("Søknader" if lang == "nb" else "Applications")
    next_step = re.sub(r"\s*\n\s*", " ", result.stdout)
    assert template in next_step.split(said, 1)[1]


def test_nb_over_the_frame_with_a_round_budget_below_what_remains(folder: Path) -> None:
    """Round 2 has 50 000 in the programme file and 100 000 remains: the note under the table
    and the refusal give the --budget that is allowed, and say that leaving --budget out gives
    the programme file's 50 000, not what remains."""
    programme = folder / "tilskudd.toml"
    programme.write_text(
        PROGRAMME.replace("number = 2\n", 'number = 2\nbudget = "50 000"\n'), encoding="utf-8"
    )
    commit_round()
    big = "C-1;Bergen kommune;964338531;Stort;1201;120000;600000;5"
    (folder / "big.csv").write_text(f"{HEADER}\n{big}\n", encoding="utf-8")
    args = ["allocate", "big.csv", "--round", "2", "--budget", "150000", "--lang", "nb"]
    result = run(*args, "--commit")
    assert result.exit_code == 1
    assert (
        "--commit ville blitt avvist. Bruk --budget 100000 eller mindre, eller utelat --budget."
    ) in result.stdout
    assert result.stderr.endswith(
        "Fordel runden på nytt med en ramme på høyst det som er igjen: --budget 100000 for alt "
        f"som er igjen, eller uten --budget for rammen ordningsfilen gir runden, {kr(50_000)}. "
        "Ingenting ble registrert.\n"
    )
    without = run("allocate", "big.csv", "--round", "2", "--lang", "nb", "--limit", "0")
    # the last round planned would leave 50 000 of the frame to no round: said, with the way
    assert (
        f"Runde 2: ramme {kr(50_000)}, fra ordningsfilen. Av ordningens ramme er {kr(100_000)} "
        f"igjen, {kr(50_000)} mer enn rammen for runden, og ingen runde er planlagt etter "
        "denne: --budget 100000 fordeler alt som er igjen.\n"
    ) in without.stdout
    assert (
        run("allocate", "big.csv", "--round", "2", "--budget", "100000", "--commit").exit_code == 0
    )


def test_the_last_round_before_an_earlier_one_is_committed_gives_no_budget_that_takes_it(
    folder: Path,
) -> None:
    """Round 2, the last planned, allocated before round 1 was committed said the frame's
    200 000 remained and that --budget 200000 "allocates all that remains": that budget takes
    round 1's 100 000, and the --commit it led to was refused. The money of a round not yet
    committed is not left over, so no such --budget is given; the round's own is said."""
    programme = folder / "tilskudd.toml"
    programme.write_text(
        PROGRAMME.replace("number = 2\n", 'number = 2\nbudget = "50 000"\n'), encoding="utf-8"
    )
    result = run("allocate", "r2.csv", "--round", "2", "--limit", "0")
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert "--budget 200000" not in said
    assert "Round 2: budget NOK 50,000, from the programme." in said
    assert "Round 1 is not committed yet" in said
    # Once round 1 is committed (100 000 awarded), what is left is said, with the --budget.
    commit_round()
    after = " ".join(run("allocate", "r2.csv", "--round", "2", "--limit", "0").stdout.split())
    assert "--budget 100000 allocates all that remains" in after


def test_a_command_without_an_input_file_gathers_its_words_and_the_programme_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What status, history, amend, withdraw, verify and ledger export check first: a --lang
    that names none, words the command does not take and a programme not found, kept in that
    order to be said in one run; a programme found is given back, with nothing to say."""
    import typer

    from tilskudd.cli.programme import programme_gathered

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    ctx = typer.Context(typer.main.get_command(app))
    ctx.args = ["runde", "1"]
    problems, found = programme_gathered(ctx, None, "xx", required=True)
    assert found is None
    assert problems.lang is None
    assert [getattr(e, "key", None) for e in problems.errors[:2]] == [
        "output.error.unknown_language_option",
        "cli.extra_words",
    ]
    assert [str(e) for e in problems.errors[2:]] == [
        get("en")("ledger.cli.no_programme", folder=str(tmp_path))
    ]
    problems, found = programme_gathered(ctx, None, "nb", required=False)
    assert found is None
    assert [getattr(e, "key", None) for e in problems.errors] == ["cli.extra_words"]
    shutil.copytree(EXAMPLES / "programme_difi2009", tmp_path / "ordning")
    ctx.args = []
    problems, found = programme_gathered(ctx, tmp_path / "ordning", None, required=True)
    assert found is not None
    assert found.name == "IKT-tilskudd til kommunene 2009"
    assert problems.errors == []


def test_verify_of_a_proportional_round_that_counted_claims_says_the_rule_changed(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until 2026-11-30 proportional held per_applicant_max against claims: A-2's claim was cut
    to the 40 000 kr left of Moss kommune's 100 000 after A-1's, so the three shared 100 000
    over claims of 180 000. This tilskudd caps awards: Moss is awarded 60 000, far from its
    maximum, and all three get half. verify (and allocate --round 1) found 'different
    decisions' for a ledger nobody changed; they now say that the rule changed, and when."""
    from tilskudd.models import Reason
    from tilskudd.rules import RULES

    (folder / "tilskudd.toml").write_text(
        PROGRAMME.replace(
            'max_share_of_cost = "20 %"', 'rule = "proportional"\nper_applicant_max = "100 000"'
        ),
        encoding="utf-8",
    )
    rows = [
        "A-1;Moss kommune;974760673;Sak 1;0104;60000;300000;5",
        "A-2;Moss kommune;974760673;Sak 2;0104;60000;300000;4",
        "A-3;Bergen kommune;964338531;Sak;1201;80000;400000;3",
    ]
    (folder / "r1.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    current = RULES["proportional"]

    def counting_claims(apps, budget, policy, **kwargs):  # type: ignore[no-untyped-def]
        """The older rule on this round: A-2 claims 40 000, the others what they ask."""
        cut = [a.model_copy(update={"requested": 40_000}) if a.id == "A-2" else a for a in apps]
        plain = policy.model_copy(update={"per_applicant_max": None})
        result = current(cut, budget, plain, **kwargs)
        claim = Reason(
            code="reason.cap.per_applicant_claim",
            params={"orgnr": "974760673", "max": 100_000, "already": 60_000, "cap": 40_000},
        )
        decisions = tuple(
            d._replace(requested=60_000, reasons=(claim, *d.reasons))
            if d.application_id == "A-2"
            else d
            for d in result.decisions
        )
        return result.model_copy(update={"policy": policy, "decisions": decisions})

    with monkeypatch.context() as patched:
        patched.setitem(RULES, "proportional", counting_claims)
        committed = commit_round()
    assert committed.exit_code == 0  # A-1: 60 000 × 100/180 = 33 333

    verified = run("verify")
    assert verified.exit_code == 1, verified.output
    said = " ".join(verified.stdout.split())
    assert "A-1: ledger partly funded NOK 33,333, re-run partly funded NOK 30,000" in said, said
    assert (
        "Round 1 was allocated by the proportional rule as it held per_applicant_max until 30 "
        "November 2026: against what an organisation's applications claimed" in said
    )
    nb = " ".join(run("verify", "--lang", "nb").stdout.split())
    assert "slik den brukte per_applicant_max til 30. november 2026" in nb
    again = run("allocate", "r1.csv", "--round", "1")
    assert again.exit_code == 1
    refused = " ".join(again.stderr.split())
    assert "A-1, A-2 and A-3 are decided otherwise than the ledger has them for round 1: the " in (
        refused
    ), refused
    assert "as it held per_applicant_max until 30 November 2026" in refused
    nb_again = run("allocate", "r1.csv", "--round", "1", "--lang", "nb")
    assert nb_again.exit_code == 1
    said_nb = get("nb")("ledger.error.rerun_claims", ids=["A-1", "A-2", "A-3"], round=1)
    assert "slik den brukte per_applicant_max til 30. november 2026" in said_nb
    assert said_nb in " ".join(nb_again.stderr.split()), nb_again.stderr


def test_a_round_the_leftover_kroner_took_past_the_maximum_was_never_committed(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until 2026-11-30 proportional could hand the kroner left by rounding to an organisation
    whose shares were within per_applicant_max, past it: four shares of 50 000.50 kr, the two
    kroner left to A-1 and A-2, Moss kommune 100 002 kr against a maximum of 100 001. The
    commit refused such a round (since 2026-11-29, before that rule), so no ledger holds one
    for verify to meet: the same round now commits, and verify re-runs it as committed."""
    from tilskudd.rules import proportional

    (folder / "tilskudd.toml").write_text(
        PROGRAMME.replace('budget = "100 000"', 'budget = "200 002"')
        .replace('frame = "200 000"', 'frame = "400 000"')
        .replace(
            'max_share_of_cost = "20 %"', 'rule = "proportional"\nper_applicant_max = "100 001"'
        ),
        encoding="utf-8",
    )
    rows = [
        "A-1;Moss kommune;974760673;Sak 1;0104;100000;500000;5",
        "A-2;Moss kommune;974760673;Sak 2;0104;100000;500000;4",
        "C-1;Oslo kommune;958935420;Sak;0301;100000;500000;3",
        "C-2;Bergen kommune;964338531;Sak;1201;100000;500000;2",
    ]
    (folder / "r1.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    with monkeypatch.context() as patched:
        patched.setattr(proportional, "_steps_pass_room", lambda *_args: False)
        refused = run("allocate", "r1.csv", "--round", "1", "--commit")
    assert refused.exit_code == 1, refused.output
    said = " ".join(refused.stderr.replace(NBSP, " ").split())
    assert "round 1 gives organisation 974760673 NOK 100,002 (A-1 and A-2)" in said, said
    assert "past per_applicant_max of NOK 100,001" in said
    assert "Nothing was recorded." in said
    nothing = run("verify")
    assert "Nothing committed yet: nothing to verify." in nothing.stdout, nothing.output
    commit_round()
    verified = run("verify")
    assert verified.exit_code == 0, verified.output
    history = " ".join(run("history", "974760673").stdout.replace(NBSP, " ").split())
    assert "NOK 100,001 awarded now" in history, history


def _per_applicant_round(folder: Path) -> None:
    """Round 1 under per_applicant_max 70 000: Moss kommune's A-1 (60 000) is funded first,
    which leaves its A-4 10 000; round 2's B-1 from Moss finds the maximum filled."""
    (folder / "tilskudd.toml").write_text(
        PROGRAMME.replace('max_share_of_cost = "20 %"', 'per_applicant_max = "70 000"'),
        encoding="utf-8",
    )
    rows = [*ROUND_1, "A-4;Moss kommune;974760673;Arkiv;0104;40000;200000;4"]
    (folder / "r1.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    later = [*ROUND_2, "B-2;Moss kommune;974760673;Ny portal;0104;30000;150000;4"]
    (folder / "r2.csv").write_text("\n".join([HEADER, *later]) + "\n", encoding="utf-8")


def test_a_round_cut_by_per_applicant_max_names_what_filled_it(folder: Path) -> None:
    _per_applicant_round(folder)
    said = " ".join(run("allocate", "r1.csv", "--round", "1").stdout.split())
    assert (
        "Organisation 974760673 may receive at most NOK 70,000 in all and has already been "
        "awarded NOK 60,000 in this round, to A-1: capped at NOK 10,000" in said
    ), said
    commit_round()
    # Round 2 (A-4 did not fit in round 1's budget): round 1's award to A-1 counts, and the
    # reason says it was in earlier rounds, with the amount.
    again = " ".join(run("allocate", "r2.csv", "--round", "2").stdout.split())
    assert (
        "Organisation 974760673 may receive at most NOK 70,000 in all and has already been "
        "awarded NOK 60,000 in earlier rounds: capped at NOK 10,000" in again
    ), again
    nb = run("allocate", "r2.csv", "--round", "2", "--lang", "nb").stdout.replace(NBSP, " ")
    assert "er allerede tildelt 60 000 kr i tidligere runder: begrenset til 10 000 kr" in (
        " ".join(nb.split())
    ), nb
    history = " ".join(run("history", "974760673").stdout.split())
    assert "in this round, to A-1: capped at NOK 10,000" in history, history
    assert "?" not in history


def _recorded_then_said_now(then: str | None, now: str) -> str:
    """The checks of a round committed with the reasons tilskudd gave before a change of
    wording: ``history`` says A-4's reason as it was recorded (``then``, when given; no
    parameter missing), ``verify`` and ``allocate --round`` find the same decisions, the re-run
    says ``now``, and ``explain`` renders. Returns the re-run's output, its whitespace made
    single spaces."""
    history = " ".join(run("history", "974760673").stdout.split())
    if then is not None:
        assert then in history, history
    assert "?" not in history
    verified = run("verify")
    assert verified.exit_code == 0, verified.output
    again = run("allocate", "r1.csv", "--round", "1")
    assert again.exit_code == 0, again.output
    said = " ".join(again.stdout.split())
    assert now in said, said
    explained = run("explain", "r1.csv", "A-4", "--round", "1", "--no-what-if")
    assert explained.exit_code == 0, explained.output
    assert "?" not in explained.stdout
    return said


def test_a_round_committed_before_the_reason_named_what_filled_the_maximum(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger holds rounds whose per_applicant_max reasons name nothing (reason.cap.
    per_applicant, as tilskudd gave it before 2026-11-30): history still says them in full,
    and verify and allocate --round, whose re-run now names A-1, find the same decisions."""
    import tilskudd.rules.ranked as ranked

    _per_applicant_round(folder)
    with monkeypatch.context() as patched:
        patched.setattr(ranked, "per_applicant_filled", lambda reason, *a, **k: reason)
        commit_round()
    _recorded_then_said_now(
        then=(
            "Organisation 974760673 may receive at most NOK 70,000 in all and has already been "
            "awarded NOK 60,000: capped at NOK 10,000"
        ),
        now="in this round, to A-1",
    )


def _officer_round(folder: Path, rule: str, requested: int = 40_000) -> None:
    """Round 1 under per_applicant_max 70 000: the officer funds Moss kommune's A-1 with 60 000
    (a manual override), which leaves 10 000 for its A-4 (asking for ``requested``)."""
    (folder / "tilskudd.toml").write_text(
        PROGRAMME.replace(
            'max_share_of_cost = "20 %"', f'rule = "{rule}"\nper_applicant_max = "70 000"'
        ),
        encoding="utf-8",
    )
    decided = [f"{row};;;" for row in ROUND_1]
    decided[0] = f"{ROUND_1[0]};innvilg;60000;Vedtatt i styremøte"
    rows = [*decided, f"A-4;Moss kommune;974760673;Arkiv;0104;{requested};400000;4;;;"]
    header = f"{HEADER};Vedtak;Vedtaksbeløp;Begrunnelse"
    (folder / "r1.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def _as_before_the_officer_was_named(patched: pytest.MonkeyPatch) -> None:
    """The rules as they said per_applicant_max before 2026-11-30: the officer's decisions in
    the organisation's earlier awards, and optimal naming neither them nor its selection."""
    import tilskudd.rules.optimal as optimal
    import tilskudd.rules.overrides as overrides

    said_then = optimal._unfunded_by_org

    def plain(*args: Any) -> Any:
        reason = said_then(*args)
        if reason is None:
            return None
        params = {k: v for k, v in reason.params.items() if k != "earlier"}
        return Reason("reason.optimal.per_applicant", params)

    patched.setattr(optimal, "_unfunded_by_org", plain)
    patched.setattr(optimal, "_say_what_was_selected", lambda *a: None)
    patched.setattr(overrides, "_officer_said", lambda reason, *a: reason)


def test_an_optimal_round_with_an_officers_decision_committed_before_it_was_named(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A round committed when optimal's per_applicant_max reason named nothing (the officer's
    decision counted in what the organisation "has already been awarded"): history says it as
    then, verify and allocate --round find the same decisions, and the re-run names A-1 as the
    officer's decision in this round."""
    _officer_round(folder, "optimal")
    with monkeypatch.context() as patched:
        _as_before_the_officer_was_named(patched)
        commit_round()
    _recorded_then_said_now(
        then=(
            "Organisation 974760673 may receive at most NOK 70,000 in all and has already been "
            "awarded NOK 60,000; the NOK 10,000 left is less than the NOK 40,000"
        ),
        now=(
            "has already been awarded NOK 60,000 by the officer's decision on A-1 in this round; "
            "the NOK 10,000 left is less than the NOK 40,000"
        ),
    )


def test_a_proportional_round_with_an_officers_decision_committed_before_it_was_named(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As above, under proportional: the round committed when the officer's 60 000 to A-1 was
    said as "awards in earlier rounds" reads as then; the re-run says it for what it is."""
    _officer_round(folder, "proportional", requested=80_000)
    with monkeypatch.context() as patched:
        _as_before_the_officer_was_named(patched)
        commit_round()
    said = _recorded_then_said_now(
        then=(
            "Organisation 974760673 may receive at most NOK 70,000 in all and had awards in "
            "earlier rounds: NOK 10,000 was left for this round"
        ),
        now=(
            "in all, and the officer's decision on A-1 in this round gives it NOK 60,000: "
            "NOK 10,000 was left for its other applications in this round"
        ),
    )
    assert "awards in earlier rounds" not in said


def _as_before_the_officer_was_said_apart(
    reason: Reason, officer: Any, earlier: int, _: int = 0
) -> Reason:
    """``per_applicant_officer_first`` as it was until 2026-11-30: the officer's decisions named
    first among this round's awards (``reason.cap.per_applicant_in_round``), not said apart."""
    from tilskudd.rules.common import PER_APPLICANT_CODES, per_applicant_filled

    if reason.code not in PER_APPLICANT_CODES:
        return reason
    kind = reason.code.split(".")[1]
    funded = reason.params.get("funded")
    rule_funded = list(funded) if isinstance(funded, list) else []
    params = {
        k: v
        for k, v in reason.params.items()
        if k not in ("earlier", "this_round", "funded", "count")
    }
    base = Reason(f"reason.{kind}.per_applicant", params)
    return per_applicant_filled(
        base, [*officer, *rule_funded], earlier, count=len(officer) + len(rule_funded)
    )


@pytest.mark.parametrize("rule", ["ranked", "lottery"])
def test_a_round_with_an_officers_decision_among_this_rounds_awards_committed_before(
    folder: Path, monkeypatch: pytest.MonkeyPatch, rule: str
) -> None:
    """A ranked or lottery round committed when the officer's 60 000 to A-1 was named among
    this round's awards ("in this round, to A-1") reads as then; verify and allocate --round find
    the same decisions, and the re-run says it as the officer's decision."""
    import tilskudd.rules.overrides as overrides

    _officer_round(folder, rule)
    with monkeypatch.context() as patched:
        patched.setattr(
            overrides, "per_applicant_officer_first", _as_before_the_officer_was_said_apart
        )
        commit_round()
    _recorded_then_said_now(
        then=(
            "Organisation 974760673 may receive at most NOK 70,000 in all and has already been "
            "awarded NOK 60,000 in this round, to A-1: capped at NOK 10,000"
        ),
        now=(
            "has already been awarded NOK 60,000 by the officer's decision on A-1 in this round: "
            "capped at NOK 10,000"
        ),
    )


def test_an_optimal_round_committed_before_it_said_what_the_selection_left_no_room_for(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under optimal the best selection funds Moss kommune's A-1 (60 000) and leaves out its
    A-4 (40 000), which the organisation's 70 000 could not take beside it. A round committed
    when A-4 said only "not in the best selection" verifies clean; the re-run says why."""
    import tilskudd.rules.optimal as optimal

    _per_applicant_round(folder)
    toml = folder / "tilskudd.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("[policy]", '[policy]\nrule = "optimal"'),
        encoding="utf-8",
    )
    with monkeypatch.context() as patched:
        patched.setattr(optimal, "_filled_by_selection", lambda *a: {})
        commit_round()
    history = " ".join(run("history", "974760673").stdout.split())
    assert "would have" not in history, history  # recorded without the reason
    _recorded_then_said_now(
        None,
        "With the NOK 40,000 this application needs, organisation 974760673 would have "
        "NOK 100,000 in all, more than the NOK 70,000 one organisation may receive",
    )
