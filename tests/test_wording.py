"""Words about a round: plural forms, the press-release sentence, statuses, reasons, places."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from tilskudd import wording
from tilskudd.i18n import Translator, get
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
    Status,
)
from tilskudd.rules import allocate
from tilskudd.summary import RoundSummary
from tilskudd.wording import (
    column_header,
    county_label,
    decision_text,
    display_order,
    issue_cell,
    municipality_label,
    note_text,
    places_short,
    rank_text,
    rejected_text,
    status_text,
    summary_sentence,
)

NBSP = "\u00a0"


def plain(text: str) -> str:
    """Non-breaking spaces as ordinary ones, for readable expectations."""
    return text.replace(NBSP, " ")


def _summary(**figures: Any) -> RoundSummary:
    base = RoundSummary(
        budget=20_000_000,
        awarded=20_000_000,
        unallocated=0,
        applications=130,
        valid=130,
        rejected=0,
        requested=59_600_000,
        funded=52,
        funded_full=40,
        partly_funded=12,
        reserve=5,
        not_funded=73,
        municipalities=145,
        counties=19,
        oversubscription=None,
    )
    return replace(base, **figures)


def test_press_release_sentence_in_both_languages() -> None:
    summary = _summary()
    assert plain(summary_sentence(summary, "nb")) == (
        "52 prosjekter med 145 kommuner får 20 000 000 kr; 0 kr igjen av runden."
    )
    assert plain(summary_sentence(summary, "en")) == (
        "52 projects involving 145 municipalities receive NOK 20,000,000; NOK 0 left of the round."
    )


def test_singular_forms() -> None:
    summary = _summary(funded=1, municipalities=1, awarded=300_000, unallocated=19_700_000)
    assert plain(summary_sentence(summary, "nb")) == (
        "1 prosjekt med 1 kommune får 300 000 kr; 19 700 000 kr igjen av runden."
    )
    assert plain(summary_sentence(summary, "en")) == (
        "1 project involving 1 municipality receives NOK 300,000; NOK 19,700,000 left of the round."
    )


def test_sentence_without_municipalities_and_without_awards() -> None:
    no_places = _summary(funded=3, municipalities=0)
    assert plain(summary_sentence(no_places, "en")).startswith("3 projects receive NOK 20,000,000")
    nothing = _summary(funded=0, awarded=0, unallocated=20_000_000)
    assert plain(summary_sentence(nothing, "nb")) == (
        "Ingen prosjekter får tilskudd; 20 000 000 kr igjen av runden."
    )


def test_round_name_leads_the_sentence() -> None:
    text = plain(summary_sentence(_summary(), "nb", round_name="Runde 1"))
    assert text.startswith("Runde 1: 52 prosjekter")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_status_has_its_own_word(lang: str) -> None:
    words = [status_text(s, lang) for s in Status]
    assert len(set(words)) == len(Status)
    assert not any(w.startswith("status.") for w in words)


def test_status_words_in_norwegian() -> None:
    assert status_text(Status.NOT_FUNDED, "nb") == "avslått"
    assert status_text(Status.PARTLY_FUNDED, "nb") == "delvis innvilget"


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(
    "field",
    [
        "rank",
        "id",
        "applicant",
        "orgnr",
        "project",
        "municipalities",
        "counties",
        "county",
        "category",
        "requested",
        "total_cost",
        "score",
        "eligible",
        "awarded",
        "share_of_cost",
        "status",
        "reason",
        "row",
    ],
)
def test_column_headers_come_from_the_catalogue(lang: str, field: str) -> None:
    assert get(lang).has(f"header.{field}")
    assert column_header(field, lang) == get(lang)(f"header.{field}")


def test_headers_differ_by_language() -> None:
    assert column_header("awarded", "nb") == "Tildelt"
    assert column_header("awarded", "en") == "Awarded"


def test_decision_text_makes_each_reason_a_sentence() -> None:
    decision = Decision(
        application_id="A",
        status=Status.PARTLY_FUNDED,
        amount=5_000,
        reasons=(
            # the officer's own words end with a full stop, and the catalogue's do not
            Reason(
                code="reason.override.fund", params={"amount": 5_000, "text": "late, but good. "}
            ),
            Reason(code="reason.cap.round_to", params={"step": 1_000}),
            Reason(code="cap"),  # unknown codes are said as they are
        ),
    )
    assert plain(decision_text(decision, "en")) == (
        "Funded with NOK 5,000 by manual override; the officer's reason: late, but good. "
        "Rounded down to a whole multiple of NOK 1,000. Cap."
    )


@pytest.mark.parametrize(
    ("lang", "said", "unsaid"),
    [
        ("en", "Already funded in round 1", ("Capped", "minimum score")),
        ("nb", "Fikk allerede tilskudd i runde 1", ("Begrenset", "minstekravet")),
    ],
)
def test_decision_text_of_an_application_funded_before_says_only_why_it_is_not_funded(
    lang: str, said: str, unsaid: tuple[str, ...]
) -> None:
    """The caps and the min_score verdict recorded beside "already funded" (for an amendment
    to be held to) were said as if they had decided something; the officer's decision that
    was not applied still is. The reasons themselves are kept."""
    reasons = (
        Reason(
            code="reason.round.already_funded",
            params={"round": 1, "application": "A-1", "amount": 60_000, "match": "id"},
        ),
        Reason(
            code="reason.round.override_not_applied",
            params={"decision": "fund", "text": "Styrevedtak"},
        ),
        Reason(
            code="reason.cap.share_of_cost",
            params={"share": Decimal("0.2"), "total_cost": 150_000, "cap": 30_000},
        ),
        Reason(
            code="reason.ineligible.below_min_score",
            params={"score": Decimal(2), "min_score": Decimal(3)},
        ),
    )
    decision = Decision(application_id="B-1", status=Status.NOT_FUNDED, amount=0, reasons=reasons)
    text = plain(decision_text(decision, lang))
    assert text.startswith(said)
    assert "Styrevedtak" in text
    assert not any(word in text for word in unsaid), text
    assert decision.reasons == reasons
    # Elsewhere a cap is said as ever.
    capped = Decision(
        application_id="B-1", status=Status.PARTLY_FUNDED, amount=30_000, reasons=reasons[2:3]
    )
    assert unsaid[0] in plain(decision_text(capped, lang))
    # Wherever "already funded" stands among the reasons (a decision read back from a file or
    # the ledger keeps the order it was given in), as explain and the budget check find it.
    later = decision._replace(reasons=(reasons[2], reasons[0], reasons[3]))
    assert not any(word in plain(decision_text(later, lang)) for word in unsaid)


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_a_cap_said_for_one_decision_is_not_said_for_the_next_funded_before(lang: str) -> None:
    """A rule shares one cap reason among decisions, and its sentence is kept for the next
    decision with that very reason: one left out as funded in an earlier round, with the same
    cap recorded beside it, is still told only why it is not funded, wherever "already
    funded" stands, and the cap is said again for the decision after it."""
    cap = Reason(
        code="reason.cap.share_of_cost",
        params={"share": Decimal("0.2"), "total_cost": 150_000, "cap": 30_000},
    )
    before = Reason(
        code="reason.round.already_funded",
        params={"round": 1, "application": "A-1", "amount": 60_000, "match": "id"},
    )
    full = Reason(code="reason.funded.full", params={"rank": 1, "amount": 30_000})

    def decision(status: Status, amount: int, *reasons: Reason) -> Decision:
        return Decision(application_id="B-1", status=status, amount=amount, reasons=reasons)

    funded = decision(Status.PARTLY_FUNDED, 30_000, cap, full)
    first = decision(Status.NOT_FUNDED, 0, cap, before)
    second = decision(Status.NOT_FUNDED, 0, before, cap)
    capped = plain(decision_text(funded, lang))
    alone = plain(decision_text(decision(Status.NOT_FUNDED, 0, before), lang))
    assert capped.startswith(("Capped", "Begrenset"))
    assert alone.startswith(("Already funded", "Fikk allerede"))
    assert [plain(decision_text(d, lang)) for d in (first, second, first, funded)] == [
        alone,
        alone,
        alone,
        capped,
    ]


def test_decision_text_fills_a_reason_shared_by_decisions_once_per_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rule shares one reason object where the words are the same (the rounding, the
    proportional share): its sentence is made once, not once per decision; reasons equal but
    not shared, another language, or another reason at the same place are each said anew."""
    filled: list[tuple[str, str]] = []
    plain_sentence = Translator.sentence

    def counted(self: Translator, key: str, params: Any) -> str:
        filled.append((self.lang, key))
        return plain_sentence(self, key, params)

    monkeypatch.setattr(Translator, "sentence", counted)
    rounded = Reason(code="reason.cap.round_to", params={"step": 1_000})
    share = Reason(code="reason.proportional.share", params={"fraction": Decimal("0.25")})

    def decision(amount: int, *reasons: Reason) -> Decision:
        return Decision(
            application_id=f"A{amount}",
            status=Status.PARTLY_FUNDED,
            amount=amount,
            reasons=reasons,
        )

    decisions = [decision(n * 1_000, rounded, share) for n in range(1, 6)]
    decisions.append(decision(9_000, share))  # the share at another place
    decisions.append(decision(8_000, Reason(code="reason.cap.round_to", params={"step": 500})))
    texts = {lang: [decision_text(d, lang) for d in decisions] for lang in ("en", "nb")}
    assert plain(texts["en"][0]) == (
        "Rounded down to a whole multiple of NOK 1,000. A proportional share of the budget: 25% "
        "of the eligible amount before rounding (the amounts left by rounding go to the largest "
        "remainders)."
    )
    assert len(set(texts["en"][:5])) == 1
    assert texts["en"][5] == texts["en"][0].split(". ", 1)[1]
    assert plain(texts["en"][6]) == "Rounded down to a whole multiple of NOK 500."
    assert plain(texts["nb"][6]) == "Rundet ned til et helt multiplum av 500 kr."
    for lang in ("en", "nb"):
        assert filled.count((lang, "reason.proportional.share")) == 2
        assert filled.count((lang, "reason.cap.round_to")) == 2
    assert [decision_text(d, "en") for d in decisions] == texts["en"]


def _phrases_as_sentences(decision: Decision, lang: str) -> str:
    """decision_text as it first was: each reason's phrase stripped, capitalised, stopped."""
    phrases = [wording.reason_text(r, lang) for r in decision.reasons] or [
        status_text(decision.status, lang)
    ]
    parts = [p.strip().rstrip(".").strip() for p in phrases]
    return " ".join(f"{p[0].upper()}{p[1:]}." for p in parts if p)


_REASON_PARAMS: list[dict[str, Any]] = [
    {},  # every parameter missing: "?"
    {
        "amount": 2_800_000,
        "cap": 2_800_000,
        "total_cost": 14_000_000,
        "share": Decimal("0.2"),
        "step": 1_000,
        "rank": 1,
        "remaining": 0,
        "needed": 10**12,
        "eligible": 3_000_000,
        "line_rank": 53,
        "position": 2,
        "score": Decimal("4.5"),
        "min_score": Decimal(5),
        "min_award": 50_000,
        "fraction": Decimal("0.375"),
        "count": 2,
        "ids": ["A", "B"],
        "dropped_ids": ["C"],
        "orgnr": "974760673",
        "max": 5_000_000,
        "already": 0,
        "left": 1,
        "text": "  a reason of my own.  ",
        "round": 1,
        "application": "S-1",
        "problems": 3,
        "cells": ["F12", "C9"],
        "per_point": Decimal("0.01"),
        "seed": 42,
        "value": None,
    },
]


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("params", _REASON_PARAMS)
def test_every_reason_and_note_reads_as_it_did(lang: str, params: dict[str, Any]) -> None:
    from tilskudd.i18n import _catalogue

    codes = [k for k in _catalogue("en") if k.startswith(("reason.", "note."))]
    assert len(codes) > 30
    for code in codes:
        for reasons in (
            (Reason(code=code, params=params),),
            (Reason(code=code, params=params),) * 2,
        ):
            decision = Decision(
                application_id="A", status=Status.NOT_FUNDED, amount=0, reasons=reasons
            )
            assert decision_text(decision, lang) == _phrases_as_sentences(decision, lang), code
    for status in Status:
        bare = Decision(
            application_id="A",
            status=status,
            amount=1 if status in (Status.FUNDED, Status.PARTLY_FUNDED) else 0,
        )
        assert decision_text(bare, lang) == _phrases_as_sentences(bare, lang)


def test_decision_without_reasons_says_its_status() -> None:
    decision = Decision(application_id="A", status=Status.NOT_FUNDED, amount=0)
    assert decision_text(decision, "nb") == "Avslått."


def test_reason_text_fills_parameters_from_the_catalogue() -> None:
    # Any catalogue key renders the same way; this one has a money parameter.
    reason = Reason(code="ui.budget_line", params={"budget": 5, "awarded": 3, "unallocated": 2})
    assert plain(wording.reason_text(reason, "nb")) == (
        "Ramme: 5 kr · Tildelt: 3 kr · Ikke fordelt: 2 kr"
    )


def test_real_reasons_read_as_sentences() -> None:
    decision = Decision(
        application_id="A",
        status=Status.FUNDED,
        amount=2_800_000,
        rank=1,
        reasons=(
            Reason(
                code="reason.cap.share_of_cost",
                params={"share": Decimal("0.2"), "total_cost": 14_000_000, "cap": 2_800_000},
            ),
            Reason(code="reason.funded.full", params={"amount": 2_800_000, "rank": 1}),
        ),
    )
    text = plain(decision_text(decision, "en"))
    assert text.count(". ") == 1
    assert text.endswith(".")
    assert "NOK 2,800,000" in text


def test_rank_shows_ties() -> None:
    tied = Decision(application_id="A", status=Status.FUNDED, amount=1, rank=12, tied=True)
    alone = Decision(application_id="B", status=Status.FUNDED, amount=1, rank=13)
    unranked = Decision(application_id="C", status=Status.REJECTED, amount=0)
    assert [rank_text(tied), rank_text(alone), rank_text(unranked)] == ["12=", "13", ""]


def test_places_by_name_with_numbers_for_the_workbook() -> None:
    assert municipality_label("0219") == "Bærum (0219)"
    assert municipality_label("3201") == "Bærum (3201)"  # the 2024 number
    assert municipality_label("9998") == "9998"  # unknown: the number, never an error
    assert county_label("12") == "Hordaland (12)"
    assert county_label("46") == "Vestland (46)"


def test_every_place_in_the_registers_has_its_label() -> None:
    from tilskudd.registry import REGISTERS, get_register

    for year in REGISTERS:
        register = get_register(year)
        for number in register.municipalities:
            name = wording.municipality_name(number)
            assert municipality_label(number) == (f"{name} ({number})" if name else number)
        for number in register.counties:
            name = wording.county_name(number)
            assert county_label(number) == (f"{name} ({number})" if name else number)
    assert municipality_label("") == ""


def test_short_place_list_for_the_terminal() -> None:
    five = ("0219", "0220", "0228", "0229", "0230")
    assert places_short(five, "en") == "Bærum, Asker +3 more"
    assert places_short(five, "nb") == "Bærum, Asker +3 til"
    # Three names take no more room than two and "+1 more".
    assert places_short(five[:3], "en") == "Bærum, Asker, Rælingen"
    assert places_short((), "en") == ""


def _issue(row: int, column: str, code: str = "validate.amount_zero") -> Issue:
    return Issue(
        severity=Severity.ERROR,
        code=code,
        location=Location(file="s.xlsx", sheet="Søknader", row=row, column=column, header="Beløp"),
        field="requested",
        value="0",
    )


def test_issue_cell_is_where_a_spreadsheet_user_looks() -> None:
    assert issue_cell(_issue(12, "F"), "nb") == "Søknader!F12"
    row_only = Issue(
        severity=Severity.WARNING, code="x", location=Location(file="s.xlsx", sheet="Ark", row=7)
    )
    assert issue_cell(row_only, "nb") == "Ark, rad 7"
    assert issue_cell(Issue(severity=Severity.ERROR, code="x"), "en") == ""


def test_rejected_text_lists_every_error_with_its_cell() -> None:
    warning = Issue(severity=Severity.WARNING, code="validate.id_generated", params={"id": "R9"})
    row = RejectedRow(id="R9", row=9, issues=(_issue(9, "F"), warning, _issue(9, "C")))
    text = rejected_text(row, "en")
    assert text == (
        "Søknader!F9: the amount is zero; expected an amount above NOK 0; "
        "Søknader!C9: the amount is zero; expected an amount above NOK 0."
    )
    # The reason column holds sentences: a rejection ends with a full stop as the others do,
    # and one whose last problem ends with one does not get a second.
    single = RejectedRow(id="R9", row=9, issues=(_issue(9, "F"),))
    assert (
        rejected_text(single, "nb") == "Søknader!F9: beløpet er null; forventet et beløp over 0 kr."
    )
    question = Issue(
        severity=Severity.ERROR,
        code="validate.municipality_unknown",
        params={"item": "Bearum", "register": "2024", "suggestions": ["Bærum"]},
        location=Location(file="s.xlsx", sheet="Søknader", row=5, column="E"),
    )
    asked = rejected_text(RejectedRow(id="R5", row=5, issues=(question,)), "nb")
    assert asked.endswith("mente du Bærum?"), asked


def test_display_order_groups_by_status_then_rank_then_row(
    make_application: Callable[..., Application],
    make_result: Callable[..., RoundResult],
) -> None:
    def pair(
        app_id: str, status: Status, rank: int | None, row: int
    ) -> tuple[Application, Decision]:
        amount = 100 if status in (Status.FUNDED, Status.PARTLY_FUNDED) else 0
        return (
            make_application(id=app_id, row=row),
            Decision(application_id=app_id, status=status, amount=amount, rank=rank),
        )

    entries = [
        pair("not-funded-9", Status.NOT_FUNDED, 9, 2),
        pair("funded-2", Status.FUNDED, 2, 3),
        pair("reserve-5", Status.RESERVE, 5, 4),
        pair("partly-3", Status.PARTLY_FUNDED, 3, 5),
        pair("funded-1", Status.FUNDED, 1, 6),
        pair("unranked", Status.NOT_FUNDED, None, 7),
    ]
    rejected = [
        (
            RejectedRow(id=f"bad-{row}", row=row, issues=(_issue(row, "F"),)),
            Decision(application_id=f"bad-{row}", status=Status.REJECTED, amount=0),
        )
        for row in (30, 10)
    ]
    result = make_result(entries, rejected=rejected)
    assert [d.application_id for d in display_order(result)] == [
        "funded-1",
        "funded-2",
        "partly-3",
        "reserve-5",
        "not-funded-9",
        "unranked",
        "bad-10",
        "bad-30",
    ]


def _shown_by_cost(apps: tuple[Application, ...]) -> list[tuple[str, int | None, bool]]:
    """Id, rank shown and tie of each line of the lists, allocated with the cheaper first."""
    result = RoundResult(
        allocation=allocate(apps, 1000, Policy(tie_break="total_cost asc")),
        applications=apps,
        tool_version="0",
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return [(d.application_id, d.rank, d.tied) for d in display_order(result)]


def test_display_order_keeps_the_ties_a_tie_break_made_of_a_given_rank_apart() -> None:
    # All four were given no. 3; the tie-break put A and B (cheaper, a tie) before C and D (a
    # tie): all show 3=, and the lists keep the two ties in that order whatever the rows say.
    apps = (
        Application(id="D", requested=100, total_cost=900, rank=3, row=2),
        Application(id="A", requested=100, total_cost=500, rank=3, row=3),
        Application(id="C", requested=100, total_cost=900, rank=3, row=4),
        Application(id="B", requested=100, total_cost=500, rank=3, row=5),
        Application(id="E", requested=100, total_cost=100, rank=1, row=6),
    )
    shown = _shown_by_cost(apps)
    assert shown == [
        ("E", 1, False),
        ("A", 3, True),
        ("B", 3, True),
        ("C", 3, True),
        ("D", 3, True),
    ]


def test_display_order_keeps_the_tie_break_order_within_a_given_rank() -> None:
    # A and B were both given no. 3, and the tie-break column put B (cheaper) first: both show 3,
    # untied, and the lists follow the order the rule took them in, not the rows (A's is first).
    # C and D share no. 5 and every tie-break value: a tie, listed by row as every tie is.
    apps = (
        Application(id="A", requested=100, total_cost=900, rank=3, row=2),
        Application(id="B", requested=100, total_cost=500, rank=3, row=3),
        Application(id="D", requested=100, total_cost=500, rank=5, row=4),
        Application(id="C", requested=100, total_cost=500, rank=5, row=5),
        Application(id="E", requested=100, total_cost=100, rank=1, row=6),
    )
    shown = _shown_by_cost(apps)
    assert shown == [
        ("E", 1, False),
        ("B", 3, False),
        ("A", 3, False),
        ("D", 5, True),
        ("C", 5, True),
    ]


def test_an_application_the_budget_could_not_cover_is_not_told_the_budget_ran_out() -> None:
    # With 129 000 kr left a later, smaller application can still be funded: "Rammen var brukt
    # opp ... med 129 000 kr igjen" (budget exhausted, with money left) told a citizen two
    # things at once. The reason says that what was left did not cover what it needed.
    reason = Reason(
        "reason.budget.exhausted", {"rank": 56, "remaining": 129_000, "needed": 1_360_000}
    )
    nb = wording.reason_text(reason, "nb")
    en = wording.reason_text(reason, "en")
    assert nb == (
        f"Rammen strakk ikke til ved plass{NBSP}56: det var 129{NBSP}000{NBSP}kr igjen, "
        f"og søknaden trengte 1{NBSP}360{NBSP}000{NBSP}kr"
    )
    assert en == (
        f"Not enough budget left at rank{NBSP}56: NOK{NBSP}129,000 was left, "
        f"and the application needed NOK{NBSP}1,360,000"
    )
    for text in (nb, en):
        assert "brukt opp" not in text
        assert "exhausted" not in text


def test_a_split_given_rank_is_cut_short_on_screen_like_other_lists(
    make_application: Callable[..., Application],
) -> None:
    # 40 applications all given rank 1, split by category into two ties of 20: the note's ids
    # were cut to ten, but its order listed all 40 on screen (with 100 000, every one of them).
    apps = [
        make_application(
            id=f"S-{i:02d}", requested=100, score=None, rank=1, category="ab"[i % 2], orgnr=None
        )
        for i in range(1, 41)
    ]
    result = allocate(apps, 1_000, Policy(tie_break="category asc"))
    (note,) = [n for n in result.notes if n.code == "note.given_rank_ordered"]
    assert len(note.params["order"]) == 2
    for lang, more in (("en", "10 more"), ("nb", "10 til")):
        short = wording.shortened(note, get(lang))
        first, second = short.params["order"]
        assert first == " = ".join(f"S-{i:02d}" for i in range(2, 21, 2)) + f" = … ({more})"
        assert second == " = ".join(f"S-{i:02d}" for i in range(1, 20, 2)) + f" = … ({more})"
        text = wording.reason_text(short, lang)
        assert "S-21" not in text
        assert "S-22" not in text
    # The JSON and the workbooks keep every id: the note itself is not changed.
    assert note.params["order"][0].count(" = ") == 19


UNKNOWN_COST_ALL = Reason(
    code="note.share_of_cost_unknown_all", params={"total": 12, "share": Decimal("0.2")}
)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "None of the 12 applications has a total cost, so the cap of 20% of the total cost was "
            "applied to none of them. If the sheet has the total cost under a heading tilskudd "
            "does not know, name the column with --columns.",
        ),
        (
            "nb",
            "Ingen av de 12 søknadene har totalkostnad, så taket på 20\xa0% av totalkostnaden ble "
            "ikke brukt på noen av dem. Står totalkostnaden i arket under en overskrift tilskudd "
            "ikke kjenner, navngi kolonnen med --columns.",
        ),
    ],
)
def test_a_round_note_is_written_as_sentences(lang: str, text: str) -> None:
    # As the reasons of a decision are: every sentence ends with its full stop, the last too.
    assert note_text(UNKNOWN_COST_ALL, lang) == text
    tie = Reason(code="note.tie_at_line", params={"rank": 3, "count": 2, "ids": ["A", "B"]})
    assert note_text(tie, lang).endswith(("in id order.", "etter søknadsnummer."))
    # A note that ends with its full stop already gets no second one.
    assert note_text(Reason(code="ui.check.none"), lang).count(".") == 1


@pytest.mark.parametrize(
    ("code", "params", "lang", "text"),
    [
        # A proportional share is rounded to whole kroner or to round_to, not "to whole awards".
        (
            "reason.proportional.share",
            {"fraction": Decimal("0.2625")},
            "nb",
            "En forholdsmessig andel av rammen: 26,25 % av det tilskuddsberettigede beløpet før "
            "avrunding (beløpene avrundingen etterlater, går til de største restene)",
        ),
        (
            "reason.proportional.share",
            {"fraction": Decimal("0.2625")},
            "en",
            "A proportional share of the budget: 26.25% of the eligible amount before rounding "
            "(the amounts left by rounding go to the largest remainders)",
        ),
        # Difi 2009 by shares: 2009-035 kept exactly the minimum, 100 000 kr, so the shares
        # had to reach the minimum, not "stay above" it.
        (
            "note.proportional.tie_at_min_award",
            {"count": 3, "ids": ["A", "B", "C"], "dropped_ids": ["C"], "ranked": 1},
            "nb",
            "3 søknader ville fått like store andeler (A, B og C); ikke alle kunne nå laveste "
            "tilskudd, og C falt ut etter rangering og søknadsnummer",
        ),
        (
            "note.proportional.tie_at_min_award_ordered",
            {
                "count": 3,
                "ids": ["A", "B", "C"],
                "dropped_ids": ["C"],
                "columns": "requested asc",
                "ranked": 1,
            },
            "en",
            "3 applications would have had equal shares (A, B and C); not all could reach the "
            "minimum award, and C dropped out by rank, the tie-break (requested asc) and id order",
        ),
    ],
)
def test_proportional_wording_says_what_happened(
    code: str, params: dict[str, Any], lang: str, text: str
) -> None:
    assert plain(wording.reason_text(Reason(code=code, params=params), lang)) == text


@pytest.mark.parametrize(
    ("recorded", "en", "nb"),
    [
        ("max_award", "max_award", "max_award"),
        (
            "per_applicant_max (round 2)",
            "per_applicant_max (round 2)",
            "per_applicant_max (runde 2)",
        ),
        (
            "quotas (county 03: max_share)",
            "quotas (county 03: max_share)",
            "quotas (fylke 03: max_share)",
        ),
        (
            "quotas (category Kultur: x: min_count)",
            "quotas (category Kultur: x: min_count)",
            "quotas (kategori «Kultur: x»: min_count)",
        ),
    ],
)
def test_a_rule_an_amendment_went_beyond_is_said_in_the_language(
    recorded: str, en: str, nb: str
) -> None:
    """As recorded, "per_applicant_max (round 2)" was shown with English words in Norwegian."""
    assert wording.waived_text([recorded], "en") == en
    assert wording.waived_text([recorded], "nb") == nb
    assert wording.waived_text([], "nb") is None


def test_a_recorded_decision_is_said_as_the_round_said_it() -> None:
    # As the ledger keeps a decision's reasons: codes, JSON parameters, exact decimals as text.
    recorded = [
        {
            "code": "reason.cap.share_of_cost",
            "params": {"amount": 260000, "cap": 174000, "share": "0.2", "total_cost": 870000},
        },
        {
            "code": "reason.budget.exhausted",
            "params": {"needed": 174000, "rank": 100, "remaining": 19000},
        },
    ]
    said = wording.recorded_decision_text(recorded, "not_funded", "nb").replace("\u00a0", " ")
    assert said == (
        "Begrenset til 20 % av totalkostnaden på 870 000 kr = 174 000 kr. Rammen strakk ikke til"
        " ved plass 100: det var 19 000 kr igjen, og søknaden trengte 174 000 kr."
    )
    english = wording.recorded_decision_text(recorded, "not_funded", "en")
    assert english.startswith("Capped at 20% of the total cost of NOK\u00a0870,000")
    # An earlier round's grant: only that is said, not the caps recorded beside it.
    before = [
        recorded[0],
        {"code": "reason.round.already_funded", "params": {"round": 1, "application": "0123"}},
    ]
    text = wording.recorded_decision_text(before, "not_funded", "en")
    assert "0123" in text  # an id stays the text it is, not the number 123
    assert "20%" not in text
    # No reasons: the status.
    assert wording.recorded_decision_text([], "reserve", "nb") == "Reserve."


# Sentences published with award lists, as a reader reads them: which amount is meant, the
# same words across rules, and one count or one name read as such.
PUBLISHED = [
    (
        "reason.funded.partial",
        {"rank": 57, "amount": 19_000, "eligible": 360_000},
        "Partly funded at the funding line (rank 57) with the NOK 19,000 left of the budget, out "
        "of an eligible amount of NOK 360,000",
        "Delvis innvilget ved finansieringsgrensen (plass 57) med de 19 000 kr som var igjen av "
        "rammen, av et tilskuddsberettiget beløp på 360 000 kr",
    ),
    (
        "reason.line.partial_below_min",
        {"remaining": 19_000, "min_award": 100_000},
        "The NOK 19,000 left is too little for a partial award (the minimum award is NOK 100,000)",
        "De 19 000 kr som var igjen, er for lite til et delvis tilskudd (laveste tilskudd er "
        "100 000 kr)",
    ),
    (
        "reason.line.partial_nothing_left",
        {"remaining": 0, "min_award": 0},
        "Nothing was left of the budget for a partial award",
        "Ingenting var igjen av rammen til et delvis tilskudd",
    ),
    (
        "reason.line.partial_rounded_to_nothing",
        {"remaining": 900, "step": 1_000, "amount": 0, "min_award": 0},
        "The NOK 900 left, rounded down to a multiple of NOK 1,000, is nothing, so there is no "
        "partial award",
        "De 900 kr som var igjen, rundet ned til et multiplum av 1 000 kr, blir null, så det "
        "blir ikke noe delvis tilskudd",
    ),
    (
        "reason.ineligible.below_min_award",
        {"amount": 80_000, "min_award": 100_000},
        "The eligible amount, NOK 80,000, is below the minimum award of NOK 100,000",
        "Det tilskuddsberettigede beløpet, 80 000 kr, er under laveste tilskudd på 100 000 kr",
    ),
    (
        "reason.reserve.position",
        {"position": 2},
        "Number 2 on the reserve list",
        "Nummer 2 på reservelisten",
    ),
    (
        "reason.proportional.full",
        {},
        "Funded with the full eligible amount",
        "Innvilget med hele det tilskuddsberettigede beløpet",
    ),
    (
        "reason.proportional.zero",
        {"fraction": Decimal("0.001")},
        "The share of 0.1% of the eligible amount rounds down to nothing",
        "Andelen på 0,1 % av det tilskuddsberettigede beløpet blir null etter avrunding",
    ),
    (
        "note.proportional.per_applicant",
        {"count": 1, "max": 2_000_000},
        "One organisation reached the maximum one organisation may receive, NOK 2,000,000 "
        "(per_applicant_max): its applications share what it may still receive, at a share of "
        "their own, and the other applications share the rest of the budget",
        "Én organisasjon nådde det høyeste beløpet én organisasjon kan få, 2 000 000 kr "
        "(per_applicant_max): søknadene fra den deler det organisasjonen ennå kan få, med en "
        "egen andel, og de andre søknadene deler resten av rammen",
    ),
    (
        "note.optimal.tie_swap",
        {"count": 2, "rank": 4, "ids": ["A", "B"], "funded_ids": ["A"]},
        "2 applications share rank 4 (A and B); a selection with one of those left out instead "
        "of one funded would have been just as good, and the stated order (the id last) chose A",
        "2 søknader deler plass 4 (A og B); et utvalg med en av de utelatte i stedet for en av "
        "de innvilgede ville vært like godt, og den oppgitte rekkefølgen (til sist "
        "søknadsnummeret) valgte A",
    ),
    (
        "reason.optimal.per_applicant",
        {
            "orgnr": "974760673",
            "max": 500_000,
            "already": 300_000,
            "left": 200_000,
            "needed": 250_000,
        },
        "Organisation 974760673 may receive at most NOK 500,000 in all and has already been "
        "awarded NOK 300,000; the NOK 200,000 left is less than the NOK 250,000 this application "
        "needs, and this rule funds whole eligible amounts only",
        "Organisasjon 974760673 kan få høyst 500 000 kr til sammen og er allerede tildelt "
        "300 000 kr; de 200 000 kr som er igjen, er mindre enn de 250 000 kr søknaden trenger, "
        "og denne regelen gir bare hele tilskuddsberettigede beløp",
    ),
    (
        "reason.round.override_not_applied",
        {"decision": "innvilg", "text": "Viktig for regionen"},
        "The officer's decision in the sheet (innvilg; the reason given: Viktig for regionen) "
        "was not applied: a project is funded once in a programme",
        "Saksbehandlers vedtak i arket (innvilg; begrunnelsen: Viktig for regionen) ble ikke "
        "brukt: et prosjekt får tilskudd én gang i en ordning",
    ),
    (
        "note.share_of_cost_unknown_many",
        {"count": 12, "total": 40, "share": Decimal("0.2"), "shown": 3, "ids": ["A", "B", "C"]},
        "12 of 40 applications have no total cost, so the cap of 20% of the total cost could not "
        "be applied to them; the first 3 by id: A, B and C",
        "12 av 40 søknader har ingen totalkostnad, så taket på 20 % av totalkostnaden kunne "
        "ikke brukes på dem; de 3 første etter søknadsnummer: A, B og C",
    ),
    (
        "note.tie_break_empty",
        {"column": "Søknadsdato"},
        "The tie-break column Søknadsdato is empty for every application, so it ordered nothing",
        "Kolonnen Søknadsdato i rekkefølgen ved likhet (tie_break) er tom for alle søknadene, så "
        "den avgjorde ingenting",
    ),
]


@pytest.mark.parametrize(("code", "params", "en", "nb"), PUBLISHED)
def test_published_sentences_read_as_written(
    code: str, params: dict[str, Any], en: str, nb: str
) -> None:
    reason = Reason(code=code, params=params)
    assert plain(wording.reason_text(reason, "en")) == en
    assert plain(wording.reason_text(reason, "nb")) == nb


def test_the_eligible_amount_has_one_name_in_headers_and_reasons() -> None:
    """The workbook's column and the reasons name the eligible amount alike (the header said
    "Maks. tilskudd", which reads as max_award or per_applicant_max, beside reasons saying
    "tilskuddsberettiget beløp")."""
    nb, en = get("nb"), get("en")
    assert nb("header.eligible") == "Tilskuddsberettiget beløp"
    assert en("header.eligible") == "Eligible amount"
    partial = {"rank": 1, "amount": 1, "eligible": 2}
    assert nb("header.eligible").lower() in nb("reason.funded.partial", **partial)
    assert en("header.eligible").lower() in en("reason.funded.partial", **partial)


@pytest.mark.parametrize(
    ("lang", "code", "params", "word"),
    [
        ("nb", "reason.reserve.position", {"position": 2}, "Nummer"),
        ("en", "reason.reserve.position", {"position": 2}, "Number"),
        ("nb", "reason.funded.full", {"amount": 1_200_000, "rank": 2}, "plass"),
        ("en", "reason.funded.full", {"amount": 1_200_000, "rank": 2}, "rank"),
        ("nb", "reason.lottery.line_stopped", {"line_position": 2}, "nummer"),
        ("en", "reason.line.stopped", {"line_rank": 4}, "rank"),
    ],
)
def test_a_word_and_its_number_are_not_parted_at_a_line_break(
    lang: str, code: str, params: dict[str, Any], word: str
) -> None:
    """ "Nummer 2 på reservelisten" wrapped in the terminal's reason column read "Nummer" at one
    line's end and "2 på" at the next one's start: a no-break space holds them together."""
    from tilskudd.render.text import wrap

    text = wording.reason_text(Reason(code=code, params=params), lang)
    for width in range(8, len(text) + 1):
        lines = wrap(text, width).split("\n")
        assert not any(line.rstrip().endswith(word) for line in lines), (width, lines)
