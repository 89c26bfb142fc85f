"""JSON export: valid against the shipped schema, complete, exact, and in the chosen language."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from enum import IntEnum
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilskudd.export import write
from tilskudd.export.json import dumps
from tilskudd.jsondata import plain
from tilskudd.models import RoundResult


def _schema() -> dict[str, Any]:
    text = (resources.files("tilskudd") / "schemas" / "allocation.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _written(result: RoundResult, tmp_path: Path, lang: str = "en") -> dict[str, Any]:
    path = tmp_path / "result.json"
    assert write(result, path, lang=lang) == "json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _validator() -> jsonschema.protocols.Validator:
    schema = _schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_output_validates_against_the_shipped_schema(
    small_round: Callable[..., RoundResult], tmp_path: Path, lang: str
) -> None:
    data = _written(small_round(), tmp_path, lang)
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


def test_schema_rejects_what_it_should(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """The schema has teeth: a float amount, a decimal as number, a funded 0 all fail."""
    validator = _validator()
    good = _written(small_round(), tmp_path)
    bad_amount = json.loads(json.dumps(good))
    bad_amount["budget"] = 7300000.5
    bad_score = json.loads(json.dumps(good))
    bad_score["applications"][0]["score"] = 9.5
    bad_funded = json.loads(json.dumps(good))
    bad_funded["applications"][0]["amount"] = 0
    bad_extra_key = json.loads(json.dumps(good))
    bad_extra_key["applications"][0]["surprise"] = 1
    for bad in (bad_amount, bad_score, bad_funded, bad_extra_key):
        assert not validator.is_valid(bad)


def test_every_application_once_with_decision_and_budget_exact(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    result = small_round()
    data = _written(result, tmp_path)
    ids = [a["id"] for a in data["applications"]]
    assert ids == [d.application_id for d in result.allocation.decisions]
    assert data["budget"] == data["awarded"] + data["unallocated"] == 7_300_000
    assert sum(a["amount"] for a in data["applications"]) == data["awarded"] == 7_200_000
    by_id = {a["id"]: a for a in data["applications"]}
    assert by_id["S-003"]["status"] == "partly_funded"
    assert by_id["S-003"]["amount"] == 1_000_000
    assert by_id["S-003"]["requested"] == 1_500_000
    assert by_id["S-001"]["rank"] == by_id["S-002"]["rank"] == 1
    assert by_id["S-001"]["tied"] is True
    assert by_id["S-004"]["override"] is True
    assert by_id["S-007"]["valid"] is False
    assert by_id["S-007"]["status"] == "rejected"
    assert by_id["S-007"]["issues"][0]["location"]["cell"] == "Søknader!C9"


def test_a_rejected_rows_entry_gives_what_was_read_as_a_valid_one_does(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """The same fields in the same order for both; a rejected row has no officer's decision,
    and its cells are as read (the text that would be a formula in a spreadsheet, as typed)."""
    by_id = {a["id"]: a for a in _written(small_round(), tmp_path)["applications"]}
    valid, rejected = by_id["S-001"], by_id["S-007"]
    assert list(rejected) == list(valid)
    assert {key: rejected[key] for key in list(rejected)[2:16]} == {
        "row": 9,
        "applicant": "=cmd|' /C calc'!A0",
        "orgnr": None,
        "project": "Ugyldig orgnr",
        "municipalities": [],
        "counties": [],
        "category": None,
        "total_cost": None,
        "requested": None,
        "score": None,
        "given_rank": None,
        "officer_decision": None,
        "officer_amount": None,
        "officer_reason": None,
    }
    assert rejected["extra"] == {"Saksbehandler": "Kari", "Merknad": None}
    assert (valid["valid"], valid["applicant"]) == (True, "Halden kommune")


def test_inputs_policy_and_provenance_are_recorded(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    data = _written(small_round(), tmp_path)
    assert data["format"] == "tilskudd.allocation"
    assert data["format_version"] == 1
    assert data["source"] == {
        "file": "søknader.xlsx",
        "sha256": "ab" * 32,
        "sheet": "Søknader",
        "header_row": 1,
        "comment": None,
    }
    assert data["rule"] == "ranked"
    assert data["policy"]["max_share_of_cost"] == "0.2"
    assert data["policy"]["round_to"] == 1000
    assert datetime.fromisoformat(data["created"]).isoformat() == "2026-11-28T10:30:00+00:00"
    assert data["tool"] == {"name": "tilskudd", "version": "0.1.0"}
    assert data["programme"] == "IKT-tilskudd til kommunene 2009"


def test_decimals_are_strings_and_amounts_integers(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    data = _written(small_round(), tmp_path)
    first = data["applications"][0]
    assert first["score"] == "9.5"
    assert first["extra"] == {"Saksbehandler": "Kari Nordmann", "Merknad": '=HYPERLINK("http://x")'}
    oslo = next(a for a in data["applications"] if a["id"] == "S-005")
    assert oslo["extra"]["Merknad"] == "12.5"
    assert data["summary"]["oversubscription"] == "1.85"  # 13 500 000 / 7 300 000
    capped = next(a for a in data["applications"] if a["id"] == "S-003")
    assert capped["reasons"][0]["params"] == {"share": "0.2", "cap": 1_000_000}
    assert isinstance(data["awarded"], int)


def test_text_follows_the_language_codes_do_not(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    en = _written(small_round(), tmp_path / "en", "en")
    nb = _written(small_round(), tmp_path / "nb", "nb")
    assert en["lang"] == "en"
    assert nb["lang"] == "nb"
    assert en["applications"][0]["status_text"] == "funded"
    assert nb["applications"][0]["status_text"] == "innvilget"
    assert [a["reasons"] and a["reasons"][0]["code"] for a in en["applications"]] == [
        a["reasons"] and a["reasons"][0]["code"] for a in nb["applications"]
    ]
    assert "4 projects involving 8 municipalities" in en["summary"]["sentence"]
    assert "7\u00a0200\u00a0000\u00a0kr" in nb["summary"]["sentence"]
    assert nb["summary"]["sentence"].startswith("Runde 1:")
    assert en["applications"][0]["municipalities"][0] == {"number": "0101", "name": "Halden"}


def test_file_is_utf8_with_norwegian_letters_unescaped(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "r.json"
    write(small_round(), path, lang="nb")
    raw = path.read_bytes()
    assert "Østfold".encode() in raw
    assert b"\\u00d8" not in raw
    assert raw.endswith(b"}\n")


def test_each_application_and_issue_is_one_line(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """The envelope is indented; every application and every input issue is a line of its own."""
    path = tmp_path / "r.json"
    result = small_round()
    write(result, path, lang="nb")
    lines = path.read_text(encoding="utf-8").splitlines()
    data = json.loads("\n".join(lines))
    apps = lines.index('  "applications": [')
    entries = lines[apps + 1 : apps + 1 + len(data["applications"])]
    assert [json.loads(line.rstrip(",")) for line in entries] == data["applications"]
    assert lines[apps + 1 + len(data["applications"])] == "  ],"
    assert entries[0].startswith('    {"id": ')
    assert lines[1] == '  "format": "tilskudd.allocation",'
    assert '  "budget": ' + str(result.allocation.budget) + "," in lines


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=12,
)


@given(
    envelope=st.dictionaries(st.text(), json_values, max_size=4),
    applications=st.lists(st.dictionaries(st.text(), json_values, max_size=4), max_size=3),
    issues=st.lists(json_values, max_size=3),
)
def test_dumps_round_trips_any_document(
    envelope: dict[str, Any], applications: list[Any], issues: list[Any]
) -> None:
    """Whatever the values (text with quotes, newlines, nested lists), the text parses back."""
    document = {**envelope, "applications": applications, "issues": issues}
    text = dumps(document)
    assert json.loads(text) == document
    assert text.endswith("}\n")


class _Code(IntEnum):
    ONE = 1


def test_plain_turns_decimals_to_text_tuples_to_lists_and_keeps_the_rest() -> None:
    value = {
        "share": Decimal("0.2"),
        "ids": ("S1", "S2"),
        "nested": [{"score": Decimal("4.50")}, (1, None, True)],
        7: "key made text",
        "enum": _Code.ONE,
        "proxy": MappingProxyType({"a": Decimal("1")}),
    }
    assert plain(value) == {
        "share": "0.2",
        "ids": ["S1", "S2"],
        "nested": [{"score": "4.50"}, [1, None, True]],
        "7": "key made text",
        "enum": 1,
        "proxy": {"a": "1"},
    }
    assert json.loads(json.dumps(plain(value)))["nested"][0]["score"] == "4.50"


def test_the_rounds_decision_date_is_recorded_where_the_programme_gives_it(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    from datetime import date

    data = _written(small_round(decision_date=date(2009, 6, 12)), tmp_path)
    assert data["decision_date"] == "2009-06-12"
    assert _validator().is_valid(data)
    (tmp_path / "without").mkdir()
    assert _written(small_round(), tmp_path / "without")["decision_date"] is None


def test_write_takes_a_path_as_text_as_well(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    # A library user writes write(result, "tildeling.xlsx"), as in every other Python library
    # that writes files; it was an AttributeError ('str' object has no attribute 'suffix').
    for name in ("result.json", "result.xlsx", "result.csv"):
        target = str(tmp_path / name)
        assert write(small_round(), target) == name.split(".")[1]
        assert Path(target).stat().st_size > 0
    # The inputs too: never written over, whichever way they are named.
    with pytest.raises(Exception, match="input file"):
        write(small_round(), target, force=True, inputs=[target])


def test_per_county_and_no_county_add_up_to_the_awarded_total(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """An award to a project that names no place was left out of ``per_county`` without a
    word, so the per-county figures fell short of ``awarded``; it is now under ``no_county``."""
    base = small_round()
    apps = tuple(
        a.model_copy(update={"municipalities": (), "counties": ()}) if a.id == "S-004" else a
        for a in base.applications
    )
    data = _written(base.model_copy(update={"applications": apps}), tmp_path)
    summary = data["summary"]
    assert summary["no_county"] == {"projects": 1, "awarded": 900_000}
    in_counties = sum(line["awarded"] for line in summary["per_county"])
    assert in_counties + summary["no_county"]["awarded"] == data["awarded"]
    assert list(_validator().iter_errors(data)) == []


def test_a_recorded_endless_time_limit_is_written_as_json(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """A round committed by tilskudd 0.1.0 with time_limit = inf is re-run as recorded
    (Policy.from_record); -o x.json wrote "time_limit": Infinity, which is not JSON."""
    from tilskudd.models import Policy

    result = small_round()
    policy = Policy.from_record({"rule": "ranked", "time_limit": float("inf")})
    allocation = result.allocation.model_copy(update={"policy": policy})
    path = tmp_path / "result.json"
    write(result.model_copy(update={"allocation": allocation}), path)

    def not_json(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    data = json.loads(path.read_text(encoding="utf-8"), parse_constant=not_json)
    assert data["policy"]["time_limit"] == "inf"
    assert plain(float("inf")) == "inf"
    assert plain(60.0) == 60.0
