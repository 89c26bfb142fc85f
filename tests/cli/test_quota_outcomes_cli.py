"""The quota outcome of a committed round after `tilskudd withdraw` took a group below its
minimum: `allocate --round N` (the round run again, with what changed since from the ledger)
says the group is outside its quota in every output, with the awards as they stand; with
`--as-decided`, the decision's figures, within it."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from tilskudd.i18n import get

from .test_programme_cli import PROGRAMME, commit_round, folder, run

__all__ = ["folder"]

NBSP = "\u00a0"
QUOTAS = """
[[policy.quotas]]
by = "county"
value = "01"
min_amount = "50 000"

[[policy.quotas]]
by = "county"
value = "12"
max_amount = "30 000"
"""


def quota_rows(path: Path, lang: str) -> list[tuple[object, ...]]:
    """The rows of the workbook's table of quotas (after its header), on its summary sheet."""
    t = get(lang)
    sheet = openpyxl.load_workbook(path)[t("ui.sheet.summary")]
    rows = list(sheet.iter_rows(values_only=True))
    at = [row[0] for row in rows].index(t("summary.label.quotas"))
    return [row[:8] for row in rows[at + 2 : at + 4]]


def withdrawn(folder: Path) -> None:
    (folder / "tilskudd.toml").write_text(PROGRAMME + QUOTAS, encoding="utf-8")
    commit_round()
    # A-1 (Moss, in county 01) was the group's only award: 60 000 kr of its 50 000 kr minimum.
    done = run("withdraw", "A-1", "--reason", "Kommunen trakk seg")
    assert done.exit_code == 0, done.output


def test_a_withdrawal_below_a_minimum_is_outside_the_quota_in_the_workbook(folder: Path) -> None:
    withdrawn(folder)
    now = run("allocate", "r1.csv", "--round", "1", "--lang", "nb", "-o", "now.xlsx")
    assert now.exit_code == 0, now.output
    assert quota_rows(folder / "now.xlsx", "nb") == [
        ("Fylke 01 (Østfold)", 50_000, None, None, None, 0, 0, "nei"),
        ("Fylke 12 (Hordaland)", None, 30_000, None, None, 0, 0, "ja"),
    ]
    decided = run("allocate", "r1.csv", "--round", "1", "--as-decided", "-o", "decided.xlsx")
    assert decided.exit_code == 0, decided.output
    assert quota_rows(folder / "decided.xlsx", "en")[0] == (
        "County 01 (Østfold)", 50_000, None, None, None, 60_000, 1, "yes",
    )  # fmt: skip


def test_a_withdrawal_below_a_minimum_is_outside_the_quota_in_every_output(
    folder: Path,
) -> None:
    withdrawn(folder)
    said = run("allocate", "r1.csv", "--round", "1", "-o", "now.json")
    assert said.exit_code == 0, said.output
    lines = said.stdout.replace(NBSP, " ").splitlines()
    at = lines.index("Quotas")
    block = " ".join(" ".join(lines[at + 1 : at + 5]).split())
    assert block.startswith(
        "- County 01 (Østfold): at least NOK 50,000; awarded NOK 0 to 0 applications: "
        "outside the quota - County 12 (Hordaland): at most NOK 30,000; awarded NOK 0 to 0 "
        "applications: within the quota"
    ), block
    data = json.loads((folder / "now.json").read_text(encoding="utf-8"))
    keys = ("group", "min_amount", "awarded", "funded", "met", "awarded_now", "funded_now")
    assert [(*(q[key] for key in keys), q["met_now"]) for q in data["summary"]["quotas"]] == [
        ("County 01 (Østfold)", 50_000, 60_000, 1, True, 0, 0, False),
        ("County 12 (Hordaland)", None, 0, 0, True, 0, 0, True),
    ]
    for name in ("now.md", "now.html", "now.pdf"):
        done = run("allocate", "r1.csv", "--round", "1", "--lang", "nb", "-o", name)
        assert done.exit_code == 0, done.output
    md = (folder / "now.md").read_text(encoding="utf-8").replace(NBSP, " ")
    assert "| Fylke 01 (Østfold) | minst 50 000 kr | 0 kr | 0 | nei |" in md
    html = (folder / "now.html").read_text(encoding="utf-8").replace(NBSP, " ")
    assert (
        '<th scope="row">Fylke 01 (Østfold)</th><td>minst 50 000 kr</td>'
        '<td class="num">0 kr</td><td class="num">0</td><td>nei</td>'
    ) in html
    # The decision's figures, with --as-decided, as the lists above them show the awards.
    done = run("allocate", "r1.csv", "--round", "1", "--as-decided", "--lang", "nb", "-o", "d.md")
    assert done.exit_code == 0, done.output
    md = (folder / "d.md").read_text(encoding="utf-8").replace(NBSP, " ")
    assert "| Fylke 01 (Østfold) | minst 50 000 kr | 60 000 kr | 1 | ja |" in md
