"""What a round's quotas came to, in every output of the round: each quota group with its
limits, what it was awarded, how many of its applications were funded, and whether it is within
the quota; the same figures in the terminal, the workbook, the JSON and the documents."""

from __future__ import annotations

import json
from importlib import resources
from io import StringIO
from pathlib import Path
from typing import Any

import jsonschema
import pypdf
import pytest
from rich.console import Console

from tilskudd.export import write
from tilskudd.models import Policy, Quota, RoundResult
from tilskudd.pipeline import read_applications, run_round
from tilskudd.render.allocation import render_result

NBSP = "\u00a0"
HEADER = "ID;Søker;Prosjekt;Kategori;Søkt beløp;Poeng"
ROWS = [
    "A1;Lag 1;Kor;Kultur;300000;9",
    "A2;Lag 2;Teater;Kultur;300000;8",
    "A3;Lag 3;Løp;Idrett;100000;7",
    "A4;Lag 4;Ski;Idrett;150000;6",
    "A5;Lag 5;Tur;Friluft;50000;5",
]
POLICY = Policy(
    rule="ranked",
    quotas=(
        Quota(by="category", value="Kultur", max_amount=400_000),
        Quota(by="category", value="Idrett", min_count=1, max_share="30 %"),
        Quota(by="category", value="Friluft", min_amount=50_000, max_count=2),
    ),
)


def allocated(folder: Path, policy: Policy = POLICY) -> RoundResult:
    path = folder / "søknader.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return run_round(read_applications(path), 800_000, policy)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> RoundResult:
    return allocated(tmp_path_factory.mktemp("quotas"))


def terminal(result: RoundResult, lang: str, width: int = 80) -> list[str]:
    console = Console(file=StringIO(), width=width, color_system=None)
    render_result(console, result, lang=lang)
    return console.file.getvalue().replace(NBSP, " ").splitlines()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "nb",
            [
                "3 prosjekter får 450 000 kr; 350 000 kr igjen av runden.",
                "Kvoter",
                "- Kategori «Kultur»: høyst 400 000 kr; tildelt 300 000 kr til 1 søknad: innenfor",
                "  kvoten",
                "- Kategori «Idrett»: høyst 240 000 kr, minst 1 søknad med tilskudd; tildelt",
                "  100 000 kr til 1 søknad: innenfor kvoten",
                "- Kategori «Friluft»: minst 50 000 kr, høyst 2 søknader med tilskudd; tildelt",
                "  50 000 kr til 1 søknad: innenfor kvoten",
            ],
        ),
        (
            "en",
            [
                "3 projects receive NOK 450,000; NOK 350,000 left of the round.",
                "Quotas",
                "- Category 'Kultur': at most NOK 400,000; awarded NOK 300,000 to 1 application:",
                "  within the quota",
                "- Category 'Idrett': at most NOK 240,000, at least 1 funded application; awarded",
                "  NOK 100,000 to 1 application: within the quota",
                "- Category 'Friluft': at least NOK 50,000, at most 2 funded applications;",
                "  awarded NOK 50,000 to 1 application: within the quota",
            ],
        ),
    ],
)
def test_the_terminal_says_each_quota_group_under_the_summary(
    result: RoundResult, lang: str, expected: list[str]
) -> None:
    # Under the summary sentence, each group on a line of its own folded to 80 columns.
    lines = terminal(result, lang)
    at = lines.index(expected[0])
    assert lines[at:] == expected


def test_a_round_without_quotas_says_nothing_of_quotas(tmp_path: Path) -> None:
    lines = terminal(allocated(tmp_path, Policy(rule="ranked")), "en")
    assert "Quotas" not in lines


def written_json(result: RoundResult, path: Path, lang: str = "en") -> dict[str, Any]:
    write(result, path, lang=lang)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def schema_errors(data: dict[str, Any]) -> list[str]:
    text = (resources.files("tilskudd") / "schemas" / "allocation.schema.json").read_text("utf-8")
    schema = json.loads(text)
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]


def test_the_json_summary_gives_each_quota_group_with_integers_for_money(
    result: RoundResult, tmp_path: Path
) -> None:
    data = written_json(result, tmp_path / "tildeling.json", "nb")
    assert schema_errors(data) == []
    quotas = data["summary"]["quotas"]
    assert [q["group"] for q in quotas] == [
        "Kategori «Kultur»",
        "Kategori «Idrett»",
        "Kategori «Friluft»",
    ]
    # Idrett: max_share 30 % of 800 000 as the amount it gives; a limit not set is null.
    assert quotas[1] == {
        "by": "category",
        "value": "Idrett",
        "name": "Idrett",
        "group": "Kategori «Idrett»",
        "min_amount": None,
        "max_amount": 240_000,
        "min_count": 1,
        "max_count": None,
        "awarded": 100_000,
        "funded": 1,
        "met": True,
    }
    assert [(q["min_amount"], q["max_count"], q["awarded"]) for q in (quotas[0], quotas[2])] == [
        (None, None, 300_000),
        (50_000, 2, 50_000),
    ]


def test_the_json_of_a_round_without_quotas_has_no_quotas(tmp_path: Path) -> None:
    data = written_json(allocated(tmp_path, Policy(rule="ranked")), tmp_path / "t.json")
    assert "quotas" not in data["summary"]
    assert data["policy"]["quotas"] == []


def test_the_markdown_has_a_table_of_the_quota_groups(result: RoundResult, tmp_path: Path) -> None:
    path = tmp_path / "tildeling.md"
    write(result, path, lang="nb")
    text = path.read_text(encoding="utf-8").replace(NBSP, " ")
    section = text[text.index("## Kvoter") :].splitlines()
    assert section[4:9] == [
        "| Gruppe | Grenser | Tildelt | Søknader med tilskudd | Innenfor kvoten |",
        "| --- | --- | ---: | ---: | --- |",
        "| Kategori «Kultur» | høyst 400 000 kr | 300 000 kr | 1 | ja |",
        "| Kategori «Idrett» | høyst 240 000 kr, minst 1 søknad med tilskudd | 100 000 kr | 1 "
        "| ja |",
        "| Kategori «Friluft» | minst 50 000 kr, høyst 2 søknader med tilskudd | 50 000 kr | 1 "
        "| ja |",
    ]


def test_the_html_page_has_a_section_of_the_quota_groups(
    result: RoundResult, tmp_path: Path
) -> None:
    path = tmp_path / "tildeling.html"
    write(result, path, lang="en")
    page = path.read_text(encoding="utf-8").replace(NBSP, " ")
    assert '<a href="#quotas">Quotas</a>' in page
    section = page[page.index('<section id="quotas"') :]
    section = section[: section.index("</section>")]
    assert (
        "<tr><th scope=\"row\">Category 'Idrett'</th><td>at most NOK 240,000, at least 1 funded "
        'application</td><td class="num">NOK 100,000</td><td class="num">1</td><td>yes</td></tr>'
    ) in section.replace("&#x27;", "'")
    assert section.count("<tr>") == 4  # the header and three groups


def test_the_pdf_has_the_quota_groups(result: RoundResult, tmp_path: Path) -> None:
    path = tmp_path / "tildeling.pdf"
    write(result, path, lang="en")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    text = " ".join(text.replace(NBSP, " ").split())
    assert (
        "Category 'Idrett' at most NOK 240,000, at least 1 funded application NOK 100,000 1 yes"
    ) in text
    assert "Category 'Friluft' at least NOK 50,000, at most 2 funded applications" in text


def test_the_documents_leave_out_a_quota_no_application_is_in(tmp_path: Path) -> None:
    """A quota on a group the round has no application in held nothing: the officer is told
    (in the terminal, the workbook and the JSON, with the nearest category); a published list
    does not show it."""
    policy = POLICY.model_copy(
        update={"quotas": (*POLICY.quotas, Quota(by="category", value="Kulturr", max_count=1))}
    )
    result = allocated(tmp_path, policy)
    path = tmp_path / "tildeling.md"
    write(result, path, lang="en")
    text = path.read_text(encoding="utf-8")
    assert "Category 'Friluft'" in text
    assert "Kulturr" not in text
    assert any("Kulturr" in line for line in terminal(result, "en"))


def test_the_json_of_a_round_whose_quotas_found_no_group_has_an_empty_list(
    tmp_path: Path,
) -> None:
    """Quotas per county in a sheet that names no county: the round has quotas, which held
    nothing (a note says so), and ``summary.quotas`` is there, empty."""
    policy = Policy(rule="ranked", quotas=(Quota(by="county", value="*", max_share="40 %"),))
    data = written_json(allocated(tmp_path, policy), tmp_path / "t.json")
    assert schema_errors(data) == []
    assert data["summary"]["quotas"] == []
