"""`explain` (tilskudd.explain and the CLI): the justification for one application of a
hand-built round, its figures, and "what it would take" checked by re-running the allocation."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.errors import PolicyError, UsageError
from tilskudd.explain import explain, paragraphs, sentences, to_data
from tilskudd.models import Application, Policy, Quota, RoundResult, Status
from tilskudd.pipeline import read_applications, run_round
from tilskudd.rules import allocate

runner = CliRunner()
NBSP = "\u00a0"

# Budget 780 000: the officer's 80 000 to O7 first, then 700 000 for the rule under a 20 % cap
# and a minimum score of 3. In rank order: F1 300k (400k left), C2 capped to 300k (100k left),
# N3 needs 250k: not funded, S4 100k fits (0 left), L5 below the minimum score, O7 overridden.
ROUND = """\
ID;Applicant;Project;Requested;Total cost;Score;Decision;Decision amount;Decision reason
F1;Moss kommune;Portal;300000;2000000;9;;;
C2;Bodø kommune;Arkiv;500000;1500000;8;;;
N3;Alta kommune;Kart;250000;2000000;7;;;
S4;Vinje kommune;Skole;100000;1000000;6;;;
L5;Askøy kommune;Drift;50000;500000;2;;;
X6;Ski kommune;Feil;abc;100000;5;;;
O7;Hol kommune;Vedtatt;80000;400000;1;innvilg;80000;Styret prioriterer fjellkommuner
"""
BUDGET = 780_000
POLICY = Policy(max_share_of_cost=Decimal("0.2"), min_score=Decimal(3))
OPTIONS = ["--budget", "780000", "--max-share-of-cost", "20 %", "--min-score", "3"]


@pytest.fixture
def round_file(tmp_path: Path) -> Path:
    path = tmp_path / "runde.csv"
    path.write_text(ROUND, encoding="utf-8")
    return path


@pytest.fixture
def result(round_file: Path) -> RoundResult:
    return run_round(read_applications(round_file), BUDGET, POLICY)


def rerun(result: RoundResult, app_id: str, *, score: Decimal | None = None, budget: int = BUDGET):
    apps: list[Application] = []
    for a in result.applications:
        apps.append(a.model_copy(update={"score": score}) if a.id == app_id and score else a)
    return allocate(apps, budget, POLICY).by_id()[app_id]


def ranked_round(apps: tuple[Application, ...], budget: int) -> RoundResult:
    """A round of ``apps`` allocated by the ranked rule with the default policy."""
    return RoundResult(
        allocation=allocate(apps, budget, Policy()),
        applications=apps,
        tool_version="0",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )


def text(result: RoundResult, app_id: str, lang: str = "en") -> str:
    return " ".join(sentences(explain(result, app_id), lang))


def test_the_round_is_as_described(result: RoundResult) -> None:
    amounts = {d.application_id: (d.status, d.amount) for d in result.allocation.decisions}
    assert amounts == {
        "F1": (Status.FUNDED, 300_000),
        "C2": (Status.FUNDED, 300_000),
        "N3": (Status.NOT_FUNDED, 0),
        "S4": (Status.FUNDED, 100_000),
        "L5": (Status.NOT_FUNDED, 0),
        "X6": (Status.REJECTED, 0),
        "O7": (Status.FUNDED, 80_000),
    }


def test_funded(result: RoundResult) -> None:
    said = text(result, "F1")
    assert "The application scored 9 points and its rank was 1 of 6." in said
    assert "It applied for NOK\xa0300,000 towards a total cost of NOK\xa02,000,000." in said
    assert "No cap applied" in said
    assert (
        "The funding line fell below rank\u00a04, the last funded (6 points), with NOK\xa00 of the "
        "budget of NOK\xa0780,000 left." in said
    )
    assert "It was funded with NOK\xa0300,000." in said
    assert "would have been funded" not in said  # nothing to find for a funded application


def test_capped(result: RoundResult) -> None:
    explanation = explain(result, "C2")
    assert [r.code for r in explanation.caps] == ["reason.cap.share_of_cost"]
    said = " ".join(sentences(explanation, "nb"))
    assert "Søknaden fikk 8 poeng og ble rangert som nr.\u00a02 av 6." in said
    assert "Omsøkt beløp var 500\xa0000\xa0kr av en totalkostnad på 1\xa0500\xa0000\xa0kr." in said
    assert (
        "Begrenset til 20\xa0% av totalkostnaden på 1\xa0500\xa0000\xa0kr = 300\xa0000\xa0kr."
        in said
    )
    assert "Etter begrensningene kunne søknaden få høyst 300\xa0000\xa0kr." in said
    assert "Søknaden ble innvilget med 300\xa0000\xa0kr." in said


def test_not_funded_and_what_it_would_take(result: RoundResult) -> None:
    explanation = explain(result, "N3")
    said = " ".join(sentences(explanation, "en"))
    assert (
        "Not enough budget left at rank\u00a03: NOK\xa0100,000 was left, "
        "and the application needed NOK\xa0250,000." in said
    )
    # At 8 points N3 ties with C2 and comes after it by id: still not funded; at 9 it ties with
    # F1, comes after it and finds 400 000 left.
    change = explanation.score_change
    assert change is not None
    assert (change.score, change.below, change.amount, change.verified) == (9, 8, 250_000, True)
    assert "With 9 points instead of 7 it would have been funded in full (NOK\xa0250,000)" in said
    assert rerun(result, "N3", score=Decimal(9)).status is Status.FUNDED
    assert rerun(result, "N3", score=Decimal(8)).status is Status.NOT_FUNDED
    # Budget: the 80 000 overridden + 600 000 above it + its own 250 000.
    budget = explanation.budget_change
    assert budget is not None
    assert (budget.budget, budget.extra, budget.method) == (930_000, 150_000, "line")
    assert "With a budget of NOK\xa0930,000 (NOK\xa0150,000 more)" in said
    assert rerun(result, "N3", budget=930_000).status is Status.FUNDED
    assert rerun(result, "N3", budget=929_999).status is Status.NOT_FUNDED
    assert paragraphs(explanation, "en")[-1][0].startswith("How the score was found")


def test_below_the_minimum_score(result: RoundResult) -> None:
    explanation = explain(result, "L5")
    said = " ".join(sentences(explanation, "en"))
    assert "Score 2 is below the minimum score of 3." in said
    assert "It could not be funded under the policy." in said
    # At 3 it is eligible but last (nothing left); at 6 it ties with S4 and comes first by id.
    change = explanation.score_change
    assert change is not None
    assert (change.score, change.below, change.by_min_score) == (6, 3, False)
    assert rerun(result, "L5", score=Decimal(6)).status is Status.FUNDED
    assert rerun(result, "L5", score=Decimal(3)).status is Status.NOT_FUNDED
    assert explanation.budget_change is None
    assert "No budget would have funded it in full under this policy." in said


def test_rejected_names_the_cells(result: RoundResult) -> None:
    explanation = explain(result, "X6")
    assert explanation.kind == "rejected"
    parts = paragraphs(explanation, "en")
    assert parts[1][0] == (
        "The application was rejected for errors in the input (1 in all); it was not part of "
        "the allocation:"
    )
    assert parts[1][1].startswith("D7: ")
    assert "abc" in parts[1][1]


def test_a_rejected_applications_problems_are_said_in_the_language(result: RoundResult) -> None:
    explanation = explain(result, "X6")
    for lang in ("nb", "en"):
        data = to_data(explanation, lang)
        # The problems, as the sentences say them: in the language asked for.
        assert [f"{p['cell']}: {p['text']}" for p in data["problems"]] == data["sentences"][1:]
    assert to_data(explanation, "nb")["problems"][0]["code"] == explanation.problems[0][1]
    # Its amount was the error; its score was valid and is given, as the award JSON gives it.
    assert (data["requested"], data["score"]) == (None, "5")


def test_override(result: RoundResult) -> None:
    said = text(result, "O7", "nb")
    assert "Vedtaket ble fattet ved manuell overstyring, ikke av regelen" in said
    assert "Styret prioriterer fjellkommuner" in said
    assert "Tildelingsreglene alene ville ikke gitt søknaden tilskudd." in said


def test_unknown_id_names_the_nearest(result: RoundResult) -> None:
    with pytest.raises(UsageError, match=r"no application with id 'N03'.*did you mean N3") as err:
        explain(result, "N03")
    assert "ingen søknad har nummeret «N03»" in err.value.text("nb")
    assert "mente du N3" in err.value.text("nb")
    with pytest.raises(UsageError) as far:
        explain(result, "ZZZZZZZZ")
    assert "the ids run " in str(far.value)
    assert "numrene går " in far.value.text("nb")


def test_an_id_typed_in_another_case_is_explained_as_amend_and_history_find_it(
    result: RoundResult, tmp_path: Path
) -> None:
    """'tilskudd amend n3' finds the award N3, but 'tilskudd explain runde.csv n3' refused the
    id ('did you mean N3?'). The one id that differs only in case is explained; two that do
    (ids are compared as written in a round, so Ab-1 and aB-1 are two) are not guessed."""
    assert explain(result, " n3 ").application_id == "N3"
    assert text(result, "n3") == text(result, "N3")
    two = tmp_path / "two.csv"
    two.write_text(
        "ID;Applicant;Requested;Score\nAb-1;Moss kommune;100000;5\naB-1;Ski kommune;100000;4\n",
        encoding="utf-8",
    )
    both = run_round(read_applications(two), 100_000, Policy())
    assert explain(both, "aB-1").application_id == "aB-1"
    with pytest.raises(UsageError, match=r"no application with id 'ab-1'"):
        explain(both, "ab-1")


def test_json_data(result: RoundResult) -> None:
    data = to_data(explain(result, "N3"), "en")
    assert data["status"] == "not_funded"
    assert data["rank"] == 3
    assert data["ranked"] == 6
    assert data["line"] == {
        "rank": 4,
        "score": "6",
        "application": "S4",
        "remaining": 0,
        "budget": BUDGET,
    }
    assert data["what_if"]["score"]["score"] == "9"
    assert data["what_if"]["budget"]["budget"] == 930_000
    assert data["reasons"][0]["code"] == "reason.budget.exhausted"
    json.dumps(data)


def test_proportional_has_no_line_and_says_the_score_does_not_decide(round_file: Path) -> None:
    policy = POLICY.model_copy(update={"rule": "proportional"})
    result = run_round(read_applications(round_file), 500_000, policy)
    explanation = explain(result, "N3")
    said = " ".join(sentences(explanation, "en"))
    assert (
        f"The budget of NOK{NBSP}500,000 was shared out in proportional shares rather than in "
        "rank order (the proportional rule)"
    ) in said
    nb = " ".join(sentences(explanation, "nb"))
    assert "ble fordelt med forholdsmessige andeler, ikke etter rangering" in nb
    assert "Under this rule the score does not decide the amount." in said
    budget = explanation.budget_change
    assert budget is not None
    assert budget.method == "bisect"
    assert budget.verified
    apps = list(result.applications)
    assert allocate(apps, budget.budget, policy).by_id()["N3"].status is Status.FUNDED
    assert allocate(apps, budget.budget - 1, policy).by_id()["N3"].status is not Status.FUNDED


def test_no_score_is_enough_when_it_asks_for_more_than_the_budget(
    make_application: Callable[..., Application],
) -> None:
    apps = (
        make_application(id="A", score=Decimal(9), requested=300_000, total_cost=None),
        make_application(id="BIG", score=Decimal(5), requested=2_000_000, total_cost=None),
    )
    result = ranked_round(apps, 500_000)
    explanation = explain(result, "BIG")
    assert explanation.score_change is None
    assert explanation.score_note == "none"
    said = " ".join(sentences(explanation, "en"))
    assert "Even with the highest score in the round it would not have been funded in full." in said
    # What A received plus its own 2 000 000.
    assert explanation.budget_change is not None
    assert explanation.budget_change.budget == 2_300_000
    assert allocate(apps, 2_300_000, Policy()).by_id()["BIG"].status is Status.FUNDED


def test_a_long_tie_is_named_by_its_first_applications_and_counted(
    make_application: Callable[..., Application],
) -> None:
    # 40 applications on the same score, room for 25: the tie crosses the funding line.
    apps = tuple(
        make_application(id=f"T{i:02d}", score=Decimal(4), requested=100_000, total_cost=None)
        for i in range(1, 41)
    )
    result = ranked_round(apps, 2_500_000)
    said = " ".join(sentences(explain(result, "T30"), "nb"))
    # Each named as the lists name it (all have the same applicant and project here).
    name = "Moss kommune – Felles saksbehandling ({})".format
    assert f"{name('T01')}, {name('T02')}" in said
    assert f"{name('T10')} og 29 til" in said  # the 39 others: ten named, 29 counted
    first_ten = ", ".join(name(f"T{i:02d}") for i in range(1, 10))
    assert f"({first_ten}, {name('T10')} og 30 til)" in said  # the note
    assert "T31" not in said.replace("T30", "")
    # The data keep every one.
    assert len(to_data(explain(result, "T30"), "en")["tied_with"]) == 39


# --- the CLI -----------------------------------------------------------------------------------


def test_cli_text(round_file: Path) -> None:
    out = runner.invoke(app, ["explain", str(round_file), "N3", *OPTIONS, "--lang", "nb"])
    assert out.exit_code == 0, out.output
    flat = " ".join(out.stdout.split())
    assert flat.startswith("Begrunnelse for søknad N3")
    assert "Søknaden fikk 7 poeng og ble rangert som nr. 3 av 6." in flat
    assert "Med 9 poeng i stedet for 7 ville søknaden fått fullt tilskudd" in flat
    assert "Med en ramme på 930 000 kr (150 000 kr mer)" in flat


def test_cli_json(round_file: Path) -> None:
    out = runner.invoke(app, ["explain", str(round_file), "L5", *OPTIONS, "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["what_if"]["score"]["score"] == "6"
    assert data["what_if"]["budget_note"] == "none"


def test_cli_unknown_id_is_a_usage_error(round_file: Path) -> None:
    out = runner.invoke(app, ["explain", str(round_file), "n3x", *OPTIONS])
    assert out.exit_code == 2
    assert "no application with id 'n3x'" in out.stderr
    assert "N3" in out.stderr


def test_a_what_if_the_policy_cannot_meet_is_said_unavailable_not_an_abort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-run at another budget may be one the policy cannot meet (quota minimums a greedy
    pass cannot reach there): the explanation of the decision itself must still be given."""
    path = tmp_path / "kvoter.csv"
    path.write_text(
        "ID;Søker;Org.nr;Prosjekt;Kommuner;Søkt beløp;Poeng\n"
        "A1;Org 1;943383499;P1;Bærum;900;9\n"
        "A2;Org 2;986729747;P2;Bærum;100;8\n"
        "A3;Org 3;933904636;P3;Tromsø;150;5\n",
        encoding="utf-8",
    )
    policy = Policy(quotas=(Quota(by="county", value="*", min_count=1),))
    result = run_round(read_applications(path), 300, policy)

    def cannot(*_args: object) -> None:
        raise PolicyError("the ranked rule could not meet every minimum quota")

    monkeypatch.setattr("tilskudd.explain._budget_change", cannot)
    explanation = explain(result, "A1")
    assert explanation.budget_change is None
    assert explanation.budget_note == "unavailable"
    words = text(result, "A1")
    assert "Justification for application A1" in words
    assert "What another budget would have changed could not be worked out" in words
    assert "annen ramme ville endret, lot seg ikke beregne" in text(result, "A1", "nb")
    assert to_data(explanation, "en")["what_if"]["budget_note"] == "unavailable"


@pytest.mark.parametrize("with_override", [False, True])
def test_the_budget_a_maximum_share_needs_is_found(tmp_path: Path, with_override: bool) -> None:
    """A2 is passed over because Arkiv has its 50 % of 400 000; at 600 000 the share is room for
    it. The ranked line's bound (everyone above it funded) ignored the quota and said no budget
    would fund it."""
    path = tmp_path / "andel.csv"
    decision = ";innvilg;200000;Styrets vedtak" if with_override else ";;;"
    path.write_text(
        "ID;Søker;Omsøkt beløp;Poeng;Kategori;Fylke;Vedtak;Vedtatt beløp;Begrunnelse\n"
        f"A1;Oslo kommune;200000;9;Arkiv;03{decision}\n"
        "A2;Bergen kommune;100000;8;Arkiv;46;;;\n"
        "A3;Asker kommune;150000;7;Skole;32;;;\n",
        encoding="utf-8",
    )
    policy = Policy(quotas=(Quota(by="category", value="Arkiv", max_share=Decimal("0.5")),))
    result = run_round(read_applications(path), 400_000, policy)
    assert result.allocation.by_id()["A2"].amount == 0
    explanation = explain(result, "A2")
    assert explanation.budget_change is not None
    assert explanation.budget_change.budget == 600_000


def test_a_lottery_is_explained_by_score_even_beside_a_rank_column() -> None:
    # Every application has a rank and a score: the lottery ranks by score, so the explanation
    # must not say that the order was given by rank and a score would change nothing.
    apps = tuple(
        Application(id=i, requested=100, rank=rank, score=Decimal(score))
        for i, rank, score in (("A", 1, 2), ("B", 2, 5), ("C", 3, 4))
    )
    result = RoundResult(
        allocation=allocate(apps, 100, Policy(rule="lottery", seed=1)),
        applications=apps,
        tool_version="0",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    explained = explain(result, "A")
    assert explained.basis == "score"
    assert explained.score_note is None
    assert explained.score_change is not None
    assert explained.score_change.score == Decimal(5)


def test_a_given_rank_is_explained_as_given() -> None:
    # Ranked by hand 1, 3, 4, 7 (no. 2 withdrawn): G7 is no. 7, not "no. 7 of 4" nor no. 4.
    apps = tuple(
        Application(id=f"G{r}", requested=100, rank=r, total_cost=c)
        for r, c in ((1, 900), (3, 900), (4, 900), (7, 900))
    )
    result = ranked_round(apps, 250)
    said = text(result, "G7")
    assert "The application was number\u00a07 in the given order of priority, in which 4" in said
    assert "of 4" not in said
    assert "Søknaden var nr.\u00a07 i den oppgitte prioriteringen, der 4" in text(
        result, "G7", "nb"
    )
    assert to_data(explain(result, "G7"), "en")["rank"] == 7


def test_a_given_rank_among_one_ranked_application_is_said_in_the_singular() -> None:
    # Given ranks met a round of one ranked application (the others funded earlier, or
    # decided by the officer): "in which 1 applications were ranked", "der 1 søknader".
    apps = (Application(id="G5", requested=100, rank=5),)
    result = ranked_round(apps, 250)
    assert (
        "The application was number\u00a05 in the given order of priority,"
        " in which 1 application was ranked." in text(result, "G5")
    )
    assert (
        "Søknaden var nr.\u00a05 i den oppgitte prioriteringen, der 1 søknad var rangert."
        in text(result, "G5", "nb")
    )


def test_the_line_is_said_below_the_last_funded_as_the_reason_says_it_at_the_next() -> None:
    # Ranked by hand 1, 3, 4, 7 with a strict line: G1 and G3 funded, the line falls at G4.
    # The explanation and the reason must not name two different ranks for the same line.
    apps = tuple(Application(id=f"G{r}", requested=100, rank=r) for r in (1, 3, 4, 7))
    result = RoundResult(
        allocation=allocate(apps, 250, Policy(at_line="stop")),
        applications=apps,
        tool_version="0",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    said = text(result, "G7")
    assert "The funding line fell below rank\u00a03, the last funded, with NOK" in said
    assert "Below the funding line, which fell at rank\u00a04." in said
    assert "Finansieringsgrensen gikk under plass\u00a03, den siste som fikk tilskudd" in text(
        result, "G7", "nb"
    )


def test_equal_given_ranks_a_tie_break_ordered_are_not_tied() -> None:
    # A and B were both given no. 3; the tie-break column (the cheaper first) told them apart, so
    # they share the number but are not tied; C and D share no. 5 and nothing else: a tie.
    apps = (
        Application(id="A", requested=100, rank=3, total_cost=900),
        Application(id="B", requested=100, rank=3, total_cost=500),
        Application(id="C", requested=100, rank=5, total_cost=500),
        Application(id="D", requested=100, rank=5, total_cost=500),
    )
    policy = Policy(tie_break="total_cost asc")
    result = RoundResult(
        allocation=allocate(apps, 150, policy),
        applications=apps,
        tool_version="0",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert to_data(explain(result, "A"), "en")["tied_with"] == []
    assert to_data(explain(result, "C"), "en")["tied_with"] == ["D"]


def test_a_given_rank_split_into_ties_is_tied_only_within_its_own_tie() -> None:
    # All four were given no. 3; the tie-break put A and B (cheaper) before C and D, two ties
    # that all show 3=. C shares its place with D only, and the letter says so.
    apps = (
        Application(id="A", requested=100, rank=3, total_cost=500),
        Application(id="B", requested=100, rank=3, total_cost=500),
        Application(id="C", requested=100, rank=3, total_cost=900),
        Application(id="D", requested=100, rank=3, total_cost=900),
    )
    result = RoundResult(
        allocation=allocate(apps, 250, Policy(tie_break="total_cost asc")),
        applications=apps,
        tool_version="0",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert to_data(explain(result, "C"), "en")["tied_with"] == ["D"]
    assert to_data(explain(result, "A"), "en")["tied_with"] == ["B"]
    assert (
        "The application was number\u00a03 in the given order of priority, in which 4 applications "
        "were"
        " ranked, a place it shares with D." in text(result, "C")
    )
    assert "der 4 søknader var rangert, en plass den deler med D." in text(result, "C", "nb")


# The same project twice: rows 2 and 4 (the header is row 1). Budget 600 000 by score: D1 300k,
# D2 200k, then D3 (the same as D1) finds 100 000 left and is not funded.
DUPLICATED = """\
Søknadsnr;Søker;Organisasjonsnummer;Prosjekttittel;Omsøkt beløp;Poeng
D1;Moss kommune;974760673;Felles portal;300000;9
D2;Oslo kommune;958935420;Kart;200000;8
D3;Moss kommune;974760673;Felles portal;300000;7
"""


@pytest.fixture
def duplicated(tmp_path: Path) -> RoundResult:
    path = tmp_path / "dobbel.csv"
    path.write_text(DUPLICATED, encoding="utf-8")
    return run_round(read_applications(path), 600_000, Policy())


def test_an_application_the_reader_found_twice_is_said_with_the_other_row(
    duplicated: RoundResult,
) -> None:
    # check warned "the same organisation number and project title are on rows 2 and 4", and
    # explain said nothing of it: a letter justifying D3's refusal, or D1's grant, would not
    # say the project was applied for twice.
    assert text(duplicated, "D3").count("974760673") == 1
    assert (
        "Row 2 has the same organisation number (974760673) and project title: application "
        f"Moss kommune – Felles portal (D1), funded NOK{NBSP}300,000. Is the application listed "
        "more than once?"
    ) in text(duplicated, "D3")
    assert (
        "Rad 4 har samme organisasjonsnummer (974760673) og prosjekttittel: søknad "
        "Moss kommune – Felles portal (D3), avslått. Står søknaden der mer enn én gang?"
    ) in text(duplicated, "D1", "nb")
    assert "same organisation number" not in text(duplicated, "D2")
    data = to_data(explain(duplicated, "D3"), "en")
    assert data["duplicates"] == [
        {
            "row": 2,
            "id": "D1",
            "applicant": "Moss kommune",
            "project": "Felles portal",
            "orgnr": "974760673",
            "status": "funded",
            "amount": 300_000,
        }
    ]
    assert to_data(explain(duplicated, "D2"), "en")["duplicates"] == []


def test_the_same_project_of_a_recipient_without_an_organisation_number(tmp_path: Path) -> None:
    """A UK charity known by its identifier in another register, written in two cases: the
    reader now finds the project twice, and explain says so, naming the identifier as one."""
    path = tmp_path / "uk.csv"
    path.write_text(
        "Identifier,Title,Amount Applied For,Recipient Org:Identifier,Score\n"
        "360G-uk-1,Park,300000,GB-CHC-1234567,9\n"
        "360G-uk-2,Road,200000,GB-COH-01234567,8\n"
        "360G-uk-3,park,300000,gb-chc-1234567,7\n",
        encoding="utf-8",
    )
    result = run_round(read_applications(path), 600_000, Policy())
    assert (
        "Row 2 has the same identifier in another register (GB-CHC-1234567) and project title: "
        f"application Park (360G-uk-1), funded NOK{NBSP}300,000."
    ) in text(result, "360G-uk-3")
    assert (
        "Rad 4 har samme identifikator i et annet register (GB-CHC-1234567) og prosjekttittel"
    ) in text(result, "360G-uk-1", "nb")
    assert "the same" not in text(result, "360G-uk-2")


@pytest.mark.parametrize(
    ("lang", "said"), [("en", f"EUR{NBSP}250,000"), ("nb", f"250{NBSP}000{NBSP}EUR")]
)
def test_a_round_in_another_currency_is_explained_in_it(
    round_file: Path, lang: str, said: str
) -> None:
    """From Python too, without amounts_in around it: the explanation keeps the round's
    currency, and its words and its JSON say it."""
    euros = run_round(read_applications(round_file), BUDGET, POLICY, currency="EUR")
    explanation = explain(euros, "N3")
    assert explanation.currency == "EUR"
    data = to_data(explanation, lang)
    assert data["currency"] == "EUR"
    assert said in data["text"]
    assert "NOK" not in data["text"]
    assert f"{NBSP}kr" not in data["text"]
    assert data["text"] == " ".join(sentences(explanation, lang)[1:])
    # A round of kroner says NOK, and its words are as they were.
    kroner = to_data(explain(run_round(read_applications(round_file), BUDGET, POLICY), "N3"), lang)
    assert kroner["currency"] == "NOK"
    assert kroner["text"] == data["text"].replace("EUR", "NOK" if lang == "en" else "kr")


@pytest.mark.parametrize(
    ("app_id", "lang", "heading"),
    [
        ("N3", "nb", "Begrunnelse for søknad N3: Alta kommune – Kart"),
        ("N3", "en", "Justification for application N3: Alta kommune – Kart"),
        ("X6", "en", "Justification for application X6: Ski kommune – Feil"),  # rejected
        ("O7", "nb", "Begrunnelse for søknad O7: Hol kommune – Vedtatt"),  # overridden
    ],
)
def test_the_heading_names_the_application_as_the_lists_do(
    result: RoundResult, app_id: str, lang: str, heading: str
) -> None:
    assert paragraphs(explain(result, app_id), lang)[0] == [heading]


def test_without_applicant_and_project_the_heading_is_the_id_alone() -> None:
    apps = (Application(id="A1", requested=100, score=Decimal(5)),)
    assert paragraphs(explain(ranked_round(apps, 100), "A1"), "en")[0] == [
        "Justification for application A1"
    ]
    data = to_data(explain(ranked_round(apps, 100), "A1"), "en")
    assert (data["applicant"], data["project"]) == (None, None)


def test_the_json_names_the_applicant_and_project(round_file: Path) -> None:
    out = runner.invoke(app, ["explain", str(round_file), "N3", *OPTIONS, "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert (data["id"], data["applicant"], data["project"]) == ("N3", "Alta kommune", "Kart")
    assert data["heading"] == "Justification for application N3: Alta kommune – Kart"


def test_the_applications_it_shares_a_tie_with_are_named_by_applicant_and_project(
    make_application: Callable[..., Application],
) -> None:
    # Three on the same score, room for one: the letter to B names A (funded) and C as the
    # published lists name them, not by ids the applicant has never seen.
    apps = tuple(
        make_application(id=i, applicant=who, project=what, score=Decimal(5), total_cost=None)
        for i, who, what in (
            ("A", "Moss kommune", "Felles arkiv"),
            ("B", "Alta kommune", "Kart"),
            ("C", "Bodø kommune", "Portal"),
        )
    )
    result = ranked_round(apps, 100_000)
    en = text(result, "B")
    assert (
        "a rank it shares with Moss kommune – Felles arkiv (A) and Bodø kommune – Portal (C)" in en
    )
    assert (
        "share rank\u00a01 across the funding line (Moss kommune – Felles arkiv (A), "
        "Alta kommune – Kart (B) and Bodø kommune – Portal (C))"
    ) in en
    nb = text(result, "B", "nb")
    assert "Moss kommune – Felles arkiv (A) og Bodø kommune – Portal (C)" in nb
    data = to_data(explain(result, "B"), "nb")
    assert data["tied_with"] == ["A", "C"]  # ids, as before; looked up in "others"
    assert data["others"] == [
        {
            "id": "A",
            "applicant": "Moss kommune",
            "project": "Felles arkiv",
            "name": "Moss kommune – Felles arkiv (A)",
        },
        {
            "id": "C",
            "applicant": "Bodø kommune",
            "project": "Portal",
            "name": "Bodø kommune – Portal (C)",
        },
    ]
    assert "Moss kommune – Felles arkiv (A)" in data["text"]


def test_a_note_on_a_tie_among_others_is_left_out_of_a_proportional_justification(
    make_application: Callable[..., Application],
) -> None:
    # Shares of 50 000 each for T1-T3, a minimum award of 60 000: T3 drops out by id order,
    # and the note says so. It is part of T1's and T3's justification; not of BIG's, which
    # is in no tie, though it still hears how the budget was shared.
    apps = (
        *(
            make_application(
                id=f"T{i}",
                applicant=f"Kommune {i}",
                score=Decimal(5),
                requested=100_000,
                total_cost=None,
            )
            for i in (1, 2, 3)
        ),
        make_application(id="BIG", score=Decimal(9), requested=300_000, total_cost=None),
    )
    policy = Policy(rule="proportional", min_award=60_000)
    result = RoundResult(
        allocation=allocate(apps, 270_000, policy),
        applications=apps,
        tool_version="0",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    tie = "note.proportional.tie_at_min_award"
    assert tie in {n.code for n in result.allocation.notes}
    assert tie in {n.code for n in explain(result, "T3").notes}
    big = explain(result, "BIG")
    assert tie not in {n.code for n in big.notes}
    assert "note.proportional.fraction" in {n.code for n in big.notes}
    assert "Kommune 3" not in " ".join(sentences(big, "en"))


def test_optimal_says_how_it_shared_the_budget_in_words(
    make_application: Callable[..., Application],
) -> None:
    apps = (
        make_application(id="A", score=Decimal(9), requested=300_000, total_cost=None),
        make_application(id="B", score=Decimal(5), requested=200_000, total_cost=None),
    )
    result = RoundResult(
        allocation=allocate(apps, 300_000, Policy(rule="optimal")),
        applications=apps,
        tool_version="0",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert "best selection of whole grants within the budget and the policy" in text(result, "B")
    assert "det beste utvalget av hele tilskudd" in text(result, "B", "nb")


def test_one_passed_over_above_the_funding_line_is_told_why_those_below_were_funded(
    make_application: Callable[..., Application],
) -> None:
    # at_line = "skip": BIG (rank 2) does not fit in the 200 000 left, SMALL (rank 3) does.
    # "The funding line fell below rank 3" alone reads as if BIG should have been funded.
    apps = (
        make_application(id="TOP", score=Decimal(9), requested=300_000, total_cost=None),
        make_application(id="BIG", score=Decimal(8), requested=400_000, total_cost=None),
        make_application(id="SMALL", score=Decimal(7), requested=150_000, total_cost=None),
    )
    result = RoundResult(
        allocation=allocate(apps, 500_000, Policy(at_line="skip")),
        applications=apps,
        tool_version="0",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert result.allocation.by_id()["SMALL"].amount == 150_000
    assert (
        "Applications ranked below it, down to rank\u00a03, were funded because they fitted in "
        "what "
        "was left: under the policy an application that no longer fits is passed over for the "
        "next."
    ) in text(result, "BIG")
    assert "ned til plass\u00a03, fikk tilskudd fordi de fikk plass" in text(result, "BIG", "nb")
    # Not said to one funded, nor where nothing below it was funded.
    assert "passed over for the next" not in text(result, "SMALL")
    stop = RoundResult(
        allocation=allocate(apps, 500_000, Policy(at_line="stop")),
        applications=apps,
        tool_version="0",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert "passed over for the next" not in text(stop, "BIG")
