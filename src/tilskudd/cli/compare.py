"""``tilskudd allocate --compare``: several rules on the same input, side by side.

Not a command of its own: :func:`run_compare` is what ``allocate`` does when ``--compare`` is
given (the reading, the budget and the policy options are allocate's). It prints the comparison
and, with ``-o NAME.xlsx``, writes the comparison workbook. Nothing is recorded: ``--commit``
is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tilskudd.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from tilskudd.models import Policy
    from tilskudd.validation import ValidationResult

__all__ = ["check_compare_output", "new_seed", "run_compare"]


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
    rules_text: str,
    *,
    plan: Any,
    output: Path | None,
    force: bool,
    inputs: Sequence[Path],
    lang: str,
    limit: int | None,
    dry_run: bool,
) -> None:
    """Compare the rules named in ``rules_text``; print, and write ``output`` unless dry run.

    In a programme round (``plan.context``), applications funded in earlier rounds are left
    out and earlier awards count against ``per_applicant_max``, as in ``allocate --round``.
    """
    from tilskudd.compare import compare, parse_rules
    from tilskudd.i18n import get
    from tilskudd.render.compare import render_comparison
    from tilskudd.rules import RULES

    t = get(lang)
    rules = parse_rules(rules_text, list(RULES))
    if "lottery" in rules and policy.seed is None:
        seed = new_seed()
        policy = policy.model_copy(update={"seed": seed})
        out.print(f"{t('compare.seed')}: {seed} (--seed {seed})")
    applications = checked.applications
    prior = None
    context = getattr(plan, "context", None)
    if context is not None:
        applications = tuple(a for a in applications if context.already_funded(a) is None)
        prior = context.prior_by_orgnr
    comparison = compare(applications, budget, policy, rules, prior_by_orgnr=prior)
    render_comparison(out, comparison, lang=lang, limit=limit)
    if context is not None:
        # A committed round amended or withdrawn from since: the figures above are decisions
        # as the rules make them, not the awards as they stand, and are said to be.
        plan.compared(lang)
    if dry_run:
        out.print(t("cli.dry_run"))
        return
    if output is not None:
        from tilskudd.export import check_output_path
        from tilskudd.export.compare_xlsx import write

        check_output_path(output, inputs=inputs, force=force)
        write(comparison, output, lang=lang)
        out.print(t("cli.wrote", path=str(output), format="xlsx"))
