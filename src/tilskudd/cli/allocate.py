"""``tilskudd allocate``: allocate a round's budget by a stated rule and policy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tilskudd.cli.app import app
from tilskudd.cli.common import (
    TERMINAL_ROWS,
    ColumnsOpt,
    DebugOpt,
    FileArg,
    LangOpt,
    Register,
    RegisterOpt,
    SheetOpt,
    StrictOpt,
    console,
    guard,
    parse_amount_option,
    parse_sheet,
    read_checked,
    resolve_lang,
    terminal_limit,
)
from tilskudd.errors import ExitCode, UsageError

POLICY_HELP = "Policy (overrides --policy)"
PROGRAMME_HELP = "Programme and ledger"


@app.command()
def allocate(
    ctx: typer.Context,
    file: FileArg,
    budget: Annotated[
        str | None,
        typer.Option("--budget", "-b", help="The round's budget: 20000000, '20 000 000' or 20M."),
    ] = None,
    rule: Annotated[
        str | None,
        typer.Option(
            "--rule", help="ranked (default) or proportional.", rich_help_panel=POLICY_HELP
        ),
    ] = None,
    policy_file: Annotated[
        Path | None,
        typer.Option("--policy", help="Policy TOML file ([policy] table).", show_default=False),
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
            help="Round awards down to a multiple of this (e.g. 1000).",
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
            "--at-line",
            help="ranked: skip (pass over what doesn't fit), stop (strict line) or partial.",
            rich_help_panel=POLICY_HELP,
        ),
    ] = None,
    reserve: Annotated[
        int | None,
        typer.Option("--reserve", help="Length of the reserve list.", rich_help_panel=POLICY_HELP),
    ] = None,
    tie_break: Annotated[
        str | None,
        typer.Option(
            "--tie-break",
            help="Columns that break score ties, in order: 'total_cost asc, Merknad desc'.",
            rich_help_panel=POLICY_HELP,
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
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            help="Compare rules on the same input, side by side: 'ranked,proportional'. "
            "With -o NAME.xlsx, writes the comparison workbook.",
            rich_help_panel=POLICY_HELP,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the result, in the format its extension names: .xlsx (award workbook), "
            ".csv, .json, .html, .pdf or .md.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Output format when -o's extension doesn't say it: xlsx, csv, json, html, pdf, "
            "md, or 360giving (written as .xlsx or .csv).",
        ),
    ] = None,
    funder: Annotated[
        str | None,
        typer.Option(
            "--funder",
            help="The funder's name, shown on documents and required by 360Giving. "
            "Default: the programme's.",
        ),
    ] = None,
    csv_dialect: Annotated[
        str,
        typer.Option(
            "--csv-dialect",
            help="CSV output: excel (semicolons, UTF-8 with BOM, for Norwegian Excel) or plain "
            "(commas).",
        ),
    ] = "excel",
    identifier_prefix: Annotated[
        str | None,
        typer.Option(
            "--identifier-prefix",
            help="360Giving: prefix of grant identifiers (your registered 360G- prefix).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the output file if it exists.")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Write nothing at all: print the award table and the budget check."
        ),
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            help="Show at most this many rows of the award table (0: all). Default: all, or "
            f"the first {TERMINAL_ROWS} of a larger round (the exports have every row).",
        ),
    ] = None,
    round_: Annotated[
        int | None,
        typer.Option(
            "--round",
            help="A round of the programme (tilskudd.toml): its budget, or what remains of the "
            "frame if less; applications funded in earlier rounds are not funded again.",
            rich_help_panel=PROGRAMME_HELP,
        ),
    ] = None,
    commit: Annotated[
        bool,
        typer.Option(
            "--commit",
            help="Record the round in the programme's ledger after printing it.",
            rich_help_panel=PROGRAMME_HELP,
        ),
    ] = False,
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
    sheet: SheetOpt = None,
    columns: ColumnsOpt = None,
    register: RegisterOpt = Register.y2024,
    strict: StrictOpt = False,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Allocate a round's budget by a stated rule and policy; print and export the award list.

    Invalid applications are listed as rejected with their problems and the allocation runs
    on the rest (unless --strict). Every result holds budget = awarded + unallocated.

    Example (Difi 2009, round 1: 20 MNOK, at most 20 % of each project's cost):

        tilskudd allocate examples/difi_2009_runde1.xlsx --register 2009 --budget 20000000
        --max-share-of-cost "20 %" --round-to 1000 -o tildeling.xlsx

    In a programme folder (tilskudd.toml), the programme's policy, register and language are
    the defaults, and a round is allocated against the ledger and recorded with --commit:

        tilskudd allocate difi_2009_runde1.xlsx --round 1 --commit
    """
    with guard(debug):
        from tilskudd.cli.programme import plan_round
        from tilskudd.i18n import get
        from tilskudd.policyfile import load_policy, read_policy_file

        plan = plan_round(programme, ledger, round_, commit=commit, dry_run=dry_run, lang=lang)
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
        overrides: dict[str, Any] = {
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
            policy_file,
            {k: v for k, v in overrides.items() if v is not None},
            base=plan.policy(),
        )
        if compare is not None:
            from tilskudd.cli.compare import check_compare_output

            check_compare_output(
                output, output_format, commit=commit, dry_run=dry_run, force=force, inputs=[file]
            )
        elif output is not None and not dry_run:
            from tilskudd.export import check_output_path, format_for

            format_for(output, output_format)
            check_output_path(output, inputs=[file], force=force)

        checked = read_checked(
            file,
            sheet=sheet,
            columns=columns,
            register=register,
            lang=language,
            rule=policy.rule,
        )
        out = console()
        from tilskudd.render.check import render_check

        if checked.issues:
            render_check(out, checked, lang=language)
        if strict and (checked.errors or checked.warnings):
            raise typer.Exit(int(ExitCode.INVALID_INPUT))
        if checked.errors and not checked.applications:
            # Nothing valid to allocate (a required column missing, say): stop, don't
            # publish a round in which every application is rejected.
            out.print(get(language)("cli.nothing_valid"))
            raise typer.Exit(int(ExitCode.INVALID_INPUT))

        if compare is not None:
            from tilskudd.cli.compare import run_compare

            run_compare(
                out,
                checked,
                budget_nok,
                policy,
                compare,
                plan=plan,
                output=output,
                force=force,
                inputs=[file],
                lang=language,
                limit=limit,
                dry_run=dry_run,
            )
            return
        from tilskudd.pipeline import run_round
        from tilskudd.reading import sha256_of

        result = plan.run(checked, budget_nok, policy, sha256=sha256_of(file), fallback=run_round)
        if funder:
            result = result.model_copy(update={"funder": funder})
        from tilskudd.render.allocation import render_budget_check, render_result

        render_result(
            out,
            result,
            lang=language,
            limit=terminal_limit(limit, len(result.allocation.decisions)),
        )
        plan.report(result, language, budget_given=budget is not None)
        if dry_run:
            from tilskudd.summary import budget_check

            render_budget_check(
                out,
                budget_check(checked.applications, len(checked.rejected), budget_nok),
                lang=language,
                result=result,
            )
            out.print(get(language)("cli.dry_run"))
            return
        if commit:
            from tilskudd.reading import load_column_map

            reading = {
                "sheet": parse_sheet(sheet),
                "columns": load_column_map(columns) if columns is not None else None,
                "register": register.value,
            }
            plan.commit(result, file, reading, language)
        else:
            plan.not_committed(language)
        if output is not None:
            from tilskudd.export import write

            options: dict[str, Any] = {"csv_dialect": csv_dialect}
            if identifier_prefix:
                options["identifier_prefix"] = identifier_prefix
            used = write(
                result,
                output,
                format=output_format,
                lang=language,
                force=force,
                inputs=[file],
                **options,
            )
            out.print(get(language)("cli.wrote", path=str(output), format=used))
