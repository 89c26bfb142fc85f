"""The fuzz tests' fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def quiet_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh folder as the current one, with no language, debug or width set from outside."""
    monkeypatch.chdir(tmp_path)
    for name in ("TILSKUDD_LANG", "TILSKUDD_DEBUG", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path
