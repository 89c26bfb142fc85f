"""What every command shares: the error guard, the reading options, consoles and amounts.

The guard is the one place where tilskudd's own errors become a message on stderr (in the
command's language, for an error that carries a catalogue key) and an exit code (0 ok, 1 invalid
input, 2 usage); so do the operating system's (a folder that may not be written, a full disk, a
file open in Excel), naming the file. Anything else is a bug and says so, with a traceback only
under ``--debug``.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import importlib
import io
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, cast

import typer

from tilskudd.collector import collector_paused
from tilskudd.controls import visible
from tilskudd.errors import ExitCode, TilskuddError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from tilskudd.validation import ValidationResult


PIPED_WIDTH = 140
TERMINAL_ROWS = 500
"""A round of up to this many applications is shown whole in the terminal by default."""

TERMINAL_SHOWN = 100
"""Rows of the award table shown by default for a larger round: a terminal table of 100 000 rows
helps nobody, and rich lays out about 2 ms a row (0.2 s for these, 1 s for 500); the exports
always have every row."""


def terminal_limit(limit: int | None, rows: int) -> int | None:
    """The number of table rows to show: ``--limit`` (0 = all); else all of a round of up to
    TERMINAL_ROWS applications, and the first TERMINAL_SHOWN of a larger one."""
    if limit is not None:
        return None if limit == 0 else limit
    return None if rows <= TERMINAL_ROWS else TERMINAL_SHOWN


class Register(StrEnum):
    """The municipality numbering to check against."""

    y2009 = "2009"
    y2020 = "2020"
    y2024 = "2024"


class Lang(StrEnum):
    """Output language."""

    nb = "nb"
    en = "en"


class ReportFormat(StrEnum):
    """Terminal report format."""

    table = "table"
    json = "json"


FileArg = Annotated[
    Path,
    typer.Argument(
        metavar="FILE",
        help="Applications file: .xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .tsv or .txt.",
        show_default=False,
    ),
]
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        help="Sheet name or number (1 = first). Default: the first visible sheet with a header.",
    ),
]
ColumnsOpt = Annotated[
    Path | None,
    typer.Option("--columns", help="TOML file mapping the file's headers to tilskudd's fields."),
]
RegisterOpt = Annotated[
    Register,
    typer.Option(
        "--register",
        help=(
            "Municipality numbering to check against: 2024, 2020 (for 2020–2023) or 2009. "
            "Default: the programme's, else 2024."
        ),
        show_default=False,
    ),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="<nb|en>",
        help="Language of the output: nb (bokmål) or en. Default: the programme's, "
        "else TILSKUDD_LANG, else en.",
    ),
]
PolicyLangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="<nb|en>",
        help="Language of the output: nb (bokmål) or en. Default: the policy's or programme's, "
        "else TILSKUDD_LANG, else en.",
    ),
]
"""``--lang`` of a command that takes ``--policy``, whose file may say the language."""
CurrencyOpt = Annotated[
    str | None,
    typer.Option(
        "--currency",
        metavar="CODE",
        help="The currency of the round's amounts, an ISO 4217 code: NOK, EUR, DKK, GBP. "
        "Default: the policy's, else the programme's, else NOK.",
    ),
]
"""``--currency`` of a command that reads a round and takes ``--policy``."""
CheckCurrencyOpt = Annotated[
    str | None,
    typer.Option(
        "--currency",
        metavar="CODE",
        help="The currency of the round's amounts, an ISO 4217 code: NOK, EUR, DKK, GBP. "
        "Default: the programme's, else NOK.",
    ),
]
"""``--currency`` of ``check``, which takes no policy file."""
DebugOpt = Annotated[
    bool, typer.Option("--debug", help="Show the full traceback of an unexpected error.")
]
FormatOpt = Annotated[
    ReportFormat,
    typer.Option("--format", case_sensitive=False, help="table for people, json for programs."),
]


_language = ["en"]
"""The command's output language once resolved: the guard's messages for the operating
system's errors use it (one command per process, so one slot is enough)."""


_before_command: list[str | None] = [None]
"""``--lang`` typed before the command (``tilskudd --lang nb allocate …``), None if not."""


def set_language_before_command(value: str | None) -> None:
    """Record ``tilskudd --lang VALUE``: the language of the command that follows, unless the
    command is given its own ``--lang`` (see :func:`resolve_lang`)."""
    _before_command[0] = value


_SPELLINGS = {
    **dict.fromkeys(("nb", "nob", "no", "nor", "norsk", "bokmål", "bokmal", "norwegian"), "nb"),
    **dict.fromkeys(("en", "eng", "english", "engelsk"), "en"),
}
_NYNORSK = ("nn", "nno", "nynorsk")


def language_code(text: str) -> str | None:
    """``nb`` or ``en`` for what a person may type for them (``--lang``, TILSKUDD_LANG): any
    case, with a region or an encoding after it as a locale has (``nb_NO.UTF-8``, ``en-GB``),
    ``no`` (Norwegian, which in practice is bokmål), or the language's name (``norsk``,
    ``English``); None for anything else."""
    key = re.split(r"[-_.@]", text.strip().casefold(), maxsplit=1)[0]
    return _SPELLINGS.get(key)


def language_option(text: str) -> str:
    """The language ``--lang`` names, or a usage error saying which there are."""
    code = language_code(text)
    if code is not None:
        return code
    if re.split(r"[-_.@]", text.strip().casefold(), maxsplit=1)[0] in _NYNORSK:
        raise UsageError(key="output.error.nynorsk", given=text)
    raise UsageError(key="output.error.unknown_language_option", given=text)


def programme_register(ctx: typer.Context, register: Register, year: str | None) -> Register:
    """``--register`` as given, else the programme's numbering ``year`` (None: no programme),
    else the option's default: a programme folder's register is the default of every command
    that checks places."""
    source = ctx.get_parameter_source("register")
    if year is not None and (source is None or source.name == "DEFAULT"):
        return Register(year)
    return register


def resolve_lang(option: Lang | str | None, *fallbacks: str | None) -> str:
    """The output language: the option (else ``--lang`` before the command), else the first
    fallback set, else TILSKUDD_LANG, else en."""
    if option is None:
        option = _before_command[0]
    if option is not None:
        code = language_option(str(option))
        _language[0] = code
        return code
    for value in fallbacks:
        if value:
            if value not in ("nb", "en"):
                raise UsageError(key="output.error.unknown_language", given=value)
            _language[0] = value
            return value
    value = os.environ.get("TILSKUDD_LANG")
    if value:
        from_env = language_code(value)
        if from_env is None:  # named: the user may not remember setting it
            raise UsageError(key="output.error.unknown_language_env", given=value)
        _language[0] = from_env
        return from_env
    _language[0] = "en"
    return "en"


_OS_HINTS = {
    errno.EACCES: "permission",
    errno.EPERM: "permission",
    errno.EROFS: "read_only",
    errno.EEXIST: "not_folder",
    errno.ENOTDIR: "not_folder",
    errno.EISDIR: "is_folder",
    errno.ENAMETOOLONG: "name_too_long",
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "disk_full",
    errno.ENOENT: "missing",
}


_WINDOWS_HINTS = {
    32: "in_use",  # ERROR_SHARING_VIOLATION: another program (Excel) has the file open
    33: "in_use",  # ERROR_LOCK_VIOLATION
    206: "name_too_long",  # ERROR_FILENAME_EXCED_RANGE: Python's errno for it is ENOENT
    123: "invalid_name",  # ERROR_INVALID_NAME: errno EINVAL, which has no hint of its own
}
"""Hints for what Windows' own error code says better than the errno Python maps it to."""


def os_error_message(exc: OSError, lang: str) -> tuple[str, str | None]:
    """(message, hint) for an error the operating system gave while tilskudd read or wrote."""
    from tilskudd.i18n import get

    t = get(lang)
    from tilskudd.textfile import NotAFileError

    if isinstance(exc, NotAFileError):  # a named pipe given for a policy file: said as for FILE
        kind = t(f"read.error.kind.{exc.kind}")
        return t("read.error.settings_not_a_file", file=str(exc.filename), kind=kind), None
    reason = exc.strerror or str(exc) or type(exc).__name__
    path = exc.filename if exc.filename is not None else exc.filename2
    message = t("cli.os_error", path=str(path), reason=reason) if path is not None else reason
    hint = _OS_HINTS.get(exc.errno or 0)
    hint = _WINDOWS_HINTS.get(getattr(exc, "winerror", None) or 0, hint)
    return message, t(f"cli.os_hint.{hint}") if hint else None


_held: list[object] = []
"""What the last command :func:`tilskudd.cli.main` ran kept (:func:`keep_to_the_end`), held
to the process's end."""
_kept: list[object] | None = None
"""Where :func:`keep_to_the_end` keeps: :data:`_held` while main runs a command, else None."""


@contextlib.contextmanager
def keeping() -> Iterator[None]:
    """While main runs a command, hold what it keeps (:func:`keep_to_the_end`) to the
    process's end; what an earlier command of this process kept is let go (tests run many)."""
    global _kept
    _held.clear()
    # The list holds itself: a cycle, which reference counting never frees and which the
    # collector, once main has frozen it, leaves alone, whatever becomes of this module's
    # globals as Python shuts down (it wipes some modules' globals and not others).
    _held.append(_held)
    _kept = _held
    try:
        yield
    finally:
        _kept = None


def keep_to_the_end(*made: object) -> None:
    """Keep ``made`` (the applications read, the round) until the process ends, rather than
    free it when the command returns: a round of 100 000 applications is about two million
    objects, which take 0.13 s to free one by one and which the operating system takes back
    at once when the process ends. Only while :func:`tilskudd.cli.main` runs the command (see
    :func:`keeping`); else nothing is kept."""
    if _kept is not None:
        _kept.extend(made)


_reader_left = [False]
"""Set when the reader of stdout closed it (``tilskudd allocate … | head -1``)."""


def reader_left() -> bool:
    """Whether the reader of stdout went away during the command (the exit status says so)."""
    return _reader_left[0]


def stream_closed(stream: IO[str] | None = None) -> None:
    """The reader of ``stream`` (stdout by default) closed it: what is still printed to it goes
    nowhere, and the command goes on without a word.

    A closed pipe is the reader's choice (``| head``), not a fault of the run: the run still
    writes its output file and records its commit, as it would have had the table been read to
    the end, rather than stopping between the two. Python's way (the "Note on SIGPIPE" in the
    signal module's documentation): point the stream's file descriptor at the null device, so
    that neither later output nor the flush on the way out fails again; and exit with status 1
    (see :func:`tilskudd.cli.main`).
    """
    target = sys.stdout if stream is None else stream
    if target is sys.stdout:
        _reader_left[0] = True
    try:
        fd = target.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a file (a test's capture): nothing to point elsewhere
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)


@functools.cache
def _console_class() -> type[Console]:
    from rich.console import Console

    from tilskudd.render.plain import cut_plainly, plain_renderable, repertoire

    class _Console(Console):
        """A rich console that takes a closed pipe as the reader's choice, not as the end."""

        def on_broken_pipe(self) -> None:
            # rich's own raises SystemExit(1) here, which stopped the command mid-way: after
            # the table, before its output file was written or its round committed.
            self.quiet = True
            stream_closed(sys.stderr if self.stderr else sys.stdout)

        def print(self, *objects: Any, **options: Any) -> None:
            # In the stream's repertoire before rich measures it (ø as oe in ASCII): written
            # so only after the layout, each row with one was a column wider than its table.
            encoding = repertoire(self.encoding)
            if encoding is not None:
                objects = tuple(plain_renderable(o, encoding) for o in objects)
            with cut_plainly(encoding):  # and what rich cuts short as it lays it out
                super().print(*objects, **options)

    return _Console


def console(*, stderr: bool = False) -> Console:
    """A rich console for stdout (or stderr); plain text when not a terminal.

    Piped or redirected output has no terminal width to fit; it gets 140 columns (or $COLUMNS)
    rather than rich's 80, so a saved report keeps the applicant, project and reason columns.
    No rich markup: text printed as a string (a message naming the user's file) is shown as
    written, brackets and all; styles come only from Text objects.
    """
    stream = sys.stderr if stderr else sys.stdout
    width = None
    file: IO[str] | None = None
    if not stream.isatty():
        # rich pads every table line to the full width: no trailing spaces in a saved report.
        file = cast("IO[str]", _TrimmedLines(stream))
        if not os.environ.get("COLUMNS"):
            width = PIPED_WIDTH
    return _console_class()(
        file=file, stderr=stderr, markup=False, highlight=False, soft_wrap=False, width=width
    )


class _TrimmedLines(io.TextIOBase):
    """A text stream that drops the spaces at the end of each line written through it."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self._stream = stream
        self._spaces = ""  # spaces at the end of the last write: kept unless a line ends there

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        lines = (self._spaces + text).split("\n")
        last = lines.pop()
        body = "".join(line.rstrip(" ") + "\n" for line in lines)
        kept = last.rstrip(" ")
        self._spaces = last[len(kept) :]
        self._stream.write(body + kept)
        return len(text)

    def flush(self) -> None:
        self._stream.flush()


@contextlib.contextmanager
def guard(debug: bool = False) -> Iterator[None]:
    """Turn tilskudd's errors into a message and an exit code; unexpected errors into a bug note.

    Also pauses Python's cycle collector for the command (:mod:`tilskudd.collector`): a command
    builds its data once (a round of 100 000 applications is about two million objects) and
    keeps it to the end, with no reference cycles worth collecting.
    """
    debug = debug or bool(os.environ.get("TILSKUDD_DEBUG"))
    # Until this command resolves its language: not the last command's (tests run many in one
    # process), but TILSKUDD_LANG or English.
    _language[0] = language_code(os.environ.get("TILSKUDD_LANG") or "") or "en"
    # Given back when memory runs out, for the message about it to be made and printed in.
    reserve: bytearray | None = bytearray(_MEMORY_RESERVE)
    ran_out = False
    with collector_paused():
        try:
            try:
                yield
            except typer.Exit:
                _refused_left()  # a bug if any: said all the same
                raise
            _refused_left()
        except typer.Exit:
            raise
        except BrokenPipeError:
            # Written to stdout outside the consoles (a JSON report), and the reader left: said
            # by the exit status alone, as for the consoles (see stream_closed).
            if debug:
                raise
            stream_closed()
            raise typer.Exit(1) from None
        except TilskuddError as caught:
            # A value typer refused, not said yet as the command stopped before its gathering:
            # said first, with what stopped it.
            left = refused_values()
            exc = together([*left, caught]) if left else caught
            # The traceback is for what went wrong inside tilskudd: a command typed wrong
            # (a missing FILE, an unknown option) is said as it is without --debug.
            if debug and not _typed_wrong_only(exc):  # the error as raised, its cause with it
                if exc is caught:
                    raise
                raise exc from caught
            # In the command's language when the error carries a catalogue key (the ledger's).
            usage, hint = None, getattr(exc, "hint", None)
            typed_wrong = _typed_wrong_among(exc)
            if typed_wrong is not None:  # said, as a mistake in typing the command, with its usage
                usage, hint = typed_wrong.usage_and_hint(_language[0])
            print_error(exc.text(_language[0]), hint, usage=usage)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            print_error(_said("cli.interrupted"), None)
            raise typer.Exit(130) from None
        except OSError as exc:
            if debug:
                raise
            print_error(*os_error_message(exc, _language[0]))
            raise typer.Exit(int(ExitCode.INVALID_INPUT)) from None
        except MemoryError as exc:
            if debug:
                raise
            # The traceback's frames hold what filled the memory (the rows read, the results):
            # their variables are dropped here, and the rest when this block ends.
            traceback.clear_frames(exc.__traceback__)
            exc.__traceback__ = None
            ran_out = True
        except Exception as exc:
            if debug:
                raise
            print_error(_said("cli.bug", problem=f"{type(exc).__name__}: {exc}"), None)
            raise typer.Exit(int(ExitCode.BUG)) from None
    if ran_out:
        reserve = None
        _say_out_of_memory(_language[0])
        raise typer.Exit(int(ExitCode.INVALID_INPUT))
    del reserve


_MEMORY_RESERVE = 8 << 20
"""Bytes set aside while a command runs, given back when memory runs out: room enough to read
the language's catalogue if the command has not yet."""
_OUT_OF_MEMORY = {
    "en": "error: tilskudd ran out of memory.\n",
    "nb": "feil: tilskudd gikk tom for minne.\n",
}
"""Said when even the catalogue's words cannot be had (made with the module, not when needed)."""


def _say_out_of_memory(lang: str) -> None:
    """Say on stderr that memory ran out, and what to check, as plainly as can be: without a
    console, and with the few words made beforehand if the catalogue's cannot be had."""
    try:
        text = f"{_said('cli.error_label', lang)}: {_said('cli.out_of_memory', lang)}\n"
    except MemoryError:
        text = _OUT_OF_MEMORY.get(lang, _OUT_OF_MEMORY["en"])
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError, MemoryError):
        with contextlib.suppress(Exception):
            os.write(2, text.encode())


def _refused_left() -> None:
    """Stop with the values typer refused that the command did not say: a command says them
    with its other problems (:class:`Problems`) before it does anything with its options."""
    left = refused_values()
    if left:
        raise together(left) if len(left) > 1 else left[0]


def _said(key: str, lang: str | None = None, **params: Any) -> str:
    """``key`` in ``lang`` or the command's language (English if its catalogue cannot be had)."""
    from tilskudd.i18n import get

    try:
        return get(lang or _language[0])(key, **params)
    except Exception:  # an error message must never fail: the English words, built in
        return get("en")(key, **params)


def print_error(
    message: str, hint: str | None, *, usage: str | None = None, lang: str | None = None
) -> None:
    """Print an error on stderr as every error of tilskudd's is: ``feil: …`` (``error: …``),
    then the command's usage line and a hint, each on its own indented line, in ``lang`` (by
    default the command's language)."""
    text = f"{_said('cli.error_label', lang)}: {message}"
    if usage:
        text += f"\n  {_said('cli.usage.label', lang)}: {usage}"
    if hint:
        text += f"\n  {_said('cli.hint_label', lang)}: {hint}"
    # Printed as it is, not through rich: a name typed with an escape or a bidi control in it
    # (a file's, a sheet's, an option's value) is shown as its code (tilskudd.controls).
    text = visible(text)
    try:
        print(text, file=sys.stderr, flush=True)
    except BrokenPipeError:  # `2>&1 | head`: the reader has gone, and the exit code says it
        stream_closed(sys.stderr)


def parse_amount_option(
    value: str | None, option: str, *, allow_zero: bool = False, currency: str = "NOK"
) -> int | None:
    """Parse an amount given as an option (``20000000``, ``"20 000 000"``, ``20M``), in the
    round's ``currency`` (whose code it may name: ``"300 000 EUR"``; another it may not)."""
    if value is None:
        return None
    from tilskudd.errors import AmountError
    from tilskudd.money import parse_amount

    try:
        return parse_amount(value, allow_zero=allow_zero, currency=currency)
    except AmountError as exc:
        from tilskudd.validation import amount_problem

        problem = amount_problem(value, allow_zero=allow_zero, currency=currency)
        if problem is None:  # the cell checks would take it: say it as parse_amount did
            hint = f"; {exc.hint}" if exc.hint else ""
            raise UsageError(f"{option}: {exc}{hint}") from None
        raise UsageError(key="cli.option_problem", option=option, problem=problem) from None


def resolve_currency(
    option: str | None, setting: str | None = None, programme: str | None = None
) -> str:
    """The round's currency: ``--currency``, else the policy file's ``setting``, else NOK. A
    round of a programme (``programme``, its currency) is in the programme's: another is
    refused, since a programme has one currency."""
    from tilskudd.currency import NOK, parse_currency
    from tilskudd.errors import CurrencyError
    from tilskudd.i18n import Phrase

    code = setting
    if option is not None:
        try:
            code = parse_currency(option)
        except CurrencyError as exc:
            problem = Phrase(str(exc.key), **exc.params)
            raise UsageError(
                key="cli.option_problem", option="--currency", problem=problem
            ) from None
    if programme is not None and code is not None and code != programme:
        raise CurrencyError(
            key="currency.error.programme", currency=code, programme_currency=programme
        )
    return code or programme or NOK


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NORWEGIAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_date_option(value: str | None, option: str) -> date | None:
    """Parse a date given as an option: ``2009-10-12`` or as Norwegians write it,
    ``12.10.2009`` (``3.11.2009`` too)."""
    if value is None:
        return None
    text = value.strip()
    found = _ISO_DATE.fullmatch(text)
    if found is not None:
        year, month, day = found.groups()
    elif (found := _NORWEGIAN_DATE.fullmatch(text)) is not None:
        day, month, year = found.groups()
    else:
        year = month = day = ""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        from tilskudd.i18n import Phrase, quoted

        raise UsageError(
            key="cli.option_problem",
            option=option,
            problem=Phrase("cli.bad_date", value=quoted(value)),
        ) from None


def output_path(text: str | None, example: str) -> Path | None:
    """An output file named on the command line, as a Path.

    A name that ends with a path separator (``-o tildelinger/``) names a folder, whether or not
    it exists: refused, naming it as written, with ``example`` (a file name) put in it as a
    suggestion. ``Path`` would drop the separator, and the folder's name would be taken for the
    file's (and written, with ``--format``). So is the name of a folder that is there
    (``-o tildelinger``), with the same suggestion.
    """
    if text is None:
        return None
    separators = tuple(s for s in (os.sep, os.altsep, "/") if s)
    if text.endswith(separators):
        raise UsageError(
            key="output.error.folder_name",
            path=text,
            separator=text[-1],
            example=f"{text}{example}",
        )
    path = _home(Path(text))
    if path.is_dir():  # a folder named without the separator: the same suggestion
        separator = "/" if "/" in text else os.sep
        raise UsageError(
            key="output.error.folder_given", path=text, example=f"{text}{separator}{example}"
        )
    # A folder on the way that is a file (-o runde1.xlsx/tildeling.xlsx): the writer would fail
    # only after the award table had been printed, a run that looks finished.
    for parent in path.parents:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                raise UsageError(key="output.error.under_file", path=text, file=str(parent))
            break
    return path


def _home(path: Path) -> Path:
    """``path`` with a leading ``~`` taken as the home folder, as the shell would have done had
    it not been in quotes (``-o "~/Mine tildelinger/runde1.xlsx"``), unless a folder by that
    name is here; else a folder named "~" was made here for it."""
    if not path.parts or not path.parts[0].startswith("~") or Path(path.parts[0]).exists():
        return path
    try:
        return path.expanduser()
    except RuntimeError:  # no home folder to be had: the name as given
        return path


EXTRA_WORDS = {"allow_extra_args": True}
"""Context settings of a command that takes a file: words after its arguments are kept (and
refused by :func:`refuse_extra_words`, which can say what they were)."""


def refuse_extra_words(ctx: typer.Context, words: Sequence[str]) -> None:
    """Refuse words the command does not take; when they and the arguments before them
    (``words``) make the name of a file that is there, that is a file name with spaces left out
    of quotes (``tilskudd check Søknader 2026.xlsx``), and the error says so. Said with the
    command's other problems (:meth:`Problems.extra_words`)."""
    extra = [word for word in ctx.args if isinstance(word, str)]
    if not extra:
        return
    given = [*words, *extra]
    for end in range(len(given), 1, -1):
        name = " ".join(given[:end])
        if Path(name).exists():
            raise ExtraWordsError(ctx, key="cli.unquoted_name", name=name)
    raise ExtraWordsError(ctx, key="cli.extra_words", words=" ".join(extra))


_SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")


def input_file(file: Path) -> Path:
    """The applications file named on the command line, or an error that says what was meant.

    Said before anything is read, in the command's language: an office program's lock file
    (``~$søknader.xlsx`` beside a workbook open in Excel, ``.~lock.søknader.xlsx#`` in
    LibreOffice) given for the workbook; a name that is not there, with the names in its folder
    it may have meant (another case or extension, the extension left out). A name that differs
    from the folder's only in how its letters are encoded (æøå typed composed, saved decomposed
    by a Mac) is that file.
    """
    from tilskudd.errors import InputFileError

    file = _home(file)
    name = file.name
    real = _locked_workbook(name)
    if real is not None:
        workbook = next(
            (
                p.name
                for p in _siblings(file)
                if p.name.endswith(real) and _locked_workbook(p.name) is None
            ),
            None,
        )
        if workbook is not None:
            raise InputFileError(
                key="read.error.lock_file", file=str(file), workbook=str(file.with_name(workbook))
            )
        raise InputFileError(key="read.error.lock_file_alone", file=str(file))
    if file.exists() or not name:
        return file
    import unicodedata

    def fold(text: str) -> str:
        return unicodedata.normalize("NFC", text).casefold()

    siblings = _siblings(file)
    composed = unicodedata.normalize("NFC", name)
    exact = [p for p in siblings if unicodedata.normalize("NFC", p.name) == composed]
    if len(exact) == 1:
        return file.with_name(exact[0].name)
    wanted = fold(name)
    stem = fold(Path(name).stem if Path(name).suffix.lower() in _SPREADSHEETS else name)
    readable = {
        fold(p.name): p
        for p in siblings
        if p.suffix.lower() in _SPREADSHEETS and _locked_workbook(p.name) is None
    }
    # The same name in another case; else the same name with another extension (or with one,
    # where it was left out); else names close to it.
    near = [p for folded, p in readable.items() if folded == wanted] or [
        p for p in readable.values() if fold(p.stem) == stem
    ]
    if not near:
        import difflib

        near = [readable[n] for n in difflib.get_close_matches(wanted, list(readable), n=3)]
    if near:
        from tilskudd.i18n import Phrase

        shown = [Phrase("read.error.quoted", text=str(file.with_name(p.name))) for p in near]
        raise InputFileError(key="read.error.not_found_near", file=str(file), near=shown)
    # Said here rather than by the reader: with the output options' problems, in one run.
    raise InputFileError(key="read.error.not_found", file=str(file))


REFUSED_VALUES = "tilskudd.refused_values"
"""Where a command's context keeps the values typer refused as it read the command line
(click's ``BadParameter``; see :class:`tilskudd.cli.app._Option`), the required arguments
and options left out (``MissingParameter``; :func:`tilskudd.cli.app._kept_missing`), and the
unknown options and options without their value its parser met (``NoSuchOption``,
``BadOptionUsage``; :func:`tilskudd.cli.app._keeping_mistakes`)."""


class TypedWrongError(UsageError):
    """A mistake in how a command was typed (:class:`RefusedValueError`, :class:`ExtraWordsError`):
    said with the command's other problems, and with its usage line and where its help is under
    them all (:func:`guard`), as click says such a mistake alone."""

    ctx: Any = None
    """The context of the command typed wrong (None: no usage line to say)."""

    def usage_and_hint(self, lang: str) -> tuple[str | None, str | None]:
        """The command's usage line and where its help is, in ``lang``."""
        from tilskudd.cli.usage import usage_and_hint

        return usage_and_hint(self.ctx, lang)


class ExtraWordsError(TypedWrongError):
    """Words after a command's arguments that it does not take (:func:`refuse_extra_words`)."""

    def __init__(self, ctx: typer.Context, *, key: str, **params: Any) -> None:
        super().__init__(key=key, **params)
        self.ctx = ctx


class RefusedValueError(TypedWrongError):
    """A value typer refused as it read the command line: not one of the option's choices
    (``--register 2010``, ``--format nope``), out of its range (``--limit -1``), or not a whole
    number (``--round x``). Said as a mistake in typing the command is (:mod:`tilskudd.cli.usage`),
    in the command's language, with the usage line and the hint; but with the command's other
    problems (:class:`Problems`), not alone before them. So is a required argument or option
    left out (``missing argument FILE``): :attr:`missing`; and an unknown option or one without
    its value (``--rulle``, ``--budget`` at the end): :attr:`mistyped`."""

    def __init__(self, refused: Exception) -> None:
        from typer._click.exceptions import BadOptionUsage, MissingParameter, NoSuchOption

        from tilskudd.cli.app import RepeatedOption, meant_option

        self.refused = refused
        param = getattr(refused, "param", None)
        meant = meant_option(refused)
        self.mistyped = isinstance(refused, (NoSuchOption, BadOptionUsage, RepeatedOption))
        """An unknown option, one without its value, or one given more than once (``--budget
        1M --budget 2M``): met as the command line was read."""
        if meant is not None:
            ctx = getattr(refused, "ctx", None)
            options = ctx.command.params if ctx is not None else []
            param = next((p for p in options if meant in p.opts), None)
        self.name: str | None = getattr(param, "name", None)
        """The option's parameter name (``round_``); for a mistyped option, that of the option
        it is about (``budget`` for ``--budjet``), whose value is then not known."""
        self.missing = isinstance(refused, MissingParameter)
        """Not given at all, though required (the parameter is None in the command)."""
        super().__init__(str(refused))
        self.ctx = getattr(refused, "ctx", None)

    def text(self, lang: str = "en") -> str:
        from tilskudd.cli.usage import describe_usage_error

        return describe_usage_error(cast("Any", self.refused), lang)[0]


def refused_values() -> list[RefusedValueError]:
    """The values typer refused in the command being run, each once: taken, to be said."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    if ctx is None:
        return []
    return [RefusedValueError(exc) for exc in ctx.meta.pop(REFUSED_VALUES, [])]


class _Said:
    """An error as one line of :class:`Problems`' error, said in the language it is said in."""

    __slots__ = ("error",)

    def __init__(self, error: TilskuddError) -> None:
        self.error = error

    def render(self, lang: str = "en") -> str:
        return self.error.text(lang)


class Problems:
    """The problems of a command line, gathered to be said together, so that putting one right
    does not meet the next unsaid on the next run (a missing input and an unknown ``--format``).

    Each check runs in :meth:`gather`; :meth:`raise_any` then raises the one error as it was,
    or several as one :class:`~tilskudd.errors.ProblemsTogetherError`, one a line, with the exit
    code they call for: theirs if they share one, else 2 (usage)."""

    def __init__(self, lang: str | None = None) -> None:
        self.errors: list[TilskuddError] = []
        self.lang = lang
        """The command's ``--lang`` if it names a language (or was not given); None if not: its
        problem is then the first gathered, and the others are said in the language the
        command would have had without it."""
        given = lang if lang is not None else _before_command[0]
        if given is not None:
            with self.gather():
                language_option(given)
            if self.errors:
                self.lang = None
                if lang is None:  # typed before the command: not taken up again
                    _before_command[0] = None
        # In the order click would have said them alone: an unknown option or one without its
        # value, then the required arguments and options left out; then the values typer
        # refused as it read the command line.
        taken = refused_values()
        mistyped = [exc for exc in taken if exc.mistyped]
        missing = [exc for exc in taken if exc.missing]
        refused = [exc for exc in taken if not exc.missing and not exc.mistyped]
        self.missing = {exc.name for exc in missing}
        """The required parameters left out (by name: ``file``): None in the command, which
        must not use them before :meth:`raise_any`, which says them."""
        self.errors.extend([*mistyped, *missing])
        self._typed_at = len(self.errors)
        """Where the words the command does not take go: after the language, the unknown
        options and what is left out, before the values typer refused (as a command without a
        file says them, :mod:`tilskudd.cli.usage`)."""
        self.refused = {exc.name for exc in [*mistyped, *refused] if exc.name is not None}
        """The options whose values typer refused (by parameter name: ``round_``), and those
        typed without their value or misspelt (``--budget`` at the end, ``--budjet 5``): the
        command has their default, not what was meant, and says nothing more of them."""
        self.errors.extend(refused)

    @contextlib.contextmanager
    def gather(self) -> Iterator[None]:
        """Run a check; an error of tilskudd's it raises is kept, and the command goes on."""
        try:
            yield
        except TilskuddError as exc:
            self.errors.append(exc)

    def extra_words(self, ctx: typer.Context, words: Sequence[str] = ()) -> bool:
        """Gather the words after the command's arguments (``words``) that it does not take
        (:func:`refuse_extra_words`), to be said with its other problems rather than alone
        before them. True when they make, with ``words``, the name of a file that is there:
        the file named on the command line is then said to need quotes, not to be missing."""
        try:
            refuse_extra_words(ctx, words)
        except UsageError as exc:
            self.errors.insert(self._typed_at, exc)
            self._typed_at += 1
            return exc.key == "cli.unquoted_name"
        return False

    def raise_any(self) -> None:
        """Raise what was gathered, if anything."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise together(self.errors)


def together(errors: Sequence[TilskuddError]) -> TilskuddError:
    """``errors`` as one error, said one a line with the exit code they call for: theirs if
    they share one, else 2 (usage)."""
    from tilskudd.errors import ProblemsTogetherError

    lines = [line for exc in errors for line in said_lines(exc)]
    return ProblemsTogetherError(lines=lines, codes=[exc.exit_code for exc in errors])


def said_lines(exc: TilskuddError) -> list[Any]:
    """The lines ``exc`` is said in among other problems, each to be said in any language:
    its own (:func:`error_lines`), else its message as one line."""
    return error_lines(exc) or [_Said(exc)]


def _typed_wrong_among(exc: TilskuddError) -> TypedWrongError | None:
    """The first mistake in typing the command that ``exc`` says, alone or among its lines."""
    if isinstance(exc, TypedWrongError):
        return exc
    for line in error_lines(exc):
        if isinstance(line, _Said) and isinstance(line.error, TypedWrongError):
            return line.error
    return None


def _typed_wrong_only(exc: TilskuddError) -> bool:
    """``exc`` says a mistake in typing the command (said with the command's usage line,
    :func:`_typed_wrong_among`), and all it says are usage problems (exit code 2): nothing
    in it comes from inside tilskudd or from a file read, for which ``--debug`` shows a
    traceback."""
    lines = error_lines(exc)
    errors = [line.error if isinstance(line, _Said) else None for line in lines] if lines else [exc]
    return _typed_wrong_among(exc) is not None and all(
        error is not None and error.exit_code == ExitCode.USAGE for error in errors
    )


def error_lines(exc: TilskuddError) -> list[Any]:
    """The lines of an error said one problem a line (a policy's wrong settings, problems said
    together), each a phrase to be said in any language; empty for an error of one message."""
    return list(getattr(exc, "lines", ()))


def _locked_workbook(name: str) -> str | None:
    """The end of the workbook's name when ``name`` is an office program's lock file."""
    if name.startswith("~$") and len(name) > 2:
        return name[2:]
    if name.startswith(".~lock.") and name.endswith("#") and len(name) > 8:
        return name[7:-1]
    return None


def _siblings(file: Path) -> list[Path]:
    """The files in ``file``'s folder (none if it cannot be listed)."""
    try:
        return sorted(p for p in file.parent.iterdir() if p.is_file() and p.name != file.name)
    except OSError:
        return []


def refuse_open_output(path: Path) -> None:
    """Refuse an output file that is open in Excel or LibreOffice (its lock file is beside it),
    before the run rather than after it: Windows refuses to replace it at the end, and elsewhere
    the program goes on showing, and may save over it, the old one."""
    if not path.is_file():
        return  # a lock file without its workbook was left by a program that stopped
    for lock in (f"~${path.name}", f".~lock.{path.name}#"):
        if path.with_name(lock).exists():
            raise UsageError(
                key="output.error.open_elsewhere", path=str(path), lock=str(path.with_name(lock))
            )


def parse_sheet(value: str | None) -> str | int | None:
    """``--sheet 2`` means the second sheet; any other text is a sheet name."""
    if value is None:
        return None
    return int(value) if value.strip().isdigit() else value


def sheet_said_too(
    problems: Problems, file: Path, sheet: str | None, lang: str, *, others: bool = False
) -> None:
    """When the command stops before the reading (``problems`` gathered, or ``others``):
    gather a ``--sheet`` that ``file`` does not have, found from the workbook's sheet names
    alone, so that it is said with them rather than on the next run. A run that reads the file
    leaves it to the reader, which opens the workbook once."""
    if sheet is None or not (problems.errors or others):
        return
    from tilskudd.reading.sheetlist import check_sheet

    with problems.gather():
        check_sheet(file, parse_sheet(sheet) or sheet, display_name=str(file), lang=lang)


def read_checked(
    file: Path,
    *,
    sheet: str | None,
    column_map: dict[str, str] | None,
    register: Register,
    lang: str,
    rule: str | None = None,
    then: Sequence[str] = (),
    currency: str = "NOK",
) -> ValidationResult:
    """Read and validate ``file`` with the shared reading options; ``column_map`` is the
    ``--columns`` map, read before with the command's other problems (:func:`load_columns`);
    ``then`` names the modules the command needs next, imported while the sheet is parsed
    (:func:`preparer`); ``currency``: the round's, which the file's own is held to."""
    from tilskudd.pipeline import read_applications

    return read_applications(
        file,
        sheet=parse_sheet(sheet),
        columns=column_map,
        register=register.value,
        lang=lang,
        display_name=str(file),
        rule=rule,
        meanwhile=preparer(["tilskudd.validation", *then], register=register, lang=lang),
        currency=currency,
    )


def load_columns(columns: Path | None, lang: str) -> dict[str, str] | None:
    """The ``--columns`` map, read and checked (None without one): before the applications,
    so that a map that is missing or wrong is said with the command's other problems."""
    if columns is None:
        return None
    from tilskudd.reading import load_column_map

    return load_column_map(columns, lang=lang)


def input_and_columns(
    problems: Problems, file: Path, columns: Path | None, lang: str, *, quoted: bool
) -> tuple[Path, dict[str, str] | None]:
    """The input file named on the command line (:func:`input_file`) and the ``--columns`` map
    (:func:`load_columns`), each problem gathered into ``problems`` to be said with the
    command's others. ``file`` is given back as typed where it is not looked at: its words were
    said as a name with spaces left out of quotes (``quoted``), or it is missing; or where its
    problem was gathered. The map is None where it was not given or cannot be had."""
    with problems.gather():
        # Else said: a name with spaces, typed without quotes; or none given.
        if not quoted and "file" not in problems.missing:
            file = input_file(file)  # a lock file, a mistyped name: said before the run
    column_map: dict[str, str] | None = None
    with problems.gather():
        column_map = load_columns(columns, lang)  # missing, or not a map
    return file, column_map


def preparer(modules: Sequence[str], *, register: Register, lang: str) -> Callable[[], None]:
    """A function preparing what a command uses after the reading, for
    :func:`~tilskudd.reading.read_table`'s ``meanwhile``: done while calamine parses the sheet
    on the other core. It imports ``modules`` (validation, the rules, rich, the writer: about
    0.12 s), reads the municipality register of ``register`` and the catalogue of ``lang``
    (about 0.02 s; both are kept once read). What fails here is left for the command to do
    where it uses it, and fail there as it would have."""

    def prepare() -> None:
        from tilskudd.i18n import get
        from tilskudd.registry import get_register

        for name in modules:
            with contextlib.suppress(Exception):
                importlib.import_module(name)
        with contextlib.suppress(Exception):
            get_register(register.value)
        with contextlib.suppress(Exception):
            get(lang).has("cli.wrote")  # reads the language's catalogue

    return prepare


def emit_json(data: Any) -> None:
    """Print JSON for machines: stable keys, no colour; UTF-8, or where stdout has another
    encoding (a Windows code page) every character beyond ASCII as a ``\\u`` escape, which any
    reader of JSON takes back exactly (written plainly, – would be read back as -)."""
    import codecs
    import json

    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        utf = codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        utf = False
    text = json.dumps(data, ensure_ascii=not utf, indent=2, sort_keys=False) + "\n"
    try:
        sys.stdout.write(text)
        sys.stdout.flush()  # here, where a closed pipe is caught, not on the way out
    except BrokenPipeError:
        stream_closed()


def say_file_comment(out: Console, file: Path, lang: str) -> None:
    """The comment the file's compilers wrote on the data (a pabulib ``META`` comment), under
    what ``check`` or ``allocate`` said of the file, when it has one; never in an output file."""
    from tilskudd.reading.pabulib import stated_comment
    from tilskudd.render.check import render_file_comment

    comment = stated_comment(file)
    if comment is not None:
        render_file_comment(
            out, comment.text, length=comment.length, shortened=comment.shortened, lang=lang
        )


@contextlib.contextmanager
def said_when_stopped(out: Console, file: Path, lang: str) -> Iterator[None]:
    """Say the file's comment on the data (:func:`say_file_comment`) when the command stops
    inside, with an exit code or an error of its own: under what was said of the file, before
    the error."""
    try:
        yield
    except (typer.Exit, TilskuddError) as stopped:
        if not isinstance(stopped, typer.Exit) or stopped.exit_code:
            say_file_comment(out, file, lang)
        raise
