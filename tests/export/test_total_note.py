"""The total of the published lists says "each counted once" only where it is true: where a
collaboration is listed under each of its municipalities. Amsterdam's 29 awards name no place,
and their total said it all the same."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from tilskudd.export import write
from tilskudd.models import Policy, RoundResult
from tilskudd.pipeline import read_applications, run_round

NO_PLACES = ["ID;Prosjekt;Søkt beløp;Poeng", "A1;Kor;100000;9", "A2;Teater;200000;8"]
SHARED = [
    "ID;Prosjekt;Kommunenr;Søkt beløp;Poeng",
    "A1;Kor;0301;100000;9",
    "A2;Felles teater;0301, 4601;200000;8",
]
ONCE = {"nb": "hvert talt bare én gang", "en": "each counted once"}
TOTAL = {"nb": "Sum (2 prosjekter", "en": "Total (2 projects"}


def _round(tmp_path: Path, lines: list[str]) -> RoundResult:
    path = tmp_path / "søknader.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return run_round(read_applications(path), 300_000, Policy(rule="ranked"))


def _text(result: RoundResult, path: Path, lang: str) -> str:
    write(result, path, lang=lang)
    if path.suffix == ".pdf":
        text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    else:
        text = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize("suffix", ["html", "pdf"])
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_round_that_names_no_place_counts_its_projects_without_saying_once(
    tmp_path: Path, suffix: str, lang: str
) -> None:
    text = _text(_round(tmp_path, NO_PLACES), tmp_path / f"tildeling.{suffix}", lang)
    assert f"{TOTAL[lang]})" in text
    assert ONCE[lang] not in text


@pytest.mark.parametrize("suffix", ["html", "pdf"])
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_round_with_a_collaboration_says_each_is_counted_once(
    tmp_path: Path, suffix: str, lang: str
) -> None:
    text = _text(_round(tmp_path, SHARED), tmp_path / f"tildeling.{suffix}", lang)
    assert f"{TOTAL[lang]}, {ONCE[lang]})" in text
