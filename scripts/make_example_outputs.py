"""Regenerate examples/output/: every document tilskudd writes, for the bundled 2009 example round.

Runs the library pipeline the way ``tilskudd allocate`` does, on examples/difi_2009_runde1.xlsx
(2009 municipality numbering, budget 20 000 000 kr, policy examples/policy_difi2009.toml), with
a fixed creation time so the documents only change when tilskudd's output changes::

    python scripts/make_example_outputs.py

The documents are committed so that a reader of the repository can see them without installing
anything.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime
from pathlib import Path

from tilskudd.export import FORMATS, write
from tilskudd.models import RoundResult
from tilskudd.pipeline import read_applications, run_round
from tilskudd.policyfile import load_policy

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
OUTPUT = EXAMPLES / "output"
INPUT = EXAMPLES / "difi_2009_runde1.xlsx"
POLICY = EXAMPLES / "policy_difi2009.toml"
BUDGET = 20_000_000
CREATED = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

# (file name, format, language, options): Norwegian as the funder publishes, and English.
DOCUMENTS: tuple[tuple[str, str, str, dict[str, object]], ...] = (
    ("tildeling.html", "html", "nb", {}),
    ("tildeling.pdf", "pdf", "nb", {}),
    ("tildeling.md", "md", "nb", {}),
    ("tildeling.csv", "csv", "nb", {}),
    ("tildeling.json", "json", "nb", {}),
    ("tildeling.xlsx", "xlsx", "nb", {}),
    ("360giving.csv", "360giving", "nb", {"identifier_prefix": "360G-tilskudd-difi2009-"}),
    ("awards.html", "html", "en", {}),
    ("awards.pdf", "pdf", "en", {}),
    ("awards.md", "md", "en", {}),
)


def example_round() -> RoundResult:
    """The bundled 2009 round, allocated by its policy."""
    checked = read_applications(INPUT, register="2009", display_name=INPUT.name)
    return run_round(
        checked,
        BUDGET,
        load_policy(POLICY),
        sha256=hashlib.sha256(INPUT.read_bytes()).hexdigest(),
        created=CREATED,
        programme="IKT-tilskudd til kommunene",
        round_name="Runde 1 2009",
        funder="Direktoratet for forvaltning og IKT (Difi)",
    )


def main(output: Path = OUTPUT) -> list[Path]:
    """Write every document of :data:`DOCUMENTS` into ``output`` (examples/output/)."""
    result = example_round()
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fmt, lang, options in DOCUMENTS:
        if fmt not in FORMATS:
            print(f"skipped {name}: no {fmt} writer in this version", file=sys.stderr)
            continue
        path = output / name
        write(result, path, format=fmt, lang=lang, force=True, inputs=[INPUT], **options)
        print(f"{path.name}: {path.stat().st_size:,} bytes")
        written.append(path)
    return written


if __name__ == "__main__":
    main()
