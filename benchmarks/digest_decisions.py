"""A digest of every decision the rules make on many rounds, to compare two builds of them.

    python benchmarks/digest_decisions.py [COUNT] > a.txt
    PYTHONPATH=OTHER python benchmarks/digest_decisions.py [COUNT] > b.txt && cmp a.txt b.txt

One line per allocation: the round, then ``ok`` and a digest of everything decided (each
decision's id, status, amount, request, eligible amount, rank, tie, override and reasons with
their parameters; the notes; the sums), or the error's type and a digest of its message. Rounds:
``bench_allocate.py``'s (1k, 10k, 100k; its three policies; three budgets) and COUNT (default
2 000) seeded random rounds of up to 60 applications (ranked, proportional and lottery in turn;
random caps, thresholds, line, reserve, tie-breaks and weights; few distinct scores, so that
ties are common; four budgets each). No quotas and no officers' decisions. Used to check that
the mypyc-compiled rules decide as the pure-Python ones do (docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
import random
import sys
from decimal import Decimal
from typing import Any

from bench_allocate import POLICIES, synthetic

from tilskudd.errors import TilskuddError
from tilskudd.models import Allocation, Application, Policy, Reason, TieBreak
from tilskudd.rules import allocate

ORGS = ("974760673", "964338531", "938801363")


def canonical(result: Allocation) -> str:
    """Everything ``result`` says, as one text."""

    def reason(r: Reason) -> tuple[str, list[tuple[str, str]]]:
        return (r.code, sorted((k, repr(v)) for k, v in r.params.items()))

    decisions = [
        (
            d.application_id,
            str(d.status),
            d.amount,
            d.requested,
            d.eligible_amount,
            d.rank,
            d.tied,
            d.override,
            [reason(r) for r in d.reasons],
        )
        for d in result.decisions
    ]
    return repr(
        (
            result.rule,
            result.budget,
            result.awarded,
            result.unallocated,
            result.seed,
            decisions,
            [reason(n) for n in result.notes],
        )
    )


def digest(apps: list[Application], budget: int, policy: Policy) -> str:
    """``ok`` and a digest of the allocation, or the error's type and a digest of its message."""
    try:
        text = canonical(allocate(apps, budget, policy))
        kind = "ok"
    except (TilskuddError, ValueError) as exc:
        text = f"{type(exc).__name__}: {exc}"
        kind = type(exc).__name__
    return f"{kind} {hashlib.sha256(text.encode()).hexdigest()[:16]}"


def random_round(rng: random.Random) -> list[Application]:
    """Up to 59 applications, all scored or all ranked, in a shuffled order."""
    n = rng.randrange(0, 60)
    numbers = rng.sample(range(1, 500), n)
    prefix = rng.choice(["S", "A-", "", "søknad "])
    pool = [Decimal(rng.randrange(0, 101)) / 10 for _ in range(rng.randrange(1, 5))]
    scored = rng.random() < 0.85
    apps = []
    for number in numbers:
        requested = rng.randrange(1, 3_000_001)
        cost = None if rng.random() < 0.2 else rng.randrange(requested, 6 * requested + 1)
        fields: dict[str, Any] = {
            "id": f"{prefix}{number}",
            "requested": requested,
            "total_cost": cost,
            "orgnr": rng.choice((None, *ORGS)),
            "extra": {"region": rng.choice([None, "Nord", "Sør", "Vest"])},
        }
        if scored:
            fields["score"] = rng.choice(pool)
        else:
            fields["rank"] = rng.randrange(1, max(1, n) + 1)
        apps.append(Application(**fields))
    rng.shuffle(apps)
    return apps


def random_policy(rng: random.Random, rule: str) -> Policy:
    """Any mix of caps, thresholds, line, reserve and tie-breaks the model accepts."""
    min_award = rng.choice([0, 0, 1, 50_000, 120_500])
    round_to = rng.choice([1, 1, 7, 1000, 25_000])
    max_award = rng.choice([None, None, rng.randrange(1, 2_000_001)])
    if max_award is not None:
        max_award = max(max_award, min_award, round_to)
    pam = rng.choice([None, rng.randrange(1, 4_000_001)])
    if pam is not None:
        pam = max(pam, min_award, round_to)
    return Policy(
        rule=rule,
        max_award=max_award,
        max_share_of_cost=rng.choice([None, Decimal(rng.randrange(10, 1001)) / 1000]),
        min_award=min_award,
        round_to=round_to,
        min_score=rng.choice([None, None, Decimal(rng.randrange(0, 101)) / 10]),
        per_applicant_max=pam,
        at_line=rng.choice(["skip", "stop", "partial"]),
        reserve=rng.randrange(0, 4),
        tie_break=rng.choice(
            [(), (TieBreak(column="total_cost", descending=False),), (TieBreak(column="region"),)]
        ),
        weight=rng.choice(["none", "score"]) if rule == "proportional" else "none",
        seed=rng.randrange(0, 2**32) if rule == "lottery" else None,
        lottery_band=Decimal(rng.randrange(0, 20)) / 10 if rule == "lottery" else Decimal(0),
    )


def main() -> None:
    """Print the lines for the benchmark's rounds, then for ``COUNT`` random ones."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for n in (1000, 10_000, 100_000):
        apps = synthetic(n)
        budget = sum(a.requested for a in apps) // 15
        for name, policy in POLICIES.items():
            for b in (budget, budget // 7, budget * 3):
                print(f"bench {n} {name} {b} {digest(apps, b, policy)}")
    for seed in range(count):
        rng = random.Random(seed)
        apps = random_round(rng)
        rule = ("ranked", "proportional", "lottery")[seed % 3]
        try:
            policy = random_policy(rng, rule)
        except ValueError:
            print(f"random {seed} {rule} policy-refused")
            continue
        total = sum(a.requested for a in apps)
        for budget in (0, total // 3, rng.randrange(0, total * 11 // 10 + 2), total + 5):
            print(f"random {seed} {rule} {budget} {digest(apps, budget, policy)}")


if __name__ == "__main__":
    main()
