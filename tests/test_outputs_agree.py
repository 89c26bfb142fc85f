"""Every output of a round tells the same figures as its ``RoundResult``, and each other.

Random small rounds go the way ``tilskudd allocate`` takes them: a sheet of applications
(written as a CSV file, as an officer would save one) is read and validated, allocated by
:func:`tilskudd.pipeline.run_round`, shown in the terminal and written in every format. Each
output is then read back as a reader would read it (the workbook with openpyxl, the CSV with
:mod:`csv`, the JSON with :mod:`json`, the Markdown and HTML by parsing their tables, the PDF's
text with pypdf, the 360Giving file as open data) and compared with the result:

- per application: status, amount, amount applied for and (where shown) rank; the award lists
  in rank order (workbook, Markdown);
- budget, awarded and unallocated everywhere, and budget == awarded + unallocated;
- the summary's counts of projects and municipalities (a municipality counted once);
- the per-county figures add up to the awarded total (a collaboration across counties split
  evenly between them, the remainder to its first county; a project that names no place on a
  line of its own; see ``summary.per_county_note``);
- the policy recorded in the workbook is the one used;
- the publication formats (HTML, PDF, Markdown, 360Giving) list exactly the awards;
- a round with quotas: each quota group's awarded amount, count and verdict (within the quota
  or not) are the same in the terminal, the workbook, the JSON, the HTML, the Markdown and the
  PDF, and those of :func:`tilskudd.rules.quotas.quota_totals` over the awards (the documents
  leave out a group no application is in).
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console
from tests.rules.strategies import ORGS, policies
from typer.testing import CliRunner

from tilskudd.cli import app
from tilskudd.errors import QuotaError
from tilskudd.explain import explain, to_data
from tilskudd.export import write
from tilskudd.export.csv import neutralise
from tilskudd.i18n import format_number, get
from tilskudd.models import Decision, Policy, Quota, RoundResult, Status
from tilskudd.money import format_amount
from tilskudd.pipeline import read_applications, run_round
from tilskudd.render.allocation import render_result
from tilskudd.rules.quotas import quota_totals
from tilskudd.summary import RoundSummary, summarise
from tilskudd.wording import (
    column_header,
    county_label,
    county_name,
    municipality_name,
    rank_text,
    status_text,
    summary_sentence,
)

NBSP = "\u00a0"
CREATED = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)
AWARDED = (Status.FUNDED, Status.PARTLY_FUNDED)

# Municipalities (2024 numbering) in several counties, and counties by name for county-wide
# projects (a county council's project names its county, not municipalities).
PLACES = ("0301", "3201", "3301", "5001", "5501", "5601", "4601", "1103", "3901", "4204")
COUNTIES = ("Oslo", "Troms", "Vestland", "Finnmark", "Agder")
HEADER = (
    "Søknadsnr",
    "Søker",
    "Organisasjonsnummer",
    "Prosjekt",
    "Kommuner",
    "Fylke",
    "Omsøkt beløp",
    "Totalkostnad",
    "Poeng",
    "Kategori",
    "region",
    "Vedtak",
    "Vedtaksbeløp",
    "Begrunnelse",
)
# Titles as applicants type them, and as a hostile one might: formula starters, markup, pipes,
# Sami and Norwegian letters, an emoji.
TITLE_CHARS = "\nabcæøåÆØÅáčđŋšŧž XYZ 0123456789 =+-@|*_<>&#`[]~\\'\"!?.,;:()/😀"
APPLICANTS = (
    "Bærum kommune",
    "Guovdageainnu suohkan",
    '=HYPERLINK("http://x")',
    "+47 Lag",
    "-Minus AS",
    "@Hjem SA",
    "Ås | Vest <b>",
    "Tromsø kommune",
)


@st.composite
def titles(draw: st.DrawFn) -> str:
    """A project title: usually short, sometimes long, starting with anything."""
    text = draw(st.text(TITLE_CHARS, min_size=1, max_size=draw(st.sampled_from([20, 20, 300]))))
    start = draw(st.sampled_from(["", "", "=", "+", "-", "@", "Å"]))
    title = (start + text).strip()
    return title or "Prosjekt"


@st.composite
def sheets(draw: st.DrawFn) -> list[list[str]]:
    """An applications sheet: valid rows of every kind, and some rows with errors."""
    n = draw(st.integers(1, 10))
    rows = [list(HEADER)]
    for i in range(n):
        kind = draw(st.sampled_from(["ok"] * 8 + ["bad_orgnr", "bad_amount"]))
        where = draw(st.sampled_from(["one", "one", "many", "county", "none"]))
        municipalities = ""
        county = ""
        if where == "one":
            municipalities = draw(st.sampled_from(PLACES))
        elif where == "many":
            chosen = draw(st.lists(st.sampled_from(PLACES), min_size=2, max_size=4, unique=True))
            municipalities = ", ".join(chosen)
        elif where == "county":
            county = draw(st.sampled_from(COUNTIES))
        requested = draw(st.integers(1, 2_000_000))
        cost = draw(st.one_of(st.none(), st.integers(requested, 5 * requested)))
        orgnr = draw(st.sampled_from(("", *ORGS, "959159092", "940250016")))
        amount = str(requested)
        if kind == "bad_orgnr":
            orgnr = "123456789"
        elif kind == "bad_amount":
            amount = "3,300"
        decision = draw(st.sampled_from(["", "", "", "", "", "", "innvilg", "avslå", "reserve"]))
        decided = [decision, "", "Vedtak i styret" if decision else ""]
        if decision == "innvilg":
            decided[1] = str(draw(st.integers(1, requested)))
        same = i > 0 and draw(st.integers(0, 9)) == 0  # an id typed twice: both rejected
        rows.append(
            [
                f"S-{i}" if same else f"S-{i + 1}",
                draw(st.sampled_from(APPLICANTS)),
                orgnr,
                draw(titles()),
                municipalities,
                county,
                amount,
                "" if cost is None else str(cost),
                draw(st.sampled_from(["3", "4", "4,5", "5", "5", "6"])),
                draw(st.sampled_from(["", "Skole", "Helse"])),
                draw(st.sampled_from(["", "=1+1", "Nord", "Sør"])),
                *decided,
            ]
        )
    if draw(st.integers(0, 3)) == 0:
        # Ranks given by the officer (gaps and equal ranks as people leave them).
        rows[0].append("Rangering")
        for row in rows[1:]:
            row.append(str(draw(st.integers(1, n + 2))))
    return rows


@st.composite
def round_policies(draw: st.DrawFn) -> Policy:
    """Ranked or proportional (a lottery now and then), with reserve, per_applicant_max and
    (ranked) quotas sometimes."""
    rule = draw(st.sampled_from(["ranked", "ranked", "proportional", "proportional", "lottery"]))
    policy = draw(policies(rule))
    if rule == "lottery":
        band = draw(st.sampled_from([Decimal(0), Decimal(1)]))
        policy = policy.model_copy(update={"seed": draw(st.integers(0, 99)), "lottery_band": band})
    if rule == "ranked" and draw(st.booleans()):
        # Maximums only: they can always be met, so the round is always allocated.
        quota = draw(
            st.sampled_from(
                [
                    Quota(by="county", value="*", max_share=Decimal("0.4")),
                    Quota(by="category", value="Skole", max_count=1),
                    Quota(by="county", value="Oslo", max_amount=500_000),
                ]
            )
        )
        policy = policy.model_copy(update={"quotas": (quota,)})
    return policy


@contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="tilskudd-agree-") as name:
        yield Path(name)


def allocated(
    tmp: Path, sheet: list[list[str]], budget: int, policy: Policy, *, named: bool = True
) -> RoundResult:
    """The round as ``tilskudd allocate`` makes it: the sheet read, validated and allocated
    (``named``: as a programme's round, with its programme, round and funder)."""
    source = tmp / "søknader.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(sheet)
    checked = read_applications(source, rule=policy.rule)
    try:
        return run_round(
            checked,
            budget,
            policy,
            created=CREATED,
            programme="IKT-tilskudd" if named else None,
            round_name="Runde 1" if named else None,
            funder="Difi" if named else None,
        )
    except QuotaError:
        # Refused before anything is allocated, as documented: the officer's decisions to
        # fund already pass a quota's maximum.
        reject()


# --- what each output should say -------------------------------------------------------------


def money(amount: int, lang: str) -> str:
    return format_amount(amount, lang).replace(NBSP, " ")


def plain_text(text: str) -> str:
    """Text with non-breaking spaces as spaces and whitespace runs as one space."""
    return re.sub(r"\s+", " ", text.replace(NBSP, " ")).strip()


def awards(result: RoundResult) -> list[Decision]:
    return [d for d in result.allocation.decisions if d.status in AWARDED]


def check_totals(result: RoundResult) -> RoundSummary:
    """The result itself: budget accounted for, counts as the awards give them."""
    allocation = result.allocation
    summary = summarise(result)
    assert allocation.budget == allocation.awarded + allocation.unallocated
    assert allocation.awarded == sum(d.amount for d in allocation.decisions)
    funded = awards(result)
    apps = result.applications_by_id()
    assert summary.funded == len(funded)
    places = {m for d in funded for m in apps[d.application_id].municipalities}
    assert summary.municipalities == len(places)
    assert summary.counties == len({c for d in funded for c in apps[d.application_id].counties})
    return summary


def expected_per_county(result: RoundResult) -> dict[str | None, int]:
    """Awards per county by the documented rule: a collaboration across counties split evenly,
    the remainder to its first county; an award that names no place under no county (None)."""
    apps = result.applications_by_id()
    out: Counter[str | None] = Counter()
    for d in awards(result):
        counties = apps[d.application_id].counties
        if not counties:
            out[None] += d.amount
            continue
        share, rest = divmod(d.amount, len(counties))
        for county in counties:
            out[county] += share
        out[counties[0]] += rest
    return dict(out)


def projects_per_county(result: RoundResult) -> Counter[str | None]:
    """Awarded projects per county: a collaboration counts once in each of its counties."""
    apps = result.applications_by_id()
    out: Counter[str | None] = Counter()
    for d in awards(result):
        out.update(apps[d.application_id].counties or (None,))
    return out


# --- readers ---------------------------------------------------------------------------------


def sheet_rows(book: Any, title: str) -> list[list[Any]]:
    return [list(r) for r in book[title].iter_rows(values_only=True)]


def as_records(rows: list[list[Any]]) -> list[dict[str, Any]]:
    header = rows[0]
    return [dict(zip(header, r, strict=False)) for r in rows[1:]]


def requested_of(result: RoundResult, decision: Decision) -> int | None:
    """The amount applied for, as the sheet gave it (None where it could not be read)."""
    app = result.applications_by_id().get(decision.application_id)
    if app is not None:
        return app.requested
    return result.rejected_by_id()[decision.application_id].requested


def requested_shown(result: RoundResult, decision: Decision) -> int | str | None:
    """The amount applied for as the lists show it: as read, or, where its cell had an error,
    as it was typed (None where there was nothing)."""
    requested = requested_of(result, decision)
    if requested is not None or decision.application_id not in result.rejected_by_id():
        return requested
    return result.rejected_by_id()[decision.application_id].typed.get("requested")


def check_quotas(result: RoundResult, rows: list[list[Any]], lang: str) -> None:
    """The summary's table of quotas: each group with what it was awarded, how many of its
    applications were funded, and whether it is within its limits."""
    t = get(lang)
    allocation = result.allocation
    awards = {d.application_id: d.amount for d in allocation.decisions}
    totals = quota_totals(result.applications, awards, allocation.budget, allocation.policy)
    at = [r[0] if r else None for r in rows].index(t("summary.label.quotas"))
    lines = rows[at + 2 : at + 2 + len(totals)]
    assert len(lines) == len(totals)
    for line, total, quota in zip(lines, totals, expected_quotas(result, lang), strict=True):
        group = total.group
        assert line[0] == quota[0]
        assert line[5:7] == [total.amount, total.count]
        assert line[2] == group.most
        within = (
            total.amount >= group.least
            and (group.most is None or total.amount <= group.most)
            and total.count >= (group.min_count or 0)
            and (group.max_count is None or total.count <= group.max_count)
        )
        assert line[7] == t("summary.label.quota_yes" if within else "summary.label.quota_no")


def expected_quotas(result: RoundResult, lang: str) -> list[tuple[str, int, int, bool, int]]:
    """Each quota group as the outputs should give it: (label, awarded, funded, within the
    quota, how many applications are in it), counted here from the decisions."""
    allocation = result.allocation
    awards = {d.application_id: d.amount for d in allocation.decisions}
    out = []
    for total in quota_totals(result.applications, awards, allocation.budget, allocation.policy):
        group = total.group
        label = group.phrase.render(lang)
        within = (
            total.amount >= group.least
            and (group.most is None or total.amount <= group.most)
            and total.count >= (group.min_count or 0)
            and (group.max_count is None or total.count <= group.max_count)
        )
        out.append(
            (label[:1].upper() + label[1:], total.amount, total.count, within, len(group.members))
        )
    return out


def published_quotas(result: RoundResult, lang: str) -> list[tuple[str, int, int, str]]:
    """The quota groups a document shows (those some application is in), with the verdict as
    its table words it."""
    t = get(lang)
    return [
        (label, amount, count, t("summary.label.quota_yes" if within else "summary.label.quota_no"))
        for label, amount, count, within, members in expected_quotas(result, lang)
        if members
    ]


def assert_by_rank(ranks: list[int | None]) -> None:
    """Awards are listed by rank (as the workbook and the Markdown say they are)."""
    ranked = [r for r in ranks if r is not None]
    assert ranked == sorted(ranked), ranks


def check_workbook(result: RoundResult, path: Path, lang: str) -> None:
    t = get(lang)
    h = lambda field: column_header(field, lang)  # noqa: E731
    book = openpyxl.load_workbook(path, data_only=True)
    by_id = result.allocation.by_id()
    funded = as_records(sheet_rows(book, t("ui.sheet.awards")))
    others = as_records(sheet_rows(book, t("ui.sheet.others")))
    assert sorted(r[h("id")] for r in funded) == sorted(d.application_id for d in awards(result))
    assert len(funded) + len(others) == len(by_id)
    for record in funded + others:
        decision = by_id[record[h("id")]]
        assert record[h("status")] == status_text(decision.status, lang)
        assert record[h("rank")] == decision.rank
        assert record[h("requested")] == requested_shown(result, decision)
    for record in funded:
        assert record[h("awarded")] == by_id[record[h("id")]].amount
    assert_by_rank([record[h("rank")] for record in funded])
    for record in others:
        assert by_id[record[h("id")]].amount == 0

    summary = summarise(result)
    rows = sheet_rows(book, t("ui.sheet.summary"))
    assert rows[1][0] == summary_sentence(summary, lang, round_name=result.round)
    figures = {r[0]: r[1] for r in rows if r and r[0] is not None}
    label = lambda name: t(f"summary.label.{name}")  # noqa: E731
    assert figures[label("budget")] == result.allocation.budget
    assert figures[label("awarded")] == result.allocation.awarded
    assert figures[label("unallocated")] == result.allocation.unallocated
    assert figures[label("check")] == 0
    assert figures[label("applications")] == len(by_id)
    if not names_places(result, lang):
        # No award names a place: no places counted, no table per county.
        assert label("municipalities") not in figures
        assert label("counties") not in figures
        assert label("per_county") not in figures
        # The table by status ends it (before the table of quotas, in a round with quotas).
        firsts = [r[0] if r else None for r in rows]
        end = firsts.index(label("quotas")) - 1 if result.allocation.policy.quotas else len(rows)
        assert rows[end - 1][:2] == [t("ui.total"), len(by_id)]
        assert summary.municipalities == summary.counties == 0
    else:
        assert figures[label("municipalities")] == summary.municipalities
        assert figures[label("counties")] == summary.counties
    statuses = Counter(d.status for d in by_id.values())
    for status in Status:
        assert figures[status_text(status, lang)] == statuses[status]
    valid_requested = sum(a.requested for a in result.applications)
    assert figures[label("requested")] == valid_requested
    if result.allocation.budget:
        ratio = Fraction(valid_requested, result.allocation.budget)
        shown = Decimal(repr(figures[label("oversubscription")]))
        assert abs(shown - Decimal(ratio.numerator) / ratio.denominator) <= Decimal("0.005")
    if names_places(result, lang):
        check_per_county(result, rows, lang)
    if result.allocation.policy.quotas:
        check_quotas(result, rows, lang)

    settings_rows = sheet_rows(book, t("ui.sheet.policy"))
    assert policy_from_sheet(settings_rows, lang) == result.allocation.policy


def check_per_county(result: RoundResult, rows: list[list[Any]], lang: str) -> None:
    """The workbook's table per county, from its header to its total row."""
    t = get(lang)
    label = lambda name: t(f"summary.label.{name}")  # noqa: E731
    start = next(i for i, r in enumerate(rows) if r[0] == label("per_county")) + 2
    end = next(i for i in range(start, len(rows)) if rows[i][0] == t("ui.total"))
    lines = {r[0]: (r[1], r[2]) for r in rows[start:end]}
    expected = expected_per_county(result)
    projects = projects_per_county(result)
    named = {
        (county_label(c) if c is not None else t("doc.no_place")): (projects[c], v)
        for c, v in expected.items()
    }
    assert lines == named
    assert rows[end][2] == result.allocation.awarded


def policy_from_sheet(rows: list[list[Any]], lang: str) -> Policy:
    """The policy recorded on the policy sheet, read back into a Policy."""
    none = get(lang)("ui.basis.none")
    fields = set(Policy.model_fields)
    data: dict[str, Any] = {}
    for row in rows[1:]:
        if not row or row[0] not in fields:
            continue
        name, value = row[0], row[1]
        if value == none and name in ("tie_break", "quotas"):
            value = ()
        elif value == none and Policy.model_fields[name].default is None:
            value = None
        elif name == "quotas":
            value = tuple(parse_quota(part) for part in str(value).split("; "))
        elif name in ("max_share_of_cost", "min_score", "lottery_band"):
            value = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        elif name == "time_limit":
            value = float(value)
        data[name] = value
    return Policy(**data)


def parse_quota(text: str) -> Quota:
    head, _, limits = text.partition(": ")
    by, _, value = head.partition(" ")
    data: dict[str, Any] = {"by": by, "value": value}
    for limit in limits.split(", "):
        key, _, number = limit.partition(" ")
        data[key] = number
    return Quota(**data)


def check_csv(result: RoundResult, path: Path, lang: str, dialect: str) -> None:
    encoding = "utf-8-sig" if dialect == "excel" else "utf-8"
    delimiter = ";" if dialect == "excel" else ","
    text = path.read_text(encoding=encoding)
    records = as_records(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    h = lambda field: column_header(field, lang)  # noqa: E731
    by_id = result.allocation.by_id()
    ids = [unquote(r[h("id")]) for r in records]
    assert sorted(ids) == sorted(by_id)
    for app_id, record in zip(ids, records, strict=True):
        decision = by_id[app_id]
        assert record[h("status")] == status_text(decision.status, lang)
        assert int(record[h("awarded")]) == decision.amount
        assert record[h("rank")] == rank_text(decision)
        requested = requested_shown(result, decision)
        assert record[h("requested")] == ("" if requested is None else neutralise(str(requested)))


def unquote(text: str) -> str:
    """A cell as written before the CSV's leading apostrophe (a formula starter made text)."""
    return text[1:] if text.startswith("'") and text[1:2] in "=+-@\t\r" else text


def check_json(result: RoundResult, path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    allocation = result.allocation
    summary = summarise(result)
    assert (data["budget"], data["awarded"], data["unallocated"]) == (
        allocation.budget,
        allocation.awarded,
        allocation.unallocated,
    )
    by_id = allocation.by_id()
    assert sorted(a["id"] for a in data["applications"]) == sorted(by_id)
    for entry in data["applications"]:
        decision = by_id[entry["id"]]
        assert entry["status"] == decision.status.value
        assert entry["amount"] == decision.amount
        assert entry["rank"] == decision.rank
    s = data["summary"]
    assert s["funded"] == summary.funded == len(awards(result))
    assert s["municipalities"] == summary.municipalities
    projects = {line["county"]: line["projects"] for line in s["per_county"]}
    if s["no_county"]["projects"]:
        projects[None] = s["no_county"]["projects"]
    assert projects == projects_per_county(result)
    counties = {line["county"]: line["awarded"] for line in s["per_county"]}
    if s["no_county"]["projects"]:
        counties[None] = s["no_county"]["awarded"]
    assert counties == expected_per_county(result)
    assert sum(counties.values()) == allocation.awarded
    assert policy_from_json(data["policy"]) == allocation.policy
    quotas = [
        (q["group"], q["awarded"], q["funded"], q["met"]) for q in data["summary"].get("quotas", [])
    ]
    assert quotas == [q[:4] for q in expected_quotas(result, data["lang"])]
    assert ("quotas" in data["summary"]) == bool(allocation.policy.quotas)


def policy_from_json(data: dict[str, Any]) -> Policy:
    """The policy as the JSON records it (decimals as text), read back into a Policy."""
    decimals = ("max_share_of_cost", "min_score", "lottery_band")
    values = {k: (Decimal(v) if k in decimals and v is not None else v) for k, v in data.items()}
    return Policy.model_validate(values)


class Tables(HTMLParser):
    """The tables of an HTML page: each a list of rows, each a list of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None
        self.texts: list[str] = []
        self.lead: list[str] = []
        self.in_lead = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []
        elif tag == "p" and ("class", "lead") in attrs:
            self.in_lead = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell))
            self.cell = None
        elif tag == "p":
            self.in_lead = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        if self.in_lead:
            self.lead.append(data)
        self.texts.append(data)


def award_line(result: RoundResult, decision: Decision, lang: str) -> tuple[str, str, str]:
    """(applicant, project, amount) as the documents show an award."""
    app = result.applications_by_id()[decision.application_id]
    return (
        plain_text(app.applicant or ""),
        plain_text(app.project or ""),
        money(decision.amount, lang),
    )


def places_of(result: RoundResult, decision: Decision, lang: str) -> str:
    app = result.applications_by_id()[decision.application_id]
    t = get(lang)
    if app.municipalities:
        return t.join([municipality_name(m) or m for m in app.municipalities])
    return t.join([t("doc.whole_county", county=county_name(c) or c) for c in app.counties])


def names_places(result: RoundResult, lang: str) -> bool:
    """Whether an award names a place: a round that names none is published without places."""
    return any(places_of(result, d, lang) for d in awards(result))


def amount_of(text: str, lang: str) -> int:
    """An amount as a document shows it (``3 300 000 kr``, ``NOK 3,300,000``) as kroner."""
    digits = text.replace("kr", "").replace("NOK", "").replace(",", "").replace(" ", "")
    assert digits.isdigit(), text
    return int(digits)


def check_html(result: RoundResult, path: Path, lang: str) -> None:
    parser = Tables()
    page = path.read_text(encoding="utf-8")
    parser.feed(page)
    allocation = result.allocation
    summary = summarise(result)
    lead = plain_text("".join(parser.lead))
    assert lead == plain_text(summary_sentence(summary, lang))
    t = get(lang)
    figures = plain_text(" ".join(parser.texts))
    published = published_quotas(result, lang)
    if published:
        # The table of quotas comes last.
        *parser.tables, quotas = parser.tables
        assert [
            (plain_text(r[0]), amount_of(plain_text(r[2]), lang), int(r[3]), r[4])
            for r in quotas[1:]
        ] == [(plain_text(q[0]), *q[1:]) for q in published]
    places = names_places(result, lang)
    municipalities = (
        t("summary.label.municipalities"),
        format_number(summary.municipalities, lang),
    )
    for label, value in (
        (t("summary.label.budget"), money(allocation.budget, lang)),
        (t("summary.label.awarded"), money(allocation.awarded, lang)),
        (t("summary.label.unallocated"), money(allocation.unallocated, lang)),
        (column_header("projects", lang), format_number(len(awards(result)), lang)),
        *([municipalities] if places else []),
        (t("summary.label.applications"), format_number(len(allocation.decisions), lang)),
    ):
        assert plain_text(f"{label} {value}") in figures, (label, value)
    if not places:
        assert plain_text(" ".join(municipalities)) not in figures
    funded = awards(result)
    if not funded:
        assert parser.tables == []
        return
    if not places:
        # No award names a place: one list, without a column of places, and no chart.
        (by_amount,) = parser.tables
        rows = [[plain_text(c) for c in r] for r in by_amount]
        body, total = rows[1:-1], rows[-1]
        assert Counter((r[1], r[2], r[3]) for r in body) == Counter(
            award_line(result, d, lang) for d in funded
        )
        assert total[-1] == money(allocation.awarded, lang)
        assert "<svg" not in page
        return
    by_amount, by_municipality = parser.tables
    rows = [[plain_text(c) for c in r] for r in by_amount]
    body, total = rows[1:-1], rows[-1]
    assert Counter((r[1], r[2], r[4]) for r in body) == Counter(
        award_line(result, d, lang) for d in funded
    )
    assert Counter(r[3] for r in body) == Counter(
        plain_text(places_of(result, d, lang)) for d in funded
    )
    assert total[-1] == money(allocation.awarded, lang)
    # By municipality: each award once under each of its municipalities (or counties).
    apps = result.applications_by_id()
    listed = Counter(
        # The amount without the shared mark and the words a screen reader gets for it.
        (r[1], r[2], r[3].partition("*")[0])
        for r in ([plain_text(c) for c in row] for row in by_municipality[1:-1])
        if len(r) == 4
    )
    expected: Counter[tuple[str, str, str]] = Counter()
    for d in funded:
        app = apps[d.application_id]
        expected[award_line(result, d, lang)] += max(
            1, len(app.municipalities) or len(app.counties)
        )
    assert listed == expected
    assert plain_text(by_municipality[-1][-1]) == money(allocation.awarded, lang)
    # The chart's bars, "NOK 1,000 · 2 projects" each, add up to the total awarded.
    values = [plain_text(v) for v in re.findall(r"<text[^>]*>([^<]*·[^<]*)</text>", page)]
    assert sum(amount_of(v.split(" · ")[0], lang) for v in values) == allocation.awarded
    text = plain_text(" ".join(parser.texts))
    assert (
        plain_text(
            get(lang)(
                "ui.budget_line",
                budget=allocation.budget,
                awarded=allocation.awarded,
                unallocated=allocation.unallocated,
            )
        )
        in text
    )


def check_markdown(result: RoundResult, path: Path, lang: str) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))
    tables: list[list[list[str]]] = []
    cells: list[str] | None = None
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            cells = []
        elif token.type == "inline" and cells is not None:
            cells.append(inline_text(token))
        elif token.type == "tr_close" and cells is not None:
            tables[-1].append(cells)
            cells = None
    published = published_quotas(result, lang)
    if published:
        # The table of quotas comes last.
        *tables, quotas = tables
        assert [
            (plain_text(r[0]), amount_of(plain_text(r[2]), lang), int(r[3]), r[4])
            for r in quotas[1:]
        ] == [(plain_text(q[0]), *q[1:]) for q in published]
    assert len(tables) <= 1
    rows = tables[0] if tables else []
    funded = awards(result)
    if not funded:
        assert rows == []
        return
    body, total = rows[1:-1], rows[-1]
    if not names_places(result, lang):
        # No award names a place: no column of places (rank, applicant, project, requested,
        # awarded, status); read as the table with one.
        body = [[*r[:3], "", *r[3:]] for r in body]
        total = [*total[:3], "", *total[3:]]
    by_id = result.allocation.by_id()
    expected = Counter(
        (
            rank_text(d),
            *award_line(result, d, lang),
            money(requested_of(result, d) or 0, lang),
            status_text(d.status, lang),
        )
        for d in (by_id[d.application_id] for d in funded)
    )
    got = Counter(
        (r[0], plain_text(r[1]), plain_text(r[2]), plain_text(r[5]), plain_text(r[4]), r[6])
        for r in body
    )
    assert got == expected
    assert_by_rank([int(r[0].rstrip("=")) if r[0] else None for r in body])
    assert plain_text(total[5]) == money(result.allocation.awarded, lang)


def inline_text(token: Any) -> str:
    """The text of an inline token as a reader sees it (escapes undone, emphasis dropped)."""
    return "".join(
        child.content for child in token.children or [] if child.type in ("text", "code_inline")
    ) or "".join(child.content for child in token.children or [] if child.type == "softbreak")


def check_giving360(result: RoundResult, xlsx: Path, csv_path: Path) -> None:
    apps = result.applications_by_id()
    expected = Counter(
        (
            f"360G-tilskudd-{d.application_id}",
            d.amount,
            apps[d.application_id].requested,
            # A project's municipalities, or for a county's own project its county.
            "; ".join(apps[d.application_id].municipalities or apps[d.application_id].counties),
        )
        for d in awards(result)
    )
    book = openpyxl.load_workbook(xlsx, data_only=True)
    records = as_records(sheet_rows(book, "grants"))
    got = Counter(
        (
            r["Identifier"],
            r["Amount Awarded"],
            r["Amount Applied For"],
            r["Beneficiary Location:Geographic Code"] or "",
        )
        for r in records
    )
    assert got == expected
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    got = Counter(
        (
            unquote(r["Identifier"]),
            int(r["Amount Awarded"]),
            int(r["Amount Applied For"]),
            r["Beneficiary Location:Geographic Code"],
        )
        for r in rows
    )
    assert got == expected


def check_terminal(result: RoundResult, lang: str) -> None:
    console = Console(file=io.StringIO(), width=400, color_system=None)
    render_result(console, result, lang=lang)
    text = console.file.getvalue().replace(NBSP, " ")  # type: ignore[attr-defined]
    summary = summarise(result)
    allocation = result.allocation
    flat = plain_text(text)
    assert plain_text(summary_sentence(summary, lang, round_name=result.round)) in flat
    line = get(lang)(
        "ui.budget_line",
        budget=allocation.budget,
        awarded=allocation.awarded,
        unallocated=allocation.unallocated,
    )
    assert plain_text(line) in flat
    lines = text.splitlines()
    for decision in allocation.decisions:
        # The first line of each row holds its rank, id, amount and status.
        found = [
            row
            for row in lines
            if re.search(rf"(^|\s){re.escape(decision.application_id)}\s", row)
            and status_text(decision.status, lang) in row
        ]
        assert found, decision
        shown = money(decision.amount, lang) if decision.amount else "–"
        assert any(shown in row for row in found), (decision, found)
        if decision.rank is not None:
            assert any(row.split()[0] == rank_text(decision) for row in found), found
    # Under the summary, a line per quota group (one line each at this width).
    verdicts = {True: get(lang)("doc.quota.met"), False: get(lang)("doc.quota.not_met")}
    for label, amount, count, within, _members in expected_quotas(result, lang):
        (said,) = [row for row in lines if row.startswith(f"- {label}:")]
        said = plain_text(said)
        assert money(amount, lang) in said.split(";")[-1], said
        assert plain_text(get(lang)("summary.applications", n=count)) in said, said
        assert said.endswith(f": {verdicts[within]}"), said
    # The footer: the total requested (valid applications) and the total awarded.
    total = get(lang)("ui.total")
    footer = [row for row in lines if re.search(rf"(^|\s){re.escape(total)}\s", row)]
    assert footer
    assert money(summary.requested, lang) in footer[-1]
    assert money(allocation.awarded, lang) in footer[-1]


def check_explain(result: RoundResult, lang: str) -> None:
    for decision in result.allocation.decisions:
        data = to_data(explain(result, decision.application_id, what_if=False), lang)
        assert (data["status"], data["amount"], data["rank"], data["budget"]) == (
            decision.status.value,
            decision.amount,
            decision.rank,
            result.allocation.budget,
        )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(sheet=sheets(), policy=round_policies(), lang=st.sampled_from(["nb", "en"]), data=st.data())
def test_every_output_tells_the_figures_of_the_result(
    sheet: list[list[str]], policy: Policy, lang: str, data: st.DataObject
) -> None:
    requested = sum(int(r[6]) for r in sheet[1:] if r[6].isdigit())
    decided = sum(int(r[12]) for r in sheet[1:] if r[11] == "innvilg" and r[6].isdigit())
    budget = data.draw(st.integers(decided, requested * 11 // 10 + 1), label="budget")
    with folder() as tmp:
        result = allocated(tmp, sheet, budget, policy)
        check_totals(result)
        check_terminal(result, lang)
        outputs = {
            "xlsx": tmp / "tildeling.xlsx",
            "csv": tmp / "tildeling.csv",
            "plain": tmp / "plain.csv",
            "json": tmp / "tildeling.json",
            "html": tmp / "tildeling.html",
            "md": tmp / "tildeling.md",
            "g_xlsx": tmp / "g.xlsx",
            "g_csv": tmp / "g.csv",
        }
        write(result, outputs["xlsx"], lang=lang)
        write(result, outputs["csv"], lang=lang)
        write(result, outputs["plain"], lang=lang, csv_dialect="plain")
        write(result, outputs["json"], lang=lang)
        write(result, outputs["html"], lang=lang)
        write(result, outputs["md"], lang=lang)
        write(result, outputs["g_xlsx"], format="360giving", lang=lang)
        write(result, outputs["g_csv"], format="360giving", lang=lang)
        check_workbook(result, outputs["xlsx"], lang)
        check_csv(result, outputs["csv"], lang, "excel")
        check_csv(result, outputs["plain"], lang, "plain")
        check_json(result, outputs["json"])
        check_html(result, outputs["html"], lang)
        check_markdown(result, outputs["md"], lang)
        check_giving360(result, outputs["g_xlsx"], outputs["g_csv"])
        check_explain(result, lang)


def check_pdf(result: RoundResult, path: Path, lang: str) -> None:
    """The PDF's text: the summary figures, every award's amount and the totals."""
    reader = pypdf.PdfReader(path)
    text = plain_text(" ".join(page.extract_text() for page in reader.pages))
    allocation = result.allocation
    summary = summarise(result)
    t = get(lang)
    for label, value in (
        (t("summary.label.budget"), money(allocation.budget, lang)),
        (t("summary.label.awarded"), money(allocation.awarded, lang)),
        (t("summary.label.unallocated"), money(allocation.unallocated, lang)),
    ):
        assert label in text
        assert value in text
    line = t(
        "ui.budget_line",
        budget=allocation.budget,
        awarded=allocation.awarded,
        unallocated=allocation.unallocated,
    )
    assert plain_text(line) in text
    assert plain_text(summary_sentence(summary, lang)) in text
    for decision in awards(result):
        assert money(decision.amount, lang) in text
    for label, amount, count, verdict in published_quotas(result, lang):
        assert plain_text(f"{money(amount, lang)} {count} {verdict}") in text, label
    # The chart's bars ("NOK 1,000 · 2 projects") add up to the total awarded.
    bars = re.findall(r"((?:NOK )?[\d ,]+\d(?: kr)?) · \d+ (?:prosjekt|project)", text)
    if names_places(result, lang):
        assert sum(amount_of(b.strip(), lang) for b in bars) == allocation.awarded, bars
    else:
        assert bars == []  # no chart of counties in a round that names no place


def policy_toml(policy: Policy) -> str:
    """The policy as a policy file says it (the settings that differ from the defaults)."""
    lines = ["[policy]"]
    defaults = Policy()
    for name in Policy.model_fields:
        value = getattr(policy, name)
        if name == "quotas" or value == getattr(defaults, name):
            continue
        if name == "tie_break":
            text = ", ".join(f"{s.column} {'desc' if s.descending else 'asc'}" for s in value)
            lines.append(f'tie_break = "{text}"')
        elif name == "max_share_of_cost":
            lines.append(f'max_share_of_cost = "{value * 100} %"')
        elif isinstance(value, Decimal | str):
            lines.append(f'{name} = "{value}"')
        else:
            lines.append(f"{name} = {value}")
    for quota in policy.quotas:
        lines.append("[[policy.quotas]]")
        for key, value in quota.model_dump(exclude_none=True).items():
            lines.append(
                f'{key} = "{value}"' if isinstance(value, str | Decimal) else f"{key} = {value}"
            )
    return "\n".join(lines) + "\n"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheet=sheets(), policy=round_policies(), lang=st.sampled_from(["nb", "en"]), data=st.data())
def test_the_command_writes_what_the_library_allocates(
    sheet: list[list[str]], policy: Policy, lang: str, data: st.DataObject
) -> None:
    """Through ``tilskudd allocate`` (CliRunner): the workbook and the PDF it writes tell the
    figures of the round the library allocates from the same file and policy (the PDF only on
    a few examples: fpdf2 is slow)."""
    requested = sum(int(r[6]) for r in sheet[1:] if r[6].isdigit())
    decided = sum(int(r[12]) for r in sheet[1:] if r[11] == "innvilg" and r[6].isdigit())
    budget = data.draw(st.integers(decided, requested * 11 // 10 + 1), label="budget")
    with folder() as tmp:
        result = allocated(tmp, sheet, budget, policy, named=False)
        # A sheet with no valid application is refused by the command, as documented.
        assume(result.applications)
        policy_file = tmp / "policy.toml"
        policy_file.write_text(policy_toml(policy), encoding="utf-8")
        for name in ("tildeling.xlsx", "tildeling.pdf"):
            args = ["allocate", str(tmp / "søknader.csv"), "--budget", str(budget)]
            args += ["--policy", str(policy_file), "--lang", lang, "-o", str(tmp / name)]
            run = CliRunner().invoke(app, args)
            assert run.exit_code == 0, run.output
        check_workbook(result, tmp / "tildeling.xlsx", lang)
        check_pdf(result, tmp / "tildeling.pdf", lang)
