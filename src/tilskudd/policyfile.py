"""Policies from TOML files and options: one :class:`~tilskudd.models.Policy`, checked whole.

A policy file holds a ``[policy]`` table (or the keys at top level)::

    [policy]
    rule = "ranked"
    max_share_of_cost = "20 %"
    round_to = "1 000"
    min_award = "100 000"
    tie_break = ["total_cost asc"]

Amounts may be written as people write them (``"100 000"``, ``"1,5 mill."``). Options given on the
command line override the file; the merged policy is recorded in every output.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tilskudd.errors import AmountError, PolicyError
from tilskudd.models import Policy
from tilskudd.money import parse_amount

__all__ = ["AMOUNT_FIELDS", "load_policy", "policy_from_mapping", "read_policy_file"]

AMOUNT_FIELDS = ("max_award", "min_award", "round_to", "per_applicant_max")


def _clean_amounts(data: dict[str, Any], where: str) -> dict[str, Any]:
    cleaned = dict(data)
    for key in AMOUNT_FIELDS:
        value = cleaned.get(key)
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            continue
        try:
            cleaned[key] = parse_amount(value, allow_zero=key == "min_award")
        except AmountError as exc:
            hint = f" ({exc.hint})" if exc.hint else ""
            raise PolicyError(f"{where}: {key}: {exc}{hint}") from None
    return cleaned


def policy_from_mapping(
    data: Mapping[str, Any], *, where: str = "policy", base: Policy | None = None
) -> Policy:
    """Build a Policy from plain values (a TOML table, options), on top of ``base`` if given."""
    merged: dict[str, Any] = base.model_dump() if base is not None else {}
    merged.update({k: v for k, v in data.items() if v is not None})
    merged = _clean_amounts(merged, where)
    try:
        return Policy.model_validate(merged)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(p) for p in error["loc"]) or "policy"
            given = error.get("input")
            shown = f" (got {given!r})" if not isinstance(given, dict) else ""
            # Our own validators' messages, without pydantic's "Value error, " before them.
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(f"{where}: {field}: {message}{shown}")
        raise PolicyError("\n".join(problems)) from None


def read_policy_file(path: Path) -> tuple[dict[str, Any], str | None]:
    """The raw ``[policy]`` table of a TOML file, and its ``lang`` (output language) if set."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"{path}: policy file not found") from None
    except IsADirectoryError:
        raise PolicyError(f"{path}: is a folder, not a policy file") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise PolicyError(f"{path}: not a UTF-8 text file") from None
    table = raw.get("policy", raw)
    if not isinstance(table, dict):
        raise PolicyError(f"{path}: [policy] must be a table")
    table = dict(table)
    lang = table.pop("lang", None) or raw.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise PolicyError(f'{path}: lang must be text such as "nb" or "en"')
    return table, lang


def load_policy(
    path: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    base: Policy | None = None,
) -> Policy:
    """Read a policy file (if any) and apply option overrides; raise PolicyError naming the key."""
    policy = base
    if path is not None:
        table, _lang = read_policy_file(path)
        policy = policy_from_mapping(table, where=str(path), base=policy)
    if overrides:
        policy = policy_from_mapping(overrides, where="options", base=policy)
    return policy if policy is not None else Policy()
