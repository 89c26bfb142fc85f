"""The sheet's own columns (an officer's name, internal notes) go to the officer's files, the
award workbook, the CSV and the JSON, and never to the lists a funder publishes.

The README promised them "to every output"; the HTML, PDF, Markdown and 360Giving documents
have always left them out, which is what a published list owes the people named in them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tilskudd.export import write
from tilskudd.models import RoundResult, Status
from written import written_text

OWN = ("Saksbehandler", "Kari Nordmann")
"""A column of the sheet and its value for S-001 in the example round (tests/export/conftest)."""


def _funded_with_its_own_columns(result: RoundResult) -> None:
    # Only awards are published: the test says something only if S-001 is one of them.
    decision = next(d for d in result.allocation.decisions if d.application_id == "S-001")
    assert decision.status in (Status.FUNDED, Status.PARTLY_FUNDED)
    application = next(a for a in result.applications if a.id == "S-001")
    assert application.extra[OWN[0]] == OWN[1]


@pytest.mark.parametrize(
    ("name", "format"),
    [("list.html", None), ("list.pdf", None), ("list.md", None), ("g.csv", "360giving")],
)
def test_the_published_lists_leave_out_the_sheets_own_columns(
    small_round: Callable[..., RoundResult], tmp_path: Path, name: str, format: str | None
) -> None:
    result = small_round()
    _funded_with_its_own_columns(result)
    path = tmp_path / name
    write(result, path, format=format, lang="nb")
    text = written_text(path)
    assert "Halden kommune" in text  # S-001's applicant: the award is in the list
    assert OWN[0] not in text
    assert OWN[1] not in text


@pytest.mark.parametrize("name", ["tildeling.xlsx", "tildeling.csv", "tildeling.json"])
def test_the_officers_files_carry_the_sheets_own_columns(
    small_round: Callable[..., RoundResult], tmp_path: Path, name: str
) -> None:
    result = small_round()
    _funded_with_its_own_columns(result)
    path = tmp_path / name
    write(result, path, lang="nb")
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        first = next(a for a in data["applications"] if a["id"] == "S-001")
        assert first["extra"][OWN[0]] == OWN[1]
    else:
        text = written_text(path)
        assert OWN[0] in text
        assert OWN[1] in text
