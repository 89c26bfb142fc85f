"""Fuzz the settings files: a policy (``--policy``), a programme (``tilskudd.toml``) and a column
map (``--columns``), each then used as the command line uses it.

Starts from the examples' files and the settings each file takes, and changes them in their
structure (a value replaced with an odd one of any TOML type: text people type, huge and
negative numbers, nan and inf, dates, arrays, tables; a key added, dropped or misspelt; a table
repeated) and in their text (bytes flipped, a line cut). A policy read is then used to allocate
examples/small.csv (:func:`tilskudd.pipeline.run_round`); a programme's rounds are planned
and each round's policy made; a column map is used to read examples/small.csv.

    nice -n 10 .venv/bin/python scripts/fuzz/fuzz_settings.py --minutes 10
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_applications import ODD_TEXT
from harness import ROOT, main

from tilskudd.models import Policy

POLICY_KEYS = list(Policy.model_fields)  # every setting of the policy model
QUOTA_KEYS = [
    "by",
    "value",
    "min_amount",
    "max_amount",
    "min_share",
    "max_share",
    "min_count",
    "max_count",
]
PROGRAMME_KEYS = [
    "name",
    "funder",
    "currency",
    "frame",
    "lang",
    "register",
    "ledger",
    "identifier_prefix",
]
ROUND_KEYS = ["number", "name", "budget", "opens", "closes", "decision", "policy"]
WORDS = [
    "ranked",
    "proportional",
    "optimal",
    "lottery",
    "skip",
    "stop",
    "partial",
    "county",
    "category",
    "municipality",
    "score",
    "requested",
    "id asc",
    "requested asc",
    "score desc",
    "count",
    "amount",
    "nb",
    "en",
    "2009",
    "2024",
    "*",
    "03",
    "Arkiv",
    "equal",
    "requested",
    "none",
]
ODD_VALUES: list[Any] = [
    0,
    1,
    -1,
    2,
    5,
    1000,
    10**6,
    10**15,
    10**16,
    2**63 - 1,
    -(2**63),
    0.5,
    1.5,
    -0.0,
    1e308,
    math.inf,
    -math.inf,
    math.nan,
    True,
    False,
    "",
    "0",
    "1",
    "20 %",
    "100 %",
    "150 %",
    "-5 %",
    "0,5",
    "1,5 mill",
    "1 000",
    "3,300",
    "2 G",
    dt.date(2009, 2, 2),
    dt.datetime(2009, 2, 2, 8),
    dt.time(8, 0),
    [],
    [1, 2],
    ["id asc"],
    ["x", 1],
    {},
    {"a": 1},
    [{}],
    [{"by": "county"}],
    *WORDS,
    *ODD_TEXT[:60],
]


# Values each setting takes, at its edges: most inputs should pass the checks and reach the rule.
GOOD: dict[str, list[Any]] = {
    "rule": ["ranked", "proportional", "optimal", "lottery"],
    "max_award": [1, 1000, 250_000, "1 mill", 10**15, 999_999_999_999_999],
    "max_share_of_cost": ["20 %", "100 %", "0,1 %", 0.2, 1, "33,333 %", "1e-9 %"],
    "min_award": [0, 1, 1000, 100_000, 3_000_000, 10**15],
    "round_to": [1, 7, 1000, 100_000, 10**9, "1 000"],
    "min_score": [0, 4.5, "4,5", -1, 100, 1e-300, "4,50000000000000000000001"],
    "per_applicant_max": [1, 1000, 100_000, 10**12],
    "at_line": ["skip", "stop", "partial"],
    "reserve": [0, 1, 5, 1000, 10**9],
    "tie_break": [
        ["requested asc", "id asc"],
        ["score desc"],
        ["Kategori asc"],
        ["random"],
        ["id desc", "requested desc", "total_cost asc"],
        [],
    ],
    "weight": ["equal", "requested", "score", "none", "score^2"],
    "seed": [0, 1, 2**63 - 1, -1, 10**30],
    "objective": ["count", "amount", "score", "score_amount"],
    "time_limit": [0.001, 1, 60, 1e9, math.inf],
    "lottery_band": [0, 1, 2, 10**6, 0.5],
    "by": ["county", "category", "municipality"],
    "value": ["03", "Arkiv", "*", "Oslo", "Infrastruktur", "99", ""],
    "min_amount": [0, 1, 500_000, 10**15],
    "max_amount": [0, 1, 500_000, 10**15],
    "min_share": ["0 %", "10 %", "100 %", "62,5 %", 0.5],
    "max_share": ["0 %", "10 %", "100 %", "62,5 %", 0.5],
    "min_count": [0, 1, 3, 10**6],
    "max_count": [0, 1, 3, 10**6],
    "frame": ["60 000 000", 1, 10**15, "0"],
    "budget": ["20 000 000", "1 mill", 0, 1, 10**15],
    "number": [1, 2, 3, 0, -1, 10**20],
    "register": ["2009", "2024", 2024],
    "lang": ["nb", "en"],
}


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
        )
    raise TypeError(type(value))


def dumps(data: dict[str, Any], prefix: str = "") -> str:
    """TOML of ``data``: plain values first, then tables, then arrays of tables."""
    plain = {k: v for k, v in data.items() if not isinstance(v, dict) and not _tables(v)}
    lines = [f"{json.dumps(k, ensure_ascii=False)} = {_toml_value(v)}" for k, v in plain.items()]
    for key, value in data.items():
        name = f"{prefix}{json.dumps(key, ensure_ascii=False)}"
        if isinstance(value, dict):
            lines.append(f"\n[{name}]")
            lines.append(dumps(value, name + "."))
        elif _tables(value):
            for item in value:
                lines.append(f"\n[[{name}]]")
                lines.append(dumps(item, name + "."))
    return "\n".join(lines)


def _tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _mutate_table(table: dict[str, Any], keys: list[str], rng: random.Random) -> None:
    choice = rng.random()
    if choice < 0.5:
        key = rng.choice(keys)
        table[key] = rng.choice(GOOD.get(key, WORDS))
    elif choice < 0.6 or not table:
        table[rng.choice(keys + list(table))] = rng.choice(ODD_VALUES)
    elif choice < 0.7:
        del table[rng.choice(list(table))]
    elif choice < 0.8:
        key = rng.choice(list(table))
        table[key[:-1] + rng.choice("aexs_ ")] = table.pop(key)
    elif choice < 0.9:
        table[rng.choice(keys)] = rng.choice(WORDS)
    else:
        quotas = table.setdefault("quotas", [])
        if isinstance(quotas, list):
            quota = {k: rng.choice(GOOD[k]) for k in rng.sample(QUOTA_KEYS[2:], 2)}
            quota["by"] = rng.choice(["county", "category", "municipality", "x", 1])
            quota["value"] = rng.choice(GOOD["value"])
            quotas.append(quota)


def _seed_policy() -> dict[str, Any]:
    return tomllib.loads(ROOT.joinpath("examples/policy_difi2009.toml").read_text("utf-8"))


def _seed_programme() -> dict[str, Any]:
    text = ROOT.joinpath("examples/programme_difi2009/tilskudd.toml").read_text("utf-8")
    return tomllib.loads(text)


def _flip_text(text: str, rng: random.Random) -> bytes:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        i = rng.randrange(len(data))
        if rng.random() < 0.5:
            data[i] = rng.choice(b'"=[]{}.,#\n\\ 0aZ\xff\x00')
        else:
            del data[i : i + rng.randint(1, 20)]
    return bytes(data)


def mutate(rng: random.Random) -> tuple[bytes, str]:
    kind = rng.choice(["policy", "policy", "programme", "programme", "columns"])
    if kind == "columns":
        table = {
            "columns": {
                rng.choice([*ODD_TEXT, "Søkt beløp", "Requested", "ID"]): rng.choice(
                    ["requested", "id", "extra", "score", "x", 1, ""]
                )
                for _ in range(rng.randint(0, 4))
            }
        }
        text = dumps(table)
    elif kind == "policy":
        data = _seed_policy()
        for _ in range(rng.choice([1, 1, 2, 3, 6])):
            target = data["policy"]
            if rng.random() < 0.3:
                target.pop(rng.choice(list(target)), None)
            quotas = target.get("quotas")
            if (
                isinstance(quotas, list)
                and quotas
                and isinstance(quotas[0], dict)
                and rng.random() < 0.3
            ):
                target = rng.choice(quotas)
                _mutate_table(target, QUOTA_KEYS, rng)
            else:
                _mutate_table(target, POLICY_KEYS, rng)
        if rng.random() < 0.1:
            data = data["policy"] if rng.random() < 0.5 else {"policy": data, "x": 1}
        text = dumps(data)
    else:
        data = _seed_programme()
        for _ in range(rng.choice([1, 1, 2, 3, 6])):
            spot = rng.random()
            if spot < 0.3:
                _mutate_table(data["programme"], PROGRAMME_KEYS, rng)
            elif spot < 0.6 and isinstance(data.get("round"), list) and data["round"]:
                target = rng.choice(data["round"])
                if isinstance(target, dict):
                    if rng.random() < 0.3 and isinstance(target.get("policy"), dict):
                        _mutate_table(target["policy"], POLICY_KEYS, rng)
                    else:
                        _mutate_table(target, ROUND_KEYS, rng)
            elif spot < 0.7 and isinstance(data.get("round"), list):
                data["round"].append(dict(rng.choice(data["round"] or [{"number": 3}])))
            elif isinstance(data.get("policy"), dict):
                _mutate_table(data["policy"], POLICY_KEYS, rng)
            else:
                _mutate_table(data, ["programme", "round", "policy", "x"], rng)
        text = dumps(data)
    raw = _flip_text(text, rng) if rng.random() < 0.05 else text.encode("utf-8")
    return kind.encode() + b"\n" + raw, "toml"


def target(data: bytes, rng: random.Random) -> None:
    from tilskudd.models import Policy
    from tilskudd.pipeline import read_applications, run_round

    kind, _, body = data.partition(b"\n")
    small = ROOT / "examples" / "small.csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tilskudd.toml"
        path.write_bytes(body)
        if kind == b"columns":
            from tilskudd.reading import load_column_map

            columns = load_column_map(path, lang=rng.choice(["nb", "en"]))
            read_applications(small, columns=columns)
        elif kind == b"policy":
            from tilskudd.policyfile import load_policy, load_policy_with_problems

            load_policy_with_problems(path)
            policy = load_policy(path)
            checked = read_applications(small, rule=policy.rule)
            run_round(checked, budget=rng.choice([1_000_000, 3_000_000, 0]), policy=policy)
        else:
            from tilskudd.programme import load_programme

            programme = load_programme(path)
            for number in range(1, 5):
                try:
                    programme.round_policy(number)
                except Exception as exc:
                    from tilskudd.errors import TilskuddError

                    if not isinstance(exc, TilskuddError):
                        raise
            del Policy


def preload() -> None:
    import tilskudd.pipeline
    import tilskudd.policyfile
    import tilskudd.programme
    import tilskudd.reading
    import tilskudd.reading.csv
    import tilskudd.rules
    import tilskudd.validation  # noqa: F401


if __name__ == "__main__":
    preload()
    main("settings", target, mutate, __doc__.splitlines()[0])
