"""The project's exceptions and exit codes.

The library raises these small domain exceptions; the CLI catches :class:`TilskuddError` in one
place, prints its message and exits with its :class:`ExitCode`. Anything else is a bug.

An error may carry a catalogue key and its parameters instead of a text
(``LedgerError(key="ledger.error.busy", said=...)``): ``str(exc)`` is then the English text, as
for every other error, and :meth:`TilskuddError.text` renders it in another language (the CLI
uses the command's ``--lang``). The library does not depend on the CLI for this, only on the
catalogues in ``locales/``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from tilskudd.controls import visible

if TYPE_CHECKING:
    from decimal import Decimal


class ExitCode(IntEnum):
    """Process exit codes, the same for every command."""

    OK = 0
    INVALID_INPUT = 1
    USAGE = 2
    BUG = 3
    """An unexpected error: a bug in tilskudd (traceback with --debug)."""


class TilskuddError(Exception):
    """Base of every error tilskudd reports to a person.

    Raised either with a text (English), or with ``key=`` a catalogue key and its parameters as
    keywords; then ``str(exc)`` is the key's English text and :meth:`text` gives it in any
    language. A parameter may be an :class:`~tilskudd.i18n.Phrase` (a key with its own
    parameters), rendered in the same language.
    """

    exit_code: ExitCode = ExitCode.INVALID_INPUT
    key: str | None = None
    """The catalogue key of the message, None for an error raised with a text."""
    params: Mapping[str, Any] = MappingProxyType({})
    """The key's parameters."""

    def __init__(
        self, message: str | None = None, /, *, key: str | None = None, **params: Any
    ) -> None:
        if key is None:
            if params:
                raise TypeError(f"parameters without a key: {', '.join(params)}")
        else:
            # Set only with a key: subclasses with their own code and params (RegistryError)
            # set theirs before calling this.
            self.key = key
            self.params = params
            if message is None:
                from tilskudd.i18n import get

                message = get("en").render(key, params)
        # A file's or a sheet's name, a cell or a setting quoted in it is shown as every output
        # shows applicants' text: a bidi control or control character as its code.
        super().__init__(*(() if message is None else (visible(message),)))

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``nb`` or ``en``); ``str(exc)`` when it has no key, or
        there is no catalogue for ``lang``."""
        if self.key is None:
            return str(self)
        from tilskudd.i18n import get

        try:
            translator = get(lang)
        except KeyError:
            return str(self)
        return visible(translator.render(self.key, self.params))


def _has_catalogue(lang: str) -> bool:
    """Whether messages can be said in ``lang`` (else they are said in English)."""
    from tilskudd.i18n import get

    try:
        get(lang)
    except KeyError:
        return False
    return True


class AllocationInvariantError(RuntimeError):
    """A rule's result breaks the house rules: a bug in tilskudd, never the user's fault.

    Not a :class:`TilskuddError`: the CLI reports it as a bug (:attr:`ExitCode.BUG`). Kept here
    with the other exceptions rather than in ``rules/common.py``, which raises it: mypyc, which
    can compile the rule modules (docs/benchmarks.md), does not compile a class derived from a
    built-in exception other than ``Exception`` itself.
    """


class InputFileError(TilskuddError):
    """An input file cannot be read as applications (missing, corrupt, encrypted, no header)."""


class NotKronerError(TilskuddError):
    """A published list would state as kroner amounts its applications give in another currency."""


class AmountError(TilskuddError, ValueError):
    """A text or number is not an exact amount of money."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class AmbiguousAmountError(AmountError):
    """One separator before three digits (``3,300``): it may group thousands or be a decimal
    mark; both readings are given, exactly."""

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        thousands: int,
        decimal: Decimal,
        separator: str = ",",
    ) -> None:
        super().__init__(message, hint)
        self.separator = separator
        """The separator that may be either: ``","`` or ``"."``."""
        self.thousands = thousands
        """What the text means if the separator groups thousands (``3,300`` -> 3300)."""
        self.decimal = decimal
        """What it means if the separator is a decimal mark (``3,300`` -> 3.3)."""


class AmbiguousUnitError(AmountError):
    """An amount with a unit that means two things (``2 G``: twice the National Insurance basic
    amount, grunnbeløpet, or two billion): refused, never read one way."""

    def __init__(self, message: str, hint: str | None = None, *, number: str) -> None:
        super().__init__(message, hint)
        self.number = number
        """The number before the unit, as written (``1,5`` of ``1,5 G``)."""


class UsageError(TilskuddError):
    """An option or argument is not usable as given."""

    exit_code = ExitCode.USAGE


class _LinesError(TilskuddError):
    """An error raised with a text, a catalogue key, or ``lines``: one
    :class:`~tilskudd.i18n.Phrase` per problem, rendered one a line in any language by
    :meth:`text` (each setting of a file that is wrong, with where it is)."""

    lines: tuple[Any, ...] = ()

    def __init__(
        self,
        message: str | None = None,
        /,
        *,
        lines: Sequence[Any] = (),
        key: str | None = None,
        **params: Any,
    ) -> None:
        self.lines = tuple(lines)
        if self.lines and message is None and key is None:
            message = "\n".join(line.render("en") for line in self.lines)
        super().__init__(message, key=key, **params)

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``: each line's phrase, or the key's text."""
        if not self.lines:
            return super().text(lang)
        if not _has_catalogue(lang):
            return str(self)
        return visible("\n".join(line.render(lang) for line in self.lines))


class PolicyError(_LinesError, UsageError):
    """A policy file or option is invalid (see :class:`_LinesError` for ``lines``)."""

    settings: tuple[str | None, ...] = ()
    """For each of ``lines``, the setting a rule found wrong (``tie_break``,
    ``quotas[2].value``), which the rule cannot know where it was written: the caller says the
    file or option (:meth:`tilskudd.cli.round_options.RoundSetup.placed`). None for a line that
    is not about one setting; empty when the lines say where."""

    def __init__(
        self,
        message: str | None = None,
        /,
        *,
        lines: Sequence[Any] = (),
        settings: Sequence[str | None] = (),
        key: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message, lines=lines, key=key, **params)
        self.settings = tuple(settings)


class ProblemsTogetherError(_LinesError):
    """Several problems of one command line, said together, one a line (see
    :class:`_LinesError`), so that putting one right does not meet the next unsaid.

    Its exit code is the one its problems call for: theirs when they all have the same (1 for
    an input file and a column map that cannot be read, 2 for options), else 2 (usage), as the
    command was used wrongly whatever else is wrong with its files.
    """

    def __init__(self, *, lines: Sequence[Any], codes: Sequence[ExitCode]) -> None:
        super().__init__(lines=lines)
        self.exit_code = codes[0] if len(set(codes)) == 1 else ExitCode.USAGE


class CurrencyError(UsageError):
    """A currency that is not an ISO 4217 code, or not the one the round counts in."""


class OutputExistsError(UsageError):
    """An output file exists and --force was not given, or it would overwrite an input."""


class ProblemsError(TilskuddError):
    """An error that lists several problems under a heading, each said in any language.

    Raised with ``problems``: one tuple of :class:`~tilskudd.i18n.Phrase` per problem, the
    sentence first and then the items it lists (``A-3 (row 5): NOK 300,000``); the subclass
    names the heading's catalogue key in :attr:`heading` and may end with :attr:`closing`.
    :meth:`text` renders it all in one language, one problem a line; ``str()`` is English.
    """

    heading = ""
    closing: str | None = None
    problems: tuple[tuple[Any, ...], ...] = ()

    def __init__(
        self,
        message: str | None = None,
        /,
        *,
        problems: Sequence[Sequence[Any]] = (),
        heading: str | None = None,
        **params: Any,
    ) -> None:
        self.problems = tuple(tuple(problem) for problem in problems)
        if heading is not None:
            self.heading = heading  # one of the class's headings, chosen where it is raised
        self.heading_params = params
        super().__init__(self._render("en") if self.problems else message)

    def text(self, lang: str = "en") -> str:
        """The problems in ``lang``, one a line, under the heading."""
        if not self.problems:
            return super().text(lang)
        if not _has_catalogue(lang):
            return str(self)
        return visible(self._render(lang))

    def _render(self, lang: str) -> str:
        from tilskudd.i18n import get

        t = get(lang)
        lines = [t.render(self.heading, self.heading_params)]
        for sentence, *items in self.problems:
            line = sentence.render(lang)
            if items:
                line += ": " + "; ".join(item.render(lang) for item in items)
            lines.append(line)
        text = "\n  - ".join(lines)
        if self.closing:
            text += "\n" + t.render(self.closing, self.heading_params)
        return text


class OverrideError(ProblemsError):
    """Manual overrides that cannot be applied: no reason, no amount, or more than the budget."""

    heading = "override.error.cannot_apply"


class QuotaError(ProblemsError, PolicyError):
    """Quotas that cannot all be met: before the allocation (their minimums against what the
    applications and the budget allow), or after a rule's passes (``closing`` suggests
    ``optimal``)."""

    heading = "quota.error.cannot_meet"


class QuotaUnmetError(QuotaError):
    """A minimum a rule's passes did not meet."""

    heading = "quota.error.unmet"
    closing = "quota.error.unmet_closing"


class _InCurrencyError(TilskuddError):
    """An error whose amounts are said in :attr:`currency` when it is set, wherever it is said
    (and in the currency of the run saying it when not)."""

    currency: str | None = None

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``, its amounts in :attr:`currency` when it is set."""
        if self.currency is None:
            return super().text(lang)
        from tilskudd.currency import amounts_in

        with amounts_in(self.currency):
            return super().text(lang)


class ProgrammeError(_InCurrencyError, _LinesError):
    """A programme file (tilskudd.toml) is missing, not valid TOML, or has an invalid field."""

    lang: str | None = None
    """The language the file declares (``lang`` of its ``[programme]``), when it can be read:
    the one its commands speak, and so the one to say its problems in."""
    currency: str | None = None
    """The currency the file declares (``currency`` of its ``[programme]``), when it is one:
    the one its amounts are in, and so the one to say them in (the rounds over the frame)."""


class LedgerError(_InCurrencyError):
    """The ledger refuses an operation (double commit, over-committed frame, bad amendment)."""

    currency: str | None = None
    """The currency of the programme whose amount is refused, when the refusal names its unit
    (``whole EUR``): its message is said in it wherever it is said, as a programme file's is."""


class AmendmentBeyondPolicyError(LedgerError):
    """An amendment refused for a rule of its round's policy: one ``--outside-policy`` could
    record as a decision beyond it (``hint``, set by the CLI, says so)."""

    hint: str | None = None


class AmendmentRefusedError(_LinesError, AmendmentBeyondPolicyError):
    """An amendment refused for several rules of its round's policy: each refusal on a line
    (see :class:`_LinesError`), so that putting one right does not meet the next unsaid."""


class LedgerFileError(LedgerError):
    """A ledger file is not a tilskudd ledger, or is from a newer tilskudd; it is left untouched."""


class LedgerIntegrityError(LedgerError):
    """The ledger's hash chain or recorded awards do not match: changed outside tilskudd."""
