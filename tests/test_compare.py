"""Comparing rules (tilskudd.compare) on a hand-built round, the workbook, and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from rich.console import Console
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.cli.compare import check_compare_output
from tilskudd.compare import FIGURES, compare, figure_rows, parse_rules
from tilskudd.errors import PolicyError, UsageError
from tilskudd.export.compare_xlsx import write
from tilskudd.models import Application, Policy, Status
from tilskudd.render.compare import render_comparison
from tilskudd.rules import RULES, allocate
from tilskudd.wording import status_text

MakeApp = Callable[..., Application]
F, P, N = Status.FUNDED, Status.PARTLY_FUNDED, Status.NOT_FUNDED
SMALL = Path(__file__).resolve().parents[1] / "examples" / "small.xlsx"

runner = CliRunner()


@pytest.fixture
def round5(make_application: MakeApp) -> list[Application]:
    """Requests 400k, 300k, 200k, 100k (scores 9..6) and one below the minimum score 5.5."""
    rows = [
        ("A", 9, 400_000, "0301", "03"),
        ("B", 8, 300_000, "4601", "46"),
        ("C", 7, 200_000, "5001", "50"),
        ("D", 6, 100_000, "0301", "03"),
        ("E", 5, 100_000, "1103", "11"),
    ]
    return [
        make_application(
            id=i,
            score=Decimal(s),
            requested=r,
            total_cost=None,
            orgnr=None,
            municipalities=(m,),
            counties=(c,),
            applicant=f"Søker {i}",
        )
        for i, s, r, m, c in rows
    ]


POLICY = Policy(min_score=Decimal("5.5"))


def test_figures_side_by_side(round5: list[Application]) -> None:
    comparison = compare(round5, 600_000, POLICY, ["ranked", "proportional"])
    ranked, proportional = comparison.figures
    # ranked (skip): A 400k, B 300k does not fit in 200k, C 200k fits, D nothing left.
    assert (ranked.funded, ranked.funded_full, ranked.partly_funded) == (2, 2, 0)
    assert (ranked.awarded, ranked.unallocated, ranked.not_funded) == (600_000, 0, 3)
    assert ranked.total_score == Decimal(16)
    assert (ranked.municipalities, ranked.counties) == (2, 2)
    # Gini over [0, 0, 0, 200k, 400k]: (-4·0 -2·0 +0·0 +2·200 +4·400) / (5·600) = 0.667;
    # over the funded [200k, 400k]: 200 / (2·600) = 0.167.
    assert ranked.gini_all == Decimal("0.667")
    assert ranked.gini_funded == Decimal("0.167")
    assert (ranked.smallest, ranked.largest) == (200_000, 400_000)
    # proportional: 600k of 1M eligible -> 60 % each; E is below the minimum score.
    assert (proportional.funded, proportional.partly_funded) == (4, 4)
    assert proportional.awarded == 600_000
    assert proportional.total_score == Decimal(30)
    assert (proportional.municipalities, proportional.counties) == (3, 3)
    # [0, 60k, 120k, 180k, 240k]: (-4·0 -2·60 +0 +2·180 +4·240) / (5·600) = 0.4
    assert proportional.gini_all == Decimal("0.400")
    assert proportional.gini_funded == Decimal("0.250")
    assert (proportional.smallest, proportional.largest) == (60_000, 240_000)


def test_differences_list_each_differing_application_once(round5: list[Application]) -> None:
    comparison = compare(round5, 600_000, POLICY, ["ranked", "proportional"])
    rows = {d.application_id: d.outcomes for d in comparison.differences}
    assert rows == {
        "A": ((F, 400_000), (P, 240_000)),
        "B": ((N, 0), (P, 180_000)),
        "C": ((F, 200_000), (P, 120_000)),
        "D": ((N, 0), (P, 60_000)),
    }
    assert [d.application_id for d in comparison.differences] == ["A", "B", "C", "D"]
    assert comparison.differences[0].applicant == "Søker A"


def test_each_rule_result_is_the_rule_run_alone(round5: list[Application]) -> None:
    comparison = compare(round5, 600_000, POLICY, ["proportional", "ranked"])
    for figures in comparison.figures:
        alone = allocate(round5, 600_000, POLICY.model_copy(update={"rule": figures.rule}))
        assert figures.allocation == alone


def test_an_override_decides_the_same_under_every_rule(round5: list[Application]) -> None:
    apps = list(round5)
    apps[1] = apps[1].model_copy(
        update={"decision": "fund", "decision_amount": 50_000, "decision_reason": "Prioritert"}
    )
    comparison = compare(apps, 600_000, POLICY, ["ranked", "proportional"])
    assert "B" not in {d.application_id for d in comparison.differences}
    assert all(f.allocation.by_id()["B"].amount == 50_000 for f in comparison.figures)


def test_no_differences_when_the_budget_covers_everything(round5: list[Application]) -> None:
    comparison = compare(round5, 5_000_000, POLICY, ["ranked", "proportional"])
    assert comparison.differences == ()
    console = Console(record=True, width=160, color_system=None)
    render_comparison(console, comparison, lang="en")
    assert "Every application gets the same decision under every rule." in console.export_text()


@pytest.mark.parametrize("width", [40, 60, 80, 160])
def test_the_terminal_view_fits_and_cuts_no_figure_short(
    round5: list[Application], width: int
) -> None:
    # Side by side where the rules fit, else one after the other: never a figure cut to
    # "240 0…", an amount broken over two lines, or the labels left out.
    policy = POLICY.model_copy(update={"seed": 7})
    comparison = compare(round5, 600_000, policy, ["ranked", "proportional", "lottery"])
    console = Console(record=True, width=width, color_system=None)
    render_comparison(console, comparison, lang="nb")
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in text
    for amount in ("400\xa0000\xa0kr", "240\xa0000\xa0kr", "60\xa0000\xa0kr"):
        assert amount in text
    assert "Minste tilskudd" in text


def test_parse_rules() -> None:
    available = list(RULES)
    assert parse_rules(" ranked, proportional,ranked ", available) == ("ranked", "proportional")
    with pytest.raises(PolicyError, match="at least two different rules"):
        parse_rules("ranked", available)
    with pytest.raises(PolicyError, match=r"not an available rule: fair") as caught:
        parse_rules("ranked,fair", available)
    assert caught.value.text("nb") == (
        "--compare: ukjent eller utilgjengelig regel fair; velg blant lottery, optimal, "
        "proportional og ranked"
    )
    with pytest.raises(PolicyError) as caught:
        parse_rules("ranked", available)
    assert caught.value.text("nb") == (
        "--compare trenger minst to forskjellige regler, f.eks. --compare ranked,proportional"
    )


def test_terminal_view(round5: list[Application]) -> None:
    comparison = compare(round5, 600_000, POLICY, ["ranked", "proportional"])
    console = Console(record=True, width=160, color_system=None)
    render_comparison(console, comparison, lang="nb")
    text = console.export_text()
    assert "Søknader der vedtaket er forskjellig mellom reglene: 4" in text
    gini = next(line for line in text.splitlines() if line.startswith("Gini for tilskuddene, alle"))
    assert gini.split()[-2:] == ["0,667", "0,400"]
    awarded = next(line for line in text.splitlines() if line.startswith("Minste tilskudd"))
    assert "200\xa0000\xa0kr" in awarded
    assert "60\xa0000\xa0kr" in awarded
    line_b = next(line for line in text.splitlines() if line.startswith("B "))
    assert "avslått" in line_b
    assert "delvis innvilget 180\xa0000\xa0kr" in line_b


@pytest.mark.parametrize("width", [40, 160])
def test_differences_name_the_project_where_no_applicant_is_given(
    round5: list[Application], width: int
) -> None:
    """A participatory budget names projects, not applicants: the table of differences had an
    empty applicant column and no project; it shows what the sheet gives, as the award table."""
    apps = [
        a.model_copy(update={"applicant": None, "project": f"Sykkelvei {a.id}"}) for a in round5
    ]
    comparison = compare(apps, 600_000, POLICY, ["ranked", "proportional"])
    console = Console(record=True, width=width, color_system=None)
    render_comparison(console, comparison, lang="nb")
    text = console.export_text()
    differences = text[text.index("Søknader der vedtaket er forskjellig") :]
    for name in ("A", "B", "C", "D"):
        line = next(x for x in differences.splitlines() if x.startswith(f"{name} "))
        assert f"Sykkelvei {name}" in line
    assert "Søker" not in differences
    if width > 100:
        assert differences.splitlines()[1].split()[:2] == ["Søknadsnr.", "Prosjekt"]


def test_differences_name_applicant_and_project(round5: list[Application]) -> None:
    apps = [a.model_copy(update={"project": f"Sykkelvei {a.id}"}) for a in round5]
    comparison = compare(apps, 600_000, POLICY, ["ranked", "proportional"])
    console = Console(record=True, width=160, color_system=None)
    render_comparison(console, comparison, lang="en")
    text = console.export_text()
    line_b = next(x for x in text.splitlines() if x.startswith("B "))
    assert line_b.split()[1:5] == ["Søker", "B", "Sykkelvei", "B"]


def test_a_round_that_names_no_place_compares_no_places(
    round5: list[Application], tmp_path: Path
) -> None:
    """A sheet without places was compared as 0 municipalities and 0 counties under every
    rule: the terminal and the workbook leave those figures out, as the award workbook does."""
    placeless = [a.model_copy(update={"municipalities": (), "counties": ()}) for a in round5]
    labels = ("Kommuner i innvilgede prosjekter", "Fylker i innvilgede prosjekter")
    for apps, shown in ((round5, True), (placeless, False)):
        comparison = compare(apps, 600_000, POLICY, ["ranked", "proportional"])
        console = Console(record=True, width=160, color_system=None)
        render_comparison(console, comparison, lang="nb")
        text = console.export_text()
        path = tmp_path / f"sammenligning-{shown}.xlsx"
        write(comparison, path, lang="nb")
        sheet = openpyxl.load_workbook(path)["Sammenligning"]
        figures = {row[0] for row in sheet.iter_rows(values_only=True)}
        for label in labels:
            assert (label in text) is shown
            assert (label in figures) is shown
        assert "Tildelt" in text
        assert "Tildelt" in figures


@pytest.mark.parametrize(
    ("lang", "reserve", "not_funded"),
    [("nb", "Reserve", "Avslått"), ("en", "Reserve", "Not funded")],
)
def test_the_figures_count_decisions_in_the_words_of_their_status(
    round5: list[Application], lang: str, reserve: str, not_funded: str
) -> None:
    # "Ikke innvilget: 3" above "B  avslått": two words for one decision made a reader ask
    # whether they were the same applications. The figures say the status the lists show.
    comparison = compare(round5, 600_000, POLICY, ["ranked", "proportional"])
    rows = figure_rows(comparison, lang)[: len(FIGURES)]
    labels = {name: label for (name, _), (label, _) in zip(FIGURES, rows, strict=True)}
    assert (labels["reserve"], labels["not_funded"]) == (reserve, not_funded)
    for status in (Status.PARTLY_FUNDED, Status.RESERVE, Status.NOT_FUNDED):
        assert labels[status.value] == status_text(status, lang).capitalize()


def test_workbook_read_back(round5: list[Application], tmp_path: Path) -> None:
    comparison = compare(round5, 600_000, POLICY, ["ranked", "proportional"])
    path = tmp_path / "sammenligning.xlsx"
    write(comparison, path, lang="nb")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Sammenligning", "Forskjeller", "ranked", "proportional"]
    figures = {row[0]: row[1:3] for row in book["Sammenligning"].iter_rows(values_only=True)}
    assert figures["Tall"] == ("ranked", "proportional")
    assert figures["Tildelt"] == (600_000, 600_000)
    assert figures["Innvilget fullt ut"] == (2, 0)
    assert figures["Gini for tilskuddene, alle søknader"] == (0.667, 0.4)
    assert figures["Samlet poengsum for de innvilgede"] == (16, 30)
    differences = list(book["Forskjeller"].iter_rows(values_only=True))
    assert differences[1] == ("A", "Søker A", "Felles saksbehandling", "innvilget", 400_000,
                              "delvis innvilget", 240_000)  # fmt: skip
    assert len(differences) == 5
    ranked = list(book["ranked"].iter_rows(values_only=True))
    assert [row[1] for row in ranked[1:]] == ["A", "B", "C", "D", "E"]
    # Ranks are numbers, as in the award workbook: as text ("12=") Excel sorted 12 before 3.
    assert [row[0] for row in ranked[1:]] == [1, 2, 3, 4, 5]
    assert ranked[1][6] == 400_000
    # labels in the rows of the figures sheet come from the same texts as the terminal
    labels = [label for label, _ in figure_rows(comparison, "nb")]
    assert all(label in figures for label in labels)
    # Real number formats, frozen and filtered headers, as in the award workbook.
    sheet = book["Sammenligning"]
    formats = {row[0].value: row[1].number_format for row in sheet.iter_rows() if row[0].value}
    assert formats["Tildelt"] == "#,##0"
    assert formats["Gini for tilskuddene, alle søknader"] == "0.000"
    assert formats["Innvilget fullt ut"] == "General"
    assert book["ranked"]["G2"].number_format == "#,##0"
    for name in book.sheetnames:
        assert book[name].freeze_panes == "A2"
    assert book["ranked"].auto_filter.ref == "A1:J6"
    assert book["Forskjeller"].auto_filter.ref == "A1:G5"
    # Each rule's notes, as sentences with their full stop (as every reason is).
    notes = [row[1] for row in sheet.iter_rows(values_only=True) if row[0] == "Merknader fra "
             "regelen proportional"]  # fmt: skip
    assert notes
    assert all(isinstance(n, str) and n.endswith(".") for n in notes)


def test_the_same_comparison_gives_the_same_bytes(
    round5: list[Application], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook carries the comparison's time, not the clock's when it is written."""
    from datetime import UTC, datetime

    from tilskudd.export import _sheetml

    comparison = compare(round5, 600_000, POLICY, ["ranked", "proportional"])
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write(comparison, first, lang="nb")

    class Later(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Later:
            return cls(2031, 5, 17, 12, 0, tzinfo=UTC)

    monkeypatch.setattr(_sheetml, "datetime", Later)
    write(comparison, second, lang="nb")
    assert first.read_bytes() == second.read_bytes()


# --- the CLI -----------------------------------------------------------------------------------


def test_cli_compare_prints_and_writes_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "compare.xlsx"
    result = runner.invoke(
        app,
        [
            "allocate",
            str(SMALL),
            "--budget",
            "3000000",
            "--max-share-of-cost",
            "20 %",
            "--compare",
            "ranked,proportional",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "The rules compared on the same applications, budget and policy" in result.stdout
    assert "Applications whose decision differs between the rules:" in result.stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Comparison", "Differences", "ranked", "proportional"]
    figures = {row[0]: row[1:3] for row in book["Comparison"].iter_rows(values_only=True)}
    policy = Policy(max_share_of_cost=Decimal("0.2"))
    from tilskudd.pipeline import read_applications

    checked = read_applications(SMALL)
    expected = compare(checked.applications, 3_000_000, policy, ["ranked", "proportional"])
    assert figures["Awarded"] == tuple(f.awarded for f in expected.figures)
    assert figures["Funded (in full or partly)"] == tuple(f.funded for f in expected.figures)
    rows = list(book["Differences"].iter_rows(values_only=True))
    assert len(rows) - 1 == len(expected.differences) > 0
    for ws in book.worksheets:  # printed as it is: A4, one page wide, header on every page
        assert ws.page_setup.paperSize == 9
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.page_setup.orientation == "landscape"
        assert ws.print_title_rows == "$1:$1"
        assert ws.oddFooter.left.text == SMALL.name
        assert ws.oddFooter.right.text == "Page &P of &N"
    # Sentences and reasons wrap rather than run off the printed page.
    sheet = book["Comparison"]
    spread = next(c for c in sheet["A"] if str(c.value).startswith("Gini coefficient"))
    assert spread.alignment.wrap_text
    ranked = book["ranked"]
    header = [c.value for c in ranked[1]]
    for name in ("Applicant", "Project", "Reason"):  # names and titles too, as in the awards
        column = header.index(name) + 1
        assert all(ranked.cell(row=r, column=column).alignment.wrap_text for r in range(2, 5))
    assert not ranked.cell(row=2, column=1).alignment.wrap_text
    assert not ranked.cell(row=2, column=header.index("Requested") + 1).alignment.wrap_text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--compare", "ranked"], "at least two different rules"),
        (["--compare", "ranked,fair"], "available: "),
        (["--compare", "ranked,proportional", "-o", "x.csv"], "give -o a name ending in .xlsx"),
        # --rule was ignored (and a lottery seed drawn and printed for a draw never made).
        (["--compare", "ranked,proportional", "--rule", "lottery"], "leave out --rule"),
    ],
)
def test_cli_compare_usage_errors(tmp_path: Path, extra: list[str], message: str) -> None:
    args = [a.replace("x.csv", str(tmp_path / "x.csv")) for a in extra]
    result = runner.invoke(app, ["allocate", str(SMALL), "--budget", "3M", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_compare_draws_a_seed_only_when_it_runs_the_lottery(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[policy]\nrule = "lottery"\n', encoding="utf-8")
    args = ["allocate", str(SMALL), "--budget", "3M", "--policy", str(policy), "--dry-run"]
    without = runner.invoke(app, [*args, "--compare", "ranked,proportional"])
    assert without.exit_code == 0, without.output
    assert "seed" not in without.stdout
    drawn = runner.invoke(app, [*args, "--compare", "ranked,lottery"])
    assert drawn.exit_code == 0, drawn.output
    assert drawn.stdout.startswith("Random seed: ")


def test_compare_refuses_to_commit_or_overwrite(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="records nothing"):
        check_compare_output(None, None, commit=True, dry_run=False, force=False, inputs=[])
    existing = tmp_path / "cmp.xlsx"
    existing.write_bytes(b"")
    with pytest.raises(UsageError, match="exists"):
        check_compare_output(existing, None, commit=False, dry_run=False, force=False, inputs=[])
    check_compare_output(existing, None, commit=False, dry_run=False, force=True, inputs=[])


def test_compare_with_another_format_says_the_format_is_the_mistake(tmp_path: Path) -> None:
    """--compare ... -o sammenligning.xlsx --format csv was told "give -o a name ending in
    .xlsx, not 'sammenligning.xlsx'": the name did end in .xlsx; --format was the mistake."""
    output = tmp_path / "sammenligning.xlsx"
    with pytest.raises(UsageError) as caught:
        check_compare_output(output, "csv", commit=False, dry_run=False, force=False, inputs=[])
    assert str(caught.value) == (
        "--compare writes a comparison workbook (.xlsx), not csv: leave out --format csv"
    )
    assert caught.value.text("nb") == (
        "--compare skriver en sammenligningsarbeidsbok (.xlsx), ikke csv: utelat --format csv"
    )
    with pytest.raises(UsageError, match=r"name ending in \.xlsx, not 'sammenligning\.csv'"):
        check_compare_output(
            tmp_path / "sammenligning.csv",
            None,
            commit=False,
            dry_run=False,
            force=False,
            inputs=[],
        )
    check_compare_output(output, "XLSX", commit=False, dry_run=False, force=False, inputs=[])


def test_every_rule_s_problems_with_the_policy_are_said_at_once(make_application: MakeApp) -> None:
    # The ranked rule found the tie-break column and stopped the comparison: the quotas the
    # proportional rule refuses were said only once the column was put right.
    apps = [make_application(id="A-1"), make_application(id="A-2", score=None, rank=1)]
    policy = Policy(
        tie_break="merknad",
        weight="score",
        seed=1,
        quotas=[{"by": "county", "value": "03", "max_count": 1}],
    )
    with pytest.raises(PolicyError) as caught:
        compare(apps, 1_000_000, policy, ["ranked", "proportional", "lottery"])
    assert caught.value.settings == (None, "tie_break", "weight", "quotas", None)
    lines = str(caught.value).splitlines()
    assert len(lines) == 5  # the tie-break column once, though every rule found it
    assert lines[0].startswith("some applications have a rank and others a score")
    assert lines[1].startswith("tie-break column 'merknad'")
    assert lines[2].startswith('weight = "score" needs a score for every application')
    assert lines[3].startswith("quotas do not apply to the proportional rule")
    assert lines[4].startswith('rule = "lottery" needs a score for every application')


def test_a_tied_rank_in_a_rule_sheet_shows_8_equals_and_stays_a_number(
    make_application: MakeApp, tmp_path: Path
) -> None:
    apps = [
        make_application(id=i, requested=100, score=Decimal(s))
        for i, s in (("A1", 9), ("B2", 7), ("C3", 7))
    ]
    path = tmp_path / "sammenligning.xlsx"
    write(compare(apps, 150, POLICY, ["ranked", "proportional"]), path, lang="en")
    sheet = openpyxl.load_workbook(path)["ranked"]
    ranks = {row[1].value: row[0] for row in sheet.iter_rows(min_row=2)}
    assert {k: c.value for k, c in ranks.items()} == {"A1": 1, "B2": 2, "C3": 2}
    assert {k: c.number_format for k, c in ranks.items()} == {
        "A1": "General",
        "B2": '0"="',
        "C3": '0"="',
    }
