"""The published documents of a committed round amended and withdrawn from since its decision:
the awards as they stand, each change in a note, totals that add up to the krone; and the list
as decided, which says what changed since."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.export.conftest import FUNDED_THEN_WITHDRAWN, _small_round
from tests.export.test_html import _page
from tests.export.test_json import _validator

from tilskudd.export import write
from tilskudd.export.html import render as render_html
from tilskudd.export.markdown import render as render_md
from tilskudd.models import AwardChange, RoundResult
from tilskudd.publication import build


def _plain(text: str) -> str:
    """Text with the no-break spaces of amounts as spaces, and runs of spaces as one."""
    return re.sub(r"[\s\u00a0]+", " ", text)


def test_the_list_shows_the_awards_as_they_stand(
    changed_round: Callable[..., RoundResult],
) -> None:
    pub = build(changed_round(), "nb")
    lines = {line.id: line for line in pub.by_amount}
    # lowered, raised outside the policy, withdrawn (at 0, still listed), reserve funded later
    assert (lines["S-001"].amount, lines["S-001"].decided) == (3_000_000, 3_300_000)
    assert (lines["S-003"].amount, lines["S-003"].decided) == (1_200_000, 1_000_000)
    assert (lines["S-004"].amount, lines["S-004"].status_text) == (0, "trukket tilbake")
    assert (lines["S-005"].amount, lines["S-005"].decided) == (800_000, 0)
    assert lines["S-002"].note is None
    assert lines["S-002"].decided is None
    assert [line.id for line in pub.by_amount] == ["S-001", "S-002", "S-003", "S-005", "S-004"]
    assert [line.note for line in pub.changed] == [1, 2, 3, 4]
    # The places list only the awards there are: a withdrawn award funds no municipality.
    placed = {x.id for c in pub.by_municipality for m in c.municipalities for x in m.lines}
    assert placed == {"S-001", "S-002", "S-003", "S-005"}
    stand = pub.standing
    assert stand is not None
    assert (stand.budget, stand.decided, stand.unallocated) == (7_300_000, 7_200_000, 100_000)
    assert (stand.current, stand.change) == (7_000_000, -200_000)
    assert (stand.amendments, stand.withdrawals) == (3, 1)
    assert pub.summary.awarded == 7_000_000 == sum(line.amount for line in pub.by_amount)
    assert sum(bar.awarded for bar in pub.per_county) == 7_000_000
    assert pub.summary.funded == 4


def test_as_decided_shows_the_decision_and_still_the_changes(
    changed_round: Callable[..., RoundResult],
) -> None:
    pub = build(changed_round(), "en", as_decided=True)
    lines = {line.id: line for line in pub.by_amount}
    assert lines["S-004"].amount == 900_000
    assert lines["S-001"].amount == 3_300_000
    assert lines["S-005"].amount == 0  # funded after the decision: listed, with its note
    assert pub.summary.awarded == 7_200_000
    assert [line.id for line in pub.changed] == ["S-001", "S-003", "S-004", "S-005"]
    said = _plain(pub.standing_sentence() or "")
    assert said.startswith("This list shows the awards as decided.")
    assert "NOK 7,000,000 is awarded now" in said


def test_an_unchanged_round_has_no_standing(small_round: Callable[..., RoundResult]) -> None:
    pub = build(small_round(), "nb")
    assert pub.standing is None
    assert pub.standing_sentence() is None
    assert not pub.changed
    assert _plain(pub.budget_line()) == (
        "Ramme: 7 300 000 kr · Tildelt: 7 200 000 kr · Ikke fordelt: 100 000 kr"
    )


def test_html_reads_back_as_it_stands(changed_round: Callable[..., RoundResult]) -> None:
    page = _page(render_html(changed_round(), lang="nb"))
    text = _plain(" ".join(page.text))
    assert (
        "Etter vedtaket er det registrert 3 endringer og 1 tilbaketrekning: 7 200 000 kr ble "
        "vedtatt, 7 000 000 kr er tildelt nå, og 200 000 kr er gått tilbake til rammen for "
        "ordningen."
    ) in text
    by_amount = page.tables[0]
    rows = {row[1]: [_plain(cell) for cell in row] for row in by_amount.rows}
    assert rows["Bergen kommune"][-1] == "0 kr3vedtatt 900 000 kr · trukket tilbake"
    assert rows["Halden kommune"][-1] == "3 000 000 kr1vedtatt 3 300 000 kr · endret"
    assert _plain(by_amount.foot[-1]) == "7 000 000 kr"
    assert _plain(page.tables[1].foot[-1]) == "7 000 000 kr"
    assert "Endringer etter vedtaket" in page.headings
    hrefs = [a.get("href") or "" for a in page.attrs("a")]
    # Each changed award's amount links to its note, in the list by amount (and by place); the
    # notes are numbered in the order the changes were recorded.
    assert [h for h in hrefs if h.startswith("#change-")][:4] == [
        f"#change-{n}" for n in (1, 2, 4, 3)
    ]
    assert [a.get("id") for a in page.attrs("li") if a.get("id")] == [
        f"change-{n}" for n in range(1, 5)
    ]
    assert (
        "Bergen kommune – -Minus: Åpne data | felles API (S-004): Etter vedtaket ble tilskuddet "
        "på 900 000 kr trukket tilbake 3. november 2009. Søkeren trakk prosjektet. Tilskuddet "
        "er nå 0 kr."
    ) in text
    assert (
        "fra 1 000 000 kr til 1 200 000 kr. Styrevedtak 19.10.2009, sak 09/123. Endringen er "
        "registrert utenfor rundens tildelingsregler (max_share_of_cost)."
    ) in text
    assert (
        "Ramme: 7 300 000 kr · Vedtatt: 7 200 000 kr · Ikke fordelt: 100 000 kr · Endret etter "
        "vedtaket: -200 000 kr · Tildelt nå: 7 000 000 kr"
    ) in text


def test_markdown_reads_back_in_english(changed_round: Callable[..., RoundResult]) -> None:
    text = render_md(changed_round(), lang="en").replace("\u00a0", " ")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    bergen = next(row for row in rows if "Bergen kommune" in row)
    assert bergen.endswith("| NOK 900,000 | NOK 0 (3) | withdrawn |")
    oslo = next(row for row in rows if "Oslo kommune" in row)
    assert oslo.endswith("| NOK 800,000 (4) | amended |")
    assert rows[-1] == "| **Total** |  |  |  |  | **NOK 7,000,000** |  |"
    assert "## Changes since the decision" in text
    assert (
        "1. Halden kommune – Felles IKT-plattform for Østfold (S-001): After the decision the "
        "grant was amended on 14 October 2009, from NOK 3,300,000 to NOK 3,000,000. Prosjektet ble "
        "billigere (brev 12.10.2009). The grant is now NOK 3,000,000."
    ) in text
    assert "and NOK 200,000 has gone back to the programme's frame." in text


def test_the_notes_are_numbered_by_when_the_changes_were_recorded_in_every_view(
    changed_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """The notes were numbered in the order of the list by amount: the terminal and the
    workbook, which list the awards by rank, read (1), (2), (4), (3) for S-001, S-003, S-004
    and S-005, changed in that order. They are numbered by when each award was first changed
    (then by id) now, and each award has the same number in the terminal, Markdown, workbook
    and PDF."""
    from io import StringIO

    from rich.console import Console

    from tilskudd.render.allocation import render_result

    result = changed_round()
    expected = {"S-001": 1, "S-003": 2, "S-004": 3, "S-005": 4}
    console = Console(file=StringIO(), width=200)
    render_result(console, result, lang="en")
    terminal = console.file.getvalue()  # type: ignore[attr-defined]
    for key, note in expected.items():
        row = next(line for line in terminal.splitlines() if f" {key} " in line)
        assert f"({note})" in row, row
    markdown = render_md(result, lang="en").replace("\u00a0", " ")
    names = {"S-001": "Halden", "S-003": "Tromsø", "S-004": "Bergen", "S-005": "Oslo"}
    for key, note in expected.items():
        assert f"{note}. {names[key]} kommune" in markdown
    path = tmp_path / "tildeling.xlsx"
    write(result, path, lang="en")
    changes = _sheets(path)["Amendments"]
    assert [(row[0], row[1]) for row in changes[1:5]] == sorted(
        (note, key) for key, note in expected.items()
    )
    pdf = tmp_path / "tildeling.pdf"
    write(result, pdf, lang="en")
    text = " ".join(_plain(p.extract_text()) for p in pypdf.PdfReader(pdf).pages)
    assert "3. Bergen kommune – -Minus: Åpne data | felles API (S-004)" in text
    assert "4. Oslo kommune" in text


def test_markdown_as_decided_keeps_the_decision_and_says_so(
    changed_round: Callable[..., RoundResult],
) -> None:
    text = render_md(changed_round(), lang="nb", as_decided=True).replace("\u00a0", " ")
    bergen = next(line for line in text.splitlines() if "Bergen kommune" in line)
    assert "| 900 000 kr (3) | trukket tilbake |" in bergen
    assert "| **Sum** |  |  |  |  | **7 200 000 kr** |  |" in text
    assert "Listen viser tildelingene slik de ble vedtatt." in text
    assert "3. Bergen kommune" in text


def test_pdf_reads_back_as_it_stands(
    changed_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "tildeling.pdf"
    assert write(changed_round(), path, lang="nb") == "pdf"
    pages = [_plain(p.extract_text()) for p in pypdf.PdfReader(path).pages]
    text = " ".join(pages)
    assert "5 Bergen kommune -Minus: Åpne data | felles API Bergen 0 kr (3)" in text
    assert "1 Halden kommune Felles IKT-plattform for Østfold Halden, Moss og Sarpsborg" in text
    assert "3 000 000 kr (1)" in text
    assert "Sum (4 prosjekter, hvert talt bare én gang) 7 000 000 kr" in text
    assert "Endringer etter vedtaket" in text
    assert "3. Bergen kommune – -Minus: Åpne data | felles API (S-004): Etter vedtaket" in text
    assert "Tildelt nå: 7 000 000 kr" in text


def test_write_passes_as_decided_to_the_documents(
    changed_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "tildeling.md"
    write(changed_round(), path, lang="nb", as_decided=True)
    assert "**7 200 000 kr**" in _plain(path.read_text(encoding="utf-8"))
    write(changed_round(), path, lang="nb", force=True)
    assert "**7 000 000 kr**" in _plain(path.read_text(encoding="utf-8"))


_IDS = ("S-001", "S-002", "S-003", "S-004", "S-005", "S-006")


@given(
    st.lists(
        st.tuples(st.sampled_from(_IDS), st.integers(0, 4_000).map(lambda n: n * 1000)),
        max_size=8,
    )
)
def test_totals_add_up_to_the_krone_whatever_the_changes(
    changes: list[tuple[str, int]],
) -> None:
    base = _small_round()
    amounts = {d.application_id: d.amount for d in base.allocation.decisions}
    recorded = []
    for application_id, after in changes:
        before = amounts[application_id]
        kind = "withdraw" if after == 0 else "amend"
        recorded.append(
            AwardChange(
                application_id=application_id,
                kind=kind,
                created="2009-10-14T09:00:00+00:00",
                amount_before=before,
                amount_after=after,
                reason="r",
            )
        )
        amounts[application_id] = after
    result = base.model_copy(update={"changes": tuple(recorded)})
    pub = build(result, "en")
    now = sum(amounts.values())
    assert pub.summary.awarded == now == sum(line.amount for line in pub.by_amount)
    assert sum(bar.awarded for bar in pub.per_county) == now
    if recorded:
        stand = pub.standing
        assert stand is not None
        assert stand.budget == stand.decided + stand.unallocated
        assert stand.current == stand.decided + stand.change == now
    decided = build(result, "en", as_decided=True)
    assert decided.summary.awarded == base.allocation.awarded
    assert sum(line.amount for line in decided.by_amount) == base.allocation.awarded


def test_csv_has_the_awards_as_they_stand_and_the_change_columns(
    changed_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "tildeling.csv"
    write(changed_round(), path, lang="nb")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = {r["Søknadsnr."]: r for r in csv.DictReader(handle, delimiter=";")}
    bergen = rows["S-004"]
    assert (bergen["Tildelt"], bergen["Status"]) == ("0", "trukket tilbake")
    assert (bergen["Vedtatt"], bergen["Beløp nå"]) == ("900000", "0")
    assert bergen["Sist endret"] == "2009-11-03T09:00:00+00:00"
    assert "trukket tilbake 3. november 2009. Søkeren trakk prosjektet." in _plain(
        bergen["Begrunnelse for endring"]
    )
    tromso = rows["S-003"]
    assert (tromso["Tildelt"], tromso["Vedtatt"], tromso["Status"]) == (
        "1200000",
        "1000000",
        "endret",
    )
    assert tromso["Utenfor rundens tildelingsregler"] == "max_share_of_cost"
    oslo = rows["S-005"]
    assert (oslo["Tildelt"], oslo["Vedtatt"], oslo["Status"]) == ("800000", "0", "endret")
    unchanged = rows["S-002"]
    assert (unchanged["Tildelt"], unchanged["Vedtatt"], unchanged["Beløp nå"]) == (
        "2000000",
        "2000000",
        "2000000",
    )
    assert unchanged["Sist endret"] == ""
    assert sum(int(r["Tildelt"]) for r in rows.values()) == 7_000_000
    assert sum(int(r["Vedtatt"]) for r in rows.values()) == 7_200_000
    # The columns of the applicant's own sheet still come last, after the change columns.
    header = list(next(iter(rows.values())))
    assert header[-2:] == ["Saksbehandler", "Merknad"]


def test_csv_as_decided_keeps_the_decision_with_the_change_columns(
    changed_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "awards.csv"
    write(changed_round(), path, lang="en", csv_dialect="plain", as_decided=True)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = {r["ID"]: r for r in csv.DictReader(handle)}
    bergen = rows["S-004"]
    assert (bergen["Awarded"], bergen["Status"], bergen["Current amount"]) == (
        "900000",
        "funded",
        "0",
    )


def test_an_unchanged_round_has_no_change_columns(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "tildeling.csv"
    write(small_round(), path, lang="nb")
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert "Vedtatt" not in header


def test_json_keeps_the_decision_and_adds_what_stands_now(
    changed_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "tildeling.json"
    write(changed_round(), path, lang="en")
    data = json.loads(path.read_text(encoding="utf-8"))
    errors = [e.message for e in _validator().iter_errors(data)]
    assert errors == []
    assert (data["budget"], data["awarded"], data["unallocated"]) == (7_300_000, 7_200_000, 100_000)
    since = data["changes_since"]
    assert (since["decided"], since["current"], since["change"]) == (7_200_000, 7_000_000, -200_000)
    assert (since["amendments"], since["withdrawals"]) == (3, 1)
    apps = {a["id"]: a for a in data["applications"]}
    assert sum(a["amount_now"] for a in apps.values()) == since["current"]
    bergen = apps["S-004"]
    assert (bergen["amount"], bergen["status"]) == (900_000, "funded")
    assert (bergen["amount_now"], bergen["status_now"]) == (0, "withdrawn")
    assert bergen["changes"] == [
        {
            "kind": "withdraw",
            "date": "2009-11-03",
            "decided": None,
            "recorded": "2009-11-03T09:00:00+00:00",
            "before": 900_000,
            "after": 0,
            "reason": "Søkeren trakk prosjektet",
            "outside_policy": [],
            "text": "After the decision the grant of NOK\u00a0900,000 was withdrawn on "
            "3 November 2009. Søkeren trakk prosjektet.",
        }
    ]
    assert apps["S-003"]["changes"][0]["outside_policy"] == ["max_share_of_cost"]
    assert (apps["S-002"]["amount_now"], apps["S-002"]["changes"]) == (2_000_000, [])


def test_json_of_an_unchanged_round_has_no_change_fields(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "tildeling.json"
    write(small_round(), path, lang="en")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "changes_since" not in data
    assert "amount_now" not in data["applications"][0]


def test_360giving_is_as_the_grants_stand(
    changed_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "grants.csv"
    write(changed_round(), path, format="360giving", lang="en", funder="Difi")
    with open(path, encoding="utf-8", newline="") as handle:
        rows = {r["Identifier"]: r for r in csv.DictReader(handle)}
    # Withdrawn since the decision: left out, as 360Giving asks of grants that did not go ahead.
    assert sorted(rows) == [
        "360G-tilskudd-S-001",
        "360G-tilskudd-S-002",
        "360G-tilskudd-S-003",
        "360G-tilskudd-S-005",
    ]
    halden = rows["360G-tilskudd-S-001"]
    assert halden["Amount Awarded"] == "3000000"
    assert halden["Award Date"] == "2009-06-12"
    assert halden["Last modified"] == "2009-10-14T09:00:00+00:00"
    assert _plain(halden["Description"]) == (
        "Grant to Halden kommune for “Felles IKT-plattform for Østfold”. After the decision the "
        "grant was amended on 14 October 2009, from NOK 3,300,000 to NOK 3,000,000. Prosjektet ble "
        "billigere (brev 12.10.2009). The grant is now NOK 3,000,000."
    )
    assert rows["360G-tilskudd-S-003"]["Amount Awarded"] == "1200000"
    # Funded from the reserve list after the decision: awarded the day it was funded.
    oslo = rows["360G-tilskudd-S-005"]
    assert (oslo["Amount Awarded"], oslo["Award Date"]) == ("800000", "2009-11-04")
    unchanged = rows["360G-tilskudd-S-002"]
    assert unchanged["Description"].startswith("Grant to Guovdageainnu suohkan for “Samisk")
    assert unchanged["Description"].endswith("Guovdageaidnu”.")
    assert unchanged["Last modified"] == "2026-11-28T10:30:00+00:00"
    assert sum(int(r["Amount Awarded"]) for r in rows.values()) == 7_000_000


def _sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet of a workbook as its rows of values (formulas as written)."""
    book = openpyxl.load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def _by_id(rows: list[tuple[object, ...]]) -> dict[object, dict[object, object]]:
    header = rows[0]
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}


def _figures(rows: list[tuple[object, ...]]) -> dict[object, object]:
    return {row[0]: row[1] for row in rows if row and row[0] is not None}


def test_the_workbook_shows_the_awards_as_they_stand(
    changed_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    """The award workbook of a round changed since its decision showed the amounts decided (a
    withdrawn award at 900 000 kr): an officer forwarding it forwarded figures that no longer
    held. Now each award stands at its amount now beside the amount decided, numbered as the
    documents number their notes, with a sheet of the changes and totals that add up."""
    path = tmp_path / "tildeling.xlsx"
    assert write(changed_round(), path, lang="nb") == "xlsx"
    sheets = _sheets(path)
    assert list(sheets) == ["Tildelinger", "Ikke innvilget", "Endringer", "Sammendrag", "Grunnlag"]
    awards = _by_id(sheets["Tildelinger"])
    # Funded from the reserve list after the decision: an award now, on the awards sheet.
    assert list(awards) == ["S-001", "S-002", "S-003", "S-004", "S-005"]
    picked = ("Tildelt", "Vedtatt", "Beløp nå", "Endring nr.", "Status")
    got = {key: tuple(row[k] for k in picked) for key, row in awards.items()}
    assert got == {
        "S-001": (3_000_000, 3_300_000, 3_000_000, 1, "endret"),
        "S-002": (2_000_000, 2_000_000, 2_000_000, None, "innvilget"),
        "S-003": (1_200_000, 1_000_000, 1_200_000, 2, "endret"),
        "S-004": (0, 900_000, 0, 3, "trukket tilbake"),
        "S-005": (800_000, 0, 800_000, 4, "endret"),
    }
    assert awards["S-004"]["Andel av kostnad"] == 0
    assert sum(row["Tildelt"] for row in awards.values()) == 7_000_000  # type: ignore[misc]
    assert [row[1] for row in sheets["Ikke innvilget"][1:]] == ["S-006", "S-007"]

    changes = sheets["Endringer"]
    assert changes[0][:2] == ("Endring nr.", "Søknadsnr.")
    assert changes[0][5:7] == ("Endring vedtatt", "Registrert (UTC)")
    assert changes[1] == (
        1,
        "S-001",
        "Halden kommune",
        "Felles IKT-plattform for Østfold",
        "endret",
        None,  # no date of the decision to change it was given
        datetime(2009, 10, 14, 9, 0),  # a date-time cell in UTC, as in the ledger export
        3_300_000,
        3_000_000,
        -300_000,
        "Prosjektet ble billigere (brev 12.10.2009)",
        None,
    )
    assert [(row[0], row[1], row[11]) for row in changes[2:5]] == [
        (2, "S-003", "max_share_of_cost"),
        (3, "S-004", None),
        (4, "S-005", None),
    ]
    assert changes[-1][0] == "Sum"
    assert changes[-1][9] == -200_000

    summary = sheets["Sammendrag"]
    figures = _figures(summary)
    assert (figures["Ramme"], figures["Vedtatt"], figures["Ikke fordelt"]) == (
        7_300_000,
        7_200_000,
        100_000,
    )
    assert (figures["Endret etter vedtaket"], figures["Tildelt nå"]) == (-200_000, 7_000_000)
    check = "Kontroll: ramme − vedtatt − ikke fordelt (0 når det går opp)"
    assert figures[check] == "=B6-B7-B8"
    check_now = "Kontroll: tildelt nå − vedtatt − endret etter vedtaket (0 når det går opp)"
    assert figures[check_now] == "=B11-B7-B10"
    assert [summary[n - 1][0] for n in (6, 7, 8, 10, 11)] == [
        "Ramme",
        "Vedtatt",
        "Ikke fordelt",
        "Endret etter vedtaket",
        "Tildelt nå",
    ]
    said = _plain(str(summary[2][0]))
    assert said.startswith("Etter vedtaket er det registrert 3 endringer og 1 tilbaketrekning")
    assert ("Sum", None, 7_000_000, None) in summary  # the awards per county now
    basis = _figures(sheets["Grunnlag"])
    assert basis["Endringer etter vedtaket"] == (
        "3 endringer og 1 tilbaketrekning, den siste registrert 4. november 2009 kl. 10.00"
    )
    assert basis["Beløpene viser"] == "tildelingene slik de står nå"


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_workbooks_times_are_date_times_in_utc_as_in_the_ledger_export(
    changed_round: Callable[..., RoundResult], tmp_path: Path, lang: str
) -> None:
    """The changes sheet and the Grunnlag sheet wrote their times as ISO 8601 text while the
    ledger export writes date-time cells in UTC: the same time, one sortable and one not. Now
    both are date-time cells with the ledger export's format and a "(UTC)" header; the same
    round still gives the same bytes."""
    result = changed_round()
    path, again = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write(result, path, lang=lang)
    write(result, again, lang=lang)
    assert path.read_bytes() == again.read_bytes()
    book = openpyxl.load_workbook(path)
    changes = book[book.sheetnames[2]]
    header = "Registrert (UTC)" if lang == "nb" else "Recorded (UTC)"
    assert changes["G1"].value == header
    cells = [changes.cell(row=n, column=7) for n in range(2, 6)]
    assert [c.value for c in cells] == [
        datetime(2009, 10, 14, 9, 0),
        datetime(2009, 10, 20, 9, 0),
        datetime(2009, 11, 3, 9, 0),
        datetime(2009, 11, 4, 9, 0),
    ]
    assert {c.number_format for c in cells} == {"yyyy-mm-dd hh:mm:ss"}
    basis = book[book.sheetnames[-1]]
    label = "Laget (UTC)" if lang == "nb" else "Created (UTC)"
    created = next(r for r in basis.iter_rows(max_col=2) if r[0].value == label)[1]
    assert created.value == result.created.astimezone(UTC).replace(tzinfo=None)
    assert created.number_format == "yyyy-mm-dd hh:mm:ss"


@pytest.mark.parametrize(("lang", "as_decided"), [("nb", False), ("en", False), ("nb", True)])
def test_the_workbooks_count_by_status_is_the_count_of_its_status_column(
    changed_round: Callable[..., RoundResult], tmp_path: Path, lang: str, as_decided: bool
) -> None:
    """The summary's applications by status counted the statuses decided while the awards
    sheet showed an amended award as "endret" and a withdrawn one as "trukket tilbake": the
    counts did not match what an officer counts (or a COUNTIF finds) on the sheets."""
    path = tmp_path / "tildeling.xlsx"
    write(changed_round(), path, lang=lang, as_decided=as_decided)
    sheets = list(_sheets(path).values())
    shown: Counter[object] = Counter()
    for rows in sheets[:2]:  # the awards and the applications not funded
        shown.update(row["Status"] for row in _by_id(rows).values())
    summary = sheets[3]
    start = next(n for n, row in enumerate(summary) if row[0] == "Status") + 1
    end = next(n for n in range(start, len(summary)) if summary[n][0] in ("Sum", "Total"))
    table = {row[0]: row[1] for row in summary[start:end]}
    assert {label: n for label, n in table.items() if n} == dict(shown)
    assert summary[end][1] == sum(shown.values())
    if not as_decided:
        words = ("endret", "trukket tilbake") if lang == "nb" else ("amended", "withdrawn")
        assert (table[words[0]], table[words[1]]) == (3, 1)


def test_the_workbook_as_decided_keeps_the_decision_and_the_changes(
    changed_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "awards.xlsx"
    write(changed_round(), path, lang="en", as_decided=True)
    sheets = _sheets(path)
    awards = _by_id(sheets["Awards"])
    picked = ("Awarded", "Committed", "Current amount", "Change no.", "Status")
    assert tuple(awards["S-004"][k] for k in picked) == (900_000, 900_000, 0, 3, "funded")
    assert tuple(awards["S-005"][k] for k in picked) == (0, 0, 800_000, 4, "reserve")
    assert sum(row["Awarded"] for row in awards.values()) == 7_200_000  # type: ignore[misc]
    figures = _figures(sheets["Summary"])
    assert (figures["Decided"], figures["Awarded now"]) == (7_200_000, 7_000_000)
    assert _plain(str(sheets["Summary"][2][0])).startswith("This list shows the awards as decided.")
    assert [row[:2] for row in sheets["Amendments"][1:5]] == [
        (1, "S-001"),
        (2, "S-003"),
        (3, "S-004"),
        (4, "S-005"),
    ]
    assert _figures(sheets["Policy"])["Amounts shown"] == "the awards as decided (--as-decided)"


def test_the_workbook_of_an_unchanged_round_has_no_change_columns(
    small_round: Callable[..., RoundResult], tmp_path: Path
) -> None:
    path = tmp_path / "tildeling.xlsx"
    write(small_round(), path, lang="nb")
    sheets = _sheets(path)
    assert list(sheets) == ["Tildelinger", "Ikke innvilget", "Sammendrag", "Grunnlag"]
    assert "Vedtatt" not in sheets["Tildelinger"][0]
    assert "Tildelt" in _figures(sheets["Sammendrag"])


def test_the_lists_are_made_once_per_result_and_again_for_a_changed_copy(
    changed_round: Callable[..., RoundResult],
) -> None:
    """The terminal table and the document of a changed round take the same lists, made once
    (made twice, they cost seconds more at 100 000 applications); a copy with another funder
    or other changes gets its own."""
    result = changed_round()
    first = build(result, "nb")
    assert build(result, "nb") is first
    assert build(result, "en") is not first
    assert build(result, "nb", as_decided=True).as_decided
    other = result.model_copy(update={"funder": "Et annet direktorat"})
    assert build(other, "nb").funder == "Et annet direktorat"
    fewer = result.model_copy(update={"changes": result.changes[:1]})
    assert [line.id for line in build(fewer, "nb").changed] == ["S-001"]


def test_a_reserve_funded_and_withdrawn_since_keeps_its_note(tmp_path: Path) -> None:
    """A reserve funded after the decision and withdrawn since, 0 kr decided and 0 kr now, was
    left out of the lists: the sentence counted "1 endring og 1 tilbaketrekning" and no note
    said what they were (the terminal printed the heading over nothing, the workbook a change
    without its number). Now it is listed at 0 with its note, as a withdrawn award is."""
    result = _small_round(changes=FUNDED_THEN_WITHDRAWN)
    pub = build(result, "nb")
    assert [(line.id, line.amount, line.note) for line in pub.changed] == [("S-005", 0, 1)]
    assert "Søkeren trakk seg" in pub.change_note(pub.changed[0])
    assert pub.summary.awarded == 7_200_000
    placed = {x.id for c in pub.by_municipality for m in c.municipalities for x in m.lines}
    assert "S-005" not in placed
    assert "S-005" not in {x.id for x in build(_small_round(), "nb").by_amount}

    path = tmp_path / "tildeling.xlsx"
    write(result, path, lang="nb")
    sheets = _sheets(path)
    awards = _by_id(sheets["Tildelinger"])
    picked = ("Tildelt", "Vedtatt", "Beløp nå", "Endring nr.", "Status")
    assert tuple(awards["S-005"][k] for k in picked) == (0, 0, 0, 1, "trukket tilbake")
    assert [row[1] for row in sheets["Ikke innvilget"][1:]] == ["S-006", "S-007"]
    assert [row[:2] for row in sheets["Endringer"][1:3]] == [(1, "S-005"), (1, "S-005")]


@given(
    st.lists(
        st.tuples(st.sampled_from(_IDS), st.integers(0, 4_000).map(lambda n: n * 1000)),
        max_size=8,
    ),
    st.sampled_from(["nb", "en"]),
    st.booleans(),
)
def test_the_terminal_says_of_the_changes_what_the_documents_say(
    changes: list[tuple[str, int]], lang: str, as_decided: bool
) -> None:
    """The terminal takes the changes and the figures from ``changes_since`` and
    ``summary_shown``, made of the changed awards alone: the same notes, numbers, sentences
    and figures as the documents' lists (``build``) whatever the changes."""
    from tilskudd.publication import changes_since, summary_shown

    base = _small_round()
    amounts = {d.application_id: d.amount for d in base.allocation.decisions}
    recorded = []
    for application_id, after in changes:
        recorded.append(
            AwardChange(
                application_id=application_id,
                kind="withdraw" if after == 0 else "amend",
                created="2009-10-14T09:00:00+00:00",
                amount_before=amounts[application_id],
                amount_after=after,
                reason="r",
            )
        )
        amounts[application_id] = after

    def fresh() -> RoundResult:
        copy = base.model_copy(update={"changes": tuple(recorded)})
        copy._derived = {}  # nothing one of them worked out is taken by the other
        return copy

    pub = build(fresh(), lang, as_decided=as_decided)
    said = changes_since(fresh(), lang, as_decided=as_decided)
    assert summary_shown(fresh(), as_decided=as_decided) == pub.summary
    if not recorded:
        assert said is None
        return
    assert said is not None
    assert said.lines == pub.changed
    assert said.standing == pub.standing
    assert said.budget_line() == pub.budget_line()
    assert said.standing_sentence() == pub.standing_sentence()
    assert [said.change_note(x) for x in said.lines] == [pub.change_note(x) for x in pub.changed]
