"""The options of a round that `allocate` and `explain` share, and how they become a policy.

One definition of each policy and programme option, and one function that turns them, the
policy file and the programme into the language, budget, register and policy of the run, so
the two commands can never read the same option two ways.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tilskudd.cli.common import (
    Register,
    parse_amount_option,
    programme_register,
    resolve_lang,
)
from tilskudd.errors import PolicyError, UsageError

if TYPE_CHECKING:
    from tilskudd.cli.programme import RoundPlan
    from tilskudd.models import Policy

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
ReserveOpt = Annotated[
    int | None,
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
    int | None,
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
    reserve: int | None = None
    tie_break: str | None = None
    weight: str | None = None
    seed: int | None = None
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

    def not_for(self, rule: str) -> list[tuple[str, str]]:
        """Options given that only one other rule reads, as (option, that rule): ``--weight``
        with the ranked rule changes nothing, and the officer who typed it should know."""
        return [
            ("--" + name.replace("_", "-"), owner)
            for name, owner in _RULE_OF_OPTION.items()
            if getattr(self, name) is not None and owner != rule
        ]


# The policy options that a single rule reads.
_RULE_OF_OPTION = {
    "weight": "proportional",
    "objective": "optimal",
    "seed": "lottery",
    "lottery_band": "lottery",
}


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

    def unread_options(self) -> list[str]:
        """A line for each option given that only another rule reads, in the run's language:
        ``--weight`` with the ranked rule changes nothing, and the officer should know."""
        from tilskudd.i18n import get

        t = get(self.lang)
        return [
            t("cli.option_not_for_rule", option=option, owner=owner, rule=self.policy.rule)
            for option, owner in self.options.not_for(self.policy.rule)
        ]

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
    commit: bool = False,
    dry_run: bool = True,
) -> RoundSetup:
    """Resolve a round's options in one place: programme, policy file, then the options.

    The programme (``--round``, or a tilskudd.toml found above) gives the defaults: its
    policy, register, language and the round's budget; a policy file overrides the programme's
    policy and options override both. A lottery without a seed gets a new one, drawn here.
    """
    from tilskudd.cli.programme import plan_round
    from tilskudd.policyfile import load_policy, read_policy

    plan = plan_round(programme, ledger, round_, commit=commit, dry_run=dry_run, lang=lang)
    # Read once: its language decides the messages, its table the policy.
    read = read_policy(policy_file) if policy_file else None
    file_lang = read.lang if read else None
    language = resolve_lang(lang, file_lang, plan.lang)
    budget_nok = parse_amount_option(budget, "--budget", allow_zero=True)
    if budget_nok is None:
        budget_nok = plan.budget
    if budget_nok is None:
        raise UsageError(key="output.error.budget_required")
    register = programme_register(ctx, register, plan.register)
    policy = load_policy(read, options.overrides(), base=plan.policy())
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
    )
