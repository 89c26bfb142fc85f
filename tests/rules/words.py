"""A decision's reasons in words, as the rule tests compare them with what an officer reads."""

from __future__ import annotations

from tilskudd.models import Decision
from tilskudd.wording import decision_text


def reasons_text(decision: Decision, lang: str) -> str:
    """The decision's reasons in words, with ordinary spaces for the no-break ones in amounts."""
    return decision_text(decision, lang).replace("\u00a0", " ")
