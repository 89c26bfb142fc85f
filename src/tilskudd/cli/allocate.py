"""``tilskudd allocate``: allocate a round's budget by a stated rule and policy."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from tilskudd.cli.app import app
from tilskudd.cli.common import (
    EXTRA_WORDS,
    TERMINAL_ROWS,
    TERMINAL_SHOWN,
    ColumnsOpt,
    CurrencyOpt,
    DebugOpt,
    FileArg,
    PolicyLangOpt,
    Problems,
    Register,
    RegisterOpt,
    SheetOpt,
    StrictOpt,
    console,
    guard,
    input_and_columns,
    keep_to_the_end,
    output_path,
    parse_sheet,
    read_checked,
    refuse_open_output,
    said_when_stopped,
    say_file_comment,
    sheet_said_too,
    terminal_limit,
)
from tilskudd.cli.round_options import (
    POLICY_HELP,
    PROGRAMME_HELP,
    AtLineOpt,
    BudgetOpt,
    LedgerOpt,
    LotteryBandOpt,
    MaxAwardOpt,
    MaxShareOpt,
    MinAwardOpt,
    MinScoreOpt,
    ObjectiveOpt,
    PerApplicantMaxOpt,
    PolicyFileOpt,
    ProgrammeOpt,
    ReserveOpt,
    RoundOpt,
    RoundToOpt,
    RuleOpt,
    SeedOpt,
    TieBreakOpt,
    WeightOpt,
    setup_gathered,
)
from tilskudd.controls import visible
from tilskudd.currency import amounts_in
from tilskudd.errors import ExitCode, UsageError


def _example_name(lang: str, output_format: str | None) -> str:
    """A file name to suggest for the result (the bundled examples' names)."""
    known = ("xlsx", "csv", "json", "html", "pdf", "md")
    suffix = output_format if output_format in known else "xlsx"
    return f"{'tildeling' if lang == 'nb' else 'awards'}.{suffix}"


def _next_modules(output: Path | None, output_format: str | None, *, compare: bool) -> list[str]:
    """The modules allocate uses after the reading, to import while the sheet is parsed."""
    from tilskudd.export import FORMATS, format_for

    modules = ["tilskudd.render.check", "tilskudd.rules", "tilskudd.render.allocation"]
    if compare:
        modules.append("tilskudd.cli.compare")
    elif output is not None:
        modules.append(FORMATS[format_for(output, output_format)][0])
    return modules


def _check_export_options(
    output: Path, output_format: str | None, *, funder: str | None, funder_known: bool = True
) -> None:
    """Refuse, before anything is read or printed, an export the writer would refuse after the
    award table had been printed: a run stopped there looks finished to whoever reads it.
    ``funder_known`` False: the programme that may name the funder could not be read."""
    from tilskudd.export import format_for

    name = format_for(output, output_format)
    if name == "360giving":
        if output.suffix.lower() not in (".xlsx", ".csv"):
            raise UsageError(key="output.error.giving_extension", name=output.name)
        if not (funder or "").strip() and funder_known:
            raise UsageError(key="output.error.giving_funder")


def _check_commit_options(commit: bool, *, dry_run: bool, round_given: bool) -> None:
    """Refuse a ``--commit`` the other options leave nothing to do for: with ``--dry-run``, which
    writes nothing, or without ``--round`` (given, even if not as a number), which names the
    programme's round it records."""
    if commit and dry_run:
        raise UsageError(key="ledger.error.dry_run_commit")
    if commit and not round_given:
        raise UsageError(key="ledger.error.commit_needs_round")


def _say_changes(
    result: Any, output: Path, used: str | None, lang: str, *, as_decided: bool
) -> None:
    """Under "Wrote …" of a committed round changed since its decision: what the document
    shows, the awards as they stand or as decided."""
    from tilskudd.i18n import get
    from tilskudd.publication import standing

    if standing(result) is None:
        return
    if used == "json":
        key = "document_both"
    elif used == "360giving":
        key = "document_giving"
    else:
        key = "document_as_decided" if as_decided else "document_as_it_stands"
    # One line, as the ledger's other messages under the table: a path may be long.
    console().print(get(lang)(f"ledger.cli.{key}", path=str(output)), soft_wrap=True)


@app.command(context_settings=EXTRA_WORDS)
def allocate(
    ctx: typer.Context,
    file: FileArg,
    budget: BudgetOpt = None,
    rule: RuleOpt = None,
    policy_file: PolicyFileOpt = None,
    max_award: MaxAwardOpt = None,
    max_share_of_cost: MaxShareOpt = None,
    min_award: MinAwardOpt = None,
    round_to: RoundToOpt = None,
    min_score: MinScoreOpt = None,
    per_applicant_max: PerApplicantMaxOpt = None,
    at_line: AtLineOpt = None,
    reserve: ReserveOpt = None,
    tie_break: TieBreakOpt = None,
    weight: WeightOpt = None,
    seed: SeedOpt = None,
    objective: ObjectiveOpt = None,
    lottery_band: LotteryBandOpt = None,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            help="Compare rules on the same input, side by side: 'ranked,proportional'; or "
            "policy files, each laid over the policy of the run: 'strict.toml,lax.toml'. "
            "With -o NAME.xlsx, writes the comparison workbook.",
            rich_help_panel=POLICY_HELP,
        ),
    ] = None,
    compare_budget: Annotated[
        str | None,
        typer.Option(
            "--compare-budget",
            help="Compare budgets under the same rule and policy, side by side: '20M,25M'. "
            "With -o NAME.xlsx, writes the comparison workbook.",
            rich_help_panel=POLICY_HELP,
        ),
    ] = None,
    output_text: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
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
    as_decided: Annotated[
        bool,
        typer.Option(
            "--as-decided",
            help="A committed round amended or withdrawn from since (--round N): show the table "
            "and write the documents with the awards as decided, each change said in a note, "
            "instead of as they stand now.",
            rich_help_panel=PROGRAMME_HELP,
        ),
    ] = False,
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
            min=0,
            help="Show at most this many rows of the award table (0: all). Default: all of a "
            f"round of up to {TERMINAL_ROWS} applications, the first {TERMINAL_SHOWN} of a "
            "larger one (the exports have every row).",
        ),
    ] = None,
    round_: RoundOpt = None,
    commit: Annotated[
        bool,
        typer.Option(
            "--commit",
            help="Record the round in the programme's ledger after printing it.",
            rich_help_panel=PROGRAMME_HELP,
        ),
    ] = False,
    programme: ProgrammeOpt = None,
    ledger: LedgerOpt = None,
    sheet: SheetOpt = None,
    columns: ColumnsOpt = None,
    register: RegisterOpt = Register.y2024,
    strict: StrictOpt = False,
    lang: PolicyLangOpt = None,
    currency: CurrencyOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Allocate a round's budget by a stated rule and policy; print and export the award list.

    Invalid applications are listed as rejected with their problems and the allocation runs
    on the rest (unless --strict). Every result holds budget = awarded + unallocated.

    Example (Difi 2009, round 1: 20 MNOK, at most 20 % of each project's cost):

        tilskudd allocate examples/difi_2009_runde1.xlsx \\
            --register 2009 --budget 20000000 \\
            --max-share-of-cost "20 %" --round-to 1000 \\
            -o awards.xlsx

    In a programme folder (tilskudd.toml), the programme's policy, register and language are
    the defaults, and a round is allocated against the ledger and recorded with --commit:

        tilskudd allocate difi_2009_runde1.xlsx \\
            --round 1 --commit
    """
    # The round's currency, once known, for every amount said (errors too: outside guard).
    with (
        contextlib.ExitStack() as in_currency,
        guard(debug),
        contextlib.ExitStack() as until_committed,
    ):
        from tilskudd.i18n import get

        if commit and round_ is not None:
            from tilskudd.ledger import refused_as_busy

            # Another process holding the ledger as the round is allocated against it, or
            # opened to commit it: the round was not committed, said as when it holds the
            # ledger during the commit's write. Up to the commit, never after it.
            until_committed.enter_context(refused_as_busy(round=round_))

        # Every problem of the options in one run: a --lang that names no language, words the
        # command does not take and the values typer refused first, then (below) each check in
        # its own gather.
        problems = Problems(lang)
        lang = problems.lang
        quoted = problems.extra_words(ctx, [str(file)])
        with problems.gather():
            _check_commit_options(
                commit,
                dry_run=dry_run,
                round_given=round_ is not None or "round_" in problems.refused,
            )
        # The programme, the ledger or the policy file that cannot be had: said with what
        # can be checked without them.
        setup = setup_gathered(
            ctx,
            problems,
            None if quoted else file,
            budget=budget,
            policy_file=policy_file,
            register=register,
            lang=lang,
            programme=programme,
            ledger=ledger,
            round_=round_,
            currency=currency,
        )
        in_currency.enter_context(amounts_in(setup.currency))
        plan, language, budget_nok, policy = setup.plan, setup.lang, setup.budget, setup.policy
        register = setup.register
        with setup.policy_said_too():  # a wrong setting: said with what stops the run
            # Each check in its own gather: a missing input and a mistyped output option are
            # said together (and with the wrong settings: policy_said_too), not one a run.
            comparing = compare is not None or compare_budget is not None
            with problems.gather():
                if compare_budget is None:  # else the budgets are --compare-budget's
                    setup.require_budget()  # --budget abc, or none to be had
            file, column_map = input_and_columns(problems, file, columns, language, quoted=quoted)
            # Names of formats and dialects in any case: --format XLSX, --csv-dialect Excel.
            output_format = output_format.strip().lower() if output_format is not None else None
            csv_dialect = csv_dialect.strip().lower()
            from tilskudd.export.csv import DIALECTS

            # Checked with or without a CSV to write: a typo is a typo, and is said before the run.
            with problems.gather():
                if csv_dialect not in DIALECTS:
                    raise UsageError(key="output.error.csv_dialect", given=csv_dialect)
            # --compare names rules, or policy files (None: rules; refused: a mix of both).
            files: list[Path] | None = None
            mixed = False
            with problems.gather():
                if compare is not None:
                    from tilskudd.cli.compare import policy_files

                    mixed = True
                    files = policy_files(compare)
                    mixed = False
            with problems.gather():
                if compare is not None and compare_budget is not None:
                    raise UsageError(key="output.error.compare_budget_with")
                if compare_budget is not None and budget is not None:
                    raise UsageError(key="output.error.compare_budget_with_budget")
            with problems.gather():
                # The rule of a policy file's variant may be --rule's; rules compared are named.
                if compare is not None and files is None and not mixed and rule is not None:
                    raise UsageError(key="output.error.compare_rule")
            with problems.gather():
                if compare is not None and files is None and not mixed:
                    # An unknown rule: said before the file is read.
                    from tilskudd.compare import parse_rules
                    from tilskudd.rules import RULES

                    parse_rules(compare, list(RULES))
            variants = None
            with problems.gather():
                if files is not None:  # a policy file missing or wrong: said before the reading
                    from tilskudd.cli.compare import policy_variants

                    variants = policy_variants(files, setup)
            budgets: list[int] | None = None
            with problems.gather():
                if compare_budget is not None:
                    from tilskudd.cli.compare import compared_budgets

                    budgets = compared_budgets(compare_budget, setup.currency)
            output: Path | None = None
            # Never written over: the applications, and the policy file and column map read with
            # them (an -o policy.toml --force would otherwise replace the policy with the result),
            # nor the programme file and the ledger (-o tilskudd.ledger.sqlite would lose the record
            # of every committed round).
            own = (file, policy_file, columns, ledger, *plan.files())
            inputs = [p for p in own if p is not None]
            with problems.gather():
                output = output_path(output_text, _example_name(language, output_format))
                if output_format is not None and output is None:
                    # check --format json prints JSON; here the table would be printed and
                    # --format ignored without a word.
                    raise UsageError(key="output.error.format_needs_output", given=output_format)
                if output is not None and not dry_run:
                    refuse_open_output(output)  # first: "use --force" would not help
                if comparing:
                    from tilskudd.cli.compare import check_compare_output

                    check_compare_output(
                        output,
                        output_format,
                        commit=commit,
                        dry_run=dry_run,
                        force=force,
                        inputs=inputs,
                    )
                elif output is not None:
                    from tilskudd.export import check_output_path

                    # A folder first: its name has no extension, and "cannot tell the format of
                    # 'tildelinger'" would send the officer looking for the wrong mistake. A dry
                    # run writes nothing, so an existing file is no obstacle to it; the rest is
                    # checked as for the real run, which the dry run is to rehearse.
                    check_output_path(output, inputs=inputs, force=force or dry_run)
                    _check_export_options(
                        output,
                        output_format,
                        funder=funder
                        or (plan.programme.funder if plan.programme is not None else None),
                        # The programme's funder is not known: not said to be missing.
                        funder_known=not setup.programme_unread,
                    )
            # A run stopped here does not read the file, in which a wrong setting would meet it.
            if "file" not in problems.missing:
                sheet_said_too(problems, file, sheet, language)
            problems.raise_any()
            # Said once every option has been checked: nothing is printed for a run refused.
            settled = setup.policy_problem is None  # else the run stops once the file is read
            if setup.seed_drawn and comparing:
                # The comparison draws (and prints) a seed if, and only if, it runs the lottery.
                policy = policy.model_copy(update={"seed": None})
            elif setup.seed_drawn and settled:
                console().print(get(language)("cli.seed_drawn", seed=policy.seed))
            if not comparing and settled:  # a comparison runs the other rules too
                for line in setup.unread_options():
                    console().print(line)

            checked = read_checked(
                file,
                sheet=sheet,
                column_map=column_map,
                register=register,
                currency=setup.currency,
                lang=language,
                # A rule that was a wrong setting asks nothing of the columns (no score required).
                rule=policy.rule if setup.rule_known else None,
                then=_next_modules(None if dry_run else output, output_format, compare=comparing),
            )
            keep_to_the_end(checked)
            from tilskudd.validation import with_budget

            # Amounts kept in thousands, weighed against the budget: said with the sheet's
            # other problems, before anything is allocated.
            checked = with_budget(checked, budget_nok)
            out = console()
            from tilskudd.render.check import render_check

            if checked.issues:
                mismatch = checked.register_mismatch
                # The applications with errors "are rejected" by the run that goes on; they
                # "would be" where it stops before anything is allocated (below): --strict, a
                # wrong setting, a commit refused for the numbering, nothing valid.
                stops = (
                    not settled
                    or (strict and bool(checked.errors or checked.warnings))
                    or (commit and mismatch is not None and bool(mismatch.applications))
                    or not checked.applications
                )
                render_check(
                    out,
                    checked,
                    lang=language,
                    strict=strict,
                    rule=policy.rule if setup.rule_known else None,
                    allocating=not stops,
                    fold=limit != 0,  # --limit 0: every line of every kind
                    command="allocate",
                )
        # What the file's compilers say of the data (Budapest's: half the votes were cast on
        # paper and are not in it): said under what was said of the file when the run stops
        # here too, as it is under the awards or the comparison when it does not.
        with said_when_stopped(out, file, language):
            # A wrong setting, with what the rest of the policy finds in the applications: said
            # now, after the cells and before anything is allocated (exit 2, as before the file).
            setup.require_policy(checked.applications)
            if strict and (checked.errors or checked.warnings):
                # Said, or the run stops after "No errors: every application can be allocated."
                out.print(get(language)("cli.strict_stopped"))
                raise typer.Exit(int(ExitCode.INVALID_INPUT))
            mismatch = checked.register_mismatch
            if commit and mismatch is not None and mismatch.applications:
                # A committed round is final: applications rejected for the numbering alone
                # would stay rejected in the ledger. Said before anything is allocated or
                # recorded.
                from tilskudd.render.text import say

                say(
                    out,
                    get(language)(
                        "cli.register_mismatch_not_committed",
                        n=mismatch.applications,
                        other_register=mismatch.other_register,
                    ),
                )
                raise typer.Exit(int(ExitCode.INVALID_INPUT))
            if checked.errors and not checked.applications:
                # Nothing valid to allocate (a required column missing, say): stop, don't
                # publish a round in which every application is rejected.
                out.print(get(language)("cli.nothing_valid"))
                raise typer.Exit(int(ExitCode.INVALID_INPUT))

        if comparing:
            from tilskudd.cli.compare import run_compare, variant_place

            with setup.placed():
                run_compare(
                    out,
                    checked,
                    budget_nok,
                    policy,
                    compare if files is None else None,
                    plan=plan,
                    output=output,
                    force=force,
                    inputs=inputs,
                    lang=language,
                    limit=limit,
                    dry_run=dry_run,
                    variants=variants,
                    budgets=budgets,
                    place=None if files is None else variant_place(files, setup),
                    file=file,
                )
            return
        from tilskudd.pipeline import run_round
        from tilskudd.reading import sha256_of

        sha256 = sha256_of(file)
        with setup.placed():
            result = plan.run(
                checked,
                budget_nok,
                policy,
                sha256=sha256,
                fallback=run_round,
                lang=language,
                currency=setup.currency,
            )
        keep_to_the_end(result)
        result = setup.place_notes(result)
        if not commit:  # a commit of a committed round is refused, saying it is final
            plan.require_as_committed(
                result, file, sha256, register=register.value, columns=columns
            )
            # Amended or withdrawn since: the documents show the awards as they stand.
            result = plan.changes_since(result)
        if funder:
            result = result.model_copy(update={"funder": funder})
        from tilskudd.render.allocation import render_budget_check, render_result

        render_result(
            out,
            result,
            lang=language,
            limit=terminal_limit(limit, len(result.allocation.decisions)),
            as_decided=as_decided,
        )
        if mismatch is not None:
            # Again under the award list, which an officer reads last: the round above was
            # allocated without the applications the numbering alone made invalid.
            from tilskudd.render.check import render_register_mismatch

            render_register_mismatch(out, mismatch, lang=language)
        # What the file's compilers say of the data, once, under the awards (Budapest's: half
        # the votes were cast on paper and are not in it); never in the documents.
        say_file_comment(out, file, language)
        plan.report(
            result,
            language,
            budget_given=budget is not None,
            as_decided=as_decided,
            committing=commit,
        )
        plan.without_round(language)
        if dry_run:
            from tilskudd.models import funded_before_ids
            from tilskudd.summary import budget_check

            # Funded in an earlier round: the round leaves them out, and so does its check.
            excluded = funded_before_ids(result.allocation.decisions)
            render_budget_check(
                out,
                budget_check(
                    checked.applications,
                    len(checked.rejected),
                    budget_nok,
                    excluded=excluded,
                ),
                lang=language,
                result=result,
                as_decided=as_decided,
            )
            out.print(get(language)("cli.dry_run"))
            return
        # With --commit, the output is written first under a temporary name beside it and put
        # in place only once the ledger has recorded the round: a folder that may not be
        # written (or a full disk) stops the command before anything is committed, and a
        # refused commit leaves no document of a round that was not recorded.
        used = None
        staged = None
        if output is not None:
            from tilskudd.export import format_for, write

            options: dict[str, Any] = {"csv_dialect": csv_dialect, "as_decided": as_decided}
            if identifier_prefix:
                options["identifier_prefix"] = identifier_prefix
            target = output
            if commit:
                staged = target = output.with_name(f".{output.stem}.uncommitted{output.suffix}")
            try:
                used = write(
                    result,
                    target,
                    format=format_for(output, output_format),
                    lang=language,
                    force=force or commit,  # the staged name is tilskudd's own
                    inputs=inputs,
                    **options,
                )
            except OSError as exc:
                if staged is None or exc.filename != str(staged) or not exc.errno:
                    raise
                raise type(exc)(exc.errno, exc.strerror, str(output)) from exc
        if commit:
            reading = {
                "sheet": parse_sheet(sheet),
                "columns": column_map,
                "register": register.value,
            }
            try:
                plan.commit(result, file, reading, language)
            except BaseException:
                if staged is not None:
                    staged.unlink(missing_ok=True)
                raise
            until_committed.close()
            if staged is not None and output is not None:
                os.replace(staged, output)
        else:
            plan.not_committed(language)
        if output is not None:
            out.print(get(language)("cli.wrote", path=visible(str(output)), format=used))
            _say_changes(result, output, used, language, as_decided=as_decided)
