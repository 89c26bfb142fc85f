"""``tilskudd explain``: the justification for one application, as a decision letter words it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tilskudd.cli.app import app
from tilskudd.cli.common import (
    ColumnsOpt,
    DebugOpt,
    FileArg,
    FormatOpt,
    LangOpt,
    Register,
    RegisterOpt,
    ReportFormat,
    SheetOpt,
    console,
    emit_json,
    guard,
    parse_amount_option,
    read_checked,
    resolve_lang,
)
from tilskudd.errors import UsageError

POLICY_HELP = "Policy (overrides --policy)"
PROGRAMME_HELP = "Programme and ledger"


@app.command()
def explain(
    ctx: typer.Context,
    file: FileArg,
    application_id: Annotated[
        str, typer.Argument(help="The application's id, as in the ID column.", show_default=False)
    ],
    budget: Annotated[
        str | None,
        typer.Option("--budget", "-b", help="The round's budget: 20000000, '20 000 000' or 20M."),
    ] = None,
    rule: Annotated[
        str | None,
        typer.Option(
            "--rule",
            help="ranked (default), proportional, optimal or lottery.",
            rich_help_panel=POLICY_HELP,
        ),
    ] = None,
    policy_file: Annotated[
        Path | None,
        typer.Option("--policy", help="Policy TOML file (its policy table).", show_default=False),
    ] = None,
    max_award: Annotated[
        str | None,
        typer.Option("--max-award", help="Cap per application.", rich_help_panel=POLICY_HELP),
    ] = None,
    max_share_of_cost: Annotated[
        str | None,
        typer.Option(
            "--max-share-of-cost",
            help="At most this share of the project's total cost: '20 %' or 0.2.",
            rich_help_panel=POLICY_HELP,
        ),
    ] = None,
    min_award: Annotated[
        str | None,
        typer.Option("--min-award", help="No award below this.", rich_help_panel=POLICY_HELP),
    ] = None,
    round_to: Annotated[
        str | None,
        typer.Option(
            "--round-to",
            help="Round awards down to a multiple of this.",
            rich_help_panel=POLICY_HELP,
        ),
    ] = None,
    min_score: Annotated[
        str | None,
        typer.Option("--min-score", help="Eligibility threshold.", rich_help_panel=POLICY_HELP),
    ] = None,
    per_applicant_max: Annotated[
        str | None,
        typer.Option(
            "--per-applicant-max",
            help="Cap on the sum over one organisation number's applications.",
            rich_help_panel=POLICY_HELP,
        ),
    ] = None,
    at_line: Annotated[
        str | None,
        typer.Option(
            "--at-line", help="ranked: skip, stop or partial.", rich_help_panel=POLICY_HELP
        ),
    ] = None,
    reserve: Annotated[
        int | None,
        typer.Option("--reserve", help="Length of the reserve list.", rich_help_panel=POLICY_HELP),
    ] = None,
    tie_break: Annotated[
        str | None,
        typer.Option(
            "--tie-break", help="Columns that break score ties.", rich_help_panel=POLICY_HELP
        ),
    ] = None,
    weight: Annotated[
        str | None,
        typer.Option("--weight", help="proportional: none or score.", rich_help_panel=POLICY_HELP),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Seed for any randomness.", rich_help_panel=POLICY_HELP),
    ] = None,
    round_: Annotated[
        int | None,
        typer.Option(
            "--round",
            help="A round of the programme (tilskudd.toml), allocated against the ledger.",
            rich_help_panel=PROGRAMME_HELP,
        ),
    ] = None,
    programme: Annotated[
        Path | None,
        typer.Option(
            "--programme",
            help="The programme file. Default: tilskudd.toml here or in a folder above.",
            show_default=False,
            rich_help_panel=PROGRAMME_HELP,
        ),
    ] = None,
    ledger: Annotated[
        Path | None,
        typer.Option(
            "--ledger",
            help="The ledger file. Default: the programme's.",
            show_default=False,
            rich_help_panel=PROGRAMME_HELP,
        ),
    ] = None,
    what_if: Annotated[
        bool,
        typer.Option(
            "--what-if/--no-what-if",
            help="Say what score or budget would have funded it (re-runs the allocation).",
        ),
    ] = True,
    report_format: FormatOpt = ReportFormat.table,
    sheet: SheetOpt = None,
    columns: ColumnsOpt = None,
    register: RegisterOpt = Register.y2024,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Explain the decision on one application: its score and rank, the caps that applied,
    where the funding line fell, why it got this amount, and what score or budget would have
    funded it. Takes the same file, budget and policy as allocate.

    Example:

        tilskudd explain examples/difi_2009_runde1.xlsx 2009-101 --register 2009
        --budget 20000000 --max-share-of-cost "20 %" --round-to 1000 --lang nb
    """
    with guard(debug):
        from tilskudd.cli.programme import plan_round
        from tilskudd.policyfile import load_policy, read_policy_file

        plan = plan_round(programme, ledger, round_, commit=False, dry_run=True, lang=lang)
        file_lang = read_policy_file(policy_file)[1] if policy_file else None
        language = resolve_lang(lang, file_lang, plan.lang)
        budget_nok = parse_amount_option(budget, "--budget", allow_zero=True)
        if budget_nok is None:
            budget_nok = plan.budget
        if budget_nok is None:
            raise UsageError(
                "--budget is required: the round's budget, e.g. --budget 20000000 "
                "(or --round N in a programme folder)"
            )
        source = ctx.get_parameter_source("register")
        if plan.register is not None and (source is None or source.name == "DEFAULT"):
            register = Register(plan.register)
        given: dict[str, Any] = {
            "rule": rule,
            "max_award": max_award,
            "max_share_of_cost": max_share_of_cost,
            "min_award": min_award,
            "round_to": round_to,
            "min_score": min_score.replace(",", ".") if min_score else None,
            "per_applicant_max": per_applicant_max,
            "at_line": at_line,
            "reserve": reserve,
            "tie_break": tie_break,
            "weight": weight,
            "seed": seed,
        }
        policy = load_policy(
            policy_file, {k: v for k, v in given.items() if v is not None}, base=plan.policy()
        )
        checked = read_checked(
            file, sheet=sheet, columns=columns, register=register, lang=language, rule=policy.rule
        )
        from tilskudd.explain import explain as explain_decision
        from tilskudd.explain import paragraphs, to_data
        from tilskudd.pipeline import run_round

        result = plan.run(checked, budget_nok, policy, sha256=None, fallback=run_round)
        context = plan.context
        prior = context.prior_by_orgnr if context is not None else None
        explanation = explain_decision(
            result, application_id, prior_by_orgnr=prior, what_if=what_if
        )
        if report_format is ReportFormat.json:
            emit_json(to_data(explanation, language))
            return
        from rich.text import Text

        from tilskudd.render.text import wrap

        out = console()
        parts = paragraphs(explanation, language)
        out.print(Text(parts[0][0], style="bold"))
        for index, paragraph in enumerate(parts[1:], start=1):
            out.print()
            if explanation.kind == "rejected":
                out.print(Text(wrap(paragraph[0], out.width)))
                for line in paragraph[1:]:
                    out.print(Text(wrap(f"- {line}", out.width)))
            else:
                # The last paragraph of a full explanation says how the figures were found.
                found = explanation.score_change or explanation.budget_change
                dim = bool(found) and index == len(parts) - 1
                # Wrapped here, never inside an amount (rich would break at its no-break space).
                text = wrap(" ".join(paragraph), out.width)
                out.print(Text(text, style="dim" if dim else ""))
