"""Several allocation rules on the same applications, budget and policy, side by side.

:func:`compare` runs each named rule through :func:`tilskudd.rules.allocate` with the policy's
rule replaced (every other setting, manual overrides included, stays the same) and returns, per
rule, the figures an officer weighs (:class:`RuleFigures`) and the applications whose decision —
status or amount — differs between the rules (:class:`Difference`).

The figures, per rule:

- funded (in full or partly), funded in full, partly funded, reserve, not funded (labelled
  with the words of the statuses the differences and the award table show);
- awarded and unallocated (``budget == awarded + unallocated`` for each);
- the total score of the funded applications (``None`` when the applications have no scores);
- municipalities and counties taking part in funded projects (as :func:`tilskudd.summary.
  summarise` counts them);
- two spread figures, Gini coefficients of the awards (:func:`tilskudd.summary.gini`, 0 = all
  equal): over every valid application, those not funded counting 0 kr (how widely the budget
  is spread over the applicants), and over the funded only (how unequal the awards made are);
- the smallest and the largest award.

:func:`compare_variants` asks the other question: the same applications under several whole
policies or budgets (:class:`Variant`: a label, a policy, a budget), each run by its own policy's
rule, with the same figures and differences, and the settings that differ between the variants
(:func:`differing_settings`) to say what is being compared.

Pure: no I/O, no clock; randomness only from the policy's seed (a lottery needs one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tilskudd.currency import amount_unit
from tilskudd.errors import PolicyError
from tilskudd.i18n import Phrase, format_number, format_share, get
from tilskudd.models import Allocation, Application, Policy, RoundResult, Status
from tilskudd.money import format_amount
from tilskudd.summary import gini, summarise
from tilskudd.wording import status_text

__all__ = [
    "FIGURES",
    "Comparison",
    "Difference",
    "RuleFigures",
    "Variant",
    "compare",
    "compare_variants",
    "differing_settings",
    "figure_rows",
    "outcome_text",
    "parse_rules",
    "setting_rows",
    "setting_text",
    "shown_figures",
    "words_key",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # RoundResult needs a time; no figure uses it


@dataclass(frozen=True)
class Variant:
    """One policy (with its rule) and budget to compare, and the label it is shown under."""

    label: str
    policy: Policy
    budget: int


@dataclass(frozen=True)
class RuleFigures:
    """One rule's (or variant's) result on the shared input, and the figures compared."""

    rule: str
    """The rule's name; a variant's label (:attr:`Variant.label`) in a comparison of variants."""
    allocation: Allocation
    funded: int
    """Funded in full or partly."""
    funded_full: int
    partly_funded: int
    reserve: int
    not_funded: int
    awarded: int
    unallocated: int
    total_score: Decimal | None
    municipalities: int
    counties: int
    gini_all: Decimal | None
    """Gini of the awards over every valid application, 0 kr for those not funded."""
    gini_funded: Decimal | None
    """Gini of the awards over the funded applications only."""
    smallest: int | None
    largest: int | None
    seed: int | None


@dataclass(frozen=True)
class Difference:
    """An application whose decision is not the same under every rule."""

    application_id: str
    applicant: str | None
    project: str | None
    outcomes: tuple[tuple[Status, int], ...]
    """(status, amount) under each rule (or variant), in the order of :attr:`Comparison.rules`."""


@dataclass(frozen=True)
class Comparison:
    """The rules' figures side by side and the applications they decide differently."""

    budget: int
    policy: Policy
    rules: tuple[str, ...]
    figures: tuple[RuleFigures, ...]
    differences: tuple[Difference, ...]
    applications: tuple[Application, ...]
    created: datetime
    """When the rules were compared: the workbook's time, so that it is the same every time
    it is written."""
    variants: tuple[Variant, ...] = ()
    """The variants compared (:func:`compare_variants`); empty for a comparison of rules, whose
    labels (:attr:`rules`) are the rules' names."""
    kind: str = "rules"
    """What is compared: ``rules``, or ``policies`` or ``budgets`` (variants), for the words."""

    def by_rule(self) -> Mapping[str, RuleFigures]:
        """The figures keyed by rule name."""
        return {f.rule: f for f in self.figures}


def parse_rules(text: str, available: Sequence[str]) -> tuple[str, ...]:
    """``"ranked, proportional"`` -> ``("ranked", "proportional")``: at least two distinct rules.

    Raises :class:`PolicyError` naming an unknown rule and the available ones.
    """
    names: list[str] = []
    for part in text.split(","):
        name = part.strip().lower()
        if name and name not in names:
            names.append(name)
    unknown = [n for n in names if n not in available]
    if unknown:
        raise PolicyError(
            key="output.error.compare_unknown", unknown=unknown, available=sorted(available)
        )
    if len(names) < 2:
        raise PolicyError(key="output.error.compare_two")
    return tuple(names)


def _figures(
    rule: str, allocation: Allocation, applications: tuple[Application, ...]
) -> RuleFigures:
    summary = summarise(
        RoundResult(
            allocation=allocation,
            applications=applications,
            tool_version="",
            created=_EPOCH,
        )
    )
    by_id = {a.id: a for a in applications}
    amounts = [d.amount for d in allocation.decisions]
    awards = [a for a in amounts if a > 0]
    scores = [by_id[d.application_id].score for d in allocation.decisions if d.amount > 0]
    has_scores = any(a.score is not None for a in applications)
    total_score = sum((s for s in scores if s is not None), Decimal(0)) if has_scores else None
    return RuleFigures(
        rule=rule,
        allocation=allocation,
        funded=summary.funded,
        funded_full=summary.funded_full,
        partly_funded=summary.partly_funded,
        reserve=summary.reserve,
        not_funded=summary.not_funded,
        awarded=allocation.awarded,
        unallocated=allocation.unallocated,
        total_score=total_score,
        municipalities=summary.municipalities,
        counties=summary.counties,
        gini_all=gini(amounts),
        gini_funded=gini(awards),
        smallest=min(awards, default=None),
        largest=max(awards, default=None),
        seed=allocation.seed,
    )


def compare(
    applications: Sequence[Application],
    budget: int,
    policy: Policy,
    rules: Sequence[str],
    *,
    prior_by_orgnr: Mapping[str, int] | None = None,
    created: datetime | None = None,
) -> Comparison:
    """Run every rule in ``rules`` on ``applications`` with ``budget`` and ``policy``.

    ``policy.rule`` is replaced by each rule in turn; everything else is shared. The differences
    list every application whose (status, amount) is not the same under every rule, in the
    order of the first rule's decisions (its rank order). ``created`` (default: now) is the
    time the comparison workbook carries.
    """
    from tilskudd.rules import RULES, allocate

    apps = tuple(applications)
    figures: list[RuleFigures] = []
    # What each rule finds wrong with the policy against the applications, said together once
    # every rule has looked (each once, though several rules find it), not the first rule's
    # alone: the setting of each, to be placed by the caller; "rule" is --compare's, unplaced.
    problems: dict[tuple[str | None, str], tuple[str | None, Any]] = {}
    for rule in rules:
        if rule not in RULES:
            raise PolicyError(
                key="output.error.compare_unknown", unknown=[rule], available=sorted(RULES)
            )
        # The name validated, so that a rule the policy model does not know is refused here too;
        # the rest as it is (a committed round's policy read as recorded: Policy.from_record).
        Policy.model_validate({"rule": rule})
        rule_policy = policy.model_copy(update={"rule": rule})
        try:
            allocation = allocate(apps, budget, rule_policy, prior_by_orgnr=prior_by_orgnr)
        except PolicyError as exc:
            if not exc.settings or len(exc.settings) != len(exc.lines):
                if problems:
                    continue  # said once the problems found so far are put right
                raise
            for setting, line in zip(exc.settings, exc.lines, strict=True):
                setting = None if setting == "rule" else setting
                problems.setdefault((setting, line.render("en")), (setting, line))
            continue
        figures.append(_figures(rule, allocation, apps))
    if problems:
        found = list(problems.values())
        raise PolicyError(lines=[line for _, line in found], settings=[s for s, _ in found])

    return Comparison(
        budget=budget,
        policy=policy,
        rules=tuple(rules),
        figures=tuple(figures),
        differences=_differences(figures, apps),
        applications=apps,
        created=created or datetime.now(UTC).replace(microsecond=0),
    )


def _differences(
    figures: Sequence[RuleFigures], apps: tuple[Application, ...]
) -> tuple[Difference, ...]:
    """Every application whose (status, amount) is not the same in every result, in the order
    of the first result's decisions."""
    differences: list[Difference] = []
    if figures:
        by_id = {a.id: a for a in apps}
        outcomes = [
            {d.application_id: (d.status, d.amount) for d in f.allocation.decisions}
            for f in figures
        ]
        for d in figures[0].allocation.decisions:
            row = tuple(o[d.application_id] for o in outcomes)
            if len(set(row)) > 1:
                app = by_id.get(d.application_id)
                differences.append(
                    Difference(
                        application_id=d.application_id,
                        applicant=app.applicant if app else None,
                        project=app.project if app else None,
                        outcomes=row,
                    )
                )
    return tuple(differences)


def compare_variants(
    applications: Sequence[Application],
    variants: Sequence[Variant],
    *,
    kind: str = "policies",
    prior_by_orgnr: Mapping[str, int] | None = None,
    created: datetime | None = None,
    place: Callable[[Variant, str], Any] | None = None,
) -> Comparison:
    """Run each variant's policy (by its own rule) with its budget on ``applications``.

    ``kind`` (``policies`` or ``budgets``) chooses the words the comparison is shown with.
    Raises :class:`PolicyError` for fewer than two variants, for two labelled alike, and for
    two with the same policy and budget (nothing would differ between them: said, not shown
    twice); and, once every variant has run, for what the variants' rules find wrong with their
    policies, each problem once: where ``place`` (variant, setting) says the setting is written
    (a file and its line) said there; else with the labels of the variants that have it, unless
    all do, whose setting is then left for the caller to place (:attr:`PolicyError.settings`).
    """
    from tilskudd.rules import allocate

    if len(variants) < 2:
        raise PolicyError(key="output.error.compare_two_variants")
    labels = [v.label for v in variants]
    # Alike: the same policy and budget, the first of each group standing for it.
    groups = [
        [k for k, v in enumerate(variants) if (v.policy, v.budget) == (w.policy, w.budget)]
        for w in variants
    ]
    alike = [group for index, group in enumerate(groups) if len(group) > 1 and group[0] == index]
    if alike:
        raise PolicyError(
            lines=[
                Phrase("output.error.compare_same_variant", labels=[labels[k] for k in group])
                for group in alike
            ]
        )
    twice = sorted({label for label in labels if labels.count(label) > 1})
    if twice:
        raise PolicyError(key="output.error.compare_same_label", labels=twice)
    apps = tuple(applications)
    figures: list[RuleFigures] = []
    # Each problem (by its setting and its English words) once: the line, its setting, whether
    # it says where it is written, and the variants that have it.
    found: dict[tuple[str | None, str], tuple[Any, str | None, bool, list[str]]] = {}
    for variant in variants:
        try:
            allocation = allocate(
                apps, variant.budget, variant.policy, prior_by_orgnr=prior_by_orgnr
            )
        except PolicyError as exc:
            settings: Sequence[str | None] = exc.settings
            if len(settings) != len(exc.lines):
                settings = [None] * len(exc.lines)
            for setting, line in zip(settings, exc.lines, strict=True):
                where = place(variant, setting) if place is not None and setting else None
                if where is not None:
                    line = Phrase("policy.error.line", where=where, field=setting, message=line)
                text = line.render("en") if isinstance(line, Phrase) else str(line)
                entry = found.setdefault((setting, text), (line, setting, where is not None, []))
                entry[3].append(variant.label)
            continue
        figures.append(_figures(variant.label, allocation, apps))
    if found:
        lines: list[Any] = []
        placed: list[str | None] = []
        for line, setting, said_where, who in found.values():
            if said_where or len(who) == len(variants):
                lines.append(line)
                placed.append(None if said_where else setting)
            else:
                lines.append(Phrase("output.error.compare_in_variant", labels=who, message=line))
                placed.append(None)
        raise PolicyError(lines=lines, settings=placed)
    first = variants[0]
    return Comparison(
        budget=first.budget,
        policy=first.policy,
        rules=tuple(labels),
        figures=tuple(figures),
        differences=_differences(figures, apps),
        applications=apps,
        created=created or datetime.now(UTC).replace(microsecond=0),
        variants=tuple(variants),
        kind=kind,
    )


def differing_settings(comparison: Comparison) -> list[tuple[str, list[Any]]]:
    """(setting, its value in each variant) for every policy setting, and the budget, that is
    not the same in every variant, in the order of :class:`~tilskudd.models.Policy`; the budget
    first. Empty for a comparison of rules."""
    variants = comparison.variants
    if not variants:
        return []
    rows: list[tuple[str, list[Any]]] = []
    budgets = [v.budget for v in variants]
    if len(set(budgets)) > 1:
        rows.append(("budget", budgets))
    for name in Policy.model_fields:
        values = [getattr(v.policy, name) for v in variants]
        if any(value != values[0] for value in values[1:]):
            rows.append((name, values))
    return rows


_AMOUNT_SETTINGS = frozenset({"budget", "max_award", "min_award", "round_to", "per_applicant_max"})


def setting_text(name: str, value: Any, lang: str) -> str:
    """A policy setting's value as a person reads it: ``2 000 000 kr``, ``20 %``, ``60``,
    ``none``; tie-breaks and quotas as a policy file writes them."""
    if value is None:
        return get(lang)("ui.basis.none")
    if name in _AMOUNT_SETTINGS and isinstance(value, int):
        return format_amount(value, lang, currency=amount_unit())
    if name == "max_share_of_cost" and isinstance(value, Decimal):
        return format_share(value, lang)
    if name == "tie_break":
        return ", ".join(step.text for step in value) or get(lang)("ui.basis.none")
    if name == "quotas":
        return "; ".join(quota.text for quota in value) or get(lang)("ui.basis.none")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | Decimal | float):
        return format_number(value, lang)
    return str(value)


# --- words for people (shared by the terminal view and the comparison workbook) ---------------

FIGURES: tuple[tuple[str, str], ...] = (
    ("funded", "count"),
    ("funded_full", "count"),
    ("partly_funded", "count"),
    ("reserve", "count"),
    ("not_funded", "count"),
    ("awarded", "amount"),
    ("unallocated", "amount"),
    ("total_score", "number"),
    ("municipalities", "count"),
    ("counties", "count"),
    ("gini_all", "ratio"),
    ("gini_funded", "ratio"),
    ("smallest", "amount"),
    ("largest", "amount"),
)
"""The compared figures in the order shown: (attribute of :class:`RuleFigures`, kind)."""

_PLACES = ("municipalities", "counties")


def shown_figures(comparison: Comparison) -> tuple[tuple[str, str], ...]:
    """:data:`FIGURES` as this comparison shows them: without the municipalities and counties
    where no rule's awards name a place (a sheet without places, as a participatory budget
    has), as the award workbook and the documents leave places out of such a round."""
    if any(getattr(f, name) for f in comparison.figures for name in _PLACES):
        return FIGURES
    return tuple(figure for figure in FIGURES if figure[0] not in _PLACES)


def _cell(value: int | Decimal | None, kind: str, lang: str) -> str:
    if value is None:
        return "–"
    if kind == "amount":
        return format_amount(int(value), lang, currency=amount_unit())
    if kind == "ratio":
        # Three decimals always, so the rules' figures line up: 0.400, not 0.4.
        text = f"{Decimal(value):.3f}"
        return text.replace(".", ",") if lang == "nb" else text
    return format_number(value, lang)


def figure_rows(comparison: Comparison, lang: str) -> list[tuple[str, list[str]]]:
    """(label, one text per rule) for every figure; the seed last when a rule used one."""
    t = get(lang)
    rows = [
        (t(f"compare.{name}"), [_cell(getattr(f, name), kind, lang) for f in comparison.figures])
        for name, kind in shown_figures(comparison)
    ]
    if any(f.seed is not None for f in comparison.figures):
        seeds = ["" if f.seed is None else str(f.seed) for f in comparison.figures]
        rows.append((t("compare.seed"), seeds))
    return rows


def words_key(comparison: Comparison, name: str) -> str:
    """The key of the words ``name`` (title, differences, no_differences, notes) for what this
    comparison compares: rules (``compare.title``), policies or budgets
    (``compare.policies.title``)."""
    return f"compare.{name}" if comparison.kind == "rules" else f"compare.{comparison.kind}.{name}"


def setting_rows(comparison: Comparison, lang: str) -> list[tuple[str, list[str]]]:
    """(setting, its value in each variant as text) for :func:`differing_settings`."""
    return [
        (name, [setting_text(name, value, lang) for value in values])
        for name, values in differing_settings(comparison)
    ]


def outcome_text(status: Status, amount: int, lang: str) -> str:
    """``funded 200 000 kr``, ``not funded``: one rule's decision on one application."""
    word = status_text(status, lang)
    return f"{word} {format_amount(amount, lang, currency=amount_unit())}" if amount else word
