"""``tilskudd allocate --compare``: several rules, policies or budgets on the same input.

Not a command of its own: :func:`run_compare` is what ``allocate`` does when ``--compare`` or
``--compare-budget`` is given (the reading, the budget and the policy options are allocate's).
``--compare`` names rules (``ranked,proportional``: each run with the same policy) or policy
files (``streng.toml,raus.toml``: each a variant labelled by the file's name, laid over the
policy of the run, with the options laid over it in turn); ``--compare-budget`` names budgets
(``20M,25M``: the same rule and policy). It prints the comparison and, with ``-o NAME.xlsx``,
writes the comparison workbook. Nothing is recorded: ``--commit`` is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tilskudd.controls import visible
from tilskudd.errors import PolicyError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from tilskudd.cli.round_options import RoundSetup
    from tilskudd.compare import Variant
    from tilskudd.models import Policy
    from tilskudd.validation import ValidationResult

__all__ = [
    "check_compare_output",
    "compared_budgets",
    "new_seed",
    "policy_files",
    "policy_variants",
    "run_compare",
    "variant_place",
]


def _is_file(item: str) -> bool:
    return item.lower().endswith(".toml") or "/" in item or "\\" in item


def policy_files(text: str) -> list[Path] | None:
    """The policy files ``--compare`` names (a name ending in ``.toml``, or a path); None when
    it names rules. Refuses rules and files together: which would the files' rule be? A file
    named twice is kept twice, to be said to be the same (:func:`tilskudd.compare.
    compare_variants`), not run once as if it were two."""
    items = [part.strip() for part in text.split(",") if part.strip()]
    files = [item for item in items if _is_file(item)]
    if not files:
        return None
    rules = [item for item in items if not _is_file(item)]
    if rules:
        raise UsageError(key="output.error.compare_mixed", files=files, rules=rules)
    return [Path(item) for item in files]


def _labels(files: Sequence[Path]) -> list[str]:
    """Each file's name without ``.toml`` (``streng``), or the path as given where two files
    have the same name (``2024/streng.toml``, ``2025/streng.toml``)."""
    stems = [path.stem for path in files]
    return [
        stem if stems.count(stem) == 1 else str(path)
        for stem, path in zip(stems, files, strict=True)
    ]


def policy_variants(files: Sequence[Path], setup: RoundSetup) -> list[Variant]:
    """A variant for each policy file: the file laid over the run's policy (the programme's,
    then ``--policy``'s), and the options over it, as ``--policy`` itself is; with the run's
    budget, in the round's currency (a file that names another is refused: its amounts are
    not the round's). Every file's problems are said together, each with its file and line, as
    a ``--policy`` file's are; the options' problems are the run's own, said with its other
    problems. A file's ``lang`` is left to the run: the comparison is said in one language."""
    from tilskudd.cli.common import said_lines
    from tilskudd.compare import Variant
    from tilskudd.i18n import Phrase
    from tilskudd.policyfile import load_policy_with_problems, read_policy

    currency = setup.currency
    base, _, _ = load_policy_with_problems(
        setup.policy_read, None, base=setup.plan.policy(), currency=currency
    )
    overrides = setup.options.overrides()
    lines: list[Any] = []
    variants: list[Variant] = []
    for path, label in zip(files, _labels(files), strict=True):
        try:
            read = read_policy(path)
        except PolicyError as exc:
            lines.extend(said_lines(exc))  # missing, not TOML: one message, or a line a key
            continue
        if read.currency is not None and read.currency != currency:
            # Run in the round's currency, its amounts would be read wrong by the rate.
            lines.append(
                Phrase(
                    "policy.error.line",
                    where=read.place(("currency",)),
                    field="currency",
                    message=Phrase(
                        "output.error.compare_variant_currency",
                        currency=read.currency,
                        expected=currency,
                    ),
                )
            )
            continue
        policy, problem, _ = load_policy_with_problems(read, None, base=base, currency=currency)
        if problem is not None:
            lines.extend(problem.lines)
        if overrides:
            policy, _, _ = load_policy_with_problems(
                None, overrides, base=policy, currency=currency
            )
        variants.append(Variant(label, policy, setup.budget))
    if lines:
        raise PolicyError(lines=lines)
    return variants


def variant_place(files: Sequence[Path], setup: RoundSetup) -> Callable[[Variant, str], Any]:
    """Where a setting a rule found wrong in a variant is written: the variant's file and the
    line of its key, where the file sets it and no option does (else None: the run's own
    setting, placed as the run's are, :meth:`~tilskudd.cli.round_options.RoundSetup.placed`)."""
    from tilskudd.policyfile import read_policy, setting_place

    paths = dict(zip(_labels(files), files, strict=True))
    overrides = setup.options.overrides()

    def place(variant: Variant, setting: str) -> Any:
        path = paths.get(variant.label)
        name = setting.split("[", 1)[0].split(".", 1)[0]
        if path is None or name in overrides:
            return None
        try:
            table = read_policy(path).table
        except PolicyError:
            return None
        return setting_place(path, setting) if name in table else None

    return place


def compared_budgets(text: str, currency: str = "NOK") -> list[int]:
    """The budgets ``--compare-budget`` names (``20M, 25 000 000``), in the order given, read
    as ``--budget`` is in the round's ``currency``; every one that cannot be read said
    together."""
    from tilskudd.cli.common import parse_amount_option

    budgets: list[int] = []
    problems: list[UsageError] = []
    for part in text.split(","):
        if not part.strip():
            continue
        try:
            amount = parse_amount_option(
                part.strip(), "--compare-budget", allow_zero=True, currency=currency
            )
        except UsageError as exc:
            problems.append(exc)
            continue
        assert amount is not None
        budgets.append(amount)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        from tilskudd.cli.common import together

        raise together(problems)
    return budgets


def new_seed() -> int:
    """A fresh seed for a lottery: the lottery rule's own generator when it has one."""
    import importlib

    try:
        generate = importlib.import_module("tilskudd.rules.lottery").new_seed
    except (ImportError, AttributeError):
        import secrets

        return secrets.randbelow(2**32)
    return int(generate())


def check_compare_output(
    output: Path | None,
    output_format: str | None,
    *,
    commit: bool,
    dry_run: bool,
    force: bool,
    inputs: Sequence[Path],
) -> None:
    """Refuse, before reading, what --compare cannot do: record a round, write anything but a
    workbook, or overwrite a file without --force."""
    if commit:
        raise UsageError(key="output.error.compare_commit")
    if output is None:
        return
    given = (output_format or "").lower()
    if given not in ("", "xlsx"):
        # Said as the mistake it is: the name may well end in .xlsx.
        raise UsageError(key="output.error.compare_format", given=given)
    if output.suffix.lower() != ".xlsx":
        raise UsageError(key="output.error.compare_xlsx", name=output.name)
    if not dry_run:
        from tilskudd.export import check_output_path

        check_output_path(output, inputs=inputs, force=force)


def run_compare(
    out: Console,
    checked: ValidationResult,
    budget: int,
    policy: Policy,
    rules_text: str | None,
    *,
    plan: Any,
    output: Path | None,
    force: bool,
    inputs: Sequence[Path],
    lang: str,
    limit: int | None,
    dry_run: bool,
    variants: Sequence[Variant] | None = None,
    budgets: Sequence[int] | None = None,
    place: Callable[[Variant, str], Any] | None = None,
    file: Path | None = None,
) -> None:
    """Compare the rules named in ``rules_text``, else the policy ``variants``
    (:func:`policy_variants`; ``place`` says where their settings are, :func:`variant_place`),
    else ``budgets`` under ``policy``; print, and write ``output`` unless dry run. ``file``: the
    applications file, whose own comment on the data (a pabulib ``META`` comment) is said under
    the comparison and written in its workbook.

    In a programme round (``plan.context``), applications funded in earlier rounds are left
    out and earlier awards count against ``per_applicant_max``, as in ``allocate --round``.
    """
    from tilskudd.compare import Variant, compare, compare_variants, parse_rules
    from tilskudd.currency import amount_unit
    from tilskudd.i18n import get
    from tilskudd.money import format_amount
    from tilskudd.render.compare import render_comparison
    from tilskudd.rules import RULES

    t = get(lang)
    rules: tuple[str, ...] = ()
    kind = "rules"
    if rules_text is not None:
        rules = parse_rules(rules_text, list(RULES))
    elif variants is not None:
        kind = "policies"
    else:
        kind = "budgets"
        variants = [
            Variant(format_amount(amount, lang, currency=amount_unit()), policy, amount)
            for amount in budgets or ()
        ]
    unseeded = [v for v in variants or () if v.policy.rule == "lottery" and v.policy.seed is None]
    if ("lottery" in rules and policy.seed is None) or unseeded:
        seed = new_seed()
        policy = policy.model_copy(update={"seed": seed})
        if variants is not None:
            # One seed for every variant that draws without its own: the variants differ in
            # what they are said to differ in, not in the draw.
            variants = [
                Variant(v.label, v.policy.model_copy(update={"seed": seed}), v.budget)
                if v in unseeded
                else v
                for v in variants
            ]
        out.print(f"{t('compare.seed')}: {seed} (--seed {seed})")
    applications = checked.applications
    prior = None
    context = getattr(plan, "context", None)
    if context is not None:
        applications = tuple(a for a in applications if context.already_funded(a) is None)
        prior = context.prior_by_orgnr
    if rules_text is not None:
        comparison = compare(applications, budget, policy, rules, prior_by_orgnr=prior)
    else:
        comparison = compare_variants(
            applications, variants or (), kind=kind, prior_by_orgnr=prior, place=place
        )
    render_comparison(out, comparison, lang=lang, limit=limit)
    if context is not None:
        # A committed round amended or withdrawn from since: the figures above are decisions
        # as the rules make them, not the awards as they stand, and are said to be.
        plan.compared(lang)
    if file is not None:
        from tilskudd.cli.common import say_file_comment

        say_file_comment(out, file, lang)  # under the comparison, as under the awards
    if dry_run:
        out.print(t("cli.dry_run"))
        return
    if output is not None:
        from tilskudd.export import check_output_path
        from tilskudd.export.compare_xlsx import write

        check_output_path(output, inputs=inputs, force=force)
        write(comparison, output, lang=lang, name=Path(checked.file).name, comment=checked.comment)
        out.print(t("cli.wrote", path=visible(str(output)), format="xlsx"))
