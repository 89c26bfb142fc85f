"""360Giving export: the standard's column titles, every required field filled, awards only."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tilskudd.errors import UsageError
from tilskudd.export import write
from tilskudd.export._sheetml import safe_text
from tilskudd.export.giving360 import COLUMNS, REQUIRED, org_identifier, rows
from tilskudd.models import ORG_ID_COLUMN, Application, Decision, RoundResult, Status
from tilskudd.publication import build

# The standard's required fields (360-giving-schema.json "required", with the Organization
# definition's required id and name), as the flat spreadsheet titles them.
STANDARD_REQUIRED = {
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
}

# Titles the standard gives the fields we write (spreadsheet "rollUp" columns).
STANDARD_TITLES = STANDARD_REQUIRED | {
    "Amount Applied For",
    "Beneficiary Location:Name",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Country Code",
    "Grant Programme:Title",
    "Last modified",
}


def _read_xlsx(path: Path) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book["grants"]
    values = list(sheet.iter_rows(values_only=True))
    book.close()
    header = [str(v) for v in values[0]]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_columns_are_the_standards_titles() -> None:
    assert set(REQUIRED) == STANDARD_REQUIRED
    assert set(COLUMNS) <= STANDARD_TITLES
    assert set(COLUMNS) >= STANDARD_REQUIRED


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_required_fields_present_and_non_empty_for_every_award(
    small_round: Callable[..., RoundResult], tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"360giving{suffix}"
    assert write(small_round(), path, format="360giving", lang="en") == "360giving"
    rows = _read_xlsx(path) if suffix == ".xlsx" else _read_csv(path)
    # Only funded and partly funded: S-001..S-004.
    assert [r["Identifier"] for r in rows] == [f"360G-tilskudd-S-00{i}" for i in range(1, 5)]
    for row in rows:
        assert list(row) == list(COLUMNS)
        for field in STANDARD_REQUIRED:
            assert row[field] not in (None, ""), (row["Identifier"], field)
    first = rows[0]
    assert first["Recipient Org:Identifier"] == "NO-BRC-959159092"
    assert first["Recipient Org:Name"] == "Halden kommune"
    assert first["Currency"] == "NOK"
    assert str(first["Amount Awarded"]) == "3300000"
    assert str(first["Amount Applied For"]) == "3300000"
    assert first["Award Date"] == "2026-11-28"
    assert first["Funding Org:Name"] == "Direktoratet for forvaltning og IKT (Difi)"
    assert first["Beneficiary Location:Name"] == "Halden; Moss; Sarpsborg"
    assert first["Beneficiary Location:Geographic Code"] == "0101; 0104; 0105"
    assert first["Grant Programme:Title"] == "IKT-tilskudd til kommunene 2009 – Runde 1"
    partly = rows[2]
    assert str(partly["Amount Awarded"]) == "1000000"
    assert str(partly["Amount Applied For"]) == "1500000"
    assert sum(int(str(r["Amount Awarded"])) for r in rows) == 7_200_000


def test_xlsx_amounts_are_numbers_and_formula_text_stays_text(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    result = small_round()
    apps = list(result.applications)
    apps[0] = apps[0].model_copy(update={"project": "=1+1"})
    path = tmp_path / "g.xlsx"
    write(result.model_copy(update={"applications": tuple(apps)}), path, format="360giving")
    book = openpyxl.load_workbook(path)
    sheet = book["grants"]
    title = sheet.cell(row=2, column=COLUMNS.index("Title") + 1)
    amount = sheet.cell(row=2, column=COLUMNS.index("Amount Awarded") + 1)
    assert title.data_type == "s"
    assert title.value == "=1+1"
    assert title.quotePrefix  # Excel keeps it text even when someone edits the cell
    assert amount.value == 3_300_000
    assert isinstance(amount.value, int)
    assert sheet.freeze_panes == "A2"
    # Printed as the award workbook is: A4 landscape, one page wide, header on every page.
    assert sheet.page_setup.paperSize == 9
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.oddFooter.left.text == "IKT-tilskudd til kommunene 2009 – Runde 1"
    assert sheet.oddFooter.right.text == "Page &P of &N"


def test_xlsx_same_round_gives_the_same_bytes(
    small_round: Callable[..., RoundResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook carries the round's time, not the clock's (as the award workbook does)."""
    import time

    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write(small_round(), first, format="360giving")
    later = time.time() + 3 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    write(small_round(), second, format="360giving")
    assert first.read_bytes() == second.read_bytes()


def test_options_prefix_funder_identifier_and_award_date(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "g.csv"
    write(
        small_round(),
        path,
        format="360giving",
        identifier_prefix="360G-difi-",
        funder_orgnr="986 252 932",
        award_date="2009-06-15",
    )
    rows = _read_csv(path)
    assert rows[0]["Identifier"] == "360G-difi-S-001"
    assert {r["Funding Org:Identifier"] for r in rows} == {"NO-BRC-986252932"}
    assert {r["Award Date"] for r in rows} == {"2009-06-15"}
    write(small_round(), path, format="360giving", force=True, funder_identifier="GB-GOR-X")
    assert {r["Funding Org:Identifier"] for r in _read_csv(path)} == {"GB-GOR-X"}


def test_formula_starters_are_neutralised_in_csv(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "g.csv"
    write(small_round(), path, format="360giving")
    rows = {r["Identifier"]: r for r in _read_csv(path)}
    assert rows["360G-tilskudd-S-003"]["Title"].startswith("'+47 ")
    assert rows["360G-tilskudd-S-004"]["Title"].startswith("'-Minus")


def test_recipient_without_orgnr_gets_a_360g_identifier() -> None:
    assert org_identifier("959159092", "Halden kommune", "360G-x-") == "NO-BRC-959159092"
    assert org_identifier(None, "Bærum kommune", "360G-x-") == "360G-x-org-baerum-kommune"
    assert org_identifier(None, "Tromsø", "360G-x-") == "360G-x-org-tromso"


def test_no_funder_is_a_clear_usage_error(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    with pytest.raises(UsageError, match="funder") as caught:
        write(small_round(funder=None), tmp_path / "g.csv", format="360giving")
    assert not (tmp_path / "g.csv").exists()
    assert caught.value.text("nb").startswith("360Giving trenger navnet på tilskuddsgiveren")


def test_other_extensions_are_refused(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    with pytest.raises(UsageError, match=r"\.xlsx or \.csv") as caught:
        write(small_round(), tmp_path / "g.json", format="360giving")
    assert caught.value.text("nb") == (
        "360Giving skrives som .xlsx eller .csv; «g.json» har ingen av endelsene"
    )
    with pytest.raises(UsageError, match="is not a 9-digit organisation number") as orgnr:
        write(small_round(), tmp_path / "g.csv", format="360giving", funder_orgnr="12345")
    assert "er ikke et organisasjonsnummer med 9 sifre" in orgnr.value.text("nb")
    with pytest.raises(UsageError, match="is not a date like") as when:
        write(small_round(), tmp_path / "g.csv", format="360giving", award_date="i går")
    assert when.value.text("nb") == "tildelingsdatoen «i går» er ikke en dato som 2026-11-28"


def test_column_titles_match_a_real_publishers_file() -> None:
    """The UK government's published 360Giving file uses the same titles for shared fields."""
    name = "realdata/grants/uk_government_grant_awards_2016-17_sample200.csv"
    # shared/ lies beside the repository (CI) or at /work/shared (developers' machines).
    candidates = [
        Path(__file__).resolve().parents[3] / "shared" / name,
        Path("/work/shared") / name,
    ]
    sample = next((p for p in candidates if p.exists()), None)
    if sample is None:
        pytest.skip("the UK government's 360Giving sample (shared/realdata) is not on this machine")
    with open(sample, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    shared = set(header) & set(COLUMNS)
    assert shared >= STANDARD_REQUIRED
    assert {"Beneficiary Location:Name", "Beneficiary Location:Geographic Code"} <= shared


def test_xlsx_control_characters_in_texts_are_written_as_the_award_workbook_writes_them(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    # Excel for Mac writes a line break inside a cell as a vertical tab (\x0b); XML cannot
    # carry it, and openpyxl refused the whole file.
    result = small_round()
    apps = list(result.applications)
    apps[0] = apps[0].model_copy(
        update={"project": "Linje én\x0blinje to", "applicant": "Halden\x00kommune"}
    )
    path = tmp_path / "g.xlsx"
    write(result.model_copy(update={"applications": tuple(apps)}), path, format="360giving")
    first = _read_xlsx(path)[0]
    assert first["Title"] == safe_text("Linje én\x0blinje to") == "Linje én\nlinje to"
    assert first["Recipient Org:Name"] == "Halden\ufffdkommune"
    assert first["Description"] == "Grant to Halden\ufffdkommune for “Linje én\nlinje to”."


def test_allocate_to_360giving_xlsx_with_a_vertical_tab_in_a_title(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tilskudd.cli import app

    source = tmp_path / "runde.csv"
    source.write_text(
        "ID;Søker;Prosjekt;Omsøkt beløp;Poeng\nA;Bærum;Linje én\x0blinje to;50000;4\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.xlsx"
    args = ["allocate", str(source), "--budget", "100000", "--format", "360giving"]
    result = CliRunner().invoke(app, [*args, "--funder", "Difi", "-o", str(target)])
    assert result.exit_code == 0, result.output
    (row,) = _read_xlsx(target)
    assert row["Title"] == "Linje én\nlinje to"
    assert row["Amount Awarded"] == 50_000


def test_award_date_is_the_rounds_decision_date_where_the_programme_gives_it(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    from datetime import date

    path = tmp_path / "360giving.csv"
    write(small_round(decision_date=date(2009, 6, 12)), path, format="360giving", lang="en")
    assert {r["Award Date"] for r in _read_csv(path)} == {"2009-06-12"}


@pytest.mark.parametrize(
    ("lang", "applicant", "project", "description"),
    [
        (
            "nb",
            "GETHER AS",
            "Bærekraftig energi i norsk veksthusnæring.",
            "Tilskudd til GETHER AS for «Bærekraftig energi i norsk veksthusnæring.»",
        ),
        (
            "en",
            "GETHER AS",
            "Sustainable energy in greenhouses.",
            "Grant to GETHER AS for “Sustainable energy in greenhouses.”",
        ),
        ("en", "Lag", "Hva nå? ", "Grant to Lag for “Hva nå?”"),
        ("en", "Lag", "Mer lys…", "Grant to Lag for “Mer lys…”"),
        ("en", "Lag", "Ny bane", "Grant to Lag for “Ny bane”."),
        ("nb", "Lag", "Ny bane", "Tilskudd til Lag for «Ny bane»."),
        ("en", "Acme Inc.", None, "Grant to Acme Inc."),
        ("nb", "Lag", None, "Tilskudd til Lag."),
    ],
)
def test_description_ends_with_one_full_stop(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    lang: str,
    applicant: str,
    project: str | None,
    description: str,
) -> None:
    """A title that ends a sentence was followed by another full stop: “…veksthusnæring.”."""
    app = make_application(id="A", applicant=applicant, project=project)
    result = make_result([(app, Decision(application_id="A", status=Status.FUNDED, amount=1000))])
    assert [r["Description"] for r in rows(result, lang=lang, funder="X")] == [description]


def test_a_file_written_reads_back_without_warnings(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    tmp_path: Path,
) -> None:
    """tilskudd's own 360Giving file, an applicant without an organisation number among its
    grants (``360G-tilskudd-org-…``), reads back as the applications it was written from."""
    from tilskudd import read_applications

    with_orgnr = make_application(id="A", applicant="Moss kommune", orgnr="959159092")
    without = make_application(id="B", applicant="University of Essex", orgnr=None)
    result = make_result(
        [
            (with_orgnr, Decision(application_id="A", status=Status.FUNDED, amount=1000)),
            (without, Decision(application_id="B", status=Status.FUNDED, amount=2000)),
        ]
    )
    path = tmp_path / "360giving.csv"
    write(result, path, format="360giving", lang="en", funder="X")
    assert "360G-tilskudd-org-university-of-essex" in path.read_text(encoding="utf-8")
    checked = read_applications(path, register="2009")  # the fixture's places: Moss 0104
    assert checked.issues == ()
    assert [(a.id, a.applicant, a.orgnr) for a in checked.applications] == [
        ("A", "Moss kommune", "959159092"),
        ("B", "University of Essex", None),
    ]


def test_a_recipients_own_org_id_is_given_again_and_made_up_only_without_one() -> None:
    assert org_identifier(None, "Charity A", "360G-x-", "GB-CHC-1234567") == "GB-CHC-1234567"
    assert org_identifier(None, "Company B", "360G-x-", " GB-COH-01234567") == "GB-COH-01234567"
    # A Norwegian organisation number comes first; what is no org-id is not given as one.
    assert org_identifier("959159092", "Halden", "360G-x-", "GB-CHC-1") == "NO-BRC-959159092"
    assert org_identifier(None, "Council", "360G-x-", "E5104X") == "360G-x-org-council"
    assert org_identifier(None, "Council", "360G-x-", 1234567) == "360G-x-org-council"


def test_an_org_id_typed_in_small_letters_is_given_with_its_prefix_in_capitals(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
) -> None:
    """gb-chc-1234567 is the charity GB-CHC-1234567 (org-id.guide writes its lists' codes in
    capitals), not a recipient without an identifier: it was published as 360G-x-org-charity-a
    and its country left out. The identifier in the list stays as given (ROR's are small)."""
    assert org_identifier(None, "Charity A", "360G-x-", "gb-chc-1234567") == "GB-CHC-1234567"
    assert org_identifier(None, "Uni", "360G-x-", "xi-ror-03yrm5c26") == "XI-ROR-03yrm5c26"
    app = make_application(
        id="B",
        orgnr=None,
        municipalities=(),
        counties=(),
        applicant="Charity A",
        extra={ORG_ID_COLUMN: "gb-chc-1234567 "},
    )
    result = make_result([(app, Decision(application_id="B", status=Status.FUNDED, amount=1000))])
    (row,) = rows(result, funder="Fund")
    assert (row["Recipient Org:Identifier"], row["Beneficiary Location:Country Code"]) == (
        "GB-CHC-1234567",
        "GB",
    )


UK_GRANTS = (
    "Identifier,Title,Amount Applied For,Recipient Org:Identifier,Recipient Org:Name\n"
    "360G-uk-1,Park,1000,GB-CHC-1234567,Charity A\n"
    "360G-uk-2,School,2000,GB-COH-01234567,Company B\n"
    "360G-uk-3,Hall,3000,NO-BRC-974760673,Norsk lag\n"
    "360G-uk-4,Road,4000,E5104X,Council\n"
    "S-5,Bridge,5000,NO-BRC-974760674,Wrong check digit\n"
)


def test_another_funders_file_keeps_its_recipients_org_ids_and_its_grant_ids(
    tmp_path: Path,
) -> None:
    """Grants from a UK funder's 360Giving file: the recipients' GB-CHC-/GB-COH- ids were read
    as empty, so the export made ids up from their names, and 360G-uk-1 was written
    360G-tilskudd-360G-uk-1. The org-ids are kept and the grant ids given as they are; a
    Norwegian organisation number is still checked (its mod-11 check digit)."""
    import tilskudd

    source = tmp_path / "uk.csv"
    source.write_text(UK_GRANTS, encoding="utf-8")
    checked = tilskudd.read_applications(source)
    assert [r.id for r in checked.rejected] == ["S-5"]
    (kept,) = [i for i in checked.issues if i.code == "validate.open_data_org_id"]
    assert kept.params["examples"] == ["GB-CHC-1234567", "GB-COH-01234567"]
    for lang, words in (("en", "carried through"), ("nb", "tas med")):
        assert words in tilskudd.describe_issue(kept, lang)
    result = tilskudd.run_round(checked, 10_000, tilskudd.Policy(rule="proportional"))
    out = tmp_path / "360giving.csv"
    write(result, out, format="360giving", funder="Difi")
    grants = _read_csv(out)
    assert [(g["Identifier"], g["Recipient Org:Identifier"]) for g in grants] == [
        ("360G-uk-1", "GB-CHC-1234567"),
        ("360G-uk-2", "GB-COH-01234567"),
        ("360G-uk-3", "NO-BRC-974760673"),
        ("360G-uk-4", "360G-tilskudd-org-council"),
    ]
    # Read back, the file gives the same recipients again.
    again = tilskudd.read_applications(out)
    assert [(a.orgnr, a.extra.get("Recipient Org:Identifier")) for a in again.applications] == [
        (None, "GB-CHC-1234567"),
        (None, "GB-COH-01234567"),
        ("974760673", None),
        (None, None),
    ]


def test_an_id_without_a_360giving_prefix_gets_the_publishers(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
) -> None:
    apps = [make_application(id=i) for i in ("2009-035", "360G-uk-1", "360g-ukgov-GA 12")]
    result = make_result(
        [(a, Decision(application_id=a.id, status=Status.FUNDED, amount=1000)) for a in apps]
    )
    given = [r["Identifier"] for r in rows(result, funder="Difi", identifier_prefix="360G-difi-")]
    assert given == ["360G-difi-2009-035", "360G-uk-1", "360g-ukgov-GA-12"]


def test_a_file_written_from_another_funders_grants_reads_back_without_warnings(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    tmp_path: Path,
) -> None:
    """A grant id kept as another publisher's (360G-uk-1) beside one with tilskudd's prefix:
    the file is still known as tilskudd's own, so its 360G-tilskudd-A reads back as A and the
    id it made for a recipient without an organisation number is no other register's."""
    from tilskudd import read_applications

    uk = make_application(id="360G-uk-1", applicant="Council", orgnr=None)
    own = make_application(id="A", applicant="Moss kommune", orgnr="959159092")
    result = make_result(
        [(a, Decision(application_id=a.id, status=Status.FUNDED, amount=1000)) for a in (uk, own)]
    )
    path = tmp_path / "360giving.csv"
    write(result, path, format="360giving", lang="en", funder="X")
    assert [r["Identifier"] for r in _read_csv(path)] == ["360G-uk-1", "360G-tilskudd-A"]
    checked = read_applications(path, register="2009")
    assert checked.issues == ()
    assert [(a.id, a.orgnr) for a in checked.applications] == [
        ("360G-uk-1", None),
        ("A", "959159092"),
    ]


@pytest.mark.parametrize(
    ("created", "day"),
    [
        (datetime(2026, 1, 15, 23, 30, tzinfo=UTC), "2026-01-16"),  # 00:30 in Oslo, winter
        (datetime(2026, 7, 15, 22, 30, tzinfo=UTC), "2026-07-16"),  # 00:30 in Oslo, summer
        (datetime(2026, 7, 15, 21, 30, tzinfo=UTC), "2026-07-15"),  # 23:30 in Oslo
    ],
)
def test_a_round_without_a_decision_date_is_dated_by_the_day_in_norway_it_was_made(
    small_round: Callable[..., RoundResult], tmp_path: Path, created: datetime, day: str
) -> None:
    """The documents of a run just after midnight in Oslo are dated that day, as "today" is
    everywhere in tilskudd, not the UTC day before it."""
    result = small_round(created=created)
    path = tmp_path / "360giving.csv"
    write(result, path, format="360giving", lang="en")
    assert {r["Award Date"] for r in _read_csv(path)} == {day}
    assert build(result, "nb").iso_date == day


def test_a_grant_code_given_as_the_recipients_identifier_is_not_published_as_its_org_id() -> None:
    # SP-G16-A07-03, from the UK government's awards: no country SP, no list G16.
    assert org_identifier(None, "Centre", "360G-x-", "SP-G16-A07-03") == "360G-x-org-centre"
    assert org_identifier(None, "Agency", "360G-x-", "XM-DAC-41114") == "XM-DAC-41114"


def test_a_recipient_abroad_is_given_its_org_ids_country(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
) -> None:
    """Every grant was written with Beneficiary Location:Country Code NO, a UK charity's with no
    Norwegian place too. A recipient abroad (another register's id, no organisation number and
    no Norwegian place) is given the country its org-id begins with, or none where it names
    none; Norwegian places and organisation numbers stay NO."""

    def foreign(app_id: str, org_id: str | None, **more: Any) -> Application:
        fields = {"orgnr": None, "municipalities": (), "counties": ()}
        return make_application(id=app_id, extra={ORG_ID_COLUMN: org_id}, **(fields | more))

    apps = [
        foreign("GB", "GB-CHC-1234567"),
        foreign("CA", "CA-CRA_ACR-811793611"),
        foreign("XM", "XM-DAC-41114"),  # an international list: no country
        foreign("UK", "E5104X"),  # a publisher's own id: no country known
        foreign("IN-NORWAY", "SE-BLV-802000-1234", municipalities=("0104",), counties=("01",)),
        make_application(id="NO-ORG", municipalities=(), counties=()),
        make_application(id="NO-NONE", orgnr=None, municipalities=(), counties=()),
        make_application(id="NO-PLACE"),
    ]
    result = make_result(
        [(a, Decision(application_id=a.id, status=Status.FUNDED, amount=1000)) for a in apps]
    )
    country = {
        r["Identifier"]: r["Beneficiary Location:Country Code"] for r in rows(result, funder="X")
    }
    assert country == {
        "360G-tilskudd-GB": "GB",
        "360G-tilskudd-CA": "CA",
        "360G-tilskudd-XM": "",
        "360G-tilskudd-UK": "",
        "360G-tilskudd-IN-NORWAY": "NO",
        "360G-tilskudd-NO-ORG": "NO",
        "360G-tilskudd-NO-NONE": "NO",
        "360G-tilskudd-NO-PLACE": "NO",
    }


UK_GRANTS_DESCRIBED = (
    "Identifier,Title,Description,Amount Applied For,Recipient Org:Identifier,"
    "Recipient Org:Name,Funding Org:Name\n"
    "360G-uk-1,Park,A new park for the village.,1000,GB-CHC-1234567,Charity A,UK Fund\n"
    "360G-uk-2,School,,2000,GB-COH-01234567,Company B,UK Fund\n"
)


def test_a_360giving_inputs_description_is_carried(tmp_path: Path) -> None:
    """The 360Giving export wrote its own Description ("Grant to Charity A for Park.") over the
    one the funder's file gave the grant; now the input's is given where it has one."""
    import tilskudd

    source = tmp_path / "uk.csv"
    source.write_text(UK_GRANTS_DESCRIBED, encoding="utf-8")
    checked = tilskudd.read_applications(source)
    result = tilskudd.run_round(checked, 10_000, tilskudd.Policy(rule="proportional"))
    out = tmp_path / "360giving.csv"
    write(result, out, format="360giving", funder="Difi")
    grants = _read_csv(out)
    assert [(g["Description"], g["Beneficiary Location:Country Code"]) for g in grants] == [
        ("A new park for the village.", "GB"),
        ("Grant to Company B for “School”.", "GB"),
    ]


def test_an_officers_own_description_column_is_not_published(tmp_path: Path) -> None:
    """A column named Description in a sheet that is no 360Giving file is the officer's own,
    carried through to the workbook but never to a list for publication."""
    import tilskudd

    source = tmp_path / "søknader.csv"
    source.write_text(
        "ID,Søker,Prosjekt,Omsøkt beløp,Description\nA,Moss,Park,1000,Intern: ring søker\n",
        encoding="utf-8",
    )
    checked = tilskudd.read_applications(source)
    result = tilskudd.run_round(checked, 10_000, tilskudd.Policy(rule="proportional"))
    grant = rows(result, funder="Difi")[0]
    assert grant["Description"] == "Grant to Moss for “Park”."
    assert "Intern" not in str(grant)
