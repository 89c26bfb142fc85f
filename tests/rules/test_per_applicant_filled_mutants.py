"""What names the awards that filled ``per_applicant_max`` (rules/common.py
``per_applicant_filled``, ``per_applicant_officer_first``; rules/ranked.py's funding pass):
contracts no round through a rule reaches (every rule gives the count and filters the codes
itself), the edge of naming and counting, and a quota round's order funded. Each test tells
the code from a mutant (docs/testing.md, the run of the reasons that name what filled it)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tilskudd.models import Application, Policy, Quota
from tilskudd.rules import allocate
from tilskudd.rules.common import make_reason, per_applicant_filled, per_applicant_officer_first

ORG = "974760673"
MakeApp = Callable[..., Application]


def test_without_a_count_every_application_named_is_counted() -> None:
    """``count`` defaults to the applications named: two named, so the plain ``_in_round``
    naming both, with no count to say."""
    cut = make_reason(
        "reason.cap.per_applicant", orgnr=ORG, max=500_000, already=400_000, cap=100_000
    )
    said = per_applicant_filled(cut, ["A1", "A2"], 0)
    assert said.code == "reason.cap.per_applicant_in_round"
    assert said.params == {
        "orgnr": ORG,
        "max": 500_000,
        "already": 400_000,
        "cap": 100_000,
        "this_round": 400_000,
        "funded": ["A1", "A2"],
    }


def test_a_reason_not_of_the_maximum_is_left_as_it_is() -> None:
    """Only the reasons of ``per_applicant_max`` are said again with the officer's decisions;
    any other, of the same kind (``reason.cap.…``) too, is returned as it was."""
    for reason in (
        make_reason("reason.cap.max_award", cap=100_000, amount=100_000),
        make_reason("reason.proportional.full"),
    ):
        assert per_applicant_officer_first(reason, ["A1"], 250_000, 100_000) is reason


def test_five_funded_before_are_counted_and_three_named() -> None:
    """Past four (``PER_APPLICANT_NAMED`` + 1) the reason names the first three and counts all:
    five funded before is the first count that is ``_many``."""
    cut = make_reason(
        "reason.cap.per_applicant", orgnr=ORG, max=550_000, already=500_000, cap=50_000
    )
    said = per_applicant_filled(cut, ["A1", "A2", "A3"], 0, count=5)
    assert said.code == "reason.cap.per_applicant_in_round_many"
    assert (said.params["funded"], said.params["count"]) == (["A1", "A2", "A3"], 5)


def test_the_officers_decisions_are_said_apart_and_the_rules_counted() -> None:
    """The rule saw the officer's two decisions to fund (250 000) as earlier awards and named
    three of its own five (``_many``): said again, the officer's are said apart with their
    amount, and the rule's five are counted, the first three named, ``more`` 1."""
    rule_said = make_reason(
        "reason.cap.per_applicant_earlier_and_round_many",
        orgnr=ORG,
        max=800_000,
        already=750_000,
        cap=50_000,
        earlier=250_000,
        this_round=500_000,
        funded=["R1", "R2", "R3"],
        count=5,
    )
    said = per_applicant_officer_first(rule_said, ["O1", "O2"], 0, 250_000)
    assert said.code == "reason.cap.per_applicant_officer_and_round"
    assert said.params == {
        "orgnr": ORG,
        "max": 800_000,
        "already": 750_000,
        "cap": 50_000,
        "officer": ["O1", "O2"],
        "officer_count": 2,
        "officer_amount": 250_000,
        "this_round": 500_000,
        "funded": ["R1", "R2", "R3"],
        "count": 5,
        "more": 1,
    }
    # Four of the rule's, all named: no "among them".
    four = make_reason(
        "reason.ineligible.per_applicant_earlier_and_round",
        orgnr=ORG,
        max=700_000,
        already=700_000,
        left=0,
        min_award=0,
        earlier=300_000,
        this_round=400_000,
        funded=["R1", "R2", "R3", "R4"],
    )
    said = per_applicant_officer_first(four, ["O1"], 50_000, 250_000)
    assert said.code == "reason.ineligible.per_applicant_earlier_officer_and_round"
    assert (said.params["earlier"], said.params["officer_amount"]) == (50_000, 250_000)
    assert (said.params["funded"], said.params["count"], said.params["more"]) == (
        ["R1", "R2", "R3", "R4"],
        4,
        0,
    )


def test_a_quota_minimums_pick_is_named_first_as_it_was_funded_first(
    make_application: MakeApp,
) -> None:
    """A1 (Y), A2 (X) and A3 (Y) of one organisation, 300 000 each, ranked in that order; at
    least one of X, and 700 000 to the organisation. Pass 1 funds A2 for X, then A1 and A3 come
    in rank order: A3 is cut to 100 000 by A2 and A1, in the order funded (not by rank)."""
    apps = [
        make_application(id=i, requested=300_000, score=Decimal(s), category=c, orgnr=ORG)
        for i, s, c in (("A1", 3, "Y"), ("A2", 2, "X"), ("A3", 1, "Y"))
    ]
    quota = Quota(by="category", value="X", min_count=1)
    result = allocate(apps, 5_000_000, Policy(per_applicant_max=700_000, quotas=(quota,)))
    by_id = result.by_id()
    assert by_id["A2"].reasons[0].code == "reason.quota.min_count_reserved"
    assert by_id["A3"].amount == 100_000
    cut = by_id["A3"].reasons[0]
    assert cut.code == "reason.cap.per_applicant_in_round"
    assert (cut.params["funded"], cut.params["this_round"]) == (["A2", "A1"], 600_000)


def test_a_cut_that_meets_a_quota_minimum_says_both(make_application: MakeApp) -> None:
    """At least two of X, 500 000 to an organisation: A1 and A2 (X, 300 000 each) are both
    picked for X; A2 is cut to 200 000 by A1 and counts for X. Its reasons say the cut, naming
    A1, and then the minimum it was reserved for, each once."""
    apps = [
        make_application(id=i, requested=300_000, score=Decimal(s), category=c, orgnr=o)
        for i, s, c, o in (("A1", 3, "X", ORG), ("A2", 2, "X", ORG), ("B1", 1, "Y", None))
    ]
    quota = Quota(by="category", value="X", min_count=2)
    result = allocate(apps, 5_000_000, Policy(per_applicant_max=500_000, quotas=(quota,)))
    a2 = result.by_id()["A2"]
    assert a2.amount == 200_000
    assert [r.code for r in a2.reasons] == [
        "reason.cap.per_applicant_in_round",
        "reason.quota.min_count_reserved",
        "reason.funded.full",
    ]
    assert a2.reasons[0].params["funded"] == ["A1"]
