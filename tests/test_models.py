"""The models hold the invariants every output relies on."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from tilskudd.errors import PolicyError
from tilskudd.models import Allocation, Application, Decision, Location, Policy, Status
from tilskudd.policyfile import policy_from_mapping


def decision(app_id: str, amount: int, status: Status = Status.FUNDED) -> Decision:
    return Decision(application_id=app_id, status=status, amount=amount)


def allocation(decisions: tuple[Decision, ...], *, awarded: int, unallocated: int) -> Allocation:
    """An allocation of a 100 kr budget by the ranked rule, with the figures given as they are."""
    return Allocation(
        rule="ranked",
        policy=Policy(),
        budget=100,
        awarded=awarded,
        unallocated=unallocated,
        decisions=decisions,
    )


def test_allocation_budget_must_balance() -> None:
    with pytest.raises(ValidationError, match="budget"):
        allocation((decision("A", 60),), awarded=60, unallocated=30)


def test_allocation_awarded_is_the_sum_of_awards() -> None:
    with pytest.raises(ValidationError, match="sum of awards"):
        allocation((decision("A", 60),), awarded=50, unallocated=50)


def test_allocation_lists_each_application_once() -> None:
    with pytest.raises(ValidationError, match="more than once"):
        allocation((decision("A", 30), decision("A", 30)), awarded=60, unallocated=40)


@pytest.mark.parametrize(
    ("amount", "status"), [(0, Status.FUNDED), (0, Status.PARTLY_FUNDED), (10, Status.NOT_FUNDED)]
)
def test_status_must_fit_amount(amount: int, status: Status) -> None:
    with pytest.raises(ValueError, match="does not fit"):
        decision("A", amount, status).check()
    # An allocation holding such a decision is refused.
    with pytest.raises(ValidationError, match="does not fit"):
        allocation((decision("A", amount, status),), awarded=amount, unallocated=100 - amount)


@pytest.mark.parametrize("amount", [-1, 1.5, True])
def test_allocation_refuses_amounts_that_are_not_whole_kroner(amount: object) -> None:
    with pytest.raises(ValidationError, match="whole kroner"):
        allocation((decision("A", amount, Status.NOT_FUNDED),), awarded=0, unallocated=100)  # type: ignore[arg-type]


def test_allocation_holds_decisions_and_reasons_only() -> None:
    with pytest.raises(ValidationError, match="not a Decision"):
        allocation((("A", Status.NOT_FUNDED, 0),), awarded=0, unallocated=100)  # type: ignore[arg-type]


def test_request_above_total_cost_is_invalid() -> None:
    with pytest.raises(ValidationError, match="total cost"):
        Application(id="A", requested=200, total_cost=100)


def test_location_cell_reference() -> None:
    assert Location(file="f.xlsx", sheet="Søknader", row=12, column="F").cell == "Søknader!F12"
    assert Location(file="f.csv", row=12).cell == "row 12"
    # A sheet name with a space is quoted as a formula writes it, so a trailing space shows:
    # the CSV and JSON problem lists gave "Sheet 1 !F12".
    assert Location(file="f.xlsx", sheet="Sheet 1 ", row=12, column="F").cell == "'Sheet 1 '!F12"
    assert Location(file="f.xlsx", sheet="Ola's", row=3).cell == "'Ola''s'!row 3"
    assert Location(file="f.xlsx", sheet=" Søknader").cell == "' Søknader'"


def _allocation_of(*decisions: Decision, budget: int = 100) -> Allocation:
    awarded = sum(d.amount for d in decisions)
    return Allocation(
        rule="ranked",
        policy=Policy(),
        budget=budget,
        awarded=awarded,
        unallocated=budget - awarded,
        decisions=decisions,
    )


def test_with_unfunded_appends_decisions_that_award_nothing() -> None:
    base = _allocation_of(decision("A", 60))
    rejected = decision("B", 0, Status.REJECTED)
    extended = base.with_unfunded([rejected])
    assert [d.application_id for d in extended.decisions] == ["A", "B"]
    assert (extended.budget, extended.awarded, extended.unallocated) == (100, 60, 40)
    assert base.decisions == (decision("A", 60),)  # the original is unchanged


def test_with_unfunded_refuses_awards_duplicates_and_broken_decisions() -> None:
    base = _allocation_of(decision("A", 60))
    with pytest.raises(ValueError, match="award nothing"):
        base.with_unfunded([decision("B", 10)])
    with pytest.raises(ValueError, match="A is already in the allocation"):
        base.with_unfunded([decision("A", 0, Status.NOT_FUNDED)])
    with pytest.raises(ValueError, match="more than once"):
        base.with_unfunded([decision("B", 0, Status.REJECTED)] * 2)
    with pytest.raises(ValueError, match="does not fit"):
        base.with_unfunded([decision("B", 0, Status.FUNDED)])


def test_an_allocation_is_not_walked_again_inside_a_result_but_a_changed_copy_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import UTC, datetime

    import tilskudd.models as models

    allocation = _allocation_of(decision("A", 60), decision("B", 0, Status.NOT_FUNDED))
    walked: list[int] = []
    real = models.check_decisions

    def counting(decisions: tuple[Decision, ...], policy: Policy | None = None) -> int:
        walked.append(len(decisions))
        return real(decisions, policy)

    monkeypatch.setattr(models, "check_decisions", counting)
    fields = {"applications": (), "tool_version": "test", "created": datetime.now(UTC)}
    models.RoundResult(allocation=allocation, **fields)
    assert walked == []
    broken = allocation.model_copy(update={"awarded": 70, "unallocated": 30})
    with pytest.raises(ValidationError, match="sum of awards"):
        models.RoundResult(allocation=broken, **fields)
    swapped = allocation.model_copy(update={"decisions": (decision("A", 0, Status.FUNDED),)})
    with pytest.raises(ValidationError, match="does not fit"):
        models.RoundResult(allocation=swapped, **fields)


def test_derived_figures_are_worked_out_once_per_result_and_again_for_a_changed_copy() -> None:
    from datetime import UTC, datetime

    from tilskudd.models import RoundResult

    allocation = _allocation_of(decision("A", 60))
    result = RoundResult(
        allocation=allocation, applications=(), tool_version="test", created=datetime.now(UTC)
    )
    computed: list[int] = []

    def count() -> int:
        computed.append(1)
        return len(computed)

    assert result.derived("n", (result.allocation,), count) == 1
    assert result.derived("n", (result.allocation,), count) == 1
    other = _allocation_of(decision("A", 50))
    copy = result.model_copy(update={"allocation": other})
    assert copy.derived("n", (copy.allocation,), count) == 2
    # Never the copy's figure for the original (pydantic copies share the private store).
    assert result.derived("n", (result.allocation,), count) == 3


def test_applications_and_rejected_rows_by_id() -> None:
    from datetime import UTC, datetime

    from tilskudd.models import RejectedRow, RoundResult

    app = Application(id="A", requested=100)
    bad = RejectedRow(id="B", issues=())
    result = RoundResult(
        allocation=_allocation_of(decision("A", 60), decision("B", 0, Status.REJECTED)),
        applications=(app,),
        rejected=(bad,),
        tool_version="test",
        created=datetime.now(UTC),
    )
    assert result.applications_by_id() == {"A": app}
    assert result.applications_by_id() is result.applications_by_id()  # made once
    assert result.rejected_by_id() == {"B": bad}
    assert result.application("A") is app
    assert result.application("B") is None


def test_the_check_walks_in_any_order_given_and_still_checks_every_decision() -> None:
    from tilskudd.models import check_decisions

    decisions = (decision("A", 60), decision("B", 0, Status.NOT_FUNDED), decision("C", 30))
    assert check_decisions(decisions, visit=[2, 0, 1]) == 90
    broken = (*decisions[:2], decision("C", 0, Status.FUNDED))
    with pytest.raises(ValueError, match="C: status"):
        check_decisions(broken, visit=[1, 2, 0])
    # An order that skips one decision and names another twice is refused, never trusted.
    with pytest.raises(ValueError, match="more than once"):
        check_decisions(decisions, visit=[0, 0, 1])
    with pytest.raises(ValueError, match="each of them once"):
        check_decisions(decisions, visit=[0, 1])


@pytest.mark.parametrize(
    "recorded",
    [
        {"rule": "optimal", "time_limit": float("inf")},
        {"min_score": "4.50000000000000000000001"},
        {"lottery_band": "1E-30"},
        {"max_share_of_cost": "0.3333333333333333333333"},
        {"quotas": [{"by": "county", "value": "03", "max_share": "0.0000000000000000000001"}]},
    ],
)
def test_a_value_recorded_before_the_digit_limits_is_read_as_recorded(
    recorded: dict[str, Any],
) -> None:
    """tilskudd 0.1.0 took these and recorded them in the ledger; a person's are refused."""
    with pytest.raises(ValidationError):
        Policy.model_validate(recorded)
    policy = Policy.from_record(recorded)
    key, value = list(recorded.items())[-1]
    if key == "quotas":
        assert policy.quotas[0].max_share == Decimal(value[0]["max_share"])
    else:
        assert getattr(policy, key) == (value if isinstance(value, float) else Decimal(value))


def test_the_check_takes_an_award_of_one_krone() -> None:
    from tilskudd.models import check_decisions

    assert check_decisions((decision("A", 1), decision("B", 1, Status.PARTLY_FUNDED))) == 2


def test_the_check_with_a_policy_refuses_an_award_above_its_request() -> None:
    from tilskudd.models import check_decisions

    # Within its eligible amount (as recorded) but above what was applied for.
    above = Decision(
        application_id="A", status=Status.FUNDED, amount=600, requested=500, eligible_amount=600
    )
    with pytest.raises(ValueError, match="A: 600 above its request"):
        check_decisions((above,), Policy())
    # An officer's override is the officer's to decide; so is a decision without a request.
    assert check_decisions((above._replace(override=True),), Policy()) == 600
    assert check_decisions((above._replace(requested=None),), Policy()) == 600


def test_the_check_with_a_policy_takes_an_award_of_exactly_min_award() -> None:
    from tilskudd.models import check_decisions

    policy = Policy(min_award=500, round_to=100)
    at_min = Decision(
        application_id="A", status=Status.FUNDED, amount=500, requested=500, eligible_amount=500
    )
    assert check_decisions((at_min,), policy) == 500
    below = at_min._replace(amount=400, status=Status.PARTLY_FUNDED)
    with pytest.raises(ValueError, match="A: 400 off round_to or below min"):
        check_decisions((below,), policy)


def test_allocation_refuses_decisions_not_in_a_tuple_and_notes_that_are_not_reasons() -> None:
    with pytest.raises(ValidationError, match="decisions must be a tuple"):
        allocation({decision("A", 60)}, awarded=60, unallocated=40)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="not a Reason"):
        Allocation(
            rule="ranked",
            policy=Policy(),
            budget=100,
            awarded=0,
            unallocated=100,
            decisions=(),
            notes=("a note",),  # type: ignore[arg-type]
        )


def test_an_allocation_of_nothing_from_a_budget_of_nothing() -> None:
    empty = Allocation(
        rule="ranked", policy=Policy(), budget=0, awarded=0, unallocated=0, decisions=()
    )
    assert (empty.budget, empty.awarded, empty.unallocated) == (0, 0, 0)
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        allocation((decision("A", 0, Status.NOT_FUNDED),), awarded=0, unallocated=-1)


def test_funded_are_the_decisions_that_award_something_in_their_order() -> None:
    decisions = (
        decision("A", 1),
        decision("B", 0, Status.NOT_FUNDED),
        decision("C", 59, Status.PARTLY_FUNDED),
        decision("D", 0, Status.RESERVE),
    )
    funded = allocation(decisions, awarded=60, unallocated=40).funded()
    assert [d.application_id for d in funded] == ["A", "C"]


@pytest.mark.parametrize("share", ["nan", "NaN", float("nan"), "-nan", "inf"])
def test_a_share_of_cost_that_is_not_a_number_is_refused_as_a_setting(share: Any) -> None:
    # Refused by the field's own check, as a setting to put right (not a decimal error
    # escaping from the percent arithmetic: NaN > 1 raises InvalidOperation).
    with pytest.raises(ValidationError, match="finite number"):
        Policy(max_share_of_cost=share)


def test_a_recorded_share_of_cost_reads_back_as_the_share_it_was() -> None:
    # From a person, 1 alone is refused (1 % or 100 %?); recorded, it is the fraction tilskudd
    # worked with, and a round committed at 100 % of cost must read back as 100 %.
    with pytest.raises(ValidationError):
        Policy(max_share_of_cost="1")
    for written, share in (("100 %", Decimal(1)), ("20 %", Decimal("0.2"))):
        policy = Policy(max_share_of_cost=written)
        assert Policy.from_record(policy.model_dump(mode="json")).max_share_of_cost == share
        # The record as Python values (a Decimal, not its text) reads back the same.
        assert Policy.from_record(policy.model_dump()).max_share_of_cost == share


def test_a_recorded_quota_share_reads_back_as_the_share_it_was() -> None:
    # As the share of cost: a quota committed at "100 %" of the budget is recorded as the
    # fraction 1, which from a person would be refused (1 % or 100 %?).
    policy = Policy(
        quotas=[{"by": "category", "value": "X", "min_share": "5 %", "max_share": "100 %"}]
    )
    quota = Policy.from_record(policy.model_dump(mode="json")).quotas[0]
    assert (quota.min_share, quota.max_share) == (Decimal("0.05"), Decimal(1))


def test_a_quota_value_of_true_or_false_is_refused_and_a_number_is_a_county() -> None:
    # value = 3 in a TOML file is county 03 (a number as text); value = true is no category
    # or county at all, and is not taken as the category "True".
    county = Policy(quotas=[{"by": "county", "value": 3, "max_count": 1}]).quotas[0]
    category = Policy(quotas=[{"by": "category", "value": " Kultur ", "max_count": 1}]).quotas[0]
    assert (county.value, category.value) == ("3", "Kultur")
    for truth in (True, False):
        with pytest.raises(ValidationError, match="valid string"):
            Policy(quotas=[{"by": "category", "value": truth, "max_count": 1}])


def test_a_quota_amount_written_as_text_may_be_zero() -> None:
    # "0" kr as a minimum beside a maximum (a template's minimum left at 0) is 0 kr, as the
    # number 0 is: a quota amount of 0 is allowed, written either way.
    quota = Policy(
        quotas=[{"by": "category", "value": "X", "min_amount": "0", "max_amount": "1 000"}]
    ).quotas[0]
    assert (quota.min_amount, quota.max_amount) == (0, 1000)


def test_options_on_a_recorded_policy_keep_what_it_recorded() -> None:
    # A round committed by tilskudd 0.1.0 recorded a min_score of 23 decimals, past today's
    # limit. Run again with an option (another reserve), the recorded value is read as
    # recorded; the option itself is held to today's checks.
    record = Policy().model_dump(mode="json") | {"min_score": "4.50000000000000000000001"}
    base = Policy.from_record(record)
    policy = policy_from_mapping({"reserve": 2}, base=base)
    assert (policy.reserve, policy.min_score) == (2, Decimal("4.50000000000000000000001"))
    with pytest.raises(PolicyError, match="lottery_band"):
        policy_from_mapping({"lottery_band": "0.100000000000000000001"}, base=base)


def test_a_share_of_cost_that_is_not_a_percentage_says_so() -> None:
    # "tjue %" ends with a percent sign: what is wrong is the percentage, not the form.
    with pytest.raises(ValidationError, match="'tjue %' is not a percentage like 20 %"):
        Policy(max_share_of_cost="tjue %")
    with pytest.raises(ValidationError, match=r"'tjue' is not a share: write it as 20 % or 0\.2"):
        Policy(max_share_of_cost="tjue")


def test_a_min_score_is_the_number_as_written() -> None:
    # The threshold decides who is eligible: 4,5 as a Norwegian writes it is 4.5, and 4.1 from
    # a TOML file is 4.1 (not the float's 4.0999999999999996447...), so a score of 4.1 passes.
    assert Policy(min_score="4,5").min_score == Decimal("4.5")
    assert Policy(min_score=" 4,5 ").min_score == Decimal("4.5")
    assert Policy(min_score=4.1).min_score == Decimal("4.1")
    assert Policy(lottery_band=0.1).lottery_band == Decimal("0.1")


def test_the_policys_amounts_are_taken_from_their_least_value() -> None:
    # A cap of 1 krone is a cap; 0 leaves no award possible and is refused as a typing error.
    policy = Policy(max_award=1, per_applicant_max=1, round_to=1, min_award=0, reserve=0)
    assert (policy.max_award, policy.per_applicant_max, policy.round_to) == (1, 1, 1)
    assert (policy.min_award, policy.reserve) == (0, 0)
    for field, value in (
        ("max_award", 0),
        ("per_applicant_max", 0),
        ("round_to", 0),
        ("min_award", -1),
        ("reserve", -1),
    ):
        with pytest.raises(ValidationError):
            Policy.model_validate({field: value})
