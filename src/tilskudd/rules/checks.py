"""A policy held against the applications a rule is given: every problem said at once.

The settings alone are checked when the policy is made (:class:`~tilskudd.models.Policy`); some
can only be judged by a rule, against the applications: a tie-break column they do not have, a
county no numbering knows, the scores a setting needs (``min_score``, ``weight = "score"``, the
lottery, the optimal rule's objective), a rank or a score to order them by, quotas with the
proportional rule. Each rule calls :func:`check_policy` before it allocates, so that an officer
who puts one right does not meet the next unsaid: one :class:`~tilskudd.errors.PolicyError`, a
line per problem, each with the setting it is about (:attr:`PolicyError.settings`, for the
caller to say where that was written) or ``None`` when no one setting is.
"""

from __future__ import annotations

from collections.abc import Sequence

from tilskudd.errors import PolicyError
from tilskudd.i18n import Phrase
from tilskudd.models import Application, Policy
from tilskudd.rules.common import (
    natural_key,
    ranking_problem,
    scores_problem,
    tie_break_problems,
)
from tilskudd.rules.quotas import county_problems

__all__ = ["check_policy", "check_rule_policy"]

SHOWN = 5
"""How many applications with a negative score the optimal rule's problem names."""


def check_policy(
    applications: Sequence[Application],
    policy: Policy,
    *,
    scores: Sequence[tuple[str, str | None]] = (),
    ordered: bool = False,
    seed: bool = False,
    positive: str | None = None,
    quotas: bool = True,
) -> None:
    """Raise one :class:`PolicyError` naming every way ``policy`` does not fit ``applications``.

    ``scores``: what needs a score of every application, as (the setting as the policy writes
    it, for the message; the setting it is about); ``ordered``: the rule orders them by rank or
    score; ``seed``: the rule draws lots; ``positive``: the optimal rule's objective, which
    needs scores of 0 or more; ``quotas``: the rule applies quotas (else it refuses them).
    The tie-break columns and the quotas' counties are always checked.
    """
    problems: list[tuple[str | None, Phrase]] = []
    if seed and policy.seed is None:
        problems.append(("seed", Phrase("policy.error.lottery_seed")))
    unscored = False
    for needed_for, setting in scores:
        problem = scores_problem(applications, needed_for)
        if problem is not None:
            problems.append((setting, problem))
            unscored = True
    if positive is not None:
        negative = _negative_scores(applications, positive)
        if negative is not None:
            problems.append(("rule", negative))
    later: list[tuple[str | None, Phrase]] = [
        ("tie_break", problem) for problem in tie_break_problems(applications, policy)
    ]
    if quotas:
        later.extend(county_problems(policy))
    elif policy.quotas:
        later.append(("quotas", Phrase("quota.error.proportional")))
    # Whether they can be ordered is looked at here only beside another problem: alone, the
    # rule's ranking says it (a pass over 100 000 applications less when all is well). An
    # application without a score is named already; given one, it can be ordered too.
    if ordered and (problems or later) and not unscored:
        problem = ranking_problem(applications)
        if problem is not None:
            problems.append((None, problem))
    problems.extend(later)
    if problems:
        raise PolicyError(
            lines=[problem for _, problem in problems],
            settings=[setting for setting, _ in problems],
        )


def check_rule_policy(
    applications: Sequence[Application], policy: Policy, *, rule_known: bool = True
) -> None:
    """:func:`check_policy` as ``policy.rule`` calls it before it allocates: what the rule needs
    of the applications (scores, an order, a seed) and may refuse (quotas with
    ``proportional``). With ``rule_known=False`` (the rule was a setting left out as wrong,
    :func:`tilskudd.policyfile.policy_with_problems`), only what every rule checks: the
    tie-break columns and the quotas' counties."""
    if not rule_known:
        check_policy(applications, policy)
        return
    min_score: list[tuple[str, str | None]] = []
    if policy.min_score is not None:
        min_score.append(("min_score", "min_score"))
    if policy.rule == "proportional":
        weighted: list[tuple[str, str | None]] = []
        if policy.weight == "score":
            weighted.append(('weight = "score"', "weight"))
        check_policy(applications, policy, scores=weighted + min_score, quotas=False)
    elif policy.rule == "optimal":
        objective = policy.objective
        scored = objective != "count"
        needs: list[tuple[str, str | None]] = []
        if scored:
            needs.append((f'rule = "optimal", objective = "{objective}"', "rule"))
        check_policy(
            applications,
            policy,
            scores=needs + min_score,
            ordered=scored,
            positive=objective if scored else None,
        )
    elif policy.rule == "lottery":
        check_policy(applications, policy, scores=[('rule = "lottery"', "rule")], seed=True)
    else:
        check_policy(applications, policy, scores=min_score, ordered=True)


def _negative_scores(applications: Sequence[Application], objective: str) -> Phrase | None:
    """The optimal rule maximises a total of scores: one below 0 would never be funded."""
    negative = sorted(
        (a for a in applications if a.score is not None and a.score < 0),
        key=lambda a: natural_key(a.id),
    )
    if not negative:
        return None
    # Phrases, so that each score is written in the message's language (-1,5 in nb).
    shown = [Phrase("policy.error.id_score", id=a.id, score=a.score) for a in negative[:SHOWN]]
    if len(negative) > SHOWN:
        shown.append(Phrase("ui.more_ids", n=len(negative) - SHOWN))
    return Phrase(
        "policy.error.optimal_negative_scores",
        objective=objective,
        count=len(negative),
        shown=shown,
    )
