"""``tilskudd explain``: the justification for one application, as a decision letter words it."""

from __future__ import annotations

import contextlib
from typing import Annotated

import typer

from tilskudd.cli.app import app
from tilskudd.cli.common import (
    EXTRA_WORDS,
    ColumnsOpt,
    CurrencyOpt,
    DebugOpt,
    FileArg,
    FormatOpt,
    PolicyLangOpt,
    Problems,
    Register,
    RegisterOpt,
    ReportFormat,
    SheetOpt,
    console,
    emit_json,
    guard,
    input_and_columns,
    read_checked,
    sheet_said_too,
)
from tilskudd.cli.round_options import (
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
from tilskudd.currency import amounts_in


@app.command(context_settings=EXTRA_WORDS)
def explain(
    ctx: typer.Context,
    file: FileArg,
    application_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="The application's id, as in the ID column.", show_default=False
        ),
    ],
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
    round_: RoundOpt = None,
    programme: ProgrammeOpt = None,
    ledger: LedgerOpt = None,
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
    lang: PolicyLangOpt = None,
    currency: CurrencyOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Explain the decision on one application: why this amount, and what would change it.

    Its score and rank, the caps that applied, where the funding line fell, why it got this
    amount, and what score or budget would have funded it. Takes the same file, budget and
    policy as allocate.

    Example:

        tilskudd explain examples/difi_2009_runde1.xlsx \\
            2009-101 --register 2009 --budget 20000000 \\
            --max-share-of-cost "20 %" --round-to 1000 \\
            --lang nb
    """
    # The round's currency, once known, for every amount said (errors too: outside guard).
    with contextlib.ExitStack() as in_currency, guard(debug):
        problems = Problems(lang)  # a --lang that names none, and the values typer refused
        lang = problems.lang
        quoted = problems.extra_words(ctx, [str(file), application_id])
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
        # Every problem of the command line in one run: the wrong settings first (as allocate
        # says them), then the budget, the input file and the column map.
        with setup.policy_said_too():
            with problems.gather():
                setup.require_budget()
            file, column_map = input_and_columns(problems, file, columns, language, quoted=quoted)
            # Said here, with the rest, when a wrong setting stops the run before the reading.
            if "file" not in problems.missing:
                others = setup.policy_problem is not None
                sheet_said_too(problems, file, sheet, language, others=others)
            problems.raise_any()
        if setup.policy_problem is not None:
            # Said before the file is read, as explain has always said a wrong setting.
            raise setup.policy_problem
        if setup.seed_drawn:
            from tilskudd.i18n import get

            # A new draw, not the one allocate printed: said on stderr, so that JSON stays JSON.
            typer.echo(get(language)("cli.seed_drawn_explain", seed=policy.seed), err=True)
        for line in setup.unread_options():
            typer.echo(line, err=True)  # on stderr, as the seed: JSON stays JSON
        checked = read_checked(
            file,
            sheet=sheet,
            column_map=column_map,
            register=register,
            currency=setup.currency,
            lang=language,
            rule=policy.rule,
        )
        from tilskudd.explain import explain as explain_decision
        from tilskudd.explain import paragraphs, to_data
        from tilskudd.pipeline import run_round

        with setup.placed():
            result = plan.run(
                checked,
                budget_nok,
                policy,
                sha256=None,
                fallback=run_round,
                lang=language,
                currency=setup.currency,
            )
        result = setup.place_notes(result)
        if plan.context is not None and plan.context.already_committed is not None:
            from tilskudd.reading import sha256_of

            plan.require_as_committed(
                result, file, sha256_of(file), register=register.value, columns=columns
            )
        context = plan.context
        prior = context.prior_by_orgnr if context is not None else None
        # Without the re-runs first: a decision changed since gets no advice on what would have
        # changed it (explain.with_changes), and its re-runs would be spent for nothing.
        explanation = explain_decision(result, application_id, prior_by_orgnr=prior, what_if=False)
        committed = context.already_committed if context is not None else None
        award = None
        if committed is not None and plan.ledger is not None:
            # A committed decision may have been amended or withdrawn since: said after it.
            from tilskudd import ledger as ledger_module

            award = next(
                (
                    a
                    for a in ledger_module.history(plan.ledger, explanation.application_id)
                    if a.commit_seq == committed.seq
                    and a.application_id == explanation.application_id
                ),
                None,
            )
        if award is not None and award.amendments:
            from tilskudd.explain import with_changes

            explanation = with_changes(explanation, award.amendments, what_if=what_if)
        elif what_if:
            explanation = explain_decision(
                result, explanation.application_id, prior_by_orgnr=prior, what_if=True
            )
        if report_format is ReportFormat.json:
            emit_json(to_data(explanation, language))
            return
        from rich.text import Text

        from tilskudd.render.plain import plain_for
        from tilskudd.render.text import wrap

        out = console()
        plain = plain_for(out)  # wrapped as the terminal's encoding will write it (ø as oe)
        parts = [[plain(line) for line in part] for part in paragraphs(explanation, language)]
        out.print(Text(parts[0][0], style="bold"))
        for index, paragraph in enumerate(parts[1:], start=1):
            out.print()
            if explanation.kind == "rejected" and index == 1:
                # The problems, one a line under the sentence that introduces them.
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
        if plan.outside_ledger():
            # A decision explained without the ledger is not the round's (an application funded
            # in an earlier round is explained as funded): said under it, as allocate says it.
            out.print()
            plan.without_round(language)
