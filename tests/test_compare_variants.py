"""Comparing whole policies and budgets (tilskudd.compare.compare_variants), and the CLI's
``--compare streng.toml,raus.toml`` and ``--compare-budget 20M,25M``."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from cli.entrypoint import run_main
from rules.strategies import applications, policies
from tilskudd.cli import app
from tilskudd.compare import (
    Variant,
    compare_variants,
    differing_settings,
    setting_rows,
)
from tilskudd.errors import PolicyError
from tilskudd.export.compare_xlsx import sheet_names, write
from tilskudd.models import Application, Policy
from tilskudd.render.compare import render_comparison
from tilskudd.rules import allocate

MakeApp = Callable[..., Application]
SMALL = Path(__file__).resolve().parents[1] / "examples" / "small.xlsx"

runner = CliRunner()


@pytest.fixture
def round4(make_application: MakeApp) -> list[Application]:
    """Requests 400k, 300k, 200k, 100k at 20 % of a cost five times that; scores 9..6."""
    return [
        make_application(id=i, score=Decimal(s), requested=r, orgnr=None, applicant=f"Søker {i}")
        for i, s, r in [("A", 9, 400_000), ("B", 8, 300_000), ("C", 7, 200_000), ("D", 6, 100_000)]
    ]


STRICT = Policy(max_award=200_000, min_score=Decimal(7))
GENEROUS = Policy(max_award=300_000)


def test_each_variant_runs_its_own_policy_and_budget(round4: list[Application]) -> None:
    comparison = compare_variants(
        round4,
        [Variant("streng", STRICT, 600_000), Variant("raus", GENEROUS, 600_000)],
    )
    assert comparison.rules == ("streng", "raus")
    assert comparison.kind == "policies"
    strict, generous = comparison.figures
    # streng: A 200k, B 200k, C 200k (capped), D below the minimum score.
    assert [d.amount for d in strict.allocation.decisions] == [200_000, 200_000, 200_000, 0]
    # raus: A 300k, B 300k, nothing left for C and D.
    assert [d.amount for d in generous.allocation.decisions] == [300_000, 300_000, 0, 0]
    assert [d.application_id for d in comparison.differences] == ["A", "B", "C"]
    assert comparison.differences[0].outcomes[0][1] == 200_000
    for f in comparison.figures:
        assert f.awarded + f.unallocated == 600_000


def test_the_settings_that_differ_are_named_with_each_variant_s_value(
    round4: list[Application],
) -> None:
    comparison = compare_variants(
        round4,
        [Variant("streng", STRICT, 600_000), Variant("raus", GENEROUS, 700_000)],
    )
    assert differing_settings(comparison) == [
        ("budget", [600_000, 700_000]),
        ("max_award", [200_000, 300_000]),
        ("min_score", [Decimal(7), None]),
    ]
    assert setting_rows(comparison, "nb") == [
        ("budget", ["600\u00a0000\u00a0kr", "700\u00a0000\u00a0kr"]),
        ("max_award", ["200\u00a0000\u00a0kr", "300\u00a0000\u00a0kr"]),
        ("min_score", ["7", "ingen"]),
    ]
    assert setting_rows(comparison, "en")[2] == ("min_score", ["7", "none"])


def test_two_variants_alike_are_said_not_shown_twice(round4: list[Application]) -> None:
    same = Policy(max_award=Decimal(200_000), min_score=Decimal("7.0"))  # as STRICT
    with pytest.raises(PolicyError) as caught:
        compare_variants(
            round4,
            [
                Variant("streng", STRICT, 600_000),
                Variant("raus", GENEROUS, 600_000),
                Variant("streng2", same, 600_000),
            ],
        )
    assert str(caught.value) == (
        "streng and streng2 have the same policy and budget: nothing would differ between "
        "them; change one or leave it out"
    )
    assert caught.value.text("nb").startswith("streng og streng2 har samme tildelingsregler")
    # The same policy with another budget is a variant of its own.
    compare_variants(round4, [Variant("a", STRICT, 600_000), Variant("b", STRICT, 700_000)])
    with pytest.raises(PolicyError, match="at least two variants"):
        compare_variants(round4, [Variant("a", STRICT, 600_000)])


def test_a_problem_of_some_variants_is_said_with_their_labels(make_application: MakeApp) -> None:
    apps = [make_application(id="A-1"), make_application(id="A-2")]
    merknad = Policy(tie_break="merknad")
    with pytest.raises(PolicyError) as caught:
        compare_variants(
            apps,
            [
                Variant("a", merknad, 100_000),
                Variant("b", Policy(), 100_000),
                Variant("c", merknad.model_copy(update={"max_award": 5}), 100_000),
            ],
        )
    lines = str(caught.value).splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("a and c: tie-break column 'merknad'")
    # A problem every variant has is said once, without the labels.
    with pytest.raises(PolicyError) as caught:
        compare_variants(
            apps,
            [Variant("a", merknad, 100_000), Variant("b", merknad, 200_000)],
        )
    assert str(caught.value).startswith("tie-break column 'merknad'")


def test_sheet_names_are_names_excel_takes() -> None:
    taken = ["Sammenligning", "Forskjeller"]
    assert sheet_names(["ranked", "proportional"], taken) == ["ranked", "proportional"]
    assert sheet_names(["a/b:c", "sammenligning", "x" * 40, "x" * 40 + "y"], taken) == [
        "a_b_c",
        "sammenligning~2",
        "x" * 31,
        "x" * 29 + "~2",
    ]


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    apps=applications(max_size=12),
    rules=st.lists(st.sampled_from(["ranked", "proportional", "lottery"]), min_size=2, max_size=3),
    budgets=st.lists(st.integers(0, 8_000_000), min_size=3, max_size=3),
    data=st.data(),
)
def test_each_variant_is_what_allocate_gives_with_its_policy(
    apps: list[Application], rules: list[str], budgets: list[int], data: st.DataObject
) -> None:
    """Whatever the policies: each variant's column is the plain allocation with its policy
    and budget, and a difference is listed exactly where two columns disagree."""
    variants = []
    for index, rule in enumerate(rules):
        policy = data.draw(policies(rule))
        if rule == "lottery":
            policy = policy.model_copy(update={"seed": 11})
        variants.append(Variant(f"v{index}", policy, budgets[index]))
    alike = len({(v.policy, v.budget) for v in variants}) < len(variants)
    if alike:
        with pytest.raises(PolicyError, match="the same policy and budget"):
            compare_variants(apps, variants)
        return
    comparison = compare_variants(apps, variants)
    plain = [allocate(apps, v.budget, v.policy) for v in variants]
    for figures, alone, variant in zip(comparison.figures, plain, variants, strict=True):
        assert figures.allocation == alone
        assert figures.awarded + figures.unallocated == variant.budget
    disagree = {
        a.id
        for a in apps
        if len(
            {(d.status, d.amount) for p in plain for d in p.decisions if d.application_id == a.id}
        )
        > 1
    }
    assert {d.application_id for d in comparison.differences} == disagree


def test_workbook_of_policy_variants_read_back(round4: list[Application], tmp_path: Path) -> None:
    comparison = compare_variants(
        round4,
        [
            Variant(
                "streng", STRICT.model_copy(update={"max_share_of_cost": Decimal("0.2")}), 600_000
            ),
            Variant(
                "raus", GENEROUS.model_copy(update={"max_share_of_cost": Decimal("0.25")}), 600_000
            ),
        ],
    )
    path = tmp_path / "v.xlsx"
    write(comparison, path, lang="nb")
    sheet = openpyxl.load_workbook(path)["Sammenligning"]
    cells = {row[0].value: row[1:3] for row in sheet.iter_rows() if row[0].value}
    assert [c.value for c in cells["max_share_of_cost"]] == [0.2, 0.25]
    assert [c.number_format for c in cells["max_share_of_cost"]] == ["0%", "0%"]
    assert [c.number_format for c in cells["max_award"]] == ["#,##0", "#,##0"]
    assert [c.value for c in cells["Ramme"]] == [600_000, 600_000]


# --- the CLI -----------------------------------------------------------------------------------


def _policies(folder: Path) -> tuple[Path, Path]:
    strict = folder / "streng.toml"
    strict.write_text('[policy]\nmax_award = "1M"\nmin_score = 80\n', encoding="utf-8")
    generous = folder / "raus.toml"
    generous.write_text('[policy]\nmax_award = "1,5 mill."\n', encoding="utf-8")
    return strict, generous


def test_cli_compares_policy_files_in_english_and_writes_the_workbook(tmp_path: Path) -> None:
    strict, generous = _policies(tmp_path)
    out = tmp_path / "sammenligning.xlsx"
    result = runner.invoke(
        app,
        [
            "allocate",
            str(SMALL),
            "--budget",
            "5M",
            "--max-share-of-cost",
            "20 %",
            "--compare",
            f"{strict},{generous}",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    stdout = result.stdout
    assert "The policies compared on the same applications and budget" in stdout
    assert "Settings that differ between the variants:" in stdout
    assert "- max_award: streng NOK\u00a01,000,000 | raus NOK\u00a01,500,000" in stdout
    assert "- min_score: streng 80 | raus none" in stdout
    assert "max_share_of_cost" not in stdout  # the same in both: --max-share-of-cost's
    assert "Applications whose decision differs between the policies:" in stdout

    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Comparison", "Differences", "streng", "raus"]
    rows = list(book["Comparison"].iter_rows(values_only=True))
    figures = {row[0]: row[1:3] for row in rows}
    assert figures["Figure"] == ("streng", "raus")
    assert figures["Budget"] == (5_000_000, 5_000_000)
    assert figures["max_award"] == (1_000_000, 1_500_000)
    assert figures["min_score"] == ("80", "none")
    assert "Settings that differ between the variants:" in figures
    differences = list(book["Differences"].iter_rows(values_only=True))
    assert differences[0][3:] == ("streng: Status", "streng: Awarded", "raus: Status",
                                  "raus: Awarded")  # fmt: skip
    assert len(differences) > 1
    # Each variant's sheet is what allocate gives with that policy file alone.
    for path in (strict, generous):
        plain = tmp_path / f"{path.stem}.csv"
        alone = runner.invoke(
            app,
            [
                "allocate",
                str(SMALL),
                "--budget",
                "5M",
                "--max-share-of-cost",
                "20 %",
                "--policy",
                str(path),
                "--csv-dialect",
                "plain",
                "-o",
                str(plain),
            ],
        )
        assert alone.exit_code == 0, alone.output
        with plain.open(encoding="utf-8-sig", newline="") as handle:
            expected = {r["ID"]: (int(r["Awarded"]), r["Status"]) for r in csv.DictReader(handle)}
        sheet = list(book[path.stem].iter_rows(values_only=True))
        assert {r[1]: (r[6], r[7]) for r in sheet[1:]} == expected


def test_cli_compares_policy_files_in_bokmal(tmp_path: Path) -> None:
    strict, generous = _policies(tmp_path)
    result = runner.invoke(
        app,
        [
            "allocate",
            str(SMALL),
            "--budget",
            "5M",
            "--compare",
            f"{strict},{generous}",
            "--lang",
            "nb",
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    stdout = result.stdout
    assert "Tildelingsreglene sammenlignet på de samme søknadene og rammen" in stdout
    assert "Innstillinger som er ulike mellom variantene:" in stdout
    assert (
        "- max_award: streng 1\u00a0000\u00a0000\u00a0kr | raus 1\u00a0500\u00a0000\u00a0kr"
        in stdout
    )
    assert "- min_score: streng 80 | raus ingen" in stdout
    assert "Søknader der vedtaket er forskjellig mellom tildelingsreglene:" in stdout


def test_cli_policy_files_lie_over_the_policy_and_take_the_rule_option(tmp_path: Path) -> None:
    """--policy is the base each file is laid over; --rule (refused with rules compared) is
    the rule of every variant; options lie over the files."""
    strict, generous = _policies(tmp_path)
    base = tmp_path / "ordning.toml"
    base.write_text('[policy]\nmax_share_of_cost = "20 %"\nround_to = 1000\n', encoding="utf-8")
    out = tmp_path / "c.xlsx"
    args = ["allocate", str(SMALL), "--budget", "5M", "--policy", str(base)]
    result = runner.invoke(
        app, [*args, "--rule", "proportional", "--compare", f"{strict},{generous}", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    for name in ("streng", "raus"):
        awards = [row[6] for row in list(book[name].iter_rows(values_only=True))[1:]]
        assert all(a % 1000 == 0 for a in awards)  # ordning.toml's round_to
        reasons = " ".join(str(row[8]) for row in book[name].iter_rows(values_only=True))
        assert "20%" in reasons  # ordning.toml's share of cost
    notes = [r[0] for r in book["Comparison"].iter_rows(values_only=True) if r[0]]
    assert "rule" not in notes  # proportional in both: not a difference
    # An option the files also set lies over them: nothing left to differ.
    same = runner.invoke(
        app, [*args, "--max-award", "2M", "--min-score", "0", "--compare", f"{strict},{generous}"]
    )
    assert same.exit_code == 2
    assert "streng and raus have the same policy and budget" in same.stderr


def test_cli_a_policy_file_missing_or_wrong_is_named_with_its_line(tmp_path: Path) -> None:
    strict, _ = _policies(tmp_path)
    wrong = tmp_path / "feil.toml"
    wrong.write_text('[policy]\nrule = "ranked"\n\nmax_award = "mye"\n', encoding="utf-8")
    missing = tmp_path / "borte.toml"
    result = runner.invoke(
        app,
        [
            "allocate",
            str(SMALL),
            "--budget",
            "5M",
            "--compare",
            f"{strict},{wrong},{missing}",
            "--lang",
            "nb",
        ],
    )
    assert result.exit_code == 2
    assert f"{wrong}, linje 4: max_award" in result.stderr
    assert f"{missing}: fant ikke policyfilen" in result.stderr
    assert result.stdout == ""  # said before the applications are read


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--compare", "ranked,raus.toml"], "rules (ranked,proportional) or policy files"),
        (["--compare", "raus.toml"], "at least two variants"),
        (["--compare", "raus.toml,raus.toml"], "raus.toml and "),
        (["--compare", "ranked,proportional", "--compare-budget", "2M,3M"], "one thing at a time"),
        (["--compare-budget", "2M,3M", "--budget", "3M"], "leave out --budget"),
        (["--compare-budget", "2M,mye,3M,,-4"], "--compare-budget: '-4' is negative"),
        (["--compare", "raus.toml,streng.toml", "--commit", "--round", "1"], "records nothing"),
    ],
)
def test_cli_variant_usage_errors(tmp_path: Path, extra: list[str], message: str) -> None:
    _policies(tmp_path)
    args = [str(tmp_path / a) if a.endswith(".toml") and "," not in a else a for a in extra]
    args = [
        ",".join(str(tmp_path / p) if p.endswith(".toml") else p for p in a.split(","))
        for a in args
    ]
    base = ["allocate", str(SMALL), *([] if "--budget" in extra else ["--budget", "3M"])]
    if "--compare-budget" in extra and "--budget" not in extra:
        base = ["allocate", str(SMALL)]
    result = runner.invoke(app, [*base, *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_cli_budgets_unreadable_are_said_together() -> None:
    result = runner.invoke(app, ["allocate", str(SMALL), "--compare-budget", "2M,mye,tre"])
    assert result.exit_code == 2
    assert result.stderr.count("--compare-budget: ") == 2, result.stderr
    assert "'tre' is not an amount" in result.stderr


def test_cli_compares_budgets(tmp_path: Path) -> None:
    out = tmp_path / "rammer.xlsx"
    result = runner.invoke(
        app,
        [
            "allocate",
            str(SMALL),
            "--max-share-of-cost",
            "20 %",
            "--compare-budget",
            "3M, 5 000 000",
            "--lang",
            "nb",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    stdout = result.stdout
    assert "Rammene sammenlignet på de samme søknadene og tildelingsreglene" in stdout
    assert "- budget: 3\u00a0000\u00a0000\u00a0kr | 5\u00a0000\u00a0000\u00a0kr" in stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Sammenligning",
        "Forskjeller",
        "3\u00a0000\u00a0000\u00a0kr",
        "5\u00a0000\u00a0000\u00a0kr",
    ]
    figures = {row[0]: row[1:3] for row in book["Sammenligning"].iter_rows(values_only=True)}
    assert figures["Ramme"] == (3_000_000, 5_000_000)
    assert figures["budget"] == (3_000_000, 5_000_000)
    assert figures["Tildelt"][0] <= 3_000_000 < figures["Tildelt"][1] <= 5_000_000


def test_cli_a_setting_a_rule_refuses_is_said_where_it_is_written(tmp_path: Path) -> None:
    """A tie-break column the applications lack: in the variant's file and line when the file
    sets it, on the command line when the option does (for every variant: said once)."""
    _, generous = _policies(tmp_path)
    column = tmp_path / "kolonne.toml"
    column.write_text('[policy]\nmax_award = "1M"\n\ntie_break = ["merknad asc"]\n', "utf-8")
    args = ["allocate", str(SMALL), "--budget", "5M", "--compare", f"{column},{generous}"]
    in_file = runner.invoke(app, args)
    assert in_file.exit_code == 2
    assert in_file.stderr.startswith(f"error: {column}, line 4: tie_break: tie-break column")
    by_option = runner.invoke(app, [*args, "--tie-break", "merknad asc"])
    assert by_option.exit_code == 2
    assert by_option.stderr.startswith("error: options: --tie-break: tie-break column")
    assert by_option.stderr.count("merknad") == 1


def test_cli_a_variant_in_another_currency_is_refused_naming_its_line(tmp_path: Path) -> None:
    """A variant file that counts in euros, compared in a round of kroner, would otherwise be
    run as kroner without a word: its amounts would be wrong by the rate."""
    euros = tmp_path / "euro.toml"
    euros.write_text('[policy]\ncurrency = "EUR"\nmax_award = "1M"\n', encoding="utf-8")
    _, generous = _policies(tmp_path)
    args = ["allocate", str(SMALL), "--budget", "5M", "--compare", f"{euros},{generous}"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert (
        f"{euros}, line 2: currency: this policy file counts in EUR, but the round counts in NOK"
    ) in result.stderr
    assert result.stdout == ""  # said before the applications are read
    said = runner.invoke(app, [*args, "--lang", "nb"])
    assert f"{euros}, linje 2: currency: denne policyfilen regner i EUR, men runden" in said.stderr
    # In a round of euros the same file is a variant like any other.
    assert runner.invoke(app, [*args, "--currency", "EUR", "--dry-run"]).exit_code == 0


def test_cli_a_variant_in_a_round_of_euros_may_name_euros(tmp_path: Path) -> None:
    capped = tmp_path / "tak.toml"
    capped.write_text('[policy]\nmax_award = "1 000 000 EUR"\n', encoding="utf-8")
    _, generous = _policies(tmp_path)
    result = runner.invoke(
        app,
        ["allocate", str(SMALL), "--budget", "5M", "--currency", "EUR", "--dry-run",
         "--compare", f"{capped},{generous}"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "- max_award: tak EUR\u00a01,000,000 | raus EUR\u00a01,500,000" in result.stdout


_EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
_DIFI = (
    str(_EXAMPLES / "difi_2009_runde1.xlsx"),
    "--register",
    "2009",
    "--policy",
    str(_EXAMPLES / "policy_difi2009.toml"),
    "--limit",
    "6",
)
_SPLIT_AMOUNT = re.compile(r"\d\n[ ]*\d{3}(?:[\xa0 ,.]\d{3})*(?:\xa0kr|\b)")
"""A line ending in a digit and the next going on with a group of three: an amount broken."""


@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(
    "compared",
    [("--compare-budget", "20M,25M"), ("--budget", "20M", "--compare", "ranked,proportional")],
)
def test_compared_tables_stay_readable_on_a_narrow_terminal(
    monkeypatch: pytest.MonkeyPatch, columns: int, lang: str, compared: tuple[str, ...]
) -> None:
    """The 2009 round at 80 columns: the differences table gave the applicant and the project
    13 columns each, and rich cut "Sogn og Fjordane fylkeskommun" / "e" and "IKT-arkitek" /
    "tur". A column is never narrower than its longest word; where they do not all fit, the
    applications are listed one after another, and no amount is broken across lines."""
    args = ("allocate", *_DIFI, *compared, "--lang", lang)
    shown = {}
    for width in (columns, 200):
        code, out, _ = run_main(monkeypatch, "utf-8", *args, columns=width, terminal=True)
        assert code == 0
        shown[width] = re.sub(r"\x1b\[[0-9;]*m", "", out.decode("utf-8"))
    text = shown[columns]
    assert all(len(line) <= columns for line in text.splitlines())
    assert _SPLIT_AMOUNT.search(text) is None, text
    # Every word of the narrow view is one of the wide view's: none cut in two (a hyphenated
    # word may break at its hyphen, "IKT-" / "arkitektur").
    start = "Søknader der" if lang == "nb" else "Applications whose"
    narrow, wide = (
        set(shown[w][shown[w].index(start) :].replace("-\n", "-").split()) for w in (columns, 200)
    )
    assert narrow - wide == set(), text
    assert "fylkeskommune" in narrow or "Bergen" in narrow


_BROKEN_AMOUNT = re.compile(r"\d\n[ ]*(?:\d{3}\b|kr\b)|\bNOK\n")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_lines_under_the_compared_figures_never_break_an_amount(
    round4: list[Application], lang: str
) -> None:
    """At 41 columns the settings line ended "raus 300" and the next began "000 kr", and at
    75 the Gini note "som 0" / "kr": rich breaks at the spaces inside an amount. The settings,
    the notes and the spread note are wrapped at ordinary spaces only, at any width."""
    comparison = compare_variants(
        round4,
        [Variant("streng", STRICT, 600_000), Variant("raus", GENEROUS, 600_000)],
    )
    for width in range(40, 101):
        console = Console(file=io.StringIO(), record=True, width=width, color_system=None)
        render_comparison(console, comparison, lang=lang)
        text = console.export_text().replace("\xa0", " ")
        assert _BROKEN_AMOUNT.search(text) is None, (width, text)
        assert all(len(line) <= width for line in text.splitlines())
