"""JSON export: the whole allocation, enough to audit and reproduce the decision.

One object (``schemas/allocation.schema.json`` describes it, format version 1): the tool and time,
programme and round, the input file and its SHA-256, the policy, rule and seed, round notes, the
budget accounted to the krone, the summary figures, every application (valid and rejected) with
its fields, status, amount, rank and reasons, and every input issue.

Amounts are JSON integers (whole kroner); decimals (scores, shares, oversubscription) are strings,
so no reader turns ``0.2`` into a binary fraction. Reasons and issues carry their code and
parameters for machines *and* their text in the chosen language for people.

A committed round amended or withdrawn from since its decision (``result.changes``) keeps the
decision (``amount``, ``status``, ``awarded``: what was decided and can be reproduced) and adds
what stands now: ``changes_since`` (decided, current, the change, the counts, a sentence), and
for every application ``amount_now``, ``status_now`` and its ``changes`` (date, amounts, reason,
the rules an ``--outside-policy`` one went beyond). A round unchanged since has none of them.

A round with quotas has ``summary.quotas``: each group with its limits, what it was awarded and
how many of its applications were funded, and whether it is within the quota (``met``), as the
workbook's table of quotas gives them; in a round changed since, with ``awarded_now``,
``funded_now`` and ``met_now`` of the awards as they stand.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tilskudd.collector import collector_paused
from tilskudd.controls import visible
from tilskudd.export.atomic import atomic_write
from tilskudd.jsondata import change_data, plain, reason_data
from tilskudd.models import Application, AwardChange, Decision, Issue, RejectedRow, RoundResult
from tilskudd.publication import build, changes_by_id, quota_lines, standing
from tilskudd.summary import summarise
from tilskudd.wording import (
    change_sentences,
    county_name,
    decision_text,
    issue_text,
    municipality_name,
    status_text,
    summary_sentence,
)

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "dumps", "to_data", "write"]

FORMAT_NAME = "tilskudd.allocation"
FORMAT_VERSION = 1


def _issue(issue: Issue, lang: str) -> dict[str, Any]:
    location = None
    if issue.location is not None:
        loc = issue.location
        location = {
            "file": loc.file,
            "sheet": loc.sheet,
            "row": loc.row,
            "column": loc.column,
            "header": loc.header,
            "cell": loc.cell or None,
        }
    return {
        "severity": issue.severity.value,
        "code": issue.code,
        "params": plain(issue.params),
        "text": issue_text(issue, lang),
        "location": location,
        "field": issue.field,
        "value": issue.value,
        "application_id": issue.application_id,
    }


def _places(numbers: tuple[str, ...], kind: str) -> list[dict[str, Any]]:
    lookup = municipality_name if kind == "municipality" else county_name
    return [{"number": n, "name": lookup(n)} for n in numbers]


def _as_read(row: Application | RejectedRow) -> dict[str, Any]:
    """The fields of an application's entry that give its row as read, the same for a valid
    application and a rejected row (not the amount requested, nor the officer's decision)."""
    return {
        "row": row.row,
        "applicant": row.applicant,
        "orgnr": row.orgnr,
        "project": row.project,
        "municipalities": _places(row.municipalities, "municipality"),
        "counties": _places(row.counties, "county"),
        "category": row.category,
        "total_cost": row.total_cost,
        "score": plain(row.score),
        "given_rank": row.rank,
        "extra": plain(row.extra),
    }


def _application(
    decision: Decision,
    app: Application | None,
    rejected: RejectedRow | None,
    issues: list[Issue],
    lang: str,
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": decision.application_id,
        "valid": app is not None,
        "row": None,
        "applicant": None,
        "orgnr": None,
        "project": None,
        "municipalities": [],
        "counties": [],
        "category": None,
        "total_cost": None,
        "requested": decision.requested,
        "score": None,
        "given_rank": None,
        "officer_decision": None,
        "officer_amount": None,
        "officer_reason": None,
        "extra": {},
    }
    if app is not None:
        fields.update(
            _as_read(app),
            requested=app.requested,
            officer_decision=app.decision,
            officer_amount=app.decision_amount,
            officer_reason=app.decision_reason,
        )
    elif rejected is not None:
        # Every cell that was valid as read: a cell with an error is null here, and its issue
        # (in "issues") gives it as it was typed.
        fields.update(
            _as_read(rejected),
            requested=decision.requested if decision.requested is not None else rejected.requested,
        )
    fields.update(
        status=decision.status.value,
        status_text=status_text(decision.status, lang),
        amount=decision.amount,
        eligible_amount=decision.eligible_amount,
        rank=decision.rank,
        tied=decision.tied,
        override=decision.override,
        reasons=[reason_data(r, lang) for r in decision.reasons],
        reason_text=decision_text(decision, lang),
        issues=[_issue(i, lang) for i in issues],
    )
    return fields


def _changes(
    entry: dict[str, Any], decision: Decision, changes: tuple[AwardChange, ...], lang: str
) -> dict[str, Any]:
    """An application's entry with what stands now (a round changed since its decision)."""
    status = decision.status.value
    if changes:
        status = "withdrawn" if changes[-1].kind == "withdraw" else "amended"
    entry.update(
        amount_now=changes[-1].amount_after if changes else decision.amount,
        status_now=status,
        changes=[
            {
                **change_data(c),
                # the change in words, without "the grant is now …" (that is amount_now)
                "text": " ".join(change_sentences((c,), lang)[:-1]),
            }
            for c in changes
        ],
    )
    return entry


def _quotas(result: RoundResult, lang: str) -> list[dict[str, Any]]:
    """Each quota group against its limits, with what the decision gave it and, in a round
    changed since, what the awards now give it (as every output counts them)."""
    decided = quota_lines(result, as_decided=True)
    now = quota_lines(result) if standing(result) is not None else None
    entries = []
    for at, line in enumerate(decided):
        entry: dict[str, Any] = {
            "by": line.by,
            "value": line.value,
            "name": line.name,
            "group": line.label(lang),
            "min_amount": line.least,
            "max_amount": line.most,
            "min_count": line.min_count,
            "max_count": line.max_count,
            "awarded": line.awarded,
            "funded": line.funded,
            "met": line.met,
        }
        if now is not None:
            entry.update(
                awarded_now=now[at].awarded, funded_now=now[at].funded, met_now=now[at].met
            )
        entries.append(entry)
    return entries


def to_data(result: RoundResult, *, lang: str = "en") -> dict[str, Any]:
    """The JSON document for ``result`` as plain Python data (what :func:`write` serialises)."""
    allocation = result.allocation
    summary = summarise(result)
    apps = result.applications_by_id()
    rejected = result.rejected_by_id()
    issues_by_app: dict[str, list[Issue]] = {}
    for issue in result.issues:
        if issue.application_id is not None:
            issues_by_app.setdefault(issue.application_id, []).append(issue)
    source = None
    if result.source is not None:
        source = {
            # The names as every output shows text (tilskudd.controls); the round's records
            # keep them as given, to read the file again.
            "file": visible(result.source.file),
            "sha256": result.source.sha256,
            "sheet": None if result.source.sheet is None else visible(result.source.sheet),
            "header_row": result.source.header_row,
            # The file's own comment on the data (a pabulib META's), whole; null: none.
            "comment": result.source.comment,
        }
    pub = build(result, lang) if result.changes else None
    stand = pub.standing if pub is not None else None
    changed = changes_by_id(result) if stand is not None else {}
    applications = [
        _application(
            d,
            apps.get(d.application_id),
            rejected.get(d.application_id),
            issues_by_app.get(d.application_id, []),
            lang,
        )
        for d in allocation.decisions
    ]
    since: dict[str, Any] = {}
    if stand is not None and pub is not None:
        since["changes_since"] = {
            "decided": stand.decided,
            "current": stand.current,
            "change": stand.change,
            "amendments": stand.amendments,
            "withdrawals": stand.withdrawals,
            "sentence": pub.standing_sentence(),
        }
        applications = [
            _changes(entry, d, changed.get(d.application_id, ()), lang)
            for entry, d in zip(applications, allocation.decisions, strict=True)
        ]
    quotas = _quotas(result, lang)
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "tool": {"name": "tilskudd", "version": result.tool_version},
        "created": result.created.isoformat(),
        "lang": lang,
        "programme": result.programme,
        "round": result.round,
        "funder": result.funder,
        "decision_date": result.decision_date.isoformat() if result.decision_date else None,
        "currency": result.currency,
        "source": source,
        "rule": allocation.rule,
        "policy": plain(allocation.policy.describe()),
        "seed": allocation.seed,
        "notes": [reason_data(n, lang) for n in allocation.notes],
        "budget": allocation.budget,
        "awarded": allocation.awarded,
        "unallocated": allocation.unallocated,
        "summary": {
            "sentence": summary_sentence(summary, lang, round_name=result.round),
            "applications": summary.applications,
            "valid": summary.valid,
            "rejected": summary.rejected,
            "requested": summary.requested,
            "funded": summary.funded,
            "funded_full": summary.funded_full,
            "partly_funded": summary.partly_funded,
            "reserve": summary.reserve,
            "not_funded": summary.not_funded,
            "municipalities": summary.municipalities,
            "counties": summary.counties,
            "oversubscription": plain(summary.oversubscription),
            "per_county": [
                {
                    "county": line.county,
                    "name": county_name(line.county),
                    "projects": line.projects,
                    "awarded": line.awarded,
                }
                for line in summary.per_county
            ],
            # Awards to projects that name no place, in no county: with per_county, the total.
            "no_county": {
                "projects": summary.no_county_projects,
                "awarded": summary.no_county_awarded,
            },
            **({"quotas": quotas} if allocation.policy.quotas else {}),
        },
        "extra_columns": list(result.extra_columns),
        **since,
        "applications": applications,
        "issues": [_issue(i, lang) for i in result.issues],
    }


# The lists with one entry per application or input problem: written one entry per line.
_ONE_PER_LINE = frozenset({"applications", "issues"})


def dumps(data: Mapping[str, Any]) -> str:
    """The document as text: the envelope indented, each application and issue on a line.

    One line per application keeps a round of thousands greppable and its changes readable in a
    diff, and lets the standard library's C encoder write the bulk: fully indented, a 10 000-
    application round was 16 MB and took 0.7 s through the pure-Python indenting encoder
    (docs/benchmarks.md). Non-ASCII is kept as is.
    """
    line = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    parts = []
    for key, value in data.items():
        name = line(key)
        if key in _ONE_PER_LINE and isinstance(value, list) and value:
            entries = ",\n".join("    " + line(entry) for entry in value)
            parts.append(f"  {name}: [\n{entries}\n  ]")
        else:
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            parts.append(f"  {name}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write(result: RoundResult, path: Path, *, lang: str = "en", **_options: object) -> None:
    """Write the allocation as UTF-8 JSON (:func:`dumps`) to ``path`` (the decision, and for a
    round changed since what stands now, whether or not ``as_decided`` is given)."""
    with collector_paused():  # a few hundred thousand dicts and lists, no cycles among them
        text = dumps(to_data(result, lang=lang))
    with atomic_write(Path(path), encoding="utf-8", newline="\n") as handle:
        handle.write(text)
