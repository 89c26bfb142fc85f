"""A message catalogue's TOML as one flat mapping of dotted keys to texts.

Shared by :mod:`tilskudd.i18n` and the help (:mod:`tilskudd.cli.helptext`), which loads it on the
start-up path of ``--help`` and so imports nothing beyond the standard library from here.
"""

from __future__ import annotations

import tomllib
from typing import Any

__all__ = ["flat_catalogue"]


def flat_catalogue(text: str) -> dict[str, str]:
    """The TOML ``text`` with its tables flattened: ``[allocate] budget = "..."`` becomes
    ``{"allocate.budget": "..."}``; every value as text."""
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for key, value in node.items():
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                walk(name, value)
            else:
                flat[name] = str(value)

    walk("", tomllib.loads(text))
    return flat
