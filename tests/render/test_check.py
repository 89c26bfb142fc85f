"""The report of ``tilskudd check``: terminal text and its JSON form."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from io import StringIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from tilskudd.models import Application, Issue, Location, RejectedRow, Severity
from tilskudd.render.check import check_header, lay_out, render_check
from tilskudd.render.text import grid, lead_widths
from tilskudd.reports import check_to_json, sorted_issues
from tilskudd.summary import BudgetCheck, budget_check
from tilskudd.validation import RegisterMismatch

NBSP = "\u00a0"


@dataclass(frozen=True)
class Checked:
    """Stands in for tilskudd.validation.ValidationResult (the fields check reports on)."""

    file: str = "søknader.xlsx"
    sheet: str | None = "Søknader"
    header_row: int | None = 3
    applications: tuple[Application, ...] = ()
    rejected: tuple[RejectedRow, ...] = ()
    issues: tuple[Issue, ...] = field(default_factory=tuple)
    ranking_column: bool = True
    register_mismatch: RegisterMismatch | None = None
    comment: str | None = None


def _issue(
    severity: Severity,
    code: str,
    row: int | None,
    column: str | None,
    header: str | None = None,
    **params: str | int | list[str],
) -> Issue:
    return Issue(
        severity=severity,
        code=code,
        params=params,
        location=Location(
            file="søknader.xlsx", sheet="Søknader", row=row, column=column, header=header
        ),
        value=str(params.get("value")) if "value" in params else None,
        field="requested" if column == "F" else None,
        application_id=f"S-{row}" if row else None,
    )


WARN, ERR = Severity.WARNING, Severity.ERROR

ISSUES = (
    _issue(WARN, "validate.id_generated", 16, "A", "Søknadsnr", id="R16"),
    _issue(
        ERR,
        "validate.amount_ambiguous",
        12,
        "F",
        "Omsøkt beløp",
        value="3,300",
        thousands="3 300",
        decimal="3,3",
        plain="3300",
        comma=1,
    ),
    _issue(ERR, "validate.orgnr_length", 4, "C", "Orgnr", value="98439390", digits=8),
    _issue(WARN, "validate.id_generated", 9, "A", "Søknadsnr", id="R9"),
    _issue(ERR, "validate.amount_zero", 12, "AA", "Egenandel"),
)


@pytest.fixture
def checked(make_application: Callable[..., Application]) -> Checked:
    apps = tuple(
        make_application(id=f"S-{i}", requested=1_000_000 * i, score=Decimal(10 - i), row=i + 3)
        for i in range(1, 4)
    )
    rejected = (
        RejectedRow(id="S-12", row=12, issues=(ISSUES[1], ISSUES[4])),
        RejectedRow(id="S-4", row=4, issues=(ISSUES[2],)),
    )
    return Checked(applications=apps, rejected=rejected, issues=ISSUES)


def render(checked: Checked, *, lang: str = "en", width: int = 140, **kw: object) -> str:
    console = Console(file=StringIO(), width=width)
    render_check(console, checked, lang=lang, **kw)  # type: ignore[arg-type]
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(text, str)
    return text.replace(NBSP, " ")


def test_header_line_names_file_sheet_row_and_counts(checked: Checked) -> None:
    assert check_header(checked, "en") == (
        "søknader.xlsx · sheet Søknader · header in row 3 · 5 applications read: 3 valid, 2 invalid"
    )
    assert check_header(checked, "nb") == (
        "søknader.xlsx · ark Søknader · overskrift i rad 3 · 5 søknader lest: 3 gyldige, 2 ugyldige"
    )


@pytest.mark.parametrize(
    ("sheet", "named"),
    [("Søknader ", "'Søknader '"), (" Runde 1", "' Runde 1'"), ("Runde_1", "Runde_1")],
)
def test_header_line_shows_a_space_at_the_end_of_the_sheet_s_name(
    checked: Checked, sheet: str, named: str
) -> None:
    # "sheet GGIS_Grant_Awards_2016_to_2017  · header in row 1": the name's trailing space read
    # as a double space. Quoted as the cell references below it quote the sheet.
    spaced = replace(checked, sheet=sheet)
    assert f"· sheet {named} · header in row 3 ·" in check_header(spaced, "en")
    assert f"· ark {named} · overskrift i rad 3 ·" in check_header(spaced, "nb")


def test_header_line_of_a_csv_without_sheet() -> None:
    one = Checked(
        file="s.csv", sheet=None, header_row=1, rejected=(RejectedRow(id="x", issues=()),)
    )
    assert (
        check_header(one, "nb")
        == "s.csv · overskrift i rad 1 · 1 søknad lest: 0 gyldige, 1 ugyldig"
    )


def test_problems_are_listed_errors_first_with_the_cell_first(checked: Checked) -> None:
    lines = render(checked).splitlines()
    problem_lines = [line for line in lines if line.startswith("Søknader!")]
    assert [line.split()[0] for line in problem_lines] == [
        "Søknader!C4",
        "Søknader!F12",
        "Søknader!AA12",  # F before AA: columns in spreadsheet order
        "Søknader!A9",
        "Søknader!A16",
    ]
    errors_at = lines.index("Errors (3)")
    warnings_at = lines.index("Warnings (2)")
    assert errors_at < lines.index(problem_lines[0]) < warnings_at < lines.index(problem_lines[3])


def test_problem_line_has_column_header_message_and_hint(checked: Checked) -> None:
    text = render(checked, width=200)
    line = next(x for x in text.splitlines() if x.startswith("Søknader!F12"))
    assert "Omsøkt beløp" in line
    assert "'3,300' is ambiguous" in line
    assert "with a decimal comma, as Norwegian writes decimals, it is 3,3 kr" in line
    assert "for 3 300 kr write 3300 or 3 300" in " ".join(text.split())


def test_verdict_counts_the_rejected(checked: Checked) -> None:
    assert "2 applications have errors and would be rejected." in render(checked)
    assert "2 søknader har feil og vil bli avvist." in render(checked, lang="nb")


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Also, there is no column for the score or the rank:"),
        ("nb", "Dessuten er det ingen kolonne for poeng eller rangering:"),
    ],
)
def test_a_file_with_errors_and_no_score_column_is_told_both(
    checked: Checked, lang: str, said: str
) -> None:
    """The Research Council's real file has one amount of 0 kr and no score column: check
    named the 0 kr only, and allocate then rejected all 171 rows for the missing column."""
    text = " ".join(render(replace(checked, ranking_column=False), lang=lang).split())
    assert said in text
    # It follows "N applications have errors ...", a sentence it cannot say "either" of
    # ("Det er heller ingen kolonne" wants a "no ..." before it).
    assert not re.search(r"\b(either|heller)\b", text)
    assert "proportional" in text.split(said)[1]
    assert said not in " ".join(render(checked, lang=lang).split())


@pytest.mark.parametrize(
    ("lang", "said", "error"),
    [
        ("en", "Also, there is no column", "no column for"),
        ("nb", "Dessuten er det ingen kolonne", "fant ingen kolonne for"),
    ],
)
def test_a_missing_score_column_named_as_an_error_is_not_told_again(
    checked: Checked, lang: str, said: str, error: str
) -> None:
    """allocate of the Research Council's file with the ranked rule: the missing score column
    was listed as an error and then told again ("Moreover, there is no column ..."), as if it
    were a second problem."""
    missing = _issue(ERR, "validate.column_missing", 1, None, fields=["score", "rank"], found=["x"])
    one = replace(checked, ranking_column=False, issues=(*checked.issues, missing))
    text = " ".join(render(one, lang=lang).split())
    assert error in text
    assert said not in text
    assert text.count(error) == 1


@pytest.mark.parametrize(
    ("lang", "said", "also"),
    [
        ("en", "No problems found: every application can be allocated.", "No errors"),
        ("nb", "Ingen problemer funnet: alle søknadene kan fordeles.", "Ingen feil"),
    ],
)
def test_clean_file_is_told_so_once(
    make_application: Callable[..., Application], lang: str, said: str, also: str
) -> None:
    # "No problems found." was followed by "No errors: every application can be allocated."
    text = render(Checked(applications=(make_application(),)), lang=lang)
    assert said in text
    assert also not in text
    assert "Errors" not in text
    assert text.count("\n") == 3  # the header, a blank line and the one verdict


def test_warnings_only_is_still_valid(make_application: Callable[..., Application]) -> None:
    text = render(Checked(applications=(make_application(),), issues=(ISSUES[0],)))
    assert "Warnings (1)" in text
    assert "No errors: every application can be allocated." in text


def test_limit_caps_each_list(checked: Checked) -> None:
    text = render(checked, limit=1)
    assert "Errors (3)" in text
    assert "… 2 more not shown; --format json lists them all" in text
    assert "… 1 more not shown" in text
    assert "Søknader!F12" not in text


def test_budget_check_follows(checked: Checked) -> None:
    check = budget_check(checked.applications, len(checked.rejected), 2_000_000)
    text = render(checked, budget_check=check)
    assert text.index("Budget check") > text.index("would be rejected")
    assert "requested is 3 times the budget" in text


@pytest.mark.parametrize("width", [60, 80, 120])
def test_plain_and_within_width(checked: Checked, width: int) -> None:
    text = render(checked, width=width)
    assert "\x1b" not in text
    assert max(len(line) for line in text.splitlines()) <= width


@pytest.mark.parametrize("width", [40, 44])
def test_a_narrow_terminal_leaves_out_the_column_header_not_the_cell(
    checked: Checked, width: int
) -> None:
    text = render(checked, width=width, lang="nb")
    assert max(len(line) for line in text.splitlines()) <= width
    # Each cell whole at the start of its line (not "Søknader!F" above "12"), the message
    # beside it; the column header is left out (the cell says where).
    starts = [line.split("  ")[0] for line in text.splitlines() if line.startswith("Søknader!")]
    assert starts == ["Søknader!C4", "Søknader!F12", "Søknader!AA12", "Søknader!A9", "Søknader!A16"]
    assert "Omsøkt beløp" not in text


def test_sorted_issues_is_stable_within_a_cell() -> None:
    first = _issue(ERR, "a", 5, "B")
    second = _issue(ERR, "b", 5, "B")
    whole_file = Issue(severity=ERR, code="c")
    assert sorted_issues([first, second, whole_file]) == [whole_file, first, second]


# --- JSON ------------------------------------------------------------------------------------


def test_json_has_stable_keys_and_exact_amounts(checked: Checked) -> None:
    check = budget_check(checked.applications, len(checked.rejected), 2_000_000)
    data = check_to_json(checked, check, lang="en")
    json.dumps(data)  # serialisable as it is
    assert list(data) == [
        "file",
        "sheet",
        "header_row",
        "valid",
        "counts",
        "issues",
        "budget_check",
        "ranking_column",  # added later: appended, so the keys before it keep their places
        "register_mismatch",  # added later still
        "currency",  # and later again
        "comment",  # the file's own comment on the data (a pabulib META's), or null
    ]
    assert data["currency"] == "NOK"
    assert data["comment"] is None
    assert data["register_mismatch"] is None
    assert data["valid"] is False
    assert data["counts"] == {
        "applications": 5,
        "valid": 3,
        "invalid": 2,
        "errors": 3,
        "warnings": 2,
    }
    assert data["budget_check"] == {
        "budget": 2_000_000,
        "valid": 3,
        "invalid": 2,
        "requested": 6_000_000,
        "oversubscription": "3.00",
        "funded_in_full_by_score": 1,
        "requested_of_those": 1_000_000,
        "left_after_those": 1_000_000,
        "municipalities": 1,
        "counties": 1,
        "unscored": 0,
    }


def test_json_says_the_rounds_currency(checked: Checked) -> None:
    from tilskudd.currency import amounts_in

    assert check_to_json(checked, currency="EUR")["currency"] == "EUR"
    # By default the currency the amounts are shown in, so that the two never disagree.
    with amounts_in("eur"):
        assert check_to_json(checked)["currency"] == "EUR"
    assert check_to_json(checked)["currency"] == "NOK"


def test_json_issue_carries_place_code_params_and_message(checked: Checked) -> None:
    issue = check_to_json(checked, lang="nb")["issues"][1]
    assert issue == {
        "severity": "error",
        "code": "validate.amount_ambiguous",
        "message": issue["message"],
        "cell": "Søknader!F12",
        "file": "søknader.xlsx",
        "sheet": "Søknader",
        "row": 12,
        "column": "F",
        "header": "Omsøkt beløp",
        "field": "requested",
        "value": "3,300",
        "application_id": "S-12",
        "params": {
            "value": "3,300",
            "thousands": "3 300",
            "decimal": "3,3",
            "plain": "3300",
            "comma": 1,
        },
    }
    assert issue["message"].startswith("«3,300» er tvetydig")


def test_json_without_budget_check(checked: Checked) -> None:
    assert check_to_json(checked)["budget_check"] is None


def test_json_ratio_is_text_not_float() -> None:
    check = BudgetCheck(
        budget=3,
        valid=1,
        invalid=0,
        requested=10,
        oversubscription=Decimal("3.33"),
        funded_in_full_by_score=0,
        requested_of_those=0,
        municipalities=0,
        counties=0,
        unscored=0,
    )
    assert check_to_json(Checked(), check)["budget_check"]["oversubscription"] == "3.33"


_WORDS = st.text(alphabet=st.sampled_from([*"abcæøå ÅØ'-,.3", NBSP, "\n"]), max_size=60)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.lists(_WORDS, min_size=3, max_size=3), min_size=1, max_size=4),
    width=st.integers(min_value=30, max_value=140),
    caps=st.tuples(st.integers(1, 20), st.integers(1, 24)),
)
def test_plain_lines_are_what_rich_lays_out(
    rows: list[list[str]], width: int, caps: tuple[int, int]
) -> None:
    cells = [[Text(text) for text in row] for row in rows]
    lead = lead_widths(cells, list(caps))
    laid = lay_out(cells, width, lead=lead)
    console = Console(file=StringIO(), width=width)
    console.print(grid(cells, width, lead=lead))
    expected = console.file.getvalue()  # type: ignore[attr-defined]
    if laid is None:
        # Too narrow, or a line break in a cell: rich's table decides.
        assert width - sum(lead) - 4 < 20 or any("\n" in text for row in rows for text in row)
    else:
        assert laid + "\n" == expected


def test_tabs_and_wide_characters_are_left_to_rich() -> None:
    assert lay_out([[Text("a\tb"), Text("x"), Text("y")]], 80, lead=[3, 1]) is None
    assert lay_out([[Text("漢字"), Text("x"), Text("y")]], 80, lead=[4, 1]) is None
    assert (
        lay_out([[Text("A1"), Text("x"), Text("y")]], 80, lead=[2, 1])
        == "A1  x  " + "y" * 1 + " " * 72
    )


def test_the_header_and_the_verdict_never_break_a_number(
    make_application: Callable[..., Application],
) -> None:
    """The UK government's 3 351 grant awards checked in bokmål at 80 columns ended the first
    line with "lest: 3" and began the next with "242 gyldige": rich breaks a line at the
    non-breaking space inside a number. The header, the verdict and the register's advice are
    wrapped at ordinary spaces only, at any width."""
    many = Checked(
        file="tildelinger.xlsx",
        sheet="GGIS_Grant_Awards_2016_to_2017 ",
        applications=(make_application(),) * 3242,
        rejected=(RejectedRow(id="x", issues=()),) * 1109,
        ranking_column=False,
        register_mismatch=RegisterMismatch(
            register="2024", other_register="2009", problems=2218, applications=1109, rejected=1109
        ),
    )
    for width in range(30, 100):
        console = Console(file=StringIO(), width=width)
        render_check(console, many, lang="nb")
        text = console.file.getvalue()  # type: ignore[attr-defined]
        assert text.count(f"4{NBSP}351") == 1, (width, text)
        assert text.count(f"3{NBSP}242") == 1, (width, text)
        # The header, the verdict and the register's advice (the invalid, twice).
        assert text.count(f"1{NBSP}109") == 4, (width, text)
        assert text.count(f"2{NBSP}218") == 1, (width, text)


def _duplicates(severity: Severity, rows: range) -> tuple[Issue, ...]:
    """The same kind of problem on rows of their own (each a line): "the same organisation
    number and project title", as the UK government's awards have 1 212 times."""
    return tuple(
        _issue(
            severity,
            "validate.duplicate_project",
            row,
            "B",
            "Tittel",
            orgnr=f"GB{row}",
            rows=[str(row), str(row + 1)],
            register=1,
        )
        for row in rows
    )


def test_many_warnings_of_one_kind_are_counted_after_the_first_few() -> None:
    others = (
        _issue(WARN, "validate.id_generated", 14, "A", "Søknadsnr", id="R14"),
        _issue(WARN, "validate.id_generated", 90, "A", "Søknadsnr", id="R90"),
    )
    issues = (*_duplicates(WARN, range(10, 60, 2)), *others)
    text = render(Checked(issues=issues))
    assert "Warnings (27)" in text
    listed = re.findall(r"Søknader!B(\d+) ", text)
    assert listed == ["10", "12", "14", "16", "18"]
    # The other kind is listed where it falls, and after the fold.
    assert "Søknader!A14" in text
    assert "Søknader!A90" in text
    assert text.index("Søknader!A90") > text.index("20 more warnings like the one at B10")
    assert (
        "… 20 more warnings like the one at B10, 25 in all, are not listed here; --format json "
        "lists every one, as does the workbook allocate -o writes"
    ) in " ".join(text.split())
    assert "more not shown" not in text  # the fold says it; nothing is counted twice
    nb = " ".join(render(Checked(issues=issues), lang="nb").split())
    assert "… 20 advarsler til av samme slag som den i B10, 25 i alt, er ikke listet her" in nb


def test_a_handful_of_one_kind_and_every_error_are_listed_in_full() -> None:
    issues = (*_duplicates(WARN, range(10, 30, 2)), *_duplicates(ERR, range(100, 160, 2)))
    text = render(Checked(issues=issues))
    assert len(re.findall(r"Søknader!B\d+ ", text)) == 10 + 30
    assert "not listed here" not in text


def test_folding_is_left_out_on_request_and_counts_with_the_limit() -> None:
    issues = _duplicates(WARN, range(10, 60, 2))
    assert len(re.findall(r"Søknader!B\d+ ", render(Checked(issues=issues), fold=False))) == 25
    text = " ".join(render(Checked(issues=issues), limit=3).split())
    assert len(re.findall(r"Søknader!B\d+ ", text)) == 3
    assert "… 22 more not shown; --format json lists them all" in text
    allocating = " ".join(render(Checked(issues=issues), command="allocate").split())
    assert "the workbook and the JSON -o writes list every one" in allocating
