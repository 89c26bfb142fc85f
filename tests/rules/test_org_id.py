"""per_applicant_max for organisations without a Norwegian organisation number: the identifier
another register gives them (360Giving's Recipient Org:Identifier, carried as
:data:`~tilskudd.models.ORG_ID_COLUMN`) counts as the organisation, so the cap holds their
applications together; only an application with no identifier at all is in no total."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.models import ORG_ID_COLUMN, Application, Policy
from tilskudd.rules import allocate

MakeApp = Callable[..., Application]
RULES = ["ranked", "proportional", "optimal", "lottery"]


def _apps(make_application: MakeApp) -> list[Application]:
    def foreign(app_id: str, org_id: str | None, score: int) -> Application:
        return make_application(
            id=app_id,
            orgnr=None,
            score=score,
            requested=100_000,
            extra={ORG_ID_COLUMN: org_id},
        )

    return [
        foreign("GB-1", "GB-CHC-1234567", 9),
        foreign("GB-2", "GB-CHC-1234567", 8),
        foreign("GB-3", " GB-CHC-1234567 ", 7),  # as typed, with spaces around
        foreign("UK-1", "E5104X", 6),  # a publisher's own id: still the same recipient's
        foreign("UK-2", "E5104X", 5),
        foreign("NONE", None, 4),
        make_application(id="NO-1", orgnr="974760673", score=3, requested=100_000),
        # An organisation number comes first: this one counts with NO-1, not with GB-CHC-.
        make_application(
            id="NO-2",
            orgnr="974760673",
            score=2,
            requested=100_000,
            extra={ORG_ID_COLUMN: "GB-CHC-1234567"},
        ),
    ]


@pytest.mark.parametrize("rule", RULES)
def test_another_registers_id_counts_as_the_organisation(
    make_application: MakeApp, rule: str
) -> None:
    apps = _apps(make_application)
    policy = Policy(rule=rule, per_applicant_max=150_000, seed=1 if rule == "lottery" else None)
    result = allocate(apps, 10_000_000, policy)
    amount = {d.application_id: d.amount for d in result.decisions}
    # Each organisation gets at most 150 000 of its 300 000 or 200 000; the budget is ample.
    # (optimal funds whole eligible amounts only: one of 100 000 each.)
    most = 100_000 if rule == "optimal" else 150_000
    assert amount["GB-1"] + amount["GB-2"] + amount["GB-3"] == most
    assert amount["UK-1"] + amount["UK-2"] == most
    assert amount["NO-1"] + amount["NO-2"] == most
    assert amount["NONE"] == 100_000
    assert result.budget == result.awarded + result.unallocated
    # The cap's reasons name the organisation by its identifier.
    cut = {
        str(r.params["orgnr"])
        for d in result.decisions
        for r in d.reasons
        if "per_applicant" in r.code and "orgnr" in r.params
    }
    if rule != "optimal":  # its program holds the cap; an application left out says why else
        assert {"GB-CHC-1234567", "E5104X", "974760673"} <= cut
    # The note names only the application with no identifier at all.
    (note,) = [n for n in result.notes if n.code.startswith("note.per_applicant_unknown")]
    assert (note.params["count"], note.params["ids"]) == (1, ["NONE"])


@pytest.mark.parametrize("rule", RULES)
def test_the_same_result_whatever_the_row_order(make_application: MakeApp, rule: str) -> None:
    apps = _apps(make_application)
    policy = Policy(rule=rule, per_applicant_max=150_000, seed=1 if rule == "lottery" else None)
    first = allocate(apps, 450_000, policy)
    shuffled = list(apps)
    random.Random(7).shuffle(shuffled)
    again = allocate(shuffled, 450_000, policy)
    assert sorted(first.decisions) == sorted(again.decisions)
    assert first.budget == first.awarded + first.unallocated


def test_a_fund_override_counts_against_its_organisations_cap(make_application: MakeApp) -> None:
    apps = [
        make_application(
            id="GB-1",
            orgnr=None,
            score=1,
            extra={ORG_ID_COLUMN: "GB-CHC-1234567"},
            decision="fund",
            decision_amount=120_000,
            decision_reason="Vedtatt",
            requested=120_000,
        ),
        make_application(
            id="GB-2",
            orgnr=None,
            score=9,
            requested=100_000,
            extra={ORG_ID_COLUMN: "GB-CHC-1234567"},
        ),
    ]
    result = allocate(apps, 1_000_000, Policy(per_applicant_max=150_000))
    amount = {d.application_id: d.amount for d in result.decisions}
    assert amount == {"GB-1": 120_000, "GB-2": 30_000}


GIVING360 = (
    "Identifier,Title,Amount Applied For,Recipient Org:Identifier,Recipient Org:Name,Score\n"
    "360G-uk-1,Park,100000,GB-CHC-1234567,Charity A,9\n"
    "360G-uk-2,School,100000,GB-CHC-1234567,Charity A,8\n"
    "360G-uk-3,Hall,100000,GB-COH-01234567,Company B,7\n"
    "360G-uk-4,Road,100000,E5104X,Council,6\n"
    "360G-uk-5,Road 2,100000,E5104X,Council,5\n"
    "360G-uk-6,Bench,100000,,Nobody,4\n"
)


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_a_360giving_sheet_is_capped_per_recipient(tmp_path: Path, lang: str) -> None:
    """A UK funder's grants in 360Giving's columns, allocated with a cap per organisation:
    the recipients have no Norwegian organisation numbers, so the cap held nothing and a note
    said so for all six. Now Charity A and the Council get 150 000 each; the note names only
    the application with no identifier."""
    source = tmp_path / "uk.csv"
    source.write_text(GIVING360, encoding="utf-8")
    out = tmp_path / "awards.json"
    args = ["allocate", str(source), "--budget", "1000000", "--per-applicant-max", "150000"]
    run = CliRunner().invoke(app, [*args, "--lang", lang, "-o", str(out)])
    assert run.exit_code == 0, run.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {a["id"]: a["amount"] for a in data["applications"]} == {
        "360G-uk-1": 100_000,
        "360G-uk-2": 50_000,
        "360G-uk-3": 100_000,
        "360G-uk-4": 100_000,
        "360G-uk-5": 50_000,
        "360G-uk-6": 100_000,
    }
    assert data["budget"] == data["awarded"] + data["unallocated"]
    (note,) = [n for n in data["notes"] if n["code"].startswith("note.per_applicant_unknown")]
    assert note["params"]["ids"] == ["360G-uk-6"]
    said = {"en": "Organisation GB-CHC-1234567 may receive at most", "nb": "Organisasjon E5104X"}
    assert said[lang] in " ".join(run.output.split())


@pytest.mark.parametrize(
    "placeholder", ["N/A", "-", "0", "000", "unknown", "Ukjent", "TBC", "n.a.", "Not known", "?"]
)
def test_a_placeholder_for_a_missing_identifier_is_no_organisation(
    make_application: MakeApp, placeholder: str
) -> None:
    """Publishers write a placeholder where they have no identifier; the applications that share
    it are different recipients, and holding them to one organisation's maximum would cut them
    for each other's awards."""
    apps = [
        make_application(
            id=f"X-{i}",
            orgnr=None,
            score=9 - i,
            requested=100_000,
            extra={ORG_ID_COLUMN: placeholder},
        )
        for i in range(3)
    ]
    result = allocate(apps, 10_000_000, Policy(per_applicant_max=150_000))
    assert [d.amount for d in result.decisions] == [100_000] * 3
    # The note says the cap was applied to none of them: none has an identifier.
    (note,) = [n for n in result.notes if n.code.startswith("note.per_applicant_unknown")]
    assert (note.code, note.params["total"]) == ("note.per_applicant_unknown_all", 3)


@pytest.mark.parametrize("rule", RULES)
def test_an_org_id_in_any_case_is_one_organisation(make_application: MakeApp, rule: str) -> None:
    """org-id.guide's identifiers know no case: gb-chc-1234567, typed by another officer or
    pasted with an invisible space after it, is GB-CHC-1234567, and the cap holds the three
    together, in whatever order they come. A publisher's own code is counted as given: e5104x
    may be another organisation than E5104X."""

    def foreign(app_id: str, org_id: str, score: int) -> Application:
        return make_application(
            id=app_id, orgnr=None, score=score, requested=100_000, extra={ORG_ID_COLUMN: org_id}
        )

    apps = [
        foreign("GB-1", "GB-CHC-1234567", 9),
        foreign("GB-2", "gb-chc-1234567", 8),
        foreign("GB-3", "Gb-Chc-1234567\u200b ", 7),
        foreign("UK-1", "E5104X", 6),
        foreign("UK-2", "e5104x", 5),
    ]
    policy = Policy(rule=rule, per_applicant_max=150_000, seed=1 if rule == "lottery" else None)
    most = 100_000 if rule == "optimal" else 150_000
    for order in (apps, apps[::-1]):
        result = allocate(order, 10_000_000, policy)
        amount = {d.application_id: d.amount for d in result.decisions}
        assert amount["GB-1"] + amount["GB-2"] + amount["GB-3"] == most
        assert (amount["UK-1"], amount["UK-2"]) == (100_000, 100_000)
        assert result.budget == result.awarded + result.unallocated
    # The organisation is named by its identifier as compared, in capitals.
    assert {app.organisation for app in apps[:3]} == {"GB-CHC-1234567"}
    assert [app.organisation_as_given for app in apps[:3]] == [
        "GB-CHC-1234567",
        "gb-chc-1234567",
        "Gb-Chc-1234567",
    ]


def test_a_360giving_sheet_caps_a_recipient_typed_in_two_cases(tmp_path: Path) -> None:
    """End to end: Charity A is GB-CHC-1234567 on one row and gb-chc-1234567 on the next.
    Read as two organisations, each got its 100 000 under a maximum of 150 000."""
    source = tmp_path / "uk.csv"
    source.write_text(
        "Identifier,Title,Amount Applied For,Recipient Org:Identifier,Recipient Org:Name,Score\n"
        "360G-uk-1,Park,100000,GB-CHC-1234567,Charity A,9\n"
        "360G-uk-2,School,100000,gb-chc-1234567 ,Charity A,8\n",
        encoding="utf-8",
    )
    out = tmp_path / "awards.json"
    args = ["allocate", str(source), "--budget", "1000000", "--per-applicant-max", "150000"]
    run = CliRunner().invoke(app, [*args, "-o", str(out)])
    assert run.exit_code == 0, run.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {a["id"]: a["amount"] for a in data["applications"]} == {
        "360G-uk-1": 100_000,
        "360G-uk-2": 50_000,
    }
    assert data["budget"] == data["awarded"] + data["unallocated"]
