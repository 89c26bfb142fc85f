"""``--help`` in the command's language: headings, value names, option and command texts.

The language is found as a usage error's is (:func:`tilskudd.cli.usage.usage_language`): ``--lang``
on the command line, the programme folder's, TILSKUDD_LANG, else English. The words come from
the help catalogues, ``locales/help/<lang>.toml``: ``<command>.text`` for a command,
``<command>.<option>`` else ``option.<option>`` for an option, ``heading``, ``usage``,
``argument``, ``panel`` and ``metavar`` for the rest. The English texts of commands, options and
panels are the code's own, written there once (docstrings, ``help=``, ``rich_help_panel=``): the
English catalogue has only typer's words and the value names, and an English help shows the
texts as typer would.

They are files of their own, not part of the main catalogues: a help parses only its words
(about 2 ms, where the main catalogue takes about 6), and a command that runs does not parse
them at all. Loaded only when a help is shown: the commands' start-up does not import this.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any

from typer._click import Context as ClickContext
from typer._click import HelpFormatter
from typer.core import TyperArgument, TyperGroup, TyperOption

from tilskudd._flat import flat_catalogue
from tilskudd.cli.round_options import POLICY_HELP, PROGRAMME_HELP

__all__ = ["command_key", "help_language", "help_words", "in_language"]

_WORD = re.compile(r"[ \t\n\r\f\v]*[^ \t\n\r\f\v]+[ \t\n\r\f\v]*")
"""A word as rich's wrapping finds it, with what follows it up to the next one: broken only
at ordinary spaces (rich's own breaks at every space, U+00A0 too)."""

_PANELS = {POLICY_HELP: "panel.policy", PROGRAMME_HELP: "panel.programme"}
"""The panels the commands put their options in, by the English title the code gives them."""


@cache
def help_words(lang: str) -> dict[str, str]:
    """The help catalogue of ``lang``, its keys flattened (``option.budget``); English for a
    language without one."""
    folder = resources.files("tilskudd") / "locales" / "help"
    path = folder / f"{lang}.toml"
    if not path.is_file():
        path = folder / "en.toml"
    return flat_catalogue(path.read_text(encoding="utf-8"))


def help_language(ctx: ClickContext) -> str:
    """The language of ``ctx``'s help, as its usage error's would be."""
    from tilskudd.cli.usage import usage_language

    words = getattr(ctx.find_root().command, "_words", ())
    try:
        return usage_language(ctx, words)
    except Exception:  # a help must never fail: in English, then
        return "en"


def command_key(ctx: ClickContext) -> str:
    """``allocate``, ``ledger.export``; ``root`` for tilskudd itself."""
    names: list[str] = []
    while ctx.parent is not None:
        names.append(ctx.command.name or "")
        ctx = ctx.parent
    return ".".join(reversed(names)) or "root"


@contextmanager
def in_language(ctx: ClickContext, lang: str) -> Iterator[None]:
    """While inside, ``ctx``'s command (and, for a group, its commands' summaries) show their
    help in ``lang``; everything is put back after."""
    import sys

    from rich import _wrap
    from rich.markdown import Markdown
    from typer import rich_utils

    from tilskudd.render.plain import NO_BREAK, cut_plainly, plain_text, repertoire

    words = help_words(lang)
    encoding = repertoire(getattr(sys.stdout, "encoding", None))
    if encoding is not None:
        # In the repertoire of the stream before typer lays the help out (BELØP as BELOEP in
        # ASCII): written so only after, each line with one stuck out of its panel.
        words = {key: plain_text(text, encoding, keep=NO_BREAK) for key, text in words.items()}
    saved: list[tuple[Any, str, Any]] = []

    def put(obj: Any, attr: str, value: Any) -> None:
        saved.append((obj, attr, getattr(obj, attr, None)))
        setattr(obj, attr, value)

    def put_text(obj: Any, attr: str, found: str | None) -> None:
        """The catalogue's text if it has one, else the code's own (the English), each in the
        stream's repertoire."""
        own = getattr(obj, attr, None)
        if found is None and encoding is not None and isinstance(own, str):
            found = plain_text(own, encoding, keep=NO_BREAK)
        if found is not None and found != own:
            put(obj, attr, found)

    command = ctx.command
    key = command_key(ctx)
    put_text(command, "help", words.get(f"{key}.text"))
    for param in command.get_params(ctx):
        name = param.name or ""
        put_text(param, "help", words.get(f"{key}.{name}") or words.get(f"option.{name}"))
        panel = _PANELS.get(getattr(param, "rich_help_panel", None) or "")
        if panel is not None:
            put_text(param, "rich_help_panel", words.get(panel))
        if isinstance(param, TyperArgument):
            if f"argument.{name}" in words:
                put(param, "metavar", words[f"argument.{name}"])
        elif isinstance(param, TyperOption) and param.metavar:
            shown = _metavar(param.metavar, words)
            if shown != param.metavar:
                put(param, "metavar", shown)
    if isinstance(command, TyperGroup):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            sub_key = f"{key}.{name}" if key != "root" else name
            if sub is not None:
                put_text(sub, "help", words.get(f"{sub_key}.text"))
        put(command, "subcommand_metavar", words["usage.command"])
    put(command, "options_metavar", words["usage.options"])
    usage = words["heading.usage"]
    put(command, "format_usage", _usage_writer(command, f"{usage} "))
    put(rich_utils, "OPTIONS_PANEL_TITLE", words["heading.options"])
    put(rich_utils, "ARGUMENTS_PANEL_TITLE", words["heading.arguments"])
    put(rich_utils, "COMMANDS_PANEL_TITLE", words["heading.commands"])
    put(rich_utils, "DEFAULT_STRING", words["heading.default"].replace("{value}", "{}"))
    put(rich_utils, "REQUIRED_LONG_STRING", words["heading.required"])
    if isinstance(getattr(_wrap, "re_word", None), re.Pattern):
        # rich breaks a line at any space, the no-break ones too ('20 000 000' over two
        # lines); the help's amounts hold together as the tables' do (render.text.wrap).
        put(_wrap, "re_word", _WORD)
    code_block = _code_block()
    put(Markdown, "elements", {**Markdown.elements, "code_block": code_block, "fence": code_block})
    highlights = rich_utils.OptionHighlighter.highlights
    put(rich_utils.OptionHighlighter, "highlights", [*highlights, f"(?P<usage>{usage} )"])
    try:
        # An option's name cut short in its column ends in "..." as typer lays it out.
        with cut_plainly(encoding):
            yield
    finally:
        for obj, attr, value in reversed(saved):
            setattr(obj, attr, value)


@cache
def _code_block() -> Any:
    """rich's code block without the empty lines it pads itself with above and below: beside the
    paragraph break, an example stood between two empty lines, as if apart from the text that
    introduces it. Its column of padding each side stays (an example's lines fit 56 columns of a
    60-column terminal)."""
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.markdown import CodeBlock
    from rich.syntax import Syntax

    class _CodeBlock(CodeBlock):
        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            code = str(self.text).rstrip()
            yield Syntax(code, self.lexer_name, theme=self.theme, word_wrap=True, padding=(0, 1))

    return _CodeBlock


def _metavar(word: str, words: dict[str, str]) -> str:
    """An option's value name in the language (AMOUNT: BELØP); a list of choices as it is."""
    return words.get(f"metavar.{word.lower()}", word) if word.isupper() else word


def _usage_writer(command: Any, prefix: str) -> Any:
    """The command's usage line, with the language's ``Usage:``."""

    def format_usage(ctx: ClickContext, formatter: HelpFormatter) -> None:
        pieces = command.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=prefix)

    return format_usage
