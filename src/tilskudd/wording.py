"""Words for people about a round: reasons, decisions, statuses, headers and the summary sentence.

Plain text only (no rich, no openpyxl), so every output (the terminal view, the workbook, the
documents) says the same thing in the same words. All wording comes from the catalogue
(:mod:`tilskudd.i18n`); this module only chooses keys and how phrases join (a word that agrees
with a count is the catalogue's: ``{n:# prosjekt|# prosjekter}``).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple, Protocol, cast

from tilskudd import clock
from tilskudd.i18n import Phrase, Translator, as_sentence, format_date, get
from tilskudd.models import (
    ALREADY_FUNDED,
    Decision,
    Issue,
    Reason,
    RejectedRow,
    RoundResult,
    Status,
)
from tilskudd.summary import RoundSummary

__all__ = [
    "OVERRIDE_MARK",
    "STATUS_ORDER",
    "TIE_MARK",
    "Change",
    "change_date",
    "change_sentences",
    "column_header",
    "county_label",
    "county_name",
    "decision_text",
    "display_order",
    "issue_cell",
    "issue_text",
    "listed",
    "municipality_label",
    "municipality_name",
    "note_text",
    "places_short",
    "rank_text",
    "reason_text",
    "recorded_decision_text",
    "rejected_text",
    "round_title",
    "shortened",
    "status_text",
    "summary_sentence",
    "typed_text",
    "waived_figures",
    "waived_rule",
    "waived_text",
]

TIE_MARK = "="
"""Shown after a rank shared with another application: ``12=``."""

OVERRIDE_MARK = "\u2020"
"""Shown after the status of a decision made by an officer's manual override: ``funded †``."""

STATUS_ORDER: dict[Status, int] = {
    Status.FUNDED: 0,
    Status.PARTLY_FUNDED: 0,
    Status.RESERVE: 1,
    Status.NOT_FUNDED: 2,
    Status.REJECTED: 3,
}
"""Order of status groups in every list: funded and partly funded, reserve, not funded, rejected."""

LISTED = 10
"""Text read on a screen names at most this many applications in one list, then "N more" (a tie
in a round scored in whole points can hold thousands); the files keep every one."""


def reason_text(reason: Reason, lang: str) -> str:
    """One reason (or round note) as a phrase: its code's catalogue text with its params filled."""
    return get(lang).render(reason.code, reason.params)


def note_text(note: Reason, lang: str) -> str:
    """A round note as every output shows it: a sentence (or two), with a capital first letter
    and a full stop, as the reasons of a decision are (:func:`decision_text`).

    ``4 applications share rank 12 across the funding line (A, B, C and D); they were taken in
    id order.``
    """
    t = get(lang)
    text = t.sentence(note.code, note.params)
    params = note.params
    # Where the setting a note is about was written, when the command line told it
    # (tilskudd.cli.round_options.RoundSetup.place_notes): the option, or the file and line.
    if "set_by_option" in params:
        return f"{text} {t.sentence('note.place.option', {'option': params['set_by_option']})}"
    if "set_in_file" in params:
        file, line = params["set_in_file"], params.get("set_in_line")
        if line is not None:
            return f"{text} {t.sentence('note.place.at_line', {'file': file, 'line': line})}"
        return f"{text} {t.sentence('note.place.in_file', {'file': file})}"
    return text


def listed(items: Sequence[str], t: Translator) -> list[str]:
    """``items``, or the first :data:`LISTED` of them and "N more" (``ui.more_ids``) as the last
    item, for a ``{…:list}`` field: ``S-1, S-2, … S-10 og 1 988 til``."""
    if len(items) <= LISTED + 1:
        return list(items)
    return [*items[:LISTED], t("ui.more_ids", n=len(items) - LISTED)]


TIE_JOIN = " = "
"""How ``note.given_rank_ordered`` joins the ids of one tie in an item of its ``order``."""


def _listed_tie(group: str, t: Translator) -> str:
    """One tie of an ``order`` (``A = B = C``), its first :data:`LISTED` ids and "N more"."""
    members = group.split(TIE_JOIN)
    if len(members) <= LISTED + 1:
        return group
    more = t("ui.more_ids", n=len(members) - LISTED)
    return f"{TIE_JOIN.join(members[:LISTED])}{TIE_JOIN}… ({more})"


def shortened(reason: Reason, t: Translator) -> Reason:
    """``reason`` with each list in its parameters :func:`listed`, and each tie in the ``order``
    of a ``note.given_rank_ordered`` too; ``reason`` itself when none is longer than that."""
    cut = {
        key: listed(value, t)
        for key, value in reason.params.items()
        if isinstance(value, list | tuple) and len(value) > LISTED + 1
    }
    order = reason.params.get("order")
    if reason.code == "note.given_rank_ordered" and isinstance(order, list | tuple):
        ties = [_listed_tie(group, t) if isinstance(group, str) else group for group in order]
        if ties != list(order):
            cut["order"] = listed(ties, t)
    return Reason(reason.code, {**reason.params, **cut}) if cut else reason


def _sentences(phrases: Iterable[str]) -> str:
    """Phrases as sentences: each with a capital first letter and a full stop."""
    return " ".join(s for s in map(as_sentence, phrases) if s)


_RECORDED_ONLY = ("reason.cap.", "reason.ineligible.")


def decision_text(decision: Decision, lang: str) -> str:
    """Every reason of a decision as a sentence or two; the status when it has no reasons. An
    application not funded because it was funded in an earlier round is told only that (and
    any officer's decision not applied): its recorded caps decided nothing.

    ``Capped at 20 % of total cost 14 000 000 kr = 2 800 000 kr. Funded with the full eligible
    amount, 2 800 000 kr, at rank 1.``
    """
    reasons = decision.reasons
    if not reasons:
        return _status_sentence(decision.status, lang)
    # Every row of every output comes here: the translator puts the capital letter and the
    # full stop into each template once, rather than stripping and capitalising each phrase.
    # A rule shares one reason among many decisions where its words are the same (the
    # rounding; proportional's one share for all): the last reason said at each place of a
    # decision is kept with its sentence, and the next decision with that very reason there
    # takes the sentence (100 000 decisions: 0.26 -> 0.19 s proportional, 0.31 -> 0.27 s
    # ranked). By identity, so only a reason that is the same object, and so the same words.
    said = _said.get(lang)
    if said is None:
        said = _said.setdefault(lang, {})
    sentence = get(lang).sentence
    texts = []
    for place, reason in enumerate(reasons):
        kept = said.get(place)
        if kept is not None and kept[0] is reason:
            text = kept[1]
        else:
            code = reason.code
            if code == ALREADY_FUNDED:
                # Never kept, so every decision that has it comes here (models.funded_before,
                # asked in this loop rather than in a pass of its own over every decision).
                return _funded_before_text(reasons, sentence)
            text = sentence(code, reason.params)
            said[place] = (reason, text)
        if text:
            texts.append(text)
    return " ".join(texts)


def _funded_before_text(reasons: Sequence[Reason], sentence: Callable[..., str]) -> str:
    """:func:`decision_text` of an application not funded because it was funded in an earlier
    round: the caps and the min_score verdict recorded beside it are for an amendment to be
    held to (tilskudd.rounds), and decided nothing here, so they are not said (as explain
    does not say them)."""
    kept = (r for r in reasons if not r.code.startswith(_RECORDED_ONLY))
    return " ".join(text for text in (sentence(r.code, r.params) for r in kept) if text)


def recorded_decision_text(reasons: Sequence[Mapping[str, Any]], status: str, lang: str) -> str:
    """A decision's reasons as the ledger recorded them (``{"code": …, "params": …}``, exact
    decimals written as text) said as :func:`decision_text` says them when the round is run:
    ``history`` tells why an application got what it got without the applications' file."""
    t = get(lang)
    read = tuple(Reason(str(r.get("code")), _recorded_params(r, t)) for r in reasons)
    return decision_text(cast(Decision, _Recorded(Status(status), read)), lang)


class _Recorded(NamedTuple):
    """What :func:`decision_text` reads of a decision, as a recorded one gives it."""

    status: Status
    reasons: tuple[Reason, ...]


_NUMBER_SPECS = frozenset({"money", "num", "pct"})


def _recorded_params(reason: Mapping[str, Any], t: Translator) -> dict[str, Any]:
    """A recorded reason's parameters as its rule gave them: a number its sentence formats
    (``{share:pct}``) that the ledger kept as text (``"0.2"``, so that nothing was lost to a
    float) is a Decimal again; an id or a name stays the text it is (``"0123"``)."""
    params = dict(reason.get("params") or {})
    numbers = _number_fields(t, str(reason.get("code")))
    for name in numbers.intersection(params):
        value = params[name]
        if isinstance(value, str):
            with contextlib.suppress(ArithmeticError):  # else said as it was recorded
                params[name] = Decimal(value)
    return params


@cache
def _number_fields_of(template: str) -> frozenset[str]:
    import string

    fields: set[str] = set()
    for _text, name, spec, _conversion in string.Formatter().parse(template):
        if not name:
            continue
        if "~" in name:  # {low~high:scores}: two numbers
            fields.update(name.split("~"))
        elif spec in _NUMBER_SPECS or (spec and "|" in spec):  # {n:søknad|søknader}: a count
            fields.add(name)
    return frozenset(fields)


def _number_fields(t: Translator, key: str) -> frozenset[str]:
    template = t.template(key)
    return _number_fields_of(template) if template is not None else frozenset()


_said: dict[str, dict[int, tuple[Reason, str]]] = {}
"""By language: the reason last said at each place of a decision, and its text
(:func:`decision_text`). Each entry is one tuple, replaced whole, so threads see a pair that
belongs together."""


@cache
def _status_sentence(status: Status, lang: str) -> str:
    return _sentences([status_text(status, lang)])


@cache  # the same few words for every row of a list: render them once
def status_text(status: Status, lang: str) -> str:
    """The status as a word: ``funded`` / ``innvilget``."""
    return get(lang)(f"status.{status.value}")


def rank_text(decision: Decision) -> str:
    """The rank as shown in lists: ``12``, ``12=`` for a shared rank, empty when unranked."""
    if decision.rank is None:
        return ""
    return f"{decision.rank}{TIE_MARK if decision.tied else ''}"


def column_header(field: str, lang: str) -> str:
    """The header of a table or workbook column for a field (``awarded`` -> ``Tildelt``)."""
    return get(lang)(f"header.{field}")


def round_title(name: str | None, number: int, lang: str) -> str:
    """What a programme's round is called in ``lang``: the name the programme file gives it, or
    ``Runde 2`` / ``Round 2`` for a round without one.

    A name that is only the round's number in words tilskudd itself uses in some language is
    taken as no name: ``tilskudd init`` wrote ``name = "Runde 1"`` (``"Round 1"`` with
    ``--lang en``) into the programme files it made before it left rounds unnamed, and an English
    output of such a programme said "Runde 1: 2 projects …". The file is left as it is.
    """
    if name is not None and name.strip().casefold() not in _default_round_names(number):
        return name
    return get(lang)("summary.unnamed_round", round=number)


def _default_round_names(number: int) -> set[str]:
    from tilskudd.i18n import languages

    return {get(lang)("summary.unnamed_round", round=number).casefold() for lang in languages()}


def summary_sentence(summary: RoundSummary, lang: str, *, round_name: str | None = None) -> str:
    """The round in the words of a press release.

    ``52 projects involving 145 municipalities receive NOK 20,000,000; NOK 0 left of the round.``
    """
    t = get(lang)
    if summary.decided is not None and summary.decided != summary.awarded:
        sentence = _changed_sentence(summary, t)
    elif summary.funded == 0:
        sentence = t("summary.sentence_none", unallocated=summary.unallocated)
    else:
        projects = t("summary.projects", n=summary.funded)
        key = "summary.sentence" if summary.municipalities else "summary.sentence_no_places"
        sentence = t(
            key,
            n=summary.funded,
            projects=projects,
            municipalities=t("summary.municipalities", n=summary.municipalities),
            awarded=summary.awarded,
            unallocated=summary.unallocated,
        )
    if round_name:
        return t("summary.with_round", round=round_name, sentence=sentence)
    return sentence


def _changed_sentence(summary: RoundSummary, t: Translator) -> str:
    """The summary sentence of awards changed since the decision: what they are now, and what
    the decision left of the round. Freed money goes back to the programme's frame and money
    added comes from it, so the awards now may exceed the round's budget: said, with by how
    much, not left to read as a contradiction of "what is left of the round"."""
    if summary.funded == 0:
        head = t("summary.head_none")
    else:
        head = t(
            "summary.head" if summary.municipalities else "summary.head_no_places",
            n=summary.funded,
            projects=t("summary.projects", n=summary.funded),
            municipalities=t("summary.municipalities", n=summary.municipalities),
            awarded=summary.awarded,
        )
    if summary.awarded > summary.budget:
        return t(
            "summary.changed_over",
            head=head,
            over=summary.awarded - summary.budget,
            budget=summary.budget,
        )
    # Below the budget: where the difference went (or came from) is said under it, with what
    # was decided (publication.ChangesSince.standing_sentence, the terminal's changed line).
    return t("summary.changed", head=head, unallocated=summary.unallocated)


def issue_text(issue: Issue, lang: str) -> str:
    """An input problem's message without its place (lists show the cell in its own column)."""
    from tilskudd.issues import issue_message

    # Not describe_issue on a copy without the location: a copy of every issue of a sheet
    # with 100 000 problems took 0.3 s of the check report's grouping.
    return issue_message(issue, lang)


def issue_cell(issue: Issue, lang: str) -> str:
    """Where an issue is, as a spreadsheet user finds it: ``Søknader!F12``, ``rad 12``."""
    from tilskudd.issues import describe_location

    if issue.location is None:
        return ""
    return describe_location(
        issue.location.model_copy(update={"header": None}), lang, show_file=False
    )


# -- places -----------------------------------------------------------------------------------
# Names are for display only (validation has already checked the numbers). A number is looked
# up in the current numbering first, then the 2020 one, then the 2009 one: they agree wherever a
# number is in more than one, except for a few spellings (Sami names added since, "Bø
# (Nordland)" now "Bø").


@cache
def _names(kind: str) -> dict[str, str]:
    from tilskudd.registry import REGISTERS, get_register

    names: dict[str, str] = {}
    for year in sorted(REGISTERS):  # later numberings overwrite: the current name wins
        register = get_register(year)
        places = register.municipalities if kind == "municipality" else register.counties
        names.update((number, place.name) for number, place in places.items())
    return names


def municipality_name(number: str) -> str | None:
    """The municipality's name for a 4-digit number, or None when the registers don't know it."""
    return _names("municipality").get(number)


def county_name(number: str) -> str | None:
    """The county's name for a 2-digit number, or None when the registers don't know it."""
    return _names("county").get(number)


def municipality_label(number: str) -> str:
    """``Bærum (0219)`` for the workbook; the bare number when its name is unknown."""
    return _labels("municipality").get(number, number)


def county_label(number: str) -> str:
    """``Akershus (02)`` for the workbook; the bare number when its name is unknown."""
    return _labels("county").get(number, number)


@cache
def _labels(kind: str) -> dict[str, str]:
    # A few hundred places, each on many rows (every municipality of every application).
    return {number: f"{name} ({number})" for number, name in _names(kind).items() if name}


def places_short(numbers: Sequence[str], lang: str, *, show: int = 2) -> str:
    """A short list of municipality names for a narrow column: ``Bærum, Asker +31 more``.

    Lists of up to ``show + 1`` names are shown whole: ``+1 more`` saves no space.
    """
    names = [municipality_name(n) or n for n in numbers]
    if len(names) <= show + 1:
        return ", ".join(names)
    rest = get(lang)("ui.more_places", n=len(names) - show)
    return f"{', '.join(names[:show])} {rest}"


def rejected_text(row: RejectedRow, lang: str, *, sep: str = "; ") -> str:
    """Why an application was rejected: each error with its cell, ``Søknader!F12: ...``.

    Ends with a full stop, as every other reason in the reason column does."""
    parts = []
    for issue in row.issues:
        if not issue.is_error:
            continue
        cell = issue_cell(issue, lang)
        text = issue_text(issue, lang)
        parts.append(f"{cell}: {text}" if cell else text)
    text = sep.join(parts).rstrip()
    kept = kept_text(row, lang)
    if kept:
        text = f"{_full_stop(text)} {kept}" if text else kept
    return _full_stop(text)


def typed_text(typed: Mapping[str, str], lang: str) -> str:
    """A rejected row's cells with an error as they were typed, each after its column's name:
    ``Omsøkt: «mange penger»`` (nb), ``Requested: "mange penger"`` (en); empty for none."""
    t = get(lang)
    return "; ".join(
        t(
            "ledger.cli.typed_cell",
            field=t(f"header.{field}") if t.has(f"header.{field}") else field,
            text=text,
        )
        for field, text in typed.items()
    )


def _full_stop(text: str) -> str:
    if not text or text.endswith((".", "?", "!", "…")):  # "did you mean Bærum?" ends already
        return text
    return f"{text}."


def kept_text(row: RejectedRow, lang: str) -> str:
    """What a rejected row whose municipalities cell has the error kept of its places, which
    the lists show beside the cell as typed: the counties of its own county cell (not the
    municipalities'); '' for any other row."""
    if "municipalities" not in row.typed or not row.counties:
        return ""
    counties = [county_label(c) for c in row.counties]
    return get(lang)("reason.rejected.county_kept", counties=counties)


def display_order(result: RoundResult) -> list[Decision]:
    """Decisions as every list shows them: by status group (funded and partly funded, reserve,
    not funded, rejected), then rank (and, within a rank, the rule's order where a tie-break
    column decided it), then the row the application was read from, then id.

    Worked out once per result (the terminal and each export ask for it); a new list each
    time."""
    parts = (result.allocation, result.applications, result.rejected)
    return list(result.derived("display_order", parts, lambda: _display_order(result)))


def _display_order(result: RoundResult) -> tuple[Decision, ...]:
    rows: dict[str, int] = {a.id: a.row for a in result.applications if a.row is not None}
    rows.update((r.id, r.row) for r in result.rejected if r.row is not None)
    decisions = result.allocation.decisions
    last = 1 << 62
    group = STATUS_ORDER
    find_row = rows.get
    # The keys made in one comprehension (no call per decision): a third of the time of a key
    # function at 100 000 decisions.
    keys: list[tuple[Any, ...]]
    if not result.allocation.policy.tie_break:
        # Without tie-break columns an equal rank is a tie, which the row orders.
        keys = [
            (
                group[d.status],
                last if d.rank is None else d.rank,
                find_row(d.application_id, last),
                d.application_id,
            )
            for d in decisions
        ]
    else:
        # Within a rank, the order the rule took them in: equal given ranks that a tie-break
        # column ordered share their number without being tied, and are listed in that order,
        # not by row. The members of a tie (the same number, marked tied, one after another)
        # count as one place, and the row orders them.
        # A given rank that the tie-break split (note.given_rank_ordered) may hold ties one
        # after another with the same number (3=, 3= | 3=, 3=): those are listed as the rule
        # took them, so that the first tie is not mixed with the second by row.
        in_order: set[Any] = {
            i
            for note in result.allocation.notes
            if note.code == "note.given_rank_ordered"
            for i in cast(list[str], note.params.get("ids", []))
        }
        places: list[int] = []
        place = 0
        previous: Decision | None = None
        for k, d in enumerate(decisions):
            same_tie = d.tied and previous is not None and previous.tied and previous.rank == d.rank
            if not same_tie or (in_order and d.application_id in in_order):
                place = k
            places.append(place)
            previous = d
        keys = [
            (
                group[d.status],
                last if d.rank is None else d.rank,
                0 if d.rank is None else place,
                find_row(d.application_id, last),
                d.application_id,
            )
            for d, place in zip(decisions, places, strict=True)
        ]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return tuple(map(decisions.__getitem__, order))


# How Ledger.amend records the rules an amendment outside the policy went beyond: the policy
# file's setting names, with the round or the quota group in English words.
_WAIVED_IN_ROUND = re.compile(r"(\w+) \(round (\d+)\)")
_WAIVED_QUOTA = re.compile(r"quotas \((county|category) (.*): (\w+)\)", re.DOTALL)
_WAIVED_NOT_CHECKED = re.compile(r"(\w+) \(not checked\)")


def waived_rule(rule: str) -> Phrase | str:
    """A rule an amendment went beyond, as recorded (``per_applicant_max (round 2)``,
    ``quotas (county 03: max_share)``, ``max_share_of_cost (not checked)`` where the ledger did
    not hold the figure to check it), as a phrase to say in any language; the setting names
    stay as the policy file writes them. What it does not recognise is shown as recorded."""
    if found := _WAIVED_NOT_CHECKED.fullmatch(rule):
        return Phrase("ledger.waived.not_checked", rule=found[1])
    if found := _WAIVED_IN_ROUND.fullmatch(rule):
        return Phrase("ledger.waived.in_round", rule=found[1], round=int(found[2]))
    if found := _WAIVED_QUOTA.fullmatch(rule):
        by, value, limit = found[1], found[2], found[3]
        return Phrase(f"ledger.waived.quota_{by}", value=value, limit=limit)
    return rule


_FIGURES_SAID = (
    ("share", "share_figures"),
    ("cap", "max_award_figures"),
    ("min_award", "min_award_figures"),
    ("round_to", "round_to_figures"),
    ("score", "min_score_figures"),
    ("eligible", "eligible_figures"),
    ("max_count", "quota_count_figures"),
    ("max", "per_applicant_figures"),
    ("most", "quota_figures"),
)
"""Which sentence says a rule's figures, by the figure that marks it, in the order tried (a
share of cost has its cap too)."""


def _figures_phrase(rule: str, figures: Mapping[str, Any], amount: int) -> Phrase:
    """What a rule an amendment went beyond held it to, by how much, from the figures recorded
    with it (:func:`tilskudd.ledger.outside_policy_figures`): the limit, with what the amount is
    added to (the organisation's or the quota group's other awards), and how far past it."""
    values = {k: Decimal(v) if isinstance(v, str) else int(v) for k, v in figures.items()}
    key = next((said for mark, said in _FIGURES_SAID if mark in values), "max_award_figures")
    limit = next((values[k] for k in ("cap", "eligible", "max", "most") if k in values), None)
    extra: dict[str, Any] = {}
    if limit is not None:
        total = int(values.get("others", 0)) + amount
        extra = {"total": total, "over": total - limit}
    if "min_award" in values:
        extra["short"] = values["min_award"] - amount
    return Phrase(f"ledger.waived.{key}", rule=waived_rule(rule), amount=amount, **values, **extra)


def waived_figures(change: Change) -> list[Phrase]:
    """Each rule an amendment outside the policy went beyond whose figures the ledger holds,
    with them: ``max_award: 3 500 000 kr is 500 000 kr above the cap of 3 000 000 kr``; marked
    as worked out where they were worked out from the round's recorded policy and the
    application's recorded figures, not recorded with the amendment (before schema 6). A rule
    without figures (``min_score (not checked)``, an organisation's total in a ledger that did
    not record it) has none here."""
    return [said for _rule, said in _waived(change) if isinstance(said, Phrase) and said.key in
            _WITH_FIGURES]  # fmt: skip


_WITH_FIGURES = {
    f"ledger.waived.{key}"
    for key in (
        "share_figures",
        "max_award_figures",
        "min_award_figures",
        "round_to_figures",
        "min_score_figures",
        "eligible_figures",
        "quota_count_figures",
        "per_applicant_figures",
        "quota_figures",
        "worked_out",
    )
}


def _waived(change: Change) -> list[tuple[str, Phrase | str]]:
    """Each rule ``change`` went beyond as recorded, and what to say of it: with its figures
    where the ledger holds them (:func:`waived_figures`), else as :func:`waived_rule` says it."""
    figures = json.loads(change.outside_policy_figures or "{}")
    out: list[tuple[str, Phrase | str]] = []
    for rule in change.outside_policy:
        if rule not in figures:
            out.append((rule, waived_rule(rule)))
            continue
        said = _figures_phrase(rule, figures[rule], change.amount_after)
        if change.figures_worked_out:
            said = Phrase("ledger.waived.worked_out", text=said)
        out.append((rule, said))
    return out


class Change(Protocol):
    """An amendment or withdrawal as the ledger records it (:class:`tilskudd.ledger.
    AmendmentRecord`, :class:`tilskudd.models.AwardChange`), as far as its words tell of it."""

    @property
    def kind(self) -> str: ...
    @property
    def created(self) -> str: ...
    @property
    def amount_before(self) -> int: ...
    @property
    def amount_after(self) -> int: ...
    @property
    def reason(self) -> str: ...
    @property
    def outside_policy(self) -> tuple[str, ...]: ...
    @property
    def outside_policy_figures(self) -> str | None: ...
    @property
    def figures_worked_out(self) -> bool: ...
    @property
    def decided(self) -> str | None: ...


def change_date(change: Change, lang: str, *, words: bool = True) -> str:
    """The date of a change as a person reads it: the date it was decided, with the date it was
    recorded after it (``12 October 2009 (recorded 14 October 2009)``), or the date it was
    recorded alone where no decision date was given. ``words=False``: ISO dates, as the
    terminal lists give them."""

    def said(day: date) -> str:
        return format_date(day, lang) if words else day.isoformat()

    # The day in Norway it was recorded, as a change without --decided is dated by.
    recorded = said(clock.record_day(change.created))
    if change.decided is None:
        return recorded
    decided = said(date.fromisoformat(change.decided[:10]))
    return get(lang)("explain.decided_recorded", decided=decided, recorded=recorded)


def change_sentences(changes: Sequence[Change], lang: str) -> list[str]:
    """What the ledger recorded after a decision, as ``tilskudd explain`` and the published
    documents say it: each amendment or withdrawal with its date, amounts and reason (and the
    rules an ``--outside-policy`` one went beyond), then the amount now; [] for none."""
    t = get(lang)
    said = []
    for index, change in enumerate(changes):
        when = "since" if index == 0 else "then"  # "After the decision ...", "Then ..."
        key = f"explain.{when}_{'withdrawn' if change.kind == 'withdraw' else 'amended'}"
        said.append(
            t(
                key,
                # In words, as the documents date the decision ("Vedtatt 12. juni 2009"), not
                # 2009-10-14 in a sentence; the CSV and JSON keep the ISO time beside it.
                date=change_date(change, lang),
                before=change.amount_before,
                after=change.amount_after,
                reason=as_sentence(change.reason),
            ).strip()
        )
        if change.outside_policy:
            rules = [waived_rule(rule) for rule in change.outside_policy]
            said.append(t("explain.since_outside_policy", rules=rules))
            figures = waived_figures(change)
            if figures:
                joined = "; ".join(t.render(w.key, w.params) for w in figures)
                said.append(t("explain.since_outside_policy_figures", figures=joined))
    if said:
        said.append(t("explain.since_now", amount=changes[-1].amount_after))
    return said


def waived_changes_text(changes: Iterable[Change], lang: str) -> str | None:
    """The rules amendments went beyond, each with its figures where the ledger holds them, as
    ``ledger export`` writes them: ``max_award: 55 500 kr is 5 500 kr above the cap of
    50 000 kr; round_to``, one rule once; None if there are none."""
    t = get(lang)
    said = {
        t.render(w.key, w.params) if isinstance(w, Phrase) else w: None
        for change in changes
        for _rule, w in _waived(change)
    }
    return "; ".join(said) or None


def waived_text(rules: Iterable[str], lang: str) -> str | None:
    """The rules amendments went beyond, comma-separated in ``lang`` (None if there are none),
    as the ledger exports write them."""
    t = get(lang)
    said = [
        t.render(w.key, w.params) if isinstance(w, Phrase) else w for w in map(waived_rule, rules)
    ]
    return ", ".join(said) or None
