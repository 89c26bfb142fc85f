"""tilskudd: exact, explainable grant allocation.

A library first, with a thin command line. The public API is imported lazily so that
``tilskudd --help`` starts fast::

    import tilskudd

    checked = tilskudd.read_applications("søknader.xlsx", register="2009")
    result = tilskudd.run_round(checked, 20_000_000, tilskudd.Policy(max_share_of_cost="20 %"))
    tilskudd.write(result, Path("tildeling.xlsx"), lang="nb")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "Allocation": "tilskudd.models",
    "Application": "tilskudd.models",
    "Decision": "tilskudd.models",
    "Issue": "tilskudd.models",
    "Policy": "tilskudd.models",
    "Reason": "tilskudd.models",
    "RoundResult": "tilskudd.models",
    "Status": "tilskudd.models",
    "TilskuddError": "tilskudd.errors",
    "allocate": "tilskudd.rules",
    "describe_issue": "tilskudd.issues",
    "format_amount": "tilskudd.money",
    "parse_amount": "tilskudd.money",
    "read_applications": "tilskudd.pipeline",
    "run_round": "tilskudd.pipeline",
    "summarise": "tilskudd.summary",
    "validate": "tilskudd.validation",
    "write": "tilskudd.export",
}

if TYPE_CHECKING:
    from tilskudd.errors import TilskuddError
    from tilskudd.export import write
    from tilskudd.issues import describe_issue
    from tilskudd.models import (
        Allocation,
        Application,
        Decision,
        Issue,
        Policy,
        Reason,
        RoundResult,
        Status,
    )
    from tilskudd.money import format_amount, parse_amount
    from tilskudd.pipeline import read_applications, run_round
    from tilskudd.rules import allocate
    from tilskudd.summary import summarise
    from tilskudd.validation import validate

__all__ = [
    "Allocation",
    "Application",
    "Decision",
    "Issue",
    "Policy",
    "Reason",
    "RoundResult",
    "Status",
    "TilskuddError",
    "__version__",
    "allocate",
    "describe_issue",
    "format_amount",
    "parse_amount",
    "read_applications",
    "run_round",
    "summarise",
    "validate",
    "write",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tilskudd' has no attribute {name!r}")
    return getattr(import_module(module), name)
