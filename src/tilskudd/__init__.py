"""tilskudd: exact, explainable grant allocation.

A library first, with a thin command line. The public API is imported lazily so that
``tilskudd --help`` starts fast::

    import tilskudd
    result = tilskudd.read_applications("applications.xlsx")
    allocation = tilskudd.allocate(result.applications, 20_000_000, tilskudd.Policy())
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
    "Status": "tilskudd.models",
    "parse_amount": "tilskudd.money",
    "format_amount": "tilskudd.money",
}

if TYPE_CHECKING:
    from tilskudd.models import Allocation, Application, Decision, Issue, Policy, Reason, Status
    from tilskudd.money import format_amount, parse_amount

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tilskudd' has no attribute {name!r}")
    return getattr(import_module(module), name)
