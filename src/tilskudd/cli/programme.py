"""Programme and ledger commands: ``init``, ``status``, ``history``, ``amend``, ``withdraw``,
``verify`` and ``ledger export``.

Each finds the programme file (``tilskudd.toml``) in the current folder or above it, or takes
``--programme PATH``; the ledger is the programme's (``tilskudd.ledger.sqlite`` beside it) unless
``--ledger PATH`` says otherwise. The library does the work (:mod:`tilskudd.programme`,
:mod:`tilskudd.ledger`, :mod:`tilskudd.rounds`); this module parses options and prints.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tilskudd.cli.app import App, Group, app
from tilskudd.cli.common import (
    EXTRA_WORDS,
    DebugOpt,
    FormatOpt,
    LangOpt,
    Problems,
    Register,
    ReportFormat,
    console,
    emit_json,
    guard,
    output_path,
    parse_amount_option,
    parse_date_option,
    refuse_open_output,
    resolve_currency,
    resolve_lang,
)
from tilskudd.controls import visible
from tilskudd.errors import AmendmentBeyondPolicyError, ExitCode, UsageError

if TYPE_CHECKING:
    from tilskudd.programme import Programme

__all__ = ["RoundPlan", "ledger_app", "ledger_for", "plan_round", "programme_for"]

ProgrammeOpt = Annotated[
    Path | None,
    typer.Option(
        "--programme",
        help="The programme file (tilskudd.toml), or its folder. Default: the one in the current "
        "folder or the nearest folder above it.",
        show_default=False,
    ),
]
LedgerOpt = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        help="The ledger file. Default: the programme's (tilskudd.ledger.sqlite beside it).",
        show_default=False,
    ),
]
RoundOpt = Annotated[
    int | None,
    typer.Option(
        "--round", help="The round, when the same application id is in more than one round."
    ),
]

ledger_app = App(
    name="ledger",
    help="The ledger of committed awards, for the accounts.",
    cls=Group,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(ledger_app, name="ledger")


def programme_for(option: Path | None, *, required: bool, lang: str | None) -> Programme | None:
    """The programme given by ``--programme`` or found from the current folder upwards.

    ``lang`` is the command's ``--lang`` (None when not given). A mistake in the file is said in
    the language the file declares, as the command would speak, unless ``--lang`` says
    otherwise. With ``required``, no programme is a usage error that says how to make one.
    """
    from tilskudd.errors import ProgrammeError
    from tilskudd.i18n import get
    from tilskudd.programme import find_programme

    language = resolve_lang(lang)  # a wrong --lang is said first
    try:
        programme = find_programme(Path.cwd(), option)
    except ProgrammeError as exc:
        if exc.lang is not None:
            resolve_lang(lang, exc.lang)
        raise
    if programme is None and required:
        below = _programmes_below(Path.cwd())
        if below:
            # As after tilskudd init NAME, run from the folder init was run in.
            raise UsageError(
                get(language)(
                    "ledger.cli.no_programme_below",
                    folder=str(Path.cwd()),
                    n=len(below),
                    below=below,
                    cd=_shell_word(below[0]),
                )
            )
        raise UsageError(get(language)("ledger.cli.no_programme", folder=str(Path.cwd())))
    return programme


def _programmes_below(folder: Path) -> list[str]:
    """The names of ``folder``'s subfolders that hold a tilskudd.toml, sorted."""
    try:
        return sorted(
            sub.name
            for sub in folder.iterdir()
            if sub.is_dir() and (sub / "tilskudd.toml").is_file()
        )
    except OSError:
        return []


def declared_lang(programme: Programme | None, problems: Problems) -> str | None:
    """The language the programme file declares: the programme's, or, where :func:`programme_for`
    was gathered into ``problems``, that of the file whose mistake it refused."""
    from tilskudd.errors import ProgrammeError

    if programme is not None:
        return programme.lang
    return next((e.lang for e in problems.errors if isinstance(e, ProgrammeError)), None)


def programme_gathered(
    ctx: typer.Context, programme: Path | None, lang: str | None, *, required: bool
) -> tuple[Problems, Programme | None]:
    """The problems of a command that reads no input file, gathered to be said together (a
    ``--lang`` that names none, the values typer refused, words it does not take), and the
    programme of ``--programme`` or the current folder (:func:`programme_for`), the problem of
    finding it gathered with them (None then)."""
    problems = Problems(lang)
    problems.extra_words(ctx)  # words it does not take: not a file's name
    found = None
    with problems.gather():
        found = programme_for(programme, required=required, lang=problems.lang)
    return problems, found


def _where(path: Path | str) -> str:
    """A ledger's path as said when it is not there, or new: in full, for one moved away."""
    return str(Path(path).expanduser().absolute())


def ledger_for(programme: Programme | None, option: Path | None) -> Path:
    """``--ledger`` if given, else the programme's ledger."""
    if option is not None:
        return option
    if programme is None:
        raise UsageError(key="ledger.error.no_ledger_option")
    return programme.ledger_path


def _out(text: str) -> None:
    """Print a message; on a terminal wrapped to its width at ordinary spaces: left to the
    terminal, a line wider than it was cut where the edge fell, inside an amount (``5`` /
    ``00 000 kr``). Piped or saved, each line stays whole (a line of ``history`` to grep)."""
    from rich.text import Text

    out = console()
    if out.is_terminal:
        from tilskudd.render.plain import plain_for
        from tilskudd.render.text import wrap_lines

        text = wrap_lines(plain_for(out)(text), out.width)
    # A Text: no rich markup, as messages may contain [programme] and other brackets.
    out.print(Text(text), soft_wrap=True)


@app.command(context_settings=EXTRA_WORDS)
def init(
    ctx: typer.Context,
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="FOLDER",
            help="Folder for the new programme (created if missing).",
            show_default=False,
        ),
    ] = Path("."),
    name: Annotated[str | None, typer.Option("--name", help="The programme's name.")] = None,
    funder: Annotated[str | None, typer.Option("--funder", help="Who administers it.")] = None,
    frame: Annotated[
        str, typer.Option("--frame", help="The budget frame over all rounds: 60000000 or 60M.")
    ] = "10 000 000",
    register: Annotated[
        str,
        typer.Option("--register", help="Municipality numbering: 2024, 2020 (2020–2023) or 2009."),
    ] = "2024",
    currency: Annotated[
        str,
        typer.Option(
            "--currency",
            help="The programme's currency, an ISO 4217 code: NOK, EUR, DKK. Its ledger keeps it "
            "from the first round committed.",
        ),
    ] = "NOK",
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            metavar="<nb|en>",
            help="Language of the files and of the output. Default: TILSKUDD_LANG, else nb.",
            show_default=False,
        ),
    ] = "nb",
    debug: DebugOpt = False,
) -> None:
    """Create a programme: a commented tilskudd.toml and an applications template,
    søknadsmal.xlsx (applications.xlsx in English: --lang en, or TILSKUDD_LANG=en).

    The template has the columns tilskudd knows, number formats, drop-down lists for
    categories and municipalities, and an instructions sheet. Existing files are never
    overwritten.

    Example (Difi's 2009 scheme: 60 MNOK over two rounds, 2009 municipality numbering):

        tilskudd init difi2009 --name "IKT-tilskudd 2009" \\
            --funder Difi --frame 60M --register 2009
    """
    # The programme's currency, once known, for --frame and every amount said (errors too).
    with contextlib.ExitStack() as in_currency, guard(debug):
        from tilskudd.currency import NOK, amounts_in
        from tilskudd.errors import ProgrammeError
        from tilskudd.i18n import get
        from tilskudd.programme import init_programme

        # The files' language is the refusals' too, as the output's: --lang, else --lang before
        # the command (tilskudd --lang en init …), else TILSKUDD_LANG as every command takes it,
        # else Norwegian (a Norwegian programme is the usual one).
        source = ctx.get_parameter_source("lang")
        given = source is not None and source.name != "DEFAULT"
        problems = Problems(lang if given else None)  # said together: --lang, --frame, --register
        problems.extra_words(ctx, [str(folder)])
        language = resolve_lang(problems.lang, None if os.environ.get("TILSKUDD_LANG") else "nb")
        code = None
        with problems.gather():
            code = resolve_currency(currency)
        # --frame "60M EUR" or "€ 60 000" with --currency EUR is the programme's own currency.
        in_currency.enter_context(amounts_in(code or NOK))
        frame_nok = None
        with problems.gather():
            frame_nok = _frame_option(frame, code or NOK)
        with problems.gather():
            if register not in [r.value for r in Register]:
                raise ProgrammeError(key="programme.error.unknown_register", given=register)
        problems.raise_any()
        assert frame_nok is not None
        assert code is not None
        result = init_programme(
            folder,
            name=name,
            funder=funder,
            frame=frame_nok,
            lang=language,
            register=register,
            currency=code,
        )
        t = get(language)
        _out(
            t(
                "ledger.cli.init_created",
                programme=str(result.programme_file),
                template=str(result.template_file),
            )
        )
        # The programme's commands find tilskudd.toml in the folder they are run in or above
        # it: from the folder init was run in, they would not find the new one.
        if result.programme_file.parent.resolve() != Path.cwd().resolve():
            _out(t("ledger.cli.init_cd", folder=_shell_word(str(folder))))
        _out(t("ledger.cli.init_next", template=result.template_file.name))


def _shell_word(text: str) -> str:
    """``text`` as one word for a shell: in double quotes where it has a space or a character
    a shell reads otherwise (the same in sh, cmd and PowerShell for a plain folder name)."""
    if text and all(c.isalnum() or c in "._-/\\:" for c in text):
        return text
    return '"' + text.replace('"', '\\"') + '"'


@app.command(context_settings=EXTRA_WORDS)
def status(
    ctx: typer.Context,
    programme: ProgrammeOpt = None,
    ledger: LedgerOpt = None,
    format: FormatOpt = ReportFormat.table,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Show the frame, what each round committed, amendments, and what remains.

    Read from the programme's ledger, which it does not change; --format json gives the same
    figures for other programs.

    Example, in examples/programme_difi2009 after its round 1 was committed:

        tilskudd status

        IKT-tilskudd til kommunene 2009: ramme 60 000 000 kr.
        Runde 1: 19 981 000 kr til 53 prosjekter i 110 kommuner.
          Vedtaksdato 12. juni 2009.
        Igjen av rammen: 40 019 000 kr.
        Runde 2: 40 000 000 kr planlagt, ikke vedtatt ennå.
    """
    # The programme's currency, once known, for every amount said (errors too: outside guard).
    with contextlib.ExitStack() as in_currency, guard(debug):
        from tilskudd import ledger as ledger_module
        from tilskudd.currency import amounts_in

        # Said together: --lang, --format, the programme.
        problems, found = programme_gathered(ctx, programme, lang, required=True)
        language = resolve_lang(problems.lang, declared_lang(found, problems))  # theirs, too
        problems.raise_any()
        assert found is not None
        in_currency.enter_context(amounts_in(found.currency))
        path = ledger_for(found, ledger)
        report = ledger_module.status(path, found)
        if format is ReportFormat.json:
            emit_json(report.as_json())
            return
        no_ledger = not ledger_module.exists(path)
        for line in ledger_module.status_lines(report, language, no_ledger=no_ledger):
            _out(line)


def _frame_option(frame: str | None, currency: str) -> int | None:
    """``init --frame``, read in the programme's ``currency``; an amount in another currency is
    said to be one the programme does not count in (not "the round"), with --currency, init's
    own way to give the programme a currency."""
    from tilskudd.i18n import Phrase

    try:
        return parse_amount_option(frame, "--frame", currency=currency)
    except UsageError as exc:
        problem = exc.params.get("problem")
        words = {
            "validate.amount_in_kroner": "programme.error.frame_in_kroner",
            "validate.amount_other_currency": "programme.error.frame_other_currency",
        }
        if not isinstance(problem, Phrase) or problem.key not in words:
            raise
        said = Phrase(words[problem.key], **problem.params)
        raise UsageError(key="cli.option_problem", option="--frame", problem=said) from None


def _funded_before_text(award: Any, awards: list[Any], path: Path, lang: str) -> str | None:
    """Why ``award`` was not funded when an earlier round had funded it, as the round's lists
    say it (``reason.round.already_funded``), with the earlier grant as it stands now; None for
    any other award. An earlier grant withdrawn since is said to be, with its date, and how
    ``award`` can be funded now while it is not.

    ``Already funded in round 1 (application A-1, NOK 50,000 now); not funded again.``
    """
    from tilskudd import ledger as ledger_module
    from tilskudd.i18n import get
    from tilskudd.models import ALREADY_FUNDED, Status
    from tilskudd.wording import change_date

    reason = next((r for r in award.reasons if r.get("code") == ALREADY_FUNDED), None)
    if reason is None:
        return None
    params = dict(reason.get("params") or {})
    earlier_round, application = params.get("round"), params.get("application")
    # The amount recorded is the earlier grant's when this round was committed: an amendment
    # or withdrawal since changes what it is now. Found among the awards listed, or else in the
    # ledger by its id (history by one id does not list the other round's application).
    candidates = [a for a in awards if a.round == earlier_round]
    if not any(a.application_id == application for a in candidates) and application:
        candidates = ledger_module.history(path, str(application))
    earlier = next(
        (a for a in candidates if a.round == earlier_round and a.application_id == application),
        None,
    )
    if earlier is not None and earlier.withdrawn:
        # "NOK 0 now" would leave a person to work out that the grant was withdrawn, and that
        # this application can be funded now: said as the refused withdraw says it.
        t = get(lang)
        said = t(
            "ledger.cli.funded_before_withdrawn",
            round=earlier_round,
            application=application,
            date=change_date(earlier.amendments[-1], lang, words=False),
        )
        if award.current == 0 and not award.withdrawn and award.status != Status.REJECTED:
            hint = t(
                "ledger.cli.funded_before_withdrawn_amend",
                id=award.application_id,
                round=award.round,
            )
            said = f"{said} {hint}"
        return said
    if earlier is not None:
        params["amount"] = earlier.current
    # The round's reason gives the earlier grant when the round was allocated; here it is the
    # grant as it stands now.
    return get(lang)("ledger.cli.funded_before", **params)


def _history_json(
    awards: list[Any], currency: str, reasons: dict[int, str]
) -> list[dict[str, Any]]:
    """Each award as ``history --format json`` gives it: a list still (scripts index it), each
    entry with the ``currency`` its amounts are in, the ledger's, and ``reason_text``: why it
    got what it got, in words (an application funded in an earlier round: why not again)."""
    import json
    from dataclasses import asdict

    out = []
    for award in awards:
        data = asdict(award)
        data.pop("reasons_json")
        data.pop("figures_json")  # the figures the caps are worked out from, as recorded
        # A rejected row's cells with an error, as typed, by field (null: none recorded).
        data["typed"] = award.typed or None
        data.pop("typed_json")
        figures = award.figures
        data["figures"] = (
            None
            if figures is None
            else {**figures, "score": None if figures["score"] is None else str(figures["score"])}
        )
        for change in data["amendments"]:
            change.pop("warnings")  # said when the change was made, never recorded
            # The figures of each rule an --outside-policy change went beyond, as an object.
            held = change["outside_policy_figures"]
            change["outside_policy_figures"] = None if held is None else json.loads(held)
        out.append(
            {
                **data,
                "reasons": award.reasons,
                "current": award.current,
                "current_status": award.current_status,
                "currency": currency,
                "reason_text": reasons.get(award.seq),
            }
        )
    return out


@app.command(context_settings=EXTRA_WORDS)
def history(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            metavar="ORGNR_OR_ID",
            help="An organisation number, an identifier in another register or an application id.",
            show_default=False,
        ),
    ],
    programme: ProgrammeOpt = None,
    ledger: LedgerOpt = None,
    format: FormatOpt = ReportFormat.table,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """List everything an applicant has applied for and received, round by round.

    By organisation number (every application of that organisation, in every round), by a
    recipient's identifier in another register for one without an organisation number
    (GB-CHC-1234567) or by application id, from the programme's ledger. A repeated id told
    apart by its row is found in any form shown: "S-01 (A17)", "S-01 (row 17)" or
    "S-01 (rad 17)"; "S-01" lists those rows too.

    Example (every application from Bindal kommune's organisation number, in
    examples/programme_difi2009):

        tilskudd history 978805000
    """
    # The ledger's currency, once known, for every amount said (errors too: outside guard).
    with contextlib.ExitStack() as in_currency, guard(debug):
        from tilskudd import ledger as ledger_module
        from tilskudd.currency import amounts_in
        from tilskudd.i18n import get
        from tilskudd.wording import (
            change_date,
            recorded_decision_text,
            typed_text,
            waived_figures,
            waived_rule,
        )

        # Said together: --lang, --format, the programme.
        problems, found = programme_gathered(ctx, programme, lang, required=ledger is None)
        language = resolve_lang(problems.lang, declared_lang(found, problems))  # theirs, too
        problems.raise_any()
        # As it is looked up ("Nothing recorded for  a-4." said the space), and as every id is
        # shown: a bidi control pasted into the query as its code (Ledger.history finds it so).
        query = visible(query.strip())
        path = ledger_for(found, ledger)
        currency = ledger_module.currency_of(path, found)
        in_currency.enter_context(amounts_in(currency))
        # "F-15 (A17)" as this version shows a repeated id finds "F-15 (row 17)" in the records
        # of rounds committed by earlier ones, and the other way round (Ledger.history).
        awards = ledger_module.history(path, query) if ledger_module.exists(path) else []
        t = get(language)
        tampered = ledger_module.verify_chain(path).first_bad if awards else None
        if tampered is not None:
            # As status warns: these figures come from a ledger changed outside tilskudd.
            warning = t("ledger.status.tampered", seq=tampered, path=_where(path))
            if format is ReportFormat.json:
                console(stderr=True).print(warning, markup=False, highlight=False, soft_wrap=True)
            else:
                _out(warning)
        # Why each got what it got: as the round's lists said it when it was committed (an
        # earlier round's grant that kept it out, as that grant stands now).
        said_why = {
            a.seq: _funded_before_text(a, awards, path, language)
            or recorded_decision_text(a.reasons, a.status, language)
            for a in awards
        }
        if format is ReportFormat.json:
            emit_json(_history_json(awards, currency, said_why))
            return
        if not awards:
            if ledger_module.exists(path):
                _out(t("ledger.cli.history_none", query=query))
            else:
                _out(t("ledger.cli.history_no_ledger", query=query, path=_where(path)))
            return
        n = len(awards)
        _out(
            t(
                "ledger.cli.history_title",
                query=query,
                applications=t("ledger.count.applications", n=n),
                received=sum(a.current for a in awards),
            )
        )
        # A list, not a table: names and titles are long and must never be cut off.
        for award in awards:
            _out(
                t(
                    "ledger.cli.history_item",
                    round=award.round,
                    id=award.application_id,
                    applicant=award.applicant or "–",
                    project=award.project or "–",
                )
            )
            _out(
                t(
                    "ledger.cli.history_amounts",
                    requested=award.requested,
                    committed=award.amount,
                    current=award.current,
                    status=t(f"ledger.state.{award.current_status}"),
                )
            )
            why = said_why[award.seq]
            if why:
                _out(f"  {why}")
            if award.typed:
                # What the applicant wrote where the ledger keeps no value (its cell was wrong).
                _out(t("ledger.cli.history_typed", typed=typed_text(award.typed, language)))
            for change in award.amendments:
                _out(
                    t(
                        "ledger.cli.history_change",
                        change=t(f"ledger.change.{change.kind}"),
                        date=change_date(change, language, words=False),
                        before=change.amount_before,
                        after=change.amount_after,
                        reason=change.reason,
                    )
                )
                if change.outside_policy:
                    _out(
                        t(
                            "ledger.cli.history_outside_policy",
                            rules=[waived_rule(r) for r in change.outside_policy],
                        )
                    )
                    # What each rule held the amount to, and by how much it goes beyond it.
                    for said in waived_figures(change):
                        _out(f"      {said.render(language)}")


def _change(
    in_currency: contextlib.ExitStack,
    ctx: typer.Context,
    kind: str,
    application_id: str,
    amount: str | None,
    reason: str,
    programme: Path | None,
    ledger: Path | None,
    round_: int | None,
    lang: str | None,
    outside_policy: bool = False,
    decided: str | None = None,
) -> None:
    """Amend or withdraw an award (``kind``), every amount said in the programme's currency
    (``in_currency``: a stack its errors, too, are said inside)."""
    from tilskudd import clock
    from tilskudd import ledger as ledger_module
    from tilskudd.currency import amounts_in
    from tilskudd.i18n import get
    from tilskudd.wording import waived_figures, waived_rule

    # Said together: --lang, --round, the programme, --amount.
    problems, found = programme_gathered(ctx, programme, lang, required=True)
    language = resolve_lang(problems.lang, declared_lang(found, problems))
    amount_nok = None
    with problems.gather():  # once the language is settled: a mistyped amount is said in it
        # In the programme's currency, as every amount of the run: "EUR 5 000" in euros.
        amount_nok = parse_amount_option(
            amount,
            "--amount",
            allow_zero=True,
            currency=found.currency if found is not None else "NOK",
        )
    decided_on = None
    with problems.gather():
        decided_on = parse_date_option(decided, "--decided")
    problems.raise_any()
    assert found is not None
    path = ledger_for(found, ledger)
    # Another process holding the ledger as it is read for the change, or opened for it: the
    # change was not recorded, said as when it holds the ledger during the change's write.
    with ledger_module.refused_as_busy(change=application_id):
        in_currency.enter_context(amounts_in(ledger_module.currency_of(path, found)))
        if kind == "withdraw":
            change = ledger_module.withdraw(
                path, found, application_id, reason, round=round_, decided=decided_on
            )
        else:
            assert amount_nok is not None
            try:
                change = ledger_module.amend(
                    path,
                    found,
                    application_id,
                    amount_nok,
                    reason,
                    round=round_,
                    outside_policy=outside_policy,
                    decided=decided_on,
                )
            except AmendmentBeyondPolicyError as exc:
                # What was not done, and the way a board's decision beyond the policy is
                # recorded (said already by each refusal for a figure the ledger does not hold).
                keys = [line.key for line in getattr(exc, "lines", ())] or [str(exc.key)]
                if not all(key.endswith("_not_recorded") for key in keys):
                    exc.hint = get(language)("ledger.cli.outside_policy_hint")
                raise
    # Nothing remains of a frame cut below what is committed (not "-10 000 kr"); status says
    # by how much it is over.
    remaining = max(ledger_module.status(path, found).remaining, 0)
    _out(
        get(language)(
            "ledger.cli.withdrawn" if kind == "withdraw" else "ledger.cli.amended",
            id=change.application_id,
            round=change.round,
            before=change.amount_before,
            after=change.amount_after,
            remaining=remaining,
        )
    )
    if change.decided is not None:
        _out(
            get(language)(
                "ledger.cli.change_decided",
                decided=change.decided,
                recorded=clock.record_day(change.created).isoformat(),
            )
        )
    if change.outside_policy:
        _out(
            get(language)(
                "ledger.cli.amended_outside_policy",
                round=change.round,
                rules=[waived_rule(r) for r in change.outside_policy],
            )
        )
        for said in waived_figures(change):
            _out(f"  {said.render(language)}")
    for warning in change.warnings:
        # After what was recorded, as allocate says its warnings: the change stands.
        _out(f"{get(language)('severity.warning')}: {warning.render(language)}")
    if change.amount_after < change.amount_before:
        # Money freed: the round's reserve list is there to be funded from it (policy.reserve).
        waiting = ledger_module.reserve_list(path, change.round)
        if waiting:
            _out(
                get(language)(
                    "ledger.cli.reserve_waiting",
                    round=change.round,
                    # Each with what it may get (its eligible amount), so that the officer
                    # sees which the money freed and what remains of the frame can fund.
                    ids=[
                        get(language)(
                            "ledger.cli.reserve_item",
                            id=award.application_id,
                            amount=award.eligible,
                        )
                        for award in waiting
                    ],
                )
            )


ReasonOpt = Annotated[
    str,
    typer.Option(
        "--reason", help="Why: recorded in the ledger with the change.", show_default=False
    ),
]
DecidedOpt = Annotated[
    str | None,
    typer.Option(
        "--decided",
        metavar="DATE",
        help="The date the change was decided (2009-10-12 or 12.10.2009), recorded beside the "
        "time it is recorded and shown as its date. Default: only the time it is recorded.",
        show_default=False,
    ),
]


@app.command(context_settings=EXTRA_WORDS)
def amend(
    ctx: typer.Context,
    application_id: Annotated[
        str, typer.Argument(metavar="ID", help="The application id.", show_default=False)
    ],
    amount: Annotated[
        str,
        typer.Option(
            "--amount", help="The new amount: 450000, '450\u00a0000' or 0,45M.", show_default=False
        ),
    ],
    reason: ReasonOpt,
    outside_policy: Annotated[
        bool,
        typer.Option(
            "--outside-policy",
            help="Record an amount the round's policy would not give (a board's decision): the "
            "rules it goes beyond are recorded with it. The reason should cite the decision.",
        ),
    ] = False,
    decided: DecidedOpt = None,
    round_: RoundOpt = None,
    programme: ProgrammeOpt = None,
    ledger: LedgerOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Record a new amount for a committed award, with the reason. Money freed returns to the frame.

    The ledger is append-only: the amendment is a new entry, the committed award stays as it
    was. An increase must fit in what remains of the frame; the amount can't exceed what was
    applied for. The round's policy holds: an increase stays under max_award, the share of cost,
    per_applicant_max and the quotas' maximums; any new amount is on the round_to grid and at
    least min_award (--outside-policy records a board's decision to go beyond them, naming the
    rules). A quota minimum a lowered award no longer meets is said, not refused. A reserve
    application can be funded this way when money frees up: an amendment or withdrawal that
    frees money lists the round's reserve list, in order, with what each may get.

    Example:

        tilskudd amend 2009-017 --amount 450000 \\
            --decided 12.10.2009 \\
            --reason "Cost reduced (letter 12.10.2009)"
    """
    with contextlib.ExitStack() as in_currency, guard(debug):
        _change(
            in_currency,
            ctx,
            "amend",
            application_id,
            amount,
            reason,
            programme,
            ledger,
            round_,
            lang,
            outside_policy,
            decided,
        )


@app.command(context_settings=EXTRA_WORDS)
def withdraw(
    ctx: typer.Context,
    application_id: Annotated[
        str, typer.Argument(metavar="ID", help="The application id.", show_default=False)
    ],
    reason: ReasonOpt,
    decided: DecidedOpt = None,
    round_: RoundOpt = None,
    programme: ProgrammeOpt = None,
    ledger: LedgerOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Record that a committed award is withdrawn; its money returns to the frame.

    The ledger is append-only: the withdrawal is a new entry with its reason, and the committed
    award stays as it was. A withdrawal is never refused for the round's quotas; a minimum it
    leaves unmet is said.

    Example:

        tilskudd withdraw 2009-117 --decided 3.11.2009 \\
            --reason "Municipality withdrew (e-mail 3.11.2009)"
    """
    with contextlib.ExitStack() as in_currency, guard(debug):
        _change(
            in_currency,
            ctx,
            "withdraw",
            application_id,
            None,
            reason,
            programme,
            ledger,
            round_,
            lang,
            decided=decided,
        )


def _decision_text(pair: tuple[str, int] | None, t: Any, lang: str) -> str:
    from tilskudd.currency import amount_unit
    from tilskudd.money import format_amount

    if pair is None:
        return "–"
    return f"{t(f'ledger.state.{pair[0]}')} {format_amount(pair[1], lang, currency=amount_unit())}"


@app.command(context_settings=EXTRA_WORDS)
def verify(
    ctx: typer.Context,
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input",
            help="The round's input file, if it moved since the commit (its SHA-256 must match).",
            show_default=False,
        ),
    ] = None,
    round_: Annotated[int | None, typer.Option("--round", help="Re-run only this round.")] = None,
    programme: ProgrammeOpt = None,
    ledger: LedgerOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check the ledger: recompute its hash chain, and re-run each committed round.

    Each round is re-run from its recorded input file (or --input), reading options, budget
    and policy, against the ledger as it was before that commit, and must give the same
    decisions. Changes to an award recorded out of the order they were decided (by an older
    tilskudd), and a decision date in tilskudd.toml other than the one recorded with a round,
    are warnings. Exit code 0 when everything agrees (warnings allowed), 1 when anything
    differs or cannot be re-run.

    Example:

        tilskudd verify --round 1 \\
            --input arkiv/difi_2009_runde1.xlsx
    """
    # The ledger's currency, once known, for every amount said (errors too: outside guard).
    with contextlib.ExitStack() as in_currency, guard(debug):
        from tilskudd.currency import amounts_in
        from tilskudd.i18n import get
        from tilskudd.ledger import Ledger, currency_of, exists
        from tilskudd.rounds import decision_date_note, verify_round
        from tilskudd.wording import issue_cell, issue_text

        # Said together: --lang, --round, the programme, --input.
        problems, found = programme_gathered(ctx, programme, lang, required=True)
        with problems.gather():
            if input_file is not None and round_ is None and "round_" not in problems.refused:
                raise UsageError(key="ledger.error.input_needs_round")
        language = resolve_lang(problems.lang, declared_lang(found, problems))  # theirs, too
        problems.raise_any()
        assert found is not None
        t = get(language)
        failed = False
        path = ledger_for(found, ledger)
        if not exists(path):
            _out(t("ledger.cli.no_ledger", path=_where(path)))
            return
        in_currency.enter_context(amounts_in(currency_of(path, found)))
        with Ledger.open(path, write=False) as opened:
            chain = opened.verify_chain()
            if chain.ok:
                _out(t("ledger.cli.chain_ok", entries=chain.entries, head=chain.head))
            else:
                failed = True
                problem = chain.problem_phrase or chain.problem
                _out(
                    t(
                        "ledger.cli.chain_bad",
                        seq=chain.first_bad,
                        problem=problem,
                        path=_where(path),
                    )
                )
            # Recorded by a tilskudd from before the order was checked: said, and the ledger
            # stands (a warning: the exit code stays 0, as for every command's warnings).
            for late in opened.changes_out_of_order(round=round_):
                said = t(
                    "ledger.cli.change_out_of_order",
                    round=late.round,
                    id=late.application_id,
                    later=late.later_seq,
                    later_date=late.later_date,
                    earlier=late.earlier_seq,
                    earlier_date=late.earlier_date,
                )
                _out(f"{t('severity.warning')}: {said}")
            every = opened.commits()
            commits = [c for c in every if round_ is None or c.round == round_]
            if round_ is not None and not commits and every:
                # The rounds there are to verify, rather than only the one there is not.
                raise UsageError(
                    key="ledger.error.round_not_committed_but",
                    round=round_,
                    n=len(every),
                    committed=[str(c.round) for c in every],
                )
            if round_ is not None and not commits:
                raise UsageError(key="ledger.error.round_not_committed", round=round_)
            if not commits and round_ is None:
                _out(t("ledger.cli.nothing"))
            for commit in commits:
                noted = decision_date_note(commit, found)
                if noted is not None and noted[0]:
                    _out(f"{t('severity.warning')}: {noted[1].render(language)}")
                report = verify_round(opened, found, commit, input_path=input_file)
                shown = visible(report.input_path or commit.input_file or "?")
                if report.problem is not None:
                    failed = True
                    problem = report.problem_phrase or report.problem
                    _out(t("ledger.cli.round_skip", round=commit.round, problem=problem))
                elif report.ok:
                    # The re-run gives the round as committed; changed since, what it awards
                    # now is said beside it, as status gives it, so the two are not confused.
                    now = opened.round_status(found, commit.round)
                    changes = [
                        t(f"ledger.count.{key}", n=n)
                        for key, n in (
                            ("amendments", now.amendments if now else 0),
                            ("withdrawals", now.withdrawals if now else 0),
                        )
                        if n
                    ]
                    _out(
                        t(
                            "ledger.cli.round_ok_changed" if changes else "ledger.cli.round_ok",
                            round=commit.round,
                            file=shown,
                            n=commit.applications,
                            amount=report.awarded,
                            current=now.current if now else report.awarded,
                            changes=t.join(changes),
                        )
                    )
                else:
                    failed = True
                    _out(
                        t(
                            "ledger.cli.round_diff",
                            round=commit.round,
                            file=shown,
                            applications=t("ledger.count.applications", n=len(report.differences)),
                        )
                    )
                    for difference in report.differences:
                        _out(
                            t(
                                "ledger.cli.round_diff_line",
                                id=difference.application_id,
                                recorded=_decision_text(difference.recorded, t, language),
                                rerun=_decision_text(difference.rerun, t, language),
                            )
                        )
                        # Why the re-run rejects what the ledger does not: the cell, said.
                        for issue in difference.input_errors:
                            _out(
                                t(
                                    "ledger.cli.round_diff_problem",
                                    cell=issue_cell(issue, language),
                                    problem=issue_text(issue, language),
                                )
                            )
                    if any(d.input_errors for d in report.differences):
                        _out(t("ledger.cli.round_diff_reading", round=commit.round))
                    if report.claims_counted:
                        _out(t("ledger.cli.round_diff_claims", round=commit.round))
        if failed:
            raise typer.Exit(int(ExitCode.INVALID_INPUT))


@ledger_app.command("export", context_settings=EXTRA_WORDS)
def export(
    ctx: typer.Context,
    output_text: Annotated[
        str, typer.Argument(metavar="OUTPUT", help="OUT.xlsx or OUT.csv.", show_default=False)
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
    programme: ProgrammeOpt = None,
    ledger: LedgerOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write every recorded award, amendment and committed round to .xlsx or .csv.

    One row per application and round with its committed and current amount; the workbook
    also has the amendments and the rounds with their input files' SHA-256.

    Example:

        tilskudd ledger export tilskudd-2009.xlsx
    """
    # The ledger's currency, once known, for every amount said (errors too: outside guard).
    with contextlib.ExitStack() as in_currency, guard(debug):
        from tilskudd import ledger as ledger_module
        from tilskudd.currency import amounts_in
        from tilskudd.export import check_output_path
        from tilskudd.i18n import get

        # The ledger and the output file: each problem with the other's, in one run.
        # An output's name with spaces would not be there: its words are said as extra.
        problems, found = programme_gathered(ctx, programme, lang, required=ledger is None)
        language = resolve_lang(problems.lang, declared_lang(found, problems))
        path: Path | None = None
        with problems.gather():
            if found is not None or ledger is not None:  # else said above: no programme
                path = ledger_for(found, ledger)
        output: Path | None = None
        with problems.gather():
            output = output_path(output_text, "tilskudd-ledger.xlsx")
            if output is not None:  # None: none given, said with the rest
                refuse_open_output(output)
                # As the export checks them, in the same order: said here with the ledger's.
                check_output_path(output, inputs=[path] if path is not None else [], force=force)
                if output.suffix.lower() not in (".xlsx", ".csv"):
                    raise UsageError(key="ledger.error.export_format", name=output.name)
        with problems.gather():
            if path is not None:  # there, and a tilskudd ledger this tilskudd can read
                with ledger_module.Ledger.open(path, write=False):
                    pass
                # In the programme's currency, which must be its ledger's.
                in_currency.enter_context(amounts_in(ledger_module.currency_of(path, found)))
        problems.raise_any()
        assert path is not None
        assert output is not None
        used = ledger_module.export(path, output, lang=language, force=force, programme=found)
        t = get(language)
        _out(t("cli.wrote", path=visible(str(output)), format=used))
        # Said for the CSV too, whose rows are the decisions alone: a total row among them
        # would be summed with them.
        summary = ledger_module.frame_summary(path, found)
        if summary is not None:
            _out(
                t(
                    "ledger.cli.export_frame"
                    if summary.remaining >= 0
                    else "ledger.cli.export_frame_over",
                    frame=summary.frame,
                    awarded=summary.awarded_now,
                    remaining=summary.remaining,
                    over=-summary.remaining,
                )
            )
        chain = ledger_module.verify_chain(path)
        if not chain.ok:
            # Exported as recorded (it may help find what changed), but said to be untrustworthy.
            _out(
                get(language)(
                    "ledger.status.tampered_export", seq=chain.first_bad, path=_where(path)
                )
            )


# --- allocate --round N [--commit]: the programme's side of `tilskudd allocate` ----------------


class RoundPlan:
    """What a programme adds to ``tilskudd allocate``: defaults, and with ``--round`` the ledger.

    Without a programme (none found, none given) every field is empty and allocate works as a
    lone round.
    """

    def __init__(
        self,
        programme: Programme | None,
        ledger: Path | None,
        round_number: int | None,
        context: Any = None,
    ) -> None:
        self.programme = programme
        self.ledger = ledger
        self.round = round_number
        self.context = context

    def files(self) -> list[Path]:
        """The programme file and its ledger: read by the round, so never replaced by an output."""
        if self.programme is None:
            return []
        files = [self.ledger or self.programme.ledger_path]
        if self.programme.path is not None:
            files.append(self.programme.path)
        return files

    @property
    def lang(self) -> str | None:
        """The programme's language, a fallback after --lang and the policy file's."""
        return self.programme.lang if self.programme else None

    @property
    def register(self) -> str | None:
        """The programme's municipality numbering, used unless --register is given."""
        return self.programme.register_year if self.programme else None

    @property
    def budget(self) -> int | None:
        """The round's budget (or what remains of the frame), used unless --budget is given."""
        return self.context.budget if self.context is not None else None

    def policy(self) -> Any:
        """The programme's policy for the round (or its default policy), the base for options."""
        if self.programme is None:
            return None
        if self.round is not None:
            done = self.context.already_committed if self.context is not None else None
            if done is not None:
                # The policy the round was committed with (its lottery seed included).
                from pydantic import ValidationError

                from tilskudd.errors import LedgerError
                from tilskudd.models import Policy

                try:
                    return Policy.from_record(done.policy)
                except ValidationError as exc:
                    # Recorded by another tilskudd (a setting this one does not know): said as
                    # verify says it, not a traceback.
                    fields = sorted(
                        {str(e["loc"][0]) if e["loc"] else "policy" for e in exc.errors()}
                    )
                    raise LedgerError(
                        key="ledger.error.verify_policy_unreadable",
                        round=done.round,
                        version=done.tool_version,
                        fields=fields,
                    ) from None
            return self.programme.round_policy(self.round)
        return self.programme.policy

    def run(
        self,
        checked: Any,
        budget: int,
        policy: Any,
        *,
        sha256: str | None,
        fallback: Any,
        lang: str | None = None,
        currency: str = "NOK",
    ) -> Any:
        """Allocate: against the ledger with --round, else ``fallback`` (the plain pipeline,
        with the programme's funder when a programme was found). ``lang``: the output's
        language, which a round the programme file does not name is named in. ``currency``:
        the round's, without --round (with it, the programme's)."""
        if self.context is None or self.programme is None:
            funder = self.programme.funder if self.programme is not None else None
            return fallback(
                checked, budget, policy, sha256=sha256, funder=funder, currency=currency
            )
        from tilskudd.rounds import run_programme_round

        return run_programme_round(
            checked, self.context, policy, self.programme, budget=budget, sha256=sha256, lang=lang
        )

    def require_as_committed(
        self,
        result: Any,
        file: Path,
        sha256: str,
        *,
        register: str | None = None,
        columns: Path | None = None,
    ) -> None:
        """Refuse a run of a committed round that is not the round as committed (another input
        file, budget or policy, or decisions the ledger does not have): its documents and
        explanations would contradict the ledger while saying they repeat it. ``register`` and
        ``columns``: the run's --register and --columns, to tell a reading of its own from a
        file this tilskudd reads more strictly than the one that committed it."""
        done = self.context.already_committed if self.context is not None else None
        if done is None:
            return
        from tilskudd.errors import LedgerError
        from tilskudd.i18n import Phrase
        from tilskudd.ledger import Ledger, canonical_json
        from tilskudd.rounds import counted_claims

        allocation = result.allocation
        policy = allocation.policy.describe()
        fields = sorted(
            key
            for key in set(policy) | set(done.policy)
            if canonical_json(policy.get(key)) != canonical_json(done.policy.get(key))
        )
        difference: Phrase | None = None
        # Another file has no option to leave out: the way on is the file as committed.
        advice = Phrase("ledger.error.rerun_advice")
        if sha256 != done.input_sha256:
            advice = Phrase("ledger.error.rerun_advice_input")
            difference = Phrase(
                "ledger.error.rerun_input",
                path=str(file),
                committed_file=visible(done.input_path or done.input_file or "?"),
                actual=sha256[:12],
                recorded=done.input_sha256[:12],
            )
        elif allocation.budget != done.budget:
            difference = Phrase(
                "ledger.error.rerun_budget", budget=allocation.budget, committed=done.budget
            )
        elif fields:
            difference = Phrase("ledger.error.rerun_policy", fields=fields, round=done.round)
        else:
            assert self.ledger is not None
            from tilskudd.models import Status
            from tilskudd.validation import legacy_row_ids

            rerun = {d.application_id: (str(d.status), d.amount) for d in allocation.decisions}
            # "S-01 (row 17)" in a round committed before 2026-11-29 is "S-01 (A17)" now.
            legacy = legacy_row_ids(rerun)
            with Ledger.open(self.ledger, write=False) as opened:
                recorded = {
                    legacy.get(app_id, app_id): (status, amount)
                    for app_id, status, amount in opened.decided(done.seq)
                }
            differing = sorted(
                key for key in set(recorded) | set(rerun) if recorded.get(key) != rerun.get(key)
            )
            # Rejected now, not then, from the same bytes: this tilskudd reads the file more
            # strictly (an error cell an older one read as empty); no option will change it.
            rejected = {
                key
                for key in differing
                if (rerun.get(key) or ("",))[0] == Status.REJECTED
                and (recorded.get(key) or (Status.REJECTED,))[0] != Status.REJECTED
            }
            recorded_reading = done.reading or {}
            same_reading = (
                register is not None
                and str(register) == str(recorded_reading.get("register"))
                and columns is None
                and recorded_reading.get("columns") is None
            )
            if differing and same_reading and rejected == set(differing):
                difference = Phrase("ledger.error.rerun_rejected", ids=differing, round=done.round)
            elif differing:
                # Decided by proportional counting per_applicant_max against claims (until
                # 2026-11-30): a re-run differs for that alone, and is told so. (The awards'
                # reasons are read only here: a run that agrees reads the decisions alone.)
                with Ledger.open(self.ledger, write=False) as opened:
                    claims = counted_claims(
                        a for a in opened.awards(round=done.round) if a.commit_seq == done.seq
                    )
                key = "ledger.error.rerun_claims" if claims else "ledger.error.rerun_decisions"
                difference = Phrase(key, ids=differing, round=done.round)
        if difference is not None:
            raise LedgerError(
                key="ledger.error.rerun_differs",
                earlier=done.description(),
                difference=difference,
                advice=advice,
            )

    def changes_since(self, result: Any) -> Any:
        """``result`` of a committed round with the amendments and withdrawals the ledger
        recorded since (:func:`tilskudd.ledger.with_changes`); ``result`` itself for any
        other round."""
        if self.context is None or self.ledger is None:
            return result
        from tilskudd.ledger import with_changes

        return with_changes(self.ledger, result, self.context)

    def _last_planned(self, round_number: int) -> bool:
        """Whether the programme file plans no round after round ``round_number``."""
        return self.programme is not None and all(
            r.number <= round_number for r in self.programme.rounds
        )

    def _changed_since(
        self, lang: str, round_number: int, *, as_decided: bool = False, compared: bool = False
    ) -> None:
        """A committed round run again when awards of it were amended or withdrawn since: say
        so, and what the table above shows (the awards as they stand, or as decided; of a
        comparison, ``compared``, the rules' decisions without the changes)."""
        if self.programme is None or self.ledger is None:
            return
        from tilskudd import ledger as ledger_module
        from tilskudd.i18n import get

        t = get(lang)
        # This round's figures alone: status's would check the whole hash chain too (2.5 s at
        # 100 000 awards), which nothing here says.
        item = ledger_module.round_status(self.ledger, self.programme, round_number)
        if item is None or not (item.amendments or item.withdrawals):
            return
        changes = [
            t(f"ledger.count.{key}", n=n)
            for key, n in (("amendments", item.amendments), ("withdrawals", item.withdrawals))
            if n
        ]
        if compared:
            key = "round_changed_since_compare"
        else:
            key = "round_changed_since_as_decided" if as_decided else "round_changed_since"
        _out(
            t(
                f"ledger.cli.{key}",
                round=round_number,
                changes=t.join(changes),
                committed=item.committed,
                current=item.current,
            )
        )
        # As status says it: a withdrawal may have left a quota minimum of the round unmet.
        for line in ledger_module.quota_lines(item, lang):
            _out(line)
        if not compared:
            # Money freed went back to the programme's frame, not to the round: what is left of
            # it is what an officer funds the next change or round from (as status says it;
            # nothing remains of a frame cut below what is awarded).
            remaining = ledger_module.frame_remaining(self.ledger, self.programme)
            _out(
                t(
                    "ledger.cli.round_changed_frame_remaining",
                    frame=self.programme.frame,
                    remaining=max(remaining, 0),
                )
            )

    def compared(self, lang: str) -> None:
        """Under a comparison of the rules (``--compare``) on a committed round changed since:
        that the comparison is of the decisions, as decided, without the changes since."""
        ctx = self.context
        if ctx is not None and ctx.already_committed is not None:
            self._changed_since(lang, ctx.round, compared=True)

    def report(
        self,
        result: Any,
        lang: str,
        *,
        budget_given: bool,
        as_decided: bool = False,
        committing: bool = False,
    ) -> None:
        """Say where the budget came from and which applications were funded before (and of a
        round changed since, what the table above shows: ``as_decided`` or as it stands), and
        which are rejected for errors in the sheet, as the ledger will keep them
        (``committing``: as it records them now)."""
        if self.context is None:
            return
        from tilskudd.i18n import get
        from tilskudd.models import funded_before

        t = get(lang)
        ctx = self.context
        if ctx.already_committed is not None:
            when = ctx.already_committed.committed_at
            _out(t("ledger.cli.round_committed", round=ctx.round, when=when))
            if self.programme is not None:
                from tilskudd.rounds import decision_date_note

                # The date its documents give: as recorded, said when tilskudd.toml differs.
                noted = decision_date_note(ctx.already_committed, self.programme)
                if noted is not None:
                    warning, said = noted
                    text = said.render(lang)
                    _out(f"{t('severity.warning')}: {text}" if warning else text)
            self._changed_since(lang, ctx.round, as_decided=as_decided)
        elif ctx.not_committed_before:
            # Said before --commit makes it so: a ledger can't be undone, and the rounds left
            # out could never be committed after this one. A budget that takes what the
            # programme file plans for them is refused by --commit: said, with what to do.
            earlier = ctx.not_committed_before
            budget = result.allocation.budget
            taken = ctx.takes_from_earlier(budget)
            _out(
                t(
                    "ledger.cli.takes_earlier_rounds"
                    if taken
                    else "ledger.cli.earlier_not_committed",
                    n=len(earlier),
                    earlier=[str(n) for n in earlier],
                    first=earlier[0],
                    round=ctx.round,
                    budget=budget,
                    taken=taken,
                    planned=ctx.planned_before,
                    most=budget - taken,
                )
            )
        if not budget_given:
            if ctx.budget_source == "committed":
                _out(t("ledger.cli.round_budget_committed", round=ctx.round, budget=ctx.budget))
            elif (
                ctx.budget_source == "round"
                and self._last_planned(ctx.round)
                and not ctx.not_committed_before
                and ctx.remaining > ctx.budget
            ):
                # The last round of the programme file leaves money of the frame that no round
                # will allocate (freed by amendments, or left by earlier rounds): said, with the
                # --budget that takes it all. Not while an earlier round is not committed: its
                # money is not left over, and a --budget that took it would be refused.
                _out(
                    t(
                        "ledger.cli.round_budget_more",
                        round=ctx.round,
                        budget=ctx.budget,
                        remaining=ctx.remaining,
                        more=ctx.remaining - ctx.budget,
                        all=str(ctx.remaining),
                    )
                )
            elif ctx.budget_source == "round":
                _out(t("ledger.cli.round_budget", round=ctx.round, budget=ctx.budget))
            elif ctx.planned is not None:
                _out(
                    t(
                        "ledger.cli.round_budget_remaining",
                        round=ctx.round,
                        budget=ctx.budget,
                        planned=ctx.planned,
                    )
                )
            else:
                _out(t("ledger.cli.round_budget_rest", round=ctx.round, budget=ctx.budget))
        elif ctx.already_committed is None and result.allocation.budget > ctx.remaining:
            # Said now, not first when --commit refuses it after the officer has read the table.
            _out(
                t(
                    "ledger.cli.budget_over_remaining",
                    round=ctx.round,
                    budget=result.allocation.budget,
                    frame=ctx.frame,
                    remaining=ctx.remaining,
                    most=str(max(ctx.remaining, 0)),
                )
            )
        again = [d.application_id for d in result.allocation.decisions if funded_before(d)]
        if again:
            from tilskudd.wording import listed

            # At most ten named, then how many more, as the round's other notes (53 in a line
            # helped nobody; the documents name every one).
            _out(t("ledger.cli.already_funded", ids=listed(again, t)))
        if ctx.prior_by_orgnr and result.allocation.policy.per_applicant_max is not None:
            _out(t("ledger.cli.prior_orgnr", n=len(ctx.prior_by_orgnr)))
        from tilskudd.models import Status

        rejected = [
            d.application_id for d in result.allocation.decisions if d.status is Status.REJECTED
        ]
        if rejected and ctx.already_committed is None:
            from tilskudd.wording import listed

            # Said under the table, where the officer reads before --commit (the cells are
            # listed above it, scrolled away in a round of a hundred rows): the ledger keeps
            # such an application rejected, and no amendment can fund it afterwards.
            _out(
                t(
                    "ledger.cli.rejected_committed"
                    if committing
                    else "ledger.cli.rejected_recorded",
                    round=ctx.round,
                    n=len(rejected),
                    ids=listed(rejected, t),
                )
            )

    def commit(self, result: Any, file: Path, reading: dict[str, Any], lang: str) -> None:
        """Record the round in the ledger (``--commit``) and say what was recorded."""
        from tilskudd import ledger as ledger_module
        from tilskudd.i18n import get

        assert self.programme is not None
        assert self.ledger is not None
        assert self.round is not None
        # A new ledger is said with its path: where the programme's went missing (moved away),
        # this one starts the frame afresh, and the officer should know it. Said by the commit
        # that is its first entry (another process may make the file first), also in a file
        # left empty by a first commit that was stopped halfway.
        new = not ledger_module.exists(self.ledger)
        info = ledger_module.commit_round(
            self.ledger,
            result,
            self.programme,
            self.round,
            input_path=file,
            reading=reading,
            allocated_against=self.context,  # refused if the ledger changed since
        )
        t = get(lang)

        def count(key: str, n: int) -> str:
            return t(f"ledger.count.{key}", n=n)

        _out(
            t(
                "ledger.cli.committed" if info.municipalities else "ledger.cli.committed_no_places",
                round=info.round,
                amount=info.awarded,
                projects=count("projects", info.projects),
                municipalities=count("municipalities", info.municipalities),
                seq=info.seq,
                remaining=info.remaining,
            )
        )
        _out(t("ledger.cli.head", head=info.head))
        if info.seq == 1:
            key = "ledger.cli.created" if new else "ledger.cli.first_entry"
            _out(t(key, path=_where(self.ledger), round=info.round))

    def outside_ledger(self) -> bool:
        """Whether this is a run in a programme whose ledger holds committed rounds, made
        without --round: not against them."""
        if self.programme is None or self.round is not None:
            return False
        from tilskudd import ledger as ledger_module

        return ledger_module.exists(self.programme.ledger_path)

    def without_round(self, lang: str) -> None:
        """In a programme whose ledger holds committed rounds, an allocation without --round is
        not made against them: said, since its award list may fund again what an earlier round
        funded (and count no earlier award under per_applicant_max), and nothing of it can be
        committed."""
        if self.outside_ledger():
            from tilskudd.i18n import get

            _out(get(lang)("ledger.cli.without_round"))

    def not_committed(self, lang: str) -> None:
        """Remind that a round allocated with --round is not recorded without --commit."""
        if self.context is not None and self.context.already_committed is None:
            from tilskudd.i18n import get

            _out(get(lang)("ledger.cli.not_committed"))


def plan_round(
    programme: Path | None,
    ledger: Path | None,
    round_number: int | None,
    *,
    commit: bool,
    dry_run: bool,
    lang: str | None,
) -> RoundPlan:
    """The programme (if any) and, with ``--round``, the round's context from the ledger."""
    resolve_lang(lang)  # the refusals below are said in --lang (or TILSKUDD_LANG)
    if commit and dry_run:
        raise UsageError(key="ledger.error.dry_run_commit")
    if commit and round_number is None:
        raise UsageError(key="ledger.error.commit_needs_round")
    needed = round_number is not None or ledger is not None
    found = programme_for(programme, required=needed, lang=lang)
    if found is None:
        return RoundPlan(None, None, None)
    if round_number is None:
        return RoundPlan(found, None, None)
    from tilskudd import ledger as ledger_module

    # The ledger's refusals (another programme's ledger, a damaged file) in the programme's
    # language unless --lang says otherwise; allocate settles the language (a policy file's
    # may come first) once the round is planned.
    resolve_lang(lang, found.lang)
    path = ledger_for(found, ledger)
    context = ledger_module.round_context(path, found, round_number)
    return RoundPlan(found, path, context.round, context)
