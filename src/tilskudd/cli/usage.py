"""A mistake in how a command was typed, said in the command's language.

Click (inside typer) finds these while it reads the command line: an unknown option or command,
an option without its value, a missing file name, a value of the wrong kind. It says them in
English, in a box; here they are said as tilskudd's other errors are (``feil: …`` and a hint),
from the catalogues, with the same information: the option, the names that were near it, the
command's usage line and where its help is. The exit code stays 2.

Such a mistake can come before ``--lang`` has been read, so the language is found in the words of
the command line, as the command would have found it had it run: ``--lang``; for a command that
works in a programme folder (and for ``tilskudd`` and ``tilskudd ledger`` themselves, whose
commands do), the ``lang`` of the ``--policy`` file and of the programme (``--programme``, else
``tilskudd.toml`` here or above); else TILSKUDD_LANG; else English. The
files are only read as TOML: one that cannot be read is passed over, and the command says what
is wrong with it once it is typed right.

Loaded only on this path, and by a help (:mod:`tilskudd.cli.helptext`), which is shown in the
language found here; the catalogues are loaded only for an error.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typer._click import Command
from typer._click import Context as ClickContext
from typer._click import exceptions as click_errors
from typer.core import TyperArgument, TyperGroup, TyperOption

from tilskudd.cli.app import (
    RepeatedOption,
    UnknownCommand,
    UnknownOptionWithWord,
    near_options,
)
from tilskudd.cli.common import language_code, print_error
from tilskudd.textfile import read_text

if TYPE_CHECKING:
    from tilskudd.i18n import Translator

__all__ = [
    "describe_usage_error",
    "language_problem",
    "report_usage_error",
    "usage_and_hint",
    "usage_language",
]

PROGRAMME_FILE = "tilskudd.toml"
"""As :data:`tilskudd.programme.PROGRAMME_FILE`, without loading the programme's models."""


def report_usage_error(exc: click_errors.UsageError, words: Sequence[str]) -> None:
    """Print ``exc`` on stderr in the language ``words`` (the command line) ask for; first, a
    language asked for that is not one (``tilskudd --lang xx``), which would otherwise go unsaid
    behind the mistake it came with (a missing command) until that was put right."""
    try:
        lang = usage_language(exc.ctx, words)
        message, usage, hint = describe_usage_error(exc, lang, words)
        unknown = language_problem(exc.ctx, words)
        if unknown is not None:
            message = f"{unknown}\n{message}"
        # The values typer refused before it met this mistake (a missing FILE after
        # --register 2010): said with it, not left for the next run.
        for refused in _refused(exc.ctx):
            message += f"\n{describe_usage_error(refused, lang, words)[0]}"
    except Exception:  # an error message must never fail: click's own words, then
        lang, message, usage, hint = "en", exc.format_message(), None, None
    print_error(message, hint, usage=usage, lang=lang)


def _refused(ctx: ClickContext | None) -> list[click_errors.BadParameter]:
    """The values typer refused in the command of ``ctx`` (see
    :data:`tilskudd.cli.common.REFUSED_VALUES`), taken: said once."""
    from tilskudd.cli.common import REFUSED_VALUES

    if ctx is None:
        return []
    found: list[click_errors.BadParameter] = ctx.meta.pop(REFUSED_VALUES, [])
    return found


def language_problem(ctx: ClickContext | None, words: Sequence[str]) -> str | None:
    """What is wrong with the language ``words`` ask for, as the command would say it once run:
    a ``--lang`` that names none, or a ``TILSKUDD_LANG`` that names none when it is the one
    used; None when the language is one tilskudd speaks. In English: there is no other to say
    it in."""
    from tilskudd.cli.common import language_option
    from tilskudd.errors import UsageError

    given = _option_value(words, "--lang")
    try:
        if given is not None:
            language_option(given)
        elif _folder_language(ctx, words) is None:
            value = os.environ.get("TILSKUDD_LANG") or ""
            if value and language_code(value) is None:
                raise UsageError(key="output.error.unknown_language_env", given=value)
    except UsageError as exc:
        return exc.text("en")
    return None


def usage_language(ctx: ClickContext | None, words: Sequence[str]) -> str:
    """The language of a usage error in the command of ``ctx``, typed as ``words``."""
    given = _option_value(words, "--lang")
    code = language_code(given) if given is not None else None
    if code is not None:
        return code
    return (
        _folder_language(ctx, words) or language_code(os.environ.get("TILSKUDD_LANG") or "") or "en"
    )


def _folder_language(ctx: ClickContext | None, words: Sequence[str]) -> str | None:
    """The ``lang`` of the ``--policy`` file or of the programme, for a command that reads them
    (None: neither has one, or the command reads neither)."""
    names = {param.name for param in ctx.command.params} if ctx is not None else set()
    # The commands that work in a programme folder: those with --programme, and check (which
    # takes the folder's register and language, as allocate does, with no option for it); and
    # tilskudd itself and ledger, whose commands do (`tilskudd --help` in a programme folder).
    folder = ctx is not None and (
        ctx.command.name == "check" or isinstance(ctx.command, TyperGroup)
    )
    if "programme" in names or folder:
        policy = _option_value(words, "--policy") if "policy_file" in names else None
        for lang in (_policy_lang(policy), _programme_lang(_option_value(words, "--programme"))):
            if lang is not None:
                return lang
    return None


def _option_value(words: Sequence[str], option: str) -> str | None:
    """The value given to ``option`` in ``words`` (the last, as click takes it), or None."""
    value = None
    for i, word in enumerate(words):
        if word == "--":
            break
        if word == option and i + 1 < len(words):
            value = words[i + 1]
        elif word.startswith(f"{option}="):
            value = word[len(option) + 1 :]
    return value


def _toml(path: Path) -> dict[str, Any] | None:
    try:
        return tomllib.loads(read_text(path.expanduser()))  # as Notepad saves it, too
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError):
        return None


def _policy_lang(option: str | None) -> str | None:
    """The ``lang`` of a policy file, in its ``[policy]`` table or above it."""
    raw = _toml(Path(option)) if option else None
    if raw is None:
        return None
    table = raw.get("policy")
    lang = (table.get("lang") if isinstance(table, dict) else None) or raw.get("lang")
    return lang if lang in ("nb", "en") else None


def _programme_lang(option: str | None) -> str | None:
    """The language of the programme ``--programme`` names, or of the one found from here
    upwards; bokmål when its file does not say (as :class:`tilskudd.programme.Programme`)."""
    if option is not None:
        path = Path(option).expanduser()
        candidates = [path / PROGRAMME_FILE if path.is_dir() else path]
    else:
        here = Path.cwd()
        candidates = [folder / PROGRAMME_FILE for folder in (here, *here.parents)]
    for path in candidates:
        if path.is_file():
            raw = _toml(path)
            table = raw.get("programme") if raw is not None else None
            if not isinstance(table, dict):
                return None
            lang = table.get("lang", "nb")
            return lang if lang in ("nb", "en") else None
    return None


def describe_usage_error(
    exc: click_errors.UsageError, lang: str, words: Sequence[str] = ()
) -> tuple[str, str | None, str | None]:
    """(message, usage line, hint) for ``exc`` in ``lang``, typed as ``words``."""
    from tilskudd.i18n import get  # here: a help finds its language with this module, not words

    t = get(lang)
    usage, hint = usage_and_hint(exc.ctx, lang, lists=isinstance(exc, UnknownCommand))
    return _message(exc, t, words), usage, hint


def usage_and_hint(
    ctx: ClickContext | None, lang: str, *, lists: bool = False
) -> tuple[str | None, str | None]:
    """The usage line of the command of ``ctx`` and where its help is, in ``lang``, as said
    under a mistake in typing it; the help that ``lists`` the commands for a group's (and for
    an unknown command)."""
    from tilskudd.i18n import get

    if ctx is None:
        return None, None
    t = get(lang)
    hint = None
    if ctx.command.get_help_option(ctx) is not None:
        command = f"{ctx.command_path} {ctx.help_option_names[0]}"
        lists = lists or isinstance(ctx.command, TyperGroup)
        hint = t("cli.usage.help_commands" if lists else "cli.usage.help", command=command)
    return _usage_line(ctx, t), hint


def _message(exc: click_errors.UsageError, t: Translator, words: Sequence[str]) -> str:
    if isinstance(exc, UnknownCommand):
        near = exc.near
        key = "cli.usage.no_such_command_near" if near else "cli.usage.no_such_command"
        return t(key, name=exc.name, near=near)
    if isinstance(exc, RepeatedOption):
        if exc.values:
            from tilskudd.i18n import quoted  # as get above: not imported for a help

            values = [quoted(value) for value in exc.values]
            return t("cli.usage.given_twice", option=exc.option, values=values)
        return t("cli.usage.given_twice_plain", option=exc.option)
    if isinstance(exc, click_errors.NoSuchOption):
        moved = _after_command(exc, words)
        if moved is not None:
            return t("cli.usage.option_before_command", option=exc.option_name, example=moved)
        if isinstance(exc, UnknownOptionWithWord):
            from tilskudd.i18n import quoted

            return t("cli.usage.no_such_option_word", option=exc.option_name, word=quoted(exc.word))
        near = near_options(exc)  # nearest first, as the option taken to be meant
        key = "cli.usage.no_such_option_near" if near else "cli.usage.no_such_option"
        return t(key, option=exc.option_name, near=near)
    if isinstance(exc, click_errors.BadOptionUsage):
        param = _option(exc.ctx, exc.option_name)
        flag = isinstance(param, TyperOption) and param.is_flag
        key = "cli.usage.takes_no_value" if flag else "cli.usage.requires_value"
        if exc.option_name == "--lang":
            key = "cli.usage.requires_language"  # the two it may be, said
        return t(key, option=exc.option_name)
    if isinstance(exc, click_errors.MissingParameter):
        param = exc.param
        if isinstance(param, TyperArgument):
            return t("cli.usage.missing_argument", name=_argument_word(param, t))
        if isinstance(param, TyperOption) and param.opts:
            return t("cli.usage.missing_option", option=param.opts[0])
    if isinstance(exc, click_errors.BadParameter):
        return _bad_value(exc, t)
    extra = re.fullmatch(r"Got unexpected extra argument\(s\) \((.*)\)", exc.message, re.DOTALL)
    if extra:
        return t("cli.extra_words", words=extra.group(1))
    if exc.message == "Missing command.":
        return t("cli.usage.missing_command")
    return exc.format_message()  # none other is known: click's words


def _after_command(exc: click_errors.NoSuchOption, words: Sequence[str]) -> str | None:
    """The command line with an option of the command typed before the command's name
    (``tilskudd --lang nb allocate søknader.xlsx``) moved after it; None for another mistake."""
    ctx = exc.ctx
    if ctx is None or not isinstance(ctx.command, TyperGroup):
        return None
    option = exc.option_name
    at = next((i for i, w in enumerate(words) if w == option or w.startswith(f"{option}=")), None)
    if at is None:
        return None
    group = ctx.command
    names = (w for w in words[at + 1 : at + 3] if group.get_command(ctx, w) is not None)
    name = next(names, None)  # after the option, or after its value
    command = group.get_command(ctx, name) if name is not None else None
    param = next((p for p in command.params if option in p.opts), None) if command else None
    if param is None:
        return None
    takes_value = "=" not in words[at] and not getattr(param, "is_flag", False)
    if takes_value and words[at + 1] == name:
        return None  # its value left out too: which word was meant is not known
    end = at + 2 if takes_value else at + 1
    moved = [*words[:at], *words[end:], *words[at:end]]
    return " ".join([ctx.command_path, *(f'"{w}"' if " " in w else w for w in moved)])


def _bad_value(exc: click_errors.BadParameter, t: Translator) -> str:
    """A value typer could not take: not a whole number, below the least allowed, not one of
    the choices; else typer's (pydantic's) own words for the problem."""
    param = exc.param
    if isinstance(param, TyperOption) and param.opts:
        name = param.opts[0]
    elif isinstance(param, TyperArgument):
        name = _argument_word(param, t)
    else:
        return exc.format_message()
    choices = _choices(param)
    cause = exc.__cause__
    errors = cause.errors() if cause is not None and hasattr(cause, "errors") else []
    first = errors[0] if errors else {}
    given = first.get("input")
    kind = first.get("type")
    limits = first.get("ctx") or {}
    if choices and given is not None:
        return t("cli.usage.not_a_choice", option=name, expected=choices, given=given)
    if kind == "int_parsing" and given is not None:
        return t("cli.usage.not_whole_number", option=name, given=given)
    if kind in ("greater_than_equal", "greater_than") and "ge" in limits:
        return t("cli.usage.below_minimum", option=name, minimum=limits["ge"], given=given)
    if kind in ("less_than_equal", "less_than") and "le" in limits:
        return t("cli.usage.above_maximum", option=name, maximum=limits["le"], given=given)
    return t("cli.usage.invalid_value", option=name, problem=exc.message)


def _choices(param: Any) -> list[str]:
    """The values a parameter with choices (an enum: --register) takes, as typed."""
    descriptor = getattr(param, "type_descriptor", None)
    found = getattr(descriptor, "choices", None) or ()
    return [str(c.value) if isinstance(c, Enum) else str(c) for c in found]


def _option(ctx: ClickContext | None, name: str) -> Any:
    """The option of the command of ``ctx`` that ``name`` names (``--help`` too), or None."""
    if ctx is None:
        return None
    for param in ctx.command.get_params(ctx):
        if name in (*param.opts, *param.secondary_opts):
            return param
    return None


def _argument_word(param: TyperArgument, t: Translator) -> str:
    """The argument as the usage line names it (FILE, FIL), from the catalogue."""
    key = f"cli.usage.argument.{param.name}"
    if t.has(key):
        return t(key)
    return (param.metavar or param.name or "?").upper()


def _usage_line(ctx: ClickContext, t: Translator) -> str:
    """``tilskudd allocate [OPTIONS] FILE`` in the language: as click's usage line, with
    the argument's names from the catalogue, without typer's braces around required ones."""
    command: Command = ctx.command
    pieces = [ctx.command_path, t("cli.usage.options")]
    for param in command.get_params(ctx):
        if isinstance(param, TyperArgument) and not param.hidden:
            word = _argument_word(param, t)
            word = word if param.required else f"[{word}]"
            pieces.append(f"{word}..." if param.nargs != 1 else word)
    if isinstance(command, TyperGroup):
        pieces.append(t("cli.usage.command"))
    return " ".join(pieces)
