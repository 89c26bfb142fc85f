"""The options of a round that `allocate` and `explain` share, and how they become a policy.

One definition of each policy and programme option, and one function that turns them, the
policy file and the programme into the language, budget, register and policy of the run, so
the two commands can never read the same option two ways.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tilskudd.cli.common import (
    Problems,
    Register,
    input_file,
    parse_amount_option,
    programme_register,
    resolve_currency,
    resolve_lang,
    said_lines,
)
from tilskudd.currency import NOK
from tilskudd.errors import PolicyError, TilskuddError, UsageError

if TYPE_CHECKING:
    from tilskudd.cli.programme import RoundPlan
    from tilskudd.models import Application, Policy, RoundResult
    from tilskudd.policyfile import PolicyFile

POLICY_HELP = "Policy (overrides --policy)"
PROGRAMME_HELP = "Programme and ledger"

BudgetOpt = Annotated[
    str | None,
    typer.Option(
        "--budget", "-b", help="The round's budget: 20000000, '20\u00a0000\u00a0000' or 20M."
    ),
]
RuleOpt = Annotated[
    str | None,
    typer.Option(
        "--rule",
        help="ranked (default), proportional, optimal or lottery.",
        rich_help_panel=POLICY_HELP,
    ),
]
PolicyFileOpt = Annotated[
    Path | None,
    typer.Option("--policy", help="Policy TOML file ([policy] table).", show_default=False),
]
MaxAwardOpt = Annotated[
    str | None,
    typer.Option("--max-award", help="Cap per application.", rich_help_panel=POLICY_HELP),
]
MaxShareOpt = Annotated[
    str | None,
    typer.Option(
        "--max-share-of-cost",
        help="At most this share of the project's total cost: '20 %' or 0.2.",
        rich_help_panel=POLICY_HELP,
    ),
]
MinAwardOpt = Annotated[
    str | None,
    typer.Option("--min-award", help="No award below this.", rich_help_panel=POLICY_HELP),
]
RoundToOpt = Annotated[
    str | None,
    typer.Option(
        "--round-to",
        help="Round awards down to a multiple of this (e.g. 1000).",
        rich_help_panel=POLICY_HELP,
    ),
]
MinScoreOpt = Annotated[
    str | None,
    typer.Option("--min-score", help="Eligibility threshold.", rich_help_panel=POLICY_HELP),
]
PerApplicantMaxOpt = Annotated[
    str | None,
    typer.Option(
        "--per-applicant-max",
        help="Cap on the sum over one organisation number's applications.",
        rich_help_panel=POLICY_HELP,
    ),
]
AtLineOpt = Annotated[
    str | None,
    typer.Option(
        "--at-line",
        help="ranked: skip (pass over what doesn't fit), stop (strict line) or partial.",
        rich_help_panel=POLICY_HELP,
    ),
]
# --reserve and --seed are read by the policy, not by typer's parser: a value that is not a
# whole number is then said with the other wrong settings of the run (and the input file and
# output options), not alone before anything else is looked at.
ReserveOpt = Annotated[
    str | None,
    typer.Option("--reserve", help="Length of the reserve list.", rich_help_panel=POLICY_HELP),
]
TieBreakOpt = Annotated[
    str | None,
    typer.Option(
        "--tie-break",
        help="Columns that break score ties, in order: 'total_cost asc, Merknad desc'.",
        rich_help_panel=POLICY_HELP,
    ),
]
WeightOpt = Annotated[
    str | None,
    typer.Option("--weight", help="proportional: none or score.", rich_help_panel=POLICY_HELP),
]
SeedOpt = Annotated[
    str | None,
    typer.Option(
        "--seed",
        help="Seed of the lottery; without one a new seed is drawn and printed.",
        rich_help_panel=POLICY_HELP,
    ),
]
ObjectiveOpt = Annotated[
    str | None,
    typer.Option(
        "--objective",
        help="optimal: maximise total score (score), the number funded (count), or score x "
        "amount (score_amount).",
        rich_help_panel=POLICY_HELP,
    ),
]
LotteryBandOpt = Annotated[
    str | None,
    typer.Option(
        "--lottery-band",
        help="lottery: applications scored within this of the funding line are drawn (0: ties).",
        rich_help_panel=POLICY_HELP,
    ),
]
RoundOpt = Annotated[
    int | None,
    typer.Option(
        "--round",
        help="A round of the programme (tilskudd.toml): its budget, or what remains of the "
        "frame if less; applications funded in earlier rounds are not funded again.",
        rich_help_panel=PROGRAMME_HELP,
    ),
]
ProgrammeOpt = Annotated[
    Path | None,
    typer.Option(
        "--programme",
        help="The programme file. Default: tilskudd.toml here or in a folder above.",
        show_default=False,
        rich_help_panel=PROGRAMME_HELP,
    ),
]
LedgerOpt = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        help="The ledger file. Default: the programme's.",
        show_default=False,
        rich_help_panel=PROGRAMME_HELP,
    ),
]


@dataclass(frozen=True)
class PolicyOptions:
    """The policy options as given on the command line (None: not given)."""

    rule: str | None = None
    max_award: str | None = None
    max_share_of_cost: str | None = None
    min_award: str | None = None
    round_to: str | None = None
    min_score: str | None = None
    per_applicant_max: str | None = None
    at_line: str | None = None
    reserve: str | None = None
    tie_break: str | None = None
    weight: str | None = None
    seed: str | None = None
    objective: str | None = None
    lottery_band: str | None = None

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> PolicyOptions:
        """The policy options among a command's parameters (``ctx.params``), by name."""
        return cls(**{name: params.get(name) for name in cls.__dataclass_fields__})

    def overrides(self) -> dict[str, Any]:
        """The options that were given, as policy fields."""
        values: dict[str, Any] = {
            "rule": self.rule,
            "max_award": self.max_award,
            "max_share_of_cost": self.max_share_of_cost,
            "min_award": self.min_award,
            "round_to": self.round_to,
            # A Norwegian decimal comma in a score: --min-score 4,5
            "min_score": self.min_score.replace(",", ".") if self.min_score else None,
            "per_applicant_max": self.per_applicant_max,
            "at_line": self.at_line,
            "reserve": self.reserve,
            "tie_break": self.tie_break,
            "weight": self.weight,
            "seed": self.seed,
            "objective": self.objective,
            "lottery_band": self.lottery_band.replace(",", ".") if self.lottery_band else None,
        }
        return {key: value for key, value in values.items() if value is not None}

    def not_for(self, rule: str) -> list[tuple[str, tuple[str, ...]]]:
        """Options given that only other rules read, as (option, those rules): ``--weight``
        with the ranked rule changes nothing, and the officer who typed it should know."""
        return [
            ("--" + name.replace("_", "-"), owners)
            for name, owners in READ_BY.items()
            if getattr(self, name) is not None and rule not in owners
        ]


READ_BY: dict[str, tuple[str, ...]] = {
    "weight": ("proportional",),
    "objective": ("optimal",),
    "seed": ("lottery",),
    "lottery_band": ("lottery",),
    # The reserve list and the funding line's choice: proportional gives every eligible
    # application its share (no line, no list); optimal funds whole awards (no line).
    "reserve": ("ranked", "optimal", "lottery"),
    "at_line": ("ranked", "lottery"),
}
"""The policy settings that only some rules read, and those rules."""


@dataclass(frozen=True)
class RoundSetup:
    """What a run of a round is made of: language, budget, register, policy, programme plan."""

    plan: RoundPlan
    lang: str
    budget: int
    register: Register
    policy: Policy
    seed_drawn: bool
    """True when the lottery's seed was drawn now (it must be shown to the officer)."""
    policy_file: Path | None = None
    options: PolicyOptions = PolicyOptions()
    policy_problem: PolicyError | None = None
    """With ``defer_policy``: the settings that are wrong, one a line; ``policy`` is then the
    policy of the rest (:func:`tilskudd.policyfile.policy_with_problems`), for
    :meth:`require_policy` to hold against the applications before it stops the run."""
    left_out: frozenset[str] = frozenset()
    """The settings left out of ``policy`` as wrong."""
    policy_read: PolicyFile | None = None
    """The policy file as read (its settings, and where each is written)."""
    programme_unread: bool = False
    """True when the programme (or its ledger) could not be had (``unread``): ``plan`` is then
    that of no programme, and what the programme would have given (a funder) is not known."""
    currency: str = "NOK"
    """The ISO 4217 code of the round's currency (:func:`~tilskudd.cli.common.resolve_currency`)."""
    budget_problem: TilskuddError | None = None
    """With ``defer_budget``: why there is no budget (``--budget abc``, or none given and no
    round's to take), for :meth:`require_budget` to say with the command's other problems;
    ``budget`` is then 0."""

    def require_budget(self) -> None:
        """Raise the budget's problem, if there was one (see :attr:`budget_problem`)."""
        if self.budget_problem is not None:
            raise self.budget_problem

    @property
    def rule_known(self) -> bool:
        """Whether the rule is the one asked for (not left out as a wrong setting)."""
        return "rule" not in self.left_out

    @contextlib.contextmanager
    def policy_said_too(self) -> Iterator[None]:
        """Around what a run does before :meth:`require_policy`: an error that stops it there (an
        input that is missing, an output that cannot be written) is said after the wrong
        settings, in one :class:`PolicyError` (exit 2, as a wrong setting alone), so that
        neither waits for the next run."""
        try:
            yield
        except TilskuddError as exc:
            if self.policy_problem is None:
                raise
            # Each said in the language the message is said in (a value typer refused, with
            # the command's usage line under them all).
            raise PolicyError(lines=[*self.policy_problem.lines, *said_lines(exc)]) from None

    def require_policy(self, applications: Sequence[Application]) -> None:
        """Stop the run if a setting was wrong, with one :class:`PolicyError` that names it and
        every problem the rest of the policy finds in ``applications`` (a tie-break column they
        lack, a county no numbering knows, missing scores), each where it was written: every
        problem of the policy in one run, beside the cells' (said before this)."""
        if self.policy_problem is None:
            return
        from tilskudd.rules.checks import check_rule_policy

        lines = list(self.policy_problem.lines)
        rest = [a for a in applications if a.decision is None]
        try:
            check_rule_policy(rest, self.policy, rule_known=self.rule_known)
        except PolicyError as exc:
            if not exc.settings or len(exc.settings) != len(exc.lines):
                lines.extend(exc.lines)
            else:
                # A setting left out as wrong was checked at its default: not a problem of its.
                kept = [
                    (setting, line)
                    for setting, line in zip(exc.settings, exc.lines, strict=True)
                    if setting is None
                    or setting.split("[", 1)[0].split(".", 1)[0] not in self.left_out
                ]
                if kept:
                    found = PolicyError(
                        lines=[line for _, line in kept], settings=[s for s, _ in kept]
                    )
                    lines.extend(self._place(found).lines)
        raise PolicyError(lines=lines)

    def unread_options(self) -> list[str]:
        """A line for each option given, and each setting of the policy file, that only other
        rules read, in the run's language: ``--weight`` with the ranked rule, or ``reserve =
        5`` in the file with the proportional rule, changes nothing, and the officer should
        know. A setting of the file at its default (``weight = "none"``) is not said."""
        from tilskudd.i18n import get
        from tilskudd.models import Policy

        t = get(self.lang)
        rule = self.policy.rule
        lines = []
        for option, owners in self.options.not_for(rule):
            lines.append(
                t("cli.option_not_for_rule", n=len(owners), option=option, owners=owners, rule=rule)
            )
        given = self.options.overrides()
        read = self.policy_read
        for name in read.table if read is not None else ():
            owners = READ_BY.get(name, ())
            default = Policy.model_fields[name].default
            if not owners or rule in owners or name in given:
                continue
            if getattr(self.policy, name) == default:
                continue
            where = read.place((name,)) if read is not None else ""
            lines.append(
                t(
                    "cli.setting_not_for_rule",
                    n=len(owners),
                    setting=name,
                    where=where,
                    owners=owners,
                    rule=rule,
                )
            )
        return lines

    @contextlib.contextmanager
    def placed(self) -> Iterator[None]:
        """Say where each setting a rule found wrong was written (:attr:`PolicyError.settings`,
        such as a tie-break column the applications do not have): the option, else the policy
        file, else the programme's file, and the setting as written there."""
        try:
            yield
        except PolicyError as exc:
            if not exc.settings or len(exc.settings) != len(exc.lines):
                raise
            raise self._place(exc) from None

    def place_notes(self, result: RoundResult) -> RoundResult:
        """``result`` with each round note about one setting (a ``setting`` parameter, such as
        a quota that had no effect) told where that setting was written: the option
        (``set_by_option``), else the policy file and the line (``set_in_file``,
        ``set_in_line``), else the programme's file; said after the note in every output
        (:func:`tilskudd.wording.note_text`)."""
        from tilskudd.models import Reason
        from tilskudd.policyfile import read_policy_file, setting_line

        notes = result.allocation.notes
        if not any(isinstance(note.params.get("setting"), str) for note in notes):
            return result
        in_file: dict[str, Any] = {}
        if self.policy_file is not None:
            in_file = read_policy_file(self.policy_file)[0]
        placed: list[Reason] = []
        for note in notes:
            setting = note.params.get("setting")
            if not isinstance(setting, str) or "set_in_file" in note.params:
                placed.append(note)
                continue
            name = setting.split("[", 1)[0].split(".", 1)[0]
            where: dict[str, str | int | None]
            if name in self.options.overrides():
                where = {"set_by_option": "--" + name.replace("_", "-")}
            elif self.policy_file is not None and name in in_file:
                line = setting_line(self.policy_file, setting)
                where = {"set_in_file": str(self.policy_file), "set_in_line": line}
            elif self.plan.programme is not None and self.plan.programme.path is not None:
                # The programme file's [policy] table: found as a policy file's settings are.
                path = self.plan.programme.path
                where = {"set_in_file": str(path), "set_in_line": setting_line(path, setting)}
            else:
                placed.append(note)
                continue
            placed.append(Reason(note.code, {**note.params, **where}))
        allocation = result.allocation.model_copy(update={"notes": tuple(placed)})
        return result.model_copy(update={"allocation": allocation})

    def _place(self, exc: PolicyError) -> PolicyError:
        from tilskudd.i18n import Phrase
        from tilskudd.policyfile import read_policy_file, setting_place

        in_file: dict[str, Any] = {}
        if self.policy_file is not None:
            in_file = read_policy_file(self.policy_file)[0]
        lines: list[Phrase] = []
        for setting, message in zip(exc.settings, exc.lines, strict=True):
            if setting is None:
                lines.append(message)
                continue
            name = setting.split("[", 1)[0].split(".", 1)[0]
            where: str | Phrase
            field = setting
            if name in self.options.overrides():
                where, field = Phrase("policy.error.options"), "--" + name.replace("_", "-")
            elif self.policy_file is not None and name in in_file:
                where = setting_place(self.policy_file, setting)
            elif self.plan.programme is not None and self.plan.programme.path is not None:
                where = str(self.plan.programme.path)
            else:
                lines.append(message)
                continue
            lines.append(Phrase("policy.error.line", where=where, field=field, message=message))
        return PolicyError(lines=lines)


def setup_round(
    ctx: typer.Context,
    *,
    budget: str | None,
    policy_file: Path | None,
    options: PolicyOptions,
    register: Register,
    lang: str | None,
    programme: Path | None,
    ledger: Path | None,
    round_: int | None,
    defer_policy: bool = False,
    defer_budget: bool = False,
    unread: list[TilskuddError] | None = None,
    currency: str | None = None,
) -> RoundSetup:
    """Resolve a round's options in one place: programme, policy file, then the options.

    The programme (``--round``, or a tilskudd.toml found above) gives the defaults: its
    policy, register, language and the round's budget; a policy file overrides the programme's
    policy and options override both. A lottery without a seed gets a new one, drawn here.
    ``defer_policy``: a wrong setting does not stop the run here but is left out of the policy
    and kept in :attr:`RoundSetup.policy_problem`, for :meth:`RoundSetup.require_policy` to say
    with the rest once the applications are read (the caller must call it before allocating).
    ``defer_budget``: a budget that cannot be read, or is missing, does not stop the run here
    but is kept in :attr:`RoundSetup.budget_problem`, to be said with the command's other
    problems (the caller must call :meth:`RoundSetup.require_budget` before reading the file).
    ``unread``: a programme (or its ledger, for ``--round``) or a policy file that cannot be
    had does not stop the run here but is added to it, and the round is set up without it,
    for the rest of the command line to be checked; the caller must stop before the reading.
    """
    from tilskudd.cli.programme import RoundPlan, plan_round, programme_for
    from tilskudd.policyfile import load_policy, load_policy_with_problems, read_policy

    try:
        # --commit with --dry-run, or without --round: checked by allocate with its other options.
        plan = plan_round(programme, ledger, round_, commit=False, dry_run=False, lang=lang)
    except TilskuddError as exc:
        if unread is None:
            raise
        unread.append(exc)
        # A programme that can be had without its round's ledger (a damaged one) still gives
        # the run its language, register and policy; the round's budget is not known.
        found = None
        with contextlib.suppress(TilskuddError):
            found = programme_for(programme, required=False, lang=lang)
        plan = RoundPlan(found, None, None)
    plan_unread = bool(unread)
    # Read once: its language decides the messages, its table the policy.
    read = None
    try:
        read = read_policy(policy_file) if policy_file else None
    except TilskuddError as exc:
        if unread is None:
            raise
        unread.append(exc)
        policy_file = None  # not read again to place a setting
    file_lang = read.lang if read else None
    # A programme file that was refused may still declare its language: the run's, then.
    refused_lang = getattr(unread[0], "lang", None) if plan_unread and unread else None
    language = resolve_lang(lang, file_lang, plan.lang or refused_lang)
    round_currency = NOK
    try:
        # A round of a programme's ledger (--round) is in the programme's currency; another
        # run in a programme is too, unless --currency or the policy file says otherwise.
        programme_round = plan.programme if plan.round is not None else None
        of_programme = programme_round.currency if programme_round is not None else None
        setting = read.currency if read is not None else None
        if setting is None and plan.programme is not None:
            setting = plan.programme.currency
        round_currency = resolve_currency(currency, setting, of_programme)
    except TilskuddError as exc:
        if unread is None:
            raise
        unread.append(exc)
    budget_problem: TilskuddError | None = None
    try:
        budget_nok = parse_amount_option(
            budget, "--budget", allow_zero=True, currency=round_currency
        )
        if budget_nok is None:
            budget_nok = plan.budget
        if budget_nok is None and plan_unread:
            budget_nok = 0  # the programme's round might have given it: not said to be missing
        if budget_nok is None and plan.programme is not None and plan.programme.rounds:
            # In a programme's folder without --round: the round's budget is the programme
            # file's with --round, which is what an officer there most often meant.
            raise UsageError(
                key="output.error.budget_required_programme",
                rounds=[str(r.number) for r in plan.programme.rounds],
            )
        if budget_nok is None:
            raise UsageError(key="output.error.budget_required")
    except UsageError as exc:
        if not defer_budget:
            raise
        budget_nok, budget_problem = 0, exc
    register = programme_register(ctx, register, plan.register)
    problem: PolicyError | None = None
    left_out: frozenset[str] = frozenset()
    if defer_policy:
        # Wrong settings are said with what the rest finds in the applications, once the file
        # is read (RoundSetup.require_policy): every problem in one run.
        policy, problem, left_out = load_policy_with_problems(
            read, options.overrides(), base=plan.policy(), currency=round_currency
        )
    else:
        policy = load_policy(read, options.overrides(), base=plan.policy(), currency=round_currency)
    seed_drawn = False
    if policy.rule == "lottery" and policy.seed is None:
        from tilskudd.rules.lottery import new_seed

        policy = policy.model_copy(update={"seed": new_seed()})
        seed_drawn = True
    return RoundSetup(
        plan=plan,
        lang=language,
        budget=budget_nok,
        register=register,
        policy=policy,
        seed_drawn=seed_drawn,
        policy_file=policy_file,
        options=options,
        policy_problem=problem,
        left_out=left_out,
        policy_read=read,
        budget_problem=budget_problem,
        programme_unread=plan_unread,
        currency=round_currency,
    )


def setup_gathered(
    ctx: typer.Context,
    problems: Problems,
    file: Path | None,
    *,
    budget: str | None,
    policy_file: Path | None,
    register: Register,
    lang: str | None,
    programme: Path | None,
    ledger: Path | None,
    round_: int | None,
    currency: str | None = None,
) -> RoundSetup:
    """:func:`setup_round` for ``allocate`` and ``explain``, its problems gathered in
    ``problems``: the policy options by name (``ctx.params``, one list of them for both), a
    wrong setting and the budget deferred, to be said with the cells and the rest of the
    command line (:meth:`RoundSetup.require_policy`, :meth:`RoundSetup.require_budget`). The
    programme, the ledger or the policy file that cannot be had is gathered, and the round set
    up without it, for the command to check the rest of its command line and stop before the
    reading. When the setup fails all the same (a language that is not one), the input file is
    checked too and everything gathered so far is said (``file`` None: its problem is gathered
    already)."""
    setup: RoundSetup | None = None
    unread: list[TilskuddError] = []
    with problems.gather():
        setup = setup_round(
            ctx,
            budget=budget,
            policy_file=policy_file,
            options=PolicyOptions.from_params(ctx.params),
            register=register,
            lang=lang,
            programme=programme,
            ledger=ledger,
            round_=round_,
            defer_policy=True,
            defer_budget=True,
            unread=unread,
            currency=currency,
        )
    problems.errors.extend(unread)  # the run stops before the reading: said with the rest
    if setup is None:
        with problems.gather():
            if file is not None:
                input_file(file)
        problems.raise_any()
    assert setup is not None  # raise_any raised what stopped it
    if budget is None and "budget" in problems.refused:
        # Typed without its amount, or misspelt (--budjet 5): said so, not also as missing.
        setup = replace(setup, budget_problem=None)
    missing = setup.budget_problem
    if (
        file is not None
        and isinstance(missing, UsageError)
        and missing.key
        in ("output.error.budget_required", "output.error.budget_required_programme")
    ):
        setup = replace(setup, budget_problem=_budget_stated(file, setup.currency) or missing)
    return setup


def _budget_stated(file: Path, currency: str) -> UsageError | None:
    """--budget missing for a file that states its own budget (a pabulib file's META): said
    with the options that would give it, which the officer may type; never taken as the
    round's budget without them."""
    from tilskudd.i18n import quoted
    from tilskudd.reading.pabulib import stated_budget, stated_comment

    stated = stated_budget(file)
    if stated is None:
        return None
    advice = f"--budget {stated.budget}"
    if stated.currency is not None and stated.currency != currency:
        advice += f" --currency {stated.currency}"
    lines = [quoted(line) for line in stated.lines]
    # Its comment may say the votes behind the file are not all in it (Budapest's): said with
    # the budget the officer is pointed to, as the run that allocates says it.
    comment = stated_comment(file)
    if comment is not None:
        return UsageError(
            key="output.error.budget_stated_comment",
            lines=lines,
            advice=advice,
            comment=comment.text,
        )
    return UsageError(key="output.error.budget_stated", lines=lines, advice=advice)
