"""Markdown export (``.md``): the award table for e-mails, wikis and issue trackers.

A heading, the summary sentence, and under a heading of its own one table of the awards in rank
order (rank, applicant, project, municipalities, requested, awarded, status) with a total row;
a round that ranked nothing (proportional without scores) has no rank column, and its table's
heading names no rank order. A committed round changed since its decision shows each award as
it stands, an amended or withdrawn one marked ``(1)`` with its note under "Changes since the
decision" (see :mod:`tilskudd.publication`). A round with quotas has a table of them: each
group, its limits, what it was awarded, how many of its applications were funded and whether
it is within the quota.
Text from the applications is escaped so that it stays text: a ``|`` cannot split a cell,
``*`` or ``_`` cannot turn into emphasis, ``<script>`` is not HTML, and a line break cannot end
the row.
"""

from __future__ import annotations

import re
from pathlib import Path

from tilskudd.export.atomic import atomic_write
from tilskudd.models import RoundResult
from tilskudd.publication import build
from tilskudd.wording import column_header, rank_text

__all__ = ["escape", "render", "write"]

# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that would
# change a table cell (|), start markup (* _ ` [ ] < > ~ #), begin an entity reference (&:
# "&GT;" or "&amp;" would read as the character it names), or escape the next one (\).
_SPECIAL = re.compile(r"([\\|*_`\[\]<>~#&])")
_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def escape(text: str) -> str:
    """Text as literal Markdown inline content (safe inside a table cell)."""
    return _SPECIAL.sub(r"\\\1", _BREAKS.sub(" ", text))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render(result: RoundResult, *, lang: str = "en", as_decided: bool = False) -> str:
    """The award table of ``result`` as a Markdown document in ``lang`` (a round changed since
    its decision as it stands, or with ``as_decided`` as decided, with the changes)."""
    pub = build(result, lang, as_decided=as_decided)
    subtitle = " · ".join(p for p in (pub.programme, pub.round) if p)
    lines = [f"# {escape(pub.title)}", ""]
    if subtitle:
        lines += [f"**{escape(subtitle)}**", ""]
    if pub.decided is not None:
        lines += [escape(pub.text("doc.decided", date=pub.decided)), ""]
    lines += [escape(pub.sentence), ""]
    said = pub.standing_sentence()
    if said:
        lines += [escape(said), ""]
    awards = {line.id: line for line in pub.by_amount}
    decisions = [d for d in result.allocation.decisions if d.application_id in awards]
    if not decisions:
        lines += [escape(pub.text("doc.no_awards")), ""]
    else:
        # A heading of its own, as in the HTML page: a reader who moves by headings (a screen
        # reader, a wiki's table of contents) finds the table under it.
        # Nor a rank column in a round that ranked nothing (proportional without scores), nor
        # a heading that names a rank order.
        ranked = any(d.rank is not None for d in decisions)
        heading = "doc.by_rank" if ranked else "doc.awards"
        lines += [f"## {escape(pub.text(heading))}", ""]
        # A round whose sheet names no place (or no applicant) has no column of them to show,
        # all empty; without applicants the id tells projects of the same title apart.
        places = pub.has_places
        who = pub.has_applicants
        ids = pub.shows_ids
        fields = (
            *(("rank",) if ranked else ()),
            *(("id",) if ids else ()),
            *(("applicant",) if who else ()),
            "project",
            *(("municipalities",) if places else ()),
            "requested",
            "awarded",
            "status",
        )
        lines.append(_row([escape(column_header(f, lang)) for f in fields]))
        lines.append(
            _row(
                [
                    *(["---:"] if ranked else []),
                    *(["---"] if ids else []),
                    *(["---"] if who else []),
                    "---",
                    *(["---"] if places else []),
                    "---:",
                    "---:",
                    "---",
                ]
            )
        )
        for decision in decisions:
            line = awards[decision.application_id]
            requested = pub.money(line.requested) if line.requested is not None else ""
            amount = pub.money(line.amount)
            if line.note is not None:
                amount += f" ({line.note})"  # its note under the changes since the decision
            lines.append(
                _row(
                    [
                        *([escape(rank_text(decision))] if ranked else []),
                        *([escape(line.id)] if ids else []),
                        *([escape(line.applicant)] if who else []),
                        escape(line.project),
                        *([escape(line.places)] if places else []),
                        requested,
                        amount,
                        escape(line.status_text),
                    ]
                )
            )
        total = escape(pub.text("ui.total"))
        empty = [""] * (len(fields) - 3)  # between the label and the amount awarded
        lines.append(_row([f"**{total}**", *empty, f"**{pub.money(pub.summary.awarded)}**", ""]))
        lines.append("")
    lines.append("_" + escape(pub.budget_line()) + "_")
    lines.append("")
    if pub.changed:
        lines += [f"## {escape(pub.text('doc.changed.heading'))}", ""]
        lines += [escape(pub.text("doc.changed.intro")), ""]
        lines += [f"{line.note}. {escape(pub.change_note(line))}" for line in pub.changed]
        lines.append("")
    if pub.quotas:
        lines += [f"## {escape(pub.text('summary.label.quotas'))}", ""]
        lines += [escape(pub.text("doc.quota.intro")), ""]
        lines.append(
            _row(
                [
                    escape(pub.text(key))
                    for key in (
                        "summary.label.quota_group",
                        "doc.quota.limits",
                        "header.awarded",
                        "summary.label.quota_funded",
                        "summary.label.quota_met",
                    )
                ]
            )
        )
        lines.append(_row(["---", "---", "---:", "---:", "---"]))
        for quota in pub.quotas:
            verdict = "summary.label.quota_yes" if quota.met else "summary.label.quota_no"
            lines.append(
                _row(
                    [
                        escape(quota.label(lang)),
                        escape(quota.limits(lang)),
                        pub.money(quota.awarded),
                        str(quota.funded),
                        escape(pub.text(verdict)),
                    ]
                )
            )
        lines.append("")
    if pub.notes:
        lines += [f"## {escape(pub.text('ui.notes'))}", ""]
        lines += [f"- {escape(note)}" for note in pub.notes]
        lines.append("")
    lines.append(escape(pub.text("doc.made_with", version=pub.tool_version, date=pub.date)))
    return "\n".join(lines) + "\n"


def write(
    result: RoundResult, path: Path, *, lang: str = "en", as_decided: bool = False, **_: object
) -> None:
    """Write the award table of ``result`` to ``path`` as UTF-8 Markdown."""
    with atomic_write(Path(path), encoding="utf-8", newline="\n") as handle:
        handle.write(render(result, lang=lang, as_decided=as_decided))
