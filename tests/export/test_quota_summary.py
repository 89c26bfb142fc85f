"""The award workbook's summary of a round with quotas: each quota group against its limits,
with what it was awarded and how many of its applications were funded, and whether it was held
to them, so that an officer sees each group against its quota (numbers as numbers)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tilskudd.export import write
from tilskudd.models import Policy, Quota, RoundResult
from tilskudd.pipeline import read_applications, run_round

HEADER = "ID;Søker;Prosjekt;Kategori;Søkt beløp;Poeng"
ROWS = [
    "A1;Lag 1;Kor;Kultur;300000;9",
    "A2;Lag 2;Teater;Kultur;300000;8",
    "A3;Lag 3;Løp;Idrett;100000;7",
    "A4;Lag 4;Ski;Idrett;150000;6",
    "A5;Lag 5;Tur;Friluft;50000;5",
]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> RoundResult:
    path = tmp_path_factory.mktemp("quotas") / "søknader.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    policy = Policy(
        rule="ranked",
        quotas=(
            Quota(by="category", value="Kultur", max_amount=400_000),
            Quota(by="category", value="Idrett", min_count=1, max_share="30 %"),
        ),
    )
    return run_round(read_applications(path), 800_000, policy)


def _summary(result: RoundResult, path: Path, lang: str) -> list[tuple[object, ...]]:
    write(result, path, lang=lang)
    sheet = openpyxl.load_workbook(path).worksheets[2]
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("lang", "title", "header", "culture", "sport"),
    [
        (
            "nb",
            "Kvoter",
            ("Gruppe", "Minst (beløp)", "Høyst (beløp)", "Minst (antall)", "Høyst (antall)",
             "Tildelt", "Søknader med tilskudd", "Innenfor kvoten"),
            "Kategori «Kultur»",
            "Kategori «Idrett»",
        ),
        (
            "en",
            "Quotas",
            ("Group", "At least (amount)", "At most (amount)", "At least (count)",
             "At most (count)", "Awarded", "Funded applications", "Within the quota"),
            "Category 'Kultur'",
            "Category 'Idrett'",
        ),
    ],
)  # fmt: skip
def test_the_summary_shows_each_quota_group_against_its_limits(
    result: RoundResult,
    tmp_path: Path,
    lang: str,
    title: str,
    header: tuple[str, ...],
    culture: str,
    sport: str,
) -> None:
    rows = _summary(result, tmp_path / "tildeling.xlsx", lang)
    at = rows.index((title, *(None,) * (len(rows[0]) - 1)))
    assert rows[at + 1] == header
    yes = "ja" if lang == "nb" else "yes"
    # Kultur: A1 (300 000) fits its maximum of 400 000, A2 does not; Idrett: 30 % of 800 000
    # is 240 000, so A3 (100 000) and not A4 (150 000).
    assert rows[at + 2] == (culture, None, 400_000, None, None, 300_000, 1, yes)
    assert rows[at + 3] == (sport, None, 240_000, 1, None, 100_000, 1, yes)
    awarded = sum(d.amount for d in result.allocation.decisions)
    assert result.allocation.budget == awarded + result.allocation.unallocated


def test_a_round_without_quotas_has_no_quota_block(tmp_path: Path) -> None:
    path = tmp_path / "søknader.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    result = run_round(read_applications(path), 800_000, Policy(rule="ranked"))
    rows = _summary(result, tmp_path / "tildeling.xlsx", "en")
    assert not [row for row in rows if row[0] == "Quotas"]
