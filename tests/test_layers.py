"""The dependency arrows of STYLE.md hold: data flows one way, read -> validate -> allocate ->
render / export / record, and a module imports only what lies below it.

Every ``import`` in the package is read (also those inside functions, which tilskudd uses to
keep start-up fast), so an arrow pointing up or sideways fails here, naming the module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tilskudd

PACKAGE = Path(tilskudd.__file__).parent

FORBIDDEN: dict[str, set[str]] = {
    # The core: a result is made of these and of nothing that reads, writes or shows it.
    "money": {"models", "rules", "reading", "validation", "export", "render", "cli", "ledger"},
    "models": {"rules", "reading", "validation", "export", "render", "cli", "ledger"},
    # A rule never imports reading, export, render or cli (STYLE.md).
    "rules": {"reading", "export", "render", "cli", "ledger"},
    "reading": {"rules", "export", "render", "cli", "ledger"},
    # The three ends of the flow stand beside each other: none imports another, or the CLI.
    "render": {"export", "cli"},
    "export": {"render", "cli"},
    # (The ledger's own export, Ledger.export, writes through export's writers: down, not up.)
    "ledger": {"render", "cli"},
    # What both the terminal and the files show, built once: below both of them.
    "publication": {"render", "export", "cli"},
    "summary": {"render", "export", "cli"},
    "wording": {"render", "export", "cli"},
}
"""For each part of tilskudd (its first name under ``tilskudd``), the parts it must not
import. Only the CLI imports the CLI."""


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imports() -> list[tuple[str, str]]:
    """Every (module, tilskudd module it imports) in the package, relative imports resolved."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ["tilskudd", *path.relative_to(PACKAGE).with_suffix("").parts]
        package = parts[:-1]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        module = ".".join(parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    names = [".".join([*base, *([node.module] if node.module else [])])]
                else:
                    names = [node.module or ""]
            found += [(module, name) for name in names if name.split(".")[0] == "tilskudd"]
    return found


IMPORTS = imports()


def test_the_imports_are_found() -> None:
    # The reading of the imports itself: known arrows are among what it finds.
    assert ("tilskudd.cli.allocate", "tilskudd.pipeline") in IMPORTS
    assert ("tilskudd.rules", "tilskudd.rules.ranked") in IMPORTS
    assert any(
        importer.startswith("tilskudd.export.") and imported == "tilskudd.publication"
        for importer, imported in IMPORTS
    )


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_arrow_points_up_or_sideways(layer: str) -> None:
    wrong = [
        f"{importer} imports {imported}"
        for importer, imported in IMPORTS
        if _layer(importer) == layer and _layer(imported) in FORBIDDEN[layer]
    ]
    assert wrong == []


def test_only_the_cli_imports_the_cli() -> None:
    wrong = [
        f"{importer} imports {imported}"
        for importer, imported in IMPORTS
        if _layer(imported) == "cli" and _layer(importer) not in {"cli", "__main__"}
    ]
    assert wrong == []
