"""Quotas: limits per category or per county on what a round gives, shared by the rules.

A :class:`~tilskudd.models.Quota` names a group of applications and limits it:

- ``by = "category"``: the applications whose ``category`` is ``value`` (compared without case
  and extra spaces). ``by = "county"``: those with ``value`` among their ``counties``; ``value``
  is a county number (``"03"``, ``3``) or a name, looked up in every bundled numbering (2009,
  2020 and 2024: "Akershus" is 02 in one and 32 in another, "Viken" 30 in 2020's only; no number
  means two different counties in two of them), keeping the numbers that occur among the
  applications. An application in several
  counties (an inter-county project) counts in full in each. ``value = "*"`` makes one group
  per category or county found among the applications; applications without a category or
  county are in none of those groups.
- Limits: ``min_amount``/``max_amount`` (kroner awarded in the group), ``min_share``/``max_share``
  (of the budget: a maximum is ``floor(share × budget)``, a minimum ``ceil(share × budget)``),
  ``min_count``/``max_count`` (funded applications; a partly funded one counts). Quotas that name
  the same group combine: the highest minimum and the lowest maximum of each kind hold.

Before any allocation (:meth:`QuotaBook.build`) the minimums are checked against what is possible,
and every conflict found is reported in one :class:`~tilskudd.errors.PolicyError`, naming the
groups: a minimum above a maximum, ``min_count`` above the number of eligible applications in
the group, ``min_amount`` above what the group's eligible applications can get in all, the
cheapest way to meet a group's minimums (its ``min_count`` smallest eligible amounts, or its
minimum amount) above its maximum or the budget, and the sum of those over the groups of one
kind (categories, or counties when no application is in two of them) above the budget. With
``per_applicant_max``, one organisation's applications in a group count for at most what the
organisation may still receive (its maximum less its earlier awards, on the ``round_to``
grid), and for the count only as many of them as fit in that at their least amounts; a
minimum that only this makes impossible is named as such. These are necessary conditions; a
conflict between the minimums of two groups that share an organisation's room, or between a
minimum and a maximum of the other kind, shows only when a rule tries (below).

How the rules apply them:

- ``ranked`` (and ``lottery``, which funds in the ranked way in its own order) — two passes.
  Pass 1, the minimums: in processing order, an eligible application that belongs to a group
  whose minimum is not met yet is funded with its eligible amount if it fits in the budget and
  under every maximum of its groups (``reason.quota.min_reserved``, ``min_share_reserved`` or
  ``min_count_reserved``, naming the group); pass 1 ends when every minimum is met. If it ends
  with a minimum unmet, it is run again looking ahead: an application is taken only if what
  is left covers what the other unmet minimums need, counted as the cost of one plan that
  meets them all with each application in it once (an application in two groups, such as a
  project of two counties, serves both) and funded as pass 1 would fund it beside the
  application judged and the rest of the plan: not at all past a maximum or when its
  organisation has no room left under ``per_applicant_max``, and with that room when it is
  less (a minimum such applications leave out of reach has no plan, and the application is
  passed over); if that run too leaves a minimum unmet and some
  application is in two groups with a minimum, once more with what each group needs alone
  summed (more cautious). The first of them that meets every minimum is used
  (:meth:`QuotaBook.visit_order`, :class:`_Plan`). If none does and the round would be
  refused, the rule makes its pass once more (:meth:`QuotaBook.searched`), pass 1 then going
  on where those runs failed: a round with at most :data:`EXACT_AT_MOST` applications that
  can serve a minimum is searched exactly (:class:`_Search`: in order, each application that
  leaves some choice of the ones after it meeting every minimum is taken, so the minimums are
  met whenever some choice of pass 1 meets them, with the best-ranked such choice); a larger
  one is looked ahead in once more with the plan counting a missing amount as at least one
  whole award of a member that can still bring it. A round those runs meet is never changed
  by this. Pass 2 is the
  rule's normal pass over the rest; an application that would take a group past a maximum is
  skipped (``reason.quota.max_reached``, ``max_share_reached``, ``max_count_reached``: the
  group, its limit and what it has) and the funding line is not drawn there: the next ones are
  still tried. Such an application is not on the reserve list. A minimum still unmet after pass
  2 is a :class:`PolicyError` (the result would break the policy) naming, for each such group,
  its applications that ``per_applicant_max`` limited, a maximum skipped or the budget left
  out; ``optimal`` may find a selection that meets it.
- ``optimal``: each limit is a linear constraint of the integer program; an infeasible program
  is a :class:`PolicyError` naming every minimum.
- ``proportional`` refuses quotas (:func:`~tilskudd.rules.checks.check_policy`): every eligible
  application gets the same share of its eligible amount, so what a group receives follows from
  the budget and cannot be held to a limit without giving up the equal share.

Quotas apply to the round being allocated; awards of earlier rounds do not count. An
officer's decisions to fund (:mod:`tilskudd.rules.overrides`) do: the rule is given them as
:class:`Given`, and each group starts from what they gave it (its amount and count, against
limits whose shares are of the round's whole budget). A maximum they pass already is a
:class:`PolicyError` naming the group; a minimum they meet needs nothing more from the rule.

After a round is committed, an amendment in the ledger is held to its maximums (and told of a
minimum it leaves unmet) with :func:`quota_totals` over the round's recorded awards.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Literal

from tilskudd.errors import PolicyError, QuotaError, QuotaUnmetError
from tilskudd.i18n import Phrase
from tilskudd.models import Application, Decision, Policy, Quota, Reason
from tilskudd.money import format_amount
from tilskudd.registry import REGISTERS, RegistryError, get_register
from tilskudd.rules.common import (
    PER_APPLICANT_CODES,
    PER_APPLICANT_OFFICER_CODES,
    ApplicantTotals,
    Caps,
    RankedEntry,
    floor_to,
    make_reason,
    natural_key,
)

__all__ = [
    "Given",
    "Group",
    "GroupTotal",
    "QuotaBook",
    "category_key",
    "county_problems",
    "eligible_amounts",
    "idle_quota_notes",
    "least_amounts",
    "quota_totals",
    "quota_violations",
]

Dimension = Literal["category", "county"]
_Run = tuple[list[int], dict[str, tuple[int, bool]], bool]
"""A run of pass 1: the entries chosen, the group each is for, whether every minimum is met."""
Estimate = Literal["plan", "sum", "whole", "exact"]
"""How the look-ahead of pass 1 counts what the other minimums need: the plan's cost, the
groups' sum, the plan's cost with a missing amount counted as at least one whole award
(:meth:`_Plan.cost`), or an exact search (:class:`_Search`)."""

EXACT_AT_MOST = 12
"""A round with at most this many applications that can serve a minimum (eligible, in a group
with one) is searched exactly when the estimates leave a minimum unmet (:class:`_Search`); a
larger one gets the plan with whole awards instead. The search visits at most 2^n selections
(docs/benchmarks.md: at 12, at most about 0.1 s)."""


@dataclass(frozen=True, slots=True)
class Given:
    """What an officer's decisions gave before a rule allocates the rest of a round.

    ``awards`` are the overridden applications with the amounts decided (0 for a decision to
    reject or to put on the reserve list: the application still makes its category or county a
    group); ``budget`` is the round's whole budget, of which the quotas' shares are taken (the
    rule is given what is left).
    """

    awards: tuple[tuple[Application, int], ...]
    budget: int


def category_key(text: str) -> str:
    """A category as compared: without case and with single spaces ("Bredbånd " = "bredbånd")."""
    return " ".join(text.split()).casefold()


def _money(amount: int) -> str:
    return format_amount(amount, "nb")


@dataclass(slots=True)
class Group:
    """One group of applications (a category or a county) and the limits that hold for it."""

    by: Dimension
    value: str
    """The group as reasons name it: the county number(s) or the category as written."""
    name: str
    """For people: the county's name, or the category as written."""
    members: list[int] = field(default_factory=list)
    """Indices of the member applications in the sequence given to :meth:`QuotaBook.build`."""
    min_amount: int | None = None
    min_share: Decimal | None = None
    min_count: int | None = None
    max_amount: int | None = None
    max_share: Decimal | None = None
    max_count: int | None = None
    share_floor: int | None = None
    """``ceil(min_share × budget)``."""
    share_cap: int | None = None
    """``floor(max_share × budget)``."""
    near: tuple[str, ...] = ()
    """For a category no application has (misspelt?): the nearest ones the round has."""

    @property
    def label(self) -> str:
        """The group in English: ``county 03 (Oslo)``, ``category 'Bredbånd'`` (:attr:`phrase`)."""
        return str(self.phrase)

    @property
    def phrase(self) -> Phrase:
        """:attr:`label` as a phrase, said in the message's language."""
        if self.by == "county":
            if self.name == self.value:
                return Phrase("quota.error.county", value=self.value)
            return Phrase("quota.error.county_named", value=self.value, name=self.name)
        if self.near:
            return Phrase("quota.error.category_near", name=self.name, near=list(self.near))
        return Phrase("quota.error.category", name=self.name)

    @property
    def least(self) -> int:
        """The minimum amount in kroner (0 when none): the larger of amount and share."""
        return max(self.min_amount or 0, self.share_floor or 0)

    @property
    def most(self) -> int | None:
        """The maximum amount in kroner (``None`` when none): the smaller of amount and share."""
        limits = [x for x in (self.max_amount, self.share_cap) if x is not None]
        return min(limits) if limits else None

    @property
    def has_minimum(self) -> bool:
        """Whether the group must receive something (a minimum amount, share or count above 0)."""
        return self.least > 0 or bool(self.min_count)

    def _combine(self, quota: Quota, budget: int) -> None:
        def low(old: int | None, new: int | None) -> int | None:
            return new if old is None else old if new is None else min(old, new)

        def high(old: int | None, new: int | None) -> int | None:
            return new if old is None else old if new is None else max(old, new)

        self.min_amount = high(self.min_amount, quota.min_amount)
        self.min_count = high(self.min_count, quota.min_count)
        self.max_amount = low(self.max_amount, quota.max_amount)
        self.max_count = low(self.max_count, quota.max_count)
        if quota.min_share is not None and (
            self.min_share is None or quota.min_share > self.min_share
        ):
            self.min_share = quota.min_share
            num, den = quota.min_share.as_integer_ratio()
            self.share_floor = -(-budget * num // den)
        if quota.max_share is not None and (
            self.max_share is None or quota.max_share < self.max_share
        ):
            self.max_share = quota.max_share
            num, den = quota.max_share.as_integer_ratio()
            self.share_cap = budget * num // den

    def params(self) -> dict[str, str]:
        """The parameters every quota reason carries: ``by``, ``value``, ``name``."""
        return {"by": self.by, "value": self.value, "name": self.name}


# --------------------------------------------------------------------------------------------
# Resolving the groups


def _county_names() -> dict[str, str]:
    """County number -> name over every numbering (2024 first: today's names)."""
    names: dict[str, str] = {}
    for year in reversed(REGISTERS):
        for number, county in get_register(year).counties.items():
            names.setdefault(number, county.name)
    return names


def _county_numbers(value: str, *, recorded: bool = False) -> frozenset[str] | Phrase:
    """The county numbers ``value`` names: a number or a name in any numbering; a number
    of a ``recorded`` quota (:attr:`Quota.recorded`) as it was taken when the round was
    committed, as given. What is wrong with it when it names none."""
    text = value.strip()
    if recorded and text.isdigit():
        # Committed by a tilskudd that took any number as given ("99": a group no application
        # is in): the round is re-run, its quotas counted, as it was allocated, not refused.
        return frozenset({text.zfill(2)})
    # A number too is looked up: "99" (no county in any numbering) named a group no
    # application could be in, and its limits silently did nothing.
    numbers: set[str] = set()
    errors: list[RegistryError] = []
    for year in REGISTERS:
        try:
            numbers.add(get_register(year).county(text).number)
        except RegistryError as exc:
            errors.append(exc)
    if not numbers:
        # The register's own words, in the language the error is shown in.
        params = dict(errors[-1].params)
        for key, param in errors[-1].params.items():
            if isinstance(param, list | tuple):
                params[f"{key}_or"] = Phrase("words.any_of", items=[str(v) for v in param])
        problem = Phrase(f"validate.{errors[-1].code}", **params)
        return Phrase("policy.error.quota_county", problem=problem)
    return frozenset(numbers)


def county_problems(policy: Policy) -> list[tuple[str, Phrase]]:
    """The quotas by county whose ``value`` names no county in any numbering: for each, the
    setting as the file spells it (``quotas[2].value``) and what is wrong."""
    problems: list[tuple[str, Phrase]] = []
    for place, quota in enumerate(policy.quotas, start=1):
        if quota.by != "county" or quota.value == "*":
            continue
        found = _county_numbers(quota.value, recorded=quota.recorded)
        if isinstance(found, Phrase):
            problems.append((f"quotas[{place}].value", found))
    return problems


def idle_quota_notes(applications: Sequence[Application], policy: Policy) -> list[Reason]:
    """A round-level note for each quota whose group no application of the round is in, so
    that its limits held nothing (``note.quota.idle_*``, naming the setting as the file
    spells it, ``quotas[2]``, and for a category the nearest ones the round has).

    A maximum on a category written ``"Vestlnd"`` for ``"Vestland"`` would otherwise do nothing
    without a word, and the officer believe the cap applied. It is a note, not an error: a
    standing policy caps a county or category that may have no applicant in some round. A
    positive minimum on such a group is refused before any allocation (:func:`_check_feasible`),
    so these notes are about limits that cannot bind: maximums, and minimums of 0.
    """
    if not policy.quotas:
        return []
    categories: dict[str, str] = {}  # key -> the spelling first in natural order
    counties: set[str] = set()
    for app in applications:
        if app.category is not None and app.category.strip():
            written = " ".join(app.category.split())
            key = category_key(written)
            shown = categories.get(key)
            if shown is None or natural_key(written) < natural_key(shown):
                categories[key] = written
        counties.update(app.counties)
    notes: list[Reason] = []
    names: dict[str, str] | None = None
    for place, quota in enumerate(policy.quotas, start=1):
        setting = f"quotas[{place}]"
        if quota.value == "*":
            if quota.by == "category" and not categories:
                notes.append(make_reason("note.quota.idle_every_category", setting=setting))
            elif quota.by == "county" and not counties:
                notes.append(make_reason("note.quota.idle_every_county", setting=setting))
            continue
        if quota.by == "category":
            key = category_key(quota.value)
            if key in categories:
                continue
            value = " ".join(quota.value.split())
            near = [
                categories[k]
                for k in difflib.get_close_matches(key, sorted(categories), n=3, cutoff=0.6)
            ]
            if near:
                notes.append(
                    make_reason(
                        "note.quota.idle_category_near", setting=setting, value=value, near=near
                    )
                )
            else:
                notes.append(make_reason("note.quota.idle_category", setting=setting, value=value))
            continue
        numbers = _county_numbers(quota.value, recorded=quota.recorded)
        if isinstance(numbers, Phrase) or numbers & counties:
            continue  # an unknown county is an error (county_problems), not a note
        if names is None:
            names = _county_names()
        sorted_numbers = sorted(numbers, key=natural_key)
        value = "/".join(sorted_numbers)
        known = " / ".join(dict.fromkeys(names[n] for n in sorted_numbers if n in names))
        county = f"{value} {known}" if known else value
        notes.append(
            make_reason("note.quota.idle_county", setting=setting, value=value, county=county)
        )
    return notes


def _resolve(
    applications: Sequence[Application], policy: Policy, budget: int
) -> tuple[list[Group], list[tuple[int, ...]]]:
    """The groups the policy's quotas name, and each application's groups (by index)."""
    groups: list[Group] = []
    index: dict[tuple[str, frozenset[str]], int] = {}
    county_names = _county_names() if any(q.by == "county" for q in policy.quotas) else {}

    # What each application belongs to, once: its category key and its county numbers.
    categories: dict[str, list[int]] = {}
    spelling: dict[str, str] = {}
    counties: dict[str, list[int]] = {}
    for i, app in enumerate(applications):
        if app.category is not None and app.category.strip():
            key = category_key(app.category)
            categories.setdefault(key, []).append(i)
            written = " ".join(app.category.split())
            # The spelling shown: the first in natural order, whatever the row order.
            shown = spelling.get(key)
            if shown is None or (written != shown and natural_key(written) < natural_key(shown)):
                spelling[key] = written
        for number in app.counties:
            counties.setdefault(number, []).append(i)

    def group_for(by: Dimension, keys: frozenset[str], value: str, name: str) -> Group:
        slot = index.get((by, keys))
        if slot is None:
            slot = index[(by, keys)] = len(groups)
            table = categories if by == "category" else counties
            members = sorted({i for k in keys for i in table.get(k, ())})
            near: tuple[str, ...] = ()
            if by == "category" and not members:
                # Misspelt? What its messages can suggest (as note.quota.idle_category_near).
                found = (difflib.get_close_matches(k, sorted(categories), 3, 0.6) for k in keys)
                near = tuple(dict.fromkeys(spelling[k] for matches in found for k in matches))
            groups.append(Group(by=by, value=value, name=name, members=members, near=near))
        return groups[slot]

    for place, quota in enumerate(policy.quotas, start=1):
        targets: list[Group] = []
        if quota.by == "category":
            wanted = (
                sorted(categories, key=natural_key)
                if quota.value == "*"
                else [category_key(quota.value)]
            )
            for key in wanted:
                shown = spelling.get(key, " ".join(quota.value.split()))
                targets.append(group_for("category", frozenset({key}), shown, shown))
        elif quota.value == "*":
            for number in sorted(counties, key=natural_key):
                name = county_names.get(number, number)
                targets.append(group_for("county", frozenset({number}), number, name))
        else:
            numbers = _county_numbers(quota.value, recorded=quota.recorded)
            if isinstance(numbers, Phrase):
                # As the file spells it; a rule has said it already (tilskudd.rules.checks).
                raise PolicyError(lines=[numbers], settings=[f"quotas[{place}].value"])
            # A name stands for its number in the numbering the applications use, so that
            # "Finnmark" and "56" (or "*") are the same group when only 56 occurs.
            numbers = numbers.intersection(counties) or numbers
            value = "/".join(sorted(numbers))
            names = {county_names[n] for n in numbers if n in county_names}
            shown = names.pop() if len(names) == 1 else quota.value
            targets.append(group_for("county", numbers, value, shown))
        for group in targets:
            group._combine(quota, budget)

    groups_of: list[list[int]] = [[] for _ in applications]
    for g, group in enumerate(groups):
        for i in group.members:
            groups_of[i].append(g)
    return groups, [tuple(x) for x in groups_of]


# --------------------------------------------------------------------------------------------
# Checks before any allocation


def eligible_amounts(
    applications: Sequence[Application],
    policy: Policy,
    prior_by_orgnr: Mapping[str, int] | None = None,
) -> list[int]:
    """What each application could get at most, alone: after ``min_score``, the caps and what
    its organisation has left under ``per_applicant_max`` from earlier rounds (as ``ranked``
    and ``lottery`` give it); 0 if nothing. (``optimal`` funds whole eligible amounts only and
    finds its own: :mod:`tilskudd.rules.optimal`.)
    """
    caps = Caps(policy)
    totals = ApplicantTotals(policy, prior_by_orgnr)
    out: list[int] = []
    for app in applications:
        if caps.score_reason(app) is not None:
            out.append(0)
            continue
        amount, _ = caps.eligible(app)
        if amount:
            amount, _ = totals.limit(app, amount)
        out.append(amount)
    return out


def least_amounts(
    applications: Sequence[Application], policy: Policy, eligible: Sequence[int]
) -> list[int]:
    """The least each application can be funded with in ``ranked`` (0 if not eligible).

    Its eligible amount, unless the rule may give it less: a partial award at the line
    (``at_line = "partial"``) or what its organisation has left (``per_applicant_max``); then
    the smallest award the policy allows (``min_award``, at least 1, on the ``round_to`` grid).
    """
    step = policy.round_to
    smallest = -(-max(policy.min_award, 1) // step) * step
    partial = policy.at_line == "partial"
    per_org = policy.per_applicant_max is not None
    return [
        min(amount, smallest) if amount and (partial or (per_org and app.organisation)) else amount
        for app, amount in zip(applications, eligible, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class OrgRooms:
    """Under ``per_applicant_max``: each application's organisation and what each organisation
    may still receive in the round (its maximum less earlier awards, on the ``round_to`` grid,
    as :class:`~tilskudd.rules.common.ApplicantTotals` allows it)."""

    max: int
    org_of: Sequence[str | None]
    room: Mapping[str, int]

    def within(
        self, members: Sequence[int], eligible: Sequence[int], lows: Sequence[int]
    ) -> tuple[int, list[int]]:
        """The most ``members`` (indices of eligible applications) can receive in all, and the
        least amounts of those that can be funded together, cheapest first.

        Bounds that are never too tight: an organisation's applications together receive at
        most its room, and the ones funded need at least their least amounts out of it (so only
        as many of its cheapest as fit). Applications without an orgnr are not limited.
        """
        total = 0
        lows_of: list[int] = []
        by_org: dict[str, list[int]] = {}
        for i in members:
            org = self.org_of[i]
            if org is None:
                total += eligible[i]
                lows_of.append(lows[i])
            else:
                by_org.setdefault(org, []).append(i)
        for org, mine in by_org.items():
            room = self.room[org]
            total += min(sum(eligible[i] for i in mine), room)
            spent = 0
            for low in sorted(lows[i] for i in mine):
                if spent + low > room:
                    break
                spent += low
                lows_of.append(low)
        lows_of.sort()
        return total, lows_of


def _org_rooms(
    applications: Sequence[Application],
    policy: Policy,
    prior_by_orgnr: Mapping[str, int] | None,
) -> OrgRooms | None:
    """:class:`OrgRooms` for ``applications`` (``None`` without ``per_applicant_max``)."""
    most = policy.per_applicant_max
    if most is None:
        return None
    prior = prior_by_orgnr or {}
    org_of = [app.organisation for app in applications]
    room = {
        org: floor_to(max(most - prior.get(org, 0), 0), policy.round_to)
        for org in set(org_of)
        if org is not None
    }
    return OrgRooms(most, org_of, room)


def _check_feasible(
    groups: Sequence[Group],
    eligible: Sequence[int],
    lows: Sequence[int],
    budget: int,
    given_used: Sequence[int] | None = None,
    given_count: Sequence[int] | None = None,
    given_total: int = 0,
    rooms: OrgRooms | None = None,
) -> None:
    """Raise one :class:`PolicyError` listing every conflict among the minimums (see module).

    ``given_used``, ``given_count``: what the officer's decisions to fund gave each group; the
    rule has to find only the rest of a minimum, and has less room under a maximum.
    ``given_total``: what they gave in all; ``budget`` is then what is left after them.
    ``rooms``: with ``per_applicant_max``, each application's organisation and what it may
    still receive; a group gets at most that from one organisation's applications.
    """
    problems: list[list[Phrase]] = []
    need: dict[int, int] = {}  # group -> the least its minimums can cost
    # With money given by the officer, `budget` is what is left after it, and is said so.
    after = "_given" if given_total else ""
    for g, group in enumerate(groups):

        def say(key: str, named: Phrase = group.phrase, **params: object) -> None:
            """One problem of this group: ``key`` with the group named first."""
            problems.append([Phrase(key, group=named, **params)])

        fundable = [i for i in group.members if eligible[i] > 0]
        amounts = [eligible[i] for i in fundable]
        if rooms is None:
            total, cheapest_first = sum(amounts), sorted(lows[i] for i in fundable)
        else:
            total, cheapest_first = rooms.within(fundable, eligible, lows)
        # What per_applicant_max takes from the group's eligible amounts and count, if anything:
        # a problem it causes says so, as the eligible applications alone would allow it.
        per_org = "_per_applicant" if rooms is not None else ""
        least, most = group.least, group.most
        used = given_used[g] if given_used is not None else 0
        counted = given_count[g] if given_count is not None else 0
        if most is not None and used > most:
            say("quota.error.given_above_max", used=used, most=most)
            continue
        if group.max_count is not None and counted > group.max_count:
            say("quota.error.given_above_max_count", count=counted, most=group.max_count)
            continue
        conflict = False
        if group.max_count is not None and (group.min_count or 0) > group.max_count:
            say("quota.error.count_above_max", least=group.min_count, most=group.max_count)
            conflict = True
        if most is not None and least > most:
            say("quota.error.amount_above_max", least=least, most=most)
            conflict = True
        # What the rule still has to give: the minimums less what the officer gave. A problem
        # with it names the quota's own figures and the decisions' part (the *_given wording).
        given = "_given" if used or counted else ""
        count = max((group.min_count or 0) - counted, 0)
        least = max(least - used, 0)
        most = None if most is None else most - used
        if count > len(cheapest_first):
            limited = per_org if count <= len(amounts) else ""
            say(
                f"quota.error.too_few_eligible{given}{limited}",
                least=group.min_count,
                given=counted,
                eligible=len(cheapest_first),
                max=rooms.max if rooms is not None else 0,
            )
            continue
        if least > total:
            limited = per_org if least <= sum(amounts) else ""
            say(
                f"quota.error.too_little_eligible{given}{limited}",
                least=group.least,
                given=used,
                total=total,
                max=rooms.max if rooms is not None else 0,
            )
            continue
        cheapest = sum(cheapest_first[:count])
        if most is not None and cheapest > most and not conflict:
            say(
                f"quota.error.count_costs_above_max{given}",
                least=count,
                cheapest=cheapest,
                most=most,
                given=used,
            )
            continue
        need[g] = max(least, cheapest)
        if need[g] > budget:
            say(
                f"quota.error.above_budget{given or ('_left' if after else '')}",
                need=need[g],
                budget=budget,
                given=used,
            )
    if not problems:
        # Groups of one kind with no application in two of them: their needs add up.
        for by in ("category", "county"):
            mine = [g for g in need if groups[g].by == by and need[g] > 0]
            if len(mine) < 2:
                continue
            seen: set[int] = set()
            disjoint = True
            for g in mine:
                members = set(groups[g].members)
                if members & seen:
                    disjoint = False
                    break
                seen |= members
            total = sum(need[g] for g in mine)
            if disjoint and total > budget:
                problems.append(
                    [
                        Phrase(f"quota.error.together_{by}{after}", total=total, budget=budget),
                        *(
                            Phrase("quota.error.group_need", group=groups[g].phrase, need=need[g])
                            for g in mine
                        ),
                    ]
                )
    if problems:
        raise QuotaError(problems=problems)


# --------------------------------------------------------------------------------------------
# Bookkeeping while funding


class QuotaBook:
    """The groups of a round and what each has received so far, for rules that fund in order.

    Build it with :meth:`build` (which checks the minimums first). :meth:`visit_order` runs pass
    1 (the minimums) and gives the order in which a rule should visit its entries;
    :meth:`blocked` says whether an award would break a maximum, :meth:`add` counts an award,
    :meth:`check_met` raises if a minimum is still unmet at the end.
    """

    __slots__ = (
        "budget",
        "count",
        "earlier",
        "given",
        "groups",
        "groups_of",
        "looked_ahead",
        "other_run",
        "reserved",
        "runs",
        "searching",
        "tied",
        "used",
    )

    def __init__(
        self,
        groups: list[Group],
        groups_of: dict[str, tuple[int, ...]],
        budget: int,
        given: tuple[list[int], list[int]] | None = None,
    ):
        self.groups = groups
        self.groups_of = groups_of
        """Application id -> indices of its groups."""
        self.budget = budget
        self.given = given or ([0] * len(groups), [0] * len(groups))
        """What the officer's decisions to fund gave each group: (kroner, applications)."""
        self.used = list(self.given[0])
        """Kroner each group has received: from the officer's decisions, then from the rule."""
        self.count = list(self.given[1])
        """Applications funded in each group, counted the same way."""
        self.reserved: dict[str, tuple[int, bool]] = {}
        """Application id -> the group it was funded for in pass 1, and whether for its count
        (the minimum count still unmet then; otherwise its minimum amount or share)."""
        self.looked_ahead = False
        """Whether pass 1 chose with the look-ahead (:meth:`visit_order`)."""
        self.searching = False
        """Whether pass 1, when the estimates leave a minimum unmet, searches further (the exact
        search or the plan with whole awards, :meth:`visit_order`); set by :meth:`searched`
        for a round that would otherwise be refused."""
        self.runs: list[_Run] = []
        """The runs of pass 1 :meth:`visit_order` made, when the first left a minimum unmet."""
        self.earlier: list[_Run] | None = None
        """For a book from :meth:`searched`: the runs the book it came from made (the same
        round, in the same order), which its :meth:`visit_order` takes instead of making them
        again."""
        self.other_run: frozenset[str] = frozenset()
        """The applications the runs of pass 1 that were not used chose, when there were more
        than one (the first left a minimum unmet): in another order of a tie they are in, such
        a run may be the one used (:meth:`visit_order`)."""
        self.tied: dict[int | None, list[tuple[tuple[int, ...], int, int | None]]] = {}
        """Rank -> the tied applications of that rank funded so far: their groups, amount, and
        the group each was funded for in pass 1 (``None`` in pass 2); see :meth:`split_by_id`."""

    @classmethod
    def build(
        cls,
        applications: Sequence[Application],
        budget: int,
        policy: Policy,
        eligible: Sequence[int],
        least: Sequence[int] | None = None,
        given: Given | None = None,
        prior_by_orgnr: Mapping[str, int] | None = None,
    ) -> QuotaBook | None:
        """The book for ``policy.quotas`` (``None`` without quotas), after the checks.

        ``eligible`` is what each application could get at most (:func:`eligible_amounts`),
        ``least`` the least it can be funded with (:func:`least_amounts`; default: ``eligible``,
        as for whole awards). ``given``: the officer's decisions to fund, which each group
        starts from. ``prior_by_orgnr``: what organisations have received already, counted
        against ``per_applicant_max`` (as the rule is given it). Raises :class:`PolicyError`
        naming every conflict among the minimums.
        """
        if not policy.quotas:
            return None
        n = len(applications)
        decided = given.awards if given is not None else ()
        # Groups over the officer's applications too (those decided with nothing as well): a
        # "*" quota makes a group of a category only they are in, and its limits hold for it.
        groups, groups_of = _resolve(
            [*applications, *(app for app, _ in decided)],
            policy,
            given.budget if given is not None else budget,
        )
        used = [0] * len(groups)
        count = [0] * len(groups)
        for (_, amount), gs in zip(decided, groups_of[n:], strict=True):
            for g in gs:
                if amount:
                    used[g] += amount
                    count[g] += 1
        for group in groups:
            group.members = [i for i in group.members if i < n]
        _check_feasible(
            groups,
            eligible,
            eligible if least is None else least,
            budget,
            used,
            count,
            sum(amount for _, amount in decided),
            _org_rooms(applications, policy, prior_by_orgnr),
        )
        by_id = {app.id: gs for app, gs in zip(applications, groups_of, strict=False) if gs}
        return cls(groups, by_id, budget, (used, count))

    def fresh(self) -> QuotaBook:
        """The same groups with only the officer's awards counted, for another pass that
        starts as the rule's first does: not :attr:`searching`, even if this book's pass was
        (a tie re-run in another order must search only where the rule would in that order)."""
        return QuotaBook(self.groups, self.groups_of, self.budget, self.given)

    def renamed(self, ids: Mapping[str, str]) -> QuotaBook:
        """:meth:`fresh`, for the same applications with some ids exchanged (``ids``: old id
        -> new id), as when a tie is re-run in another order of its ids."""
        groups_of = dict(self.groups_of)
        for old in ids:
            groups_of.pop(old, None)
        for old, new in ids.items():
            groups = self.groups_of.get(old)
            if groups is not None:
                groups_of[new] = groups
        return QuotaBook(self.groups, groups_of, self.budget, self.given)

    def searched(self) -> QuotaBook | None:
        """A fresh book whose pass 1 searches further (:attr:`searching`), for a round this
        book's pass left a minimum unmet in; ``None`` if this one searched already."""
        if self.searching:
            return None
        book = self.fresh()
        book.searching = True
        book.earlier = self.runs or None
        return book

    def adopt(self, other: QuotaBook) -> None:
        """Take the state of ``other`` (the same groups, another pass): what it counted, what
        its pass 1 chose and how."""
        for name in ("used", "count", "reserved", "looked_ahead", "other_run", "tied", "searching"):
            setattr(self, name, getattr(other, name))

    def unmet(self) -> bool:
        """Whether some group's minimum is not met (what :meth:`check_met` raises for)."""
        return any(self._unmet(g) for g in range(len(self.groups)))

    def short(
        self, application: Application, besides: Sequence[tuple[Application, int]] = ()
    ) -> bool:
        """Whether a group of ``application``'s has a minimum not met yet (pass 1 may take
        it), also if the awards ``besides`` (application, kroner) were counted."""
        for g in self.groups_of.get(application.id, ()):
            used, count = self.used[g], self.count[g]
            for other, amount in besides:
                if amount and g in self.groups_of.get(other.id, ()):
                    used += amount
                    count += 1
            group = self.groups[g]
            if used < group.least or count < (group.min_count or 0):
                return True
        return False

    def _unmet(self, g: int) -> bool:
        group = self.groups[g]
        return self.used[g] < group.least or self.count[g] < (group.min_count or 0)

    def add_tied(self, rank: int | None, application: Application, amount: int) -> None:
        """Count an award to an application that shares ``rank`` (after :meth:`add`)."""
        app_id = application.id
        g_for = self.reserved.get(app_id)
        self.tied.setdefault(rank, []).append(
            (self.groups_of.get(app_id, ()), amount, None if g_for is None else g_for[0])
        )

    def split_by_id(self, rank: int | None, application: Application, amount: int) -> bool:
        """Whether ``application``, skipped for a maximum (:meth:`blocked`), was told apart by
        its id from an application it is tied with (``rank``) and that was funded.

        So it was if, without the award to one of them, it would have fitted under every
        maximum: that one took the room, and came first only by its id. One funded in pass 1
        for a group's minimum came first by its id only if this one would have served that
        minimum too (it is in the group); otherwise the minimum decided.
        """
        tied = self.tied.get(rank)
        if not tied:
            return False
        mine = self.groups_of.get(application.id, ())
        for groups, got, g_for in tied:
            if g_for is not None and g_for not in mine:
                continue
            shared = [g for g in groups if g in mine]
            if shared and self._blocking(application, amount, shared, got) is None:
                return True
        return False

    def blocked(self, application: Application, amount: int) -> Reason | None:
        """The reason an award of ``amount`` to ``application`` would break a maximum, or None."""
        return self._blocking(application, amount)

    def _blocking(
        self,
        application: Application,
        amount: int,
        without: Sequence[int] = (),
        less: int = 0,
    ) -> Reason | None:
        """:meth:`blocked`, as if the groups ``without`` had not had one award of ``less``."""
        for g in self.groups_of.get(application.id, ()):
            group = self.groups[g]
            count = self.count[g]
            used = self.used[g]
            if g in without:
                count -= 1
                used -= less
            if group.max_count is not None and count + 1 > group.max_count:
                return make_reason(
                    "reason.quota.max_count_reached",
                    **group.params(),
                    limit=group.max_count,
                    count=count,
                )
            if group.max_amount is not None and used + amount > group.max_amount:
                return make_reason(
                    "reason.quota.max_reached",
                    **group.params(),
                    limit=group.max_amount,
                    used=used,
                    needed=amount,
                )
            if group.share_cap is not None and used + amount > group.share_cap:
                return make_reason(
                    "reason.quota.max_share_reached",
                    **group.params(),
                    share=group.max_share,
                    limit=group.share_cap,
                    used=used,
                    needed=amount,
                )
        return None

    def add(self, application: Application, amount: int, reasons: list[Reason]) -> None:
        """Count an award; if ``application`` was funded in pass 1, say for which minimum."""
        groups = self.groups_of.get(application.id, ())
        for g in groups:
            self.used[g] += amount
            self.count[g] += 1
        g_for = self.reserved.get(application.id)
        if g_for is not None:
            reasons.append(self._reserved_reason(*g_for))

    def _reserved_reason(self, g: int, for_count: bool) -> Reason:
        group = self.groups[g]
        if for_count:
            return make_reason(
                "reason.quota.min_count_reserved", **group.params(), limit=group.min_count
            )
        if group.share_floor is not None and group.share_floor >= (group.min_amount or 0):
            return make_reason(
                "reason.quota.min_share_reserved",
                **group.params(),
                share=group.min_share,
                limit=group.share_floor,
            )
        return make_reason("reason.quota.min_reserved", **group.params(), limit=group.least)

    def visit_order(
        self,
        entries: Sequence[RankedEntry],
        budget: int,
        policy: Policy,
        prior_by_orgnr: Mapping[str, int] | None = None,
    ) -> list[int]:
        """Pass 1: choose the applications funded first for the minimums; the visiting order.

        In the order of ``entries``, an application in a group with an unmet minimum is chosen
        if it is eligible, fits in what is left of the budget and breaks no maximum of its
        groups (counted as the rule will count it: caps, then what its organisation has left).
        If that leaves a minimum unmet (a large application of one group took the money another
        group's minimum needed), the pass is tried again looking ahead: an application is then
        chosen only if what is left after it still covers what the other unmet minimums need,
        first counted as the cost of one plan that meets them all (:class:`_Plan`), then, if
        that run leaves a minimum unmet too and some application is in two groups with a
        minimum (the two counts differ only then), as the sum of what each group needs alone,
        which counts such an application in each and so passes over more. The first run that
        meets every minimum is used, else the first run. A round whose minimums the first run
        meets is never changed by the others, and one where no application is in two groups
        with a minimum is looked ahead in as before the plan. Returns the chosen entries'
        indices, then every other index in order; the rule funds the chosen ones first and
        they fit, because it sees the same state. What the runs not used chose is kept in
        :attr:`other_run` (for the tie notes).
        """
        n = len(entries)
        if not any(group.has_minimum for group in self.groups):
            return list(range(n))
        earlier, self.earlier = self.earlier, None
        if earlier:
            chosen, reserved, met = earlier[0]
        else:
            chosen, reserved, met = self._pass_one(entries, budget, policy, prior_by_orgnr, None)
        if not met:
            runs: list[_Run] = [(chosen, reserved, met)]
            for estimate in self._estimates(entries, policy):
                if earlier and len(runs) < len(earlier):
                    runs.append(earlier[len(runs)])  # made already by the book searched from
                else:
                    runs.append(self._pass_one(entries, budget, policy, prior_by_orgnr, estimate))
                if runs[-1][2]:
                    break
            self.runs = runs
            used = runs[-1] if runs[-1][2] else runs[0]
            self.other_run = frozenset(i for run in runs if run is not used for i in run[1])
            if used is not runs[0]:
                chosen, reserved, met = used
                self.looked_ahead = True
        self.reserved.update(reserved)
        picked = set(chosen)
        return chosen + [k for k in range(n) if k not in picked]

    def _estimates(self, entries: Sequence[RankedEntry], policy: Policy) -> Iterator[Estimate]:
        """The look-ahead's runs (:meth:`visit_order`), made one by one while none meets the
        minimums: with the plan; if some application is in two groups with a minimum (so that
        the two differ), with the groups' sum; then, if the book is :attr:`searching`, in a
        round with at most :data:`EXACT_AT_MOST` applications that can serve a minimum the
        exact search, and in a larger one the plan with a missing amount counted as at least
        one whole award."""
        yield "plan"
        minimum = [group.has_minimum for group in self.groups]
        if any(sum(minimum[g] for g in groups) > 1 for groups in self.groups_of.values()):
            yield "sum"
        if self.searching:
            serving = self._serving(entries, Caps(policy), EXACT_AT_MOST + 1)
            yield "exact" if len(serving) <= EXACT_AT_MOST else "whole"

    def _serving(
        self, entries: Sequence[RankedEntry], caps: Caps, at_most: int | None = None
    ) -> list[tuple[int, Application, int]]:
        """The entries that can serve a minimum (eligible after the caps, in a group with one),
        in order: (index, application, eligible amount); the first ``at_most`` only."""
        minimum = [group.has_minimum for group in self.groups]
        out: list[tuple[int, Application, int]] = []
        for k, entry in enumerate(entries):
            app = entry.application
            if not any(minimum[g] for g in self.groups_of.get(app.id, ())):
                continue
            if caps.score_reason(app) is not None:
                continue
            amount, _ = caps.eligible(app)
            if amount:
                out.append((k, app, amount))
                if at_most is not None and len(out) >= at_most:
                    break
        return out

    def _pass_one(
        self,
        entries: Sequence[RankedEntry],
        budget: int,
        policy: Policy,
        prior_by_orgnr: Mapping[str, int] | None,
        look_ahead: Estimate | None,
    ) -> _Run:
        """The applications chosen for the minimums, the group each is for, and whether every
        minimum is met (see :meth:`visit_order`); ``look_ahead``: how what the other minimums
        need is counted (:meth:`_Plan.cost`), ``None`` for no look-ahead."""
        caps = Caps(policy)
        totals = ApplicantTotals(policy, prior_by_orgnr)
        trial = self.fresh()
        remaining = budget
        unmet = {g for g in range(len(self.groups)) if trial._unmet(g)}
        # For the look-ahead: each group's members with what they could get, cheapest first.
        plan = _Plan(self) if look_ahead and look_ahead != "exact" else None
        search = _Search(self, self._serving(entries, caps)) if look_ahead == "exact" else None
        if plan is not None:
            for entry in entries:
                plan.add_member(entry.application, caps)
            plan.sort()
        taken: set[str] = set()
        chosen: list[int] = []
        reserved: dict[str, tuple[int, bool]] = {}
        for k, entry in enumerate(entries):
            if not unmet:
                break
            app = entry.application
            helping = [g for g in self.groups_of.get(app.id, ()) if g in unmet]
            if not helping or caps.score_reason(app) is not None:
                continue
            amount, _ = caps.eligible(app)
            if amount:
                amount, _ = totals.limit(app, amount)
            if not amount or amount > remaining or trial.blocked(app, amount) is not None:
                continue
            if plan is not None:
                others = plan.cost(
                    trial,
                    unmet,
                    app.id,
                    amount,
                    taken,
                    look_ahead != "sum",
                    totals,
                    look_ahead == "whole",
                )
                if others is None or remaining - amount < others:
                    continue  # it would take what the other minimums need
            elif search is not None and not search.completes(trial, totals, remaining, k, amount):
                continue  # no choice of the applications after it meets every minimum
            # The minimum it is funded for: the count while that is unmet (the officer's
            # decisions may have met it already), else the amount or share.
            g_for = helping[0]
            for_count = trial.count[g_for] < (self.groups[g_for].min_count or 0)
            remaining -= amount
            totals.add(app, amount)
            trial.add(app, amount, [])
            taken.add(app.id)
            chosen.append(k)
            reserved[app.id] = (g_for, for_count)
            unmet = {g for g in unmet if trial._unmet(g)}
        return chosen, reserved, not unmet

    def check_met(self, rule: str, decisions: Sequence[Decision] = ()) -> None:
        """Raise :class:`PolicyError` naming every group whose minimum is not met.

        With the rule's ``decisions``, each group's line also says why its eligible
        applications got less than they could: limited by ``per_applicant_max``, skipped for a
        quota's maximum, or left out for want of budget (the first few ids of each).
        """
        problems: list[list[Phrase]] = []
        for g, group in enumerate(self.groups):
            if not self._unmet(g):
                continue
            wants = [Phrase("quota.error.unmet_group", group=group.phrase)]
            if self.count[g] < (group.min_count or 0):
                wants.append(
                    Phrase("quota.error.unmet_count", least=group.min_count, got=self.count[g])
                )
            if self.used[g] < group.least:
                wants.append(
                    Phrase("quota.error.unmet_amount", least=group.least, got=self.used[g])
                )
            problems.append(wants)
        if problems and decisions:
            why = _why_short(decisions, self.groups_of)
            for g, wants in zip(
                (g for g in range(len(self.groups)) if self._unmet(g)), problems, strict=True
            ):
                for cause in _SHORT_CAUSES:
                    ids = sorted(why.get((g, cause), ()), key=natural_key)
                    if ids:
                        shown = ids[:_SHORT_IDS] + (["…"] if len(ids) > _SHORT_IDS else [])
                        wants.append(
                            Phrase(f"quota.error.unmet_by_{cause}", count=len(ids), ids=shown)
                        )
        if problems:
            raise QuotaUnmetError(problems=problems, rule=rule)


PLAN_SHARED_LOOK = 64
"""How many of a group's members that are in another group with a minimum too the look-ahead's
plan looks at, at most, for the group's minimum amount; and how many that a maximum or an
organisation's room holds back it passes over, at most, for its minimum count, and looks at for
its bare amount (:class:`_Plan`)."""


class _Plan:
    """The look-ahead of pass 1 (:meth:`QuotaBook.visit_order`): what the unmet minimums other
    than an application's still need, as the cost of one plan that meets them all, each
    application in it counted once however many of the groups it is in.

    The plan is made group by group, in the groups' order (which does not depend on the order
    of the rows), from the members not taken yet other than the application judged, each
    funded as pass 1 would fund it beside the application judged and the plan so far: with its
    eligible amount after the caps, or what its organisation has left under
    ``per_applicant_max`` if that is less; not at all if its organisation has nothing left
    (or less than ``min_award``) or if it would take one of its groups past a maximum:

    - a minimum count takes the group's cheapest members still missing that can be funded so
      (by eligible amount, then id; only those few, and the ones passed over, are looked at;
      after :data:`PLAN_SHARED_LOOK` passed over, the next are counted as they are, in full,
      as before the plan looked at maximums and rooms: a round where a maximum holds back
      thousands of a group's members would otherwise be looked through for every
      application judged);
    - a minimum amount takes first those of its members that are in another unmet group still
      short (cheapest first, at most :data:`PLAN_SHARED_LOOK` looked at), each only if it
      costs no more than it saves: its amount at most what the group still misses plus what
      it brings to the other groups' missing amounts; what is still missing after them is
      counted as a bare amount, as if the group's other members could give exactly that (a
      bound: they may need more, or not have it, or be held back by a maximum or an
      organisation's room); with ``whole``, as at least the least award of one of those
      members (each is funded whole: a missing 50 that only a member of 200 can bring costs
      200).

    A member in the plan counts for every group it is in: its amount towards each one's
    amount and one towards each one's count, towards a minimum and a maximum alike, and its
    amount towards its organisation. Where no application is in two groups with a minimum and
    neither a maximum nor an organisation's room holds a member back, this is the sum over the
    groups of ``max(least - used, its missing cheapest members)``, what the look-ahead counted
    before the plan; an application in two of them (a project of two counties, a county and a
    category) is counted once, where that sum counted it in each and so passed over
    better-ranked applications that fit. A minimum count that the members left cannot meet,
    or a bare amount that they cannot bring even each alone (of the first
    :data:`PLAN_SHARED_LOOK` in the group's list), because the application judged, the plan or
    pass 1 so far holds some of them back, has no plan (:meth:`cost` is ``None``): the
    application is passed over. The sum of what each group needs alone (:meth:`cost`, not
    ``once``) leaves out the members held back in the same way, each looked at beside the
    application judged and pass 1 so far only. The order pass 1 takes
    members in is not looked at, the plan is made greedily, and the bare amounts may be less
    than whole members cost: the plan measures what the minimums need, it is not a promise
    that pass 1 will find it. Where it falls short, :meth:`QuotaBook.visit_order` tries the
    sum as well.
    """

    __slots__ = ("book", "capped", "cheapest", "minimum", "org", "shared")

    def __init__(self, book: QuotaBook) -> None:
        self.book = book
        self.minimum = frozenset(g for g, group in enumerate(book.groups) if group.has_minimum)
        self.capped: dict[int, tuple[int | None, int | None]] = {
            g: (group.most, group.max_count)
            for g, group in enumerate(book.groups)
            if group.most is not None or group.max_count is not None
        }
        """Group -> its maximum amount and count (``None``: none), for the groups with one."""
        self.org: dict[str, str] = {}
        """Member id -> its organisation number, for the members that have one."""
        self.cheapest: dict[int, list[tuple[int, str]]] = {}
        """Group -> its members that could be funded: (eligible amount, id), cheapest first."""
        self.shared: dict[int, list[tuple[int, str]]] = {}
        """Group -> those of :attr:`cheapest` in another group with a minimum too."""

    def add_member(self, app: Application, caps: Caps) -> None:
        """Count ``app`` in its groups' lists if it could be funded (after the caps)."""
        groups = self.book.groups_of.get(app.id, ())
        if not groups or caps.score_reason(app) is not None:
            return
        amount, _ = caps.eligible(app)
        if not amount:
            return
        org = app.organisation
        if org is not None:
            self.org[app.id] = org
        for g in groups:
            self.cheapest.setdefault(g, []).append((amount, app.id))
        if sum(1 for g in groups if g in self.minimum) > 1:
            for g in groups:
                if g in self.minimum:
                    self.shared.setdefault(g, []).append((amount, app.id))

    def sort(self) -> None:
        """Put each list cheapest first (ties by id), whatever the order members came in."""
        for members in (*self.cheapest.values(), *self.shared.values()):
            members.sort()

    def cost(
        self,
        trial: QuotaBook,
        unmet: set[int],
        app_id: str,
        amount: int,
        taken: set[str],
        once: bool = True,
        totals: ApplicantTotals | None = None,
        whole: bool = False,
    ) -> int | None:
        """What the ``unmet`` groups still need after ``app_id`` is funded with ``amount`` in
        ``trial`` (the book of pass 1 so far; ``taken``: the members it funded; ``totals``:
        what it gave each organisation): the plan's cost, or (not ``once``) the sum of what
        each group needs alone; ``None`` when a minimum cannot be met for want of members
        that can still be funded (see the class). ``whole`` (the plan only): a missing amount
        costs at least the least award of one member that can still bring it."""
        groups = self.book.groups
        groups_of = self.book.groups_of
        capped = self.capped
        mine = groups_of.get(app_id, ())
        used = {g: trial.used[g] + (amount if g in mine else 0) for g in unmet}
        count = {g: trial.count[g] + (1 if g in mine else 0) for g in unmet}
        # What the groups with a maximum hold and what each organisation has had, with the
        # application judged and (for the plan) the members planned.
        held: dict[int, list[int]] = {}
        rooms = totals if totals is not None and totals.max is not None else None
        org_max = 0 if rooms is None or rooms.max is None else rooms.max
        orgs = self.org if rooms is not None else {}
        spent: dict[str, int] = {}
        if app_id in orgs:
            spent[orgs[app_id]] = amount

        def holding(h: int) -> list[int]:
            state = held.get(h)
            if state is None:
                state = held[h] = [
                    trial.used[h] + (amount if h in mine else 0),
                    trial.count[h] + (1 if h in mine else 0),
                ]
            return state

        def award(member: str, asked: int) -> int:
            """What pass 1 could fund ``member`` with beside what is counted: 0 if nothing."""
            got = asked
            org = orgs.get(member)
            if org is not None and rooms is not None:
                # ApplicantTotals.limit_org, without the reasons (this runs for each member
                # the plan looks at).
                room = org_max - rooms.used.get(org, 0) - spent.get(org, 0)
                left = room - room % rooms.round_to if room > 0 else 0
                if asked > left:
                    if left == 0 or left < rooms.min_award:
                        return 0
                    got = left
            if capped:
                for h in groups_of[member]:
                    limit = capped.get(h)
                    if limit is not None:
                        most, most_count = limit
                        state = holding(h)
                        if most_count is not None and state[1] >= most_count:
                            return 0
                        if most is not None and state[0] + got > most:
                            return 0
            return got

        if not once:
            alone = 0
            for g in unmet:
                group = groups[g]
                short = max((group.min_count or 0) - count[g], 0)
                # The `short` cheapest members not yet taken that can be funded: stops after
                # them (a group's list can hold thousands; `short` is the few still missing).
                found = held_back = 0
                smallest = 0
                for a, i in self.cheapest.get(g, ()):
                    if found == short:
                        break
                    if i == app_id or i in taken:
                        continue
                    got = award(i, a) if held_back < PLAN_SHARED_LOOK else a
                    if not got:
                        held_back += 1
                        continue
                    smallest += got
                    found += 1
                if found < short and held_back:
                    return None
                alone += max(group.least - used[g], smallest, 0)
            return alone
        planned: set[str] = set()
        total = 0

        def fund(member: str, got: int) -> None:
            planned.add(member)
            for h in groups_of[member]:
                if h in used:
                    used[h] += got
                    count[h] += 1
                if h in capped:
                    state = holding(h)
                    state[0] += got
                    state[1] += 1
            org = orgs.get(member)
            if org is not None:
                spent[org] = spent.get(org, 0) + got

        for g in sorted(unmet):
            group = groups[g]
            missing = max((group.min_count or 0) - count[g], 0)
            if missing:
                # The `missing` cheapest members not taken yet that can be funded: stops after
                # them (a group's list can hold thousands; `missing` is the few still needed).
                held_back = 0
                for a, i in self.cheapest.get(g, ()):
                    if not missing:
                        break
                    if i == app_id or i in taken or i in planned:
                        continue
                    got = award(i, a) if held_back < PLAN_SHARED_LOOK else a
                    if not got:
                        held_back += 1
                        continue
                    fund(i, got)
                    total += got
                    missing -= 1
                if missing and held_back:
                    return None
            need = group.least - used[g]
            if need <= 0:
                continue
            for a, i in islice(self.shared.get(g, ()), PLAN_SHARED_LOOK):
                if i == app_id or i in taken or i in planned:
                    continue
                brings = 0
                counted = False
                for h in groups_of[i]:
                    if h != g and h in used:
                        brings += min(a, max(groups[h].least - used[h], 0))
                        counted = counted or count[h] < (groups[h].min_count or 0)
                if not (brings or counted):
                    continue
                got = award(i, a)
                if not got:
                    continue
                if got < a:  # its organisation's room: it brings less
                    brings = sum(
                        min(got, max(groups[h].least - used[h], 0))
                        for h in groups_of[i]
                        if h != g and h in used
                    )
                if got <= need + brings:
                    fund(i, got)
                    total += got
                    need -= got
                    if need <= 0:
                        break
            if need > 0:
                # The bare amount is brought by members left: if those a maximum or an
                # organisation's room does not hold back cannot bring it even each alone
                # (of the first PLAN_SHARED_LOOK looked at), there is no plan.
                held_back = False
                could = 0
                least = 0  # the least award of one member left: what one whole award costs
                for a, i in islice(self.cheapest.get(g, ()), PLAN_SHARED_LOOK):
                    if i == app_id or i in taken or i in planned:
                        continue
                    got = award(i, a)
                    could += got
                    held_back = held_back or not got
                    if got and (not least or got < least):
                        least = got
                    if could >= need:
                        break
                else:
                    if held_back and len(self.cheapest.get(g, ())) <= PLAN_SHARED_LOOK:
                        return None
                if whole:
                    need = max(need, least)
                total += need
                used[g] += need
                if g in capped:
                    holding(g)[0] += need
        return total


class _Search:
    """The exact look-ahead of pass 1 for a small round (:data:`EXACT_AT_MOST`): whether,
    after an application is taken, some choice of the applications after it, each taken as
    pass 1 takes one (in order, while a minimum of one of its groups is unmet, with its
    eligible amount or what its organisation has left, within the budget and every maximum),
    meets every minimum. Branch and bound: the applications after it are tried in order, taken
    or passed over, and a branch is cut as soon as what its applications left could bring a
    group (all their eligible amounts, all of them counted) is less than its minimum, or the
    budget left is less than what a group still misses.

    With it, pass 1 takes in order each application that leaves the minimums within reach,
    so it meets them whenever some choice of pass 1 does, and takes the best-ranked such
    choice. Pass 2 is not looked at: a round whose minimums only an award of pass 2 meets (a
    partial award at the line, say) is not found by it.
    """

    __slots__ = ("book", "serving", "where")

    def __init__(self, book: QuotaBook, serving: list[tuple[int, Application, int]]) -> None:
        self.book = book
        self.serving = serving
        """The entries that can serve a minimum, in order: (index, application, amount)."""
        self.where = {k: at for at, (k, _, _) in enumerate(serving)}
        """Entry index -> its place in :attr:`serving`."""

    def completes(
        self, trial: QuotaBook, totals: ApplicantTotals, remaining: int, k: int, amount: int
    ) -> bool:
        """Whether taking entry ``k`` with ``amount`` (in ``trial``, pass 1 so far, with
        ``remaining`` left and ``totals`` given to organisations) leaves every minimum within
        reach of the entries after it."""
        book = self.book
        groups = book.groups
        groups_of = book.groups_of
        serving = self.serving
        used = list(trial.used)
        count = list(trial.count)
        spent = dict(totals.used)
        app = serving[self.where[k]][1]
        for g in groups_of.get(app.id, ()):
            used[g] += amount
            count[g] += 1
        org = app.organisation
        if org is not None and totals.max is not None:
            spent[org] = spent.get(org, 0) + amount
        least = [group.least for group in groups]
        min_count = [group.min_count or 0 for group in groups]
        most = [group.most for group in groups]
        max_count = [group.max_count for group in groups]
        minimum = [g for g, group in enumerate(groups) if group.has_minimum]

        def search(start: int, remaining: int) -> bool:
            unmet = [g for g in minimum if used[g] < least[g] or count[g] < min_count[g]]
            if not unmet:
                return True
            for g in unmet:
                if least[g] - used[g] > remaining:
                    return False
                could = used[g]
                members = count[g]
                for _, other, asked in islice(serving, start, None):
                    if g in groups_of[other.id]:
                        could += asked
                        members += 1
                if could < least[g] or members < min_count[g]:
                    return False
            for at in range(start, len(serving)):
                _, other, asked = serving[at]
                mine = groups_of[other.id]
                if not any(g in mine for g in unmet):
                    continue
                org = other.organisation
                got = asked
                if org is not None and totals.max is not None:
                    got = totals.limit_org(org, asked, already=spent.get(org, 0))[0]
                if not got or got > remaining:
                    continue
                if any(
                    (max_count[h] is not None and count[h] >= max_count[h])  # type: ignore[operator]
                    or (most[h] is not None and used[h] + got > most[h])  # type: ignore[operator]
                    for h in mine
                ):
                    continue
                for h in mine:
                    used[h] += got
                    count[h] += 1
                if org is not None and totals.max is not None:
                    spent[org] = spent.get(org, 0) + got
                if search(at + 1, remaining - got):
                    return True
                for h in mine:
                    used[h] -= got
                    count[h] -= 1
                if org is not None and totals.max is not None:
                    spent[org] -= got
            return False

        return search(self.where[k] + 1, remaining - amount)


_SHORT_CAUSES = ("per_applicant", "max", "budget")
_SHORT_IDS = 5
_CAUSE_OF = {
    **dict.fromkeys(PER_APPLICANT_CODES, "per_applicant"),
    **dict.fromkeys(PER_APPLICANT_OFFICER_CODES, "per_applicant"),
    "reason.quota.max_reached": "max",
    "reason.quota.max_share_reached": "max",
    "reason.quota.max_count_reached": "max",
    "reason.budget.exhausted": "budget",
    "reason.line.stopped": "budget",
    "reason.funded.partial": "budget",
}


def _why_short(
    decisions: Sequence[Decision], groups_of: Mapping[str, tuple[int, ...]]
) -> dict[tuple[int, str], list[str]]:
    """(group, cause) -> the ids of the group's applications that got less than they asked
    for, after the caps, for that cause (see :meth:`QuotaBook.check_met`)."""
    out: dict[tuple[int, str], list[str]] = {}
    for decision in decisions:
        groups = groups_of.get(decision.application_id)
        if not groups:
            continue
        cause = next((c for r in decision.reasons if (c := _CAUSE_OF.get(r.code))), None)
        if cause is None:
            continue
        for g in groups:
            out.setdefault((g, cause), []).append(decision.application_id)
    return out


# --------------------------------------------------------------------------------------------
# Checking a result


def quota_violations(
    applications: Sequence[Application],
    awards: Mapping[str, int],
    budget: int,
    policy: Policy,
) -> list[str]:
    """Every quota a set of awards (id -> kroner) breaks, as text; empty when all hold."""
    out = []
    for total in quota_totals(applications, awards, budget, policy):
        group, used, count = total.group, total.amount, total.count
        most = group.most
        if group.max_count is not None and count > group.max_count:
            out.append(f"{group.label}: {count} funded, at most {group.max_count}")
        if count < (group.min_count or 0):
            out.append(f"{group.label}: {count} funded, at least {group.min_count}")
        if most is not None and used > most:
            out.append(f"{group.label}: {_money(used)}, at most {_money(most)}")
        if used < group.least:
            out.append(f"{group.label}: {_money(used)}, at least {_money(group.least)}")
    return out


@dataclass(frozen=True, slots=True)
class GroupTotal:
    """What one quota group holds under a set of awards: kroner and funded applications."""

    group: Group
    amount: int
    count: int


def quota_totals(
    applications: Sequence[Application],
    awards: Mapping[str, int],
    budget: int,
    policy: Policy,
) -> list[GroupTotal]:
    """Each group the policy's quotas name among ``applications``, with what a set of awards
    (id -> kroner) gives it and how many of its applications it funds; ``budget`` is the one
    the quotas' shares are of. (The ledger holds an amendment to a round's quotas with it.)"""
    if not policy.quotas:
        return []
    groups, groups_of = _resolve(applications, policy, budget)
    used = [0] * len(groups)
    count = [0] * len(groups)
    for app, gs in zip(applications, groups_of, strict=True):
        amount = awards.get(app.id, 0)
        if amount:
            for g in gs:
                used[g] += amount
                count[g] += 1
    return [GroupTotal(group, used[g], count[g]) for g, group in enumerate(groups)]
