"""``tilskudd check``: read and validate a round's applications, with an optional budget check."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tilskudd.cli.app import app
from tilskudd.cli.common import (
    EXTRA_WORDS,
    CheckCurrencyOpt,
    ColumnsOpt,
    DebugOpt,
    FileArg,
    FormatOpt,
    LangOpt,
    Problems,
    Register,
    RegisterOpt,
    ReportFormat,
    SheetOpt,
    StrictOpt,
    console,
    emit_json,
    guard,
    input_and_columns,
    keep_to_the_end,
    parse_amount_option,
    parse_sheet,
    preparer,
    programme_register,
    resolve_currency,
    resolve_lang,
    say_file_comment,
    sheet_said_too,
)
from tilskudd.currency import amounts_in
from tilskudd.errors import ExitCode

if TYPE_CHECKING:
    from tilskudd.validation import CheckedTable

PROBLEMS_SHOWN = 200
"""Errors (and warnings) listed in the terminal by default: thousands of lines help nobody, and
laying them out takes seconds (5 000 problems: 2.1 s, against 0.2 s for the first 200);
``--format json`` has every one."""


def _read(
    file: Path,
    *,
    sheet: str | None,
    column_map: dict[str, str] | None,
    register: Register,
    lang: str,
    report: ReportFormat,
    currency: str = "NOK",
) -> CheckedTable:
    """Read and check ``file`` as :func:`~tilskudd.cli.common.read_checked` does, but with
    :func:`~tilskudd.validation.check_table`: the report needs only the number of valid
    applications, so they are made only for ``--budget`` (100k rows: 0.4 s less);
    ``column_map`` is the ``--columns`` map, read (:func:`~tilskudd.cli.common.load_columns`)."""
    from tilskudd.pipeline import require_rows, with_file_comment
    from tilskudd.reading import read_table

    then = "tilskudd.reports" if report is ReportFormat.json else "tilskudd.render.check"
    table = read_table(
        file,
        sheet=parse_sheet(sheet),
        columns=column_map,
        display_name=str(file),
        lang=lang,
        meanwhile=preparer(
            ["tilskudd.validation", "tilskudd.summary", then], register=register, lang=lang
        ),
        currency=currency,
    )
    from tilskudd.validation import check_table

    require_rows(table, lang)
    return with_file_comment(check_table(table, register=register.value, currency=currency), file)


@app.command(context_settings=EXTRA_WORDS)
def check(
    ctx: typer.Context,
    file: FileArg,
    budget: Annotated[
        str | None,
        typer.Option(
            "--budget",
            help="The round's budget (20000000, '20\u00a0000\u00a0000' or 20M): "
            "adds the budget check.",
        ),
    ] = None,
    sheet: SheetOpt = None,
    columns: ColumnsOpt = None,
    register: RegisterOpt = Register.y2024,
    strict: StrictOpt = False,
    format: FormatOpt = ReportFormat.table,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=0,
            help="List at most this many lines of errors, and as many of warnings (0: all); "
            "the same problem in many cells of a column is one line. Default: the first "
            f"{PROBLEMS_SHOWN} of each (--format json lists every problem).",
        ),
    ] = None,
    lang: LangOpt = None,
    currency: CheckCurrencyOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check an applications file: every cell validated, every problem listed with its cell.

    Exit code 0 when the file is valid (warnings allowed), 1 when it has errors (or warnings
    with --strict), 2 when the command is used wrongly. In a programme folder (tilskudd.toml
    here or above), the programme's register and language are the defaults.

    Example:

        tilskudd check examples/difi_2009_runde1.xlsx \\
            --register 2009 --budget 20000000
    """
    # The round's currency, once known, for every amount said (errors too: outside guard).
    with contextlib.ExitStack() as in_currency, guard(debug):
        # In a programme folder the programme's register and language are the defaults, as
        # they are for allocate: checking the round's file first must not tell of 117 problems
        # that allocating it will not have.
        from tilskudd.cli.programme import declared_lang, programme_for

        # Each check in its own gather: a programme file that cannot be read, a missing input,
        # a missing column map and a mistyped --budget are said together, not one a run.
        problems = Problems(lang)  # a --lang that names none, and the values typer refused
        lang = problems.lang
        quoted = problems.extra_words(ctx, [str(file)])  # words it does not take
        programme = None
        with problems.gather():
            programme = programme_for(None, required=False, lang=lang)
        language = resolve_lang(lang, declared_lang(programme, problems))
        register = programme_register(
            ctx, register, programme.register_year if programme is not None else None
        )
        file, column_map = input_and_columns(problems, file, columns, language, quoted=quoted)
        round_currency = "NOK"
        with problems.gather():
            # The programme's currency is the default, as its register and language are.
            default = programme.currency if programme is not None else None
            round_currency = resolve_currency(currency, default)
        budget_nok: int | None = None
        with problems.gather():
            budget_nok = parse_amount_option(budget, "--budget", currency=round_currency)
        in_currency.enter_context(amounts_in(round_currency))
        if "file" not in problems.missing:
            sheet_said_too(problems, file, sheet, language)  # with the rest, if the run stops here
        problems.raise_any()
        checked = _read(
            file,
            sheet=sheet,
            column_map=column_map,
            register=register,
            lang=language,
            report=format,
            currency=round_currency,
        )
        keep_to_the_end(checked)
        if budget_nok:
            from tilskudd.validation import with_budget

            # Amounts kept in thousands: against the budget, a round asking for a few
            # thousandths of it is said before the figures.
            checked = with_budget(checked, budget_nok)
        from tilskudd.summary import budget_check

        check_figures = (
            budget_check(checked.applications, len(checked.rejected), budget_nok)
            if budget_nok is not None
            else None
        )
        if format is ReportFormat.json:
            from tilskudd.reports import check_to_json

            emit_json(
                check_to_json(
                    checked, check_figures, lang=language, strict=strict, currency=round_currency
                )
            )
        else:
            from tilskudd.render.check import render_check

            shown = PROBLEMS_SHOWN if limit is None else (limit or None)
            render_check(
                console(),
                checked,
                lang=language,
                budget_check=check_figures,
                limit=shown,
                strict=strict,
                fold=limit != 0,  # --limit 0: every line of every kind
            )
            if strict and checked.warnings and not checked.errors:
                from tilskudd.i18n import get

                # In place of "No errors": with --strict the warnings fail the file.
                console().print(get(language)("cli.strict_failed"))
            # What the file's compilers say of the data (Budapest's: half the votes missing).
            say_file_comment(console(), file, language)
        failed = bool(checked.errors) or (strict and bool(checked.warnings))
        if failed:
            raise typer.Exit(int(ExitCode.INVALID_INPUT))
