"""The award workbook, read back with openpyxl: sheets, values, formats, safety, atomic writes."""

from __future__ import annotations

import gc
import subprocess
import sys
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from tilskudd.export import xlsx
from tilskudd.i18n import get
from tilskudd.models import (
    Application,
    Decision,
    Issue,
    Location,
    Policy,
    Reason,
    RejectedRow,
    RoundResult,
    Severity,
    Source,
    Status,
    TieBreak,
)
from tilskudd.rules import allocate
from tilskudd.wording import column_header

from .schema import assert_schema_order

HOSTILE = {
    "S-001": "=cmd|' /C calc'!A0",
    "S-002": "+47 Digital innbyggerdialog",
    "S-003": "-Minus: åpne data",
    "S-004": "@SUM(A1:A2)",
    "S-005": "\tTab først",
}


@pytest.fixture
def result(
    make_application: Callable[..., Application], make_result: Callable[..., RoundResult]
) -> RoundResult:
    """Two funded (one partly), a reserve, one not funded and one rejected; extra columns."""
    app = make_application
    entries = [
        (
            app(
                id="S-002",
                applicant="Halden kommune",
                project=HOSTILE["S-002"],
                municipalities=("0101",),
                counties=("01",),
                requested=2_000_000,
                total_cost=5_000_000,
                score=Decimal("8.5"),
                category="Arkiv",
                row=3,
                extra={"Saksbehandler": "Per", "Merknad": 42},
            ),
            Decision(
                application_id="S-002",
                status=Status.PARTLY_FUNDED,
                amount=1_000_000,
                requested=2_000_000,
                eligible_amount=1_000_000,
                rank=2,
                reasons=(Reason(code="ui.check.none"),),
            ),
        ),
        (
            app(
                id="S-001",
                applicant=HOSTILE["S-001"],
                orgnr="974760673",
                project="Felles IKT-plattform",
                municipalities=("0219", "0220"),
                counties=("02",),
                requested=3_300_000,
                total_cost=16_500_000,
                score=Decimal(9),
                row=2,
                extra={"Saksbehandler": "Kari", "Merknad": HOSTILE["S-004"]},
            ),
            Decision(
                application_id="S-001",
                status=Status.FUNDED,
                amount=3_300_000,
                requested=3_300_000,
                eligible_amount=3_300_000,
                rank=1,
            ),
        ),
        (
            app(
                id="S-003",
                applicant="Oslo kommune",
                project=HOSTILE["S-003"],
                municipalities=("0301",),
                counties=("03",),
                requested=5_000_000,
                row=4,
                extra={"Saksbehandler": HOSTILE["S-005"], "Merknad": Decimal("12.5")},
            ),
            Decision(
                application_id="S-003",
                status=Status.RESERVE,
                amount=0,
                requested=5_000_000,
                eligible_amount=2_000_000,
                rank=3,
            ),
        ),
        (
            app(id="S-004", applicant="Vadsø kommune", requested=800_000, row=5),
            Decision(
                application_id="S-004",
                status=Status.NOT_FUNDED,
                amount=0,
                requested=800_000,
                rank=4,
            ),
        ),
    ]
    problem = Issue(
        severity=Severity.ERROR,
        code="validate.amount_zero",
        location=Location(file="s.xlsx", sheet="Søknader", row=9, column="F", header="Omsøkt"),
        field="requested",
        value="0",
        application_id="S-009",
    )
    rejected = [
        (
            RejectedRow(
                id="S-009",
                row=9,
                applicant="Ugyldig kommune",
                project="Null kroner",
                issues=(problem,),
                extra={"Saksbehandler": "Liv", "Merknad": None},
            ),
            Decision(application_id="S-009", status=Status.REJECTED, amount=0),
        )
    ]
    policy = Policy(
        max_share_of_cost="20 %",
        round_to=1000,
        min_award=100_000,
        reserve=1,
        tie_break=(TieBreak(column="total_cost", descending=False),),
    )
    return make_result(
        entries,
        budget=4_600_000,
        rejected=rejected,
        policy=policy,
        extra_columns=("Saksbehandler", "Merknad"),
        programme="IKT-tilskudd til kommunene",
        round="Runde 1",
        notes=(Reason(code="ui.check.ok"),),
    )


def written(result: RoundResult, tmp_path: Path, *, lang: str = "nb", **kw: Any) -> Workbook:
    path = tmp_path / f"tildeling-{lang}.xlsx"
    xlsx.write(result, path, lang=lang, **kw)
    return load_workbook(path)


def rows(ws: Worksheet) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def by_header(ws: Worksheet) -> list[dict[str, Any]]:
    header, *body = rows(ws)
    return [dict(zip(header, r, strict=True)) for r in body]


def test_sheet_names_by_language(result: RoundResult, tmp_path: Path) -> None:
    assert written(result, tmp_path, lang="nb").sheetnames == [
        "Tildelinger",
        "Ikke innvilget",
        "Sammendrag",
        "Grunnlag",
    ]
    assert written(result, tmp_path, lang="en").sheetnames == [
        "Awards",
        "Not funded",
        "Summary",
        "Policy",
    ]


def test_awards_sheet_lists_the_funded_by_rank(result: RoundResult, tmp_path: Path) -> None:
    ws = written(result, tmp_path, lang="en")["Awards"]
    header = rows(ws)[0]
    assert header == [
        "Rank",
        "ID",
        "Applicant",
        "Org. no.",
        "Project",
        "Municipalities",
        "Counties",
        "Category",
        "Requested",
        "Total cost",
        "Score",
        "Eligible amount",
        "Awarded",
        "Share of cost",
        "Status",
        "Reason",
        "Row",
        "Saksbehandler",
        "Merknad",
    ]
    first, second = by_header(ws)
    assert first["ID"] == "S-001"
    assert first["Rank"] == 1
    assert first["Org. no."] == "974760673"
    assert first["Municipalities"] == "Bærum (0219), Asker (0220)"
    assert first["Counties"] == "Akershus (02)"
    assert first["Requested"] == 3_300_000
    assert first["Total cost"] == 16_500_000
    assert first["Awarded"] == 3_300_000
    assert first["Share of cost"] == pytest.approx(0.2)
    assert first["Status"] == "funded"
    assert first["Row"] == 2
    assert second["ID"] == "S-002"
    assert second["Status"] == "partly funded"
    assert second["Score"] == 8.5
    assert second["Reason"] == "No problems found: every application can be allocated."
    assert second["Category"] == "Arkiv"


def test_number_formats(result: RoundResult, tmp_path: Path) -> None:
    ws = written(result, tmp_path, lang="en")["Awards"]
    formats = {
        ws.cell(1, c).value: ws.cell(2, c).number_format for c in range(1, ws.max_column + 1)
    }
    for amount in ("Requested", "Total cost", "Eligible amount", "Awarded"):
        assert formats[amount] == "#,##0"
    assert formats["Share of cost"] == "0.0%"
    assert ws["A2"].data_type == "n"
    assert ws["I2"].data_type == "n"


def test_frozen_header_autofilter_and_widths(result: RoundResult, tmp_path: Path) -> None:
    book = written(result, tmp_path)
    for name, last_row in (("Tildelinger", 3), ("Ikke innvilget", 4)):
        ws = book[name]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{last_row}"
        assert ws["A1"].font.bold
        widths = [
            ws.column_dimensions[ws.cell(1, c).column_letter].width
            for c in range(1, ws.max_column + 1)
        ]
        assert all(6 <= w <= 80 for w in widths)
        # The long columns are wider than the short ones.
        header = rows(ws)[0]
        assert widths[header.index("Begrunnelse")] > widths[header.index("Rangering")]


def test_others_sheet_has_reserve_not_funded_and_rejected(
    result: RoundResult, tmp_path: Path
) -> None:
    ws = written(result, tmp_path)["Ikke innvilget"]
    lines = by_header(ws)
    assert [(x["Søknadsnr."], x["Status"]) for x in lines] == [
        ("S-003", "reserve"),
        ("S-004", "avslått"),
        ("S-009", "avvist"),
    ]
    assert "Tildelt" not in lines[0]  # nothing awarded on this sheet
    assert lines[0]["Tilskuddsberettiget beløp"] == 2_000_000
    rejected = lines[2]
    assert rejected["Søker"] == "Ugyldig kommune"
    assert rejected["Rad"] == 9
    assert rejected["Begrunnelse"] == "Søknader!F9: beløpet er null; forventet et beløp over 0 kr."


def test_extra_columns_are_carried_in_order(result: RoundResult, tmp_path: Path) -> None:
    book = written(result, tmp_path)
    awards = by_header(book["Tildelinger"])
    others = by_header(book["Ikke innvilget"])
    assert list(awards[0])[-2:] == ["Saksbehandler", "Merknad"]
    assert [a["Merknad"] for a in awards] == [HOSTILE["S-004"], 42]
    assert others[0]["Merknad"] == 12.5
    assert others[2]["Saksbehandler"] == "Liv"
    assert others[2]["Merknad"] is None


def test_applicant_text_never_becomes_a_formula(result: RoundResult, tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    xlsx.write(result, path, lang="en")
    book = load_workbook(path)
    seen = {}
    for ws in (book["Awards"], book["Not funded"]):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(xlsx.FORMULA_STARTS):
                    seen[cell.value] = cell
    assert set(seen) == set(HOSTILE.values())
    for cell in seen.values():
        assert cell.data_type == "s"
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    # And in the file itself: no formula element in either application sheet.
    with zipfile.ZipFile(path) as archive:
        for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
            assert b"<f>" not in archive.read(name)
            assert b"<f " not in archive.read(name)


def _as_calamine(value: Any) -> Any:
    """openpyxl's value as calamine gives it: numbers as floats, "" for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def test_calamine_reads_the_same_values(result: RoundResult, tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    xlsx.write(result, path, lang="nb")
    book = load_workbook(path, data_only=True)  # the check cell's cached result, as calamine
    fast = CalamineWorkbook.from_path(str(path))
    assert fast.sheet_names == book.sheetnames
    for name in book.sheetnames:
        expected = [[_as_calamine(v) for v in r] for r in rows(book[name])]
        got = fast.get_sheet_by_name(name).to_python()
        width = max(len(r) for r in expected)
        assert [r + [""] * (width - len(r)) for r in got] == expected
    assert fast.get_sheet_by_name("Tildelinger").to_python()[1][2] == HOSTILE["S-001"]


def test_many_rows_stream_through_every_block(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    tmp_path: Path,
) -> None:
    entries = [
        (
            make_application(
                id=f"A-{i:04d}", applicant=f"=Søker {i}" if i % 97 == 0 else f"Søker {i}", row=i + 2
            ),
            Decision(application_id=f"A-{i:04d}", status=Status.FUNDED, amount=100, rank=i + 1),
        )
        for i in range(1_300)
    ]
    ws = written(make_result(entries), tmp_path)["Tildelinger"]
    table = by_header(ws)
    assert [r["Søknadsnr."] for r in table] == [f"A-{i:04d}" for i in range(1_300)]
    assert table[-1]["Rangering"] == 1_300
    assert ws.auto_filter.ref.endswith("1301")
    assert ws["C2"].quotePrefix
    assert ws["C2"].value == "=Søker 0"
    assert not ws["C3"].quotePrefix


def test_award_sheets_print_their_header_on_every_page(result: RoundResult, tmp_path: Path) -> None:
    book = written(result, tmp_path, lang="en")
    for name in ("Awards", "Not funded", "Policy"):
        assert book[name].print_title_rows == "$1:$1"
        assert book[name].page_setup.orientation == "landscape"
    assert book["Summary"].freeze_panes is None


@pytest.mark.parametrize(("lang", "page"), [("nb", "Side &P av &N"), ("en", "Page &P of &N")])
def test_award_sheets_print_on_a4_one_page_wide_with_round_and_page_in_the_footer(
    result: RoundResult, tmp_path: Path, lang: str, page: str
) -> None:
    book = written(result, tmp_path, lang=lang)
    assert len(book.worksheets) == 4
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 9  # A4
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.oddFooter.left.text == "IKT-tilskudd til kommunene – Runde 1"
        assert ws.oddFooter.right.text == page
    with zipfile.ZipFile(tmp_path / f"tildeling-{lang}.xlsx") as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert_schema_order(archive.read(name))


def test_award_footer_names_the_input_file_of_a_round_without_a_name(
    result: RoundResult, tmp_path: Path
) -> None:
    unnamed = result.model_copy(
        update={
            "programme": None,
            "round": None,
            "source": Source(file="data/søknader & vedlegg.xlsx"),
        }
    )
    ws = written(unnamed, tmp_path).worksheets[0]
    assert ws.oddFooter.left.text == "søknader && vedlegg.xlsx"
    no_source = written(
        result.model_copy(update={"round": None, "programme": None, "source": None}), tmp_path
    )
    assert no_source.worksheets[0].oddFooter.left.text is None
    assert no_source.worksheets[0].oddFooter.right.text == "Side &P av &N"


def test_prose_wraps_so_that_it_is_read_whole_on_paper(result: RoundResult, tmp_path: Path) -> None:
    # Longer than its column, a sentence was cut at the printed page's edge (or by the next
    # column): the summary sentence, each reason and the basis's values and explanations wrap.
    book = written(result, tmp_path, lang="en")

    def wraps(cell: Any) -> bool:
        return bool(cell.alignment.wrap_text) and cell.alignment.vertical == "top"

    summary = book["Summary"]
    assert "receive" in summary["A2"].value
    assert wraps(summary["A2"])
    assert not wraps(summary["A4"])  # the figures do not
    for name in ("Awards", "Not funded"):
        ws = book[name]
        header = [c.value for c in ws[1]]
        names = ("Applicant", "Project", "Municipalities", "Counties", "Reason")
        prose = [header.index(h) + 1 for h in names]
        for row in range(2, ws.max_row + 1):
            cells = [ws.cell(row=row, column=c) for c in prose]
            assert all(wraps(c) for c in cells if c.value is not None)  # empty: no cell written
            assert not wraps(ws.cell(row=row, column=1))
            assert not wraps(ws.cell(row=row, column=header.index("Requested") + 1))
    basis = book["Policy"]
    explained = [r for r in basis.iter_rows(min_row=2) if r[2].value]
    assert explained
    assert all(wraps(r[2]) for r in explained)
    assert all(wraps(r[1]) for r in explained if isinstance(r[1].value, str))


def test_the_same_round_gives_the_same_bytes(result: RoundResult, tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    xlsx.write(result, first, lang="nb")
    xlsx.write(result, second, lang="nb")
    assert first.read_bytes() == second.read_bytes()


def test_writing_the_award_workbook_does_not_load_openpyxl() -> None:
    # Importing openpyxl alone takes about 0.24 s of every `tilskudd allocate -o out.xlsx`.
    code = "import sys, tilskudd.export.xlsx; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _label_rows(ws: Worksheet) -> dict[str, tuple[int, Any]]:
    return {
        r[0].value: (r[0].row, r[1].value)
        for r in ws.iter_rows(max_col=2)
        if isinstance(r[0].value, str)
    }


def test_summary_sheet_accounts_for_the_budget(result: RoundResult, tmp_path: Path) -> None:
    ws = written(result, tmp_path, lang="en")["Summary"]
    assert ws["A1"].value == "IKT-tilskudd til kommunene – Runde 1"
    assert ws["A2"].value.replace("\u00a0", " ") == (
        "Runde 1: 2 projects involving 3 municipalities receive NOK 4,300,000; "
        "NOK 300,000 left of the round."
    )
    labels = _label_rows(ws)
    budget_row, budget = labels["Budget"]
    awarded_row, awarded = labels["Awarded"]
    unallocated_row, unallocated = labels["Unallocated"]
    assert (budget, awarded, unallocated) == (4_600_000, 4_300_000, 300_000)
    assert ws[f"B{budget_row}"].number_format == "#,##0"
    check_row, formula = next(v for k, v in labels.items() if k.startswith("Check"))
    assert formula == f"=B{budget_row}-B{awarded_row}-B{unallocated_row}"
    assert ws[f"B{check_row}"].data_type == "f"
    path = tmp_path / "tildeling-en.xlsx"
    assert load_workbook(path, data_only=True)["Summary"][f"B{check_row}"].value == 0
    assert labels["Share of the budget awarded"][1] == pytest.approx(4_300_000 / 4_600_000)
    assert labels["Requested (valid applications)"][1] == 11_100_000
    assert labels["Oversubscription (requested ÷ budget)"][1] == 2.41
    assert labels["Municipalities in funded projects"][1] == 3
    assert labels["Counties in funded projects"][1] == 2
    for status, count in (
        ("funded", 1),
        ("partly funded", 1),
        ("reserve", 1),
        ("not funded", 1),
        ("rejected", 1),
    ):
        assert labels[status][1] == count
    status_total = next(r for r in rows(ws) if r[0] == "Total")  # the first: by status
    assert status_total[1] == 5


def test_summary_sheet_per_county(result: RoundResult, tmp_path: Path) -> None:
    ws = written(result, tmp_path, lang="en")["Summary"]
    table = rows(ws)
    start = next(i for i, r in enumerate(table) if r[0] == "County")
    assert table[start] == ["County", "Projects", "Awarded", "Share of awarded"]
    assert table[start + 1][:3] == ["Østfold (01)", 1, 1_000_000]
    assert table[start + 2][:3] == ["Akershus (02)", 1, 3_300_000]
    assert table[start + 3][2] == 4_300_000
    assert table[start + 1][3] == pytest.approx(1_000_000 / 4_300_000)


def test_summary_sheet_per_county_adds_up_when_a_project_names_no_place(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    tmp_path: Path,
) -> None:
    """An award to a project without municipality or county is in no county: it has a line of
    its own, so that the per-county total is what was awarded (it was 300 000 kr short)."""
    funded = make_application(id="A", requested=1_000_000)
    nowhere = make_application(id="B", requested=300_000, municipalities=(), counties=())
    result = make_result(
        [
            (funded, Decision(application_id="A", status=Status.FUNDED, amount=1_000_000)),
            (nowhere, Decision(application_id="B", status=Status.FUNDED, amount=300_000)),
        ]
    )
    table = rows(written(result, tmp_path, lang="nb")["Sammendrag"])
    start = next(i for i, r in enumerate(table) if r[0] == "Fylke")
    assert [r[:3] for r in table[start + 1 : start + 4]] == [
        ["Østfold (01)", 1, 1_000_000],
        ["Sted ikke oppgitt", 1, 300_000],
        ["Sum", None, 1_300_000],
    ]


def test_summary_sheet_of_a_round_that_names_no_place_has_no_places(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    tmp_path: Path,
) -> None:
    """A sheet without places (a participatory budget) was summed up as 0 municipalities in
    0 counties, over a county table of one line, "No place given": the documents leave places
    out for such a round, and so does the workbook."""
    a = make_application(id="A", requested=1_000_000, municipalities=(), counties=())
    b = make_application(id="B", requested=300_000, municipalities=(), counties=())
    result = make_result(
        [
            (a, Decision(application_id="A", status=Status.FUNDED, amount=1_000_000)),
            (b, Decision(application_id="B", status=Status.NOT_FUNDED, amount=0)),
        ]
    )
    for lang, county in (("en", "County"), ("nb", "Fylke")):
        t = get(lang)
        table = rows(written(result, tmp_path, lang=lang)[t("ui.sheet.summary")])
        labels = [r[0] for r in table]
        assert t("summary.label.valid") in labels
        assert t("summary.label.municipalities") not in labels
        assert t("summary.label.counties") not in labels
        assert t("summary.label.per_county") not in labels
        assert county not in labels
        assert t("doc.no_place") not in labels
        assert table[-1][:2] == [t("ui.total"), 2]  # the table by status ends the sheet


def _places_round(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    *,
    place: tuple[str, ...],
) -> RoundResult:
    """A funded A without a place, a not funded B in ``place`` and a rejected row R."""
    a = make_application(
        id="A", requested=1_000_000, municipalities=(), counties=(), category="Arkiv"
    )
    b = make_application(
        id="B",
        requested=300_000,
        municipalities=place,
        counties=tuple(sorted({m[:2] for m in place})),
    )
    problem = Issue(
        severity=Severity.ERROR,
        code="validate.amount_zero",
        location=Location(file="s.xlsx", sheet="Søknader", row=9, column="C", header="Beløp"),
        field="requested",
        value="0",
        application_id="R",
    )
    bad = RejectedRow(id="R", row=9, applicant="Lag R", requested=50_000, issues=(problem,))
    return make_result(
        [
            (a, Decision(application_id="A", status=Status.FUNDED, amount=1_000_000)),
            (b, Decision(application_id="B", status=Status.NOT_FUNDED, amount=0)),
        ],
        rejected=[(bad, Decision(application_id="R", status=Status.REJECTED, amount=0))],
    )


def test_award_sheets_of_a_round_that_names_no_place_have_no_place_columns(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    tmp_path: Path,
) -> None:
    """A sheet without places gave two columns empty in every row, Kommuner and Fylke, to
    scroll past in a workbook to forward: they are left out, and every other cell stays
    under its own header."""
    result = _places_round(make_application, make_result, place=())
    for lang in ("en", "nb"):
        book = written(result, tmp_path, lang=lang)
        t = get(lang)
        places = {column_header(key, lang) for key in ("municipalities", "counties")}
        category, requested = (column_header(k, lang) for k in ("category", "requested"))
        for title in (t("ui.sheet.awards"), t("ui.sheet.others")):
            table = by_header(book[title])
            assert places.isdisjoint(table[0])
        awards = by_header(book[t("ui.sheet.awards")])
        assert [(r[category], r[requested]) for r in awards] == [("Arkiv", 1_000_000)]
        others = by_header(book[t("ui.sheet.others")])
        assert [r[requested] for r in others] == [300_000, 50_000]


def test_award_sheets_keep_place_columns_when_any_application_names_a_place(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    tmp_path: Path,
) -> None:
    """One application naming a place keeps the columns on both sheets, empty where an
    application names none."""
    result = _places_round(make_application, make_result, place=("0301",))
    book = written(result, tmp_path, lang="en")
    awards = by_header(book["Awards"])
    assert [(r["Municipalities"], r["Counties"], r["Category"]) for r in awards] == [
        (None, None, "Arkiv")
    ]
    others = by_header(book["Not funded"])
    assert [(r["ID"], r["Municipalities"], r["Counties"]) for r in others] == [
        ("B", "Oslo (0301)", "Oslo (03)"),
        ("R", None, None),
    ]


def _projects_round(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    *,
    typed_orgnr: str | None = None,
) -> RoundResult:
    """A participatory budget's projects: no applicant, organisation number or total cost; a
    funded A, a not funded B and a rejected row R (its organisation number typed wrong, if
    ``typed_orgnr``)."""
    apps = [
        make_application(
            id=i, requested=r, applicant=None, orgnr=None, total_cost=None, project=f"Park {i}"
        )
        for i, r in (("A", 1_000_000), ("B", 300_000))
    ]
    issues = ()
    if typed_orgnr is not None:
        location = Location(file="s.xlsx", sheet="Søknader", row=9, column="B", header="Orgnr")
        issues = (
            Issue(
                severity=Severity.ERROR,
                code="validate.orgnr_checksum",
                location=location,
                field="orgnr",
                value=typed_orgnr,
                application_id="R",
            ),
        )
    bad = RejectedRow(id="R", row=9, project="Park R", requested=50_000, issues=issues)
    return make_result(
        [
            (apps[0], Decision(application_id="A", status=Status.FUNDED, amount=1_000_000)),
            (apps[1], Decision(application_id="B", status=Status.NOT_FUNDED, amount=0)),
        ],
        rejected=[(bad, Decision(application_id="R", status=Status.REJECTED, amount=0))],
    )


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_award_sheets_leave_out_a_column_empty_for_every_application(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    tmp_path: Path,
    lang: str,
) -> None:
    """Amsterdam's participatory budget (pabulib) gave a workbook with Søker, Org.nr.,
    Totalkostnad and Andel av kostnad empty in every row, to scroll past in a file to
    forward; the terminal and the documents leave such a column out, and so does the
    workbook, on both sheets, every other cell under its own header."""
    book = written(_projects_round(make_application, make_result), tmp_path, lang=lang)
    t = get(lang)
    empty = {
        column_header(k, lang)
        for k in ("applicant", "orgnr", "total_cost", "share_of_cost", "category")
    }
    project, requested, score = (column_header(k, lang) for k in ("project", "requested", "score"))
    awards = by_header(book[t("ui.sheet.awards")])
    others = by_header(book[t("ui.sheet.others")])
    for table in (awards, others):
        assert empty.isdisjoint(table[0])
    assert [(r[project], r[requested], r[score]) for r in awards] == [("Park A", 1_000_000, 5)]
    assert [(r[project], r[requested]) for r in others] == [("Park B", 300_000), ("Park R", 50_000)]
    header = [c.value for c in book[t("ui.sheet.awards")][1]]
    assert header[:3] == [column_header(k, lang) for k in ("rank", "id", "project")]


def test_the_columns_left_out_are_worked_out_once_a_round(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The width check and both sheets ask which columns are empty for every application: a
    pass over 100 000 applications and rejected rows each. It is made once a round (and
    again for a copy with other applications, where the answer may differ)."""
    seen: list[RoundResult] = []
    real = xlsx._empty_columns

    def counted(result: RoundResult) -> frozenset[str]:
        seen.append(result)
        return real(result)

    monkeypatch.setattr(xlsx, "_empty_columns", counted)
    projects = _projects_round(make_application, make_result)
    for lang in ("nb", "en"):
        xlsx.write(projects, tmp_path / f"{lang}.xlsx", lang=lang)
    assert seen == [projects]
    named = make_application(
        id="C", requested=1, applicant="Lag C", orgnr="974760673", total_cost=None
    )
    other = projects.model_copy(update={"applications": (*projects.applications, named)})
    assert xlsx._left_out(other) == {"category", "total_cost"}
    assert len(seen) == 2


def test_a_column_typed_in_a_rejected_row_is_kept(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    tmp_path: Path,
) -> None:
    """An organisation number typed wrong in a rejected row is shown as typed, beside its
    problem: the column is not empty, and both sheets keep it."""
    result = _projects_round(make_application, make_result, typed_orgnr="123")
    book = written(result, tmp_path, lang="en")
    others = by_header(book["Not funded"])
    assert [(r["ID"], r["Org. no."]) for r in others] == [("B", None), ("R", "123")]
    assert "Org. no." in by_header(book["Awards"])[0]
    assert "Applicant" not in others[0]


def test_policy_sheet_records_what_reproduces_the_decision(
    result: RoundResult, tmp_path: Path
) -> None:
    ws = written(result, tmp_path, lang="en")["Policy"]
    assert ws.freeze_panes == "A2"
    labels = _label_rows(ws)
    for name in Policy.model_fields:
        assert name in labels, name
    assert labels["rule"][1] == "ranked"
    assert labels["max_share_of_cost"][1] == 0.2
    assert ws[f"B{labels['max_share_of_cost'][0]}"].number_format == "0%"
    assert labels["round_to"][1] == 1000
    assert labels["tie_break"][1] == "total_cost asc"
    assert labels["max_award"][1] == "none"
    # Seconds as a number, not the text '60.0' (a Norwegian reader writes 60 or 60,0).
    assert labels["time_limit"][1] == 60
    assert labels["Input file"][1] == "søknader.xlsx"
    assert labels["Sheet"][1] == "Søknader"
    assert labels["SHA-256 of the input file"][1] == "ab" * 32
    assert labels["tilskudd version"][1] == "0.1.0"
    # A date-time cell in UTC with the ledger export's format, not ISO 8601 text.
    assert labels["Created (UTC)"][1] == datetime(2026, 11, 28, 10, 30)
    assert ws[f"B{labels['Created (UTC)'][0]}"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert labels["Notes"][1] == "No errors: every application can be allocated."
    # A round note is a sentence with its full stop, as the reasons are.
    tie = Reason(code="note.tie_at_line", params={"rank": 2, "count": 2, "ids": ["A", "B"]})
    noted = result.allocation.model_copy(update={"notes": (tie,)})
    tied = written(result.model_copy(update={"allocation": noted}), tmp_path, lang="en")
    assert _label_rows(tied["Policy"])["Notes"][1].endswith(
        "(A and B); they were taken in id order."
    )
    problems = [r for r in rows(ws) if r[0] == "Søknader!F9"]
    assert problems == [
        ["Søknader!F9", "error", "the amount is zero; expected an amount above NOK 0"]
    ]


def test_control_characters_do_not_break_the_file(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    tmp_path: Path,
) -> None:
    app = make_application(applicant="Bell\x07 kommune", project="x" * 40_000)
    decision = Decision(application_id="A-1", status=Status.FUNDED, amount=100, rank=1)
    ws = written(make_result([(app, decision)]), tmp_path)["Tildelinger"]
    assert ws["C2"].value == "Bell\ufffd kommune"
    assert len(ws["E2"].value) == 32_767


def test_written_atomically_without_leftovers(result: RoundResult, tmp_path: Path) -> None:
    target = tmp_path / "ut.xlsx"
    xlsx.write(result, target, lang="nb")
    assert [p.name for p in tmp_path.iterdir()] == ["ut.xlsx"]
    assert load_workbook(target).sheetnames[0] == "Tildelinger"


def test_failure_leaves_the_old_file_alone(
    result: RoundResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ut.xlsx"
    target.write_bytes(b"the old workbook")

    def full_disk(*_: object) -> None:  # after the two application sheets were streamed
        raise OSError("disk full")

    monkeypatch.setattr(xlsx, "_write_summary", full_disk)
    with pytest.raises(OSError, match="disk full"):
        xlsx.write(result, target, lang="nb")
    assert target.read_bytes() == b"the old workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["ut.xlsx"]


def test_more_columns_than_excel_holds_is_an_error_not_a_crash(
    result: RoundResult, tmp_path: Path
) -> None:
    """A sheet with 16 400 columns of its own: with tilskudd's 17, over Excel's 16 384."""
    from tilskudd.errors import InputFileError

    wide = result.model_copy(update={"extra_columns": tuple(f"E{i}" for i in range(16_400))})
    target = tmp_path / "ut.xlsx"
    with pytest.raises(InputFileError) as caught:
        xlsx.write(wide, target, lang="nb")
    assert str(caught.value) == (
        "the applications have 16,400 columns of their own; with tilskudd's the award workbook"
        " would need 16,417 columns, more than the 16,384 a sheet holds in Excel. Write .csv or"
        " .json instead"
    )
    assert caught.value.text("nb").startswith("søknadene har 16\u00a0400 egne kolonner; ")
    assert caught.value.exit_code == 1
    assert list(tmp_path.iterdir()) == []


def test_a_sheet_that_fits_once_its_empty_columns_are_left_out_is_written(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The width check counted every column of tilskudd's, also those left out as empty for
    every application: a participatory budget with 16 372 columns of its own (17 of
    tilskudd's, 5 of them empty: 16 389, over 16 384) was refused, though its sheet of 16 384
    columns fits. The check counts the columns written; one more is still refused. (Excel's
    limit made 40 here: a sheet of 16 384 columns takes seconds to write.)"""
    from tilskudd.errors import InputFileError

    limit = 40
    monkeypatch.setattr(xlsx, "MAX_COLUMNS", limit)
    projects = _projects_round(make_application, make_result)
    everything = len(
        xlsx._award_columns(
            "nb",
            (),
            funded=True,
            override=False,
            changed=False,
            places=xlsx._names_places(projects),
        )
    )
    fits = limit - everything + 5  # applicant, org. no., category, total cost, share of cost
    wide = projects.model_copy(update={"extra_columns": tuple(f"E{i}" for i in range(fits))})
    target = tmp_path / "ut.xlsx"
    xlsx.write(wide, target, lang="nb")
    for sheet in ("Tildelinger", "Ikke innvilget"):
        header = rows(load_workbook(target)[sheet])[0]
        assert header[-1] == f"E{fits - 1}"
    assert len(rows(load_workbook(target)["Tildelinger"])[0]) == limit
    wider = projects.model_copy(update={"extra_columns": (*wide.extra_columns, "E")})
    with pytest.raises(InputFileError) as caught:
        xlsx.write(wider, tmp_path / "for-bred.xlsx", lang="nb")
    assert caught.value.params["columns"] == limit + 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ut.xlsx"]


def test_the_garbage_collector_is_left_as_it_was(
    result: RoundResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = []
    real = xlsx._write_summary

    def spy(*args: Any) -> None:
        seen.append(gc.isenabled())
        real(*args)

    monkeypatch.setattr(xlsx, "_write_summary", spy)
    try:
        xlsx.write(result, tmp_path / "a.xlsx")
        assert gc.isenabled()
        gc.disable()
        xlsx.write(result, tmp_path / "b.xlsx")
        assert not gc.isenabled()
        gc.enable()
        monkeypatch.setattr(xlsx, "_write_basis", lambda *_: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            xlsx.write(result, tmp_path / "c.xlsx")
        assert gc.isenabled()
    finally:
        gc.enable()
    assert seen == [False, False, False]  # paused while the rows were written


def test_export_dispatch_finds_the_writer(result: RoundResult, tmp_path: Path) -> None:
    from tilskudd.export import write

    assert write(result, tmp_path / "x.xlsx", lang="en") == "xlsx"
    assert load_workbook(tmp_path / "x.xlsx").sheetnames[0] == "Awards"


def test_the_basis_names_a_sheet_with_a_space_at_its_end_as_the_messages_do(
    result: RoundResult, tmp_path: Path
) -> None:
    # "Søknader " in a cell looks like "Søknader": quoted as check and the problem lists
    # quote it ('Søknader '!F12), the space shows.
    assert result.source is not None
    spaced = result.model_copy(
        update={"source": result.source.model_copy(update={"sheet": "Søknader "})}
    )
    basis = {row[0]: row[1] for row in rows(written(spaced, tmp_path, lang="nb")["Grunnlag"])}
    assert basis["Ark"] == "'Søknader '"
    plain = {row[0]: row[1] for row in rows(written(result, tmp_path, lang="en")["Policy"])}
    assert plain["Sheet"] == "Søknader"


def test_norwegian_policy_sheet_heads_its_settings_as_parameters(
    result: RoundResult, tmp_path: Path
) -> None:
    """In Norwegian case work an "innstilling" is the officer's recommendation for a decision;
    the basis sheet headed its settings (rule, max_share_of_cost, ...) with that word."""
    ws = written(result, tmp_path, lang="nb")["Grunnlag"]
    assert rows(ws)[0] == ["Parameter", "Verdi", "Forklaring"]


def test_norwegian_policy_sheet_says_funding_line_as_the_rest_of_the_round_does(
    result: RoundResult, tmp_path: Path
) -> None:
    """The notes, explain and the guide call it "finansieringsgrensen"; the basis sheet's
    explanation of at_line and lottery_band said "streken", a word used nowhere else."""
    ws = written(result, tmp_path, lang="nb")["Grunnlag"]
    explained = {row[0]: row[2] for row in rows(ws)[1:]}
    assert str(explained["at_line"]).startswith("Ved finansieringsgrensen: skip (hopp over)")
    assert "ved finansieringsgrensen" in str(explained["lottery_band"])
    assert not any("streken" in str(text) for text in explained.values())


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_tied_rank_shows_its_tie_mark_and_stays_a_number(tmp_path: Path, lang: str) -> None:
    # B2 and C3 share rank 2 (the CSV and terminal say 2=); the money runs out between them.
    apps = tuple(
        Application(id=i, requested=100, score=Decimal(s), applicant="Moss kommune", project=i)
        for i, s in (("A1", 9), ("B2", 7), ("C3", 7), ("D4", 5))
    )
    result = RoundResult(
        allocation=allocate(apps, 250, Policy()),
        applications=apps,
        tool_version="0",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    book = written(result, tmp_path, lang=lang)
    rank = column_header("rank", lang)
    cells = {}
    for ws in book.worksheets[:2]:
        header = [c.value for c in ws[1]]
        column = header.index(rank)
        id_column = header.index(column_header("id", lang))
        for row in ws.iter_rows(min_row=2):
            cells[row[id_column].value] = row[column]
    assert {k: c.value for k, c in cells.items()} == {"A1": 1, "B2": 2, "C3": 2, "D4": 4}
    assert {k: c.number_format for k, c in cells.items()} == {
        "A1": "General",
        "B2": '0"="',
        "C3": '0"="',
        "D4": "General",
    }
