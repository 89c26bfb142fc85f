"""The typer application every command module registers on.

Only typer (and the click it carries) is imported here; commands import the library inside
their functions so that ``tilskudd --help`` starts in well under a third of a second.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, NoReturn

import typer
from typer._click import Command as ClickCommand
from typer._click import Context as ClickContext
from typer._click import HelpFormatter, Parameter
from typer._click import exceptions as click_errors  # the click typer (>= 0.26) carries
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.models import CommandFunctionType

from tilskudd import __version__


class RepeatedOption(click_errors.UsageError):
    """An option that takes one value, given more than once (``--budget 20M … --budget 2M``).

    Click would keep the last value without a word; in a command that allocates money, or
    writes a file, the first one dropped silently is a mistake the officer never sees.
    """

    def __init__(
        self,
        option: str,
        values: Sequence[str],
        ctx: ClickContext,
        param: Parameter | None = None,
    ) -> None:
        super().__init__(f"Option {option!r} was given more than once.", ctx)
        self.option = option
        self.values = list(values)
        self.param = param
        """The option given more than once (None: not known)."""


def _given_values(names: Sequence[str], args: Sequence[str]) -> list[str]:
    """The values ``args`` give to the option called ``names``, as typed (for a message)."""
    values: list[str] = []
    for at, word in enumerate(args):
        if word == "--":
            break
        if word in names:
            values.append(args[at + 1] if at + 1 < len(args) else "")
            continue
        for name in names:
            if word.startswith(f"{name}="):
                values.append(word[len(name) + 1 :])
            elif len(name) == 2 and len(word) > 2 and word.startswith(name) and word[1] != "-":
                values.append(word[2:])  # -oVALUE: a short option with its value joined
    return values


def _checking_repeats(parser: Any, ctx: ClickContext) -> Any:
    """``parser`` (click's, for ``ctx``'s command) made to refuse an option that takes one value
    given twice: :class:`RepeatedOption`. Flags may be repeated (``--force --force`` says the
    same thing twice), as may the options made to take several values. The parser's own order
    of what it read is counted, so a value that looks like an option is not taken for one.

    In a command, each option given twice is kept (:func:`_keep`), to be said with the
    command's other problems (an unknown option, a missing file, a value refused), and takes
    its default meanwhile, as an option misspelt does: the command stops before it uses it,
    and a required one is not also said to be left out. ``--lang`` keeps the last, as a usage
    error finds its language (:func:`tilskudd.cli.usage.usage_language`): the mistakes are said
    in it. A group's own options (``tilskudd --lang nb --lang en``) are said at once, as
    before."""
    parse = parser.parse_args

    def parse_args(args: list[str]) -> tuple[Any, list[str], list[Parameter]]:
        words = list(args)
        opts, rest, order = parse(args=args)
        seen: set[str] = set()
        said: set[str] = set()
        for param in order:
            if not isinstance(param, TyperOption) or param.multiple or param.count:
                continue
            if param.is_flag or param.name is None:
                continue
            if param.name in seen and param.name not in said:
                names = [*param.opts, *param.secondary_opts]
                # A group reads its own options up to its command's name: only those words.
                read = words if parser.allow_interspersed_args else words[: len(words) - len(rest)]
                values = _given_values(names, read)
                option = max(names, key=len)
                repeated = RepeatedOption(option, values if len(values) > 1 else [], ctx, param)
                if ctx.resilient_parsing or not isinstance(ctx.command, Command):
                    raise repeated
                _keep(ctx, repeated)
                if param.name != "lang":  # the language it is said in: the last, as click's
                    opts.pop(param.name, None)
                said.add(param.name)
            seen.add(param.name)
        return opts, rest, order

    parser.parse_args = parse_args
    return parser


class UnknownCommand(click_errors.UsageError):
    """A command name that is not one of the group's, with the names it may have meant."""

    def __init__(self, name: str, near: Sequence[str], ctx: ClickContext) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.name = name
        self.near = list(near)


_METAVARS = {
    **dict.fromkeys(
        ("amount", "budget", "frame", "max_award", "min_award", "round_to", "per_applicant_max"),
        "AMOUNT",
    ),
    **dict.fromkeys(
        ("columns", "input_file", "ledger", "output_text", "policy_file", "programme"), "FILE"
    ),
    **dict.fromkeys(("limit", "reserve", "round_", "seed"), "N"),
    **dict.fromkeys(("funder", "name"), "NAME"),
    "max_share_of_cost": "SHARE",
    "min_score": "SCORE",
    "lottery_band": "POINTS",
    "tie_break": "COLUMNS",
    "compare": "RULES",
    "compare_budget": "AMOUNTS",
    "sheet": "SHEET",
    "reason": "TEXT",
    "register": "<2009|2020|2024>",
    "identifier_prefix": "PREFIX",
    "currency": "CODE",
    "output_format": "FORMAT",
    "csv_dialect": "<excel|plain>",
    "at_line": "<skip|stop|partial>",
    "rule": "<ranked|proportional|optimal|lottery>",
    "weight": "<none|score>",
    "objective": "<score|count|score_amount>",
}
"""What an option's value is, as its help shows it, where typer would show the Python type
(``--budget <str>``, ``--reserve <int>``): the word an officer would use (``AMOUNT``, ``N``), or
the values it takes. Choices typer knows (``--register <2009|2020|2024>``) keep typer's list. A help
in bokmål shows each word as ``metavar.<word>`` of ``locales/help/nb.toml`` says (``BELØP``)."""


_WORDS_GIVEN = "tilskudd.words_given"
"""Set in a command's context when words were typed after its name (see :func:`_kept_missing`)."""


def _kept_missing(
    param: Parameter, ctx: ClickContext, exc: click_errors.MissingParameter, args: list[str]
) -> tuple[Any, list[str]]:
    """A required argument or option left out (``tilskudd allocate --budget xx``, ``amend A
    --amount x`` without ``--reason``): kept, as a refused value is (:class:`_Option`), for the
    command to say with its other problems (:class:`tilskudd.cli.common.Problems`), rather than
    alone before them; the parameter is None meanwhile, and the command stops before it uses
    it. A command typed with nothing after it (``tilskudd allocate``), a group's parameters and
    shell completion: said at once, as before."""
    if ctx.resilient_parsing or not isinstance(ctx.command, Command):
        raise exc
    if not ctx.meta.get(_WORDS_GIVEN):
        raise exc
    if not any(_said_of(param, kept) for kept in _kept(ctx)):
        _keep(ctx, exc)
    if param.expose_value and param.name is not None:
        ctx.params[param.name] = None
    return None, args


def _said_of(param: Parameter, kept: click_errors.UsageError) -> bool:
    """``kept`` says what is wrong with ``param``, which is then not said to be left out as
    well: its value refused (``--times x`` of a required ``--times``, read again without it),
    typed without its value (``--amount`` at the end), or misspelt (see :func:`meant_option`)."""
    return getattr(kept, "param", None) is param or meant_option(kept) in param.opts


def _kept(ctx: ClickContext) -> list[click_errors.UsageError]:
    """The mistakes kept in ``ctx`` so far, to be said together (see :func:`_keep`)."""
    from tilskudd.cli.common import REFUSED_VALUES

    kept: list[click_errors.UsageError] = ctx.meta.setdefault(REFUSED_VALUES, [])
    return kept


def _keep(ctx: ClickContext, exc: click_errors.UsageError) -> None:
    """Keep ``exc``, a mistake in how the command was typed, for the command to say with its
    other problems (:class:`tilskudd.cli.common.Problems`)."""
    _kept(ctx).append(exc)


def nearest_first(typed: str, names: Sequence[str]) -> list[str]:
    """``names`` (those near ``typed``, as difflib finds them) in the order a "did you mean"
    says them: the nearest first, by difflib's ratio as click and difflib measure it; names as
    near as each other in alphabetical order, so that the same typing gives the same list."""
    import difflib

    def ratio(name: str) -> float:
        return difflib.SequenceMatcher(None, name, typed).ratio()

    return sorted(dict.fromkeys(names), key=lambda name: (-ratio(name), name))


def near_options(exc: click_errors.NoSuchOption) -> list[str]:
    """The options near an unknown one, nearest first (:func:`nearest_first`)."""
    return nearest_first(exc.option_name, exc.possibilities or ())


def meant_option(exc: Exception) -> str | None:
    """The option a mistake the parser found is about: the one typed without its value
    (``--budget`` at the end), or the nearest to an unknown one (``--budjet`` for
    ``--budget``), as its "did you mean" names first; None for another mistake."""
    if isinstance(exc, click_errors.NoSuchOption):
        near = near_options(exc)
        return near[0] if near else None
    if isinstance(exc, click_errors.BadOptionUsage):
        return exc.option_name
    return None


class UnknownOptionWithWord(click_errors.NoSuchOption):
    """An unknown option with nothing near it, and the word after it taken for its value
    (``--farge rød``): said once, as the two words, not the option and then an extra word."""

    def __init__(self, unknown: click_errors.NoSuchOption, word: str) -> None:
        super().__init__(unknown.option_name, ctx=unknown.ctx)
        self.unknown = unknown
        """The unknown option as the parser found it, alone."""
        self.word = word


def _a_name_there(word: str) -> bool:
    """``word`` names a file or folder that is there (for :func:`_keeping_mistakes`)."""
    from pathlib import Path

    try:
        return Path(word).expanduser().exists()
    except (OSError, RuntimeError, ValueError):  # a name too long, no home folder, a NUL
        return False


def _keeping_mistakes(parser: Any, ctx: ClickContext) -> Any:
    """``parser`` (click's, for the command of ``ctx``) made to keep an unknown option
    (``--rulle``) and an option without its value (``--budget`` at the end, ``--force=ja``)
    for the command to say with its other problems (:func:`_keep`), and to read on, rather
    than to stop at the first. A misspelt option whose nearest takes a value is taken to have
    one (``--rulle ranked``): the word after it, unless that is an option, is not taken for
    the file or an extra word.

    So is an unknown option with no option near it (``--farge rød``), when the word after it is
    not an option, nor the name of a file or folder that is there: said once, as the two words
    (:class:`UnknownOptionWithWord`). Unless the command's arguments then lack it: ``check
    --farge mangler.xlsx`` is a FILE not there, not a FILE left out. A name that is there is
    left where it is (``check søknader.xlsx --farge ekstra.xlsx``: an extra word)."""
    process = parser._process_opts
    process_args = parser._process_args_for_args
    taken: list[tuple[int, UnknownOptionWithWord]] = []
    """Each word taken for an unknown option's value, with where it was among the arguments."""

    def process_opts(arg: str, state: Any) -> None:
        try:
            process(arg, state)
        except (click_errors.NoSuchOption, click_errors.BadOptionUsage) as exc:
            if ctx.resilient_parsing:
                raise
            if exc.ctx is None:  # the parser says an option without its value without it
                exc.ctx, exc.cmd = ctx, ctx.command
            _keep(ctx, exc)
            if not isinstance(exc, click_errors.NoSuchOption) or "=" in arg or not state.rargs:
                return
            meant = meant_option(exc)
            word = state.rargs[0]
            value = not word.startswith("-") or word[1:2].isdigit()  # a negative number is one
            if meant is None and value and not _a_name_there(word):
                with_word = UnknownOptionWithWord(exc, state.rargs.pop(0))
                _kept(ctx)[-1] = with_word
                taken.append((len(state.largs), with_word))
                return
            near = parser._long_opt.get(meant)
            if near is not None and near.takes_value and value:
                state.rargs.pop(0)

    def process_args_for_args(state: Any) -> None:
        needed = sum(arg.nargs for arg in parser._args if arg.nargs > 0 and arg.obj.required)
        lacking = needed - len(state.largs) - len(state.rargs)
        for put_back, (at, with_word) in enumerate(taken[: max(lacking, 0)]):
            state.largs.insert(at + put_back, with_word.word)
            kept = _kept(ctx)
            kept[kept.index(with_word)] = with_word.unknown
        process_args(state)

    parser._process_opts = process_opts
    parser._process_args_for_args = process_args_for_args
    return parser


class _KeptMissing(Parameter):
    """A parameter of a command that, required and left out, is said with the command's other
    problems (:func:`_kept_missing`)."""

    def handle_parse_result(
        self, ctx: ClickContext, opts: Mapping[str, Any], args: list[str]
    ) -> tuple[Any, list[str]]:
        try:
            return super().handle_parse_result(ctx, opts, args)
        except click_errors.MissingParameter as exc:
            return _kept_missing(self, ctx, exc, args)


class _Argument(_KeptMissing, TyperArgument):
    """An argument as the help shows it: by its name (``FILE``), without typer's Python type
    beside it (``FILE <path>``, ``ID <str>``), which doubled the name and said nothing more.
    Left out, it is said with the command's other problems (:func:`_kept_missing`)."""

    def display_type_rich(self, ctx: ClickContext) -> str | None:
        return None


class _Option(_KeptMissing, TyperOption):
    """An option of a command whose value, refused as typer reads it (not one of its choices,
    out of its range, not a whole number: ``--register 2010``, ``--limit -1``), is kept for the
    command to say with its other problems (:func:`tilskudd.cli.common.refused_values`), in its
    language, rather than alone before anything else is looked at. The option takes its default
    meanwhile, as if it had not been given: the command stops before it uses it. So is a
    required option left out (:func:`_kept_missing`); one whose value was refused is read again
    without it, and is then not also said to be left out."""

    def handle_parse_result(
        self, ctx: ClickContext, opts: Mapping[str, Any], args: list[str]
    ) -> tuple[Any, list[str]]:
        try:
            return super().handle_parse_result(ctx, opts, args)
        except click_errors.MissingParameter:
            raise  # to be said at once (see _kept_missing): not kept as a refused value
        except click_errors.BadParameter as exc:
            if ctx.resilient_parsing:
                raise
            if not isinstance(ctx.command, Command):  # a group's options: said as before
                raise
            _keep(ctx, exc)
            rest = {name: value for name, value in opts.items() if name != self.name}
            return super().handle_parse_result(ctx, rest, args)


class _NamedOption(_Option):
    """An option whose value the help names by what it is (``--limit N``): without typer's
    range beside it (``N [x>=0]``), which reads as a formula; the help's text says the range."""

    def _get_number_range_help_str(self) -> str | None:
        return None


def _shown(params: list[Parameter]) -> list[Parameter]:
    """A command's parameters as its help shows them: a flag (--force, --help) without typer's
    ``<bool>``, which read as if it took a value (``--force true`` is refused: 'true' is an
    extra word); an option's value by what it is (:data:`_METAVARS`), not its Python type; an
    argument by its name alone (:class:`_Argument`)."""
    for param in params:
        if type(param) is TyperArgument:
            param.__class__ = _Argument
        if type(param) is TyperOption:
            param.__class__ = _Option
        if not isinstance(param, TyperOption) or param.metavar is not None:
            continue
        if param.is_flag:
            param.metavar = ""
        elif param.name in _METAVARS and not _is_choice(param):
            param.metavar = _METAVARS[param.name]
            if type(param) is _Option:
                param.__class__ = _NamedOption
    return params


def _is_choice(param: TyperOption) -> bool:
    """The option takes one of a set of values typer lists itself (an enum)."""
    import enum

    annotation = getattr(param, "_bare_type", None)
    return isinstance(annotation, type) and issubclass(annotation, enum.Enum)


def _usage_pieces(options: str | None, params: list[Parameter]) -> list[str]:
    """The usage line after the command's name, as click writes it, ``[OPTIONS] FILE ID``:
    an argument by its metavar, in brackets when it may be left out. Typer's ``{file}`` for a
    required one looks like something to type braces and all."""
    pieces = [options] if options else []
    for param in params:
        if isinstance(param, TyperArgument) and not param.hidden:
            word = param.metavar or (param.name or "").upper()
            word = word if param.required else f"[{word}]"
            pieces.append(f"{word}..." if param.nargs != 1 else word)
    return pieces


def _format_help(
    format_help: Callable[[ClickContext, HelpFormatter], None],
    ctx: ClickContext,
    formatter: HelpFormatter,
) -> None:
    """A command's help in its language (:mod:`tilskudd.cli.helptext`), as typer formats it."""
    from tilskudd.cli.helptext import help_language, in_language

    with in_language(ctx, help_language(ctx)):
        format_help(ctx, formatter)


def _show_help(ctx: ClickContext) -> NoReturn:
    """Show ``ctx``'s help; then, if the language it was asked in is not one (``tilskudd
    --lang xx --help``, a ``TILSKUDD_LANG`` that names none), say so under it (the help is in
    English) and exit with the usage error's code, as the command would have refused it."""
    from tilskudd.cli.usage import language_problem

    typer.echo(ctx.get_help(), color=ctx.color)
    problem = language_problem(ctx, getattr(ctx.find_root().command, "_words", ()))
    if problem is None:
        ctx.exit()
    from tilskudd.cli.common import print_error
    from tilskudd.errors import ExitCode

    print_error(problem, None, lang="en")
    ctx.exit(int(ExitCode.USAGE))


def _help_option(option: TyperOption | None) -> TyperOption | None:
    """The help option, showing the help as :func:`_show_help` does."""
    if option is not None and option.callback is not _on_help:
        option.callback = _on_help
    return option


def _on_help(ctx: ClickContext, param: Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        _show_help(ctx)


class Command(TyperCommand):
    """Every tilskudd command: its options and usage line shown as :func:`_shown` and
    :func:`_usage_pieces` say."""

    def get_params(self, ctx: ClickContext) -> list[Parameter]:
        return _shown(super().get_params(ctx))

    def make_parser(self, ctx: ClickContext) -> Any:
        return _checking_repeats(_keeping_mistakes(super().make_parser(ctx), ctx), ctx)

    def parse_args(self, ctx: ClickContext, args: list[str]) -> list[str]:
        ctx.meta[_WORDS_GIVEN] = bool(args)
        return super().parse_args(ctx, args)

    def get_help_option(self, ctx: ClickContext) -> TyperOption | None:
        return _help_option(super().get_help_option(ctx))

    def collect_usage_pieces(self, ctx: ClickContext) -> list[str]:
        return _usage_pieces(self.options_metavar, self.get_params(ctx))

    def format_help(self, ctx: ClickContext, formatter: HelpFormatter) -> None:
        _format_help(super().format_help, ctx, formatter)


class Group(TyperGroup):
    """tilskudd's command groups (the app and ``ledger``): a mistake in how the command was
    typed (an unknown option, a missing file name, ``alocate``) is said as tilskudd's other
    errors are, ``feil: …`` or ``error: …`` in the command's language, with exit code 2 (see
    :mod:`tilskudd.cli.usage`). Typer would say it in English in a box.

    The words of the command line are kept as given: a usage error can come before ``--lang``
    is read, and the language is then found in them.
    """

    _words: Sequence[str] = ()

    def get_params(self, ctx: ClickContext) -> list[Parameter]:
        return _shown(super().get_params(ctx))

    def make_parser(self, ctx: ClickContext) -> Any:
        return _checking_repeats(super().make_parser(ctx), ctx)

    def get_help_option(self, ctx: ClickContext) -> TyperOption | None:
        return _help_option(super().get_help_option(ctx))

    def format_help(self, ctx: ClickContext, formatter: HelpFormatter) -> None:
        _format_help(super().format_help, ctx, formatter)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: ClickContext | None = None,
        **extra: Any,
    ) -> ClickContext:
        self._words = list(args)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click_errors.UsageError as exc:
            if exc.ctx is None:  # said by the parser (--help=ja): the group's own options
                settings = {**self.context_settings, **extra}
                exc.ctx = self.context_class(self, info_name=info_name, parent=parent, **settings)
                exc.cmd = self
            if _asks_help_in_a_language(exc, self._words):
                _show_help(exc.ctx)
            _usage_error(exc, self._words)

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except click_errors.UsageError as exc:
            name = ctx.invoked_subcommand
            command = self.get_command(ctx, name) if name else None
            if exc.ctx is None and command is not None:
                # Said by the parser without a context (an argument of several values given
                # too few; an option at the end without its value is kept by the command's
                # parser, _keeping_mistakes): the command it was parsing is the one invoked.
                exc.ctx = typer.Context(command, parent=ctx, info_name=name)
                exc.cmd = command
            _usage_error(exc, self._words)

    def resolve_command(
        self, ctx: ClickContext, args: list[str]
    ) -> tuple[str | None, ClickCommand | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click_errors.UsageError:
            name = args[0] if args else ""
            if not name or name.startswith("-") or self.get_command(ctx, name) is not None:
                raise
            import difflib

            typed = name.casefold()
            near = nearest_first(typed, difflib.get_close_matches(typed, list(self.commands)))
            raise UnknownCommand(name, near, ctx) from None


class App(typer.Typer):
    """A typer app whose commands are tilskudd's :class:`Command`."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **options: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or Command, **options)


def _asks_help_in_a_language(exc: click_errors.UsageError, words: Sequence[str]) -> bool:
    """``tilskudd --lang nb --help``: a group's help asked for in a language. The groups have no
    ``--lang`` (their commands have), but a help is shown in the language of ``--lang``
    wherever it is typed, so this is that help, not a mistake."""
    if not isinstance(exc, click_errors.NoSuchOption) or exc.option_name != "--lang":
        return False
    ctx = exc.ctx
    helps = set(ctx.help_option_names) if ctx is not None else set()
    rest = list(words)
    if "--lang" in rest:
        at = rest.index("--lang")
        del rest[at : at + 2]
    rest = [word for word in rest if not word.startswith("--lang=")]
    return bool(rest) and set(rest) <= helps


def _usage_error(exc: click_errors.UsageError, words: Sequence[str]) -> NoReturn:
    if isinstance(exc, click_errors.NoArgsIsHelpError):
        from tilskudd.cli.usage import language_problem

        if exc.ctx is not None and language_problem(exc.ctx, words) is not None:
            _show_help(exc.ctx)  # and under it, the language that is not one
        raise exc  # the command alone: its help, as typer shows it
    from tilskudd.cli.usage import report_usage_error
    from tilskudd.errors import ExitCode

    report_usage_error(exc, words)
    raise typer.Exit(int(ExitCode.USAGE))


app = App(
    name="tilskudd",
    help=(
        "Exact, explainable grant allocation. Read and check a round's applications, allocate "
        "its budget by a stated rule, and publish the award list.\n\n"
        "Example:\n\n"
        "    tilskudd allocate applications.xlsx --budget 20000000"
    ),
    cls=Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"tilskudd {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="<nb|en>",
            help="Language of the command that follows and of its help: nb (bokmål) or en. "
            "The command's own --lang wins.",
        ),
    ] = None,
) -> None:
    """tilskudd: exact, explainable grant allocation."""
    # Given before the command (tilskudd --lang nb allocate …), the command takes it as its own
    # --lang; checked there, where a wrong value is said as the command's own would be. Set on
    # every run, so that a run in the same process (a test) does not take the last one's.
    from tilskudd.cli.common import set_language_before_command

    set_language_before_command(lang)
