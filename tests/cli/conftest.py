"""Fixtures shared by the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder (no programme there or above), with no language or debug
    setting from the environment (see tests/cli/refusals.py)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)
    monkeypatch.delenv("TILSKUDD_DEBUG", raising=False)
    return tmp_path
