"""The award table and the budget check as the terminal shows them (rendered to text)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from tilskudd.models import (
    Application,
    Decision,
    Issue,
    Location,
    Reason,
    RejectedRow,
    RoundResult,
    Severity,
    Status,
)
from tilskudd.money import format_amount
from tilskudd.render.allocation import (
    _COLUMNS,
    choose_columns,
    column_widths,
    cut_long,
    render_budget_check,
    render_result,
)
from tilskudd.summary import budget_check, summarise

NBSP = "\u00a0"


def render(result: RoundResult, *, lang: str = "nb", width: int = 160, **kw: int) -> str:
    console = Console(file=StringIO(), width=width)
    render_result(console, result, lang=lang, **kw)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(text, str)
    return text.replace(NBSP, " ")


@pytest.fixture
def round_result(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
) -> RoundResult:
    """Four valid applications (two tied at rank 1) and one rejected; 100 000 kr left."""
    app = make_application

    def decision(
        app_id: str, status: Status, amount: int, requested: int, **kw: object
    ) -> Decision:
        return Decision(
            application_id=app_id, status=status, amount=amount, requested=requested, **kw
        )

    entries = [
        (
            app(
                id="S-004",
                applicant="Vadsø kommune",
                project="Ingen penger igjen",
                municipalities=("2003",),
                requested=800_000,
                row=5,
            ),
            decision("S-004", Status.NOT_FUNDED, 0, 800_000, rank=4),
        ),
        (
            app(
                id="S-001",
                applicant="Bærum kommune",
                project="Felles IKT-plattform [bold]Vestregionen[/bold]",
                municipalities=("0219", "0220", "0228", "0229", "0230"),
                counties=("02",),
                requested=3_300_000,
                row=2,
            ),
            decision(
                "S-001",
                Status.FUNDED,
                3_300_000,
                3_300_000,
                rank=1,
                tied=True,
                reasons=(
                    Reason(code="reason.funded.full", params={"amount": 3_300_000, "rank": 1}),
                ),
            ),
        ),
        (
            app(
                id="S-002",
                applicant="Halden kommune",
                project="eHandel",
                municipalities=("0101",),
                requested=2_000_000,
                row=3,
            ),
            decision("S-002", Status.PARTLY_FUNDED, 1_200_000, 2_000_000, rank=1, tied=True),
        ),
        (
            app(
                id="S-003",
                applicant="Oslo kommune",
                project="Smart vann",
                municipalities=("0301",),
                counties=("03",),
                requested=5_000_000,
                row=4,
            ),
            decision("S-003", Status.RESERVE, 0, 5_000_000, rank=3),
        ),
    ]
    problem = Issue(
        severity=Severity.ERROR,
        code="validate.amount_zero",
        location=Location(file="s.xlsx", sheet="Søknader", row=9, column="F", header="Omsøkt"),
        field="requested",
        value="0",
    )
    rejected = [
        (
            RejectedRow(id="S-009", row=9, applicant="=cmd|' /C calc'!A0", issues=(problem,)),
            Decision(application_id="S-009", status=Status.REJECTED, amount=0, requested=None),
        )
    ]
    return make_result(entries, budget=4_600_000, rejected=rejected, round="Runde 1")


def test_award_table_shows_amounts_statuses_and_the_summary(round_result: RoundResult) -> None:
    text = render(round_result, width=160)
    assert "3 300 000 kr" in text
    assert "1 200 000 kr" in text
    for word in ("innvilget", "delvis innvilget", "reserve", "avslått", "avvist"):
        assert word in text
    assert "Ramme: 4 600 000 kr · Tildelt: 4 500 000 kr · Ikke fordelt: 100 000 kr" in text
    assert text.rstrip().splitlines()[-1] == (
        "Runde 1: 2 prosjekter med 6 kommuner får 4 500 000 kr; 100 000 kr igjen av runden."
    )


def test_rows_go_funded_reserve_not_funded_rejected(round_result: RoundResult) -> None:
    text = render(round_result)
    positions = [text.index(i) for i in ("S-001", "S-002", "S-003", "S-004", "S-009")]
    assert positions == sorted(positions)


def test_ties_are_marked_and_explained(round_result: RoundResult) -> None:
    text = render(round_result, lang="en")
    lines = [line for line in text.splitlines() if "S-001" in line or "S-002" in line]
    assert all(line.lstrip().startswith("1=") for line in lines)
    assert "1=: a rank with = is shared by at least two applications" in text  # of this round


def test_the_tie_legend_holds_for_three_sharing_a_rank(tmp_path: Path) -> None:
    # Toulouse's participatory budget 2022, district 17 (pabulib): three projects with 15
    # votes share rank 8, and the legend said "8= deler plass med en annen søknad".
    from tilskudd.models import Policy
    from tilskudd.pipeline import read_applications, run_round

    path = tmp_path / "toulouse.csv"
    path.write_text(
        "ID;Prosjekt;Omsøkt beløp;Poeng\n"
        "184;Guinguette Petit Bois;10000;16\n"
        "178;Bornes de recharge;10500;15\n"
        "181;Voie accès Ecole maternelle;30000;15\n"
        "187;Espace de jeux;39000;15\n",
        encoding="utf-8",
    )
    result = run_round(read_applications(path), 40_000, Policy())
    text = " ".join(render(result, lang="nb").split())
    assert "2=: en plass med = deles av minst to søknader." in text


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "1=, 4=: a rank with = is shared by at least two applications."),
        ("nb", "1=, 4=: en plass med = deles av minst to søknader."),
    ],
)
def test_the_tie_legend_names_every_tied_rank(tmp_path: Path, lang: str, said: str) -> None:
    # Amsterdam's neighbourhood budget (pabulib) has ties at 3=, 25=, 33= and more; the legend
    # said "3= shares its rank with ...", as if 3 were the only one.
    from tilskudd.models import Policy
    from tilskudd.pipeline import read_applications, run_round

    path = tmp_path / "ties.csv"
    rows = ["A;15", "B;15", "C;12", "D;9", "E;9", "F;7"]
    path.write_text(
        "ID;Omsøkt beløp;Poeng\n"
        + "".join(f"{r.split(';')[0]};1000;{r.split(';')[1]}\n" for r in rows),
        encoding="utf-8",
    )
    result = run_round(read_applications(path), 3_000, Policy())
    text = " ".join(render(result, lang=lang).split())
    assert said in text
    assert text.count("=:") == 1


def test_the_tie_legend_cuts_many_tied_ranks_short(tmp_path: Path) -> None:
    from tilskudd.models import Policy
    from tilskudd.pipeline import read_applications, run_round

    path = tmp_path / "ties.csv"
    lines = [f"{i}{letter};1000;{100 - i}" for i in range(10) for letter in "ab"]
    path.write_text("ID;Omsøkt beløp;Poeng\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = run_round(read_applications(path), 3_000, Policy())
    text = " ".join(render(result, lang="en", width=200).split())
    assert "1=, 3=, 5=, 7=, 9=, 11=, 13=, 15=, …: a rank with = is shared" in text


def test_totals_row_adds_up_the_valid_applications(round_result: RoundResult) -> None:
    text = render(round_result, width=160)
    total = next(line for line in text.splitlines() if line.strip().startswith("Sum"))
    # Requested by the four valid applications; the rejected one is not part of the round.
    assert "11 100 000 kr" in total
    assert "4 500 000 kr" in total


def test_rejected_row_says_what_is_wrong_and_where(round_result: RoundResult) -> None:
    text = render(round_result, lang="en", width=200)
    assert "Søknader!F9: the amount is zero" in text


def test_a_rejected_row_shows_its_municipalities_as_the_workbook_does(
    make_result: Callable[..., RoundResult],
) -> None:
    """Valid (another cell had the error) as read; with an error, as typed."""

    def problem(row: int, column: str, field: str, code: str, value: str) -> Issue:
        where = Location(file="s.xlsx", sheet="Søknader", row=row, column=column)
        return Issue(severity=Severity.ERROR, code=code, location=where, field=field, value=value)

    rejected = [
        RejectedRow(
            id=app_id,
            row=row,
            applicant=applicant,
            municipalities=municipalities,
            counties=counties,
            issues=(issue,),
        )
        for app_id, row, applicant, municipalities, counties, issue in (
            ("S-1", 2, "Lag A", ("5501",), ("55",),
             problem(2, "F", "requested", "validate.amount_zero", "0")),
            ("S-2", 3, "Lag B", (), ("32",),
             problem(3, "E", "municipalities", "validate.municipality_unknown", "Bearum")),
        )
    ]  # fmt: skip
    result = make_result(
        [],
        budget=100_000,
        rejected=[
            (r, Decision(application_id=r.id, status=Status.REJECTED, amount=0, requested=None))
            for r in rejected
        ],
    )
    for lang in ("nb", "en"):
        lines = render(result, lang=lang, width=200).splitlines()
        assert "Tromsø" in next(line for line in lines if "S-1" in line)
        # Its county is kept, but it is no county's project: the municipality as typed.
        row = next(line for line in lines if "S-2" in line)
        assert "Bearum" in row
        assert "Akershus" not in row


def test_applicant_text_is_not_rich_markup(round_result: RoundResult) -> None:
    text = render(round_result, width=200)
    assert "[bold]Vestregionen[/bold]" in text
    assert "=cmd|' /C calc'!A0" in text


def test_municipality_names_are_shortened(round_result: RoundResult) -> None:
    assert "Bærum, Asker +3 til" in render(round_result, width=200)


def test_plain_text_when_not_a_terminal(round_result: RoundResult) -> None:
    assert "\x1b" not in render(round_result)


def test_colours_on_a_terminal(round_result: RoundResult) -> None:
    console = Console(file=StringIO(), width=160, force_terminal=True, color_system="standard")
    render_result(console, round_result, lang="nb")
    assert "\x1b[" in console.file.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("width", [40, 50, 60, 64, 80, 100, 119, 120, 140, 200])
def test_fits_the_terminal_width(round_result: RoundResult, lang: str, width: int) -> None:
    text = render(round_result, lang=lang, width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    # Nothing cut off: every id and every amount is there whole.
    for app_id in ("S-001", "S-002", "S-003", "S-004", "S-009"):
        assert app_id in text
    amounts = ("3 300 000", "1 200 000", "800 000") if lang == "nb" else ("3,300,000", "800,000")
    header = " ".join(text.splitlines()[:2])
    if ("Omsøkt" if lang == "nb" else "Requested") not in header:
        # the column of amounts requested is left out on a narrow terminal (for the reason's
        # longest word, or for the table to fit at all): the awards are there whole
        assert width < 70
        amounts = ("3 300 000", "1 200 000") if lang == "nb" else ("3,300,000", "1,200,000")
    for amount in amounts:
        assert amount in text
    if 60 <= width < 120:  # no word cut in two: every word is a word of the table when wider

        def words(table: str) -> set[str]:
            return {word for word in table.split() if any(c.isalnum() for c in word)}

        assert words(text) - words(render(round_result, lang=lang, width=119)) == set()
    # Amounts inside a reason are not broken across lines either (where the reason's column is
    # wider than the amount).
    if width >= 50:
        assert ("3 300 000 kr" if lang == "nb" else "NOK 3,300,000") in text


def _words(text: str) -> set[str]:
    """The words of ``text``, without the punctuation around them, case folded; the parts of a
    hyphenated word apart (a line may break after its hyphen, as any text does)."""
    stripped = (word.strip(".,:;()«»'") for word in text.replace("-", " ").split())
    return {word.casefold() for word in stripped if any(c.isalnum() for c in word)}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_terminal_too_narrow_for_the_table_gets_a_list_with_every_word_whole(
    round_result: RoundResult, lang: str
) -> None:
    """Under about 50 characters the table would cut its words (``tilskudds`` / ``berettigede``),
    ids and headers in two: the round is shown as a list instead, one application after another,
    each word whole and the amounts with their currency."""
    whole = _words(render(round_result, lang=lang, width=200))
    header = "Nr." if lang == "nb" else "ID"
    assert header in render(round_result, lang=lang, width=80).splitlines()[0]
    for width in range(34, 60):
        text = render(round_result, lang=lang, width=width)
        assert max(len(line) for line in text.splitlines()) <= width, width
        assert _words(text) <= whole, (width, _words(text) - whole)
        for app_id in ("S-001", "S-002", "S-003", "S-004", "S-009"):
            assert app_id in text
    text = render(round_result, lang=lang, width=40)
    assert header not in text.splitlines()[0]
    first = text.splitlines()[0]
    assert first.startswith("1= S-001 · ")
    assert ("3 300 000 kr" if lang == "nb" else "NOK 3,300,000") in first
    total = "Sum: omsøkt" if lang == "nb" else "Total: requested"
    assert any(line.startswith(total) for line in text.splitlines())


def test_narrow_terminal_leaves_out_less_important_columns(round_result: RoundResult) -> None:
    wide = render(round_result, lang="en", width=160).splitlines()[0]
    narrow = render(round_result, lang="en", width=80).splitlines()
    assert "Municipalities" in wide
    assert "Project" in wide
    header = " ".join(narrow[:2])
    assert "Project" not in header
    assert "Municipalities" not in header
    # Amounts drop the currency and the header says it instead.
    assert "(NOK)" in header
    total = next(line for line in narrow if line.strip().startswith("Total"))
    assert "11,100,000" in total
    assert "NOK" not in total


def test_columns_are_left_out_until_the_reason_has_room() -> None:
    headers = {c.field: c.field for c in _COLUMNS}
    cells = {c.field: ["word " * 8] for c in _COLUMNS}  # 40 characters of text everywhere
    cells.update(rank=["1"], id=["S-1"], requested=["1 000"], awarded=["1 000"], status=["funded"])

    def shown(width: int) -> list[str]:
        columns, widths = choose_columns(headers, cells, "Total", width)
        assert sum(widths) + 2 * (len(widths) - 1) <= width
        return [c.field for c in columns]

    assert shown(200) == [c.field for c in _COLUMNS]
    assert "municipalities" not in shown(120)
    assert "project" in shown(120)
    assert "project" not in shown(100)
    assert "applicant" in shown(100)
    assert shown(70) == ["rank", "id", "requested", "awarded", "status", "reason"]
    # Too narrow for that: the reason gets less than it wants before anything else goes, then
    # the amount requested and the rank are left out, never the amount awarded.
    assert shown(60) == ["rank", "id", "requested", "awarded", "status", "reason"]
    assert shown(50) == ["rank", "id", "awarded", "status", "reason"]
    assert shown(36) == ["id", "awarded", "status", "reason"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nb", ("Søker", "Prosjekt", "Kommuner")),
        ("en", ("Applicant", "Project", "Municipalities")),
    ],
)
def test_columns_empty_in_every_row_are_left_out(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    make_decision: Callable[..., Decision],
    lang: str,
    words: tuple[str, str, str],
) -> None:
    """A sheet with only id, amount and score: no empty applicant, project or municipality
    columns taking the reason's room; the totals label goes in the id column."""
    bare = {"applicant": None, "orgnr": None, "project": None, "municipalities": (), "counties": ()}
    entries = [
        (make_application(id="P-1", **bare), make_decision("P-1", Status.FUNDED, 100_000, rank=1)),
        (
            make_application(id="P-2", requested=50_000, row=3, **bare),
            make_decision("P-2", Status.NOT_FUNDED, 0, requested=50_000, rank=2),
        ),
    ]
    text = render(make_result(entries, budget=100_000), lang=lang, width=200)
    header = text.splitlines()[0]
    assert header.split()[:2] == (["Plass", "Nr."] if lang == "nb" else ["Rank", "ID"])
    for word in words:
        assert word not in header
    # With one applicant named, its column is back; the project and places stay out.
    entries[1] = (entries[1][0].model_copy(update={"applicant": "Moss kommune"}), entries[1][1])
    header = render(make_result(entries, budget=100_000), lang=lang, width=200).splitlines()[0]
    assert words[0] in header
    assert words[1] not in header
    assert words[2] not in header


def test_short_reasons_leave_room_for_everything() -> None:
    headers = {c.field: c.field for c in _COLUMNS}
    cells = {c.field: ["x"] for c in _COLUMNS}
    columns, _widths = choose_columns(headers, cells, "Total", 100)
    assert [c.field for c in columns] == [c.field for c in _COLUMNS]


def test_column_widths_fit_and_never_cut_amounts() -> None:
    columns = [c for c in _COLUMNS if c.field not in ("project", "municipalities")]
    headers = {c.field: c.field.title() for c in columns}
    cells = {c.field: ["x" * 30] for c in columns}
    cells["rank"] = ["12="]
    cells["id"] = ["S-001"]
    cells["requested"] = ["12 300 000"]
    cells["awarded"] = ["4 500 000"]
    cells["status"] = ["partly funded"]
    widths = dict(
        zip([c.field for c in columns], column_widths(columns, headers, cells, 80), strict=True)
    )
    assert sum(widths.values()) + 2 * (len(columns) - 1) <= 80
    assert widths["requested"] >= len("12 300 000")
    assert widths["awarded"] >= len("4 500 000")
    assert widths["status"] >= len("partly")


def test_limit_shows_the_first_rows_and_counts_the_rest(round_result: RoundResult) -> None:
    text = render(round_result, lang="en", width=160, limit=2)
    assert "S-001" in text
    assert "S-002" in text
    assert "S-003" not in text
    assert "S-009" not in text
    assert "… 3 more not shown" in text
    # Totals and summary still cover the whole round.
    assert "NOK 11,100,000" in text


def test_notes_of_the_round_are_listed(
    round_result: RoundResult, make_result: Callable[..., RoundResult]
) -> None:
    entries = list(
        zip(round_result.applications, round_result.allocation.decisions[:4], strict=True)
    )
    noted = make_result(entries, budget=4_600_000, notes=(Reason(code="ui.check.none"),))
    text = render(noted, lang="en")
    assert "Notes\n- No problems found: every application can be allocated." in text


@pytest.mark.parametrize(
    ("lang", "ends"), [("en", "with --columns."), ("nb", "kolonnen med --columns.")]
)
def test_notes_under_the_table_are_sentences_with_their_full_stop(
    round_result: RoundResult, make_result: Callable[..., RoundResult], lang: str, ends: str
) -> None:
    entries = list(
        zip(round_result.applications, round_result.allocation.decisions[:4], strict=True)
    )
    note = Reason(
        code="note.share_of_cost_unknown_all", params={"total": 4, "share": Decimal("0.2")}
    )
    tie = Reason(code="note.tie_at_line", params={"rank": 2, "count": 2, "ids": ["A", "B"]})
    text = " ".join(render(make_result(entries, notes=(note, tie)), lang=lang).split())
    assert f"{ends} - " in text
    assert "(A and B); they were taken in id order. " in text or "etter søknadsnummer. " in text


@pytest.mark.parametrize(
    ("lang", "more", "hint"),
    [("en", "and 30 more", "cut short here"), ("nb", "og 30 til", "forkortet her")],
)
def test_a_long_tie_note_names_the_first_ids_and_counts_the_rest(
    round_result: RoundResult,
    make_result: Callable[..., RoundResult],
    lang: str,
    more: str,
    hint: str,
) -> None:
    entries = list(
        zip(round_result.applications, round_result.allocation.decisions[:4], strict=True)
    )
    ids = [f"T-{i:03d}" for i in range(1, 41)]
    tie = Reason(
        code="note.tie_at_line",
        params={"rank": 7, "count": 40, "ids": ids, "funded_ids": ids[:3], "broken_by": "id"},
    )
    short = Reason(code="note.tie_at_line", params={"rank": 2, "count": 2, "ids": ["A", "B"]})
    text = " ".join(render(make_result(entries, notes=(tie, short)), lang=lang).split())
    assert "T-001, T-002" in text
    assert f"T-010 {more}" in text
    assert "T-011" not in text
    assert hint in text
    assert "(A and B)" in text or "(A og B)" in text  # a short list is shown whole
    # The round itself keeps every id, for the files.
    assert tie.params["ids"] == ids


# --- the budget check ------------------------------------------------------------------------


def _check_text(
    apps: list[Application],
    invalid: int,
    budget: int,
    *,
    lang: str,
    result: RoundResult | None = None,
) -> str:
    console = Console(file=StringIO(), width=120)
    render_budget_check(console, budget_check(apps, invalid, budget), lang=lang, result=result)
    text = console.file.getvalue().replace(NBSP, " ")  # type: ignore[attr-defined]
    return " ".join(text.split())  # values wrap in their column; compare the words


def test_budget_check_says_how_oversubscribed(
    make_application: Callable[..., Application], round_result: RoundResult
) -> None:
    apps = [
        make_application(
            id="A",
            requested=3_000_000,
            score=Decimal(9),
            municipalities=("0301",),
            counties=("03",),
        ),
        make_application(
            id="B",
            requested=2_000_000,
            score=Decimal(8),
            municipalities=("0219",),
            counties=("02",),
        ),
        make_application(
            id="C",
            requested=1_000_000,
            score=Decimal(7),
            municipalities=("0219",),
            counties=("02",),
        ),
    ]
    text = _check_text(apps, 2, 2_500_000, lang="nb", result=round_result)
    assert "3 gyldige, 2 ugyldige" in text
    assert "6 000 000 kr" in text
    assert "omsøkt beløp er 2,4 ganger rammen" in text
    # A does not fit: a strict line.
    assert "0 søknader (0 kr) før den første som ikke får plass; 2 500 000 kr igjen" in text
    assert "2 kommuner i 2 fylker" in text
    assert "4 500 000 kr til 2 prosjekter; 100 000 kr igjen av runden" in text


def test_budget_check_when_everything_fits(make_application: Callable[..., Application]) -> None:
    apps = [
        make_application(id="A", requested=100_000, score=None),
        make_application(id="B", requested=50_000, score=Decimal(5)),
    ]
    text = _check_text(apps, 0, 1_000_000, lang="en")
    assert "requested is 0.15 times the budget: every valid application fits" in text
    assert "2 applications (NOK 150,000), leaving NOK 850,000" in text
    assert "1 application without a score or rank is taken last, by ID" in text
    assert "1 municipality in 1 county" in text
    assert "This allocation" not in text


def test_budget_check_of_a_sheet_without_places_says_nothing_of_them(
    make_application: Callable[..., Application],
) -> None:
    """A sheet without a municipality or county column (360Giving data, a research council's
    file) was said to involve "0 municipalities in 0 counties", as status was before it said
    such a round's figures without places."""
    apps = [
        make_application(id="A", requested=100_000, municipalities=(), counties=()),
        make_application(id="B", requested=50_000, municipalities=(), counties=()),
    ]
    for lang, heading in (("en", "Involved"), ("nb", "Omfatter")):
        text = _check_text(apps, 0, 120_000, lang=lang)
        assert "Budget" in text or "Budsjett" in text
        assert heading not in text
        assert "0 counties" not in text
        assert "0 fylker" not in text
    # One county council's project names its county only: said as it is.
    county = [make_application(id="F", requested=100_000, municipalities=(), counties=("20",))]
    assert "0 municipalities in 1 county" in _check_text(county, 0, 120_000, lang="en")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "no application has a score or rank yet, so they are taken by ID"),
        ("nb", "ingen søknad har poeng eller rangering ennå, så de tas etter søknadsnummer"),
    ],
)
def test_budget_check_of_a_sheet_not_yet_scored(
    make_application: Callable[..., Application], lang: str, expected: str
) -> None:
    """The Research Council's and Uster's real files have no score at all: every application
    was said to be "taken last", after nothing, in a line headed "best first"."""
    apps = [
        make_application(id="A", requested=100_000, score=None),
        make_application(id="B", requested=50_000, score=None),
    ]
    text = " ".join(_check_text(apps, 0, 120_000, lang=lang).split())
    assert expected in text
    assert "taken last" not in text
    assert "tas sist" not in text


def test_budget_check_without_a_budget(make_application: Callable[..., Application]) -> None:
    text = _check_text([make_application()], 0, 0, lang="en")
    assert "no budget to compare with" in text


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_prose_under_the_table_never_breaks_an_amount(round_result: RoundResult, lang: str) -> None:
    """Difi 2009 at 60 columns in English ended a line with "receive NOK" and began the next
    with "19,981,000": rich breaks at the non-breaking space inside an amount. The budget line,
    the notes and the summary sentence are wrapped at ordinary spaces only, at any width."""
    summary = summarise(round_result)
    amounts = {
        format_amount(summary.budget, lang): 1,
        format_amount(summary.awarded, lang): 2,
        format_amount(summary.unallocated, lang): 2,
    }
    for width in range(30, 100):
        console = Console(file=StringIO(), width=width)
        render_result(console, round_result, lang=lang)
        text = console.file.getvalue()  # type: ignore[attr-defined]
        prose = text[text.index("Ramme:" if lang == "nb" else "Budget:") :]
        for amount, times in amounts.items():
            assert prose.count(amount) == times, (width, amount, prose)


@pytest.mark.parametrize(
    ("lang", "shown"), [("nb", "Telemark (hele fylket)"), ("en", "Telemark (whole county)")]
)
def test_a_county_project_shows_its_county_where_the_municipalities_go(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    lang: str,
    shown: str,
) -> None:
    """Difi 2009: 11 of the 53 funded were county councils' and county governors' projects
    for the whole county; the terminal left their place empty, the documents say the county."""
    app = make_application(id="2009-072", municipalities=(), counties=("08",), requested=275_000)
    decision = Decision(
        application_id="2009-072", status=Status.FUNDED, amount=275_000, requested=275_000, rank=1
    )
    text = " ".join(render(make_result([(app, decision)]), lang=lang).split())
    assert shown in text


@pytest.mark.parametrize(
    ("lang", "label"),
    [("en", "Funded as requested, best first"), ("nb", "Hele omsøkte beløp, beste først")],
)
def test_budget_check_says_its_count_is_of_whole_requests(
    make_application: Callable[..., Application], round_result: RoundResult, lang: str, label: str
) -> None:
    """allocate --dry-run on Difi 2009 printed "Funded in full, best first: 37 applications"
    above "This allocation: ... to 53 projects": the 37 take whole requests without the 20 %
    cap, and the label did not say so."""
    apps = [make_application(id="A", requested=100_000, score=Decimal(5))]
    text = _check_text(apps, 0, 1_000_000, lang=lang, result=round_result)
    assert f"{label} 1 " in text


@pytest.mark.parametrize(
    ("lang", "line", "allocated"),
    [
        (
            "en",
            "1 application (NOK 100,000) up to the first that does not fit, leaving NOK 150,000",
            "NOK 150,000 to 2 projects",
        ),
        (
            "nb",
            "1 søknad (100 000 kr) før den første som ikke får plass; 150 000 kr igjen",
            "150 000 kr til 2 prosjekter",
        ),
    ],
)
def test_budget_check_says_its_line_stops_at_the_first_that_does_not_fit(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    lang: str,
    line: str,
    allocated: str,
) -> None:
    """Warsaw-Wawer's real round: "Funded as requested, best first: 10 applications" over
    "This allocation: ... to 19 projects". The check's line stops at the first request that
    does not fit; the default rule passes over it and funds smaller ones below, and the line
    did not say which it was."""
    apps = [
        make_application(id="A", requested=100_000, score=Decimal(9)),
        make_application(id="B", requested=200_000, score=Decimal(8)),
        make_application(id="C", requested=50_000, score=Decimal(7)),
    ]
    # The default rule (ranked, at_line = "skip"): B does not fit, C below it does.
    outcome = {
        "A": (Status.FUNDED, 100_000),
        "B": (Status.NOT_FUNDED, 0),
        "C": (Status.FUNDED, 50_000),
    }
    result = make_result(
        [
            (
                app,
                Decision(
                    application_id=app.id,
                    status=outcome[app.id][0],
                    amount=outcome[app.id][1],
                    requested=app.requested,
                    rank=rank,
                ),
            )
            for rank, app in enumerate(apps, start=1)
        ],
        budget=250_000,
    )
    text = _check_text(apps, 0, 250_000, lang=lang, result=result)
    assert line in text
    assert allocated in text
    # When every request fits, there is no first that does not.
    text = _check_text(apps, 0, 400_000, lang=lang)
    assert "does not fit" not in text
    assert "ikke får plass" not in text


def _table_rows(text: str) -> dict[str, str]:
    """The table's rows by id (the first line of each)."""
    rows = {}
    for line in text.splitlines():
        words = line.split()
        if len(words) > 1 and words[1].startswith("S-"):
            rows[words[1]] = " ".join(words)
    return rows


def test_a_changed_round_is_shown_as_it_stands_with_its_notes() -> None:
    """The terminal table of a committed round amended and withdrawn from since showed the
    amounts decided (a withdrawn award at 900 000 kr, the total 7 200 000 kr): now each award
    at its amount now, its state and note number, the notes under it and totals that add up."""
    from tests.export.conftest import _changed_round

    text = render(_changed_round(), lang="nb", width=200)
    rows = _table_rows(text)
    assert rows["S-001"].startswith("1= S-001 Halden kommune")
    assert "3 300 000 kr 3 000 000 kr endret (1)" in rows["S-001"]
    assert "1 500 000 kr 1 200 000 kr endret (2)" in rows["S-003"]
    assert "900 000 kr 0 kr trukket tilbake (3) †" in rows["S-004"]
    assert "5 000 000 kr 800 000 kr endret (4)" in rows["S-005"]
    assert "2 000 000 kr 2 000 000 kr innvilget Reason" in rows["S-002"]  # unchanged, no mark
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Sum 13 500 000 kr 7 000 000 kr" in lines
    assert (
        "Ramme: 7 300 000 kr · Vedtatt: 7 200 000 kr · Ikke fordelt: 100 000 kr · Endret etter "
        "vedtaket: -200 000 kr · Tildelt nå: 7 000 000 kr"
    ) in lines
    said = " ".join(text.split())
    assert "Runde 1: 4 prosjekter med 8 kommuner får 7 000 000 kr" in said
    assert (
        "Etter vedtaket er det registrert 3 endringer og 1 tilbaketrekning: 7 200 000 kr ble "
        "vedtatt, 7 000 000 kr er tildelt nå, og 200 000 kr er gått tilbake til rammen"
    ) in said
    notes = said[said.index("Endringer etter vedtaket") :]
    assert notes.startswith(
        "Endringer etter vedtaket 1. Halden kommune – Felles IKT-plattform for Østfold (S-001): "
        "Etter vedtaket ble tilskuddet endret 14. oktober 2009, fra 3 300 000 kr til 3 000 000 kr."
    )
    assert "3. Bergen kommune – -Minus: Åpne data | felles API (S-004): Etter vedtaket" in notes
    assert "utenfor rundens tildelingsregler (max_share_of_cost)" in notes


def test_a_changed_round_as_decided_keeps_the_amounts_and_says_what_changed() -> None:
    from tests.export.conftest import _changed_round

    text = render(_changed_round(), lang="en", width=200, as_decided=True)
    rows = _table_rows(text)
    assert "NOK 900,000 NOK 900,000 funded (3) †" in rows["S-004"]
    assert "NOK 5,000,000 – reserve (4)" in rows["S-005"]
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Total NOK 13,500,000 NOK 7,200,000" in lines
    said = " ".join(text.split())
    assert "This list shows the awards as decided." in said
    assert "Changes since the decision 1. Halden kommune" in said


def test_a_changed_round_fits_a_narrow_terminal() -> None:
    from tests.export.conftest import _changed_round

    for lang in ("nb", "en"):
        text = render(_changed_round(), lang=lang, width=60)
        assert max(len(line) for line in text.splitlines()) <= 60, text
        assert "7 000 000" in text or "7,000,000" in text


def test_an_unchanged_round_has_no_change_notes(round_result: RoundResult) -> None:
    text = render(round_result)
    assert "Endringer etter vedtaket" not in text
    assert "Vedtatt" not in text


def test_a_reserve_funded_and_withdrawn_since_has_its_note_under_the_table() -> None:
    from tests.export.conftest import FUNDED_THEN_WITHDRAWN, _small_round

    text = render(_small_round(changes=FUNDED_THEN_WITHDRAWN), lang="en", width=200)
    assert "NOK 5,000,000 NOK 0 withdrawn (1)" in _table_rows(text)["S-005"]
    said = " ".join(text.replace(NBSP, " ").split())
    assert "Changes since the decision 1. Oslo kommune – Smart vann (S-005): After the" in said


@pytest.mark.parametrize(("lang", "as_decided"), [("nb", False), ("en", True)])
def test_a_changed_round_is_shown_without_the_documents_lists(
    monkeypatch: pytest.MonkeyPatch, lang: str, as_decided: bool
) -> None:
    """The table of a changed round built the whole publication (every award's line, the list
    by municipality, the chart) to show its first rows, totals and notes: 2-5 s at 100 000
    applications against 0.2-0.5 s for the same round unchanged. It is made of the changed
    awards now, and says what the documents say."""
    from tests.export.conftest import _changed_round

    from tilskudd import publication

    expected = render(_changed_round(), lang=lang, width=200, as_decided=as_decided)

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the terminal built the documents' lists")

    monkeypatch.setattr(publication, "_build", refused)
    text = render(_changed_round(), lang=lang, width=200, as_decided=as_decided)
    assert text == expected
    said = " ".join(text.split())
    assert ("Tildelt nå: 7 000 000 kr" if lang == "nb" else "Awarded now: NOK 7,000,000") in said


def test_the_budget_check_of_a_changed_round_agrees_with_its_table() -> None:
    """allocate --dry-run of a committed round changed since said "This allocation: 7 200 000
    kr to 5 projects" (as decided) under a table of the awards as they stand (7 000 000 kr to
    4); now it gives the figures the table shows and says which, with the others beside."""
    from tests.export.conftest import _changed_round

    result = _changed_round()
    now = _check_text(list(result.applications), 1, 7_300_000, lang="nb", result=result)
    assert (
        "Denne fordelingen 7 000 000 kr til 4 prosjekter slik tildelingene står nå (vedtatt: "
        "7 200 000 kr til 4 prosjekter); 100 000 kr igjen av runden"
    ) in now
    console = Console(file=StringIO(), width=200)
    check = budget_check(list(result.applications), 1, 7_300_000)
    render_budget_check(console, check, lang="en", result=result, as_decided=True)
    decided = " ".join(console.file.getvalue().replace(NBSP, " ").split())  # type: ignore[attr-defined]
    assert (
        "This allocation NOK 7,200,000 to 4 projects as decided (now: NOK 7,000,000 to 4 "
        "projects); NOK 100,000 left of the round"
    ) in decided
    table = " ".join(render(result, lang="en", width=200, as_decided=True).split())
    assert "Total NOK 13,500,000 NOK 7,200,000" in table


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_round_without_ranks_has_no_empty_rank_column(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
    make_decision: Callable[..., Decision],
    lang: str,
) -> None:
    """`proportional` on a sheet without scores (the Research Council's applications): no
    application has a rank, and the empty rank column took the room that, in bokmål at 80
    columns, left out the amount requested beside each share of it."""
    share = Reason("reason.proportional.share", {"fraction": Decimal("0.1257")})
    entries = [
        (
            make_application(id=str(225873 + i), requested=8_000_000 + i, score=None),
            make_decision(
                str(225873 + i),
                Status.PARTLY_FUNDED,
                1_006_058 + i,
                requested=8_000_000 + i,
                eligible_amount=8_000_000 + i,
                reasons=(share,),
            ),
        )
        for i in range(3)
    ]
    result = make_result(entries, budget=200_000_000)
    header = " ".join(render(result, lang=lang, width=80).splitlines()[:2])
    assert ("Plass" if lang == "nb" else "Rank") not in header
    assert ("Omsøkt" if lang == "nb" else "Requested") in header
    # A round with ranks keeps its column.
    ranked = [(a, d.replace(rank=1 + i)) for i, (a, d) in enumerate(entries)]
    header = render(make_result(ranked, budget=200_000_000), lang=lang, width=80).splitlines()[0]
    assert header.split()[0] == ("Plass" if lang == "nb" else "Rank")


def _with_a_long_title(result: RoundResult, title: str) -> RoundResult:
    apps = [
        a.model_copy(update={"project": title}) if a.id == "S-002" else a
        for a in result.applications
    ]
    return result.model_copy(update={"applications": tuple(apps)})


@pytest.mark.parametrize(("lang", "said"), [("nb", "kuttet her"), ("en", "cut here")])
@pytest.mark.parametrize("width", [40, 200])  # a list, a table with the project's column
def test_a_long_text_is_cut_in_the_terminal_and_said_once(
    round_result: RoundResult, lang: str, said: str, width: int
) -> None:
    title = "Ord " * 2_500  # 10 000 characters, pasted whole into a title
    console = Console(file=StringIO(), width=width, force_terminal=True, color_system=None)
    render_result(console, _with_a_long_title(round_result, title), lang=lang)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.count("Ord") < 100
    assert "…" in text
    assert " ".join(text.split()).count(said) == 1
    assert "-o" in text
    assert len(text.splitlines()) < 80


def test_a_long_text_is_whole_when_not_a_terminal(round_result: RoundResult) -> None:
    title = "Ord " * 2_500
    text = render(_with_a_long_title(round_result, title), lang="en")
    assert text.count("Ord") == 2_500
    assert "cut here" not in text


@pytest.mark.parametrize(
    "text",
    [
        "漢字" * 200,  # 400 characters, 800 columns
        "カタカナ " * 100,  # wide letters and a narrow space
        "👩\u200d👩\u200d👧" * 200,  # an emoji of three joined: 2 columns
        "Prosjekt 🎭 " * 60,
        "♻\ufe0f" * 200,  # ♻ with U+FE0F, shown as an emoji: 2 columns
    ],
)
def test_a_long_text_is_cut_to_the_columns_the_terminal_shows_it_in(text: str) -> None:
    cut = cut_long(text, 300)
    assert cut.endswith("…")
    assert 295 <= cell_len(cut) <= 300  # not 600 columns, nor half of what there is room for
    assert text.startswith(cut[:-1])
    assert not cut[:-1].endswith("\u200d")  # an emoji joined with U+200D is never split


def test_a_combining_accent_takes_no_column_and_stays_with_its_letter() -> None:
    # "é" written as e + U+0301, as a Mac keeps it: 250 letters in 500 characters.
    accented = "e\u0301" * 250
    assert cut_long(accented, 300) == accented
    cut = cut_long("e\u0301" * 400, 300)
    assert cut == "e\u0301" * 299 + "…"


def test_a_text_of_narrow_characters_is_cut_as_before() -> None:
    assert cut_long("a" * 300, 300) == "a" * 300
    assert cut_long("ab " * 200, 300) == ("ab " * 100)[:299].rstrip() + "…"


def test_a_title_of_wide_characters_is_cut_by_its_width_in_the_terminal(
    round_result: RoundResult,
) -> None:
    title = "漢" * 200  # 200 characters, 400 columns: wider than a text is shown
    console = Console(file=StringIO(), width=200, force_terminal=True, color_system=None)
    render_result(console, _with_a_long_title(round_result, title), lang="en")
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.count("漢") == 149  # 298 columns and …
    assert "cut here" in " ".join(text.split())


def test_a_text_of_a_few_hundred_characters_is_whole_in_the_terminal(
    round_result: RoundResult,
) -> None:
    title = "Ord " * 60
    console = Console(file=StringIO(), width=200, force_terminal=True, color_system=None)
    render_result(console, _with_a_long_title(round_result, title), lang="en")
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.count("Ord") == 60
    assert "cut here" not in text
