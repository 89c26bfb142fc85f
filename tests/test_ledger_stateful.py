"""The programme ledger under random sequences of commits, amendments and withdrawals.

Plain regression tests first, one for each bug the state machine found.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tilskudd import ledger as lg
from tilskudd.errors import LedgerError
from tilskudd.pipeline import read_applications
from tilskudd.programme import Programme, load_programme
from tilskudd.rounds import ALREADY_FUNDED, run_programme_round

HEADER = (
    "Søknadsnr;Søker;Organisasjonsnummer;Prosjekttittel;Deltakende kommuner;Omsøkt beløp;"
    "Totalkostnad;Poeng"
)
MOSS, OSLO = "974760673", "958935420"


def _programme(folder: Path, policy: str) -> Programme:
    path = folder / "tilskudd.toml"
    path.write_text(
        '[programme]\nname = "Testordning"\nframe = 400000\nregister = "2009"\n\n'
        "[[round]]\nnumber = 1\nbudget = 100000\n\n[[round]]\nnumber = 2\nbudget = 100000\n\n"
        f"[policy]\n{policy}\n",
        encoding="utf-8",
    )
    return load_programme(path)


def _commit(ledger: Path, programme: Programme, number: int, rows: list[str]) -> None:
    csv = ledger.parent / f"r{number}.csv"
    csv.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    policy = programme.round_policy(number)
    checked = read_applications(csv, register="2009", rule=policy.rule)
    context = lg.round_context(ledger, programme, number)
    result = run_programme_round(checked, context, policy, programme)
    lg.commit_round(ledger, result, programme, number, input_path=csv)


@pytest.mark.parametrize(
    ("policy", "rule"),
    [('max_share_of_cost = "20 %"', "max_share_of_cost"), ("min_score = 4", "min_score")],
)
def test_a_project_left_unfunded_as_funded_before_is_held_to_the_rounds_caps_when_raised(
    tmp_path: Path, policy: str, rule: str
) -> None:
    """Round 2 left A-1 unfunded because round 1 funded it; once that award was withdrawn, an
    amendment could fund it in round 2 with all it asked for: 90 000 kr of a 100 000 kr project
    under a 20 % share of cost (or a score below min_score), since the round recorded no cap
    for it, the already-funded reason alone. The round's policy holds for it as for a reserve
    application: the cap is recorded with the decision, and the raise is refused past it."""
    programme = _programme(tmp_path, policy)
    ledger = tmp_path / "tilskudd.ledger.sqlite"
    _commit(ledger, programme, 1, [f"A-1;Moss kommune;{MOSS};Sak;0104;20000;100000;5"])
    _commit(
        ledger,
        programme,
        2,
        [
            f"A-1;Moss kommune;{MOSS};Sak;0104;90000;100000;3",
            f"B-2;Oslo kommune;{OSLO};Post;0301;10000;100000;5",
        ],
    )
    (excluded,) = [a for a in lg.history(ledger, "A-1") if a.round == 2]
    assert excluded.reasons[0]["code"] == ALREADY_FUNDED
    lg.withdraw(ledger, programme, "A-1", "Trukket", round=1)
    with pytest.raises(LedgerError) as refused:
        lg.amend(ledger, programme, "A-1", 90_000, "Midler ledige", round=2)
    assert refused.value.key in (
        "ledger.error.amend_over_share_of_cost",
        "ledger.error.amend_not_eligible",
    )
    change = lg.amend(ledger, programme, "A-1", 90_000, "Styrevedtak", round=2, outside_policy=True)
    assert change.outside_policy == (rule,)
