"""Rounds that tell ``proportional``'s water-filling by organisation (``_fill_by_organisation``,
``_org_level``, ``_grouped_outcome``) from its mutants: each a round whose awards, reasons or
notes change when one step is changed (docs/testing.md, the run of the group water-filling).
Worked out by hand below each test's name."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tilskudd.models import Allocation, Application, Policy, Status
from tilskudd.rules import allocate

MakeApp = Callable[..., Application]
A, B = "974760673", "982745764"


def _apps(
    make_application: MakeApp, rows: list[tuple[str, str | None, int, int | None]]
) -> list[Application]:
    """(id, orgnr, requested, score), no total cost; in reverse (order must not matter)."""
    return [
        make_application(
            id=i,
            orgnr=org,
            requested=r,
            score=None if s is None else Decimal(s),
            total_cost=None,
        )
        for i, org, r, s in reversed(rows)
    ]


def amounts(result: Allocation) -> dict[str, int]:
    return {d.application_id: d.amount for d in result.decisions}


def notes(result: Allocation) -> dict[str, dict[str, object]]:
    return {n.code: dict(n.params) for n in result.notes}


def test_an_application_in_full_at_its_organisations_level_leaves_the_rest_to_its_siblings(
    make_application: MakeApp,
) -> None:
    """weight = "score", cap 600 000. A1 (score 3) 100 000 and A2 (score 1) 1 000 000; B1
    (score 1) 500 000; budget 1 000 000. A's level f_A: A1 is in full from f = 1/3 per point,
    and 100 000 + 1 000 000 × f_A = 600 000 gives f_A = 0.5 (above 1/3). At f = 0.5, A and B
    take 600 000 + 250 000 < 1 000 000: A is held, A2 gets 500 000, and B1 the 400 000 left
    (f = 0.8). Had A1 been counted at f_A (not in full), f_A = 600/1300 and A2 would get
    461 538: A short of the maximum it reached."""
    apps = _apps(
        make_application, [("A1", A, 100_000, 3), ("A2", A, 1_000_000, 1), ("B1", B, 500_000, 1)]
    )
    policy = Policy(rule="proportional", per_applicant_max=600_000, weight="score")
    result = allocate(apps, 1_000_000, policy)
    assert amounts(result) == {"A1": 100_000, "A2": 500_000, "B1": 400_000}
    by_id = result.by_id()
    assert by_id["A1"].status is Status.FUNDED
    assert by_id["A2"].reasons[-1].code == "reason.proportional.per_applicant"
    assert by_id["A2"].reasons[-1].params["fraction"] == Decimal("0.5")
    assert by_id["A2"].reasons[-1].params["others"] == ["A1"]
    assert by_id["B1"].reasons[-1].params == {"fraction": Decimal("0.8")}
    assert notes(result)["note.proportional.score_weighted"] == {"per_point": Decimal("0.8")}


def test_an_organisation_let_go_after_a_drop_gives_back_only_the_room_it_held(
    make_application: MakeApp,
) -> None:
    """weight = "score", cap 21 000, min_award 10 000. B2 (score 4) 16 000 and B1 (score 1)
    20 000; A1 (score 1) 19 000; budget 27 000. B2 is in full from f = 1/4, where B (16 000 +
    5 000) reaches its 21 000: B is held at 1/4, A1 alone has the 6 000 left. The smallest
    share, B1's 5 000, is below the minimum and drops; B2 alone is within the room, and B is
    let go: of its 21 000 only the 5 000 B1 had comes back (B2's 16 000 stays B2's). A1 gets
    27 000 - 16 000 = 11 000 (f = 11/19 per point), and the budget holds."""
    apps = _apps(
        make_application, [("A1", A, 19_000, 1), ("B1", B, 20_000, 1), ("B2", B, 16_000, 4)]
    )
    policy = Policy(rule="proportional", per_applicant_max=21_000, weight="score", min_award=10_000)
    result = allocate(apps, 27_000, policy)
    assert amounts(result) == {"A1": 11_000, "B1": 0, "B2": 16_000}
    assert result.unallocated == 0
    by_id = result.by_id()
    assert by_id["B1"].reasons[-1].code == "reason.proportional.below_min_award"
    assert by_id["B1"].reasons[-1].params["share"] == 5_000
    assert by_id["A1"].reasons[-1].params == {"fraction": Decimal("0.5789")}
    # 11 / 19 per point, to six places: the note says the level the rest shared at.
    assert notes(result)["note.proportional.score_weighted"] == {"per_point": Decimal("0.578947")}
    assert "note.proportional.per_applicant" not in notes(result)


def test_a_round_in_full_once_an_organisation_is_let_go_says_so(
    make_application: MakeApp,
) -> None:
    """Cap 2 000, min_award 1 000. A1 2 000 and A2 1 000 of A, N1 10 000 of no organisation;
    budget 12 000. A claims 3 000: held at f_A = 2/3 (N1 alone would take 12/13), A2's share
    666 is below the minimum and drops; A1 alone is within the room, and A is let go. A1 and
    N1 then share 12 000 at f = 1: both in full, and the round says so as it does where no
    maximum is set (not a fraction of 100 % nor nothing at all)."""
    apps = _apps(
        make_application,
        [("A1", A, 2_000, None), ("N1", None, 10_000, None), ("A2", A, 1_000, None)],
    )
    policy = Policy(rule="proportional", per_applicant_max=2_000, min_award=1_000)
    result = allocate(apps, 12_000, policy)
    assert amounts(result) == {"A1": 2_000, "N1": 10_000, "A2": 0}
    assert result.by_id()["A2"].reasons[-1].params == {"share": 666, "min_award": 1_000}
    said = notes(result)
    assert said["note.proportional.all_full_after_drops"] == {"count": 2, "dropped": 1}
    assert "note.proportional.fraction" not in said
    assert "note.proportional.per_applicant" not in said


def test_the_fraction_noted_is_the_one_the_others_shared_whatever_comes_last(
    make_application: MakeApp,
) -> None:
    """Cap 6 M; X1-X3 of A claim 5 M each, B1 of B 4 M; budget 9 M. A is held at 0.4 (2 M
    each) and B1 takes the 3 M left (0.75). X3 comes last in the round's order: the round's
    note gives the 75 % B1 shared at, not A's 40 %."""
    apps = _apps(
        make_application,
        [
            ("B1", B, 4_000_000, None),
            ("X1", A, 5_000_000, None),
            ("X2", A, 5_000_000, None),
            ("X3", A, 5_000_000, None),
        ],
    )
    result = allocate(apps, 9_000_000, Policy(rule="proportional", per_applicant_max=6_000_000))
    assert amounts(result) == {"B1": 3_000_000, "X1": 2_000_000, "X2": 2_000_000, "X3": 2_000_000}
    assert [d.application_id for d in result.decisions][-1] == "X3"
    said = notes(result)
    assert said["note.proportional.fraction"] == {"fraction": Decimal("0.75"), "count": 1}
    assert said["note.proportional.per_applicant"] == {"count": 1, "max": 6_000_000}


def test_the_per_point_note_is_per_point_of_the_score_as_written(
    make_application: MakeApp,
) -> None:
    """The round of ``test_weighted_by_score_an_organisation_is_held_at_its_own_level`` with
    every score halved (1, 0.5, 0.5): the same awards, and twice the amount per point. B1's
    600 000 of 1 000 000 at 0.5 points is 1.2 of its eligible amount per point."""
    apps = _apps(
        make_application,
        [("A1", A, 1_000_000, None), ("A2", A, 1_000_000, None), ("B1", B, 1_000_000, None)],
    )
    scores = {"A1": Decimal(1), "A2": Decimal("0.5"), "B1": Decimal("0.5")}
    apps = [a.model_copy(update={"score": scores[a.id]}) for a in apps]
    policy = Policy(rule="proportional", per_applicant_max=900_000, weight="score")
    result = allocate(apps, 1_500_000, policy)
    assert amounts(result) == {"A1": 600_000, "A2": 300_000, "B1": 600_000}
    assert notes(result)["note.proportional.score_weighted"] == {"per_point": Decimal("1.2")}


def test_one_krone_in_earlier_rounds_is_an_earlier_award(make_application: MakeApp) -> None:
    """Cap 6 000 001 with 1 kr awarded A in earlier rounds: its room is 6 000 000, the round of
    ``test_an_organisation_at_its_maximum_is_held_and_the_others_share_the_rest``; the reason
    says A had an earlier award, of 1 kr."""
    apps = _apps(
        make_application,
        [
            ("A1", A, 5_000_000, None),
            ("A2", A, 5_000_000, None),
            ("A3", A, 5_000_000, None),
            ("B1", B, 4_000_000, None),
        ],
    )
    policy = Policy(rule="proportional", per_applicant_max=6_000_001)
    result = allocate(apps, 9_000_000, policy, prior_by_orgnr={A: 1})
    assert amounts(result) == {"A1": 2_000_000, "A2": 2_000_000, "A3": 2_000_000, "B1": 3_000_000}
    params = result.by_id()["A1"].reasons[-1].params
    assert (params["left"], params["had_earlier"], params["earlier"]) == (6_000_000, 1, 1)
