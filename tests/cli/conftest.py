"""Fixtures shared by the command-line tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder (no programme there or above), with no language or debug
    setting from the environment (see tests/cli/refusals.py)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    monkeypatch.delenv("TILSKUDD_DEBUG", raising=False)
    return tmp_path


@pytest.fixture
def programme(in_empty_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the Difi 2009 programme folder (without a ledger yet), made the current
    folder."""
    folder = in_empty_folder / "ordning"
    shutil.copytree(EXAMPLES / "programme_difi2009", folder)
    monkeypatch.chdir(folder)
    return folder
