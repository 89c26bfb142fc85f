"""`tilskudd check` and `tilskudd allocate` end to end on the bundled examples.

Run through typer's CliRunner; exported workbooks are read back with openpyxl and their values
checked, not only the exit code.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tilskudd.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DIFI = EXAMPLES / "difi_2009_runde1.xlsx"
SMALL = EXAMPLES / "small.xlsx"
SMALL_CSV = EXAMPLES / "small.csv"
BROKEN = EXAMPLES / "broken.xlsx"
POLICY = EXAMPLES / "policy_difi2009.toml"

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


# --- check ---------------------------------------------------------------------------------


def test_check_valid_file_exits_0_with_budget_check() -> None:
    code, out, _ = invoke("check", SMALL, "--budget", "5 000 000", "--lang", "nb")
    assert code == 0
    assert "10 søknader lest: 10 gyldige, 0 ugyldige" in out
    # Requests of 8 900 000 against 5 000 000: 1,78 times the budget.
    assert "1,78" in out


def test_check_broken_file_exits_1_and_names_cells() -> None:
    code, out, _ = invoke("check", BROKEN)
    assert code == 1
    for cell in ("Søknader!C3", "Søknader!E5", "Søknader!F8", "Søknader!F14", "Søknader!A17"):
        assert cell in out
    assert "did you mean Bærum" in out
    assert "Errors (15)" in out
    assert "Warnings (5)" in out


def test_check_json_has_stable_keys_and_cells() -> None:
    code, out, _ = invoke("check", BROKEN, "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["counts"]["invalid"] == 15
    cells = {issue["cell"] for issue in report["issues"]}
    assert "Søknader!F8" in cells
    ambiguous = next(i for i in report["issues"] if i["cell"] == "Søknader!F8")
    assert ambiguous["severity"] == "error"
    assert ambiguous["field"] == "requested"


def test_check_lists_the_first_200_problems_unless_told(tmp_path: Path) -> None:
    path = tmp_path / "mange.csv"
    # A different value in each cell: the same problem in many cells is one line of the list.
    rows = [f"S-{n},Søker {n},{f'x{n}' if n <= 250 else '1000'}" for n in range(1, 301)]
    path.write_text("Søknadsnr,Søker,Omsøkt beløp\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code, out, _ = invoke("check", path)
    assert code == 1
    assert "Errors (250)" in out
    assert "C201" in out  # the 200th problem, in row 201
    assert "C202" not in out
    assert "… 50 more not shown; --format json lists them all" in out
    _, every, _ = invoke("check", path, "--limit", "0")
    assert "C251" in every
    assert "more not shown" not in every
    _, few, _ = invoke("check", path, "--limit", "3", "--lang", "nb")
    assert "… 247 til vises ikke; --format json viser alle" in few
    assert invoke("check", path, "--limit", "-1")[0] == 2


def test_many_warnings_of_one_kind_are_counted_in_check_and_allocate(tmp_path: Path) -> None:
    """An awards list with scheme titles (the UK government's: 1 212 "the same organisation
    and project title" warnings) listed the same warning line after line; the few others were
    lost among them. The first five are listed, then how many more and where they all are."""
    path = tmp_path / "tildelinger.csv"
    rows = []
    for n in range(1, 31):
        orgnr = _ORGNRS[n % len(_ORGNRS)] if n <= 24 else ""
        rows.append(f"S-{n},Lag {n},{orgnr},Drift {n % 12},{1000 * n},{n % 6 + 1}")
    rows.append("S-31,Lag 31,,Drift 31,,3")  # an error, listed as ever
    path.write_text(
        "Søknadsnr,Søker,Orgnr,Prosjekt,Omsøkt beløp,Poeng\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    code, out, _ = invoke("check", path, "--limit", "0")
    every = re.findall(r"^D\d+ ", out, flags=re.M)
    assert code == 1
    assert len(every) == 12  # 12 pairs of rows, a line each
    _, out, _ = invoke("check", path)
    said = " ".join(out.split())
    assert len(re.findall(r"^D\d+ ", out, flags=re.M)) == 5
    assert "E32" in out  # the error
    assert "… 14 more warnings like the one at D2, 24 in all, are not listed here" in said
    assert "--format json lists every one, as does the workbook allocate -o writes" in said
    report = json.loads(invoke("check", path, "--format", "json")[1])
    duplicates = [i for i in report["issues"] if i["code"] == "validate.duplicate_project"]
    assert len(duplicates) == 24
    _, allocated, _ = invoke(
        "allocate", path, "--budget", "100000", "--rule", "proportional", "--lang", "nb"
    )
    assert len(re.findall(r"^D\d+ ", allocated, flags=re.M)) == 5
    assert "arbeidsboken og JSON-filen -o skriver viser alle" in " ".join(allocated.split())


_ORGNRS = ("974760673", "971526920", "983887457", "916817347")


def test_check_strict_turns_warnings_into_failure() -> None:
    code, _out, _ = invoke("check", DIFI, "--register", "2009")
    assert code == 0
    code, _out, _ = invoke("check", DIFI, "--register", "2009", "--strict")
    assert code == 1


def test_check_csv_with_english_headers() -> None:
    code, out, _ = invoke("check", SMALL_CSV, "--budget", "5M")
    assert code == 0
    assert "10 applications read: 10 valid, 0 invalid" in out


@pytest.mark.parametrize(
    ("args", "needle", "exit_code"),
    [
        (("check", "no/such/file.xlsx"), "does not exist", 1),
        (("check", SMALL, "--budget", "3,300"), "ambiguous", 2),
        (("allocate", SMALL), "--budget is required", 2),
        (("allocate", SMALL, "--budget", "5M", "--at-line", "sideways"), "--at-line", 2),
    ],
)
def test_bad_use_is_one_clear_message_without_traceback(
    args: tuple[str, ...], needle: str, exit_code: int
) -> None:
    code, out, err = invoke(*args)
    assert code == exit_code
    assert needle in err
    assert "Traceback" not in out + err


# --- allocate ------------------------------------------------------------------------------


def test_allocate_difi_round_exports_a_workbook_that_adds_up(tmp_path: Path) -> None:
    out_file = tmp_path / "tildeling.xlsx"
    code, out, err = invoke(
        "allocate", DIFI, "--register", "2009", "--budget", "20000000",
        "--policy", POLICY, "--lang", "nb", "-o", out_file,
    )  # fmt: skip
    assert code == 0, err
    assert "Ramme: 20 000 000 kr" in out.replace("\u00a0", " ")
    workbook = openpyxl.load_workbook(out_file)
    awards, rest, summary, basis = workbook.worksheets
    headers = [c.value for c in next(awards.iter_rows(min_row=1, max_row=1))]
    awarded_col = headers.index("Tildelt") + 1
    requested_col = headers.index("Omsøkt") + 1
    total_cost_col = headers.index("Totalkostnad") + 1
    awarded = [
        (row[awarded_col - 1], row[requested_col - 1], row[total_cost_col - 1])
        for row in awards.iter_rows(min_row=2, values_only=True)
        if isinstance(row[awarded_col - 1], int)
    ]
    assert awarded, "the awards sheet lists the funded applications"
    total = sum(a for a, _r, _c in awarded)
    for amount, requested, cost in awarded:
        assert amount <= requested
        assert amount * 5 <= cost  # at most 20 % of total cost
        assert amount % 1000 == 0  # round_to = 1000
        assert amount >= 100_000  # min_award
    assert total <= 20_000_000
    # The user's own columns are carried through to the workbook.
    assert "Saksbehandler" in headers
    assert "Merknad" in headers
    # Summary: budget = awarded + unallocated, with the sheet's own figures.
    figures = {
        row[0]: row[1]
        for row in summary.iter_rows(values_only=True)
        if row and isinstance(row[0], str) and len(row) > 1
    }
    assert figures["Ramme"] == 20_000_000
    assert figures["Tildelt"] == total
    assert figures["Ramme"] == figures["Tildelt"] + figures["Ikke fordelt"]
    # The basis sheet records the input's SHA-256 so the decision can be reproduced.
    import hashlib

    digest = hashlib.sha256(DIFI.read_bytes()).hexdigest()
    assert any(digest in str(c) for row in basis.iter_rows(values_only=True) for c in row if c)
    assert rest.max_row > 1


def test_allocate_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out_file = tmp_path / "out.xlsx"
    out_file.write_bytes(b"keep me")
    code, _out, err = invoke("allocate", SMALL, "--budget", "5M", "-o", out_file)
    assert code == 2
    assert "--force" in err
    assert out_file.read_bytes() == b"keep me"
    code, _out, err = invoke("allocate", SMALL, "--budget", "5M", "-o", out_file, "--force")
    assert code == 0, err
    assert openpyxl.load_workbook(out_file).worksheets[0].max_row > 1


def test_messages_show_file_names_as_written(tmp_path: Path) -> None:
    # Brackets in a file name are not terminal markup: "[bold]" stays in the message.
    target = tmp_path / "tildeling [bold]2009.xlsx"
    code, out, err = invoke("allocate", SMALL, "--budget", "5M", "-o", target)
    assert code == 0, err
    assert f"Wrote {target} (xlsx)." in " ".join(out.split())
    assert target.exists()


def test_allocate_never_overwrites_its_input(tmp_path: Path) -> None:
    copy = tmp_path / "small.xlsx"
    copy.write_bytes(SMALL.read_bytes())
    code, _out, err = invoke("allocate", copy, "--budget", "5M", "-o", copy, "--force")
    assert code == 2
    assert "input" in err
    assert copy.read_bytes() == SMALL.read_bytes()


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    out_file = tmp_path / "out.xlsx"
    code, out, err = invoke("allocate", SMALL, "--budget", "5M", "--dry-run", "-o", out_file)
    assert code == 0, err
    assert not out_file.exists()
    assert list(tmp_path.iterdir()) == []
    assert "Dry run: nothing was written." in out
    assert "1.78" in out  # oversubscription in the budget check


def test_same_result_whatever_the_row_order(tmp_path: Path) -> None:
    lines = SMALL_CSV.read_text(encoding="utf-8-sig").splitlines()
    reversed_csv = tmp_path / "reversed.csv"
    reversed_csv.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n", encoding="utf-8")
    outputs = []
    for source in (SMALL_CSV, reversed_csv):
        target = tmp_path / f"{source.stem}.json"
        code, _out, err = invoke(
            "allocate", source, "--budget", "5M", "--max-share-of-cost", "20 %", "-o", target
        )
        assert code == 0, err
        data = json.loads(target.read_text(encoding="utf-8"))
        outputs.append(sorted((a["id"], a["status"], a["amount"]) for a in data["applications"]))
    assert outputs[0] == outputs[1]


def test_rejected_applications_are_listed_and_the_rest_allocated(tmp_path: Path) -> None:
    target = tmp_path / "broken.json"
    code, _out, err = invoke("allocate", BROKEN, "--budget", "2M", "-o", target)
    assert code == 0, err
    data = json.loads(target.read_text(encoding="utf-8"))
    statuses = [a["status"] for a in data["applications"]]
    assert statuses.count("rejected") == 15
    assert data["budget"] == data["awarded"] + data["unallocated"]


def test_csv_rows_with_shifted_cells_are_rejected_and_the_rest_allocated(
    tmp_path: Path,
) -> None:
    # An unquoted decimal comma (row 2) and a quotation mark out of place (row 3): each row's
    # cells would land in the wrong columns, so each is an error; row 4 is fine.
    source = tmp_path / "runde.csv"
    source.write_text(
        'ID,Søker,Omsøkt beløp,Poeng\nA,Bærum,1200000,00,5\n"B,"Asker",1,5\nC,Moss,300000,4\n',
        encoding="utf-8",
    )
    code, out, _ = invoke("check", source, "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["counts"] == {
        "applications": 3,
        "valid": 1,
        "invalid": 2,
        "errors": 2,
        "warnings": 0,
    }
    found = [(i["code"], i["application_id"]) for i in report["issues"]]
    assert found == [("read.csv_cell_split", "A"), ("read.csv_quote_stray", 'B,Asker"')]
    code, out, _ = invoke("check", source)
    assert code == 1
    assert "row 2    this row (line 2 of the file) has 5 fields but the header (row 1) has 4" in out

    target = tmp_path / "tildeling.json"
    code, _, err = invoke("allocate", source, "--budget", "1000000", "-o", target)
    assert code == 0, err
    data = json.loads(target.read_text(encoding="utf-8"))
    status = {a["id"]: (a["status"], a["amount"]) for a in data["applications"]}
    assert status == {
        "A": ("rejected", 0),
        'B,Asker"': ("rejected", 0),
        "C": ("funded", 300000),
    }


def test_an_amount_a_formula_gave_is_allocated_as_the_workbook_shows_it(tmp_path: Path) -> None:
    """A request worked out in the sheet (=350000*1,1) is saved with binary rounding noise,
    385000.00000000006, and shown as 385 000. It was rejected for "a fraction of an øre" and
    the round allocated without it; the sum under it (=SUM) is not an application either."""
    source = tmp_path / "søknader.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    sheet.append(["Søknadsnr.", "Søker", "Omsøkt beløp", "Poeng"])
    sheet.append(["S-1", "Moss kommune", 350_000 * 1.1, 5])
    sheet.append(["S-2", "Rygge kommune", 300_000, 4])
    sheet.append([None, None, 350_000 * 1.1 + 300_000, None])
    book.save(source)
    target = tmp_path / "tildeling.xlsx"
    code, out, err = invoke("allocate", source, "--budget", "500 000", "-o", target)
    assert code == 0, err
    assert "fraction" not in out
    awards = openpyxl.load_workbook(target)["Awards"]
    header = [cell.value for cell in awards[1]]
    rows = [
        dict(zip(header, values, strict=True))
        for values in awards.iter_rows(min_row=2, values_only=True)
    ]
    assert [(r["ID"], r["Requested"], r["Awarded"]) for r in rows] == [("S-1", 385_000, 385_000)]


def test_another_table_under_the_applications_is_not_allocated(tmp_path: Path) -> None:
    """A second table typed under the round (last year's refused applications, under a label
    and a header of its own) was read as more applications: its header row and label were
    errors, and its rows below them were funded like the round's own. Pabulib's real files
    have a table of votes under the projects in the same way."""
    source = tmp_path / "søknader.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    sheet.append(["Søknadsnr.", "Søker", "Prosjekt", "Søkt beløp", "Poeng"])
    sheet.append(["S-1", "Moss kommune", "Arkiv", 100_000, 5])
    sheet.append(["S-2", "Rygge kommune", "Skjema", 200_000, 4])
    sheet.append([])
    sheet.append(["Avslått i fjor"])
    sheet.append(["Nr.", "Navn", "Tittel", "Beløp"])
    sheet.append(["T-9", "Råde kommune", "Gammelt", 400_000])
    sheet.append(["T-10", "Våler kommune", "Eldre", 50_000])
    book.save(source)
    code, out, _ = invoke("check", source, "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report["counts"]["applications"] == 2
    assert [(i["code"], i["severity"], i["row"]) for i in report["issues"]] == [
        ("read.other_table_skipped", "warning", 6)
    ]
    _, out, _ = invoke("check", source)
    text = " ".join(out.split())
    assert "rows 5–8 below the applications look like another table" in text
    assert "Nr., Navn, Tittel and Beløp" in text
    target = tmp_path / "tildeling.json"
    code, _, err = invoke(
        "allocate", source, "--budget", "1M", "--rule", "proportional", "-o", target
    )
    assert code == 0, err
    data = json.loads(target.read_text(encoding="utf-8"))
    assert {a["id"]: a["amount"] for a in data["applications"]} == {"S-1": 100_000, "S-2": 200_000}


def _merged_municipality(tmp_path: Path, merge: str) -> Path:
    source = tmp_path / "flettet.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    sheet.append(["Søknadsnr", "Søker", "Kommune", "Omsøkt beløp"])
    sheet.append(["S-1", "Lag A", "Bodø", 100_000])
    sheet.append(["S-2", "Lag B", None, 200_000])
    sheet.append(["S-3", "Lag C", None, 300_000])
    sheet.append(["S-4", "Lag D", "Tromsø", 50_000])
    sheet.merge_cells(merge)
    book.save(source)
    return source


def test_a_municipality_merged_down_counts_for_every_row_under_it(tmp_path: Path) -> None:
    """Kommune merged C2:C4 over three applications of Bodø: two of them were allocated with
    no municipality and no county, and the summary per county left them out of Nordland."""
    source = _merged_municipality(tmp_path, "C2:C4")
    target = tmp_path / "tildeling.json"
    code, _, err = invoke(
        "allocate", source, "--budget", "400000", "--rule", "proportional", "-o", target
    )
    assert code == 0, err
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [[c["name"] for c in a["counties"]] for a in data["applications"]] == [
        ["Nordland"],
        ["Nordland"],
        ["Nordland"],
        ["Troms"],
    ]
    summary = data["summary"]
    assert [(c["name"], c["projects"]) for c in summary["per_county"]] == [
        ("Nordland", 3),
        ("Troms", 1),
    ]
    assert summary["no_county"]["projects"] == 0
    assert data["budget"] == data["awarded"] + data["unallocated"] == 400_000
    assert [i["code"] for i in data["issues"]] == ["read.merged_down_filled"]


def test_an_amount_merged_down_rejects_the_applications_under_it(tmp_path: Path) -> None:
    source = _merged_municipality(tmp_path, "D3:D4")
    code, out, _ = invoke("check", source, "--format", "json")
    assert code == 1
    report = json.loads(out)
    shared = [i for i in report["issues"] if i["code"] == "read.merged_down_shared"]
    assert [(i["severity"], i["row"]) for i in shared] == [("error", 3), ("error", 4)]
    assert report["counts"]["invalid"] == 2


def test_an_unlabelled_totals_row_is_not_counted_as_an_application(tmp_path: Path) -> None:
    source = tmp_path / "runde.csv"
    source.write_text(
        "ID;Søker;Omsøkt beløp\nA;Moss;1 000 000\nB;Rygge;2 300 000\n;;3 300 000\n",
        encoding="utf-8",
    )
    code, out, _ = invoke("check", source, "--budget", "5M", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["counts"]["applications"] == 2
    assert report["budget_check"]["requested"] == 3_300_000
    assert [(i["code"], i["severity"]) for i in report["issues"]] == [
        ("read.totals_row_unlabelled_skipped", "warning")
    ]


def test_nothing_valid_stops_with_exit_1(tmp_path: Path) -> None:
    source = tmp_path / "noscore.csv"
    source.write_text("ID;Requested\nA;100\nB;200\n", encoding="utf-8")
    code, out, _err = invoke("allocate", source, "--budget", "250")
    assert code == 1
    assert "nothing was allocated" in out


def test_python_dash_m_and_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tilskudd", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.startswith("tilskudd ")


def test_debug_shows_the_traceback_others_do_not(tmp_path: Path) -> None:
    missing = tmp_path / "missing.xlsx"
    result = runner.invoke(app, ["check", str(missing), "--debug"])
    assert result.exit_code != 0
    assert result.exception is not None  # re-raised for a traceback
    result = runner.invoke(app, ["check", str(missing)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)


def test_terminal_limit_shows_all_of_a_normal_round_and_caps_a_huge_one() -> None:
    from tilskudd.cli.common import TERMINAL_ROWS, TERMINAL_SHOWN, terminal_limit

    assert terminal_limit(None, 130) is None
    assert terminal_limit(None, TERMINAL_ROWS) is None
    assert terminal_limit(None, TERMINAL_ROWS + 1) == TERMINAL_SHOWN
    assert terminal_limit(0, 100_000) is None
    assert terminal_limit(7, 130) == 7


def test_lottery_without_seed_draws_one_prints_it_and_records_it(tmp_path: Path) -> None:
    target = tmp_path / "lottery.json"
    code, out, err = invoke("allocate", SMALL, "--budget", "5M", "--rule", "lottery", "-o", target)
    assert code == 0, err
    data = json.loads(target.read_text(encoding="utf-8"))
    seed = data["seed"]
    assert isinstance(seed, int)
    assert f"--seed {seed}" in out
    # The printed seed repeats the draw exactly.
    again = tmp_path / "again.json"
    code, _out, err = invoke(
        "allocate", SMALL, "--budget", "5M", "--rule", "lottery", "--seed", str(seed), "-o", again
    )
    assert code == 0, err
    repeat = json.loads(again.read_text(encoding="utf-8"))
    assert [(a["id"], a["amount"]) for a in repeat["applications"]] == [
        (a["id"], a["amount"]) for a in data["applications"]
    ]


def test_optimal_objective_and_lottery_band_options(tmp_path: Path) -> None:
    target = tmp_path / "optimal.json"
    code, out, err = invoke(
        "allocate", SMALL, "--budget", "5M", "--rule", "optimal", "--objective", "count",
        "-o", target,
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["policy"]["objective"] == "count"
    funded = [a for a in data["applications"] if a["amount"] > 0]
    assert len(funded) == 7  # as many as fit, where best-first funds 3
    assert "Proven optimal" in out
    code, _out, err = invoke(
        "allocate", SMALL, "--budget", "5M", "--rule", "lottery", "--lottery-band", "5",
        "--seed", "7", "-o", tmp_path / "lottery.json",
    )  # fmt: skip
    assert code == 0, err
    lottery = json.loads((tmp_path / "lottery.json").read_text(encoding="utf-8"))
    assert lottery["policy"]["lottery_band"] == "5"
    assert lottery["seed"] == 7


@pytest.mark.parametrize(
    ("lang", "hint"),
    [("en", "a part of the path is a file, not a folder"), ("nb", "en del av stien er en fil")],
)
def test_an_output_the_system_refuses_is_a_message_in_the_language_not_a_bug(
    tmp_path: Path, lang: str, hint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder that is a file already is refused before the run (test_output_under_file.py);
    # here it becomes one after the checks, and the system refuses the writing.
    import errno

    import tilskudd.export

    target = tmp_path / "published" / "tildeling.xlsx"

    def refused(*_: object, **__: object) -> None:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target))

    monkeypatch.setattr(tilskudd.export, "write", refused)
    code, _, err = invoke("allocate", SMALL, "--budget", "5M", "-o", target, "--lang", lang)
    assert code == 1
    error, tip = ("error", "hint") if lang == "en" else ("feil", "tips")
    assert f"{error}: {target}: " in err
    assert f"{tip}: {hint}" in err
    assert "bug" not in err


@pytest.mark.parametrize("command", [["check"], ["allocate", "--budget", "1M"]])
def test_a_sheet_with_a_header_and_no_applications_is_an_error(
    tmp_path: Path, command: list[str]
) -> None:
    """Not 'No errors' and an empty award list: a wrong sheet, or a file saved too early."""
    path = tmp_path / "tom.csv"
    path.write_text("ID;Søkt beløp;Poeng\n;;\n", encoding="utf-8")
    code, out, err = invoke(command[0], path, *command[1:])
    assert code == 1
    assert "the header row (row 1) has no applications below it" in err
    assert "No errors" not in out


@pytest.mark.parametrize(
    ("lang", "unranked", "verdict"),
    [
        ("en", "no column for the score or the rank", "every application can be allocated"),
        ("nb", "ingen kolonne for poeng eller rangering", "alle søknadene kan fordeles"),
    ],
)
def test_allocate_by_the_proportional_rule_does_not_ask_for_a_score(
    tmp_path: Path, lang: str, unranked: str, verdict: str
) -> None:
    """The Research Council's and the UK government's real files have no score column, and
    are allocated by --rule proportional. Under the problems of their cells allocate said, as
    check does, that "the ranked rule (allocate's default) ... need one of them", of a run
    that had just been told which rule to use."""
    path = tmp_path / "uten_poeng.csv"
    path.write_text(
        "ID;Søker;Omsøkt beløp;Orgnr\nS-1;A;100000;0\nS-2;B;200000;\nS-3;C;0;\n",
        encoding="utf-8",
    )
    args = ("allocate", path, "--budget", "150000", "--lang", lang)
    code, out, err = invoke(*args, "--rule", "proportional")
    assert code == 0, err
    assert "S-3" in out  # its error is listed, and it is rejected
    assert unranked not in " ".join(out.split())
    # Without the error only a warning is left (the orgnr written 0): the verdict is the plain one.
    path.write_text(
        path.read_text(encoding="utf-8").replace(";0;\n", ";300000;\n"), encoding="utf-8"
    )
    code, out, err = invoke(*args, "--rule", "proportional")
    assert code == 0, err
    text = " ".join(out.split())
    assert unranked not in text
    assert verdict in text
    # check, which does not know the rule to come, still says it.
    _, out, _ = invoke("check", path, "--lang", lang)
    assert unranked in " ".join(out.split())


@pytest.mark.parametrize(
    ("lang", "verdict"),
    [
        ("en", "No errors, but 2 applications have no score or rank: the ranked rule"),
        ("nb", "Ingen feil, men 2 søknader mangler poeng eller rangering: regelen ranked"),
    ],
)
def test_check_says_when_the_default_rule_would_reject_some_unscored_rows(
    tmp_path: Path, lang: str, verdict: str
) -> None:
    """A score column filled in halfway: each blank is a warning, and the verdict must not say
    'every application can be allocated' when allocate's default rule would reject those rows."""
    path = tmp_path / "halvveis.csv"
    path.write_text(
        "ID;Søker;Omsøkt beløp;Poeng\nS-1;A;100000;5\nS-2;B;200000;\nS-3;C;300000;\n",
        encoding="utf-8",
    )
    code, out, _ = invoke("check", path, "--lang", lang)
    assert code == 0
    assert verdict in " ".join(out.split())
    assert "every application can be allocated" not in out
    assert "alle søknadene kan fordeles" not in out
    code, out, _ = invoke("allocate", path, "--budget", "1M", "--lang", "en")
    # allocate rejects them in the run it makes: not "would be", as check says of a file.
    assert "2 applications have errors and are rejected." in out
    assert "would be rejected" not in out
    code, out, _ = invoke("allocate", path, "--budget", "1M", "--lang", "nb")
    assert "2 søknader har feil og er avvist." in out
    # --strict stops the run before anything is allocated: they would be, had it gone on.
    code, out, _ = invoke("allocate", path, "--budget", "1M", "--lang", "en", "--strict")
    assert code == 1
    assert "2 applications have errors and would be rejected." in out
    # So does a file with no valid application.
    none_valid = tmp_path / "ingen.csv"
    none_valid.write_text("ID;Søker;Omsøkt beløp;Poeng\nS-1;A;100000;\n", encoding="utf-8")
    code, out, _ = invoke("allocate", none_valid, "--budget", "1M", "--lang", "en")
    assert code == 1
    assert "1 application has errors and would be rejected." in out
    assert "No application is valid, so nothing was allocated" in out


def test_check_says_when_the_default_rule_could_not_rank_the_file(tmp_path: Path) -> None:
    """check must not say 'every application can be allocated' when allocate would reject all."""
    path = tmp_path / "uten_poeng.csv"
    path.write_text("ID;Søker;Omsøkt beløp\nS-1;A;100000\nS-2;B;200000\n", encoding="utf-8")
    code, out, _ = invoke("check", path)
    assert code == 0
    assert "No errors, but there is no column for the score or the rank" in out
    assert "every application can be allocated" not in out
    code, out, _ = invoke("check", path, "--format", "json")
    assert json.loads(out)["ranking_column"] is False
    code, out, _ = invoke("check", SMALL)
    assert "No problems found: every application can be allocated." in out
    assert json.loads(invoke("check", SMALL, "--format", "json")[1])["ranking_column"] is True


@pytest.mark.parametrize("command", [["check", SMALL], ["explain", SMALL, "S-01", "-b", "5M"]])
def test_the_report_format_is_taken_in_any_case(command: list[str]) -> None:
    """As allocate's --format (the README says so of --format): JSON is json."""
    code, out, err = invoke(*command, "--format", "JSON")
    assert code == 0, err
    assert isinstance(json.loads(out), dict)


def test_the_input_under_another_name_is_never_written_over(tmp_path: Path) -> None:
    """An output name that is the applications file by another way to it: another case of its
    name on a file system that ignores case (macOS keeps the typed case when resolving), or a
    link. Shown here with a hard link, which resolving does not see through either."""
    source = tmp_path / "søknader.csv"
    source.write_bytes(Path(SMALL_CSV).read_bytes())
    other = tmp_path / "SØKNADER.csv"
    os.link(source, other)
    code, _, err = invoke("allocate", source, "-b", "5M", "-o", other, "--force")
    assert code == 2
    assert f"{other} is an input file; tilskudd never overwrites its input" in err
    assert source.read_bytes() == Path(SMALL_CSV).read_bytes()
    assert os.path.samefile(source, other)


@pytest.mark.parametrize("option", ["--policy", "--columns"])
def test_the_policy_file_and_column_map_are_never_written_over(tmp_path: Path, option: str) -> None:
    path = tmp_path / "innstillinger.toml"
    text = "[policy]\nmax_award = 1000000\n" if option == "--policy" else '"ID" = "id"\n'
    path.write_text(text, encoding="utf-8")
    code, _, err = invoke(
        "allocate",
        SMALL_CSV,
        "--budget",
        "5M",
        option,
        path,
        "--format",
        "json",
        "-o",
        path,
        "--force",
    )
    assert code == 2
    assert "is an input file; tilskudd never overwrites its input" in err
    assert path.read_text(encoding="utf-8") == text


def test_refusals_to_write_are_said_in_the_language(tmp_path: Path) -> None:
    existing = tmp_path / "tildeling.xlsx"
    existing.write_bytes(b"officer's own file")
    code, _, err = invoke("allocate", SMALL, "--budget", "5M", "-o", existing, "--lang", "nb")
    assert code == 2
    assert err == (
        f"feil: {existing} finnes; bruk --force for å erstatte den, eller velg et annet navn\n"
    )
    assert existing.read_bytes() == b"officer's own file"
    code, _, err = invoke(
        "allocate", SMALL, "--budget", "5M", "-o", SMALL, "--force", "--lang", "nb"
    )
    assert code == 2
    assert "er en innfil; tilskudd skriver aldri over inndataene sine" in err
    code, _, err = invoke(
        "allocate", SMALL, "--budget", "5M", "-o", tmp_path / "ut.txt", "--lang", "nb"
    )
    assert code == 2
    assert err.startswith("feil: kan ikke se utdataformatet for «ut.txt» ut fra filendelsen; bruk")
    code, _, err = invoke("allocate", SMALL, "--budget", "5M", "-o", existing, "--lang", "en")
    assert err == f"error: {existing} exists; use --force to replace it, or choose another name\n"


def test_a_column_map_that_cannot_be_read_is_said_in_the_language(tmp_path: Path) -> None:
    broken = tmp_path / "kart.toml"
    broken.write_text('[columns\n"Søkt" = "requested"\n', encoding="utf-8")
    code, _, err = invoke("check", SMALL, "--columns", broken, "--lang", "nb")
    assert code == 2
    assert err.startswith(f"feil: kolonnekartet {broken} er ikke gyldig TOML: ")
    code, _, err = invoke("allocate", SMALL, "-b", "5M", "--columns", tmp_path, "--lang", "nb")
    assert code == 2
    assert err == (
        f"feil: kolonnekartet {tmp_path} er en mappe. "
        "Oppgi stien til en TOML-fil med en [columns]-tabell.\n"
    )
    # A workbook given as the column map: named as a column map, not a codec's complaint.
    code, _, err = invoke("explain", SMALL, "S-01", "-b", "5M", "--columns", SMALL)
    assert code == 2
    assert err == (
        f"error: the column map {SMALL} is not a text file (a spreadsheet?). Expected "
        "a TOML file with a [columns] table, such as examples/forskningsradet.toml.\n"
    )


def test_a_negative_limit_is_refused_not_an_empty_table() -> None:
    # --limit -3 showed no row at all, and said nothing of the option.
    code, out, err = invoke("allocate", SMALL, "--budget", "5M", "--limit", "-3")
    assert code == 2
    assert "--limit" in err
    assert out == ""
    code, out, _ = invoke("allocate", SMALL, "--budget", "5M", "--limit", "3")
    assert code == 0
    assert "… 7 more not shown" in out


def test_an_unknown_language_names_where_it_was_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('lang = "se"\n[policy]\nrule = "ranked"\n', encoding="utf-8")
    code, _, err = invoke("allocate", SMALL, "--budget", "5M", "--policy", policy)
    assert code == 2
    assert err == f"error: {policy}, line 1: lang: expected nb or en (got 'se')\n"
    monkeypatch.setenv("TILSKUDD_LANG", "sv")
    code, _, err = invoke("check", SMALL)
    assert code == 2
    assert err == (
        "error: TILSKUDD_LANG is set to 'sv', which is not a language tilskudd speaks; set it to "
        "nb or en, or give --lang\n"
    )
    assert invoke("check", SMALL, "--lang", "nb")[0] == 0


def test_explain_says_when_it_explains_a_new_draw_of_the_lottery() -> None:
    args = ("explain", SMALL, "S-05", "-b", "5M", "--rule", "lottery", "--format", "json")
    code, out, err = invoke(*args)
    assert code == 0
    assert json.loads(out)["id"] == "S-05"  # the JSON is whole: the note went to stderr
    assert err.startswith("The lottery's seed was drawn now: ")
    assert "give that run's --seed to explain its decision" in err
    code, _, err = invoke(*args, "--seed", "4")
    assert code == 0
    assert err == ""


def test_allocate_format_without_an_output_file_is_refused() -> None:
    # check --format json prints JSON; allocate --format json printed the table and ignored it.
    code, out, err = invoke("allocate", SMALL, "--budget", "5M", "--format", "json", "--lang", "nb")
    assert code == 2
    assert out == ""
    assert err == (
        "feil: --format json er formatet på filen som -o skriver, og -o er ikke oppgitt: legg til "
        "-o FIL (tildelingstabellen skrives ut uansett)\n"
    )


def test_strict_says_that_the_warnings_stopped_it() -> None:
    # The difi file has one warning (its Sum row): the run stopped (exit code 1) with nothing
    # else said, and the verdict read "No errors" just before the line saying it failed.
    code, out, _ = invoke("allocate", DIFI, "--register", "2009", "-b", "20M", "--strict")
    assert code == 1
    assert out.rstrip().endswith(
        "--strict counts warnings as errors, so nothing was allocated; correct the problems "
        "above, or run without --strict."
    )
    # No "No errors: every application can be allocated." just before it.
    assert "No errors" not in out
    code, out, _ = invoke("check", DIFI, "--register", "2009", "--strict", "--lang", "nb")
    assert code == 1
    assert out.rstrip().endswith(
        "--strict regner advarsler som feil: filen består ikke kontrollen."
    )
    assert "Ingen feil" not in out
    code, out, _ = invoke("check", DIFI, "--register", "2009", "--lang", "nb")
    assert code == 0
    assert "--strict" not in out
    assert "Ingen feil" in out
    # The JSON's verdict is the exit code's (it said "valid": true with exit code 1).
    code, out, _ = invoke("check", DIFI, "--register", "2009", "--strict", "--format", "json")
    assert (code, json.loads(out)["valid"]) == (1, False)
    code, out, _ = invoke("check", DIFI, "--register", "2009", "--format", "json")
    assert (code, json.loads(out)["valid"]) == (0, True)


def test_explain_takes_an_id_as_copied_from_a_cell() -> None:
    # Copying a cell in Excel brings a line break; spaces around an id are never part of it.
    code, out, err = invoke("explain", SMALL, "S-05\r\n", "-b", "5M", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["id"] == "S-05"
    code, _, err = invoke("explain", SMALL, " S-05 ", "-b", "5M", "--no-what-if")
    assert code == 0, err
    # Another case finds it too, as amend, withdraw and history find an award (an id that
    # two of the file's ids match without case is not guessed: tests/test_explain.py).
    code, out, err = invoke("explain", SMALL, "s-05", "-b", "5M", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["id"] == "S-05"
    code, _, err = invoke("explain", SMALL, "s-5", "-b", "5M")
    assert code == 2
    assert "did you mean S-05" in err


def test_a_folder_as_output_is_named_as_a_folder(tmp_path: Path) -> None:
    code, _, err = invoke("allocate", SMALL, "-b", "5M", "-o", tmp_path, "--lang", "nb")
    assert code == 2
    # With a file name in it to give instead, as `-o mappe/` has.
    assert err == (
        f"feil: {tmp_path} er en mappe; oppgi et filnavn, for eksempel {tmp_path}/tildeling.xlsx\n"
    )


def test_output_saved_to_a_file_has_no_spaces_at_the_ends_of_its_lines() -> None:
    # rich pads each table line to the full width; a report pasted into an e-mail or kept in a
    # case file should not carry a hundred spaces on every line.
    code, out, _ = invoke("check", BROKEN)
    assert code == 1
    code2, out2, _ = invoke("allocate", SMALL, "--budget", "5000000", "--lang", "nb")
    assert code2 == 0
    for text in (out, out2):
        lines = text.splitlines()
        assert len(lines) > 10
        assert [line for line in lines if line != line.rstrip()] == []
    assert "Søknader!C3" in out  # the content is all there


def test_trimmed_lines_keep_spaces_inside_a_line_written_in_pieces() -> None:
    import io

    from tilskudd.cli.common import _TrimmedLines

    sink = io.StringIO()
    stream = _TrimmedLines(sink)
    for piece in ["a  ", "  b   ", "\n", "c ", " \nd", "   "]:
        stream.write(piece)
    assert sink.getvalue() == "a    b\nc\nd"


def test_a_sheet_in_the_old_numbering_is_said_once_after_its_problems() -> None:
    # The Difi 2009 sheet checked against today's numbering: 117 cells say --register 2009.
    code, out, _ = invoke("check", DIFI, "--lang", "nb", "--limit", "0")
    assert code == 1
    said = " ".join(out.split())
    assert (
        "Stedene i arket ser ut til å følge 2009-inndelingen: 117 feil gjelder kommuner og fylker"
        " som er der, men ikke i 2024-inndelingen. 66 av de 66 ugyldige søknadene har ingen"
        " annen feil. Bruk --register 2009 hvis arket følger 2009-inndelingen." in said
    )
    code, out, _ = invoke("check", DIFI, "--format", "json")
    assert json.loads(out)["register_mismatch"] == {
        "register": "2024",
        "other_register": "2009",
        "errors": 117,
        "invalid_for_that_only": 66,
        "invalid": 66,
    }
    code, out, _ = invoke("check", DIFI, "--register", "2009", "--format", "json")
    assert code == 0
    assert json.loads(out)["register_mismatch"] is None


def test_allocate_says_it_again_under_the_award_list(tmp_path: Path) -> None:
    code, out, _ = invoke("allocate", DIFI, "--budget", "20M", "--dry-run")
    assert code == 0
    said = " ".join(out.split())
    hint = "The places in the sheet seem to follow the 2009 numbering"
    assert said.count(hint) == 2  # after the problems, and again after the award list
    assert said.rindex(hint) > said.index("receive")  # the summary sentence comes before
    code, out, _ = invoke("allocate", DIFI, "--budget", "20M", "--register", "2009", "--dry-run")
    assert code == 0
    assert hint not in " ".join(out.split())


def test_a_rejected_applications_organisation_number_is_in_every_export(tmp_path: Path) -> None:
    # F-04 in broken.xlsx is rejected for another cell; its organisation number was valid.
    outputs = {suffix: tmp_path / f"out.{suffix}" for suffix in ("xlsx", "json", "csv")}
    for path in outputs.values():
        code, out, err = invoke("allocate", BROKEN, "--budget", "1M", "-o", path)
        assert code == 0, out + err
    book = openpyxl.load_workbook(outputs["xlsx"], read_only=True)
    rows = [list(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    header = rows[0]
    f04 = next(r for r in rows if r[header.index("ID")] == "F-04")
    assert f04[header.index("Org. no.")] == "914692687"
    data = json.loads(outputs["json"].read_text(encoding="utf-8"))
    by_id = {a["id"]: a for a in data["applications"]}
    assert (by_id["F-04"]["valid"], by_id["F-04"]["orgnr"]) == (False, "914692687")
    assert by_id["F-02"]["orgnr"] is None  # its cell was the problem
    assert "F-04" in next(
        line
        for line in outputs["csv"].read_text(encoding="utf-8-sig").splitlines()
        if "914692687" in line
    )


def _cells(block: list[str], header: str) -> dict[str, str]:
    """Each application's cell under ``header`` in a printed award table, its wrapped lines
    joined: {"S-02": "Trondheim - Tråante"} (a cell ends where two spaces do)."""
    start = block[0].index(header)
    cells: dict[str, list[str]] = {}
    current = None
    for line in block[1:]:
        words = line.split()
        if len(words) > 1 and words[1].startswith("S-"):
            current = words[1]
        elif not line.startswith(" "):
            current = None
        if current is not None and line[start : start + 1].strip():
            cells.setdefault(current, []).extend(line[start:].split("  ")[0].split())
    return {key: " ".join(words) for key, words in cells.items()}


def test_the_readme_shows_what_allocate_prints_for_the_small_round() -> None:
    # The README's first example named Trondheim where the table says "Trondheim - Tråante",
    # and split words the terminal never splits ("tilskudds-berettigede").
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    command = (
        "$ tilskudd allocate examples/small.xlsx --budget 5000000"
        ' --max-share-of-cost "20 %" --lang nb\n'
    )
    shown = readme[readme.index(command) + len(command) :].split("\n```", 1)[0].splitlines()
    code, out, _ = invoke(
        "allocate", SMALL, "--budget", "5000000", "--max-share-of-cost", "20 %", "--lang", "nb"
    )
    assert code == 0
    printed = [line for line in out.splitlines() if not line.startswith("─")]
    places, said = _cells(printed, "Kommuner"), _cells(printed, "Begrunnelse")
    readme_places = _cells(shown, "Kommuner")
    assert sorted(readme_places) == ["S-01", "S-02", "S-05"]
    for key, reason in _cells(shown, "Begrunnelse").items():
        assert said[key].startswith(reason.rstrip(" …")), key
        assert places[key] == readme_places[key], key
    assert [line.split() for line in shown[-2:]] == [line.split() for line in printed[-2:]]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "numbering. The invalid application has no other error. Use --register 2009"),
        ("nb", "inndelingen. Den ugyldige søknaden har ingen annen feil. Bruk --register 2009"),
    ],
)
def test_one_invalid_application_in_the_old_numbering_is_not_one_of_one(
    tmp_path: Path, lang: str, words: str
) -> None:
    # Three old numbers in the one application of a sheet said "1 of the 1 invalid
    # applications has no other error".
    sheet = tmp_path / "one.csv"
    sheet.write_text("ID;Applicant;Municipalities;Requested\nA;a;0104, 0105, 0106;1000\n")
    code, out, _ = invoke("check", sheet, "--lang", lang)
    assert code == 1
    assert words in " ".join(out.split())


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--weight", "score"], ["--weight is read by the proportional rule only"]),
        (
            ["--rule", "proportional", "--seed", "7", "--objective", "count"],
            [
                "--objective is read by the optimal rule only; it changes nothing with "
                "proportional.",
                "--seed is read by the lottery rule only; it changes nothing with proportional.",
            ],
        ),
    ],
)
def test_an_option_another_rule_reads_is_said_to_change_nothing(
    args: list[str], said: list[str]
) -> None:
    """--weight score with the default ranked rule was accepted without a word, and the
    officer could believe the awards were weighted by score (found by helper hK)."""
    code, out, _ = invoke("allocate", SMALL, "--budget", "5M", *args, "--lang", "en")
    assert code == 0
    for text in said:
        assert text in out
    code, out, _ = invoke(
        "allocate", SMALL, "--budget", "5M", "--rule", "proportional", "--weight", "score"
    )
    assert code == 0
    assert "is read by the" not in out


def test_a_setting_other_rules_read_is_said_to_change_nothing(tmp_path: Path) -> None:
    """A reserve list or a choice at the funding line with the proportional rule (which has
    neither), from the options or the policy file, was taken without a word; a setting of
    the file at its default is not said, nor one an option overrides."""
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[policy]\nreserve = 5\nat_line = "partial"\nweight = "none"\nlottery_band = "0,5"\n',
        encoding="utf-8",
    )
    code, out, _ = invoke(
        "allocate",
        SMALL,
        "--budget",
        "5M",
        "--policy",
        policy,
        "--rule",
        "proportional",
        "--at-line",
        "stop",
        "--limit",
        "1",
        "--lang",
        "nb",
    )
    assert code == 0
    said = " ".join(out.split())
    for line in (
        "--at-line leses bare av reglene ranked og lottery; det endrer ingenting med proportional.",
        f"reserve ({policy}, linje 2) leses bare av reglene ranked, optimal og lottery; det "
        "endrer ingenting med proportional.",
        f"lottery_band ({policy}, linje 5) leses bare av regelen lottery; det endrer "
        "ingenting med proportional.",
    ):
        assert line in said
    assert said.count("leses bare av") == 3  # not at_line (the option's) nor weight (default)
    code, out, _ = invoke(
        "allocate", SMALL, "--budget", "5M", "--reserve", "2", "--rule", "optimal"
    )
    assert code == 0
    assert "--reserve is read by" not in out
    code, out, _ = invoke("allocate", SMALL, "--budget", "5M", "--policy", policy, "--limit", "1")
    assert code == 0
    said = " ".join(out.split())
    assert said.count("is read by") == 1
    assert (
        f"lottery_band ({policy}, line 5) is read by the lottery rule only; it changes nothing "
        "with ranked."
    ) in said


def test_a_policy_file_is_read_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """allocate read its policy file twice (once for its language, once for its policy)."""
    import tilskudd.policyfile as policyfile

    policy = tmp_path / "policy.toml"
    policy.write_text('lang = "nb"\n[policy]\nmax_share_of_cost = "20 %"\n', encoding="utf-8")
    reads: list[Path] = []
    read = policyfile.read_policy

    def counted(path: Path) -> policyfile.PolicyFile:
        reads.append(path)
        return read(path)

    monkeypatch.setattr(policyfile, "read_policy", counted)
    code, out, _ = invoke("allocate", SMALL, "--budget", "5M", "--policy", policy, "--limit", "1")
    assert code == 0
    assert "Ramme: 5 000 000 kr" in out.replace("\u00a0", " ")
    assert reads == [policy]


def test_explain_says_on_stderr_that_an_option_another_rule_reads_changes_nothing() -> None:
    code, out, err = invoke(
        "explain", SMALL, "S-05", "--budget", "5M", "--weight", "score", "--lang", "en"
    )
    assert code == 0
    assert "--weight is read by the proportional rule only" in err
    assert "--weight is read by" not in out


def test_a_sheet_name_ending_in_a_space_shows_it_wherever_check_names_the_sheet(
    tmp_path: Path,
) -> None:
    """The UK grant awards' sheet is 'GGIS_Grant_Awards_2016_to_2017 ': check's first line
    read 'sheet GGIS_Grant_Awards_2016_to_2017  · header in row 1', the space lost in a
    double one. The name is quoted as a formula quotes it, in the line and in each cell."""
    path = tmp_path / "spaced.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader "
    sheet.append(["ID", "Søker", "Omsøkt beløp", "Poeng"])
    sheet.append(["S-1", "A", 100_000, 5])
    sheet.append(["S-2", "B", "mye", 4])
    book.save(path)
    code, out, _ = invoke("check", path, "--lang", "en")
    assert code == 1
    said = " ".join(out.split())
    assert "spaced.xlsx · sheet 'Søknader ' · header in row 1 ·" in said
    assert "'Søknader '!C3" in said
    code, out, _ = invoke("check", path, "--format", "json")
    (problem,) = json.loads(out)["issues"]
    assert (problem["sheet"], problem["cell"]) == ("Søknader ", "'Søknader '!C3")


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            "error: --budget: '1G' is not read as an amount: G may be the National Insurance "
            "basic amount (grunnbeløpet) or giga, a billion; expected whole kroner: write 1 mrd "
            "for billions, or the amount in kroner",
        ),
        (
            "nb",
            "feil: --budget: «1G» leses ikke som et beløp: G kan være grunnbeløpet i "
            "folketrygden eller giga, milliard; forventet hele kroner: skriv 1 mrd for "
            "milliarder, eller beløpet i kroner",
        ),
    ],
)
def test_budget_1g_is_refused_saying_what_g_may_mean(lang: str, said: str) -> None:
    # "--budget 1G" was "not an amount" while 1 mrd and 20M are. It is not read as a billion:
    # in Norwegian amounts G is the basic amount (grunnbeløpet), "2 G" a common cap.
    code, _, err = invoke("allocate", SMALL, "--budget", "1G", "--lang", lang)
    assert code == 2
    assert " ".join(err.split()) == said
    code, _, err = invoke("check", SMALL, "--budget", "1G", "--lang", lang)
    assert code == 2
    assert " ".join(err.split()) == said


def test_the_guide_names_the_workbook_that_lists_one_problem_per_cell(tmp_path: Path) -> None:
    # docs/veiledning.md said "`--format json` og arbeidsboken har ett problem per celle" in the
    # section on check, which writes no workbook; the list is the Grunnlag sheet of allocate -o.
    guide = (EXAMPLES.parent / "docs" / "veiledning.md").read_text(encoding="utf-8")
    section = guide.split("## 1. Kontroller filen", 1)[1].split("\n## ", 1)[0]
    said = " ".join(section.split("ett problem")[0].split("\n")[-2:])
    assert "`allocate -o`" in said
    assert "Grunnlag" in said
    # What it says holds: the id F-15 on rows 17 and 18 is one line in the terminal, and one
    # problem per cell in the JSON and in the Grunnlag sheet.
    code, out, _ = invoke("check", BROKEN, "--format", "json")
    assert code == 1
    cells = [issue["cell"] for issue in json.loads(out)["issues"]]
    assert {"Søknader!A17", "Søknader!A18"} <= set(cells)
    awards = tmp_path / "t.xlsx"
    code, _, err = invoke("allocate", BROKEN, "--budget", "1000000", "-o", awards, "--lang", "nb")
    assert code == 0, err
    listed = [row[0] for row in openpyxl.load_workbook(awards)["Grunnlag"].values]
    assert listed.count("Søknader!A17") == listed.count("Søknader!A18") == 1

    def one_cell(place: object) -> bool:
        return isinstance(place, str) and re.fullmatch(r"Søknader![A-Z]+\d+", place) is not None

    assert sorted(filter(one_cell, listed)) == sorted(filter(one_cell, cells))
    code, _, _ = invoke("check", BROKEN, "-o", tmp_path / "c.xlsx")
    assert code == 2
