"""tilskudd against real public data nobody on this project wrote (../shared/realdata).

The data stays beside the checkout (its own sources and licences); where it is absent these
tests skip and say so.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.errors import InputFileError
from tilskudd.export import write
from tilskudd.models import ORG_ID_COLUMN, Application, Policy
from tilskudd.pipeline import read_applications, run_round
from tilskudd.reading import load_column_map
from tilskudd.wording import column_header

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
FORSKNINGSRADET = REALDATA / "grants" / "forskningsradet_soknader2_sample.csv"
WAWER = REALDATA / "pabulib" / "Poland_Warszawa_2022_Wawer.pb"


def needs(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"real data {path.name} is not beside this checkout ({path.parent})")


def test_research_council_applications_validate_as_published() -> None:
    """171 real applications to the Research Council of Norway (NLOD), with a column map."""
    needs(FORSKNINGSRADET)
    checked = read_applications(
        FORSKNINGSRADET, columns=load_column_map(ROOT / "examples" / "forskningsradet.toml")
    )
    assert len(checked.applications) + len(checked.rejected) == 171
    # One application asks for 0 kr: the only error.
    assert [(i.code, i.location.cell if i.location else None) for i in checked.errors] == [
        ("validate.amount_zero", "AO90")
    ]
    # Every municipality number in the file is valid in the current numbering.
    assert not [i for i in checked.issues if "municipalit" in i.code]
    assert all(len(a.municipalities) <= 1 for a in checked.applications)
    # University units without an organisation number of their own are written as "0".
    placeholders = [i for i in checked.warnings if i.code == "validate.orgnr_placeholder"]
    assert len(placeholders) == 49


@pytest.mark.parametrize(
    ("application", "other", "lang", "said"),
    [
        ("225891", "226025", "en", "Row 117 has the same organisation number (996413551)"),
        ("226025", "225891", "nb", "Rad 17 har samme organisasjonsnummer (996413551)"),
    ],
)
def test_explain_says_the_research_council_project_is_on_two_rows(
    application: str, other: str, lang: str, said: str
) -> None:
    """Rows 17 and 117 hold the same project (Oilfield Scale Control, 996413551) under two
    project numbers; check warns of it, and explain said nothing of the other row."""
    needs(FORSKNINGSRADET)
    result = CliRunner().invoke(
        app,
        [
            "explain", str(FORSKNINGSRADET), application,
            "--columns", str(ROOT / "examples" / "forskningsradet.toml"),
            "--rule", "proportional", "--budget", "100M", "--lang", lang, "--format", "json",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (duplicate,) = data["duplicates"]
    assert (duplicate["id"], duplicate["orgnr"]) == (other, "996413551")
    assert said in data["text"]
    # The other row named as the lists name it, its project title and id.
    (named,) = [o for o in data["others"] if o["id"] == other]
    assert f": {'application' if lang == 'en' else 'søknad'} {named['name']}, " in data["text"]
    assert named["name"].endswith(f" ({other})")
    assert (duplicate["project"], duplicate["applicant"]) == (named["project"], named["applicant"])


def test_explain_of_a_rejected_row_says_its_twin_as_a_paragraph_of_its_own() -> None:
    """Read without a score column the default rule rejects every row: the problems are
    listed one a line, and the other row is said after them as sentences, not a problem."""
    needs(FORSKNINGSRADET)
    result = CliRunner().invoke(
        app,
        [
            "explain", str(FORSKNINGSRADET), "225891",
            "--columns", str(ROOT / "examples" / "forskningsradet.toml"),
            "--budget", "100M", "--lang", "nb",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    last = result.stdout.split("\n\n")[-1]
    assert " ".join(last.split()) == (
        "Rad 117 har samme organisasjonsnummer (996413551) og prosjekttittel: søknad "
        "PETROLEUMSOFT AS – Oilfield Scale Control to Maximize Oil and Gas Production (226025), "
        "avvist. Står søknaden der mer enn én gang?"
    )


def _wawer_csv(tmp_path: Path) -> tuple[Path, set[str], int]:
    text = WAWER.read_text(encoding="utf-8")
    meta = text.split("META\n")[1].split("PROJECTS\n")[0]
    budget = int(
        next(line.split(";")[1] for line in meta.splitlines() if line.startswith("budget;"))
    )
    section = text.split("PROJECTS\n")[1].split("VOTES\n")[0]
    projects = list(csv.DictReader(io.StringIO(section), delimiter=";"))
    path = tmp_path / "wawer.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["ID", "Project", "Requested", "Score"])
        for project in projects:
            writer.writerow([project["project_id"], project["name"], project["cost"],
                             project["votes"]])  # fmt: skip
    selected = {p["project_id"] for p in projects if p["selected"] == "1"}
    return path, selected, budget


def test_ranked_rule_reproduces_warsaw_wawer_2022(tmp_path: Path) -> None:
    """Participatory budget of Warsaw-Wawer 2022 (pabulib): 111 projects, greedy by votes.

    The city funded projects by votes, passing over those that no longer fit; tilskudd's
    `ranked` rule with `at_line = "skip"` and votes as the score picks the same 19 projects.
    """
    needs(WAWER)
    path, selected, budget = _wawer_csv(tmp_path)
    result = run_round(read_applications(path), budget, Policy())
    funded = {d.application_id for d in result.allocation.decisions if d.amount > 0}
    assert funded == selected
    assert len(funded) == 19
    allocation = result.allocation
    assert allocation.budget == allocation.awarded + allocation.unallocated

    # The same through the command line, as an officer would run it.
    out = tmp_path / "wawer.json"
    cli = CliRunner().invoke(app, ["allocate", str(path), "--budget", str(budget), "-o", str(out)])
    assert cli.exit_code == 0, cli.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {a["id"] for a in data["applications"] if a["amount"] > 0} == selected


USTER = REALDATA / "grants" / "uster_kulturfoerderung.csv"


def test_uster_culture_grants_report_their_real_flaws_and_nothing_else(tmp_path: Path) -> None:
    """485 culture grants of the Swiss town of Uster, as published (UTF-8 with a BOM, no id;
    the data's own README says 487, counting lines).

    What is wrong in the file is said once each: three titles with quotation marks inside a
    quoted cell (not doubled, so the cells after them shift), six amounts with fractions of a
    franc (a sum split three ways), and one warning that the ids are made from row numbers.
    Two titles have a line break in them, so rows and lines differ by two at the end.
    """
    needs(USTER)
    columns = tmp_path / "uster.toml"
    columns.write_text(
        '[columns]\n"Gesuchssteller" = "applicant"\n"Projekt" = "project"\n'
        '"FoerderbeitragCHF" = "requested"\n"Foerderbereich" = "category"\n',
        encoding="utf-8",
    )
    checked = read_applications(USTER, columns=load_column_map(columns), currency="CHF")
    assert len(checked.applications) == 476
    assert len(checked.rejected) == 9
    found = sorted(
        (i.location.row or 0, i.code, i.params.get("line"))
        for i in checked.errors
        if i.location is not None
    )
    fractions = [(row, "validate.amount_fraction_ore", None) for row in range(437, 443)]
    quotes = [(476, 478), (479, 481), (486, 488)]
    # A row with a quotation mark out of place gets that error alone: the amount its shifted
    # cells put in the amount column is a knock-on, not a flaw of its own.
    shifted = [(row, "read.csv_quote_stray", line) for row, line in quotes]
    assert found == sorted(fractions + shifted)
    assert [(i.code, i.params) for i in checked.warnings] == [
        ("validate.id_column_missing", {"first": "R2", "last": "R486"})
    ]


UK_SAMPLE = REALDATA / "grants" / "uk_government_grant_awards_2016-17_sample200.csv"


def test_a_360giving_file_names_its_applicants(tmp_path: Path) -> None:
    """UK government grant awards in the 360Giving layout (OGL v3.0): the recipient is the
    applicant. 'Recipient Org:Name' was read as an unknown column, so every application had
    no applicant; the same held for tilskudd's own --format 360giving file read back."""
    needs(UK_SAMPLE)
    columns = tmp_path / "uk.toml"
    columns.write_text('[columns]\n"Amount Awarded" = "requested"\n', encoding="utf-8")
    checked = read_applications(UK_SAMPLE, columns=load_column_map(columns))
    with UK_SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        names = {row["Identifier"]: row["Recipient Org:Name"] for row in csv.DictReader(handle)}
    assert checked.applications
    for application in checked.applications:
        assert application.applicant == names[application.id].strip()
    # The awards are in pounds: said once, for the Currency column, since tilskudd counts kroner.
    (currency,) = [i for i in checked.issues if i.code == "validate.currency_not_kroner"]
    assert currency.params["currencies"] == ["GBP"]
    # GB-… identifiers and UK geography codes are not Norwegian orgnrs and places: read as
    # empty, one warning for each column, not an orgnr error on all 182 other rows.
    places = [i for i in checked.issues if i.field in ("orgnr", "municipalities", "county")]
    assert [(i.code, i.field) for i in places] == [
        ("validate.open_data_not_norwegian", "orgnr"),
        ("validate.open_data_not_norwegian", "municipalities"),
    ]
    assert {(a.orgnr, a.municipalities) for a in checked.applications} == {(None, ())}


def test_a_uk_funders_grants_published_again_keep_their_360giving_ids(tmp_path: Path) -> None:
    """The UK government's grant ids (360G-cabinetoffice-GA-060679) are 360Giving identifiers
    already: published again through --format 360giving they were written
    360G-tilskudd-360G-cabinetoffice-GA-060679, an id of no publisher; now as they are."""
    from tilskudd.export.giving360 import rows

    needs(UK_SAMPLE)
    columns = tmp_path / "uk.toml"
    columns.write_text('[columns]\n"Amount Awarded" = "requested"\n', encoding="utf-8")
    checked = read_applications(UK_SAMPLE, columns=load_column_map(columns))
    result = run_round(checked, 10_000_000, Policy(rule="proportional"))
    grants = rows(result, funder="X")
    ids = {a.id for a in checked.applications}
    assert grants
    assert all(g["Identifier"] in ids for g in grants)
    assert all(g["Identifier"].startswith("360G-cabinetoffice-") for g in grants)


def test_uk_grants_in_a_round_of_pounds_are_published_in_pounds(tmp_path: Path) -> None:
    """The same UK awards in a round counted in pounds (--currency GBP): their Currency column
    is the round's, so no warning, and the publication lists are written, in pounds."""
    needs(UK_SAMPLE)
    columns = tmp_path / "uk.toml"
    columns.write_text('[columns]\n"Amount Awarded" = "requested"\n', encoding="utf-8")
    out = tmp_path / "grants.csv"
    options = ["--columns", str(columns), "--budget", "10000000", "--rule", "proportional"]
    publish = ["-o", str(out), "--format", "360giving", "--funder", "X", "--currency", "GBP"]
    result = CliRunner().invoke(app, ["allocate", str(UK_SAMPLE), *options, *publish])
    assert result.exit_code == 0, result.output
    assert "Norwegian kroner" not in result.stdout
    assert "GBP\u00a010,000,000" in result.stdout
    with out.open(encoding="utf-8", newline="") as handle:
        grants = list(csv.DictReader(handle))
    assert grants
    assert {g["Currency"] for g in grants} == {"GBP"}
    assert sum(int(g["Amount Awarded"]) for g in grants) == 10_000_000


UK_AWARDS = REALDATA / "grants" / "uk_government_grant_awards_2016-17.xlsx"


def _uk_awards(tmp_path: Path) -> Any:
    needs(UK_AWARDS)
    columns = tmp_path / "uk.toml"
    columns.write_text('[columns]\n"Amount Awarded" = "requested"\n', encoding="utf-8")
    return read_applications(UK_AWARDS, columns=load_column_map(columns))


def test_one_universitys_vat_number_with_and_without_a_space_is_said(tmp_path: Path) -> None:
    """Manchester Metropolitan University is GB 108260441 on one award and GB108260441 on
    another: a publisher's own code, compared as given, so two organisations, now with the one
    warning that names them (and no other identifier of the file's 3 351)."""
    checked = _uk_awards(tmp_path)
    (variants,) = [i for i in checked.issues if i.code == "validate.org_id_variants"]
    assert variants.params["examples"] == ["GB 108260441", "GB108260441"]
    assert variants.params["count"] == 2


def test_the_uk_grant_codes_given_as_recipients_are_no_org_ids(tmp_path: Path) -> None:
    """The UK government's awards of 2016-17 give 111 grant codes as the recipient's
    identifier (SP-G16-A07-03: no country SP, no list G16); they passed as org-ids in
    org-id.guide's form, were said to be each recipient's own and published as such. No
    identifier in the file is an org-id: every one is another register's id, said once."""
    checked = _uk_awards(tmp_path)
    orgs = [i for i in checked.issues if i.field == "orgnr"]
    assert [(i.code, i.params["count"], i.params["total"]) for i in orgs] == [
        ("validate.open_data_not_norwegian", 3351, 3351),
        # GB 108260441 and GB108260441 (test_one_universitys_vat_number_...)
        ("validate.org_id_variants", 2, 3351),
    ]
    carried = {a.extra["Recipient Org:Identifier"] for a in checked.applications}
    assert "SP-G16-A07-03" in carried


def test_the_uk_recipients_with_several_grants_are_capped_as_one(tmp_path: Path) -> None:
    """per_applicant_max on the UK government's awards of 2016-17: no recipient has a Norwegian
    organisation number, so the cap applied to none (a note said so) and Transport for London
    (E5104X) could take all of its 1 494 536 773 requested. The file's own identifier of the
    recipient counts as the organisation: every one is held to the cap."""
    from collections import defaultdict

    checked = _uk_awards(tmp_path)
    cap = 1_000_000
    result = run_round(checked, 10**12, Policy(rule="proportional", per_applicant_max=cap))
    amount = {d.application_id: d.amount for d in result.allocation.decisions}
    requested: dict[str | None, int] = defaultdict(int)
    awarded: dict[str | None, int] = defaultdict(int)
    grants: dict[str | None, int] = defaultdict(int)
    for application in checked.applications:
        requested[application.organisation] += application.requested
        awarded[application.organisation] += amount[application.id]
        grants[application.organisation] += 1
    # Every grant names its recipient but one, whose identifier is "Unknown": a placeholder,
    # not an organisation to hold other unknown recipients' grants to one cap.
    (unknown,) = [a for a in checked.applications if a.organisation is None]
    assert unknown.extra[ORG_ID_COLUMN] == "Unknown"
    assert grants[None] == 1
    assert sum(1 for count in grants.values() if count > 1) > 100
    assert max(awarded.values()) == cap
    # Where an organisation asked for more than the cap it got the cap, in the ample budget.
    over = [org for org, asked in requested.items() if asked > cap]
    assert len(over) > 100
    assert {awarded[org] for org in over} == {cap}
    assert (grants["E5104X"], awarded["E5104X"]) == (7, cap)
    (note,) = [n for n in result.allocation.notes if "per_applicant_unknown" in n.code]
    assert note.params["ids"] == [unknown.id]
    assert result.allocation.budget == result.allocation.awarded + result.allocation.unallocated


@pytest.mark.parametrize(
    ("lang", "ways"),
    [
        ("en", "map it with --columns (a line such as \"Its header\" = \"score\"); otherwise "
         "allocate with --rule proportional, which needs neither."),
        ("nb", "kobler du den til med --columns (en linje som \"Overskriften\" = \"score\"); "
         "ellers fordeler du med --rule proportional, som ikke trenger den."),
    ],
)  # fmt: skip
def test_the_uk_awards_as_a_one_off_round_say_the_rule_that_needs_no_score(
    tmp_path: Path, lang: str, ways: str
) -> None:
    """The UK government's awards of 2016-17 as a round in pounds, as README reads them: the
    file has no score, and allocate (ranked by default) rejected every row for the missing
    column without saying what would allocate it. It says both ways on, and the one that
    needs no score allocates the round to the pound."""
    needs(UK_AWARDS)
    columns = tmp_path / "uk.toml"
    columns.write_text('[columns]\n"Amount Awarded" = "requested"\n', encoding="utf-8")
    args = [str(UK_AWARDS), "--columns", str(columns), "--currency", "GBP", "--budget", "£10M"]
    ranked = CliRunner().invoke(
        app, ["allocate", *args, "--dry-run", "--lang", lang], env={"COLUMNS": "200"}
    )
    assert ways in " ".join(ranked.stdout.split())
    out = tmp_path / "uk.json"
    shared = CliRunner().invoke(
        app, ["allocate", *args, "--rule", "proportional", "-o", str(out), "--lang", lang]
    )
    assert shared.exit_code == 0, shared.output
    data = json.loads(out.read_text(encoding="utf-8"))
    total = sum(a["amount"] or 0 for a in data["applications"])
    assert total == data["awarded"] == 10_000_000 - data["unallocated"]
    assert data["currency"] == "GBP"


def test_tilskudds_own_360giving_file_reads_back_as_the_round_it_came_from() -> None:
    """examples/output/360giving.csv (the Difi round's awards): every award's id (written
    360G-tilskudd-difi2009-<id>), applicant, orgnr (written NO-BRC-<orgnr>), municipalities and
    counties (written as numbers joined by '; ') read back as the round's own; the orgnrs and
    places were errors on every row, and the ids were read with the grant prefix, so that
    2009-013 read back as 360G-tilskudd-difi2009-2009-013, an id the ledger does not know."""
    own = read_applications(ROOT / "examples" / "output" / "360giving.csv", register="2009")
    source = read_applications(ROOT / "examples" / "difi_2009_runde1.xlsx", register="2009")
    assert own.issues == ()
    assert not own.rejected

    def places(apps: Sequence[Application]) -> dict[str, tuple[Any, ...]]:
        return {
            a.id: (
                a.applicant,
                a.orgnr,
                a.municipalities,
                a.counties,
            )
            for a in apps
        }

    read_back = places(own.applications)
    assert len(read_back) == 53
    assert read_back == {k: v for k, v in places(source.applications).items() if k in read_back}
    assert sum(1 for _, orgnr, _, _ in read_back.values() if orgnr) == 53
    assert sum(1 for _, _, municipalities, _ in read_back.values() if not municipalities) >= 1


PABULIB = sorted((REALDATA / "pabulib").glob("*.pb")) if (REALDATA / "pabulib").exists() else []


def _pabulib_outcome(path: Path) -> tuple[dict[str, str], set[str] | None]:
    """A pabulib file's META (key -> value) and the projects it marks ``selected``, the city's
    real outcome (None: the file has no such column)."""
    text = path.read_text(encoding="utf-8")
    meta = dict(line.split(";", 1) for line in text.split("PROJECTS\n")[0].splitlines()[2:])
    section = text.split("PROJECTS\n")[1].split("VOTES\n")[0]
    projects = list(csv.DictReader(io.StringIO(section), delimiter=";"))
    if not projects or "selected" not in projects[0]:
        return meta, None
    return meta, {p["project_id"] for p in projects if p["selected"].strip() == "1"}


@pytest.mark.parametrize("path", PABULIB, ids=lambda p: p.stem)
def test_ranked_picks_what_the_city_selected_by_its_greedy_rule(path: Path, tmp_path: Path) -> None:
    """Each real pabulib file whose city funded by votes, passing over what no longer fitted
    (META ``rule;greedy``), and which records the projects it ``selected``: tilskudd's default
    rule, ``ranked``, on the .pb file as an officer runs it (examples/pabulib.toml, the file's
    own budget and currency) funds exactly those projects.

    The others say why they are not compared: Budapest VIII 2022's rule is ``unknown`` (and
    its file has the online votes only, half of them; the next test finds its rule); Toulouse's
    and Amsterdam's files record no outcome."""
    needs(path)
    meta, selected = _pabulib_outcome(path)
    if meta.get("rule") != "greedy":
        pytest.skip(f"{path.stem}: META rule is {meta.get('rule')!r}, not greedy")
    if selected is None:
        pytest.skip(f"{path.stem}: no 'selected' column, the city's outcome is not recorded")
    budget = str(int(Decimal(meta["budget"])))
    out = tmp_path / "awards.json"
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(path), "--columns", str(ROOT / "examples" / "pabulib.toml"),
            "--budget", budget, "--currency", meta["currency"], "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    funded = {a["id"] for a in data["applications"] if a["amount"] > 0}
    assert funded == selected
    assert data["budget"] == data["awarded"] + data["unallocated"] == int(budget)


def test_budapests_selection_is_greedy_by_votes_within_each_neighbourhood(tmp_path: Path) -> None:
    """Budapest VIII 2022's META gives its rule as ``unknown``, and ``ranked`` on the budget as
    one pool funds 18 projects, 5 the city did not select, and leaves out 3 it did. The file
    has each project's ``neighborhood`` (1, 2 or 3): with it as the category and each capped at
    what the city gave it (HUF 40.6, 36 and 46 million; the caps are read off the selection,
    the file states none), ``ranked`` funds exactly the 16 selected. So the city's choice is
    greedy by these (online only) votes within each neighbourhood: a rule tilskudd has, as
    quotas, not a difference in how it ranks."""
    needs(BUDAPEST)
    meta, selected = _pabulib_outcome(BUDAPEST)
    assert meta["rule"] == "unknown"
    assert selected is not None
    columns = tmp_path / "map.toml"
    columns.write_text(
        '[columns]\n"cost" = "requested"\n"votes" = "score"\n"name" = "project"\n'
        '"neighborhood" = "category"\n',
        encoding="utf-8",
    )
    caps = {"1": 40_600_000, "2": 36_000_000, "3": 46_000_000}
    policy = tmp_path / "policy.toml"
    policy.write_text(
        "[policy]\n"
        + "".join(
            f'[[policy.quotas]]\nby = "category"\nvalue = "{n}"\nmax_amount = {cap}\n'
            for n, cap in caps.items()
        ),
        encoding="utf-8",
    )
    options = ["--columns", str(columns), "--currency", "HUF", "--budget", meta["budget"]]

    def funded(*more: str) -> set[str]:
        out = tmp_path / "awards.json"
        result = CliRunner().invoke(
            app, ["allocate", str(BUDAPEST), *options, *more, "-o", str(out), "--force"]
        )
        assert result.exit_code == 0, result.output
        data = json.loads(out.read_text(encoding="utf-8"))
        return {a["id"] for a in data["applications"] if a["amount"] > 0}

    one_pool = funded()
    assert (len(one_pool - selected), len(selected - one_pool)) == (5, 3)
    assert sum(caps.values()) == int(meta["budget"])
    assert funded("--policy", str(policy)) == selected


@pytest.mark.parametrize("path", PABULIB, ids=lambda p: p.stem)
def test_a_pabulib_file_reads_as_its_projects_and_not_its_votes(path: Path, tmp_path: Path) -> None:
    """Each pabulib file (META, PROJECTS, VOTES) read as it is, with a column map for its cost,
    votes and name: its projects, exactly as many as its META says, and not the table of votes
    under them (Amsterdam 166 read as 480 applications, 42 voters asking for a project's
    number in kroner)."""
    needs(path)
    meta = dict(
        line.split(";", 1)
        for line in path.read_text(encoding="utf-8").split("PROJECTS\n")[0].splitlines()[2:]
    )
    columns = tmp_path / "pabulib.toml"
    columns.write_text(
        '[columns]\n"cost" = "requested"\n"votes" = "score"\n"name" = "project"\n',
        encoding="utf-8",
    )
    checked = read_applications(path, columns=load_column_map(columns))
    assert len(checked.applications) == int(meta["num_projects"])
    assert checked.rejected == ()
    assert [i.code for i in checked.issues if i.is_error] == []
    assert "read.other_table_skipped" in [i.code for i in checked.warnings]


_USTER_MAP = (
    '"Gesuchssteller" = "applicant"\n"Projekt" = "project"\n'
    '"FoerderbeitragCHF" = "requested"\n"Foerderbereich" = "category"\n'
)
_UK_MAP = '"Amount Awarded" = "requested"\n'
_PABULIB_MAP = '"cost" = "requested"\n"votes" = "score"\n"name" = "project"\n'
_EXAMPLES = ROOT / "examples"
# Each file, its column map, the budget it is run with (None: the round's own total) and its
# numbering.
_ROUNDS: list[tuple[Path, str | None, int | None, str]] = [
    (FORSKNINGSRADET, "forskningsradet.toml", 100_000_000, "2024"),
    (USTER, _USTER_MAP, None, "2024"),
    (UK_SAMPLE, _UK_MAP, None, "2024"),
    (REALDATA / "grants" / "uk_government_grant_awards_2016-17.xlsx", _UK_MAP, None, "2024"),
    (_EXAMPLES / "small.xlsx", None, 5_000_000, "2024"),
    (_EXAMPLES / "small.csv", None, 5_000_000, "2024"),
    (_EXAMPLES / "difi_2009_runde1.xlsx", None, 20_000_000, "2009"),
    (_EXAMPLES / "programme_difi2009" / "difi_2009_runde2.xlsx", None, 40_000_000, "2009"),
    (_EXAMPLES / "broken.xlsx", None, None, "2024"),
    (_EXAMPLES / "output" / "360giving.csv", None, 20_000_000, "2009"),
    (_EXAMPLES / "output" / "tildeling.csv", None, 20_000_000, "2009"),
    *((path, _PABULIB_MAP, None, "2024") for path in PABULIB),
]


@pytest.mark.parametrize(
    ("path", "columns", "budget", "register"), _ROUNDS, ids=[p.name for p, *_ in _ROUNDS]
)
def test_no_real_round_is_taken_for_amounts_kept_in_thousands(
    path: Path, columns: str | None, budget: int | None, register: str, tmp_path: Path
) -> None:
    """The warning about amounts kept in thousands, on every real file and example: with the
    sheet alone, with the budget each is run with (pabulib's own from META), and with budgets
    of the round's own total and three times it (a round undersubscribed): never said."""
    from tilskudd.thousands import CODES
    from tilskudd.validation import with_budget

    needs(path)
    column_map = None
    if columns is not None:
        mapped = _EXAMPLES / columns
        if not columns.endswith(".toml"):
            mapped = tmp_path / "map.toml"
            mapped.write_text("[columns]\n" + columns, encoding="utf-8")
        column_map = load_column_map(mapped)
    if path.suffix == ".pb":
        meta = path.read_text(encoding="utf-8").split("PROJECTS\n")[0]
        budget = int(float(next(x for x in meta.splitlines() if x.startswith("budget;"))[7:]))
    currency = "CHF" if path == USTER else "NOK"  # its amounts are francs: FoerderbeitragCHF
    checked = read_applications(path, columns=column_map, register=register, currency=currency)
    assert checked.requested is not None
    total = checked.requested.total
    assert total > 0
    for weighed in {budget or total, total, 3 * total}:
        issues = with_budget(checked, weighed).issues
        assert [i.code for i in issues if i.code in CODES] == [], weighed


def test_usters_grants_in_francs_are_read_in_a_round_of_francs(tmp_path: Path) -> None:
    """Uster's amount column is 'FoerderbeitragCHF': in a round of Swiss francs the code after
    the words names the round's currency, so a map of 'Foerderbeitrag' reads it, as 'Søkt
    beløp' reads 'Søkt beløp, kr' in kroner; in a round of kroner it does not."""
    needs(USTER)
    columns = tmp_path / "uster.toml"
    columns.write_text(
        '[columns]\n"Gesuchssteller" = "applicant"\n"Foerderbeitrag" = "requested"\n',
        encoding="utf-8",
    )
    checked = read_applications(USTER, columns=load_column_map(columns), currency="CHF")
    assert (len(checked.applications), len(checked.rejected)) == (476, 9)
    assert checked.applications[0].requested == 25_000
    # In a round of kroner the map's 'Foerderbeitrag' is the header without its CHF: the error
    # says to count the round in francs (it said "no recognisable header row").
    with pytest.raises(InputFileError, match="count the round in CHF with --currency CHF"):
        read_applications(USTER, columns=load_column_map(columns))


def test_usters_francs_mapped_in_a_round_of_kroner_are_refused_not_read_as_kroner(
    tmp_path: Path,
) -> None:
    """`tilskudd allocate` of Uster with a column map naming 'FoerderbeitragCHF' and no
    --currency: the francs were read as kroner and every list said "25 000 kr". The map says
    where the amounts are, not their currency: the run stops and says --currency CHF."""
    needs(USTER)
    columns = tmp_path / "uster.toml"
    columns.write_text("[columns]\n" + _USTER_MAP, encoding="utf-8")
    out = tmp_path / "tildeling.xlsx"
    args = ["allocate", str(USTER), "--columns", str(columns), "--budget", "300000"]
    cli = CliRunner().invoke(app, [*args, "--rule", "proportional", "-o", str(out), "--lang", "nb"])
    assert cli.exit_code == 1
    said = " ".join(cli.stderr.split())
    assert (
        "kolonne F «FoerderbeitragCHF», som kolonnekartet leser som omsøkt beløp, nevner CHF"
        in said
    )
    assert "regn runden i CHF med --currency CHF" in said
    assert not out.exists()
    cli = CliRunner().invoke(
        app, [*args, "--rule", "proportional", "--currency", "CHF", "-o", str(out)]
    )
    assert cli.exit_code == 0, cli.stderr
    assert "CHF 25,000" in " ".join(cli.stdout.split())


def test_usters_fractions_of_a_franc_are_no_fractions_of_an_ore(tmp_path: Path) -> None:
    """`tilskudd check` of Uster in a round of francs, in bokmål: its six sums split three ways
    (833.333333333333) were said to have "en brøkdel av en øre", a coin of kroner."""
    needs(USTER)
    columns = tmp_path / "uster.toml"
    columns.write_text("[columns]\n" + _USTER_MAP, encoding="utf-8")
    args = ["check", str(USTER), "--columns", str(columns), "--currency", "CHF", "--lang", "nb"]
    cli = CliRunner().invoke(app, args)
    said = " ".join(cli.stdout.split())
    assert "«833.333333333333» har mer enn to desimaler; forventet et beløp i hele CHF" in said
    assert not re.search(r"\børe\b", said)


TOULOUSE = (
    REALDATA / "pabulib" / "France_Toulouse_2022_17_-_Mirail-Universite_Reynerie_Bellefontaine.pb"
)


def test_toulouses_own_budget_is_said_when_none_is_given() -> None:
    """`tilskudd allocate` of a Toulouse district's election without --budget: its META states
    budget;400000.0 and currency;EUR, said with what to type; nothing is allocated."""
    needs(TOULOUSE)
    cli = CliRunner().invoke(app, ["allocate", str(TOULOUSE), "--lang", "en"])
    assert cli.exit_code == 2
    said = " ".join(cli.stderr.split())
    assert "'budget;400000.0' and 'currency;EUR'" in said
    assert "give --budget 400000 --currency EUR" in said


def test_the_uk_awards_checked_in_bokmal_keep_their_counts_whole(tmp_path: Path) -> None:
    """`tilskudd check` of the UK government's 3 351 awards in bokmål, at 80 columns: the first
    line ended "… søknader lest: 3" and the next began "242 gyldige", the number broken at its
    non-breaking space."""
    needs(UK_AWARDS)
    columns = tmp_path / "uk.toml"
    columns.write_text('[columns]\n"Amount Awarded" = "requested"\n', encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["check", str(UK_AWARDS), "--columns", str(columns), "--currency", "GBP", "--lang", "nb"],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 1, result.output  # 109 awards of 0 pounds
    # Lines joined at their ordinary spaces only: a number broken in two stays broken.
    header = re.sub(r"[ \n]+", " ", result.stdout.split("\n\n")[0])
    assert "3\u00a0351 søknader lest: 3\u00a0242 gyldige, 109 ugyldige" in header


def test_the_research_council_shares_are_shown_beside_what_was_applied_for() -> None:
    """The Research Council's applications shared out `proportional` in bokmål at 80 columns:
    no application has a score, so none has a rank, and the empty rank column left out the
    amount each applied for (in English it was shown)."""
    needs(FORSKNINGSRADET)
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(FORSKNINGSRADET),
            "--columns", str(ROOT / "examples" / "forskningsradet.toml"),
            "--rule", "proportional", "--budget", "200M", "--lang", "nb",
        ],
        env={"COLUMNS": "80"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "Nr." in line.split()[:2])
    assert header.split()[:4] == ["Nr.", "Omsøkt", "(kr)", "Tildelt"]
    (row,) = [line for line in lines if "225873" in line.split()[:2]]
    assert row.split()[1:7] == ["8", "000", "000", "1", "006", "058"]


AMSTERDAM = REALDATA / "pabulib" / "Netherlands_Amsterdam_166.pb"


@pytest.mark.parametrize("suffix", ["md", "html"])
def test_amsterdams_projects_are_published_without_an_empty_applicant_column(
    tmp_path: Path, suffix: str
) -> None:
    """Amsterdam's neighbourhood budget 166 (pabulib) names projects, not applicants: its list
    for publication had a column Søker empty in every one of its 29 awards."""
    needs(AMSTERDAM)
    out = tmp_path / f"tildeling.{suffix}"
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(AMSTERDAM), "--columns", str(ROOT / "examples" / "pabulib.toml"),
            "--budget", "250000", "--currency", "EUR", "--lang", "nb", "-o", str(out),
            "--funder", "Gemeente Amsterdam",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Stop de rat in De Kleine Wereld" in text
    assert "Søker" not in text
    # Its awards name no place: no project is listed twice, so none is "counted once".
    assert "hvert talt bare én gang" not in text
    if suffix == "md":
        assert "| Rangering | Søknadsnr. | Prosjekt | Omsøkt | Tildelt | Status |" in text


BUDAPEST = REALDATA / "pabulib" / "Hungary_Budapest_2022_VIII_Jozsefvaros.pb"


@pytest.mark.parametrize(("suffix", "lang"), [("md", "nb"), ("html", "en"), ("pdf", "nb")])
def test_budapests_three_projects_of_one_title_are_published_with_their_ids(
    tmp_path: Path, suffix: str, lang: str
) -> None:
    """Budapest VIII's participatory budget 2022 funds "Mikroparkokkal a nyári hoség ellen" in
    three neighbourhoods (642, 723 and 696): its published list had three rows alike, and its
    note of the tie at rank 25 named 645 and 711, ids no row showed."""
    needs(BUDAPEST)
    out = tmp_path / f"tildeling.{suffix}"
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(BUDAPEST), "--columns", str(ROOT / "examples" / "pabulib.toml"),
            "--budget", "122600000", "--currency", "HUF", "--lang", lang, "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    if suffix == "pdf":
        import pypdf

        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    else:
        text = re.sub(r"<[^>]+>", " ", out.read_text(encoding="utf-8"))
    text = " ".join(text.split())
    for id_ in ("642", "723", "696"):
        assert f"{id_} Mikroparkokkal a nyári hoség ellen" in text.replace("| ", ""), id_
    assert "645 Bérkocsis u. - Fecske u. sarok akadálymentesítése" in text.replace("| ", "")


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "The file's META has a comment on the data: “#1:"), ("nb", "Filens META har en")],
)
def test_budapests_comment_that_half_the_votes_are_missing_is_shown_once(
    tmp_path: Path, lang: str, said: str
) -> None:
    """Budapest VIII 2022's META comment says the file has the online votes only, about half
    of them, the rest cast on paper: check and allocate never showed it. Each shows it once,
    under the verdict or the awards, and the list written with -o does not carry it."""
    needs(BUDAPEST)
    options = ["--columns", str(ROOT / "examples" / "pabulib.toml"), "--currency", "HUF"]
    paper = "about half the votes are cast on paper"
    checked = CliRunner().invoke(app, ["check", str(BUDAPEST), *options, "--lang", lang])
    assert checked.exit_code == 0, checked.output
    shown = " ".join(checked.output.split())
    assert shown.count(said) == 1
    assert shown.count(paper) == 1
    assert shown.rstrip("”»").endswith('column "extra_approvals"')  # the whole, last
    out = tmp_path / "tildeling.md"
    budget = ["--budget", "122600000"]
    allocated = CliRunner().invoke(
        app, ["allocate", str(BUDAPEST), *options, *budget, "--lang", lang, "-o", str(out)]
    )
    assert allocated.exit_code == 0, allocated.output
    shown = " ".join(allocated.output.split())
    assert shown.count(said) == 1
    assert shown.count(paper) == 1
    assert "paper" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_amsterdams_award_workbook_has_no_column_empty_in_every_row(
    tmp_path: Path, lang: str
) -> None:
    """Amsterdam's neighbourhood budget 166 (pabulib): the award workbook had Søker, Org.nr.,
    Totalkostnad and Andel av kostnad empty in every row of both sheets."""
    needs(AMSTERDAM)
    out = tmp_path / "tildeling.xlsx"
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(AMSTERDAM), "--columns", str(ROOT / "examples" / "pabulib.toml"),
            "--budget", "250000", "--lang", lang, "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    for sheet in book.worksheets[:2]:
        header, *body = list(sheet.iter_rows(values_only=True))
        assert body
        empty = [h for k, h in enumerate(header) if all(row[k] in (None, "") for row in body)]
        assert empty == [], (sheet.title, empty)
    awards = book.worksheets[0]
    header = [cell.value for cell in awards[1]]
    assert header[:3] == [column_header(k, lang) for k in ("rank", "id", "project")]
    projects = [row[2] for row in awards.iter_rows(min_row=2, values_only=True)]
    assert "Stop de rat in De Kleine Wereld" in projects


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (AMSTERDAM, '"cost" = "requested"'),
        (UK_SAMPLE, '"Amount Awarded" = "requested"'),
    ],
    ids=["pabulib", "360giving"],
)
def test_a_file_read_without_its_map_is_told_the_line_that_maps_its_amounts(
    path: Path, line: str
) -> None:
    """A pabulib file and a 360Giving file checked as they are, before any column map: the
    error said to map a column with a line "Amount" = "requested", a header neither has. It
    gives the line for the file's own column of amounts, the one examples/pabulib.toml maps
    and the README gives for 360Giving, and says that it goes under [columns]."""
    needs(path)
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 1, result.output
    assert " ".join(result.stderr.split()).endswith(
        f"a text file with the line [columns] and under it {line}."
    )


def test_the_research_councils_man_years_are_numbers_in_the_csv_for_excel(
    tmp_path: Path,
) -> None:
    """The Research Council's columns of man-years (dr_stip_aarsverk: 2.99, 5.57) and of what
    it granted (tildelt_belop: 6978124.0, 27336753.52), carried through to the CSV for
    Norwegian Excel as typed, with a decimal point: Excel reads 2.99 as February 1999. They are
    written with a decimal comma, as the numbers the award workbook writes."""
    needs(FORSKNINGSRADET)
    out = tmp_path / "tildeling.csv"
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(FORSKNINGSRADET),
            "--columns", str(ROOT / "examples" / "forskningsradet.toml"),
            "--rule", "proportional", "--budget", "200M", "--lang", "nb", "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == 171
    years = {r["dr_stip_aarsverk"] for r in rows}
    assert {"0", "2,99", "5,57"} <= years
    assert not [y for y in years if "." in y]
    granted = {r["Søknadsnr."]: r["tildelt_belop"] for r in rows}
    assert granted["225873"] == "6978124"
    assert "27336753,52" in granted.values()
    # The call's 13-digit number is an id, kept as it is.
    assert {r["utlysnings_id"] for r in rows} >= {"1253978370933"}


def test_the_uk_grant_ids_are_not_broken_at_their_hyphens(tmp_path: Path) -> None:
    """`tilskudd check` of the UK sample in bokmål at 80 columns listed its ids with one
    broken across two lines: "360G-cabinetoffice-" at a line's end, "GA-060679" on the next."""
    needs(UK_SAMPLE)
    columns = tmp_path / "uk.toml"
    columns.write_text('[columns]\n"Amount Awarded" = "requested"\n', encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["check", str(UK_SAMPLE), "--columns", str(columns), "--currency", "GBP", "--lang", "nb"],
        env={"COLUMNS": "80"},
    )
    assert "360G-cabinetoffice-GA-060679" in result.stdout
    assert not re.search(r"cabinetoffice-$", result.stdout, re.MULTILINE)
    assert not re.search(r"^\s*GA-\d", result.stdout, re.MULTILINE)


def test_the_research_council_zero_amount_is_not_broken_from_its_kroner() -> None:
    """The Research Council's applications shared out `proportional` in bokmål at 80 columns:
    the one amount of 0 kr was rejected with "... over 0" at a line's end and "kr." below."""
    needs(FORSKNINGSRADET)
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(FORSKNINGSRADET),
            "--columns", str(ROOT / "examples" / "forskningsradet.toml"),
            "--rule", "proportional", "--budget", "200M", "--lang", "nb",
        ],
        env={"COLUMNS": "80"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "0 kr." in result.stdout
    assert not re.search(r"\b0$", result.stdout, re.MULTILINE)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "3=, 25=, 33=, 36=, 43=, 45=, 47=, 50=: a rank with = is shared by at least two"),
        ("nb", "3=, 25=, 33=, 36=, 43=, 45=, 47=, 50=: en plass med = deles av minst to"),
    ],
)
def test_amsterdams_tie_legend_names_every_tied_rank(lang: str, said: str) -> None:
    """Amsterdam's neighbourhood budget 166 (pabulib) has eight ranks shared by two or three
    projects; the legend under the table said "3= shares its rank with at least one other
    application", as if rank 3 were the only one."""
    needs(AMSTERDAM)
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(AMSTERDAM), "--columns", str(ROOT / "examples" / "pabulib.toml"),
            "--budget", "250000", "--lang", lang,
        ],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert said in " ".join(result.stdout.split())


def test_amsterdams_award_workbook_marks_the_ranks_the_table_marks_shared(tmp_path: Path) -> None:
    """Amsterdam's budget 166 (pabulib) has eight shared ranks, 3= to 50= in the table and the
    CSV; the award workbook showed them as bare numbers. Each is a number still, shown with =."""
    needs(AMSTERDAM)
    out = tmp_path / "tildeling.xlsx"
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(AMSTERDAM), "--columns", str(ROOT / "examples" / "pabulib.toml"),
            "--budget", "250000", "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    tied: set[int] = set()
    for sheet in book.worksheets[:2]:
        for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
            if cell.value is None:
                continue
            assert isinstance(cell.value, int)
            if cell.number_format == '0"="':
                tied.add(cell.value)
            else:
                assert cell.number_format == "General"
    assert sorted(tied) == [3, 25, 33, 36, 43, 45, 47, 50]


@pytest.mark.parametrize(
    ("lang", "error", "again"),
    [
        ("en", "no column for the score or the rank was found", "Also, there is no column"),
        ("nb", "fant ingen kolonne for poeng eller rangering", "Dessuten er det ingen kolonne"),
    ],
)
def test_the_research_councils_missing_score_column_is_said_once(
    lang: str, error: str, again: str
) -> None:
    """allocate of the Research Council's file by the ranked rule, which has no score column:
    the missing column was listed as an error, and the verdict then said "Dessuten er det
    ingen kolonne for poeng ..." as if it were a second problem."""
    needs(FORSKNINGSRADET)
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(FORSKNINGSRADET),
            "--columns", str(ROOT / "examples" / "forskningsradet.toml"),
            "--budget", "200M", "--lang", lang,
        ],
        env={"COLUMNS": "120"},
    )  # fmt: skip
    text = " ".join(result.stdout.split())
    assert error in text
    assert again not in text


_FRACTION_IDS = [f"R{row}" for row in range(437, 443)]


def test_rejected_real_applications_keep_what_was_read(tmp_path: Path) -> None:
    """Uster's six grants with fractions of a franc had no category in the workbook, and the
    Research Council's application for 0 kr (225986) no municipality: a rejected row's valid
    cells are carried to the lists as read, its bad cell shown as typed."""
    needs(USTER)
    needs(FORSKNINGSRADET)
    columns = tmp_path / "uster.toml"
    columns.write_text(
        '[columns]\n"Gesuchssteller" = "applicant"\n"Projekt" = "project"\n'
        '"FoerderbeitragCHF" = "requested"\n"Foerderbereich" = "category"\n',
        encoding="utf-8",
    )
    uster = read_applications(USTER, columns=load_column_map(columns), currency="CHF")
    result = run_round(uster, 100_000, Policy(rule="proportional"), currency="CHF")
    out = tmp_path / "uster.xlsx"
    write(result, out, lang="en")
    rows = list(openpyxl.load_workbook(out)["Not funded"].iter_rows(values_only=True))
    header = rows[0]
    at = {name: header.index(name) for name in ("ID", "Category", "Requested")}
    fractions = {row[at["ID"]]: row for row in rows[1:] if row[at["ID"]] in _FRACTION_IDS}
    assert sorted(fractions) == sorted(_FRACTION_IDS)
    for row in fractions.values():
        assert (row[at["Category"]], row[at["Requested"]]) == (
            "Konzert & Theater",
            "833.333333333333",
        )
    # Rows whose cells a stray quotation mark shifted: their category column holds a date from
    # the title, so it is not carried.
    shifted = {row[at["ID"]]: row[at["Category"]] for row in rows[1:] if row[at["ID"]]}
    assert [shifted[i] for i in ("R476", "R479", "R486")] == [None, None, None]

    council = read_applications(
        FORSKNINGSRADET, columns=load_column_map(ROOT / "examples" / "forskningsradet.toml")
    )
    (bad,) = council.rejected
    assert (bad.id, bad.municipalities, bad.counties) == ("225986", ("1124",), ("11",))
    assert bad.typed == {"requested": "0.0"}


def test_amsterdams_categories_are_summed_against_their_limits(tmp_path: Path) -> None:
    """Amsterdam's budget 166 caps each of its six categories (META's budget_per_category):
    with those caps as quotas, the summary sheet had no awards per category, so an officer
    could not see each group against its quota."""
    needs(AMSTERDAM)
    meta = dict(
        line.split(";", 1)
        for line in AMSTERDAM.read_text(encoding="utf-8").split("PROJECTS")[0].splitlines()
        if ";" in line
    )
    limits = dict(
        zip(
            meta["categories"].split(","),
            map(int, meta["budget_per_category"].split(",")),
            strict=True,
        )
    )
    policy = tmp_path / "AMS.toml"
    policy.write_text(
        '[policy]\nrule = "ranked"\n'
        + "".join(
            f'\n[[policy.quotas]]\nby = "category"\nvalue = "{name}"\nmax_amount = {most}\n'
            for name, most in limits.items()
        ),
        encoding="utf-8",
    )
    out = tmp_path / "tildeling.xlsx"
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(AMSTERDAM), "--columns", str(ROOT / "examples" / "pabulib.toml"),
            "--budget", "250000", "--currency", "EUR", "--policy", str(policy), "--lang", "nb",
            "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(out)["Sammendrag"].iter_rows(values_only=True))
    at = [row[0] for row in rows].index("Kvoter")
    groups = {row[0]: row[1:] for row in rows[at + 2 : at + 2 + len(limits)]}
    assert [name.removeprefix("Kategori «").removesuffix("»") for name in groups] == list(limits)
    for (_, most, _, _, awarded, _, met), limit in zip(
        groups.values(), limits.values(), strict=True
    ):
        assert (most, met) == (limit, "ja")
        assert isinstance(awarded, int)
        assert awarded <= limit
    assert sum(g[4] for g in groups.values()) == 237_791
    assert sum(g[5] for g in groups.values()) == 29


@pytest.mark.parametrize(("lang", "header"), [("nb", "Valuta"), ("en", "Currency")])
def test_warsaw_wawers_award_csv_says_its_amounts_are_zloty(
    tmp_path: Path, lang: str, header: str
) -> None:
    """Warsaw-Wawer 2022 allocated in its own złoty (--currency PLN): the award CSV gave
    560000 for the Edukacyjny wodny park zabaw with nothing to say it was not kroner."""
    needs(WAWER)
    out = tmp_path / "tildeling.csv"
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(WAWER), "--columns", str(ROOT / "examples" / "pabulib.toml"),
            "--budget", "2807253", "--currency", "PLN", "--lang", lang, "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == 111
    assert {row[header] for row in rows} == {"PLN"}
    (park,) = [row for row in rows if row["Søknadsnr." if lang == "nb" else "ID"] == "1107"]
    assert park[header] == "PLN"
    assert park["Tildelt" if lang == "nb" else "Awarded"] == "560000"


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "If every amount is in HUF, give the round that currency: --currency HUF"),
        ("nb", "Er alle beløpene i HUF, gi runden den valutaen: --currency HUF"),
    ],
)
def test_budapests_list_refused_in_kroner_says_to_give_its_forints(
    tmp_path: Path, lang: str, said: str
) -> None:
    """Budapest VIII 2022 allocated with its META budget but not its currency;HUF: the PDF
    was refused with "Convert the amounts to kroner", nothing of --currency HUF."""
    needs(BUDAPEST)
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(BUDAPEST), "--columns", str(ROOT / "examples" / "pabulib.toml"),
            "--budget", "122600000", "--lang", lang, "-o", str(tmp_path / "tildeling.pdf"),
        ],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert said in " ".join(result.stderr.split())
    assert not (tmp_path / "tildeling.pdf").exists()


def test_warsaw_wawers_budget_is_given_as_its_team_types_it(tmp_path: Path) -> None:
    """Warsaw-Wawer's budget typed as a Polish budget team writes it, `2 807 253 zł`, in a
    round of PLN: it was refused as "not an amount", where `€ 400 000` is read in euros."""
    needs(WAWER)
    result = CliRunner().invoke(
        app,
        [
            "allocate", str(WAWER), "--columns", str(ROOT / "examples" / "pabulib.toml"),
            "--budget", "2 807 253 zł", "--currency", "PLN", "-o", str(tmp_path / "a.json"),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert (data["budget"], data["currency"]) == (2_807_253, "PLN")
    assert sum(1 for a in data["applications"] if a["amount"] > 0) == 19


def test_research_council_per_applicant_max_caps_awards_not_claims() -> None:
    """The Research Council's 2012 sample with 400 MNOK and at most 10 MNOK to one institution.
    Counting claims, organisation 993467049 (three applications, 4 236 000, 7 500 000 and
    9 938 000 kr eligible) had its third claim cut to nothing and its second to 5 764 000,
    though its three awards came to 2 803 529 kr: a maximum it never reached took an
    application out. Capping awards, all three share at the round's fraction, and the
    maximum holds for every organisation."""
    from collections import defaultdict

    needs(FORSKNINGSRADET)
    checked = read_applications(
        FORSKNINGSRADET, columns=load_column_map(ROOT / "examples" / "forskningsradet.toml")
    )
    cap = 10_000_000
    result = run_round(checked, 400_000_000, Policy(rule="proportional", per_applicant_max=cap))
    allocation = result.allocation
    assert allocation.budget == allocation.awarded + allocation.unallocated
    decisions = allocation.by_id()
    org = {a.id: a.organisation for a in checked.applications}
    ours = [decisions[i] for i in ("225929", "225998", "226069")]
    assert {org[d.application_id] for d in ours} == {"993467049"}
    assert [d.eligible_amount for d in ours] == [4_236_000, 7_500_000, 9_938_000]
    assert all(d.amount > 0 for d in ours)
    assert 5_000_000 < sum(d.amount for d in ours) < cap
    # The same fraction of each eligible amount (shown to four places, rounded down), as
    # every other application sharing at the round's level.
    (fraction,) = {d.reasons[-1].params["fraction"] for d in ours}
    for d in ours:
        assert d.reasons[-1].code == "reason.proportional.share"
        share = Decimal(d.amount) / Decimal(d.eligible_amount or 1)
        assert fraction <= share < fraction + Decimal("0.0001") + Decimal(1) / 4_000_000
    awarded: dict[str, int] = defaultdict(int)
    for d in allocation.decisions:
        if org.get(d.application_id):
            awarded[org[d.application_id]] += d.amount  # type: ignore[index]
    assert max(awarded.values()) <= cap
    assert not [
        r for d in allocation.decisions for r in d.reasons if "per_applicant_claim" in r.code
    ]
